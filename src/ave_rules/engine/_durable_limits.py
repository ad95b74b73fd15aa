"""How close a compiled ruleset comes to the fixed limits of durable-rules 2.0.28, without durable.

durable-rules builds a rete network in C (``rete.c``) with fixed-size tables and walks it with a
fixed-size stack for every asserted fact (``events.c``). Past a limit it refuses the ruleset,
raises when a case is asserted, loops forever holding the GIL, or reads past the end of a table
(a crash, or the rules of another node fire). Each boundary is pinned by an experiment in
``tests/durable_rules/test_durable_limits.py``.

:func:`durable_limits` rebuilds the alpha network the way ``rete.c`` does:

* a test (key, operator, value) is one alpha node *under its parent*: the root for the first test
  of a pattern, the test before it inside ``$and``. Patterns and rules share a node when the
  parent and the test are the same; keys are told apart by their 32-bit FNV-1a hash, as in C;
* each alternative of an ``$or`` starts at the ``$or``'s parent, and its last node links to a new,
  unshared *forward* node (its next list), from which the rest of the pattern continues;
* each pattern links its last node to its own beta node (that node's beta list).

Limits that apply while a fact is walked are counted for the worst fact: every tested key
present, each with the integer value that makes the most tests hold.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: The largest count that is safe for each limit (the C constant, and why the bound differs).
BOUNDS = {
    "MAX_ACTIONS": 4096,  # rules in a ruleset; one more is error 106 at registration
    "MAX_MESSAGE_FRAMES": 16,  # patterns in a rule; a 17th fact in a join is error 304 at assert
    "MAX_SEQUENCE_EXPRESSIONS": 31,  # slots of a pattern, two per $and/$or; the 32nd is error 113
    "NEXT_BUCKET_LENGTH": 511,  # child tests of an alpha node; at 512 every lookup loops forever
    "NEXT_LIST_LENGTH": 127,  # forwards of a node, read until a 0 slot: 128 reads past the end, 129 is 107
    "BETA_LIST_LENGTH": 255,  # patterns ending at a node, read until a 0 slot: 256 reads past, 257 is 108
    "MAX_STACK_SIZE": 64,  # alpha nodes pending while one fact is walked; one more is error 303
    "MAX_OBJECT_PROPERTIES": 253,  # properties of a fact with sid (the engine adds id); 254 is error 302
}
_OPERATORS = {"$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">=", "$neq": "!="}
_HOLDS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Reach:
    """The largest ``count`` the ruleset reaches for limit ``limit_name``, where: it is safe while
    ``count <= bound``."""

    limit_name: str
    count: int
    bound: int
    where: str

    @property
    def exceeded(self) -> bool:
        return self.count > self.bound


class _Node:
    def __init__(self, index: int, parent: _Node | None, label: str, origin: str) -> None:
        self.index = index
        self.parent = parent  # None for the root and for forwards
        self.label = label
        self.origin = origin  # the first rule and pattern that needed this node
        self.tests: dict[tuple[int, str, str], _Node] = {}  # child tests: the C hashset
        self.tested: list[tuple[int, str, Any]] = []  # (key hash, operator, value) of each child test
        self.forwards: list[_Node] = []  # the C next list
        self.betas = 0  # patterns that end here: the C beta list

    def where(self) -> str:
        path: list[str] = []
        node: _Node | None = self
        while node is not None and node.label:
            path.append(node.label)
            node = node.parent
        if not path:
            return "the root"
        shown = " > ".join(reversed(path[:3]))
        return f"{self.origin}: {'... > ' if len(path) > 3 else ''}{shown}"


class _Network:
    def __init__(self) -> None:
        self.nodes = [_Node(0, None, "", "")]

    def new(self, parent: _Node | None, label: str, origin: str) -> _Node:
        node = _Node(len(self.nodes), parent, label, origin)
        self.nodes.append(node)
        return node

    def add(self, parent: _Node, test: Any, origin: str) -> _Node:
        """Adds the alpha nodes of ``test`` under ``parent``; returns the node the test ends at."""
        operator, body = _single(test)
        if operator in ("$and", "$or"):
            if not isinstance(body, list) or not body:
                raise ValueError(f"{origin}: {operator} needs a non-empty list")
            if operator == "$and":
                for part in body:
                    parent = self.add(parent, part, origin)
                return parent
            forward = self.new(None, f"{parent.label or 'm'} $or", origin)
            for part in body:
                self.add(parent, part, origin).forwards.append(forward)
            return forward
        if operator in _OPERATORS:
            key, value = _single(body)
        else:
            key, value, operator = operator, body, "=="
        if isinstance(value, dict | list) or value is None or key.startswith("$"):
            raise ValueError(f"{origin}: not a comparison with a constant: {test!r}")
        symbol = _OPERATORS.get(operator, "==")
        identity = (_key_hash(key), symbol, json.dumps(value, ensure_ascii=False))
        if identity not in parent.tests:
            parent.tests[identity] = self.new(parent, f"{key} {symbol} {identity[2]}", origin)
            parent.tested.append((identity[0], symbol, value))
        return parent.tests[identity]


def durable_limits(definition: Mapping[str, Mapping[str, Any]]) -> list[Reach]:
    """For each limit in :data:`BOUNDS`, the largest count ``definition`` (a ruleset as passed to
    ``register_rulesets``, as ``Plan.definition`` makes it) reaches. Raises ValueError for a
    construct the compiler does not emit (``any``, ``$not``, ``$ex``, references, ...), which
    this model does not cover."""
    network = _Network()
    root = network.nodes[0]
    reaches = [Reach("MAX_ACTIONS", len(definition), BOUNDS["MAX_ACTIONS"], "the ruleset")]
    frames: list[tuple[int, str]] = []
    slots: list[tuple[int, str]] = []
    keys: dict[str, set[str]] = {}
    for name, rule in definition.items():
        if set(rule) - {"all", "run", "pri"} or not isinstance(rule.get("all"), list):
            raise ValueError(f"rule {name!r}: not modelled (only 'all', 'run' and 'pri' are)")
        frames.append((len(rule["all"]), f"rule {name!r}"))
        for element in rule["all"]:
            alias, pattern = _single(element)
            if alias.endswith(("$not", "$all", "$any")):
                raise ValueError(f"rule {name!r}: not modelled: {alias!r}")
            origin = f"rule {name!r} pattern {alias!r}"
            network.add(root, pattern, origin).betas += 1
            slots.append((2 * _count_operators(pattern), origin))
            keys.setdefault(_tag(pattern), set()).update(_keys(pattern))
    reaches.append(_largest("MAX_MESSAGE_FRAMES", frames))
    reaches.append(_largest("MAX_SEQUENCE_EXPRESSIONS", slots))
    for limit, size in (
        ("NEXT_BUCKET_LENGTH", lambda node: len(node.tests)),
        ("NEXT_LIST_LENGTH", lambda node: len(node.forwards)),
        ("BETA_LIST_LENGTH", lambda node: node.betas),
    ):
        largest = max(network.nodes, key=size)
        reaches.append(Reach(limit, size(largest), BOUNDS[limit], largest.where()))
    peak, at = _stack_peak(root)
    reaches.append(Reach("MAX_STACK_SIZE", peak, BOUNDS["MAX_STACK_SIZE"], at.where() if peak else ""))
    sizes = [(len(names) + 1, f"facts with t == {tag!r}") for tag, names in keys.items()]  # + sid
    reaches.append(_largest("MAX_OBJECT_PROPERTIES", sizes))
    return reaches


def _stack_peak(root: _Node) -> tuple[int, _Node]:
    """The most alpha nodes pending at once while durable walks the worst fact, and the node
    whose children are being pushed then.

    Walking a fact, durable pops a node and pushes all its forwards and every child test the
    fact satisfies; the last pushed is walked first, with its siblings still pending. So a node
    that pushes ``n`` has a peak of ``max(n, n - 1 + the largest peak of what it pushes)``. A
    forward is pushed, and walked, once by every alternative that leads to it."""
    peaks: dict[int, tuple[int, _Node]] = {}
    todo: list[tuple[_Node, bool]] = [(root, False)]
    while todo:  # post-order without recursion: a chain of tests can be thousands of nodes long
        node, ready = todo.pop()
        if node.index in peaks:
            continue
        below = [*node.forwards, *node.tests.values()]
        if not ready:
            todo.append((node, True))
            todo.extend((child, False) for child in below if child.index not in peaks)
            continue
        pushed = len(node.forwards) + _most_holding(node.tested)
        deepest = max((peaks[child.index] for child in below), default=(0, node), key=lambda peak: peak[0])
        if pushed == 0:
            peaks[node.index] = (0, node)
        elif pushed - 1 + deepest[0] > pushed:
            peaks[node.index] = (pushed - 1 + deepest[0], deepest[1])
        else:
            peaks[node.index] = (pushed, node)
    return peaks[root.index]


def _most_holding(tested: list[tuple[int, str, Any]]) -> int:
    """How many of a node's child tests one fact can satisfy at once: per key, the most tests that
    hold for one integer value (keys are independent)."""
    by_key: dict[int, list[tuple[str, Any]]] = {}
    for key, symbol, value in tested:
        by_key.setdefault(key, []).append((symbol, value))
    return sum(_most_at_once(tests) for tests in by_key.values())


def _most_at_once(tests: list[tuple[str, Any]]) -> int:
    numbers = [value for _, value in tests if isinstance(value, int | float)]
    if not numbers:  # text (the type tag): one equality at most, and whatever else
        equalities = sum(symbol == "==" for symbol, _ in tests)
        return min(1, equalities) + len(tests) - equalities
    if len(numbers) < len(tests):  # text beside numbers compares loosely in durable: assume all hold
        return len(tests)
    candidates = {int(c) + step for c in numbers for step in (-1, 0, 1)} | {math.ceil(c) for c in numbers}
    return max(sum(_HOLDS[symbol](value, bound) for symbol, bound in tests) for value in candidates)


def _largest(limit: str, counts: Iterable[tuple[int, str]]) -> Reach:
    count, where = max(counts, key=lambda item: item[0], default=(0, ""))
    return Reach(limit, count, BOUNDS[limit], where)


def _single(item: Any) -> tuple[str, Any]:
    if not isinstance(item, dict) or len(item) != 1:
        raise ValueError(f"expected an object with one key, got {item!r}")
    ((key, value),) = item.items()
    return str(key), value


def _count_operators(test: Any) -> int:
    operator, body = _single(test)
    if operator in ("$and", "$or"):
        return 1 + sum(_count_operators(part) for part in body)
    return 0


def _keys(test: Any) -> set[str]:
    operator, body = _single(test)
    if operator in ("$and", "$or"):
        return {key for part in body for key in _keys(part)}
    return {_single(body)[0]} if operator in _OPERATORS else {operator}


def _tag(pattern: Any) -> str:
    """The type tag of a pattern: its ``t`` equality, at the top or first in its ``$and``."""
    operator, body = _single(pattern)
    if operator == "$and":
        operator, body = _single(body[0])
    return str(body) if operator == "t" else "?"


def _key_hash(key: str) -> int:
    """durable's hash of a property name: FNV-1a over the JSON text of the name, with C's signed
    chars (bytes above 127 are sign-extended)."""
    value = 0x811C9DC5
    for byte in json.dumps(key, ensure_ascii=False)[1:-1].encode():
        value = ((value ^ (byte | 0xFFFFFF00 if byte > 127 else byte)) * 16777619) & 0xFFFFFFFF
    return value
