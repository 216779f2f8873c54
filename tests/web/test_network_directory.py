"""The Lombardy-Limburg network's directory (issue 29): who sees which profile and contact,
who edits, the filters, the admins' curation and vocabularies, and the pages' query counts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    Capability,
    NetworkProfile,
    NetworkRegion,
    Organisation,
    OrganisationKind,
    Specialisation,
)
from forum.services import network_directory, network_vocabulary
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.network_directory import ProfileDraft
from forum.services.network_vocabulary import Vocabulary


def _term(model, slug: str):
    return db.session.scalar(select(model).where(model.slug == slug))


def _organisation(name: str, kind=OrganisationKind.SME, province="MI") -> Organisation:
    organisation = Organisation(name=name, kind=kind, province=province, region="Lombardia")
    db.session.add(organisation)
    db.session.commit()
    return organisation


def _profile(
    admin,
    name: str,
    *,
    listed: bool = True,
    region: NetworkRegion = NetworkRegion.LOMBARDY,
    kind: OrganisationKind = OrganisationKind.SME,
    specialisations: tuple[str, ...] = ("imaging",),
    offers: tuple[str, ...] = ("prototyping",),
    needs: tuple[str, ...] = ("clinical-validation",),
) -> NetworkProfile:
    return network_directory.create_profile(
        admin,
        _organisation(name, kind),
        ProfileDraft(
            region=region,
            city="Milano" if region == NetworkRegion.LOMBARDY else "Maastricht",
            listed=listed,
            description=f"{name} does things.\n\nA second <paragraph>.",
            offer_text="Our prototyping lab.",
            need_text="A clinical site.",
            contact_name="Partnerships desk",
            contact_email=f"desk@{name.split()[0].lower()}.example.org",
            contact_phone="+39 02 5550 0100",
            specialisation_ids=[_term(Specialisation, slug).id for slug in specialisations],
            offer_ids=[_term(Capability, slug).id for slug in offers],
            need_ids=[_term(Capability, slug).id for slug in needs],
        ),
    )


@pytest.fixture
def network(people):
    """A listed profile (the asker's organisation's), an unlisted one of an organisation
    nobody here belongs to, and a listed Dutch one."""
    own = _profile(people.admin, "Orobie Devices S.r.l.")
    people.asker.organisation_id = own.organisation_id
    db.session.commit()
    hidden = _profile(people.admin, "Quiet Implants S.r.l.", listed=False)
    dutch = _profile(
        people.admin,
        "Maasoever Imaging B.V.",
        region=NetworkRegion.LIMBURG,
        kind=OrganisationKind.START_UP,
        specialisations=("cardiovascular",),
        offers=("clinical-validation",),
        needs=("funding",),
    )
    return {"own": own, "hidden": hidden, "dutch": dutch}


def _form(profile: NetworkProfile, **overrides) -> dict:
    form = {
        "region": profile.region.value,
        "city": profile.city,
        "description": profile.description,
        "specialisations": [str(term.id) for term in profile.specialisations],
        "offers": [str(term.id) for term in profile.offers],
        "needs": [str(term.id) for term in profile.needs],
        "contact_name": profile.contact_name,
        "contact_email": profile.contact_email,
        "listed": "y" if profile.listed else "",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value != ""}


# --- who sees what ----------------------------------------------------------------------------


def test_a_visitor_sees_listed_profiles_without_their_contacts(client, network):
    page = client.get("/network").get_data(as_text=True)

    assert "Orobie Devices S.r.l." in page and "Maasoever Imaging B.V." in page
    assert "Quiet Implants S.r.l." not in page
    assert "desk@orobie.example.org" not in page and "Partnerships desk" not in page
    profile = client.get(f"/network/organisations/{network['own'].id}").get_data(as_text=True)
    assert "Our prototyping lab." in profile and "desk@orobie.example.org" not in profile
    assert "signed-in members of the network" in profile


def test_an_unlisted_profile_is_its_organisations_and_the_admins_only(
    client, login, people, network
):
    hidden = f"/network/organisations/{network['hidden'].id}"
    assert client.get(hidden).status_code == 404
    login(people.other)
    assert client.get(hidden).status_code == 404
    assert "Quiet Implants S.r.l." not in client.get("/network").get_data(as_text=True)
    login(people.expert)
    assert client.get(hidden).status_code == 404

    people.other.organisation_id = network["hidden"].organisation_id
    db.session.commit()
    login(people.other)
    assert client.get(hidden).status_code == 200
    assert "Quiet Implants S.r.l." in client.get("/network").get_data(as_text=True)
    login(people.admin)
    page = client.get(hidden).get_data(as_text=True)
    assert "Unlisted" in page


def test_contacts_are_shown_to_network_members_only(client, login, people, network):
    own = f"/network/organisations/{network['own'].id}"
    login(people.other)  # signed in, but no organisation in the directory
    assert "desk@orobie.example.org" not in client.get(own).get_data(as_text=True)
    assert "desk@orobie.example.org" not in client.get("/network").get_data(as_text=True)

    for member in (people.asker, people.expert, people.admin):
        login(member)
        assert "desk@orobie.example.org" in client.get(own).get_data(as_text=True)
        assert "desk@maasoever.example.org" in client.get("/network").get_data(as_text=True)


def test_plain_text_is_shown_as_escaped_paragraphs(client, network):
    page = client.get(f"/network/organisations/{network['own'].id}").get_data(as_text=True)

    assert "<p>Orobie Devices S.r.l. does things.</p>" in page
    assert "<p>A second &lt;paragraph&gt;.</p>" in page


def test_terms_are_named_in_the_readers_language(client, network):
    client.get("/language?locale=it")
    page = client.get(f"/network/organisations/{network['dutch'].id}").get_data(as_text=True)

    assert "Cardiovascolare" in page and "Centro per la validazione clinica" in page


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("region=limburg", {"Maasoever Imaging B.V."}),
        ("kind=sme", {"Orobie Devices S.r.l."}),
        ("q=maas", {"Maasoever Imaging B.V."}),
        ("q=S.R.L", {"Orobie Devices S.r.l."}),
        ("q=100%25", set()),
        ("", {"Orobie Devices S.r.l.", "Maasoever Imaging B.V."}),
    ],
)
def test_the_directory_filters_by_region_kind_and_name(client, network, query, found):
    page = client.get(f"/network?{query}").get_data(as_text=True)

    shown = {name for name in ("Orobie Devices S.r.l.", "Maasoever Imaging B.V.") if name in page}
    assert shown == found


def test_the_directory_filters_by_specialisation_and_capability_offered(client, network):
    cardio = _term(Specialisation, "cardiovascular").id
    validation = _term(Capability, "clinical-validation").id
    prototyping = _term(Capability, "prototyping").id

    by_field = client.get(f"/network?specialisation={cardio}").get_data(as_text=True)
    assert "Maasoever Imaging B.V." in by_field and "Orobie Devices S.r.l." not in by_field
    # Offered, not sought: Orobie seeks clinical validation, Maasoever offers it.
    offering = client.get(f"/network?offer={validation}").get_data(as_text=True)
    assert "Maasoever Imaging B.V." in offering and "Orobie Devices S.r.l." not in offering
    offering = client.get(f"/network?offer={prototyping}").get_data(as_text=True)
    assert "Orobie Devices S.r.l." in offering and "Maasoever Imaging B.V." not in offering


def test_a_hand_edited_filter_is_refused_not_a_500(client, network):
    assert client.get("/network?specialisation=999999").status_code == 400
    assert client.get("/network?region=mars").status_code == 200  # shown as "any region"
    assert client.get("/network?q=" + "x" * 300).status_code == 400


# --- editing ----------------------------------------------------------------------------------


def test_an_organisations_member_edits_its_profile(client, login, people, network):
    own = network["own"]
    login(people.asker)
    assert client.get(f"/network/organisations/{own.id}/edit").status_code == 200

    response = client.post(
        f"/network/organisations/{own.id}/edit",
        data=_form(own, city="Bergamo", need_text="Patients with heart failure."),
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert own.city == "Bergamo" and own.need_text == "Patients with heart failure."
    assert own.updated_by_id == people.asker.id
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.NETWORK_PROFILE_UPDATED)
    )
    assert entry.actor_id == people.asker.id and entry.subject_id == own.id


def test_another_organisations_member_may_not_edit(client, login, people, network):
    login(people.other)
    dutch = network["dutch"]
    assert client.get(f"/network/organisations/{dutch.id}/edit").status_code == 403
    assert client.post(
        f"/network/organisations/{dutch.id}/edit", data=_form(dutch)
    ).status_code == (403)
    login(people.expert)
    assert client.get(f"/network/organisations/{dutch.id}/edit").status_code == 403
    with pytest.raises(PermissionDenied):
        network_directory.update_profile(people.other, dutch, network_directory.draft_of(dutch))


def test_a_visitor_is_sent_to_log_in_to_edit(client, network):
    response = client.get(f"/network/organisations/{network['own'].id}/edit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_bad_input_comes_back_beside_its_field_and_saves_nothing(client, login, people, network):
    own = network["own"]
    login(people.asker)

    response = client.post(
        f"/network/organisations/{own.id}/edit",
        data=_form(
            own,
            city="Typed city",
            contact_email="not an address",
            contact_phone="call me",
            specialisations=["999999"],
        ),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not an address is not an e-mail address" in page
    assert 'value="Typed city"' in page
    db.session.expire_all()
    assert own.city == "Milano" and own.contact_email == "desk@orobie.example.org"


def test_a_profile_without_a_region_is_refused(client, login, people, network):
    own = network["own"]
    login(people.asker)
    response = client.post(f"/network/organisations/{own.id}/edit", data=_form(own, region="mars"))
    assert response.status_code == 422


def test_my_organisation_leads_to_its_profile_or_to_the_form_to_create_it(
    client, login, people, network
):
    login(people.asker)
    response = client.get("/network/my-organisation")
    assert response.headers["Location"].endswith(f"/network/organisations/{network['own'].id}")

    login(people.other)  # no organisation at all
    assert "belongs to no organisation" in client.get("/network/my-organisation").get_data(
        as_text=True
    )
    people.other.organisation = Organisation(
        name="Newcomer Devices S.r.l.", kind=OrganisationKind.START_UP, province="BG"
    )
    db.session.commit()
    assert client.get("/network/my-organisation").status_code == 200
    response = client.post(
        "/network/my-organisation",
        data={
            "region": "lombardy",
            "city": "Bergamo",
            "offers": [str(_term(Capability, "prototyping").id)],
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(
        select(NetworkProfile).where(NetworkProfile.organisation_id == people.other.organisation_id)
    )
    assert created.city == "Bergamo" and not created.listed  # unlisted unless agreed


def test_an_admin_adds_an_organisation_picked_or_new_and_deletes_a_profile(
    client, login, people, network
):
    login(people.admin)
    assert client.get("/admin/network").status_code == 200
    assert "Quiet Implants S.r.l." in client.get("/admin/network").get_data(as_text=True)
    response = client.post(
        "/admin/network/new",
        data={
            "organisation": "",
            "organisation_name": "Venlo Sensors B.V.",
            "organisation_kind": "start-up",
            "country": "NL",
            "region": "limburg",
            "city": "Venlo",
            "listed": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    venlo = db.session.scalar(
        select(NetworkProfile)
        .join(NetworkProfile.organisation)
        .where(Organisation.name == "Venlo Sensors B.V.")
    )
    assert venlo.region == NetworkRegion.LIMBURG and venlo.organisation.country == "NL"

    again = client.post(
        "/admin/network/new",
        data={
            "organisation": str(venlo.organisation_id),
            "organisation_kind": "start-up",
            "country": "NL",
            "region": "limburg",
        },
    )
    assert again.status_code == 422
    assert "is in the directory already" in again.get_data(as_text=True)

    venlo_id = venlo.id
    assert client.post(f"/admin/network/organisations/{venlo_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(NetworkProfile, venlo_id) is None
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == AuditAction.NETWORK_PROFILE_DELETED
            )
        )
        == 1
    )


def test_only_admins_curate(client, login, people, network):
    login(people.asker)
    for path in ("/admin/network", "/admin/network/new", "/admin/network/vocabulary"):
        assert client.get(path).status_code == 403
    assert client.post(f"/admin/network/organisations/{network['own'].id}/delete").status_code == (
        403
    )
    assert db.session.get(NetworkProfile, network["own"].id) is not None


# --- vocabularies -----------------------------------------------------------------------------


def test_an_admin_adds_and_renames_terms_in_both_languages(client, login, people):
    login(people.admin)
    response = client.post(
        "/admin/network/vocabulary/specialisations/add",
        data={
            "specialisations-name_en": "Dental devices",
            "specialisations-name_it": "Odontoiatria",
        },
    )
    assert response.status_code == 302
    term = _term(Specialisation, "dental-devices")
    assert term.name_it == "Odontoiatria"

    response = client.post(
        f"/admin/network/vocabulary/specialisations/{term.id}",
        data={"name_en": "Dental and maxillofacial devices", "name_it": "Odontoiatria e maxillo"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert term.slug == "dental-devices" and term.name_en == "Dental and maxillofacial devices"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {AuditAction.NETWORK_TERM_ADDED, AuditAction.NETWORK_TERM_RENAMED} <= actions


def test_a_term_needs_both_names_unique(client, login, people):
    login(people.admin)
    taken = client.post(
        "/admin/network/vocabulary/capabilities/add",
        data={"capabilities-name_en": "Prototyping and engineering", "capabilities-name_it": "X"},
    )
    assert taken.status_code == 422
    assert "Another term has this name." in taken.get_data(as_text=True)
    blank = client.post(
        "/admin/network/vocabulary/capabilities/add",
        data={"capabilities-name_en": "Testing", "capabilities-name_it": ""},
    )
    assert blank.status_code == 422
    assert _term(Capability, "testing") is None
    assert client.get("/admin/network/vocabulary/colours").status_code == 404


def test_a_term_slug_is_made_unique(people):
    first = network_vocabulary.add_term(
        people.admin, Vocabulary.CAPABILITIES, "Biobank", "Biobanca"
    )
    second = network_vocabulary.add_term(
        people.admin, Vocabulary.CAPABILITIES, "Biobank!", "Biobanca!"
    )
    assert (first.slug, second.slug) == ("biobank", "biobank-2")
    with pytest.raises(RuleViolation):
        network_vocabulary.add_term(people.admin, Vocabulary.CAPABILITIES, "biobank", "Altro")
    with pytest.raises(PermissionDenied):
        network_vocabulary.add_term(people.asker, Vocabulary.CAPABILITIES, "Other", "Altro")


# --- queries ----------------------------------------------------------------------------------


def test_the_directory_runs_a_fixed_number_of_queries(client, login, people, count_queries):
    login(people.asker)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/network").status_code == 200
        return len(statements)

    _profile(people.admin, "First Devices S.r.l.")
    few = queries()
    for number in range(12):
        _profile(
            people.admin,
            f"Device Maker {number:02d} S.r.l.",
            specialisations=("imaging", "oncology"),
        )
    assert queries() == few


def test_the_profile_page_runs_a_fixed_number_of_queries(client, login, people, count_queries):
    login(people.admin)
    few_terms = _profile(people.admin, "Few Terms S.r.l.")
    many_terms = _profile(
        people.admin,
        "Many Terms S.r.l.",
        specialisations=("imaging", "oncology", "diagnostics", "wearables"),
        offers=("prototyping", "manufacturing", "data-ai"),
        needs=("funding", "market-access", "clinical-validation"),
    )

    def queries(profile) -> int:
        with count_queries() as statements:
            assert client.get(f"/network/organisations/{profile.id}").status_code == 200
        return len(statements)

    assert queries(few_terms) == queries(many_terms)


def test_an_admins_new_organisation_is_checked_beside_its_own_fields(client, login, people):
    login(people.admin)
    response = client.post(
        "/admin/network/new",
        data={
            "organisation": "",
            "organisation_name": "Lombard Newco S.r.l.",
            "organisation_kind": "sme",
            "country": "IT",
            "province": "",
            "region": "lombardy",
            "city": "Typed city",
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the province from the list." in page and 'value="Typed city"' in page
    assert db.session.scalar(select(func.count(Organisation.id))) == 0
    assert db.session.scalar(select(func.count(NetworkProfile.id))) == 0


def test_two_submissions_creating_one_organisations_profile_give_one_profile_and_a_message(
    people, database_url
):
    """The second of two requests at once has checked "no profile yet" before the first
    committed: the unique organisation refuses its row, and it gets the form's message,
    not an error page."""
    from sqlalchemy import create_engine, insert

    organisation = _organisation("Twin Clicks S.r.l.")
    assert organisation.network_profile is None  # loaded now, as the second request had
    other_request = create_engine(database_url)
    try:
        with other_request.begin() as connection:
            connection.execute(
                insert(NetworkProfile.__table__).values(
                    organisation_id=organisation.id,
                    region="lombardy",
                    city="",
                    listed=False,
                    description="",
                    offer_text="",
                    need_text="",
                    contact_name="",
                    contact_email="",
                    contact_phone="",
                    created_at=organisation.created_at,
                    updated_at=organisation.created_at,
                )
            )
    finally:
        other_request.dispose()
    with pytest.raises(RuleViolation) as refused:
        network_directory.create_profile(
            people.admin, organisation, ProfileDraft(region=NetworkRegion.LOMBARDY)
        )
    assert refused.value.field == "organisation"
    assert "Twin Clicks S.r.l." in str(refused.value.message)
    assert db.session.scalar(select(func.count()).select_from(NetworkProfile)) == 1
