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
from sqlalchemy import exc, text

# revision identifiers, used by Alembic.
revision = "7c1e4b9a2f60"
down_revision = "7c41e9b2d5a8"
branch_labels = None
depends_on = None


# Two databases migrated at once by the same role (the test suite's two PostgreSQL
# workers, two servers' first start) rewrite that role's one settings row: the second
# waits for the first's transaction, then fails with "tuple concurrently updated" (or,
# where the row did not exist yet, a duplicate key) rather than reading the new row. An
# advisory lock cannot order them, being per database. So the setting is written only
# when the role lacks it, and a write that lost that race is undone to a savepoint and
# tried again: by then the other's commit is visible, and the setting usually there.
_ATTEMPTS = 5
_ROLE_HAS_JIT_OFF = text(
    "SELECT EXISTS (SELECT 1 FROM pg_db_role_setting"
    " WHERE setdatabase = 0 AND setrole = current_user::regrole"
    " AND 'jit=off' = ANY (setconfig))"
)


def set_role_jit_off(connection, wanted: bool) -> None:
    """Give the connected role ``jit = off`` as its default (``wanted``) or take it back."""
    for attempt in range(1, _ATTEMPTS + 1):
        if connection.scalar(_ROLE_HAS_JIT_OFF) == wanted:
            return
        savepoint = connection.begin_nested()
        try:
            # Sessions opened from now on (a role's defaults apply at login).
            connection.execute(
                text(f"ALTER ROLE CURRENT_USER {'SET jit = off' if wanted else 'RESET jit'}")
            )
        except (exc.InternalError, exc.IntegrityError):
            savepoint.rollback()
            if attempt == _ATTEMPTS:
                raise
        else:
            savepoint.commit()
            return


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        set_role_jit_off(op.get_bind(), wanted=True)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        set_role_jit_off(op.get_bind(), wanted=False)
