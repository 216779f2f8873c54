"""referrals confirmed by both sides: the clinic's links, the thread, each side's answer,
the trial's confirmation, the later steps and outcomes, and the referral notification

Revision ID: c5e8a2d7f3b1
Revises: c4e8a1d7b2f6
Create Date: 2026-12-06 09:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5e8a2d7f3b1"
down_revision = "c4e8a1d7b2f6"
branch_labels = None
depends_on = None

# The values, written out: a migration must not change meaning when the code it once
# matched changes.
OLD_STATUSES = ("proposed", "contacted", "agreed", "trial-started", "declined")
NEW_STATUSES = OLD_STATUSES + ("enrolled", "completed", "reported", "ce-marked", "abandoned")
STATUS_CHECKS = (
    ("facilitation", "facilitation_status"),
    ("facilitation_step", "facilitation_step_status"),
)

# As the moderation migration (3f14087516d3) left them.
OLD_KINDS = (
    "new-question-in-topic",
    "invitation",
    "stance-needed",
    "board-answer-published",
    "new-answer",
    "new-comment",
    "answer-accepted",
    "proposal-accepted",
    "proposal-declined",
    "moderated",
)
NEW_KINDS = OLD_KINDS + ("referral-update",)
KIND_CHECKS = (("notification", "notification_kind"), ("email_opt_out", "opt_out_kind"))


def _replace_checks(checks, column, values):
    """Swap the CHECK constraints listing a column's values (SQLite rebuilds the table)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    for table, name in checks:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(
                op.f(f"ck_{table}_{name}"), sa.text(f"{column} IN ({allowed})")
            )


def _decision(name):
    return sa.Enum(
        "accepted", "declined", name=name, native_enum=False, create_constraint=True, length=16
    )


def upgrade():
    op.create_table(
        "referral_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facilitation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("by_clinic", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user.id"],
            name=op.f("fk_referral_message_author_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["facilitation_id"],
            ["facilitation.id"],
            name=op.f("fk_referral_message_facilitation_id_facilitation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_message")),
    )
    with op.batch_alter_table("referral_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_message_facilitation_id"), ["facilitation_id"], unique=False
        )

    op.create_table(
        "referral_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facilitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_to", sa.String(length=254), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_referral_link_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["facilitation_id"],
            ["facilitation.id"],
            name=op.f("fk_referral_link_facilitation_id_facilitation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_referral_link_token_hash")),
    )
    with op.batch_alter_table("referral_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_link_facilitation_id"), ["facilitation_id"], unique=False
        )

    # Trials recorded before this migration were an expert's word: they stay unconfirmed.
    with op.batch_alter_table("facilitation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "trial_confirmation",
                sa.Enum(
                    "member",
                    "clinic",
                    "admin",
                    name="trial_confirmation",
                    native_enum=False,
                    create_constraint=True,
                    length=14,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("trial_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("trial_confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("trial_verification_note", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("member_decision", _decision("member_decision"), nullable=True)
        )
        batch_op.add_column(
            sa.Column("member_decided_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("clinic_decision", _decision("clinic_decision"), nullable=True)
        )
        batch_op.add_column(
            sa.Column("clinic_decided_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("contacts_released_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_facilitation_trial_confirmed_by_id_user"),
            "user",
            ["trial_confirmed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("facilitation_step", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("by_clinic", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    _replace_checks(STATUS_CHECKS, "status", NEW_STATUSES)
    _replace_checks(KIND_CHECKS, "kind", NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind = 'referral-update'")
    op.execute("DELETE FROM email_opt_out WHERE kind = 'referral-update'")
    _replace_checks(KIND_CHECKS, "kind", OLD_KINDS)
    # The later steps cannot be said in the older statuses: their steps go, and a
    # referral past its start is back at "trial started" (its start day is kept).
    later = ", ".join(f"'{status}'" for status in NEW_STATUSES if status not in OLD_STATUSES)
    op.execute(f"DELETE FROM facilitation_step WHERE status IN ({later})")
    op.execute(f"UPDATE facilitation SET status = 'trial-started' WHERE status IN ({later})")
    _replace_checks(STATUS_CHECKS, "status", OLD_STATUSES)

    with op.batch_alter_table("facilitation_step", schema=None) as batch_op:
        batch_op.drop_column("by_clinic")
    with op.batch_alter_table("facilitation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_facilitation_trial_confirmed_by_id_user"), type_="foreignkey"
        )
        batch_op.drop_constraint(op.f("ck_facilitation_trial_confirmation"), type_="check")
        batch_op.drop_constraint(op.f("ck_facilitation_member_decision"), type_="check")
        batch_op.drop_constraint(op.f("ck_facilitation_clinic_decision"), type_="check")
        batch_op.drop_column("contacts_released_at")
        batch_op.drop_column("clinic_decided_at")
        batch_op.drop_column("clinic_decision")
        batch_op.drop_column("member_decided_at")
        batch_op.drop_column("member_decision")
        batch_op.drop_column("trial_verification_note")
        batch_op.drop_column("trial_confirmed_by_id")
        batch_op.drop_column("trial_confirmed_at")
        batch_op.drop_column("trial_confirmation")

    with op.batch_alter_table("referral_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_link_facilitation_id"))
    op.drop_table("referral_link")
    with op.batch_alter_table("referral_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_message_facilitation_id"))
    op.drop_table("referral_message")
