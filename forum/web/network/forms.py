"""The network directory's forms: the directory's filters, a profile, a new profile for an
admin (an organisation picked or described, then its profile), the import's upload and a
vocabulary term."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from forum.labels import network_region_choices, organisation_kind_choices
from forum.models import NetworkRegion, OrganisationKind
from forum.services import network_directory as directory
from forum.services import network_import, network_vocabulary
from forum.services.errors import RuleViolation
from forum.services.network_directory import DirectoryFilters, ProfileDraft
from forum.services.network_vocabulary import Vocabulary
from forum.web.forms import CheckboxListField, attach_error
from forum.web.organisations.forms import PickOrganisationForm

ANY = ""


def _optional_int(value):
    return int(value) if value not in (None, "", "None") and str(value).isdigit() else None


def _optional_enum(enum):
    def coerce(value):
        return enum(value) if value in set(enum) else None

    return coerce


class DirectoryFilterForm(FlaskForm):
    """The directory's filters (a GET search: no CSRF; an unknown choice is refused)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name contains"), validators=[Optional(), Length(max=directory.MAX_QUERY)])
    region = SelectField(_l("Region"), coerce=_optional_enum(NetworkRegion), default=ANY)
    kind = SelectField(_l("Kind"), coerce=_optional_enum(OrganisationKind), default=ANY)
    specialisation = SelectField(_l("Specialisation"), coerce=_optional_int, default=ANY)
    offer = SelectField(_l("Offers"), coerce=_optional_int, default=ANY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        everything = (ANY, _l("Any"))
        self.region.choices = [everything, *network_region_choices()]
        self.kind.choices = [everything, *organisation_kind_choices()]
        self.specialisation.choices = [
            everything,
            *network_vocabulary.choices(Vocabulary.SPECIALISATIONS, locale),
        ]
        self.offer.choices = [
            everything,
            *network_vocabulary.choices(Vocabulary.CAPABILITIES, locale),
        ]

    def filters(self) -> DirectoryFilters:
        return DirectoryFilters(
            region=self.region.data,
            kind=self.kind.data,
            specialisation_id=self.specialisation.data,
            offer_id=self.offer.data,
            query=self.q.data or "",
        )


class ProfileFieldsForm(FlaskForm):
    """A profile's fields; the terms are listed in the reader's language."""

    region = SelectField(
        _l("Region"),
        choices=network_region_choices,
        coerce=_optional_enum(NetworkRegion),
        validators=[InputRequired(message=_l("Choose the region."))],
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=directory.MAX_CITY)])
    listed = BooleanField(
        _l("Show this profile in the public directory"),
        description=_l(
            "Only when the organisation agrees. Unlisted, the profile is seen by its own "
            "people and the admins only."
        ),
    )
    description = TextAreaField(
        _l("What the organisation does"),
        validators=[Optional(), Length(max=directory.MAX_TEXT)],
    )
    specialisations = CheckboxListField(_l("Specialisations"), coerce=int)
    offers = CheckboxListField(_l("What it offers"), coerce=int)
    offer_text = TextAreaField(
        _l("Its offer in its own words"), validators=[Optional(), Length(max=directory.MAX_TEXT)]
    )
    needs = CheckboxListField(_l("What it seeks"), coerce=int)
    need_text = TextAreaField(
        _l("What it seeks, in its own words"),
        validators=[Optional(), Length(max=directory.MAX_TEXT)],
    )
    contact_name = StringField(
        _l("Contact person"),
        description=_l("Shown to signed-in members of the network only."),
        validators=[Optional(), Length(max=directory.MAX_CONTACT_NAME)],
    )
    contact_email = StringField(
        _l("Contact e-mail"), validators=[Optional(), Length(max=directory.MAX_EMAIL)]
    )
    contact_phone = StringField(
        _l("Contact phone"), validators=[Optional(), Length(max=directory.MAX_PHONE)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        specialisations = network_vocabulary.choices(Vocabulary.SPECIALISATIONS, locale)
        capabilities = network_vocabulary.choices(Vocabulary.CAPABILITIES, locale)
        self.specialisations.choices = specialisations
        self.offers.choices = capabilities
        self.needs.choices = capabilities

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the service's (an address, a phone number), so every
        message is shown at once; a field refused already keeps its first message."""
        valid = super().validate(extra_validators)
        if self.region.data is None:
            return False
        for problem in directory.problems(self.profile_draft()):
            if not self._field_of(problem).errors:
                self.show_profile_error(problem)
            valid = False
        return valid

    def _field_of(self, error: RuleViolation):
        by_draft_field = {
            "specialisation_ids": self.specialisations,
            "offer_ids": self.offers,
            "need_ids": self.needs,
        }
        target = by_draft_field.get(error.field or "") or getattr(self, error.field or "", None)
        return target if target is not None else self.region

    def show_profile(self, draft: ProfileDraft) -> None:
        """Fill the fields with a saved profile (the edit page's first view)."""
        self.region.data = draft.region
        for name in (
            "city",
            "listed",
            "description",
            "offer_text",
            "need_text",
            "contact_name",
            "contact_email",
            "contact_phone",
        ):
            getattr(self, name).data = getattr(draft, name)
        self.specialisations.data = draft.specialisation_ids
        self.offers.data = draft.offer_ids
        self.needs.data = draft.need_ids

    def profile_draft(self) -> ProfileDraft:
        return ProfileDraft(
            region=self.region.data,
            city=self.city.data or "",
            listed=bool(self.listed.data),
            description=self.description.data or "",
            offer_text=self.offer_text.data or "",
            need_text=self.need_text.data or "",
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            specialisation_ids=list(self.specialisations.data or []),
            offer_ids=list(self.offers.data or []),
            need_ids=list(self.needs.data or []),
        )

    def show_profile_error(self, error: RuleViolation) -> None:
        attach_error(self._field_of(error), error.message)


class NewProfileForm(PickOrganisationForm, ProfileFieldsForm):
    """An admin's new profile: the organisation picked from the list or described, then
    the profile's fields."""

    def show_error(self, error: RuleViolation) -> None:
        field = error.field or ""
        if field.startswith("organisation."):
            super().show_error(RuleViolation(error.message, field=field.split(".", 1)[1]))
        elif field == "organisation":
            attach_error(self.organisation, error.message)
        else:
            self.show_profile_error(error)


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "UTF-8, with a header row; commas or semicolons. At most %(megabytes)s MB.",
            megabytes=network_import.MAX_FILE_BYTES // (1024 * 1024),
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    dry_run = BooleanField(
        _l("Check only: show the report and save nothing"),
        default=True,
    )

    def validate_file(self, field) -> None:
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            raise ValidationError(_l("Choose the file to import."))
        data = upload.stream.read(network_import.MAX_FILE_BYTES + 1)
        if len(data) > network_import.MAX_FILE_BYTES:
            raise ValidationError(
                _l(
                    "The file is too large: at most %(megabytes)s MB.",
                    megabytes=network_import.MAX_FILE_BYTES // (1024 * 1024),
                )
            )
        field.content = data


class TermForm(FlaskForm):
    name_en = StringField(
        _l("Name in English"),
        validators=[InputRequired(), Length(max=network_vocabulary.MAX_NAME)],
    )
    name_it = StringField(
        _l("Name in Italian"),
        validators=[InputRequired(), Length(max=network_vocabulary.MAX_NAME)],
    )
