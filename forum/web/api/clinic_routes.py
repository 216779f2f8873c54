"""The API's clinic directory and a question's referrals to a clinic (routes on the
blueprint of ``routes``)."""

from __future__ import annotations

from flask import g, jsonify
from flask_babel import gettext as _

from forum.services import clinics, referral_reading
from forum.services.clinics import ClinicFilters
from forum.web.api import serializers
from forum.web.api.auth import api_user, require_user
from forum.web.api.listing import paginated
from forum.web.api.problems import ApiError
from forum.web.api.queries import CLINICS_PER_PAGE, ClinicListQuery
from forum.web.api.routes import bp
from forum.web.api.validation import read_query

# --- clinics ---------------------------------------------------------------------------------------


@bp.get("/clinics")
def list_clinics():
    viewer = api_user()
    query = read_query(ClinicListQuery)
    filters = ClinicFilters(
        query=(query.q or "").strip(),
        city=query.city,
        specialty=query.specialty,
        device_studies_only=query.device_studies,
    )
    page, per_page = query.page, query.per_page or CLINICS_PER_PAGE
    found = clinics.list_clinics(viewer, filters, page=page, per_page=per_page)
    return jsonify(
        paginated(
            [serializers.clinic(item, viewer) for item in found.items],
            total=found.total,
            page=page,
            per_page=per_page,
        )
    )


@bp.get("/clinics/<int:clinic_id>")
def get_clinic(clinic_id: int):
    viewer = api_user()
    found = clinics.get_clinic(viewer, clinic_id)
    if found is None:
        raise ApiError(404, _("There is no such clinic."))
    return jsonify(serializers.clinic(found, viewer))


# --- referrals -------------------------------------------------------------------------------------


@bp.get("/referrals/<int:facilitation_id>")
def get_referral(facilitation_id: int):
    found = referral_reading.load_facilitation(require_user(), facilitation_id)
    if found is None:
        raise ApiError(404, _("There is no such referral."))
    return jsonify(serializers.referral(found, g.api_user))
