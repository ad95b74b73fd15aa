"""The kaarten a service serves: every version in one directory, reloaded when a file changes.

Each file is loaded on its own, so one broken file does not take the others down; a file that
fails to load after a change leaves its previous version serving, and its problems are reported
(``health``). The directory is looked at again at most once every ``check_every`` seconds, when a
request comes in; a change is seen by each file's name, size and modification time.

durable-rules never frees a compiled ruleset. A kaart whose content has been served before
reuses its ruleset (they are shared by the compiled rules), so a file whose texts change, or
that is changed back, costs nothing; each new rules version costs one ruleset, until the worker
is replaced (``_recycle``, ``docs/performance.md``).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Mapping
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
        self.after_reload: Callable[[], None] | None = None  # called after each reload

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
                if self.after_reload is not None:
                    self.after_reload()
        return self.snapshot

    def _reload(self, signature: Signature) -> Snapshot:
        """Every file loaded again, except a kaart whose file, and the files of the kaarten it
        extends, did not change: it keeps serving as it was, with its cached decisions."""
        previous = self.snapshot
        unchanged = set(previous.signature)
        files = kaart_files(self.directory)
        kept = {
            str(path) for path in files if (path.name, *_stat(path)) in unchanged and str(path) not in previous.problems
        }
        # A kaart extends others by id: whose file changed, came or went (their new ids are added below).
        changed_ids = {kaart.id for name, kaart in previous.kaarten.items() if name not in kept}
        kaarten: dict[str, Regiekaart] = {}
        problems: dict[str, tuple[Problem, ...]] = {}
        for path in sorted(files, key=lambda path: str(path) in kept):  # the changed ones first
            name = str(path)
            old = previous.kaarten.get(name)
            if name in kept and old is not None and not changed_ids.intersection(old.bases):
                kaarten[name] = old
                continue
            try:
                kaarten[name] = load(path, engine=self.engine)
                changed_ids.add(kaarten[name].id)
            except RegiekaartError as error:
                problems[name] = tuple(error.problems)
                if old is not None:
                    kaarten[name] = old  # the last version that loaded keeps serving
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
    return tuple((path.name, *_stat(path)) for path in kaart_files(directory))


def _stat(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (-1, -1)
    return (status.st_size, status.st_mtime_ns)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
