"""The user survey: items, one response per user (or per one-time link), and its answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.columns import UTCDateTime, enum_column, utcnow


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class SurveyItemKind(StrEnum):
    LIKERT = "likert"  # 1 (strongly disagree) to 5 (strongly agree)
    SINGLE = "single"  # one of the options
    MULTIPLE = "multiple"  # any of the options
    NPS = "nps"  # 0 to 10, net promoter score
    TEXT = "text"  # free text


class Survey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The Italian beside the English; empty while not translated (readers get the English).
    title_it: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description_it: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set when the English changed and the Italian was not saved with it: readers of the
    # Italian see a dated notice until an admin saves the translation again.
    italian_outdated_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[SurveyStatus] = mapped_column(
        enum_column(SurveyStatus, "survey_status"), default=SurveyStatus.DRAFT
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list[SurveyItem]] = relationship(
        back_populates="survey",
        order_by="SurveyItem.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class SurveyItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[SurveyItemKind] = mapped_column(enum_column(SurveyItemKind, "survey_item_kind"))
    prompt: Mapped[str] = mapped_column(String(500))
    # One option per line, for single and multiple choice.
    options: Mapped[str] = mapped_column(Text, default="")
    # The Italian prompt and options (one per line, in the English options' order: the
    # stored answer is always the English option, so results never split by language).
    prompt_it: Mapped[str] = mapped_column(String(500), default="", server_default="")
    options_it: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set when the English changed and the Italian was not saved with it: readers of the
    # Italian see a dated notice until an admin saves the translation again.
    italian_outdated_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    required: Mapped[bool] = mapped_column(Boolean, default=True)

    survey: Mapped[Survey] = relationship(back_populates="items")

    @property
    def option_list(self) -> list[str]:
        return _lines(self.options)

    @property
    def option_list_it(self) -> list[str]:
        return _lines(self.options_it)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SurveyInvitation(db.Model):
    """A one-time link for someone without an account; only the token's hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")  # e.g. "regional meeting, table 3"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SurveyResponse(db.Model):
    __table_args__ = (
        # One response per user; NULLs (link responses) are distinct in both databases.
        UniqueConstraint("survey_id", "user_id", name="uq_survey_response_user"),
        UniqueConstraint("invitation_id", name="uq_survey_response_invitation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitation.id", ondelete="SET NULL")
    )
    # The respondent agreed that their free text may be quoted in the review.
    quote_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class SurveyAnswer(db.Model):
    """One item's answer: a Likert or NPS number, an option, options (one per line) or text."""

    __table_args__ = (UniqueConstraint("response_id", "item_id", name="uq_survey_answer_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("survey_item.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
    item: Mapped[SurveyItem] = relationship()
