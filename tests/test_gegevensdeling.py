"""Gegevensdeling: the kaart states it, decisions carry it, ``ave-rules check`` proves it.

One small kaart per finding, each example confirmed by deciding it; the findings agree with brute
force over every case of generated kaarten; bad input gives located errors with suggestions."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, assume, given, settings

import ave_rules
from ave_rules._messages import language
from ave_rules.analysis import Finding, check
from ave_rules.authoring import explain
from ave_rules.kaart import BooleanFact, Decision, FactTest, PhaseFact, SetFact, fact_values
from ave_rules.testing.strategies import kaart_documents

ROOT = Path(__file__).resolve().parents[1]

BASE: dict[str, Any] = yaml.safe_load(
    """
formaat: 1
id: delen
naam: Deelkaart
versie: "1"
geldig_vanaf: "2025-01-01"
feiten:
  - {id: zorg, omschrijving: Zorgen., soort: ja_nee, standaard: false}
  - {id: onrust, omschrijving: Onrust., soort: ja_nee, standaard: false}
  - {id: ingelicht, omschrijving: Ingelicht., soort: keuze, waarden: [ja, nee, uitgezonderd], standaard: ja}
  - {id: fase, omschrijving: Huidige fase., soort: fase, standaard: geen}
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
    gegevensdeling:
      verwerkingsverantwoordelijke: casusregie
      grondslag: toestemming
      betrokkene_informeren: {moment: voor_aanmelding, nodig_als: {feit: ingelicht, is: nee}, actie: informeer}
      stappen:
        casusoverleg:
          delen:
            - {categorieen: [zorgen], van: inbrenger, met: [casusregie]}
  - id: "3"
    fase: 3
    kleur: oranje
    naam: Complex
    omschrijving: Complex.
    rollen: {casusregie: [team], procesregie: [gemeente], operationele_verantwoordelijkheid: [team], bestuurlijke_verantwoordelijkheid: [wethouder]}
    gegevensdeling:
      verwerkingsverantwoordelijke: inbrenger
      grondslag: toestemming
      betrokkene_informeren:
        moment: voor_aanmelding
        uitzonderingen: [een lopend strafrechtelijk onderzoek]
        nodig_als: {feit: ingelicht, is: nee}
        actie: informeer
      stappen:
        aanmelding:
          delen:
            - {categorieen: [identificatie, zorgen], met: [procesregie]}
        casusoverleg:
          delen:
            - {categorieen: [zorgen, plan], van: deelnemers, met: [deelnemers]}
        afschaling:
          delen:
            - {categorieen: [plan], van: gemeente, met: [casusregie]}
organisaties:
  - {id: huis, naam: Huishouden}
  - {id: team, naam: Wijkteam}
  - {id: gemeente, naam: Gemeente}
  - {id: wethouder, naam: Wethouder}
actietypen:
  - {id: aanmelden, naam: Aanmelden, omschrijving: Aanmelden., doel: organisatie, tekst: "Meld aan bij {doel}.", overdracht: true}
  - {id: overdragen, naam: Overdragen, omschrijving: Overdragen., doel: organisatie, bron: organisatie, tekst: "Van {bron} naar {doel}.", overdracht: true}
  - {id: informeer, naam: Informeren, omschrijving: Informeren., doel: geen, tekst: Licht de betrokkene in.}
processtappen:
  - {id: aanmelding, naam: Aanmelding, omschrijving: Aanmelden., moment: instroom}
  - {id: casusoverleg, naam: Casusoverleg, omschrijving: Overleg., moment: op_niveau}
  - {id: afschaling, naam: Afschaling, omschrijving: Afschalen., moment: uitstroom}
informatiecategorieen:
  - {id: identificatie, naam: Identificatie, omschrijving: Wie het is.}
  - {id: zorgen, naam: Zorgen, omschrijving: De zorgen.}
  - {id: plan, naam: Plan van aanpak, omschrijving: Het plan.}
  - {id: actielijst, naam: Actielijst, omschrijving: Wie doet wat.}
grondslagen:
  - {id: toestemming, naam: Toestemming, omschrijving: De betrokkene stemt in.}
