"""Search: the index kept in step, confidentiality, filters, bad input, the pages, the command."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import delete, func, select, text, update

from forum.extensions import db
from forum.models import (
    DocumentKind,
    GuideSection,
    Question,
    SearchDocument,
    StanceKind,
    Visibility,
)
from forum.services import answers, board, board_stances, faq, questions
from forum.services.errors import RuleViolation
from forum.services.guide import editing, importing
from forum.services.questions import QuestionDraft
from forum.services.search import finder
from forum.services.search.finder import SearchFilters
from forum.services.search.terms import Passage, parse_query, passage
from forum.web.infra.static_files import hashed_name
from forum.web.search.hits import hit_url, marked
from tests.factories import ask_question, published_board_answer

VISITOR = AnonymousUserMixin()

GUIDE = """# Requirements guide

The introduction mentions nothing rare.

## Ethics committees

Territorial committees review device studies.

### Fees

The fee schedule is published by the Ministry.

## Insurance

Every subject is covered by the sponsor's policy.
"""


def kinds_found(viewer, query, **filters) -> set[tuple[str, int]]:
    results = finder.search(viewer, query, SearchFilters(**filters), per_page=100)
    return {(hit.kind, hit.object_id) for hit in results.hits}


def parts_found(viewer, query, **filters) -> set[tuple[str, int]]:
    """Every text found, each kind searched on its own: a search lists a thread once."""
    return set().union(
        *(kinds_found(viewer, query, kinds=frozenset({kind}), **filters) for kind in finder.KINDS)
    )


def edit_question(question, editor, **changes):
    draft = {
        "title": question.title,
        "body": question.body,
        "topic_ids": [t.id for t in question.topics],
        "device_class": question.device_class,
        "stage": question.stage,
        "visibility": question.visibility,
    }
    draft.update(changes)
    return questions.edit(question, editor, QuestionDraft(**draft))


# --- the index follows every change --------------------------------------------------


def test_a_question_is_found_once_asked_and_by_its_new_words_after_an_edit(people):
    question = ask_question(
        people.asker,
        title="Can we reuse the zephyrine sensor data?",
        body="Our bench tests used a quokkalike rig.",
    )
    assert ("question", question.id) in kinds_found(VISITOR, "zephyrine")
    assert ("question", question.id) in kinds_found(VISITOR, "quokkalike")

    edit_question(
        question,
        people.asker,
        title="Can we reuse the marmotine sensor data?",
        body="Our bench tests used a new rig.",
    )
    assert kinds_found(VISITOR, "zephyrine") == set()
    assert kinds_found(VISITOR, "quokkalike") == set()
    assert ("question", question.id) in kinds_found(VISITOR, "marmotine")


def test_answers_are_found_once_posted_and_by_their_new_text_after_an_edit(people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "Ask the gryphonic registry first.")
    assert kinds_found(VISITOR, "gryphonic") == {("answer", answer.id)}

    answers.edit_answer(answer, people.expert, "Ask the basiliskan registry first.")
    assert kinds_found(VISITOR, "gryphonic") == set()
    assert kinds_found(VISITOR, "basiliskan") == {("answer", answer.id)}


def test_a_board_answer_is_found_only_while_published(people):
    question = ask_question(people.asker)
    board_answer = board.open_board_answer(question, people.expert, "The chimerical route.")
    board.submit_for_review(board_answer, people.expert)
    for expert in people.board:
        board_stances.record_stance(
            board_answer, expert, StanceKind.ENDORSE, revision_number=board_answer.current_number
        )
    assert kinds_found(VISITOR, "chimerical") == set()  # drafts and reviews are not searched
    assert kinds_found(people.expert, "chimerical") == set()
    board.publish(board_answer, people.chair)
    assert kinds_found(VISITOR, "chimerical") == {("board-answer", board_answer.id)}

    board.withdraw(board_answer, people.chair, "Superseded by the new guidance.")
    assert kinds_found(VISITOR, "chimerical") == set()


def test_faq_entries_follow_promotion_editing_and_publication(people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "An answer.")
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Is the wyvernish form needed?",
        answer_text="Yes, always.",
        topic=question.topics[0],
    )
    assert kinds_found(VISITOR, "wyvernish") == {("faq", entry.id)}

    faq.edit_entry(
        entry, people.admin, "Is the drakonian form needed?", "Yes, always.", question.topics[0]
    )
    assert kinds_found(VISITOR, "wyvernish") == set()
    assert kinds_found(VISITOR, "drakonian") == {("faq", entry.id)}

    faq.unpublish(entry, people.admin)
    assert kinds_found(VISITOR, "drakonian") == set()
    faq.republish(entry, people.admin)
    assert kinds_found(VISITOR, "drakonian") == {("faq", entry.id)}


def test_guide_sections_follow_import_edit_addition_and_removal(people):
    importing.import_guide(GUIDE, people.admin)
    fees = db.session.scalar(select(GuideSection).where(GuideSection.anchor == "fees"))
    assert kinds_found(VISITOR, "schedule") == {("guide", fees.id)}

    editing.edit_section(
        fees,
        people.admin,
        title="Fees",
        body="The tariff list is published.",
        base_number=fees.current_number,
    )
    assert kinds_found(VISITOR, "schedule") == set()
    assert kinds_found(VISITOR, "tariff") == {("guide", fees.id)}

    added = editing.add_section(
        None, None, people.admin, title="Archiving", body="Keep the trial master file for years."
    )
    assert kinds_found(VISITOR, "archiving") == {("guide", added.id)}

    # A new import without the insurance section deletes it, and its document with it.
    importing.import_guide(GUIDE.split("## Insurance")[0], people.admin)
    assert kinds_found(VISITOR, "sponsor policy") == set()


def test_deleting_a_question_deletes_its_documents_and_its_answers_documents(people):
    question = ask_question(people.asker, title="Which thylacine pathway applies?")
    answers.post_answer(question, people.expert, "The thylacine pathway needs a notified body.")
    assert len(parts_found(VISITOR, "thylacine")) == 2
    assert len(kinds_found(VISITOR, "thylacine")) == 1  # one thread

    db.session.delete(question)
    db.session.commit()
    assert kinds_found(VISITOR, "thylacine") == set()
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 0


def test_making_a_question_confidential_hides_it_from_search_at_once(people):
    question = ask_question(people.asker, title="How is the okapian implant classified?")
    answers.post_answer(question, people.expert, "The okapian implant is class III.")
    assert len(parts_found(VISITOR, "okapian")) == 2

    edit_question(question, people.asker, visibility=Visibility.CONFIDENTIAL)
    assert parts_found(VISITOR, "okapian") == set()
    assert len(parts_found(people.asker, "okapian")) == 2


# --- a query whose words are everywhere ------------------------------------------------


@pytest.fixture(params=["newest-first walk", "GIN index"])
def bounded_search(request, monkeypatch):
    """Both engines switched to the bounded path from the second match on, scanning 3;
    on PostgreSQL, once with the words taken as common (walked newest first) and once
    as uncommon (found through the GIN index). SQLite has one way, run twice."""
    from forum.services.search import postgres as search_postgres
    from forum.services.search import sqlite as search_sqlite

    for engine in (search_sqlite, search_postgres):
        monkeypatch.setattr(engine, "EXACT_LIMIT", 2)
        monkeypatch.setattr(engine, "SCAN", 3)
    common = request.param == "newest-first walk"
    monkeypatch.setattr(search_postgres, "WALK_SHARE", 0.0 if common else float("inf"))


def test_a_common_query_ranks_every_word_matches_first_and_says_at_least(people, bounded_search):
    some_words = [
        ask_question(people.other, title=f"Is the wombatic rig number {n} fine?") for n in range(3)
    ]
    every_word = [
        ask_question(people.other, title=f"Wombatic quollish study {n}?") for n in range(2)
    ]
    hidden = ask_question(
        people.asker, title="Our wombatic quollish secret?", visibility=Visibility.CONFIDENTIAL
    )

    results = finder.search(VISITOR, "wombatic quollish", per_page=100)
    found = [hit.object_id for hit in results.hits]
    assert results.total_is_lower_bound
    assert hidden.id not in found
    assert set(found[:2]) == {question.id for question in every_word}
    assert set(found[2:]) <= {question.id for question in some_words}
    assert results.total == len(found)

    mine = [hit.object_id for hit in finder.search(people.asker, "wombatic quollish").hits]
    assert mine[0] in {hidden.id, *(question.id for question in every_word)}
    assert hidden.id in mine


def test_a_filter_narrows_a_common_query_before_the_scan_not_after(people, bounded_search):
    # Texts with both words before and after the one answer that has them: a scan of
    # three texts, newest or oldest, sees only questions unless the filter goes into it.
    for n in range(4):
        ask_question(people.other, title=f"Numbatic sensor question {n}?")
    question = ask_question(people.other, title="Where should we test it?")
    answer = answers.post_answer(question, people.expert, "The numbatic sensor needs a study.")
    for n in range(4, 8):
        ask_question(people.other, title=f"Numbatic sensor question {n}?")

    results = finder.search(VISITOR, "numbatic sensor", SearchFilters(kinds=frozenset({"answer"})))
    assert results.total_is_lower_bound
    assert [(hit.kind, hit.object_id) for hit in results.hits] == [("answer", answer.id)]


def test_a_search_of_uncommon_words_reads_the_index_whatever_the_estimates(people, count_queries):
    """PostgreSQL's planner estimates a word it has no statistics for at 0.5% of the
    texts, so a query of rare words (each with its stems and translations) looked
    common, and its probe walked every text: seconds at 500,000 texts."""
    for number in range(60):
        ask_question(people.other, title=f"Routine wearable question number {number}?")
    ask_question(people.other, title="Is the axolotlic sensor a device?")
    backend = finder._backend()
    backend.after_rebuild()  # ANALYZE on PostgreSQL (fresh word statistics), merge on SQLite
    db.session.commit()
    terms = parse_query("axolotlic")

    with count_queries() as executed, backend.plan(terms) as way:
        assert len(backend.probe(terms, 300, finder._visible(VISITOR), way)) == 1
        plan = _explain(executed[-1], executed.parameters[-1])
    if db.engine.dialect.name == "postgresql":
        from forum.services.search import postgres as search_postgres

        assert way is search_postgres.Way.INDEX
        assert search_postgres._is_common(parse_query("routine wearable"))
        assert "ix_search_text_search_vector" in plan and "Seq Scan" not in plan, plan
        # The plan's setting ends with the search: other statements plan as usual.
        finder.search(VISITOR, "axolotlic")
        assert db.session.scalar(text("SHOW enable_seqscan")) == "on"
        # No JIT compilation (forum/config.py): 10 to 20 ms for statements of a few.
        assert db.session.scalar(text("SHOW jit")) == "off"
    else:
        assert "VIRTUAL TABLE INDEX" in plan, plan


def test_how_common_a_query_is_adds_its_words_and_takes_each_words_commonest_term(monkeypatch):
    from forum.services.search import postgres as search_postgres

    shares = {"studi": 0.05, "study": 0.04, "wearabl": 0.02, "sensor": 0.01, "sensori": 0.02}
    monkeypatch.setattr(search_postgres, "_word_shares", lambda: shares)
    monkeypatch.setattr(search_postgres, "WALK_SHARE", 0.08)
    assert not search_postgres._is_common(
        parse_query("study")
    )  # 0.05: one word, its commonest term
    assert not search_postgres._is_common(parse_query("axolotl"))  # not among the common words
    assert search_postgres._is_common(parse_query("wearable study sensors"))  # 0.05 + 0.02 + 0.02
    # A word being typed counts every common term it begins: sensor + sensori.
    assert search_postgres._is_common(parse_query("study sens", prefix_last=True))
    assert not search_postgres._is_common(parse_query("study axol", prefix_last=True))


def _explain(statement: str, parameters) -> str:
    prefix = "EXPLAIN " if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    rows = db.session.connection().exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join(" ".join(str(value) for value in row) for row in rows)


# --- confidentiality -------------------------------------------------------------------


@pytest.fixture
def confidential_thread(people):
    question = ask_question(
        people.asker,
        title="Is our pangolinic stent a class III device?",
        body="Unreleased pangolinic design.",
        visibility=Visibility.CONFIDENTIAL,
    )
    answer = answers.post_answer(question, people.expert, "The pangolinic stent is class III.")
    board_answer = published_board_answer(question, people.board, "Pangolinic: class III.")
    return question, answer, board_answer


@pytest.mark.parametrize(
    "viewer_name, sees",
    [
        ("visitor", False),
        ("other", False),
        ("asker", True),
        ("expert", True),
        ("admin", True),
    ],
)
def test_a_confidential_question_is_searchable_only_by_those_who_may_open_it(
    people, confidential_thread, viewer_name, sees
):
    question, answer, board_answer = confidential_thread
    ask_question(people.other, title="A public pangolinic question?")  # something public matches
    viewer = VISITOR if viewer_name == "visitor" else getattr(people, viewer_name)

    results = finder.search(viewer, "pangolinic stent", per_page=100)
    found = parts_found(viewer, "pangolinic stent")
    hidden = {("question", question.id), ("answer", answer.id), ("board-answer", board_answer.id)}
    assert (hidden <= found) is sees
    assert found & hidden == (hidden if sees else set())
    assert results.total == (2 if sees else 1)  # the thread once, and the public question
    assert results.all_count == results.total
    assert results.kind_counts["answer"] == (1 if sees else 0)
    assert results.kind_counts["question"] == (2 if sees else 1)
    snippets = " ".join(str(marked(hit.snippet)) + hit.title for hit in results.hits)
    assert ("Unreleased" in snippets or "class III" in snippets) is sees

    suggested = {(hit.kind, hit.object_id) for hit in finder.suggest(viewer, "pangolinic st")}
    assert (("question", question.id) in suggested) is sees


def test_the_pages_do_not_reveal_a_confidential_question_to_a_visitor(client, confidential_thread):
    question, _answer, _board_answer = confidential_thread
    page = client.get("/search?q=pangolinic").get_data(as_text=True)
    assert "0 results for “pangolinic”" in page
    assert f"/questions/{question.id}" not in page
    assert "Unreleased" not in page and "class III" not in page and "<mark>" not in page
    suggestions = client.get("/search/suggest?q=pangolinic").get_json()
    assert suggestions == {"suggestions": []}


def test_the_author_finds_their_confidential_question_on_the_page(
    client, login, people, confidential_thread
):
    question, _answer, _board_answer = confidential_thread
    login(people.asker)
    page = client.get("/search?q=pangolinic").get_data(as_text=True)
    assert f"/questions/{question.id}/" in page and "<mark>pangolinic</mark>" in page.lower()


# --- filters ---------------------------------------------------------------------------


@pytest.fixture
def filtered_content(people):
    ethics = ask_question(
        people.asker, title="Which capybaric ethics route?", topics=("ethics-committee",)
    )
    insurance = ask_question(
        people.asker, title="Which capybaric insurance?", topics=("insurance-costs",)
    )
    answer = answers.post_answer(ethics, people.expert, "A capybaric answer.")
    answers.accept_answer(ethics, answer, people.asker)
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="A capybaric FAQ?",
        answer_text="Yes.",
        topic=insurance.topics[0],
    )
    importing.import_guide("# Guide\n\nIntro.\n\n## Capybaric rules\n\nText.\n", people.admin)
    section = db.session.scalar(select(GuideSection).where(GuideSection.level == 2))
    return {
        "ethics": ethics,
        "insurance": insurance,
        "answer": answer,
        "faq": entry,
        "guide": section,
    }


def test_filter_by_kind(filtered_content):
    c = filtered_content
    assert kinds_found(VISITOR, "capybaric", kinds=frozenset({"faq", "guide"})) == {
        ("faq", c["faq"].id),
        ("guide", c["guide"].id),
    }
    results = finder.search(VISITOR, "capybaric", SearchFilters(kinds=frozenset({"answer"})))
    assert results.total == 1
    # The counts per kind ignore the kind filter, so the page can offer the others.
    assert results.kind_counts == {
        "question": 2,
        "answer": 1,
        "board-answer": 0,
        "faq": 1,
        "guide": 1,
    }


def test_filter_by_topic_covers_questions_their_answers_and_faq_entries(filtered_content):
    c = filtered_content
    assert parts_found(VISITOR, "capybaric", topic_slug="ethics-committee") == {
        ("question", c["ethics"].id),
        ("answer", c["answer"].id),
    }
    assert parts_found(VISITOR, "capybaric", topic_slug="insurance-costs") == {
        ("question", c["insurance"].id),
        ("faq", c["faq"].id),
    }
    assert kinds_found(VISITOR, "capybaric", topic_slug="no-such-topic") == set()


def test_filter_by_status_keeps_question_bound_texts_of_that_status(filtered_content):
    c = filtered_content
    assert parts_found(VISITOR, "capybaric", status="closed") == {
        ("question", c["ethics"].id),
        ("answer", c["answer"].id),
    }
    assert kinds_found(VISITOR, "capybaric", status="open") == {("question", c["insurance"].id)}


def test_filter_by_date_includes_both_ends(filtered_content):
    c = filtered_content
    old = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    db.session.execute(
        update(Question).where(Question.id == c["insurance"].id).values(created_at=old)
    )
    db.session.commit()
    finder.reindex_all()
    day = date(2025, 3, 10)
    assert kinds_found(VISITOR, "capybaric", since=day, until=day) == {
        ("question", c["insurance"].id)
    }
    assert ("question", c["insurance"].id) not in kinds_found(
        VISITOR, "capybaric", since=day + timedelta(days=1)
    )
    assert kinds_found(VISITOR, "capybaric", until=day - timedelta(days=1)) == set()


@pytest.mark.parametrize(
    "filters, field",
    [
        (SearchFilters(kinds=frozenset({"comment"})), "kind"),
        (SearchFilters(status="pending"), "status"),
        (SearchFilters(since=date(2025, 2, 1), until=date(2025, 1, 1)), "to"),
    ],
)
def test_the_service_refuses_filters_that_do_not_exist(app, filters, field):
    with pytest.raises(RuleViolation) as caught:
        finder.search(VISITOR, "ethics", filters)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "query_string, message",
    [
        ("q=ethics&kind=comment", "Not a valid choice"),
        ("q=ethics&status=pending", "Not a valid choice"),
        ("q=ethics&topic=astrology", "Not a valid choice"),
        ("q=ethics&from=2025-13-45", "Not a valid date value"),
        ("q=ethics&from=2025-02-01&to=2025-01-01", "The end date is before the start date."),
    ],
)
def test_the_page_answers_bad_filters_with_a_message_beside_the_field(
    client, query_string, message
):
    response = client.get(f"/search?{query_string}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'class="error"' in page and 'value="ethics"' in page


# --- bad input -------------------------------------------------------------------------

BAD_QUERIES = [
    '"',
    '""',
    "'",
    '"ethics committee',
    "ethics AND committee",
    "AND",
    "OR NOT",
    "*",
    "ethic*",
    "NEAR(ethics committee, 2)",
    "title_terms: ethics",
    "{title_terms}: x",
    ":",
    "a:b:c",
    "((ethics",
    "ethics))",
    ")(",
    "!ethics & committee | x:* <-> y",
    "^ethics +fees -insurance",
    "x" * 10_000,
    "ethics " * 2_000,
    "\x01\x02\x1b[31m\x7f",
    "tab\there\nnewline\r",
    "😀🔥 ethics 🇮🇹",
    "☃",
    "' OR 1=1; DROP TABLE question; --",
    "%_\\",
    "\u200b\u202e\ufeff",
    "ＥＴＨＩＣＳ",
    "ſtudy",
    "İstanbul ß",
    "日本語の質問",
    "العربية",
    "",
    "   ",
    "ethics\x00committee",
    "\x00",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_any_query_is_searched_without_error(app, people, query):
    ask_question(people.asker, title="Which ethics committee?")
    results = finder.search(VISITOR, query)
    assert results.total >= 0 and results.query == query
    assert isinstance(finder.suggest(VISITOR, query), list)


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_any_query_gets_a_page_and_suggestions(client, query):
    assert client.get("/search", query_string={"q": query}).status_code == 200
    response = client.get("/search/suggest", query_string={"q": query})
    assert response.status_code == 200 and "suggestions" in response.get_json()


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_any_query_is_answered_by_the_api(client, query):
    response = client.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["query"] == query


def test_a_nul_in_a_filter_is_still_refused_readably(client):
    response = client.get("/search", query_string={"q": "ethics", "topic": "ethics\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_operators_are_plain_words_not_syntax(people):
    question = ask_question(people.asker, title="Fees near the Ministry")
    assert ("question", question.id) in kinds_found(VISITOR, "NEAR")
    assert ("question", question.id) in kinds_found(VISITOR, '"fees" AND (ministry')


def test_an_empty_query_shows_tips_and_where_to_browse(client):
    page = client.get("/search").get_data(as_text=True)
    assert "What can I search?" in page
    assert 'href="/faq"' in page and 'href="/guide"' in page


def test_a_query_of_stop_words_and_symbols_says_there_is_nothing_to_search(client):
    page = client.get("/search", query_string={"q": "the of ??? !!!"}).get_data(as_text=True)
    assert "has no word to search for" in page


def test_snippets_escape_the_text_and_mark_the_matches(people):
    ask_question(
        people.asker,
        title="A <script>alert(1)</script> lemurine question",
        body='The *lemurine* dose is < 5 mg & "safe".',
    )
    hit = finder.search(VISITOR, "lemurine").hits[0]
    title_html = marked(hit.title_passage)
    assert "<script>" not in title_html and "&lt;script&gt;" in title_html
    assert "<mark>lemurine</mark> question" in title_html
    snippet_html = marked(hit.snippet)
    assert snippet_html == "The <mark>lemurine</mark> dose is &lt; 5 mg &amp; &#34;safe&#34;."


def test_a_snippet_of_a_long_text_starts_near_the_first_match():
    text = "Preamble words. " * 60 + "The meerkatine clause applies. " + "Tail. " * 60
    snippet = marked(passage(text, parse_query("meerkatine")))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>meerkatine</mark>" in snippet and len(snippet) < 400


def test_the_service_returns_passages_as_data_and_the_web_layer_marks_them(people):
    ask_question(people.asker, title="The <b>tarsierine</b> dose", body="Tarsierine & more.")
    hit = finder.search(VISITOR, "tarsierine").hits[0]
    assert hit.title_passage == Passage(
        (("The <b>", False), ("tarsierine", True), ("</b> dose", False))
    )
    assert hit.snippet.pieces == (("Tarsierine", True), (" & more.", False))
    assert not hit.snippet.cut_before and not hit.snippet.cut_after
    assert marked(hit.title_passage) == "The &lt;b&gt;<mark>tarsierine</mark>&lt;/b&gt; dose"


# --- language ----------------------------------------------------------------------------


def test_accents_and_case_do_not_matter(people):
    question = ask_question(people.asker, title="Perché la qualità dei dati è importante?")
    assert ("question", question.id) in kinds_found(VISITOR, "PERCHE QUALITA")
    plain = ask_question(people.asker, title="Why does data qualita matter?")
    assert ("question", plain.id) in kinds_found(VISITOR, "qualità")


def test_word_forms_meet_in_english_and_in_italian(people):
    english = ask_question(people.asker, title="Two committees reviewed the studies")
    italian = ask_question(people.asker, title="Quali comitati etici valutano lo studio?")
    assert ("question", english.id) in kinds_found(VISITOR, "committee study")
    assert ("question", italian.id) in kinds_found(VISITOR, "comitato etico")
    randomised = ask_question(people.asker, title="Is a randomised design needed?")
    assert ("question", randomised.id) in kinds_found(VISITOR, "randomized")


def test_an_italian_query_finds_english_text_and_back(people):
    english = ask_question(people.asker, title="Does the ethics committee charge a fee?")
    italian = ask_question(people.asker, title="Serve il consenso informato scritto?")
    assert ("question", english.id) in kinds_found(VISITOR, "comitato etico")
    assert ("question", italian.id) in kinds_found(VISITOR, "informed consent")


# --- ranking and suggestions -------------------------------------------------------------


def test_title_and_faq_question_matches_rank_above_body_matches(people):
    body_match = ask_question(
        people.asker,
        title="A question about something else",
        body="We also wonder about the armadillic pathway here.",
    )
    title_match = ask_question(
        people.asker, title="The armadillic pathway", body="Nothing else to say about it."
    )
    answer = answers.post_answer(body_match, people.expert, "The armadillic answer text.")
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="What is armadillic?",
        answer_text="A word.",
        topic=body_match.topics[0],
    )
    questions_only = SearchFilters(kinds=frozenset({"question"}))
    ranked = [
        (hit.kind, hit.object_id)
        for hit in finder.search(VISITOR, "armadillic", questions_only).hits
    ]
    assert ranked.index(("question", title_match.id)) < ranked.index(("question", body_match.id))
    # The entry folds into the thread it was drawn from: each kind is searched on its
    # own (the scores do not depend on the kind filter).
    [faq_hit] = finder.search(VISITOR, "armadillic", SearchFilters(kinds=frozenset({"faq"}))).hits
    [answer_hit] = finder.search(
        VISITOR, "armadillic", SearchFilters(kinds=frozenset({"answer"}))
    ).hits
    assert (faq_hit.object_id, answer_hit.object_id) == (entry.id, answer.id)
    assert faq_hit.score > answer_hit.score


def test_suggestions_match_an_unfinished_last_word_and_leave_out_answers(app, people):
    question = ask_question(people.asker, title="Wearable patch for arrhythmia detection")
    answers.post_answer(question, people.expert, "A wearable patch answer.")
    suggested = finder.suggest(VISITOR, "arrhythmia wearab")
    assert [(hit.kind, hit.object_id) for hit in suggested] == [("question", question.id)]
    with app.test_request_context():
        assert hit_url(suggested[0]).startswith(f"/questions/{question.id}/wearable-patch")
    assert finder.suggest(VISITOR, "   ") == []


def test_hits_link_to_the_place_on_their_page(app, people):
    question = ask_question(people.asker, title="Where is the aardvarkian clause?")
    answer = answers.post_answer(question, people.expert, "The aardvarkian clause is in Annex I.")
    board_answer = published_board_answer(question, people.board, "Aardvarkian: Annex I.")
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Aardvarkian clause?",
        answer_text="Annex I.",
        topic=question.topics[0],
    )
    importing.import_guide(
        "# Guide\n\nIntro.\n\n## Aardvarkian clauses\n\nAnnex I.\n", people.admin
    )
    with app.test_request_context():
        urls = {
            hit.kind: hit_url(hit)
            for kind in finder.KINDS
            for hit in finder.search(
                VISITOR, "aardvarkian", SearchFilters(kinds=frozenset({kind}))
            ).hits
        }
    page = f"/questions/{question.id}/where-is-the-aardvarkian-clause"
    assert urls == {
        "question": page,
        "answer": f"{page}#answer-{answer.id}",
        "board-answer": f"{page}#board-answer",
        "faq": f"/faq?entry={entry.id}#faq-{entry.id}",
        "guide": "/guide#aardvarkian-clauses",
    }
    assert (
        board_answer.id
        == finder.search(VISITOR, "aardvarkian", SearchFilters(kinds=frozenset({"board-answer"})))
        .hits[0]
        .object_id
    )


# --- pages, command, query count ------------------------------------------------------


def test_the_header_has_a_labelled_search_box(client):
    page = client.get("/search").get_data(as_text=True)
    assert '<input type="search" id="header-search-q" name="q"' in page
    assert '<label for="header-search-q"' in page


def test_the_ask_page_offers_suggestions_with_a_script_file(client, login, people):
    login(people.asker)
    page = client.get("/questions/ask").get_data(as_text=True)
    assert 'id="ask-suggestions"' in page and 'aria-live="polite"' in page
    assert 'data-suggest-url="/search/suggest"' in page
    script = hashed_name(client.application.static_folder, "js/ask-suggestions.js")
    assert f'<script src="/static/{script}" defer></script>' in page


def test_results_page_shows_kinds_snippets_and_pages(client, people):
    for number in range(25):
        ask_question(people.asker, title=f"Numbatic question {number}")
    page = client.get("/search?q=numbatic").get_data(as_text=True)
    assert "25 results for “numbatic”" in page and "Page 1 of 2" in page
    assert "<mark>Numbatic</mark>" in page and 'rel="next"' in page
    second = client.get("/search?q=numbatic&page=2").get_data(as_text=True)
    assert second.count('class="search-hit"') == 5


def test_a_search_page_runs_the_same_number_of_queries_however_many_results(
    client, people, count_queries
):
    ask_question(people.asker, title="One quollish question")

    def page_queries() -> int:
        with count_queries() as statements:
            assert client.get("/search?q=quollish&kind=question").status_code == 200
        return len(statements)

    few = page_queries()
    for number in range(30):
        question = ask_question(people.asker, title=f"Quollish question {number}")
        answers.post_answer(question, people.expert, "A quollish answer.")
    assert page_queries() == few


def test_the_reindex_command_rebuilds_the_index(app, people):
    question = ask_question(people.asker, title="The dugongian study")
    db.session.execute(delete(SearchDocument))
    db.session.commit()
    assert kinds_found(VISITOR, "dugongian") == set()

    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Search index rebuilt: 1 documents" in result.output
    assert kinds_found(VISITOR, "dugongian") == {("question", question.id)}


def test_reindex_all_covers_every_kind_and_skips_what_readers_cannot_find(people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "An answer.")
    board_answer = published_board_answer(question, people.board, "Board text.")
    second = ask_question(people.asker, title="Another question")
    board.open_board_answer(second, people.expert, "A draft is not searched.")
    entry = faq.promote_answer(
        people.admin, answer, question_text="Q?", answer_text="A.", topic=question.topics[0]
    )
    # An answer is promoted once: the unpublished entry is drawn from the board's answer.
    hidden = faq.promote_board_answer(
        people.admin,
        board_answer,
        question_text="Q2?",
        answer_text="A2.",
        topic=question.topics[0],
    )
    faq.unpublish(hidden, people.admin)
    importing.import_guide(GUIDE, people.admin)
    before = _documents()
    assert finder.reindex_all() == len(before) == 2 + 1 + 1 + 1 + 4  # 4: the guide and 3 sections
    assert _documents() == before
    assert (DocumentKind.FAQ, entry.id) in {(kind, object_id) for kind, object_id in before}


def _documents() -> set[tuple]:
    return {
        (document.kind, document.object_id)
        for document in db.session.scalars(select(SearchDocument))
    }


def test_confidential_texts_do_not_change_what_a_visitor_is_shown(people, monkeypatch):
    """Not the hits, the counts, the "at least" nor the exactness of the ranking."""
    from forum.services.search import postgres as search_postgres
    from forum.services.search import sqlite as search_sqlite

    for backend in (search_sqlite, search_postgres):
        monkeypatch.setattr(backend, "EXACT_LIMIT", 3)
    for number in range(2):
        ask_question(people.asker, title=f"Sham control number {number} for a knee implant")

    def shown():
        results = finder.search(VISITOR, "sham control implant")
        return (
            [(hit.kind, hit.object_id, hit.title) for hit in results.hits],
            results.total,
            results.total_is_lower_bound,
            results.kind_counts,
        )

    before = shown()
    assert before[1] == 2 and before[2] is False
    for number in range(3):
        ask_question(
            people.other,
            title=f"Our unreleased implant {number}: sham control?",
            visibility=Visibility.CONFIDENTIAL,
        )
    assert shown() == before
    assert finder.search(people.expert, "sham control implant").total >= 5
