"""Time in a decision: termijnen of actions, the next evaluatiemoment, the kaart's calendar and
the peildatum a case is decided on."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ave_rules
from ave_rules import PeildatumError, RegiekaartError
from ave_rules.kaart import FIRST_DAY, Calendar, atw_holidays, decision_schema
from ave_rules.testing.strategies import case_facts, kaart_documents

ROOT = Path(__file__).resolve().parents[1]
SMALL = (ROOT / "docs" / "voorbeelden" / "kleine-kaart.yaml").read_text(encoding="utf-8")
D = datetime.date


def easter(year: int) -> D:
    """Easter Sunday (the anonymous Gregorian algorithm), to hold the holiday package to."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return D(year, month, day + 1)


@pytest.mark.parametrize("year", range(2000, 2041))
def test_the_holidays_are_those_of_the_algemene_termijnenwet(year: int) -> None:
    """Article 3: Nieuwjaarsdag, Goede Vrijdag, Paasdagen, Koningsdag, 5 mei (every year),
    Hemelvaartsdag, Pinksterdagen, Kerstdagen; Koningsdag (from 2014) on 26 April when 27 April is
    a Sunday, Koninginnedag before that on 30 April (29 April when 30 April is a Sunday)."""
    sunday = easter(year)
    if year >= 2014:
        kings_day = D(year, 4, 27) if D(year, 4, 27).weekday() != 6 else D(year, 4, 26)
    else:
        kings_day = D(year, 4, 30) if D(year, 4, 30).weekday() != 6 else D(year, 4, 29)
    expected = {
        D(year, 1, 1),
        sunday - datetime.timedelta(days=2),
        sunday,
        sunday + datetime.timedelta(days=1),
        kings_day,
        D(year, 5, 5),
        sunday + datetime.timedelta(days=39),
        sunday + datetime.timedelta(days=49),
        sunday + datetime.timedelta(days=50),
        D(year, 12, 25),
        D(year, 12, 26),
    }
    assert atw_holidays(year) == expected


ATW = Calendar("algemene_termijnenwet")


@pytest.mark.parametrize(
    "start, end, why",
    [
        (D(2026, 4, 1), D(2026, 4, 10), "Goede Vrijdag and Tweede Paasdag skipped"),
        (D(2026, 4, 30), D(2026, 5, 8), "5 May skipped in a year that is no lustrum"),
        (D(2026, 4, 24), D(2026, 5, 4), "Koningsdag on a Monday skipped"),
        (D(2026, 5, 13), D(2026, 5, 21), "Hemelvaartsdag skipped"),
        (D(2026, 12, 22), D(2026, 12, 30), "both Kerstdagen fall out, one on a Saturday"),
        (D(2026, 12, 28), D(2027, 1, 5), "Nieuwjaarsdag skipped"),
        (D(2026, 12, 4), D(2026, 12, 11), "a plain week: Friday to Friday"),
        (D(2026, 12, 5), D(2026, 12, 11), "from a Saturday: the first werkdag is Monday"),
    ],
)
def test_five_werkdagen_as_veilig_thuis_and_the_zvh_count_them(start: D, end: D, why: str) -> None:
    """Veilig Thuis triages within five werkdagen (https://www.meldcode.nu/triage/); ZVH Parkstad
    contacts the aanmelder within five werkdagen (https://www.veiligheidshuisparkstad.nl/casus-aanmelden/)."""
    assert ATW.end(start, 5, "werkdagen") == end, why


def test_a_closed_day_of_the_kaart_counts_as_a_holiday() -> None:
    friday_after_ascension = D(2026, 5, 15)
    assert Calendar("algemene_termijnenwet", frozenset({friday_after_ascension})).end(
        D(2026, 5, 13), 5, "werkdagen"
    ) == D(2026, 5, 22)
    assert Calendar("geen").end(D(2026, 4, 1), 5, "werkdagen") == D(2026, 4, 8)  # no holidays, weekends only


