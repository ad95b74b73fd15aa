"""A rule's condition as a sentence, generated from its condition tree.

The page of a kaart never holds a hand-written copy of a condition: what it shows is what the
evaluators decide on. The words are in :mod:`ave_rules.messages` (``weergave-*``), so the
sentence follows the message language; ids and values stay as the kaart writes them, quoted.
Sentences are plain text; the caller escapes them for HTML or markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import _terms as t
from .._messages import render
from ..kaart import (
    AllOf,
    AnyOf,
    Condition,
    DerivedTest,
    FactTest,
    LevelTest,
    Not,
    TransitionTest,
)


def quoted(text: str) -> str:
    return f"‘{text}’"


def joined(items: Sequence[str], conjunction: str) -> str:
    """``a``, ``a of b``, ``a, b of c`` (``conjunction`` is a message code: weergave-en, weergave-of)."""
    if len(items) == 1:
        return items[0]
    word = render(conjunction, {})
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def sentence(condition: Condition) -> str:
    """The whole condition as one sentence; nested and/or parts in parentheses."""
    if isinstance(condition, AllOf):
        return joined([_part(part) for part in condition.all], "weergave-en")
    if isinstance(condition, AnyOf):
        return joined([_part(part) for part in condition.any], "weergave-of")
    if isinstance(condition, Not):
        return _negation(condition.negated)
    return _atom(condition)


def listed(condition: Condition) -> tuple[str | None, tuple[str, ...]]:
    """An introduction and one sentence per part, for a top-level ``alle`` or ``een_van``
    shown as a list; otherwise no introduction and the one sentence."""
    if isinstance(condition, AllOf) and len(condition.all) > 1:
        return render("weergave-alle-gelden", {}), tuple(sentence(part) for part in condition.all)
    if isinstance(condition, AnyOf) and len(condition.any) > 1:
        return render("weergave-een-geldt", {}), tuple(sentence(part) for part in condition.any)
    return None, (sentence(condition),)


def _part(condition: Condition) -> str:
    # A compound part, or a negation written as "it is not the case that ...", needs parentheses
    # inside a list, else "a, not b and c" would be ambiguous.
    text = sentence(condition)
    if (
        isinstance(condition, AllOf | AnyOf)
        and len(condition.all if isinstance(condition, AllOf) else condition.any) > 1
    ):
        return f"({text})"
    if isinstance(condition, Not) and not _negates_simply(condition.negated):
        return f"({text})"
    return text


def _negates_simply(condition: Condition) -> bool:
    return isinstance(condition, DerivedTest) or (isinstance(condition, FactTest) and condition.comparison == "is")


def _negation(condition: Condition) -> str:
    if isinstance(condition, DerivedTest):
        return render("weergave-afgeleid-niet", {"afgeleid": quoted(condition.derived)})
    if isinstance(condition, FactTest) and condition.comparison == "is":
        return _fact(condition.fact, "is-niet", condition.operand)
    inner = sentence(condition)
    if isinstance(condition, AllOf | AnyOf | Not):
        inner = f"({inner})"
    return render("weergave-niet", {"voorwaarde": inner})


def _atom(condition: FactTest | DerivedTest | LevelTest | TransitionTest) -> str:
    if isinstance(condition, FactTest):
        return _fact(condition.fact, condition.comparison, condition.operand)
    if isinstance(condition, DerivedTest):
        return render("weergave-afgeleid", {"afgeleid": quoted(condition.derived)})
    if isinstance(condition, LevelTest):
        comparison = condition.level.comparison
        operand = condition.level.operand
        value = joined(list(operand), "weergave-of") if comparison == "is_een_van" else str(operand)
        return render(
            f"weergave-vergelijking-{comparison}", {"feit": render("weergave-besliste-niveau", {}), "waarde": value}
        )
    return render(f"weergave-overgang-{condition.transition}", {})


def _fact(fact: str, comparison: str, operand: Any) -> str:
    params = {"feit": quoted(fact)}
    if comparison in t.COUNT_COMPARISONS:
        return render(f"weergave-vergelijking-{comparison}", {**params, "aantal": str(operand)})
    if comparison in t.LIST_COMPARISONS:
        conjunction = "weergave-en" if comparison == "bevat_alle" else "weergave-of"
        return render(
            f"weergave-vergelijking-{comparison}",
            {**params, "waarde": joined([_value(v) for v in operand], conjunction)},
        )
    return render(f"weergave-vergelijking-{comparison}", {**params, "waarde": _value(operand)})


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return render("weergave-ja" if value else "weergave-nee", {})
    return quoted(str(value))
