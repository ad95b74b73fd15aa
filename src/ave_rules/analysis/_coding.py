"""A checked case as one number, so that a case load of millions of rows keeps each distinct
case once, in about a hundred bytes.

Each fact is a digit: 0 when the case does not give it, otherwise 1 + the value's position (a
``ja_nee`` fact: 1 + false/true; a ``verzameling``: 1 + its members as bits). A fact not given is
kept apart from a fact given its default: two kaarten compared may have different defaults.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..kaart import AnyFact, BooleanFact, Regiekaart, SetFact, fact_values


class CaseCoding:
    """The numbering of the cases over the facts of ``kaarten`` (the first kaart's facts first)."""

    def __init__(self, kaarten: Sequence[Regiekaart]) -> None:
        facts: dict[str, AnyFact] = {}
        values: dict[str, list[Any]] = {}
        for kaart in kaarten:
            for fact in kaart.facts:
                facts.setdefault(fact.id, fact)
                known = values.setdefault(fact.id, [])
                known += [value for value in fact_values(fact, kaart.level_ids) if value not in known]
        self.known = frozenset(facts)
        #: per fact: (id, kind, values, position of each value, weight of its digit)
        self.digits: list[tuple[str, str, tuple[Any, ...], dict[Any, int], int]] = []
        weight = 1
        for fact_id, fact in facts.items():
            kind = "bool" if isinstance(fact, BooleanFact) else "set" if isinstance(fact, SetFact) else "one"
            options = (False, True) if kind == "bool" else tuple(values[fact_id])
            positions = {value: position for position, value in enumerate(options)}
            self.digits.append((fact_id, kind, options, positions, weight))
            weight *= 1 + (1 << len(options) if kind == "set" else len(options))

    def encode(self, facts: Mapping[str, Any]) -> int:
        """The number of checked ``facts`` (values as the facts check returns them)."""
        code = 0
        for fact_id, kind, _, positions, weight in self.digits:
            value = facts.get(fact_id, _ABSENT)
            if value is _ABSENT:
                continue
            if kind == "set":
                digit = 0
                for member in value:
                    digit |= 1 << positions[member]
            else:
                digit = positions[value]
            code += (digit + 1) * weight
        return code

    def decode(self, code: int) -> dict[str, Any]:
        """The facts given by the case numbered ``code`` (a set fact's members as a list)."""
        facts: dict[str, Any] = {}
        for fact_id, kind, options, _, weight in reversed(self.digits):
            digit, code = divmod(code, weight)
            if digit == 0:
                continue
            digit -= 1
            if kind == "set":
                facts[fact_id] = [member for position, member in enumerate(options) if digit >> position & 1]
            else:
                facts[fact_id] = options[digit]
        return {fact_id: facts[fact_id] for fact_id, *_ in self.digits if fact_id in facts}


_ABSENT = object()
