"""The kaart as people read it: worded conditions, the HTML page, markdown, and their safety."""

from __future__ import annotations

import datetime
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from budget import examples
from hypothesis import HealthCheck, given, settings
from pydantic import TypeAdapter

import ave_rules
from ave_rules import _terms as t
from ave_rules._messages import language, render
from ave_rules.authoring import render_decision_html, render_html, render_markdown
from ave_rules.authoring._render import LEVEL_COLOURS
from ave_rules.authoring._wording import Words, clause, kaart_words, sentence
from ave_rules.engine import alternatives_held, complete
from ave_rules.kaart import Condition, DerivedTest, FactTest, LevelTest, Regiekaart, atoms
from ave_rules.testing.strategies import kaart_documents

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"
SMALL = ROOT / "docs" / "voorbeelden" / "kleine-kaart.yaml"
EXTENDING = ROOT / "examples" / "gemeente-voorbeeld" / "regiekaarten" / "voorbeeldgemeente.yaml"

CONDITION = TypeAdapter(Condition)

# The wording is the specification: condition (as written in a kaart) -> sentence.
SENTENCES = [
    ({"feit": "stagnatie", "is": True}, "‘stagnatie’ is ja"),
    ({"feit": "stagnatie", "is": False}, "‘stagnatie’ is nee"),
    ({"feit": "verzoek", "is": "advies"}, "‘verzoek’ is ‘advies’"),
    ({"feit": "verzoek", "is_een_van": ["advies", "aanmelding"]}, "‘verzoek’ is ‘advies’ of ‘aanmelding’"),
    ({"feit": "zelfregie", "minstens": "beperkt"}, "‘zelfregie’ is minstens ‘beperkt’"),
    ({"feit": "zelfregie", "hoogstens": "onvoldoende"}, "‘zelfregie’ is hoogstens ‘onvoldoende’"),
    ({"feit": "zelfregie", "boven": "volledig"}, "‘zelfregie’ is hoger dan ‘volledig’"),
    ({"feit": "zelfregie", "onder": "afwezig"}, "‘zelfregie’ is lager dan ‘afwezig’"),
    ({"feit": "huidige_fase", "is": "geen"}, "‘huidige_fase’ is ‘geen’"),
    ({"feit": "huidige_fase", "minstens": "2"}, "‘huidige_fase’ is minstens ‘2’"),
    ({"feit": "leefgebieden", "bevat": "verslaving"}, "‘leefgebieden’ bevat ‘verslaving’"),
    (
        {"feit": "leefgebieden", "bevat_een_van": ["financien", "huisvesting", "justitie"]},
        "‘leefgebieden’ bevat minstens één van ‘financien’, ‘huisvesting’ of ‘justitie’",
    ),
    (
        {"feit": "leefgebieden", "bevat_alle": ["financien", "opvoeding"]},
        "‘leefgebieden’ bevat ‘financien’ en ‘opvoeding’",
    ),
    ({"feit": "leefgebieden", "aantal_minstens": 2}, "het aantal waarden in ‘leefgebieden’ is minstens 2"),
    ({"feit": "leefgebieden", "aantal_hoogstens": 3}, "het aantal waarden in ‘leefgebieden’ is hoogstens 3"),
    ({"feit": "leefgebieden", "aantal_is": 0}, "het aantal waarden in ‘leefgebieden’ is precies 0"),
    ({"afgeleid": "complex"}, "‘complex’ geldt"),
    ({"niveau": {"is": "3a"}}, "het besliste niveau is 3a"),
    ({"niveau": {"is_een_van": ["2", "3a"]}}, "het besliste niveau is 2 of 3a"),
    ({"niveau": {"minstens": "3a"}}, "het besliste niveau is minstens 3a"),
    ({"niveau": {"hoogstens": "2"}}, "het besliste niveau is hoogstens 2"),
    ({"niveau": {"boven": "1"}}, "het besliste niveau is hoger dan 1"),
    ({"niveau": {"onder": "4"}}, "het besliste niveau is lager dan 4"),
    ({"overgang": "nieuw"}, "de casus is nieuw (er is nog geen fase)"),
    ({"overgang": "opschalen"}, "het besliste niveau is hoger dan de huidige fase (opschalen)"),
    ({"overgang": "afschalen"}, "het besliste niveau is lager dan de huidige fase (afschalen)"),
    ({"overgang": "blijft"}, "het besliste niveau is gelijk aan de huidige fase"),
    ({"niet": {"afgeleid": "multidomein"}}, "‘multidomein’ geldt niet"),
    ({"niet": {"feit": "stagnatie", "is": True}}, "‘stagnatie’ is niet ja"),
    ({"niet": {"feit": "verzoek", "is": "advies"}}, "‘verzoek’ is niet ‘advies’"),
    ({"niet": {"niet": {"feit": "stagnatie", "is": False}}}, "het is niet zo dat (‘stagnatie’ is niet nee)"),
    ({"niet": {"feit": "zelfregie", "minstens": "beperkt"}}, "het is niet zo dat ‘zelfregie’ is minstens ‘beperkt’"),
    (
        {"niet": {"een_van": [{"afgeleid": "a"}, {"afgeleid": "b"}]}},
        "het is niet zo dat (‘a’ geldt of ‘b’ geldt)",
    ),
    ({"alle": [{"afgeleid": "a"}]}, "‘a’ geldt"),
    (
        {"alle": [{"afgeleid": "a"}, {"afgeleid": "b"}, {"feit": "stagnatie", "is": True}]},
        "‘a’ geldt, ‘b’ geldt en ‘stagnatie’ is ja",
    ),
    ({"een_van": [{"afgeleid": "a"}, {"afgeleid": "b"}]}, "‘a’ geldt of ‘b’ geldt"),
    (
        {"alle": [{"afgeleid": "a"}, {"een_van": [{"afgeleid": "b"}, {"afgeleid": "c"}]}]},
        "‘a’ geldt en (‘b’ geldt of ‘c’ geldt)",
    ),
    (
        {"alle": [{"afgeleid": "a"}, {"niet": {"niveau": {"is": "2"}}}, {"afgeleid": "c"}]},
        "‘a’ geldt, (het is niet zo dat het besliste niveau is 2) en ‘c’ geldt",
    ),
    ({"alle": [{"afgeleid": "a"}, {"niet": {"afgeleid": "b"}}]}, "‘a’ geldt en ‘b’ geldt niet"),
]


