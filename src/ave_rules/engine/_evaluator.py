"""Evaluating cases against a loaded kaart: choose the engine, validate the facts, decide.

Decisions are deterministic and immutable, so they are cached, every cache bounded:

* by the facts exactly as given (names, value types and values), checked before validation, so
  a repeated case costs one lookup;
* what the engine found, by the completed case, so the same case written differently (another
  key order, a set in another order) is decided once;
* the decision, by what the engine found, the facts that were defaulted and the peildatum: many
  different cases come to the same outcome, and then share one decision.

Only facts that passed validation ever enter a cache: a key that matches was valid.
"""

from __future__ import annotations

import datetime
import threading
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import partial
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from .._messages import Params, render, type_phrase
from .._terms import ENGINES, TIME_ZONE
from ..errors import EngineError, EngineLimitError, EngineWarning, FactProblem, FactsError, PeildatumError
from ..kaart import FIRST_DAY, LAST_DAY, DeciderFactory, Decision, Regiekaart
from . import _durable as durable_engine
from ._decisions import DecisionBuilder
from ._facts import FactChecker
from ._outcome import CaseFacts, Outcome
from ._reference import reference_outcome

AUTO, DURABLE, REFERENCE = ENGINES

#: Entries per cache (see the module docstring); measured in docs/performance.md.
CACHE_SIZE = 8_192
V = TypeVar("V")


def reference_date(on: object) -> datetime.date:
    """The peildatum of a case: ``on``, or today in Europe/Amsterdam. Raises PeildatumError for
    anything but a date from 1900 to 9998 (a date-time is not a date: its day depends on a zone)."""
    if on is None:
        return datetime.datetime.now(ZoneInfo(TIME_ZONE)).date()
    if type(on) is not datetime.date:
        raise PeildatumError("peildatum-geen-datum", {"soort": type_phrase(on)})
    if not FIRST_DAY <= on <= LAST_DAY:
        raise PeildatumError("peildatum-buiten-bereik", {"van": FIRST_DAY.isoformat(), "tot": LAST_DAY.isoformat()})
    return on


def check_engine_choice(engine: str) -> None:
    """Raise at once for an engine name that does not exist, or durable-rules where it cannot run."""
    if engine not in ENGINES:
        raise ValueError(render("engine-onbekend", {"gevonden": repr(engine), "bekend": ", ".join(ENGINES)}))
    if engine == DURABLE and not durable_engine.available():
        raise EngineError("engine-niet-beschikbaar", {"reden": durable_engine.unavailable_reason()})


def deciders(engine: str) -> DeciderFactory:
    """What gives each kaart loaded with ``engine`` its :class:`Evaluator`; checks ``engine`` first."""
    check_engine_choice(engine)
    return partial(Evaluator, engine=engine)


def prepare(kaart: Regiekaart, engine: str) -> None:
    """Decide at load, before any case, whether durable-rules can run ``kaart``: its plan is
    compiled (and kept for the first case) and held to durable-rules' limits. Raises
    EngineLimitError for ``engine="durable-rules"``; with ``"auto"`` says once that the reference
    evaluator will decide."""
    check_engine_choice(engine)
    if engine != REFERENCE and durable_engine.available():
        try:
            durable_engine.plan_of(kaart)
        except EngineLimitError as limit:
            if engine == DURABLE:
                raise
            _warn_once("engine-te-groot", {"id": kaart.id, "reden": str(limit)})


