"""The rendered pages in a real browser: Debian's Chromium, driven by Playwright.

Playwright because it gives, without extra drivers: request interception (every request other
than the page's own file is recorded and aborted), console and page errors, print emulation,
element boxes and screenshots. It only drives the system's Chromium (``executable_path``); it
never downloads a browser. One browser and one tab serve the whole module; every visit resets
what it records and the media it emulates.

A kaart page's screenshots are of its ladder alone (``table.ladder``, the levels as columns), on
screen and at A3 landscape in print; the test checks that the clip holds every level's whole
column and that the PNG written shows each column drawn, from its heading to its lowest cell.

Skipped when Chromium or Playwright is missing, unless ``AVE_RULES_REQUIRE_BROWSER=1`` (CI), then
failed. Screenshots go to ``$AVE_RULES_ARTEFACTS`` (default ``tests/artefacts/``).
"""

from __future__ import annotations

import base64
import datetime
import itertools
import math
import os
import re
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import ave_rules
from ave_rules import _terms as t
from ave_rules.authoring import render_decision_html, render_html
from ave_rules.kaart import Regiekaart, kaart_files
from ave_rules.loading import load_versions

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

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
A3_LANDSCAPE: ViewportSize = {"width": 1587, "height": 1123}  # 420 x 297 mm at 96 px per inch
SCREEN: ViewportSize = {"width": 1600, "height": 1000}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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
class Tab:
    """The module's one page. Its listeners record into the current visit: every request other
    than the visited file (aborted), console errors and uncaught page errors. Each visit starts
    on screen at the screen size, whatever the visit before left (print media, A3)."""

    page: Any
    url: str = ""
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: Path) -> Any:
        self.url = path.resolve().as_uri()
        self.errors.clear()
        self.requests.clear()
        self.page.emulate_media(media="screen")
        self.page.set_viewport_size(SCREEN)
        self.page.goto(self.url, wait_until="load")
        return self.page

    def print_a3(self) -> None:
        self.page.emulate_media(media="print")
        self.page.set_viewport_size(A3_LANDSCAPE)

    def screenshot(self, path: Path, clip: dict[str, int]) -> tuple[int, int]:
        """Chromium's own capture of ``clip`` (page coordinates), with its fast PNG encoding."""
        session = self.page.context.new_cdp_session(self.page)
        try:
            shot = session.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "optimizeForSpeed": True,
                    "clip": {**clip, "scale": 1},
                },
            )
        finally:
            session.detach()
        path.write_bytes(base64.b64decode(shot["data"]))
        return _png_size(path)


@pytest.fixture(scope="module")
def tab(browser: Any) -> Tab:
    page = browser.pages[0] if browser.pages else browser.new_page()
    tab = Tab(page)

    def route(request_route: Any) -> None:
        if request_route.request.url == tab.url:
            request_route.continue_()
        else:
            tab.requests.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("request", lambda request: None if request.url == tab.url else tab.requests.append(request.url))
    page.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab


