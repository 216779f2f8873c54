"""The account page's profile: name, organisation and its kind, language; and a new
e-mail address, which replaces the old one only through the link sent to it."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    Organisation,
    OrganisationKind,
    OutboxMessage,
    Role,
    User,
)
from forum.services import organisations
from forum.services.accounts import creation, profile
from forum.services.organisations import OrganisationDraft
from tests.fixtures.people import PASSWORD

CONFIRM_LINK = re.compile(r"(/account/email/confirm/[A-Za-z0-9_.-]+)")


def _organisation(name: str, kind=OrganisationKind.SME, province="MI") -> Organisation:
    organisation = organisations.find_or_create(
        OrganisationDraft(name=name, kind=kind, province=province)
    )
    db.session.commit()
    return organisation


def _audit(action: AuditAction) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action.value).order_by(AuditEntry.id)
        )
    )


def _messages_to(address: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == address)
            .order_by(OutboxMessage.id)
        )
    )


def _confirm_link(address: str) -> str:
    found = CONFIRM_LINK.search(_messages_to(address)[-1].body)
    assert found, f"no confirmation link was e-mailed to {address}"
    return found.group(1)


def _profile_form(user: User, **changes) -> dict:
    form = {
        "display_name": user.display_name,
        "locale": "en",
        "organisation": "",
        "organisation_kind": "sme",
        "country": "IT",
    }
    form.update(changes)
    return form


# --- name, organisation, language ---------------------------------------------------------


def test_the_profile_form_shows_the_current_details(client, make_user, login):
    organisation = _organisation("Brianza MedTech S.r.l.", OrganisationKind.START_UP)
    user = make_user(name="Anna Colombo")
    user.organisation, user.locale = organisation, "it"
    db.session.commit()
    login(user)
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'value="Anna Colombo"' in page
    assert f'<option selected value="{organisation.id}">Brianza MedTech S.r.l.</option>' in page
    assert '<option selected value="start-up">' in page
    assert '<option selected value="it">Italiano</option>' in page


def test_a_person_changes_name_organisation_and_language_and_it_is_audited(
    client, make_user, login
):
    before, after = _organisation("Old Company"), _organisation("Brianza MedTech S.r.l.")
    user = make_user(name="Anna Colombo")
    user.organisation = before
    db.session.commit()
    login(user)
    response = client.post(
        "/account/profile",
        data=_profile_form(
            user, display_name="  Anna   Colombo-Riva ", organisation=str(after.id), locale="it"
        ),
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.organisation_id, user.locale) == (
        "Anna Colombo-Riva",
        after.id,
        "it",
    )
    [entry] = _audit(AuditAction.PROFILE_UPDATED)
    assert entry.actor_id == user.id and entry.subject_id == user.id
    assert "organisation: Old Company -> Brianza MedTech S.r.l." in entry.detail
    assert "language: - -> it" in entry.detail
    assert "Il tuo account" in client.get("/account").get_data(as_text=True)  # pages follow


def test_saving_an_unchanged_profile_records_nothing(client, make_user, login):
    user = make_user()
    user.organisation, user.locale = _organisation("Brianza MedTech S.r.l."), "en"
    db.session.commit()
    login(user)
    client.post(
        "/account/profile", data=_profile_form(user, organisation=str(user.organisation_id))
    )
    assert _audit(AuditAction.PROFILE_UPDATED) == []


def test_a_person_describes_a_new_organisation_from_the_profile(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post(
        "/account/profile",
        data=_profile_form(
            user,
            organisation_name="NeuroSense S.r.l.",
            organisation_kind="start-up",
            province="MI",
            website="https://neurosense.example",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (
        user.organisation.name,
        user.organisation.kind,
        user.organisation.region,
        user.organisation.website,
    ) == ("NeuroSense S.r.l.", OrganisationKind.START_UP, "Lombardia", "https://neurosense.example")


def test_a_new_organisation_with_bad_details_keeps_the_form_and_saves_nothing(
    client, make_user, login
):
    user = make_user(name="Anna Colombo")
    login(user)
    response = client.post(
        "/account/profile",
        data=_profile_form(
            user,
            display_name="Anna C.",
            organisation_name="NeuroSense",
            province="",
            tax_code="12345678901",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="province-error"' in page
    assert 'value="Anna C."' in page and 'value="NeuroSense"' in page
    db.session.refresh(user)
    assert (user.display_name, user.organisation_id) == ("Anna Colombo", None)
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_a_blank_name_or_an_unknown_language_or_organisation_is_refused(client, make_user, login):
    user = make_user(name="Anna Colombo")
    login(user)
    for changes, field in (
        ({"display_name": " "}, "display_name"),
        ({"locale": "fr"}, "locale"),
        ({"organisation": "424242"}, "organisation"),
    ):
        response = client.post("/account/profile", data=_profile_form(user, **changes))
        assert response.status_code == 422, changes
        assert f'id="{field}-error"' in response.get_data(as_text=True), changes
    db.session.refresh(user)
    assert user.display_name == "Anna Colombo"


def test_the_only_member_may_change_the_kind_of_their_organisation(client, make_user, login):
    organisation = _organisation("Brianza MedTech S.r.l.", OrganisationKind.SME)
    user = make_user()
    user.organisation = organisation
    db.session.commit()
    login(user)
    client.post(
        "/account/profile",
        data=_profile_form(user, organisation=str(organisation.id), organisation_kind="start-up"),
    )
    db.session.refresh(organisation)
    assert organisation.kind == OrganisationKind.START_UP
    assert (
        "kind of Brianza MedTech S.r.l.: start-up"
        not in _audit(AuditAction.PROFILE_UPDATED)[0].detail
    )
    assert (
        "kind of Brianza MedTech S.r.l.: sme -> start-up"
        in _audit(AuditAction.PROFILE_UPDATED)[0].detail
    )


def test_with_colleagues_the_kind_is_the_centres_to_change(client, make_user, login):
    organisation = _organisation("Brianza MedTech S.r.l.", OrganisationKind.SME)
    user, colleague = make_user(), make_user()
    user.organisation = colleague.organisation = organisation
    db.session.commit()
    login(user)
    response = client.post(
        "/account/profile",
        data=_profile_form(
            user,
            display_name="A New Name",
            organisation=str(organisation.id),
            organisation_kind="hospital",
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="organisation_kind-error"' in page and "ask the centre to change its kind" in page
    db.session.refresh(organisation)
    db.session.refresh(user)
    assert organisation.kind == OrganisationKind.SME and user.display_name != "A New Name"


def test_picking_another_organisation_takes_it_as_it_is(client, make_user, login):
    mine, other = (
        _organisation("Mine", OrganisationKind.SME),
        _organisation("Theirs", OrganisationKind.HOSPITAL),
    )
    user = make_user()
    user.organisation = mine
    db.session.commit()
    login(user)
    # The kind field still shows the kind of the organisation being left.
    client.post(
        "/account/profile",
        data=_profile_form(user, organisation=str(other.id), organisation_kind="sme"),
    )
    db.session.refresh(other)
    db.session.refresh(user)
    assert user.organisation_id == other.id and other.kind == OrganisationKind.HOSPITAL


# --- the e-mail address ---------------------------------------------------------------------


def test_a_new_address_is_used_only_once_its_link_is_opened(client, make_user, login):
    user = make_user()
    old = user.email
    login(user)
    sent = client.post(
        "/account/email", data={"email": "New.Address@Example.org", "password": PASSWORD}
    )
    assert sent.status_code == 302
    assert "We sent a message to new.address@example.org" in client.get("/account").get_data(
        as_text=True
    )
    db.session.refresh(user)
    assert (user.email, user.pending_email) == (old, "new.address@example.org")
    link = _confirm_link("new.address@example.org")
    shown = client.get(link)  # opening the link (a mail scanner, say) changes nothing
    assert shown.status_code == 200 and "new.address@example.org" in shown.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email == old
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    db.session.refresh(user)
    assert (user.email, user.pending_email) == ("new.address@example.org", None)
    [notice] = _messages_to(old)
    assert "is now new.address@example.org" in notice.body
    assert [entry.detail for entry in _audit(AuditAction.EMAIL_CHANGED)] == [
        f"{old} -> new.address@example.org"
    ]
    assert len(_audit(AuditAction.EMAIL_CHANGE_REQUESTED)) == 1
    client.post("/logout")
    assert (
        client.post(
            "/login", data={"email": "new.address@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_a_used_link_does_not_work_again(client, make_user, login):
    user = make_user()
    login(user)
    client.post("/account/email", data={"email": "first@example.org", "password": PASSWORD})
    link = _confirm_link("first@example.org")
    client.post(link)
    again = client.post(link)
    assert again.status_code == 400 and "cannot be used any more" in again.get_data(as_text=True)
    assert client.get(link).status_code == 400


def test_a_newer_request_replaces_the_earlier_link(client, make_user, login):
    user = make_user()
    login(user)
    client.post("/account/email", data={"email": "first@example.org", "password": PASSWORD})
    first = _confirm_link("first@example.org")
    client.post("/account/email", data={"email": "second@example.org", "password": PASSWORD})
    assert client.post(first).status_code == 400
    db.session.refresh(user)
    assert user.email != "first@example.org" and user.pending_email == "second@example.org"


def test_an_expired_or_altered_link_changes_nothing(app, client, make_user, login):
    user = make_user()
    old = user.email
    login(user)
    client.post("/account/email", data={"email": "late@example.org", "password": PASSWORD})
    link = _confirm_link("late@example.org")
    app.config["EMAIL_CHANGE_LINK_MAX_AGE"] = -1  # every link is older than that
    expired = client.post(link)
    assert expired.status_code == 400 and "has expired" in expired.get_data(as_text=True)
    app.config["EMAIL_CHANGE_LINK_MAX_AGE"] = 86400
    altered = client.post(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    assert altered.status_code == 400 and "not valid" in altered.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email == old


def test_a_link_opened_by_another_signed_in_account_changes_nothing(client, make_user, login):
    owner, intruder = make_user(), make_user()
    owner_email, intruder_email = owner.email, intruder.email
    login(owner)
    client.post("/account/email", data={"email": "owner.new@example.org", "password": PASSWORD})
    link = _confirm_link("owner.new@example.org")
    login(intruder)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 403
        assert "for another account" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, owner.id).email == owner_email
    assert db.session.get(User, intruder.id).email == intruder_email
    client.post("/logout")
    assert client.get(link).status_code == 302  # a visitor is asked to log in first


def test_a_taken_address_gets_the_same_answer_and_its_owner_is_told(client, make_user, login):
    user, owner = make_user(), make_user()
    old = user.email
    login(user)
    free = client.post(
        "/account/email",
        data={"email": "free@example.org", "password": PASSWORD},
        follow_redirects=True,
    ).get_data(as_text=True)
    taken = client.post(
        "/account/email",
        data={"email": owner.email.upper(), "password": PASSWORD},
        follow_redirects=True,
    ).get_data(as_text=True)

    def said(page: str, address: str) -> str:
        return (
            re.search(r'<p class="flash[^"]*">(.*?)</p>', page, re.S).group(1).replace(address, "X")
        )

    assert said(free, "free@example.org") == said(taken, owner.email)
    [note] = _messages_to(owner.email)
    assert "already has an account" in note.body and "/account/email/confirm/" not in note.body
    db.session.refresh(user)
    assert user.email == old and user.pending_email is None  # the free link no longer works


def test_an_address_taken_after_the_link_was_sent_is_refused_clearly(client, make_user, login):
    user = make_user()
    old = user.email
    login(user)
    client.post("/account/email", data={"email": "race@example.org", "password": PASSWORD})
    link = _confirm_link("race@example.org")
    creation.create_user(email="race@example.org", display_name="Quick", password=PASSWORD)
    response = client.post(link)
    assert response.status_code == 409
    assert "Another account uses this address now" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.email, user.pending_email) == (old, None)


def test_a_new_address_needs_the_password_and_a_different_address(client, make_user, login):
    user = make_user()
    login(user)
    wrong = client.post("/account/email", data={"email": "new@example.org", "password": "nope"})
    assert wrong.status_code == 422
    page = wrong.get_data(as_text=True)
    assert 'id="password-error"' in page and 'value="new@example.org"' in page
    same = client.post("/account/email", data={"email": user.email, "password": PASSWORD})
    assert same.status_code == 422 and "already your address" in same.get_data(as_text=True)
    malformed = client.post(
        "/account/email", data={"email": "not an address", "password": PASSWORD}
    )
    assert malformed.status_code == 422
    assert _messages_to("new@example.org") == []
    db.session.refresh(user)
    assert user.pending_email is None


def test_the_confirmation_goes_in_the_persons_language_and_admins_never_see_the_token(
    client, make_user, login
):
    user = make_user()
    user.locale = "it"
    db.session.commit()
    profile.request_email_change(user, "nuovo@example.org", PASSWORD)
    [message] = _messages_to("nuovo@example.org")
    assert message.subject == "[Forum CTCC] Conferma il tuo nuovo indirizzo e-mail"
    login(make_user(Role.ADMIN))
    page = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "/account/email/confirm/[hidden]" in page
    assert CONFIRM_LINK.search(message.body).group(1) not in page


def test_deleting_the_account_forgets_the_new_address_and_the_audits_names(
    client, make_user, login
):
    user = make_user(name="Anna Colombo")
    login(user)
    client.post("/account/profile", data=_profile_form(user, display_name="Anna Riva"))
    client.post("/account/email", data={"email": "anna.one@example.org", "password": PASSWORD})
    client.post(_confirm_link("anna.one@example.org"))
    client.post("/account/email", data={"email": "anna.two@example.org", "password": PASSWORD})
    assert (
        client.get("/account/export").get_json()["profile"]["email_awaiting_confirmation"]
        == "anna.two@example.org"
    )
    client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    db.session.expire_all()
    assert db.session.get(User, user.id).pending_email is None
    details = [
        entry.detail
        for entry in db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action.in_(
                    (AuditAction.PROFILE_UPDATED.value, AuditAction.EMAIL_CHANGED.value)
                )
            )
        )
    ]
    assert details == ["", ""]
