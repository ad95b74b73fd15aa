"""Wording that mutation testing found unpinned (``docs/testing.md``, mutation testing): when a
condition is shown as a list, and when a part of a sentence gets parentheses."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from ave_rules.authoring import sentence
from ave_rules.authoring._wording import listed
from ave_rules.kaart import Condition

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def _condition(written: dict[str, Any]) -> Condition:
    return CONDITION.validate_python(written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ({"afgeleid": "a"}, (None, ("‘a’ geldt",))),
        ({"alle": [{"afgeleid": "a"}]}, (None, ("‘a’ geldt",))),
        ({"een_van": [{"afgeleid": "a"}]}, (None, ("‘a’ geldt",))),
        (
            {"alle": [{"afgeleid": "a"}, {"afgeleid": "b"}]},
            ("Als al deze voorwaarden gelden:", ("‘a’ geldt", "‘b’ geldt")),
        ),
        (
            {"een_van": [{"afgeleid": "a"}, {"afgeleid": "b"}]},
            ("Als minstens één van deze voorwaarden geldt:", ("‘a’ geldt", "‘b’ geldt")),
        ),
    ],
)
def test_only_a_top_level_alle_or_een_van_of_two_or_more_parts_is_shown_as_a_list(
    written: dict[str, Any], expected: tuple[str | None, tuple[str, ...]]
) -> None:
    assert listed(_condition(written)) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # a nested alle/een_van of one part is that part: no parentheses
        ({"alle": [{"afgeleid": "a"}, {"alle": [{"afgeleid": "b"}]}]}, "‘a’ geldt en ‘b’ geldt"),
        ({"een_van": [{"afgeleid": "a"}, {"een_van": [{"afgeleid": "b"}]}]}, "‘a’ geldt of ‘b’ geldt"),
        # a negated 'is' reads "is niet" and needs no parentheses ...
        (
            {"alle": [{"afgeleid": "a"}, {"niet": {"feit": "stagnatie", "is": True}}]},
            "‘a’ geldt en ‘stagnatie’ is niet ja",
        ),
        # ... a negated comparison reads "het is niet zo dat ..." and does
        (
            {"alle": [{"afgeleid": "a"}, {"niet": {"feit": "zelfregie", "minstens": "beperkt"}}]},
            "‘a’ geldt en (het is niet zo dat ‘zelfregie’ is minstens ‘beperkt’)",
        ),
    ],
)
def test_parentheses_only_where_a_part_would_be_ambiguous(written: dict[str, Any], expected: str) -> None:
    assert sentence(_condition(written)) == expected
