"""The requirements guide: a tree of sections with revisions, frozen releases with their
approval, and the changes experts propose."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import ExpertArea, User
from forum.models.board import BoardAnswer, StanceKind
from forum.models.columns import UTCDateTime, enum_column, utcnow
from forum.models.questions import Answer


class GuideSection(db.Model):
    """One part of the guide: the document itself (level 1: its title and
    introduction), a section (level 2) or a subsection (level 3).

    Siblings are ordered by ``position``; the document is read depth first.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_section.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    anchor: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[GuideSection | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[GuideSection]] = relationship(
        back_populates="parent",
        order_by="GuideSection.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    revisions: Mapped[list[GuideRevision]] = relationship(
        back_populates="section",
        order_by="GuideRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class GuideRevision(db.Model):
    """One saved version of a section, with its change note and the answer it was drawn from."""

    __table_args__ = (UniqueConstraint("section_id", "number", name="uq_guide_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("guide_section.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The expert whose proposal this revision is (the editor is the admin who accepted it).
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    source_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="SET NULL"), index=True
    )
    source_board_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_answer.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    section: Mapped[GuideSection] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    source_answer: Mapped[Answer | None] = relationship()
    source_board_answer: Mapped[BoardAnswer | None] = relationship()


class ReleaseKind(StrEnum):
    """What a release is meant to be once approved (the action plan's two milestones,
    then the editions that follow)."""

    FIRST_VERSION = "first-version"
    FINAL_VERSION = "final-version"
    EDITION = "edition"


class ReleaseApproval(StrEnum):
    CHAIR = "chair"  # a chair of the board approved it alone
    BOARD = "board"  # the board's endorsements met the quorum of board answers
    COMMAND_LINE = "command-line"  # released by the operator with `flask guide release`


DRAFT = "draft"  # the status of a release not yet approved (and so not public)


class GuideRelease(db.Model):
    """The whole guide frozen under a version number, as the Markdown it exports to.

    Made by an admin as a draft, seen only by the board and the admins; published
    when a chair, or the board by quorum, approves it. ``contributors`` is frozen
    with the text: [{"user_id": ..., "role": "revisions" | "answers"}, ...].
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    markdown: Mapped[str] = mapped_column(Text)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[ReleaseKind] = mapped_column(
        enum_column(ReleaseKind, "release_kind"), default=ReleaseKind.EDITION
    )
    contributors: Mapped[list] = mapped_column(JSON, default=list)
    approval: Mapped[ReleaseApproval | None] = mapped_column(
        enum_column(ReleaseApproval, "release_approval")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    stances: Mapped[list[GuideReleaseStance]] = relationship(
        back_populates="release",
        order_by="GuideReleaseStance.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status(self) -> str:
        """ "draft" until approved, then what it was made as (first version, ...)."""
        return self.kind.value if self.is_published else DRAFT


class GuideReleaseStance(db.Model):
    """An expert's endorsement, dissent or abstention on a draft release.

    Counted by the board answers' quorum rule (services.board_quorum.tally); the
    expert's area is copied at the time, as for a board answer.
    """

    __table_args__ = (
        UniqueConstraint("release_id", "expert_id", name="uq_guide_release_stance_expert"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("guide_release.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    area: Mapped[ExpertArea] = mapped_column(enum_column(ExpertArea, "release_stance_area"))
    kind: Mapped[StanceKind] = mapped_column(enum_column(StanceKind, "release_stance_kind"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    release: Mapped[GuideRelease] = relationship(back_populates="stances")
    expert: Mapped[User] = relationship()

    @property
    def is_open_dissent(self) -> bool:
        # No override for a release: a chair who disagrees with a dissent approves alone.
        return self.kind == StanceKind.DISSENT

    @property
    def counts_toward_quorum(self) -> bool:
        """As on a board answer: only the board's present members count."""
        return self.expert.active and self.expert.is_expert


class ProposalStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class GuideProposal(db.Model):
    """An expert's proposed new text for a section, fresh or drawn from an answer.

    Accepted, it becomes a revision crediting the proposer; declined, it keeps
    the admin's note. ``base_number`` is the section's revision it was written on.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("guide_section.id", ondelete="CASCADE"), index=True
    )
    base_number: Mapped[int] = mapped_column(Integer)
    # "en": new text for the section; another language: a translation of the English
    # revision ``base_number`` (services.guide.translated).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    proposer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    source_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="SET NULL")
    )
    source_board_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_answer.id", ondelete="SET NULL")
    )
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "proposal_status"), default=ProposalStatus.OPEN, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_revision.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    section: Mapped[GuideSection] = relationship()
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    source_answer: Mapped[Answer | None] = relationship()
    source_board_answer: Mapped[BoardAnswer | None] = relationship()
    revision: Mapped[GuideRevision | None] = relationship()