@pytest.mark.parametrize(("written", "expected"), SENTENCES, ids=[expected for _, expected in SENTENCES])
def test_each_condition_kind_has_its_sentence(written: dict[str, Any], expected: str) -> None:
    assert sentence(CONDITION.validate_python(written)) == expected


def test_every_comparison_and_form_is_in_the_table() -> None:
    written = [json.dumps(condition) for condition, _ in SENTENCES]
    for comparison in (*t.FACT_COMPARISONS, *t.LEVEL_COMPARISONS):
        assert any(f'"{comparison}"' in text for text in written), comparison
    for form in (*t.CONDITION_FORMS, *t.TRANSITIONS):
        assert any(f'"{form}"' in text for text in written), form


KAART_WORDS = Words(derived={"complex": "de casus is complex"}, flags={"stagnatie": "de aanpak zit vast"})
PLAIN = [  # with the kaart's own words, as on the printed regiekaart
    ({"afgeleid": "complex"}, "de casus is complex"),
    ({"niet": {"afgeleid": "complex"}}, "niet: de casus is complex"),
    ({"afgeleid": "zonder_omschrijving"}, "‘zonder omschrijving’ geldt"),
    ({"feit": "stagnatie", "is": True}, "de aanpak zit vast"),
    ({"feit": "stagnatie", "is": False}, "‘stagnatie’ is nee"),
    ({"feit": "risico_voor_omgeving", "is": "zeer_hoog"}, "‘risico voor omgeving’ is ‘zeer hoog’"),
    ({"overgang": "opschalen"}, "er wordt opgeschaald"),
    (
        {"alle": [{"afgeleid": "complex"}, {"een_van": [{"overgang": "nieuw"}, {"feit": "stagnatie", "is": True}]}]},
        "de casus is complex en (de casus is nieuw of de aanpak zit vast)",
    ),
]


@pytest.mark.parametrize(("written", "expected"), PLAIN)
def test_a_sentence_in_the_kaarts_own_words(written: dict[str, Any], expected: str) -> None:
    assert sentence(CONDITION.validate_python(written), KAART_WORDS) == expected


def test_a_description_becomes_a_clause() -> None:
    assert clause("Er zijn twee of meer kolommen nodig.") == "er zijn twee of meer kolommen nodig"
    assert clause("GGZ  is\nbetrokken.") == "GGZ is betrokken"


def test_sentences_follow_the_message_language() -> None:
    condition = CONDITION.validate_python(
        {"alle": [{"feit": "zelfregie", "minstens": "beperkt"}, {"niet": {"afgeleid": "complex"}}]}
    )
    with language("en"):
        assert sentence(condition) == "‘zelfregie’ is at least ‘beperkt’ and ‘complex’ does not hold"


# --- random kaarten -----------------------------------------------------------------------


