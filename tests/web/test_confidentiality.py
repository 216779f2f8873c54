"""A confidential question is seen only by its author, experts and admins: others get 404."""

from __future__ import annotations

import pytest

from forum.models import Role, Visibility, random_ids
from forum.models.random_ids import FIRST_RANDOM_ID, LAST_RANDOM_ID
from forum.services import answers, board
from tests.factories import ask_question

SECRET_TITLE = "Unreleased implantable sensor: which pathway for first in human?"
SECRET_BODY = "Our unreleased sensor SENSOR-X7 is implanted under the skin."
SECRET_ANSWER = "For SENSOR-X7 the Ministry authorisation under Art. 16 applies."
SECRET_COMMENT = "Is SENSOR-X7 active or passive?"


@pytest.fixture
def secret(make_user):
    author = make_user()
    expert = make_user(Role.EXPERT)
    question = ask_question(
        author, title=SECRET_TITLE, body=SECRET_BODY, visibility=Visibility.CONFIDENTIAL
    )
    answer = answers.post_answer(question, expert, SECRET_ANSWER)
    answers.post_comment(question, expert, SECRET_COMMENT)
    return {"question": question, "answer": answer, "author": author, "expert": expert}


def _pages(secret) -> list[str]:
    question, answer = secret["question"], secret["answer"]
    return [
        f"/questions/{question.id}",
        f"/questions/{question.id}/some-slug",
        f"/questions/{question.id}/revisions",
        f"/questions/answers/{answer.id}/revisions",
    ]


def _lists() -> list[str]:
    return [
        "/",
        "/questions",
        "/questions?topic=regulatory-pathway",
        "/questions?status=answered",
        "/questions?mine=1",
        "/questions?unanswered=0",
        "/faq",
    ]


@pytest.mark.parametrize("viewer", ["visitor", "other member"])
def test_outsiders_get_404_and_see_it_in_no_list_or_count(client, make_user, login, secret, viewer):
    ask_question(make_user(), title="A public question everyone can read here")
    if viewer == "other member":
        login(make_user())
    for url in _pages(secret):
        assert client.get(url).status_code == 404, url
    for url in _lists():
        page = client.get(url).get_data(as_text=True)
        for text in ("SENSOR-X7", SECRET_TITLE, SECRET_COMMENT):
            assert text not in page, url
    assert "1 question so far" in client.get("/").get_data(as_text=True)
    assert "1 question</p>" in client.get("/questions").get_data(as_text=True)


@pytest.mark.parametrize("viewer", ["visitor", "other member"])
def test_outsiders_cannot_act_on_it(client, make_user, login, secret, viewer):
    question, answer = secret["question"], secret["answer"]
    if viewer == "other member":
        login(make_user())
    expected = 302 if viewer == "visitor" else 404  # visitors are asked to log in first
    for url, data in [
        (f"/questions/{question.id}/comments", {"body": "Let me in"}),
        (f"/questions/{question.id}/answers", {"body": "An answer from outside the board"}),
        (f"/questions/{question.id}/accept/{answer.id}", {}),
        (f"/questions/answers/{answer.id}/helpful", {"helpful": "1"}),
        (f"/questions/{question.id}/edit", {}),
    ]:
        assert client.post(url, data=data).status_code == expected, url


@pytest.mark.parametrize("who", ["author", "expert", "admin"])
def test_the_author_experts_and_admins_see_it_everywhere(client, make_user, login, secret, who):
    user = {
        "author": secret["author"],
        "expert": make_user(Role.EXPERT),
        "admin": make_user(Role.ADMIN),
    }[who]
    login(user)
    page = client.get(f"/questions/{secret['question'].id}").get_data(as_text=True)
    assert SECRET_BODY in page and SECRET_ANSWER in page and SECRET_COMMENT in page
    assert "Confidential" in page
    assert SECRET_TITLE in client.get("/questions").get_data(as_text=True)
    assert SECRET_TITLE in client.get("/").get_data(as_text=True)


def test_making_a_question_public_later_reveals_it(client, make_user, login, secret):
    from tests.factories import question_form

    login(secret["author"])
    client.post(
        f"/questions/{secret['question'].id}/edit",
        data=question_form(title=SECRET_TITLE, body=SECRET_BODY, visibility="public"),
    )
    client.post("/logout")
    assert client.get(f"/questions/{secret['question'].id}").status_code == 200


# --- its existence does not show either (issue 20, finding 8) ----------------------------------


def test_a_confidential_question_costs_an_outsider_the_statements_a_missing_one_costs(
    client, make_user, login, secret, count_queries
):
    login(make_user())
    question_id = secret["question"].id
    missing_id = question_id + 1 if question_id < LAST_RANDOM_ID else question_id - 1
    with count_queries() as missing:
        assert client.get(f"/questions/{missing_id}").status_code == 404
    with count_queries() as confidential:
        assert client.get(f"/questions/{question_id}").status_code == 404
    # Before, the page loaded every relation (topics, comments, answers, board answers)
    # and only then checked permission: a measurably slower 404.
    assert len(confidential) == len(missing), (confidential, missing)


def test_questions_answers_comments_and_board_answers_get_random_ids_with_no_gaps_to_count(
    make_user,
):
    author, expert = make_user(), make_user(Role.EXPERT)
    asked = [
        ask_question(
            author,
            title=f"Question number {n} about a class IIb pathway",
            visibility=Visibility.CONFIDENTIAL if n % 2 else Visibility.PUBLIC,
        )
        for n in range(12)
    ]
    ids = [question.id for question in asked]
    assert all(FIRST_RANDOM_ID <= question_id <= LAST_RANDOM_ID for question_id in ids)
    # Sequential ids are consecutive: the gap between two of a reader's questions
    # counted the confidential ones asked meanwhile.
    assert ids != sorted(ids) and len(set(ids)) == len(ids)
    answer = answers.post_answer(asked[0], expert, "An answer long enough to be posted here.")
    comment = answers.post_comment(asked[0], author, "A comment on the question.")
    board_answer = board.open_board_answer(asked[0], expert, "The board's answer, in full.")
    for row in (answer, comment, board_answer):
        assert FIRST_RANDOM_ID <= row.id <= LAST_RANDOM_ID, row


def test_a_drawn_id_that_is_taken_is_drawn_again(make_user, monkeypatch):
    first = ask_question(make_user(), title="The first question about a class IIb pathway")
    free = first.id + 1 if first.id < LAST_RANDOM_ID else first.id - 1
    draws = iter([first.id, first.id, free])
    monkeypatch.setattr(random_ids, "draw_id", lambda: next(draws))
    second = ask_question(make_user(), title="The second question about a class IIb pathway")
    assert second.id == free
