"""``ave_rules.check``: each finding on a kaart made to trigger it, examples the engine confirms,
and agreement with brute-force enumeration of small kaarten."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, assume, given, settings

import ave_rules
from ave_rules import Language
from ave_rules.analysis import Finding, check
from ave_rules.cli import main
from ave_rules.engine import ActionKey, expand
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.kaart import BooleanFact, SetFact, fact_values
from ave_rules.testing.strategies import kaart_documents

ROOT = Path(__file__).resolve().parents[1]

BASE = yaml.safe_load(
    """
formaat: 1
id: proef
naam: Proefkaart
versie: "1"
geldig_vanaf: "2025-01-01"
feiten:
  - {id: zorg, omschrijving: Er zijn zorgen., soort: ja_nee, standaard: false}
  - {id: onrust, omschrijving: Onrust., soort: ordinaal, waarden: [geen, dreigend, manifest], standaard: geen}
  - {id: kolommen, omschrijving: Kolommen., soort: verzameling, waarden: [zorg, veiligheid, bestuur], standaard: []}
  - {id: fase, omschrijving: Huidige fase., soort: fase, standaard: geen}
afgeleide_feiten:
  - {id: breed, omschrijving: Twee of meer kolommen.}
niveaus:
  - id: "1"
    fase: 1
    kleur: groen
    naam: Zelf
    omschrijving: Zelfregie.
    rollen: {casusregie: [huis], procesregie: [], operationele_verantwoordelijkheid: [huis], bestuurlijke_verantwoordelijkheid: [wethouder]}
  - id: "2"
    fase: 2
    kleur: geel
    naam: Regulier
    omschrijving: Regulier.
    rollen: {casusregie: [team], procesregie: [], operationele_verantwoordelijkheid: [team], bestuurlijke_verantwoordelijkheid: [wethouder]}
  - id: "3"
    fase: 3
    kleur: oranje
    naam: Complex
    omschrijving: Complex.
    rollen: {casusregie: [team], procesregie: [gemeente], operationele_verantwoordelijkheid: [team], bestuurlijke_verantwoordelijkheid: [wethouder]}
organisaties:
  - {id: huis, naam: Huishouden}
  - {id: team, naam: Wijkteam}
  - {id: gemeente, naam: Gemeente}
  - {id: wethouder, naam: Wethouder}
actietypen:
  - {id: opschalen, naam: Opschalen, omschrijving: Opschalen., doel: niveau, tekst: "Schaal op naar {doel}."}
  - {id: afschalen, naam: Afschalen, omschrijving: Afschalen., doel: niveau, tekst: "Schaal af naar {doel}."}
regels:
  - {id: breed, toelichting: Breed., als: {feit: kolommen, aantal_minstens: 2}, dan: {afleiden: [breed]}}
  - {id: niveau-2, toelichting: Zorgen., als: {feit: zorg, is: true}, dan: {niveau: "2"}}
  - {id: niveau-3, toelichting: Breed en onrust., als: {alle: [{afgeleid: breed}, {feit: onrust, minstens: dreigend}]}, dan: {niveau: "3"}}
  - {id: op, toelichting: Op., als: {overgang: opschalen}, dan: {acties: [{actie: opschalen, doel: {niveau: nieuw}}]}}
  - {id: af, toelichting: Af., als: {overgang: afschalen}, dan: {acties: [{actie: afschalen, doel: {niveau: nieuw}}]}}
