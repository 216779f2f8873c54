"""gunicorn's settings for the forum (installed as /etc/forum/gunicorn.conf.py).

A minimal version: where to listen and how many workers, from the environment
(/etc/forum/forum.env), so each server sets its own without editing this file.
"""

import os

# The address nginx's upstream names for this server (deploy/nginx/forum.conf).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core is a common start; each worker holds its own pool of database connections
# (see deploy/pgbouncer/pgbouncer.ini for how many that makes).
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
# A search of a few thousand characters travels in the address (docs/operations.md, Logs).
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
