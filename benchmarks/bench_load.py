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

* **breakdown**: where a first load of ``fryslan.yaml`` goes, by ``python -X importtime`` in
  fresh processes (the median of --repeat; importtime itself adds a little to the import):
  Python's start and exit, pydantic, the kaart's models
  (building its classes), PyYAML, jsonschema (imported only for a kaart with problems),
  the rest of the import, and the first load itself;
* **before and after** (``--before REV``): the first load of each bundled kaart with the
  library as it was at git revision REV (exported to a temporary directory and put first on
  ``PYTHONPATH``) and as it is, the two alternating process by process, so that the machine's
  load falls on both alike;
* **instructions** (``--instructions``, needs valgrind): the instructions a fresh process runs,
  counted by callgrind, which a busy machine does not change: Python's start, the dependencies a
  load cannot do without (pydantic's models, PyYAML, and ``importlib.metadata``, which pydantic's
  plugin loader imports when it builds the first validator), ``import ave_rules.loading``, and
  that import with a first load of ``fryslan.yaml``; with ``--before``, also at REV.

Usage:
  python benchmarks/bench_load.py
  python benchmarks/bench_load.py --repeat 9 --json out.json
  python benchmarks/bench_load.py --before a2a298b
  python benchmarks/bench_load.py --before a2a298b --instructions
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
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


