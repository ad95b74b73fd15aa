"""A regiekaart compiled into a durable-rules ruleset: plain JSON, built without importing durable.

The compiled ruleset follows ``docs/durable-rules.md``: the engine only ever sees integers (a
boolean as 0/1, a value as its index in the fact's values, a set as one 0/1 key per member plus
its size), every pattern carries a type tag, and negation never uses ``none()``. A session holds
three kinds of fact:

* the **case** (``t: "c"``): one key per fact value a rule tests;
* a **derived fact** (``t: "d"``, ``d``: its index, ``v``: 1 when it holds, 0 when it is known not
  to hold). A rule asserts it with ``v: 1`` when it derives it; for a derived fact some rule tests
  with ``niet``, a *closure rule* whose condition is the negation of all its derivations asserts
  ``v: 0``. So every test is positive and nothing depends on the order in which rules fire;
* the **decided case** (``t: "n"``): after the level is known, the case again with the derived
  facts, the decided level (``_l``) and the transition (``_o``). Only rules that test the level
  or the transition match it (stratum 3 of ``docs/semantics.md``);
* a **closing fact** (``t: "z"``), matched by a rule that does nothing, asserted when no other
  rule fired: durable-rules crashes when it deletes a session in which no action ever ran.

A kaart rule becomes one durable rule per alternative in the disjunctive normal form of its
condition over derived facts; everything about the case itself stays in one pattern.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import _terms as t
from .._messages import Params, Phrase
from ..errors import EngineLimitError, Problem
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
)
from ._durable_limits import Reach, durable_limits

CASE, DERIVED, DECIDED, CLOSING = "c", "d", "n", "z"
LEVEL_KEY, TRANSITION_KEY = "_l", "_o"
#: durable-rules refuses a fact with more than 253 properties; the type tag and sid are two.
MAX_KEYS = 251
#: Alternatives (durable rules) one kaart may compile to: durable-rules holds 4,096 rules, one of
#: them the closing rule. Counted before the alternatives are built.
MAX_RULES = 4_095

Test = dict[str, Any]  # one durable pattern test, e.g. {"$gte": {"f2": 1}}


@dataclass(frozen=True)
class Effect:
    """What firing a durable rule means: which kaart rule held, which derived facts now hold
    (and which of those to assert, because some pattern tests them), or which derived fact is
    known not to hold (closure rules)."""

    rule: int | None = None
    holds: tuple[int, ...] = ()
    asserts: tuple[int, ...] = ()
    refutes: int | None = None


@dataclass(frozen=True)
class DurableRule:
    name: str
    patterns: tuple[Mapping[str, Test], ...]
    effect: Effect


@dataclass(frozen=True)
class Plan:
    rules: tuple[DurableRule, ...]
    case_keys: tuple[str, ...]  # keys of the case fact that some pattern tests
    decided_keys: tuple[str, ...]  # keys of the decided case, idem

    @property
    def tests_case(self) -> bool:
        return any(CASE in rule.patterns[-1] for rule in self.rules)

    @property
    def tests_decision(self) -> bool:
        return any(DECIDED in rule.patterns[-1] for rule in self.rules)

    def definition(self, action: Any) -> dict[str, dict[str, Any]]:
        """The JSON ruleset, with ``action(effect)`` as each rule's ``run``. A fresh dict on every
        call: durable-rules deletes ``run`` from the dict it registers."""
        rules = (*self.rules, DurableRule(CLOSING, ({CLOSING: {"t": CLOSING}},), Effect()))
        return {rule.name: {"all": [dict(p) for p in rule.patterns], "run": action(rule.effect)} for rule in rules}

    @property
    def digest(self) -> str:
        """Identifies the ruleset: kaarten with the same plan can share one registered ruleset."""
        content = {
            "rules": [[rule.name, rule.patterns, vars(rule.effect)] for rule in self.rules],
            "keys": [self.case_keys, self.decided_keys],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class Encoder:
    """Turns a completed case into the integer-only facts of the plan, as JSON text. The keys are
    generated and the values integers, so the text is written directly (``json`` takes longer),
    from each fact's part of it, written once per value."""

    def __init__(self, kaart: Regiekaart, plan: Plan) -> None:
        self._case = _fact_parts(kaart, plan.case_keys)
        self._decided = _fact_parts(kaart, [key for key in plan.decided_keys if key.startswith("f")])
        self._derived = [(key, int(key[1:])) for key in plan.decided_keys if key.startswith("d")]
        self._tests_level = LEVEL_KEY in plan.decided_keys
        self._tests_transition = TRANSITION_KEY in plan.decided_keys
        self._level_ids = kaart.level_ids

    def case(self, facts: Mapping[str, Any]) -> str:
        return f'{{"t":"{CASE}"' + "".join([part(facts[name]) for name, part in self._case]) + "}"

    def decided(self, facts: Mapping[str, Any], holds: set[int], level: str, transition: str) -> str:
        items = [part(facts[name]) for name, part in self._decided]
        items += [f',"{key}":{1 if derived in holds else 0}' for key, derived in self._derived]
        if self._tests_level:
            items.append(f',"{LEVEL_KEY}":{self._level_ids.index(level)}')
        if self._tests_transition:
            items.append(f',"{TRANSITION_KEY}":{t.TRANSITIONS.index(transition)}')
        return f'{{"t":"{DECIDED}"' + "".join(items) + "}"


