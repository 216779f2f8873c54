"""Answers, comments, accepting, helpful marks, and the question's status."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Answer, Comment, HelpfulMark, Question, QuestionStatus, Revision, Role
from forum.services import answers
from tests.factories import ask_question
from tests.fixtures.diffs import insertions

ANSWER = "Under MDR Art. 70 the Member State validates the application within 10 days."


def test_an_expert_answers_and_the_question_becomes_answered(client, make_user, login):
    question = ask_question(make_user())
    expert = make_user(Role.EXPERT)
    login(expert)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert ">Post answer</button>" in page
    response = client.post(f"/questions/{question.id}/answers", data={"body": ANSWER})
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.status == QuestionStatus.ANSWERED and question.answer_count == 1
    assert ANSWER in client.get(response.headers["Location"]).get_data(as_text=True)


def test_members_and_admins_cannot_answer(client, make_user, login):
    asker = make_user()
    question = ask_question(asker)
    for user in (asker, make_user(), make_user(Role.ADMIN)):
        login(user)
        assert ">Post answer</button>" not in client.get(f"/questions/{question.id}").get_data(
            as_text=True
        )
        assert (
            client.post(f"/questions/{question.id}/answers", data={"body": ANSWER}).status_code
            == 403
        )
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_visitor_posting_an_answer_is_sent_to_log_in(client, make_user):
    question = ask_question(make_user())
    response = client.post(f"/questions/{question.id}/answers", data={"body": ANSWER})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_empty_answer_comes_back_with_a_message(client, make_user, login):
    question = ask_question(make_user())
    login(make_user(Role.EXPERT))
    response = client.post(f"/questions/{question.id}/answers", data={"body": "Too short"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="body-error"' in page and "Too short</textarea>" in page


def test_the_asker_and_experts_comment_but_other_members_do_not(client, make_user, login):
    asker = make_user()
    question = ask_question(asker)
    expert = make_user(Role.EXPERT)
    answer = answers.post_answer(question, expert, ANSWER)

    login(expert)
    assert (
        client.post(
            f"/questions/{question.id}/comments", data={"body": "Is the device invasive?"}
        ).status_code
        == 302
    )
    login(asker)
    assert (
        client.post(
            f"/questions/{question.id}/comments",
            data={"body": "No, it is worn on the wrist.", "answer_id": str(answer.id)},
        ).status_code
        == 302
    )
    login(make_user())
    assert (
        client.post(f"/questions/{question.id}/comments", data={"body": "Me too!"}).status_code
        == 403
    )
    comments = db.session.scalars(select(Comment).order_by(Comment.created_at)).all()
    assert [(c.body, c.answer_id) for c in comments] == [
        ("Is the device invasive?", None),
        ("No, it is worn on the wrist.", answer.id),
    ]
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Is the device invasive?" in page and "No, it is worn on the wrist." in page


def test_a_comment_on_an_answer_of_another_question_is_refused(client, make_user, login):
    asker = make_user()
    question, other = (
        ask_question(asker),
        ask_question(asker, title="Another question about our device"),
    )
    expert = make_user(Role.EXPERT)
    foreign = answers.post_answer(other, expert, ANSWER)
    login(asker)
    response = client.post(
        f"/questions/{question.id}/comments",
        data={"body": "Hello there", "answer_id": str(foreign.id)},
    )
    assert response.status_code == 404
    assert (
        client.post(
            f"/questions/{question.id}/comments", data={"body": "Hello there", "answer_id": "x1"}
        ).status_code
        == 400
    )
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_an_empty_comment_keeps_the_form_open_with_the_error(client, make_user, login):
    asker = make_user()
    question = ask_question(asker)
    login(asker)
    response = client.post(f"/questions/{question.id}/comments", data={"body": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="comment-body-question-error"' in page


def test_the_asker_accepts_one_answer_and_the_question_closes(client, make_user, login):
    asker = make_user()
    question = ask_question(asker)
    first = answers.post_answer(question, make_user(Role.EXPERT), ANSWER)
    second = answers.post_answer(question, make_user(Role.EXPERT), ANSWER + " Also MDR Art. 62.")
    login(asker)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert page.count(">Accept answer</button>") == 2
    client.post(f"/questions/{question.id}/accept/{first.id}")
    client.post(f"/questions/{question.id}/accept/{second.id}")
    db.session.refresh(question)
    assert question.accepted_answer_id == second.id
    assert question.status == QuestionStatus.CLOSED
    assert "Accepted answer" in client.get(f"/questions/{question.id}").get_data(as_text=True)
    client.post(f"/questions/{question.id}/unaccept")
    db.session.refresh(question)
    assert question.accepted_answer_id is None and question.status == QuestionStatus.ANSWERED


def test_only_the_asker_accepts(client, make_user, login):
    question = ask_question(make_user())
    expert = make_user(Role.EXPERT)
    answer = answers.post_answer(question, expert, ANSWER)
    for user in (expert, make_user(), make_user(Role.ADMIN)):
        login(user)
        assert client.post(f"/questions/{question.id}/accept/{answer.id}").status_code == 403
    db.session.refresh(question)
    assert question.accepted_answer_id is None


def test_accepting_an_answer_of_another_question_is_404(client, make_user, login):
    asker = make_user()
    question, other = (
        ask_question(asker),
        ask_question(asker, title="Another question about our device"),
    )
    foreign = answers.post_answer(other, make_user(Role.EXPERT), ANSWER)
    login(asker)
    assert client.post(f"/questions/{question.id}/accept/{foreign.id}").status_code == 404
    assert client.post(f"/questions/{question.id}/accept/999999").status_code == 404


def test_members_mark_answers_helpful_once_and_can_undo(client, make_user, login):
    question = ask_question(make_user())
    expert = make_user(Role.EXPERT)
    answer = answers.post_answer(question, expert, ANSWER)
    member = make_user()
    login(member)
    client.post(f"/questions/answers/{answer.id}/helpful", data={"helpful": "1"})
    client.post(f"/questions/answers/{answer.id}/helpful", data={"helpful": "1"})
    db.session.refresh(answer)
    assert answer.helpful_count == 1
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "1 person found this helpful" in page and 'aria-pressed="true"' in page
    client.post(f"/questions/answers/{answer.id}/helpful", data={"helpful": "0"})
    db.session.refresh(answer)
    assert answer.helpful_count == 0
    assert db.session.scalar(select(func.count()).select_from(HelpfulMark)) == 0


def test_a_repeated_helpful_click_is_told_it_is_already_marked_not_an_error(
    client, make_user, login
):
    question = ask_question(make_user())
    answer = answers.post_answer(question, make_user(Role.EXPERT), ANSWER)
    login(make_user())
    first = client.post(
        f"/questions/answers/{answer.id}/helpful", data={"helpful": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "already marked" not in first
    again = client.post(
        f"/questions/answers/{answer.id}/helpful", data={"helpful": "1"}, follow_redirects=True
    )
    assert again.status_code == 200
    assert "You had already marked this answer as helpful." in again.get_data(as_text=True)
    client.post(f"/questions/answers/{answer.id}/helpful", data={"helpful": "0"})
    undone = client.post(
        f"/questions/answers/{answer.id}/helpful", data={"helpful": "0"}, follow_redirects=True
    )
    assert "Your helpful mark had already been taken back." in undone.get_data(as_text=True)
    db.session.refresh(answer)
    assert answer.helpful_count == 0


def test_the_next_change_repairs_a_count_that_drifted(make_user):
    question = ask_question(make_user())
    answer = answers.post_answer(question, make_user(Role.EXPERT), ANSWER)
    answers.set_helpful(answer, make_user(), True)
    question.answer_count, answer.helpful_count = 7, 9  # as a lost update once left them
    db.session.commit()

    answers.set_helpful(answer, make_user(), True)
    answers.post_answer(question, make_user(Role.EXPERT), ANSWER)

    db.session.refresh(answer)
    db.session.refresh(question)
    assert (answer.helpful_count, question.answer_count) == (2, 2)


def test_an_expert_cannot_mark_their_own_answer_helpful(client, make_user, login):
    question = ask_question(make_user())
    expert = make_user(Role.EXPERT)
    answer = answers.post_answer(question, expert, ANSWER)
    login(expert)
    assert (
        client.post(f"/questions/answers/{answer.id}/helpful", data={"helpful": "1"}).status_code
        == 403
    )


def test_an_expert_edits_their_answer_and_the_history_keeps_both(client, make_user, login):
    question = ask_question(make_user())
    expert = make_user(Role.EXPERT)
    answer = answers.post_answer(question, expert, ANSWER)
    login(make_user(Role.EXPERT))
    assert client.get(f"/questions/answers/{answer.id}/edit").status_code == 403
    login(expert)
    client.post(
        f"/questions/answers/{answer.id}/edit",
        data={"body": ANSWER + " Then the sponsor has 10 days to complete it.", "note": "added"},
    )
    bodies = db.session.scalars(
        select(Revision.body).where(Revision.answer_id == answer.id).order_by(Revision.number)
    ).all()
    assert bodies == [ANSWER, ANSWER + " Then the sponsor has 10 days to complete it."]
    history = client.get(f"/questions/answers/{answer.id}/revisions").get_data(as_text=True)
    assert "Revision 2" in history
    assert insertions(history)[0] == " Then the sponsor has 10 days to complete it."


def test_the_question_page_loads_in_a_fixed_number_of_queries(
    client, make_user, login, count_queries
):
    asker = make_user()
    experts = [make_user(Role.EXPERT) for _ in range(3)]
    # The same kinds of things on both pages (answer, comment on it, comment on
    # the question); only their numbers differ.
    # Experts who only comment show their declared interests too.
    commenters = [make_user(Role.EXPERT) for _ in range(4)]
    small = ask_question(asker, title="A question with one answer and two comments")
    only = answers.post_answer(small, experts[0], ANSWER)
    answers.post_comment(small, asker, "Thanks, one more detail.", answer=only)
    answers.post_comment(small, commenters[0], "Which class is the device?")
    large = ask_question(asker, title="A question with many answers and comments")
    for number in range(10):
        answer = answers.post_answer(large, experts[number % 3], f"{ANSWER} Point {number}.")
        answers.post_comment(large, asker, f"Comment on answer {number}", answer=answer)
        answers.post_comment(large, commenters[number % 4], f"Comment on the question {number}")
    login(make_user())

    def queries_for(question: Question) -> int:
        url = f"/questions/{question.id}"  # outside the count: reading the id may reload it
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert queries_for(small) == queries_for(large)
    # The viewer; the question, its topics, comments, answers, their comments,
    # board answers and stances; everyone named, in one query; the viewer's
    # helpful marks and unread notifications; the page's files; its FAQ entries.
    assert queries_for(large) <= 12
