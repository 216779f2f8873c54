"""The demo experts' profiles: bios, declarations of interests and followed topics.

Fictional, like everything in the demo. Every expert follows at least one
topic of the demo's open questions, so each dashboard has work on it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Answer,
    DeclarationOfInterest,
    ExpertProfile,
    Invitation,
    Question,
    Topic,
    User,
)
from forum.models.columns import utcnow
from forum.services import experts, invitations

# (inviter, invited expert, start of the open question's title, message)
DEMO_INVITATIONS = [
    (
        "expert_marco",
        "expert_chiara",
        "Our first-in-human study is finished",
        (
            "The end-of-investigation report and its publication are regulatory questions: "
            "could you take this one? Paolo can add the site's view."
        ),
    ),
    (
        "admin_giulia",
        "expert_paolo",
        "Are a usability test with neurologists",
        (
            "You have run usability studies with clinicians at the Policlinico: "
            "your view on where they end and a clinical investigation begins would help."
        ),
    ),
]

# key of DEMO_ACCOUNTS: bio, declaration of interests, topic slugs, days since declared
DEMO_EXPERT_PROFILES: dict[str, dict] = {
    "expert_marco": {
        "bio": """Professor of biomedical engineering at the Ateneo Lombardo di Bioingegneria, where he leads the medical device evaluation group. Twenty years of clinical investigations of orthopaedic and neurological devices, from first-in-human studies to pivotal trials; former member of a university ethics committee. Chairs the centre's expert board.""",
        "conflicts": "Consultant to two orthopaedic device makers (2024-2026); no equity. "
        "Principal investigator of a publicly funded trial of a spinal implant.",
        "topics": ["study-design-statistics", "software-ai", "study-documents"],
        "declared_days_ago": 120,
        # What he declared before, so his profile has a history and his older
        # answers show the declaration they were given under.
        "earlier": {
            "conflicts": "Consultant to three orthopaedic device makers (2022-2025); no equity.",
            "declared_days_ago": 400,
        },
    },
    "expert_elena": {
        "bio": """Biostatistician and head of the clinical research unit at the Istituto di Ricerca Biomedica Lombardo. Designs sample sizes, endpoints and analysis plans for device studies and IVD performance studies, and teaches good clinical practice.""",
        "conflicts": "None declared.",
        "topics": [
            "study-design-statistics",
            "data-protection",
            "ivd-performance-studies",
            "study-documents",
        ],
        "declared_days_ago": 95,
    },
    "expert_paolo": {
        "bio": """Orthopaedic surgeon and director of the clinical trials office at the Policlinico del Lario. Has run device investigations at his hospital for fifteen years and knows what sites need before they can enrol the first patient.""",
        "conflicts": "Paid speaker for one hip-implant manufacturer (2025); his hospital "
        "receives research funding from three device makers.",
        "topics": ["clinical-sites-populations", "ethics-committee", "safety-reporting", "pmcf"],
        "declared_days_ago": 60,
    },
    "expert_sara": {
        "bio": """Quality and regulatory manager at Valtellina Medical Devices, an SME making class IIa and IIb devices. Has taken several devices through CE marking under the MDR and runs their post-market clinical follow-up.""",
        "conflicts": "Employed by Valtellina Medical Devices S.r.l., which makes wound-care "
        "and respiratory devices; holds no shares in other device makers.",
        "topics": ["insurance-costs", "pmcf", "software-ai"],
        "declared_days_ago": 45,
    },
    "expert_chiara": {
        "bio": """Regulatory scientist at the Clinical Trials Competence Centre. Previously reviewed clinical evaluations for a notified body. Follows MDR and IVDR guidance (MDCG documents) and the Ministry of Health's procedures for clinical investigations.""",
        "conflicts": "Worked for a notified body until 2023; no current interests in any "
        "device maker.",
        "topics": ["regulatory-pathway", "safety-reporting", "pmcf"],
        "declared_days_ago": 30,
    },
}


def seed_expert_profiles(users: dict[str, User]) -> int:
    """Give each demo expert their profile unless they already have one; returns how many."""
    topic_ids = dict(db.session.execute(select(Topic.slug, Topic.id)).all())
    created = 0
    now = utcnow()
    for key, item in DEMO_EXPERT_PROFILES.items():
        user = users[key]
        if db.session.get(ExpertProfile, user.id) is not None:
            continue
        topics = [topic_ids[slug] for slug in item["topics"]]
        for declaration in filter(None, (item.get("earlier"), item)):
            profile = experts.update_profile(user, item["bio"], declaration["conflicts"], topics)
            # Declared some time ago, so the demo reads like months of use.
            profile.conflicts_declared_at = now - timedelta(days=declaration["declared_days_ago"])
            profile.updated_at = profile.conflicts_declared_at
            experts.declaration_in_force(user).declared_at = profile.conflicts_declared_at
            db.session.commit()
        created += 1
    _date_answers_declarations()
    return created


def _date_answers_declarations() -> None:
    """Give the demo's answers, posted before the profiles, the declaration in force then.

    As the migration did for answers older than declaration versions: the
    version declared last before the answer, or the first one.
    """
    versions: dict[int, list[DeclarationOfInterest]] = {}
    for version in db.session.scalars(
        select(DeclarationOfInterest).order_by(DeclarationOfInterest.number)
    ):
        versions.setdefault(version.expert_id, []).append(version)
    for answer in db.session.scalars(select(Answer).where(Answer.declaration_id.is_(None))):
        known = versions.get(answer.author_id)
        if known:
            before = [version for version in known if version.declared_at <= answer.created_at]
            answer.declaration = before[-1] if before else known[0]
    db.session.commit()


def seed_invitations(users: dict[str, User]) -> int:
    """Route two of the demo's open questions to named experts, once; returns how many."""
    created = 0
    for inviter_key, expert_key, title_start, message in DEMO_INVITATIONS:
        question = db.session.scalar(
            select(Question)
            .where(Question.title.startswith(title_start))
            .order_by(Question.created_at, Question.id)
        )
        expert = users[expert_key]
        if question is None or db.session.scalar(
            select(Invitation.id).where(
                Invitation.question_id == question.id, Invitation.expert_id == expert.id
            )
        ):
            continue
        invitations.invite(question, expert, users[inviter_key], message)
        created += 1
    return created
