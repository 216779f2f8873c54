"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from forum.models import QuestionStatus
from forum.services import questions
from forum.web.infra.page_cache import cached_page

bp = Blueprint("main", __name__)

RECENT_QUESTIONS = 8


@bp.get("/")
@cached_page(areas=("questions", "survey"))
def home():
    recent = questions.recent_questions(current_user, RECENT_QUESTIONS)
    counts = questions.count_visible_questions(current_user)
    return render_template(
        "main/home.html",
        recent=recent,
        counts=counts,
        total=sum(counts.values()),
        open_count=counts[QuestionStatus.OPEN],
    )
