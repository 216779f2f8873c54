"""Forms of the survey: building it (admins) and answering it (built from its items)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.content_language import Localized, reader_language
from forum.labels import LIKERT_LABELS, survey_item_kind_choices
from forum.models import Survey, SurveyItem, SurveyItemKind
from forum.services import survey as surveys
from forum.services import survey_translation
from forum.web.forms import CheckboxListField, RenderableMarkdown
from forum.web.markdown_preview import PreviewableForm


class SurveyForm(PreviewableForm):
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
    kind = SelectField(
        _l("Kind of question"),
        choices=survey_item_kind_choices,
        coerce=_kind_or_text,
        default=SurveyItemKind.LIKERT.value,
    )
    prompt = StringField(
        _l("Question"),
        description=_l("For an agreement scale, write a statement to agree or disagree with."),
        validators=[DataRequired(), Length(max=surveys.MAX_PROMPT)],
    )
    options = TextAreaField(
        _l("Options"),
        description=_l(
            "Single and multiple choice only: one option per line, %(least)d to %(most)d options.",
            least=surveys.MIN_OPTIONS,
            most=surveys.MAX_OPTIONS,
        ),
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
        return cls(
            kind=item.kind.value,
            prompt=item.prompt,
            options=item.options,
            required=item.required,
            **kwargs,
        )


class LinksForm(PreviewableForm):
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
    return [
        (value, _l("%(value)s: %(label)s", value=value, label=label))
        for value, label in LIKERT_LABELS.items()
    ]


def _nps_choices():
    return [(str(value), str(value)) for value in surveys.NPS_VALUES]


def _option_choices(item: SurveyItem):
    def choices():
        return [(value, _marked(text)) for value, text in survey_translation.item_options(item)]

    return choices


def _marked(text: Localized):
    """A label in the reader's language, or the English in a lang="en" span."""
    if text.lang == reader_language():
        return text.text
    return Markup('<span lang="%s">%s</span>') % (text.lang, text.text)


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
            _l(
                "The centre may quote my written answers, without my name, "
                "in its review and reports."
            ),
            default=False,
        )
    kwargs = {} if formdata is None else {"formdata": formdata}
    return AnswerForm(**kwargs)


def answers_from(form: FlaskForm, survey: Survey) -> dict[int, object]:
    """The raw answers by item id, as the service takes them."""
    return {item.id: form[item_field_name(item)].data for item in survey.items}


def _field_for(item: SurveyItem):
    prompt = _marked(survey_translation.item_prompt(item))
    hint = _l("Required.") if item.required else _l("Optional.")
    if item.kind == SurveyItemKind.LIKERT:
        return RadioField(prompt, description=hint, validate_choice=False, choices=_likert_choices)
    if item.kind == SurveyItemKind.NPS:
        return RadioField(
            prompt,
            validate_choice=False,
            description=_l("%(hint)s 0 means not at all likely, 10 extremely likely.", hint=hint),
            choices=_nps_choices,
        )
    options = _option_choices(item)
    if item.kind == SurveyItemKind.SINGLE:
        return RadioField(prompt, description=hint, validate_choice=False, choices=options)
    if item.kind == SurveyItemKind.MULTIPLE:
        return CheckboxListField(
            prompt,
            validate_choice=False,
            description=_l("%(hint)s Tick all that apply.", hint=hint),
            choices=options,
        )
    return TextAreaField(
        prompt,
        render_kw={"maxlength": surveys.MAX_TEXT_ANSWER},
        description=_l(
            "%(hint)s At most %(most)d characters.", hint=hint, most=surveys.MAX_TEXT_ANSWER
        ),
    )


def translation_form(survey: Survey, formdata=None) -> FlaskForm:
    """The Italian of the survey beside its English: the title, the introduction, and
    per item its prompt and (choice items) its options, one per line."""

    class TranslationForm(PreviewableForm):
        title_it = StringField(
            _l("Title in Italian"), validators=[Optional(), Length(max=surveys.MAX_TITLE)]
        )
        description_it = TextAreaField(
            _l("Introduction in Italian"),
            validators=[Optional(), Length(max=surveys.MAX_DESCRIPTION), RenderableMarkdown()],
        )
        confirm_current = BooleanField(
            _l("The Italian says what the current English says (clears the outdated marks)"),
            default=False,
        )

    for item in survey.items:
        setattr(
            TranslationForm,
            f"prompt_it-{item.id}",
            StringField(
                _l("Question in Italian"),
                validators=[Optional(), Length(max=surveys.MAX_PROMPT)],
            ),
        )
        if item.kind in surveys.CHOICE_KINDS:
            setattr(
                TranslationForm,
                f"options_it-{item.id}",
                TextAreaField(
                    _l("Options in Italian"),
                    description=_l("One per line, in the order of the English options."),
                    validators=[
                        Optional(),
                        Length(max=surveys.MAX_OPTIONS * (surveys.MAX_OPTION + 2)),
                    ],
                ),
            )
    if formdata is not None:
        return TranslationForm(formdata=formdata)
    form = TranslationForm(
        data={"title_it": survey.title_it, "description_it": survey.description_it}
    )
    for item in survey.items:
        form[f"prompt_it-{item.id}"].data = item.prompt_it
        if item.kind in surveys.CHOICE_KINDS:
            form[f"options_it-{item.id}"].data = item.options_it
    return form


def translation_from(form: FlaskForm, survey: Survey) -> survey_translation.SurveyTranslation:
    items = {}
    for item in survey.items:
        options = form[f"options_it-{item.id}"].data if f"options_it-{item.id}" in form else ""
        items[item.id] = survey_translation.ItemTranslation(
            prompt_it=form[f"prompt_it-{item.id}"].data or "",
            options_it=tuple((options or "").splitlines()),
        )
    return survey_translation.SurveyTranslation(
        title_it=form.title_it.data or "",
        description_it=form.description_it.data or "",
        items=items,
        confirm_current=bool(form.confirm_current.data),
    )