def _shown_value(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["ja" if value else "nee"]
    if isinstance(value, tuple):
        return [str(item) for item in value]
    return [str(value)]


@settings(max_examples=examples(15, 80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kaart_documents(max_facts=5, max_derived=3, max_rules=8))
def test_every_rule_of_a_random_kaart_is_worded_with_its_facts_and_values(document: dict[str, Any]) -> None:
    kaart = ave_rules.loads(json.dumps(document), engine="reference")
    for rule in kaart.rules:
        text = sentence(rule.condition)
        for atom in atoms(rule.condition):
            if isinstance(atom, FactTest):
                assert f"‘{atom.fact}’" in text
                for value in _shown_value(atom.operand):
                    assert value in text, (value, text)
            elif isinstance(atom, DerivedTest):
                assert f"‘{atom.derived}’" in text
            elif isinstance(atom, LevelTest):
                for value in _shown_value(atom.level.operand):
                    assert value in text, (value, text)
    reference = render_html(kaart, reference=True)
    assert reference.count("<h1>") == 1
    for rule in kaart.rules:
        assert f'id="regel-{rule.id}"' in reference
    sheet = _parsed(render_html(kaart))
    assert [tag for tag, _, _ in sheet.tags].count("h1") == 1
    assert render_markdown(kaart).startswith("# ")


# --- the HTML page --------------------------------------------------------------------------

VOID = {"meta", "br", "link", "img", "hr", "input", "col", "wbr"}


class _Tree(HTMLParser):
    """Checks nesting while parsing and keeps what the structure tests need."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.first_child_of_table: list[str] = []
        self.text: list[str] = []
        self._table_waits = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._table_waits:
            self.first_child_of_table.append(tag)
            self._table_waits = False
        self.tags.append((tag, dict(attrs), tuple(self.open)))
        if tag == "table":
            self._table_waits = True
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:]}")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert not tree.problems
    assert tree.open == []
    return tree


@pytest.fixture(scope="module")
def generic() -> Regiekaart:
    return ave_rules.load(GENERIC, engine="reference")


@pytest.fixture(scope="module")
def extending() -> Regiekaart:
    return ave_rules.load(EXTENDING, engine="reference")


@pytest.mark.parametrize("reference", [False, True], ids=["kaart", "naslag"])
@pytest.mark.parametrize("path", [GENERIC, SMALL, EXTENDING], ids=lambda path: path.stem)
def test_the_page_is_well_formed_and_semantic(path: Path, reference: bool) -> None:
    kaart = ave_rules.load(path, engine="reference")
    page = render_html(kaart, reference=reference)
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    tree = _parsed(page)
    names = [tag for tag, _, _ in tree.tags]
    assert names.count("h1") == 1
    assert names.count("table") == tree.first_child_of_table.count("caption") >= (4 if reference else 1)
    headers = [attrs for tag, attrs, _ in tree.tags if tag == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    assert not {"script", "link", "img", "iframe", "object"} & set(names)
    assert not re.search(r"(src|href)=\"(?!#)", page), "only links within the page"
    # levels as columns, in ladder order, each named in text (colour is not the only carrier)
    level_heads = [attrs["data-niveau"] for tag, attrs, _ in tree.tags if tag == "th" and "data-niveau" in attrs]
    assert level_heads == list(kaart.level_ids)
    text = " ".join(" ".join(tree.text).split())
    for level in kaart.levels:
        assert f"Niveau {level.id}: {' '.join(level.name.split())}" in text
        assert f"fase {level.phase}, {level.colour}" in text
    words = kaart_words(kaart) if not reference else None
    for rule in kaart.rules if reference else [rule for rule in kaart.rules if rule.conclusion.level]:
        assert " ".join(sentence(rule.condition, words).split()) in text or all(
            " ".join(part.split()) in text for part in _parts(rule.condition, words)
        )


def _parts(condition: Condition, words: Words | None = None) -> list[str]:
    from ave_rules.authoring._wording import listed

    return list(listed(condition, words)[1])


def test_the_page_shows_every_level_with_its_roles_criteria_and_actions(generic: Regiekaart) -> None:
    page = render_html(generic)
    cells = _cells(page)
    for level in generic.levels:
        for role in t.ROLES:
            shown = cells[(level.id, role)]
            for holder in level.roles.holders(role):
                assert next(o.name for o in generic.organisations if o.id == holder) in shown
            if not level.roles.holders(role):
                assert "niemand" in shown
    assert "Startniveau" in page
    # the 3b criteria are the three derived facts of rule niveau-3b, each in the kaart's words
    assert "Als al deze voorwaarden gelden:" in cells[("3b", "opschalen")]
    derived = {fact.id: fact for fact in generic.derived_facts}
    rule_3b = next(rule for rule in generic.rules if rule.id == "niveau-3b")
    for atom in atoms(rule_3b.condition):
        assert isinstance(atom, DerivedTest)
        assert clause(derived[atom.derived].description) in html.unescape(cells[("3b", "opschalen")])
    # a role on the decided level is filled in: on 3b, aanmelden goes to the ZVH
    assert "Meld de casus aan bij Zorg- en Veiligheidshuis." in cells[("3b", "acties")]
    # opschalen to the lowest level cannot happen; the rule's actions are not in its column
    assert "Schaal de casus op" not in cells[("1", "acties")]
    # acuut-onder-niveau-4 is ruled out on level 4 by its level test
    assert "Betrek Veilig Thuis" in cells[("3b", "acties")]
    assert "Betrek Veilig Thuis" not in cells[("4", "acties")]


def _cells(page: str) -> dict[tuple[str, str], str]:
    """Per (level, row name: a role, opschalen, acties, ...) the text of the sheet's cell."""
    found: dict[tuple[str, str], str] = {}
    rows = re.findall(r'<tr data-rij="([^"]*)"><th scope="row">.*?</th>(.*?)</tr>', page.split("<tbody>")[1])
    for name, cells in rows:
        for level, content in re.findall(r'<td class="[^"]*" data-niveau="([^"]*)"[^>]*>(.*?)</td>', cells):
            found[(level, name)] = re.sub("<[^>]+>", " ", content)
    return found


def test_afschalen_is_in_words_and_common_actions_are_shown_once(generic: Regiekaart) -> None:
    page = render_html(generic)
    down = page.split('<tr data-rij="afschalen">')[1].split("</tr>")[0]
    assert "Afschalen zodra geen voorwaarde" in down
    assert not any(rule.id in down for rule in generic.rules if "-" in rule.id), "no rule ids such as niveau-3a"
    every = page.split('<tr data-rij="elk-niveau">')[1].split("</tr>")[0]
    advice = "Vraag advies aan Zorg- en Veiligheidshuis; de regie blijft ongewijzigd."
    assert page.count(advice) == 1 and advice in every, "an action the same on every level, once"
    assert '<span class="aanleiding">Als ‘verzoek’ is ‘advies’:</span>' in every, "with what sets it off"
    cells = _cells(page)
    up = cells[("2", "acties")]
    assert "Als er wordt opgeschaald:" in up and "Schaal de casus op naar niveau 2." in up
    for level in generic.levels:
        actions = page.split('<tr data-rij="acties">')[1].split("</tr>")[0]
        column = actions.split(f'data-niveau="{level.id}"')[1].split("</td>")[0]
        items = re.findall(r"<li>(.*?)</li>", column)
        assert items, level.id
        assert len(items) == len(set(items)), "no action twice in one column"


def test_conditions_on_derived_facts_are_in_words_on_every_bundled_kaart() -> None:
    from ave_rules.loading import load_versions

    for kaart in load_versions(ROOT / "regiekaarten", engine="reference"):
        page = render_html(kaart)
        for fact in kaart.derived_facts:
            assert f"‘{fact.id}’ geldt" not in page and f"‘{fact.id.replace('_', ' ')}’ geldt" not in page
        assert "aan Het " not in page and "((" not in page.replace(" ", "")
        actions = page.split('<tr data-rij="acties">')[1].split("</tr>")[0]
        for column in actions.split("</td>"):
            items = re.findall(r"<li>(.*?)</li>", column)
            assert len(items) == len(set(items)), f"{kaart.id}: no action twice in one column"
        assert not re.search(r"\([^()]*\([^()]*\)[^()]*\)", re.sub("<[^>]+>", "", page.split("<body>")[1])), (
            "no nested parentheses"
        )


def _reference_cells(page: str) -> dict[tuple[str, str], str]:
    """Per (level, role) the text of the reference document's ladder cell."""
    found: dict[tuple[str, str], str] = {}
    for level, role, content in re.findall(
        r'<td class="[^"]*" data-niveau="([^"]*)" data-rol="([^"]*)">(.*?)</td>',
        page.split('<table class="ladder">')[1],
    ):
        found[(level, role)] = re.sub("<[^>]+>", " ", content)
    return found


def test_colour_is_never_the_only_carrier(generic: Regiekaart) -> None:
    page = render_html(generic)
    for level in generic.levels:
        head = re.search(rf'<th scope="col" id="niveau-{level.id}"[^>]*>(.*?)</th>', page)
        assert head is not None
        assert f"Niveau {level.id}" in head.group(1) and level.colour in head.group(1)


def test_provenance_is_a_footnote_on_the_sheet(extending: Regiekaart) -> None:
    page = render_html(extending)
    assert "geërfd van" not in page, "inheritance is one line, not a badge per item"
    assert "Breidt ave-generiek uit. Wat hier geen voetnoot heeft, is ongewijzigd van ave-generiek geërfd." in page
    head = re.search(r'<th scope="col" id="niveau-3a"[^>]*>(.*?)</th>', page)
    assert head is not None
    number = re.search(r'<sup class="noot"><a href="#noot-(\d+)">', head.group(1))
    assert number is not None
    note = re.search(rf'<li id="noot-{number.group(1)}">(.*?)</li>', page)
    assert note is not None and "aangepast: rollen.procesregie" in note.group(1)
    cells = _cells(page)
    assert "Veiligheidsteam Voorbeeldgemeente" in cells[("3a", "procesregie")]
    assert 'class="noot"' in page.split('data-niveau="3a" data-rol="procesregie"')[1].split("</td>")[0]
    assert 'class="noot"' not in page.split('data-niveau="3a" data-rol="casusregie"')[1].split("</td>")[0]


def test_provenance_is_marked_in_words(extending: Regiekaart) -> None:
    page = render_html(extending, reference=True)
    head = re.search(r'<th scope="col" id="niveau-3a"[^>]*>(.*?)</th>', page)
    assert head is not None and "aangepast: rollen.procesregie" in head.group(1)
    head_1 = re.search(r'<th scope="col" id="niveau-1"[^>]*>(.*?)</th>', page)
    assert head_1 is not None and "geërfd van ave-generiek" in head_1.group(1)
    cells = _reference_cells(page)
    assert "Veiligheidsteam Voorbeeldgemeente" in cells[("3a", "procesregie")]
    assert "aangepast" in cells[("3a", "procesregie")]
    assert "aangepast" not in cells[("3a", "casusregie")]
    organisation = re.search(r'<tr id="organisatie-veiligheidsteam">(.*?)</tr>', page)
    assert organisation is not None and ">nieuw<" in organisation.group(1)
    rule = re.search(r'<tr id="regel-opschalen">(.*?)</tr>', page)
    assert rule is not None and "geërfd van ave-generiek" in rule.group(1)
    markdown = render_markdown(extending)
    heading = "### Niveau 3a: Lokale procesregie (fase 3, oranje) _(aangepast: rollen.procesregie, evaluatiemoment)_"
    assert heading in markdown
    assert "Veiligheidsteam Voorbeeldgemeente _(aangepast: rollen.procesregie, evaluatiemoment)_" in markdown


@pytest.mark.parametrize("reference", [False, True], ids=["kaart", "naslag"])
def test_a_kaart_that_extends_none_has_no_marks(generic: Regiekaart, reference: bool) -> None:
    page = render_html(generic, reference=reference)
    assert 'class="mark' not in page and 'class="noot"' not in page
    assert "geërfd" not in page and "aangepast" not in page


def test_lapsed_items_are_listed(tmp_path: Path) -> None:
    (tmp_path / "basis.yaml").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    child = tmp_path / "kind.yaml"
    child.write_text(
        "formaat: 1\nid: kind\nnaam: Kind\nversie: '1'\ngeldig_vanaf: '2025-01-01'\nbreidt_uit: voorbeeld-klein\n"
        "regels:\n  - id: advies\n    vervalt: true\nactietypen:\n  - id: advies_vragen\n    vervalt: true\n",
        encoding="utf-8",
    )
    kaart = ave_rules.load(child, engine="reference")
    page = render_html(kaart, reference=True)
    assert "Vervallen uit voorbeeld-klein" in page and "<li>regels: advies</li>" in page
    assert re.search(r"Vervallen uit voorbeeld-klein: [^<]*regels: advies", render_html(kaart))
    assert "- regels: advies" in render_markdown(kaart)


# --- untrusted text --------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script> | *vet* [link](http://example.org) & `code`"


@pytest.fixture(scope="module")
def hostile() -> Regiekaart:
    text = SMALL.read_text(encoding="utf-8")
    quoted = json.dumps(HOSTILE)
    for original in ("naam: Wijkteam", "naam: Zelfregie", "naam: Kleine voorbeeldkaart"):
        assert original in text
        text = text.replace(original, f"naam: {quoted}")
    text = text.replace("omschrijving: Twee of meer kolommen zijn betrokken.", f"omschrijving: {quoted}").replace(
        'versie: "2025.1"', f"versie: {json.dumps('<b>1</b>')}"
    )
    return ave_rules.loads(text, engine="reference")


def test_kaart_text_is_escaped_in_html(hostile: Regiekaart) -> None:
    pages = (
        render_html(hostile),
        render_html(hostile, reference=True),
        render_decision_html(hostile, hostile.evaluate({})),
    )
    for page in pages:
        assert "<script" not in page.lower()
        assert "<b>1</b>" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
        _parsed(page)
    assert "<title>&lt;script&gt;" in render_html(hostile)


def test_kaart_text_is_escaped_in_markdown(hostile: Regiekaart) -> None:
    markdown = render_markdown(hostile)
    assert not re.search(r"(?<!\\)<", markdown), "every < is escaped, so no HTML reaches a renderer"
    assert r"\<script\>alert('x')\</script\> \| \*vet\* \[link\](http://example.org) \& \`code\`" in markdown
    for line in markdown.splitlines():
        if line.startswith("|") and "Wijkteam" not in line:
            # a table row keeps its columns: every unescaped pipe is a column border
            assert len(re.findall(r"(?<!\\)\|", line)) in (3, 4, 6)


def test_markdown_escapes_what_would_start_a_list() -> None:
    from ave_rules.authoring._render import _md

    assert _md("- geen lijst", starts_line=True) == r"\- geen lijst"
    assert _md("1. geen lijst", starts_line=True) == r"\1. geen lijst"
    assert _md("2025.1") == "2025.1"
    assert _md("regel\nmet | pipe") == r"regel met \| pipe"


# --- markdown and languages ---------------------------------------------------------------------


def test_markdown_has_the_same_content(generic: Regiekaart) -> None:
    markdown = render_markdown(generic)
    assert markdown.startswith("# Generieke AVE-regiekaart\n")
    assert "- **Versie:** 2025.1" in markdown
    for level in generic.levels:
        assert f"### Niveau {level.id}: {level.name}" in markdown.replace("\\", "")
    assert "| Procesregie | Zorg- en Veiligheidshuis |" in markdown
    assert "  - ‘veiligheidsrisico’ is minstens ‘multiprobleem’" in markdown
    assert "### informeer-betrokkene" in markdown
    for rule in generic.rules:
        assert f"### {rule.id}" in markdown


def test_english_labels_with_dutch_content(generic: Regiekaart) -> None:
    with language("en"):
        page = render_html(generic, reference=True)
        sheet = render_html(generic)
        markdown = render_markdown(generic)
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert '<span lang="en">Scaling up to this level</span>' in page
    assert "Opschalen naar dit niveau" not in page
    assert '<span lang="en">When to scale up</span>' in sheet and "Wanneer opschalen" not in sheet
    assert '<span lang="en">On every level</span>' in sheet and "‘zelfregie’ is at least ‘beperkt’" in sheet
    assert '<span lang="en">Level 3a: Lokale procesregie</span>' in page
    assert "‘zelfregie’ is at least ‘beperkt’" in page
    assert f"**Valid from:** {generic.valid_from}" in markdown
    assert 'lang="en"' not in render_html(generic)


# --- the decision page --------------------------------------------------------------------------


COMPLEX = {
    "huidige_fase": "2",
    "leefgebieden": ["financien", "huisvesting"],
    "kolommen": ["zorg", "veiligheid"],
    "veiligheidsrisico": "structureel",
    "betrokkene_geinformeerd": "nee",
}


def test_decision_page(generic: Regiekaart) -> None:
    decision = generic.evaluate(COMPLEX, datetime.date(2026, 12, 3))
    assert decision.level == "3a"
    page = render_decision_html(generic, decision)
    tree = _parsed(page)
    assert [tag for tag, _, _ in tree.tags].count("h1") == 1
    assert "Besluit: niveau 3a, Lokale procesregie" in page and "size: A4 portrait" in page
    assert '<time datetime="2026-12-03">2026-12-03</time>' in page
    for action in decision.actions:
        assert action.text in page
    rules = {rule.id: rule for rule in generic.rules}
    deciding, folded = page.split("<details>")
    for entry in decision.trace:  # the rules that decided the level first; the others folded away
        part = deciding if rules[entry.rule].conclusion.level == "3a" else folded
        assert f"<strong>{html.escape(entry.explanation, quote=False)}</strong>" in part, entry.rule
    assert "durable-rules" not in page and decision.engine not in page  # not the dossier's business
    # without the facts, no fact values of the case: only which facts were defaulted
    assert "financien" not in page and "huisvesting" not in page


def test_the_decision_page_shows_the_facts_as_entered_and_the_step(generic: Regiekaart) -> None:
    decision = generic.evaluate(COMPLEX, datetime.date(2026, 12, 3))
    page = render_decision_html(generic, decision, facts=COMPLEX, case="ZAAK-17")
    assert "ZAAK-17" in page and "opschalen van niveau 2 naar niveau 3a" in page
    entered = page.split("De feiten zoals ingevoerd")[1]
    assert "financien, huisvesting" in entered and "structureel" in entered
    defaulted = [fact.id for fact in generic.facts if fact.id not in COMPLEX]
    assert defaulted and all(f"{fact}: " in entered for fact in defaulted)
    with pytest.raises(ave_rules.FactsError):
        render_decision_html(generic, decision, facts={"kolommen": "zorg"})


def test_the_decision_page_says_which_alternative_held(generic: Regiekaart) -> None:
    facts = {**COMPLEX, "huidige_fase": "3a", "maatschappelijke_onrust": "manifest", "dwang_drang_nodig": False}
    decision = generic.evaluate(facts)
    page = render_decision_html(generic, decision, facts=facts)
    index = {rule.id: number for number, rule in enumerate(generic.rules)}
    [(path, positions)] = alternatives_held(generic, complete(generic, facts)[0], decision.level)[index["complex"]]
    assert path == "/als/alle/2/een_van"
    block = page.split("(regel complex)")[1].split('<li class="rule">')[0]
    marks = re.findall(r'<li class="(held|not-held)">', block)
    assert marks == ["held" if n in positions else "not-held" for n in range(len(marks))] and len(marks) == 4
    # "dwang of drang" was answered nee: that alternative is shown, and shown not to hold
    assert re.search(r'class="not-held">[^\n]*?dwang_drang_nodig[^\n]*? is ja', block)
    assert page.count('class="held"') + page.count('class="not-held"') > len(marks)  # other rules too


# --- contrast (WCAG 2.1 AA) -----------------------------------------------------------------------


def _luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        pattern = r"([\w-]+)\s*:\s*([^;]+)"
        declarations = {name.strip(): value.strip() for name, value in re.findall(pattern, body)}
        rules.append((" ".join(selector.split()), declarations))
    return rules


@pytest.mark.parametrize("kind", ["kaart", "naslag", "besluit"])
def test_every_text_colour_pair_meets_wcag_aa(generic: Regiekaart, kind: str) -> None:
    pages = {
        "kaart": lambda: render_html(generic),
        "naslag": lambda: render_html(generic, reference=True),
        "besluit": lambda: render_decision_html(generic, generic.evaluate({})),
    }
    page = pages[kind]()
    css = page.split("<style>")[1].split("</style>")[0]
    rules = _rules(css)
    text = next(d["color"] for s, d in rules if s == "body")
    surfaces = [d["background-color"] for s, d in rules if s.startswith(("body", "td")) and "background-color" in d]
    pairs = []
    for selector, declarations in rules:
        foreground, background = declarations.get("color"), declarations.get("background-color")
        if foreground and background:
            pairs.append((selector, foreground, background))
        elif foreground:  # text on whatever surface it lands on
            pairs += [(selector, foreground, surface) for surface in surfaces]
        elif background:
            pairs.append((selector, text, background))
    assert len(pairs) > len(LEVEL_COLOURS) * 2
    failing = [(s, f, b, round(contrast(f, b), 2)) for s, f, b in pairs if contrast(f, b) < 4.5]
    assert not failing
    for colour in t.COLOURS:
        assert f".kleur-{colour} {{" in css and f"td.tint-{colour} {{" in css


# --- the options: reference document and paper ------------------------------------------------


def test_the_reference_document_carries_the_tables(generic: Regiekaart) -> None:
    reference = render_html(generic, reference=True)
    sheet = render_html(generic)
    for caption in ("weergave-feiten-bijschrift", "weergave-regels-bijschrift", "weergave-organisaties-bijschrift"):
        text = html.escape(render(caption, {}), quote=True)
        assert f"<caption>{text}</caption>" in reference and f"<caption>{text}</caption>" not in sheet
    for rule in generic.rules:
        assert f'<tr id="regel-{rule.id}">' in reference
    assert "size: A3 landscape" in sheet and "size: A4 landscape" in render_html(generic, paper="A4")
    with pytest.raises(ValueError, match="A3"):
        render_html(generic, paper="Letter")


def test_render_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from ave_rules.cli import main

    assert main(["render", str(GENERIC)]) == 0
    sheet = capsys.readouterr().out
    assert 'class="ladder sheet"' in sheet and "size: A3 landscape" in sheet and 'id="regel-' not in sheet
    assert main(["render", str(GENERIC), "--reference", "--paper", "A4"]) == 0
    reference = capsys.readouterr().out
    assert 'id="regel-niveau-3a"' in reference and "size: A4 landscape" in reference


@pytest.mark.parametrize(
    ("description", "as_clause"),
    [
        (
            "De problemen leiden tot overlast (criterium A van het ZVH).",
            "de problemen leiden tot overlast – criterium A van het ZVH",
        ),
        ("Er is (soms) een vraag.", "er is – soms – een vraag"),
        ("GGZ is betrokken.", "GGZ is betrokken"),
    ],
)
def test_a_description_as_a_clause_has_its_aside_between_dashes(description: str, as_clause: str) -> None:
    from ave_rules.authoring._wording import clause

    assert clause(description) == as_clause


# --- gegevensdeling -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sharing() -> Regiekaart:
    from small_kaarten import SHARING

    return ave_rules.loads(SHARING, engine="reference")


def _row(page: str, name: str) -> str:
    return page.split(f'<tr data-rij="{name}">')[1].split("</tr>")[0]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub("<[^>]+>", " ", fragment)).split())


