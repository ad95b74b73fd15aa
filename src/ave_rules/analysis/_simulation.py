"""The load a set of real cases puts on each level and organisation under one kaart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import _terms as t
from ..kaart import Regiekaart


@dataclass(frozen=True)
class Load:
    """How many of the cases land on each level, and how many each organisation holds a role in."""

    cases: int
    levels: Mapping[str, int]  # every level of the kaart, in ladder order
    organisations: Mapping[str, Mapping[str, int]]  # organisation -> role -> cases, kaart order
    levels_of_cases: tuple[str, ...]  # the decided level of each case, in the order given

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "levels": dict(self.levels),
            "organisations": {name: dict(roles) for name, roles in self.organisations.items()},
        }


def simulate(kaart: Regiekaart, cases: Iterable[Mapping[str, Any]]) -> Load:
    """Decide every case; raises FactsError (naming the case by its index) for one that does not fit."""
    decisions = kaart.evaluate_many(cases)
    levels = dict.fromkeys(kaart.level_ids, 0)
    organisations: dict[str, dict[str, int]] = {o.id: dict.fromkeys(t.ROLES, 0) for o in kaart.organisations}
    for decision in decisions:
        levels[decision.level] += 1
        for role in t.ROLES:
            for holder in decision.roles[role]:
                organisations[holder][role] += 1
    return Load(len(decisions), levels, organisations, tuple(decision.level for decision in decisions))
