"""The durable-rules engine and the reference evaluator give the same outcome, on random kaarten
and random cases. This is how the project knows the compiled rulesets are right.

Making a random kaart (drawing it, writing it as YAML, loading it) costs some fifty times more
than compiling it and deciding a case, so each random kaart is put to many cases: a compiled
condition is only tested when cases fall on both sides of it. Constructs that random kaarten
have only now and then (``aantal_is``, ``overgang: blijft``) are all in one fixed kaart, compiled
once and put to many cases in every run."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules import _terms as t
from ave_rules.engine import _durable as durable_engine
from ave_rules.engine import complete
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.kaart import FactTest, LevelTest, TransitionTest, atoms
from ave_rules.testing.strategies import case_facts, kaart_documents

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules cannot be imported here")

#: libyaml's emitter: for these documents the same text as yaml.safe_dump, several times faster.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _load(document: dict[str, Any]) -> ave_rules.Regiekaart:
    return ave_rules.loads(yaml.dump(document, Dumper=DUMPER, allow_unicode=True), name="gegenereerd.yaml")


def _agree(
    kaart: ave_rules.Regiekaart, engine: durable_engine.DurableEngine, cases: Iterable[Mapping[str, Any]]
) -> None:
    for facts in cases:
        full, _ = complete(kaart, facts)
        assert engine.outcome(full) == reference_evaluate(kaart, full)


@settings(max_examples=examples(100, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_durable_and_reference_agree_on_random_kaarten(data: st.DataObject) -> None:
    kaart = _load(data.draw(kaart_documents(), label="kaart"))
    engine = durable_engine.DurableEngine(kaart)
    _agree(kaart, engine, data.draw(st.lists(case_facts(kaart), min_size=10, max_size=30), label="cases"))


@settings(max_examples=examples(40, 120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_durable_and_reference_agree_on_larger_kaarten(data: st.DataObject) -> None:
    document = data.draw(kaart_documents(max_facts=8, max_derived=6, max_rules=20), label="kaart")
    kaart = _load(document)
    engine = durable_engine.DurableEngine(kaart)
    _agree(kaart, engine, data.draw(st.lists(case_facts(kaart), min_size=5, max_size=25), label="cases"))


# --- every construct, in one kaart ---------------------------------------------------------------

LEVELS = ("1", "2", "3a", "3b", "4", "5")
ACTION_TYPES = [
    {"id": "naar_niveau", "doel": "niveau", "tekst": "Naar {doel}."},
    {"id": "bij_organisatie", "doel": "organisatie", "tekst": "Bij {doel}."},
    {"id": "overdracht", "doel": "organisatie", "bron": "organisatie", "tekst": "Van {bron} naar {doel}."},
    {"id": "protocol", "doel": "protocol", "tekst": "Start {doel}."},
    {"id": "escaleren", "doel": "besluitniveau", "tekst": "Naar {doel}."},
    {"id": "informeren", "doel": "geen", "tekst": "Informeer."},
]
ACTIONS: list[dict[str, str | dict[str, str]]] = [
    {"actie": "naar_niveau", "doel": "5"},
    {"actie": "naar_niveau", "doel": {"niveau": "nieuw"}},
    {"actie": "naar_niveau", "doel": {"niveau": "huidig"}},
    {"actie": "bij_organisatie", "doel": "o0"},
    {"actie": "bij_organisatie", "doel": {"niveau": "nieuw", "rol": "procesregie", "anders": "casusregie"}},
    {"actie": "overdracht", "bron": {"niveau": "huidig", "rol": "casusregie"}, "doel": "o1"},
    {"actie": "protocol", "doel": "p0"},
    {"actie": "escaleren", "doel": "bestuur"},
    {"actie": "informeren"},
]


def every_construct_document() -> dict[str, Any]:
    """A kaart with every comparison on every fact kind, every level comparison and transition,
    every condition form, derived facts that build on each other, and every kind of action target."""
    facts: list[dict[str, Any]] = [
        {"id": "j", "soort": "ja_nee", "standaard": False},
        {"id": "k", "soort": "keuze", "waarden": ["w0", "w1", "w2"], "standaard": "w0"},
        {"id": "o", "soort": "ordinaal", "waarden": ["w0", "w1", "w2", "w3"], "standaard": "w0"},
        {"id": "v", "soort": "verzameling", "waarden": ["w0", "w1", "w2"], "standaard": []},
        {"id": "f", "soort": "fase", "standaard": t.NO_PHASE},
    ]
    # Derived facts that build on each other, and every level proposed by a condition that the
    # default facts do not meet, so that cases reach every level.
    rules: list[dict[str, Any]] = [
        {"als": {"feit": "v", "aantal_minstens": 2}, "dan": {"afleiden": ["d0"]}},
        {
            "als": {
                "een_van": [
                    {"afgeleid": "d0"},
                    {"alle": [{"feit": "j", "is": True}, {"niet": {"feit": "k", "is": "w0"}}]},
                ]
            },
            "dan": {"afleiden": ["d1"], "niveau": "2"},
        },
        {"als": {"feit": "k", "is_een_van": ["w1", "w2"]}, "dan": {"niveau": "3a"}},
        {"als": {"alle": [{"afgeleid": "d1"}, {"feit": "o", "minstens": "w2"}]}, "dan": {"niveau": "3b"}},
        {"als": {"alle": [{"afgeleid": "d0"}, {"niet": {"feit": "f", "hoogstens": "3a"}}]}, "dan": {"niveau": "4"}},
        {
            "als": {
                "een_van": [{"feit": "o", "is": "w3"}, {"alle": [{"afgeleid": "d1"}, {"feit": "v", "bevat": "w2"}]}]
            },
            "dan": {"niveau": "5"},
        },
    ]
    # Every comparison on every kind of fact, every level comparison and every transition, each
    # in a rule of its own with an action of its own.
    for fact in facts:
        kind = fact["soort"]
        domain = [False, True] if kind == "ja_nee" else [t.NO_PHASE, *LEVELS] if kind == "fase" else fact["waarden"]
        for comparison in t.COMPARISONS_BY_KIND[kind]:
            operand: object
            if comparison in t.COUNT_COMPARISONS:
                operand = 1
            elif comparison in t.LIST_COMPARISONS:
                operand = [domain[1], domain[2]]
            else:
                operand = domain[1]
            rules.append(
                {"als": {"feit": fact["id"], comparison: operand}, "dan": {"acties": [ACTIONS[len(rules) % 9]]}}
            )
    looking_at_the_level: list[dict[str, Any]] = [
        {"niveau": {c: ["2", "3b"] if c == "is_een_van" else "3a"}} for c in t.LEVEL_COMPARISONS
    ]
    looking_at_the_level += [{"overgang": name} for name in t.TRANSITIONS]
    looking_at_the_level.append({"niet": {"een_van": [{"niveau": {"is": "1"}}, {"overgang": "blijft"}]}})
    for index, condition in enumerate(looking_at_the_level):
        rules.append({"als": condition, "dan": {"acties": [ACTIONS[index % len(ACTIONS)]]}})
    rules = [copy.deepcopy(rule) for rule in rules]  # YAML would write a shared action once, as an alias
    for index, rule in enumerate(rules):
        rule.update(id=f"r{index}", toelichting=f"Regel r{index}.")
    return {
        "formaat": 1,
        "id": "elke-vorm",
        "naam": "Elke vorm",
        "versie": "1",
        "geldig_vanaf": "2025-01-01",
        "feiten": [{**fact, "omschrijving": f"Feit {fact['id']}."} for fact in facts],
        "afgeleide_feiten": [{"id": name, "omschrijving": f"Afgeleid {name}."} for name in ("d0", "d1")],
        "niveaus": [
            {
                "id": level_id,
                "fase": phase,
                "kleur": t.COLOURS[index % len(t.COLOURS)],
                "naam": f"Niveau {level_id}",
                "omschrijving": f"Niveau {level_id}.",
                # No procesregie below 3a: the action that asks for it falls back to casusregie.
                "rollen": {
                    role: [] if role == "procesregie" and index < 2 else ["o0", "o1"][: 1 + index % 2]
                    for role in t.ROLES
                },
            }
            for index, (level_id, phase) in enumerate(zip(LEVELS, (1, 2, 3, 3, 4, 4), strict=True))
        ],
        "organisaties": [{"id": name, "naam": f"Organisatie {name}"} for name in ("o0", "o1")],
        "actietypen": [
            {**action_type, "naam": action_type["id"], "omschrijving": f"{action_type['id']}."}
            for action_type in ACTION_TYPES
        ],
        "protocollen": [{"id": "p0", "naam": "Protocol 0"}],
        "regels": rules,
    }


@functools.cache
def _every_construct() -> tuple[ave_rules.Regiekaart, durable_engine.DurableEngine]:
    kaart = _load(every_construct_document())
    return kaart, durable_engine.DurableEngine(kaart)


def _forms(condition: object) -> Iterator[str]:
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key in t.CONDITION_FORMS:
                yield key
            yield from _forms(value)
    elif isinstance(condition, list):
        for part in condition:
            yield from _forms(part)


def test_the_every_construct_kaart_has_every_construct() -> None:
    document = every_construct_document()
    kaart, _ = _every_construct()
    tests = [atom for rule in kaart.rules for atom in atoms(rule.condition)]
    kinds = {fact.id: fact.kind for fact in kaart.facts}
    assert {(kinds[a.fact], a.comparison) for a in tests if isinstance(a, FactTest)} == {
        (kind, comparison) for kind, comparisons in t.COMPARISONS_BY_KIND.items() for comparison in comparisons
    }
    assert {a.level.comparison for a in tests if isinstance(a, LevelTest)} == set(t.LEVEL_COMPARISONS)
    assert {a.transition for a in tests if isinstance(a, TransitionTest)} == set(t.TRANSITIONS)
    assert set(_forms([rule["als"] for rule in document["regels"]])) == set(t.CONDITION_FORMS)
    assert {action_type["id"] for action_type in ACTION_TYPES} == {action["actie"] for action in ACTIONS}


@settings(max_examples=examples(200, 500), deadline=None)
@given(st.data())
def test_durable_and_reference_agree_on_every_construct(data: st.DataObject) -> None:
    kaart, engine = _every_construct()
    _agree(kaart, engine, [data.draw(case_facts(kaart), label="case")])
