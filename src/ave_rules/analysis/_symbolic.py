"""A kaart as Boolean functions over its whole fact space, as binary decision diagrams (BDDs).

Every fact becomes a few Boolean variables (a ``ja_nee`` fact one, a ``verzameling`` one per
member, a ``keuze``/``ordinaal``/``fase`` fact its value's position in binary), and every
question about the kaart (does this rule ever fire? which cases get level 3b?) becomes a BDD over
those variables. A BDD answers such questions exactly for all 10^12 cases at once, counts the
cases it holds for, and yields example cases. The library ``dd`` provides the BDDs, in its
pure-Python implementation: its CUDD binding aborted the whole process ("dead count !=
deleted") on a sequence of operations the semantic diff makes, and a library must never take
its host down (see docs/library.md). Pure Python is fast enough: a full check of the generic
kaart takes about 0.3 s.

The functions follow ``docs/semantics.md`` exactly; the analysis tests hold them to the reference
evaluator by brute force on small kaarten.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any, Protocol

from dd.autoref import BDD

from .. import _terms as t
from ..engine import ActionKey, expand, transition
from ..kaart import (
    AllOf,
    AnyFact,
    AnyOf,
    BooleanFact,
    Condition,
    DerivedTest,
    FactTest,
    LevelTest,
    Not,
    Regiekaart,
    SetFact,
    TransitionTest,
    fact_values,
    holds_on_scale,
)

Function = Any  # a BDD node of ``dd``; the library has no type hints


class Vocabulary(Protocol):
    """What a fact space is built from: a kaart, or the facts two kaarten share (see ``diff``)."""

    @property
    def facts(self) -> Sequence[AnyFact]: ...
    @property
    def fact_by_id(self) -> Mapping[str, AnyFact]: ...
    @property
    def defaults(self) -> Mapping[str, Any]: ...
    @property
    def level_ids(self) -> tuple[str, ...]: ...


class FactSpace:
    """The Boolean variables of a kaart's facts, and the way back from variables to cases."""

    def __init__(self, kaart: Vocabulary) -> None:
        self.kaart = kaart
        self.bdd = BDD()
        self.bits: dict[str, list[str]] = {}
        for index, fact in enumerate(kaart.facts):
            if isinstance(fact, BooleanFact):
                names = [f"v{index}"]
            elif isinstance(fact, SetFact):
                names = [f"v{index}_{member}" for member in range(len(fact.values))]
            else:
                width = max(1, math.ceil(math.log2(len(self.values(fact.id)))))
                names = [f"v{index}_b{bit}" for bit in range(width)]
            self.bits[fact.id] = names
            self.bdd.declare(*names)
        self.variable_count = sum(len(names) for names in self.bits.values())
        self.domain = self.bdd.true
        for fact in kaart.facts:  # a binary number may also spell a position past the last value
            if not isinstance(fact, BooleanFact | SetFact):
                self.domain &= self.one_of(fact.id, self.values(fact.id))

    def point(self, case: Mapping[str, Any]) -> dict[str, bool]:
        """The variables' values for a completed case (set facts as frozensets)."""
        assignment: dict[str, bool] = {}
        for fact in self.kaart.facts:
            names, value = self.bits[fact.id], case[fact.id]
            if isinstance(fact, BooleanFact):
                assignment[names[0]] = bool(value)
            elif isinstance(fact, SetFact):
                assignment.update({name: member in value for member, name in zip(fact.values, names, strict=True)})
            else:
                position = self.values(fact.id).index(value)
                assignment.update({name: bool((position >> bit) & 1) for bit, name in enumerate(names)})
        return assignment

    def setting(self, fact_id: str, value: Any) -> dict[str, bool]:
        """The variables that fix a (non-set) fact to ``value``, for ``bdd.let``."""
        names = self.bits[fact_id]
        if isinstance(self.kaart.fact_by_id[fact_id], BooleanFact):
            return {names[0]: bool(value)}
        position = self.values(fact_id).index(value)
        return {name: bool((position >> bit) & 1) for bit, name in enumerate(names)}

    def member_setting(self, fact_id: str, member: str, present: bool) -> dict[str, bool]:
        fact = self.kaart.fact_by_id[fact_id]
        assert isinstance(fact, SetFact)  # noqa: S101 - guaranteed by the kaart checks
        return {self.bits[fact_id][fact.values.index(member)]: present}

    def holds_at(self, function: Function, case: Mapping[str, Any]) -> bool:
        return bool(self.bdd.let(self.point(case), function) == self.bdd.true)

    def values(self, fact_id: str) -> tuple[Any, ...]:
        return fact_values(self.kaart.fact_by_id[fact_id], self.kaart.level_ids)

    # --- building functions -------------------------------------------------------------
    def is_value(self, fact_id: str, value: Any) -> Function:
        """The cases where a (non-set) fact has ``value``."""
        fact = self.kaart.fact_by_id[fact_id]
        if isinstance(fact, BooleanFact):
            variable = self.bdd.var(self.bits[fact_id][0])
            return variable if value else ~variable
        position = self.values(fact_id).index(value)
        result = self.bdd.true
        for bit, name in enumerate(self.bits[fact_id]):
            variable = self.bdd.var(name)
            result &= variable if (position >> bit) & 1 else ~variable
        return result

    def one_of(self, fact_id: str, values: Any) -> Function:
        result = self.bdd.false
        for value in values:
            result |= self.is_value(fact_id, value)
        return result

    def has_member(self, fact_id: str, member: str) -> Function:
        fact = self.kaart.fact_by_id[fact_id]
        assert isinstance(fact, SetFact)  # noqa: S101 - guaranteed by the kaart checks
        return self.bdd.var(self.bits[fact_id][fact.values.index(member)])

    def at_least(self, functions: list[Function], count: int) -> Function:
        """The cases where at least ``count`` of ``functions`` hold."""
        # row[k]: at least k of the functions from here on hold (built back to front, without a
        # recursive closure: a reference cycle would leave BDD nodes to the cyclic collector).
        row = [self.bdd.true] + [self.bdd.false] * max(count, 0)
        for function in reversed(functions):
            row = [self.bdd.true] + [self.bdd.ite(function, row[k - 1], row[k]) for k in range(1, count + 1)]
        return row[max(count, 0)]

    def members(self, fact_id: str) -> list[Function]:
        return [self.bdd.var(name) for name in self.bits[fact_id]]

    # --- reading functions ----------------------------------------------------------------
    def count(self, function: Function) -> int:
        """How many cases (of the whole fact space) ``function`` holds for."""
        return int(self.bdd.count(function & self.domain, nvars=self.variable_count))

    @cached_property
    def size(self) -> int:
        return self.count(self.bdd.true)

    def changed(self, fact_id: str) -> Function:
        """The cases where a fact differs from its default."""
        default, fact = self.kaart.defaults[fact_id], self.kaart.fact_by_id[fact_id]
        if isinstance(fact, SetFact):
            same = self.bdd.true
            for member, variable in zip(fact.values, self.members(fact_id), strict=True):
                same &= variable if member in default else ~variable
            return ~same
        return ~self.is_value(fact_id, default)

    def example(self, function: Function) -> dict[str, Any] | None:
        """A case in ``function`` with as few facts as possible different from their defaults,
        as ``{fact: value}`` for the facts that differ; None if there is no such case."""
        function &= self.domain
        if function == self.bdd.false:
            return None
        changes = [self.changed(fact.id) for fact in self.kaart.facts]
        for allowed in range(len(changes) + 1):
            within = function & ~self.at_least(changes, allowed + 1)
            if within != self.bdd.false:
                return self.decode(within, only_changed=True)
        raise AssertionError("unreachable: every case differs in at most all facts")  # pragma: no cover

    def decode(self, function: Function, *, only_changed: bool = False) -> dict[str, Any]:
        """One case of ``function`` (facts left free take their default)."""
        assignment = self.bdd.pick(function & self._defaults_where_free(function), care_vars=self._all_names)
        assert assignment is not None  # noqa: S101 - the callers pass a non-empty function
        case: dict[str, Any] = {}
        for fact in self.kaart.facts:
            value = self._value(fact.id, assignment)
            if not only_changed or value != self.kaart.defaults[fact.id]:
                case[fact.id] = sorted(value, key=fact.values.index) if isinstance(fact, SetFact) else value
        return case

    @cached_property
    def _all_names(self) -> set[str]:
        return {name for names in self.bits.values() for name in names}

    def _defaults_where_free(self, function: Function) -> Function:
        """Prefer defaults: for each fact whose default is still possible, choose it."""
        chosen = self.bdd.true
        for fact in self.kaart.facts:
            keep = ~self.changed(fact.id)
            if (function & chosen & keep) != self.bdd.false:
                chosen &= keep
        return chosen

    def _value(self, fact_id: str, assignment: Mapping[str, bool]) -> Any:
        fact = self.kaart.fact_by_id[fact_id]
        names = self.bits[fact_id]
        if isinstance(fact, BooleanFact):
            return bool(assignment[names[0]])
        if isinstance(fact, SetFact):
            return frozenset(member for member, name in zip(fact.values, names, strict=True) if assignment[name])
        position = sum(1 << bit for bit, name in enumerate(names) if assignment[name])
        return self.values(fact_id)[position]


