"""The reference evaluator: a small, obviously-correct reading of ``docs/semantics.md``.

It exists to cross-check the durable-rules engine and to run a kaart's scenarios. It favours
clarity over speed: every derived fact is computed on demand from the rules that derive it
(memoised), which terminates because the loader rejects cyclic derivations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import _terms as t
from ..kaart import (
    AllOf,
    AnyOf,
    Condition,
    DerivedTest,
    FactTest,
    LevelTest,
    Not,
    OrdinalFact,
    PhaseFact,
    Regiekaart,
    TransitionTest,
)
from ._outcome import CaseFacts, Outcome, conclude, current_level, highest, transition


def reference_outcome(kaart: Regiekaart, facts: CaseFacts) -> Outcome:
    return _Evaluation(kaart, facts).outcome()


def alternatives_held(
    kaart: Regiekaart, facts: CaseFacts, level: str
) -> dict[int, tuple[tuple[str, tuple[int, ...]], ...]]:
    """For each rule whose condition holds (by index): each ``een_van`` in its condition, as a path
    below the rule (``/als/alle/1/een_van``), with the positions of the alternatives that held."""
    evaluation = _Evaluation(kaart, facts)
    evaluation.level = level
    found: dict[int, tuple[tuple[str, tuple[int, ...]], ...]] = {}
    for index, rule in enumerate(kaart.rules):
        if evaluation.holds(rule.condition):
            found[index] = tuple(evaluation.any_of_held(rule.condition, "/als"))
    return found


class _Evaluation:
    def __init__(self, kaart: Regiekaart, facts: CaseFacts) -> None:
        self.kaart = kaart
        self.facts = facts
        self._derived: dict[str, bool] = {}
        self.level: str | None = None  # known after stratum 2
        self.current = current_level(kaart, facts)

    def outcome(self) -> Outcome:
        kaart = self.kaart
        derived = [d.id for d in kaart.derived_facts if self.derived(d.id)]
        self.level = highest(
            kaart,
            (rule.conclusion.level for rule in kaart.rules if rule.conclusion.level and self.holds(rule.condition)),
        )
        fired = [index for index, rule in enumerate(kaart.rules) if self.holds(rule.condition)]
        return conclude(kaart, self.facts, fired, derived, self.level)

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
            return compare(condition.level.comparison, self.decided(), condition.level.operand, self.kaart.level_ids)
        if isinstance(condition, TransitionTest):
            return bool(self.transition() == condition.transition)
        raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - the model allows no other

    def any_of_held(self, condition: Condition, path: str) -> Iterator[tuple[str, tuple[int, ...]]]:
        if isinstance(condition, AnyOf):
            here = f"{path}/een_van"
            yield here, tuple(index for index, part in enumerate(condition.any) if self.holds(part))
            for index, part in enumerate(condition.any):
                yield from self.any_of_held(part, f"{here}/{index}")
        elif isinstance(condition, AllOf):
            for index, part in enumerate(condition.all):
                yield from self.any_of_held(part, f"{path}/alle/{index}")
        elif isinstance(condition, Not):
            yield from self.any_of_held(condition.negated, f"{path}/niet")

    def decided(self) -> str:
        if self.level is None:
            raise AssertionError("a rule that proposes a level or derives a fact looked at the decided level")
        return self.level

    def transition(self) -> str:
        return transition(self.kaart, self.decided(), self.current)

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
        return compare(comparison, value, operand, order)


def compare(comparison: str, value: Any, operand: Any, order: tuple[Any, ...]) -> bool:
    """Whether ``value`` compares to ``operand`` as ``comparison`` says, in ``order``."""
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
