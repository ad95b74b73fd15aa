"""What changes between two versions of a kaart, over every case both can decide.

Both kaarten become functions over one fact space (``symbolic``); the cases that move from level
a to level b are ``old.level[a] & new.level[b]``, and likewise for roles and actions. Each such
set is summarised as a few readable patterns (``patterns``) with its share of the fact space.

A fact both kaarten know must mean the same in both (kind, values, order); a fact only one of
them knows is part of the space, and the other kaart does not look at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import ActionKey
from ..errors import DiffError
from ..kaart import AnyFact, Regiekaart, fact_values
from ._deciding import BDD, SAMPLE, DeciderFactory, Progress, choose, decide
from ._patterns import Summary, summarise
from ._simulation import Cases, Load, counted, load_of
from ._symbolic import FactSpace, SymbolicKaart


@dataclass(frozen=True)
class LevelChange:
    old: str
    new: str
    summary: Summary

    def as_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, **self.summary.as_dict()}


@dataclass(frozen=True)
class RoleChange:
    """On the cases that old decides on ``old_level`` and new on ``new_level``, ``role`` changes hands."""

    old_level: str
    new_level: str
    role: str
    old_holders: tuple[str, ...]
    new_holders: tuple[str, ...]
    summary: Summary

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_level": self.old_level,
            "new_level": self.new_level,
            "role": self.role,
            "old_holders": list(self.old_holders),
            "new_holders": list(self.new_holders),
            **self.summary.as_dict(),
        }


@dataclass(frozen=True)
class ActionChange:
    """An action that new adds (``added``) to, or drops from, the decision on ``summary``'s cases."""

    action: ActionKey
    added: bool
    summary: Summary

    def as_dict(self) -> dict[str, Any]:
        kind, target, source = self.action
        return {"action": kind, "target": target, "source": source, "added": self.added, **self.summary.as_dict()}


@dataclass(frozen=True)
class CasesMoved:
    """What a file of real cases says: how many move, and the load on either kaart."""

    moves: Mapping[tuple[str, str], int]  # (old level, new level) -> cases, for moved cases only
    old: Load
    new: Load

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.old.cases,
            "moved": sum(self.moves.values()),
            "moves": [{"old": a, "new": b, "cases": n} for (a, b), n in self.moves.items()],
            "old_load": self.old.as_dict(),
            "new_load": self.new.as_dict(),
        }


@dataclass(frozen=True)
class KaartDiff:
    old: Regiekaart
    new: Regiekaart
    space_size: int  # cases both kaarten decide
    levels: tuple[LevelChange, ...]
    roles: tuple[RoleChange, ...]
    actions: tuple[ActionChange, ...]
    real_cases: CasesMoved | None = None

    @property
    def unchanged(self) -> bool:
        return not (self.levels or self.roles or self.actions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": {"id": self.old.id, "version": self.old.version},
            "new": {"id": self.new.id, "version": self.new.version},
            "space_size": self.space_size,
            "levels": [change.as_dict() for change in self.levels],
            "roles": [change.as_dict() for change in self.roles],
            "actions": [change.as_dict() for change in self.actions],
            "real_cases": None if self.real_cases is None else self.real_cases.as_dict(),
        }


def diff(
    old: Regiekaart,
    new: Regiekaart,
    cases: Cases | None = None,
    *,
    decider: str | DeciderFactory = BDD,
    sample: int = SAMPLE,
    progress: Progress | None = None,
) -> KaartDiff:
    """Which cases change level, roles or actions from ``old`` to ``new``; with ``cases`` (valid
    for both kaarten: in memory, a :class:`CaseCounts` or a case file, as for ``simulate``), also
    how many of those real cases move and the load on each kaart, each distinct case decided
    once by ``decider`` as in ``simulate``."""
    space = FactSpace(SharedVocabulary(old, new))
    before, after = SymbolicKaart(old, space), SymbolicKaart(new, space)
    regions = dict(_level_pairs(space, before, after))
    roles = {pair: list(_changed_roles(old, new, *pair)) for pair in regions}
    summaries = {
        pair: summarise(space, region) for pair, region in regions.items() if pair[0] != pair[1] or roles[pair]
    }
    return KaartDiff(
        old,
        new,
        space.size,
        tuple(LevelChange(a, b, summaries[(a, b)]) for a, b in regions if a != b),
        tuple(
            RoleChange(a, b, role, old_holders, new_holders, summaries[(a, b)])
            for (a, b), changes in roles.items()
            for role, old_holders, new_holders in changes
        ),
        tuple(_action_changes(space, before, after)),
        None if cases is None else _real_cases(old, new, cases, decider, sample, progress),
    )


