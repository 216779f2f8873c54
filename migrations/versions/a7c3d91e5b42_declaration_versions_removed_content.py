"""declarations of interest as versions; confidential text removed on account deletion

Revision ID: a7c3d91e5b42
Revises: ffa675c48d2a
Create Date: 2026-12-06 06:40:00

Each answer, stance and board revision points to the version of its author's
declaration of interests in force when it was given. Existing rows get the
profile's current declaration as version 1, dated as the profile says.
Questions and comments get ``removed_at`` (their text erased when a deleted
author's confidential question is removed).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3d91e5b42"
down_revision = "ffa675c48d2a"
branch_labels = None
depends_on = None

# The tables whose rows were given under a declaration, with the column naming their expert.
GIVEN_BY = (("answer", "author_id"), ("stance", "expert_id"), ("board_revision", "editor_id"))


def upgrade():
    op.create_table(
        "declaration_of_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["user.id"],
            name=op.f("fk_declaration_of_interest_expert_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_of_interest")),
        sa.UniqueConstraint("expert_id", "number", name="uq_declaration_of_interest_number"),
    )
    # Batch mode copies each table on SQLite: migrations/env.py runs every migration with
    # foreign keys off, so dropping the old copy cascades to nothing.
    for table, _expert_column in GIVEN_BY:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("declaration_id", sa.Integer(), nullable=True))
            batch_op.create_index(
                batch_op.f(f"ix_{table}_declaration_id"), ["declaration_id"], unique=False
            )
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_declaration_id_declaration_of_interest"),
                "declaration_of_interest",
                ["declaration_id"],
                ["id"],
                ondelete="SET NULL",
            )
    # Plain nullable columns: SQLite adds them in place.
    op.add_column("question", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("comment", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))

    # The current declaration becomes version 1, dated as the profile says (its last
    # change when it was never dated); it is all that is known of earlier ones.
    op.execute(
        "INSERT INTO declaration_of_interest (expert_id, number, text, declared_at) "
        "SELECT user_id, 1, conflicts, COALESCE(conflicts_declared_at, updated_at) "
        "FROM expert_profile WHERE conflicts <> ''"
    )
    for table, expert_column in GIVEN_BY:
        op.execute(
            f"UPDATE {table} SET declaration_id = (SELECT declaration_of_interest.id "
            f"FROM declaration_of_interest WHERE declaration_of_interest.expert_id = "
            f"{table}.{expert_column})"
        )


def downgrade():
    op.drop_column("comment", "removed_at")
    op.drop_column("question", "removed_at")
    # Batch mode copies each table on SQLite: migrations/env.py runs every migration with
    # foreign keys off, so dropping the old copy cascades to nothing.
    for table, _expert_column in reversed(GIVEN_BY):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_declaration_id_declaration_of_interest"), type_="foreignkey"
            )
            batch_op.drop_index(batch_op.f(f"ix_{table}_declaration_id"))
            batch_op.drop_column("declaration_id")
    op.drop_table("declaration_of_interest")
