"""Clause pages: every regulation clause cited, and what cites each one that the reader may see.

Also gives templates ``cited_clauses(*texts)``: the clauses some texts cite,
as (slug, clause) pairs, for the "Cites" line under an FAQ entry.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.services import citations, official_texts

bp = Blueprint("citations", __name__, url_prefix="/citations")

FAMILY_LABELS = {
    "mdr": _l("Medical Device Regulation (EU) 2017/745 (MDR)"),
    "ivdr": _l("In Vitro Diagnostic Regulation (EU) 2017/746 (IVDR)"),
    "ctr": _l("Clinical Trials Regulation (EU) 536/2014 (CTR)"),
    "iso": _l("ISO standards"),
    "mdcg": _l("MDCG guidance"),
    "italian-law": _l("Italian law"),
    "gdpr": _l("General Data Protection Regulation (GDPR)"),
    "other": _l("Other"),
}


@bp.app_template_global("cited_clauses")
def cited_clauses(*texts: str):
    return citations.clauses_in(*texts)


@bp.get("")
def index():
    families: list[tuple[str, list[citations.ClauseCount]]] = []
    for item in citations.clause_index(current_user):
        if not families or families[-1][0] != item.family:
            families.append((item.family, []))
        families[-1][1].append(item)
    return render_template("citations/index.html", families=families, labels=FAMILY_LABELS)


@bp.get("/<slug>")
def show(slug: str):
    page = citations.clause_page(current_user, slug[:100])
    if page is None:
        abort(404)
    return render_template(
        "citations/show.html",
        page=page,
        family_label=FAMILY_LABELS.get(page.family, FAMILY_LABELS["other"]),
        official=official_texts.official_text(page.clause, str(get_locale())),
    )
