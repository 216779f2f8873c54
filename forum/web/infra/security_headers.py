"""The headers every response carries: the browser's security policies, and
``Cache-Control: private, no-store`` on what is rendered for one reader."""

from __future__ import annotations

from flask import Flask, g, request, session

from forum.web.api.problems import is_api_request

# No inline script or style anywhere in the templates, so the policy can be strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# A year; not includeSubDomains: the forum may be one host of a domain whose other
# hosts the centre does not run, and whose HTTPS it cannot promise.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
PRIVATE_CACHE_CONTROL = "private, no-store"
# The same file for everyone, signed in or not: a browser may keep it.
PUBLIC_FILES = ("static", "site_files.favicon")


def register(app: Flask) -> None:
    app.after_request(_security_headers)
    app.after_request(_private_pages_not_stored)


# Each set unless the view set its own (an attachment's stricter policy).
_POLICIES = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
)
_POLICY_NAMES = frozenset(name.lower() for name, _value in _POLICIES)


def _security_headers(response):
    headers = response.headers
    # One pass over the response's headers, not one per policy (``setdefault`` each
    # looked through them all): every response comes here.
    present = {name.lower() for name, _value in headers.items()} & _POLICY_NAMES
    for name, value in _POLICIES:
        if name.lower() not in present:
            headers.add(name, value)
    # Only over HTTPS (behind a proxy: as TRUSTED_PROXIES lets ProxyFix report it), as
    # RFC 6797 asks; a browser ignores the header on plain HTTP anyway.
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def _private_pages_not_stored(response):
    """``Cache-Control: private, no-store`` on what is rendered for one reader.

    A signed-in reader's pages (confidential questions, notifications, the board,
    admin pages, exports) and the API's answers to a token must not stay in the
    browser's cache after logout, nor in a shared one. Static files and the favicon stay
    cacheable; the page cache (forum/web/infra/page_cache.py) is the server's and keys on
    the reader.
    """
    if request.endpoint in PUBLIC_FILES:
        return response
    if is_api_request():
        vary_on(response, "Authorization")  # the same URL answers each token differently
        api_user = g.get("api_user")
        signed_in = api_user is not None and api_user.is_authenticated
    else:
        vary_on(response, "Cookie")
        # The session's marker, or the user Flask-Login loaded for this request (a
        # remember-me cookie turned into a session): never a query of its own.
        loaded = g.get("_login_user")
        signed_in = "_user_id" in session or (loaded is not None and loaded.is_authenticated)
    if signed_in:
        response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def vary_on(response, header: str) -> None:
    """Add ``header`` to the response's Vary, as ``response.vary.add`` does, without
    parsing the field into a set and writing it back (every response comes here)."""
    current = response.headers.get("Vary")
    if not current:
        response.headers["Vary"] = header
    elif header.lower() not in (part.strip().lower() for part in current.split(",")):
        response.headers["Vary"] = f"{current}, {header}"
