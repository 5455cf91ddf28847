"""Tests for zorgoverleg.pupil: a pupil at a glance (calendar, codes, weekly trend, decisions).

Built on the synthetic sample school (sample_data/absences.csv) with today = 2026-03-13, the date
the sample stories are written for. Expected numbers come from zorgoverleg.sample_data/README.md.
"""

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import import_files
from zorgoverleg.pupil import (
    CalendarWeek,
    DayCell,
    initials,
    pupil_detail,
    sparkline,
    weekly_trends,
)

TODAY = date(2026, 3, 13)
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "absences.csv"
STORY_PUPILS = ["001001", "001002", "001003", "001004", "001005", "001006", "001008", "001009"]


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def db(tmp_path_factory, config):
    database = Database.open(tmp_path_factory.mktemp("pupil") / "school.duckdb")
    import_files(database, [SAMPLE], config)
    yield database
    database.close()


@pytest.fixture(scope="module")
def saneke(db, config):
    """001005: long illness on a medical certificate (D) from 12 January to the carnival holiday."""
    return pupil_detail(db, "001005", TODAY, config)


def cell_on(detail, day: date) -> DayCell:
    for week in detail.weeks:
        for cell in week.days:
            if cell.date == day:
                return cell
    raise AssertionError(f"{day} not in the calendar")


# --- calendar ---------------------------------------------------------------------------------

def test_calendar_shows_the_medical_certificate(saneke):
    cell = cell_on(saneke, date(2026, 1, 12))
    assert cell.school_day and not cell.future and cell.holiday is None
    assert (cell.vm, cell.nm) == ("D", "D")
    assert cell.vm_category == "law"
    # The day before the illness the pupil was present.
    before = cell_on(saneke, date(2026, 1, 9))
    assert (before.vm, before.nm) == (None, None)


def test_calendar_covers_the_school_year_in_weeks_of_five_days(saneke):
    assert all(isinstance(w, CalendarWeek) for w in saneke.weeks)
    assert saneke.weeks[0].monday == date(2025, 9, 1)
    assert saneke.weeks[-1].days[0].date <= date(2026, 6, 30) <= saneke.weeks[-1].days[-1].date
    for week in saneke.weeks:
        assert week.monday.weekday() == 0
        assert [c.date for c in week.days] == [week.monday + timedelta(days=i) for i in range(5)]
    mondays = [w.monday for w in saneke.weeks]
    assert mondays == sorted(mondays) and len(set(mondays)) == len(mondays)


def test_wednesday_afternoon_is_never_a_half_day(saneke):
    wednesdays = [w.days[2] for w in saneke.weeks]
    assert all(c.nm is None and not c.afternoon_lessons for c in wednesdays)
    # Wednesday morning still counts: 14 January is a D morning.
    assert cell_on(saneke, date(2026, 1, 14)).vm == "D"


def test_christmas_weeks_are_named_holidays(saneke):
    for monday in (date(2025, 12, 22), date(2025, 12, 29)):
        week = next(w for w in saneke.weeks if w.monday == monday)
        assert all(c.holiday == "Kerstvakantie" and not c.school_day for c in week.days)
        assert all(c.vm is None and c.nm is None for c in week.days)
    assert cell_on(saneke, date(2025, 11, 11)).holiday == "Wapenstilstand"
    assert cell_on(saneke, date(2025, 11, 12)).holiday is None


def test_nothing_is_shown_after_today(saneke):
    # The sample data runs on to June (a late event on 18 May), but the picture is as of today.
    late_in_may = cell_on(saneke, date(2026, 5, 18))
    assert late_in_may.future and late_in_may.nm is None
    assert not cell_on(saneke, TODAY).future
    assert cell_on(saneke, TODAY + timedelta(days=3)).future
    assert cell_on(saneke, date(2026, 3, 11)).vm == "L"  # late on Wednesday 11 March


# --- counts, trend, header data ---------------------------------------------------------------

def test_code_counts_add_up_to_the_list(db, config, saneke):
    assert saneke.code_counts[0] == ("D", "Z", "law", 45)
    assert ("L", "L", "late", 1) in saneke.code_counts
    counts = [n for *_, n in saneke.code_counts]
    assert counts == sorted(counts, reverse=True)
    for key in STORY_PUPILS:
        detail = pupil_detail(db, key, TODAY, config)
        assert sum(n for *_, n in detail.code_counts) == detail.row.absent_halfdays + detail.row.late, key


def test_subcodes_keep_their_raw_code(db, config):
    detail = pupil_detail(db, "001003", TODAY, config)
    raw = {r: (code, cat) for r, code, cat, _n in detail.code_counts}
    assert raw["B"] == ("B", "problematic")
    assert detail.row.b_halfdays == sum(n for _r, code, _c, n in detail.code_counts if code == "B")


