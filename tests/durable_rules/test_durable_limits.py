"""The fixed limits of durable-rules' C code that a ruleset of the shape ave_rules compiles can reach.

durable-rules 2.0.28 builds a rete network from the JSON ruleset (``rete.c``) in tables of fixed
size, and walks it for every asserted fact with a fixed-size stack (``events.c``). Each test here
pins one limit: the largest raw JSON ruleset that stays within it, the smallest that reaches it,
and what durable then does: an error code at registration, an error code when a fact is asserted,
a loop that never ends (it holds the GIL, so only SIGKILL stops it), or a read past the end of a
table. Everything runs in a child process with a timeout, so a hang or a crash cannot stop the
test run; a hang is asserted as a timeout, and the child is killed.

How the network is built, which is what each limit counts (read with ``rete.c``):

- every test of a pattern (``{"k": 1}``, ``{"$gte": {"k": 1}}``) is an *alpha node* under a parent
  node: the root for the first test of a pattern, the test before it inside ``$and``. Patterns
  and rules share a node when both the parent and the test are the same;
- each alternative of an ``$or`` starts at the ``$or``'s parent; the last node of every
  alternative links to a new *forward* node (in its "next list"), from which the rest of the
  pattern continues. Forward nodes are never shared;
- each pattern (``{"alias": pattern}`` in ``all``) is a *beta node*; the alpha node where the
  pattern ends lists it in its "beta list";
- each ``$and``/``$or`` of a pattern takes two slots (open and end) in the beta node's
  expression sequence.

``ave_rules.engine._durable_limits`` predicts every limit pinned here from the JSON alone
(``tests/test_durable_limits_check.py``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

try:
    import durable  # noqa: F401 - only to skip where durable-rules cannot be imported
except ImportError as error:
    pytest.skip(f"durable-rules cannot be imported: {error}", allow_module_level=True)

Rules = dict[str, dict[str, Any]]
Fact = dict[str, Any]
Test = dict[str, Any]  # one pattern test, as in the JSON ruleset

#: Each run that does not hang takes well under a second; one that reaches this has hung.
HANG_TIMEOUT = 3.0

# Registers the ruleset from stdin on a host without dispatcher threads, asserts each fact in one
# session and prints one JSON line per step: what happened, and which rules fired.
CHILD = """
import json, sys
from durable import engine

class SyncHost(engine.Host):
    def _run(self):
        pass

spec = json.load(sys.stdin)
fired = []

def action(name):
    def run(c):
        fired.append(name)
    return run

host = SyncHost()
try:
    host.register_rulesets({"limits": {n: {**r, "run": action(n)} for n, r in spec["rules"].items()}})
except Exception as error:
    print(json.dumps({"registration": str(error)}), flush=True)
    sys.exit()
print(json.dumps({"registration": "ok"}), flush=True)
for fact in spec["facts"]:
    del fired[:]
    try:
        host.assert_fact("limits", {**fact, "sid": "1"})
        outcome = "ok"
    except engine.MessageNotHandledException:
        outcome = "not handled"
    except Exception as error:
        outcome = str(error)
    print(json.dumps({"assert": outcome, "fired": sorted(set(fired))}), flush=True)
