"""Norms: properties that every kaart a norm applies to must have, kept apart from the kaarten.

A norm (``normen/<id>.yaml``) is written in the words of one kaart, its ``geldt_voor``, and holds
for that kaart and every kaart that extends it: they share its facts, levels and organisations,
unless a kaart changes them, and then the norm's problems say so, located in the norm's file.
``ave-rules check KAART --norm NORM`` decides each property over the kaart's whole fact space
(``ave_rules.analysis.check``); this module only reads a norm and holds it to its schema, its
model and the kaart's vocabulary.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StrictStr, StringConstraints

from .. import _terms as t
from .._messages import closest
from ..errors import Problem, RegiekaartError
from ._checks import duplicate_ids, property_problems
from ._model import KaartId, Name, Property, Regiekaart, Text, _Model
from ._reading import read_modelled
from ._schema import URL_PATTERN
from ._yaml import SourceMap

NORM_SUFFIX = ".yaml"

Url = Annotated[StrictStr, StringConstraints(pattern=t.python_pattern(URL_PATTERN), max_length=500)]


class Source(_Model):
    """A public source a norm rests on."""

    url: Url
    name: Name = Field(alias="naam")


class Norm(_Model):
    """The content of a norm file."""

    format: Literal[1] = Field(alias="formaat")
    id: KaartId
    name: Name = Field(alias="naam")
    description: Text = Field(alias="omschrijving")
    applies_to: KaartId = Field(alias="geldt_voor")
    sources: tuple[Source, ...] = Field(alias="bronnen", min_length=1)
    properties: tuple[Property, ...] = Field(alias="eigenschappen", min_length=1)


@dataclass(frozen=True)
class NormDocument:
    """A norm file that is well-formed YAML and passes its schema and model: not yet held to a kaart."""

    file: str
    content: Norm
    source: SourceMap

    def applies_to(self, kaart: Regiekaart) -> bool:
        """Whether ``kaart`` is the norm's ``geldt_voor`` or extends it."""
        return self.content.applies_to in (kaart.id, *kaart.bases)

    def problems_with(self, kaart: Regiekaart) -> list[Problem]:
        """Why the norm cannot be checked on ``kaart``: it does not apply, an id is used twice, or a
        property names a fact, value, level, organisation or action type the kaart does not have."""
        if not self.applies_to(kaart):
            params = {"basis": self.content.applies_to, "kaart": kaart.id, "bases": ", ".join(kaart.bases) or "-"}
            return [self.source.problem("norm-niet-van-toepassing", ("geldt_voor",), params)]
        problems = [
            *duplicate_ids({"eigenschappen": self.content.properties}, self.source),
            *property_problems(kaart, self.source, self.content.properties),
        ]
        return [_in_kaart(problem, kaart) for problem in problems]


def _in_kaart(problem: Problem, kaart: Regiekaart) -> Problem:
    """An unknown reference names the kaart that does not have it: the norm is another file."""
    if problem.code != "onbekende-verwijzing":
        return problem
    return dataclasses.replace(problem, code="norm-onbekende-verwijzing", params={**problem.params, "kaart": kaart.id})


def bundled_norms_dir() -> Path:
    """Where the norms shipped with ave_rules are (``landelijk-kader`` among them)."""
    packaged = resources.files("ave_rules") / "normen"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "normen"  # a source checkout: src/ave_rules/kaart/


def bundled_norms() -> list[str]:
    """The ids of the bundled norms (their file names)."""
    directory = bundled_norms_dir()
    if not directory.is_dir():  # pragma: no cover - both the wheel and a checkout have it
        return []
    return sorted(path.name.removesuffix(NORM_SUFFIX) for path in directory.glob(f"*{NORM_SUFFIX}"))


def read_norm(norm: str | Path) -> NormDocument:
    """The norm in file ``norm``, or the bundled norm with that id (``"landelijk-kader"``), read and
    held to its schema and model; raises :class:`~ave_rules.RegiekaartError`, located."""
    path = Path(norm)
    if not path.exists():
        known = bundled_norms()
        if str(norm) not in known:
            params = {"id": str(norm), "suggestie": closest(str(norm), known), "bekend": ", ".join(known) or "-"}
            raise RegiekaartError([Problem("norm-onbekend", str(norm), 1, 1, "", params)])
        path = bundled_norms_dir() / f"{norm}{NORM_SUFFIX}"
    document, content = read_modelled(path, "norm", Norm)
    return NormDocument(str(path), content, document.source)
