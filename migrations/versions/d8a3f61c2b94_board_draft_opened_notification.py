"""the board-draft-opened notification: experts hear when a draft opens in a topic they follow

Revision ID: d8a3f61c2b94
Revises: a3f1c9d2e7b4
Create Date: 2026-12-06 18:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d8a3f61c2b94"
down_revision = "a3f1c9d2e7b4"
branch_labels = None
depends_on = None

# The values, written out: a migration must not change meaning when the code it once
# matched changes. As the referrals migration (c5e8a2d7f3b1) left them.
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
    "referral-update",
)
NEW_KINDS = OLD_KINDS + ("board-draft-opened",)
KIND_CHECKS = (("notification", "notification_kind"), ("email_opt_out", "opt_out_kind"))


def _replace_checks(values):
    """Swap the CHECK constraints listing the kinds (SQLite rebuilds the table)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    for table, name in KIND_CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(
                op.f(f"ck_{table}_{name}"), sa.text(f"kind IN ({allowed})")
            )


def upgrade():
    _replace_checks(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind = 'board-draft-opened'")
    op.execute("DELETE FROM email_opt_out WHERE kind = 'board-draft-opened'")
    _replace_checks(OLD_KINDS)
