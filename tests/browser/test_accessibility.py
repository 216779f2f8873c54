"""WCAG 2.1 AA on the main pages, checked by axe-core in a real browser, in English
and in Italian; and no page of the main set scrolls sideways on a phone.

axe-core is a test-only file fetched from the npm registry, pinned by version and
integrity (``make tests/vendor/axe.min.js``, a prerequisite of ``make test``); when it
is missing the test fails, never skips. Every page is checked against the WCAG 2.0/2.1
A and AA rules, and any violation axe rates serious or critical fails the test, with
its rule, its help text and the first elements it concerns.

The demo centre is seeded once for the module and served by one live server, so the
pages carry believable content (long titles, tables, charts) at the cost of one seed.

With FORUM_SCREENSHOTS set to a directory, a PNG of each page visited is saved there
(``home-en.png``, ``question-it.png``, ``home-en-phone.png``...): ``make screenshots``
picks the README's from them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.demo.accounts import DEMO_ACCOUNTS
from forum.demo.seed import seed_demo
from forum.demo.translations import DRAFT_SURVEY_TITLE
from forum.extensions import db
from forum.models import (
    BoardAnswer,
    BoardAnswerStatus,
    Clinic,
    ContentLanguage,
    Facilitation,
    FaqEntry,
    FundedProject,
    GuideSectionTranslation,
    NetworkProfile,
    Question,
    ReferralLink,
    ReferralMessage,
    Role,
    Survey,
    User,
)
from forum.models.columns import utcnow
from forum.services.referral_links import token_hash
from tests.browser.chromium import local_context, log_in
from tests.conftest import _empty_tables, _test_settings
from tests.live_server import LiveServer

AXE_PATH = Path(__file__).parents[1] / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# A full-page screenshot of the guide would be many screens tall: the first few do.
SCREENSHOT_MAX_HEIGHT = 2400

# Who sees a page: a visitor (None) or the demo account that logs in for it.
MEMBER, EXPERT, ADMIN = "member_anna", "expert_marco", "admin_giulia"


@dataclass(frozen=True)
class Page:
    name: str  # also the screenshot's file name
    path: str  # may hold {question} or {board_answer}: the demo's ids
    who: str | None = None
    on_phone: bool = True


MAIN_PAGES = [
    Page("home", "/"),
    Page("questions", "/questions"),
    # Sorted by activity (each row then says when its thread last moved) and filtered.
    Page("questions-active", "/questions?sort=active&stage=prototype"),
    Page("question", "/questions/{question}"),
    Page("faq", "/faq"),
    Page("guide", "/guide"),
    Page("changelog", "/guide/changelog"),
    Page("clinics", "/clinics"),
    Page("experts", "/experts"),
    Page("search", "/search?q=ethics+committee"),
    Page("login", "/login"),
    Page("register", "/register"),
    Page("ask", "/questions/ask", MEMBER),
    Page("survey", "/survey", MEMBER),
    # Signed in, a question page carries the answer and comment forms too.
    Page("question-signed-in", "/questions/{question}", MEMBER, on_phone=False),
    Page("account", "/account", MEMBER, on_phone=False),
    Page("dashboard", "/dashboard", EXPERT),
    Page("board-workspace", "/board/answers/{board_answer}", EXPERT, on_phone=False),
    Page("board", "/board", EXPERT),
    Page("review", "/review", ADMIN, on_phone=False),
    Page("curation", "/faq/admin", ADMIN, on_phone=False),
    Page("faq-candidates", "/faq/candidates", ADMIN, on_phone=False),
    # Beyond the main set: every other kind of page a person reaches from them.
    Page("citations", "/citations", on_phone=False),
    Page("guide-releases", "/guide/releases", on_phone=False),
    Page("clinic", "/clinics/{clinic}", on_phone=False),
    Page("expert", "/experts/{expert}", on_phone=False),
    Page("forgot-password", "/password/forgot", on_phone=False),
    Page("notifications", "/notifications", MEMBER, on_phone=False),
    Page("referrals", "/facilitations", EXPERT, on_phone=False),
    Page("referral", "/facilitations/{facilitation}", EXPERT, on_phone=False),
    # A referral with a thread, as an expert reads it and as its clinic does by its link.
    Page("referral-thread", "/facilitations/{thread_referral}", EXPERT, on_phone=False),
    Page("referral-clinic-link", "/facilitations/{thread_referral}/clinic/{clinic_token}"),
    Page("question-history", "/questions/{question}/revisions", EXPERT, on_phone=False),
    Page("audit", "/admin/audit", ADMIN, on_phone=False),
    Page("survey-results", "/admin/surveys/{survey}/results", ADMIN, on_phone=False),
    Page("about", "/about"),
    Page("privacy", "/privacy"),
    Page("terms-history", "/terms/history", on_phone=False),
    Page("centre-pages", "/admin/pages", ADMIN, on_phone=False),
    Page("centre-page-edit", "/admin/pages/privacy", ADMIN, on_phone=False),
    Page("projects", "/projects", EXPERT, on_phone=False),
    Page("project", "/projects/{project}", EXPERT),
    Page("project-new", "/projects/new", ADMIN, on_phone=False),
    Page("review-report", "/review/report", ADMIN, on_phone=False),
    Page("organisation", "/organisations/{organisation}"),
    Page("profile", "/account/profile", MEMBER, on_phone=False),
    Page("change-email", "/account/email", MEMBER, on_phone=False),
    Page("organisations", "/admin/organisations", ADMIN, on_phone=False),
    Page("organisation-edit", "/admin/organisations/{organisation}", ADMIN, on_phone=False),
    # The network's visits and feasibility notes (issue 29): the list, the admins' visit
    # form (every field of a visit, the directory's organisations as checkboxes), the themes.
    Page("network-visits", "/network/visits", on_phone=False),
    Page("network-visit-new", "/admin/network/visits/new", ADMIN, on_phone=False),
    Page("network-themes", "/network/themes", EXPERT, on_phone=False),
    # The demo's flagged, held and spam adverts wait there (forum/demo/moderation.py).
    Page("moderation", "/admin/moderation", ADMIN, on_phone=False),
    # The guide's and the FAQ's translations (the guide and the FAQ above, in Italian,
    # mix translated texts and English ones marked lang="en").
    Page("guide-translations", "/guide/translations/it", ADMIN, on_phone=False),
    Page("guide-translate", "/guide/sections/{translated_section}/translations/it", ADMIN),
    Page(
        "guide-translation-history",
        "/guide/sections/{translated_section}/translations/it/history",
        on_phone=False,
    ),
    Page("faq-translate", "/faq/entries/{faq_entry}/translations/it", ADMIN, on_phone=False),
    Page("guide-in-english", "/guide?text=en", on_phone=False),
    # Mixed languages (issue 24): an Italian thread with an English answer, a page whose
    # Italian is outdated, the translation pages (English beside Italian).
    Page("question-mixed", "/questions/{italian_question}"),
    Page("contact-outdated", "/contact", on_phone=False),
    Page("contact-edit-outdated", "/admin/pages/contact", ADMIN, on_phone=False),
    Page("label-translations", "/admin/translations", ADMIN, on_phone=False),
    Page("survey-translation", "/admin/surveys/{draft_survey}/italian", ADMIN, on_phone=False),
    # The Lombardy-Limburg network's directory (the demo imports its sample spreadsheet).
    Page("network", "/network"),
    Page("network-profile", "/network/organisations/{network_profile}", MEMBER),
    Page("network-profile-edit", "/network/organisations/{network_profile}/edit", MEMBER),
    Page("network-import", "/admin/network/import", ADMIN, on_phone=False),
    Page("network-vocabulary", "/admin/network/vocabulary", ADMIN, on_phone=False),
]

# Forms sent empty: the page comes back with its messages beside the fields, which
# must be as accessible as the form was (name, field, submit selector, who).
FORMS_WITH_ERRORS = [
    Page("register-errors", "/register"),
    Page("login-errors", "/login"),
    Page("ask-errors", "/questions/ask", MEMBER),
    Page("change-email-errors", "/account/email", MEMBER),
]

LANGUAGES = {"en": "en-GB", "it": "it-IT"}
CLINIC_TOKEN = "accessibility-clinic-link"


@dataclass(frozen=True)
class DemoSite:
    server: LiveServer
    ids: dict[str, int]

    def url(self, page: Page) -> str:
        return self.server.url(page.path.format(**self.ids))


@pytest.fixture(scope="module")
def demo_site(database_url, seeded_ids) -> Iterator[DemoSite]:
    """The demo centre, seeded once, on a live server shared by the module's tests."""
    app = create_app(_test_settings(database_url))
    with app.app_context():
        _empty_tables(seeded_ids)
        seed_demo()
        published = db.session.scalar(
            select(BoardAnswer)
            .where(BoardAnswer.status == BoardAnswerStatus.PUBLISHED)
            .order_by(BoardAnswer.id)
        )
        in_review = db.session.scalar(
            select(BoardAnswer)
            .where(BoardAnswer.status == BoardAnswerStatus.IN_REVIEW)
            .order_by(BoardAnswer.id)
        )
        # The question with a published board answer: the richest question page.
        ids = {
            "question": published.question_id,
            "board_answer": in_review.id,
            "clinic": db.session.scalar(select(Clinic.id).order_by(Clinic.id)),
            "expert": db.session.scalar(
                select(User.id).where(User.role == Role.EXPERT).order_by(User.id)
            ),
            "facilitation": db.session.scalar(select(Facilitation.id).order_by(Facilitation.id)),
            "survey": db.session.scalar(select(Survey.id).order_by(Survey.id)),
            "project": db.session.scalar(select(FundedProject.id).order_by(FundedProject.id)),
            # The organisation with the most members: a page of public questions.
            "organisation": db.session.scalar(
                select(User.organisation_id)
                .where(User.role == Role.MEMBER, User.organisation_id.is_not(None))
                .group_by(User.organisation_id)
                .order_by(func.count(User.id).desc(), User.organisation_id)
            ),
            # The demo's outdated translation, and an FAQ entry translated into Italian.
            "translated_section": db.session.scalar(
                select(GuideSectionTranslation.section_id).order_by(GuideSectionTranslation.id)
            ),
            "faq_entry": db.session.scalar(select(FaqEntry.id).order_by(FaqEntry.id)),
            "thread_referral": db.session.scalar(
                select(ReferralMessage.facilitation_id).order_by(ReferralMessage.id)
            ),
            "clinic_token": CLINIC_TOKEN,
            "draft_survey": db.session.scalar(
                select(Survey.id).where(Survey.title == DRAFT_SURVEY_TITLE)
            ),
            # The demo member's organisation's profile in the network's directory.
            "network_profile": db.session.scalar(
                select(NetworkProfile.id)
                .join(User, User.organisation_id == NetworkProfile.organisation_id)
                .where(User.email == DEMO_ACCOUNTS[MEMBER][0])
            ),
            "italian_question": db.session.scalar(
                select(Question.id)
                .where(Question.language == ContentLanguage.IT)
                .order_by(Question.created_at)
            ),
        }
        db.session.add(
            ReferralLink(
                facilitation_id=ids["thread_referral"],
                token_hash=token_hash(CLINIC_TOKEN),
                sent_to="demo@example.org",
                expires_at=utcnow() + timedelta(days=30),
            )
        )
        db.session.commit()
        db.session.remove()
        server = LiveServer(app).start()
        try:
            yield DemoSite(server, ids)
        finally:
            server.stop()
            db.session.remove()
            db.engine.dispose()


