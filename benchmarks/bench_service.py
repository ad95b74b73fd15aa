#!/usr/bin/env python3
"""The decision service under load, and its memory as kaarten are reloaded.

Both runs start ``ave-rules serve`` (one worker) on a free loopback port, over a temporary copy of
the bundled kaarten, and read the server's resident memory from /proc.

  load    --clients concurrent clients (asyncio, one httpx connection each) decide cases on three
          kaarten for --seconds, while one kaart file is replaced twice (at a third and at two
          thirds of the run; each time its name changes, so its content hash and every decision
          does). Reported: requests per second, p50/p99 latency, errors, resident memory before
          (after --warmup seconds of the same load) and after. Every decision is compared byte for
          byte with the library's for the same kaart version and facts.
  reload  one kaart file rewritten again and again, the service asked after each write until it
          serves the new content: texts changed only (the rules stay the same), the rules
          alternating between two versions, and every rules version new. Resident memory after
          each series.

Usage:
  python benchmarks/bench_service.py                        # 16 clients, 60 s, 50 reloads a series
  python benchmarks/bench_service.py --seconds 10 --reloads 10
  python benchmarks/bench_service.py --json out.json
Needs the service extra: pip install -e ".[service]".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

import ave_rules
from ave_rules.kaart import Regiekaart, SetFact, fact_values

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261202
KAARTEN = ("ave-generiek", "fryslan", "groningen")
REPLACED = "fryslan.yaml"
CASES_PER_KAART = 300


@dataclass
class Server:
    url: str
    directory: Path
    process: subprocess.Popen[bytes]

    def resident_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")


@contextmanager
def running_service() -> Iterator[Server]:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "regiekaarten"
        shutil.copytree(ROOT / "regiekaarten", directory)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "ave_rules", "serve", str(directory), "--port", str(port)]
        process = subprocess.Popen(
            [*command, "--log-level", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "AVE_RULES_CHECK_EVERY": "0.2"},
        )
        server = Server(f"http://127.0.0.1:{port}/v1", directory, process)
        try:
            _wait(lambda: _healthy(server.url), 60)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/gezondheid", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _wait(done: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the service did not get there in time")
        time.sleep(0.05)


def random_cases(kaart: Regiekaart, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` cases, each fact given a value from its domain (a set fact: a random subset)."""
    cases = []
    for _ in range(count):
        case: dict[str, Any] = {}
        for fact in kaart.facts:
            values = fact_values(fact, kaart.level_ids)
            if isinstance(fact, SetFact):
                case[fact.id] = [value for value in values if rng.random() < 0.3]
            else:
                case[fact.id] = rng.choice(values)
        cases.append(case)
    return cases


def renamed(text: str, suffix: str) -> str:
    """The kaart's text with its name changed: the same rules, a new content hash."""
    before, sep, after = text.partition("\nnaam: ")
    name, newline, rest = after.partition("\n")
    return f"{before}{sep}{name} ({suffix}){newline}{rest}"


#: Boolean facts of the replaced kaart: a rule that tests the ones picked by the bits of a number
#: differs, for durable-rules, from the rule of any other number below 2**10.
_FLAGS = (
    "hulpvraag",
    "openbare_orde_verstoord",
    "acute_crisis",
    "stagnatie",
    "dwang_drang_nodig",
    "strafrechtelijk_kader",
    "overlast_of_criminaliteit",
    "impact_op_omgeving",
    "gemeente_overstijgend",
    "specifieke_expertise_nodig",
)


def with_rule(text: str, number: int) -> str:
    """The kaart's text with one more rule, whose condition is new for each ``number`` (1 to
    1023): a ruleset durable-rules has not seen (a new rule id alone would share the old one)."""
    tests = [f"{{feit: {flag}, is: true}}" for bit, flag in enumerate(_FLAGS) if number >> bit & 1]
    condition = tests[0] if len(tests) == 1 else f"{{alle: [{', '.join(tests)}]}}"
    rule = (
        f"regels:\n  - id: meting-{number}\n    toelichting: Een regel die alleen deze meting toevoegt.\n"
        f"    als: {condition}\n    dan:\n      afleiden: [veiligheidsprobleem]\n"
    )
    return text.replace("regels:\n", rule, 1)


