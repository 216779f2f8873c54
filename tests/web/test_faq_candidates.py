"""What of a question is in the FAQ (issue 26, item 6): the "In the FAQ" marker on the
source question, promotion offered and accepted once, and the curators' list of
candidates (good public answers not yet in the FAQ)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import FaqEntry, Role, Topic, Visibility
from forum.services import answers, board, faq, moderation
from forum.services.faq_candidates import HELPFUL_THRESHOLD
from forum.services.faq_sources import AlreadyInFaq
from tests.factories import People, ask_question, published_board_answer, topic_id


def pmcf() -> Topic:
    return db.session.get(Topic, topic_id("pmcf"))


def promote(people: People, answer, published: bool = True) -> FaqEntry:
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Which pathway applies?",
        answer_text="A clinical investigation under the MDR.",
        topic=pmcf(),
    )
    if not published:
        faq.unpublish(entry, people.admin)
    return entry


def answered(people: People, title: str, visibility=Visibility.PUBLIC):
    question = ask_question(people.asker, title=title, visibility=visibility)
    return question, answers.post_answer(question, people.expert, f"An answer to {title}")


def marked_helpful(answer, make_user, count: int = HELPFUL_THRESHOLD) -> None:
    for _ in range(count):
        answers.set_helpful(answer, make_user(), True)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def entry_count() -> int:
    return db.session.scalar(select(func.count()).select_from(FaqEntry))


def promote_form(**fields) -> dict:
    return {
        "question_text": "Which pathway applies?",
        "answer_text": "A clinical investigation under the MDR.",
        "topic": topic_id("pmcf"),
        **fields,
    }


# --- the marker on the source question --------------------------------------------------


def test_a_promoted_answer_is_marked_in_the_faq_with_a_link_for_every_reader(client, people, login):
    question, answer = answered(people, "Which pathway for a class IIb tool?")
    entry = promote(people, answer)
    link = f'href="/faq?entry={entry.id}#faq-{entry.id}"'
    for reader in (None, people.other, people.expert, people.admin):
        if reader is not None:
            login(reader)
        html = page(client, f"/questions/{question.id}")
        # In the question's header and beside the answer itself.
        assert html.count(link) == 2, reader
        assert "In the FAQ" in html
        assert f"/faq/promote?answer={answer.id}" not in html
    # The link opens the entry.
    assert f'id="faq-{entry.id}" open>' in page(client, f"/faq?entry={entry.id}")


def test_an_unpublished_entry_is_marked_only_for_curators_and_not_offered_again(
    client, people, login
):
    question, answer = answered(people, "Which pathway for a class IIb tool?")
    entry = promote(people, answer, published=False)
    html = page(client, f"/questions/{question.id}")
    assert "In the FAQ" not in html and f"faq-{entry.id}" not in html
    login(people.admin)
    html = page(client, f"/questions/{question.id}")
    assert f'href="/faq/admin#entry-{entry.id}"' in html and "In the FAQ, unpublished" in html
    assert f"/faq/promote?answer={answer.id}" not in html


def test_promotion_is_offered_to_curators_only_for_answers_not_in_the_faq(client, people, login):
    question, promoted = answered(people, "Which pathway for a class IIb tool?")
    other = answers.post_answer(question, people.clinical, "Also check the notified body.")
    promote(people, promoted)
    login(people.admin)
    html = page(client, f"/questions/{question.id}")
    assert f'href="/faq/promote?answer={other.id}"' in html
    assert f"/faq/promote?answer={promoted.id}" not in html
    login(people.expert)
    assert "/faq/promote" not in page(client, f"/questions/{question.id}")


def test_a_promoted_board_answer_is_marked_and_not_offered_again(client, people, login):
    question = ask_question(people.asker, title="Ethics committee before the Ministry?")
    board_answer = published_board_answer(question, people.board, "The board's answer.")
    login(people.admin)
    assert f'href="/faq/promote?board_answer={board_answer.id}"' in page(
        client, f"/questions/{question.id}"
    )
    entry = faq.promote_board_answer(
        people.admin, board_answer, question_text="Q?", answer_text="A.", topic=pmcf()
    )
    html = page(client, f"/questions/{question.id}")
    assert f"/faq/promote?board_answer={board_answer.id}" not in html
    assert html.count(f'href="/faq?entry={entry.id}#faq-{entry.id}"') == 2


def test_a_confidential_source_question_links_its_readers_to_the_public_entry(
    client, people, login
):
    question, answer = answered(people, "Our secret sensor?", visibility=Visibility.CONFIDENTIAL)
    entry = promote(people, answer)
    assert client.get(f"/questions/{question.id}").status_code == 404
    login(people.asker)
    assert f'href="/faq?entry={entry.id}#faq-{entry.id}"' in page(
        client, f"/questions/{question.id}"
    )
    # The FAQ links back to the source only for those who may open it.
    login(people.other)
    assert f"/questions/{question.id}" not in page(client, "/faq")


def test_the_marks_are_read_down_the_entries_source_indexes_not_by_reading_every_entry(
    client, people, count_queries
):
    question, answer = answered(people, "Which pathway for a class IIb tool?")
    board_answer = published_board_answer(question, people.board, "The board's answer.")
    promote(people, answer)
    url = f"/questions/{question.id}"
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    [(statement, parameters)] = [
        (text, values)
        for text, values in zip(statements, statements.parameters, strict=True)
        if "FROM faq_entry" in text
    ]
    assert board_answer.id in _flat(parameters)  # both halves of the lookup asked

    plan = _plan(statement, parameters)
    # By the ids of the page's answers and board answers, each down its unique index; a
    # join to answers filtered on their question read the whole FAQ on every question page.
    assert "ix_faq_entry_source_answer_id" in plan, plan
    assert "ix_faq_entry_source_board_answer_id" in plan, plan
    assert "SCAN faq_entry" not in plan, plan


def _flat(parameters) -> list:
    values = parameters.values() if isinstance(parameters, dict) else parameters
    flat = []
    for value in values:
        flat.extend(value if isinstance(value, (list, tuple)) else [value])
    return flat


def _plan(statement: str, parameters) -> str:
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        # A test's few rows make a sequential scan cheapest: ask whether the indexes serve.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        prefix = "EXPLAIN "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    rows = connection.exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join(" ".join(str(value) for value in row) for row in rows)


# --- promotion once ------------------------------------------------------------------------


def test_a_second_promotion_is_refused_by_the_service(people):
    _question, answer = answered(people, "Which pathway for a class IIb tool?")
    first = promote(people, answer)
    with pytest.raises(AlreadyInFaq) as refused:
        promote(people, answer)
    assert refused.value.entry_id == first.id
    assert entry_count() == 1


def test_the_promotion_page_of_a_promoted_answer_leads_to_its_entry(client, people, login):
    _question, answer = answered(people, "Which pathway for a class IIb tool?")
    login(people.admin)
    url = f"/faq/promote?answer={answer.id}"
    assert client.post(url, data=promote_form()).status_code == 302
    # A second submit of the same form (a stale tab, a double click): no second entry.
    second = client.post(url, data=promote_form())
    entry = db.session.scalar(select(FaqEntry))
    assert second.status_code == 303
    assert second.headers["Location"].endswith(f"/faq/admin#entry-{entry.id}")
    assert "This answer is already in the FAQ" in page(client, "/faq/admin")
    assert entry_count() == 1
    # Opening the promotion page again leads there too, with the same message.
    again = client.get(url)
    assert again.status_code == 303 and again.headers["Location"].endswith(f"#entry-{entry.id}")


def test_the_unique_index_refuses_a_second_entry_from_the_same_answer(people):
    """The last guard, for two promotions that both passed the check at the same moment."""
    _question, answer = answered(people, "Which pathway for a class IIb tool?")
    first = promote(people, answer)
    db.session.add(
        FaqEntry(
            topic_id=first.topic_id,
            question_text="Twice?",
            answer_text="Twice.",
            source_answer_id=answer.id,
            created_by_id=people.admin.id,
            last_reviewed_on=first.last_reviewed_on,
            review_due_on=first.review_due_on,
        )
    )
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()


# --- the candidates -------------------------------------------------------------------------


def candidate_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="candidate-(\d+)"', html)]


def test_candidates_are_public_questions_with_accepted_helpful_or_board_answers(
    client, people, login, make_user
):
    accepted_question, accepted_answer = answered(people, "Accepted?")
    answers.accept_answer(accepted_question, accepted_answer, people.asker)
    helpful_question, helpful_answer = answered(people, "Helpful?")
    marked_helpful(helpful_answer, make_user)
    board_question = ask_question(people.asker, title="Board?")
    board_answer = published_board_answer(board_question, people.board, "The board's view.")

    login(people.admin)
    html = page(client, "/faq/candidates")
    assert sorted(candidate_ids(html)) == sorted(
        [accepted_question.id, helpful_question.id, board_question.id]
    )
    # Each with the promotion of its source, the existing flow.
    assert f'href="/faq/promote?answer={accepted_answer.id}"' in html
    assert f'href="/faq/promote?answer={helpful_answer.id}"' in html
    assert f'href="/faq/promote?board_answer={board_answer.id}"' in html
    assert "3 candidates" in html


def test_candidates_leave_out_promoted_confidential_hidden_and_weak_ones(
    client, people, login, make_user
):
    promoted_question, promoted_answer = answered(people, "Promoted?")
    answers.accept_answer(promoted_question, promoted_answer, people.asker)
    promote(people, promoted_answer, published=False)  # unpublished is still in the FAQ
    secret_question, secret_answer = answered(
        people, "Confidential?", visibility=Visibility.CONFIDENTIAL
    )
    answers.accept_answer(secret_question, secret_answer, people.asker)
    hidden_question, hidden_answer = answered(people, "Hidden question?")
    answers.accept_answer(hidden_question, hidden_answer, people.asker)
    moderation.act(people.admin, hidden_question, moderation.Action.HIDE, "Spam.")
    _q, hidden_only_answer = answered(people, "Hidden answer?")
    marked_helpful(hidden_only_answer, make_user)
    moderation.act(people.admin, hidden_only_answer, moderation.Action.HIDE, "Off topic.")
    _q, weak_answer = answered(people, "Weak?")
    marked_helpful(weak_answer, make_user, HELPFUL_THRESHOLD - 1)
    drafting_question = ask_question(people.asker, title="Drafting?")
    board.open_board_answer(drafting_question, people.expert, "A draft.")

    login(people.admin)
    html = page(client, "/faq/candidates")
    assert candidate_ids(html) == []
    assert "No candidates" in html
    for title in ("Confidential?", "Hidden question?", "Hidden answer?", "Promoted?"):
        assert title not in html


def test_once_promoted_a_candidate_leaves_the_list_and_the_question_is_marked(
    client, people, login, make_user
):
    question, answer = answered(people, "Helpful?")
    marked_helpful(answer, make_user)
    login(people.admin)
    assert candidate_ids(page(client, "/faq/candidates")) == [question.id]
    assert client.post(f"/faq/promote?answer={answer.id}", data=promote_form()).status_code == 302
    assert candidate_ids(page(client, "/faq/candidates")) == []
    assert "In the FAQ" in page(client, f"/questions/{question.id}")


def test_candidates_are_ordered_by_score_then_the_oldest_first(client, people, login, make_user):
    plain_accepted, accepted_answer = answered(people, "Accepted only?")
    answers.accept_answer(plain_accepted, accepted_answer, people.asker)
    much_helpful, helpful_answer = answered(people, "Much helpful?")
    marked_helpful(helpful_answer, make_user, HELPFUL_THRESHOLD + 3)
    board_question = ask_question(people.asker, title="Board?")
    published_board_answer(board_question, people.board, "The board's view.")
    older_tie, older_answer = answered(people, "Older tie?")
    newer_tie, newer_answer = answered(people, "Newer tie?")
    for question, answer in ((newer_tie, newer_answer), (older_tie, older_answer)):
        answers.accept_answer(question, answer, people.asker)
    login(people.admin)
    # 6 helpful marks; the board's answer (5); accepted ones (3), oldest first.
    assert candidate_ids(page(client, "/faq/candidates")) == [
        much_helpful.id,
        board_question.id,
        plain_accepted.id,
        older_tie.id,
        newer_tie.id,
    ]


def test_candidates_come_in_pages(client, people, login, monkeypatch):
    monkeypatch.setattr("forum.services.faq_candidates.PER_PAGE", 2)
    for number in range(5):
        question, answer = answered(people, f"Accepted {number}?")
        answers.accept_answer(question, answer, people.asker)
    login(people.admin)
    first = page(client, "/faq/candidates")
    assert len(candidate_ids(first)) == 2 and 'href="/faq/candidates?page=2"' in first
    last = page(client, "/faq/candidates?page=3")
    assert len(candidate_ids(last)) == 1
    assert candidate_ids(page(client, "/faq/candidates?page=99")) == []


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.EXPERT])
def test_only_curators_see_the_candidates(client, people, login, make_user, role):
    question, answer = answered(people, "Accepted?")
    answers.accept_answer(question, answer, people.asker)
    if role is not None:
        login(make_user(role))
    response = client.get("/faq/candidates")
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
        assert "Accepted?" not in response.get_data(as_text=True)


def test_the_candidates_page_runs_a_fixed_number_of_queries(
    client, people, login, make_user, count_queries
):
    login(people.admin)
    counts = []
    for added in (2, 10):
        for number in range(added):
            question, answer = answered(people, f"Candidate {added}-{number}?")
            answers.accept_answer(question, answer, people.asker)
            answers.post_answer(question, people.clinical, "A second opinion.")
            if number % 3 == 0:
                published_board_answer(question, people.board, "The board's view.")
        with count_queries() as statements:
            page(client, "/faq/candidates")
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_question_page_runs_a_fixed_number_of_queries_with_faq_entries(
    client, people, login, count_queries
):
    login(people.admin)
    question = ask_question(people.asker, title="Many answers?")
    counts = []
    for added in (1, 6):
        for _ in range(added):
            promote(people, answers.post_answer(question, people.expert, "One more answer."))
        with count_queries() as statements:
            page(client, f"/questions/{question.id}")
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
