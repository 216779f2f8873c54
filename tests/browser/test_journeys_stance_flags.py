"""A board answer's "comment" moderated, end to end in Chromium, in English and Italian.

Two experts flag another expert's reason for endorsing a published board answer with
the "Flag" link beside it on the question page; a visitor then reads a notice instead
of the reason while the endorsement stays listed; an admin restores it from the queue
and the reason is back for everyone.

Screenshots of the steps go to ``build/screenshots/stance-flags-<language>-*.png``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.config import PROJECT_ROOT
from forum.extensions import db
from forum.models import ModerationState, Stance, StanceKind
from forum.services import board, board_stances
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

SHOTS = PROJECT_ROOT / "build" / "screenshots"
REASON = "Velvetquill consultancy certifies this in a week: write to us."
RESTORE_REASON = "A plain reason after all; the flags were mistaken."


@dataclass(frozen=True)
class Language:
    code: str
    browser_locale: str
    flag_link: str
    flag_sent: str
    hidden_notice: str
    done: str


ENGLISH = Language(
    code="en",
    browser_locale="en-GB",
    flag_link="Flag",
    flag_sent="Thank you: the moderators will review it.",
    hidden_notice="The moderators hid the reason given for this stance",
    done="Done. The author is told, with your reason.",
)
ITALIAN = Language(
    code="it",
    browser_locale="it-IT",
    flag_link="Segnala ai moderatori",
    flag_sent="Grazie: i moderatori lo esamineranno.",
    hidden_notice="I moderatori hanno nascosto la motivazione di questa posizione",
    done="Fatto. L'autore viene informato, con il tuo motivo.",
)


def _shot(page, language: Language, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(Path(SHOTS) / f"stance-flags-{language.code}-{name}.png"), full_page=True
    )


def _flash(page, message: str) -> None:
    assert page.locator(".flash").filter(has_text=message).first.is_visible(), (
        f"expected the message {message!r} on {page.url}: {page.locator('main').inner_text()}"
    )


@pytest.mark.parametrize("language", [ENGLISH, ITALIAN], ids=["en", "it"])
def test_a_stance_reason_is_flagged_hidden_and_restored(
    app,
    chromium,
    live_server,
    people,
    language,  # noqa: F811  (fixtures)
):
    question = ask_question(people.asker, title="Which pathway for the wearable patch?")
    board_answer = board.open_board_answer(question, people.expert, "A clinical investigation.")
    board.submit_for_review(board_answer, people.expert)
    for expert in (people.chair, people.expert):
        board_stances.record_stance(board_answer, expert, StanceKind.ENDORSE, revision_number=1)
    stance = board_stances.record_stance(
        board_answer, people.clinical, StanceKind.ENDORSE, revision_number=1, reason=REASON
    )
    board.publish(board_answer, people.chair)
    stance_id = stance.id
    question_url = live_server.url(f"/questions/{question.id}")

    context = local_context(chromium, live_server, locale=language.browser_locale)
    page = context.new_page()
    try:
        # 1. Two experts flag the reason from the link beside it.
        for expert in (people.expert, people.chair):
            log_in(page, live_server, expert.email, PASSWORD)
            page.goto(question_url)
            page.locator(f"#stance-{stance_id} a.flag-link").filter(
                has_text=language.flag_link
            ).click()
            page.wait_for_load_state()
            assert REASON in page.locator("main").inner_text()
            page.locator("input[name=reason][value=spam]").check()
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            _flash(page, language.flag_sent)
            log_out(page, live_server)
        hidden = db.session.scalar(select(Stance).where(Stance.id == stance_id))
        db.session.refresh(hidden)
        assert hidden.moderation_state == ModerationState.FLAGGED

        # 2. A visitor reads the notice; the endorsement is still listed.
        page.goto(question_url)
        line = page.locator(f"#stance-{stance_id}").inner_text()
        assert REASON not in line and language.hidden_notice in line
        assert people.clinical.display_name in line
        _shot(page, language, "1-visitor-notice")

        # 3. An admin restores it from the queue.
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/admin/moderation"))
        assert REASON in page.locator(f"#stance-{stance_id}").inner_text()
        _shot(page, language, "2-queue")
        page.locator(f"#stance-{stance_id} a.button").click()
        page.wait_for_load_state()
        page.locator("input[name=action][value=restore]").check()
        page.locator("#reason").fill(RESTORE_REASON)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        _flash(page, language.done)
        log_out(page, live_server)

        # 4. Back for everyone.
        page.goto(question_url)
        assert REASON in page.locator(f"#stance-{stance_id}").inner_text()
    finally:
        context.close()
