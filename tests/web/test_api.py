"""The JSON API: every endpoint for each role, confidentiality, and the document it follows."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Answer, Comment, Question, Visibility
from forum.services import answers, board, clinics, faq
from forum.services.accounts import api_tokens
from forum.services.clinics import ClinicDraft
from forum.services.guide import importing
from forum.web.api import openapi, payloads, question_payloads
from forum.web.api.queries import QuestionListQuery
from tests.factories import approved_release, ask_question, published_board_answer, topic_id

GUIDE = """# A small guide

Read this first.

## Is my study a clinical investigation?

It is when it assesses the device's safety or performance (MDR Art. 2).

### Pre-market or not

Class III devices are investigated before CE marking.
"""


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def tokens(people) -> dict[str, dict]:
    """Authorization headers for each of the cast, and none for the visitor."""
    headers = {"visitor": {}}
    for role in ("admin", "asker", "other", "expert", "chair", "clinical"):
        headers[role] = bearer(api_tokens.create(getattr(people, role), "tests").secret)
    return headers


@pytest.fixture
def confidential(people):
    return ask_question(
        people.asker,
        title="Our unreleased implant: which class applies?",
        visibility=Visibility.CONFIDENTIAL,
    )


@pytest.fixture
def public(people):
    return ask_question(people.asker, title="Which pathway applies to our class IIb tool?")


def _ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    return problem


# --- the caller and topics ---------------------------------------------------------------


@pytest.mark.parametrize(
    "role, expected", [("admin", "admin"), ("asker", "member"), ("expert", "expert")]
)
def test_me_answers_with_the_tokens_owner_and_role(client, tokens, people, role, expected):
    response = client.get("/api/v1/me", headers=tokens[role])
    assert response.status_code == 200
    assert response.get_json()["role"] == expected
    assert response.get_json()["email"] == getattr(people, role).email


def test_me_without_a_token_is_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/me")
    _assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_topics_are_listed_for_everyone(client):
    response = client.get("/api/v1/topics")
    slugs = [item["slug"] for item in response.get_json()["items"]]
    assert response.status_code == 200 and "regulatory-pathway" in slugs


# --- listing questions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, sees",
    [("visitor", False), ("other", False), ("asker", True), ("expert", True), ("admin", True)],
)
def test_confidential_questions_are_listed_and_counted_only_for_those_who_may_open_them(
    client, tokens, public, confidential, role, sees
):
    response = client.get("/api/v1/questions", headers=tokens[role])
    body = response.get_json()
    assert response.status_code == 200
    assert (confidential.id in _ids(response)) is sees
    assert public.id in _ids(response)
    assert body["total"] == (2 if sees else 1)


def test_question_list_filters_as_the_page_does(client, tokens, people, public, confidential):
    other_question = ask_question(
        people.other, title="How do we budget for site insurance?", topics=("insurance-costs",)
    )
    answers.post_answer(public, people.expert, "Apply through the ethics committee first.")
    by_topic = client.get("/api/v1/questions?topic=insurance-costs", headers=tokens["admin"])
    assert _ids(by_topic) == [other_question.id]
    answered = client.get("/api/v1/questions?status=answered", headers=tokens["admin"])
    assert _ids(answered) == [public.id]
    unanswered = client.get("/api/v1/questions?unanswered=true", headers=tokens["admin"])
    assert set(_ids(unanswered)) == {other_question.id, confidential.id}
    mine = client.get("/api/v1/questions?mine=true", headers=tokens["other"])
    assert _ids(mine) == [other_question.id]


def test_mine_without_a_token_is_401(client):
    _assert_problem(client.get("/api/v1/questions?mine=true"), 401)


def test_question_list_pages_with_links(client, people):
    created = [
        ask_question(people.asker, title=f"Question number {n} about class IIb devices")
        for n in range(3)
    ]
    first = client.get("/api/v1/questions?per_page=2").get_json()
    assert first["total"] == 3 and first["pages"] == 2 and first["page"] == 1
    assert [item["id"] for item in first["items"]] == [created[2].id, created[1].id]
    assert first["links"]["prev"] is None
    second = client.get(first["links"]["next"]).get_json()
    assert [item["id"] for item in second["items"]] == [created[0].id]
    assert second["links"]["next"] is None and second["links"]["prev"] is not None


@pytest.mark.parametrize(
    "query, field",
    [
        ("per_page=101", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("status=lost", "status"),
        ("unanswered=maybe", "unanswered"),
    ],
)
def test_bad_query_parameters_are_a_400_naming_the_parameter(client, query, field):
    problem = _assert_problem(client.get(f"/api/v1/questions?{query}"), 400)
    assert [error["field"] for error in problem["errors"]] == [field]


def test_a_page_number_of_thousands_of_digits_is_a_400_and_leading_zeros_are_fine(client):
    problem = _assert_problem(client.get("/api/v1/questions?page=" + "9" * 5000), 400)
    assert [error["field"] for error in problem["errors"]] == ["page"]
    assert client.get("/api/v1/questions?per_page=0002").get_json()["per_page"] == 2


def test_a_nul_character_in_a_query_is_a_400_problem(client):
    _assert_problem(client.get("/api/v1/questions?topic=a%00b"), 400)


# --- reading a question ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [("visitor", 404), ("other", 404), ("asker", 200), ("expert", 200), ("admin", 200)],
)
def test_a_confidential_question_is_404_to_those_who_may_not_open_it(
    client, tokens, confidential, role, status
):
    response = client.get(f"/api/v1/questions/{confidential.id}", headers=tokens[role])
    if status == 404:
        problem = _assert_problem(response, 404)
        assert confidential.title not in problem["detail"]
    else:
        assert response.status_code == 200
        assert response.get_json()["visibility"] == "confidential"


def test_a_question_comes_with_answers_comments_and_the_published_board_answer(
    client, tokens, people, public
):
    answer = answers.post_answer(public, people.expert, "See MDR Art. 70 <script>alert(1)</script>")
    answers.post_comment(public, people.asker, "Is it **invasive**?")
    answers.post_comment(public, people.expert, "Which site?", answer=answer)
    published_board_answer(public, people.board, "The board answers: MDR Art. 62 applies.")
    answers.accept_answer(public, answer, people.asker)

    body = client.get(f"/api/v1/questions/{public.id}", headers=tokens["asker"]).get_json()
    assert body["status"] == "closed" and body["accepted_answer_id"] == answer.id
    assert [item["body"] for item in body["comments"]] == ["Is it **invasive**?"]
    assert "<strong>invasive</strong>" in body["comments"][0]["body_html"]
    [listed] = body["answers"]
    assert listed["accepted"] is True and listed["author"]["is_expert"] is True
    assert "<script>" not in listed["body_html"] and "<script>" in listed["body"]
    assert [item["body"] for item in listed["comments"]] == ["Which site?"]
    board_answer = body["board_answer"]
    assert board_answer["body"] == "The board answers: MDR Art. 62 applies."
    assert {stance["expert"]["display_name"] for stance in board_answer["endorsements"]} == {
        expert.display_name for expert in people.board
    }
    assert body["you_may"] == {"answer": False, "comment": True, "edit": True}


def test_a_draft_board_answer_is_not_shown(client, people, public):
    board.open_board_answer(public, people.expert, "A draft the board is still writing.")
    body = client.get(f"/api/v1/questions/{public.id}").get_json()
    assert body["board_answer"] is None


def test_reading_a_question_costs_the_same_queries_whatever_its_size(
    client, people, public, count_queries
):
    answers.post_answer(public, people.expert, "A first answer citing MDR Art. 62.")
    with count_queries() as small:
        client.get(f"/api/v1/questions/{public.id}")
    for expert in (people.chair, people.clinical):
        answer = answers.post_answer(public, expert, "Another answer citing ISO 14155.")
        answers.post_comment(public, people.asker, "Thanks, and the costs?", answer=answer)
    with count_queries() as large:
        client.get(f"/api/v1/questions/{public.id}")
    assert len(large) == len(small)


def test_an_unknown_or_too_large_question_id_is_404(client):
    _assert_problem(client.get("/api/v1/questions/999999"), 404)
    _assert_problem(client.get("/api/v1/questions/99999999999999"), 404)


# --- asking ------------------------------------------------------------------------------------------


def _new_question(**overrides) -> dict:
    body = {
        "title": "Do we need Ministry authorisation for a class IIb study?",
        "body": "Our non-invasive class IIb monitor is ready for a first clinical study.",
        "topics": ["regulatory-pathway"],
        "device_class": "IIb",
        "stage": "prototype",
    }
    body.update(overrides)
    return body


def _question_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Question))


@pytest.mark.parametrize("role", ["asker", "expert", "admin"])
def test_a_signed_in_account_asks_a_question(client, tokens, people, role):
    response = client.post(
        "/api/v1/questions",
        json=_new_question(visibility="confidential"),
        headers=tokens[role],
        csrf=False,
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert response.headers["Location"] == f"/api/v1/questions/{created['id']}"
    question = db.session.get(Question, created["id"])
    assert question.author_id == getattr(people, role).id
    assert question.visibility == Visibility.CONFIDENTIAL
    assert [topic.id for topic in question.topics] == [topic_id("regulatory-pathway")]
    assert len(question.revisions) == 1  # through the service, with its first revision


def test_asking_without_a_token_is_401_and_stores_nothing(client):
    _assert_problem(client.post("/api/v1/questions", json=_new_question(), csrf=False), 401)
    assert _question_count() == 0


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": "Too short"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "   "}, "body"),
        ({"body": "y" * 20_001}, "body"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"topics": []}, "topics"),
        ({"device_class": "IV"}, "device_class"),
        ({"stage": None}, "stage"),
        ({"visibility": "secret"}, "visibility"),
        ({"title": "A title with a NUL \x00 character in it"}, "title"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_an_invalid_question_is_a_422_naming_the_field(client, tokens, overrides, field):
    response = client.post(
        "/api/v1/questions", json=_new_question(**overrides), headers=tokens["asker"], csrf=False
    )
    problem = _assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == [field]
    assert problem["type"].endswith("#problem-validation")
    assert _question_count() == 0


def test_every_invalid_field_is_named_at_once(client, tokens):
    response = client.post(
        "/api/v1/questions", json={"title": "short"}, headers=tokens["asker"], csrf=False
    )
    fields = {error["field"] for error in _assert_problem(response, 422)["errors"]}
    assert fields == {"title", "body", "topics", "device_class", "stage"}


def test_malformed_json_is_a_400(client, tokens):
    response = client.post(
        "/api/v1/questions",
        data="{not json",
        headers=tokens["asker"],
        content_type="application/json",
        csrf=False,
    )
    _assert_problem(response, 400)
    response = client.post(
        "/api/v1/questions", json=["a", "list"], headers=tokens["asker"], csrf=False
    )
    _assert_problem(response, 400)


def test_a_body_that_is_not_json_is_a_415(client, tokens):
    response = client.post(
        "/api/v1/questions", data={"title": "form fields"}, headers=tokens["asker"], csrf=False
    )
    _assert_problem(response, 415)


def test_a_body_over_the_limit_is_a_413_problem(client, tokens):
    response = client.post(
        "/api/v1/questions",
        json=_new_question(body="z" * (300 * 1024)),
        headers=tokens["asker"],
        csrf=False,
    )
    _assert_problem(response, 413)
    assert _question_count() == 0


def _raw_json(text: str, headers: dict) -> dict:
    """Keyword arguments posting ``text`` exactly as written (its \\u escapes kept)."""
    return {"data": text, "content_type": "application/json", "headers": headers, "csrf": False}


@pytest.mark.parametrize(
    "payload, fields",
    [
        ('"title": "Lone \\ud800 surrogate in a long enough title"', ["title"]),
        ('"body": "A trailing low half \\udfff"', ["body"]),
        ('"topics": ["regulatory-pathway", "\\udbff"]', ["topics[1]"]),
        ('"extra": {"deep": [{"\\ud800": "x"}]}', ["extra.deep[0].\\ud800"]),
    ],
)
def test_a_lone_surrogate_anywhere_in_a_question_is_a_422_naming_its_field(
    client, tokens, payload, fields
):
    import json

    body = json.dumps(_new_question())[:-1] + ", " + payload + "}"
    # a duplicate key keeps the later value, the one with the surrogate
    response = client.post("/api/v1/questions", **_raw_json(body, tokens["asker"]))
    problem = _assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == fields
    assert "surrogate" in problem["errors"][0]["message"]
    assert _question_count() == 0


def test_a_well_formed_surrogate_pair_is_an_ordinary_character(client, tokens):
    title = "A class IIb device with an emoji \\ud83d\\ude00 in its title"
    body = (
        f'{{"title": "{title}", "body": "{"Body text " * 3}", '
        '"topics": ["regulatory-pathway"], "device_class": "IIb", "stage": "prototype"}'
    )
    response = client.post("/api/v1/questions", **_raw_json(body, tokens["asker"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["title"].endswith("emoji \U0001f600 in its title")


# --- answering and commenting ------------------------------------------------------------------------

ANSWER = {"body": "A first-in-human study needs the Ministry's authorisation (MDR Art. 70)."}


@pytest.mark.parametrize(
    "role, status",
    [("visitor", 401), ("asker", 403), ("other", 403), ("admin", 403), ("expert", 201)],
)
def test_only_experts_answer(client, tokens, public, role, status):
    response = client.post(
        f"/api/v1/questions/{public.id}/answers", json=ANSWER, headers=tokens[role], csrf=False
    )
    assert response.status_code == status
    stored = db.session.scalar(select(func.count()).select_from(Answer))
    assert stored == (1 if status == 201 else 0)
    if status == 201:
        assert response.get_json()["body"] == ANSWER["body"]
        db.session.refresh(public)
        assert public.status.value == "answered" and public.answer_count == 1


def test_answering_a_confidential_question_one_cannot_see_is_404(client, tokens, confidential):
    response = client.post(
        f"/api/v1/questions/{confidential.id}/answers",
        json=ANSWER,
        headers=tokens["other"],
        csrf=False,
    )
    _assert_problem(response, 404)


def test_a_short_answer_is_a_422_naming_body(client, tokens, public):
    response = client.post(
        f"/api/v1/questions/{public.id}/answers",
        json={"body": "Yes."},
        headers=tokens["expert"],
        csrf=False,
    )
    assert _assert_problem(response, 422)["errors"][0]["field"] == "body"


def test_a_lone_surrogate_in_an_answer_or_comment_is_a_422_and_stores_nothing(
    client, tokens, public
):
    for path, token in (("answers", "expert"), ("comments", "asker")):
        response = client.post(
            f"/api/v1/questions/{public.id}/{path}",
            **_raw_json('{"body": "Enough words \\ud800 to be stored."}', tokens[token]),
        )
        assert [error["field"] for error in _assert_problem(response, 422)["errors"]] == ["body"]
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


@pytest.mark.parametrize(
    "role, status",
    [("visitor", 401), ("other", 403), ("asker", 201), ("expert", 201), ("admin", 201)],
)
def test_the_asker_experts_and_admins_comment(client, tokens, public, role, status):
    response = client.post(
        f"/api/v1/questions/{public.id}/comments",
        json={"body": "Which site?"},
        headers=tokens[role],
        csrf=False,
    )
    assert response.status_code == status
    assert db.session.scalar(select(func.count()).select_from(Comment)) == (status == 201)


def test_a_comment_on_an_answer_must_name_an_answer_of_that_question(
    client, tokens, people, public
):
    elsewhere = answers.post_answer(
        ask_question(people.other, title="Another question on a IIb tool"),
        people.expert,
        "An answer to the other question.",
    )
    response = client.post(
        f"/api/v1/questions/{public.id}/comments",
        json={"body": "Which site?", "answer_id": elsewhere.id},
        headers=tokens["asker"],
        csrf=False,
    )
    assert _assert_problem(response, 422)["errors"][0]["field"] == "answer_id"
    answer = answers.post_answer(public, people.expert, "An answer to this question.")
    response = client.post(
        f"/api/v1/questions/{public.id}/comments",
        json={"body": "Which site?", "answer_id": answer.id},
        headers=tokens["asker"],
        csrf=False,
    )
    assert response.status_code == 201 and response.get_json()["answer_id"] == answer.id


def test_a_rule_the_state_refuses_is_a_409(client, tokens, public, monkeypatch):
    from forum.services.errors import RuleViolation

    def refuse(*args, **kwargs):
        raise RuleViolation("This question is locked.")

    monkeypatch.setattr(answers, "post_answer", refuse)
    response = client.post(
        f"/api/v1/questions/{public.id}/answers", json=ANSWER, headers=tokens["expert"], csrf=False
    )
    assert _assert_problem(response, 409)["detail"] == "This question is locked."


def test_an_unexpected_failure_is_a_500_problem_and_nothing_is_stored(
    client, tokens, public, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("status update failed")

    monkeypatch.setattr(answers, "refresh_status", explode)
    response = client.post(
        f"/api/v1/questions/{public.id}/answers", json=ANSWER, headers=tokens["expert"], csrf=False
    )
    problem = _assert_problem(response, 500)
    assert "RuntimeError" not in problem["detail"]
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


# --- the FAQ -------------------------------------------------------------------------------------------


def _promoted(people, question, text="Answer text for the FAQ, citing MDR Art. 62."):
    answer = answers.post_answer(question, people.expert, "The source answer, word for word.")
    return faq.promote_answer(
        people.admin,
        answer,
        question_text="Which class applies?",
        answer_text=text,
        topic=question.topics[0],
    )


@pytest.mark.parametrize(
    "role, sees_source", [("visitor", False), ("other", False), ("asker", True), ("expert", True)]
)
def test_faq_entries_name_a_confidential_source_only_to_those_who_may_open_it(
    client, tokens, people, confidential, role, sees_source
):
    entry = _promoted(people, confidential)
    listed = client.get("/api/v1/faq", headers=tokens[role]).get_json()["items"]
    assert [item["id"] for item in listed] == [entry.id]
    one = client.get(f"/api/v1/faq/{entry.id}", headers=tokens[role]).get_json()
    expected = confidential.id if sees_source else None
    assert listed[0]["source_question_id"] == one["source_question_id"] == expected
    assert one["question"] == "Which class applies?" and "<p>" in one["answer_html"]


def test_an_unpublished_faq_entry_is_gone_from_the_api(client, tokens, people, public):
    entry = _promoted(people, public)
    faq.unpublish(entry, people.admin)
    assert client.get("/api/v1/faq", headers=tokens["admin"]).get_json()["items"] == []
    _assert_problem(client.get(f"/api/v1/faq/{entry.id}", headers=tokens["admin"]), 404)


def test_faq_filters_by_topic(client, people, public):
    _promoted(people, public)
    assert client.get("/api/v1/faq?topic=ethics-committee").get_json()["items"] == []
    assert len(client.get("/api/v1/faq?topic=regulatory-pathway").get_json()["items"]) == 1


# --- the guide -------------------------------------------------------------------------------------------


@pytest.fixture
def released_guide(people):
    importing.import_guide(GUIDE, people.admin)
    return approved_release("1.0", "First release", people.admin)


def test_the_guide_is_404_before_it_is_imported(client):
    _assert_problem(client.get("/api/v1/guide"), 404)


def test_the_current_guide_has_its_sections_in_order(client, released_guide):
    body = client.get("/api/v1/guide").get_json()
    assert body["title"] == "A small guide"
    [section] = body["sections"]
    assert section["title"] == "Is my study a clinical investigation?"
    assert [child["title"] for child in section["children"]] == ["Pre-market or not"]
    assert body["latest_release"]["version"] == "1.0"


def test_releases_are_listed_and_each_comes_as_json_or_markdown(client, released_guide):
    listed = client.get("/api/v1/guide/releases").get_json()["items"]
    assert [item["version"] for item in listed] == ["1.0"]
    as_json = client.get("/api/v1/guide/releases/1.0")
    assert as_json.get_json()["markdown"] == GUIDE and as_json.get_json()["sections"]
    as_file = client.get("/api/v1/guide/releases/1.0.md")
    assert as_file.mimetype == "text/markdown" and as_file.get_data(as_text=True) == GUIDE
    negotiated = client.get("/api/v1/guide/releases/1.0", headers={"Accept": "text/markdown"})
    assert negotiated.mimetype == "text/markdown" and negotiated.get_data(as_text=True) == GUIDE


@pytest.mark.parametrize("version", ["2.0", "latest", "1.0.0"])
def test_an_unknown_release_is_404(client, released_guide, version):
    _assert_problem(client.get(f"/api/v1/guide/releases/{version}"), 404)
    _assert_problem(client.get(f"/api/v1/guide/releases/{version}.md"), 404)


# --- clinics -----------------------------------------------------------------------------------------------


@pytest.fixture
def clinic(people):
    return clinics.create_clinic(
        people.admin,
        ClinicDraft(
            name="Ospedale di Prova",
            city="Milano",
            specialties="Cardiology; Neurology",
            contact_name="Dr. Rossi",
            contact_email="rossi@ospedale.example",
            contact_phone="+39 02 000000",
        ),
    )


@pytest.mark.parametrize(
    "role, sees_contact", [("visitor", False), ("asker", False), ("expert", True), ("admin", True)]
)
def test_a_clinics_contact_is_for_experts_and_admins_only(
    client, tokens, clinic, role, sees_contact
):
    one = client.get(f"/api/v1/clinics/{clinic.id}", headers=tokens[role])
    listed = client.get("/api/v1/clinics", headers=tokens[role]).get_json()["items"]
    for item in (one.get_json(), listed[0]):
        assert item["specialties"] == ["Cardiology", "Neurology"]
        if sees_contact:
            assert item["contact"]["email"] == "rossi@ospedale.example"
        else:
            assert item["contact"] is None
    if not sees_contact:
        assert "rossi@" not in one.get_data(as_text=True)


def test_a_deactivated_clinic_is_seen_by_admins_only(client, tokens, people, clinic):
    clinics.deactivate(clinic, people.admin)
    _assert_problem(client.get(f"/api/v1/clinics/{clinic.id}", headers=tokens["expert"]), 404)
    assert client.get("/api/v1/clinics", headers=tokens["expert"]).get_json()["items"] == []
    assert (
        client.get(f"/api/v1/clinics/{clinic.id}", headers=tokens["admin"]).get_json()["active"]
        is False
    )


def test_clinics_search_and_filter(client, clinic):
    assert len(client.get("/api/v1/clinics?q=neuro").get_json()["items"]) == 1
    assert client.get("/api/v1/clinics?city=Roma").get_json()["items"] == []


# --- the review (admins) -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status", [("visitor", 401), ("asker", 403), ("expert", 403), ("admin", 200)]
)
def test_the_review_is_for_admins(client, tokens, role, status):
    for path in ("/api/v1/review", "/api/v1/review/export?format=json"):
        assert client.get(path, headers=tokens[role]).status_code == status


def test_the_review_gives_the_pages_figures_for_the_period(client, tokens, public, confidential):
    body = client.get(
        "/api/v1/review?from=2020-01-01&to=2029-12-31", headers=tokens["admin"]
    ).get_json()
    assert body["period"] == {"from": "2020-01-01", "to": "2029-12-31"}
    visibility = next(
        table for table in body["tables"] if table["key"] == "questions_by_visibility"
    )
    assert [row[1] for row in visibility["rows"]] == [1, 1]


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
        ("from=2026-05-01&to=2026-01-01", "from"),
        ("from=1000-01-01", "from"),
        ("from=2000-01-01&to=2999-12-31", "from"),
        ("format=pdf", "format"),
    ],
)
def test_a_bad_review_period_or_format_is_a_400_naming_it(client, tokens, query, field):
    path = "/api/v1/review/export" if "format" in query else "/api/v1/review"
    problem = _assert_problem(client.get(f"{path}?{query}", headers=tokens["admin"]), 400)
    assert problem["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "export_format, media_type, magic",
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "application/zip", b"PK"),
        ("json", "application/json", b"{"),
    ],
)
def test_review_exports_are_the_pages_files(client, tokens, export_format, media_type, magic):
    response = client.get(f"/api/v1/review/export?format={export_format}", headers=tokens["admin"])
    assert response.status_code == 200 and response.mimetype == media_type
    assert response.data.startswith(magic)
    assert response.headers["Content-Disposition"].startswith("attachment;")


# --- errors, the document and its page --------------------------------------------------------------------


def test_unknown_api_paths_and_methods_are_problems_but_pages_stay_html(client):
    _assert_problem(client.get("/api/v1/no/such/thing"), 404)
    wrong = client.delete("/api/v1/questions")
    _assert_problem(wrong, 405)
    assert "GET" in wrong.headers["Allow"] and "POST" in wrong.headers["Allow"]
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_the_openapi_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_document_lists_exactly_the_apis_routes(app):
    prefix = "/api/v1"
    documented = {
        (prefix + path, method.upper())
        for path, methods in openapi.document()["paths"].items()
        for method in methods
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix + "/") or rule.rule == prefix:
            path = rule.rule
            for argument in rule.arguments:
                path = path.replace(f"<int:{argument}>", f"{{{argument}}}")
                path = path.replace(f"<{argument}>", f"{{{argument}}}")
            routed |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


def test_the_docs_page_renders_the_document_without_external_resources(client):
    response = client.get("/api/v1/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    for path in openapi.document()["paths"]:
        assert f"/api/v1{path}" in page
    assert "<script" not in page and 'src="http' not in page and 'href="http' not in page
    assert "NewQuestion" in page and "problem-validation" in page


def test_the_document_and_docs_ignore_a_stray_token(client):
    assert client.get("/api/v1/openapi.json", headers=bearer("ctcc_wrong")).status_code == 200
    assert client.get("/api/v1/docs", headers=bearer("ctcc_wrong")).status_code == 200


def test_the_documents_schemas_are_the_payload_and_body_models(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert schemas["NewQuestion"]["properties"]["title"]["maxLength"] == 200
    assert schemas["NewQuestion"]["additionalProperties"] is False
    assert set(schemas["Question"]["properties"]) == {
        field.alias or name for name, field in question_payloads.Question.model_fields.items()
    }
    parameters = document["paths"]["/questions"]["get"]["parameters"]
    assert [item["name"] for item in parameters] == list(QuestionListQuery.model_fields)


def test_a_rich_question_fits_its_payload_model_exactly(client, tokens, people, public):
    """The models forbid unknown fields and require every declared one: a serializer that
    drifted from its model fails here, before Schemathesis."""
    answer = answers.post_answer(public, people.expert, "See MDR Art. 70.")
    answers.post_comment(public, people.expert, "Which site?", answer=answer)
    published_board_answer(public, people.board, "The board answers: MDR Art. 62 applies.")
    body = client.get(f"/api/v1/questions/{public.id}", headers=tokens["asker"]).get_json()
    question_payloads.Question.model_validate(body)
    listed = client.get("/api/v1/questions", headers=tokens["asker"]).get_json()
    question_payloads.QuestionList.model_validate(listed)
    payloads.Me.model_validate(client.get("/api/v1/me", headers=tokens["expert"]).get_json())


# --- search -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, sees",
    [("visitor", False), ("other", False), ("asker", True), ("expert", True), ("admin", True)],
)
def test_search_finds_a_confidential_question_only_for_those_who_may_open_it(
    client, tokens, people, confidential, role, sees
):
    ask_question(people.other, title="Implant sterilisation: which standard for the study?")
    response = client.get("/api/v1/search?q=implant", headers=tokens[role])
    body = response.get_json()
    assert response.status_code == 200 and body["searched"] is True
    found = {(hit["kind"], hit["object_id"]) for hit in body["items"]}
    assert (("question", confidential.id) in found) is sees
    assert body["total"] == (2 if sees else 1)
    assert body["kind_counts"]["question"] == body["total"]
    assert all(confidential.title not in hit["snippet_html"] for hit in body["items"] if not sees)


def test_search_filters_by_kind_and_marks_the_words(client, people, public):
    answers.post_answer(public, people.expert, "The pathway is set by MDR Art. 62 for this tool.")
    only_answers = client.get("/api/v1/search?q=pathway&kind=answer").get_json()
    assert [hit["kind"] for hit in only_answers["items"]] == ["answer"]
    assert only_answers["kind_counts"]["question"] == 1  # counts ignore the kind filter
    assert "<mark>" in only_answers["items"][0]["snippet_html"]
    assert only_answers["items"][0]["question_id"] == public.id


def test_a_query_without_searchable_words_searches_nothing(client):
    body = client.get("/api/v1/search?q=%20").get_json()
    assert body["searched"] is False and body["items"] == [] and body["total"] == 0


@pytest.mark.parametrize(
    "query, field",
    [
        ("kind=poem", "kind"),
        ("status=lost", "status"),
        ("since=2026-05-01&until=2026-01-01", "until"),
        ("until=someday", "until"),
    ],
)
def test_bad_search_filters_are_a_400_naming_them(client, query, field):
    problem = _assert_problem(client.get(f"/api/v1/search?q=pathway&{query}"), 400)
    assert problem["errors"][0]["field"] == field
