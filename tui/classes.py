"""Classes at a glance: per class the pupils with signals, the absence share and its weekly trend,
and the classes where several pupils' absences rise in the same weeks.

The rule for "rising together" (``queries/class_rising.sql``, settings in ``[classes]``): a pupil
rises in a window of 2 school weeks when they are absent at least 5 half-days in it (all codes
except L) and more than 3 times their own average per 2 weeks in the 6 school weeks before; a
class is named when at least 3 of its pupils rise in the same window. Overlapping windows of one
class are told as one period. Ordinary illness of one pupil never names a class; an illness wave
can, and that is a question for the team too.

Core module: never imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.signals import PupilRow, calendar_for, prioritised, school_days_table
from zorgoverleg.since import MARKS, SAME_MARGIN

#: The rule's settings and their defaults (``[classes]`` in the settings file overrides them).
RULE_DEFAULTS: dict[str, float] = {"window_weeks": 2, "baseline_weeks": 6, "min_rise": 5, "rise_factor": 3.0,
                                   "min_pupils": 3}

#: The weeks the class's recent share is taken over (and the same number before, for the trend).
RECENT_WEEKS = 4


def rule_settings(config: Config) -> dict[str, Any]:
    section = config.section("classes")
    out: dict[str, Any] = {}
    for key, default in RULE_DEFAULTS.items():
        value = section.get(key, default)
        out[key] = float(value) if isinstance(default, float) else int(value)
    return out


def rule_text(settings: dict[str, Any]) -> str:
    """The rule in one Dutch sentence, with the numbers in force."""
    factor = f"{settings['rise_factor']:g}".replace(".", ",")
    return (f"Samen stijgend: minstens {settings['min_pupils']} leerlingen van de klas zijn in dezelfde "
            f"{settings['window_weeks']} schoolweken elk minstens {settings['min_rise']} halve dagen afwezig, "
            f"meer dan {factor} keer hun eigen gemiddelde in de {settings['baseline_weeks']} schoolweken ervoor.")


@dataclass
class RisingPupil:
    pupil_key: str
    pupil_id: str | None
    last_name: str
    first_name: str
    absent: int  # absent half-days in the window
    baseline: float  # their average per window before it

    @property
    def name(self) -> str:
        """As the list shows names: last name first."""
        return f"{self.last_name} {self.first_name}".strip()


@dataclass
class Cluster:
    """A period in which several pupils of one class were absent far more than before."""
    class_: str
    start: date  # Monday of the first week
    end: date  # Friday of the last week
    pupils: list[RisingPupil]


@dataclass
class ClassRow:
    class_: str
    pupils: int
    absent: int
    b: int
    late: int
    possible: int
    weekly: list[int]  # absent half-days per school week
    week_possible: list[int]
    week_starts: list[date]
    signal_pupils: list[PupilRow] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.absent / self.possible if self.possible else 0.0

    def _share(self, weeks: slice) -> float | None:
        possible = sum(self.week_possible[weeks])
        return sum(self.weekly[weeks]) / possible if possible else None

    @property
    def recent_share(self) -> float | None:
        return self._share(slice(-RECENT_WEEKS, None))

    @property
    def previous_share(self) -> float | None:
        return self._share(slice(-2 * RECENT_WEEKS, -RECENT_WEEKS)) if len(self.weekly) > RECENT_WEEKS else None

    @property
    def trend(self) -> str | None:
        recent, before = self.recent_share, self.previous_share
        if recent is None or before is None:
            return None
        if abs(recent - before) < SAME_MARGIN:
            return "same"
        return "up" if recent > before else "down"

    @property
    def mark(self) -> str:
        return MARKS.get(self.trend or "", "")

    def weekly_percent(self) -> list[int]:
        return [round(a / p * 100) if p else 0 for a, p in zip(self.weekly, self.week_possible)]

    def to_json(self) -> dict[str, Any]:
        def rate(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "class": self.class_,
            "pupils": self.pupils,
            "with_signal": len(self.signal_pupils),
            "absent_halfdays": self.absent,
            "b_halfdays": self.b,
            "late": self.late,
            "possible_halfdays": self.possible,
            "absent_share": rate(self.share),
            "recent_share": rate(self.recent_share),
            "previous_share": rate(self.previous_share),
            "trend": self.trend,
            "weekly": [{"week": monday.isoformat(), "absent": a, "possible": p}
                       for monday, a, p in zip(self.week_starts, self.weekly, self.week_possible)],
            "signal_pupils": [{"pupil_id": r.pupil_id if r.pupil_id is not None else r.pupil_key,
                               "last_name": r.last_name, "first_name": r.first_name, "signals": r.signal_ids()}
                              for r in self.signal_pupils],
            "rising_together": [{"start": c.start.isoformat(), "end": c.end.isoformat(),
                                 "pupils": [{"pupil_id": p.pupil_id if p.pupil_id is not None else p.pupil_key,
                                             "last_name": p.last_name, "first_name": p.first_name,
                                             "absent": p.absent, "before": round(p.baseline, 1)}
                                            for p in c.pupils]} for c in self.clusters],
        }


def _merge(rows: list[tuple], names: dict[str, tuple[str | None, str, str]]) -> dict[str, list[Cluster]]:
    """Overlapping or touching windows of one class as one period; a pupil keeps their highest count."""
    out: dict[str, list[Cluster]] = {}
    for class_, start, end, keys, absent, baseline in rows:
        clusters = out.setdefault(class_, [])
        pupils = []
        for k, a, b in zip(keys, absent, baseline):
            pupil_id, last, first = names.get(k, (None, k, ""))
            pupils.append(RisingPupil(k, pupil_id, last, first, int(a), float(b)))
        last = clusters[-1] if clusters else None
        if last is not None and start <= last.end + timedelta(days=3):
            last.end = max(last.end, end)
            seen = {p.pupil_key: p for p in last.pupils}
            for p in pupils:
                if p.pupil_key not in seen or seen[p.pupil_key].absent < p.absent:
                    seen[p.pupil_key] = p
            last.pupils = sorted(seen.values(), key=lambda p: (-p.absent, p.name))
        else:
            clusters.append(Cluster(class_, start, end, pupils))
    return out


def class_overview(db: Database, today: date, config: Config, cursor=None) -> list[ClassRow]:
    """Every class, in class order, with its pupils with signals and its periods of rising together."""
    calendar = calendar_for(today, config)
    settings = rule_settings(config)
    cur = cursor if cursor is not None else db.cursor()
    try:
        signal_rows = prioritised(db, today, config, cursor=cur)  # pupils with a signal, best first
        cur.register("school_days", school_days_table(calendar, today))
        params = {"year_start": calendar.start, "today": today}
        overview = db.execute("class_overview", params, cursor=cur).fetchall()
        rising = db.execute("class_rising", params | settings, cursor=cur).fetchall()
        pupils = db.execute("all_pupils", cursor=cur).fetchall()
    finally:
        if cursor is None:
            cur.close()
    names = {key: (pupil_id, last, first) for key, pupil_id, last, first, _c, _g in pupils}
    clusters = _merge(rising, names)
    by_class: dict[str, list[PupilRow]] = {}
    for r in signal_rows:
        by_class.setdefault(r.class_, []).append(r)
    mondays = sorted({d - timedelta(days=d.weekday()) for d in calendar.school_days(today)})
    return [ClassRow(class_, int(n), int(absent), int(b), int(late), int(possible), list(weekly or []),
                     list(week_possible or []), mondays, by_class.get(class_, []), clusters.get(class_, []))
            for class_, n, absent, b, late, possible, weekly, week_possible in overview]
