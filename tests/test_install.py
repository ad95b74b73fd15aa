"""The install commands in the documentation work on a fresh machine as written.

ave-rules is not on PyPI: every ``pip install`` in the docs installs it from its source, the
directory ``ave_rules``. The tutorial's command is run as written in a fresh virtual environment,
in a directory where ``ave_rules`` is this project.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import ave_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md", *sorted((ROOT / "examples").rglob("*.md"))]
PIP_INSTALL = re.compile(r"pip install (?P<what>.*)$", re.MULTILINE)


def test_no_document_installs_ave_rules_from_an_index_it_is_not_on() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in DOCS
        for match in PIP_INSTALL.finditer(path.read_text(encoding="utf-8"))
        if any(re.fullmatch(r"ave-rules([\[=<>~].*)?", token.strip("\"'")) for token in _arguments(match.group("what")))
    ]
    assert found == []


def _arguments(command: str) -> list[str]:
    """What pip is asked to install: the words up to a comment or the next command."""
    return re.split(r"\s+#|&&|;", command)[0].split()


def test_the_tutorials_install_step_works_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    step = tutorial.split("## 1. ", 1)[1].split("\n## ", 1)[0]
    (command,) = re.findall(r"```sh\n(.*?)\n```", step, re.DOTALL)
    assert command == "python -m pip install ./ave_rules"
    (tmp_path / "ave_rules").symlink_to(ROOT, target_is_directory=True)
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=300)
    bin_dir = tmp_path / "venv" / "bin"
    environment = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("PYTHONPATH", None)
    installed = subprocess.run(  # noqa: S602 - the tutorial's own command, verbatim
        command, shell=True, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=900, check=False
    )
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    version = subprocess.run(
        [str(bin_dir / "ave-rules"), "--version"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert version.returncode == 0 and ave_rules.__version__ in version.stdout, version.stderr
    assert Path(
        subprocess.run(
            [str(bin_dir / "python"), "-c", "import ave_rules; print(ave_rules.__file__)"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout.strip()
    ).is_relative_to(tmp_path / "venv")  # the fresh environment's, not this one's
