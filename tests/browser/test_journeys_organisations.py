"""Organisations and profiles, end to end in a real browser against a live server.

A member registers by picking their organisation from the list (a plain select, no
script), moves their account to a new e-mail address through the link sent to it, and
an admin merges the duplicate their colleague registered: the colleague's public
question then shows on the kept organisation's page, the confidential one nowhere.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.extensions import db
from forum.models import OrganisationKind, OutboxMessage, Role, Visibility
from forum.services import organisations
from forum.services.organisations import OrganisationDraft
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import ask_question, registration_link
from tests.fixtures.people import PASSWORD


def _flash(page, message: str) -> None:
    assert page.get_by_text(message).first.is_visible(), f"expected {message!r} on {page.url}"


def _newest_link(address: str, pattern: str) -> str:
    db.session.rollback()  # the live server wrote it in its own transaction
    body = db.session.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.recipient == address)
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(pattern, body).group(0)


def test_a_member_picks_an_organisation_changes_address_and_an_admin_merges_a_duplicate(
    app, chromium, live_server, make_user
):  # noqa: F811  (fixtures)
    kept = organisations.find_or_create(
        OrganisationDraft(name="CardioFlow S.r.l.", kind=OrganisationKind.SME, province="BS")
    )
    twin = organisations.find_or_create(
        OrganisationDraft(name="Cardioflow Srl", kind=OrganisationKind.SME, province="BS")
    )
    db.session.commit()
    colleague = make_user(name="Luca Moretti")
    colleague.organisation = twin
    db.session.commit()
    ask_question(colleague, title="Which ethics committee for a Brescia cardiology study?")
    ask_question(
        colleague, title="Our unreleased valve: which pathway?", visibility=Visibility.CONFIDENTIAL
    )
    admin = make_user(Role.ADMIN, name="Giulia Admin")
    kept_id, twin_id = kept.id, twin.id

    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        page.goto(live_server.url("/register"))
        page.locator("#display_name").fill("Matteo Bruno")
        page.locator("#email").fill("matteo@cardioflow.example")
        page.locator("#organisation").select_option(label="CardioFlow S.r.l.")
        page.locator("form[action$='/register'] button[type=submit]").click()
        page.wait_for_load_state()
        db.session.rollback()
        page.goto(live_server.url(registration_link("matteo@cardioflow.example")))
        page.locator("#password").fill(PASSWORD)
        page.locator("#confirm").fill(PASSWORD)
        page.locator("form[action*='/register/finish/'] button[type=submit]").click()
        page.wait_for_load_state()

        page.goto(live_server.url("/account"))
        page.get_by_role("link", name="Change your e-mail address").click()
        page.locator("#email").fill("matteo.bruno@cardioflow.example")
        page.locator("#password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        _flash(page, "We sent a message to matteo.bruno@cardioflow.example.")
        link = _newest_link("matteo.bruno@cardioflow.example", r"/account/email/confirm/[\w.-]+")
        page.goto(live_server.url(link))
        page.get_by_role("button", name="Use the new address").click()
        page.wait_for_load_state()
        _flash(page, "Your e-mail address is now matteo.bruno@cardioflow.example.")
        assert "CardioFlow S.r.l." in page.locator("main").inner_text()
        log_out(page, live_server)
        log_in(page, live_server, "matteo.bruno@cardioflow.example", PASSWORD)
        log_out(page, live_server)

        log_in(page, live_server, admin.email, PASSWORD)
        page.goto(live_server.url("/admin/organisations"))
        page.get_by_role("link", name="Cardioflow Srl").click()
        assert page.get_by_text("Possible duplicates").is_visible()
        assert page.locator("#into").input_value() == str(kept_id)  # the likely one, chosen
        page.locator("#confirm").check()
        page.get_by_role("button", name="Merge into the one chosen").click()
        page.wait_for_load_state()
        _flash(page, "Cardioflow Srl is merged into CardioFlow S.r.l.: 1 member moved.")
        assert page.url.endswith(f"/admin/organisations/{kept_id}")
        members = page.locator("main").inner_text()
        assert "Luca Moretti" in members and "Matteo Bruno" in members
        log_out(page, live_server)

        page.goto(live_server.url(f"/organisations/{kept_id}"))
        main = page.locator("main").inner_text()
        assert "Which ethics committee for a Brescia cardiology study?" in main
        assert "unreleased valve" not in page.content()
        assert "1 public question" in main
        assert page.goto(live_server.url(f"/organisations/{twin_id}")).status == 404
    finally:
        context.close()