# ids of the fixture that are in none of its names
SHARING_IDS = ("zorgen_cat", "publieke_taak", "van_inbrenger", "samen", "retour", "wt", "zvh")


def test_the_sheet_has_a_gegevensdeling_row_that_accounts_for_every_level(sharing: Regiekaart) -> None:
    page = render_html(sharing)
    assert page.count('<tr data-rij="gegevensdeling">') == 1
    row = _row(page, "gegevensdeling")
    blocks = re.findall(r'<div class="deling trede-\d+" data-niveau="([^"]*)">(.*?)</div>', row)
    assert [level for level, _ in blocks] == ["2", "3"], "a block per level that states it, in ladder order"
    assert "Niveau 1: niet vastgelegd op deze kaart." in _text(row)
    level_2, level_3 = (_text(block) for _, block in blocks)
    assert level_2.startswith("Niveau 2: Verwerkingsverantwoordelijke: casusregie; Grondslag: Publieke taak van")
    assert "Casusoverleg: zorgen over het gezin met de deelnemers en bestuurlijke verantwoordelijkheid" in level_2
    assert "Terug naar de wijk: plan van aanpak van Wijkteam Noord met casusregie op het lagere niveau" in level_2
    assert "Rond na het overleg: actielijst" in level_2, "actielijst is circulated by default"
    assert "Betrokkene informeren" not in level_2, "level 2 says nothing about informing"
    expected = [
        "Verwerkingsverantwoordelijke: de inbrenger; Grondslag: Grondslag van de inbrenger",
        "Aanmelding bij het huis: identificerende gegevens en zorgen over het gezin met procesregie;"
        " politiegegevens van Wijkteam Noord met procesregie, grondslag: Eigen sectorwet",
        "Casusoverleg: zorgen over het gezin en plan van aanpak van de deelnemers met de deelnemers",
        "Terug naar de wijk: plan van aanpak en actielijst van Zorg- en Veiligheidshuis Zuid met casusregie op het"
        " lagere niveau",
        "Betrokkene informeren: vóór de aanmelding, tenzij een strafonderzoek of gevaar;"
        " Rond na het overleg: actielijst en plan van aanpak",
    ]
    for part in expected:
        assert part in level_3, part
    for ident in SHARING_IDS:
        assert ident not in _text(row), f"the names, not the id {ident}"


