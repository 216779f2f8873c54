"""Files attached to questions, answers and guide proposals: checking, storing, reading, removing.

- ``check`` reads an uploaded file: its type from its bytes (``forum/file_types.py``),
  its size against ``ATTACHMENTS_MAX_FILE_BYTES``; a refusal is a RuleViolation on the
  form's ``attachments`` field.
- ``store`` writes checked files' bytes (before the transaction's first write: a row
  must never name bytes that are not there, and writing megabytes must not hold
  SQLite's write lock); ``add`` then gives them their rows on a text, inside the
  caller's transaction, at most ``ATTACHMENTS_PER_TEXT`` per text. If the transaction
  rolls back, the bytes written for it are removed.
- ``discard`` / ``discard_uploaded_by``: rows deleted in the caller's transaction, their
  bytes removed once it commits (a row rolled back keeps its bytes). A failure to
  remove bytes is logged, not raised: the text is gone either way, and an orphaned file
  is named by a random key that nothing links to.
- ``of_question_page`` (one query for a page's texts) and ``readable`` (one file, only
  for a reader who may see its text: the same rules as the text's own page).
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, event, func, or_, select
from sqlalchemy.orm import Session, selectinload

from forum import file_types
from forum.attachment_storage import new_key, storage
from forum.extensions import db
from forum.models import Answer, Attachment, GuideProposal, Question, User
from forum.models.generation import in_threads
from forum.permissions import can_read_guide_proposal, can_see_question, can_see_text
from forum.services.errors import RuleViolation

log = logging.getLogger(__name__)

FIELD = "attachments"
# Each owner model and its foreign key on Attachment.
OWNER_COLUMN = {
    Question: Attachment.question_id,
    Answer: Attachment.answer_id,
    GuideProposal: Attachment.guide_proposal_id,
}
# Keys in Session.info: bytes written in this transaction, bytes to remove after it.
_WRITTEN = "attachments_written"
_DISCARDED = "attachments_discarded"


@dataclass(frozen=True)
class Upload:
    """A checked file, ready to store."""

    name: str
    file_type: file_types.FileType
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_file_bytes() -> int:
    return current_app.config["ATTACHMENTS_MAX_FILE_BYTES"]


def per_text() -> int:
    return current_app.config["ATTACHMENTS_PER_TEXT"]


def max_file_megabytes() -> str:
    """The size limit in MB, written in the reader's locale ("10", "0,5")."""
    return format_decimal(max_file_bytes() / (1024 * 1024), format="0.##")


def accepted_extensions() -> list[str]:
    """The extensions the forms name (and offer in the file chooser's filter)."""
    return [file_type.extension for file_type in file_types.ALL_TYPES]


def check(filename: str, stream: IO[bytes]) -> Upload:
    """The file, if it is of an accepted type and small enough.

    Raises RuleViolation (field ``attachments``) naming the file otherwise.
    """
    limit = max_file_bytes()
    data = stream.read(limit + 1)
    shown = file_types.clean_base(filename) or "?"
    if len(data) > limit:
        raise RuleViolation(
            _l(
                "%(name)s is larger than %(megabytes)s MB.",
                name=shown,
                megabytes=max_file_megabytes(),
            ),
            field=FIELD,
        )
    if not data:
        raise RuleViolation(_l("%(name)s is empty.", name=shown), field=FIELD)
    file_type = file_types.identify(data)
    if file_type is None:
        raise RuleViolation(
            _l(
                "%(name)s is not a PDF, an Office or OpenDocument file, or a PNG, JPEG, "
                "GIF or WebP image (its content was checked, not its name).",
                name=shown,
            ),
            field=FIELD,
        )
    return Upload(file_types.safe_name(filename, file_type), file_type, data)


@dataclass(frozen=True)
class Stored:
    """A checked file whose bytes are in the store, waiting for its row."""

    key: str
    upload: Upload


def store(uploads: Iterable[Upload]) -> list[Stored]:
    """Write the files' bytes to the store, before the transaction's first write (writing
    megabytes must not hold SQLite's write lock); removed again if it rolls back.

    Raises RuleViolation (field ``attachments``) when the store fails.
    """
    target = storage()
    written = db.session.info.setdefault(_WRITTEN, [])
    stored = []
    for upload in uploads:
        key = new_key()
        written.append(key)  # first: a store that fails halfway leaves nothing behind
        try:
            target.put(key, io.BytesIO(upload.data))
        except Exception:  # a full disk, an unreachable bucket: the writer keeps their text
            log.exception("could not store an attachment in %s", target.describe())
            raise RuleViolation(
                _l("The files could not be stored just now; please try again in a moment."),
                field=FIELD,
            ) from None
        stored.append(Stored(key, upload))
    return stored


def add(owner, uploader: User, stored: Iterable[Stored]) -> list[Attachment]:
    """Attach stored files to ``owner`` (a question, an answer or a guide proposal); not
    committed.

    Raises RuleViolation (field ``attachments``) when the text would hold more than
    ``ATTACHMENTS_PER_TEXT`` files.
    """
    stored = list(stored)
    if not stored:
        return []
    db.session.flush()  # a new owner has its id
    column = OWNER_COLUMN[type(owner)]
    held = db.session.scalar(select(func.count()).where(column == owner.id)) or 0
    if held + len(stored) > per_text():
        raise RuleViolation(
            _l(
                "A text holds at most %(limit)d files; it has %(held)d already.",
                limit=per_text(),
                held=held,
            ),
            field=FIELD,
        )
    rows = []
    for item in stored:
        row = Attachment(
            uploader_id=uploader.id,
            name=item.upload.name,
            content_type=item.upload.file_type.content_type,
            size=len(item.upload.data),
            sha256=item.upload.sha256,
            storage_key=item.key,
        )
        setattr(row, column.key, owner.id)
        db.session.add(row)
        rows.append(row)
    return rows


