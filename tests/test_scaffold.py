"""ave_rules.new_kaart: a new kaart for one gemeente loads as it is, for every acceptable name.

* the kaart extends its base, carries the gemeente, today's version and a passing scenario;
* its commented examples are correct once the hashes are removed;
* the base is found among the bundled kaarten or in ``search`` (next to where it will be written);
* every name either raises a ScaffoldError with a catalogue code, or gives a kaart whose
  structure is the same as for any other name: no name can add, change or remove a key.
"""

from __future__ import annotations

import datetime
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules._messages import CATALOGUE, language
from ave_rules.authoring import kaart_id_for, new_kaart
from ave_rules.authoring._scaffold import MAX_NAME
from ave_rules.engine import scenario_failures as scenario_problems
from ave_rules.errors import ScaffoldError

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"
SMALL = ROOT / "docs" / "voorbeelden" / "kleine-kaart.yaml"  # id voorbeeld-klein, not bundled
TODAY = datetime.date(2026, 11, 22)
TOP_LEVEL_KEYS = {
    "formaat",
    "id",
    "naam",
    "omschrijving",
    "versie",
    "geldig_vanaf",
    "gemeenten",
    "breidt_uit",
    "scenarios",
}


def _load(text: str, **options: object) -> ave_rules.Regiekaart:
    kaart = ave_rules.loads(text, "nieuw.yaml", on=TODAY, engine="reference", **options)  # type: ignore[arg-type]
    assert scenario_problems(kaart) == []
    return kaart


def test_new_kaart_extends_the_generic_kaart_and_loads_as_it_is() -> None:
    text = new_kaart("ave-generiek", "Voorbeeldstad", today=TODAY)
    kaart = _load(text)
    assert kaart.id == "voorbeeldstad"
    assert kaart.name == "Regiekaart Voorbeeldstad"
    assert kaart.extends == "ave-generiek"
    assert kaart.municipalities == ("Voorbeeldstad",)
    assert (kaart.version, kaart.valid_from) == ("2026.1", "2026-11-22")
    assert len(kaart.scenarios) == 1
    assert kaart.level_ids == ave_rules.load(GENERIC).level_ids
    # The scenario is not trivial: it expects a level above the lowest, with an action.
    expected = kaart.scenarios[0].expected
    assert expected.level != kaart.level_ids[0]
    assert expected.actions


def test_the_first_line_is_the_bundled_kaarts_schema_modeline() -> None:
    modeline = GENERIC.read_text(encoding="utf-8").split("\n", 1)[0]
    assert new_kaart("ave-generiek", "Voorbeeldstad", today=TODAY).split("\n", 1)[0] == modeline


def test_a_written_kaart_loads_from_its_file(tmp_path: Path) -> None:
    path = tmp_path / "regiekaarten" / "voorbeeldstad.yaml"
    path.parent.mkdir()
    path.write_text(new_kaart("ave-generiek", "Voorbeeldstad", today=TODAY), encoding="utf-8")
    kaart = ave_rules.load(path, on=TODAY, engine="reference")
    assert scenario_problems(kaart) == []


def test_the_default_day_is_today() -> None:
    kaart = _load_today(new_kaart("ave-generiek", "Voorbeeldstad"))
    assert kaart.valid_from == datetime.date.today().isoformat()


def _load_today(text: str) -> ave_rules.Regiekaart:
    return ave_rules.loads(text, engine="reference")


def test_kaart_id_can_be_given() -> None:
    kaart = _load(new_kaart("ave-generiek", "Voorbeeldstad", kaart_id="voorbeeldstad-noord", today=TODAY))
    assert kaart.id == "voorbeeldstad-noord"
    assert kaart.municipalities == ("Voorbeeldstad",)


def test_commented_examples_are_valid_once_uncommented() -> None:
    text = new_kaart("ave-generiek", "Voorbeeldstad", today=TODAY)
    for key in ("organisaties", "niveaus"):
        lines = text.split("\n")
        start = lines.index(f"# {key}:")
        block = []
        for line in lines[start:]:
            if line == "#":
                break
            block.append(line.removeprefix("# "))
        _load(text + "\n".join(block) + "\n")


def test_overriding_the_shown_role_changes_the_kaart() -> None:
    """The role example names a real level and role: changing the holder changes the level."""
    text = new_kaart("ave-generiek", "Voorbeeldstad", today=TODAY)
    changed = text.replace('# niveaus:\n#   - id: "3a"\n#     rollen:\n#       procesregie: [gemeente]\n', "")
    assert changed != text
    kaart = _load(changed + 'niveaus:\n  - id: "3a"\n    rollen:\n      procesregie: [zvh]\n')
    assert kaart.level_by_id["3a"].roles.procesregie == ("zvh",)


