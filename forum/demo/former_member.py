"""A demo member who deleted their account, so the demo shows what deletion leaves.

They asked a public question (it stays, asked by "Former member", with no
link to them) and a confidential one (its title and text are erased;
experts and admins see the tombstone). Loaded through the same services as the
pages: asking, then ``deletion.delete_account``.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from forum.extensions import db
from forum.models import DevelopmentStage, DeviceClass, Question, Topic, Visibility
from forum.services import centre_pages, questions
from forum.services.accounts import creation, deletion
from forum.services.questions import QuestionDraft

# The public question stays, under "Former member"; it also marks that the deletion was played.
PUBLIC_TITLE = "Which hospitals in Lombardy have run first-in-human studies of wearables?"
PUBLIC_BODY = (
    "We make a wearable ECG patch and are looking for a hospital used to device "
    "studies on ambulatory patients. Is there a list, or someone at the centre we "
    "can ask?"
)


def seed_former_member() -> bool:
    """Create the demo's former member, let them ask, delete the account; False if done before."""
    if db.session.scalar(select(Question.id).where(Question.stored_title == PUBLIC_TITLE)):
        return False
    password = secrets.token_urlsafe(16)
    # Registered like anyone, accepting the privacy notice in force.
    person = creation.create_user(
        email="luca.ferrari@pulse-wear.example",
        display_name="Luca Ferrari",
        password=password,
        privacy_version_accepted=centre_pages.current_privacy_version(),
    )
    topic = db.session.scalar(select(Topic).where(Topic.slug == "regulatory-pathway"))
    sites = db.session.scalar(select(Topic).where(Topic.slug == "clinical-sites-populations"))
    questions.ask(
        person,
        QuestionDraft(
            title=PUBLIC_TITLE,
            body=PUBLIC_BODY,
            topic_ids=[sites.id],
            device_class=DeviceClass.CLASS_IIA,
            stage=DevelopmentStage.PROTOTYPE,
            visibility=Visibility.PUBLIC,
        ),
    )
    questions.ask(
        person,
        QuestionDraft(
            title="First-in-human plan for our wearable ECG patch",
            body="Our patch records a single-lead ECG for 14 days and flags atrial fibrillation "
            "with our own algorithm. We would like the board's view on our first study plan.",
            topic_ids=[topic.id],
            device_class=DeviceClass.CLASS_IIA,
            stage=DevelopmentStage.PROTOTYPE,
            visibility=Visibility.CONFIDENTIAL,
        ),
    )
    deletion.delete_account(person, password)
    return True
