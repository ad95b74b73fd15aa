"""Typed models of a regiekaart: English attribute names, the kaart's Dutch keys as aliases.

The models accept exactly what ``schemas/regiekaart.schema.json`` accepts for a standalone
kaart (a property test holds them to that). What depends on the kaart's own vocabulary,
such as whether a value belongs to a fact or an id is defined, is checked afterwards by
:mod:`ave_rules.kaart._checks`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StrictBool,
    StrictStr,
    StringConstraints,
    Tag,
    model_validator,
)

from .. import _terms as t
from .._messages import Params
from ..errors import EngineError, Problem, format_path
from ._calendar import Calendar
from ._decision import DEFER_BUILD, Decider, Decision
from ._inheritance import OWN, Origin, Provenance
from ._yaml import Locator


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        defer_build=DEFER_BUILD,
        frozen=True,
        regex_engine="python-re",  # the same regular expressions as the JSON Schema validator
        validate_by_alias=True,
        validate_by_name=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        # The schema allows no null anywhere; an omitted key is how a kaart says "not given".
        if isinstance(data, Mapping):
            for key, value in data.items():
                if value is None:
                    raise ValueError(f"'{key}' is null")
        return data


def _unique(values: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(set(values)) != len(values):
        raise ValueError("items are not unique")
    return values


def _whole_number(value: Any) -> Any:
    # JSON Schema's "integer" includes 1.0; bool is never a number.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Text = Annotated[StrictStr, StringConstraints(min_length=1, max_length=t.MAX_TEXT)]
Name = Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
ActionText = Annotated[StrictStr, StringConstraints(min_length=1, max_length=500)]
Id = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(t.ID_PATTERN), max_length=100)]
KaartId = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(t.KAART_ID_PATTERN), max_length=100)]
RuleId = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(t.RULE_ID_PATTERN), max_length=100)]
LevelId = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(t.LEVEL_ID_PATTERN), max_length=100)]
Value = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(t.VALUE_PATTERN), max_length=100)]
IsoDate = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(t.DATE_PATTERN), max_length=10)]
ShortText = Annotated[StrictStr, StringConstraints(max_length=100)]
Target = Annotated[StrictStr, StringConstraints(min_length=1, max_length=100)]
WholeNumber = Annotated[int, BeforeValidator(_whole_number), Field(strict=True)]
UniqueIds = Annotated[tuple[Id, ...], AfterValidator(_unique)]
_ID = re.compile(t.python_pattern(t.ID_PATTERN))


# --- vocabulary ------------------------------------------------------------------------


class _FactBase(_Model):
    id: Id
    description: Text = Field(alias="omschrijving")


class BooleanFact(_FactBase):
    kind: Literal["ja_nee"] = Field(alias="soort")
    default: StrictBool = Field(alias="standaard")


class ChoiceFact(_FactBase):
    kind: Literal["keuze"] = Field(alias="soort")
    values: tuple[Value, ...] = Field(alias="waarden", min_length=1)
    default: StrictStr = Field(alias="standaard")


class Term(_Model):
    """A span of time: a termijn of an action, or the longest time to the next evaluatiemoment."""

    amount: WholeNumber = Field(alias="aantal", ge=1)
    unit: t.TimeUnit = Field(alias="eenheid")

    @model_validator(mode="after")
    def _at_most(self) -> Term:
        if self.amount > t.MAX_TERM[self.unit]:
            raise ValueError(f"at most {t.MAX_TERM[self.unit]} {self.unit}")
        return self


class CalendarSpec(_Model):
    """The days on which no termijn in werkdagen counts: weekends, the public holidays chosen,
    and the kaart's own closed days (``JJJJ-MM-DD``)."""

    holidays: t.HolidaySet = Field(default="algemene_termijnenwet", alias="feestdagen")
    closed: Annotated[tuple[IsoDate, ...], AfterValidator(_unique)] = Field(default=(), alias="gesloten_dagen")


class TimeMeasure(_Model):
    """What a time fact measures, and the thresholds between its values: its first value holds
    until the first threshold is reached, its second until the second, and so on."""

    measures: Literal["verblijfsduur_op_niveau"] = Field(alias="meet")
    thresholds: tuple[Term, ...] = Field(alias="grenzen", min_length=1)


