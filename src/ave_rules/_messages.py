"""The library's own messages, in Dutch (default) and English.

Every problem carries a stable ``code`` and its parameters; the text is rendered from this
catalogue when it is read, in the language in force at that moment. Integrators that want
their own wording can key on the code instead.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")


def _initial_language() -> Language:
    wanted = os.environ.get("AVE_RULES_LANG", "nl")
    return "en" if wanted == "en" else "nl"


_DEFAULT_LANGUAGE = _initial_language()
_language: ContextVar[Language] = ContextVar("ave_rules_language", default=_DEFAULT_LANGUAGE)


def set_language(language: Language) -> None:
    """Set the language of the library's messages (``"nl"`` or ``"en"``) for this context."""
    _language.set(_checked(language))


def get_language() -> Language:
    return _language.get()


@contextmanager
def language(language: Language) -> Iterator[None]:
    """Use ``language`` for messages inside a ``with`` block."""
    token = _language.set(_checked(language))
    try:
        yield
    finally:
        _language.reset(token)


def _checked(language: str) -> Language:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return language


# code -> (Dutch, English). Parameters are filled with str.format; every value is a str.
CATALOGUE: Mapping[str, tuple[str, str]] = {
    # --- reading the file -------------------------------------------------------------
    "bestand-onleesbaar": (
        "het bestand kan niet worden gelezen ({reden})",
        "the file cannot be read ({reden})",
    ),
    "bestand-te-groot": (
        "het bestand is groter dan {grens} bytes; een regiekaart is veel kleiner",
        "the file is larger than {grens} bytes; a regiekaart is much smaller",
    ),
    "bestand-leeg": (
        "het bestand is leeg; verwacht een regiekaart (een YAML-mapping met 'formaat', 'id', ...)",
        "the file is empty; expected a regiekaart (a YAML mapping with 'formaat', 'id', ...)",
    ),
    "geen-utf8": (
        "het bestand is geen geldige UTF-8-tekst (byte {byte}); sla het op als UTF-8",
        "the file is not valid UTF-8 text (byte {byte}); save it as UTF-8",
    ),
    "teken-niet-toegestaan": (
        "teken {teken} is niet toegestaan in een YAML-bestand; is dit een binair bestand?",
        "character {teken} is not allowed in a YAML file; is this a binary file?",
    ),
    "stuurteken": (
        "tekst bevat stuurteken {teken}, dat kan veranderen wat een scherm toont; "
        "een regiekaart bevat alleen gewone tekst (ook geen escape zoals \\e in een tekst tussen aanhalingstekens)",
        "text contains control character {teken}, which can change what a screen shows; "
        "a regiekaart holds plain text only (no escape such as \\e in a quoted text either)",
    ),
    "tab": (
        "een tab gevonden; gebruik spaties om in te springen",
        "found a tab; indent with spaces",
    ),
    "yaml-syntax": (
        "YAML-syntaxfout: {probleem}",
        "YAML syntax error: {probleem}",
    ),
    "dubbele-punt-in-tekst": (
        "een dubbele punt met een spatie erna (': ') in tekst zonder aanhalingstekens; "
        "zet de tekst tussen aanhalingstekens",
        "a colon followed by a space (': ') in text without quotes; put the text in quotes",
    ),
    "dubbele-punt-ontbreekt": (
        "verwacht 'sleutel: waarde' maar de dubbele punt ontbreekt, of de tekst loopt door op de volgende regel",
        "expected 'key: value' but the colon is missing, or the text runs on to the next line",
    ),
    "haakje-niet-gesloten": (
        "een lijst '[' of mapping '{{' is niet afgesloten, of een komma ontbreekt tussen de items",
        "a list '[' or mapping '{{' is not closed, or a comma is missing between items",
    ),
    "aanhalingsteken-niet-gesloten": (
        "een tekst tussen aanhalingstekens is niet afgesloten",
        "a quoted text is not closed",
    ),
    "json-syntax": (
        "geen geldige JSON: {probleem}",
        "not valid JSON: {probleem}",
    ),
    "aanhalingsteken-loopt-door": (
        'de tekst die hier met " begint, loopt door tot de volgende " op regel {regel}: '
        'sluit hem op dezelfde regel met "',
        'the text that starts here with " runs on to the next " on line {regel}: close it on the same line with "',
    ),
    "apostrof-loopt-door": (
        "de tekst die hier met een apostrof (') begint, leest YAML als tekst tussen aanhalingstekens "
        "tot de volgende ' op regel {regel}; begint de tekst echt met een apostrof, zet hem dan tussen "
        'dubbele aanhalingstekens: "\'s avonds ..."',
        "YAML reads the text that starts here with an apostrophe (') as quoted text, up to the next ' on "
        'line {regel}; if the text really starts with an apostrophe, put it in double quotes: "\'s avonds ..."',
    ),
    "apostrof-niet-gesloten": (
        "de tekst die hier met een apostrof (') begint, leest YAML als tekst tussen aanhalingstekens, "
        "en die wordt nergens gesloten; begint de tekst echt met een apostrof, zet hem dan tussen "
        'dubbele aanhalingstekens: "\'s avonds ..."',
        "YAML reads the text that starts here with an apostrophe (') as quoted text, which is never closed; "
        'if the text really starts with an apostrophe, put it in double quotes: "\'s avonds ..."',
    ),
    "inspringing": (
        "de inspringing klopt niet: items op hetzelfde niveau moeten precies even ver inspringen",
        "the indentation is wrong: items on the same level must be indented exactly as far",
    ),
    "meerdere-documenten": (
        "het bestand bevat meer dan één YAML-document ('---'); zet één regiekaart per bestand",
        "the file holds more than one YAML document ('---'); put one regiekaart in each file",
    ),
    "anker-alias": (
        "ankers en aliassen (&naam, *naam, <<) zijn niet toegestaan in een regiekaart; schrijf de waarde voluit",
        "anchors and aliases (&name, *name, <<) are not allowed in a regiekaart; write the value out in full",
    ),
    "tag": (
        "YAML-tag {tag} is niet toegestaan in een regiekaart; laat de tag weg",
        "YAML tag {tag} is not allowed in a regiekaart; remove the tag",
    ),
    "te-diep": (
        "de structuur is dieper genest dan {grens} lagen",
        "the structure is nested deeper than {grens} layers",
    ),
    "dubbele-sleutel": (
        "sleutel '{sleutel}' staat twee keer in deze mapping (eerder op regel {eerder}); "
        "YAML zou de eerste stilzwijgend weggooien",
        "key '{sleutel}' appears twice in this mapping (first on line {eerder}); YAML would silently drop the first",
    ),
    "sleutel-geen-tekst": (
        "sleutel {sleutel} is geen tekst; een sleutel is een naam, zoals 'id' of 'naam'",
        "key {sleutel} is not text; a key is a name, such as 'id' or 'naam'",
    ),
    "te-veel-onderdelen": (
        "het bestand heeft meer dan {grens} onderdelen (waarden, lijsten en mappings); een regiekaart is veel kleiner",
        "the file has more than {grens} parts (values, lists and mappings); a regiekaart is much smaller",
    ),
    "gereserveerd-teken": (
        "een waarde kan niet beginnen met '{teken}'; zet de tekst tussen aanhalingstekens",
        "a value cannot start with '{teken}'; put the text in quotes",
    ),
    "te-veel-problemen": (
        "meer dan {grens} problemen; alleen de eerste {grens} worden getoond",
        "more than {grens} problems; only the first {grens} are shown",
    ),
    "getal-te-groot": (
        "het getal heeft meer dan {grens} cijfers",
        "the number has more than {grens} digits",
    ),
    "geen-mapping": (
        "een regiekaart moet een mapping zijn (sleutel: waarde), maar dit is {gevonden}",
        "a regiekaart must be a mapping (key: value), but this is {gevonden}",
    ),
    # --- schema -------------------------------------------------------------------------
    "onbekende-sleutel": (
        "onbekende sleutel '{sleutel}'{suggestie}; toegestaan: {toegestaan}",
        "unknown key '{sleutel}'{suggestie}; allowed: {toegestaan}",
    ),
    "sleutel-ontbreekt": (
        "verplichte sleutel '{sleutel}' ontbreekt",
        "required key '{sleutel}' is missing",
    ),
    "verkeerd-type": (
        "verwacht {verwacht}, gevonden {gevonden}{hint}",
        "expected {verwacht}, found {gevonden}{hint}",
    ),
    "niet-toegestane-waarde": (
        "waarde '{waarde}' is niet toegestaan{suggestie}; kies uit: {toegestaan}",
        "value '{waarde}' is not allowed{suggestie}; choose from: {toegestaan}",
    ),
    "vaste-waarde": (
        "verwacht {verwacht}, gevonden '{waarde}'",
        "expected {verwacht}, found '{waarde}'",
    ),
    "patroon": (
        "'{waarde}' is geen geldige {soort}: {uitleg}",
        "'{waarde}' is not a valid {soort}: {uitleg}",
    ),
    "te-weinig-items": (
        "de lijst heeft te weinig items; minimaal {minimum}",
        "the list has too few items; at least {minimum}",
    ),
    "dubbel-item": (
        "de lijst bevat hetzelfde item twee keer",
        "the list holds the same item twice",
    ),
    "te-klein": (
        "verwacht een getal van minstens {minimum}, gevonden {waarde}",
        "expected a number of at least {minimum}, found {waarde}",
    ),
    "te-groot": (
        "verwacht een getal van hoogstens {maximum}, gevonden {waarde}",
        "expected a number of at most {maximum}, found {waarde}",
    ),
    "tekst-leeg": (
        "de tekst mag niet leeg zijn",
        "the text must not be empty",
    ),
    "tekst-te-lang": (
        "de tekst is langer dan {maximum} tekens",
        "the text is longer than {maximum} characters",
    ),
    "voorwaarde-vorm": (
        "een voorwaarde heeft precies één vorm: 'alle', 'een_van', 'niet', 'afgeleid', "
        "'niveau', 'overgang', of 'feit' met precies één vergelijking (bijvoorbeeld 'is' of "
        "'minstens'); gevonden: {gevonden}",
        "a condition has exactly one form: 'alle', 'een_van', 'niet', 'afgeleid', 'niveau', "
        "'overgang', or 'feit' with exactly one comparison (for example 'is' or 'minstens'); "
        "found: {gevonden}",
    ),
    "vergelijking-zonder-feit": (
        "vergelijking '{sleutel}' hoort bij een feit; voeg 'feit: <naam>' toe",
        "comparison '{sleutel}' belongs to a fact; add 'feit: <name>'",
    ),
    "niveauvergelijking-vorm": (
        "een niveauvergelijking heeft precies één vergelijking: {toegestaan}",
        "a level comparison has exactly one comparison: {toegestaan}",
    ),
    "dan-leeg": (
        "'dan' moet minstens één gevolg hebben: 'afleiden', 'niveau' of 'acties'",
        "'dan' needs at least one conclusion: 'afleiden', 'niveau' or 'acties'",
    ),
    "schema-overig": (
        "voldoet niet aan het schema ({detail})",
        "does not match the schema ({detail})",
    ),
    # --- meaning ------------------------------------------------------------------------
    "dubbele-id": (
        "{soort} '{id}' is al gedefinieerd op regel {eerder}; elke id moet uniek zijn",
        "{soort} '{id}' is already defined on line {eerder}; every id must be unique",
    ),
    "onbekende-verwijzing": (
        "{soort} '{id}' bestaat niet in deze kaart{suggestie}; wel: {bekend}",
        "{soort} '{id}' does not exist in this kaart{suggestie}; defined: {bekend}",
    ),
    "delen-met-zichzelf": (
        "'{partij}' deelt hier met zichzelf; 'van' en 'met' moeten verschillende partijen zijn",
        "'{partij}' shares with itself here; 'van' and 'met' must be different parties",
    ),
    "partij-dubbelzinnig": (
        "'{id}' is zowel een organisatie als een rol of vaste partij; geef de organisatie een andere id",
        "'{id}' is both an organisation and a role or fixed party; give the organisation another id",
    ),
    "extra-rol-is-ave-rol": (
        "'{id}' is al een van de vier AVE-rollen; een extra rol heeft een eigen id, zoals 'trajectbegeleiding'",
        "'{id}' is already one of the four AVE roles; an extra role has an id of its own, such as 'trajectbegeleiding'",
    ),
    "rol-leeg-op-niveau": (
        "op niveau {niveau} heeft niemand de rol {rol}; deel met een organisatie of een rol die hier een houder heeft",
        "on level {niveau} nobody holds the role {rol}; share with an organisation or a role that has a holder here",
    ),
    "overdracht-zonder-organisatie": (
        "actietype '{id}' is een overdracht, maar heeft geen organisatie als doel; zet 'doel: organisatie'"
        " of laat 'overdracht' weg",
        "action type '{id}' is a hand-over but has no organisation as its target; set 'doel: organisatie'"
        " or remove 'overdracht'",
    ),
    "afgeleid-als-feit": (
        "'{id}' is een afgeleid feit, geen feit; schrijf {{afgeleid: {id}}}",
        "'{id}' is a derived fact, not a fact; write {{afgeleid: {id}}}",
    ),
    "waarde-buiten-domein": (
        "waarde '{waarde}' hoort niet bij feit '{feit}'{suggestie}; mogelijk: {toegestaan}",
        "value '{waarde}' is not in the domain of fact '{feit}'{suggestie}; possible: {toegestaan}",
    ),
    "waarde-type-feit": (
        "feit '{feit}' is van soort '{soort}'; verwacht {verwacht}, gevonden {gevonden}{hint}",
        "fact '{feit}' is of kind '{soort}'; expected {verwacht}, found {gevonden}{hint}",
    ),
    "dubbele-waarde": (
        "waarde '{waarde}' staat twee keer in de lijst",
        "value '{waarde}' appears twice in the list",
    ),
    "waarden-bij-soort": (
        "een feit van soort '{soort}' {regel}",
        "a fact of kind '{soort}' {regel}",
    ),
    "eigenschap-sleutel-bij-soort": (
        "'{sleutel}' hoort niet bij een eigenschap van soort '{soort}'; {sleutels}",
        "'{sleutel}' does not belong to a property of kind '{soort}'; {sleutels}",
    ),
    "eigenschap-feit-soort": (
        "eigenschap '{id}': feit '{feit}' is van soort '{soort}' en kan niet 'erger worden'; monotoon gaat over"
        " feiten van soort ja_nee, ordinaal of verzameling",
        "property '{id}': fact '{feit}' is of kind '{soort}' and cannot 'get worse'; monotoon is about facts of"
        " kind ja_nee, ordinaal or verzameling",
    ),
    "eigenschap-niveau-voorwaarde": (
        "eigenschap '{id}': de voorwaarde van een ondergrens mag niet naar het niveau of de overgang kijken"
        " ('{sleutel}'); dat is wat de eigenschap controleert",
        "property '{id}': the condition of an ondergrens may not look at the level or the transition"
        " ('{sleutel}'); that is what the property checks",
    ),
    "vergelijking-past-niet": (
        "vergelijking '{vergelijking}' past niet bij feit '{feit}' van soort '{soort}'; mogelijk: {toegestaan}",
        "comparison '{vergelijking}' does not fit fact '{feit}' of kind '{soort}'; possible: {toegestaan}",
    ),
    "meerdere-fasefeiten": (
        "er mag maar één feit van soort 'fase' zijn; ook '{ander}' is een fasefeit",
        "there may be only one fact of kind 'fase'; '{ander}' is one too",
    ),
    "geen-fasefeit": (
        "'{sleutel}' verwijst naar de huidige fase, maar de kaart heeft geen feit van soort 'fase'",
        "'{sleutel}' refers to the current phase, but the kaart has no fact of kind 'fase'",
    ),
    "afsluiting-fase": (
        "niveau '{id}': een afsluiting ('afsluiting: afgesloten' of 'afsluiting: monitoring') heeft fase 0, en"
        " alleen een afsluiting heeft fase 0; een gewoon niveau heeft fase 1 tot en met 4",
        "level '{id}': a closing outcome ('afsluiting: afgesloten' or 'afsluiting: monitoring') has phase 0, and"
        " only a closing outcome has phase 0; an ordinary level has phase 1 to 4",
    ),
    "afsluiting-niet-onderaan": (
        "niveau '{id}' is een afsluiting, maar staat niet onderaan: zet het als eerste niveau, vóór '{laagste}';"
        " een kaart heeft hoogstens één afsluiting",
        "level '{id}' is a closing outcome but is not at the bottom: put it first, before '{laagste}';"
        " a kaart has at most one closing outcome",
    ),
    "fase-volgorde": (
        "niveau '{id}' heeft fase {fase}, lager dan fase {vorige} van het niveau ervoor; "
        "zet de niveaus van laag naar hoog",
        "level '{id}' has phase {fase}, lower than phase {vorige} of the level before it; "
        "order the levels from low to high",
    ),
    "niveau-regel-cyclus": (
        "een regel die naar het besliste niveau kijkt ('{sleutel}') kan alleen acties geven, "
        "geen niveau voorstellen of feiten afleiden; dat zou een kringredenering zijn",
        "a rule that looks at the decided level ('{sleutel}') can only emit actions, not "
        "propose a level or derive facts; that would be circular",
    ),
    "afgeleid-cyclus": (
        "afgeleide feiten hangen in een kring van elkaar af: {kring}",
        "derived facts depend on each other in a cycle: {kring}",
    ),
    "doel-past-niet": (
        "actie '{actie}' heeft als doel {verwacht}; {detail}",
        "action '{actie}' targets {verwacht}; {detail}",
    ),
    "bron-past-niet": (
        "actie '{actie}' {detail}",
        "action '{actie}' {detail}",
    ),
    "onbekende-plaatshouder": (
        "onbekende plaatshouder '{{{naam}}}' in de tekst; mogelijk: {toegestaan}",
        "unknown placeholder '{{{naam}}}' in the text; possible: {toegestaan}",
    ),
    "ongeldige-datum": (
        "'{waarde}' is geen bestaande datum; schrijf JJJJ-MM-DD",
        "'{waarde}' is not a real date; write YYYY-MM-DD",
    ),
    "geldigheid-omgekeerd": (
        "'geldig_tot' ({tot}) moet na 'geldig_vanaf' ({vanaf}) liggen",
        "'geldig_tot' ({tot}) must lie after 'geldig_vanaf' ({vanaf})",
    ),
    "vervalt-zonder-basis": (
        "'vervalt' kan alleen in een kaart die een andere kaart uitbreidt ('breidt_uit')",
        "'vervalt' can only be used in a kaart that extends another ('breidt_uit')",
    ),
    "vervalt-onbekend": (
        "{soort} '{id}' kan niet vervallen: de basiskaart '{basis}' kent het niet{suggestie}",
        "{soort} '{id}' cannot lapse: the base kaart '{basis}' does not have it{suggestie}",
    ),
    "vervalt-met-velden": (
        "een item met 'vervalt: true' heeft alleen 'id' nodig; laat '{sleutel}' weg",
        "an item with 'vervalt: true' needs only 'id'; remove '{sleutel}'",
    ),
    "basis-ontbreekt": (
        "basiskaart '{basis}' is niet gevonden{suggestie}; gezocht in: {gezocht}",
        "base kaart '{basis}' was not found{suggestie}; searched: {gezocht}",
    ),
    "basis-niet-geldig": (
        "basiskaart '{basis}' heeft geen versie die geldt op {datum}",
        "base kaart '{basis}' has no version valid on {datum}",
    ),
    "norm-onbekend": (
        "norm '{id}' is geen bestand en geen meegeleverde norm{suggestie}; meegeleverd: {bekend}",
        "norm '{id}' is no file and no bundled norm{suggestie}; bundled: {bekend}",
    ),
    "norm-niet-van-toepassing": (
        "deze norm geldt voor '{basis}' en de kaarten die daarop voortbouwen; kaart '{kaart}' doet dat niet"
        " (basiskaarten: {bases})",
        "this norm applies to '{basis}' and the kaarten that extend it; kaart '{kaart}' does not"
        " (base kaarten: {bases})",
    ),
    "norm-onbekende-verwijzing": (
        "{soort} '{id}' bestaat niet in kaart '{kaart}'{suggestie}; wel: {bekend}",
        "{soort} '{id}' does not exist in kaart '{kaart}'{suggestie}; defined: {bekend}",
    ),
    "kaart-onbekend": (
        "regiekaart '{id}' is niet gevonden{suggestie}; gezocht in: {gezocht}",
        "regiekaart '{id}' was not found{suggestie}; searched: {gezocht}",
    ),
    "geschiedenis-zaak-ongeldig": (
        "de zaakreferentie is geen eenvoudige code (letters, cijfers, '.', '_' of '-', hoogstens 64 tekens); "
        "gebruik nooit een naam, BSN of adres",
        "the case reference is no plain code (letters, digits, '.', '_' or '-', at most 64 characters); "
        "never use a name, BSN or address",
    ),
    "geschiedenis-andere-kaart": (
        "dit besluit hoort niet bij de geschiedenis: die is van kaart '{id}'",
        "this decision does not belong to the history: it is of kaart '{id}'",
    ),
    "geschiedenis-terug-in-tijd": (
        "de peildatum ligt vóór het laatste besluit in de geschiedenis ({laatste}); een geschiedenis gaat vooruit",
        "the peildatum is before the last decision in the history ({laatste}); a history only moves forward",
    ),
    "geschiedenis-gat": (
        "de huidige fase volgt uit de geschiedenis: het laatste besluit was niveau {niveau}; ontbreekt er een besluit?",
        "the current phase follows from the history: the last decision was level {niveau}; is a decision missing?",
    ),
    "geschiedenis-tijdfeit-opgegeven": (
        "{feit} is een tijdfeit: de geschiedenis berekent het, geef het niet zelf op",
        "{feit} is a time fact: the history computes it; do not give it",
    ),
    "geschiedenis-ongeldig": (
        "dit is geen geschiedenis zoals ave_rules haar schrijft ({soort}); zie schemas/history.schema.json",
        "this is not a history as ave_rules writes it ({soort}); see schemas/history.schema.json",
    ),
    "record-ongeldig": (
        "dit is geen beslisrecord zoals ave_rules het schrijft ({soort}); zie schemas/record.schema.json",
        "this is not a decision record as ave_rules writes it ({soort}); see schemas/record.schema.json",
    ),
    "record-gewijzigd": (
        "het record is veranderd nadat het is gemaakt: de hash klopt niet met de inhoud",
        "the record was changed after it was made: its hash does not match its content",
    ),
    "replay-bevestigd": (
        "bevestigd: dezelfde uitkomst met dezelfde kaart ({id} versie {versie})",
        "confirmed: the same outcome with the same kaart ({id} version {versie})",
    ),
    "replay-andere-versie": (
        "op de peildatum geldt nu een andere versie van de kaart: was {was}, nu {nu}",
        "another version of the kaart now holds on the peildatum: was {was}, now {nu}",
    ),
    "replay-kaart-veranderd": (
        "de kaart is veranderd onder dezelfde versie: inhoud was {was}, nu {nu}",
        "the kaart changed under the same version: content was {was}, now {nu}",
    ),
    "replay-anders": (
        "{deel} is anders: was {was}, nu {nu}",
        "{deel} differs: was {was}, now {nu}",
    ),
    "peildatum-geen-datum": (
        "verwacht als peildatum een datum (JJJJ-MM-DD), gevonden {soort}",
        "expected a date (YYYY-MM-DD) as the peildatum, found {soort}",
    ),
    "peildatum-buiten-bereik": (
        "de peildatum moet liggen van {van} tot en met {tot}",
        "the peildatum must lie from {van} up to and including {tot}",
    ),
    "kaart-niet-geldig": (
        "regiekaart '{id}' heeft geen versie die geldt op {datum}; versies: {versies}",
        "regiekaart '{id}' has no version valid on {datum}; versions: {versies}",
    ),
    "basis-kring": (
        "de kaarten breiden elkaar in een kring uit: {kring}",
        "the kaarten extend each other in a cycle: {kring}",
    ),
    "basis-te-diep": (
        "de keten van 'breidt_uit' is langer dan {grens} kaarten: {keten}",
        "the chain of 'breidt_uit' is longer than {grens} kaarten: {keten}",
    ),
    "versies-overlappen": (
        "kaart '{id}' heeft twee versies die tegelijk gelden ({andere}); "
        "laat 'geldig_tot' van de oudere eindigen waar de nieuwere begint",
        "kaart '{id}' has two versions valid at the same time ({andere}); "
        "end the older one's 'geldig_tot' where the newer one starts",
    ),
    "dubbele-versie": (
        "kaart '{id}' versie '{versie}' staat ook in {andere}",
        "kaart '{id}' version '{versie}' is also in {andere}",
    ),
    "geen-kaarten": (
        "de map bevat geen regiekaarten (*.yaml of *.yml)",
        "the directory holds no regiekaarten (*.yaml or *.yml)",
    ),
    "scenario-wijkt-af": (
        "scenario '{id}': {aspect} verwacht {verwacht}, maar de kaart geeft {uitkomst}",
        "scenario '{id}': {aspect} expected {verwacht}, but the kaart gives {uitkomst}",
    ),
    # --- checking a kaart over its whole fact space (ave-rules check) -----------------------
    "regel-vuurt-nooit": (
        "regel '{id}' is in geen enkele casus van toepassing; controleer de voorwaarde",
        "rule '{id}' applies to no case at all; check its condition",
    ),
    "regel-altijd-overstemd": (
        "regel '{id}' stelt niveau {niveau} voor, maar in elke casus waarin hij geldt, wint een hoger niveau",
        "rule '{id}' proposes level {niveau}, but in every case where it applies a higher level wins",
    ),
    "regel-overbodig": (
        "regel '{id}' verandert geen enkel besluit: wat hij afleidt of aan acties geeft, doen andere regels dan al",
        "rule '{id}' changes no decision: other rules already derive or emit what it does whenever it applies",
    ),
    "tijdfeit-waarden": (
        "een tijdfeit heeft één waarde meer dan grenzen; hier {waarden} waarden en {grenzen} grenzen",
        "a time fact has one value more than thresholds; here {waarden} values and {grenzen} thresholds",
    ),
    "tijdfeit-standaard": (
        "de standaard van een tijdfeit is zijn eerste waarde, '{eerste}': zonder geschiedenis is er nog "
        "geen tijd verstreken",
        "the default of a time fact is its first value, '{eerste}': without a history no time has passed yet",
    ),
    "tijdfeit-grenzen": (
        "grens {nummer} van het tijdfeit is niet langer dan de grens ervoor; zet de grenzen van kort naar lang",
        "threshold {nummer} of the time fact is not longer than the one before; order them from short to long",
    ),
    "niveau-zonder-evaluatiemoment": (
        "niveau {id} heeft geen evaluatiemoment, terwijl de kaart wel termijnen kent",
        "level {id} has no evaluatiemoment, although the kaart states termijnen",
    ),
    "niveau-onbereikbaar": (
        "geen enkele casus komt op niveau {id} uit",
        "no case ends up on level {id}",
    ),
    "casusregie-niet-een": (
        "niveau {id} heeft {aantal} houders van de casusregie; het moet er precies één zijn"
        " (1 gezin, 1 plan, 1 regisseur)",
        "level {id} has {aantal} holders of casusregie; there must be exactly one (1 household, 1 plan, 1 director)",
    ),
    "monitoring-zonder-houder": (
        "afsluiting {id} is monitoring, maar niemand heeft er een rol: wie houdt de vinger aan de pols?",
        "closing outcome {id} is monitoring, but nobody holds a role there: who keeps a finger on the pulse?",
    ),
    "rol-zonder-houder": (
        "niveau {id} heeft niemand voor de rol {rol}",
        "level {id} has nobody in the role {rol}",
    ),
    "niveau-acties-tegenstrijdig": (
        "regel '{regel}' geeft '{eerste}', maar in sommige casussen geeft regel '{andere}' in hetzelfde besluit"
        " '{tweede}': twee verschillende niveaus",
        "rule '{regel}' gives '{eerste}', but in some cases rule '{andere}' gives '{tweede}' in the same decision:"
        " two different levels",
    ),
    "eigenschap-geschonden": (
        "eigenschap '{id}' ({soort}) geldt niet: {detail}",
        "property '{id}' ({soort}) does not hold: {detail}",
    ),
    "delen-zonder-grondslag": (
        "op niveau {niveau} mag in stap '{stap}' gedeeld worden zonder grondslag; geef de deling of het niveau"
        " een 'grondslag'",
        "on level {niveau}, step '{stap}' shares without a ground; give the share or the level a 'grondslag'",
    ),
    "delen-zonder-taak": (
        "organisatie '{organisatie}' mag in stap '{stap}' gegevens krijgen, maar heeft in sommige besluiten op"
        " niveau {niveau} geen rol en geen actie (need-to-know: alleen wie iets te doen heeft)",
        "organisation '{organisatie}' may receive information in step '{stap}', but in some decisions on level"
        " {niveau} holds no role and no action (need-to-know: only those with something to do)",
    ),
    "overdracht-zonder-gegevens": (
        "actie '{actie}' draagt de casus over aan '{organisatie}', maar in sommige besluiten mag"
        " '{organisatie}' volgens de gegevensdeling niets ontvangen",
        "action '{actie}' hands the case over to '{organisatie}', but in some decisions the gegevensdeling"
        " lets '{organisatie}' receive nothing",
    ),
    "afschalen-verruimt": (
        "afschalen van niveau {van} naar {naar} verruimt de gegevensdeling: op {naar} mag '{categorie}' naar"
        " '{organisatie}', op {van} niet",
        "scaling down from level {van} to {naar} widens the gegevensdeling: on {naar} '{categorie}' may go to"
        " '{organisatie}', on {van} it may not",
    ),
    "betrokkene-niet-geinformeerd": (
        "op niveau {niveau} kan de betrokkene ongeïnformeerd blijven zonder uitzondering: {hoe}",
        "on level {niveau} the betrokkene may stay uninformed without an exception: {hoe}",
    ),
    "processtap-ongebruikt": (
        "geen enkel niveau deelt gegevens in processtap '{id}'",
        "no level shares information in process step '{id}'",
    ),
    "categorie-ongebruikt": (
        "geen enkel niveau deelt of verspreidt informatiecategorie '{id}'",
        "no level shares or circulates information category '{id}'",
    ),
    "grondslag-ongebruikt": (
        "geen enkele deling gebruikt grondslag '{id}'",
        "no share uses ground '{id}'",
    ),
    "norm-geschonden": (
        "norm '{norm}': eigenschap '{id}' ({soort}) geldt niet voor kaart '{kaart}' versie {versie}: {detail}",
        "norm '{norm}': property '{id}' ({soort}) does not hold for kaart '{kaart}' version {versie}: {detail}",
    ),
    "feit-ongebruikt": (
        "geen enkele regel kijkt naar feit '{id}'",
        "no rule looks at fact '{id}'",
    ),
    "afgeleid-feit-ongebruikt": (
        "geen enkele regel kijkt naar afgeleid feit '{id}'",
        "no rule looks at derived fact '{id}'",
    ),
    "organisatie-ongebruikt": (
        "organisatie '{id}' heeft geen rol op een niveau en is nergens het doel of de bron van een actie",
        "organisation '{id}' holds no role on any level and is no action's target or source",
    ),
    "extra-rol-ongebruikt": (
        "extra rol '{id}' heeft op geen enkel niveau een houder",
        "extra role '{id}' has no holder on any level",
    ),
    "actietype-ongebruikt": (
        "geen enkele regel geeft actie '{id}'",
        "no rule emits action '{id}'",
    ),
    "protocol-ongebruikt": (
        "protocol '{id}' hoort bij geen niveau en is nergens het doel van een actie",
        "protocol '{id}' belongs to no level and is no action's target",
    ),
    # --- case facts (never repeat the value given: it describes a household) ------------
    "feiten-geen-mapping": (
        "de feiten moeten een mapping zijn (feitnaam: waarde), maar dit is {gevonden}",
        "the facts must be a mapping (fact name: value), but this is {gevonden}",
    ),
    "feit-naam-ongeldig": (
        "de naam van feit nummer {plaats} is {gevonden} en geen geldige naam (kleine letters, cijfers en '_')",
        "the name of fact number {plaats} is {gevonden} and not a valid name (lower-case letters, digits and '_')",
    ),
    "feit-naam-vorm": (
        "de naam van feit nummer {plaats} is geen geldige naam: alleen kleine letters, cijfers en '_' "
        "(de naam wordt niet herhaald){suggestie}",
        "the name of fact number {plaats} is not a valid name: lower-case letters, digits and '_' only "
        "(the name is not repeated){suggestie}",
    ),
    "feit-onbekend": (
        "feit nummer {plaats} heeft een naam die deze kaart niet kent (de naam wordt niet herhaald)"
        "{suggestie}; bekende feiten: {bekend}",
        "fact number {plaats} has a name this kaart does not know (the name is not repeated)"
        "{suggestie}; known facts: {bekend}",
    ),
    "feit-type": (
        "verwacht {verwacht}, gevonden {gevonden}",
        "expected {verwacht}, found {gevonden}",
    ),
    "feit-waarde": (
        "deze waarde hoort niet bij het feit; mogelijk: {toegestaan}",
        "this value is not in the fact's domain; possible: {toegestaan}",
    ),
    "feit-fase": (
        "de huidige fase is 'geen' of een niveau van deze kaart: {toegestaan}",
        "the current phase is 'geen' or a level of this kaart: {toegestaan}",
    ),
    "feit-dubbel": (
        "deze waarde staat al eerder in de lijst",
        "this value is already in the list",
    ),
    "feiten-dubbele-sleutel": (
        "een feit staat twee keer in de feiten (eerder op regel {eerder}); de naam wordt niet herhaald",
        "a fact is in the facts twice (first on line {eerder}); the name is not repeated",
    ),
    "feiten-sleutel-geen-tekst": (
        "een sleutel in de feiten is geen tekst; een sleutel is de naam van een feit",
        "a key in the facts is not text; a key is the name of a fact",
    ),
    "feiten-te-veel-problemen": (
        "meer dan {grens} problemen met de feiten; alleen de eerste {grens} worden getoond",
        "more than {grens} problems with the facts; only the first {grens} are shown",
    ),
    # --- the engine (for developers; never about a case's values) -------------------------
    "engine-onbekend": (
        "onbekende engine {gevonden}; kies uit: {bekend}",
        "unknown engine {gevonden}; choose from: {bekend}",
    ),
    "engine-niet-beschikbaar": (
        "durable-rules is niet beschikbaar ({reden}); de referentie-evaluator beslist",
        "durable-rules is not available ({reden}); the reference evaluator decides",
    ),
    "engine-te-groot": (
        "durable-rules kan kaart '{id}' niet uitvoeren, de referentie-evaluator beslist haar casussen: {reden}",
        "durable-rules cannot run kaart '{id}', the reference evaluator decides its cases: {reden}",
    ),
    "engine-limiet-alternatieven": (
        "voor durable-rules wordt deze voorwaarde meer dan {grens} alternatieven over afgeleide feiten; "
        "schrijf minder 'een_van'-groepen van afgeleide feiten in één 'alle', bijvoorbeeld door zo'n groep "
        "zelf een afgeleid feit te maken",
        "for durable-rules this condition becomes more than {grens} alternatives over derived facts; "
        "write fewer 'een_van' groups of derived facts in one 'alle', for example by making such a group a "
        "derived fact of its own",
    ),
    "engine-limiet-afgeleid": (
        "voor durable-rules vraagt deze voorwaarde {aantal} afgeleide feiten tegelijk, en het houdt er "
        "hoogstens {grens} samen bij; maak van een deel van deze feiten één afgeleid feit",
        "for durable-rules this condition needs {aantal} derived facts at once, and it holds at most {grens} "
        "together; make one derived fact of part of them",
    ),
    "engine-limiet-samengesteld": (
        "voor durable-rules is deze voorwaarde te samengesteld: {aantal} keer 'alle' of 'een_van' in één "
        "test over de casus, en het kan er hoogstens {grens}; maak van een deel een afgeleid feit",
        "for durable-rules this condition is too compound: {aantal} 'alle' or 'een_van' in one test of the "
        "case, and it takes at most {grens}; make a derived fact of part of it",
    ),
    "engine-limiet-vertakt": (
        "voor durable-rules vertakken de voorwaarden van de regels hier in {aantal} richtingen vanaf één "
        "punt, en het kan er hoogstens {grens}; laat meer regels met dezelfde test beginnen, of gebruik "
        "een afgeleid feit voor wat veel regels gemeen hebben",
        "for durable-rules the rules' conditions branch in {aantal} ways from one point here, and it takes "
        "at most {grens}; let more rules start with the same test, or use a derived fact for what many "
        "rules share",
    ),
    "engine-limiet-gedeeld": (
        "voor durable-rules eindigen {aantal} regels bij dezelfde test, en het kan er hoogstens {grens}; "
        "voeg regels met dezelfde voorwaarde samen",
        "for durable-rules {aantal} rules end at the same test, and it takes at most {grens}; merge rules "
        "with the same condition",
    ),
    "engine-limiet-gelijktijdig": (
        "voor durable-rules kunnen bij één casus {aantal} tests tegelijk openstaan, en het kan er "
        "hoogstens {grens}; test minder waarden van een verzameling tegelijk, of maak van wat veel regels "
        "gemeen hebben een afgeleid feit",
        "for durable-rules one case can leave {aantal} tests open at once, and it takes at most {grens}; "
        "test fewer values of a set at once, or make a derived fact of what many rules share",
    ),
    "engine-bijna-limiet": (
        "durable-rules komt hier op {aantal} {wat}, van de {grens} die het kan; nog iets meer en "
        "durable-rules kan de kaart niet uitvoeren (dan beslist de referentie-evaluator)",
        "durable-rules comes to {aantal} {wat} here, of the {grens} it takes; a little more and "
        "durable-rules cannot run the kaart (the reference evaluator then decides)",
    ),
    "engine-limiet-regels": (
        "voor durable-rules wordt deze kaart {aantal} regels, meer dan {grens}; schrijf voorwaarden over "
        "afgeleide feiten eenvoudiger, of verdeel de kaart",
        "for durable-rules this kaart becomes {aantal} rules, more than {grens}; write conditions over "
        "derived facts more simply, or split the kaart",
    ),
    "engine-limiet-sleutels": (
        "deze kaart test {aantal} waarden van feiten, en durable-rules houdt er hoogstens {grens} bij in één "
        "feit; test minder waarden van verzamelingen, of verdeel de kaart",
        "this kaart tests {aantal} values of facts, and durable-rules holds at most {grens} in one fact; "
        "test fewer values of sets, or split the kaart",
    ),
    "engine-faalt": (
        "durable-rules faalde bij een casus van kaart '{id}' ({detail}); de referentie-evaluator beslist "
        "deze en de volgende casussen van die kaart",
        "durable-rules failed on a case of kaart '{id}' ({detail}); the reference evaluator decides "
        "this and the next cases of that kaart",
    ),
    "engine-fout": (
        "durable-rules faalde bij het beslissen ({detail}); er is geen besluit genomen",
        "durable-rules failed while deciding ({detail}); no decision was made",
    ),
    "engine-niet-gekoppeld": (
        "kaart '{id}' is niet geladen met ave_rules.load (of loads, load_dir, ...), dus niets beslist haar casussen",
        "kaart '{id}' was not loaded with ave_rules.load (or loads, load_dir, ...), so nothing decides its cases",
    ),
    # --- explaining a decision -----------------------------------------------------------
    "uitleg-afsluiting": (
        "Niveau {niveau}: {naam} ({afsluiting}, buiten de AVE-fasen, {kleur})",
        "Level {niveau}: {naam} ({afsluiting}, outside the AVE phases, {kleur})",
    ),
    "uitleg-niveau": (
        "Niveau {niveau}: {naam} (fase {fase}, {kleur})",
        "Level {niveau}: {naam} (phase {fase}, {kleur})",
    ),
    "uitleg-rollen": ("Rollen:", "Roles:"),
    "uitleg-acties": ("Te doen:", "To do:"),
    "uitleg-geen-acties": ("geen acties", "no actions"),
    "uitleg-uiterlijk": ("uiterlijk {datum}", "by {datum} at the latest"),
    "uitleg-peildatum": (
        "De termijnen tellen vanaf de peildatum {datum}, op de werkdagen van de kaart.",
        "The termijnen count from the peildatum {datum}, on the kaart's working days.",
    ),
    "uitleg-evaluatie": (
        "Volgend evaluatiemoment: uiterlijk {datum}",
        "Next evaluatiemoment: by {datum} at the latest",
    ),
    "uitleg-waarom": ("Waarom:", "Why:"),
    "uitleg-gegevensdeling": ("Gegevensdeling (wat gedeeld mag worden):", "Gegevensdeling (what may be shared):"),
    "uitleg-standaard": (
        "Niet opgegeven, standaardwaarde gebruikt: {feiten}",
        "Not given, the default was used: {feiten}",
    ),
    "uitleg-kaart": (
        "Kaart {id}, versie {versie}; besloten door: {engine}",
        "Kaart {id}, version {versie}; decided by: {engine}",
    ),
    # --- the kaart as people read it (render.py, wording.py) ------------------------------
    "weergave-en": ("en", "and"),
    "weergave-of": ("of", "or"),
    "weergave-ja": ("ja", "true"),
    "weergave-nee": ("nee", "false"),
    "weergave-vergelijking-is": ("{feit} is {waarde}", "{feit} is {waarde}"),
    "weergave-vergelijking-is-niet": ("{feit} is niet {waarde}", "{feit} is not {waarde}"),
    "weergave-vergelijking-is_een_van": ("{feit} is {waarde}", "{feit} is {waarde}"),
    "weergave-vergelijking-minstens": ("{feit} is minstens {waarde}", "{feit} is at least {waarde}"),
    "weergave-vergelijking-hoogstens": ("{feit} is hoogstens {waarde}", "{feit} is at most {waarde}"),
    "weergave-vergelijking-boven": ("{feit} is hoger dan {waarde}", "{feit} is higher than {waarde}"),
    "weergave-vergelijking-onder": ("{feit} is lager dan {waarde}", "{feit} is lower than {waarde}"),
    "weergave-vergelijking-bevat": ("{feit} bevat {waarde}", "{feit} contains {waarde}"),
    "weergave-vergelijking-bevat_een_van": (
        "{feit} bevat minstens één van {waarde}",
        "{feit} contains at least one of {waarde}",
    ),
    "weergave-vergelijking-bevat_alle": ("{feit} bevat {waarde}", "{feit} contains {waarde}"),
    "weergave-vergelijking-aantal_minstens": (
        "het aantal waarden in {feit} is minstens {aantal}",
        "the number of values in {feit} is at least {aantal}",
    ),
    "weergave-vergelijking-aantal_hoogstens": (
        "het aantal waarden in {feit} is hoogstens {aantal}",
        "the number of values in {feit} is at most {aantal}",
    ),
    "weergave-vergelijking-aantal_is": (
        "het aantal waarden in {feit} is precies {aantal}",
        "the number of values in {feit} is exactly {aantal}",
    ),
    "weergave-afgeleid": ("{afgeleid} geldt", "{afgeleid} holds"),
    "weergave-afgeleid-niet": ("{afgeleid} geldt niet", "{afgeleid} does not hold"),
    "weergave-niet": ("het is niet zo dat {voorwaarde}", "it is not the case that {voorwaarde}"),
    "weergave-niet-omschrijving": ("niet: {voorwaarde}", "not: {voorwaarde}"),
    "weergave-besliste-niveau": ("het besliste niveau", "the decided level"),
    "weergave-overgang-nieuw": ("de casus is nieuw (er is nog geen fase)", "the case is new (it has no phase yet)"),
    "weergave-overgang-opschalen": (
        "het besliste niveau is hoger dan de huidige fase (opschalen)",
        "the decided level is higher than the current phase (scaling up)",
    ),
    "weergave-overgang-afschalen": (
        "het besliste niveau is lager dan de huidige fase (afschalen)",
        "the decided level is lower than the current phase (scaling down)",
    ),
    "weergave-overgang-blijft": (
        "het besliste niveau is gelijk aan de huidige fase",
        "the decided level equals the current phase",
    ),
    "weergave-alle-gelden": ("Als al deze voorwaarden gelden:", "If all of these conditions hold:"),
    "weergave-een-geldt": (
        "Als minstens één van deze voorwaarden geldt:",
        "If at least one of these conditions holds:",
    ),
    "weergave-als": ("Als {voorwaarde}.", "If {voorwaarde}."),
    "weergave-kort-overgang-nieuw": ("de casus is nieuw", "the case is new"),
    "weergave-kort-overgang-opschalen": ("er wordt opgeschaald", "the case scales up"),
    "weergave-kort-overgang-afschalen": ("er wordt afgeschaald", "the case scales down"),
    "weergave-kort-overgang-blijft": ("het niveau blijft gelijk", "the level stays the same"),
    "weergave-aanleiding": ("Als {voorwaarde}:", "If {voorwaarde}:"),
    "weergave-wanneer-opschalen": ("Wanneer opschalen", "When to scale up"),
    "weergave-wanneer-afschalen": ("Wanneer afschalen", "When to scale down"),
    "weergave-acties-aanleiding": ("Acties en wanneer", "Actions and when"),
    "weergave-elk-niveau": ("Op elk niveau", "On every level"),
    "weergave-afschalen-woorden": (
        "Afschalen zodra geen voorwaarde voor dit niveau of een hoger niveau meer geldt; dan geldt het"
        " hoogste niveau waarvan een voorwaarde nog geldt.",
        "Scale down once no condition for this level or a higher one holds any more; then the highest level"
        " with a condition that still holds applies.",
    ),
    "weergave-voetnoten": ("Voetnoten", "Notes"),
    "weergave-herkomst-regel": (
        "Breidt {basis} uit. Wat hier geen voetnoot heeft, is ongewijzigd van {basis} geërfd.",
        "Extends {basis}. What has no note here is inherited from {basis} unchanged.",
    ),
    "weergave-naslag": (
        "De feiten, afgeleide feiten, organisaties, regels en eigenschappen staan in het naslagdocument"
        " (ave-rules render --reference).",
        "The facts, derived facts, organisations, rules and properties are in the reference document"
        " (ave-rules render --reference).",
    ),
    "weergave-naslag-titel": ("{naam}: naslag", "{naam}: reference"),
    "weergave-over-de-kaart": ("Over deze kaart", "About this kaart"),
    "weergave-kaart-id": ("Kaart-id", "Kaart id"),
    "weergave-versie": ("Versie", "Version"),
    "weergave-geldig-vanaf": ("Geldig vanaf", "Valid from"),
    "weergave-geldig-tot": ("Geldig tot", "Valid until"),
    "weergave-geen-einddatum": ("geen einddatum", "no end date"),
    "weergave-gemeenten": ("Gemeenten", "Municipalities"),
    "weergave-breidt-uit": ("Breidt uit", "Extends"),
    "weergave-niveaus": ("De niveaus", "The levels"),
    "weergave-niveaus-bijschrift": (
        "De niveaus van laag naar hoog, met per niveau de rolhouders, wanneer de casus op- en afschaalt, en de acties",
        "The levels from low to high, with per level the role holders, when the case scales up and down, and the"
        " actions",
    ),
    "weergave-onderdeel": ("Onderdeel", "Part"),
    "weergave-niveau": ("Niveau {niveau}: {naam}", "Level {niveau}: {naam}"),
    "weergave-fase-kleur": ("fase {fase}, {kleur}", "phase {fase}, {kleur}"),
    "weergave-afsluiting-kleur": (
        "{afsluiting}, buiten de fasen, {kleur}",
        "{afsluiting}, outside the phases, {kleur}",
    ),
    "weergave-uitgangssituatie": ("Uitgangssituatie", "Starting situation"),
    "weergave-rol-casusregie": ("Casusregie", "Case direction (casusregie)"),
    "weergave-rol-procesregie": ("Procesregie", "Process direction (procesregie)"),
    "weergave-rol-operationele_verantwoordelijkheid": (
        "Operationele verantwoordelijkheid",
        "Operational responsibility",
    ),
    "weergave-rol-bestuurlijke_verantwoordelijkheid": (
        "Bestuurlijke verantwoordelijkheid",
        "Administrative responsibility",
    ),
    "weergave-opschalen": ("Opschalen naar dit niveau", "Scaling up to this level"),
    "weergave-afschalen": ("Afschalen", "Scaling down"),
    "weergave-acties": ("Acties", "Actions"),
    "weergave-protocollen": ("Protocollen", "Protocols"),
    "weergave-evaluatiemoment": ("Evaluatiemoment", "Evaluatiemoment"),
    "weergave-termijn": ("binnen {aantal} {eenheid}", "within {aantal} {eenheid}"),
    "weergave-startniveau": (
        "Startniveau: geldt zolang geen regel een hoger niveau voorstelt.",
        "Starting level: applies as long as no rule proposes a higher level.",
    ),
    "weergave-geen-voorstel": ("Geen regel stelt dit niveau voor.", "No rule proposes this level."),
    "weergave-afschalen-zodra": (
        "Naar een lager niveau zodra geen van deze regels meer geldt: {regels}.",
        "To a lower level as soon as none of these rules holds any more: {regels}.",
    ),
    "weergave-afschalen-laagste": (
        "Niet mogelijk: dit is het laagste niveau.",
        "Not possible: this is the lowest level.",
    ),
    "weergave-niemand": ("niemand", "nobody"),
    "weergave-geen-acties": ("Geen acties op dit niveau.", "No actions on this level."),
    "weergave-geen": ("geen", "none"),
    "weergave-regel": ("regel {regel}", "rule {regel}"),
    "weergave-geerfd": ("geërfd van {basis}", "inherited from {basis}"),
    "weergave-aangepast": ("aangepast ten opzichte van {basis}", "changed from {basis}"),
    "weergave-aangepast-velden": ("aangepast: {velden}", "changed: {velden}"),
    "weergave-nieuw": ("nieuw", "new"),
    "weergave-vervallen": ("Vervallen uit {basis}", "Removed from {basis}"),
    "weergave-feiten": ("Feiten", "Facts"),
    "weergave-feiten-bijschrift": ("De feiten waarop de regels beslissen", "The facts the rules decide on"),
    "weergave-afgeleide-feiten": ("Afgeleide feiten", "Derived facts"),
    "weergave-afgeleide-feiten-bijschrift": (
        "Begrippen die de regels zelf afleiden, en wanneer ze gelden",
        "Notions the rules derive themselves, and when they hold",
    ),
    "weergave-organisaties": ("Organisaties", "Organisations"),
    "weergave-organisaties-bijschrift": ("De organisaties op de kaart", "The organisations on the kaart"),
    "weergave-regels": ("Regels", "Rules"),
    "weergave-regels-bijschrift": (
        "Alle regels in de volgorde van de kaart, met hun voorwaarde en gevolg",
        "All rules in the kaart's order, with their condition and consequence",
    ),
    "weergave-eigenschappen": ("Eigenschappen", "Properties"),
    "weergave-eigenschappen-bijschrift": (
        "Wat in elke casus moet gelden (ave-rules check controleert het)",
        "What must hold in every case (checked by ave-rules check)",
    ),
    "weergave-kolom-id": ("Id", "Id"),
    "weergave-kolom-soort": ("Soort", "Kind"),
    "weergave-kolom-waarden": ("Waarden", "Values"),
    "weergave-kolom-standaard": ("Standaard", "Default"),
    "weergave-kolom-omschrijving": ("Omschrijving", "Description"),
    "weergave-kolom-naam": ("Naam", "Name"),
    "weergave-kolom-herkomst": ("Herkomst", "Origin"),
    "weergave-kolom-als": ("Als", "If"),
    "weergave-kolom-dan": ("Dan", "Then"),
    "weergave-kolom-toelichting": ("Toelichting", "Explanation"),
    "weergave-kolom-geldt-als": ("Geldt als", "Holds when"),
    "weergave-nooit": ("nooit: geen regel leidt dit af", "never: no rule derives it"),
    "weergave-dan-niveau": ("stelt niveau {niveau} voor", "proposes level {niveau}"),
    "weergave-dan-afleiden": ("leidt af: {feiten}", "derives: {feiten}"),
    "weergave-dan-actie": ("actie: {actie}", "action: {actie}"),
    "weergave-doel-nieuw": ("het besliste niveau", "the decided level"),
    "weergave-doel-huidig": ("het huidige niveau", "the current level"),
    "weergave-doel-rol": ("de houders van {rol} op {niveau}", "the holders of {rol} on {niveau}"),
    "weergave-doel-rol-anders": (
        "de houders van {rol} op {niveau} (zonder houders: van {anders})",
        "the holders of {rol} on {niveau} (without holders: of {anders})",
    ),
    "weergave-eigenschap-ondergrens": (
        "{voorwaarde}, dan is het niveau minstens {niveau}",
        "{voorwaarde}, then the level is at least {niveau}",
    ),
    "weergave-eigenschap-rol": (
        "{voorwaarde}, dan draagt {organisatie} de {rol}",
        "{voorwaarde}, then {organisatie} holds the {rol}",
    ),
    "weergave-eigenschap-rol-alleen-als": (
        "{organisatie} draagt de {rol} alleen als {voorwaarde}",
        "{organisatie} holds the {rol} only if {voorwaarde}",
    ),
    "weergave-eigenschap-feiten": ("feiten: {feiten}", "facts: {feiten}"),
    "weergave-eigenschap-acties": ("acties: {acties}", "actions: {acties}"),
    "weergave-besluit": ("Besluit: niveau {niveau}, {naam}", "Decision: level {niveau}, {naam}"),
    "weergave-besluit-bijschrift": (
        "Wie welke rol heeft op het besliste niveau",
        "Who holds which role on the decided level",
    ),
    "weergave-rol": ("Rol", "Role"),
    "weergave-rollen": ("Rollen", "Roles"),
    "weergave-houders": ("Organisaties", "Organisations"),
    "weergave-te-doen": ("Te doen", "To do"),
    "weergave-actielijst-titel": (
        "Actielijst: {naam}, versie {versie}",
        "Action list (actielijst): {naam}, version {versie}",
    ),
    "weergave-actielijst-niveau": ("Niveau {niveau}: {naam}", "Level {niveau}: {naam}"),
    "weergave-actielijst-peildatum": (
        "Peildatum {datum}; de termijnen tellen vanaf deze dag.",
        "Peildatum {datum}; the termijnen count from this day.",
    ),
    "weergave-waarom": ("Waarom", "Why"),
    "weergave-afgeleid-geldt": ("Afgeleide feiten die gelden", "Derived facts that hold"),
    "weergave-standaard-gebruikt": (
        "Niet opgegeven, standaardwaarde gebruikt",
        "Not given, the default was used",
    ),
    "weergave-besloten-door": ("Besloten door", "Decided by"),
    "weergave-kaart": ("Regiekaart", "Regiekaart"),
    "weergave-peildatum": ("Peildatum", "Reference date"),
    "weergave-zaak": ("Zaak", "Case"),
    "weergave-stap": ("Stap", "Step"),
    "weergave-stap-nieuw": ("nieuwe casus, naar niveau {naar}", "new case, to level {naar}"),
    "weergave-stap-opschalen": (
        "opschalen van niveau {van} naar niveau {naar}",
        "scaling up from level {van} to level {naar}",
    ),
    "weergave-stap-afschalen": (
        "afschalen van niveau {van} naar niveau {naar}",
        "scaling down from level {van} to level {naar}",
    ),
    "weergave-stap-blijft": ("blijft op niveau {naar}", "stays on level {naar}"),
    "weergave-alternatief-geldt": ("geldt", "holds"),
    "weergave-alternatief-geldt-niet": ("geldt niet", "does not hold"),
    "weergave-andere-regels": (
        "Andere regels die golden, maar dit niveau niet bepaalden ({aantal})",
        "Other rules that held but did not decide this level ({aantal})",
    ),
    "weergave-startniveau-besluit": (
        "Geen regel stelt een niveau voor: de casus staat op het laagste niveau.",
        "No rule proposes a level: the case is on the lowest level.",
    ),
    "weergave-feiten-ingevoerd": ("De feiten zoals ingevoerd", "The facts as entered"),
    "weergave-ladder": ("De ladder", "The ladder"),
    "weergave-besloten-niveau": ("besloten niveau", "decided level"),
    # gegevensdeling, on the sheet and the decision page
    "weergave-gegevensdeling": ("Gegevensdeling", "Data sharing (gegevensdeling)"),
    "weergave-gegevensdeling-niet-vastgelegd": ("Niet vastgelegd op deze kaart.", "Not stated on this kaart."),
    "weergave-gegevensdeling-niet-niveau": (
        "Niveau {niveaus}: niet vastgelegd op deze kaart.",
        "Level {niveaus}: not stated on this kaart.",
    ),
    "weergave-gegevensdeling-niet-niveaus": (
        "Niveaus {niveaus}: niet vastgelegd op deze kaart.",
        "Levels {niveaus}: not stated on this kaart.",
    ),
    "weergave-verwerkingsverantwoordelijke": (
        "Verwerkingsverantwoordelijke",
        "Controller (verwerkingsverantwoordelijke)",
    ),
    "weergave-grondslag": ("Grondslag", "Ground (grondslag)"),
    "weergave-delen-met": ("{categorieen} met {met}", "{categorieen} with {met}"),
    "weergave-delen-van-met": ("{categorieen} van {van} met {met}", "{categorieen} from {van} with {met}"),
    "weergave-delen-grondslag": ("{delen}, grondslag: {grondslag}", "{delen}, ground: {grondslag}"),
    "weergave-grondslag-tenzij": ("{grondslag}, tenzij anders vermeld", "{grondslag}, unless stated otherwise"),
    "weergave-partij-inbrenger": ("de inbrenger", "the partner that brought the case in (inbrenger)"),
    "weergave-partij-deelnemers": ("de deelnemers", "the participants (deelnemers)"),
    "weergave-partij-rol-lager": ("{rol} op het lagere niveau", "{rol} on the lower level"),
    "weergave-betrokkene-informeren": ("Betrokkene informeren", "Informing the betrokkene"),
    "weergave-informeren-voor_aanmelding": ("vóór de aanmelding", "before the aanmelding"),
    "weergave-informeren-na_triage": ("na de triage", "after the triage"),
    "weergave-informeren-tenzij": ("{moment}, tenzij {uitzonderingen}", "{moment}, unless {uitzonderingen}"),
    "weergave-verspreiden": ("Rond na het overleg", "Circulated after the overleg"),
    "weergave-gegevensdeling-geen-besluit": (
        "Deze kaart legt voor niveau {niveau} geen gegevensdeling vast.",
        "This kaart states no gegevensdeling for level {niveau}.",
    ),
    "weergave-gegevensdeling-niveau": ("Niveau {niveau}", "Level {niveau}"),
    "weergave-gegevensdeling-geen-stap": (
        "Geen processtap van niveau {niveau} is in dit besluit van toepassing: er mag niets gedeeld worden.",
        "No process step of level {niveau} applies in this decision: nothing may be shared.",
    ),
    "weergave-gegevensdeling-verlaten": (
        "Afschaling van niveau {niveau}, het niveau dat de casus verlaat",
        "Scaling down from level {niveau}, the level the case leaves",
    ),
    "weergave-mag-ontvangen": (
        "Bij de overdracht in actie {nummer} mag {doel} ontvangen: {categorieen}.",
        "With the hand-over in action {nummer}, {doel} may receive: {categorieen}.",
    ),
    "weergave-mag-niets-ontvangen": (
        "Bij de overdracht in actie {nummer} mag {doel} volgens deze gegevensdeling niets ontvangen.",
        "With the hand-over in action {nummer}, {doel} may receive nothing under this gegevensdeling.",
    ),
    # --- the service ----------------------------------------------------------------------
    "dienst-titel-400": ("Het verzoek is niet te gebruiken", "The request cannot be used"),
    "dienst-titel-404": ("Niet gevonden", "Not found"),
    "dienst-titel-405": ("Deze methode kan hier niet", "Method not allowed here"),
    "dienst-titel-413": ("Het verzoek is te groot", "The request is too large"),
    "dienst-titel-500": ("Interne fout", "Internal error"),
    "dienst-te-groot": (
        "het verzoek is groter dan {grens} bytes; een regiekaart is hoogstens 1 MiB",
        "the request is larger than {grens} bytes; a regiekaart is at most 1 MiB",
    ),
    "dienst-feiten": (
        "de feiten passen niet bij de kaart (problemen: {aantal}, in 'problemen'); geen waarde wordt herhaald",
        "the facts do not fit the kaart (problems: {aantal}, in 'problemen'); no value is repeated",
    ),
    "dienst-verzoek-ongeldig": (
        "het verzoek klopt niet met de beschrijving van de dienst (problemen: {aantal}, in 'problemen')",
        "the request does not match the service's description (problems: {aantal}, in 'problemen')",
    ),
    "dienst-verzoek-plek": (
        "hier klopt het verzoek niet ({soort}); zie de OpenAPI-beschrijving op /v1/openapi.json",
        "the request is wrong here ({soort}); see the OpenAPI description at /v1/openapi.json",
    ),
    "dienst-verzoek-ontbreekt": ("hier ontbreekt iets dat verplicht is", "something required is missing here"),
    "dienst-verzoek-onbekend-veld": (
        "hier staat een veld dat de dienst niet kent (de naam wordt niet herhaald); zie /v1/openapi.json",
        "there is a field here the service does not know (its name is not repeated); see /v1/openapi.json",
    ),
    "dienst-verzoek-json": ("de body is geen geldige JSON", "the body is not valid JSON"),
    "dienst-verzoek-object": ("hier hoort een JSON-object", "a JSON object is expected here"),
    "dienst-verzoek-tekst": ("hier hoort tekst (een JSON-string)", "text (a JSON string) is expected here"),
    "dienst-verzoek-datum": ("hier hoort een datum, als JJJJ-MM-DD", "a date is expected here, as YYYY-MM-DD"),
    "dienst-verzoek-keuze": ("hier hoort een van: {verwacht}", "one of these is expected here: {verwacht}"),
    "dienst-verzoek-patroon": ("dit past niet bij het patroon {patroon}", "this does not match the pattern {patroon}"),
    "dienst-verzoek-te-lang": ("dit is langer dan {grens} tekens", "this is longer than {grens} characters"),
    "dienst-niet-gevonden": (
        "deze dienst heeft hier niets; zie /v1/openapi.json voor wat er is",
        "this service has nothing here; see /v1/openapi.json for what there is",
    ),
    "dienst-methode": (
        "deze methode kan niet op deze plek; zie /v1/openapi.json",
        "this method is not allowed here; see /v1/openapi.json",
    ),
    "dienst-intern": (
        "er ging iets mis in de dienst; het is gelogd, zonder wat het verzoek bevatte",
        "something went wrong in the service; it was logged, without what the request held",
    ),
    # --- the command line ---------------------------------------------------------------
    "cli-dienst-niet-geinstalleerd": (
        'ave-rules serve heeft de dienst nodig: python -m pip install "ave-rules[service]"',
        'ave-rules serve needs the service: python -m pip install "ave-rules[service]"',
    ),
    "cli-dienst-geen-map": ("'{map}' is geen map met regiekaarten", "'{map}' is not a directory of regiekaarten"),
    "cli-geschiedenis-zaak": (
        "dit bestand bestaat nog niet: geef voor een nieuwe geschiedenis ook --case met een zaakreferentie",
        "this file does not exist yet: for a new history, also give --case with a case reference",
    ),
    "cli-geen-datum": (
        "verwacht een datum als JJJJ-MM-DD, niet '{waarde}'",
        "expected a date as YYYY-MM-DD, not '{waarde}'",
    ),
    "cli-geen-positief-getal": (
        "verwacht een geheel getal van 1 of meer, niet '{waarde}'",
        "expected a whole number of 1 or more, not '{waarde}'",
    ),
    "cli-onderbroken": (
        "ave-rules: onderbroken",
        "ave-rules: interrupted",
    ),
    "cli-geldig": ("{bestand}: geldig ({id} versie {versie})", "{bestand}: valid ({id} version {versie})"),
    "cli-scenarios-kloppen": (
        "{bestand}: {aantal} scenario's kloppen ({id} versie {versie})",
        "{bestand}: {aantal} scenarios hold ({id} version {versie})",
    ),
    "cli-problemen": ("problemen gevonden: {aantal}", "problems found: {aantal}"),
    "cli-voorbeeld": (
        "voorbeeld (feiten die afwijken van de standaard): {feiten}",
        "example (facts that differ from the defaults): {feiten}",
    ),
    "cli-check-samenvatting": (
        "{id} versie {versie}: fouten: {fouten}, waarschuwingen: {waarschuwingen}",
        "{id} version {versie}: errors: {fouten}, warnings: {waarschuwingen}",
    ),
    "cli-ernst-fout": ("fout", "error"),
    "cli-ernst-waarschuwing": ("waarschuwing", "warning"),
    # --- a new kaart (ave-rules new, ave_rules.scaffold) -----------------------------------
    "cli-nieuw-gemeente-geen-letter": (
        "geef de naam van de gemeente op, met minstens één letter",
        "give the name of the gemeente, with at least one letter",
    ),
    "cli-nieuw-gemeente-te-lang": (
        "de naam van de gemeente is {lengte} tekens lang; het mogen er hoogstens {grens} zijn",
        "the name of the gemeente is {lengte} characters long; at most {grens} are allowed",
    ),
    "cli-nieuw-gemeente-teken": (
        "de naam van de gemeente bevat teken {teken}; gebruik alleen letters, cijfers, spaties en leestekens",
        "the name of the gemeente contains character {teken}; use only letters, digits, spaces and punctuation",
    ),
    "cli-nieuw-gemeente-spatie": (
        "de naam van de gemeente begint of eindigt met een spatie; laat die weg",
        "the name of the gemeente starts or ends with a space; remove it",
    ),
    "cli-nieuw-geen-id": (
        "uit de naam '{gemeente}' volgt geen kaart-id (daarvoor zijn de letters a-z of cijfers nodig); "
        "geef zelf een id op (--id)",
        "no kaart id follows from the name '{gemeente}' (that needs the letters a-z or digits); "
        "give an id yourself (--id)",
    ),
    "cli-nieuw-id-ongeldig": (
        "het kaart-id {id} is ongeldig; verwacht: {verwacht}",
        "the kaart id {id} is not valid; expected: {verwacht}",
    ),
    "cli-nieuw-id-is-basis": (
        "het kaart-id '{id}' is al het id van de basiskaart {basis} of een kaart waarop die voortbouwt; "
        "kies een ander id (--id)",
        "the kaart id '{id}' is already the id of the base kaart {basis} or of a kaart it extends; "
        "choose another id (--id)",
    ),
    "cli-nieuw-basis-onbekend": (
        "basiskaart {basis} niet gevonden{suggestie}; gezocht in: {gezocht}",
        "base kaart {basis} not found{suggestie}; searched: {gezocht}",
    ),
    "cli-nieuw-basis-niet-geldig": (
        "basiskaart '{basis}' heeft geen versie die geldt op {datum}",
        "base kaart '{basis}' has no version valid on {datum}",
    ),
    # --- comparing kaarten, and real cases (diff, simulate) -----------------------------
    "diff-feit-verschilt": (
        "deze kaarten zijn niet te vergelijken: feit {feiten} is in de ene kaart van een andere soort of"
        " heeft andere waarden dan in de andere; geef een feit dat van betekenis verandert een nieuwe id",
        "these kaarten cannot be compared: fact {feiten} has another kind or other values in one kaart than"
        " in the other; give a fact whose meaning changes a new id",
    ),
    "cli-diff-kop": (
        "{oud} → {nieuw}: alle {aantal} mogelijke casussen vergeleken",
        "{oud} → {nieuw}: all {aantal} possible cases compared",
    ),
    "cli-diff-gelijk": (
        "geen verschil: elke casus krijgt hetzelfde niveau, dezelfde rollen en dezelfde acties",
        "no difference: every case gets the same level, the same roles and the same actions",
    ),
    "cli-diff-niveaus": ("Casussen die van niveau veranderen:", "Cases that change level:"),
    "cli-diff-rollen": ("Casussen waarin een rol van houder verandert:", "Cases in which a role changes hands:"),
    "cli-diff-acties": ("Casussen waarin een actie verandert:", "Cases in which an action changes:"),
    "cli-diff-niveau": ("niveau {van} → {naar}: {aandeel}", "level {van} → {naar}: {aandeel}"),
    "cli-diff-rol": (
        "{rol} (niveau {niveau}): {oud} → {nieuw}: {aandeel}",
        "{rol} (level {niveau}): {oud} → {nieuw}: {aandeel}",
    ),
    "cli-diff-actie-erbij": ("erbij: {actie}: {aandeel}", "added: {actie}: {aandeel}"),
    "cli-diff-actie-eraf": ("vervalt: {actie}: {aandeel}", "dropped: {actie}: {aandeel}"),
    "cli-diff-aandeel": ("{procent} van alle casussen", "{procent} of all cases"),
    "cli-diff-patroon": ("{patroon}: {aandeel}", "{patroon}: {aandeel}"),
    "cli-diff-alle": ("alle casussen", "all cases"),
    "cli-diff-rest": ("en andere casussen: {aandeel}", "and other cases: {aandeel}"),
    "cli-diff-echt": (
        "Echte casussen: {bewogen} van de {aantal} veranderen van niveau",
        "Real cases: {bewogen} of the {aantal} change level",
    ),
    "cli-diff-echt-stap": ("niveau {van} → {naar}: {aantal}", "level {van} → {naar}: {aantal}"),
    "simulatie-beslisser-onbekend": (
        "onbekende beslisser {gevonden}; kies uit: {bekend}",
        "unknown decider {gevonden}; choose from: {bekend}",
    ),
    "simulatie-bdd-te-groot": (
        "de beslisdiagrammen van deze kaart zijn te groot ({knopen} knopen, grens {grens})",
        "this kaart's decision diagrams are too large ({knopen} nodes, limit {grens})",
    ),
    "simulatie-bdd-te-diep": (
        "de beslisdiagrammen van deze kaart zijn te diep genest om te bouwen",
        "this kaart's decision diagrams are nested too deeply to build",
    ),
    "simulatie-kruiscontrole": (
        "kaart {id} {versie}: de beslisser {beslisser} en de engine {engine} beslissen {aantal} van de"
        " {getoetst} nagerekende casussen anders (eerste: niveau {niveau}, de engine {verwacht}); dit is een"
        " fout in ave_rules, meld die; met --beslisser engine beslist de engine alles",
        "kaart {id} {versie}: the decider {beslisser} and the engine {engine} decide {aantal} of the"
        " {getoetst} cross-checked cases differently (first: level {niveau}, the engine {verwacht}); this is a"
        " fault in ave_rules, please report it; with --beslisser engine the engine decides everything",
    ),
    "cli-simulatie-bdd": (
        "{verschillend} verschillende casussen, elk één keer beslist met de beslisdiagrammen van de kaart;"
        " {getoetst} daarvan nagerekend met {engine}: gelijk",
        "{verschillend} distinct cases, each decided once with the kaart's decision diagrams;"
        " {getoetst} of them cross-checked with {engine}: equal",
    ),
    "cli-simulatie-engine": (
        "{verschillend} verschillende casussen, elk één keer beslist met {engine}",
        "{verschillend} distinct cases, each decided once with {engine}",
    ),
    "cli-simulatie-terugval": (
        "niet met de beslisdiagrammen beslist: {reden}",
        "not decided with the decision diagrams: {reden}",
    ),
    "cli-voortgang-lezen": (
        "{regels} regels gelezen, {verschillend} verschillende casussen ({snelheid} regels/s)",
        "{regels} rows read, {verschillend} distinct cases ({snelheid} rows/s)",
    ),
    "cli-voortgang-beslissen": (
        "{klaar} van {verschillend} verschillende casussen beslist ({snelheid}/s)",
        "{klaar} of {verschillend} distinct cases decided ({snelheid}/s)",
    ),
    "cli-simulatie-kop": ("{kaart}: {aantal} casussen", "{kaart}: {aantal} cases"),
    "cli-simulatie-niveau": ("niveau", "level"),
    "cli-simulatie-organisatie": ("organisatie", "organisation"),
    "cli-simulatie-casussen": ("casussen", "cases"),
    "cli-simulatie-oud": ("oud", "old"),
    "cli-simulatie-nieuw": ("nieuw", "new"),
    "cli-kaart-geschreven": (
        "nieuwe kaart geschreven: {bestand}; controleer haar na elke wijziging met: ave-rules validate {bestand}",
        "new kaart written: {bestand}; check it after every change with: ave-rules validate {bestand}",
    ),
    "cli-schema-ontbreekt": (
        "let op: de eerste regel wijst uw editor naar {pad}, maar dat schema is er (nog) niet; "
        "zonder schema vult de editor niets aan en onderstreept hij niets. Maak het met: "
        "ave-rules schema > {plek}",
        "note: the first line points your editor to {pad}, but that schema is not there (yet); without "
        "it the editor completes nothing and underlines nothing. Make it with: ave-rules schema > {plek}",
    ),
    "cli-bestand-bestaat": (
        "{bestand} bestaat al; kies een andere naam of verwijder het eerst",
        "{bestand} exists already; choose another name or remove it first",
    ),
    "cli-bestand-schrijven": (
        "{bestand} kan niet worden geschreven ({reden})",
        "{bestand} cannot be written ({reden})",
    ),
    # --- case files (simulate, diff --cases) ----------------------------------------------
    "cli-casussen-soort": (
        "een casusbestand is .csv of .jsonl, niet '{soort}'",
        "a case file is .csv or .jsonl, not '{soort}'",
    ),
    "cli-casussen-regel-te-lang": (
        "deze regel is langer dan {grens} bytes; een casus past op veel minder",
        "this line is longer than {grens} bytes; a case takes far less",
    ),
    "cli-casussen-te-veel": (
        "het casusbestand heeft meer dan {grens} verschillende casussen; splits het",
        "the case file has more than {grens} distinct cases; split it",
    ),
    "cli-casussen-geen-kop": (
        "de eerste regel is de kop: de ids van de feiten, gescheiden door komma's of puntkomma's",
        "the first line is the header: the ids of the facts, separated by commas or semicolons",
    ),
    "cli-casussen-dubbele-kolom": (
        "deze kolom heeft dezelfde kop als kolom {eerder}",
        "this column has the same header as column {eerder}",
    ),
    "cli-casussen-onbekende-kolom": (
        "de kop van deze kolom is geen feit van de kaart (de kop wordt niet herhaald){suggestie}",
        "the header of this column is not a fact of the kaart (the header is not repeated){suggestie}",
    ),
    "cli-casussen-aantal-cellen": (
        "deze regel heeft {aantal} cellen, de kop {verwacht}",
        "this line has {aantal} cells, the header {verwacht}",
    ),
    "cli-casussen-csv": ("geen geldige CSV ({reden})", "not valid CSV ({reden})"),
    "cli-casussen-ja-nee": (
        "'{feit}' is een ja/nee-feit: schrijf ja of nee (of true of false), of laat de cel leeg",
        "'{feit}' is a yes/no fact: write ja or nee (or true or false), or leave the cell empty",
    ),
    "cli-casussen-json": ("geen geldige JSON ({reden})", "not valid JSON ({reden})"),
    "cli-casussen-geen-object": (
        "elke regel is één JSON-object met de feiten van één casus",
        "every line is one JSON object with the facts of one case",
    ),
    "cli-casussen-dubbele-sleutel": (
        "een feit staat meer dan eens in deze casus (de naam wordt niet herhaald)",
        "a fact is in this case more than once (the name is not repeated)",
    ),
}

