"""Signing in and sending forms over HTTP as a browser does, for the benchmark's clients.

Cookies are carried by hand: the production cookie is Secure, which urllib's cookie
jar would rightly refuse to send over plain HTTP. Redirects are not followed by urllib
but by the caller, so each response's cookies are kept, as a browser keeps them.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

from bench import load

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT_SECONDS = 30
MAX_REDIRECTS = 5
PRIVACY_ACCEPT = "/privacy/accept"
_VERSION_FIELD = re.compile(r'name="version"[^>]*value="(\d+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    location: str | None  # where a redirect points
    body: str
    location_path: str = ""  # the path this response answered


@dataclass
class Browser:
    """One person's browser against one server: its cookies and its user agent."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._opener.addheaders = [("User-Agent", load.USER_AGENT)]

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def get(self, path: str) -> Response:
        return self._send(urllib.request.Request(self.base_url + path))

    def read(self, path: str) -> str:
        """A page the person may read; RuntimeError if it answers anything else (a
        redirect included: wrk would count it as a page served)."""
        answer = self.get(path)
        if answer.status != 200:
            raise RuntimeError(f"GET {path} answered {answer.status}, not a page")
        return answer.body

    def post(self, path: str, fields: dict[str, str], *, multipart: bool = False) -> Response:
        """Send a form, with the Referer a browser sends (Flask-WTF may check it)."""
        if multipart:
            body, content_type = _multipart(fields)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            headers={"Content-Type": content_type, "Referer": self.base_url + path},
        )
        return self._send(request)

    def follow(self, response: Response) -> Response:
        """GET the page a redirect names, as a browser would: it shows (and so removes)
        the flash message the action left in the session."""
        location = urllib.parse.urlsplit(response.location or "/")
        return self.get(urllib.parse.urlunsplit(("", "", location.path, location.query, "")))

    def log_in(self, email: str, password: str) -> None:
        """Sign in through the login form, then accept the privacy notice if the forum
        asks (the bench's own accounts never did), as the person would, and end on a
        page. Raises RuntimeError when the forum refuses or never shows a page."""
        token = csrf_token(self.get("/login").body)
        answer = self.post("/login", {"email": email, "password": password, "csrf_token": token})
        if answer.status != 302:
            raise RuntimeError(f"login of {email} answered {answer.status}, not a redirect")
        for _ in range(MAX_REDIRECTS):
            answer = self.follow(answer)
            if answer.status in (301, 302, 303, 307, 308):
                continue
            if answer.status != 200:
                break
            if not _is_privacy_notice(answer.location_path):
                return
            fields = {"csrf_token": csrf_token(answer.body), "version": _version(answer.body)}
            answer = self.post(PRIVACY_ACCEPT, fields)
            if answer.status != 302:
                break
        raise RuntimeError(f"login of {email} ended on {answer.status}, not on a page")

    def _send(self, request: urllib.request.Request) -> Response:
        if self.cookies:
            request.add_header("Cookie", self.cookie_header)
        try:
            with self._opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            status, headers, body = error.code, error.headers, error.read()
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        path = urllib.parse.urlsplit(request.full_url).path
        return Response(status, headers.get("Location"), body.decode(errors="replace"), path)


def csrf_token(page: str) -> str:
    """The session's CSRF token as a page's form carries it; ValueError if it has none."""
    match = CSRF_FIELD.search(page)
    if match is None:
        raise ValueError("the page has no form with a CSRF token")
    return html.unescape(match.group(1))


def _is_privacy_notice(path: str) -> bool:
    return path == PRIVACY_ACCEPT


def _version(page: str) -> str:
    match = _VERSION_FIELD.search(page)
    return match.group(1) if match else ""


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends a form with a file input left empty."""
    boundary = f"----bench{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"
