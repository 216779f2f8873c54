"""The app served over real HTTP on 127.0.0.1, for tests that drive a browser or a
real HTTP client.

``live_server`` serves the test's own ``app`` (same settings, same database) from a
thread with werkzeug's server on a free port, and stops it at teardown, also when
the test fails. tests/browser/conftest.py offers it to the browser tests; elsewhere,
import the fixture into the test module::

    from tests.live_server import live_server  # noqa: F401  (a fixture)

    def test_something(live_server, people):
        ...  # live_server.url("/questions") is an absolute URL on the running app

Data the test writes through the services is committed, so the server's requests,
which have their own database sessions, see it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


class LiveServer:
    """A running werkzeug server for one app; ``stop`` ends it and waits for its thread."""

    def __init__(self, app: Flask, host: str = "127.0.0.1"):
        # Port 0: the system picks a free port, so parallel runs cannot collide.
        self._server: BaseWSGIServer = make_server(host, 0, app, threaded=True)
        self.host = host
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"live-server-{self.port}", daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()
