"""The regiekaart JSON Schema (draft-07), and structural validation against it.

The schema is built here, once, and published as ``schemas/regiekaart.schema.json``
(``ave-rules schema`` prints it; a test keeps the file equal to this source). Every object
has ``additionalProperties: false``; the only open mappings are a scenario's case facts,
whose keys are the kaart's own fact names.

A kaart that extends another (``breidt_uit``) may give items partially: only ``id`` is
required, and the rest is merged onto the base kaart's item of the same id.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from .. import _terms as t
from .._messages import Phrase, closest, shown, type_phrase
from ..errors import MAX_PROBLEMS, Problem, capped
from ._accepts import compile_schema
from ._yaml import Locator, Path

if TYPE_CHECKING:
    import jsonschema  # imported when a document does not pass: see schema_problems

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/definitions/{name}"}


def _text(title: str, description: str, *, max_length: int = t.MAX_TEXT) -> Schema:
    return {
        "type": "string",
        "title": title,
        "description": description,
        "minLength": 1,
        "maxLength": max_length,
    }


def _pattern(title: str, description: str, pattern: str) -> Schema:
    return {"type": "string", "title": title, "description": description, "pattern": pattern, "maxLength": 100}


def _id(description: str) -> Schema:
    return _pattern("id", description, t.ID_PATTERN)


def _list(title: str, description: str, items: Schema, *, min_items: int = 0, unique: bool = False) -> Schema:
    schema: Schema = {"type": "array", "title": title, "description": description, "items": items}
    if min_items:
        schema["minItems"] = min_items
    if unique:
        schema["uniqueItems"] = True
    return schema


def _object(
    title: str, description: str, properties: dict[str, Schema], required: Sequence[str] = (), **extra: Any
) -> Schema:
    schema: Schema = {
        "type": "object",
        "title": title,
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


_LAPSES = {
    "type": "boolean",
    "const": True,
    "title": "vervalt",
    "description": "Laat dit item van de basiskaart vervallen. Alleen in een kaart met 'breidt_uit'.",
}


def _item(
    title: str, description: str, properties: dict[str, Schema], required: Sequence[str], complete: bool
) -> Schema:
    """An item of an inherited section: complete in a standalone kaart, partial in an extending one."""
    if complete:
        return _object(title, description, properties, required)
    return _object(
        f"{title} (aanpassing)",
        description + " In een uitbreidende kaart: geef alleen 'id' en wat anders is dan in de basiskaart.",
        {**properties, "vervalt": _LAPSES},
        ["id"],
    )


def _fact(complete: bool) -> Schema:
    kinds_text = (
        "Soort feit: 'ja_nee' (true/false), 'keuze' (één van de waarden), 'ordinaal' (één van de "
        "waarden, van laag naar hoog), 'verzameling' (nul of meer van de waarden), 'fase' (de huidige "
        "fase: 'geen' of een niveau-id)."
    )
    properties = {
        "id": _id("Naam van het feit, zoals ontvangen van het aanroepende systeem, bijvoorbeeld 'stagnatie'."),
        "soort": {"type": "string", "enum": list(t.FACT_KINDS), "title": "soort", "description": kinds_text},
        "omschrijving": _text("omschrijving", "Wat dit feit betekent, in gewone taal."),
        "standaard": {
            "type": ["boolean", "string", "array"],
            "title": "standaard",
            "description": "Waarde als het feit niet is opgegeven.",
            "items": {"type": "string"},
        },
        "waarden": _list(
            "waarden",
            "Mogelijke waarden; bij 'ordinaal' van laag naar hoog.",
            {"type": "string", "pattern": t.VALUE_PATTERN, "maxLength": 100},
            min_items=1,
        ),
        "tijd": _object(
            "tijd",
            "Alleen bij 'ordinaal': een tijdfeit, dat de geschiedenis van de casus berekent in plaats van "
            "het aanroepende systeem. De eerste waarde geldt tot de eerste grens bereikt is, de tweede tot de "
            "tweede, enzovoort: er is één waarde meer dan er grenzen zijn.",
            {
                "meet": {
                    "type": "string",
                    "enum": list(t.TIME_MEASURES),
                    "title": "meet",
                    "description": "'verblijfsduur_op_niveau': hoe lang de casus al op het huidige niveau staat.",
                },
                "grenzen": _list("grenzen", "De grenzen, van kort naar lang.", _ref("termijn"), min_items=1),
            },
            ["meet", "grenzen"],
        ),
    }
    by_kind: list[Schema] = []
    for kind in t.FACT_KINDS:
        defaults: dict[str, Schema] = {
            "ja_nee": {"type": "boolean"},
            "verzameling": {"type": "array", "uniqueItems": True},
        }
        default = defaults.get(kind, {"type": "string"})
        then: Schema = {"properties": {"standaard": default}}
        if kind not in t.KINDS_WITH_VALUES:
            then["not"] = {"required": ["waarden"]}
        if kind != "ordinaal":
            then["not"] = (
                {"anyOf": [{"required": ["waarden"]}, {"required": ["tijd"]}]}
                if "not" in then
                else {"required": ["tijd"]}
            )
        if complete:
            then["required"] = ["standaard", "waarden"] if kind in t.KINDS_WITH_VALUES else ["standaard"]
        condition = {"type": "object", "properties": {"soort": {"const": kind}}, "required": ["soort"]}
        by_kind.append({"if": condition, "then": then})
    schema = _item(
        "feit",
        "Een feit over de situatie dat het aanroepende systeem aanlevert.",
        properties,
        ["id", "soort", "omschrijving"],
        complete,
    )
    schema["allOf"] = by_kind
    return schema


def _derived_fact(complete: bool) -> Schema:
    return _item(
        "afgeleid feit",
        "Een begrip dat regels afleiden uit andere feiten, zoals 'meervoudig' of 'complex'.",
        {
            "id": _id("Naam van het afgeleide feit."),
            "omschrijving": _text("omschrijving", "Wat het afgeleide feit betekent."),
        },
        ["id", "omschrijving"],
        complete,
    )


def _roles(complete: bool) -> Schema:
    holders: dict[str, Schema] = {
        role: _list(
            role,
            f"Organisaties die de {role.replace('_', ' ')} hebben; een lege lijst betekent 'niet van toepassing'.",
            _id("Id van een organisatie."),
            unique=True,
        )
        for role in t.ROLES
    }
    schema = _object(
        "rollen",
        "Wie op dit niveau welke verantwoordelijkheid draagt: de vier AVE-rollen, en de extra rollen "
        "van de kaart (extra_rollen) die op dit niveau iemand hebben.",
        holders,
        t.ROLES if complete else (),
    )
    # An open mapping: other keys are the kaart's extra roles, checked against extra_rollen afterwards.
    schema["additionalProperties"] = _list(
        "extra rol",
        "Organisaties die deze extra rol (uit extra_rollen) hebben.",
        _id("Id van een organisatie."),
        unique=True,
    )
    schema["propertyNames"] = {"pattern": t.ID_PATTERN, "maxLength": 100}
    return schema


def _extra_role(complete: bool) -> Schema:
    return _item(
        "extra_rol",
        "Een rol die de regio naast de vier AVE-rollen kent, zoals trajectbegeleider of contactpersoon.",
        {
            "id": _id("Id van de rol, bijvoorbeeld 'trajectbegeleiding'. Niet een van de vier AVE-rollen."),
            "naam": _text("naam", "Naam van de rol zoals mensen hem kennen.", max_length=200),
            "omschrijving": _text("omschrijving", "Wat wie deze rol heeft doet."),
        },
        ["id", "naam"],
        complete,
    )


def _term() -> Schema:
    schema = _object(
        "termijn",
        "Een tijdsduur, geteld vanaf de peildatum van het besluit: bij een actietype de termijn waarbinnen "
        "de actie gedaan moet zijn, bij een niveau hoe lang het hoogstens duurt tot het volgende "
        "evaluatiemoment.",
        {
            "aantal": {"type": "integer", "minimum": 1, "title": "aantal", "description": "Hoeveel eenheden."},
            "eenheid": {
                "type": "string",
                "enum": list(t.TIME_UNITS),
                "title": "eenheid",
                "description": "'werkdagen' slaan weekenden en de gesloten dagen van de kalender over; "
                "'kalenderdagen', 'weken' en 'maanden' tellen elke dag. Valt het einde op een gesloten dag, "
                "dan schuift het naar de eerstvolgende werkdag.",
            },
        },
        ["aantal", "eenheid"],
    )
    schema["allOf"] = [
        {
            "if": {"properties": {"eenheid": {"const": unit}}, "required": ["eenheid"]},
            "then": {"properties": {"aantal": {"type": "integer", "maximum": most}}},
        }
        for unit, most in t.MAX_TERM.items()
    ]
    return schema


def _calendar() -> Schema:
    return _object(
        "kalender",
        "De dagen waarop termijnen in werkdagen niet doortellen, naast zaterdag en zondag.",
        {
            "feestdagen": {
                "type": "string",
                "enum": list(t.HOLIDAY_SETS),
                "title": "feestdagen",
                "description": "'algemene_termijnenwet' (standaard): de feestdagen van artikel 3 van de Algemene "
                "termijnenwet, met Goede Vrijdag en 5 mei in elk jaar; 'geen': alleen de gesloten dagen hieronder.",
            },
            "gesloten_dagen": _list(
                "gesloten dagen",
                "Extra dagen waarop niet wordt gewerkt (JJJJ-MM-DD), zoals een bij koninklijk besluit "
                "toegevoegde dag of de vrije dagen van de cao.",
                _DATE,
                unique=True,
            ),
        },
    )


def _level(complete: bool) -> Schema:
    properties = {
        "id": _pattern(
            "id", "Niveau-id, zoals '1', '2', '3a', '3b', '4'. Zet het tussen aanhalingstekens.", t.LEVEL_ID_PATTERN
        ),
        "fase": {
            "type": "integer",
            "minimum": 0,
            "maximum": 4,
            "title": "fase",
            "description": "AVE-fase (1 tot en met 4); 0 bij een afsluiting, die buiten de vier fasen valt.",
        },
        "afsluiting": {
            "type": "string",
            "enum": list(t.CLOSINGS),
            "title": "afsluiting",
            "description": "Dit is geen AVE-niveau maar de uitkomst onder het laagste niveau (afschalen tot niks): "
            "'afgesloten' (de casus is gesloten) of 'monitoring' (iemand houdt een vinger aan de pols). "
            "Alleen bij het eerste niveau, met fase 0.",
        },
        "kleur": {
            "type": "string",
            "enum": list(t.COLOURS),
            "title": "kleur",
            "description": "Kleur op de regiekaart.",
        },
        "naam": _text("naam", "Korte naam van het niveau.", max_length=200),
        "omschrijving": _text("omschrijving", "De uitgangssituatie op dit niveau."),
        "rollen": _ref("rollen" if complete else "rollen_aanpassing"),
        "protocollen": _list(
            "protocollen",
            "Protocollen en afspraken die op dit niveau gelden.",
            _id("Id van een protocol."),
            unique=True,
        ),
        "evaluatiemoment": _ref("termijn"),  # how long at most until the partners meet again
        "gegevensdeling": _ref("gegevensdeling" if complete else "gegevensdeling_aanpassing"),
    }
    return _item(
        "niveau",
        "Een trede van de AVE-ladder. Zet de niveaus van laag naar hoog.",
        properties,
        ["id", "fase", "kleur", "naam", "omschrijving", "rollen"],
        complete,
    )


def _organisation(complete: bool) -> Schema:
    return _item(
        "organisatie",
        "Een organisatie of functie die een rol kan dragen of een actie kan ontvangen.",
        {
            "id": _id("Id van de organisatie, bijvoorbeeld 'wijkteam'."),
            "naam": _text("naam", "Naam zoals mensen hem kennen.", max_length=200),
            "omschrijving": _text("omschrijving", "Wie of wat dit is."),
        },
        ["id", "naam"],
        complete,
    )


def _action_type(complete: bool) -> Schema:
    return _item(
        "actietype",
        "Een soort actie die regels kunnen geven.",
        {
            "id": _id("Id van het actietype, bijvoorbeeld 'opschalen'."),
            "naam": _text("naam", "Korte naam.", max_length=200),
            "omschrijving": _text("omschrijving", "Wat de actie inhoudt."),
            "doel": {
                "type": "string",
                "enum": list(t.TARGET_KINDS),
                "title": "doel",
                "description": "Waar de actie op gericht is: een niveau, een organisatie, een protocol, "
                "een besluitniveau (management of bestuur) of niets ('geen').",
            },
            "bron": {
                "type": "string",
                "const": "organisatie",
                "title": "bron",
                "description": "Geef 'organisatie' als de actie ook een organisatie van herkomst heeft, "
                "zoals een warme overdracht.",
            },
            "tekst": _text(
                "tekst",
                "Tekst van de actie in het besluit. '{doel}' en '{bron}' worden vervangen door de naam van "
                "het doel en de bron.",
                max_length=500,
            ),
            "termijn": _ref("termijn"),  # within what time the action is to be done
            "overdracht": {
                "type": "boolean",
                "title": "overdracht",
                "description": "true als de actie de casus overdraagt aan het doel (zoals aanmelden of een warme "
                "overdracht): 'ave-rules check' toetst dan of het doel gegevens mag ontvangen.",
            },
        },
        ["id", "naam", "omschrijving", "doel", "tekst"],
        complete,
    )


def _protocol(complete: bool) -> Schema:
    return _item(
        "protocol",
        "Een protocol of samenwerkingsafspraak, zoals de meldcode.",
        {
            "id": _id("Id van het protocol, bijvoorbeeld 'meldcode'."),
            "naam": _text("naam", "Naam van het protocol.", max_length=200),
            "omschrijving": _text("omschrijving", "Waar het protocol over gaat."),
        },
        ["id", "naam"],
        complete,
    )


def _vocabulary(
    title: str, description: str, example: str, extra: dict[str, Schema] | None = None
) -> Callable[[bool], Schema]:
    def build(complete: bool) -> Schema:
        return _item(
            title,
            description,
            {
                "id": _id(f"Id, bijvoorbeeld '{example}'."),
                "naam": _text("naam", "Korte naam.", max_length=200),
                "omschrijving": _text("omschrijving", "Wat het inhoudt, in gewone taal."),
                **(extra or {}),
            },
            ["id", "naam", "omschrijving", *(extra or {})],
            complete,
        )

    return build


_PARTY = (
    "Een organisatie-id, een rol (de houder(s) op het besliste niveau: "
    + ", ".join(t.ROLES)
    + " of een rol uit extra_rollen), 'inbrenger' (de partner die de casus inbracht) of 'deelnemers'"
    + " (wie in het besluit een rol of actie heeft)."
)


def _sharing(complete: bool) -> Schema:
    parties = _list("met", "Aan wie. " + _PARTY, _id("Een partij."), min_items=1, unique=True)
    share = _object(
        "deling",
        "Welke categorieën informatie van wie naar wie mogen, op welke grondslag.",
        {
            "categorieen": _list(
                "categorieen", "Ids van informatiecategorieën.", _id("Id van een categorie."), min_items=1, unique=True
            ),
            "met": parties,
            "van": _id("Van wie; zonder 'van': de verwerkingsverantwoordelijke. " + _PARTY),
            "grondslag": _id("Id van de grondslag; zonder: de grondslag van het niveau."),
        },
        ["categorieen", "met"],
    )
    step = _object(
        "stap",
        "Wat in deze processtap gedeeld mag worden.",
        {"delen": _list("delen", "De toegestane delingen.", share, min_items=1)},
        ["delen"],
    )
    informing = _object(
        "betrokkene informeren",
        "Wanneer de betrokkene wordt geïnformeerd, met welke uitzonderingen.",
        {
            "moment": {
                "type": "string",
                "enum": list(t.INFORM_MOMENTS),
                "title": "moment",
                "description": "'voor_aanmelding' of 'na_triage'.",
            },
            "uitzonderingen": _list(
                "uitzonderingen",
                "De uitzonderingen in woorden, zoals 'een lopend strafrechtelijk onderzoek'.",
                _text("uitzondering", "Een uitzondering.", max_length=200),
                unique=True,
            ),
            "nodig_als": {
                **_ref("voorwaarde"),
                "description": "Wanneer informeren nog moet: niet geïnformeerd en geen uitzondering.",
            },
            "actie": _id("Id van het actietype dat de betrokkene informeert."),
        },
        ["moment", "nodig_als", "actie"],
    )
    properties: dict[str, Schema] = {
        "verwerkingsverantwoordelijke": _id("Wie verwerkingsverantwoordelijke is. " + _PARTY),
        "grondslag": _id("Id van de grondslag van de delingen op dit niveau die er zelf geen noemen."),
        "betrokkene_informeren": informing,
        "verspreiden": _list(
            "verspreiden",
            "Wat na het overleg wordt rondgestuurd (ids van informatiecategorieën); zonder: alleen 'actielijst'.",
            _id("Id van een categorie."),
            unique=True,
        ),
        "stappen": {
            "type": "object",
            "title": "stappen",
            "description": "Per processtap (id) wat gedeeld mag worden.",
            "propertyNames": {"pattern": t.ID_PATTERN, "maxLength": 100},
            "additionalProperties": step,
            "minProperties": 1,
        },
        "toelichting": _text("toelichting", "Waarop deze afspraken berusten, met bronnen."),
    }
    return _object(
        "gegevensdeling" if complete else "gegevensdeling (aanpassing)",
        "Wie op dit niveau wat met wie mag delen (need-to-know)."
        + ("" if complete else " In een uitbreidende kaart: geef alleen wat anders is; stappen gaan per stap."),
        properties,
        ["verwerkingsverantwoordelijke", "stappen"] if complete else (),
    )


def _condition() -> Schema:
    fact_value = {"type": "string", "maxLength": 100}
    value_list = {"type": "array", "minItems": 1, "uniqueItems": True, "items": fact_value}
    count = {"type": "integer", "minimum": 0}
    comparisons: dict[str, Schema] = {
        "is": {"type": ["string", "boolean"], "maxLength": 100, "description": "Het feit heeft deze waarde."},
        "is_een_van": {**value_list, "description": "Het feit heeft een van deze waarden."},
        "minstens": {**fact_value, "description": "Het (ordinale) feit is deze waarde of hoger."},
        "hoogstens": {**fact_value, "description": "Het (ordinale) feit is deze waarde of lager."},
        "boven": {**fact_value, "description": "Het (ordinale) feit is hoger dan deze waarde."},
        "onder": {**fact_value, "description": "Het (ordinale) feit is lager dan deze waarde."},
        "bevat": {**fact_value, "description": "De verzameling bevat deze waarde."},
        "bevat_een_van": {**value_list, "description": "De verzameling bevat minstens een van deze waarden."},
        "bevat_alle": {**value_list, "description": "De verzameling bevat al deze waarden."},
        "aantal_minstens": {**count, "description": "De verzameling heeft minstens zoveel waarden."},
        "aantal_hoogstens": {**count, "description": "De verzameling heeft hoogstens zoveel waarden."},
        "aantal_is": {**count, "description": "De verzameling heeft precies zoveel waarden."},
    }
    conditions = {"type": "array", "minItems": 1, "items": _ref("voorwaarde")}
    # A fact condition is 'feit' plus exactly one comparison; every other form stands alone.
    one_form: Schema = {
        "if": {"required": ["feit"]},
        "then": {
            "title": "voorwaarde",
            "propertyNames": {"enum": ["feit", *t.FACT_COMPARISONS]},
            "minProperties": 2,
            "maxProperties": 2,
        },
        "else": {"title": "voorwaarde", "maxProperties": 1},
    }
    properties: dict[str, Schema] = {
        "alle": {**conditions, "description": "Alle voorwaarden gelden (en)."},
        "een_van": {**conditions, "description": "Minstens een van de voorwaarden geldt (of)."},
        "niet": {**_ref("voorwaarde"), "description": "De voorwaarde geldt niet."},
        "feit": _id("Het feit waarover deze voorwaarde gaat; geef er precies één vergelijking bij."),
        "afgeleid": _id("Het afgeleide feit geldt (een andere regel heeft het afgeleid)."),
        "niveau": _ref("niveauvergelijking"),
        "overgang": {
            "type": "string",
            "enum": list(t.TRANSITIONS),
            "description": "Hoe het besliste niveau zich verhoudt tot de huidige fase: 'nieuw' (nog geen fase), "
            "'opschalen' (hoger), 'afschalen' (lager) of 'blijft' (gelijk).",
        },
        **comparisons,
    }
    return _object(
        "voorwaarde",
        "Wanneer een regel geldt. Precies één vorm: 'alle', 'een_van', 'niet', 'afgeleid', 'niveau', "
        "'overgang', of 'feit' met één vergelijking.",
        properties,
        minProperties=1,
        dependencies={name: ["feit"] for name in t.FACT_COMPARISONS},
        **one_form,
    )


def _level_comparison() -> Schema:
    level = {"type": "string", "pattern": t.LEVEL_ID_PATTERN, "maxLength": 100}
    return _object(
        "niveauvergelijking",
        "Vergelijking met het besliste niveau; precies één van de vergelijkingen.",
        {
            "is": {**level, "description": "Het besliste niveau is dit niveau."},
            "is_een_van": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": level,
                "description": "Het besliste niveau is een van deze niveaus.",
            },
            "minstens": {**level, "description": "Het besliste niveau is dit niveau of hoger."},
            "hoogstens": {**level, "description": "Het besliste niveau is dit niveau of lager."},
            "boven": {**level, "description": "Het besliste niveau is hoger dan dit niveau."},
            "onder": {**level, "description": "Het besliste niveau is lager dan dit niveau."},
        },
        minProperties=1,
        maxProperties=1,
    )


def _target(title: str, description: str) -> Schema:
    # One schema for both forms, so errors stay specific: 'properties' only applies to a mapping.
    return {
        "type": ["string", "object"],
        "title": title,
        "description": description,
        "maxLength": 100,
        "minLength": 1,
        "properties": {
            "niveau": {
                "type": "string",
                "enum": list(t.LEVEL_REFERENCES),
                "description": "'nieuw': het besliste niveau; 'huidig': het niveau van de huidige fase.",
            },
            "rol": _pattern(
                "rol",
                "De houder(s) van deze rol op dat niveau: " + ", ".join(t.ROLES) + ", of een rol uit extra_rollen.",
                t.ID_PATTERN,
            ),
            "anders": _pattern(
                "anders", "Rol waarvan de houder(s) gelden als de eerste rol niemand heeft.", t.ID_PATTERN
            ),
        },
        "required": ["niveau"],
        "additionalProperties": False,
    }


def _action() -> Schema:
    return _object(
        "actie",
        "Een actie die de regel geeft.",
        {
            "actie": _id("Id van het actietype."),
            "doel": _target(
                "doel",
                "Een id (niveau, organisatie, protocol, 'management' of 'bestuur'), of een verwijzing: "
                "{niveau: nieuw} of {rol: procesregie, niveau: nieuw}.",
            ),
            "bron": _target("bron", "Organisatie van herkomst: een id of {rol: ..., niveau: huidig}."),
        },
        ["actie"],
    )


def _conclusion() -> Schema:
    return _object(
        "dan",
        "Wat volgt als de voorwaarde geldt: afgeleide feiten, een voorgesteld niveau en/of acties.",
        {
            "afleiden": _list(
                "afleiden",
                "Afgeleide feiten die gaan gelden.",
                _id("Id van een afgeleid feit."),
                min_items=1,
                unique=True,
            ),
            "niveau": _pattern(
                "niveau", "Niveau dat deze regel voorstelt; het hoogste voorstel wint.", t.LEVEL_ID_PATTERN
            ),
            "acties": _list("acties", "Acties die de regel geeft.", _ref("actie"), min_items=1),
        },
        minProperties=1,
    )


def _rule(complete: bool) -> Schema:
    schema = _item(
        "regel",
        "Een regel: als de voorwaarde geldt, dan volgen de gevolgen.",
        {
            "id": _pattern("id", "Unieke naam van de regel.", t.RULE_ID_PATTERN),
            "toelichting": _text("toelichting", "Uitleg van de regel in gewone taal; het besluit toont deze tekst."),
            "als": _ref("voorwaarde"),
            "dan": _ref("dan"),
        },
        ["id", "toelichting", "als", "dan"],
        complete,
    )
    # In a kaart that extends another, a new rule is written whole too.
    schema["defaultSnippets"] = [
        {
            "label": "nieuwe regel",
            "body": {"id": "$1", "toelichting": "$2", "als": {"feit": "$3", "is": "$4"}, "dan": {"niveau": "$5"}},
        }
    ]
    return schema


def _property(complete: bool) -> Schema:
    kinds_text = (
        "monotoon: het niveau daalt nooit als een van de 'feiten' erger wordt; ondergrens: als 'als' geldt,"
        " is het niveau minstens 'niveau'; onafhankelijk: de 'feiten' veranderen het niveau nooit;"
        " uitsluiting: twee van de 'acties' staan nooit in hetzelfde besluit; volledig: in elke casus stelt"
        " een regel een niveau voor; rol: als 'als' geldt, draagt de 'organisatie' de 'rol' op het besliste"
        " niveau; rol_alleen_als: de 'organisatie' draagt de 'rol' op het besliste niveau alleen als 'als' geldt;"
        " gegevensdeling: de 'eisen' aan de gegevensdeling gelden in elke casus."
    )
    ids = _list("feiten", "Ids van feiten.", _id("Id van een feit."), min_items=1, unique=True)
    schema = _item(
        "eigenschap",
        "Een eigenschap die de kaart in elke casus moet hebben; 'ave-rules check' controleert haar.",
        {
            "id": _pattern("id", "Unieke naam van de eigenschap.", t.RULE_ID_PATTERN),
            "toelichting": _text("toelichting", "Waarom de kaart deze eigenschap moet hebben, in gewone taal."),
            "soort": {"type": "string", "enum": list(t.PROPERTY_KINDS), "title": "soort", "description": kinds_text},
            "feiten": ids,
            "als": _ref("voorwaarde"),
            "niveau": _pattern("niveau", "Het niveau dat minstens geldt.", t.LEVEL_ID_PATTERN),
            "acties": _list("acties", "Ids van actietypen.", _id("Id van een actietype."), min_items=2, unique=True),
            "rol": _pattern(
                "rol",
                "De rol op het besliste niveau (rol en rol_alleen_als): een van de vier AVE-rollen of een rol uit "
                "extra_rollen.",
                t.ID_PATTERN,
            ),
            "organisatie": _id("Id van de organisatie die de rol draagt (rol en rol_alleen_als)."),
            "eisen": _list(
                "eisen",
                "Wat de gegevensdeling moet: " + ", ".join(t.SHARING_REQUIREMENTS) + ".",
                {"type": "string", "enum": list(t.SHARING_REQUIREMENTS)},
                min_items=1,
                unique=True,
            ),
        },
        ["id", "toelichting", "soort"],
        complete,
    )
    if complete:
        keys = {key for needed in t.PROPERTY_KEYS.values() for key in needed}
        schema["allOf"] = [
            {
                "if": {"properties": {"soort": {"const": kind}}, "required": ["soort"]},
                "then": {
                    "required": list(needed),
                    "not": {"anyOf": [{"required": [key]} for key in sorted(keys - set(needed))]},
                },
            }
            for kind, needed in t.PROPERTY_KEYS.items()
        ]
    return schema


def _scenario() -> Schema:
    case_value = {
        "type": ["string", "boolean", "array"],
        "items": {"type": "string", "maxLength": 100},
        "maxLength": 100,
    }
    outcome = _object(
        "actie-uitkomst",
        "Een verwachte actie, met concrete ids.",
        {
            "actie": _id("Id van het actietype."),
            "doel": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Id van het doel."},
            "bron": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Id van de bron."},
        },
        ["actie"],
    )
    expected = _object(
        "verwacht",
        "De uitkomst die de auteur verwacht.",
        {
            "niveau": _pattern("niveau", "Het verwachte niveau.", t.LEVEL_ID_PATTERN),
            "rollen": _ref("rollen_aanpassing"),
            "acties": _list("acties", "Precies deze acties (volgorde telt niet).", outcome),
            "afgeleid": _list(
                "afgeleid", "Precies deze afgeleide feiten.", _id("Id van een afgeleid feit."), unique=True
            ),
        },
        ["niveau"],
    )
    return _object(
        "scenario",
        "Een voorbeeldcasus met de verwachte uitkomst.",
        {
            "id": _pattern("id", "Unieke naam van het scenario.", t.RULE_ID_PATTERN),
            "omschrijving": _text("omschrijving", "De situatie in gewone taal (geen persoonsgegevens)."),
            "feiten": {
                "type": "object",
                "title": "feiten",
                "description": "Feiten van de casus; niet genoemde feiten krijgen hun standaardwaarde.",
                "propertyNames": {"pattern": t.ID_PATTERN, "maxLength": 100},
                "additionalProperties": case_value,
            },
            "verwacht": expected,
        },
        ["id", "omschrijving", "feiten", "verwacht"],
    )


_SECTIONS: dict[str, tuple[str, str]] = {
    # section: (definition, description)
    "feiten": ("feit", "De feiten die het aanroepende systeem aanlevert."),
    "afgeleide_feiten": ("afgeleid_feit", "Begrippen die regels afleiden."),
    "niveaus": ("niveau", "De niveaus van laag naar hoog."),
    "organisaties": ("organisatie", "Organisaties die rollen dragen of acties ontvangen."),
    "extra_rollen": ("extra_rol", "Rollen naast de vier AVE-rollen, die niveaus aan organisaties kunnen geven."),
    "actietypen": ("actietype", "De soorten acties."),
    "protocollen": ("protocol", "Protocollen en samenwerkingsafspraken."),
    "regels": ("regel", "De regels."),
    "eigenschappen": ("eigenschap", "Eigenschappen die de kaart in elke casus moet hebben."),
    "processtappen": ("processtap", "Gegevensdeling: de stappen van het proces waarin gedeeld wordt."),
    "informatiecategorieen": ("informatiecategorie", "Gegevensdeling: de categorieën informatie."),
    "grondslagen": ("grondslag", "Gegevensdeling: de grondslagen waarop gedeeld mag worden."),
}
#: Every kaart names itself; one that extends no other has its sections too (a base gives them).
_REQUIRED = ("formaat", "id", "naam", "versie", "geldig_vanaf")
_STANDALONE_REQUIRED = ("feiten", "niveaus", "organisaties", "actietypen", "regels")


_DATE: Schema = {"type": "string", "pattern": t.DATE_PATTERN, "format": "date", "maxLength": 10}


@cache
def regiekaart_schema() -> Schema:
    """The JSON Schema (draft-07) of a regiekaart document. Treat the result as read-only."""
    date = _DATE
    definitions: dict[str, Schema] = {
        "voorwaarde": _condition(),
        "niveauvergelijking": _level_comparison(),
        "dan": _conclusion(),
        "actie": _action(),
        "scenario": _scenario(),
        "termijn": _term(),
        "kalender": _calendar(),
    }
    builders = {
        "feit": _fact,
        "afgeleid_feit": _derived_fact,
        "niveau": _level,
        "rollen": _roles,
        "organisatie": _organisation,
        "extra_rol": _extra_role,
        "actietype": _action_type,
        "protocol": _protocol,
        "regel": _rule,
        "eigenschap": _property,
        "gegevensdeling": _sharing,
        "processtap": _vocabulary(
            "processtap",
            "Een stap in het proces waarin informatie gedeeld kan worden.",
            "triage",
            {
                "moment": {
                    "type": "string",
                    "enum": list(t.STEP_MOMENTS),
                    "title": "moment",
                    "description": "Wanneer de stap geldt: 'instroom' (de casus komt op het niveau), 'op_niveau' "
                    "(elk besluit op het niveau) of 'uitstroom' (de casus wordt van het niveau afgeschaald).",
                }
            },
        ),
        "informatiecategorie": _vocabulary(
            "informatiecategorie", "Een categorie informatie over een casus (nooit de informatie zelf).", "zorgen"
        ),
        "grondslag": _vocabulary("grondslag", "Een grondslag waarop informatie gedeeld mag worden.", "toestemming"),
    }
    for name, build in builders.items():
        definitions[name] = build(True)
        definitions[f"{name}_aanpassing"] = build(False)
    properties: dict[str, Schema] = {
        "formaat": {
            "type": "integer",
            "const": t.FORMAT_VERSION,
            "title": "formaat",
            "description": "Versie van het regiekaartformaat: 1.",
        },
        "id": _pattern("id", "Id van de kaart, bijvoorbeeld 'ave-generiek' of 'groningen'.", t.KAART_ID_PATTERN),
        "naam": _text("naam", "Naam van de kaart.", max_length=200),
        "omschrijving": _text("omschrijving", "Waarvoor de kaart is en wat er lokaal anders is."),
        "versie": {
            "type": "string",
            "minLength": 1,
            "maxLength": 50,
            "title": "versie",
            "description": 'Versie van de kaart, als tekst: "2025.1".',
        },
        "geldig_vanaf": {
            **date,
            "title": "geldig vanaf",
            "description": "Eerste dag waarop de kaart geldt (JJJJ-MM-DD).",
        },
        "geldig_tot": {
            **date,
            "title": "geldig tot",
            "description": "Dag waarop de kaart niet meer geldt (JJJJ-MM-DD; die dag zelf niet meer).",
        },
        "gemeenten": _list(
            "gemeenten",
            "De gemeenten waarvoor de kaart geldt.",
            {"type": "string", "minLength": 1, "maxLength": 200},
            unique=True,
        ),
        "breidt_uit": _pattern(
            "breidt uit",
            "Id van de kaart die deze kaart uitbreidt; alleen wat anders is staat hier.",
            t.KAART_ID_PATTERN,
        ),
        **{
            section: {"type": "array", "title": section, "description": text}
            for section, (_, text) in _SECTIONS.items()
        },
        "kalender": _ref("kalender"),
        "scenarios": _list("scenarios", "Voorbeeldcasussen met hun verwachte uitkomst.", _ref("scenario")),
    }

    def items(suffix: str) -> dict[str, Schema]:
        return {
            section: {"type": "array", "items": _ref(definition + suffix)}
            for section, (definition, _) in _SECTIONS.items()
        }

    root = _object(
        "regiekaart",
        "Een AVE-regiekaart: wie regie voert bij huishoudens met oplopende problematiek, en wanneer "
        "wordt op- of afgeschaald.",
        properties,
        _REQUIRED,
    )
    root.update(
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "if": {"required": ["breidt_uit"]},
            "then": {"properties": items("_aanpassing")},
            "else": {"required": list(_STANDALONE_REQUIRED), "properties": items("")},
            "definitions": definitions,
        }
    )
    return {"$schema": root.pop("$schema"), **root}


def _kaart_definitions(name: str) -> dict[str, Schema]:
    """The kaart schema's definition ``name``, with every definition it refers to."""
    kaart_definitions = regiekaart_schema()["definitions"]
    definitions: dict[str, Schema] = {}
    pending = [name]
    while pending:
        found = pending.pop()
        if found not in definitions:
            definitions[found] = kaart_definitions[found]
            pending.extend(_references(definitions[found]))
    return definitions


