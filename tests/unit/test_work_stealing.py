"""The suite's scheduler (tests/work_stealing.py): work stealing that never splits the files
whose module fixtures start servers, run against simulated workers."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from xdist.scheduler.worksteal import WorkStealingScheduling

from tests.conftest import TESTS
from tests.work_stealing import (
    WHOLE_FILES,
    WholeFileWorkStealing,
    cut_between_whole_files,
    whole_file_of,
)

CLUSTER = "tests/cluster/test_cluster.py"


class _Config:
    def getvalue(self, name):
        return {"tx": ["2*popen"]}[name]


class _Worker:
    """A worker as the scheduler sees it: a queue it is sent, steals it answers all or none
    (as pytest-xdist's worker does), one test run at a time."""

    def __init__(self, name: str, speed: int):
        self.name = name
        self.gateway = SimpleNamespace(id=name)
        self.speed = speed  # tests a step
        self.queue: list[int] = []
        self.ran: list[int] = []
        self.steal_request: list[int] | None = None
        self.shutting_down = False

    def send_runtest_some(self, indices):
        self.queue.extend(indices)

    def send_steal(self, indices):
        self.steal_request = list(indices)

    def shutdown(self):
        self.shutting_down = True


def _run(scheduler_class, collection: list[str]) -> dict[str, list[str]]:
    """Every test run by a fast and a slow worker; which worker ran which test."""
    scheduler = scheduler_class(_Config())
    workers = [_Worker("fast", speed=3), _Worker("slow", speed=1)]
    for worker in workers:
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    for _ in range(10 * len(collection)):
        if not any(worker.queue or worker.steal_request for worker in workers):
            break
        for worker in workers:
            if worker.steal_request is not None:
                requested, worker.steal_request = worker.steal_request, None
                stolen = requested if set(requested) <= set(worker.queue) else []
                worker.queue = [index for index in worker.queue if index not in stolen]
                scheduler.remove_pending_tests_from_node(worker, stolen)
            for _ in range(worker.speed):
                if worker.queue:
                    index = worker.queue.pop(0)
                    worker.ran.append(index)
                    scheduler.mark_test_complete(worker, index)
    assert scheduler.tests_finished
    ran = {worker.name: [collection[index] for index in worker.ran] for worker in workers}
    assert sorted(ran["fast"] + ran["slow"]) == sorted(collection)  # each test once
    return ran


def _files_by_worker(ran: dict[str, list[str]]) -> dict[str, set[str]]:
    workers = defaultdict(set)
    for worker, nodeids in ran.items():
        for nodeid in nodeids:
            workers[nodeid.split("::")[0]].add(worker)
    return workers


def test_the_cluster_file_runs_on_one_worker_wherever_it_lies_while_the_others_are_stolen():
    ordinary = [f"tests/web/test_pages.py::test_{n}" for n in range(100)]
    cluster = [f"{CLUSTER}::test_{n}" for n in range(8)]
    split_upstream = []
    for cluster_at in range(len(ordinary) + 1):
        collection = ordinary[:cluster_at] + cluster + ordinary[cluster_at:]
        ours = _files_by_worker(_run(WholeFileWorkStealing, collection))
        assert ours[CLUSTER] in ({"fast"}, {"slow"}), cluster_at
        assert ours["tests/web/test_pages.py"] == {"fast", "slow"}, cluster_at  # still shared
        if _files_by_worker(_run(WorkStealingScheduling, collection))[CLUSTER] == {"fast", "slow"}:
            split_upstream.append(cluster_at)
    # The cases the scheduler exists for: upstream's first share or a steal cuts the file.
    assert split_upstream


def test_a_cut_inside_a_whole_file_moves_to_its_nearer_edge():
    files = [None, None, "w", "w", "w", "w", "w", None]
    assert cut_between_whole_files(files, 3, lowest=0) == 2
    assert cut_between_whole_files(files, 6, lowest=0) == 7
    assert cut_between_whole_files(files, 3, lowest=3) == 7  # never below lowest
    assert [cut_between_whole_files(files, cut, lowest=0) for cut in (1, 2, 7)] == [1, 2, 7]
    assert cut_between_whole_files([None, None, None], 1, lowest=0) == 1


def test_two_whole_files_side_by_side_are_cut_between_them():
    assert cut_between_whole_files(["a", "a", "b", "b", "b"], 2, lowest=0) == 2
    assert cut_between_whole_files(["a", "a", "b", "b", "b"], 3, lowest=0) == 2


def test_every_whole_file_exists_so_a_renamed_one_is_not_quietly_split_again():
    project = TESTS.parent
    assert all((project / path).is_file() for path in WHOLE_FILES), sorted(WHOLE_FILES)
    assert whole_file_of(f"{CLUSTER}::test_jit") == CLUSTER
    assert whole_file_of("tests/web/test_pages.py::test_home[en]") is None
