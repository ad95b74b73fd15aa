"""What a file, a case or a name holds never reaches a terminal as a control character, and Ctrl-C
ends a command quietly (issue 12: E and the interrupted commands)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules._messages import CONTROL, printable, printable_text
from ave_rules.cli import main

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"
GENERIC_TEXT = GENERIC.read_text(encoding="utf-8")
LINES = GENERIC_TEXT.split("\n")


def _one_line_scalars() -> list[tuple[int, int, int]]:
    """(line, start column, end column) of every key and value written on one line in the generic
    kaart: where a quoted text with an escape can stand instead."""
    found = []
    nodes = [yaml.compose(GENERIC_TEXT)]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.start_mark.line == node.end_mark.line and node.style in (None, "'", '"'):
                found.append((node.start_mark.line, node.start_mark.column, node.end_mark.column))
        elif isinstance(node, yaml.MappingNode):
            nodes.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
    return sorted(found)


SCALARS = _one_line_scalars()
CONTROLS = [chr(code) for code in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
HOSTILE = "x\x1b[2J\x1b]0;PWND\x07\u202e\x9b"


def run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def controls_in(text: str) -> list[str]:
    """The control characters in a command's output, but for its line breaks."""
    return [character for character in CONTROL.findall(text) if character != "\n"]


def test_printable_escapes_every_control_character_and_nothing_else() -> None:
    for character in CONTROLS:
        assert controls_in(printable(character)) == []
        assert printable(character) != character
    assert (
        printable("Zorg- en Veiligheidshuis: één ‘regel’ → niveau 3a")
        == "Zorg- en Veiligheidshuis: één ‘regel’ → niveau 3a"
    )
    assert printable_text("twee\nregels\tmet tab") == "twee\nregels\tmet tab"
    assert json.loads(f'"{printable(chr(0x9B) + chr(0x202E))}"') == chr(0x9B) + chr(0x202E)


@settings(max_examples=60, deadline=None)
@given(
    scalar=st.sampled_from(SCALARS),
    character=st.sampled_from([c for c in CONTROLS if c not in "\t\n"]),  # a text may hold a tab or line break
    output=st.sampled_from(["text", "json", "github"]),
)
def test_a_control_character_in_a_kaart_is_refused_and_never_printed(
    tmp_path_factory: pytest.TempPathFactory, scalar: tuple[int, int, int], character: str, output: str
) -> None:
    line, start, end = scalar
    escaped = json.dumps(f"a{character}b")  # a double-quoted YAML text with the character as an escape
    lines = list(LINES)
    lines[line] = lines[line][:start] + escaped + lines[line][end:]
    path = tmp_path_factory.mktemp("kaart") / "kaart.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run("validate", "--format", output, path)
    assert code == 1
    assert controls_in(out + err) == [], (out + err)[-500:]
    if output == "json":
        assert json.loads(out)["valid"] is False


def test_the_escape_in_the_issue_is_refused_where_it_stands(tmp_path: Path) -> None:
    path = tmp_path / "kaart.yaml"
    path.write_text(GENERIC_TEXT + json.dumps(HOSTILE) + ": 1\n", encoding="utf-8")
    code, out, err = run("validate", path)
    assert code == 1
    assert f"kaart.yaml:{len(LINES)}:1: " in out
    assert "stuurteken U+001B" in out
    assert controls_in(out + err) == []


def test_a_file_name_with_control_characters_is_printed_escaped(tmp_path: Path) -> None:
    path = tmp_path / f"kaart{HOSTILE}.yaml"
    path.write_text("formaat: 1\n", encoding="utf-8")
    for output in ("text", "github", "json"):
        code, out, err = run("validate", "--format", output, path)
        assert code == 1
        assert controls_in(out + err) == []
        assert "\\x1b[2J" in out or "\\u001b[2J" in out


def test_names_and_facts_from_the_command_line_are_printed_escaped(tmp_path: Path) -> None:
    facts = tmp_path / f"feiten{HOSTILE}.json"
    facts.write_text(json.dumps({"hulpvraag": "ja"}), encoding="utf-8")
    code, out, err = run("evaluate", GENERIC, "--facts", facts)
    assert code == 1
    assert controls_in(out + err) == []
    code, _, err = run("new", "--extends", "ave-generiek", "--gemeente", HOSTILE)
    assert code == 1
    assert controls_in(err) == []


def test_a_problem_prints_escaped_outside_the_command_too() -> None:
    with pytest.raises(ave_rules.RegiekaartError) as raised:
        ave_rules.loads(GENERIC_TEXT + json.dumps(HOSTILE) + ": 1\n", f"naam{HOSTILE}.yaml")
    shown = str(raised.value)
    assert controls_in(shown) == []
    assert all(problem.file == f"naam{HOSTILE}.yaml" for problem in raised.value.problems)  # the data is kept


# --- Ctrl-C ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("casussen") / "casussen.jsonl"
    risks = ["geen", "zorgen", "multiprobleem", "structureel", "acuut"]
    unrest = ["geen", "dreigend", "manifest"]
    lines = [
        json.dumps(
            {"hulpvraag": bool(i % 2), "veiligheidsrisico": risks[i % 5], "maatschappelijke_onrust": unrest[i % 3]}
        )
        for i in range(3_000)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["simulate", "render", "explain"])
def test_ctrl_c_ends_a_command_quietly_with_130(command: str, cases: Path, tmp_path: Path) -> None:
    # A subprocess is the point: the signal arrives while the command runs, at several moments.
    arguments = {
        "simulate": ["simulate", str(GENERIC), "--cases", str(cases), "--engine", "reference", "--beslisser", "engine"],
        "render": ["render", str(GENERIC)],
        "explain": ["explain", str(GENERIC), "--facts", str(ROOT / "docs" / "voorbeelden" / "casus.json")],
    }[command]
    # The command's entry point, once the interpreter has started and imported the package: a
    # signal before that meets Python's own start-up, not the command (on a busy machine, that
    # can take longer than the shortest delay below).
    script = (
        "import sys\nfrom ave_rules.__main__ import run\n"
        f"sys.argv = ['ave-rules', *{arguments!r}]\nprint('ready', flush=True)\nrun()\n"
    )
    interrupted = 0
    for delay in (0.1, 0.4, 0.8):
        process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "AVE_RULES_LANG": "nl"},
        )
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        time.sleep(delay)  # the command runs
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err, err
        if process.returncode == 130:
            interrupted += 1
            assert err.strip().splitlines() == ["ave-rules: onderbroken"], err
        else:
            assert process.returncode == 0, err  # finished before the signal came
    assert interrupted, "no run was interrupted; make the command take longer"


@pytest.mark.parametrize(
    ("language", "said"), [([], "ave-rules: onderbroken"), (["--lang", "en"], "ave-rules: interrupted")]
)
def test_ctrl_c_while_the_command_still_imports_says_the_same_line(language: list[str], said: str) -> None:
    script = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'cli':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        f"sys.argv = ['ave-rules', *{language!r}, 'validate', 'x.yaml']\n"
        "from ave_rules.__main__ import run\n"
        "run()\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "AVE_RULES_LANG"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=60)
    assert result.returncode == 130 and result.stderr.strip().splitlines() == [said], result.stderr
