"""Organisations: their details and checks, picking or adding one at registration, the
public page of an organisation's questions, and the admins' list, edit and merge."""

from __future__ import annotations

import re

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    Facilitation,
    Organisation,
    OrganisationKind,
    Role,
    User,
    Visibility,
)
from forum.services import clinics, facilitations, organisations
from forum.services.accounts import creation, credentials
from forum.services.clinics import ClinicDraft
from forum.services.errors import RuleViolation
from forum.services.organisations import OrganisationDraft, partita_iva_is_valid
from tests.factories import ask_question, registration_link

# Made up, with a valid check digit (the last).
VALID_PARTITA_IVA = "03123456786"
BEFORE_THIS_MIGRATION = "c4f1a8e2d6b3"


def _draft(**changes) -> OrganisationDraft:
    values = {"name": "Orobie Devices S.r.l.", "kind": OrganisationKind.SME, "province": "BG"}
    values.update(changes)
    return OrganisationDraft(**values)


def _refusal(draft: OrganisationDraft) -> RuleViolation:
    with pytest.raises(RuleViolation) as refused:
        organisations.clean(draft)
    return refused.value


def _organisation(name: str, province: str = "MI", kind=OrganisationKind.SME) -> Organisation:
    organisation = organisations.find_or_create(_draft(name=name, province=province, kind=kind))
    db.session.commit()
    return organisation


def _member_of(make_user, organisation: Organisation, role: Role = Role.MEMBER) -> User:
    user = make_user(role)
    user.organisation = organisation
    db.session.commit()
    return user


# --- the details and their checks -------------------------------------------------------


def test_a_partita_iva_needs_eleven_digits_whose_last_is_the_check_digit():
    assert partita_iva_is_valid(VALID_PARTITA_IVA)
    assert partita_iva_is_valid("00000000000")
    # The worked examples of published explanations of the check digit.
    assert partita_iva_is_valid("86334519757") and partita_iva_is_valid("02342520158")
    assert not partita_iva_is_valid("03123456787")  # the check digit off by one
    assert not partita_iva_is_valid("03123456768")  # two digits swapped
    assert not partita_iva_is_valid("0312345678")  # ten digits
    assert not partita_iva_is_valid("0312345678a")
    assert not partita_iva_is_valid(
        "０３１２３４５６７８６"
    )  # full-width digits are not digits here


def test_an_italian_tax_code_is_a_partita_iva_or_a_codice_fiscale():
    assert organisations.clean(_draft(tax_code=" IT 0312 3456 786 ")).tax_code == VALID_PARTITA_IVA
    assert organisations.clean(_draft(tax_code="rssmra80a01f205x")).tax_code == "RSSMRA80A01F205X"
    assert _refusal(_draft(tax_code="03123456787")).field == "tax_code"
    refused = _refusal(_draft(tax_code="ACME-123"))
    assert refused.field == "tax_code" and "16 letters and digits" in str(refused.message)


def test_an_italian_organisation_names_a_known_province_and_gets_its_region():
    cleaned = organisations.clean(_draft(province=" mb ", region="Somewhere else"))
    assert (cleaned.country, cleaned.province, cleaned.region) == ("IT", "MB", "Lombardia")
    assert organisations.clean(_draft(province="TO")).region == "Piemonte"
    assert _refusal(_draft(province=None)).field == "province"
    assert _refusal(_draft(province="XX")).field == "province"


def test_abroad_the_province_and_region_are_as_written_and_the_country_must_exist():
    cleaned = organisations.clean(
        _draft(
            country="ch",
            province="Ticino",
            region=" Svizzera  italiana",
            tax_code="CHE-123.456.789",
        )
    )
    assert (cleaned.country, cleaned.province, cleaned.region, cleaned.tax_code) == (
        "CH",
        "Ticino",
        "Svizzera italiana",
        "CHE-123.456.789",
    )
    assert _refusal(_draft(country="ZZ")).field == "country"
    assert _refusal(_draft(country="EU")).field == "country"
    assert _refusal(_draft(country="DE", province="B" * 81)).field == "province"
    assert _refusal(_draft(country="DE", tax_code="<script>")).field == "tax_code"


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "ftp://files.example.org",
        "www.example.org",
        "https://localhost",
        "https://bank.example@evil.example",
        "https://exa mple.org",
        "https://example.org:0",
        "https://example.org:99999",
        "http://[::1",
        "data:text/html,hi",
    ],
)
def test_a_website_is_an_http_or_https_address_of_a_named_host(website):
    assert _refusal(_draft(website=website)).field == "website"


