"""Decision records for the dossier: what they hold, that they replay, and that a changed kaart
or a changed record is said, precisely."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules import RecordError
from ave_rules.records import DecisionRecord, make_record, read_record, record_schema, replay
from ave_rules.testing.strategies import case_facts

ROOT = Path(__file__).resolve().parents[1]
FRYSLAN = ave_rules.load(ROOT / "regiekaarten" / "fryslan.yaml")
DAY = datetime.date(2026, 4, 1)
COMPLEX = {
    "huidige_fase": "2",
    "hulpvraag": True,
    "zelfregie": "beperkt",
    "leefgebieden": ["financien", "huisvesting", "geestelijke_gezondheid"],
    "kolommen": ["zorg", "veiligheid"],
    "veiligheidsrisico": "structureel",
    "stagnatie": True,
    # Fryslân's 3b needs dwang en drang (issue 17).
    "dwang_drang_nodig": True,
}


def test_a_record_holds_what_the_dossier_needs() -> None:
    record = make_record(FRYSLAN, COMPLEX, DAY)
    assert record.decision == FRYSLAN.evaluate(COMPLEX, DAY)
    assert record.facts["leefgebieden"] == ("financien", "huisvesting", "geestelijke_gezondheid")
    assert record.decided_at.tzinfo is not None and record.ave_rules_version == ave_rules.__version__
    roles = {rule.rule: rule.role for rule in record.rules}
    assert [rule.rule for rule in record.rules] == [entry.rule for entry in record.decision.trace]
    assert roles["niveau-3b"] == "decided" and roles["niveau-2"] == "overruled" and roles["complex"] == "held"
    complex_rule = next(rule for rule in record.rules if rule.rule == "complex")
    assert [(a.path, a.held) for a in complex_rule.any_of] == [("/als/alle/2/een_van", (0, 1, 2))]
    jsonschema.validate(json.loads(record.model_dump_json()), record_schema())
    assert record.record_hash == record.content_hash()


def test_every_decided_rule_proposes_the_decided_level_and_every_overruled_one_a_lower_one() -> None:
    record = make_record(FRYSLAN, COMPLEX, DAY)
    order = FRYSLAN.level_ids
    for entry in record.rules:
        proposed = next(rule for rule in FRYSLAN.rules if rule.id == entry.rule).conclusion.level
        if entry.role == "decided":
            assert proposed == record.decision.level
        elif entry.role == "overruled":
            assert proposed is not None and order.index(proposed) < order.index(record.decision.level)
        else:
            assert proposed is None


def test_the_published_schema_is_the_source() -> None:
    published = json.loads((ROOT / "schemas" / "record.schema.json").read_text(encoding="utf-8"))
    assert published == record_schema(), "run `ave-rules schema --record > schemas/record.schema.json`"


@settings(max_examples=examples(30, 100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=case_facts(FRYSLAN), day=st.dates(datetime.date(2025, 1, 1), datetime.date(2035, 12, 31)))
def test_a_record_replays_on_an_unchanged_kaart(facts: dict[str, Any], day: datetime.date) -> None:
    record = make_record(FRYSLAN, facts, day)
    again = DecisionRecord.model_validate_json(record.model_dump_json())
    assert again == record
    assert replay(again).confirmed


@pytest.fixture
def kaarten(tmp_path: Path) -> Path:
    directory = tmp_path / "regiekaarten"
    shutil.copytree(ROOT / "regiekaarten", directory)
    return directory


def test_a_changed_rule_makes_replay_say_what_differs(kaarten: Path) -> None:
    record = make_record(FRYSLAN, COMPLEX, DAY)
    path = kaarten / "fryslan.yaml"
    text = path.read_text(encoding="utf-8")
    # Stagnation no longer counts as a Frisian indicator that local is not enough.
    changed = text.replace("        - {feit: stagnatie, is: true}", "        - {feit: acute_crisis, is: true}")
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    result = replay(record, search=[kaarten])
    assert not result.confirmed
    codes = [(d.code, d.part) for d in result.differences]
    assert codes[0] == ("replay-kaart-veranderd", "kaart.content_hash")
    assert ("replay-anders", "rules") in codes
    for difference in result.differences:
        assert "financien" not in difference.message  # a fact's value is never shown


def test_another_version_on_the_peildatum_is_said(kaarten: Path) -> None:
    record = make_record(FRYSLAN, COMPLEX, DAY)
    path = kaarten / "fryslan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('versie: "2025.1"', 'versie: "2025.2"'), encoding="utf-8")
    result = replay(record, search=[kaarten])
    assert [(d.code, d.recorded, d.now) for d in result.differences] == [("replay-andere-versie", "2025.1", "2025.2")]


def test_a_tampered_record_is_refused(tmp_path: Path) -> None:
    record = make_record(FRYSLAN, COMPLEX, DAY)
    document = json.loads(record.model_dump_json())
    document["decision"]["level"] = "4"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(RecordError) as refused:
        read_record(path)
    assert [(p.code, p.path) for p in refused.value.problems] == [("record-gewijzigd", "/record_hash")]
    with pytest.raises(RecordError):
        replay(record.model_copy(update={"facts": {**record.facts, "hulpvraag": False}}))


@pytest.mark.parametrize(
    "change, path",
    [
        (lambda d: d.pop("decision"), "/decision"),
        (lambda d: d.update(decided_at="2026-04-01T10:00:00"), "/decided_at"),  # no UTC offset
        (lambda d: d["facts"].update(hulpvraag=1), "/facts/hulpvraag"),
        (lambda d: d.update(record_id="not-a-uuid"), "/record_id"),
        (lambda d: d.update(extra=True), "/extra"),
    ],
)
def test_a_record_that_is_not_one_is_located(tmp_path: Path, change: Any, path: str) -> None:
    document = json.loads(make_record(FRYSLAN, COMPLEX, DAY).model_dump_json())
    change(document)
    file = tmp_path / "record.json"
    file.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(RecordError) as refused:
        read_record(file)
    found = [(p.code, p.path) for p in refused.value.problems]
    assert found and all(code == "record-ongeldig" for code, _ in found)
    assert any(where.startswith(path) for _, where in found), found
    assert "not-a-uuid" not in str(refused.value)


def test_a_file_that_is_no_record_at_all_is_refused_with_the_readers_problems(tmp_path: Path) -> None:
    file = tmp_path / "record.json"
    file.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    with pytest.raises(RecordError) as refused:
        read_record(file)
    assert refused.value.problems[0].line == 1
    with pytest.raises(RecordError):
        read_record(tmp_path / "missing.json")
    file.write_text(make_record(FRYSLAN, COMPLEX, DAY).model_dump_json(indent=1)[:-2] + ",\n}", encoding="utf-8")
    with pytest.raises(RecordError) as refused:  # a comma after the last item: not JSON
        read_record(file)
    assert [p.code for p in refused.value.problems] == ["json-syntax"]


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ave_rules", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_the_command_line_writes_and_replays_a_record(tmp_path: Path, kaarten: Path) -> None:
    facts = tmp_path / "casus.json"
    facts.write_text(json.dumps(COMPLEX), encoding="utf-8")
    kaart = kaarten / "fryslan.yaml"
    made = _cli("evaluate", kaart, "--facts", facts, "--peildatum", "2026-04-01", "--record", "r.json", cwd=tmp_path)
    assert made.returncode == 0 and "Niveau 3b" in made.stdout
    again = _cli("evaluate", kaart, "--facts", facts, "--record", "r.json", cwd=tmp_path)
    assert again.returncode == 2 and "r.json" in again.stderr  # never over an existing record
    confirmed = _cli("replay", "r.json", "--kaarten", kaarten, cwd=tmp_path)
    assert confirmed.returncode == 0 and "bevestigd" in confirmed.stdout
    kaart.write_text(
        kaart.read_text(encoding="utf-8").replace('versie: "2025.1"', 'versie: "2025.2"'), encoding="utf-8"
    )
    differs = _cli("replay", "r.json", "--kaarten", kaarten, "--format", "json", cwd=tmp_path)
    assert differs.returncode == 1
    assert [d["code"] for d in json.loads(differs.stdout)["differences"]] == ["replay-andere-versie"]


def test_a_record_of_a_kaart_that_is_not_found_is_said(tmp_path: Path) -> None:
    record = make_record(FRYSLAN, COMPLEX, DAY)
    document = json.loads(record.model_dump_json())
    document["decision"]["kaart"]["id"] = "nergens"
    unknown = DecisionRecord.model_validate(document)
    unknown = unknown.model_copy(update={"record_hash": unknown.content_hash()})
    with pytest.raises(ave_rules.KaartNotFoundError):
        replay(unknown)
    (tmp_path / "r.json").write_text(unknown.model_dump_json(), encoding="utf-8")
    said = _cli("replay", "r.json", cwd=tmp_path)
    assert said.returncode == 1 and "nergens" in said.stdout
    (tmp_path / "kapot.json").write_text('{"format": 1}', encoding="utf-8")
    as_json = _cli("replay", "kapot.json", "--format", "json", cwd=tmp_path)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["problems"][0]["code"] == "record-ongeldig"


def test_a_record_of_a_kaart_that_no_longer_loads_says_why(tmp_path: Path, kaarten: Path) -> None:
    (tmp_path / "r.json").write_text(make_record(FRYSLAN, COMPLEX, DAY).model_dump_json(), encoding="utf-8")
    kaart = kaarten / "fryslan.yaml"
    kaart.write_text(kaart.read_text(encoding="utf-8").replace("formaat: 1", "formaat: 2", 1), encoding="utf-8")
    said = _cli("replay", "r.json", "--kaarten", kaarten, "--format", "json", cwd=tmp_path)
    assert said.returncode == 1, said.stderr
    assert [problem["file"] for problem in json.loads(said.stdout)["problems"]] == [str(kaart)]
