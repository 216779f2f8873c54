"""The browser tests' fixtures: Debian's Chromium, and the test's app served over real HTTP
for it to load."""

from tests.browser.chromium import chromium  # noqa: F401  (a fixture)
from tests.live_server import live_server  # noqa: F401  (a fixture)
