"""Did the agreements help? Absences since the team's first agreement against the weeks before.

For every pupil with an agreement this school year (indexed from the minutes, see
zorgoverleg.history), ``queries/since_discussed.sql`` counts the absent half-days (all codes
except L) and the B half-days on the school days from the first agreement up to today, and on
the same number of school days just before it. The list marks the change (↑ ↓ =), the pupil's
overview says it in a sentence, and ``list --format json`` carries it as ``since_discussed``.

Core module: never imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.signals import calendar_for, school_days_table
from zorgoverleg.text import nl_number

#: Rates closer than this (absent share of possible half-days) count as unchanged: about one
#: half-day in six school weeks.
SAME_MARGIN = 0.02

MARKS = {"up": "↑", "down": "↓", "same": "="}
WORDS = {"up": "meer afwezig", "down": "minder afwezig", "same": "ongeveer even veel afwezig"}


@dataclass(frozen=True)
class SinceDiscussed:
    """One pupil's absences since the first agreement (``first_date``) and just before it."""

    pupil_key: str
    first_date: date
    days_since: int
    days_before: int
    weeks_since: int
    weeks_before: int
    possible_since: int
    possible_before: int
    absent_since: int
    absent_before: int
    b_since: int
    b_before: int

    @property
    def rate_since(self) -> float | None:
        return self.absent_since / self.possible_since if self.possible_since else None

    @property
    def rate_before(self) -> float | None:
        return self.absent_before / self.possible_before if self.possible_before else None

    @property
    def trend(self) -> str | None:
        """"up", "down" or "same"; None when one of the two windows holds no school day yet."""
        since, before = self.rate_since, self.rate_before
        if since is None or before is None:
            return None
        if abs(since - before) < SAME_MARGIN:
            return "same"
        return "up" if since > before else "down"

    @property
    def mark(self) -> str:
        """↑, ↓ or = for the list; empty when there is nothing to compare yet."""
        return MARKS.get(self.trend or "", "")

    def to_json(self) -> dict[str, Any]:
        def rate(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "date": self.first_date.isoformat(),
            "rate_before": rate(self.rate_before),
            "rate_since": rate(self.rate_since),
            "trend": self.trend,
            "weeks_before": self.weeks_before,
            "weeks_since": self.weeks_since,
            "possible_before": self.possible_before,
            "possible_since": self.possible_since,
            "absent_before": self.absent_before,
            "absent_since": self.absent_since,
            "b_before": self.b_before,
            "b_since": self.b_since,
        }

    def sentence(self) -> str:
        """The overview's line, e.g. "sinds 13/01: 2 van 54 halve dagen (4%), waarvan 0 B; de 6 weken
        ervoor: 14 van 54 (26%), waarvan 9 B"."""
        since = f"sinds {self.first_date:%d/%m}: "
        if not self.possible_since:
            return since + "nog geen schooldag sindsdien"
        since += f"{self.absent_since} van {self.possible_since} halve dagen ({_pct(self.rate_since)})"
        since += f", waarvan {self.b_since} B"
        if not self.possible_before:
            return since + "; geen schooldagen ervoor om mee te vergelijken"
        weeks = "de week ervoor" if self.weeks_before == 1 else f"de {self.weeks_before} weken ervoor"
        before = f"{weeks}: {self.absent_before} van {self.possible_before} ({_pct(self.rate_before)})"
        return f"{since}; {before}, waarvan {self.b_before} B"


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{nl_number(round(value * 100))}%"


def since_discussed(db: Database, today: date, config: Config, *, pupil_keys: list[str] | None = None,
                    cursor=None) -> dict[str, SinceDiscussed]:
    """Per pupil_key with an agreement this school year: absences since it and before it.
    ``pupil_keys`` limits the work to those pupils (None: every pupil)."""
    calendar = calendar_for(today, config)
    cur = cursor if cursor is not None else db.cursor()
    try:
        cur.register("school_days", school_days_table(calendar, today))
        rows = db.execute("since_discussed", {"year_start": calendar.start, "today": today,
                                              "pupil_keys": pupil_keys}, cursor=cur).fetchall()
    finally:
        if cursor is None:
            cur.close()
    return {row[0]: SinceDiscussed(row[0], row[1], *(int(v) for v in row[2:])) for row in rows}
