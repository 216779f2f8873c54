"""Funded projects (issue 23, item 3): registering, linking questions and referrals,
counselling sessions, who reads a project's page, and the migration."""

from __future__ import annotations

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from forum.extensions import db
from forum.models import (
    AuditEntry,
    ExpertArea,
    Organisation,
    OrganisationKind,
    Question,
    Role,
    Visibility,
)
from forum.services import clinics, facilitations, projects
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.projects import ProjectDraft, SessionDraft
from tests.factories import ask_question, question_form

BEFORE_PROJECTS = "c4e8a1d2f6b7"


def organisation(name: str, kind: OrganisationKind = OrganisationKind.SME) -> Organisation:
    found = Organisation(name=name, kind=kind)
    db.session.add(found)
    db.session.commit()
    return found


def member_of(make_user, found: Organisation, name: str | None = None):
    user = make_user(name=name)
    user.organisation = found
    db.session.commit()
    return user


def draft(
    *beneficiaries: Organisation, title: str = "Smart insole for diabetic foot", **overrides
) -> ProjectDraft:
    values = dict(
        title=title,
        programme="POR FESR 2014-2020",
        axis="Axis I – Research and Innovation",
        call="HUB",
        starts_on=date(2025, 3, 1),
        ends_on=date(2027, 2, 28),
        clinical_aims="Show fewer ulcers in a pilot of 40 patients.",
        beneficiary_ids=[found.id for found in beneficiaries],
    )
    values.update(overrides)
    return ProjectDraft(**values)


@pytest.fixture
def world(make_user):
    """A project of two organisations; a member of each, an outsider, an expert, an admin."""
    alfa, beta = (
        organisation("Alfa Medical"),
        organisation("Beta Sensors", OrganisationKind.START_UP),
    )
    outside = organisation("Gamma Implants")
    admin = make_user(Role.ADMIN)
    project = projects.register(admin, draft(alfa, beta))
    return {
        "project": project,
        "admin": admin,
        "alfa": alfa,
        "beta": beta,
        "asker": member_of(make_user, alfa, "Anna Alfa"),
        "colleague": member_of(make_user, alfa, "Carlo Alfa"),
        "partner": member_of(make_user, beta, "Bea Beta"),
        "outsider": member_of(make_user, outside, "Olga Gamma"),
        "expert": make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Elena Clinical"),
    }


def linked_question(author, project, *, title: str, visibility=Visibility.PUBLIC) -> Question:
    question = ask_question(author, title=title, visibility=visibility)
    question.project_id = project.id
    db.session.commit()
    return question


# --- registering ------------------------------------------------------------------------------


def test_an_admin_registers_a_project_with_its_beneficiaries_and_it_is_audited(world):
    project = world["project"]
    assert [found.name for found in project.beneficiaries] == ["Alfa Medical", "Beta Sensors"]
    assert project.call == "HUB" and project.axis.startswith("Axis I")
    assert (
        db.session.scalar(
            select(AuditEntry.action).where(AuditEntry.subject_type == "FundedProject")
        )
        == "project-registered"
    )


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": "  "}, "title"),
        ({"programme": ""}, "programme"),
        ({"ends_on": date(2024, 1, 1)}, "ends_on"),
        ({"beneficiary_ids": []}, "beneficiaries"),
        ({"beneficiary_ids": [999_999]}, "beneficiaries"),
        ({"title": "smart insole for diabetic foot"}, "title"),  # taken, whatever the case
    ],
)
def test_a_bad_project_is_refused_with_the_field_named(world, overrides, field):
    with pytest.raises(RuleViolation) as refused:
        projects.register(world["admin"], draft(world["alfa"], **overrides))
    assert refused.value.field == field


def test_only_admins_register_projects(world):
    for person in (world["asker"], world["expert"]):
        with pytest.raises(PermissionDenied):
            projects.register(person, draft(world["alfa"], title="Another project"))


