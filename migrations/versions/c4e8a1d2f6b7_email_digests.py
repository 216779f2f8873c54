"""e-mail digests: each person's e-mail frequency (immediate, daily, weekly, none) and the
notifications waiting for their digest

Revision ID: c4e8a1d2f6b7
Revises: a7c3e2f19b04
Create Date: 2026-12-06 09:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8a1d2f6b7"
down_revision = "a7c3e2f19b04"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        # Everyone keeps the single e-mails they had until they choose a digest.
        batch_op.add_column(
            sa.Column(
                "email_frequency",
                sa.Enum(
                    "immediate",
                    "daily",
                    "weekly",
                    "none",
                    name="email_frequency",
                    native_enum=False,
                    create_constraint=True,
                    length=17,
                ),
                server_default="immediate",
                nullable=False,
            )
        )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("awaits_digest", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("digested_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_notification_awaits_digest_user", ["awaits_digest", "user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_awaits_digest_user")
        batch_op.drop_column("digested_at")
        batch_op.drop_column("awaits_digest")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_email_frequency"), type_="check")
        batch_op.drop_column("email_frequency")
