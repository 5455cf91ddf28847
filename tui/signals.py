"""The prioritised list: the rows a screen or the command line reads, with each signal worded.

The measures, the thresholds and the score are computed in SQL (``queries/prioritised_pupils.sql``)
and stored (``zorgoverleg.list_cache``); what each signal is, where it comes from and how it is
worded is in ``zorgoverleg.signal_registry``. This module reads pages of the stored list and turns
them into ``PupilRow`` objects. The names other modules import stay importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zorgoverleg import queries
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.list_cache import (  # noqa: F401  (re-exported)
    LIST_CACHE,
    calendar_for,
    earlier_days_table,
    ensure,
    ensure_list,
    fresh,
    list_parameters,
    own_cursor,
    prepare,
    school_days_table,
)
from zorgoverleg.signal_registry import (  # noqa: F401  (re-exported)
    BY_ID,
    HALFDAYS,
    LABELS,
    REASONS,
    SIGNAL_IDS,
    SIGNALS,
    SOURCES,
    WEEKDAYS,
    describe,
    recommended_escalations,
    signal_words,
)
from zorgoverleg.text import search_words

_signal_words = signal_words  # the name tests/test_queries.py imports


@dataclass(eq=False)
class Signal:
    """A signal that fires for a pupil. The wording (detail, threshold) is made on first
    use: a list of 10,000 pupils shows labels only."""

    id: str
    label: str
    weight: float = 0.0
    source: str = ""
    reason: str = ""
    measures: dict[str, Any] = field(default_factory=dict, repr=False)
    thresholds: dict[str, Any] = field(default_factory=dict, repr=False)
    _words: tuple[str, str] | None = field(default=None, repr=False)

    def _describe(self) -> tuple[str, str]:
        if self._words is None:
            self._words = describe(self.id, self.measures, self.thresholds)
        return self._words

    @property
    def detail(self) -> str:
        return self._describe()[0]

    @property
    def threshold(self) -> str:
        return self._describe()[1]


@dataclass
class PupilRow:
    rank: int
    pupil_key: str
    pupil_id: str | None
    last_name: str
    first_name: str
    class_: str
    grade: int | None
    year_level: int | None
    birth_date: date | None
    age: int | None
    score: float
    absent_halfdays: int
    b_halfdays: int
    late: int
    possible_halfdays: int
    signals: list[Signal] = field(default_factory=list)
    measures: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def absent_share(self) -> float:
        return self.absent_halfdays / self.possible_halfdays if self.possible_halfdays else 0.0

    def signal_ids(self) -> list[str]:
        return [s.id for s in self.signals]

    @property
    def grade_label(self) -> str:
        """``2e graad``, or ``graad onbekend`` (which weighs as the middle grade)."""
        return f"{self.grade}e graad" if self.grade is not None else "graad onbekend"

    @property
    def grade_term(self) -> float:
        """What the grade adds to the score (0 when no signal fires)."""
        return float(self.measures.get("grade_score") or 0.0) if self.signals else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "pupil_id": self.pupil_id if self.pupil_id is not None else self.pupil_key,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "class": self.class_,
            "grade": self.grade,
            "score": self.score,
            "absent_halfdays": self.absent_halfdays,
            "b_halfdays": self.b_halfdays,
            "late": self.late,
            "possible_halfdays": self.possible_halfdays,
            "absent_share": round(self.absent_share, 4),
            "signals": [{"id": s.id, "label": s.label, "detail": s.detail} for s in self.signals],
        }


def _words(needle: str) -> list[str]:
    return search_words(needle)


def prioritised(
    db: Database, today: date, config: Config, *, limit: int | None = None, offset: int = 0,
    include_all: bool = False, cursor=None, only_pupil: str | None = None, needle: str = "",
) -> list[PupilRow]:
    """Pupils in priority order. Without ``include_all`` only pupils with a signal;
    ``needle`` keeps the pupils whose name, class, grade or signals hold every word of it;
    with ``only_pupil`` just that pupil, signals or not. The whole list is computed once per
    day, settings and data (``list_cache``); a page of it is read from there."""
    if only_pupil is not None:
        include_all = True
    with own_cursor(db, cursor) as cur:
        if only_pupil is not None:
            with db.list_lock:
                params, key = prepare(db, cur, today, config)
                stored = fresh(db, cur, key)
            if not stored:  # one pupil is quicker computed on its own than the whole list
                params["only_pupils"] = [only_pupil]
                result = cur.execute(queries.load("prioritised_pupils"), queries.bind("prioritised_pupils", params))
                names = [d[0] for d in result.description]
                return _rows(names, result.fetchall(), today, config)
        else:
            ensure(db, cur, today, config)
        return _page(db, cur, today, config, include_all=include_all, only_pupil=only_pupil, needle=needle,
                     offset=offset, limit=limit)


def _page(db: Database, cur, today: date, config: Config, *, include_all: bool = False,
          only_pupil: str | None = None, needle: str = "", offset: int = 0, limit: int | None = None) -> list[PupilRow]:
    result = db.execute("list_page", {
        "include_all": include_all, "only_pupil": only_pupil, "words": _words(needle),
        "offset": offset, "limit": limit,
    }, cursor=cur)
    names = [d[0] for d in result.description]
    return _rows(names, result.fetchall(), today, config, all_ranks=include_all)


def list_window(config: Config) -> int:
    """How many rows of the list the screen holds at once (``[meeting] list_window``): a meeting
    never scrolls that far, and the filter reaches every pupil."""
    return int(config.section("meeting").get("list_window", 300))


@dataclass
class ListView:
    """What the list screen shows: the top of the list, the page the filter finds (the same
    without a filter), the counts, and (pupil_key, pupil_id) of pupils whose follow-up is due."""

    top: list[PupilRow]
    shown: list[PupilRow]
    counts: ListCounts
    review_due: list[tuple[str, str | None]]


def list_view(db: Database, today: date, config: Config, *, limit: int, needle: str = "",
              cursor=None) -> ListView:
    with own_cursor(db, cursor) as cur:
        ensure(db, cur, today, config)
        top = _page(db, cur, today, config, limit=limit)
        shown = _page(db, cur, today, config, limit=limit, needle=needle) if needle.strip() else top
        counts = _counts(db, cur, needle, include_all=False)
        due = [tuple(r) for r in db.execute("list_review_due", cursor=cur).fetchall()]
    return ListView(top, shown, counts, due)


def list_search(db: Database, today: date, config: Config, *, needle: str, limit: int,
                cursor=None) -> tuple[list[PupilRow], int]:
    """The first ``limit`` pupils the filter finds, and how many it finds (one key check:
    this runs on every key typed in the filter)."""
    with own_cursor(db, cursor) as cur:
        ensure(db, cur, today, config)
        return (_page(db, cur, today, config, limit=limit, needle=needle),
                _counts(db, cur, needle, include_all=False).found)


@dataclass
class ListCounts:
    found: int  # pupils matching the filter (with a signal unless include_all)
    with_signal: int
    pupils: int


def _counts(db: Database, cur, needle: str, *, include_all: bool) -> ListCounts:
    found, with_signal, pupils = db.execute(
        "list_counts", {"include_all": include_all, "words": _words(needle)}, cursor=cur
    ).fetchall()[0]
    return ListCounts(int(found), int(with_signal), int(pupils))


def list_counts(db: Database, today: date, config: Config, *, needle: str = "", include_all: bool = False,
                cursor=None) -> ListCounts:
    with own_cursor(db, cursor) as cur:
        ensure(db, cur, today, config)
        return _counts(db, cur, needle, include_all=include_all)


def review_due_keys(db: Database, today: date, config: Config, cursor=None) -> list[tuple[str, str | None]]:
    """(pupil_key, pupil_id) of every pupil whose follow-up is due."""
    with own_cursor(db, cursor) as cur:
        ensure(db, cur, today, config)
        return [tuple(r) for r in db.execute("list_review_due", cursor=cur).fetchall()]


def _rows(names: list[str], rows: list[tuple], today: date, config: Config, *, all_ranks: bool = True) -> list[PupilRow]:
    out: list[PupilRow] = []
    weights = config.weights
    thresholds = config.thresholds
    for values in rows:
        m = dict(zip(names, values))
        m["today"] = today
        signals = []
        for sid in SIGNAL_IDS:
            if m[f"s_{sid}"]:
                weight = m["m_flag_weight"] if sid == "team_flag" else float(weights[BY_ID[sid].weight])
                spec = BY_ID[sid]
                signals.append(Signal(sid, spec.label, weight, spec.source, spec.reason, m, thresholds))
        out.append(PupilRow(
            rank=int(m["position"] if all_ranks or m["rank"] is None else m["rank"]),
            pupil_key=m["pupil_key"], pupil_id=m["pupil_id"],
            last_name=m["last_name"], first_name=m["first_name"], class_=m["class"],
            grade=m["grade"], year_level=m["year_level"], birth_date=m["birth_date"], age=m["age"],
            score=float(m["score"]), absent_halfdays=m["absent"], b_halfdays=m["b"], late=m["late"],
            possible_halfdays=int(m["possible"]), signals=signals, measures=m,
        ))
    return out


def signal_dict(signal: Signal) -> dict[str, Any]:
    return {"id": signal.id, "label": signal.label, "detail": signal.detail, "weight": signal.weight,
            "threshold": signal.threshold, "source": signal.source, "reason": signal.reason}
