"""The demo's survey: "How useful is the forum?", open, with answers.

Built and answered through the survey services: the admin creates it with one
item of each kind and opens it; the demo members and experts answer (all but
Anna, so logging in as her shows the invitation on the home page), and a few
people answer through one-time links. Answers are drawn from a seeded
``random.Random``, so every run makes the same demo. Idempotent: nothing is
done if the survey exists.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Survey, SurveyItemKind, SurveyResponse, User
from forum.models.columns import utcnow
from forum.services import survey as surveys
from forum.services import survey_answers
from forum.services.survey import ItemDraft

DEMO_SURVEY_TITLE = "How useful is the forum?"
DEMO_SURVEY_DESCRIPTION = (
    "Six months after the forum opened, the centre would like to know how it serves you. "
    "The survey takes about two minutes; each person answers once."
)
DEMO_ITEMS = (
    ItemDraft(
        SurveyItemKind.LIKERT, "The answers I received were useful for my clinical investigation."
    ),
    ItemDraft(
        SurveyItemKind.SINGLE,
        "How did you first hear about the forum?",
        ("A colleague", "The centre's newsletter", "A regional event", "A web search", "Other"),
    ),
    ItemDraft(
        SurveyItemKind.MULTIPLE,
        "Which parts of the forum have you used?",
        ("Questions and answers", "FAQ", "Requirements guide", "Expert directory", "Board answers"),
        required=False,
    ),
    ItemDraft(SurveyItemKind.NPS, "How likely are you to recommend the forum to a colleague?"),
    ItemDraft(SurveyItemKind.TEXT, "What should the centre improve?", required=False),
)
RESPONDENTS = (
    "member_davide",
    "member_francesca",
    "member_matteo",
    "expert_elena",
    "expert_paolo",
    "expert_sara",
)
LINK_RESPONSES = 6
SUGGESTIONS = (
    "More worked examples of clinical investigation plans for class IIa devices.",
    "Answers came quickly; a summary of the ethics committee timelines would help.",
    "An English and Italian version of the guide side by side.",
    "Notify me when the FAQ changes in a topic I follow.",
    "",
    "Templates for the notification to the Ministry would save us weeks.",
    "",
    "A session on MDCG guidance for start-ups at the next regional event.",
)


def seed_survey(users: dict[str, User]) -> int:
    """Create, open and answer the demo survey unless it exists; the responses added."""
    if db.session.scalar(select(Survey.id).where(Survey.title == DEMO_SURVEY_TITLE)):
        return 0
    admin = users["admin_giulia"]
    survey = surveys.create_survey(admin, DEMO_SURVEY_TITLE, DEMO_SURVEY_DESCRIPTION)
    for draft in DEMO_ITEMS:
        surveys.add_item(survey, admin, draft)
    surveys.open_survey(survey, admin)
    rng = random.Random(2026)
    tokens = surveys.create_invitation_links(
        survey, LINK_RESPONSES + 4, "Regional event, May", admin
    )
    respondents = [{"user": users[key]} for key in RESPONDENTS]
    respondents += [
        {"invitation": survey_answers.invitation_for_token(token)}
        for token in tokens[:LINK_RESPONSES]
    ]
    for number, respondent in enumerate(respondents):
        survey_answers.submit_response(
            survey, _answers(survey, rng, number), quote_consent=rng.random() < 0.6, **respondent
        )
    _backdate(survey)
    return len(respondents)


def _answers(survey: Survey, rng: random.Random, number: int) -> dict[int, object]:
    likert, single, multiple, nps, text = survey.items
    return {
        likert.id: str(rng.choices((2, 3, 4, 5), weights=(1, 2, 5, 4))[0]),
        single.id: rng.choice(single.option_list),
        multiple.id: rng.sample(multiple.option_list, rng.randint(1, 3)),
        nps.id: str(rng.choices(range(4, 11), weights=(1, 1, 1, 2, 3, 4, 3))[0]),
        text.id: SUGGESTIONS[number % len(SUGGESTIONS)],
    }


def _backdate(survey: Survey) -> None:
    """Opened five weeks ago, answered over the weeks since."""
    now = utcnow()
    survey.created_at = now - timedelta(days=40)
    survey.opened_at = now - timedelta(days=35)
    responses = db.session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id)
    ).all()
    for number, response in enumerate(responses):
        response.submitted_at = now - timedelta(days=34 - 3 * number, hours=number)
    db.session.commit()
