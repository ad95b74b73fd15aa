"""The wheel carries what a user of `pip install ave-rules` needs: bundled kaarten, schema, types."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("ave_rules-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_has_bundled_kaarten_and_schema(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for kaart in (ROOT / "regiekaarten").glob("*.yaml"):
        assert f"ave_rules/regiekaarten/{kaart.name}" in names
    for norm in (ROOT / "normen").glob("*.yaml"):  # ave-rules check --norm landelijk-kader, offline
        assert f"ave_rules/normen/{norm.name}" in names
    assert "ave_rules/schemas/regiekaart.schema.json" in names
    assert "ave_rules/schemas/norm.schema.json" in names
    assert "ave_rules/py.typed" in names
    assert (
        wheel.read("ave_rules/schemas/regiekaart.schema.json")
        == (ROOT / "schemas" / "regiekaart.schema.json").read_bytes()
    )


def test_wheel_metadata(wheel: zipfile.ZipFile) -> None:
    [metadata] = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    text = wheel.read(metadata).decode()
    assert "License-Expression: EUPL-1.2" in text
    assert "Requires-Python: >=3.11" in text
    [entry_points] = [name for name in wheel.namelist() if name.endswith("entry_points.txt")]
    assert "ave-rules = ave_rules.__main__:run" in wheel.read(entry_points).decode()


def test_the_public_names_are_the_lazy_ones_and_all_resolve() -> None:
    import ave_rules

    assert sorted(ave_rules.__all__) == sorted(ave_rules._HOMES)
    for name in ave_rules.__all__:
        assert getattr(ave_rules, name) is not None
    with pytest.raises(AttributeError):
        ave_rules.nonexistent  # noqa: B018