class OrdinalFact(_FactBase):
    kind: Literal["ordinaal"] = Field(alias="soort")
    values: tuple[Value, ...] = Field(alias="waarden", min_length=1)
    default: StrictStr = Field(alias="standaard")
    time: TimeMeasure | None = Field(default=None, alias="tijd")


class SetFact(_FactBase):
    kind: Literal["verzameling"] = Field(alias="soort")
    values: tuple[Value, ...] = Field(alias="waarden", min_length=1)
    default: Annotated[tuple[StrictStr, ...], AfterValidator(_unique)] = Field(alias="standaard")


class PhaseFact(_FactBase):
    """The current AVE level of the case: ``geen`` or one of the kaart's level ids."""

    kind: Literal["fase"] = Field(alias="soort")
    default: StrictStr = Field(alias="standaard")


AnyFact = BooleanFact | ChoiceFact | OrdinalFact | SetFact | PhaseFact
#: The value of a fact in a completed case: true/false, a value (or level id), or a set's members.
FactValue = bool | str | frozenset[str]
Fact = Annotated[AnyFact, Field(discriminator="kind")]


class DerivedFact(_Model):
    id: Id
    description: Text = Field(alias="omschrijving")


def _role_keys(data: Any) -> Any:
    # The four AVE roles are fields; any other key is an extra role of the kaart (``extra_rollen``),
    # checked against the kaart's vocabulary afterwards (onbekende-verwijzing, with a suggestion).
    if isinstance(data, Mapping):
        for key in data:
            if key not in t.ROLES and not (isinstance(key, str) and len(key) <= 100 and _ID.match(key)):
                raise ValueError(f"'{key}' is not a role name")
    return data


class Roles(_Model):
    """The holders of each role on a level: the four AVE roles, always, and the kaart's extra roles
    (``extra_rollen``) that the level names."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, UniqueIds] = Field(init=False)

    casusregie: UniqueIds
    procesregie: UniqueIds
    operationele_verantwoordelijkheid: UniqueIds
    bestuurlijke_verantwoordelijkheid: UniqueIds

    _keys = model_validator(mode="before")(_role_keys)

    @property
    def extra(self) -> Mapping[str, tuple[str, ...]]:
        """The extra roles this level names, in the order written, with their holders."""
        return self.__pydantic_extra__ or {}

    def holders(self, role: str) -> tuple[str, ...]:
        """The holders of ``role`` here: an AVE role, or an extra role (none if the level does not name it)."""
        if role in t.ROLES:
            return tuple(getattr(self, role))
        return tuple(self.extra.get(role, ()))


class ExtraRole(_Model):
    """A role a region adds to the four AVE roles (trajectbegeleider, contactpersoon, monitoring)."""

    id: Id
    name: Name = Field(alias="naam")
    description: Text | None = Field(default=None, alias="omschrijving")


class Level(_Model):
    id: LevelId
    phase: WholeNumber = Field(alias="fase", ge=0, le=4)
    colour: t.Colour = Field(alias="kleur")
    name: Name = Field(alias="naam")
    description: Text = Field(alias="omschrijving")
    roles: Roles = Field(alias="rollen")
    protocols: UniqueIds = Field(default=(), alias="protocollen")
    evaluation: Term | None = Field(default=None, alias="evaluatiemoment")
    sharing: LevelSharing | None = Field(default=None, alias="gegevensdeling")
    #: A closing outcome below the lowest level (phase 0): the case is closed, or monitored.
    closing: t.Closing | None = Field(default=None, alias="afsluiting")


class Organisation(_Model):
    id: Id
    name: Name = Field(alias="naam")
    description: Text | None = Field(default=None, alias="omschrijving")


class ActionType(_Model):
    id: Id
    name: Name = Field(alias="naam")
    description: Text = Field(alias="omschrijving")
    target: t.TargetKind = Field(alias="doel")
    source: Literal["organisatie"] | None = Field(default=None, alias="bron")
    text: ActionText = Field(alias="tekst")
    term: Term | None = Field(default=None, alias="termijn")
    hand_over: StrictBool = Field(default=False, alias="overdracht")


class Protocol(_Model):
    id: Id
    name: Name = Field(alias="naam")
    description: Text | None = Field(default=None, alias="omschrijving")


# --- conditions ------------------------------------------------------------------------


class AllOf(_Model):
    all: tuple[Condition, ...] = Field(alias="alle", min_length=1)


class AnyOf(_Model):
    any: tuple[Condition, ...] = Field(alias="een_van", min_length=1)


class Not(_Model):
    negated: Condition = Field(alias="niet")


ValueList = Annotated[tuple[ShortText, ...], AfterValidator(_unique), Field(min_length=1)]
Count = Annotated[WholeNumber, Field(ge=0)]


class FactTest(_Model):
    """``{feit: X, <comparison>: operand}`` with exactly one comparison."""

    fact: Id = Field(alias="feit")
    is_: Annotated[StrictStr, StringConstraints(max_length=100)] | StrictBool | None = Field(default=None, alias="is")
    is_een_van: ValueList | None = None
    minstens: ShortText | None = None
    hoogstens: ShortText | None = None
    boven: ShortText | None = None
    onder: ShortText | None = None
    bevat: ShortText | None = None
    bevat_een_van: ValueList | None = None
    bevat_alle: ValueList | None = None
    aantal_minstens: Count | None = None
    aantal_hoogstens: Count | None = None
    aantal_is: Count | None = None

    @model_validator(mode="after")
    def _one_comparison(self) -> FactTest:
        given = [name for name in t.FACT_COMPARISONS if getattr(self, _attr(name)) is not None]
        if len(given) != 1:
            raise ValueError("a fact condition needs exactly one comparison")
        return self

    @property
    def comparison(self) -> str:
        return next(name for name in t.FACT_COMPARISONS if getattr(self, _attr(name)) is not None)

    @property
    def operand(self) -> Any:
        """The comparison's operand; its type follows the comparison (a value, a list, a count)."""
        return getattr(self, _attr(self.comparison))


