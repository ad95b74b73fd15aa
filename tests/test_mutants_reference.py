"""The reference evaluator on boundaries that mutation testing found unpinned (``docs/testing.md``,
mutation testing): ``bevat_alle`` holds when the set is exactly the listed members."""

from __future__ import annotations

import textwrap

import pytest

import ave_rules
from ave_rules.engine import complete, reference_outcome

KAART = textwrap.dedent(
    """
    formaat: 1
    id: grenzen
    naam: Grenzen
    versie: "1"
    geldig_vanaf: "2025-01-01"
    feiten:
      - {id: s, soort: verzameling, waarden: [a, b, c], standaard: [], omschrijving: Een verzameling.}
    niveaus:
      - {id: "1", fase: 1, kleur: groen, naam: Een, omschrijving: Een.,
         rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                  bestuurlijke_verantwoordelijkheid: [o]}}
      - {id: "2", fase: 2, kleur: geel, naam: Twee, omschrijving: Twee.,
         rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                  bestuurlijke_verantwoordelijkheid: [o]}}
    organisaties: [{id: o, naam: Organisatie}]
    actietypen: []
    regels:
      - {id: alle, toelichting: Beide., als: {feit: s, bevat_alle: [a, b]}, dan: {niveau: "2"}}
    """
)


@pytest.mark.parametrize(
    ("members", "level"),
    [([], "1"), (["a"], "1"), (["a", "b"], "2"), (["b", "a"], "2"), (["a", "b", "c"], "2"), (["a", "c"], "1")],
)
def test_bevat_alle_holds_when_every_listed_member_is_present_also_with_nothing_more(
    members: list[str], level: str
) -> None:
    kaart = ave_rules.loads(KAART, name="grenzen.yaml", engine="reference")
    full, _ = complete(kaart, {"s": members})
    assert reference_outcome(kaart, full).level == level
    assert kaart.evaluate({"s": members}).level == level