"""
)


#: libyaml's emitter: for these documents the same text as yaml.safe_dump, several times faster.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(document: dict[str, Any]) -> ave_rules.Regiekaart:
    return ave_rules.loads(yaml.dump(document, Dumper=DUMPER, allow_unicode=True, sort_keys=False), name="proef.yaml")


def variant(change: Callable[[dict[str, Any]], object]) -> ave_rules.Regiekaart:
    document = copy.deepcopy(BASE)
    change(document)
    return load(document)


def codes(kaart: ave_rules.Regiekaart) -> list[tuple[str, tuple[str, ...]]]:
    return [(finding.code, finding.ids) for finding in check(kaart).findings]


def test_the_base_kaart_is_clean() -> None:
    assert codes(load(BASE)) == []


def test_a_rule_that_can_never_fire() -> None:
    kaart = variant(
        lambda d: d["regels"][1].update(als={"alle": [{"feit": "zorg", "is": True}, {"feit": "zorg", "is": False}]})
    )
    report = check(kaart)
    assert ("regel-vuurt-nooit", ("niveau-2",)) in codes(kaart)
    assert ("niveau-onbereikbaar", ("2",)) in codes(kaart)
    finding = next(f for f in report.findings if f.code == "regel-vuurt-nooit")
    assert (finding.problem.line, finding.problem.path) == (kaart.position(("regels", 1))[1], "/regels/1")
    assert not report.clean


def test_a_level_rule_always_overruled_with_an_example_the_engine_confirms() -> None:
    # Level 2 for "onrust at least dreigend and breed": the level-3 rule always wins there.
    kaart = variant(
        lambda d: d["regels"][1].update(
            als={"alle": [{"afgeleid": "breed"}, {"feit": "onrust", "minstens": "manifest"}]}
        )
    )
    finding = next(f for f in check(kaart).findings if f.code == "regel-altijd-overstemd")
    assert finding.ids == ("niveau-2",) and finding.severity == "waarschuwing"
    assert finding.example is not None and finding.example.keys() == {"onrust", "kolommen"}
    assert finding.example["onrust"] == "manifest" and len(finding.example["kolommen"]) == 2
    decision = kaart.evaluate(finding.example)
    assert "niveau-2" in [entry.rule for entry in decision.trace] and decision.level == "3"


def test_a_redundant_rule() -> None:
    kaart = variant(
        lambda d: d["regels"].append(
            {
                "id": "ook-breed",
                "toelichting": "Ook.",
                "als": {"feit": "kolommen", "aantal_minstens": 3},
                "dan": {"afleiden": ["breed"]},
            }
        )
    )
    finding = next(f for f in check(kaart).findings if f.code == "regel-overbodig")
    assert finding.ids == ("ook-breed",)
    assert finding.example == {"kolommen": ["zorg", "veiligheid", "bestuur"]}
    assert "ook-breed" in [entry.rule for entry in kaart.evaluate(finding.example).trace]


def test_roles_casusregie_and_unused_vocabulary() -> None:
    def change(d: dict[str, Any]) -> None:
        d["niveaus"][2]["rollen"]["casusregie"] = ["team", "gemeente"]
        d["niveaus"][2]["rollen"]["procesregie"] = []
        d["organisaties"].append({"id": "politie", "naam": "Politie"})
        d["feiten"].append({"id": "stil", "omschrijving": "Niet gebruikt.", "soort": "ja_nee", "standaard": False})
        d["actietypen"].append({"id": "bel", "naam": "Bel", "omschrijving": "Bel.", "doel": "geen", "tekst": "Bel."})

    found = codes(variant(change))
    assert ("casusregie-niet-een", ("3",)) in found
    assert ("rol-zonder-houder", ("3", "procesregie")) in found
    assert ("organisatie-ongebruikt", ("politie",)) in found
    assert ("feit-ongebruikt", ("stil",)) in found
    assert ("actietype-ongebruikt", ("bel",)) in found


def test_contradictory_level_actions_in_one_decision() -> None:
    kaart = variant(
        lambda d: d["regels"].append(
            {
                "id": "altijd-af",
                "toelichting": "Fout.",
                "als": {"feit": "onrust", "is": "manifest"},
                "dan": {"acties": [{"actie": "afschalen", "doel": "1"}]},
            }
        )
    )
    finding = next(f for f in check(kaart).findings if f.code == "niveau-acties-tegenstrijdig")
    assert finding.example is not None
    decision = kaart.evaluate(finding.example)
    kinds = {(action.type, action.target) for action in decision.actions}
    assert {("afschalen", "1")} < kinds and any(kind == "opschalen" for kind, _ in kinds)


def test_failing_scenario_is_a_finding() -> None:
    def change(d: dict[str, Any]) -> None:
        d["scenarios"] = [
            {"id": "fout", "omschrijving": "Verkeerd.", "feiten": {"zorg": True}, "verwacht": {"niveau": "3"}}
        ]

    assert ("scenario-wijkt-af", ("fout",)) in codes(variant(change))


def test_bundled_kaarten_have_no_errors_and_check_in_well_under_five_seconds() -> None:
    for path in sorted((ROOT / "regiekaarten").glob("*.yaml")):
        report = check(ave_rules.load(path))
        assert report.clean, [str(f.problem) for f in report.errors]


def test_check_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "regiekaarten")]) == 0
    broken = copy.deepcopy(BASE)
    broken["regels"][1]["als"] = {"alle": [{"feit": "zorg", "is": True}, {"niet": {"feit": "zorg", "is": True}}]}
    path = tmp_path / "kapot.yaml"
    path.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:" in out and "[fout]" in out and "regel 'niveau-2'" in out
    assert main(["check", "--format", "github", str(path)]) == 1
    assert "::error file=" in capsys.readouterr().out


# --- brute force over small kaarten -------------------------------------------------------------


def _every_case(kaart: ave_rules.Regiekaart) -> Iterator[dict[str, Any]]:
    domains: list[list[Any]] = []
    for fact in kaart.facts:
        if isinstance(fact, SetFact):
            subsets = [
                frozenset(c) for size in range(len(fact.values) + 1) for c in itertools.combinations(fact.values, size)
            ]
            domains.append(subsets)
        elif isinstance(fact, BooleanFact):
            domains.append([False, True])
        else:
            domains.append(list(fact_values(fact, kaart.level_ids)))
    for values in itertools.product(*domains):
        yield dict(zip((fact.id for fact in kaart.facts), values, strict=True))


def _changed(kaart: ave_rules.Regiekaart, case: Mapping[str, Any]) -> int:
    return sum(case[name] != default for name, default in kaart.defaults.items())


def _brute_force(kaart: ave_rules.Regiekaart) -> dict[tuple[str, tuple[str, ...]], int | None]:
    """The behavioural findings and the size of their smallest example, by enumeration."""
    best: dict[tuple[str, tuple[str, ...]], int] = {}

    def note(code: str, ids: tuple[str, ...], case: Mapping[str, Any]) -> None:
        key = (code, ids)
        best[key] = min(best.get(key, 99), _changed(kaart, case))

    fires_ever: set[int] = set()
    decides: set[int] = set()
    matters: set[int] = set()
    levels: set[str] = set()
    first_example: dict[int, dict[str, Any]] = {}
    for case in _every_case(kaart):
        outcome = reference_evaluate(kaart, case)
        levels.add(outcome.level)
        current = None if kaart.phase_fact is None or case[kaart.phase_fact.id] == "geen" else case[kaart.phase_fact.id]
        emitted_by: dict[int, set[ActionKey]] = {
            i: {k for spec in kaart.rules[i].conclusion.actions for k in expand(kaart, spec, outcome.level, current)}
            for i in outcome.fired
        }
        for index in outcome.fired:
            rule = kaart.rules[index]
            fires_ever.add(index)
            first_example.setdefault(index, case)
            if _changed(kaart, case) < _changed(kaart, first_example[index]):
                first_example[index] = case
            if rule.conclusion.level == outcome.level:
                decides.add(index)
            others = [i for i in outcome.fired if i != index]
            derived_alone = any(
                not any(name in kaart.rules[i].conclusion.derive for i in others) for name in rule.conclusion.derive
            )
            emitted_alone = any(key not in set().union(*(emitted_by[i] for i in others)) for key in emitted_by[index])
            if derived_alone or emitted_alone:
                matters.add(index)
    found: dict[tuple[str, tuple[str, ...]], int | None] = {}
    for index, rule in enumerate(kaart.rules):
        if index not in fires_ever:
            found[("regel-vuurt-nooit", (rule.id,))] = None
        elif rule.conclusion.level is not None and index not in decides:
            found[("regel-altijd-overstemd", (rule.id,))] = _changed(kaart, first_example[index])
        elif rule.conclusion.level is None and index not in matters:
            found[("regel-overbodig", (rule.id,))] = _changed(kaart, first_example[index])
    for level in kaart.level_ids:
        if level not in levels:
            found[("niveau-onbereikbaar", (level,))] = None
    return found


@settings(
    max_examples=examples(40, 240),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(kaart_documents(max_facts=3, max_derived=2, max_rules=6))
def test_the_analysis_agrees_with_brute_force_on_small_kaarten(document: dict[str, Any]) -> None:
    kaart = ave_rules.loads(yaml.dump(document, Dumper=DUMPER), name="klein.yaml", engine="reference")
    assume(sum(1 for _ in itertools.islice(_every_case(kaart), 4097)) <= 4096)
    expected = _brute_force(kaart)
    behavioural = {"regel-vuurt-nooit", "regel-altijd-overstemd", "regel-overbodig", "niveau-onbereikbaar"}
    report = check(kaart)
    found = {(f.code, f.ids): f for f in report.findings if f.code in behavioural}
    assert set(found) == set(expected)
    for key, size in expected.items():
        example = found[key].example
        if size is None:
            assert example is None
        else:
            assert example is not None and len(example) == size  # as small as any case can be


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_finding_message_renders(lang: Language) -> None:
    for finding in check(variant(lambda d: d["organisaties"].append({"id": "x", "naam": "X"}))).findings:
        assert finding.problem.message_in(lang)


# --- declared properties ----------------------------------------------------------------------

PROPERTIES = [
    {
        "id": "erger",
        "toelichting": "Erger is nooit lager.",
        "soort": "monotoon",
        "feiten": ["zorg", "onrust", "kolommen"],
    },
    {
        "id": "fase-telt-niet",
        "toelichting": "De fase bepaalt het niveau niet.",
        "soort": "onafhankelijk",
        "feiten": ["fase"],
    },
    {
        "id": "nooit-op-en-af",
        "toelichting": "Nooit allebei.",
        "soort": "uitsluiting",
        "acties": ["opschalen", "afschalen"],
    },
]


def with_properties(
    *extra: dict[str, Any], change: Callable[[dict[str, Any]], object] | None = None
) -> ave_rules.Regiekaart:
    def apply(document: dict[str, Any]) -> None:
        document["eigenschappen"] = copy.deepcopy(PROPERTIES) + list(extra)
        if change:
            change(document)

    return variant(apply)


def violations(kaart: ave_rules.Regiekaart) -> list[Finding]:
    return [f for f in check(kaart).findings if f.code == "eigenschap-geschonden"]


def test_properties_that_hold_give_no_findings() -> None:
    assert violations(with_properties()) == []


def test_a_level_that_drops_when_a_fact_gets_worse_breaks_monotoon_with_a_pair_the_engine_confirms() -> None:
    def only_dreigend(document: dict[str, Any]) -> None:
        document["regels"][2]["als"]["alle"][1] = {"feit": "onrust", "is": "dreigend"}

    kaart = with_properties(change=only_dreigend)
    (finding,) = violations(kaart)
    assert finding.ids == ("erger", "onrust") and finding.severity == "fout"
    before, after = finding.examples
    assert (before["onrust"], after["onrust"]) == ("dreigend", "manifest")
    assert {k: v for k, v in before.items() if k != "onrust"} == {k: v for k, v in after.items() if k != "onrust"}
    levels = kaart.level_ids
    assert levels.index(kaart.evaluate(before).level) > levels.index(kaart.evaluate(after).level)
    assert "daalt het niveau van 3 naar 1" in finding.message


def test_a_fact_that_changes_the_level_breaks_onafhankelijk() -> None:
    extra_rule = {"id": "fase-3", "toelichting": "Fout.", "als": {"feit": "fase", "is": "3"}, "dan": {"niveau": "2"}}
    (finding,) = violations(with_properties(change=lambda d: d["regels"].append(extra_rule)))
    assert finding.ids == ("fase-telt-niet", "fase")
    first, second = finding.examples
    kaart = with_properties(change=lambda d: d["regels"].append(extra_rule))
    assert kaart.evaluate(first).level != kaart.evaluate(second).level


def test_ondergrens_uitsluiting_and_volledig_violations_have_examples_the_engine_confirms() -> None:
    bound = {
        "id": "onrust-3",
        "toelichting": "Onrust is 3.",
        "soort": "ondergrens",
        "als": {"feit": "onrust", "minstens": "dreigend"},
        "niveau": "3",
    }
    complete_ = {"id": "altijd-voorstel", "toelichting": "Altijd.", "soort": "volledig"}
    extra_rule = {
        "id": "ook-af",
        "toelichting": "Af.",
        "als": {"feit": "zorg", "is": True},
        "dan": {"acties": [{"actie": "afschalen", "doel": "1"}]},
    }
    kaart = with_properties(bound, complete_, change=lambda d: d["regels"].append(extra_rule))
    found = {f.ids[0]: f for f in violations(kaart)}
    assert set(found) == {"onrust-3", "altijd-voorstel", "nooit-op-en-af"}
    assert found["onrust-3"].example is not None and found["nooit-op-en-af"].example is not None
    assert kaart.evaluate(found["onrust-3"].example).level in ("1", "2")
    assert found["altijd-voorstel"].example == {}
    actions = {a.type for a in kaart.evaluate(found["nooit-op-en-af"].example).actions}
    assert {"opschalen", "afschalen"} <= actions


@pytest.mark.parametrize(
    ("declared", "code"),
    [
        ({"id": "x", "toelichting": "X.", "soort": "monotoon", "feiten": ["fase"]}, "eigenschap-feit-soort"),
        ({"id": "x", "toelichting": "X.", "soort": "volledig", "feiten": ["zorg"]}, "eigenschap-sleutel-bij-soort"),
        (
            {
                "id": "x",
                "toelichting": "X.",
                "soort": "ondergrens",
                "als": {"niveau": {"minstens": "2"}},
                "niveau": "3",
            },
            "eigenschap-niveau-voorwaarde",
        ),
        ({"id": "x", "toelichting": "X.", "soort": "onafhankelijk", "feiten": ["zorgen"]}, "onbekende-verwijzing"),
        ({"id": "x", "toelichting": "X.", "soort": "uitsluiting", "acties": ["opschalen"]}, "te-weinig-items"),
    ],
)
def test_a_badly_declared_property_is_a_load_problem(declared: dict[str, Any], code: str) -> None:
    document = copy.deepcopy(BASE)
    document["eigenschappen"] = [declared]
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        load(document)
    assert code in [problem.code for problem in caught.value.problems]
    assert all(problem.path.startswith("/eigenschappen/0") for problem in caught.value.problems)


def test_the_generic_kaart_declares_and_keeps_its_invariants() -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
    kinds = {declared.kind for declared in kaart.properties}
    assert {"monotoon", "onafhankelijk", "ondergrens", "uitsluiting"} <= kinds
    independent = next(d for d in kaart.properties if d.kind == "onafhankelijk")
    assert {"huidige_fase", "verzoek", "betrokkene_geinformeerd"} <= set(independent.facts)
    assert violations(kaart) == []
