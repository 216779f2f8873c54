"""The demo's funded projects, their counselling sessions, and the review's targets.

Two fictional projects of the kind the action plan names first (the ERDF Regional
Operational Programme of Lombardy, POR FESR 2014-2020, Axis I, "Call HUB Ricerca e
Innovazione"): one with two sessions, linked questions (one confidential) and a
referral; one with a single session. The review's targets and narrative are saved for
the six months ending on the day the demo is loaded, so /review opens with its three
figures beside their targets (carried over as the days pass).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum import calendar
from forum.demo.accounts import DEMO_ORGANISATIONS
from forum.extensions import db
from forum.models import (
    Facilitation,
    FundedProject,
    Organisation,
    Question,
    ReviewPeriodReport,
    User,
)
from forum.services import projects
from forum.services.projects import ProjectDraft, SessionDraft
from forum.services.review import report as review_report
from forum.services.review.period import six_months_before

PROGRAMME = "POR FESR 2014-2020 (ERDF Regional Operational Programme, Lombardy)"
AXIS = "Axis I – Research and Innovation"
CALL = "Call HUB Ricerca e Innovazione"

# title, beneficiaries (organisation keys), start and end (days from today), clinical aims,
# linked questions (title starts), sessions as (days ago, expert keys, notes, actions)
DEMO_PROJECTS = [
    {
        "title": "EEG-guided neuromodulation for drug-resistant epilepsy (demo)",
        "beneficiaries": ("neurosense", "irbl"),
        "starts": -420,
        "ends": 310,
        "aims": "Show in a first clinical investigation that the seizure-detection software "
        "and the non-invasive neurostimulator reduce monthly seizures in adults "
        "with drug-resistant epilepsy.",
        "questions": (
            "What clinical evidence does an AI tool that flags seizures in EEG",
            "Realistically, how long from submission to first patient for a non-invasive",
            "Can we reuse EEG data from our clinical study to retrain our algorithm?",
        ),
        "sessions": [
            (
                150,
                ("expert_elena", "expert_chiara"),
                "The team plans one study for both the software and the stimulator; they had "
                "not considered that the software's qualification is argued separately.",
                "- NeuroSense drafts the intended purpose of the software alone.\n"
                "- The board reviews the draft investigation plan in a month.",
            ),
            (
                45,
                ("expert_sara", "expert_paolo"),
                "The clinic's start-up times match the plan; data reuse for retraining needs "
                "the consent text changed before the first subject.",
                "- IRBL revises the information sheet and consent form.\n"
                "- Next session after the ethics committee's opinion.",
            ),
        ],
    },
    {
        "title": "Steerable catheter for atrial fibrillation ablation (demo)",
        "beneficiaries": ("cardioflow", "ateneo"),
        "starts": -300,
        "ends": 430,
        "aims": "Reach first-in-human use of a steerable electrophysiology catheter and "
        "collect the safety data a pivotal investigation will build on.",
        "questions": (
            "Which fees do we pay in Italy for a first-in-human study of a class III",
            "Which adverse events from our catheter study must be reported",
        ),
        "sessions": [
            (
                95,
                ("expert_paolo", "expert_marco"),
                "Budget for the Ministry's fees and the sites' costs is short by a third.",
                "- CardioFlow updates the budget with the fee schedule.\n"
                "- The university's lab shares its bench-test report with the sites.",
            ),
        ],
    },
]

TARGETS = {"target_visits": 4500, "target_questions_answered": 30, "target_trials": 2}
NARRATIVE = {
    "summary": "The board counselled two projects of the Call HUB and answered most questions "
    "within two days; the first referrals reached their trial start.",
    "highlights": "- Two funded projects counselled, with sessions minuted.\n"
    "- Referrals to clinics led to trial starts.",
    "next_steps": "- Recruit two more clinics outside Milan.\n"
    "- Publish the answers on data reuse in the FAQ.",
}


def seed_projects(users: dict[str, User]) -> int:
    """Add the demo projects that are missing, with their links and sessions, and the
    review's targets for the current six months; returns how many projects were added."""
    admin = users["admin_giulia"]
    today = calendar.today()
    organisations = {
        key: db.session.scalar(select(Organisation).where(Organisation.name == name))
        for key, (name, *_details) in DEMO_ORGANISATIONS.items()
    }
    added = 0
    for item in DEMO_PROJECTS:
        if (
            db.session.scalar(select(FundedProject.id).where(FundedProject.title == item["title"]))
            is not None
        ):
            continue
        project = projects.register(
            admin,
            ProjectDraft(
                title=item["title"],
                programme=PROGRAMME,
                axis=AXIS,
                call=CALL,
                starts_on=today + timedelta(days=item["starts"]),
                ends_on=today + timedelta(days=item["ends"]),
                clinical_aims=item["aims"],
                beneficiary_ids=[organisations[key].id for key in item["beneficiaries"]],
            ),
        )
        # The questions were asked before the project existed in the forum: linked as
        # their authors would have when asking.
        for start in item["questions"]:
            question = db.session.scalar(select(Question).where(Question.title.startswith(start)))
            if question is not None:
                question.project_id = project.id
                for referral in db.session.scalars(
                    select(Facilitation).where(Facilitation.question_id == question.id)
                ):
                    referral.project_id = project.id
        db.session.commit()
        for days_ago, experts, notes, actions in item["sessions"]:
            projects.record_session(
                project,
                users[experts[0]],
                SessionDraft(
                    held_on=today - timedelta(days=days_ago),
                    expert_ids=[users[key].id for key in experts],
                    notes=notes,
                    actions=actions,
                ),
            )
        added += 1
    start = six_months_before(today)
    if db.session.scalar(select(ReviewPeriodReport.id)) is None:
        review_report.save_report(
            admin, start, today, review_report.ReportDraft(**TARGETS, **NARRATIVE)
        )
    return added