def _artefact(name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / name


def _png_chunks(path: Path) -> Iterator[tuple[bytes, bytes]]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        yield kind, data[position + 8 : position + 8 + length]
        position += 12 + length


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _unfilter(kind: int, line: bytes, above: bytes, step: int) -> bytes:
    """One PNG scanline with its filter undone (PNG specification, section 9)."""
    if kind == 0:
        return line
    if kind == 2:
        return bytes((value + up) & 255 for value, up in zip(line, above, strict=True))
    row = bytearray(line)
    for index, value in enumerate(row):
        left = row[index - step] if index >= step else 0
        up = above[index]
        if kind == 1:
            row[index] = (value + left) & 255
        elif kind == 3:
            row[index] = (value + (left + up) // 2) & 255
        else:
            corner = above[index - step] if index >= step else 0
            guess = left + up - corner
            nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
            row[index] = (value + nearest[2]) & 255
    return bytes(row)


def _png_colours(path: Path, points: list[tuple[int, int]]) -> list[tuple[int, ...]]:
    """The RGB colour of the written PNG at each point, decoding only the rows down to the lowest."""
    header, compressed = b"", bytearray()
    for kind, body in _png_chunks(path):
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
    width, _, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, "an 8-bit RGB(A) PNG, as Chromium writes"
    step = 3 if colour_type == 2 else 4
    stride = width * step + 1
    lowest = max(y for _, y in points)
    raw = zlib.decompressobj().decompress(bytes(compressed), (lowest + 1) * stride)
    if {raw[y * stride] for y in range(lowest + 1)} <= {0, 2}:
        # No filter or 'Up' (what Chromium writes): every byte depends only on the one above it,
        # so decode just the columns asked for.
        colours = []
        for x, y in points:
            values = [0, 0, 0]
            for row in range(y + 1):
                start = row * stride + 1 + x * step
                above = values if raw[row * stride] == 2 else [0, 0, 0]
                values = [(raw[start + channel] + above[channel]) & 255 for channel in range(3)]
            colours.append(tuple(values))
        return colours
    rows, previous = [], bytes(stride - 1)
    for y in range(lowest + 1):
        previous = _unfilter(raw[y * stride], raw[y * stride + 1 : (y + 1) * stride], previous, step)
        rows.append(previous)
    return [tuple(rows[y][x * step : x * step + 3]) for x, y in points]


def _bundled() -> list[Regiekaart]:
    return sorted(load_versions(BUNDLED, engine="reference"), key=lambda kaart: (kaart.id, kaart.valid_from))


KAARTEN = _bundled()
#: Kaarten with another structure (issue 17): three levels, extra roles; they print like the bundled ones.
STRUCTURED = [
    ave_rules.load(path, engine="reference")
    for path in sorted((ROOT / "tests" / "fixtures" / "structuur").glob("*.yaml"))
]


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
    assert len(KAARTEN) == len(kaart_files(BUNDLED)), "one browser test per bundled kaart file"


# One round trip for what the checks need: the ladder's box, and per level its heading (text,
# box, background colour), its lowest cell (box, background colour), the box around its whole
# column and the text of its role cells. Boxes are in page coordinates.
_LADDER_JS = """
() => {
  const page = box => ({x: box.x + window.scrollX, y: box.y + window.scrollY, width: box.width, height: box.height});
  const ladder = document.querySelector('table.ladder');
  const levels = [...ladder.querySelectorAll('th[data-niveau]')].map(head => {
    const cells = [...ladder.querySelectorAll(`td[data-niveau="${head.dataset.niveau}"]`)];
    const boxes = [head, ...cells].map(cell => cell.getBoundingClientRect());
    const left = Math.min(...boxes.map(box => box.left)), top = Math.min(...boxes.map(box => box.top));
    const right = Math.max(...boxes.map(box => box.right)), bottom = Math.max(...boxes.map(box => box.bottom));
    const lowest = cells.reduce((low, cell) => cell.getBoundingClientRect().bottom > low.getBoundingClientRect().bottom ? cell : low);
    const roles = {};
    for (const cell of cells.filter(cell => cell.dataset.rol)) {
      roles[cell.dataset.rol] = cell.checkVisibility() ? cell.innerText : '';
    }
    return {id: head.dataset.niveau, text: head.checkVisibility() ? head.innerText : '', roles,
            head: page(head.getBoundingClientRect()), colour: getComputedStyle(head).backgroundColor,
            lowest: page(lowest.getBoundingClientRect()), lowestColour: getComputedStyle(lowest).backgroundColor,
            column: page(new DOMRect(left, top, right - left, bottom - top))};
  });
  return {ladder: page(ladder.getBoundingClientRect()), levels,
          page: {width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight}};
}
"""


def _check_levels(kaart: Regiekaart, levels: list[dict[str, Any]]) -> None:
    assert [level["id"] for level in levels] == list(kaart.level_ids), "columns in ladder order"
    for level, shown in zip(kaart.levels, levels, strict=True):
        text = " ".join(shown["text"].split())
        assert f"Niveau {level.id}" in text and " ".join(level.name.split()) in text
        assert shown["head"]["width"] > 0 and shown["head"]["height"] > 0
        for role in t.ROLES:
            for holder in level.roles.holders(role):
                assert _organisation(kaart, holder) in shown["roles"][role], (level.id, role)
    lefts = [shown["head"]["x"] for shown in levels]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), "side by side, low to high"


def _inside(box: dict[str, float], clip: dict[str, int]) -> bool:
    return (
        clip["x"] <= box["x"]
        and box["x"] + box["width"] <= clip["x"] + clip["width"]
        and clip["y"] <= box["y"]
        and box["y"] + box["height"] <= clip["y"] + clip["height"]
    )


def _rgb(css: str) -> tuple[int, ...]:
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, 1)?\)", css)
    assert found, f"an opaque background colour, not {css!r}"
    return tuple(int(part) for part in found.groups())


