"""The admin pages: the index, the e-mail outbox and the audit log, for admins only (the
accounts pages have tests/web/test_user_admin.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum.extensions import db
from forum.models import AuditAction, OutboxMessage, OutboxStatus, Role
from forum.services import audit
from forum.services.mail import outbox
from tests.factories import ask_question


def failed_message(recipient: str = "anna@example.org") -> OutboxMessage:
    message = outbox.enqueue(
        recipient, "Your question has an answer", "Hello Anna,\n\nsee the forum."
    )
    message.status = OutboxStatus.FAILED
    message.attempts = 20
    message.last_error = "SMTP 550: No such mailbox here"
    db.session.commit()
    return message


def entry(
    actor,
    action: AuditAction,
    subject,
    *,
    when: datetime | None = None,
    question_id: int | None = None,
    detail: str = "",
):
    recorded = audit.record(actor, action, subject, question_id=question_id, detail=detail)
    if when is not None:
        recorded.created_at = when
    return recorded


def day(year: int, month: int, dd: int, hour: int = 12) -> datetime:
    return datetime(year, month, dd, hour, tzinfo=UTC)


ADMIN_PAGES = ("/admin", "/admin/users", "/admin/outbox", "/admin/audit", "/admin/outbox/{id}")


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_visitors_are_sent_to_log_in(client, page):
    message_id = failed_message().id
    response = client.get(page.format(id=message_id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_members_and_experts_are_refused(client, make_user, login, role, page):
    message_id = failed_message().id
    login(make_user(role))
    assert client.get(page.format(id=message_id)).status_code == 403
    assert client.post(f"/admin/outbox/{message_id}/requeue").status_code == 403
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.FAILED


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admins_see_the_admin_pages(client, make_user, login, page):
    message_id = failed_message().id
    login(make_user(Role.ADMIN))
    assert client.get(page.format(id=message_id)).status_code == 200


def test_only_admins_get_the_admin_link(client, make_user, login):
    login(make_user(Role.EXPERT))
    assert 'href="/admin"' not in client.get("/").get_data(as_text=True)
    login(make_user(Role.ADMIN))
    assert 'href="/admin">Admin' in client.get("/").get_data(as_text=True)
    index = client.get("/admin").get_data(as_text=True)
    for page in ("/admin/users", "/admin/outbox", "/admin/audit", "/faq/admin", "/review"):
        assert f'href="{page}"' in index


def test_the_outbox_lists_messages_filtered_by_status(client, make_user, login):
    outbox.enqueue("marco@example.org", "A new question in your area", "Hello Marco.")
    failed_message("anna@example.org")
    login(make_user(Role.ADMIN))

    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "marco@example.org" in page and "anna@example.org" in page
    assert "SMTP 550: No such mailbox here" in page
    assert "No mail server is configured" in page  # the test settings have none

    failed_only = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "anna@example.org" in failed_only and "marco@example.org" not in failed_only
    assert "Queue again" in failed_only
    assert client.get("/admin/outbox?status=bogus").status_code == 200


def test_the_outbox_pages_through_many_messages(client, make_user, login):
    for number in range(55):
        outbox.enqueue(f"member{number}@example.org", f"Message {number}", "Body")
    db.session.commit()
    login(make_user(Role.ADMIN))

    first = client.get("/admin/outbox").get_data(as_text=True)
    assert "Page 1 of 2" in first and "55 messages" in first
    second = client.get("/admin/outbox?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count('<tr class="outbox-') == 5


def test_a_message_page_shows_its_text(client, make_user, login):
    message_id = failed_message().id
    login(make_user(Role.ADMIN))
    page = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "Hello Anna," in page and "see the forum." in page
    assert client.get("/admin/outbox/999999").status_code == 404


def test_an_admin_queues_a_failed_message_again(client, make_user, login):
    message_id = failed_message().id
    login(make_user(Role.ADMIN))

    response = client.post(f"/admin/outbox/{message_id}/requeue")

    assert response.status_code == 302
    message = db.session.get(OutboxMessage, message_id)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0
    assert "is queued again" in client.get(response.headers["Location"]).get_data(as_text=True)

    again = client.post(f"/admin/outbox/{message_id}/requeue", follow_redirects=True)
    assert "Only a failed message can be queued again." in again.get_data(as_text=True)


def test_requeue_needs_the_csrf_token(client, make_user, login):
    message_id = failed_message().id
    login(make_user(Role.ADMIN))
    assert client.post(f"/admin/outbox/{message_id}/requeue", csrf=False).status_code == 400
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.FAILED


def test_the_audit_log_shows_who_did_what_with_a_link_to_the_question(client, make_user, login):
    admin = make_user(Role.ADMIN, name="Centre Admin")
    expert = make_user(Role.EXPERT, name="Chiara Marino")
    question = ask_question(make_user())
    entry(
        expert,
        AuditAction.BOARD_ANSWER_OPENED,
        question,
        question_id=question.id,
        detail="Opened for the board",
    )
    entry(None, AuditAction.EXPERT_INVITED, expert)
    db.session.commit()
    login(admin)

    page = client.get("/admin/audit").get_data(as_text=True)

    assert "Chiara Marino" in page and "Board answer opened" in page
    assert f'href="/questions/{question.id}"' in page
    assert "Opened for the board" in page
    assert f"Question #{question.id}" in page
    assert "Expert invited" in page and f"User #{expert.id}" in page


def test_the_audit_log_filters_by_action_actor_question_and_dates(client, make_user, login):
    admin = make_user(Role.ADMIN)
    chiara = make_user(Role.EXPERT, name="Chiara Marino")
    marco = make_user(Role.EXPERT, name="Marco Bellini")
    question = ask_question(make_user())
    other = ask_question(make_user(), title="Another question about pivotal studies")
    entry(
        chiara,
        AuditAction.BOARD_ANSWER_OPENED,
        question,
        question_id=question.id,
        when=day(2026, 3, 1),
        detail="first-entry",
    )
    entry(
        marco,
        AuditAction.STANCE_RECORDED,
        question,
        question_id=question.id,
        when=day(2026, 3, 2),
        detail="second-entry",
    )
    entry(
        marco,
        AuditAction.BOARD_ANSWER_OPENED,
        other,
        question_id=other.id,
        when=day(2026, 3, 3, hour=23),
        detail="third-entry",
    )
    db.session.commit()
    login(admin)

    def details(query: str) -> set[str]:
        response = client.get("/admin/audit?" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_data(as_text=True)
        return {name for name in ("first-entry", "second-entry", "third-entry") if name in page}

    assert details("") == {"first-entry", "second-entry", "third-entry"}
    assert details("action=board-answer-opened") == {"first-entry", "third-entry"}
    assert details(f"actor={marco.email}") == {"second-entry", "third-entry"}
    assert details(f"actor={marco.email.upper()}") == {"second-entry", "third-entry"}
    assert details(f"actor={chiara.id}") == {"first-entry"}
    assert details(f"question={question.id}") == {"first-entry", "second-entry"}
    assert details("since=2026-03-02") == {"second-entry", "third-entry"}
    assert details("until=2026-03-02") == {"first-entry", "second-entry"}
    assert details("since=2026-03-03&until=2026-03-03") == {"third-entry"}
    assert details(f"action=board-answer-opened&actor={marco.id}") == {"third-entry"}


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=2026-13-45", "Not a valid date value"),
        ("until=yesterday", "Not a valid date value"),
        ("since=2026-03-05&until=2026-03-01", "The end date is before the start date."),
        ("question=abc", "Not a valid integer value"),
        ("question=0", "Not a valid question number."),
        ("question=99999999999999999999999", "Not a valid question number."),
        ("actor=nobody@example.org", "No account has this e-mail address."),
        ("actor=99999999999999999999", "Not a valid account number."),
        ("actor=Chiara", "Give an e-mail address or an account number."),
        ("action=bogus", "Not a valid choice"),
    ],
)
def test_bad_audit_filters_get_a_message_not_an_error(client, make_user, login, query, message):
    login(make_user(Role.ADMIN))
    response = client.get("/admin/audit?" + query)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "Please correct the fields marked below." in page


def test_the_audit_log_pages_through_many_entries(client, make_user, login):
    admin = make_user(Role.ADMIN)
    for _ in range(60):
        entry(admin, AuditAction.EXPERT_PROFILE_UPDATED, admin)
    db.session.commit()
    login(admin)
    assert "Page 2 of 2" in client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in client.get("/admin/audit?page=-3").get_data(as_text=True)
    for page in ("/admin/audit", "/admin/outbox"):
        assert client.get(page + "?page=99999999999999999999999").status_code == 200


def _add_entries_and_messages(make_user, count: int) -> None:
    """``count`` audit entries, each by a different expert, and ``count`` queued messages."""
    question = ask_question(make_user())
    for number in range(count):
        entry(
            make_user(Role.EXPERT),
            AuditAction.STANCE_RECORDED,
            question,
            question_id=question.id,
            detail=f"stance {number}",
        )
        outbox.enqueue(f"member{number}@example.org", "Subject", "Body")
    db.session.commit()


@pytest.mark.parametrize("page", ["/admin/audit", "/admin/outbox"])
def test_the_admin_pages_run_a_fixed_number_of_queries(
    client, make_user, login, count_queries, page
):
    login(make_user(Role.ADMIN))
    counts = []
    for added in (5, 45):  # 5 rows, then 50
        _add_entries_and_messages(make_user, added)
        with count_queries() as statements:
            assert client.get(page).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
