"""The pytest plugin (ave_rules.testing.pytest_plugin), run on copies of examples/gemeente-voorbeeld."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ave_rules.analysis._check
import ave_rules.loading

# Most runs are in this process (one, the example repository, in a separate process as in a
# gemeente's CI). Pytester restores sys.modules after an in-process run, so everything the plugin
# uses is imported above, before any run: otherwise a later run would get half the library's
# classes from an earlier import (and libyaml's C extension raising an earlier import's exceptions).
assert ave_rules.analysis._check and ave_rules.loading
pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gemeente-voorbeeld"
KAART = "regiekaarten/voorbeeldgemeente.yaml"
SCENARIOS = "scenarios/voorbeeldgemeente.scenarios.yaml"
ITEMS = [
    f"{KAART}::validatie",
    f"{KAART}::analyse",
    f"{KAART}::scenario[hulpvraag-naar-wijkteam]",
    f"{KAART}::scenario[complex-naar-veiligheidsteam]",
    f"{KAART}::scenario[onrust-naar-burgemeester]",
    f"{SCENARIOS}::validatie",
    f"{SCENARIOS}::scenario[afschalen-naar-wijkteam]",
    f"{SCENARIOS}::scenario[zonder-hulpvraag-zelfregie]",
]


@pytest.fixture
def repo(pytester: pytest.Pytester) -> Path:
    """A copy of the example repository, as the working directory of the pytest run."""
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    return pytester.path


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_example_repository_passes(pytester: pytest.Pytester, repo: Path) -> None:
    result = pytester.runpytest_subprocess("-v")
    result.assert_outcomes(passed=len(ITEMS))
    result.stdout.fnmatch_lines([glob.escape(f"{item} PASSED") + "*" for item in ITEMS])
    result.stdout.fnmatch_lines(["ave_rules: regiekaarten in regiekaarten, scenarios (strikt: nee, engine: auto)"])


def test_broken_repository_fails_with_dutch_located_reports(pytester: pytest.Pytester, repo: Path) -> None:
    kaart = repo / KAART
    text = kaart.read_text()
    # A scenario with a wrong expectation, and a rule that never fires.
    text = text.replace("procesregie: [veiligheidsteam]\n      afgeleid", "procesregie: [gemeente]\n      afgeleid")
    text = text.replace(
        "regels:\n",
        "regels:\n"
        "  - id: nooit\n"
        "    toelichting: Kan nooit gelden.\n"
        "    als:\n"
        "      alle:\n"
        "        - {feit: hulpvraag, is: true}\n"
        "        - {feit: hulpvraag, is: false}\n"
        '    dan: {niveau: "2"}\n',
        1,
    )
    kaart.write_text(text)
    # A kaart with a YAML error, and one that reads but does not load (its scenario cannot run).
    (repo / "regiekaarten" / "kapot.yaml").write_text("formaat: 1\nid: kapot\nnaam: [kapot\n")
    (repo / "regiekaarten" / "ongeldig.yaml").write_text(
        text.replace("id: voorbeeldgemeente", "id: ongeldig").replace("gemeenten:", "gemeentes:")
    )

    result = pytester.runpytest()
    result.assert_outcomes(passed=3 + 3, failed=2 + 2 + 5)
    wrong = line_of(kaart, "procesregie: [gemeente]")
    dead = line_of(kaart, "- id: nooit")
    result.stdout.fnmatch_lines(
        [
            "*_ validatie _*",
            "regiekaarten/kapot.yaml:4:1: een lijst '[' of mapping '{' is niet afgesloten*",
            "*_ analyse _*",
            "de kaart laadt niet, dus 'analyse' kan niet worden uitgevoerd:",
            "regiekaarten/kapot.yaml:4:1: *",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "de kaart laadt niet, dus 'scenario[hulpvraag-naar-wijkteam]' kan niet worden uitgevoerd:",
            "regiekaarten/ongeldig.yaml:*: *gemeentes* (/gemeentes)",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            f"{KAART}:{dead}:5: regel 'nooit' is in geen enkele casus van toepassing; controleer de voorwaarde (/regels/0) [fout]"
        ]
    )
    result.stdout.fnmatch_lines(
        [
            f"{KAART}:{wrong}:22: scenario 'complex-naar-veiligheidsteam': rollen/procesregie verwacht [gemeente], "
            "maar de kaart geeft [veiligheidsteam] (/scenarios/1/verwacht/rollen/procesregie)",
            "  omschrijving: Een casus op niveau 2 wordt complex*",
            "  feiten: {*",
            "  regels die vuurden: *niveau-3a*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            f"FAILED {KAART}::analyse*",
            f"FAILED {KAART}::scenario[[]complex-naar-veiligheidsteam[]]*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "KaartTestFailure" not in result.stdout.str()


def test_scenario_file_failures_are_located_in_the_scenario_file(pytester: pytest.Pytester, repo: Path) -> None:
    scenarios = repo / SCENARIOS
    scenarios.write_text(scenarios.read_text().replace("bron: veiligheidsteam}", "bron: wijkteam}"))
    (repo / "scenarios" / "onbekend.scenarios.yaml").write_text(
        scenarios.read_text().replace("regiekaart: voorbeeldgemeente", "regiekaart: voorbeeldgemeent")
    )

    result = pytester.runpytest()
    result.assert_outcomes(passed=len(ITEMS) - 1, failed=1 + 3)
    actions = line_of(scenarios, "- {actie: afschalen")
    result.stdout.fnmatch_lines(
        [
            f"{SCENARIOS}:{actions}:9: scenario 'afschalen-naar-wijkteam': acties verwacht *, maar de kaart "
            "geeft * (/scenarios/0/verwacht/acties)",
            "  omschrijving: Een casus op niveau 3a is niet meer complex*",
            "  regels die vuurden: niveau-2, afschalen",
        ]
    )
    unknown = line_of(repo / "scenarios" / "onbekend.scenarios.yaml", "regiekaart:")
    result.stdout.fnmatch_lines(
        [
            "het scenariobestand laadt niet, dus 'scenario[[]afschalen-naar-wijkteam[]]' kan niet worden uitgevoerd:",
            f"scenarios/onbekend.scenarios.yaml:{unknown}:13: regiekaart 'voorbeeldgemeent' is niet gevonden "
            "(bedoelt u 'voorbeeldgemeente'?); gezocht in: scenarios, regiekaarten, */regiekaarten (/regiekaart)",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_scenario_file_can_test_a_bundled_kaart_on_a_day(pytester: pytest.Pytester, repo: Path) -> None:
    (repo / "scenarios" / "groningen.scenarios.yaml").write_text(
        "formaat: 1\n"
        "regiekaart: groningen\n"
        'peildatum: "2017-06-01"\n'
        "scenarios:\n"
        "  - id: zonder-hulpvraag\n"
        "    omschrijving: Niets aan de hand.\n"
        "    feiten: {}\n"
        '    verwacht: {niveau: "1"}\n'
    )
    result = pytester.runpytest("-v", "scenarios")
    result.assert_outcomes(passed=2 + 3)
    result.stdout.fnmatch_lines(["scenarios/groningen.scenarios.yaml::scenario[[]zonder-hulpvraag[]] PASSED*"])


def test_warnings_are_shown_and_fail_only_when_strict(pytester: pytest.Pytester, repo: Path) -> None:
    kaart = repo / KAART
    kaart.write_text(
        kaart.read_text().replace(
            "niveaus:\n",
            "  - id: ongebruikt\n    naam: Niemand\n    omschrijving: Bij geen enkel niveau.\n\nniveaus:\n",
        )
    )
    where = f"{KAART}:{line_of(kaart, '- id: ongebruikt')}"

    relaxed = pytester.runpytest()
    relaxed.assert_outcomes(passed=len(ITEMS), warnings=relaxed.parseoutcomes()["warnings"])
    relaxed.stdout.fnmatch_lines([f"*{where}: KaartWarning: *'ongebruikt'*"])

    strict = pytester.runpytest("-o", "ave_rules_strict=true")
    strict.assert_outcomes(passed=len(ITEMS) - 1, failed=1)
    strict.stdout.fnmatch_lines([f"{where}:5: *'ongebruikt'* [[]waarschuwing[]]", f"FAILED {KAART}::analyse*"])


def test_a_finding_of_the_base_kaart_fails_only_the_base_and_is_shown_once(pytester: pytest.Pytester) -> None:
    # A gemeente cannot change a kaart it extends (a bundled one above all): what that kaart
    # has on its own is its finding, not the finding of every kaart that extends it.
    basis = (ROOT / "tests" / "fixtures" / "geldig" / "test-basis.yaml").read_text()
    basis = basis.replace("organisaties:\n", "organisaties:\n  - {id: ongebruikt, naam: Niemand}\n", 1)
    (pytester.path / "kaarten").mkdir()
    (pytester.path / "kaarten" / "a-basis.yaml").write_text(basis)
    for name in ("b-gemeente", "c-gemeente"):
        (pytester.path / "kaarten" / f"{name}.yaml").write_text(
            f'formaat: 1\nid: {name}\nnaam: Gemeente\nversie: "1"\ngeldig_vanaf: "2025-01-01"\nbreidt_uit: test-basis\n'
        )
    pytester.makeini("[pytest]\nave_rules_paths = kaarten\n")

    strict = pytester.runpytest("-o", "ave_rules_strict=true", "-k", "analyse")
    strict.assert_outcomes(passed=2, failed=1)
    strict.stdout.fnmatch_lines(["FAILED kaarten/a-basis.yaml::analyse*"])

    relaxed = pytester.runpytest("-k", "analyse")
    relaxed.assert_outcomes(passed=3, warnings=1)  # the base's finding, once for three kaarten


def test_nothing_is_collected_without_opting_in(pytester: pytest.Pytester, repo: Path) -> None:
    (repo / "pyproject.toml").unlink()
    result = pytester.runpytest("regiekaarten")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result = pytester.runpytest("-o", "ave_rules_paths=regiekaarten", "regiekaarten")
    result.assert_outcomes(passed=len([item for item in ITEMS if item.startswith(KAART)]))


def test_this_projects_own_kaarten_are_not_collected() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "regiekaarten"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, result.stdout + result.stderr


def test_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, ave_rules.testing.pytest_plugin\n"
        "heavy = ('dd', 'durable', 'durable_rules_engine', 'pydantic', 'ave_rules.analysis', 'ave_rules.engine', 'ave_rules.kaart')\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.startswith(('dd.', 'durable.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
