"""The requirements guide as released (docs/requirements_guide.md)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from forum.services.released_guide import load_released_guide

bp = Blueprint("guide", __name__, url_prefix="/guide")


@bp.get("")
def index():
    guide = load_released_guide(current_app.config["GUIDE_PATH"])
    if guide is None:
        abort(404)
    return render_template("guide/index.html", guide=guide)
