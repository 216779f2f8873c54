"""Search lists a thread once: the question, its answers and its board answer are one
result, under the part that matches best; FAQ entries and guide sections are their own.
Counts, pages, confidentiality, the API and the number of queries follow."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from forum.models import ExpertArea, Role, Visibility
from forum.services import answers, faq
from forum.services.guide import importing
from forum.services.search import finder
from forum.services.search import postgres as search_postgres
from forum.services.search import sqlite as search_sqlite
from forum.services.search.finder import SearchFilters
from tests.factories import ask_question, published_board_answer

VISITOR = AnonymousUserMixin()
FILLER = " ".join(["The protocol follows the usual plan for a multicentre study."] * 12)


@pytest.fixture(params=["exact", "bounded"])
def ranking_way(request, monkeypatch):
    """Both ways a query is ranked (finder._pool): every match ranked in hand, or, for
    words in very many texts, the engine's bounded candidates grouped in SQL."""
    if request.param == "bounded":
        for engine in (search_sqlite, search_postgres):
            monkeypatch.setattr(engine, "EXACT_LIMIT", 2)
            monkeypatch.setattr(engine, "SCAN", 100)
    return request.param


def busy_thread(people, word: str, *, best: str = "board-answer"):
    """A question whose body, two answers and board answer all have ``word``; the part
    named ``best`` has it most, in the fewest words."""
    strong, weak = f"{word.capitalize()}: {word} {word}.", f"{FILLER} Then {word}. {FILLER}"
    question = ask_question(
        people.asker,
        title="How do we file the dossier?",
        body=strong if best == "question" else weak,
    )
    first = answers.post_answer(question, people.expert, strong if best == "answer" else weak)
    second = answers.post_answer(question, people.clinical, weak)
    board_answer = published_board_answer(
        question, people.board, strong if best == "board-answer" else weak
    )
    return question, first, second, board_answer


def test_a_thread_whose_every_part_matches_is_one_result_under_its_board_answer(client, people):
    question, _first, _second, board_answer = busy_thread(people, "okapine")

    results = finder.search(VISITOR, "okapine")
    assert results.total == 1 and len(results.hits) == 1
    [hit] = results.hits
    assert (hit.kind, hit.object_id, hit.question_id) == (
        "board-answer",
        board_answer.id,
        question.id,
    )
    assert hit.anchor == "board-answer"

    page = client.get("/search?q=okapine").get_data(as_text=True)
    assert page.count('class="search-hit"') == 1
    assert f'/questions/{question.id}/how-do-we-file-the-dossier#board-answer"' in page
    assert "In the board&#39;s answer:" in page
    assert "<mark>Okapine</mark>: <mark>okapine</mark>" in page


def test_an_answer_that_matches_best_is_named_by_its_author_and_linked_by_its_anchor(
    client, people
):
    question, first, _second, _board_answer = busy_thread(people, "tapirine", best="answer")

    [hit] = finder.search(VISITOR, "tapirine").hits
    assert (hit.kind, hit.object_id, hit.author_name) == ("answer", first.id, "Elena Research")

    page = client.get("/search?q=tapirine").get_data(as_text=True)
    assert f'#answer-{first.id}"' in page
    assert "In an answer by Elena Research:" in page
    api = client.get("/api/v1/search?q=tapirine").get_json()
    assert [(item["kind"], item["object_id"]) for item in api["items"]] == [("answer", first.id)]
    assert api["items"][0]["author_name"] == "Elena Research"
    assert api["total"] == 1


def test_the_question_itself_is_named_when_it_matches_best(client, people):
    question, *_parts = busy_thread(people, "serowine", best="question")
    [hit] = finder.search(VISITOR, "serowine").hits
    assert (hit.kind, hit.object_id, hit.anchor) == ("question", question.id, None)
    assert "In the question:" in client.get("/search?q=serowine").get_data(as_text=True)


