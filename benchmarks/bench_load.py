#!/usr/bin/env python3
"""How long loading a kaart takes, warm and in a fresh process, with other files beside it, and
how long ``ave-rules`` takes to start as a whole process (as pre-commit hooks and CI run it).

Rows:

* **bundled kaarten**: each bundled kaart loaded with ``ave_rules.load`` (default engine) in a
  fresh process: *first* is ``import ave_rules`` plus the first load, timed inside the process;
  *warm* is the median of the loads after it in the same process; *process* is the wall time of
  ``python -c "import ave_rules; ave_rules.load(...)"``, Python's start included;
* **beside other files**: ``fryslan.yaml`` copied into a temporary directory with 0, 10 and 100
  other kaarten (copies of the bundled ones under other ids, one in five broken in a way drawn
  with a fixed seed: bad YAML, a schema error, not a mapping, cut short), loaded the same way;
* **command line**: ``ave-rules --version``, ``ave-rules validate`` of one kaart and ``ave-rules
  check`` of the generic kaart, each as a whole process.

Every process row is the median of --repeat runs (min-max beside it), after one unmeasured run
that also writes the bytecode of ave_rules as an installed package has it (the children run
without ``PYTHONDONTWRITEBYTECODE``; otherwise every process would compile the package from
source). The targets of issue 18 are printed after the tables.

Usage:
  python benchmarks/bench_load.py
  python benchmarks/bench_load.py --repeat 9 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KAARTEN = ROOT / "regiekaarten"
SEED = 20261203
WARM_LOADS = 21
NEIGHBOURS = (0, 10, 100)
BROKEN_KINDS = ("yaml", "schema", "not-a-mapping", "cut-short")


def child_load(path: str) -> dict[str, Any]:
    """In a fresh process: import and first load, then WARM_LOADS loads of the same file (ms)."""
    start = time.perf_counter()
    import ave_rules

    ave_rules.load(path)
    first = (time.perf_counter() - start) * 1000
    warm = []
    for _ in range(WARM_LOADS):
        before = time.perf_counter()
        ave_rules.load(path)
        warm.append((time.perf_counter() - before) * 1000)
    return {"first_ms": first, "warm_ms": statistics.median(warm)}


def _run(command: list[str], timeout: float = 300) -> tuple[float, str]:
    """Wall time in ms of ``command`` as a process, and its last line of output."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    before = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, env=environment)
    wall = (time.perf_counter() - before) * 1000
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command}: {done.returncode}: {(done.stderr or done.stdout)[-400:]}")
    lines = done.stdout.strip().splitlines()
    return wall, lines[-1] if lines else ""


def load_rows(path: Path, repeat: int) -> dict[str, Any]:
    """``repeat`` fresh processes loading ``path``: first, warm and process medians (ms)."""
    first, warm, process = [], [], []
    script = f"import ave_rules; ave_rules.load({str(path)!r})"
    _run([sys.executable, "-c", script])  # unmeasured: bytecode written, files in the page cache
    for _ in range(repeat):
        figures = json.loads(_run([sys.executable, str(Path(__file__).resolve()), "--child", str(path)])[1])
        first.append(figures["first_ms"])
        warm.append(figures["warm_ms"])
        process.append(_run([sys.executable, "-c", script])[0])
    return {"first": _spread(first), "warm": _spread(warm), "process": _spread(process)}


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1), "max": round(max(values), 1)}


