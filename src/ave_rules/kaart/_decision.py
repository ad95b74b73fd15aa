"""The decision record: what deciding a case returns, as a published format.

``schemas/decision.schema.json`` is generated from these models (a test keeps the file equal);
the engine builds decisions, the kaart and the decision know nothing of how."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, Protocol

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

#: pydantic builds a model's validator when the class is created unless told to wait for its
#: first use; waiting takes a large part of the work out of ``import ave_rules``. Only from
#: pydantic 2.14, which locks that build (pydantic/pydantic#13438): before it, threads that first
#: used a model at the same time could validate with a parent class's validator.
DEFER_BUILD = tuple(int(part) for part in PYDANTIC_VERSION.split(".")[:2]) >= (2, 14)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=DEFER_BUILD)


class Action(_Frozen):
    """Something to do. ``target`` is a level, organisation or protocol id, ``management`` or
    ``bestuur``, or None for an action without one; ``source`` is set for a hand-over."""

    type: str = Field(description="id of the action type, e.g. 'aanmelden'")
    target: str | None = Field(description="level, organisation or protocol id, or 'management'/'bestuur'")
    source: str | None = Field(description="organisation id the action starts from (warme_overdracht)")
    text: str = Field(description="the action in Dutch, from the action type's tekst")
    due: datetime.date | None = Field(
        default=None, description="the last day to do it, by the action type's termijn; null without one"
    )
    may_receive: tuple[str, ...] | None = Field(
        default=None,
        description="for a hand-over (an action type with 'overdracht'): the information categories its target "
        "may receive in this decision; null for other actions, or where no gegevensdeling applies",
    )


class Share(_Frozen):
    """One flow of information a decision permits: categories, from whom to whom, on which ground."""

    level: str = Field(description="the level whose gegevensdeling states it")
    step: str = Field(description="id of the process step, e.g. 'aanmelding'")
    categories: tuple[str, ...] = Field(description="ids of the information categories")
    sender: str = Field(description="who shares, as the kaart names it: an organisation, a role or 'inbrenger'")
    recipients: tuple[str, ...] = Field(description="to whom, as the kaart names them")
    organisations: tuple[str, ...] = Field(
        description="the recipients as organisation ids on the decided level ('inbrenger' has none on the kaart)"
    )
    ground: str | None = Field(description="id of the ground (grondslag); null if the kaart gives none")


class Informing(_Frozen):
    moment: str = Field(description="when the betrokkene is informed: 'voor_aanmelding' or 'na_triage'")
    exceptions: tuple[str, ...] = Field(description="the exceptions, in the kaart's words")


class Sharing(_Frozen):
    """The gegevensdeling of one level as it applies to a decision."""

    level: str
    controller: str = Field(description="the verwerkingsverantwoordelijke, as the kaart names it")
    controller_organisations: tuple[str, ...] = Field(
        description="the verwerkingsverantwoordelijke as organisation ids"
    )
    circulated: tuple[str, ...] = Field(description="categories circulated after the casusoverleg")
    informing: Informing | None = Field(description="when and with which exceptions the betrokkene is informed")
    shares: tuple[Share, ...] = Field(description="the permitted flows, by process step in the kaart's order")


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
    ``schemas/decision.schema.json`` and the same, byte for byte, for the same kaart, facts and
    peildatum.

    A decision is immutable (tuples and a read-only mapping): the same case returns the same
    cached object, so nothing a caller does to one decision can change another."""

    level: str = Field(description="id of the decided level")
    phase: int = Field(description="AVE phase of the level (1-4); 0 for a closing outcome below the lowest level")
    colour: str = Field(description="colour of the level on the regiekaart")
    roles: RoleHolders = Field(description="organisation ids per role, on the decided level")
    actions: tuple[Action, ...] = Field(description="what to do, in the kaart's order, without repeats")
    derived: tuple[str, ...] = Field(description="derived facts that hold, in the kaart's order")
    trace: tuple[TraceEntry, ...] = Field(description="rules whose condition held, in the kaart's order")
    defaulted: tuple[str, ...] = Field(description="facts not given, for which the kaart's default was used")
    reference_date: datetime.date = Field(
        description="the day the case is decided for (peildatum): given, or today in Europe/Amsterdam"
    )
    next_evaluation: datetime.date | None = Field(
        description="the latest day the partners meet again, by the level's evaluatiemoment; null without one"
    )
    sharing: tuple[Sharing, ...] = Field(
        default=(),
        description="gegevensdeling that applies: the decided level's, and on afschalen the steps of the level "
        "left; empty where the kaart states none",
    )
    kaart: KaartRef
    engine: str = Field(description="which evaluator decided")


class Decider(Protocol):
    """What decides the cases of one kaart. The engine provides it (``ave_rules.engine.Evaluator``);
    the kaart only knows this face of it, so the kaart as a document knows no engine."""

    @property
    def engine(self) -> str: ...

    def evaluate(self, facts: Mapping[str, object], on: datetime.date | None = None) -> Decision: ...

    def evaluate_many(
        self, cases: Iterable[Mapping[str, object]], on: datetime.date | None = None
    ) -> list[Decision]: ...


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
