#!/usr/bin/env python3
"""How long ``ave-rules simulate`` takes on a large case file, and how much memory, next to what
an analyst would write instead: the same policy as a vectorised DuckDB query over the same file.

Files (CSV over the generic kaart's facts, generated with a fixed seed, kept in --dir and reused):

* realistic: N rows of which about 20% are distinct cases, the others repeating them (a few
  profiles very often, most rarely), as in a real case load;
* distinct: N rows, every one a different case.

Each run is a child process (``python -m ave_rules simulate ... --format json``, and the DuckDB
query in this script run as a child), timed by wall clock, with its peak resident memory from
GNU time (``/usr/bin/time``). The DuckDB query's cases per level must equal ave_rules' (the run fails otherwise).

Usage:
  python benchmarks/bench_simulate.py                      # 1,000,000 rows, both files
  python benchmarks/bench_simulate.py --rows 100000 --kind realistic
  python benchmarks/bench_simulate.py --rows 100000 --beslisser engine
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"
SEED = 20261203
DISTINCT_SHARE = 0.2
TIME = "/usr/bin/time"  # GNU time (Debian: apt-get install time)


# --- the files ----------------------------------------------------------------------------------
def _facts() -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, kind, values) of the generic kaart's facts, read from the kaart."""
    import ave_rules
    from ave_rules.kaart import BooleanFact, SetFact, fact_values

    kaart = ave_rules.load(GENERIC)
    facts = []
    for fact in kaart.facts:
        kind = "bool" if isinstance(fact, BooleanFact) else "set" if isinstance(fact, SetFact) else "one"
        values = () if kind == "bool" else tuple(str(value) for value in fact_values(fact, kaart.level_ids))
        facts.append((fact.id, kind, values))
    return facts


def _row(rng: random.Random, facts: list[tuple[str, str, tuple[str, ...]]]) -> str:
    """One case as a CSV line: most facts left empty or at their lowest values, as in real loads."""
    cells = []
    for _, kind, values in facts:
        if rng.random() < 0.35:
            cells.append("")
        elif kind == "bool":
            cells.append("ja" if rng.random() < 0.25 else "nee")
        elif kind == "set":
            cells.append("|".join(value for value in values if rng.random() < 0.2))
        else:  # lower values far more often than higher ones
            weights = [1 / (position + 1) ** 1.5 for position in range(len(values))]
            cells.append(rng.choices(values, weights)[0])
    return ",".join(cells)


def case_file(directory: Path, rows: int, kind: str) -> Path:
    path = directory / f"cases-{kind}-{rows}-{SEED}.csv"
    if path.exists():
        return path
    rng = random.Random(SEED)  # noqa: S311 - reproducible benchmark data
    facts = _facts()
    wanted = rows if kind == "distinct" else max(1, int(rows * DISTINCT_SHARE))
    distinct: dict[str, None] = {}
    while len(distinct) < wanted:
        distinct.setdefault(_row(rng, facts), None)
    pool = list(distinct)
    lines = list(pool)
    if kind == "realistic":  # every distinct case once, the rest drawn with a long tail
        weights = [1 / (rank + 1) ** 1.1 for rank in range(len(pool))]
        lines += rng.choices(pool, weights, k=rows - len(pool))
        rng.shuffle(lines)
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(",".join(fact_id for fact_id, _, _ in facts) + "\n")
        for line in lines:
            handle.write(line + "\n")
    partial.rename(path)
    return path


# --- the analyst's alternative --------------------------------------------------------------------
def _boolean(column: str) -> str:
    return f"coalesce(lower(trim({column})) IN ('ja', 'true'), false)"


def _members(column: str) -> str:
    return f"CASE WHEN coalesce(trim({column}), '') = '' THEN 0 ELSE len(string_split({column}, '|')) END"


def _value(column: str, default: str) -> str:
    return f"coalesce(nullif(trim({column}), ''), '{default}')"