def _attr(comparison: str) -> str:
    return "is_" if comparison == "is" else comparison


class DerivedTest(_Model):
    derived: Id = Field(alias="afgeleid")


LevelOperand = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(t.LEVEL_ID_PATTERN), max_length=100)]


class LevelComparison(_Model):
    is_: LevelOperand | None = Field(default=None, alias="is")
    is_een_van: Annotated[tuple[LevelOperand, ...], AfterValidator(_unique), Field(min_length=1)] | None = None
    minstens: LevelOperand | None = None
    hoogstens: LevelOperand | None = None
    boven: LevelOperand | None = None
    onder: LevelOperand | None = None

    @model_validator(mode="after")
    def _one_comparison(self) -> LevelComparison:
        if len(self.model_fields_set) != 1:
            raise ValueError("a level comparison needs exactly one comparison")
        return self

    @property
    def comparison(self) -> str:
        return next(name for name in t.LEVEL_COMPARISONS if getattr(self, _attr(name)) is not None)

    @property
    def operand(self) -> str | tuple[str, ...]:
        operand: str | tuple[str, ...] = getattr(self, _attr(self.comparison))
        return operand


class LevelTest(_Model):
    """A comparison with the decided level; only rules that emit actions alone may use it."""

    level: LevelComparison = Field(alias="niveau")


class TransitionTest(_Model):
    transition: t.Transition = Field(alias="overgang")


_FORM_TAGS = dict(zip(t.CONDITION_FORMS, ("all", "any", "not", "fact", "derived", "level", "transition"), strict=True))


def _condition_form(value: Any) -> str | None:
    # A mapping when a kaart is read, a model when one is dumped.
    if isinstance(value, Mapping):
        return next((_FORM_TAGS[form] for form in t.CONDITION_FORMS if form in value), None)
    return _CLASS_TAGS.get(type(value))


_CLASS_TAGS: dict[type, str] = {
    AllOf: "all",
    AnyOf: "any",
    Not: "not",
    FactTest: "fact",
    DerivedTest: "derived",
    LevelTest: "level",
    TransitionTest: "transition",
}

