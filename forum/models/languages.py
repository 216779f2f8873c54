"""The languages content is written in, as stored on users' texts and translations."""

from __future__ import annotations

from enum import StrEnum


class ContentLanguage(StrEnum):
    """A text's language: the forum's two (forum/locales.py offers the same to the interface)."""

    EN = "en"
    IT = "it"