def remove(owner, attachment_ids: Iterable[int]) -> None:
    """Take the named files off ``owner`` (others' ids are ignored); not committed."""
    ids = [int(attachment_id) for attachment_id in attachment_ids]
    if ids:
        _discard_where(
            OWNER_COLUMN[type(owner)] == owner.id,
            Attachment.id.in_(ids),
            threads=_threads_of_owner(owner),
        )


def _threads_of_owner(owner) -> tuple[int, ...]:
    """The question whose thread shows the owner's files; none for a guide proposal."""
    if isinstance(owner, Question):
        return (owner.id,)
    if isinstance(owner, Answer):
        return (owner.question_id,)
    return ()


def discard(model: type, ids: Iterable[int]) -> None:
    """Remove every file of these texts (removed, erased or deleted); not committed."""
    ids = list(ids)
    if ids:
        _discard_where(OWNER_COLUMN[model].in_(ids))


def discard_uploaded_by(user_id: int, question_ids: Iterable[int] = ()) -> None:
    """A deleted account's files, and every file of its erased questions; not committed."""
    condition = Attachment.uploader_id == user_id
    question_ids = list(question_ids)
    if question_ids:
        condition = or_(condition, Attachment.question_id.in_(question_ids))
    _discard_where(condition)


def _discard_where(*conditions, threads: tuple[int, ...] | None = None) -> None:
    """Delete the files matching ``conditions``; ``threads``: the questions whose threads
    show them, when known (else every question's cached page is retired)."""
    keys = list(db.session.scalars(select(Attachment.storage_key).where(*conditions)))
    if not keys:
        return
    statement = (
        delete(Attachment)
        .where(Attachment.storage_key.in_(keys))
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(statement if threads is None else in_threads(statement, *threads))
    db.session.info.setdefault(_DISCARDED, []).extend(keys)


# --- reading ----------------------------------------------------------------------------


def of_question_page(question: Question, answers: Iterable[Answer]) -> dict[tuple[str, int], list]:
    """The files of a question and its answers, by ("question"|"answer", id): one query."""
    answer_ids = [answer.id for answer in answers]
    rows = db.session.scalars(
        select(Attachment)
        .where(
            or_(Attachment.question_id == question.id, Attachment.answer_id.in_(answer_ids))
            if answer_ids
            else Attachment.question_id == question.id
        )
        .order_by(Attachment.created_at, Attachment.id)
    )
    files: dict[tuple[str, int], list] = defaultdict(list)
    for row in rows:
        if row.question_id is not None:
            files[("question", row.question_id)].append(row)
        else:
            files[("answer", row.answer_id)].append(row)
    return files


def of_owner(owner) -> list[Attachment]:
    """One text's files (an edit form, a proposal's page)."""
    return list(
        db.session.scalars(
            select(Attachment)
            .where(OWNER_COLUMN[type(owner)] == owner.id)
            .order_by(Attachment.created_at, Attachment.id)
        )
    )


def readable(viewer, attachment_id: int) -> Attachment | None:
    """The file, if ``viewer`` may see the text it is attached to; None otherwise (as for
    an unknown id, so a refusal does not tell that the file exists)."""
    attachment = db.session.scalar(
        select(Attachment)
        .where(Attachment.id == attachment_id)
        .options(
            selectinload(Attachment.question),
            selectinload(Attachment.answer).selectinload(Answer.question),
            selectinload(Attachment.guide_proposal),
        )
    )
    if attachment is None or not may_read(viewer, attachment):
        return None
    return attachment


def may_read(viewer, attachment: Attachment) -> bool:
    """The text's own rule: its question's visibility and moderation, or the proposal's."""
    if attachment.question is not None:
        question = attachment.question
        return question.removed_at is None and can_see_question(viewer, question)
    if attachment.answer is not None:
        answer = attachment.answer
        return (
            not answer.is_removed_by_moderators
            and can_see_text(viewer, answer)
            and can_see_question(viewer, answer.question)
        )
    return can_read_guide_proposal(viewer, attachment.guide_proposal)


def is_private(attachment: Attachment) -> bool:
    """Whether a shared cache must not keep the file: all but a public question's and
    its answers' files."""
    question = attachment.question or (attachment.answer.question if attachment.answer else None)
    return question is None or question.is_confidential


def open_bytes(attachment: Attachment) -> IO[bytes]:
    """The stored bytes; raises FileNotFoundError when the store has lost them."""
    return storage().open(attachment.storage_key)


# --- bytes follow the transaction -------------------------------------------------------


def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)  # committed: their rows now name them
    _remove_bytes(session.info.pop(_DISCARDED, []))


def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None:  # a savepoint: the transaction goes on
        return
    session.info.pop(_DISCARDED, None)  # the rows are back: keep their bytes
    _remove_bytes(session.info.pop(_WRITTEN, []))


def _remove_bytes(keys: list[str]) -> None:
    if not keys:
        return
    store = current_app.extensions.get("attachment_storage")
    for key in keys:
        try:
            store.delete(key)
        except Exception:  # a store's failure (disk, network) must not undo the action
            log.exception("could not remove the attachment file %s from %s", key, store.describe())


def track_file_removals() -> None:
    """Listen on every ORM session (idempotent: listeners are registered once)."""
    for name, listener in (
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
