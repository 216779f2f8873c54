"""Moderation of a board answer's "comments" (issue 22, item 1): the reasons experts give
for their stances. Flagged by those who read them, hidden, restored, removed or marked as
spam by the moderators like any text; the stance itself stays the board's record and
still counts toward the quorum."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from forum.extensions import db
from forum.models import (
    AuditEntry,
    Flag,
    FlagReason,
    ModerationState,
    Notification,
    NotificationKind,
    OutboxMessage,
    Stance,
    StanceKind,
    Visibility,
)
from forum.services import board, board_stances, moderation
from forum.services.accounts import data_export
from forum.services.errors import PermissionDenied
from forum.services.moderation import Action
from tests.factories import ask_question

PREVIOUS_REVISION = "c4e8a1f7d2b6"
BOARD_TEXT = "The board's view: the study is a clinical investigation under MDR Art. 62."
REASON = "Brambleweft consultancy certifies this in a week: write to us."
DRAFT_REASON = "Quandertile reasoning on the revision still in review."


def _flag(client, login, user, stance_id, reason="spam", note=""):
    login(user)
    return client.post(f"/flags/stance/{stance_id}", data={"reason": reason, "note": note})


def _act(client, login, admin, stance_id, action, reason="Advertising, not a reason."):
    login(admin)
    return client.post(
        f"/admin/moderation/stance/{stance_id}", data={"action": action, "reason": reason}
    )


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.fixture
def published(people):
    """A published board answer; the clinical expert's endorsement carries a reason."""
    question = ask_question(people.asker, title="Which pathway for the wearable patch?")
    board_answer = board.open_board_answer(question, people.expert, BOARD_TEXT)
    board.submit_for_review(board_answer, people.expert)
    for expert in (people.chair, people.expert):
        board_stances.record_stance(
            board_answer, expert, StanceKind.ENDORSE, revision_number=board_answer.current_number
        )
    board_stances.record_stance(
        board_answer,
        people.clinical,
        StanceKind.ENDORSE,
        revision_number=board_answer.current_number,
        reason=REASON,
    )
    board.publish(board_answer, people.chair)
    return board_answer


def _stance_of(board_answer, expert) -> Stance:
    return db.session.scalar(
        select(Stance).where(
            Stance.board_answer_id == board_answer.id, Stance.expert_id == expert.id
        )
    )


@pytest.fixture
def hidden(client, login, people, published):
    """The clinical expert's reason, flagged by two other experts: hidden pending review."""
    stance = _stance_of(published, people.clinical)
    for expert in (people.expert, people.chair):
        assert _flag(client, login, expert, stance.id).status_code == 302
    client.post("/logout")
    db.session.refresh(stance)
    return stance


def _question_url(board_answer) -> str:
    return f"/questions/{board_answer.question_id}"


def _workspace_url(board_answer) -> str:
    return f"/board/answers/{board_answer.id}"


# --- flags ---------------------------------------------------------------------


def test_the_flag_link_shows_beside_a_reason_to_those_who_may_flag_it(
    client, login, people, published
):
    stance = _stance_of(published, people.clinical)
    link = f"/flags/stance/{stance.id}"
    assert link not in _page(client, _question_url(published))  # visitors log in first
    login(people.asker)
    assert link in _page(client, _question_url(published))
    login(people.clinical)  # its author
    assert link not in _page(client, _question_url(published))
    assert link not in _page(client, _workspace_url(published))
    login(people.expert)
    assert link in _page(client, _workspace_url(published))


def test_a_member_flags_a_reason_beside_the_published_answer(client, login, people, published):
    stance = _stance_of(published, people.clinical)
    response = _flag(client, login, people.asker, stance.id, reason="other", note="An advert")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#stance-{stance.id}")
    (flag,) = db.session.scalars(select(Flag))
    assert (flag.stance_id, flag.user_id, flag.reason) == (
        stance.id,
        people.asker.id,
        FlagReason.OTHER,
    )
    again = _flag(client, login, people.asker, stance.id)
    assert again.status_code == 422
    assert "You have already flagged this text." in again.get_data(as_text=True)


def test_the_author_cannot_flag_their_own_reason(client, login, people, published):
    stance = _stance_of(published, people.clinical)
    assert _flag(client, login, people.clinical, stance.id).status_code == 403


