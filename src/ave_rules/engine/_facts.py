"""Validating a case's facts against a kaart's vocabulary, before anything evaluates them.

Case facts describe a household's situation, so messages name a fact of the kaart and say what
is allowed, but never repeat a value or a name that was given: errors end up in logs.

The facts are copied once, at the door, into plain built-in values: a Mapping whose values change
between two reads, or a ``str`` subclass that compares equal to anything, can never get a value
past the check into the engine. What is checked is what is decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import _terms as t
from .._messages import Phrase, closest, shown
from .._messages import type_phrase as _kind
from ..errors import MAX_PROBLEMS, FactProblem, FactsError
from ..kaart import AnyFact, BooleanFact, PhaseFact, Regiekaart, SetFact, fact_values
from ._outcome import complete

_NAME = re.compile(t.python_pattern(t.ID_PATTERN))


class FactChecker:
    """Checks cases against one kaart's vocabulary; the check per fact is prepared once."""

    def __init__(self, kaart: Regiekaart) -> None:
        self.kaart = kaart
        # Each fact's values, a set fact's in _members: a boolean fact's are booleans, every other
        # fact's text, so a value of the wrong type is in no fact's values.
        values = {fact.id: frozenset(fact_values(fact, kaart.level_ids)) for fact in kaart.facts}
        self._members = {name: values.pop(name) for name, fact in kaart.fact_by_id.items() if isinstance(fact, SetFact)}
        self._values = values
        self._defaults = kaart.defaults

    def validated(self, facts: object) -> dict[str, Any]:
        """``facts`` copied into plain built-in values (a set fact's members as a tuple), or
        FactsError listing every problem (at most MAX_PROBLEMS, then a final notice)."""
        copied = self._copied(facts)
        return copied if copied is not None else self._checked(facts)

    def completed(self, facts: object) -> tuple[dict[str, Any], tuple[str, ...]]:
        """``facts`` checked as :meth:`validated` checks them and completed as
        :func:`~ave_rules.engine.complete` completes them: every fact of the kaart, in its order (a
        set fact's value a frozenset), and the names of the facts that took their default."""
        copied = self._copied(facts)
        if copied is None:
            return complete(self.kaart, self._checked(facts))
        full = {**self._defaults, **copied}  # the kaart's order: copied holds only its facts
        for name in self._members:
            full[name] = frozenset(full[name])
        defaulted = () if len(copied) == len(full) else tuple(name for name in full if name not in copied)
        return full, defaulted

    def _copied(self, facts: object) -> dict[str, Any] | None:
        """A plain dict's facts copied and checked in one pass, no message built; None for
        anything else, or when one does not plainly fit (``_checked`` then says why, or copies
        it the general way)."""
        if type(facts) is not dict:
            return None
        values, members = self._values, self._members
        copied = {}
        for name, value in list(facts.items()):  # _fits, written out: every new case passes here
            kind = type(value)
            if type(name) is not str:
                return None
            if kind is str or kind is bool:
                if value not in values.get(name, ()):
                    return None
            elif kind is list or kind is tuple:
                value = tuple(value)  # copied before its members are checked
                if not _members_fit(value, members.get(name)):
                    return None
            else:
                return None
            copied[name] = value
        return copied

    def _checked(self, facts: object) -> dict[str, Any]:
        """Any Mapping's facts read into plain values and checked, or FactsError."""
        plain = _plain(facts)
        if plain is not None:
            for name, value in plain.items():
                if not self._fits(name, value):
                    break
            else:
                return plain  # the common case, checked without building any message
        problems: list[FactProblem] = []
        for problem in _problems(self.kaart, facts if plain is None else plain):
            if len(problems) == MAX_PROBLEMS:
                problems.append(FactProblem("feiten-te-veel-problemen", "", {"grens": str(MAX_PROBLEMS)}))
                break
            problems.append(problem)
        if problems:
            raise FactsError(problems)
        return plain if plain is not None else {}

    def _fits(self, name: object, value: object) -> bool:
        """A quick yes for a plain value that plainly fits; a no sends the case to the full check."""
        if type(name) is not str:
            return False
        if type(value) is str or type(value) is bool:
            return value in self._values.get(name, ())
        return isinstance(value, _COLLECTIONS) and _members_fit(value, self._members.get(name))


