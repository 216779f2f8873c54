"""Finding the board's work: /board by state, the dashboard's board blocks, the notice when a
draft opens, the quorum in words, Publish disabled with its reasons, a withdrawal's reason."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    BoardAnswerStatus,
    ExpertArea,
    Notification,
    NotificationKind,
    OutboxMessage,
    Role,
    StanceKind,
    Visibility,
)
from forum.models.columns import utcnow
from forum.services import board, board_stances, dashboard, experts, moderation
from forum.services.board_quorum import QuorumRule, QuorumState
from forum.services.errors import RuleViolation
from forum.services.mail import notifications
from forum.services.moderation import Action
from tests.factories import ask_question, published_board_answer, topic_id

DRAFT = "The study needs a Ministry notification under MDR Art. 70 and an ethics opinion."


def _follow(expert, *slugs: str) -> None:
    experts.update_profile(expert, "", "None declared.", [topic_id(slug) for slug in slugs])


def _draft(asker, expert, title: str, **question) -> object:
    return board.open_board_answer(ask_question(asker, title=title, **question), expert, DRAFT)


def _in_review(asker, expert, title: str, **question):
    board_answer = _draft(asker, expert, title, **question)
    board.submit_for_review(board_answer, expert)
    return board_answer


def _endorse(board_answer, *experts_) -> None:
    for expert in experts_:
        board_stances.record_stance(
            board_answer, expert, StanceKind.ENDORSE, revision_number=board_answer.current_number
        )


def _rows(page: str) -> list[str]:
    """The titles of /board's rows, in order."""
    return re.findall(
        r'<li class="work-item board-row"[^>]*>\s*<a href="[^"]+"[^>]*>([^<]+)</a>', page
    )


@pytest.fixture
def cast(make_user):
    class Cast:
        asker = make_user(name="Anna Asker")
        chair = make_user(Role.EXPERT, ExpertArea.UNIVERSITY, chair=True, name="Marco Chair")
        research = make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Elena Research")
        clinical = make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Paolo Clinical")
        admin = make_user(Role.ADMIN, name="Ada Admin")

    return Cast


# --- /board ---------------------------------------------------------------------------


def test_the_board_lists_board_answers_by_state_with_their_progress(client, login, cast):
    _draft(cast.asker, cast.research, "A question still in drafting")
    in_review = _in_review(cast.asker, cast.research, "A question whose answer is in review")
    _endorse(in_review, cast.chair, cast.research)
    published = published_board_answer(
        ask_question(cast.asker, title="A question with a published answer"),
        [cast.chair, cast.research, cast.clinical],
        DRAFT,
    )
    withdrawn = _draft(cast.asker, cast.research, "A question whose draft was withdrawn")
    board.withdraw(withdrawn, cast.chair, "Superseded by the FAQ entry on MDR Art. 70.")

    login(cast.research)
    page = client.get("/board").get_data(as_text=True)
    assert len(_rows(page)) == 4 and "4 board answers" in page
    # Each state's tab holds its own rows only, with the count beside it.
    for state, title in [
        ("drafting", "A question still in drafting"),
        ("in-review", "A question whose answer is in review"),
        ("published", "A question with a published answer"),
        ("withdrawn", "A question whose draft was withdrawn"),
    ]:
        tab = client.get(f"/board?state={state}").get_data(as_text=True)
        assert _rows(tab) == [title], state
        assert f'href="/board?state={state}" aria-current="page"' in tab
    review = client.get("/board?state=in-review").get_data(as_text=True)
    assert "3 endorsements from 2 areas needed: 2 from 2 areas so far." in review
    assert "Regulatory pathway" in review  # the question's topic
    assert f'href="/board/answers/{in_review.id}"' in review
    assert f"/questions/{in_review.question_id}/" in review
    assert "Published with 3 endorsements." in client.get("/board?state=published").get_data(
        as_text=True
    )
    assert "Draft: stances are taken once it is in review." in client.get(
        "/board?state=drafting"
    ).get_data(as_text=True)
    # An unknown state is only an unknown filter: every row, never an error.
    assert len(_rows(client.get("/board?state=<script>").get_data(as_text=True))) == 4
    assert published.status == BoardAnswerStatus.PUBLISHED


