"""Tests for zorgoverleg.calendar: Flemish school holidays, school days and half-days.

Expected dates are written out by hand (from DOMAIN.md and the published
Flemish calendars), not recomputed with the module's own helpers.
"""

import tomllib
from datetime import date, datetime, timedelta

import pytest

from zorgoverleg.calendar import (
    Holiday,
    SchoolCalendar,
    easter,
    holidays,
    parse_free_days,
    school_year_end,
    school_year_of,
    school_year_start,
)

D = date


def by_name(year, extra=()):
    """Holidays of school year `year` as {name: (start, end)} (names are unique without extras)."""
    result = {}
    for h in holidays(year, extra):
        assert h.name not in result, f"duplicate holiday {h.name}"
        result[h.name] = (h.start, h.end)
    return result


# --- Easter -----------------------------------------------------------------

@pytest.mark.parametrize("expected", [
    D(2024, 3, 31), D(2025, 4, 20), D(2026, 4, 5), D(2027, 3, 28), D(2038, 4, 25),
    D(2019, 4, 21), D(2000, 4, 23), D(2008, 3, 23), D(2011, 4, 24), D(2022, 4, 17),
    D(1818, 3, 22), D(2285, 3, 22), D(1943, 4, 25),
])
def test_easter_computus(expected):
    assert easter(expected.year) == expected


def test_easter_is_always_a_sunday_between_22_march_and_25_april():
    for year in range(1900, 2200):
        e = easter(year)
        assert e.weekday() == 6
        assert D(year, 3, 22) <= e <= D(year, 4, 25)


# --- School year boundaries -------------------------------------------------

@pytest.mark.parametrize("d, year", [
    (D(2025, 9, 1), 2025), (D(2026, 1, 15), 2025), (D(2026, 6, 30), 2025),
    (D(2026, 8, 31), 2025), (D(2025, 8, 31), 2024), (D(2025, 12, 31), 2025),
])
def test_school_year_of(d, year):
    assert school_year_of(d) == year


@pytest.mark.parametrize("year, start", [
    (2024, D(2024, 9, 2)),   # 1 Sep 2024 is a Sunday
    (2025, D(2025, 9, 1)),   # Monday
    (2026, D(2026, 9, 1)),   # Tuesday
    (2029, D(2029, 9, 3)),   # Saturday -> Monday
])
def test_school_year_start(year, start):
    assert school_year_start(year) == start


def test_school_year_end():
    assert school_year_end(2025) == D(2026, 6, 30)


# --- Holidays per school year -----------------------------------------------

def test_holidays_2024_25_match_domain_doc():
    assert by_name(2024) == {
        "Herfstvakantie": (D(2024, 10, 28), D(2024, 11, 3)),
        "Wapenstilstand": (D(2024, 11, 11), D(2024, 11, 11)),
        "Kerstvakantie": (D(2024, 12, 23), D(2025, 1, 5)),
        "Krokusvakantie": (D(2025, 3, 3), D(2025, 3, 9)),
        # Easter 20 April (after 15 April): from the 2nd Monday before Easter,
        # two weeks (7-20 April) plus Easter Monday 21 April.
        "Paasvakantie": (D(2025, 4, 7), D(2025, 4, 21)),
        "Dag van de Arbeid": (D(2025, 5, 1), D(2025, 5, 1)),
        "O.-L.-H.-Hemelvaart": (D(2025, 5, 29), D(2025, 5, 29)),
        "Brugdag na Hemelvaart": (D(2025, 5, 30), D(2025, 5, 30)),
        "Pinkstermaandag": (D(2025, 6, 9), D(2025, 6, 9)),
        "Zomervakantie": (D(2025, 7, 1), D(2025, 8, 31)),
    }


def test_holidays_2025_26():
    assert by_name(2025) == {
        "Herfstvakantie": (D(2025, 10, 27), D(2025, 11, 2)),  # 1 Nov is a Saturday
        "Wapenstilstand": (D(2025, 11, 11), D(2025, 11, 11)),
        "Kerstvakantie": (D(2025, 12, 22), D(2026, 1, 4)),
        "Krokusvakantie": (D(2026, 2, 16), D(2026, 2, 22)),
        "Paasvakantie": (D(2026, 4, 6), D(2026, 4, 19)),  # 1st Monday of April
        "Dag van de Arbeid": (D(2026, 5, 1), D(2026, 5, 1)),
        "O.-L.-H.-Hemelvaart": (D(2026, 5, 14), D(2026, 5, 14)),
        "Brugdag na Hemelvaart": (D(2026, 5, 15), D(2026, 5, 15)),
        "Pinkstermaandag": (D(2026, 5, 25), D(2026, 5, 25)),
        "Zomervakantie": (D(2026, 7, 1), D(2026, 8, 31)),
    }


