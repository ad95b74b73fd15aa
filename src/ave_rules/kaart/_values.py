"""What a value of a fact may be: shared by the kaart checks (defaults, scenarios,
condition operands) and by the validation of case facts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from .._messages import Params, Phrase, closest, shown, type_phrase
from ._model import AnyFact, BooleanFact, SetFact, fact_values

Issue = tuple[str, Params]


def _listing(values: Iterable[Any]) -> str:
    return ", ".join(shown(value) for value in values)


def element_issue(fact: AnyFact, value: Any, level_ids: tuple[str, ...], written: str | None = None) -> Issue | None:
    """Problem with ``value`` as a single value of ``fact`` (for a set fact: as a member).

    ``written`` is the value as it stands in the file, for hints ("put '2025.10' in quotes")."""
    domain = fact_values(fact, level_ids)
    if isinstance(fact, BooleanFact):
        if isinstance(value, bool):
            return None
        hint: str | Phrase = Phrase("hint-ja-nee") if isinstance(value, str) else ""
        return "waarde-type-feit", {
            "feit": fact.id,
            "soort": fact.kind,
            "verwacht": Phrase("type-ja-nee"),
            "gevonden": type_phrase(value),
            "hint": hint,
        }
    if not isinstance(value, str):
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        hint = (
            Phrase("hint-aanhalingstekens", waarde=written or str(value), als=type_phrase(value)) if is_number else ""
        )
        return "waarde-type-feit", {
            "feit": fact.id,
            "soort": fact.kind,
            "verwacht": Phrase("type-tekst"),
            "gevonden": type_phrase(value),
            "hint": hint,
        }
    if value not in domain:
        return "waarde-buiten-domein", {
            "waarde": value,
            "feit": fact.id,
            "suggestie": closest(value, domain),
            "toegestaan": _listing(domain),
        }
    return None


class _Texts(Protocol):
    def text(self, path: tuple[str | int, ...]) -> str | None: ...


def value_issues(
    fact: AnyFact,
    value: Any,
    level_ids: tuple[str, ...],
    source: _Texts | None = None,
    path: tuple[str | int, ...] = (),
) -> list[tuple[tuple[int, ...], Issue]]:
    """Problems with ``value`` as the whole value of ``fact``, each with its index inside a list.

    With a ``source``, hints quote the value as written at ``path``."""

    def written(*inner: int) -> str | None:
        return source.text((*path, *inner)) if source else None

    if isinstance(fact, SetFact):
        if not isinstance(value, list | tuple):
            return [
                (
                    (),
                    (
                        "waarde-type-feit",
                        {
                            "feit": fact.id,
                            "soort": fact.kind,
                            "verwacht": Phrase("type-lijst"),
                            "gevonden": type_phrase(value),
                            "hint": "",
                        },
                    ),
                )
            ]
        issues: list[tuple[tuple[int, ...], Issue]] = []
        seen: set[Any] = set()
        for index, member in enumerate(value):
            issue = element_issue(fact, member, level_ids, written(index))
            if issue is None and member in seen:
                issue = ("dubbele-waarde", {"waarde": str(member)})
            if issue:
                issues.append(((index,), issue))
            if isinstance(member, str):
                seen.add(member)
        return issues
    issue = element_issue(fact, value, level_ids, written())
    return [((), issue)] if issue else []