def test_weekly_series_up_to_today(saneke):
    # 1 Sep 2025 .. week of 9 Mar 2026 = 28 Mondays, minus the full holiday weeks
    # (autumn 1, Christmas 2, carnival 1) = 24 school weeks.
    assert len(saneke.weekly) == 24
    assert len(saneke.week_starts) == 24
    assert saneke.week_starts[0] == date(2025, 9, 1) and saneke.week_starts[-1] == date(2026, 3, 9)
    assert sum(saneke.weekly) == saneke.row.absent_halfdays
    # Five full weeks on a medical certificate: 4 x 2 + Wednesday morning = 9 half-days each.
    start = saneke.week_starts.index(date(2026, 1, 12))
    assert saneke.weekly[start:start + 5] == [9, 9, 9, 9, 9]


def test_weekly_trends_agree_with_the_detail(db, config):
    trends = weekly_trends(db, TODAY, config)
    pupils = db.conn.execute("SELECT count(*) FROM pupils").fetchone()[0]
    assert len(trends) == pupils
    assert len({len(v) for v in trends.values()}) == 1  # same length for every pupil
    for key in ["001001", "001003", "001005", "001009"]:
        assert trends[key] == pupil_detail(db, key, TODAY, config).weekly, key
    # 001003: nothing until February, then only B, faster every week.
    assert trends["001003"][-5:] == [1, 2, 3, 4, 6]
    assert not any(trends["001003"][:-5])


def test_unknown_pupil_gives_none(db, config):
    assert pupil_detail(db, "999999", TODAY, config) is None


def test_works_with_a_cursor_from_another_thread(db, config, saneke):
    result = {}

    def worker():
        cursor = db.cursor()
        try:
            result["detail"] = pupil_detail(db, "001005", TODAY, config, cursor=cursor)
            result["trends"] = weekly_trends(db, TODAY, config, cursor=cursor)
        finally:
            cursor.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert result["detail"].code_counts == saneke.code_counts
    assert result["detail"].weekly == saneke.weekly == result["trends"]["001005"]


def test_agreements_and_reviews_newest_first(db, config):
    key = "001002"
    db.conn.execute(
        "INSERT INTO agreements VALUES (?, ?, 'a.toml', ?, ?, ?, ?)",
        [key, date(2026, 2, 2), "Ouders uitnodigen", "Leerlingbegeleider", date(2026, 2, 9), True],
    )
    db.conn.execute(
        "INSERT INTO agreements VALUES (?, ?, 'b.toml', ?, ?, ?, ?)",
        [key, date(2026, 3, 2), "Terugkeergesprek", "CLB", date(2026, 3, 20), False],
    )
    db.conn.execute("INSERT INTO reviews VALUES (?, ?, 'a.toml', ?, 1, 'An')", [key, date(2026, 2, 2), date(2026, 3, 2)])
    db.conn.execute("INSERT INTO reviews VALUES (?, ?, 'b.toml', ?, 1, 'An')", [key, date(2026, 3, 2), date(2026, 3, 30)])
    detail = pupil_detail(db, key, TODAY, config)
    assert [a[0] for a in detail.agreements] == [date(2026, 3, 2), date(2026, 2, 2)]
    assert detail.agreements[0] == (date(2026, 3, 2), "Terugkeergesprek", "CLB", date(2026, 3, 20), False)
    assert detail.reviews[0] == (date(2026, 3, 2), 1, "An", date(2026, 3, 30))
    assert len(detail.reviews) == 2
    assert pupil_detail(db, "001005", TODAY, config).agreements == []


# --- small helpers ----------------------------------------------------------------------------

def test_sparkline_shapes():
    assert sparkline([0, 0, 0], width=12) == "▁▁▁"
    assert sparkline([0] * 20) == "▁" * 12
    assert sparkline([]) == ""
    assert sparkline([1, 2, 3], width=2) == sparkline([2, 3])  # the last `width` values
    assert sparkline([9]) == "█"  # a full week (9 half-days) is the top
    assert sparkline([1]) == "▂"  # a single half-day stays visible
    line = sparkline(list(range(10)), width=10)
    assert len(line) == 10 and " " not in line
    assert list(line) == sorted(line)  # rising values, rising blocks
    assert set(sparkline([0, 3, 9, 12, 40])) <= set("▁▂▃▄▅▆▇█")


def test_initials():
    assert initials("Saneke", "Snaerkenhove") == "S.S."
    assert initials("Eltoëna", "De Drockie") == "E.D.D."
    assert initials("", "") == "?"
