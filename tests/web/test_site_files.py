"""The small public files at the root: the favicon, robots.txt and the sitemap (an index
and its parts), which lists only what a visitor may open, whoever asks."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest

from forum.extensions import db
from forum.models import GuideRelease, ReleaseKind, Role, Visibility
from forum.models.columns import utcnow
from forum.services import answers, moderation
from forum.services.moderation import Action
from forum.web.infra.static_files import hashed_name
from tests.factories import ask_question

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://forum.example.org"


@pytest.fixture(autouse=True)
def public_address(app):
    app.config["PUBLIC_BASE_URL"] = BASE


def xml(response) -> ElementTree.Element:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.data)


def locations(root: ElementTree.Element) -> list[str]:
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def every_listed_url(client) -> list[str]:
    index = xml(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    found = []
    for part in locations(index):
        assert part.startswith(BASE + "/")
        root = xml(client.get(part.removeprefix(BASE)))
        assert root.tag == f"{SITEMAP}urlset"
        found += locations(root)
    return found


def test_the_favicon_is_served_at_the_root_and_linked_from_every_page(client, people, login):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["Content-Type"] == "image/x-icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert "max-age" in icon.headers["Cache-Control"]
    login(people.asker)  # the same icon for everyone: a signed-in browser may keep it too
    signed_in = client.get("/favicon.ico")
    assert "no-store" not in signed_in.headers["Cache-Control"]
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    ElementTree.fromstring(svg.data)
    head = client.get("/").get_data(as_text=True).split("</head>")[0]
    assert '<link rel="icon" href="/favicon.ico"' in head
    svg_name = hashed_name(client.application.static_folder, "favicon.svg")
    assert f'<link rel="icon" href="/static/{svg_name}" type="image/svg+xml">' in head


def test_robots_txt_keeps_crawlers_off_private_paths_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    # Everything else allowed, after the Disallow lines (older crawlers take the first match).
    assert lines.index("Allow: /") > max(i for i, x in enumerate(lines) if x.startswith("Disallow"))
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    for path in ("/account", "/admin", "/board", "/api/", "/dashboard", "/search?", "/login"):
        assert path in disallowed
    # The public pages stay open: nothing disallowed is a prefix of them.
    for public in ("/questions/12/a-title", "/faq", "/guide/releases", "/search"):
        assert not any(public.startswith(rule) for rule in disallowed if "*" not in rule), public
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_the_sitemap_lists_public_pages_with_absolute_addresses_and_lastmod(client, people):
    question = ask_question(people.asker, title="Which pathway for a class IIb tool?")
    db.session.add(
        GuideRelease(
            version="1.0",
            notes="",
            markdown="# Guide\n",
            kind=ReleaseKind.EDITION,
            published_at=utcnow() - timedelta(days=1),
        )
    )
    db.session.add(GuideRelease(version="1.1", notes="", markdown="# Guide\n", published_at=None))
    db.session.commit()
    urls = every_listed_url(client)
    for path in ("/", "/questions", "/faq", "/guide", "/guide/releases", "/experts"):
        assert BASE + path in urls
    assert f"{BASE}/questions?topic=regulatory-pathway" in urls
    assert f"{BASE}/guide/releases/1.0" in urls and f"{BASE}/guide/releases/1.1" not in urls
    assert f"{BASE}/experts/{people.expert.id}" in urls
    assert f"{BASE}/questions/{question.id}/which-pathway-for-a-class-iib-tool" in urls
    assert all(url.startswith(BASE + "/") for url in urls)
    part = xml(client.get("/sitemaps/questions-1.xml"))
    lastmod = part.find(f"{SITEMAP}url/{SITEMAP}lastmod").text
    assert lastmod.startswith(question.updated_at.strftime("%Y-%m-%dT")) and lastmod.endswith("Z")


@pytest.mark.parametrize("role", [None, Role.EXPERT, Role.ADMIN])
def test_the_sitemap_never_lists_a_confidential_or_hidden_question_whoever_asks(
    client, people, login, role
):
    public = ask_question(people.asker, title="Is a PMCF study a clinical investigation?")
    secret = ask_question(
        people.asker, title="Unreleased CardioPatch at Niguarda", visibility=Visibility.CONFIDENTIAL
    )
    hidden = ask_question(people.other, title="Buy cheap CE marks here")
    moderation.act(people.admin, hidden, Action.HIDE, "Spam.")
    answers.post_answer(public, people.expert, "Notify under MDR Art. 70.")
    # The only text citing this clause is hidden: its page is a 404, so it is not listed.
    spam = answers.post_answer(public, people.expert, "Buy certificates: ISO 14155 Annex F")
    moderation.act(people.admin, spam, Action.HIDE, "Spam.")
    answers.post_answer(secret, people.expert, "Confidential advice citing MDR Art. 82.")
    if role is not None:
        login(people.expert if role == Role.EXPERT else people.admin)
    urls = every_listed_url(client)
    assert any(url.startswith(f"{BASE}/questions/{public.id}/") for url in urls)
    for gone in (secret, hidden):
        assert not any(f"/questions/{gone.id}/" in url for url in urls)
    assert not any("answer" in url for url in urls)
    assert f"{BASE}/citations/mdr-art-70" in urls
    assert not any(url.endswith(("/iso-14155-annex-f", "/mdr-art-82")) for url in urls)


def test_many_questions_are_split_into_parts_named_by_the_index(app, client, people):
    app.config["SITEMAP_URLS_PER_FILE"] = 2
    asked = [ask_question(people.asker, title=f"Question {number}") for number in range(5)]
    index = xml(client.get("/sitemap.xml"))
    assert locations(index) == [
        f"{BASE}/sitemaps/pages.xml",
        f"{BASE}/sitemaps/questions-1.xml",
        f"{BASE}/sitemaps/questions-2.xml",
        f"{BASE}/sitemaps/questions-3.xml",
    ]
    listed = [url for url in every_listed_url(client) if "/questions/" in url]
    assert sorted(listed) == sorted(
        f"{BASE}/questions/{question.id}/question-{number}" for number, question in enumerate(asked)
    )
    assert client.get("/sitemaps/questions-4.xml").status_code == 404
    assert client.get("/sitemaps/questions-0.xml").status_code == 404
    assert client.get("/sitemaps/questions-2147483647.xml").status_code == 404


def test_the_sitemap_runs_the_same_queries_with_one_question_or_many(client, people, count_queries):
    def fetch_all() -> list[int]:
        counts = []
        for path in ("/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/questions-1.xml"):
            with count_queries() as statements:
                assert client.get(path).status_code == 200
            counts.append(len(statements))
        return counts

    ask_question(people.asker, title="The first question")
    with_one = fetch_all()
    for number in range(8):
        ask_question(people.other, title=f"Question {number}", topics=("pmcf",))
        db.session.add(
            GuideRelease(version=f"1.{number}", notes="", markdown="#", published_at=utcnow())
        )
        db.session.commit()
    assert fetch_all() == with_one


def test_a_kept_sitemap_is_served_again_and_answers_a_conditional_request(client, people):
    ask_question(people.asker, title="The first question")
    first = client.get("/sitemaps/questions-1.xml")
    again = client.get(
        "/sitemaps/questions-1.xml", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    gzipped = client.get("/sitemaps/questions-1.xml", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
