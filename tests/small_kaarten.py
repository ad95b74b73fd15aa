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