def test_the_generic_sheet_states_gegevensdeling_for_3b_only(generic: Regiekaart) -> None:
    row = _text(_row(render_html(generic), "gegevensdeling"))
    assert row.startswith("Gegevensdeling Niveau 3b: Verwerkingsverantwoordelijke: de inbrenger")
    assert "Niveaus 1, 2, 3a en 4: niet vastgelegd op deze kaart." in row
    assert "Triage: identificerende gegevens en aanleiding met Ketenpartners" in row
    assert "justitiele_gegevens" not in row and "van_inbrenger" not in row


def test_the_reference_document_has_a_gegevensdeling_cell_per_level(generic: Regiekaart, sharing: Regiekaart) -> None:
    cells = {
        level: _text(content)
        for level, content in re.findall(
            r'<td class="[^"]*" data-niveau="([^"]*)">(.*?)</td>',
            _row_after(render_html(sharing, reference=True), "Gegevensdeling"),
        )
    }
    assert list(cells) == ["1", "2", "3"]
    assert cells["1"] == "Niet vastgelegd op deze kaart."
    assert "Aanmelding bij het huis: identificerende gegevens" in cells["3"]
    row = _text(_row_after(render_html(generic, reference=True), "Gegevensdeling"))
    assert "Het Zorg- en Veiligheidshuis heeft geen wettelijke taak" in row, "with the toelichting"


