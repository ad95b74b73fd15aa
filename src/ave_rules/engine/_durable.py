"""The only module that touches durable-rules: a compiled kaart run inside strict containment.

durable-rules' own Python host (``durable/engine.py``) is not used: this module drives its C core
(``durable_rules_engine``) directly, the way that host does, minus what the library never needs.
It encodes no session state (the library's actions never change it, so the text the core gives
is handed back as it came), decodes no matched facts (only the rule's name is read), keeps no
timestamps and starts no threads.

What it guards against is measured in ``tests/durable_rules`` and explained in ``docs/durable-rules.md``:

* one host for the process, with no background dispatcher; every call is synchronous;
* one lock around every use of the engine, so threads never interleave inside it;
* one fresh session per case, deleted afterwards also on failure, and never before an action
  has run in it (deleting a session in which none ran frees uninitialised memory and crashes);
  a ruleset that may have kept sessions alive is replaced long before durable-rules' limit of
  1,024 live sessions;
* every action catches its own exceptions, and every failure becomes an
  :class:`~ave_rules.errors.EngineError` that repeats no fact value; an interrupt passes through;
* a ruleset is registered once per distinct compiled plan (durable-rules can never remove one),
  under its own name.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
from collections.abc import Callable
from typing import Any

from ..errors import EngineError, EngineLimitError
from ..kaart import Regiekaart
from ._durable_ruleset import CLOSING_FACT, Effect, Encoder, Plan, compile_kaart, derived_fact
from ._outcome import CaseFacts, Outcome, conclude, current_level, decided_level, proposal_ranks, transition

NAME = "durable-rules"

#: Sessions a ruleset may have left undeleted (after failed deletes) before it is replaced.
SESSION_BUDGET = 512
#: Outcomes an engine keeps by what it found (a few hundred for a real kaart).
MAX_CONCLUDED = 4_096
#: Times a ruleset is replaced because the engine failed in it: a fresh one is a safe start, but a
#: kaart that fails every case must not register (and leak) a ruleset per case.
MAX_REPLACEMENTS = 3

_LOCK = threading.Lock()
_host: Any = None
_rulesets: dict[str, _Ruleset] = {}
_registrations = 0  # also names each ruleset


@functools.cache
def _durable() -> Any:
    """durable-rules' C core, or the reason it cannot be imported (a str). Imported on first use,
    so importing ave_rules stays cheap. The ``durable`` package around it (its Python host, which
    the library does not use) is left out: it imports nothing but ``logging``."""
    try:
        import durable_rules_engine
    except Exception as error:  # ImportError on Python 3.13; OSError or worse for a broken build
        return f"{type(error).__name__}: {error}"
    return durable_rules_engine


def registered_rulesets() -> int:
    """How many rulesets this process has registered with durable-rules: each holds its memory
    until the process ends (durable-rules never frees one)."""
    return _registrations


def available() -> bool:
    return not isinstance(_durable(), str)


def unavailable_reason() -> str:
    reason = _durable()
    return reason if isinstance(reason, str) else ""


class DurableEngine:
    """Decides cases of one kaart with durable-rules. Raises EngineLimitError (from the
    compiler) when the kaart does not fit in durable-rules."""

    name = NAME

    def __init__(self, kaart: Regiekaart) -> None:
        if not available():
            raise EngineError("engine-niet-beschikbaar", {"reden": unavailable_reason()})
        self.kaart = kaart
        plan = plan_of(kaart)
        self.encoder = Encoder(kaart, plan)
        self.ruleset = _registered(plan)
        self.tests_case, self.tests_decision = plan.tests_case, plan.tests_decision
        self.ranks = proposal_ranks(kaart)
        # Outcomes by what the engine found: many cases fire the same rules on the same level, and
        # working out the actions again is about a tenth of a new case's time.
        self._concluded: dict[tuple[frozenset[int], frozenset[int], str, str | None], Outcome] = {}

    def outcome(self, facts: CaseFacts) -> Outcome:
        """The outcome for a completed, validated case (see :func:`ave_rules.outcome.complete`)."""
        kaart = self.kaart
        current = current_level(kaart, facts)
        with self.ruleset.session() as session:
            if self.tests_case:
                session.assert_fact(self.encoder.case(facts))
            level = decided_level(kaart, self.ranks, session.fired)
            if self.tests_decision:
                change = transition(kaart, level, current)
                session.assert_fact(self.encoder.decided(facts, session.holds, level, change))
        key = (frozenset(session.fired), frozenset(session.holds), level, current)
        outcome = self._concluded.get(key)
        if outcome is None:
            derived = [kaart.derived_facts[index].id for index in session.holds]
            outcome = conclude(kaart, facts, session.fired, derived, level)
            if len(self._concluded) >= MAX_CONCLUDED:
                self._concluded.clear()
            self._concluded[key] = outcome
        return outcome


#: Compiled plans (or why a kaart has none) by the kaart's content: compiled at load, used at the
#: first case. A plan that made way is compiled again when needed (milliseconds).
_plans: dict[str, Plan | EngineLimitError] = {}
MAX_PLANS = 32


def plan_of(kaart: Regiekaart) -> Plan:
    """The compiled plan of ``kaart``; raises EngineLimitError when durable-rules cannot run it."""
    key = f"{kaart.id}\x00{kaart.content_hash}"
    known = _plans.get(key)
    if known is None:
        try:
            known = compile_kaart(kaart)
        except EngineLimitError as limit:
            known = limit
        with _LOCK:
            if len(_plans) >= MAX_PLANS:
                del _plans[next(iter(_plans))]
            _plans[key] = known
    if isinstance(known, EngineLimitError):
        raise EngineLimitError(known.problem) from None
    return known


def _registered(plan: Plan) -> _Ruleset:
    key = plan.digest
    with _LOCK:
        if key not in _rulesets:
            _rulesets[key] = _Ruleset(plan)
        return _rulesets[key]


class _Session:
    """What the actions of one case found: the kaart rules that fired, the derived facts."""

    def __init__(self, ruleset: _Ruleset) -> None:
        self.ruleset = ruleset
        self.sid = ""
        self.fired: set[int] = set()
        self.holds: set[int] = set()
        self.refuted: set[int] = set()
        self.failure: BaseException | None = None
        self.started = False
        self.actions = 0

    def __enter__(self) -> _Session:
        _LOCK.acquire()
        try:
            self.sid = self.ruleset._open()
        except BaseException:
            _LOCK.release()
            raise
        self.ruleset.current = self
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.ruleset.current = None
            if self.started:
                self.ruleset._close(self)
        finally:
            _LOCK.release()

    def assert_fact(self, fact: str) -> None:
        self.started = True
        try:
            _host.assert_fact(self.ruleset.name, self.sid, fact)
        except Exception as error:
            self.ruleset.failed = True  # the engine itself failed: use a fresh ruleset next time
            raise _engine_error(error) from None
        if self.failure is not None:
            raise _engine_error(self.failure) from self.failure


class _Ruleset:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.current: _Session | None = None
        self.sids = itertools.count(1)
        self.replacements = 0
        self._register()

    def _register(self) -> None:
        global _host, _registrations
        if _host is None:
            _host = _Host(_durable())
        _registrations += 1
        self.name = f"ave_rules_{_registrations}"
        self.undeleted = 0
        self.failed = False
        _host.register_rulesets({self.name: self.plan.definition(self._action)})

    def session(self) -> _Session:
        """A fresh session, to use in a ``with``: it holds the lock and is closed at its end."""
        return _Session(self)

    def _open(self) -> str:
        """The id of a new session (called holding the lock)."""
        if self.undeleted >= SESSION_BUDGET:
            self._register()  # a fresh ruleset has all its session slots free
        elif self.failed and self.replacements < MAX_REPLACEMENTS:
            self.replacements += 1
            self._register()
        return str(next(self.sids))

    def _close(self, session: _Session) -> None:
        try:
            if not session.actions:
                _host.assert_fact(self.name, session.sid, CLOSING_FACT)
            _host.delete_state(self.name, session.sid)
        except Exception:
            self.undeleted += 1

    def _action(self, effect: Effect) -> Callable[[Any], None]:
        step = _Step(effect)

        def run(c: Any) -> None:
            session = self.current
            if session is None:  # pragma: no cover - actions run only inside session()
                return
            session.actions += 1
            if session.failure is not None:
                return
            try:
                _apply(step, session, c)
            except BaseException as error:  # durable-rules would swallow it; report it after the call
                session.failure = error

        return run


class _Step:
    """What an action does (its rule's :class:`Effect`), with the facts it may assert written once."""

    __slots__ = ("asserted", "holds", "refuted", "refutes", "rule")

    def __init__(self, effect: Effect) -> None:
        self.rule, self.holds, self.refutes = effect.rule, effect.holds, effect.refutes
        self.asserted = {derived: derived_fact(derived, holds=True) for derived in effect.asserts}
        self.refuted = derived_fact(effect.refutes, holds=False) if effect.refutes is not None else ""


def _apply(step: _Step, session: _Session, c: Any) -> None:
    if step.rule is not None:
        session.fired.add(step.rule)
    for derived in step.holds:
        if derived not in session.holds:
            session.holds.add(derived)
            if derived in step.asserted:
                c.assert_fact(step.asserted[derived])
    if step.refutes is not None and step.refutes not in session.refuted:
        session.refuted.add(step.refutes)
        c.assert_fact(step.refuted)


def _engine_error(error: BaseException) -> BaseException:
    if not isinstance(error, Exception):
        return error  # KeyboardInterrupt, SystemExit: not ours to translate
    # durable-rules' messages can contain the asserted fact; keep only its kind and error code.
    code = re.search(r"error code: (\d+)", str(error))
    detail = type(error).__name__ + (f", code {code.group(1)}" if code else "")
    return EngineError("engine-fout", {"detail": detail})


class _Context:
    """What an action may do in its session: assert one more fact, which the core queues."""

    __slots__ = ("_core", "_handle", "_sid")

    def __init__(self, core: Any, handle: int, sid: str) -> None:
        self._core, self._handle, self._sid = core, handle, sid

    def assert_fact(self, fact: str) -> None:
        _asserted(self._core.assert_fact(self._handle, _with_sid(fact, self._sid)))


#: What the core's assert_fact reports besides success (``rules.h``): no rule tests the fact (it
#: is not stored), or the same fact is already in the session.
_NOT_HANDLED, _OBSERVED = 1, 2


class _Host:
    """durable-rules' C core, driven synchronously: what ``durable.engine.Host`` does for a
    synchronous caller, without its dispatcher threads, its JSON round trips of the session state
    and the matched facts, or its clock readings.

    ``assert_fact`` runs every action the fact sets off, and every action those set off, before it
    returns. An exception from an action abandons it and passes to the caller."""

    def __init__(self, core: Any) -> None:
        self._core = core
        self._handles: dict[str, int] = {}
        self._actions: dict[str, dict[str, Callable[[Any], None]]] = {}

    def register_rulesets(self, definitions: dict[str, dict[str, dict[str, Any]]]) -> None:
        for name, rules in definitions.items():
            actions = {rule: definition.pop("run") for rule, definition in rules.items()}
            self._handles[name] = self._core.create_ruleset(name, json.dumps(rules))
            self._actions[name] = actions

    def assert_fact(self, name: str, sid: str, fact: str) -> None:
        """``fact``: a JSON object as :class:`Encoder` writes it, without its session."""
        core, handle, actions = self._core, self._handles[name], self._actions[name]
        state = _asserted(core.assert_fact(handle, _with_sid(fact, sid)))
        if state is None:
            return  # no rule tests this fact's values, so nothing fires
        started = core.start_action_for_state(handle, state)
        if started is None:
            return
        message = started[1]  # [0], the session state: no action reads or changes it, so it is
        context = _Context(core, handle, sid)  # never handed back (update_state)
        while message is not None:
            try:
                # The core writes {"<rule>":{...}}; the compiler's rule names need no escaping.
                actions[message[2 : message.index('"', 2)]](context)
                message = core.complete_and_start_action(handle, state)
            except BaseException:
                core.abandon_action(handle, state)
                raise

    def delete_state(self, name: str, sid: str) -> None:
        self._core.delete_state(self._handles[name], sid)

    def get_state(self, name: str, sid: str) -> dict[str, Any]:
        state: dict[str, Any] = json.loads(self._core.get_state(self._handles[name], sid))
        return state


def _asserted(result: tuple[int, int]) -> int | None:
    """The session the core's ``assert_fact`` stored a fact in; None when no rule tests it."""
    code, state = result
    if code == _OBSERVED:
        raise RuntimeError("a fact was asserted twice in one session")
    return None if code == _NOT_HANDLED else state


def _with_sid(fact: str, sid: str) -> str:
    """JSON object ``fact`` with the session's id as its first key (a number: no escaping)."""
    return '{"sid":"' + sid + '",' + fact[1:]
