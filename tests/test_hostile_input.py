"""Hostile or broken input: never code execution, a hang, a crash or unbounded memory.

Whatever the bytes, ``load`` and ``loads`` return a Regiekaart or raise RegiekaartError with
located problems; nothing else escapes.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules import Problem, RegiekaartError

FIXTURES = Path(__file__).parent / "fixtures"
BASIS = FIXTURES / "geldig" / "test-basis.yaml"
BASIS_TEXT = BASIS.read_text(encoding="utf-8")
MIB = 1024 * 1024


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the block takes longer than ``seconds``."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TookTooLong

    expired = False
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TookTooLong:
        expired = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if expired:
        # Outside the except clause: the interrupted traceback can hold entries without a
        # line number, which pytest cannot render.
        pytest.fail(f"took longer than {seconds} s", pytrace=False)


def refused(load: Callable[[], object], *, seconds: float = 2.0) -> list[Problem]:
    """The problems ``load()`` raises; it must raise RegiekaartError, and in time."""
    started = time.perf_counter()
    with deadline(seconds), pytest.raises(RegiekaartError) as caught:
        load()
    assert time.perf_counter() - started < seconds
    problems = caught.value.problems
    assert problems
    for problem in problems:
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message  # renders without error
    return problems


def where(problems: list[Problem]) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in problems]


def refused_text(text: str, **kwargs: float) -> list[Problem]:
    return refused(lambda: ave_rules.loads(text, name="kaart.yaml"), **kwargs)


def refused_bytes(tmp_path: Path, raw: bytes, **kwargs: float) -> list[Problem]:
    path = tmp_path / "kaart.yaml"
    path.write_bytes(raw)
    problems = refused(lambda: ave_rules.load(path), **kwargs)
    assert all(p.file == str(path) for p in problems)
    return problems


# --- tags never run code -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "line", "column"),
    [
        ("formaat: 1\nid: !!python/object/apply:os.system ['touch {marker}']\n", 2, 5),
        ("!!python/object/apply:os.system\n- touch {marker}\n", 1, 1),
        ("formaat: 1\nnaam: !!python/object/apply:subprocess.check_call [[touch, {marker}]]\n", 2, 7),
        ("formaat: 1\nid: !!python/object/new:os.system ['touch {marker}']\n", 2, 5),
        ("formaat: 1\nid: !!python/object/new:subprocess.Popen {{args: [touch, {marker}]}}\n", 2, 5),
        ("formaat: 1\nid: !!python/name:os.system\n", 2, 5),
        ("formaat: 1\nid: !!python/module:os\n", 2, 5),
        ("formaat: 1\nid: !!python/object:pathlib.Path {{}}\n", 2, 5),
        ("formaat: 1\nid: !!str 1\n", 2, 5),
        ("formaat: 1\nid: !!binary aGVsbG8=\n", 2, 5),
        ("formaat: 1\nid: !eigen x\n", 2, 5),
    ],
)
def test_tags_are_refused_and_never_executed(tmp_path: Path, template: str, line: int, column: int) -> None:
    marker = tmp_path / "uitgevoerd"
    text = template.format(marker=marker)
    problems = refused_text(text)
    assert where(problems) == [("tag", line, column)]
    assert not marker.exists(), "a YAML tag ran code"
    # and the same from a file
    problems = refused_bytes(tmp_path, text.encode())
    assert where(problems) == [("tag", line, column)]
    assert not marker.exists(), "a YAML tag ran code"


@pytest.mark.skipif(sys.platform == "win32", reason="uses touch")
def test_the_payloads_are_live(tmp_path: Path) -> None:
    """Control: an unsafe YAML loader does run them, so the test above can fail."""
    import yaml

    marker = tmp_path / "uitgevoerd"
    yaml.unsafe_load(f"id: !!python/object/apply:subprocess.check_call [[touch, {marker}]]\n")
    assert marker.exists()


def test_tag_message_names_the_tag() -> None:
    (problem,) = refused_text("formaat: 1\nid: !!python/object/apply:os.system ['true']\n")
    assert "!!python/object/apply:os.system" in problem.message


# --- anchors, aliases, merge keys ----------------------------------------------------------


def billion_laughs() -> str:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_in_little_memory() -> None:
    text = billion_laughs()
    tracemalloc.start()
    try:
        problems = refused_text(text, seconds=2.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MIB
    assert where(problems) == [("anker-alias", 1, 7)]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("formaat: 1\nid: &x test\n", 2, 5),  # an anchor alone
        ("formaat: 1\nnaam: *x\n", 2, 7),  # an alias alone
        ("a: {x: 1}\nb:\n  <<: {x: 2}\n", 3, 3),  # a merge key without any anchor
        ("a: &basis {x: 1}\nb:\n  <<: *basis\n", 1, 4),
    ],
)
def test_anchors_aliases_and_merge_keys_are_refused(text: str, line: int, column: int) -> None:
    assert where(refused_text(text)) == [("anker-alias", line, column)]


# --- deep nesting ------------------------------------------------------------------------

DEEP = 10_000


@pytest.mark.parametrize(
    ("name", "text", "line", "column"),
    [
        # The 65th collection is the first one too deep.
        ("flow lists", "[" * DEEP + "]" * DEEP, 1, 65),
        ("unclosed flow lists", "[" * DEEP, 1, 65),
        ("flow mappings", "{a: " * DEEP + "x" + "}" * DEEP, 1, 4 * 64 + 1),
        ("block lists", "- " * DEEP + "x\n", 1, 2 * 64 + 1),
        # Block mappings need one more space per level; 1,000 levels stay under the size limit.
        ("block mappings", "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "x\n", 65, 65),
        ("mixed", "a:\n" + "  - " + "[{b: " * DEEP, 2, 5 + 5 * 31),
        # After other lines, and after text that is not ASCII: the 63rd list is the 65th collection.
        ("flow lists later", "a: 'één € twee'\nb:\n  c: " + "[" * DEEP, 3, 6 + 62),
        ("flow lists after a CR", "a: 1\rb: " + "[" * DEEP + "\rc: 2", 2, 4 + 63),
    ],
    ids=[
        "flow-lists",
        "unclosed-flow-lists",
        "flow-mappings",
        "block-lists",
        "block-mappings",
        "mixed",
        "flow-lists-later",
        "flow-lists-after-cr",
    ],
)
def test_deep_nesting_is_refused_without_recursion_error(name: str, text: str, line: int, column: int) -> None:
    problems = refused_text(text, seconds=3.0)
    assert where(problems) == [("te-diep", line, column)]
    assert "64" in problems[0].message


def test_deep_line_at_the_end_of_a_large_file_is_refused_for_depth() -> None:
    # The second, pure-Python screen reads the whole text before the deep line.
    text = "".join(f"k{i}: '{'tekst ' * 15}'\n" for i in range(8_000)) + "z: " + "[" * DEEP
    assert len(text.encode()) < MIB
    assert where(refused_text(text, seconds=10.0)) == [("te-diep", 8_001, 4 + 63)]


def test_nesting_up_to_the_limit_is_not_refused_for_depth() -> None:
    text = "a: " + "[" * 63 + "]" * 63 + "\n"  # the mapping plus 63 lists: 64 levels
    problems = refused_text(text)
    assert "te-diep" not in [p.code for p in problems]


# --- size ----------------------------------------------------------------------------------


def test_file_just_over_the_limit_is_refused(tmp_path: Path) -> None:
    raw = b"# " + b"x" * (MIB + 1 - 3) + b"\n"
    assert len(raw) == MIB + 1
    problems = refused_bytes(tmp_path, raw, seconds=1.0)
    assert where(problems) == [("bestand-te-groot", 1, 1)]
    assert str(MIB) in problems[0].message


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    raw = b"# " + b"x" * (MIB - 3) + b"\n"
    assert len(raw) == MIB
    assert where(refused_bytes(tmp_path, raw)) == [("bestand-leeg", 1, 1)]


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "reusachtig.yaml"
    with path.open("wb") as handle:
        handle.truncate(8 * 1024 * MIB)  # 8 GiB, sparse
    tracemalloc.start()
    try:
        problems = refused(lambda: ave_rules.load(path), seconds=1.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert where(problems) == [("bestand-te-groot", 1, 1)]
    assert peak < 20 * MIB


def test_huge_text_is_refused_quickly_in_little_memory() -> None:
    text = "a" * (64 * MIB)
    tracemalloc.start()
    try:
        problems = refused_text(text, seconds=1.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert where(problems) == [("bestand-te-groot", 1, 1)]
    assert peak < 20 * MIB


def test_text_over_the_limit_in_utf8_bytes_is_refused() -> None:
    text = "é" * (MIB // 2 + 1)  # fewer characters than the limit, more bytes
    assert where(refused_text(text, seconds=1.0)) == [("bestand-te-groot", 1, 1)]


@pytest.mark.parametrize(
    ("value", "column"),
    [
        ("9" * 5000, 7),
        ("-" + "9" * 5000, 7),
        ("0x" + "f" * 5000, 7),
        ("0o" + "7" * 5000, 7),
    ],
    ids=["decimal", "negative", "hex", "octal"],
)
def test_enormous_integer_is_refused_quickly(value: str, column: int) -> None:
    text = BASIS_TEXT.replace("    fase: 2\n", f"    fase: {value}\n")
    problems = refused_text(text, seconds=1.0)
    assert where(problems) == [("getal-te-groot", 44, column + 4)]


# Inputs under the size limit must not take long either: a regiekaart is checked in an
# editor, in CI and at start-up. Half the limit, worst cases seen so far.
HALF = MIB // 2


def _fill(unit: str, size: int, head: str = "") -> str:
    return head + unit * ((size - len(head)) // len(unit))


@pytest.mark.parametrize(
    "text",
    [
        _fill("- " + "[" * 10 + "x" + "]" * 10 + "\n", HALF, "a:\n"),
        "".join(f"k{i}: v\n" for i in range(HALF // 10)),  # every key unknown: 50,000 problems
    ],
    ids=["nested-lists", "unknown-keys"],
)
def test_large_input_under_the_limit_is_handled_in_seconds(text: str) -> None:
    assert len(text.encode()) <= HALF
    refused_text(text, seconds=5.0)


# --- not text, not a kaart ---------------------------------------------------------------


def test_random_binary_bytes(tmp_path: Path) -> None:
    raw = random.Random(20250101).randbytes(4096)  # noqa: S311 - test data, not secrets
    with pytest.raises(UnicodeDecodeError) as invalid:
        raw.decode("utf-8")
    before = raw[: invalid.value.start].decode("utf-8")
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    assert where(refused_bytes(tmp_path, raw)) == [("geen-utf8", line, column)]
    assert where(refused_bytes(tmp_path, b"\xfe" + raw)) == [("geen-utf8", 1, 1)]


def test_png_header(tmp_path: Path) -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(200)
    problems = refused_bytes(tmp_path, raw)
    assert where(problems) == [("geen-utf8", 1, 1)]
    assert "UTF-8" in problems[0].message


def test_latin1_text(tmp_path: Path) -> None:
    raw = "formaat: 1\nid: test\nnaam: Regiekaart Café\n".encode("latin-1")
    problems = refused_bytes(tmp_path, raw)
    assert where(problems) == [("geen-utf8", 3, 21)]
    assert "UTF-8" in problems[0].message


def test_latin1_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    # 'Één' is valid UTF-8 (two characters of two bytes each); the Latin-1 'é' after it is not.
    raw = "formaat: 1\nnaam: Één ".encode() + "café\n".encode("latin-1")
    assert where(refused_bytes(tmp_path, raw)) == [("geen-utf8", 2, 14)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    raw = BASIS_TEXT.encode(encoding)
    assert where(refused_bytes(tmp_path, raw)) == [("geen-utf8", 1, 1)]


def test_utf16_without_byte_order_mark(tmp_path: Path) -> None:
    raw = BASIS_TEXT.encode("utf-16-le")  # 'f\x00o\x00...': valid UTF-8 full of NUL characters
    problems = refused_bytes(tmp_path, raw)
    assert where(problems) == [("teken-niet-toegestaan", 1, 2)]
    assert "U+0000" in problems[0].message


def test_nul_byte(tmp_path: Path) -> None:
    raw = BASIS_TEXT.replace("naam: Testkaart", "naam: Test\x00kaart").encode()
    problems = refused_bytes(tmp_path, raw)
    assert where(problems) == [("teken-niet-toegestaan", 4, 11)]
    assert "U+0000" in problems[0].message


def test_nul_byte_after_multibyte_characters_is_located_by_character() -> None:
    problems = refused_text("formaat: 1\nnaam: Één\x00\n")
    assert where(problems) == [("teken-niet-toegestaan", 2, 10)]


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f", "\ufffe"])
def test_control_characters(character: str) -> None:
    problems = refused_text(f"formaat: 1\nnaam: a{character}b\n")
    assert where(problems) == [("teken-niet-toegestaan", 2, 8)]


def test_lone_surrogate_in_text() -> None:
    problems = refused_text("formaat: 1\nnaam: a\ud800b\n")
    assert where(problems) == [("teken-niet-toegestaan", 2, 8)]
    assert "U+D800" in problems[0].message


@pytest.mark.parametrize(
    "raw",
    [b"", b"\n\n\n", b"   \n  \n", b"# alleen commentaar\n# nog meer\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf# x\n"],
    ids=["empty", "newlines", "whitespace", "comments", "bom-only", "bom-comment"],
)
def test_empty_documents(tmp_path: Path, raw: bytes) -> None:
    problems = refused_bytes(tmp_path, raw)
    assert where(problems) == [("bestand-leeg", 1, 1)]


@pytest.mark.parametrize("raw", [b"---\n", b"---\n...\n", b"# kop\n---\n"])
def test_document_marker_without_content(tmp_path: Path, raw: bytes) -> None:
    problems = refused_bytes(tmp_path, raw)
    assert [p.code for p in problems] in (["bestand-leeg"], ["geen-mapping"])
    assert problems[0].line <= raw.count(b"\n") + 1
    if problems[0].code == "geen-mapping":
        assert "niets" in problems[0].message


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- formaat: 1\n- id: test\n", "een lijst"),
        ("regiekaart\n", "tekst"),
        ("1\n", "een geheel getal"),
        ("true\n", "true of false"),
        ("null\n", "niets"),
    ],
)
def test_document_that_is_not_a_mapping(text: str, found: str) -> None:
    problems = refused_text(text)
    assert where(problems) == [("geen-mapping", 1, 1)]
    assert found in problems[0].message


def test_comment_before_a_list_locates_the_list() -> None:
    problems = refused_text("# Een regiekaart\n\n- formaat: 1\n")
    assert where(problems) == [("geen-mapping", 3, 1)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (BASIS_TEXT + "---\n" + BASIS_TEXT, BASIS_TEXT.count("\n") + 1),
        ("---\nformaat: 1\n...\n---\nformaat: 1\n", 4),
        ("formaat: 1\n---\n", 2),
    ],
    ids=["two-kaarten", "explicit-ends", "empty-second"],
)
def test_multiple_documents(text: str, line: int) -> None:
    assert where(refused_text(text)) == [("meerdere-documenten", line, 1)]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "kaart.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASIS_TEXT.encode())
    assert ave_rules.load(path).id == "test-basis"
    assert ave_rules.loads("\ufeff" + BASIS_TEXT).id == "test-basis"


def test_problem_after_a_byte_order_mark_is_located_as_without_it(tmp_path: Path) -> None:
    bad = BASIS_TEXT.replace("    naam: Wijkteam\n", "    naam: Wijkteam\n    omschrijvng: x\n")
    problems = refused_bytes(tmp_path, b"\xef\xbb\xbf" + bad.encode())
    assert where(problems) == [("onbekende-sleutel", 60, 5)]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_keep_lines(tmp_path: Path, newline: str) -> None:
    assert ave_rules.loads(BASIS_TEXT.replace("\n", newline)).id == "test-basis"
    bad = BASIS_TEXT.replace("    naam: Wijkteam\n", "    naam: Wijkteam\n    omschrijvng: x\n")
    problems = refused_bytes(tmp_path, bad.replace("\n", newline).encode())
    assert where(problems) == [("onbekende-sleutel", 60, 5)]


@pytest.mark.parametrize(
    ("text", "line", "column", "shown"),
    [
        ("formaat: 1\n1: a\n", 2, 1, "1"),
        ("formaat: 1\ntrue: a\n", 2, 1, "true"),
        ("formaat: 1\n~: a\n", 2, 1, "~"),
        ("formaat: 1\n1.5: a\n", 2, 1, "1.5"),
        ("formaat: 1\n? [a, b]\n: c\n", 2, 3, "[a, b]"),
        ("formaat: 1\n? {a: b}\n: c\n", 2, 3, "{a: b}"),
    ],
    ids=["int", "bool", "null", "float", "list", "mapping"],
)
def test_keys_that_are_not_text(text: str, line: int, column: int, shown: str) -> None:
    problems = refused_text(text)
    assert where(problems) == [("sleutel-geen-tekst", line, column)]
    assert shown in problems[0].message
    assert "Node" not in problems[0].message, problems[0].message


# --- files that are not regular files ----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_does_not_block(tmp_path: Path) -> None:
    pipe = tmp_path / "kaart.yaml"
    os.mkfifo(pipe)
    problems = refused(lambda: ave_rules.load(pipe), seconds=2.0)
    assert where(problems) == [("bestand-onleesbaar", 1, 1)]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_does_not_hang() -> None:
    problems = refused(lambda: ave_rules.load("/dev/zero"), seconds=2.0)
    assert where(problems) == [("bestand-onleesbaar", 1, 1)]


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "kaart.yaml"
    loop.symlink_to(tmp_path / "kaart.yaml")
    problems = refused(lambda: ave_rules.load(loop))
    assert where(problems) == [("bestand-onleesbaar", 1, 1)]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "kaart.yaml"
    path.write_text(BASIS_TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        problems = refused(lambda: ave_rules.load(path))
    finally:
        path.chmod(0o644)
    assert where(problems) == [("bestand-onleesbaar", 1, 1)]


# --- properties: whatever comes in, only a kaart or a RegiekaartError comes out ----------


def check_outcome(load: Callable[[], object], text_lines: int) -> None:
    try:
        kaart = load()
    except RegiekaartError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1, problem
            assert problem.column >= 1, problem
            assert problem.line <= text_lines + 1, problem
            assert problem.code
            assert problem.message
        str(error)
    else:
        assert isinstance(kaart, ave_rules.Regiekaart)


def line_count(text: str) -> int:
    return max(1, len(text.splitlines()))


FAST = settings(max_examples=examples(200, 500), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text())
def test_any_text(text: str) -> None:
    check_outcome(lambda: ave_rules.loads(text, name="x.yaml"), line_count(text))


@FAST
@given(st.binary())
def test_any_bytes(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "kaart.yaml"
    path.write_bytes(raw)
    lines = line_count(raw.decode("utf-8", "replace"))
    check_outcome(lambda: ave_rules.load(path), lines)


# fmt: off
YAML_PIECES = st.sampled_from([
    ": ", "- ", "[", "]", "{", "}", ",", "\n", "  ", "\t", "'", '"', "#", "&a", "*a", "!!str ", "? ", "|", ">",
    "---", "...", "%YAML 1.2", "no", "1.0", "0363", "2025-01-01", "~", "<<", "id", "feit", "\ufeff", "é", "\x00",
])
# fmt: on


@FAST
@given(st.lists(st.one_of(YAML_PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_any_yaml_like_text(text: str) -> None:
    check_outcome(lambda: ave_rules.loads(text, name="x.yaml"), line_count(text))


@FAST
@given(st.data())
def test_any_small_change_to_a_valid_kaart(data: st.DataObject) -> None:
    lines = BASIS_TEXT.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "indent", "dedent"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "replace":
            lines[index] = data.draw(st.one_of(YAML_PIECES, st.text(max_size=20))) + "\n"
        elif action == "insert":
            line = lines[index]
            at = data.draw(st.integers(0, len(line)))
            lines[index] = line[:at] + data.draw(st.one_of(YAML_PIECES, st.text(max_size=5))) + line[at:]
        elif action == "indent":
            lines[index] = " " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index][1:]
    text = "".join(lines)
    check_outcome(lambda: ave_rules.loads(text, name="x.yaml"), line_count(text))
