"""Files attached to a question, an answer or a guide proposal: what each is, not its bytes.

The bytes are in the attachments' store (``forum/attachment_storage.py``) under
``storage_key``, a random key; the row says what the file is, as the content check
found it (``forum/file_types.py``), never as the uploader's browser named it.

The text a file belongs to is named by one foreign key per kind (a CHECK says exactly
one), as a search document names its row: the database then refuses a file for a
text that does not exist and, when a text's row is deleted, deletes its files' rows
in the same statement (ON DELETE CASCADE). Their bytes are removed by the service
(``services/attachments.py``) once the deletion is committed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, utcnow
from forum.models.guide import GuideProposal
from forum.models.questions import Answer, Question
from forum.models.random_ids import random_ids

OWNER_COLUMNS = ("question_id", "answer_id", "guide_proposal_id")


@random_ids  # an id in a URL must not count the confidential questions' files
class Attachment(db.Model):
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN question_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN guide_proposal_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    guide_proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_proposal.id", ondelete="CASCADE"), index=True
    )
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # The uploader's name for it, made safe (file_types.safe_name); shown and offered.
    name: Mapped[str] = mapped_column(String(160))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploader: Mapped[User | None] = relationship()
    question: Mapped[Question | None] = relationship()
    answer: Mapped[Answer | None] = relationship()
    guide_proposal: Mapped[GuideProposal | None] = relationship()

    @property
    def owner_kind(self) -> str:
        """ "question", "answer" or "guide_proposal"."""
        return next(column for column in OWNER_COLUMNS if getattr(self, column) is not None)[:-3]
