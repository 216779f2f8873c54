"""The released requirements guide, read from docs/requirements_guide.md.

The file is the guide's released text: a level-1 title, an introduction, then
``##`` sections with optional ``###`` subsections. This module splits it into
sections a page can show with a table of contents.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from forum.slugs import slugify

HEADING = re.compile(r"^(#{1,3}) (.+?)\s*$")


@dataclass
class GuideSection:
    title: str
    anchor: str
    level: int  # 2 for a section, 3 for a subsection
    body: str = ""
    subsections: list[GuideSection] = field(default_factory=list)


@dataclass
class ReleasedGuide:
    title: str
    introduction: str
    sections: list[GuideSection]


def parse_guide(text: str) -> ReleasedGuide:
    """Split the guide's Markdown into its title, introduction and section tree."""
    title = ""
    introduction: list[str] = []
    sections: list[GuideSection] = []
    current_lines = introduction
    current: GuideSection | None = None
    in_fence = False

    def close_current() -> None:
        if current is not None:
            current.body = "\n".join(current_lines).strip()

    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match is None:
            current_lines.append(line)
            continue
        level, heading = len(match.group(1)), match.group(2)
        if level == 1:
            title = heading
            continue
        close_current()
        current = GuideSection(heading, slugify(heading), level)
        current_lines = []
        if level == 3 and sections:
            sections[-1].subsections.append(current)
        else:
            sections.append(current)
    close_current()
    return ReleasedGuide(title, "\n".join(introduction).strip(), sections)


@lru_cache(maxsize=4)
def _parse_file(path: str, modified: float) -> ReleasedGuide:
    return parse_guide(Path(path).read_text(encoding="utf-8"))


def load_released_guide(path: str) -> ReleasedGuide | None:
    """The parsed guide, re-read only when the file changes; None if it is missing."""
    try:
        modified = os.stat(path).st_mtime
    except FileNotFoundError:
        return None
    return _parse_file(path, modified)
