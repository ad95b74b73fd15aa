"""What evaluating a case returns: the level, who holds which role, what to do, and why."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from . import terms as t
from .model import Level, Regiekaart
from .outcome import Outcome


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


def build_decision(kaart: Regiekaart, outcome: Outcome, defaulted: tuple[str, ...], engine: str) -> Decision:
    level = kaart.level_by_id[outcome.level]
    return Decision(
        level=level.id,
        phase=level.phase,
        colour=level.colour,
        roles={role: level.roles.holders(role) for role in t.ROLES},
        actions=tuple(_action(kaart, *action) for action in outcome.actions),
        derived=tuple(fact.id for fact in kaart.derived_facts if fact.id in outcome.derived),
        trace=tuple(TraceEntry(rule=kaart.rules[i].id, explanation=kaart.rules[i].explanation) for i in outcome.fired),
        defaulted=defaulted,
        kaart=KaartRef(id=kaart.id, version=kaart.version, content_hash=kaart.content_hash),
        engine=engine,
    )


def _action(kaart: Regiekaart, kind: str, target: str | None, source: str | None) -> Action:
    template = next(a for a in kaart.action_types if a.id == kind).text
    text = template.replace("{doel}", _name(kaart, target)).replace("{bron}", _name(kaart, source))
    return Action(type=kind, target=target, source=source, text=text)


def _name(kaart: Regiekaart, ident: str | None) -> str:
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
