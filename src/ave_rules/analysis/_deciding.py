"""Deciding the distinct cases of a case load: by the kaart's decision diagrams, or by its engine.

A kaart's level is a Boolean function of the case for each level (``_symbolic``); for a case
load, those functions are read off as plain tables and walked for each distinct case, which
takes microseconds where the engine takes about a millisecond. Everything in the load follows
from the level (the roles are the level's). The diagrams are built independently of the
engine, so a random sample of the cases (fixed seed) is also decided by the engine in the same
run, and any disagreement is an error (CrossCheckError): a wrong number is never reported.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .._messages import render
from ..engine import complete
from ..errors import CrossCheckError
from ..kaart import BooleanFact, Regiekaart, SetFact
from ._case_files import CaseCounts
from ._coding import CaseCoding

BDD, ENGINE = "bdd", "engine"
DECIDERS = (BDD, ENGINE)
#: Cases of a load decided by both the diagrams and the engine.
SAMPLE = 1_000
SAMPLE_SEED = 20261203
#: Diagrams larger than this (nodes) are not used for a case load: the engine decides.
MAX_BDD_NODES = 2_000_000
#: How often (in distinct cases) deciding reports its progress.
PROGRESS_EVERY = 1 << 14

#: Progress: (stage "read" or "decide", done, of how many: distinct cases so far when reading).
Progress = Callable[[str, int, int], None]


class LevelDecider(Protocol):
    """Gives the level of a checked case (its facts as given)."""

    @property
    def name(self) -> str: ...

    def level(self, facts: Mapping[str, Any]) -> str: ...


DeciderFactory = Callable[[Regiekaart], LevelDecider]


class EngineLevels:
    """The kaart's own engine (as loaded: durable-rules or the reference evaluator)."""

    def __init__(self, kaart: Regiekaart) -> None:
        self.kaart = kaart
        self.name = kaart.evaluate({}).engine  # every fact defaulted: always a valid case

    def level(self, facts: Mapping[str, Any]) -> str:
        return self.kaart.evaluate(facts).level


class _BddTooLarge(Exception):
    def __init__(self, nodes: int) -> None:
        super().__init__(nodes)
        self.nodes = nodes


_TRUE, _FALSE = -1, -2  # the ends of one level's diagram
_Raw = list[tuple[str, int, int, int]]  # (variable, its place in the order, node if false, if true)
_Table = list[tuple[str, int, int]]  # (variable, node if false, node if true); below 0: -(1 + level)


