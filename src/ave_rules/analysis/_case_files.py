"""Files of anonymised real cases for ``ave-rules simulate`` and ``ave-rules diff --cases``.

Two forms, chosen by the file's extension:

* ``.csv``: a header row of fact ids, then one case per line, separated by ``,`` or ``;`` (as the
  header shows). An empty cell means the fact is not given (the kaart's default applies); a
  ``ja_nee`` fact is ``ja``/``nee`` (or ``true``/``false``); a ``verzameling`` lists its members
  separated by ``|``; other facts give the value as written.
* ``.jsonl``: one JSON object of facts per line, as ``ave-rules evaluate`` takes them.

The file is streamed line by line (each line at most MAX_LINE_BYTES): memory grows with the
distinct cases, not with the rows. A line seen before is not parsed or checked again; each
distinct case is kept once, as a number (``CaseCoding``), with how many rows give it.

Every case is checked against the kaarten it is for; a file with a problem is refused as a whole
(never partly used: nothing is decided before the whole file has been read), with each problem
located by line and column (the CSV column's number). Problems name the fact, never repeat a
cell's content.
"""

from __future__ import annotations

import csv
import json
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .._messages import closest
from ..engine import FactChecker
from ..errors import MAX_PROBLEMS, CaseFileError, FactProblem, FactsError, Problem
from ..kaart import BooleanFact, Regiekaart, SetFact, read_file
from ._coding import CaseCoding

#: A line longer than this is refused (a case of categorical facts takes a few hundred bytes).
MAX_LINE_BYTES = 1024 * 1024
#: Distinct cases in one file; memory is about 100 bytes each. Far above any real case load
#: (a national re-evaluation is about 10^5 open cases), and still bounded.
MAX_DISTINCT_CASES = 20_000_000
#: Lines remembered with their case, so that a repeated line is neither parsed nor checked again;
#: when full it starts again (a speed-up only: the counts do not depend on it).
LINE_MEMORY = 1 << 18
#: Distinct cells remembered per column with their part of the case's number (or their problems).
CELL_MEMORY = 1 << 16
#: How often (in rows) the reader reports its progress.
PROGRESS_EVERY = 1 << 16
MEMBER_SEPARATOR = "|"
_BOOLEANS = {"ja": True, "nee": False, "true": True, "false": False}
_CellProblem = tuple[str, str, dict[str, Any]]  # (code, path, params)

#: Progress: (rows read, distinct cases so far).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Case:
    line: int
    facts: dict[str, Any]
    columns: Mapping[str, int]  # fact -> column where it is written


@dataclass(frozen=True)
class CaseCounts:
    """The distinct cases of a case load, each with the number of rows that give it.

    Two rows are one case when they give the same facts the same values (the order of the facts,
    of a set's members, or ``ja`` against ``true`` make no difference); a fact not given differs
    from a fact given its default value, since two kaarten may have different defaults."""

    rows: int
    counts: Mapping[int, int]  # the case's number in ``coding`` -> rows
    coding: CaseCoding

    @property
    def distinct(self) -> int:
        return len(self.counts)

    def cases(self) -> Iterator[tuple[dict[str, Any], int]]:
        """Each distinct case, as the facts given (a set as a list), with its number of rows."""
        decode = self.coding.decode
        for code, count in self.counts.items():
            yield decode(code), count


def count_cases(path: str | Path, kaarten: Sequence[Regiekaart], progress: Progress | None = None) -> CaseCounts:
    """The distinct cases in ``path``, each valid for every kaart in ``kaarten`` (a fact only one
    kaart knows is checked by that kaart alone), with their counts; CaseFileError otherwise.
    ``progress`` is called now and then with the rows read and the distinct cases so far."""
    reader = _Reader(str(path), kaarten, progress)
    reader.read(Path(path))
    if reader.problems:
        raise CaseFileError(reader.problems[:MAX_PROBLEMS])
    return CaseCounts(reader.rows, reader.counts, reader.coding)


