"""Where a form may send the user afterwards: only back into this site."""

from __future__ import annotations


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Refuses absolute URLs, scheme-relative ``//host`` and backslashes (which
    browsers treat as slashes), so a crafted link cannot bounce a user to
    another site after logging in.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    return target
