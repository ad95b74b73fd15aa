"""Evaluating cases against a loaded kaart: validate the facts, decide, explain.

Decisions are deterministic, so they are cached per normalised combination of facts (and
which facts were defaulted): a repeated pattern costs a lookup. The cache is bounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from .case_facts import FactProblem, FactsError, validated
from .decision import Decision, build_decision
from .model import Regiekaart
from .outcome import complete
from .reference import evaluate as reference_evaluate

CACHE_SIZE = 65_536
REFERENCE = "reference"

Key = tuple[tuple[Any, ...], tuple[str, ...]]


class Evaluator:
    """Decides cases for one kaart; one is created per kaart, on first use."""

    def __init__(self, kaart: Regiekaart) -> None:
        self.kaart = kaart
        self.engine = REFERENCE
        self._decide = lru_cache(maxsize=CACHE_SIZE)(self._decide_uncached)

    def evaluate(self, facts: Mapping[str, Any]) -> Decision:
        given = validated(self.kaart, facts)
        full, defaulted = complete(self.kaart, given)
        values = tuple(tuple(sorted(value)) if isinstance(value, frozenset) else value for value in full.values())
        return self._decide((values, defaulted))

    def evaluate_many(self, cases: Iterable[Mapping[str, Any]]) -> list[Decision]:
        decisions = []
        for index, facts in enumerate(cases):
            try:
                decisions.append(self.evaluate(facts))
            except FactsError as error:
                raise FactsError(
                    [FactProblem(p.code, _in_case(index, p.path), p.params) for p in error.problems]
                ) from None
        return decisions

    def _decide_uncached(self, key: Key) -> Decision:
        values, defaulted = key
        facts = {
            fact.id: frozenset(value) if isinstance(value, tuple) else value
            for fact, value in zip(self.kaart.facts, values, strict=True)
        }
        outcome = reference_evaluate(self.kaart, facts)
        return build_decision(self.kaart, outcome, defaulted, self.engine)


def _in_case(index: int, path: str) -> str:
    return f"{index}/{path}" if path else str(index)