def count_given(cases: Iterable[Mapping[str, Any]], kaarten: Sequence[Regiekaart]) -> tuple[CaseCounts, list[int]]:
    """Cases given in memory, counted like a file's, and the number of each case in order;
    FactsError (the case named by its index) for the first case that does not fit."""
    coding = CaseCoding(kaarten)
    checkers = [FactChecker(kaart) for kaart in kaarten]
    known = coding.known
    counts: dict[int, int] = {}
    order: list[int] = []
    for index, facts in enumerate(cases):
        plain: dict[str, Any] = {}
        for checker in checkers:
            try:
                plain.update(checker.validated(facts_for(checker.kaart, known, facts)))
            except FactsError as error:
                raise FactsError(
                    [
                        FactProblem(p.code, f"{index}/{p.path}" if p.path else str(index), p.params)
                        for p in error.problems
                    ]
                ) from None
        code = coding.encode(plain)
        counts[code] = counts.get(code, 0) + 1
        order.append(code)
    return CaseCounts(len(order), counts, coding), order


def read_cases(path: str | Path, kaarten: Sequence[Regiekaart]) -> list[dict[str, Any]]:
    """Deprecated (goes in ave_rules 0.3): every row of ``path`` as a dict, in memory. Use
    :func:`count_cases`, which keeps each distinct case once, with its count."""
    warnings.warn(
        "read_cases is deprecated and goes in ave_rules 0.3; use ave_rules.analysis.count_cases",
        DeprecationWarning,
        stacklevel=2,
    )
    reader = _Reader(str(path), kaarten, None, keep_order=True)
    reader.read(Path(path))
    if reader.problems:
        raise CaseFileError(reader.problems[:MAX_PROBLEMS])
    decode = reader.coding.decode
    return [decode(code) for code in reader.order]