# Phrases used inside messages: type names, hints, suggestions.
PHRASES: Mapping[str, tuple[str, str]] = {
    "grens-regels": ("regels", "rules"),
    "grens-afgeleid": ("afgeleide feiten in één voorwaarde", "derived facts in one condition"),
    "grens-samengesteld": ("keer 'alle' of 'een_van' in één test", "'alle' or 'een_van' in one test"),
    "grens-vertakt": ("vertakkingen vanaf één punt", "branches from one point"),
    "grens-gedeeld": ("regels die bij dezelfde test eindigen", "rules that end at the same test"),
    "grens-gelijktijdig": ("tests die bij één casus tegelijk openstaan", "tests open at once for one case"),
    "grens-sleutels": ("geteste waarden van feiten", "tested values of facts"),
    "sleutels-van-soort": (
        "die heeft naast id, toelichting en soort: {sleutels}",
        "besides id, toelichting and soort it has: {sleutels}",
    ),
    "sleutels-geen": (
        "die heeft alleen id, toelichting en soort",
        "it has only id, toelichting and soort",
    ),
    "detail-monotoon": (
        "als '{feit}' erger wordt ({van} → {naar}), daalt het niveau van {voor} naar {na}",
        "when '{feit}' gets worse ({van} → {naar}), the level drops from {voor} to {na}",
    ),
    "detail-onafhankelijk": (
        "als alleen '{feit}' verandert ({van} → {naar}), verandert het niveau van {voor} naar {na}",
        "when only '{feit}' changes ({van} → {naar}), the level changes from {voor} to {na}",
    ),
    "detail-ondergrens": (
        "in sommige casussen waarin de voorwaarde geldt, is het niveau lager dan {grens}",
        "in some cases where the condition holds, the level is below {grens}",
    ),
    "detail-uitsluiting": (
        "in sommige casussen staan '{eerste}' en '{tweede}' in hetzelfde besluit",
        "in some cases '{eerste}' and '{tweede}' are in the same decision",
    ),
    "detail-rol": (
        "in sommige casussen waarin de voorwaarde geldt, draagt '{organisatie}' niet de {rol}: het niveau is"
        " {niveau}, met als {rol}: {houders}",
        "in some cases where the condition holds, '{organisatie}' does not hold the {rol}: the level is"
        " {niveau}, where the {rol} is: {houders}",
    ),
    "detail-rol-alleen-als": (
        "in sommige casussen waarin de voorwaarde niet geldt, draagt '{organisatie}' toch de {rol}, op niveau {niveau}",
        "in some cases where the condition does not hold, '{organisatie}' still holds the {rol}, on level {niveau}",
    ),
    "detail-volledig": (
        "in sommige casussen stelt geen enkele regel een niveau voor",
        "in some cases no rule proposes a level",
    ),
    "suggestie": (" (bedoelt u '{kandidaat}'?)", " (did you mean '{kandidaat}'?)"),
    "type-tekst": ("tekst", "text"),
    "json-naam": (
        'hier wordt een naam tussen dubbele aanhalingstekens verwacht ("naam"); na het laatste item staat geen komma',
        'a name in double quotes ("name") is expected here; there is no comma after the last item',
    ),
    "json-waarde": (
        "hier wordt een waarde verwacht: tekst tussen dubbele aanhalingstekens, true, false, een getal, "
        "een lijst [...] of {{...}}; na het laatste item staat geen komma",
        "a value is expected here: text in double quotes, true, false, a number, a list [...] or {{...}}; "
        "there is no comma after the last item",
    ),
    "json-komma": (
        "hier ontbreekt een komma tussen twee items",
        "a comma between two items is missing here",
    ),
    "json-dubbele-punt": (
        "hier ontbreekt de dubbele punt tussen een naam en zijn waarde",
        "the colon between a name and its value is missing here",
    ),
    "json-tekst-open": (
        'een tekst die hier begint, wordt niet gesloten met "',
        'a text that starts here is not closed with "',
    ),
    "json-stuurteken": (
        "een tekst bevat een regeleinde of tab; schrijf \\n of \\t",
        "a text contains a line break or tab; write \\n or \\t",
    ),
    "json-meer": (
        "na het einde van de JSON staat nog tekst",
        "there is more text after the end of the JSON",
    ),
    "json-fout": (
        "de tekst volgt de regels van JSON niet",
        "the text does not follow the rules of JSON",
    ),
    "type-getal": ("een geheel getal", "a whole number"),
    "type-kommagetal": ("een kommagetal", "a decimal number"),
    "type-ja-nee": ("true of false", "true or false"),
    "type-lijst": ("een lijst", "a list"),
    "type-mapping": ("een mapping (sleutel: waarde)", "a mapping (key: value)"),
    "type-leeg": ("niets (leeg)", "nothing (empty)"),
    "type-onbekend": ("een ander soort waarde", "another kind of value"),
    "hint-aanhalingstekens": (
        "; zet '{waarde}' tussen aanhalingstekens, anders leest YAML het als {als}",
        "; put '{waarde}' in quotes, otherwise YAML reads it as {als}",
    ),
    "hint-ja-nee": (
        "; schrijf true of false (YAML 1.2: 'ja', 'nee', 'yes', 'no', 'on', 'off' zijn tekst)",
        "; write true or false (YAML 1.2: 'ja', 'nee', 'yes', 'no', 'on', 'off' are text)",
    ),
    "waarden-verplicht": ("heeft 'waarden' nodig", "needs 'waarden'"),
    "waarden-verboden": (
        "heeft geen 'waarden' (die liggen vast); laat 'waarden' weg",
        "has no 'waarden' (they are fixed); remove 'waarden'",
    ),
    "waarden-ordinaal-twee": (
        "heeft minstens twee 'waarden' nodig (van laag naar hoog)",
        "needs at least two 'waarden' (from low to high)",
    ),
    "doel-ontbreekt": ("geef 'doel' op", "give a 'doel'"),
    "doel-overbodig": ("laat 'doel' weg", "remove 'doel'"),
    "doel-verwijzing-vorm": (
        "gebruik een id of {{niveau: nieuw|huidig}}",
        "use an id or {{niveau: nieuw|huidig}}",
    ),
    "doel-rol-vorm": (
        "gebruik een id of {{rol: ..., niveau: nieuw|huidig}}",
        "use an id or {{rol: ..., niveau: nieuw|huidig}}",
    ),
    "doelsoort-niveau": ("een niveau", "a level"),
    "doelsoort-organisatie": ("een organisatie", "an organisation"),
    "doelsoort-protocol": ("een protocol", "a protocol"),
    "doelsoort-besluitniveau": (
        "een besluitniveau (management of bestuur)",
        "a decision level (management or bestuur)",
    ),
    "doelsoort-geen": ("niets", "nothing"),
    "bron-ontbreekt": ("heeft een 'bron' (organisatie) nodig", "needs a 'bron' (organisation)"),
    "bron-overbodig": ("heeft geen 'bron'; laat 'bron' weg", "has no 'bron'; remove 'bron'"),
    "soort-feit": ("feit", "fact"),
    "soort-afgeleid": ("afgeleid feit", "derived fact"),
    "soort-niveau": ("niveau", "level"),
    "soort-organisatie": ("organisatie", "organisation"),
    "soort-rol": ("rol", "role"),
    "soort-actietype": ("actietype", "action type"),
    "soort-protocol": ("protocol", "protocol"),
    "soort-regel": ("regel", "rule"),
    "soort-scenario": ("scenario", "scenario"),
    "soort-eigenschap": ("eigenschap", "property"),
    "soort-processtap": ("processtap", "process step"),
    "geen-afspraak": (
        "de gegevensdeling zegt niet wanneer (geef 'betrokkene_informeren')",
        "the gegevensdeling does not say when (give 'betrokkene_informeren')",
    ),
    "geen-actie": (
        "het besluit geeft dan geen actie om te informeren",
        "the decision then gives no action to inform",
    ),
    "soort-informatiecategorie": ("informatiecategorie", "information category"),
    "soort-grondslag": ("grondslag", "ground"),
    "soort-partij": ("partij", "party"),
    "soort-kaart": ("kaart", "kaart"),
    "naam-id": ("id", "id"),
    "naam-kaart-id": ("kaart-id", "kaart id"),
    "naam-niveau-id": ("niveau-id", "level id"),
    "naam-waarde": ("waarde", "value"),
    "naam-datum": ("datum", "date"),
    "naam-url": ("webadres", "web address"),
    "naam-feitnaam": ("feitnaam", "fact name"),
    "reden-bestaat-niet": ("bestaat niet", "does not exist"),
    "reden-geen-bestand": ("geen gewoon bestand", "not a regular file"),
    "reden-geen-map": ("geen map", "not a directory"),
    "reden-koppeling-kapot": (
        "een koppeling (symlink) naar een bestand dat niet bestaat",
        "a link (symlink) to a file that does not exist",
    ),
    "reden-koppeling-kring": (
        "een koppeling (symlink) die via andere koppelingen naar zichzelf wijst",
        "a link (symlink) that leads back to itself through other links",
    ),
    "bron-vorm": (
        "heeft als bron een organisatie; gebruik een id of {{rol: ..., niveau: nieuw|huidig}}",
        "takes an organisation as source; use an id or {{rol: ..., niveau: nieuw|huidig}}",
    ),
    "patroon-id": (
        "kleine letters, cijfers en '_', beginnend met een letter",
        "lower-case letters, digits and '_', starting with a letter",
    ),
    "patroon-kaart-id": (
        "kleine letters, cijfers en '-', beginnend met een letter of cijfer",
        "lower-case letters, digits and '-', starting with a letter or digit",
    ),
    "patroon-regel-id": (
        "kleine letters, cijfers, '_' en '-', beginnend met een letter of cijfer",
        "lower-case letters, digits, '_' and '-', starting with a letter or digit",
    ),
    "patroon-niveau-id": (
        "cijfers, eventueel gevolgd door één kleine letter, zoals '1', '3a' of '3b'",
        "digits, optionally followed by one lower-case letter, such as '1', '3a' or '3b'",
    ),
    "patroon-waarde": (
        "kleine letters, cijfers en '_'",
        "lower-case letters, digits and '_'",
    ),
    "patroon-datum": ("een datum als JJJJ-MM-DD", "a date as YYYY-MM-DD"),
    "patroon-url": (
        "een webadres dat begint met http:// of https://, zonder spaties",
        "a web address that starts with http:// or https://, without spaces",
    ),
}


