"""Board answers: drafting, revision-bound stances, the quorum, publication, amendment, withdrawal."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import (
    AuditEntry,
    BoardAnswer,
    BoardAnswerStatus,
    BoardRevision,
    ExpertArea,
    Notification,
    NotificationKind,
    Role,
    StanceKind,
    User,
    Visibility,
)
from forum.services import answers, board, board_reading, board_stances
from forum.services.accounts import user_admin
from forum.services.board import EditConflict
from forum.services.errors import PermissionDenied, RuleViolation
from tests.factories import ask_question
from tests.fixtures.diffs import deletions, insertions

DRAFT = "The study needs a Ministry notification under MDR Art. 70 and an ethics opinion."
AMENDED = DRAFT + "\n\nAdd the insurance certificate required by MDR Art. 69."


@dataclass
class Board:
    asker: User
    chair: User  # university
    research: User
    clinical: User
    research_two: User

    @property
    def experts(self):
        return [self.chair, self.research, self.clinical, self.research_two]


@pytest.fixture
def people(make_user) -> Board:
    return Board(
        asker=make_user(name="Anna Asker"),
        chair=make_user(Role.EXPERT, ExpertArea.UNIVERSITY, chair=True, name="Marco Chair"),
        research=make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Elena Research"),
        clinical=make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Paolo Clinical"),
        research_two=make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Rita Research"),
    )


def _in_review(people: Board, visibility=Visibility.PUBLIC) -> BoardAnswer:
    question = ask_question(people.asker, visibility=visibility)
    board_answer = board.open_board_answer(question, people.research, DRAFT)
    board.submit_for_review(board_answer, people.research)
    return board_answer


def _endorse(board_answer: BoardAnswer, *experts: User) -> None:
    for expert in experts:
        board_stances.record_stance(
            board_answer, expert, StanceKind.ENDORSE, revision_number=board_answer.current_number
        )


# --- permissions --------------------------------------------------------------


def test_members_cannot_open_edit_or_endorse_a_board_answer(client, login, people, make_user):
    board_answer = _in_review(people)
    question_id = board_answer.question_id
    login(people.asker)
    assert client.get(f"/board/questions/{question_id}/new").status_code == 403
    assert (
        client.post(f"/board/questions/{question_id}/new", data={"body": DRAFT}).status_code == 403
    )
    assert client.get(f"/board/answers/{board_answer.id}").status_code == 403
    assert (
        client.post(
            f"/board/answers/{board_answer.id}/edit", data={"body": AMENDED, "base_number": 1}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/board/answers/{board_answer.id}/stance",
            data={"kind": "endorse", "revision_number": 1},
        ).status_code
        == 403
    )
    assert client.post(f"/board/answers/{board_answer.id}/publish").status_code == 403
    with pytest.raises(PermissionDenied):
        board_stances.record_stance(
            board_answer, people.asker, StanceKind.ENDORSE, revision_number=1
        )
    db.session.refresh(board_answer)
    assert board_answer.current_number == 1 and board_answer.stances == []


def test_admins_read_the_workspace_but_take_no_stance(client, login, people, make_user):
    board_answer = _in_review(people)
    login(make_user(Role.ADMIN))
    page = client.get(f"/board/answers/{board_answer.id}")
    assert page.status_code == 200 and "Record my stance" not in page.get_data(as_text=True)
    assert (
        client.post(
            f"/board/answers/{board_answer.id}/stance",
            data={"kind": "endorse", "revision_number": 1},
        ).status_code
        == 403
    )


def test_a_visitor_is_sent_to_log_in_and_a_hidden_question_is_not_found(
    client, login, people, make_user
):
    board_answer = _in_review(people, visibility=Visibility.CONFIDENTIAL)
    response = client.get(f"/board/answers/{board_answer.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(make_user())
    assert client.get(f"/board/answers/{board_answer.id}").status_code == 404
    assert client.get(f"/board/answers/{board_answer.id}/revisions").status_code == 404
    assert client.get(f"/board/questions/{board_answer.question_id}/new").status_code == 404


def test_only_a_chair_publishes(client, login, people, make_user):
    board_answer = _in_review(people)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    for user in (people.research, make_user(Role.ADMIN)):
        login(user)
        assert client.post(f"/board/answers/{board_answer.id}/publish").status_code == 403
    with pytest.raises(PermissionDenied):
        board.publish(board_answer, people.clinical)
    login(people.chair)
    assert client.post(f"/board/answers/{board_answer.id}/publish").status_code == 302
    db.session.refresh(board_answer)
    assert board_answer.status == BoardAnswerStatus.PUBLISHED


# --- opening and co-editing -------------------------------------------------------


def test_an_expert_opens_a_draft_that_others_edit_into_revisions(client, login, people):
    question = ask_question(people.asker)
    login(people.research)
    response = client.post(
        f"/board/questions/{question.id}/new", data={"body": DRAFT, "note": "first draft"}
    )
    assert response.status_code == 302
    board_answer = db.session.scalar(select(BoardAnswer))
    assert board_answer.status == BoardAnswerStatus.DRAFTING and board_answer.current_number == 1

    login(people.clinical)
    edit_page = client.get(f"/board/answers/{board_answer.id}/edit").get_data(as_text=True)
    assert 'name="base_number" type="hidden" value="1"' in edit_page
    assert (
        client.post(
            f"/board/answers/{board_answer.id}/edit",
            data={"body": AMENDED, "base_number": 1, "note": "insurance"},
        ).status_code
        == 302
    )
    db.session.refresh(board_answer)
    assert board_answer.current_number == 2 and board_answer.body == AMENDED
    editors = [r.editor.display_name for r in board_answer.revisions]
    assert editors == ["Elena Research", "Paolo Clinical"]


def test_a_question_has_one_live_board_answer(people):
    question = ask_question(people.asker)
    board.open_board_answer(question, people.research, DRAFT)
    with pytest.raises(RuleViolation):
        board.open_board_answer(question, people.clinical, DRAFT)


def test_any_two_revisions_can_be_compared(client, login, people):
    question = ask_question(people.asker)
    board_answer = board.open_board_answer(
        question, people.research, "First line.\nSecond line here."
    )
    board.revise(board_answer, people.clinical, "First line.\nSecond line changed.", base_number=1)
    board.revise(
        board_answer, people.chair, "First line.\nSecond line changed.\nThird line.", base_number=2
    )
    login(people.research)
    page = client.get(f"/board/answers/{board_answer.id}/revisions?from=1&to=3").get_data(
        as_text=True
    )
    assert "Changes from revision 1 to revision 3" in page
    assert deletions(page) == ["here"]
    assert insertions(page) == ["changed", "Third line."]
    assert "@@" not in page
    bad = client.get(f"/board/answers/{board_answer.id}/revisions?from=1&to=9")
    assert bad.status_code == 400 and "no such revision" in bad.get_data(as_text=True)


def test_two_experts_saving_at_once_do_not_overwrite_each_other(client, login, people):
    question = ask_question(people.asker)
    board_answer = board.open_board_answer(question, people.research, DRAFT)
    # Both loaded revision 1; the clinical expert saves first.
    board.revise(board_answer, people.clinical, DRAFT + "\n\nTheir paragraph.", base_number=1)
    login(people.chair)
    response = client.post(
        f"/board/answers/{board_answer.id}/edit",
        data={"body": DRAFT + "\n\nMy paragraph.", "base_number": 1},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The text changed while you were editing" in page
    assert "Their paragraph." in page  # their text, shown
    assert "My paragraph.</textarea>" in page  # mine, kept in the box
    assert 'name="base_number" type="hidden" value="2"' in page
    db.session.refresh(board_answer)
    assert board_answer.current_number == 2 and "My paragraph." not in board_answer.body
    # Saving again after reading theirs is a deliberate new revision.
    merged = DRAFT + "\n\nTheir paragraph.\n\nMy paragraph."
    assert (
        client.post(
            f"/board/answers/{board_answer.id}/edit", data={"body": merged, "base_number": 2}
        ).status_code
        == 302
    )
    db.session.refresh(board_answer)
    assert board_answer.current_number == 3 and board_answer.body == merged


def test_a_stale_save_raises_a_conflict_carrying_both_versions(people):
    board_answer = board.open_board_answer(ask_question(people.asker), people.research, DRAFT)
    board.revise(board_answer, people.clinical, AMENDED, base_number=1)
    with pytest.raises(EditConflict) as raised:
        board.revise(board_answer, people.chair, DRAFT + " (chair)", base_number=1)
    assert raised.value.base.number == 1 and raised.value.current.body == AMENDED
    assert db.session.scalar(select(func.count()).select_from(BoardRevision)) == 2


# --- stances and the quorum ---------------------------------------------------------


def test_stances_are_taken_only_once_submitted_for_review(people):
    board_answer = board.open_board_answer(ask_question(people.asker), people.research, DRAFT)
    with pytest.raises(PermissionDenied):
        board_stances.record_stance(
            board_answer, people.chair, StanceKind.ENDORSE, revision_number=1
        )
    board.submit_for_review(board_answer, people.research)
    board_stances.record_stance(board_answer, people.chair, StanceKind.ENDORSE, revision_number=1)


def test_quorum_needs_three_endorsements(client, login, people):
    board_answer = _in_review(people)
    _endorse(board_answer, people.chair, people.clinical)
    login(people.chair)
    response = client.post(f"/board/answers/{board_answer.id}/publish")
    assert response.status_code == 409
    assert "Quorum is not met: 1 more endorsement is needed." in response.get_data(as_text=True)
    db.session.refresh(board_answer)
    assert (
        board_answer.status == BoardAnswerStatus.IN_REVIEW and board_answer.published_body is None
    )


def test_quorum_needs_two_different_areas(people, make_user):
    board_answer = _in_review(people)
    third_researcher = make_user(Role.EXPERT, ExpertArea.RESEARCH)
    _endorse(board_answer, people.research, people.research_two, third_researcher)
    with pytest.raises(RuleViolation) as refused:
        board.publish(board_answer, people.chair)
    assert "1 more expert area" in str(refused.value.message)
    _endorse(board_answer, people.clinical)
    board.publish(board_answer, people.chair)
    assert board_answer.status == BoardAnswerStatus.PUBLISHED


def test_stances_of_experts_deactivated_since_do_not_count_toward_quorum(
    client, login, people, make_user
):
    board_answer = _in_review(people)
    admin = make_user(Role.ADMIN)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    board_stances.record_stance(
        board_answer,
        people.research_two,
        StanceKind.DISSENT,
        revision_number=1,
        reason="The ethics timeline is wrong for multicentre studies.",
    )
    user_admin.deactivate(admin, people.research_two, "Left the centre.")
    board_answer = board_reading.load_board_answer(people.chair, board_answer.id)
    assert board_stances.quorum_state(
        board_answer
    ).is_met  # the dissenter left: it no longer blocks
    # An admin deactivates an endorser in another request, after the chair's request
    # loaded the stances: publishing reads the accounts again.
    with db.engine.begin() as other_request:
        other_request.execute(
            update(User).where(User.id == people.clinical.id).values(active=False)
        )

    with pytest.raises(RuleViolation) as refused:
        board.publish(board_answer, people.chair)
    assert str(refused.value.message) == "Quorum is not met: 1 more endorsement is needed."
    state = board_stances.quorum_state(board_answer)
    assert {stance.expert_id for stance in state.not_counting} == {
        people.clinical.id,
        people.research_two.id,
    }

    login(people.chair)
    page = client.get(f"/board/answers/{board_answer.id}").get_data(as_text=True)
    assert (
        page.count(
            "Does not count toward quorum: this person is no longer an active expert of the board."
        )
        == 2
    )
    assert "3 endorsements from 2 areas needed: 2 from 2 areas so far." in page
    assert "Not counted (no longer active experts): 2" in page
    assert f"/board/stances/{state.not_counting[-1].id}/override" not in page


def test_stances_of_experts_no_longer_experts_do_not_count_toward_quorum(people, make_user):
    board_answer = _in_review(people)
    admin = make_user(Role.ADMIN)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    assert board_stances.quorum_state(board_answer).is_met
    # The clinician left the board but kept a member's account.
    user_admin.change_role(admin, people.clinical, Role.MEMBER, None, False)

    board_answer = board_reading.load_board_answer(people.chair, board_answer.id)
    state = board_stances.quorum_state(board_answer)
    assert not state.is_met
    assert [stance.expert_id for stance in state.not_counting] == [people.clinical.id]
    with pytest.raises(RuleViolation):
        board.publish(board_answer, people.chair)


def test_an_open_dissent_blocks_publication_until_a_chair_overrides_it(client, login, people):
    board_answer = _in_review(people)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    board_stances.record_stance(
        board_answer,
        people.research_two,
        StanceKind.DISSENT,
        revision_number=1,
        reason="The ethics timeline is wrong for multicentre studies.",
    )
    with pytest.raises(RuleViolation) as refused:
        board.publish(board_answer, people.chair)
    assert "1 dissent is open" in str(refused.value.message)

    dissent = board_answer.stances_on(1)[-1]
    login(people.research)
    assert (
        client.post(
            f"/board/stances/{dissent.id}/override", data={"reason": "Not a chair's decision"}
        ).status_code
        == 403
    )
    login(people.chair)
    empty = client.post(f"/board/stances/{dissent.id}/override", data={"reason": ""})
    assert empty.status_code == 422 and 'id="reason-error"' in empty.get_data(as_text=True)
    reason = "The multicentre case is covered by the linked FAQ entry."
    assert (
        client.post(f"/board/stances/{dissent.id}/override", data={"reason": reason}).status_code
        == 302
    )
    assert client.post(f"/board/answers/{board_answer.id}/publish").status_code == 302

    page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    assert "Recorded dissent" in page
    assert "The ethics timeline is wrong for multicentre studies." in page
    assert reason in page and "Overridden by chair Marco Chair" in page


def test_a_dissent_needs_a_reason(client, login, people):
    board_answer = _in_review(people)
    login(people.chair)
    response = client.post(
        f"/board/answers/{board_answer.id}/stance",
        data={"kind": "dissent", "reason": "", "revision_number": 1},
    )
    assert response.status_code == 422
    assert "Say why you dissent" in response.get_data(as_text=True)
    assert board_answer.stances == []


def test_an_expert_cannot_endorse_the_same_revision_twice(client, login, people):
    board_answer = _in_review(people)
    login(people.clinical)
    form = {"kind": "endorse", "revision_number": 1}
    assert client.post(f"/board/answers/{board_answer.id}/stance", data=form).status_code == 302
    again = client.post(f"/board/answers/{board_answer.id}/stance", data=form)
    assert again.status_code == 422
    assert "You already endorsed this revision." in again.get_data(as_text=True)
    db.session.refresh(board_answer)
    assert len(board_answer.stances) == 1
    # Changing one's mind is a different stance, not a second endorsement.
    board_stances.record_stance(
        board_answer, people.clinical, StanceKind.ABSTAIN, revision_number=1
    )
    db.session.refresh(board_answer)
    assert [s.kind for s in board_answer.stances] == [StanceKind.ABSTAIN]


def test_endorsements_count_only_for_the_revision_they_were_given_on(people):
    board_answer = _in_review(people)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    assert board_stances.quorum_state(board_answer).is_met
    board.revise(board_answer, people.research_two, AMENDED, base_number=1)
    db.session.refresh(board_answer)
    state = board_stances.quorum_state(board_answer)
    assert board_answer.current_number == 2 and state.endorsements == [] and not state.is_met
    with pytest.raises(RuleViolation):
        board.publish(board_answer, people.chair)
    # The old endorsements are kept, on revision 1.
    assert len(board_stances.quorum_state(board_answer, 1).endorsements) == 3


def test_a_stance_on_a_revision_the_expert_did_not_read_is_refused(people):
    board_answer = _in_review(people)
    board.revise(board_answer, people.clinical, AMENDED, base_number=1)
    with pytest.raises(RuleViolation) as refused:
        board_stances.record_stance(
            board_answer, people.chair, StanceKind.ENDORSE, revision_number=1
        )
    assert "now revision 2" in str(refused.value.message)


def test_the_quorum_is_configuration(app, people):
    app.config.update(BOARD_QUORUM_ENDORSEMENTS=2, BOARD_QUORUM_AREAS=1)
    board_answer = _in_review(people)
    _endorse(board_answer, people.research, people.research_two)
    board.publish(board_answer, people.chair)
    assert board_answer.status == BoardAnswerStatus.PUBLISHED


# --- publication, amendment, withdrawal ----------------------------------------------


def test_the_published_answer_stands_above_individual_answers_with_its_endorsers(client, people):
    board_answer = _in_review(people)
    answers.post_answer(
        board_answer.question,
        people.clinical,
        "My individual view: talk to the ethics committee early.",
    )
    _endorse(board_answer, people.chair, people.research, people.clinical)
    board.publish(board_answer, people.chair)

    page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    assert "Answer of the board" in page
    assert page.index("Answer of the board") < page.index("My individual view")
    for name in ("Marco Chair", "Elena Research", "Paolo Clinical"):
        assert f"<strong>{name}</strong></a>" in page
    assert page.count("Endorsed by") == 3
    assert "Area at the time: University" in page and "Clinical practice" in page
    assert "Recorded dissent" not in page
    assert f"/board/answers/{board_answer.id}/revisions" in page
    assert "Open the board's workspace" not in page  # a visitor sees no board work


def test_drafts_are_not_shown_to_readers(client, login, people):
    board_answer = board.open_board_answer(ask_question(people.asker), people.research, DRAFT)
    page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    assert DRAFT not in page and "board" not in page.lower().split("<main", 1)[1]
    assert client.get(f"/board/answers/{board_answer.id}/revisions").status_code == 404
    login(people.clinical)
    page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    assert "The board is preparing an answer: Drafting, revision 1." in page


def test_an_amendment_goes_through_quorum_again_while_the_published_text_stays(
    client, login, people
):
    board_answer = _in_review(people)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    board.publish(board_answer, people.chair)
    board.revise(board_answer, people.clinical, AMENDED, base_number=1, note="insurance")
    assert board_answer.has_pending_amendment and board_answer.awaits_stances

    page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    assert "Add the insurance certificate" not in page  # readers still see revision 1
    history = client.get(f"/board/answers/{board_answer.id}/revisions").get_data(as_text=True)
    assert "Revision 2" not in history and "Revision 1" in history

    with pytest.raises(RuleViolation):
        board.publish(board_answer, people.chair)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    board.publish(board_answer, people.chair)
    page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    assert "Add the insurance certificate" in page and "revision 2." in page


def test_a_chair_withdraws_with_a_reason_readers_see(client, login, people):
    board_answer = _in_review(people)
    _endorse(board_answer, people.chair, people.research, people.clinical)
    board.publish(board_answer, people.chair)
    login(people.research)
    assert (
        client.post(
            f"/board/answers/{board_answer.id}/withdraw",
            data={"reason": "Not a chair, not allowed."},
        ).status_code
        == 403
    )
    login(people.chair)
    missing = client.post(f"/board/answers/{board_answer.id}/withdraw", data={"reason": ""})
    assert missing.status_code == 422
    reason = "The Ministry changed its notification form in 2026."
    assert (
        client.post(
            f"/board/answers/{board_answer.id}/withdraw", data={"reason": reason}
        ).status_code
        == 302
    )
    client.post("/logout")
    page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    assert "The board's answer was withdrawn" in page and reason in page
    assert "Ministry notification under MDR Art. 70" not in page
    # A new board answer can be opened afterwards.
    board.open_board_answer(board_answer.question, people.clinical, AMENDED)


# --- notifications and the audit log ----------------------------------------------------


def test_review_asks_every_other_expert_for_a_stance_and_publication_tells_the_asker(people):
    board_answer = _in_review(people)
    asked = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == NotificationKind.STANCE_NEEDED)
        )
    )
    assert asked == {people.chair.id, people.clinical.id, people.research_two.id}
    _endorse(board_answer, people.chair, people.research, people.clinical)
    board.publish(board_answer, people.chair)
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.kind == NotificationKind.BOARD_ANSWER_PUBLISHED
            )
        )
    )
    assert told == {people.asker.id, people.research.id, people.clinical.id}


def test_every_board_action_is_in_the_audit_log(people):
    board_answer = _in_review(people)
    board.revise(board_answer, people.clinical, AMENDED, base_number=1)
    _endorse(board_answer, people.chair, people.research)
    board_stances.record_stance(
        board_answer,
        people.research_two,
        StanceKind.DISSENT,
        revision_number=2,
        reason="Too strict.",
    )
    board_stances.override_dissent(
        board_answer.stances_on(2)[-1], people.chair, "Reviewed by the board."
    )
    _endorse(board_answer, people.clinical)
    board.publish(board_answer, people.chair)
    board.withdraw(board_answer, people.chair, "Superseded by new guidance.")
    entries = db.session.execute(
        select(AuditEntry.action, AuditEntry.actor_id).order_by(AuditEntry.id)
    ).all()
    assert [action for action, _ in entries] == [
        "board-answer-opened",
        "board-answer-submitted",
        "board-answer-edited",
        "stance-recorded",
        "stance-recorded",
        "stance-recorded",
        "dissent-overridden",
        "stance-recorded",
        "board-answer-published",
        "board-answer-withdrawn",
    ]
    assert entries[-1].actor_id == people.chair.id


# --- the question page stays a fixed number of queries -----------------------------------


def test_the_question_page_costs_the_same_queries_with_more_endorsers(
    client, people, make_user, count_queries
):
    def published_with(endorser_count: int) -> int:
        board_answer = _in_review(people)
        endorsers = [
            make_user(Role.EXPERT, area) for area in (list(ExpertArea) * 3)[:endorser_count]
        ]
        _endorse(board_answer, *endorsers)
        board.publish(board_answer, people.chair)
        return board_answer.question_id

    warm_up, small, large = published_with(3), published_with(3), published_with(9)
    # Both counted pages are first renders: a page seen before comes from the page cache.
    client.get(f"/questions/{warm_up}")
    with count_queries() as few:
        client.get(f"/questions/{small}")
    with count_queries() as many:
        client.get(f"/questions/{large}")
    # Ten fixed queries, plus one for its files and one for its FAQ entries.
    assert len(few) == len(many) <= 12
