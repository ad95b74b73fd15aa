"""Scenario files: example cases for a kaart, kept in a file of their own.

A gemeente that uses a regional or the generic kaart as it is, or that wants its test cases
apart from the policy text, writes them in ``<naam>.scenarios.yaml``::

    formaat: 1
    regiekaart: groningen        # the id of the kaart these scenarios are for
    peildatum: "2025-06-01"      # optional: test the version valid on this day
    scenarios:
      - id: ...                  # exactly as under 'scenarios' in a kaart

The kaart is looked up by id next to the scenario file, then in the given search directories,
then among the bundled kaarten. Every problem is located in the file it is in: a scenario's
unknown fact or a failing expectation in the scenario file, a broken kaart in the kaart's own.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pydantic

from .checks import duplicate_ids, scenario_problems
from .errors import Problem, RegiekaartError
from .evaluation import AUTO
from .loading import KaartNotFoundError, load_id, model_problem, read_checked
from .model import Regiekaart, Scenario, ScenarioSet
from .scenarios import Evaluator, ScenarioResult, mismatch_problems, run_scenarios
from .yaml_source import SourceMap


@dataclass(frozen=True)
class ScenarioFile:
    """A loaded scenario file: its scenarios, and the kaart (version) they are for."""

    file: str
    kaart: Regiekaart
    scenarios: tuple[Scenario, ...]
    source: SourceMap

    def run(self, evaluator: Evaluator | None = None) -> list[ScenarioResult]:
        """Each scenario decided by the kaart (by default with the kaart's own engine)."""
        return run_scenarios(self.kaart, evaluator, self.scenarios)

    def problems(self, evaluator: Evaluator | None = None) -> list[Problem]:
        """Each way a scenario's outcome differs from what it expects, located in this file."""
        return [problem for result in self.run(evaluator) for problem in mismatch_problems(result, self.source.problem)]


def load_scenarios(
    path: str | Path,
    *,
    search: Sequence[str | Path] = (),
    on: datetime.date | None = None,
    engine: str = AUTO,
) -> ScenarioFile:
    """Load the scenario file ``path`` and the kaart it names.

    The kaart is looked up in the file's own directory, then in ``search``, then among the
    bundled kaarten; its version is the one valid on ``on``, else on the file's ``peildatum``,
    else today (or, when no version is valid today, the first one still to start). Raises
    :class:`~ave_rules.RegiekaartError` with every problem found, in this file or in the kaart.
    ``engine``: see :func:`ave_rules.loads`."""
    path = Path(path)
    document = read_checked(path, "scenarios")
    try:
        content = ScenarioSet.model_validate(document.data)
    except pydantic.ValidationError as error:
        details = error.errors()
        raise RegiekaartError(model_problem(detail, document.data, document.source) for detail in details) from None
    day = on or _reference_date(content, document.source)
    try:
        kaart = load_id(content.kaart_id, search=[path.parent, *search], on=day, engine=engine)
    except KaartNotFoundError as error:
        not_found = document.source.problem(error.code, ("regiekaart",), error.params)
        raise RegiekaartError([not_found, *error.failures]) from None
    problems = [
        *duplicate_ids({"scenarios": content.scenarios}, document.source),
        *scenario_problems(kaart, content.scenarios, document.source),
    ]
    if problems:
        raise RegiekaartError(problems)
    return ScenarioFile(str(path), kaart, content.scenarios, document.source)


def _reference_date(content: ScenarioSet, source: SourceMap) -> datetime.date | None:
    if content.reference_date is None:
        return None
    try:
        return datetime.date.fromisoformat(content.reference_date)
    except ValueError:
        raise RegiekaartError(
            [source.problem("ongeldige-datum", ("peildatum",), {"waarde": content.reference_date})]
        ) from None
