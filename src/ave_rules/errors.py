"""The library's exceptions and the located problem they carry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .messages import Params, Rendered


def format_path(path: Sequence[str | int]) -> str:
    """A JSON-pointer-like path: ``/niveaus/2/rollen``; the document itself is ``""``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


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
        return f"{self.file}:{self.line}:{self.column}: {self.message}{where}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "message": self.message,
        }


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


class AveRulesError(Exception):
    """Base class of every error this library raises on purpose."""


class RegiekaartError(AveRulesError, ValueError):
    """A regiekaart cannot be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
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


class EngineWarning(UserWarning):
    """durable-rules cannot decide for a kaart; the reference evaluator does (said once)."""