@cache
def scenario_file_schema() -> Schema:
    """The JSON Schema (draft-07) of a scenario file (``<naam>.scenarios.yaml``): scenarios for a
    kaart, kept apart from it. Its scenario is the kaart schema's, copied with what it refers to."""
    definitions = _kaart_definitions("scenario")
    root = _object(
        "scenariobestand",
        "Scenario's voor een regiekaart, in een eigen bestand: voorbeeldcasussen met hun verwachte uitkomst.",
        {
            "formaat": {
                "type": "integer",
                "const": t.FORMAT_VERSION,
                "title": "formaat",
                "description": "Versie van het formaat: 1.",
            },
            "regiekaart": _pattern(
                "regiekaart", "Id van de kaart waarvoor deze scenario's gelden.", t.KAART_ID_PATTERN
            ),
            "peildatum": {
                **_DATE,
                "title": "peildatum",
                "description": "De dag waarvan de versie van de kaart wordt getest (JJJJ-MM-DD); zonder peildatum"
                " de versie die vandaag geldt, of anders de eerstvolgende.",
            },
            "omschrijving": _text("omschrijving", "Waarover deze scenario's gaan."),
            "scenarios": _list(
                "scenarios", "Voorbeeldcasussen met hun verwachte uitkomst.", _ref("scenario"), min_items=1
            ),
        },
        ["formaat", "regiekaart", "scenarios"],
    )
    root["definitions"] = dict(sorted(definitions.items()))
    return {"$schema": "http://json-schema.org/draft-07/schema#", **root}