@pytest.mark.parametrize(
    "start, amount, unit, end",
    [
        (D(2026, 1, 31), 1, "maanden", D(2026, 3, 2)),  # the month's last day, 28 February, is a Saturday
        (D(2026, 3, 31), 1, "maanden", D(2026, 4, 30)),
        (D(2026, 4, 20), 1, "weken", D(2026, 4, 28)),  # Monday 27 April is Koningsdag
        (D(2026, 12, 20), 6, "kalenderdagen", D(2026, 12, 28)),  # the 26th is a Saturday, the 27th a Sunday
        (D(2025, 12, 31), 12, "maanden", D(2026, 12, 31)),
    ],
)
def test_calendar_units_end_on_the_next_werkdag(start: D, amount: int, unit: Any, end: D) -> None:
    assert ATW.end(start, amount, unit) == end


days = st.dates(min_value=FIRST_DAY, max_value=D(9990, 12, 31))
terms = st.sampled_from(["werkdagen", "kalenderdagen", "weken", "maanden"]).flatmap(
    lambda unit: st.tuples(
        st.integers(1, {"werkdagen": 260, "kalenderdagen": 366, "weken": 52, "maanden": 12}[unit]), st.just(unit)
    )
)
closed_days = st.frozensets(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), max_size=20)


@given(start=days, term=terms, closed=closed_days, holiday_set=st.sampled_from(["algemene_termijnenwet", "geen"]))
def test_a_termijn_ends_on_a_werkdag_after_the_peildatum(
    start: D, term: tuple[int, Any], closed: frozenset[D], holiday_set: Any
) -> None:
    calendar = Calendar(holiday_set, closed)
    amount, unit = term
    end = calendar.end(start, amount, unit)
    assert end > start and calendar.is_working_day(end)
    if unit == "werkdagen":
        between = (start + datetime.timedelta(days=n) for n in range(1, (end - start).days + 1))
        assert sum(calendar.is_working_day(day) for day in between) == amount
    elif unit == "maanden":
        assert 28 * amount <= (end - start).days <= 31 * amount + 4  # a month's end, moved over a weekend
    else:
        nominal = start + datetime.timedelta(days=amount * (7 if unit == "weken" else 1))
        skipped = (nominal + datetime.timedelta(days=n) for n in range((end - nominal).days))
        assert end >= nominal and not any(calendar.is_working_day(day) for day in skipped)


@given(first=days, later=st.integers(0, 400), term=terms)
def test_a_later_peildatum_never_ends_a_termijn_earlier(first: D, later: int, term: tuple[int, Any]) -> None:
    amount, unit = term
    assert ATW.end(first, amount, unit) <= ATW.end(first + datetime.timedelta(days=later), amount, unit)


# --- in a kaart ---------------------------------------------------------------------------------

TIMED = SMALL.replace(
    "    tekst: Meld de casus aan bij {doel}.\n",
    "    tekst: Meld de casus aan bij {doel}.\n    termijn: {aantal: 5, eenheid: werkdagen}\n",
    1,
).replace(
    '  - id: "3"\n',
    '  - id: "3"\n    evaluatiemoment: {aantal: 6, eenheid: weken}\n',
    1,
)
THREE = {"huidige_fase": "2", "hulpvraag": True, "kolommen": ["zorg", "veiligheid"], "veiligheidsrisico": "structureel"}


@pytest.fixture(scope="module")
def timed() -> ave_rules.Regiekaart:
    return ave_rules.loads(TIMED, "tijd.yaml")


def test_actions_carry_their_due_date_and_the_decision_its_next_evaluatiemoment(timed: ave_rules.Regiekaart) -> None:
    decision = timed.evaluate(THREE, D(2026, 4, 1))
    assert decision.level == "3" and decision.reference_date == D(2026, 4, 1)
    due = {action.type: action.due for action in decision.actions}
    assert due == {"opschalen": None, "aanmelden": D(2026, 4, 10)}
    assert decision.next_evaluation == D(2026, 5, 13)
    jsonschema.validate(json.loads(decision.model_dump_json()), decision_schema())


