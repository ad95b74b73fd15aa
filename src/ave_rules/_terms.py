"""The fixed words of regiekaart format version 1, shared by the schema, the models and the checks."""

from __future__ import annotations

from typing import Literal, get_args

FORMAT_VERSION = 1

#: A kaart is a YAML file; one whose name ends in a scenario suffix holds scenarios for a kaart.
KAART_SUFFIXES = (".yaml", ".yml")
SCENARIO_SUFFIXES = (".scenarios.yaml", ".scenarios.yml")

#: The four responsibilities AVE assigns per level, in their customary order.
Role = Literal[
    "casusregie",
    "procesregie",
    "operationele_verantwoordelijkheid",
    "bestuurlijke_verantwoordelijkheid",
]
ROLES: tuple[Role, ...] = get_args(Role)

#: A closing outcome below the lowest level ("afschalen tot niks"): the case is closed, or
#: someone keeps a finger on the pulse. Its level has phase 0: outside the four AVE phases.
Closing = Literal["afgesloten", "monitoring"]
CLOSINGS: tuple[Closing, ...] = get_args(Closing)
CLOSING_PHASE = 0

#: Kinds of input fact: ja_nee (boolean), keuze (enum), ordinaal (ordered values),
#: verzameling (set of values) and fase (the current AVE level: 'geen' or a level id).
FACT_KINDS = ("ja_nee", "keuze", "ordinaal", "verzameling", "fase")
KINDS_WITH_VALUES = ("keuze", "ordinaal", "verzameling")
NO_PHASE = "geen"

#: Comparisons a fact condition may use, per fact kind.
COMPARISONS_BY_KIND: dict[str, tuple[str, ...]] = {
    "ja_nee": ("is",),
    "keuze": ("is", "is_een_van"),
    "ordinaal": ("is", "is_een_van", "minstens", "hoogstens", "boven", "onder"),
    "fase": ("is", "is_een_van", "minstens", "hoogstens", "boven", "onder"),
    "verzameling": (
        "bevat",
        "bevat_een_van",
        "bevat_alle",
        "aantal_minstens",
        "aantal_hoogstens",
        "aantal_is",
    ),
}
FACT_COMPARISONS = (
    "is",
    "is_een_van",
    "minstens",
    "hoogstens",
    "boven",
    "onder",
    "bevat",
    "bevat_een_van",
    "bevat_alle",
    "aantal_minstens",
    "aantal_hoogstens",
    "aantal_is",
)
LIST_COMPARISONS = ("is_een_van", "bevat_een_van", "bevat_alle")
COUNT_COMPARISONS = ("aantal_minstens", "aantal_hoogstens", "aantal_is")
LEVEL_COMPARISONS = ("is", "is_een_van", "minstens", "hoogstens", "boven", "onder")

#: Forms of condition besides a fact comparison.
CONDITION_FORMS = ("alle", "een_van", "niet", "feit", "afgeleid", "niveau", "overgang")

#: What decides a kaart's cases: durable-rules, the reference evaluator, or durable-rules where
#: it can run and the reference evaluator elsewhere (with one EngineWarning).
EngineChoice = Literal["auto", "durable-rules", "reference"]
ENGINES: tuple[EngineChoice, ...] = get_args(EngineChoice)

#: How the decided level relates to the current phase.
Transition = Literal["nieuw", "opschalen", "afschalen", "blijft"]
TRANSITIONS: tuple[Transition, ...] = get_args(Transition)

#: What an action type points at.
TargetKind = Literal["niveau", "organisatie", "protocol", "besluitniveau", "geen"]
TARGET_KINDS: tuple[TargetKind, ...] = get_args(TargetKind)
DECISION_LEVELS = ("management", "bestuur")
#: Which level a reference in an action means: the decided one or the current phase.
LevelReference = Literal["nieuw", "huidig"]
LEVEL_REFERENCES: tuple[LevelReference, ...] = get_args(LevelReference)
TEXT_PLACEHOLDERS = ("doel", "bron")

#: Units of a termijn or an evaluatiemoment. Werkdagen skip weekends and the kaart's closed days.
TimeUnit = Literal["werkdagen", "kalenderdagen", "weken", "maanden"]
TIME_UNITS: tuple[TimeUnit, ...] = get_args(TimeUnit)
#: The longest termijn in each unit: about a year (and the Algemene termijnenwet stops at 3 months).
MAX_TERM: dict[str, int] = {"werkdagen": 260, "kalenderdagen": 366, "weken": 52, "maanden": 12}
#: Which public holidays close a kaart's calendar: those of the Algemene termijnenwet (art. 3:
#: Goede Vrijdag and 5 mei every year included), or none (only the kaart's own closed days).
HolidaySet = Literal["algemene_termijnenwet", "geen"]
HOLIDAY_SETS: tuple[HolidaySet, ...] = get_args(HolidaySet)
#: What a time fact measures: how long the case has been at its current level.
TIME_MEASURES = ("verblijfsduur_op_niveau",)
#: The time zone of "today" when a case is decided without a peildatum.
TIME_ZONE = "Europe/Amsterdam"