def _shoot_ladder(tab: Tab, shown: dict[str, Any], path: Path) -> None:
    """Screenshot the ladder alone. Assert that the clip holds every level's whole column, and
    that the PNG written shows each column drawn from top to bottom: the heading's colour just
    inside the heading's top left corner, the tint of its lowest cell just inside that cell's
    bottom left corner (both in the cells' padding, past their 1px borders). A capture that
    stopped at the viewport would have the right size but be blank at the bottom."""
    box = shown["ladder"]
    left, top = math.floor(box["x"]), math.floor(box["y"])
    clip = {
        "x": left,
        "y": top,
        "width": math.ceil(box["x"] + box["width"]) - left,
        "height": math.ceil(box["y"] + box["height"]) - top,
    }
    assert clip["x"] >= 0 and clip["x"] + clip["width"] <= shown["page"]["width"], "the ladder is within the page"
    assert tab.screenshot(path, clip) == (clip["width"], clip["height"]), "the screenshot is the clip"
    points, expected = [], []
    for level in shown["levels"]:
        assert _inside(level["column"], clip), f"level {level['id']}'s column lies within the screenshot"
        head, lowest = level["head"], level["lowest"]
        points.append((math.floor(head["x"]) + 3 - clip["x"], math.floor(head["y"]) + 3 - clip["y"]))
        expected.append((level["id"], "heading", _rgb(level["colour"])))
        points.append(
            (math.floor(lowest["x"]) + 3 - clip["x"], math.ceil(lowest["y"] + lowest["height"]) - 4 - clip["y"])
        )
        expected.append((level["id"], "lowest cell", _rgb(level["lowestColour"])))
    for (level_id, where, colour), found in zip(expected, _png_colours(path, points), strict=True):
        assert max(abs(a - b) for a, b in zip(found, colour, strict=True)) <= 2, (level_id, where, found, colour)


@pytest.mark.parametrize("kaart", KAARTEN, ids=_name)
def test_the_kaart_page_in_chromium_on_screen_and_on_a3(tab: Tab, kaart: Regiekaart) -> None:
    page = tab.open(_render(kaart))
    shown = page.evaluate(_LADDER_JS)
    _check_levels(kaart, shown["levels"])
    _shoot_ladder(tab, shown, _artefact(f"{_name(kaart)}.png"))

    tab.print_a3()
    printed = page.evaluate(_LADDER_JS)
    _check_levels(kaart, printed["levels"])
    heads = [level["head"] for level in printed["levels"]]
    assert len({round(head["y"]) for head in heads}) == 1, "all level headings on one row"
    assert max(head["x"] + head["width"] for head in heads) <= A3_LANDSCAPE["width"]
    assert printed["page"]["width"] <= A3_LANDSCAPE["width"]
    _shoot_ladder(tab, printed, _artefact(f"{_name(kaart)}-a3.png"))
    assert tab.errors == []
    assert tab.requests == []


def _pdf_pages(page: Any) -> tuple[int, set[tuple[int, ...]], bytes]:
    """Printed as the browser prints it: the number of pages and their sizes in points."""
    page.emulate_media(media="print")
    pdf: bytes = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = {
        tuple(round(float(n)) for n in box) for box in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\]", pdf)
    }
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf)), sizes, pdf


# --- the one-sheet regiekaart in print and on a narrow screen --------------------------------

