"""Scenario files (``<naam>.scenarios.yaml``): scenarios for a kaart, kept apart from it.

Each bad input is refused with a problem located in the scenario file; the kaart is found by id
next to the file, in the search directories or among the bundled kaarten, in the version of the
``peildatum``; and a scenario gets the same outcome in a scenario file as in the kaart itself.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules import Problem, RegiekaartError, load_scenarios
from ave_rules.cli import main
from ave_rules.engine import run_scenarios
from ave_rules.errors import KaartNotFoundError
from ave_rules.kaart import kaart_files, scenario_file_schema, schema_json
from ave_rules.loading import load_id
from ave_rules.testing.strategies import case_facts

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "regiekaarten"
EXAMPLE = ROOT / "examples" / "gemeente-voorbeeld"
EXAMPLE_SCENARIOS = EXAMPLE / "scenarios" / "voorbeeldgemeente.scenarios.yaml"

HEADER = "formaat: 1\nregiekaart: ave-generiek\nscenarios:\n"
ONE = '  - id: rustig\n    omschrijving: Niets aan de hand.\n    feiten: {}\n    verwacht: {niveau: "1"}\n'


def scenario_file(kaart: str = "ave-generiek", peildatum: str | None = None) -> str:
    """A scenario file with ``ONE`` for ``kaart``, optionally on ``peildatum``."""
    day = f'peildatum: "{peildatum}"\n' if peildatum else ""
    return f"formaat: 1\nregiekaart: {kaart}\n{day}scenarios:\n{ONE}"


def write(directory: Path, text: str, name: str = "test.scenarios.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, **kwargs: Any) -> list[tuple[str, int, int, str]]:
    with pytest.raises(RegiekaartError) as raised:
        load_scenarios(path, **kwargs)
    return [(p.code, p.line, p.column, p.path) for p in raised.value.problems]


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# --- the published schema -----------------------------------------------------------------


def test_published_schema_is_the_generated_one() -> None:
    published = (ROOT / "schemas" / "scenarios.schema.json").read_text(encoding="utf-8")
    assert published == schema_json(scenario_file_schema()), (
        "run `ave-rules schema --scenarios > schemas/scenarios.schema.json`"
    )


def test_schema_is_draft_07_closed_and_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    schema = scenario_file_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["definitions"]["scenario"] == ave_rules_kaart_schema()["definitions"]["scenario"]
    jsonschema.validate(yaml.safe_load(EXAMPLE_SCENARIOS.read_text()), schema)
    assert main(["schema", "--scenarios"]) == 0
    assert json.loads(capsys.readouterr().out) == schema


def ave_rules_kaart_schema() -> dict[str, Any]:
    from ave_rules.kaart import regiekaart_schema

    return regiekaart_schema()


# --- finding the kaart ----------------------------------------------------------------------


def test_example_scenario_file_finds_its_kaart_in_a_search_directory_and_holds() -> None:
    loaded = load_scenarios(EXAMPLE_SCENARIOS, search=[EXAMPLE / "regiekaarten"])
    assert (loaded.kaart.id, loaded.kaart.version) == ("voorbeeldgemeente", "2025.1")
    assert [scenario.id for scenario in loaded.scenarios] == ["afschalen-naar-wijkteam", "zonder-hulpvraag-zelfregie"]
    assert all(result.passed for result in loaded.run())
    assert loaded.problems() == []


def test_kaart_next_to_the_file_is_found_before_the_bundled_one(tmp_path: Path) -> None:
    generic = (BUNDLED / "ave-generiek.yaml").read_text(encoding="utf-8")
    write(tmp_path, generic.replace('versie: "2025.1"', 'versie: "lokaal"'), "ave-generiek.yaml")
    loaded = load_scenarios(write(tmp_path, HEADER + ONE))
    assert loaded.kaart.version == "lokaal"


@pytest.mark.parametrize(
    ("peildatum", "version"),
    [("2017-06-01", "2017.1"), ("2021-01-01", "2021.1"), ("2026-06-01", "2021.1")],
)
def test_peildatum_chooses_the_version_and_on_overrides_it(tmp_path: Path, peildatum: str, version: str) -> None:
    path = write(tmp_path, scenario_file("groningen", peildatum))
    assert load_scenarios(path).kaart.version == version
    assert load_scenarios(path, on=datetime.date(2017, 3, 1)).kaart.version == "2017.1"


def test_no_version_on_the_peildatum_is_located_at_regiekaart(tmp_path: Path) -> None:
    path = write(tmp_path, scenario_file("groningen", "2019-06-01"))
    with pytest.raises(RegiekaartError) as raised:
        load_scenarios(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.line, problem.column, problem.path) == ("kaart-niet-geldig", 2, 13, "/regiekaart")
    assert problem.message == (
        "regiekaart 'groningen' heeft geen versie die geldt op 2019-06-01; "
        "versies: 2017.1 (2017-01-01 – 2018-01-01), 2021.1 (2021-01-01 – )"
    )


def test_without_peildatum_a_kaart_not_yet_valid_is_tested_in_its_first_version(tmp_path: Path) -> None:
    generic = (BUNDLED / "ave-generiek.yaml").read_text(encoding="utf-8")
    future = generic.replace("id: ave-generiek", "id: toekomst").replace(
        'geldig_vanaf: "2017-01-01"', 'geldig_vanaf: "2099-01-01"'
    )
    write(tmp_path, future, "toekomst.yaml")
    loaded = load_scenarios(write(tmp_path, scenario_file("toekomst")))
    assert loaded.kaart.valid_from == "2099-01-01"


def test_unknown_kaart_suggests_the_closest_and_says_where_it_looked(tmp_path: Path) -> None:
    path = write(tmp_path, scenario_file("ave-generik"))
    with pytest.raises(RegiekaartError) as raised:
        load_scenarios(path, search=[tmp_path, tmp_path / "."])
    (problem,) = raised.value.problems
    assert (problem.code, problem.line, problem.path) == ("kaart-onbekend", 2, "/regiekaart")
    assert "(bedoelt u 'ave-generiek'?)" in problem.message
    assert problem.message.count(str(tmp_path)) == 1  # each directory named once


def test_a_broken_kaart_is_reported_when_the_sought_kaart_is_missing(tmp_path: Path) -> None:
    write(tmp_path, "formaat: 1\nid: [kapot\n", "kapot.yaml")
    found = problems_of(write(tmp_path, scenario_file("kapot")))
    assert sorted(code for code, *_ in found) == ["haakje-niet-gesloten", "kaart-onbekend"]


def test_a_kaart_that_does_not_load_gives_its_own_problems(tmp_path: Path) -> None:
    generic = (BUNDLED / "ave-generiek.yaml").read_text(encoding="utf-8")
    broken = generic.replace("id: ave-generiek", "id: stuk").replace(
        'feiten: {}\n    verwacht:\n      niveau: "1"', 'feiten: {}\n    verwacht:\n      niveau: "9"', 1
    )
    kaart = write(tmp_path, broken, "stuk.yaml")
    with pytest.raises(RegiekaartError) as raised:
        load_scenarios(write(tmp_path, scenario_file("stuk")))
    assert [(p.file, p.code) for p in raised.value.problems] == [(str(kaart), "onbekende-verwijzing")]


def test_load_id_is_the_library_call_behind_it() -> None:
    assert load_id("groningen", on=datetime.date(2017, 6, 1)).version == "2017.1"
    with pytest.raises(KaartNotFoundError) as raised:
        load_id("groningen", on=datetime.date(2019, 6, 1))
    assert raised.value.code == "kaart-niet-geldig"
    with ave_rules.language("en"):
        assert str(raised.value).startswith("regiekaart 'groningen' has no version valid on 2019-06-01")


# --- bad scenario files ---------------------------------------------------------------------


BAD = [
    ("formaat: 1\nscenarios:\n" + ONE, [("sleutel-ontbreekt", 1, 1, "")]),
    (
        HEADER.replace("scenarios:", "scenario:") + ONE,
        [("sleutel-ontbreekt", 1, 1, ""), ("onbekende-sleutel", 3, 1, "/scenario")],
    ),
    (HEADER.replace("formaat: 1", "formaat: 2") + ONE, [("vaste-waarde", 1, 10, "/formaat")]),
    (HEADER.replace("scenarios:", "scenarios: geen"), [("verkeerd-type", 3, 12, "/scenarios")]),
    ("formaat: 1\nregiekaart: ave-generiek\nscenarios: []\n", [("te-weinig-items", 3, 12, "/scenarios")]),
    (
        HEADER.replace("scenarios:", 'peildatum: "2025-02-30"\nscenarios:') + ONE,
        [("ongeldige-datum", 3, 12, "/peildatum")],
    ),
    (HEADER + ONE + ONE, [("dubbele-id", 8, 9, "/scenarios/1/id")]),
    (
        HEADER + ONE.replace("feiten: {}", "feiten: {kolomen: [zorg]}"),
        [("onbekende-verwijzing", 6, 14, "/scenarios/0/feiten/kolomen")],
    ),
    (
        HEADER + ONE.replace("feiten: {}", "feiten: {kolommen: [zorg, wonen]}"),
        [("waarde-buiten-domein", 6, 31, "/scenarios/0/feiten/kolommen/1")],
    ),
    (
        HEADER + ONE.replace('niveau: "1"', 'niveau: "5"'),
        [("onbekende-verwijzing", 7, 23, "/scenarios/0/verwacht/niveau")],
    ),
    (
        HEADER + ONE.replace('{niveau: "1"}', '{niveau: "1", rollen: {casusregie: [buurman]}}'),
        [("onbekende-verwijzing", 7, 49, "/scenarios/0/verwacht/rollen/casusregie/0")],
    ),
    ("- formaat: 1\n", [("geen-mapping", 1, 1, "")]),
    (HEADER + "  - &a {id: x}\n", [("anker-alias", 4, 5, "")]),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[f"{index}" for index in range(len(BAD))])
def test_each_bad_scenario_file_is_refused_with_located_problems(
    tmp_path: Path, text: str, expected: list[tuple[str, int, int, str]]
) -> None:
    found = problems_of(write(tmp_path, text))
    assert [(code, line, path) for code, line, _, path in found] == [(c, line, p) for c, line, _, p in expected]


def test_unreadable_and_huge_files_are_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "ontbreekt.scenarios.yaml")[0][0] == "bestand-onleesbaar"
    huge = write(tmp_path, HEADER + ONE + "#" * (2 * 1024 * 1024))
    assert problems_of(huge)[0][0] == "bestand-te-groot"


def test_a_problem_never_repeats_a_long_fact_value(tmp_path: Path) -> None:
    secret = "x" * 90
    path = write(tmp_path, HEADER + ONE.replace("feiten: {}", f"feiten: {{onbekend_feit: {secret}}}"))
    with pytest.raises(RegiekaartError) as raised:
        load_scenarios(path)
    assert secret not in str(raised.value)


# --- same outcome as in the kaart -------------------------------------------------------------


def _as_yaml_value(value: Any) -> Any:
    return sorted(value) if isinstance(value, list | tuple | set | frozenset) else value


@pytest.mark.parametrize("path", sorted(BUNDLED.glob("*.yaml")), ids=lambda path: path.stem)
def test_a_kaarts_own_scenarios_give_the_same_results_from_a_scenario_file(tmp_path: Path, path: Path) -> None:
    kaart = ave_rules.load(path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = yaml.safe_dump(
        {
            "formaat": 1,
            "regiekaart": kaart.id,
            "peildatum": kaart.valid_from,
            "scenarios": document.get("scenarios") or [],
        },
        allow_unicode=True,
    )
    if not kaart.scenarios:
        pytest.skip("geen scenario's")
    loaded = load_scenarios(write(tmp_path, text))
    assert loaded.kaart.content_hash == kaart.content_hash
    assert [(r.decision, r.mismatches) for r in loaded.run()] == [
        (r.decision, r.mismatches) for r in run_scenarios(kaart)
    ]


@pytest.fixture(scope="module")
def generic() -> ave_rules.Regiekaart:
    return ave_rules.load(BUNDLED / "ave-generiek.yaml")


@settings(max_examples=examples(10, 50), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_scenario_holds_exactly_when_its_expected_level_is_the_kaarts(
    tmp_path: Path, generic: ave_rules.Regiekaart, data: st.DataObject
) -> None:
    facts = data.draw(case_facts(generic))
    level = generic.evaluate(facts).level
    expected = data.draw(st.sampled_from(generic.level_ids))
    scenario = {
        "id": "casus",
        "omschrijving": "Een gegenereerde casus.",
        "feiten": {name: _as_yaml_value(value) for name, value in facts.items()},
        "verwacht": {"niveau": expected},
    }
    text = yaml.safe_dump({"formaat": 1, "regiekaart": "ave-generiek", "scenarios": [scenario]}, allow_unicode=True)
    path = write(tmp_path, text)
    problems: list[Problem] = load_scenarios(path).problems()
    if expected == level:
        assert problems == []
    else:
        (problem,) = problems
        assert (problem.code, problem.path, problem.line) == (
            "scenario-wijkt-af",
            "/scenarios/0/verwacht/niveau",
            line_of(path, "niveau:"),
        )


# --- directories and the command line ---------------------------------------------------------


def test_scenario_files_are_not_kaarten(tmp_path: Path) -> None:
    write(tmp_path, (BUNDLED / "ave-generiek.yaml").read_text(encoding="utf-8"), "ave-generiek.yaml")
    write(tmp_path, HEADER + ONE)
    assert [path.name for path in kaart_files(tmp_path)] == ["ave-generiek.yaml"]
    assert list(ave_rules.load_dir(tmp_path)) == ["ave-generiek"]


def test_validate_and_check_run_scenario_files_in_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(EXAMPLE / "regiekaarten"), str(EXAMPLE / "scenarios")]
    assert main(["validate", *paths]) == 0
    out = capsys.readouterr().out
    assert f"{EXAMPLE_SCENARIOS}: 2 scenario's kloppen (voorbeeldgemeente versie 2025.1)" in out
    assert main(["check", "--format", "json", *paths]) == 0
    assert json.loads(capsys.readouterr().out)["clean"] is True


def test_a_failing_scenario_file_fails_validate_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, HEADER + ONE.replace('niveau: "1"', 'niveau: "2"'))
    for command in ("validate", "check"):
        assert main([command, str(path)]) == 1
        out = capsys.readouterr().out
        assert f"{path}:7:24: scenario 'rustig': niveau verwacht 2, maar de kaart geeft 1" in out
    assert main(["validate", "--format", "json", str(tmp_path)]) == 1
    document = json.loads(capsys.readouterr().out)
    assert (document["valid"], document["scenariobestanden"]) == (False, [])
    assert [problem["code"] for problem in document["problems"]] == ["scenario-wijkt-af"]
