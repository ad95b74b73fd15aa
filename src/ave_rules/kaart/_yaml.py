"""Reading a regiekaart's YAML safely, keeping where every value stands in the file.

The reader builds plain data from PyYAML's parser events (libyaml's when it is installed) in one
pass, narrowed to what a regiekaart needs:

* no anchors, aliases or merge keys (a consumer that walks shared references, as schema
  validation does, turns a few hundred bytes of aliases into an exponential amount of work);
* no tags at all (``!!python/object`` and friends are refused before anything is built from them);
* no duplicate keys (PyYAML would silently keep the last one);
* YAML 1.2 core scalars, as editors read them: only ``true``/``false`` are booleans,
  ``no``/``on``/``ja`` stay text, ``0363`` is 363, dates stay text;
* bounded size and nesting depth.

Every refusal becomes a :class:`~ave_rules.errors.Problem` with line and column.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .._messages import TEXT_CONTROL, Params, Phrase, type_phrase
from ..errors import Problem, format_path

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_DIGITS = 30
#: Parser events (values, lists, mappings, their ends); the generic kaart has about 3,300.
MAX_EVENTS = 20_000

Path = tuple[str | int, ...]
_T = TypeVar("_T")


class _Refusal(Exception):
    """A located problem found while reading; turned into a Problem by read_yaml."""

    def __init__(self, code: str, mark: Any, params: Params | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.params = params or {}


class _Yaml12Resolver(BaseResolver):
    """The YAML 1.2 core schema's implicit types (PyYAML implements YAML 1.1)."""


# \Z, not $: $ also matches before a final line break, and "true\n" is no boolean.
for _tag, _pattern, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)\Z", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)\Z", ["~", "n", "N", ""]),
]:
    _Yaml12Resolver.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


_TAG = "tag:yaml.org,2002:"
_TEXT_TAG = _TAG + "str"
#: The implicit resolvers by a plain scalar's first character ('' for the empty scalar); there are no others.
_IMPLICIT: dict[Any, list[tuple[str, re.Pattern[str]]]] = _Yaml12Resolver.yaml_implicit_resolvers
_FLOATS = SafeConstructor()


def _constructed(tag: str, value: str, mark: Any) -> Any:
    """A resolved scalar that is not text, as PyYAML's SafeConstructor (with this reader's ints) builds it."""
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return SafeConstructor.bool_values[value.lower()]
    if tag == _TAG + "int":
        digits = value.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise _Refusal("getal-te-groot", mark, {"grens": str(MAX_DIGITS)})
        if digits.startswith(("0o", "0x")):
            sign = -1 if value.startswith("-") else 1
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return int(value, 10)
    return _FLOATS.construct_yaml_float(ScalarNode(tag, value))


class _PureParser(Reader, Scanner, Parser):
    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    _PARSER: Any = CParser
else:  # pragma: no cover - PyYAML built without libyaml
    _PARSER = _PureParser


def _screen(parser: Any) -> None:
    """Refuse aliases, anchors, tags, deep nesting and extra documents.

    Every event passes this screen before anything is built from it, so building never meets a
    shared node (no alias expansion anywhere downstream) nor nesting deeper than MAX_DEPTH.
    """
    for _event in _screened(parser):
        pass


def _screened(parser: Any) -> Iterator[Any]:
    """The parser's events, each refused (``_Refusal``) as ``_screen`` says before it is passed on."""
    get_event = parser.get_event
    depth = documents = count = 0
    while True:
        event = get_event()
        count += 1
        if count > MAX_EVENTS:
            raise _Refusal("te-veel-onderdelen", event.start_mark, {"grens": str(MAX_EVENTS)})
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor:
                raise _Refusal("anker-alias", event.start_mark)
            if event.tag is not None:  # any tag, the non-specific '!' too (it would type a quoted text)
                raise _Refusal("tag", event.start_mark, {"tag": event.tag.replace(_TAG, "!!")})
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor:
                raise _Refusal("anker-alias", event.start_mark)
            if event.tag is not None:
                raise _Refusal("tag", event.start_mark, {"tag": event.tag.replace(_TAG, "!!")})
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refusal("te-diep", event.start_mark, {"grens": str(MAX_DEPTH)})
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
        elif kind is AliasEvent:
            raise _Refusal("anker-alias", event.start_mark)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refusal("meerdere-documenten", event.start_mark)
        elif kind is StreamEndEvent:
            yield event
            return
        elif event is None:  # pragma: no cover - both parsers end with StreamEndEvent
            return
        yield event


