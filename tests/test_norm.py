"""Norms (``ave-rules check KAART --norm NORM``) and the property kinds they brought, ``rol`` and
``rol_alleen_als``: a small kaart per kind of violation, each bad norm a located problem, the
command line, agreement with brute force on generated kaarten, and the shipped Landelijk Kader
norm on every bundled kaart, exactly as ``docs/ave-model.md`` reports it."""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from small_kaarten import HEADER, booleans, rule

import ave_rules
from ave_rules import language
from ave_rules.analysis import Finding, check
from ave_rules.cli import main
from ave_rules.engine import reference_outcome
from ave_rules.engine._reference import _Evaluation
from ave_rules.kaart import (
    BooleanFact,
    NormDocument,
    RoleHolder,
    RoleOnlyIf,
    SetFact,
    bundled_norms,
    fact_values,
    norm_schema,
    read_norm,
    schema_json,
    strict_schema,
)
from ave_rules.testing.strategies import _condition, kaart_documents

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "normen" / "landelijk-kader.yaml"


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the hardened reader refuses anchors: a document that repeats an item writes it twice


def dump(document: Any) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


# --- a small kaart: two levels, procesregie by 'o' on 1 and by 'p' on 2 ----------------------------


def small_kaart(*rules: dict[str, Any], properties: list[dict[str, Any]] | None = None) -> ave_rules.Regiekaart:
    document = copy.deepcopy(HEADER)
    document["organisaties"].append({"id": "p", "naam": "P"})
    document["niveaus"][1]["rollen"]["procesregie"] = ["p"]
    document["feiten"] = booleans(3)
    document["regels"] = list(rules)
    if properties is not None:
        document["eigenschappen"] = properties
    return ave_rules.loads(dump(document), name="klein.yaml", engine="reference")


def norm_document(*properties: dict[str, Any], **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "formaat": 1,
        "id": "proefnorm",
        "naam": "Proefnorm",
        "omschrijving": "Een norm voor de tests.",
        "geldt_voor": "grens",
        "bronnen": [{"url": "https://example.org/kader", "naam": "Een kader"}],
        "eigenschappen": list(properties),
    }
    document.update(changes)
    return document


def write_norm(tmp_path: Path, document: Any, name: str = "proef.yaml") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else dump(document), encoding="utf-8")
    return path


def role(identifier: str, condition: Any, *, only_if: bool = False, organisation: str = "p") -> dict[str, Any]:
    return {
        "id": identifier,
        "toelichting": "Rol.",
        "soort": "rol_alleen_als" if only_if else "rol",
        "als": condition,
        "rol": "procesregie",
        "organisatie": organisation,
    }


B0_AND_B2 = rule("niveau-2", {"alle": [{"feit": "b0", "is": True}, {"feit": "b2", "is": True}]})
B0_AND_B1 = {"alle": [{"feit": "b0", "is": True}, {"feit": "b1", "is": True}]}


def norm_findings(kaart: ave_rules.Regiekaart, norm: Path | NormDocument) -> list[Finding]:
    return [finding for finding in check(kaart, norm=norm).findings if finding.norm is not None]


# --- one small kaart per kind of violation -------------------------------------------------------


def test_a_norm_that_holds_gives_no_norm_finding(tmp_path: Path) -> None:
    kaart = small_kaart(B0_AND_B2)
    norm = write_norm(
        tmp_path, norm_document(role("b0-b2", {"alle": [{"feit": "b0", "is": True}, {"feit": "b2", "is": True}]}))
    )
    assert norm_findings(kaart, norm) == []
    assert check(kaart, norm=norm).clean


def test_rol_violated_where_the_condition_holds_and_the_organisation_does_not_hold_the_role(tmp_path: Path) -> None:
    kaart = small_kaart(B0_AND_B2)
    norm = write_norm(tmp_path, norm_document(role("b0-b1-p", B0_AND_B1)))
    (finding,) = norm_findings(kaart, norm)
    assert finding.code == "norm-geschonden" and finding.severity == "fout" and finding.norm == "proefnorm"
    assert finding.ids == ("b0-b1-p",)
    assert finding.example == {"b0": True, "b1": True}  # the smallest case: two facts changed
    assert kaart.evaluate(finding.example).roles["procesregie"] == ("o",)
    problem = finding.problem
    assert (problem.file, problem.line, problem.path) == (
        str(norm),
        _line_of(norm, "- id: b0-b1-p"),
        "/eigenschappen/0",
    )
    assert problem.message == (
        "norm 'proefnorm': eigenschap 'b0-b1-p' (rol) geldt niet voor kaart 'grens' versie 1: in sommige casussen"
        " waarin de voorwaarde geldt, draagt 'p' niet de procesregie: het niveau is 1, met als procesregie: o"
    )
    assert not check(kaart, norm=norm).clean


