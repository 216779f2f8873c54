"""The survey: admins build, open and close it; each person answers once (signed in, or
through a one-time link); the results per item, with server-drawn charts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    AuditEntry,
    Role,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyItem,
    SurveyItemKind,
    SurveyResponse,
    SurveyStatus,
)
from forum.services import survey as surveys
from forum.services import survey_answers, survey_results
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.survey import ItemDraft
from forum.web import charts

OPTIONS = ("A colleague", "The newsletter", "A regional event")
PARTS = ("Questions", "FAQ", "Guide")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def member(make_user):
    return make_user(Role.MEMBER)


def build_survey(admin, *, open_it: bool = True, required_text: bool = False) -> Survey:
    """A survey with one item of each kind, in this order: Likert, single, multiple, NPS, text."""
    survey = surveys.create_survey(admin, "How useful is the forum?", "Two minutes, once.")
    for draft in (
        ItemDraft(SurveyItemKind.LIKERT, "The answers were useful."),
        ItemDraft(SurveyItemKind.SINGLE, "How did you hear of us?", OPTIONS),
        ItemDraft(SurveyItemKind.MULTIPLE, "Which parts did you use?", PARTS, required=False),
        ItemDraft(SurveyItemKind.NPS, "Would you recommend the forum?"),
        ItemDraft(SurveyItemKind.TEXT, "What should we improve?", required=required_text),
    ):
        surveys.add_item(survey, admin, draft)
    if open_it:
        surveys.open_survey(survey, admin)
    return survey


def items(survey: Survey) -> dict[SurveyItemKind, SurveyItem]:
    return {item.kind: item for item in survey.items}


def answers(
    survey: Survey,
    *,
    likert="4",
    single=OPTIONS[0],
    multiple=(PARTS[0], PARTS[2]),
    nps="9",
    text="More examples, please.",
) -> dict[int, object]:
    by_kind = items(survey)
    return {
        by_kind[SurveyItemKind.LIKERT].id: likert,
        by_kind[SurveyItemKind.SINGLE].id: single,
        by_kind[SurveyItemKind.MULTIPLE].id: list(multiple),
        by_kind[SurveyItemKind.NPS].id: nps,
        by_kind[SurveyItemKind.TEXT].id: text,
    }


def form_data(survey: Survey, **overrides) -> dict:
    """The answer form as a browser sends it (unanswered fields left out)."""
    data = {}
    for item_id, value in answers(survey, **overrides).items():
        if value is not None and value != "":
            data[f"item_{item_id}"] = value
    return data


def response_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def link_token(survey: Survey, admin) -> str:
    return surveys.create_invitation_links(survey, 1, "", admin)[0]


# --- building -------------------------------------------------------------------------


def test_an_admin_builds_and_opens_a_survey_through_the_pages(client, login, admin):
    login(admin)
    response = client.post(
        "/admin/surveys/new", data={"title": "Our forum, six months on", "description": "Tell us."}
    )
    assert response.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.status == SurveyStatus.DRAFT
    for kind, prompt, options in (
        ("likert", "The forum saves me time.", ""),
        ("single", "Your organisation?", "SME\nStart-up\nHospital"),
        ("multiple", "Which parts?", "FAQ\nGuide"),
        ("nps", "Recommend us?", ""),
        ("text", "Anything else?", ""),
    ):
        response = client.post(
            f"/admin/surveys/{survey.id}/items",
            data={"kind": kind, "prompt": prompt, "options": options, "required": "y"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/admin/surveys/{survey.id}").get_data(as_text=True)
    assert "Which parts?" in page and "Hospital" in page
    assert client.post(f"/admin/surveys/{survey.id}/open").status_code == 302
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.OPEN and survey.opened_at is not None
    assert [item.kind.value for item in survey.items] == [
        "likert",
        "single",
        "multiple",
        "nps",
        "text",
    ]
    assert survey.items[1].option_list == ["SME", "Start-up", "Hospital"]
    assert client.post(f"/admin/surveys/{survey.id}/close").status_code == 302
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.CLOSED
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["survey-created", "survey-opened", "survey-closed"]


def test_a_bad_item_is_shown_again_with_the_message_beside_its_field(client, login, admin):
    survey = build_survey(admin, open_it=False)
    login(admin)
    response = client.post(
        f"/admin/surveys/{survey.id}/items",
        data={"kind": "single", "prompt": "Pick one", "options": "Only one"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give between 2 and 20 different options" in page
    assert 'value="Pick one"' in page  # the input is kept
    response = client.post(
        f"/admin/surveys/{survey.id}/items", data={"kind": "smiley", "prompt": "Pick one"}
    )
    assert response.status_code == 422
    assert len(items(survey)) == 5


def test_items_are_edited_moved_and_removed_while_draft(client, login, admin):
    survey = build_survey(admin, open_it=False)
    likert, single = survey.items[0], survey.items[1]
    likert_id = likert.id
    login(admin)
    assert client.get(f"/admin/surveys/{survey.id}/items/{single.id}").status_code == 200
    assert (
        client.post(
            f"/admin/surveys/{survey.id}/items/{single.id}",
            data={
                "kind": "single",
                "prompt": "Where did you hear of us?",
                "options": "Friend\nEvent",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/admin/surveys/{survey.id}/items/{single.id}/move", data={"direction": "up"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert [item.id for item in survey.items][:2] == [single.id, likert_id]
    assert single.prompt == "Where did you hear of us?" and not single.required
    assert client.post(f"/admin/surveys/{survey.id}/items/{likert_id}/remove").status_code == 302
    db.session.expire_all()
    assert likert_id not in [item.id for item in survey.items]
    assert [item.position for item in survey.items] == [0, 1, 2, 3]
    other = build_survey(admin, open_it=False)
    assert client.get(f"/admin/surveys/{other.id}/items/{single.id}").status_code == 404
    assert (
        client.post(
            f"/admin/surveys/{survey.id}/items/{single.id}/move", data={"direction": "sideways"}
        ).status_code
        == 400
    )


def test_questions_cannot_change_once_the_survey_is_open(client, login, admin):
    survey = build_survey(admin)
    item = survey.items[0]
    with pytest.raises(RuleViolation):
        surveys.edit_item(item, admin, ItemDraft(SurveyItemKind.TEXT, "Changed"))
    with pytest.raises(RuleViolation):
        surveys.add_item(survey, admin, ItemDraft(SurveyItemKind.NPS, "Another"))
    login(admin)
    client.post(f"/admin/surveys/{survey.id}/items/{item.id}/remove")
    db.session.expire_all()
    assert len(survey.items) == 5
    page = client.get(f"/admin/surveys/{survey.id}").get_data(as_text=True)
    assert "its questions are fixed" in page
    assert f"/admin/surveys/{survey.id}/items/{item.id}/remove" not in page


def test_opening_needs_questions_and_no_other_open_survey(admin):
    empty = surveys.create_survey(admin, "Empty")
    with pytest.raises(RuleViolation, match="at least one question"):
        surveys.open_survey(empty, admin)
    first = build_survey(admin)
    second = build_survey(admin, open_it=False)
    with pytest.raises(RuleViolation, match="close it before"):
        surveys.open_survey(second, admin)
    assert surveys.current_open_survey() == first
    with pytest.raises(RuleViolation):
        surveys.open_survey(first, admin)  # already open


def test_only_admins_build_surveys(member, make_user):
    with pytest.raises(PermissionDenied):
        surveys.create_survey(member, "Mine")
    with pytest.raises(PermissionDenied):
        surveys.create_survey(make_user(Role.EXPERT), "Mine")


ADMIN_PAGES = (
    "/admin/surveys",
    "/admin/surveys/new",
    "/admin/surveys/{id}",
    "/admin/surveys/{id}/links",
    "/admin/surveys/{id}/results",
    "/admin/surveys/{id}/items/{item}",
)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_visitors_are_sent_to_log_in_from_the_survey_admin(client, admin, page):
    survey = build_survey(admin)
    response = client.get(page.format(id=survey.id, item=survey.items[0].id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_members_and_experts_may_not_use_the_survey_admin(
    client, make_user, login, admin, role, page
):
    survey = build_survey(admin)
    login(make_user(role))
    assert client.get(page.format(id=survey.id, item=survey.items[0].id)).status_code == 403
    assert client.post(f"/admin/surveys/{survey.id}/close").status_code == 403
    assert client.post(f"/admin/surveys/{survey.id}/links", data={"count": "5"}).status_code == 403
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.OPEN
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 0


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admins_see_every_survey_page(client, login, admin, page):
    survey = build_survey(admin)
    survey_answers.submit_response(
        survey,
        answers(survey),
        invitation=survey_answers.invitation_for_token(link_token(survey, admin)),
    )
    login(admin)
    assert client.get(page.format(id=survey.id, item=survey.items[0].id)).status_code == 200


def test_unknown_surveys_and_items_are_404(client, login, admin):
    login(admin)
    assert client.get("/admin/surveys/999999").status_code == 404
    assert client.get("/admin/surveys/999999/results").status_code == 404
    assert client.post("/admin/surveys/999999/open").status_code == 404
    assert client.get("/admin/surveys/1/items/999999").status_code == 404


# --- answering --------------------------------------------------------------------------


def test_a_member_answers_every_kind_of_question(client, login, admin, member):
    survey = build_survey(admin)
    login(member)
    page = client.get("/survey")
    assert page.status_code == 200
    assert "Would you recommend the forum?" in page.get_data(as_text=True)
    response = client.post("/survey", data={**form_data(survey), "quote_consent": "y"})
    assert response.status_code == 302
    stored = db.session.scalar(select(SurveyResponse))
    assert stored.user_id == member.id and stored.quote_consent
    values = {answer.item.kind: answer.value for answer in stored.answers}
    assert values == {
        SurveyItemKind.LIKERT: "4",
        SurveyItemKind.SINGLE: OPTIONS[0],
        SurveyItemKind.MULTIPLE: f"{PARTS[0]}\n{PARTS[2]}",
        SurveyItemKind.NPS: "9",
        SurveyItemKind.TEXT: "More examples, please.",
    }


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("likert", "6", "Choose a value from 1 to 5."),
        ("likert", "0", "Choose a value from 1 to 5."),
        ("likert", "four", "Choose a value from 1 to 5."),
        ("nps", "11", "Choose a value from 0 to 10."),
        ("nps", "-1", "Choose a value from 0 to 10."),
        ("single", "Somebody else", "Choose one of the options shown."),
        ("multiple", ["Questions", "Rumours"], "Choose among the options shown."),
        ("text", "x" * 2001, "At most 2000 characters"),
    ],
)
def test_each_kind_of_answer_is_checked(client, login, admin, member, kind, value, message):
    survey = build_survey(admin)
    login(member)
    override = {
        "likert": "likert",
        "nps": "nps",
        "single": "single",
        "multiple": "multiple",
        "text": "text",
    }[kind]
    response = client.post("/survey", data=form_data(survey, **{override: value}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Please correct the fields marked below." in page
    assert response_count() == 0


def test_the_form_keeps_what_was_typed_when_an_answer_is_wrong(client, login, admin, member):
    survey = build_survey(admin)
    login(member)
    response = client.post("/survey", data=form_data(survey, nps="12", text="Keep this text"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Keep this text" in page
    single = items(survey)[SurveyItemKind.SINGLE]
    assert re.search(rf'checked[^>]*value="{OPTIONS[0]}"|value="{OPTIONS[0]}"[^>]*checked', page)
    assert f'id="item_{single.id}' in page


def test_required_items_must_be_answered_and_optional_ones_may_be_skipped(admin, member):
    survey = build_survey(admin)
    with pytest.raises(survey_answers.InvalidAnswers) as refused:
        survey_answers.submit_response(
            survey, answers(survey, likert="", nps=None, multiple=(), text=""), user=member
        )
    by_kind = items(survey)
    assert set(refused.value.errors) == {
        by_kind[SurveyItemKind.LIKERT].id,
        by_kind[SurveyItemKind.NPS].id,
    }
    response = survey_answers.submit_response(
        survey, answers(survey, multiple=(), text="  "), user=member
    )
    assert {answer.item_id for answer in response.answers} == {
        by_kind[kind].id
        for kind in (SurveyItemKind.LIKERT, SurveyItemKind.SINGLE, SurveyItemKind.NPS)
    }


def test_a_required_free_text_must_be_written(admin, member):
    survey = build_survey(admin, required_text=True)
    with pytest.raises(survey_answers.InvalidAnswers) as refused:
        survey_answers.submit_response(survey, answers(survey, text=" "), user=member)
    assert list(refused.value.errors) == [items(survey)[SurveyItemKind.TEXT].id]


def test_a_member_answers_only_once(client, login, admin, member):
    survey = build_survey(admin)
    login(member)
    assert client.post("/survey", data=form_data(survey)).status_code == 302
    thanks = client.get("/survey")
    assert thanks.status_code == 200
    assert "You have already answered this survey" in thanks.get_data(as_text=True)
    second = client.post("/survey", data=form_data(survey, likert="1"))
    assert second.status_code == 409
    assert "your first answers stand" in second.get_data(as_text=True)
    assert response_count() == 1
    assert (
        db.session.scalar(
            select(SurveyAnswer.value)
            .join(SurveyItem)
            .where(SurveyItem.kind == SurveyItemKind.LIKERT)
        )
        == "4"
    )
    with pytest.raises(survey_answers.AlreadyAnswered):
        survey_answers.submit_response(survey, answers(survey), user=member)


def test_the_database_refuses_a_second_response_that_slips_past_the_check(
    admin, member, monkeypatch
):
    survey = build_survey(admin)
    survey_answers.submit_response(survey, answers(survey), user=member)
    monkeypatch.setattr(survey_answers, "has_answered", lambda survey, user: False)  # a race
    with pytest.raises(survey_answers.AlreadyAnswered, match="already answered"):
        survey_answers.submit_response(survey, answers(survey), user=member)
    assert response_count() == 1


def test_a_one_time_link_works_once_without_an_account(client, admin):
    survey = build_survey(admin)
    token = link_token(survey, admin)
    page = client.get(f"/survey/t/{token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    response = client.post(f"/survey/t/{token}", data=form_data(survey))
    assert response.status_code == 200
    assert "Thank you!" in response.get_data(as_text=True)
    stored = db.session.scalar(select(SurveyResponse))
    assert stored.user_id is None and stored.invitation_id is not None
    assert not stored.quote_consent
    again = client.post(f"/survey/t/{token}", data=form_data(survey))
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert client.get(f"/survey/t/{token}").status_code == 410
    assert response_count() == 1


def test_a_used_link_is_refused_by_the_database_too(admin, monkeypatch):
    survey = build_survey(admin)
    invitation = survey_answers.invitation_for_token(link_token(survey, admin))
    survey_answers.submit_response(survey, answers(survey), invitation=invitation)
    invitation.used_at = None  # as a second request that read the link before the first wrote
    with pytest.raises(survey_answers.AlreadyAnswered, match="each link works once"):
        survey_answers.submit_response(survey, answers(survey), invitation=invitation)
    assert response_count() == 1


def test_unknown_links_are_404_and_only_hashes_are_stored(client, admin):
    survey = build_survey(admin)
    token = link_token(survey, admin)
    assert client.get("/survey/t/not-a-real-token").status_code == 404
    assert client.get("/survey/t/" + "x" * 300).status_code == 404
    stored = db.session.scalar(select(SurveyInvitation.token_hash))
    assert stored != token and stored == surveys.token_hash(token)


def test_a_signed_in_user_following_a_link_answers_as_themself(client, login, admin, member):
    survey = build_survey(admin)
    token = link_token(survey, admin)
    login(member)
    response = client.get(f"/survey/t/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "/survey"
    assert db.session.scalar(select(SurveyInvitation.used_at)) is None


def test_a_closed_survey_takes_no_answers(client, login, admin, member):
    survey = build_survey(admin)
    token = link_token(survey, admin)
    surveys.close_survey(survey, admin)
    with pytest.raises(RuleViolation, match="closed"):
        survey_answers.submit_response(survey, answers(survey), user=member)
    assert client.post(f"/survey/t/{token}", data=form_data(survey)).status_code == 410
    login(member)
    page = client.get("/survey")
    assert "No survey is open" in page.get_data(as_text=True)
    assert client.post("/survey", data=form_data(survey)).status_code == 409
    assert response_count() == 0
    with pytest.raises(RuleViolation):
        surveys.create_invitation_links(survey, 3, "", admin)


def test_the_survey_needs_an_account_or_a_link(client, admin):
    build_survey(admin)
    response = client.get("/survey")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_home_page_invites_signed_in_users_until_they_answer(client, login, admin, member):
    survey = build_survey(admin)
    assert "Answer the survey" not in client.get("/").get_data(as_text=True)  # visitors
    login(member)
    assert "Answer the survey" in client.get("/").get_data(as_text=True)
    survey_answers.submit_response(survey, answers(survey), user=member)
    assert "Answer the survey" not in client.get("/").get_data(as_text=True)


def test_links_are_shown_once_with_their_full_address(client, login, admin):
    survey = build_survey(admin)
    login(admin)
    response = client.post(
        f"/admin/surveys/{survey.id}/links", data={"count": "3", "label": "Regional event"}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    links = re.findall(r"<code>(http[^<]+/survey/t/[^<]+)</code>", response.get_data(as_text=True))
    assert len(links) == 3
    token = links[0].rsplit("/", 1)[1]
    assert survey_answers.invitation_for_token(token) is not None
    later = client.get(f"/admin/surveys/{survey.id}/links").get_data(as_text=True)
    assert token not in later and "Regional event" in later
    too_many = client.post(f"/admin/surveys/{survey.id}/links", data={"count": "5000"})
    assert too_many.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 3


# --- results ------------------------------------------------------------------------------


def answered_survey(admin, make_user) -> Survey:
    """Known data: Likert 1, 2, 5, 4; NPS 10, 9, 7, 3, 0 (the fifth through a link)."""
    survey = build_survey(admin)
    rows = [
        ("1", OPTIONS[0], (PARTS[0],), "10", "Quote me", True),
        ("2", OPTIONS[1], (PARTS[0], PARTS[1]), "9", "Do not quote me", False),
        ("5", OPTIONS[1], (), "7", "", True),
        ("4", OPTIONS[2], (PARTS[0], PARTS[1], PARTS[2]), "3", "", False),
    ]
    for likert, single, multiple, nps, text, consent in rows:
        survey_answers.submit_response(
            survey,
            answers(survey, likert=likert, single=single, multiple=multiple, nps=nps, text=text),
            user=make_user(),
            quote_consent=consent,
        )
    invitation = survey_answers.invitation_for_token(link_token(survey, admin))
    survey_answers.submit_response(
        survey,
        answers(survey, likert="3", nps="0", text="Anonymous idea"),
        invitation=invitation,
        quote_consent=True,
    )
    return survey


def test_results_give_counts_the_likert_mean_and_the_nps(admin, make_user):
    survey = answered_survey(admin, make_user)
    figures = survey_results.results(survey)
    assert figures.responses == 5
    by_kind = {result.item.kind: result for result in figures.items}
    likert = by_kind[SurveyItemKind.LIKERT]
    assert likert.counts == [("1", 1), ("2", 1), ("3", 1), ("4", 1), ("5", 1)]
    assert likert.mean == pytest.approx(3.0)
    nps = by_kind[SurveyItemKind.NPS]
    assert nps.answered == 5
    # Promoters 10 and 9 (2 of 5), detractors 3 and 0 (2 of 5): 40% - 40%.
    assert nps.nps == pytest.approx(0.0)
    assert dict(nps.counts)["10"] == 1 and dict(nps.counts)["8"] == 0
    assert by_kind[SurveyItemKind.SINGLE].counts == [
        (OPTIONS[0], 2),
        (OPTIONS[1], 2),
        (OPTIONS[2], 1),
    ]
    multiple = by_kind[SurveyItemKind.MULTIPLE]
    assert multiple.counts == [(PARTS[0], 4), (PARTS[1], 2), (PARTS[2], 2)]
    assert multiple.answered == 4  # one response ticked nothing
    texts = by_kind[SurveyItemKind.TEXT].texts
    assert [answer.text for answer in texts] == ["Quote me", "Do not quote me", "Anonymous idea"]
    quotable = survey_results.results(survey, quotable_only=True)
    assert [answer.text for answer in quotable.items[4].texts] == ["Quote me", "Anonymous idea"]


def test_the_nps_counts_promoters_minus_detractors(admin, make_user):
    survey = build_survey(admin)
    for score in ("10", "9", "8", "6"):
        survey_answers.submit_response(survey, answers(survey, nps=score), user=make_user())
    assert items(survey)[SurveyItemKind.NPS]
    nps = next(
        result
        for result in survey_results.results(survey).items
        if result.item.kind == SurveyItemKind.NPS
    )
    assert nps.nps == pytest.approx(25.0)  # 2 promoters, 1 passive, 1 detractor of 4


def test_results_of_a_period(admin, make_user):
    from datetime import timedelta

    from forum.models.columns import utcnow

    survey = answered_survey(admin, make_user)
    oldest = db.session.scalar(select(SurveyResponse).order_by(SurveyResponse.id))
    oldest.submitted_at = utcnow() - timedelta(days=400)
    db.session.commit()
    recent = survey_results.results(survey, since=utcnow() - timedelta(days=30))
    assert recent.responses == 4
    assert survey_results.surveys_answered_between(utcnow() - timedelta(days=30), utcnow()) == [
        survey
    ]


def test_the_results_page_draws_a_chart_per_item_with_a_table(client, login, admin, make_user):
    survey = answered_survey(admin, make_user)
    login(admin)
    response = client.get(f"/admin/surveys/{survey.id}/results")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') == 4
    assert page.count('role="img"') == 4 and page.count("<desc") == 4
    assert page.count('<table class="admin-table survey-table">') == 4
    assert "Mean: 3.0 on a scale of 1 to 5" in page
    assert "Net promoter score: 0" in page
    assert "Do not quote me" in page and "not to be quoted" in page
    assert "style=" not in page and "<script" not in page


def test_the_results_page_runs_a_fixed_number_of_queries(
    client, login, admin, make_user, count_queries
):
    survey = answered_survey(admin, make_user)
    login(admin)
    with count_queries() as few:
        client.get(f"/admin/surveys/{survey.id}/results")
    for number in range(8):
        survey_answers.submit_response(
            survey, answers(survey, text=f"Idea {number}"), user=make_user()
        )
    with count_queries() as many:
        response = client.get(f"/admin/surveys/{survey.id}/results")
    assert "Idea 7" in response.get_data(as_text=True)
    assert len(many) == len(few)


def test_a_chart_escapes_its_labels_and_title():
    drawn = charts.bar_chart(
        'Votes <b>"bold"</b>', ["<script>alert(1)</script>", "ok & fine"], [3, 1], unit="%"
    )
    assert "<script>" not in drawn and "<b>" not in drawn
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in drawn
    assert "ok &amp; fine" in drawn
    assert drawn.startswith("<svg") and "<title" in drawn and "<desc" in drawn
    line = charts.line_chart("Visits <i>", ["2026-01", "<2026-02>"], {"Views <x>": [1, 2]})
    assert "<i>" not in line and "<x>" not in line and "&lt;2026-02&gt;" in line


def test_charts_cope_with_empty_zero_and_odd_values():
    assert "<svg" in charts.bar_chart("Nothing", [], [])
    assert 'width="0"' in charts.bar_chart("Zeros", ["a", "b"], [0, 0])
    odd = charts.bar_chart("Odd", ["first", "second"], [float("nan"), -3])
    assert ">nan<" not in odd.lower() and "NaN" not in odd and 'width="0"' in odd
    with pytest.raises(ValueError):
        charts.bar_chart("Mismatch", ["a"], [1, 2])
    assert "<polyline" not in charts.line_chart("One point", ["2026-01"], {"Views": [5]})


def test_an_option_with_markup_is_shown_as_text_on_every_page(client, login, admin, member):
    survey = surveys.create_survey(admin, "Markup <em>test</em>")
    surveys.add_item(
        survey,
        admin,
        ItemDraft(SurveyItemKind.SINGLE, "Pick <b>one</b>", ("<script>alert(1)</script>", "Plain")),
    )
    surveys.open_survey(survey, admin)
    login(member)
    answer_page = client.get("/survey").get_data(as_text=True)
    assert "<script>alert(1)" not in answer_page and "<b>one</b>" not in answer_page
    survey_answers.submit_response(
        survey, {survey.items[0].id: "<script>alert(1)</script>"}, user=member
    )
    login(admin)
    for path in (
        f"/admin/surveys/{survey.id}",
        f"/admin/surveys/{survey.id}/results",
        "/admin/surveys",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<em>test</em>" not in page


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_has_an_open_survey_with_answers(app):
    from forum.demo.survey import DEMO_SURVEY_TITLE

    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    survey = surveys.current_open_survey()
    assert survey is not None and survey.title == DEMO_SURVEY_TITLE
    assert {item.kind for item in survey.items} == set(SurveyItemKind)
    figures = survey_results.results(survey)
    assert figures.responses >= 10
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.invitation_id.is_not(None))
        )
        >= 3
    )
    quotable = survey_results.results(survey, quotable_only=True)
    written = sum(len(result.texts) for result in figures.items)
    assert 0 < sum(len(result.texts) for result in quotable.items) < written
    app.test_cli_runner().invoke(args=["seed-demo"])
    # The open survey and a draft whose Italian is partly outdated and partly missing
    # (forum/demo/translations.py); seeding again adds neither.
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 2
    assert survey_results.results(survey).responses == figures.responses
