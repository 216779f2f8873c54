"""Forms for curating the guide: editing and adding sections, proposals, releases."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from forum.labels import STANCE_KIND_LABELS, release_kind_choices
from forum.models import ReleaseKind
from forum.services.guide.markdown import MAX_TITLE_LENGTH
from forum.services.guide.tree import CurrentGuide
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES
from forum.web.attachments.forms import AttachmentsField
from forum.web.forms import MAX_BODY_LENGTH, RenderableMarkdown, edit_note_field
from forum.web.markdown_preview import PreviewableForm

MAX_NOTES_LENGTH = 5_000


def _title_field() -> StringField:
    return StringField(
        _l("Title"),
        description=_l("The heading; it also names the section's anchor in links."),
        validators=[DataRequired(), Length(max=MAX_TITLE_LENGTH)],
    )


def _body_field() -> TextAreaField:
    return TextAreaField(
        _l("Text"),
        description=_l(
            "Markdown. Cite each rule with its source, for example [MDR Art. 70]. "
            "No headings: add a section or subsection instead."
        ),
        validators=[Optional(), Length(max=MAX_BODY_LENGTH), RenderableMarkdown()],
        render_kw={"rows": 18},
    )


class SectionForm(PreviewableForm):
    """Editing a section (or the guide's title and introduction)."""

    title = _title_field()
    body = _body_field()
    note = edit_note_field()
    # The revision the editor started from: saving over a newer one is a conflict.
    base_number = IntegerField(widget=HiddenInput(), validators=[Optional()])


class NewSectionForm(PreviewableForm):
    placement = SelectField(_l("Where"), validators=[DataRequired()])
    title = _title_field()
    body = _body_field()
    note = edit_note_field()

    def set_placements(self, guide: CurrentGuide) -> None:
        self.placement.choices = placement_choices(guide)


class ReleaseForm(FlaskForm):
    kind = SelectField(
        _l("What it is"),
        choices=release_kind_choices,
        default=ReleaseKind.EDITION.value,
        description=_l(
            "The action plan asks for a first version, then a final one; "
            "later releases are editions."
        ),
    )
    version = StringField(
        _l("Version"),
        description=_l("Two numbers: 1.1 for corrections and additions, 2.0 for a new edition."),
        validators=[DataRequired(), Length(max=20)],
    )
    notes = TextAreaField(
        _l("Release notes"),
        description=_l("What changed and why; shown in the changelog."),
        validators=[DataRequired(), Length(max=MAX_NOTES_LENGTH)],
        render_kw={"rows": 5},
    )


class ReleaseStanceForm(FlaskForm):
    """An expert's stance on a draft release."""

    kind = RadioField(
        _l("Your stance"),
        validators=[DataRequired()],
        choices=lambda: [(kind.value, label) for kind, label in STANCE_KIND_LABELS.items()],
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed for a dissent; shown with the release."),
        validators=[Optional(), Length(max=MAX_NOTES_LENGTH)],
        render_kw={"rows": 3},
    )


class ProposalForm(PreviewableForm):
    """An expert's proposed text for a section, in English or as its translation."""

    language = HiddenField(
        default=SOURCE_LANGUAGE, validators=[AnyOf((SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES))]
    )
    title = _title_field()
    body = _body_field()
    note = StringField(
        _l("Why this change?"),
        description=_l("Optional; the admins read it, and it becomes the revision's note."),
        validators=[Optional(), Length(max=300)],
    )
    attachments = AttachmentsField()


class DecisionForm(FlaskForm):
    """An admin's note on accepting or declining a proposal (needed to decline)."""

    note = TextAreaField(
        _l("Note to the expert"),
        description=_l("Optional when accepting; say why when declining."),
        validators=[Optional(), Length(max=2_000)],
        render_kw={"rows": 3},
    )


# --- where a new section goes ---------------------------------------------------
# One list of every place in the document, so no script is needed to pick the
# parent first and the neighbour second. "start" is the first section of the
# guide, "start-<id>" the first subsection of section <id>, "after-<id>" right
# after section or subsection <id> (at its level).


def placement_choices(guide: CurrentGuide) -> list[tuple[str, str]]:
    choices = [("start", str(_l("At the start of the guide, as a section")))]
    for node in guide.sections:
        choices.append(
            (
                f"start-{node.section.id}",
                str(_l("In “%(title)s”, as its first subsection", title=node.title)),
            )
        )
        for child in node.children:
            choices.append(
                (
                    f"after-{child.section.id}",
                    str(
                        _l(
                            "In “%(parent)s”, after the subsection “%(title)s”",
                            parent=node.title,
                            title=child.title,
                        )
                    ),
                )
            )
        choices.append(
            (
                f"after-{node.section.id}",
                str(_l("After the section “%(title)s”, as a section", title=node.title)),
            )
        )
    return choices


def resolve_placement(guide: CurrentGuide, key: str):
    """(parent, after) for ``add_section`` from a placement key; None if the key is unknown."""
    nodes = {node.section.id: node for node in guide.walk()}
    if key == "start":
        return None, None
    kind, _, number = (key or "").partition("-")
    node = nodes.get(int(number)) if number.isdigit() else None
    if node is None or kind not in ("start", "after"):
        return None
    if kind == "start":
        return node.section, None
    parent = node.section.parent_id
    return (None if parent == guide.root.id else nodes[parent].section), node.section


def default_placement(guide: CurrentGuide) -> str:
    """A new section goes last, unless the admin chose otherwise."""
    return f"after-{guide.sections[-1].section.id}" if guide.sections else "start"
