"""bandit over the package: no finding of medium or high severity and confidence.

A false positive is marked on its line with ``# nosec BXXX  # why`` (the list
is in docs/architecture.md); anything else that bandit finds fails the suite.
"""
from __future__ import annotations

import json
import subprocess  # nosec B404  # runs bandit with an argument list, no shell
import sys

from forum.config import PROJECT_ROOT


def test_bandit_finds_nothing_of_medium_or_high_severity_in_the_package():
    result = subprocess.run(  # nosec B603  # this interpreter and fixed arguments
        [sys.executable, "-m", "bandit", "--recursive", "forum",
         "--severity-level", "medium", "--confidence-level", "medium",
         "--format", "json", "--quiet"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )
    assert result.stdout, result.stderr  # bandit ran (it prints its report even when clean)
    report = json.loads(result.stdout)
    findings = [f"{issue['filename']}:{issue['line_number']} {issue['test_id']} "
                f"{issue['issue_text']}" for issue in report["results"]]
    assert findings == [], "\n".join(findings)
    assert report["errors"] == []
    assert report["metrics"]["_totals"]["loc"] > 1000  # it really read the package
