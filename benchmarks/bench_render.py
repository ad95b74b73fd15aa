#!/usr/bin/env python3
"""How long rendering a kaart takes (``render_html``, ``render_markdown``), next to loading it.

Rows: every bundled kaart file (``regiekaarten/``). Every run loads the file afresh and renders
that new kaart object both ways, the order of the two renders alternating from run to run, so
no render profits from what another left on the object; all three are timed in the same run,
so their ratios are meaningful on a noisy machine. Per kaart the median of --runs runs, and the
size of the output (kB = 1,000 bytes of UTF-8).

Usage:
  python benchmarks/bench_render.py
  python benchmarks/bench_render.py --runs 21 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ave_rules
from ave_rules.authoring import render_html, render_markdown
from ave_rules.kaart import kaart_files

ROOT = Path(__file__).resolve().parents[1]


def _timed(call: Callable[..., Any], *arguments: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call(*arguments)
    return result, (time.perf_counter() - started) * 1000


def measure(path: Path, runs: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {"load": [], "html": [], "markdown": []}
    output = {"html": "", "markdown": ""}
    renderers = {"html": render_html, "markdown": render_markdown}
    warm_up = ave_rules.load(path)  # untimed, so the first run does not pay for lazy imports and lookups
    render_html(warm_up)
    render_markdown(warm_up)
    for number in range(runs):
        kaart, elapsed = _timed(ave_rules.load, path)
        times["load"].append(elapsed)
        for name in ("html", "markdown") if number % 2 == 0 else ("markdown", "html"):
            output[name], elapsed = _timed(renderers[name], kaart)
            times[name].append(elapsed)
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "kaart": path.name,
        "version": kaart.version,
        "levels": len(kaart.levels),
        "rules": len(kaart.rules),
        "load_ms": round(medians["load"], 1),
        "html_ms": round(medians["html"], 1),
        "markdown_ms": round(medians["markdown"], 1),
        "html_spread_ms": [round(min(times["html"]), 1), round(max(times["html"]), 1)],
        "html_kb": round(len(output["html"].encode("utf-8")) / 1000, 1),
        "markdown_kb": round(len(output["markdown"].encode("utf-8")) / 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="runs per kaart; the median is shown")
    parser.add_argument("--json", help="also write the raw figures to this file")
    arguments = parser.parse_args()
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")
    rows = [measure(path, arguments.runs) for path in kaart_files(ROOT / "regiekaarten")]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"median of {arguments.runs} runs\n"
    )
    print(
        "| kaart | version | levels | rules | load ms | render_html ms (min-max) | render_markdown ms "
        "| html / load | HTML kB | Markdown kB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        low, high = row["html_spread_ms"]
        print(
            f"| {row['kaart']} | {row['version']} | {row['levels']} | {row['rules']} | {row['load_ms']} | "
            f"{row['html_ms']} ({low}-{high}) | {row['markdown_ms']} | {row['html_ms'] / row['load_ms']:.2f}x | "
            f"{row['html_kb']} | {row['markdown_kb']} |"
        )
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
