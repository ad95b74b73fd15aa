"""The fact space of the analysis where mutation testing found it unpinned (``docs/testing.md``,
mutation testing): a decoded case keeps every free fact at its default, an example changes as few
facts as possible also when one of them is a set, a fact derived by two rules holds where either
holds, and a ``ja_nee`` fact is stepped from false to true."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from pydantic import TypeAdapter

import ave_rules
from ave_rules.analysis._symbolic import SymbolicKaart
from ave_rules.engine import complete
from ave_rules.kaart import AllOf, Condition

LEVELS = """
    niveaus:
      - {id: "1", fase: 1, kleur: groen, naam: Een, omschrijving: Een.,
         rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                  bestuurlijke_verantwoordelijkheid: [o]}}
      - {id: "2", fase: 2, kleur: geel, naam: Twee, omschrijving: Twee.,
         rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                  bestuurlijke_verantwoordelijkheid: [o]}}
    organisaties: [{id: o, naam: Organisatie}]
    actietypen: []
"""

# Level 2 needs either 'ander' alone, or 'vlag' together with 'a' in 's': two facts. 'ander' comes
# first, so the example search meets the two-fact way first when it prefers defaults fact by fact.
KAART = (
    textwrap.dedent(
        """
        formaat: 1
        id: ruimte
        naam: Ruimte
        versie: "1"
        geldig_vanaf: "2025-01-01"
        feiten:
          - {id: ander, soort: ja_nee, standaard: false, omschrijving: Ander.}
          - {id: vlag, soort: ja_nee, standaard: false, omschrijving: Vlag.}
          - {id: s, soort: verzameling, waarden: [a, b, c], standaard: [], omschrijving: Een verzameling.}
        """
    )
    + textwrap.dedent(LEVELS)
    + textwrap.dedent(
        """
        regels:
          - {id: samen, toelichting: Samen., als: {alle: [{feit: s, bevat: a}, {feit: vlag, is: true}]}, dan: {niveau: "2"}}
          - {id: ander, toelichting: Ander., als: {feit: ander, is: true}, dan: {niveau: "2"}}
        """
    )
)

# Defaults that are not the first value, false or empty.
DEFAULTS = (
    textwrap.dedent(
        """
        formaat: 1
        id: standaarden
        naam: Standaarden
        versie: "1"
        geldig_vanaf: "2025-01-01"
        feiten:
          - {id: x, soort: ja_nee, standaard: true, omschrijving: X.}
          - {id: y, soort: ordinaal, waarden: [laag, midden, hoog], standaard: midden, omschrijving: Y.}
          - {id: s, soort: verzameling, waarden: [a, b, c], standaard: [b], omschrijving: Een verzameling.}
        """
    )
    + textwrap.dedent(LEVELS)
    + "regels: []\n"
)

# 'd' is derived by two rules.
TWICE = (
    textwrap.dedent(
        """
        formaat: 1
        id: tweemaal
        naam: Tweemaal
        versie: "1"
        geldig_vanaf: "2025-01-01"
        feiten:
          - {id: x, soort: ja_nee, standaard: false, omschrijving: X.}
          - {id: y, soort: ja_nee, standaard: false, omschrijving: Y.}
        afgeleide_feiten:
          - {id: d, omschrijving: X of Y.}
        """
    )
    + textwrap.dedent(LEVELS)
    + textwrap.dedent(
        """
        regels:
          - {id: x, toelichting: X., als: {feit: x, is: true}, dan: {afleiden: [d]}}
          - {id: y, toelichting: Y., als: {feit: y, is: true}, dan: {afleiden: [d]}}
          - {id: d, toelichting: D., als: {afgeleid: d}, dan: {niveau: "2"}}
        """
    )
)

# 'zorg' is a ja_nee fact, and level 2 is decided when it is false: true is "worse" and lowers the level.
MONOTONE = (
    textwrap.dedent(
        """
        formaat: 1
        id: omgekeerd
        naam: Omgekeerd
        versie: "1"
        geldig_vanaf: "2025-01-01"
        feiten:
          - {id: zorg, soort: ja_nee, standaard: false, omschrijving: Zorg.}
        """
    )
    + textwrap.dedent(LEVELS)
    + textwrap.dedent(
        """
        regels:
          - {id: geen-zorg, toelichting: Omgekeerd., als: {feit: zorg, is: false}, dan: {niveau: "2"}}
        eigenschappen:
          - {id: erger, toelichting: Erger is nooit lager., soort: monotoon, feiten: [zorg]}
        """
    )
)


def _symbolic() -> SymbolicKaart:
    return SymbolicKaart(ave_rules.loads(KAART, name="ruimte.yaml", engine="reference"))


def test_the_example_changes_as_few_facts_as_possible_also_when_one_is_a_set() -> None:
    symbolic = _symbolic()
    assert symbolic.space.example(symbolic.level["2"]) == {"ander": True}
    assert symbolic.space.example(symbolic.fires[0]) == {"vlag": True, "s": ["a"]}


def test_a_decoded_case_keeps_every_fact_the_function_leaves_free_at_its_default() -> None:
    symbolic = _symbolic()
    together = symbolic.kaart.rules[0].condition
    assert isinstance(together, AllOf)
    vlag = symbolic.condition(together.all[1])  # the cases where 'vlag' is true
    assert symbolic.space.decode(vlag) == {"ander": False, "vlag": True, "s": []}
    assert symbolic.space.decode(vlag, only_changed=True) == {"vlag": True}
    assert symbolic.space.decode(symbolic.bdd.true) == {"ander": False, "vlag": False, "s": []}
    space = SymbolicKaart(ave_rules.loads(DEFAULTS, name="standaarden.yaml", engine="reference")).space
    assert space.decode(space.bdd.true) == {"x": True, "y": "midden", "s": ["b"]}
    assert space.decode(space.is_value("y", "hoog")) == {"x": True, "y": "hoog", "s": ["b"]}


@pytest.mark.parametrize(("x", "y"), [(False, False), (True, False), (False, True), (True, True)])
def test_a_fact_derived_by_two_rules_holds_where_either_holds(x: bool, y: bool) -> None:
    kaart = ave_rules.loads(TWICE, name="tweemaal.yaml", engine="reference")
    symbolic = SymbolicKaart(kaart)
    full, _ = complete(kaart, {"x": x, "y": y})
    assert symbolic.space.holds_at(symbolic.derived("d"), full) == (x or y)
    assert symbolic.space.holds_at(symbolic.level["2"], full) == (x or y)
    assert symbolic.space.count(symbolic.derived("d")) == 3


@pytest.mark.parametrize(
    ("written", "cases"),
    [
        ({"feit": "x", "is": True}, 24),
        ({"feit": "y", "is": "midden"}, 16),
        ({"feit": "y", "is_een_van": ["laag", "hoog"]}, 32),
        ({"feit": "y", "minstens": "midden"}, 32),
        ({"feit": "y", "boven": "midden"}, 16),
        ({"feit": "y", "hoogstens": "laag"}, 16),
        ({"feit": "y", "onder": "hoog"}, 32),
        ({"feit": "s", "bevat": "a"}, 24),
        ({"feit": "s", "bevat_een_van": ["a", "b"]}, 36),
        ({"feit": "s", "bevat_alle": ["a", "b"]}, 12),
        ({"feit": "s", "aantal_minstens": 2}, 24),
        ({"feit": "s", "aantal_hoogstens": 1}, 24),
        ({"feit": "s", "aantal_is": 1}, 18),
    ],
)
def test_each_comparison_holds_for_exactly_its_cases(written: dict[str, Any], cases: int) -> None:
    """Of the 2 x 3 x 8 = 48 cases of x (ja_nee), y (ordinaal, 3 values) and s (verzameling, 3 members)."""
    symbolic = SymbolicKaart(ave_rules.loads(DEFAULTS, name="standaarden.yaml", engine="reference"))
    assert symbolic.space.size == 48
    assert symbolic.space.count(symbolic.condition(TypeAdapter(Condition).validate_python(written))) == cases


def test_a_ja_nee_fact_that_lowers_the_level_when_true_breaks_monotoon() -> None:
    kaart = ave_rules.loads(MONOTONE, name="omgekeerd.yaml", engine="reference")
    (finding,) = [f for f in ave_rules.check(kaart).findings if f.code == "eigenschap-geschonden"]
    assert finding.ids == ("erger", "zorg")
    before, after = finding.examples
    assert (before, after) == ({"zorg": False}, {"zorg": True})
    assert (kaart.evaluate(before).level, kaart.evaluate(after).level) == ("2", "1")
