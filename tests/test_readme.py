"""README.md opens with two commands that work as written; .ci/run runs the second one."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from ave_rules.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_opens_with_install_and_test_commands() -> None:
    install_and_run, install_and_test = COMMANDS[:2]
    assert install_and_run.startswith("python -m pip install . && ave-rules ")
    assert install_and_test == 'python -m pip install -e ".[test]" && python -m pytest'


def test_ci_runs_the_readme_test_command() -> None:
    assert COMMANDS[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_main_command_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    command = COMMANDS[0].split(" && ", 1)[1]
    arguments = shlex.split(command)
    assert arguments[0] == "ave-rules"
    assert main(arguments[1:]) == 0
    assert "Niveau 3a" in capsys.readouterr().out
