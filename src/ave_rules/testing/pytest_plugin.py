"""pytest plugin: test a gemeente's own regiekaarten in its own repository and CI.

Registered through the ``pytest11`` entry point as ``ave_rules``; it does nothing until a
project opts in by naming its kaart directories in the ini option ``ave_rules_paths``::

    [tool.pytest.ini_options]
    ave_rules_paths = ["regiekaarten"]

Every ``.yaml``/``.yml`` file under those directories is then a kaart (as for
``ave-rules validate DIR``), collected as separate test items:

- ``validatie``: the kaart loads (:func:`ave_rules.load`); fails with every located problem;
- ``analyse``: :func:`ave_rules.check` finds no error (warnings are shown as pytest
  warnings, and fail the item too when ``ave_rules_strict = true``). A finding the kaart it
  extends has on its own (a bundled kaart the gemeente cannot change) is the base's: it never
  fails the extending kaart, and is shown once per run, as the base's;
- ``scenario[<id>]``: one per scenario in the kaart; fails with each difference, located at
  the line under ``verwacht`` where it is.

A file named ``<naam>.scenarios.yaml`` is a scenario file (see :func:`ave_rules.load_scenarios`):
its ``validatie`` item loads it and the kaart it names (looked up next to it, then in the
configured directories, then among the bundled kaarten), and each scenario is an item as above.

Failures are reported as ``file:line:column: message (path)`` lines in the library's language
(Dutch by default), never as Python tracebacks. Collection only reads the YAML to find the
scenarios; loading, analysis and scenarios run when the items run. This module imports nothing
heavy at import time (no ``ave_rules.analysis``, ``dd`` or ``durable``).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .._terms import KAART_SUFFIXES, SCENARIO_SUFFIXES
from ..errors import KaartTestFailure, KaartWarning, RegiekaartError

if TYPE_CHECKING:
    from ..analysis import Finding
    from ..engine import Locate
    from ..kaart import Regiekaart, Scenario


# --- configuration --------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "ave_rules_paths",
        type="paths",
        default=[],
        help="ave_rules: mappen (of bestanden) met regiekaarten om te testen, relatief aan het "
        "configuratiebestand; leeg (de standaard) = de plugin test niets",
    )
    parser.addini(
        "ave_rules_strict",
        type="bool",
        default=False,
        help="ave_rules: laat het item 'analyse' ook falen op waarschuwingen van ave-rules check",
    )
    parser.addini(
        "ave_rules_engine",
        default="auto",
        help="ave_rules: wat de scenario's beslist: auto (standaard), durable-rules of reference",
    )


def _roots(config: pytest.Config) -> list[Path]:
    return [Path(os.path.abspath(path)) for path in config.getini("ave_rules_paths")]


def pytest_report_header(config: pytest.Config) -> str | None:
    roots = _roots(config)
    if not roots:
        return None
    shown = ", ".join(_shown(root) for root in roots)
    strict = "ja" if config.getini("ave_rules_strict") else "nee"
    return f"ave_rules: regiekaarten in {shown} (strikt: {strict}, engine: {config.getini('ave_rules_engine')})"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> _DocumentFile | None:
    if file_path.suffix not in KAART_SUFFIXES:
        return None
    absolute = Path(os.path.abspath(file_path))
    if not any(absolute == root or root in absolute.parents for root in _roots(parent.config)):
        return None
    if file_path.name.endswith(SCENARIO_SUFFIXES):
        return ScenariosFile.from_parent(parent, path=file_path)
    return KaartFile.from_parent(parent, path=file_path)


def _shown(path: Path) -> str:
    """``path`` as the user reads and opens it: relative to the working directory when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


# --- collection -------------------------------------------------------------------------------