def test_the_board_is_for_experts_and_admins_only_and_linked_for_them(client, login, cast):
    assert client.get("/board").status_code == 302
    assert "/login" in client.get("/board").headers["Location"]
    login(cast.asker)
    assert client.get("/board").status_code == 403
    assert 'href="/board"' not in client.get("/").get_data(as_text=True)
    for reader in (cast.research, cast.admin):
        login(reader)
        assert client.get("/board").status_code == 200
        assert 'href="/board"' in client.get("/").get_data(as_text=True)


def test_the_board_shows_confidential_drafts_but_not_what_moderators_hid(client, login, cast):
    _draft(
        cast.asker,
        cast.research,
        "A confidential question on an unreleased sensor",
        visibility=Visibility.CONFIDENTIAL,
    )
    hidden = _draft(cast.asker, cast.research, "A question the moderators hid")
    moderation.act(cast.admin, hidden.question, Action.HIDE, "Off topic.")

    login(cast.clinical)
    page = client.get("/board").get_data(as_text=True)
    assert _rows(page) == ["A confidential question on an unreleased sensor"]
    assert "badge-confidential" in page
    assert "All (1)" in page and "A question the moderators hid" not in page
    # The same rule as opening the question: the admin sees it, as on its page.
    login(cast.admin)
    assert "A question the moderators hid" in client.get("/board").get_data(as_text=True)


def test_the_board_is_paged(client, login, cast):
    for number in range(27):
        _draft(cast.asker, cast.research, f"Pathway question number {number}")
    login(cast.chair)
    first = client.get("/board").get_data(as_text=True)
    assert len(_rows(first)) == 25 and "Page 1 of 2" in first
    assert 'rel="next" href="/board?page=2"' in first
    second = client.get("/board?state=drafting&page=2").get_data(as_text=True)
    assert len(_rows(second)) == 2 and 'href="/board?page=1&amp;state=drafting"' in second
    assert len(_rows(client.get("/board?page=99999999999").get_data(as_text=True))) == 0


def test_the_board_loads_in_a_fixed_number_of_queries(client, login, cast, count_queries):
    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/board").status_code == 200
        return len(statements)

    board_answer = _in_review(cast.asker, cast.research, "The only board answer")
    _endorse(board_answer, cast.chair)
    login(cast.chair)
    one = queries()
    for number in range(12):
        other = _in_review(
            cast.asker, cast.research, f"Question {number}", topics=("pmcf", "insurance-costs")
        )
        _endorse(other, cast.chair, cast.clinical)
    assert len(_rows(client.get("/board").get_data(as_text=True))) == 13
    assert queries() == one


# --- the dashboard ---------------------------------------------------------------------


def test_the_dashboard_shows_board_drafts_in_the_experts_topics(client, login, cast):
    _follow(cast.clinical, "pmcf")
    in_topic = _draft(cast.asker, cast.research, "A PMCF plan question", topics=("pmcf",))
    _draft(cast.asker, cast.research, "An insurance question", topics=("insurance-costs",))
    published_board_answer(
        ask_question(cast.asker, title="A PMCF question answered already", topics=("pmcf",)),
        [cast.chair, cast.research, cast.clinical],
        DRAFT,
    )
    work = dashboard.dashboard(cast.clinical, utcnow())
    assert [item.id for item in work.drafts_in_topics] == [in_topic.id]

    login(cast.clinical)
    page = client.get("/dashboard").get_data(as_text=True)
    drafts = page[page.index("Board drafts in your topics") :]
    assert "A PMCF plan question" in drafts and f'href="/board/answers/{in_topic.id}"' in drafts
    assert "An insurance question" not in page
    assert "A PMCF question answered already" not in drafts