def test_rol_alleen_als_violated_where_the_organisation_holds_the_role_outside_the_condition(tmp_path: Path) -> None:
    kaart = small_kaart(rule("niveau-2", {"feit": "b1", "is": True}))
    norm = write_norm(tmp_path, norm_document(role("p-alleen-b0", {"feit": "b0", "is": True}, only_if=True)))
    (finding,) = norm_findings(kaart, norm)
    assert finding.ids == ("p-alleen-b0",) and finding.example == {"b1": True}
    assert kaart.evaluate(finding.example).roles["procesregie"] == ("p",)
    with language("en"):
        assert finding.message.endswith(
            "property 'p-alleen-b0' (rol_alleen_als) does not hold for kaart 'grens' version 1: in some cases"
            " where the condition does not hold, 'p' still holds the procesregie, on level 2"
        )


def test_ondergrens_and_monotoon_in_a_norm_are_norm_findings_with_their_examples(tmp_path: Path) -> None:
    kaart = small_kaart(rule("niveau-2", {"alle": [{"feit": "b0", "is": True}, {"feit": "b1", "is": False}]}))
    bound = {"id": "b0-is-2", "toelichting": "B0.", "soort": "ondergrens", "als": {"feit": "b0", "is": True}}
    bound["niveau"] = "2"
    monotone = {"id": "erger", "toelichting": "Erger.", "soort": "monotoon", "feiten": ["b1"]}
    norm = write_norm(tmp_path, norm_document(bound, monotone))
    found = {finding.ids[0]: finding for finding in norm_findings(kaart, norm)}
    assert set(found) == {"b0-is-2", "erger"}
    assert found["b0-is-2"].example == {"b0": True, "b1": True}
    before, after = found["erger"].examples
    assert (before, after) == ({"b0": True, "b1": False}, {"b0": True, "b1": True})
    assert "als 'b1' erger wordt (false → true), daalt het niveau van 2 naar 1" in found["erger"].message


def test_a_norm_condition_may_look_at_the_decided_level(tmp_path: Path) -> None:
    kaart = small_kaart(B0_AND_B2)
    below = {"alle": [*B0_AND_B1["alle"], {"niveau": {"boven": "1"}}]}
    norm = write_norm(tmp_path, norm_document(role("b0-b1-op-2", below)))
    assert norm_findings(kaart, norm) == []


def test_the_kaart_itself_can_declare_the_new_kinds() -> None:
    declared = [role("b0-b1-p", B0_AND_B1), role("p-alleen-b0", {"feit": "b0", "is": True}, only_if=True)]
    kaart = small_kaart(B0_AND_B2, properties=declared)
    (finding,) = [finding for finding in check(kaart).findings if finding.code == "eigenschap-geschonden"]
    assert finding.ids == ("b0-b1-p",) and finding.problem.path == "/eigenschappen/0"
    assert finding.example == {"b0": True, "b1": True} and finding.norm is None


@pytest.mark.parametrize(
    ("declared", "code", "path"),
    [
        (role("x", {"feit": "b9", "is": True}), "onbekende-verwijzing", "/eigenschappen/0/als/feit"),
        (
            role("x", {"feit": "b0", "is": True}, organisation="q"),
            "onbekende-verwijzing",
            "/eigenschappen/0/organisatie",
        ),
        # A role the kaart does not know (neither an AVE role nor one of its extra roles).
        ({**role("x", {"feit": "b0", "is": True}), "rol": "regie"}, "onbekende-verwijzing", "/eigenschappen/0/rol"),
        ({**role("x", {"feit": "b0", "is": True}), "rol": "Regie"}, "patroon", "/eigenschappen/0/rol"),
        (
            {**role("x", {"feit": "b0", "is": True}), "feiten": ["b0"]},
            "eigenschap-sleutel-bij-soort",
            "/eigenschappen/0/feiten",
        ),
        (
            {k: v for k, v in role("x", {"feit": "b0", "is": True}).items() if k != "organisatie"},
            "sleutel-ontbreekt",
            "/eigenschappen/0",
        ),
    ],
)
def test_a_badly_declared_role_property_is_a_located_load_problem(
    declared: dict[str, Any], code: str, path: str
) -> None:
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        small_kaart(B0_AND_B2, properties=[declared])
    assert [(problem.code, problem.path) for problem in caught.value.problems] == [(code, path)]


