"""The kaart as a document: the formats ave_rules reads and writes, and nothing that decides.

A regiekaart, a scenario file and a decision record are documents with a published JSON Schema
(``schemas/``). This package reads them safely (YAML without anchors, tags or duplicate keys,
bounded in size), holds them to their schema, merges a kaart onto the kaart it extends, builds the
typed models and checks that what a kaart says holds together. It knows no engine: a loaded
:class:`Regiekaart` decides its cases through the :class:`Decider` it was given when it was read
(``ave_rules.loading`` gives it the engine's).

Users load kaarten with :func:`ave_rules.load` and meet the models here as the types of what they
get back.
"""

from ._calendar import FIRST_DAY as FIRST_DAY
from ._calendar import LAST_DAY as LAST_DAY
from ._calendar import Calendar, atw_holidays
from ._checks import duplicate_ids as duplicate_ids
from ._comparisons import holds_on_scale as holds_on_scale
from ._decision import (
    Action,
    Decider,
    Decision,
    Informing,
    KaartRef,
    Share,
    Sharing,
    TraceEntry,
    decision_schema,
    decision_schema_json,
)
from ._inheritance import Origin, OriginKind
from ._model import (
    ActionOutcome,
    ActionSpec,
    ActionType,
    AllOf,
    AnyFact,
    AnyOf,
    BooleanFact,
    CalendarSpec,
    ChoiceFact,
    Complete,
    Conclusion,
    Condition,
    DeciderFactory,
    DerivedFact,
    DerivedTest,
    Exclusive,
    Expectation,
    Fact,
    FactTest,
    FactValue,
    Ground,
    Independent,
    InformationCategory,
    InformingSpec,
    Level,
    LevelComparison,
    LevelSharing,
    LevelTest,
    LowerBound,
    Monotone,
    Not,
    OrdinalFact,
    Organisation,
    PartialRoles,
    PhaseFact,
    ProcessStep,
    Property,
    Protocol,
    Reference,
    Regiekaart,
    RoleHolder,
    RoleOnlyIf,
    Roles,
    Rule,
    Scenario,
    ScenarioSet,
    SetFact,
    ShareSpec,
    SharingProperty,
    StepSharing,
    Term,
    TransitionTest,
    atoms,
    fact_values,
)
from ._norm import Norm, NormDocument, bundled_norms, bundled_norms_dir, read_norm
from ._norm import Source as Source
from ._reading import ScenarioDocument as ScenarioDocument
from ._reading import bundled_dir, is_scenario_file
from ._reading import kaart_files as kaart_files
from ._reading import read_file as read_file
from ._reading import read_kaart as read_kaart
from ._reading import read_kaart_id as read_kaart_id
from ._reading import read_kaart_text as read_kaart_text
from ._reading import read_kaart_versions as read_kaart_versions
from ._reading import read_scenario_file as read_scenario_file
from ._schema import norm_schema, regiekaart_schema, scenario_file_schema, schema_json, strict_schema
from ._sharing import applied_steps as applied_steps
from ._sharing import decision_sharing as decision_sharing
from ._sharing import may_receive as may_receive
from ._sharing import participants as participants
from ._sharing import resolve as resolve
from ._sharing import role_holders as role_holders
from ._yaml import MAX_BYTES as MAX_BYTES
from ._yaml import Locator as Locator
from ._yaml import Path as Path
from ._yaml import SourceMap as SourceMap
from ._yaml import YamlDocument as YamlDocument
from ._yaml import decode as decode
from ._yaml import read_yaml as read_yaml

# __all__ is the API. The names imported "as" themselves and not listed are for the other
# subpackages of ave_rules: the readers behind ave_rules.loading (each takes the decider the kaart
# gets), the hardened file and YAML readers that case files and case facts go through too, and
# what locates problems in a document.
__all__ = [
    "Action",
    "ActionOutcome",
    "ActionSpec",
    "ActionType",
    "AllOf",
    "AnyFact",
    "AnyOf",
    "BooleanFact",
    "Calendar",
    "CalendarSpec",
    "ChoiceFact",
    "Complete",
    "Conclusion",
    "Condition",
    "Decider",
    "DeciderFactory",
    "Decision",
    "DerivedFact",
    "DerivedTest",
    "Exclusive",
    "Expectation",
    "Fact",
    "FactTest",
    "FactValue",
    "Ground",
    "Independent",
    "InformationCategory",
    "Informing",
    "InformingSpec",
    "KaartRef",
    "Level",
    "LevelComparison",
    "LevelSharing",
    "LevelTest",
    "LowerBound",
    "Monotone",
    "Norm",
    "NormDocument",
    "Not",
    "OrdinalFact",
    "Organisation",
    "Origin",
    "OriginKind",
    "PartialRoles",
    "PhaseFact",
    "ProcessStep",
    "Property",
    "Protocol",
    "Reference",
    "Regiekaart",
    "RoleHolder",
    "RoleOnlyIf",
    "Roles",
    "Rule",
    "Scenario",
    "ScenarioSet",
    "SetFact",
    "Share",
    "ShareSpec",
    "Sharing",
    "SharingProperty",
    "StepSharing",
    "Term",
    "TraceEntry",
    "TransitionTest",
    "atoms",
    "atw_holidays",
    "bundled_dir",
    "bundled_norms",
    "bundled_norms_dir",
    "decision_schema",
    "decision_schema_json",
    "fact_values",
    "is_scenario_file",
    "norm_schema",
    "read_norm",
    "regiekaart_schema",
    "scenario_file_schema",
    "schema_json",
    "strict_schema",
]