A3_POINTS, A4_POINTS = (1191, 842), (842, 595)  # landscape, as the PDF's MediaBox gives them
NARROW: ViewportSize = {"width": 683, "height": 800}
SEVEN_POINTS = 7 * 96 / 72  # in CSS pixels

# Per element: whether its box lies outside the page's content box or cuts off its own content;
# the level headings' backgrounds in ladder order; the smallest font size of any text.
_PRINTED_JS = """
(width) => {
  const clipped = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) clipped.push(`${element.tagName} ${Math.round(box.right)}`);
    const style = getComputedStyle(element);
    if (style.overflowX !== 'visible' && element.scrollWidth > element.clientWidth + 1) clipped.push(`${element.tagName} scrolls`);
  }
  const table = document.querySelector('table.sheet');
  const sizes = [...document.body.querySelectorAll('p, li, td, th, dd, dt, span, strong, caption, sup, a')]
    .filter(element => element.innerText.trim()).map(element => parseFloat(getComputedStyle(element).fontSize));
  return {clipped, heads: [...table.querySelectorAll('th.level-head')].map(head => getComputedStyle(head).backgroundColor),
          fits: table.scrollWidth <= table.clientWidth, smallest: Math.min(...sizes),
          height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth};
}
"""

# Every word of the cells and headings that the browser broke over two lines (a web address, wider
# than a column on a narrow screen, can only break).
_BROKEN_WORDS_JS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll('table.sheet th, table.sheet td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1 && !/https?:/.test(word[0])) broken.push(word[0]);  // a web address may break
      }
    }
  }
  return broken;
}
"""


def _grey(css: str) -> float:
    """The relative luminance (WCAG) of a CSS rgb() colour: what it prints as in black and white."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in _rgb(css))]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _content_box(points: tuple[int, int]) -> ViewportSize:
    """The page's content box in CSS pixels: the paper less the sheet's 6 mm margins."""
    margin = 6 / 25.4 * 96
    return {
        "width": math.floor(points[0] * 96 / 72 - 2 * margin),
        "height": math.floor(points[1] * 96 / 72 - 2 * margin),
    }


def _sheet(kaart: Regiekaart, paper: str) -> Path:
    path = _artefact(f"{_name(kaart)}-kaart-{paper}.html")
    path.write_text(render_html(kaart, paper=paper), encoding="utf-8")
    return path


@pytest.mark.parametrize("kaart", [*KAARTEN, *STRUCTURED], ids=_name)
def test_the_regiekaart_prints_on_one_a3_landscape_page(tab: Tab, kaart: Regiekaart) -> None:
    page = tab.open(_sheet(kaart, "A3"))
    pages, sizes, pdf = _pdf_pages(page)
    _artefact(f"{_name(kaart)}-kaart-A3.pdf").write_bytes(pdf)
    assert pages == 1 and sizes == {A3_POINTS}, (pages, sizes)
    box = _content_box(A3_POINTS)
    page.set_viewport_size(box)
    printed = page.evaluate(_PRINTED_JS, box["width"])
    assert printed["clipped"] == [] and printed["fits"], printed["clipped"]
    assert printed["width"] <= box["width"] and printed["height"] <= box["height"], "the whole sheet on the page"
    assert printed["smallest"] >= SEVEN_POINTS - 0.01
    greys = [_grey(colour) for colour in printed["heads"]]
    assert len(greys) == len(kaart.levels)
    assert all(light > dark for light, dark in itertools.pairwise(greys)), f"light to dark up the ladder: {greys}"
    clip = {"x": 0, "y": 0, "width": box["width"], "height": box["height"]}
    assert tab.screenshot(_artefact(f"{_name(kaart)}-kaart-A3.png"), clip) == (box["width"], box["height"])
    assert tab.errors == [] and tab.requests == []


