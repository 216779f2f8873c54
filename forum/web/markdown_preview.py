"""Previewing Markdown before it is saved, with or without JavaScript: one form base class.

A form whose class is ``PreviewableForm`` gets a "Preview" button under each of its
Markdown fields (those checked by ``RenderableMarkdown``; ``templates/macros/forms.html``
draws it). The button submits the form with ``preview`` set: ``validate_on_submit``
then renders each Markdown field's text as its page would show it (or puts the
renderer's refusal beside the field), saves nothing and answers False, so the view
shows the form again with every typed value kept, as after a refused submission.
The status is 200 (``register``), not the 422 of a form with errors, unless a text
was refused. CSRF is checked before the view, as for any POST (CSRFProtect).

With JavaScript, ``static/js/markdown-preview.js`` sends only the text to
``POST /preview`` (``forum/web/preview/routes.py``) and shows the answer in place.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.validators import Length

from forum import markdown_limits
from forum.markdown_render import render_markdown

# The name of the Preview button: a submitted form carrying it is only to be shown again.
PREVIEW_FIELD = "preview"


class PreviewableForm(FlaskForm):
    """A form with Markdown fields whose text can be previewed before it is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.markdown_fields():
            field.previewable = True  # the field macro draws the button and the region
            field.preview_html = None

    def markdown_fields(self) -> list:
        return [field for field in self if getattr(field.flags, "markdown", False)]

    def is_preview(self) -> bool:
        return self.is_submitted() and PREVIEW_FIELD in request.form

    def validate_on_submit(self, extra_validators=None) -> bool:
        if not self.is_preview():
            return super().validate_on_submit(extra_validators)
        refused = False
        for field in self.markdown_fields():
            problem = _too_long(self, field) or markdown_limits.problem(field.data)
            if problem is not None:
                field.errors = [*field.process_errors, str(problem)]
                refused = True
            else:
                field.preview_html = render_markdown(field.data)
        g.markdown_preview = not refused
        return False


def _too_long(form, field) -> str | None:
    """The field's own length message for a text over its maximum (not for one too short:
    a draft being previewed may be), else None."""
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max != -1:
            if field.data and len(field.data) > validator.max:
                try:
                    validator(form, field)
                except ValidationError as error:
                    return str(error)
    return None


def _first_preview_on_the_page() -> bool:
    """True once per request: the page's first preview region loads the script, so pages
    without a Markdown field carry no script at all."""
    first = not g.get("markdown_preview_script")
    g.markdown_preview_script = True
    return first


def register(app: Flask) -> None:
    app.jinja_env.globals["first_markdown_preview"] = _first_preview_on_the_page

    @app.after_request
    def _preview_is_not_an_error(response):
        # The view answered 422 as for a form with errors; a preview shown is no error.
        if g.get("markdown_preview") and response.status_code == 422:
            response.status_code = 200
        return response
