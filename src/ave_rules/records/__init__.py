"""Decision records for the dossier, and replaying them.

A record (:class:`DecisionRecord`) keeps what the duty to give reasons asks of a decision: the
facts as given and those that took a default, the decision with its peildatum, the exact kaart
version (id, version, content hash) and engine, the ave_rules version, when it was decided, and
which rules decided the level apart from those overruled or only holding, with the alternatives
of each ``een_van`` that held. :func:`replay` decides a record again with the kaart it names and
confirms the outcome, or says what differs. Records are JSON, valid against
``schemas/record.schema.json``.

A case's history (:class:`CaseHistory`) holds its dated decisions, computes the kaart's time
facts from them (how long the case has been at its level) and the current phase, decides the next
step, and says what has passed its day (:meth:`CaseHistory.overdue`). JSON, valid against
``schemas/history.schema.json``.
"""

from ._history import CASE_REF, CaseHistory, HistoryEntry, Overdue, history_schema, read_decision, read_history
from ._record import AnyOfHeld, DecisionRecord, RuleInRecord, make_record, read_record, record_schema
from ._replay import Difference, Replay, replay

__all__ = [
    "CASE_REF",
    "AnyOfHeld",
    "CaseHistory",
    "DecisionRecord",
    "Difference",
    "HistoryEntry",
    "Overdue",
    "Replay",
    "RuleInRecord",
    "history_schema",
    "make_record",
    "read_decision",
    "read_history",
    "read_record",
    "record_schema",
    "replay",
]