@pytest.mark.parametrize("kaart", KAARTEN, ids=_name)
def test_the_regiekaart_on_a4_keeps_its_text_readable(tab: Tab, kaart: Regiekaart) -> None:
    page = tab.open(_sheet(kaart, "A4"))
    pages, sizes, pdf = _pdf_pages(page)
    _artefact(f"{_name(kaart)}-kaart-A4.pdf").write_bytes(pdf)
    assert pages >= 1 and sizes == {A4_POINTS}, (pages, sizes)
    box = _content_box(A4_POINTS)
    page.set_viewport_size(box)
    printed = page.evaluate(_PRINTED_JS, box["width"])
    assert printed["clipped"] == [] and printed["fits"], printed["clipped"]
    assert printed["smallest"] >= SEVEN_POINTS - 0.01, "no text below 7 pt"
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= SEVEN_POINTS - 0.01


@pytest.mark.parametrize("kaart", [*KAARTEN, *STRUCTURED], ids=_name)
def test_the_roles_are_above_the_fold(tab: Tab, kaart: Regiekaart) -> None:
    page = tab.open(_sheet(kaart, "A3"))
    page.set_viewport_size({"width": 1366, "height": 768})
    for role in t.ROLES:
        bottom = page.locator(f'tr[data-rij="{role}"]').evaluate("row => row.getBoundingClientRect().bottom")
        assert bottom <= 768, f"{role} is visible without scrolling"
    assert page.locator(".mark").count() == 0, "no badge per item; changes are footnotes"


def test_the_level_headings_stay_in_view_on_screen(tab: Tab) -> None:
    kaart = next(kaart for kaart in KAARTEN if kaart.id == "ave-generiek")
    page = tab.open(_sheet(kaart, "A3"))
    page.set_viewport_size({"width": 1366, "height": 500})
    row = page.locator('tr[data-rij="acties"]')
    row.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 300, "scrolled past the headings"
    for head in page.locator("th.level-head").all():
        top = head.evaluate("head => head.getBoundingClientRect().top")
        assert -1 <= top <= 1, "the headings stick to the top of the window"


@pytest.mark.parametrize("kaart", KAARTEN, ids=_name)
def test_the_regiekaart_on_a_narrow_screen(tab: Tab, kaart: Regiekaart) -> None:
    page = tab.open(_sheet(kaart, "A3"))
    page.set_viewport_size(NARROW)
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] == NARROW["width"], "no sideways scroll"
    assert page.evaluate(_BROKEN_WORDS_JS) == [], "no word broken over two lines"
    heads = page.locator("th.level-head")
    assert heads.count() == len(kaart.levels) and heads.first.evaluate("h => getComputedStyle(h).position") == "sticky"
    assert "3. [" not in page.locator("body").inner_text()
    height = page.evaluate("document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": NARROW["width"], "height": height}
    assert tab.screenshot(_artefact(f"{_name(kaart)}-kaart-683.png"), clip) == (NARROW["width"], height)
    reference = _artefact(f"{_name(kaart)}-naslag.html")
    reference.write_text(render_html(kaart, reference=True), encoding="utf-8")
    page = tab.open(reference)
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], "the tables too"
    assert tab.errors == [] and tab.requests == []


