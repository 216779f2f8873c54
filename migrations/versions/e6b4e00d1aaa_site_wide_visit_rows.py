"""site-wide visit rows: each day's unique visitors of the whole site, backfilled

Revision ID: e6b4e00d1aaa
Revises: 5aa07bbd0e25
Create Date: 2026-11-23 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e6b4e00d1aaa"
down_revision = "5aa07bbd0e25"
branch_labels = None
depends_on = None

# forum/services/visits.py SITE, written out: a migration must not change meaning
# when the code it once matched changes.
SITE = "site"


def upgrade():
    # No schema change: the site's figures are rows of visit_day (and visitor_mark)
    # under a section name no page maps to. Only data is added here.
    #
    # Days whose visitor marks still exist (today, until its salt is forgotten):
    # a visitor's hash is the same in every section of a day, so the distinct
    # hashes are the site's visitors, exactly.
    op.execute(
        sa.text(
            "INSERT INTO visitor_mark (day, section, visitor_hash) "
            "SELECT DISTINCT day, :site, visitor_hash FROM visitor_mark WHERE section <> :site"
        ).bindparams(site=SITE)
    )
    # Every other day: the sections' visitors cannot be told apart any more, so the
    # sum of the sections' figures is the best there is (an overcount, as before).
    op.execute(
        sa.text(
            "INSERT INTO visit_day (day, section, views, unique_visitors) "
            "SELECT day, :site, SUM(views), SUM(unique_visitors) FROM visit_day "
            "WHERE section <> :site GROUP BY day"
        ).bindparams(site=SITE)
    )
    op.execute(
        sa.text(
            "UPDATE visit_day SET unique_visitors = ("
            "  SELECT COUNT(*) FROM visitor_mark"
            "  WHERE visitor_mark.day = visit_day.day AND visitor_mark.section = :site) "
            "WHERE section = :site AND EXISTS ("
            "  SELECT 1 FROM visitor_mark"
            "  WHERE visitor_mark.day = visit_day.day AND visitor_mark.section = :site)"
        ).bindparams(site=SITE)
    )


def downgrade():
    op.execute(sa.text("DELETE FROM visitor_mark WHERE section = :site").bindparams(site=SITE))
    op.execute(sa.text("DELETE FROM visit_day WHERE section = :site").bindparams(site=SITE))
