"""Reading regiekaarten: file → YAML → schema → base kaart merged in → typed model → checks.

Every stage collects all the problems it can find before giving up, and every problem is
raised as one :class:`~ave_rules.errors.RegiekaartError`. What decides a kaart's cases is not
the reader's business: every reader takes the ``decider`` the kaart will get (``ave_rules.loading``
passes the engine's).
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from .._messages import Phrase, closest, type_phrase
from .._terms import KAART_SUFFIXES, SCENARIO_SUFFIXES
from ..errors import KaartNotFoundError, Problem, RegiekaartError
from ._checks import duplicate_ids, meaning_problems, scenario_definition_problems
from ._inheritance import MergedLocator, merge
from ._model import DeciderFactory, KaartSource, Regiekaart, ScenarioSet
from ._schema import schema_problems
from ._yaml import MAX_BYTES, Locator, SourceMap, YamlDocument, decode, read_yaml, top_level_texts

MAX_CHAIN = 8


@dataclass(frozen=True)
class _Document:
    """A kaart file that is well-formed YAML and passes the schema (not yet merged or checked)."""

    file: str
    data: dict[str, Any]
    source: SourceMap

    @property
    def id(self) -> str:
        return str(self.data["id"])

    def valid_on(self, day: datetime.date) -> bool:
        data = self.data
        return _Heading(str(data["versie"]), self.start(), data.get("geldig_tot")).valid_on(day)

    def start(self) -> str:
        return str(self.data["geldig_vanaf"])


def read_document(raw: bytes | str, file: str, kind: str = "regiekaart") -> YamlDocument | list[Problem]:
    """``raw`` as a YAML mapping that passes the schema of a ``kind`` document ("regiekaart" or
    "scenarios"), or every problem that prevents it.

    Remembered by file name and kind, with the content it was read from: a base kaart is read
    again for each kaart that extends it, a service reads its files again to see what changed,
    and reading is most of the cost of loading. Only a file's latest content is kept, so a file
    edited again and again (as a service reloads it) takes one place. Nothing downstream changes
    a document it was given."""
    if len(raw) > MAX_BYTES:  # refused at once: nothing to remember, and no copy of a huge text
        return _read_document(raw, file, kind)
    content = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(content).digest()
    known = _READ.get((file, kind), digest)
    if known is None:
        known = _read_document(raw, file, kind)
        _READ.put((file, kind), digest, known, len(content))
    return known


class _ReadCache:
    """One document per file and kind, at most MAX_CACHED_BYTES of source text in all; the
    oldest make way for new ones."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[bytes, YamlDocument | list[Problem], int]] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], digest: bytes) -> YamlDocument | list[Problem] | None:
        entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, key: tuple[str, str], digest: bytes, document: YamlDocument | list[Problem], size: int) -> None:
        with self._lock:
            if size > MAX_CACHED_BYTES:
                return
            if key in self._entries:
                self._size -= self._entries.pop(key)[2]
            while self._entries and self._size + size > MAX_CACHED_BYTES:
                self._size -= self._entries.pop(next(iter(self._entries)))[2]
            self._entries[key] = (digest, document, size)
            self._size += size


#: Source bytes whose read documents are remembered. A read document with its source map takes
#: about 18 times its source in memory (measured on the generic kaart: 50 KB of YAML, 0.9 MB), so
#: this keeps at most about 40 MB: room for a directory of some 40 kaarten of 50 KB (the bundled
#: ones are 0.1 MB together), while a service that reloads edited kaarten all day stays bounded.
MAX_CACHED_BYTES = 2 * 1024 * 1024
_READ = _ReadCache()


def _read_document(raw: bytes | str, file: str, kind: str) -> YamlDocument | list[Problem]:
    text = decode(raw, file) if isinstance(raw, bytes) else raw
    if isinstance(text, Problem):
        return [text]
    document = read_yaml(text, file)
    if isinstance(document, list):
        return document
    if not isinstance(document.data, dict):
        return [document.source.problem("geen-mapping", (), {"gevonden": type_phrase(document.data)})]
    return schema_problems(document.data, document.source, kind) or document


def _parse(raw: bytes | str, file: str) -> _Document | list[Problem]:
    document = read_document(raw, file)
    return document if isinstance(document, list) else _Document(file, document.data, document.source)


