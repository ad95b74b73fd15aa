#!/usr/bin/env python3
"""How long ``ave-rules check`` takes, and how that grows with facts and rules, next to brute force.

Rows: every bundled kaart, then generated kaarten of growing size (seeded, so every run checks
the same ones), up to 40 facts and 200 rules. For each: the size of its fact space, the time of a
full ``check`` (loading excluded), and brute-force enumeration with the reference evaluator:
measured where the space has at most --brute-limit cases, otherwise estimated from the measured
time per case (marked ~).

Usage:
  python benchmarks/bench_check.py
  python benchmarks/bench_check.py --json out.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import time
from pathlib import Path
from typing import Any

import ave_rules
from ave_rules.analysis import check
from ave_rules.analysis._symbolic import FactSpace
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.kaart import BooleanFact, SetFact, fact_values

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261122
SIZES = ((5, 20), (10, 50), (20, 100), (40, 100), (20, 200), (40, 200))  # (facts, rules)


def generated_document(facts: int, rules: int, seed: int) -> dict[str, Any]:
    """A valid kaart with ``facts`` facts, a few derived facts and ``rules`` rules."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark kaarten
    declared = []
    for index in range(facts):
        kind = rng.choice(("ja_nee", "ja_nee", "ordinaal", "keuze", "verzameling"))
        fact: dict[str, Any] = {"id": f"f{index}", "omschrijving": "Feit.", "soort": kind}
        if kind == "ja_nee":
            fact["standaard"] = False
        elif kind == "verzameling":
            fact["waarden"] = [f"w{value}" for value in range(rng.randint(2, 4))]
            fact["standaard"] = []
        else:
            fact["waarden"] = [f"w{value}" for value in range(rng.randint(2, 5))]
            fact["standaard"] = "w0"
        declared.append(fact)
    derived = [f"d{index}" for index in range(max(1, rules // 20))]
    levels = ["1", "2", "3a", "3b", "4"]

    def atom(usable: list[str]) -> dict[str, Any]:
        if usable and rng.random() < 0.2:
            return {"afgeleid": rng.choice(usable)}
        fact = rng.choice(declared)
        if fact["soort"] == "ja_nee":
            return {"feit": fact["id"], "is": rng.random() < 0.7}
        if fact["soort"] == "verzameling":
            return {"feit": fact["id"], "bevat": rng.choice(fact["waarden"])}
        if fact["soort"] == "ordinaal":
            return {"feit": fact["id"], "minstens": rng.choice(fact["waarden"][1:])}
        return {"feit": fact["id"], "is_een_van": rng.sample(fact["waarden"], 2)}

    def condition(usable: list[str]) -> dict[str, Any]:
        parts = [atom(usable) for _ in range(rng.randint(1, 3))]
        if len(parts) > 1 and rng.random() < 0.4:
            return {"een_van": parts}
        if rng.random() < 0.15:
            parts[0] = {"niet": parts[0]}
        return {"alle": parts} if len(parts) > 1 else parts[0]

    written = []
    for index in range(rules):
        conclusion: dict[str, Any]
        if index < len(derived):
            conclusion, usable = {"afleiden": [derived[index]]}, derived[:index]
        else:
            conclusion, usable = {"niveau": rng.choice(levels[1:])}, derived
        written.append({"id": f"r{index}", "toelichting": "Regel.", "als": condition(usable), "dan": conclusion})
    roles = {"casusregie": ["o"], "procesregie": ["o"], "operationele_verantwoordelijkheid": ["o"]}
    return {
        "formaat": 1,
        "id": "gegenereerd",
        "naam": "Gegenereerd",
        "versie": "1",
        "geldig_vanaf": "2025-01-01",
        "feiten": declared,
        "afgeleide_feiten": [{"id": name, "omschrijving": "Afgeleid."} for name in derived],
        "niveaus": [
            {
                "id": level,
                "fase": min(4, int(level[0])),
                "kleur": "geel",
                "naam": f"Niveau {level}",
                "omschrijving": "Niveau.",
                "rollen": {**roles, "bestuurlijke_verantwoordelijkheid": ["o"]},
            }
            for level in levels
        ],
        "organisaties": [{"id": "o", "naam": "Organisatie"}],
        "actietypen": [],
        "regels": written,
    }


def every_case(kaart: ave_rules.Regiekaart) -> itertools.product[tuple[Any, ...]]:
    domains: list[list[Any]] = []
    for fact in kaart.facts:
        if isinstance(fact, SetFact):
            domains.append(
                [
                    frozenset(c)
                    for size in range(len(fact.values) + 1)
                    for c in itertools.combinations(fact.values, size)
                ]
            )
        elif isinstance(fact, BooleanFact):
            domains.append([False, True])
        else:
            domains.append(list(fact_values(fact, kaart.level_ids)))
    return itertools.product(*domains)


def brute_force_seconds(kaart: ave_rules.Regiekaart, space: int, limit: int) -> tuple[float, bool]:
    """Seconds to evaluate every case with the reference evaluator; estimated above ``limit``."""
    names = [fact.id for fact in kaart.facts]
    count = min(space, limit)
    started = time.perf_counter()
    for values in itertools.islice(every_case(kaart), count):
        reference_evaluate(kaart, dict(zip(names, values, strict=True)))
    elapsed = time.perf_counter() - started
    return elapsed * space / count, space > limit


def measure(name: str, kaart: ave_rules.Regiekaart, brute_limit: int) -> dict[str, Any]:
    started = time.perf_counter()
    report = check(kaart)
    seconds = time.perf_counter() - started
    space = FactSpace(kaart).size
    brute, estimated = brute_force_seconds(kaart, space, brute_limit)
    return {
        "kaart": name,
        "facts": len(kaart.facts),
        "rules": len(kaart.rules),
        "space": space,
        "check_s": round(seconds, 3),
        "findings": len(report.findings),
        "brute_force_s": brute,
        "brute_force_estimated": estimated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brute-limit", type=int, default=20_000, help="enumerate at most this many cases")
    parser.add_argument("--json", help="also write the raw figures to this file")
    arguments = parser.parse_args()
    rows = []
    for path in sorted((ROOT / "regiekaarten").glob("*.yaml")):
        rows.append(measure(path.name, ave_rules.load(path, engine="reference"), arguments.brute_limit))
    for number, (facts, rules) in enumerate(SIZES):
        text = json.dumps(generated_document(facts, rules, SEED + number))  # JSON is YAML, without aliases
        kaart = ave_rules.loads(text, name=f"gegenereerd-{facts}-{rules}.yaml", engine="reference")
        rows.append(measure(f"generated {facts} facts, {rules} rules", kaart, arguments.brute_limit))
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs\n")
    print("| kaart | facts | rules | cases | check s | findings | brute force s |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        brute = f"{'~' if row['brute_force_estimated'] else ''}{_seconds(row['brute_force_s'])}"
        print(
            f"| {row['kaart']} | {row['facts']} | {row['rules']} | {row['space']:.2e} | {row['check_s']} | "
            f"{row['findings']} | {brute} |"
        )
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")


def _seconds(value: float) -> str:
    if value < 1000:
        return f"{value:.3g}"
    years = value / (365.25 * 24 * 3600)
    return f"{value:.2e} ({years:.3g} years)" if years >= 1 else f"{value:.2e}"


if __name__ == "__main__":
    main()
