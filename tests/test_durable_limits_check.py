"""The prediction of durable-rules' limits (``ave_rules.engine._durable_limits``) against the engine.

Every ruleset here also runs in a child process with a timeout, against the real engine, with its
worst-case facts: the boundaries pinned in ``tests/durable_rules/test_durable_limits.py``, the
kaarten that found the limits (issue 12), and random rulesets of the compiled shape near the
limits. A run *works* when the ruleset registers, every assert returns without error, and exactly
the rules whose patterns the facts satisfy fire (a read past the end of a table can fire others).
The prediction must say "within all limits" only for rulesets that work; at the boundaries it must
say exactly what the engine does.
"""

from __future__ import annotations

import json
import operator
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import small_kaarten as small
from budget import examples
from hypothesis import event, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules.engine import _durable as durable_engine
from ave_rules.engine import complete
from ave_rules.engine._durable_limits import BOUNDS, Reach, durable_limits
from ave_rules.engine._durable_ruleset import Encoder, _Compiler, compile_kaart

Rules = dict[str, dict[str, Any]]
Fact = dict[str, Any]
Test = dict[str, Any]
Point = tuple[Rules, list[Fact]]

needs_durable = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules cannot be imported here")

HANG_TIMEOUT = 3.0  # each run that works takes well under a second

# As in tests/durable_rules/test_durable_limits.py: register, assert each fact in one session;
# prints one JSON line, the first failure or the rules that fired.
CHILD = """
import json, sys
from durable import engine

class SyncHost(engine.Host):
    def _run(self):
        pass

spec = json.load(sys.stdin)
fired = []

def action(name):  # one argument: durable passes a callback to actions that take two
    return lambda c: fired.append(name)

host = SyncHost()
rules = {n: {**r, "run": action(n)} for n, r in spec["rules"].items()}
try:
    host.register_rulesets({"limits": rules})
except Exception as error:
    print(json.dumps({"failed": str(error)}), flush=True)
    sys.exit()
for fact in spec["facts"]:
    try:
        host.assert_fact("limits", {**fact, "sid": "1"})
    except engine.MessageNotHandledException:
        pass
    except Exception as error:
        print(json.dumps({"failed": str(error)}), flush=True)
        sys.exit()
print(json.dumps({"fired": sorted(set(fired))}), flush=True)
"""


def engine_works(rules: Rules, facts: list[Fact], timeout: float = HANG_TIMEOUT) -> bool:
    """Whether durable registers ``rules``, asserts ``facts`` and fires exactly the rules they
    satisfy, in a child process that is killed at ``timeout``."""
    try:
        child = subprocess.run(
            [sys.executable, "-c", CHILD],
            input=json.dumps({"rules": rules, "facts": facts}),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    last = child.stdout.splitlines()[-1:] if child.returncode == 0 else []
    return last == [json.dumps({"fired": sorted(satisfied(rules, facts))})]


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "$lt": operator.lt,
    "$lte": operator.le,
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$neq": operator.ne,
}


def holds(test: Test, fact: Fact) -> bool:
    ((name, body),) = test.items()
    if name in ("$and", "$or"):
        return (all if name == "$and" else any)(holds(part, fact) for part in body)
    if name in _COMPARE:
        ((key, bound),) = body.items()
        return key in fact and _COMPARE[name](fact[key], bound)
    return name in fact and bool(fact[name] == body)


def satisfied(rules: Rules, facts: list[Fact]) -> set[str]:
    """The rules each of whose patterns some fact satisfies: what a correct engine fires."""
    return {
        name
        for name, rule in rules.items()
        if all(any(holds(pattern, fact) for fact in facts) for element in rule["all"] for pattern in element.values())
    }


def exceeded(rules: Rules) -> list[str]:
    return [reach.limit_name for reach in durable_limits(rules) if reach.exceeded]


# ---------------------------------------------------------------------------------------------
# The boundaries of tests/durable_rules/test_durable_limits.py
# ---------------------------------------------------------------------------------------------


def case(*tests: Test) -> Test:
    return {"$and": [{"t": "c"}, *tests]}


def one_of(key: str, count: int) -> Test:
    return {"$or": [{key: value} for value in range(count)]}


def ones(count: int, prefix: str) -> Fact:
    return {f"{prefix}{i}": 1 for i in range(count)}


def any_of(count: int, prefix: str) -> Test:
    return {"$or": [{key: 1} for key in ones(count, prefix)]}


def nested(operators: int) -> Test:
    inner: Test = {"k": 1}
    for level in range(operators - 1):
        inner = {"$or" if level % 2 == 0 else "$and": [inner, {f"j{level}": 1}]}
    return case(inner)


