"""docs/tutorial.md works as written: its steps, run in order in an empty directory, end with a
valid kaart and a rendered HTML page.

The tutorial is the only copy of its steps. This test reads them from it:

* every line of a ```sh block is a command, run verbatim by the shell, with the ``ave-rules`` of
  this Python environment first on PATH (``python -m pip install`` lines are skipped: the test
  environment is installed already);
* a ```text block after ``<!-- uitvoer -->`` is what the command before it prints (the version
  ``2026.1`` stands for this year's, ``.../ave_rules/regiekaarten/`` for where the bundled
  kaarten are installed, and ``durable-rules`` may have been the reference evaluator);
* a block after ``<!-- vervang in: FILE -->`` is text the reader finds in FILE, and the block after
  the next ``<!-- door -->`` what it is replaced by; ``<!-- voeg toe aan: FILE -->`` appends a
  block to FILE, and ``<!-- nieuw bestand: FILE -->`` creates FILE with the block.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import ave_rules
from ave_rules.engine import scenario_failures as scenario_problems
from ave_rules.loading import bundled_dir

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
KAART = "regiekaarten/voorbeeldstad.yaml"
PAGE = "voorbeeldstad.html"
SHOWN_VERSION = "versie 2026.1"
SHOWN_BUNDLED = ".../ave_rules/regiekaarten/"
SHOWN_ENGINE = "besloten door: durable-rules"
SKIPPED = ("python -m pip install",)
MARKER = re.compile(r"<!-- (uitvoer|vervang in|door|voeg toe aan|nieuw bestand)(?:: (\S+))? -->")


@dataclass(frozen=True)
class Step:
    kind: str  # "run", "output", "replace", "append" or "create"
    text: str  # the command, the expected output, the new text or the file's content
    line: int  # where the block starts in the tutorial (1-based)
    file: str = ""
    old: str = ""


def steps(markdown: str) -> list[Step]:
    """The tutorial's steps, in order."""
    found: list[Step] = []
    lines = markdown.split("\n")
    marker: tuple[str, str] | None = None
    pending: tuple[str, str] | None = None  # (file, old text) of a 'vervang in' waiting for its 'door'
    index = 0
    while index < len(lines):
        line = lines[index]
        matched = MARKER.fullmatch(line.strip())
        if matched:
            marker = (matched.group(1), matched.group(2) or "")
            index += 1
            continue
        opening = re.fullmatch(r"```(\S*)", line)
        if not opening:
            if line.strip():
                marker = None  # a marker applies only to the block right after it
            index += 1
            continue
        start = index + 1
        body: list[str] = []
        index += 1
        while lines[index] != "```":
            body.append(lines[index])
            index += 1
        index += 1
        text = "\n".join(body) + "\n"
        kind = marker[0] if marker else None
        if opening.group(1) == "sh":
            assert kind is None, f"line {start}: a command block takes no marker"
            found += [Step("run", command, start) for command in body if command.strip()]
        elif kind == "uitvoer":
            found.append(Step("output", text, start))
        elif kind == "vervang in":
            assert marker is not None
            pending = (marker[1], text)
        elif kind == "door":
            assert pending is not None, f"line {start}: 'door' without 'vervang in' before it"
            found.append(Step("replace", text, start, file=pending[0], old=pending[1]))
            pending = None
        elif kind == "voeg toe aan":
            assert marker is not None
            found.append(Step("append", text, start, file=marker[1]))
        elif kind == "nieuw bestand":
            assert marker is not None
            found.append(Step("create", text, start, file=marker[1]))
        marker = None
    assert pending is None, "a 'vervang in' block has no 'door' block after it"
    return found


@pytest.fixture(scope="module")
def tutorial_steps() -> list[Step]:
    return steps(TUTORIAL.read_text(encoding="utf-8"))


def _command_directory() -> Path:
    """The directory with this environment's ``ave-rules`` script."""
    beside_python = shutil.which("ave-rules", path=str(Path(sys.executable).parent))
    found = beside_python or shutil.which("ave-rules")
    assert found, "the ave-rules command is not installed in this environment"
    return Path(found).parent


def _shown(output: str) -> str:
    """Output as the tutorial shows it: this year's version as 2026.1, the bundled kaarten's path abbreviated."""
    output = output.replace(f"versie {datetime.date.today().year}.1", SHOWN_VERSION)
    output = output.replace("besloten door: reference", SHOWN_ENGINE)  # where durable-rules cannot run
    return output.replace(str(bundled_dir()) + os.sep, SHOWN_BUNDLED)


def test_the_tutorial_has_every_step_of_the_journey(tutorial_steps: list[Step]) -> None:
    commands = [step.text.split()[:2] for step in tutorial_steps if step.kind == "run"]
    for command in ("new", "validate", "check", "evaluate", "render"):
        assert ["ave-rules", command] in commands, command
    kinds = [step.kind for step in tutorial_steps]
    assert kinds.count("replace") == 1 and kinds.count("append") == 2 and kinds.count("create") == 2
    assert ["ave-rules", "evaluate"] in commands and any("--peildatum" in step.text for step in tutorial_steps)
    assert kinds.count("output") >= 3


@pytest.mark.skipif(sys.platform == "win32", reason="the tutorial's commands are written for a POSIX shell")
def test_the_tutorial_runs_as_written(tutorial_steps: list[Step], tmp_path: Path) -> None:
    environment = dict(os.environ)
    environment.pop("AVE_RULES_LANG", None)  # the tutorial shows Dutch output
    environment["PATH"] = os.pathsep.join([str(_command_directory()), environment.get("PATH", "")])
    last = ""
    for step in tutorial_steps:
        where = f"docs/tutorial.md line {step.line}"
        if step.kind == "run":
            if step.text.startswith(SKIPPED):
                continue
            result = subprocess.run(  # noqa: S602 - the tutorial's own commands, verbatim
                step.text, shell=True, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 0, f"{where}: {step.text}\n{result.stdout}{result.stderr}"
            last = result.stdout
        elif step.kind == "output":
            assert _shown(last) == step.text, f"{where}: the output differs from the tutorial"
        elif step.kind == "replace":
            path = tmp_path / step.file
            text = path.read_text(encoding="utf-8")
            assert text.count(step.old) == 1, f"{where}: the text to replace is not in {step.file} once"
            path.write_text(text.replace(step.old, step.text), encoding="utf-8")
        elif step.kind == "append":
            path = tmp_path / step.file
            path.write_text(path.read_text(encoding="utf-8") + step.text, encoding="utf-8")
        else:
            (tmp_path / step.file).write_text(step.text, encoding="utf-8")

    kaart = ave_rules.load(tmp_path / KAART, engine="reference")
    assert scenario_problems(kaart) == []
    assert [scenario.id for scenario in kaart.scenarios] == ["voorbeeld-uit-basiskaart", "complex-naar-veiligheidsteam"]
    assert kaart.level_by_id["3a"].roles.procesregie == ("veiligheidsteam",)
    page = (tmp_path / PAGE).read_text(encoding="utf-8")
    assert "<html" in page.lower()
    assert "Veiligheidsteam Voorbeeldstad" in page
