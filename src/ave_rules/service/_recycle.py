"""A worker replaced before the rulesets of reloaded kaarten fill its memory.

durable-rules never frees a ruleset (about 0.35 MB each, docs/performance.md). Texts changed
only, and versions served before, reuse theirs; every new rules version adds one (at its first
case), for the life of the process. After ``limit`` new ones since the worker loaded its
kaarten, the worker is replaced, and no request fails or waits because of it:

1. It waits for its turn: another worker must be serving (a replacement that has loaded its
   kaarten counts), so that one of them always accepts connections. Workers reload the same
   files and reach the limit at about the same time; they go one at a time.
2. It drains: it stops accepting connections (the others take the new ones), and every response
   it still gives closes its connection (``Connection: close``), so no client sends a request on
   a kept-alive connection the worker is about to close. Idle connections end by uvicorn's
   keep-alive timeout, as they always do.
3. When it has no connection left (or after the keep-alive timeout and a second), it ends as on
   SIGTERM, and uvicorn's process manager starts a fresh worker.

Ending a worker at once (SIGTERM straight away) closed the connections that were idle between
two requests, and a request a client had just sent on one failed.

With one worker there is no process manager: the worker keeps serving and says, once, that a
restart is due.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..engine import registered_rulesets

logger = logging.getLogger("ave_rules.service")

#: The directory in which the workers of one ``ave-rules serve`` say that they serve.
WORKERS_DIR = "AVE_RULES_WORKERS_DIR"
POLL = 0.05  # seconds between looks at the turn and at the connections


class Recycler:
    def __init__(self, limit: int, *, supervised: bool, workers_dir: Path | None = None) -> None:
        self.start = registered_rulesets()
        # Each a little apart keeps the turns short.
        self.limit = limit + random.randint(0, limit // 4) if supervised else limit  # noqa: S311 - not secret
        self.supervised = supervised
        self.done = False
        self.draining = False  # every response closes its connection
        self.workers_dir = workers_dir
        self._server: Any = None  # uvicorn's Server of this worker, when it runs under uvicorn
        self._loop: asyncio.AbstractEventLoop | None = None
        self.stop: Callable[[], None] = lambda: os.kill(os.getpid(), signal.SIGTERM)

    def serving(self) -> None:
        """In the worker's event loop, before it accepts connections: this worker serves."""
        handler = signal.getsignal(signal.SIGTERM)
        server = getattr(handler, "__self__", None)  # uvicorn handles SIGTERM with its Server's method
        if hasattr(server, "servers") and hasattr(server, "server_state"):
            self._server = server
        with contextlib.suppress(RuntimeError):
            self._loop = asyncio.get_running_loop()
        if self.supervised and self.workers_dir is not None:
            _marker(self.workers_dir, os.getpid()).touch()

    def check(self) -> None:
        """After a reload: replace this worker when it has registered ``limit`` new rulesets."""
        added = registered_rulesets() - self.start
        if self.done or added < self.limit:
            return
        self.done = True
        if self.supervised:
            logger.warning("werker %d wordt vervangen: %d nieuwe regelsets sinds de start", os.getpid(), added)
            threading.Thread(target=self.replace, name="ave-rules-vervangen", daemon=True).start()
        else:
            logger.warning(
                "herstart de dienst: %d nieuwe regelsets sinds de start houden geheugen vast "
                "(met --workers 2 of meer gebeurt dit vanzelf)",
                added,
            )

    def replace(self) -> None:
        """Wait for the turn, drain, end (the steps in the module's docstring)."""
        if self.workers_dir is not None:
            while not _take_turn(self.workers_dir, os.getpid()):
                time.sleep(POLL)
        self.draining = True
        server, loop = self._server, self._loop
        if server is not None and loop is not None:
            loop.call_soon_threadsafe(_stop_accepting, server)
            timeout = getattr(server.config, "timeout_keep_alive", 5) + 1
            deadline = time.monotonic() + timeout
            while server.server_state.connections and time.monotonic() < deadline:
                time.sleep(POLL)
        self.stop()


class CloseWhileDraining:
    """ASGI middleware: while the worker drains, every response closes its connection."""

    def __init__(self, app: ASGIApp, recycler: Recycler) -> None:
        self.app = app
        self.recycler = recycler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start" and self.recycler.draining:
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, receive, closing)


def _stop_accepting(server: Any) -> None:
    for listening in server.servers:
        listening.close()  # this worker's copy of the shared socket: the other workers keep accepting


def _marker(directory: Path, pid: int) -> Path:
    return directory / f"werker-{pid}"


def _take_turn(directory: Path, pid: int) -> bool:
    """Whether this worker may drain now: another worker serves. Its own marker goes at once, under
    a lock, so that two workers never both leave for the other."""
    lock = directory / "beurt"
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - lock.stat().st_mtime > 10:  # left by a worker that died holding it
                lock.unlink()
        return False
    try:
        others = [path for path in directory.glob("werker-*") if path != _marker(directory, pid) and _alive(path)]
        if others:
            _marker(directory, pid).unlink(missing_ok=True)
        return bool(others)
    finally:
        os.close(descriptor)
        lock.unlink()


def _alive(marker: Path) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process there
        return True
    try:
        os.kill(int(marker.name.removeprefix("werker-")), 0)
    except ProcessLookupError:
        marker.unlink(missing_ok=True)
        return False
    except (OSError, ValueError):
        return True
    return True
