"""A case's history: its dated decisions, from which the time facts follow.

A kaart's time facts (ordinal facts with ``tijd``) are not given by the calling system: the
history computes them. ``verblijfsduur_op_niveau`` is how long the case has been at its current
level, counted on the kaart's calendar from the peildatum of the first decision of the latest
run of decisions at that level. The current phase (the kaart's ``fase`` fact) is the level of
the last decision. A history refuses what would make it untrue: a decision from another kaart,
a peildatum before the last one, a current phase that is not the last decided level (a decision
missing in between), and a time fact given by the caller.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from .._terms import python_pattern
from ..engine import FactChecker, reference_date
from ..errors import HistoryError, Problem, RecordError
from ..kaart import Action, Decision, OrdinalFact, Regiekaart, YamlDocument
from ._record import FactValue, located, read_json, record_from

#: An opaque reference to the case, chosen by the calling system: never a name, BSN or address.
CASE_REF = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
HISTORY_FORMAT: Literal[1] = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", regex_engine="python-re")


class HistoryEntry(_Frozen):
    facts: dict[str, FactValue] = Field(description="the facts the case was decided on, time facts included")
    decision: Decision


class Overdue(_Frozen):
    """What has passed its day: the next evaluatiemoment, and actions past their termijn."""

    evaluation: datetime.date | None
    actions: tuple[Action, ...]


class CaseHistory(_Frozen):
    """The dated decisions of one case, oldest first. Start one with :meth:`start`; add a decision
    with :meth:`decide`, which returns a new history (this one does not change)."""

    format: Literal[1]
    case_ref: str = Field(
        pattern=python_pattern(CASE_REF),
        json_schema_extra={"pattern": CASE_REF},
        description="the calling system's own reference to the case: opaque, never personal data",
    )
    kaart_id: str
    entries: tuple[HistoryEntry, ...] = ()

    @classmethod
    def start(cls, case_ref: str, kaart_id: str) -> CaseHistory:
        """An empty history. Raises HistoryError when ``case_ref`` is not a plain reference."""
        try:
            return cls(format=HISTORY_FORMAT, case_ref=case_ref, kaart_id=kaart_id)
        except pydantic.ValidationError:
            raise HistoryError([_problem("geschiedenis-zaak-ongeldig", "/case_ref")]) from None

    @property
    def last(self) -> Decision | None:
        return self.entries[-1].decision if self.entries else None

    def level_since(self) -> datetime.date | None:
        """The peildatum from which the case has been at its current level without a break."""
        if not self.entries:
            return None
        level = self.entries[-1].decision.level
        since = self.entries[-1].decision.reference_date
        for entry in reversed(self.entries):
            if entry.decision.level != level:
                break
            since = entry.decision.reference_date
        return since

    def time_facts(self, kaart: Regiekaart, on: datetime.date) -> dict[str, str]:
        """The value of each of ``kaart``'s time facts on ``on``: the first value without a history."""
        since = self.level_since()
        values = {}
        for fact in _time_facts(kaart):
            thresholds = fact.time.thresholds if fact.time else ()
            reached = 0
            if since is not None:
                calendar = kaart.working_days
                reached = sum(on >= calendar.end(since, term.amount, term.unit) for term in thresholds)
            values[fact.id] = fact.values[reached]
        return values

    def decide(
        self, kaart: Regiekaart, facts: Mapping[str, object], on: datetime.date | None = None
    ) -> tuple[CaseHistory, Decision]:
        """Decide the case's next step on ``on`` (default today): the given facts with the time
        facts and the current phase from the history. Returns the longer history and the decision.
        Raises HistoryError when the decision cannot follow this history, FactsError when the facts
        do not fit."""
        day = reference_date(on)
        given = FactChecker(kaart).validated(facts)
        problems = list(self._follows(kaart, given, day))
        if problems:
            raise HistoryError(problems)
        complete = {**given, **self.time_facts(kaart, day)}
        phase = kaart.phase_fact
        if phase is not None and self.last is not None:
            complete[phase.id] = self.last.level
        decision = kaart.evaluate(complete, day)
        plain = {name: tuple(value) if isinstance(value, list) else value for name, value in complete.items()}
        entry = HistoryEntry(facts=plain, decision=decision)
        return self.model_copy(update={"entries": (*self.entries, entry)}), decision

    def _follows(self, kaart: Regiekaart, given: Mapping[str, Any], day: datetime.date) -> Iterator[Problem]:
        if kaart.id != self.kaart_id:
            yield _problem("geschiedenis-andere-kaart", "/kaart_id", {"id": self.kaart_id})
        last = self.last
        if last is not None and day < last.reference_date:
            yield _problem("geschiedenis-terug-in-tijd", "/entries", {"laatste": last.reference_date.isoformat()})
        for fact in _time_facts(kaart):
            if fact.id in given:
                yield _problem("geschiedenis-tijdfeit-opgegeven", f"/feiten/{fact.id}", {"feit": fact.id})
        phase = kaart.phase_fact
        if phase is not None and phase.id in given and last is not None and given[phase.id] != last.level:
            yield _problem("geschiedenis-gat", f"/feiten/{phase.id}", {"niveau": last.level})

    def overdue(self, on: datetime.date) -> Overdue:
        """What of the last decision has passed its day on ``on``."""
        last = self.last
        if last is None:
            return Overdue(evaluation=None, actions=())
        passed = last.next_evaluation if last.next_evaluation and last.next_evaluation < on else None
        return Overdue(evaluation=passed, actions=tuple(a for a in last.actions if a.due and a.due < on))


