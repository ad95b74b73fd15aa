"""A case's history: its dated decisions, the time facts that follow from them, and what it
refuses to make untrue."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules import HistoryError
from ave_rules.records import CaseHistory, history_schema, read_history

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gemeente-voorbeeld" / "regiekaarten" / "voorbeeldgemeente.yaml"
KAART = ave_rules.load(EXAMPLE)
REFERENCE = ave_rules.load(EXAMPLE, engine="reference")
D = datetime.date
#: Complex, stuck, structurally unsafe: 3a in the example gemeente, 3b after three months at it.
STUCK = {
    "leefgebieden": ["financien", "huisvesting"],
    "kolommen": ["zorg", "bestuur"],
    "veiligheidsrisico": "structureel",
    "stagnatie": True,
}


def test_a_case_held_too_long_is_opgeschaald() -> None:
    history = CaseHistory.start("zaak-2026-0042", KAART.id)
    history, first = history.decide(KAART, STUCK, D(2026, 1, 5))
    assert first.level == "3a" and history.time_facts(KAART, D(2026, 1, 5)) == {"verblijfsduur": "korter_dan_6_weken"}
    history, second = history.decide(KAART, STUCK, D(2026, 2, 20))  # 6 weeks on: 16 February
    assert second.level == "3a" and history.entries[-1].facts["verblijfsduur"] == "6_weken_tot_3_maanden"
    assert history.entries[-1].facts["huidige_fase"] == "3a"  # the current phase from the history
    assert history.level_since() == D(2026, 1, 5)
    history, third = history.decide(KAART, STUCK, D(2026, 4, 7))  # 3 months on: 6 April is Easter Monday
    assert third.level == "3b" and "te-lang-zonder-voortgang" in [entry.rule for entry in third.trace]
    assert [action.type for action in third.actions][:1] == ["opschalen"]
    assert history.level_since() == D(2026, 4, 7)
    assert history.time_facts(KAART, D(2026, 4, 8)) == {"verblijfsduur": "korter_dan_6_weken"}  # a new level


def test_the_three_month_threshold_counts_on_the_kaarts_calendar() -> None:
    history, _ = CaseHistory.start("z1", KAART.id).decide(KAART, STUCK, D(2026, 1, 5))
    assert history.time_facts(KAART, D(2026, 4, 6))["verblijfsduur"] == "6_weken_tot_3_maanden"  # Easter Monday
    assert history.time_facts(KAART, D(2026, 4, 7))["verblijfsduur"] == "langer"


@settings(max_examples=examples(40, 150), deadline=None)
@given(
    start=st.dates(D(2020, 1, 1), D(2035, 12, 31)),
    steps=st.lists(st.integers(0, 60), min_size=1, max_size=8),
)
def test_time_facts_never_decrease_while_the_level_stays(start: D, steps: list[int]) -> None:
    facts = {"hulpvraag": True}  # level 2 throughout: no rule here looks at the time
    history, _ = CaseHistory.start("z2", KAART.id).decide(KAART, facts, start)
    order = KAART.fact_by_id["verblijfsduur"].values  # type: ignore[union-attr]
    day, seen = start, 0
    for step in steps:
        day += datetime.timedelta(days=step)
        history, decision = history.decide(KAART, facts, day)
        value = order.index(history.entries[-1].facts["verblijfsduur"])
        assert decision.level == "2" and value >= seen
        seen = value


def test_both_evaluators_decide_a_history_alike() -> None:
    days = [D(2026, 1, 5), D(2026, 2, 20), D(2026, 4, 7)]
    durable, reference = CaseHistory.start("z3", KAART.id), CaseHistory.start("z3", KAART.id)
    for day in days:
        durable, one = durable.decide(KAART, STUCK, day)
        reference, other = reference.decide(REFERENCE, STUCK, day)
        assert one.model_dump(exclude={"engine"}) == other.model_dump(exclude={"engine"})


@pytest.mark.parametrize(
    "step, code",
    [
        (
            lambda h: h.decide(ave_rules.load(ROOT / "regiekaarten" / "fryslan.yaml"), {}, D(2026, 3, 1)),
            "geschiedenis-andere-kaart",
        ),
        (lambda h: h.decide(KAART, STUCK, D(2026, 1, 4)), "geschiedenis-terug-in-tijd"),
        (
            lambda h: h.decide(KAART, {**STUCK, "verblijfsduur": "langer"}, D(2026, 3, 1)),
            "geschiedenis-tijdfeit-opgegeven",
        ),
        (lambda h: h.decide(KAART, {**STUCK, "huidige_fase": "2"}, D(2026, 3, 1)), "geschiedenis-gat"),
    ],
)
def test_what_would_make_the_history_untrue_is_refused(step: object, code: str) -> None:
    history, _ = CaseHistory.start("z4", KAART.id).decide(KAART, STUCK, D(2026, 1, 5))
    with pytest.raises(HistoryError) as refused:
        step(history)  # type: ignore[operator]
    assert [problem.code for problem in refused.value.problems] == [code]
    assert len(history.entries) == 1  # the history itself did not change


@pytest.mark.parametrize("reference", ["", "Jan Jansen", "123456782\n", "a" * 65, "../zaak"])
def test_a_case_reference_is_a_plain_code(reference: str) -> None:
    with pytest.raises(HistoryError) as refused:
        CaseHistory.start(reference, KAART.id)
    assert refused.value.problems[0].code == "geschiedenis-zaak-ongeldig"
    assert not reference or reference.strip() not in str(refused.value)


def test_a_history_round_trips_through_its_schema(tmp_path: Path) -> None:
    history, _ = CaseHistory.start("z5", KAART.id).decide(KAART, STUCK, D(2026, 1, 5))
    history, _ = history.decide(KAART, STUCK, D(2026, 2, 20))
    document = json.loads(history.model_dump_json())
    jsonschema.validate(document, history_schema())
    path = tmp_path / "geschiedenis.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert read_history(path) == history
    published = json.loads((ROOT / "schemas" / "history.schema.json").read_text(encoding="utf-8"))
    assert published == history_schema(), "run `ave-rules schema --history > schemas/history.schema.json`"
    document["entries"].reverse()
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(HistoryError) as refused:
        read_history(path)
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("geschiedenis-terug-in-tijd", "/entries/1/decision/reference_date")
    ]


def test_what_has_passed_its_day() -> None:
    history, decision = CaseHistory.start("z6", KAART.id).decide(KAART, {**STUCK, "huidige_fase": "2"}, D(2026, 5, 13))
    due = {action.type: action.due for action in decision.actions}
    assert due["aanmelden"] == D(2026, 5, 22) and decision.next_evaluation == D(2026, 6, 24)
    assert history.overdue(D(2026, 5, 22)).actions == ()
    late = history.overdue(D(2026, 5, 25))
    assert [action.type for action in late.actions] == ["aanmelden"] and late.evaluation is None
    assert history.overdue(D(2026, 6, 25)).evaluation == D(2026, 6, 24)


def test_the_command_line_keeps_the_history(tmp_path: Path) -> None:
    facts = tmp_path / "casus.json"
    facts.write_text(json.dumps(STUCK), encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "ave_rules", "evaluate", str(EXAMPLE), "--facts", str(facts), *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)

    refused = cli("--history", "h.json", "--peildatum", "2026-01-05")
    assert refused.returncode == 1 and "--case" in refused.stdout and not (tmp_path / "h.json").exists()
    assert cli("--history", "h.json", "--case", "Z-1", "--peildatum", "2026-01-05").returncode == 0
    assert cli("--history", "h.json", "--peildatum", "2026-02-20").returncode == 0
    before = (tmp_path / "h.json").read_text(encoding="utf-8")
    backwards = cli("--history", "h.json", "--peildatum", "2026-02-01")
    assert backwards.returncode == 1 and (tmp_path / "h.json").read_text(encoding="utf-8") == before
    third = cli("--history", "h.json", "--peildatum", "2026-04-07", "--record", "r.json")
    assert third.returncode == 0 and "Niveau 3b" in third.stdout
    history = read_history(tmp_path / "h.json")
    assert [entry.decision.level for entry in history.entries] == ["3a", "3a", "3b"]
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["facts"]["verblijfsduur"] == "langer" and record["decision"]["level"] == "3b"
    replayed = subprocess.run(
        [sys.executable, "-m", "ave_rules", "replay", "r.json", "--kaarten", str(EXAMPLE.parent)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert replayed.returncode == 0, replayed.stdout


def test_the_actielijst_of_a_history_is_that_of_its_last_decision(tmp_path: Path) -> None:
    history, _ = CaseHistory.start("z7", KAART.id).decide(KAART, STUCK, D(2026, 1, 5))
    history, last = history.decide(KAART, STUCK, D(2026, 4, 7))
    (tmp_path / "h.json").write_text(history.model_dump_json(), encoding="utf-8")
    command = [sys.executable, "-m", "ave_rules", "actielijst", "h.json", "--kaarten", str(EXAMPLE.parent)]
    shown = subprocess.run([*command, "--format", "json"], capture_output=True, text=True, cwd=tmp_path)
    assert shown.returncode == 0 and json.loads(shown.stdout)["level"] == last.level == "3b"
    (tmp_path / "leeg.json").write_text(CaseHistory.start("z8", KAART.id).model_dump_json(), encoding="utf-8")
    empty = subprocess.run(
        [*command[:4], "leeg.json", "--format", "json"], capture_output=True, text=True, cwd=tmp_path
    )
    assert empty.returncode == 1 and json.loads(empty.stdout)["problems"][0]["code"] == "geschiedenis-ongeldig"
