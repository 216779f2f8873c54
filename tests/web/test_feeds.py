"""The Atom feeds (new FAQ entries, guide releases, a topic's questions): valid Atom,
newest first, escaped, in the asked language, cacheable, in fixed queries, and built as
a visitor sees the forum, whoever fetches them."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import GuideRelease, ReleaseKind, Role, Topic, Visibility
from forum.models.columns import utcnow
from forum.services import answers, faq, moderation
from forum.services.feeds import FEED_SIZE
from forum.services.guide import importing
from forum.services.moderation import Action
from tests.factories import ask_question

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
BASE = "https://forum.example.org"
SECRET_TITLE = "Unreleased CardioPatch v2 at Niguarda: can we skip the notice?"
HIDDEN_TITLE = "Buy cheap CE marks here"
HIDDEN_ANSWER = "Visit our shop for instant certificates"


@pytest.fixture(autouse=True)
def public_address(app):
    app.config["PUBLIC_BASE_URL"] = BASE


def topic(slug: str = "regulatory-pathway") -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def atom(response) -> ElementTree.Element:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ElementTree.Element) -> list[ElementTree.Element]:
    return root.findall(f"{ATOM}entry")


def text(element: ElementTree.Element, tag: str) -> str:
    return element.find(f"{ATOM}{tag}").text


def link(element: ElementTree.Element, rel: str) -> str:
    return next(item for item in element.findall(f"{ATOM}link") if item.get("rel") == rel).get(
        "href"
    )


def assert_valid_atom(root: ElementTree.Element, self_url: str) -> None:
    """RFC 4287's requirements for the feed and each entry."""
    for tag in ("id", "title", "updated"):
        assert text(root, tag), tag
    assert link(root, "self") == self_url
    assert link(root, "alternate").startswith(BASE + "/")
    assert root.find(f"{ATOM}author/{ATOM}name").text  # stands for entries without one
    assert root.get(XML_BASE) == BASE + "/"  # relative links in the HTML resolve here
    ids = set()
    for entry in entries(root):
        for tag in ("id", "title", "updated", "published"):
            assert text(entry, tag), tag
        assert text(entry, "id").startswith("tag:forum.example.org,2026:")
        ids.add(text(entry, "id"))
        assert link(entry, "alternate").startswith(BASE + "/")
        body = entry.find(f"{ATOM}content")
        if body is None:
            body = entry.find(f"{ATOM}summary")
        assert body is not None and body.get("type") in ("html", "text")
    assert len(ids) == len(entries(root))
    updates = [text(entry, "updated") for entry in entries(root)]
    if updates:
        assert text(root, "updated") == max(updates)


def promote(people, question_text: str, answer_text: str = "Notify the Ministry (MDR Art. 70)."):
    question = ask_question(people.asker, title=f"Source: {question_text}")
    answer = answers.post_answer(question, people.expert, "Notify the Ministry.")
    return faq.promote_answer(
        people.admin, answer, question_text=question_text, answer_text=answer_text, topic=topic()
    )


def release(version: str, *, published: bool = True, days_ago: int = 0, notes: str = ""):
    when = utcnow() - timedelta(days=days_ago)
    row = GuideRelease(
        version=version,
        notes=notes,
        markdown="# Guide\n",
        released_at=when,
        kind=ReleaseKind.EDITION,
        published_at=when if published else None,
    )
    db.session.add(row)
    db.session.commit()
    return row


def confidential_and_hidden(people):
    """A confidential question, a hidden question and a hidden answer, all in the topic."""
    secret = ask_question(people.asker, title=SECRET_TITLE, visibility=Visibility.CONFIDENTIAL)
    answers.post_answer(secret, people.expert, "Answer on the confidential question.")
    hidden = ask_question(people.other, title=HIDDEN_TITLE)
    moderation.act(people.admin, hidden, Action.HIDE, "Spam.")
    public = ask_question(people.asker, title="Is a PMCF study a clinical investigation?")
    spam = answers.post_answer(public, people.expert, HIDDEN_ANSWER)
    moderation.act(people.admin, spam, Action.HIDE, "Spam.")
    return secret, hidden, public


# --- the FAQ feed -----------------------------------------------------------------------


def test_the_faq_feed_is_atom_with_the_newest_entry_first(client, people):
    first = promote(people, "Do extra blood draws need a notice?")
    second = promote(people, "Who signs the clinical investigation plan?")
    first.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    root = atom(client.get("/faq/feed.atom"))
    assert_valid_atom(root, f"{BASE}/faq/feed.atom")
    assert link(root, "alternate") == f"{BASE}/faq"
    found = entries(root)
    assert [text(entry, "title") for entry in found] == [second.question_text, first.question_text]
    assert text(found[0], "id") == f"tag:forum.example.org,2026:faq-entry:{second.id}"
    assert link(found[0], "alternate") == f"{BASE}/faq?entry={second.id}#faq-{second.id}"
    content = found[0].find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "MDR Art. 70" in content.text and content.text.startswith("<p>")


def test_an_unpublished_faq_entry_leaves_the_feed(client, people):
    kept = promote(people, "Do extra blood draws need a notice?")
    gone = promote(people, "Which insurance covers a first-in-human study?")
    faq.unpublish(gone, people.admin)
    titles = [text(entry, "title") for entry in entries(atom(client.get("/faq/feed.atom")))]
    assert titles == [kept.question_text]


def test_markup_characters_in_titles_and_bodies_are_escaped(client, people):
    title = 'Tom & Jerry <script>alert("x")</script> a<b'
    ask_question(people.asker, title=title, body="Use **bold** & <b>tags</b> <script>x</script>")
    response = client.get("/topics/regulatory-pathway/feed.atom")
    assert b"<script>" not in response.data
    entry = entries(atom(response))[0]
    assert text(entry, "title") == title  # escaped on the way out, read back exactly
    html = entry.find(f"{ATOM}content").text
    assert "<strong>bold</strong>" in html and "<script>" not in html


def test_a_control_character_a_text_carries_does_not_break_the_document(client, people):
    ask_question(people.asker, title="Pasted\x0b from a form", body="Line\x01 one")
    titles = [
        text(entry, "title")
        for entry in entries(atom(client.get("/topics/regulatory-pathway/feed.atom")))
    ]
    assert titles == ["Pasted from a form"]


# --- guide releases -----------------------------------------------------------------------


def test_the_release_feed_lists_published_releases_newest_first_never_a_draft(client):
    release("1.0", days_ago=30, notes="First <edition> & more")
    release("1.1", days_ago=1)
    release("1.2", published=False)
    root = atom(client.get("/guide/releases.atom"))
    assert_valid_atom(root, f"{BASE}/guide/releases.atom")
    found = entries(root)
    assert [link(entry, "alternate") for entry in found] == [
        f"{BASE}/guide/releases/1.1",
        f"{BASE}/guide/releases/1.0",
    ]
    assert found[1].find(f"{ATOM}summary").text == "First <edition> & more"
    assert b"1.2" not in client.get("/guide/releases.atom").data


def test_an_empty_feed_is_still_valid_and_stable(client):
    first = client.get("/guide/releases.atom")
    root = atom(first)
    assert_valid_atom(root, f"{BASE}/guide/releases.atom")
    assert entries(root) == []
    assert client.get("/guide/releases.atom").data == first.data


# --- a topic's questions ------------------------------------------------------------------


def test_a_topic_feed_carries_its_public_questions_with_their_askers(client, people):
    older = ask_question(people.asker, title="Which pathway for a class IIb tool?")
    older.created_at = utcnow() - timedelta(days=3)
    db.session.commit()
    newer = ask_question(people.other, title="Do we need an ethics opinion for a PMCF study?")
    ask_question(people.asker, title="Filed elsewhere", topics=("pmcf",))
    root = atom(client.get("/topics/regulatory-pathway/feed.atom"))
    assert_valid_atom(root, f"{BASE}/topics/regulatory-pathway/feed.atom")
    assert link(root, "alternate") == f"{BASE}/questions?topic=regulatory-pathway"
    found = entries(root)
    assert [text(entry, "title") for entry in found] == [newer.title, older.title]
    assert found[0].find(f"{ATOM}author/{ATOM}name").text == people.other.display_name
    assert link(found[0], "alternate").startswith(f"{BASE}/questions/{newer.id}/")


def test_an_unknown_or_overlong_topic_is_a_404(client):
    assert client.get("/topics/no-such-topic/feed.atom").status_code == 404
    assert client.get(f"/topics/{'x' * 500}/feed.atom").status_code == 404


@pytest.mark.parametrize("role", [None, Role.EXPERT, Role.ADMIN])
def test_no_feed_carries_a_confidential_question_or_a_hidden_text_whoever_fetches_it(
    client, people, login, role
):
    secret, hidden, public = confidential_and_hidden(people)
    promote(people, "Do extra blood draws need a notice?")
    if role == Role.EXPERT:
        login(people.expert)
    elif role == Role.ADMIN:
        login(people.admin)
    topic_feed = client.get("/topics/regulatory-pathway/feed.atom")
    titles = [text(entry, "title") for entry in entries(atom(topic_feed))]
    assert public.title in titles
    for response in (topic_feed, client.get("/faq/feed.atom"), client.get("/guide/releases.atom")):
        body = response.get_data(as_text=True)
        for leak in (SECRET_TITLE, HIDDEN_TITLE, HIDDEN_ANSWER, f"question:{secret.id}<"):
            assert leak not in body
        assert f"question:{hidden.id}<" not in body


