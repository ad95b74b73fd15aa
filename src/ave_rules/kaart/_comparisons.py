"""What a comparison in a condition means on an ordered scale: an ordinal fact's values, or the ladder of levels.

The evaluators (the reference evaluator and the durable-rules ruleset) each implement comparisons
on their own, on purpose: the test suite holds them to the same outcome, and two independent
readings catch a mistake in either. Everything else that asks whether a comparison holds (the
rendered kaart, the analysis over the whole fact space) uses this one table, and a test holds
the table to the reference evaluator on every comparison and every pair of values.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence

#: Comparison -> whether it holds between a value's position on the scale and the operand's.
BY_POSITION: Mapping[str, Callable[[int, int], bool]] = {
    "is": operator.eq,
    "minstens": operator.ge,
    "hoogstens": operator.le,
    "boven": operator.gt,
    "onder": operator.lt,
}


def holds_on_scale(comparison: str, value: str, operand: str | Sequence[str], scale: Sequence[str]) -> bool:
    """Whether ``value`` compares to ``operand`` as ``comparison`` says, on ``scale`` (low to high)."""
    if comparison == "is_een_van":
        return value in operand
    if not isinstance(operand, str):
        raise TypeError(f"'{comparison}' compares with one value, not a list")
    return BY_POSITION[comparison](scale.index(value), scale.index(operand))
