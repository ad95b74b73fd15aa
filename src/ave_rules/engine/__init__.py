"""The engine: a case's facts in, a decision out.

A loaded kaart decides through its :class:`Evaluator`: the facts are checked against the kaart's
vocabulary (:class:`~ave_rules.FactsError` if they do not fit), completed with the kaart's
defaults and decided by durable-rules, or by the reference evaluator, a small and plain reading
of ``docs/semantics.md``. The two are written independently on purpose: the test suite holds
them to the same outcome on random kaarten and cases. durable-rules is touched in one private
module only (``_durable``), which contains its sharp edges (``docs/durable-rules.md``).

A kaart's scenarios (its example cases) are decided here too: :func:`run_scenarios`.
"""

from .._terms import ENGINES, EngineChoice
from ._durable import registered_rulesets
from ._durable_ruleset import limit_problems as limit_problems
from ._evaluator import AUTO as AUTO
from ._evaluator import DURABLE as DURABLE
from ._evaluator import REFERENCE as REFERENCE
from ._evaluator import Evaluator, reference_date
from ._evaluator import check_engine_choice as check_engine_choice
from ._evaluator import deciders as deciders
from ._evaluator import prepare as prepare
from ._facts import FactChecker as FactChecker
from ._outcome import ActionKey as ActionKey
from ._outcome import CaseFacts as CaseFacts
from ._outcome import Outcome as Outcome
from ._outcome import complete as complete
from ._outcome import current_level as current_level
from ._outcome import expand as expand
from ._outcome import transition as transition
from ._reference import alternatives_held as alternatives_held
from ._reference import reference_outcome as reference_outcome
from ._scenarios import Locate as Locate
from ._scenarios import Mismatch, ScenarioResult, mismatch_problems, run_scenario, run_scenarios, scenario_failures

# __all__ is the API. The names imported "as" themselves are for the other subpackages of
# ave_rules (loading gives each kaart its decider; the analysis reads cases as the evaluators do).
__all__ = [
    "ENGINES",
    "EngineChoice",
    "Evaluator",
    "Mismatch",
    "ScenarioResult",
    "mismatch_problems",
    "reference_date",
    "registered_rulesets",
    "run_scenario",
    "run_scenarios",
    "scenario_failures",
]
