"""Importing the desk research's spreadsheet into the network's directory: the service, the
command and the admins' page (issue 29: "a bad row is reported with its line and changes
nothing else")."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    NetworkProfile,
    NetworkRegion,
    Organisation,
    OrganisationKind,
)
from forum.resources import network_sample_path
from forum.services import network_import
from forum.services.network_import import ImportFileError, import_csv

HEADER = (
    "name,kind,region,city,province,country,website,specialisations,offers,needs,"
    "contact_email,listed"
)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode()


def _profiles() -> int:
    return db.session.scalar(select(func.count(NetworkProfile.id)))


def _profile(name: str) -> NetworkProfile | None:
    return db.session.scalar(
        select(NetworkProfile).join(NetworkProfile.organisation).where(Organisation.name == name)
    )


GOOD_MILAN = (
    "Navigli Sensors S.r.l.,sme,Lombardy,Milano,MI,IT,https://navigli.example.org,"
    "wearables|Sanità digitale,prototyping,clinical-validation,info@navigli.example.org,yes"
)
GOOD_MAASTRICHT = (
    "Vrijthof Devices B.V.,start-up,limburg,Maastricht,,NL,,"
    "imaging,Clinical validation site,funding,,ja"
)


def test_the_sample_file_builds_forty_profiles_twenty_per_region(app):
    report = import_csv(network_sample_path().read_bytes(), None)

    assert report.rejected == []
    assert len(report.created) == 40 and report.updated == []
    by_region = dict(
        db.session.execute(
            select(NetworkProfile.region, func.count()).group_by(NetworkProfile.region)
        ).all()
    )
    assert by_region == {NetworkRegion.LOMBARDY: 20, NetworkRegion.LIMBURG: 20}
    kinds = set(db.session.scalars(select(Organisation.kind)))
    assert {OrganisationKind.CLUSTER, OrganisationKind.PUBLIC_BODY, OrganisationKind.HOSPITAL} <= (
        kinds
    )
    dutch = set(
        db.session.scalars(
            select(Organisation.country)
            .join(NetworkProfile)
            .where(NetworkProfile.region == NetworkRegion.LIMBURG)
        )
    )
    assert dutch == {"NL"}
    # Every organisation can be matched: each offers something and seeks something.
    for profile in db.session.scalars(select(NetworkProfile)):
        assert profile.specialisations and profile.offers and profile.needs, profile.city


def test_importing_the_same_file_again_updates_instead_of_duplicating(app):
    data = network_sample_path().read_bytes()
    import_csv(data, None)
    again = import_csv(data, None)

    assert len(again.updated) == 40 and again.created == [] and again.rejected == []
    assert _profiles() == 40
    assert db.session.scalar(select(func.count(Organisation.id))) == 40


def test_a_bad_row_is_reported_with_its_line_and_every_reason_and_the_others_are_imported(app):
    bad = "Bad Row Ltd,spaceship,Lombardy,Milano,MI,IT,,xyz,,,not-an-address,yes"
    report = import_csv(_csv(GOOD_MILAN, bad, GOOD_MAASTRICHT), None)

    assert [row.line for row in report.rejected] == [3]
    reasons = " | ".join(report.rejected[0].reasons)
    assert "unknown kind “spaceship”" in reasons
    assert "unknown term “xyz”" in reasons
    assert "not-an-address is not an e-mail address" in reasons
    assert sorted(report.created) == ["Navigli Sensors S.r.l.", "Vrijthof Devices B.V."]
    assert _profile("Navigli Sensors S.r.l.") is not None
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Bad Row Ltd")) is None


def test_a_row_reads_terms_by_slug_english_or_italian_name_and_yes_in_any_language(app):
    import_csv(_csv(GOOD_MILAN, GOOD_MAASTRICHT), None)

    milan = _profile("Navigli Sensors S.r.l.")
    assert {term.slug for term in milan.specialisations} == {"digital-health", "wearables"}
    assert milan.listed and milan.organisation.province == "MI"
    assert milan.organisation.region == "Lombardia"
    maastricht = _profile("Vrijthof Devices B.V.")
    assert [term.slug for term in maastricht.offers] == ["clinical-validation"]
    assert maastricht.listed and maastricht.organisation.country == "NL"


def test_a_name_twice_in_the_file_rejects_the_second_row(app):
    twice = GOOD_MILAN.replace("Navigli Sensors S.r.l.", "NAVIGLI SENSORS S.R.L.")
    report = import_csv(_csv(GOOD_MILAN, twice), None)

    assert [(row.line, row.reasons) for row in report.rejected] == [
        (3, ["the name is also on line 2"])
    ]
    assert _profiles() == 1


def test_a_missing_name_region_or_unknown_country_is_each_reported(app):
    report = import_csv(
        _csv(
            ",sme,Lombardy,Milano,MI,IT,,,,,,no",
            "Somewhere Ltd,sme,Atlantis,Paris,,Narnia,,,,,,maybe",
        ),
        None,
    )

    first, second = report.rejected
    assert (first.line, first.reasons) == (2, ["the name is missing"])
    assert second.line == 3
    assert "unknown region “Atlantis”" in second.reasons
    assert "unknown country “Narnia”" in second.reasons
    assert "“listed” is yes or no, not “maybe”" in second.reasons
    assert _profiles() == 0


def test_an_italian_organisation_needs_a_province_the_city_or_the_column_gives(app):
    report = import_csv(
        _csv(
            "Monza Orthopaedics S.r.l.,sme,Lombardy,Monza,,IT,,,,,,yes",
            "Nowhere Devices S.r.l.,sme,Lombardy,Nowhere,,IT,,,,,,yes",
        ),
        None,
    )

    assert report.created == ["Monza Orthopaedics S.r.l."]
    assert _profile("Monza Orthopaedics S.r.l.").organisation.province == "MB"
    assert report.rejected[0].line == 3
    assert "province" in report.rejected[0].reasons[0]


def test_an_existing_organisation_found_whatever_its_case_keeps_its_place_and_members(app, people):
    people.asker.organisation = Organisation(
        name="Navigli Sensors S.r.l.", kind=OrganisationKind.START_UP, province="MI"
    )
    db.session.commit()
    organisation_id = people.asker.organisation_id

    report = import_csv(_csv(GOOD_MILAN.replace("Navigli Sensors", "navigli sensors")), None)

    # A new profile for the organisation already there, not a second organisation.
    assert report.created == ["Navigli Sensors S.r.l."] and report.rejected == []
    assert db.session.scalar(select(func.count(Organisation.id))) == 1
    profile = db.session.scalar(select(NetworkProfile))
    assert profile.organisation_id == organisation_id
    assert profile.organisation.kind == OrganisationKind.SME  # the file's kind


def test_semicolons_as_excel_writes_them_in_italy_and_a_byte_order_mark_are_read(app):
    header = HEADER.replace(",", ";")
    row = GOOD_MILAN.replace(",", ";").replace("wearables|Sanità digitale", '"wearables;imaging"')
    report = import_csv(b"\xef\xbb\xbf" + _csv(row, header=header), None)

    assert report.created == ["Navigli Sensors S.r.l."], report.rejected
    assert {term.slug for term in _profile("Navigli Sensors S.r.l.").specialisations} == {
        "wearables",
        "imaging",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\n", "The file is empty."),
        (b"name,kind\nA,sme\n", "lacks the columns: region"),
        (_csv(GOOD_MILAN).replace("à".encode(), b"\xe0"), "not UTF-8 text (line 2)"),
        (_csv("A,sme,Lombardy,x,y,z,1,2,3,4,5,6,7,8"), "Line 2 has more cells"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_changes_nothing(app, data, message):
    with pytest.raises(ImportFileError) as raised:
        import_csv(data, None)
    assert message in raised.value.message
    assert _profiles() == 0


def test_a_dry_run_reports_and_saves_nothing(app):
    report = import_csv(network_sample_path().read_bytes(), None, dry_run=True)

    assert len(report.created) == 40 and report.dry_run
    assert _profiles() == 0
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_every_profile_imported_is_in_the_audit_log(app, people):
    import_csv(_csv(GOOD_MILAN), people.admin, source="desk.csv")

    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == AuditAction.NETWORK_PROFILE_IMPORTED
    assert entry.actor_id == people.admin.id
    assert entry.detail == "created from desk.csv, line 2"


# --- the command ---------------------------------------------------------------------------


def test_the_command_imports_the_file_and_reports_the_rejected_rows(app, tmp_path):
    path = tmp_path / "desk.csv"
    path.write_bytes(_csv(GOOD_MILAN, "Bad Row Ltd,spaceship,Lombardy,Milano,MI,IT,,,,,,yes"))

    result = app.test_cli_runner().invoke(args=["network", "import", str(path)])

    assert result.exit_code == 1
    assert "desk.csv, line 3: unknown kind “spaceship”" in result.output
    assert "1 created, 0 updated, 1 rejected" in result.output
    assert _profiles() == 1


def test_the_command_dry_run_saves_nothing_and_a_bad_file_is_one_line(app, tmp_path):
    path = tmp_path / "desk.csv"
    path.write_bytes(_csv(GOOD_MILAN))
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["network", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "1 created" in dry.output and "dry run" in dry.output
    assert _profiles() == 0

    path.write_bytes(b"\xff\xfe\x00")
    bad = runner.invoke(args=["network", "import", str(path)])
    assert bad.exit_code == 1 and "not UTF-8" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(args=["network", "import", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1 and "Cannot read" in missing.output


# --- the admins' page ----------------------------------------------------------------------


def _upload(client, data: bytes, dry_run: bool = False, name: str = "desk.csv"):
    form = {"file": (io.BytesIO(data), name)}
    if dry_run:
        form["dry_run"] = "y"
    return client.post("/admin/network/import", data=form, content_type="multipart/form-data")


def test_an_admin_imports_a_file_through_the_page_and_sees_the_report(client, login, people):
    login(people.admin)
    assert client.get("/admin/network/import").status_code == 200

    bad = "Bad Row Ltd,spaceship,Lombardy,Milano,MI,IT,,,,,,yes"
    response = _upload(client, _csv(GOOD_MILAN, bad, GOOD_MAASTRICHT))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Navigli Sensors S.r.l." in page and "Vrijthof Devices B.V." in page
    assert "Line 3" in page and "unknown kind “spaceship”" in page
    assert _profiles() == 2


def test_the_page_previews_a_dry_run_first(client, login, people):
    login(people.admin)
    page = _upload(client, _csv(GOOD_MILAN), dry_run=True).get_data(as_text=True)

    assert "Nothing was saved" in page and "Navigli Sensors S.r.l." in page
    assert _profiles() == 0


def test_the_page_refuses_a_bad_file_beside_the_field(client, login, people):
    login(people.admin)

    unreadable = _upload(client, b"\xff\xfe\x00\x01")
    assert unreadable.status_code == 422
    assert "not UTF-8 text" in unreadable.get_data(as_text=True)
    no_file = client.post("/admin/network/import", data={}, content_type="multipart/form-data")
    assert no_file.status_code == 422
    assert _profiles() == 0


def test_the_page_refuses_a_file_over_its_limit(client, login, people, monkeypatch):
    monkeypatch.setattr(network_import, "MAX_FILE_BYTES", 100)
    login(people.admin)

    response = _upload(client, _csv(GOOD_MILAN, GOOD_MAASTRICHT))

    assert response.status_code == 422
    assert "too large" in response.get_data(as_text=True)
    assert _profiles() == 0


def test_only_admins_import(client, login, people):
    login(people.asker)
    assert client.get("/admin/network/import").status_code == 403
    assert _upload(client, _csv(GOOD_MILAN)).status_code == 403
    assert _profiles() == 0


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_shows_the_sample_network_and_a_demo_member_edits_its_profile(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # nothing imported twice

    assert _profiles() == 40
    regions = db.session.execute(
        select(NetworkProfile.region, func.count()).group_by(NetworkProfile.region)
    ).all()
    assert dict(regions) == {NetworkRegion.LOMBARDY: 20, NetworkRegion.LIMBURG: 20}
    # The demo's own organisations are among them, with their members (one organisation
    # each: found by name, not added again).
    brianza = _profile("Brianza MedTech S.r.l.")
    assert brianza.organisation.members
    client.post(
        "/login",
        data={"email": "anna.colombo@brianza-medtech.example", "password": "anna-demo-2026"},
    )
    mine = client.get("/network/my-organisation")
    assert mine.headers["Location"].endswith(f"/network/organisations/{brianza.id}")
    assert client.get(f"/network/organisations/{brianza.id}/edit").status_code == 200
    directory = client.get("/network?region=limburg").get_data(as_text=True)
    assert "Meuse Valley University of Health Sciences" in directory
    assert "valorisation@meuse-valley-university.example.nl" in directory  # a member sees it


def test_a_body_over_the_upload_limit_is_a_413_not_a_traceback(app, client, login, people):
    login(people.admin)
    app.config.update(MAX_CONTENT_LENGTH=4096, ATTACHMENTS_PER_TEXT=0)

    response = _upload(client, _csv(*[GOOD_MILAN] * 100))

    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)
    assert _profiles() == 0
