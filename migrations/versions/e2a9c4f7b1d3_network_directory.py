"""The Lombardy-Limburg network's directory: organisations' profiles, the bilingual
vocabularies of specialisations and capabilities (seeded here), and two more organisation
kinds (cluster, public body) (issue 29)

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


def downgrade():
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
