"""The app under gunicorn for the benchmark, plus the bare route it is measured against.

The bare route lives here, not in the forum, so production has no such route;
it runs in the same app, with the same hooks, as the pages it is compared with.
"""

from forum import create_app

app = create_app()


@app.get("/_bench/bare")
def bare():
    return "ok"
