"""Every signal of the prioritised list fires exactly at its threshold and not one step below;
the score is the sum of the fired signals' weights plus the grade term; settings change outcomes."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from tests.conftest import CAL, TODAY, dmy, school_days, write_csv
from zorgoverleg.calendar import SchoolCalendar
from zorgoverleg.config import Config, ConfigError, load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import import_files
from zorgoverleg.signals import SIGNAL_IDS, PupilRow, prioritised

LAST_CAL = SchoolCalendar(2024)  # the school year before the demo's

AT, BELOW = "100001", "100002"
CLASS_OF = {AT: "1A", BELOW: "5WEWI"}
YEAR_START = CAL.start
WINDOW_START = TODAY - timedelta(days=42)  # velocity and detachment windows hold dates after this


def rec(pid: str, d: date, h: str, code: str, klas: str | None = None, cal: SchoolCalendar = CAL) -> tuple:
    assert cal.is_school_day(d) and h in cal.halfdays_on(d), (d, h)
    return (pid, f"Naam{pid}", f"Voornaam{pid}", klas or CLASS_OF.get(pid, "3STW"), dmy(d), h, code, "")


def whole(pid: str, d: date, code: str) -> list[tuple]:
    return [rec(pid, d, h, code) for h in CAL.halfdays_on(d)]


def present(pid: str) -> list[tuple]:
    """A row that registers the pupil without any absence (W: not an absence)."""
    return [rec(pid, date(2025, 9, 2), "VM", "W")]


def b_days(pid: str, n: int, code: str = "B") -> list[tuple]:
    """n half-days from the start of the year on, whole days first (so no partial days)."""
    first = slots(YEAR_START, TODAY)
    assert n <= len(first)
    return [rec(pid, d, h, code) for d, h in first[:n]] or present(pid)


def slots(frm: date, until: date) -> list[tuple[date, str]]:
    return [(d, h) for d in school_days(frm, until) for h in CAL.halfdays_on(d)]


def last_year_b(pid: str, n: int, code: str = "B") -> list[tuple]:
    """n half-days of 2024-25 (the school year before), from its start on."""
    first = [(d, h) for d in LAST_CAL.school_days() for h in LAST_CAL.halfdays_on(d)]
    return [rec(pid, d, h, code, cal=LAST_CAL) for d, h in first[:n]]


def with_settings(config: Config, **thresholds: float) -> Config:
    data = copy.deepcopy(config.data)
    data["thresholds"].update(thresholds)
    return Config(data, config.source)


@dataclass
class Case:
    rows: list[tuple]
    detail: list[str] = field(default_factory=list)   # text the AT pupil's detail must contain
    today: date = TODAY
    setup: Callable[[Database], None] | None = None
    settings: dict[str, float] = field(default_factory=dict)  # thresholds the case sets


def build(db: Database, tmp_path: Path, rows: list[tuple], config) -> None:
    path = write_csv(tmp_path / "signals.csv", rows)
    import_files(db, [path], config)


def listing(db: Database, today: date, config, include_all: bool = True) -> dict[str, PupilRow]:
    return {r.pupil_id: r for r in prioritised(db, today, config, include_all=include_all)}


def expected_score(db: Database, row: PupilRow, config) -> float:
    total = 0.0
    for sid in row.signal_ids():
        if sid == "team_flag":
            flags = db.conn.execute(
                "SELECT flag FROM team_flags WHERE pupil_key = ? AND active", [row.pupil_key]
            ).fetchall()
            total += sum(config.flag_weight(f) for (f,) in flags)
        else:
            total += float(config.weights[sid])
    if total > 0:
        total += config.grade_weight(row.grade if row.grade is not None else 2)  # unknown: the middle grade
    return round(total, 2)


# --- one case per signal ------------------------------------------------------------------------

def _b(sid: str) -> Callable[[dict], Case]:
    def case(t: dict) -> Case:
        n = int(t[sid])
        words = {"b_first": "eerst een gesprek met de leerling door iemand van de school",
                 "b_clb": "de school blijft zelf betrokken"}
        return Case(b_days(AT, n) + b_days(BELOW, n - 1),
                    [f"{n} B-halve dag{'en' if n != 1 else ''}"] + ([words[sid]] if sid in words else []))
    return case


def _share(key: str) -> Callable[[dict], Case]:
    def case(t: dict) -> Case:
        possible = CAL.possible_halfdays(until=TODAY)
        n = max(int(t["share_min_halfdays"]), math.ceil(Fraction(str(t[key])) * possible))
        all_slots = slots(YEAR_START, TODAY)
        rows = [rec(AT, d, h, "Z") for d, h in all_slots[:n]]
        rows += [rec(BELOW, d, h, "Z") for d, h in all_slots[: n - 1]]
        return Case(rows, [f"{n} van {possible} mogelijke halve dagen"])
    return case


def _velocity(t: dict) -> Case:
    n = int(t["velocity_min_halfdays"])
    recent = [s for s in slots(WINDOW_START + timedelta(days=1), TODAY)]
    possible_recent = len(recent)
    # the speed condition itself holds with no history (rate before = the floor)
    assert Fraction(n, possible_recent) >= Fraction(str(t["velocity_ratio"])) * Fraction(str(t["velocity_floor"]))
    rows = [rec(AT, d, h, "Z") for d, h in recent[-n:]] + [rec(BELOW, d, h, "Z") for d, h in recent[-(n - 1):]]
    return Case(rows, [f"{n} afwezige halve dagen in de laatste 6 weken"])


def _detachment(t: dict) -> Case:
    n = int(t["detachment_min_b"])
    days = school_days(WINDOW_START + timedelta(days=1), TODAY)[::3]  # spread, not adjacent
    rows = [rec(AT, d, "VM", "B") for d in days[:n]] + [rec(BELOW, d, "VM", "B") for d in days[: n - 1]]
    return Case(rows, [f"{n} B-halve dagen in de laatste 6 weken"])


def _camouflage(t: dict) -> Case:
    n, gap = int(t["camouflage_min_b"]), int(t["camouflage_days"])
    # a Monday with illness, B half-days up to `gap` calendar days away count; one day further does not
    monday = date(2025, 11, 17)
    near = [monday + timedelta(days=i) for i in range(1, gap + 1)]
    far = monday + timedelta(days=gap + 1)
    assert all(CAL.is_school_day(d) for d in near + [far])
    rows = whole(AT, monday, "Z") + [rec(AT, d, "VM", "B") for d in near[-n:]]
    rows += whole(BELOW, monday, "Z") + [rec(BELOW, d, "VM", "B") for d in near[-(n - 1):]]
    rows += [rec(BELOW, far, "VM", "B")]
    return Case(rows, [f"{n} B-halve dagen liggen vlak bij"])


def _weekday(t: dict) -> Case:
    n = int(t["weekday_min"])
    tuesdays = [d for d in school_days(YEAR_START, TODAY, weekday=1) if not CAL.is_after_break(d)]
    rows = [rec(AT, d, "VM", "Z") for d in tuesdays[:n]] + [rec(BELOW, d, "VM", "Z") for d in tuesdays[: n - 1]]
    return Case(rows, [f"{n} van {n} dagen met afwezigheid vallen op een dinsdag"])


def _after_break(t: dict) -> Case:
    n = int(t["after_break_min"])
    mondays = [d for d in school_days(YEAR_START, TODAY, weekday=0) if CAL.is_after_break(d)]
    rows = [rec(AT, d, "VM", "Z") for d in mondays[:n]] + [rec(BELOW, d, "VM", "Z") for d in mondays[: n - 1]]
    return Case(rows, [f"{n} keer afwezig op de eerste schooldag"])


def _partial_days(t: dict) -> Case:
    n = int(t["partial_days_min"])
    days = [d for d in school_days(date(2025, 10, 1), TODAY) if len(CAL.halfdays_on(d)) == 2][::4]
    halves = ["VM", "NM"]
    rows = [rec(AT, d, halves[i % 2], "P") for i, d in enumerate(days[:n])]
    rows += [rec(BELOW, d, halves[i % 2], "P") for i, d in enumerate(days[: n - 1])]
    return Case(rows, [f"{n} dagen enkel de voormiddag of enkel de namiddag"])


def _late(t: dict) -> Case:
    n = int(t["late_min"])
    return Case(b_days(AT, n, "L") + b_days(BELOW, n - 1, "L"), [f"{n} keer te laat"])


def _unknown_code(t: dict) -> Case:
    age = int(t["unknown_days"])
    today = date(2026, 3, 12)
    old, young = today - timedelta(days=age), today - timedelta(days=age - 1)
    rows = [rec(AT, old, "VM", "-"), rec(BELOW, young, "VM", "-")]
    return Case(rows, ["1 halve dag nog zonder wettiging", f"de oudste van {old:%d/%m}"], today=today)


def _parent_notes(t: dict) -> Case:
    n = int(t["parent_notes_max"])
    tuesdays = school_days(date(2025, 9, 8), TODAY, weekday=1)
    rows = [r for d in tuesdays[:n] for r in whole(AT, d, "Z")]
    rows += [r for d in tuesdays[: n - 1] for r in whole(BELOW, d, "Z")]
    return Case(rows, [f"{n} ziekteperiodes met een briefje van de ouders"])


def _long_illness(t: dict) -> Case:
    days = int(t["long_illness_days"])
    first = date(2026, 1, 15)  # a Thursday: first + days and first + days - 1 are school days
    last_at, last_below = first + timedelta(days=days), first + timedelta(days=days - 1)
    assert CAL.is_school_day(last_at) and CAL.is_school_day(last_below)
    rows = [rec(AT, d, h, "D") for d, h in slots(first, last_at)]
    rows += [rec(BELOW, d, h, "D") for d, h in slots(first, last_below)]
    return Case(rows, [f"{days + 1} kalenderdagen ziek", f"{first:%d/%m} tot {last_at:%d/%m}"])


def _review_due(t: dict) -> Case:
    def setup(db: Database) -> None:
        add = "INSERT INTO agreements VALUES (?, ?, 'm.toml', ?, 'An', ?, ?)"
        db.conn.execute(add, [AT, TODAY - timedelta(days=14), "ouders bellen", TODAY - timedelta(days=1), False])
        db.conn.execute(add, [BELOW, TODAY - timedelta(days=14), "ouders bellen", TODAY, False])
        db.conn.execute(add, [BELOW, TODAY - timedelta(days=60), "oud, gedaan", TODAY - timedelta(days=30), True])
        db.conn.execute("INSERT INTO reviews VALUES (?, ?, 'm.toml', ?, 1, 'An')",
                        [BELOW, TODAY - timedelta(days=14), TODAY + timedelta(days=1)])
    return Case(present(AT) + present(BELOW), ["1 afspraak", f"{TODAY - timedelta(days=1):%d/%m}"], setup=setup)


def _team_flag(t: dict) -> Case:
    def setup(db: Database) -> None:
        add = "INSERT INTO team_flags VALUES (?, ?, 'nota', 'An', now(), ?)"
        db.conn.execute(add, [AT, "parents_unreachable", True])
        db.conn.execute(add, [AT, "zelf_gekozen", True])  # a flag without its own weight
        db.conn.execute(add, [BELOW, "known_problem", False])
    return Case(present(AT) + present(BELOW), ["onbereikbaar", "zelf_gekozen"], setup=setup)


def _earlier_years(t: dict) -> Case:
    n = int(t["earlier_years_b"])
    rows = last_year_b(AT, n) + present(AT) + last_year_b(BELOW, n - 1) + present(BELOW)
    possible = LAST_CAL.possible_halfdays()
    return Case(rows, [f"2024-25: {n} van {possible} halve dagen afwezig", f"{n} B-halve dagen"])


def _early_leaving(t: dict) -> Case:
    n = int(t["early_leaving_b"])
    rows = [(*r[:3], "5WEWI", *r[4:]) for r in b_days(AT, n)]
    rows += [(*r[:3], "6LAT", *r[4:]) for r in b_days(BELOW, n - 1)]
    return Case(rows, [f"3e graad met {n} B-halve dagen"])


def _toah_chronic(t: dict) -> Case:
    n = int(t["toah_chronic_halfdays"])

    def setup(db: Database) -> None:
        add = "INSERT INTO team_flags VALUES (?, 'chronically_ill', '', 'An', now(), true)"
        db.conn.execute(add, [AT])
        db.conn.execute(add, [BELOW])
    return Case(b_days(AT, n, "Z") + b_days(BELOW, n - 1, "Z"),
                [f"{n} halve dagen ziek", "1 recht op TOAH", "Informeer de ouders zodra"], setup=setup)


def _z_clb(t: dict) -> Case:
    n = 20  # off by default: a threshold the school sets
    return Case(b_days(AT, n, "Z") + b_days(BELOW, n - 1, "D"), [f"{n} halve dagen ziek (Z)", "blijft"],
                settings={"z_clb": n})


CASES: dict[str, Callable[[dict], Case]] = {
    "b_first": _b("b_first"), "b_clb": _b("b_clb"), "b_police": _b("b_police"),
    "b_allowance": _b("b_allowance"),
    "chronic": _share("chronic_share"), "severe": _share("severe_share"),
    "velocity": _velocity, "detachment": _detachment, "camouflage": _camouflage, "weekday": _weekday,
    "after_break": _after_break, "partial_days": _partial_days, "late": _late,
    "unknown_code": _unknown_code, "parent_notes": _parent_notes, "long_illness": _long_illness,
    "review_due": _review_due, "team_flag": _team_flag,
    "earlier_years": _earlier_years, "early_leaving": _early_leaving, "toah_chronic": _toah_chronic,
    "z_clb": _z_clb,
}


def test_every_signal_has_a_case():
    assert set(CASES) == set(SIGNAL_IDS)


@pytest.mark.parametrize("sid", SIGNAL_IDS)
def test_signal_fires_at_threshold_and_not_one_step_below(sid, db, config, tmp_path):
    case = CASES[sid](config.thresholds)
    config = with_settings(config, **case.settings)
    build(db, tmp_path, case.rows, config)
    if case.setup:
        case.setup(db)
    rows = listing(db, case.today, config)
    at, below = rows[AT], rows[BELOW]
    assert sid in at.signal_ids(), (at.signal_ids(), at.measures)
    assert sid not in below.signal_ids(), (below.signal_ids(), below.measures)
    signal = next(s for s in at.signals if s.id == sid)
    for text in case.detail:
        assert text in signal.detail, signal.detail
    assert signal.label and signal.threshold and signal.reason
    assert bool(signal.source) == (sid not in ("review_due", "team_flag"))  # "bron:" only for real sources
    for row in (at, below):
        assert row.score == expected_score(db, row, config)
        assert row.possible_halfdays == CAL.possible_halfdays(until=case.today)
    # without include_all a pupil without any signal is left out
    shown = listing(db, case.today, config, include_all=False)
    assert AT in shown and (BELOW in shown) == bool(below.signals)


# --- extra steps of the composite signals -----------------------------------------------------

def test_share_needs_a_minimum_of_absent_halfdays_early_in_the_year(db, config, tmp_path):
    today = date(2025, 9, 12)
    minimum = int(config.thresholds["share_min_halfdays"])
    first = slots(YEAR_START, today)
    build(db, tmp_path, [rec(AT, d, h, "Z") for d, h in first[:minimum]]
          + [rec(BELOW, d, h, "Z") for d, h in first[: minimum - 1]], config)
    rows = listing(db, today, config)
    assert rows[BELOW].absent_share >= config.thresholds["chronic_share"]
    assert "chronic" in rows[AT].signal_ids() and "chronic" not in rows[BELOW].signal_ids()


def test_velocity_ratio_step(db, config, tmp_path):
    t = config.thresholds
    n = int(t["velocity_min_halfdays"]) + 2
    recent = slots(WINDOW_START + timedelta(days=1), TODAY)
    before = slots(YEAR_START, WINDOW_START)
    rate_recent = Fraction(n, len(recent))
    ratio, floor = Fraction(str(t["velocity_ratio"])), Fraction(str(t["velocity_floor"]))
    # the largest number of earlier absences that still lets speed count
    k = max(k for k in range(len(before)) if rate_recent >= ratio * max(Fraction(k, len(before)), floor))
    assert rate_recent != ratio * Fraction(k, len(before))  # stay off the exact float boundary
    spread = lambda m: before[:: max(1, len(before) // (m + 1))][:m]  # noqa: E731
    rows = [rec(AT, d, h, "Z") for d, h in recent[-n:] + spread(k)]
    rows += [rec(BELOW, d, h, "Z") for d, h in recent[-n:] + spread(k + 1)]
    build(db, tmp_path, rows, config)
    rows = listing(db, TODAY, config)
    assert rows[AT].measures["m_absent_recent"] == rows[BELOW].measures["m_absent_recent"] == n
    assert "velocity" in rows[AT].signal_ids() and "velocity" not in rows[BELOW].signal_ids()


def test_detachment_is_broken_by_a_justified_absence_in_the_window(db, config, tmp_path):
    n = int(config.thresholds["detachment_min_b"])
    days = school_days(WINDOW_START + timedelta(days=1), TODAY)[::3]
    rows = [rec(AT, d, "VM", "B") for d in days[:n]] + [rec(AT, date(2025, 10, 6), "VM", "Z")]
    rows += [rec(BELOW, d, "VM", "B") for d in days[:n]] + [rec(BELOW, days[-1], "NM", "R")]
    build(db, tmp_path, rows, config)
    rows = listing(db, TODAY, config)
    assert "detachment" in rows[AT].signal_ids()      # justified before the window does not matter
    assert "detachment" not in rows[BELOW].signal_ids()


def test_parent_notes_length_and_medical_certificates(db, config, tmp_path):
    t = config.thresholds
    long = int(t["parent_note_days"]) + 1
    monday = date(2025, 12, 1)
    run = school_days(monday, monday + timedelta(days=10))
    rows = [r for d in run[:long] for r in whole(AT, d, "Z")]
    rows += [r for d in run[: long - 1] for r in whole(BELOW, d, "Z")]
    # many short illnesses on a medical certificate (D) are not parents' notes
    tuesdays = school_days(date(2025, 9, 8), TODAY, weekday=1)
    rows += [r for d in tuesdays[: int(t["parent_notes_max"]) + 2] for r in whole("100003", d, "D")]
    build(db, tmp_path, rows, config)
    rows = listing(db, TODAY, config)
    assert "parent_notes" in rows[AT].signal_ids()
    assert f"de langste {long} kalenderdagen" in next(s.detail for s in rows[AT].signals if s.id == "parent_notes")
    assert "parent_notes" not in rows[BELOW].signal_ids()
    assert "parent_notes" not in rows["100003"].signal_ids()
    assert rows["100003"].absent_halfdays > 0


def test_parent_notes_count_calendar_days_thursday_friday_monday_is_five(db, config, tmp_path):
    """Three school days on a note: Thu-Fri-Mon spans 5 calendar days (needs a certificate),
    Mon-Tue-Wed spans 3 (a note is enough). A weekend inside the run counts."""
    assert int(config.thresholds["parent_note_days"]) == 3
    thursday, monday = date(2026, 1, 22), date(2026, 1, 26)
    rows = [r for d in (thursday, thursday + timedelta(days=1), monday) for r in whole(AT, d, "Z")]
    rows += [r for d in (monday, monday + timedelta(days=1), monday + timedelta(days=2)) for r in whole(BELOW, d, "Z")]
    # Fri-Mon is 4 calendar days (one above the threshold); Wed-Thu-Fri is 3 (at it, no signal)
    friday = date(2026, 2, 6)
    rows += [r for d in (friday, friday + timedelta(days=3)) for r in whole("100003", d, "Z")]
    rows += [r for d in (friday - timedelta(days=2), friday - timedelta(days=1), friday) for r in whole("100004", d, "Z")]
    build(db, tmp_path, rows, config)
    rows = listing(db, TODAY, config)
    detail = next(s.detail for s in rows[AT].signals if s.id == "parent_notes")
    assert "de langste 5 kalenderdagen (22/01 tot 26/01)" in detail and "doktersattest" in detail
    assert "4 kalenderdagen" in next(s.detail for s in rows["100003"].signals if s.id == "parent_notes")
    assert "parent_notes" not in rows[BELOW].signal_ids()
    assert "parent_notes" not in rows["100004"].signal_ids()


def test_review_due_by_evaluation_date(db, config, tmp_path):
    build(db, tmp_path, present(AT) + present(BELOW), config)
    add = "INSERT INTO reviews VALUES (?, ?, 'm.toml', ?, 1, 'An')"
    db.conn.execute(add, [AT, TODAY - timedelta(days=21), TODAY])
    db.conn.execute(add, [BELOW, TODAY - timedelta(days=42), TODAY - timedelta(days=21)])
    db.conn.execute(add, [BELOW, TODAY - timedelta(days=21), TODAY + timedelta(days=1)])  # the latest counts
    rows = listing(db, TODAY, config)
    assert "review_due" in rows[AT].signal_ids()
    assert f"evaluatie gepland op {TODAY:%d/%m} (vandaag)" in rows[AT].signals[0].detail
    assert "review_due" not in rows[BELOW].signal_ids()


def test_absences_after_today_do_not_count(db, config, tmp_path):
    later = school_days(date(2026, 3, 16), date(2026, 6, 30))
    build(db, tmp_path, [rec(AT, d, "VM", "B") for d in later], config)
    rows = listing(db, TODAY, config)
    assert rows[AT].b_halfdays == 0 and rows[AT].signals == []
    assert listing(db, date(2026, 6, 30), config)[AT].b_halfdays == len(later)


def test_registration_errors_are_never_counted(db, config, tmp_path):
    """A B on a Wednesday afternoon, a holiday, a weekend or after today is not an absence."""
    wednesday, holiday, saturday = date(2026, 3, 11), date(2025, 12, 29), date(2026, 3, 7)
    assert wednesday.weekday() == 2 and not CAL.is_school_day(holiday) and saturday.weekday() == 5
    errors = [(AT, "NaamA", "VoornaamA", "1A", dmy(d), h, "B", "") for d, h in
              ((wednesday, "NM"), (holiday, "VM"), (holiday, "NM"), (saturday, "VM"), (TODAY + timedelta(days=3), "VM"))]
    errors += [(AT, "NaamA", "VoornaamA", "1A", dmy(wednesday), "NM", "L", "")]
    build(db, tmp_path, errors + [rec(BELOW, wednesday, "VM", "B")], config)
    rows = listing(db, TODAY, config)
    assert (rows[AT].b_halfdays, rows[AT].absent_halfdays, rows[AT].late) == (0, 0, 0)
    assert rows[AT].signals == []
    assert rows[BELOW].b_halfdays == 1 and rows[BELOW].signal_ids() == ["b_first"]


def test_after_break_counts_the_return_after_an_illness(db, config, tmp_path):
    """Ill on Tuesday-Wednesday, absent (B) on Thursday morning, the first day back: n times
    fires, n - 1 times does not; the detail names the kind of break."""
    n = int(config.thresholds["after_break_min"])
    tuesdays = [d for d in school_days(date(2025, 9, 8), TODAY, weekday=1)
                if all(CAL.is_school_day(d + timedelta(days=k)) for k in range(-1, 3))]
    rows = []
    for pid, days in ((AT, tuesdays[:n]), (BELOW, tuesdays[: n - 1])):
        for d in days:
            rows += whole(pid, d, "Z") + whole(pid, d + timedelta(days=1), "Z")
            rows.append(rec(pid, d + timedelta(days=2), "VM", "B"))
    build(db, tmp_path, rows, config)
    rows = listing(db, TODAY, config)
    at, below = rows[AT], rows[BELOW]
    assert at.measures["m_absent_after_illness"] == n and below.measures["m_absent_after_illness"] == n - 1
    assert "after_break" in at.signal_ids() and "after_break" not in below.signal_ids()
    detail = next(s.detail for s in at.signals if s.id == "after_break")
    assert f"{n} van {n} keer afwezig op de eerste schooldag na een ziekteperiode" in detail
    assert "weekend" not in detail


def test_after_break_says_weekend_and_holiday_apart(db, config, tmp_path):
    after_holiday = [d for d in school_days(YEAR_START, TODAY, weekday=0)
                     if not CAL.is_school_day(d - timedelta(days=3))]
    after_weekend = [d for d in school_days(YEAR_START, TODAY, weekday=0) if d not in after_holiday]
    assert len(after_holiday) >= 2
    build(db, tmp_path, [rec(AT, d, "VM", "B") for d in after_holiday[:2] + after_weekend[:2]], config)
    detail = next(s.detail for s in listing(db, TODAY, config)[AT].signals if s.id == "after_break")
    assert "4 keer afwezig op de eerste schooldag terug (2 na een weekend en 2 na een vakantie)" in detail


def test_detachment_needs_a_rising_count_of_b(db, config, tmp_path):
    """The window's B rate must be above that of the window before it: n B in the last 6 weeks
    after k before fires; the same n after k + 1 before does not (steady, not rising)."""
    t = config.thresholds
    w = int(t["detachment_window_days"])
    n = int(t["detachment_min_b"]) + 1
    recent_days = school_days(TODAY - timedelta(days=w - 1), TODAY)
    prev_days = school_days(TODAY - timedelta(days=2 * w - 1), TODAY - timedelta(days=w))
    possible_recent = sum(len(CAL.halfdays_on(d)) for d in recent_days)
    possible_prev = sum(len(CAL.halfdays_on(d)) for d in prev_days)
    k = max(k for k in range(n + 5) if n * possible_prev > k * possible_recent)
    assert k + 1 <= len(prev_days)
    rows = [rec(AT, d, "VM", "B") for d in recent_days[::3][:n]] + [rec(AT, d, "VM", "B") for d in prev_days[:k]]
    rows += [rec(BELOW, d, "VM", "B") for d in recent_days[::3][:n]]
    rows += [rec(BELOW, d, "VM", "B") for d in prev_days[: k + 1]]
    build(db, tmp_path, rows, config)
    rows = listing(db, TODAY, config)
    assert rows[AT].measures["m_b_prev"] == k and rows[BELOW].measures["m_b_prev"] == k + 1
    assert "detachment" in rows[AT].signal_ids() and "detachment" not in rows[BELOW].signal_ids()
    detail = next(s.detail for s in rows[AT].signals if s.id == "detachment")
    assert f"tegenover {k} in de 6 weken daarvoor" in detail


def test_earlier_years_do_not_count_for_this_years_thresholds(db, config, tmp_path):
    build(db, tmp_path, last_year_b(AT, 40) + present(AT), config)
    row = listing(db, TODAY, config)[AT]
    assert row.b_halfdays == 0 and row.absent_halfdays == 0
    assert row.signal_ids() == ["earlier_years"]


def test_earlier_years_share_step(db, config, tmp_path):
    t = config.thresholds
    possible = LAST_CAL.possible_halfdays()
    n = math.ceil(Fraction(str(t["earlier_years_share"])) * possible)
    build(db, tmp_path, last_year_b(AT, n, "Z") + last_year_b(BELOW, n - 1, "Z"), config)
    rows = listing(db, TODAY, config, include_all=True)
    assert "earlier_years" in rows[AT].signal_ids() and "earlier_years" not in rows[BELOW].signal_ids()


def test_b_allowance_says_whether_last_year_was_above_29_too(db, config, tmp_path):
    n = int(config.thresholds["b_allowance"])
    rows = b_days(AT, n) + last_year_b(AT, n)                   # two years in a row
    rows += b_days(BELOW, n) + last_year_b(BELOW, n - 1)        # last year at the limit
    rows += b_days("100003", n)                                 # no data of this pupil last year
    build(db, tmp_path, rows, config)
    rows = listing(db, TODAY, config)
    words = {pid: next(s.detail for s in rows[pid].signals if s.id == "b_allowance") for pid in (AT, BELOW, "100003")}
    assert f"vorig schooljaar ook boven {n - 1} ({n} B-halve dagen)" in words[AT]
    assert f"vorig schooljaar niet boven {n - 1} ({n - 1} B-halve dagen)" in words[BELOW]
    assert "vorig schooljaar geen afwezigheden van deze leerling" in words["100003"]


def test_b_allowance_without_earlier_data_says_the_data_does_not_show_last_year(db, config, tmp_path):
    build(db, tmp_path, b_days(AT, int(config.thresholds["b_allowance"])), config)
    detail = next(s.detail for s in listing(db, TODAY, config)[AT].signals if s.id == "b_allowance")
    assert "de gegevens tonen vorig schooljaar niet" in detail


BIRTH_HEADER = ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Geboortedatum", "Datum", "Dagdeel", "Code"]


def test_unknown_grade_weighs_as_the_middle_grade_and_early_leaving_goes_by_age(db, config, tmp_path):
    n = int(config.thresholds["early_leaving_b"])
    age = int(config.thresholds["early_leaving_age"])
    born_at = date(TODAY.year - age, TODAY.month, TODAY.day)          # 16 today
    born_below = born_at + timedelta(days=1)                            # 16 tomorrow
    rows = []
    for pid, born in ((AT, born_at), (BELOW, born_below)):
        rows += [(pid, f"Naam{pid}", "Voornaam", "OKAN", dmy(born), *r[4:7]) for r in b_days(pid, n)]
    build_path = write_csv(tmp_path / "okan.csv", rows, BIRTH_HEADER)
    import_files(db, [build_path], config)
    rows = listing(db, TODAY, config)
    at, below = rows[AT], rows[BELOW]
    assert at.grade is None and at.age == age and below.age == age - 1
    assert at.grade_label == "graad onbekend"
    assert at.grade_term == config.grade_weight(2) != config.grade_weight(3)
    assert "early_leaving" in at.signal_ids() and "early_leaving" not in below.signal_ids()
    assert f"graad onbekend, {age} jaar" in next(s.detail for s in at.signals if s.id == "early_leaving")
    assert at.score == expected_score(db, at, config)
    assert prioritised(db, TODAY, config, needle="graad onbekend")


def test_toah_chronic_counts_a_right_per_nine_halfdays_and_needs_the_flag(db, config, tmp_path):
    per = int(config.thresholds["toah_chronic_halfdays"])
    build(db, tmp_path, b_days(AT, 2 * per + 3, "Z") + b_days(BELOW, 3 * per, "Z"), config)
    db.conn.execute("INSERT INTO team_flags VALUES (?, 'chronically_ill', '', 'An', now(), true)", [AT])
    rows = listing(db, TODAY, config)
    detail = next(s.detail for s in rows[AT].signals if s.id == "toah_chronic")
    assert f"{2 * per + 3} halve dagen ziek" in detail and "2 rechten op TOAH" in detail
    assert f"nog {per - 3} halve dagen tot het volgende" in detail
    assert "toah_chronic" not in rows[BELOW].signal_ids()  # ill as often, not marked chronically ill


def test_wording_numbers_are_dutch(config):
    from zorgoverleg.signal_registry import describe

    t = with_settings(config, velocity_ratio=2.5, after_break_ratio=1.5).thresholds
    m = {"m_absent_recent": 1, "m_rate_recent": 0.5, "m_rate_before": 0.1}
    detail, threshold = describe("velocity", m, t)
    assert "2,5 keer" in threshold and "2.5" not in threshold
    assert detail.startswith("1 afwezige halve dag in")
    m = {"m_absent_after_weekend": 1, "m_absent_after_holiday": 0, "m_absent_after_illness": 0,
         "m_absent_after_break": 1, "m_rate_after_break": 0.2, "m_rate_other_days": 0.05, "m_illness_returns": 0,
         "m_back_after_break": True, "m_back_after_illness": False}
    assert "1,5 keer" in describe("after_break", m, t)[1]


def test_review_due_wording_singular_plural_and_yesterday(db, config, tmp_path):
    build(db, tmp_path, present(AT) + present(BELOW), config)
    add = "INSERT INTO agreements VALUES (?, ?, 'm.toml', ?, 'An', ?, false)"
    db.conn.execute(add, [AT, TODAY - timedelta(days=14), "bellen", TODAY - timedelta(days=2)])
    for what in ("bellen", "mailen"):
        db.conn.execute(add, [BELOW, TODAY - timedelta(days=14), what, TODAY - timedelta(days=3)])
    db.conn.execute("INSERT INTO reviews VALUES (?, ?, 'm.toml', ?, 1, 'An')",
                    [BELOW, TODAY - timedelta(days=14), TODAY - timedelta(days=1)])
    rows = listing(db, TODAY, config)
    assert "1 afspraak over datum" in rows[AT].signals[0].detail
    detail = rows[BELOW].signals[0].detail
    assert "2 afspraken over datum" in detail and "(gisteren)" in detail and "(nu)" not in detail


# --- score and order --------------------------------------------------------------------------

def test_score_is_sum_of_weights_plus_grade_and_orders_the_list(db, config, tmp_path):
    n = int(config.thresholds["b_clb"])
    rows = [r for pid, klas in (("200001", "1A"), ("200002", "6LAT"), ("200003", "3STW"))
            for r in [(*row[:3], klas, *row[4:]) for row in b_days(pid, n)]]
    rows += b_days("200004", int(config.thresholds["b_police"]))                      # more B: higher
    rows += [(*row[:3], "4ECO", *row[4:]) for row in b_days("200005", 1)]            # b_first only
    rows += present("200006")                                                        # nothing
    build(db, tmp_path, rows, config)
    listed = prioritised(db, TODAY, config)
    order = [r.pupil_id for r in listed]
    assert order == ["200004", "200001", "200003", "200002", "200005"]
    assert [r.rank for r in listed] == [1, 2, 3, 4, 5]
    scores = [r.score for r in listed]
    assert scores == sorted(scores, reverse=True)
    for r in listed:
        assert r.score == expected_score(db, r, config)
    by_id = {r.pupil_id: r for r in listed}
    assert by_id["200001"].score - by_id["200002"].score == pytest.approx(
        config.grade_weight(1) - config.grade_weight(3))
    assert by_id["200001"].signal_ids() == by_id["200002"].signal_ids() == ["b_first", "b_clb"]
    assert [r.pupil_id for r in prioritised(db, TODAY, config, limit=2)] == order[:2]


def test_pupil_without_signals_scores_zero_whatever_the_grade(db, config, tmp_path):
    build(db, tmp_path, present(AT), config)
    row = listing(db, TODAY, config)[AT]
    assert row.grade == 1 and config.grade_weight(1) > 0 and row.score == 0


# --- settings ---------------------------------------------------------------------------------

def test_thresholds_and_weights_from_a_settings_file(db, tmp_path):
    settings = tmp_path / "zorgoverleg.toml"
    settings.write_text(
        "[thresholds]\nb_clb = 3\nlate_min = 2\n\n[weights]\nb_clb = 10\n\n[weights.grade]\n1 = 0\n",
        encoding="utf-8",
    )
    custom, default = load_config(settings), load_config()
    assert custom.source == settings and default.source is None
    build(db, tmp_path, b_days(AT, 3) + b_days(BELOW, 2, "L"), default)
    with_default = listing(db, TODAY, default)
    with_custom = listing(db, TODAY, custom)
    assert "b_clb" not in with_default[AT].signal_ids() and "b_clb" in with_custom[AT].signal_ids()
    assert "late" not in with_default[BELOW].signal_ids() and "late" in with_custom[BELOW].signal_ids()
    assert with_custom[AT].score == 1.0 + 10.0  # b_first + b_clb, grade 1 weighs 0 now
    assert with_default[AT].score == expected_score(db, with_default[AT], default)
    assert "vanaf 3 B-halve dagen" in next(s.threshold for s in with_custom[AT].signals if s.id == "b_clb")


def test_settings_file_in_the_current_folder_is_found(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zorgoverleg.toml").write_text("[thresholds]\nb_first = 2\n", encoding="utf-8")
    config = load_config()
    assert config.source is not None and config.thresholds["b_first"] == 2
    build(db, tmp_path, b_days(AT, 1), config)
    assert listing(db, TODAY, config)[AT].signals == []


def test_school_free_days_reduce_possible_halfdays(db, tmp_path):
    (tmp_path / "zorgoverleg.toml").write_text(
        '[calendar]\nfree_days = ["2025-10-06", { from = "2026-02-09", to = "2026-02-10" }]\n', encoding="utf-8")
    custom, default = load_config(tmp_path / "zorgoverleg.toml"), load_config()
    build(db, tmp_path, whole(AT, date(2025, 10, 6), "B") + whole(AT, date(2025, 10, 7), "B"), default)
    plain, free = listing(db, TODAY, default)[AT], listing(db, TODAY, custom)[AT]
    assert plain.possible_halfdays - free.possible_halfdays == 6
    assert (plain.b_halfdays, free.b_halfdays) == (4, 2)


@pytest.mark.parametrize("text", [
    "[thresholds]\nb_klb = 3\n", "[weights]\nlate = \"veel\"\n", "[thresholds\n",
    "[weights]\nb_clb = { a = 1 }\n", "[weights]\nteam_flags = 3\n", "[weights.grade]\n1 = \"veel\"\n",
    "[weights.team_flags]\nparents_unreachable = \"x\"\n", "[import]\nmin_absent_hours = \"twee\"\n",
    "[import]\nmorning_last_hour = 0\n", "import = 3\n", "[calendar]\nfree_days = [\"morgen\"]\n",
    "[calendar]\nfree_days = [{ from = \"2026-02-10\", to = \"2026-02-09\" }]\n",
])
def test_bad_settings_file_is_refused(tmp_path, text, capsys):
    (tmp_path / "zorgoverleg.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "zorgoverleg.toml")
    assert "zorgoverleg.toml" in str(info.value) and "\n" not in str(info.value)
    from zorgoverleg.cli import main  # the command line says so in one line and exits 1, no traceback

    Database.open(tmp_path / "z.duckdb").close()
    code = main(["list", "--db", str(tmp_path / "z.duckdb"), "--config", str(tmp_path / "zorgoverleg.toml")])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "zorgoverleg.toml" in err


def test_settings_for_new_team_flags_and_free_days_are_accepted(tmp_path):
    (tmp_path / "zorgoverleg.toml").write_text(
        "[weights.team_flags]\nnieuw_signaal = 1.5\n\n[import]\nmin_absent_hours = 2\n\n"
        "[calendar]\nfree_days = [\"2025-10-06\"]\n", encoding="utf-8")
    config = load_config(tmp_path / "zorgoverleg.toml")
    assert config.flag_weight("nieuw_signaal") == 1.5 and config.section("import")["min_absent_hours"] == 2


# --- the registry: one entry per signal, checked against the query, the settings and the README ----

def test_registry_matches_the_query_the_settings_and_the_readme(db, config, tmp_path):
    import re

    from zorgoverleg import queries
    from zorgoverleg.config import _defaults
    from zorgoverleg.signal_registry import SIGNALS

    ids = [s.id for s in SIGNALS]
    assert list(SIGNAL_IDS) == ids and len(set(ids)) == len(ids)
    # the query: one s_<id> column per signal, and the signal_flags list in registry order
    build(db, tmp_path, present(AT), config)
    row = listing(db, TODAY, config)[AT]
    columns = [k[2:] for k in row.measures if k.startswith("s_")]
    assert columns == ids
    sql = queries.load("prioritised_pupils")
    flags = re.search(r"\[(s_b_first[^\]]*)\] AS signal_flags", sql)
    assert flags and [f.strip()[2:] for f in flags.group(1).split(",")] == ids
    # the settings: every threshold key is read by a signal and used by the query; every weight is a signal's
    defaults = _defaults()
    used = {k for s in SIGNALS for k in s.thresholds}
    assert used == set(defaults["thresholds"])
    for key in used - {"earlier_years_back"}:  # that one picks the earlier_days table (tui/list_cache.py)
        assert f"$t_{key}" in sql, key
    scalar_weights = {k for k, v in defaults["weights"].items() if not isinstance(v, dict)}
    assert {s.weight for s in SIGNALS} == scalar_weights
    assert all(s.label and s.reason for s in SIGNALS)
    assert [s.id for s in SIGNALS if not s.default_on] == ["z_clb"] and defaults["thresholds"]["z_clb"] == 0
    # the README's table: the same ids and labels, in the same order
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme.split("## The prioritised list", 1)[1].split("\n## ", 1)[0]
    table = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", section, re.M)
    assert [(sid, label.strip()) for sid, label in table] == [(s.id, s.label) for s in SIGNALS]


def test_recommended_escalations_from_signals_and_parents_flags():
    from zorgoverleg.signal_registry import recommended_escalations

    assert recommended_escalations([], []) == {}
    assert recommended_escalations(["b_first"], ["problem_home"]) == {}
    by_b = recommended_escalations(["b_first", "b_clb", "b_police"], [])
    assert set(by_b) == {"clb_report", "police"}
    assert "lokale afspraak" in by_b["police"] and "blijft zelf betrokken" in by_b["clb_report"]
    # the parents' flags recommend police whatever the B count, with that reason
    for flag, words in (("parents_unreachable", "onbereikbaar"), ("parents_not_cooperating", "niet mee")):
        police = recommended_escalations([], [flag])
        assert set(police) == {"police"} and words in police["police"] and "los van het aantal" in police["police"]
    both = recommended_escalations(["b_police"], ["parents_unreachable"])["police"]
    assert "lokale afspraak" in both and "onbereikbaar" in both
    assert set(recommended_escalations(["toah_chronic"], [])) == {"toah_bednet"}
    assert set(recommended_escalations(["z_clb"], [])) == {"clb_report"}
    naft = recommended_escalations(["detachment", "severe"], [])["naft"]
    assert naft.count("blijft zelf betrokken") == 1 and "stijgende" in naft


def test_b_half_days_last_year_rank_a_pupil_above_an_identical_one(db, config, tmp_path):
    """Issue 13: 25 B half-days last year used to rank a pupil *below* an identical pupil without them."""
    rows = b_days(AT, 3) + last_year_b(AT, 25) + b_days(BELOW, 3)
    build(db, tmp_path, [(*r[:3], "3STW", *r[4:]) for r in rows], config)
    listed = prioritised(db, TODAY, config)
    assert [r.pupil_id for r in listed] == [AT, BELOW]
    assert listed[0].score - listed[1].score == config.weights["earlier_years"]
    assert listed[0].b_halfdays == listed[1].b_halfdays == 3


def test_relative_day_words():
    from zorgoverleg.signal_registry import relative_day

    assert [relative_day(TODAY - timedelta(days=n), TODAY) for n in (0, 1, 3, -1, -4)] == [
        "vandaag", "gisteren", "3 dagen geleden", "morgen", "over 4 dagen"]