class Phrase:
    """A language-dependent piece of a message, rendered when the message is."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, **params: str | Phrase | tuple[str | Phrase, ...]) -> None:
        self.code = code
        self.params = params

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params))))

    def __repr__(self) -> str:
        return f"Phrase({self.code!r}, **{self.params!r})"


Param = str | Phrase | tuple[str | Phrase, ...]
Params = Mapping[str, Param]


def _piece(value: str | Phrase | tuple[str | Phrase, ...], lang: Language) -> str:
    if isinstance(value, Phrase):
        # A finding's own message can be a phrase too: the detail of a property it violates.
        return _fill(PHRASES.get(value.code) or CATALOGUE[value.code], value.params, lang)
    if isinstance(value, tuple):  # alternatives, such as "tekst / een lijst"
        return " / ".join(_piece(part, lang) for part in value)
    return printable(value)  # a parameter may come from a file: it never controls a terminal


#: Characters that move the cursor, erase, change a terminal's title or reorder text: C0 (line
#: breaks and tabs too: a message is one line), DEL, C1, and the bidirectional embeddings,
#: overrides and isolates that make text read differently than it is stored.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same, but for the line break and the tab, which texts in a kaart may hold.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def printable_text(text: str) -> str:
    """The same, keeping line breaks and tabs: for whole texts, such as a command's output."""
    return TEXT_CONTROL.sub(_escape, text) if TEXT_CONTROL.search(text) else text