def _screen_text(text: str, use: Callable[[Iterator[Any]], _T]) -> _T:
    """``use`` applied to the screened events of ``text``; this reader's own limits are refused
    before any limit of libyaml's.

    libyaml looks ahead along a line before it reports events (a flow collection may turn out to
    be a mapping key), and newer releases stop at a nesting depth of their own while doing so:
    ``[[[[...`` on one line fails inside libyaml before the screen has seen depth 65. When libyaml
    fails on a line that could nest that deep, the text up to that line is screened again with the
    pure-Python parser, which has no such limit, so the depth refusal is the same whatever
    libyaml is installed. Other syntax errors skip the second pass."""
    try:
        return use(_screened(_PARSER(text)))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if _PARSER is _PureParser or mark is None:
            raise
        start, end = _line_around(text, mark.index)
        if sum(text.count(indicator, start, end) for indicator in "[{-?:") > MAX_DEPTH:
            with contextlib.suppress(yaml.MarkedYAMLError):  # the cut text ends early: the first error stands
                _screen(_PureParser(text[:end]))
        raise


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # as YAML counts lines


def _lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML counts them (a mark's line indexes this list)."""
    return _LINE_BREAK.split(text)


def _line_around(text: str, index: int) -> tuple[int, int]:
    """Start and end of the line that holds character ``index`` (line breaks as YAML counts them)."""
    start = max((match.end() for match in _LINE_BREAK.finditer(text, 0, index)), default=0)
    following = _LINE_BREAK.search(text, index)
    return start, following.start() if following else len(text)


class Locator(Protocol):
    """Turns a path into a located problem: a source map, or the merged map of an extending kaart."""

    def problem(self, code: str, path: Path, params: Params | None = None, *, at_key: bool = False) -> Problem: ...

    def text(self, path: Path) -> str | None: ...


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


class _Mark(Protocol):
    """A parser's mark (libyaml's or PyYAML's): 0-based."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


class SourceMap:
    """Where each path of a document stands in its YAML source."""

    def __init__(
        self,
        file: str,
        values: dict[Path, _Mark] | None = None,
        keys: dict[Path, _Mark] | None = None,
        texts: dict[Path, str] | None = None,
    ) -> None:
        self.file = file
        # The parser's marks: a Position is made only for the few paths asked for.
        self._values = values or {}
        self._keys = keys or {}
        self._texts = texts or {}

    def value(self, path: Path) -> Position:
        """Position of the value at ``path``, or of its nearest existing ancestor."""
        for prefix in _prefixes(path):
            mark = self._values.get(prefix)
            if mark is not None:
                return _position(mark)
        return Position(1, 1)

    def text(self, path: Path) -> str | None:
        """The scalar at ``path`` as written in the file (``2025.10``, not 2025.1)."""
        return self._texts.get(path)

    def key(self, path: Path) -> Position:
        """Position of the key that ends ``path`` (for unknown or duplicate keys)."""
        mark = self._keys.get(path)
        return self.value(path) if mark is None else _position(mark)

    def problem(self, code: str, path: Path, params: Params | None = None, *, at_key: bool = False) -> Problem:
        position = self.key(path) if at_key else self.value(path)
        return Problem(code, self.file, position.line, position.column, format_path(path), params or {})


def _prefixes(path: Path) -> Iterator[Path]:
    for end in range(len(path), -1, -1):
        yield path[:end]


def _position(mark: _Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


class _Open:
    """A list or mapping being built whose contents are indexed (it is not under a refused key)."""

    __slots__ = ("data", "mapping", "path", "problems", "want")

    def __init__(self, data: dict[str, Any] | list[Any], path: Path) -> None:
        self.data: Any = data
        self.mapping = isinstance(data, dict)
        self.path = path
        #: In a mapping: None when a key comes next, else the path of the value that comes next
        #: (``_REFUSED`` when its key was refused).
        self.want: Path | None = None
        self.problems: list[Problem] = []  # a mapping's problems with its keys, in their order


_REFUSED: Path = ("<refused>",)  # compared by identity
_NOTHING: Any = object()


def _built(
    events: Iterator[Any], file: str, text: str, private_keys: bool
) -> YamlDocument | list[Problem] | Exception | None:
    """The document of screened ``events`` with its source map, built in one pass without recursion.

    None when there is no document. Otherwise the problems with the document's keys and texts:
    keys that are not text, merge keys (``<<``), duplicate keys (at the first one's line), and control
    characters that a double-quoted escape (``"\\e[2J"``) put in a text (libyaml refuses them
    written raw, and they would reach a terminal when a message quotes the text). Only when
    there are none: the error that constructing a scalar raises (a ``_Refusal`` for too many
    digits), or the data and source map. With ``private_keys`` (a case's facts), no problem repeats
    a key or has it in its path.

    This is what composing a node tree, indexing it and having PyYAML's SafeConstructor build it
    gave, in the same order: the index took nodes from a stack (reverse document post-order, a
    mapping's keys when the mapping was taken), and the constructor builds level by level, so of
    the scalars that fail the least deeply nested comes first. Nothing under a refused key, or in
    a key that is a list or mapping, is indexed."""
    values: dict[Path, _Mark] = {}
    keys: dict[Path, _Mark] = {}
    texts: dict[Path, str] = {}
    blocks: list[list[Problem]] = []  # problems by node, in document post-order
    lines: list[str] = []
    # A control character in a value is in the text, or comes from an escape in a "..." text.
    every_scalar = TEXT_CONTROL.search(text) is not None
    implicit = _IMPLICIT
    stack: list[_Open] = []
    top: _Open | None = None
    skipped = 0  # nesting depth inside a key that is a list or mapping, or a value under a refused key
    skipped_start: Any = None
    skipped_list = False
    root: Any = _NOTHING
    failure: Exception | None = None
    failure_depth = 0

    def problem(code: str, path: Path, mark: _Mark, params: Params | None = None) -> Problem:
        shown = "" if private_keys else format_path(path)
        return Problem(code, file, mark.line + 1, mark.column + 1, shown, params or {})

    def not_text_key(path: Path, start: _Mark, end: _Mark, is_list: bool) -> Problem:
        if private_keys:
            return problem("feiten-sleutel-geen-tekst", path, start)
        if not lines:
            lines.extend(_lines(text))
        if start.line == end.line and start.line < len(lines):  # as it is written, when on one line
            written: str | Phrase = "'" + lines[start.line][start.column : end.column] + "'"
        else:
            written = type_phrase([] if is_list else {})
        return problem("sleutel-geen-tekst", path, start, {"sleutel": written})

    for event in events:
        kind = type(event)
        if skipped:
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                skipped += 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                skipped -= 1
                if not skipped and top is not None:
                    if top.want is None:
                        top.problems.append(not_text_key(top.path, skipped_start, event.end_mark, skipped_list))
                        top.want = _REFUSED
                    else:
                        top.want = None
            continue
        if kind is ScalarEvent:
            value = event.value
            mark = event.start_mark
            tag = _TEXT_TAG
            if event.implicit[0]:  # plain (the screen refuses every tag)
                for candidate, pattern in implicit.get(value[:1], ()):
                    if pattern.match(value):
                        tag = candidate
                        break
            control = TEXT_CONTROL.search(value) if every_scalar or event.style == '"' else None
            if top is None:
                path: Path = ()
            elif not top.mapping:
                path = (*top.path, len(top.data))
            elif top.want is None:  # a key
                if tag is not _TEXT_TAG:
                    top.problems.append(not_text_key(top.path, mark, event.end_mark, False))
                    top.want = _REFUSED
                    continue
                child = (*top.path, value)
                if control is not None:
                    top.problems.append(problem("stuurteken", child, mark, {"teken": f"U+{ord(control.group()):04X}"}))
                if value == "<<":
                    top.problems.append(problem("anker-alias", top.path, mark))
                    top.want = _REFUSED
                elif child in keys:
                    earlier = str(keys[child].line + 1)
                    if private_keys:
                        top.problems.append(problem("feiten-dubbele-sleutel", child, mark, {"eerder": earlier}))
                    else:
                        params = {"sleutel": value, "eerder": earlier}
                        top.problems.append(problem("dubbele-sleutel", child, mark, params))
                    top.want = _REFUSED
                else:
                    keys[child] = mark
                    top.want = child
                continue
            elif top.want is _REFUSED:
                top.want = None
                continue
            else:
                path = top.want
                top.want = None
            values[path] = mark
            texts[path] = value
            if control is not None:
                blocks.append([problem("stuurteken", path, mark, {"teken": f"U+{ord(control.group()):04X}"})])
            if tag is _TEXT_TAG:
                data: Any = value
            else:
                try:
                    data = _constructed(tag, value, mark)
                except Exception as error:  # raised as the constructor did, unless something comes first
                    data = None
                    if failure is None or len(stack) < failure_depth:
                        failure, failure_depth = error, len(stack)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if top is None:
                path = ()
            elif not top.mapping:
                path = (*top.path, len(top.data))
            elif top.want is None:  # a key: refused once it ends, when it is known how it is written
                skipped, skipped_start, skipped_list = 1, event.start_mark, kind is SequenceStartEvent
                continue
            elif top.want is _REFUSED:
                skipped = 1
                continue
            else:
                path = top.want
                top.want = None
            values[path] = event.start_mark
            data = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            closed = stack.pop()
            if closed.problems:
                blocks.append(closed.problems)
            top = stack[-1] if stack else None
            continue
        else:
            continue
        if top is None:
            root = data
        elif top.mapping:
            top.data[path[-1]] = data
        else:
            top.data.append(data)
        if kind is not ScalarEvent:
            top = _Open(data, path)
            stack.append(top)
    if root is _NOTHING:
        return None
    if blocks:
        return [found for block in reversed(blocks) for found in block]
    if failure is not None:
        return failure
    return YamlDocument(root, SourceMap(file, values, keys, texts))


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    source: SourceMap


def decode(raw: bytes, file: str, limit: int = MAX_BYTES) -> str | Problem:
    """UTF-8 text of ``raw`` (a leading byte-order mark is dropped), or a located problem."""
    if len(raw) > limit:
        return Problem("bestand-te-groot", file, 1, 1, "", {"grens": str(limit)})
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :]
        column = len(line_start.decode("utf-8", "replace")) + 1
        return Problem("geen-utf8", file, line, column, "", {"byte": str(error.start + 1)})


def read_yaml(
    text: str, file: str, *, private_keys: bool = False, strict_json: bool = False
) -> YamlDocument | list[Problem]:
    """Parse one YAML document into plain data plus its source map, or the problems that prevent it.

    With ``private_keys`` (a case's facts), no problem repeats a key or has it in its path. With
    ``strict_json`` (a ``.json`` file) the text must also be JSON: YAML would let a trailing comma
    or single quotes pass."""
    not_json = _json_problem(text, file) if strict_json and len(text) <= MAX_BYTES and text.strip() else None
    found = _read(text, file, private_keys) if not_json is None else not_json
    return [found] if isinstance(found, Problem) else found


# json's wording of the mistakes people make most in a JSON file (it never quotes the text).
_JSON_MISTAKES = (
    ("Expecting property name", "json-naam"),
    ("Expecting value", "json-waarde"),
    ("Expecting ',' delimiter", "json-komma"),
    ("Expecting ':' delimiter", "json-dubbele-punt"),
    ("Unterminated string", "json-tekst-open"),
    ("Invalid control character", "json-stuurteken"),
    ("Extra data", "json-meer"),
)


def _json_problem(text: str, file: str) -> Problem | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        code = next((code for wording, code in _JSON_MISTAKES if error.msg.startswith(wording)), "json-fout")
        return Problem("json-syntax", file, error.lineno, error.colno, "", {"probleem": Phrase(code)})
    except RecursionError:
        return None  # nested too deep: the YAML reader says so, located
    return None


def _read(text: str, file: str, private_keys: bool) -> YamlDocument | list[Problem] | Problem:
    if len(text) > MAX_BYTES:  # at least as many bytes as characters: refuse without copying
        return Problem("bestand-te-groot", file, 1, 1, "", {"grens": str(MAX_BYTES)})
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:  # a lone surrogate: only in text that was never a file
        line, column = _line_column(text, error.start)
        return Problem("teken-niet-toegestaan", file, line, column, "", {"teken": f"U+{ord(text[error.start]):04X}"})
    if size > MAX_BYTES:
        return Problem("bestand-te-groot", file, 1, 1, "", {"grens": str(MAX_BYTES)})
    try:
        built = _screen_text(text, lambda events: _built(events, file, text, private_keys))
        if isinstance(built, Exception):
            raise built  # as PyYAML's constructor raised it: a _Refusal, or an error of PyYAML's own
    except _Refusal as refusal:
        return _problem_at(file, refusal.mark, refusal.code, refusal.params)
    except yaml.reader.ReaderError as error:
        position = error.position
        if _PARSER is not _PureParser:  # libyaml counts bytes, not characters
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, column = _line_column(text, position)
        character = error.character
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        return Problem("teken-niet-toegestaan", file, line, column, "", {"teken": shown})
    except yaml.MarkedYAMLError as error:
        return _syntax_problem(file, error, text)
    return Problem("bestand-leeg", file, 1, 1, "") if built is None else built


def _problem_at(file: str, mark: Any, code: str, params: Params) -> Problem:
    return Problem(code, file, mark.line + 1, mark.column + 1, "", params)


# libyaml's wording of the syntax errors policy officers make most, and our message for each.
_SYNTAX_CODES = (
    ("mapping values are not allowed", "dubbele-punt-in-tekst"),
    ("could not find expected ':'", "dubbele-punt-ontbreekt"),
    ("expected ',' or ']'", "haakje-niet-gesloten"),
    ("expected ',' or '}'", "haakje-niet-gesloten"),
    ("found unexpected end of stream", "aanhalingsteken-niet-gesloten"),
    ("did not find expected key", "inspringing"),
    ("did not find expected '-' indicator", "inspringing"),
    ("expected <block end>", "inspringing"),
)


def _syntax_problem(file: str, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    if mark is None:  # pragma: no cover - PyYAML marks every error it raises on text
        return Problem("yaml-syntax", file, 1, 1, "", {"probleem": str(error)})
    lines = _lines(text)
    line_text = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in line_text[: mark.column + 1]:
        return Problem("tab", file, mark.line + 1, line_text.index("\t") + 1, "")
    detail = " ".join(part for part in (error.context, error.problem) if part)
    runaway = _runaway_quote(text, mark.line)
    if runaway is not None:
        return runaway.problem(file)
    code = next((code for wording, code in _SYNTAX_CODES if wording in detail), "yaml-syntax")
    params: Params = {"probleem": detail}
    if code == "dubbele-punt-in-tekst" and ": " not in line_text[: mark.column]:
        # The line's own key is the first colon: it is indented too far, not text with a colon.
        indent = len(line_text) - len(line_text.lstrip(" "))
        return Problem("inspringing", file, mark.line + 1, indent + 1, "")
    if code in ("aanhalingsteken-niet-gesloten", "dubbele-punt-ontbreekt") and error.context_mark is not None:
        mark = error.context_mark  # where the quote opened or the key began, not where parsing gave up
        opened = lines[mark.line] if mark.line < len(lines) else ""
        if code == "aanhalingsteken-niet-gesloten" and opened[mark.column : mark.column + 1] == "'":
            code = "apostrof-niet-gesloten"  # most often Dutch text that starts with one: 's avonds
    if "cannot start any token" in detail:
        code, params = "gereserveerd-teken", {"teken": line_text[mark.column : mark.column + 1] or "?"}
    return _problem_at(file, mark, code, params)


@dataclass(frozen=True)
class _RunawayQuote:
    """A text that opened with a quote and ran on to a later line, where parsing then failed."""

    quote: str
    line: int  # 0-based, where it opened
    column: int
    closed_on: int  # 0-based line of the quote that ended it

    def problem(self, file: str) -> Problem:
        code = "apostrof-loopt-door" if self.quote == "'" else "aanhalingsteken-loopt-door"
        return Problem(code, file, self.line + 1, self.column + 1, "", {"regel": str(self.closed_on + 1)})


def _runaway_quote(text: str, failed_on: int) -> _RunawayQuote | None:
    """The quoted text that ended on line ``failed_on``, where parsing failed, after opening on an
    earlier line: a lone apostrophe (``'s avonds``) or an unclosed ``"`` makes YAML read on to the
    next such quote, and the error then shows far from its cause. Found with YAML's own scanner,
    which reads tokens only (nothing is constructed) up to the error."""
    found = None
    scanner = yaml.scan(text, Loader=_PARSER)
    with contextlib.suppress(yaml.YAMLError, _Refusal):
        for token in scanner:
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                start, end = token.start_mark, token.end_mark
                if start.line < end.line == failed_on:
                    found = _RunawayQuote(token.style, start.line, start.column, end.line)
    return found


#: A top-level value that ``top_level_texts`` does not give: not a text, or a list or mapping.
NOT_TEXT = object()
_RESOLVER = _Yaml12Resolver()


def top_level_texts(text: str, keys: frozenset[str], *, stop_at: str | None = None) -> dict[str, object] | None:
    """The values of ``keys`` in the top-level mapping of ``text``, read from the parser's events
    under the same refusals as :func:`read_yaml` (size, anchors and aliases, tags, depth, number
    of events, one document) without building the document: a text as it is (``NOT_TEXT`` for
    anything else). None when the text up to where it is read is not such a mapping, or names a
    key twice. With ``stop_at``, reading ends once that key's value is known, so a file whose
    ``id`` comes first costs a few events.

    This is the index of a kaart directory, not a check: what it gives is read again in full
    (:func:`read_yaml` and the schema) before anything uses the file."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None
    found: dict[str, object] = {}
    seen: set[str] = set()
    depth = 0
    key = ""  # the top-level key whose value comes next, when not at_key
    at_key = True
    mapping = False
    try:
        for event in _screened(_PARSER(text)):
            if isinstance(event, yaml.CollectionStartEvent):
                if depth == 0:
                    if not isinstance(event, yaml.MappingStartEvent):
                        return None
                    mapping = True
                elif depth == 1:
                    if at_key:  # a list or mapping as a key: read_yaml refuses it
                        return None
                    if key in keys:
                        found[key] = NOT_TEXT
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                if depth == 1:
                    at_key = True
                    if key == stop_at:
                        return found
            elif isinstance(event, yaml.ScalarEvent):
                if depth == 0:
                    return None
                if depth > 1:
                    continue
                if at_key:
                    if not _is_text(event) or event.value in seen:
                        return None
                    key = event.value
                    seen.add(key)
                    at_key = False
                    continue
                if key in keys:
                    found[key] = event.value if _is_text(event) else NOT_TEXT
                at_key = True
                if key == stop_at:
                    return found
    except (_Refusal, yaml.YAMLError):
        return None
    return found if mapping else None


def _is_text(event: Any) -> bool:
    if not event.implicit[0]:  # quoted
        return True
    tag = _RESOLVER.resolve(ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _TEXT_TAG)


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
