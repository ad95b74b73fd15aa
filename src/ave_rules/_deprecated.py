"""The module paths of ave_rules 0.1.0's flat layout, kept for one release.

``import ave_rules.scaffold`` (or ``from ave_rules.render import render_html``) still works, with
a :class:`DeprecationWarning` that names the new home; every name is looked up there on use.
Installed by ``ave_rules/__init__.py``; to be removed in 0.3.0.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

#: old module -> where its names are now, the documented home first.
MOVED: dict[str, tuple[str, ...]] = {
    "ave_rules.case_facts": ("ave_rules.errors", "ave_rules.engine._facts"),
    "ave_rules.case_files": ("ave_rules.analysis", "ave_rules.errors", "ave_rules.analysis._case_files"),
    "ave_rules.checks": ("ave_rules.kaart._checks",),
    "ave_rules.decision": ("ave_rules.kaart", "ave_rules.engine._decisions"),
    "ave_rules.diff": ("ave_rules.analysis", "ave_rules.errors", "ave_rules.analysis._diff"),
    "ave_rules.durable_engine": ("ave_rules.engine._durable",),
    "ave_rules.durable_ruleset": ("ave_rules.engine._durable_ruleset", "ave_rules.errors"),
    "ave_rules.evaluation": ("ave_rules.engine", "ave_rules.engine._evaluator"),
    "ave_rules.explain": ("ave_rules.authoring",),
    "ave_rules.facts": ("ave_rules.kaart", "ave_rules.kaart._values", "ave_rules._messages"),
    "ave_rules.inheritance": ("ave_rules.kaart", "ave_rules.kaart._inheritance"),
    "ave_rules.messages": ("ave_rules", "ave_rules._messages"),
    "ave_rules.model": ("ave_rules.kaart", "ave_rules.kaart._model"),
    "ave_rules.outcome": ("ave_rules.engine._outcome",),
    "ave_rules.patterns": ("ave_rules.analysis", "ave_rules.analysis._patterns"),
    "ave_rules.pytest_plugin": ("ave_rules.testing.pytest_plugin",),
    "ave_rules.reference": ("ave_rules.engine._reference",),
    "ave_rules.render": ("ave_rules.authoring", "ave_rules.authoring._render"),
    "ave_rules.scaffold": ("ave_rules.authoring", "ave_rules.errors", "ave_rules.authoring._scaffold"),
    "ave_rules.scenario_files": ("ave_rules.loading",),
    "ave_rules.scenarios": ("ave_rules.engine", "ave_rules.engine._scenarios"),
    "ave_rules.schema": ("ave_rules.kaart", "ave_rules.kaart._schema"),
    "ave_rules.simulation": ("ave_rules.analysis",),
    "ave_rules.strategies": ("ave_rules.testing.strategies",),
    "ave_rules.symbolic": ("ave_rules.analysis._symbolic",),
    "ave_rules.terms": ("ave_rules._terms",),
    "ave_rules.wording": ("ave_rules.authoring", "ave_rules.authoring._wording"),
    "ave_rules.yaml_source": ("ave_rules.kaart._yaml", "ave_rules._messages"),
}

#: Names that changed with the move: old module -> {old name: new name}.
RENAMED: dict[str, dict[str, str]] = {
    "ave_rules.checks": {"check": "meaning_problems", "scenario_problems": "scenario_definition_problems"},
    "ave_rules.reference": {"evaluate": "reference_outcome"},
    "ave_rules.scenarios": {"scenario_problems": "scenario_failures"},
}


class _OldModule(ModuleType):
    """Looks each name up in the new homes. Callable for ``ave_rules.diff``: importing the old
    module sets ``ave_rules.diff`` to it, where the top level offers the function."""

    homes: Sequence[str] = ()

    def __getattr__(self, name: str) -> Any:
        wanted = RENAMED.get(self.__name__, {}).get(name, name)
        for home in self.homes:
            module = importlib.import_module(home)
            if hasattr(module, wanted):
                return getattr(module, wanted)
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.__name__ != "ave_rules.diff":
            raise TypeError(f"module {self.__name__!r} is not callable")
        return self.__getattr__("diff")(*args, **kwargs)


if TYPE_CHECKING:
    from importlib.abc import Loader
else:
    Loader = object  # importlib.abc costs 25 ms to import; the import system needs only the methods


class _Finder(Loader):
    """The meta path finder and loader of the old paths."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = _OldModule(spec.name)
        module.homes = MOVED[spec.name]
        return module

    def exec_module(self, module: ModuleType) -> None:
        warnings.warn(
            f"{module.__name__} is deprecated and goes in ave_rules 0.3; import from {MOVED[module.__name__][0]}",
            DeprecationWarning,
            stacklevel=_importer(),
        )


def _importer() -> int:
    """The stack level of the code that imports, past the import machinery. ``warnings`` skips
    the frames of ``importlib._bootstrap`` itself, so only the others are counted."""
    frame, level = sys._getframe(2), 1  # exec_module's caller
    while frame.f_back is not None and "importlib" in frame.f_code.co_filename:
        if "_bootstrap" not in frame.f_code.co_filename:
            level += 1
        frame = frame.f_back
    return level + 1


def install() -> None:
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.append(_Finder())
