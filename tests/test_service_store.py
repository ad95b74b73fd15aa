"""The service's kaarten as files change: only what changed is loaded again, and a kaart is
loaded again when a kaart it extends changes, so no stale base ever serves."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ave_rules.kaart import Regiekaart
from ave_rules.service import KaartStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path: Path) -> KaartStore:
    directory = tmp_path / "regiekaarten"
    shutil.copytree(ROOT / "regiekaarten", directory)
    kaarten = KaartStore(directory, engine="reference", check_every=0)
    kaarten.refresh()
    return kaarten


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))  # seen even on a coarse clock


def by_file(store: KaartStore) -> dict[str, Regiekaart]:
    return {Path(name).name: kaart for name, kaart in store.refresh().kaarten.items()}


def test_only_the_changed_kaart_is_loaded_again(store: KaartStore) -> None:
    before = by_file(store)
    edit(store.directory / "fryslan.yaml", "naam: Regiekaart Fryslân", "naam: Regiekaart Fryslân, herzien")
    after = by_file(store)
    assert "herzien" in store.kaart("fryslan").name
    assert [name for name in before if after[name] is not before[name]] == ["fryslan.yaml"]


def test_a_kaart_is_loaded_again_when_a_kaart_it_extends_changes(store: KaartStore) -> None:
    before = by_file(store)
    edit(store.directory / "zvh-de-markiezaten.yaml", "dat ongevraagd zorg", "dat ook ongevraagd zorg")
    after = by_file(store)
    assert {name for name in before if after[name] is not before[name]} == {
        "zvh-de-markiezaten.yaml",
        "markiezaten-voorbeeldgemeente.yaml",
    }
    extending = store.kaart("markiezaten-voorbeeldgemeente")
    assert extending.content_hash != before["markiezaten-voorbeeldgemeente.yaml"].content_hash


def test_a_base_that_goes_is_found_again_among_the_bundled_kaarten(store: KaartStore) -> None:
    before = by_file(store)
    (store.directory / "zvh-de-markiezaten.yaml").unlink()
    after = by_file(store)
    assert "zvh-de-markiezaten.yaml" not in after and not store.refresh().problems
    assert after["markiezaten-voorbeeldgemeente.yaml"] is not before["markiezaten-voorbeeldgemeente.yaml"]
    assert after["fryslan.yaml"] is before["fryslan.yaml"]


def test_a_broken_file_stays_reported_when_another_file_changes(store: KaartStore) -> None:
    edit(store.directory / "groningen.yaml", "formaat: 1", "formaat: 1\nonbekende_sleutel: 1")
    assert [Path(name).name for name in store.refresh().problems] == ["groningen.yaml"]
    edit(store.directory / "fryslan.yaml", "naam: Regiekaart Fryslân", "naam: Regiekaart Fryslân, herzien")
    snapshot = store.refresh()
    assert [Path(name).name for name in snapshot.problems] == ["groningen.yaml"]
    assert store.kaart("groningen").version == "2021.1"  # the version that loaded keeps serving
