"""The semantic diff, the load simulation and case files: against brute force, and at the command line."""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_analysis import BASE, ROOT, _every_case, load

import ave_rules
from ave_rules import CaseFileError, DiffError, count_cases, diff
from ave_rules.analysis import Summary, simulate
from ave_rules.analysis._patterns import FactCondition
from ave_rules.cli import main
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.engine._reference import compare
from ave_rules.kaart import Action, SetFact, fact_values
from ave_rules.testing.strategies import kaart_documents

GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"
EXAMPLE = ROOT / "examples" / "gemeente-voorbeeld" / "regiekaarten" / "voorbeeldgemeente.yaml"


def _holds(kaart: ave_rules.Regiekaart, condition: FactCondition, case: Mapping[str, Any]) -> bool:
    fact = kaart.fact_by_id[condition.fact]
    value = case[condition.fact]
    if isinstance(fact, SetFact):
        if condition.test == "bevat":
            result = condition.operand in value
        elif condition.test == "aantal_minstens":
            result = len(value) >= condition.operand
        elif condition.test == "aantal_is":
            result = len(value) == condition.operand
        else:
            assert condition.test == "aantal_hoogstens"
            result = len(value) <= condition.operand
    else:
        result = compare(condition.test, value, condition.operand, fact_values(fact, kaart.level_ids))
    return result != condition.negated


def _assert_summary_exact(kaart: ave_rules.Regiekaart, summary: Summary, region: list[dict[str, Any]]) -> None:
    """The summary counts the region exactly; every pattern lies inside it; patterns plus rest cover it."""
    assert summary.cases == len(region)
    covered: set[str] = set()
    everything = list(_every_case(kaart))
    for pattern in summary.patterns:
        matching = [case for case in everything if all(_holds(kaart, c, case) for c in pattern.conditions)]
        assert pattern.cases == len(matching) > 0
        assert all(case in region for case in matching)
        covered |= {repr(sorted(case.items(), key=str)) for case in matching}
    assert summary.rest == len(region) - len(covered)


