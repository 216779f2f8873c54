"""No open redirect: wherever a ``next`` target is taken from the request (logging in,
choosing the language), a crafted one leads back onto the forum, never elsewhere.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from forum.web.redirects import safe_next_url
from tests.fixtures.people import PASSWORD
from tests.xss_vectors import executable_content

WEB = Path(__file__).resolve().parents[2] / "forum" / "web"
# The modules that redirect to a target named in the request; each is tested below.
MODULES_TAKING_NEXT = {"auth/routes.py", "language/routes.py"}

OFF_SITE = [
    "//evil.example",
    "///evil.example",
    "////evil.example/path",
    "https://evil.example",
    "http://evil.example/login",
    "HTTPS://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "\\evil",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x01//evil.example",
    "//evil.example@localhost",
    "https://localhost.evil.example",
    "\uff0f\uff0fevil.example",
    "evil.example",
]
ON_SITE = [
    "/questions",
    "/questions?topic=regulatory-pathway&page=2",
    "/faq#topic-ethics",
    # Percent-escapes stay escaped in a path: browsers read these as paths here.
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
]


def _stays_on_the_forum(location: str) -> bool:
    """Where a browser would go from this Location header, read as browsers read it:
    tabs and newlines dropped, leading spaces and controls stripped, backslashes as
    slashes."""
    text = re.sub(r"[\t\n\r]", "", location).lstrip("".join(chr(c) for c in range(0x21)))
    text = text.replace("\\", "/")
    if text.startswith("//"):
        return False
    parts = urlsplit(text)
    if parts.scheme:
        return parts.scheme in ("http", "https") and parts.hostname == "localhost"
    return True


def _hidden_next(page: str) -> str | None:
    """The value of the login form's hidden ``next`` field, as a browser would post it."""
    form = re.search(r'<form[^>]*action="/login".*?</form>', page, re.S)
    match = re.search(r'<input[^>]*name="next"[^>]*>', form.group(0)) if form else None
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    return html.unescape(value.group(1)) if value else None


def _assert_stays(response, payload: str) -> None:
    assert response.status_code < 500, (payload, response.status_code)
    if response.status_code in (301, 302, 303, 307, 308):
        assert _stays_on_the_forum(response.location), (payload, response.location)


@pytest.mark.parametrize("payload", OFF_SITE)
def test_safe_next_url_refuses_every_way_off_the_site(payload):
    assert safe_next_url(payload) is None


@pytest.mark.parametrize("payload", ON_SITE)
def test_safe_next_url_keeps_paths_on_the_site(payload):
    assert safe_next_url(payload) == payload


def test_the_location_reader_sees_the_tricks():
    # The checker the page tests rely on must itself see an off-site target.
    for location in (
        "//evil.example",
        "/\\evil.example",
        "\t//evil.example",
        "https://evil.example",
        "javascript:alert(1)",
    ):
        assert not _stays_on_the_forum(location), location
    assert _stays_on_the_forum("/questions")


def test_login_sends_back_on_the_site_only(client, make_user):
    user = make_user()
    for payload in OFF_SITE:
        client.post("/logout")
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "next": payload}
        )
        assert response.status_code == 302, payload
        _assert_stays(response, payload)
        assert urlsplit(response.location).path == "/", (payload, response.location)
    for target in ON_SITE:
        client.post("/logout")
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "next": target}
        )
        assert response.location == target


def test_the_login_page_carries_next_in_a_hidden_field_escaped(client):
    for payload in OFF_SITE:
        response = client.get("/login?next=" + quote(payload, safe=""))
        assert response.status_code == 200, payload
        page = response.get_data(as_text=True)
        # Carried as typed (it is checked when the form comes back), never as markup.
        assert executable_content(page) == [], payload
        assert _hidden_next(page) == payload, payload


def test_a_percent_encoded_next_in_the_query_string_is_decoded_once_and_refused(client, make_user):
    user = make_user()
    for raw in (
        "%2F%2Fevil.example",
        "%2f%2fevil.example",
        "%5C%5Cevil.example",
        "%2F%5Cevil.example",
        "https%3A%2F%2Fevil.example",
        "%09%2F%2Fevil.example",
    ):
        page = client.get(f"/login?next={raw}").get_data(as_text=True)
        carried = _hidden_next(page)
        client.post("/logout")
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "next": carried}
        )
        _assert_stays(response, raw)


def test_a_visitor_choosing_a_language_is_sent_back_on_the_site_only(app, client):
    locale = app.config["LANGUAGES"][0]
    for payload in OFF_SITE:
        response = client.get("/language", query_string={"locale": locale, "next": payload})
        _assert_stays(response, payload)
    response = client.get("/language", query_string={"locale": locale, "next": "/faq"})
    assert response.status_code == 302 and response.location == "/faq"


def test_a_member_choosing_a_language_is_sent_back_on_the_site_only(app, client, make_user, login):
    locale = app.config["LANGUAGES"][0]
    login(make_user())
    for payload in OFF_SITE:
        response = client.post("/language", data={"locale": locale, "next": payload})
        _assert_stays(response, payload)
    response = client.post("/language", data={"locale": locale, "next": "/faq"})
    assert response.status_code == 303 and response.location == "/faq"


def test_every_module_that_redirects_to_a_requested_target_is_tested_here():
    """A new ``next`` (or referrer) redirect must be added to the tests above."""
    taking = set()
    for path in WEB.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(WEB).as_posix()
        if relative == "redirects.py":
            continue
        if re.search(
            r"safe_next_url\(|args\.get\(\s*[\"']next[\"']|request\.referrer"
            r"|form\.get\(\s*[\"']next[\"']",
            text,
        ):
            taking.add(relative)
    assert taking == MODULES_TAKING_NEXT
