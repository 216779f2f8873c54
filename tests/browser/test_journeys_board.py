"""Finding the board's drafts in a real browser, in English and in Italian (issue 26, item 1).

An expert who follows a topic signs in, finds the draft a colleague opened there on the
dashboard and in /board (through the header's link and the state's tab), and opens its
workspace; a chair finds Publish disabled with the reason beside it. The drafts are
opened through the services, as the journey does not name those steps.

With FORUM_SCREENSHOTS set, the dashboard, /board and the workspace are saved as PNGs
(``board-dashboard-en.png``...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from forum.extensions import db
from forum.models import ExpertArea, Role, StanceKind
from forum.services import board, board_stances, experts
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import ask_question, topic_id
from tests.fixtures.people import PASSWORD

DRAFT = "A PMCF plan needs the post-market clinical follow-up set out in MDR Annex XIV Part B."


@dataclass(frozen=True)
class Language:
    code: str
    browser_locale: str
    board_link: str
    drafts_heading: str
    drafting_tab: str
    workspace_heading: str
    quorum: str
    publish: str
    blocked: str


ENGLISH = Language(
    "en",
    "en-GB",
    "Board",
    "Board drafts in your topics",
    "Drafting",
    "Board answer",
    "3 endorsements from 2 areas needed: 1 from 1 area so far.",
    "Publish revision 1",
    "2 more endorsements are needed.",
)
ITALIAN = Language(
    "it",
    "it-IT",
    "Comitato",
    "Bozze del comitato nei tuoi argomenti",
    "In stesura",
    "Risposta del comitato",
    "Servono 3 approvazioni da 2 ambiti di competenza: finora 1 da 1 ambito di competenza.",
    "Pubblica la revisione 1",
    "Servono ancora 2 approvazioni.",
)


def _shot(page, name: str) -> None:
    directory = os.environ.get("FORUM_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / name), full_page=True)


@pytest.mark.parametrize("language", [ENGLISH, ITALIAN], ids=["english", "italian"])
def test_an_expert_finds_a_draft_from_the_dashboard_and_the_board(
    app,
    chromium,
    live_server,
    make_user,
    language,  # noqa: F811  (fixtures)
):
    asker = make_user(name="Chiara Rossi")
    opener = make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Dr Elena Russo")
    follower = make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Dr Paolo Bianchi")
    chair = make_user(Role.EXPERT, ExpertArea.UNIVERSITY, chair=True, name="Prof Marco Neri")
    for person in (follower, chair):
        person.locale = language.code
    db.session.commit()
    experts.update_profile(follower, "", "None declared.", [topic_id("pmcf")])
    question = ask_question(
        asker, title="What must our PMCF plan for a class IIb sensor hold?", topics=("pmcf",)
    )
    draft = board.open_board_answer(question, opener, DRAFT)
    in_review = board.open_board_answer(
        ask_question(asker, title="Does a software update need a new clinical investigation?"),
        opener,
        DRAFT,
    )
    board.submit_for_review(in_review, opener)
    board_stances.record_stance(in_review, opener, StanceKind.ENDORSE, revision_number=1)

    context = local_context(chromium, live_server, locale=language.browser_locale)
    page = context.new_page()
    try:
        log_in(page, live_server, follower.email, PASSWORD)
        # From the dashboard: the draft in the topic the expert follows.
        page.goto(live_server.url("/dashboard"))
        drafts = page.locator("section[aria-labelledby='drafts-heading']")
        assert language.drafts_heading in drafts.inner_text()
        _shot(page, f"board-dashboard-{language.code}.png")
        drafts.get_by_role("link", name=question.title).click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/board/answers/{draft.id}")
        assert page.locator("h1").inner_text() == language.workspace_heading
        assert DRAFT in page.locator(".post-body").inner_text()

        # From /board: the header's link, then the state's tab, then the row.
        page.locator("nav.account-nav").get_by_role(
            "link", name=language.board_link, exact=True
        ).click()
        page.wait_for_load_state()
        assert page.url.endswith("/board")
        rows = page.locator("li.board-row")
        assert rows.count() == 2
        assert language.quorum in rows.filter(has_text=in_review.question.title).inner_text()
        _shot(page, f"board-index-{language.code}.png")
        page.get_by_role("link", name=language.drafting_tab + " (1)").click()
        page.wait_for_load_state()
        assert "state=drafting" in page.url and rows.count() == 1
        rows.get_by_role("link", name=question.title).click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/board/answers/{draft.id}")
        _shot(page, f"board-workspace-{language.code}.png")

        # A chair finds Publish disabled, with what blocks it read out beside it.
        log_out(page, live_server)
        log_in(page, live_server, chair.email, PASSWORD)
        page.goto(live_server.url(f"/board/answers/{in_review.id}"))
        publish = page.get_by_role("button", name=language.publish)
        assert publish.is_disabled()
        assert publish.get_attribute("aria-describedby") == "publish-blocked"
        assert language.blocked in page.locator("#publish-blocked").inner_text()
        _shot(page, f"board-publish-blocked-{language.code}.png")
    finally:
        context.close()