def test_awaiting_your_stance_leaves_out_what_the_expert_already_decided(client, login, cast):
    decided = _in_review(cast.asker, cast.research, "A question the clinician endorsed")
    _endorse(decided, cast.clinical)
    waiting = _in_review(cast.asker, cast.research, "A question awaiting the clinician")
    hidden = _in_review(cast.asker, cast.research, "A hidden question in review")
    moderation.act(cast.admin, hidden.question, Action.HIDE, "Spam.")

    work = dashboard.dashboard(cast.clinical, utcnow())
    assert [item.id for item in work.awaiting_stance] == [waiting.id]
    login(cast.clinical)
    page = client.get("/dashboard").get_data(as_text=True)
    awaiting = page[page.index("Awaiting your stance") : page.index("Board drafts in your topics")]
    assert "A question awaiting the clinician" in awaiting
    assert "3 endorsements from 2 areas needed: 0 from 0 areas so far." in awaiting
    assert "A question the clinician endorsed" not in awaiting
    assert "A hidden question in review" not in page
    # A new revision asks again: the endorsement was for revision 1.
    board.revise(decided, cast.research, DRAFT + " Revised.", base_number=1)
    assert {item.id for item in dashboard.dashboard(cast.clinical, utcnow()).awaiting_stance} == {
        waiting.id,
        decided.id,
    }


def test_the_dashboards_board_blocks_load_in_a_fixed_number_of_queries(
    client, login, cast, count_queries
):
    _follow(cast.clinical, "regulatory-pathway")

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/dashboard").status_code == 200
        return len(statements)

    # One of each kind of row first (a draft, a revision in review with a stance), so the
    # second count differs from the first only by the number of rows.
    _draft(cast.asker, cast.chair, "The first draft")
    _endorse(_in_review(cast.asker, cast.research, "The first draft in review"), cast.chair)
    login(cast.clinical)
    one = queries()
    for number in range(10):
        _draft(cast.asker, cast.chair, f"Draft number {number}")
        _endorse(_in_review(cast.asker, cast.research, f"Review number {number}"), cast.chair)
    work = dashboard.dashboard(cast.clinical, utcnow())
    assert len(work.drafts_in_topics) == 22 and len(work.awaiting_stance) == 11
    assert queries() == one


# --- the notice when a draft opens ----------------------------------------------------------


def _notified(kind: NotificationKind) -> set[int]:
    return set(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def test_experts_following_the_topic_hear_when_a_draft_opens(make_user, cast):
    _follow(cast.research, "pmcf")  # the opener: never told of their own draft
    _follow(cast.clinical, "pmcf")
    _follow(cast.chair, "insurance-costs")  # another topic
    italian = make_user(Role.EXPERT, ExpertArea.REGULATORY, name="Giulia Regolatoria")
    italian.locale = "it"
    _follow(italian, "pmcf")
    gone = make_user(Role.EXPERT, ExpertArea.SME, name="Gone Expert")
    _follow(gone, "pmcf")
    gone.active = False
    db.session.commit()

    board_answer = _draft(cast.asker, cast.research, "A PMCF plan question", topics=("pmcf",))
    assert _notified(NotificationKind.BOARD_DRAFT_OPENED) == {cast.clinical.id, italian.id}
    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == italian.id,
            Notification.kind == NotificationKind.BOARD_DRAFT_OPENED,
        )
    )
    assert note.board_answer_id == board_answer.id and note.actor_id == cast.research.id
    # The e-mails that link the draft's workspace (the question's own notice went before).
    mails = {
        message.recipient: message
        for message in db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.body.contains(f"/board/answers/{board_answer.id}")
            )
        )
    }
    assert set(mails) == {cast.clinical.email, italian.email}
    assert (
        "Elena Research ha aperto una bozza di risposta del comitato"
        in mails[italian.email].subject
    )
    assert "Apri" in mails[italian.email].body
    assert "Elena Research opened a board answer draft" in mails[cast.clinical.email].subject
    assert "A PMCF plan question" in mails[cast.clinical.email].body