class _Reader:
    """One pass over a case file: counts the distinct cases and collects the problems."""

    def __init__(
        self, name: str, kaarten: Sequence[Regiekaart], progress: Progress | None, *, keep_order: bool = False
    ) -> None:
        self.name = name
        self.coding = CaseCoding(kaarten)
        self.kinds = {fact.id: fact for kaart in kaarten for fact in kaart.facts}
        self.checkers = [FactChecker(kaart) for kaart in kaarten]
        self.progress = progress
        self.rows = 0
        self.counts: dict[int, int] = {}
        self.order: list[int] = []
        self.keep_order = keep_order
        self.problems: list[Problem] = []
        self._seen: dict[bytes, int] = {}  # a line as read -> its case
        self._offset = 0  # bytes read before the current line, for an encoding problem

    def read(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".jsonl"):
            self.problems.append(Problem("cli-casussen-soort", self.name, 1, 1, "", {"soort": suffix or "-"}))
            return
        unreadable = read_file(path, 0)  # a regular file that can be opened, or why not
        if isinstance(unreadable, Problem):
            self.problems.append(unreadable)
            return
        try:
            with path.open("rb") as handle:
                if suffix == ".csv":
                    self._csv(handle)
                else:
                    self._jsonl(handle)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.problems.append(Problem("bestand-onleesbaar", self.name, 1, 1, "", {"reden": reason}))

    # --- lines ------------------------------------------------------------------------------------
    def _lines(self, handle: IO[bytes]) -> Iterator[tuple[int, bytes]]:
        """(line number, the line's bytes) for every line, a too long one reported and skipped."""
        number = 0
        while len(self.problems) < MAX_PROBLEMS:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                self._problem("cli-casussen-regel-te-lang", number, 1, {"grens": str(MAX_LINE_BYTES)})
                self._offset += len(raw)
                while raw and not raw.endswith(b"\n"):
                    raw = handle.readline(MAX_LINE_BYTES + 1)
                    self._offset += len(raw)
                continue
            yield number, raw
            self._offset += len(raw)

    def _text(self, number: int, raw: bytes) -> str | None:
        try:
            return raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            column = len(raw[: error.start].decode("utf-8", "replace")) + 1
            self._problem("geen-utf8", number, column, {"byte": str(self._offset + error.start + 1)})
            return None

    def _count(self, number: int, raw: bytes, code: int) -> None:
        counts = self.counts
        if code not in counts:
            if len(counts) == MAX_DISTINCT_CASES:
                self._problem("cli-casussen-te-veel", number, 1, {"grens": str(MAX_DISTINCT_CASES)})
                return
            counts[code] = 0
        counts[code] += 1
        if self.keep_order:
            self.order.append(code)
        if len(self._seen) >= LINE_MEMORY:
            self._seen.clear()
        self._seen[raw] = code

    def _repeated(self, raw: bytes) -> bool:
        """Count ``raw`` if it is a line seen before (the hot path: most rows of a real load)."""
        code = self._seen.get(raw)
        if code is None:
            return False
        self.counts[code] += 1
        if self.keep_order:
            self.order.append(code)
        return True

    def _row_done(self) -> None:
        self.rows += 1
        if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
            self.progress(self.rows, len(self.counts))

    # --- CSV ----------------------------------------------------------------------------------------
    def _csv(self, handle: IO[bytes]) -> None:
        lines = self._lines(handle)
        first = next(lines, None)
        text = None if first is None else self._text(*first)
        if first is not None and text is None:
            return
        if text is None or not text.strip():
            self._problem("cli-casussen-geen-kop", 1, 1, {})
            return
        delimiter = ";" if text.count(";") > text.count(",") else ","
        cells = self._cells(1, text, delimiter)
        if cells is None:
            return
        header = [cell.strip() for cell in cells]
        if self._header_problems(header):
            return
        memos: list[dict[str, int]] = [{} for _ in header]  # per column: a valid cell's part of the number
        for number, raw in lines:
            if self._repeated(raw):
                self._row_done()
                continue
            text = self._text(number, raw)
            if text is None:
                continue
            cells = self._cells(number, text, delimiter)
            if not cells:  # a blank line; a line of empty cells is a case with every fact defaulted
                continue
            if len(cells) != len(header):
                params = {"aantal": str(len(cells)), "verwacht": str(len(header))}
                self._problem("cli-casussen-aantal-cellen", number, 1, params)
                continue
            parts = list(map(dict.get, memos, cells))
            if None in parts:
                self._new_cells(number, header, cells, memos, parts)
            if None not in parts:
                self._count(number, raw, sum(parts))  # type: ignore[arg-type]
            self._row_done()

    def _new_cells(
        self, number: int, header: list[str], cells: list[str], memos: list[dict[str, int]], parts: list[int | None]
    ) -> None:
        """Fill in the parts of cells not seen before in their column; a cell with a problem is
        reported (at every line it is in) and its part stays None."""
        for index, (fact, cell, memo) in enumerate(zip(header, cells, memos, strict=True)):
            if parts[index] is not None:
                continue
            part = self._cell(fact, cell)
            if isinstance(part, int):
                parts[index] = part
                if len(memo) < CELL_MEMORY:
                    memo[cell] = part
            else:
                for problem_code, path, params in part:
                    self._problem(problem_code, number, index + 1, params, path)

    def _cell(self, fact: str, cell: str) -> int | list[_CellProblem]:
        """A cell's part of its case's number, or its problems; each distinct cell is read once."""
        cell = cell.strip()
        if not cell:
            return 0
        kind = self.kinds[fact]
        value: Any
        if isinstance(kind, BooleanFact):
            if cell.lower() not in _BOOLEANS:
                return [("cli-casussen-ja-nee", f"/{fact}", {"feit": fact})]
            value = _BOOLEANS[cell.lower()]
        elif isinstance(kind, SetFact):
            value = [member.strip() for member in cell.split(MEMBER_SEPARATOR)]
        else:
            value = cell
        problems: list[_CellProblem] = []
        plain: dict[str, Any] = {}
        for checker in self.checkers:
            if fact not in checker.kaart.fact_by_id:
                continue
            try:
                plain = checker.validated({fact: value})
            except FactsError as error:
                for problem in error.problems:
                    found = (problem.code, f"/{problem.path}" if problem.path else "", dict(problem.params))
                    if found[:2] not in [known[:2] for known in problems]:
                        problems.append(found)
        return problems or self.coding.encode(plain)

    def _cells(self, number: int, text: str, delimiter: str) -> list[str] | None:
        try:
            return next(csv.reader((text,), delimiter=delimiter, strict=True), [])
        except csv.Error as error:
            self._problem("cli-casussen-csv", number, 1, {"reden": str(error)})
            return None

    def _header_problems(self, header: list[str]) -> bool:
        """Columns that repeat an earlier one or are no fact of the kaarten; a header is never
        repeated in a message (a wrong one may be anything)."""
        found = False
        for column, fact in enumerate(header, 1):
            if header.index(fact) != column - 1:
                self._problem("cli-casussen-dubbele-kolom", 1, column, {"eerder": str(header.index(fact) + 1)})
                found = True
            elif fact not in self.kinds:
                self._problem("cli-casussen-onbekende-kolom", 1, column, {"suggestie": closest(fact, self.kinds)})
                found = True
        return found

    # --- JSON lines -------------------------------------------------------------------------------
    def _jsonl(self, handle: IO[bytes]) -> None:
        for number, raw in self._lines(handle):
            if self._repeated(raw):
                self._row_done()
                continue
            text = self._text(number, raw)
            if text is None or not text.strip():
                continue
            try:
                facts = json.loads(text, object_pairs_hook=_unique_keys)
            except _DuplicateKey:
                self._problem("cli-casussen-dubbele-sleutel", number, 1, {})
                continue
            except (ValueError, RecursionError) as error:
                self._problem(
                    "cli-casussen-json", number, getattr(error, "colno", 1), {"reden": getattr(error, "msg", "")}
                )
                continue
            if not isinstance(facts, dict):
                self._problem("cli-casussen-geen-object", number, 1, {})
                continue
            self._case(Case(number, facts, {}), raw)
            self._row_done()

    # --- cases ------------------------------------------------------------------------------------
    def _case(self, case: Case, raw: bytes) -> None:
        """Check a case not seen before against every kaart, and count it."""
        plain: dict[str, Any] = {}
        seen: set[tuple[str, str]] = set()
        for checker in self.checkers:
            try:
                plain.update(checker.validated(facts_for(checker.kaart, self.coding.known, case.facts)))
            except FactsError as error:
                for problem in error.problems:
                    if (problem.code, problem.path) not in seen:
                        seen.add((problem.code, problem.path))
                        column = case.columns.get(problem.path.split("/")[0], 1)
                        path = f"/{problem.path}" if problem.path else ""
                        self._problem(problem.code, case.line, column, problem.params, path)
        if not seen:
            self._count(case.line, raw, self.coding.encode(plain))

    def _problem(self, code: str, line: int, column: int, params: Mapping[str, Any], path: str = "") -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(code, self.name, line, column, path, dict(params)))


class _DuplicateKey(ValueError):
    """A key twice in one JSON object (json keeps the last one without a word)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey
        result[key] = value
    return result


def facts_for(kaart: Regiekaart, known: Collection[str], case: Mapping[str, Any]) -> dict[str, Any]:
    """``case`` as one of several kaarten, which together know the facts ``known``, gets it:
    without the facts only the others know (a fact none of them knows stays, and is refused)."""
    return {fact: value for fact, value in case.items() if fact in kaart.fact_by_id or fact not in known}
