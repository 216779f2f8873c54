"""The demo's board answers: one published with endorsements from several areas, one in review.

Held to the primary texts (MDR Art. 70, 75 and 77, D.Lgs. 137/2022 Art. 16, the decrees
of 12 April 2023, MDCG 2024-15; see docs/fact-register.md); seeded through the board services so the
revisions, stances, notifications and audit entries are the real ones.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    AuditEntry,
    BoardAnswer,
    BoardRevision,
    Notification,
    Question,
    Stance,
    StanceKind,
    User,
)
from forum.models.columns import utcnow
from forum.services import board, board_stances

ETHICS_BEFORE_MINISTRY = (
    "Must we have the ethics committee's opinion before we apply to the Ministry of Health?"
)
END_OF_STUDY = (
    "Our first-in-human study is finished: what must we report at the end, and will it be "
    "made public?"
)

PUBLISHED_DRAFT = """**Short answer: the ethics opinion belongs in the Ministry file, but the two can be prepared in parallel, and a conditionally favourable opinion is enough to submit.**

1. *The opinion is part of the application.* Under D.Lgs. 137/2022 Art. 16 the ethics committee's favourable opinion is part of the application to the Ministry of Health. For a non-invasive class IIa device such as your robot, the investigation may start 30 days after validation unless the Ministry rejects it, given that favourable opinion.
2. *A conditional opinion can be attached.* For investigations of non-CE devices, governed by a decree of 12 April 2023 (Gazzetta Ufficiale of 13 June 2023), a conditionally favourable opinion can be attached to the application. List each condition with how and when you will meet it.
3. *Do not submit without it.* An incomplete file costs you the validation cycle of MDR Art. 70: 10 days for the Ministry to validate, then 10 days (extendable by 20) for you to complete the file.
"""

PUBLISHED_FINAL = (
    PUBLISHED_DRAFT
    + """4. *One opinion covers the sites in the application.* The opinion of one territorial (CET) or national (CEN) ethics committee is valid for the whole country and for the sites named in the application; a site added later is a substantial modification (MDR Art. 75). In Lombardy the CETs are Lombardia 1 to Lombardia 6.

**What to do:** prepare the Ministry dossier while the committee reviews, and submit on the day the opinion arrives. The time you can win is in the preparation, not in the order of the steps. If a consultant says the opinion can follow later, ask the Ministry to confirm it for your case in writing before you plan around it.
"""
)

IN_REVIEW_DRAFT = """**At the end of the investigation you notify its end, then submit an investigation report; the report and its summary become public.**

- *Notify the end within 15 days* of the end of the investigation (MDR Art. 77). The end is usually the last visit of the last subject, as defined in your clinical investigation plan.
- *Submit the clinical investigation report within one year* of the end (MDR Art. 77), or within three months if the investigation was terminated early or halted.
- *What becomes public:* the report and a summary easily understandable to the intended user (MDR Art. 77(5)). Until the EUDAMED clinical investigation module is in use, the Commission publishes reports on a public CIRCABC directory one year after submission, or at once after an early termination or halt (MDCG 2024-15); under the MDR they are public at the latest when the device is registered before being placed on the market (MDR Art. 77(7)).
"""

IN_REVIEW_REVISED = (
    IN_REVIEW_DRAFT
    + """
**Planning the next study.** Write the summary on the Commission's template (Official Journal 2023/C 163/06) so that the intended user can read it. The authorities do not redact the report: mark and remove commercially confidential information yourself before you submit, within what MDR Art. 73(3) allows (MDCG 2024-15). Align the summary's wording with the clinical investigation plan of your larger study. ISO 14155 Annex D describes the expected content of the investigation report: start from it now, while the data are fresh. Tell the ethics committee about the end of the study as well; check with it which form it expects.
"""
)


def seed_board_answers(users: dict[str, User]) -> int:
    """Add the demo's board answers if missing; returns how many were created."""
    created = 0
    published_question = _question(ETHICS_BEFORE_MINISTRY)
    if published_question is not None and not _has_board_answer(published_question):
        _seed_published(published_question, users)
        created += 1
    review_question = _question(END_OF_STUDY)
    if review_question is not None and not _has_board_answer(review_question):
        _seed_in_review(review_question, users)
        created += 1
    return created