def neighbour_dir(directory: Path, count: int, rng: random.Random) -> Path:
    """``fryslan.yaml`` with ``count`` other kaarten beside it, one in five broken; the kaart's path."""
    directory.mkdir()
    templates = [path.read_text(encoding="utf-8") for path in sorted(KAARTEN.glob("*.yaml"))]
    for number in range(count):
        template = rng.choice(templates)
        own_id = next(line for line in template.splitlines() if line.startswith("id: "))
        text = template.replace(own_id, f"id: ander-{number:03d}", 1)
        if number % 5 == 4:
            kind = rng.choice(BROKEN_KINDS)
            if kind == "yaml":
                text = text.replace("\nnaam:", "\nnaam: [open", 1)
            elif kind == "schema":
                text = text.replace("formaat: 1", "formaat: 2", 1)
            elif kind == "not-a-mapping":
                text = "- " + text.replace("\n", "\n  ")
            else:
                text = text[: len(text) // 2]
        (directory / f"ander-{number:03d}.yaml").write_text(text, encoding="utf-8")
    return Path(shutil.copy(KAARTEN / "fryslan.yaml", directory / "fryslan.yaml"))


def command_line(repeat: int) -> dict[str, dict[str, float]]:
    script = Path(sys.executable).with_name("ave-rules")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "ave_rules"]
    commands = {
        "ave-rules --version": [*base, "--version"],
        "ave-rules validate fryslan.yaml": [*base, "validate", str(KAARTEN / "fryslan.yaml")],
        "ave-rules validate ave-generiek.yaml": [*base, "validate", str(KAARTEN / "ave-generiek.yaml")],
        "ave-rules check ave-generiek.yaml": [*base, "check", str(KAARTEN / "ave-generiek.yaml")],
        "python -c 'import ave_rules.loading'": [sys.executable, "-c", "import ave_rules.loading"],
    }
    rows = {}
    for name, command in commands.items():
        _run(command)  # unmeasured: the files are in the page cache, as in a hook's second run
        rows[name] = _spread([_run(command)[0] for _ in range(repeat)])
    return rows


def _targets(figures: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    kaarten, beside, cli = figures["kaarten"], figures["beside"], figures["command_line"]
    warm = max(row["warm"]["median"] for row in kaarten.values())
    first = max(row["first"]["median"] for row in kaarten.values())
    alone, crowded = beside["0"], beside[str(NEIGHBOURS[-1])]
    warm_growth = crowded["warm"]["median"] - alone["warm"]["median"]
    first_growth = crowded["first"]["median"] - alone["first"]["median"]
    version = cli["ave-rules --version"]["median"]
    validate = max(row["median"] for name, row in cli.items() if "validate" in name)
    return [
        ("warm load, slowest bundled kaart", f"{warm:.1f} ms", "under 30 ms", warm < 30),
        ("first load in a fresh process (import included), slowest", f"{first:.0f} ms", "under 250 ms", first < 250),
        (
            f"load with {NEIGHBOURS[-1]} other kaarten beside it, minus alone (warm; first)",
            f"{warm_growth:+.1f} ms; {first_growth:+.0f} ms",
            "independent",
            abs(warm_growth) < 5 and abs(first_growth) < 50,
        ),
        ("ave-rules --version, whole process", f"{version:.0f} ms", "under 150 ms", version < 150),
        (
            "ave-rules validate of one kaart, whole process, slowest",
            f"{validate:.0f} ms",
            "under 500 ms",
            validate < 500,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="processes per row (median and min-max)")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # child mode: load this file
    parser.add_argument("--json", help="also write the raw figures to this file")
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child_load(arguments.child)))
        return

    figures: dict[str, Any] = {"kaarten": {}, "beside": {}}
    for path in sorted(KAARTEN.glob("*.yaml")):
        figures["kaarten"][path.name] = load_rows(path, arguments.repeat)
    rng = random.Random(SEED)  # noqa: S311 - reproducible neighbours
    with tempfile.TemporaryDirectory() as temporary:
        for count in NEIGHBOURS:
            path = neighbour_dir(Path(temporary) / f"naast-{count}", count, rng)
            figures["beside"][str(count)] = load_rows(path, arguments.repeat)
    figures["command_line"] = command_line(arguments.repeat)

    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.platform()}; {arguments.repeat} processes per row, median (min-max), ms\n"
    )
    print("| kaart | first load (import included) | warm load | process |")
    print("|---|---|---|---|")
    for name, row in [
        *figures["kaarten"].items(),
        *((f"fryslan.yaml + {n} others", r) for n, r in figures["beside"].items()),
    ]:
        print(f"| {name} | {_shown(row['first'])} | {_shown(row['warm'])} | {_shown(row['process'])} |")
    print("\n| command | process |")
    print("|---|---|")
    for name, spread in figures["command_line"].items():
        print(f"| `{name}` | {_shown(spread)} |")
    print("\n| target | measured | required | met |")
    print("|---|---|---|---|")
    for name, measured, required, met in _targets(figures):
        print(f"| {name} | {measured} | {required} | {'yes' if met else 'NO'} |")
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")


def _shown(spread: dict[str, float]) -> str:
    return f"{spread['median']} ({spread['min']}-{spread['max']})"


if __name__ == "__main__":
    main()