class BddLevels:
    """The kaart's level functions as one table, walked for each case: each node tests one
    variable, and the walk ends at the case's level after at most one test per variable."""

    name = BDD

    def __init__(self, kaart: Regiekaart) -> None:
        from ._symbolic import SymbolicKaart

        symbolic = SymbolicKaart(kaart)
        decided = symbolic.level
        if len(symbolic.bdd) > MAX_BDD_NODES:
            raise _BddTooLarge(len(symbolic.bdd))
        self.kaart = kaart
        # highest first: the functions are disjoint, and the lowest level holds where none else does
        self._order = tuple(reversed(kaart.level_ids))
        raw: _Raw = []
        memo: dict[tuple[int, bool], int] = {}
        roots = tuple(self._compile(decided[level], False, memo, raw) for level in self._order)
        self._table: _Table = []
        self._root = self._join(roots, raw, {})
        space = symbolic.space
        self._bits: list[tuple[str, str, list[str], dict[Any, int]]] = []
        for fact in kaart.facts:
            kind = "bool" if isinstance(fact, BooleanFact) else "set" if isinstance(fact, SetFact) else "one"
            values = fact.values if isinstance(fact, SetFact) else space.values(fact.id)
            positions = {value: position for position, value in enumerate(values)}
            self._bits.append((fact.id, kind, space.bits[fact.id], positions))

    def _compile(self, function: Any, parity: bool, memo: dict[tuple[int, bool], int], raw: _Raw) -> int:
        """One diagram of ``dd`` as plain tuples (a node of ``dd`` may stand negated)."""
        negated = function.negated ^ parity
        if function.var is None:
            return _FALSE if negated else _TRUE
        key = (abs(function.node), negated)
        if key not in memo:
            low = self._compile(function.low, negated, memo, raw)
            high = self._compile(function.high, negated, memo, raw)
            raw.append((function.var, function.level, low, high))
            memo[key] = len(raw) - 1
        return memo[key]

    def _join(self, state: tuple[int, ...], raw: _Raw, memo: dict[tuple[int, ...], int]) -> int:
        """The levels' diagrams walked together: ``state`` holds a node of each (highest level
        first); the first that holds decides, so those after it are dropped."""
        for position, node in enumerate(state):
            if node == _TRUE:
                return -1 - position
            if node != _FALSE:
                break
        else:
            raise AssertionError("unreachable: the lowest level holds where no other does")  # pragma: no cover
        if _TRUE in state:
            state = state[: state.index(_TRUE) + 1]
        if state not in memo:
            top = min(raw[node][1] for node in state if node >= 0)
            var = next(raw[node][0] for node in state if node >= 0 and raw[node][1] == top)
            low = self._join(tuple(raw[n][2] if n >= 0 and raw[n][1] == top else n for n in state), raw, memo)
            high = self._join(tuple(raw[n][3] if n >= 0 and raw[n][1] == top else n for n in state), raw, memo)
            if low == high:
                memo[state] = low
                return low
            self._table.append((var, low, high))
            if len(self._table) > MAX_BDD_NODES:
                raise _BddTooLarge(len(self._table))
            memo[state] = len(self._table) - 1
        return memo[state]

    def level(self, facts: Mapping[str, Any]) -> str:
        full, _ = complete(self.kaart, facts)
        point: dict[str, bool] = {}
        for fact_id, kind, names, positions in self._bits:
            bits = self._bits_of(kind, positions, full[fact_id])
            for bit, name in enumerate(names):
                point[name] = bool(bits >> bit & 1)
        table, node = self._table, self._root
        while node >= 0:
            name, low, high = table[node]
            node = high if point[name] else low
        return self._order[-1 - node]

    def for_coding(self, coding: CaseCoding) -> Callable[[int], str]:
        """The level of a case from its number in ``coding``, without building its facts: each
        variable of the diagrams is read as a bit of its fact's digit."""
        where: dict[str, tuple[int, int]] = {}  # variable -> (position of its fact's digit, bit)
        # per digit of the coding: the bits of the kaart's variables for each digit (a list), or for
        # a set fact (members in the same order in both) the default's bits: the digit less one
        translate: list[list[int] | int | None] = []
        own_bits = {entry[0]: entry for entry in self._bits}
        for position, (fact_id, kind, options, _, _) in enumerate(coding.digits):
            if fact_id not in own_bits:
                translate.append(None)
                continue
            _, _, names, positions = own_bits[fact_id]
            for bit, name in enumerate(names):
                where[name] = (position, bit)
            default = self._bits_of(kind, positions, self.kaart.defaults[fact_id])
            if kind == "set":
                if list(positions) != list(options):
                    raise AssertionError("a set fact's members in another order")  # pragma: no cover
                translate.append(default)
            else:
                translate.append([default] + [self._bits_of(kind, positions, option) for option in options])
        # each node reads its fact's digit straight from the case's number: most facts are never read
        table: list[tuple[int, int, list[int] | int | None, int, int, int]] = []
        for name, low, high in self._table:
            position, bit = where[name]
            _, kind, options, _, weight = coding.digits[position]
            radix = 1 + (1 << len(options) if kind == "set" else len(options))
            table.append((weight, radix, translate[position], bit, low, high))
        order, root = self._order, self._root

        def level(code: int) -> str:
            node = root
            while node >= 0:
                weight, radix, values, bit, low, high = table[node]
                digit = code // weight % radix
                bits = (digit - 1 if digit else values) if type(values) is int else values[digit]  # type: ignore[index]
                node = high if bits >> bit & 1 else low
            return order[-1 - node]

        return level

    @staticmethod
    def _bits_of(kind: str, positions: Mapping[Any, int], value: Any) -> int:
        """A value as the bits of its fact's variables (a set: a bit per member)."""
        if kind == "bool":
            return int(bool(value))
        if kind == "set":
            return sum(1 << positions[member] for member in value)
        return positions[value]