def _escape(match: re.Match[str]) -> str:
    # \xNN only below 0x20; \uNNNN from DEL up, which JSON reads as the same character.
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def _fill(templates: tuple[str, str], params: Params, lang: Language) -> str:
    rendered = {key: _piece(value, lang) for key, value in params.items()}
    return templates[LANGUAGES.index(lang)].format(**rendered)


def render(code: str, params: Params, lang: Language | None = None) -> str:
    """The text of message ``code`` in ``lang`` (default: the language in force)."""
    return _fill(CATALOGUE[code], params, lang or get_language())


class Rendered:
    """A problem's ``message``, rendered from its ``code`` and ``params`` when it is read."""

    code: str
    params: Params

    @property
    def message(self) -> str:
        return render(self.code, self.params)

    def message_in(self, lang: Language) -> str:
        return render(self.code, self.params, lang)


def shown(value: object) -> str:
    """A value as a kaart author writes it: true, 1, geen."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def suggestion(candidate: str | None) -> str | Phrase:
    """A "did you mean" phrase, or nothing when there is no candidate."""
    return Phrase("suggestie", kandidaat=candidate) if candidate else ""


def closest(word: str, candidates: Iterable[Any]) -> str | Phrase:
    """A "did you mean" phrase for ``word`` among ``candidates``, or nothing."""
    names = [str(candidate) for candidate in candidates]
    matches = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return suggestion(matches[0] if matches else None)


def type_phrase(value: Any) -> Phrase:
    """The Dutch/English name of a YAML value's type, for messages."""
    if isinstance(value, bool):
        return Phrase("type-ja-nee")
    if isinstance(value, int):
        return Phrase("type-getal")
    if isinstance(value, float):
        return Phrase("type-kommagetal")
    if isinstance(value, str):
        return Phrase("type-tekst")
    if isinstance(value, list | tuple | set | frozenset):
        return Phrase("type-lijst")
    if isinstance(value, Mapping):
        return Phrase("type-mapping")
    if value is None:
        return Phrase("type-leeg")
    return Phrase("type-onbekend")


