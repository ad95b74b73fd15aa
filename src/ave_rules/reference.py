"""The reference evaluator: a small, obviously-correct reading of ``docs/semantics.md``.

It exists to cross-check the durable-rules engine and to run a kaart's scenarios. It favours
clarity over speed: every derived fact is computed on demand from the rules that derive it
(memoised), which terminates because the loader rejects cyclic derivations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import terms as t
from .model import (
    ActionSpec,
    AllOf,
    AnyOf,
    Condition,
    DerivedTest,
    FactTest,
    LevelTest,
    Not,
    OrdinalFact,
    PhaseFact,
    Reference,
    Regiekaart,
    TransitionTest,
)

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


def complete(kaart: Regiekaart, given: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The case with defaults filled in, and the names of the facts that were defaulted.

    ``given`` must already be valid for the kaart (see the facts checks)."""
    facts: dict[str, Any] = {}
    defaulted: list[str] = []
    for fact in kaart.facts:
        if fact.id in given:
            value = given[fact.id]
        else:
            value = fact.default
            defaulted.append(fact.id)
        facts[fact.id] = frozenset(value) if isinstance(value, list | tuple | set | frozenset) else value
    return facts, tuple(defaulted)


def evaluate(kaart: Regiekaart, facts: CaseFacts) -> Outcome:
    return _Evaluation(kaart, facts).outcome()


class _Evaluation:
    def __init__(self, kaart: Regiekaart, facts: CaseFacts) -> None:
        self.kaart = kaart
        self.facts = facts
        self._derived: dict[str, bool] = {}
        self.level: str | None = None  # known after stratum 2
        current = facts.get(kaart.phase_fact.id) if kaart.phase_fact else None
        self.current: str | None = None if current in (None, t.NO_PHASE) else current

    def outcome(self) -> Outcome:
        kaart = self.kaart
        derived = frozenset(d.id for d in kaart.derived_facts if self.derived(d.id))
        proposals = [
            rule.conclusion.level
            for rule in kaart.rules
            if rule.conclusion.level is not None and self.holds(rule.condition)
        ]
        ladder = kaart.level_ids
        self.level = max(proposals, key=ladder.index) if proposals else ladder[0]
        fired = tuple(index for index, rule in enumerate(kaart.rules) if self.holds(rule.condition))
        actions: list[ActionKey] = []
        for index in fired:
            for spec in kaart.rules[index].conclusion.actions:
                for action in self.expand(spec):
                    if action not in actions:
                        actions.append(action)
        return Outcome(self.level, derived, fired, tuple(actions))

    # --- stratum 1: derived facts -------------------------------------------------------
    def derived(self, name: str) -> bool:
        if name not in self._derived:
            self._derived[name] = any(
                self.holds(rule.condition) for rule in self.kaart.rules if name in rule.conclusion.derive
            )
        return self._derived[name]

    # --- conditions ----------------------------------------------------------------------
    def holds(self, condition: Condition) -> bool:
        if isinstance(condition, AllOf):
            return all(self.holds(part) for part in condition.all)
        if isinstance(condition, AnyOf):
            return any(self.holds(part) for part in condition.any)
        if isinstance(condition, Not):
            return not self.holds(condition.negated)
        if isinstance(condition, FactTest):
            return self.fact_test(condition)
        if isinstance(condition, DerivedTest):
            return self.derived(condition.derived)
        if isinstance(condition, LevelTest):
            return _compare(condition.level.comparison, self.decided(), condition.level.operand, self.kaart.level_ids)
        if isinstance(condition, TransitionTest):
            return bool(self.transition() == condition.transition)
        raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - the model allows no other

    def decided(self) -> str:
        if self.level is None:
            raise AssertionError("a rule that proposes a level or derives a fact looked at the decided level")
        return self.level

    def transition(self) -> str:
        if self.current is None:
            return "nieuw"
        ladder = self.kaart.level_ids
        new, old = ladder.index(self.decided()), ladder.index(self.current)
        return "opschalen" if new > old else "afschalen" if new < old else "blijft"

    def fact_test(self, test: FactTest) -> bool:
        fact = self.kaart.fact_by_id[test.fact]
        value = self.facts[test.fact]
        comparison, operand = test.comparison, test.operand
        if comparison == "bevat":
            return bool(operand in value)
        if comparison == "bevat_een_van":
            return bool(value & set(operand))
        if comparison == "bevat_alle":
            return bool(set(operand) <= value)
        if comparison == "aantal_minstens":
            return bool(len(value) >= operand)
        if comparison == "aantal_hoogstens":
            return bool(len(value) <= operand)
        if comparison == "aantal_is":
            return bool(len(value) == operand)
        order: tuple[Any, ...] = ()
        if isinstance(fact, OrdinalFact):
            order = fact.values
        elif isinstance(fact, PhaseFact):
            order = (t.NO_PHASE, *self.kaart.level_ids)
        return _compare(comparison, value, operand, order)

    # --- stratum 3: actions -----------------------------------------------------------------
    def expand(self, spec: ActionSpec) -> list[ActionKey]:
        targets = self.resolve(spec.target)
        sources = self.resolve(spec.source)
        return [(spec.type, target, source) for source in sources for target in targets]

    def resolve(self, reference: str | Reference | None) -> list[str | None]:
        if reference is None or isinstance(reference, str):
            return [reference]
        level = self.decided() if reference.level == "nieuw" else self.current
        if level is None:
            return []
        if reference.role is None:
            return [level]
        roles = self.kaart.level_by_id[level].roles
        holders = roles.holders(reference.role)
        if not holders and reference.fallback:
            holders = roles.holders(reference.fallback)
        return list(holders)


def _compare(comparison: str, value: Any, operand: Any, order: tuple[Any, ...]) -> bool:
    if comparison == "is":
        return bool(value == operand and type(value) is type(operand))
    if comparison == "is_een_van":
        return value in operand
    position, bound = order.index(value), order.index(operand)
    return {
        "minstens": position >= bound,
        "hoogstens": position <= bound,
        "boven": position > bound,
        "onder": position < bound,
    }[comparison]
