"""Opening the page a notification points to marks that notification read.

Used by the pages notifications link to (a question, a board answer's workspace, a
guide proposal). The
header's unread count is taken from the same query, so the page costs no
extra query, and a write only when there was news about it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import g
from flask_login import current_user

from forum.services.mail import notifications

Page = TypeVar("Page")


def render_marking_read(
    render: Callable[[], Page],
    *,
    question_id: int | None = None,
    guide_proposal_id: int | None = None,
) -> Page:
    """Render the page with ``render()``; the reader's notifications about it become read."""
    if not current_user.is_authenticated:
        return render()
    opened = notifications.read_on_opening(
        current_user, question_id=question_id, guide_proposal_id=guide_proposal_id
    )
    # What the header's unread_notifications() shows: the count once these are read.
    g.unread_notifications = opened.unread_after
    page = render()
    opened.mark()
    return page
