"""Hypothesis strategies for regiekaarten, for this project's tests and for gemeenten' own CI.

Built on Hypothesis' public API only. Requires the ``test`` extra (``pip install
"ave-rules[test]"``).

* :func:`kaart_documents` draws valid standalone kaart *documents* (plain dicts, as read
  from YAML), with random facts of every kind, derived facts without cycles, levels, role
  holders and rules using every condition form; with ``sharing=True``, gegevensdeling too.
* :func:`mutated_documents` draws such a document with one random change, valid or not,
  to probe validation.
* :func:`case_facts` draws valid facts for a loaded kaart: some of its facts, each with a
  value from its domain (the others take their default).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from .. import _terms as t
from ..kaart import AnyFact, BooleanFact, PhaseFact, Regiekaart, SetFact

Document = dict[str, Any]
_LEVEL_IDS = ("1", "2", "3a", "3b", "4", "5")


def _ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{index}" for index in range(count)]


@st.composite
def _fact(draw: st.DrawFn, fact_id: str, kind: str, level_ids: list[str]) -> Document:
    fact: Document = {"id": fact_id, "soort": kind, "omschrijving": f"Feit {fact_id}."}
    if kind == "ja_nee":
        fact["standaard"] = draw(st.booleans())
    elif kind == "fase":
        fact["standaard"] = draw(st.sampled_from([t.NO_PHASE, *level_ids]))
    else:
        values = _ids("w", draw(st.integers(2, 4)))
        fact["waarden"] = values
        if kind == "verzameling":
            fact["standaard"] = draw(st.lists(st.sampled_from(values), unique=True, max_size=len(values)))
        else:
            fact["standaard"] = draw(st.sampled_from(values))
    return fact


def _fact_test(draw: st.DrawFn, fact: Document, level_ids: list[str]) -> Document:
    kind = fact["soort"]
    comparison = draw(st.sampled_from(t.COMPARISONS_BY_KIND[kind]))
    domain: list[Any] = (
        [False, True] if kind == "ja_nee" else [t.NO_PHASE, *level_ids] if kind == "fase" else fact["waarden"]
    )
    if comparison in t.COUNT_COMPARISONS:
        operand: Any = draw(st.integers(0, len(domain) + 1))
    elif comparison in t.LIST_COMPARISONS:
        operand = draw(st.lists(st.sampled_from(domain), min_size=1, unique=True))
    else:
        operand = draw(st.sampled_from(domain))
    return {"feit": fact["id"], comparison: operand}


#: At most this many atoms in one condition; and/or groups of one to three parts.
_MAX_LEAVES = 5
_GROUP = ("alle", "een_van")


@st.composite
def _condition(
    draw: st.DrawFn, facts: list[Document], derived: list[str], level_ids: list[str], *, decided_level: bool
) -> Document:
    """A condition tree over ``facts`` and ``derived`` facts (and the decided level, the
    transition), with every form. Drawn step by step rather than with ``st.recursive``: building
    a recursive strategy anew for every kaart cost more than drawing from it."""
    atoms = ["feit"]
    if derived:
        atoms.append("afgeleid")
    if decided_level:
        atoms.append("niveau")
        if any(fact["soort"] == "fase" for fact in facts):
            atoms.append("overgang")

    def atom() -> Document:
        form = draw(st.sampled_from(atoms))
        if form == "feit":
            return _fact_test(draw, draw(st.sampled_from(facts)), level_ids)
        if form == "afgeleid":
            return {"afgeleid": draw(st.sampled_from(derived))}
        if form == "overgang":
            return {"overgang": draw(st.sampled_from(t.TRANSITIONS))}
        comparison = draw(st.sampled_from(t.LEVEL_COMPARISONS))
        if comparison == "is_een_van":
            return {"niveau": {comparison: draw(st.lists(st.sampled_from(level_ids), min_size=1, unique=True))}}
        return {"niveau": {comparison: draw(st.sampled_from(level_ids))}}

    def tree(leaves: int) -> Document:
        form = draw(st.sampled_from(("atoom", "alle", "een_van", "niet"))) if leaves > 1 else "atoom"
        if form == "atoom":
            return atom()
        if form == "niet":
            return {"niet": tree(leaves - 1)}
        parts: list[Document] = []
        for _ in range(draw(st.integers(1, min(3, leaves)))):
            parts.append(tree(max(1, (leaves - len(parts)) // 2)))
        return {form: parts}

    return tree(draw(st.integers(1, _MAX_LEAVES)))


_ACTION_TYPES: list[Document] = [
    {
        "id": "naar_niveau",
        "naam": "Naar niveau",
        "omschrijving": "Actie op een niveau.",
        "doel": "niveau",
        "tekst": "Naar {doel}.",
    },
    {
        "id": "bij_organisatie",
        "naam": "Bij organisatie",
        "omschrijving": "Actie bij een organisatie.",
        "doel": "organisatie",
        "tekst": "Bij {doel}.",
    },
    {
        "id": "overdracht",
        "naam": "Overdracht",
        "omschrijving": "Van de ene naar de andere.",
        "doel": "organisatie",
        "bron": "organisatie",
        "tekst": "Van {bron} naar {doel}.",
    },
    {
        "id": "protocol",
        "naam": "Protocol",
        "omschrijving": "Start een protocol.",
        "doel": "protocol",
        "tekst": "Start {doel}.",
    },
    {
        "id": "escaleren",
        "naam": "Escaleren",
        "omschrijving": "Naar een besluitniveau.",
        "doel": "besluitniveau",
        "tekst": "Naar {doel}.",
    },
    {
        "id": "informeren",
        "naam": "Informeren",
        "omschrijving": "Informeer de betrokkene.",
        "doel": "geen",
        "tekst": "Informeer.",
    },
]


def _role_reference(draw: st.DrawFn, levels: list[str], roles: list[str]) -> Document:
    reference: Document = {"niveau": draw(st.sampled_from(levels)), "rol": draw(st.sampled_from(roles))}
    if draw(st.booleans()):
        reference["anders"] = draw(st.sampled_from(roles))
    return reference


def _organisation(draw: st.DrawFn, organisations: list[str], levels: list[str], roles: list[str]) -> str | Document:
    return _role_reference(draw, levels, roles) if draw(st.booleans()) else draw(st.sampled_from(organisations))


_ACTION_KINDS = tuple(action_type["id"] for action_type in _ACTION_TYPES)


@st.composite
def _action(
    draw: st.DrawFn, organisations: list[str], level_ids: list[str], has_phase: bool, roles: list[str]
) -> Document:
    levels = ["nieuw", "huidig"] if has_phase else ["nieuw"]
    kind = draw(st.sampled_from(_ACTION_KINDS))
    action: Document = {"actie": kind}
    if kind == "naar_niveau":
        action["doel"] = (
            {"niveau": draw(st.sampled_from(levels))} if draw(st.booleans()) else draw(st.sampled_from(level_ids))
        )
    elif kind in ("bij_organisatie", "overdracht"):
        action["doel"] = _organisation(draw, organisations, levels, roles)
        if kind == "overdracht":
            action["bron"] = _organisation(draw, organisations, levels, roles)
    elif kind == "protocol":
        action["doel"] = "p0"
    elif kind == "escaleren":
        action["doel"] = draw(st.sampled_from(t.DECISION_LEVELS))
    return action


_terms = st.sampled_from(t.TIME_UNITS).flatmap(
    lambda unit: st.builds(lambda amount: {"aantal": amount, "eenheid": unit}, st.integers(1, t.MAX_TERM[unit]))
)
_calendars = st.fixed_dictionaries(
    {},
    optional={
        "feestdagen": st.sampled_from(t.HOLIDAY_SETS),
        "gesloten_dagen": st.lists(
            st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)).map(str), unique=True, max_size=3
        ),
    },
)


_CATEGORIES = ("c0", "c1", "actielijst")  # what a level circulates by default: the actielijst
_STEPS = [
    {"id": f"s_{moment}", "naam": f"Stap {moment}", "omschrijving": f"Een stap ({moment}).", "moment": moment}
    for moment in t.STEP_MOMENTS
]


@st.composite
def _sharing(
    draw: st.DrawFn, level: Document, organisations: list[str], facts: list[Document], roles: list[str]
) -> Document:
    """A valid gegevensdeling for ``level``: parties that exist there, never one sharing with itself."""
    held = [role for role, holders in level["rollen"].items() if holders]
    on_level = st.sampled_from([*organisations, *held, *t.SPECIAL_PARTIES])
    anywhere = st.sampled_from([*organisations, *t.ROLES, *roles, *t.SPECIAL_PARTIES])
    controller = draw(on_level)
    steps: Document = {}
    for step in draw(st.lists(st.sampled_from(_STEPS), min_size=1, max_size=3, unique_by=lambda s: s["id"])):
        parties = anywhere if step["moment"] == "uitstroom" else on_level
        shares = []
        for _ in range(draw(st.integers(1, 2))):
            share: Document = {"categorieen": draw(st.lists(st.sampled_from(_CATEGORIES), min_size=1, unique=True))}
            sender = draw(parties) if draw(st.booleans()) else None
            if sender is not None:
                share["van"] = sender
            sender = sender or controller
            recipients = [p for p in draw(st.lists(parties, min_size=1, max_size=2, unique=True)) if p != sender]
            share["met"] = recipients if recipients or sender == "deelnemers" else ["deelnemers"]
            if sender == "deelnemers" and not recipients:
                share["met"] = ["deelnemers"]
            if draw(st.booleans()):
                share["grondslag"] = draw(st.sampled_from(["g0", "g1"]))
            shares.append(share)
        steps[step["id"]] = {"delen": shares}
    sharing: Document = {"verwerkingsverantwoordelijke": controller, "stappen": steps}
    if draw(st.booleans()):
        sharing["grondslag"] = "g0"
    if draw(st.booleans()):
        sharing["verspreiden"] = draw(st.lists(st.sampled_from(_CATEGORIES), unique=True))
    if draw(st.booleans()):
        sharing["betrokkene_informeren"] = {
            "moment": draw(st.sampled_from(t.INFORM_MOMENTS)),
            "nodig_als": _fact_test(draw, draw(st.sampled_from(facts)), []),
            "actie": "informeren",
        }
    return sharing


def _with_sharing(draw: st.DrawFn, document: Document, facts: list[Document]) -> None:
    organisations = [organisation["id"] for organisation in document["organisaties"]]
    extra_roles = [role["id"] for role in document.get("extra_rollen", ())]
    document["processtappen"] = copy.deepcopy(_STEPS)
    document["informatiecategorieen"] = [
        {"id": c, "naam": c.upper(), "omschrijving": f"Categorie {c}."} for c in _CATEGORIES
    ]
    document["grondslagen"] = [{"id": g, "naam": g.upper(), "omschrijving": f"Grondslag {g}."} for g in ("g0", "g1")]
    for action_type in document["actietypen"]:
        if action_type["id"] in ("bij_organisatie", "overdracht"):
            action_type["overdracht"] = True
    for level in document["niveaus"]:
        if draw(st.booleans()):
            level["gegevensdeling"] = draw(
                _sharing(level, organisations, [f for f in facts if f["soort"] != "fase"], extra_roles)
            )


@st.composite
def kaart_documents(
    draw: st.DrawFn, max_facts: int = 5, max_derived: int = 3, max_rules: int = 8, sharing: bool = False
) -> Document:
    """A valid standalone regiekaart document; with ``sharing``, gegevensdeling on some of its levels.

    Its levels (one to six) map onto any of the four AVE phases, in non-decreasing order; now and
    then a closing outcome (``afsluiting``, phase 0) lies below them, and now and then it declares
    extra roles (``extra_rollen``), which some levels give holders."""
    level_ids = list(_LEVEL_IDS[: draw(st.integers(1, len(_LEVEL_IDS)))])
    phases = sorted(draw(st.lists(st.integers(1, 4), min_size=len(level_ids), max_size=len(level_ids))))
    closing = draw(st.sampled_from((None, None, None, *t.CLOSINGS)))  # now and then, afschalen tot niks
    if closing is not None:
        level_ids, phases = ["0", *level_ids], [t.CLOSING_PHASE, *phases]
    organisations = _ids("o", draw(st.integers(1, 4)))
    extra_roles = _ids("x", draw(st.integers(0, 2)))
    holders = st.lists(st.sampled_from(organisations), unique=True, max_size=2)
    levels = [
        {
            "id": level_id,
            "fase": phase,
            "kleur": draw(st.sampled_from(t.COLOURS)),
            "naam": f"Niveau {level_id}",
            "omschrijving": f"Uitgangssituatie {level_id}.",
            "rollen": {
                role: draw(holders) for role in (*t.ROLES, *extra_roles) if role in t.ROLES or draw(st.booleans())
            },
        }
        for level_id, phase in zip(level_ids, phases, strict=True)
    ]
    if closing is not None:
        levels[0]["afsluiting"] = closing
    action_types = copy.deepcopy(_ACTION_TYPES)
    timed = draw(st.booleans())  # termijnen, evaluatiemomenten and a calendar, now and then
    for item in (*levels, *action_types) if timed else ():
        if draw(st.booleans()):
            item["termijn" if "doel" in item else "evaluatiemoment"] = draw(_terms)
    kinds = draw(
        st.lists(st.sampled_from(("ja_nee", "keuze", "ordinaal", "verzameling")), min_size=1, max_size=max_facts)
    )
    if draw(st.booleans()):
        kinds.append("fase")
    facts = [draw(_fact(f"f{index}", kind, level_ids)) for index, kind in enumerate(kinds)]
    derived = _ids("d", draw(st.integers(0, max_derived)))
    has_phase = "fase" in kinds

    rules: list[Document] = []
    # Derived fact d_i may only look at d_j with j < i: no cycles.
    for index, name in enumerate(derived):
        for _ in range(draw(st.integers(0, 2))):
            condition = draw(_condition(facts, derived[:index], level_ids, decided_level=False))
            derivation: Document = {"afleiden": [name]}
            if draw(st.integers(0, 3)) == 0:  # now and then a rule that also proposes a level
                derivation["niveau"] = draw(st.sampled_from(level_ids))
            rules.append({"als": condition, "dan": derivation})
    for _ in range(draw(st.integers(0, max_rules))):
        looks_at_level = draw(st.booleans())
        condition = draw(_condition(facts, derived, level_ids, decided_level=looks_at_level))
        conclusion: Document = {}
        if not looks_at_level and draw(st.booleans()):
            conclusion["niveau"] = draw(st.sampled_from(level_ids))
        if looks_at_level or not conclusion or draw(st.booleans()):
            conclusion["acties"] = draw(
                st.lists(_action(organisations, level_ids, has_phase, [*t.ROLES, *extra_roles]), min_size=1, max_size=2)
            )
        rules.append({"als": condition, "dan": conclusion})
    rules = draw(st.permutations(rules))
    for index, rule in enumerate(rules):
        rule_id = f"r{index}"
        rules[index] = {"id": rule_id, "toelichting": f"Regel {rule_id}.", **rule}

    document: Document = {
        "formaat": 1,
        "id": "gegenereerd",
        "naam": "Gegenereerde kaart",
        "versie": "1",
        "geldig_vanaf": "2025-01-01",
        "feiten": facts,
        "afgeleide_feiten": [{"id": name, "omschrijving": f"Afgeleid {name}."} for name in derived],
        "niveaus": levels,
        "organisaties": [{"id": name, "naam": f"Organisatie {name}"} for name in organisations],
        "actietypen": action_types,
        "protocollen": [{"id": "p0", "naam": "Protocol 0"}],
        "regels": rules,
    }
    if extra_roles:
        document["extra_rollen"] = [{"id": role, "naam": f"Rol {role}"} for role in extra_roles]
    if timed and draw(st.booleans()):
        document["kalender"] = draw(_calendars)
    if sharing:
        _with_sharing(draw, document, facts)
    return document


def _fact_id(fact: AnyFact) -> str:
    return fact.id


@st.composite
def case_facts(draw: st.DrawFn, kaart: Regiekaart) -> dict[str, Any]:
    """Valid facts for ``kaart``, as a caller passes them to ``kaart.evaluate``."""
    facts: dict[str, Any] = {}
    for fact in draw(st.lists(st.sampled_from(kaart.facts), unique_by=_fact_id)):
        if isinstance(fact, BooleanFact):
            facts[fact.id] = draw(st.booleans())
        elif isinstance(fact, PhaseFact):
            facts[fact.id] = draw(st.sampled_from([t.NO_PHASE, *kaart.level_ids]))
        elif isinstance(fact, SetFact):
            facts[fact.id] = draw(st.lists(st.sampled_from(fact.values), unique=True))
        else:
            facts[fact.id] = draw(st.sampled_from(fact.values))
    return facts


# --- mutations ----------------------------------------------------------------------------

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "1", "3a", "geen", "nieuw", "organisatie", "x\n", "2025-02-30", "Hoofdletter", "a" * 120]),
    st.text(max_size=5),
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "is", "feit", "x", "niveau"]), inner, max_size=2)
    ),
    max_leaves=4,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


@st.composite
def mutated_documents(draw: st.DrawFn) -> Document:
    """A valid kaart document with one random change: a value replaced, a key removed or added.

    ``breidt_uit`` is never added: it switches the schema to partial items, which the
    standalone models do not describe.
    """
    document = draw(kaart_documents(max_facts=3, max_derived=2, max_rules=4))
    path = draw(st.sampled_from(list(_paths(document))[1:]))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(_json_values)
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        key = draw(st.sampled_from(["extra", "is", "feit", "alle", "niveau", "rol", "vervalt", "waarden", "standaard"]))
        parent[key] = draw(_json_values)
    else:
        parent.append(draw(_json_values))
    return document
