"""Forms for asking, answering, commenting and editing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from forum.content_language import topic_name
from forum.labels import device_class_choices, stage_choices, visibility_choices
from forum.models import DevelopmentStage, DeviceClass, Visibility
from forum.services.answers import (
    ANSWER_MAX_LENGTH,
    ANSWER_MIN_LENGTH,
    COMMENT_MAX_LENGTH,
    COMMENT_MIN_LENGTH,
)
from forum.services.questions import (
    BODY_MAX_LENGTH,
    BODY_MIN_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
)
from forum.web.attachments.forms import AttachmentsField, removal_field
from forum.web.forms import (
    CheckboxListField,
    RenderableMarkdown,
    edit_note_field,
    project_field,
    set_project_choices,
    written_language_field,
)


class QuestionForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("One sentence: what do you need to know?"),
        validators=[DataRequired(), Length(min=TITLE_MIN_LENGTH, max=TITLE_MAX_LENGTH)],
    )
    body = TextAreaField(
        _l("Your question"),
        description=_l(
            "Describe the device, its stage and what you have tried. Markdown is allowed."
        ),
        validators=[
            DataRequired(),
            Length(min=BODY_MIN_LENGTH, max=BODY_MAX_LENGTH),
            RenderableMarkdown(),
        ],
    )
    topics = CheckboxListField(
        _l("Topics"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one topic."))],
    )
    device_class = SelectField(
        _l("Device class"),
        choices=device_class_choices,
        coerce=DeviceClass,
        validators=[DataRequired()],
    )
    stage = SelectField(
        _l("Development stage"),
        choices=stage_choices,
        coerce=DevelopmentStage,
        validators=[DataRequired()],
    )
    visibility = RadioField(
        _l("Visibility"),
        choices=visibility_choices,
        coerce=Visibility,
        default=Visibility.PUBLIC.value,
        validators=[DataRequired()],
    )
    project = project_field(
        _l(
            "If the question is for one of your organisation's funded "
            "projects: the project's page lists it for its team and "
            "the board."
        )
    )
    language = written_language_field()
    attachments = AttachmentsField()

    def set_topic_choices(self, topics) -> None:
        self.topics.choices = [(topic.id, topic_name(topic).text) for topic in topics]

    def set_project_choices(self, projects) -> None:
        set_project_choices(self.project, projects)


class EditQuestionForm(QuestionForm):
    remove_attachments = removal_field()
    note = edit_note_field()


class AnswerForm(FlaskForm):
    body = TextAreaField(
        _l("Your answer"),
        description=_l(
            "Cite the rule that applies (for example MDR Art. 70). Markdown is allowed."
        ),
        validators=[
            DataRequired(),
            Length(min=ANSWER_MIN_LENGTH, max=ANSWER_MAX_LENGTH),
            RenderableMarkdown(),
        ],
    )
    language = written_language_field()
    attachments = AttachmentsField()


class EditAnswerForm(AnswerForm):
    remove_attachments = removal_field()
    note = edit_note_field()


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[
            DataRequired(),
            Length(min=COMMENT_MIN_LENGTH, max=COMMENT_MAX_LENGTH),
            RenderableMarkdown(),
        ],
    )
    language = written_language_field()
    answer_id = HiddenField()
