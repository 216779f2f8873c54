"""The clinic directory: who sees the contact, search and filters, the admins' management."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditAction, AuditEntry, Clinic, Role, User
from forum.services import clinics, facilitations
from forum.services.clinics import ClinicDraft, ClinicFilters
from forum.services.errors import PermissionDenied
from tests.factories import ask_question

CONTACT_EMAIL = "trials.ambrosiano@example.org"


@dataclass
class People:
    admin: User
    expert: User
    member: User


@pytest.fixture
def people(make_user) -> People:
    return People(admin=make_user(Role.ADMIN), expert=make_user(Role.EXPERT), member=make_user())


def _draft(name: str, city: str = "Milano", **overrides) -> ClinicDraft:
    fields = {
        "name": name,
        "city": city,
        "specialties": "Cardiology; Electrophysiology",
        "populations": "Adults with atrial fibrillation",
        "hosts_device_studies": True,
        "contact_name": "Dr.ssa Laura Sala",
        "contact_email": f"{name.split()[0].lower()}@example.org",
        "contact_phone": "+39 02 0000 0101",
    }
    fields.update(overrides)
    return ClinicDraft(**fields)


@pytest.fixture
def directory(people) -> dict[str, Clinic]:
    add = lambda draft: clinics.create_clinic(people.admin, draft)  # noqa: E731
    return {
        "ambrosiano": add(_draft("Centro Cardiologico Ambrosiano", contact_email=CONTACT_EMAIL)),
        "ticinese": add(
            _draft(
                "Fondazione Neurologica Ticinese",
                "Pavia",
                specialties="Neurology; Sleep medicine",
                populations="Adults with chronic migraine",
            )
        ),
        "citta": add(
            _draft(
                "Clinica Città Alta",
                "Bergamo",
                specialties="Rehabilitation\nNeurorehabilitation",
                populations="Adults after a stroke; Upper-limb impairment",
            )
        ),
        "cantu": add(
            _draft(
                "Poliambulatorio Brianteo",
                "Cantù",
                specialties="cardiology; Dermatology",
                populations="Adults with chronic wounds",
                hosts_device_studies=False,
            )
        ),
    }


def _names(page) -> list[str]:
    return [clinic.name for clinic in page.items]


# --- the contact -------------------------------------------------------------------------


def test_the_contact_is_hidden_from_visitors_and_members(client, login, people, directory):
    clinic = directory["ambrosiano"]
    for who in (None, people.member):
        if who is not None:
            login(who)
        for url in ("/clinics", f"/clinics/{clinic.id}"):
            page = client.get(url).get_data(as_text=True)
            assert "Centro Cardiologico Ambrosiano" in page
            assert CONTACT_EMAIL not in page and "Dr.ssa Laura Sala" not in page
            assert "+39 02 0000 0101" not in page


def test_the_contact_is_shown_to_experts_and_admins(client, login, people, directory):
    clinic = directory["ambrosiano"]
    for who in (people.expert, people.admin):
        login(who)
        for url in ("/clinics", f"/clinics/{clinic.id}"):
            page = client.get(url).get_data(as_text=True)
            assert CONTACT_EMAIL in page and "Dr.ssa Laura Sala" in page


def test_the_contact_rule_is_experts_and_admins(people):
    from flask_login import AnonymousUserMixin

    from forum.permissions import can_manage_clinics, can_see_clinic_contact

    assert not can_see_clinic_contact(AnonymousUserMixin())
    assert not can_see_clinic_contact(people.member)
    assert can_see_clinic_contact(people.expert) and can_see_clinic_contact(people.admin)
    assert can_manage_clinics(people.admin)
    assert not can_manage_clinics(people.expert) and not can_manage_clinics(people.member)


# --- search and filters ----------------------------------------------------------------


def test_search_matches_name_city_specialties_and_populations(people, directory):
    def search(text):
        return _names(clinics.list_clinics(people.member, ClinicFilters(query=text)))

    assert search("ambrosiano") == ["Centro Cardiologico Ambrosiano"]
    assert search("PAVIA") == ["Fondazione Neurologica Ticinese"]
    assert search("sleep") == ["Fondazione Neurologica Ticinese"]
    assert search("stroke") == ["Clinica Città Alta"]
    assert search("cardiology") == ["Centro Cardiologico Ambrosiano", "Poliambulatorio Brianteo"]
    # Every word must match, in any field.
    assert search("cardiology milano") == ["Centro Cardiologico Ambrosiano"]
    assert search("nothing like this") == []


def test_search_tolerates_accents_both_ways(people, directory):
    def search(text):
        return _names(clinics.list_clinics(people.member, ClinicFilters(query=text)))

    assert search("citta alta") == ["Clinica Città Alta"]
    assert search("cantu") == ["Poliambulatorio Brianteo"]
    assert search("Cantù") == ["Poliambulatorio Brianteo"]


def test_filters_by_city_specialty_and_device_studies(people, directory):
    def listed(**filters):
        return _names(clinics.list_clinics(people.member, ClinicFilters(**filters)))

    assert listed(city="Pavia") == ["Fondazione Neurologica Ticinese"]
    # The specialty is a whole entry, in any case: "Neurology" is not "Neurorehabilitation".
    assert listed(specialty="Neurology") == ["Fondazione Neurologica Ticinese"]
    assert listed(specialty="Cardiology") == [
        "Centro Cardiologico Ambrosiano",
        "Poliambulatorio Brianteo",
    ]
    assert "Poliambulatorio Brianteo" not in listed(device_studies_only=True)
    assert listed(specialty="Cardiology", device_studies_only=True) == [
        "Centro Cardiologico Ambrosiano"
    ]
    assert listed(city="Nowhere") == []


def test_the_directory_page_searches_and_filters(client, directory):
    page = client.get("/clinics?q=stroke").get_data(as_text=True)
    assert "Clinica Città Alta" in page and "Centro Cardiologico Ambrosiano" not in page
    assert 'type="search"' in page and 'name="q"' in page
    page = client.get("/clinics?city=Pavia&specialty=Neurology&device=1").get_data(as_text=True)
    assert "Fondazione Neurologica Ticinese" in page and "Clinica Città Alta" not in page
    page = client.get("/clinics?city=Cant%C3%B9").get_data(as_text=True)
    assert "Poliambulatorio Brianteo" in page and "1 clinic" in page
    # Filter choices list each city and specialty once.
    page = client.get("/clinics").get_data(as_text=True)
    assert page.count('<option value="Cardiology"') == 1
    assert '<option value="Bergamo"' in page


def test_odd_input_in_the_directory_is_never_an_error(client, directory):
    for query in (
        "?page=0",
        "?page=99999999999999",
        "?page=abc",
        "?device=yes",
        "?q=" + "x" * 5000,
        "?specialty=%E2%80%94",
        "?city=",
    ):
        assert client.get("/clinics" + query).status_code == 200


def test_cities_and_specialties_are_listed_once_each(people, directory):
    assert clinics.cities(people.member) == ["Bergamo", "Cantù", "Milano", "Pavia"]
    specialties = clinics.specialties(people.member)
    assert specialties == sorted(specialties, key=clinics.fold)
    assert [s.lower() for s in specialties].count("cardiology") == 1
    assert "Neurorehabilitation" in specialties


def test_the_directory_is_paginated(client, people):
    for number in range(25):
        clinics.create_clinic(people.admin, _draft(f"Clinic {number:02d}"))
    page = clinics.list_clinics(people.member, ClinicFilters(), page=2, per_page=20)
    assert page.total == 25 and page.pages == 2 and len(page.items) == 5
    assert page.items[0].name == "Clinic 20" and page.has_prev and not page.has_next
    html = client.get("/clinics").get_data(as_text=True)
    assert "Page 1 of 2" in html and 'rel="next" href="/clinics?page=2"' in html


def test_inactive_clinics_are_listed_and_shown_to_admins_only(client, login, people, directory):
    clinic = directory["ticinese"]
    clinics.deactivate(clinic, people.admin)
    assert "Fondazione Neurologica Ticinese" not in _names(
        clinics.list_clinics(people.expert, ClinicFilters())
    )
    assert "Pavia" not in clinics.cities(people.expert)
    assert client.get(f"/clinics/{clinic.id}").status_code == 404
    login(people.expert)
    assert client.get(f"/clinics/{clinic.id}").status_code == 404
    login(people.admin)
    page = client.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert "deactivated" in page and "Reactivate" in page
    assert "Inactive" in client.get("/clinics").get_data(as_text=True)


def test_an_unknown_clinic_is_404(client, login, people):
    assert client.get("/clinics/999").status_code == 404
    login(people.admin)
    assert client.get("/clinics/999").status_code == 404
    assert client.get("/clinics/999/edit").status_code == 404
    assert client.post("/clinics/999/deactivate").status_code == 404
    huge = "99999999999999999999999"  # beyond any database integer: still a 404, not a 500
    assert client.get(f"/clinics/{huge}").status_code == 404
    assert client.get(f"/clinics/{huge}/edit").status_code == 404
    assert client.post(f"/clinics/{huge}/reactivate").status_code == 404


def test_the_directory_runs_a_fixed_number_of_queries(client, login, people, count_queries):
    login(people.expert)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/clinics?device=1").status_code == 200
        return len(statements)

    clinics.create_clinic(people.admin, _draft("Only Clinic"))
    few = queries()
    for number in range(15):
        clinics.create_clinic(people.admin, _draft(f"Clinic {number:02d}", f"City {number}"))
    # The viewer, the clinics, the cities, the specialties, the unread notifications.
    assert queries() == few <= 5


def test_the_clinic_page_runs_a_fixed_number_of_queries(
    client, login, people, directory, count_queries
):
    clinic = directory["ambrosiano"]
    author = people.member
    login(people.expert)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get(f"/clinics/{clinic.id}").status_code == 200
        return len(statements)

    facilitations.refer(
        ask_question(author, title="The first question to refer here"),
        clinic,
        people.expert,
        "A good match.",
    )
    few = queries()
    for number in range(5):
        facilitations.refer(
            ask_question(author, title=f"Another question number {number}"),
            clinic,
            people.expert,
            "A good match.",
        )
    assert queries() == few


# --- management ----------------------------------------------------------------------


def _clinic_form(**overrides) -> dict:
    form = {
        "name": "Ospedale Civico di Lario",
        "city": "Como",
        "specialties": "Cardiology\nNeurology; General surgery",
        "populations": "Adults with heart failure",
        "hosts_device_studies": "y",
        "description": "A general hospital with a research office.",
        "contact_name": "Dott. Andrea Moretti",
        "contact_email": "ricerca.lario@example.org",
        "contact_phone": "+39 031 000 0202",
    }
    form.update(overrides)
    return form


def test_visitors_are_sent_to_log_in_to_manage_clinics(client, directory):
    clinic = directory["ambrosiano"]
    for method, url in (
        ("get", "/clinics/new"),
        ("post", "/clinics/new"),
        ("get", f"/clinics/{clinic.id}/edit"),
        ("post", f"/clinics/{clinic.id}/edit"),
        ("post", f"/clinics/{clinic.id}/deactivate"),
        ("post", f"/clinics/{clinic.id}/reactivate"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_only_admins_manage_clinics(client, login, people, directory):
    clinic = directory["ambrosiano"]
    for who in (people.member, people.expert):
        login(who)
        assert client.get("/clinics/new").status_code == 403
        assert client.post("/clinics/new", data=_clinic_form()).status_code == 403
        assert client.get(f"/clinics/{clinic.id}/edit").status_code == 403
        assert client.post(f"/clinics/{clinic.id}/edit", data=_clinic_form()).status_code == 403
        assert client.post(f"/clinics/{clinic.id}/deactivate").status_code == 403
        assert client.post(f"/clinics/{clinic.id}/reactivate").status_code == 403
        page = client.get(f"/clinics/{clinic.id}").get_data(as_text=True)
        assert "Edit clinic" not in page and "Deactivate" not in page
        with pytest.raises(PermissionDenied):
            clinics.create_clinic(who, _draft("Not allowed"))
        with pytest.raises(PermissionDenied):
            clinics.deactivate(clinic, who)
    assert db.session.get(Clinic, clinic.id).active
    assert (
        db.session.scalar(select(Clinic).where(Clinic.name == "Ospedale Civico di Lario")) is None
    )


def test_an_admin_adds_a_clinic_and_it_is_audited(client, login, people):
    login(people.admin)
    assert client.get("/clinics/new").status_code == 200
    response = client.post("/clinics/new", data=_clinic_form())
    assert response.status_code == 302
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == "Ospedale Civico di Lario"))
    assert clinic.active and clinic.hosts_device_studies
    assert clinic.specialties == "Cardiology; Neurology; General surgery"
    assert response.headers["Location"].endswith(f"/clinics/{clinic.id}")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.subject_type == "Clinic"))
    assert entry.action == AuditAction.CLINIC_CREATED and entry.actor_id == people.admin.id
    assert entry.subject_id == clinic.id


def test_a_clinic_form_with_errors_comes_back_with_the_input_and_messages(
    client, login, people, directory
):
    login(people.admin)
    response = client.post(
        "/clinics/new",
        data=_clinic_form(name="Centro Cardiologico Ambrosiano", contact_email="not an address"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Invalid email address" in page and 'value="not an address"' in page
    # The service's rule, beside its field, once the form itself is valid.
    response = client.post("/clinics/new", data=_clinic_form(name="centro cardiologico ambrosiano"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Another clinic already has this name." in page
    assert 'id="name-error"' in page and "Adults with heart failure" in page
    response = client.post("/clinics/new", data=_clinic_form(city=""))
    assert response.status_code == 422 and 'id="city-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Clinic).where(Clinic.city == "Como")) is None


def test_an_admin_edits_deactivates_and_reactivates_a_clinic_with_audit(
    client, login, people, directory
):
    clinic = directory["ticinese"]
    login(people.admin)
    page = client.get(f"/clinics/{clinic.id}/edit").get_data(as_text=True)
    assert "Neurology\nSleep medicine" in page
    response = client.post(
        f"/clinics/{clinic.id}/edit",
        data=_clinic_form(
            name="Fondazione Neurologica Ticinese", city="Pavia", hosts_device_studies=""
        ),
    )
    assert response.status_code == 302
    clinic = db.session.get(Clinic, clinic.id)
    assert clinic.city == "Pavia" and not clinic.hosts_device_studies
    assert clinic.contact_email == "ricerca.lario@example.org"
    response = client.post(
        f"/clinics/{clinic.id}/edit", data=_clinic_form(name="Clinica Città Alta")
    )
    assert response.status_code == 422
    assert "Another clinic already has this name." in response.get_data(as_text=True)

    assert client.post(f"/clinics/{clinic.id}/deactivate").status_code == 302
    assert not db.session.get(Clinic, clinic.id).active
    assert client.post(f"/clinics/{clinic.id}/reactivate").status_code == 302
    assert db.session.get(Clinic, clinic.id).active
    details = list(
        db.session.scalars(
            select(AuditEntry.detail)
            .where(
                AuditEntry.action == AuditAction.CLINIC_UPDATED, AuditEntry.subject_id == clinic.id
            )
            .order_by(AuditEntry.id)
        )
    )
    assert details == ["edited", "deactivated", "reactivated"]


def test_deactivating_needs_the_csrf_token(client, login, people, directory):
    clinic = directory["ambrosiano"]
    login(people.admin)
    assert client.post(f"/clinics/{clinic.id}/deactivate", csrf=False).status_code == 400
    assert db.session.get(Clinic, clinic.id).active


def test_the_main_navigation_links_the_clinics(client):
    assert 'href="/clinics">Clinics' in client.get("/").get_data(as_text=True)
