"""When a termijn ends: days counted on a kaart's calendar.

A termijn counts from the day after the peildatum. In werkdagen it skips Saturdays, Sundays and
the calendar's closed days; in kalenderdagen, weken or maanden it counts every day, and an end
that falls on a closed day moves to the next working day, as article 1 of the Algemene
termijnenwet does for statutory termijnen (https://wetten.overheid.nl/BWBR0002448). A month
ends on the same day of the month, or on the month's last day when it is shorter (31 January
plus one month is 28 or 29 February).
"""

from __future__ import annotations

import calendar
import datetime
from functools import cache

from .. import _terms as t

#: The first and last peildatum a termijn can count from: the calendar and the date type end.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(9998, 12, 31)


@cache
def atw_holidays(year: int) -> frozenset[datetime.date]:
    """The algemeen erkende feestdagen of article 3 of the Algemene termijnenwet in ``year``:
    Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag, Koningsdag, 5 mei, Hemelvaartsdag,
    Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag. Days added by royal decree are not
    in it: a kaart lists those as its own closed days.

    From the ``holidays`` package, whose Dutch public category holds 5 May only in lustrum years;
    its optional category holds the other years' 5 May. Imported on first use: it takes longer to
    import than the rest of a kaart's reading, and most decisions need no calendar."""
    import holidays
    from holidays.constants import OPTIONAL, PUBLIC

    return frozenset(holidays.country_holidays("NL", years=year, categories=(PUBLIC, OPTIONAL)))


class Calendar:
    """Which days count as werkdagen for one kaart."""

    def __init__(self, holiday_set: t.HolidaySet, closed: frozenset[datetime.date] = frozenset()) -> None:
        self.holiday_set = holiday_set
        self.closed = closed

    def is_working_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5 or day in self.closed:
            return False
        return self.holiday_set != "algemene_termijnenwet" or day not in atw_holidays(day.year)

    def end(self, start: datetime.date, amount: int, unit: t.TimeUnit) -> datetime.date:
        """The last day of a termijn of ``amount`` ``unit`` that counts from the day after ``start``."""
        if unit == "werkdagen":
            day = start
            while amount:
                day += datetime.timedelta(days=1)
                amount -= self.is_working_day(day)
            return day
        if unit == "maanden":
            month = start.month - 1 + amount
            year, month = start.year + month // 12, month % 12 + 1
            day = start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))
        else:
            day = start + datetime.timedelta(days=amount * (7 if unit == "weken" else 1))
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day