"""


def engine_run(rules: Rules, facts: list[Fact], timeout: float = HANG_TIMEOUT) -> tuple[str, list[list[str]]]:
    """Register ``rules`` and assert ``facts`` in a child process. Returns what happened: ``"ok"``,
    ``"error <code> at registration"`` or ``"... at assert"``, ``"hang at ..."`` (the child is
    killed at ``timeout``), ``"crash at ..."`` (a signal), or ``"not handled"``; and the rules each
    successful assert fired."""
    stdin = json.dumps({"rules": rules, "facts": facts})
    try:
        child = subprocess.run(
            [sys.executable, "-c", CHILD], input=stdin, capture_output=True, text=True, timeout=timeout, check=False
        )
        stdout, ended = child.stdout, "crash" if child.returncode else ""
    except subprocess.TimeoutExpired as expired:  # subprocess.run has killed the child
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else expired.stdout or ""
        ended = "hang"
    steps = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    fired = [step["fired"] for step in steps if step.get("assert") == "ok"]
    for step in steps:
        outcome = step.get("registration", step.get("assert"))
        if outcome != "ok":
            code = re.search(r"error code: (\d+)", outcome)
            stage = "registration" if "registration" in step else "assert"
            return (f"error {code.group(1)} at {stage}" if code else outcome), fired
    if ended:
        return f"{ended} at {'assert' if steps else 'registration'}", fired
    return "ok", fired


def case(*tests: Any) -> Test:
    """A case pattern as the compiler writes it: the type tag first, then the tests."""
    return {"$and": [{"t": "c"}, *tests]}


def derived(index: int) -> Test:
    """A derived-fact pattern as the compiler writes it."""
    return {"$and": [{"t": "d"}, {"d": index}, {"v": 1}]}


def one_of(key: str, values: range) -> Test:
    return {"$or": [{key: value} for value in values]}


def any_member(count: int, prefix: str = "s") -> Test:
    """A set containing any of ``count`` members: one 0/1 key per member, as the compiler writes it."""
    return {"$or": [{f"{prefix}{i}": 1} for i in range(count)]}


def members(count: int, prefix: str = "s") -> Fact:
    return {f"{prefix}{i}": 1 for i in range(count)}


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------


def test_max_actions_4096_rules_per_ruleset() -> None:
    """``MAX_ACTIONS 4096`` (``rete.c``). Counts the rules of a ruleset. 4,096 rules register and
    work; the 4,097th is refused with error 106 (``ERR_RULE_LIMIT_EXCEEDED``). The compiler adds a
    closing rule to every plan, so a plan may hold 4,095 rules of its own.

    The rules here test two keys in a chain, so that no alpha node has more than 64 child tests
    (see the next test).
    """

    def rules(count: int) -> Rules:
        return {f"r{i}": {"all": [{"c": case({"a": i // 64}, {"b": i % 64})}]} for i in range(count)}

    fact = {"t": "c", "a": 63, "b": 63}
    assert engine_run(rules(4096), [fact], timeout=60) == ("ok", [["r4095"]])
    assert engine_run(rules(4097), [fact], timeout=60) == ("error 106 at registration", [])


@pytest.mark.parametrize("shape", ["one key, many values", "many keys"])
def test_next_bucket_length_512_child_tests_of_one_alpha_node_loop_forever(shape: str) -> None:
    """``NEXT_BUCKET_LENGTH 512`` (``rules.h``): the hash set of an alpha node's child tests has
    512 slots, probed linearly from ``hash(key) & HASH_MASK`` until an empty slot.

    Counts the distinct child tests of one alpha node, over all rules: every ``$or`` alternative
    and every first test of a pattern under the type tag ``t == "c"``, whatever their key. 511
    work. With 512 the table is full, every lookup in it loops forever, and durable holds the GIL:
    the ruleset registers, but the first fact that reaches the node hangs. A 513th test hangs the
    registration itself (``findAlpha`` probes the full table). The guard that would raise error
    106 in ``linkAlpha`` is never reached.

    ave_rules: a ``keuze`` fact with 512 values and one rule ``is_een_van`` all of them; or 512
    different first tests (fact and value) of the case pattern across the kaart's rules.
    """

    def rules(count: int) -> Rules:
        if shape == "one key, many values":
            return {"r": {"all": [{"c": case(one_of("k", range(count)))}]}}
        return {f"r{i}": {"all": [{"c": case({f"f{i}": 1})}]} for i in range(count)}

    fact = {"t": "c", "k": 0, "f0": 1}
    assert engine_run(rules(511), [fact]) == ("ok", [["r" if shape == "one key, many values" else "r0"]])
    assert engine_run(rules(512), [fact])[0] == "hang at assert"
    if shape == "one key, many values":  # the same for both shapes; one hang less to wait for
        assert engine_run(rules(513), [fact])[0] == "hang at registration"


def test_next_list_length_128_forwards_of_one_alpha_node() -> None:
    """``NEXT_LIST_LENGTH 128`` (``rules.h``): an alpha node's next list holds the forward node of
    every ``$or`` one of whose alternatives ends at it. Forwards are never shared, so rules that
    repeat the same ``$or`` (ave_rules: the same ``is_een_van``) each add one to the node of every
    value. The list is read until a 0 slot, so 128 entries fill it and the reader runs on past its
    end; a 129th entry is refused with error 107 (``ERR_RULE_EXISTS_LIMIT_EXCEEDED``) when the slot
    after the list is not 0, as here (else it is overwritten, like a beta list). But every forward
    of a node is pushed on the stack whenever a fact reaches the node, so from 65 forwards on such a
    fact already fails with error 303 (``test_max_stack_size_...``), before any read past the end.
    """

    def rules(count: int) -> Rules:
        return {f"r{i}": {"all": [{"c": case(one_of("k", range(2)))}]} for i in range(count)}

    fact = {"t": "c", "k": 0}
    assert engine_run(rules(128), [fact]) == ("error 303 at assert", [])
    assert engine_run(rules(129), [fact]) == ("error 107 at registration", [])


def test_beta_list_length_256_patterns_ending_at_one_alpha_node() -> None:
    """``BETA_LIST_LENGTH 256`` (``rules.h``): the alpha node where a pattern ends lists the
    pattern's beta node. Counts the patterns, over all rules, that end at the same node: the same
    test chain (for example the same derived fact, or the same case tests in the same order).
    Patterns ending in ``$or`` end at their own forward node.

    255 work. The list is read until a 0 slot and 256 fill it, so every fact that reaches the node
    reads on into the next table ``rete.c`` allocated: here the beta list of rule ``b``, so a fact
    ``t == "a"`` also fires ``b``. With nothing after it, the read leaves the allocation
    (observed: SIGSEGV). A 257th is refused with error 108 (``ERR_RULE_BETA_LIMIT_EXCEEDED``)
    when the slot after the list is not 0, as here; when it is 0 it is silently overwritten.

    ave_rules: one derived fact tested in 256 rules, or 256 rules with the same case tests.
    """

    def rules(count: int) -> Rules:
        a_rules = {f"a{i}": {"all": [{"m": {"t": "a"}}]} for i in range(count)}
        return {"a0": a_rules.pop("a0"), "b": {"all": [{"m": {"t": "b"}}]}, **a_rules}

    facts = [{"t": "a"}]
    outcome, fired = engine_run(rules(255), facts)
    assert (outcome, "b" in fired[0], len(fired[0])) == ("ok", False, 255)
    outcome, fired = engine_run(rules(256), facts)
    assert (outcome, "b" in fired[0], len(fired[0])) == ("ok", True, 257)
    assert engine_run(rules(257), facts) == ("error 108 at registration", [])


@pytest.mark.parametrize("shape", ["nested", "side by side"])
def test_max_sequence_expressions_15_and_or_per_pattern(shape: str) -> None:
    """``MAX_SEQUENCE_EXPRESSIONS 32`` (``rete.h``): each ``$and`` and each ``$or`` of a pattern
    appends two slots (open and end) to its beta node's expression sequence, and the append that
    fills the 32nd slot is refused: error 113 (``ERR_EXPRESSION_LIMIT_EXCEEDED``) at registration.
    So a pattern holds at most 15 operators: counted over the whole pattern, nested or side by
    side (not its depth), the compiler's outer ``$and`` with the type tag included; each pattern
    of a rule counts on its own.

    ave_rules: ``alle``/``een_van`` nested 15 deep, or one rule with 15 ``is_een_van`` tests.
    """

    def pattern(operators: int) -> Test:
        if shape == "side by side":
            return case(*(one_of(f"k{j}", range(2)) for j in range(operators - 1)))
        inner: Test = {"k": 1}
        for level in range(operators - 1):
            inner = {"$or" if level % 2 == 0 else "$and": [inner, {f"j{level}": 1}]}
        return case(inner)

    fact = {"t": "c", "k": 1, **{f"k{j}": 0 for j in range(16)}, **{f"j{j}": 1 for j in range(16)}}
    assert engine_run({"r": {"all": [{"c": pattern(15)}]}}, [fact]) == ("ok", [["r"]])
    assert engine_run({"r": {"all": [{"c": pattern(16)}]}}, [fact]) == ("error 113 at registration", [])
    two = {"r": {"all": [{"c": pattern(15)}, {"d": {"$and": [{"t": "d"}, *pattern(15)["$and"][1:]]}}]}}
    assert engine_run(two, [fact, {**fact, "t": "d"}]) == ("ok", [[], ["r"]])


# ---------------------------------------------------------------------------------------------
# Asserting a fact
# ---------------------------------------------------------------------------------------------

STACK_SHAPES = ["set members", "first tests", "repeated one-of", "two sets"]


def stack_case(shape: str, pending: int) -> tuple[Rules, Fact]:
    """A ruleset and a fact that leave ``pending`` alpha nodes on the stack at once."""
    if shape == "set members":  # one $or: every member the case holds is a matching child test
        return {"r": {"all": [{"c": case(any_member(pending))}]}}, {"t": "c", **members(pending)}
    if shape == "first tests":  # one rule per boolean: each first test is a child of t == "c"
        rules = {f"r{i}": {"all": [{"c": case({f"b{i}": 1})}]} for i in range(pending)}
        return rules, {"t": "c", **members(pending, "b")}
    if shape == "repeated one-of":  # the forwards of one node are pushed, matching or not
        return {f"r{i}": {"all": [{"c": case(one_of("k", range(2)))}]} for i in range(pending)}, {"t": "c", "k": 0}
    # two sets: 33 members pushed, the last walked first with 32 pending, then the second set
    second = pending - 32
    rules = {"r": {"all": [{"c": case(any_member(33, "s"), any_member(second, "u"))}]}}
    return rules, {"t": "c", **members(33, "s"), **members(second, "u")}


@pytest.mark.parametrize("shape", STACK_SHAPES)
def test_max_stack_size_64_alpha_nodes_pending_while_a_fact_is_walked(shape: str) -> None:
    """``MAX_STACK_SIZE 64`` (``events.c``, ``handleAlpha``): walking an asserted fact through
    the alpha network, durable pops a node and pushes every forward in its next list (always) and
    every child test the fact satisfies; the last pushed is walked first, with its siblings still
    pending. Pushing a 65th pending node fails the assert with error 303 (``ERR_MAX_STACK_SIZE``).
    The ruleset registers; only facts that reach the node fail.

    What counts, for one fact: at one node, the child tests it satisfies on any key plus the
    forwards; along a path, ``n - 1`` for every node above (its other pushes still pending) plus
    what the node walked first pushes. Each shape here has 64 pending at the largest that works:

    - ``set members``: a set containing any of 64 members (``bevat_een_van``), case holding all;
    - ``first tests``: 64 rules whose case pattern starts with a different boolean, all true;
    - ``repeated one-of``: 64 rules with the same ``is_een_van`` (64 forwards of one node);
    - ``two sets``: ``any of 33`` and then ``any of 32`` in one pattern: 32 + 32 pending.
    """
    rules, fact = stack_case(shape, 64)
    assert engine_run(rules, [fact])[0] == "ok"
    rules, fact = stack_case(shape, 65)
    assert engine_run(rules, [fact]) == ("error 303 at assert", [])


def test_max_message_frames_16_patterns_per_rule() -> None:
    """``MAX_MESSAGE_FRAMES 16`` (``state.h``): a rule's partial match (frame) holds one fact per
    pattern, in a 16-slot table. A rule with 16 patterns fires; with 17 the assert of the fact
    that completes the join fails with error 304 (``ERR_MAX_MESSAGES_IN_FRAME``). The ruleset
    registers, and every fact before the last is accepted.

    ave_rules: a rule whose condition needs 16 derived facts and tests the case (16 derived-fact
    patterns and the case pattern). Asserted from an action, as ave_rules does, the error is
    swallowed by durable and the next call fails with error 307.
    """

    def rules(count: int) -> Rules:
        return {"r": {"all": [{f"p{i}": derived(i)} for i in range(count)]}}

    def facts(count: int) -> list[Fact]:
        return [{"t": "d", "d": i, "v": 1} for i in range(count)]

    outcome, fired = engine_run(rules(16), facts(16))
    assert (outcome, fired[-1]) == ("ok", ["r"])
    outcome, fired = engine_run(rules(17), facts(17))
    assert (outcome, len(fired)) == ("error 304 at assert", 16)


def test_max_object_properties_253_per_fact_with_sid() -> None:
    """``MAX_OBJECT_PROPERTIES 255`` (``state.h``; see also
    ``test_a_fact_holds_at_most_253_properties_including_sid``). The Encoder puts every key that
    some pattern of a fact's type tests into that fact, and the engine adds ``sid``, so the keys a
    ruleset tests per type tag, ``t`` included, plus one may be at most 253. With one more the
    assert fails with error 302 (``ERR_EVENT_MAX_PROPERTIES``)."""

    def run(keys: int) -> str:
        rule = {"r": {"all": [{"c": case(*({f"k{i}": 1} for i in range(keys)))}]}}
        return engine_run(rule, [{"t": "c", **members(keys, "k")}])[0]

    assert run(251) == "ok"  # t, 251 keys, sid
    assert run(252) == "error 302 at assert"