def test_the_peildatum_defaults_to_today_in_amsterdam(timed: ave_rules.Regiekaart) -> None:
    from zoneinfo import ZoneInfo

    before = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    decided = timed.evaluate(THREE).reference_date
    assert before <= decided <= datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def test_another_day_is_another_decision_the_same_day_the_same(timed: ave_rules.Regiekaart) -> None:
    first = timed.evaluate(THREE, D(2026, 4, 1))
    assert timed.evaluate(dict(THREE), D(2026, 4, 1)) is first
    later = timed.evaluate(THREE, D(2026, 4, 2))
    assert later.reference_date == D(2026, 4, 2) and later.level == first.level
    assert [a.due for a in later.actions] == [None, D(2026, 4, 13)]
    assert timed.evaluate_many([THREE, {}], D(2026, 4, 2))[0] == later


@pytest.mark.parametrize(
    "on, code",
    [
        (datetime.datetime(2026, 4, 1, 12, 0), "peildatum-geen-datum"),
        ("2026-04-01", "peildatum-geen-datum"),
        (20260401, "peildatum-geen-datum"),
        (D(1899, 12, 31), "peildatum-buiten-bereik"),
        (D(9999, 12, 31), "peildatum-buiten-bereik"),
    ],
)
def test_a_peildatum_that_is_no_usable_date_is_refused(timed: ave_rules.Regiekaart, on: Any, code: str) -> None:
    with pytest.raises(PeildatumError) as refused:
        timed.evaluate(THREE, on)
    assert refused.value.code == code and "2026" not in str(refused.value)


@pytest.mark.parametrize(
    "change, code, path",
    [
        (
            "termijn: {aantal: 5, eenheid: werkdagen}",
            "termijn: {aantal: 0, eenheid: werkdagen}",
            "/actietypen/1/termijn/aantal",
        ),
        (
            "termijn: {aantal: 5, eenheid: werkdagen}",
            "termijn: {aantal: 13, eenheid: maanden}",
            "/actietypen/1/termijn/aantal",
        ),
        (
            "termijn: {aantal: 5, eenheid: werkdagen}",
            "termijn: {aantal: 5, eenheid: uren}",
            "/actietypen/1/termijn/eenheid",
        ),
    ],
)
def test_a_termijn_that_cannot_be_met_is_located(change: str, code: str, path: str) -> None:
    with pytest.raises(RegiekaartError) as refused:
        ave_rules.loads(TIMED.replace(change, code), "tijd.yaml")
    assert [problem.path for problem in refused.value.problems] == [path]


def test_a_closed_day_that_does_not_exist_is_located() -> None:
    text = TIMED.replace("actietypen:\n", "kalender:\n  gesloten_dagen: ['2026-05-15', '2026-02-30']\nactietypen:\n", 1)
    with pytest.raises(RegiekaartError) as refused:
        ave_rules.loads(text, "tijd.yaml")
    assert [(p.code, p.path) for p in refused.value.problems] == [("ongeldige-datum", "/kalender/gesloten_dagen/1")]
    kaart = ave_rules.loads(text.replace(", '2026-02-30'", ""), "tijd.yaml")
    assert [a.due for a in kaart.evaluate(THREE, D(2026, 5, 13)).actions] == [None, D(2026, 5, 22)]