def test_no_one_hears_of_a_draft_on_a_question_they_may_not_open(make_user, cast):
    board_answer = _draft(cast.asker, cast.research, "A question soon hidden", topics=("pmcf",))
    moderation.act(cast.admin, board_answer.question, Action.HIDE, "Off topic.")
    _follow(cast.clinical, "pmcf")
    # Only the admins (and the asker) may open a hidden question: an expert who follows
    # its topic is not told of the draft, whoever tells.
    notifications.board_draft_opened(board_answer, cast.research)
    assert _notified(NotificationKind.BOARD_DRAFT_OPENED) == set()


def test_the_notice_respects_the_experts_email_choice_and_shows_in_the_app(client, login, cast):
    _follow(cast.clinical, "pmcf")
    notifications.set_email_opt_outs(cast.clinical, [NotificationKind.BOARD_DRAFT_OPENED])
    board_answer = _draft(cast.asker, cast.research, "A PMCF plan question", topics=("pmcf",))
    # The question's own notice is mailed; the draft's is in the app only.
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient == cast.clinical.email)
    ).all()
    assert len(bodies) == 1 and "/board/answers/" not in bodies[0]
    login(cast.clinical)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Elena Research opened a board answer draft in a topic you follow" in page
    assert f'href="/board/answers/{board_answer.id}"' in page
    settings = client.get("/notifications/settings").get_data(as_text=True)
    assert "A board answer is drafted in a topic I follow" in settings


# --- the quorum in words -------------------------------------------------------------------


class _Stance:
    def __init__(self, area, kind=StanceKind.ENDORSE):
        self.area, self.kind = area, kind


def _state(rule: QuorumRule, *areas) -> QuorumState:
    return QuorumState(rule=rule, endorsements=[_Stance(area) for area in areas])


def test_the_quorum_reads_as_a_sentence_in_singular_and_plural(app):
    with app.test_request_context(), force_locale("en"):
        assert (
            _state(QuorumRule(3, 2), ExpertArea.RESEARCH, ExpertArea.CLINICAL).in_words()
            == "3 endorsements from 2 areas needed: 2 from 2 areas so far."
        )
        assert (
            _state(QuorumRule(1, 1), ExpertArea.RESEARCH).in_words()
            == "1 endorsement from 1 area needed: 1 from 1 area so far."
        )
        assert (
            _state(QuorumRule(3, 2)).in_words()
            == "3 endorsements from 2 areas needed: 0 from 0 areas so far."
        )


def test_the_quorum_reads_as_a_sentence_in_italian(app):
    with app.test_request_context(), force_locale("it"):
        assert (
            _state(QuorumRule(3, 2), ExpertArea.RESEARCH, ExpertArea.RESEARCH).in_words()
            == "Servono 3 approvazioni da 2 ambiti di competenza: finora 2 da 1 ambito di "
            "competenza."
        )
        assert (
            _state(QuorumRule(1, 1)).in_words()
            == "Serve 1 approvazione da 1 ambito di competenza: finora 0 da 0 ambiti di "
            "competenza."
        )


def test_the_workspace_shows_the_quorum_in_words_in_italian(client, login, cast):
    board_answer = _in_review(cast.asker, cast.research, "A question in review")
    _endorse(board_answer, cast.research)
    cast.clinical.locale = "it"
    db.session.commit()
    login(cast.clinical)
    page = client.get(f"/board/answers/{board_answer.id}").get_data(as_text=True)
    assert "Servono 3 approvazioni da 2 ambiti di competenza: finora 1 da 1 ambito" in page
    assert "3 of 2" not in page
    # The board's tabs name lists: plural in Italian, where a single answer's state is not.
    tabs = client.get("/board").get_data(as_text=True)
    assert "Pubblicate (0)" in tabs and "Ritirate (0)" in tabs and "In revisione (1)" in tabs


# --- Publish, disabled while blocked ----------------------------------------------------------