def _time_facts(kaart: Regiekaart) -> list[OrdinalFact]:
    return [fact for fact in kaart.facts if isinstance(fact, OrdinalFact) and fact.time is not None]


def _problem(code: str, path: str, params: dict[str, str] | None = None) -> Problem:
    return Problem(code, "", 0, 0, path, params or {})


def history_problems(history: CaseHistory) -> Iterator[tuple[str, tuple[str | int, ...], dict[str, str]]]:
    """What makes a history (read from a file) untrue: a decision of another kaart, or dates that
    run backwards. As (code, path, params)."""
    previous: Decision | None = None
    for index, entry in enumerate(history.entries):
        decision = entry.decision
        if decision.kaart.id != history.kaart_id:
            yield "geschiedenis-andere-kaart", ("entries", index, "decision", "kaart", "id"), {"id": history.kaart_id}
        if previous is not None and decision.reference_date < previous.reference_date:
            where = ("entries", index, "decision", "reference_date")
            yield "geschiedenis-terug-in-tijd", where, {"laatste": previous.reference_date.isoformat()}
        previous = decision


def read_history(path: Path | str) -> CaseHistory:
    """A history from a JSON file, checked: its structure and its order. Raises HistoryError,
    every problem located in the file."""
    return history_from(read_json(path, HistoryError))


def history_from(document: YamlDocument) -> CaseHistory:
    try:
        history = CaseHistory.model_validate(document.data)
    except pydantic.ValidationError as error:
        raise HistoryError(located(error, document.source, "geschiedenis-ongeldig")) from None
    problems = [document.source.problem(code, where, params) for code, where, params in history_problems(history)]
    if problems:
        raise HistoryError(problems)
    return history


def read_decision(path: Path | str) -> Decision:
    """The decision in a record file, or the last one of a history file (it has ``entries``).
    Raises RecordError or HistoryError, located."""
    document = read_json(path, RecordError)
    if not (isinstance(document.data, dict) and "entries" in document.data):
        return record_from(document).decision
    last = history_from(document).last
    if last is None:
        raise HistoryError([document.source.problem("geschiedenis-ongeldig", ("entries",), {"soort": "too_short"})])
    return last


def history_schema() -> dict[str, Any]:
    """JSON Schema (draft-07) of ``CaseHistory.model_dump(mode="json")``."""
    generated = CaseHistory.model_json_schema(ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    return {"$schema": "http://json-schema.org/draft-07/schema#", **generated, "definitions": definitions}
