"""Meaning checks whose problems mutation testing found unpinned (``docs/testing.md``, mutation
testing): each is reported with its code, place and a message that names what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ave_rules
from ave_rules import Problem

SMALL = (Path(__file__).resolve().parents[1] / "docs" / "voorbeelden" / "kleine-kaart.yaml").read_text(encoding="utf-8")


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        ave_rules.loads(text, name="klein.yaml", engine="reference")
    return caught.value.problems


def _changed(old: str, new: str) -> str:
    assert old in SMALL
    return SMALL.replace(old, new)


def test_an_unknown_level_as_a_target_is_named_as_a_level() -> None:
    text = _changed("- {actie: opschalen, doel: {niveau: nieuw}}", '- {actie: opschalen, doel: "9"}')
    (problem,) = problems_of(text)
    assert (problem.code, problem.path) == ("onbekende-verwijzing", "/regels/3/dan/acties/0/doel")
    assert problem.message == "niveau '9' bestaat niet in deze kaart; wel: 1, 2, 3"


def test_an_unknown_reference_where_nothing_of_its_kind_exists_says_so_with_a_dash() -> None:
    text = _changed("- {actie: activeer_protocol, doel: meldcode}", "- {actie: activeer_protocol, doel: onbekend}")
    text = text.replace("    protocollen: [meldcode]\n", "")
    text = re.sub(r"\nprotocollen:\n  - id: meldcode\n    naam: [^\n]*\n", "\nprotocollen: []\n", text)
    (problem,) = problems_of(text)
    assert (problem.code, problem.path) == ("onbekende-verwijzing", "/regels/6/dan/acties/0/doel")
    assert problem.message == "protocol 'onbekend' bestaat niet in deze kaart; wel: -"


def test_an_unknown_action_type_in_a_scenario_is_named_with_a_suggestion() -> None:
    (problem,) = problems_of(_changed('- {actie: opschalen, doel: "3"}', '- {actie: opschaal, doel: "3"}'))
    assert (problem.code, problem.path) == ("onbekende-verwijzing", "/scenarios/1/verwacht/acties/0/actie")
    assert problem.message.startswith("actietype 'opschaal' bestaat niet in deze kaart (bedoelt u 'opschalen'?); wel: ")


def test_a_kaart_without_levels_is_told_it_needs_one() -> None:
    text = re.sub(r"\nniveaus:\n.*?\norganisaties:", "\nniveaus: []\norganisaties:", SMALL, flags=re.DOTALL)
    found = problems_of(text)
    assert ("te-weinig-items", "/niveaus", "de lijst heeft te weinig items; minimaal 1") in [
        (p.code, p.path, p.message) for p in found
    ]


def test_more_than_200_meaning_problems_end_in_one_that_says_so() -> None:
    rules = "".join(
        f'  - {{id: x{index}, toelichting: X., als: {{feit: onbekend, is: true}}, dan: {{niveau: "2"}}}}\n'
        for index in range(201)
    )
    found = problems_of(SMALL.replace("\nregels:\n", "\nregels:\n" + rules, 1))
    assert len(found) == 201
    assert [p.code for p in found].count("onbekende-verwijzing") == 200
    (last,) = [p for p in found if p.code == "te-veel-problemen"]
    assert last.message == "meer dan 200 problemen; alleen de eerste 200 worden getoond"


PROPERTIES = "\neigenschappen:\n  - {}\n\nscenarios:"

# defect (old text -> new text in the small kaart), then the first problem: code, path, message
# fmt: off
DEFECTS = [
    ("    waarden: [geen, zorgen, structureel, acuut]", "    waarden: [geen]",
     "waarden-bij-soort", "/feiten/2/waarden", "een feit van soort 'ordinaal' heeft minstens twee 'waarden' nodig (van laag naar hoog)"),
    ("    waarden: [zorg, veiligheid, bestuur]", "    waarden: [zorg, veiligheid, zorg]",
     "dubbele-waarde", "/feiten/3/waarden/2", "waarde 'zorg' staat twee keer in de lijst"),
    ("    fase: 3\n", "    fase: 1\n",
     "fase-volgorde", "/niveaus/2/fase", "niveau '3' heeft fase 1, lager dan fase 2 van het niveau ervoor; zet de niveaus van laag naar hoog"),
    ("        - {feit: veiligheidsrisico, minstens: structureel}", "        - {feit: onbekend, minstens: structureel}",
     "onbekende-verwijzing", "/regels/2/als/alle/1/feit", "feit 'onbekend' bestaat niet in deze kaart; wel: huidige_fase, hulpvraag, veiligheidsrisico, kolommen, verzoek"),
    ("      afleiden: [multidomein]", "      afleiden: [multidomein, onbekend]",
     "onbekende-verwijzing", "/regels/0/dan/afleiden/1", "afgeleid feit 'onbekend' bestaat niet in deze kaart; wel: multidomein"),
    ("          bron: {rol: procesregie, anders: casusregie, niveau: huidig}", "          bron: {niveau: huidig}",
     "bron-past-niet", "/regels/4/dan/acties/0/bron", "actie 'warme_overdracht' heeft als bron een organisatie; gebruik een id of {rol: ..., niveau: nieuw|huidig}"),
    ("    als: {feit: kolommen, aantal_minstens: 2}", "    als: {afgeleid: onbekend}",
     "onbekende-verwijzing", "/regels/0/als/afgeleid", "afgeleid feit 'onbekend' bestaat niet in deze kaart; wel: multidomein"),
    ("      afgeleid: [multidomein]", "      afgeleid: [onbekend]",
     "onbekende-verwijzing", "/scenarios/1/verwacht/afgeleid/0", "afgeleid feit 'onbekend' bestaat niet in deze kaart; wel: multidomein"),
    ("{bron} aan {doel}.", "{bron} aan {doel} {wie}.",
     "onbekende-plaatshouder", "/actietypen/2/tekst", "onbekende plaatshouder '{wie}' in de tekst; mogelijk: {doel}, {bron}"),
    ("\n\nscenarios:", PROPERTIES.format("{id: e, toelichting: E., soort: monotoon, feiten: [hulpvraag, onbekend]}"),
     "onbekende-verwijzing", "/eigenschappen/0/feiten/1", "feit 'onbekend' bestaat niet in deze kaart; wel: huidige_fase, hulpvraag, veiligheidsrisico, kolommen, verzoek"),
    ("\n\nscenarios:", PROPERTIES.format("{id: e, toelichting: E., soort: monotoon, feiten: [verzoek]}"),
     "eigenschap-feit-soort", "/eigenschappen/0/feiten/0", "eigenschap 'e': feit 'verzoek' is van soort 'keuze' en kan niet 'erger worden'; monotoon gaat over feiten van soort ja_nee, ordinaal of verzameling"),
    ("\n\nscenarios:", PROPERTIES.format('{id: e, toelichting: E., soort: ondergrens, als: {niveau: {is: "2"}}, niveau: "2"}'),
     "eigenschap-niveau-voorwaarde", "/eigenschappen/0/als", "eigenschap 'e': de voorwaarde van een ondergrens mag niet naar het niveau of de overgang kijken ('niveau'); dat is wat de eigenschap controleert"),
    ("\n\nscenarios:", PROPERTIES.format('{id: e, toelichting: E., soort: ondergrens, als: {feit: hulpvraag, is: true}, niveau: "9"}'),
     "onbekende-verwijzing", "/eigenschappen/0/niveau", "niveau '9' bestaat niet in deze kaart; wel: 1, 2, 3"),
    ("\n\nscenarios:", PROPERTIES.format("{id: e, toelichting: E., soort: uitsluiting, acties: [opschalen, onbekend]}"),
     "onbekende-verwijzing", "/eigenschappen/0/acties/1", "actietype 'onbekend' bestaat niet in deze kaart; wel: opschalen, aanmelden, warme_overdracht, advies_vragen, activeer_protocol"),
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "code", "path", "message"), DEFECTS, ids=[d[2] + d[3] for d in DEFECTS])
def test_each_defect_is_reported_with_its_code_place_and_message(
    old: str, new: str, code: str, path: str, message: str
) -> None:
    first = problems_of(_changed(old, new))[0]
    assert (first.code, first.path, first.message) == (code, path, message)


def test_an_ordinal_fact_with_two_values_is_enough() -> None:
    text = _changed("    waarden: [geen, zorgen, structureel, acuut]", "    waarden: [geen, acuut]")
    for value in ("zorgen", "structureel"):
        text = text.replace(f"minstens: {value}", "minstens: acuut").replace(
            f"veiligheidsrisico: {value}", "veiligheidsrisico: acuut"
        )
    assert (
        ave_rules.loads(text, name="klein.yaml", engine="reference").fact_by_id["veiligheidsrisico"].kind == "ordinaal"
    )


def test_niveau_huidig_in_a_kaart_without_a_phase_fact_is_refused() -> None:
    text = _changed(
        "  - id: huidige_fase\n    soort: fase\n    omschrijving: Het niveau waarop de casus nu staat; 'geen' bij een nieuwe casus.\n    standaard: geen\n",
        "",
    )
    for old, new in [
        ("als: {overgang: opschalen}", "als: {feit: hulpvraag, is: true}"),
        ("als: {overgang: afschalen}", "als: {feit: hulpvraag, is: false}"),
        ('      huidige_fase: "2"\n', ""),
        ('      huidige_fase: "3"\n', ""),
    ]:
        text = text.replace(old, new)
    (problem,) = problems_of(text)
    assert (problem.code, problem.path) == ("geen-fasefeit", "/regels/4/dan/acties/0/bron/niveau")
    assert (
        problem.message
        == "'niveau: huidig' verwijst naar de huidige fase, maar de kaart heeft geen feit van soort 'fase'"
    )