def test_a_good_website_is_kept_as_written():
    assert (
        organisations.clean(_draft(website=" https://www.orobie.example/en ")).website
        == "https://www.orobie.example/en"
    )
    assert (
        organisations.clean(_draft(website="http://orobie.example")).website
        == "http://orobie.example"
    )


# --- registration: pick one or add one -------------------------------------------------

REGISTRATION = {
    "display_name": "Lucia Ferraro",
    "email": "lucia@example.org",
    "organisation_kind": "sme",
}
PASSWORDS = {"password": "a-long-enough-password", "confirm": "a-long-enough-password"}


def _finish(client, email: str = "lucia@example.org") -> User:
    response = client.post(registration_link(email), data=PASSWORDS)
    assert response.status_code == 302
    return credentials.find_user_by_email(email)


def test_registration_lists_the_organisations_and_a_member_picks_one(client):
    picked = _organisation("Brianza MedTech S.r.l.", "MB")
    _organisation("Valtellina Medical Devices S.r.l.", "SO")
    page = client.get("/register").get_data(as_text=True)
    assert f'<option value="{picked.id}">Brianza MedTech S.r.l.</option>' in page
    assert '<option value="MB">MB · Monza e della Brianza</option>' in page
    sent = client.post(
        "/register",
        data={
            **REGISTRATION,
            "organisation": str(picked.id),
            "organisation_name": "ignored when one is picked",
        },
    )
    assert sent.status_code == 200
    user = _finish(client)
    assert user.organisation_id == picked.id
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2


def test_registration_adds_a_new_organisation_with_its_details(client):
    client.post(
        "/register",
        data={
            **REGISTRATION,
            "organisation": "",
            "organisation_name": "Orobie  Devices S.r.l.",
            "organisation_kind": "start-up",
            "country": "IT",
            "province": "BG",
            "tax_code": VALID_PARTITA_IVA,
            "website": "https://orobie.example",
        },
    )
    organisation = _finish(client).organisation
    assert (
        organisation.name,
        organisation.kind,
        organisation.province,
        organisation.region,
        organisation.country,
        organisation.tax_code,
        organisation.website,
    ) == (
        "Orobie Devices S.r.l.",
        OrganisationKind.START_UP,
        "BG",
        "Lombardia",
        "IT",
        VALID_PARTITA_IVA,
        "https://orobie.example",
    )


def test_registration_naming_a_listed_organisation_joins_it(client):
    listed = _organisation("Brianza MedTech S.r.l.", "MB")
    client.post("/register", data={**REGISTRATION, "organisation_name": "brianza medtech s.r.l."})
    assert _finish(client).organisation_id == listed.id


