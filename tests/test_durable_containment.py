"""The containment of durable-rules (``ave_rules.engine._durable``) holds: threads, failures inside
actions and inside the engine, session clean-up, ruleset sharing, size limits and the fallback."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

import ave_rules
from ave_rules.engine import Outcome, complete
from ave_rules.engine import _durable as durable_engine
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.engine._durable_ruleset import MAX_KEYS, Effect, compile_kaart
from ave_rules.errors import EngineLimitError

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules cannot be imported here")

ROOT = Path(__file__).resolve().parents[1]
GENERIC_PATH = ROOT / "regiekaarten" / "ave-generiek.yaml"
GENERIC = ave_rules.load(GENERIC_PATH, engine="reference")
SECRET_VALUE = "structureel"  # noqa: S105 - a value that appears in cases below and must not appear in errors


def distinct_cases(count: int, seed: int = 20261122) -> list[dict[str, Any]]:
    """Completed cases of the generic kaart, all different."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    cases: dict[str, dict[str, Any]] = {}
    while len(cases) < count:
        given: dict[str, bool | str | list[str]] = {}
        for fact in GENERIC.facts:
            if fact.kind == "ja_nee":
                given[fact.id] = rng.random() < 0.3
            elif fact.kind == "verzameling":
                given[fact.id] = [v for v in fact.values if rng.random() < 0.4]
            elif fact.kind == "fase":
                given[fact.id] = rng.choice(["geen", *GENERIC.level_ids])
            else:
                given[fact.id] = rng.choice(fact.values)
        full, _ = complete(GENERIC, given)
        cases[json.dumps(given, sort_keys=True)] = full
    return list(cases.values())


def fresh_engine() -> durable_engine.DurableEngine:
    return durable_engine.DurableEngine(GENERIC)


def test_eight_threads_on_one_engine_match_sequential_reference_results() -> None:
    engine = fresh_engine()
    cases = distinct_cases(400)
    expected = [reference_evaluate(GENERIC, case) for case in cases]
    results: dict[int, list[Outcome]] = {}
    barrier = threading.Barrier(8)

    def work(worker: int) -> None:
        barrier.wait()
        order = list(range(len(cases)))
        random.Random(worker).shuffle(order)  # noqa: S311 - every thread in its own order
        found = {index: engine.outcome(cases[index]) for index in order}
        results[worker] = [found[index] for index in range(len(cases))]

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[worker] == expected for worker in range(8)] == [True] * 8


def test_sessions_are_deleted_so_many_cases_never_reach_the_live_session_limit() -> None:
    engine = fresh_engine()
    ruleset = engine.ruleset
    for case in distinct_cases(1_500):  # more than durable-rules' 1,024 live sessions
        engine.outcome(case)
    assert ruleset.undeleted == 0
    last_sid = str(next(ruleset.sids) - 1)
    with pytest.raises(Exception, match="309"):  # SID not found: the session is gone
        durable_engine._host.get_state(ruleset.name, last_sid)


def test_an_exception_inside_an_action_is_raised_as_engine_error_and_the_session_is_deleted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = fresh_engine()
    case = distinct_cases(1)[0]
    expected = reference_evaluate(GENERIC, case)
    calls: list[str] = []

    def failing(effect: Effect, session: durable_engine._Session, c: object) -> NoReturn:
        calls.append(session.sid)
        raise ZeroDivisionError(f"{SECRET_VALUE} in an action")

    monkeypatch.setattr(durable_engine, "_apply", failing)
    with pytest.raises(ave_rules.EngineError) as caught:
        engine.outcome(case)
    assert caught.value.code == "engine-fout"
    assert "ZeroDivisionError" in str(caught.value) and SECRET_VALUE not in str(caught.value)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)  # for the developer's traceback
    with pytest.raises(Exception, match="309"):
        durable_engine._host.get_state(engine.ruleset.name, calls[0])
    monkeypatch.undo()
    assert engine.outcome(case) == expected  # the engine is still usable


def test_keyboard_interrupt_inside_an_action_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fresh_engine()

    def interrupted(effect: Effect, session: durable_engine._Session, c: object) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr(durable_engine, "_apply", interrupted)
    with pytest.raises(KeyboardInterrupt):
        engine.outcome(distinct_cases(1)[0])
    monkeypatch.undo()
    case = distinct_cases(2)[1]
    assert engine.outcome(case) == reference_evaluate(GENERIC, case)


def test_keyboard_interrupt_between_durables_own_frames_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C can arrive while durable-rules' Python code, not ours, runs an action: durable then
    # writes it into the session as text. It must still be a KeyboardInterrupt, not an EngineError.
    engine = fresh_engine()
    ruleset_action = durable_engine._Ruleset._action

    def action(self: durable_engine._Ruleset, effect: Effect) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            raise KeyboardInterrupt  # as if the signal came before our action's own handling

        return run

    monkeypatch.setattr(durable_engine._Ruleset, "_action", action)
    engine.ruleset._register()  # the actions are bound when the ruleset is registered
    with pytest.raises(KeyboardInterrupt):
        engine.outcome(distinct_cases(1)[0])
    monkeypatch.setattr(durable_engine._Ruleset, "_action", ruleset_action)
    engine.ruleset._register()
    case = distinct_cases(2)[1]
    assert engine.outcome(case) == reference_evaluate(GENERIC, case)


