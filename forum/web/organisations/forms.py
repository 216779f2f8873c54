"""The organisation's fields, shared by registration, the profile and the admins' edit
page; picking an organisation from the list; the admins' filter and merge forms."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forum import italian_provinces
from forum.countries import country_choices
from forum.labels import organisation_kind_choices
from forum.models import Organisation, OrganisationKind
from forum.services import organisations
from forum.services.errors import RuleViolation
from forum.services.organisations import ITALY, OrganisationDraft
from forum.web.forms import MAX_ID, attach_error


class OrganisationFieldsForm(FlaskForm):
    """A form with an organisation's details; the country and province lists are filled
    in the reader's language when the form is made."""

    organisation_name = StringField(_l("Organisation's name"), validators=[Length(max=200)])
    organisation_kind = SelectField(
        _l("Kind of organisation"),
        choices=organisation_kind_choices,
        coerce=OrganisationKind,
        validators=[DataRequired()],
    )
    country = SelectField(_l("Country"), default=ITALY)
    province = SelectField(_l("Province (in Italy)"), default="", validators=[Optional()])
    province_abroad = StringField(
        _l("Province, county or state (outside Italy)"),
        validators=[Optional(), Length(max=organisations.MAX_AREA)],
    )
    region_abroad = StringField(
        _l("Region (outside Italy)"), validators=[Optional(), Length(max=organisations.MAX_AREA)]
    )
    tax_code = StringField(
        _l("VAT number or tax code (optional)"),
        description=_l("In Italy the partita IVA (11 digits) or the codice fiscale."),
        validators=[Optional(), Length(max=40)],
    )
    website = StringField(
        _l("Website (optional)"),
        description=_l("The whole address, beginning with https://"),
        validators=[Optional(), Length(max=organisations.MAX_WEBSITE)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices(str(get_locale()))
        self.province.choices = [
            ("", _l("Choose the province")),
            *italian_provinces.province_choices(),
        ]

    def organisation_draft(self) -> OrganisationDraft:
        in_italy = self.country.data == ITALY
        return OrganisationDraft(
            name=self.organisation_name.data or "",
            kind=self.organisation_kind.data,
            country=self.country.data or "",
            province=self.province.data if in_italy else self.province_abroad.data,
            region=None if in_italy else self.region_abroad.data,
            tax_code=self.tax_code.data,
            website=self.website.data,
        )

    def show_organisation(self, organisation: Organisation) -> None:
        """Fill the fields with the organisation's details (a page shown for editing)."""
        in_italy = organisation.country == ITALY
        self.organisation_name.data = organisation.name
        self.organisation_kind.data = organisation.kind
        self.country.data = organisation.country
        self.province.data = organisation.province if in_italy else ""
        self.province_abroad.data = "" if in_italy else organisation.province
        self.region_abroad.data = "" if in_italy else organisation.region
        self.tax_code.data = organisation.tax_code
        self.website.data = organisation.website

    def field_for(self, error: RuleViolation) -> Field:
        """The field a service's refusal concerns (``organisations.clean`` names the draft's)."""
        in_italy = self.country.data == ITALY
        by_draft_field = {
            "name": self.organisation_name,
            "kind": self.organisation_kind,
            "province": self.province if in_italy else self.province_abroad,
            "region": self.region_abroad,
        }
        return (
            by_draft_field.get(error.field)
            or getattr(self, error.field or "", None)
            or self.organisation_name
        )

    def show_error(self, error: RuleViolation) -> None:
        attach_error(self.field_for(error), error.message)


NEW_ORGANISATION = ""


class PickOrganisationForm(OrganisationFieldsForm):
    """Pick an organisation from the list, or describe a new one (no JavaScript needed:
    a select, and the new organisation's fields beside it)."""

    organisation = SelectField(
        _l("Your organisation"),
        default=NEW_ORGANISATION,
        description=_l(
            "Pick it from the list. If it is not there, choose “Not in the list” "
            "and describe it below."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [
            (NEW_ORGANISATION, _l("Not in the list: a new organisation, described below")),
            *((str(organisation_id), name) for organisation_id, name in organisations.choices()),
        ]

    def picked_id(self) -> int | None:
        value = self.organisation.data or NEW_ORGANISATION
        return int(value) if value.isdigit() and int(value) <= MAX_ID else None


class OrganisationFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search

    q = StringField(_l("Name, province, region or tax code"), validators=[Length(max=200)])


class MergeForm(FlaskForm):
    into = SelectField(
        _l("Merge into"),
        coerce=int,
        validators=[InputRequired()],
        description=_l(
            "The organisation that stays: this one's members move to it, and this one is deleted."
        ),
    )
    confirm = BooleanField(
        _l("I checked that both are the same organisation."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )

    def __init__(self, organisation: Organisation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.into.choices = [
            (organisation_id, name)
            for organisation_id, name in organisations.choices()
            if organisation_id != organisation.id
        ]
