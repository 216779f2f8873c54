"""The centre's pages (about, contact, privacy, terms): versions in two languages, their
history, admin editing, and the privacy notice accepted at registration and again after
each new version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import AuditEntry, CentrePage, CentrePageRevision, Role, User
from forum.models.columns import utcnow
from forum.services import centre_pages
from forum.services.centre_pages import PageDraft
from forum.services.errors import PermissionDenied, RuleViolation
from tests.conftest import CSRF_FIELD
from tests.factories import registration_link
from tests.fixtures.diffs import deletions, insertions

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}

REGISTRATION = {
    "display_name": "Lucia Ferraro",
    "email": "lucia.ferraro@example.org",
    "organisation_name": "Orobie Devices S.r.l.",
    "organisation_kind": "start-up",
    "province": "BG",
}
PASSWORDS = {"password": "a-long-enough-password", "confirm": "a-long-enough-password"}


def finish_link(client) -> str:
    """Step one of registering (the form); the path of the e-mailed link to finish it."""
    assert client.post("/register", data=REGISTRATION).status_code == 200
    return registration_link(REGISTRATION["email"])


NOTICE = PageDraft(
    title_en="Privacy notice",
    body_en="We keep your e-mail address to let you log in.",
    title_it="Informativa privacy",
    body_it="Conserviamo il tuo indirizzo e-mail per l'accesso.",
)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Giulia Admin")


def publish_notice(admin, draft=NOTICE, *, new_version=False):
    base = centre_pages.current(CentrePage.PRIVACY)
    return centre_pages.save(
        CentrePage.PRIVACY,
        admin,
        draft,
        base_number=base.number if base else 0,
        new_privacy_version=new_version,
    )


def user_by_email(email):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


# --- registration records the notice accepted ------------------------------------------


def test_registration_records_the_privacy_notice_version_accepted_and_when(client, admin):
    publish_notice(admin)
    publish_notice(
        admin,
        PageDraft(title_en="Privacy notice", body_en="Version two.", title_it="", body_it=""),
        new_version=True,
    )
    link = finish_link(client)
    form = client.get(link).get_data(as_text=True)
    assert 'name="accept_privacy"' in form and 'href="/privacy"' in form
    assert 'name="privacy_version" value="2"' in form

    before = utcnow()
    response = client.post(link, data={**PASSWORDS, "accept_privacy": "y", "privacy_version": "2"})
    assert response.status_code == 302
    user = user_by_email("lucia.ferraro@example.org")
    assert user.privacy_version_accepted == 2
    assert before - timedelta(seconds=1) <= user.privacy_accepted_at <= utcnow()


def test_registration_without_ticking_the_privacy_box_is_refused_and_keeps_the_form(client, admin):
    publish_notice(admin)
    link = finish_link(client)
    response = client.post(link, data={**PASSWORDS, "privacy_version": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="accept_privacy-error"' in page and "tick the box" in page
    assert "Lucia Ferraro" in page  # the link still works: nothing was used up
    assert user_by_email("lucia.ferraro@example.org") is None
    assert (
        client.post(
            link, data={**PASSWORDS, "accept_privacy": "y", "privacy_version": "1"}
        ).status_code
        == 302
    )


def test_registration_against_an_older_notice_asks_to_read_the_new_one(client, admin):
    publish_notice(admin)
    publish_notice(
        admin, PageDraft(title_en="Privacy notice", body_en="Version two."), new_version=True
    )
    response = client.post(
        finish_link(client), data={**PASSWORDS, "accept_privacy": "y", "privacy_version": "1"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "changed while you were reading it" in page
    assert 'name="privacy_version" value="2"' in page  # the form now offers the new one
    assert user_by_email("lucia.ferraro@example.org") is None


def test_before_any_notice_exists_registration_asks_for_no_acceptance(client):
    link = finish_link(client)
    assert 'name="accept_privacy"' not in client.get(link).get_data(as_text=True)
    assert client.post(link, data=PASSWORDS).status_code == 302
    user = user_by_email("lucia.ferraro@example.org")
    assert user.privacy_version_accepted is None and user.privacy_accepted_at is None


# --- a new version is accepted at the next login -----------------------------------------


def register_and_log_out(client):
    client.post(
        finish_link(client), data={**PASSWORDS, "accept_privacy": "y", "privacy_version": "1"}
    )
    client.post("/logout")


def log_in(client):
    return client.post(
        "/login", data={"email": REGISTRATION["email"], "password": PASSWORDS["password"]}
    )


def post_while_pending(client, path, data=None):
    """Post with the token of the acceptance page: the test client's usual source of
    tokens, /login, is closed too while the notice waits."""
    token = CSRF_FIELD.search(client.get("/privacy/accept").get_data(as_text=True)).group(1)
    return client.post(path, data={**(data or {}), "csrf_token": token}, csrf=False)


def test_a_new_privacy_version_is_asked_for_at_the_next_login_until_accepted(client, admin):
    publish_notice(admin)
    register_and_log_out(client)
    publish_notice(
        admin,
        PageDraft(
            title_en="Privacy notice",
            body_en="We now also keep X.",
            title_it="Informativa privacy",
            body_it="Ora conserviamo anche X.",
        ),
        new_version=True,
    )

    log_in(client)
    for path in ("/", "/questions", "/account", "/questions/ask", "/about"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["Location"].endswith("/privacy/accept"), path
    # What stays open: the notice itself, the acceptance page, the language, logging out.
    assert client.get("/privacy").status_code == 200
    accept_page = client.get("/privacy/accept")
    assert accept_page.status_code == 200
    text = accept_page.get_data(as_text=True)
    assert post_while_pending(client, "/questions/ask", {"title": "x"}).status_code == 303
    assert client.get("/login").status_code == 303
    assert "We now also keep X." in text and 'name="version" type="hidden" value="2"' in text

    response = post_while_pending(client, "/privacy/accept", {"version": "2"})
    assert response.status_code == 302
    user = user_by_email(REGISTRATION["email"])
    assert user.privacy_version_accepted == 2 and user.privacy_accepted_at is not None
    assert client.get("/questions").status_code == 200
    assert client.get("/privacy/accept").status_code == 302  # nothing left to accept


def test_logging_out_is_allowed_while_the_notice_waits_and_it_waits_again_next_time(client, admin):
    publish_notice(admin)
    register_and_log_out(client)
    publish_notice(
        admin, PageDraft(title_en="Privacy notice", body_en="Version two."), new_version=True
    )
    log_in(client)
    assert post_while_pending(client, "/logout").status_code == 302
    assert client.get("/questions").status_code == 200  # a visitor reads freely
    log_in(client)
    assert client.get("/questions").status_code == 303
    assert user_by_email(REGISTRATION["email"]).privacy_version_accepted == 1


def test_a_correction_within_a_version_asks_nobody_again(client, admin):
    publish_notice(admin)
    register_and_log_out(client)
    publish_notice(
        admin,
        PageDraft(
            title_en="Privacy notice",
            body_en="Typo fixed.",
            title_it="Informativa privacy",
            body_it="Refuso corretto.",
        ),
    )
    assert centre_pages.current_privacy_version() == 1
    log_in(client)
    assert client.get("/questions").status_code == 200


def test_a_new_version_published_during_a_session_waits_for_the_next_login(client, admin):
    publish_notice(admin)
    register_and_log_out(client)
    log_in(client)
    publish_notice(
        admin, PageDraft(title_en="Privacy notice", body_en="Version two."), new_version=True
    )
    assert client.get("/questions").status_code == 200
    client.post("/logout")
    log_in(client)
    assert client.get("/questions").status_code == 303


def test_accepting_a_version_replaced_meanwhile_is_refused(client, admin):
    publish_notice(admin)
    register_and_log_out(client)
    publish_notice(
        admin, PageDraft(title_en="Privacy notice", body_en="Version two."), new_version=True
    )
    log_in(client)
    publish_notice(
        admin, PageDraft(title_en="Privacy notice", body_en="Version three."), new_version=True
    )
    response = post_while_pending(client, "/privacy/accept", {"version": "2"})
    assert response.status_code == 422
    assert "Version three." in response.get_data(as_text=True)
    assert user_by_email(REGISTRATION["email"]).privacy_version_accepted == 1


# --- reading the pages -----------------------------------------------------------------


def test_a_reader_gets_their_language_or_the_other_with_a_notice_and_its_lang(client, admin):
    centre_pages.save(
        CentrePage.ABOUT,
        admin,
        PageDraft(
            title_en="About the centre",
            body_en="The board answers.",
            title_it="Chi siamo",
            body_it="Il comitato risponde.",
        ),
        base_number=0,
    )
    italian = client.get("/about", headers=ITALIAN).get_data(as_text=True)
    assert "Il comitato risponde." in italian and "The board answers." not in italian
    assert 'lang="en"' not in italian.split("<main", 1)[1]

    centre_pages.save(
        CentrePage.TERMS,
        admin,
        PageDraft(title_en="Terms of use", body_en="Be courteous."),
        base_number=0,
    )
    italian = client.get("/terms", headers=ITALIAN).get_data(as_text=True)
    assert '<html lang="it">' in italian
    assert "Be courteous." in italian
    assert "non è ancora tradotta" in italian
    assert '<div class="centre-page-text post-body" lang="en">' in italian
    assert '<h1 lang="en">Terms of use</h1>' in italian
    english = client.get("/terms", headers=ENGLISH).get_data(as_text=True)
    assert "not yet translated" not in english and 'lang="en">' not in english.split("<main", 1)[1]


def test_a_page_never_written_is_not_found_and_the_footer_links_all_four(client):
    assert client.get("/contact").status_code == 404
    assert client.get("/contact/history").status_code == 404
    home = client.get("/").get_data(as_text=True)
    for path in ("/about", "/contact", "/privacy", "/terms"):
        assert f'href="{path}"' in home


def test_the_privacy_notice_shows_its_version_and_the_controller_from_the_settings(
    app, client, admin
):
    app.config.update(
        PRIVACY_CONTROLLER_NAME="Fondazione Esempio",
        PRIVACY_CONTROLLER_EMAIL="dpo@fondazione.example",
    )
    publish_notice(admin)
    page = client.get("/privacy", headers=ENGLISH).get_data(as_text=True)
    assert "Fondazione Esempio" in page and 'href="mailto:dpo@fondazione.example"' in page
    assert "Version 1, in force since" in page


def test_the_history_shows_each_revision_with_its_diff_in_both_languages(client, admin, login):
    publish_notice(admin)
    publish_notice(
        admin,
        PageDraft(
            title_en="Privacy notice",
            body_en="We keep less.",
            title_it="Informativa privacy",
            body_it="Conserviamo il tuo indirizzo e-mail per l'accesso.",
            note="Shorter",
        ),
        new_version=True,
    )
    page = client.get("/privacy/history", headers=ENGLISH).get_data(as_text=True)
    assert "Revision 2" in page and "Revision 1" in page and "<q>Shorter</q>" in page
    assert "We keep less." in insertions(page)
    assert any(text.startswith("We keep your e-mail address") for text in deletions(page))
    assert 'class="diff" lang="it"' in page  # the Italian text is marked as Italian
    assert "New version 2 of the privacy notice" in page
    assert "Giulia Admin" not in page  # editors are named to admins only
    login(admin)
    assert "Giulia Admin" in client.get("/privacy/history").get_data(as_text=True)


def test_the_page_and_its_history_load_in_a_fixed_number_of_queries(client, admin, count_queries):
    publish_notice(admin)
    client.get("/privacy")
    with count_queries() as few:
        client.get("/privacy/history")
    for number in range(6):
        publish_notice(
            admin,
            PageDraft(title_en="Privacy notice", body_en=f"Text {number}."),
            new_version=number % 2 == 0,
        )
    with count_queries() as many:
        assert client.get("/privacy/history").status_code == 200
    assert len(many) == len(few)


# --- editing ----------------------------------------------------------------------------


def test_an_admin_edits_a_page_through_the_form_and_it_is_audited(client, admin, login):
    login(admin)
    form = client.get("/admin/pages/contact").get_data(as_text=True)
    assert 'name="base_number" type="hidden" value="0"' in form
    response = client.post(
        "/admin/pages/contact",
        data={
            "title_en": "Contact",
            "body_en": "Write to us.",
            "title_it": "Contatti",
            "body_it": "Scriveteci.",
            "note": "First text",
            "base_number": "0",
        },
    )
    assert response.status_code == 302
    revision = centre_pages.current(CentrePage.CONTACT)
    assert (revision.number, revision.editor_id, revision.privacy_version) == (1, admin.id, None)
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "centre-page-edited" and entry.actor_id == admin.id
    assert "contact revision 1" in entry.detail
    listing = client.get("/admin/pages").get_data(as_text=True)
    assert 'href="/admin/pages/privacy"' in listing
    assert 'href="/admin/pages"' in client.get("/admin").get_data(as_text=True)


def test_a_save_over_someone_elses_save_is_refused_and_keeps_the_text(client, admin, login):
    publish_notice(admin)
    publish_notice(admin, PageDraft(title_en="Privacy notice", body_en="Another admin's text."))
    login(admin)
    response = client.post(
        "/admin/pages/privacy",
        data={"title_en": "Privacy notice", "body_en": "My late edit.", "base_number": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Someone saved this page while you were editing it" in page
    assert "My late edit." in page
    assert db.session.scalar(select(func.count()).select_from(CentrePageRevision)) == 2


@pytest.mark.parametrize(
    "draft, field",
    [
        (PageDraft(), "body_en"),
        (PageDraft(title_en="A title only"), "body_en"),
        (PageDraft(body_it="Testo senza titolo"), "title_it"),
        (PageDraft(title_en="T", body_en="x" * 50_001), "body_en"),
    ],
)
def test_a_missing_or_oversized_text_is_refused_beside_its_field(admin, draft, field):
    with pytest.raises(RuleViolation) as refused:
        centre_pages.save(CentrePage.TERMS, admin, draft, base_number=0)
    assert refused.value.field == field
    assert centre_pages.current(CentrePage.TERMS) is None


def test_an_edit_that_changes_nothing_is_refused_and_only_admins_edit(admin, make_user):
    publish_notice(admin)
    with pytest.raises(RuleViolation):
        publish_notice(admin)
    with pytest.raises(PermissionDenied):
        centre_pages.save(CentrePage.ABOUT, make_user(Role.EXPERT), NOTICE, base_number=0)


def test_a_remembered_login_in_a_new_browser_session_is_asked_too(client, admin):
    publish_notice(admin)
    register_and_log_out(client)
    client.post(
        "/login",
        data={"email": REGISTRATION["email"], "password": PASSWORDS["password"], "remember": "y"},
    )
    publish_notice(
        admin, PageDraft(title_en="Privacy notice", body_en="Version two."), new_version=True
    )
    assert client.get("/questions").status_code == 200  # the same session goes on
    client.delete_cookie("session")  # the browser was closed; "remember me" signs in again
    response = client.get("/questions")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/privacy/accept")


def test_the_admin_who_writes_a_new_version_is_not_asked_to_accept_it(client, admin, login):
    publish_notice(admin)
    publish_notice(
        admin, PageDraft(title_en="Privacy notice", body_en="Version two."), new_version=True
    )
    assert user_by_email(admin.email).privacy_version_accepted == 2
    login(admin)
    assert client.get("/admin/pages").status_code == 200
