"""Whether a document passes a schema of this package, without importing jsonschema.

Loading a kaart that passes its schema needs only a yes; the located messages of a kaart that
does not pass come from jsonschema (``_schema.schema_problems``), which takes some 50 ms to
import in a fresh process (with ``referencing`` and its metaschemas). This compiles a schema
into one predicate, keyword by keyword as jsonschema's ``Draft7Validator`` reads it (the
``_keywords`` and ``_legacy_keywords`` of jsonschema 4), with ``pattern`` as ECMA-262 reads it,
as ``_schema`` extends the validator. Only the keywords the schemas use are known; a schema with
any other draft-07 keyword is refused at compile time (``compile_schema`` gives None), and then
every document is validated by jsonschema. ``tests/test_schema_accepts.py`` holds the predicate to
jsonschema on every fixture and on generated and mutated kaarten.
"""

from __future__ import annotations

import itertools
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import _terms as t

Check = Callable[[Any], bool]

#: Keywords that never decide validity (annotations, and ``format``: the schemas are applied
#: without a format checker, as jsonschema does by default).
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "definitions", "format"}
    | {"defaultSnippets", "markdownDescription", "then", "else"}  # then/else: read with "if"
)


class _UnknownKeyword(ValueError):
    """A keyword this module does not evaluate (control flow within this module)."""


def compile_schema(schema: Mapping[str, Any] | bool) -> Check | None:
    """The predicate "passes ``schema``" (draft-07, references within ``schema`` only), or None
    when ``schema`` uses a keyword this module does not evaluate."""
    try:
        return _compile(schema)
    except _UnknownKeyword:
        return None


def _compile(schema: Mapping[str, Any] | bool) -> Check:
    root = schema
    compiled: dict[str, Check] = {}

    def reference(pointer: str) -> Check:
        if not pointer.startswith("#"):
            raise _UnknownKeyword(f"$ref {pointer!r}")
        if pointer not in compiled:
            compiled[pointer] = lambda value: True  # a recursive reference, filled in below
            node: Any = root
            for part in filter(None, pointer[1:].split("/")):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            check = build(node)
            compiled[pointer] = check
        target = pointer
        return lambda value: compiled[target](value)

    def build(node: Any) -> Check:
        if node is True or (isinstance(node, dict) and not node):
            return lambda value: True
        if node is False:
            return lambda value: False
        if not isinstance(node, Mapping):
            raise _UnknownKeyword(f"schema {node!r}")
        if "$ref" in node:
            # Draft-07 ignores a $ref's siblings, but jsonschema before 4.19 reads them: a schema
            # that has any besides annotations is left to jsonschema (this package's have none).
            if any(name not in _ANNOTATIONS for name in node if name != "$ref"):
                raise _UnknownKeyword("a $ref with siblings")
            return reference(node["$ref"])
        found = (_keyword(name, value, node, build) for name, value in node.items() if name not in _ANNOTATIONS)
        checks = [check for check in found if check is not None]
        return _every(checks)

    return build(schema)


def _every(checks: list[Check]) -> Check:
    """All of ``checks`` (a loop: the hot path of a load, faster than ``all`` over a generator)."""
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def check(value: Any) -> bool:
        for each in checks:  # noqa: SIM110 - the loop is the faster form here
            if not each(value):
                return False
        return True

    return check


def _keyword(name: str, value: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check | None:
    factory = _KEYWORDS.get(name)
    if factory is None:
        raise _UnknownKeyword(name)
    return factory(value, node, build)


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, numbers.Number)
    raise _UnknownKeyword(f"type {name!r}")


