"""ave_rules: a Dutch municipality's AVE regiekaart as executable, checkable rules.

>>> import ave_rules
>>> kaart = ave_rules.load("regiekaarten/ave-generiek.yaml")  # doctest: +SKIP
>>> kaart.evaluate({"hulpvraag": True}).level  # doctest: +SKIP
'2'

What users call is here; the subpackages hold the rest (``docs/library.md`` has the map):
:mod:`ave_rules.kaart` (the kaart as a document), :mod:`ave_rules.engine` (facts in, decision
out), :mod:`ave_rules.loading` (a file becomes a kaart that decides), :mod:`ave_rules.analysis`,
:mod:`ave_rules.authoring`, :mod:`ave_rules.testing`, :mod:`ave_rules.errors`.

The names below are imported on first use, so importing the package (as pytest does for the
``pytest11`` plugin in every run) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _deprecated
from ._version import __version__ as __version__

if TYPE_CHECKING:
    from ._messages import Language, language, set_language
    from .analysis import check, count_cases, diff, read_cases, simulate
    from .authoring import explain, new_kaart, render_decision_html, render_html, render_markdown
    from .errors import (
        AveRulesError,
        AveRulesWarning,
        CaseFileError,
        CrossCheckError,
        DiffError,
        EngineError,
        EngineWarning,
        FactProblem,
        FactsError,
        HistoryError,
        KaartNotFoundError,
        PeildatumError,
        Problem,
        RecordError,
        RegiekaartError,
        ScaffoldError,
    )
    from .kaart import Action, Decision, Regiekaart
    from .loading import ScenarioFile, load, load_dir, load_id, load_scenarios, load_versions, loads

_HOMES = {
    "Action": "kaart",
    "AveRulesError": "errors",
    "AveRulesWarning": "errors",
    "CaseFileError": "errors",
    "CrossCheckError": "errors",
    "Decision": "kaart",
    "DiffError": "errors",
    "EngineError": "errors",
    "EngineWarning": "errors",
    "FactProblem": "errors",
    "FactsError": "errors",
    "HistoryError": "errors",
    "KaartNotFoundError": "errors",
    "Language": "_messages",
    "PeildatumError": "errors",
    "RecordError": "errors",
    "Problem": "errors",
    "Regiekaart": "kaart",
    "RegiekaartError": "errors",
    "ScaffoldError": "errors",
    "ScenarioFile": "loading",
    "check": "analysis",
    "count_cases": "analysis",
    "diff": "analysis",
    "explain": "authoring",
    "language": "_messages",
    "load": "loading",
    "load_dir": "loading",
    "load_id": "loading",
    "load_scenarios": "loading",
    "load_versions": "loading",
    "loads": "loading",
    "new_kaart": "authoring",
    "read_cases": "analysis",
    "render_decision_html": "authoring",
    "render_html": "authoring",
    "render_markdown": "authoring",
    "set_language": "_messages",
    "simulate": "analysis",
}
__all__ = [
    "Action",
    "AveRulesError",
    "AveRulesWarning",
    "CaseFileError",
    "CrossCheckError",
    "Decision",
    "DiffError",
    "EngineError",
    "EngineWarning",
    "FactProblem",
    "FactsError",
    "HistoryError",
    "KaartNotFoundError",
    "Language",
    "PeildatumError",
    "Problem",
    "RecordError",
    "Regiekaart",
    "RegiekaartError",
    "ScaffoldError",
    "ScenarioFile",
    "check",
    "count_cases",
    "diff",
    "explain",
    "language",
    "load",
    "load_dir",
    "load_id",
    "load_scenarios",
    "load_versions",
    "loads",
    "new_kaart",
    "read_cases",
    "render_decision_html",
    "render_html",
    "render_markdown",
    "set_language",
    "simulate",
]

_deprecated.install()


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'ave_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
