"""The network directory's migration: the vocabularies seeded in both languages, the two new
organisation kinds, and a way back that keeps every organisation."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from forum.extensions import db
from forum.models import Capability, Organisation, OrganisationKind, Specialisation

BEFORE_NETWORK = "c4e7a2d9f1b5"


def test_the_vocabularies_are_seeded_in_english_and_italian(app):
    specialisations = db.session.scalars(select(Specialisation).order_by(Specialisation.position))
    by_slug = {term.slug: term for term in specialisations}
    # The examples are all there.
    for slug in (
        "regenerative-medicine",
        "biomaterials",
        "imaging",
        "digital-health",
        "diagnostics",
        "orthopaedics",
        "cardiovascular",
    ):
        assert slug in by_slug
    assert by_slug["regenerative-medicine"].name("it") == "Medicina rigenerativa"
    assert by_slug["regenerative-medicine"].name("en") == "Regenerative medicine"
    capabilities = db.session.scalars(select(Capability)).all()
    assert {"clinical-validation", "prototyping", "eu-consortia"} <= {c.slug for c in capabilities}
    assert all(term.name_it and term.name_en != term.name_it for term in capabilities)


def test_a_cluster_and_a_public_body_are_organisation_kinds(app):
    db.session.add_all(
        [
            Organisation(name="A medtech cluster", kind=OrganisationKind.CLUSTER),
            Organisation(name="A province", kind=OrganisationKind.PUBLIC_BODY),
        ]
    )
    db.session.commit()
    kinds = set(db.session.scalars(select(Organisation.kind)))
    assert kinds == {OrganisationKind.CLUSTER, OrganisationKind.PUBLIC_BODY}


def test_the_way_back_keeps_clusters_and_public_bodies_as_research_organisations(app):
    db.session.add(Organisation(name="Cluster before the way back", kind=OrganisationKind.CLUSTER))
    db.session.commit()
    db.session.remove()  # no transaction may hold a lock the downgrade's DDL waits for
    try:
        downgrade(revision=BEFORE_NETWORK)
        assert "network_profile" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            kind = connection.exec_driver_sql(
                "SELECT kind FROM organisation WHERE name = 'Cluster before the way back'"
            ).scalar_one()
        assert kind == "research"
        upgrade()
        assert db.session.scalar(select(Specialisation.id).limit(1)) is not None
    finally:
        db.session.remove()
        upgrade()
