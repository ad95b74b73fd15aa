"""The kaarten a service serves: every version in one directory, reloaded when a file changes.

Each file is loaded on its own, so one broken file does not take the others down; a file that
fails to load after a change leaves its previous version serving, and its problems are reported
(``health``). The directory is looked at again at most once every ``check_every`` seconds, when a
request comes in; a change is seen by each file's name, size and modification time.

durable-rules never frees a compiled ruleset. A kaart whose content has been served before
reuses its ruleset (they are shared by content), so a file that is saved again unchanged, or
changed back, costs nothing; each new content costs one ruleset (``docs/performance.md``).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .._messages import closest
from ..errors import KaartNotFoundError, Problem, RegiekaartError
from ..kaart import Regiekaart, bundled_dir, kaart_files
from ..loading import load

Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Snapshot:
    """The kaarten being served at one moment, and the files that did not load."""

    kaarten: Mapping[str, Regiekaart]  # by file
    problems: Mapping[str, tuple[Problem, ...]]  # by file
    loaded_at: datetime.datetime
    signature: Signature = field(default=())

    def versions(self, kaart_id: str) -> list[Regiekaart]:
        return sorted((k for k in self.kaarten.values() if k.id == kaart_id), key=lambda k: k.valid_from)


class KaartStore:
    """The kaarten of ``directory`` (default: the bundled ones), loaded on first use."""

    def __init__(self, directory: Path | None = None, *, engine: str = "auto", check_every: float = 1.0) -> None:
        self.directory = Path(directory) if directory is not None else bundled_dir()
        self.engine = engine
        self.check_every = check_every
        self._lock = threading.Lock()
        self._checked = 0.0
        self._loaded = False
        self.snapshot = Snapshot({}, {}, _now())

    def refresh(self, *, force: bool = False) -> Snapshot:
        """The kaarten now, after loading again whatever changed (at most once every ``check_every`` s)."""
        if self._loaded and not force and time.monotonic() - self._checked < self.check_every:
            return self.snapshot
        with self._lock:
            self._checked = time.monotonic()
            signature = _signature(self.directory)
            if force or not self._loaded or signature != self.snapshot.signature:
                self.snapshot = self._reload(signature)
                self._loaded = True
        return self.snapshot

    def _reload(self, signature: Signature) -> Snapshot:
        previous = self.snapshot
        kaarten: dict[str, Regiekaart] = {}
        problems: dict[str, tuple[Problem, ...]] = {}
        for path in kaart_files(self.directory):
            name = str(path)
            try:
                kaarten[name] = load(path, engine=self.engine)
            except RegiekaartError as error:
                problems[name] = tuple(error.problems)
                if name in previous.kaarten:
                    kaarten[name] = previous.kaarten[name]  # the last version that loaded keeps serving
        return Snapshot(kaarten, problems, _now(), signature)

    def kaart(self, kaart_id: str, on: datetime.date | None = None) -> Regiekaart:
        """The version of ``kaart_id`` valid on ``on`` (default today). Raises KaartNotFoundError."""
        snapshot = self.refresh()
        versions = snapshot.versions(kaart_id)
        if not versions:
            known = sorted({kaart.id for kaart in snapshot.kaarten.values()})
            params = {"id": kaart_id, "suggestie": closest(kaart_id, known), "gezocht": ", ".join(known) or "-"}
            raise KaartNotFoundError("kaart-onbekend", params)
        day = on or datetime.date.today()
        valid = [kaart for kaart in versions if kaart.is_valid_on(day)]
        if not valid:
            spans = ", ".join(f"{k.version} ({k.valid_from} – {k.valid_until or ''})" for k in versions)
            raise KaartNotFoundError("kaart-niet-geldig", {"id": kaart_id, "datum": day.isoformat(), "versies": spans})
        return valid[-1]


def _signature(directory: Path) -> Signature:
    found = []
    for path in kaart_files(directory):
        try:
            status = path.stat()
        except OSError:
            found.append((path.name, -1, -1))
        else:
            found.append((path.name, status.st_size, status.st_mtime_ns))
    return tuple(found)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
