"""The documentation holds together.

* every relative link in ``README.md`` and ``docs/*.md`` points at a file that exists, and a link
  to a heading (``file.md#anchor`` or ``#anchor``) at a heading that exists, as GitHub makes
  anchors from headings;
* every command documented in ``docs/reference-cli.md`` (a ``## `name``` heading) is a command of
  the ``ave-rules`` parser, every command of the parser is documented, and every option in a
  command's usage line is an option of that command.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from ave_rules.cli import _parser

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
CLI_REFERENCE = ROOT / "docs" / "reference-cli.md"
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*```.*?^\s*```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def _prose(markdown: str) -> str:
    """The markdown without code blocks and code spans, where links are not links."""
    return CODE_SPAN.sub("", FENCE.sub("", markdown))


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a markdown document."""
    found: set[str] = set()
    for line in FENCE.sub("", markdown).split("\n"):
        heading = re.match(r"#{1,6} (.+)", line)
        if not heading:
            continue
        text = heading.group(1).strip().lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        candidate, number = slug, 0
        while candidate in found:
            number += 1
            candidate = f"{slug}-{number}"
        found.add(candidate)
    return found


def links(path: Path) -> list[str]:
    return [target for target in LINK.findall(_prose(path.read_text(encoding="utf-8"))) if "://" not in target]


def test_the_documents_have_links_to_check() -> None:
    assert len(DOCUMENTS) >= 10
    assert sum(len(links(path)) for path in DOCUMENTS) > 40


def test_anchors_follow_github() -> None:
    assert anchors("## 8. Foutmeldingen\n### Alle casussen doorrekenen (`ave-rules check`)\n## A\n## A") == {
        "8-foutmeldingen",
        "alle-casussen-doorrekenen-ave-rules-check",
        "a",
        "a-1",
    }


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_resolve(document: Path) -> None:
    broken = []
    for target in links(document):
        if target.startswith("mailto:"):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
            broken.append(f"{target}: no such heading in {linked.name}")
    assert broken == []


# --- the command-line reference and the parser ----------------------------------------------


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the ave-rules parser has no subcommands")


def _documented() -> dict[str, str]:
    """Each documented command and its section of the reference."""
    sections = re.split(r"^## ", CLI_REFERENCE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    commands = {}
    for section in sections[1:]:
        heading = re.fullmatch(r"`([a-z-]+)`", section.split("\n", 1)[0].strip())
        if heading:
            commands[heading.group(1)] = section
    return commands


def test_every_documented_command_is_a_command_of_the_parser() -> None:
    documented = _documented()
    assert {"validate", "check", "evaluate", "schema"} <= set(documented)
    assert sorted(set(documented) - set(_subcommands())) == []


def test_every_command_of_the_parser_is_documented() -> None:
    assert sorted(set(_subcommands()) - set(_documented())) == []


def test_every_option_in_a_usage_line_exists() -> None:
    subcommands = _subcommands()
    global_options = {option for action in _parser()._actions for option in action.option_strings}
    missing = []
    for name, section in _documented().items():
        if name not in subcommands:
            continue  # reported by the test above
        usage = re.search(r"```text\n(ave-rules .*?)\n```", section, re.DOTALL)
        assert usage, f"the section of '{name}' has no usage line"
        known = {option for action in subcommands[name]._actions for option in action.option_strings}
        for option in re.findall(r"--[a-z-]+", usage.group(1)):
            if option not in known | global_options:
                missing.append(f"{name} {option}")
    assert missing == []
