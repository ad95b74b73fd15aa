"""Kaarten whose structure differs from the generic kaart (issue 17): fewer levels mapped onto the
AVE phases, roles besides the four AVE roles (``extra_rollen``) and a closing outcome below the
lowest level (``afsluiting``, "afschalen tot niks"). Each loads, decides (both
engines agree on every case), passes ``check``, compares with ``diff`` and renders; each new error
and finding has a small kaart of its own."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import Phase, find, settings
from test_analysis import _every_case

import ave_rules
from ave_rules import RegiekaartError
from ave_rules.analysis import check, simulate
from ave_rules.authoring import explain, render_decision_html, render_html, render_markdown
from ave_rules.engine import _durable as durable_engine
from ave_rules.engine import complete
from ave_rules.engine import reference_outcome as reference_evaluate
from ave_rules.testing.strategies import kaart_documents

STRUCTUUR = Path(__file__).parent / "fixtures" / "structuur"
THREE_LEVELS = STRUCTUUR / "drie-niveaus.yaml"
EXTRA_ROLES = STRUCTUUR / "extra-rollen.yaml"
CLOSING = STRUCTUUR / "afschalen-tot-niks.yaml"
KAARTEN = [THREE_LEVELS, EXTRA_ROLES, CLOSING]


def _document(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _loads(document: dict[str, Any]) -> ave_rules.Regiekaart:
    return ave_rules.loads(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), name="mijn-kaart.yaml")


def _extending(base: Path, directory: Path, **sections: Any) -> ave_rules.Regiekaart:
    """A kaart 'gemeente' with ``sections`` that extends ``base``, copied into ``directory``."""
    (directory / base.name).write_text(base.read_text(encoding="utf-8"), encoding="utf-8")
    child = {
        "formaat": 1,
        "id": "gemeente",
        "naam": "Gemeente",
        "versie": "1",
        "geldig_vanaf": "2025-01-01",
        "breidt_uit": base.stem,
        **sections,
    }
    return ave_rules.loads(yaml.safe_dump(child, allow_unicode=True), name="gemeente.yaml", search=[directory])


def _problems(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(RegiekaartError) as caught:
        _loads(document)
    return [(problem.code, problem.path) for problem in caught.value.problems]


def _findings(kaart: ave_rules.Regiekaart) -> list[tuple[str, tuple[str, ...], str]]:
    return [(finding.code, finding.ids, finding.severity) for finding in check(kaart).findings]


# --- the kaarten load, decide, check, diff and render -------------------------------------------


@pytest.mark.parametrize("path", KAARTEN, ids=lambda p: p.stem)
def test_the_kaart_loads_and_its_scenarios_hold(path: Path) -> None:
    kaart = ave_rules.load(path)
    assert kaart.scenarios
    assert _findings(kaart) == []  # scenarios included: check runs them


@pytest.mark.skipif(not durable_engine.available(), reason="durable-rules cannot be imported here")
@pytest.mark.parametrize("path", KAARTEN, ids=lambda p: p.stem)
def test_both_engines_agree_on_every_case(path: Path) -> None:
    kaart = ave_rules.load(path, engine="reference")
    engine = durable_engine.DurableEngine(kaart)
    cases = list(_every_case(kaart))
    assert len(cases) > 10
    for case in cases:
        full, _ = complete(kaart, case)
        assert engine.outcome(full) == reference_evaluate(kaart, full)


def test_three_levels_map_onto_three_phases() -> None:
    kaart = ave_rules.load(THREE_LEVELS)
    assert [(level.id, level.phase) for level in kaart.levels] == [("1", 2), ("2", 3), ("3", 4)]
    decision = kaart.evaluate({"risico": "ernstig", "strafrecht": True, "huidige_fase": "2"})
    assert (decision.level, decision.phase) == ("3", 4)
    assert [action.text for action in decision.actions] == ["Schaal op naar niveau 3 (Persoonsgerichte Aanpak)."]
    # Lower than every level there is nothing: no rule proposing gives the lowest level, in phase 2.
    assert (kaart.evaluate({}).level, kaart.evaluate({}).phase) == ("1", 2)


def test_the_decision_names_every_role_extra_roles_last() -> None:
    kaart = ave_rules.load(EXTRA_ROLES)
    decision = kaart.evaluate({"zorgen": "veel", "huidige_fase": "2"})
    assert list(decision.roles) == [
        "casusregie",
        "procesregie",
        "operationele_verantwoordelijkheid",
        "bestuurlijke_verantwoordelijkheid",
        "trajectbegeleiding",
        "contactpersoon",
    ]
    assert decision.roles["trajectbegeleiding"] == ("trajectbegeleiders",)
    assert decision.roles["contactpersoon"] == ()  # level 3 does not name it: nobody
    assert [(a.type, a.target) for a in decision.actions] == [("aanmelden", "trajectbegeleiders")]
    dumped = decision.model_dump(mode="json")
    assert dumped["roles"]["trajectbegeleiding"] == ["trajectbegeleiders"]


def test_a_reference_to_an_extra_role_falls_back_where_nobody_holds_it() -> None:
    kaart = ave_rules.load(EXTRA_ROLES)
    # Opschalen to 2, which has no trajectbegeleider: the procesregie of 2 (anders: procesregie).
    decision = kaart.evaluate({"zorgen": "enkele", "huidige_fase": "1"})
    assert [(a.type, a.target) for a in decision.actions] == [("aanmelden", "wijkteam")]
    # Afschalen to 1: the contactpersoon there is the wijkteam.
    decision = kaart.evaluate({"huidige_fase": "3"})
    assert [(a.type, a.source, a.target) for a in decision.actions] == [("overdragen", "wijkteam", "wijkteam")]


def test_an_extending_kaart_inherits_extra_roles_and_may_add_holders(tmp_path: Path) -> None:
    kaart = _extending(
        EXTRA_ROLES,
        tmp_path,
        extra_rollen=[{"id": "monitoring", "naam": "Vinger aan de pols"}],
        niveaus=[{"id": "2", "rollen": {"monitoring": ["wijkteam"]}}],
    )
    assert kaart.role_ids[4:] == ("trajectbegeleiding", "contactpersoon", "monitoring")
    assert kaart.level_by_id["2"].roles.holders("monitoring") == ("wijkteam",)
    assert kaart.level_by_id["3"].roles.holders("trajectbegeleiding") == ("trajectbegeleiders",)
    assert kaart.origin("extra_rollen", "monitoring").kind == "new"
    assert kaart.origin("niveaus", "2", "rollen.monitoring").kind == "overridden"


def test_diff_compares_extra_roles() -> None:
    old = ave_rules.load(EXTRA_ROLES)
    document = _document(EXTRA_ROLES)
    document["niveaus"][0]["rollen"]["contactpersoon"] = ["wijkteam", "zvh"]
    document["versie"] = "2"
    new = _loads(document)
    result = ave_rules.diff(old, new)
    assert not result.levels and result.roles
    assert {(change.old_level, change.role, change.old_holders, change.new_holders) for change in result.roles} == {
        ("1", "contactpersoon", ("wijkteam",), ("wijkteam", "zvh"))
    }
    # An extra role only the new kaart has: compared as nobody in the old one.
    del document["extra_rollen"][1]
    del document["niveaus"][0]["rollen"]["contactpersoon"]
    document["regels"][3]["dan"]["acties"][0]["doel"] = {"rol": "casusregie", "niveau": "nieuw"}
    for scenario in document["scenarios"]:
        scenario["verwacht"].get("rollen", {}).pop("contactpersoon", None)
    without = _loads(document)
    roles = {(change.old_level, change.role) for change in ave_rules.diff(without, old).roles}
    assert roles == {("1", "contactpersoon")}


@pytest.mark.parametrize("path", KAARTEN, ids=lambda p: p.stem)
def test_the_kaart_renders_with_every_role(path: Path) -> None:
    kaart = ave_rules.load(path)
    sheet, reference, markdown = render_html(kaart), render_html(kaart, reference=True), render_markdown(kaart)
    for extra in kaart.extra_roles:
        assert f'data-rol="{extra.id}"' in sheet and extra.name in sheet
        assert extra.name in reference and f"| {extra.name} |" in markdown
    for level in kaart.levels:
        assert f'data-niveau="{level.id}"' in sheet
    decision = kaart.evaluate(kaart.scenarios[0].facts)
    page = render_decision_html(kaart, decision)
    for extra in kaart.extra_roles:
        assert extra.name in page


def test_explain_names_extra_roles_by_their_name() -> None:
    kaart = ave_rules.load(EXTRA_ROLES)
    text = explain(kaart, kaart.evaluate({"zorgen": "veel"}))
    assert "  Trajectbegeleider: Trajectbegeleiders van het Zorg- en Veiligheidshuis" in text
    assert "  Contactpersoon: -" in text


# --- one small kaart per error and finding --------------------------------------------------------


def test_an_unknown_role_on_a_level_is_located_with_a_suggestion() -> None:
    document = _document(EXTRA_ROLES)
    rollen = document["niveaus"][0]["rollen"]
    rollen["contactpersonen"] = rollen.pop("contactpersoon")
    with pytest.raises(RegiekaartError) as caught:
        _loads(document)
    (problem,) = caught.value.problems
    assert (problem.code, problem.path, problem.line) == (
        "onbekende-verwijzing",
        "/niveaus/0/rollen/contactpersonen",
        problem.line,
    )
    assert "rol 'contactpersonen' bestaat niet" in problem.message
    assert "bedoelt u 'contactpersoon'?" in problem.message


def test_a_level_cannot_name_a_role_the_kaart_does_not_declare() -> None:
    document = _document(THREE_LEVELS)
    document["niveaus"][2]["rollen"]["trajectbegeleiding"] = ["zvh"]
    assert _problems(document) == [("onbekende-verwijzing", "/niveaus/2/rollen/trajectbegeleiding")]


def test_unknown_roles_in_references_scenarios_and_properties() -> None:
    document = _document(EXTRA_ROLES)
    document["regels"][2]["dan"]["acties"][0]["doel"]["rol"] = "trajectbegeleider"
    document["regels"][3]["dan"]["acties"][0]["doel"]["anders"] = "casusregisseur"
    document["scenarios"][1]["verwacht"]["rollen"]["contactpersonen"] = ["wijkteam"]
    document["eigenschappen"] = [
        {
            "id": "tb-zvh",
            "toelichting": "Trajectbegeleiding door het ZVH.",
            "soort": "rol",
            "als": {"feit": "zorgen", "is": "veel"},
            "rol": "trajectbegeleider",
            "organisatie": "trajectbegeleiders",
        }
    ]
    assert _problems(document) == [
        ("onbekende-verwijzing", "/regels/2/dan/acties/0/doel/rol"),
        ("onbekende-verwijzing", "/regels/3/dan/acties/0/doel/anders"),
        ("onbekende-verwijzing", "/scenarios/1/verwacht/rollen/contactpersonen"),
        ("onbekende-verwijzing", "/eigenschappen/0/rol"),
    ]


def test_an_extra_role_may_not_be_an_ave_role() -> None:
    document = _document(EXTRA_ROLES)
    document["extra_rollen"].append({"id": "procesregie", "naam": "Procesregie"})
    assert _problems(document) == [("extra-rol-is-ave-rol", "/extra_rollen/2/id")]


def test_an_extra_role_declared_twice_is_a_duplicate_id() -> None:
    document = _document(EXTRA_ROLES)
    document["extra_rollen"].append({"id": "contactpersoon", "naam": "Nog een"})
    assert _problems(document) == [("dubbele-id", "/extra_rollen/2/id")]


def test_an_organisation_named_like_an_extra_role_is_ambiguous() -> None:
    document = _document(EXTRA_ROLES)
    document["organisaties"].append({"id": "contactpersoon", "naam": "Contactpersoon"})
    assert ("partij-dubbelzinnig", "/organisaties/6/id") in _problems(document)


def test_a_role_name_that_is_no_id_is_refused_by_schema_and_model() -> None:
    document = _document(EXTRA_ROLES)
    document["niveaus"][0]["rollen"]["Contact persoon"] = ["wijkteam"]
    assert [code for code, _ in _problems(document)] and "onbekende-verwijzing" not in dict(_problems(document))


def test_an_extra_role_nobody_holds_is_a_warning() -> None:
    document = _document(EXTRA_ROLES)
    document["extra_rollen"].append({"id": "monitoring", "naam": "Vinger aan de pols"})
    assert _findings(_loads(document)) == [("extra-rol-ongebruikt", ("monitoring",), "waarschuwing")]
    document["niveaus"][0]["rollen"]["monitoring"] = []  # named, but by nobody: still unused
    assert _findings(_loads(document)) == [("extra-rol-ongebruikt", ("monitoring",), "waarschuwing")]


def test_an_empty_extra_role_is_no_missing_ave_role() -> None:
    # casusregie-niet-een and rol-zonder-houder are about the four AVE roles only.
    document = _document(EXTRA_ROLES)
    document["niveaus"][2]["rollen"]["contactpersoon"] = []
    assert _findings(_loads(document)) == []


def test_a_role_property_about_an_extra_role_is_proved() -> None:
    document = _document(EXTRA_ROLES)
    holds = {
        "id": "tb-bij-veel-zorgen",
        "toelichting": "Bij veel zorgen is er een trajectbegeleider.",
        "soort": "rol",
        "als": {"feit": "zorgen", "is": "veel"},
        "rol": "trajectbegeleiding",
        "organisatie": "trajectbegeleiders",
    }
    document["eigenschappen"] = [holds]
    assert _findings(_loads(document)) == []
    broken = copy.deepcopy(document)
    broken["eigenschappen"][0]["als"] = {"feit": "zorgen", "minstens": "enkele"}
    assert [code for code, _, _ in _findings(_loads(broken))] == ["eigenschap-geschonden"]


# --- a closing outcome below the lowest level ------------------------------------------------------


def test_the_closing_outcome_is_below_the_lowest_level_and_outside_the_phases() -> None:
    kaart = ave_rules.load(CLOSING)
    decision = kaart.evaluate({"huidige_fase": "2"})
    assert (decision.level, decision.phase) == ("0", 0)
    assert decision.roles["casusregie"] == () and decision.roles["monitoring"] == ("wijkteam",)
    # From monitoring, any level is opschalen; a niveau comparison orders it below level 1.
    assert [(a.type, a.target) for a in kaart.evaluate({"huidige_fase": "0", "zorgen": "enkele"}).actions] == [
        ("opschalen", "1")
    ]
    assert kaart.evaluate({"huidige_fase": "0"}).actions == ()  # blijft: nothing to do
    text = explain(kaart, decision)
    assert text.startswith("Niveau 0: Monitoring (monitoring, buiten de AVE-fasen, grijs)")
    assert "buiten de fasen" in render_html(kaart)


def test_the_closing_outcome_takes_part_in_properties_and_diff() -> None:
    document = _document(CLOSING)
    # Onveilig without zorgen proposes level 1; then worse (zorgen: enkele) is never lower.
    document["regels"][1]["als"] = {"een_van": [{"feit": "zorgen", "is": "veel"}]}
    assert _findings(_loads(document)) == []
    broken = copy.deepcopy(document)
    # Enkele zorgen give 1, veel zorgen only with veiligheid: veel without it falls to monitoring.
    broken["regels"][0]["als"] = {"feit": "zorgen", "is": "enkele"}
    broken["regels"][1]["als"] = {"alle": [{"feit": "zorgen", "is": "veel"}, {"feit": "veiligheid", "is": True}]}
    assert "eigenschap-geschonden" in [code for code, _, _ in _findings(_loads(broken))]
    result = ave_rules.diff(_loads(document), _loads(broken))
    assert ("2", "0") in {(change.old, change.new) for change in result.levels}


def test_a_closing_outcome_has_phase_0_and_only_it() -> None:
    document = _document(CLOSING)
    document["niveaus"][0]["fase"] = 1
    assert _problems(document) == [("afsluiting-fase", "/niveaus/0/afsluiting")]
    document = _document(CLOSING)
    del document["niveaus"][0]["afsluiting"]
    assert _problems(document) == [("afsluiting-fase", "/niveaus/0/fase")]


def test_a_closing_outcome_is_the_lowest_level() -> None:
    document = _document(CLOSING)
    document["niveaus"][1]["fase"] = 0
    document["niveaus"][1]["afsluiting"] = "afgesloten"
    assert _problems(document) == [("afsluiting-niet-onderaan", "/niveaus/1/afsluiting")]


def test_monitoring_without_anyone_is_a_warning_and_empty_ave_roles_are_not() -> None:
    document = _document(CLOSING)
    document["niveaus"][0]["rollen"]["monitoring"] = []
    document["regels"][4]["dan"]["acties"][0]["doel"]["anders"] = "casusregie"
    document["scenarios"] = document["scenarios"][1:]
    codes = [code for code, _, _ in _findings(_loads(document))]
    assert "monitoring-zonder-houder" in codes
    assert "casusregie-niet-een" not in codes and "rol-zonder-houder" not in codes
    document["niveaus"][0]["afsluiting"] = "afgesloten"  # closed: nobody needs to keep watch
    assert "monitoring-zonder-houder" not in [code for code, _, _ in _findings(_loads(document))]


# --- the property tests draw these shapes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "has"),
    [
        ("extra roles held on a level", lambda d: any(len(lv["rollen"]) > 4 for lv in d["niveaus"])),
        (
            "three levels over two phases",
            lambda d: len({lv["fase"] for lv in d["niveaus"]}) == 2 == len(d["niveaus"]) - 1,
        ),
        ("a monitoring outcome", lambda d: d["niveaus"][0].get("afsluiting") == "monitoring"),
        (
            "a closed outcome with a phase fact",
            lambda d: (
                d["niveaus"][0].get("afsluiting") == "afgesloten" and any(f["soort"] == "fase" for f in d["feiten"])
            ),
        ),
    ],
)
def test_the_strategies_draw_the_open_structure(shape: str, has: Any) -> None:
    found = find(kaart_documents(), has, settings=settings(max_examples=2_000, database=None, phases=[Phase.generate]))
    assert _loads(found).levels, shape


@pytest.mark.parametrize("path", [EXTRA_ROLES, CLOSING], ids=lambda p: p.stem)
def test_simulate_counts_extra_roles_and_the_closing_outcome(path: Path) -> None:
    kaart = ave_rules.load(path)
    cases = list(_every_case(kaart))
    result = simulate(kaart, cases)
    decisions = [kaart.evaluate(case) for case in cases]
    assert dict(result.levels) == {level: sum(d.level == level for d in decisions) for level in kaart.level_ids}
    for organisation, by_role in result.organisations.items():
        assert list(by_role) == list(kaart.role_ids)
        for role, count in by_role.items():
            assert count == sum(organisation in d.roles[role] for d in decisions)
    assert any(result.organisations[o][kaart.role_ids[-1]] for o in result.organisations)


def test_an_extending_kaart_may_add_a_closing_outcome_below_the_base_kaarts_levels(tmp_path: Path) -> None:
    closing = {
        "id": "0",
        "fase": 0,
        "afsluiting": "afgesloten",
        "kleur": "grijs",
        "naam": "Gesloten",
        "omschrijving": "De casus is gesloten.",
        "rollen": {
            "casusregie": [],
            "procesregie": [],
            "operationele_verantwoordelijkheid": [],
            "bestuurlijke_verantwoordelijkheid": [],
        },
    }
    kaart = _extending(THREE_LEVELS, tmp_path, niveaus=[closing])
    assert kaart.level_ids == ("0", "1", "2", "3")  # a new level goes before the first of a higher phase
    assert (kaart.evaluate({}).level, kaart.evaluate({}).phase) == ("0", 0)
    assert kaart.evaluate({"risico": "zorgen"}).level == "2"
