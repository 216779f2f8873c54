"""A failing cluster check shows every process's log (nginx, the gunicorns, PgBouncer...)."""

from __future__ import annotations

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    cluster = getattr(item, "funcargs", {}).get("cluster")
    if report.when == "call" and report.failed and cluster is not None:
        report.sections.append(("the cluster's processes' logs", cluster.logs()))
