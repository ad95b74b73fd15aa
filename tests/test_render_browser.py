"""The rendered pages in a real browser: Debian's Chromium, driven by Playwright.

Playwright because it gives, without extra drivers: request interception (every request other
than the page's own file is recorded and aborted), console and page errors, print emulation,
element boxes and full-page screenshots. It only drives the system's Chromium
(``executable_path``); it never downloads a browser.

Skipped when Chromium or Playwright is missing, unless ``AVE_RULES_REQUIRE_BROWSER=1`` (CI), then
failed. Screenshots go to ``$AVE_RULES_ARTEFACTS`` (default ``tests/artefacts/``).
"""

from __future__ import annotations

import base64
import datetime
import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import ave_rules
from ave_rules import terms as t
from ave_rules.loading import load_versions
from ave_rules.model import Regiekaart
from ave_rules.render import render_decision_html, render_html

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "regiekaarten"
ARTEFACTS = Path(os.environ.get("AVE_RULES_ARTEFACTS") or ROOT / "tests" / "artefacts")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
A3_LANDSCAPE = {"width": 1587, "height": 1123}  # 420 x 297 mm at 96 px per inch
SCREEN = {"width": 1600, "height": 1000}


def _chromium() -> str | None:
    return shutil.which("chromium") or next((p for p in ("/usr/bin/chromium",) if Path(p).exists()), None)


def _unavailable(reason: str) -> None:
    if os.environ.get("AVE_RULES_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AVE_RULES_REQUIRE_BROWSER=1, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        _unavailable("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (the test extra)")
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True, viewport=SCREEN
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class Visit:
    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def _open(browser: Any, path: Path, *, print_media: bool = False) -> Visit:
    page = browser.new_page()
    visit = Visit(page, path.resolve().as_uri())

    def route(request_route: Any) -> None:
        if request_route.request.url == visit.url:
            request_route.continue_()
        else:
            visit.requests.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("request", lambda request: None if request.url == visit.url else visit.requests.append(request.url))
    page.on("console", lambda message: visit.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    if print_media:
        page.emulate_media(media="print")
        page.set_viewport_size(A3_LANDSCAPE)
    page.goto(visit.url, wait_until="load")
    return visit


def _artefact(name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / name


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _bundled() -> list[Regiekaart]:
    return sorted(load_versions(BUNDLED, engine="reference"), key=lambda kaart: (kaart.id, kaart.valid_from))


KAARTEN = _bundled()


def _name(kaart: Regiekaart) -> str:
    return f"{kaart.id}-{kaart.version}"


def _render(kaart: Regiekaart) -> Path:
    path = _artefact(f"{_name(kaart)}.html")
    path.write_text(render_html(kaart), encoding="utf-8")
    return path


def _organisation(kaart: Regiekaart, ident: str) -> str:
    return next(item.name for item in kaart.organisations if item.id == ident)


def test_every_bundled_kaart_is_found() -> None:
    assert "ave-generiek" in {kaart.id for kaart in KAARTEN}


# One round trip for what the checks need: per level its heading (text, box, visible) and the
# text of its role cells.
_LADDER_JS = """
() => [...document.querySelectorAll('table.ladder th[data-niveau]')].map(head => {
  const box = head.getBoundingClientRect();
  const roles = {};
  for (const cell of document.querySelectorAll(`td[data-niveau="${head.dataset.niveau}"][data-rol]`)) {
    roles[cell.dataset.rol] = cell.checkVisibility() ? cell.innerText : '';
  }
  return {id: head.dataset.niveau, text: head.checkVisibility() ? head.innerText : '', roles,
          x: box.x + window.scrollX, y: box.y + window.scrollY, width: box.width, height: box.height};
})
"""


def _full_page_png(page: Any, path: Path) -> tuple[int, int]:
    """A full-page screenshot; Chromium's fast PNG encoding keeps a tall page at about a second."""
    width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    session = page.context.new_cdp_session(page)
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = session.send(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True, "clip": clip},
    )
    session.detach()
    path.write_bytes(base64.b64decode(shot["data"]))
    return _png_size(path)


def _check_levels(kaart: Regiekaart, levels: list[dict[str, Any]]) -> None:
    assert [level["id"] for level in levels] == list(kaart.level_ids), "columns in ladder order"
    for level, shown in zip(kaart.levels, levels, strict=True):
        text = " ".join(shown["text"].split())
        assert f"Niveau {level.id}" in text and " ".join(level.name.split()) in text
        assert shown["width"] > 0 and shown["height"] > 0
        for role in t.ROLES:
            for holder in level.roles.holders(role):
                assert _organisation(kaart, holder) in shown["roles"][role], (level.id, role)
    lefts = [shown["x"] for shown in levels]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), "side by side, low to high"


@pytest.mark.parametrize("kaart", KAARTEN, ids=_name)
def test_the_kaart_page_in_chromium_on_screen_and_on_a3(browser: Any, kaart: Regiekaart) -> None:
    visit = _open(browser, _render(kaart))
    page = visit.page
    try:
        levels = page.evaluate(_LADDER_JS)
        _check_levels(kaart, levels)
        width, height = _full_page_png(page, _artefact(f"{_name(kaart)}.png"))
        for shown in levels:  # the screenshot holds every level's heading, whole
            assert shown["x"] >= 0 and shown["x"] + shown["width"] <= width
            assert shown["y"] >= 0 and shown["y"] + shown["height"] <= height

        page.emulate_media(media="print")
        page.set_viewport_size(A3_LANDSCAPE)
        printed = page.evaluate(_LADDER_JS)
        _check_levels(kaart, printed)
        assert len({round(shown["y"]) for shown in printed}) == 1, "all level headings on one row"
        assert max(shown["x"] + shown["width"] for shown in printed) <= A3_LANDSCAPE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= A3_LANDSCAPE["width"]
        page.screenshot(path=str(_artefact(f"{_name(kaart)}-a3.png")))
        assert visit.errors == []
        assert visit.requests == []
    finally:
        page.close()


def test_the_decision_page_in_chromium(browser: Any) -> None:
    kaart = ave_rules.load(BUNDLED / "ave-generiek.yaml", on=datetime.date(2025, 6, 1), engine="reference")
    decision = kaart.evaluate(
        {
            "huidige_fase": "2",
            "leefgebieden": ["financien", "huisvesting"],
            "kolommen": ["zorg", "veiligheid"],
            "veiligheidsrisico": "structureel",
            "betrokkene_geinformeerd": "nee",
        }
    )
    assert decision.actions
    path = _artefact("besluit-ave-generiek.html")
    path.write_text(render_decision_html(kaart, decision), encoding="utf-8")
    visit = _open(browser, path)
    page = visit.page
    try:
        assert visit.errors == [] and visit.requests == []
        level = kaart.level_by_id[decision.level]
        assert page.locator("h1").inner_text().strip().endswith(f"Besluit: niveau {level.id}, {level.name}")
        body = page.locator("body").inner_text()
        for action in decision.actions:
            assert action.text in body
        for role in t.ROLES:
            for holder in decision.roles[role]:
                assert _organisation(kaart, holder) in body
        decided = page.locator(f'li.decided[data-niveau="{level.id}"]')
        assert decided.is_visible() and "besloten niveau" in decided.inner_text()
        assert min(_full_page_png(page, _artefact("besluit-ave-generiek.png"))) > 0
    finally:
        page.close()
