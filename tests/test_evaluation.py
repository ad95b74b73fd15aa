"""Evaluating cases: decisions, their schema, fact validation, determinism, batches, threads."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import pytest
import yaml
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules.engine import FactChecker, complete
from ave_rules.engine import _durable as durable_engine
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.kaart import Decision, SetFact, decision_schema, decision_schema_json, fact_values
from ave_rules.testing.strategies import case_facts

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
SECOND_LOAD = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
VALIDATOR = jsonschema.Draft7Validator(decision_schema())
SECRET = "GEHEIM-Jansen-123456789"  # noqa: S105 - a marker that must never be echoed, not a password


def test_published_decision_schema_is_the_source() -> None:
    assert (ROOT / "schemas" / "decision.schema.json").read_text(encoding="utf-8") == decision_schema_json()
    jsonschema.Draft7Validator.check_schema(decision_schema())


def test_example_case_decision() -> None:
    facts = json.loads((ROOT / "docs" / "voorbeelden" / "casus.json").read_text(encoding="utf-8"))
    decision = GENERIC.evaluate(facts)
    assert (decision.level, decision.phase, decision.colour) == ("3a", 3, "oranje")
    assert decision.roles["procesregie"] == ("gemeente",)
    assert [(a.type, a.target, a.source) for a in decision.actions] == [
        ("informeer_betrokkene", None, None),
        ("opschalen", "3a", None),
        ("aanmelden", "gemeente", None),
    ]
    assert decision.actions[1].text == "Schaal de casus op naar niveau 3a (Lokale procesregie)."
    assert decision.derived == ("meervoudig", "multidomein", "complex")
    assert "niveau-3a" in [entry.rule for entry in decision.trace]
    assert "huidige_fase" not in decision.defaulted and "stagnatie" in decision.defaulted
    assert decision.kaart.id == "ave-generiek" and decision.kaart.content_hash == GENERIC.content_hash
    assert decision.engine == ("durable-rules" if durable_engine.available() else "reference")


@settings(max_examples=examples(300, 600), deadline=None)
@given(case_facts(GENERIC))
def test_every_decision_fits_the_schema_and_the_reference(facts: dict[str, Any]) -> None:
    decision = GENERIC.evaluate(facts)
    VALIDATOR.validate(decision.model_dump(mode="json"))
    assert Decision.model_validate(decision.model_dump()) == decision  # built without validation: check it
    full, defaulted = complete(GENERIC, {k: tuple(v) if isinstance(v, list) else v for k, v in facts.items()})
    outcome = reference_evaluate(GENERIC, full)
    assert decision.level == outcome.level
    assert [(a.type, a.target, a.source) for a in decision.actions] == list(outcome.actions)
    assert decision.defaulted == defaulted


@settings(max_examples=examples(100, 200), deadline=None)
@given(case_facts(GENERIC))
def test_decisions_are_deterministic_to_the_byte(facts: dict[str, Any]) -> None:
    fresh = SECOND_LOAD
    reordered = dict(reversed(list(facts.items())))
    first = json.dumps(GENERIC.evaluate(facts).model_dump(mode="json"), ensure_ascii=False)
    assert first == json.dumps(fresh.evaluate(reordered).model_dump(mode="json"), ensure_ascii=False)
    assert first == json.dumps(GENERIC.evaluate(facts).model_dump(mode="json"), ensure_ascii=False)  # cached


_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.just(SECRET) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_names = st.sampled_from([f.id for f in GENERIC.facts]) | st.just(SECRET) | st.text(max_size=8)


@settings(max_examples=examples(400, 800), deadline=None)
@given(st.dictionaries(_names, _junk, max_size=6) | _junk)
def test_bad_facts_end_in_facts_error_without_echoing_values(facts: Any) -> None:
    # Any: junk of every shape, as an untyped caller (JSON from elsewhere) sends it to evaluate
    try:
        decision = GENERIC.evaluate(facts)
    except ave_rules.FactsError as error:
        assert error.problems
        for problem in error.problems:
            for lang in ("nl", "en"):
                assert SECRET not in problem.message_in(lang)
            # The path is the fact's name when it is a well-formed name (it locates the problem);
            # a name that is not, such as a person's name sent by mistake, is never repeated.
            assert problem.path == "" or re.fullmatch(r"[a-z][a-z0-9_]*(/[0-9]+)?", problem.path)
            assert SECRET not in problem.path
    else:
        assert decision.level in GENERIC.level_ids


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ([], [("", "feiten-geen-mapping")]),
        ({"stagnatie": "ja"}, [("stagnatie", "feit-type")]),
        ({"stagnatie": 1}, [("stagnatie", "feit-type")]),
        ({"huidige_fase": 3}, [("huidige_fase", "feit-type")]),
        ({"huidige_fase": "5"}, [("huidige_fase", "feit-fase")]),
        ({"zelfregie": "matig"}, [("zelfregie", "feit-waarde")]),
        ({"kolommen": "zorg"}, [("kolommen", "feit-type")]),
        (
            {"kolommen": ["zorg", "zorg", "milieu", 3]},
            [("kolommen/1", "feit-dubbel"), ("kolommen/2", "feit-waarde"), ("kolommen/3", "feit-type")],
        ),
        ({"kolomen": ["zorg"]}, [("", "feit-onbekend")]),
        ({3: True}, [("", "feit-naam-ongeldig")]),
        ({"Kolommen": ["zorg"]}, [("", "feit-naam-vorm")]),
        ({"stagnatie": None, "acute_crisis": True}, [("stagnatie", "feit-type")]),
    ],
)
def test_each_kind_of_bad_fact(facts: Any, expected: list[tuple[str, str]]) -> None:
    # Any: some of these are not even a mapping with str keys, as an untyped caller may send
    with pytest.raises(ave_rules.FactsError) as caught:
        GENERIC.evaluate(facts)
    assert [(p.path, p.code) for p in caught.value.problems] == expected
    assert isinstance(caught.value, ValueError)


def test_unknown_fact_suggests_the_nearest_name() -> None:
    with pytest.raises(ave_rules.FactsError) as caught:
        GENERIC.evaluate({"kolomen": ["zorg"]})
    assert "'kolommen'" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("written", "meant"),
    [("Hulpvraag", "hulpvraag"), ("Huidige fase", "huidige_fase"), ("acute-crisis", "acute_crisis")],
)
def test_a_badly_written_fact_name_suggests_the_kaarts_fact_without_repeating_it(written: str, meant: str) -> None:
    with pytest.raises(ave_rules.FactsError) as caught:
        GENERIC.evaluate({"stagnatie": False, written: True})
    [problem] = caught.value.problems
    assert (problem.code, problem.params["plaats"]) == ("feit-naam-vorm", "2")
    assert f"'{meant}'" in problem.message and written not in problem.message


def test_too_many_problems_are_capped() -> None:
    with pytest.raises(ave_rules.FactsError) as caught:
        GENERIC.evaluate({f"onbekend_{i}": True for i in range(1000)})
    assert len(caught.value.problems) == 201
    assert caught.value.problems[-1].code == "feiten-te-veel-problemen"


def test_evaluate_many_matches_one_by_one_and_names_the_bad_case() -> None:
    cases: list[dict[str, object]] = [{}, {"hulpvraag": True}, {"maatschappelijke_onrust": "manifest"}]
    assert GENERIC.evaluate_many(cases) == [GENERIC.evaluate(case) for case in cases]
    with pytest.raises(ave_rules.FactsError) as caught:
        GENERIC.evaluate_many([{}, {"hulpvraag": "ja"}])
    assert [p.path for p in caught.value.problems] == ["1/hulpvraag"]


def test_eight_threads_agree_with_sequential_evaluation() -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
    cases = [scenario.facts for scenario in kaart.scenarios] * 20
    expected = [kaart.evaluate(case) for case in cases]
    fresh = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")  # cold cache, shared by the threads
    results: dict[int, list[Decision]] = {}

    def work(worker: int) -> None:
        results[worker] = [fresh.evaluate(case) for case in cases]

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[worker] == expected for worker in range(8))


@pytest.mark.parametrize(
    ("valid", "invalid"),
    [
        ({"hulpvraag": True}, {"hulpvraag": 1}),
        ({"stagnatie": False}, {"stagnatie": 0}),
        ({"zelfregie": "beperkt"}, {"zelfregie": ["beperkt"]}),
        ({"kolommen": ["zorg"]}, {"kolommen": "zorg"}),
        ({"kolommen": ["zorg", "veiligheid"]}, {"kolommen": ["zorg", "zorg"]}),
    ],
)
def test_a_cached_decision_is_never_returned_for_facts_that_only_look_alike(
    valid: dict[str, object], invalid: dict[str, object]
) -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
    kaart.evaluate(valid)
    assert kaart.evaluate(valid) is kaart.evaluate(dict(valid))  # the cache answers
    with pytest.raises(ave_rules.FactsError):
        kaart.evaluate(invalid)


def test_decisions_are_shared_and_cannot_be_changed() -> None:
    # Any: a Decision's types already forbid every change below; this tries them at run time.
    decision: Any = GENERIC.evaluate({"hulpvraag": True})
    with pytest.raises(TypeError):
        decision.roles["casusregie"] = ("iemand",)
    with pytest.raises(AttributeError):
        decision.roles["casusregie"].append("iemand")
    with pytest.raises(AttributeError):
        decision.actions.append(decision.actions[0])
    with pytest.raises(ValueError, match="frozen"):
        decision.level = "4"
    assert GENERIC.evaluate({"hulpvraag": True}).roles["casusregie"] == ("wijkteam",)


def test_a_kaart_built_by_hand_says_that_nothing_decides_it() -> None:
    # A Regiekaart gets what decides its cases when it is loaded; one built by hand has nothing.
    document = yaml.safe_load((ROOT / "docs" / "voorbeelden" / "kleine-kaart.yaml").read_text(encoding="utf-8"))
    kaart = ave_rules.Regiekaart.model_validate(document)
    with pytest.raises(ave_rules.EngineError) as raised:
        kaart.evaluate({})
    assert raised.value.code == "engine-niet-gekoppeld"
    assert "ave_rules.load" in raised.value.message


_ODD_VALUES = st.sampled_from([1, 0, None, 2.5, "onbekend", ["zorg", 3], ("zorg", "zorg"), {"zorg"}, b"x", [], ""])


@settings(max_examples=examples(100, 500), deadline=None)
@given(case_facts(GENERIC), st.data())
def test_facts_as_a_plain_dict_are_checked_as_any_other_mapping_checks_them(facts: dict[str, Any], data: Any) -> None:
    # A plain dict takes a fast path; every other Mapping the general one. Both must agree, on
    # valid facts and on facts with an odd value or name slipped in.
    if data.draw(st.booleans()):
        name = data.draw(st.sampled_from([*sorted(facts), "onbekend_feit"]))
        facts = {**facts, name: data.draw(_ODD_VALUES)}
    checker = FactChecker(GENERIC)

    def checked(given: Any) -> Any:
        try:
            return checker.validated(given)
        except ave_rules.FactsError as error:
            return [(p.code, p.path) for p in error.problems]

    assert checked(facts) == checked(MappingProxyType(facts))


class _Posing(str):
    """Text that poses as other text (hostile input): equal to anything, hashed as ``like``. The
    checks must see its own text."""

    like = ""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash(self.like)


def _posing(text: str, like: str) -> _Posing:
    posing = _Posing(text)
    posing.like = like
    return posing


_ODD_NAMES = ["onbekend_feit", "Hulp vraag", 3, None, ("hulpvraag",), _posing("onbekend", "hulpvraag")]
_MORE_VALUES = [True, False, "ja", "geen", ("zorg",), ["zorg"], frozenset({"zorg"})]


def _change(name: Any) -> st.SearchStrategy[tuple[Any, Any]]:
    """``name`` with an odd value, or with text that poses as one of its fact's values; a name
    that poses as a fact's with a value that fact takes."""
    if isinstance(name, _Posing):
        return st.tuples(st.just(name), st.booleans())
    fact = GENERIC.fact_by_id.get(name) if type(name) is str else None
    posed = [value for value in fact_values(fact, GENERIC.level_ids) if type(value) is str] if fact else []
    posing: st.SearchStrategy[Any] = st.sampled_from(posed or ["geen"]).map(lambda value: _posing("onbekend", value))
    if isinstance(fact, SetFact):
        posing = posing.map(lambda member: [member])
    return st.tuples(st.just(name), _ODD_VALUES | st.sampled_from(_MORE_VALUES) | posing)


