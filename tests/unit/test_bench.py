"""`make bench`'s results (bench/report.py): the live forum's rows as shares of the run's
reference bare route, the targets met or not, and failures (a 429 included) never hidden;
and what the live rows read and who writes in them (bench/live.py)."""

from __future__ import annotations

import pytest

from bench import live, load, report
from bench.browser import csrf_token
from bench.dataset import Scale
from bench.figures import (
    BackendFigures,
    LiveFigures,
    MixedFigures,
    PageFigures,
    QuestionSample,
    ServerRows,
    Writes,
)
from forum.extensions import db
from forum.models import ExpertArea, Role, Visibility
from forum.models.columns import utcnow
from forum.services.accounts import creation
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:8000
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.00ms  20.00ms   90.00%
    Req/Sec     2.00k   100.00     2.20k    70.00%
  Latency Distribution
     50%    1.90ms
     75%    2.30ms
     90%    2.80ms
     99%   15.10ms
  4000 requests in 8.00s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 12
Requests/sec:    500.00
Transfer/sec:      1.00MB
"""


def result(rate: float, *, bad: int = 0, p99: float = 9.0) -> load.LoadResult:
    return load.LoadResult(
        requests_per_second=rate, p50_ms=2.0, p99_ms=p99, requests=int(rate * 8), bad_responses=bad
    )


def pages(rate: float, *, bad: int = 0) -> list[PageFigures]:
    """The live rows' five pages, ``bad`` failed responses on the first."""
    names = ("home", "question list", "a question, 3 in turn", "FAQ", "guide")
    return [
        PageFigures(name, result(rate, bad=bad if n == 0 else 0), result(rate))
        for n, name in enumerate(names)
    ]


def backend(
    *, uncached=200.0, deployed=600.0, mixed=450.0, bad=0, writes=None, memory=140.0
) -> BackendFigures:
    sample = QuestionSample(["/questions/1", "/questions/2", "/questions/3"], 4, 12)
    live_figures = LiveFigures(
        rate_limit_storage=live.rate_limit_storage(),
        questions=sample,
        uncached=ServerRows(bare=result(900.0), pages=pages(uncached)),
        deployed=ServerRows(bare=result(950.0), pages=pages(deployed, bad=bad)),
        mixed=MixedFigures(
            readers=PageFigures("readers", result(mixed), result(mixed)),
            writes=writes or Writes(answers=8, comments=8, post_ms=[40.0] * 16, seconds=16.0),
        ),
        worker_memory_mb=memory,
    )
    return BackendFigures(
        database="sqlite",
        build_seconds=1.0,
        bare=result(1000.0),
        worker_memory_mb=140.0,
        live=live_figures,
    )


def target(text: str, label_start: str) -> str:
    """The result cell of the targets row whose label starts with ``label_start``."""
    for line in text.splitlines():
        if line.startswith(f"| {label_start}"):
            return line.rsplit("|", 2)[1].strip()
    raise AssertionError(f"no target row {label_start!r}")


def render(*figures: BackendFigures) -> str:
    return report.render(list(figures), Scale(), 1.0, 10, 8)


def test_each_live_row_is_a_share_of_the_first_servers_bare_route_not_its_own():
    text = render(backend(uncached=200.0))
    # 200 requests/s against the reference's 1,000 (the server's own bare route: 900).
    assert "| home | 200 | 2.0 | 9.0 | 0.20 | 200 | 2.0 | 9.0 | 0.20 | 0 |" in text
    assert "This server's own bare route: 900 requests/s (0.90 of the reference" in text


def test_the_live_targets_are_met_at_their_thresholds():
    text = render(backend(uncached=150.0, deployed=500.0, mixed=400.0))
    assert target(text, "page cache off") == "met (lowest 0.15)"
    assert target(text, "as deployed") == "met (lowest 0.50)"
    assert target(text, "mixed load") == "met (lowest 0.40)"


def test_the_live_targets_are_not_met_below_them():
    text = render(backend(uncached=149.0, deployed=499.0, mixed=399.0))
    # Three decimals where two would print the threshold itself.
    assert target(text, "page cache off") == "NOT met (lowest 0.149)"
    assert target(text, "as deployed") == "NOT met (lowest 0.499)"
    assert target(text, "mixed load") == "NOT met (lowest 0.399)"


def test_a_refused_request_fails_the_live_forum_target():
    text = render(backend(bad=3))  # e.g. three 429s on the deployed server
    assert target(text, "live forum") == "NOT met (3 failed)"
    assert "a 429 is one): 3" in text