Condition = Annotated[
    (
        Annotated[AllOf, Tag("all")]
        | Annotated[AnyOf, Tag("any")]
        | Annotated[Not, Tag("not")]
        | Annotated[FactTest, Tag("fact")]
        | Annotated[DerivedTest, Tag("derived")]
        | Annotated[LevelTest, Tag("level")]
        | Annotated[TransitionTest, Tag("transition")]
    ),
    Discriminator(_condition_form),
]


# --- conclusions -----------------------------------------------------------------------


class Reference(_Model):
    """A target given by meaning: the new or current level, or the holders of a role there."""

    level: t.LevelReference = Field(alias="niveau")
    role: Id | None = Field(default=None, alias="rol")
    fallback: Id | None = Field(default=None, alias="anders")


TargetOrReference = Target | Reference


class ActionSpec(_Model):
    type: Id = Field(alias="actie")
    target: TargetOrReference | None = Field(default=None, alias="doel")
    source: TargetOrReference | None = Field(default=None, alias="bron")


class Conclusion(_Model):
    derive: UniqueIds = Field(default=(), alias="afleiden")
    level: LevelId | None = Field(default=None, alias="niveau")
    actions: tuple[ActionSpec, ...] = Field(default=(), alias="acties")

    @model_validator(mode="before")
    @classmethod
    def _something(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not data:
            raise ValueError("'dan' needs at least one conclusion")
        return data

    @model_validator(mode="after")
    def _non_empty_lists(self) -> Conclusion:
        for name in ("derive", "actions"):
            if name in self.model_fields_set and not getattr(self, name):
                raise ValueError(f"'{name}' must not be empty")
        return self


class Rule(_Model):
    id: RuleId
    explanation: Text = Field(alias="toelichting")
    condition: Condition = Field(alias="als")
    conclusion: Conclusion = Field(alias="dan")


# --- gegevensdeling ---------------------------------------------------------------------


class _Vocabulary(_Model):
    id: Id
    name: Name = Field(alias="naam")
    description: Text = Field(alias="omschrijving")


class ProcessStep(_Vocabulary):
    """A step of the case process at which information may be shared (aanmelding, triage, ...);
    ``moment`` says in which decisions it applies (see :data:`ave_rules._terms.StepMoment`)."""

    moment: t.StepMoment


class InformationCategory(_Vocabulary):
    """A category of information about a case (identificatie, zorgen, actielijst, ...); the kaart
    names categories, never the information itself."""


class Ground(_Vocabulary):
    """A legal ground (grondslag) on which information may be shared."""


class ShareSpec(_Model):
    """Which categories may go from ``sender`` (default: the verwerkingsverantwoordelijke) to
    ``recipients`` on ``ground`` (default: the level's). Parties are organisation ids, role names
    (holders on the decided level), ``inbrenger`` or ``deelnemers``."""

    categories: Annotated[UniqueIds, Field(min_length=1)] = Field(alias="categorieen")
    recipients: Annotated[UniqueIds, Field(min_length=1)] = Field(alias="met")
    sender: Id | None = Field(default=None, alias="van")
    ground: Id | None = Field(default=None, alias="grondslag")


class StepSharing(_Model):
    shares: tuple[ShareSpec, ...] = Field(alias="delen", min_length=1)


class InformingSpec(_Model):
    """When the betrokkene is informed, the exceptions in words, when informing is still due
    (``due``: a condition over the facts, where no exception applies) and the action that informs."""

    moment: t.InformMoment
    exceptions: Annotated[tuple[Name, ...], AfterValidator(_unique)] = Field(default=(), alias="uitzonderingen")
    due: Condition = Field(alias="nodig_als")
    action: Id = Field(alias="actie")


class LevelSharing(_Model):
    """Gegevensdeling on one level: the verwerkingsverantwoordelijke, the default ground, informing
    the betrokkene, what is circulated after a casusoverleg, and the shares per process step."""

    controller: Id = Field(alias="verwerkingsverantwoordelijke")
    ground: Id | None = Field(default=None, alias="grondslag")
    informing: InformingSpec | None = Field(default=None, alias="betrokkene_informeren")
    circulated: UniqueIds = Field(default=t.DEFAULT_CIRCULATED, alias="verspreiden")
    steps: Annotated[dict[Id, StepSharing], Field(min_length=1)] = Field(alias="stappen")
    explanation: Text | None = Field(default=None, alias="toelichting")


# --- scenarios -------------------------------------------------------------------------


class ActionOutcome(_Model):
    type: Id = Field(alias="actie")
    target: Target | None = Field(default=None, alias="doel")
    source: Target | None = Field(default=None, alias="bron")


class PartialRoles(_Model):
    """Roles of a scenario's expectation: any of the four AVE roles, and extra roles of the kaart."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, UniqueIds] = Field(init=False)

    casusregie: UniqueIds | None = None
    procesregie: UniqueIds | None = None
    operationele_verantwoordelijkheid: UniqueIds | None = None
    bestuurlijke_verantwoordelijkheid: UniqueIds | None = None

    _keys = model_validator(mode="before")(_role_keys)

    def given(self) -> dict[str, tuple[str, ...]]:
        """The roles the expectation names, with the holders it expects."""
        named: dict[str, tuple[str, ...]] = {
            role: getattr(self, role) for role in t.ROLES if getattr(self, role) is not None
        }
        return {**named, **(self.__pydantic_extra__ or {})}


class Expectation(_Model):
    level: LevelId = Field(alias="niveau")
    roles: PartialRoles | None = Field(default=None, alias="rollen")
    actions: tuple[ActionOutcome, ...] | None = Field(default=None, alias="acties")
    derived: UniqueIds | None = Field(default=None, alias="afgeleid")


CaseValue = ShortText | StrictBool | tuple[StrictStr, ...]


def _case_values(value: Any) -> Any:
    if isinstance(value, Mapping):
        for item in value.values():
            if isinstance(item, list) and any(isinstance(x, str) and len(x) > 100 for x in item):
                raise ValueError("a value in the list is longer than 100 characters")
    return value


class Scenario(_Model):
    id: RuleId
    description: Text = Field(alias="omschrijving")
    facts: Annotated[dict[Id, CaseValue], BeforeValidator(_case_values)] = Field(alias="feiten")
    expected: Expectation = Field(alias="verwacht")


class ScenarioSet(_Model):
    """The content of a scenario file: scenarios for the kaart ``kaart_id``, kept apart from it."""

    format: Literal[1] = Field(alias="formaat")
    kaart_id: KaartId = Field(alias="regiekaart")
    reference_date: IsoDate | None = Field(default=None, alias="peildatum")
    description: Text | None = Field(default=None, alias="omschrijving")
    scenarios: tuple[Scenario, ...] = Field(min_length=1, alias="scenarios")


# --- declared properties -------------------------------------------------------------------


class _PropertyBase(_Model):
    id: RuleId
    explanation: Text = Field(alias="toelichting")


class Monotone(_PropertyBase):
    """The level never drops when one of ``facts`` gets worse (a higher value, true, a member more)."""

    kind: Literal["monotoon"] = Field(alias="soort")
    facts: Annotated[UniqueIds, Field(min_length=1)] = Field(alias="feiten")


class LowerBound(_PropertyBase):
    """Where ``condition`` holds, the level is at least ``level``."""

    kind: Literal["ondergrens"] = Field(alias="soort")
    condition: Condition = Field(alias="als")
    level: LevelId = Field(alias="niveau")


class Independent(_PropertyBase):
    """None of ``facts`` ever changes the level."""

    kind: Literal["onafhankelijk"] = Field(alias="soort")
    facts: Annotated[UniqueIds, Field(min_length=1)] = Field(alias="feiten")


class Exclusive(_PropertyBase):
    """No decision holds actions of two of ``action_types``."""

    kind: Literal["uitsluiting"] = Field(alias="soort")
    action_types: Annotated[UniqueIds, Field(min_length=2)] = Field(alias="acties")


class Complete(_PropertyBase):
    """In every case some rule proposes a level (none falls through to the lowest by default)."""

    kind: Literal["volledig"] = Field(alias="soort")


class SharingProperty(_PropertyBase):
    """The listed requirements on gegevensdeling hold in every case (their findings are errors)."""

    kind: Literal["gegevensdeling"] = Field(alias="soort")
    requirements: Annotated[tuple[t.SharingRequirement, ...], AfterValidator(_unique), Field(min_length=1)] = Field(
        alias="eisen"
    )


class RoleHolder(_PropertyBase):
    """Where ``condition`` holds, ``organisation`` holds ``role`` on the decided level."""

    kind: Literal["rol"] = Field(alias="soort")
    condition: Condition = Field(alias="als")
    role: Id = Field(alias="rol")
    organisation: Id = Field(alias="organisatie")


class RoleOnlyIf(_PropertyBase):
    """``organisation`` holds ``role`` on the decided level only where ``condition`` holds."""

    kind: Literal["rol_alleen_als"] = Field(alias="soort")
    condition: Condition = Field(alias="als")
    role: Id = Field(alias="rol")
    organisation: Id = Field(alias="organisatie")


Property = Annotated[
    Monotone | LowerBound | Independent | Exclusive | Complete | RoleHolder | RoleOnlyIf | SharingProperty,
    Field(discriminator="kind"),
]


# --- the kaart -------------------------------------------------------------------------


@dataclass(frozen=True)
class KaartSource:
    """Where a loaded kaart came from: its file, the map from paths to places in the files, the
    kaarten it extends, the hash of its resolved content, and where each inherited item came from."""

    locator: Locator
    files: tuple[str, ...]
    bases: tuple[str, ...]
    content_hash: str
    provenance: Provenance | None


#: Makes the decider of a loaded kaart; the engine provides it (``ave_rules.engine``).
DeciderFactory = Callable[["Regiekaart"], Decider]

_DECISION_LEVEL_NAMES = {"management": "het management", "bestuur": "het bestuur"}


class Regiekaart(_Model):
    """A loaded regiekaart. Load one with :func:`ave_rules.load`; do not build it by hand."""

    format: Literal[1] = Field(alias="formaat")
    id: KaartId
    name: Name = Field(alias="naam")
    description: Text | None = Field(default=None, alias="omschrijving")
    version: Annotated[StrictStr, StringConstraints(min_length=1, max_length=50)] = Field(alias="versie")
    valid_from: IsoDate = Field(alias="geldig_vanaf")
    valid_until: IsoDate | None = Field(default=None, alias="geldig_tot")
    municipalities: Annotated[
        tuple[Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)], ...], AfterValidator(_unique)
    ] = Field(default=(), alias="gemeenten")
    extends: KaartId | None = Field(default=None, alias="breidt_uit")
    calendar: CalendarSpec = Field(default=CalendarSpec(), alias="kalender")
    facts: tuple[Fact, ...] = Field(alias="feiten")
    derived_facts: tuple[DerivedFact, ...] = Field(default=(), alias="afgeleide_feiten")
    levels: tuple[Level, ...] = Field(alias="niveaus")
    organisations: tuple[Organisation, ...] = Field(alias="organisaties")
    extra_roles: tuple[ExtraRole, ...] = Field(default=(), alias="extra_rollen")
    action_types: tuple[ActionType, ...] = Field(alias="actietypen")
    protocols: tuple[Protocol, ...] = Field(default=(), alias="protocollen")
    rules: tuple[Rule, ...] = Field(alias="regels")
    scenarios: tuple[Scenario, ...] = Field(default=(), alias="scenarios")
    properties: tuple[Property, ...] = Field(default=(), alias="eigenschappen")
    process_steps: tuple[ProcessStep, ...] = Field(default=(), alias="processtappen")
    categories: tuple[InformationCategory, ...] = Field(default=(), alias="informatiecategorieen")
    grounds: tuple[Ground, ...] = Field(default=(), alias="grondslagen")

    # Set once by the reader (see _attach): where the kaart came from, and what decides its cases.
    _source: KaartSource | None = PrivateAttr(default=None)
    _make_decider: DeciderFactory | None = PrivateAttr(default=None)

    def evaluate(self, facts: Mapping[str, object], on: datetime.date | None = None) -> Decision:
        """Decide one case on the day ``on`` (the peildatum; default today in Europe/Amsterdam),
        from which the termijnen of its actions and its next evaluatiemoment count. Raises
        :class:`~ave_rules.FactsError` when the facts do not fit, :class:`~ave_rules.PeildatumError`
        when ``on`` is not a date from 1900 to 9998."""
        return self.decider.evaluate(facts, on)

    def evaluate_many(self, cases: Iterable[Mapping[str, object]], on: datetime.date | None = None) -> list[Decision]:
        """Decide a batch of cases on one day; a FactsError names the case by its index (``3/kolommen``)."""
        return self.decider.evaluate_many(cases, on)

    @property
    def engine(self) -> str:
        """Which evaluator decides this kaart's cases: ``durable-rules`` or ``reference``."""
        return self.decider.engine

    @cached_property
    def decider(self) -> Decider:
        """What decides this kaart's cases (the engine chosen at loading), created on first use."""
        if self._make_decider is None:
            raise EngineError("engine-niet-gekoppeld", {"id": self.id})
        return self._make_decider(self)

    def _attach(self, source: KaartSource, decider: DeciderFactory) -> None:
        """Called once by the reader, before the kaart is handed out."""
        self._source = source
        self._make_decider = decider

    @property
    def content_hash(self) -> str:
        """SHA-256 of the kaart's resolved content (base kaart merged in)."""
        return self._source.content_hash if self._source else ""

    @property
    def source_files(self) -> tuple[str, ...]:
        """The file the kaart was read from (the kaarten it extends: :attr:`bases`)."""
        return self._source.files if self._source else ()

    @property
    def bases(self) -> tuple[str, ...]:
        """Ids of the kaarten this one extends: its ``breidt_uit`` first, then that kaart's, and so on."""
        return self._source.bases if self._source else ()

    def origin(self, section: str, item_id: str, field: str | None = None) -> Origin:
        """Whether an item (or one ``field`` of it) is inherited, overridden or new.

        ``section`` is the kaart's Dutch key (``niveaus``, ``regels``, ``organisaties``, ...),
        ``field`` a key of the item or a level's role as ``rollen.<rol>``. Kind ``own`` in a kaart
        that extends none. Raises KeyError for an id the section does not have."""
        if section not in t.INHERITED_SECTIONS:
            raise KeyError(f"'{section}' is not a section a kaart inherits")
        if item_id not in {item.id for item in self.section(section)}:
            raise KeyError(f"{section} has no item '{item_id}'")
        provenance = self._source.provenance if self._source else None
        found = OWN if provenance is None else provenance.items[(section, item_id)]
        return found.of_field(field) if field else found

    def lapsed(self, section: str) -> tuple[str, ...]:
        """Ids of the base kaart's items in ``section`` that this kaart removes (``vervalt: true``)."""
        provenance = self._source.provenance if self._source else None
        return () if provenance is None else tuple(provenance.lapsed.get(section, ()))

    @cached_property
    def role_ids(self) -> tuple[str, ...]:
        """Every role of the kaart: the four AVE roles, then its extra roles (``extra_rollen``)."""
        return tuple(dict.fromkeys((*t.ROLES, *(role.id for role in self.extra_roles))))

    def section(self, key: str) -> tuple[Any, ...]:
        """The items under the kaart's Dutch key ``key`` (``feiten``, ``niveaus``, ``scenarios``, ...)."""
        name = next(name for name, info in Regiekaart.model_fields.items() if info.alias == key)
        items: tuple[Any, ...] = getattr(self, name)
        return items

    def position(self, path: Sequence[str | int]) -> tuple[str, int, int]:
        """(file, line, column) where ``path`` (Dutch keys, as in the YAML) is written."""
        problem = self.problem_at("schema-overig", path, {"detail": ""})
        return (problem.file, problem.line, problem.column)

    def problem_at(self, code: str, path: Sequence[str | int], params: Params) -> Problem:
        """A problem located at ``path`` in the file it came from (following inheritance)."""
        if self._source is None:
            return Problem(code, "<onbekend>", 1, 1, format_path(path), params)
        return self._source.locator.problem(code, tuple(path), params)

    def action_text(self, kind: str, target: str | None, source: str | None) -> str:
        """The action in words, as a decision shows it: the names of its target and source filled in."""
        return self.worded(kind, self.name_of(target), self.name_of(source))

    def worded(self, kind: str, target: str, source: str) -> str:
        """The text of action type ``kind`` with ``target`` and ``source`` put in its placeholders,
        mid-sentence as the words are: "aan het huishouden zelf", not "aan Het huishouden zelf"."""
        text = next(action_type.text for action_type in self.action_types if action_type.id == kind)
        for placeholder, name in (("{doel}", target), ("{bron}", source)):
            first, space, rest = name.partition(" ")
            if first in ("De", "Het", "Een") and rest and not text.startswith(placeholder):
                name = first.lower() + space + rest
            text = text.replace(placeholder, name)
        return text

    def name_of(self, ident: str | None) -> str:
        """The name of a level, organisation, protocol or decision level, as action texts show it."""
        if ident is None:
            return ""
        level = self.level_by_id.get(ident)
        if level is not None:  # a name with its own parentheses gets a colon: never "3b (x (y))"
            return f"{level.id}: {level.name}" if "(" in level.name else f"{level.id} ({level.name})"
        names = {item.id: item.name for item in self.organisations} | {item.id: item.name for item in self.protocols}
        return names.get(ident) or _DECISION_LEVEL_NAMES.get(ident, ident)

    @model_validator(mode="before")
    @classmethod
    def _format_number(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "formaat" in data:
            if isinstance(data["formaat"], bool):
                raise ValueError("'formaat' is a number, not true/false")
            data = {**data, "formaat": _whole_number(data["formaat"])}
        return data

    # Lookups by id; the checks guarantee ids are unique in a loaded kaart.
    @cached_property
    def fact_by_id(self) -> dict[str, AnyFact]:
        return {fact.id: fact for fact in self.facts}

    @cached_property
    def defaults(self) -> dict[str, FactValue]:
        """Each fact's default, in the kaart's order (a set fact's as a frozenset)."""
        return {fact.id: frozenset(fact.default) if isinstance(fact, SetFact) else fact.default for fact in self.facts}

    @cached_property
    def level_by_id(self) -> dict[str, Level]:
        return {level.id: level for level in self.levels}

    @cached_property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    @cached_property
    def phase_fact(self) -> PhaseFact | None:
        """The fact that carries the case's current level, if the kaart has one."""
        return next((fact for fact in self.facts if isinstance(fact, PhaseFact)), None)

    @property
    def valid_from_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.valid_from)

    @property
    def valid_until_date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.valid_until) if self.valid_until else None

    def is_valid_on(self, day: datetime.date) -> bool:
        until = self.valid_until_date
        return self.valid_from_date <= day and (until is None or day < until)

    @cached_property
    def working_days(self) -> Calendar:
        """The kaart's calendar: which days count as werkdagen for its termijnen."""
        closed = frozenset(datetime.date.fromisoformat(day) for day in self.calendar.closed)
        return Calendar(self.calendar.holidays, closed)

    @cached_property
    def shares_information(self) -> bool:
        """Whether a level states gegevensdeling."""
        return any(level.sharing for level in self.levels)

    @cached_property
    def uses_time(self) -> bool:
        """Whether an action type has a termijn or a level an evaluatiemoment."""
        return any(kind.term for kind in self.action_types) or any(level.evaluation for level in self.levels)


def fact_values(fact: AnyFact, level_ids: tuple[str, ...]) -> tuple[bool | str, ...]:
    """Every value a fact can take (for a set fact: the values of its members)."""
    if isinstance(fact, BooleanFact):
        return (False, True)
    if isinstance(fact, PhaseFact):
        return (t.NO_PHASE, *level_ids)
    return fact.values


def atoms(condition: Condition) -> Iterator[FactTest | DerivedTest | LevelTest | TransitionTest]:
    """The atomic conditions inside ``condition``, in order."""
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.all if isinstance(condition, AllOf) else condition.any:
            yield from atoms(part)
    elif isinstance(condition, Not):
        yield from atoms(condition.negated)
    else:
        yield condition


if not DEFER_BUILD:  # a deferred model resolves its forward references when it is first built
    for _forward in (Level, AllOf, AnyOf, Not, LowerBound, RoleHolder, RoleOnlyIf):
        _forward.model_rebuild()