def derived_fact(derived: int, holds: bool) -> str:
    """The fact that derived fact ``derived`` holds (or is known not to), as JSON text."""
    return f'{{"t":"{DERIVED}","d":{derived},"v":{1 if holds else 0}}}'


#: The closing fact, as JSON text.
CLOSING_FACT = f'{{"t":"{CLOSING}"}}'


class _Part:
    """One fact's keys in an encoded fact (``,"f3_0":1,"f3_n":2``), by the fact's value."""

    MAX_KEPT = 1_024  # a set fact has up to 2^members values; the rest are written each time

    def __init__(self, keys: list[tuple[str, Callable[[Any], int]]]) -> None:
        self._keys = keys
        self._kept: dict[Any, str] = {}

    def __call__(self, value: Any) -> str:
        text = self._kept.get(value)
        if text is None:
            text = "".join([f',"{key}":{encode(value)}' for key, encode in self._keys])
            if len(self._kept) < self.MAX_KEPT:
                self._kept[value] = text
        return text


def _fact_parts(kaart: Regiekaart, keys: Iterable[str]) -> list[tuple[str, Callable[[Any], str]]]:
    """Per fact (by name), the part of an encoded fact that holds its ``keys``, in their order."""
    by_fact: dict[str, list[tuple[str, Callable[[Any], int]]]] = {}
    for key in keys:
        name, encode = _value_of(key, kaart)
        by_fact.setdefault(name, []).append((key, encode))
    return [(name, _part(kaart.fact_by_id[name], _Part(fact_keys), kaart)) for name, fact_keys in by_fact.items()]


def _part(fact: AnyFact, part: _Part, kaart: Regiekaart) -> Callable[[Any], str]:
    """``part``, or for a fact with few values each value's part written at once, so that a case
    looks it up without a call in Python."""
    if isinstance(fact, SetFact):
        return part
    return {value: part(value) for value in fact_values(fact, kaart.level_ids)}.__getitem__


def _value_of(key: str, kaart: Regiekaart) -> tuple[str, Callable[[Any], int]]:
    """The fact that key ``f<fact>`` (or ``f<fact>_<member>``, ``f<fact>_n``) encodes, and how
    its value is encoded."""
    index, _, part = key[1:].partition("_")
    fact = kaart.facts[int(index)]
    if isinstance(fact, BooleanFact):
        return fact.id, lambda value: 1 if value else 0
    if isinstance(fact, SetFact):
        if part == "n":
            return fact.id, len
        member = fact.values[int(part)]
        return fact.id, lambda value: 1 if member in value else 0
    positions = {value: position for position, value in enumerate(fact_values(fact, kaart.level_ids))}
    return fact.id, positions.__getitem__


