"""The package keeps the shape docs/library.md describes: layers that import only downwards, no
import cycle, subpackages that meet only through their public faces, every exception in one
module, and a typed face where users touch it."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
import typing
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, assert_type

import pytest

import ave_rules
from ave_rules import _deprecated
from ave_rules.kaart import Decision, Level, Regiekaart

SOURCE = Path(ave_rules.__file__).parent
GENERIC = SOURCE.parents[1] / "regiekaarten" / "ave-generiek.yaml"

#: The layers, from the bottom up: a module may import from its own layer's package and below.
LAYERS: dict[str, int] = {
    "ave_rules._version": 0,
    "ave_rules._terms": 0,
    "ave_rules._messages": 0,
    "ave_rules.errors": 1,
    "ave_rules.kaart": 2,
    "ave_rules.engine": 3,
    "ave_rules.loading": 4,
    "ave_rules.analysis": 5,
    "ave_rules.authoring": 5,
    "ave_rules.records": 5,
    "ave_rules.testing": 6,
    "ave_rules.service": 6,
    "ave_rules.cli": 7,
    "ave_rules._deprecated": 8,
    "ave_rules.__main__": 9,
    "ave_rules": 9,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """Every ave_rules module that ``name`` imports, at any place in its source (also inside
    functions and ``if TYPE_CHECKING``: a cycle there is still a cycle in the design)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in known]
            targets = targets or [module]
        else:
            continue
        for target in targets:
            if target in known and target != name:
                yield target


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: set(_imports(name, path, set(modules))) for name, path in modules.items()}


def _layer(module: str) -> tuple[str, int]:
    home = max((home for home in LAYERS if module == home or module.startswith(home + ".")), key=len)
    return home, LAYERS[home]


def test_every_module_has_a_layer() -> None:
    for module in _modules():
        assert _layer(module)[0], module


def test_the_package_has_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_imports_only_go_down_the_layers() -> None:
    upward = []
    for module, targets in _graph().items():
        home, rank = _layer(module)
        for target in targets:
            target_home, target_rank = _layer(target)
            if target_home != home and target_rank >= rank:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_subpackages_meet_only_through_their_public_faces() -> None:
    private = []
    for module, targets in _graph().items():
        home, _ = _layer(module)
        for target in targets:
            target_home, _ = _layer(target)
            inner = target.removeprefix(target_home).lstrip(".")
            if target_home != home and inner.startswith("_"):
                private.append(f"{module} -> {target}")
    assert private == []


def test_the_graph_sees_imports() -> None:
    # The tests above pass trivially on a graph with no edges: check a few known ones.
    graph = _graph()
    assert "ave_rules.kaart" in graph["ave_rules.engine._evaluator"]
    assert "ave_rules.engine" in graph["ave_rules.loading"]
    assert "ave_rules.kaart._decision" in graph["ave_rules.kaart._model"]
    assert "ave_rules.analysis" in graph["ave_rules.testing.pytest_plugin"]  # inside a function


def test_the_kaart_knows_no_engine() -> None:
    graph = _graph()
    for module, targets in graph.items():
        if _layer(module)[0] == "ave_rules.kaart":
            assert not any(_layer(target)[1] > LAYERS["ave_rules.kaart"] for target in targets), module


def test_every_exception_is_in_errors() -> None:
    elsewhere = []
    for info in pkgutil.walk_packages(ave_rules.__path__, "ave_rules."):
        if info.name == "ave_rules.__main__":
            continue  # runs the command
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException | Warning)
                and value.__module__ == info.name
                and not name.startswith("_")  # control flow inside one module, never raised out of it
                and info.name != "ave_rules.errors"
            ):
                elsewhere.append(f"{info.name}.{name}")
    assert elsewhere == []


def test_every_public_error_derives_from_the_base() -> None:
    from ave_rules import errors

    for name in errors.__all__:
        value = getattr(errors, name)
        if inspect.isclass(value) and issubclass(value, Exception) and not issubclass(value, Warning):
            assert issubclass(value, errors.AveRulesError), name
        elif inspect.isclass(value) and issubclass(value, Warning):
            assert issubclass(value, errors.AveRulesWarning), name


