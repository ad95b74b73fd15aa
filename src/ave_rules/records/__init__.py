"""Decision records for the dossier, and replaying them.

A record (:class:`DecisionRecord`) keeps what the duty to give reasons asks of a decision: the
facts as given and those that took a default, the decision with its peildatum, the exact kaart
version (id, version, content hash) and engine, the ave_rules version, when it was decided, and
which rules decided the level apart from those overruled or only holding, with the alternatives
of each ``een_van`` that held. :func:`replay` decides a record again with the kaart it names and
confirms the outcome, or says what differs. Records are JSON, valid against
``schemas/record.schema.json``.
"""

from ._record import AnyOfHeld, DecisionRecord, RuleInRecord, make_record, read_record, record_schema
from ._replay import Difference, Replay, replay

__all__ = [
    "AnyOfHeld",
    "DecisionRecord",
    "Difference",
    "Replay",
    "RuleInRecord",
    "make_record",
    "read_record",
    "record_schema",
    "replay",
]
