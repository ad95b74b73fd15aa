"""Hand-written peers of the generic AVE regiekaart, for comparing ave_rules against.

Each peer transcribes ``regiekaarten/ave-generiek.yaml`` by hand, the way someone who does not use
ave_rules would write it: the rules, levels and role holders are hard-coded, nothing is read from
the YAML. Every peer is made by a ``make_*`` function and returns a ``Result`` for a complete case:

* :func:`make_plain`: plain Python;
* :func:`make_durable`: a durable-rules 2.0.28 ruleset (JSON rules with Python actions);
* :func:`make_zen`: a GoRules zen-engine JDM graph (expression nodes and decision tables).

A complete case has every fact of ``feiten``: booleans as ``True``/``False``, ``keuze``,
``ordinaal`` and ``fase`` values as strings, ``leefgebieden`` and ``kolommen`` as lists of strings.
A ``Result`` is ``(level, actions)`` with each action ``(type, target, source)`` in the kaart's
order (rule position, then position within the rule).

``python benchmarks/peers.py`` checks all three against ave_rules' reference evaluator on sampled
cases and on the kaart's scenarios, and prints a rough per-case time for each.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

Action = tuple[str, str | None, str | None]
Result = tuple[str, tuple[Action, ...]]
Evaluate = Callable[[dict[str, Any]], Result]

KAART_PATH = Path(__file__).resolve().parent.parent / "regiekaarten" / "ave-generiek.yaml"

# --- the generic kaart, transcribed by hand ----------------------------------------------------

#: The ladder (``niveaus``), lowest first.
LEVELS = ("1", "2", "3a", "3b", "4")
RANK = {level: rank for rank, level in enumerate(LEVELS)}

# Role holders per level. On the generic kaart casusregie has exactly one holder on every level and
# procesregie at most one, so a single organisation (or None) per level is a faithful transcription.
CASUSREGIE = {"1": "huishouden", "2": "wijkteam", "3a": "wijkteam", "3b": "ketenpartners", "4": "crisisdiensten"}
PROCESREGIE: dict[str, str | None] = {"1": None, "2": None, "3a": "gemeente", "3b": "zvh", "4": "gemeente"}
#: Who hands a case over when it is scaled down from a level: its procesregie, else its casusregie.
OVERDRAGER = {level: PROCESREGIE[level] or CASUSREGIE[level] for level in LEVELS}

# The ordinal facts, low to high (used by the durable peer, which compares indices).
ZELFREGIE = ("volledig", "beperkt", "onvoldoende", "afwezig")
VEILIGHEIDSRISICO = ("geen", "zorgen", "multiprobleem", "structureel", "acuut")
RISICO_VOOR_OMGEVING = ("geen", "laag", "hoog")
MAATSCHAPPELIJKE_ONRUST = ("geen", "dreigend", "manifest")


def transition(level: str, current: str) -> str:
    """``overgang``: the decided level relative to the phase fact ``huidige_fase``."""
    if current == "geen":
        return "nieuw"
    new, old = RANK[level], RANK[current]
    return "opschalen" if new > old else "afschalen" if new < old else "blijft"


# --- 1. plain Python ---------------------------------------------------------------------------


def decide_plain(f: Mapping[str, Any]) -> Result:
    """The generic kaart as a plain Python function."""
    # Derived facts.
    meervoudig = len(f["leefgebieden"]) >= 2
    multidomein = len(f["kolommen"]) >= 2
    veiligheidsrisico = f["veiligheidsrisico"]
    omgeving_hoog = f["risico_voor_omgeving"] == "hoog"
    complex_ = (
        meervoudig
        and multidomein
        and (f["dwang_drang_nodig"] or f["stagnatie"] or veiligheidsrisico in ("structureel", "acuut") or omgeving_hoog)
    )
    zvh_poort = (
        meervoudig
        and f["overlast_of_criminaliteit"]  # criterium A
        and multidomein
        and f["dwang_drang_nodig"]  # criterium B
        and (f["impact_op_omgeving"] or f["gebiedsgebonden_veiligheidsprobleem"])  # criterium C of D
    )
    lokaal_tenzij = f["stagnatie"] or f["gemeente_overstijgend"] or f["specifieke_expertise_nodig"]

    # Level: the highest proposal wins.
    if (
        f["maatschappelijke_onrust"] != "geen"
        or f["openbare_orde_verstoord"]
        or (complex_ and f["acute_crisis"] and omgeving_hoog)
    ):
        level = "4"
    elif complex_ and zvh_poort and lokaal_tenzij:
        level = "3b"
    elif complex_:
        level = "3a"
    elif (
        f["hulpvraag"] or f["zelfregie"] != "volledig" or veiligheidsrisico in ("multiprobleem", "structureel", "acuut")
    ):
        level = "2"
    else:
        level = "1"

    # Actions, in rule order. No two rules can produce the same action, so nothing is deduplicated.
    current = f["huidige_fase"]
    overgang = transition(level, current)
    actions: list[Action] = []
    if overgang in ("nieuw", "opschalen") and f["betrokkene_geinformeerd"] == "nee" and RANK[level] >= RANK["3a"]:
        actions.append(("informeer_betrokkene", None, None))
    if overgang == "nieuw":
        if PROCESREGIE[level]:
            actions.append(("aanmelden", PROCESREGIE[level], None))
    elif overgang == "opschalen":
        actions.append(("opschalen", level, None))
        if PROCESREGIE[level]:
            actions.append(("aanmelden", PROCESREGIE[level], None))
    elif overgang == "afschalen":
        actions.append(("afschalen", level, None))
        actions.append(("warme_overdracht", CASUSREGIE[level], OVERDRAGER[current]))
    if f["stagnatie"] and not multidomein:
        actions.append(("escaleer_besluitniveau", "management", None))
    if f["verzoek"] == "advies":
        actions.append(("advies_vragen", "zvh", None))
    if f["verzoek"] == "aanmelding" and RANK["2"] <= RANK[level] < RANK["3b"]:
        actions.append(("terugverwijzen", OVERDRAGER[level], None))
    if veiligheidsrisico == "acuut" and level != "4":
        actions.append(("activeer_protocol", "meldcode", None))
        actions.append(("betrek", "veilig_thuis", None))
    return level, tuple(actions)


def make_plain() -> Evaluate:
    """The plain-Python peer."""
    return decide_plain


# --- 2. durable-rules --------------------------------------------------------------------------


def make_durable() -> Evaluate:
    """The durable-rules peer: one durable rule per kaart rule, evaluated in two chains per case.

    Chain 1 asserts the case fact; rules derive facts (asserted as facts) and propose levels (the
    highest rank is kept in the session state). Chain 2 asserts a ``decided`` fact with the level and
    the transition; the action rules that need them match on it (joined with the case fact where
    they also test base facts). Actions are recorded in the session state with their kaart position.
    """
    from durable import engine

    guarded: tuple[type[Exception], ...] = (engine.MessageNotHandledException, engine.MessageObservedException)

    class SyncHost(engine.Host):  # type: ignore[misc]
        """A host without the dispatcher threads: every chain runs inside ``assert_fact``."""

        def _run(self) -> None:
            pass

    def derive(name: str) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            # An $or over different keys fires once per true branch: the second assert of the same
            # fact raises MessageObservedException, which is harmless here.
            with contextlib.suppress(*guarded):
                c.assert_fact({"t": name})

        return run

    def propose(level: str) -> Callable[[Any], None]:
        rank = RANK[level]

        def run(c: Any) -> None:
            if c.s["level"] is None or c.s["level"] < rank:
                c.s["level"] = rank

        return run

    def record(position: int, make: Callable[[Any], list[Action]]) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            new = [[position, k, *action] for k, action in enumerate(make(c))]
            if c.s["actions"] is None:
                c.s["actions"] = new
            else:
                c.s["actions"].extend(new)

        return run

    def case(*tests: dict[str, Any]) -> dict[str, Any]:
        return {"$and": [{"t": "case"}, *tests]}

    def decided(*tests: dict[str, Any]) -> dict[str, Any]:
        return {"$and": [{"t": "decided"}, *tests]}

    def fact(name: str) -> dict[str, Any]:
        return {"t": name}

    structureel = VEILIGHEIDSRISICO.index("structureel")
    hoog = RISICO_VOOR_OMGEVING.index("hoog")
    rules: dict[str, dict[str, Any]] = {
        # Always fires on the case: no proposal means the lowest level (and every session runs an
        # action, which delete_state needs).
        "laagste-niveau": {"all": [{"m": {"t": "case"}}], "run": propose("1")},
        # Derived facts.
        "meervoudig": {"all": [{"m": case({"$gte": {"aantal_leefgebieden": 2}})}], "run": derive("meervoudig")},
        "multidomein": {"all": [{"m": case({"$gte": {"aantal_kolommen": 2}})}], "run": derive("multidomein")},
        "complex": {
            "all": [
                {"a": fact("meervoudig")},
                {"b": fact("multidomein")},
                {
                    "m": case(
                        {
                            "$or": [
                                {"dwang_drang_nodig": 1},
                                {"stagnatie": 1},
                                {"$gte": {"veiligheidsrisico": structureel}},
                                {"risico_voor_omgeving": hoog},
                            ]
                        }
                    )
                },
            ],
            "run": derive("complex"),
        },
        "zvh-criterium-a": {
            "all": [{"a": fact("meervoudig")}, {"m": case({"overlast_of_criminaliteit": 1})}],
            "run": derive("zvh_criterium_a"),
        },
        "zvh-criterium-b": {
            "all": [{"a": fact("multidomein")}, {"m": case({"dwang_drang_nodig": 1})}],
            "run": derive("zvh_criterium_b"),
        },
        "zvh-criterium-c-of-d": {
            "all": [{"m": case({"$or": [{"impact_op_omgeving": 1}, {"gebiedsgebonden_veiligheidsprobleem": 1}]})}],
            "run": derive("zvh_criterium_c_of_d"),
        },
        "zvh-poort": {
            "all": [
                {"a": fact("zvh_criterium_a")},
                {"b": fact("zvh_criterium_b")},
                {"c": fact("zvh_criterium_c_of_d")},
            ],
            "run": derive("zvh_poort"),
        },
        "lokaal-tenzij-uitzondering": {
            "all": [
                {
                    "m": case(
                        {
                            "$or": [
                                {"stagnatie": 1},
                                {"gemeente_overstijgend": 1},
                                {"specifieke_expertise_nodig": 1},
                            ]
                        }
                    )
                }
            ],
            "run": derive("lokaal_tenzij_uitzondering"),
        },
        # Level proposals.
        "niveau-2": {
            "all": [
                {
                    "m": case(
                        {
                            "$or": [
                                {"hulpvraag": 1},
                                {"$gte": {"zelfregie": ZELFREGIE.index("beperkt")}},
                                {"$gte": {"veiligheidsrisico": VEILIGHEIDSRISICO.index("multiprobleem")}},
                            ]
                        }
                    )
                }
            ],
            "run": propose("2"),
        },
        "niveau-3a": {"all": [{"a": fact("complex")}], "run": propose("3a")},
        "niveau-3b": {
            "all": [{"a": fact("complex")}, {"b": fact("zvh_poort")}, {"c": fact("lokaal_tenzij_uitzondering")}],
            "run": propose("3b"),
        },
        "niveau-4-onrust": {
            "all": [{"m": case({"$gte": {"maatschappelijke_onrust": MAATSCHAPPELIJKE_ONRUST.index("dreigend")}})}],
            "run": propose("4"),
        },
        "niveau-4-openbare-orde": {"all": [{"m": case({"openbare_orde_verstoord": 1})}], "run": propose("4")},
        "niveau-4-acute-crisis": {
            "all": [{"a": fact("complex")}, {"m": case({"acute_crisis": 1}, {"risico_voor_omgeving": hoog})}],
            "run": propose("4"),
        },
        # Actions (numbered by their position among the kaart's action rules).
        "informeer-betrokkene": {
            "all": [
                {"m": case({"betrokkene_geinformeerd": "nee"})},
                {
                    "d": decided(
                        {"$or": [{"transition": "nieuw"}, {"transition": "opschalen"}]},
                        {"$gte": {"level": RANK["3a"]}},
                    )
                },
            ],
            "run": record(0, lambda c: [("informeer_betrokkene", None, None)]),
        },
        "nieuwe-casus": {
            "all": [{"d": decided({"transition": "nieuw"})}],
            "run": record(1, lambda c: [("aanmelden", p, None) for p in [PROCESREGIE[c.d.level_id]] if p]),
        },
        "opschalen": {
            "all": [{"d": decided({"transition": "opschalen"})}],
            "run": record(
                2,
                lambda c: [
                    ("opschalen", c.d.level_id, None),
                    *[("aanmelden", p, None) for p in [PROCESREGIE[c.d.level_id]] if p],
                ],
            ),
        },
        "afschalen": {
            "all": [{"d": decided({"transition": "afschalen"})}],
            "run": record(
                3,
                lambda c: [
                    ("afschalen", c.d.level_id, None),
                    ("warme_overdracht", CASUSREGIE[c.d.level_id], OVERDRAGER[c.d.current]),
                ],
            ),
        },
        "stagnatie-enkel-domein": {
            # niet multidomein: fewer than two kolommen (a test on the case, no none() needed).
            "all": [{"m": case({"stagnatie": 1}, {"$lt": {"aantal_kolommen": 2}})}],
            "run": record(4, lambda c: [("escaleer_besluitniveau", "management", None)]),
        },
        "advies-zvh": {
            "all": [{"m": case({"verzoek": "advies"})}],
            "run": record(5, lambda c: [("advies_vragen", "zvh", None)]),
        },
        "aanmelding-niet-voor-zvh": {
            "all": [
                {"m": case({"verzoek": "aanmelding"})},
                {"d": decided({"$gte": {"level": RANK["2"]}}, {"$lt": {"level": RANK["3b"]}})},
            ],
            "run": record(6, lambda c: [("terugverwijzen", OVERDRAGER[c.d.level_id], None)]),
        },
        "acuut-onder-niveau-4": {
            "all": [
                {"m": case({"veiligheidsrisico": VEILIGHEIDSRISICO.index("acuut")})},
                {"d": decided({"$lt": {"level": RANK["4"]}})},
            ],
            "run": record(7, lambda c: [("activeer_protocol", "meldcode", None), ("betrek", "veilig_thuis", None)]),
        },
    }

    host = SyncHost()
    host.register_rulesets({"ave_generiek": rules})
    sids = itertools.count()

    def evaluate(f: dict[str, Any]) -> Result:
        sid = str(next(sids))
        # Only ints and strings go in: booleans as 0/1, ordinals as their index, sets as their size.
        case_fact = {
            "sid": sid,
            "t": "case",
            "huidige_fase": f["huidige_fase"],
            "hulpvraag": int(f["hulpvraag"]),
            "zelfregie": ZELFREGIE.index(f["zelfregie"]),
            "aantal_leefgebieden": len(f["leefgebieden"]),
            "aantal_kolommen": len(f["kolommen"]),
            "veiligheidsrisico": VEILIGHEIDSRISICO.index(f["veiligheidsrisico"]),
            "risico_voor_omgeving": RISICO_VOOR_OMGEVING.index(f["risico_voor_omgeving"]),
            "maatschappelijke_onrust": MAATSCHAPPELIJKE_ONRUST.index(f["maatschappelijke_onrust"]),
            "openbare_orde_verstoord": int(f["openbare_orde_verstoord"]),
            "acute_crisis": int(f["acute_crisis"]),
            "stagnatie": int(f["stagnatie"]),
            "dwang_drang_nodig": int(f["dwang_drang_nodig"]),
            "strafrechtelijk_kader": int(f["strafrechtelijk_kader"]),
            "overlast_of_criminaliteit": int(f["overlast_of_criminaliteit"]),
            "impact_op_omgeving": int(f["impact_op_omgeving"]),
            "gebiedsgebonden_veiligheidsprobleem": int(f["gebiedsgebonden_veiligheidsprobleem"]),
            "gemeente_overstijgend": int(f["gemeente_overstijgend"]),
            "specifieke_expertise_nodig": int(f["specifieke_expertise_nodig"]),
            "verzoek": f["verzoek"],
            "betrokkene_geinformeerd": f["betrokkene_geinformeerd"],
        }
        try:
            # With the synchronous host, assert_fact runs the whole chain and returns the session state
            # after its last action (None if no action ran; laagste-niveau always runs on the case).
            state = host.assert_fact("ave_generiek", case_fact)
            level = LEVELS[state["level"]]
            current = f["huidige_fase"]
            decided_fact = {
                "sid": sid,
                "t": "decided",
                "level": RANK[level],
                "level_id": level,
                "current": current,
                "transition": transition(level, current),
            }
            # A decided fact that no rule matches (or no action that runs) leaves the state as it was.
            with contextlib.suppress(engine.MessageNotHandledException):
                state = host.assert_fact("ave_generiek", decided_fact) or state
        finally:
            host.delete_state("ave_generiek", sid)
        if "exception" in state:
            raise RuntimeError(f"durable-rules action failed: {state['exception']}")
        actions: list[Action] = []
        for _, _, *action in sorted(state.get("actions") or (), key=lambda record: record[:2]):
            key = (action[0], action[1], action[2])
            if key not in actions:  # an action rule may fire more than once; keep each action once
                actions.append(key)
        return level, tuple(actions)

    return evaluate


# --- 3. zen-engine -----------------------------------------------------------------------------

#: A decision table row: (rule name, {input field: unary test}, {output field: expression}).
#: An input a row does not mention is an empty cell (any value).
Row = tuple[str, dict[str, str], dict[str, str]]


def _zen_table(node_id: str, hit_policy: str, rows: list[Row], output_path: str | None = None) -> dict[str, Any]:
    """A JDM decision table node; its columns are the fields its rows use, in order of appearance."""
    inputs = list(dict.fromkeys(field for _, cells, _ in rows for field in cells))
    outputs = list(dict.fromkeys(field for _, _, values in rows for field in values))
    content: dict[str, Any] = {
        "hitPolicy": hit_policy,
        "inputs": [{"id": f"{node_id}_i{k}", "name": field, "field": field} for k, field in enumerate(inputs)],
        "outputs": [{"id": f"{node_id}_o{k}", "name": field, "field": field} for k, field in enumerate(outputs)],
        "rules": [
            {
                "_id": f"{node_id}_r{j}",
                "_description": name,
                **{f"{node_id}_i{k}": cells.get(field, "") for k, field in enumerate(inputs)},
                **{f"{node_id}_o{k}": values[field] for k, field in enumerate(outputs)},
            }
            for j, (name, cells, values) in enumerate(rows)
        ],
        "passThrough": True,
        "executionMode": "single",
    }
    if output_path:
        content["outputPath"] = output_path
    return {
        "id": node_id,
        "name": node_id,
        "type": "decisionTableNode",
        "position": {"x": 0, "y": 0},
        "content": content,
    }


def _zen_expressions(node_id: str, expressions: dict[str, str]) -> dict[str, Any]:
    """A JDM expression node computing ``key = expression`` for each item."""
    content = {
        "expressions": [{"id": f"{node_id}_{key}", "key": key, "value": value} for key, value in expressions.items()],
        "passThrough": True,
        "executionMode": "single",
    }
    return {"id": node_id, "name": node_id, "type": "expressionNode", "position": {"x": 0, "y": 0}, "content": content}


def _q(value: str | None) -> str:
    """A string (or null) as a zen literal."""
    return json.dumps(value)


def zen_graph() -> dict[str, Any]:
    """The generic kaart as a JDM graph: derived facts, level, roles, transition, actions."""
    four, three_b, three_a, two = ({"niveau": _q(level), "rang": str(RANK[level])} for level in ("4", "3b", "3a", "2"))
    no_target = {"doel": "null", "bron": "null"}
    nodes = [
        {"id": "in", "name": "in", "type": "inputNode", "position": {"x": 0, "y": 0}},
        # Derived facts, in dependency order.
        _zen_expressions(
            "afgeleid_1",
            {
                "meervoudig": "len(leefgebieden) >= 2",
                "multidomein": "len(kolommen) >= 2",
                "zvh_criterium_c_of_d": "impact_op_omgeving or gebiedsgebonden_veiligheidsprobleem",
                "lokaal_tenzij_uitzondering": "stagnatie or gemeente_overstijgend or specifieke_expertise_nodig",
            },
        ),
        _zen_expressions(
            "afgeleid_2",
            {
                "complex": "meervoudig and multidomein and (dwang_drang_nodig or stagnatie"
                ' or veiligheidsrisico in ["structureel", "acuut"] or risico_voor_omgeving == "hoog")',
                "zvh_criterium_a": "meervoudig and overlast_of_criminaliteit",
                "zvh_criterium_b": "multidomein and dwang_drang_nodig",
            },
        ),
        _zen_expressions("afgeleid_3", {"zvh_poort": "zvh_criterium_a and zvh_criterium_b and zvh_criterium_c_of_d"}),
        # Level: the highest proposal wins, so the rows go from the highest level down (hit policy first).
        _zen_table(
            "niveau",
            "first",
            [
                ("niveau-4-onrust", {"maatschappelijke_onrust": '"dreigend", "manifest"'}, four),
                ("niveau-4-openbare-orde", {"openbare_orde_verstoord": "true"}, four),
                (
                    "niveau-4-acute-crisis",
                    {"complex": "true", "acute_crisis": "true", "risico_voor_omgeving": '"hoog"'},
                    four,
                ),
                ("niveau-3b", {"complex": "true", "zvh_poort": "true", "lokaal_tenzij_uitzondering": "true"}, three_b),
                ("niveau-3a", {"complex": "true"}, three_a),
                ("niveau-2", {"hulpvraag": "true"}, two),
                ("niveau-2", {"zelfregie": '"beperkt", "onvoldoende", "afwezig"'}, two),
                ("niveau-2", {"veiligheidsrisico": '"multiprobleem", "structureel", "acuut"'}, two),
                ("laagste niveau", {}, {"niveau": _q("1"), "rang": "0"}),
            ],
        ),
        # Role holders on the decided level (targets of aanmelden and warme_overdracht).
        _zen_table(
            "rollen_nieuw",
            "first",
            [
                (
                    level,
                    {"niveau": _q(level)},
                    {"casusregie": _q(CASUSREGIE[level]), "procesregie": _q(PROCESREGIE[level])},
                )
                for level in LEVELS
            ],
        ),
        # The current level: its rank, and who hands the case over when it is scaled down from there.
        _zen_table(
            "huidig",
            "first",
            [("geen", {"huidige_fase": _q("geen")}, {"huidig_rang": "-1", "overdrager": "null"})]
            + [
                (
                    level,
                    {"huidige_fase": _q(level)},
                    {"huidig_rang": str(RANK[level]), "overdrager": _q(OVERDRAGER[level])},
                )
                for level in LEVELS
            ],
        ),
        _zen_expressions(
            "overgang",
            {
                "overgang": 'huidige_fase == "geen" ? "nieuw" : rang > huidig_rang ? "opschalen"'
                ' : rang < huidig_rang ? "afschalen" : "blijft"'
            },
        ),
        # Actions in kaart order (hit policy collect keeps the row order).
        _zen_table(
            "acties",
            "collect",
            [
                (
                    "informeer-betrokkene",
                    {"overgang": '"nieuw", "opschalen"', "betrokkene_geinformeerd": '"nee"', "rang": ">= 2"},
                    {"type": _q("informeer_betrokkene"), **no_target},
                ),
                (
                    "nieuwe-casus",
                    {"overgang": '"nieuw"', "procesregie": "$ != null"},
                    {"type": _q("aanmelden"), "doel": "procesregie", "bron": "null"},
                ),
                ("opschalen", {"overgang": '"opschalen"'}, {"type": _q("opschalen"), "doel": "niveau", "bron": "null"}),
                (
                    "opschalen",
                    {"overgang": '"opschalen"', "procesregie": "$ != null"},
                    {"type": _q("aanmelden"), "doel": "procesregie", "bron": "null"},
                ),
                ("afschalen", {"overgang": '"afschalen"'}, {"type": _q("afschalen"), "doel": "niveau", "bron": "null"}),
                (
                    "afschalen",
                    {"overgang": '"afschalen"'},
                    {"type": _q("warme_overdracht"), "doel": "casusregie", "bron": "overdrager"},
                ),
                (
                    "stagnatie-enkel-domein",
                    {"stagnatie": "true", "multidomein": "false"},
                    {"type": _q("escaleer_besluitniveau"), "doel": _q("management"), "bron": "null"},
                ),
                (
                    "advies-zvh",
                    {"verzoek": '"advies"'},
                    {"type": _q("advies_vragen"), "doel": _q("zvh"), "bron": "null"},
                ),
                (
                    "aanmelding-niet-voor-zvh",
                    {"verzoek": '"aanmelding"', "rang": f"$ >= {RANK['2']} and $ < {RANK['3b']}"},
                    {
                        "type": _q("terugverwijzen"),
                        "doel": "procesregie != null ? procesregie : casusregie",
                        "bron": "null",
                    },
                ),
                (
                    "acuut-onder-niveau-4",
                    {"veiligheidsrisico": '"acuut"', "rang": "< 4"},
                    {"type": _q("activeer_protocol"), "doel": _q("meldcode"), "bron": "null"},
                ),
                (
                    "acuut-onder-niveau-4",
                    {"veiligheidsrisico": '"acuut"', "rang": "< 4"},
                    {"type": _q("betrek"), "doel": _q("veilig_thuis"), "bron": "null"},
                ),
            ],
            output_path="acties",
        ),
        {"id": "out", "name": "out", "type": "outputNode", "position": {"x": 0, "y": 0}},
    ]
    order = [node["id"] for node in nodes]
    edges = [
        {"id": f"e{k}", "sourceId": a, "targetId": b, "type": "edge"}
        for k, (a, b) in enumerate(itertools.pairwise(order))
    ]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def make_zen() -> Evaluate:
    """The zen-engine peer."""
    import zen

    # ZenEngine.evaluate(key) with a static loader, not ZenDecision.evaluate: in zen-engine 2.1.3 the
    # latter costs about 0.2-0.4 ms more per call, even for an empty graph (cf. gorules/zen#441).
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"ave-generiek": zen_graph()}}})
    engine.get_decision("ave-generiek").validate()

    def evaluate(f: dict[str, Any]) -> Result:
        result = engine.evaluate("ave-generiek", f)["result"]
        actions = tuple((a["type"], a["doel"], a["bron"]) for a in result["acties"])
        return result["niveau"], actions

    return evaluate


# --- sample cases ------------------------------------------------------------------------------


@functools.cache
def _domains() -> dict[str, tuple[str, tuple[Any, ...], Any]]:
    """Each fact of the generic kaart: (kind, values, default)."""
    import ave_rules
    from ave_rules.kaart import fact_values

    kaart = ave_rules.load(KAART_PATH, engine="reference")
    return {fact.id: (fact.kind, tuple(fact_values(fact, kaart.level_ids)), fact.default) for fact in kaart.facts}


#: Per profile: the chance that a fact keeps its default, and facts forced to a value.
_PROFILES: dict[str, tuple[float, dict[str, Any]]] = {
    "uniform": (0.0, {}),
    "rustig": (0.75, {"maatschappelijke_onrust": "geen", "openbare_orde_verstoord": False}),  # levels 1 and 2
    "complex": (0.5, {"maatschappelijke_onrust": "geen", "openbare_orde_verstoord": False}),  # mostly 3a
    "zvh": (  # mostly 3b, some 4 through an acute crisis
        0.5,
        {
            "maatschappelijke_onrust": "geen",
            "openbare_orde_verstoord": False,
            "dwang_drang_nodig": True,
            "overlast_of_criminaliteit": True,
            "impact_op_omgeving": True,
        },
    ),
}
_PROFILE_WEIGHTS = {"uniform": 2, "rustig": 4, "complex": 2, "zvh": 2}


def sample_cases(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` complete random cases of the generic kaart, with every level reasonably often.

    Values come from each fact's domain; cases are drawn from a mix of profiles (uniform, mostly
    defaults, complex, meeting the Zorg- en Veiligheidshuis criteria) so that the levels that a
    uniform draw rarely reaches (1, 2, 3a, 3b) occur about as often as level 4."""
    domains = _domains()
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not cryptography
    names = list(_PROFILE_WEIGHTS)
    weights = list(_PROFILE_WEIGHTS.values())
    cases = []
    for _ in range(n):
        profile = rnd.choices(names, weights)[0]
        p_default, forced = _PROFILES[profile]
        case: dict[str, Any] = {}
        for fact_id, (kind, values, default) in domains.items():
            if fact_id in forced:
                case[fact_id] = forced[fact_id]
            elif kind == "verzameling":
                if profile in ("complex", "zvh"):
                    size = rnd.randint(2, len(values))
                elif rnd.random() < p_default:
                    size = rnd.choice((0, 0, 1, 2))
                else:
                    size = rnd.randint(0, len(values))
                members = set(rnd.sample(values, size))
                case[fact_id] = [v for v in values if v in members]
            elif fact_id != "huidige_fase" and rnd.random() < p_default:
                case[fact_id] = default
            else:
                case[fact_id] = rnd.choice(values)
        cases.append(case)
    return cases


