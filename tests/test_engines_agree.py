"""The durable-rules engine and the reference evaluator give the same outcome, on random kaarten
and random cases. This is how the project knows the compiled rulesets are right."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules import durable_engine
from ave_rules.outcome import complete
from ave_rules.reference import evaluate as reference_evaluate
from ave_rules.strategies import case_facts, kaart_documents

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules cannot be imported here")


def _load(document):
    return ave_rules.loads(yaml.safe_dump(document, allow_unicode=True), name="gegenereerd.yaml")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_durable_and_reference_agree_on_random_kaarten(data):
    kaart = _load(data.draw(kaart_documents(), label="kaart"))
    engine = durable_engine.DurableEngine(kaart)
    for facts in data.draw(st.lists(case_facts(kaart), min_size=1, max_size=8), label="cases"):
        full, _ = complete(kaart, facts)
        assert engine.outcome(full) == reference_evaluate(kaart, full)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_durable_and_reference_agree_on_larger_kaarten(data):
    document = data.draw(kaart_documents(max_facts=8, max_derived=6, max_rules=20), label="kaart")
    kaart = _load(document)
    engine = durable_engine.DurableEngine(kaart)
    for facts in data.draw(st.lists(case_facts(kaart), min_size=1, max_size=20), label="cases"):
        full, _ = complete(kaart, facts)
        assert engine.outcome(full) == reference_evaluate(kaart, full)