#: The generic kaart's level rules written by hand, as an analyst would: defaults for empty cells,
#: the derived facts, then the highest level that a rule proposes. Roles follow from the level.
POLICY = f"""
WITH cases AS (
  SELECT
    {_boolean("hulpvraag")} AS hulpvraag,
    {_value("zelfregie", "volledig")} AS zelfregie,
    {_members("leefgebieden")} AS leefgebieden,
    {_members("kolommen")} AS kolommen,
    {_value("veiligheidsrisico", "geen")} AS veiligheidsrisico,
    {_value("risico_voor_omgeving", "geen")} AS risico_voor_omgeving,
    {_value("maatschappelijke_onrust", "geen")} AS maatschappelijke_onrust,
    {_boolean("openbare_orde_verstoord")} AS openbare_orde_verstoord,
    {_boolean("acute_crisis")} AS acute_crisis,
    {_boolean("stagnatie")} AS stagnatie,
    {_boolean("dwang_drang_nodig")} AS dwang_drang_nodig,
    {_boolean("overlast_of_criminaliteit")} AS overlast_of_criminaliteit,
    {_boolean("impact_op_omgeving")} AS impact_op_omgeving,
    {_boolean("gebiedsgebonden_veiligheidsprobleem")} AS gebiedsgebonden_veiligheidsprobleem,
    {_boolean("gemeente_overstijgend")} AS gemeente_overstijgend,
    {_boolean("specifieke_expertise_nodig")} AS specifieke_expertise_nodig
  FROM read_csv(?, header = true, all_varchar = true)
), derived AS (
  SELECT *,
    leefgebieden >= 2 AND kolommen >= 2 AND (
      dwang_drang_nodig OR stagnatie OR veiligheidsrisico IN ('structureel', 'acuut')
      OR risico_voor_omgeving = 'hoog'
    ) AS complex,
    (leefgebieden >= 2 AND overlast_of_criminaliteit)
      AND (kolommen >= 2 AND dwang_drang_nodig)
      AND (impact_op_omgeving OR gebiedsgebonden_veiligheidsprobleem) AS zvh_poort,
    stagnatie OR gemeente_overstijgend OR specifieke_expertise_nodig OR risico_voor_omgeving = 'hoog'
      AS lokaal_tenzij_uitzondering
  FROM cases
)
SELECT
  CASE
    WHEN maatschappelijke_onrust IN ('dreigend', 'manifest') OR openbare_orde_verstoord
      OR (complex AND acute_crisis AND risico_voor_omgeving = 'hoog') THEN '4'
    WHEN complex AND zvh_poort AND lokaal_tenzij_uitzondering THEN '3b'
    WHEN complex THEN '3a'
    WHEN hulpvraag OR zelfregie <> 'volledig' OR veiligheidsrisico IN ('multiprobleem', 'structureel', 'acuut')
      THEN '2'
    ELSE '1'
  END AS level,
  count(*) AS cases
FROM derived
GROUP BY level
ORDER BY level
"""  # noqa: S608 - built from constants in this file, no input


def duckdb_levels(path: Path) -> dict[str, int]:
    import duckdb

    connection = duckdb.connect()
    return {level: int(count) for level, count in connection.execute(POLICY, [str(path)]).fetchall()}


# --- measuring --------------------------------------------------------------------------------------
def _child(arguments: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, standard output) of one child process.

    The peak comes from GNU time, which forks and execs: a child started straight from this
    process with vfork (as subprocess does) would report at least this process's own peak."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as peak:
        env = {**os.environ, "AVE_RULES_LANG": "en"}
        start = time.perf_counter()
        process = subprocess.run([TIME, "-f", "%M", "-o", peak.name, *arguments], stdout=out, env=env, check=False)
        wall = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"{arguments[2:4]} failed with exit code {process.returncode}")
        out.seek(0)
        return wall, int(peak.read().split()[-1]) / 1024, out.read().decode("utf-8")


def measure(path: Path, beslisser: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "ave_rules", "simulate", str(GENERIC), "--cases", str(path)]
    wall, rss, out = _child([*command, "--format", "json", "--beslisser", beslisser])
    result = json.loads(out)
    duck_wall, duck_rss, duck_out = _child([sys.executable, __file__, "--duckdb-child", str(path)])
    duck = json.loads(duck_out)
    if duck != result["levels"]:
        raise SystemExit(f"DuckDB and ave_rules disagree: {duck} against {result['levels']}")
    return {
        "file": path.name,
        "rows": result["cases"],
        "distinct": result["distinct_cases"],
        "decided_by": result["decided_by"],
        "cross_checked": result["cross_checked"],
        "seconds": round(wall, 1),
        "peak_mb": round(rss, 1),
        "duckdb_seconds": round(duck_wall, 2),
        "duckdb_peak_mb": round(duck_rss, 1),
        "levels": result["levels"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kind", choices=("realistic", "distinct", "both"), default="both")
    parser.add_argument("--beslisser", choices=("bdd", "engine"), default="bdd")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "ave-rules-bench-simulate")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    parser.add_argument("--duckdb-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.duckdb_child:
        print(json.dumps(duckdb_levels(args.duckdb_child)))
        return
    kinds = ("realistic", "distinct") if args.kind == "both" else (args.kind,)
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs")
    rows = []
    for kind in kinds:
        path = case_file(args.dir, args.rows, kind)
        print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
        rows.append(measure(path, args.beslisser))
    print("| file | rows | distinct | decided by | cross-checked | s | peak MB | DuckDB s | DuckDB peak MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['file']} | {row['rows']:,} | {row['distinct']:,} | {row['decided_by']} | {row['cross_checked']:,}"
            f" | {row['seconds']} | {row['peak_mb']} | {row['duckdb_seconds']} | {row['duckdb_peak_mb']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