#: A norm's sources: web addresses, as written in the kaarten's texts.
URL_PATTERN = r"^https?://[^\s]+$"


@cache
def norm_schema() -> Schema:
    """The JSON Schema (draft-07) of a norm (``normen/<id>.yaml``): properties that every kaart it
    applies to must have, in the words of one kaart and the kaarten that extend it. Its property
    is the kaart schema's, copied with what it refers to."""
    definitions = _kaart_definitions("eigenschap")
    source = _object(
        "bron",
        "Een openbare bron waarop de norm berust.",
        {
            "url": {
                "type": "string",
                "title": "url",
                "description": "Het webadres van de bron (http of https).",
                "pattern": URL_PATTERN,
                "maxLength": 500,
            },
            "naam": _text("naam", "Wat de bron is, in een paar woorden.", max_length=200),
        },
        ["url", "naam"],
    )
    root = _object(
        "norm",
        "Een norm: eigenschappen die elke kaart moet hebben waarvoor de norm geldt; 'ave-rules check"
        " --norm' rekent ze door over alle casussen.",
        {
            "formaat": {
                "type": "integer",
                "const": t.FORMAT_VERSION,
                "title": "formaat",
                "description": "Versie van het formaat: 1.",
            },
            "id": _pattern("id", "Id van de norm, bijvoorbeeld 'landelijk-kader'.", t.KAART_ID_PATTERN),
            "naam": _text("naam", "Naam van de norm.", max_length=200),
            "omschrijving": _text("omschrijving", "Waar de norm vandaan komt en hoe zij de bron leest."),
            "geldt_voor": _pattern(
                "geldt voor",
                "Id van de kaart in wier woorden de norm is geschreven; de norm geldt voor die kaart en de"
                " kaarten die erop voortbouwen.",
                t.KAART_ID_PATTERN,
            ),
            "bronnen": _list("bronnen", "De openbare bronnen van de norm.", source, min_items=1),
            "eigenschappen": _list(
                "eigenschappen",
                "Wat in elke casus moet gelden, geschreven zoals de eigenschappen van een kaart.",
                _ref("eigenschap"),
                min_items=1,
            ),
        },
        ["formaat", "id", "naam", "omschrijving", "geldt_voor", "bronnen", "eigenschappen"],
    )
    root["definitions"] = dict(sorted(definitions.items()))
    return {"$schema": "http://json-schema.org/draft-07/schema#", **root}


