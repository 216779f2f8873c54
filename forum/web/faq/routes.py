"""The public FAQ page."""
from __future__ import annotations

from flask import Blueprint, render_template

from forum.services import faq

bp = Blueprint("faq", __name__, url_prefix="/faq")


@bp.get("")
def index():
    return render_template("faq/index.html", groups=faq.published_entries_by_topic())