class Evaluator:
    """Decides cases for one kaart (its :class:`~ave_rules.kaart.Decider`); one is created per
    kaart, on first use.

    With ``engine="auto"``, a case durable-rules fails to decide (which its limits, checked at
    load, should rule out) is decided by the reference evaluator, and so is every later case of
    this kaart, with one warning: a valid case is never refused because of the engine."""

    def __init__(self, kaart: Regiekaart, engine: str = AUTO) -> None:
        self.kaart = kaart
        self._choice = engine
        self.engine, self.outcome = _engine(kaart, engine)
        self._builders = {self.engine: DecisionBuilder(kaart, self.engine)}
        self._checker = FactChecker(kaart)
        self._as_given: _Cache[Decision] = _Cache()  # by the facts as given, and the day
        self._outcomes: _Cache[tuple[str, Outcome]] = _Cache()  # by the completed case: engine, outcome
        self._decisions: _Cache[Decision] = _Cache()  # by engine and outcome, the defaulted facts, the day

    def evaluate(self, facts: Mapping[str, object], on: datetime.date | None = None) -> Decision:
        day = reference_date(on)
        given_key = _as_given(facts)
        if given_key is not None:
            known = self._as_given.get((given_key, day))
            if known is not None:
                return known
        full, defaulted = self._checker.completed(facts)
        case_key = tuple(full.values())  # a set fact's value is a frozenset
        decided = self._outcomes.get(case_key)
        if decided is None:
            decided = self._decide(full)
            self._outcomes.put(case_key, decided)
        decision_key = (decided, defaulted, day)
        decision = self._decisions.get(decision_key)
        if decision is None:
            engine, outcome = decided
            decision = self._builders[engine].build(outcome, defaulted, day)
            self._decisions.put(decision_key, decision)
        if given_key is not None:
            self._as_given.put((given_key, day), decision)
        return decision

    def _decide(self, full: CaseFacts) -> tuple[str, Outcome]:
        engine, outcome = self.engine, self.outcome
        try:
            found = outcome(full)
        except EngineError as failure:
            if self._choice != AUTO or engine != DURABLE:
                raise
            _warn_once("engine-faalt", {"id": self.kaart.id, "detail": str(failure.params.get("detail", ""))})
            engine, outcome = REFERENCE, partial(reference_outcome, self.kaart)
            self.engine, self.outcome = engine, outcome
            self._builders.setdefault(engine, DecisionBuilder(self.kaart, engine))
            found = outcome(full)
        return engine, found

    def evaluate_many(self, cases: Iterable[Mapping[str, object]], on: datetime.date | None = None) -> list[Decision]:
        day = reference_date(on)
        decisions = []
        for index, facts in enumerate(cases):
            try:
                decisions.append(self.evaluate(facts, day))
            except FactsError as error:
                raise FactsError(
                    [FactProblem(p.code, _in_case(index, p.path), p.params) for p in error.problems]
                ) from None
        return decisions


class _Cache(Generic[V]):
    """At most CACHE_SIZE entries; the oldest entry makes way for a new one."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        return self._entries.get(key)

    def put(self, key: Hashable, decision: V) -> None:
        with self._lock:
            if len(self._entries) >= CACHE_SIZE:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = decision


def _engine(kaart: Regiekaart, choice: str) -> tuple[str, Callable[[CaseFacts], Outcome]]:
    check_engine_choice(choice)
    reference = (REFERENCE, partial(reference_outcome, kaart))
    if choice == REFERENCE:
        return reference
    if not durable_engine.available():
        _warn_once("engine-niet-beschikbaar", {"reden": durable_engine.unavailable_reason()})
        return reference
    try:
        return DURABLE, durable_engine.DurableEngine(kaart).outcome
    except EngineLimitError as limit:  # prepare() said so at load already, once
        if choice == DURABLE:
            raise
        _warn_once("engine-te-groot", {"id": kaart.id, "reden": str(limit)})
        return reference


_warned: set[str] = set()


def _warn_once(code: str, params: Params) -> None:
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
    append = key.append
    for name, value in facts.items():
        kind = type(value)
        if type(name) is not str:
            return None
        append(name)
        if kind is str:
            append(value)
        elif kind is bool:
            append(_TRUE if value else _FALSE)
        elif kind is list or kind is tuple:
            for item in value:
                if type(item) is not str:
                    return None
            append(tuple(value))
        else:
            return None
    return tuple(key)


def _in_case(index: int, path: str) -> str:
    return f"{index}/{path}" if path else str(index)
