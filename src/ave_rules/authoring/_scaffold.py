"""A new regiekaart for one gemeente, as YAML text: the starting point of ``ave-rules new``.

>>> from ave_rules.scaffold import new_kaart
>>> text = new_kaart("ave-generiek", "Voorbeeldstad")  # doctest: +SKIP

The kaart extends a base kaart (``breidt_uit``) and changes nothing yet, so it loads as it is
and its one scenario passes. Comments in Dutch tell a policy officer what to fill in and how
to change a level's role holders.

The gemeente's name is untrusted input. It is checked (letters, digits, spaces and punctuation
only, no control characters, not too long) and written only inside double-quoted YAML scalars,
so no name can change the structure of the document. What cannot make a valid kaart raises
:class:`ScaffoldError`, whose ``code`` and message come from the catalogue in
:mod:`ave_rules.messages`.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import _terms as t
from .._messages import Phrase
from ..errors import KaartNotFoundError, ScaffoldError
from ..kaart import Regiekaart
from ..loading import load_id

#: The longest gemeente name accepted (the longest Dutch gemeente name has fewer than 40 characters).
MAX_NAME = 100
#: The longest kaart id the format accepts.
MAX_ID = 100
#: Where the editor finds the JSON Schema, seen from the kaart: the layout of this repository
#: and of examples/gemeente-voorbeeld (kaarten in regiekaarten/, the schema in schemas/).
SCHEMA_PATH = "../schemas/regiekaart.schema.json"

_KAART_ID = re.compile(t.KAART_ID_PATTERN)
_PLAIN = re.compile(r"[a-z][a-z0-9_-]*")
#: Plain words that YAML 1.2 (or an editor still on YAML 1.1) reads as something other than text.
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
_SHOWN_LENGTH = 60


def new_kaart(
    extends: str,
    gemeente: str,
    *,
    kaart_id: str | None = None,
    today: datetime.date | None = None,
    search: Sequence[str | Path] = (),
    schema: str = SCHEMA_PATH,
) -> str:
    """The YAML text of a new kaart for ``gemeente`` that extends kaart ``extends``, whose first
    line points editors to the JSON Schema at ``schema`` (a path seen from the kaart).

    The base is looked up as :func:`ave_rules.loads` looks it up: in ``search`` (for a file
    about to be written: its directory) and then among the bundled kaarten, in the version
    valid on ``today`` (default: today). The new kaart has id ``kaart_id`` (default: derived
    from the name, see :func:`kaart_id_for`), version ``YYYY.1`` and ``geldig_vanaf`` today,
    ``gemeenten: [gemeente]`` and one scenario: a case taken from the base kaart's scenarios,
    with the outcome the base kaart gives it.

    Raises :class:`ScaffoldError` for a gemeente name or id that cannot make a valid kaart and
    for a base that cannot be found or is not valid today, and
    :class:`~ave_rules.RegiekaartError` when the base kaart itself does not load.
    """
    day = today or datetime.date.today()
    check_gemeente(gemeente)
    ident = kaart_id_for(gemeente) if kaart_id is None else kaart_id
    if kaart_id is not None:
        _check_id(kaart_id)
    base = _base(extends, ident, day, search)
    return _render(base, extends, gemeente, ident, day, schema)


def check_gemeente(gemeente: str) -> None:
    """Raise :class:`ScaffoldError` unless ``gemeente`` can stand in a kaart as written."""
    if not isinstance(gemeente, str) or not any(unicodedata.category(c).startswith("L") for c in gemeente):
        raise ScaffoldError("cli-nieuw-gemeente-geen-letter", {})
    if len(gemeente) > MAX_NAME:
        raise ScaffoldError("cli-nieuw-gemeente-te-lang", {"grens": str(MAX_NAME), "lengte": str(len(gemeente))})
    for character in gemeente:
        if character != " " and unicodedata.category(character)[0] not in "LMNPS":
            raise ScaffoldError("cli-nieuw-gemeente-teken", {"teken": f"U+{ord(character):04X}"})
    if gemeente != gemeente.strip(" "):
        raise ScaffoldError("cli-nieuw-gemeente-spatie", {})


def kaart_id_for(gemeente: str) -> str:
    """The kaart id derived from a gemeente's name: ``'s-Hertogenbosch`` → ``s-hertogenbosch``.

    Accents are dropped, letters lower-cased, every other run of characters becomes one ``-``,
    and the id is cut at 100 characters. Raises :class:`ScaffoldError` when nothing is left
    (a name without the letters a-z or digits): then give the id yourself."""
    check_gemeente(gemeente)
    decomposed = unicodedata.normalize("NFKD", gemeente.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:MAX_ID].rstrip("-")
    if not slug:
        raise ScaffoldError("cli-nieuw-geen-id", {"gemeente": gemeente})
    return slug


def _check_id(ident: str) -> None:
    if not isinstance(ident, str) or len(ident) > MAX_ID or not _KAART_ID.fullmatch(ident):
        raise ScaffoldError("cli-nieuw-id-ongeldig", {"id": _shown(ident), "verwacht": Phrase("patroon-kaart-id")})


def _shown(value: object) -> str:
    """An untrusted value in a message: quoted, escaped, and at most 60 characters."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > _SHOWN_LENGTH:
        text = text[:_SHOWN_LENGTH] + "…"
    return json.dumps(text)  # ASCII with escapes: no control character reaches a terminal