def test_holidays_2026_27_autumn_on_sunday_and_easter_in_march():
    h = by_name(2026)
    assert h["Herfstvakantie"] == (D(2026, 11, 2), D(2026, 11, 8))  # 1 Nov 2026 is a Sunday
    assert h["Kerstvakantie"] == (D(2026, 12, 21), D(2027, 1, 3))
    assert h["Krokusvakantie"] == (D(2027, 2, 8), D(2027, 2, 14))
    assert h["Paasvakantie"] == (D(2027, 3, 29), D(2027, 4, 11))  # Easter 28 March
    assert h["Pinkstermaandag"] == (D(2027, 5, 17), D(2027, 5, 17))


@pytest.mark.parametrize("year, start, end", [
    (2021, D(2021, 12, 27), D(2022, 1, 9)),   # 25 Dec 2021 is a Saturday
    (2022, D(2022, 12, 26), D(2023, 1, 8)),   # 25 Dec 2022 is a Sunday
    (2027, D(2027, 12, 27), D(2028, 1, 9)),   # Saturday again
])
def test_christmas_when_25_december_is_in_a_weekend(year, start, end):
    assert by_name(year)["Kerstvakantie"] == (start, end)


@pytest.mark.parametrize("year, start, end", [
    (2023, D(2024, 4, 1), D(2024, 4, 14)),    # Easter 31 March -> Monday after Easter
    (2015, D(2016, 3, 28), D(2016, 4, 10)),   # Easter 27 March
    (2018, D(2019, 4, 8), D(2019, 4, 22)),    # Easter 21 April -> + Easter Monday
    (2021, D(2022, 4, 4), D(2022, 4, 18)),    # Easter 17 April -> + Easter Monday
    (2037, D(2038, 4, 12), D(2038, 4, 26)),   # Easter 25 April (latest possible)
])
def test_easter_holiday_edge_cases(year, start, end):
    assert by_name(year)["Paasvakantie"] == (start, end)


def test_easter_monday_and_fixed_free_days_are_always_free():
    for year in range(1990, 2100):
        cal = SchoolCalendar(year)
        e = easter(year + 1)
        for d in (e + timedelta(days=1), D(year, 11, 11), D(year + 1, 5, 1)):
            assert cal.holiday_on(d) is not None, (year, d)
        assert not cal.is_school_day(D(year, 11, 11))


def test_holidays_are_sorted_and_include_extra_days():
    extra = [D(2025, 10, 6), (D(2026, 3, 11), D(2026, 3, 13), "Studiedagen")]
    hs = holidays(2025, extra)
    assert [h.start for h in hs] == sorted(h.start for h in hs)
    assert Holiday("Vrije dag", D(2025, 10, 6), D(2025, 10, 6)) in hs
    assert Holiday("Studiedagen", D(2026, 3, 11), D(2026, 3, 13)) in hs
    assert len(hs) == len(holidays(2025)) + 2


# --- SchoolCalendar -----------------------------------------------------------

def test_calendar_attributes():
    cal = SchoolCalendar(2024)
    assert (cal.year, cal.start, cal.end) == (2024, D(2024, 9, 2), D(2025, 6, 30))


def test_is_school_day_and_holiday_on():
    cal = SchoolCalendar(2024)
    assert cal.is_school_day(D(2024, 9, 2))
    assert not cal.is_school_day(D(2024, 9, 1))       # Sunday, before the start
    assert not cal.is_school_day(D(2024, 9, 7))       # Saturday
    assert not cal.is_school_day(D(2024, 10, 30))     # autumn holiday
    assert not cal.is_school_day(D(2025, 4, 21))      # Easter Monday
    assert cal.is_school_day(D(2025, 6, 30))          # last day
    assert not cal.is_school_day(D(2025, 7, 1))
    assert cal.holiday_on(D(2024, 11, 11)).name == "Wapenstilstand"
    assert cal.holiday_on(D(2024, 12, 25)).name == "Kerstvakantie"
    assert cal.holiday_on(D(2025, 4, 21)).name == "Paasvakantie"
    assert cal.holiday_on(D(2025, 7, 15)).name == "Zomervakantie"
    assert cal.holiday_on(D(2024, 9, 10)) is None


def test_halfdays_on():
    cal = SchoolCalendar(2024)
    assert cal.halfdays_on(D(2024, 9, 4)) == ("VM",)          # Wednesday
    assert cal.halfdays_on(D(2024, 9, 5)) == ("VM", "NM")     # Thursday
    assert cal.halfdays_on(D(2024, 9, 7)) == ()               # Saturday
    assert cal.halfdays_on(D(2024, 10, 30)) == ()             # Wednesday in a holiday


def test_school_day_and_halfday_counts_2024_25():
    cal = SchoolCalendar(2024)
    # 216 weekdays from 2 Sep 2024 to 30 Jun 2025, minus 36 weekday holidays.
    assert len(cal.school_days()) == 180
    # 37 school Wednesdays count one half-day each.
    assert cal.possible_halfdays() == 2 * 180 - 37
    # September 2024: 21 school days, 4 of them Wednesdays.
    assert len(cal.school_days(D(2024, 9, 30))) == 21
    assert cal.possible_halfdays(until=D(2024, 9, 30)) == 38
    assert cal.possible_halfdays(D(2024, 11, 4), D(2024, 11, 15)) == 2 * 9 - 2  # without 11 Nov