def _seed_published(question: Question, users: dict[str, User]) -> None:
    chiara, paolo, elena = users["expert_chiara"], users["expert_paolo"], users["expert_elena"]
    sara, marco = users["expert_sara"], users["expert_marco"]
    board_answer = board.open_board_answer(
        question, chiara, PUBLISHED_DRAFT, note="First draft from the accepted reasoning"
    )
    board.revise(
        board_answer,
        paolo,
        PUBLISHED_FINAL,
        base_number=1,
        note="Added the single opinion for the sites in the application and the Lombardy CETs",
    )
    board.submit_for_review(board_answer, paolo)
    for expert in (chiara, paolo, elena):
        board_stances.record_stance(board_answer, expert, StanceKind.ENDORSE, revision_number=2)
    board_stances.record_stance(
        board_answer,
        sara,
        StanceKind.ABSTAIN,
        revision_number=2,
        reason="Outside my experience: our studies were all CE-marked PMCF.",
    )
    board.publish(board_answer, marco)
    _backdate(board_answer, question.created_at + timedelta(days=5))


def _seed_in_review(question: Question, users: dict[str, User]) -> None:
    chiara, elena, paolo = users["expert_chiara"], users["expert_elena"], users["expert_paolo"]
    board_answer = board.open_board_answer(question, chiara, IN_REVIEW_DRAFT)
    board.submit_for_review(board_answer, chiara)
    board_stances.record_stance(board_answer, elena, StanceKind.ENDORSE, revision_number=1)
    # Paolo's additions make revision 2: Elena's endorsement stays with revision 1.
    board.revise(
        board_answer,
        paolo,
        IN_REVIEW_REVISED,
        base_number=1,
        note="Advice on the summary and the ethics committee",
    )
    board_stances.record_stance(board_answer, chiara, StanceKind.ENDORSE, revision_number=2)
    _backdate(board_answer, question.created_at + timedelta(days=1))


def _question(title: str) -> Question | None:
    return db.session.scalar(select(Question).where(Question.title == title))


def _has_board_answer(question: Question) -> bool:
    return (
        db.session.scalar(select(BoardAnswer.id).where(BoardAnswer.question_id == question.id))
        is not None
    )


def _backdate(board_answer: BoardAnswer, start) -> None:
    """Spread the answer's history over the days after ``start``, as if it had taken time."""
    start = min(start, utcnow() - timedelta(hours=6))
    step = (utcnow() - start) / 8
    board_answer.created_at = start
    for index, revision in enumerate(
        db.session.scalars(
            select(BoardRevision)
            .where(BoardRevision.board_answer_id == board_answer.id)
            .order_by(BoardRevision.number)
        )
    ):
        revision.created_at = start + step * index
    for index, stance in enumerate(
        db.session.scalars(
            select(Stance).where(Stance.board_answer_id == board_answer.id).order_by(Stance.id)
        )
    ):
        stance.created_at = start + step * (3 + index)
    if board_answer.published_at is not None:
        board_answer.published_at = start + step * 7
        # The thread last moved at the (backdated) publication, not when the demo was loaded.
        question = board_answer.question
        question.last_activity_at = max(
            [
                question.created_at,
                board_answer.published_at,
                *(answer.created_at for answer in question.answers),
            ]
        )
    board_answer.updated_at = start + step * 7
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_type == "BoardAnswer", AuditEntry.subject_id == board_answer.id)
        .order_by(AuditEntry.id)
    )
    for index, entry in enumerate(entries):
        entry.created_at = start + step * min(index, 7)
    for notification in db.session.scalars(
        select(Notification).where(Notification.board_answer_id == board_answer.id)
    ):
        notification.created_at = board_answer.updated_at
    db.session.commit()