def limit_problems(kaart: Regiekaart, near: float = 0.75) -> list[Problem]:
    """Each of durable-rules' limits ``kaart`` reaches (an ``engine-limiet-*`` problem, located:
    durable-rules cannot run it) or comes within ``near`` of (``engine-bijna-limiet``)."""
    compiler = _Compiler(kaart)
    try:
        plan = compiler.plan()
        compiler.check(plan)
    except EngineLimitError as limit:
        return [limit.problem]
    problems = []
    for reach in durable_limits(plan.definition(lambda effect: None)):
        if reach.count >= near * reach.bound:
            count, bound = _shown_counts(reach)
            path = compiler.rule_path(_RULE_NAME.match(reach.where))
            params: Params = {"aantal": str(count), "grens": str(bound), "wat": Phrase(_NEAR[reach.limit_name])}
            problems.append(kaart.problem_at("engine-bijna-limiet", path, params))
    return problems


def compile_kaart(kaart: Regiekaart) -> Plan:
    """The durable-rules plan of a loaded (valid) kaart. Raises EngineLimitError, located in the
    kaart, when the plan would reach one of durable-rules' limits (``_durable_limits``): past them
    durable refuses the ruleset, fails a case, or hangs."""
    compiler = _Compiler(kaart)
    plan = compiler.plan()
    compiler.check(plan)
    return plan


# --- conditions in negation normal form ----------------------------------------------------


@dataclass(frozen=True)
class _Literal:
    derived: int
    holds: bool


@dataclass(frozen=True)
class _And:
    parts: tuple[_Formula, ...]


@dataclass(frozen=True)
class _Or:
    parts: tuple[_Formula, ...]


@dataclass(frozen=True, eq=False)
class _Test:
    test: Test  # a test on the case (or the decided case)


_Formula = _Literal | _And | _Or | _Test
_Term = tuple[frozenset[_Literal], tuple[Test, ...]]


