"""Driving the server with wrk (Debian's package) and reading its report."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

THREADS = 2
CONNECTIONS = 8
# One browser-like identity for every request, the login included: Flask-Login
# ties a session to the client's user agent and would otherwise update the
# session cookie on every request (which a browser stores, and wrk does not).
USER_AGENT = "Mozilla/5.0 (forum benchmark)"
# As every browser does: the page cache then serves its compressed copy.
ACCEPT_ENCODING = "gzip, deflate, br"

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_responses: int  # non-2xx/3xx and socket errors


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    return path


def run(
    base_url: str,
    paths: list[str],
    *,
    seconds: int,
    cookie: str | None = None,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
) -> LoadResult:
    """Load the server for ``seconds``; several paths are requested in turn."""
    command = _wrk(min(threads, connections), connections, seconds, cookie) + ["--latency"]
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "paths.lua"
        script.write_text(_rotation_script(paths))
        command += ["-s", str(script), base_url]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return parse(output)


def warm(
    base_url: str, paths: list[str], *, passes: int, limit_seconds: int, cookie: str | None = None
) -> None:
    """Ask every path ``passes`` times over (or until ``limit_seconds``), then stop.

    wrk itself always runs its whole duration, even once its threads stopped, so the
    script ends the process; with one thread, whose count of responses is the whole
    run's (each thread has its own Lua state). Nothing is measured.
    """
    command = _wrk(1, CONNECTIONS, limit_seconds, cookie)
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "warm.lua"
        script.write_text(_rotation_script(paths, passes))
        command += ["-s", str(script), base_url]
        subprocess.run(command, check=True, capture_output=True)


def _wrk(threads: int, connections: int, seconds: int, cookie: str | None) -> list[str]:
    """wrk's command line as every load and warm-up gives it: a browser's headers."""
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-H",
        f"User-Agent: {USER_AGENT}",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return command


def _rotation_script(paths: list[str], passes: int | None = None) -> str:
    quoted = ", ".join(_lua_string(path) for path in paths)
    script = (
        f"local paths = {{{quoted}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        "  return wrk.format('GET', paths[(n % #paths) + 1])\n"
        "end\n"
    )
    if passes is not None:
        script += (
            "local answered = 0\n"
            "response = function()\n"
            "  answered = answered + 1\n"
            f"  if answered >= {passes} * #paths then os.exit(0) end\n"
            "end\n"
        )
    return script


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def search_path(query: str) -> str:
    return "/search?" + urllib.parse.urlencode({"q": query})


def parse(output: str) -> LoadResult:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if match is None:
            raise ValueError(f"wrk printed no {percent}% latency:\n{output}")
        return float(match.group(1)) * _UNIT_MS[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if rate is None or total is None:
        raise ValueError(f"unexpected wrk output:\n{output}")
    socket_errors = sum(int(group) for group in errors.groups()) if errors else 0
    return LoadResult(
        requests_per_second=float(rate.group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(total.group(1)),
        bad_responses=(int(bad.group(1)) if bad else 0) + socket_errors,
    )
