"""Finding a base kaart by the index of a directory: the files beside a kaart do not change its
load, the right version is found, and an edited file is read again (the caches go by content)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import ave_rules
from ave_rules import KaartNotFoundError, Problem, Regiekaart, RegiekaartError
from ave_rules.kaart._yaml import NOT_TEXT, top_level_texts

BASIS_TEXT = (Path(__file__).parent / "fixtures" / "geldig" / "test-basis.yaml").read_text(encoding="utf-8")
CHILD = """\
formaat: 1
id: gemeente
naam: Regiekaart gemeente
versie: "1"
geldig_vanaf: "2025-06-01"
breidt_uit: test-basis
"""
OWN_PROBLEM = 'niveaus:\n  - id: "2"\n    rollen:\n      casusregie: [buurtteem]\n'
ON = datetime.date(2025, 7, 1)

#: Files that fail to read in every way the reader knows, each with an id of its own or none.
BROKEN: dict[str, str | bytes] = {
    "yaml-kapot.yaml": "formaat: 1\nid: [kapot\n",
    "schema-kapot.yaml": BASIS_TEXT.replace("id: test-basis", "id: kapot-schema").replace("kleur: geel", "kleur: gele"),
    "geen-mapping.yaml": "- een\n- lijst\n",
    "leeg.yaml": "",
    "geen-utf8.yaml": b"id: \xff\xfe\n",
    "alias.yaml": "a: &x [1]\nb: *x\nid: alias\n",
    "tag.yaml": "id: !!python/object:os.system kapot\n",
    "dubbel.yaml": "id: dubbel\nid: dubbel\n",
    "te-groot.yaml": "id: groot\nomschrijving: " + "x" * (1024 * 1024) + "\n",
}


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def neighbours(directory: Path, unrelated: int = 10) -> None:
    """Unrelated valid kaarten and every kind of broken file, beside the kaart under test."""
    for number in range(unrelated):
        write(directory, f"ander-{number}.yaml", BASIS_TEXT.replace("id: test-basis", f"id: ander-{number}"))
    for name, content in BROKEN.items():
        write(directory, name, content)
    (directory / "kapotte-koppeling.yaml").symlink_to(directory / "bestaat-niet.yaml")


def outcome(path: Path) -> tuple[str, list[str], list[Problem]]:
    """What loading ``path`` gives: the kaart's content hash and source files, or its problems."""
    try:
        kaart = ave_rules.load(path, on=ON, engine="reference")
    except RegiekaartError as error:
        return "", [], error.problems
    return kaart.content_hash, list(kaart.source_files), []


@pytest.mark.parametrize("extra", ["", OWN_PROBLEM], ids=["loads", "own-problem"])
def test_files_beside_a_kaart_do_not_change_its_load(tmp_path: Path, extra: str) -> None:
    alone, crowded = tmp_path / "alleen", tmp_path / "druk"
    for directory in (alone, crowded):
        directory.mkdir()
        write(directory, "basis.yaml", BASIS_TEXT)
        write(directory, "gemeente.yaml", CHILD + extra)
    neighbours(crowded)

    content_hash, files, problems = outcome(alone / "gemeente.yaml")
    crowded_hash, crowded_files, crowded_problems = outcome(crowded / "gemeente.yaml")

    assert crowded_hash == content_hash
    assert bool(content_hash) == (extra == "")
    assert [name.replace("druk", "alleen") for name in crowded_files] == files
    located = [(p.code, Path(p.file).name, p.line, p.column, p.path) for p in problems]
    assert [(p.code, Path(p.file).name, p.line, p.column, p.path) for p in crowded_problems] == located
    assert all(Path(p.file).name == "gemeente.yaml" for p in crowded_problems)


def test_a_missing_base_names_only_the_files_that_could_be_it(tmp_path: Path) -> None:
    neighbours(tmp_path)
    path = write(tmp_path, "gemeente.yaml", CHILD.replace("breidt_uit: test-basis", "breidt_uit: yaml-kapot"))
    with pytest.raises(RegiekaartError) as raised:
        ave_rules.load(path, on=ON)
    named = {Path(problem.file).name for problem in raised.value.problems}
    # The files whose id cannot be read may be the base; those with an id of their own are not.
    assert "gemeente.yaml" in named
    assert "yaml-kapot.yaml" in named
    assert not named & {"schema-kapot.yaml", "dubbel.yaml", *(f"ander-{n}.yaml" for n in range(10))}