def test_a_failing_engine_call_becomes_engine_error_and_the_ruleset_is_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = fresh_engine()
    before = engine.ruleset.name
    host = durable_engine._host

    def broken(name: str, sid: str, fact: dict[str, Any]) -> NoReturn:
        raise MemoryError(f"error code: 101 {json.dumps(fact)}")

    monkeypatch.setattr(host, "assert_fact", broken)
    with pytest.raises(ave_rules.EngineError) as caught:
        engine.outcome(distinct_cases(1)[0])
    assert str(caught.value).count("code 101") == 1 and '"f' not in str(caught.value)  # no encoded fact
    monkeypatch.undo()
    case = distinct_cases(3)[2]
    assert engine.outcome(case) == reference_evaluate(GENERIC, case)
    assert engine.ruleset.name != before  # a fresh ruleset took over


def test_a_kaart_that_fails_every_case_replaces_its_ruleset_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # durable-rules never frees a ruleset: replacing one per failing case would leak without end.
    engine = fresh_engine()
    names = {engine.ruleset.name}
    left = durable_engine.MAX_REPLACEMENTS - engine.ruleset.replacements  # rulesets are shared by plan
    host = durable_engine._host

    def broken(name: str, sid: str, fact: dict[str, Any]) -> NoReturn:
        raise RuntimeError("error code: 303")

    monkeypatch.setattr(host, "assert_fact", broken)
    for case in distinct_cases(20):
        with pytest.raises(ave_rules.EngineError):
            engine.outcome(case)
        names.add(engine.ruleset.name)
    assert len(names) == 1 + left
    assert engine.ruleset.replacements == durable_engine.MAX_REPLACEMENTS


def test_with_auto_a_case_durable_rules_fails_is_decided_by_the_reference_evaluator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kaart = ave_rules.loads(GENERIC_PATH.read_text(encoding="utf-8") + "\n# een kopie\n", name="kopie.yaml")
    explicit = ave_rules.loads(GENERIC_PATH.read_text(encoding="utf-8") + "\n# nog een\n", engine="durable-rules")
    cases = distinct_cases(6)
    assert kaart.evaluate(cases[0]).engine == "durable-rules"

    def broken(name: str, sid: str, fact: dict[str, Any]) -> NoReturn:
        raise RuntimeError("error code: 303")

    monkeypatch.setattr(durable_engine._host, "assert_fact", broken)
    with pytest.warns(ave_rules.EngineWarning, match="de referentie-evaluator beslist deze en de volgende"):
        decision = kaart.evaluate(cases[1])
    assert (decision.engine, decision.level) == ("reference", reference_evaluate(GENERIC, cases[1]).level)
    monkeypatch.undo()
    assert kaart.evaluate(cases[2]).engine == "reference"  # every later case too
    monkeypatch.setattr(durable_engine._host, "assert_fact", broken)
    with pytest.raises(ave_rules.EngineError) as caught:  # asked for durable-rules: no silent switch
        explicit.evaluate(cases[3])
    assert caught.value.code == "engine-fout"


def test_failed_deletes_are_counted_and_the_ruleset_is_replaced_before_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = fresh_engine()
    ruleset = engine.ruleset
    first_name = ruleset.name
    monkeypatch.setattr(durable_engine, "SESSION_BUDGET", 5)

    def refuse(name: str, sid: str) -> NoReturn:
        raise RuntimeError("cannot delete")

    cases = distinct_cases(12)
    monkeypatch.setattr(durable_engine._host, "delete_state", refuse)
    for case in cases[:5]:
        engine.outcome(case)
    assert ruleset.undeleted == 5
    monkeypatch.undo()
    monkeypatch.setattr(durable_engine, "SESSION_BUDGET", 5)
    for case in cases[5:]:
        assert engine.outcome(case) == reference_evaluate(GENERIC, case)
    assert ruleset.name != first_name and ruleset.undeleted == 0


def test_a_kaart_loaded_twice_shares_one_registered_ruleset() -> None:
    first = durable_engine.DurableEngine(ave_rules.load(GENERIC_PATH))
    second = durable_engine.DurableEngine(ave_rules.load(GENERIC_PATH))
    assert first.ruleset is second.ruleset


def _wide_kaart(values: int, engine: str = "auto") -> ave_rules.Regiekaart:
    return ave_rules.loads(yaml.safe_dump(_wide_document(values)), name="breed.yaml", engine=engine)


