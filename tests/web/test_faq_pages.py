"""The FAQ read a page at a time (issue 28): the whole FAQ or one topic's list in pages of
``faq_reading.PER_PAGE`` entries under the topic index, every link to an entry landing on the
page that holds it, and each entry's cited clauses stored with its text."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import FaqEntry, Role, Topic
from forum.services import answers, citations, faq, faq_reading, faq_translations, law_changes
from forum.services.translations import TRANSLATION_LANGUAGES
from tests.factories import People, ask_question

PER_PAGE = 2


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of two entries, so a handful of entries fills several."""
    monkeypatch.setattr(faq_reading, "PER_PAGE", PER_PAGE)


def topic(slug: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def entry(people: People, text: str, slug: str = "pmcf", answer_text: str = "") -> FaqEntry:
    question = ask_question(people.asker, title=f"Source of: {text}")
    answer = answers.post_answer(question, people.expert, "Notify the Ministry (MDR Art. 70).")
    return faq.promote_answer(
        people.admin,
        answer,
        question_text=text,
        answer_text=answer_text or f"The answer to: {text}",
        topic=topic(slug),
    )


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def shown_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<details class="faq-entry" id="faq-(\d+)"', html)]


def opened_ids(html: str) -> list[int]:
    return [
        int(found) for found in re.findall(r'<details class="faq-entry" id="faq-(\d+)" open>', html)
    ]


def lands_on(client, url: str, wanted: FaqEntry, **headers) -> None:
    """Following ``url`` (as a browser would: its path and query) shows ``wanted`` open, and
    the URL's anchor, if any, names it."""
    parts = urlsplit(url)
    assert parts.path == "/faq", url
    if parts.fragment:
        assert parts.fragment == f"faq-{wanted.id}", url
    html = page(client, f"{parts.path}?{parts.query}", **headers)
    assert opened_ids(html) == [wanted.id], url


@pytest.fixture
def seven(people, small_pages) -> list[FaqEntry]:
    """Five PMCF entries and two on the regulatory pathway, in the FAQ's reading order."""
    pmcf = [entry(people, f"PMCF question {number}?") for number in range(5)]
    pathway = [
        entry(people, f"Pathway question {number}?", slug="regulatory-pathway")
        for number in range(2)
    ]
    order = {
        topic_.id: position
        for position, (topic_, _count) in enumerate(faq.published_topic_counts())
    }
    return sorted(pmcf + pathway, key=lambda made: (order[made.topic_id], made.position))


# --- pages ----------------------------------------------------------------------------------


def test_the_whole_faq_is_read_a_page_at_a_time_in_its_order(client, seven):
    first = page(client, "/faq")
    assert shown_ids(first) == [made.id for made in seven[:2]]
    assert "Page 1 of 4" in first
    assert 'rel="next" href="/faq?page=2"' in first and 'rel="prev"' not in first
    second = page(client, "/faq?page=2")
    assert shown_ids(second) == [made.id for made in seven[2:4]]
    assert 'rel="prev" href="/faq?page=1"' in second
    assert shown_ids(page(client, "/faq?page=4")) == [seven[6].id]
    # Past the end (a page number from before entries were unpublished): the last page.
    assert shown_ids(page(client, "/faq?page=99")) == [seven[6].id]
    assert shown_ids(page(client, "/faq?page=abc")) == [made.id for made in seven[:2]]


def test_the_topic_index_leads_to_each_topics_own_list_once_the_faq_has_pages(client, seven):
    index = re.search(r'<nav class="toc faq-topics".*?</nav>', page(client, "/faq"), re.S)[0]
    # A topic's section may be on another page: its link is its list, not an anchor.
    assert re.search(r'href="/faq\?topic=pmcf"[^>]*>[^<]+</a>\s*<span class="count">\(5 ', index)
    assert 'href="#pmcf"' not in index
    assert "(7)" in index


def test_a_topics_list_is_paged_and_keeps_its_topic_and_language(client, seven):
    pmcf = [made for made in seven if made.topic.slug == "pmcf"]
    first = page(client, "/faq?topic=pmcf&text=en")
    assert shown_ids(first) == [made.id for made in pmcf[:2]]
    assert "Page 1 of 3" in first
    assert 'rel="next" href="/faq?text=en&amp;topic=pmcf&amp;page=2"' in first
    last = page(client, "/faq?topic=pmcf&page=3")
    assert shown_ids(last) == [pmcf[4].id]
    # Every entry of the topic is on one of its pages, once.
    listed = [
        shown
        for number in (1, 2, 3)
        for shown in shown_ids(page(client, f"/faq?topic=pmcf&page={number}"))
    ]
    assert listed == [made.id for made in pmcf]


def test_an_entry_named_in_the_url_is_opened_on_the_page_that_holds_it(client, seven):
    for made in seven:
        html = page(client, f"/faq?entry={made.id}")
        assert made.id in shown_ids(html)
        assert opened_ids(html) == [made.id]
    # On its topic's list, the topic's page that holds it; named beside another topic, the
    # entry wins and the whole FAQ's page holding it is shown.
    last_pmcf = [made for made in seven if made.topic.slug == "pmcf"][-1]
    assert opened_ids(page(client, f"/faq?topic=pmcf&entry={last_pmcf.id}")) == [last_pmcf.id]
    html = page(client, f"/faq?topic=regulatory-pathway&entry={last_pmcf.id}")
    assert opened_ids(html) == [last_pmcf.id]


def test_an_unpublished_entry_named_in_the_url_opens_nothing(client, people, seven):
    gone = seven[5]
    faq.unpublish(gone, people.admin)
    html = page(client, f"/faq?entry={gone.id}")
    assert opened_ids(html) == [] and gone.id not in shown_ids(html)
    assert shown_ids(html) == [made.id for made in seven[:2]]


def test_a_link_to_an_entry_from_its_own_page_lands_on_it(client, seven):
    html = page(client, "/faq?page=3")
    for made in seven[4:6]:
        lands_on(client, f"/faq?entry={made.id}#faq-{made.id}", made)
        assert f'href="/faq?entry={made.id}#faq-{made.id}"' in html


# --- every link to an entry lands on it -------------------------------------------------------


def test_every_link_to_an_faq_entry_lands_on_it(client, login, people, seven):
    wanted = seven[5]  # on the whole FAQ's third page
    faq.edit_entry(
        wanted,
        people.admin,
        "Which guidance covers PMCF plans?",
        "MDCG 2020-7 gives the template of a PMCF plan.",
        wanted.topic,
    )
    # The feed.
    feed = page(client, "/faq/feed.atom")
    feed_link = re.search(rf'href="https?://[^/"]+(/faq\?entry={wanted.id}#[^"]+)"', feed)[1]
    lands_on(client, feed_link, wanted)
    # Search.
    results = page(client, "/search?q=template+pmcf+plan&kind=faq")
    search_link = re.search(rf'href="(/faq\?entry={wanted.id}[^"]*)"', results)[1]
    lands_on(client, search_link.replace("&amp;", "&"), wanted)
    # The clause page of a clause it cites.
    clause = page(client, "/citations/mdcg-2020-7")
    lands_on(client, re.search(rf'href="(/faq\?entry={wanted.id}[^"]*)"', clause)[1], wanted)
    # The "In the FAQ" badge on its source question.
    source = faq.source_of(wanted).question
    thread = page(client, f"/questions/{source.id}")
    lands_on(client, re.search(rf'href="(/faq\?entry={wanted.id}[^"]*)"', thread)[1], wanted)
    # The API's link to the page.
    api_entry = client.get(f"/api/v1/faq/{wanted.id}").get_json()
    lands_on(client, api_entry["links"]["html"], wanted)
    # The curators' list, the editor, and the list of texts a change of the law puts due.
    login(people.admin)
    for url in ("/faq/admin", f"/faq/entries/{wanted.id}/edit"):
        found = re.search(rf'href="(/faq\?entry={wanted.id}[^"]*)"', page(client, url))
        lands_on(client, found[1], wanted)
    law_changes.record_change(
        people.admin, citations.clause_slug("MDCG 2020-7"), "MDCG 2020-7 Rev.1", date(2026, 11, 20)
    )
    due = page(client, "/law-changes")
    lands_on(client, re.search(rf'href="(/faq\?entry={wanted.id}[^"]*)"', due)[1], wanted)


def test_an_entry_named_in_the_url_lands_in_italian_too(client, people, seven):
    wanted = seven[4]
    faq_translations.edit_translation(
        wanted,
        people.admin,
        TRANSLATION_LANGUAGES[0],
        title="Una domanda sulla PMCF?",
        body="La risposta in italiano.",
        source_number=1,
        base_number=0,
    )
    html = page(client, f"/faq?entry={wanted.id}", **{"Accept-Language": "it"})
    assert opened_ids(html) == [wanted.id]
    assert "Una domanda sulla PMCF?" in html and "La risposta in italiano." in html
    assert "Pagina 3 di 4" in html
    assert 'rel="prev" href="/faq?page=2"' in html


# --- a fixed number of queries ------------------------------------------------------------


@pytest.mark.parametrize("url", ["/faq?page=2", "/faq?topic=pmcf&page=2", "/faq?entry={last}"])
def test_a_page_of_the_faq_runs_a_fixed_number_of_queries(
    client, people, make_user, login, count_queries, small_pages, url
):
    login(make_user(Role.ADMIN))
    counts = []
    for added in (6, 16):
        made = [
            entry(
                people, f"Question {added}-{number}?", slug=("pmcf", "ethics-committee")[number % 2]
            )
            for number in range(added)
        ]
        with count_queries() as statements:
            html = page(client, url.format(last=made[-1].id))
        assert shown_ids(html), url  # a page of entries, not an empty one
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# --- the clauses an entry cites, stored with its text -----------------------------------------


def stored_clauses(made: FaqEntry):
    return db.session.scalar(select(FaqEntry.cited_clauses).where(FaqEntry.id == made.id))


def test_an_entry_stores_the_clauses_it_cites_and_an_edit_renews_them(people):
    made = entry(people, "Who validates under MDR Art. 70?", answer_text="See ISO 14155 Annex A.")
    assert stored_clauses(made) == [
        ["mdr-art-70", "MDR Art. 70"],
        ["iso-14155-annex-a", "ISO 14155 Annex A"],
    ]
    faq.edit_entry(made, people.admin, "Who validates?", "IVDR Art. 58(1) says.", made.topic)
    db.session.expire_all()
    assert stored_clauses(made) == [["ivdr-art-58", "IVDR Art. 58"]]
    faq.edit_entry(made, people.admin, "Who validates?", "The Ministry.", made.topic)
    db.session.expire_all()
    assert stored_clauses(made) == []


def test_the_page_shows_the_stored_clauses_without_scanning_the_text(client, people, monkeypatch):
    made = entry(people, "Who validates under MDR Art. 70?", answer_text="See GDPR Art. 9.")
    citations.clauses_in.cache_clear()

    def no_scan(_text):
        raise AssertionError("the FAQ page scanned an entry's text for clauses")

    monkeypatch.setattr(citations, "extract_clauses", no_scan)
    html = page(client, f"/faq?entry={made.id}")
    assert '<a href="/citations/mdr-art-70">MDR Art. 70</a>' in html
    assert '<a href="/citations/gdpr-art-9">GDPR Art. 9</a>' in html


def test_an_entry_written_around_the_services_is_scanned_and_the_reindex_stores_it(client, people):
    made = entry(people, "A question?", answer_text="See GDPR Art. 9.")
    db.session.execute(update(FaqEntry).where(FaqEntry.id == made.id).values(cited_clauses=None))
    db.session.commit()
    assert '<a href="/citations/gdpr-art-9">GDPR Art. 9</a>' in page(client, "/faq")
    citations.reindex_all()
    db.session.expire_all()
    assert stored_clauses(made) == [["gdpr-art-9", "GDPR Art. 9"]]
