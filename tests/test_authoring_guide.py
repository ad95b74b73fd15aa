"""The authoring guide (docs/regiekaart-format.md) stays true to the library.

* every message code (except the command line's own ``cli-*`` and the ``uitleg-*`` headings of an
  explained decision, which are not problems) is documented, as its own entry;
* the complete example is the bundled example kaart, verbatim;
* every whole kaart in the guide loads (and its scenarios pass), except those marked
  ``<!-- fout -->``, which must fail to load;
* every example message under "Foutmeldingen" is a rendering of its code's Dutch template; a finding
  of ``ave-rules check`` ends in its severity (``[fout]`` or ``[waarschuwing]``, as the analysis
  grades it) and may be followed by its example case;
* wherever the guide quotes ``ave-rules check``, in Dutch or English (``--lang en``), each finding is
  a rendering of a finding code's template in the language of its severity marker
  (``[error]``/``[warning]`` in English), graded as the analysis grades it, and each summary line per
  kaart is a rendering of the current summary template;
* the declared properties in section 3.10 are real: the example's ``eigenschappen`` hold on the
  example kaart, each quoted property of the generic kaart is quoted verbatim, and the ``volledig``
  example holds with the rule shown next to it and fails without it.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

import ave_rules
from ave_rules._messages import CATALOGUE
from ave_rules.analysis import SEVERITIES, check
from ave_rules.engine import run_scenarios
from ave_rules.kaart import read_norm

ROOT = Path(__file__).resolve().parents[1]
GUIDE_PATH = ROOT / "docs" / "regiekaart-format.md"
EXAMPLES_DIR = ROOT / "docs" / "voorbeelden"
EXAMPLE_PATH = EXAMPLES_DIR / "kleine-kaart.yaml"
GENERIC_PATH = ROOT / "regiekaarten" / "ave-generiek.yaml"

MODELINE = "# yaml-language-server:"
FAULTY_MARKER = "<!-- fout -->"
ERRORS_HEADING = "## 8. Foutmeldingen"

# Not problems, so not under "Foutmeldingen": the command line's own lines, the headings of an
# explained decision (``ave-rules evaluate``) and the labels of a rendered kaart (``weergave-*``).
UNDOCUMENTED_PREFIXES = ("cli-", "uitleg-", "engine-", "weergave-", "dienst-")  # engine: library.md; dienst: service.md
DOCUMENTED_CODES = sorted(code for code in CATALOGUE if not code.startswith(UNDOCUMENTED_PREFIXES))


@dataclass(frozen=True)
class Block:
    """A fenced code block of the guide."""

    language: str
    text: str
    line: int  # 1-based line of the opening fence
    preceded_by: str  # the nearest non-blank line before the opening fence

    @property
    def is_whole_kaart(self) -> bool:
        first = self.text.split("\n", 1)[0]
        return self.language == "yaml" and (first.startswith(MODELINE) or first.startswith("formaat:"))

    @property
    def is_marked_faulty(self) -> bool:
        return self.preceded_by.strip() == FAULTY_MARKER


def code_blocks(markdown: str) -> list[Block]:
    """Every fenced block (```lang ... ```), with its text exactly as written."""
    blocks: list[Block] = []
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        opening = re.match(r"^(\s*)```(\S*)\s*$", lines[index])
        if not opening:
            index += 1
            continue
        indent, language = opening.groups()
        start = index
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != "```":
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line)
            index += 1
        if index == len(lines):
            raise AssertionError(f"unclosed code block at line {start + 1} of {GUIDE_PATH.name}")
        before = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        text = "\n".join(body) + "\n" if body else ""
        blocks.append(Block(language, text, start + 1, before))
        index += 1
    return blocks


@pytest.fixture(scope="module")
def guide() -> str:
    assert GUIDE_PATH.is_file(), f"{GUIDE_PATH} is missing"
    return GUIDE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def blocks(guide: str) -> list[Block]:
    return code_blocks(guide)


def error_section(guide: str) -> str:
    assert ERRORS_HEADING in guide, f"the guide has no section '{ERRORS_HEADING}'"
    return guide.split(ERRORS_HEADING, 1)[1]


# --- (a) every message code is documented ---------------------------------------------------


def test_catalogue_has_codes_to_document() -> None:
    assert len(DOCUMENTED_CODES) > 40  # guards against an empty catalogue making the test vacuous


@pytest.mark.parametrize("code", DOCUMENTED_CODES)
def test_every_code_appears_in_the_guide(guide: str, code: str) -> None:
    assert f"`{code}`" in guide, f"message code `{code}` is not documented in {GUIDE_PATH.name}"


def test_every_code_has_its_own_entry_under_foutmeldingen(guide: str) -> None:
    headings = re.findall(r"^#{3,6} `([a-z0-9-]+)`\s*$", error_section(guide), re.M)
    missing = [code for code in DOCUMENTED_CODES if code not in headings]
    unknown = [code for code in headings if code not in CATALOGUE]
    repeated = sorted({code for code in headings if headings.count(code) > 1})
    assert not missing, f"no entry under '{ERRORS_HEADING}' for: {missing}"
    assert not unknown, f"entries for codes the library does not have: {unknown}"
    assert not repeated, f"codes with more than one entry: {repeated}"


# --- (b) the complete example, verbatim ----------------------------------------------------


def test_complete_example_is_included_verbatim(blocks: list[Block]) -> None:
    example = EXAMPLE_PATH.read_text(encoding="utf-8")
    yaml_blocks = [block.text for block in blocks if block.language == "yaml"]
    assert example in yaml_blocks, (
        f"{EXAMPLE_PATH.relative_to(ROOT)} is not included verbatim as one ```yaml block of {GUIDE_PATH.name}"
    )


# --- (c) whole kaarten load, marked ones fail ----------------------------------------------


def _whole_kaarten(markdown: str) -> list[Block]:
    return [block for block in code_blocks(markdown) if block.is_whole_kaart]


def _guide_kaarten() -> list[Block]:
    return _whole_kaarten(GUIDE_PATH.read_text(encoding="utf-8")) if GUIDE_PATH.is_file() else []


def test_guide_has_valid_and_faulty_kaarten(blocks: list[Block]) -> None:
    kaarten = [block for block in blocks if block.is_whole_kaart]
    assert any(not block.is_marked_faulty for block in kaarten), "the guide shows no valid whole kaart"
    assert any(block.is_marked_faulty for block in kaarten), f"no whole kaart is marked {FAULTY_MARKER}"


def test_faulty_marker_only_before_whole_kaarten(guide: str, blocks: list[Block]) -> None:
    marked = [block for block in blocks if block.is_marked_faulty]
    assert guide.count(FAULTY_MARKER) == len(marked), f"a {FAULTY_MARKER} marker is not right before a code block"
    wrong = [block.line for block in marked if not block.is_whole_kaart]
    assert not wrong, f"{FAULTY_MARKER} marks blocks that are not whole kaarten (lines {wrong})"


@pytest.mark.parametrize("block", _guide_kaarten(), ids=lambda block: f"regel-{block.line}")
def test_whole_kaart_in_guide(block: Block) -> None:
    name = f"{GUIDE_PATH.name}, blok op regel {block.line}"
    if block.is_marked_faulty:
        with pytest.raises(ave_rules.RegiekaartError):
            ave_rules.loads(block.text, name, search=[EXAMPLES_DIR])
    else:
        try:
            kaart = ave_rules.loads(block.text, name, search=[EXAMPLES_DIR])
        except ave_rules.RegiekaartError as error:
            pytest.fail(f"the kaart in the guide at line {block.line} does not load:\n{error}")
        failed = [
            f"{result.scenario.id}: {mismatch.aspect}: verwacht {mismatch.expected}, kreeg {mismatch.actual}"
            for result in run_scenarios(kaart)
            for mismatch in result.mismatches
        ]
        assert not failed, f"scenarios of the kaart at line {block.line} fail:\n" + "\n".join(failed)


# --- (d) example messages are real renderings ----------------------------------------------

LANGUAGES = ("nl", "en")  # the order of the two templates of a CATALOGUE entry
# The severity marker ``ave-rules check`` puts after a finding, per language: marker -> severity.
MARKERS: dict[str, dict[str, str]] = {
    language: {CATALOGUE[f"cli-ernst-{severity}"][index]: severity for severity in ("fout", "waarschuwing")}
    for index, language in enumerate(LANGUAGES)
}
_ANY_MARKER = "|".join(re.escape(marker) for markers in MARKERS.values() for marker in markers)

_LOCATED = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<message>.*?)(?: \((?P<path>/[^()]*)\))?"
    rf"(?: \[(?P<severity>{_ANY_MARKER})\])?$"  # ``ave-rules check`` adds the severity
)
# A problem with a case's facts, as ``ave-rules evaluate`` prints it: file, fact (or "(feiten)"), message.
_FACT_LOCATED = re.compile(r"^(?P<file>[^\s:][^:]*): (?P<fact>\(feiten\)|[a-z][a-z0-9_]*(?:/\d+)?): (?P<message>.*)$")


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(".*")
    return re.compile("".join(parts), re.S)


# The example case under a finding of ``ave-rules check``: indented, the facts as a JSON object.
_EXAMPLE_CASE = re.compile(
    "  " + re.escape(CATALOGUE["cli-voorbeeld"][0]).replace(re.escape("{feiten}"), r"(?P<feiten>\{.*\})")
)


def _entries(guide: str) -> dict[str, str]:
    """The text of each `code` entry under Foutmeldingen, up to the next heading."""
    section = error_section(guide)
    pieces = re.split(r"^(#{2,6} .*)$", section, flags=re.M)
    entries: dict[str, str] = {}
    for heading, body in zip(pieces[1::2], pieces[2::2], strict=True):
        found = re.fullmatch(r"#{3,6} `([a-z0-9-]+)`\s*", heading)
        if found:
            entries[found.group(1)] = body
    return entries


def test_example_messages_match_the_catalogue(guide: str) -> None:
    problems = []
    for code, body in _entries(guide).items():
        if code not in CATALOGUE:
            continue  # reported by test_every_code_has_its_own_entry_under_foutmeldingen
        examples = [block for block in code_blocks(body) if block.language == "text"]
        if not examples:
            problems.append(f"`{code}`: no example message (```text block)")
            continue
        pattern = _template_pattern(CATALOGUE[code][0])
        for example in examples:
            for line in filter(None, example.text.split("\n")):
                case = _EXAMPLE_CASE.fullmatch(line)
                if case:
                    try:
                        json.loads(case.group("feiten"))
                    except ValueError:
                        problems.append(f"`{code}`: the example case is not JSON: {line}")
                    continue
                located = _LOCATED.match(line) or _FACT_LOCATED.match(line)
                message = located.group("message") if located else line
                if not pattern.fullmatch(message):
                    problems.append(f"`{code}`: example does not match its message: {line}")
                marker = located.groupdict().get("severity") if located else None
                if marker is None:
                    continue
                if marker not in MARKERS["nl"]:
                    problems.append(f"`{code}`: a Dutch example with a marker in another language: {line}")
                elif MARKERS["nl"][marker] != SEVERITIES.get(code):
                    problems.append(f"`{code}`: example is marked [{marker}], but check grades it otherwise: {line}")
    assert not problems, "\n".join(problems)


def test_marker_parsing_accepts_both_languages() -> None:
    assert MARKERS == {
        "nl": {"fout": "fout", "waarschuwing": "waarschuwing"},
        "en": {"error": "fout", "warning": "waarschuwing"},
    }
    for marker in ("fout", "waarschuwing", "error", "warning"):
        located = _LOCATED.match(f"k.yaml:3:5: iets (/regels/0) [{marker}]")
        assert located and located.group("severity") == marker and located.group("path") == "/regels/0"


# A summary line per kaart of ``ave-rules check`` (or what looks like one): "<id> versie <v>: ...".
_SUMMARY_LIKE = re.compile(r"^[a-z0-9][a-z0-9_-]* (?:versie|version) \S+: .*$")


def test_quoted_check_output_is_current(blocks: list[Block]) -> None:
    summaries = [_template_pattern(template) for template in CATALOGUE["cli-check-samenvatting"]]
    problems, findings, summary_lines = [], 0, 0
    for block in blocks:
        if block.language != "text":
            continue
        for line in block.text.split("\n"):
            if _SUMMARY_LIKE.fullmatch(line):
                summary_lines += 1
                if not any(pattern.fullmatch(line) for pattern in summaries):
                    problems.append(f"line {block.line}: not the current summary line of check: {line}")
                continue
            located = _LOCATED.match(line)
            marker = located.group("severity") if located else None
            if marker is None:
                continue
            assert located is not None  # a marker is only found on a located line
            findings += 1
            language = next(language for language in LANGUAGES if marker in MARKERS[language])
            index, severity = LANGUAGES.index(language), MARKERS[language][marker]
            codes = [
                code
                for code in SEVERITIES
                if _template_pattern(CATALOGUE[code][index]).fullmatch(located.group("message"))
            ]
            if not codes:
                problems.append(f"line {block.line}: not a finding of check in the language of [{marker}]: {line}")
            elif all(SEVERITIES[code] != severity for code in codes):
                problems.append(f"line {block.line}: marked [{marker}], but check grades {codes} otherwise: {line}")
    assert findings and summary_lines, "the guide quotes no output of ave-rules check"
    assert not problems, "\n".join(problems)


def test_code_blocks_parser_sees_markers_and_indented_blocks() -> None:
    sample = "Tekst\n\n<!-- fout -->\n```yaml\nformaat: 1\n```\n\n1. Lijst\n\n   ```yaml\n   a: 1\n   ```\n"
    first, second = code_blocks(sample)
    assert first.is_marked_faulty and first.is_whole_kaart and first.text == "formaat: 1\n"
    assert not second.is_marked_faulty and second.text == "a: 1\n" and second.line == 10


# --- (e) the declared properties of section 3.10 ----------------------------------------------

PROPERTIES_HEADING = "### 3.10 Eigenschappen"


def _section_blocks(guide: str, heading: str) -> list[Block]:
    """The ```yaml blocks from ``heading`` up to the next section of its level or above."""
    assert heading in guide, f"the guide has no section '{heading}'"
    start = guide.split(heading, 1)[0].count("\n") + 1
    rest = guide.split(heading, 1)[1]
    following = re.search(rf"\n#{{2,{heading.index(' ')}}} ", rest)
    end = start + (rest[: following.start()].count("\n") if following else rest.count("\n"))
    return [block for block in code_blocks(guide) if start < block.line < end and block.language == "yaml"]


def _with(example: str, rules: str = "", properties: str = "") -> ave_rules.Regiekaart:
    """The example kaart with ``rules`` after its rules and an ``eigenschappen`` section before its scenarios."""
    anchor = "\n\nscenarios:"
    assert example.count(anchor) == 1, "the example kaart no longer ends its rules right before its scenarios"
    text = example.replace(anchor, "\n" + rules + ("\n" + properties if properties else "") + anchor)
    return ave_rules.loads(text, EXAMPLE_PATH.name, search=[EXAMPLES_DIR])


def _codes(kaart: ave_rules.Regiekaart) -> list[str]:
    return [finding.code for finding in check(kaart).findings]


def test_declared_properties_in_the_guide_are_real(guide: str, tmp_path: Path) -> None:
    example, generic = EXAMPLE_PATH.read_text(encoding="utf-8"), GENERIC_PATH.read_text(encoding="utf-8")
    generic_ids = {declared.id for declared in ave_rules.load(GENERIC_PATH).properties}
    listed, extra_rules, extra_properties, role_examples, norms, quoted = [], [], [], [], [], 0
    for block in _section_blocks(guide, PROPERTIES_HEADING):
        ids = re.findall(r"^  - id: (\S+)$", block.text, re.M)
        if "\ngeldt_voor:" in block.text:  # a norm (its own file), not part of a kaart
            norms.append(block.text)
        elif re.search(r"^    soort: rol", block.text, re.M):
            role_examples.append(block.text)
        elif block.text.startswith("eigenschappen:") and "vervalt:" not in block.text:
            listed.append(block.text)
        elif ids and "soort:" in block.text and set(ids) <= generic_ids:
            for item in re.split(r"(?m)^(?=  - id: )", block.text)[1:]:
                quoted += 1
                assert item in generic, f"line {block.line}: not quoted verbatim from {GENERIC_PATH.name}:\n{item}"
        elif ids and "soort:" in block.text:
            extra_properties.append(block.text)
        elif ids and "dan:" in block.text:
            extra_rules.append(block.text)
    assert len(listed) == 1, f"expected one example `eigenschappen:` block in '{PROPERTIES_HEADING}'"
    assert quoted, f"'{PROPERTIES_HEADING}' quotes no property of the generic kaart"
    assert extra_properties and extra_rules, f"'{PROPERTIES_HEADING}' lost its `volledig` example and its rule"
    kaart = _with(example, properties=listed[0])
    assert {declared.kind for declared in kaart.properties} >= {"monotoon", "onafhankelijk", "ondergrens"}
    assert _codes(kaart) == [], "the example's properties do not all hold on the example kaart"
    completed = _with(example, "".join(extra_rules), listed[0] + "".join(extra_properties))
    assert _codes(completed) == [], "the `volledig` example does not hold with the rule shown next to it"
    without_rule = _with(example, properties=listed[0] + "".join(extra_properties))
    assert _codes(without_rule) == ["eigenschap-geschonden"] * len(extra_properties), (
        "the guide says the `volledig` example fails without its rule"
    )
    assert role_examples, f"'{PROPERTIES_HEADING}' lost its example of `rol` and `rol_alleen_als`"
    with_roles = _with(example, properties=listed[0] + "".join(role_examples))
    assert {"rol", "rol_alleen_als"} <= {declared.kind for declared in with_roles.properties}
    assert _codes(with_roles) == [], "the guide says its `rol` and `rol_alleen_als` examples hold"
    assert len(norms) == 1, f"expected one example norm in '{PROPERTIES_HEADING}'"
    norm_file = tmp_path / "mijn-norm.yaml"
    norm_file.write_text(norms[0], encoding="utf-8")
    generic_report = check(ave_rules.load(GENERIC_PATH), norm=read_norm(norm_file))
    assert not [finding for finding in generic_report.findings if finding.norm], "the example norm holds"


# --- links inside the guide ------------------------------------------------------------------


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_internal_links_point_to_headings(guide: str) -> None:
    outside_code = re.sub(r"^\s*```.*?^\s*```", "", guide, flags=re.M | re.S)
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", outside_code, re.M):
        slug = _slug(heading)
        anchor, number = slug, 0
        while anchor in anchors:
            number += 1
            anchor = f"{slug}-{number}"
        anchors.add(anchor)
    links = re.findall(r"\]\(#([^)]+)\)", outside_code)
    broken = sorted({link for link in links if link not in anchors})
    assert links, "the guide has no internal links"
    assert not broken, f"links to headings that do not exist: {broken}"