@dataclass(frozen=True)
class Choice:
    """What decides a kaart's cases, and why not the diagrams (None if they decide)."""

    decider: LevelDecider
    fallback: str | None = None


def choose(kaart: Regiekaart, decider: str | DeciderFactory) -> Choice:
    if callable(decider):
        return Choice(decider(kaart))
    if decider not in DECIDERS:
        raise ValueError(
            render("simulatie-beslisser-onbekend", {"gevonden": repr(decider), "bekend": ", ".join(DECIDERS)})
        )
    if decider == ENGINE:
        return Choice(EngineLevels(kaart))
    try:
        return Choice(BddLevels(kaart))
    except _BddTooLarge as too_large:
        reason = render("simulatie-bdd-te-groot", {"knopen": str(too_large.nodes), "grens": str(MAX_BDD_NODES)})
    except RecursionError:
        reason = render("simulatie-bdd-te-diep", {})
    return Choice(EngineLevels(kaart), reason)


@dataclass(frozen=True)
class Decided:
    """Per combination of levels (one per kaart): how many rows of the load get it."""

    joint: Mapping[tuple[str, ...], int]
    levels: Mapping[int, tuple[str, ...]] | None  # per case number, when asked for
    cross_checked: int  # distinct cases decided by the engine too
    checked_against: tuple[str | None, ...]  # per kaart: the engine that cross-checked, or None


def decide(
    kaarten: Sequence[Regiekaart],
    choices: Sequence[Choice],
    cases: CaseCounts,
    *,
    sample: int = SAMPLE,
    progress: Progress | None = None,
    keep: bool = False,
) -> Decided:
    """Decide every distinct case of ``cases`` once for each kaart; cross-check a sample with the
    kaart's engine wherever something else decided."""
    deciders = [choice.decider for choice in choices]
    checking = [i for i, decider in enumerate(deciders) if not isinstance(decider, EngineLevels)]
    picked = set(random.Random(SAMPLE_SEED).sample(range(cases.distinct), min(sample, cases.distinct)))  # noqa: S311
    if not checking:
        picked = set()
    joint: dict[tuple[str, ...], int] = {}
    kept: dict[int, tuple[str, ...]] = {}
    to_check: list[tuple[dict[str, Any], tuple[str, ...]]] = []
    known = [kaart.fact_by_id for kaart in kaarten]
    coded = [_coded(decider, own, cases.coding) for decider, own in zip(deciders, known, strict=True)]
    decode = cases.coding.decode
    for index, (code, count) in enumerate(cases.counts.items()):
        levels = tuple(level(code) for level in coded)
        joint[levels] = joint.get(levels, 0) + count
        if keep:
            kept[code] = levels
        if index in picked:
            to_check.append((decode(code), levels))
        if progress is not None and (index + 1) % PROGRESS_EVERY == 0:
            progress("decide", index + 1, cases.distinct)
    against = tuple(EngineLevels(kaarten[i]) for i in checking)
    mismatches = []
    for facts, levels in to_check:
        for position, engine in zip(checking, against, strict=True):
            expected = engine.level({name: value for name, value in facts.items() if name in known[position]})
            if levels[position] != expected:
                mismatches.append((position, engine.name, levels[position], expected))
    if mismatches:
        position, engine_name, got, expected = mismatches[0]
        params = {
            "id": kaarten[position].id,
            "versie": kaarten[position].version,
            "aantal": str(len(mismatches)),
            "getoetst": str(len(to_check)),
            "beslisser": deciders[position].name,
            "engine": engine_name,
            "niveau": got,
            "verwacht": expected,
        }
        raise CrossCheckError("simulatie-kruiscontrole", params)
    names = {position: engine.name for position, engine in zip(checking, against, strict=True)}
    return Decided(joint, kept if keep else None, len(to_check), tuple(names.get(i) for i in range(len(deciders))))


def _coded(decider: LevelDecider, known: Collection[str], coding: CaseCoding) -> Callable[[int], str]:
    """The decider as a function of a case's number (each kaart gets the facts it knows)."""
    fast = getattr(decider, "for_coding", None)
    if fast is not None:
        return fast(coding)  # type: ignore[no-any-return]
    decode = coding.decode

    def level(code: int) -> str:
        return decider.level({name: value for name, value in decode(code).items() if name in known})

    return level
