"""What durable-rules actually does, pinned down before the containment layer is written.

The project runs durable-rules (``import durable``) behind one small module. Each test here pins
one sharp edge of durable-rules 2.0.28 as measured on this machine: what the containment layer
relies on, or what it must work around. The assertions are exact on purpose. When a new
durable-rules release changes a behaviour, the test for it fails. Then re-read its docstring and
decide whether the containment layer still holds.

Read with ``docs/durable-rules.md``. Background measurements: ``durable-rules-notes.md`` (A.2 to A.4).

Conventions used throughout:
- ``SyncHost`` is ``engine.Host`` with its background dispatcher disabled, the way the containment
  layer will use it;
- every test builds its own host and registers rulesets under unique names (``unique_name``),
  because a registered ruleset can never be removed;
- things that loop forever or can crash the interpreter run in a subprocess only.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Any ImportError, not just a missing module: on Python 3.13 the C extension can build and then fail
# to load (undefined symbol PyEval_CallObject). Equivalent to pytest.importorskip("durable",
# exc_type=ImportError), which needs pytest >= 8.2.
try:
    import durable_rules_engine  # the C extension, installed with durable
    from durable import engine, lang
except ImportError as error:
    pytest.skip(f"durable-rules cannot be imported: {error}", allow_module_level=True)

Action = Callable[[Any], None]
Rules = dict[str, dict[str, Any]]

# Keys durable itself puts in every session state dict.
STATE_KEYS = frozenset({"sid", "id", "$s"})
_counter = itertools.count()


class SyncHost(engine.Host):  # type: ignore[misc]
    """``engine.Host`` with ``_run`` overridden: no ``threading.Timer`` dispatcher loops."""

    def _run(self) -> None:
        pass


def unique_name(prefix: str) -> str:
    return f"{prefix}_{next(_counter)}"


def register(host: engine.Host, rules: Rules, prefix: str = "rs") -> str:
    """Register ``rules`` (JSON format, callables as ``run``) under a fresh name; return the name."""
    name = unique_name(prefix)
    host.register_rulesets({name: rules})
    return name


def flag(key: str) -> Action:
    """An action that sets ``c.s[key] = True``."""

    def action(c: Any) -> None:
        c.s[key] = True

    return action


def flags(state: dict[str, Any]) -> list[str]:
    """The keys the actions wrote into a returned state (durable's own keys left out)."""
    return sorted(k for k in state if k not in STATE_KEYS)


def outcome(host: engine.Host, name: str, fact: dict[str, Any]) -> list[str] | str:
    """The flags set by asserting ``fact``, or the name of the exception it raised."""
    try:
        state = host.assert_fact(name, fact)
    except Exception as error:
        return type(error).__name__
    return flags(state)


def as_set(facts: list[dict[str, Any]]) -> set[str]:
    """Facts as a set (``get_facts`` returns them in no fixed order)."""
    return {json.dumps(fact, sort_keys=True) for fact in facts}


def run_python(body: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``SUBPROCESS_PRELUDE`` + ``body`` in a fresh interpreter (the one running the tests)."""
    return subprocess.run(
        [sys.executable, "-c", SUBPROCESS_PRELUDE + textwrap.dedent(body)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def json_lines(stdout: str) -> dict[str, Any]:
    """Merge the JSON object lines a subprocess printed, one step per line."""
    merged: dict[str, Any] = {}
    for line in stdout.splitlines():
        if line.startswith("{"):
            merged.update(json.loads(line))
    return merged


# Prelude shared by the subprocess scripts: the same synchronous host as in this module.
SUBPROCESS_PRELUDE = """
import json, os, sys, threading
from durable import engine

class SyncHost(engine.Host):
    def _run(self):
        pass

def say(**kw):
    print(json.dumps(kw), flush=True)
"""


# ---------------------------------------------------------------------------------------------
# 1. The synchronous host
# ---------------------------------------------------------------------------------------------


def test_sync_host_has_no_threads_and_runs_the_whole_chain_before_returning() -> None:
    """The containment layer evaluates a case with one ``assert_fact`` call on a ``Host`` subclass
    whose ``_run`` does nothing. It relies on two things.

    First, the override really stops the dispatcher. ``engine.Host.__init__`` calls ``_run``, which
    starts two self-rearming ``threading.Timer`` loops (``dispatch_ruleset``, ``dispatch_timers``).
    They pick up pending actions of any session and race with synchronous calls (notes A.3 #16: 3
    of 20,000 results came back ``None``). If a release renames the hook, the override silently
    stops working. The subprocess check below shows the two threads a plain ``Host`` starts.

    Second, ``assert_fact`` runs every chained action (``c.assert_fact`` inside actions) in the
    calling thread before it returns the session state dict. So the returned dict is the complete
    result of the case.
    """
    before = set(threading.enumerate())
    host = SyncHost()
    log: list[tuple[str, int]] = []

    def derive(c: Any) -> None:
        log.append(("derive", threading.get_ident()))
        c.assert_fact({"t": "risk", "v": "high"})

    def candidate(c: Any) -> None:
        log.append(("candidate", threading.get_ident()))
        c.assert_fact({"t": "cand", "level": 4})

    def decide(c: Any) -> None:
        log.append(("decide", threading.get_ident()))
        c.s.level = c.m.level

    name = register(
        host,
        {
            "derive": {"all": [{"m": {"t": "case"}}], "run": derive},
            "candidate": {"all": [{"m": {"$and": [{"t": "risk"}, {"v": "high"}]}}], "run": candidate},
            "decide": {"all": [{"m": {"t": "cand"}}], "run": decide},
        },
    )
    state = host.assert_fact(name, {"sid": "c1", "t": "case"})
    after = set(threading.enumerate())

    assert after == before, f"new threads: {after - before}"
    assert state == {"sid": "c1", "id": "sid-c1", "$s": 1, "level": 4}
    assert [step for step, _ in log] == ["derive", "candidate", "decide"]
    assert {ident for _, ident in log} == {threading.get_ident()}
    assert host.get_state(name, "c1") == state
    assert as_set(host.get_facts(name, "c1")) == as_set(
        [{"sid": "c1", "t": "case"}, {"t": "risk", "v": "high", "sid": "c1"}, {"t": "cand", "level": 4, "sid": "c1"}]
    )

    # The contrast, in a subprocess so the plain Host's timers do not outlive this test.
    result = run_python(
        """
        start = threading.active_count()
        SyncHost()
        sync = threading.active_count() - start
        engine.Host()
        say(sync_host_threads=sync, plain_host_threads=threading.active_count() - start - sync)
        """,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert json_lines(result.stdout) == {"sync_host_threads": 0, "plain_host_threads": 2}


def test_assert_returns_none_when_the_fact_is_accepted_but_no_action_runs() -> None:
    """``assert_fact`` does not always return the state dict. If the fact matches some pattern (so
    no ``MessageNotHandledException``) but no rule completes, for example the first half of a
    join, the call returns ``None``. The state still exists (``get_state``). The containment layer
    must read results with ``get_state`` (or treat ``None`` as "nothing fired"), not index the
    return value.
    """
    host = SyncHost()
    name = register(
        host,
        {"join": {"all": [{"a": {"t": "a"}}, {"b": {"t": "b"}}], "run": flag("joined")}},
    )
    assert host.assert_fact(name, {"sid": "1", "t": "a"}) is None
    assert host.get_state(name, "1") == {"sid": "1", "id": "sid-1", "$s": 1}
    assert host.assert_fact(name, {"sid": "1", "t": "b"}) == {"sid": "1", "id": "sid-1", "$s": 1, "joined": True}


# ---------------------------------------------------------------------------------------------
# 2. and 3. Sessions: one sid per case, delete afterwards; the live-session limit
# ---------------------------------------------------------------------------------------------


def test_3000_sequential_sessions_with_delete_state_and_309_after_delete() -> None:
    """The isolation scheme: every case gets its own sid, and the session is deleted once its
    result is read. That keeps the number of live sessions at one, far below the hard limit of
    1,024 (next test). This runs 3,000 cases, three times the limit, with correct results. After
    ``delete_state`` the session is really gone: ``get_state`` raises the C extension's ``error``
    with code 309 (SID not found).
    """
    host = SyncHost()

    def derive(c: Any) -> None:
        c.assert_fact({"t": "big"})

    name = register(
        host,
        {
            "seen": {"all": [{"m": {"t": "case"}}], "run": flag("seen")},
            "derive": {"all": [{"m": {"$and": [{"t": "case"}, {"$gte": {"n": 5}}]}}], "run": derive},
            "big": {"all": [{"m": {"t": "big"}}], "run": flag("big")},
        },
    )
    results = []
    for i in range(3000):
        sid = f"case-{i}"
        state = host.assert_fact(name, {"sid": sid, "t": "case", "n": i % 10})
        results.append((state["sid"], flags(state)))
        host.delete_state(name, sid)

    assert results == [(f"case-{i}", ["big", "seen"] if i % 10 >= 5 else ["seen"]) for i in range(3000)]
    for sid in ("case-0", "case-2999"):
        with pytest.raises(durable_rules_engine.error) as raised:
            host.get_state(name, sid)
        assert str(raised.value) == "Could not get state, error code: 309"


def test_live_session_limit_is_1024_per_ruleset_in_a_subprocess() -> None:
    """``MAX_STATE_INDEX_LENGTH 1024`` (``rete.h``). One ruleset holds at most 1,024 live
    (undeleted) sessions. A new sid beyond that raises ``MemoryError``. The notes saw that error
    followed by a segfault from the dispatcher's timer thread (A.3 #1), so this runs in a
    subprocess only.

    Observed with a ``SyncHost`` (no timer thread):
    - ruleset ``a``: sids 1 to 1,024 work, the 1,025th raises ``MemoryError``;
    - the limit is per ruleset: ``b`` on the same host then still takes 1,024 sessions;
    - it counts live sessions: after deleting one, a new sid works again;
    - after an overflow, deleting one session does *not* free a slot (notes A.3 #1 (c)). A
      containment layer must never reach the limit. It is not a recoverable error;
    - without the dispatcher the process exits normally (return code 0). The notes' segfault
      needed the timer thread.
    """
    result = run_python(
        """
        host = SyncHost()
        rule = lambda: {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}
        host.register_rulesets({"a": rule(), "b": rule()})

        ok = 0
        try:
            for i in range(1100):
                host.assert_fact("a", {"sid": f"a{i}", "x": 1})
                ok += 1
        except MemoryError:
            say(a_live_sessions_before_memoryerror=ok)

        for i in range(1024):
            host.assert_fact("b", {"sid": f"b{i}", "x": 1})
        say(b_filled=1024)
        host.delete_state("b", "b0")
        host.assert_fact("b", {"sid": "b-replacement", "x": 1})
        say(b_new_sid_after_delete="ok")
        try:
            host.assert_fact("b", {"sid": "b-one-too-many", "x": 1})
            say(b_1025th_live="ok")
        except MemoryError:
            say(b_1025th_live="MemoryError")
        host.delete_state("b", "b1")
        try:
            host.assert_fact("b", {"sid": "b-after-overflow", "x": 1})
            say(b_after_overflow_and_delete="ok")
        except MemoryError:
            say(b_after_overflow_and_delete="MemoryError")
        say(done=True)
        """,
        timeout=60,
    )
    assert json_lines(result.stdout) == {
        "a_live_sessions_before_memoryerror": 1024,
        "b_filled": 1024,
        "b_new_sid_after_delete": "ok",
        "b_1025th_live": "MemoryError",
        "b_after_overflow_and_delete": "MemoryError",
        "done": True,
    }, result.stderr
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("first_fact", ["handled_without_action", "not_handled"])
def test_deleting_a_session_in_which_no_action_ran_crashes_in_a_subprocess(first_fact: str) -> None:
    """``createState`` (``state.c``) never initialises a new session's action context
    (``context.messages``, ``context.stateFact``); only running an action sets them, and
    finishing it frees them and sets them to NULL. ``deleteStateNode`` frees both pointers. So
    deleting a session in which no action ever ran frees uninitialised memory: the process dies
    from a signal (SIGSEGV, or SIGABRT when the allocator notices the bad pointer first; which one
    depends on what else the process has allocated), whether its fact was stored (it matched half of a join) or not handled at all.
    This was found by the engine's property test, not by the notes.

    The containment layer therefore makes sure an action has run before it deletes a session: it
    asserts a closing fact whose rule does nothing. The second half shows that this keeps 3,000
    such sessions safe.
    """
    crash = run_python(
        f"""
        host = SyncHost()
        host.register_rulesets({{"r": {{
            "hit": {{"all": [{{"m": {{"$and": [{{"t": "n"}}, {{"$gte": {{"x": 2}}}}]}}}}], "run": lambda c: None}},
            "half": {{"all": [{{"a": {{"t": "n"}}}}, {{"b": {{"t": "never"}}}}], "run": lambda c: None}},
        }}}})
        fact = {{"t": "n", "x": 0, "sid": "1"}} if "{first_fact}" == "handled_without_action" else {{"t": "?", "sid": "1"}}
        try:
            say(returned=host.assert_fact("r", fact))
        except engine.MessageNotHandledException:
            say(returned="MessageNotHandledException")
        host.delete_state("r", "1")
        say(deleted=True)
        """
    )
    expected = None if first_fact == "handled_without_action" else "MessageNotHandledException"
    assert json_lines(crash.stdout) == {"returned": expected}, crash.stderr
    assert crash.returncode in (-signal.SIGSEGV, -signal.SIGABRT), crash.stderr

    workaround = run_python(
        """
        host = SyncHost()
        host.register_rulesets({"r": {
            "hit": {"all": [{"m": {"$and": [{"t": "n"}, {"$gte": {"x": 2}}]}}], "run": lambda c: None},
            "closing": {"all": [{"z": {"t": "z"}}], "run": lambda c: None},
        }})
        for i in range(3000):
            try:
                host.assert_fact("r", {"t": "n", "x": i % 4, "sid": str(i)})
            except engine.MessageNotHandledException:
                pass
            host.assert_fact("r", {"t": "z", "sid": str(i)})
            host.delete_state("r", str(i))
        say(sessions=3000)
        """
    )
    assert json_lines(workaround.stdout) == {"sessions": 3000}, workaround.stderr
    assert workaround.returncode == 0


# ---------------------------------------------------------------------------------------------
# 4. Unmatched facts and exceptions in actions
# ---------------------------------------------------------------------------------------------


def test_unmatched_fact_raises_at_top_level_but_is_swallowed_inside_actions() -> None:
    """A fact that no rule pattern matches:

    - at top level, ``assert_fact`` raises ``MessageNotHandledException``. The fact is not stored,
      but the (empty) session state is created, so the caller must still ``delete_state``;
    - inside an action, ``c.assert_fact`` raises the same exception into the action. ``Promise.run``
      catches it (``except BaseException``) and writes a string into ``state['exception']``. The
      rest of that action is skipped. The caller gets a normal return, and other activations
      still run. The string starts with ``"exception caught "`` followed by ``str(error)``, which
      for this exception is the fact dict. The class name appears only inside the traceback text.

    This silently dropped 1,149 of 20,000 benchmark results (notes A.3 #4). The containment layer
    must wrap every ``c.assert_fact`` in ``try/except MessageNotHandledException``, or compile
    rules so that every derived fact is matched, and treat any ``exception`` key as a failed
    evaluation.
    """
    host = SyncHost()

    def derive_unmatched(c: Any) -> None:
        c.s.before = 1
        c.assert_fact({"t": "nobody-matches-this"})
        c.s.after = 1  # never reached

    name = register(
        host,
        {
            "derive": {"all": [{"m": {"t": "case"}}], "run": derive_unmatched},
            "other": {"all": [{"m": {"t": "case"}}], "run": flag("other")},
        },
    )

    with pytest.raises(engine.MessageNotHandledException) as raised:
        host.assert_fact(name, {"sid": "top", "t": "unknown"})
    assert raised.value.message == 'Could not handle message: {"sid": "top", "t": "unknown"}'
    assert host.get_state(name, "top") == {"sid": "top", "id": "sid-top", "$s": 1}
    assert host.get_facts(name, "top") == []

    state = host.assert_fact(name, {"sid": "inner", "t": "case"})
    assert flags(state) == ["before", "exception", "other"]
    message = state["exception"]
    assert message.startswith("exception caught {'t': 'nobody-matches-this', 'sid': 'inner'}, traceback [")
    assert "raise MessageNotHandledException(message)" in message
    assert host.get_facts(name, "inner") == [{"sid": "inner", "t": "case"}]


@pytest.mark.parametrize(
    ("raised", "text"),
    [
        (ValueError("boom"), "exception caught boom, traceback ["),
        (SystemExit(3), "exception caught 3, traceback ["),
        (KeyboardInterrupt(), "exception caught , traceback ["),
    ],
    ids=["ValueError", "SystemExit", "KeyboardInterrupt"],
)
def test_any_exception_in_an_action_ends_up_as_a_string_in_the_state(raised: BaseException, text: str) -> None:
    """``Promise.run`` catches ``BaseException`` around every action. Errors in actions never reach
    the caller, and neither do ``SystemExit`` and ``KeyboardInterrupt`` (Ctrl-C during an action is
    swallowed). The call returns normally. Writes to ``c.s`` made before the error are kept, and
    the error is a string in ``state['exception']``. The type name is not in the string. The
    containment layer must check for the ``exception`` key after every call and turn it into its
    own error. It cannot rely on Python exceptions.
    """
    host = SyncHost()

    def action(c: Any) -> None:
        c.s.before = 1
        raise raised

    name = register(host, {"r": {"all": [{"m": {"t": "case"}}], "run": action}})
    state = host.assert_fact(name, {"sid": "1", "t": "case"})
    assert flags(state) == ["before", "exception"]
    assert state["exception"].startswith(text)


# ---------------------------------------------------------------------------------------------
# 5. Fact identity
# ---------------------------------------------------------------------------------------------


def test_same_fact_twice_in_one_sid_raises_message_observed() -> None:
    """A fact's identity is its content (key order does not matter) within one session. Asserting
    it again in the same sid raises ``MessageObservedException``. The same content in another sid,
    or in the same sid after ``delete_state``, is fine. With one fresh sid per case this only
    bites when the ruleset derives the same fact twice (see the ``when_any`` test). Note that
    identity is a 32-bit hash (notes A.3 #6), so "observed" can also be a collision.
    """
    host = SyncHost()
    name = register(host, {"r": {"all": [{"m": {"t": "case"}}], "run": flag("hit")}})
    fact = {"sid": "1", "t": "case", "a": 1, "b": 2}

    assert flags(host.assert_fact(name, fact)) == ["hit"]
    with pytest.raises(engine.MessageObservedException) as raised:
        host.assert_fact(name, dict(fact))
    assert raised.value.message == 'Message has already been observed: {"sid": "1", "t": "case", "a": 1, "b": 2}'
    with pytest.raises(engine.MessageObservedException):
        host.assert_fact(name, {"b": 2, "a": 1, "t": "case", "sid": "1"})

    assert flags(host.assert_fact(name, dict(fact, sid="2"))) == ["hit"]
    host.delete_state(name, "1")
    assert flags(host.assert_fact(name, dict(fact))) == ["hit"]


# ---------------------------------------------------------------------------------------------
# 6. to 8. Rule semantics: when_any / $or, none(), no truth maintenance
# ---------------------------------------------------------------------------------------------


def test_when_any_and_or_fire_once_per_true_branch() -> None:
    """``when_any`` (JSON ``"any"``) with both alternatives true on one fact fires the action twice.
    So does a single pattern ``{"$or": [...]}`` whose branches test *different* keys. An ``$or`` of
    equalities on one key (the compiler's ``is_een_van``) can have only one true branch and fires
    once. If both firings derive the same fact, the second ``c.assert_fact`` raises
    ``MessageObservedException`` inside the action, which ends up in ``state['exception']``. The
    containment layer must make derivations idempotent (or guard them) and must not count firings.
    """
    host = SyncHost()
    log: list[str] = []

    def derive(c: Any) -> None:
        log.append("any")
        c.assert_fact({"t": "derived"})

    name = register(
        host,
        {
            "any": {"any": [{"a": {"p": 1}}, {"b": {"q": 1}}], "run": derive},
            "or_keys": {"all": [{"m": {"$or": [{"p": 1}, {"q": 1}]}}], "run": lambda c: log.append("or_keys")},
            "or_values": {
                "all": [{"m": {"$or": [{"p": 1}, {"p": 2}]}}],
                "run": lambda c: log.append("or_values"),
            },
            "use": {"all": [{"m": {"t": "derived"}}], "run": flag("derived_used")},
        },
    )

    state = host.assert_fact(name, {"sid": "both", "p": 1, "q": 1})
    assert sorted(log) == ["any", "any", "or_keys", "or_keys", "or_values"]
    assert flags(state) == ["derived_used", "exception"]
    assert state["exception"].startswith("exception caught {'t': 'derived', 'sid': 'both'}")
    assert "raise MessageObservedException(message)" in state["exception"]

    log.clear()
    state = host.assert_fact(name, {"sid": "one", "p": 1, "q": 0})
    assert sorted(log) == ["any", "or_keys", "or_values"]
    assert flags(state) == ["derived_used"]


def test_none_is_not_rechecked_for_queued_activations() -> None:
    """``none(...)`` (JSON ``"<alias>$not"``) is evaluated only when the activation is created. The
    activation is not cancelled when the excluded fact arrives later, even before it runs:

    - in rule definition order (``safety_high`` first), ``safety_high`` asserts
      ``derived=urgent``, then ``no_urgent`` still fires;
    - worse, with ``pri`` making ``no_urgent`` run last, it fires even after ``got_urgent`` has
      already fired on the excluded fact;
    - only when the excluded fact is in the session *before* the positive fact does ``none``
      hold back (separate calls, or an ``assert_facts`` batch with that order). So the result
      depends on fact order.

    All of this was deterministic in repeated runs, so it is asserted exactly. The containment
    layer must not compile ``niet`` over derived facts to ``none()`` within one pass. It must
    evaluate strata separately (derive first, then assert the facts that negations test).
    """
    host = SyncHost()
    log: list[str] = []

    def safety_high(c: Any) -> None:
        log.append("safety_high")
        c.assert_fact({"derived": "urgent"})

    def rules(pri: bool) -> Rules:
        r: Rules = {
            "safety_high": {"all": [{"m": {"safety": "high"}}], "run": safety_high},
            "no_urgent": {
                "all": [{"m": {"case": "x"}}, {"u$not": {"derived": "urgent"}}],
                "run": lambda c: log.append("no_urgent"),
            },
            "got_urgent": {"all": [{"m": {"derived": "urgent"}}], "run": lambda c: log.append("got_urgent")},
        }
        if pri:
            r["safety_high"]["pri"] = 1
            r["no_urgent"]["pri"] = 5
        return r

    name = register(host, rules(pri=False))
    host.assert_fact(name, {"sid": "1", "case": "x", "safety": "high"})
    assert log == ["safety_high", "no_urgent", "got_urgent"]

    log.clear()
    name = register(host, rules(pri=True))
    host.assert_fact(name, {"sid": "1", "case": "x", "safety": "high"})
    assert log == ["safety_high", "got_urgent", "no_urgent"]

    # The excluded fact first: none() holds back.
    log.clear()
    name = register(host, rules(pri=False))
    host.assert_fact(name, {"sid": "2", "derived": "urgent"})
    host.assert_fact(name, {"sid": "2", "case": "x"})
    assert log == ["got_urgent"]

    # One batch, two orders.
    log.clear()
    host.assert_facts(name, [{"sid": "3", "derived": "urgent"}, {"sid": "3", "case": "x"}])
    assert log == ["got_urgent"]
    log.clear()
    host.assert_facts(name, [{"sid": "4", "case": "x"}, {"sid": "4", "derived": "urgent"}])
    assert sorted(log) == ["got_urgent", "no_urgent"]


def test_no_truth_maintenance_retract_keeps_derived_facts() -> None:
    """Retracting a base fact leaves the facts derived from it in the session, and state written by
    actions stays too. Nothing is undone. The containment layer treats a session as write-once:
    assert the case, read the result, delete the session. It never retracts to "update" a case.
    """
    host = SyncHost()

    def derive(c: Any) -> None:
        c.s.derived = True
        c.assert_fact({"t": "derived", "v": "urgent"})

    name = register(
        host,
        {
            "derive": {"all": [{"m": {"safety": "high"}}], "run": derive},
            "use": {"all": [{"m": {"t": "derived"}}], "run": flag("used")},
        },
    )
    base = {"sid": "1", "safety": "high"}
    host.assert_fact(name, base)
    derived = {"t": "derived", "v": "urgent", "sid": "1"}
    assert as_set(host.get_facts(name, "1")) == as_set([derived, base])

    host.retract_fact(name, dict(base))
    assert host.get_facts(name, "1") == [derived]
    assert flags(host.get_state(name, "1")) == ["derived", "used"]


# ---------------------------------------------------------------------------------------------
# 9. and 10. Comparisons: loose typing, missing keys
# ---------------------------------------------------------------------------------------------


def test_comparisons_coerce_types_and_string_vs_number_is_undefined() -> None:
    """Comparisons in the C engine mix types (``reduceProperties`` in ``events.c``). Observed in the
    shape the compiler emits (``$and`` with a type tag), and deterministic:

    - numbers: ``3.0`` matches ``n == 3``; ``True`` does not match ``n == 3`` (it is 1);
    - booleans: ``1``, ``1.0`` and ``'true'`` match ``b == True``; ``'1'`` and ``2`` do not;
    - a string against a number is compared as *text* against the number's decimal rendering
      (``strncmp``): ``'3'``, ``'4'``, ``'30'`` and even ``'x'`` satisfy ``n >= 3``, but ``'10'``
      does not, and ``'30'`` is not ``== 3``.

    ``'3' == 3`` itself is **undefined**. For an integer constant in a rule, ``reduceOperand`` never
    sets ``valueLength``, so the ``strncmp`` length is whatever the previous comparison left in that
    stack slot. Observed: after the pattern compares ``t`` with ``'c'`` (length 1), ``'3'`` matches
    ``n == 3``. After it compares ``t`` with ``'case'`` (length 4), ``'3'`` does not. The notes'
    "``'3'`` matches ``== 3``" was one such outcome.

    So the containment layer must validate and encode every value itself (ordinals and choices as
    Python ``int`` indices, booleans as ``0``/``1``) and pass nothing else. With ints only,
    comparisons are exact (last block).
    """
    host = SyncHost()
    name = register(
        host,
        {
            "eq3": {"all": [{"m": {"$and": [{"t": "case"}, {"n": 3}]}}], "run": flag("eq3")},
            "gte3": {"all": [{"m": {"$and": [{"t": "case"}, {"$gte": {"n": 3}}]}}], "run": flag("gte3")},
            "btrue": {"all": [{"m": {"$and": [{"t": "case"}, {"b": True}]}}], "run": flag("btrue")},
        },
    )
    sids = itertools.count()

    def probe(key: str, value: Any) -> list[str] | str:
        return outcome(host, name, {"sid": str(next(sids)), "t": "case", key: value})

    not_handled = "MessageNotHandledException"
    numbers = [(v, probe("n", v)) for v in [3, 3.0, 4, True, None, 2.9999999]]
    assert numbers == [
        (3, ["eq3", "gte3"]),
        (3.0, ["eq3", "gte3"]),
        (4, ["gte3"]),
        (True, not_handled),
        (None, not_handled),
        (2.9999999, not_handled),
    ]
    assert [type(v) for v, _ in numbers] == [int, float, int, bool, type(None), float]
    texts = {v: probe("n", v) for v in ["3", "4", "30", "x", "10", "2"]}
    assert texts == {"3": ["gte3"], "4": ["gte3"], "30": ["gte3"], "x": ["gte3"], "10": not_handled, "2": not_handled}
    booleans = [(v, probe("b", v)) for v in [True, 1, 1.0, "true", "1", 2, 0, False]]
    assert booleans == [
        (True, ["btrue"]),
        (1, ["btrue"]),
        (1.0, ["btrue"]),
        ("true", ["btrue"]),
        ("1", not_handled),
        (2, not_handled),
        (0, not_handled),
        (False, not_handled),
    ]

    # '3' == 3 depends on the length of the string compared just before it.
    def string_three_matches(tag: str) -> list[bool]:
        tagged = register(host, {"eq3": {"all": [{"m": {"$and": [{"t": tag}, {"n": 3}]}}], "run": flag("eq3")}})
        return [outcome(host, tagged, {"sid": str(i), "t": tag, "n": "3"}) == ["eq3"] for i in range(3)]

    assert string_three_matches("c") == [True, True, True]
    assert string_three_matches("case") == [False, False, False]

    # Integer encodings only: exact.
    assert [probe("n", v) for v in range(6)] == [not_handled] * 3 + [["eq3", "gte3"], ["gte3"], ["gte3"]]
    assert [probe("b", v) for v in (1, 0)] == [["btrue"], not_handled]


def test_missing_key_makes_every_comparison_false_even_not_equal() -> None:
    """A condition on a key the fact does not have is false, with no error. Even ``b != 1``
    (``$neq``) does not fire when ``b`` is missing, and not when ``b`` is ``None``. Only ``$nex``
    (``-m.b``) sees a missing key, and ``$ex`` treats ``None`` as present. The containment layer
    must fill in every declared fact (defaults included) before asserting, so that "not equal"
    means what the kaart says.
    """
    host = SyncHost()
    name = register(
        host,
        {
            "seen": {"all": [{"m": {"t": "case"}}], "run": flag("seen")},
            "neq1": {"all": [{"m": {"$and": [{"t": "case"}, {"$neq": {"b": 1}}]}}], "run": flag("neq1")},
            "nex": {"all": [{"m": {"$and": [{"t": "case"}, {"$nex": {"b": 1}}]}}], "run": flag("nex")},
            "ex": {"all": [{"m": {"$and": [{"t": "case"}, {"$ex": {"b": 1}}]}}], "run": flag("ex")},
        },
    )
    assert outcome(host, name, {"sid": "missing", "t": "case"}) == ["nex", "seen"]
    assert outcome(host, name, {"sid": "none", "t": "case", "b": None}) == ["ex", "seen"]
    assert outcome(host, name, {"sid": "two", "t": "case", "b": 2}) == ["ex", "neq1", "seen"]
    assert outcome(host, name, {"sid": "one", "t": "case", "b": 1}) == ["ex", "seen"]


# ---------------------------------------------------------------------------------------------
# 11. Rulesets: names, hosts, the definition dict
# ---------------------------------------------------------------------------------------------


def test_ruleset_names_cannot_be_reused_on_a_host_but_a_second_host_is_independent() -> None:
    """There is no unregister or replace. Registering a name again on the same host raises, and
    the old ruleset keeps working. A second ``Host`` can register the same name with other rules,
    and each host evaluates its own. A new kaart version therefore goes into a fresh host or under
    a versioned name. Hosts and rulesets are never freed, so create them once per process, not
    per case.

    Also: ``register_rulesets`` *mutates* the definition it is given. It removes every rule's
    ``run`` key, so registering the same dict again fails with ``KeyError: 'run'``. The compiler
    must hand durable a fresh copy each time.
    """
    name = unique_name("shared")

    def definition(level: int) -> dict[str, Rules]:
        def action(c: Any) -> None:
            c.s.level = level

        return {name: {"r": {"all": [{"m": {"t": "case"}}], "run": action}}}

    first = SyncHost()
    first.register_rulesets(definition(1))
    with pytest.raises(Exception, match=rf"^Ruleset with name {name} already registered$"):
        first.register_rulesets(definition(2))
    assert first.assert_fact(name, {"sid": "a", "t": "case"})["level"] == 1

    second = SyncHost()
    assert second.register_rulesets(definition(2)) == [name]
    assert second.assert_fact(name, {"sid": "a", "t": "case"})["level"] == 2
    assert first.assert_fact(name, {"sid": "b", "t": "case"})["level"] == 1

    assert sorted(a for a in dir(engine.Host) if "ruleset" in a.lower()) == [
        "get_ruleset",
        "load_ruleset",
        "register_rulesets",
        "save_ruleset",
        "set_rulesets",
    ]

    given = definition(3)
    pristine = copy.deepcopy(given)
    SyncHost().register_rulesets(given)
    assert "run" in pristine[name]["r"]
    assert given == {name: {"r": {"all": [{"m": {"t": "case"}}]}}}
    with pytest.raises(KeyError, match="run"):
        SyncHost().register_rulesets(given)
    SyncHost().register_rulesets(copy.deepcopy(pristine))  # a fresh copy registers fine


# ---------------------------------------------------------------------------------------------
# 12. Size limits
# ---------------------------------------------------------------------------------------------


def test_a_fact_holds_at_most_253_properties_including_sid() -> None:
    """``MAX_OBJECT_PROPERTIES 255`` minus internal ones. A fact may have 253 properties, counting
    ``sid``. With 254 the C engine refuses it with error 302. A fact without ``sid`` gets one added
    by the engine, so 253 own keys fail too. Properties of nested objects count toward the same
    limit (the nested object's key included). The containment layer's case facts are flat and far
    smaller, but a kaart with very many facts per case must be split over several facts.
    """
    host = SyncHost()
    name = register(host, {"r": {"all": [{"m": {"k0": 0}}], "run": flag("hit")}})

    def keys(count: int) -> dict[str, int]:
        return {f"k{i}": i for i in range(count)}

    def refused(fact: dict[str, Any]) -> str:
        with pytest.raises(durable_rules_engine.error) as raised:
            host.assert_fact(name, fact)
        return str(raised.value)

    assert flags(host.assert_fact(name, {"sid": "253", **keys(252)})) == ["hit"]
    assert refused({"sid": "254", **keys(253)}) == "Could not assert fact, error code: 302"
    assert refused(keys(253)) == "Could not assert fact, error code: 302"
    assert flags(host.assert_fact(name, keys(252))) == ["hit"]

    nested = {"sid": "n250", "k0": 0, "nested": keys(250)}
    assert flags(host.assert_fact(name, nested)) == ["hit"]
    assert refused({"sid": "n251", "k0": 0, "nested": keys(251)}) == "Could not assert fact, error code: 302"


# ---------------------------------------------------------------------------------------------
# 13. Threads
# ---------------------------------------------------------------------------------------------


def test_threads_with_a_lock_on_one_sync_host_match_sequential_results() -> None:
    """The C extension never releases the GIL: its shared object imports neither
    ``PyEval_SaveThread`` (what ``Py_BEGIN_ALLOW_THREADS`` expands to) nor ``PyGILState_Ensure``.
    Threads therefore give no parallelism (use processes for that), but they are safe on one
    ``SyncHost`` when each assert plus delete runs under a ``threading.Lock``. The containment
    layer does exactly that. Here 4 threads of 500 cases each produce exactly the results of
    sequential evaluation, with no extra threads left behind.
    """
    shared_object = Path(durable_rules_engine.__file__).read_bytes()
    assert b"PyEval_SaveThread" not in shared_object
    assert b"PyGILState_Ensure" not in shared_object

    host = SyncHost()

    def derive(t: str) -> Action:
        def action(c: Any) -> None:
            with contextlib.suppress(engine.MessageNotHandledException):
                c.assert_fact({"t": t})

        return action

    def level(value: int) -> Action:
        def action(c: Any) -> None:
            c.s.level = max(c.s.level or 0, value)

        return action

    name = register(
        host,
        {
            "base": {"all": [{"m": {"t": "case"}}], "run": level(1)},
            "big": {"all": [{"m": {"$and": [{"t": "case"}, {"$gte": {"n": 5}}]}}], "run": derive("big")},
            "flag": {"all": [{"m": {"$and": [{"t": "case"}, {"f": 1}]}}], "run": derive("flagged")},
            "big_level": {"all": [{"m": {"t": "big"}}], "run": level(2)},
            "both": {"all": [{"a": {"t": "big"}}, {"b": {"t": "flagged"}}], "run": level(3)},
        },
    )
    cases = [{"n": i % 10, "f": (i // 10) % 2} for i in range(2000)]
    lock = threading.Lock()

    def evaluate(sid: str, case: dict[str, int]) -> int:
        with lock:
            state = host.assert_fact(name, {"sid": sid, "t": "case", **case})
            host.delete_state(name, sid)
        return int(state["level"])

    sequential = [evaluate(f"seq-{i}", case) for i, case in enumerate(cases)]
    assert sequential == [3 if c["n"] >= 5 and c["f"] else 2 if c["n"] >= 5 else 1 for c in cases]

    threaded: list[int | None] = [None] * len(cases)
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for i in range(k, len(cases), 4):
                threaded[i] = evaluate(f"thr-{i}", cases[i])
        except BaseException as error:  # reported below
            errors.append(error)

    before = set(threading.enumerate())
    workers = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in workers)
    assert errors == []
    assert threaded == sequential
    assert set(threading.enumerate()) == before


# ---------------------------------------------------------------------------------------------
# 14. A lone negative pattern loops
# ---------------------------------------------------------------------------------------------


def test_lone_nex_pattern_loops_forever_in_a_subprocess() -> None:
    """``-m.c`` alone (JSON ``{"m": {"$nex": {"c": 1}}}``) matches the session *state object*
    (``{"sid", "id", "$s"}``), which is rewritten after every action. So the rule fires again and
    again and ``assert_fact`` never returns. Only in a subprocess: the action stops the process at
    firing 1,001. A control in the same process shows that with a positive condition
    (``(m.kind == 'case') & -m.c``) it fires once. The compiler must never emit a pattern that
    consists only of ``$nex`` tests.
    """
    result = run_python(
        """
        host = SyncHost()
        count = [0]
        first = []

        def control(c):
            count[0] += 1
            if count[0] > 1:
                os._exit(5)

        host.register_rulesets({"ctl": {"r": {
            "all": [{"m": {"$and": [{"kind": "case"}, {"$nex": {"c": 1}}]}}], "run": control}}})
        host.assert_fact("ctl", {"sid": "1", "kind": "case"})
        say(control_firings=count[0])

        count[0] = 0

        def loop(c):
            count[0] += 1
            if count[0] == 1:
                first.append(dict(c.m._d))
            if count[0] > 1000:
                say(loop_firings=count[0], first_match=first[0])
                os._exit(42)

        host.register_rulesets({"loop": {"r": {"all": [{"m": {"$nex": {"c": 1}}}], "run": loop}}})
        state = host.assert_fact("loop", {"sid": "1", "a": 1})
        say(returned=state, loop_firings=count[0])
        """,
        timeout=30,
    )
    assert json_lines(result.stdout) == {
        "control_firings": 1,
        "loop_firings": 1001,
        "first_match": {"sid": "1", "id": "sid-1", "$s": 1},
    }, result.stderr
    assert result.returncode == 42, result.stderr


# ---------------------------------------------------------------------------------------------
# The JSON ruleset format the compiler will emit
# ---------------------------------------------------------------------------------------------


def test_json_ruleset_format_or_gte_cross_fact_join_named_action_and_pri() -> None:
    """The project's compiler emits JSON rulesets, not the DSL. Confirmed syntax:

    - a rule is ``{"all": [{alias: pattern}, ...], "run": callable | "action name", "pri": n}``;
    - equality ``{key: value}``; ``{"$gte": {key: value}}`` (also ``$gt $lt $lte $neq``);
      ``{"$and": [...]}``; ``{"$or": [...]}`` (an ``$or`` of equalities on one key is "one of");
    - a cross-fact comparison puts ``{alias: key}`` where the value goes, referring to an earlier
      pattern's alias: ``{"second": {"$and": [{"t": "b"}, {"x": {"first": "x"}}]}}`` is
      ``second.x == first.x``, and ``{"$gt": {"x": {"first": "x"}}}`` is ``second.x > first.x``;
      arithmetic is ``{"$add": {"$l": {"first": "x"}, "$r": 1}}``. Consequence: a dict is never a
      literal value. ``{"x": {"first": "x"}}`` is always read as a reference;
    - the join works whichever fact arrives first;
    - ``run`` as a string is resolved through ``Host.get_action(name)``, so a compiled ruleset can
      be pure JSON;
    - in an action, a one-pattern rule's fact is ``c.m``; a join's facts are ``c.<alias>``.

    The DSL (``lang``) compiles to exactly this JSON, which is checked at the end.
    """
    log: list[Any] = []

    class NamedHost(SyncHost):
        def get_action(self, action_name: str) -> Action:
            if action_name == "mark_named":
                return flag("named")
            return super().get_action(action_name)  # type: ignore[no-any-return]

    def record(tag: str) -> Action:
        def action(c: Any) -> None:
            if c.m is not None:
                log.append((tag, c.m.v))
            else:
                log.append((tag, c.first.x, c.second.x))

        return action

    join_eq = [{"first": {"t": "a"}}, {"second": {"$and": [{"t": "b"}, {"x": {"first": "x"}}]}}]
    join_gt = [{"first": {"t": "a"}}, {"second": {"$and": [{"t": "b"}, {"$gt": {"x": {"first": "x"}}}]}}]
    join_plus_one = [
        {"first": {"t": "a"}},
        {"second": {"$and": [{"t": "b"}, {"x": {"$add": {"$l": {"first": "x"}, "$r": 1}}}]}},
    ]
    rules: Rules = {
        "one_of": {
            "all": [{"m": {"$and": [{"t": "case"}, {"$or": [{"safety": "high"}, {"safety": "acute"}]}]}}],
            "run": record("one_of"),
            "pri": 1,
        },
        "gte": {"all": [{"m": {"$and": [{"t": "case"}, {"$gte": {"domains": 3}}]}}], "run": record("gte")},
        "join_eq": {"all": join_eq, "run": record("join_eq")},
        "join_gt": {"all": join_gt, "run": record("join_gt")},
        "join_plus_one": {"all": join_plus_one, "run": record("join_plus_one")},
        "named": {"all": [{"m": {"t": "named"}}], "run": "mark_named"},
    }
    host = NamedHost()
    name = register(host, rules)

    def run(sid: str, *facts: dict[str, Any]) -> Any:
        log.clear()
        try:
            return host.assert_facts(name, [{"sid": sid, **f} for f in facts])
        except engine.MessageNotHandledException:
            return "not handled"

    run("c1", {"t": "case", "safety": "acute", "domains": 3, "v": 1})
    assert log == [("gte", 1), ("one_of", 1)]  # defined second, but pri 1 runs after the default 0
    assert run("c2", {"t": "case", "safety": "medium", "domains": 2, "v": 2}) == "not handled"
    assert log == []
    run("c3", {"t": "case", "safety": "high", "domains": 9, "v": 3})
    assert log == [("gte", 3), ("one_of", 3)]

    run("j1", {"t": "a", "x": 5}, {"t": "b", "x": 5})
    assert log == [("join_eq", 5, 5)]
    run("j2", {"t": "b", "x": 5}, {"t": "a", "x": 5})
    assert log == [("join_eq", 5, 5)]
    run("j3", {"t": "a", "x": 5}, {"t": "b", "x": 6})
    assert sorted(log) == [("join_gt", 5, 6), ("join_plus_one", 5, 6)]
    assert run("j4", {"t": "a", "x": 5}, {"t": "b", "x": 4}) is None
    assert log == []

    assert flags(run("n1", {"t": "named"})) == ["named"]

    # The DSL produces the same JSON (compiled with ``define()``, never registered on lang's
    # global host, which would start dispatcher threads).
    dsl_name = unique_name("dsl")
    m, c = lang.m, lang.c

    def noop(_: Any) -> None:
        pass

    with lang.ruleset(dsl_name):
        lang.when_all(c.first << (m.t == "a"), c.second << (m.t == "b") & (m.x == c.first.x))(noop)
        lang.when_all(c.first << (m.t == "a"), c.second << (m.t == "b") & (m.x > c.first.x))(noop)
        lang.when_all(m.case == "x", lang.none(m.derived == "urgent"))(noop)

    _, compiled = lang._rulesets.pop(dsl_name).define()
    assert {key: rule["all"] for key, rule in compiled.items()} == {
        "r_0": join_eq,
        "r_1": join_gt,
        "r_2": [{"m_0": {"case": "x"}}, {"m_1$not": {"derived": "urgent"}}],
    }


def test_references_to_other_patterns_are_not_validated() -> None:
    """durable does not check that a reference ``{alias: key}`` names an earlier pattern of the
    same rule. A mistake is accepted at registration and then silently changes the meaning:

    - a misspelt alias in an equality (``{"x": {"frist": "x"}}``) means the rule never fires
      (the join returns ``None``);
    - a forward reference (the first pattern refers to the second) is ignored, and the rule fires
      whatever the values;
    - a misspelt alias under ``$gt`` raises ``durable_rules_engine.error`` code 305 (message not
      found) only once both facts are present, at evaluation time;
    - a dict literal whose value is a number (``{"x": {"a": 1}}``) is rejected at registration
      with code 202.

    The compiler must emit references only to aliases defined earlier in the same rule, and check
    this itself.
    """
    host = SyncHost()
    log: list[str] = []

    def rule(second: dict[str, Any], first: dict[str, Any] | None = None) -> Rules:
        first_pattern = first or {"t": "a"}
        return {"r": {"all": [{"first": first_pattern}, {"second": second}], "run": lambda c: log.append("fired")}}

    def fired(name: str, sid: str, x_first: int, x_second: int) -> Any:
        log.clear()
        result = host.assert_facts(name, [{"sid": sid, "t": "a", "x": x_first}, {"sid": sid, "t": "b", "x": x_second}])
        return result, list(log)

    misspelt = register(host, rule({"$and": [{"t": "b"}, {"x": {"frist": "x"}}]}))
    assert fired(misspelt, "1", 5, 5) == (None, [])
    assert fired(misspelt, "2", 5, 6) == (None, [])

    forward = register(host, rule({"t": "b"}, first={"$and": [{"t": "a"}, {"x": {"second": "x"}}]}))
    assert fired(forward, "1", 5, 5)[1] == ["fired"]
    assert fired(forward, "2", 5, 6)[1] == ["fired"]

    misspelt_gt = register(host, rule({"$and": [{"t": "b"}, {"$gt": {"x": {"frist": "x"}}}]}))
    assert host.assert_fact(misspelt_gt, {"sid": "1", "t": "a", "x": 5}) is None
    with pytest.raises(durable_rules_engine.error) as raised:
        host.assert_fact(misspelt_gt, {"sid": "1", "t": "b", "x": 6})
    assert str(raised.value) == "Could not assert fact, error code: 305"

    with pytest.raises(durable_rules_engine.error) as raised:
        register(host, {"r": {"all": [{"m": {"x": {"a": 1}}}], "run": flag("hit")}})
    assert str(raised.value) == "Could not create ruleset, error code: 202"
