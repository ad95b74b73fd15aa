"""What a kaart means must hold together: ids unique and defined, values in their fact's
domain, targets that fit their action type, derived facts without cycles.

These checks run on the typed model after the schema has passed; each problem is located
through a ``Locator`` (a kaart's source map, or the merged map of an extending kaart).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from typing import Any

from .. import _terms as t
from .._messages import Phrase, closest
from ..errors import MAX_PROBLEMS, Problem, capped
from ._model import (
    ActionSpec,
    ActionType,
    AllOf,
    AnyFact,
    AnyOf,
    Condition,
    DerivedTest,
    Exclusive,
    FactTest,
    Independent,
    LevelTest,
    LowerBound,
    Monotone,
    Not,
    OrdinalFact,
    PhaseFact,
    Property,
    Reference,
    Regiekaart,
    RoleHolder,
    RoleOnlyIf,
    Scenario,
    SetFact,
    Term,
    TransitionTest,
)
from ._values import element_issue, value_issues
from ._yaml import Locator, Path


def meaning_problems(kaart: Regiekaart, at: Locator) -> list[Problem]:
    """Every problem with the meaning of ``kaart`` (the model has passed; this is the rest)."""
    checkers = (
        _dates,
        _unique_ids,
        _facts,
        _extra_roles,
        _levels,
        _action_types,
        _rules,
        _derived_cycles,
        _scenarios,
        _properties,
        _sharing,
    )
    found = (problem for checker in checkers for problem in checker(kaart, at))
    return capped(found, lambda: at.problem("te-veel-problemen", (), {"grens": str(MAX_PROBLEMS)}))


# --- identity ----------------------------------------------------------------------------


def _dates(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    days: dict[str, datetime.date] = {}
    for key in ("geldig_vanaf", "geldig_tot"):
        text = kaart.valid_from if key == "geldig_vanaf" else kaart.valid_until
        if text is None:
            continue
        try:
            days[key] = datetime.date.fromisoformat(text)
        except ValueError:
            yield at.problem("ongeldige-datum", (key,), {"waarde": text})
    if len(days) == 2 and days["geldig_tot"] <= days["geldig_vanaf"]:
        yield at.problem(
            "geldigheid-omgekeerd",
            ("geldig_tot",),
            {"tot": str(days["geldig_tot"]), "vanaf": str(days["geldig_vanaf"])},
        )
    for index, text in enumerate(kaart.calendar.closed):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            yield at.problem("ongeldige-datum", ("kalender", "gesloten_dagen", index), {"waarde": text})


def _unique_ids(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    # Facts and derived facts share one namespace: conditions and decisions name both.
    groups = [
        ("feiten", "afgeleide_feiten"),
        ("niveaus",),
        ("organisaties",),
        ("extra_rollen",),
        ("actietypen",),
        ("protocollen",),
        ("regels",),
        ("scenarios",),
        ("eigenschappen",),
    ]
    for group in groups:
        yield from duplicate_ids({section: kaart.section(section) for section in group}, at)
    if not kaart.levels:
        yield at.problem("te-weinig-items", ("niveaus",), {"minimum": "1"})


def duplicate_ids(sections: dict[str, Sequence[Any]], at: Locator) -> Iterator[Problem]:
    """An id used twice within ``sections`` (section key: its items), which share one namespace."""
    first: dict[str, Path] = {}
    for section, items in sections.items():
        for index, item in enumerate(items):
            path = (section, index, "id")
            if item.id in first:
                earlier = at.problem("dubbele-id", first[item.id])
                yield at.problem(
                    "dubbele-id",
                    path,
                    {"soort": Phrase(t.SECTION_PHRASES[section]), "id": item.id, "eerder": str(earlier.line)},
                )
            else:
                first[item.id] = path


def _unknown(at: Locator, path: Path, kind: str, name: str, known: Sequence[str], *, at_key: bool = False) -> Problem:
    return at.problem(
        "onbekende-verwijzing",
        path,
        {"soort": Phrase(kind), "id": name, "suggestie": closest(name, known), "bekend": ", ".join(known) or "-"},
        at_key=at_key,
    )


# --- vocabulary --------------------------------------------------------------------------


def _facts(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    phase_facts: list[str] = []
    for index, fact in enumerate(kaart.facts):
        path: Path = ("feiten", index)
        if isinstance(fact, PhaseFact):
            if phase_facts:
                yield at.problem("meerdere-fasefeiten", (*path, "soort"), {"ander": phase_facts[0]})
            phase_facts.append(fact.id)
        values = getattr(fact, "values", ())
        if isinstance(fact, OrdinalFact) and len(values) < 2:
            yield at.problem(
                "waarden-bij-soort", (*path, "waarden"), {"soort": fact.kind, "regel": Phrase("waarden-ordinaal-twee")}
            )
        seen: set[str] = set()
        for value_index, value in enumerate(values):
            if value in seen:
                yield at.problem("dubbele-waarde", (*path, "waarden", value_index), {"waarde": value})
            seen.add(value)
        for inner, (code, params) in value_issues(fact, fact.default, kaart.level_ids, at, (*path, "standaard")):
            yield at.problem(code, (*path, "standaard", *inner), params)
        if isinstance(fact, OrdinalFact) and fact.time is not None:
            yield from _time_fact(fact, at, path)


def _time_fact(fact: OrdinalFact, at: Locator, path: Path) -> Iterator[Problem]:
    thresholds = fact.time.thresholds if fact.time else ()
    if len(fact.values) != len(thresholds) + 1:
        counts = {"waarden": str(len(fact.values)), "grenzen": str(len(thresholds))}
        yield at.problem("tijdfeit-waarden", (*path, "waarden"), counts)
    if fact.default != fact.values[0]:
        yield at.problem("tijdfeit-standaard", (*path, "standaard"), {"eerste": fact.values[0]})
    for index in range(1, len(thresholds)):
        if _about_days(thresholds[index]) <= _about_days(thresholds[index - 1]):
            yield at.problem("tijdfeit-grenzen", (*path, "tijd", "grenzen", index), {"nummer": str(index + 1)})


def _about_days(term: Term) -> float:
    """A termijn's length in days, about: enough to order thresholds of different units."""
    return term.amount * {"werkdagen": 7 / 5, "kalenderdagen": 1, "weken": 7, "maanden": 30.44}[term.unit]