def read_file(path: Path, limit: int = MAX_BYTES) -> bytes | Problem:
    """The bytes of a regular file, at most one byte over ``limit``, or why it cannot be read."""
    try:
        if not path.is_file():
            return Problem("bestand-onleesbaar", str(path), 1, 1, "", {"reden": _why_not_a_file(path)})
        with path.open("rb") as handle:
            # As much as the file says it holds (a buffer of ``limit`` for every file looked at
            # costs more than reading it), and then whatever it grew by, up to the limit.
            data = handle.read(min(os.fstat(handle.fileno()).st_size, limit) + 1)
            return data + handle.read(limit + 1 - len(data)) if len(data) <= limit else data
    except OSError as error:
        return Problem("bestand-onleesbaar", str(path), 1, 1, "", {"reden": error.strerror or type(error).__name__})


def _why_not_a_file(path: Path) -> Phrase:
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Phrase("reden-koppeling-kring")
        return Phrase("reden-koppeling-kapot" if path.is_symlink() else "reden-bestaat-niet")
    return Phrase("reden-geen-bestand")


def bundled_dir() -> Path:
    """Where the kaarten shipped with ave_rules are (``ave-generiek`` among them)."""
    packaged = resources.files("ave_rules") / "regiekaarten"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "regiekaarten"  # a source checkout: src/ave_rules/kaart/


#: What the index reads of a kaart file: the keys that say which kaart and which version it is.
_HEADING_KEYS = frozenset({"id", "versie", "geldig_vanaf", "geldig_tot"})


@dataclass(frozen=True)
class _Heading:
    """What the index knows of a kaart file that claims an id: its version and dates, as written
    at the top level (read without building the document or checking the schema)."""

    version: str
    start: str
    end: str | None

    def valid_on(self, day: datetime.date) -> bool:
        try:
            start = datetime.date.fromisoformat(self.start)
            end = datetime.date.fromisoformat(self.end) if self.end is not None else None
        except ValueError:
            return False
        return start <= day and (end is None or day < end)


class _Memo:
    """Small facts derived from a file's content, by the content's hash; the oldest make way."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[tuple[bytes, str], Any] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[bytes, str], default: Any) -> Any:
        return self._entries.get(key, default)

    def put(self, key: tuple[bytes, str], value: Any) -> None:
        with self._lock:
            self._entries.pop(key, None)
            while len(self._entries) >= self._size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = value


#: Ids and headings of kaart files (a few hundred bytes each), and the hashes of merged kaarten
#: that passed the schema: none of these is large, so thousands of files fit.
_INDEX = _Memo(4096)
_UNREAD = object()


@dataclass
class _Listed:
    """A kaart file in a search directory, as the index sees it."""

    path: Path
    raw: bytes | Problem
    digest: bytes = b""
    id: str | None = None  # None: no id could be read (unreadable, broken, or not a kaart)

    def _text(self) -> str | None:
        if isinstance(self.raw, Problem):
            return None
        text = decode(self.raw, str(self.path))
        return None if isinstance(text, Problem) else text

    def read_id(self) -> None:
        if isinstance(self.raw, Problem):
            return
        self.digest = hashlib.sha256(self.raw).digest()
        known = _INDEX.get((self.digest, "id"), _UNREAD)
        if known is _UNREAD:
            text = self._text()
            found = None if text is None else top_level_texts(text, _HEADING_KEYS, stop_at="id")
            known = found.get("id") if found is not None else None
            known = known if isinstance(known, str) else None
            _INDEX.put((self.digest, "id"), known)
        self.id = known

    def heading(self) -> _Heading | None:
        """This file's version and dates, or None when they cannot be read from its top level."""
        known = _INDEX.get((self.digest, "heading"), _UNREAD)
        if known is _UNREAD:
            text = self._text()
            found = None if text is None else top_level_texts(text, _HEADING_KEYS)
            known = None
            if found is not None and found.get("id") == self.id:
                version, start, end = (found.get(key) for key in ("versie", "geldig_vanaf", "geldig_tot"))
                if isinstance(version, str) and isinstance(start, str) and (end is None or isinstance(end, str)):
                    known = _Heading(version, start, end)
            _INDEX.put((self.digest, "heading"), known)
        return known  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Version:
    """A file that claims a kaart id, with the version and dates its index read gave."""

    listed: _Listed
    heading: _Heading

    @property
    def start(self) -> str:
        return self.heading.start