def test_three_matching_threads_are_the_three_top_results_not_one_thread_repeated(
    people, ranking_way
):
    busy, *_parts = busy_thread(people, "dugongic")
    # The busy thread's four parts each outrank these two questions' single mention.
    others = [
        ask_question(people.other, title=f"Study plan {n}", body=f"{FILLER} Dugongic? {FILLER}")
        for n in range(2)
    ]

    hits = finder.search(VISITOR, "dugongic").hits
    assert len(hits) == 3
    assert {hit.question_id for hit in hits} == {busy.id, *(question.id for question in others)}
    if ranking_way == "exact":
        # Ranked bounded, equals come newest first: the order is the ranking's only here.
        assert hits[0].question_id == busy.id


def test_an_faq_entry_drawn_from_a_thread_folds_into_it_and_a_guide_section_does_not(
    people, ranking_way
):
    question, first, _second, _board_answer = busy_thread(people, "narwhalic")
    entry = faq.promote_answer(
        people.admin,
        first,
        question_text="Narwhalic dossiers?",
        answer_text="File them with the narwhalic form.",
        topic=question.topics[0],
    )
    importing.import_guide("# Guide\n\nIntro.\n\n## Narwhalic forms\n\nText.\n", people.admin)

    results = finder.search(VISITOR, "narwhalic")
    shown = {(hit.kind, hit.object_id) for hit in results.hits}
    assert results.total == 2 and len(results.hits) == 2  # the thread, the guide section
    assert "guide" in {hit.kind for hit in results.hits}
    if ranking_way == "exact":
        # Its question in the title, its own short text: the entry is the best part.
        assert ("faq", entry.id) in shown
        assert results.all_count == 2
        assert results.kind_counts["faq"] == 1 and results.kind_counts["answer"] == 1
    # Asked for on its own, the entry is found as ever.
    only_faq = finder.search(VISITOR, "narwhalic", SearchFilters(kinds=frozenset({"faq"})))
    assert [(hit.kind, hit.object_id) for hit in only_faq.hits] == [("faq", entry.id)]


def test_an_faq_entry_from_a_board_answer_folds_into_its_thread(people):
    question, _first, _second, board_answer = busy_thread(people, "belugic")
    entry = faq.promote_board_answer(
        people.admin,
        board_answer,
        question_text="Belugic dossiers?",
        answer_text="File them.",
        topic=question.topics[0],
    )
    results = finder.search(VISITOR, "belugic")
    assert results.total == 1
    assert [(hit.kind, hit.object_id) for hit in results.hits] == [("faq", entry.id)]


def test_an_faq_entry_drawn_from_a_confidential_thread_is_alone_for_a_visitor(people, ranking_way):
    secret = ask_question(
        people.asker,
        title="Our unreleased sirenian pump",
        body="Design details of the sirenian pump.",
        visibility=Visibility.CONFIDENTIAL,
    )
    answer = answers.post_answer(secret, people.expert, "The sirenian pump is class IIb.")
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Which class is a sirenian pump?",
        answer_text="Class IIb.",
        topic=secret.topics[0],
    )

    visitor_view = finder.search(VISITOR, "sirenian pump")
    assert [(hit.kind, hit.object_id) for hit in visitor_view.hits] == [("faq", entry.id)]
    assert visitor_view.total == 1
    if ranking_way == "exact":
        assert visitor_view.kind_counts == {
            "question": 0,
            "answer": 0,
            "board-answer": 0,
            "faq": 1,
            "guide": 0,
        }
    # Whoever may open the thread sees one result too: the thread, as its best part.
    assert finder.search(people.asker, "sirenian pump").total == 1


def test_pages_never_repeat_a_thread_and_count_threads(client, people, ranking_way):
    threads = []
    for n in range(7):
        question = ask_question(people.asker, title=f"Quokkaline question {n}")
        answers.post_answer(question, people.expert, f"A quokkaline answer {n}.")
        answers.post_answer(question, people.clinical, f"Another quokkaline answer {n}.")
        threads.append(question.id)

    seen = []
    for page in (1, 2, 3):
        results = finder.search(VISITOR, "quokkaline", page=page, per_page=3)
        assert results.total == 7 and results.pages == 3
        seen += [hit.question_id for hit in results.hits]
    assert sorted(seen) == sorted(threads)  # every thread once, none twice

    # The page: 20 a page, so per page here is the service's; check the count and links.
    page = client.get("/search?q=quokkaline").get_data(as_text=True)
    assert page.count('class="search-hit"') == 7
    if ranking_way == "exact":
        assert "7 results for “quokkaline”" in page


