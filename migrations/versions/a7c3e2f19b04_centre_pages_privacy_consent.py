"""the centre's pages (about, contact, privacy, terms) with revisions; the privacy notice
version each account accepted, and when

Revision ID: a7c3e2f19b04
Revises: a7c3d91e5b42
Create Date: 2026-12-06 06:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3e2f19b04"
down_revision = "a7c3d91e5b42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "centre_page_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "page",
            sa.Enum(
                "about",
                "contact",
                "privacy",
                "terms",
                name="centre_page",
                native_enum=False,
                create_constraint=True,
                length=15,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("title_it", sa.String(length=200), nullable=False),
        sa.Column("body_it", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("privacy_version", sa.Integer(), nullable=True),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["editor_id"],
            ["user.id"],
            name=op.f("fk_centre_page_revision_editor_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_page_revision")),
        sa.UniqueConstraint("page", "number", name="uq_centre_page_revision_number"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy_version_accepted", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("privacy_accepted_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("privacy_accepted_at")
        batch_op.drop_column("privacy_version_accepted")
    op.drop_table("centre_page_revision")
