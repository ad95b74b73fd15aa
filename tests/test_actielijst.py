"""The actielijst: what a casusoverleg circulates. It names the regie, the actions and their dates,
and never a fact of the case."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import ave_rules
from ave_rules.authoring import actielijst, actielijst_text, render_actielijst_html

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gemeente-voorbeeld" / "regiekaarten" / "voorbeeldgemeente.yaml"
FACTS = {
    "huidige_fase": "2",
    "leefgebieden": ["financien", "verslaving"],
    "kolommen": ["zorg", "veiligheid"],
    "veiligheidsrisico": "structureel",
    "betrokkene_geinformeerd": "nee",
}
DAY = datetime.date(2026, 5, 13)


def test_the_actielijst_says_who_what_and_by_when() -> None:
    kaart = ave_rules.load(EXAMPLE)
    decision = kaart.evaluate(FACTS, DAY)
    lijst = actielijst(kaart, decision)
    assert [item.text for item in lijst.actions] == [action.text for action in decision.actions]
    assert {item.type: item.due for item in lijst.actions}["aanmelden"] == datetime.date(2026, 5, 22)
    assert lijst.next_evaluation == decision.next_evaluation == datetime.date(2026, 6, 24)
    assert lijst.regie == {"casusregie": ("wijkteam",), "procesregie": ("veiligheidsteam",)}
    text = actielijst_text(kaart, lijst)
    assert "Veiligheidsteam Voorbeeldgemeente" in text and "uiterlijk 2026-05-22" in text


def test_no_fact_of_the_case_is_in_any_form_of_it() -> None:
    kaart = ave_rules.load(EXAMPLE)
    decision = kaart.evaluate(FACTS, DAY)
    lijst = actielijst(kaart, decision)
    forms = [lijst.model_dump_json(), actielijst_text(kaart, lijst), render_actielijst_html(kaart, lijst)]
    hidden = [*FACTS, "financien", "verslaving", "structureel", *decision.derived]  # derived facts show the facts
    for form in forms:
        assert not [word for word in hidden if word in form], form


def test_the_command_line_makes_it_from_a_record(tmp_path: Path) -> None:
    facts = tmp_path / "casus.json"
    facts.write_text(json.dumps(FACTS), encoding="utf-8")

    def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "ave_rules", *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)

    kaarten = EXAMPLE.parent
    assert cli("evaluate", EXAMPLE, "--facts", facts, "--peildatum", "2026-05-13", "--record", "r.json").returncode == 0
    text = cli("actielijst", "r.json", "--kaarten", kaarten)
    assert text.returncode == 0 and "uiterlijk 2026-05-22" in text.stdout
    as_json = json.loads(cli("actielijst", "r.json", "--kaarten", kaarten, "--format", "json").stdout)
    assert as_json["next_evaluation"] == "2026-06-24"
    assert cli("actielijst", "r.json", "--kaarten", kaarten, "--format", "html", "--output", "a.html").returncode == 0
    assert (tmp_path / "a.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    changed = tmp_path / "kaarten"
    changed.mkdir()
    example = EXAMPLE.read_text(encoding="utf-8")
    (changed / "voorbeeldgemeente.yaml").write_text(example.replace("aantal: 5", "aantal: 4"), encoding="utf-8")
    refused = cli("actielijst", "r.json", "--kaarten", changed)
    assert refused.returncode == 1 and "de kaart is veranderd" in refused.stdout