Colour = Literal[
    "groen",
    "lichtgroen",
    "geel",
    "oranje",
    "rood",
    "donkerrood",
    "paars",
    "blauw",
    "grijs",
]
COLOURS: tuple[Colour, ...] = get_args(Colour)

#: Properties a kaart can declare about itself, checked by ``ave-rules check`` over every case:
#: monotoon (the level never drops when a listed fact gets worse), ondergrens (a condition implies
#: at least a level), onafhankelijk (listed facts never change the level), uitsluiting (listed
#: action types never in one decision), volledig (a rule proposes a level in every case), rol (where a
#: condition holds, an organisation holds a role on the decided level), rol_alleen_als (an organisation
#: holds a role on the decided level only where a condition holds), gegevensdeling (the listed
#: requirements on gegevensdeling hold: their findings are errors).
PROPERTY_KINDS = (
    "monotoon",
    "ondergrens",
    "onafhankelijk",
    "uitsluiting",
    "volledig",
    "rol",
    "rol_alleen_als",
    "gegevensdeling",
)
#: The keys each kind of property needs besides id, toelichting and soort.
PROPERTY_KEYS: dict[str, tuple[str, ...]] = {
    "monotoon": ("feiten",),
    "ondergrens": ("als", "niveau"),
    "onafhankelijk": ("feiten",),
    "uitsluiting": ("acties",),
    "volledig": (),
    "rol": ("als", "rol", "organisatie"),
    "rol_alleen_als": ("als", "rol", "organisatie"),
    "gegevensdeling": ("eisen",),
}

#: What a gegevensdeling property can require, with the finding of ``ave-rules check`` it makes an error.
SharingRequirement = Literal[
    "elke_deling_een_grondslag",
    "alleen_need_to_know",
    "overdracht_met_gegevens",
    "afschalen_versmalt",
    "betrokkene_geinformeerd",
]
SHARING_REQUIREMENTS: dict[str, str] = {
    "elke_deling_een_grondslag": "delen-zonder-grondslag",
    "alleen_need_to_know": "delen-zonder-taak",
    "overdracht_met_gegevens": "overdracht-zonder-gegevens",
    "afschalen_versmalt": "afschalen-verruimt",
    "betrokkene_geinformeerd": "betrokkene-niet-geinformeerd",
}

#: Sections a kaart inherits from the kaart it extends, merged item by item on 'id'.
INHERITED_SECTIONS = (
    "feiten",
    "afgeleide_feiten",
    "niveaus",
    "organisaties",
    "extra_rollen",
    "actietypen",
    "protocollen",
    "regels",
    "eigenschappen",
    "processtappen",
    "informatiecategorieen",
    "grondslagen",
)

#: The message phrase that names the kind of item in each section (``dubbele-id``, ``onbekend``).
SECTION_PHRASES = {
    "feiten": "soort-feit",
    "afgeleide_feiten": "soort-afgeleid",
    "niveaus": "soort-niveau",
    "organisaties": "soort-organisatie",
    "extra_rollen": "soort-rol",
    "actietypen": "soort-actietype",
    "protocollen": "soort-protocol",
    "regels": "soort-regel",
    "eigenschappen": "soort-eigenschap",
    "scenarios": "soort-scenario",
    "processtappen": "soort-processtap",
    "informatiecategorieen": "soort-informatiecategorie",
    "grondslagen": "soort-grondslag",
}

#: Gegevensdeling. When a process step of a level applies: when the case enters the level (new or
#: opschalen), in every decision at the level, or when the case leaves it downward (afschalen).
StepMoment = Literal["instroom", "op_niveau", "uitstroom"]
STEP_MOMENTS: tuple[StepMoment, ...] = get_args(StepMoment)
#: Parties besides organisations and the four roles: the partner that brought the case in (its
#: organisation is not on the kaart), and everyone with a role or an action in the decision.
SpecialParty = Literal["inbrenger", "deelnemers"]
SPECIAL_PARTIES: tuple[SpecialParty, ...] = get_args(SpecialParty)
#: When the betrokkene is informed: before the aanmelding, or once the triage has taken the case.
InformMoment = Literal["voor_aanmelding", "na_triage"]
INFORM_MOMENTS: tuple[InformMoment, ...] = get_args(InformMoment)
#: What is circulated after a casusoverleg when a level does not say: only the actielijst.
DEFAULT_CIRCULATED = ("actielijst",)

# The patterns are JSON Schema's (ECMA-262), where "$" is the end of the text; python_pattern()
# gives each to Python's re, whose "$" would also match before a final newline.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
KAART_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
LEVEL_ID_PATTERN = r"^[0-9]+[a-z]?$"
VALUE_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

MAX_TEXT = 4000


def python_pattern(pattern: str) -> str:
    """``pattern`` for Python's ``re``: a final ``$`` becomes ``\\Z``, the end of the text."""
    return pattern.removesuffix("$") + "\\Z" if pattern.endswith("$") else pattern