def scenario_cases() -> list[dict[str, Any]]:
    """The facts of every scenario of the generic kaart, completed with the defaults."""
    import ave_rules
    from ave_rules.engine import complete

    kaart = ave_rules.load(KAART_PATH, engine="reference")
    cases = []
    for scenario in kaart.scenarios:
        full, _ = complete(kaart, scenario.facts)
        for fact_id, value in full.items():
            if isinstance(value, frozenset):
                order = kaart.fact_by_id[fact_id].values  # type: ignore[union-attr]
                full[fact_id] = [v for v in order if v in value]
        cases.append(full)
    return cases


# --- correctness ----------------------------------------------------------------------------


def expected_results(cases: Iterable[Mapping[str, Any]]) -> list[Result]:
    """What ave_rules' reference evaluator decides for each case."""
    import ave_rules

    kaart = ave_rules.load(KAART_PATH, engine="reference")
    results = []
    for case in cases:
        d = kaart.evaluate(case)
        results.append((d.level, tuple((a.type, a.target, a.source) for a in d.actions)))
    return results


def check(
    make: Callable[[], Evaluate], cases: list[dict[str, Any]], expected: list[Result] | None = None
) -> list[tuple[dict[str, Any], Result, Result]]:
    """The cases on which ``make()``'s peer differs from ave_rules: (case, expected, got)."""
    if expected is None:
        expected = expected_results(cases)
    evaluate = make()
    mismatches = []
    for case, want in zip(cases, expected, strict=True):
        got = evaluate(case)
        if got != want:
            mismatches.append((case, want, got))
    return mismatches


def per_case_us(evaluate: Evaluate, cases: list[dict[str, Any]]) -> float:
    """Mean wall time per case in microseconds (after a short warm-up)."""
    for case in cases[:200]:
        evaluate(case)
    start = time.perf_counter()
    for case in cases:
        evaluate(case)
    return (time.perf_counter() - start) / len(cases) * 1e6


PEERS: dict[str, Callable[[], Evaluate]] = {"plain": make_plain, "durable": make_durable, "zen": make_zen}


def main() -> int:
    cases = sample_cases(5000, seed=20250101) + scenario_cases()
    expected = expected_results(cases)
    levels = Counter(level for level, _ in expected)
    print(f"{len(cases)} cases; levels: " + ", ".join(f"{lv}: {levels[lv]}" for lv in LEVELS))
    failed = False
    for name, make in PEERS.items():
        mismatches = check(make, cases, expected)
        failed = failed or bool(mismatches)
        speed = per_case_us(make(), cases)
        print(f"{name:8} mismatches: {len(mismatches):5}   {speed:8.1f} us/case")
        for case, want, got in mismatches[:3]:
            print(f"    case {case}\n    want {want}\n    got  {got}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