class _Compiler:
    def __init__(self, kaart: Regiekaart) -> None:
        self.kaart = kaart
        self.derived_index = {fact.id: index for index, fact in enumerate(kaart.derived_facts)}
        self.facts = {fact.id: (index, fact) for index, fact in enumerate(kaart.facts)}
        self.keys: dict[str, set[str]] = {CASE: set(), DECIDED: set()}
        self.count = 0
        self.where: tuple[str | int, ...] = ("regels",)  # the rule being compiled, for a limit's location

    def limit(self, code: str, params: dict[str, str]) -> EngineLimitError:
        return EngineLimitError(self.kaart.problem_at(code, self.where, params))

    def check(self, plan: Plan) -> None:
        """Raise EngineLimitError for the first of durable-rules' limits the plan reaches."""
        for reach in durable_limits(plan.definition(lambda effect: None)):
            if reach.exceeded:
                self.where = self.rule_path(_RULE_NAME.match(reach.where))
                count, bound = _shown_counts(reach)
                raise self.limit(_LIMIT_CODES[reach.limit_name], {"aantal": str(count), "grens": str(bound)})

    def rule_path(self, name: re.Match[str] | None) -> tuple[str | int, ...]:
        """Where in the kaart a durable rule comes from: ``r<rule>_<n>`` from a rule, ``x<derived>_<n>``
        from the closure of a derived fact."""
        if name is None:
            return ("regels",)
        kind, index = name.group(1), int(name.group(2))
        return ("regels", index, "als") if kind == "r" else ("afgeleide_feiten", index)

    def plan(self) -> Plan:
        kaart = self.kaart
        stage_one: list[tuple[int | None, int | None, list[_Term]]] = []  # (rule, refuted, terms)
        decided_rules: list[DurableRule] = []
        for index, rule in enumerate(kaart.rules):
            self.where = ("regels", index, "als")
            if _tests_decision(rule.condition):
                test = self.test(self.formula(rule.condition, True, DECIDED))
                decided_rules.append(DurableRule(f"r{index}", ({DECIDED: _tagged(DECIDED, [test])},), Effect(index)))
            else:
                stage_one.append((index, None, self.terms(self.formula(rule.condition, True, CASE))))
        refuted: set[int] = set()
        while needed := self.negated_literals(stage_one) - refuted:
            for derived in sorted(needed):
                self.where = ("afgeleide_feiten", derived)
                refuted.add(derived)
                stage_one.append((None, derived, self.terms(self.closure(derived))))
        consumed = {lit.derived for _, _, terms in stage_one for lits, _ in terms for lit in lits if lit.holds}
        rules = [*self.stage_one_rules(stage_one, consumed), *decided_rules]
        if len(rules) > MAX_RULES:
            self.where = ("regels",)
            raise self.limit("engine-limiet-regels", {"aantal": str(len(rules)), "grens": str(MAX_RULES)})
        plan = Plan(
            tuple(rules),
            tuple(sorted(self.keys[CASE])),
            tuple(sorted(self.keys[DECIDED])),
        )
        for keys in (plan.case_keys, plan.decided_keys):
            if len(keys) > MAX_KEYS:
                self.where = ("feiten",)
                raise self.limit("engine-limiet-sleutels", {"aantal": str(len(keys)), "grens": str(MAX_KEYS)})
        return plan

    def stage_one_rules(
        self, stage_one: list[tuple[int | None, int | None, list[_Term]]], consumed: set[int]
    ) -> Iterable[DurableRule]:
        for rule, refutes, terms in stage_one:
            if rule is not None:
                holds = tuple(self.derived_index[name] for name in self.kaart.rules[rule].conclusion.derive)
                effect = Effect(rule, holds, tuple(d for d in holds if d in consumed))
                prefix = f"r{rule}"
            else:
                effect = Effect(refutes=refutes)
                prefix = f"x{refutes}"
            for number, (literals, tests) in enumerate(terms):
                patterns: list[Mapping[str, Test]] = [
                    {f"p{position}": _tagged(DERIVED, [{"d": lit.derived}, {"v": int(lit.holds)}])}
                    for position, lit in enumerate(sorted(literals, key=lambda lit: (lit.derived, lit.holds)))
                ]
                if tests or not literals:
                    patterns.append({CASE: _tagged(CASE, list(tests))})
                yield DurableRule(f"{prefix}_{number}", tuple(patterns), effect)

    def negated_literals(self, stage_one: list[tuple[int | None, int | None, list[_Term]]]) -> set[int]:
        return {lit.derived for _, _, terms in stage_one for lits, _ in terms for lit in lits if not lit.holds}

    def closure(self, derived: int) -> _Formula:
        """Holds exactly when no rule derives ``derived``."""
        name = self.kaart.derived_facts[derived].id
        conditions = [rule.condition for rule in self.kaart.rules if name in rule.conclusion.derive]
        return _And(tuple(self.formula(condition, False, CASE) for condition in conditions))

    # --- a condition as a formula over durable tests and derived literals ---------------------
    def formula(self, condition: Condition, positive: bool, fact: str) -> _Formula:
        if isinstance(condition, AllOf | AnyOf):
            parts = tuple(self.formula(part, positive, fact) for part in _parts(condition))
            return _And(parts) if isinstance(condition, AllOf) == positive else _Or(parts)
        if isinstance(condition, Not):
            return self.formula(condition.negated, not positive, fact)
        if isinstance(condition, DerivedTest):
            index = self.derived_index[condition.derived]
            if fact == CASE:
                return _Literal(index, positive)
            return _Test(self.compare(fact, f"d{index}", "is", 1, positive))
        if isinstance(condition, LevelTest):
            ladder = self.kaart.level_ids
            comparison, operand = condition.level.comparison, condition.level.operand
            bound = [ladder.index(level) for level in operand] if isinstance(operand, tuple) else ladder.index(operand)
            return _Test(self.compare(fact, LEVEL_KEY, comparison, bound, positive, len(ladder)))
        if isinstance(condition, TransitionTest):
            index = t.TRANSITIONS.index(condition.transition)
            return _Test(self.compare(fact, TRANSITION_KEY, "is", index, positive))
        if isinstance(condition, FactTest):
            return _Test(self.fact_test(condition, positive, fact))
        raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - the model allows no other

    def fact_test(self, test: FactTest, positive: bool, fact: str) -> Test:
        index, declared = self.facts[test.fact]
        key, comparison, operand = f"f{index}", test.comparison, test.operand
        if isinstance(declared, SetFact):
            if comparison in t.COUNT_COMPARISONS:
                plain = {"aantal_minstens": "minstens", "aantal_hoogstens": "hoogstens", "aantal_is": "is"}
                return self.compare(fact, f"{key}_n", plain[comparison], operand, positive)
            members = (operand,) if comparison == "bevat" else operand
            tests = [self.compare(fact, f"{key}_{declared.values.index(m)}", "is", 1, positive) for m in members]
            every = comparison == "bevat_alle"
            return _combine(tests, conjunction=every == positive)
        if isinstance(declared, BooleanFact):
            return self.compare(fact, key, "is", int(operand), positive)
        order = fact_values(declared, self.kaart.level_ids)
        bound = [order.index(value) for value in operand] if isinstance(operand, tuple) else order.index(operand)
        return self.compare(fact, key, comparison, bound, positive, len(order))

    def compare(self, fact: str, key: str, comparison: str, bound: Any, positive: bool, domain: int = 0) -> Test:
        self.keys[fact].add(key)
        if comparison == "is_een_van":
            return _one_of(key, set(bound) if positive else set(range(domain)) - set(bound), domain)
        if comparison == "is":
            return {key: bound} if positive else {"$neq": {key: bound}}
        operator = _OPERATORS[comparison] if positive else _NEGATED[_OPERATORS[comparison]]
        return {operator: {key: bound}}

    # --- disjunctive normal form over derived literals -------------------------------------
    def terms(self, formula: _Formula) -> list[_Term]:
        """Alternatives of ``formula``: each a set of derived literals and tests on the case."""
        if isinstance(formula, _And) and not formula.parts:  # the closure of a fact no rule derives
            return [(frozenset(), ())]
        if not _has_literals(formula):
            return [(frozenset(), (self.test(formula),))]
        if isinstance(formula, _Literal):
            return [(frozenset({formula}), ())]
        if not isinstance(formula, _And | _Or):  # pragma: no cover - the cases above are all others
            raise TypeError(formula)
        alternatives = [self.terms(part) for part in formula.parts]
        # Counted before anything is built: the product of a few wide groups is astronomically large.
        size = sum(map(len, alternatives)) if isinstance(formula, _Or) else math.prod(map(len, alternatives))
        if self.count + size > MAX_RULES:
            raise self.limit("engine-limiet-alternatieven", {"grens": str(MAX_RULES)})
        if isinstance(formula, _Or):
            combined = [term for terms in alternatives for term in terms]
        else:
            combined = []
            for choice in itertools.product(*alternatives):
                literals = frozenset().union(*(lits for lits, _ in choice))
                if not any(_Literal(lit.derived, not lit.holds) in literals for lit in literals):
                    combined.append((literals, tuple(test for _, tests in choice for test in tests)))
        self.count += len(combined)
        return _unique(combined)

    def test(self, formula: _Formula) -> Test:
        if isinstance(formula, _Test):
            return formula.test
        if not isinstance(formula, _And | _Or):  # pragma: no cover - a _Literal is never a case test
            raise TypeError(formula)
        return _combine([self.test(part) for part in formula.parts], conjunction=isinstance(formula, _And))


