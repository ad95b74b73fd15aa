"""What ``ave-rules`` imports before it does its work: pre-commit hooks and CI start it for every
run, so a command imports only what it needs (the times are in benchmarks/bench_load.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GENERIC = Path(__file__).resolve().parents[1] / "regiekaarten" / "ave-generiek.yaml"


def _modules_after(*arguments: str) -> dict[str, object]:
    """Which modules a fresh process holds after ``ave-rules <arguments>``."""
    script = (
        "import io, json, sys, contextlib\n"
        "from ave_rules.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({list(arguments)!r})\n"
        "dd_utils = sys.modules.get('dd._utils')\n"
        "print(json.dumps({'code': code, 'modules': sorted(sys.modules),"
        " 'nx': None if dd_utils is None else repr(getattr(dd_utils, '_nx', None))}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_version_imports_neither_the_model_nor_the_schema_validator() -> None:
    found = _modules_after("--version")
    modules = set(found["modules"])  # type: ignore[call-overload]
    assert found["code"] == 0
    assert not {"pydantic", "jsonschema", "yaml", "ave_rules.kaart", "ave_rules.engine"} & modules


def test_check_does_not_import_networkx() -> None:
    found = _modules_after("check", str(GENERIC))
    modules = set(found["modules"])  # type: ignore[call-overload]
    assert found["code"] in (0, 1)
    assert "dd" in modules, "check decides with dd"
    assert "networkx" not in modules
    assert found["nx"] == "None"  # dd took networkx as not installed