def test_the_registration_form_keeps_what_was_typed_and_explains_the_error(client, login, world):
    login(world["admin"])
    response = client.post(
        "/projects/new",
        data={
            "title": "Cardiac patch",
            "programme": "POR FESR",
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
            "beneficiaries": [str(world["alfa"].id)],
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The project cannot end before it starts." in page and 'value="Cardiac patch"' in page
    response = client.post(
        "/projects/new",
        data={
            "title": "Cardiac patch",
            "programme": "POR FESR",
            "call": "HUB",
            "starts_on": "2026-01-01",
            "beneficiaries": [str(world["alfa"].id), str(world["beta"].id)],
        },
    )
    assert response.status_code == 302
    assert (
        client.get(response.headers["Location"]).get_data(as_text=True).count("Cardiac patch") >= 1
    )


# --- linking questions and referrals ------------------------------------------------------------


def test_a_member_links_a_question_to_their_organisations_project_from_the_ask_form(
    client, login, world
):
    login(world["asker"])
    form_page = client.get("/questions/ask").get_data(as_text=True)
    assert "Funded project" in form_page and "Smart insole for diabetic foot" in form_page
    response = client.post("/questions/ask", data=question_form(project=str(world["project"].id)))
    assert response.status_code == 302
    question = db.session.scalar(select(Question).order_by(Question.created_at.desc()))
    assert question.project_id == world["project"].id


def test_a_project_of_another_organisation_is_refused_beside_the_field(client, login, world):
    login(world["outsider"])
    assert "Funded project" not in client.get("/questions/ask").get_data(as_text=True)
    response = client.post("/questions/ask", data=question_form(project=str(world["project"].id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose one of your organisation" in page
    assert 'value="Do we need Ministry authorisation for a class IIb study?"' in page
    assert db.session.scalar(select(Question.id)) is None


def test_a_referral_links_to_the_project_of_its_question(world):
    question = linked_question(
        world["asker"], world["project"], title="Which clinic for our insole pilot?"
    )
    clinic = clinics.create_clinic(
        world["admin"], clinics.ClinicDraft(name="Clinica Piede", city="Milano")
    )
    referral = facilitations.refer(
        question, clinic, world["expert"], "They run foot pilots.", project_id=question.project_id
    )
    assert referral.project_id == world["project"].id
    other = projects.register(world["admin"], draft(world["beta"], title="Beta only"))
    with pytest.raises(RuleViolation) as refused:
        facilitations.refer(question, clinic, world["expert"], "Again.", project_id=other.id)
    assert refused.value.field == "project"


# --- counselling sessions -------------------------------------------------------------------------


def test_the_board_records_a_session_and_beneficiaries_read_its_actions_not_its_notes(
    client, login, world
):
    project = world["project"]
    login(world["expert"])
    response = client.post(
        f"/projects/{project.id}/sessions",
        data={
            "held_on": "2026-04-02",
            "experts": [str(world["expert"].id)],
            "notes": "The team underestimates the ethics committee's timeline.",
            "actions": "Alfa sends the draft protocol by May.",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "underestimates" in page and "Alfa sends the draft protocol" in page
    login(world["partner"])
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Alfa sends the draft protocol" in page and "Elena Clinical" in page
    assert "underestimates" not in page
    assert client.post(f"/projects/{project.id}/sessions", data={}).status_code == 403


@pytest.mark.parametrize(
    "held_on, expert_ids, notes, actions, field",
    [
        (date(2099, 1, 1), None, "n", "a", "held_on"),
        (date(2024, 1, 1), None, "n", "a", "held_on"),  # before the project started
        (date(2026, 4, 2), [], "n", "a", "experts"),
        (date(2026, 4, 2), None, "", " ", "actions"),
    ],
)
def test_a_bad_session_is_refused_with_the_field_named(
    world, held_on, expert_ids, notes, actions, field
):
    expert_ids = [world["expert"].id] if expert_ids is None else expert_ids
    with pytest.raises(RuleViolation) as refused:
        projects.record_session(
            world["project"], world["expert"], SessionDraft(held_on, expert_ids, notes, actions)
        )
    assert refused.value.field == field


def test_a_member_cannot_be_recorded_as_an_expert_present(world):
    with pytest.raises(RuleViolation) as refused:
        projects.record_session(
            world["project"],
            world["admin"],
            SessionDraft(date(2026, 4, 2), [world["asker"].id], "", "Next steps agreed."),
        )
    assert refused.value.field == "experts"


# --- who reads a project --------------------------------------------------------------------------


def test_the_page_is_for_beneficiaries_experts_and_admins_and_a_404_to_others(client, login, world):
    url = f"/projects/{world['project'].id}"
    assert "/login" in client.get(url).headers["Location"]
    for person, status in (
        (world["asker"], 200),
        (world["partner"], 200),
        (world["expert"], 200),
        (world["admin"], 200),
        (world["outsider"], 404),
    ):
        login(person)
        assert client.get(url).status_code == status, person
    login(world["outsider"])
    assert "Smart insole" not in client.get("/projects").get_data(as_text=True)


def test_a_confidential_question_shows_only_to_who_may_see_it_and_is_not_counted_for_others(
    client, login, world
):
    project = world["project"]
    linked_question(world["asker"], project, title="Public question on the insole pilot")
    linked_question(
        world["asker"],
        project,
        title="Unreleased insole sensor: which pathway?",
        visibility=Visibility.CONFIDENTIAL,
    )
    url = f"/projects/{project.id}"
    for person, sees in (
        (world["asker"], True),
        (world["expert"], True),
        (world["admin"], True),
        (world["colleague"], False),
        (world["partner"], False),
    ):
        login(person)
        page = client.get(url).get_data(as_text=True)
        assert ("Unreleased insole sensor" in page) is sees, person
        assert "Public question on the insole pilot" in page
        listing = projects.list_projects(person)[0]
        assert listing.questions == (2 if sees else 1), person


def test_the_project_page_costs_the_same_queries_whatever_it_holds(
    client, login, world, count_queries
):
    project = world["project"]
    clinic = clinics.create_clinic(
        world["admin"], clinics.ClinicDraft(name="Clinica Q", city="Pavia")
    )

    def add(number: int) -> None:
        question = linked_question(
            world["asker"], project, title=f"Question number {number} on the insole pilot"
        )
        facilitations.refer(question, clinic, world["expert"], "Fits.")
        projects.record_session(
            project,
            world["admin"],
            SessionDraft(date(2026, 4, 2), [world["expert"].id], "Notes.", "Actions."),
        )

    add(1)
    login(world["asker"])
    with count_queries() as few:
        assert client.get(f"/projects/{project.id}").status_code == 200
    for number in range(2, 6):
        add(number)
    with count_queries() as many:
        assert client.get(f"/projects/{project.id}").status_code == 200
    assert len(few) == len(many)


# --- the migration --------------------------------------------------------------------------------


def test_the_migration_upgrades_and_downgrades_keeping_questions(app, make_user):
    author = make_user()
    ask_question(author, title="A question asked before projects existed")
    db.session.remove()  # no transaction may hold a lock the downgrade's DDL waits for
    try:
        downgrade(revision=BEFORE_PROJECTS)
        tables = inspect(db.engine).get_table_names()
        assert "funded_project" not in tables and "review_period_report" not in tables
        assert "project_id" not in {
            column["name"] for column in inspect(db.engine).get_columns("question")
        }
        db.session.remove()
        upgrade()
        assert "project_id" in {
            column["name"] for column in inspect(db.engine).get_columns("question")
        }
        assert (
            db.session.scalar(select(Question.title)) == "A question asked before projects existed"
        )
    finally:
        db.session.remove()
        upgrade()


def test_a_question_keeps_its_project_when_its_organisation_leaves_it(world):
    question = linked_question(world["asker"], world["project"], title="Linked before the change")
    projects.update(world["project"], world["admin"], draft(world["beta"]))
    db.session.refresh(question)
    assert question.project_id == world["project"].id
    assert world["project"] in projects.choices_for_question(question)


def test_the_question_page_links_its_project_only_for_who_may_open_it(client, login, world):
    question = linked_question(
        world["asker"], world["project"], title="Linked question with a page"
    )
    url = f"/questions/{question.id}"
    login(world["colleague"])
    assert f'/projects/{world["project"].id}"' in client.get(url).get_data(as_text=True)
    login(world["outsider"])
    page = client.get(url).get_data(as_text=True)
    assert "Smart insole" not in page and f'/projects/{world["project"].id}"' not in page
    client.post("/logout")
    assert "Smart insole" not in client.get(url).get_data(as_text=True)
