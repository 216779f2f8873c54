"""The expert's own profile form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.content_language import topic_name
from forum.web.forms import CheckboxListField, RenderableMarkdown, written_language_field
from forum.web.markdown_preview import PreviewableForm

MAX_BIO_LENGTH = 5_000
MAX_CONFLICTS_LENGTH = 2_000


class ExpertProfileForm(PreviewableForm):
    bio = TextAreaField(
        _l("Short bio"),
        description=_l("Your background and what you can help with. Markdown is allowed."),
        validators=[Optional(), Length(max=MAX_BIO_LENGTH), RenderableMarkdown()],
    )
    conflicts = TextAreaField(
        _l("Declaration of interests"),
        description=_l(
            "Shown beside each of your answers with the date you declared it: "
            "consultancies, funding, shares, employers in the medtech sector. "
            "Write \u201cNone declared\u201d if there is nothing to declare."
        ),
        validators=[
            DataRequired(message=_l("Declare your interests, or write \u201cNone declared\u201d.")),
            Length(max=MAX_CONFLICTS_LENGTH),
        ],
    )
    language = written_language_field()
    topics = CheckboxListField(
        _l("Topics you follow"),
        description=_l(
            "New questions in these topics appear on your dashboard and in your notifications."
        ),
        coerce=int,
    )

    def set_topic_choices(self, topics) -> None:
        self.topics.choices = [(topic.id, topic_name(topic).text) for topic in topics]