def test_an_extending_kaart_takes_the_calendar_of_its_base_unless_it_gives_its_own(tmp_path: Path) -> None:
    base = TIMED.replace("actietypen:\n", "kalender:\n  gesloten_dagen: ['2026-05-15']\nactietypen:\n", 1)
    (tmp_path / "basis.yaml").write_text(base, encoding="utf-8")
    child = "formaat: 1\nid: kind\nnaam: Kind\nversie: '1'\ngeldig_vanaf: '2025-01-01'\nbreidt_uit: voorbeeld-klein\n"
    (tmp_path / "kind.yaml").write_text(child, encoding="utf-8")
    inherited = ave_rules.load(tmp_path / "kind.yaml")
    assert [a.due for a in inherited.evaluate(THREE, D(2026, 5, 13)).actions] == [None, D(2026, 5, 22)]
    (tmp_path / "kind.yaml").write_text(child + "kalender: {feestdagen: geen}\n", encoding="utf-8")
    own = ave_rules.load(tmp_path / "kind.yaml")
    assert [a.due for a in own.evaluate(THREE, D(2026, 5, 13)).actions] == [None, D(2026, 5, 20)]


def test_the_pages_show_the_dates(timed: ave_rules.Regiekaart) -> None:
    page = ave_rules.render_html(timed)
    assert "Evaluatiemoment" in page and "binnen 6 weken" in page
    decided = ave_rules.render_decision_html(timed, timed.evaluate(THREE, D(2026, 4, 1)))
    assert '<time datetime="2026-04-10">uiterlijk 2026-04-10</time>' in decided
    assert '<time datetime="2026-05-13">Volgend evaluatiemoment: uiterlijk 2026-05-13</time>' in decided
    untimed = ave_rules.loads(SMALL, "klein.yaml")
    plain = ave_rules.render_decision_html(untimed, untimed.evaluate(THREE, D(2026, 4, 1)))
    assert "uiterlijk" not in plain and plain.count("<time") == 1  # only the peildatum


def test_check_warns_of_a_level_without_evaluatiemoment_only_in_a_kaart_with_time(timed: ave_rules.Regiekaart) -> None:
    warned = [f.ids for f in ave_rules.check(timed).findings if f.code == "niveau-zonder-evaluatiemoment"]
    assert warned == [("2",)]  # level 1 is zelfregie (phase 1), level 3 has one
    untimed = ave_rules.loads(SMALL, "klein.yaml")
    assert not [f for f in ave_rules.check(untimed).findings if f.code == "niveau-zonder-evaluatiemoment"]


@settings(max_examples=examples(40, 150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), day=st.dates(D(2000, 1, 1), D(2040, 12, 31)))
def test_every_due_date_is_a_werkdag_after_the_peildatum_on_any_kaart(data: st.DataObject, day: D) -> None:
    document = data.draw(kaart_documents(max_facts=3, max_derived=1, max_rules=5), label="kaart")
    kaart = ave_rules.loads(yaml.safe_dump(document, allow_unicode=True), "gegenereerd.yaml", engine="reference")
    for facts in data.draw(st.lists(case_facts(kaart), min_size=1, max_size=5), label="cases"):
        decision = kaart.evaluate(facts, day)
        level = kaart.level_by_id[decision.level]
        assert decision.reference_date == day
        assert (decision.next_evaluation is None) == (level.evaluation is None)
        terms = {kind.id: kind.term for kind in kaart.action_types}
        for moment in (decision.next_evaluation, *(action.due for action in decision.actions)):
            if moment is not None:
                assert moment > day and kaart.working_days.is_working_day(moment)
        assert all((action.due is None) == (terms[action.type] is None) for action in decision.actions)


def test_deciding_with_termijnen_warns_of_nothing() -> None:
    """The calendar's dependency must not speak to a user: no warning on import or use."""
    script = (
        "import warnings, datetime; warnings.simplefilter('error')\n"
        "import ave_rules\n"
        f"k = ave_rules.loads({TIMED!r}, 'tijd.yaml', engine='reference')\n"
        f"print(k.evaluate({THREE!r}, datetime.date(2026, 4, 1)).actions[-1].due)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "2026-04-10", result.stderr[-2000:]
