"""Server processes the tests start (gunicorn, nginx, PgBouncer, redis-server...): each
started by its own PID, its output in a log file, stopped by that PID at the end (also when
the test fails), and its log shown on failure; and free loopback ports for them."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    """A loopback port nothing listens on (the probe is closed on return)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class Process:
    """One server process on loopback, its standard output and error in ``log_path``."""

    def __init__(self, name: str, command: list[str], log_path: Path, **popen):
        self.name = name
        self.command = command
        self.log_path = log_path
        self._popen = popen
        self.process: subprocess.Popen | None = None

    def start(self) -> Process:
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, **self._popen
            )
        finally:
            log.close()  # the child has its own copy
        return self

    def wait_for_port(self, port: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited at start:\n{self.log()}")
            if port_answers(port):
                return
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not listen on {port} in {seconds} s:\n{self.log()}")

    def log(self) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return self.log_path.read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, grace=20)


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM, then SIGKILL if it has not exited after ``grace`` seconds; by its PID."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def run(command: list[str], *, what: str, **popen) -> str:
    """Run a command to its end; its output, or an AssertionError carrying it."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **popen)
    if result.returncode != 0:
        raise AssertionError(
            f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result.stdout