#: The message of each limit durable_limits() counts.
_LIMIT_CODES = {
    "MAX_ACTIONS": "engine-limiet-regels",
    "MAX_MESSAGE_FRAMES": "engine-limiet-afgeleid",
    "MAX_SEQUENCE_EXPRESSIONS": "engine-limiet-samengesteld",
    "NEXT_BUCKET_LENGTH": "engine-limiet-vertakt",
    "NEXT_LIST_LENGTH": "engine-limiet-vertakt",
    "BETA_LIST_LENGTH": "engine-limiet-gedeeld",
    "MAX_STACK_SIZE": "engine-limiet-gelijktijdig",
    "MAX_OBJECT_PROPERTIES": "engine-limiet-sleutels",
}
#: What each limit counts, in words, for a kaart near one.
_NEAR = {name: "grens-" + code.removeprefix("engine-limiet-") for name, code in _LIMIT_CODES.items()}


def _shown_counts(reach: Reach) -> tuple[int, int]:
    """A limit's count and bound as a kaart author counts: 'alle' and 'een_van' rather than the
    two slots durable-rules takes for each."""
    if reach.limit_name == "MAX_SEQUENCE_EXPRESSIONS":
        return reach.count // 2, reach.bound // 2
    return reach.count, reach.bound


_RULE_NAME = re.compile(r"rule '([rx])(\d+)")