def _base(extends: str, ident: str, day: datetime.date, search: Sequence[str | Path]) -> Regiekaart:
    """The base kaart, resolved as of ``day``; ``ident`` may not be in its chain of bases."""
    try:
        base = load_id(str(extends), search=search, on=day, engine="reference")
    except KaartNotFoundError as error:
        if error.code == "kaart-niet-geldig":
            raise ScaffoldError("cli-nieuw-basis-niet-geldig", {"basis": extends, "datum": day.isoformat()}) from None
        params = {"basis": _shown(extends), "suggestie": error.params["suggestie"], "gezocht": error.params["gezocht"]}
        raise ScaffoldError("cli-nieuw-basis-onbekend", params) from None
    if ident in (base.id, *base.bases):
        raise ScaffoldError("cli-nieuw-id-is-basis", {"id": ident, "basis": extends})
    return base


# --- the text ------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's): its content can never be structure."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: Any) -> str:
    """A value as a kaart author writes it: ``hulpvraag``, ``true``, ``"2"``, ``[zorg, veiligheid]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if _PLAIN.fullmatch(value) and value not in _YAML_WORDS else _quoted(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _example_case(base: Regiekaart) -> tuple[str | None, Mapping[str, Any]]:
    """Facts for the new kaart's scenario: preferably a base scenario above the lowest level
    with actions to take, else one above the lowest level, else the first (or no facts)."""
    lowest = base.level_ids[0]
    decisions = [(scenario, base.evaluate(scenario.facts)) for scenario in base.scenarios]
    ranked = sorted(
        range(len(decisions)),
        key=lambda i: (decisions[i][1].level == lowest, not decisions[i][1].actions, i),
    )
    if ranked:
        scenario = decisions[ranked[0]][0]
        return scenario.id, scenario.facts
    return None, {}


def _example_level(base: Regiekaart) -> tuple[str, str, tuple[str, ...]]:
    """A level, a role and its holders, to show how a role is overridden."""
    for level in base.levels:
        if level.roles.procesregie:
            return level.id, "procesregie", level.roles.procesregie
    level = base.levels[-1]
    return level.id, "casusregie", level.roles.casusregie


def _render(base: Regiekaart, extends: str, gemeente: str, ident: str, day: datetime.date, schema: str) -> str:
    source_scenario, facts = _example_case(base)
    decision = base.evaluate(facts)
    level_id, role, holders = _example_level(base)
    description = (
        f"De regiekaart van {gemeente}. Zij bouwt voort op de kaart {extends} en legt alleen vast "
        f"wat in {gemeente} anders is. Vervang deze tekst door een korte beschrijving van de lokale afspraken."
    )
    origin = f"het scenario '{source_scenario}' van" if source_scenario else "de standaardwaarden van"
    lines = [
        f"# yaml-language-server: $schema={schema}",
        "#",
        f"# Een nieuwe regiekaart, gemaakt met 'ave-rules new' op {day.isoformat()}.",
        f"# Deze kaart bouwt voort op de kaart '{extends}' (breidt_uit): alles wat hier niet staat,",
        "# neemt zij daaruit over. Schrijf hier alleen op wat in uw gemeente anders is. Hoe dat",
        "# gaat, staat in de handleiding 'Een regiekaart schrijven', hoofdstuk 5.",
        "#",
        "# De eerste regel koppelt het JSON Schema aan deze kaart, zodat uw editor sleutels aanvult",
        "# en fouten onderstreept. Het pad is gezien vanaf dit bestand; het schema maakt u met:",
        "#   ave-rules schema > schemas/regiekaart.schema.json",
        "# Controleer de kaart na elke wijziging met: ave-rules validate <dit bestand>",
        "",
        "formaat: 1",
        "# Het id van de kaart: kleine letters, cijfers en '-'. Andere kaarten verwijzen ernaar.",
        f"id: {_scalar(ident)}",
        f"naam: {_quoted(f'Regiekaart {gemeente}')}",
        f"omschrijving: {_quoted(description)}",
        "# Verandert er iets in de afspraken, maak dan een nieuwe versie (zie hoofdstuk 5).",
        f'versie: "{day.year}.1"',
        f'geldig_vanaf: "{day.isoformat()}"',
        f"gemeenten: [{_quoted(gemeente)}]",
        f"breidt_uit: {_scalar(extends)}",
        "",
        "# --- Wat in uw gemeente anders is ---------------------------------------------------------",
        "#",
        "# Een eigen organisatie: schrijf haar helemaal uit, met id en naam.",
        "#",
        "# organisaties:",
        "#   - id: lokaal_team",
        "#     naam: Lokaal team",
        "#     omschrijving: Wie dit team vormt en wat het doet.",
        "#",
        "# Een andere rolhouder op een niveau: noem het id van het niveau en alleen de rol die",
        "# anders is. De andere rollen en de rest van het niveau blijven zoals in de basiskaart.",
        f"# Zo staat het nu in de basiskaart, op niveau {level_id}:",
        "#",
        "# niveaus:",
        f'#   - id: "{level_id}"',
        "#     rollen:",
        f"#       {role}: {_scalar(list(holders))}",
        "#",
        "# Een regel aanpassen: noem zijn id en alleen de sleutels die anders zijn (een 'als' vervangt",
        "# u in zijn geheel). Een regel laten vervallen: '- id: ...' met 'vervalt: true'.",
        "",
        "# --- Scenario's: voorbeeldcasussen met de uitkomst die u verwacht -------------------------",
        "# 'ave-rules validate' rekent ze door. Scenario's worden niet overgenomen uit de basiskaart:",
        "# schrijf er een voor elke afspraak die in uw gemeente anders is.",
        "scenarios:",
        "  - id: voorbeeld-uit-basiskaart",
        "    omschrijving: "
        + _quoted(
            f"Een casus uit {origin} de kaart {extends}, met de uitkomst die die kaart geeft. "
            "Verandert u iets dat deze casus raakt, pas dan ook de verwachting aan."
        ),
    ]
    if facts:
        lines.append("    feiten:")
        lines.extend(f"      {name}: {_scalar(value)}" for name, value in facts.items())
    else:
        lines.append("    feiten: {}")
    lines += ["    verwacht:", f"      niveau: {_quoted(decision.level)}", "      rollen:"]
    lines.extend(f"        {name}: {_scalar(list(holders))}" for name, holders in decision.roles.items())
    if decision.actions:
        lines.append("      acties:")
        for action in decision.actions:
            parts = [("actie", action.type), ("bron", action.source), ("doel", action.target)]
            written = ", ".join(f"{key}: {_scalar(value)}" for key, value in parts if value is not None)
            lines.append("        - {" + written + "}")
    else:
        lines.append("      acties: []")
    return "\n".join(lines) + "\n"
