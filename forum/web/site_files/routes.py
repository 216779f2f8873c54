"""The small public files at the site's root: /favicon.ico, /robots.txt and the sitemap.

The sitemap is an index (/sitemap.xml) naming a part for the pages that are not
questions and one part per ``SITEMAP_URLS_PER_FILE`` public questions, so it stays
within the protocol's 50,000 addresses a file however large the forum grows. Like
the feeds, it lists what a visitor may open, whoever asks.
"""

from __future__ import annotations

import math

from flask import Blueprint, Response, abort, current_app, send_from_directory

from forum.services import sitemap
from forum.services.mail.notifications import external_url
from forum.slugs import slugify
from forum.web.infra.page_cache import cached_document
from forum.web.site_files.sitemap import (
    CONTENT_TYPE,
    MAX_URLS_PER_FILE,
    Place,
    sitemap_index,
    urlset,
)

bp = Blueprint("site_files", __name__)

# Far beyond any forum's size; a larger part number is a 404 before its OFFSET could
# overflow the database's integer.
MAX_PARTS = 100_000

# Paths no crawler should walk: private to one reader, forms, or endless (a search per
# query, a language switch per page). Everything else is public or answers a visitor
# with the login page. RFC 9309 rules: a prefix, "*" any characters, "$" the end.
ROBOTS_DISALLOWED = (
    "/account",
    "/admin",
    "/api/",
    "/board",
    "/dashboard",
    "/notifications",
    "/projects",
    "/facilitations",
    "/review",
    "/survey",
    "/flags/",
    "/law-changes",
    "/profile",
    "/language",
    "/login",
    "/logout",
    "/register",
    "/password",
    "/privacy/accept",
    "/questions/ask",
    "/questions/*/edit",
    "/faq/admin",
    "/faq/promote",
    "/faq/entries/",
    "/guide/release$",
    "/guide/propose",
    "/guide/proposals",
    "/guide/translations",
    "/guide/sections/new",
    "/guide/sections/*/edit",
    "/clinics/new",
    "/clinics/*/edit",
    "/search?",
    "/search/suggest",
)


@bp.get("/favicon.ico")
def favicon() -> Response:
    # Browsers ask for it at the root whatever the page says; the file is made once
    # (static/favicon.ico, from the same drawing as static/favicon.svg).
    response = send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/x-icon"
    )
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response


@bp.get("/robots.txt")
def robots() -> Response:
    # The Disallow lines first: RFC 9309 picks the longest match, but older crawlers
    # take the first line that matches, and "Allow: /" matches everything.
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    lines += ["Allow: /", "", f"Sitemap: {external_url('site_files.sitemap_index_file')}", ""]
    return Response("\n".join(lines), content_type="text/plain; charset=utf-8")


def _per_file() -> int:
    """SITEMAP_URLS_PER_FILE, held within the protocol's bound."""
    return max(1, min(current_app.config["SITEMAP_URLS_PER_FILE"], MAX_URLS_PER_FILE))


@bp.get("/sitemap.xml")
@cached_document(areas=("questions",))
def sitemap_index_file() -> Response:
    parts = max(1, math.ceil(sitemap.count_public_questions() / _per_file()))
    places = [Place(external_url("site_files.pages"))] + [
        Place(external_url("site_files.questions", part=number)) for number in range(1, parts + 1)
    ]
    return Response(sitemap_index(places), content_type=CONTENT_TYPE)


@bp.get("/sitemaps/pages.xml")
@cached_document(areas=("questions", "faq", "guide", "citations"))
def pages() -> Response:
    per_file = _per_file()
    found = sitemap.fixed_places(limit=per_file)
    places = [
        Place(external_url("main.home")),
        Place(external_url("questions.index")),
        Place(external_url("faq.index"), found.faq_changed_at),
        Place(external_url("guide.index"), found.guide_changed_at),
        Place(external_url("guide.releases"), found.releases[0][1] if found.releases else None),
        Place(external_url("guide.changelog")),
        Place(external_url("experts.index")),
        Place(external_url("clinics.index")),
        Place(external_url("citations.index")),
    ]
    places += [
        Place(external_url("centre_pages.show", page=page.value), changed_at)
        for page, changed_at in found.centre_pages
    ]
    places += [Place(external_url("questions.index", topic=slug)) for slug in found.topic_slugs]
    places += [
        Place(external_url("guide.release", version=version), published_at)
        for version, published_at in found.releases
    ]
    places += [Place(external_url("experts.show", user_id=id)) for id in found.expert_ids]
    places += [Place(external_url("citations.show", slug=slug)) for slug in found.clause_slugs]
    return Response(urlset(places[:per_file]), content_type=CONTENT_TYPE)


@bp.get("/sitemaps/questions-<int:part>.xml")
@cached_document(areas=("questions",))
def questions(part: int) -> Response:
    per_file = _per_file()
    found = sitemap.public_questions(part, per_file) if 1 <= part <= MAX_PARTS else []
    if not found and part != 1:
        abort(404)
    places = [
        Place(
            external_url("questions.show", question_id=place.id, slug=slugify(place.title)),
            place.updated_at,
        )
        for place in found
    ]
    return Response(urlset(places), content_type=CONTENT_TYPE)
