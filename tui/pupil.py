"""A pupil at a glance: the school-year calendar, codes, weekly trend, signals and earlier decisions.

Core module (never imports Textual): the UI calls these functions from a thread worker with its
own cursor and hands the result to ``screens.overview.PupilOverview``. Every statement comes from
``queries/``; the numbers agree with the prioritised list because both count the same school days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from zorgoverleg.calendar import SchoolCalendar
from zorgoverleg.codes import DEFAULT_CODES, base_code
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.signals import PupilRow, calendar_for, prioritised, school_days_table
from zorgoverleg.since import SinceDiscussed, since_discussed

WEEKDAYS = 5  # Monday..Friday
FULL_WEEK = 9  # possible half-days in a full school week (Wednesday afternoon has no lessons)
BARS = "▁▂▃▄▅▆▇█"


@dataclass
class DayCell:
    date: date
    school_day: bool
    holiday: str | None  # name of the holiday or free day, None on other days
    vm: str | None  # raw code of an absent or late morning, None when present (or unknown: future)
    nm: str | None  # same for the afternoon; always None on Wednesday (no lessons)
    future: bool  # after today: nothing known yet
    vm_category: str | None = None  # category of the vm code (zorgoverleg.codes.CATEGORIES), None when vm is None
    nm_category: str | None = None

    @property
    def afternoon_lessons(self) -> bool:
        """False on Wednesday: the afternoon has no lessons."""
        return self.date.weekday() != 2


@dataclass
class CalendarWeek:
    monday: date
    days: list[DayCell]  # Monday..Friday


@dataclass
class PupilDetail:
    row: PupilRow
    weeks: list[CalendarWeek]
    code_counts: list[tuple[str, str, str, int]]  # (raw_code, official code, category, half-days)
    weekly: list[int]  # absent half-days per school week up to today's week
    agreements: list[tuple]  # (meeting_date, what, who, due, done), newest meeting first
    reviews: list[tuple]  # (meeting_date, phase, pivot_person, next_review), newest first
    today: date | None = None
    week_starts: list[date] = field(default_factory=list)  # the Monday of each value in ``weekly``
    meanings: dict[str, str] = field(default_factory=dict)  # raw code -> meaning (Dutch)
    since: SinceDiscussed | None = None  # absences since the first agreement and before it


def initials(first: str, last: str) -> str:
    """Initials for the projector in privacy mode: ("Saneke", "Van de Velde") -> "S.V.d.V."."""
    parts = [p for p in f"{first} {last}".replace("-", " ").split() if p]
    return "".join(f"{p[0]}." for p in parts) or "?"


def school_weeks(calendar: SchoolCalendar, today: date) -> list[date]:
    """Mondays of the weeks with at least one school day, from the school-year start up to today."""
    return sorted({d - timedelta(days=d.weekday()) for d in calendar.school_days(today)})


def code_meaning(raw: str, meanings: dict[str, str] | None = None) -> str:
    """Dutch meaning of a raw code: a mapping's own wording first, then the built-in map."""
    meanings = meanings or {}
    for candidate in (raw, base_code(raw)):
        if meanings.get(candidate):
            return meanings[candidate]
        if candidate in DEFAULT_CODES:
            return DEFAULT_CODES[candidate].meaning
    return ""


def sparkline(values: list[int], width: int = 12, *, scale: int = FULL_WEEK) -> str:
    """The last ``width`` values as blocks, one per value.

    The scale is fixed (``scale`` half-days = a full week = '█') so sparklines of different pupils
    compare; 0 is '▁' and any absence is at least '▂', so a single half-day stays visible.
    """
    shown = values[-width:] if width > 0 else []
    out = []
    for value in shown:
        if value <= 0:
            out.append(BARS[0])
        else:
            level = math.ceil(min(value, scale) / scale * (len(BARS) - 1))
            out.append(BARS[max(1, level)])
    return "".join(out)