def _references(schema: Any) -> Iterable[str]:
    """The names of the definitions that ``schema`` refers to, anywhere inside it."""
    if isinstance(schema, dict):
        reference = schema.get("$ref")
        if isinstance(reference, str):
            yield reference.removeprefix("#/definitions/")
        for value in schema.values():
            yield from _references(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _references(value)


#: Keywords for editors (yaml-language-server), unknown to JSON Schema validators in strict mode.
EDITOR_KEYWORDS = frozenset({"defaultSnippets"})


#: The keywords that only test values of one type (JSON Schema draft-07, section 6).
_TYPE_KEYWORDS = {
    "string": {"maxLength", "minLength", "pattern", "format"},
    "array": {"items", "additionalItems", "maxItems", "minItems", "uniqueItems", "contains"},
    "object": {
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "propertyNames",
        "maxProperties",
        "minProperties",
        "dependencies",
    },
    "integer": {"maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf"},
}


def strict_schema(schema: Schema) -> Schema:
    """``schema`` for validators in strict mode (ajv's default): without the editor keywords, and
    with each union type (``type: [string, boolean]``) written as one ``anyOf`` branch per type,
    holding the keywords for that type. It accepts and refuses exactly the same documents."""

    def strict(node: Any) -> Any:
        if isinstance(node, list):
            return [strict(value) for value in node]
        if not isinstance(node, dict):
            return node
        node = {key: strict(value) for key, value in node.items() if key not in EDITOR_KEYWORDS}
        types = node.get("type")
        if not isinstance(types, list) or "anyOf" in node:
            return node
        specific = {key for kind in types for key in _TYPE_KEYWORDS.get(kind, ())}
        branches = [
            {"type": kind, **{key: value for key, value in node.items() if key in _TYPE_KEYWORDS.get(kind, ())}}
            for kind in types
        ]
        return {key: value for key, value in node.items() if key != "type" and key not in specific} | {
            "anyOf": branches
        }

    converted: Schema = strict(schema)
    return converted


def schema_json(schema: Schema | None = None) -> str:
    """A schema as published (default: the kaart's): stable key order, two-space indent, final newline."""
    return json.dumps(schema or regiekaart_schema(), ensure_ascii=False, indent=2) + "\n"


# --- validation --------------------------------------------------------------------------

_FORM_CODES = {"voorwaarde": "voorwaarde-vorm", "niveauvergelijking": "niveauvergelijking-vorm", "dan": "dan-leeg"}
_PATTERN_PHRASES = {  # pattern: (what it names, how it is written)
    t.ID_PATTERN: ("naam-id", "patroon-id"),
    t.KAART_ID_PATTERN: ("naam-kaart-id", "patroon-kaart-id"),
    t.RULE_ID_PATTERN: ("naam-id", "patroon-regel-id"),
    t.LEVEL_ID_PATTERN: ("naam-niveau-id", "patroon-niveau-id"),
    t.VALUE_PATTERN: ("naam-waarde", "patroon-waarde"),
    t.DATE_PATTERN: ("naam-datum", "patroon-datum"),
    URL_PATTERN: ("naam-url", "patroon-url"),
}
_TYPE_PHRASES = {
    "string": "type-tekst",
    "integer": "type-getal",
    "number": "type-kommagetal",
    "boolean": "type-ja-nee",
    "array": "type-lijst",
    "object": "type-mapping",
    "null": "type-leeg",
}
_TEXTUAL_BOOLEANS = {"ja", "nee", "yes", "no", "on", "off", "y", "n", "waar", "onwaar"}


def _whole_text_pattern(
    validator: Any, pattern: str, instance: Any, schema: Schema
) -> Iterator[jsonschema.ValidationError]:
    """``pattern`` as JSON Schema (ECMA-262) reads it: ``$`` is the end of the text. Python's ``$``
    also matches before a final newline, which would let ``"ave-generiek\n"`` pass as an id."""
    import jsonschema

    if validator.is_type(instance, "string") and not re.search(t.python_pattern(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _draft7() -> type[jsonschema.Draft7Validator]:
    """jsonschema's Draft7Validator with ECMA-262 patterns, imported on first use."""
    import jsonschema

    extended: type[jsonschema.Draft7Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft7Validator, {"pattern": _whole_text_pattern}
    )  # untyped in types-jsonschema
    return extended


@cache
def _validator(kind: str) -> jsonschema.Draft7Validator:
    validator: jsonschema.Draft7Validator = _draft7()(_schema_of(kind))
    return validator


def _schema_of(kind: str) -> Schema:
    schemas = {"scenarios": scenario_file_schema, "norm": norm_schema}
    return schemas.get(kind, regiekaart_schema)()


@cache
def _accepts(kind: str) -> Callable[[Any], bool] | None:
    """Whether a ``kind`` document passes its schema, without jsonschema (``_accepts``); None when
    the schema uses a keyword that module does not know."""
    return compile_schema(_schema_of(kind))


def schema_problems(data: Any, source: Locator, kind: str = "regiekaart") -> list[Problem]:
    """Every structural problem of ``data`` against the schema of a ``kind`` ("regiekaart",
    "scenarios" or "norm") document, located in ``source``."""
    accepts = _accepts(kind)
    if accepts is not None and accepts(data):  # most documents: jsonschema is not even imported
        return []
    errors = _validator(kind).iter_errors(data)
    translated = (problem for error in errors for problem in _translate(error, source))
    if kind == "regiekaart" and _misspelt_extends(data):
        # The sections a base kaart would give are missing because of that one key: say only that.
        translated = (p for p in translated if not (p.code == "sleutel-ontbreekt" and p.path == ""))
    return capped(translated, lambda: source.problem("te-veel-problemen", (), {"grens": str(MAX_PROBLEMS)}))


def _misspelt_extends(data: Any) -> bool:
    """Whether a kaart without ``breidt_uit`` has a top-level key that looks like it."""
    if not isinstance(data, dict) or "breidt_uit" in data:
        return False
    return any(isinstance(key, str) and difflib.get_close_matches(key, ["breidt_uit"], cutoff=0.6) for key in data)


def _translate(error: jsonschema.ValidationError, source: Locator) -> Iterable[Problem]:
    path: Path = tuple(error.absolute_path)
    kind = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title", "")

    if "propertyNames" in error.absolute_schema_path:  # the error is about one key
        key = str(instance)
        if kind == "enum":  # a fact condition with a key that is not a comparison
            yield source.problem("voorwaarde-vorm", path, {"gevonden": key})
        else:
            yield source.problem(
                "patroon",
                (*path, key),
                {"waarde": key, "soort": Phrase("naam-feitnaam"), "uitleg": Phrase("patroon-id")},
                at_key=True,
            )
    elif kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in instance:
            if key == "vervalt" and "vervalt" not in allowed:
                yield source.problem("vervalt-zonder-basis", (*path, key), at_key=True)
            elif key not in allowed:
                yield source.problem(
                    "onbekende-sleutel",
                    (*path, key),
                    {"sleutel": key, "suggestie": closest(key, allowed), "toegestaan": ", ".join(allowed)},
                    at_key=True,
                )
    elif kind == "required":
        for key in value:
            if key not in instance:
                yield source.problem("sleutel-ontbreekt", path, {"sleutel": key})
    elif kind in ("minProperties", "maxProperties") and title in _FORM_CODES:
        yield _form_problem(_FORM_CODES[title], path, instance, schema, source)
    elif kind == "dependencies":
        dependent = next((key for key in value if key in instance and "feit" not in instance), "?")
        yield source.problem("vergelijking-zonder-feit", (*path, dependent), {"sleutel": dependent}, at_key=True)
    elif kind == "type":
        yield source.problem("verkeerd-type", path, _type_params(value, instance, source.text(path)))
    elif kind == "enum":
        options = [str(option) for option in value]
        yield source.problem(
            "niet-toegestane-waarde",
            path,
            {"waarde": str(instance), "suggestie": closest(str(instance), options), "toegestaan": ", ".join(options)},
        )
    elif kind == "const":
        if "type" not in schema or _validator("regiekaart").is_type(instance, schema["type"]):
            written = source.text(path) or shown(instance)
            yield source.problem("vaste-waarde", path, {"verwacht": shown(value), "waarde": written})
        # otherwise the type error at the same place says it all
    elif kind == "pattern":
        name, explanation = _PATTERN_PHRASES.get(value, ("naam-waarde", "patroon-waarde"))
        yield source.problem(
            "patroon", path, {"waarde": str(instance), "soort": Phrase(name), "uitleg": Phrase(explanation)}
        )
    elif kind == "minItems":
        yield source.problem("te-weinig-items", path, {"minimum": str(value)})
    elif kind == "uniqueItems":
        yield source.problem("dubbel-item", path)
    elif kind == "minimum":
        yield source.problem("te-klein", path, {"minimum": str(value), "waarde": str(instance)})
    elif kind == "maximum":
        yield source.problem("te-groot", path, {"maximum": str(value), "waarde": str(instance)})
    elif kind == "minLength":
        yield source.problem("tekst-leeg", path)
    elif kind == "maxLength":
        yield source.problem("tekst-te-lang", path, {"maximum": str(value)})
    elif kind == "not" and isinstance(instance, dict) and "waarden" in instance:  # 'waarden' on ja_nee or fase
        yield source.problem(
            "waarden-bij-soort",
            (*path, "waarden"),
            {"soort": str(instance.get("soort")), "regel": Phrase("waarden-verboden")},
            at_key=True,
        )
    elif kind == "not" and isinstance(instance, dict) and instance.get("soort") in t.PROPERTY_KEYS:
        needed = t.PROPERTY_KEYS[instance["soort"]]
        others = {key for keys in t.PROPERTY_KEYS.values() for key in keys} - set(needed)
        for key in sorted(others & set(instance)):
            yield source.problem(
                "eigenschap-sleutel-bij-soort",
                (*path, key),
                {
                    "sleutel": key,
                    "soort": instance["soort"],
                    "sleutels": Phrase("sleutels-van-soort", sleutels=", ".join(needed))
                    if needed
                    else Phrase("sleutels-geen"),
                },
                at_key=True,
            )
    else:  # pragma: no cover - every keyword the schema uses is handled above
        yield source.problem("schema-overig", path, {"detail": error.message})


def _form_problem(code: str, path: Path, instance: Any, schema: Schema, source: Locator) -> Problem:
    found = ", ".join(instance) if isinstance(instance, dict) and instance else "{}"
    allowed = ", ".join(schema.get("properties", {}))
    return source.problem(code, path, {"gevonden": found, "toegestaan": allowed})


def _type_params(expected: str | list[str], instance: Any, written: str | None) -> dict[str, Any]:
    names = [expected] if isinstance(expected, str) else expected
    phrases = [Phrase(_TYPE_PHRASES[name]) for name in names]
    params: dict[str, Any] = {"verwacht": tuple(phrases), "gevonden": type_phrase(instance), "hint": ""}
    if "string" in names and isinstance(instance, int | float) and not isinstance(instance, bool):
        # Quote what the author wrote: YAML has already turned 2025.10 into 2025.1.
        params["hint"] = Phrase("hint-aanhalingstekens", waarde=written or str(instance), als=type_phrase(instance))
    elif names == ["boolean"] and isinstance(instance, str) and instance.lower() in _TEXTUAL_BOOLEANS:
        params["hint"] = Phrase("hint-ja-nee")
    return params
