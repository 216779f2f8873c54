"""What the Region reads first in the review: the action plan's three figures for the
period beside the previous period of the same length and the targets admins set, then
the organisations served and the funded projects counselled (served.py), the board's
share of the answers, the time to a first answer, the experts' workload and the trials
by device class and by stage; ``summary_tables`` puts them in that order.

Every table here is an aggregate, like the rest of the review (figures.py): counts,
shares and durations. The reader of the review is an admin, so confidential questions
count in the figures (as in every other table of the review) but no question or person
is ever named, and the experts' work is counted by area.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select, union_all

from forum.extensions import db
from forum.labels import DEVICE_CLASS_LABELS, EXPERT_AREA_LABELS, STAGE_LABELS
from forum.models import (
    Answer,
    BoardAnswer,
    CounsellingSession,
    ExpertArea,
    Question,
    Role,
    Stance,
    User,
    session_expert,
)
from forum.services import facilitation_figures, visit_figures
from forum.services.review import served
from forum.services.review.period import Period, Table, aware


def previous_period(period: Period) -> Period:
    """The period of the same number of days that ends the day before ``period`` starts."""
    length = period.end - period.start
    end = period.start - timedelta(days=1)
    return Period(end - length, end)


# --- the three figures of the action plan -------------------------------------------------


@dataclass(frozen=True)
class Answering:
    """The questions that received their first answer (an expert's, or a published board
    answer) during a period, whenever they were asked."""

    answered: int
    by_board: int  # of those, the ones with a board answer published by the period's end
    waits_in_hours: list[float]

    @property
    def board_share(self) -> float:
        return round(100 * self.by_board / self.answered, 1) if self.answered else 0.0

    @property
    def median_hours(self) -> float | str:
        return round(statistics.median(self.waits_in_hours), 1) if self.waits_in_hours else ""


def answering(period: Period) -> Answering:
    """One query: the questions with an answer or a published board answer in the period
    and none before it, with their first moment and whether a board answer is among the
    period's. It reads the period's answers down their date's index and looks each
    candidate's earlier answers up by question, rather than grouping every answer ever
    written (and the board's part once took a second query naming every question
    answered, tens of thousands of parameters at the benchmark's scale)."""
    start, end = period.bounds()
    in_period = union_all(
        select(
            Answer.question_id.label("question_id"),
            Answer.created_at.label("moment"),
            literal(0).label("from_board"),
        ).where(Answer.created_at >= start, Answer.created_at < end),
        select(BoardAnswer.question_id, BoardAnswer.published_at, literal(1)).where(
            BoardAnswer.published_at >= start, BoardAnswer.published_at < end
        ),
    ).subquery()
    first = (
        select(
            in_period.c.question_id,
            func.min(in_period.c.moment).label("first_at"),
            func.max(in_period.c.from_board).label("by_board"),
        )
        .group_by(in_period.c.question_id)
        .subquery()
    )
    answered_before = select(Answer.id).where(
        Answer.question_id == first.c.question_id, Answer.created_at < start
    )
    published_before = select(BoardAnswer.id).where(
        BoardAnswer.question_id == first.c.question_id, BoardAnswer.published_at < start
    )
    rows = db.session.execute(
        select(first.c.first_at, first.c.by_board, Question.created_at)
        .join(Question, Question.id == first.c.question_id)
        .where(~answered_before.exists(), ~published_before.exists())
    ).all()
    # first_at comes back as text on SQLite (an aggregate over a union).
    rows = [(aware(first_at), by_board, aware(asked_at)) for first_at, by_board, asked_at in rows]
    waits = [(first_at - asked_at).total_seconds() / 3600 for first_at, _, asked_at in rows]
    return Answering(len(rows), sum(1 for _, by_board, _ in rows if by_board), waits)


def unique_visits(period: Period) -> int:
    """The whole site's unique visitors of each day, added up over the period (a visitor
    cannot be followed from one day to the next, by design)."""
    return sum(
        row.unique_visitors for row in visit_figures.visits_by_month(period.start, period.end)
    )


@dataclass(frozen=True)
class Headline:
    key: str  # "visits", "questions_answered", "trials"
    label: str
    current: int
    previous: int
    target: int | None
    how_counted: str

    @property
    def share_of_target(self) -> float | None:
        """The figure as a percentage of its target, when a target is set."""
        return round(100 * self.current / self.target, 1) if self.target else None


VISITS_HOW_COUNTED = _l(
    "Unique visitors: each day's distinct visitors of the whole site, counted on the server "
    "from a hash salted afresh every day (no cookie, no IP address kept, bots left out), "
    "then added up over the days; someone who came on three days counts three times."
)
ANSWERED_HOW_COUNTED = _l(
    "Questions that received their first answer in the period, from an expert or as a "
    "published board answer, whenever they were asked; confidential questions included."
)
TRIALS_HOW_COUNTED = _l(
    "Referrals to a clinic whose trial started in the period (the start date recorded at "
    "that step)."
)


def headline(
    period: Period, answered: Answering, targets: dict[str, int | None] | None = None
) -> list[Headline]:
    """The action plan's three figures: visits, questions answered (``answered``: the
    period's, which the answers' table shows too) and clinical trials facilitated, for the
    period and the previous one of the same length, with the targets (keyed "visits",
    "questions_answered", "trials"; None where none is set)."""
    targets = targets or {}
    before = previous_period(period)
    return [
        Headline(
            "visits",
            str(_l("Visits")),
            unique_visits(period),
            unique_visits(before),
            targets.get("visits"),
            str(VISITS_HOW_COUNTED),
        ),
        Headline(
            "questions_answered",
            str(_l("Questions answered")),
            answered.answered,
            answering(before).answered,
            targets.get("questions_answered"),
            str(ANSWERED_HOW_COUNTED),
        ),
        Headline(
            "trials",
            str(_l("Clinical trials facilitated")),
            facilitation_figures.trials_facilitated(period.start, period.end),
            facilitation_figures.trials_facilitated(before.start, before.end),
            targets.get("trials"),
            str(TRIALS_HOW_COUNTED),
        ),
    ]


def headline_table(
    period: Period, answered: Answering, targets: dict[str, int | None] | None = None
) -> Table:
    before = previous_period(period)
    figures = headline(period, answered, targets)
    return Table(
        "summary",
        str(_l("The action plan's figures")),
        [
            str(_l("Figure")),
            str(_l("This period")),
            str(
                _l(
                    "Previous period (%(start)s to %(end)s)",
                    start=before.start.isoformat(),
                    end=before.end.isoformat(),
                )
            ),
            str(_l("Target")),
            str(_l("Share of the target (%)")),
        ],
        [
            [
                figure.label,
                figure.current,
                figure.previous,
                figure.target if figure.target is not None else "",
                figure.share_of_target if figure.share_of_target is not None else "",
            ]
            for figure in figures
        ],
        note="\n".join(f"{figure.label}: {figure.how_counted}" for figure in figures),
    )


# --- answers: the board's share, time to the first answer --------------------------------------


def answers_table(figures: Answering) -> Table:
    return Table(
        "answers_in_period",
        str(_l("Questions answered in the period")),
        [str(_l("Figure")), str(_l("Value"))],
        [
            [str(_l("Questions answered (first answer in the period)")), figures.answered],
            [str(_l("Of which with a published board answer")), figures.by_board],
            [str(_l("The board's share of the questions answered (%)")), figures.board_share],
            [str(_l("Median hours from the question to its first answer")), figures.median_hours],
        ],
        note=str(
            _l(
                "A question counts in the period of its first answer, whenever it was "
                "asked; the board's share is of those questions, with a board answer "
                "published by the end of the period."
            )
        ),
    )


def expert_workload_table(period: Period) -> Table:
    """The experts' work in the period by their area, never by name: how many experts,
    the answers they wrote, the stances they took on board answers and the counselling
    sessions they attended. Four queries."""
    start, end = period.bounds()
    experts = dict(
        db.session.execute(
            select(User.area, func.count())
            .where(User.role == Role.EXPERT, User.active.is_(True))
            .group_by(User.area)
        ).all()
    )
    answers = dict(
        db.session.execute(
            select(User.area, func.count(Answer.id))
            .join(User, User.id == Answer.author_id)
            .where(Answer.created_at >= start, Answer.created_at < end, User.role == Role.EXPERT)
            .group_by(User.area)
        ).all()
    )
    stances = dict(
        db.session.execute(
            select(Stance.area, func.count())
            .where(Stance.created_at >= start, Stance.created_at < end)
            .group_by(Stance.area)
        ).all()
    )
    sessions = dict(
        db.session.execute(
            select(User.area, func.count())
            .select_from(session_expert)
            .join(User, User.id == session_expert.c.user_id)
            .join(CounsellingSession, CounsellingSession.id == session_expert.c.session_id)
            .where(
                CounsellingSession.held_on >= period.start, CounsellingSession.held_on <= period.end
            )
            .group_by(User.area)
        ).all()
    )
    rows = []
    for area in ExpertArea:
        count = experts.get(area, 0)
        written = answers.get(area, 0)
        rows.append(
            [
                str(EXPERT_AREA_LABELS[area]),
                count,
                written,
                stances.get(area, 0),
                sessions.get(area, 0),
                round(written / count, 1) if count else "",
            ]
        )
    return Table(
        "expert_workload",
        str(_l("Experts' workload by area")),
        [
            str(_l("Area")),
            str(_l("Active experts")),
            str(_l("Answers written")),
            str(_l("Stances on board answers")),
            str(_l("Counselling sessions attended")),
            str(_l("Answers per expert")),
        ],
        rows,
        note=str(
            _l(
                "By the experts' area, never by name; an expert at a session with two "
                "colleagues counts once, and so does each of them."
            )
        ),
    )


# --- trials by device class and by stage -------------------------------------------------------


def trials_by_device_class_table(period: Period) -> Table:
    counts = facilitation_figures.trials_facilitated_by(
        period.start, period.end, Question.device_class
    )
    return Table(
        "trials_by_device_class",
        str(_l("Trials facilitated by device class")),
        [str(_l("Device class")), str(_l("Trials started"))],
        [[str(label), counts.get(value, 0)] for value, label in DEVICE_CLASS_LABELS.items()],
    )


def trials_by_stage_table(period: Period) -> Table:
    counts = facilitation_figures.trials_facilitated_by(period.start, period.end, Question.stage)
    return Table(
        "trials_by_stage",
        str(_l("Trials facilitated by development stage")),
        [str(_l("Development stage")), str(_l("Trials started"))],
        [[str(label), counts.get(value, 0)] for value, label in STAGE_LABELS.items()],
        note=str(_l("The device's development stage given with the question.")),
    )


def summary_tables(period: Period, targets: dict[str, int | None] | None = None) -> list[Table]:
    """The review's first tables, in the order the page, the workbook and the report show them."""
    # The period's first answers feed two tables: counted once.
    answered = answering(period)
    return [
        headline_table(period, answered, targets),
        *served.organisations_served_tables(period),
        served.projects_counselled_table(period),
        answers_table(answered),
        expert_workload_table(period),
        trials_by_device_class_table(period),
        trials_by_stage_table(period),
    ]
