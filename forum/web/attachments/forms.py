"""The file field of the forms that take attachments (ask, edit, answer, guide proposal).

Each file is checked as the form is validated (``services/attachments.check``: its
type from its content, its size), so a refused file gets its message beside the
field with the rest of the form kept. A browser cannot put files back into a form
it is shown again: the field then names the files chosen and asks for them again.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from wtforms import MultipleFileField, ValidationError
from wtforms.fields.choices import SelectChoice

from forum import file_types
from forum.services import attachments
from forum.services.errors import RuleViolation
from forum.web.attachments import display
from forum.web.forms import CheckboxListField

ACCEPT = ",".join(
    sorted({f".{file_type.extension}" for file_type in file_types.ALL_TYPES} | {".jpeg"})
)


class AttachmentsField(MultipleFileField):
    """Several files, each checked; ``uploads`` holds them once the form is valid."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("render_kw", {"accept": ACCEPT})
        super().__init__(label or _l("Attach files"), **kwargs)
        self.uploads: list[attachments.Upload] = []

    @property
    def description(self):
        return _l(
            "Optional: PDF, Word, Excel, PowerPoint or OpenDocument files, PNG, JPEG, GIF or "
            "WebP images; at most %(count)d files per text, %(megabytes)s MB each.",
            count=attachments.per_text(),
            megabytes=attachments.max_file_megabytes(),
        )

    @description.setter
    def description(self, _value) -> None:  # set by Field.__init__; the property says it
        pass

    @property
    def sent(self) -> list[FileStorage]:
        return [item for item in self.data or () if isinstance(item, FileStorage) and item.filename]

    @property
    def chosen_names(self) -> list[str]:
        """The names of the files sent, to ask for them again when the form comes back."""
        return [file_types.clean_base(item.filename) for item in self.sent]

    def pre_validate(self, form) -> None:
        sent = self.sent
        if len(sent) > attachments.per_text():
            raise ValidationError(
                _l(
                    "Attach at most %(limit)d files to one text.",
                    limit=attachments.per_text(),
                )
            )
        uploads, problems = [], []
        for item in sent:
            try:
                uploads.append(attachments.check(item.filename, item.stream))
            except RuleViolation as error:
                problems.append(str(error.message))
        if problems:
            raise ValidationError(" ".join(problems))
        self.uploads = uploads


def removal_field() -> CheckboxListField:
    """The edit forms' list of the text's files, each with a box to remove it; only the
    text's own files are choices, so another id sent is refused beside the field."""
    return CheckboxListField(_l("Remove attached files"), coerce=int, validate_choice=True)


def set_removal_choices(field: CheckboxListField, files) -> None:
    field.choices = [
        SelectChoice(
            item.id,
            f"{item.name} ({display.type_label(item.content_type)}, "
            f"{display.size_label(item.size)})",
        )
        for item in files
    ]
