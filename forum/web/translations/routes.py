"""Translating the short labels: each topic, specialty and population in English beside
an input for its Italian, saved together (admins only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from forum.extensions import db
from forum.services import label_translations
from forum.services.errors import RuleViolation
from forum.web import access
from forum.web.forms import attach_error

bp = Blueprint("translations", __name__, url_prefix="/admin/translations")
bp.before_request(access.admins_only)

# The page's groups, in order, with their headings.
GROUPS = (
    ("topic", _l("Topics")),
    ("specialty", _l("Clinic specialties")),
    ("population", _l("Clinical populations")),
)


def _form_for(rows: list[label_translations.LabelRow]) -> FlaskForm:
    """A form with one Italian input per label, named by the label's key."""

    class LabelsForm(FlaskForm):
        pass

    for row in rows:
        setattr(
            LabelsForm,
            row.key,
            StringField(
                row.english,
                default=row.italian,
                validators=[Length(max=row.max_length)],
            ),
        )
    return LabelsForm()


@bp.route("", methods=["GET", "POST"], endpoint="labels")
def labels():
    rows = label_translations.translation_rows()
    form = _form_for(rows)
    if form.validate_on_submit():
        typed = {row.key: form[row.key].data or "" for row in rows}
        try:
            changed = label_translations.save_translations(current_user, typed)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form[error.field], error.message)
        else:
            flash(_("Italian names saved: %(count)d changed.", count=changed), "success")
            return redirect(url_for(".labels"))
    groups = [(heading, [row for row in rows if row.kind == kind]) for kind, heading in GROUPS]
    status = 422 if request.method == "POST" else 200
    return render_template("translations/labels.html", form=form, groups=groups), status
