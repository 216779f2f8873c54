"""Notifications reaching people: read on opening the page they point to, the e-mail
frequency chosen on the account page, and the daily and weekly digests."""

from __future__ import annotations

import re
from datetime import date
from unittest import mock

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from forum.extensions import db
from forum.models import (
    EmailFrequency,
    EmailOptOut,
    Notification,
    NotificationKind,
    OutboxMessage,
    Role,
    User,
    Visibility,
)
from forum.services import answers, board, experts
from forum.services.guide import importing, proposals, tree
from forum.services.mail import digests, notifications
from tests.access_matrix import SMALL_GUIDE
from tests.factories import ask_question, topic_id

ANSWER = "Under MDR Art. 62 a clinical investigation needs the Ministry's authorisation."
PREVIOUS_REVISION = "a7c3e2f19b04"  # the migration before e-mail frequencies


def _mails_to(user: User) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == user.email)
            .order_by(OutboxMessage.id)
        )
    )


def _choose(user: User, frequency: EmailFrequency) -> None:
    digests.set_email_frequency(user, frequency)


def _badge(page: str) -> str | None:
    found = re.search(r'<span class="count-badge">(\d+)<', page)
    return found.group(1) if found else None


def _answered_twice(make_user):
    """A member whose two questions each got an expert's answer (two unread notifications)."""
    asker = make_user()
    first = ask_question(asker, title="Which pathway applies to our class IIb tool?")
    second = ask_question(asker, title="Do we need an ethics committee for a usability study?")
    expert = make_user(Role.EXPERT, name="Dr Elena Russo")
    answers.post_answer(first, expert, ANSWER)
    answers.post_answer(second, expert, ANSWER)
    return asker, first, second, expert


# --- read on opening ---------------------------------------------------------------------


def test_opening_the_question_marks_its_notifications_read_and_the_header_agrees(
    client, make_user, login
):
    asker, first, second, _expert = _answered_twice(make_user)
    login(asker)
    assert _badge(client.get("/").get_data(as_text=True)) == "2"
    page = client.get(f"/questions/{first.id}").get_data(as_text=True)
    # The header of that very page already counts only the other question's news.
    assert _badge(page) == "1"
    unread = set(
        db.session.scalars(
            select(Notification.question_id).where(
                Notification.user_id == asker.id, Notification.read_at.is_(None)
            )
        )
    )
    assert unread == {second.id}
    assert _badge(client.get("/").get_data(as_text=True)) == "1"


def test_a_question_page_writes_only_when_there_is_news_about_it(
    client, make_user, login, count_queries
):
    asker, first, second, _expert = _answered_twice(make_user)
    login(asker)
    url, quiet_url = f"/questions/{first.id}", f"/questions/{second.id}"
    client.get(quiet_url)  # reads the second question's news: now nothing about it
    client.get("/")

    def statements_for(path: str) -> list[str]:
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return [statement for statement in statements if "notification" in statement.lower()]

    with_news = statements_for(url)
    updates = [
        statement for statement in with_news if statement.lstrip().upper().startswith("UPDATE")
    ]
    assert len(updates) == 1  # one write, and the count the header needs in one query
    assert len(with_news) == 2
    again = statements_for(url)
    assert len(again) == 1 and not again[0].lstrip().upper().startswith("UPDATE")


def test_the_page_cache_never_serves_a_stale_unread_count(client, make_user, login, count_queries):
    asker, first, _second, _expert = _answered_twice(make_user)
    login(asker)
    for _ in range(4):  # until /questions comes from the cache
        client.get("/questions")
    assert _badge(client.get("/questions").get_data(as_text=True)) == "2"
    client.get(f"/questions/{first.id}")
    assert _badge(client.get("/questions").get_data(as_text=True)) == "1"


def test_a_visitor_opening_a_question_marks_nothing(client, make_user):
    asker, first, _second, _expert = _answered_twice(make_user)
    assert client.get(f"/questions/{first.id}").status_code == 200
    assert notifications.unread_count(asker) == 2


def test_opening_someone_elses_question_leaves_ones_own_news_unread(client, make_user, login):
    asker, first, _second, expert = _answered_twice(make_user)
    answers.post_comment(first, asker, "Thanks; the device is class IIb.", answer=first.answers[0])
    login(expert)
    assert notifications.unread_count(expert) == 1
    other = ask_question(make_user(), title="A question nobody told the expert about")
    client.get(f"/questions/{other.id}")
    assert notifications.unread_count(expert) == 1
    client.get(f"/questions/{first.id}")
    assert notifications.unread_count(expert) == 0


def test_opening_the_board_workspace_reads_the_request_for_a_stance(client, people, login):
    question = ask_question(people.asker)
    board_answer = board.open_board_answer(question, people.expert, "The board's draft. " * 5)
    board.submit_for_review(board_answer, people.expert)  # asks the other experts for a stance
    assert notifications.unread_count(people.clinical) == 1
    login(people.clinical)
    assert client.get(f"/board/answers/{board_answer.id}").status_code == 200
    assert notifications.unread_count(people.clinical) == 0


