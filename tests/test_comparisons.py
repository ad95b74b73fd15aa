"""The one comparison table (``ave_rules.kaart._comparisons``) means what the reference evaluator
computes, and the rendered kaart and the analysis go by it.

The evaluators keep their own comparisons on purpose (they cross-check each other); the table is
for everything else, so it is held to the reference evaluator here."""

from __future__ import annotations

import itertools

import pytest

import ave_rules
from ave_rules import _terms as t
from ave_rules.authoring._render import actions_on
from ave_rules.engine._reference import compare
from ave_rules.kaart._comparisons import BY_POSITION, holds_on_scale

SCALE = ("geen", "laag", "midden", "hoog", "acuut")


def test_the_table_covers_every_comparison_of_an_ordered_scale() -> None:
    assert set(BY_POSITION) | {"is_een_van"} == set(t.LEVEL_COMPARISONS)
    assert set(t.COMPARISONS_BY_KIND["ordinaal"]) == set(t.LEVEL_COMPARISONS)


@pytest.mark.parametrize("comparison", sorted(BY_POSITION))
def test_the_table_agrees_with_the_reference_evaluator_on_every_pair(comparison: str) -> None:
    for value, operand in itertools.product(SCALE, repeat=2):
        assert holds_on_scale(comparison, value, operand, SCALE) == compare(comparison, value, operand, SCALE), (
            comparison,
            value,
            operand,
        )


def test_one_of_agrees_with_the_reference_evaluator_on_every_subset() -> None:
    for size in range(len(SCALE) + 1):
        for operand in itertools.combinations(SCALE, size):
            for value in SCALE:
                assert holds_on_scale("is_een_van", value, operand, SCALE) == compare(
                    "is_een_van", value, operand, SCALE
                )


def test_a_list_where_one_value_is_compared_is_refused() -> None:
    with pytest.raises(TypeError, match="minstens"):
        holds_on_scale("minstens", "laag", ("laag",), SCALE)


KAART = """
formaat: 1
id: vergelijk
naam: Vergelijk
versie: "1"
geldig_vanaf: "2025-01-01"
feiten:
  - {id: ernst, soort: ordinaal, omschrijving: Ernst., waarden: [laag, midden, hoog], standaard: laag}
niveaus:
  - {id: "1", fase: 1, kleur: groen, naam: Een, omschrijving: Een., rollen: {casusregie: [o], procesregie: [o], operationele_verantwoordelijkheid: [o], bestuurlijke_verantwoordelijkheid: [o]}}
  - {id: "2", fase: 2, kleur: geel, naam: Twee, omschrijving: Twee., rollen: {casusregie: [o], procesregie: [o], operationele_verantwoordelijkheid: [o], bestuurlijke_verantwoordelijkheid: [o]}}
  - {id: "3", fase: 3, kleur: rood, naam: Drie, omschrijving: Drie., rollen: {casusregie: [o], procesregie: [o], operationele_verantwoordelijkheid: [o], bestuurlijke_verantwoordelijkheid: [o]}}
organisaties: [{id: o, naam: O}]
actietypen:
  - {id: melden, naam: Melden, omschrijving: Melden., doel: geen, tekst: Meld het.}
regels:
  - {id: twee, toelichting: Midden., als: {feit: ernst, is: midden}, dan: {niveau: "2"}}
  - {id: drie, toelichting: Hoog., als: {feit: ernst, is: hoog}, dan: {niveau: "3"}}
  - {id: melden, toelichting: Boven twee., als: {niveau: {COMPARISON: "2"}}, dan: {acties: [{actie: melden}]}}
"""


@pytest.mark.parametrize("comparison", sorted(BY_POSITION))
def test_the_page_shows_an_action_on_exactly_the_levels_where_its_level_test_holds(comparison: str) -> None:
    kaart = ave_rules.loads(KAART.replace("COMPARISON", comparison), engine="reference")
    shown = [level.id for level in kaart.levels if any(rule.id == "melden" for rule, _ in actions_on(kaart, level))]
    decided = {
        kaart.evaluate({"ernst": value}).level: kaart.evaluate({"ernst": value}) for value in ("laag", "midden", "hoog")
    }
    with_action = [level for level, decision in decided.items() if any(a.type == "melden" for a in decision.actions)]
    assert shown == with_action