# --- bad norms: each a located problem ------------------------------------------------------------


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


GOOD = role("b0-b2", {"alle": [{"feit": "b0", "is": True}, {"feit": "b2", "is": True}]})


@pytest.mark.parametrize(
    ("document", "code", "path", "words"),
    [
        (
            norm_document(role("x", {"feit": "b00", "is": True})),
            "norm-onbekende-verwijzing",
            "/eigenschappen/0/als/feit",
            "(bedoelt u 'b0'?)",
        ),
        (
            norm_document(role("x", {"feit": "b0", "is": True}, organisation="pp")),
            "norm-onbekende-verwijzing",
            "/eigenschappen/0/organisatie",
            "bestaat niet in kaart 'grens' (bedoelt u 'p'?)",
        ),
        (
            norm_document(role("x", {"niveau": {"is": "3"}})),
            "norm-onbekende-verwijzing",
            "/eigenschappen/0/als/niveau/is",
            "niveau '3'",
        ),
        (norm_document(role("x", {"feit": "b0", "is": "ja"})), "waarde-type-feit", "/eigenschappen/0/als/is", ""),
        (
            norm_document(GOOD, geldt_voor="ave-generiek"),
            "norm-niet-van-toepassing",
            "/geldt_voor",
            "kaart 'grens' doet dat niet",
        ),
        (norm_document(GOOD, GOOD), "dubbele-id", "/eigenschappen/1/id", ""),
        (norm_document(GOOD, geldt_voorr="grens"), "onbekende-sleutel", "/geldt_voorr", "(bedoelt u 'geldt_voor'?)"),
        ({k: v for k, v in norm_document(GOOD).items() if k != "bronnen"}, "sleutel-ontbreekt", "", "bronnen"),
        (norm_document(GOOD, bronnen=[{"url": "example.org", "naam": "X"}]), "patroon", "/bronnen/0/url", "http://"),
        (norm_document(), "te-weinig-items", "/eigenschappen", ""),
        (norm_document(GOOD, formaat=2), "vaste-waarde", "/formaat", ""),
        (norm_document({**GOOD, "acties": ["a", "b"]}), "eigenschap-sleutel-bij-soort", "/eigenschappen/0/acties", ""),
        ([GOOD], "geen-mapping", "", ""),
        ("formaat: 1\nid: a\nid: b\n", "dubbele-sleutel", "", ""),
        ("formaat: &f 1\nid: *f\n", "anker-alias", "", ""),
        ("formaat: !!str 1\n", "tag", "", ""),
    ],
)
def test_a_bad_norm_is_a_located_problem_in_the_norm_file(
    tmp_path: Path, document: Any, code: str, path: str, words: str
) -> None:
    kaart = small_kaart(B0_AND_B2)
    norm = write_norm(tmp_path, document)
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        check(kaart, norm=norm)
    problems = caught.value.problems
    assert code in [problem.code for problem in problems], [problem.code for problem in problems]
    problem = next(problem for problem in problems if problem.code == code)
    assert problem.file == str(norm) and problem.line >= 1 and problem.column >= 1
    if code not in ("dubbele-sleutel", "anker-alias", "tag"):
        assert problem.path == path
    assert words in problem.message
    with language("en"):
        assert problem.message and problem.message != problem.message_in("nl")


def test_a_huge_norm_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "groot.yaml"
    path.write_text("# " + "x" * (ave_rules.kaart.MAX_BYTES + 10) + "\n", encoding="utf-8")
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        read_norm(path)
    assert caught.value.problems[0].file == str(path)


def test_an_unknown_norm_name_suggests_the_bundled_one() -> None:
    with pytest.raises(ave_rules.RegiekaartError) as caught:
        read_norm("landelijk-kadr")
    (problem,) = caught.value.problems
    assert problem.code == "norm-onbekend" and "(bedoelt u 'landelijk-kader'?)" in problem.message
    assert bundled_norms() == ["landelijk-kader"]


def test_the_norm_is_read_by_name_or_by_file_alike() -> None:
    by_name, by_file = read_norm("landelijk-kader"), read_norm(SHIPPED)
    assert by_name.content == by_file.content
    assert by_name.content.applies_to == "ave-generiek" and by_name.content.sources


# --- the published schema -------------------------------------------------------------------------


