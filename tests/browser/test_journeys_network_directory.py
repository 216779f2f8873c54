"""The network's directory end to end in Chromium against a live server (issue 29).

An admin imports the desk research's sample spreadsheet through the import page, first as a
check that saves nothing, then for real, and reads the report; a member of a listed
organisation, with an Italian browser, edits the organisation's profile, its terms offered
in Italian, and a visitor then reads the change without the contact.
"""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import NetworkProfile, Organisation, Role
from forum.resources import network_sample_path
from tests.browser.chromium import local_context, log_in, log_out
from tests.fixtures.people import PASSWORD


def _profiles() -> int:
    db.session.rollback()  # the live server wrote in its own transactions
    return db.session.scalar(select(func.count(NetworkProfile.id)))


def test_an_admin_imports_the_sample_and_a_member_edits_its_profile_in_italian(
    app, chromium, live_server, make_user
):  # noqa: F811  (fixtures)
    admin = make_user(Role.ADMIN, name="Giulia Admin")
    member = make_user(name="Anna Colombo")

    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        log_in(page, live_server, admin.email, PASSWORD)
        page.goto(live_server.url("/network"))
        page.locator("nav.network-nav").get_by_role("link", name="Import").click()
        page.locator("#file").set_input_files(str(network_sample_path()))
        assert page.locator("#dry_run").is_checked()  # a check first, by default
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_text("Created: 40. Updated: 0. Rejected: 0.").is_visible()
        assert _profiles() == 0

        page.locator("#file").set_input_files(str(network_sample_path()))
        page.locator("#dry_run").uncheck()
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Import report").is_visible()
        assert page.get_by_text("Created: 40. Updated: 0. Rejected: 0.").is_visible()
        assert _profiles() == 40
        log_out(page, live_server)
    finally:
        context.close()

    brianza = db.session.scalar(
        select(NetworkProfile)
        .join(NetworkProfile.organisation)
        .where(Organisation.name == "Brianza MedTech S.r.l.")
    )
    member.organisation_id = brianza.organisation_id
    db.session.commit()
    profile_id = brianza.id

    italian = local_context(chromium, live_server, locale="it-IT")
    page = italian.new_page()
    try:
        log_in(page, live_server, member.email, PASSWORD)
        page.goto(live_server.url("/network/my-organisation"))
        assert page.url.endswith(f"/network/organisations/{profile_id}")
        assert page.locator("html").get_attribute("lang") == "it"
        page.goto(live_server.url(f"/network/organisations/{profile_id}/edit"))
        # The vocabularies in the reader's language.
        page.locator("fieldset:has(#specialisations-0)").get_by_label("Cardiovascolare").check()
        needs = page.locator("fieldset:has(#needs-0)")
        needs.get_by_label("Accesso al mercato e rimborso").uncheck()
        page.locator("#need_text").fill("Un centro clinico per il primo studio sul ginocchio.")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/network/organisations/{profile_id}")
        assert page.get_by_text("Un centro clinico per il primo studio sul ginocchio.").is_visible()
        assert page.get_by_text("partners@brianza-medtech.example.org").is_visible()
        log_out(page, live_server)

        page.goto(live_server.url(f"/network/organisations/{profile_id}"))
        assert page.get_by_text("Cardiovascolare").first.is_visible()
        assert page.get_by_text("partners@brianza-medtech.example.org").count() == 0
    finally:
        italian.close()
    db.session.rollback()
    saved = db.session.get(NetworkProfile, profile_id)
    assert {term.slug for term in saved.specialisations} == {
        "orthopaedics",
        "biomaterials",
        "cardiovascular",
    }
    assert "market-access" not in {term.slug for term in saved.needs}
