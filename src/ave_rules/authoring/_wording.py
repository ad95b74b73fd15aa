"""A rule's condition as a sentence, generated from its condition tree.

The page of a kaart never holds a hand-written copy of a condition: what it shows is what the
evaluators decide on. The words are in :mod:`ave_rules.messages` (``weergave-*``), so the
sentence follows the message language; ids and values stay as the kaart writes them, quoted.
Sentences are plain text; the caller escapes them for HTML or markdown.

With :class:`Words` (from :func:`kaart_words`), a sentence uses the kaart's own wording where it
has one: a derived fact and a yes/no fact by their description, a transition briefly, ids and
values without underscores. That is the printed regiekaart's wording.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import _terms as t
from .._messages import render
from ..kaart import (
    AllOf,
    AnyOf,
    BooleanFact,
    Condition,
    DerivedTest,
    FactTest,
    LevelTest,
    Not,
    Regiekaart,
    TransitionTest,
)


@dataclass(frozen=True)
class Words:
    """The kaart's own wording: per derived fact and per yes/no fact, its description as a clause."""

    derived: Mapping[str, str] = field(default_factory=dict)
    flags: Mapping[str, str] = field(default_factory=dict)


def kaart_words(kaart: Regiekaart) -> Words:
    return Words(
        derived={fact.id: clause(fact.description) for fact in kaart.derived_facts},
        flags={fact.id: clause(fact.description) for fact in kaart.facts if isinstance(fact, BooleanFact)},
    )


def clause(text: str) -> str:
    """A description as a clause mid-sentence: one line, no final full stop, a lower-case start
    unless the first word is an abbreviation (``ZVH``, ``GGZ``), and an aside between dashes, not
    parentheses (a clause may itself stand in parentheses)."""
    flat = " ".join(text.split()).rstrip(".")
    flat = re.sub(r"\s*\(([^()]*)\)", r" – \1 –", flat)
    flat = flat[: -len(" –")] if flat.endswith(" –") else flat
    first = flat.split(" ", 1)[0]
    return flat if first[1:2].isupper() else flat[:1].lower() + flat[1:]


def _plain(text: str, words: Words | None) -> str:
    return quoted(text.replace("_", " ") if words is not None else text)


def quoted(text: str) -> str:
    return f"‘{text}’"


def joined(items: Sequence[str], conjunction: str) -> str:
    """``a``, ``a of b``, ``a, b of c`` (``conjunction`` is a message code: weergave-en, weergave-of)."""
    if len(items) == 1:
        return items[0]
    word = render(conjunction, {})
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def sentence(condition: Condition, words: Words | None = None) -> str:
    """The whole condition as one sentence; nested and/or parts in parentheses."""
    if isinstance(condition, AllOf):
        return joined([_part(part, words) for part in condition.all], "weergave-en")
    if isinstance(condition, AnyOf):
        return joined([_part(part, words) for part in condition.any], "weergave-of")
    if isinstance(condition, Not):
        return _negation(condition.negated, words)
    return _atom(condition, words)


def listed(condition: Condition, words: Words | None = None) -> tuple[str | None, tuple[str, ...]]:
    """An introduction and one sentence per part, for a top-level ``alle`` or ``een_van``
    shown as a list; otherwise no introduction and the one sentence."""
    if isinstance(condition, AllOf) and len(condition.all) > 1:
        return render("weergave-alle-gelden", {}), tuple(sentence(part, words) for part in condition.all)
    if isinstance(condition, AnyOf) and len(condition.any) > 1:
        return render("weergave-een-geldt", {}), tuple(sentence(part, words) for part in condition.any)
    return None, (sentence(condition, words),)


def _part(condition: Condition, words: Words | None) -> str:
    # A compound part, or a negation written as "it is not the case that ...", needs parentheses
    # inside a list, else "a, not b and c" would be ambiguous.
    text = sentence(condition, words)
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


def _negation(condition: Condition, words: Words | None) -> str:
    own = _own_words(condition, words)
    if own is not None:  # a description is a main clause: "niet: er zijn ..." reads, "niet zo dat er zijn" not
        return render("weergave-niet-omschrijving", {"voorwaarde": own})
    if isinstance(condition, DerivedTest):
        return render("weergave-afgeleid-niet", {"afgeleid": _plain(condition.derived, words)})
    if isinstance(condition, FactTest) and condition.comparison == "is":
        return _fact(condition.fact, "is-niet", condition.operand, words)
    inner = sentence(condition, words)
    if isinstance(condition, AllOf | AnyOf | Not):
        inner = f"({inner})"
    return render("weergave-niet", {"voorwaarde": inner})


def _own_words(condition: Condition, words: Words | None) -> str | None:
    """The kaart's description for a derived fact that holds or a yes/no fact that is ja."""
    if words is None:
        return None
    if isinstance(condition, DerivedTest):
        return words.derived.get(condition.derived)
    if isinstance(condition, FactTest) and condition.comparison == "is" and condition.operand is True:
        return words.flags.get(condition.fact)
    return None


def _atom(condition: FactTest | DerivedTest | LevelTest | TransitionTest, words: Words | None) -> str:
    own = _own_words(condition, words)
    if own is not None:
        return own
    if isinstance(condition, FactTest):
        return _fact(condition.fact, condition.comparison, condition.operand, words)
    if isinstance(condition, DerivedTest):
        return render("weergave-afgeleid", {"afgeleid": _plain(condition.derived, words)})
    if isinstance(condition, LevelTest):
        comparison = condition.level.comparison
        operand = condition.level.operand
        value = joined(list(operand), "weergave-of") if comparison == "is_een_van" else str(operand)
        return render(
            f"weergave-vergelijking-{comparison}", {"feit": render("weergave-besliste-niveau", {}), "waarde": value}
        )
    if words is not None:
        return render(f"weergave-kort-overgang-{condition.transition}", {})
    return render(f"weergave-overgang-{condition.transition}", {})


def _fact(fact: str, comparison: str, operand: Any, words: Words | None) -> str:
    params = {"feit": _plain(fact, words)}
    if comparison in t.COUNT_COMPARISONS:
        return render(f"weergave-vergelijking-{comparison}", {**params, "aantal": str(operand)})
    if comparison in t.LIST_COMPARISONS:
        conjunction = "weergave-en" if comparison == "bevat_alle" else "weergave-of"
        return render(
            f"weergave-vergelijking-{comparison}",
            {**params, "waarde": joined([_value(v, words) for v in operand], conjunction)},
        )
    return render(f"weergave-vergelijking-{comparison}", {**params, "waarde": _value(operand, words)})


def _value(value: Any, words: Words | None) -> str:
    if isinstance(value, bool):
        return render("weergave-ja" if value else "weergave-nee", {})
    return _plain(str(value), words)
