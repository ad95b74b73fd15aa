"""The YAML reader gives the same result with libyaml and with PyYAML's pure-Python parser."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from ave_rules.errors import Problem
from ave_rules.kaart import _yaml as yaml_source

CASES = {
    "gewoon": "a: 1\nb: [x, 'y']\nc: no\nd: 2024-01-01\ne: 0363\nf: true\ng: 1.0\nh: ~\ni: 0x1F\n",
    "alias": "a: &x [1]\nb: *x\n",
    "anker": "a: &x 1\n",
    "tag": "a: !!python/object:os.system 'ls'\n",
    "str-tag": "a: !!str 1\n",
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


def _read_with(parser: type[object], loader: type[object], text: str) -> yaml_source.YamlDocument | list[Problem]:
    original = yaml_source._PARSER, yaml_source._LOADER
    yaml_source._PARSER, yaml_source._LOADER = parser, loader
    try:
        return yaml_source.read_yaml(text, "x.yaml")
    finally:
        yaml_source._PARSER, yaml_source._LOADER = original


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
    fast = _read_with(yaml_source._FastLoader.__mro__[1], yaml_source._FastLoader, text)
    pure = _read_with(yaml_source._PureParser, yaml_source._PureLoader, text)
    assert _summary(fast) == _summary(pure)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@settings(max_examples=examples(300, 600), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{},'\"#&*!|> \n\t0123456789.e")), max_size=40))
def test_both_parsers_agree_on_any_text(text: str) -> None:
    fast = _read_with(yaml_source._FastLoader.__mro__[1], yaml_source._FastLoader, text)
    pure = _read_with(yaml_source._PureParser, yaml_source._PureLoader, text)
    # The parsers disagree on some malformed input (libyaml accepts '0\t' and '|#'); either
    # way the result is data or a located problem, and accepted text means the same data.
    for result in (fast, pure):
        assert isinstance(result, yaml_source.YamlDocument) or all(isinstance(p, Problem) for p in result)
    if isinstance(fast, yaml_source.YamlDocument) and isinstance(pure, yaml_source.YamlDocument):
        assert fast.data == pure.data


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
