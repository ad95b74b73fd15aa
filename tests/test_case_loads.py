"""Real case loads (``simulate``, ``diff --cases``): streamed, each distinct case decided once, by
the kaart's decision diagrams cross-checked with the engine, or by the engine."""

from __future__ import annotations

import io
import json
import random
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_analysis import ROOT
from test_diff import random_cases

import ave_rules
import ave_rules.analysis
from ave_rules import CaseFileError, CrossCheckError
from ave_rules.analysis import CaseCounts, LevelDecider, count_cases, diff, simulate
from ave_rules.analysis import _case_files as case_files
from ave_rules.analysis._deciding import BddLevels, EngineLevels
from ave_rules.cli import main
from ave_rules.errors import MAX_PROBLEMS
from ave_rules.testing.strategies import case_facts, kaart_documents

GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"
EXAMPLE = ROOT / "examples" / "gemeente-voorbeeld" / "regiekaarten" / "voorbeeldgemeente.yaml"
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@pytest.fixture(scope="module")
def generic() -> ave_rules.Regiekaart:
    return ave_rules.load(GENERIC)


def _with_repetition(cases: list[dict[str, Any]], rows: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - test data
    return [rng.choice(cases) for _ in range(rows)]


def _csv(kaart: ave_rules.Regiekaart, cases: Iterable[Mapping[str, Any]]) -> str:
    names = [fact.id for fact in kaart.facts]
    lines = [",".join(names)]
    for case in cases:
        cells = []
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
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def _jsonl(cases: Iterable[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(case) + "\n" for case in cases)


def _per_row(kaart: ave_rules.Regiekaart, cases: Sequence[Mapping[str, Any]]) -> Counter[str]:
    """What the old path did: every row decided by the engine."""
    return Counter(kaart.evaluate(case).level for case in cases)


# --- the same load as deciding every row ------------------------------------------------------------


@pytest.mark.parametrize("form", ["csv", "jsonl"])
@pytest.mark.parametrize("decider", ["bdd", "engine"])
def test_a_streamed_file_gives_the_load_of_deciding_every_row(
    generic: ave_rules.Regiekaart, tmp_path: Path, form: str, decider: str
) -> None:
    rows = _with_repetition(random_cases(generic, 60, seed=1), 400, seed=2)
    path = tmp_path / f"cases.{form}"
    path.write_text(_csv(generic, rows) if form == "csv" else _jsonl(rows), encoding="utf-8")
    result = simulate(generic, path, decider=decider)
    expected = _per_row(generic, rows)
    assert dict(result.levels) == {level: expected[level] for level in generic.level_ids}
    assert result.cases == 400
    assert result.distinct == len({json.dumps(row, sort_keys=True) for row in rows})
    for organisation, by_role in result.organisations.items():
        for role, count in by_role.items():
            assert count == sum(
                n for level, n in expected.items() if organisation in generic.level_by_id[level].roles.holders(role)
            )
    assert result.decided_by == ("bdd" if decider == "bdd" else generic.evaluate({}).engine)
    assert result.cross_checked == (result.distinct if decider == "bdd" else 0)


def test_cases_in_memory_a_file_and_its_counts_give_the_same_load(
    generic: ave_rules.Regiekaart, tmp_path: Path
) -> None:
    rows = _with_repetition(random_cases(generic, 30, seed=3), 120, seed=4)
    (tmp_path / "cases.jsonl").write_text(_jsonl(rows), encoding="utf-8")
    counts = count_cases(tmp_path / "cases.jsonl", [generic])
    assert isinstance(counts, CaseCounts) and counts.rows == 120
    assert sum(count for _, count in counts.cases()) == 120
    loads = [simulate(generic, rows), simulate(generic, tmp_path / "cases.jsonl"), simulate(generic, counts)]
    assert loads[0].levels == loads[1].levels == loads[2].levels
    assert loads[0].organisations == loads[1].organisations == loads[2].organisations


def test_one_case_written_differently_is_one_distinct_case(generic: ave_rules.Regiekaart, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("kolommen,stagnatie\nzorg|veiligheid,ja\n veiligheid|zorg ,TRUE\nzorg|veiligheid,true\n,\n,nee\n")
    counts = count_cases(path, [generic])
    # a fact not given is apart from one given its default: two kaarten may differ in defaults
    assert (counts.rows, counts.distinct) == (5, 3)


def test_diff_counts_real_cases_as_deciding_every_row_with_both_kaarten(tmp_path: Path) -> None:
    old, new = ave_rules.load(GENERIC), ave_rules.load(EXAMPLE)
    rows = _with_repetition(random_cases(old, 80, seed=5), 300, seed=6)
    (tmp_path / "cases.csv").write_text(_csv(old, rows), encoding="utf-8")
    moved = Counter((old.evaluate(row).level, new.evaluate(row).level) for row in rows)
    for decider in ("bdd", "engine"):
        real = diff(old, new, tmp_path / "cases.csv", decider=decider).real_cases
        assert real is not None
        assert dict(real.moves) == {pair: n for pair, n in moved.items() if pair[0] != pair[1]}
        assert dict(real.new.levels) == {
            level: sum(n for (_, b), n in moved.items() if b == level) for level in new.level_ids
        }
        assert real.old.cases == real.new.cases == 300


def test_facts_not_given_take_each_kaarts_own_default(tmp_path: Path) -> None:
    document = yaml.safe_load(GENERIC.read_text(encoding="utf-8"))
    for fact in document["feiten"]:
        if fact["id"] in ("kolommen", "leefgebieden"):
            fact["standaard"] = fact["waarden"][:2]  # multidomein and meervoudig unless the case says otherwise
        if fact["id"] == "stagnatie":
            fact["standaard"] = True
    broad = ave_rules.loads(yaml.safe_dump(document, allow_unicode=True), name="breed.yaml")
    rows: list[dict[str, Any]] = [{}, {"kolommen": []}, {"stagnatie": False}, {"leefgebieden": ["financien"]}]
    rows = [*rows, {"hulpvraag": True}] * 3
    (tmp_path / "cases.jsonl").write_text(_jsonl(rows), encoding="utf-8")
    expected = _per_row(broad, rows)
    assert expected["3a"] > 0  # the defaults decide
    for decider in ("bdd", "engine"):
        result = simulate(broad, tmp_path / "cases.jsonl", decider=decider)
        assert dict(result.levels) == {level: expected[level] for level in broad.level_ids}
    generic = ave_rules.load(GENERIC)
    moved = Counter((generic.evaluate(row).level, broad.evaluate(row).level) for row in rows)
    real = diff(generic, broad, tmp_path / "cases.jsonl").real_cases
    assert real is not None and dict(real.moves) == {pair: n for pair, n in moved.items() if pair[0] != pair[1]}


# --- each distinct case once ---------------------------------------------------------------------------


class _Counting:
    """A decider that counts the cases it is asked about (the engine decides them)."""

    def __init__(self, kaart: ave_rules.Regiekaart) -> None:
        self._engine = EngineLevels(kaart)
        self.name = "counting"
        self.asked: list[Mapping[str, Any]] = []

    def level(self, facts: Mapping[str, Any]) -> str:
        self.asked.append(dict(facts))
        return self._engine.level(facts)


def test_a_repeated_case_is_decided_once(generic: ave_rules.Regiekaart, tmp_path: Path) -> None:
    distinct = random_cases(generic, 7, seed=7)
    rows = _with_repetition(distinct, 2_000, seed=8)
    (tmp_path / "cases.csv").write_text(_csv(generic, rows), encoding="utf-8")
    made: list[_Counting] = []

    def counting(kaart: ave_rules.Regiekaart) -> LevelDecider:
        made.append(_Counting(kaart))
        return made[-1]

    result = simulate(generic, tmp_path / "cases.csv", decider=counting, sample=0)
    assert (result.cases, result.distinct) == (2_000, len({json.dumps(c, sort_keys=True) for c in rows}))
    asked = [json.dumps(case, sort_keys=True) for case in made[0].asked]
    assert len(asked) == len(set(asked)) == result.distinct


# --- the diagrams and the engine agree, and a disagreement is an error ----------------------------------


def _load(document: dict[str, Any]) -> ave_rules.Regiekaart:
    return ave_rules.loads(yaml.dump(document, Dumper=DUMPER, allow_unicode=True), name="gegenereerd.yaml")


@settings(max_examples=examples(40, 150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_diagrams_decide_every_case_as_the_engine(data: st.DataObject) -> None:
    kaart = _load(data.draw(kaart_documents(), label="kaart"))
    cases = data.draw(st.lists(case_facts(kaart), min_size=1, max_size=25), label="cases")
    diagrams = BddLevels(kaart)
    for case in cases:
        assert diagrams.level(case) == kaart.evaluate(case).level
    # the same through a load: the diagrams read the case's number, the engine every row
    by_bdd = simulate(kaart, cases, decider="bdd", sample=0)
    assert dict(by_bdd.levels) == {level: _per_row(kaart, cases)[level] for level in kaart.level_ids}


class _WrongOnLevel4:
    """The diagrams, but every case they put on level 4 said to be level 1."""

    name = "bdd"

    def __init__(self, kaart: ave_rules.Regiekaart) -> None:
        self._diagrams = BddLevels(kaart)

    def level(self, facts: Mapping[str, Any]) -> str:
        found = self._diagrams.level(facts)
        return "1" if found == "4" else found


def test_a_disagreement_with_the_engine_is_an_error(generic: ave_rules.Regiekaart, tmp_path: Path) -> None:
    rows = [{"openbare_orde_verstoord": True}, {"hulpvraag": True}, {}] * 5
    (tmp_path / "cases.jsonl").write_text(_jsonl(rows), encoding="utf-8")
    with pytest.raises(CrossCheckError) as raised:
        simulate(generic, tmp_path / "cases.jsonl", decider=_WrongOnLevel4)
    assert raised.value.params["aantal"] == "1" and raised.value.params["getoetst"] == "3"
    assert "niveau 1, de engine 4" in str(raised.value)
    # the same decider agrees where it is right
    assert simulate(generic, rows[1:3], decider=_WrongOnLevel4).cross_checked == 2


def test_the_command_fails_loudly_on_a_disagreement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases.jsonl").write_text(_jsonl([{"openbare_orde_verstoord": True}]), encoding="utf-8")
    real = ave_rules.analysis.simulate

    def wrong(kaart: ave_rules.Regiekaart, cases: Any, **options: Any) -> Any:
        return real(kaart, cases, **{**options, "decider": _WrongOnLevel4})

    monkeypatch.setattr(ave_rules.analysis, "simulate", wrong)
    assert main(["simulate", str(GENERIC), "--cases", str(tmp_path / "cases.jsonl"), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "ave_rules" in err and "1 van de 1" in err


def test_the_output_says_what_decided(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cases.jsonl").write_text(_jsonl([{"hulpvraag": True}, {}, {}]), encoding="utf-8")
    arguments = ["simulate", str(GENERIC), "--cases", str(tmp_path / "cases.jsonl")]
    assert main([*arguments, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["cases"], document["distinct_cases"], document["decided_by"]) == (3, 2, "bdd")
    assert document["cross_checked"] == 2 and document["checked_against"] in ("durable-rules", "reference")
    assert main([*arguments, "--format", "json", "--beslisser", "engine", "--engine", "reference"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["decided_by"], document["cross_checked"], document["checked_against"]) == ("reference", 0, None)
    assert main(["--lang", "en", *arguments, "--steekproef", "1"]) == 0
    assert "2 distinct cases, each decided once with the kaart's decision diagrams; 1 of them cross-checked" in (
        capsys.readouterr().out
    )
    assert main(["--lang", "en", *arguments, "--beslisser", "engine", "--engine", "reference"]) == 0
    assert "2 distinct cases, each decided once with reference" in capsys.readouterr().out


def test_diagrams_too_large_fall_back_to_the_engine_with_the_reason(
    generic: ave_rules.Regiekaart, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ave_rules.analysis import _deciding

    monkeypatch.setattr(_deciding, "MAX_BDD_NODES", 10)
    result = simulate(generic, [{"hulpvraag": True}])
    assert result.decided_by == generic.evaluate({}).engine
    assert result.fallback is not None and "10" in result.fallback
    assert result.levels["2"] == 1


# --- a file with a problem is refused whole, located ---------------------------------------------------


def test_a_problem_late_in_a_file_refuses_the_whole_file(generic: ave_rules.Regiekaart, tmp_path: Path) -> None:
    good = _csv(generic, random_cases(generic, 50, seed=9))
    path = tmp_path / "cases.csv"
    path.write_text(
        good + good.split("\n", 2)[1] + "\n" + "," * (len(generic.facts) - 1) + "misschien\n", encoding="utf-8"
    )
    with pytest.raises(CaseFileError) as raised:
        simulate(generic, path)
    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.column) == ("feit-waarde", 53, len(generic.facts))


def test_a_bad_line_repeated_is_reported_at_every_line_up_to_the_limit(
    generic: ave_rules.Regiekaart, tmp_path: Path
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("kolommen,stagnatie\n" + "zorg|x,ja\nzorg,ja\n" * (MAX_PROBLEMS + 50), encoding="utf-8")
    with pytest.raises(CaseFileError) as raised:
        count_cases(path, [generic])
    problems = raised.value.problems
    assert len(problems) == MAX_PROBLEMS
    assert [(p.code, p.line, p.column, p.path) for p in problems[:2]] == [
        ("feit-waarde", 2, 1, "/kolommen/1"),
        ("feit-waarde", 4, 1, "/kolommen/1"),
    ]


def test_a_line_too_long_is_refused_and_reading_goes_on(
    generic: ave_rules.Regiekaart, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_files, "MAX_LINE_BYTES", 40)
    path = tmp_path / "cases.jsonl"
    path.write_text('{"hulpvraag": true}\n{"hulpvraag": true, "stagnatie": true, "acute_crisis": true}\n{"x": 1}\n')
    with pytest.raises(CaseFileError) as raised:
        count_cases(path, [generic])
    assert [(p.code, p.line) for p in raised.value.problems] == [
        ("cli-casussen-regel-te-lang", 2),
        ("feit-onbekend", 3),
    ]


def test_a_byte_that_is_not_utf8_is_located_in_its_line(generic: ave_rules.Regiekaart, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(b"\xef\xbb\xbfstagnatie,kolommen\nja,zorg\nja,zo\xffrg\n")
    with pytest.raises(CaseFileError) as raised:
        count_cases(path, [generic])
    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.column, problem.params["byte"]) == ("geen-utf8", 3, 6, "36")


def test_a_multi_line_csv_cell_is_refused(generic: ave_rules.Regiekaart, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text('stagnatie,kolommen\nja,"zorg\nveiligheid"\n', encoding="utf-8")
    with pytest.raises(CaseFileError) as raised:
        count_cases(path, [generic])
    assert raised.value.problems[0].line == 2


# --- no size cap on rows, a bound on distinct cases ------------------------------------------------------


def test_more_rows_than_the_old_cap_are_read(generic: ave_rules.Regiekaart, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"{}\n" * 1_000_001 + b'{"hulpvraag": true}\n')
    result = simulate(generic, path)
    assert (result.cases, result.distinct, result.levels["1"], result.levels["2"]) == (1_000_002, 2, 1_000_001, 1)


def test_distinct_cases_are_bounded(
    generic: ave_rules.Regiekaart, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_files, "MAX_DISTINCT_CASES", 2)
    path = tmp_path / "cases.jsonl"
    path.write_text("{}\n" * 50 + '{"hulpvraag": true}\n{}\n{"stagnatie": true}\n', encoding="utf-8")
    with pytest.raises(CaseFileError) as raised:
        count_cases(path, [generic])
    assert [(p.code, p.line) for p in raised.value.problems] == [("cli-casussen-te-veel", 53)]
    monkeypatch.setattr(case_files, "MAX_DISTINCT_CASES", 3)
    assert count_cases(path, [generic]).distinct == 3


def test_the_line_memory_is_only_a_speed_up(
    generic: ave_rules.Regiekaart, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _with_repetition(random_cases(generic, 40, seed=10), 500, seed=11)
    (tmp_path / "cases.csv").write_text(_csv(generic, rows), encoding="utf-8")
    remembered = simulate(generic, tmp_path / "cases.csv")
    monkeypatch.setattr(case_files, "LINE_MEMORY", 3)
    monkeypatch.setattr(case_files, "CELL_MEMORY", 1)
    forgetful = simulate(generic, tmp_path / "cases.csv")
    assert (remembered.levels, remembered.distinct) == (forgetful.levels, forgetful.distinct)


# --- progress --------------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text("hulpvraag,zelfregie\n" + "ja,beperkt\n" * 300 + "nee,afwezig\n" * 300, encoding="utf-8")
    return path


def test_progress_is_shown_on_a_terminal_without_any_fact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ave_rules.analysis import _deciding

    monkeypatch.setattr(case_files, "PROGRESS_EVERY", 100)
    monkeypatch.setattr(_deciding, "PROGRESS_EVERY", 1)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert main(["simulate", str(GENERIC), "--cases", str(_cases_file(tmp_path))]) == 0
    shown = terminal.getvalue()
    assert "600 regels gelezen, 2 verschillende casussen" in shown
    assert "2 van 2 verschillende casussen beslist" in shown
    assert shown.endswith("\r\x1b[K")  # the line is cleared at the end
    assert "beperkt" not in shown and "afwezig" not in shown


@pytest.mark.parametrize("output", ["text", "json"])
def test_no_progress_when_standard_error_is_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    from ave_rules.analysis import _deciding

    monkeypatch.setattr(case_files, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(_deciding, "PROGRESS_EVERY", 1)
    assert main(["simulate", str(GENERIC), "--cases", str(_cases_file(tmp_path)), "--format", output]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "gelezen" not in out


# --- deprecations ----------------------------------------------------------------------------------------


def test_read_cases_and_levels_of_cases_still_work_with_a_warning(
    generic: ave_rules.Regiekaart, tmp_path: Path
) -> None:
    rows = [{"hulpvraag": True}, {}, {"hulpvraag": True}]
    (tmp_path / "cases.jsonl").write_text(_jsonl(rows), encoding="utf-8")
    with pytest.warns(DeprecationWarning, match="count_cases"):
        assert ave_rules.read_cases(tmp_path / "cases.jsonl", [generic]) == rows
    result = simulate(generic, rows)
    with pytest.warns(DeprecationWarning, match="levels_of_cases"):
        assert result.levels_of_cases == ("2", "1", "2")
    with warnings.catch_warnings(), pytest.raises(AttributeError, match="case file"):
        warnings.simplefilter("ignore", DeprecationWarning)
        _ = simulate(generic, tmp_path / "cases.jsonl").levels_of_cases


def test_cases_in_memory_that_do_not_fit_are_named_by_their_index(generic: ave_rules.Regiekaart) -> None:
    with pytest.raises(ave_rules.FactsError) as raised:
        simulate(generic, [{}, {"hulpvraag": True}, {"zelfregie": "bsn123456782"}])
    [problem] = raised.value.problems
    assert (problem.code, problem.path) == ("feit-waarde", "2/zelfregie")
    assert "123456782" not in str(raised.value)