def test_opening_a_decided_guide_proposal_reads_its_news(client, people, login):
    importing.import_guide(SMALL_GUIDE, None)
    section = tree.load_current_guide().sections[0].section
    proposal = proposals.propose(
        people.expert,
        section,
        title=section.title,
        body="Pick the route first, then the documents.",
    )
    proposals.accept(proposal, people.admin)
    assert notifications.unread_count(people.expert) == 1
    login(people.expert)
    page = client.get(f"/guide/proposals/{proposal.id}").get_data(as_text=True)
    assert _badge(page) is None  # the header already counts it read
    assert notifications.unread_count(people.expert) == 0


# --- the choice on the account page --------------------------------------------------------


def test_the_account_page_offers_the_four_choices_and_saves_one(client, make_user, login):
    member = make_user()
    login(member)
    page = client.get("/account").get_data(as_text=True)
    for value in ("immediate", "daily", "weekly", "none"):
        assert f'value="{value}"' in page
    assert re.search(r'checked[^>]*value="immediate"', page)  # the default for a member
    response = client.post("/account/email-frequency", data={"frequency": "weekly"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).email_frequency == EmailFrequency.WEEKLY
    assert re.search(r'checked[^>]*value="weekly"', client.get("/account").get_data(as_text=True))


def test_a_bad_frequency_comes_back_with_a_message_beside_the_field(client, make_user, login):
    member = make_user()
    login(member)
    response = client.post("/account/email-frequency", data={"frequency": "hourly"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'<p class="error" id="frequency-error">[^<]+<', page)
    response = client.post("/account/email-frequency", data={})
    assert "Choose how you want to be e-mailed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, member.id).email_frequency == EmailFrequency.IMMEDIATE


# --- who gets single e-mails -----------------------------------------------------------------


def test_a_person_with_a_digest_gets_no_single_email(make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.DAILY)
    question = ask_question(asker)
    answers.post_answer(question, make_user(Role.EXPERT), ANSWER)
    assert _mails_to(asker) == []
    (note,) = db.session.scalars(select(Notification).where(Notification.user_id == asker.id))
    assert note.awaits_digest and note.digested_at is None


def test_no_email_at_all_keeps_the_in_app_notification(make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.NONE)
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    assert _mails_to(asker) == []
    (note,) = db.session.scalars(select(Notification).where(Notification.user_id == asker.id))
    assert not note.awaits_digest
    assert digests.send_digests({EmailFrequency.DAILY}).emails == 0


# --- the digests -------------------------------------------------------------------------------


def test_a_daily_digest_gathers_the_news_in_one_email_once(make_user):
    asker, first, second, expert = _answered_twice(make_user)  # before the choice: single e-mails
    before = len(_mails_to(asker))
    _choose(asker, EmailFrequency.DAILY)
    answers.post_answer(first, make_user(Role.EXPERT, name="Dr Paolo Bianchi"), ANSWER)
    answers.post_answer(second, make_user(Role.EXPERT, name="Dr Sara Verdi"), ANSWER)
    report = digests.send_digests({EmailFrequency.DAILY})
    assert (report.emails, report.notifications, report.left_out) == (1, 2, 0)
    digest = _mails_to(asker)[-1]
    assert len(_mails_to(asker)) == before + 1
    assert "digest: 2 notifications" in digest.subject
    assert "Dr Paolo Bianchi answered your question." in digest.body
    assert "Dr Sara Verdi answered your question." in digest.body
    assert f"Question: {first.title}" in digest.body and f"/questions/{first.id}" in digest.body
    assert all(
        note.digested_at is not None and not note.awaits_digest
        for note in db.session.scalars(
            select(Notification).where(
                Notification.user_id == asker.id, Notification.digested_at.is_not(None)
            )
        )
    )
    # Run again (cron twice, or a retry): nothing more is sent.
    assert digests.send_digests({EmailFrequency.DAILY}).emails == 0
    assert len(_mails_to(asker)) == before + 1


def test_the_digest_is_written_in_the_persons_language(make_user):
    asker = make_user()
    asker.locale = "it"
    db.session.commit()
    _choose(asker, EmailFrequency.DAILY)
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT, name="Dr Elena Russo"), ANSWER)
    digests.send_digests({EmailFrequency.DAILY})
    (digest,) = _mails_to(asker)
    assert "Ciao" in digest.body or "Gentile" in digest.body
    assert "Dr Elena Russo ha risposto alla tua domanda." in digest.body
    assert "Your digest" not in digest.subject


