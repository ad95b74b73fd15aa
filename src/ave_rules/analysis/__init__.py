"""Analysis: what a kaart does over every case it can decide, and over real case loads.

* :func:`check`: every finding over the kaart's whole fact space (rules that never fire, levels
  no case reaches, roles without a holder, declared properties that do not hold), each with a
  minimal example case and located in the kaart's file;
* :func:`diff`: which cases change level, roles or actions between two kaarten, summarised as
  readable patterns, and optionally counted on real cases;
* :func:`simulate`: how many cases of a real case load land on each level and with each
  organisation; :func:`count_cases` streams such a load from a ``.csv`` or ``.jsonl`` file into
  its distinct cases with their counts (``read_cases``, which keeps every row, is deprecated).

``check`` and ``diff`` decide exactly over all cases at once with binary decision diagrams
(``_symbolic``, on the library ``dd``); ``simulate`` decides each distinct case of a load with
the same diagrams, cross-checked on a sample by the engine (``_deciding``). Each is imported on
first use: ``count_cases`` does not pay for ``dd``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._case_files import CaseCounts, count_cases, read_cases
    from ._check import SEVERITIES, Finding, Report, Severity, check
    from ._deciding import DECIDERS, LevelDecider
    from ._diff import ActionChange, CasesMoved, KaartDiff, LevelChange, RoleChange, diff
    from ._patterns import FactCondition, Pattern, Summary
    from ._simulation import Load, simulate

_HOMES = {
    "ActionChange": "_diff",
    "CaseCounts": "_case_files",
    "DECIDERS": "_deciding",
    "LevelDecider": "_deciding",
    "count_cases": "_case_files",
    "CasesMoved": "_diff",
    "FactCondition": "_patterns",
    "Finding": "_check",
    "KaartDiff": "_diff",
    "LevelChange": "_diff",
    "Load": "_simulation",
    "Pattern": "_patterns",
    "Report": "_check",
    "RoleChange": "_diff",
    "SEVERITIES": "_check",
    "Severity": "_check",
    "Summary": "_patterns",
    "check": "_check",
    "diff": "_diff",
    "read_cases": "_case_files",
    "simulate": "_simulation",
}
__all__ = [
    "DECIDERS",
    "SEVERITIES",
    "ActionChange",
    "CaseCounts",
    "CasesMoved",
    "FactCondition",
    "Finding",
    "KaartDiff",
    "LevelChange",
    "LevelDecider",
    "Load",
    "Pattern",
    "Report",
    "RoleChange",
    "Severity",
    "Summary",
    "check",
    "count_cases",
    "diff",
    "read_cases",
    "simulate",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