def _run(command: list[str], timeout: float = 300, source: Path | None = None) -> tuple[float, str]:
    """Wall time in ms of ``command`` as a process, and its last line of output; with ``source``,
    the library is imported from that ``src`` directory."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if source is not None:
        environment["PYTHONPATH"] = str(source)
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


def first_loads(path: Path, repeat: int, sources: dict[str, Path | None]) -> dict[str, dict[str, float]]:
    """The first load of ``path`` in fresh processes with each of ``sources``, alternating."""
    child = [sys.executable, str(Path(__file__).resolve()), "--child", str(path)]
    firsts: dict[str, list[float]] = {name: [] for name in sources}
    for source in sources.values():
        _run(child, source=source)  # unmeasured: bytecode written
    for _ in range(repeat):
        for name, source in sources.items():
            firsts[name].append(json.loads(_run(child, source=source)[1])["first_ms"])
    return {name: _spread(values) for name, values in firsts.items()}


#: The parts of a first load that -X importtime tells apart: module and whether its own time
#: (the classes it builds) or its whole import counts.
PARTS = {
    "pydantic (import)": ("pydantic", "cumulative"),
    "the kaart's models (creating their classes)": ("ave_rules.kaart._model", "self"),
    "PyYAML": ("yaml", "cumulative"),
    "jsonschema": ("jsonschema", "cumulative"),
}


def breakdown(path: Path, repeat: int) -> dict[str, float]:
    """Medians in ms of the parts of a first load of ``path`` in a fresh process (``PARTS``)."""
    script = (
        "import time; start = time.perf_counter(); import ave_rules.loading; imported = time.perf_counter(); "
        f"ave_rules.load({str(path)!r}); "
        "print(imported - start, time.perf_counter() - imported)"
    )
    parts: dict[str, list[float]] = {name: [] for name in ("Python's start and exit", *PARTS, "the rest of the import")}
    parts["the first load after the import"] = []
    for run in range(repeat + 1):
        environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", script],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
            env=environment,
        )
        wall = (time.perf_counter() - started) * 1000
        imported, loaded = (float(value) * 1000 for value in done.stdout.split())
        own: dict[str, float] = {}
        whole: dict[str, float] = {}
        for line in done.stderr.splitlines():
            fields = line.split("|")
            if len(fields) == 3 and fields[0].startswith("import time:") and fields[1].strip().isdigit():
                module = fields[2].strip()
                own.setdefault(module, int(fields[0].split(":")[1]) / 1000)
                whole.setdefault(module, int(fields[1]) / 1000)
        measured = {name: (own if kind == "self" else whole).get(module, 0.0) for name, (module, kind) in PARTS.items()}
        if run == 0:
            continue  # unmeasured: bytecode written
        parts["Python's start and exit"].append(wall - imported - loaded)
        for name, value in measured.items():
            parts[name].append(value)
        parts["the rest of the import"].append(imported - sum(measured.values()))
        parts["the first load after the import"].append(loaded)
    return {name: round(statistics.median(values), 1) for name, values in parts.items()}


#: What a fresh process runs for the instruction counts, each step including the ones before it.
STEPS = {
    "Python's start": "pass",
    "the dependencies": "import pydantic.main, yaml, importlib.metadata",
    "import ave_rules.loading": "import ave_rules.loading",
    "that import and a first load of fryslan.yaml": (
        f"import ave_rules.loading; ave_rules.loading.load({str(KAARTEN / 'fryslan.yaml')!r})"
    ),
}


def instructions(sources: dict[str, Path | None]) -> dict[str, dict[str, int]]:
    """Per source: the instructions (millions) of a fresh process for each of STEPS (callgrind)."""
    counts: dict[str, dict[str, int]] = {}
    for name, source in sources.items():
        counts[name] = {}
        for step, script in STEPS.items():
            _run([sys.executable, "-c", script], source=source)  # unmeasured: bytecode written
            with tempfile.TemporaryDirectory() as temporary:
                out = Path(temporary) / "callgrind.out"
                command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", script]
                _run(command, timeout=600, source=source)
                totals = next(line for line in out.read_text().splitlines() if line.startswith("totals:"))
                counts[name][step] = round(int(totals.split()[1]) / 1e6)
    return counts


def _exported(revision: str, directory: Path) -> Path:
    """The library's ``src`` at git ``revision``, with the bundled kaarten beside it."""
    git = shutil.which("git")
    if git is None:
        raise SystemExit("--before needs git")
    archive = subprocess.run([git, "-C", str(ROOT), "archive", revision], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(directory, filter="data")
    return directory / "src"


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
    parser.add_argument("--before", help="also the first loads at this git revision, interleaved with now")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child_load(arguments.child)))
        return

    figures: dict[str, Any] = {"kaarten": {}, "beside": {}}
    if arguments.before:
        with tempfile.TemporaryDirectory() as temporary:
            old = _exported(arguments.before, Path(temporary))
            sources: dict[str, Path | None] = {"before": old, "after": None}
            figures["before_after"] = {
                path.name: first_loads(path, arguments.repeat, sources) for path in sorted(KAARTEN.glob("*.yaml"))
            }
    if arguments.instructions:
        with tempfile.TemporaryDirectory() as temporary:
            counted: dict[str, Path | None] = {"now": None}
            if arguments.before:
                counted = {"before": _exported(arguments.before, Path(temporary)), **counted}
            figures["instructions"] = instructions(counted)
    figures["breakdown"] = breakdown(KAARTEN / "fryslan.yaml", arguments.repeat)
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
    print(f"\n| part of a first load of fryslan.yaml (median of {arguments.repeat}, -X importtime) | ms |")
    print("|---|---|")
    for name, value in figures["breakdown"].items():
        print(f"| {name} | {value} |")
    if "before_after" in figures:
        print(f"\n| kaart: first load, {arguments.before} | now | now / before (medians) |")
        print("|---|---|---|")
        for name, row in figures["before_after"].items():
            ratio = row["after"]["median"] / row["before"]["median"]
            print(f"| {name} | {_shown(row['before'])} | {_shown(row['after'])} | {ratio:.2f} |")
    if "instructions" in figures:
        columns = list(figures["instructions"])
        print(f"\n| a fresh process runs (millions of instructions) | {' | '.join(columns)} |")
        print("|---" * (len(columns) + 1) + "|")
        for step in STEPS:
            print(f"| {step} | {' | '.join(str(figures['instructions'][c][step]) for c in columns)} |")
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
