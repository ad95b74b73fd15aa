"""Replaying a record: decide its facts again, on its peildatum, with the kaart it names, and
say whether the outcome is the same, or exactly what differs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._messages import Params, Rendered
from ..errors import Problem, RecordError
from ..kaart import Action, Decision
from ..loading import load_id
from ._record import DecisionRecord, make_record


@dataclass(frozen=True)
class Difference(Rendered):
    """One way the decision of today differs from the recorded one. ``recorded`` and ``now`` are
    ids, dates or hashes from the kaart and the decision, never a fact's value."""

    code: str
    part: str  # the member of the decision, such as "level" or "actions"
    recorded: Any
    now: Any
    params: Params = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "part": self.part,
            "recorded": self.recorded,
            "now": self.now,
            "message": self.message,
        }


@dataclass(frozen=True)
class Replay:
    """The record, the decision made again, and what differs (nothing: ``confirmed``)."""

    record: DecisionRecord
    decision: Decision
    differences: tuple[Difference, ...]

    @property
    def confirmed(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record.record_id,
            "confirmed": self.confirmed,
            "differences": [difference.as_dict() for difference in self.differences],
        }


def replay(record: DecisionRecord, search: Sequence[str | Path] = ()) -> Replay:
    """Decide ``record``'s facts again on its peildatum, with the version of its kaart valid on
    that day (looked up in ``search``, then among the bundled kaarten). Raises RecordError for a
    record whose hash does not match, KaartNotFoundError when its kaart is not found."""
    if record.content_hash() != record.record_hash:
        raise RecordError([Problem("record-gewijzigd", "", 0, 0, "/record_hash")])
    recorded = record.decision
    kaart = load_id(recorded.kaart.id, search=search, on=recorded.reference_date)
    again = make_record(kaart, record.facts, recorded.reference_date)
    return Replay(record, again.decision, tuple(_differences(record, again)))


def _differences(recorded: DecisionRecord, again: DecisionRecord) -> list[Difference]:
    old, new = recorded.decision, again.decision
    found = []
    if old.kaart.version != new.kaart.version:
        found.append(_difference("replay-andere-versie", "kaart.version", old.kaart.version, new.kaart.version))
    elif old.kaart.content_hash != new.kaart.content_hash:
        found.append(
            _difference("replay-kaart-veranderd", "kaart.content_hash", old.kaart.content_hash, new.kaart.content_hash)
        )
    parts: list[tuple[str, Any, Any]] = [
        ("level", old.level, new.level),
        ("roles", dict(old.roles), dict(new.roles)),
        ("actions", [_action(a) for a in old.actions], [_action(a) for a in new.actions]),
        ("derived", list(old.derived), list(new.derived)),
        ("next_evaluation", old.next_evaluation, new.next_evaluation),
        ("rules", _rules(recorded), _rules(again)),
    ]
    for part, was, now in parts:
        if _plain(was) != _plain(now):
            found.append(_difference("replay-anders", part, _plain(was), _plain(now)))
    return found


def _difference(code: str, part: str, was: Any, now: Any) -> Difference:
    return Difference(code, part, was, now, {"deel": part, "was": _shown(was), "nu": _shown(now)})


def _action(action: Action) -> dict[str, Any]:
    return {"type": action.type, "target": action.target, "source": action.source, "due": action.due}


def _rules(record: DecisionRecord) -> list[dict[str, Any]]:
    return [rule.model_dump(mode="json") for rule in record.rules]


def _plain(value: Any) -> Any:
    """JSON-like data: what a record holds, compared and shown the same way."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