def test_publish_is_disabled_with_the_reasons_while_blocked(client, login, cast):
    board_answer = _in_review(cast.asker, cast.research, "A question in review")
    _endorse(board_answer, cast.research, cast.clinical)
    board_stances.record_stance(
        board_answer, cast.chair, StanceKind.DISSENT, 1, reason="The timeline is wrong."
    )
    login(cast.chair)
    page = client.get(f"/board/answers/{board_answer.id}").get_data(as_text=True)
    button = re.search(r"<button[^>]*>Publish revision 1</button>", page).group(0)
    assert "disabled" in button and 'aria-describedby="publish-blocked"' in button
    reasons = page[page.index('id="publish-blocked"') :]
    reasons = reasons[: reasons.index("</div>")]
    assert "1 more endorsement is needed." in reasons
    assert "1 dissent is open" in reasons
    assert board.publish_blockers(board_answer) == [
        "1 more endorsement is needed.",
        "1 dissent is open: it must be withdrawn or overridden by a chair.",
    ]
    # A forged POST is refused all the same, with the reason, and nothing is published.
    refused = client.post(f"/board/answers/{board_answer.id}/publish")
    assert refused.status_code == 409
    assert "Quorum is not met" in refused.get_data(as_text=True)
    db.session.refresh(board_answer)
    assert board_answer.status == BoardAnswerStatus.IN_REVIEW


def test_publish_is_enabled_once_quorum_is_met(client, login, cast):
    board_answer = _in_review(cast.asker, cast.research, "A question in review")
    _endorse(board_answer, cast.research, cast.clinical, cast.chair)
    assert board.publish_blockers(board_answer) == []
    login(cast.chair)
    page = client.get(f"/board/answers/{board_answer.id}").get_data(as_text=True)
    button = re.search(r"<button[^>]*>Publish revision 1</button>", page).group(0)
    assert "disabled" not in button and "publish-blocked" not in page


def test_a_draft_is_blocked_until_it_is_submitted(cast):
    board_answer = _draft(cast.asker, cast.research, "A draft")
    assert board.publish_blockers(board_answer) == [
        "Submit the draft for review first: the board has not seen it."
    ]
    with pytest.raises(RuleViolation):
        board.publish(board_answer, cast.chair)


# --- a withdrawal's reason where the answer stood ---------------------------------------------


def test_a_withdrawn_answer_shows_its_reason_who_and_when_on_the_question(client, login, cast):
    question = ask_question(cast.asker, title="A question whose answer was withdrawn")
    board_answer = published_board_answer(
        question, [cast.chair, cast.research, cast.clinical], DRAFT
    )
    board.withdraw(board_answer, cast.chair, "MDR Art. 70 was amended; the answer is outdated.")
    for reader in (None, cast.asker):
        if reader is not None:
            login(reader)
        page = client.get(f"/questions/{question.id}", follow_redirects=True).get_data(as_text=True)
        notice = page[page.index('id="board-answer"') :]
        assert notice.startswith('id="board-answer"')
        assert "The board's answer was withdrawn" in notice
        assert "Marco Chair, chair of the board, withdrew" in notice
        assert "MDR Art. 70 was amended; the answer is outdated." in notice
        assert DRAFT not in page  # the withdrawn text itself is gone from the page


def test_withdrawing_a_never_published_draft_does_not_promise_readers_a_reason(client, login, cast):
    board_answer = _in_review(cast.asker, cast.research, "A question in review")
    login(cast.chair)
    page = client.get(f"/board/answers/{board_answer.id}").get_data(as_text=True)
    assert "This answer was never published" in page
    assert "Readers are told that the board withdrew" not in page
    response = client.post(
        f"/board/answers/{board_answer.id}/withdraw",
        data={"reason": "Opened on the wrong question."},
        follow_redirects=True,
    )
    assert "The draft is withdrawn; the board sees your reason." in response.get_data(as_text=True)
    withdrawn = client.get("/board?state=withdrawn").get_data(as_text=True)
    assert _rows(withdrawn) == ["A question in review"]
