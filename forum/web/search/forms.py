"""The search form: a GET form read from the query string (no CSRF: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from forum.content_language import topic_name
from forum.labels import STATUS_LABELS
from forum.services.search.finder import KINDS

KIND_LABELS = {
    "question": _l("Questions"),
    "answer": _l("Answers"),
    "board-answer": _l("Board answers"),
    "faq": _l("FAQ"),
    "guide": _l("Guide"),
}
# One item of a kind, for the label beside a result.
KIND_LABEL = {
    "question": _l("Question"),
    "answer": _l("Answer"),
    "board-answer": _l("Board answer"),
    "faq": _l("FAQ entry"),
    "guide": _l("Guide section"),
}


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    # No length limit: any query is accepted and the service reads what it can use.
    q = SearchField(_l("Search for"), validators=[Optional()])
    kind = SelectField(
        _l("Kind"),
        validators=[Optional()],
        choices=[SelectChoice("", _l("Everything"))]
        + [SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS],
    )
    topic = SelectField(
        _l("Topic"), validators=[Optional()], choices=[SelectChoice("", _l("Any topic"))]
    )
    status = SelectField(
        _l("Question status"),
        validators=[Optional()],
        choices=[SelectChoice("", _l("Any status"))]
        + [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
    )
    since = DateField(
        _l("From"),
        name="from",
        format="%Y-%m-%d",
        validators=[Optional()],
        description=_l("YYYY-MM-DD"),
    )
    until = DateField(
        _l("To"),
        name="to",
        format="%Y-%m-%d",
        validators=[Optional()],
        description=_l("YYYY-MM-DD, included"),
    )

    def set_topics(self, topics) -> None:
        self.topic.choices = [SelectChoice("", _l("Any topic"))] + [
            SelectChoice(topic.slug, topic_name(topic).text) for topic in topics
        ]

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