@pytest.mark.parametrize(
    ("gemeente", "ident"),
    [
        ("'s-Hertogenbosch", "s-hertogenbosch"),
        ("Súdwest-Fryslân", "sudwest-fryslan"),
        ("Nuenen, Gerwen en Nederwetten", "nuenen-gerwen-en-nederwetten"),
        ("Bergen (NH)", "bergen-nh"),
        ("Groß Köris", "gross-koris"),
        ("Den Haag 2", "den-haag-2"),
    ],
)
def test_the_id_is_a_slug_of_the_name(gemeente: str, ident: str) -> None:
    assert kaart_id_for(gemeente) == ident
    assert _load(new_kaart("ave-generiek", gemeente, today=TODAY)).municipalities == (gemeente,)


# --- where the base is found -------------------------------------------------------------------


def test_a_base_next_to_the_new_kaart_is_found_through_search(tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / SMALL.name)
    text = new_kaart("voorbeeld-klein", "Voorbeeldstad", today=TODAY, search=[tmp_path])
    path = tmp_path / "voorbeeldstad.yaml"
    path.write_text(text, encoding="utf-8")
    kaart = ave_rules.load(path, on=TODAY, engine="reference")
    assert kaart.extends == "voorbeeld-klein"
    assert scenario_problems(kaart) == []


def test_a_base_that_is_nowhere_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError) as raised:
        new_kaart("ave-generik", "Voorbeeldstad", today=TODAY, search=[tmp_path])
    assert raised.value.code == "cli-nieuw-basis-onbekend"
    with language("nl"):
        assert "'ave-generiek'" in str(raised.value)
        assert str(tmp_path) in str(raised.value)
    with language("en"):
        assert str(raised.value).startswith('base kaart "ave-generik" not found')


def test_a_base_not_valid_today_is_refused() -> None:
    day_before = ave_rules.load(GENERIC).valid_from_date - datetime.timedelta(days=1)
    with pytest.raises(ScaffoldError) as raised:
        new_kaart("ave-generiek", "Voorbeeldstad", today=day_before)
    assert raised.value.code == "cli-nieuw-basis-niet-geldig"


def test_a_broken_base_raises_its_problems(tmp_path: Path) -> None:
    broken = SMALL.read_text(encoding="utf-8").replace("casusregie: [huishouden]", "casusregie: [onbekend]", 1)
    (tmp_path / "klein.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ave_rules.RegiekaartError):
        new_kaart("voorbeeld-klein", "Voorbeeldstad", today=TODAY, search=[tmp_path])


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extends", "gemeente", "kaart_id", "code"),
    [
        ("ave-generiek", "", None, "cli-nieuw-gemeente-geen-letter"),
        ("ave-generiek", "1234", None, "cli-nieuw-gemeente-geen-letter"),
        ("ave-generiek", "x" * (MAX_NAME + 1), None, "cli-nieuw-gemeente-te-lang"),
        ("ave-generiek", "Voorbeeld\nstad", None, "cli-nieuw-gemeente-teken"),
        ("ave-generiek", "Voorbeeld\tstad", None, "cli-nieuw-gemeente-teken"),
        ("ave-generiek", "Voorbeeld\u200bstad", None, "cli-nieuw-gemeente-teken"),
        ("ave-generiek", "Voorbeeld\u2028stad", None, "cli-nieuw-gemeente-teken"),
        ("ave-generiek", "Voorbeeld\udcffstad", None, "cli-nieuw-gemeente-teken"),
        ("ave-generiek", " Voorbeeldstad", None, "cli-nieuw-gemeente-spatie"),
        ("ave-generiek", "Voorbeeldstad ", None, "cli-nieuw-gemeente-spatie"),
        ("ave-generiek", "Ψαρά", None, "cli-nieuw-geen-id"),
        ("ave-generiek", "Voorbeeldstad", "Voorbeeldstad", "cli-nieuw-id-ongeldig"),
        ("ave-generiek", "Voorbeeldstad", "voorbeeldstad\n", "cli-nieuw-id-ongeldig"),
        ("ave-generiek", "Voorbeeldstad", "-stad", "cli-nieuw-id-ongeldig"),
        ("ave-generiek", "Voorbeeldstad", "a" * 101, "cli-nieuw-id-ongeldig"),
        ("ave-generiek", "Voorbeeldstad", "ave-generiek", "cli-nieuw-id-is-basis"),
        ("ave-generiek", "AVE generiek", None, "cli-nieuw-id-is-basis"),
        ("../ave-generiek", "Voorbeeldstad", None, "cli-nieuw-basis-onbekend"),
        ("", "Voorbeeldstad", None, "cli-nieuw-basis-onbekend"),
    ],
)
def test_what_cannot_make_a_valid_kaart_is_refused(
    extends: str, gemeente: str, kaart_id: str | None, code: str
) -> None:
    with pytest.raises(ScaffoldError) as raised:
        new_kaart(extends, gemeente, kaart_id=kaart_id, today=TODAY)
    error = raised.value
    assert error.code == code
    assert isinstance(error, ave_rules.AveRulesError) and isinstance(error, ValueError)
    for lang in ("nl", "en"):
        message = error.message_in(lang)
        assert message == CATALOGUE[code][("nl", "en").index(lang)].format(**_rendered(error, lang))
        assert all(unicodedata.category(c)[0] != "C" for c in message), message