def replace_file(path: Path, text: str) -> None:
    """As a deployment does: the new file written beside the old, then moved over it."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def expected_bytes(directory: Path, name: str, text: str, cases: list[dict[str, Any]]) -> list[bytes]:
    kaart = ave_rules.loads(text, name, search=[directory])
    return [kaart.evaluate(case).model_dump_json().encode() for case in cases]


def wait_until_served(url: str, kaart_id: str, text: str, directory: Path) -> None:
    """Until the service serves ``text`` as ``kaart_id`` (it looks at its files every 0.2 s)."""
    wanted = ave_rules.loads(text, REPLACED, search=[directory], engine="reference").content_hash
    served = f"{url}/regiekaarten/{kaart_id}"
    _wait(lambda: httpx.get(served, timeout=30).json()["content_hash"] == wanted, 30)


def run_load(seconds: float, clients: int, warmup: float) -> dict[str, Any]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible benchmark cases
    with running_service() as server:
        texts: dict[str, str] = {}
        files = {kaart.id: path for path in sorted(server.directory.glob("*.yaml")) for kaart in [ave_rules.load(path)]}
        cases: dict[str, list[dict[str, Any]]] = {}
        allowed: dict[str, list[set[bytes]]] = {}
        for kaart_id in KAARTEN:
            path = files[kaart_id]
            texts[kaart_id] = path.read_text(encoding="utf-8")
            cases[kaart_id] = random_cases(ave_rules.load(path), CASES_PER_KAART, rng)
            expected = expected_bytes(server.directory, path.name, texts[kaart_id], cases[kaart_id])
            allowed[kaart_id] = [{one} for one in expected]
        replaced_id = next(k for k in KAARTEN if files[k].name == REPLACED)
        versions = [renamed(texts[replaced_id], f"herzien {n}") for n in (1, 2)]
        for version in versions:
            for index, one in enumerate(expected_bytes(server.directory, REPLACED, version, cases[replaced_id])):
                allowed[replaced_id][index].add(one)

        work = [(kaart_id, index) for kaart_id in KAARTEN for index in range(CASES_PER_KAART)]
        started_mb = server.resident_mb()
        latencies: list[float] = []
        errors: dict[str, int] = {}

        async def client(number: int, until: float) -> None:
            draw = random.Random(SEED + number)  # noqa: S311 - reproducible benchmark draws
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
                while time.monotonic() < until:
                    kaart_id, index = draw.choice(work)
                    start = time.perf_counter()
                    try:
                        response = await http.post(
                            f"/regiekaarten/{kaart_id}/besluiten", json={"feiten": cases[kaart_id][index]}
                        )
                    except httpx.HTTPError as error:
                        errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                        continue
                    latencies.append(time.perf_counter() - start)
                    if response.status_code != 200:
                        errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
                    elif response.content not in allowed[kaart_id][index]:
                        errors["not the library's bytes"] = errors.get("not the library's bytes", 0) + 1

        async def replacer(start: float) -> list[float]:
            seen = []
            for number, version in enumerate(versions, start=1):
                await asyncio.sleep(start + seconds * number / 3 - time.monotonic())
                replace_file(files[replaced_id], version)
                written = time.monotonic()
                await asyncio.to_thread(wait_until_served, server.url, replaced_id, version, server.directory)
                seen.append(time.monotonic() - written)
            return seen

        async def warm_up() -> None:
            end = time.monotonic() + warmup
            await asyncio.gather(*(client(n, end) for n in range(clients)))

        # The same load, not measured: caches, threads and buffers grow to their working size.
        asyncio.run(warm_up())
        latencies.clear()
        before_mb = server.resident_mb()
        timeline: list[float] = []

        async def sampler(until: float) -> None:
            while time.monotonic() < until:
                timeline.append(server.resident_mb())
                await asyncio.sleep(1)

        async def everything() -> list[float]:
            start = time.monotonic()
            end = start + seconds
            replacing = asyncio.create_task(replacer(start))
            await asyncio.gather(sampler(end), *(client(n, end) for n in range(clients)))
            return await replacing

        wall = time.monotonic()
        reload_seconds = asyncio.run(everything())
        wall = time.monotonic() - wall
        after_mb = server.resident_mb()
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "warm_up_seconds": warmup,
        "seconds": round(wall, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1000, 1),
        "errors": errors,
        "replacements_seen_after_s": [round(s, 2) for s in reload_seconds],
        "resident_mb": {"started": round(started_mb, 1), "before": round(before_mb, 1), "after": round(after_mb, 1)},
        "growth_percent": round((after_mb - before_mb) / before_mb * 100, 1),
        "resident_mb_each_second": [round(mb, 1) for mb in timeline],
    }


def run_reload(reloads: int) -> dict[str, Any]:
    if not 0 < reloads <= 1000:
        raise SystemExit("--reloads: from 1 to 1000")
    with running_service() as server:
        path = server.directory / REPLACED
        original = path.read_text(encoding="utf-8")
        kaart_id = ave_rules.load(path).id
        series: dict[str, Callable[[int], str]] = {
            "texts only": lambda n: renamed(original, f"tekst {n}"),
            "rules alternating between two versions": lambda n: with_rule(original, 1 + n % 2),
            "every rules version new": lambda n: with_rule(original, 3 + n),
        }
        httpx.get(f"{server.url}/regiekaarten/{kaart_id}")
        figures = {"started": round(server.resident_mb(), 1)}
        for name, text_for in series.items():
            for number in range(reloads):
                text = text_for(number)
                replace_file(path, text)
                wait_until_served(server.url, kaart_id, text, server.directory)
                httpx.post(f"{server.url}/regiekaarten/{kaart_id}/besluiten", json={"feiten": {}})  # decided by it
            figures[f"after {reloads}: {name}"] = round(server.resident_mb(), 1)
        return {"reloads_per_series": reloads, "resident_mb": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of the same load before measuring")
    parser.add_argument("--reloads", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "ave_rules": ave_rules.__version__},
        "load": run_load(args.seconds, args.clients, args.warmup),
        "reload": run_reload(args.reloads),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