def _type(types: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    names = [types] if isinstance(types, str) else list(types)
    for name in names:
        _is_type(None, name)  # an unknown type name is refused now, not at a document
    if len(names) == 1:
        only = names[0]
        return lambda value: _is_type(value, only)
    return lambda value: any(_is_type(value, name) for name in names)


def _properties(properties: Mapping[str, Any], node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    checks = [(key, build(subschema)) for key, subschema in properties.items()]

    def check(value: Any) -> bool:
        if isinstance(value, dict):
            for key, each in checks:
                if key in value and not each(value[key]):
                    return False
        return True

    return check


def _additional(additional: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    if "patternProperties" in node:
        raise _UnknownKeyword("patternProperties")
    known = frozenset(node.get("properties", {}))
    if additional is True or (isinstance(additional, dict) and not additional):
        return lambda value: True
    if additional is False:
        return lambda value: not isinstance(value, dict) or known.issuperset(value)
    each = build(additional)
    return lambda value: not isinstance(value, dict) or all(each(value[k]) for k in value if k not in known)


def _required(required: Sequence[str], node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    return lambda value: not isinstance(value, dict) or all(key in value for key in required)


def _property_names(names: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    each = build(names)
    return lambda value: not isinstance(value, dict) or all(each(key) for key in value)


def _dependencies(dependencies: Mapping[str, Any], node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    checks: list[tuple[str, Check]] = []
    for key, dependency in dependencies.items():
        if isinstance(dependency, list):
            checks.append((key, _has_all(tuple(dependency))))
        else:
            checks.append((key, build(dependency)))
    return lambda value: not isinstance(value, dict) or all(check(value) for key, check in checks if key in value)


def _has_all(keys: tuple[str, ...]) -> Check:
    return lambda value: all(key in value for key in keys)


def _items(items: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    if isinstance(items, list):
        raise _UnknownKeyword("items as a list")
    each = build(items)

    def check(value: Any) -> bool:
        if isinstance(value, list):
            for item in value:
                if not each(item):
                    return False
        return True

    return check


def _unique_items(unique: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check | None:
    if not unique:
        return None
    return lambda value: not isinstance(value, list) or _uniq(value)


def _pattern(pattern: str, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    search = re.compile(t.python_pattern(pattern)).search
    return lambda value: not isinstance(value, str) or search(value) is not None


def _compare(test: Callable[[Any, Any], bool], kind: str) -> Callable[[Any, Mapping[str, Any], Any], Check]:
    def factory(limit: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
        if kind == "number":
            return lambda value: not _is_type(value, "number") or test(value, limit)
        sized = {"string": str, "array": list, "object": dict}[kind]
        return lambda value: not isinstance(value, sized) or test(len(value), limit)

    return factory


def _const(constant: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    return lambda value: _equal(value, constant)


def _enum(choices: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    return lambda value: any(_equal(choice, value) for choice in choices)


def _not(subschema: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    inner = build(subschema)
    return lambda value: not inner(value)


def _all_of(subschemas: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    return _every([build(subschema) for subschema in subschemas])


def _any_of(subschemas: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    checks = [build(subschema) for subschema in subschemas]
    return lambda value: any(check(value) for check in checks)


def _one_of(subschemas: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    checks = [build(subschema) for subschema in subschemas]
    return lambda value: sum(1 for check in checks if check(value)) == 1


def _if(condition: Any, node: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    test = build(condition)
    then = build(node["then"]) if "then" in node else None
    otherwise = build(node["else"]) if "else" in node else None

    def check(value: Any) -> bool:
        if test(value):
            return then is None or then(value)
        return otherwise is None or otherwise(value)

    return check


_KEYWORDS: dict[str, Callable[[Any, Mapping[str, Any], Callable[[Any], Check]], Check | None]] = {
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "propertyNames": _property_names,
    "dependencies": _dependencies,
    "items": _items,
    "uniqueItems": _unique_items,
    "pattern": _pattern,
    "minLength": _compare(lambda size, limit: size >= limit, "string"),
    "maxLength": _compare(lambda size, limit: size <= limit, "string"),
    "minItems": _compare(lambda size, limit: size >= limit, "array"),
    "maxItems": _compare(lambda size, limit: size <= limit, "array"),
    "minProperties": _compare(lambda size, limit: size >= limit, "object"),
    "maxProperties": _compare(lambda size, limit: size <= limit, "object"),
    "minimum": _compare(lambda value, limit: not value < limit, "number"),
    "maximum": _compare(lambda value, limit: not value > limit, "number"),
    "const": _const,
    "enum": _enum,
    "not": _not,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "if": _if,
}


# jsonschema's ``_utils.equal``, ``unbool`` and ``uniq`` (MIT licence), as its keywords use them:
# True and 1, False and 0 differ; sequences and mappings compare item by item.


def _equal(one: Any, two: Any) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two, strict=False))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return one.keys() == two.keys() and all(_equal(one[key], two[key]) for key in one)
    return bool(_unbool(one) == _unbool(two))


_TRUE, _FALSE = object(), object()


def _unbool(element: Any) -> Any:
    if element is True:
        return _TRUE
    if element is False:
        return _FALSE
    return element


def _uniq(container: list[Any]) -> bool:
    try:
        ordered = sorted(_unbool(item) for item in container)
        for one, two in zip(ordered, itertools.islice(ordered, 1, None), strict=False):
            if _equal(one, two):
                return False
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for item in container:
            item = _unbool(item)
            if any(_equal(other, item) for other in seen):
                return False
            seen.append(item)
    return True
