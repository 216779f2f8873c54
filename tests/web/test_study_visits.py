"""The network's visits: the admins record them, everyone reads what is public of them, the
network's members read the notes, signed-in people register interest once, and the admins
read and export who did."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from forum import calendar
from forum.demo.study_visits import seed_feasibility_notes, seed_study_visits
from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    NetworkRegion,
    OrganisationKind,
    StudyVisit,
    VisitInterest,
    VisitKind,
    VisitStatus,
)
from forum.services import study_visits
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.study_visits import VisitDraft
from tests.factories import make_network_profile


@pytest.fixture
def directory():
    """Four organisations of the directory: three listed, one not."""
    return {
        "polimi": make_network_profile(
            "Lombard MedTech Lab", NetworkRegion.LOMBARDY, kind=OrganisationKind.RESEARCH
        ),
        "campus": make_network_profile(
            "Maas Health Campus", NetworkRegion.LIMBURG, kind=OrganisationKind.CLUSTER
        ),
        "orthotech": make_network_profile("OrthoTech Limburg B.V.", NetworkRegion.LIMBURG),
        "stealth": make_network_profile(
            "Stealth Implants S.r.l.", NetworkRegion.LOMBARDY, listed=False
        ),
    }


def _draft(directory, **changes) -> VisitDraft:
    values = {
        "kind": VisitKind.STUDY_VISIT,
        "title": "Lombard delegation to Maastricht",
        "starts_on": calendar.today() + timedelta(days=30),
        "ends_on": calendar.today() + timedelta(days=31),
        "place": "Maastricht, Health Campus",
        "programme": "Day one: the campus.\n\nDay two: the hospital's trial unit.",
        "participant_ids": [directory["polimi"].id, directory["stealth"].id],
        "notes": "The campus offered a shared cleanroom.",
    }
    values.update(changes)
    return VisitDraft(**values)


def _form(directory, **changes) -> dict:
    start = calendar.today() + timedelta(days=30)
    form = {
        "kind": "study-visit",
        "title": "Return visit to Milan",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1)).isoformat(),
        "place": "Milan, MIND innovation district",
        "host_profile_id": "",
        "programme": "Morning: the labs.",
        "participant_ids": [str(directory["campus"].id), str(directory["orthotech"].id)],
        "status": "planned",
        "registration_open": "y",
        "notes": "Bring the shared cleanroom proposal.",
        "follow_ups": "",
    }
    form.update(changes)
    return form


def _visits() -> int:
    return db.session.scalar(select(func.count()).select_from(StudyVisit))


# --- the admins record visits ---------------------------------------------------------------


def test_an_admin_records_a_visit_through_the_form_and_it_is_audited(
    client, login, people, directory
):
    login(people.admin)
    assert client.get("/admin/network/visits/new").status_code == 200
    response = client.post("/admin/network/visits/new", data=_form(directory))
    assert response.status_code == 303
    visit = db.session.scalar(select(StudyVisit))
    assert response.location.endswith(f"/network/visits/{visit.id}")
    assert visit.title == "Return visit to Milan"
    assert {profile.id for profile in visit.participants} == {
        directory["campus"].id,
        directory["orthotech"].id,
    }
    assert visit.registration_open and visit.status == VisitStatus.PLANNED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.subject_type == "StudyVisit"))
    assert entry.action == AuditAction.STUDY_VISIT_CREATED.value
    assert entry.actor_id == people.admin.id


def test_a_visit_ending_before_it_starts_is_refused_beside_the_field_and_kept_typed(
    client, login, people, directory
):
    login(people.admin)
    start = calendar.today() + timedelta(days=10)
    response = client.post(
        "/admin/network/visits/new",
        data=_form(
            directory,
            starts_on=start.isoformat(),
            ends_on=(start - timedelta(days=2)).isoformat(),
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The visit cannot end before it starts." in page
    assert 'value="Return visit to Milan"' in page
    assert _visits() == 0


def test_an_unknown_organisation_is_refused_and_nothing_is_written(
    client, login, people, directory
):
    login(people.admin)
    response = client.post(
        "/admin/network/visits/new",
        data=_form(directory, participant_ids=[str(directory["campus"].id), "987654"]),
    )
    assert response.status_code == 422
    assert "not a valid choice" in response.get_data(as_text=True)
    assert _visits() == 0
    # The service holds the same rule for its other callers.
    with pytest.raises(RuleViolation) as refused:
        study_visits.create_visit(people.admin, _draft(directory, participant_ids=[987654]))
    assert refused.value.field == "participant_ids"
    db.session.rollback()
    assert _visits() == 0


def test_an_individual_visit_needs_its_host_and_follow_ups_wait_until_it_is_held(people, directory):
    with pytest.raises(RuleViolation) as refused:
        study_visits.create_visit(people.admin, _draft(directory, kind=VisitKind.INDIVIDUAL))
    assert refused.value.field == "host_profile_id"
    with pytest.raises(RuleViolation) as refused:
        study_visits.create_visit(
            people.admin, _draft(directory, follow_ups="Write a joint I3 proposal.")
        )
    assert refused.value.field == "follow_ups"
    with pytest.raises(RuleViolation) as refused:
        study_visits.create_visit(people.admin, _draft(directory, status=VisitStatus.HELD))
    assert refused.value.field == "status"
    db.session.rollback()
    assert _visits() == 0


def test_only_admins_record_visits(people, directory):
    with pytest.raises(PermissionDenied):
        study_visits.create_visit(people.expert, _draft(directory))


def test_an_admin_edits_a_visit_into_a_held_one_with_follow_ups(client, login, people, directory):
    past = calendar.today() - timedelta(days=3)
    visit = study_visits.create_visit(people.admin, _draft(directory, starts_on=past, ends_on=past))
    login(people.admin)
    page = client.get(f"/admin/network/visits/{visit.id}/edit").get_data(as_text=True)
    assert 'value="Lombard delegation to Maastricht"' in page
    response = client.post(
        f"/admin/network/visits/{visit.id}/edit",
        data=_form(
            directory,
            title="Lombard delegation to Maastricht",
            starts_on=past.isoformat(),
            ends_on=past.isoformat(),
            status="held",
            follow_ups="Two pairs to meet again in spring.",
        ),
    )
    assert response.status_code == 303
    db.session.expire_all()
    visit = db.session.get(StudyVisit, visit.id)
    assert visit.status == VisitStatus.HELD
    assert visit.follow_ups == "Two pairs to meet again in spring."
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_id == visit.id)
    ).all()
    assert AuditAction.STUDY_VISIT_UPDATED.value in actions


# --- who reads what ----------------------------------------------------------------------


def test_visitors_read_the_public_part_and_the_listed_organisations_only(client, people, directory):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    page = client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
    assert "Lombard delegation to Maastricht" in page
    assert "Maastricht, Health Campus" in page
    assert "<p>Day two: the hospital&#39;s trial unit.</p>" in page
    assert "Lombard MedTech Lab" in page
    assert "Stealth Implants" not in page  # unlisted
    assert "shared cleanroom" not in page  # the notes
    assert "Log in to register your interest." in page


def test_network_members_read_the_notes_and_an_organisations_people_its_unlisted_profile(
    client, login, people, directory, make_user
):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    login(people.expert)  # the board's experts are members of the network
    page = client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
    assert "shared cleanroom" in page
    assert "Stealth Implants" not in page
    insider = make_user(name="Ivo Insider")
    insider.organisation_id = directory["stealth"].organisation_id
    db.session.commit()
    login(insider)
    page = client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
    assert "Stealth Implants" in page and "shared cleanroom" in page
    assert "not shown publicly" in page  # so its own people know why others do not see it
    login(people.asker)  # signed in, but their organisation is not in the directory
    page = client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
    assert "shared cleanroom" not in page


def test_the_list_shows_upcoming_and_past_visits(client, people, directory):
    study_visits.create_visit(people.admin, _draft(directory, title="Upcoming return visit"))
    past = calendar.today() - timedelta(days=60)
    study_visits.create_visit(
        people.admin,
        _draft(directory, title="Spring delegation", starts_on=past, ends_on=past, status="held"),
    )
    page = client.get("/network/visits").get_data(as_text=True)
    upcoming, _, gone = page.partition("Past and cancelled visits")
    assert "Upcoming return visit" in upcoming and "Spring delegation" not in upcoming
    assert "Spring delegation" in gone
    assert "Lombard MedTech Lab" in upcoming
    assert "Stealth Implants" not in page  # unlisted: a visitor does not see it take part


# --- registering interest ------------------------------------------------------------------


def test_a_member_registers_interest_once_and_a_second_submit_says_so(
    client, login, people, directory
):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    login(people.asker)
    response = client.post(
        f"/network/visits/{visit.id}/interest", data={"note": "We make knee implants."}
    )
    assert response.status_code == 303
    again = client.post(f"/network/visits/{visit.id}/interest", data={"note": "Second tab."})
    assert again.status_code == 422
    assert "You have already registered your interest in this visit." in again.get_data(
        as_text=True
    )
    interests = db.session.scalars(select(VisitInterest)).all()
    assert [interest.note for interest in interests] == ["We make knee implants."]
    assert interests[0].organisation_id == people.asker.organisation_id


def test_the_unique_constraint_keeps_one_row_when_two_requests_race(people, directory):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    db.session.add(VisitInterest(visit_id=visit.id, user_id=people.asker.id, note="first"))
    db.session.commit()
    # A second request that checked before the first committed reaches the constraint.
    db.session.add(VisitInterest(visit_id=visit.id, user_id=people.asker.id, note="second"))
    with pytest.raises(Exception):  # noqa: B017  (IntegrityError, whichever driver)
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(VisitInterest)) == 1


def test_closed_registration_cancelled_and_held_visits_refuse_interest(
    client, login, people, directory
):
    closed = study_visits.create_visit(people.admin, _draft(directory, registration_open=False))
    cancelled = study_visits.create_visit(
        people.admin, _draft(directory, status=VisitStatus.CANCELLED)
    )
    past = calendar.today() - timedelta(days=5)
    held = study_visits.create_visit(
        people.admin, _draft(directory, status=VisitStatus.HELD, starts_on=past, ends_on=past)
    )
    login(people.asker)
    for visit, message in (
        (closed, "Registration for this visit is closed."),
        (cancelled, "This visit is cancelled."),
        (held, "This visit has taken place."),
    ):
        assert message in client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
        response = client.post(f"/network/visits/{visit.id}/interest", data={"note": "Please"})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(VisitInterest)) == 0


def test_a_member_withdraws_their_interest(client, login, people, directory):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    login(people.asker)
    client.post(f"/network/visits/{visit.id}/interest", data={"note": ""})
    page = client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
    assert "Withdraw my interest" in page
    response = client.post(f"/network/visits/{visit.id}/interest/withdraw")
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(VisitInterest)) == 0


def test_visitors_are_sent_to_log_in_to_register(client, people, directory):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    response = client.post(f"/network/visits/{visit.id}/interest", data={"note": "hi"})
    assert response.status_code == 302 and "/login" in response.location


# --- the admins' list of interest and its export ----------------------------------------------


def test_admins_see_who_registered_and_export_it_with_formulas_neutralised(
    client, login, people, directory
):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    people.asker.display_name = '=HYPERLINK("http://evil.example")'
    people.asker.organisation_id = directory["campus"].organisation_id
    db.session.commit()
    study_visits.register_interest(people.asker, visit, "+39 would like to meet the unit")
    study_visits.register_interest(people.expert, visit, "Happy to join.")
    login(people.admin)
    page = client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
    assert "Who registered interest" in page and "Happy to join." in page
    response = client.get(f"/admin/network/visits/{visit.id}/interest.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Name", "E-mail", "Organisation"]
    asker_row = next(row for row in rows if row[1] == people.asker.email)
    assert asker_row[0].startswith("'=")
    assert asker_row[2:5] == ["Maas Health Campus", "Limburg", "'+39 would like to meet the unit"]
    assert len(rows) == 3
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == AuditAction.STUDY_VISIT_INTERESTS_EXPORTED.value)
        )
        == 1
    )
    login(people.expert)
    page = client.get(f"/network/visits/{visit.id}").get_data(as_text=True)
    assert "Who registered interest" not in page


def test_unknown_visits_are_404(client, login, people):
    login(people.admin)
    for url in (
        "/network/visits/424242",
        "/admin/network/visits/424242/edit",
        "/admin/network/visits/424242/interest.csv",
        "/network/visits/99999999999999999999",
    ):
        assert client.get(url).status_code == 404, url


# --- a fixed number of queries -------------------------------------------------------------


def test_the_visit_page_runs_a_fixed_number_of_queries(
    client, login, people, directory, make_user, count_queries
):
    visit = study_visits.create_visit(people.admin, _draft(directory))
    login(people.admin)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get(f"/network/visits/{visit.id}").status_code == 200
        return len(statements)

    people.asker.organisation_id = directory["campus"].organisation_id
    db.session.commit()
    study_visits.register_interest(people.asker, visit, "One.")
    few = queries()
    for number in range(6):
        person = make_user(name=f"Person {number}")
        person.organisation_id = directory["orthotech"].organisation_id
        db.session.commit()
        study_visits.register_interest(person, visit, f"Note {number}")
    assert queries() == few


def test_the_visit_list_runs_a_fixed_number_of_queries(
    client, login, people, directory, count_queries
):
    login(people.expert)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/network/visits").status_code == 200
        return len(statements)

    study_visits.create_visit(people.admin, _draft(directory))
    few = queries()
    for number in range(5):
        study_visits.create_visit(
            people.admin,
            _draft(
                directory, title=f"Visit {number}", starts_on=date.today() + timedelta(days=number)
            ),
        )
    assert queries() == few


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_adds_its_visits_and_notes_once_given_four_listed_profiles(
    client, people, directory
):
    # Three listed and one unlisted: not enough for the demo's visits.
    assert seed_study_visits() == 0
    make_network_profile("Brabant Bio Labs", NetworkRegion.OTHER)
    assert seed_study_visits() == 3
    assert seed_study_visits() == 0
    assert seed_feasibility_notes() == 3
    assert seed_feasibility_notes() == 0
    visits = db.session.scalars(select(StudyVisit).order_by(StudyVisit.starts_on)).all()
    held, individual, upcoming = visits
    assert held.status == VisitStatus.HELD and held.follow_ups and held.notes
    assert "Maastricht" in held.place
    assert upcoming.registration_open and "Milan" in upcoming.place
    assert individual.kind == VisitKind.INDIVIDUAL and individual.host is not None
    assert all(profile.listed for visit in visits for profile in visit.participants)
    page = client.get(f"/network/visits/{upcoming.id}").get_data(as_text=True)
    assert "Log in to register your interest." in page
