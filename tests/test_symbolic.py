"""The kaart as BDDs (``ave_rules.analysis._symbolic``) means what the reference evaluator computes: checked
at random points of random kaarten, and by counting the whole fact space.

A random kaart costs a hundred times more to make (draw, write, load) than a point costs to
check, so each random kaart is checked at many points; constructs that random kaarten have only
now and then are all in one fixed kaart (from test_engines_agree), checked at many points in
every run."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engines_agree import every_construct_document

import ave_rules
from ave_rules.analysis._symbolic import SymbolicKaart
from ave_rules.engine import complete
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.kaart import BooleanFact, SetFact, fact_values
from ave_rules.testing.strategies import case_facts, kaart_documents

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml", engine="reference")
GENERIC_SYMBOLIC = SymbolicKaart(GENERIC)
#: libyaml's emitter: for generated kaarten the same text as yaml.safe_dump, several times faster.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _agrees(symbolic: SymbolicKaart, facts: dict[str, Any]) -> None:
    kaart, space = symbolic.kaart, symbolic.space
    full, _ = complete(kaart, facts)
    outcome = reference_evaluate(kaart, full)
    assert [level for level, cases in symbolic.level.items() if space.holds_at(cases, full)] == [outcome.level]
    assert tuple(i for i, cases in enumerate(symbolic.fires) if space.holds_at(cases, full)) == outcome.fired
    assert {d.id for d in kaart.derived_facts if space.holds_at(symbolic.derived(d.id), full)} == outcome.derived
    assert {key for key, cases in symbolic.actions.items() if space.holds_at(cases, full)} == set(outcome.actions)


@settings(max_examples=examples(20, 120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_functions_match_the_reference_evaluator_on_random_kaarten(data: st.DataObject) -> None:
    document = data.draw(kaart_documents(), label="kaart")
    text = yaml.dump(document, Dumper=DUMPER, allow_unicode=True)
    kaart = ave_rules.loads(text, name="gegenereerd.yaml", engine="reference")
    symbolic = SymbolicKaart(kaart)
    for facts in data.draw(st.lists(case_facts(kaart), min_size=10, max_size=30), label="cases"):
        _agrees(symbolic, facts)


@settings(max_examples=examples(200, 400), deadline=None)
@given(case_facts(GENERIC))
def test_functions_match_the_reference_evaluator_on_the_generic_kaart(facts: dict[str, Any]) -> None:
    _agrees(GENERIC_SYMBOLIC, facts)


EVERY_CONSTRUCT = ave_rules.loads(
    yaml.dump(every_construct_document(), Dumper=DUMPER, allow_unicode=True), name="elke-vorm.yaml", engine="reference"
)
EVERY_CONSTRUCT_SYMBOLIC = SymbolicKaart(EVERY_CONSTRUCT)


@settings(max_examples=examples(200, 400), deadline=None)
@given(case_facts(EVERY_CONSTRUCT))
def test_functions_match_the_reference_evaluator_on_every_construct(facts: dict[str, Any]) -> None:
    _agrees(EVERY_CONSTRUCT_SYMBOLIC, facts)


def test_the_space_is_every_combination_of_fact_values_and_the_levels_partition_it() -> None:
    symbolic = SymbolicKaart(GENERIC)
    space = symbolic.space
    expected = math.prod(
        2 ** len(fact.values) if isinstance(fact, SetFact) else 2 if isinstance(fact, BooleanFact) else len(values)
        for fact in GENERIC.facts
        for values in [fact_values(fact, GENERIC.level_ids)]
    )
    assert space.size == expected == 1_739_461_754_880
    assert sum(space.count(cases) for cases in symbolic.level.values()) == expected


def test_example_cases_change_as_few_facts_as_possible() -> None:
    symbolic = SymbolicKaart(GENERIC)
    # Level 3b needs complex, the zvh-poort and a lokaal-tenzij reason; the fewest changes:
    # two leefgebieden, two kolommen, dwang/drang, overlast, impact (C) or area problem (D), and
    # stagnatie (complex and lokaal-tenzij at once).
    example = symbolic.space.example(symbolic.level["3b"])
    assert example is not None
    full, _ = complete(GENERIC, example)
    assert reference_evaluate(GENERIC, full).level == "3b"
    assert len(example) == 6
    assert symbolic.space.example(symbolic.level["1"]) == {}  # the defaults themselves
