"""The load a set of real cases puts on each level and organisation under one kaart."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..kaart import Regiekaart
from ._case_files import CaseCounts, count_cases, count_given
from ._deciding import BDD, SAMPLE, Choice, Decided, DeciderFactory, Progress, choose, decide


@dataclass(frozen=True)
class Load:
    """How many of the cases land on each level, how many each organisation holds a role in, and
    what decided them: ``decided_by`` is ``"bdd"`` (the kaart's decision diagrams, with
    ``cross_checked`` of the distinct cases decided by the engine ``checked_against`` too) or the
    engine (``"durable-rules"``, ``"reference"``); ``fallback`` says why not the diagrams, when
    they were asked for and could not be used."""

    cases: int
    levels: Mapping[str, int]  # every level of the kaart, in ladder order
    organisations: Mapping[str, Mapping[str, int]]  # organisation -> role -> cases, kaart order
    distinct: int = 0  # distinct cases, each decided once
    decided_by: str = ""
    cross_checked: int = 0
    checked_against: str | None = None
    fallback: str | None = None
    _in_order: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def levels_of_cases(self) -> tuple[str, ...]:
        """Deprecated (goes in ave_rules 0.3): the level of each case in the order given; only for
        cases given in memory. Use ``levels``, or ``diff``'s ``real_cases.moves``."""
        warnings.warn(
            "Load.levels_of_cases is deprecated and goes in ave_rules 0.3; use Load.levels",
            DeprecationWarning,
            stacklevel=2,
        )
        if self._in_order is None:
            raise AttributeError("levels_of_cases is not kept for a case file; use Load.levels")
        return self._in_order

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "distinct_cases": self.distinct,
            "decided_by": self.decided_by,
            "cross_checked": self.cross_checked,
            "checked_against": self.checked_against,
            "fallback": self.fallback,
            "levels": dict(self.levels),
            "organisations": {name: dict(roles) for name, roles in self.organisations.items()},
        }


Cases = Iterable[Mapping[str, Any]] | CaseCounts | str | Path


def simulate(
    kaart: Regiekaart,
    cases: Cases,
    *,
    decider: str | DeciderFactory = BDD,
    sample: int = SAMPLE,
    progress: Progress | None = None,
) -> Load:
    """The load ``cases`` put on ``kaart``: a ``.csv``/``.jsonl`` file (streamed; CaseFileError
    if it has a problem), a :class:`CaseCounts`, or cases in memory (FactsError, naming the case
    by its index, for one that does not fit).

    Each distinct case is decided once, by ``decider``: ``"bdd"`` (the kaart's decision diagrams,
    ``sample`` of the distinct cases decided by the kaart's engine too; CrossCheckError if they
    disagree) or ``"engine"``."""
    counts, order = counted(cases, [kaart], progress)
    choice = choose(kaart, decider)
    decided = decide([kaart], [choice], counts, sample=sample, progress=progress, keep=order is not None)
    in_order = None
    if order is not None and decided.levels is not None:
        in_order = tuple(decided.levels[code][0] for code in order)
    return load_of(kaart, counts, decided, choice, 0, in_order)


def counted(
    cases: Cases, kaarten: Sequence[Regiekaart], progress: Progress | None = None
) -> tuple[CaseCounts, list[int] | None]:
    """The distinct cases, and for cases given in memory the number of each in order."""
    if isinstance(cases, CaseCounts):
        return cases, None
    if isinstance(cases, str | Path):
        reading = None if progress is None else (lambda rows, distinct: progress("read", rows, distinct))
        return count_cases(cases, kaarten, reading), None
    return count_given(cases, kaarten)


def load_of(
    kaart: Regiekaart,
    cases: CaseCounts,
    decided: Decided,
    choice: Choice,
    position: int,
    in_order: tuple[str, ...] | None = None,
) -> Load:
    """The load on the ``position``-th kaart of those ``decided``."""
    levels = dict.fromkeys(kaart.level_ids, 0)
    for combination, count in decided.joint.items():
        levels[combination[position]] += count
    organisations: dict[str, dict[str, int]] = {o.id: dict.fromkeys(kaart.role_ids, 0) for o in kaart.organisations}
    for level, count in levels.items():
        for role in kaart.role_ids:
            for holder in kaart.level_by_id[level].roles.holders(role):
                organisations[holder][role] += count
    against = decided.checked_against[position]
    return Load(
        cases.rows,
        levels,
        organisations,
        cases.distinct,
        choice.decider.name,
        decided.cross_checked if against else 0,
        against,
        choice.fallback,
        in_order,
    )
