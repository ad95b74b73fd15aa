"""A kaart that validates never hangs, fails or grows its host, however it reaches for durable-rules'
limits (issue 12): it is decided, or refused at load with a located error, and never a raw engine
error. Random kaarten of the shapes that reach the limits are loaded and decided in a child
process with a timeout, so a hang or a crash fails the test instead of stopping the run."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
import small_kaarten as small
import yaml
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st


@st.composite
def wide_choices(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A keuze fact with many values, one of them tested against many."""
    size = draw(st.integers(2, 700))
    values = [f"v{i}" for i in range(size)]
    chosen = sorted(draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=size)))
    fact = {"id": "k", "soort": "keuze", "omschrijving": "Keuze.", "waarden": values, "standaard": "v0"}
    rule = small.rule("r", {"feit": "k", "is_een_van": [values[i] for i in chosen]})
    return small.kaart([fact], [], [rule]), {"k": values[chosen[-1]]}


@st.composite
def wide_sets(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A set fact with many members, tested for any or all of many at once, held all at once."""
    size = draw(st.integers(2, 250))
    members = [f"w{i}" for i in range(size)]
    comparison = draw(st.sampled_from(["bevat_een_van", "bevat_alle"]))
    tested = members[: draw(st.integers(1, size))]
    fact = {"id": "s", "soort": "verzameling", "omschrijving": "Set.", "waarden": members, "standaard": []}
    return small.kaart([fact], [], [small.rule("r", {"feit": "s", comparison: tested})]), {"s": list(members)}


@st.composite
def wide_derived(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Booleans deriving facts, and one rule with several een_van groups over them."""
    count = draw(st.integers(2, 5))
    derived = [f"d{i}" for i in range(count)]
    rules = [
        small.rule(f"afleiden{i}", {"feit": f"b{i}", "is": True}, {"afleiden": [derived[i]]}) for i in range(count)
    ]
    groups = draw(st.integers(1, 12))
    rules.append(small.rule("breed", {"alle": [{"een_van": [{"afgeleid": name} for name in derived]}] * groups}))
    return small.kaart(small.booleans(count), derived, rules), {f"b{i}": True for i in range(count)}


@st.composite
def deep_nesting(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """alle and een_van nested deep, over facts and derived facts."""
    depth = draw(st.integers(1, 20))  # deeper would pass the reader's limit of 64 YAML layers
    condition: Any = {"feit": "b0", "is": True}
    for level in range(depth):
        other = {"afgeleid": "d0"} if draw(st.booleans()) else {"feit": "b1", "is": level % 2 == 0}
        condition = {"alle" if draw(st.booleans()) else "een_van": [condition, other]}
    rules = [small.rule("afleiden", {"feit": "b1", "is": True}, {"afleiden": ["d0"]}), small.rule("diep", condition)]
    return small.kaart(small.booleans(2), ["d0"], rules), {"b0": True, "b1": draw(st.booleans())}


@st.composite
def shared_derived(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """One derived fact tested by many rules."""
    count = draw(st.integers(1, 400))
    rules = [small.rule("afleiden", {"feit": "b0", "is": True}, {"afleiden": ["d0"]})]
    negated = draw(st.booleans())
    test = {"niet": {"afgeleid": "d0"}} if negated else {"afgeleid": "d0"}
    rules += [
        small.rule(f"r{i}", {"alle": [test, {"feit": "b1", "is": True}]}, {"acties": [{"actie": "a"}]})
        for i in range(count)
    ]
    return small.kaart(small.booleans(2), ["d0"], rules), {"b0": not negated, "b1": True}


CHILD = textwrap.dedent(
    """
    import json, resource, sys, warnings
    import ave_rules
    from ave_rules.engine import complete, reference_outcome
    document, facts, engine = json.loads(sys.stdin.read())
    import yaml
    text = yaml.safe_dump(document, allow_unicode=True)
    report = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            kaart = ave_rules.loads(text, "grens.yaml", engine=engine)
        except ave_rules.errors.EngineLimitError as refused:
            report["refused"] = [refused.code, refused.problem.file, refused.problem.line, refused.problem.path]
            print(json.dumps(report)); sys.exit(0)
    report["warnings"] = [str(w.message) for w in caught]
    decision = kaart.evaluate(facts)
    expected = reference_outcome(kaart, complete(kaart, kaart.decider._checker.validated(facts))[0])
    report["engine"], report["level"], report["expected"] = decision.engine, decision.level, expected.level
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for round in range(300):  # the same case, new each time: no cache, a fresh session per case
        for cache in ("_as_given", "_outcomes", "_decisions"):
            setattr(kaart.decider, cache, type(getattr(kaart.decider, cache))())
        kaart.evaluate(facts)
    report["grown_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps(report))
    """
)


def decided_in_a_child(document: dict[str, Any], facts: dict[str, Any], engine: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps([document, facts, engine]),
        capture_output=True,
        text=True,
        timeout=60,  # a hang fails here (subprocess kills the child)
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report: dict[str, Any] = json.loads(result.stdout)
    return report


SHAPES = st.one_of(wide_choices(), wide_sets(), wide_derived(), deep_nesting(), shared_derived())


@settings(max_examples=examples(12, 60), deadline=None)
@given(shape=SHAPES, engine=st.sampled_from(["auto", "durable-rules"]))
def test_a_kaart_at_the_engines_limits_is_decided_or_refused_at_load(
    shape: tuple[dict[str, Any], dict[str, Any]], engine: str
) -> None:
    document, facts = shape
    report = decided_in_a_child(document, facts, engine)
    if "refused" in report:
        code, file, line, path = report["refused"]
        assert engine == "durable-rules"  # auto never refuses: the reference evaluator decides
        assert code.startswith("engine-limiet-") and file == "grens.yaml" and line > 1 and path
        return
    assert report["level"] == report["expected"]
    if engine == "auto" and report["engine"] == "reference":
        assert any("durable-rules kan kaart 'grens' niet uitvoeren" in w for w in report["warnings"])
    assert report["grown_kib"] < 8 * 1024, report


def _reproducer(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The kaarten of the issue that found each limit; each passed ave-rules validate then."""
    if name == "A-512-values":
        values = [f"v{i}" for i in range(512)]
        fact = {"id": "k", "soort": "keuze", "omschrijving": "Keuze.", "waarden": values, "standaard": "v0"}
        return small.kaart([fact], [], [small.rule("r", {"feit": "k", "is_een_van": list(values)})]), {"k": "v3"}
    if name == "B-ten-groups":
        derived = [f"d{i}" for i in range(4)]
        rules = [
            small.rule(f"afleiden{i}", {"feit": f"b{i}", "is": True}, {"afleiden": [derived[i]]}) for i in range(4)
        ]
        rules.append(
            small.rule("breed", {"alle": [{"een_van": [{"afgeleid": d} for d in derived]} for _ in range(10)]})
        )
        return small.kaart(small.booleans(4), derived, rules), {"b0": True}
    if name == "C-15-deep":
        condition: Any = {"feit": "b0", "is": True}
        for level in range(15):
            condition = {"alle" if level % 2 else "een_van": [condition, {"feit": "b1", "is": True}]}
        return small.kaart(small.booleans(2), [], [small.rule("diep", condition)]), {"b0": True, "b1": True}
    if name == "C-300-rules-on-one-derived-fact":
        rules = [small.rule("afleiden", {"feit": "b0", "is": True}, {"afleiden": ["d0"]})]
        test = {"alle": [{"afgeleid": "d0"}, {"feit": "b1", "is": True}]}
        rules += [small.rule(f"r{i}", test, {"acties": [{"actie": "a"}]}) for i in range(300)]
        return small.kaart(small.booleans(2), ["d0"], rules), {"b0": True, "b1": True}
    members = [f"w{i}" for i in range(65)]  # D: 65 members, all held
    fact = {"id": "s", "soort": "verzameling", "omschrijving": "Set.", "waarden": members, "standaard": []}
    return small.kaart([fact], [], [small.rule("r", {"feit": "s", "bevat_een_van": members})]), {"s": members}


REPRODUCERS = ["A-512-values", "B-ten-groups", "C-15-deep", "C-300-rules-on-one-derived-fact", "D-65-members"]


@pytest.mark.parametrize("engine", ["auto", "durable-rules"])
@pytest.mark.parametrize("name", REPRODUCERS)
def test_each_kaart_that_once_hung_or_failed_is_decided_or_refused_at_load(name: str, engine: str) -> None:
    document, facts = _reproducer(name)
    report = decided_in_a_child(document, facts, engine)
    if "refused" in report:
        assert engine == "durable-rules"
        assert report["refused"][0].startswith("engine-limiet-")
    else:
        assert report["level"] == report["expected"]
        assert report["grown_kib"] < 8 * 1024, report


@pytest.mark.parametrize(
    ("rules", "code"), [(40, None), (50, "engine-bijna-limiet"), (65, "engine-limiet-gelijktijdig")]
)
def test_check_reports_a_kaart_near_or_past_an_engine_limit(rules: int, code: str | None) -> None:
    # One rule per ja_nee fact, all true at once: as many tests open at once as there are rules.
    import ave_rules

    document = small.kaart(
        small.booleans(rules), [], [small.rule(f"r{i}", {"feit": f"b{i}", "is": True}) for i in range(rules)]
    )
    kaart = ave_rules.loads(yaml.safe_dump(document), "grens.yaml", engine="reference")
    found = [finding for finding in ave_rules.check(kaart).findings if finding.code.startswith("engine-")]
    assert [finding.code for finding in found] == ([code] if code else [])
    for finding in found:
        assert finding.severity == "waarschuwing"
        assert finding.problem.file == "grens.yaml" and finding.problem.path.startswith("/regels/")
        assert str(rules) in finding.message and "64" in finding.message
