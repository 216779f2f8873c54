"""Reading the FAQ (issue 26, item 6): a topic index with counts, entries collapsed with
their question as the summary, an entry opened when the URL names it, one topic's page,
and a fixed number of queries however many entries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Role, Topic
from forum.services import answers, faq
from forum.web.infra.static_files import hashed_name
from tests.factories import People, ask_question


def topic(slug: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def entry(people: People, text: str, slug: str = "pmcf", published: bool = True):
    question = ask_question(people.asker, title=f"Source of: {text}")
    answer = answers.post_answer(question, people.expert, "Notify the Ministry (MDR Art. 70).")
    made = faq.promote_answer(
        people.admin,
        answer,
        question_text=text,
        answer_text=f"The answer to: {text}",
        topic=topic(slug),
    )
    if not published:
        faq.unpublish(made, people.admin)
    return made


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def topic_index(html: str) -> str:
    return re.search(r'<nav class="toc faq-topics".*?</nav>', html, re.S).group(0)


def test_the_topic_index_lists_each_topic_with_its_published_entries_count(client, people):
    for text in ("First PMCF question?", "Second PMCF question?"):
        entry(people, text)
    entry(people, "A pathway question?", slug="regulatory-pathway")
    entry(people, "An unpublished pathway question?", slug="regulatory-pathway", published=False)
    index = topic_index(page(client, "/faq"))
    assert re.search(r'href="#pmcf"[^>]*>[^<]+</a>\s*<span class="count">\(2 entries\)', index)
    assert re.search(
        r'href="#regulatory-pathway"[^>]*>[^<]+</a>\s*<span class="count">\(1 entry\)', index
    )
    assert "All topics" in index and "(3)" in index
    # A topic without published entries is not offered.
    assert "#ethics-committee" not in index


def test_each_entry_is_collapsed_with_its_question_as_the_summary(client, people):
    made = entry(people, "Do extra blood draws need a notice?")
    html = page(client, "/faq")
    details = re.search(
        rf'<details class="faq-entry" id="faq-{made.id}"([^>]*)>(.*?)</details>', html, re.S
    )
    assert details, "the entry is a <details>"
    attributes, inside = details.groups()
    assert "open" not in attributes
    assert re.search(r"<summary><h3>Do extra blood draws need a notice\?</h3></summary>", inside)
    # The answer is inside the element, after the summary: readable once opened, no script needed.
    assert inside.index("</summary>") < inside.index("The answer to: Do extra blood draws")
    # The script that opens an entry named by the URL's anchor is a file (a strict CSP).
    script = "/static/" + hashed_name(client.application.static_folder, "js/faq-entries.js")
    assert f'<script src="{script}" defer></script>' in html
    assert "<script>" not in html


def test_an_entry_named_in_the_url_is_open_and_the_others_are_not(client, people):
    wanted = entry(people, "Wanted question?")
    other = entry(people, "Other question?")
    html = page(client, f"/faq?entry={wanted.id}")
    assert f'<details class="faq-entry" id="faq-{wanted.id}" open>' in html
    assert f'<details class="faq-entry" id="faq-{other.id}">' in html
    # Each entry links to its own open form, anchored on it.
    assert f'href="/faq?entry={other.id}#faq-{other.id}"' in html


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_a_malformed_entry_in_the_url_opens_nothing_and_is_no_error(client, people, value):
    made = entry(people, "A question?")
    html = page(client, f"/faq?entry={value}")
    assert f'<details class="faq-entry" id="faq-{made.id}">' in html


def test_a_topic_page_shows_only_that_topics_entries(client, people):
    entry(people, "A PMCF question?")
    entry(people, "A pathway question?", slug="regulatory-pathway")
    html = page(client, "/faq?topic=pmcf")
    assert "A PMCF question?" in html and "A pathway question?" not in html
    index = topic_index(html)
    assert re.search(r'href="/faq\?topic=pmcf" aria-current="page"', index)
    # On a topic's page the other topics' links are their pages, and "All topics" is offered.
    assert 'href="/faq?topic=regulatory-pathway"' in index
    assert re.search(r'<a href="/faq">All topics</a>', index)


def test_a_topic_without_entries_says_so_and_an_unknown_topic_is_a_404(client, people):
    entry(people, "A PMCF question?")
    assert "No FAQ entries in this topic yet." in page(client, "/faq?topic=ethics-committee")
    assert client.get("/faq?topic=no-such-topic").status_code == 404
    assert client.get("/faq?topic=" + "x" * 500).status_code == 404


def test_the_faq_in_italian_keeps_the_index_and_the_collapsed_entries(client, people):
    made = entry(people, "A PMCF question?")
    response = client.get("/faq", headers={"Accept-Language": "it"})
    html = response.get_data(as_text=True)
    assert '<html lang="it">' in html
    assert "Tutti gli argomenti" in html
    assert f'<details class="faq-entry" id="faq-{made.id}">' in html


def test_curators_find_the_candidates_from_the_faq_and_readers_do_not(client, people, login):
    entry(people, "A PMCF question?")
    assert "/faq/candidates" not in page(client, "/faq")
    login(people.asker)
    assert "/faq/candidates" not in page(client, "/faq")
    login(people.admin)
    assert 'href="/faq/candidates"' in page(client, "/faq")
    assert 'href="/faq/candidates"' in page(client, "/faq/admin")
    assert 'href="/faq/candidates"' in page(client, "/admin")


@pytest.mark.parametrize("url", ["/faq", "/faq?topic=pmcf", "/faq?entry=1"])
def test_the_faq_runs_a_fixed_number_of_queries_however_many_entries(
    client, people, make_user, login, count_queries, url
):
    login(make_user(Role.ADMIN))
    counts = []
    for added in (2, 12):
        for number in range(added):
            entry(
                people, f"Question {added}-{number}?", slug=("pmcf", "ethics-committee")[number % 2]
            )
        with count_queries() as statements:
            page(client, url)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
