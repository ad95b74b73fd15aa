"""Kaarten that extend another: merging, where problems point, versions chosen by date."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import ave_rules
from ave_rules.engine import run_scenarios
from ave_rules.kaart import DerivedTest

ROOT = Path(__file__).resolve().parents[1]
BASE_TEXT = (ROOT / "docs" / "voorbeelden" / "kleine-kaart.yaml").read_text(encoding="utf-8")

CHILD = """\
formaat: 1
id: gemeente-x
naam: Regiekaart gemeente X
versie: "1"
geldig_vanaf: "2025-03-01"
gemeenten: [X]
breidt_uit: voorbeeld-klein
niveaus:
  - id: "3"
    rollen:
      casusregie: [bemoeizorg]
  - id: "2b"
    fase: 2
    kleur: oranje
    naam: Versterkte aanpak
    omschrijving: Een tussenstap die alleen gemeente X kent.
    rollen:
      casusregie: [bemoeizorg]
      procesregie: [wijkteam]
      operationele_verantwoordelijkheid: [bemoeizorg]
      bestuurlijke_verantwoordelijkheid: [wethouder]
organisaties:
  - id: bemoeizorg
    naam: Bemoeizorgteam
regels:
  - id: advies
    vervalt: true
  - id: niveau-3
    als: {afgeleid: multidomein}
scenarios:
  - id: multidomein-is-genoeg
    omschrijving: In gemeente X is twee kolommen genoeg voor niveau 3.
    feiten:
      kolommen: [zorg, bestuur]
    verwacht:
      niveau: "3"
      rollen:
        casusregie: [bemoeizorg]
        procesregie: [zvh]
"""


@pytest.fixture
def kaarten(tmp_path: Path) -> Path:
    (tmp_path / "basis.yaml").write_text(BASE_TEXT, encoding="utf-8")
    (tmp_path / "gemeente-x.yaml").write_text(CHILD, encoding="utf-8")
    return tmp_path


def test_override_replaces_only_what_it_names(kaarten: Path) -> None:
    base = ave_rules.load(kaarten / "basis.yaml")
    child = ave_rules.load(kaarten / "gemeente-x.yaml")
    level = child.level_by_id["3"]
    assert level.roles.casusregie == ("bemoeizorg",)
    assert level.roles.procesregie == base.level_by_id["3"].roles.procesregie
    assert (level.name, level.colour, level.description) == (
        base.level_by_id["3"].name,
        base.level_by_id["3"].colour,
        base.level_by_id["3"].description,
    )
    rule = next(r for r in child.rules if r.id == "niveau-3")
    assert rule.explanation == next(r for r in base.rules if r.id == "niveau-3").explanation
    assert isinstance(rule.condition, DerivedTest) and rule.condition.derived == "multidomein"


def test_new_items_lapsed_items_and_order(kaarten: Path) -> None:
    child = ave_rules.load(kaarten / "gemeente-x.yaml")
    assert child.level_ids == ("1", "2", "2b", "3")  # a new level goes after the last of its phase
    assert "advies" not in [r.id for r in child.rules]
    assert [o.id for o in child.organisations][-1] == "bemoeizorg"
    assert child.extends == "voorbeeld-klein"
    assert child.municipalities == ("X",)


def test_scenarios_are_not_inherited_and_the_childs_pass(kaarten: Path) -> None:
    child = ave_rules.load(kaarten / "gemeente-x.yaml")
    assert [s.id for s in child.scenarios] == ["multidomein-is-genoeg"]
    assert all(result.passed for result in run_scenarios(child))


def test_positions_point_into_the_file_each_value_came_from(kaarten: Path) -> None:
    child = ave_rules.load(kaarten / "gemeente-x.yaml")
    child_file, base_file = str(kaarten / "gemeente-x.yaml"), str(kaarten / "basis.yaml")
    casusregie_line = CHILD.splitlines().index("      casusregie: [bemoeizorg]") + 1
    assert child.position(("niveaus", 3, "rollen", "casusregie")) == (child_file, casusregie_line, 19)
    file, line, _ = child.position(("niveaus", 3, "rollen", "procesregie"))
    assert file == base_file and BASE_TEXT.splitlines()[line - 1].strip() == "procesregie: [zvh]"
    file, line, _ = child.position(("niveaus", 0, "naam"))
    assert file == base_file and BASE_TEXT.splitlines()[line - 1].strip() == "naam: Zelfregie"
    assert child.position(("regels", 2, "als"))[0] == child_file
    assert child.position(("regels", 2, "toelichting"))[0] == base_file


def test_content_hash_follows_content(kaarten: Path) -> None:
    base = ave_rules.load(kaarten / "basis.yaml")
    child = ave_rules.load(kaarten / "gemeente-x.yaml")
    again = ave_rules.load(kaarten / "gemeente-x.yaml")
    assert len(child.content_hash) == 64
    assert child.content_hash == again.content_hash != base.content_hash


def test_a_changed_base_is_read_again_and_merging_leaves_the_base_as_it_was(kaarten: Path) -> None:
    # Read documents are remembered by content: a change on disk is seen at the next load, and
    # merging a kaart onto its base never changes the base that later loads get.
    base = ave_rules.load(kaarten / "basis.yaml").model_dump()
    for _ in range(2):
        assert ave_rules.load(kaarten / "gemeente-x.yaml").level_by_id["3"].roles.casusregie == ("bemoeizorg",)
    assert ave_rules.load(kaarten / "basis.yaml").model_dump() == base
    name = base["levels"][0]["name"]
    (kaarten / "basis.yaml").write_text(BASE_TEXT.replace(f"naam: {name}", "naam: Hernoemd", 1), encoding="utf-8")
    assert ave_rules.load(kaarten / "gemeente-x.yaml").levels[0].name == "Hernoemd"


def test_problem_in_an_override_points_at_the_extending_file(kaarten: Path) -> None:
    broken = CHILD.replace("als: {afgeleid: multidomein}", "als: {afgeleid: multidomijn}")
    (kaarten / "gemeente-x.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        ave_rules.load(kaarten / "gemeente-x.yaml")
    [problem] = caught.value.problems
    line = broken.splitlines().index("    als: {afgeleid: multidomijn}") + 1
    assert (problem.code, problem.file, problem.line, problem.column, problem.path) == (
        "onbekende-verwijzing",
        str(kaarten / "gemeente-x.yaml"),
        line,
        len("    als: {afgeleid: ") + 1,
        "/regels/1/als/afgeleid",
    )
    assert "multidomein" in problem.message  # the suggestion


def test_lapsing_something_still_used_points_at_the_user_in_the_base(kaarten: Path) -> None:
    lapsed = CHILD.replace("organisaties:\n", "feiten:\n  - id: verzoek\n    vervalt: true\norganisaties:\n")
    lapsed = lapsed.replace("  - id: advies\n    vervalt: true\n", "")
    (kaarten / "gemeente-x.yaml").write_text(lapsed, encoding="utf-8")
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        ave_rules.load(kaarten / "gemeente-x.yaml")
    [problem] = caught.value.problems
    assert problem.code == "onbekende-verwijzing" and problem.file == str(kaarten / "basis.yaml")
    assert BASE_TEXT.splitlines()[problem.line - 1].strip().startswith("als: {feit: verzoek")


def test_new_item_must_be_complete_after_merging(kaarten: Path) -> None:
    incomplete = CHILD.replace("  - id: bemoeizorg\n    naam: Bemoeizorgteam\n", "  - id: bemoeizorg\n")
    (kaarten / "gemeente-x.yaml").write_text(incomplete, encoding="utf-8")
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        ave_rules.load(kaarten / "gemeente-x.yaml")
    [problem] = caught.value.problems
    assert (problem.code, problem.file, problem.path) == (
        "sleutel-ontbreekt",
        str(kaarten / "gemeente-x.yaml"),
        "/organisaties/0",
    )
    assert "naam" in problem.message


def test_bundled_generic_kaart_is_found_from_anywhere(tmp_path: Path) -> None:
    (tmp_path / "dorp.yaml").write_text(
        "formaat: 1\nid: dorp\nnaam: Dorp\nversie: '1'\ngeldig_vanaf: '2025-06-01'\nbreidt_uit: ave-generiek\n",
        encoding="utf-8",
    )
    kaart = ave_rules.load(tmp_path / "dorp.yaml")
    assert kaart.level_ids == ("1", "2", "3a", "3b", "4")
    text = (tmp_path / "dorp.yaml").read_text(encoding="utf-8")
    assert ave_rules.loads(text, name="dorp.yaml").content_hash == kaart.content_hash


def _versions(directory: Path) -> None:
    old_base = BASE_TEXT.replace('versie: "2025.1"', 'versie: "2016.1"').replace(
        'geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2016-01-01"\ngeldig_tot: "2025-01-01"'
    )
    (directory / "basis-2016.yaml").write_text(
        old_base.replace("naam: Zelfregie", "naam: Zelfregie (oud)"), encoding="utf-8"
    )
    (directory / "basis-2025.yaml").write_text(BASE_TEXT, encoding="utf-8")
    first = CHILD.replace('versie: "1"', 'versie: "2017"').replace(
        'geldig_vanaf: "2025-03-01"', 'geldig_vanaf: "2017-01-01"\ngeldig_tot: "2019-01-01"'
    )
    (directory / "x-2017.yaml").write_text(first, encoding="utf-8")
    (directory / "x-2019.yaml").write_text(
        CHILD.replace('versie: "1"', 'versie: "2019"').replace("2025-03-01", "2019-01-01"), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("day", "child_version", "level_1_name"),
    [
        (datetime.date(2018, 6, 1), "2017", "Zelfregie (oud)"),
        (datetime.date(2019, 1, 1), "2019", "Zelfregie (oud)"),  # geldig_tot is exclusive
        (datetime.date(2025, 1, 1), "2019", "Zelfregie"),  # the base changed under it
    ],
)
def test_load_dir_picks_the_versions_valid_on_the_day(
    tmp_path: Path, day: datetime.date, child_version: str, level_1_name: str
) -> None:
    _versions(tmp_path)
    kaarten = ave_rules.load_dir(tmp_path, on=day)
    assert sorted(kaarten) == ["gemeente-x", "voorbeeld-klein"]
    assert kaarten["gemeente-x"].version == child_version
    assert kaarten["gemeente-x"].levels[0].name == level_1_name


def test_load_dir_leaves_out_kaarten_not_yet_valid(tmp_path: Path) -> None:
    _versions(tmp_path)
    assert sorted(ave_rules.load_dir(tmp_path, on=datetime.date(2016, 6, 1))) == ["voorbeeld-klein"]


def test_load_with_a_day_resolves_the_base_of_that_day(tmp_path: Path) -> None:
    _versions(tmp_path)
    kaart = ave_rules.load(tmp_path / "x-2019.yaml", on=datetime.date(2020, 1, 1))
    assert kaart.levels[0].name == "Zelfregie (oud)"
    assert ave_rules.load(tmp_path / "x-2019.yaml", on=datetime.date(2025, 5, 1)).levels[0].name == "Zelfregie"
