"""Every pattern of the schemas and the models matches the whole text: Python's ``$`` also matches
before a final newline, so ``"ave-generiek\\n"`` once passed as a kaart id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ave_rules
from ave_rules import _terms as t
from ave_rules.kaart import Regiekaart, ScenarioSet, regiekaart_schema, scenario_file_schema
from ave_rules.kaart._model import Id, IsoDate, KaartId, LevelId, LevelOperand, RuleId, Value
from ave_rules.kaart._schema import _draft7

ROOT = Path(__file__).resolve().parents[1]
GENERIC_TEXT = (ROOT / "regiekaarten" / "ave-generiek.yaml").read_text(encoding="utf-8")
#: What may not follow a whole match: a line break (Python's "$" allowed it), a space, a NUL.
TAILS = ("\n", "\r\n", "\r", " ", "\x00")


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return own.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


SCHEMA_PATTERNS = sorted(_patterns(regiekaart_schema()) | _patterns(scenario_file_schema()))
MODEL_TYPES = {"Id": Id, "KaartId": KaartId, "RuleId": RuleId, "LevelId": LevelId, "LevelOperand": LevelOperand}
MODEL_TYPES |= {"Value": Value, "IsoDate": IsoDate}


def test_the_schemas_use_the_patterns_of_the_format() -> None:
    format_patterns = {t.ID_PATTERN, t.KAART_ID_PATTERN, t.RULE_ID_PATTERN, t.LEVEL_ID_PATTERN, t.VALUE_PATTERN}
    assert format_patterns | {t.DATE_PATTERN} >= set(SCHEMA_PATTERNS) >= format_patterns
    assert all(pattern.startswith("^") and pattern.endswith("$") for pattern in SCHEMA_PATTERNS)


def test_the_models_use_the_same_patterns_for_python() -> None:
    model_patterns = _patterns(Regiekaart.model_json_schema()) | _patterns(ScenarioSet.model_json_schema())
    assert model_patterns == {t.python_pattern(pattern) for pattern in SCHEMA_PATTERNS}


@pytest.mark.parametrize("pattern", SCHEMA_PATTERNS)
@given(data=st.data())
def test_a_schema_pattern_accepts_a_whole_match_and_nothing_more(pattern: str, data: st.DataObject) -> None:
    validator = _draft7()({"type": "string", "pattern": pattern})
    text = data.draw(st.from_regex(t.python_pattern(pattern), fullmatch=True))
    assert validator.is_valid(text)
    for tail in TAILS:
        assert not validator.is_valid(text + tail), repr(text + tail)


@pytest.mark.parametrize("name", sorted(MODEL_TYPES))
@given(data=st.data())
def test_a_model_type_accepts_a_whole_match_and_nothing_more(name: str, data: st.DataObject) -> None:
    # As in the models: the same regular expressions as the JSON Schema validator.
    config = pydantic.ConfigDict(regex_engine="python-re")
    adapter: pydantic.TypeAdapter[str] = pydantic.TypeAdapter(MODEL_TYPES[name], config=config)
    pattern = next(p for p in _patterns(adapter.json_schema()))
    text = data.draw(st.from_regex(pattern, fullmatch=True).filter(lambda value: len(value) <= 10))
    assert adapter.validate_python(text) == text
    for tail in TAILS:
        with pytest.raises(pydantic.ValidationError):
            adapter.validate_python(text + tail)


@pytest.mark.parametrize(
    ("written", "replacement", "code"),
    [
        ("id: ave-generiek", 'id: "ave-generiek\\n"', "patroon"),
        ("  - id: hulpvraag", '  - id: "hulpvraag\\n"', "patroon"),
    ],
)
def test_an_id_with_a_final_newline_is_refused_where_it_is_written(written: str, replacement: str, code: str) -> None:
    assert written in GENERIC_TEXT
    text = GENERIC_TEXT.replace(written, replacement, 1)
    line = next(number for number, content in enumerate(text.split("\n"), 1) if replacement.split("\n")[0] in content)
    with pytest.raises(ave_rules.RegiekaartError) as raised:
        ave_rules.loads(text, "kaart.yaml")
    assert [(problem.code, problem.line) for problem in raised.value.problems][:1] == [(code, line)]
