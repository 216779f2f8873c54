"""An organisation's suggested partners in the other region(s):
/network/organisations/<id>/partners.

An unlisted profile is a 404 to those who may not see it (its existence is the
organisation's to tell); a listed one's partners are for the network's members and the
organisation's own people (403 to other signed-in readers).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from forum.network_access import can_see_partners, can_see_profile, sees_unlisted_candidates
from forum.services import matchmaking
from forum.web.lookups import bounded_id_or_404

bp = Blueprint("matchmaking", __name__, url_prefix="/network")

PARTNERS_SHOWN = 20


@bp.app_template_global("reasons_in_words")
def reasons_in_words(pair: matchmaking.Pair) -> list[str]:
    """A pair's reasons as sentences in the page's language (the partners and round pages)."""
    return matchmaking.reasons_in_words(pair)


@bp.get("/organisations/<int:profile_id>/partners")
@login_required
def partners(profile_id: int):
    profile = matchmaking.load_profile(bounded_id_or_404(profile_id))
    if profile is None or not can_see_profile(current_user, profile):
        abort(404)
    if not can_see_partners(current_user, profile):
        abort(403)
    candidates = matchmaking.candidates_for(
        profile, PARTNERS_SHOWN, include_unlisted=sees_unlisted_candidates(current_user)
    )
    return render_template("matchmaking/partners.html", profile=profile, candidates=candidates)
