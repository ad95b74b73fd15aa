"""Small kaarten the tests build: two levels, one organisation, one action type, and what is asked."""

from __future__ import annotations

from typing import Any

import yaml

HEADER: dict[str, Any] = yaml.safe_load(
    """
    formaat: 1
    id: grens
    naam: Grens
    versie: "1"
    geldig_vanaf: "2025-01-01"
    niveaus:
      - {id: "1", fase: 1, kleur: groen, naam: Een, omschrijving: Een., rollen: {casusregie: [o], procesregie: [o], operationele_verantwoordelijkheid: [o], bestuurlijke_verantwoordelijkheid: [o]}}
      - {id: "2", fase: 2, kleur: rood, naam: Twee, omschrijving: Twee., rollen: {casusregie: [o], procesregie: [o], operationele_verantwoordelijkheid: [o], bestuurlijke_verantwoordelijkheid: [o]}}
    organisaties: [{id: o, naam: O}]
    actietypen: [{id: a, naam: A, omschrijving: Doe het., doel: geen, tekst: Doe het.}]
    """
)


def kaart(facts: list[Any], derived: list[str], rules: list[Any]) -> dict[str, Any]:
    """A kaart document with these facts, derived facts and rules."""
    document = {**HEADER, "feiten": facts, "regels": rules}
    if derived:
        document["afgeleide_feiten"] = [{"id": name, "omschrijving": "Afgeleid."} for name in derived]
    return document


def rule(identifier: str, condition: Any, conclusion: Any | None = None) -> dict[str, Any]:
    """A rule; by default it proposes level 2."""
    return {"id": identifier, "toelichting": "Regel.", "als": condition, "dan": conclusion or {"niveau": "2"}}


def booleans(count: int) -> list[dict[str, Any]]:
    """ja_nee facts b0, b1, ..., false by default."""
    return [{"id": f"b{i}", "soort": "ja_nee", "omschrijving": "Ja of nee.", "standaard": False} for i in range(count)]


# Gegevensdeling on levels 2 and 3, none on level 1: a step per moment (instroom, op_niveau,
# uitstroom), a share with its own sender and ground, a role, deelnemers and inbrenger as parties,
# and a hand-over (aanmelden) to the procesregie of the decided level.
SHARING = """
formaat: 1
id: delen
naam: Delen
versie: "1"
geldig_vanaf: "2025-01-01"
feiten:
  - {id: huidige_fase, soort: fase, omschrijving: Het niveau nu., standaard: geen}
  - {id: zorgen, soort: ordinaal, waarden: [geen, enkele, veel], omschrijving: Hoeveel zorgen., standaard: geen}
  - {id: ingelicht, soort: ja_nee, omschrijving: De betrokkene is ingelicht., standaard: true}
niveaus:
  - {id: "1", fase: 1, kleur: groen, naam: Zelf, omschrijving: Zelf.,
     rollen: {casusregie: [gezin], procesregie: [], operationele_verantwoordelijkheid: [gezin], bestuurlijke_verantwoordelijkheid: [wethouder]}}
  - id: "2"
    fase: 2
    kleur: geel
    naam: Wijk
    omschrijving: Wijk.
    rollen: {casusregie: [wt], procesregie: [wt], operationele_verantwoordelijkheid: [wt], bestuurlijke_verantwoordelijkheid: [wethouder]}
    gegevensdeling:
      verwerkingsverantwoordelijke: casusregie
      grondslag: publieke_taak
      stappen:
        samen:
          delen:
            - {categorieen: [zorgen_cat], met: [deelnemers, bestuurlijke_verantwoordelijkheid]}
        retour:
          delen:
            - {categorieen: [plan], van: wt, met: [casusregie]}
  - id: "3"
    fase: 3
    kleur: rood
    naam: Huis
    omschrijving: Huis.
    rollen: {casusregie: [wt], procesregie: [zvh], operationele_verantwoordelijkheid: [wt, zvh], bestuurlijke_verantwoordelijkheid: [wethouder]}
    gegevensdeling:
      verwerkingsverantwoordelijke: inbrenger
      grondslag: van_inbrenger
      betrokkene_informeren:
        moment: voor_aanmelding
        uitzonderingen: [een strafonderzoek, gevaar]
        nodig_als: {feit: ingelicht, is: false}
        actie: informeren
      verspreiden: [actielijst, plan]
      stappen:
        aanmelding:
          delen:
            - {categorieen: [identificatie, zorgen_cat], met: [procesregie]}
            - {categorieen: [politie], van: wt, met: [procesregie], grondslag: sectorwet}
        samen:
          delen:
            - {categorieen: [zorgen_cat, plan], van: deelnemers, met: [deelnemers]}
        retour:
          delen:
            - {categorieen: [plan, actielijst], van: zvh, met: [casusregie]}
organisaties:
  - {id: gezin, naam: Het gezin}
  - {id: wt, naam: Wijkteam Noord}
  - {id: zvh, naam: Zorg- en Veiligheidshuis Zuid}
  - {id: wethouder, naam: Wethouder}
actietypen:
  - {id: aanmelden, naam: Aanmelden, omschrijving: Meld aan., doel: organisatie, tekst: "Meld de casus aan bij {doel}.", overdracht: true}
  - {id: informeren, naam: Informeren, omschrijving: Licht in., doel: geen, tekst: Licht de betrokkene in.}
regels:
  - {id: wijk, toelichting: Enkele zorgen., als: {feit: zorgen, is: enkele}, dan: {niveau: "2"}}
  - {id: huis, toelichting: Veel zorgen., als: {feit: zorgen, is: veel}, dan: {niveau: "3"}}
  - id: aanmelden-huis
    toelichting: Nieuw op 3 of opgeschaald naar 3; meld aan.
    als: {alle: [{niveau: {is: "3"}}, {een_van: [{overgang: nieuw}, {overgang: opschalen}]}]}
    dan: {acties: [{actie: aanmelden, doel: {niveau: nieuw, rol: procesregie}}]}
processtappen:
  - {id: aanmelding, naam: Aanmelding bij het huis, omschrijving: Aanmelden., moment: instroom}
  - {id: samen, naam: Casusoverleg, omschrijving: Overleggen., moment: op_niveau}
  - {id: retour, naam: Terug naar de wijk, omschrijving: Afschalen., moment: uitstroom}
informatiecategorieen:
  - {id: identificatie, naam: Identificerende gegevens, omschrijving: Wie.}
  - {id: zorgen_cat, naam: Zorgen over het gezin, omschrijving: Zorgen.}
  - {id: plan, naam: Plan van aanpak, omschrijving: Het plan.}
  - {id: actielijst, naam: Actielijst, omschrijving: Wie doet wat.}
  - {id: politie, naam: Politiegegevens, omschrijving: Van de politie.}
grondslagen:
  - {id: publieke_taak, naam: Publieke taak van de gemeente, omschrijving: Publieke taak.}
  - {id: van_inbrenger, naam: Grondslag van de inbrenger, omschrijving: Van de inbrenger.}
  - {id: sectorwet, naam: Eigen sectorwet, omschrijving: Sectorwet.}
"""