class SharedVocabulary:
    """The facts of two kaarten, for one fact space: old's facts, then those only new has."""

    def __init__(self, old: Regiekaart, new: Regiekaart) -> None:
        differing = [
            fact.id
            for fact in old.facts
            if fact.id in new.fact_by_id and not _same_meaning(fact, old, new.fact_by_id[fact.id], new)
        ]
        if differing:
            raise DiffError(differing)
        self.facts: tuple[AnyFact, ...] = (*old.facts, *(f for f in new.facts if f.id not in old.fact_by_id))
        self.fact_by_id: dict[str, AnyFact] = {fact.id: fact for fact in self.facts}
        self.defaults: dict[str, Any] = {**new.defaults, **old.defaults}
        self.level_ids = old.level_ids  # equal to new's wherever a phase fact makes them matter


def _same_meaning(fact: AnyFact, old: Regiekaart, other: AnyFact, new: Regiekaart) -> bool:
    return type(fact) is type(other) and fact_values(fact, old.level_ids) == fact_values(other, new.level_ids)


def _level_pairs(
    space: FactSpace, before: SymbolicKaart, after: SymbolicKaart
) -> Iterable[tuple[tuple[str, str], Any]]:
    """Each (old level, new level) that some case gets, with those cases."""
    for a, old_cases in before.level.items():
        for b, new_cases in after.level.items():
            both = old_cases & new_cases & space.domain
            if both != space.bdd.false:
                yield (a, b), both


def _changed_roles(
    old: Regiekaart, new: Regiekaart, a: str, b: str
) -> Iterable[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(role, old holders, new holders) for each role whose holders differ between old's a and new's b."""
    old_roles, new_roles = old.level_by_id[a].roles, new.level_by_id[b].roles
    for role in dict.fromkeys([*old.role_ids, *new.role_ids]):  # an extra role one of them lacks: no holders
        if old_roles.holders(role) != new_roles.holders(role):
            yield role, old_roles.holders(role), new_roles.holders(role)


def _action_changes(space: FactSpace, before: SymbolicKaart, after: SymbolicKaart) -> Iterable[ActionChange]:
    keys = list(dict.fromkeys([*before.actions, *after.actions]))
    for key in keys:
        old_cases = before.actions.get(key, space.bdd.false)
        new_cases = after.actions.get(key, space.bdd.false)
        for added, cases in ((True, new_cases & ~old_cases), (False, old_cases & ~new_cases)):
            if (cases & space.domain) != space.bdd.false:
                yield ActionChange(key, added, summarise(space, cases))


def _real_cases(
    old: Regiekaart,
    new: Regiekaart,
    cases: Cases,
    decider: str | DeciderFactory,
    sample: int,
    progress: Progress | None,
) -> CasesMoved:
    counts, _ = counted(cases, [old, new], progress)
    choices = [choose(old, decider), choose(new, decider)]
    decided = decide([old, new], choices, counts, sample=sample, progress=progress)
    moves: dict[tuple[str, str], int] = {}
    for (a, b), count in decided.joint.items():
        if a != b:
            moves[(a, b)] = moves.get((a, b), 0) + count
    old_load, new_load = load_of(old, counts, decided, choices[0], 0), load_of(new, counts, decided, choices[1], 1)
    return CasesMoved(dict(sorted(moves.items(), key=lambda item: -item[1])), old_load, new_load)


__all__ = ["ActionChange", "CasesMoved", "DiffError", "KaartDiff", "LevelChange", "RoleChange", "diff"]
