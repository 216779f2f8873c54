"""Routing: the expert's dashboard, and admins and chairs inviting a named expert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    ExpertArea,
    Invitation,
    Notification,
    NotificationKind,
    Role,
    User,
    Visibility,
)
from forum.models.columns import utcnow
from forum.services import answers, board, dashboard, experts, invitations
from forum.services.errors import PermissionDenied, RuleViolation
from tests.factories import ask_question, topic_id

ANSWER = "Under MDR Art. 62 a clinical investigation needs the Ministry's authorisation."


def _follow(expert, *slugs: str) -> None:
    experts.update_profile(expert, "", "None declared.", [topic_id(slug) for slug in slugs])


def _asked_days_ago(question, days: int):
    question.created_at = utcnow() - timedelta(days=days)
    db.session.commit()
    return question


# --- the dashboard -------------------------------------------------------------


def test_the_dashboard_lists_open_questions_in_followed_topics_oldest_first(make_user):
    expert = make_user(Role.EXPERT)
    _follow(expert, "regulatory-pathway", "pmcf")
    asker = make_user()
    newer = _asked_days_ago(ask_question(asker, title="A newer pathway question"), 2)
    older = _asked_days_ago(
        ask_question(asker, title="An older PMCF question", topics=("pmcf",)), 9
    )
    _asked_days_ago(
        ask_question(asker, title="An insurance question", topics=("insurance-costs",)), 20
    )
    answered = ask_question(asker, title="An answered pathway question")
    answers.post_answer(answered, make_user(Role.EXPERT), ANSWER)

    now = utcnow()
    work = dashboard.dashboard(expert, now)
    assert [item.question.id for item in work.open_questions] == [older.id, newer.id]
    assert work.open_questions[0].waiting == now - older.created_at
    assert work.open_questions[0].waiting >= timedelta(days=9)


def test_the_dashboard_page_shows_the_waiting_time(client, make_user, login):
    expert = make_user(Role.EXPERT)
    _follow(expert, "regulatory-pathway")
    _asked_days_ago(ask_question(make_user(), title="A question waiting three days"), 3)
    ask_question(make_user(), title="A question about insurance only", topics=("insurance-costs",))
    login(expert)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "A question waiting three days" in page and "waiting 3 days" in page
    assert "A question about insurance only" not in page


def test_members_have_no_dashboard(client, make_user, login):
    login(make_user())
    assert client.get("/dashboard").status_code == 403


def test_the_dashboard_lists_board_answers_awaiting_the_experts_stance(client, make_user, login):
    author = make_user(Role.EXPERT)
    colleague = make_user(Role.EXPERT)
    question = ask_question(make_user(), title="A question the board answers jointly")
    board_answer = board.open_board_answer(question, author, ANSWER)
    board.submit_for_review(board_answer, author)
    assert [item.id for item in dashboard.dashboard(colleague, utcnow()).awaiting_stance] == [
        board_answer.id
    ]
    login(colleague)
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/board/answers/{board_answer.id}"' in page
    assert "A question the board answers jointly" in page


def test_the_admin_dashboard_shows_questions_waiting_longest_and_sent_invitations(
    client, make_user, login
):
    admin = make_user(Role.ADMIN)
    expert = make_user(Role.EXPERT, name="Dr Sara Galli")
    oldest = _asked_days_ago(
        ask_question(
            make_user(), title="The longest waiting question", topics=("insurance-costs",)
        ),
        30,
    )
    ask_question(make_user(), title="A fresh question")
    invitations.invite(oldest, expert, admin, "You know insurance best.")
    login(admin)
    page = client.get("/dashboard").get_data(as_text=True)
    assert page.index("The longest waiting question") < page.index("A fresh question")
    assert "Invitations you sent" in page and "Dr Sara Galli" in page and "not answered yet" in page


def _fill(asker, inviter, expert, count: int, start: int) -> None:
    for number in range(start, start + count):
        question = ask_question(asker, title=f"Open pathway question number {number}")
        invitations.invite(question, expert, inviter)


def test_the_dashboard_loads_in_a_fixed_number_of_queries(client, make_user, login, count_queries):
    chair = make_user(Role.EXPERT, chair=True)
    expert = make_user(Role.EXPERT)
    _follow(expert, "regulatory-pathway")
    asker = make_user()

    def queries(user) -> int:
        login(user)
        with count_queries() as statements:
            assert client.get("/dashboard").status_code == 200
        return len(statements)

    _fill(asker, chair, expert, 5, 0)
    few_expert, few_chair = queries(expert), queries(chair)
    _fill(asker, chair, expert, 25, 5)
    assert len(dashboard.dashboard(expert, utcnow()).open_questions) == 30
    assert queries(expert) == few_expert
    assert queries(chair) == few_chair


def test_the_admin_dashboard_loads_in_a_fixed_number_of_queries(
    client, make_user, login, count_queries
):
    admin = make_user(Role.ADMIN)
    expert = make_user(Role.EXPERT)
    asker = make_user()
    login(admin)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/dashboard").status_code == 200
        return len(statements)

    _fill(asker, admin, expert, 5, 0)
    few = queries()
    _fill(asker, admin, expert, 25, 5)
    assert queries() == few


# --- inviting ----------------------------------------------------------------------


@pytest.mark.parametrize("inviter_role", ["admin", "chair"])
def test_admins_and_chairs_invite_a_named_expert(client, make_user, login, inviter_role):
    inviter = (
        make_user(Role.ADMIN) if inviter_role == "admin" else make_user(Role.EXPERT, chair=True)
    )
    expert = make_user(Role.EXPERT, area=ExpertArea.CLINICAL, name="Dr Paolo Conti")
    question = ask_question(make_user())
    login(inviter)
    assert "Invite an expert" in client.get(f"/questions/{question.id}").get_data(as_text=True)
    form = client.get(f"/questions/{question.id}/invite").get_data(as_text=True)
    assert "Dr Paolo Conti (Clinical practice)" in form
    response = client.post(
        f"/questions/{question.id}/invite",
        data={"expert": expert.id, "message": "Your site ran similar studies."},
    )
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.question_id, invitation.expert_id, invitation.invited_by_id) == (
        question.id,
        expert.id,
        inviter.id,
    )
    assert invitation.message == "Your site ran similar studies."
    assert invitation.answered_at is None


@pytest.mark.parametrize("role", ["expert", "member"])
def test_plain_experts_and_members_may_not_invite(client, make_user, login, role):
    user = make_user(Role.EXPERT) if role == "expert" else make_user()
    expert = make_user(Role.EXPERT)
    question = ask_question(user if role == "member" else make_user())
    login(user)
    assert "Invite an expert" not in client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert client.get(f"/questions/{question.id}/invite").status_code == 403
    assert (
        client.post(f"/questions/{question.id}/invite", data={"expert": expert.id}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        invitations.invite(question, expert, user)
    assert db.session.scalar(select(Invitation)) is None


def test_inviting_on_a_hidden_or_missing_question_is_not_found(client, make_user, login):
    secret = ask_question(make_user(), visibility=Visibility.CONFIDENTIAL)
    login(make_user())
    assert client.get(f"/questions/{secret.id}/invite").status_code == 404
    login(make_user(Role.ADMIN))
    assert client.get("/questions/999999/invite").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_to_invite(client, make_user):
    question = ask_question(make_user())
    response = client.get(f"/questions/{question.id}/invite")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_inviting_the_same_expert_twice_comes_back_with_a_message(client, make_user, login):
    chair = make_user(Role.EXPERT, chair=True)
    expert = make_user(Role.EXPERT, name="Dr Elena Russo")
    question = ask_question(make_user())
    invitations.invite(question, expert, chair)
    login(chair)
    response = client.post(
        f"/questions/{question.id}/invite", data={"expert": expert.id, "message": "Second try"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Dr Elena Russo has already been invited to answer this question." in page
    assert 'id="expert-error"' in page and "Second try" in page
    assert len(db.session.scalars(select(Invitation)).all()) == 1


def test_only_active_experts_can_be_invited(client, make_user, login):
    admin = make_user(Role.ADMIN)
    member = make_user()
    question = ask_question(make_user())
    with pytest.raises(RuleViolation):
        invitations.invite(question, member, admin)
    retired = make_user(Role.EXPERT)
    retired.active = False
    db.session.commit()
    with pytest.raises(RuleViolation):
        invitations.invite(question, retired, admin)
    login(admin)
    assert (
        client.post(f"/questions/{question.id}/invite", data={"expert": member.id}).status_code
        == 422
    )
    assert client.post(f"/questions/{question.id}/invite", data={"expert": "0"}).status_code == 422
    assert db.session.scalar(select(Invitation)) is None


def test_an_overlong_message_comes_back_with_the_input_kept(client, make_user, login):
    admin = make_user(Role.ADMIN)
    expert = make_user(Role.EXPERT)
    question = ask_question(make_user())
    login(admin)
    response = client.post(
        f"/questions/{question.id}/invite", data={"expert": expert.id, "message": "x" * 501}
    )
    assert response.status_code == 422
    assert 'id="message-error"' in response.get_data(as_text=True)


def test_the_invited_expert_is_notified_and_sees_it_on_the_dashboard(client, make_user, login):
    chair = make_user(Role.EXPERT, chair=True, name="Prof. Marco Bellini")
    expert = make_user(Role.EXPERT)
    question = ask_question(
        make_user(), title="A question for a named expert", topics=("insurance-costs",)
    )
    invitations.invite(question, expert, chair, "Please look at the insurance part.")
    note = db.session.scalar(select(Notification).where(Notification.user_id == expert.id))
    assert (note.kind, note.question_id, note.actor_id) == (
        NotificationKind.INVITATION,
        question.id,
        chair.id,
    )
    login(expert)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "A question for a named expert" in page
    assert "invited by Prof. Marco Bellini" in page and "Please look at the insurance part." in page
    assert "Prof. Marco Bellini invites you to answer" in client.get("/notifications").get_data(
        as_text=True
    )


def test_answering_marks_the_invitation_answered(client, make_user, login):
    admin = make_user(Role.ADMIN)
    expert = make_user(Role.EXPERT)
    question = ask_question(make_user(), title="A question the invited expert answers")
    invitation = invitations.invite(question, expert, admin)
    answers.post_answer(question, expert, ANSWER)
    assert db.session.get(Invitation, invitation.id).answered_at is not None
    assert dashboard.dashboard(expert, utcnow()).invitations == []
    login(expert)
    assert "A question the invited expert answers" not in client.get("/dashboard").get_data(
        as_text=True
    )


def test_an_expert_who_already_answered_is_not_invited(make_user):
    admin = make_user(Role.ADMIN)
    expert = make_user(Role.EXPERT)
    question = ask_question(make_user())
    answers.post_answer(question, expert, ANSWER)
    with pytest.raises(RuleViolation):
        invitations.invite(question, expert, admin)


def test_an_invitation_is_audited_with_its_actor(make_user):
    chair = make_user(Role.EXPERT, chair=True)
    expert = make_user(Role.EXPERT, name="Dr Chiara Marino")
    question = ask_question(make_user())
    invitation = invitations.invite(question, expert, chair)
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.EXPERT_INVITED.value)
    )
    assert (entry.actor_id, entry.subject_type, entry.subject_id, entry.question_id) == (
        chair.id,
        "Invitation",
        invitation.id,
        question.id,
    )
    assert "Dr Chiara Marino" in entry.detail and entry.created_at is not None


def test_every_demo_expert_finds_work_on_the_dashboard(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    demo_experts = db.session.scalars(
        select(User).where(User.role == Role.EXPERT).order_by(User.id)
    ).all()
    assert len(demo_experts) == 5
    pending = 0
    for expert in demo_experts:
        work = dashboard.dashboard(expert, utcnow())
        assert work.open_questions, expert.display_name
        pending += len(work.invitations)
    assert pending >= 1
