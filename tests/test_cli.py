"""The ``ave-rules`` command: exit codes, output formats, languages."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ave_rules
from ave_rules._messages import HELP_EN, get_language
from ave_rules.cli import _parser, main
from ave_rules.engine import _durable as durable_engine
from ave_rules.kaart import regiekaart_schema

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
GELDIG = FIXTURES / "geldig" / "test-basis.yaml"
ONGELDIG = FIXTURES / "ongeldig"
ONE_PROBLEM = ONGELDIG / "onbekende-sleutel.yaml"  # 60:5 onbekende-sleutel
THREE_PROBLEMS = ONGELDIG / "meerdere-problemen.yaml"  # 21:16, 50:21, 101:36


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def location_lines(out: str, file: Path | str) -> list[str]:
    pattern = re.compile(rf"^{re.escape(str(file))}:\d+:\d+: ")
    return [line for line in out.splitlines() if pattern.match(line)]


def summary_count(err: str) -> int:
    """The number in the closing summary on stderr ("problemen gevonden: 3")."""
    (number,) = re.findall(r"\d+", err.strip().splitlines()[-1])
    return int(number)


# --- text output -------------------------------------------------------------------------


def test_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", GELDIG)
    assert code == 0
    assert f"{GELDIG}: geldig (test-basis versie 1)" in out
    assert err == ""


def test_invalid_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", ONE_PROBLEM)
    assert code == 1
    lines = out.splitlines()
    assert lines == location_lines(out, ONE_PROBLEM)
    assert lines == [
        f"{ONE_PROBLEM}:60:5: onbekende sleutel 'omschrijvng' (bedoelt u 'omschrijving'?); "
        "toegestaan: id, naam, omschrijving (/organisaties/1/omschrijvng)"
    ]
    assert summary_count(err) == 1
    assert "problemen" in err
    assert ": geldig (" not in out


def test_every_problem_is_printed_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", THREE_PROBLEMS)
    assert code == 1
    lines = location_lines(out, THREE_PROBLEMS)
    assert len(lines) == len(out.splitlines()) == 3
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{THREE_PROBLEMS}:21:16",
        f"{THREE_PROBLEMS}:50:21",
        f"{THREE_PROBLEMS}:101:36",
    ]
    assert summary_count(err) == 3


def test_valid_and_invalid_files_together(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", GELDIG, ONE_PROBLEM)
    assert code == 1
    assert len(location_lines(out, ONE_PROBLEM)) == 1
    assert f"{GELDIG}: geldig" in out


@pytest.mark.parametrize(
    "fixture",
    ["tab.yaml", "yaml11-standaard-no.yaml", "afgeleid-cyclus.yaml", "dubbele-sleutel.yaml"],
)
def test_invalid_fixtures_give_exit_code_1_never_an_internal_error(
    capsys: pytest.CaptureFixture[str], fixture: str
) -> None:
    code, out, err = run(capsys, "validate", ONGELDIG / fixture)
    assert code == 1
    assert len(location_lines(out, ONGELDIG / fixture)) == 1
    assert "interne fout" not in err


def test_binary_file_is_a_finding_not_an_internal_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "plaatje.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    code, out, err = run(capsys, "validate", path)
    assert code == 1
    assert location_lines(out, path) == [
        f"{path}:1:1: het bestand is geen geldige UTF-8-tekst (byte 1); sla het op als UTF-8"
    ]
    assert "interne fout" not in err


def test_nonexistent_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "bestaat-niet.yaml"
    code, out, _ = run(capsys, "validate", missing)
    assert code == 1
    assert location_lines(out, missing) == [f"{missing}:1:1: het bestand kan niet worden gelezen (bestaat niet)"]
    code, out, _ = run(capsys, "validate", missing, "--format", "json")
    assert code == 1
    assert [p["code"] for p in json.loads(out)["problems"]] == ["bestand-onleesbaar"]


# --- directories -------------------------------------------------------------------------


def test_a_broken_or_looping_link_beside_a_kaart_is_reported_not_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copy(GELDIG, tmp_path / "kaart.yaml")
    (tmp_path / "kapot.yaml").symlink_to(tmp_path / "weg.yaml")
    (tmp_path / "kring-a.yaml").symlink_to(tmp_path / "kring-b.yaml")
    (tmp_path / "kring-b.yaml").symlink_to(tmp_path / "kring-a.yaml")
    (tmp_path / "pijp.scenarios.yaml").symlink_to(tmp_path / "weg.scenarios.yaml")
    os.mkfifo(tmp_path / "fifo.yaml")  # never opened: it would wait for a writer
    code, out, _ = run(capsys, "validate", tmp_path)
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith(str(tmp_path))] == [
        f"{tmp_path / 'fifo.yaml'}:1:1: het bestand kan niet worden gelezen (geen gewoon bestand)",
        f"{tmp_path / 'kapot.yaml'}:1:1: het bestand kan niet worden gelezen "
        "(een koppeling (symlink) naar een bestand dat niet bestaat)",
        f"{tmp_path / 'kring-a.yaml'}:1:1: het bestand kan niet worden gelezen "
        "(een koppeling (symlink) die via andere koppelingen naar zichzelf wijst)",
        f"{tmp_path / 'kring-b.yaml'}:1:1: het bestand kan niet worden gelezen "
        "(een koppeling (symlink) die via andere koppelingen naar zichzelf wijst)",
        f"{tmp_path / 'pijp.scenarios.yaml'}:1:1: het bestand kan niet worden gelezen "
        "(een koppeling (symlink) naar een bestand dat niet bestaat)",
    ]
    with pytest.raises(ave_rules.RegiekaartError) as raised:
        ave_rules.load_dir(tmp_path)
    assert len(raised.value.problems) == 4


def test_directory_of_valid_kaarten(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = GELDIG.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yml").write_text(text.replace("id: test-basis", "id: ander"), encoding="utf-8")
    (tmp_path / "leesmij.txt").write_text("geen kaart", encoding="utf-8")
    code, out, _ = run(capsys, "validate", tmp_path)
    assert code == 0
    assert f"{tmp_path / 'a.yaml'}: geldig (test-basis versie 1)" in out
    assert f"{tmp_path / 'b.yml'}: geldig (ander versie 1)" in out


def test_directory_with_an_invalid_kaart(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GELDIG.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "b.yaml"
    bad.write_text(ONE_PROBLEM.read_text(encoding="utf-8").replace("id: test-basis", "id: ander"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", tmp_path)
    assert code == 1
    assert [line.split(": ", 1)[0] for line in location_lines(out, bad)] == [f"{bad}:60:5"]


def test_empty_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", tmp_path, "--format", "json")
    assert code == 1
    assert [(p["code"], p["file"]) for p in json.loads(out)["problems"]] == [("geen-kaarten", str(tmp_path))]


# --- JSON --------------------------------------------------------------------------------


def test_json_for_an_invalid_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--format", "json", THREE_PROBLEMS)
    assert code == 1
    document = json.loads(out)
    assert document["valid"] is False
    assert document["kaarten"] == []
    assert [tuple(p) for p in document["problems"]] == [("file", "line", "column", "path", "code", "message")] * 3
    first = document["problems"][0]
    assert first == {
        "file": str(THREE_PROBLEMS),
        "line": 21,
        "column": 16,
        "path": "/feiten/2/standaard",
        "code": "waarde-buiten-domein",
        "message": "waarde 'zorg' hoort niet bij feit 'risico' (bedoelt u 'zorgen'?); mogelijk: geen, zorgen, acuut",
    }
    assert [(p["line"], p["column"]) for p in document["problems"]] == [(21, 16), (50, 21), (101, 36)]


def test_json_for_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", GELDIG, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["valid"] is True
    assert document["problems"] == []
    (kaart,) = document["kaarten"]
    assert (kaart["id"], kaart["versie"], kaart["bestanden"]) == ("test-basis", "1", [str(GELDIG)])
    assert kaart["hash"] == ave_rules.load(GELDIG).content_hash


def test_json_output_is_only_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--format", "json", ONE_PROBLEM)
    assert code == 1
    json.loads(out)  # nothing else on stdout
    assert "{" not in err


# --- GitHub annotations ------------------------------------------------------------------


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--format", "github", THREE_PROBLEMS)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("::error file=") for line in lines)
    assert lines[0].startswith(
        f"::error file={THREE_PROBLEMS},line=21,col=16::waarde 'zorg' hoort niet bij feit 'risico'"
    )


def test_github_format_escapes_properties(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # In a workflow command, ',' and ':' in a property value must be escaped (%2C, %3A).
    path = tmp_path / "gemeente,noord.yaml"
    path.write_text(ONE_PROBLEM.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--format", "github", path)
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith("::error file=" + str(path).replace(",", "%2C") + ",line=60,col=5::"), line


# --- language ----------------------------------------------------------------------------


def test_english_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    # As documented: ave-rules validate PATH... [--format ...] [--lang nl|en]
    code, out, err = run(capsys, "validate", ONE_PROBLEM, "--lang", "en")
    assert code == 1, err
    assert "unknown key 'omschrijvng' (did you mean 'omschrijving'?)" in out
    assert summary_count(err) == 1
    assert "problems" in err


def test_english_before_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--lang", "en", "validate", ONE_PROBLEM)
    assert code == 1
    assert location_lines(out, ONE_PROBLEM) == [
        f"{ONE_PROBLEM}:60:5: unknown key 'omschrijvng' (did you mean 'omschrijving'?); "
        "allowed: id, naam, omschrijving (/organisaties/1/omschrijvng)"
    ]
    assert summary_count(err) == 1
    assert "problems" in err
    code, out, _ = run(capsys, "--lang", "en", "validate", GELDIG)
    assert code == 0
    assert f"{GELDIG}: valid (test-basis version 1)" in out


def test_english_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "en", "validate", "--format", "json", ONE_PROBLEM)
    assert code == 1
    assert json.loads(out)["problems"][0]["message"].startswith("unknown key 'omschrijvng'")


def test_language_does_not_stick_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    before = get_language()
    run(capsys, "--lang", "en", "validate", ONE_PROBLEM)
    assert get_language() == before


# --- usage errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["validate"],
        ["validate", str(GELDIG), "--onbekend"],
        ["--onbekend", "validate", str(GELDIG)],
        ["controleer", str(GELDIG)],
        ["validate", "--format", "xml", str(GELDIG)],
        ["--lang", "fr", "validate", str(GELDIG)],
        ["validate", "--engine", "drools", str(GELDIG)],
    ],
    ids=[
        "no-args",
        "no-path",
        "unknown-option",
        "unknown-global-option",
        "unknown-command",
        "bad-format",
        "bad-lang",
        "bad-engine",
    ],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2
    assert "usage:" in err
    assert out == ""


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "validate" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert ave_rules.__version__ in capsys.readouterr().out


# --- schema ------------------------------------------------------------------------------


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema")
    assert code == 0
    assert err == ""
    assert json.loads(out) == regiekaart_schema()


# --- as a separate process ---------------------------------------------------------------


def _run_module(*args: str | Path, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "AVE_RULES_LANG"}
    if lang:
        env["AVE_RULES_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "ave_rules", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )


def test_python_m_ave_rules() -> None:
    valid = _run_module("validate", GELDIG)
    assert valid.returncode == 0, valid.stderr
    assert "geldig" in valid.stdout

    invalid = _run_module("validate", THREE_PROBLEMS, lang="en")
    assert invalid.returncode == 1, invalid.stderr
    lines = invalid.stdout.splitlines()
    assert lines == location_lines(invalid.stdout, THREE_PROBLEMS)
    assert len(lines) == 3
    assert "did you mean 'zorgen'" in lines[0]  # AVE_RULES_LANG=en
    assert "Traceback" not in invalid.stderr

    usage = _run_module("validate")
    assert usage.returncode == 2


def test_evaluate_facts_file_that_is_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "feiten.json"
    facts.write_text('["zorg", "veiligheid"]', encoding="utf-8")
    kaart = str(ROOT / "regiekaarten" / "ave-generiek.yaml")
    assert main(["evaluate", kaart, "--facts", str(facts)]) == 1
    out = capsys.readouterr().out
    assert "feiten-geen-mapping" not in out and "de feiten moeten een mapping zijn" in out
    assert "zorg" not in out.replace("zorgen", "")


def test_evaluate_json_output_is_a_valid_decision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from ave_rules.kaart import decision_schema

    facts = tmp_path / "feiten.yaml"
    facts.write_text("maatschappelijke_onrust: manifest\nhuidige_fase: '2'\n", encoding="utf-8")
    kaart = str(ROOT / "regiekaarten" / "ave-generiek.yaml")
    assert main(["evaluate", kaart, "--facts", str(facts), "--format", "json"]) == 0
    decision = json.loads(capsys.readouterr().out)
    jsonschema.Draft7Validator(decision_schema()).validate(decision)
    assert decision["level"] == "4"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{"hulpvraag": true,}', 1, 20),  # a comma after the last item
        ("{'hulpvraag': true}", 1, 2),  # single quotes
        ('{"hulpvraag": true\n "stagnatie": false}', 2, 2),  # a missing comma
        ('{"verzoek": "advies}', 1, 13),  # a text left open
    ],
)
def test_a_json_facts_file_must_be_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, column: int
) -> None:
    # YAML, which reads every other facts file, would let each of these pass.
    kaart = str(ROOT / "regiekaarten" / "ave-generiek.yaml")
    facts = tmp_path / "feiten.json"
    facts.write_text(text, encoding="utf-8")
    assert main(["evaluate", kaart, "--facts", str(facts), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["line"], p["column"]) for p in report["problems"]] == [("json-syntax", line, column)]
    assert "advies" not in report["problems"][0]["message"]
    as_yaml = tmp_path / "feiten.yaml"
    as_yaml.write_text("{'hulpvraag': true}", encoding="utf-8")
    assert main(["evaluate", kaart, "--facts", str(as_yaml), "--format", "json"]) == 0


def test_evaluate_empty_facts_file_asks_for_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "leeg.json"
    facts.write_text("", encoding="utf-8")
    kaart = str(ROOT / "regiekaarten" / "ave-generiek.yaml")
    assert main(["evaluate", kaart, "--facts", str(facts)]) == 1
    out = capsys.readouterr().out
    assert "de feiten moeten een mapping zijn" in out and "regiekaart" not in out


def test_evaluate_on_each_engine_gives_the_same_decision(capsys: pytest.CaptureFixture[str]) -> None:
    casus = ROOT / "docs" / "voorbeelden" / "casus.json"
    kaart = ROOT / "regiekaarten" / "ave-generiek.yaml"
    decisions = {}
    engines = ["reference", "durable-rules"] if durable_engine.available() else ["reference"]
    for engine in engines:
        code, out, _ = run(capsys, "evaluate", kaart, "--facts", casus, "--format", "json", "--engine", engine)
        assert code == 0
        decisions[engine] = json.loads(out)
        assert decisions[engine].pop("engine") == engine
    assert all(decision == decisions["reference"] for decision in decisions.values())


# --- authoring commands: new, render, explain ------------------------------------------------------

GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"


def test_new_writes_a_kaart_that_loads_and_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "regiekaarten" / "zuidstad.yaml"
    code, _, _ = run(capsys, "new", "--extends", "ave-generiek", "--gemeente", "Zuidstad", "--output", target)
    assert code == 0
    kaart = ave_rules.load(target)
    assert (kaart.id, kaart.municipalities) == ("zuidstad", ("Zuidstad",))
    before = target.read_bytes()
    code, _, err = run(capsys, "new", "--extends", "ave-generiek", "--gemeente", "Anders", "--output", target)
    assert code == 2 and "bestaat al" in err and target.read_bytes() == before


def _modeline_target(kaart: Path) -> Path:
    first = kaart.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    return (kaart.parent / first.split("=", 1)[1]).resolve()


def test_new_says_what_it_wrote_and_points_the_editor_to_the_schema_that_is_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    schema = tmp_path / "repo" / "schemas" / "regiekaart.schema.json"
    schema.parent.mkdir(parents=True)
    schema.write_text("{}", encoding="utf-8")
    target = Path("repo", "regiekaarten", "noord", "zuidstad.yaml")  # two levels below the schemas' parent
    code, out, err = run(capsys, "new", "--extends", "ave-generiek", "--gemeente", "Zuidstad", "--output", target)
    assert code == 0 and not err
    assert out.strip() == f"nieuwe kaart geschreven: {target}; controleer haar na elke wijziging met: " + (
        f"ave-rules validate {target}"
    )
    assert _modeline_target(target) == schema.resolve()


def test_new_warns_when_the_schema_the_editor_needs_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("kaarten", "zuidstad.yaml")
    code, out, err = run(
        capsys, "--lang", "en", "new", "--extends", "ave-generiek", "--gemeente", "Zuidstad", "--output", target
    )
    assert code == 0 and out.startswith("new kaart written: ")
    made = err.strip().rsplit("ave-rules schema > ", 1)[1]
    assert "schema is not there" in err and not (tmp_path / made).exists()
    assert _modeline_target(target) == (tmp_path / made).resolve()  # the command makes what the line needs
    code, out, _ = run(capsys, "new", "--extends", "ave-generiek", "--gemeente", "Westdorp")
    assert code == 0 and out.startswith("# yaml-language-server:")  # to standard output: only the kaart


def test_new_refuses_a_name_that_cannot_make_a_kaart(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "new", "--extends", "ave-generiek", "--gemeente", "Zuid\nstad")
    assert code == 1 and "U+000A" in err and not out
    code, _, err = run(capsys, "new", "--extends", "bestaat-niet", "--gemeente", "Zuidstad")
    assert code == 1 and "bestaat-niet" in err


@pytest.mark.parametrize("output", ["html", "markdown"])
def test_render_shows_every_level_and_role_holder(capsys: pytest.CaptureFixture[str], output: str) -> None:
    kaart = ave_rules.load(GENERIC)
    code, out, _ = run(capsys, "render", GENERIC, "--format", output)
    assert code == 0
    names = {organisation.id: organisation.name for organisation in kaart.organisations}
    for level in kaart.levels:
        assert level.name in out
        for role in ("casusregie", "procesregie"):
            assert all(names[holder] in out for holder in level.roles.holders(role))
    assert out.lstrip().startswith("<!DOCTYPE html>") == (output == "html")


def test_explain_as_html_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = ROOT / "docs" / "voorbeelden" / "casus.json"
    code, out, _ = run(capsys, "explain", GENERIC, "--facts", facts, "--format", "json")
    decision = json.loads(out)
    code_html, page, _ = run(capsys, "explain", GENERIC, "--facts", facts, "--format", "html")
    assert (code, code_html) == (0, 0)
    assert page.lstrip().lower().startswith("<!doctype html>") and decision["level"] in page
    written = tmp_path / "besluit.html"
    assert run(capsys, "explain", GENERIC, "--facts", facts, "--format", "html", "--output", written)[0] == 0
    assert written.read_text(encoding="utf-8").strip() == page.strip()


@pytest.mark.parametrize(
    "option, value", [("--workers", "0"), ("--workers", "twee"), ("--recycle-after", "-1"), ("--port", "x")]
)
def test_serve_refuses_a_bad_number_before_it_starts(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    code, out, err = run(capsys, "serve", option, value)
    assert code == 2 and out == ""
    assert option in err and value in err


def test_serve_refuses_a_directory_that_is_not_there(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "serve", tmp_path / "nergens")
    assert code == 1 and "nergens' is geen map met regiekaarten" in err


@pytest.mark.parametrize(
    "kaart, facts, extra, code",
    [
        ("nergens.yaml", '{"hulpvraag": true}', [], "bestand-onleesbaar"),
        (str(ROOT / "regiekaarten" / "fryslan.yaml"), "[1", [], "json-syntax"),
        (str(ROOT / "regiekaarten" / "fryslan.yaml"), '{"hulpvraag": "ja"}', [], "feit-type"),
        (
            str(ROOT / "regiekaarten" / "fryslan.yaml"),
            "{}",
            ["--history", "h.json", "--case", "Jan Jansen"],
            "geschiedenis-zaak-ongeldig",
        ),
    ],
)
def test_evaluate_in_json_says_what_stops_it_in_json(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kaart: str,
    facts: str,
    extra: list[str],
    code: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "casus.json").write_text(facts, encoding="utf-8")
    status, out, _ = run(capsys, "evaluate", kaart, "--facts", "casus.json", "--format", "json", *extra)
    document = json.loads(out)
    assert status == 1 and document["valid"] is False
    assert [problem["code"] for problem in document["problems"]] == [code]
    assert all(problem["file"] and problem["message"] for problem in document["problems"])
    assert "Jan Jansen" not in out and "ja" not in json.dumps(document["problems"][0].get("path", ""))


def _help_texts(parser: argparse.ArgumentParser) -> list[str]:
    found = [parser.description] if parser.description else []
    for action in parser._actions:
        if action.help:
            found.append(action.help)
        if isinstance(action, argparse._SubParsersAction):
            found += [command.help for command in action._choices_actions if command.help]
            for subparser in action.choices.values():
                found += _help_texts(subparser)
    return found


def test_every_help_text_has_its_english() -> None:
    missing = [text for text in _help_texts(_parser()) if text not in HELP_EN]
    assert missing == []


@pytest.mark.parametrize(
    ("arguments", "said", "not_said"),
    [
        (["new", "--help"], "de kaart waarop deze voortbouwt", "the kaart this one extends"),
        (["--lang", "en", "new", "--help"], "the kaart this one extends", "voortbouwt"),
        (["new", "--lang=en", "--help"], "the kaart this one extends", "voortbouwt"),
        (["--lang", "en", "--help"], "decide one case and explain the decision", "beslis over"),
    ],
)
def test_help_is_in_the_language_asked_for(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, arguments: list[str], said: str, not_said: str
) -> None:
    monkeypatch.delenv("AVE_RULES_LANG", raising=False)
    code, out, _ = run(capsys, *arguments)
    assert code == 0 and said in out and not_said not in out
