"""The review report's form: the action plan's targets and the narrative for a period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from forum.services.review.report import MAX_NARRATIVE_LENGTH, MAX_TARGET
from forum.web.forms import RenderableMarkdown
from forum.web.markdown_preview import PreviewableForm


def _target(label):
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=MAX_TARGET,
                message=_l("A target is a whole number from 0 to %(max)d.", max=MAX_TARGET),
            ),
        ],
    )


def _narrative(label, description):
    return TextAreaField(
        label,
        description=description,
        validators=[Optional(), Length(max=MAX_NARRATIVE_LENGTH), RenderableMarkdown()],
    )


class ReportForm(PreviewableForm):
    target_visits = _target(_l("Target: visits (unique visitors, sum of the days)"))
    target_questions_answered = _target(_l("Target: questions answered"))
    target_trials = _target(_l("Target: clinical trials facilitated"))
    summary = _narrative(
        _l("Summary"),
        _l("The period in a few sentences, for page 1 of the report. Markdown is allowed."),
    )
    highlights = _narrative(_l("Highlights"), _l("What went well, what did not, and why."))
    next_steps = _narrative(_l("Next steps"), _l("What the centre will do in the next period."))
