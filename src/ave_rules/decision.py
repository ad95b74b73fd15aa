"""What evaluating a case returns: the level, who holds which role, what to do, and why."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from . import terms as t
from .model import Level, Regiekaart
from .outcome import ActionKey, Outcome


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Action(_Frozen):
    """Something to do. ``target`` is a level, organisation or protocol id, ``management`` or
    ``bestuur``, or None for an action without one; ``source`` is set for a hand-over."""

    type: str = Field(description="id of the action type, e.g. 'aanmelden'")
    target: str | None = Field(description="level, organisation or protocol id, or 'management'/'bestuur'")
    source: str | None = Field(description="organisation id the action starts from (warme_overdracht)")
    text: str = Field(description="the action in Dutch, from the action type's tekst")


class TraceEntry(_Frozen):
    rule: str = Field(description="id of a rule whose condition held")
    explanation: str = Field(description="the rule's toelichting")


class KaartRef(_Frozen):
    id: str
    version: str
    content_hash: str = Field(description="SHA-256 of the kaart's resolved content")


#: Role name -> organisation ids; read-only, because decisions are cached and shared.
RoleHolders = Annotated[
    Mapping[str, tuple[str, ...]],
    AfterValidator(MappingProxyType),
    PlainSerializer(dict, return_type=dict[str, tuple[str, ...]]),
]


class Decision(_Frozen):
    """The outcome of one case. ``model_dump(mode="json")`` is valid against
    ``schemas/decision.schema.json`` and the same, byte for byte, for the same kaart and facts.

    A decision is immutable (tuples and a read-only mapping): the same case returns the same
    cached object, so nothing a caller does to one decision can change another."""

    level: str = Field(description="id of the decided level")
    phase: int = Field(description="AVE phase of the level (1-4)")
    colour: str = Field(description="colour of the level on the regiekaart")
    roles: RoleHolders = Field(description="organisation ids per role, on the decided level")
    actions: tuple[Action, ...] = Field(description="what to do, in the kaart's order, without repeats")
    derived: tuple[str, ...] = Field(description="derived facts that hold, in the kaart's order")
    trace: tuple[TraceEntry, ...] = Field(description="rules whose condition held, in the kaart's order")
    defaulted: tuple[str, ...] = Field(description="facts not given, for which the kaart's default was used")
    kaart: KaartRef
    engine: str = Field(description="which evaluator decided")


_DECISION_LEVEL_NAMES = {"management": "het management", "bestuur": "het bestuur"}


class DecisionBuilder:
    """Builds the decisions of one kaart. The parts that recur (actions, trace entries, a
    level's roles) are built once and shared: decisions are immutable."""

    def __init__(self, kaart: Regiekaart, engine: str) -> None:
        self.kaart = kaart
        self.engine = engine
        self._ref = KaartRef(id=kaart.id, version=kaart.version, content_hash=kaart.content_hash)
        self._actions: dict[ActionKey, Action] = {}
        self._trace = tuple(TraceEntry(rule=rule.id, explanation=rule.explanation) for rule in kaart.rules)
        self._roles = {
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
            action = Action(type=kind, target=target, source=source, text=action_text(self.kaart, key))
            self._actions[key] = action
        return action


def action_text(kaart: Regiekaart, key: ActionKey) -> str:
    """The action ``key`` in words, as a decision of ``kaart`` shows it."""
    kind, target, source = key
    return worded(kaart, kind, name_of(kaart, target), name_of(kaart, source))


def worded(kaart: Regiekaart, kind: str, target: str, source: str) -> str:
    """The text of action type ``kind`` with the words for its target and source filled in."""
    template = next(action_type.text for action_type in kaart.action_types if action_type.id == kind)
    return template.replace("{doel}", target).replace("{bron}", source)


def name_of(kaart: Regiekaart, ident: str | None) -> str:
    """The name of a level, organisation, protocol or decision level, as action texts show it."""
    if ident is None:
        return ""
    level: Level | None = kaart.level_by_id.get(ident)
    if level is not None:
        return f"{level.id} ({level.name})"
    names = {item.id: item.name for item in kaart.organisations} | {item.id: item.name for item in kaart.protocols}
    return names.get(ident) or _DECISION_LEVEL_NAMES.get(ident, ident)


def decision_schema() -> dict[str, Any]:
    """JSON Schema (draft-07) of ``Decision.model_dump(mode="json")``."""
    generated = Decision.model_json_schema(ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **generated,
        "definitions": definitions,
    }


def decision_schema_json() -> str:
    return json.dumps(decision_schema(), ensure_ascii=False, indent=2) + "\n"
