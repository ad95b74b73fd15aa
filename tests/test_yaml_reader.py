"""The YAML reader gives the same result with libyaml and with PyYAML's pure-Python parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
import yaml_oracle
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from ave_rules.errors import Problem
from ave_rules.kaart import _yaml as yaml_source

FAST_PARSER = yaml_source._PARSER if yaml.__with_libyaml__ else None  # libyaml's

CASES = {
    "gewoon": "a: 1\nb: [x, 'y']\nc: no\nd: 2024-01-01\ne: 0363\nf: true\ng: 1.0\nh: ~\ni: 0x1F\n",
    "alias": "a: &x [1]\nb: *x\n",
    "anker": "a: &x 1\n",
    "tag": "a: !!python/object:os.system 'ls'\n",
    "str-tag": "a: !!str 1\n",
    "niet-specifiek": 'a: ! "true\\n"\nb: ! ".inf\\n"\n',
    "niet-specifiek-getal": "a: ! 12\n",
    "niet-specifiek-lijst": "a: ! [x]\n",
    "dubbel": "a: 1\nb: 2\na: 3\n",
    "tab": "a:\n\tb: 1\n",
    "documenten": "a: 1\n---\nb: 2\n",
    "leeg": "",
    "commentaar": "# alleen commentaar\n",
    "diep": "a: " + "[" * 100 + "]" * 100,
    "groot-getal": "a: " + "9" * 40,
    "nul": "a: éé\x00c\n",
    "getal-sleutel": "1: a\n",
    "merge": "a: {x: 1}\nb:\n  <<: {y: 2}\n",
    "haakje": "a: [1, 2\nb: 3\n",
    "dubbele-punt": "naam: Regie: lokaal\n",
    "aanhalingsteken": "a: 'abc\n",
    "apostrof-loopt-door": "a: 's avonds\nb: 1\nc: 'x' y\n",
    "aanhalingsteken-loopt-door": 'a: "abc\nb: 1\nc: "x" y\n',
    "meerregelig": "a: \"abc\n  def\"\nb: 'ghi\n  jkl'\n",
    "inspringing": "a:\n  b: 1\n c: 2\n",
    "bom": "\ufeffa: 1\n",
}


def _read_with(parser: type[object] | None, text: str) -> yaml_source.YamlDocument | list[Problem]:
    original = yaml_source._PARSER
    yaml_source._PARSER = parser
    try:
        return yaml_source.read_yaml(text, "x.yaml")
    finally:
        yaml_source._PARSER = original


def _summary(
    result: yaml_source.YamlDocument | list[Problem],
) -> list[tuple[str, str, int, int, str]] | tuple[str, Any]:
    if isinstance(result, list):
        return [("problem", problem.code, problem.line, problem.column, problem.path) for problem in result]
    return ("data", result.data)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("name", sorted(CASES))
def test_both_parsers_agree(name: str) -> None:
    text = CASES[name]
    fast = _read_with(FAST_PARSER, text)
    pure = _read_with(yaml_source._PureParser, text)
    assert _summary(fast) == _summary(pure)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@settings(max_examples=examples(300, 600), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{},'\"#&*!|> \n\t0123456789.e")), max_size=40))
def test_both_parsers_agree_on_any_text(text: str) -> None:
    fast = _read_with(FAST_PARSER, text)
    pure = _read_with(yaml_source._PureParser, text)
    # The parsers disagree on some malformed input (libyaml accepts '0\t' and '|#'); either
    # way the result is data or a located problem, and accepted text means the same data.
    for result in (fast, pure):
        assert isinstance(result, yaml_source.YamlDocument) or all(isinstance(p, Problem) for p in result)
    if isinstance(fast, yaml_source.YamlDocument) and isinstance(pure, yaml_source.YamlDocument):
        assert fast.data == pure.data


@pytest.mark.parametrize("parser", [FAST_PARSER, yaml_source._PureParser])
@pytest.mark.parametrize("text", ['a: ! "true\\n"\n', 'a: ! ".inf\\n"\n', "a: ! 12\n", "a: ! [x]\n", "a: ! {b: 1}\n"])
def test_the_non_specific_tag_is_refused_like_every_tag(parser: type[object] | None, text: str) -> None:
    """'!' would make a quoted text go through type resolution ('! "12"' read as a number)."""
    result = _read_with(parser, text)
    assert isinstance(result, list)
    assert [(problem.code, problem.line, problem.column, problem.params) for problem in result] == [
        ("tag", 1, 4, {"tag": "!"})
    ]


@pytest.mark.parametrize("parser", [FAST_PARSER, yaml_source._PureParser])
@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"])
def test_a_key_that_is_no_text_is_quoted_from_its_own_line(parser: type[object] | None, line_break: str) -> None:
    text = line_break.join(["x: 1", "y: 2", "[a, b]: 3", ""])
    result = _read_with(parser, text)
    assert isinstance(result, list)
    assert [(problem.code, problem.line, problem.params) for problem in result] == [
        ("sleutel-geen-tekst", 3, {"sleutel": "'[a, b]'"})
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A leading apostrophe opens a quoted text that runs on to the next one, in a later line.
        ("naam: 's-Hertogenbosch\n# 'commentaar'\nb: 1\n", ("apostrof-loopt-door", 1, 7, "2")),
        ("a:\n  - t: 's avonds bellen\n    u: ok\n    v: 'x' y\n", ("apostrof-loopt-door", 2, 8, "4")),
        ('a: "open\nb: 1\nc: "x" y\n', ("aanhalingsteken-loopt-door", 1, 4, "3")),
        ("a: 1\nb: 's avonds\n", ("apostrof-niet-gesloten", 2, 4, None)),
        ('a: 1\nb: "open\n', ("aanhalingsteken-niet-gesloten", 2, 4, None)),
        # Not a runaway: the error is on another line than where the quoted text ended.
        ("a: 'x\n  y'\nb: 1\n c: 2\n", ("inspringing", 4, 2, None)),
    ],
)
def test_a_quote_that_runs_on_is_reported_where_it_opened(
    text: str, expected: tuple[str, int, int, str | None]
) -> None:
    problems = yaml_source.read_yaml(text, "x.yaml")
    assert isinstance(problems, list)
    assert [(p.code, p.line, p.column, p.params.get("regel")) for p in problems] == [expected]


def test_quoted_texts_over_several_lines_are_still_read() -> None:
    document = yaml_source.read_yaml("a: 'x\n  y'\nb: \"'s avonds\"\nc: 'z''s'\n", "x.yaml")
    assert isinstance(document, yaml_source.YamlDocument)
    assert document.data == {"a": "x y", "b": "'s avonds", "c": "z's"}


# --- the one-pass reader against the reader it replaced (tests/yaml_oracle.py) ---------------------

_PARSERS = [pytest.param(FAST_PARSER, id="libyaml"), pytest.param(yaml_source._PureParser, id="pure")]

_PLAIN = ["a", "b c", "ja", "no", "on", "2024-01-01", "1", "-12", "+7", "0363", "0o17", "0x1F", "0o8"]
_PLAIN += ["1.5", "-.5", "1.", "+1e3", "1E-2", ".inf", "-.Inf", ".nan", "true", "False", "TRUE", "tRue"]
_PLAIN += ["null", "~", "Null", "", "9" * 31, "-" + "9" * 30, "0x" + "f" * 29, "<<", "12:30", "a\u202eb"]
_QUOTED = ["'a'", "'true'", "'1'", "''", '"a"', '"1"', '"a\\x01b"', '"\\e[2J"', '"\\u202e"']
_QUOTED += ['"t\\tb"', '"\\x85"', "'x\n  y'", '"<<"']
_ODD = ["! 12", "! 'true'", '! "true\\n"', '! ".inf\\n"', "! x", "!!str a", "!x a", "&a a", "*a", "! ''"]
_KEYS = ["a", "b", "c", "a", "'a'", '"b"', "<<", "1", "true", "null", "~", '"\\x01k"', "! 1", "! k", "&k k"]
_KEYS += ["[a, b]", "{a: 1}", "[]", "! [a]"]

# Refused scalars (tags, anchors, nesting deeper than MAX_DEPTH at 61 and more) are rarer than the rest.
_DEEP = ["[" * depth + "]" * depth for depth in (61, 63, 65)]
_scalars = st.sampled_from(_PLAIN * 4 + _QUOTED * 4 + _ODD + _DEEP)


def _flow(tree: Any) -> str:
    """A tree written in flow style (a list of items, or a tuple of key/value pairs)."""
    if isinstance(tree, str):
        return tree.replace("\n", " ")
    if isinstance(tree, list):
        return "[" + ", ".join(_flow(item) for item in tree) + "]"
    return "{" + ", ".join(f"{key}: {_flow(value)}" for key, value in tree[1]) + "}"


def _block(tree: Any, indent: int) -> str:
    """A tree written in block style where it can be, from column ``indent`` on a new line."""
    pad = " " * indent
    if (
        isinstance(tree, str)
        or (isinstance(tree, tuple) and tree[0] == "flow")
        or not (tree[1] if isinstance(tree, tuple) else tree)
    ):
        return pad + _flow(tree) + "\n"
    if isinstance(tree, list):
        return "".join(
            f"{pad}-\n{_block(item, indent + 2)}" if _is_block(item) else f"{pad}- {_inline(item, indent + 2)}\n"
            for item in tree
        )
    return "".join(
        f"{pad}{key}:\n{_block(value, indent + 2)}"
        if _is_block(value)
        else f"{pad}{key}: {_inline(value, indent + 2)}\n"
        for key, value in tree[1]
    )


def _is_block(tree: Any) -> bool:
    return (
        not isinstance(tree, str)
        and (isinstance(tree, list) or tree[0] == "block")
        and bool(tree if isinstance(tree, list) else tree[1])
    )


def _inline(tree: Any, indent: int) -> str:
    """A scalar or flow collection after ``- `` or ``key: `` (a multi-line quoted text continues indented)."""
    return _flow(tree) if not isinstance(tree, str) else tree.replace("\n", "\n" + " " * indent)


_trees = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(
            st.sampled_from(["block", "flow"]), st.lists(st.tuples(st.sampled_from(_KEYS), children), max_size=4)
        )
    ),
    max_leaves=20,
)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    text = _block(draw(_trees), 0)
    if draw(st.integers(0, 3)) == 0:  # a random edit: syntax errors, tabs, raw control characters, a second document
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["\t", ":", "- ", "'", '"', "[", "}", "\x01", "\x85", "\u2066", "\n---\n", "#"]))
        text = text[:at] + edit + text[at:]
    return text


def _outcome(read: Any) -> Any:
    try:
        return read()
    except Exception as error:  # a crash must be the same crash
        return ("raised", type(error).__name__, str(error))


def _same_as_before(parser: type[object] | None, text: str, private_keys: bool) -> None:
    if parser is None:
        pytest.skip("PyYAML without libyaml")
    original = yaml_source._PARSER
    yaml_source._PARSER = parser
    try:
        new = _outcome(lambda: yaml_source._read(text, "x.yaml", private_keys))
        old = _outcome(lambda: yaml_oracle.read(text, "x.yaml", private_keys=private_keys))
    finally:
        yaml_source._PARSER = original
    if isinstance(old, yaml_oracle.OldDocument):
        assert isinstance(new, yaml_source.YamlDocument)
        assert repr(new.data) == repr(old.data)  # repr tells 1, 1.0 and True apart, and nan from nan
        source = new.source
        assert set(source._values) == set(old.source.values)
        assert set(source._keys) == set(old.source.keys)
        assert source._texts == old.source.texts
        for path, position in old.source.values.items():
            assert source.value(path) == position
        for path, position in old.source.keys.items():
            assert source.key(path) == position
    elif isinstance(old, list):
        assert isinstance(new, list)
        assert [problem.as_dict() for problem in new] == [problem.as_dict() for problem in old]
    elif isinstance(old, Problem):
        assert isinstance(new, Problem)
        assert new.as_dict() == old.as_dict()
    else:
        assert new == old


@pytest.mark.parametrize("parser", _PARSERS)
@settings(max_examples=examples(300, 1500), deadline=None)
@given(text=_texts(), private_keys=st.booleans())
def test_one_pass_reads_as_the_reader_before(parser: type[object] | None, text: str, private_keys: bool) -> None:
    _same_as_before(parser, text, private_keys)


@pytest.mark.parametrize("parser", _PARSERS)
@pytest.mark.parametrize(
    "text",
    [
        *CASES.values(),
        "a: [" + "9" * 31 + "]\nb: " + "9" * 31 + "\n",  # the constructor fails level by level
        'a: [[! "true\\n"]]\nb: [' + "9" * 31 + "]\n",
        "a: " + "9" * 31 + '\nb: ! "true\\n"\nc: ' + "9" * 32 + "\n",
        'a: "\\x01"\nb: {c: "\\x02", "\\x03": 1, c: 2}\na: 1\n[x]: 1\n? |\n  y\n: 2\n',
        '- {a: 1, a: 2}\n- {b: "\\x01", 1: 2}\n- ["\\x02"]\n',
        "x: " + "- " * 70 + "a\n",
        "x: " + "[" * 70 + "\n",
        "[a, b]: 1\n{c: d}: 2\n[a,\n b]: 3\n",
    ],
)
def test_one_pass_reads_these_as_the_reader_before(parser: type[object] | None, text: str) -> None:
    for private_keys in (False, True):
        _same_as_before(parser, text, private_keys)


@pytest.mark.parametrize("parser", _PARSERS)
def test_one_pass_reads_the_regiekaarten_as_the_reader_before(parser: type[object] | None) -> None:
    for path in sorted((Path(__file__).parents[1] / "regiekaarten").glob("*.yaml")):
        _same_as_before(parser, path.read_text(encoding="utf-8"), False)