#: The command line's help texts in English, by their Dutch text (``ave-rules --lang en --help``);
#: a test holds that every help text of the parser has one.
HELP_EN: Mapping[str, str] = {
    "AVE-regiekaarten valideren en uitvoeren. / Validate and run AVE regiekaarten.": (
        "Validate and run AVE regiekaarten."
    ),
    "show this help message and exit": "show this help message and exit",
    "show program's version number and exit": "show program's version number and exit",
    "taal van de meldingen (standaard nl)": "language of the messages (default nl)",
    "controleer regiekaarten (bestanden of mappen) en hun scenario's": (
        "check regiekaarten (files or directories) and their scenarios"
    ),
    "controleer regiekaarten over alle mogelijke casussen: dode regels, gaten, tegenstrijdigheden": (
        "check regiekaarten over every possible case: dead rules, gaps, contradictions"
    ),
    "beslis over één casus": "decide one case",
    "toets elke kaart ook aan deze norm: een normbestand (.yaml) of een meegeleverde norm, zoals"
    " landelijk-kader": "hold every kaart to this norm too: a norm file (.yaml) or a bundled norm, such as"
    " landelijk-kader",
    "het schema van een norm (ave-rules check --norm)": "the schema of a norm (ave-rules check --norm)",
    "beslis een beslisrecord opnieuw en bevestig de uitkomst": "decide a decision record again and confirm its outcome",
    "de actielijst van een beslisrecord, om rond te sturen": "the actielijst of a decision record, to send round",
    "beslis over één casus en leg het besluit uit": "decide one case and explain the decision",
    "de regiekaart als pagina om te lezen": "the regiekaart as a page to read",
    "begin een nieuwe kaart voor een gemeente": "start a new kaart for a gemeente",
    "welke casussen van niveau, rollen of acties veranderen tussen twee versies van een kaart": (
        "which cases change level, roles or actions between two versions of a kaart"
    ),
    "de belasting per niveau en organisatie": "the load on each level and organisation",
    "bied de regiekaarten van een map aan als dienst over HTTP (REST/JSON); ave-rules[service] nodig": (
        "serve the regiekaarten of a directory over HTTP (REST/JSON); needs ave-rules[service]"
    ),
    "print het JSON Schema van een regiekaart": "print the JSON Schema of a regiekaart",
    "wat beslist: durable-rules, de referentie-evaluator, of auto (durable-rules waar het kan)": (
        "what decides: durable-rules, the reference evaluator, or auto (durable-rules where it can)"
    ),
    "een regiekaart (.yaml), een scenariobestand (.scenarios.yaml) of een map": (
        "a regiekaart (.yaml), a scenario file (.scenarios.yaml) or a directory"
    ),
    "uitvoervorm": "output format",
    "het naslagdocument met de tabellen (feiten, regels, organisaties) in plaats van de regiekaart": (
        "the reference document with the tables (facts, rules, organisations) instead of the regiekaart"
    ),
    "papierformaat voor afdrukken (liggend)": "paper size for printing (landscape)",
    "de regiekaart (.yaml)": "the regiekaart (.yaml)",
    "feiten van de casus als JSON of YAML; '-' leest stdin": "the case's facts as JSON or YAML; '-' reads stdin",
    "beslis op deze dag (standaard vandaag)": "decide on this day (default today)",
    "schrijf ook het beslisrecord voor het dossier naar FILE (JSON)": (
        "also write the decision record for the dossier to FILE (JSON)"
    ),
    "de geschiedenis van de casus (JSON): geeft de tijdfeiten, krijgt dit besluit erbij": (
        "the case's history (JSON): gives the time facts, gets this decision added"
    ),
    "zaakreferentie voor een nieuwe geschiedenis (geen persoonsgegevens)": (
        "case reference for a new history (no personal data)"
    ),
    "het beslisrecord (.json) van ave-rules evaluate --record": (
        "the decision record (.json) of ave-rules evaluate --record"
    ),
    "zoek de kaart hier (daarna de meegeleverde)": "look for the kaart here (then among the bundled ones)",
    "schrijf naar FILE in plaats van naar het scherm": "write to FILE instead of the screen",
    "zaakreferentie op de besluitpagina (--format html; geen persoonsgegevens)": (
        "case reference on the decision page (--format html; no personal data)"
    ),
    "de kaart waarop deze voortbouwt": "the kaart this one extends",
    "de naam van de gemeente": "the name of the gemeente",
    "de id van de nieuwe kaart (standaard: uit de naam)": "the id of the new kaart (default: from the name)",
    "schrijf naar FILE (dat nog niet mag bestaan)": "write to FILE (which must not exist yet)",
    "wat elke verschillende casus beslist: de beslisdiagrammen van de kaart (standaard; een"
    " steekproef nagerekend door de engine) of de engine (--engine)": (
        "what decides each distinct case: the kaart's decision diagrams (default; a sample checked by"
        " the engine) or the engine (--engine)"
    ),
    "zoveel verschillende casussen rekent de engine na als de beslisdiagrammen beslissen (1000)": (
        "this many distinct cases are checked by the engine when the decision diagrams decide (1000)"
    ),
    "de huidige regiekaart (.yaml)": "the current regiekaart (.yaml)",
    "de nieuwe regiekaart (.yaml)": "the new regiekaart (.yaml)",
    "echte casussen (.csv of .jsonl): hoeveel veranderen er": "real cases (.csv or .jsonl): how many change",
    "echte casussen (.csv of .jsonl)": "real cases (.csv or .jsonl)",
    "map met regiekaarten (standaard: de meegeleverde)": "directory of regiekaarten (default: the bundled ones)",
    "adres (127.0.0.1)": "address (127.0.0.1)",
    "poort (8000)": "port (8000)",
    "processen (1)": "processes (1)",
    "vervang een proces na N nieuwe regelsets door herladen (200; elk houdt ongeveer 0,35 MB vast)": (
        "replace a process after N new rulesets from reloading (200; each holds about 0.35 MB)"
    ),
    "hoeveel de dienst logt (standaard info)": "how much the service logs (default info)",
    "het schema van een besluit in plaats van een kaart": "the schema of a decision instead of a kaart",
    "het schema van een scenariobestand (<naam>.scenarios.yaml)": (
        "the schema of a scenario file (<name>.scenarios.yaml)"
    ),
    "het OpenAPI-document van ave-rules serve": "the OpenAPI document of ave-rules serve",
    "het schema van een beslisrecord": "the schema of a decision record",
    "het schema van de geschiedenis van een casus": "the schema of a case's history",
    "zonder wat alleen editors gebruiken (defaultSnippets), voor validators in strikte modus zoals ajv": (
        "without what only editors use (defaultSnippets), for validators in strict mode such as ajv"
    ),
}
