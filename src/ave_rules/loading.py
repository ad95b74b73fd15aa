"""Loading: a file becomes a kaart that decides, or a scenario file becomes its kaart's test cases.

This is where the document meets the engine. :mod:`ave_rules.kaart` reads, checks and merges the
kaart and knows no engine; :mod:`ave_rules.engine` decides; each loader here reads the kaart and
gives it the evaluator chosen with ``engine``:

* ``"auto"`` (the default): durable-rules where it can run the kaart, else the reference
  evaluator, with one :class:`~ave_rules.EngineWarning`;
* ``"durable-rules"``: durable-rules, or :class:`~ave_rules.EngineError` at once where it cannot
  run: where it is not installed, or where the kaart reaches one of its limits
  (:class:`~ave_rules.errors.EngineLimitError`, located in the kaart);
* ``"reference"``: the reference evaluator.

A kaart that extends another (``breidt_uit``) finds its base next to it (or in ``search``), then
among the kaarten bundled with ave_rules, in the version valid on ``on``: by default today, or the
kaart's own first day when it is not valid today, so a kaart for next year can be reviewed now.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .engine import AUTO, ScenarioResult, deciders, mismatch_problems, prepare, run_scenarios
from .errors import KaartNotFoundError, Problem, RegiekaartError
from .kaart import (
    Regiekaart,
    Scenario,
    SourceMap,
    bundled_dir,
    is_scenario_file,
    read_kaart,
    read_kaart_id,
    read_kaart_text,
    read_kaart_versions,
    read_scenario_file,
)

__all__ = [
    "KaartNotFoundError",
    "ScenarioFile",
    "bundled_dir",
    "is_scenario_file",
    "load",
    "load_dir",
    "load_id",
    "load_scenarios",
    "load_versions",
    "loads",
]


def load(path: str | Path, *, on: datetime.date | None = None, engine: str = AUTO) -> Regiekaart:
    """The regiekaart in file ``path``. Raises :class:`~ave_rules.RegiekaartError` with every
    problem, located."""
    return _prepared(read_kaart(path, on=on, decider=deciders(engine)), engine)


def loads(
    text: str,
    name: str = "<tekst>",
    *,
    on: datetime.date | None = None,
    search: Sequence[str | Path] = (),
    engine: str = AUTO,
) -> Regiekaart:
    """The regiekaart in YAML ``text``; ``name`` is used in problem locations, and its base kaart
    is looked up in ``search``, then among the bundled kaarten."""
    return _prepared(read_kaart_text(text, name, on=on, search=search, decider=deciders(engine)), engine)


def load_versions(path: str | Path, *, on: datetime.date | None = None, engine: str = AUTO) -> list[Regiekaart]:
    """Every kaart file in directory ``path``, each version loaded; a problem in any of them raises.

    A version valid on ``on`` (default today) is resolved against the bases of that day, any
    other version against the bases of its own first day. Two versions of one kaart may not
    overlap in time (``geldig_tot`` is exclusive)."""
    return [_prepared(kaart, engine) for kaart in read_kaart_versions(path, on=on, decider=deciders(engine))]


def load_dir(path: str | Path, *, on: datetime.date | None = None, engine: str = AUTO) -> dict[str, Regiekaart]:
    """Every kaart in directory ``path`` valid on ``on`` (default: today), by id. Every file is
    checked, whichever version it holds."""
    day = on or datetime.date.today()
    kaarten = load_versions(path, on=day, engine=engine)
    return dict(sorted((kaart.id, kaart) for kaart in kaarten if kaart.is_valid_on(day)))


def load_id(
    kaart_id: str,
    *,
    search: Sequence[str | Path] = (),
    on: datetime.date | None = None,
    engine: str = AUTO,
) -> Regiekaart:
    """The kaart with id ``kaart_id``, looked up in ``search``, then among the bundled kaarten.

    Its version valid on ``on``; without ``on``, the version valid today, or else the first
    version still to start. Raises :class:`~ave_rules.KaartNotFoundError` when there is no such
    kaart or version, :class:`~ave_rules.RegiekaartError` when it does not load."""
    return _prepared(read_kaart_id(kaart_id, search=search, on=on, decider=deciders(engine)), engine)


@dataclass(frozen=True)
class ScenarioFile:
    """A loaded scenario file: its scenarios, and the kaart (version) they are for."""

    file: str
    kaart: Regiekaart
    scenarios: tuple[Scenario, ...]
    source: SourceMap

    def run(self) -> list[ScenarioResult]:
        """Each scenario decided by the kaart, with the engine it was loaded with."""
        return run_scenarios(self.kaart, self.scenarios)

    def problems(self) -> list[Problem]:
        """Each way a scenario's outcome differs from what it expects, located in this file."""
        return [problem for result in self.run() for problem in mismatch_problems(result, self.source.problem)]


def load_scenarios(
    path: str | Path,
    *,
    search: Sequence[str | Path] = (),
    on: datetime.date | None = None,
    engine: str = AUTO,
) -> ScenarioFile:
    """The scenario file ``path`` (``<naam>.scenarios.yaml``) and the kaart it names.

    The kaart is looked up in the file's own directory, then in ``search``, then among the
    bundled kaarten; its version is the one valid on ``on``, else on the file's ``peildatum``,
    else today (or, when no version is valid today, the first one still to start). Raises
    :class:`~ave_rules.RegiekaartError` with every problem found, in this file or in the kaart."""
    decider = deciders(engine)
    path = Path(path)
    document = read_scenario_file(path)
    day = on or document.reference_date
    try:
        kaart = read_kaart_id(document.content.kaart_id, search=[path.parent, *search], on=day, decider=decider)
    except KaartNotFoundError as error:
        not_found = document.source.problem(error.code, ("regiekaart",), error.params)
        raise RegiekaartError([not_found, *error.failures]) from None
    problems = document.problems_with(kaart)
    if problems:
        raise RegiekaartError(problems)
    return ScenarioFile(str(path), _prepared(kaart, engine), document.content.scenarios, document.source)


def _prepared(kaart: Regiekaart, engine: str) -> Regiekaart:
    """``kaart``, once the engine has decided whether it can run it (EngineLimitError if
    ``engine="durable-rules"`` cannot; a warning and the reference evaluator with ``"auto"``)."""
    prepare(kaart, engine)
    return kaart