def test_school_day_counts_2025_26_with_extra_free_days():
    assert len(SchoolCalendar(2025).school_days()) == 182
    assert SchoolCalendar(2025).possible_halfdays() == 2 * 182 - 37
    extra = [D(2025, 10, 6), (D(2026, 3, 11), D(2026, 3, 13), "Studiedagen")]  # Mon; Wed-Fri
    cal = SchoolCalendar(2025, extra)
    assert len(cal.school_days()) == 182 - 4
    assert cal.possible_halfdays() == 2 * 182 - 37 - (2 + 1 + 2 + 2)
    assert cal.holiday_on(D(2026, 3, 12)).name == "Studiedagen"
    assert cal.holiday_on(D(2025, 10, 6)).name == "Vrije dag"
    assert cal.is_after_break(D(2025, 10, 7))
    assert cal.is_after_break(D(2026, 3, 16))


def test_school_days_clipping():
    cal = SchoolCalendar(2024)
    assert cal.school_days(D(2024, 8, 15)) == []
    assert cal.school_days(D(2030, 1, 1)) == cal.school_days()
    assert cal.school_days()[0] == D(2024, 9, 2)
    assert cal.school_days()[-1] == D(2025, 6, 30)
    assert cal.possible_halfdays(D(2025, 7, 1), D(2025, 8, 31)) == 0


@pytest.mark.parametrize("d, expected", [
    (D(2024, 9, 2), True),     # first day of the school year
    (D(2024, 9, 3), False),
    (D(2024, 9, 5), False),    # Thursday after a Wednesday (still a school day)
    (D(2024, 9, 9), True),     # Monday after a weekend
    (D(2024, 11, 4), True),    # after the autumn holiday
    (D(2024, 11, 12), True),   # Tuesday after Wapenstilstand (Monday)
    (D(2025, 1, 6), True),     # after Christmas
    (D(2025, 4, 22), True),    # Tuesday after Easter Monday
    (D(2025, 5, 2), True),     # Friday after 1 May
    (D(2025, 5, 29), False),   # Ascension Day itself is no school day
    (D(2025, 6, 2), True),     # Monday after the Ascension bridge day
    (D(2025, 6, 10), True),    # Tuesday after Whit Monday
])
def test_is_after_break(d, expected):
    assert SchoolCalendar(2024).is_after_break(d) is expected


def test_day_rows():
    rows = SchoolCalendar(2024).day_rows(D(2024, 9, 10))
    assert rows == [
        (D(2024, 9, 2), 2, True, 1),
        (D(2024, 9, 3), 2, False, 2),
        (D(2024, 9, 4), 1, False, 3),
        (D(2024, 9, 5), 2, False, 4),
        (D(2024, 9, 6), 2, False, 5),
        (D(2024, 9, 9), 2, True, 1),
        (D(2024, 9, 10), 2, False, 2),
    ]
    assert len(SchoolCalendar(2024).day_rows()) == 180


# --- parse_free_days --------------------------------------------------------

def test_parse_free_days_strings_dates_and_tables():
    items = [
        "2025-10-06",
        D(2025, 11, 12),
        {"from": "2026-03-11", "to": "2026-03-13", "name": "Studiedagen"},
        {"from": D(2026, 5, 4)},
    ]
    assert parse_free_days(items) == [
        D(2025, 10, 6),
        D(2025, 11, 12),
        (D(2026, 3, 11), D(2026, 3, 13), "Studiedagen"),
        (D(2026, 5, 4), D(2026, 5, 4), "Vrije dag"),
    ]
    assert parse_free_days([]) == []


def test_parse_free_days_from_toml():
    doc = tomllib.loads(
        'free_days = [2025-10-06, "2025-11-12", '
        '{ from = 2026-02-11, to = 2026-02-13, name = "Pedagogische studiedag" }]'
    )
    parsed = parse_free_days(doc["free_days"])
    assert parsed == [D(2025, 10, 6), D(2025, 11, 12),
                      (D(2026, 2, 11), D(2026, 2, 13), "Pedagogische studiedag")]
    assert len(SchoolCalendar(2025, parsed).school_days()) == 182 - 1 - 1 - 3
    assert parse_free_days([datetime(2025, 10, 6, 8, 30)]) == [D(2025, 10, 6)]


@pytest.mark.parametrize("bad", [
    ["2025-13-01"],
    ["6/10/2025"],
    [42],
    [{"to": "2025-10-06"}],
    [{"from": "2025-10-08", "to": "2025-10-06"}],
    [{"from": "2025-10-06", "naam": "x"}],
    [{"from": "2025-10-06", "name": ""}],
    "2025-10-06",
])
def test_parse_free_days_rejects_bad_items(bad):
    with pytest.raises(ValueError):
        parse_free_days(bad)


def test_parse_free_days_message_is_dutch_and_points_at_item():
    with pytest.raises(ValueError, match=r"Ongeldige datum voor vrije dag 2"):
        parse_free_days(["2025-10-06", "morgen"])
