"""Every bundled kaart's scenarios get the outcome their authors state, on both evaluators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import ave_rules
from ave_rules import _terms as terms
from ave_rules.engine import ScenarioResult, run_scenarios
from ave_rules.engine import _durable as durable_engine

ROOT = Path(__file__).resolve().parents[1]
KAARTEN = [*sorted((ROOT / "regiekaarten").glob("*.yaml")), ROOT / "docs" / "voorbeelden" / "kleine-kaart.yaml"]
ENGINES = ["durable-rules", "reference"] if durable_engine.available() else ["reference"]


def _cases() -> Iterator[pytest.ParameterSet]:
    for engine in ENGINES:
        for path in KAARTEN:
            kaart = ave_rules.load(path, engine=engine)
            assert kaart.engine == engine
            for result in run_scenarios(kaart):
                yield pytest.param(result, id=f"{engine}:{path.stem}:{result.scenario.id}")


@pytest.mark.parametrize("result", list(_cases()))
def test_scenario_outcome(result: ScenarioResult) -> None:
    assert result.passed, "\n".join(f"{m.aspect}: verwacht {m.expected}, kreeg {m.actual}" for m in result.mismatches)


def test_generic_kaart_scenarios_cover_every_level_and_every_produced_action_type() -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
    results = run_scenarios(kaart)
    assert {r.decision.level for r in results} == set(kaart.level_ids)
    produced = {action.type for r in results for action in r.decision.actions}
    emitted_by_rules = {spec.type for rule in kaart.rules for spec in rule.conclusion.actions}
    assert produced == emitted_by_rules
    # Every declared action type is produced by some scenario; terugverwijzen too since issue 17 (the
    # ZVH triage's "not for us, back to local").
    assert {a.id for a in kaart.action_types} - produced == set()


def test_generic_kaart_vocabulary_is_the_public_contract() -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
    assert kaart.level_ids == ("1", "2", "3a", "3b", "4")
    assert [level.phase for level in kaart.levels] == [1, 2, 3, 3, 4]
    assert [level.colour for level in kaart.levels] == ["groen", "geel", "oranje", "rood", "donkerrood"]
    roles = {level.id: {role: list(level.roles.holders(role)) for role in terms.ROLES} for level in kaart.levels}
    assert roles == {
        "1": {
            "casusregie": ["huishouden"],
            "procesregie": [],
            "operationele_verantwoordelijkheid": ["basisvoorzieningen"],
            "bestuurlijke_verantwoordelijkheid": ["wethouder"],
        },
        "2": {
            "casusregie": ["wijkteam"],
            "procesregie": [],
            "operationele_verantwoordelijkheid": ["zorgaanbieders"],
            "bestuurlijke_verantwoordelijkheid": ["wethouder"],
        },
        "3a": {
            "casusregie": ["wijkteam"],
            "procesregie": ["gemeente"],
            "operationele_verantwoordelijkheid": ["ketenpartners"],
            "bestuurlijke_verantwoordelijkheid": ["wethouder", "burgemeester"],
        },
        "3b": {
            "casusregie": ["ketenpartners"],
            "procesregie": ["zvh"],
            "operationele_verantwoordelijkheid": ["ketenpartners"],
            "bestuurlijke_verantwoordelijkheid": ["burgemeester", "wethouder"],
        },
        "4": {
            "casusregie": ["crisisdiensten"],
            "procesregie": ["gemeente"],
            "operationele_verantwoordelijkheid": ["crisisdiensten", "ketenpartners"],
            "bestuurlijke_verantwoordelijkheid": ["burgemeester"],
        },
    }
    assert {o.id for o in kaart.organisations} == {
        "huishouden",
        "basisvoorzieningen",
        "wijkteam",
        "zorgaanbieders",
        "gemeente",
        "ketenpartners",
        "zvh",
        "crisisdiensten",
        "veilig_thuis",
        "wethouder",
        "burgemeester",
    }
    assert {a.id: a.target for a in kaart.action_types} == {
        "opschalen": "niveau",
        "afschalen": "niveau",
        "escaleer_besluitniveau": "besluitniveau",
        "advies_vragen": "organisatie",
        "aanmelden": "organisatie",
        "terugverwijzen": "organisatie",
        "warme_overdracht": "organisatie",
        "betrek": "organisatie",
        "informeer_betrokkene": "geen",
        "activeer_protocol": "protocol",
    }
    facts = {f.id: (f.kind, getattr(f, "values", None), f.default) for f in kaart.facts}
    assert facts["huidige_fase"] == ("fase", None, "geen")
    assert facts["zelfregie"] == ("ordinaal", ("volledig", "beperkt", "onvoldoende", "afwezig"), "volledig")
    assert facts["veiligheidsrisico"] == (
        "ordinaal",
        ("geen", "zorgen", "multiprobleem", "structureel", "acuut"),
        "geen",
    )
    assert facts["risico_voor_omgeving"] == ("ordinaal", ("geen", "laag", "hoog"), "geen")
    assert facts["maatschappelijke_onrust"] == ("ordinaal", ("geen", "dreigend", "manifest"), "geen")
    assert facts["kolommen"] == ("verzameling", ("zorg", "veiligheid", "bestuur"), ())
    assert facts["verzoek"] == ("keuze", ("geen", "advies", "aanmelding"), "geen")
    assert facts["betrokkene_geinformeerd"] == (
        "keuze",
        ("ja", "nee", "uitgezonderd_strafonderzoek", "uitgezonderd_veiligheid"),
        "ja",
    )
    assert facts["leefgebieden"][1] is not None and len(facts["leefgebieden"][1]) == 13
    booleans = {name: default for name, (kind, _, default) in facts.items() if kind == "ja_nee"}
    assert booleans == dict.fromkeys(
        [
            "hulpvraag",
            "openbare_orde_verstoord",
            "acute_crisis",
            "stagnatie",
            "dwang_drang_nodig",
            "strafrechtelijk_kader",
            "overlast_of_criminaliteit",
            "impact_op_omgeving",
            "gebiedsgebonden_veiligheidsprobleem",
            "gemeente_overstijgend",
            "specifieke_expertise_nodig",
        ],
        False,
    )
