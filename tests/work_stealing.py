"""pytest-xdist's work stealing (``--dist worksteal``), except that a few files are never
split between workers.

Each of WHOLE_FILES builds something costly once for the module: the cluster's eight
servers (some 28 s), a wheel and a virtualenv (a minute), the demo centre seeded behind a
live server. Work stealing hands an idle worker the second half of another's queue, and a
cut inside one of these files had both workers build it. pytest-xdist's ``loadgroup`` keeps
a group on one worker, but gives every other test ``load``'s distribution instead of
stealing (pytest-xdist issue #890). So this is ``worksteal`` with one rule more: a cut, the
share of the collection a worker is first sent or the tail it gives up to an idle one, is
moved to the nearest edge of a whole file it would fall inside. Every other file is still
cut anywhere. tests/conftest.py installs it in place of ``worksteal``.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdist.scheduler.worksteal import MIN_PENDING, NodePending, WorkStealingScheduling

WHOLE_FILES = frozenset(
    {
        "tests/cluster/test_cluster.py",
        "tests/packaging/test_wheel.py",
        "tests/browser/test_accessibility.py",
        "tests/web/test_api_schemathesis.py",
        "tests/web/test_italian_pages.py",
    }
)


def whole_file_of(nodeid: str) -> str | None:
    """The file a test belongs to when that file is kept on one worker, else None."""
    path = nodeid.split("::", 1)[0]
    return path if path in WHOLE_FILES else None


def cut_between_whole_files(files: Sequence[str | None], cut: int, lowest: int) -> int:
    """``cut`` (a position between items, whose whole files are ``files``), moved to the
    nearer edge of the whole file it falls inside, but not below ``lowest``."""
    if not 0 < cut < len(files) or files[cut] is None or files[cut - 1] != files[cut]:
        return cut
    start = end = cut
    while start > 0 and files[start - 1] == files[cut]:
        start -= 1
    while end < len(files) and files[end] == files[cut]:
        end += 1
    # ``end`` is never below ``lowest``: the cut was not.
    return min((edge for edge in (start, end) if edge >= lowest), key=lambda edge: abs(edge - cut))


class WholeFileWorkStealing(WorkStealingScheduling):
    """``WorkStealingScheduling`` with its two cuts moved off the whole files."""

    def _files(self, indices: Sequence[int]) -> list[str | None]:
        assert self.collection is not None
        return [whole_file_of(self.collection[index]) for index in indices]

    def _send_tests(self, node, num: int) -> None:
        if 0 < num < len(self.pending):
            num = cut_between_whole_files(self._files(self.pending), num, lowest=1)
        super()._send_tests(node, num)

    def check_schedule(self) -> None:
        """Upstream's (pytest-xdist 3.8) but for the tail to steal, which ends at a file's
        edge; when that leaves nothing to steal, the idle workers stop, as upstream's do
        when no queue is long enough."""
        nodes_up = [
            NodePending(node, pending)
            for node, pending in self.node2pending.items()
            if not node.shutting_down
        ]

        def idle_nodes() -> list:
            return [node for node, pending in nodes_up if len(pending) < MIN_PENDING]

        if not idle_nodes():
            return
        if self.pending:
            idle = idle_nodes()
            for position, node in enumerate(idle):
                self._send_tests(node, len(self.pending) // (len(idle) - position))
            if not idle_nodes():
                return
        if self.steal_requested_from_node is not None:
            return

        victim = max(nodes_up, key=lambda node_pending: len(node_pending.pending), default=None)
        num_steal = 0
        if victim is not None:
            queue = victim.pending
            wanted = min(len(queue) // 2, max(0, len(queue) - MIN_PENDING))
            if wanted:
                cut = cut_between_whole_files(
                    self._files(queue), len(queue) - wanted, lowest=MIN_PENDING
                )
                num_steal = len(queue) - cut
        if num_steal == 0:
            for node in idle_nodes():
                node.shutdown()
            return
        victim.node.send_steal(victim.pending[-num_steal:])
        self.steal_requested_from_node = victim.node