@settings(max_examples=examples(150, 600), deadline=None)
@given(
    case_facts(GENERIC),
    st.lists(st.sampled_from([*sorted(GENERIC.fact_by_id), *_ODD_NAMES]).flatmap(_change), max_size=3),
)
def test_facts_are_checked_and_completed_in_one_pass_as_in_two(
    facts: dict[str, Any], changes: list[tuple[Any, Any]]
) -> None:
    # FactChecker.completed checks a plain dict and fills in the defaults in one pass: the same
    # completed facts (values, types, the kaart's order), defaulted facts and located errors as
    # checking (validated) and completing (complete) apart, for a dict and for any other Mapping.
    given_facts: dict[Any, Any] = {**facts, **dict(changes)}
    checker = FactChecker(GENERIC)

    def completed(check: Any) -> Any:
        try:
            full, defaulted = check()
        except ave_rules.FactsError as error:
            return str(error), [(p.code, p.path, str(p)) for p in error.problems]
        return [(name, type(value), value) for name, value in full.items()], defaulted

    apart = completed(lambda: complete(GENERIC, checker.validated(given_facts)))
    assert completed(lambda: checker.completed(given_facts)) == apart
    assert completed(lambda: checker.completed(MappingProxyType(given_facts))) == apart


@pytest.mark.parametrize("path", sorted((ROOT / "regiekaarten").glob("*.yaml")), ids=lambda p: p.name)
def test_a_level_is_named_in_action_texts_without_nested_parentheses(path: Path) -> None:
    kaart = ave_rules.load(path)
    names = [kaart.name_of(level.id) for level in kaart.levels]
    assert [name for name in names if re.search(r"\([^()]*\(", name)] == []
    assert all(
        name.startswith(level.id) and level.name in name for name, level in zip(names, kaart.levels, strict=True)
    )


