"""bandit over the package: no finding of medium or high severity, whatever bandit's
confidence in it (a low-confidence finding is still read and explained, not filtered out).
ruff over all the Python: no finding of the rules pyproject.toml selects.

A false positive is marked on its line with ``# nosec BXXX  # why`` (the list
is in docs/architecture.md); anything else that bandit finds fails the suite.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404  # runs bandit with an argument list, no shell
import sys
from pathlib import Path

from forum.config import PROJECT_ROOT


def bandit(target: Path) -> dict:
    """bandit's JSON report on ``target``: medium and high severity, every confidence level."""
    result = subprocess.run(  # nosec B603  # this interpreter and fixed arguments
        [
            sys.executable,
            "-m",
            "bandit",
            "--recursive",
            str(target),
            "--severity-level",
            "medium",
            "--confidence-level",
            "all",
            "--format",
            "json",
            "--quiet",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout, result.stderr  # bandit ran (it prints its report even when clean)
    return json.loads(result.stdout)


def _findings(report: dict) -> list[str]:
    return [
        f"{issue['filename']}:{issue['line_number']} {issue['test_id']} "
        f"{issue['issue_severity']}/{issue['issue_confidence']} {issue['issue_text']}"
        for issue in report["results"]
    ]


def test_bandit_finds_nothing_of_medium_or_high_severity_in_the_package():
    report = bandit(PROJECT_ROOT / "forum")
    findings = _findings(report)
    assert findings == [], "\n".join(findings)
    assert report["errors"] == []
    assert report["metrics"]["_totals"]["loc"] > 1000  # it really read the package


def test_the_scan_reports_findings_of_low_confidence_too(tmp_path):
    """The options really let a low-confidence finding through: bandit is only LOW-confident
    that a string built like SQL is an injection (B608, medium severity), and a scan at
    ``--confidence-level medium`` would pass this file."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def lookup(name):\n    return \"SELECT * FROM user WHERE name = '%s'\" % name\n"
    )
    findings = bandit(tmp_path)["results"]
    assert [
        (issue["test_id"], issue["issue_severity"], issue["issue_confidence"]) for issue in findings
    ] == [("B608", "MEDIUM", "LOW")]


# What ruff reads: the package, its tests, the benchmark and the migrations.
CODE = ("forum", "tests", "bench", "migrations")


def ruff(*arguments: str, cwd=PROJECT_ROOT) -> subprocess.CompletedProcess:
    """Ruff run by this interpreter, without its cache (a stale cache could pass)."""
    return subprocess.run(  # nosec B603  # this interpreter and fixed arguments
        [sys.executable, "-m", "ruff", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_finds_nothing_in_the_code_and_its_tests():
    """Unused imports and variables, undefined names, import order, likely bugs
    (pyproject.toml's [tool.ruff]): ``ruff check --fix`` mends most of them."""
    result = ruff("check", "--no-cache", "--output-format", "concise", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_and_its_tests_are_formatted():
    """One layout everywhere (``ruff format``, line length 100): a diff shows what changed,
    never how someone wraps lines. ``ruff format forum tests bench migrations`` mends it."""
    result = ruff("format", "--check", "--no-cache", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_format_check_reports_a_file_laid_out_otherwise(tmp_path):
    """The check really reads the layout: a badly spaced file in its reach fails it."""
    probe = tmp_path / "probe.py"
    probe.write_text("x = {  'a':1 }\n")
    config = str(PROJECT_ROOT / "pyproject.toml")
    result = ruff("format", "--check", "--no-cache", "--config", config, str(probe), cwd=tmp_path)
    assert result.returncode == 1 and "probe.py" in result.stdout, result.stdout + result.stderr


def test_ruff_reports_what_it_is_asked_to_find(tmp_path):
    """The check really runs the rules: an unused import in a file it reads fails it."""
    probe = tmp_path / "probe.py"
    probe.write_text("import os\n")
    config = str(PROJECT_ROOT / "pyproject.toml")
    result = ruff("check", "--no-cache", "--config", config, str(probe), cwd=tmp_path)
    assert result.returncode == 1 and "F401" in result.stdout, result.stdout + result.stderr
