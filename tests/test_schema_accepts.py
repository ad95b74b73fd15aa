"""The schema as a predicate without jsonschema (``kaart/_accepts.py``) gives jsonschema's verdict:
on every fixture and bundled kaart, and on generated and mutated documents, standalone and
extending (partial items) alike, for kaarten and scenario files. A load asks jsonschema only when
the predicate says no; so whatever the predicate accepts must be what the schema accepts."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ave_rules.kaart import regiekaart_schema, scenario_file_schema
from ave_rules.kaart._accepts import Check, _equal, _uniq, compile_schema
from ave_rules.kaart._schema import _accepts, _validator
from ave_rules.testing.strategies import _paths, kaart_documents, mutated_documents

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("regiekaart", "scenarios", "norm")


def _documents(pattern: str, *folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob(pattern))


KAART_FILES = _documents(
    "*.yaml", ROOT / "regiekaarten", ROOT / "normen", ROOT / "tests" / "fixtures", ROOT / "examples"
)
SCENARIO_FILES = [path for path in KAART_FILES if path.name.endswith(".scenarios.yaml")]


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8", errors="replace"))
    except yaml.YAMLError:
        return None


def same_verdict(document: Any, kind: str) -> None:
    accepts = _accepts(kind)
    assert accepts is not None
    assert accepts(document) == _validator(kind).is_valid(document), json.dumps(document, default=repr)[:2000]


def test_both_schemas_compile() -> None:
    # A keyword the predicate does not know sends every load to jsonschema (slow, still correct):
    # teach _accepts the keyword, with a case here and in the agreement below.
    assert all(_accepts(kind) is not None for kind in ("regiekaart", "scenarios", "norm"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", KAART_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_file_in_the_repository(path: Path, kind: str) -> None:
    same_verdict(_load(path), kind)


def test_the_bundled_kaarten_pass_without_jsonschema() -> None:
    accepts = _accepts("regiekaart")
    assert accepts is not None
    assert all(accepts(_load(path)) for path in sorted((ROOT / "regiekaarten").glob("*.yaml")))


# --- mutations of real documents, extending ones (partial items) included ---------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, 1.0, 2, -1, 0.5, 7, 100, 10**9, float("nan")]),
    st.sampled_from(["", "1", "a", "id", "x\n", "ave-generiek", "2025-01-01", "2025-02-30", "ja", "A" * 201]),
    st.text(max_size=4),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "is", "feit", "x"]), inner, max_size=2)
    ),
    max_leaves=5,
)


def _twin(value: Any) -> Any:
    """A value jsonschema holds equal to ``value`` or tells apart only by type (True and 1)."""
    if value is True or value is False:
        return int(value)
    if isinstance(value, int):
        return float(value)
    return copy.deepcopy(value)


@st.composite
def mutated(draw: st.DrawFn, documents: list[Any]) -> Any:
    document = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(document))[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "remove", "add", "twin", "extends"]))
        if action == "replace":
            parent[path[-1]] = draw(_values)
        elif action == "remove":
            del parent[path[-1]]
        elif action == "twin" and isinstance(parent, list):
            parent.append(_twin(parent[path[-1]]))  # uniqueItems, with 1 and True and 1.0
        elif action == "twin":
            parent[path[-1]] = _twin(parent[path[-1]])
        elif action == "extends" and isinstance(document, dict):
            if "breidt_uit" in document:
                del document["breidt_uit"]
            else:
                document["breidt_uit"] = draw(st.sampled_from(["ave-generiek", "Ongeldig!"]))
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "is", "feit", "alle", "niveau", "vervalt", "waarden"]))] = draw(
                _values
            )
        elif isinstance(parent, list):
            parent.append(draw(_values))
    return document


BUNDLED = [_load(path) for path in sorted((ROOT / "regiekaarten").glob("*.yaml"))]
SCENARIOS = [document for document in map(_load, SCENARIO_FILES) if document is not None]
NORMS = [_load(path) for path in sorted((ROOT / "normen").glob("*.yaml"))]


@settings(max_examples=examples(300, 2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(BUNDLED))
def test_mutated_bundled_kaarten(document: Any) -> None:
    same_verdict(document, "regiekaart")


@settings(max_examples=examples(150, 1000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(SCENARIOS))
def test_mutated_scenario_files(document: Any) -> None:
    same_verdict(document, "scenarios")


@settings(max_examples=examples(100, 600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(NORMS))
def test_mutated_norms(document: Any) -> None:
    same_verdict(document, "norm")


@settings(max_examples=examples(100, 600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(kaart_documents(), kaart_documents(sharing=True), mutated_documents()))
def test_generated_and_mutated_kaarten(document: Any) -> None:
    same_verdict(document, "regiekaart")


# --- the keywords' corners ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "unique"),
    [
        ([1, True], True),
        ([0, False], True),
        ([1, 1.0], False),
        ([[1], [True]], True),
        ([{"a": 1}, {"a": 1.0}], False),
        ([{"a": 1}, {"b": 1}], True),
        (["1", 1], True),
        ([math.nan, float("nan")], True),  # two NaNs: unequal (one NaN twice differs between jsonschema versions)
        ([None, None], False),
        ([[], {}], True),
    ],
)
def test_unique_items_as_jsonschema_reads_them(items: list[Any], unique: bool) -> None:
    schema = {"type": "array", "uniqueItems": True}
    assert _uniq(items) == unique
    assert _compiled(schema)(items) == unique == _draft7(schema).is_valid(items)


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"type": "integer"}, 1.0),
        ({"type": "integer"}, True),
        ({"type": "number"}, False),
        ({"const": 1}, True),
        ({"enum": [[1, 2]]}, [1.0, 2]),
        ({"enum": [False]}, 0),
        ({"minimum": 1}, True),
        ({"maxLength": 2}, 123),
        ({"pattern": "^a$"}, "a\n"),
        ({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"maxProperties": 0}}, {"a": 1}),
        ({"dependencies": {"a": ["b"], "c": {"required": ["d"]}}}, {"c": 1}),
        ({"propertyNames": {"maxLength": 1}}, {"ab": 1}),
        ({"additionalProperties": {"type": "string"}, "properties": {"a": {}}}, {"a": 1, "b": 2}),
    ],
)
def test_keywords_as_jsonschema_reads_them(schema: dict[str, Any], instance: Any) -> None:
    assert _compiled(schema)(instance) == _draft7(schema).is_valid(instance)


def test_a_schema_with_an_unknown_keyword_is_left_to_jsonschema() -> None:
    schemas: tuple[dict[str, Any], ...] = (
        {"patternProperties": {"a": {}}},
        {"contains": {}},
        {"$ref": "other.json"},
        # jsonschema's versions read the siblings of a $ref differently (draft-07: ignored)
        {"$ref": "#/definitions/x", "type": "string", "definitions": {"x": {"type": "integer"}}},
    )
    for schema in schemas:
        assert compile_schema(schema) is None


def test_equal_is_jsonschemas() -> None:
    assert _equal(1, 1.0) and not _equal(1, True) and not _equal("1", 1) and _equal([True], [True])
    assert not _equal({"a": 1}, {"a": 1, "b": 2}) and not _equal([1], [1, 2])


def _compiled(schema: dict[str, Any]) -> Check:
    check = compile_schema(schema)
    assert check is not None
    return check


def _draft7(schema: dict[str, Any]) -> Any:
    from ave_rules.kaart._schema import _draft7

    return _draft7()(schema)


def test_the_published_schemas_are_the_compiled_ones() -> None:
    # The predicate is compiled from the schemas themselves, not from a copy.
    for kind, schema in (("regiekaart", regiekaart_schema()), ("scenarios", scenario_file_schema())):
        assert _validator(kind).schema is schema


def test_a_valid_load_does_not_import_jsonschema_and_a_refused_one_does() -> None:
    script = (
        "import sys, ave_rules\n"
        f"ave_rules.load({str(ROOT / 'regiekaarten' / 'fryslan.yaml')!r})\n"
        "valid = 'jsonschema' in sys.modules\n"
        "try:\n"
        "    ave_rules.loads('formaat: 1\\nid: x\\n', name='kapot.yaml')\n"
        "except ave_rules.RegiekaartError as error:\n"
        "    codes = sorted({problem.code for problem in error.problems})\n"
        "print(valid, 'jsonschema' in sys.modules, codes)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split(None, 2)[:2] == ["False", "True"]
    assert "sleutel-ontbreekt" in done.stdout
