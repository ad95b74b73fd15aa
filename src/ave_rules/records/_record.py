"""The decision record: what a dossier keeps of one decision, so that it can be checked later.

It holds the facts exactly as given, the decision (with its peildatum, the kaart's id, version
and content hash, and the engine), when it was decided, the ave_rules version, and which rules
decided the level apart from those that were overruled or only held, with the alternatives of
each ``een_van`` that held. A SHA-256 over the rest (``record_hash``) shows whether it was
changed after it was made.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pydantic
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictStr

from .._terms import TIME_ZONE, python_pattern
from .._version import __version__
from ..engine import FactChecker, alternatives_held, complete
from ..errors import Problem, ProblemsError, RecordError
from ..kaart import MAX_BYTES, Decision, Locator, Regiekaart, YamlDocument, decode, read_file, read_yaml

RECORD_FORMAT: Literal[1] = 1
FactValue = StrictBool | StrictStr | tuple[StrictStr, ...]


_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
_SHA256 = r"^[0-9a-f]{64}$"


def _matching(pattern: str, description: str) -> Any:
    # The model matches the whole text (no final newline); the schema says it as JSON Schema does.
    return Field(pattern=python_pattern(pattern), description=description, json_schema_extra={"pattern": pattern})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", regex_engine="python-re")


class AnyOfHeld(_Frozen):
    path: str = Field(description="where the een_van is in the rule, such as '/als/alle/1/een_van'")
    held: tuple[int, ...] = Field(description="the positions (from 0) of its alternatives that held")


class RuleInRecord(_Frozen):
    rule: str = Field(description="id of a rule whose condition held")
    role: Literal["decided", "overruled", "held"] = Field(
        description="decided: it proposed the decided level; overruled: it proposed a lower one; "
        "held: it proposed no level (it derived a fact or gave an action)"
    )
    any_of: tuple[AnyOfHeld, ...] = Field(description="each een_van in its condition, with what held")


class DecisionRecord(_Frozen):
    """One decision for the dossier. Make one with :func:`make_record`; check one with
    :func:`~ave_rules.records.replay`."""

    format: Literal[1] = Field(description="version of the record format: 1")
    record_id: str = _matching(_UUID, "a random UUID (version 4) that names this record")
    decided_at: AwareDatetime = Field(description="when it was decided, with its UTC offset")
    facts: dict[str, FactValue] = Field(description="the facts exactly as given (names of the kaart's facts)")
    decision: Decision
    rules: tuple[RuleInRecord, ...] = Field(description="every rule whose condition held, in the kaart's order")
    ave_rules_version: str
    record_hash: str = _matching(_SHA256, "SHA-256 of the record's canonical JSON without this field")

    def content_hash(self) -> str:
        """The SHA-256 the record should carry: of its canonical JSON, without ``record_hash``."""
        content = self.model_dump(mode="json", exclude={"record_hash"})
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def make_record(kaart: Regiekaart, facts: Mapping[str, object], on: datetime.date | None = None) -> DecisionRecord:
    """Decide a case, and return the decision with everything a dossier keeps of it. Raises as
    :meth:`Regiekaart.evaluate` does."""
    decision = kaart.evaluate(facts, on)
    given = FactChecker(kaart).validated(facts)  # plain built-ins, checked: evaluate has passed
    full, _ = complete(kaart, given)
    held = alternatives_held(kaart, full, decision.level)
    rules = tuple(
        RuleInRecord(
            rule=kaart.rules[index].id,
            role=_role(kaart.rules[index].conclusion.level, decision.level),
            any_of=tuple(AnyOfHeld(path=path, held=positions) for path, positions in any_of),
        )
        for index, any_of in held.items()
    )
    unsigned = DecisionRecord.model_construct(
        format=RECORD_FORMAT,
        record_id=str(uuid.uuid4()),
        decided_at=datetime.datetime.now(ZoneInfo(TIME_ZONE)).replace(microsecond=0),
        facts={name: tuple(value) if isinstance(value, list) else value for name, value in given.items()},
        decision=decision,
        rules=rules,
        ave_rules_version=__version__,
        record_hash="",
    )
    return unsigned.model_copy(update={"record_hash": unsigned.content_hash()})


def _role(proposed: str | None, decided: str) -> Literal["decided", "overruled", "held"]:
    if proposed is None:
        return "held"
    return "decided" if proposed == decided else "overruled"


def read_record(path: Path | str) -> DecisionRecord:
    """A record from a JSON file, checked: its structure, and that its hash matches its content.
    Raises :class:`~ave_rules.RecordError` with every problem located in the file."""
    return record_from(read_json(path, RecordError))


def read_json(path: Path | str, error: type[ProblemsError]) -> YamlDocument:
    """A JSON (or YAML) file through the hardened reader: bounded, no repeated keys, a ``.json``
    file JSON indeed; ``error`` with the located problems when it cannot be read."""
    name = str(path)
    raw = read_file(Path(path), MAX_BYTES)
    text = raw if isinstance(raw, Problem) else decode(raw, name)
    strict = name.lower().endswith(".json")
    document = text if isinstance(text, Problem) else read_yaml(text, name, private_keys=True, strict_json=strict)
    if isinstance(document, Problem):
        raise error([document])
    if isinstance(document, list):
        raise error(document)
    return document


def record_from(document: YamlDocument) -> DecisionRecord:
    try:
        record = DecisionRecord.model_validate(document.data)
    except pydantic.ValidationError as error:
        raise RecordError(located(error, document.source, "record-ongeldig")) from None
    if record.content_hash() != record.record_hash:
        raise RecordError([document.source.problem("record-gewijzigd", ("record_hash",))])
    return record


def located(error: pydantic.ValidationError, at: Locator, code: str) -> list[Problem]:
    """pydantic's problems, each located, as ``code`` with their kind; never the value."""
    problems = []
    for detail in error.errors(include_input=False, include_url=False):
        path = tuple(part for part in detail["loc"] if isinstance(part, str | int))
        problems.append(at.problem(code, path, {"soort": detail["type"]}))
    return problems


def record_schema() -> dict[str, Any]:
    """JSON Schema (draft-07) of ``DecisionRecord.model_dump(mode="json")``."""
    generated = DecisionRecord.model_json_schema(ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    return {"$schema": "http://json-schema.org/draft-07/schema#", **generated, "definitions": definitions}
