"""A set of cases (a BDD over a fact space) told as a few conditions a person can read.

Each pattern is a conjunction of fact conditions in the kaart's own vocabulary
(``{feit: kolommen, aantal_minstens: 2}``) that holds only for cases in the set, made as general
as it can be: grown from the simplest case not yet covered by dropping, then widening, each
fact's condition while the pattern stays inside the set. Patterns may overlap; together with
``rest`` they cover the set exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..kaart import BooleanFact, ChoiceFact, SetFact
from ._symbolic import FactSpace, Function

#: One condition of a pattern, with the cases it holds for.
Part = tuple["FactCondition", Function]
#: How many patterns a set is told in before the remaining cases are only counted.
MOST_PATTERNS = 5


@dataclass(frozen=True)
class FactCondition:
    """One fact condition, written as in a kaart: ``{feit: ..., <toets>: waarde}``, or its negation."""

    fact: str
    test: str
    operand: Any
    negated: bool = False

    def as_kaart(self) -> dict[str, Any]:
        test = {"feit": self.fact, self.test: self.operand}
        return {"niet": test} if self.negated else test

    def __str__(self) -> str:
        operand = self.operand
        if isinstance(operand, bool):
            shown = "true" if operand else "false"
        elif isinstance(operand, list):
            shown = "[" + ", ".join(str(item) for item in operand) + "]"
        else:
            shown = str(operand)
        test = f"{{feit: {self.fact}, {self.test}: {shown}}}"
        return f"{{niet: {test}}}" if self.negated else test


@dataclass(frozen=True)
class Pattern:
    conditions: tuple[FactCondition, ...]  # empty: every case
    cases: int
    share: float  # of the whole fact space

    def as_dict(self) -> dict[str, Any]:
        return {
            "alle": [condition.as_kaart() for condition in self.conditions],
            "cases": self.cases,
            "share": self.share,
        }

    def __str__(self) -> str:
        return "alle: [" + ", ".join(str(condition) for condition in self.conditions) + "]"


@dataclass(frozen=True)
class Summary:
    cases: int
    share: float
    patterns: tuple[Pattern, ...]
    rest: int  # cases of the set in none of the patterns

    @property
    def rest_share(self) -> float:
        return self.share * self.rest / self.cases if self.cases else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "share": self.share,
            "patterns": [pattern.as_dict() for pattern in self.patterns],
            "rest": self.rest,
        }


def summarise(space: FactSpace, cases: Function, most: int = MOST_PATTERNS) -> Summary:
    """``cases`` as at most ``most`` patterns, each as general as possible."""
    cases &= space.domain
    total = space.count(cases)
    patterns: list[Pattern] = []
    left = cases
    while left != space.bdd.false and len(patterns) < most:
        seed = space.example(left)
        assert seed is not None  # noqa: S101 - left is not empty
        conditions, where = _grow(space, cases, {**space.kaart.defaults, **seed})
        count = space.count(where)
        patterns.append(Pattern(conditions, count, count / space.size))
        left &= ~where
    return Summary(total, total / space.size, tuple(patterns), space.count(left))


def _grow(space: FactSpace, cases: Function, seed: dict[str, Any]) -> tuple[tuple[FactCondition, ...], Function]:
    """The most general conjunction around case ``seed`` that stays inside ``cases``."""
    outside = space.domain & ~cases
    chosen = {fact.id: _exact(space, fact.id, seed[fact.id]) for fact in space.kaart.facts}

    def fits(fact_id: str, parts: list[Part]) -> bool:
        """Whether the pattern, with ``parts`` as the conditions on ``fact_id``, stays inside ``cases``."""
        return bool((_conjunction(space, {**chosen, fact_id: parts}) & outside) == space.bdd.false)

    for fact in space.kaart.facts:  # first drop what does not matter here
        if fits(fact.id, []):
            chosen[fact.id] = []
    for fact in space.kaart.facts:  # then widen what does
        if chosen[fact.id]:
            options = _wider(space, fact.id, seed[fact.id])
            wider = next((option for option in options if fits(fact.id, [option])), None)
            chosen[fact.id] = [wider] if wider else _fewest(space, fact.id, chosen[fact.id], partial(fits, fact.id))
    conditions = tuple(condition for parts in chosen.values() for condition, _ in parts)
    return conditions, _conjunction(space, chosen) & space.domain


def _conjunction(space: FactSpace, chosen: dict[str, list[Part]]) -> Function:
    result = space.bdd.true
    for parts in chosen.values():
        for _, function in parts:
            result &= function
    return result


def _exact(space: FactSpace, fact_id: str, value: Any) -> list[Part]:
    """The conditions that pin ``fact_id`` to ``value``."""
    fact = space.kaart.fact_by_id[fact_id]
    if not isinstance(fact, SetFact):
        return [(FactCondition(fact_id, "is", value), space.is_value(fact_id, value))]
    return [
        (FactCondition(fact_id, "bevat", member, negated=member not in value), _member(space, fact_id, member, value))
        for member in fact.values
    ]


def _member(space: FactSpace, fact_id: str, member: str, value: Collection[str]) -> Function:
    present = space.has_member(fact_id, member)
    return present if member in value else ~present


def _wider(space: FactSpace, fact_id: str, value: Any) -> list[Part]:
    """Wider single conditions around ``value``, widest first."""
    fact = space.kaart.fact_by_id[fact_id]
    if isinstance(fact, BooleanFact):
        return []
    if isinstance(fact, SetFact):
        members, size = space.members(fact_id), len(value)
        at_least, more = space.at_least(members, size), space.at_least(members, size + 1)
        options = []
        if size:
            options.append((FactCondition(fact_id, "aantal_minstens", size), at_least))
        if size < len(members):
            options.append((FactCondition(fact_id, "aantal_hoogstens", size), ~more))
        if 0 < size < len(members):  # at either end, the two above say the same
            options.append((FactCondition(fact_id, "aantal_is", size), at_least & ~more))
        return options
    order = space.values(fact_id)
    position = order.index(value)
    if isinstance(fact, ChoiceFact) or not 0 < position < len(order) - 1:  # unordered, or at an end
        return []
    options = [
        (FactCondition(fact_id, "minstens", value), space.one_of(fact_id, order[position:])),
        (FactCondition(fact_id, "hoogstens", value), space.one_of(fact_id, order[: position + 1])),
    ]
    return sorted(options, key=lambda option: -space.count(option[1]))


def _fewest(space: FactSpace, fact_id: str, parts: list[Part], fits: Callable[[list[Part]], bool]) -> list[Part]:
    """A fact's exact conditions with what can go dropped (set members) or merged (choices)."""
    fact = space.kaart.fact_by_id[fact_id]
    if isinstance(fact, SetFact):
        kept = list(parts)
        for part in parts:
            fewer = [other for other in kept if other is not part]
            if fits(fewer):
                kept = fewer
        return kept
    if isinstance(fact, BooleanFact):
        return parts
    (condition, _), allowed = parts[0], [parts[0][0].operand]
    for other in space.values(fact_id):
        if other not in allowed and fits([(condition, space.one_of(fact_id, [*allowed, other]))]):
            allowed.append(other)
    if len(allowed) == 1:
        return parts
    order = space.values(fact_id)
    ordered = [value for value in order if value in allowed]
    where = space.one_of(fact_id, ordered)
    if not isinstance(fact, ChoiceFact) and ordered == list(order[order.index(ordered[0]) :]):
        return [(FactCondition(fact_id, "minstens", ordered[0]), where)]
    if not isinstance(fact, ChoiceFact) and ordered == list(order[: len(ordered)]):
        return [(FactCondition(fact_id, "hoogstens", ordered[-1]), where)]
    return [(FactCondition(fact_id, "is_een_van", ordered), where)]
