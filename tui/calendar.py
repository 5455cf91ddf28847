"""Flemish school calendar as pure functions (standard library only).

The rules follow the "School calendar" section of DOMAIN.md:

* Herfstvakantie: the week (Mon-Sun) containing 1 November; if 1 November is a
  Sunday, the week from Monday 2 November.
* Wapenstilstand: 11 November.
* Kerstvakantie: 2 weeks from the Monday of the week of 25 December; if
  25 December is a Saturday or Sunday, from the Monday after.
* Krokusvakantie: 1 week from the 7th Monday before Easter.
* Paasvakantie: 2 weeks from the 1st Monday of April. If Easter falls in March,
  from the Monday after Easter; if Easter is after 15 April, from the 2nd Monday
  before Easter, with Easter Monday added.
* Zomervakantie: 1 July - 31 August.
* Free days: Easter Monday, 1 May, Ascension Day and the day after, Whit Monday.

A school year is identified by the calendar year in which it starts: school
year 2025 runs from September 2025 up to and including August 2026. Lessons run
from 1 September (next Monday if that is a weekend) up to 30 June. Wednesday
afternoon has no lessons, so a Wednesday counts as one half-day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ONE_DAY = timedelta(days=1)
DEFAULT_FREE_DAY_NAME = "Vrije dag"

# A school's own free day: a single date or an inclusive (start, end, name) range.
FreeDay = date | tuple[date, date, str]


@dataclass(frozen=True)
class Holiday:
    """A holiday or free day, from `start` up to and including `end`."""

    name: str
    start: date
    end: date

    def __contains__(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def days(self) -> int:
        """Number of calendar days covered."""
        return (self.end - self.start).days + 1


def easter(year: int) -> date:
    """Easter Sunday of `year` (Anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (name from the algorithm)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def school_year_of(d: date) -> int:
    """The calendar year in which the school year containing `d` started.

    September 2025 up to and including August 2026 -> 2025.
    """
    return d.year if d.month >= 9 else d.year - 1


def school_year_start(year: int) -> date:
    """First day of lessons: 1 September of `year`, or the next Monday if a weekend."""
    d = date(year, 9, 1)
    while d.weekday() >= 5:
        d += ONE_DAY
    return d


def school_year_end(year: int) -> date:
    """Last day of lessons: 30 June of `year + 1`."""
    return date(year + 1, 6, 30)


def _monday_of(d: date) -> date:
    """The Monday of the (Mon-Sun) week containing `d`."""
    return d - timedelta(days=d.weekday())


def _weeks(name: str, first_monday: date, weeks: int) -> Holiday:
    """A holiday of `weeks` whole weeks starting on `first_monday`."""
    return Holiday(name, first_monday, first_monday + timedelta(weeks=weeks, days=-1))


def _day(name: str, d: date) -> Holiday:
    return Holiday(name, d, d)


def _autumn(year: int) -> Holiday:
    nov1 = date(year, 11, 1)
    monday = nov1 + ONE_DAY if nov1.weekday() == 6 else _monday_of(nov1)
    return _weeks("Herfstvakantie", monday, 1)


def _christmas(year: int) -> Holiday:
    xmas = date(year, 12, 25)
    if xmas.weekday() >= 5:  # Saturday or Sunday: from the Monday after
        monday = xmas + timedelta(days=7 - xmas.weekday())
    else:
        monday = _monday_of(xmas)
    return _weeks("Kerstvakantie", monday, 2)


def _easter_holidays(spring_year: int) -> list[Holiday]:
    """Paasvakantie, plus a separate Paasmaandag only if it is not already covered."""
    sunday = easter(spring_year)
    easter_monday = sunday + ONE_DAY
    if sunday.month == 3:
        monday = easter_monday
    elif sunday > date(spring_year, 4, 15):
        monday = sunday - timedelta(days=13)  # 2nd Monday before Easter
    else:
        monday = _monday_of(date(spring_year, 4, 7))  # 1st Monday of April
    vacation = _weeks("Paasvakantie", monday, 2)
    if vacation.end + ONE_DAY == easter_monday:
        # Easter after 15 April: Easter Monday is added to the vacation.
        return [Holiday(vacation.name, vacation.start, easter_monday)]
    if easter_monday in vacation:
        return [vacation]
    return [vacation, _day("Paasmaandag", easter_monday)]


def _extra(item: FreeDay) -> Holiday:
    """A school's own free day (single date or (start, end, name)) as a Holiday."""
    if isinstance(item, tuple):
        start, end, name = item
        return Holiday(name, start, end)
    return _day(DEFAULT_FREE_DAY_NAME, item)


def holidays(year: int, extra_free_days: Iterable[FreeDay] = ()) -> list[Holiday]:
    """All holidays and free days of school year `year`, sorted by start.

    `extra_free_days` are a school's own free days and study days: single dates
    or inclusive `(start, end, name)` ranges (see `parse_free_days`).
    """
    spring = year + 1
    sunday = easter(spring)
    result = [
        _autumn(year),
        _day("Wapenstilstand", date(year, 11, 11)),
        _christmas(year),
        _weeks("Krokusvakantie", sunday - timedelta(days=48), 1),
        *_easter_holidays(spring),
        _day("Dag van de Arbeid", date(spring, 5, 1)),
        _day("O.-L.-H.-Hemelvaart", sunday + timedelta(days=39)),
        _day("Brugdag na Hemelvaart", sunday + timedelta(days=40)),
        _day("Pinkstermaandag", sunday + timedelta(days=50)),
        Holiday("Zomervakantie", date(spring, 7, 1), date(spring, 8, 31)),
    ]
    result.extend(_extra(item) for item in extra_free_days)
    return sorted(result, key=lambda h: (h.start, -h.days))


class SchoolCalendar:
    """School days and half-days of one school year, including a school's own free days."""

    def __init__(self, year: int, extra_free_days: Iterable[FreeDay] = ()):
        self.year = year
        self.start = school_year_start(year)
        self.end = school_year_end(year)
        self.holidays = holidays(year, extra_free_days)
        self._free: set[date] = set()
        for h in self.holidays:
            self._free.update(h.start + timedelta(days=i) for i in range(h.days))

    def holiday_on(self, d: date) -> Holiday | None:
        """The holiday or free day covering `d` (longest first if several), else None."""
        return next((h for h in self.holidays if d in h), None)

    def is_school_day(self, d: date) -> bool:
        """A weekday within start..end that is not a holiday or free day."""
        return self.start <= d <= self.end and d.weekday() < 5 and d not in self._free

    def halfdays_on(self, d: date) -> tuple[str, ...]:
        """() on a non-school day, ("VM",) on Wednesday, ("VM", "NM") otherwise."""
        if not self.is_school_day(d):
            return ()
        return ("VM",) if d.weekday() == 2 else ("VM", "NM")

    def school_days(self, until: date | None = None) -> list[date]:
        """School days from the start up to and including `until` (clipped to the end)."""
        return self._school_days_between(self.start, until)

    def _school_days_between(self, frm: date | None, until: date | None) -> list[date]:
        d = max(frm or self.start, self.start)
        last = min(until or self.end, self.end)
        days = []
        while d <= last:
            if self.is_school_day(d):
                days.append(d)
            d += ONE_DAY
        return days

    def possible_halfdays(self, frm: date | None = None, until: date | None = None) -> int:
        """Number of half-days with lessons in frm..until (inclusive; Wednesday counts 1)."""
        return sum(len(self.halfdays_on(d)) for d in self._school_days_between(frm, until))

    def is_after_break(self, d: date) -> bool:
        """A school day whose previous calendar day is not a school day.

        True for Mondays after a weekend, the first day of the school year and
        the first day after a holiday or free day.
        """
        return self.is_school_day(d) and not self.is_school_day(d - ONE_DAY)

    def day_rows(self, until: date | None = None) -> list[tuple[date, int, bool, int]]:
        """Per school day: (date, number of half-days 1|2, is_after_break, ISO weekday 1..7)."""
        return [
            (d, len(self.halfdays_on(d)), self.is_after_break(d), d.isoweekday())
            for d in self.school_days(until)
        ]


def coerce_date(value: object) -> date | None:
    """A date from a date/datetime object (as tomllib returns them) or an ISO string;
    None when the value is not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _parse_date(value: object, what: str) -> date:
    """A date from an ISO string or a date/datetime object (as tomllib returns them)."""
    found = coerce_date(value)
    if found is not None:
        return found
    raise ValueError(f"Ongeldige datum voor {what}: {value!r} (verwacht JJJJ-MM-DD, bv. 2025-10-06)")


def parse_free_days(items: list) -> list[FreeDay]:
    """Convert the free days of the config TOML into the form `holidays()` accepts.

    Each item is a date ("2025-10-06" or a date object) or a table
    {from = "...", to = "...", name = "..."}; `to` defaults to `from` and
    `name` to "Vrije dag". Raises ValueError with a Dutch message on a bad item.
    """
    if items is None:
        return []
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"Vrije dagen moeten een lijst zijn, niet {items!r}")
    result: list[FreeDay] = []
    for n, item in enumerate(items, start=1):
        what = f"vrije dag {n}"
        if isinstance(item, dict):
            unknown = set(item) - {"from", "to", "name"}
            if unknown:
                raise ValueError(f"Onbekende sleutel(s) bij {what}: {', '.join(sorted(unknown))} "
                                 "(toegelaten: from, to, name)")
            if "from" not in item:
                raise ValueError(f"Bij {what} ontbreekt 'from' (de begindatum)")
            start = _parse_date(item["from"], f"{what} ('from')")
            end = _parse_date(item.get("to", start), f"{what} ('to')")
            name = item.get("name", DEFAULT_FREE_DAY_NAME)
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"Ongeldige naam bij {what}: {name!r}")
            if end < start:
                raise ValueError(f"Bij {what} ligt 'to' ({end}) vóór 'from' ({start})")
            result.append((start, end, name.strip()))
        else:
            result.append(_parse_date(item, what))
    return result
