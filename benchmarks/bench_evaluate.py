#!/usr/bin/env python3
"""How fast ave_rules decides the generic kaart's cases, next to what a user might write instead.

Every row runs in its own child process (so peak memory is its own) on the same cases, drawn
with a fixed seed, and is checked against the reference evaluator on all of them:

  cold             kaart.evaluate on cases it has not seen (durable-rules decides each one)
  warm             kaart.evaluate on the same cases again (answered from the cache)
  evaluate_many    kaart.evaluate_many on unseen cases, per case
  reference        kaart.evaluate with engine="reference", unseen cases
  durable-hand     a hand-written durable-rules ruleset of the same policy (benchmarks/peers.py)
  zen              zen-engine (GoRules) decision graph of the same policy (benchmarks/peers.py)
  plain            a hand-written Python function of the same policy (benchmarks/peers.py)
  lookup           a dict of precomputed decisions, keyed by the facts (the practical limit)

and two more runs: the targets' ratios measured interleaved in one process (library and
comparison alternate case by case, so a noisy shared machine affects both alike), and memory over
1,000,000 evaluations in one process, drawn from a pool of distinct cases.

Usage:
  python benchmarks/bench_evaluate.py                  # every row and the memory run
  python benchmarks/bench_evaluate.py --cases 500 --memory-evaluations 100000  # quicker
  python benchmarks/bench_evaluate.py --json out.json  # also keep the raw figures
Needs: pip install -e ".[bench]" (zen-engine); durable-rules comes with the library.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KAART = HERE.parent / "regiekaarten" / "ave-generiek.yaml"
SEED = 20261122
PASSES = 5
ROWS = ("cold", "warm", "evaluate_many", "reference", "durable-hand", "zen", "plain", "lookup")

sys.path.insert(0, str(HERE))
import peers  # noqa: E402  (benchmarks/peers.py, next to this file)

Result = tuple[str, tuple[tuple[str, str | None, str | None], ...]]


def _result(decision: Any) -> Result:
    return decision.level, tuple((a.type, a.target, a.source) for a in decision.actions)


def distinct_cases(count: int, seed: int) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    rng_seed = seed
    while len(seen) < count:
        for case in peers.sample_cases(count, rng_seed):
            seen.setdefault(json.dumps(case, sort_keys=True), case)
        rng_seed += 1
    return list(seen.values())[:count]


def _expected(cases: list[dict[str, Any]]) -> list[Result]:
    import ave_rules

    kaart = ave_rules.load(KAART, engine="reference")
    return [_result(kaart.evaluate(case)) for case in cases]


def _maker(row: str, cases: list[dict[str, Any]]) -> tuple[Callable[[dict[str, Any]], Any], dict[str, Any]]:
    """The function a row times, and facts about it (versions)."""
    import ave_rules

    if row in ("cold", "warm", "evaluate_many", "reference"):
        kaart = ave_rules.load(KAART, engine="reference" if row == "reference" else "durable-rules")
        return kaart.evaluate, {"engine": kaart.engine, "kaart": kaart}
    if row == "durable-hand":
        return peers.make_durable(), {"version": _version("durable-rules")}
    if row == "zen":
        return peers.make_zen(), {"version": _version("zen-engine")}
    if row == "plain":
        return peers.make_plain(), {"version": platform.python_version()}
    plain = peers.make_plain()
    table = {_lookup_key(case): plain(case) for case in cases}
    return (lambda case: table[_lookup_key(case)]), {"entries": len(table)}


def _lookup_key(case: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(tuple(value) if isinstance(value, list) else value for value in case.values())


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_row(row: str, count: int) -> dict[str, Any]:
    """Time one row in this process: build, throughput over PASSES sets of unseen cases (the
    median pass counts), then per-call latency over one more set."""
    every = distinct_cases((PASSES + 1) * count, SEED)
    passes = [every[number * count : (number + 1) * count] for number in range(PASSES)]
    latency_cases = every[PASSES * count :]
    if row == "warm":  # repeated cases: every pass and the latency loop see the same ones
        passes, latency_cases, every = [passes[0]] * PASSES, passes[0], passes[0]
    started = time.perf_counter()
    decide, info = _maker(row, every)
    build_ms = (time.perf_counter() - started) * 1000
    kaart = info.pop("kaart", None)
    if row == "warm":
        for case in every:
            decide(case)
    elif kaart is None:
        for case in every[:200]:  # warm-up for the peers (none of them caches)
            decide(case)

    timings: list[float] = []
    results: list[Result] = []
    for cases in passes:
        started = time.perf_counter()
        found = kaart.evaluate_many(cases) if row == "evaluate_many" else [decide(case) for case in cases]
        timings.append((time.perf_counter() - started) / count * 1e6)
        results += [_result(decision) for decision in found] if kaart is not None else found
    per_case_us = statistics.median(timings)

    latencies: list[int] = []
    clock = time.perf_counter_ns
    if row != "evaluate_many":
        for case in latency_cases:
            before = clock()
            decide(case)
            latencies.append(clock() - before)
    latencies.sort()
    checked = [case for cases in passes for case in cases]
    wrong = sum(got != want for got, want in zip(results, _expected(checked), strict=True))
    return {
        "row": row,
        **info,
        "build_ms": round(build_ms, 1),
        "per_case_us": round(per_case_us, 2),
        "spread_us": [round(min(timings), 2), round(max(timings), 2)],
        "cases_per_s": round(1e6 / per_case_us),
        "median_us": round(latencies[len(latencies) // 2] / 1000, 2) if latencies else None,
        "p99_us": round(latencies[int(len(latencies) * 0.99)] / 1000, 2) if latencies else None,
        "peak_mb": round(_peak_mb(), 1),
        "correct": f"{len(checked) - wrong}/{len(checked)}",
    }


def run_memory(evaluations: int, pool: int) -> dict[str, Any]:
    """Peak memory growth over ``evaluations`` calls on cases drawn from ``pool`` distinct ones.

    Case number ``i`` of the pool is generated from seed ``i`` when it is drawn, so the pool
    costs no memory, and each call gets a fresh dict, as a caller builds one per request.
    Growth is the peak resident memory after the first 1,000 calls (Linux: the kernel's peak,
    reset through /proc/self/clear_refs) minus the resident memory then."""
    import gc

    import ave_rules

    kaart = ave_rules.load(KAART, engine="durable-rules")

    def case(number: int) -> dict[str, Any]:
        return peers.sample_cases(1, SEED * 1_000_003 + number)[0]

    for number in range(1000):
        kaart.evaluate(case(number))
    gc.collect()
    baseline = _resident_mb()
    kernel_peak = _reset_peak()
    rng = random.Random(SEED)  # noqa: S311 - reproducible benchmark draws
    started = time.perf_counter()
    highest = baseline
    samples = []
    for number in range(1, evaluations + 1):
        kaart.evaluate(case(rng.randrange(pool)))
        if number % 10_000 == 0:
            highest = max(highest, _resident_mb())
        if number % (evaluations // 10) == 0:
            samples.append(round(highest - baseline, 1))
    peak = _kernel_peak_mb() if kernel_peak else highest
    return {
        "evaluations": evaluations,
        "pool": pool,
        "seconds": round(time.perf_counter() - started, 1),
        "baseline_mb": round(baseline, 1),
        "growth_mb": round(peak - baseline, 1),
        "peak_from": "kernel (VmHWM)" if kernel_peak else "sampled every 10,000 calls",
        "growth_by_tenth_mb": samples,
    }


def _resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def _kernel_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_ratios(count: int) -> dict[str, Any]:
    """The two time targets, measured interleaved in one process: for every case the library
    and its comparison run one after the other, so drift on a shared machine hits both alike."""
    import ave_rules

    kaart = ave_rules.load(KAART, engine="durable-rules")
    hand, plain = peers.make_durable(), peers.make_plain()
    cold_cases = distinct_cases(count, SEED + 2)
    warm_cases = distinct_cases(min(count, 2_000), SEED + 3) * max(1, count // 2_000)  # repeats
    for case in cold_cases[:200]:  # warm-up of the hand-written ruleset
        hand(case)
    clock = time.perf_counter_ns
    totals = {"cold": 0, "durable-hand": 0, "warm": 0, "plain": 0}
    for first, second, cases in (("cold", "durable-hand", cold_cases), ("warm", "plain", warm_cases)):
        if first == "warm":
            for case in warm_cases:  # now in the cache (the cold cases went through it before)
                kaart.evaluate(case)
        calls: dict[str, Callable[[dict[str, Any]], object]] = {
            first: kaart.evaluate,
            second: hand if second == "durable-hand" else plain,
        }
        for number, case in enumerate(cases):
            order = (first, second) if number % 2 else (second, first)  # neither always goes first
            for name in order:
                before = clock()
                calls[name](case)
                totals[name] += clock() - before
    per_case = {
        "cold": len(cold_cases),
        "durable-hand": len(cold_cases),
        "warm": len(warm_cases),
        "plain": len(warm_cases),
    }
    return {name: round(total / per_case[name] / 1000, 2) for name, total in totals.items()}


def _child(arguments: list[str], timeout: float) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout)[-600:]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _targets(ratios: dict[str, float], memory: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    cold = ratios["cold"] / ratios["durable-hand"]
    warm = ratios["warm"] / ratios["plain"]
    growth = float(memory["growth_mb"])
    return [
        ("cold evaluate / hand-written durable-rules", f"{cold:.2f}x", "at most 0.4x", cold <= 0.4),
        ("warm evaluate / plain Python function", f"{warm:.2f}x", "at most 5x", warm <= 5),
        (f"peak memory growth, {memory['evaluations']:,} evaluations", f"{growth} MB", "under 50 MB", growth < 50),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=2_000, help="distinct cases per timing pass")
    parser.add_argument("--memory-evaluations", type=int, default=1_000_000)
    parser.add_argument("--memory-pool", type=int, default=100_000, help="distinct cases the memory run draws from")
    parser.add_argument("--row", choices=ROWS, help=argparse.SUPPRESS)  # child mode
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)  # child mode
    parser.add_argument("--ratios", action="store_true", help=argparse.SUPPRESS)  # child mode
    parser.add_argument("--json", help="also write the raw figures to this file")
    arguments = parser.parse_args()
    if arguments.row:
        print(json.dumps(run_row(arguments.row, arguments.cases)))
        return
    if arguments.memory:
        print(json.dumps(run_memory(arguments.memory_evaluations, arguments.memory_pool)))
        return
    if arguments.ratios:
        print(json.dumps(run_ratios(arguments.cases * PASSES)))
        return

    rows = {row: _child(["--row", row, "--cases", str(arguments.cases)], timeout=3600) for row in ROWS}
    ratios = _child(["--ratios", "--cases", str(arguments.cases)], timeout=3600)
    memory = _child(
        [
            "--memory",
            "--memory-evaluations",
            str(arguments.memory_evaluations),
            "--memory-pool",
            str(arguments.memory_pool),
        ],
        timeout=4 * 3600,
    )
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.platform()}; {PASSES} passes of {arguments.cases:,} distinct cases each, seed {SEED}\n"
    )
    print("| row | build ms | µs per case | passes min-max | cases/s | median µs | p99 µs | peak RSS MB | correct |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        if "error" in row:
            print(f"| {name} | error: {row['error'][-200:]!r} ||||||||")
            continue
        print(
            f"| {name} | {row['build_ms']} | {row['per_case_us']} | {row['spread_us'][0]}-{row['spread_us'][1]} | "
            f"{row['cases_per_s']:,} | {row['median_us']} | "
            f"{row['p99_us']} | {row['peak_mb']} | {row['correct']} |"
        )
    print(f"\ninterleaved, µs per case: {json.dumps(ratios)}")
    print(f"memory run: {json.dumps(memory)}\n")
    if not any("error" in row for row in (ratios, memory)):
        print("| target (interleaved run) | measured | required | met |")
        print("|---|---|---|---|")
        for name, measured, required, met in _targets(ratios, memory):
            print(f"| {name} | {measured} | {required} | {'yes' if met else 'NO'} |")
    if arguments.json:
        figures = {"rows": rows, "interleaved": ratios, "memory": memory}
        Path(arguments.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
