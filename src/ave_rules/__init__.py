"""ave_rules: a Dutch municipality's AVE regiekaart as executable, checkable rules.

>>> import ave_rules
>>> kaart = ave_rules.load("regiekaarten/ave-generiek.yaml")  # doctest: +SKIP

The names below are imported on first use, so importing the package (as pytest does for the
``pytest11`` plugin in every run) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .case_facts import FactProblem, FactsError
    from .decision import Action, Decision
    from .errors import AveRulesError, EngineError, EngineWarning, Problem, RegiekaartError
    from .loading import KaartNotFoundError, load, load_dir, load_id, load_versions, loads
    from .messages import language, set_language
    from .model import Regiekaart
    from .scenario_files import ScenarioFile, load_scenarios

_HOMES = {
    "Action": "decision",
    "AveRulesError": "errors",
    "Decision": "decision",
    "EngineError": "errors",
    "EngineWarning": "errors",
    "FactProblem": "case_facts",
    "FactsError": "case_facts",
    "KaartNotFoundError": "loading",
    "Problem": "errors",
    "Regiekaart": "model",
    "RegiekaartError": "errors",
    "ScenarioFile": "scenario_files",
    "language": "messages",
    "load": "loading",
    "load_dir": "loading",
    "load_id": "loading",
    "load_scenarios": "scenario_files",
    "load_versions": "loading",
    "loads": "loading",
    "set_language": "messages",
}
__all__ = [
    "Action",
    "AveRulesError",
    "Decision",
    "EngineError",
    "EngineWarning",
    "FactProblem",
    "FactsError",
    "KaartNotFoundError",
    "Problem",
    "Regiekaart",
    "RegiekaartError",
    "ScenarioFile",
    "language",
    "load",
    "load_dir",
    "load_id",
    "load_scenarios",
    "load_versions",
    "loads",
    "set_language",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'ave_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