def _row_after(page: str, label: str) -> str:
    return page.split(f'<th scope="row">{label}</th>')[1].split("</tr>")[0]


def test_markdown_has_the_gegevensdeling(sharing: Regiekaart) -> None:
    markdown = render_markdown(sharing)
    level_1 = markdown.split("### Niveau 1")[1].split("### Niveau 2")[0]
    assert "**Gegevensdeling:** Niet vastgelegd op deze kaart." in level_1
    level_3 = markdown.split("### Niveau 3")[1].split("\n## ")[0]
    assert "- _Casusoverleg:_ zorgen over het gezin en plan van aanpak van de deelnemers met de deelnemers" in level_3
    assert "- Rond na het overleg: actielijst en plan van aanpak" in level_3


def _section(page: str) -> str:
    return _text(page.split("<h2>Gegevensdeling</h2>")[1].split("<h2>")[0])


def test_the_decision_page_says_what_may_be_shared(sharing: Regiekaart) -> None:
    decision = sharing.evaluate({"zorgen": "veel"}, datetime.date(2026, 1, 5))
    assert decision.level == "3"
    section = _section(render_decision_html(sharing, decision))
    assert section.startswith(
        "Niveau 3. Verwerkingsverantwoordelijke: de inbrenger; Grondslag: Grondslag van de inbrenger, tenzij anders"
        " vermeld; Betrokkene informeren: vóór de aanmelding, tenzij een strafonderzoek of gevaar;"
        " Rond na het overleg: actielijst en plan van aanpak."
    )
    expected = [
        "Aanmelding bij het huis: identificerende gegevens en zorgen over het gezin van de inbrenger met procesregie"
        " (Zorg- en Veiligheidshuis Zuid).",
        "Aanmelding bij het huis: politiegegevens van Wijkteam Noord met procesregie (Zorg- en Veiligheidshuis Zuid),"
        " grondslag: Eigen sectorwet.",
        "Casusoverleg: zorgen over het gezin en plan van aanpak van de deelnemers met de deelnemers (Wijkteam Noord;"
        " Zorg- en Veiligheidshuis Zuid; Wethouder).",
        "Bij de overdracht in actie 1 mag Zorg- en Veiligheidshuis Zuid ontvangen: identificerende gegevens,"
        " zorgen over het gezin, politiegegevens en plan van aanpak.",
    ]
    for part in expected:
        assert part in section, part
    assert "Terug naar de wijk" not in section, "no afschaling"
    for ident in SHARING_IDS:
        assert ident not in section, f"the names, not the id {ident}"


