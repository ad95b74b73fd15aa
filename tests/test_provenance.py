"""Regiekaart.origin: which items a kaart inherits unchanged, overrides, or adds."""

from __future__ import annotations

from pathlib import Path

import pytest

import ave_rules
from ave_rules.kaart import Origin

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "docs" / "voorbeelden" / "kleine-kaart.yaml"
EXTENDING = ROOT / "examples" / "gemeente-voorbeeld" / "regiekaarten" / "voorbeeldgemeente.yaml"

REGIONAL = """\
formaat: 1
id: regio
naam: Regio
versie: "1"
geldig_vanaf: "2025-01-01"
breidt_uit: voorbeeld-klein
niveaus:
  - id: "2"
    kleur: lichtgroen
    naam: Regionale aanpak
organisaties:
  - id: regioteam
    naam: Regioteam
regels:
  - id: advies
    vervalt: true
"""

LOCAL = """\
formaat: 1
id: lokaal
naam: Lokaal
versie: "1"
geldig_vanaf: "2025-01-01"
breidt_uit: regio
niveaus:
  - id: "3"
    rollen:
      casusregie: [regioteam]
"""


def test_the_example_gemeente() -> None:
    kaart = ave_rules.load(EXTENDING, engine="reference")
    changed = ("rollen.procesregie", "evaluatiemoment")
    assert kaart.origin("niveaus", "3a") == Origin("overridden", "ave-generiek", changed)
    assert kaart.origin("actietypen", "aanmelden") == Origin("overridden", "ave-generiek", ("termijn",))
    assert kaart.origin("niveaus", "3a", "rollen.procesregie").kind == "overridden"
    assert kaart.origin("niveaus", "3a", "rollen.casusregie") == Origin("inherited", "ave-generiek")
    assert kaart.origin("niveaus", "3a", "naam").kind == "inherited"
    assert kaart.origin("niveaus", "1") == Origin("inherited", "ave-generiek")
    assert kaart.origin("organisaties", "veiligheidsteam") == Origin("new", "ave-generiek")
    assert kaart.origin("regels", "opschalen").kind == "inherited"
    assert kaart.origin("feiten", "huidige_fase").kind == "inherited"
    assert kaart.lapsed("regels") == ()


def test_a_standalone_kaart_is_its_own() -> None:
    kaart = ave_rules.load(SMALL, engine="reference")
    assert kaart.origin("niveaus", "1") == Origin("own")
    assert kaart.origin("regels", "advies", "als").kind == "own"


def test_a_chain_names_the_kaart_extended_and_what_lapsed(tmp_path: Path) -> None:
    (tmp_path / "klein.yaml").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "regio.yaml").write_text(REGIONAL, encoding="utf-8")
    (tmp_path / "lokaal.yaml").write_text(LOCAL, encoding="utf-8")
    regional = ave_rules.load(tmp_path / "regio.yaml", engine="reference")
    assert regional.origin("niveaus", "2") == Origin("overridden", "voorbeeld-klein", ("kleur", "naam"))
    assert regional.lapsed("regels") == ("advies",)
    local = ave_rules.load(tmp_path / "lokaal.yaml", engine="reference")
    # what the regional kaart changed or added, the local one inherits from the regional one
    assert local.origin("niveaus", "2") == Origin("inherited", "regio")
    assert local.origin("organisaties", "regioteam") == Origin("inherited", "regio")
    assert local.origin("niveaus", "3") == Origin("overridden", "regio", ("rollen.casusregie",))
    assert local.lapsed("regels") == ()


def test_unknown_items_and_sections_are_refused() -> None:
    kaart = ave_rules.load(EXTENDING, engine="reference")
    with pytest.raises(KeyError):
        kaart.origin("niveaus", "9")
    with pytest.raises(KeyError):
        kaart.origin("scenarios", "hulpvraag-naar-wijkteam")
