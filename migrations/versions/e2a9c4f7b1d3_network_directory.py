"""The Lombardy-Limburg network (issue 29): the directory of organisations' profiles, the
bilingual vocabularies of specialisations and capabilities (seeded here), two more
organisation kinds (cluster, public body), matchmaking rounds and their introductions, study
visits and the feasibility study's notes

Revision ID: e2a9c4f7b1d3
Revises: c4e7a2d9f1b5
Create Date: 2026-12-07 09:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e2a9c4f7b1d3"
down_revision = "c4e7a2d9f1b5"
branch_labels = None
depends_on = None

KINDS_BEFORE = ("sme", "start-up", "research", "university", "clinic", "hospital")
KINDS_AFTER = KINDS_BEFORE + ("cluster", "public-body")

# (slug, English, Italian), in the order the forms list them.
SPECIALISATIONS = (
    ("regenerative-medicine", "Regenerative medicine", "Medicina rigenerativa"),
    ("biomaterials", "Biomaterials", "Biomateriali"),
    ("imaging", "Medical imaging", "Diagnostica per immagini"),
    ("digital-health", "Digital health", "Sanità digitale"),
    ("diagnostics", "Diagnostics", "Diagnostica"),
    ("orthopaedics", "Orthopaedics", "Ortopedia"),
    ("cardiovascular", "Cardiovascular", "Cardiovascolare"),
    ("neurotechnology", "Neurotechnology", "Neurotecnologie"),
    ("surgical-robotics", "Surgical robotics", "Robotica chirurgica"),
    (
        "wearables",
        "Wearables and remote monitoring",
        "Dispositivi indossabili e monitoraggio remoto",
    ),
    ("rehabilitation", "Rehabilitation", "Riabilitazione"),
    ("ai-software", "AI and medical device software", "IA e software dispositivo medico"),
    (
        "drug-delivery",
        "Drug delivery and combination products",
        "Rilascio di farmaci e prodotti combinati",
    ),
    ("oncology", "Oncology", "Oncologia"),
)
CAPABILITIES = (
    ("clinical-validation", "Clinical validation site", "Centro per la validazione clinica"),
    (
        "clinical-investigation-design",
        "Clinical investigation design",
        "Disegno di indagini cliniche",
    ),
    ("patient-cohorts", "Patient cohorts and biobanks", "Coorti di pazienti e biobanche"),
    ("regulatory-support", "Regulatory support (MDR/IVDR)", "Supporto regolatorio (MDR/IVDR)"),
    ("prototyping", "Prototyping and engineering", "Prototipazione e ingegneria"),
    ("manufacturing", "Manufacturing under ISO 13485", "Produzione secondo la ISO 13485"),
    (
        "preclinical-testing",
        "Preclinical and laboratory testing",
        "Test preclinici e di laboratorio",
    ),
    ("data-ai", "Data science and AI", "Scienza dei dati e IA"),
    ("funding", "Investment and funding", "Investimenti e finanziamenti"),
    ("market-access", "Market access and reimbursement", "Accesso al mercato e rimborso"),
    ("eu-consortia", "EU project consortia", "Consorzi per progetti europei"),
    ("incubation", "Incubation and business support", "Incubazione e supporto alle imprese"),
    (
        "user-testing",
        "Usability testing with clinicians and patients",
        "Test di usabilità con clinici e pazienti",
    ),
)


def _organisation_kinds(kinds):
    """Swap the CHECK constraint listing the organisation kinds (SQLite rebuilds the table)."""
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisation_organisation_kind"), type_="check")
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(),
            type_=sa.String(length=max(len(kind) for kind in kinds) + 8),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(
            op.f("ck_organisation_organisation_kind"), sa.text(f"kind IN ({allowed})")
        )


def _vocabulary(table_name):
    table = op.create_table(
        table_name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("name_it", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table_name}")),
        sa.UniqueConstraint("slug", name=op.f(f"uq_{table_name}_slug")),
        sa.UniqueConstraint("name_en", name=op.f(f"uq_{table_name}_name_en")),
        sa.UniqueConstraint("name_it", name=op.f(f"uq_{table_name}_name_it")),
    )
    return table


def _links(table_name, term_table):
    op.create_table(
        table_name,
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["network_profile.id"],
            name=op.f(f"fk_{table_name}_profile_id_network_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            [f"{term_table}.id"],
            name=op.f(f"fk_{table_name}_term_id_{term_table}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "term_id", name=op.f(f"pk_{table_name}")),
    )
    op.create_index(op.f(f"ix_{table_name}_term_id"), table_name, ["term_id"], unique=False)


def _rounds_visits_and_notes():
    """Matchmaking rounds and introductions, study visits, feasibility notes."""
    op.create_table(
        "matchmaking_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                name="round_status",
                native_enum=False,
                create_constraint=True,
                length=14,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_matchmaking_round_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matchmaking_round")),
        sa.UniqueConstraint("title", name=op.f("uq_matchmaking_round_title")),
    )
    op.create_table(
        "network_feasibility_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("specialisation_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_network_feasibility_note_recorded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["specialisation_id"],
            ["network_specialisation.id"],
            name=op.f("fk_network_feasibility_note_specialisation_id_network_specialisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_feasibility_note")),
    )
    with op.batch_alter_table("network_feasibility_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_feasibility_note_specialisation_id"),
            ["specialisation_id"],
            unique=False,
        )

    op.create_table(
        "matchmaking_dismissed_pair",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("first_profile_id", sa.Integer(), nullable=False),
        sa.Column("second_profile_id", sa.Integer(), nullable=False),
        sa.Column("dismissed_by_id", sa.Integer(), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "first_profile_id < second_profile_id",
            name=op.f("ck_matchmaking_dismissed_pair_pair_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["dismissed_by_id"],
            ["user.id"],
            name=op.f("fk_matchmaking_dismissed_pair_dismissed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["first_profile_id"],
            ["network_profile.id"],
            name=op.f("fk_matchmaking_dismissed_pair_first_profile_id_network_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["matchmaking_round.id"],
            name=op.f("fk_matchmaking_dismissed_pair_round_id_matchmaking_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_profile_id"],
            ["network_profile.id"],
            name=op.f("fk_matchmaking_dismissed_pair_second_profile_id_network_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "round_id",
            "first_profile_id",
            "second_profile_id",
            name=op.f("pk_matchmaking_dismissed_pair"),
        ),
    )
    with op.batch_alter_table("matchmaking_dismissed_pair", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_matchmaking_dismissed_pair_second_profile_id"),
            ["second_profile_id"],
            unique=False,
        )

    op.create_table(
        "matchmaking_round_theme",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("specialisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["matchmaking_round.id"],
            name=op.f("fk_matchmaking_round_theme_round_id_matchmaking_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["specialisation_id"],
            ["network_specialisation.id"],
            name=op.f("fk_matchmaking_round_theme_specialisation_id_network_specialisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "round_id", "specialisation_id", name=op.f("pk_matchmaking_round_theme")
        ),
    )
    with op.batch_alter_table("matchmaking_round_theme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_matchmaking_round_theme_specialisation_id"),
            ["specialisation_id"],
            unique=False,
        )

    op.create_table(
        "network_introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("first_profile_id", sa.Integer(), nullable=False),
        sa.Column("second_profile_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "proposed",
                "agreed",
                "met",
                "project-idea",
                "proposal-submitted",
                "declined",
                name="introduction_state",
                native_enum=False,
                create_constraint=True,
                length=26,
            ),
            nullable=False,
        ),
        sa.Column("project_title", sa.String(length=200), nullable=False),
        sa.Column(
            "programme",
            sa.Enum(
                "i3",
                "horizon-europe",
                "eu4health",
                "other",
                name="funding_programme",
                native_enum=False,
                create_constraint=True,
                length=22,
            ),
            nullable=True,
        ),
        sa.Column("call_reference", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "first_profile_id < second_profile_id",
            name=op.f("ck_network_introduction_pair_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_network_introduction_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["first_profile_id"],
            ["network_profile.id"],
            name=op.f("fk_network_introduction_first_profile_id_network_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["matchmaking_round.id"],
            name=op.f("fk_network_introduction_round_id_matchmaking_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_profile_id"],
            ["network_profile.id"],
            name=op.f("fk_network_introduction_second_profile_id_network_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_introduction")),
        sa.UniqueConstraint(
            "round_id", "first_profile_id", "second_profile_id", name="uq_network_introduction_pair"
        ),
    )
    with op.batch_alter_table("network_introduction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_introduction_first_profile_id"),
            ["first_profile_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_network_introduction_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_network_introduction_second_profile_id"),
            ["second_profile_id"],
            unique=False,
        )

    op.create_table(
        "study_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "study-visit",
                "individual",
                name="visit_kind",
                native_enum=False,
                create_constraint=True,
                length=19,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "held",
                "cancelled",
                name="visit_status",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("host_profile_id", sa.Integer(), nullable=True),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("follow_ups", sa.Text(), nullable=False),
        sa.Column("registration_open", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_study_visit_visit_dates_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_study_visit_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["host_profile_id"],
            ["network_profile.id"],
            name=op.f("fk_study_visit_host_profile_id_network_profile"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_visit")),
    )
    with op.batch_alter_table("study_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_visit_starts_on"), ["starts_on"], unique=False)

    op.create_table(
        "network_introduction_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "proposed",
                "agreed",
                "met",
                "project-idea",
                "proposal-submitted",
                "declined",
                name="introduction_step_state",
                native_enum=False,
                create_constraint=True,
                length=26,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["network_introduction.id"],
            name=op.f("fk_network_introduction_step_introduction_id_network_introduction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_network_introduction_step_recorded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_introduction_step")),
    )
    with op.batch_alter_table("network_introduction_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_introduction_step_introduction_id"),
            ["introduction_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_network_introduction_step_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "study_visit_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_study_visit_interest_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_study_visit_interest_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["study_visit.id"],
            name=op.f("fk_study_visit_interest_visit_id_study_visit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_visit_interest")),
        sa.UniqueConstraint("visit_id", "user_id", name="uq_study_visit_interest_once"),
    )
    with op.batch_alter_table("study_visit_interest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_visit_interest_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "study_visit_organisation",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["network_profile.id"],
            name=op.f("fk_study_visit_organisation_profile_id_network_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["study_visit.id"],
            name=op.f("fk_study_visit_organisation_visit_id_study_visit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", "profile_id", name=op.f("pk_study_visit_organisation")),
    )
    with op.batch_alter_table("study_visit_organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_visit_organisation_profile_id"), ["profile_id"], unique=False
        )


def upgrade():
    _organisation_kinds(KINDS_AFTER)
    for table_name, terms in (
        ("network_specialisation", SPECIALISATIONS),
        ("network_capability", CAPABILITIES),
    ):
        table = _vocabulary(table_name)
        op.bulk_insert(
            table,
            [
                {"slug": slug, "name_en": english, "name_it": italian, "position": position}
                for position, (slug, english, italian) in enumerate(terms, start=1)
            ],
        )
    op.create_table(
        "network_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "region",
            sa.Enum(
                "lombardy",
                "limburg",
                "other",
                name="network_region",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("offer_text", sa.Text(), nullable=False),
        sa.Column("need_text", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_network_profile_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_network_profile_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_profile")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_network_profile_organisation_id")),
    )
    op.create_index(op.f("ix_network_profile_region"), "network_profile", ["region"], unique=False)
    _links("network_profile_specialisation", "network_specialisation")
    _links("network_profile_offer", "network_capability")
    _links("network_profile_need", "network_capability")
    _rounds_visits_and_notes()


def downgrade():
    for table_name in (
        "study_visit_organisation",
        "study_visit_interest",
        "network_introduction_step",
        "study_visit",
        "network_introduction",
        "matchmaking_round_theme",
        "matchmaking_dismissed_pair",
        "network_feasibility_note",
        "matchmaking_round",
    ):
        op.drop_table(table_name)  # their indexes go with them
    for table_name in (
        "network_profile_need",
        "network_profile_offer",
        "network_profile_specialisation",
    ):
        op.drop_index(op.f(f"ix_{table_name}_term_id"), table_name=table_name)
        op.drop_table(table_name)
    op.drop_index(op.f("ix_network_profile_region"), table_name="network_profile")
    op.drop_table("network_profile")
    op.drop_table("network_capability")
    op.drop_table("network_specialisation")
    # The kinds added here have no place before it: clusters and public bodies become
    # research organisations (the nearest kind of the old list).
    organisation = sa.table("organisation", sa.column("kind", sa.String))
    op.execute(
        organisation.update()
        .where(organisation.c.kind.in_(("cluster", "public-body")))
        .values(kind="research")
    )
    _organisation_kinds(KINDS_BEFORE)
