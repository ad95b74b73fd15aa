"""Decisions built from an evaluator's outcome, with the recurring parts built once."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from types import MappingProxyType

from ..kaart import Action, Decision, KaartRef, Regiekaart, Sharing, Term, TraceEntry, decision_sharing, may_receive
from ._outcome import ActionKey, Outcome

#: Actions kept for reuse; an action with a termijn is one per day, so they are bounded.
MAX_ACTIONS = 4_096


class DecisionBuilder:
    """Builds the decisions of one kaart. The parts that recur (actions, trace entries, a
    level's roles) are built once and shared: decisions are immutable."""

    def __init__(self, kaart: Regiekaart, engine: str) -> None:
        self.kaart = kaart
        self.engine = engine
        self._ref = KaartRef(id=kaart.id, version=kaart.version, content_hash=kaart.content_hash)
        self._actions: dict[tuple[ActionKey, datetime.date | None, tuple[str, ...] | None], Action] = {}
        self._terms = {kind.id: kind.term for kind in kaart.action_types}
        self._hand_overs = {kind.id for kind in kaart.action_types if kind.hand_over}
        # What a decision may share follows from its level, the case's level and its actions: few combinations.
        self._shared: dict[tuple[str, str | None, tuple[ActionKey, ...]], tuple[Sharing, ...]] = {}
        self._trace = tuple(TraceEntry(rule=rule.id, explanation=rule.explanation) for rule in kaart.rules)
        self._roles: dict[str, MappingProxyType[str, tuple[str, ...]]] = {
            level.id: MappingProxyType({role: level.roles.holders(role) for role in kaart.role_ids})
            for level in kaart.levels
        }

    def build(self, outcome: Outcome, defaulted: tuple[str, ...], day: datetime.date) -> Decision:
        """The decision for ``outcome`` on the peildatum ``day``: its termijnen count from it."""
        level = self.kaart.level_by_id[outcome.level]
        evaluation = level.evaluation
        sharing = self._sharing(outcome) if self.kaart.shares_information else ()
        # Every part is built here from the kaart and checked by the tests against the schema.
        return Decision.model_construct(
            level=level.id,
            phase=level.phase,
            colour=level.colour,
            roles=self._roles[level.id],
            actions=tuple(self._action(action, day, sharing) for action in outcome.actions),
            derived=tuple(fact.id for fact in self.kaart.derived_facts if fact.id in outcome.derived),
            trace=tuple(self._trace[index] for index in outcome.fired),
            defaulted=defaulted,
            reference_date=day,
            next_evaluation=self._end(day, evaluation) if evaluation else None,
            sharing=sharing,
            kaart=self._ref,
            engine=self.engine,
        )

    def _sharing(self, outcome: Outcome) -> tuple[Sharing, ...]:
        key = (outcome.level, outcome.current, outcome.actions)
        sharing = self._shared.get(key)
        if sharing is None:
            sharing = decision_sharing(self.kaart, outcome.level, outcome.current, _organisations(outcome.actions))
            if len(self._shared) >= MAX_ACTIONS:
                self._shared.clear()
            self._shared[key] = sharing
        return sharing

    def _action(self, key: ActionKey, day: datetime.date, sharing: tuple[Sharing, ...]) -> Action:
        kind, target, source = key
        term = self._terms[kind]
        received = may_receive(sharing, target) if target and kind in self._hand_overs else None
        cache_key = (key, day if term else None, received)
        action = self._actions.get(cache_key)
        if action is None:
            text = self.kaart.action_text(kind, target, source)
            due = self._end(day, term) if term else None
            action = Action(type=kind, target=target, source=source, text=text, due=due, may_receive=received)
            if len(self._actions) >= MAX_ACTIONS:
                self._actions.clear()  # dated actions of many days: start again rather than grow
            self._actions[cache_key] = action
        return action

    def _end(self, day: datetime.date, term: Term) -> datetime.date:
        return self.kaart.working_days.end(day, term.amount, term.unit)


def _organisations(actions: tuple[ActionKey, ...]) -> Iterator[str | None]:
    for _, target, source in actions:
        yield target
        yield source