def test_registration_keeps_what_was_typed_and_says_what_is_wrong_beside_the_field(client):
    response = client.post(
        "/register",
        data={
            **REGISTRATION,
            "organisation_name": "Orobie Devices",
            "province": "BG",
            "tax_code": "03123456787",
            "website": "javascript:alert(1)",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="tax_code-error"' in page and "not a valid partita IVA" in page
    assert 'value="Orobie Devices"' in page and 'value="03123456787"' in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0
    nothing = client.post("/register", data=REGISTRATION)
    assert nothing.status_code == 422
    assert 'id="organisation_name-error"' in nothing.get_data(as_text=True)
    no_province = client.post("/register", data={**REGISTRATION, "organisation_name": "Orobie"})
    assert 'id="province-error"' in no_province.get_data(as_text=True)


def test_registration_refuses_an_organisation_that_is_not_in_the_list(client):
    response = client.post("/register", data={**REGISTRATION, "organisation": "987654"})
    assert response.status_code == 422
    assert 'id="organisation-error"' in response.get_data(as_text=True)


def test_a_picked_organisation_merged_before_the_link_is_opened_still_registers(client, make_user):
    twin, kept = _organisation("Cardioflow Srl", "BS"), _organisation("CardioFlow S.r.l.", "BS")
    client.post("/register", data={**REGISTRATION, "organisation": str(twin.id)})
    organisations.merge(make_user(Role.ADMIN), twin, kept)
    # Named as the twin was, and no longer there: a new organisation by that name.
    assert _finish(client).organisation.name == "Cardioflow Srl"


# --- the public page -------------------------------------------------------------------


def test_the_organisation_page_lists_public_questions_only_whoever_reads_it(
    client, make_user, login
):
    organisation = _organisation("Brianza MedTech S.r.l.", "MB")
    member, colleague = _member_of(make_user, organisation), _member_of(make_user, organisation)
    ask_question(member, title="Which notified body for a class IIa sensor?")
    ask_question(colleague, title="Ethics committee timing in Lombardy?")
    ask_question(
        member, title="Our unreleased implant: which pathway?", visibility=Visibility.CONFIDENTIAL
    )
    ask_question(make_user(), title="A question from someone elsewhere")
    for reader in (None, member, make_user(Role.EXPERT), make_user(Role.ADMIN)):
        if reader is not None:
            login(reader)
        page = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
        assert "Which notified body for a class IIa sensor?" in page
        assert "Ethics committee timing in Lombardy?" in page
        assert "unreleased implant" not in page
        assert "someone elsewhere" not in page
        assert "2 public questions" in page
    assert "MB, Lombardia, Italy" in page


def test_the_organisation_page_takes_the_same_queries_for_few_or_many_questions(
    client, make_user, login, count_queries
):
    organisation = _organisation("Brianza MedTech S.r.l.", "MB")
    members = [_member_of(make_user, organisation) for _ in range(3)]
    login(make_user())
    counts = []
    for added in (2, 25):
        for number in range(added):
            ask_question(members[number % 3], title=f"Question number {number} of {added}")
        with count_queries() as statements:
            response = client.get(f"/organisations/{organisation.id}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert "Page 1 of 2" in response.get_data(as_text=True)


def test_an_unknown_organisation_is_a_404(client):
    assert client.get("/organisations/4242").status_code == 404
    assert client.get(f"/organisations/{2**40}").status_code == 404


# --- the admins' pages -------------------------------------------------------------------


def test_admins_list_organisations_with_their_members_and_search_them(client, make_user, login):
    brianza = _organisation("Brianza MedTech S.r.l.", "MB")
    _organisation("Valtellina Medical Devices S.r.l.", "SO")
    for _ in range(3):
        _member_of(make_user, brianza)
    login(make_user(Role.ADMIN))
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert "2 organisations" in page
    row = re.search(r"Brianza MedTech S\.r\.l\.</a></td>(.*?)</tr>", page, re.S).group(1)
    assert "<td>MB</td>" in row and "<td>Lombardia</td>" in row and "<td>3</td>" in row
    found = client.get("/admin/organisations?q=valtellina").get_data(as_text=True)
    assert "1 organisation" in found and "Brianza" not in found
    by_region = client.get("/admin/organisations?q=lombardia").get_data(as_text=True)
    assert "2 organisations" in by_region
    assert "0 organisations" in client.get("/admin/organisations?q=%25").get_data(as_text=True)


def test_an_admin_edits_an_organisation_and_the_change_is_audited(client, make_user, login):
    organisation = _organisation("Cardioflow", "MI")
    admin = make_user(Role.ADMIN)
    login(admin)
    response = client.post(
        f"/admin/organisations/{organisation.id}",
        data={
            "organisation_name": "CardioFlow S.r.l.",
            "organisation_kind": "sme",
            "country": "IT",
            "province": "BS",
            "tax_code": "IT04122334453",
            "website": "https://cardioflow.example",
        },
    )
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert (
        organisation.name,
        organisation.province,
        organisation.region,
        organisation.tax_code,
    ) == ("CardioFlow S.r.l.", "BS", "Lombardia", "04122334453")
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.ORGANISATION_UPDATED.value)
    )
    assert entry.actor_id == admin.id and entry.subject_id == organisation.id
    assert (
        "province: MI -> BS" in entry.detail
        and "name: Cardioflow -> CardioFlow S.r.l." in entry.detail
    )


def test_an_admin_edit_with_bad_input_keeps_it_and_changes_nothing(client, make_user, login):
    organisation = _organisation("Cardioflow", "MI")
    _organisation("Brianza MedTech S.r.l.", "MB")
    login(make_user(Role.ADMIN))
    form = {
        "organisation_name": "Cardioflow",
        "organisation_kind": "sme",
        "country": "IT",
        "province": "MI",
        "website": "https://good.example@evil.example",
    }
    bad_site = client.post(f"/admin/organisations/{organisation.id}", data=form)
    page = bad_site.get_data(as_text=True)
    assert bad_site.status_code == 422 and 'id="website-error"' in page
    assert "https://good.example@evil.example" in page
    clash = client.post(
        f"/admin/organisations/{organisation.id}",
        data={**form, "website": "", "organisation_name": "brianza medtech s.r.l."},
    )
    assert clash.status_code == 422 and "merge the two instead" in clash.get_data(as_text=True)
    abroad = client.post(
        f"/admin/organisations/{organisation.id}",
        data={**form, "website": "", "country": "CH", "province_abroad": "x" * 81},
    )
    assert abroad.status_code == 422
    db.session.refresh(organisation)
    assert (organisation.name, organisation.website, organisation.country) == (
        "Cardioflow",
        None,
        "IT",
    )
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_merging_a_duplicate_moves_its_members_and_referrals_and_is_audited(
    client, make_user, login
):
    kept, twin = _organisation("CardioFlow S.r.l.", "BS"), _organisation("Cardioflow Srl", "BS")
    stays, moves = _member_of(make_user, kept), _member_of(make_user, twin)
    admin = make_user(Role.ADMIN)
    clinic = clinics.create_clinic(
        admin, ClinicDraft(name="Centro Cardiologico", city="Milano", specialties="Cardiology")
    )
    referral = facilitations.refer(ask_question(moves), clinic, make_user(Role.EXPERT), "Fits.")
    assert referral.organisation_id == twin.id
    twin_id, kept_id, referral_id, admin_id = twin.id, kept.id, referral.id, admin.id
    stays_name, moves_name = stays.display_name, moves.display_name
    login(admin)
    unconfirmed = client.post(f"/admin/organisations/{twin.id}/merge", data={"into": kept.id})
    assert unconfirmed.status_code == 422
    assert db.session.get(Organisation, twin.id) is not None
    merged = client.post(
        f"/admin/organisations/{twin.id}/merge", data={"into": kept.id, "confirm": "y"}
    )
    assert merged.status_code == 302 and merged.location.endswith(f"/admin/organisations/{kept_id}")
    db.session.remove()
    assert db.session.get(Organisation, twin_id) is None
    assert {
        user.display_name
        for user in db.session.scalars(select(User).where(User.organisation_id == kept_id))
    } == {stays_name, moves_name}
    assert db.session.get(Facilitation, referral_id).organisation_id == kept_id
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.ORGANISATIONS_MERGED.value)
    )
    assert entry.actor_id == admin_id and entry.subject_id == kept_id
    assert f"#{twin_id} 'Cardioflow Srl'" in entry.detail and "1 member(s) moved" in entry.detail
    page = client.get(f"/admin/organisations/{kept_id}").get_data(as_text=True)
    assert "Cardioflow Srl is merged into CardioFlow S.r.l.: 1 member moved." in page
    assert ">Cardioflow Srl</option>" not in page  # gone from the list to merge into