def test_a_broken_file_that_claims_the_base_is_reported_not_passed_over(tmp_path: Path) -> None:
    # A local copy of a bundled kaart, broken: its problems, not the bundled kaart in its place.
    neighbours(tmp_path)
    generic = (ave_rules.loading.bundled_dir() / "ave-generiek.yaml").read_text(encoding="utf-8")
    broken = write(tmp_path, "ave-generiek.yaml", generic.replace("kleur: geel", "kleur: gele", 1))
    path = write(tmp_path, "gemeente.yaml", CHILD.replace("breidt_uit: test-basis", "breidt_uit: ave-generiek"))
    with pytest.raises(RegiekaartError) as raised:
        ave_rules.load(path)
    codes = {(Path(problem.file).name, problem.code) for problem in raised.value.problems}
    assert ("ave-generiek.yaml", "niet-toegestane-waarde") in codes
    assert ("gemeente.yaml", "basis-ontbreekt") in codes
    assert all(problem.file in (str(broken), str(path)) for problem in raised.value.problems)


def versions(directory: Path) -> None:
    """Two versions of test-basis under names that sort against their dates, and a broken third
    that claims the id for a time no test asks about."""
    v1 = BASIS_TEXT.replace('geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2025-01-01"\ngeldig_tot: "2026-01-01"')
    v2 = BASIS_TEXT.replace('versie: "1"', 'versie: "2"').replace(
        'geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2026-01-01"'
    )
    write(directory, "z-eerste.yaml", v1)
    write(directory, "a-tweede.yaml", v2.replace("naam: Wijkteam", "naam: Buurtteam"))
    old = BASIS_TEXT.replace('geldig_vanaf: "2025-01-01"', 'geldig_vanaf: "2020-01-01"\ngeldig_tot: "2021-01-01"')
    write(directory, "m-oud-kapot.yaml", old.replace("kleur: geel", "kleur: gele"))


def wijkteam(kaart: Regiekaart) -> str:
    return next(organisation.name for organisation in kaart.organisations if organisation.id == "wijkteam")


def test_the_index_finds_the_version_of_the_day(tmp_path: Path) -> None:
    versions(tmp_path)
    neighbours(tmp_path)
    path = write(tmp_path, "gemeente.yaml", CHILD.replace('"2025-06-01"', '"2025-01-01"'))

    in_2025 = ave_rules.load(path, on=datetime.date(2025, 7, 1))
    in_2026 = ave_rules.load(path, on=datetime.date(2026, 7, 1))
    assert (wijkteam(in_2025), wijkteam(in_2026)) == ("Wijkteam", "Buurtteam")
    assert in_2025.source_files == (str(path),)

    assert ave_rules.load_id("test-basis", search=[tmp_path], on=datetime.date(2025, 7, 1)).version == "1"
    assert ave_rules.load_id("test-basis", search=[tmp_path], on=datetime.date(2026, 7, 1)).version == "2"
    with pytest.raises(KaartNotFoundError) as raised:
        ave_rules.load_id("test-basis", search=[tmp_path], on=datetime.date(2019, 7, 1))
    assert raised.value.code == "kaart-niet-geldig"
    # The broken version claims the id: when no version is valid, its problems say why it is none.
    assert {Path(problem.file).name for problem in raised.value.failures} == {"m-oud-kapot.yaml"}

    # The broken version, when it is the one of the day, is reported, not passed over.
    with pytest.raises(RegiekaartError) as broken:
        ave_rules.load_id("test-basis", search=[tmp_path], on=datetime.date(2020, 7, 1))
    assert {(Path(p.file).name, p.code) for p in broken.value.problems} == {
        ("m-oud-kapot.yaml", "niet-toegestane-waarde")
    }