def _register_school_days(cursor, calendar: SchoolCalendar, today: date) -> None:
    cursor.register("school_days", school_days_table(calendar, today))


def _build_weeks(calendar: SchoolCalendar, today: date, marks: dict[tuple[date, str], tuple[str, str]]) -> list[CalendarWeek]:
    weeks = []
    monday = calendar.start - timedelta(days=calendar.start.weekday())
    while monday <= calendar.end:
        days = []
        for offset in range(WEEKDAYS):
            d = monday + timedelta(days=offset)
            holiday = calendar.holiday_on(d)
            vm = marks.get((d, "VM"))
            nm = marks.get((d, "NM")) if d.weekday() != 2 else None
            days.append(DayCell(
                date=d,
                school_day=calendar.is_school_day(d),
                holiday=holiday.name if holiday else None,
                vm=vm[0] if vm else None,
                nm=nm[0] if nm else None,
                future=d > today,
                vm_category=vm[1] if vm else None,
                nm_category=nm[1] if nm else None,
            ))
        weeks.append(CalendarWeek(monday, days))
        monday += timedelta(days=7)
    return weeks


def _weekly(db: Database, cursor, pupil_keys: list[str] | None) -> dict[str, list[int]]:
    rows = db.execute("weekly_absences", {"pupil_keys": pupil_keys}, cursor=cursor).fetchall()
    return {key: [int(v) for v in (weekly or [])] for key, weekly in rows}


def pupil_detail(db: Database, pupil_key: str, today: date, config: Config, cursor=None) -> PupilDetail | None:
    """Everything the overview shows for one pupil; None if the pupil is unknown."""
    cur = cursor if cursor is not None else db.cursor()
    try:
        rows = prioritised(db, today, config, cursor=cur, only_pupil=pupil_key)
        if not rows:
            return None
        row = rows[0]
        calendar = calendar_for(today, config)
        _register_school_days(cur, calendar, today)
        halfdays = db.execute(
            "pupil_halfdays", {"pupil_key": pupil_key, "year_start": calendar.start, "today": today}, cursor=cur
        ).fetchall()
        marks = {(d, halfday): (raw, category) for d, halfday, raw, _code, category, _absent, _late in halfdays}
        code_counts = [
            (raw, code, category, int(n))
            for raw, code, category, n in db.execute("pupil_code_counts", {"pupil_key": pupil_key}, cursor=cur).fetchall()
        ]
        weekly = _weekly(db, cur, [pupil_key]).get(pupil_key, [])
        agreements = [tuple(r) for r in db.execute("pupil_agreements", {"pupil_key": pupil_key}, cursor=cur).fetchall()]
        reviews = [tuple(r) for r in db.execute("pupil_reviews", {"pupil_key": pupil_key}, cursor=cur).fetchall()]
        stored = {raw: meaning for raw, _c, _cat, meaning in db.execute("stored_codes", cursor=cur).fetchall()}
        since = since_discussed(db, today, config, pupil_keys=[pupil_key], cursor=cur).get(pupil_key)
    finally:
        if cursor is None:
            cur.close()
    meanings = {raw: code_meaning(raw, stored) for raw, *_ in code_counts}
    return PupilDetail(
        row=row,
        weeks=_build_weeks(calendar, today, marks),
        code_counts=code_counts,
        weekly=weekly,
        agreements=agreements,
        reviews=reviews,
        today=today,
        week_starts=school_weeks(calendar, today),
        meanings=meanings,
        since=since,
    )


def weekly_trends(db: Database, today: date, config: Config, cursor=None,
                  pupil_keys: list[str] | None = None) -> dict[str, list[int]]:
    """Absent half-days per school week for every pupil, or those of ``pupil_keys`` (one query),
    as in ``PupilDetail.weekly``."""
    calendar = calendar_for(today, config)
    cur = cursor if cursor is not None else db.cursor()
    try:
        _register_school_days(cur, calendar, today)
        return _weekly(db, cur, pupil_keys)
    finally:
        if cursor is None:
            cur.close()
