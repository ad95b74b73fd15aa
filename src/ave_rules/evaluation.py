"""Evaluating cases against a loaded kaart: choose the engine, validate the facts, decide.

Decisions are deterministic and immutable, so they are cached twice, both bounded:

* by the facts exactly as given (names, value types and values), checked before validation, so
  a repeated case costs one lookup;
* by the completed case in the engine's terms, so the same case written differently (another
  key order, a set in another order) is decided once.

Only facts that passed validation ever enter a cache: a key that matches was valid.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import lru_cache, partial
from typing import Any

from . import durable_engine
from .case_facts import FactProblem, FactsError, validated
from .decision import Decision, DecisionBuilder
from .durable_ruleset import EngineLimitError
from .errors import EngineError, EngineWarning
from .messages import render
from .model import Regiekaart
from .outcome import CaseFacts, Outcome, complete
from .reference import evaluate as reference_evaluate

REFERENCE = "reference"
DURABLE = durable_engine.NAME
AUTO = "auto"
ENGINES = (AUTO, DURABLE, REFERENCE)

#: Entries per cache (see the module docstring); measured in docs/performance.md.
CACHE_SIZE = 8_192

Key = tuple[tuple[Any, ...], tuple[str, ...]]


def check_engine_choice(engine: str) -> None:
    """Raise at once for an engine name that does not exist, or durable-rules where it cannot run."""
    if engine not in ENGINES:
        raise ValueError(render("engine-onbekend", {"gevonden": repr(engine), "bekend": ", ".join(ENGINES)}))
    if engine == DURABLE and not durable_engine.available():
        raise EngineError("engine-niet-beschikbaar", {"reden": durable_engine.unavailable_reason()})


class Evaluator:
    """Decides cases for one kaart; one is created per kaart, on first use."""

    def __init__(self, kaart: Regiekaart, engine: str = AUTO) -> None:
        self.kaart = kaart
        self.engine, self.outcome = _engine(kaart, engine)
        self._builder = DecisionBuilder(kaart, self.engine)
        self._decide = lru_cache(maxsize=CACHE_SIZE)(self._decide_uncached)
        self._seen: dict[Hashable, Decision] = {}
        self._seen_lock = threading.Lock()

    def evaluate(self, facts: Mapping[str, Any]) -> Decision:
        key = _as_given(facts)
        if key is not None:
            known = self._seen.get(key)
            if known is not None:
                return known
        given = validated(self.kaart, facts)
        full, defaulted = complete(self.kaart, given)
        values = tuple(tuple(sorted(value)) if isinstance(value, frozenset) else value for value in full.values())
        decision = self._decide((values, defaulted))
        if key is not None:
            self._remember(key, decision)
        return decision

    def evaluate_many(self, cases: Iterable[Mapping[str, Any]]) -> list[Decision]:
        decisions = []
        for index, facts in enumerate(cases):
            try:
                decisions.append(self.evaluate(facts))
            except FactsError as error:
                raise FactsError(
                    [FactProblem(p.code, _in_case(index, p.path), p.params) for p in error.problems]
                ) from None
        return decisions

    def _remember(self, key: Hashable, decision: Decision) -> None:
        with self._seen_lock:
            if len(self._seen) >= CACHE_SIZE:
                del self._seen[next(iter(self._seen))]  # the oldest entry
            self._seen[key] = decision

    def _decide_uncached(self, key: Key) -> Decision:
        values, defaulted = key
        facts = {
            fact.id: frozenset(value) if isinstance(value, tuple) else value
            for fact, value in zip(self.kaart.facts, values, strict=True)
        }
        return self._builder.build(self.outcome(facts), defaulted)


def _engine(kaart: Regiekaart, choice: str) -> tuple[str, Callable[[CaseFacts], Outcome]]:
    check_engine_choice(choice)
    reference = (REFERENCE, partial(reference_evaluate, kaart))
    if choice == REFERENCE:
        return reference
    if not durable_engine.available():
        _warn_once("engine-niet-beschikbaar", {"reden": durable_engine.unavailable_reason()})
        return reference
    try:
        return DURABLE, durable_engine.DurableEngine(kaart).outcome
    except EngineLimitError as limit:
        params = {"id": kaart.id, "reden": limit.reason}
        if choice == DURABLE:
            raise EngineError("engine-te-groot", params) from None
        _warn_once("engine-te-groot", params)
        return reference


_warned: set[str] = set()


def _warn_once(code: str, params: dict[str, str]) -> None:
    message = render(code, params)
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, EngineWarning, stacklevel=5)


_TRUE, _FALSE = object(), object()  # booleans in a key: never equal to 1, 0 or anything else


def _as_given(facts: Any) -> Hashable | None:
    """The facts exactly as given, hashable, for a plain dict of text, booleans and lists of text.

    Only text keeps its own value in the key, so ``True`` and ``1`` never meet; anything else (a
    Mapping subclass, numbers, lists of other things) takes the validating path every time."""
    if type(facts) is not dict:
        return None
    key: list[Any] = []
    for name, value in facts.items():
        kind = type(value)
        if type(name) is not str:
            return None
        if kind is str:
            key += (name, value)
        elif kind is bool:
            key += (name, _TRUE if value else _FALSE)
        elif kind is list or kind is tuple:
            for item in value:
                if type(item) is not str:
                    return None
            key += (name, tuple(value))
        else:
            return None
    return tuple(key)


def _in_case(index: int, path: str) -> str:
    return f"{index}/{path}" if path else str(index)
