"""Starting and stopping the forum under gunicorn for a benchmark run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2  # one per core on the reference machine; the reference figures use 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, *, log_path: Path, settings: dict[str, str] | None = None):
    """Serve bench.wsgi:app on 127.0.0.1 with a fixed configuration; yields the base URL
    and the master's pid. ``settings`` are environment variables over the fixed ones
    (the live rows turn the rate limits on, or the page cache off)."""
    port = free_port()
    environment = {
        **os.environ,
        "FORUM_ENV": "production",
        "SECRET_KEY": "benchmark-only-secret-long-enough-for-production",
        "DATABASE_URL": database_url,
        # One load generator on one address would trip the per-address rate limits
        # at once; they guard against abuse and are measured by their own tests.
        "RATELIMIT_ENABLED": "false",
        **(settings or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.wsgi:app",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--access-logfile",
        "/dev/null",
        "--log-level",
        "warning",
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, process)
        yield base_url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see the log")
        try:
            with urllib.request.urlopen(base_url + "/_bench/bare", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def worker_memory_mb(master_pid: int) -> float:
    """The largest resident set among the master's workers, in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return max(sizes) if sizes else 0.0