def test_weekly_digests_wait_for_monday(make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.WEEKLY)
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    tuesday, monday = date(2026, 12, 8), date(2026, 12, 7)
    assert digests.frequencies_due(tuesday) == {EmailFrequency.DAILY}
    assert digests.frequencies_due(monday) == {EmailFrequency.DAILY, EmailFrequency.WEEKLY}
    with mock.patch("forum.calendar.today", return_value=tuesday):
        assert digests.send_digests().emails == 0
    with mock.patch("forum.calendar.today", return_value=monday):
        assert digests.send_digests().emails == 1
    (digest,) = _mails_to(asker)
    assert "weekly digest: 1 notification" in digest.subject


def test_nothing_the_recipient_can_no_longer_see_goes_into_a_digest(make_user):
    expert = make_user(Role.EXPERT)
    experts.update_profile(expert, "", "None declared.", [topic_id("regulatory-pathway")])
    _choose(expert, EmailFrequency.DAILY)
    secret = ask_question(
        make_user(),
        title="Our unreleased implant's first-in-human plan",
        visibility=Visibility.CONFIDENTIAL,
    )
    public = ask_question(make_user(), title="Which standard covers usability?")
    # Demoted to member: the confidential question is no longer theirs to read.
    expert.role, expert.area = Role.MEMBER, None
    db.session.commit()
    report = digests.send_digests({EmailFrequency.DAILY})
    assert (report.emails, report.notifications, report.left_out) == (1, 1, 1)
    (digest,) = _mails_to(expert)
    assert public.title in digest.body
    assert f"/questions/{secret.id}" not in digest.body and "implant" not in digest.body
    # Left out, but handled: a later run does not send it either.
    assert digests.send_digests({EmailFrequency.DAILY}).emails == 0


def test_a_confidential_questions_title_stays_out_of_the_digest(make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.DAILY)
    secret = ask_question(
        asker,
        title="Our unreleased implant's first-in-human plan",
        visibility=Visibility.CONFIDENTIAL,
    )
    answers.post_answer(secret, make_user(Role.EXPERT), ANSWER)
    digests.send_digests({EmailFrequency.DAILY})
    (digest,) = _mails_to(asker)
    assert "implant" not in digest.body and "confidential" in digest.body
    assert f"/questions/{secret.id}" in digest.body


def test_a_deactivated_account_gets_no_digest(make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.DAILY)
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    asker.active = False
    db.session.commit()
    report = digests.send_digests({EmailFrequency.DAILY})
    assert report.emails == 0 and report.left_out == 1
    assert _mails_to(asker) == []


def test_an_opted_out_kind_stays_out_of_the_digest_too(make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.DAILY)
    db.session.add(EmailOptOut(user_id=asker.id, kind=NotificationKind.NEW_ANSWER))
    db.session.commit()
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    assert digests.send_digests({EmailFrequency.DAILY}).emails == 0


def test_going_back_to_single_emails_sends_what_waited_and_none_drops_it(make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.WEEKLY)
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    _choose(asker, EmailFrequency.IMMEDIATE)
    assert digests.send_digests({EmailFrequency.DAILY}).emails == 1  # not lost on a Tuesday
    other = make_user()
    _choose(other, EmailFrequency.DAILY)
    answers.post_answer(ask_question(other), make_user(Role.EXPERT), ANSWER)
    _choose(other, EmailFrequency.NONE)
    assert digests.send_digests({EmailFrequency.DAILY}).emails == 0
    assert notifications.unread_count(other) == 1  # still in the forum's list


def test_the_send_digests_command_reports_and_is_idempotent(app, make_user):
    asker = make_user()
    _choose(asker, EmailFrequency.DAILY)
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-digests", "--frequency", "daily"])
    assert first.exit_code == 0, first.output
    assert "Queued 1 digest e-mail(s) carrying 1 notification(s)" in first.output
    second = runner.invoke(args=["send-digests"])
    assert second.exit_code == 0 and "Queued 0 digest" in second.output
    assert len(_mails_to(asker)) == 1


def test_the_export_says_how_the_person_is_emailed(client, make_user, login):
    member = make_user()
    _choose(member, EmailFrequency.WEEKLY)
    login(member)
    data = client.get("/account/export").get_json()
    assert data["profile"]["email_frequency"] == "weekly"


def test_the_migration_gives_everyone_single_emails_and_its_downgrade_drops_the_columns(
    app, make_user
):
    asker = make_user()
    answers.post_answer(ask_question(asker), make_user(Role.EXPERT), ANSWER)
    asker_id = asker.id
    db.session.remove()
    downgrade(revision=PREVIOUS_REVISION)
    try:
        assert "email_frequency" not in _columns("user")
        assert {"awaits_digest", "digested_at"}.isdisjoint(_columns("notification"))
        db.session.remove()
        upgrade()
        assert db.session.get(User, asker_id).email_frequency == EmailFrequency.IMMEDIATE
        (note,) = db.session.scalars(select(Notification).where(Notification.user_id == asker_id))
        assert note.awaits_digest is False and note.digested_at is None
    finally:
        db.session.remove()
        upgrade()


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}
