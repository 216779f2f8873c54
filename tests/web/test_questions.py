"""Asking, listing, reading and editing questions."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Question, QuestionStatus, Revision, Role, Visibility
from tests.factories import ask_question, question_form, topic_id
from tests.fixtures.diffs import deletions, insertions


def test_a_member_asks_a_question_with_topics_class_stage_and_visibility(client, make_user, login):
    member = make_user()
    login(member)
    form = question_form(
        topics=[str(topic_id("regulatory-pathway")), str(topic_id("ethics-committee"))],
        visibility="confidential",
        device_class="III",
        stage="first-in-human",
    )
    response = client.post("/questions/ask", data=form)
    assert response.status_code == 302
    question = db.session.scalar(select(Question))
    assert response.headers["Location"].startswith(f"/questions/{question.id}/do-we-need-ministry")
    assert question.author_id == member.id
    assert [topic.slug for topic in question.topics] == ["regulatory-pathway", "ethics-committee"]
    assert (question.device_class.value, question.stage.value) == ("III", "first-in-human")
    assert question.visibility == Visibility.CONFIDENTIAL
    assert question.status == QuestionStatus.OPEN
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Do we need Ministry authorisation for a class IIb study?" in page
    assert "Confidential" in page


def test_asking_needs_a_login(client):
    response = client.get("/questions/ask")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_ask_form_labels_every_input(client, make_user, login):
    login(make_user())
    page = client.get("/questions/ask").get_data(as_text=True)
    for label in ("Title", "Topics", "Visibility", "Device class", "Development stage"):
        assert label in page
    assert 'for="title"' in page and 'for="body"' in page and 'for="device_class"' in page
    assert "<legend>Topics</legend>" in page and "<legend>Visibility</legend>" in page
    assert ">Ask question</button>" in page


def test_a_question_with_errors_comes_back_with_messages_and_the_typed_text(
    client, make_user, login
):
    login(make_user())
    response = client.post(
        "/questions/ask",
        data=question_form(
            title="Too short", topics=[], body="A body that is long enough to pass the check."
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in page and 'id="topics-error"' in page
    assert "Choose at least one topic." in page
    assert 'value="Too short"' in page
    assert "A body that is long enough to pass the check." in page
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_unknown_topics_and_values_are_refused_not_stored(client, make_user, login):
    login(make_user())
    response = client.post(
        "/questions/ask",
        data=question_form(topics=["99999"], device_class="IV", visibility="secret"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="topics-error"' in page and 'id="device_class-error"' in page
    assert 'id="visibility-error"' in page
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_the_question_page_accepts_any_slug_and_unknown_ids_are_404(client, make_user):
    question = ask_question(make_user())
    assert client.get(f"/questions/{question.id}").status_code == 200
    assert client.get(f"/questions/{question.id}/anything-at-all").status_code == 200
    assert client.get(f"/questions/{question.id + 1000}").status_code == 404
    assert client.get("/questions/not-a-number").status_code == 404


def test_the_list_filters_by_topic_status_unanswered_and_mine(client, make_user, login):
    anna, bruno = make_user(), make_user()
    expert = make_user(Role.EXPERT)
    pathway = ask_question(anna, title="Pathway question for our surgical stapler device")
    ethics = ask_question(
        bruno, title="Ethics committee question for a wearable patch", topics=("ethics-committee",)
    )
    from forum.services import answers

    answers.post_answer(
        ethics, expert, "The territorial ethics committee of the coordinating site decides."
    )

    def titles(query: str) -> str:
        return client.get("/questions" + query).get_data(as_text=True)

    by_topic = titles("?topic=ethics-committee")
    assert ethics.title in by_topic and pathway.title not in by_topic
    answered = titles("?status=answered")
    assert ethics.title in answered and pathway.title not in answered
    unanswered = titles("?unanswered=1")
    assert pathway.title in unanswered and ethics.title not in unanswered
    login(anna)
    mine = titles("?mine=1")
    assert pathway.title in mine and ethics.title not in mine


def test_the_list_ignores_nonsense_filters_instead_of_failing(client, make_user):
    ask_question(make_user())
    for query in (
        "?status=bogus",
        "?topic=%27%22;--",
        "?topic=%F0%9F%98%80",
        "?page=-3",
        "?page=abc",
        "?page=99999",
        "?unanswered=yes&mine=1",
    ):
        assert client.get("/questions" + query).status_code == 200, query


def test_the_list_is_paginated(app, client, make_user):
    app.config["QUESTIONS_PER_PAGE"] = 3
    author = make_user()
    for number in range(7):
        ask_question(author, title=f"Question number {number} about our class IIb device")
    first = client.get("/questions").get_data(as_text=True)
    assert "Question number 6" in first and "Question number 3" not in first
    # "Next page" paging: no count of the list, so a page with a next one names its rows
    # and its number; the last page, whose rows end the list, gives the total.
    assert "<span>Page 1</span>" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert 'class="result-count">Questions 1 to 3<' in first
    second = client.get("/questions?page=2").get_data(as_text=True)
    assert "<span>Page 2</span>" in second and 'class="result-count">Questions 4 to 6<' in second
    third = client.get("/questions?page=3").get_data(as_text=True)
    assert "Question number 0" in third and "Question number 1" not in third
    assert 'rel="prev"' in third and 'rel="next"' not in third
    assert "Page 3 of 3" in third and 'class="result-count">7 questions<' in third


def test_a_list_that_fits_on_one_page_shows_its_total_and_no_page_links(app, client, make_user):
    app.config["QUESTIONS_PER_PAGE"] = 3
    author = make_user()
    for number in range(3):
        ask_question(author, title=f"Question number {number} about our class IIb device")
    page = client.get("/questions").get_data(as_text=True)
    assert 'class="result-count">3 questions<' in page
    assert 'class="pagination"' not in page


def test_a_page_past_the_end_is_an_empty_list_that_links_back(app, client, make_user):
    app.config["QUESTIONS_PER_PAGE"] = 3
    author = make_user()
    for number in range(4):
        ask_question(author, title=f"Question number {number} about our class IIb device")
    page = client.get("/questions?page=9")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "No questions match these filters." in text
    assert "Question number" not in text and 'class="result-count"' not in text
    assert 'rel="prev" href="/questions?page=8"' in text and 'rel="next"' not in text


def test_the_author_edits_and_every_earlier_text_is_kept(client, make_user, login):
    author = make_user()
    question = ask_question(
        author,
        title="Original title of our pathway question",
        body="The original body text of the question.",
    )
    login(author)
    edit_url = f"/questions/{question.id}/edit"
    form_page = client.get(edit_url).get_data(as_text=True)
    assert 'value="Original title of our pathway question"' in form_page
    client.post(
        edit_url,
        data=question_form(
            title="Second title of our pathway question",
            body="The second body text of the question.",
            note="clarified the device",
        ),
    )
    client.post(
        edit_url,
        data=question_form(
            title="Third title of our pathway question", body="The third body text of the question."
        ),
    )
    revisions = db.session.scalars(
        select(Revision).where(Revision.question_id == question.id).order_by(Revision.number)
    ).all()
    assert [revision.title for revision in revisions] == [
        "Original title of our pathway question",
        "Second title of our pathway question",
        "Third title of our pathway question",
    ]
    assert revisions[1].note == "clarified the device"
    history = client.get(f"/questions/{question.id}/revisions").get_data(as_text=True)
    assert "Revision 3" in history and "Revision 1" in history
    # Word by word: only the changed words of the title and body are marked.
    assert deletions(history)[:2] == ["Second", "second"]
    assert insertions(history)[:2] == ["Third", "third"]
    assert "@@" not in history


def test_saving_an_unchanged_text_adds_no_revision(client, make_user, login):
    author = make_user()
    question = ask_question(
        author,
        title="Do we need Ministry authorisation for a class IIb study?",
        body="Our non-invasive class IIb monitor is ready for a first clinical study in Lombardy.",
    )
    login(author)
    client.post(f"/questions/{question.id}/edit", data=question_form())
    count = db.session.scalar(
        select(func.count()).select_from(Revision).where(Revision.question_id == question.id)
    )
    assert count == 1


def test_only_the_author_or_an_admin_may_edit(client, make_user, login):
    question = ask_question(make_user())
    login(make_user())
    assert client.get(f"/questions/{question.id}/edit").status_code == 403
    assert client.post(f"/questions/{question.id}/edit", data=question_form()).status_code == 403
    login(make_user(Role.EXPERT))
    assert client.get(f"/questions/{question.id}/edit").status_code == 403
    login(make_user(Role.ADMIN))
    assert client.get(f"/questions/{question.id}/edit").status_code == 200