def test_published_norm_schemas_are_the_source() -> None:
    published = (ROOT / "schemas" / "norm.schema.json").read_text(encoding="utf-8")
    assert published == schema_json(norm_schema()), "run `ave-rules schema --norm > schemas/norm.schema.json`"
    strict = (ROOT / "schemas" / "norm.strict.schema.json").read_text(encoding="utf-8")
    assert strict == schema_json(strict_schema(norm_schema())), "run `ave-rules schema --norm --strikt > ...`"


def test_the_norm_schema_refuses_unknown_keys_everywhere() -> None:
    schema = norm_schema()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["bronnen"]["items"]["additionalProperties"] is False
    assert schema["definitions"]["eigenschap"]["additionalProperties"] is False


def test_the_shipped_norm_passes_plain_jsonschema_and_names_its_sources() -> None:
    import jsonschema

    document = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(norm_schema()).validate(document)
    assert all(source["url"].startswith("https://") for source in document["bronnen"])


# --- the command line -----------------------------------------------------------------------------


def test_check_with_a_norm_exits_1_on_a_violation_and_0_when_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generic = str(ROOT / "regiekaarten" / "ave-generiek.yaml")
    assert main(["check", generic, "--norm", "landelijk-kader"]) == 0
    capsys.readouterr()
    assert main(["check", str(ROOT / "regiekaarten" / "fryslan.yaml"), "--norm", "landelijk-kader"]) == 1
    out = capsys.readouterr().out
    assert "norm 'landelijk-kader': eigenschap 'procesregie-zvh-alleen-binnen-de-criteria'" in out
    assert "landelijk-kader.yaml:" in out and "voorbeeld (feiten die afwijken van de standaard)" in out
    assert main(["check", generic, "--norm", str(SHIPPED), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["norm"]["id"] == "landelijk-kader" and document["kaarten"][0]["norm"] is True


def test_check_with_a_norm_in_json_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    fryslan = str(ROOT / "regiekaarten" / "fryslan.yaml")
    assert main(["check", fryslan, "--norm", "landelijk-kader", "--format", "json", "--lang", "en"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["clean"] is False and document["kaarten"][0]["norm"] is False
    (finding,) = [finding for finding in document["findings"] if finding.get("norm")]
    assert finding["code"] == "norm-geschonden" and finding["severity"] == "fout"
    assert finding["message"].startswith("norm 'landelijk-kader': property")
    assert finding["example"]["dwang_drang_nodig"] is True


def test_check_with_a_bad_norm_reports_it_and_checks_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generic = str(ROOT / "regiekaarten" / "ave-generiek.yaml")
    assert main(["check", generic, "--norm", "landelijk-kadr"]) == 1
    captured = capsys.readouterr()
    assert "landelijk-kadr:1:1: norm 'landelijk-kadr' is geen bestand" in captured.out
    assert "ave-generiek versie" not in captured.out
    norm = write_norm(tmp_path, norm_document(GOOD))  # for kaart 'grens', not for the generic kaart
    assert main(["check", generic, "--norm", str(norm), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [problem["code"] for problem in document["problems"]] == ["norm-niet-van-toepassing"]
    assert document["problems"][0]["path"] == "/geldt_voor"


def test_the_schema_command_prints_the_norm_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--norm"]) == 0
    assert capsys.readouterr().out == schema_json(norm_schema())


# --- agreement with brute force -----------------------------------------------------------------


def _every_case(kaart: ave_rules.Regiekaart) -> list[dict[str, Any]]:
    domains: list[list[Any]] = []
    for fact in kaart.facts:
        if isinstance(fact, SetFact):
            values = fact.values
            domains.append([frozenset(c) for n in range(len(values) + 1) for c in itertools.combinations(values, n)])
        elif isinstance(fact, BooleanFact):
            domains.append([False, True])
        else:
            domains.append(list(fact_values(fact, kaart.level_ids)))
    return [dict(zip((f.id for f in kaart.facts), values, strict=True)) for values in itertools.product(*domains)]


@st.composite
def kaarten_with_role_properties(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(kaart_documents(max_facts=3, max_derived=2, max_rules=5))
    derived = [item["id"] for item in document["afgeleide_feiten"]]
    level_ids = [level["id"] for level in document["niveaus"]]
    organisations = [item["id"] for item in document["organisaties"]]
    properties = []
    for index in range(draw(st.integers(1, 3))):
        condition = draw(_condition(document["feiten"], derived, level_ids, decided_level=draw(st.booleans())))
        properties.append(
            {
                "id": f"e{index}",
                "toelichting": "Eigenschap.",
                "soort": draw(st.sampled_from(["rol", "rol_alleen_als"])),
                "als": condition,
                "rol": draw(st.sampled_from(["casusregie", "procesregie", "operationele_verantwoordelijkheid"])),
                "organisatie": draw(st.sampled_from(organisations)),
            }
        )
    document["eigenschappen"] = properties
    return document


@settings(
    max_examples=examples(30, 200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(kaarten_with_role_properties())
def test_role_properties_agree_with_brute_force_on_small_kaarten(document: dict[str, Any]) -> None:
    kaart = ave_rules.loads(dump(document), name="klein.yaml", engine="reference")
    cases = _every_case(kaart)
    assume(len(cases) <= 4096)
    smallest: dict[str, int] = {}
    for case in cases:
        evaluation = _Evaluation(kaart, case)
        level = evaluation.outcome().level
        assert level == reference_outcome(kaart, case).level
        holders = kaart.level_by_id[level].roles
        for declared in kaart.properties:
            assert isinstance(declared, RoleHolder | RoleOnlyIf)
            holds = evaluation.holds(declared.condition)
            held = declared.organisation in holders.holders(declared.role)
            violated = holds and not held if declared.kind == "rol" else held and not holds
            if violated:
                changed = sum(case[name] != default for name, default in kaart.defaults.items())
                smallest[declared.id] = min(smallest.get(declared.id, 99), changed)
    found = {f.ids[0]: f for f in check(kaart).findings if f.code == "eigenschap-geschonden"}
    assert set(found) == set(smallest)
    for identifier, size in smallest.items():
        example = found[identifier].example
        assert example is not None and len(example) == size
        decision = kaart.evaluate(example)  # the engine confirms the example violates the property
        declared = next(d for d in kaart.properties if d.id == identifier)
        assert isinstance(declared, RoleHolder | RoleOnlyIf)
        held = declared.organisation in decision.roles[declared.role]
        assert held is (declared.kind == "rol_alleen_als")


# --- the shipped norm on every bundled kaart, as docs/ave-model.md says ---------------------------

_ROW = re.compile(r"^\| `(?P<file>[a-z0-9-]+\.yaml)` \| (?P<version>[^|]+) \| (?P<verdict>yes|no) \| (?P<rest>.*)\|$")


def documented_verdicts() -> dict[str, tuple[str, str, list[str], list[dict[str, Any]]]]:
    """From the table in docs/ave-model.md: per kaart file, its version, whether it meets the norm,
    the properties it breaks and the minimal example of each."""
    text = (ROOT / "docs" / "ave-model.md").read_text(encoding="utf-8")
    section = text.split("## The Landelijk Kader as a norm", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = _ROW.match(line)
        if match:
            cells = [cell.strip() for cell in match["rest"].split(" | ")]
            broken = re.findall(r"`([a-z0-9-]+)`", cells[0])
            found_examples = [json.loads(example) for example in re.findall(r"`(\{.*?\})`", cells[1])]
            rows[match["file"]] = (match["version"].strip(), match["verdict"], broken, found_examples)
    return rows


def test_the_docs_table_covers_every_bundled_kaart() -> None:
    assert set(documented_verdicts()) == {path.name for path in (ROOT / "regiekaarten").glob("*.yaml")}


@pytest.mark.parametrize("path", sorted((ROOT / "regiekaarten").glob("*.yaml")), ids=lambda path: path.name)
def test_the_shipped_norm_gives_each_bundled_kaart_the_verdict_the_docs_state(path: Path) -> None:
    version, verdict, broken, documented = documented_verdicts()[path.name]
    (kaart,) = [k for k in ave_rules.load_versions(path.parent) if str(path) in k.source_files[:1]]
    assert kaart.version == version
    findings = norm_findings(kaart, read_norm("landelijk-kader"))
    assert (verdict == "yes") is (not findings)
    assert [finding.ids[0] for finding in findings] == broken
    assert [finding.example for finding in findings] == documented
    for finding in findings:  # the engine confirms: the ZVH holds procesregie outside the criteria
        assert finding.example is not None
        assert "zvh" in kaart.evaluate(finding.example).roles["procesregie"]


def test_a_rendered_kaart_says_what_its_role_properties_claim() -> None:
    declared = [role("b0-b2-p", {"alle": [{"feit": "b0", "is": True}, {"feit": "b2", "is": True}]})]
    declared.append(role("p-alleen-b0", {"feit": "b0", "is": True}, only_if=True))
    text = ave_rules.render_markdown(small_kaart(B0_AND_B2, properties=declared))
    assert "dan draagt P de procesregie" in text
    assert "P draagt de procesregie alleen als" in text
