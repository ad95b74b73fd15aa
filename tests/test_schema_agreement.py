"""The published JSON Schema and the pydantic models accept and reject the same documents; so does
the strict variant for validators in strict mode, and the real ajv compiles and applies it."""

from __future__ import annotations

import json
import subprocess
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, given, settings
from tools import npm_tool

import ave_rules
from ave_rules.kaart import Regiekaart, regiekaart_schema, scenario_file_schema, schema_json, strict_schema
from ave_rules.kaart._schema import _draft7, _validator
from ave_rules.testing.strategies import kaart_documents, mutated_documents

ROOT = Path(__file__).resolve().parents[1]
#: The schema as JSON Schema reads it (ECMA-262 patterns: ``$`` ends the text, so ``"x\n"`` is no
#: id), which is how the library validates; jsonschema's own Python ``$`` would accept a final newline.
VALIDATOR = _validator("regiekaart")
#: libyaml's emitter: for generated kaarten the same text as yaml.safe_dump, several times faster.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


STRICT = _draft7()(strict_schema(regiekaart_schema()))


def schema_accepts(document: Any) -> bool:
    return VALIDATOR.is_valid(document)


def model_accepts(document: Any) -> bool:
    try:
        Regiekaart.model_validate(document)
    except pydantic.ValidationError:
        return False
    return True


def test_published_schema_is_the_source() -> None:
    published = (ROOT / "schemas" / "regiekaart.schema.json").read_text(encoding="utf-8")
    assert published == schema_json(), "run `ave-rules schema > schemas/regiekaart.schema.json`"
    for name, schema in (("regiekaart", regiekaart_schema()), ("scenarios", scenario_file_schema())):
        strict = (ROOT / "schemas" / f"{name}.strict.schema.json").read_text(encoding="utf-8")
        option = " --scenarios" if name == "scenarios" else ""
        assert strict == schema_json(strict_schema(schema)), f"run `ave-rules schema{option} --strikt > ...`"


def test_the_strict_schema_has_no_union_types_and_no_editor_keywords() -> None:
    text = schema_json(strict_schema(regiekaart_schema()))
    assert '"defaultSnippets"' not in text and '"defaultSnippets"' in schema_json()
    assert not any(isinstance(node.get("type"), list) for _, node in _nodes(strict_schema(regiekaart_schema())))
    assert any(isinstance(node.get("type"), list) for _, node in _nodes(regiekaart_schema()))