def test_of_versions_valid_on_one_day_the_latest_to_start_is_the_base(tmp_path: Path) -> None:
    later = BASIS_TEXT.replace('versie: "1"', 'versie: "2"').replace('"2025-01-01"', '"2025-05-01"')
    write(tmp_path, "a-later.yaml", later.replace("naam: Wijkteam", "naam: Buurtteam"))
    write(tmp_path, "b-eerder.yaml", BASIS_TEXT)
    write(tmp_path, "c-nog-eerder.yaml", BASIS_TEXT.replace('"2025-01-01"', '"2024-01-01"'))
    path = write(tmp_path, "gemeente.yaml", CHILD)
    assert wijkteam(ave_rules.load(path, on=ON)) == "Buurtteam"
    assert wijkteam(ave_rules.load(path, on=datetime.date(2025, 2, 1))) == "Wijkteam"


def test_load_dir_still_checks_every_file(tmp_path: Path) -> None:
    write(tmp_path, "basis.yaml", BASIS_TEXT)
    write(tmp_path, "gemeente.yaml", CHILD)
    write(tmp_path, "schema-kapot.yaml", BROKEN["schema-kapot.yaml"])
    with pytest.raises(RegiekaartError) as raised:
        ave_rules.load_dir(tmp_path, on=ON)
    assert {Path(problem.file).name for problem in raised.value.problems} == {"schema-kapot.yaml"}


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    base = write(tmp_path, "basis.yaml", BASIS_TEXT)
    path = write(tmp_path, "gemeente.yaml", CHILD)
    assert wijkteam(ave_rules.load(path, on=ON)) == "Wijkteam"

    # The same size, so neither the length nor (within a clock tick) the time tells them apart.
    base.write_text(BASIS_TEXT.replace("naam: Wijkteam", "naam: Wijkhuis"), encoding="utf-8")
    assert wijkteam(ave_rules.load(path, on=ON)) == "Wijkhuis"

    # Its dates change, the length again the same: the index reads the new dates.
    base.write_text(BASIS_TEXT.replace('"2025-01-01"', '"2026-01-01"'), encoding="utf-8")
    with pytest.raises(RegiekaartError) as raised:
        ave_rules.load(path, on=ON)
    assert [problem.code for problem in raised.value.problems] == ["basis-niet-geldig"]

    # The base's id moves to another file: the index reads the new ids.
    base.write_text(BASIS_TEXT.replace("id: test-basis", "id: test-basiz"), encoding="utf-8")
    with pytest.raises(RegiekaartError) as raised:
        ave_rules.load(path, on=ON)
    assert [problem.code for problem in raised.value.problems] == ["basis-ontbreekt"]
    write(tmp_path, "nieuw.yaml", BASIS_TEXT.replace("naam: Wijkteam", "naam: Wijkpost"))
    assert wijkteam(ave_rules.load(path, on=ON)) == "Wijkpost"

    # A broken edit of the base is reported; mending it loads again.
    write(tmp_path, "nieuw.yaml", BASIS_TEXT.replace("kleur: geel", "kleur: gele"))
    with pytest.raises(RegiekaartError):
        ave_rules.load(path, on=ON)
    write(tmp_path, "nieuw.yaml", BASIS_TEXT)
    assert wijkteam(ave_rules.load(path, on=ON)) == "Wijkteam"


def test_the_index_reads_the_top_level_under_the_readers_refusals() -> None:
    keys = frozenset({"id", "versie", "geldig_vanaf", "geldig_tot"})
    assert top_level_texts('omschrijving: id\nid: "a"\nversie: 2025.10\nx: {id: b}\n', keys) == {
        "id": "a",
        "versie": NOT_TEXT,
    }
    assert top_level_texts("id: a\nrest: [\n", keys, stop_at="id") == {"id": "a"}  # the rest is not read
    refused = [
        "id: [a\n",  # syntax
        "- id\n",  # not a mapping
        "id: a\nid: b\n",  # a key twice
        "a: &x 1\nid: a\n",  # an anchor
        "id: !!str a\n",  # a tag
        "? [a]\n: 1\nid: a\n",  # a key that is not text
        "id: a\n---\nid: b\n",  # two documents
        "[" * 70 + "]" * 70,  # too deep
        "id: " + "x" * (1024 * 1024),  # too large
    ]
    assert [top_level_texts(text, keys) for text in refused] == [None] * len(refused)
