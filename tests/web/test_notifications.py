"""Notifications: who hears of what, the unread count, e-mail and its opt-out."""

from __future__ import annotations

import re

from sqlalchemy import func, insert, select

from forum.extensions import db
from forum.models import (
    EmailOptOut,
    Notification,
    NotificationKind,
    OutboxMessage,
    Role,
    User,
    Visibility,
    topic_follow,
)
from forum.services import answers, board, experts
from forum.services.mail import notifications
from tests.factories import ask_question, topic_id

ANSWER = "Under MDR Art. 62 a clinical investigation needs the Ministry's authorisation."


def _notified(kind: NotificationKind) -> set[int]:
    return set(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def _mails_to(user: User) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    )


def _follow(expert: User, *slugs: str) -> None:
    experts.update_profile(expert, "", "None declared.", [topic_id(slug) for slug in slugs])


def test_experts_following_a_topic_hear_of_a_new_question_in_it(make_user):
    following = make_user(Role.EXPERT)
    elsewhere = make_user(Role.EXPERT)
    _follow(following, "regulatory-pathway")
    _follow(elsewhere, "insurance-costs")
    asker = make_user()
    question = ask_question(asker, topics=("regulatory-pathway", "pmcf"))
    notes = db.session.scalars(select(Notification)).all()
    assert [(note.user_id, note.kind, note.question_id, note.actor_id) for note in notes] == [
        (following.id, NotificationKind.NEW_QUESTION_IN_TOPIC, question.id, asker.id)
    ]
    assert len(_mails_to(following)) == 1 and _mails_to(elsewhere) == []


def test_an_expert_asking_in_a_topic_they_follow_is_not_told_of_their_own_question(make_user):
    expert = make_user(Role.EXPERT)
    _follow(expert, "regulatory-pathway")
    ask_question(expert)
    assert _notified(NotificationKind.NEW_QUESTION_IN_TOPIC) == set()


def test_a_member_following_a_topic_never_hears_of_others_confidential_questions(make_user):
    member = make_user()
    # Members have no profile form; a follow row written directly must still not leak.
    db.session.execute(
        insert(topic_follow), [{"user_id": member.id, "topic_id": topic_id("regulatory-pathway")}]
    )
    db.session.commit()
    ask_question(make_user(), visibility=Visibility.CONFIDENTIAL)
    assert _notified(NotificationKind.NEW_QUESTION_IN_TOPIC) == set()
    assert _mails_to(member) == []


def test_notify_leaves_out_whoever_cannot_see_a_confidential_question(make_user):
    asker = make_user()
    other_member = make_user()
    expert = make_user(Role.EXPERT)
    secret = ask_question(asker, visibility=Visibility.CONFIDENTIAL)
    chosen = notifications.notify(
        NotificationKind.NEW_COMMENT, [asker, other_member, expert], question=secret, actor=expert
    )
    db.session.commit()
    assert chosen == [asker]
    assert _notified(NotificationKind.NEW_COMMENT) == {asker.id}


def test_the_asker_hears_of_an_answer_and_the_expert_does_not(make_user):
    asker = make_user()
    expert = make_user(Role.EXPERT)
    question = ask_question(asker)
    answers.post_answer(question, expert, ANSWER)
    assert _notified(NotificationKind.NEW_ANSWER) == {asker.id}


def test_comments_reach_the_asker_and_the_answers_author_but_not_the_commenter(make_user):
    asker = make_user()
    expert = make_user(Role.EXPERT)
    other_expert = make_user(Role.EXPERT)
    question = ask_question(asker)
    answer = answers.post_answer(question, expert, ANSWER)
    answers.post_comment(question, asker, "Which form do we file?", answer=answer)
    assert _notified(NotificationKind.NEW_COMMENT) == {expert.id}
    answers.post_comment(question, other_expert, "Check the device class first.")
    rows = db.session.execute(
        select(Notification.user_id, Notification.actor_id)
        .where(Notification.kind == NotificationKind.NEW_COMMENT)
        .order_by(Notification.id)
    ).all()
    assert rows == [(expert.id, asker.id), (asker.id, other_expert.id)]


def test_the_answers_author_hears_it_was_accepted_once(make_user):
    asker = make_user()
    expert = make_user(Role.EXPERT)
    question = ask_question(asker)
    answer = answers.post_answer(question, expert, ANSWER)
    answers.accept_answer(question, answer, asker)
    answers.accept_answer(question, answer, asker)  # accepting again is not news
    notes = db.session.scalars(
        select(Notification).where(Notification.kind == NotificationKind.ANSWER_ACCEPTED)
    ).all()
    assert [(note.user_id, note.actor_id) for note in notes] == [(expert.id, asker.id)]


def test_stance_requests_and_publication_reach_the_board_and_the_asker(make_user):
    asker = make_user()
    author = make_user(Role.EXPERT)
    colleague = make_user(Role.EXPERT)
    question = ask_question(asker)
    board_answer = board.open_board_answer(question, author, ANSWER)
    board.submit_for_review(board_answer, author)
    assert _notified(NotificationKind.STANCE_NEEDED) == {colleague.id}
    (latest,) = notifications.list_for(colleague, page=1).items
    assert latest.board_answer_id == board_answer.id


