"""ave_rules: a Dutch municipality's AVE regiekaart as executable, checkable rules.

>>> import ave_rules
>>> kaart = ave_rules.load("regiekaarten/ave-generiek.yaml")  # doctest: +SKIP
"""

from .case_facts import FactProblem, FactsError
from .decision import Action, Decision
from .errors import AveRulesError, EngineError, EngineWarning, Problem, RegiekaartError
from .loading import load, load_dir, loads
from .messages import language, set_language
from .model import Regiekaart

__all__ = [
    "Action",
    "AveRulesError",
    "Decision",
    "EngineError",
    "EngineWarning",
    "FactProblem",
    "FactsError",
    "Problem",
    "Regiekaart",
    "RegiekaartError",
    "language",
    "load",
    "load_dir",
    "loads",
    "set_language",
]
__version__ = "0.1.0"
