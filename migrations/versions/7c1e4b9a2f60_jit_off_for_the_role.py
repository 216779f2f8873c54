"""JIT compilation off for the role the forum connects as (PostgreSQL only)

PostgreSQL compiles a statement it estimates as costly (over 100,000) to machine code
first, some 10 to 20 ms: more than a page's whole budget. Its estimates for searches of
uncommon words are that high, and a forum's statements are short.

The app used to send ``-c jit=off`` as a startup parameter on every connection, which
PgBouncer refuses. A role's own default needs no privilege beyond being that role, costs
nothing per connection or transaction (a ``SET LOCAL`` per transaction would cost a round
trip each, and the cached-page path reads in autocommit, outside any transaction), and
follows the role into a database restored elsewhere. It is the role that runs this
migration: docs/operations.md has the app migrate as the role it connects as; where
another role migrates, run ``ALTER ROLE <the app's role> SET jit = off`` once as well.

Revision ID: 7c1e4b9a2f60
Revises: 3f6a2c9d8e41
Create Date: 2026-12-06 21:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1e4b9a2f60"
down_revision = "7c41e9b2d5a8"
branch_labels = None
depends_on = None


# Two databases migrated at once by the same role (the test suite's workers, two
# servers' first start) both rewrite that role's one settings row, and the second
# fails with "tuple concurrently updated" rather than waiting. A lock for the rest of
# the migrating transaction makes the second wait for the first's commit.
_ROLE_SETTINGS_LOCK = "SELECT pg_advisory_xact_lock(hashtext('forum: the role''s settings'))"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_ROLE_SETTINGS_LOCK)
        # Sessions opened from now on (a role's defaults apply at login).
        op.execute("ALTER ROLE CURRENT_USER SET jit = off")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_ROLE_SETTINGS_LOCK)
        op.execute("ALTER ROLE CURRENT_USER RESET jit")