_OPERATORS = {"minstens": "$gte", "hoogstens": "$lte", "boven": "$gt", "onder": "$lt"}
_NEGATED = {"$gte": "$lt", "$lte": "$gt", "$gt": "$lte", "$lt": "$gte"}


#: Values an "is one of" may leave out before it is written as one range test per run instead.
MAX_EXCLUDED = 4


def _one_of(key: str, wanted: set[int], domain: int) -> Test:
    """``key`` (a value's position, always one of ``range(domain)``) is one of ``wanted``, in as
    few alpha nodes as durable-rules can take: a range per run of positions, or the few positions
    left out. An ``$or`` of one equality per value puts a node per value under one parent, and
    durable-rules hangs at 512 (``docs/durable-rules.md``)."""
    if not wanted:
        return {"$lt": {key: 0}}  # never
    if len(wanted) == domain:
        return {"$gte": {key: 0}}  # always
    runs: list[tuple[int, int]] = []
    for position in sorted(wanted):
        if runs and runs[-1][1] == position - 1:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    left_out = domain - len(wanted)
    if len(runs) > 1 and left_out <= MAX_EXCLUDED:
        return _combine(
            [{"$neq": {key: position}} for position in range(domain) if position not in wanted], conjunction=True
        )
    return _combine([_run(key, low, high, domain) for low, high in runs], conjunction=False)


def _run(key: str, low: int, high: int, domain: int) -> Test:
    if low == high:
        return {key: low}
    bounds = ([{"$gte": {key: low}}] if low > 0 else []) + ([{"$lte": {key: high}}] if high < domain - 1 else [])
    return _combine(bounds, conjunction=True)


def _parts(condition: AllOf | AnyOf) -> tuple[Condition, ...]:
    return condition.all if isinstance(condition, AllOf) else condition.any


def _combine(tests: list[Test], *, conjunction: bool) -> Test:
    """``tests`` joined by ``$and`` or ``$or``; a part joined the same way is flattened into it
    (durable-rules takes at most 15 operators in one pattern)."""
    operator = "$and" if conjunction else "$or"
    flat: list[Test] = [part for test in tests for part in test.get(operator, [test])]
    if len(flat) == 1:
        return flat[0]
    return {operator: flat}


def _tagged(kind: str, tests: list[Test]) -> Test:
    if len(tests) == 1 and "$and" in tests[0]:
        tests = tests[0]["$and"]
    return {"$and": [{"t": kind}, *tests]} if tests else {"t": kind}


def _has_literals(formula: _Formula) -> bool:
    if isinstance(formula, _Literal):
        return True
    if isinstance(formula, _And | _Or):
        return any(_has_literals(part) for part in formula.parts)
    return False


def _tests_decision(condition: Condition) -> bool:
    if isinstance(condition, LevelTest | TransitionTest):
        return True
    if isinstance(condition, AllOf | AnyOf):
        return any(_tests_decision(part) for part in _parts(condition))
    if isinstance(condition, Not):
        return _tests_decision(condition.negated)
    return False


def _unique(terms: list[_Term]) -> list[_Term]:
    seen: dict[str, _Term] = {}
    for literals, tests in terms:
        key = json.dumps([sorted((lit.derived, lit.holds) for lit in literals), tests], sort_keys=True)
        seen.setdefault(key, (literals, tests))
    return list(seen.values())