class SymbolicKaart:
    """The kaart's derived facts, levels, firing rules and actions as functions of the case."""

    def __init__(self, kaart: Regiekaart, space: FactSpace | None = None) -> None:
        self.kaart = kaart
        self.space = space or FactSpace(kaart)
        self.bdd = self.space.bdd
        self._derived: dict[str, Function] = {}

    # --- stratum 1 and 2 ------------------------------------------------------------------
    def derived(self, name: str) -> Function:
        if name not in self._derived:
            result = self.bdd.false
            for rule in self.kaart.rules:
                if name in rule.conclusion.derive:
                    result |= self.condition(rule.condition)
            self._derived[name] = result
        return self._derived[name]

    @cached_property
    def proposals(self) -> dict[str, Function]:
        """Per level: the cases where some rule proposes it."""
        proposed = dict.fromkeys(self.kaart.level_ids, self.bdd.false)
        for rule in self.kaart.rules:
            if rule.conclusion.level is not None:
                proposed[rule.conclusion.level] |= self.condition(rule.condition)
        return proposed

    @cached_property
    def level(self) -> dict[str, Function]:
        """Per level: the cases decided on it."""
        decided: dict[str, Function] = {}
        higher = self.bdd.false
        for level_id in reversed(self.kaart.level_ids):
            decided[level_id] = self.proposals[level_id] & ~higher
            higher |= self.proposals[level_id]
        decided[self.kaart.level_ids[0]] |= ~higher
        return decided

    def at_least(self, level_id: str) -> Function:
        ladder = self.kaart.level_ids
        result = self.bdd.false
        for other in ladder[ladder.index(level_id) :]:
            result |= self.level[other]
        return result

    @cached_property
    def current(self) -> dict[str | None, Function]:
        """Per current level (None: a new case, or no phase fact): the cases in it."""
        phase = self.kaart.phase_fact
        if phase is None:
            return {None: self.bdd.true}
        result: dict[str | None, Function] = {None: self.space.is_value(phase.id, t.NO_PHASE)}
        for level_id in self.kaart.level_ids:
            result[level_id] = self.space.is_value(phase.id, level_id)
        return result

    # --- conditions ---------------------------------------------------------------------------
    def condition(self, condition: Condition) -> Function:
        if isinstance(condition, AllOf):
            result = self.bdd.true
            for part in condition.all:
                result &= self.condition(part)
            return result
        if isinstance(condition, AnyOf):
            result = self.bdd.false
            for part in condition.any:
                result |= self.condition(part)
            return result
        if isinstance(condition, Not):
            return ~self.condition(condition.negated)
        if isinstance(condition, DerivedTest):
            return self.derived(condition.derived)
        if isinstance(condition, LevelTest):
            ladder = self.kaart.level_ids
            comparison, operand = condition.level.comparison, condition.level.operand
            return self._levels_where(lambda level: holds_on_scale(comparison, level, operand, ladder))
        if isinstance(condition, TransitionTest):
            result = self.bdd.false
            for level_id, decided in self.level.items():
                for current, cases in self.current.items():
                    if transition(self.kaart, level_id, current) == condition.transition:
                        result |= decided & cases
            return result
        if isinstance(condition, FactTest):
            return self._fact_test(condition)
        raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover

    def _levels_where(self, wanted: Any) -> Function:
        result = self.bdd.false
        for level_id, decided in self.level.items():
            if wanted(level_id):
                result |= decided
        return result

    def _fact_test(self, test: FactTest) -> Function:
        space, fact = self.space, self.kaart.fact_by_id[test.fact]
        comparison, operand = test.comparison, test.operand
        if isinstance(fact, SetFact):
            if comparison == "bevat":
                return space.has_member(fact.id, operand)
            if comparison in ("bevat_een_van", "bevat_alle"):
                members = [space.has_member(fact.id, member) for member in operand]
                return space.at_least(members, 1 if comparison == "bevat_een_van" else len(members))
            members = space.members(fact.id)
            at_least = space.at_least(members, operand)
            more = space.at_least(members, operand + 1)
            return {"aantal_minstens": at_least, "aantal_hoogstens": ~more, "aantal_is": at_least & ~more}[comparison]
        if comparison == "is":
            return space.is_value(fact.id, operand)
        if comparison == "is_een_van":
            return space.one_of(fact.id, operand)
        order = space.values(fact.id)
        return space.one_of(fact.id, [v for v in order if holds_on_scale(comparison, v, operand, order)])

    # --- stratum 3 ----------------------------------------------------------------------------
    @cached_property
    def fires(self) -> list[Function]:
        """Per rule (kaart order): the cases where its condition holds."""
        return [self.condition(rule.condition) for rule in self.kaart.rules]

    @cached_property
    def actions_by_rule(self) -> list[dict[ActionKey, Function]]:
        """Per rule (kaart order): the actions it emits, each with the cases where it does."""
        return [self._actions_of(index) for index in range(len(self.kaart.rules))]

    def _actions_of(self, index: int) -> dict[ActionKey, Function]:
        emitted: dict[ActionKey, Function] = {}
        fired = self.fires[index]
        for spec in self.kaart.rules[index].conclusion.actions:
            for level_id, decided in self.level.items():
                for current, cases in self.current.items():
                    where = fired & decided & cases
                    if where == self.bdd.false:
                        continue
                    for key in expand(self.kaart, spec, level_id, current):
                        emitted[key] = emitted.get(key, self.bdd.false) | where
        return emitted

    @cached_property
    def actions(self) -> dict[ActionKey, Function]:
        """Every action any rule can emit, with the cases where it is in the decision."""
        emitted: dict[ActionKey, Function] = {}
        for by_rule in self.actions_by_rule:
            for key, where in by_rule.items():
                emitted[key] = emitted.get(key, self.bdd.false) | where
        return emitted