def test_a_decision_with_afschaling_shows_the_step_of_the_level_left(sharing: Regiekaart) -> None:
    down = sharing.evaluate({"zorgen": "enkele", "huidige_fase": "3"}, datetime.date(2026, 1, 5))
    assert down.level == "2"
    section = _section(render_decision_html(sharing, down))
    assert "Niveau 2. Verwerkingsverantwoordelijke: casusregie (Wijkteam Noord)" in section
    assert (
        "Casusoverleg: zorgen over het gezin van casusregie (Wijkteam Noord) met de deelnemers en bestuurlijke"
        " verantwoordelijkheid (Wijkteam Noord; Wethouder)." in section
    )
    left = section.split("Afschaling van niveau 3, het niveau dat de casus verlaat.")[1]
    assert (
        "Terug naar de wijk: plan van aanpak en actielijst van Zorg- en Veiligheidshuis Zuid met casusregie"
        " (Wijkteam Noord)." in left
    )
    assert "Aanmelding bij het huis" not in section and "Bij de overdracht" not in section
    new = _section(render_decision_html(sharing, sharing.evaluate({"zorgen": "enkele"}, datetime.date(2026, 1, 5))))
    assert "Casusoverleg" in new and "Terug naar de wijk" not in new and "Afschaling" not in new


