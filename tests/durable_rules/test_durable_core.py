"""What durable-rules' C core (``durable_rules_engine``) does when it is driven directly.

``ave_rules.engine._durable`` does not use durable's Python host (``durable/engine.py``): it calls
the C functions that host calls, in the same order, minus what it never needs. Each test here pins
one thing that loop relies on, measured against durable-rules 2.0.28, without the library in
between. When a release changes one of them, the test fails: re-read ``docs/durable-rules.md``
(rules 17 to 21) and the loop in ``_durable._Host.assert_fact``.

Things that can crash the interpreter run in a subprocess.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

try:
    import durable  # noqa: F401 - the package that brings the core, and fails on Python 3.13
    import durable_rules_engine as core
except ImportError as error:
    pytest.skip(f"durable-rules cannot be imported: {error}", allow_module_level=True)

_names = itertools.count()

# Two rules: "a" fires on a case with x == 1 and asserts nothing itself (the tests do, inside
# the action); "b" joins the case with a derived fact.
RULES: dict[str, Any] = {
    "a": {"all": [{"m": {"$and": [{"t": "c"}, {"x": 1}]}}]},
    "b": {"all": [{"d": {"$and": [{"t": "d"}, {"v": 1}]}}, {"m": {"$and": [{"t": "c"}, {"x": 1}]}}]},
}


def ruleset(rules: dict[str, Any] = RULES) -> int:
    return int(core.create_ruleset(f"core_{next(_names)}", json.dumps(rules)))


def fact(sid: str, **values: Any) -> str:
    return json.dumps({"sid": sid, **values})


def chain(handle: int, sid: str, first: str, inside: dict[str, str] | None = None) -> list[str]:
    """The rules whose actions run after asserting ``first``, in order, driven as the library
    does: the rule's name read from the message, no update_state; ``inside[rule]`` is asserted
    while that rule's action runs."""
    code, state = core.assert_fact(handle, first)
    assert code == 0
    started = core.start_action_for_state(handle, state)
    ran: list[str] = []
    message = None if started is None else started[1]
    while message is not None:
        rule = next(iter(json.loads(message)))
        assert message.startswith('{"' + rule + '":')  # what the library reads instead of decoding
        ran.append(rule)
        if inside and rule in inside:
            core.assert_fact(handle, inside[rule])
        message = core.complete_and_start_action(handle, state)
    return ran


def finish(handle: int, sid: str, state: int) -> None:
    """Run the session's pending actions, then delete it (an action must have run: rule 16)."""
    if core.start_action_for_state(handle, state) is not None:
        while core.complete_and_start_action(handle, state) is not None:
            pass
    core.delete_state(handle, sid)


def test_assert_fact_reports_handled_not_handled_and_already_observed_by_code() -> None:
    handle = ruleset()
    code, first = core.assert_fact(handle, fact("1", t="c", x=1))
    assert code == 0
    assert core.assert_fact(handle, fact("1", t="c", x=1))[0] == 2  # the same fact again: observed
    assert core.assert_fact(handle, fact("1", t="zz"))[0] == 1  # no rule tests it: not handled
    code, second = core.assert_fact(handle, fact("2", t="c", x=1))
    assert code == 0  # the same content in another session is a new fact
    finish(handle, "1", first)
    finish(handle, "2", second)


def test_the_message_names_its_rule_first_and_facts_asserted_in_an_action_join_the_chain() -> None:
    handle = ruleset()
    assert chain(handle, "1", fact("1", t="c", x=1), inside={"a": fact("1", t="d", v=1)}) == ["a", "b"]
    core.delete_state(handle, "1")
    assert chain(handle, "2", fact("2", t="c", x=1)) == ["a"]  # without the derived fact, no join
    core.delete_state(handle, "2")


def test_without_update_state_the_chain_and_the_next_sessions_are_the_same() -> None:
    # durable's own host hands the session state back (update_state) after every action; the
    # library's actions never change it, and the library does not.
    handed_back, skipped = ruleset(), ruleset()
    for number in range(200):
        sid = str(number)
        expected = ["a", "b"] if number % 3 else ["a"]
        inside = {"a": fact(sid, t="d", v=1)} if number % 3 else None
        assert chain(skipped, sid, fact(sid, t="c", x=1), inside) == expected
        core.delete_state(skipped, sid)
        _, state = core.assert_fact(handed_back, fact(sid, t="c", x=1))
        state_fact, message = core.start_action_for_state(handed_back, state)
        ran = []
        while message is not None:
            ran.append(next(iter(json.loads(message))))
            if inside and ran[-1] == "a":
                core.assert_fact(handed_back, inside["a"])
            core.update_state(handed_back, state_fact)
            message = core.complete_and_start_action(handed_back, state)
        assert ran == expected
        core.delete_state(handed_back, sid)


def test_after_the_last_action_completes_there_is_no_message_and_a_deleted_session_is_gone() -> None:
    handle = ruleset()
    _, state = core.assert_fact(handle, fact("1", t="c", x=1))
    assert core.start_action_for_state(handle, state) is not None
    assert core.complete_and_start_action(handle, state) is None
    assert core.start_action_for_state(handle, state) is None
    core.delete_state(handle, "1")
    with pytest.raises(core.error, match="309"):
        core.get_state(handle, "1")


def test_an_abandoned_action_leaves_a_session_that_deletes_safely_in_a_subprocess() -> None:
    # When an action raises (an interrupt), the library abandons it and deletes the session.
    script = f"""
        import json, durable_rules_engine as core
        handle = core.create_ruleset("abandon", {json.dumps(json.dumps(RULES))})
        for number in range(3_000):
            sid = str(number)
            code, state = core.assert_fact(handle, json.dumps({{"sid": sid, "t": "c", "x": 1}}))
            core.start_action_for_state(handle, state)
            core.abandon_action(handle, state)
            core.delete_state(handle, sid)
        code, state = core.assert_fact(handle, json.dumps({{"sid": "last", "t": "c", "x": 1}}))
        print(code, core.start_action_for_state(handle, state) is not None)
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "0 True"), result.stderr