def derived_join(count: int) -> Point:
    rules = {"r": {"all": [{f"p{i}": {"$and": [{"t": "d"}, {"d": i}, {"v": 1}]}} for i in range(count)]}}
    return rules, [{"t": "d", "d": i, "v": 1} for i in range(count)]


def beta_layout(count: int) -> Point:
    a_rules = {f"a{i}": {"all": [{"m": {"t": "a"}}]} for i in range(count)}
    return {"a0": a_rules.pop("a0"), "b": {"all": [{"m": {"t": "b"}}]}, **a_rules}, [{"t": "a"}]


RAW: dict[str, Callable[[int], Point]] = {
    "MAX_ACTIONS": lambda n: (
        {f"r{i}": {"all": [{"c": case({"a": i // 64}, {"b": i % 64})}]} for i in range(n)},
        [{"t": "c", "a": 1, "b": 1}],
    ),
    "NEXT_BUCKET_LENGTH": lambda n: ({"r": {"all": [{"c": case(one_of("k", n))}]}}, [{"t": "c", "k": 0}]),
    "BETA_LIST_LENGTH": beta_layout,
    "MAX_SEQUENCE_EXPRESSIONS nested": lambda n: (
        {"r": {"all": [{"c": nested(n)}]}},
        [{"t": "c", "k": 1, **ones(16, "j")}],
    ),
    "MAX_SEQUENCE_EXPRESSIONS side by side": lambda n: (
        {"r": {"all": [{"c": case(*(one_of(f"k{j}", 2) for j in range(n - 1)))}]}},
        [{"t": "c", **ones(16, "k")}],
    ),
    "MAX_STACK_SIZE set members": lambda n: (
        {"r": {"all": [{"c": case(any_of(n, "s"))}]}},
        [{"t": "c", **ones(n, "s")}],
    ),
    "MAX_STACK_SIZE first tests": lambda n: (
        {f"r{i}": {"all": [{"c": case({f"b{i}": 1})}]} for i in range(n)},
        [{"t": "c", **ones(n, "b")}],
    ),
    "MAX_STACK_SIZE repeated one-of": lambda n: (
        {f"r{i}": {"all": [{"c": case(one_of("k", 2))}]} for i in range(n)},
        [{"t": "c", "k": 0}],
    ),
    "MAX_STACK_SIZE two sets": lambda n: (
        {"r": {"all": [{"c": case(any_of(33, "s"), any_of(n - 32, "u"))}]}},
        [{"t": "c", **ones(33, "s"), **ones(n - 32, "u")}],
    ),
    "MAX_MESSAGE_FRAMES": derived_join,
    "MAX_OBJECT_PROPERTIES": lambda n: (
        {"r": {"all": [{"c": case(*({key: 1} for key in ones(n - 2, "k")))}]}},
        [{"t": "c", **ones(n - 2, "k")}],  # n - 2 keys, t and sid
    ),
}
# The largest count that works and the smallest that does not, as pinned; NEXT_LIST_LENGTH
# (129 is error 107) is also a stack overflow from 65 on, checked by "repeated one-of".
BOUNDARIES = {
    "MAX_ACTIONS": (4096, 4097),
    "NEXT_BUCKET_LENGTH": (511, 512),
    "BETA_LIST_LENGTH": (255, 256),
    "MAX_SEQUENCE_EXPRESSIONS nested": (15, 16),
    "MAX_SEQUENCE_EXPRESSIONS side by side": (15, 16),
    "MAX_STACK_SIZE set members": (64, 65),
    "MAX_STACK_SIZE first tests": (64, 65),
    "MAX_STACK_SIZE repeated one-of": (64, 65),
    "MAX_STACK_SIZE two sets": (64, 65),
    "MAX_MESSAGE_FRAMES": (16, 17),
    "MAX_OBJECT_PROPERTIES": (253, 254),
}


@needs_durable
@pytest.mark.parametrize("name", sorted(BOUNDARIES))
def test_the_prediction_at_each_pinned_boundary_is_what_the_engine_does(name: str) -> None:
    limit = name.split()[0]
    works, fails = BOUNDARIES[name]
    assert (engine_works(*RAW[name](works), timeout=60), exceeded(RAW[name](works)[0])) == (True, [])
    assert (engine_works(*RAW[name](fails)), limit in exceeded(RAW[name](fails)[0])) == (False, True)


def test_the_counts_at_the_boundaries_are_the_constants_of_durable() -> None:
    """What each limit counts, at the largest ruleset that works: exactly the bound."""
    for name, (works, _) in BOUNDARIES.items():
        limit = name.split()[0]
        reach = {r.limit_name: r for r in durable_limits(RAW[name](works)[0])}[limit]
        full = 2 * 15 if limit == "MAX_SEQUENCE_EXPRESSIONS" else BOUNDS[limit]  # two slots per operator
        assert (name, reach.count) == (name, full)


def test_next_list_and_registration_errors_are_predicted_from_the_json() -> None:
    rules = RAW["MAX_STACK_SIZE repeated one-of"](129)[0]
    reaches = {r.limit_name: r for r in durable_limits(rules)}
    assert (reaches["NEXT_LIST_LENGTH"].count, reaches["MAX_STACK_SIZE"].count) == (129, 129)
    assert reaches["NEXT_LIST_LENGTH"].where == "rule 'r0' pattern 'c': t == \"c\" > k == 0"
    with pytest.raises(ValueError, match="not modelled"):
        durable_limits({"r": {"any": [{"m": {"t": "c"}}]}})
    with pytest.raises(ValueError, match="not a comparison with a constant"):
        durable_limits({"r": {"all": [{"m": {"t": "c"}}, {"n": {"$and": [{"t": "d"}, {"x": {"m": "x"}}]}}]}})


# ---------------------------------------------------------------------------------------------
# The kaarten that found the limits, and the smallest kaart shapes that reach each
# ---------------------------------------------------------------------------------------------

Kaart = tuple[list[Any], list[str], list[Any], dict[str, Any]]  # facts, derived facts, rules, case


def choice(name: str, count: int) -> dict[str, Any]:
    values = [f"v{i}" for i in range(count)]
    return {"id": name, "soort": "keuze", "omschrijving": "Keuze.", "waarden": values, "standaard": "v0"}


def choice_one_of_all(count: int) -> Kaart:  # A: a keuze fact with `count` values, one rule is_een_van all
    values = [f"v{i}" for i in range(count)]
    return [choice("k", count)], [], [small.rule("r", {"feit": "k", "is_een_van": values})], {"k": "v3"}


def set_any_of_all(count: int) -> Kaart:  # D: a set of `count` members, bevat_een_van all, all held
    members = [f"w{i}" for i in range(count)]
    fact = {"id": "s", "soort": "verzameling", "omschrijving": "Set.", "waarden": members, "standaard": []}
    return [fact], [], [small.rule("r", {"feit": "s", "bevat_een_van": members})], {"s": members}


def nested_deep(depth: int) -> Kaart:  # C: alle and een_van nested `depth` deep
    condition: Any = {"een_van": [{"feit": "b0", "is": True}, {"feit": "b1", "is": True}]}
    for level in range(depth - 1):
        condition = {"alle" if level % 2 == 0 else "een_van": [condition, {"feit": "b1", "is": True}]}
    return small.booleans(2), [], [small.rule("diep", condition)], {"b0": True, "b1": True}


def one_derived_in_rules(count: int) -> Kaart:  # C: one derived fact tested in `count` rules
    rules = [small.rule("afleiden", {"feit": "b0", "is": True}, {"afleiden": ["d0"]})]
    test = {"alle": [{"afgeleid": "d0"}, {"feit": "b1", "is": True}]}
    rules += [small.rule(f"r{i}", test, {"acties": [{"actie": "a"}]}) for i in range(count)]
    return small.booleans(2), ["d0"], rules, {"b0": True, "b1": True}


def first_tests(count: int) -> Kaart:  # `count` rules, each on its own boolean, all true
    rules = [small.rule(f"r{i}", {"feit": f"b{i}", "is": True}) for i in range(count)]
    return small.booleans(count), [], rules, {f"b{i}": True for i in range(count)}


def repeated_one_of(count: int) -> Kaart:  # `count` rules with the same is_een_van
    rules = [small.rule(f"r{i}", {"feit": "k", "is_een_van": ["v0", "v1"]}) for i in range(count)]
    return [choice("k", 3)], [], rules, {"k": "v0"}


def one_of_tests(count: int) -> Kaart:  # one rule with `count` is_een_van tests
    condition = {"alle": [{"feit": f"k{i}", "is_een_van": ["v0", "v1"]} for i in range(count)]}
    return [choice(f"k{i}", 3) for i in range(count)], [], [small.rule("r", condition)], {}


def derived_needed(count: int) -> Kaart:  # one rule needing `count` derived facts and a case test
    derived = [f"d{i}" for i in range(count)]
    rules = [small.rule(f"a{i}", {"feit": "b0", "is": True}, {"afleiden": [name]}) for i, name in enumerate(derived)]
    rules.append(small.rule("r", {"alle": [*({"afgeleid": name} for name in derived), {"feit": "b1", "is": True}]}))
    return small.booleans(2), derived, rules, {"b0": True, "b1": True}


def same_case_tests(count: int) -> Kaart:  # `count` rules with the same two case tests
    condition = {"alle": [{"feit": "b0", "is": True}, {"feit": "b1", "is": True}]}
    return small.booleans(2), [], [small.rule(f"r{i}", condition) for i in range(count)], {"b0": True, "b1": True}


KAARTEN: dict[str, tuple[Callable[[int], Kaart], int, int, str]] = {
    "C: alle/een_van nested": (nested_deep, 14, 15, "MAX_SEQUENCE_EXPRESSIONS"),
    "C: one derived fact in many rules": (one_derived_in_rules, 255, 256, "BETA_LIST_LENGTH"),
    "D: bevat_een_van all members": (set_any_of_all, 64, 65, "MAX_STACK_SIZE"),
    "a rule per boolean": (first_tests, 64, 65, "MAX_STACK_SIZE"),
    "many derived facts in one rule": (derived_needed, 15, 16, "MAX_MESSAGE_FRAMES"),
    "the same case tests in many rules": (same_case_tests, 255, 256, "BETA_LIST_LENGTH"),
}
#: Shapes that once reached a limit at the given size, and that the compiler now writes around it:
#: an "is one of" over a value's position is a range test, not one equality per value.
COMPILED_AROUND: dict[str, tuple[Callable[[int], Kaart], int]] = {
    "A: keuze is_een_van all values": (choice_one_of_all, 700),
    "the same is_een_van in many rules": (repeated_one_of, 200),
    "many is_een_van in one rule": (one_of_tests, 40),
}


def compiled(kaart: Kaart) -> Point:
    """The kaart's ruleset as JSON, and its worst facts: every derived fact it tests, then the case."""
    facts, derived, rules, given = kaart
    document = small.kaart(facts, derived, rules)
    loaded = ave_rules.loads(json.dumps(document), "grens.yaml", engine="reference")
    plan = _Compiler(loaded).plan()  # without the check of the limits, to test them
    ruleset = {name: {"all": r["all"]} for name, r in plan.definition(lambda effect: None).items()}
    derived_facts = [{"t": "d", "d": i, "v": 1} for i in range(len(derived))]
    return ruleset, [*derived_facts, json.loads(Encoder(loaded, plan).case(complete(loaded, given)[0]))]


@needs_durable
@pytest.mark.parametrize("name", sorted(KAARTEN))
def test_the_prediction_for_each_kaart_shape_is_what_the_engine_does(name: str) -> None:
    shape, works, fails, limit = KAARTEN[name]
    rules, facts = compiled(shape(works))
    assert (engine_works(rules, facts, timeout=60), exceeded(rules)) == (True, [])
    rules, facts = compiled(shape(fails))
    assert (engine_works(rules, facts), limit in exceeded(rules)) == (False, True)


@needs_durable
@pytest.mark.parametrize("name", sorted(COMPILED_AROUND))
def test_a_shape_the_compiler_writes_around_a_limit_stays_within_it(name: str) -> None:
    shape, size = COMPILED_AROUND[name]
    rules, facts = compiled(shape(size))
    assert (exceeded(rules), engine_works(rules, facts, timeout=60)) == ([], True)


def test_the_bundled_kaarten_are_within_all_limits() -> None:
    for path in sorted((Path(__file__).resolve().parents[1] / "regiekaarten").glob("*.yaml")):
        kaart = ave_rules.load(path, engine="reference")
        reaches = durable_limits(compile_kaart(kaart).definition(lambda effect: None))
        assert [reach.limit_name for reach in reaches] == list(BOUNDS)
        assert (path.name, [reach for reach in reaches if reach.exceeded]) == (path.name, [])


# ---------------------------------------------------------------------------------------------
# Random rulesets of the compiled shape near the limits
# ---------------------------------------------------------------------------------------------


SHAPES = ["or", "derived", "deep", "members", "repeated", "first", "ranges", "join"]


@st.composite
def near_limits(draw: st.DrawFn) -> Rules:
    """Rules as the compiler writes them (a type tag first in every pattern, derived facts as
    ``t/d/v`` patterns joined with one case pattern), with a few shapes near a limit each."""
    rules: Rules = {}
    shapes = draw(st.permutations(SHAPES))[: draw(st.integers(1, 2))]
    if "or" in shapes:  # a large $or of equalities on one key
        rules["or"] = {"all": [{"c": case(one_of("w", draw(st.integers(496, 512))))}]}
    if "derived" in shapes:  # many rules sharing a derived-fact pattern
        spread = draw(st.integers(1, 3))
        for i in range(draw(st.integers(240, 256))):
            pattern = {"$and": [{"t": "d"}, {"d": 0}, {"v": 1}]}
            rules[f"derived{i}"] = {"all": [{"p0": pattern}, {"c": case({f"x{i % spread}": 1})}]}
    if "deep" in shapes:  # deep $and/$or nesting
        inner: Test = {"e0": 1}
        for level in range(draw(st.integers(10, 15))):
            inner = {draw(st.sampled_from(["$or", "$and"])): [inner, {f"e{level + 1}": draw(st.integers(0, 1))}]}
        rules["deep"] = {"all": [{"c": case(inner)}]}
    if "members" in shapes:  # many set members tested at once, possibly in two groups
        first = draw(st.integers(24, 65))
        second = draw(st.integers(0, max(0, 66 - first)))  # first - 1 + second pending at most
        tests = [any_of(first, "s"), *([any_of(second, "u")] if second else [])]
        rules["members"] = {"all": [{"c": case(*tests)}]}
    if "repeated" in shapes:  # the same is_een_van in many rules
        for i in range(draw(st.integers(50, 65))):
            rules[f"repeated{i}"] = {"all": [{"c": case(one_of("g", 2), {f"y{i % 7}": 1})}]}
    if "first" in shapes:  # many rules each starting with another key
        for i in range(draw(st.integers(40, 65))):
            rules[f"first{i}"] = {"all": [{"c": case({f"b{i}": 1})}]}
    if "ranges" in shapes:  # thresholds on one ordered key (is_een_van written as ranges)
        for i in range(draw(st.integers(40, 65))):
            rules[f"ranges{i}"] = {"all": [{"c": case({"$gte": {"o": i}}, {"$lte": {"o": i + 3}})}]}
    if "join" in shapes:  # many derived facts needed by one rule
        count = draw(st.integers(12, 16))
        patterns = [{f"p{i}": {"$and": [{"t": "d"}, {"d": i}, {"v": 1}]}} for i in range(count)]
        rules["join"] = {"all": [*patterns, {"c": case({"b0": 1})}]}
    rules["z"] = {"all": [{"z": {"t": "z"}}]}
    return rules


def worst_facts(rules: Rules) -> list[Fact]:
    """Every derived fact the rules test, then the case facts that satisfy the most case tests:
    each key at an integer value where the most tests on it hold (the lowest such value in one
    fact, the highest in the other)."""
    tests: dict[str, list[Test]] = {}
    derived: set[int] = set()

    def leaves(test: Test) -> None:
        ((name, body),) = test.items()
        if name in ("$and", "$or"):
            for part in body:
                leaves(part)
        elif name != "t":
            tests.setdefault(next(iter(body)) if name in _COMPARE else name, []).append(test)

    for rule in rules.values():
        for element in rule["all"]:
            for pattern in element.values():
                if pattern == {"t": "z"}:
                    continue
                if pattern["$and"][0] == {"t": "d"}:
                    derived.add(pattern["$and"][1]["d"])
                else:
                    leaves(pattern)
    low: Fact = {"t": "c"}
    high: Fact = {"t": "c"}
    for key, on_key in sorted(tests.items()):
        values = sorted({_bound(test) + step for test in on_key for step in (-1, 0, 1)})
        holding = [sum(holds(test, {key: value}) for test in on_key) for value in values]
        most = [value for value, count in zip(values, holding, strict=True) if count == max(holding)]
        low[key], high[key] = most[0], most[-1]
    return [*({"t": "d", "d": i, "v": 1} for i in sorted(derived)), low, *([high] if high != low else [])]


def _bound(test: Test) -> int:
    ((name, body),) = test.items()
    return int(next(iter(body.values())) if name in _COMPARE else body)


@needs_durable
@settings(max_examples=examples(20, 60), deadline=None)
@given(rules=near_limits())
def test_a_ruleset_predicted_within_all_limits_works_for_its_worst_facts(rules: Rules) -> None:
    reaches: list[Reach] = durable_limits(rules)
    over = [reach.limit_name for reach in reaches if reach.exceeded]
    event(f"predicted over: {', '.join(over) or 'none'}")
    if not over:
        assert engine_works(rules, worst_facts(rules), timeout=60)