@dataclass
class _Catalogue:
    """The kaarten a kaart can extend: those in the search directories, the first directory that
    has a file claiming an id holding every version of it.

    Finding a kaart reads only the top of each file (its ``id``, and the version and dates of the
    files that claim the id sought) and reads in full, with the schema, only the version chosen:
    other files beside a kaart, broken or not, neither cost a full read nor appear in its problems.
    """

    directories: Sequence[Path]
    exclude: frozenset[str] = frozenset()
    _listings: dict[str, list[_Listed]] = field(default_factory=dict)
    _documents: dict[str, _Document | list[Problem]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unique: dict[str, Path] = {}  # each directory once, where it is first named
        for directory in self.directories:
            unique.setdefault(os.path.abspath(directory), directory)
        self.directories = list(unique.values())

    def listing(self, directory: Path) -> list[_Listed]:
        """The kaart files in ``directory``, each with the id it claims."""
        key = str(directory)
        if key not in self._listings:
            listing = []
            for path in kaart_files(directory):
                if str(path) not in self.exclude:
                    listed = _Listed(path, read_file(path))
                    listed.read_id()
                    listing.append(listed)
            self._listings[key] = listing
        return self._listings[key]

    def listed(self) -> list[_Listed]:
        return [listed for directory in self.directories for listed in self.listing(directory)]

    def claims(self, kaart_id: str) -> list[_Listed]:
        """The files that claim ``kaart_id`` in the first directory that has one."""
        for directory in self.directories:
            claiming = [listed for listed in self.listing(directory) if listed.id == kaart_id]
            if claiming:
                return claiming
        return []

    def versions(self, claims: Sequence[_Listed]) -> list[_Version]:
        """The claims whose version and dates could be read, by first day."""
        found = []
        for listed in claims:
            heading = self._whole_heading(listed) if len(claims) == 1 else listed.heading()
            if heading is not None:
                found.append(_Version(listed, heading))
        return sorted(found, key=lambda version: version.start)

    def _whole_heading(self, listed: _Listed) -> _Heading | None:
        """The heading of the only file that claims an id: it is read in full if it is chosen, so
        it is read in full now, and its heading taken from it (the index's reading of its top
        level costs as much again); from the top level as usual if it does not read in full."""
        document = self.document(listed)
        if isinstance(document, list):
            return listed.heading()
        data = document.data
        return _Heading(data["versie"], data["geldig_vanaf"], data.get("geldig_tot"))

    def document(self, listed: _Listed) -> _Document | list[Problem]:
        """The file read in full and held to the schema: a document, or its problems."""
        name = str(listed.path)
        if name not in self._documents:
            raw = listed.raw
            self._documents[name] = _parse(raw, name) if isinstance(raw, bytes) else [raw]
        return self._documents[name]

    def problems(self, files: Iterable[_Listed]) -> list[Problem]:
        """The problems of those of ``files`` that do not read in full."""
        return [problem for listed in files for problem in _problems(self.document(listed))]

    def unidentified(self) -> list[Problem]:
        """The problems of every file whose id could not be read: when a kaart is not found, it may be one of them."""
        return self.problems(listed for listed in self.listed() if listed.id is None)

    def known_ids(self) -> list[str]:
        return sorted({listed.id for listed in self.listed() if listed.id is not None})

    def not_found(self, kaart_id: str) -> dict[str, str | Phrase]:
        """What a message says when ``kaart_id`` is not found: the closest id, where it looked."""
        searched = ", ".join(str(directory) for directory in self.directories)
        return {"suggestie": closest(kaart_id, self.known_ids()), "gezocht": searched}


def _problems(document: _Document | list[Problem]) -> list[Problem]:
    return document if isinstance(document, list) else []


def is_scenario_file(path: Path) -> bool:
    return path.name.endswith(SCENARIO_SUFFIXES)


def kaart_files(directory: Path) -> list[Path]:
    """The kaart files in ``directory`` (not in its subdirectories; scenario files left out).

    Everything with a kaart's name that is not a directory counts, so a broken link or one that
    loops is reported when it is read (``bestand-onleesbaar``), never skipped without a word."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.suffix in KAART_SUFFIXES and not is_scenario_file(path) and not path.is_dir()
    )


_Resolved = tuple[dict[str, Any], Locator, tuple[str, ...], list[Problem]]


def _resolve(
    document: _Document, catalogue: _Catalogue, on: datetime.date, chain: tuple[_Document, ...] = ()
) -> _Resolved:
    """The document with everything it extends merged in, as of ``on``, and the ids of the kaarten
    it extends (nearest first); or the problems that prevent it.

    Problems with the chain itself are located in the kaart the chain starts from."""
    base_id = document.data.get("breidt_uit")
    if base_id is None:
        return document.data, document.source, (), []
    where = ("breidt_uit",)
    chain = (*chain, document)
    start = chain[0]
    ids = [doc.id for doc in chain]

    def refused(*problems: Problem) -> _Resolved:
        return document.data, document.source, (), list(problems)

    if base_id in ids:
        cycle = " → ".join((*ids[ids.index(base_id) :], base_id))
        return refused(start.source.problem("basis-kring", where, {"kring": cycle}))
    if len(chain) + 1 > MAX_CHAIN:  # the kaarten in the chain, its last base included
        keten = " → ".join((*ids, base_id))
        return refused(start.source.problem("basis-te-diep", where, {"grens": str(MAX_CHAIN), "keten": keten}))
    claims = catalogue.claims(base_id)
    if not claims:
        params = {"basis": base_id, **catalogue.not_found(base_id)}
        return refused(document.source.problem("basis-ontbreekt", where, params), *catalogue.unidentified())
    current = [version for version in catalogue.versions(claims) if version.heading.valid_on(on)]
    if not current:
        params = {"basis": base_id, "datum": on.isoformat()}
        return refused(document.source.problem("basis-niet-geldig", where, params), *catalogue.problems(claims))
    base = catalogue.document(current[-1].listed)
    if isinstance(base, list) or base.id != base_id:  # its own problems say why it is no base
        params = {"basis": base_id, **catalogue.not_found(base_id), "suggestie": ""}
        return refused(document.source.problem("basis-ontbreekt", where, params), *_problems(base))
    base_data, base_at, further, problems = _resolve(base, catalogue, on, chain)
    if problems:
        return refused(*problems)
    merged, at, merge_problems = merge(base_data, base_at, document.data, document.source)
    return merged, at, (base_id, *further), merge_problems


def _build(
    data: dict[str, Any], at: Locator, files: tuple[str, ...], bases: tuple[str, ...], decider: DeciderFactory
) -> Regiekaart | list[Problem]:
    content_hash = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    if "breidt_uit" in data and _INDEX.get((bytes.fromhex(content_hash), "merged"), None) is None:
        # Merged: hold the result to the schema of a complete kaart, so a merged kaart gets the
        # same messages as a standalone one, located in the file each value came from. Most of a
        # warm load's time; whether it passes depends on the merged content alone.
        problems = schema_problems({key: value for key, value in data.items() if key != "breidt_uit"}, at)
        if problems:
            return problems
        _INDEX.put((bytes.fromhex(content_hash), "merged"), True)
    try:
        kaart = Regiekaart.model_validate(data)
    except pydantic.ValidationError as error:
        return [model_problem(detail, data, at) for detail in error.errors()]
    problems = meaning_problems(kaart, at)
    if problems:
        return problems
    provenance = at.provenance if isinstance(at, MergedLocator) else None
    kaart._attach(KaartSource(at, files, bases, content_hash, provenance), decider)
    return kaart


def model_problem(detail: Any, data: Any, at: Locator) -> Problem:
    """A pydantic error, located; union tags in its ``loc`` are skipped by walking the data."""
    path: list[str | int] = []
    node = data
    for part in detail["loc"]:
        in_mapping = isinstance(node, dict) and part in node
        if in_mapping or (isinstance(node, list) and isinstance(part, int) and part < len(node)):
            node = node[part]
        elif detail["type"] == "missing" and part == detail["loc"][-1]:
            return at.problem("sleutel-ontbreekt", tuple(path), {"sleutel": str(part)})
        else:
            continue
        path.append(part)
    return at.problem("schema-overig", tuple(path), {"detail": detail["msg"]})


def _default_day(document: _Document, on: datetime.date | None) -> datetime.date:
    """``on``; else today, or the kaart's first day when it is not valid today (to review a future kaart)."""
    if on is not None:
        return on
    today = datetime.date.today()
    if document.valid_on(today):
        return today
    try:
        return datetime.date.fromisoformat(document.start())
    except ValueError:  # an impossible date: the checks report it
        return today


def _load_document(
    document: _Document, catalogue: _Catalogue, on: datetime.date | None, decider: DeciderFactory
) -> Regiekaart:
    data, at, bases, problems = _resolve(document, catalogue, _default_day(document, on))
    if problems:
        raise RegiekaartError(problems)
    built = _build(data, at, (document.file,), bases, decider)
    if isinstance(built, list):
        raise RegiekaartError(built)
    return built


def read_kaart_text(
    text: str,
    name: str,
    *,
    on: datetime.date | None,
    search: Sequence[str | Path],
    decider: DeciderFactory,
) -> Regiekaart:
    """The kaart in YAML ``text``; ``name`` is used in problem locations. Its base kaart is
    looked up in ``search``, then among the bundled kaarten, in the version of ``on``
    (default: today, or the kaart's first day if it is not valid today)."""
    parsed = _parse(text, name)
    if isinstance(parsed, list):
        raise RegiekaartError(parsed)
    catalogue = _Catalogue([*(Path(directory) for directory in search), bundled_dir()])
    return _load_document(parsed, catalogue, on, decider)


def read_kaart(path: str | Path, *, on: datetime.date | None, decider: DeciderFactory) -> Regiekaart:
    """The kaart in file ``path``; its base kaart is looked up next to it, then among the bundled kaarten."""
    path = Path(path)
    document = read_checked(path)
    catalogue = _Catalogue([path.parent, bundled_dir()], exclude=frozenset({str(path)}))
    return _load_document(_Document(str(path), document.data, document.source), catalogue, on, decider)


def read_checked(path: Path, kind: str = "regiekaart") -> YamlDocument:
    """The file ``path`` as a YAML mapping that passes the schema of a ``kind`` document; raises
    :class:`~ave_rules.RegiekaartError` with every problem that prevents it."""
    raw = read_file(path)
    if isinstance(raw, Problem):
        raise RegiekaartError([raw])
    document = read_document(raw, str(path), kind)
    if isinstance(document, list):
        raise RegiekaartError(document)
    return document


M = TypeVar("M", bound=pydantic.BaseModel)


def read_modelled(path: Path, kind: str, model: type[M]) -> tuple[YamlDocument, M]:
    """The file ``path`` (a ``kind`` document) held to its schema and read into ``model``; raises
    :class:`~ave_rules.RegiekaartError`, located."""
    document = read_checked(path, kind)
    try:
        content = model.model_validate(document.data)
    except pydantic.ValidationError as error:
        details = error.errors()
        raise RegiekaartError(model_problem(detail, document.data, document.source) for detail in details) from None
    return document, content


def read_kaart_id(
    kaart_id: str, *, search: Sequence[str | Path], on: datetime.date | None, decider: DeciderFactory
) -> Regiekaart:
    """The kaart with id ``kaart_id``, looked up in ``search`` and then among the bundled kaarten.

    Its version valid on ``on``; without ``on``, the version valid today, or else the first
    version still to start (to review a kaart before it takes effect). Raises
    :class:`~ave_rules.KaartNotFoundError` when there is no such kaart or version, and
    :class:`~ave_rules.RegiekaartError` when it does not load."""
    catalogue = _Catalogue([*(Path(directory) for directory in search), bundled_dir()])
    claims = catalogue.claims(kaart_id)
    if not claims:
        raise KaartNotFoundError(
            "kaart-onbekend", {"id": kaart_id, **catalogue.not_found(kaart_id)}, catalogue.unidentified()
        )
    versions = catalogue.versions(claims)
    day = on or datetime.date.today()
    current = [version for version in versions if version.heading.valid_on(day)]
    if not current and on is None:
        current = [version for version in versions if version.start > day.isoformat()][:1]
    if not current:
        spans = ", ".join(
            f"{version.heading.version} ({version.start} – {version.heading.end or ''})" for version in versions
        )
        params = {"id": kaart_id, "datum": day.isoformat(), "versies": spans}
        raise KaartNotFoundError("kaart-niet-geldig", params, catalogue.problems(claims))
    chosen = catalogue.document(current[-1].listed)
    if isinstance(chosen, list):
        raise RegiekaartError(chosen)
    return _load_document(chosen, catalogue, on, decider)


def read_kaart_versions(path: str | Path, *, on: datetime.date | None, decider: DeciderFactory) -> list[Regiekaart]:
    """Every kaart file in directory ``path``, each version loaded; any problem raises.

    A version valid on ``on`` (default today) is resolved against the bases of that day; any
    other version against the bases of its own first day."""
    directory = Path(path)
    day = on or datetime.date.today()
    if not kaart_files(directory):
        if directory.is_dir():
            raise RegiekaartError([Problem("geen-kaarten", str(directory), 1, 1, "")])
        raise RegiekaartError(
            [Problem("bestand-onleesbaar", str(directory), 1, 1, "", {"reden": Phrase("reden-geen-map")})]
        )
    catalogue = _Catalogue([directory, bundled_dir()])
    read = [catalogue.document(listed) for listed in catalogue.listing(catalogue.directories[0])]
    documents = [document for document in read if isinstance(document, _Document)]
    problems = [problem for document in read for problem in _problems(document)] + _version_problems(documents)
    kaarten: list[Regiekaart] = []
    for document in documents:
        try:
            kaarten.append(_load_document(document, catalogue, day if document.valid_on(day) else None, decider))
        except RegiekaartError as error:
            problems.extend(error.problems)
    if problems:
        raise RegiekaartError(_once(problems))
    return kaarten


def _once(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` without repeats: a broken base is reported by every kaart that extends it."""
    unique: list[Problem] = []
    for problem in problems:
        if problem not in unique:
            unique.append(problem)
    return unique


def _version_problems(documents: Sequence[_Document]) -> list[Problem]:
    problems = []
    for index, document in enumerate(documents):
        for other in documents[:index]:
            if other.id != document.id:
                continue
            if other.data["versie"] == document.data["versie"]:
                problems.append(
                    document.source.problem(
                        "dubbele-versie",
                        ("versie",),
                        {"id": document.id, "versie": str(document.data["versie"]), "andere": other.file},
                    )
                )
            elif _overlap(document, other):
                problems.append(
                    document.source.problem(
                        "versies-overlappen", ("geldig_vanaf",), {"id": document.id, "andere": other.file}
                    )
                )
    return problems


def _overlap(first: _Document, second: _Document) -> bool:
    def span(document: _Document) -> tuple[str, str]:
        return document.start(), str(document.data.get("geldig_tot", "9999-12-31"))

    (a_start, a_end), (b_start, b_end) = span(first), span(second)
    return a_start < b_end and b_start < a_end


# --- scenario files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioDocument:
    """A scenario file that is well-formed YAML, passes its schema and model: not yet checked
    against its kaart."""

    file: str
    content: ScenarioSet
    source: SourceMap

    @property
    def reference_date(self) -> datetime.date | None:
        """The file's ``peildatum``; raises RegiekaartError, located, when it is no real date."""
        written = self.content.reference_date
        if written is None:
            return None
        try:
            return datetime.date.fromisoformat(written)
        except ValueError:
            raise RegiekaartError(
                [self.source.problem("ongeldige-datum", ("peildatum",), {"waarde": written})]
            ) from None

    def problems_with(self, kaart: Regiekaart) -> list[Problem]:
        """Every id used twice, and every fact, value, level, organisation or action the kaart does not know."""
        return [
            *duplicate_ids({"scenarios": self.content.scenarios}, self.source),
            *scenario_definition_problems(kaart, self.content.scenarios, self.source),
        ]


def read_scenario_file(path: str | Path) -> ScenarioDocument:
    """The scenario file ``path``, read and held to its schema; raises RegiekaartError, located."""
    document, content = read_modelled(Path(path), "scenarios", ScenarioSet)
    return ScenarioDocument(str(path), content, document.source)
