"""Running a kaart's scenarios: does each example case get the outcome its author expects?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..kaart import Decision, Regiekaart, Scenario

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
    """A scenario, the decision the kaart gives its facts, and how that differs from what it expects."""

    scenario: Scenario
    index: int
    decision: Decision
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches


def run_scenarios(kaart: Regiekaart, scenarios: Sequence[Scenario] | None = None) -> list[ScenarioResult]:
    """Each scenario decided by ``kaart`` (with the engine it was loaded with): its own, or
    ``scenarios`` (from a scenario file)."""
    chosen = kaart.scenarios if scenarios is None else scenarios
    return [run_scenario(kaart, index, chosen) for index in range(len(chosen))]


def run_scenario(kaart: Regiekaart, index: int, scenarios: Sequence[Scenario] | None = None) -> ScenarioResult:
    """Scenario ``index`` of ``kaart`` (or of ``scenarios``), decided by ``kaart``."""
    scenario = (kaart.scenarios if scenarios is None else scenarios)[index]
    decision = kaart.evaluate(scenario.facts)
    return ScenarioResult(scenario, index, decision, tuple(_mismatches(scenario, decision)))


def _mismatches(scenario: Scenario, decision: Decision) -> list[Mismatch]:
    expected = scenario.expected
    found: list[Mismatch] = []
    if decision.level != expected.level:
        found.append(Mismatch("niveau", expected.level, decision.level))
    for role, wanted in (expected.roles.given() if expected.roles else {}).items():
        holders = decision.roles.get(role, ())
        if set(wanted) != set(holders):
            found.append(Mismatch(f"rollen/{role}", sorted(wanted), sorted(holders)))
    if expected.actions is not None:
        wanted_actions = Counter((a.type, a.target, a.source) for a in expected.actions)
        actual_actions = Counter((a.type, a.target, a.source) for a in decision.actions)
        if wanted_actions != actual_actions:
            found.append(Mismatch("acties", _sorted_actions(wanted_actions), _sorted_actions(actual_actions)))
    if expected.derived is not None and set(expected.derived) != set(decision.derived):
        found.append(Mismatch("afgeleid", sorted(expected.derived), sorted(decision.derived)))
    return found


def scenario_failures(kaart: Regiekaart) -> list[Problem]:
    """Every way a scenario of ``kaart`` gets another outcome than it expects, as located problems."""
    return [problem for result in run_scenarios(kaart) for problem in mismatch_problems(result, kaart.problem_at)]


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
