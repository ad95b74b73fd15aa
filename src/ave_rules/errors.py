"""Every exception and warning ave_rules raises on purpose, and the located problems they carry.

One hierarchy; catch :class:`AveRulesError` for all of them::

    AveRulesError
    ├── ProblemsError              a file cannot be used; ``problems``: every Problem, located
    │   ├── RegiekaartError        a kaart or a scenario file (also a ValueError)
    │   ├── CaseFileError          a file of cases, .csv or .jsonl (also a ValueError)
    │   ├── RecordError            a decision record, unreadable or changed (also a ValueError)
    │   └── HistoryError           a case's history, or a decision that cannot follow it (a ValueError)
    ├── FactsError                 a case's facts do not fit the kaart; ``problems``: FactProblem
    ├── CodedError                 one message: ``code``, ``params``, ``message``
    │   ├── EngineError            the rules engine cannot be used or failed (also a RuntimeError)
    │   │   └── EngineLimitError   a valid kaart beyond what durable-rules can hold
    │   ├── KaartNotFoundError     no kaart with that id, or no version on that day (a LookupError)
    │   ├── PeildatumError         the day to decide on is no date from 1900 to 9998 (a ValueError)
    │   ├── ScaffoldError          ``new_kaart`` cannot make a valid kaart (a ValueError)
    │   ├── DiffError              two kaarten cannot be compared (a ValueError)
    │   └── CrossCheckError        a case load's diagrams and engine disagree (a RuntimeError)
    └── KaartTestFailure           a failed item of the pytest plugin, shown without a traceback

    AveRulesWarning (a UserWarning)
    ├── EngineWarning              durable-rules cannot decide for a kaart; the reference evaluator does
    └── KaartWarning               a warning of ``ave_rules.check``, shown by the pytest plugin

Messages are rendered from a catalogue (Dutch by default, English on request) when they are read;
``code`` is stable across versions and languages, so programs key on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._messages import Params, Rendered, printable

__all__ = [
    "AveRulesError",
    "AveRulesWarning",
    "CaseFileError",
    "CodedError",
    "CrossCheckError",
    "DiffError",
    "EngineError",
    "EngineLimitError",
    "EngineWarning",
    "FactProblem",
    "FactsError",
    "HistoryError",
    "KaartNotFoundError",
    "KaartTestFailure",
    "KaartWarning",
    "PeildatumError",
    "Problem",
    "ProblemsError",
    "RecordError",
    "RegiekaartError",
    "ScaffoldError",
]


# --- located problems ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem(Rendered):
    """One thing wrong with a document, and where.

    ``line`` and ``column`` are 1-based; ``path`` points into the document
    (``/regels/3/als``). ``code`` is stable across versions and languages; ``message``
    is rendered in the language in force when it is read.
    """

    code: str
    file: str
    line: int
    column: int
    path: str
    params: Params = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return printable(f"{self.file}:{self.line}:{self.column}: ") + self.message + printable(where)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True)
class FactProblem(Rendered):
    """One problem with a case's facts. ``path`` is the fact's name (``leefgebieden/2`` for a
    member of a set); ``message`` says what is allowed, never the value that was given."""

    code: str
    path: str
    params: Params = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.path or '(feiten)'}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


def format_path(path: Sequence[str | int]) -> str:
    """A JSON-pointer-like path: ``/niveaus/2/rollen``; the document itself is ``""``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


#: Reporting stops after this many problems in one stage: enough to act on, and bounded work.
MAX_PROBLEMS = 200


def capped(problems: Iterable[Problem], overflow: Callable[[], Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems, plus ``overflow()`` when there were more."""
    kept: list[Problem] = []
    for problem in problems:
        if len(kept) == MAX_PROBLEMS:
            return [*kept, overflow()]
        kept.append(problem)
    return kept


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order, without exact repeats."""
    unique = {(p.file, p.line, p.column, p.path, p.code, p.message): p for p in problems}
    return [unique[key] for key in sorted(unique)]


# --- exceptions ---------------------------------------------------------------------------------


class AveRulesError(Exception):
    """Base class of every error this library raises on purpose."""


class ProblemsError(AveRulesError):
    """A file cannot be used; ``problems`` lists every problem found, in reading order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class RegiekaartError(ProblemsError, ValueError):
    """A regiekaart (or a scenario file) cannot be loaded; ``problems`` lists every problem found."""


class CaseFileError(ProblemsError, ValueError):
    """A file of cases cannot be used; ``problems`` lists what is wrong, and where."""


class HistoryError(ProblemsError, ValueError):
    """A case's history cannot be used, or the next decision cannot follow it."""


class RecordError(ProblemsError, ValueError):
    """A decision record cannot be used: it is not one, or it was changed after it was made."""


class FactsError(AveRulesError, ValueError):
    """A case's facts do not fit the kaart; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[FactProblem]) -> None:
        self.problems: list[FactProblem] = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class CodedError(AveRulesError, Rendered):
    """An error that is one catalogue message: ``code`` and ``params``, its text rendered in the
    language in force when it is read."""

    def __init__(self, code: str, params: Params) -> None:
        self.code = code
        self.params = params
        super().__init__(code, params)

    def __str__(self) -> str:
        return self.message


class EngineError(CodedError, RuntimeError):
    """The rules engine failed or cannot be used; ``code`` says which (``engine-fout``, ...)."""


class EngineLimitError(EngineError):
    """A valid kaart that durable-rules cannot run: ``problem`` says which limit of the engine it
    reaches, where in the kaart, and the way around it (``engine-limiet-*``). Decided at load; with
    ``engine="auto"`` the reference evaluator decides the kaart's cases, with an EngineWarning."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code, problem.params)
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem)


class PeildatumError(CodedError, ValueError):
    """The day a case is to be decided on is not a date, or outside what a calendar can count."""


class KaartNotFoundError(CodedError, LookupError):
    """No kaart with that id (``kaart-onbekend``), or no version of it valid on the day asked
    (``kaart-niet-geldig``). ``failures``: the problems of the kaart files that may be the one
    sought: with ``kaart-onbekend``, those in the search directories whose id could not be read;
    with ``kaart-niet-geldig``, the versions of the kaart that do not read. A file with an id of
    its own is never among them."""

    def __init__(self, code: str, params: Params, failures: Sequence[Problem] = ()) -> None:
        super().__init__(code, params)
        self.failures = list(failures)


class ScaffoldError(CodedError, ValueError):
    """The arguments cannot make a valid kaart; ``code`` is one of the ``cli-nieuw-*`` codes."""


class DiffError(CodedError, ValueError):
    """Two kaarten cannot be compared: ``facts`` both have mean something different in each."""

    def __init__(self, facts: Sequence[str]) -> None:
        self.facts = list(facts)
        super().__init__("diff-feit-verschilt", {"feiten": ", ".join(facts)})


class CrossCheckError(CodedError, RuntimeError):
    """A case load's cases were decided by the kaart's decision diagrams, and the engine decided
    some of the sample differently: a fault in ave_rules, so the load is not reported."""


class KaartTestFailure(AveRulesError):
    """A failed item of the pytest plugin; ``lines`` is the whole report, shown instead of a traceback."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


# --- warnings -----------------------------------------------------------------------------------


class AveRulesWarning(UserWarning):
    """Base class of every warning this library gives."""


class EngineWarning(AveRulesWarning):
    """durable-rules cannot decide for a kaart; the reference evaluator does (said once)."""


class KaartWarning(AveRulesWarning):
    """A finding of severity ``waarschuwing`` from :func:`ave_rules.check`, as the pytest plugin shows it."""