def test_a_reason_in_the_workspace_is_not_there_for_members_to_flag(client, login, people):
    question = ask_question(people.asker)
    board_answer = board.open_board_answer(question, people.expert, BOARD_TEXT)
    board.submit_for_review(board_answer, people.expert)
    stance = board_stances.record_stance(
        board_answer, people.clinical, StanceKind.DISSENT, revision_number=1, reason=DRAFT_REASON
    )
    assert _flag(client, login, people.asker, stance.id).status_code == 404
    assert _flag(client, login, people.other, stance.id).status_code == 404
    with pytest.raises(PermissionDenied):
        moderation.flag(people.asker, stance, FlagReason.SPAM)
    assert _flag(client, login, people.expert, stance.id).status_code == 302


def test_a_reason_on_a_confidential_question_is_flagged_by_the_board_only(client, login, people):
    question = ask_question(people.asker, visibility=Visibility.CONFIDENTIAL)
    board_answer = board.open_board_answer(question, people.expert, BOARD_TEXT)
    board.submit_for_review(board_answer, people.expert)
    stance = board_stances.record_stance(
        board_answer, people.clinical, StanceKind.DISSENT, revision_number=1, reason=DRAFT_REASON
    )
    assert _flag(client, login, people.other, stance.id).status_code == 404
    assert _flag(client, login, people.chair, stance.id).status_code == 302


# --- hidden after two flags ------------------------------------------------------


def test_two_experts_flags_hide_the_reason_but_the_stance_still_counts(people, published, hidden):
    assert hidden.moderation_state == ModerationState.FLAGGED
    quorum = board_stances.quorum_state(published, published.published_number)
    assert people.clinical.id in {stance.expert_id for stance in quorum.endorsements}
    assert quorum.is_met


def test_a_hidden_reason_is_gone_for_visitors_members_and_other_experts(
    client, login, people, published, hidden
):
    for reader in (None, people.asker, people.expert):
        if reader is None:
            client.post("/logout")
        else:
            login(reader)
        page = _page(client, _question_url(published))
        assert REASON not in page
        assert "The moderators hid the reason given for this stance" in page
        assert people.clinical.display_name in page  # the stance is still listed
    login(people.expert)
    workspace = _page(client, _workspace_url(published))
    assert REASON not in workspace
    assert "The moderators hid the reason given for this stance" in workspace


def test_the_author_and_admins_see_a_hidden_reason_marked(client, login, people, published, hidden):
    for reader in (people.clinical, people.admin):
        login(reader)
        for url in (_question_url(published), _workspace_url(published)):
            page = _page(client, url)
            assert REASON in page
            assert "Hidden after flags, pending review" in page


def test_the_api_leaves_a_hidden_reason_out_for_others(client, people, published, hidden):
    document = client.get(f"/api/v1/questions/{published.question_id}").get_json()
    reasons = [
        (stance["reason"], stance["reason_hidden"], stance["moderation"])
        for stance in document["board_answer"]["endorsements"]
    ]
    assert ("", True, None) in reasons
    assert all(REASON not in str(stance) for stance in document["board_answer"]["endorsements"])
    assert len(reasons) == 3  # every endorsement is still listed


def test_the_queue_lists_a_flagged_reason_with_its_question(
    client, login, people, published, hidden
):
    login(people.admin)
    page = _page(client, "/admin/moderation")
    assert f'id="stance-{hidden.id}"' in page
    assert REASON in page and published.question.title in page
    assert "Reason given for a stance on the board" in page
    assert people.expert.display_name in page and people.chair.display_name in page
    assert page.count('class="moderation-item"') == 1  # the reason alone waits


# --- the moderators' actions ------------------------------------------------------


def test_restore_brings_the_reason_back_is_audited_and_tells_the_author(
    client, login, people, published, hidden
):
    assert (
        _act(
            client, login, people.admin, hidden.id, "restore", reason="A fair reason after all."
        ).status_code
        == 302
    )
    db.session.refresh(hidden)
    assert hidden.moderation_state is None
    resolved = db.session.scalars(select(Flag.resolved_at)).all()
    assert len(resolved) == 2 and all(resolved)
    client.post("/logout")
    assert REASON in _page(client, _question_url(published))
    login(people.expert)
    assert REASON in _page(client, _workspace_url(published))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "text-restored"))
    assert (entry.subject_type, entry.subject_id, entry.question_id) == (
        "Stance",
        hidden.id,
        published.question_id,
    )
    assert (
        db.session.scalar(
            select(Notification).where(
                Notification.user_id == people.clinical.id,
                Notification.kind == NotificationKind.MODERATED,
            )
        )
        is not None
    )
    mail = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == people.clinical.email)
        .order_by(OutboxMessage.id.desc())
    )
    assert "restored the reason you gave for your stance" in mail.body
    assert "A fair reason after all." in mail.body


