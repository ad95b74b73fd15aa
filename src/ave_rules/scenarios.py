"""Running a kaart's scenarios: does each example case get the outcome its author expects?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import terms as t
from .errors import Problem
from .model import Regiekaart, Scenario
from .outcome import CaseFacts, Outcome, complete

#: Decides a completed case; by default the engine the kaart's own evaluate() uses.
Evaluator = Callable[[CaseFacts], Outcome]
#: Makes a located problem from (code, path, params), e.g. ``Regiekaart.problem_at``.
Locate = Callable[[str, tuple[str | int, ...], dict[str, Any]], Problem]


@dataclass(frozen=True)
class Mismatch:
    """One aspect of a scenario's outcome that differs from what was expected."""

    aspect: str  # "niveau", "rollen/<rol>", "acties" or "afgeleid"
    expected: Any
    actual: Any


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    index: int
    outcome: Outcome
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches


def run_scenarios(
    kaart: Regiekaart, evaluator: Evaluator | None = None, scenarios: Sequence[Scenario] | None = None
) -> list[ScenarioResult]:
    """Each scenario decided by ``kaart``: its own, or ``scenarios`` (from a scenario file)."""
    chosen = kaart.scenarios if scenarios is None else scenarios
    return [run_scenario(kaart, index, evaluator, chosen) for index in range(len(chosen))]


def run_scenario(
    kaart: Regiekaart, index: int, evaluator: Evaluator | None = None, scenarios: Sequence[Scenario] | None = None
) -> ScenarioResult:
    scenario = (kaart.scenarios if scenarios is None else scenarios)[index]
    facts, _ = complete(kaart, scenario.facts)
    outcome = (evaluator or kaart.evaluator.outcome)(facts)
    return ScenarioResult(scenario, index, outcome, tuple(_mismatches(kaart, scenario, outcome)))


def _mismatches(kaart: Regiekaart, scenario: Scenario, outcome: Outcome) -> list[Mismatch]:
    expected = scenario.expected
    found: list[Mismatch] = []
    if outcome.level != expected.level:
        found.append(Mismatch("niveau", expected.level, outcome.level))
    roles = kaart.level_by_id[outcome.level].roles
    for role in t.ROLES:
        wanted = getattr(expected.roles, role, None) if expected.roles else None
        if wanted is not None and set(wanted) != set(roles.holders(role)):
            found.append(Mismatch(f"rollen/{role}", sorted(wanted), sorted(roles.holders(role))))
    if expected.actions is not None:
        wanted_actions = Counter((a.type, a.target, a.source) for a in expected.actions)
        if wanted_actions != Counter(outcome.actions):
            found.append(Mismatch("acties", _sorted_actions(wanted_actions), _sorted_actions(Counter(outcome.actions))))
    if expected.derived is not None and set(expected.derived) != outcome.derived:
        found.append(Mismatch("afgeleid", sorted(expected.derived), sorted(outcome.derived)))
    return found


def scenario_problems(kaart: Regiekaart, evaluator: Evaluator | None = None) -> list[Problem]:
    """Every scenario of ``kaart`` whose outcome differs from what it expects, as located problems."""
    return [
        problem for result in run_scenarios(kaart, evaluator) for problem in mismatch_problems(result, kaart.problem_at)
    ]


def mismatch_problems(result: ScenarioResult, locate: Locate) -> list[Problem]:
    """Each difference in ``result``, located under ``verwacht`` of the scenario it is about.

    ``locate(code, path, params)`` makes a problem in the document the scenario is in."""
    return [
        locate(
            "scenario-wijkt-af",
            ("scenarios", result.index, "verwacht", *mismatch.aspect.split("/")),
            {
                "id": result.scenario.id,
                "aspect": mismatch.aspect,
                "verwacht": _shown(mismatch.expected),
                "uitkomst": _shown(mismatch.actual),
            },
        )
        for mismatch in result.mismatches
    ]


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if isinstance(value, tuple):  # an action
        kind, target, source = value
        parts = [f"{key}: {part}" for key, part in (("doel", target), ("bron", source)) if part is not None]
        return f"{kind}({', '.join(parts)})" if parts else str(kind)
    return str(value)


def _sorted_actions(actions: Counter[tuple[str, str | None, str | None]]) -> list[tuple[str, str | None, str | None]]:
    return sorted(actions.elements(), key=lambda action: tuple(part or "" for part in action))