class _DocumentFile(pytest.File):
    """A kaart or scenario file; its items share one load of it."""

    noun = ""  # how a failure report names the file

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loaded: Subject | list[str] | None = None

    def _scenario_items(self) -> Iterator[pytest.Item]:
        seen: set[str] = set()
        for index, (scenario_id, line) in enumerate(self._scenarios()):
            name = scenario_id if scenario_id not in seen else f"{scenario_id}#{index}"
            seen.add(name)
            yield ScenarioItem.from_parent(self, name=f"scenario[{name}]", index=index, line=line)

    def _scenarios(self) -> list[tuple[str, int]]:
        """(id, 0-based line) of each scenario, read cheaply from the YAML; none if it cannot be read."""
        from ..kaart import decode, read_yaml

        try:
            raw = self.path.read_bytes()
        except OSError:
            return []
        text = decode(raw, str(self.path))
        if not isinstance(text, str):
            return []
        document = read_yaml(text, str(self.path))
        if isinstance(document, list) or not isinstance(document.data, dict):
            return []
        scenarios = document.data.get("scenarios")
        if not isinstance(scenarios, list):
            return []
        found = []
        for index, scenario in enumerate(scenarios):
            scenario_id = scenario.get("id") if isinstance(scenario, dict) else None
            name = scenario_id if isinstance(scenario_id, str) and scenario_id.strip() else str(index)
            found.append((name, document.source.value(("scenarios", index)).line - 1))
        return found

    def subject(self) -> Subject:
        """What the items test (loaded once for all of them), or KaartTestFailure with every load problem."""
        if self._loaded is None:
            try:
                self._loaded = self._load(str(self.config.getini("ave_rules_engine")) or "auto")
            except RegiekaartError as error:
                self._loaded = [str(problem) for problem in error.problems]
        if isinstance(self._loaded, list):
            raise KaartTestFailure(self._loaded)
        return self._loaded

    def _load(self, engine: str) -> Subject:
        raise NotImplementedError


class KaartFile(_DocumentFile):
    """One kaart file: validation, analysis and its own scenarios."""

    noun = "de kaart"

    def collect(self) -> Iterator[pytest.Item]:
        yield ValidationItem.from_parent(self, name="validatie")
        yield AnalysisItem.from_parent(self, name="analyse")
        yield from self._scenario_items()

    def _load(self, engine: str) -> Subject:
        from ..loading import load

        kaart = load(_shown(self.path), engine=engine)
        return Subject(kaart, kaart.scenarios, kaart.problem_at)


class ScenariosFile(_DocumentFile):
    """One scenario file: it and its kaart load, and each scenario holds."""

    noun = "het scenariobestand"

    def collect(self) -> Iterator[pytest.Item]:
        yield ValidationItem.from_parent(self, name="validatie")
        yield from self._scenario_items()

    def _load(self, engine: str) -> Subject:
        from ..loading import load_scenarios

        search = [_shown(root if root.is_dir() else root.parent) for root in _roots(self.config)]
        loaded = load_scenarios(_shown(self.path), search=search, engine=engine)
        return Subject(loaded.kaart, loaded.scenarios, loaded.source.problem)


@dataclass(frozen=True)
class Subject:
    """A loaded file as the items see it: the kaart that decides, the scenarios, where to locate."""

    kaart: Regiekaart
    scenarios: Sequence[Scenario]
    locate: Locate


class _KaartItem(pytest.Item):
    def document_file(self) -> _DocumentFile:
        assert isinstance(self.parent, _DocumentFile)  # noqa: S101 (always true: only a _DocumentFile makes these)
        return self.parent

    def subject_for_item(self) -> Subject:
        try:
            return self.document_file().subject()
        except KaartTestFailure as error:
            header = f"{self.document_file().noun} laadt niet, dus '{self.name}' kan niet worden uitgevoerd:"
            raise KaartTestFailure([header, *error.lines]) from None

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, KaartTestFailure):
            return "\n".join(excinfo.value.lines)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return self.path, 0, self.name


class ValidationItem(_KaartItem):
    """The file loads: YAML, schema, ``breidt_uit`` (or the kaart it names) and the meaning checks."""

    def runtest(self) -> None:
        self.document_file().subject()


