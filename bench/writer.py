"""The mixed load's writer: experts posting answers and comments about once a second.

It writes through the real pages, as the experts' browsers do: read the question
(its form carries the session's CSRF token, its answers the ids a comment may
reply to), send the form, follow the redirect to the question (which shows the
flash message and so takes it out of the session). Every write commits and so
moves the content generation, emptying the cached pages the readers are served.

The posting rate limit is per person (RATELIMIT_POST, 30 a minute by default), so
the writes turn over several accounts, each well inside its budget.
"""

from __future__ import annotations

import random
import re
import threading
import time
import urllib.error

from bench.browser import Browser, csrf_token
from bench.figures import Writes

# The texts' first words, which the run counts in the database afterwards.
MARKER = "Benchmark write"
_ANSWER_IDS = re.compile(r'id="answer-(\d+)"')
_ANSWERS = [
    "under MDR Art. 70 the sponsor applies to the competent authority, and the ethics "
    "committee's opinion comes first.",
    "the insurance cover must name every site; ask the broker for the certificate early.",
    "a substantial modification needs the committee's opinion before it takes effect.",
]
_COMMENTS = [
    "could you say which device class this is?",
    "which sites take part, and since when?",
    "is the protocol already with the ethics committee?",
]


class Writer:
    """Posts from ``start()`` to ``stop()``; its figures are in ``writes``.

    Each account writes in a thread of its own, on a beat of one write per account
    per ``len(accounts) * interval_seconds``, the beats staggered: together about one
    write every ``interval_seconds``, even when a write takes longer than that.
    """

    def __init__(
        self,
        base_url: str,
        accounts: list[tuple[str, str]],
        question_paths: list[str],
        *,
        interval_seconds: float = 1.0,
        seed: int = 20261207,
    ) -> None:
        if not accounts or not question_paths:
            raise ValueError("the writer needs accounts and questions to write on")
        self.writes = Writes()
        self._base_url = base_url
        self._accounts = accounts
        self._paths = question_paths
        self._interval = interval_seconds
        self._seed = seed
        self._lock = threading.Lock()  # over self.writes, shared by the threads
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._started = 0.0

    def start(self) -> None:
        """Sign every account in (before the clock starts), then write until stopped."""
        browsers = []
        for email, password in self._accounts:
            browser = Browser(self._base_url)
            browser.log_in(email, password)
            browsers.append(browser)
        self._started = time.monotonic()
        for turn, browser in enumerate(browsers):
            thread = threading.Thread(
                target=self._run, args=(browser, turn), name=f"bench-writer-{turn}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> Writes:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        self.writes.seconds = time.monotonic() - self._started
        return self.writes

    def _run(self, browser: Browser, turn: int) -> None:
        writers = len(self._accounts)
        rng = random.Random(self._seed + turn)
        rounds = 0
        # On a fixed beat, not a fixed pause: a slow write does not slow the rate down,
        # and a late one is not made up for with a burst.
        while True:
            number = rounds * writers + turn
            due = self._started + number * self._interval
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            self._write(browser, rng, number)
            rounds += 1

    def _write(self, browser: Browser, rng: random.Random, number: int) -> None:
        path = rng.choice(self._paths)
        as_answer = number % 2 == 0
        try:
            page = browser.get(path)
            if page.status != 200:
                self._failed(number, f"GET {path} answered {page.status}")
                return
            fields = {"csrf_token": csrf_token(page.body), "language": "en"}
            if as_answer:
                fields["body"] = f"{MARKER} {number}: {rng.choice(_ANSWERS)}"
                action, multipart = f"{path}/answers", True
            else:
                answer_ids = _ANSWER_IDS.findall(page.body)
                # Half the comments reply to an answer, half to the question itself.
                replied = rng.choice(answer_ids) if answer_ids and number % 4 == 1 else ""
                fields["body"] = f"{MARKER} {number}: {rng.choice(_COMMENTS)}"
                fields["answer_id"] = replied
                action, multipart = f"{path}/comments", False
            sent = time.perf_counter()
            answer = browser.post(action, fields, multipart=multipart)
            with self._lock:
                self.writes.post_ms.append((time.perf_counter() - sent) * 1000)
            if answer.status not in (302, 303):
                self._failed(number, f"POST {action} answered {answer.status}")
                return
            shown = browser.follow(answer)
            if shown.status != 200:
                self._failed(number, f"GET {answer.location} answered {shown.status}")
                return
        except (OSError, ValueError, urllib.error.URLError) as error:
            self._failed(number, f"{type(error).__name__}: {error}")
            return
        with self._lock:
            if as_answer:
                self.writes.answers += 1
            else:
                self.writes.comments += 1

    def _failed(self, number: int, reason: str) -> None:
        with self._lock:
            self.writes.failures.append(f"write {number}: {reason}")
