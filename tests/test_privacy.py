"""No key or value of a case appears in any message, whatever the case looks like; and what is
checked is what is decided (issue 12: I and K). A case may hold anything a caller or a file puts
in it, a name or a BSN among them; messages end up in logs."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules.cli import main

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml", engine="reference")
FACTS = [fact.id for fact in GENERIC.facts]
MARKER = "geheimbsn123456782"  # no kaart word, and no number a message would show


def secret_strings() -> st.SearchStrategy[str]:
    """Texts that hold the secret: as a well-formed name, with capitals, spaces, control characters."""
    return st.sampled_from(["", "x", "Naam ", "a b\n", "\x1b["]).flatmap(
        lambda prefix: st.sampled_from(["", "_x", " ", "!"]).map(lambda suffix: prefix + MARKER + suffix)
    )


def keys() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(FACTS), secret_strings(), st.just(123456782), st.just((MARKER,)))


def values() -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        secret_strings(), st.just(123456782), st.booleans(), st.none(), st.sampled_from(["zorg", "geen", "2"])
    )
    return st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(secret_strings(), inner, max_size=2),
        max_leaves=5,
    )


def messages(error: ave_rules.FactsError | ave_rules.AveRulesError) -> str:
    shown = [str(error)]
    for problem in getattr(error, "problems", []):
        shown += [problem.message, problem.message_in("en"), json.dumps(problem.as_dict(), ensure_ascii=False)]
    return "\n".join(shown)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys(), values(), min_size=1, max_size=6))
def test_no_key_or_value_of_a_case_is_repeated(facts: dict[Any, Any]) -> None:
    try:
        GENERIC.evaluate(facts)
    except ave_rules.FactsError as error:
        assert MARKER not in messages(error)
        assert "123456782" not in messages(error)
    else:
        assert all(key in FACTS for key in facts)  # only a case of the kaart's own facts is decided


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(keys(), values(), max_size=4), min_size=1, max_size=4))
def test_no_key_or_value_is_repeated_for_a_batch(cases: list[dict[Any, Any]]) -> None:
    with contextlib.suppress(ave_rules.FactsError):
        GENERIC.evaluate_many(cases)
    try:
        GENERIC.evaluate_many(cases)
    except ave_rules.FactsError as error:
        assert MARKER not in messages(error)


def run(*args: str | Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("feiten.json", '{"BSN123456782": true, "BSN123456782": false}'),
        ("feiten.json", '{"bsn123456782": true, "bsn123456782": false}'),
        ("feiten.yaml", "hulpvraag: true\nhulpvraag: false\n"),
        ("feiten.yaml", "123456782: true\n"),
        ("feiten.yaml", '"geheim\\e[2J123456782": true\n'),
        ("feiten.yaml", "bsn123456782: true\n"),
        ("feiten.yaml", "Geheim Naam 123456782: true\n"),
        ("feiten.yaml", "hulpvraag: bsn123456782\n"),
        ("feiten.yaml", "kolommen: [zorg, bsn123456782]\n"),
    ],
)
def test_a_facts_file_never_has_its_keys_or_values_repeated(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, shown = run("evaluate", ROOT / "regiekaarten" / "ave-generiek.yaml", "--facts", path)
    assert code == 1
    assert "123456782" not in shown, shown


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cases.jsonl", '{"BSN123456782": 1, "BSN123456782": 2}\n'),
        ("cases.jsonl", '{"stagnatie": true, "stagnatie": false}\n{"bsn123456782": true}\n'),
        ("cases.csv", "BSN123456782,BSN123456782\nja,nee\n"),
        ("cases.csv", "stagnatie,bsn123456782\nja,x\n"),
        ("cases.csv", "stagnatie,hulpvraag\nja,bsn123456782\n"),
        ("cases.jsonl", '{"veiligheidsrisico": "bsn123456782"}\n'),
    ],
)
def test_a_case_file_never_has_its_headers_keys_or_cells_repeated(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ave_rules.CaseFileError) as raised:
        ave_rules.count_cases(path, [GENERIC])
    assert "123456782" not in messages(raised.value)
    code, shown = run("simulate", ROOT / "regiekaarten" / "ave-generiek.yaml", "--cases", path)
    assert code == 1
    assert "123456782" not in shown


def test_a_row_of_empty_cells_is_a_case_and_a_blank_line_is_not(tmp_path: Path) -> None:
    csv = tmp_path / "cases.csv"
    csv.write_text("hulpvraag,zelfregie\nja,beperkt\n,\n\n,\n", encoding="utf-8")
    jsonl = tmp_path / "cases.jsonl"
    jsonl.write_text('{"hulpvraag": true, "zelfregie": "beperkt"}\n{}\n\n{}\n', encoding="utf-8")
    from_csv, from_jsonl = ave_rules.count_cases(csv, [GENERIC]), ave_rules.count_cases(jsonl, [GENERIC])
    assert (
        list(from_csv.cases())
        == list(from_jsonl.cases())
        == [({"hulpvraag": True, "zelfregie": "beperkt"}, 1), ({}, 2)]
    )


# --- what is checked is what is decided -----------------------------------------------------------


class Changing(Mapping[str, Any]):
    """Valid the first time it is read, something else every time after."""

    def __init__(self, first: dict[str, Any], later: dict[str, Any]) -> None:
        self.reads = 0
        self.first, self.later = first, later

    def _now(self) -> dict[str, Any]:
        self.reads += 1
        return self.first if self.reads == 1 else self.later

    def __getitem__(self, key: str) -> Any:
        return self._now()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __len__(self) -> int:
        return len(self.first)

    def items(self) -> Any:
        return self._now().items()


class AlwaysEqual(str):
    """A text that says it equals everything."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


@pytest.mark.parametrize("engine", ["durable-rules", "reference"])
def test_a_mapping_that_changes_after_it_is_read_is_decided_as_it_was_checked(engine: str) -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml", engine=engine)
    first = {"veiligheidsrisico": "acuut"}
    facts = Changing(first, {"veiligheidsrisico": MARKER})
    assert kaart.evaluate(facts) == kaart.evaluate(dict(first))


@pytest.mark.parametrize("engine", ["durable-rules", "reference"])
def test_a_text_that_equals_everything_is_refused_not_decided(engine: str) -> None:
    kaart = ave_rules.load(ROOT / "regiekaarten" / "ave-generiek.yaml", engine=engine)
    cases: list[Any] = [  # Any: a key that is a str subclass is what an untyped caller may send
        {"veiligheidsrisico": AlwaysEqual(MARKER)},
        {"kolommen": [AlwaysEqual(MARKER)]},
        {AlwaysEqual(MARKER): True},
    ]
    for facts in cases:
        with pytest.raises(ave_rules.FactsError) as raised:
            kaart.evaluate(facts)
        assert MARKER not in messages(raised.value)
    # A subclass holding a valid value is that value.
    assert kaart.evaluate({"veiligheidsrisico": AlwaysEqual("acuut")}) == kaart.evaluate({"veiligheidsrisico": "acuut"})