regels:
  - {id: niveau-2, toelichting: Zorgen., als: {feit: zorg, is: true}, dan: {niveau: "2"}}
  - {id: niveau-3, toelichting: Zorgen en onrust., als: {alle: [{feit: zorg, is: true}, {feit: onrust, is: true}]}, dan: {niveau: "3"}}
  - id: inlichten
    toelichting: Eerst inlichten.
    als: {alle: [{een_van: [{overgang: nieuw}, {overgang: opschalen}]}, {feit: ingelicht, is: nee}, {niveau: {minstens: "2"}}]}
    dan: {acties: [{actie: informeer}]}
  - id: aanmelden
    toelichting: Aanmelden bij de procesregisseur.
    als: {een_van: [{overgang: nieuw}, {overgang: opschalen}]}
    dan: {acties: [{actie: aanmelden, doel: {rol: procesregie, niveau: nieuw}}]}
  - id: afschalen
    toelichting: Warm overdragen.
    als: {alle: [{overgang: afschalen}, {feit: fase, is: "3"}]}
    dan: {acties: [{actie: overdragen, bron: gemeente, doel: {rol: casusregie, niveau: nieuw}}]}
"""
)

SHARING_CODES = (
    "delen-zonder-grondslag",
    "delen-zonder-taak",
    "overdracht-zonder-gegevens",
    "afschalen-verruimt",
    "betrokkene-niet-geinformeerd",
)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(document: dict[str, Any], **options: Any) -> ave_rules.Regiekaart:
    return ave_rules.loads(
        yaml.dump(document, Dumper=DUMPER, allow_unicode=True, sort_keys=False), name="delen.yaml", **options
    )


def variant(change: Callable[[dict[str, Any]], object]) -> ave_rules.Regiekaart:
    document = copy.deepcopy(BASE)
    change(document)
    return load(document)


def level(document: dict[str, Any], level_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(item for item in document["niveaus"] if item["id"] == level_id)
    return found


def found(kaart: ave_rules.Regiekaart, code: str) -> list[Finding]:
    return [finding for finding in check(kaart).findings if finding.code == code]


def test_the_base_kaart_is_clean() -> None:
    assert [(f.code, f.ids) for f in check(load(BASE)).findings] == []


# --- decisions ----------------------------------------------------------------------------------


def test_a_decision_on_entering_a_level_carries_its_steps_with_parties_resolved() -> None:
    decision = load(BASE).evaluate({"zorg": True, "onrust": True, "fase": "2", "ingelicht": "nee"})
    assert decision.level == "3"
    (sharing,) = decision.sharing
    assert (sharing.level, sharing.controller, sharing.controller_organisations) == ("3", "inbrenger", ())
    assert sharing.circulated == ("actielijst",)  # the default
    assert sharing.informing is not None and sharing.informing.exceptions == ("een lopend strafrechtelijk onderzoek",)
    steps = [
        (share.step, share.categories, share.sender, share.organisations, share.ground) for share in sharing.shares
    ]
    assert steps == [
        ("aanmelding", ("identificatie", "zorgen"), "inbrenger", ("gemeente",), "toestemming"),
        ("casusoverleg", ("zorgen", "plan"), "deelnemers", ("team", "gemeente", "wethouder"), "toestemming"),
    ]
    aanmelden = next(action for action in decision.actions if action.type == "aanmelden")
    assert aanmelden.target == "gemeente" and aanmelden.may_receive == ("identificatie", "zorgen", "plan")
    informeer = next(action for action in decision.actions if action.type == "informeer")
    assert informeer.may_receive is None  # not a hand-over


def test_staying_on_a_level_applies_no_instroom_step() -> None:
    decision = load(BASE).evaluate({"zorg": True, "onrust": True, "fase": "3"})
    assert [share.step for share in decision.sharing[0].shares] == ["casusoverleg"]


def test_afschalen_applies_the_uitstroom_step_of_the_level_left_with_roles_on_the_new_level() -> None:
    decision = load(BASE).evaluate({"zorg": True, "fase": "3"})
    assert decision.level == "2"
    assert [sharing.level for sharing in decision.sharing] == ["2", "3"]
    left = decision.sharing[1]
    assert [(s.step, s.sender, s.organisations) for s in left.shares] == [("afschaling", "gemeente", ("team",))]
    handover = next(action for action in decision.actions if action.type == "overdragen")
    assert (handover.source, handover.target, handover.may_receive) == ("gemeente", "team", ("zorgen", "plan"))


def test_a_level_without_gegevensdeling_gives_none_and_the_decision_validates() -> None:
    kaart = load(BASE)
    decision = kaart.evaluate({})
    assert decision.level == "1" and decision.sharing == ()
    dumped = decision.model_dump(mode="json")
    assert Decision.model_validate(dumped) == decision


# --- one small kaart per finding -----------------------------------------------------------------


def decide(kaart: ave_rules.Regiekaart, example: dict[str, Any] | None) -> Decision:
    assert example is not None
    return kaart.evaluate(example)


def test_a_share_without_a_ground() -> None:
    kaart = variant(lambda d: level(d, "3")["gegevensdeling"].pop("grondslag"))
    findings = found(kaart, "delen-zonder-grondslag")
    assert [f.ids for f in findings] == [("3", "aanmelding"), ("3", "casusoverleg"), ("3", "afschaling")]
    for finding in findings:
        decision = decide(kaart, finding.example)
        shares = [s for sharing in decision.sharing for s in sharing.shares if s.step == finding.ids[1]]
        assert shares and all(share.ground is None for share in shares)
    assert findings[0].problem.path == "/niveaus/2/gegevensdeling/stappen/aanmelding/delen/0"


def test_an_instroom_step_applies_only_to_a_case_entering_the_level() -> None:
    def change(document: dict[str, Any]) -> None:
        document["feiten"][3]["standaard"] = "3"  # most cases are already on level 3
        three = level(document, "3")["gegevensdeling"]
        three.pop("grondslag")
        for step in ("casusoverleg", "afschaling"):
            three["stappen"][step]["delen"][0]["grondslag"] = "toestemming"

    kaart = variant(change)
    (finding,) = found(kaart, "delen-zonder-grondslag")
    assert finding.ids == ("3", "aanmelding") and finding.example is not None
    assert finding.example["fase"] in ("geen", "1", "2")  # staying on 3 would not share at aanmelding
    first = decide(kaart, finding.example).sharing[0].shares[0]
    assert first.step == "aanmelding"


def test_a_share_to_an_organisation_with_nothing_to_do() -> None:
    kaart = variant(
        lambda d: level(d, "3")["gegevensdeling"]["stappen"]["aanmelding"]["delen"][0]["met"].append("huis")
    )
    (finding,) = found(kaart, "delen-zonder-taak")
    assert finding.ids == ("3", "aanmelding", "huis")
    decision = decide(kaart, finding.example)
    assert decision.level == "3"
    present = {holder for holders in decision.roles.values() for holder in holders}
    present |= {party for action in decision.actions for party in (action.target, action.source) if party}
    assert "huis" not in present
    assert any("huis" in share.organisations for sharing in decision.sharing for share in sharing.shares)


def test_need_to_know_is_decided_on_real_cases_only() -> None:
    """A level that only a code outside a fact's values could reach must not hide the levels that
    real cases reach (three values take two bits; the fourth spelling is no case)."""

    def change(document: dict[str, Any]) -> None:
        document["feiten"].append(
            {
                "id": "ernst",
                "omschrijving": "Ernst.",
                "soort": "keuze",
                "waarden": ["laag", "midden", "hoog"],
                "standaard": "laag",
            }
        )
        document["organisaties"].append({"id": "politie", "naam": "Politie"})
        document["regels"].append(
            {
                "id": "altijd-2",
                "toelichting": "Elke ernst.",
                "als": {"feit": "ernst", "is_een_van": ["laag", "midden", "hoog"]},
                "dan": {"niveau": "2"},
            }
        )
        level(document, "3")["gegevensdeling"]["stappen"]["afschaling"]["delen"][0]["met"].append("politie")

    kaart = variant(change)
    (finding,) = found(kaart, "delen-zonder-taak")
    assert finding.ids == ("3", "afschaling", "politie") and finding.problem.params["niveau"] == "2"
    decision = decide(kaart, finding.example)
    assert decision.level == "2" and finding.example is not None and finding.example["fase"] == "3"


def test_an_organisation_without_a_role_but_with_an_action_may_receive() -> None:
    def change(document: dict[str, Any]) -> None:
        level(document, "3")["gegevensdeling"]["stappen"]["aanmelding"]["delen"][0]["met"].append("huis")
        document["regels"].append(
            {
                "id": "huis-erbij",
                "toelichting": "Het huishouden meldt zelf mee aan.",
                "als": {"niveau": {"is": "3"}},
                "dan": {"acties": [{"actie": "aanmelden", "doel": "huis"}]},
            }
        )

    assert found(variant(change), "delen-zonder-taak") == []


def test_a_hand_over_to_an_organisation_that_may_receive_nothing() -> None:
    def change(document: dict[str, Any]) -> None:
        level(document, "3")["gegevensdeling"]["stappen"]["afschaling"]["delen"][0]["met"] = ["wethouder"]

    kaart = variant(change)
    (finding,) = found(kaart, "overdracht-zonder-gegevens")
    # From 3 to 2 the wijkteam still receives in level 2's casusoverleg; from 3 to 1 the household nothing.
    assert finding.ids == ("overdragen", "huis")
    decision = decide(kaart, finding.example)
    handover = next(action for action in decision.actions if action.type == "overdragen")
    assert decision.level == "1" and handover.target == "huis" and handover.may_receive == ()


def test_afschalen_that_widens_sharing() -> None:
    def change(document: dict[str, Any]) -> None:
        level(document, "2")["gegevensdeling"]["stappen"]["casusoverleg"]["delen"][0]["categorieen"].append(
            "identificatie"
        )

    kaart = variant(change)
    (finding,) = found(kaart, "afschalen-verruimt")
    assert finding.ids == ("3", "2")
    assert finding.problem.params["categorie"] == "identificatie" and finding.problem.params["organisatie"] == "team"
    decision = decide(kaart, finding.example)
    assert decision.level == "2" and finding.example is not None and finding.example["fase"] == "3"


def test_a_level_without_an_agreement_on_informing_the_betrokkene() -> None:
    kaart = variant(lambda d: level(d, "3")["gegevensdeling"].pop("betrokkene_informeren"))
    (finding,) = found(kaart, "betrokkene-niet-geinformeerd")
    assert finding.ids == ("3",) and "betrokkene_informeren" in finding.message
    assert decide(kaart, finding.example).level == "3"


def test_a_betrokkene_left_uninformed_because_no_rule_informs() -> None:
    kaart = variant(lambda d: d["regels"].pop(2))
    findings = found(kaart, "betrokkene-niet-geinformeerd")
    assert [f.ids for f in findings] == [("2",), ("3",)]
    for finding in findings:
        decision = decide(kaart, finding.example)
        assert finding.example is not None and finding.example["ingelicht"] == "nee"
        assert decision.level == finding.ids[0] and not any(a.type == "informeer" for a in decision.actions)


def test_unused_steps_categories_and_grounds() -> None:
    def change(document: dict[str, Any]) -> None:
        document["processtappen"].append(
            {"id": "triage", "naam": "Triage", "omschrijving": "Wegen.", "moment": "instroom"}
        )
        document["informatiecategorieen"].append({"id": "politie", "naam": "Politie", "omschrijving": "Wpg."})
        document["grondslagen"].append({"id": "wet", "naam": "Wet", "omschrijving": "Een wet."})

    codes = {(f.code, f.ids) for f in check(variant(change)).findings}
    assert codes == {
        ("processtap-ongebruikt", ("triage",)),
        ("categorie-ongebruikt", ("politie",)),
        ("grondslag-ongebruikt", ("wet",)),
    }


def test_a_declared_property_makes_a_requirement_an_error() -> None:
    def change(document: dict[str, Any]) -> None:
        level(document, "3")["gegevensdeling"].pop("grondslag")
        document["eigenschappen"] = [
            {
                "id": "grond",
                "toelichting": "Altijd een grondslag.",
                "soort": "gegevensdeling",
                "eisen": ["elke_deling_een_grondslag"],
            }
        ]

    report = check(variant(change))
    violated = [f for f in report.findings if f.code == "eigenschap-geschonden"]
    assert len(violated) == 3 and all(f.severity == "fout" and f.ids == ("grond",) for f in violated)
    assert "zonder grondslag" in violated[0].message and violated[0].problem.path == "/eigenschappen/0"
    assert not [f for f in report.findings if f.code == "delen-zonder-grondslag"]  # reported once, as the property
    assert not report.clean
    assert all(
        f.severity == "waarschuwing"
        for f in found(variant(lambda d: level(d, "3")["gegevensdeling"].pop("grondslag")), "delen-zonder-grondslag")
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_sharing_message_renders(lang: ave_rules.Language) -> None:
    def change(document: dict[str, Any]) -> None:
        three = level(document, "3")["gegevensdeling"]
        three.pop("grondslag")
        three.pop("betrokkene_informeren")
        three["stappen"]["aanmelding"]["delen"][0]["met"].append("huis")
        three["stappen"]["afschaling"]["delen"][0]["met"] = ["wethouder"]
        level(document, "2")["gegevensdeling"]["stappen"]["casusoverleg"]["delen"][0]["categorieen"].append(
            "identificatie"
        )

    findings = check(variant(change)).findings
    assert {f.code for f in findings} >= set(SHARING_CODES)
    for finding in findings:
        text = finding.problem.message_in(lang)
        assert text and "{" not in text


# --- agreement with brute force ------------------------------------------------------------------


def _every_case(kaart: ave_rules.Regiekaart) -> Iterator[dict[str, Any]]:
    domains: list[list[Any]] = []
    for fact in kaart.facts:
        values = fact_values(fact, kaart.level_ids)
        if isinstance(fact, SetFact):
            domains.append([list(c) for n in range(len(values) + 1) for c in itertools.combinations(values, n)])
        else:
            domains.append(list(values))
    for combination in itertools.product(*domains):
        yield {fact.id: value for fact, value in zip(kaart.facts, combination, strict=True)}


def _brute_force(kaart: ave_rules.Regiekaart) -> set[tuple[str, tuple[str, ...]]]:
    """The behavioural findings, from deciding every case and reading what the decisions say."""
    return {found for case in _every_case(kaart) for found in _case_findings(kaart, case)}


def _case_findings(kaart: ave_rules.Regiekaart, given: dict[str, Any]) -> set[tuple[str, tuple[str, ...]]]:
    """What deciding one case shows of the behavioural findings."""
    ladder = kaart.level_ids
    phase = next((fact.id for fact in kaart.facts if isinstance(fact, PhaseFact)), None)
    hand_overs = {kind.id for kind in kaart.action_types if kind.hand_over}
    result: set[tuple[str, tuple[str, ...]]] = set()
    case = {
        **{name: sorted(value) if isinstance(value, frozenset) else value for name, value in kaart.defaults.items()},
        **given,
    }
    decision = kaart.evaluate(case)
    current = case.get(phase) if phase else None
    current = None if current in (None, "geen") else current
    entering = current is None or ladder.index(decision.level) > ladder.index(current)
    present = {holder for holders in decision.roles.values() for holder in holders}
    present |= {party for action in decision.actions for party in (action.target, action.source) if party}
    for sharing in decision.sharing:
        for share in sharing.shares:
            if share.ground is None:
                result.add(("delen-zonder-grondslag", (share.level, share.step)))
            for party in share.recipients:
                if party in ("inbrenger", "deelnemers"):
                    continue
                for organisation in share.organisations if party in kaart.role_ids else (party,):
                    if organisation not in present:
                        result.add(("delen-zonder-taak", (share.level, share.step, organisation)))
    for action in decision.actions:
        if action.type in hand_overs and action.may_receive == ():
            result.add(("overdracht-zonder-gegevens", (action.type, str(action.target))))
    spec = kaart.level_by_id[decision.level].sharing
    informing = spec.informing if spec else None
    uninformed = informing is None or (
        _holds(kaart, informing.due, case) and not any(a.type == informing.action for a in decision.actions)
    )
    if spec is not None and entering and uninformed:
        result.add(("betrokkene-niet-geinformeerd", (decision.level,)))
    return result


def _holds(kaart: ave_rules.Regiekaart, test: Any, case: dict[str, Any]) -> bool:
    """A single fact test, as the strategies draw for ``nodig_als``, written out independently."""
    assert isinstance(test, FactTest)
    value, operand = case[test.fact], test.operand
    order = list(fact_values(kaart.fact_by_id[test.fact], kaart.level_ids))
    members = set(value) if isinstance(value, list | frozenset) else set()
    outcomes: dict[str, Callable[[], bool]] = {
        "is": lambda: bool(value == operand),
        "is_een_van": lambda: value in operand,
        "minstens": lambda: order.index(value) >= order.index(operand),
        "hoogstens": lambda: order.index(value) <= order.index(operand),
        "boven": lambda: order.index(value) > order.index(operand),
        "onder": lambda: order.index(value) < order.index(operand),
        "bevat": lambda: operand in members,
        "bevat_een_van": lambda: bool(members & set(operand)),
        "bevat_alle": lambda: set(operand) <= members,
        "aantal_minstens": lambda: len(members) >= operand,
        "aantal_hoogstens": lambda: len(members) <= operand,
        "aantal_is": lambda: len(members) == operand,
    }
    return outcomes[test.comparison]()


@settings(
    max_examples=examples(40, 200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(kaart_documents(max_facts=3, max_derived=1, max_rules=5, sharing=True))
def test_the_sharing_findings_agree_with_brute_force(document: dict[str, Any]) -> None:
    kaart = load(document, engine="reference")
    assume(sum(1 for _ in itertools.islice(_every_case(kaart), 2049)) <= 2048)
    behavioural = {
        "delen-zonder-grondslag",
        "delen-zonder-taak",
        "overdracht-zonder-gegevens",
        "betrokkene-niet-geinformeerd",
    }
    report = check(kaart)
    findings = {(f.code, f.ids): f for f in report.findings if f.code in behavioural}
    assert set(findings) == _brute_force(kaart)
    for key, finding in findings.items():
        assert finding.example is not None and key in _case_findings(kaart, finding.example)


# --- bad input -------------------------------------------------------------------------------------


def problems(change: Callable[[dict[str, Any]], object]) -> list[ave_rules.Problem]:
    document = copy.deepcopy(BASE)
    change(document)
    with pytest.raises(ave_rules.RegiekaartError) as raised:
        load(document)
    return list(raised.value.problems)


def _three(document: dict[str, Any]) -> dict[str, Any]:
    sharing: dict[str, Any] = level(document, "3")["gegevensdeling"]
    return sharing


@pytest.mark.parametrize(
    ("change", "code", "path", "words"),
    [
        (
            lambda d: _three(d)["stappen"]["aanmelding"]["delen"][0]["categorieen"].append("zorg"),
            "onbekende-verwijzing",
            "/niveaus/2/gegevensdeling/stappen/aanmelding/delen/0/categorieen/2",
            ["informatiecategorie 'zorg'", "zorgen"],
        ),
        (
            lambda d: _three(d).update(grondslag="toestemmming"),
            "onbekende-verwijzing",
            "/niveaus/2/gegevensdeling/grondslag",
            ["grondslag 'toestemmming'", "toestemming"],
        ),
        (
            lambda d: _three(d)["stappen"].update(triage=_three(d)["stappen"].pop("aanmelding")),
            "onbekende-verwijzing",
            "/niveaus/2/gegevensdeling/stappen/triage",
            ["processtap 'triage'"],
        ),
        (
            lambda d: _three(d)["stappen"]["casusoverleg"]["delen"][0]["met"].append("gemeenten"),
            "onbekende-verwijzing",
            "/niveaus/2/gegevensdeling/stappen/casusoverleg/delen/0/met/1",
            ["partij 'gemeenten'", "gemeente"],
        ),
        (
            lambda d: level(d, "2")["gegevensdeling"]["stappen"]["casusoverleg"]["delen"][0]["met"].append(
                "procesregie"
            ),
            "rol-leeg-op-niveau",
            "/niveaus/1/gegevensdeling/stappen/casusoverleg/delen/0/met/1",
            ["niveau 2", "procesregie"],
        ),
        (
            lambda d: _three(d)["stappen"]["afschaling"]["delen"][0]["met"].append("gemeente"),
            "delen-met-zichzelf",
            "/niveaus/2/gegevensdeling/stappen/afschaling/delen/0/met/1",
            ["'gemeente' deelt hier met zichzelf"],
        ),
        (
            lambda d: d["organisaties"].append({"id": "inbrenger", "naam": "Inbrenger"}),
            "partij-dubbelzinnig",
            "/organisaties/4/id",
            ["'inbrenger'"],
        ),
        (
            lambda d: d["actietypen"][2].update(overdracht=True),
            "overdracht-zonder-organisatie",
            "/actietypen/2/overdracht",
            ["'informeer'"],
        ),
        (
            lambda d: _three(d)["betrokkene_informeren"].update(actie="informeren"),
            "onbekende-verwijzing",
            "/niveaus/2/gegevensdeling/betrokkene_informeren/actie",
            ["actietype 'informeren'", "informeer"],
        ),
        (
            lambda d: _three(d)["betrokkene_informeren"].update(nodig_als={"feit": "ingelicht", "is": "misschien"}),
            "waarde-buiten-domein",
            "/niveaus/2/gegevensdeling/betrokkene_informeren/nodig_als/is",
            ["'misschien'"],
        ),
        (
            lambda d: d["informatiecategorieen"].pop(3),
            "onbekende-verwijzing",
            "/niveaus/1/gegevensdeling",
            ["informatiecategorie 'actielijst'"],
        ),
    ],
)
def test_bad_gegevensdeling_is_located_with_a_suggestion(
    change: Callable[[dict[str, Any]], object], code: str, path: str, words: list[str]
) -> None:
    found_problems = problems(change)
    problem = next(p for p in found_problems if p.code == code)
    assert problem.path == path and problem.line > 1
    for word in words:
        assert word in problem.message


@pytest.mark.parametrize(
    "change",
    [
        lambda d: _three(d).update(stappen={}),
        lambda d: _three(d).pop("verwerkingsverantwoordelijke"),
        lambda d: _three(d)["stappen"]["aanmelding"]["delen"][0].update(categorieen=[]),
        lambda d: _three(d)["stappen"]["aanmelding"].update(delen=[{"categorieen": ["zorgen"]}]),
        lambda d: _three(d)["betrokkene_informeren"].update(moment="ooit"),
        lambda d: d["processtappen"][0].update(moment="altijd"),
        lambda d: _three(d)["stappen"].update({"Triage!": {"delen": [{"categorieen": ["zorgen"], "met": ["team"]}]}}),
        lambda d: _three(d).update(extra=True),
    ],
)
def test_a_malformed_gegevensdeling_is_refused_by_the_schema_and_the_models(
    change: Callable[[dict[str, Any]], object],
) -> None:
    found_problems = problems(change)
    assert found_problems and all(p.line > 1 for p in found_problems)
    assert any("/gegevensdeling" in p.path or "/processtappen" in p.path for p in found_problems)


# --- inheritance ----------------------------------------------------------------------------------


def test_an_extending_kaart_changes_one_step_and_inherits_the_rest(tmp_path: Path) -> None:
    (tmp_path / "delen.yaml").write_text(
        yaml.dump(BASE, Dumper=DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    child = {
        "formaat": 1,
        "id": "regio",
        "naam": "Regio",
        "versie": "1",
        "geldig_vanaf": "2025-01-01",
        "breidt_uit": "delen",
        "niveaus": [
            {
                "id": "3",
                "gegevensdeling": {
                    "verspreiden": ["actielijst", "plan"],
                    "stappen": {"aanmelding": {"delen": [{"categorieen": ["identificatie"], "met": ["procesregie"]}]}},
                },
            }
        ],
    }
    (tmp_path / "regio.yaml").write_text(yaml.dump(child, Dumper=DUMPER, sort_keys=False), encoding="utf-8")
    kaart = ave_rules.load(tmp_path / "regio.yaml")
    sharing = kaart.level_by_id["3"].sharing
    assert sharing is not None
    assert sharing.circulated == ("actielijst", "plan")
    assert sharing.steps["aanmelding"].shares[0].categories == ("identificatie",)
    assert list(sharing.steps) == ["aanmelding", "casusoverleg", "afschaling"]  # the others inherited
    assert sharing.controller == "inbrenger" and sharing.ground == "toestemming"
    origin = kaart.origin("niveaus", "3", "gegevensdeling")
    assert origin.kind == "overridden"
    assert "gegevensdeling.stappen.aanmelding" in origin.changed
    assert kaart.origin("niveaus", "2").kind == "inherited"


# --- the generic kaart ---------------------------------------------------------------------------


def test_the_generic_kaart_states_gegevensdeling_for_the_zvh_only_and_checks_clean() -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml")
    assert [level.id for level in kaart.levels if level.sharing] == ["3b"]
    report = check(kaart)
    assert not [
        f
        for f in report.findings
        if f.code in (*SHARING_CODES, "processtap-ongebruikt", "categorie-ongebruikt", "grondslag-ongebruikt")
    ]
    text = (ROOT / "regiekaarten" / "ave-generiek.yaml").read_text(encoding="utf-8")
    assert "handvat-gegevensdeling" in text and "zvh-de-markiezaten-werkt-net-even-anders" in text


def test_facts_in_examples_are_categorical_indicators_only() -> None:
    # No finding carries more than the kaart's own fact names and values.
    kaart = variant(lambda d: level(d, "3")["gegevensdeling"].pop("grondslag"))
    for finding in found(kaart, "delen-zonder-grondslag"):
        assert finding.example is not None
        for name, value in finding.example.items():
            fact = kaart.fact_by_id[name]
            assert isinstance(fact, BooleanFact) or value in fact_values(fact, kaart.level_ids)


def test_a_norm_can_require_gegevensdeling(tmp_path: Path) -> None:
    norm = {
        "formaat": 1,
        "id": "deelnorm",
        "naam": "Deelnorm",
        "omschrijving": "Elke deling heeft een grondslag.",
        "geldt_voor": "delen",
        "bronnen": [{"url": "https://example.org/bron", "naam": "Een bron"}],
        "eigenschappen": [
            {
                "id": "grond",
                "toelichting": "Altijd een grondslag.",
                "soort": "gegevensdeling",
                "eisen": ["elke_deling_een_grondslag"],
            }
        ],
    }
    path = tmp_path / "deelnorm.yaml"
    path.write_text(yaml.dump(norm, Dumper=DUMPER, sort_keys=False), encoding="utf-8")
    assert check(load(BASE), norm=path).clean
    report = check(variant(lambda d: level(d, "3")["gegevensdeling"].pop("grondslag")), norm=path)
    violations = [f for f in report.findings if f.norm == "deelnorm"]
    assert len(violations) == 3 and all(f.severity == "fout" and f.example for f in violations)
    # the kaart's own warnings stay: the norm is not the kaart's declaration
    assert len([f for f in report.findings if f.code == "delen-zonder-grondslag"]) == 3


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_decision_in_words_says_what_may_be_shared(lang: ave_rules.Language) -> None:
    kaart = load(BASE)
    afschalen = explain(kaart, kaart.evaluate({"zorg": True, "fase": "3"}))
    heading = {"nl": "Gegevensdeling (wat gedeeld mag worden):", "en": "Gegevensdeling (what may be shared):"}
    with language(lang):
        text = explain(kaart, kaart.evaluate({"zorg": True, "fase": "3"}))
    assert heading[lang] in text
    section = text.split(heading[lang])[1].split("\n\n")[0].strip().splitlines()
    assert section[0].startswith(("Niveau 2:", "Level 2:"))
    assert any("Afschaling:" in line and "Plan van aanpak".lower() in line.lower() for line in section)
    assert "Wijkteam" in section[-1] and " 1" in section[-1]  # the hand-over (action 1) to the wijkteam
    assert "Gegevensdeling" not in explain(kaart, kaart.evaluate({}))  # level 1 states none, nothing applies
    assert afschalen.count("\n    - ") == 2  # level 2's casusoverleg and level 3's afschaling