def test_hide_and_spam_keep_the_stance_and_the_author_reads_why(client, login, people, published):
    stance = _stance_of(published, people.clinical)
    assert _act(client, login, people.admin, stance.id, "spam").status_code == 302
    db.session.refresh(stance)
    assert stance.moderation_state == ModerationState.SPAM
    assert moderation.author_record(people.clinical).spam == 1
    client.post("/logout")
    assert REASON not in _page(client, _question_url(published))
    login(people.clinical)
    page = _page(client, _question_url(published))
    assert REASON in page and "Advertising, not a reason." in page
    assert board_stances.quorum_state(published, published.published_number).is_met


def test_the_author_is_told_in_their_language(people, published):
    people.clinical.locale = "it"
    db.session.commit()
    stance = _stance_of(published, people.clinical)
    moderation.act(people.admin, stance, Action.HIDE, "Non riguarda la risposta.")
    mail = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == people.clinical.email)
        .order_by(OutboxMessage.id.desc())
    )
    assert "I moderatori hanno nascosto la motivazione" in mail.body
    assert "la tua posizione resta valida" in mail.body
    assert "Non riguarda la risposta." in mail.body


def test_removing_a_reason_erases_it_and_leaves_a_tombstone(client, login, people, published):
    stance = _stance_of(published, people.clinical)
    assert _act(client, login, people.admin, stance.id, "remove").status_code == 302
    db.session.refresh(stance)
    assert stance.stored_reason == "" and stance.moderation_state == ModerationState.REMOVED
    page = _page(client, _question_url(published))
    assert REASON not in page and "Reason removed by the moderators." in page
    assert moderation.actions_for(stance) == []
    assert _flag(client, login, people.asker, stance.id).status_code == 403


def test_changing_ones_stance_does_not_undo_the_moderators_decision(people):
    question = ask_question(people.asker)
    board_answer = board.open_board_answer(question, people.expert, BOARD_TEXT)
    board.submit_for_review(board_answer, people.expert)
    stance = board_stances.record_stance(
        board_answer, people.clinical, StanceKind.ENDORSE, revision_number=1, reason=DRAFT_REASON
    )
    moderation.act(people.admin, stance, Action.HIDE, "Not about the answer.")
    changed = board_stances.record_stance(
        board_answer,
        people.clinical,
        StanceKind.DISSENT,
        revision_number=1,
        reason="Another text, same stance row.",
    )
    assert changed.id == stance.id and changed.moderation_state == ModerationState.HIDDEN
    moderation.act(people.admin, stance, Action.REMOVE, "Still not about the answer.")
    board_stances.record_stance(
        board_answer, people.clinical, StanceKind.ABSTAIN, revision_number=1, reason="A third text."
    )
    assert stance.stored_reason == "" and stance.is_removed_by_moderators


def test_moderating_a_reason_is_for_admins_only(client, login, people, published):
    stance = _stance_of(published, people.clinical)
    assert _act(client, login, people.chair, stance.id, "hide").status_code == 403
    with pytest.raises(PermissionDenied):
        moderation.act(people.chair, stance, Action.HIDE, "No.")


# --- the person's data, the schema -------------------------------------------------


def test_the_personal_data_export_lists_stance_flags(people, published):
    stance = _stance_of(published, people.clinical)
    moderation.flag(people.asker, stance, FlagReason.OFFENSIVE)
    (exported,) = data_export.export(people.asker)["flags"]
    assert (exported["stance_id"], exported["question_id"], exported["reason"]) == (
        stance.id,
        None,
        "offensive",
    )


def test_the_migration_adds_stance_flags_and_its_downgrade_drops_them(app, people, published):
    stance = _stance_of(published, people.clinical)
    moderation.flag(people.asker, stance, FlagReason.SPAM)
    stance_id, expert_id = stance.id, people.clinical.id
    db.session.remove()
    downgrade(revision=PREVIOUS_REVISION)
    try:
        assert "stance_id" not in _columns("flag")
        assert "moderation_state" not in _columns("stance")
        assert (
            db.session.scalar(select(Stance.expert_id).where(Stance.id == stance_id)) == expert_id
        )
        db.session.remove()
        upgrade()
        assert db.session.get(Stance, stance_id).moderation_state is None
        assert db.session.scalars(select(Flag)).all() == []  # the stance flag went down
    finally:
        db.session.remove()
        upgrade()


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}