def _rendered(error: ScaffoldError, lang: ave_rules.Language) -> dict[str, str]:
    from ave_rules._messages import _piece

    return {key: _piece(value, lang) for key, value in error.params.items()}


def test_the_scaffold_codes_are_command_line_codes() -> None:
    """cli- codes: documented in docs/reference-cli.md, not in the authoring guide's section 8."""
    codes = [code for code in CATALOGUE if code.startswith("cli-nieuw-")]
    assert len(codes) == 9
    reference = (ROOT / "docs" / "reference-cli.md").read_text(encoding="utf-8")
    assert [code for code in codes if f"`{code}`" not in reference] == []


# --- untrusted names never change the document's structure -----------------------------------

INJECTIONS = [
    "Voorbeeldstad: evil",
    "Voorbeeldstad # comment",
    "Voorbeeldstad\nid: evil",
    'Voorbeeld"stad',
    "Voorbeeld'stad",
    "Voorbeeld\\stad",
    '"], breidt_uit: evil, x: ["',
    "&anker Voorbeeldstad",
    "*alias",
    "!!python/object/apply:os.system ['echo pwned']",
    "!tag stad",
    "{a: b}",
    "[a, b]",
    "- lijst",
    "? sleutel",
    "| blok",
    "> gevouwen",
    "%YAML 1.1",
    "--- stad",
    "... stad",
    "@stad",
    "`stad`",
    "true",
    "null",
    "no",
    "0363",
    "2026-11-22",
    "Stad {doel}",
    "Stad\u0085NEL",
    "Stad\x00nul",
    "Stad\ufeffbom",
]


def _check_structure(gemeente: str, text: str) -> None:
    data = yaml.safe_load(text)  # an independent reader (YAML 1.1) agrees on the structure
    assert set(data) == TOP_LEVEL_KEYS
    assert data["gemeenten"] == [gemeente]
    assert data["naam"] == f"Regiekaart {gemeente}"
    assert data["id"] == kaart_id_for(gemeente)
    assert data["breidt_uit"] == "ave-generiek"
    assert len(data["scenarios"]) == 1
    kaart = _load(text)
    assert kaart.municipalities == (gemeente,)
    assert kaart.name == f"Regiekaart {gemeente}"


@pytest.mark.parametrize("gemeente", INJECTIONS)
def test_yaml_injection_never_changes_the_structure(gemeente: str) -> None:
    try:
        text = new_kaart("ave-generiek", gemeente, today=TODAY)
    except ScaffoldError as error:
        assert error.code.startswith("cli-nieuw-")
        assert any(c in gemeente for c in "\n\x00\x85\ufeff") or not any(c.isalpha() for c in gemeente)
        return
    _check_structure(gemeente, text)


NAMES = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.sampled_from("aZé ß'-:#&*!%@`|>{}[],?\"\\\n\t.()/"), max_size=30),
)


@settings(max_examples=examples(20, 120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
@example("Stad: x\n- y")
@example("İstanbul")
@example("ﬃ")
def test_every_name_gives_a_clear_error_or_a_kaart_that_loads(gemeente: str) -> None:
    try:
        text = new_kaart("ave-generiek", gemeente, today=TODAY)
    except ScaffoldError as error:
        assert error.code in CATALOGUE
        assert error.message_in("nl") and error.message_in("en")
        return
    _check_structure(gemeente, text)


@pytest.mark.parametrize(("gemeente", "kaart_id"), [("True", None), ("Null", None), ("Voorbeeldstad", "0363")])
def test_ids_that_yaml_would_read_as_other_values_stay_text(gemeente: str, kaart_id: str | None) -> None:
    kaart = _load(new_kaart("ave-generiek", gemeente, kaart_id=kaart_id, today=TODAY))
    assert kaart.id == (kaart_id or gemeente.lower())