def _extra_roles(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    for index, role in enumerate(kaart.extra_roles):
        if role.id in t.ROLES:
            yield at.problem("extra-rol-is-ave-rol", ("extra_rollen", index, "id"), {"id": role.id})


def _role_name(kaart: Regiekaart, at: Locator, path: Path, role: str) -> Iterator[Problem]:
    """``role`` named by a reference, an expectation or a property: an AVE role or an extra role."""
    if role not in kaart.role_ids:
        yield _unknown(at, path, "soort-rol", role, kaart.role_ids)


def _levels(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    organisations = [organisation.id for organisation in kaart.organisations]
    protocols = [protocol.id for protocol in kaart.protocols]
    previous = 0
    for index, level in enumerate(kaart.levels):
        path: Path = ("niveaus", index)
        if level.phase < previous:
            yield at.problem(
                "fase-volgorde", (*path, "fase"), {"id": level.id, "fase": str(level.phase), "vorige": str(previous)}
            )
        previous = max(previous, level.phase)
        if (level.closing is not None) != (level.phase == t.CLOSING_PHASE):
            where = (*path, "afsluiting") if level.closing is not None else (*path, "fase")
            yield at.problem("afsluiting-fase", where, {"id": level.id})
        elif level.closing is not None and index > 0:
            yield at.problem(
                "afsluiting-niet-onderaan", (*path, "afsluiting"), {"id": level.id, "laagste": kaart.levels[0].id}
            )
        for role in level.roles.extra:
            if role not in kaart.role_ids:
                yield _unknown(at, (*path, "rollen", role), "soort-rol", role, kaart.role_ids, at_key=True)
        for role in (*t.ROLES, *level.roles.extra):
            for holder_index, holder in enumerate(level.roles.holders(role)):
                if holder not in organisations:
                    yield _unknown(
                        at, (*path, "rollen", role, holder_index), "soort-organisatie", holder, organisations
                    )
        for protocol_index, protocol in enumerate(level.protocols):
            if protocol not in protocols:
                yield _unknown(at, (*path, "protocollen", protocol_index), "soort-protocol", protocol, protocols)


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _action_types(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    for index, action_type in enumerate(kaart.action_types):
        allowed = [
            name
            for name, present in (("doel", action_type.target != "geen"), ("bron", action_type.source is not None))
            if present
        ]
        for name in _PLACEHOLDER.findall(action_type.text):
            if name not in allowed:
                yield at.problem(
                    "onbekende-plaatshouder",
                    ("actietypen", index, "tekst"),
                    {"naam": name, "toegestaan": ", ".join("{" + a + "}" for a in allowed) or "-"},
                )


# --- gegevensdeling ------------------------------------------------------------------------


def _sharing(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    fixed = {*kaart.role_ids, *t.SPECIAL_PARTIES}
    for index, organisation in enumerate(kaart.organisations):
        if organisation.id in fixed:
            yield at.problem("partij-dubbelzinnig", ("organisaties", index, "id"), {"id": organisation.id})
    for index, action_type in enumerate(kaart.action_types):
        if action_type.hand_over and action_type.target != "organisatie":
            yield at.problem(
                "overdracht-zonder-organisatie", ("actietypen", index, "overdracht"), {"id": action_type.id}
            )
    known = {
        "soort-processtap": [step.id for step in kaart.process_steps],
        "soort-informatiecategorie": [category.id for category in kaart.categories],
        "soort-grondslag": [ground.id for ground in kaart.grounds],
        # who may be a party: the organisations, the roles (extra ones too), the inbrenger and the deelnemers
        "soort-partij": [
            *(organisation.id for organisation in kaart.organisations),
            *kaart.role_ids,
            *t.SPECIAL_PARTIES,
        ],
        "soort-actietype": [action_type.id for action_type in kaart.action_types],
    }
    moments = {step.id: step.moment for step in kaart.process_steps}

    def check(path: Path, kind: str, name: str, *, at_key: bool = False) -> Iterator[Problem]:
        if name not in known[kind]:
            yield _unknown(at, path, kind, name, known[kind], at_key=at_key)

    for index, level in enumerate(kaart.levels):
        sharing = level.sharing
        if sharing is None:
            continue
        path: Path = ("niveaus", index, "gegevensdeling")
        yield from _party(kaart, level.id, (*path, "verwerkingsverantwoordelijke"), sharing.controller, at, known)
        if sharing.ground is not None:
            yield from check((*path, "grondslag"), "soort-grondslag", sharing.ground)
        written = "circulated" in sharing.model_fields_set  # else the default, located at the gegevensdeling
        for offset, category in enumerate(sharing.circulated):
            yield from check((*path, "verspreiden", offset) if written else path, "soort-informatiecategorie", category)
        if sharing.informing is not None:
            yield from _condition_problems(
                kaart, sharing.informing.due, (*path, "betrokkene_informeren", "nodig_als"), at
            )
            yield from check((*path, "betrokkene_informeren", "actie"), "soort-actietype", sharing.informing.action)
        for step_id, step in sharing.steps.items():
            step_path = (*path, "stappen", step_id)
            yield from check(step_path, "soort-processtap", step_id, at_key=True)
            on_level = moments.get(step_id) != "uitstroom"  # roles resolve on the level scaled down to
            for share_index, share in enumerate(step.shares):
                share_path = (*step_path, "delen", share_index)
                for offset, category in enumerate(share.categories):
                    yield from check((*share_path, "categorieen", offset), "soort-informatiecategorie", category)
                for offset, party in enumerate(share.recipients):
                    yield from _party(
                        kaart, level.id if on_level else None, (*share_path, "met", offset), party, at, known
                    )
                if share.sender is not None:
                    yield from _party(
                        kaart, level.id if on_level else None, (*share_path, "van"), share.sender, at, known
                    )
                sender = share.sender or sharing.controller
                if sender in share.recipients and sender != "deelnemers":  # the deelnemers share among each other
                    offset = share.recipients.index(sender)
                    yield at.problem("delen-met-zichzelf", (*share_path, "met", offset), {"partij": sender})
                if share.ground is not None:
                    yield from check((*share_path, "grondslag"), "soort-grondslag", share.ground)


def _party(
    kaart: Regiekaart, level_id: str | None, path: Path, party: str, at: Locator, known: dict[str, list[str]]
) -> Iterator[Problem]:
    if party not in known["soort-partij"]:
        yield _unknown(at, path, "soort-partij", party, known["soort-partij"])
    elif level_id is not None and party in kaart.role_ids and not kaart.level_by_id[level_id].roles.holders(party):
        yield at.problem("rol-leeg-op-niveau", path, {"niveau": level_id, "rol": party})


# --- rules -------------------------------------------------------------------------------


def _rules(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    for index, rule in enumerate(kaart.rules):
        path: Path = ("regels", index)
        decided_level_keys = [key for key, _ in _walk(rule.condition, (*path, "als")) if key in ("niveau", "overgang")]
        yield from _condition_problems(kaart, rule.condition, (*path, "als"), at)
        conclusion = rule.conclusion
        if decided_level_keys and (conclusion.derive or conclusion.level):
            yield at.problem("niveau-regel-cyclus", (*path, "dan"), {"sleutel": decided_level_keys[0]})
        yield from _conclusion_problems(kaart, rule.conclusion, (*path, "dan"), at)


def _properties(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    return property_problems(kaart, at, kaart.properties)


def property_problems(kaart: Regiekaart, at: Locator, properties: Sequence[Property]) -> Iterator[Problem]:
    """Every fact, value, level, organisation or action type that ``properties`` (the kaart's own,
    or a norm's, located by ``at``) name and ``kaart`` does not have."""
    facts = {fact.id: fact for fact in kaart.facts}
    action_types = [action_type.id for action_type in kaart.action_types]
    for index, declared in enumerate(properties):
        path: Path = ("eigenschappen", index)
        if isinstance(declared, Monotone | Independent):
            for fact_index, name in enumerate(declared.facts):
                fact_path = (*path, "feiten", fact_index)
                if name not in facts:
                    yield _unknown(at, fact_path, "soort-feit", name, list(facts))
                elif isinstance(declared, Monotone) and facts[name].kind not in ("ja_nee", "ordinaal", "verzameling"):
                    yield at.problem(
                        "eigenschap-feit-soort", fact_path, {"id": declared.id, "feit": name, "soort": facts[name].kind}
                    )
        elif isinstance(declared, LowerBound):
            yield from _condition_problems(kaart, declared.condition, (*path, "als"), at)
            for key, (_, key_path) in _walk(declared.condition, (*path, "als")):
                if key in ("niveau", "overgang"):
                    yield at.problem("eigenschap-niveau-voorwaarde", key_path, {"id": declared.id, "sleutel": key})
            if declared.level not in kaart.level_ids:
                yield _unknown(at, (*path, "niveau"), "soort-niveau", declared.level, list(kaart.level_ids))
        elif isinstance(declared, Exclusive):
            for action_index, name in enumerate(declared.action_types):
                if name not in action_types:
                    yield _unknown(at, (*path, "acties", action_index), "soort-actietype", name, action_types)
        elif isinstance(declared, RoleHolder | RoleOnlyIf):
            # The condition may look at the decided level: the property is about its roles.
            yield from _condition_problems(kaart, declared.condition, (*path, "als"), at)
            yield from _role_name(kaart, at, (*path, "rol"), declared.role)
            organisations = [organisation.id for organisation in kaart.organisations]
            if declared.organisation not in organisations:
                yield _unknown(at, (*path, "organisatie"), "soort-organisatie", declared.organisation, organisations)


def _walk(condition: Condition, path: Path) -> Iterator[tuple[str, tuple[Condition, Path]]]:
    """Every atomic condition below ``condition`` with its path, keyed by its form."""
    if isinstance(condition, AllOf | AnyOf):
        key = "alle" if isinstance(condition, AllOf) else "een_van"
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        for index, part in enumerate(parts):
            yield from _walk(part, (*path, key, index))
    elif isinstance(condition, Not):
        yield from _walk(condition.negated, (*path, "niet"))
    elif isinstance(condition, FactTest):
        yield "feit", (condition, path)
    elif isinstance(condition, DerivedTest):
        yield "afgeleid", (condition, path)
    elif isinstance(condition, LevelTest):
        yield "niveau", (condition, path)
    else:
        yield "overgang", (condition, path)


def _condition_problems(kaart: Regiekaart, condition: Condition, path: Path, at: Locator) -> Iterator[Problem]:
    derived = [fact.id for fact in kaart.derived_facts]
    for _, (atom, atom_path) in _walk(condition, path):
        if isinstance(atom, FactTest):
            yield from _fact_test_problems(kaart, atom, atom_path, at)
        elif isinstance(atom, DerivedTest) and atom.derived not in derived:
            yield _unknown(at, (*atom_path, "afgeleid"), "soort-afgeleid", atom.derived, derived)
        elif isinstance(atom, LevelTest):
            operand = atom.level.operand
            for offset, level_id in _each(operand):
                if level_id not in kaart.level_ids:
                    yield _unknown(
                        at,
                        (*atom_path, "niveau", atom.level.comparison, *offset),
                        "soort-niveau",
                        level_id,
                        kaart.level_ids,
                    )
        elif isinstance(atom, TransitionTest) and kaart.phase_fact is None:
            yield at.problem("geen-fasefeit", (*atom_path, "overgang"), {"sleutel": "overgang"})


def _each(operand: Any) -> Iterator[tuple[tuple[int, ...], Any]]:
    if isinstance(operand, tuple):
        yield from (((index,), value) for index, value in enumerate(operand))
    else:
        yield (), operand


def _fact_test_problems(kaart: Regiekaart, test: FactTest, path: Path, at: Locator) -> Iterator[Problem]:
    fact = kaart.fact_by_id.get(test.fact)
    if fact is None:
        if test.fact in {d.id for d in kaart.derived_facts}:
            yield at.problem("afgeleid-als-feit", (*path, "feit"), {"id": test.fact})
        else:
            yield _unknown(at, (*path, "feit"), "soort-feit", test.fact, [f.id for f in kaart.facts])
        return
    comparison = test.comparison
    allowed = t.COMPARISONS_BY_KIND[fact.kind]
    if comparison not in allowed:
        yield at.problem(
            "vergelijking-past-niet",
            (*path, comparison),
            {"vergelijking": comparison, "feit": fact.id, "soort": fact.kind, "toegestaan": ", ".join(allowed)},
            at_key=True,
        )
        return
    if comparison in t.COUNT_COMPARISONS:
        return
    for offset, value in _each(test.operand):
        where = (*path, comparison, *offset)
        issue = element_issue(fact, value, kaart.level_ids, at.text(where))
        if issue:
            yield at.problem(issue[0], where, issue[1])


def _conclusion_problems(kaart: Regiekaart, conclusion: Any, path: Path, at: Locator) -> Iterator[Problem]:
    derived = [fact.id for fact in kaart.derived_facts]
    for index, name in enumerate(conclusion.derive):
        if name not in derived:
            yield _unknown(at, (*path, "afleiden", index), "soort-afgeleid", name, derived)
    if conclusion.level is not None and conclusion.level not in kaart.level_ids:
        yield _unknown(at, (*path, "niveau"), "soort-niveau", conclusion.level, kaart.level_ids)
    types = {action_type.id: action_type for action_type in kaart.action_types}
    for index, action in enumerate(conclusion.actions):
        action_path = (*path, "acties", index)
        action_type = types.get(action.type)
        if action_type is None:
            yield _unknown(at, (*action_path, "actie"), "soort-actietype", action.type, list(types))
            continue
        yield from _action_problems(kaart, action, action_type, action_path, at)


def _target_ids(kaart: Regiekaart, kind: str) -> tuple[str, Sequence[str]]:
    return {
        "niveau": ("soort-niveau", kaart.level_ids),
        "organisatie": ("soort-organisatie", [o.id for o in kaart.organisations]),
        "protocol": ("soort-protocol", [p.id for p in kaart.protocols]),
        "besluitniveau": ("doelsoort-besluitniveau", t.DECISION_LEVELS),
    }.get(kind, ("doelsoort-geen", ()))


def _action_problems(
    kaart: Regiekaart, action: ActionSpec, action_type: ActionType, path: Path, at: Locator
) -> Iterator[Problem]:
    kind = action_type.target
    expected = Phrase(f"doelsoort-{kind}")
    if kind == "geen":
        if action.target is not None:
            yield at.problem(
                "doel-past-niet",
                (*path, "doel"),
                {"actie": action.type, "verwacht": expected, "detail": Phrase("doel-overbodig")},
                at_key=True,
            )
    elif action.target is None:
        yield at.problem(
            "doel-past-niet", path, {"actie": action.type, "verwacht": expected, "detail": Phrase("doel-ontbreekt")}
        )
    else:
        yield from _target_problems(kaart, action.type, kind, action.target, (*path, "doel"), at)
    if action_type.source is None and action.source is not None:
        yield at.problem(
            "bron-past-niet", (*path, "bron"), {"actie": action.type, "detail": Phrase("bron-overbodig")}, at_key=True
        )
    elif action_type.source is not None and action.source is None:
        yield at.problem("bron-past-niet", path, {"actie": action.type, "detail": Phrase("bron-ontbreekt")})
    elif action.source is not None:
        yield from _target_problems(kaart, action.type, "bron", action.source, (*path, "bron"), at)


def _target_problems(
    kaart: Regiekaart, action: str, kind: str, target: str | Reference, path: Path, at: Locator
) -> Iterator[Problem]:
    """Problems with a target of ``kind`` (a target kind, or "bron" for a source organisation)."""
    is_source = kind == "bron"
    kind = "organisatie" if is_source else kind
    if isinstance(target, str):
        label, known = _target_ids(kaart, kind)
        if target not in known:
            yield _unknown(at, path, label, target, known)
        return
    by_role = kind == "organisatie"
    if (
        kind not in ("niveau", "organisatie")
        or by_role != (target.role is not None)
        or (target.fallback and not target.role)
    ):
        if is_source:
            yield at.problem("bron-past-niet", path, {"actie": action, "detail": Phrase("bron-vorm")})
        else:
            detail = Phrase("doel-rol-vorm" if by_role else "doel-verwijzing-vorm")
            yield at.problem(
                "doel-past-niet", path, {"actie": action, "verwacht": Phrase(f"doelsoort-{kind}"), "detail": detail}
            )
    for key, role in (("rol", target.role), ("anders", target.fallback)):
        if role is not None:
            yield from _role_name(kaart, at, (*path, key), role)
    if target.level == "huidig" and kaart.phase_fact is None:
        yield at.problem("geen-fasefeit", (*path, "niveau"), {"sleutel": "niveau: huidig"})


def _derived_cycles(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    """A derived fact may not depend, through the rules that derive it, on itself."""
    depends: dict[str, set[str]] = {fact.id: set() for fact in kaart.derived_facts}
    first_rule: dict[str, int] = {}
    for index, rule in enumerate(kaart.rules):
        uses = {atom.derived for key, (atom, _) in _walk(rule.condition, ()) if isinstance(atom, DerivedTest)}
        for name in rule.conclusion.derive:
            depends.setdefault(name, set()).update(uses)
            first_rule.setdefault(name, index)
    for cycle in _cycles(depends):
        yield at.problem(
            "afgeleid-cyclus",
            ("regels", first_rule[cycle[0]], "dan", "afleiden"),
            {"kring": " → ".join([*cycle, cycle[0]])},
        )


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """One cycle per strongly connected group of nodes that can reach itself (iterative)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(graph):
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.get(start, ()))))]
        state[start] = 1
        path.append(start)
        while stack:
            node, successors = stack[-1]
            successor = next(successors, None)
            if successor is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(successor) == 1:
                yield path[path.index(successor) :]
            elif successor not in state:
                state[successor] = 1
                path.append(successor)
                stack.append((successor, iter(sorted(graph.get(successor, ())))))


# --- scenarios ---------------------------------------------------------------------------


def _scenarios(kaart: Regiekaart, at: Locator) -> Iterator[Problem]:
    return scenario_definition_problems(kaart, kaart.scenarios, at)


def scenario_definition_problems(kaart: Regiekaart, scenarios: Sequence[Scenario], at: Locator) -> Iterator[Problem]:
    """Every fact, level, organisation or action in ``scenarios`` (the ``scenarios`` list of the
    document ``at`` locates in) that ``kaart`` does not know or that is not a value it allows."""
    facts = kaart.fact_by_id
    derived = [fact.id for fact in kaart.derived_facts]
    organisations = [organisation.id for organisation in kaart.organisations]
    types = {action_type.id: action_type for action_type in kaart.action_types}
    for index, scenario in enumerate(scenarios):
        path: Path = ("scenarios", index)
        for name, value in scenario.facts.items():
            fact: AnyFact | None = facts.get(name)
            if fact is None:
                yield _unknown(at, (*path, "feiten", name), "soort-feit", name, list(facts), at_key=True)
                continue
            given: Any = list(value) if isinstance(fact, SetFact) and isinstance(value, tuple) else value
            for inner, (code, params) in value_issues(fact, given, kaart.level_ids, at, (*path, "feiten", name)):
                yield at.problem(code, (*path, "feiten", name, *inner), params)
        expected = scenario.expected
        expected_path = (*path, "verwacht")
        if expected.level not in kaart.level_ids:
            yield _unknown(at, (*expected_path, "niveau"), "soort-niveau", expected.level, kaart.level_ids)
        for role, wanted in (expected.roles.given() if expected.roles else {}).items():
            if role not in kaart.role_ids:
                yield _unknown(at, (*expected_path, "rollen", role), "soort-rol", role, kaart.role_ids, at_key=True)
                continue
            for holder_index, holder in enumerate(wanted):
                if holder not in organisations:
                    yield _unknown(
                        at, (*expected_path, "rollen", role, holder_index), "soort-organisatie", holder, organisations
                    )
        for name_index, name in enumerate(expected.derived or ()):
            if name not in derived:
                yield _unknown(at, (*expected_path, "afgeleid", name_index), "soort-afgeleid", name, derived)
        for action_index, outcome in enumerate(expected.actions or ()):
            yield from _outcome_problems(kaart, outcome, types, (*expected_path, "acties", action_index), at)


def _outcome_problems(
    kaart: Regiekaart, outcome: Any, types: dict[str, ActionType], path: Path, at: Locator
) -> Iterator[Problem]:
    action_type = types.get(outcome.type)
    if action_type is None:
        yield _unknown(at, (*path, "actie"), "soort-actietype", outcome.type, list(types))
        return
    spec = ActionSpec.model_validate(
        {
            key: value
            for key, value in (("actie", outcome.type), ("doel", outcome.target), ("bron", outcome.source))
            if value is not None
        }
    )
    yield from _action_problems(kaart, spec, action_type, path, at)