@pytest.mark.parametrize(
    "facts",
    [
        {
            "huidige_fase": "2",
            "leefgebieden": ["financien", "huisvesting"],
            "kolommen": ["zorg", "veiligheid"],
            "veiligheidsrisico": "structureel",
            "betrokkene_geinformeerd": "nee",
        },
        {  # level 4, many rules held, every fact given
            "huidige_fase": "3b",
            "hulpvraag": True,
            "zelfregie": "afwezig",
            "leefgebieden": ["financien", "huisvesting", "geestelijke_gezondheid", "verslaving", "justitie"],
            "kolommen": ["zorg", "veiligheid", "bestuur"],
            "veiligheidsrisico": "acuut",
            "risico_voor_omgeving": "hoog",
            "maatschappelijke_onrust": "manifest",
            "openbare_orde_verstoord": True,
            "acute_crisis": True,
            "stagnatie": True,
            "dwang_drang_nodig": True,
            "strafrechtelijk_kader": True,
            "overlast_of_criminaliteit": True,
            "impact_op_omgeving": True,
            "gebiedsgebonden_veiligheidsprobleem": True,
            "gemeente_overstijgend": True,
            "specifieke_expertise_nodig": True,
            "verzoek": "aanmelding",
            "betrokkene_geinformeerd": "nee",
        },
        {  # a new case on 3b: the whole gegevensdeling of the generic kaart applies but afschaling
            "leefgebieden": ["financien", "huisvesting", "justitie"],
            "kolommen": ["zorg", "veiligheid"],
            "veiligheidsrisico": "structureel",
            "overlast_of_criminaliteit": True,
            "strafrechtelijk_kader": True,
            "impact_op_omgeving": True,
            "stagnatie": True,
            "dwang_drang_nodig": True,
            "verzoek": "aanmelding",
            "betrokkene_geinformeerd": "nee",
        },
    ],
    ids=["3a", "4-alles", "3b-gegevensdeling"],
)
def test_the_decision_page_for_the_dossier_on_one_a4_page(tab: Tab, facts: dict[str, Any]) -> None:
    kaart = ave_rules.load(BUNDLED / "ave-generiek.yaml", on=datetime.date(2025, 6, 1), engine="reference")
    decision = kaart.evaluate(facts, datetime.date(2026, 12, 3))
    assert decision.actions
    name = f"besluit-ave-generiek-{decision.level}"
    path = _artefact(f"{name}.html")
    path.write_text(render_decision_html(kaart, decision, facts=facts, case="ZAAK-2026-17"), encoding="utf-8")
    page = tab.open(path)
    assert tab.errors == [] and tab.requests == []
    level = kaart.level_by_id[decision.level]
    assert page.locator("h1").inner_text().strip().endswith(f"Besluit: niveau {level.id}, {level.name}")
    body = page.locator("body").inner_text()
    assert "ZAAK-2026-17" in body and "2026-12-03" in body
    for action in decision.actions:
        assert action.text in body
    for role in t.ROLES:
        for holder in decision.roles[role]:
            assert _organisation(kaart, holder) in body
    assert "Gegevensdeling" in body
    steps = {step.id: step.name for step in kaart.process_steps}
    for share in (share for sharing in decision.sharing for share in sharing.shares):
        assert f"{steps[share.step]}:" in body
    assert body.count("Bij de overdracht in actie") == sum(
        action.may_receive is not None for action in decision.actions
    )
    assert page.locator("details").count() <= 1 and not page.locator("details").first.evaluate("d => d.open")
    width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    clip = {"x": 0, "y": 0, "width": width, "height": height}
    assert tab.screenshot(_artefact(f"{name}.png"), clip) == (width, height)
    pages, sizes, pdf = _pdf_pages(page)
    assert pages == 1 and sizes == {(595, 842)}, (pages, sizes)  # one A4 portrait page, in points
    _artefact(f"{name}.pdf").write_bytes(pdf)


def test_the_actielijst_in_chromium_on_one_a4_page(tab: Tab) -> None:
    from ave_rules.authoring import actielijst, render_actielijst_html

    kaart = ave_rules.load(ROOT / "examples" / "gemeente-voorbeeld" / "regiekaarten" / "voorbeeldgemeente.yaml")
    facts = {"huidige_fase": "2", "leefgebieden": ["financien", "huisvesting"], "kolommen": ["zorg", "veiligheid"]}
    decision = kaart.evaluate({**facts, "veiligheidsrisico": "structureel"}, datetime.date(2026, 5, 13))
    lijst = actielijst(kaart, decision)
    assert any(item.due for item in lijst.actions) and lijst.next_evaluation
    path = _artefact("actielijst-voorbeeldgemeente.html")
    path.write_text(render_actielijst_html(kaart, lijst), encoding="utf-8")
    page = tab.open(path)
    assert tab.errors == [] and tab.requests == []
    body = page.locator("body").inner_text()
    for item in lijst.actions:
        assert item.text in body
    assert page.locator("time[datetime='2026-05-22']").count() == 1  # 5 werkdagen: Hemelvaart and the 15th closed
    pages, sizes, pdf = _pdf_pages(page)
    assert pages == 1 and sizes == {(595, 842)}, (pages, sizes)  # A4 portrait in points
    _artefact("actielijst-voorbeeldgemeente.pdf").write_bytes(pdf)
