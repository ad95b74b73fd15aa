"""What every evaluator produces, and the steps that do not depend on how rules are matched.

An evaluator decides which rules fire and which derived facts hold; from that, the level and the
actions follow the same way for every evaluator (``docs/semantics.md``, strata 2 and 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import _terms as t
from ..kaart import ActionSpec, Reference, Regiekaart

#: A case with every fact present; a set fact's value is a frozenset.
CaseFacts = Mapping[str, Any]
#: (action type, target or None, source or None)
ActionKey = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Outcome:
    level: str
    derived: frozenset[str]
    fired: tuple[int, ...]  # indices of the rules whose condition holds, in kaart order
    actions: tuple[ActionKey, ...]
    current: str | None = None  # the level the case was at (gegevensdeling on afschalen depends on it)


def complete(kaart: Regiekaart, given: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The case with defaults filled in, and the names of the facts that were defaulted.

    ``given`` must already be valid for the kaart (see the facts checks)."""
    facts: dict[str, Any] = {}
    defaulted: list[str] = []
    for name, default in kaart.defaults.items():
        value = given.get(name, _MISSING)
        if value is _MISSING:
            facts[name] = default
            defaulted.append(name)
        else:
            facts[name] = frozenset(value) if isinstance(value, _COLLECTIONS) else value
    return facts, tuple(defaulted)


_MISSING = object()
_COLLECTIONS = (list, tuple, set, frozenset)


def current_level(kaart: Regiekaart, facts: CaseFacts) -> str | None:
    """The level in the case's phase fact, or None for a new case (or a kaart without one)."""
    current = facts.get(kaart.phase_fact.id) if kaart.phase_fact else None
    return None if current in (None, t.NO_PHASE) else current


def highest(kaart: Regiekaart, proposals: Iterable[str]) -> str:
    """The highest proposed level on the ladder; the lowest level when nothing is proposed."""
    ladder = kaart.level_ids
    return max(proposals, key=ladder.index, default=ladder[0])


def transition(kaart: Regiekaart, decided: str, current: str | None) -> str:
    if current is None:
        return "nieuw"
    new, old = kaart.level_ids.index(decided), kaart.level_ids.index(current)
    return "opschalen" if new > old else "afschalen" if new < old else "blijft"


def proposal_ranks(kaart: Regiekaart) -> tuple[int, ...]:
    """Per rule, the position on the ladder of the level it proposes; 0 (the lowest level, decided
    when nothing is proposed) for a rule that proposes none."""
    ladder = kaart.level_ids
    return tuple(0 if rule.conclusion.level is None else ladder.index(rule.conclusion.level) for rule in kaart.rules)


def decided_level(kaart: Regiekaart, ranks: tuple[int, ...], fired: Iterable[int]) -> str:
    """The highest level proposed by the rules that ``fired`` (stratum 2); ``ranks`` are the
    kaart's :func:`proposal_ranks`."""
    return kaart.level_ids[max([ranks[index] for index in fired], default=0)]


def conclude(kaart: Regiekaart, facts: CaseFacts, fired: Iterable[int], derived: Iterable[str], level: str) -> Outcome:
    """The outcome on the decided ``level``: ``fired`` must include the rules that test it."""
    fired = tuple(sorted(set(fired)))
    current = current_level(kaart, facts)
    actions: list[ActionKey] = []
    for index in fired:
        for spec in kaart.rules[index].conclusion.actions:
            for action in expand(kaart, spec, level, current):
                if action not in actions:
                    actions.append(action)
    return Outcome(level, frozenset(derived), fired, tuple(actions), current if kaart.shares_information else None)


def expand(kaart: Regiekaart, spec: ActionSpec, level: str, current: str | None) -> list[ActionKey]:
    """The actions ``spec`` stands for, on decided ``level`` with ``current`` as the phase."""
    targets = _resolve(kaart, spec.target, level, current)
    sources = _resolve(kaart, spec.source, level, current)
    return [(spec.type, target, source) for source in sources for target in targets]


def _resolve(kaart: Regiekaart, reference: str | Reference | None, level: str, current: str | None) -> list[str | None]:
    if reference is None or isinstance(reference, str):
        return [reference]
    meant = level if reference.level == "nieuw" else current
    if meant is None:
        return []
    if reference.role is None:
        return [meant]
    roles = kaart.level_by_id[meant].roles
    holders = roles.holders(reference.role)
    if not holders and reference.fallback:
        holders = roles.holders(reference.fallback)
    return list(holders)
