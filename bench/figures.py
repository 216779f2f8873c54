"""What a benchmark run measured, per database: the figures bench/report.py writes out."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.load import LoadResult


@dataclass
class PageFigures:
    name: str
    logged_out: LoadResult
    logged_in: LoadResult

    @property
    def bad_responses(self) -> int:
        return self.logged_out.bad_responses + self.logged_in.bad_responses


@dataclass(frozen=True)
class QuestionSample:
    """Public questions read in turn, so a row does not read the same few rows every time."""

    paths: list[str]
    fewest_answers: int
    most_answers: int


@dataclass
class ServerRows:
    """Pages loaded on one server, beside that server's own bare route."""

    bare: LoadResult
    pages: list[PageFigures] = field(default_factory=list)


@dataclass
class Writes:
    """What the writer of the mixed load did: each write is a page read, a form sent
    and the redirect followed, as a member's browser does it."""

    answers: int = 0
    comments: int = 0
    failures: list[str] = field(default_factory=list)  # one line per failed write
    post_ms: list[float] = field(default_factory=list)  # each sent form, until its redirect
    found_in_database: int | None = None  # the writes' texts counted afterwards
    seconds: float = 0.0

    @property
    def done(self) -> int:
        return self.answers + self.comments

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def post_percentile_ms(self, percent: float) -> float:
        if not self.post_ms:
            return 0.0
        ordered = sorted(self.post_ms)
        return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


@dataclass
class MixedFigures:
    readers: PageFigures
    writes: Writes


@dataclass
class LiveFigures:
    """The forum as readers meet it: as deployed, with the page cache off, under writes."""

    rate_limit_storage: str
    questions: QuestionSample
    uncached: ServerRows | None = None
    deployed: ServerRows | None = None
    mixed: MixedFigures | None = None
    worker_memory_mb: float = 0.0

    @property
    def bad_responses(self) -> int:
        rows = [server for server in (self.uncached, self.deployed) if server is not None]
        bad = sum(page.bad_responses for server in rows for page in server.pages)
        bad += sum(server.bare.bad_responses for server in rows)
        if self.mixed is not None:
            bad += self.mixed.readers.bad_responses
        return bad


@dataclass
class BackendFigures:
    database: str
    build_seconds: float
    bare: LoadResult  # the reference: the first server's bare route, rate limits off
    pages: list[PageFigures] = field(default_factory=list)
    search_uncached: PageFigures | None = None  # every query new: the engine's own cost
    search_sequential: LoadResult | None = None
    search_members: LoadResult | None = None  # members' own words, one at a time
    review_export_seconds: float = 0.0
    guide_release_seconds: float = 0.0
    worker_memory_mb: float = 0.0
    live: LiveFigures | None = None

    def ratio(self, result: LoadResult) -> float:
        """A row's throughput as a share of the reference bare route's."""
        return result.requests_per_second / self.bare.requests_per_second