def _axe_source() -> Path:
    if not AXE_PATH.is_file():
        pytest.fail(f"{AXE_PATH} is missing: run make tests/vendor/axe.min.js")
    return AXE_PATH


def _screenshot_dir() -> Path | None:
    directory = os.environ.get("FORUM_SCREENSHOTS")
    if not directory:
        return None
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _save_screenshot(page, directory: Path | None, name: str, *, full_page: bool) -> None:
    if directory is None:
        return
    if not full_page:
        page.screenshot(path=str(directory / name))
        return
    width, height = page.evaluate(
        "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    page.screenshot(
        path=str(directory / name),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": min(height, SCREENSHOT_MAX_HEIGHT)},
    )


def _visit(page, site: DemoSite, target: Page, html_lang: str) -> None:
    """Open a page and make sure it is the page meant, in the language meant."""
    response = page.goto(site.url(target))
    assert response is not None and response.status == 200, (
        f"{target.name}: {target.path} answered {response.status if response else 'nothing'}"
    )
    assert page.get_attribute("html", "lang") == html_lang, f"{target.name} not in {html_lang}"


def _pages_by_account(pages: list[Page]) -> dict[str | None, list[Page]]:
    by_account: dict[str | None, list[Page]] = {}
    for target in pages:
        by_account.setdefault(target.who, []).append(target)
    return by_account


