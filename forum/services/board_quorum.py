"""The board's quorum rule: how many endorsements, from how many expert areas, no open dissent.

``tally`` counts any stances against the configured rule (BOARD_QUORUM_ENDORSEMENTS,
BOARD_QUORUM_AREAS): a board answer's on one revision (services/board_stances.py) and
the board's on a guide release (services/guide/publishing.py), so both follow one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext, ngettext

from forum.models import ExpertArea, Stance, StanceKind


@dataclass(frozen=True)
class QuorumRule:
    endorsements: int
    areas: int


def quorum_rule() -> QuorumRule:
    """The quorum as configured (BOARD_QUORUM_ENDORSEMENTS, BOARD_QUORUM_AREAS)."""
    config = current_app.config
    return QuorumRule(config["BOARD_QUORUM_ENDORSEMENTS"], config["BOARD_QUORUM_AREAS"])


@dataclass(frozen=True)
class QuorumState:
    """Where a revision stands against the quorum."""

    rule: QuorumRule
    endorsements: list[Stance] = field(default_factory=list)
    dissents: list[Stance] = field(default_factory=list)
    abstentions: list[Stance] = field(default_factory=list)
    # Stances of experts deactivated since they gave them: kept on record, not counted.
    not_counting: list[Stance] = field(default_factory=list)

    @property
    def areas(self) -> set[ExpertArea]:
        return {stance.area for stance in self.endorsements}

    @property
    def open_dissents(self) -> list[Stance]:
        return [stance for stance in self.dissents if stance.is_open_dissent]

    @property
    def is_met(self) -> bool:
        return not self.shortfalls()

    def in_words(self) -> str:
        """The rule and where the revision stands, in one sentence of the reader's language:
        "3 endorsements from 2 areas needed: 2 from 2 areas so far." (areas counted among
        the endorsements, so never "3 of 2")."""
        return gettext(
            "%(needed)s: %(so_far)s.",
            needed=ngettext(
                "%(num)d endorsement from %(areas)s needed",
                "%(num)d endorsements from %(areas)s needed",
                self.rule.endorsements,
                areas=_areas(self.rule.areas),
            ),
            so_far=ngettext(
                "%(num)d from %(areas)s so far",
                "%(num)d from %(areas)s so far",
                len(self.endorsements),
                areas=_areas(len(self.areas)),
            ),
        )

    def shortfalls(self) -> list[str]:
        """What is still missing, in words a chair can act on; empty when quorum is met."""
        missing = []
        endorsements_needed = self.rule.endorsements - len(self.endorsements)
        if endorsements_needed > 0:
            missing.append(
                ngettext(
                    "%(num)d more endorsement is needed.",
                    "%(num)d more endorsements are needed.",
                    endorsements_needed,
                )
            )
        areas_needed = self.rule.areas - len(self.areas)
        if areas_needed > 0:
            missing.append(
                ngettext(
                    "Endorsements must come from %(num)d more expert area.",
                    "Endorsements must come from %(num)d more expert areas.",
                    areas_needed,
                )
            )
        if self.open_dissents:
            missing.append(
                ngettext(
                    "%(num)d dissent is open: it must be withdrawn or overridden by a chair.",
                    "%(num)d dissents are open: they must be withdrawn or overridden by a chair.",
                    len(self.open_dissents),
                )
            )
        return missing


def _areas(count: int) -> str:
    return ngettext("%(num)d area", "%(num)d areas", count)


def tally(stances) -> QuorumState:
    """The quorum reached by some stances: anything with ``kind``, ``area``,
    ``is_open_dissent`` and ``counts_toward_quorum`` (a board answer's, or the board's on
    a guide release)."""
    by_kind: dict[StanceKind, list] = {kind: [] for kind in StanceKind}
    not_counting = []
    for stance in stances:
        if stance.counts_toward_quorum:
            by_kind[stance.kind].append(stance)
        else:
            not_counting.append(stance)
    return QuorumState(
        rule=quorum_rule(),
        endorsements=by_kind[StanceKind.ENDORSE],
        dissents=by_kind[StanceKind.DISSENT],
        abstentions=by_kind[StanceKind.ABSTAIN],
        not_counting=not_counting,
    )