def _plain(facts: object) -> dict[Any, Any] | None:
    """A Mapping's items, read once into a dict of plain values; None for anything else."""
    if not isinstance(facts, Mapping):
        return None
    return {_plain_value(name): _plain_value(value, members=True) for name, value in list(facts.items())}


def _plain_value(value: object, *, members: bool = False) -> Any:
    if isinstance(value, str):
        return str.__str__(value)  # a plain str, whatever a subclass says of itself
    if members and isinstance(value, _COLLECTIONS):
        return tuple(_plain_value(member) for member in list(value))
    return value  # bool cannot be subclassed; anything else is refused by the check


def _members_fit(members: Any, domain: frozenset[bool | str] | None) -> bool:
    """Whether ``members`` are the distinct, plain texts of a set fact's values (``domain``)."""
    return (
        domain is not None
        and all(type(member) is str and member in domain for member in members)
        and len(set(members)) == len(members)
    )


_COLLECTIONS = (list, tuple, set, frozenset)


def _problems(kaart: Regiekaart, facts: Any) -> Iterator[FactProblem]:
    if not isinstance(facts, Mapping):
        yield FactProblem("feiten-geen-mapping", "", {"gevonden": _kind(facts)})
        return
    known = kaart.fact_by_id
    for position, (name, value) in enumerate(facts.items(), 1):
        if not isinstance(name, str):
            yield FactProblem("feit-naam-ongeldig", "", {"gevonden": _kind(name), "plaats": str(position)})
        elif not _NAME.match(name) or len(name) > 100:
            # Suggest a fact of the kaart, never repeat the name: it came from outside.
            written = re.sub(r"[\s-]+", "_", name[:100].strip().lower())
            params = {"plaats": str(position), "suggestie": closest(written, known)}
            yield FactProblem("feit-naam-vorm", "", params)
        elif name not in known:
            params = {"plaats": str(position), "suggestie": closest(name, known), "bekend": ", ".join(known)}
            yield FactProblem("feit-onbekend", "", params)
        else:
            yield from _value_problems(known[name], value, kaart.level_ids)


def _value_problems(fact: AnyFact, value: Any, level_ids: tuple[str, ...]) -> Iterator[FactProblem]:
    allowed = ", ".join(shown(option) for option in fact_values(fact, level_ids))
    if isinstance(fact, SetFact):
        if not isinstance(value, list | tuple | set | frozenset):
            yield FactProblem("feit-type", fact.id, {"verwacht": Phrase("type-lijst"), "gevonden": _kind(value)})
            return
        seen: set[str] = set()
        for index, member in enumerate(value):
            path = f"{fact.id}/{index}"
            if not isinstance(member, str):
                yield FactProblem("feit-type", path, {"verwacht": Phrase("type-tekst"), "gevonden": _kind(member)})
            elif member not in fact.values:
                yield FactProblem("feit-waarde", path, {"toegestaan": allowed})
            elif member in seen:
                yield FactProblem("feit-dubbel", path)
            else:
                seen.add(member)
        return
    expected = Phrase("type-ja-nee") if isinstance(fact, BooleanFact) else Phrase("type-tekst")
    if isinstance(fact, BooleanFact) != isinstance(value, bool) or (
        not isinstance(fact, BooleanFact) and not isinstance(value, str)
    ):
        yield FactProblem("feit-type", fact.id, {"verwacht": expected, "gevonden": _kind(value)})
    elif value not in fact_values(fact, level_ids):
        code = "feit-fase" if isinstance(fact, PhaseFact) else "feit-waarde"
        yield FactProblem(code, fact.id, {"toegestaan": allowed})