def test_a_decision_on_a_level_without_gegevensdeling_says_so(sharing: Regiekaart, generic: Regiekaart) -> None:
    assert _section(render_decision_html(sharing, sharing.evaluate({}))) == (
        "Deze kaart legt voor niveau 1 geen gegevensdeling vast."
    )
    decision = generic.evaluate(COMPLEX, datetime.date(2026, 12, 3))
    assert decision.level == "3a" and not decision.sharing
    assert _section(render_decision_html(generic, decision)) == (
        "Deze kaart legt voor niveau 3a geen gegevensdeling vast."
    )


@pytest.fixture(scope="module")
def hostile_sharing() -> Regiekaart:
    from small_kaarten import SHARING

    quoted = json.dumps(HOSTILE)
    text = SHARING
    for original in ("naam: Plan van aanpak", "naam: Terug naar de wijk", "naam: Eigen sectorwet", "gevaar]"):
        assert original in text
        text = text.replace(original, f"naam: {quoted}" if original.startswith("naam") else f"{quoted}]")
    return ave_rules.loads(text, engine="reference")


def test_gegevensdeling_text_is_escaped(hostile_sharing: Regiekaart) -> None:
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    down = hostile_sharing.evaluate({"zorgen": "enkele", "huidige_fase": "3"})
    new = hostile_sharing.evaluate({"zorgen": "veel"})
    pages = {
        "kaart": _row(render_html(hostile_sharing), "gegevensdeling"),
        "naslag": _row_after(render_html(hostile_sharing, reference=True), "Gegevensdeling"),
        "afschaling": render_decision_html(hostile_sharing, down).split("<h2>Gegevensdeling</h2>")[1],
        "nieuw": render_decision_html(hostile_sharing, new).split("<h2>Gegevensdeling</h2>")[1],
    }
    for name, part in pages.items():
        assert "<script" not in part.lower(), name
        # the category (every page), the ground, the step (all but the new case) and the exception
        assert part.count(escaped) >= (2 if name == "nieuw" else 3), name
    for page in (render_html(hostile_sharing), render_decision_html(hostile_sharing, new)):
        _parsed(page)
    markdown = render_markdown(hostile_sharing)
    assert not re.search(r"(?<!\\)<", markdown)
    assert r"\<script\>alert('x')\</script\>" in markdown.split("**Gegevensdeling**")[1]


def test_gegevensdeling_labels_follow_the_message_language(sharing: Regiekaart) -> None:
    with language("en"):
        sheet = render_html(sharing)
        page = render_decision_html(sharing, sharing.evaluate({"zorgen": "veel"}))
    row = _row(sheet, "gegevensdeling")
    assert '<span lang="en">Data sharing (gegevensdeling)</span>' in row
    assert '<span lang="en">Level 1: not stated on this kaart.</span>' in row
    assert "Aanmelding bij het huis:</span> identificerende gegevens and zorgen over het gezin with procesregie" in row
    assert '<h2><span lang="en">Data sharing (gegevensdeling)</span></h2>' in page
    assert "may receive: identificerende gegevens, zorgen over het gezin, politiegegevens and plan van aanpak" in page


def test_a_changed_gegevensdeling_is_a_footnote_on_the_sheet(tmp_path: Path) -> None:
    (tmp_path / "ave-generiek.yaml").write_text(GENERIC.read_text(encoding="utf-8"), encoding="utf-8")
    child = tmp_path / "kind.yaml"
    child.write_text(
        "formaat: 1\nid: kind\nnaam: Kind\nversie: '1'\ngeldig_vanaf: '2025-01-01'\nbreidt_uit: ave-generiek\n"
        "niveaus:\n  - id: '3b'\n    gegevensdeling:\n      verspreiden: [actielijst, plan_van_aanpak]\n",
        encoding="utf-8",
    )
    kaart = ave_rules.load(child, engine="reference")
    page = render_html(kaart)
    block = _row(page, "gegevensdeling").split('data-niveau="3b">')[1]
    number = re.search(r'<sup class="noot"><a href="#noot-(\d+)">', block)
    assert number is not None
    assert f'<li id="noot-{number.group(1)}">aangepast: gegevensdeling.verspreiden</li>' in page
    assert "Rond na het overleg: actielijst en plan van aanpak" in _text(block)
    reference = _row_after(render_html(kaart, reference=True), "Gegevensdeling")
    assert "aangepast: gegevensdeling.verspreiden" in reference.split('data-niveau="3b"')[1]


def test_a_decision_where_no_step_applies_says_so() -> None:
    from small_kaarten import SHARING

    only_on_entry = SHARING.replace(
        "naam: Casusoverleg, omschrijving: Overleggen., moment: op_niveau",
        "naam: Casusoverleg, omschrijving: Overleggen., moment: instroom",
    )
    kaart = ave_rules.loads(only_on_entry, engine="reference")
    decision = kaart.evaluate({"zorgen": "enkele", "huidige_fase": "2"})
    assert decision.level == "2" and decision.sharing and not decision.sharing[0].shares
    section = _section(render_decision_html(kaart, decision))
    assert section.startswith("Niveau 2. Verwerkingsverantwoordelijke: casusregie (Wijkteam Noord)")
    assert section.endswith(
        "Geen processtap van niveau 2 is in dit besluit van toepassing: er mag niets gedeeld worden."
    )
