"""Readable URL tails for questions ("/questions/12/which-pathway-for-a-class-iib-tool")."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-") or "question"
