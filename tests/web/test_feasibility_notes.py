"""The feasibility study's notes per theme: the admins record and correct them, the
network's members read them beside each region's organisations in the theme, and nobody
else does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    FeasibilityNote,
    NetworkRegion,
    Specialisation,
)
from forum.services import feasibility
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.feasibility import NoteDraft
from tests.factories import make_network_profile


def _theme(slug: str = "regenerative-medicine") -> Specialisation:
    return db.session.scalar(select(Specialisation).where(Specialisation.slug == slug))


def _draft(**changes) -> NoteDraft:
    values = {
        "decision": "Link the Lombard cell-therapy labs with Limburg's biomaterials scale-up.",
        "decided_on": date(2026, 3, 12),
        "decided_by": "Steering group of both regions",
    }
    values.update(changes)
    return NoteDraft(**values)


def _notes() -> int:
    return db.session.scalar(select(func.count()).select_from(FeasibilityNote))


def test_an_admin_adds_a_note_through_the_form_and_it_is_audited(client, login, people):
    theme = _theme()
    login(people.admin)
    assert client.get(f"/admin/network/themes/{theme.id}/notes/new").status_code == 200
    response = client.post(
        f"/admin/network/themes/{theme.id}/notes/new",
        data={
            "decision": "Start with the orthopaedic implants.",
            "decided_on": "2026-02-02",
            "decided_by": "Joint working group",
        },
    )
    assert response.status_code == 303
    assert response.location.endswith("/network/themes#theme-regenerative-medicine")
    note = db.session.scalar(select(FeasibilityNote))
    assert (note.specialisation_id, note.decided_by, note.recorded_by_id) == (
        theme.id,
        "Joint working group",
        people.admin.id,
    )
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.subject_type == "FeasibilityNote")
    )
    assert entry.action == AuditAction.FEASIBILITY_NOTE_ADDED.value


def test_bad_input_comes_back_beside_its_field_and_nothing_is_written(client, login, people):
    theme = _theme()
    login(people.admin)
    tomorrow = calendar.today() + timedelta(days=1)
    response = client.post(
        f"/admin/network/themes/{theme.id}/notes/new",
        data={
            "decision": "Link the imaging labs.",
            "decided_on": tomorrow.isoformat(),
            "decided_by": "Board",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "the date cannot be in the future" in page
    assert "Link the imaging labs." in page
    response = client.post(
        f"/admin/network/themes/{theme.id}/notes/new",
        data={"decision": "", "decided_on": "12 March", "decided_by": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid date value." in page
    assert "This field is required." in page
    assert _notes() == 0


def test_an_admin_corrects_a_note(client, login, people):
    note = feasibility.add_note(people.admin, _theme(), _draft())
    login(people.admin)
    page = client.get(f"/admin/network/feasibility/{note.id}/edit").get_data(as_text=True)
    assert "Steering group of both regions" in page
    response = client.post(
        f"/admin/network/feasibility/{note.id}/edit",
        data={"decision": "Corrected.", "decided_on": "2026-03-13", "decided_by": "Steering group"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    note = db.session.get(FeasibilityNote, note.id)
    assert (note.decision, note.decided_on) == ("Corrected.", date(2026, 3, 13))
    assert (
        AuditAction.FEASIBILITY_NOTE_EDITED.value
        in db.session.scalars(select(AuditEntry.action)).all()
    )


def test_only_admins_record_notes(people):
    with pytest.raises(PermissionDenied):
        feasibility.add_note(people.expert, _theme(), _draft())
    with pytest.raises(RuleViolation) as refused:
        feasibility.add_note(people.admin, _theme(), _draft(decided_by="  "))
    assert refused.value.field == "decided_by"


def test_the_themes_page_lists_notes_newest_first_with_the_regions_counts(client, login, people):
    theme = _theme()
    feasibility.add_note(
        people.admin, theme, _draft(decision="The older decision.", decided_on=date(2026, 1, 10))
    )
    feasibility.add_note(
        people.admin, theme, _draft(decision="The newer decision.", decided_on=date(2026, 4, 1))
    )
    make_network_profile(
        "Cell Lab Milano", NetworkRegion.LOMBARDY, specialisations=("regenerative-medicine",)
    )
    make_network_profile(
        "Hidden Cells S.p.A.",
        NetworkRegion.LOMBARDY,
        listed=False,
        specialisations=("regenerative-medicine",),
    )
    make_network_profile(
        "Maas Matrix B.V.",
        NetworkRegion.LIMBURG,
        specialisations=("regenerative-medicine", "biomaterials"),
    )
    login(people.expert)
    page = client.get("/network/themes").get_data(as_text=True)
    assert page.index("The newer decision.") < page.index("The older decision.")
    section = page.split('id="theme-regenerative-medicine"')[1].split("<section")[0]
    assert "Lombardy 2 · Limburg 1 · Elsewhere 0" in " ".join(section.split())
    assert "Hidden Cells" not in page  # counted, never named
    assert "Add a note on" not in page  # an expert reads, the admins write


def test_only_the_networks_members_read_the_themes(client, login, people, make_user):
    assert client.get("/network/themes").status_code == 302  # to log in
    login(people.asker)  # signed in, organisation not in the directory
    assert client.get("/network/themes").status_code == 403
    profile = make_network_profile("Cell Lab Milano", NetworkRegion.LOMBARDY)
    people.asker.organisation_id = profile.organisation_id
    db.session.commit()
    assert client.get("/network/themes").status_code == 200


def test_unknown_themes_and_notes_are_404(client, login, people):
    login(people.admin)
    assert client.get("/admin/network/themes/424242/notes/new").status_code == 404
    assert client.get("/admin/network/feasibility/424242/edit").status_code == 404


def test_the_themes_page_runs_a_fixed_number_of_queries(client, login, people, count_queries):
    login(people.admin)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/network/themes").status_code == 200
        return len(statements)

    feasibility.add_note(people.admin, _theme(), _draft())
    make_network_profile(
        "Cell Lab Milano", NetworkRegion.LOMBARDY, specialisations=("regenerative-medicine",)
    )
    few = queries()
    for number, slug in enumerate(("biomaterials", "imaging", "oncology", "diagnostics")):
        feasibility.add_note(people.admin, _theme(slug), _draft(decision=f"Decision {number}"))
        make_network_profile(f"Lab {number}", NetworkRegion.LIMBURG, specialisations=(slug,))
    assert queries() == few
