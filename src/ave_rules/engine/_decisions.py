"""Decisions built from an evaluator's outcome, with the recurring parts built once."""

from __future__ import annotations

from types import MappingProxyType

from .. import _terms as t
from ..kaart import Action, Decision, KaartRef, Regiekaart, TraceEntry
from ._outcome import ActionKey, Outcome


class DecisionBuilder:
    """Builds the decisions of one kaart. The parts that recur (actions, trace entries, a
    level's roles) are built once and shared: decisions are immutable."""

    def __init__(self, kaart: Regiekaart, engine: str) -> None:
        self.kaart = kaart
        self.engine = engine
        self._ref = KaartRef(id=kaart.id, version=kaart.version, content_hash=kaart.content_hash)
        self._actions: dict[ActionKey, Action] = {}
        self._trace = tuple(TraceEntry(rule=rule.id, explanation=rule.explanation) for rule in kaart.rules)
        self._roles: dict[str, MappingProxyType[str, tuple[str, ...]]] = {
            level.id: MappingProxyType({role: level.roles.holders(role) for role in t.ROLES}) for level in kaart.levels
        }

    def build(self, outcome: Outcome, defaulted: tuple[str, ...]) -> Decision:
        level = self.kaart.level_by_id[outcome.level]
        # Every part is built here from the kaart and checked by the tests against the schema.
        return Decision.model_construct(
            level=level.id,
            phase=level.phase,
            colour=level.colour,
            roles=self._roles[level.id],
            actions=tuple(self._action(action) for action in outcome.actions),
            derived=tuple(fact.id for fact in self.kaart.derived_facts if fact.id in outcome.derived),
            trace=tuple(self._trace[index] for index in outcome.fired),
            defaulted=defaulted,
            kaart=self._ref,
            engine=self.engine,
        )

    def _action(self, key: ActionKey) -> Action:
        action = self._actions.get(key)
        if action is None:
            kind, target, source = key
            action = Action(type=kind, target=target, source=source, text=self.kaart.action_text(kind, target, source))
            self._actions[key] = action
        return action
