"""Running a kaart's scenarios: does each example case get the outcome its author expects?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import terms as t
from .errors import Problem
from .model import Regiekaart, Scenario
from .outcome import CaseFacts, Outcome, complete

#: Decides a completed case; by default the engine the kaart's own evaluate() uses.
Evaluator = Callable[[CaseFacts], Outcome]


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


def run_scenarios(kaart: Regiekaart, evaluator: Evaluator | None = None) -> list[ScenarioResult]:
    return [run_scenario(kaart, index, evaluator) for index in range(len(kaart.scenarios))]


def run_scenario(kaart: Regiekaart, index: int, evaluator: Evaluator | None = None) -> ScenarioResult:
    scenario = kaart.scenarios[index]
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
    """Every scenario whose outcome differs from what it expects, as located problems."""
    problems = []
    for result in run_scenarios(kaart, evaluator):
        for mismatch in result.mismatches:
            aspect = mismatch.aspect.split("/")
            problems.append(
                kaart.problem_at(
                    "scenario-wijkt-af",
                    ("scenarios", result.index, "verwacht", *aspect),
                    {
                        "id": result.scenario.id,
                        "aspect": mismatch.aspect,
                        "verwacht": _shown(mismatch.expected),
                        "uitkomst": _shown(mismatch.actual),
                    },
                )
            )
    return problems


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
