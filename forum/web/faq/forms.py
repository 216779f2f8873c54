"""Forms of the FAQ's curation: promoting an answer, editing an entry, one-click actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from forum.content_language import topic_name
from forum.services.faq import DIRECTIONS, MAX_QUESTION_LENGTH
from forum.web.forms import MAX_BODY_LENGTH, RenderableMarkdown, edit_note_field
from forum.web.markdown_preview import PreviewableForm


class FaqEntryForm(PreviewableForm):
    """The question, the answer and the topic of an entry, as readers of /faq will see them."""

    question_text = StringField(
        _l("Question"),
        description=_l(
            "As the FAQ shows it: general, without names of people, companies or devices."
        ),
        validators=[
            DataRequired(message=_l("Write the question as the FAQ will show it.")),
            Length(max=MAX_QUESTION_LENGTH),
        ],
    )
    answer_text = TextAreaField(
        _l("Answer"),
        description=_l(
            "Markdown is allowed. Cite the rules as, for example, MDR Art. 70 or "
            "ISO 14155 Annex A: each citation links to its clause page."
        ),
        validators=[
            DataRequired(message=_l("Write the answer as the FAQ will show it.")),
            Length(max=MAX_BODY_LENGTH),
            RenderableMarkdown(),
        ],
    )
    topic = SelectField(
        _l("Topic"), coerce=int, validators=[DataRequired(message=_l("Choose a topic."))]
    )

    def set_topic_choices(self, topics) -> None:
        self.topic.choices = [(topic.id, topic_name(topic).text) for topic in topics]


class PromoteForm(FaqEntryForm):
    pass


class EditEntryForm(FaqEntryForm):
    note = edit_note_field()


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(DIRECTIONS)])
