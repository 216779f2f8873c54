"""Flask extensions, created without an app and bound in the factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from forum.login_manager import RotatingKeyLoginManager
from forum.route_limiter import RouteLimiter

# Named constraints: Alembic's batch mode on SQLite can only alter constraints
# that have names, and stable names keep migrations identical on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# Reads remember-me cookies signed with a retired SECRET_KEY too (forum/signing_keys.py).
login_manager = RotatingKeyLoginManager()
csrf = CSRFProtect()
babel = Babel()
# Storage and switches come from the RATELIMIT_* settings; which routes are limited,
# and how much, is forum/web/infra/rate_limits.py. Asked only by the views it guards
# while no limit applies to every request (forum/route_limiter.py).
limiter = RouteLimiter(key_func=get_remote_address)
