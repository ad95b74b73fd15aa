"""The evaluator and the durable-rules engine where mutation testing found them unpinned
(``docs/testing.md``, mutation testing)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, NoReturn

import pytest

import ave_rules
from ave_rules.engine import _durable as durable_engine
from ave_rules.engine._durable_ruleset import MAX_RULES, compile_kaart
from ave_rules.errors import EngineLimitError

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ROOT / "regiekaarten" / "ave-generiek.yaml"


@pytest.mark.parametrize(
    "facts",
    [{"kolommen": ["onbekend"]}, {"hulpvraag": 1}, 5],
    ids=["value-of-a-member", "type-of-a-fact", "not-a-mapping"],
)
def test_a_problem_in_a_batch_is_the_problem_of_the_case_with_its_index_in_front(facts: object) -> None:
    kaart = ave_rules.load(GENERIC, engine="reference")
    with pytest.raises(ave_rules.FactsError) as alone:
        kaart.evaluate(facts)  # type: ignore[arg-type]
    with pytest.raises(ave_rules.FactsError) as in_batch:
        kaart.evaluate_many([{}, facts])  # type: ignore[list-item]
    (expected,), (found,) = alone.value.problems, in_batch.value.problems
    assert found.path == (f"1/{expected.path}" if expected.path else "1")
    assert (found.code, found.params, found.message) == (expected.code, expected.params, expected.message)


def _wide(groups: tuple[int, ...], deriving: int) -> ave_rules.Regiekaart:
    """A kaart whose last rule is ``alle`` of one ``een_van`` group of derived facts per size in
    ``groups`` (the product of the sizes is its number of alternatives); ``deriving`` rules derive
    the derived facts, after the first rule derives them all."""
    names = [f"d{group}_{index}" for group, size in enumerate(groups) for index in range(size)]
    level = (
        "{{id: '{0}', fase: {0}, kleur: groen, naam: N{0}, omschrijving: N., rollen: {{casusregie: [o], "
        "procesregie: [], operationele_verantwoordelijkheid: [o], bestuurlijke_verantwoordelijkheid: [o]}}}}"
    )
    rules = [
        f"  - {{id: r{index}, toelichting: R., als: {{feit: x, is: true}}, dan: {{afleiden: [{names[index % len(names)]}]}}}}"
        for index in range(deriving)
    ]
    alternatives = ", ".join(
        "{een_van: [" + ", ".join(f"{{afgeleid: d{group}_{index}}}" for index in range(size)) + "]}"
        for group, size in enumerate(groups)
    )
    text = "\n".join(
        [
            "formaat: 1",
            "id: breed",
            "naam: Breed",
            "versie: '1'",
            "geldig_vanaf: '2025-01-01'",
            "feiten: [{id: x, soort: ja_nee, standaard: false, omschrijving: X.}]",
            "afgeleide_feiten:",
            *[f"  - {{id: {name}, omschrijving: D.}}" for name in names],
            f"niveaus: [{level.format(1)}, {level.format(2)}]",
            "organisaties: [{id: o, naam: O}]",
            "actietypen: []",
            "regels:",
            f"  - {{id: alle, toelichting: A., als: {{feit: x, is: true}}, dan: {{afleiden: [{', '.join(names)}]}}}}",
            *rules,
            f"  - {{id: breed, toelichting: B., als: {{alle: [{alternatives}]}}, dan: {{niveau: '2'}}}}",
        ]
    )
    return ave_rules.loads(text, name="breed.yaml", engine="reference")


def _groups(alternatives: int) -> tuple[int, int, int]:
    """Three group sizes whose alternatives, counted as the compiler counts them (each group's
    own, then their product), come to exactly ``alternatives``; with as few derived facts as can be."""
    found = [
        (a, b, (alternatives - a - b) // (a * b + 1))
        for a in range(2, 40)
        for b in range(a, 60)
        if (alternatives - a - b) % (a * b + 1) == 0 and (alternatives - a - b) // (a * b + 1) >= b
    ]
    return min(found, key=sum)


def _refused_for(groups: tuple[int, ...], deriving: int) -> str | None:
    """The code of the limit the compiler refuses the kaart for, or None."""
    try:
        compile_kaart(_wide(groups, deriving))
    except EngineLimitError as limit:
        return limit.code
    return None


def test_the_compiler_allows_exactly_max_rules_alternatives_and_refuses_one_more_where_it_finds_them() -> None:
    assert _refused_for(_groups(MAX_RULES), 0) not in ("engine-limiet-alternatieven", "engine-limiet-regels")
    with pytest.raises(EngineLimitError) as caught:
        compile_kaart(_wide(_groups(MAX_RULES + 1), 0))
    assert caught.value.code == "engine-limiet-alternatieven"
    assert (caught.value.problem.path, caught.value.problem.params) == ("/regels/1/als", {"grens": str(MAX_RULES)})


def test_the_compiler_refuses_more_than_max_rules_rules_and_says_how_many() -> None:
    groups = _groups(MAX_RULES)  # one rule per alternative of the last rule: MAX_RULES - sum(groups)
    assert _refused_for(groups, sum(groups) - 1) != "engine-limiet-regels"  # with the first rule: MAX_RULES
    with pytest.raises(EngineLimitError) as caught:
        compile_kaart(_wide(groups, sum(groups)))
    assert caught.value.code == "engine-limiet-regels"
    assert (caught.value.problem.path, caught.value.problem.params) == (
        "/regels",
        {"aantal": str(MAX_RULES + 1), "grens": str(MAX_RULES)},
    )


def test_the_limit_of_a_closure_is_located_at_its_derived_fact() -> None:
    """'d' is derived by 13 rules of two derived facts each; 'niet d' holds where none of them
    does: 2^13 = 8,192 alternatives, more than durable-rules is given."""
    pairs = [(f"a{index}", f"b{index}") for index in range(13)]
    derived = ["d", *[name for pair in pairs for name in pair]]
    text = textwrap.dedent(
        """
        formaat: 1
        id: sluiting
        naam: Sluiting
        versie: "1"
        geldig_vanaf: "2025-01-01"
        feiten: [{id: x, soort: ja_nee, standaard: false, omschrijving: X.}]
        niveaus:
          - {id: "1", fase: 1, kleur: groen, naam: Een, omschrijving: Een.,
             rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                      bestuurlijke_verantwoordelijkheid: [o]}}
          - {id: "2", fase: 2, kleur: geel, naam: Twee, omschrijving: Twee.,
             rollen: {casusregie: [o], procesregie: [], operationele_verantwoordelijkheid: [o],
                      bestuurlijke_verantwoordelijkheid: [o]}}
        organisaties: [{id: o, naam: O}]
        actietypen: []
        """
    )
    text += "afgeleide_feiten:\n" + "".join(f"  - {{id: {name}, omschrijving: D.}}\n" for name in derived)
    text += "regels:\n"
    text += f"  - {{id: alle, toelichting: A., als: {{feit: x, is: true}}, dan: {{afleiden: [{', '.join(derived[1:])}]}}}}\n"
    text += "".join(
        f"  - {{id: d{i}, toelichting: D., als: {{alle: [{{afgeleid: {a}}}, {{afgeleid: {b}}}]}}, dan: {{afleiden: [d]}}}}\n"
        for i, (a, b) in enumerate(pairs)
    )
    text += "  - {id: niet-d, toelichting: N., als: {niet: {afgeleid: d}}, dan: {niveau: '2'}}\n"
    with pytest.raises(EngineLimitError) as caught:
        compile_kaart(ave_rules.loads(text, name="sluiting.yaml", engine="reference"))
    assert caught.value.code == "engine-limiet-alternatieven"
    assert caught.value.problem.path == "/afgeleide_feiten/0"


@pytest.mark.skipif(not durable_engine.available(), reason="durable-rules cannot be imported here")
def test_the_warning_for_a_case_durable_rules_fails_names_the_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    kaart = ave_rules.loads(GENERIC.read_text(encoding="utf-8") + "\n# mutanten\n", name="mutanten.yaml")
    assert kaart.evaluate({}).engine == "durable-rules"

    def broken(name: str, sid: str, fact: dict[str, Any]) -> NoReturn:
        raise RuntimeError("error code: 417")  # a code no other test uses: the warning is given once per message

    monkeypatch.setattr(durable_engine._host, "assert_fact", broken)
    with pytest.warns(ave_rules.EngineWarning) as caught:
        assert kaart.evaluate({"hulpvraag": True}).engine == "reference"
    (warning,) = [w for w in caught if issubclass(w.category, ave_rules.EngineWarning)]
    assert "kaart 'ave-generiek' (RuntimeError, code 417)" in str(warning.message)


def test_where_durable_rules_cannot_be_imported_asking_for_it_says_why() -> None:
    script = f"""
import sys
sys.modules["durable_rules_engine"] = None  # as on Python 3.13, where the import fails
import ave_rules
try:
    ave_rules.load({str(GENERIC)!r}, engine="durable-rules")
except ave_rules.EngineError as error:
    print(error.code, "|", error)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    code, message = result.stdout.strip().split(" | ")
    assert code == "engine-niet-beschikbaar"
    assert "(ModuleNotFoundError: import of durable" in message