def test_a_failed_write_fails_the_live_forum_target_and_is_named():
    writes = Writes(
        answers=3, comments=4, failures=["write 5: POST /questions/2/comments answered 429"]
    )
    text = render(backend(writes=writes))
    assert target(text, "live forum") == "NOT met (1 failed)"
    assert "7 done (3 answers, 4 comments)" in text
    assert "failed write 5: POST /questions/2/comments answered 429" in text


def test_the_worker_memory_target_takes_the_largest_worker_of_every_server():
    text = render(backend(memory=151.0))
    assert target(text, "worker memory") == "NOT met (151.0 MB)"


def test_rows_a_run_left_out_are_not_run_rather_than_met():
    figures = BackendFigures(database="postgresql", build_seconds=1.0, bare=result(1000.0))
    text = render(figures)
    for label in ("every page", "page cache off", "as deployed", "mixed load", "live forum"):
        assert target(text, label) == "not run"
    assert "### postgresql: the live forum" not in text


def test_wrk_counts_refusals_and_socket_errors_as_failed_responses():
    parsed = load.parse(WRK_OUTPUT)
    assert parsed.bad_responses == 12 + 3
    assert parsed.requests_per_second == 500.0
    assert parsed.p99_ms == 15.1


def test_the_mixed_load_reads_every_sampled_question_between_the_main_pages():
    sample = QuestionSample([f"/questions/{n}" for n in range(8)], 1, 3)
    paths = live.mixed_paths(sample)
    assert paths[0::2] == sample.paths
    assert set(paths[1::2]) == {"/", "/questions", "/faq", "/guide"}


def test_the_writes_percentiles_come_from_each_sent_form():
    writes = Writes(post_ms=[float(n) for n in range(1, 101)])
    assert writes.post_percentile_ms(50) == 51.0
    assert writes.post_percentile_ms(99) == 99.0
    assert Writes().post_percentile_ms(99) == 0.0


def test_a_forms_csrf_token_is_read_unescaped_and_a_page_without_one_is_refused():
    page = '<form><input id="csrf_token" name="csrf_token" type="hidden" value="a&amp;b"></form>'
    assert csrf_token(page) == "a&b"
    with pytest.raises(ValueError):
        csrf_token("<p>no form</p>")


def test_the_question_sample_holds_public_questions_open_to_replies_most_answered_first(
    people,
):
    board = ask_question(people.asker, title="Which pathway applies to the board's question?")
    few = ask_question(people.asker, title="Which pathway applies with a few answers?")
    many = ask_question(people.asker, title="Which pathway applies with many answers?")
    confidential = ask_question(
        people.asker,
        title="Which pathway applies to our confidential device?",
        visibility=Visibility.CONFIDENTIAL,
    )
    locked = ask_question(people.asker, title="Which pathway applies to a locked question?")
    for question, answers in ((few, 2), (many, 7), (confidential, 9), (locked, 9)):
        question.answer_count = answers
    locked.locked_at = utcnow()
    db.session.commit()

    sample = live.question_sample(f"/questions/{board.id}", 10)

    # A visitor opens each, and the writer's every answer and comment is taken.
    assert sample.paths == [f"/questions/{q.id}" for q in (board, many, few)]
    assert (sample.fewest_answers, sample.most_answers) == (0, 7)


def test_the_writers_are_the_benchs_own_experts(make_user):
    make_user(Role.EXPERT)  # the centre's own expert, whose password the bench does not know
    for number, role in enumerate((Role.EXPERT, Role.MEMBER, Role.EXPERT)):
        creation.create_user(
            email=f"bench{number}@bench.example",
            display_name=f"Bench {number}",
            password=PASSWORD,
            role=role,
            area=ExpertArea.RESEARCH if role == Role.EXPERT else None,
        )

    assert live.writer_accounts(5, PASSWORD) == [
        ("bench0@bench.example", PASSWORD),
        ("bench2@bench.example", PASSWORD),
    ]


def test_the_profile_names_the_page_its_cpu_and_the_pieces_the_analysis_quotes(app, make_user):
    from bench import profile

    author = make_user()
    ask_question(author, title="A question the profile reads", visibility=Visibility.PUBLIC)
    app.config["PAGE_CACHE_SECONDS"] = 0  # as bench/profile.py serves: every page rendered
    page = profile.profile_page(app.test_client(), "/questions", "visitor", requests=2)
    text = profile.report(page, requests=2, top=5)
    assert text.startswith("## /questions (visitor): ")
    assert "ms CPU a request" in text
    for label, _file, _function in profile.PIECES:
        assert label in text
    # The templates' share is a real share of the time: the list is rendered by Jinja.
    templates_line = next(line for line in text.splitlines() if "templates" in line)
    assert float(templates_line.split("%")[0]) > 0
    assert len([line for line in text.splitlines() if line.startswith("   ") and "(" in line]) >= 5