def _nodes(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            found.extend(_nodes(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_nodes(value, f"{path}/{index}"))
    return found


def test_schema_is_valid_draft_07() -> None:
    jsonschema.Draft7Validator.check_schema(regiekaart_schema())
    assert regiekaart_schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


def _objects(node: Any) -> list[tuple[str, dict[str, Any]]]:
    def is_object(kind: Any) -> bool:
        return kind == "object" or (isinstance(kind, list) and "object" in kind)

    return [(path, found) for path, found in _nodes(node) if is_object(found.get("type"))]


def test_every_object_forbids_unknown_keys() -> None:
    # The open mappings are a scenario's case facts, a level's gegevensdeling per process step and a
    # level's roles: their keys are the kaart's own fact names, step ids and extra roles.
    open_mappings = {
        "#/definitions/scenario/properties/feiten",
        "#/definitions/rollen",
        "#/definitions/rollen_aanpassing",
        "#/definitions/gegevensdeling/properties/stappen",
        "#/definitions/gegevensdeling_aanpassing/properties/stappen",
    }
    for path, schema in _objects(regiekaart_schema()):
        if "/if" in path:  # a condition ("is this a fact of kind X?"), not an object's definition
            continue
        if path in open_mappings:
            assert schema["additionalProperties"] != {}
            assert "propertyNames" in schema
        else:
            assert schema.get("additionalProperties") is False, path


def test_every_property_has_dutch_help() -> None:
    for path, schema in _objects(regiekaart_schema()):
        if "/if" in path:
            continue
        assert schema.get("description"), path
        for name, prop in schema.get("properties", {}).items():
            if isinstance(prop, dict) and "$ref" not in prop:
                assert prop.get("description"), f"{path}/properties/{name}"


@settings(max_examples=examples(50, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kaart_documents())
def test_generated_kaarten_are_accepted_by_both(document: dict[str, Any]) -> None:
    assert schema_accepts(document)
    assert model_accepts(document)


@settings(max_examples=examples(30, 200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kaart_documents())
def test_generated_kaarten_load_from_yaml(document: dict[str, Any]) -> None:
    kaart = ave_rules.loads(yaml.dump(document, Dumper=DUMPER, allow_unicode=True), name="gegenereerd.yaml")
    assert kaart.id == "gegenereerd"
    assert len(kaart.rules) == len(document["regels"])


@settings(max_examples=examples(200, 1200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_schema_and_models_agree(document: dict[str, Any]) -> None:
    assert schema_accepts(document) == model_accepts(document), json.dumps(document, ensure_ascii=False)


@settings(max_examples=examples(200, 1200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_the_strict_schema_gives_the_same_verdict(document: dict[str, Any]) -> None:
    assert STRICT.is_valid(document) == schema_accepts(document), json.dumps(document, ensure_ascii=False)


def _run_ajv(*arguments: str) -> subprocess.CompletedProcess[str]:
    # Strict mode is ajv's default; ajv-formats (installed beside ajv-cli) knows "date" and "date-time".
    command = [npm_tool("ajv", "AVE_RULES_AJV", "AVE_RULES_REQUIRE_AJV", "ajv-cli with ajv-formats"), *arguments]
    command += ["--spec=draft7", "-c", "ajv-formats"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    "name",
    ["regiekaart.strict", "scenarios.strict", "norm.strict", "decision", "record", "history"],
    ids=lambda name: name,
)
def test_ajv_compiles_each_published_schema_in_strict_mode_without_a_remark(name: str) -> None:
    done = _run_ajv("compile", "-s", str(ROOT / "schemas" / f"{name}.schema.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "strict mode" not in done.stdout + done.stderr


def test_ajv_refuses_the_editor_schema_in_strict_mode_for_its_editor_keywords_only() -> None:
    # Why the strict variant exists: the schema for editors has defaultSnippets.
    done = _run_ajv("compile", "-s", str(ROOT / "schemas" / "regiekaart.schema.json"))
    assert done.returncode != 0 and 'unknown keyword: "defaultSnippets"' in done.stdout + done.stderr


def test_ajv_accepts_every_bundled_kaart_and_refuses_a_broken_one(tmp_path: Path) -> None:
    schema = str(ROOT / "schemas" / "regiekaart.strict.schema.json")
    for path in sorted((ROOT / "regiekaarten").glob("*.yaml")):
        data = tmp_path / f"{path.stem}.json"
        data.write_text(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))), encoding="utf-8")
        done = _run_ajv("validate", "-s", schema, "-d", str(data))
        assert done.returncode == 0, done.stdout + done.stderr
    broken = json.loads((tmp_path / "ave-generiek.json").read_text(encoding="utf-8"))
    broken["niveaus"][0]["fase"] = "een"
    (tmp_path / "kapot.json").write_text(json.dumps(broken), encoding="utf-8")
    done = _run_ajv("validate", "-s", schema, "-d", str(tmp_path / "kapot.json"))
    assert done.returncode != 0 and "/niveaus/0/fase" in done.stdout + done.stderr


def test_ajv_accepts_every_bundled_norm_and_refuses_a_broken_one(tmp_path: Path) -> None:
    schema = str(ROOT / "schemas" / "norm.strict.schema.json")
    for path in sorted((ROOT / "normen").glob("*.yaml")):
        data = tmp_path / f"{path.stem}.json"
        data.write_text(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))), encoding="utf-8")
        done = _run_ajv("validate", "-s", schema, "-d", str(data))
        assert done.returncode == 0, done.stdout + done.stderr
    broken = json.loads((tmp_path / "landelijk-kader.json").read_text(encoding="utf-8"))
    broken["eigenschappen"][0]["organisatie_id"] = "zvh"
    (tmp_path / "kapot.json").write_text(json.dumps(broken), encoding="utf-8")
    done = _run_ajv("validate", "-s", schema, "-d", str(tmp_path / "kapot.json"))
    assert done.returncode != 0 and "/eigenschappen/0" in done.stdout + done.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "regiekaarten").glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_kaarten_pass_plain_jsonschema(path: Path) -> None:
    # A plain YAML 1.1 reader and plain jsonschema, as any other tool would use them.
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    VALIDATOR.validate(document)


@pytest.mark.parametrize("path", sorted((ROOT / "regiekaarten").glob("*.yaml")), ids=lambda p: p.name)
def test_a_loaded_kaart_dumps_without_serializer_warnings(path: Path) -> None:
    # Conditions are a union told apart by their Dutch key when read, and by their model when dumped.
    kaart = ave_rules.load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped = kaart.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert Regiekaart.model_validate(dumped).model_dump() == kaart.model_dump()
