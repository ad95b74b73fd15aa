"""Files of anonymised real cases for ``ave-rules simulate`` and ``ave-rules diff --cases``.

Two forms, chosen by the file's extension:

* ``.csv``: a header row of fact ids, then one case per row, separated by ``,`` or ``;`` (as the
  header shows). An empty cell means the fact is not given (the kaart's default applies); a
  ``ja_nee`` fact is ``ja``/``nee`` (or ``true``/``false``); a ``verzameling`` lists its members
  separated by ``|``; other facts give the value as written.
* ``.jsonl``: one JSON object of facts per line, as ``ave-rules evaluate`` takes them.

Every case is checked against the kaarten it is for; a file with a problem is refused as a whole
(never partly used), with each problem located by line and column (the CSV column's number).
Problems name the fact, never repeat a cell's content.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._messages import closest
from ..engine import FactChecker
from ..errors import MAX_PROBLEMS, CaseFileError, FactsError, Problem
from ..kaart import BooleanFact, Regiekaart, SetFact, decode, read_file

#: Real case files are larger than kaarten; still bounded, as everything read from outside.
MAX_CASE_FILE_BYTES = 64 * 1024 * 1024
MAX_CASES = 1_000_000
MEMBER_SEPARATOR = "|"
_BOOLEANS = {"ja": True, "nee": False, "true": True, "false": False}


@dataclass(frozen=True)
class Case:
    line: int
    facts: dict[str, Any]
    columns: Mapping[str, int]  # fact -> column where it is written


def read_cases(path: str | Path, kaarten: Sequence[Regiekaart]) -> list[dict[str, Any]]:
    """The cases in ``path``, each valid for every kaart in ``kaarten`` (a fact only one kaart
    knows is checked by that kaart alone); CaseFileError otherwise."""
    name = str(path)
    text = _text(Path(path))
    if isinstance(text, Problem):
        raise CaseFileError([text])
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise CaseFileError([Problem("cli-casussen-soort", name, 1, 1, "", {"soort": suffix or "-"})])
    kinds = {fact.id: fact for kaart in kaarten for fact in kaart.facts}
    rows = _csv_cases(text, name, kinds) if suffix == ".csv" else _json_cases(text, name)
    cases: list[dict[str, Any]] = []
    problems: list[Problem] = []
    checkers = [FactChecker(kaart) for kaart in kaarten]
    known = kinds.keys()
    for row in rows:
        if isinstance(row, Problem):
            problems.append(row)
        elif len(cases) == MAX_CASES:
            problems.append(Problem("cli-casussen-te-veel", name, row.line, 1, "", {"grens": str(MAX_CASES)}))
            break
        else:
            found = list(_fact_problems(row, name, checkers, known))
            problems.extend(found)
            if not found:
                cases.append(row.facts)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise CaseFileError(problems[:MAX_PROBLEMS])
    return cases


def _text(path: Path) -> str | Problem:
    raw = read_file(path, MAX_CASE_FILE_BYTES)
    if isinstance(raw, Problem):
        return raw
    if len(raw) > MAX_CASE_FILE_BYTES:
        return Problem("cli-casussen-te-groot", str(path), 1, 1, "", {"grens": str(MAX_CASE_FILE_BYTES)})
    return decode(raw, str(path), MAX_CASE_FILE_BYTES)


def _csv_cases(text: str, name: str, kinds: Mapping[str, Any]) -> Iterator[Case | Problem]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        yield Problem("cli-casussen-geen-kop", name, 1, 1, "", {})
        return
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
        header_problems = list(_header_problems(header, name, kinds))
        if header_problems:
            yield from header_problems
            return
        columns = {fact: column for column, fact in enumerate(header, 1)}
        for cells in reader:
            line = reader.line_num
            if not cells:  # a blank line; a line of empty cells is a case with every fact defaulted
                continue
            if len(cells) != len(header):
                params = {"aantal": str(len(cells)), "verwacht": str(len(header))}
                yield Problem("cli-casussen-aantal-cellen", name, line, 1, "", params)
                continue
            yield from _csv_case(line, header, cells, columns, kinds, name)
    except csv.Error as error:
        yield Problem("cli-casussen-csv", name, reader.line_num, 1, "", {"reden": str(error)})


def _header_problems(header: list[str], name: str, kinds: Mapping[str, Any]) -> Iterator[Problem]:
    """Columns that repeat an earlier one or are no fact of the kaarten; a header is never repeated
    in a message (a wrong one may be anything)."""
    for column, fact in enumerate(header, 1):
        if header.index(fact) != column - 1:
            yield Problem("cli-casussen-dubbele-kolom", name, 1, column, "", {"eerder": str(header.index(fact) + 1)})
        elif fact not in kinds:
            yield Problem("cli-casussen-onbekende-kolom", name, 1, column, "", {"suggestie": closest(fact, kinds)})


def _csv_case(
    line: int, header: list[str], cells: list[str], columns: dict[str, int], kinds: Mapping[str, Any], name: str
) -> Iterator[Case | Problem]:
    facts: dict[str, Any] = {}
    for column, (fact, cell) in enumerate(zip(header, cells, strict=True), 1):
        cell = cell.strip()
        if not cell:
            continue
        kind = kinds.get(fact)
        if isinstance(kind, BooleanFact):
            if cell.lower() not in _BOOLEANS:
                yield Problem("cli-casussen-ja-nee", name, line, column, f"/{fact}", {"feit": fact})
                return
            facts[fact] = _BOOLEANS[cell.lower()]
        elif isinstance(kind, SetFact):
            facts[fact] = [member.strip() for member in cell.split(MEMBER_SEPARATOR)]
        else:
            facts[fact] = cell
    yield Case(line, facts, columns)


def _json_cases(text: str, name: str) -> Iterator[Case | Problem]:
    for line, content in enumerate(text.splitlines(), 1):
        if not content.strip():
            continue
        try:
            facts = json.loads(content, object_pairs_hook=_unique_keys)
        except _DuplicateKey:
            yield Problem("cli-casussen-dubbele-sleutel", name, line, 1, "", {})
            continue
        except (ValueError, RecursionError) as error:
            column = getattr(error, "colno", 1)
            yield Problem("cli-casussen-json", name, line, column, "", {"reden": getattr(error, "msg", "")})
            continue
        if not isinstance(facts, dict):
            yield Problem("cli-casussen-geen-object", name, line, 1, "", {})
            continue
        yield Case(line, facts, {})


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


def _fact_problems(case: Case, name: str, checkers: list[FactChecker], known: Collection[str]) -> Iterator[Problem]:
    """The case's problems for each kaart, each once, at the column of the fact concerned."""
    seen: set[tuple[str, str]] = set()
    for checker in checkers:
        try:
            checker.validated(facts_for(checker.kaart, known, case.facts))
        except FactsError as error:
            for problem in error.problems:
                if (problem.code, problem.path) not in seen:
                    seen.add((problem.code, problem.path))
                    column = case.columns.get(problem.path.split("/")[0], 1)
                    path = f"/{problem.path}" if problem.path else ""
                    yield Problem(problem.code, name, case.line, column, path, problem.params)
