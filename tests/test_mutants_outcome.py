"""Strata 2 and 3 (``docs/semantics.md``) where mutation testing found them unpinned
(``docs/testing.md``, mutation testing): the highest level is the highest on the ladder, not the
last id in text order; a target at the current level and a source at the new level are resolved."""

from __future__ import annotations

import textwrap

import pytest

import ave_rules
from ave_rules.engine import _durable as durable_engine

ENGINES = ["reference", "durable-rules"] if durable_engine.available() else ["reference"]

# The ladder is "9" < "10": the other way round from the order of the ids as text.
KAART = textwrap.dedent(
    """
    formaat: 1
    id: ladder
    naam: Ladder
    versie: "1"
    geldig_vanaf: "2025-01-01"
    feiten:
      - {id: fase, soort: fase, standaard: geen, omschrijving: De huidige fase.}
      - {id: zorgen, soort: ja_nee, standaard: false, omschrijving: Zorgen.}
      - {id: nood, soort: ja_nee, standaard: false, omschrijving: Nood.}
    niveaus:
      - {id: "9", fase: 1, kleur: groen, naam: Laag, omschrijving: Laag.,
         rollen: {casusregie: [wijkteam], procesregie: [], operationele_verantwoordelijkheid: [wijkteam],
                  bestuurlijke_verantwoordelijkheid: [wethouder]}}
      - {id: "10", fase: 2, kleur: rood, naam: Hoog, omschrijving: Hoog.,
         rollen: {casusregie: [zvh], procesregie: [zvh], operationele_verantwoordelijkheid: [zvh],
                  bestuurlijke_verantwoordelijkheid: [wethouder]}}
    organisaties:
      - {id: wijkteam, naam: Wijkteam}
      - {id: zvh, naam: Zorg- en Veiligheidshuis}
      - {id: wethouder, naam: Wethouder}
    actietypen:
      - {id: vanaf, naam: Vanaf, omschrijving: Het niveau waar de casus vandaan komt., doel: niveau,
         tekst: "Vanaf niveau {doel}."}
      - {id: terugmelden, naam: Terugmelden, omschrijving: Terugmelden., doel: organisatie, bron: organisatie,
         tekst: "{bron} meldt terug aan {doel}."}
    regels:
      - {id: zorgen, toelichting: Zorgen., als: {feit: zorgen, is: true}, dan: {niveau: "9"}}
      - {id: nood, toelichting: Nood., als: {feit: nood, is: true}, dan: {niveau: "10"}}
      - id: opschalen
        toelichting: Opschalen.
        als: {overgang: opschalen}
        dan:
          acties:
            - {actie: vanaf, doel: {niveau: huidig}}
            - {actie: terugmelden, bron: {rol: casusregie, niveau: nieuw}, doel: {rol: casusregie, niveau: huidig}}
    """
)


@pytest.fixture(params=ENGINES)
def kaart(request: pytest.FixtureRequest) -> ave_rules.Regiekaart:
    return ave_rules.loads(KAART, name="ladder.yaml", engine=request.param)


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        ({}, "9"),
        ({"zorgen": True}, "9"),
        ({"nood": True}, "10"),
        ({"zorgen": True, "nood": True}, "10"),
    ],
)
def test_the_decided_level_is_the_highest_on_the_ladder_not_in_text_order(
    kaart: ave_rules.Regiekaart, facts: dict[str, bool], level: str
) -> None:
    assert kaart.evaluate(facts).level == level


def test_a_target_at_the_current_level_and_a_source_at_the_new_level_are_resolved(
    kaart: ave_rules.Regiekaart,
) -> None:
    decision = kaart.evaluate({"fase": "9", "nood": True})
    assert decision.level == "10"
    assert [(a.type, a.target, a.source) for a in decision.actions] == [
        ("vanaf", "9", None),
        ("terugmelden", "wijkteam", "zvh"),
    ]
    assert [a.text for a in decision.actions] == [
        "Vanaf niveau 9 (Laag).",
        "Zorg- en Veiligheidshuis meldt terug aan Wijkteam.",
    ]
