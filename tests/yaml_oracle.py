"""The YAML reader as it was before it read in one pass: the oracle of ``test_yaml_reader.py``.

It screened the events in a first parse, composed a node tree in a second, indexed the tree into
a source map and then had PyYAML's SafeConstructor build the data. Kept here only to hold the
one-pass reader (``ave_rules.kaart._yaml._built``) to the same data, positions and problems.
It parses with the reader's current ``_PARSER`` (libyaml's or the pure-Python one) and shares the
parts that did not change: the syntax-error wording, the refusal and the resolver.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ave_rules._messages import TEXT_CONTROL, Params, Phrase, type_phrase
from ave_rules.errors import Problem, format_path
from ave_rules.kaart import _yaml as reader
from ave_rules.kaart._yaml import MAX_BYTES, MAX_DEPTH, MAX_DIGITS, MAX_EVENTS, Path, Position, _Refusal

_Mark = Any


class _Constructor(SafeConstructor, reader._Yaml12Resolver):
    def construct_yaml_int(self, node: ScalarNode) -> int:
        text = node.value
        digits = text.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise _Refusal("getal-te-groot", node.start_mark, {"grens": str(MAX_DIGITS)})
        if digits.startswith(("0o", "0x")):
            sign = -1 if text.startswith("-") else 1
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return int(text, 10)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:map", SafeConstructor.construct_yaml_map)  # type: ignore[type-var]


class _PureLoader(reader._PureParser, Composer, _Constructor):
    def __init__(self, text: str) -> None:
        reader._PureParser.__init__(self, text)
        Composer.__init__(self)
        _Constructor.__init__(self)


def _loader(text: str) -> Any:
    if reader._PARSER is reader._PureParser:
        return _PureLoader(text)

    class _FastLoader(reader._PARSER, _Constructor):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            reader._PARSER.__init__(self, text)
            _Constructor.__init__(self)

    return _FastLoader(text)


def _screen(parser: Any) -> None:
    depth = documents = 0
    for count in itertools.count(1):
        if not parser.check_event():
            break
        event = parser.get_event()
        if count > MAX_EVENTS:
            raise _Refusal("te-veel-onderdelen", event.start_mark, {"grens": str(MAX_EVENTS)})
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refusal("anker-alias", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None:  # the reader's rule since the oracle was taken: every tag, '!' too
            raise _Refusal("tag", event.start_mark, {"tag": tag.replace("tag:yaml.org,2002:", "!!")})
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refusal("te-diep", event.start_mark, {"grens": str(MAX_DEPTH)})
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refusal("meerdere-documenten", event.start_mark)


def _screen_text(text: str) -> None:
    try:
        _screen(reader._PARSER(text))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if reader._PARSER is reader._PureParser or mark is None:
            raise
        start, end = reader._line_around(text, mark.index)
        if sum(text.count(indicator, start, end) for indicator in "[{-?:") > MAX_DEPTH:
            with contextlib.suppress(yaml.MarkedYAMLError):
                _screen(reader._PureParser(text[:end]))
        raise


class OldSourceMap:
    def __init__(self, file: str, root: Node, text: str, *, private_keys: bool) -> None:
        self.file = file
        self.private_keys = private_keys
        self._lines = reader._lines(text)  # the reader's rule since the oracle was taken
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.texts: dict[Path, str] = {}
        self.problems: list[Problem] = []
        stack: list[tuple[Path, Node]] = [((), root)]
        while stack:
            path, node = stack.pop()
            self.values[path] = _position(node)
            if isinstance(node, ScalarNode):
                self.texts[path] = node.value
                self._plain_text(path, node)
            elif isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    child = self._key(path, key_node)
                    if child is not None:
                        stack.append((child, value_node))
            elif isinstance(node, SequenceNode):
                stack.extend(((*path, i), item) for i, item in enumerate(node.value))

    def _plain_text(self, path: Path, node: ScalarNode) -> None:
        control = TEXT_CONTROL.search(node.value)
        if control is not None:
            self._refuse("stuurteken", path, node, {"teken": f"U+{ord(control.group()):04X}"})

    def _key(self, path: Path, key_node: Node) -> Path | None:
        if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            if self.private_keys:
                self._refuse("feiten-sleutel-geen-tekst", path, key_node)
            else:
                self._refuse("sleutel-geen-tekst", path, key_node, {"sleutel": self._written(key_node)})
            return None
        child = (*path, key_node.value)
        self._plain_text(child, key_node)
        if key_node.value == "<<":
            self._refuse("anker-alias", path, key_node)
        elif child in self.keys:
            earlier = str(self.keys[child].line)
            if self.private_keys:
                self._refuse("feiten-dubbele-sleutel", child, key_node, {"eerder": earlier})
            else:
                self._refuse("dubbele-sleutel", child, key_node, {"sleutel": key_node.value, "eerder": earlier})
        else:
            self.keys[child] = _position(key_node)
            return child
        return None

    def _written(self, node: Node) -> str | Phrase:
        start, end = node.start_mark, node.end_mark
        if start.line == end.line and start.line < len(self._lines):
            return "'" + self._lines[start.line][start.column : end.column] + "'"
        return type_phrase([] if isinstance(node, SequenceNode) else {})

    def _refuse(self, code: str, path: Path, node: Node, params: Params | None = None) -> None:
        position = _position(node)
        shown = "" if self.private_keys else format_path(path)
        self.problems.append(Problem(code, self.file, position.line, position.column, shown, params or {}))


def _position(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass(frozen=True)
class OldDocument:
    data: Any
    source: OldSourceMap


def read(text: str, file: str, *, private_keys: bool = False) -> OldDocument | list[Problem] | Problem:
    """What ``_read`` gave (the part that changed: after the size and encoding checks)."""
    assert len(text.encode("utf-8")) <= MAX_BYTES
    try:
        _screen_text(text)
        loader = _loader(text)
        node = loader.get_single_node()
        if node is None:
            return Problem("bestand-leeg", file, 1, 1, "")
        source = OldSourceMap(file, node, text, private_keys=private_keys)
        if source.problems:
            return source.problems
        data = loader.construct_document(node)
    except _Refusal as refusal:
        return reader._problem_at(file, refusal.mark, refusal.code, refusal.params)
    except yaml.reader.ReaderError as error:
        position = error.position
        if reader._PARSER is not reader._PureParser:
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, column = reader._line_column(text, position)
        character = error.character
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        return Problem("teken-niet-toegestaan", file, line, column, "", {"teken": shown})
    except yaml.MarkedYAMLError as error:
        return reader._syntax_problem(file, error, text)
    return OldDocument(data, source)


def walk(data: Any, path: Path = ()) -> Iterator[Path]:
    """Every path in plain data, without recursion limits mattering at MAX_DEPTH."""
    stack: list[tuple[Path, Any]] = [(path, data)]
    while stack:
        here, value = stack.pop()
        yield here
        if isinstance(value, dict):
            stack.extend(((*here, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*here, index), item) for index, item in enumerate(value))