def test_counts_per_kind_count_threads_and_the_kind_filter_keeps_one_per_thread(people):
    question, first, second, board_answer = busy_thread(people, "manatic")
    lone = ask_question(people.other, title="A manatic question")

    results = finder.search(VISITOR, "manatic")
    assert results.total == 2 and results.all_count == 2
    assert results.kind_counts == {
        "question": 2,
        "answer": 1,  # one thread, two answers
        "board-answer": 1,
        "faq": 0,
        "guide": 0,
    }
    only_answers = finder.search(VISITOR, "manatic", SearchFilters(kinds=frozenset({"answer"})))
    assert only_answers.total == 1
    assert only_answers.hits[0].object_id in {first.id, second.id}
    assert only_answers.all_count == 2 and only_answers.kind_counts == results.kind_counts
    assert {hit.question_id for hit in results.hits} == {question.id, lone.id}
    assert board_answer.id  # published, counted above


def test_a_confidential_thread_with_a_public_looking_answer_stays_hidden(
    client, login, people, ranking_way
):
    secret = ask_question(
        people.asker,
        title="Our unreleased implant",
        body="Design details.",
        visibility=Visibility.CONFIDENTIAL,
    )
    # An answer in general words: nothing in it says whose question it answers.
    answer = answers.post_answer(secret, people.expert, "Use the dingoish standard form.")
    public = ask_question(people.other, title="Which dingoish form?")

    results = finder.search(VISITOR, "dingoish form")
    assert [hit.question_id for hit in results.hits] == [public.id]
    assert results.total == 1
    if ranking_way == "exact":
        assert results.kind_counts["answer"] == 0 and results.all_count == 1
    page = client.get("/search?q=dingoish+form").get_data(as_text=True)
    assert "standard" not in page and f"answer-{answer.id}" not in page
    api = client.get("/api/v1/search?q=dingoish+form").get_json()
    assert [item["question_id"] for item in api["items"]] == [public.id]

    expert_view = finder.search(people.expert, "dingoish form")
    assert {hit.question_id for hit in expert_view.hits} == {secret.id, public.id}
    login(people.expert)
    page = client.get("/search?q=dingoish+form").get_data(as_text=True)
    assert f"answer-{answer.id}" in page and page.count('class="search-hit"') == 2


def test_suggestions_list_a_thread_once(people):
    question, first, *_rest = busy_thread(people, "lemurine", best="question")
    suggested = finder.suggest(VISITOR, "lemurine")
    assert [(hit.kind, hit.object_id) for hit in suggested] == [("question", question.id)]


def test_the_search_page_runs_the_same_number_of_queries_however_many_parts_match(
    client, people, count_queries
):
    busy_thread(people, "wallabic")

    def page_queries() -> int:
        with count_queries() as statements:
            assert client.get("/search?q=wallabic").status_code == 200
        return len(statements)

    few = page_queries()
    for _n in range(3):
        busy_thread(people, "wallabic")
    for n in range(20):
        question = ask_question(people.asker, title=f"Wallabic question {n}")
        answers.post_answer(question, people.expert, "A wallabic answer.")
    assert page_queries() == few


def test_an_answer_authors_name_is_shown_as_text_not_markup(client, people, make_user):
    eve = make_user(Role.EXPERT, ExpertArea.CLINICAL, name="<b>Eve</b> & co")
    question = ask_question(people.asker, title="A plain title", body=FILLER)
    answers.post_answer(question, eve, "Koalish: koalish koalish.")
    page = client.get("/search?q=koalish").get_data(as_text=True)
    assert "In an answer by &lt;b&gt;Eve&lt;/b&gt; &amp; co:" in page
    assert "<b>Eve</b>" not in page