@st.composite
def kaart_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A random kaart, and a version of it with rules dropped or sent to another level."""
    document = draw(kaart_documents(max_facts=4, max_rules=6))
    changed = copy.deepcopy(document)
    level_ids = [level["id"] for level in document["niveaus"]]
    for rule in changed["regels"]:
        if "niveau" in rule["dan"] and draw(st.booleans()):
            rule["dan"]["niveau"] = draw(st.sampled_from(level_ids))
    changed["versie"] = "2"
    return document, changed


def _loaded(document: dict[str, Any]) -> ave_rules.Regiekaart:
    try:
        return load(document)
    except ave_rules.RegiekaartError:
        assume(False)
        raise  # not reached (assume(False) raises); tells the type checker no kaart is returned here


@settings(
    max_examples=examples(15, 80),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(kaart_pairs())
def test_the_diff_agrees_with_brute_force(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old, new = (_loaded(document) for document in pair)
    result = diff(old, new)
    outcomes = [(case, reference_evaluate(old, case), reference_evaluate(new, case)) for case in _every_case(old)]
    assert result.space_size == len(outcomes)
    moves: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for case, before, after in outcomes:
        if before.level != after.level:
            moves.setdefault((before.level, after.level), []).append(case)
    assert {(c.old, c.new): c.summary.cases for c in result.levels} == {key: len(cases) for key, cases in moves.items()}
    for change in result.levels:
        _assert_summary_exact(old, change.summary, moves[(change.old, change.new)])
    for action_change in result.actions:
        region = [
            case
            for case, before, after in outcomes
            if (action_change.action in after.actions) == action_change.added
            and (action_change.action in before.actions) != action_change.added
        ]
        assert action_change.summary.cases == len(region) > 0
    changed_actions = {
        (key, added)
        for _, before, after in outcomes
        for key, added in [
            *((k, True) for k in after.actions if k not in before.actions),
            *((k, False) for k in before.actions if k not in after.actions),
        ]
    }
    assert {(c.action, c.added) for c in result.actions} == changed_actions


def test_a_kaart_against_itself_is_unchanged() -> None:
    kaart = ave_rules.load(GENERIC)
    result = diff(kaart, kaart)
    assert result.unchanged and result.space_size > 10**12


def test_a_changed_role_holder_is_found_on_exactly_its_level() -> None:
    old, new = ave_rules.load(GENERIC), ave_rules.load(EXAMPLE)
    result = diff(old, new)
    # The example's one new rule (a case at its level for longer than three months) is the only
    # thing that moves a level.
    for change in result.levels:
        for pattern in change.summary.patterns:
            assert any(c.fact == "verblijfsduur" and c.operand == "langer" for c in pattern.conditions), pattern
    changed = {(r.old_level, r.new_level, r.role) for r in result.roles if r.old_level == r.new_level}
    differing = {
        (level.id, level.id, role)
        for level in old.levels
        for role in (
            "casusregie",
            "procesregie",
            "operationele_verantwoordelijkheid",
            "bestuurlijke_verantwoordelijkheid",
        )
        if level.roles.holders(role) != new.level_by_id[level.id].roles.holders(role)
    }
    assert changed == differing and changed


def test_a_moved_threshold_moves_the_cases_the_patterns_describe() -> None:
    def raise_threshold(document: dict[str, Any]) -> None:
        document["regels"][0]["als"]["aantal_minstens"] = 3  # 'breed' now needs all three kolommen

    old = load(BASE)
    changed = copy.deepcopy(BASE)
    raise_threshold(changed)
    new = load(changed)
    result = diff(old, new)
    moves: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for case in _every_case(old):
        before, after = reference_evaluate(old, case).level, reference_evaluate(new, case).level
        if before != after:
            moves.setdefault((before, after), []).append(case)
    assert sorted((c.old, c.new) for c in result.levels) == [("3", "1"), ("3", "2")] == sorted(moves)
    for change in result.levels:
        _assert_summary_exact(old, change.summary, moves[(change.old, change.new)])
    conditions = {str(c) for change in result.levels for p in change.summary.patterns for c in p.conditions}
    assert "{feit: kolommen, aantal_is: 2}" in conditions


def test_a_fact_that_changes_meaning_cannot_be_compared() -> None:
    changed = copy.deepcopy(BASE)
    changed["feiten"][1]["waarden"] = ["geen", "manifest", "dreigend"]
    with pytest.raises(DiffError) as raised:
        diff(load(BASE), load(changed))
    assert raised.value.facts == ["onrust"]
    assert "onrust" in str(raised.value)


def test_a_fact_only_the_new_kaart_knows_is_part_of_the_space() -> None:
    changed = copy.deepcopy(BASE)
    changed["feiten"].append({"id": "nieuw", "omschrijving": "Nieuw.", "soort": "ja_nee", "standaard": False})
    changed["regels"].append(
        {"id": "nieuw-3", "toelichting": "Nieuw.", "als": {"feit": "nieuw", "is": True}, "dan": {"niveau": "3"}}
    )
    old, new = load(BASE), load(changed)
    result = diff(old, new)
    assert result.space_size == 2 * diff(old, old).space_size
    assert all(("{feit: nieuw, is: true}" in map(str, p.conditions)) for c in result.levels for p in c.summary.patterns)


# --- simulation and case files ----------------------------------------------------------------


def random_cases(kaart: ave_rules.Regiekaart, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` cases of ``kaart``, drawn with ``seed``: some facts left out, sets of any size."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    cases: list[dict[str, Any]] = []
    for _ in range(count):
        case: dict[str, Any] = {}
        for fact in kaart.facts:
            values = fact_values(fact, kaart.level_ids)
            if isinstance(fact, SetFact):
                case[fact.id] = [value for value in values if rng.random() < 0.3]
            elif rng.random() < 0.7:
                case[fact.id] = rng.choice(values)
        cases.append(case)
    return cases


def test_simulate_counts_every_case_once_per_level_and_per_role_holder() -> None:
    kaart = ave_rules.load(GENERIC)
    cases = random_cases(kaart, 300, seed=5)
    result = simulate(kaart, cases)
    decisions = [kaart.evaluate(case) for case in cases]
    assert result.cases == 300 == sum(result.levels.values())
    assert dict(result.levels) == {level: sum(d.level == level for d in decisions) for level in kaart.level_ids}
    for organisation, by_role in result.organisations.items():
        for role, count in by_role.items():
            assert count == sum(organisation in d.roles[role] for d in decisions)


def _csv(kaart: ave_rules.Regiekaart, cases: Iterable[Mapping[str, Any]], delimiter: str = ",") -> str:
    names = [fact.id for fact in kaart.facts]
    lines = [delimiter.join(names)]
    for case in cases:
        cells: list[str] = []
        for name in names:
            value = case.get(name)
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("ja" if value else "nee")
            elif isinstance(value, list):
                cells.append("|".join(value))
            else:
                cells.append(str(value))
        lines.append(delimiter.join(cells))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_and_jsonl_case_files_read_the_same_cases(tmp_path: Path, delimiter: str) -> None:
    kaart = ave_rules.load(GENERIC)
    cases = random_cases(kaart, 50, seed=9)
    (tmp_path / "cases.csv").write_text(_csv(kaart, cases, delimiter), encoding="utf-8")
    (tmp_path / "cases.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    from_csv = count_cases(tmp_path / "cases.csv", [kaart])
    from_jsonl = count_cases(tmp_path / "cases.jsonl", [kaart])
    assert from_csv.rows == from_jsonl.rows == 50

    # an empty set is an empty cell in CSV: the fact is then not given, and its default (empty) applies
    def outcomes(counts: ave_rules.analysis.CaseCounts) -> Counter[tuple[str, tuple[Action, ...]]]:
        found: Counter[tuple[str, tuple[Action, ...]]] = Counter()
        for case, count in counts.cases():
            decision = kaart.evaluate(case)
            found[(decision.level, decision.actions)] += count
        return found

    assert outcomes(from_csv) == outcomes(from_jsonl)
    assert simulate(kaart, from_csv).levels == simulate(kaart, from_jsonl).levels


@pytest.mark.parametrize(
    ("name", "content", "code", "line", "column"),
    [
        ("cases.txt", "a\n", "cli-casussen-soort", 1, 1),
        ("cases.csv", "", "cli-casussen-geen-kop", 1, 1),
        ("cases.csv", "stagnatie,stagnatie\nja,nee\n", "cli-casussen-dubbele-kolom", 1, 2),
        ("cases.csv", "stagnatie,kolommen\nja\n", "cli-casussen-aantal-cellen", 2, 1),
        ("cases.csv", "kolommen,stagnatie\nzorg,misschien\n", "cli-casussen-ja-nee", 2, 2),
        ("cases.csv", "kolommen,stagnatie\nzorg|gezondheid,ja\n", "feit-waarde", 2, 1),
        ("cases.csv", "stagnatie,voornaam\nja,x\n", "cli-casussen-onbekende-kolom", 1, 2),
        ("cases.jsonl", '{"stagnatie": true}\n{"stagnatie": tru}\n', "cli-casussen-json", 2, 15),
        ("cases.jsonl", "[1, 2]\n", "cli-casussen-geen-object", 1, 1),
        ("cases.jsonl", '{"stagnatie": true, "stagnatie": false}\n', "cli-casussen-dubbele-sleutel", 1, 1),
        ("cases.jsonl", '{"stagnatie": "ja"}\n', "feit-type", 1, 1),
        ("cases.jsonl", b"\xff\xfe{}\n", "geen-utf8", 1, 1),
    ],
)
def test_a_bad_case_file_is_refused_whole_and_located(
    tmp_path: Path, name: str, content: str | bytes, code: str, line: int, column: int
) -> None:
    kaart = ave_rules.load(GENERIC)
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CaseFileError) as raised:
        count_cases(path, [kaart])
    problem = raised.value.problems[0]
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), line, column)
    assert "x" not in problem.message.split()  # the cell's content is not repeated


# --- the command line ---------------------------------------------------------------------------


def test_diff_command_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kaart = ave_rules.load(GENERIC)
    cases = random_cases(kaart, 40, seed=3)
    (tmp_path / "cases.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
    assert main(["diff", str(GENERIC), str(EXAMPLE), "--cases", str(tmp_path / "cases.jsonl")]) == 0
    text = capsys.readouterr().out
    assert "procesregie (niveau 3a)" in text and "Veiligheidsteam Voorbeeldgemeente" in text
    assert "van de 40 veranderen van niveau" in text
    assert main(["diff", str(GENERIC), str(EXAMPLE), "--format", "json", "--cases", str(tmp_path / "cases.jsonl")]) == 0
    document = json.loads(capsys.readouterr().out)
    new = ave_rules.load(EXAMPLE)
    expected = sum(kaart.evaluate(c).roles["procesregie"] != new.evaluate(c).roles["procesregie"] for c in cases)
    got = document["real_cases"]["old_load"]["organisations"]["gemeente"]["procesregie"]
    assert (
        got - document["real_cases"]["new_load"]["organisations"].get("gemeente", {}).get("procesregie", 0) == expected
    )
    assert any(role["role"] == "procesregie" and role["old_level"] == "3a" for role in document["roles"])


def test_simulate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kaart = ave_rules.load(GENERIC)
    (tmp_path / "cases.csv").write_text(_csv(kaart, random_cases(kaart, 30, seed=1), ";"))
    assert main(["simulate", str(GENERIC), "--cases", str(tmp_path / "cases.csv"), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["cases"] == 30 == sum(document["levels"].values())
    assert main(["--lang", "en", "simulate", str(GENERIC), "--cases", str(tmp_path / "cases.csv")]) == 0
    assert "ave-generiek 2025.1: 30 cases" in capsys.readouterr().out


def test_commands_report_bad_input_with_exit_code_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cases.csv").write_text("stagnatie\nmisschien\n")
    assert main(["simulate", str(GENERIC), "--cases", str(tmp_path / "cases.csv")]) == 1
    assert "cases.csv:2:1:" in capsys.readouterr().out
    changed = yaml.safe_load(GENERIC.read_text(encoding="utf-8"))
    changed["feiten"][2]["waarden"] = list(reversed(changed["feiten"][2]["waarden"]))
    changed["feiten"][2]["standaard"] = changed["feiten"][2]["waarden"][0]
    (tmp_path / "anders.yaml").write_text(yaml.safe_dump(changed, allow_unicode=True, sort_keys=False))
    assert main(["diff", str(GENERIC), str(tmp_path / "anders.yaml")]) == 1
    assert "zelfregie" in capsys.readouterr().err
    assert main(["diff", str(GENERIC), str(tmp_path / "bestaat-niet.yaml")]) == 1