def _wide_document(values: int) -> dict[str, Any]:
    """A valid kaart whose set fact has ``values`` values, all tested by one rule."""
    document: dict[str, Any] = yaml.safe_load(
        textwrap.dedent(
            """
            formaat: 1
            id: breed
            naam: Brede kaart
            versie: "1"
            geldig_vanaf: "2025-01-01"
            feiten: []
            niveaus:
              - {id: "1", fase: 1, kleur: groen, naam: Een, omschrijving: Een.,
                 rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                          bestuurlijke_verantwoordelijkheid: [o]}}
              - {id: "2", fase: 2, kleur: geel, naam: Twee, omschrijving: Twee.,
                 rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                          bestuurlijke_verantwoordelijkheid: [o]}}
            organisaties: [{id: o, naam: Organisatie}]
            actietypen: []
            regels: []
            """
        )
    )
    names = [f"w{i}" for i in range(values)]
    document["feiten"] = [
        {"id": "s", "omschrijving": "Breed.", "soort": "verzameling", "waarden": names, "standaard": []}
    ]
    document["regels"] = [
        {"id": "r", "toelichting": "Regel.", "als": {"feit": "s", "bevat_alle": list(names)}, "dan": {"niveau": "2"}}
    ]
    return document


def test_a_kaart_too_wide_for_durable_rules_is_decided_by_the_reference_evaluator_with_a_warning() -> None:
    fits = _wide_kaart(MAX_KEYS)
    assert len(compile_kaart(fits).case_keys) == MAX_KEYS
    with pytest.warns(ave_rules.EngineWarning, match="durable-rules kan kaart 'breed' niet uitvoeren") as warned:
        too_wide = _wide_kaart(MAX_KEYS + 1)  # decided at load, before any case
    assert "test 252 waarden van feiten" in str(warned[0].message)
    with pytest.raises(EngineLimitError):
        compile_kaart(too_wide)

    every = [f"w{i}" for i in range(MAX_KEYS + 1)]
    assert too_wide.evaluate({"s": every}).engine == "reference"
    assert too_wide.evaluate({"s": every}).level == "2"
    assert too_wide.evaluate({"s": every[1:]}).level == "1"
    assert fits.evaluate({"s": every[:MAX_KEYS]}).engine == "durable-rules"
    assert fits.evaluate({"s": every[:MAX_KEYS]}).level == "2"
    assert fits.evaluate({"s": every[1:MAX_KEYS]}).level == "1"

    with pytest.raises(EngineLimitError) as caught:
        _wide_kaart(MAX_KEYS + 1, engine="durable-rules")
    assert caught.value.code == "engine-limiet-sleutels"
    assert isinstance(caught.value, ave_rules.EngineError)
    assert caught.value.problem.path == "/feiten"


def test_an_unknown_engine_name_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match="onbekende engine 'drools'"):
        ave_rules.load(GENERIC_PATH, engine="drools")


def test_without_durable_rules_the_reference_evaluator_decides_and_says_so_once() -> None:
    script = f"""
        import json, sys, warnings
        sys.modules["durable_rules_engine"] = None  # as on Python 3.13, where the import fails
        import ave_rules
        warnings.simplefilter("always")
        with warnings.catch_warnings(record=True) as caught:
            first = ave_rules.load({str(GENERIC_PATH)!r})
            second = ave_rules.load({str(GENERIC_PATH)!r})
            engines = [first.evaluate({{}}).engine, second.evaluate({{"hulpvraag": True}}).engine]
        try:
            ave_rules.load({str(GENERIC_PATH)!r}, engine="durable-rules")
            explicit = "loaded"
        except ave_rules.EngineError as error:
            explicit = error.code
        ours = [str(w.message) for w in caught if issubclass(w.category, ave_rules.EngineWarning)]
        print(json.dumps({{"engines": engines, "warnings": ours, "explicit": explicit}}))
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["engines"] == ["reference", "reference"]
    assert len(report["warnings"]) == 1
    assert report["warnings"][0].startswith("durable-rules is niet beschikbaar (ModuleNotFoundError: import of durable")
    assert report["explicit"] == "engine-niet-beschikbaar"


def test_sessions_in_which_nothing_fires_are_closed_safely_in_a_subprocess(tmp_path: Path) -> None:
    """Deleting a session in which no action ran crashes durable-rules (tests/durable_rules); the engine
    closes such sessions with a closing fact. Run where a crash cannot take the test run down."""
    path = tmp_path / "breed.yaml"
    path.write_text(yaml.safe_dump(_wide_document(3)), encoding="utf-8")
    script = f"""
        import ave_rules
        from ave_rules.engine._durable import DurableEngine
        from ave_rules.engine import complete
        kaart = ave_rules.load({str(path)!r})
        engine = DurableEngine(kaart)
        empty, _ = complete(kaart, {{}})
        for _ in range(2_000):
            assert engine.outcome(empty).fired == ()  # no rule fires: no action runs
        print("ok")
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr
