"""Bad kaarten end in one RegiekaartError that locates every problem precisely.

Each file in ``fixtures/ongeldig/`` is a copy of ``fixtures/geldig/test-basis.yaml`` with one
defect (its first line says which). The table below gives, per file, the one problem the
loader must report: its stable code, line and column (1-based), path and a fragment of its
(Dutch) message. Problems that need more than one file (``breidt_uit``, ``load_dir``) are
built in temporary directories further down.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import ave_rules
from ave_rules import Problem, RegiekaartError
from ave_rules.kaart import ChoiceFact, FactTest

FIXTURES = Path(__file__).parent / "fixtures"
ONGELDIG = FIXTURES / "ongeldig"
BASIS = FIXTURES / "geldig" / "test-basis.yaml"
BASIS_TEXT = BASIS.read_text(encoding="utf-8")


def problems_of(path: Path | str, **kwargs: object) -> list[Problem]:
    """The problems ``ave_rules.load`` raises for ``path`` (fails the test if it loads)."""
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.load(path, **kwargs)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert caught.value.problems, "a RegiekaartError must carry at least one problem"
    return caught.value.problems


def summary(problems: list[Problem]) -> list[tuple[str, int, int, str]]:
    return [(p.code, p.line, p.column, p.path) for p in problems]


# fixture, code, line, column, path, message fragment
# fmt: off
CASES = [
    # --- YAML syntax ------------------------------------------------------------------------
    ("yaml-syntax", "gereserveerd-teken", 59, 11, "", "'@'"),
    ("inspringing", "inspringing", 14, 4, "", "inspringing"),
    ("inspringing-te-ver", "inspringing", 14, 6, "", "inspringing"),
    ("dubbele-punt-in-tekst", "dubbele-punt-in-tekst", 82, 25, "", "aanhalingstekens"),
    ("dubbele-punt-ontbreekt", "dubbele-punt-ontbreekt", 59, 5, "", "dubbele punt"),
    ("haakje-niet-gesloten", "haakje-niet-gesloten", 122, 8, "", "niet afgesloten"),
    ("aanhalingsteken-niet-gesloten", "aanhalingsteken-niet-gesloten", 134, 15, "", "niet afgesloten"),
    # A quote that ran on: located where it opened, not where YAML gave up, and said how to write it.
    ("aanhalingsteken-loopt-door", "aanhalingsteken-loopt-door", 36, 11, "", 'volgende " op regel 43'),
    ("apostrof-loopt-door", "apostrof-loopt-door", 4, 7, "", "volgende ' op regel 11"),
    ("apostrof-niet-gesloten", "apostrof-niet-gesloten", 61, 11, "", "tussen dubbele aanhalingstekens"),
    ("tab", "tab", 59, 1, "", "tab"),
    ("dubbele-sleutel", "dubbele-sleutel", 21, 5, "/feiten/2/omschrijving", "eerder op regel 20"),
    # --- structure (schema) -----------------------------------------------------------------
    ("onbekende-sleutel", "onbekende-sleutel", 60, 5, "/organisaties/1/omschrijvng", "bedoelt u 'omschrijving'"),
    ("sleutel-ontbreekt", "sleutel-ontbreekt", 43, 5, "/niveaus/1", "'kleur'"),
    ("sleutel-ontbreekt-kaart", "sleutel-ontbreekt", 2, 1, "", "'regels'"),
    ("verkeerd-type-fase", "verkeerd-type", 44, 11, "/niveaus/1/fase", "verwacht een geheel getal, gevonden tekst"),
    ("verkeerd-type-waarden", "verkeerd-type", 24, 14, "/feiten/3/waarden", "verwacht een lijst, gevonden tekst"),
    ("verkeerd-type-rollen", "verkeerd-type", 38, 13, "/niveaus/0/rollen", "gevonden een lijst"),
    ("voorwaarde-vorm", "voorwaarde-vorm", 121, 10, "/regels/4/als", "gevonden: feit, is, minstens"),
    ("vergelijking-zonder-feit", "vergelijking-zonder-feit", 121, 11, "/regels/4/als/is", "'feit: <naam>'"),
    ("dan-leeg", "dan-leeg", 94, 10, "/regels/0/dan", "minstens één gevolg"),
    ("vervalt-zonder-basis", "vervalt-zonder-basis", 62, 5, "/organisaties/2/vervalt", "breidt_uit"),
    # --- YAML 1.1 surprises: refused with a hint, never silently converted -------------------
    ("yaml11-standaard-no", "verkeerd-type", 16, 16, "/feiten/1/standaard", "schrijf true of false"),
    ("yaml11-is-yes", "waarde-type-feit", 100, 33, "/regels/1/als/een_van/0/is", "schrijf true of false"),
    ("yaml11-niveau-id", "verkeerd-type", 43, 9, "/niveaus/1/id", "zet '2' tussen aanhalingstekens"),
    ("yaml11-versie", "verkeerd-type", 5, 9, "/versie", "zet '1.0' tussen aanhalingstekens"),
    # The hint must repeat what the author wrote: quoting '2025.1' or '363' would change the data.
    ("yaml11-versie-2025-10", "verkeerd-type", 5, 9, "/versie", "zet '2025.10' tussen aanhalingstekens"),
    ("yaml11-gemeentecode", "verkeerd-type", 7, 13, "/gemeenten/0", "zet '0363' tussen aanhalingstekens"),
    # --- values outside a fact's domain ------------------------------------------------------
    ("domein-standaard", "waarde-buiten-domein", 21, 16, "/feiten/2/standaard", "bedoelt u 'zorgen'"),
    ("domein-voorwaarde", "waarde-buiten-domein", 101, 36, "/regels/1/als/een_van/1/minstens", "bedoelt u 'zorgen'"),
    ("domein-lijst", "waarde-buiten-domein", 121, 46, "/regels/4/als/is_een_van/1", "bedoelt u 'acuut'"),
    ("domein-scenario", "waarde-buiten-domein", 132, 15, "/scenarios/0/feiten/risico", "bedoelt u 'acuut'"),
    ("domein-fase-scenario", "verkeerd-type", 133, 21, "/scenarios/0/feiten/huidige_fase", "zet '2' tussen"),
    ("vergelijking-past-niet", "vergelijking-past-niet", 121, 25, "/regels/4/als/bevat", "mogelijk: is, is_een_van"),
    # --- references --------------------------------------------------------------------------
    ("onbekend-feit", "onbekende-verwijzing", 121, 17, "/regels/4/als/feit", "bedoelt u 'risico'"),
    # A derived fact tested with 'feit' must say so, not "unknown 'multidomein' (did you mean 'multidomein'?)".
    ("afgeleid-als-feit", "afgeleid-als-feit", 121, 17, "/regels/4/als/feit", "{afgeleid: multidomein}"),
    ("onbekend-afgeleid", "onbekende-verwijzing", 102, 22, "/regels/1/als/een_van/2/afgeleid", "bedoelt u 'multidomein'"),
    ("onbekend-niveau", "onbekende-verwijzing", 104, 15, "/regels/1/dan/niveau", "'3'"),
    ("onbekend-niveau-voorwaarde", "onbekende-verwijzing", 121, 27, "/regels/4/als/niveau/onder", "niveau '5'"),
    ("onbekende-organisatie", "onbekende-verwijzing", 50, 21, "/niveaus/1/rollen/procesregie/0", "bedoelt u 'wijkteam'"),
    ("onbekende-organisatie-doel", "onbekende-verwijzing", 118, 17, "/regels/3/dan/acties/0/doel", "bedoelt u 'wijkteam'"),
    ("onbekend-actietype", "onbekende-verwijzing", 110, 19, "/regels/2/dan/acties/0/actie", "bedoelt u 'opschalen'"),
    ("onbekend-protocol", "onbekende-verwijzing", 53, 19, "/niveaus/1/protocollen/0", "bedoelt u 'meldcode'"),
    # --- identity ----------------------------------------------------------------------------
    ("dubbele-id", "dubbele-id", 62, 9, "/organisaties/3/id", "al gedefinieerd op regel 58"),
    ("dubbele-id-feit-afgeleid", "dubbele-id", 31, 9, "/afgeleide_feiten/1/id", "al gedefinieerd op regel 13"),
    ("datum-onmogelijk", "ongeldige-datum", 6, 15, "/geldig_vanaf", "'2025-02-30'"),
    ("datum-omgekeerd", "geldigheid-omgekeerd", 7, 13, "/geldig_tot", "(2024-12-31)"),
    # --- meaning -----------------------------------------------------------------------------
    ("afgeleid-cyclus", "afgeleid-cyclus", 102, 17, "/regels/1/dan/afleiden", "complex → multidomein → complex"),
    ("niveau-regel-cyclus", "niveau-regel-cyclus", 109, 7, "/regels/2/dan", "('overgang')"),
    ("niveau-regel-cyclus-niveau", "niveau-regel-cyclus", 95, 7, "/regels/0/dan", "('niveau')"),
    ("overgang-zonder-fasefeit", "geen-fasefeit", 103, 21, "/regels/2/als/overgang", "geen feit van soort 'fase'"),
    ("twee-fasefeiten", "meerdere-fasefeiten", 14, 12, "/feiten/1/soort", "'huidige_fase'"),
    ("doel-ontbreekt", "doel-past-niet", 110, 11, "/regels/2/dan/acties/0", "geef 'doel' op"),
    ("doel-overbodig", "doel-past-niet", 125, 30, "/regels/4/dan/acties/1/doel", "laat 'doel' weg"),
    ("doel-verkeerde-soort", "doel-past-niet", 124, 33, "/regels/4/dan/acties/0/doel", "een protocol"),
    ("doel-rol-ontbreekt", "doel-past-niet", 118, 17, "/regels/3/dan/acties/0/doel", "{rol: ..., niveau: nieuw|huidig}"),
    ("bron-ontbreekt", "bron-past-niet", 116, 11, "/regels/3/dan/acties/0", "'bron' (organisatie) nodig"),
    ("bron-overbodig", "bron-past-niet", 124, 43, "/regels/4/dan/acties/0/bron", "laat 'bron' weg"),
    ("plaatshouder", "onbekende-plaatshouder", 68, 12, "/actietypen/0/tekst", "'{niveau}'"),
    ("plaatshouder-bron", "onbekende-plaatshouder", 79, 12, "/actietypen/2/tekst", "'{bron}'"),
]
# fmt: on

# Files with more than one defect, each listed in full (reading order) below.
MULTIPLE = {
    "meerdere-schemaproblemen": [
        ("niet-toegestane-waarde", 18, 12, "/feiten/2/soort"),
        ("verkeerd-type", 44, 11, "/niveaus/1/fase"),
        ("onbekende-sleutel", 60, 5, "/organisaties/1/omschrijvng"),
    ],
    "meerdere-problemen": [
        ("waarde-buiten-domein", 21, 16, "/feiten/2/standaard"),
        ("onbekende-verwijzing", 50, 21, "/niveaus/1/rollen/procesregie/0"),
        ("waarde-buiten-domein", 101, 36, "/regels/1/als/een_van/1/minstens"),
    ],
}


def test_the_base_of_the_fixtures_is_valid() -> None:
    kaart = ave_rules.load(BASIS)
    assert kaart.id == "test-basis"


def test_every_fixture_is_in_a_table() -> None:
    on_disk = {path.stem for path in ONGELDIG.glob("*.yaml")}
    in_tables = {case[0] for case in CASES} | set(MULTIPLE)
    assert on_disk == in_tables


@pytest.mark.parametrize(("fixture", "code", "line", "column", "path", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_invalid_kaart(fixture: str, code: str, line: int, column: int, path: str, fragment: str) -> None:
    file = ONGELDIG / f"{fixture}.yaml"
    problems = problems_of(file)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert problem.file == str(file)
    assert (problem.code, problem.line, problem.column) == (code, line, column), str(problem)
    assert fragment in problem.message, problem.message
    assert problem.path == path, str(problem)


def test_a_derived_fact_tested_as_a_fact_does_not_suggest_itself() -> None:
    (problem,) = problems_of(ONGELDIG / "afgeleid-als-feit.yaml")
    assert "bedoelt u 'multidomein'" not in problem.message, problem.message


@pytest.mark.parametrize("fixture", sorted(MULTIPLE))
def test_every_problem_is_reported_in_reading_order(fixture: str) -> None:
    problems = problems_of(ONGELDIG / f"{fixture}.yaml")
    assert summary(problems) == MULTIPLE[fixture]


def test_problems_are_sorted_by_line_then_column() -> None:
    problems = problems_of(ONGELDIG / "meerdere-problemen.yaml")
    assert [(p.line, p.column) for p in problems] == sorted((p.line, p.column) for p in problems)


def test_error_text_lists_every_problem_with_its_location() -> None:
    file = ONGELDIG / "meerdere-problemen.yaml"
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.load(file)
    lines = str(caught.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{file}:21:16", f"{file}:50:21", f"{file}:101:36"]
    assert lines[1].endswith("(/niveaus/1/rollen/procesregie/0)")


# --- the same through loads --------------------------------------------------------------


def test_loads_locates_problems_under_the_given_name() -> None:
    text = (ONGELDIG / "onbekende-sleutel.yaml").read_text(encoding="utf-8")
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.loads(text, name="mijn-kaart.yaml")
    assert [(p.file, p.code, p.line, p.column) for p in caught.value.problems] == [
        ("mijn-kaart.yaml", "onbekende-sleutel", 60, 5)
    ]


# --- what YAML 1.1 would have changed is kept as written ---------------------------------


def test_unquoted_date_is_accepted_as_text() -> None:
    text = BASIS_TEXT.replace('geldig_vanaf: "2025-01-01"', "geldig_vanaf: 2025-01-01")
    assert "geldig_vanaf: 2025-01-01\n" in text
    kaart = ave_rules.loads(text)
    assert kaart.valid_from == "2025-01-01"
    assert isinstance(kaart.valid_from, str)


def test_yes_no_on_off_stay_text_as_values() -> None:
    text = BASIS_TEXT.replace(
        "  - id: kolommen\n",
        "  - id: toestemming\n"
        "    soort: keuze\n"
        "    waarden: [ja, nee, yes, no, on, off, y, n]\n"
        "    omschrijving: Toestemming van het huishouden.\n"
        "    standaard: nee\n"
        "  - id: kolommen\n",
    ).replace("{feit: risico, is: acuut}", "{feit: toestemming, is: off}")
    kaart = ave_rules.loads(text)
    fact = kaart.fact_by_id["toestemming"]
    assert isinstance(fact, ChoiceFact)
    assert fact.values == ("ja", "nee", "yes", "no", "on", "off", "y", "n")
    assert fact.default == "nee"
    assert isinstance(kaart.rules[4].condition, FactTest) and kaart.rules[4].condition.operand == "off"


def test_an_impossible_unquoted_date_stays_text_and_is_refused() -> None:
    text = BASIS_TEXT.replace('geldig_vanaf: "2025-01-01"', "geldig_vanaf: 2025-02-30")
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.loads(text)
    assert summary(caught.value.problems) == [("ongeldige-datum", 6, 15, "/geldig_vanaf")]


# --- English -----------------------------------------------------------------------------

ENGLISH = [
    ("onbekende-sleutel", "unknown key 'omschrijvng' (did you mean 'omschrijving'?)"),
    ("dubbele-sleutel", "first on line 20"),
    ("domein-standaard", "is not in the domain of fact 'risico' (did you mean 'zorgen'?)"),
    ("yaml11-standaard-no", "write true or false"),
    ("onbekende-organisatie", "organisation 'wijkteem' does not exist in this kaart (did you mean 'wijkteam'?)"),
    ("afgeleid-cyclus", "derived facts depend on each other in a cycle"),
    ("tab", "indent with spaces"),
]


@pytest.mark.parametrize(("fixture", "fragment"), ENGLISH, ids=[e[0] for e in ENGLISH])
def test_messages_in_english(fixture: str, fragment: str) -> None:
    problems = problems_of(ONGELDIG / f"{fixture}.yaml")
    dutch = problems[0].message
    with ave_rules.language("en"):
        english = problems[0].message
        assert fragment in english, english
        assert fragment in str(problems[0])
    assert problems[0].message == dutch  # the language is back to Dutch after the block
    assert english != dutch
    assert problems[0].message_in("en") == english


def test_language_can_be_english_while_loading_too() -> None:
    with ave_rules.language("en"), pytest.raises(RegiekaartError) as caught:
        ave_rules.load(ONGELDIG / "meerdere-schemaproblemen.yaml")
    with ave_rules.language("en"):
        text = str(caught.value)
    assert "unknown key 'omschrijvng'" in text
    assert "expected a whole number, found text" in text
    assert "onbekende sleutel" not in text


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"), ave_rules.language("fr"):  # type: ignore[arg-type]
        pass


# --- breidt_uit: problems that need a base kaart -----------------------------------------

CHILD = """\
formaat: 1
id: gemeente
naam: Regiekaart gemeente
versie: "1"
geldig_vanaf: "2025-01-01"
breidt_uit: {basis}
"""


def child(base: str = "test-basis", kaart_id: str = "gemeente", extra: str = "") -> str:
    return CHILD.format(basis=base).replace("id: gemeente", f"id: {kaart_id}") + extra


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def own(problems: list[Problem], path: Path) -> list[tuple[str, int, int, str]]:
    """The problems located in ``path`` (the bundled kaarten are searched too)."""
    return summary([p for p in problems if p.file == str(path)])


def test_extending_a_valid_base_loads(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT)
    kaart = ave_rules.load(write(tmp_path, "gemeente.yaml", child()))
    assert kaart.id == "gemeente"
    assert [o.id for o in kaart.organisations] == ["huishouden", "wijkteam", "wethouder"]


def test_extending_a_missing_kaart(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT)
    path = write(tmp_path, "gemeente.yaml", child(base="test-bais"))
    problems = problems_of(path)
    assert own(problems, path) == [("basis-ontbreekt", 6, 13, "/breidt_uit")]
    (problem,) = (p for p in problems if p.code == "basis-ontbreekt")
    assert "bedoelt u 'test-basis'" in problem.message
    assert str(tmp_path) in problem.message  # says where it looked


def test_extending_a_missing_kaart_without_a_close_name(tmp_path: Path) -> None:
    path = write(tmp_path, "gemeente.yaml", child(base="bestaat-niet"))
    problems = problems_of(path)
    assert own(problems, path) == [("basis-ontbreekt", 6, 13, "/breidt_uit")]
    assert "bedoelt u" not in problems[0].message


def test_extending_a_broken_base_reports_the_base_problem(tmp_path: Path) -> None:
    base = write(tmp_path, "basis.yaml", BASIS_TEXT.replace("kleur: geel", "kleur: gele"))
    path = write(tmp_path, "gemeente.yaml", child())
    problems = problems_of(path)
    assert ("niet-toegestane-waarde", 45, 12, "/niveaus/1/kleur") in own(problems, base)
    assert any(p.file == str(path) and p.path == "/breidt_uit" for p in problems)


def test_extends_cycle(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", child(base="b", kaart_id="a"))
    b = write(tmp_path, "b.yaml", child(base="a", kaart_id="b"))
    problems = problems_of(a)
    assert summary(problems) == [("basis-kring", 6, 13, "/breidt_uit")]
    assert problems[0].file in (str(a), str(b))  # either 'breidt_uit' of the ring
    assert "a → b → a" in problems[0].message


def test_extending_itself(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", child(base="a", kaart_id="a"))
    problems = problems_of(a)
    assert own(problems, a) == [("basis-kring", 6, 13, "/breidt_uit")]
    assert "a → a" in problems[0].message


def test_base_without_a_version_valid_on_the_day(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT.replace('geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2026-01-01"'))
    path = write(tmp_path, "gemeente.yaml", child())
    problems = problems_of(path, on=datetime.date(2025, 6, 1))
    assert own(problems, path) == [("basis-niet-geldig", 6, 13, "/breidt_uit")]
    assert "2025-06-01" in problems[0].message


def test_lapsing_an_id_the_base_does_not_have(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT)
    path = write(tmp_path, "gemeente.yaml", child(extra="organisaties:\n  - id: wijkteem\n    vervalt: true\n"))
    problems = problems_of(path)
    assert own(problems, path) == [("vervalt-onbekend", 8, 9, "/organisaties/0/id")]
    assert "bedoelt u 'wijkteam'" in problems[0].message


def test_lapsing_with_other_fields(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT)
    extra = "organisaties:\n  - id: wethouder\n    vervalt: true\n    naam: Wethouder zorg\n"
    path = write(tmp_path, "gemeente.yaml", child(extra=extra))
    problems = problems_of(path)
    assert own(problems, path) == [("vervalt-met-velden", 10, 5, "/organisaties/0/naam")]
    assert "'naam'" in problems[0].message


def test_problem_in_an_override_points_into_the_extending_file(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT)
    extra = 'niveaus:\n  - id: "2"\n    rollen:\n      casusregie: [buurtteem]\n'
    path = write(tmp_path, "gemeente.yaml", child(extra=extra))
    problems = problems_of(path)
    assert summary(problems) == [("onbekende-verwijzing", 10, 20, "/niveaus/0/rollen/casusregie/0")]
    assert problems[0].file == str(path)


def test_unknown_key_in_a_partial_item(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT)
    path = write(tmp_path, "gemeente.yaml", child(extra="organisaties:\n  - id: wijkteam\n    nam: Buurtteam\n"))
    problems = problems_of(path)
    assert summary(problems) == [("onbekende-sleutel", 9, 5, "/organisaties/0/nam")]
    assert "bedoelt u 'naam'" in problems[0].message


# The bundled generic kaart as base (it is found from any directory).


def test_extending_ave_generiek_with_a_lapse_of_an_unknown_id(tmp_path: Path) -> None:
    extra = "organisaties:\n  - id: veilig_thuiss\n    vervalt: true\n"
    path = write(tmp_path, "gemeente.yaml", child(base="ave-generiek", extra=extra))
    problems = problems_of(path)
    assert summary(problems) == [("vervalt-onbekend", 8, 9, "/organisaties/0/id")]
    assert "bedoelt u 'veilig_thuis'" in problems[0].message
    assert "'ave-generiek'" in problems[0].message


def test_extending_ave_generiek_with_an_unknown_organisation(tmp_path: Path) -> None:
    extra = 'niveaus:\n  - id: "2"\n    rollen:\n      casusregie: [wijkteem]\n'
    path = write(tmp_path, "gemeente.yaml", child(base="ave-generiek", extra=extra))
    problems = problems_of(path)
    assert summary(problems) == [("onbekende-verwijzing", 10, 20, "/niveaus/0/rollen/casusregie/0")]
    assert problems[0].file == str(path)
    assert "bedoelt u 'wijkteam'" in problems[0].message


def test_extending_a_misspelled_ave_generiek(tmp_path: Path) -> None:
    path = write(tmp_path, "gemeente.yaml", child(base="ave-generik"))
    problems = problems_of(path)
    assert own(problems, path) == [("basis-ontbreekt", 6, 13, "/breidt_uit")]
    assert "bedoelt u 'ave-generiek'" in problems[0].message


@pytest.mark.parametrize("key", ["breid_uit", "breidtuit", "breidt-uit"])
def test_a_misspelt_breidt_uit_is_the_one_problem_reported(tmp_path: Path, key: str) -> None:
    # Without it the kaart misses every section a base would give; those are not the cause.
    path = write(tmp_path, "gemeente.yaml", child(base="ave-generiek").replace("breidt_uit:", f"{key}:"))
    problems = problems_of(path)
    assert summary(problems) == [("onbekende-sleutel", 6, 1, f"/{key}")]
    assert "bedoelt u 'breidt_uit'" in problems[0].message


def test_a_kaart_without_breidt_uit_still_misses_its_sections(tmp_path: Path) -> None:
    path = write(tmp_path, "gemeente.yaml", child().replace("breidt_uit: test-basis\n", "uitbreiding: nee\n"))
    codes = [p.code for p in problems_of(path)]
    assert codes.count("sleutel-ontbreekt") == 5 and "onbekende-sleutel" in codes


# --- load_dir: versions of one kaart -----------------------------------------------------

VERSION_2 = BASIS_TEXT.replace('versie: "1"', 'versie: "2"').replace(
    'geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2026-01-01"'
)


def test_load_dir_refuses_versions_that_overlap(tmp_path: Path) -> None:
    write(tmp_path, "v1.yaml", BASIS_TEXT)  # no geldig_tot: still valid in 2026
    v2 = write(tmp_path, "v2.yaml", VERSION_2)
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.load_dir(tmp_path, on=datetime.date(2026, 6, 1))
    problems = caught.value.problems
    assert summary(problems) == [("versies-overlappen", 6, 15, "/geldig_vanaf")]
    assert problems[0].file == str(v2)
    assert "v1.yaml" in problems[0].message


def test_load_dir_accepts_versions_that_follow_each_other(tmp_path: Path) -> None:
    until_2026 = BASIS_TEXT.replace(
        'geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2025-01-01"\ngeldig_tot: "2026-01-01"'
    )
    write(tmp_path, "v1.yaml", until_2026)
    write(tmp_path, "v2.yaml", VERSION_2)
    assert ave_rules.load_dir(tmp_path, on=datetime.date(2025, 12, 31))["test-basis"].version == "1"
    assert ave_rules.load_dir(tmp_path, on=datetime.date(2026, 1, 1))["test-basis"].version == "2"


def test_load_dir_refuses_two_files_with_the_same_id_and_version(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", BASIS_TEXT)
    b = write(tmp_path, "b.yaml", BASIS_TEXT)
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.load_dir(tmp_path, on=datetime.date(2025, 6, 1))
    problems = caught.value.problems
    assert summary(problems) == [("dubbele-versie", 5, 9, "/versie")]
    assert problems[0].file == str(b)
    assert "a.yaml" in problems[0].message


def test_load_dir_reports_the_problems_of_every_file(tmp_path: Path) -> None:
    bad_1 = write(tmp_path, "a.yaml", (ONGELDIG / "onbekende-sleutel.yaml").read_text(encoding="utf-8"))
    bad_2 = write(
        tmp_path, "b.yaml", (ONGELDIG / "tab.yaml").read_text(encoding="utf-8").replace("test-basis", "ander")
    )
    write(tmp_path, "c.yaml", BASIS_TEXT.replace("id: test-basis", "id: goed"))
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.load_dir(tmp_path, on=datetime.date(2025, 6, 1))
    assert [(p.file, p.code, p.line, p.column) for p in caught.value.problems] == [
        (str(bad_1), "onbekende-sleutel", 60, 5),
        (str(bad_2), "tab", 59, 1),
    ]


def test_load_dir_of_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.load_dir(tmp_path)
    assert [(p.code, p.file, p.line, p.column) for p in caught.value.problems] == [
        ("geen-kaarten", str(tmp_path), 1, 1)
    ]


def test_load_dir_of_something_that_is_not_a_directory(tmp_path: Path) -> None:
    missing = tmp_path / "bestaat-niet"
    with pytest.raises(RegiekaartError) as caught:
        ave_rules.load_dir(missing)
    assert [(p.code, p.file, p.line, p.column) for p in caught.value.problems] == [
        ("bestand-onleesbaar", str(missing), 1, 1)
    ]


# --- files that cannot be read -------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "weg.yaml")
    assert [(p.code, p.file, p.line, p.column) for p in problems] == [
        ("bestand-onleesbaar", str(tmp_path / "weg.yaml"), 1, 1)
    ]
    assert "bestaat niet" in problems[0].message


def test_directory_given_as_file(tmp_path: Path) -> None:
    problems = problems_of(tmp_path)
    assert [(p.code, p.line, p.column) for p in problems] == [("bestand-onleesbaar", 1, 1)]
    assert "geen" in problems[0].message


def test_a_broken_base_without_a_version_valid_on_the_day(tmp_path: Path) -> None:
    """Its dates are read from its top level when it does not read in full: 'not valid on the
    day', with the base's own problems beside it."""
    broken = BASIS_TEXT.replace('geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2026-01-01"')
    base = write(tmp_path, "basis.yaml", broken.replace("kleur: geel", "kleur: gele"))
    path = write(tmp_path, "gemeente.yaml", child())
    problems = problems_of(path, on=datetime.date(2025, 6, 1))
    assert own(problems, path) == [("basis-niet-geldig", 6, 13, "/breidt_uit")]
    assert [problem.code for problem in problems if problem.file == str(base)] == ["niet-toegestane-waarde"]
