"""The form an admin records a change of the law with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from forum.services.law_changes import MAX_DESCRIPTION_LENGTH


class LawChangeForm(FlaskForm):
    clause = SelectField(
        _l("The document or clause that changed"),
        validators=[DataRequired()],
        description=_l("Every guide section, FAQ entry and answer citing it is put up for review."),
    )
    description = StringField(
        _l("What changed"),
        description=_l("As readers will see it, for example “MDCG 2021-6 Rev.2 published”."),
        validators=[DataRequired(), Length(max=MAX_DESCRIPTION_LENGTH)],
    )
    changed_on = DateField(
        _l("When"), format="%Y-%m-%d", validators=[DataRequired()], render_kw={"type": "date"}
    )
