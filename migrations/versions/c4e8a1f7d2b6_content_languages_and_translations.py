"""content in English and Italian: the language of questions, answers, comments, board
answers, experts' profiles and declarations; the
Italian of topics, clinic labels, surveys and their items; outdated translations

Revision ID: c4e8a1f7d2b6
Revises: c5e8a2d7f3b1
Create Date: 2026-12-06 09:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8a1f7d2b6"
down_revision = "c5e8a2d7f3b1"
branch_labels = None
depends_on = None

WRITTEN_TEXTS = (
    "question",
    "answer",
    "comment",
    "board_answer",
    "expert_profile",
    "declaration_of_interest",
)

# The Italian of the standard topics the initial migration seeded, in the terms of the
# Italian texts of the MDR and IVDR (follow-up clinico post-commercializzazione, studi
# delle prestazioni). A topic an admin renamed or added keeps an empty name until translated.
STANDARD_TOPICS_IT = [
    ("regulatory-pathway", "Percorso regolatorio"),
    ("ethics-committee", "Comitato etico"),
    ("study-design-statistics", "Disegno dello studio e statistica"),
    ("study-documents", "Documenti dello studio (CIP, dossier per lo sperimentatore, consenso)"),
    ("clinical-sites-populations", "Centri clinici e popolazioni"),
    ("insurance-costs", "Assicurazione e costi"),
    ("data-protection", "Protezione dei dati"),
    ("safety-reporting", "Segnalazione degli eventi avversi"),
    ("pmcf", "Follow-up clinico post-commercializzazione (PMCF)"),
    ("software-ai", "Software e intelligenza artificiale"),
    ("ivd-performance-studies", "Studi delle prestazioni dei dispositivi IVD"),
    ("reimbursement-hta", "Rimborsabilità e HTA"),
]


def upgrade():
    op.create_table(
        "label_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "specialty",
                "population",
                name="label_kind",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("italian", sa.String(length=200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_label_translation_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_translation")),
        sa.UniqueConstraint("kind", "source", name="uq_label_translation_source"),
    )
    # Everything written so far was written in English (the only language offered).
    for table in WRITTEN_TEXTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "language",
                    sa.Enum(
                        "en",
                        "it",
                        name=f"{table}_language",
                        native_enum=False,
                        create_constraint=True,
                        length=10,
                    ),
                    server_default="en",
                    nullable=False,
                )
            )
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_it", sa.String(length=120), server_default="", nullable=False)
        )
    with op.batch_alter_table("clinic", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("description_it", sa.Text(), server_default="", nullable=False)
        )
    topic = sa.table("topic", sa.column("slug", sa.String), sa.column("name_it", sa.String))
    for slug, name_it in STANDARD_TOPICS_IT:
        op.execute(topic.update().where(topic.c.slug == slug).values(name_it=name_it))
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("title_it", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_it", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("italian_outdated_since", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("survey_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prompt_it", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("options_it", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("italian_outdated_since", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("centre_page_revision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("italian_outdated_since", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("centre_page_revision", schema=None) as batch_op:
        batch_op.drop_column("italian_outdated_since")
    with op.batch_alter_table("survey_item", schema=None) as batch_op:
        batch_op.drop_column("italian_outdated_since")
        batch_op.drop_column("options_it")
        batch_op.drop_column("prompt_it")
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_column("italian_outdated_since")
        batch_op.drop_column("description_it")
        batch_op.drop_column("title_it")
    with op.batch_alter_table("clinic", schema=None) as batch_op:
        batch_op.drop_column("description_it")
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.drop_column("name_it")
    for table in reversed(WRITTEN_TEXTS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            # Named explicitly: SQLite's batch mode would otherwise copy the CHECK
            # constraint into the rebuilt table, naming a column it no longer has.
            batch_op.drop_constraint(op.f(f"ck_{table}_{table}_language"), type_="check")
            batch_op.drop_column("language")
    op.drop_table("label_translation")