_FIRST_USE = """
import json, sys, threading
import ave_rules
from ave_rules.kaart import Decision

names = sys.argv[2:]
def work(name):
    kaart = ave_rules.load(sys.argv[1] + "/" + name)
    decision = kaart.evaluate(kaart.scenarios[-1].facts)
    again = Decision.model_validate_json(decision.model_dump_json())
    return [name, kaart.model_dump(mode="json", by_alias=True), decision.model_dump(mode="json"), again == decision]

if names[0] == "threads":
    names, results = names[1:], {}
    barrier = threading.Barrier(len(names))
    def run(name):
        barrier.wait()
        results[name] = work(name)
    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    print(json.dumps([results[name] for name in names]))
else:
    print(json.dumps([work(name) for name in names]))
"""


def test_the_first_use_of_the_models_in_many_threads_at_once_is_correct() -> None:
    """A fresh process whose threads load, decide and serialise at the same moment gets what one
    thread gets: the models' validators may be built on first use (DEFER_BUILD), never half-built."""
    names = sorted(path.name for path in (ROOT / "regiekaarten").glob("*.yaml")) * 2

    def run(*arguments: str) -> list[list[Any]]:
        command = [sys.executable, "-c", _FIRST_USE, str(ROOT / "regiekaarten"), *arguments]
        rows: list[list[Any]] = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        return rows

    together = run("threads", *names)
    assert together == run(*names)
    assert all(row[3] for row in together)  # each decision read back from its JSON equals itself