class AnalysisItem(_KaartItem):
    """``ave_rules.check`` over every case; errors fail, warnings are pytest warnings."""

    def runtest(self) -> None:
        kaart = self.subject_for_item().kaart
        from ..analysis import check

        # Scenarios have items of their own; do not report a failing one twice.
        findings = [finding for finding in check(kaart).findings if finding.code != "scenario-wijkt-af"]
        inherited = _inherited(findings, str(self.path))
        strict = bool(self.config.getini("ave_rules_strict"))
        failing = [f for f in findings if _key(f) not in inherited and (f.severity == "fout" or strict)]
        shown = self.config.stash.setdefault(_SHOWN, set())
        for finding in findings:
            key = _key(finding)
            if finding in failing or key in shown:
                continue
            shown.add(key)
            text = _finding_text(finding) + (" [basiskaart]" if key in inherited else "")
            warnings.warn_explicit(text, KaartWarning, finding.problem.file, finding.problem.line)
        if failing:
            from .._messages import render

            lines: list[str] = []
            for finding in failing:
                lines.append(f"{finding.problem} [{render('cli-ernst-' + finding.severity, {})}]")
                for example in (finding.example, *finding.examples):
                    if example is not None:
                        feiten = json.dumps(example, ensure_ascii=False)
                        lines.append("  " + render("cli-voorbeeld", {"feiten": feiten}))
            errors = sum(1 for finding in failing if finding.severity == "fout")
            lines.append(f"{errors} fout(en), {len(failing) - errors} waarschuwing(en) die het item laten falen")
            raise KaartTestFailure(lines)


#: Findings of base kaarten already shown in this run, so that ten kaarten extending one base
#: show its findings once.
_SHOWN = pytest.StashKey[set[tuple[Any, ...]]]()


def _key(finding: Finding) -> tuple[Any, ...]:
    problem = finding.problem
    return (problem.code, finding.ids, os.path.abspath(problem.file), problem.line, problem.column)


def _inherited(findings: Sequence[Finding], own_file: str) -> set[tuple[Any, ...]]:
    """The keys of the findings located in another file (a base kaart) that the base kaart has
    on its own; a finding there that only the extension brings about (a base rule it overrides
    into silence) stays the extension's."""
    own = os.path.abspath(own_file)
    elsewhere = {os.path.abspath(f.problem.file) for f in findings} - {own}
    return {key for file in elsewhere for key in _findings_of(file)} & {_key(f) for f in findings}


#: A base's findings by file and content: checked once per process (checking takes seconds).
_BASE_FINDINGS: dict[tuple[str, str], frozenset[tuple[Any, ...]]] = {}


def _findings_of(file: str) -> frozenset[tuple[Any, ...]]:
    """The findings of the kaart in ``file`` on its own, as keys; none when it does not load."""
    from .. import loading
    from ..analysis import check

    try:
        base = loading.load(file)
    except (RegiekaartError, OSError):
        return frozenset()
    key = (file, base.content_hash)
    if key not in _BASE_FINDINGS:
        _BASE_FINDINGS[key] = frozenset(_key(f) for f in check(base).findings)
    return _BASE_FINDINGS[key]


def _finding_text(finding: Finding) -> str:
    where = f" ({finding.problem.path})" if finding.problem.path else ""
    return f"{finding.problem.message}{where}"


class ScenarioItem(_KaartItem):
    """One scenario: the kaart decides its case, and the outcome must be what ``verwacht`` says."""

    def __init__(self, *, index: int, line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.line = line

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return self.path, self.line, self.name

    def runtest(self) -> None:
        subject = self.subject_for_item()
        if self.index >= len(subject.scenarios):  # the file changed after collection
            raise KaartTestFailure(
                [f"{_shown(self.path)}: scenario {self.index + 1} bestaat niet meer; verzamel opnieuw"]
            )
        from ..engine import mismatch_problems, run_scenario

        result = run_scenario(subject.kaart, self.index, scenarios=subject.scenarios)
        if result.passed:
            return
        fired = ", ".join(entry.rule for entry in result.decision.trace) or "geen"
        given = json.dumps(dict(result.scenario.facts), ensure_ascii=False, default=_jsonable)
        raise KaartTestFailure(
            [
                *(str(problem) for problem in mismatch_problems(result, subject.locate)),
                f"  omschrijving: {result.scenario.description}",
                f"  feiten: {given}",
                f"  regels die vuurden: {fired}",
            ]
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(value)
    return str(value)
