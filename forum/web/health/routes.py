"""The probes a load balancer, systemd or a monitor asks, answered without login.

- ``/healthz``: the process answers. No query, no session, no template: a 200 while
  the worker can run a view at all, whatever the database does (restarting a worker
  because the database is down would not bring it back).
- ``/readyz``: the process can serve pages (forum/services/readiness.py): 200 with
  ``{"status": "ready", ...}``, else 503 with ``"unready"`` and each check's reason.
  A balancer sends no traffic to an unready server; the cluster test relies on these
  paths, codes and the ``status`` field.

Neither is rate limited, cached (``no-store``, and not a cached page) or counted as a
visit (not HTML); neither reads or sets the session, so no cookie is set.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from forum.extensions import db, limiter
from forum.resources import migrations_dir
from forum.services import readiness

bp = Blueprint("health", __name__)

NOT_STORED = "no-store"


@bp.get("/healthz")
@limiter.exempt
def alive():
    response = Response("ok\n", mimetype="text/plain")
    response.headers["Cache-Control"] = NOT_STORED
    return response


@bp.get("/readyz")
@limiter.exempt
def ready():
    outcome = readiness.check(
        db.engine,
        str(migrations_dir()),
        current_app.config.get("REDIS_URL"),
    )
    response = jsonify(status="ready" if outcome.ready else "unready", checks=outcome.checks)
    response.status_code = 200 if outcome.ready else 503
    response.headers["Cache-Control"] = NOT_STORED
    return response
