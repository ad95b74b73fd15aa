"""publiccode.yml parses, has the keys version 0.4 of the standard requires, and agrees with pyproject.toml."""

from __future__ import annotations

import datetime
import importlib.metadata
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import ave_rules
from ave_rules.kaart import read_yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

REQUIRED = (
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
)
DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")


@pytest.fixture(scope="module")
def publiccode() -> dict[str, Any]:
    text = (ROOT / "publiccode.yml").read_text(encoding="utf-8")
    document = read_yaml(text, "publiccode.yml")  # the project's hardened YAML 1.2 reader
    assert not isinstance(document, list), [str(problem) for problem in document]
    assert isinstance(document.data, dict)
    return document.data


def test_required_keys(publiccode: dict[str, Any]) -> None:
    assert [key for key in REQUIRED if key not in publiccode] == []
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    assert publiccode["url"].startswith("https://")
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUSES
    assert publiccode["softwareType"] == "library"
    assert publiccode["softwareType"] in SOFTWARE_TYPES
    assert publiccode["platforms"] and publiccode["categories"]
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", category) for category in publiccode["categories"])
    datetime.date.fromisoformat(publiccode["releaseDate"])


def test_descriptions_in_both_authoritative_languages(publiccode: dict[str, Any]) -> None:
    description = publiccode["description"]
    assert set(description) == {"nl", "en"}
    for lang, text in description.items():
        assert 0 < len(text["shortDescription"]) <= 150, lang
        assert "\n" not in text["shortDescription"], lang
        assert 150 <= len(text["longDescription"]) <= 10_000, lang
        assert text["features"] and all(isinstance(feature, str) for feature in text["features"]), lang
    assert len(description["nl"]["features"]) == len(description["en"]["features"])


def test_maintenance_and_localisation(publiccode: dict[str, Any]) -> None:
    maintenance = publiccode["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] in ("internal", "community"):
        assert maintenance["contacts"] and all(contact.get("name") for contact in maintenance["contacts"])
    localisation = publiccode["localisation"]
    assert localisation["localisationReady"] is True
    assert {"nl", "en"} <= set(localisation["availableLanguages"])
    for dependency in publiccode.get("dependsOn", {}).get("open", []):
        assert dependency["name"]


def test_version_and_licence_agree_with_pyproject(publiccode: dict[str, Any]) -> None:
    # The version has one source, read by hatch (pyproject.toml: dynamic, tool.hatch.version).
    assert PYPROJECT["dynamic"] == ["version"]
    assert publiccode["softwareVersion"] == ave_rules.__version__ == importlib.metadata.version("ave-rules")
    assert publiccode["legal"]["license"] == PYPROJECT["license"] == "EUPL-1.2"
