"""Forms of the survey: building it (admins) and answering it (built from its items)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.labels import LIKERT_LABELS, survey_item_kind_choices
from forum.models import Survey, SurveyItem, SurveyItemKind
from forum.services import survey as surveys
from forum.web.forms_support import RenderableMarkdown
from forum.web.questions.forms import CheckboxListField


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=surveys.MAX_TITLE)])
    description = TextAreaField(
        _l("Introduction"),
        description=_l("Shown above the questions: what the survey is for, how long it takes."),
        validators=[Optional(), Length(max=surveys.MAX_DESCRIPTION), RenderableMarkdown()],
    )


def _kind_or_text(value):
    """The kind, or the unknown text itself, which then fails as "Not a valid choice"."""
    if isinstance(value, SurveyItemKind) or value is None:
        return value
    return SurveyItemKind(value) if value in set(SurveyItemKind) else value


class ItemForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), choices=survey_item_kind_choices,
                       coerce=_kind_or_text, default=SurveyItemKind.LIKERT.value)
    prompt = StringField(
        _l("Question"),
        description=_l("For an agreement scale, write a statement to agree or disagree with."),
        validators=[DataRequired(), Length(max=surveys.MAX_PROMPT)],
    )
    options = TextAreaField(
        _l("Options"),
        description=_l("Single and multiple choice only: one option per line, "
                       "%(least)d to %(most)d options.",
                       least=surveys.MIN_OPTIONS, most=surveys.MAX_OPTIONS),
        validators=[Optional(), Length(max=surveys.MAX_OPTIONS * (surveys.MAX_OPTION + 2))],
    )
    required = BooleanField(_l("An answer is required"), default=True)

    def draft(self) -> surveys.ItemDraft:
        return surveys.ItemDraft(
            kind=self.kind.data,
            prompt=self.prompt.data or "",
            options=tuple((self.options.data or "").splitlines()),
            required=bool(self.required.data),
        )

    @classmethod
    def for_item(cls, item: SurveyItem, **kwargs) -> ItemForm:
        return cls(kind=item.kind.value, prompt=item.prompt, options=item.options,
                   required=item.required, **kwargs)


class LinksForm(FlaskForm):
    count = IntegerField(
        _l("How many links"),
        description=_l("Each link can be used once, by one person, without an account."),
        validators=[InputRequired(), NumberRange(min=1, max=surveys.MAX_LINKS_PER_BATCH)],
        default=10,
    )
    label = StringField(
        _l("Label"),
        description=_l("Optional, for your own records: where the links are handed out."),
        validators=[Optional(), Length(max=surveys.MAX_LABEL)],
    )


# Choices as callables, as in the other forms: read in the request's language.
def _likert_choices():
    return [(value, _l("%(value)s: %(label)s", value=value, label=label))
            for value, label in LIKERT_LABELS.items()]


def _nps_choices():
    return [(str(value), str(value)) for value in surveys.NPS_VALUES]


def _option_choices(options: list[str]):
    def choices():
        return [(option, option) for option in options]
    return choices


def item_field_name(item: SurveyItem) -> str:
    return f"item_{item.id}"


def answer_form(survey: Survey, formdata=None) -> FlaskForm:
    """A form with one field per item, in the survey's order, and the quoting consent
    when there is free text. The service validates the answers; the form only reads them."""

    class AnswerForm(FlaskForm):
        pass

    for item in survey.items:
        setattr(AnswerForm, item_field_name(item), _field_for(item))
    if any(item.kind == SurveyItemKind.TEXT for item in survey.items):
        AnswerForm.quote_consent = BooleanField(
            _l("The centre may quote my written answers, without my name, "
               "in its review and reports."),
            default=False,
        )
    kwargs = {} if formdata is None else {"formdata": formdata}
    return AnswerForm(**kwargs)


def answers_from(form: FlaskForm, survey: Survey) -> dict[int, object]:
    """The raw answers by item id, as the service takes them."""
    return {item.id: form[item_field_name(item)].data for item in survey.items}


def _field_for(item: SurveyItem):
    hint = _l("Required.") if item.required else _l("Optional.")
    if item.kind == SurveyItemKind.LIKERT:
        return RadioField(item.prompt, description=hint, validate_choice=False,
                          choices=_likert_choices)
    if item.kind == SurveyItemKind.NPS:
        return RadioField(
            item.prompt, validate_choice=False,
            description=_l("%(hint)s 0 means not at all likely, 10 extremely likely.", hint=hint),
            choices=_nps_choices,
        )
    options = _option_choices(item.option_list)
    if item.kind == SurveyItemKind.SINGLE:
        return RadioField(item.prompt, description=hint, validate_choice=False, choices=options)
    if item.kind == SurveyItemKind.MULTIPLE:
        return CheckboxListField(
            item.prompt, validate_choice=False,
            description=_l("%(hint)s Tick all that apply.", hint=hint),
            choices=options,
        )
    return TextAreaField(item.prompt, render_kw={"maxlength": surveys.MAX_TEXT_ANSWER},
                         description=_l("%(hint)s At most %(most)d characters.",
                                        hint=hint, most=surveys.MAX_TEXT_ANSWER))