# --- the typed face ---------------------------------------------------------------------------------


def test_evaluate_returns_a_typed_decision() -> None:
    # mypy --strict (run over tests/ in CI) checks the assert_type calls; the hints are checked here.
    kaart = ave_rules.load(GENERIC)
    decision = assert_type(kaart.evaluate({}), Decision)
    decisions = assert_type(kaart.evaluate_many([{}]), list[Decision])
    assert isinstance(decision, Decision)
    assert decisions == [decision]
    assert_type(kaart.level_by_id[decision.level], Level)
    hints = typing.get_type_hints(Regiekaart.evaluate)
    assert hints["return"] is Decision
    assert typing.get_type_hints(Regiekaart.evaluate_many)["return"] == list[Decision]
    colour = typing.get_type_hints(Level)["colour"]
    assert typing.get_origin(colour) is typing.Literal
    assert "donkerrood" in typing.get_args(colour)


def test_the_top_level_offers_what_users_call() -> None:
    for name in ("load", "loads", "load_dir", "load_id", "load_scenarios", "check", "diff", "simulate"):
        assert callable(getattr(ave_rules, name)), name
    for name in ("render_html", "render_markdown", "Regiekaart", "Decision", "RegiekaartError", "FactsError"):
        assert getattr(ave_rules, name) is not None
    assert sorted(ave_rules.__all__) == sorted(ave_rules._HOMES)


# --- the old module paths ---------------------------------------------------------------------------


@pytest.mark.parametrize("old", sorted(_deprecated.MOVED))
def test_old_module_paths_still_import_with_a_warning(old: str) -> None:
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=old.replace(".", r"\.")) as caught:
        exec(compile(f"import {old}", __file__, "exec"))  # noqa: S102 - an import statement, as users write it
    assert caught[0].filename == __file__  # the warning points at the import, not into importlib
    module = sys.modules[old]
    home = importlib.import_module(_deprecated.MOVED[old][0])
    for name in getattr(home, "__all__", ())[:5]:
        if hasattr(home, name):
            assert getattr(module, name) is getattr(home, name)


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("ave_rules.loading", "load_id", "ave_rules.loading"),
        ("ave_rules.scaffold", "new_kaart", "ave_rules.authoring"),
        ("ave_rules.scaffold", "ScaffoldError", "ave_rules.errors"),
        ("ave_rules.render", "render_html", "ave_rules.authoring"),
        ("ave_rules.schema", "regiekaart_schema", "ave_rules.kaart"),
        ("ave_rules.decision", "decision_schema_json", "ave_rules.kaart"),
        ("ave_rules.scenarios", "scenario_problems", "ave_rules.engine"),
        ("ave_rules.scenario_files", "load_scenarios", "ave_rules.loading"),
        ("ave_rules.case_files", "read_cases", "ave_rules.analysis"),
        ("ave_rules.case_files", "CaseFileError", "ave_rules.errors"),
        ("ave_rules.simulation", "simulate", "ave_rules.analysis"),
        ("ave_rules.messages", "set_language", "ave_rules._messages"),
        ("ave_rules.messages", "CATALOGUE", "ave_rules._messages"),
        ("ave_rules.strategies", "case_facts", "ave_rules.testing.strategies"),
    ],
)
def test_documented_names_resolve_to_their_new_homes(old: str, name: str, new: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        module = importlib.import_module(old)
    wanted = _deprecated.RENAMED.get(old, {}).get(name, name)
    assert getattr(module, name) is getattr(importlib.import_module(new), wanted)


def test_the_old_diff_module_does_not_take_away_the_diff_function() -> None:
    namespace: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        # As users write it; exec, because the old module exists only at run time, made by the finder.
        exec("import ave_rules.diff\nfrom ave_rules.diff import diff", namespace)  # noqa: S102
    kaart = ave_rules.load(GENERIC)
    assert ave_rules.diff(kaart, kaart).unchanged
    assert namespace["diff"] is importlib.import_module("ave_rules.analysis").diff


def test_an_unknown_old_name_is_an_attribute_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        module = importlib.import_module("ave_rules.render")
    with pytest.raises(AttributeError, match="no_such_name"):
        module.no_such_name  # noqa: B018