def test_an_organisation_cannot_be_merged_into_itself_or_into_nothing(client, make_user, login):
    organisation = _organisation("CardioFlow S.r.l.", "BS")
    login(make_user(Role.ADMIN))
    into_itself = client.post(
        f"/admin/organisations/{organisation.id}/merge",
        data={"into": organisation.id, "confirm": "y"},
    )
    assert into_itself.status_code == 422
    into_nothing = client.post(
        f"/admin/organisations/{organisation.id}/merge", data={"into": 424242, "confirm": "y"}
    )
    assert into_nothing.status_code == 422
    assert db.session.get(Organisation, organisation.id) is not None
    with pytest.raises(RuleViolation):
        organisations.merge(make_user(Role.ADMIN), organisation, organisation)


# --- the migration -------------------------------------------------------------------------


def test_the_migration_keeps_organisations_and_places_existing_ones_in_italy(app):
    organisation = creation.get_or_create_organisation("Brianza MedTech", OrganisationKind.SME)
    db.session.commit()
    organisation_id = organisation.id
    db.session.remove()  # no transaction may hold a lock the downgrade's DDL waits for
    downgrade(revision=BEFORE_THIS_MIGRATION)
    try:
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT name FROM organisation")) == "Brianza MedTech"
            db.session.remove()
    finally:
        upgrade()
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisation (name, kind, created_at) "
                "VALUES ('Added by hand', 'sme', CURRENT_TIMESTAMP)"
            )
        )
    rows = db.session.execute(
        select(Organisation.id, Organisation.country, Organisation.province).order_by(
            Organisation.name
        )
    ).all()
    assert [(row.country, row.province) for row in rows] == [("IT", None), ("IT", None)]
    assert organisation_id in {row.id for row in rows}


def test_the_edit_page_names_likely_duplicates_and_chooses_the_first_to_merge_into(
    client, make_user, login
):
    twin = _organisation("Cardioflow Srl", "BS")
    kept = _organisation("CardioFlow S.r.l.", "BS")
    same_tax = organisations.find_or_create(
        _draft(name="CF Devices", province="BS", tax_code="04122334453")
    )
    twin.tax_code = "04122334453"
    _organisation("Cardio Other S.r.l.", "BS")
    db.session.commit()
    assert [other.name for other in organisations.possible_duplicates(twin)] == [
        "CardioFlow S.r.l.",
        "CF Devices",
    ]
    assert organisations.possible_duplicates(same_tax) == [twin]
    login(make_user(Role.ADMIN))
    page = client.get(f"/admin/organisations/{twin.id}").get_data(as_text=True)
    assert "Possible duplicates" in page
    assert f'<option selected value="{kept.id}">CardioFlow S.r.l.</option>' in page