def test_the_header_shows_the_unread_count_and_mark_read_clears_it(client, make_user, login):
    asker = make_user()
    question = ask_question(asker)
    experts_ = [make_user(Role.EXPERT) for _ in range(3)]
    for expert in experts_:
        answers.post_answer(question, expert, ANSWER)
    login(asker)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/notifications"[^>]*>Notifications <span class="count-badge">3<', page)
    one = db.session.scalar(select(Notification.id).where(Notification.user_id == asker.id))
    assert client.post("/notifications/read", data={"notification_id": one}).status_code == 302
    assert '<span class="count-badge">2<' in client.get("/").get_data(as_text=True)
    assert client.post("/notifications/read").status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert 'href="/notifications"' in page and "count-badge" not in page
    assert notifications.unread_count(asker) == 0


def test_no_one_marks_another_users_notification_read(client, make_user, login):
    asker = make_user()
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    note_id = db.session.scalar(select(Notification.id))
    login(make_user())
    client.post("/notifications/read", data={"notification_id": note_id})
    client.post("/notifications/read")
    assert notifications.unread_count(asker) == 1


def test_a_malformed_mark_read_is_a_bad_request_not_an_error(client, make_user, login):
    login(make_user())
    assert client.post("/notifications/read", data={"notification_id": "x"}).status_code == 400


def test_the_list_says_what_happened_who_and_which_question_with_unread_highlighted(
    client, make_user, login
):
    asker = make_user()
    question = ask_question(asker, title="Which pathway applies to our class IIb tool?")
    answers.post_answer(question, make_user(Role.EXPERT, name="Dr Elena Russo"), ANSWER)
    login(asker)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Dr Elena Russo answered your question" in page
    assert f'href="/questions/{question.id}/which-pathway-applies-to-our-class-iib-tool"' in page
    assert 'class="notification unread"' in page
    client.post("/notifications/read")
    page = client.get("/notifications").get_data(as_text=True)
    assert 'class="notification unread"' not in page and "Dr Elena Russo answered" in page


def test_notifications_need_a_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/notifications/settings").status_code == 302


def test_opting_out_stops_the_email_but_keeps_the_notification(client, make_user, login):
    asker = make_user()
    login(asker)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert page.count('type="checkbox"') == len(NotificationKind)
    assert page.count("<input checked") == len(NotificationKind)
    wanted = [kind.value for kind in NotificationKind if kind != NotificationKind.NEW_ANSWER]
    assert client.post("/notifications/settings", data={"by_email": wanted}).status_code == 302
    assert notifications.email_opt_outs(asker) == {NotificationKind.NEW_ANSWER}
    question = ask_question(asker)
    expert = make_user(Role.EXPERT)
    answers.post_answer(question, expert, ANSWER)
    assert _notified(NotificationKind.NEW_ANSWER) == {asker.id}
    assert _mails_to(asker) == []
    # Other kinds still come by e-mail.
    answers.post_comment(question, expert, "Which class is the device?")
    assert len(_mails_to(asker)) == 1
    # The settings page shows the choice; ticking it again brings the e-mails back.
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert page.count("<input checked") == len(NotificationKind) - 1
    client.post(
        "/notifications/settings", data={"by_email": [kind.value for kind in NotificationKind]}
    )
    assert db.session.scalar(select(func.count()).select_from(EmailOptOut)) == 0


def test_an_unknown_kind_in_the_settings_comes_back_with_a_message(client, make_user, login):
    login(make_user())
    response = client.post("/notifications/settings", data={"by_email": ["not-a-kind"]})
    assert response.status_code == 422
    assert 'id="by_email-error"' in response.get_data(as_text=True)


def test_a_confidential_questions_email_has_no_title(make_user):
    asker = make_user()
    question = ask_question(
        asker,
        title="Our secret lattice hip cup needs a pathway",
        visibility=Visibility.CONFIDENTIAL,
    )
    answers.post_answer(question, make_user(Role.EXPERT), ANSWER)
    (mail,) = _mails_to(asker)
    assert "secret lattice" not in mail.subject and "secret lattice" not in mail.body
    assert "confidential" in mail.body
    assert f"/questions/{question.id}" in mail.body and "/notifications/settings" in mail.body


def test_a_public_questions_email_names_the_question(make_user):
    asker = make_user()
    question = ask_question(asker, title="Which pathway applies to our class IIb tool?")
    answers.post_answer(question, make_user(Role.EXPERT), ANSWER)
    (mail,) = _mails_to(asker)
    assert "Which pathway applies to our class IIb tool?" in mail.body


def test_the_notification_list_loads_in_a_fixed_number_of_queries(
    client, make_user, login, count_queries
):
    asker = make_user()
    login(asker)

    def add_notifications(count: int) -> None:
        for number in range(count):
            question = ask_question(asker, title=f"Question number {number} about the pathway")
            answers.post_answer(question, make_user(Role.EXPERT), ANSWER)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/notifications").status_code == 200
        return len(statements)

    add_notifications(5)
    few = queries()
    add_notifications(25)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 30
    assert queries() == few
