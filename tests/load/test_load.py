"""Under load: gunicorn with several workers, many clients asking, answering, commenting and
endorsing at once, on SQLite (WAL) and on PostgreSQL.

Each client is a thread with its own session (it logs in and posts forms with its
CSRF token, as a browser does). For a bounded time they write and read; every
write that got a success answer is recorded from the redirect (which names the
new row), and afterwards each must be in the database exactly once. No answer
may be a 5xx. On PostgreSQL, every connection the app holds is killed halfway
through (``pg_terminate_backend``): the app must go on serving, without a
restart of any worker.

SQLite runs always (a fresh file built by the migrations); PostgreSQL runs
when the suite does (FORUM_TEST_DATABASE_URL, as in .ci/run's second pass),
on the suite's database.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from forum import create_app
from forum.extensions import db
from forum.models import Answer, Comment, ExpertArea, Question, Role, Stance, StanceKind
from forum.services import board
from forum.services.accounts import creation, credentials
from tests import processes
from tests.conftest import CSRF_FIELD
from tests.factories import ask_question, topic_id
from tests.fixtures.people import PASSWORD

PROJECT = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("FORUM_LOAD_SECONDS", 16))
WORKERS = 3
MEMBERS = 3
EXPERT_AREAS = (ExpertArea.RESEARCH, ExpertArea.CLINICAL, ExpertArea.UNIVERSITY)
BOARD_ANSWERS = 25
# A server error is tolerated only in the requests answered this soon after the kill.
BLIP_WINDOW = 2.0
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("FORUM_TEST_DATABASE_URL") else [])

pytestmark = pytest.mark.slow


# --- the cast and the board answers to endorse, written before the server starts ---------


@dataclass
class Cast:
    members: list[str]
    experts: list[str]
    board_answers: list[int]
    questions: list[int]
    topic_id: int


def _build_cast() -> Cast:
    members = [
        creation.create_user(
            email=f"load-member{n}@example.org",
            display_name=f"Member {n}",
            password=PASSWORD,
            role=Role.MEMBER,
        )
        for n in range(MEMBERS)
    ]
    experts = [
        creation.create_user(
            email=f"load-expert{n}@example.org",
            display_name=f"Expert {n}",
            password=PASSWORD,
            role=Role.EXPERT,
            area=area,
            is_chair=area == ExpertArea.UNIVERSITY,
        )
        for n, area in enumerate(EXPERT_AREAS)
    ]
    board_answers, questions = [], []
    for n in range(BOARD_ANSWERS):
        question = ask_question(
            members[n % MEMBERS], title=f"Seeded question number {n} for the board"
        )
        opened = board.open_board_answer(
            question, experts[0], f"The board's draft answer number {n}."
        )
        board.submit_for_review(opened, experts[0])
        board_answers.append(opened.id)
        questions.append(question.id)
    return Cast(
        [user.email for user in members],
        [user.email for user in experts],
        board_answers,
        questions,
        topic_id(),
    )


# --- the server ---------------------------------------------------------------------------


class Gunicorn:
    """gunicorn serving the app on a free port; stopped by its own PID."""

    def __init__(self, database_url: str, workdir: Path):
        self.port = processes.free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "gunicorn.log"
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "FORUM_ENV": "development",  # plain-HTTP cookies; production would mark them Secure
            "SECRET_KEY": "load-test-secret",
            "FORUM_INSTANCE_PATH": str(workdir),
            "RATELIMIT_ENABLED": "0",  # the limits are tested elsewhere; here, throughput
            # Likewise the new accounts' daily budget (tests/web/test_moderation.py): the load's
            # members are minutes old and post many questions each.
            "MODERATION_NEW_ACCOUNT_DAILY_POSTS": "0",
        }
        environment.pop("FORUM_TEST_DATABASE_URL", None)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "gthread",
                "--threads",
                "2",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                # Idle keep-alive connections stay open for the whole run: a server closing
                # one just as a client sends a POST on it is HTTP/1.1's race, not the app's.
                "--keep-alive",
                "300",
                # No control socket: its default path is shared by every gunicorn of the user.
                "--no-control-socket",
                "forum:create_app()",
            ],
            cwd=PROJECT,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited at start:\n{self.log()}")
            try:
                if httpx.get(self.base_url + "/login", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer within a minute:\n{self.log()}")

    def log(self, whole: bool = False) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace")
        return text if whole else text[-4000:]

    def stop(self) -> None:
        processes.stop(self.process)
        self._log.close()


# --- the clients --------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the clients saw: the writes that succeeded, and everything that went wrong."""

    questions: dict[int, str] = field(default_factory=dict)  # id -> title
    answers: dict[int, str] = field(default_factory=dict)  # id -> marker in the body
    comments: dict[int, str] = field(default_factory=dict)
    stances: list[tuple[int, str]] = field(default_factory=list)  # (board answer, expert e-mail)
    # 5xx: (seconds from the start when the answer came, what was asked and the status)
    server_errors: list[tuple[float, str]] = field(default_factory=list)
    no_answer: list[str] = field(default_factory=list)  # connection failures
    refused: int = 0  # 4xx a rule may give under concurrency (e.g. an answer already endorsed)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    def __init__(self, base_url: str, email: str, outcome: Outcome, started: float):
        self.http = httpx.Client(base_url=base_url, follow_redirects=False, timeout=60)
        self.email = email
        self.outcome = outcome
        self.started = started
        page = self._send("GET", "/login")
        token = CSRF_FIELD.search(page.text).group(1)
        response = self._send(
            "POST", "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response is not None and response.status_code == 302, f"{email} could not log in"
        # The session's token: every form of the session carries the same one.
        self.token = CSRF_FIELD.search(self._send("GET", "/questions/ask").text).group(1)

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response | None:
        sent = time.monotonic() - self.started
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            with self.outcome.lock:
                self.outcome.requests += 1
                self.outcome.no_answer.append(f"{sent:6.2f}s {method} {url}: {error!r}")
            return None
        with self.outcome.lock:
            self.outcome.requests += 1
            if response.status_code >= 500:
                answered = time.monotonic() - self.started
                self.outcome.server_errors.append(
                    (
                        answered,
                        f"{sent:6.2f}s-{answered:6.2f}s {method} {url}: {response.status_code}",
                    )
                )
            elif response.status_code >= 400:
                self.outcome.refused += 1
        return response

    def post(self, url: str, data: dict) -> str | None:
        """The redirect's location when the write succeeded, else None."""
        response = self._send("POST", url, data={**data, "csrf_token": self.token})
        if response is not None and response.status_code in (302, 303):
            return response.headers["location"]
        return None

    def get(self, url: str) -> None:
        self._send("GET", url)

    def close(self) -> None:
        self.http.close()


def _member(
    client: Client,
    number: int,
    deadline: float,
    outcome: Outcome,
    cast: Cast,
    new_questions: list[int],
) -> None:
    topic = str(cast.topic_id)
    count = 0
    while time.monotonic() < deadline:
        count += 1
        title = f"Load {number}-{count}: does our class IIa sensor need a study?"
        location = client.post(
            "/questions/ask",
            {
                "title": title,
                "topics": topic,
                "device_class": "IIa",
                "stage": "prototype",
                "visibility": "public" if count % 4 else "confidential",
                "body": f"Question {number}-{count} written under load, with enough words to pass.",
            },
        )
        if location is None:
            continue
        question_id = int(re.search(r"/questions/(\d+)", location).group(1))
        with outcome.lock:
            outcome.questions[question_id] = title
            new_questions.append(question_id)
        client.get(location)
        marker = f"Load comment {number}-{count}"
        location = client.post(
            f"/questions/{question_id}/comments", {"body": f"{marker}: details."}
        )
        if location is not None:
            with outcome.lock:
                outcome.comments[int(re.search(r"#comment-(\d+)", location).group(1))] = marker
        client.get("/questions")


def _expert(
    client: Client,
    number: int,
    deadline: float,
    outcome: Outcome,
    cast: Cast,
    new_questions: list[int],
) -> None:
    to_endorse = list(cast.board_answers)
    random.Random(number).shuffle(to_endorse)
    count = 0
    while time.monotonic() < deadline:
        count += 1
        with outcome.lock:
            pool = new_questions[-20:] or cast.questions
            question_id = random.choice(pool)
        marker = f"Load answer {number}-{count}"
        location = client.post(
            f"/questions/{question_id}/answers",
            {"body": f"{marker}: the MDR Art. 62 route applies here."},
        )
        if location is not None:
            with outcome.lock:
                outcome.answers[int(re.search(r"#answer-(\d+)", location).group(1))] = marker
        if to_endorse:
            board_answer_id = to_endorse.pop()
            location = client.post(
                f"/board/answers/{board_answer_id}/stance",
                {"kind": "endorse", "revision_number": "1"},
            )
            if location is not None:
                with outcome.lock:
                    outcome.stances.append((board_answer_id, client.email))
        client.get(f"/questions/{question_id}")


def _run_clients(base_url: str, cast: Cast, *, blip=None) -> tuple[Outcome, float | None]:
    """Every client for SECONDS; ``blip`` (if given) runs once halfway. Returns what they
    saw and when the blip happened (seconds from the start)."""
    outcome = Outcome()
    started = time.monotonic()
    clients = [Client(base_url, email, outcome, started) for email in cast.members + cast.experts]
    started_writing = time.monotonic()
    deadline = started_writing + SECONDS
    new_questions: list[int] = []
    threads = [
        threading.Thread(target=_member, args=(client, n, deadline, outcome, cast, new_questions))
        for n, client in enumerate(clients[:MEMBERS])
    ]
    threads += [
        threading.Thread(target=_expert, args=(client, n, deadline, outcome, cast, new_questions))
        for n, client in enumerate(clients[MEMBERS:])
    ]
    for thread in threads:
        thread.start()
    blip_at = None
    if blip is not None:
        time.sleep(SECONDS / 2)
        blip_at = time.monotonic() - started
        blip()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    return outcome, blip_at


# --- the checks ---------------------------------------------------------------------------


def _check_everything_is_stored_once(outcome: Outcome) -> None:
    assert outcome.questions and outcome.answers and outcome.comments and outcome.stances, (
        "the clients wrote nothing: nothing was tested"
    )
    db.session.rollback()
    stored_titles = dict(
        db.session.execute(
            select(Question.id, Question.title).where(Question.title.like("Load %"))
        ).all()
    )
    for question_id, title in outcome.questions.items():
        assert stored_titles.get(question_id) == title, f"question {question_id} lost"
    titles = list(stored_titles.values())
    assert len(titles) == len(set(titles)), "a question is stored twice"
    # A row with no success answer may exist only for a request that got no answer at all
    # or was cut in its COMMIT (a 5xx while the connections were killed).
    unknown = len(outcome.no_answer) + len(outcome.server_errors)
    assert len(titles) - len(outcome.questions) <= unknown

    for model, recorded in ((Answer, outcome.answers), (Comment, outcome.comments)):
        rows = db.session.execute(
            select(model.id, model.body).where(model.body.like("Load %"))
        ).all()
        markers = [body.split(":")[0] for _id, body in rows]
        assert len(markers) == len(set(markers)), f"a {model.__name__} is stored twice"
        by_id = {row_id: body.split(":")[0] for row_id, body in rows}
        for row_id, marker in recorded.items():
            assert by_id.get(row_id) == marker, f"{model.__name__} {row_id} ({marker}) lost"
        assert len(rows) - len(recorded) <= unknown

    endorsements = db.session.execute(
        select(Stance.board_answer_id, Stance.expert_id, func.count())
        .where(Stance.kind == StanceKind.ENDORSE)
        .group_by(Stance.board_answer_id, Stance.expert_id)
    ).all()
    assert all(count == 1 for _answer, _expert, count in endorsements), "an endorsement is doubled"
    stored = {(answer_id, expert_id) for answer_id, expert_id, _count in endorsements}
    for board_answer_id, email in outcome.stances:
        expert_id = credentials.find_user_by_email(email).id
        assert (board_answer_id, expert_id) in stored, f"{email}'s endorsement lost"


def _report(outcome: Outcome) -> str:
    return (
        f"{outcome.requests} requests: {len(outcome.questions)} questions, "
        f"{len(outcome.answers)} answers, {len(outcome.comments)} comments, "
        f"{len(outcome.stances)} endorsements; {outcome.refused} refused by a rule, "
        f"{len(outcome.server_errors)} server errors, {len(outcome.no_answer)} without answer"
    )


def _split_at_blip(errors: list[tuple[float, str]], blip_at: float | None):
    """The 5xx answered within BLIP_WINDOW seconds of the kill, and all the others."""
    during = [
        text
        for answered, text in errors
        if blip_at is not None and blip_at <= answered <= blip_at + BLIP_WINDOW
    ]
    outside = [
        text
        for answered, text in errors
        if blip_at is None or not blip_at <= answered <= blip_at + BLIP_WINDOW
    ]
    return during, outside


def _workers_booted(log: str) -> int:
    return log.count("Booting worker")


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture
def load_database(request, tmp_path):
    """(database URL for the server, an app context on the same database) per backend."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path / "load.sqlite3")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test-secret"})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            yield request.param, url
            db.session.remove()
            db.engine.dispose()
    else:
        # The suite's database (this worker's, under xdist), emptied, in an app context.
        request.getfixturevalue("app")
        yield request.param, request.getfixturevalue("database_url")


@pytest.mark.parametrize("load_database", BACKENDS, indirect=True)
def test_concurrent_writers_lose_nothing_and_see_no_server_error(load_database, tmp_path):
    backend, url = load_database
    if backend == "sqlite":
        journal = db.session.execute(text("PRAGMA journal_mode")).scalar()
        assert journal == "wal"
    cast = _build_cast()
    db.session.remove()
    server = Gunicorn(url, tmp_path)
    try:
        server.wait_until_serving()
        blip = _terminate_app_connections if backend == "postgresql" else None
        outcome, blip_at = _run_clients(server.base_url, cast, blip=blip)
        report = _report(outcome)
        log = server.log()
        during, outside = _split_at_blip(outcome.server_errors, blip_at)
        assert not outside, f"{report}\n" + "\n".join(outside) + log
        # Killed mid-COMMIT, a request cannot know whether it was stored, so it is not
        # run again (it could write twice): at most the requests in flight then fail.
        assert len(during) <= MEMBERS + len(EXPERT_AREAS), f"{report}\n" + "\n".join(during)
        assert not outcome.no_answer, f"{report}\n" + "\n".join(outcome.no_answer) + log
        assert server.process.poll() is None, f"gunicorn stopped\n{log}"
        assert _workers_booted(server.log(whole=True)) == WORKERS, f"a worker was restarted\n{log}"
        if blip_at is not None:
            # Still serving after the connections were killed, in the same workers.
            response = httpx.get(server.base_url + "/questions", timeout=30)
            assert response.status_code == 200
        _check_everything_is_stored_once(outcome)
        print(
            f"\n[{backend}] {report}"
            + (
                f"; connections killed at {blip_at:.1f}s, {len(during)} server errors in the "
                f"{BLIP_WINDOW:.0f} s after"
                if blip_at is not None
                else ""
            )
        )
    finally:
        server.stop()


def _terminate_app_connections() -> None:
    """Kill every other connection to the database, as a failover or a restart would."""
    killed = db.session.execute(
        text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    ).scalar()
    db.session.commit()
    assert killed > 0, "no connection of the app was there to kill"