def test_a_question_removed_by_its_author_leaves_the_feed(client, people):
    question = ask_question(people.asker, title="A question I withdraw")
    question.removed_at = utcnow()
    db.session.commit()
    assert entries(atom(client.get("/topics/regulatory-pathway/feed.atom"))) == []


# --- language, caching, size ---------------------------------------------------------------


def test_the_feed_speaks_the_asked_language_or_the_readers(client, people):
    promote(people, "Do extra blood draws need a notice?")
    italian = atom(client.get("/faq/feed.atom?lang=it"))
    assert italian.get(XML_LANG) == "it"
    assert link(italian, "self") == f"{BASE}/faq/feed.atom?lang=it"
    assert text(italian, "title") == "Nuove voci delle FAQ · Forum CTCC"
    # The entry is in English (no translation yet): said on the entry.
    assert entries(italian)[0].get(XML_LANG) == "en"
    by_browser = atom(client.get("/faq/feed.atom", headers={"Accept-Language": "it-IT,it"}))
    assert by_browser.get(XML_LANG) == "it"
    english = atom(client.get("/faq/feed.atom?lang=xx", headers={"Accept-Language": "en"}))
    assert english.get(XML_LANG) == "en" and entries(english)[0].get(XML_LANG) is None
    assert link(english, "self") == f"{BASE}/faq/feed.atom"


def test_a_feed_reader_polling_an_unchanged_feed_gets_a_304(client, people):
    promote(people, "Do extra blood draws need a notice?")
    first = client.get("/faq/feed.atom")
    etag = first.headers["ETag"]
    again = client.get("/faq/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    promote(people, "Who signs the clinical investigation plan?")
    changed = client.get("/faq/feed.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_feed_holds_at_most_its_bounded_number_of_entries(client, people):
    for number in range(FEED_SIZE + 3):
        ask_question(people.asker, title=f"Question number {number} on the pathway")
    found = entries(atom(client.get("/topics/regulatory-pathway/feed.atom")))
    assert len(found) == FEED_SIZE
    assert text(found[0], "title") == f"Question number {FEED_SIZE + 2} on the pathway"


def test_each_feed_runs_the_same_queries_with_one_item_or_many(client, people, count_queries):
    def fetch_all() -> dict[str, int]:
        counts = {}
        for path in (
            "/faq/feed.atom",
            "/faq/feed.atom?lang=it",
            "/guide/releases.atom",
            "/topics/regulatory-pathway/feed.atom",
        ):
            with count_queries() as statements:
                assert client.get(path).status_code == 200
            counts[path] = len(statements)
        return counts

    promote(people, "Question 0?")
    release("1.0", days_ago=5)
    ask_question(people.other, title="Asked by another member")
    with_one = fetch_all()
    for number in range(1, 6):
        promote(people, f"Question {number}?")
        release(f"1.{number}", days_ago=5 - number)
        ask_question(people.other if number % 2 else people.expert, title=f"Asked {number}")
    assert fetch_all() == with_one


# --- the links on the pages ----------------------------------------------------------------


def test_the_pages_announce_their_feeds_in_the_head_and_in_the_page(client):
    importing.import_guide("# A small guide\n\nAn introduction.\n", None)
    for page, feed in (
        ("/faq", "/faq/feed.atom"),
        ("/guide", "/guide/releases.atom"),
        ("/guide/releases", "/guide/releases.atom"),
        ("/questions?topic=regulatory-pathway", "/topics/regulatory-pathway/feed.atom"),
    ):
        html = client.get(page).get_data(as_text=True)
        head = html.split("</head>")[0]
        assert '<link rel="alternate" type="application/atom+xml"' in head, page
        assert f'href="{feed}"' in head, page
        assert html.split("<body>")[1].count(f'href="{feed}"') == 1, page
    # An Italian reader subscribes to the Italian feed, whatever their feed program sends.
    italian = client.get("/faq", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert italian.count('href="/faq/feed.atom?lang=it"') == 2
    plain = client.get("/questions?topic=not-a-topic").get_data(as_text=True)
    assert "application/atom+xml" not in plain
