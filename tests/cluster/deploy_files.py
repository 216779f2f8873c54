"""The deploy/ files as the cluster test installs them.

The test runs the very files an operator installs. It changes only the values the files
name as an operator's to change (addresses, ports, host names, paths), each by replacing
an exact string that must occur in the file: a file edited so that a value is no longer
there fails the test, rather than running unchanged against the real addresses.
"""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"


def installed(name: str, substitutions: list[tuple[str, str]]) -> str:
    """deploy/``name``'s text with each (as written, as installed) pair replaced, in order."""
    text = (DEPLOY / name).read_text()
    for written, installed_as in substitutions:
        if written not in text:
            raise AssertionError(f"deploy/{name} no longer contains {written!r}")
        text = text.replace(written, installed_as)
    return text
