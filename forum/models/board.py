"""Board answers: the joint answer of the expert board, its revisions and the stances on them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import gettext
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from forum.extensions import db
from forum.models.accounts import ExpertArea, User
from forum.models.columns import UTCDateTime, enum_column, utcnow
from forum.models.languages import ContentLanguage
from forum.models.moderation import Moderated, ModerationState
from forum.models.questions import Question
from forum.models.random_ids import random_ids
from forum.models.rendered_markdown import MarkdownText, RenderedMarkdown


class BoardAnswerStatus(StrEnum):
    DRAFTING = "drafting"  # experts co-edit; no stances yet
    IN_REVIEW = "in-review"  # stances are collected on the current revision
    PUBLISHED = "published"  # readers see the published revision
    WITHDRAWN = "withdrawn"  # the chair took it back, with a reason


class StanceKind(StrEnum):
    ENDORSE = "endorse"
    DISSENT = "dissent"
    ABSTAIN = "abstain"


@random_ids
class BoardAnswer(RenderedMarkdown, db.Model):
    """The board's joint answer to a question.

    ``body`` is the current text (the newest revision); ``published_body`` is
    what readers see, frozen at publication. Amending a published answer adds
    revisions to ``body`` while the published text stays until the amendment
    reaches quorum and is published in turn.
    """

    __table_args__ = (
        # At most one board answer per question that is not withdrawn.
        Index(
            "uq_board_answer_live_question",
            "question_id",
            unique=True,
            sqlite_where=text("status <> 'withdrawn'"),
            postgresql_where=text("status <> 'withdrawn'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[BoardAnswerStatus] = mapped_column(
        enum_column(BoardAnswerStatus, "board_answer_status"),
        default=BoardAnswerStatus.DRAFTING,
    )
    body: Mapped[str] = mapped_column(Text)
    # The language the board writes this answer in (chosen when opening or editing it),
    # so pages mark the text with lang="..." whatever the page's language.
    language: Mapped[ContentLanguage] = mapped_column(
        enum_column(ContentLanguage, "board_answer_language"),
        default=ContentLanguage.EN,
        server_default=ContentLanguage.EN.value,
    )
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    # The workspace shows the current text, the question page the published one.
    markdown_texts = (
        MarkdownText(shown="body", source="body", html="body_html"),
        MarkdownText(shown="published_body", source="published_body", html="published_body_html"),
    )
    body_html: Mapped[str | None] = mapped_column(Text)
    published_body_html: Mapped[str | None] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_body: Mapped[str | None] = mapped_column(Text)
    published_number: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(back_populates="board_answers")
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    revisions: Mapped[list[BoardRevision]] = relationship(
        back_populates="board_answer",
        order_by="BoardRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    stances: Mapped[list[Stance]] = relationship(
        back_populates="board_answer",
        order_by="Stance.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        return self.status == BoardAnswerStatus.PUBLISHED

    @property
    def has_pending_amendment(self) -> bool:
        return self.is_published and self.current_number != self.published_number

    @property
    def awaits_stances(self) -> bool:
        """In review: a first version, or an amendment of the published text."""
        return self.status == BoardAnswerStatus.IN_REVIEW or self.has_pending_amendment

    def stances_on(self, number: int | None) -> list[Stance]:
        return [stance for stance in self.stances if stance.revision_number == number]


class BoardRevision(db.Model):
    """One saved version of a board answer; number 1 is the first draft."""

    __table_args__ = (
        # Two experts saving at the same moment both try the same next number:
        # one of them fails here instead of overwriting the other.
        UniqueConstraint("board_answer_id", "number", name="uq_board_revision_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_answer_id: Mapped[int] = mapped_column(ForeignKey("board_answer.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The editor's declaration of interests in force when they saved this text.
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration_of_interest.id", ondelete="SET NULL"), index=True
    )

    board_answer: Mapped[BoardAnswer] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()
    declaration: Mapped[DeclarationOfInterest | None] = relationship()  # noqa: F821

    # Read by the revision-diff code, which compares title-and-body texts.
    title = None


class Stance(RenderedMarkdown, Moderated, db.Model):
    """An expert's endorsement, dissent or abstention on one revision of a board answer.

    It counts only for that revision: a new revision asks for stances again.
    The expert's area is copied at the time, so the record does not change if
    the profile does later.

    Its reason is the board's "comment", so readers flag it and moderators hide,
    restore, remove or mark it as spam like any other text (``Moderated``); the
    moderation acts on the reason only: the stance itself stays the board's record
    and still counts toward the quorum.
    """

    __table_args__ = (
        UniqueConstraint("revision_id", "expert_id", name="uq_stance_revision_expert"),
        Index("ix_stance_board_answer_number", "board_answer_id", "revision_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_answer_id: Mapped[int] = mapped_column(ForeignKey("board_answer.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("board_revision.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)
    expert_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    area: Mapped[ExpertArea] = mapped_column(enum_column(ExpertArea, "stance_area"))
    kind: Mapped[StanceKind] = mapped_column(enum_column(StanceKind, "stance_kind"))
    # Read and written through ``reason``, which stands in a tombstone once the
    # moderators removed the text.
    stored_reason: Mapped[str] = mapped_column("reason", Text, default="")
    markdown_texts = (MarkdownText(shown="reason", source="stored_reason", html="reason_html"),)
    reason_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A chair may override an open dissent, with a reason that is published.
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The expert's declaration of interests in force when the stance was taken,
    # shown beside it like the area at the time.
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration_of_interest.id", ondelete="SET NULL"), index=True
    )

    board_answer: Mapped[BoardAnswer] = relationship(back_populates="stances")
    revision: Mapped[BoardRevision] = relationship()
    expert: Mapped[User] = relationship(foreign_keys=[expert_id])
    overridden_by: Mapped[User | None] = relationship(foreign_keys=[overridden_by_id])
    declaration: Mapped[DeclarationOfInterest | None] = relationship()  # noqa: F821

    # The expert wrote the reason: moderation (forum/permissions.py, the notices to the
    # author) reads every text's writer under one name.
    author_id = synonym("expert_id")
    author = synonym("expert")

    @hybrid_property
    def reason(self) -> str:
        if self.moderation_state == ModerationState.REMOVED:
            return gettext("Reason removed by the moderators.")
        return self.stored_reason

    @reason.inplace.setter
    def _reason_setter(self, value: str) -> None:
        self.stored_reason = value

    @reason.inplace.expression
    @classmethod
    def _reason_expression(cls):
        return cls.stored_reason

    @property
    def is_open_dissent(self) -> bool:
        return self.kind == StanceKind.DISSENT and self.overridden_at is None

    @property
    def counts_toward_quorum(self) -> bool:
        """Only the stances of experts whose account is still active, and who are still
        experts, count: the board speaks for its present members (the stance itself
        stays on record)."""
        return self.expert.active and self.expert.is_expert
