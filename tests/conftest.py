"""Hypothesis profiles for this suite, and the decision service running for real.

``dev`` (the default) keeps the README's test command quick while working; ``ci`` is thorough and
is what ``.ci/run`` selects (``AVE_RULES_TEST_PROFILE=ci``). Each property test says how many
examples it needs in each (``budget.examples``): the paths that matter most (the engines agree,
hostile input is refused, facts are validated) check as much in ``dev`` as they ever did, broad
properties whose examples are expensive to generate check fewer, and ``ci`` checks more of all.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile("ci", parent=settings.get_profile("dev"), print_blob=True)
settings.load_profile(os.environ.get("AVE_RULES_TEST_PROFILE", "dev"))


# --- the decision service, running for real -------------------------------------------------------


ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Service:
    """``ave-rules serve`` on a free loopback port, over a copy of the bundled kaarten."""

    url: str  # ending in /v1
    directory: Path
    log: Path
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running_service(tmp_path_factory.mktemp("dienst")) as started:
        yield started


@contextmanager
def running_service(scratch: Path, *options: str) -> Iterator[Service]:
    """``ave-rules serve`` with ``options`` over a copy of the bundled kaarten in ``scratch``."""
    directory = scratch / "regiekaarten"
    shutil.copytree(ROOT / "regiekaarten", directory)
    log = scratch / "dienst.log"
    port = _free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "ave_rules", "serve", str(directory), "--port", str(port), *options],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "AVE_RULES_CHECK_EVERY": "0.2", "AVE_RULES_LANG": "nl"},
        )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(f"{url}/gezondheid", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield Service(url, directory, log, process)
    finally:
        process.terminate()
        process.wait(timeout=30)