def _log_in_as(page, site: DemoSite, who: str | None) -> None:
    if who is not None:
        email, _name, password, *_rest = DEMO_ACCOUNTS[who]
        log_in(page, site.server, email, password)


def _serious_violations(page, name: str) -> list[str]:
    results = page.evaluate(
        # resultTypes: only the violations are wanted, which spares axe listing every pass.
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        found.append(
            f"{name}: {violation['id']} ({violation['impact']}, "
            f"{len(violation['nodes'])} elements) {violation['help']}: {targets}"
        )
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_serious_accessibility_violation(chromium, demo_site, language):  # noqa: F811  (fixture)
    axe = _axe_source()
    shots = _screenshot_dir()
    violations: list[str] = []
    for who, pages in _pages_by_account(MAIN_PAGES).items():
        # axe is injected as an inline script, which the forum's Content-Security-Policy
        # (script-src 'self') rightly refuses: these contexts bypass the CSP for the
        # check only. test_security_headers.py covers the policy itself.
        context = local_context(
            chromium,
            demo_site.server,
            locale=LANGUAGES[language],
            viewport=DESKTOP,
            bypass_csp=True,
        )
        try:
            page = context.new_page()
            _log_in_as(page, demo_site, who)
            for target in pages:
                _visit(page, demo_site, target, language)
                page.add_script_tag(path=str(axe))
                violations += _serious_violations(page, f"{target.name} ({target.path})")
                _save_screenshot(page, shots, f"{target.name}-{language}.png", full_page=True)
        finally:
            context.close()
    assert not violations, "axe-core found serious or critical violations:\n" + "\n".join(
        violations
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_fit_a_phone_without_sideways_scrolling(chromium, demo_site, language):  # noqa: F811  (fixture)
    shots = _screenshot_dir()
    too_wide: list[str] = []
    phone_pages = [target for target in MAIN_PAGES if target.on_phone]
    for who, pages in _pages_by_account(phone_pages).items():
        context = local_context(
            chromium,
            demo_site.server,
            locale=LANGUAGES[language],
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        try:
            page = context.new_page()
            _log_in_as(page, demo_site, who)
            for target in pages:
                _visit(page, demo_site, target, language)
                scroll_width, inner_width = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll_width > inner_width:
                    too_wide.append(
                        f"{target.name} ({target.path}): {scroll_width}px wide "
                        f"in a {inner_width}px window"
                    )
                _save_screenshot(
                    page, shots, f"{target.name}-{language}-phone.png", full_page=False
                )
        finally:
            context.close()
    assert not too_wide, "pages that scroll sideways on a phone:\n" + "\n".join(too_wide)


def _checked(chromium, site: DemoSite, language: str, who: str | None, visit) -> list[str]:
    """axe's serious findings on the page ``visit(page)`` leaves the browser on."""
    context = local_context(
        chromium, site.server, locale=LANGUAGES[language], viewport=DESKTOP, bypass_csp=True
    )
    try:
        page = context.new_page()
        _log_in_as(page, site, who)
        name = visit(page)
        page.add_script_tag(path=str(_axe_source()))
        return _serious_violations(page, name)
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_showing_their_errors_have_no_serious_accessibility_violation(
    chromium, demo_site, language
):  # noqa: F811  (fixture)
    violations: list[str] = []
    for target in FORMS_WITH_ERRORS:

        def send_empty(page, target=target):
            _visit(page, demo_site, target, language)
            page.locator("main form:not([role=search]) button[type=submit]").last.click()
            page.wait_for_load_state()
            errors = page.locator("main .error")
            assert errors.count() >= 1, f"{target.name}: no message beside a field"
            # Each message is tied to its field, so a screen reader reads it there.
            for index in range(errors.count()):
                message_id = errors.nth(index).get_attribute("id")
                assert (
                    message_id and page.locator(f"[aria-describedby~='{message_id}']").count() == 1
                ), f"{target.name}: message {index} is tied to no field"
            return target.name

        violations += _checked(chromium, demo_site, language, target.who, send_empty)
    assert not violations, "axe-core found serious or critical violations:\n" + "\n".join(
        violations
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_have_no_serious_accessibility_violation(chromium, demo_site, language):  # noqa: F811  (fixture)
    def not_found(page):
        response = page.goto(demo_site.server.url("/questions/999999"))
        assert response is not None and response.status == 404
        assert page.get_attribute("html", "lang") == language
        return "not found (/questions/999999)"

    violations = _checked(chromium, demo_site, language, None, not_found)
    assert not violations, "axe-core found serious or critical violations:\n" + "\n".join(
        violations
    )


def test_a_member_can_log_in_and_ask_with_the_keyboard_alone(chromium, demo_site):  # noqa: F811
    """Tab, type and Enter only: the skip link comes first, focus is visible, and the
    login and ask forms can be filled and sent without a mouse."""
    email, _name, password, *_rest = DEMO_ACCOUNTS[MEMBER]
    context = local_context(chromium, demo_site.server, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(demo_site.server.url("/login"))
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        _tab_to(page, "email")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.type(email)
        _tab_to(page, "password")
        page.keyboard.type(password)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/login" not in page.url

        page.goto(demo_site.server.url("/questions/ask"))
        _tab_to(page, "title")
        page.keyboard.type("Can a keyboard-only user ask about a class I device study?")
        _tab_to(page, "body")
        page.keyboard.type(
            "We want to know whether a usability study of a class I device "
            "counts as a clinical investigation under the MDR."
        )
        _tab_to(page, "topics-0")
        page.keyboard.press("Space")  # the first topic's checkbox
        _tab_to(page, "device_class")
        page.keyboard.press("ArrowDown")
        _tab_to(page, "stage")
        page.keyboard.press("ArrowDown")
        for _ in range(40):  # on to the submit button, then press it
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.type") == "submit" and page.evaluate(
                "document.activeElement.closest('main') !== null"
            ):
                break
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/questions/ask" not in page.url, page.locator("main").inner_text()
        assert "keyboard-only user" in page.locator("h1").inner_text()
    finally:
        context.close()


def _tab_to(page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")
