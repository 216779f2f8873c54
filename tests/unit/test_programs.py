"""`make test` makes the programs its tests drive present (tests/programs.sh): it installs
a missing browser, starts a Redis server for the run when none answers and stops it after,
and where it cannot install, stops at once with one line naming the program and the
command that installs it. FORUM_APT_GET stands in for apt-get, so no package is touched.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT / "tests" / "programs.sh"


def _executable(path: Path, body: str) -> Path:
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


# The cluster test's programs (tests/cluster), by the variable that names each and its package.
CLUSTER_PROGRAMS = {
    "FORUM_TEST_NGINX": "nginx",
    "FORUM_TEST_PGBOUNCER": "pgbouncer",
    "FORUM_TEST_REDIS_SERVER": "redis-server",
    "FORUM_TEST_OPENSSL": "openssl",
}


def _cluster_programs_present(tmp_path: Path) -> dict[str, str]:
    """Stand-ins for the cluster's programs, so a test about another program installs none."""
    folder = tmp_path / "cluster-programs"
    folder.mkdir(exist_ok=True)
    return {
        variable: str(_executable(folder / package, ""))
        for variable, package in CLUSTER_PROGRAMS.items()
    }


def _run(tmp_path: Path, command: list[str], **environment: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FORUM_TEST_CHROMIUM", "FORUM_APT_GET", "FORUM_TEST_REDIS_PORT"}
    }
    env.update(_cluster_programs_present(tmp_path))
    # The Redis this machine runs for the suite stays out of these runs.
    env["FORUM_TEST_REDIS_URL"] = "redis://127.0.0.1:6379/9"
    env.update(environment)
    return subprocess.run(
        [str(SCRIPT), *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_browser_that_cannot_be_installed_stops_the_run_with_one_line(tmp_path):
    missing = tmp_path / "no-such-dir" / "chromium"
    failing_apt = _executable(tmp_path / "apt-get", "exit 100\n")
    ran = tmp_path / "ran"

    result = _run(
        tmp_path,
        ["touch", str(ran)],
        FORUM_TEST_CHROMIUM=str(missing),
        FORUM_APT_GET=str(failing_apt),
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"make test: {missing} is missing; install it with: sudo apt-get install -y chromium"
    )
    assert not ran.exists()  # no test ran, none was skipped


def test_a_missing_browser_is_installed_and_the_tests_then_run(tmp_path):
    browser = tmp_path / "bin" / "chromium"
    calls = tmp_path / "apt-calls"
    # A stand-in for apt-get that "installs" the browser where the tests look for it.
    fake_apt = _executable(
        tmp_path / "apt-get",
        f"""
echo "$*" >> {calls}
if [ "$1" = install ]; then
    mkdir -p {browser.parent} && printf '#!/bin/sh\\n' > {browser} && chmod +x {browser}
fi
""",
    )
    ran = tmp_path / "ran"

    result = _run(
        tmp_path,
        ["touch", str(ran)],
        FORUM_TEST_CHROMIUM=str(browser),
        FORUM_APT_GET=str(fake_apt),
    )

    assert result.returncode == 0, result.stderr
    assert ran.exists()
    assert calls.read_text().splitlines() == ["update -qq", "install -y -qq chromium"]


def test_a_present_browser_installs_nothing(tmp_path):
    browser = _executable(tmp_path / "chromium", "")
    failing_apt = _executable(tmp_path / "apt-get", f"touch {tmp_path / 'apt-called'}; exit 100\n")

    result = _run(
        tmp_path,
        ["true"],
        FORUM_TEST_CHROMIUM=str(browser),
        FORUM_APT_GET=str(failing_apt),
    )

    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "apt-called").exists()


def test_without_a_browser_test_to_run_no_browser_is_needed(tmp_path):
    missing = tmp_path / "no-such-dir" / "chromium"
    failing_apt = _executable(tmp_path / "apt-get", f"touch {tmp_path / 'apt-called'}; exit 100\n")
    ran = tmp_path / "ran"

    result = _run(
        tmp_path,
        ["--no-browser", "touch", str(ran)],
        FORUM_TEST_CHROMIUM=str(missing),
        FORUM_APT_GET=str(failing_apt),
    )

    assert result.returncode == 0, result.stderr
    assert ran.exists()
    assert not (tmp_path / "apt-called").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_without_a_redis_server_one_is_started_for_the_run_and_stopped_after(tmp_path):
    browser = _executable(tmp_path / "chromium", "")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "FORUM_TEST_REDIS_URL"}
    env.update(FORUM_TEST_CHROMIUM=str(browser), FORUM_TEST_REDIS_PORT=str(port))
    env.update(_cluster_programs_present(tmp_path))
    # The command the script runs asks the server it started for a PING.
    ping = (
        f"exec 3<>/dev/tcp/127.0.0.1/{port}; printf 'PING\\r\\n' >&3; "
        f'read -r reply <&3; echo "$reply" > {tmp_path / "reply"}'
    )

    result = subprocess.run(
        [str(SCRIPT), "bash", "-c", ping],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reply").read_text().strip() == "+PONG"
    assert not _answers(port)  # stopped by its PID when the run ended


def test_the_command_s_exit_status_is_the_run_s(tmp_path):
    browser = _executable(tmp_path / "chromium", "")

    result = _run(tmp_path, ["bash", "-c", "exit 3"], FORUM_TEST_CHROMIUM=str(browser))

    assert result.returncode == 3


def test_a_missing_cluster_program_that_cannot_be_installed_stops_the_run_with_one_line(tmp_path):
    browser = _executable(tmp_path / "chromium", "")
    missing = tmp_path / "no-such-dir" / "pgbouncer"
    failing_apt = _executable(tmp_path / "apt-get", "exit 100\n")
    ran = tmp_path / "ran"

    result = _run(
        tmp_path,
        ["touch", str(ran)],
        FORUM_TEST_CHROMIUM=str(browser),
        FORUM_TEST_PGBOUNCER=str(missing),
        FORUM_APT_GET=str(failing_apt),
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"make test: {missing} is missing; install it with: sudo apt-get install -y pgbouncer"
    )
    assert not ran.exists()


def test_make_check_needs_none_of_the_cluster_programs(tmp_path):
    failing_apt = _executable(tmp_path / "apt-get", f"touch {tmp_path / 'apt-called'}; exit 100\n")
    ran = tmp_path / "ran"
    missing = {
        variable: str(tmp_path / "none" / name) for variable, name in CLUSTER_PROGRAMS.items()
    }

    result = _run(
        tmp_path, ["--no-browser", "touch", str(ran)], FORUM_APT_GET=str(failing_apt), **missing
    )

    assert result.returncode == 0, result.stderr
    assert ran.exists()
    assert not (tmp_path / "apt-called").exists()
