"""The prioritised list: signals, their Dutch wording, and the explainable score.

The measures, the thresholds and the score are computed in SQL
(``queries/prioritised_pupils.sql``); this module supplies the school calendar,
binds the settings and words each signal that fires for people.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from zorgoverleg import queries
from zorgoverleg.calendar import SchoolCalendar, parse_free_days, school_year_of
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.text import nl_number, search_words

SIGNAL_IDS = (
    "b_first", "b_clb", "b_police", "b_allowance", "chronic", "severe", "velocity", "detachment",
    "camouflage", "weekday", "after_break", "partial_days", "late", "unknown_code", "parent_notes",
    "long_illness", "review_due", "team_flag",
)

# Short Dutch label per signal (for tags and tables), and where its threshold comes from.
LABELS = {
    "b_first": "B-code",
    "b_clb": "Melding CLB",
    "b_police": "Politie (lokaal)",
    "b_allowance": "Schooltoeslag",
    "chronic": "Veel afwezig",
    "severe": "Zeer veel afwezig",
    "velocity": "Snelle toename",
    "detachment": "B zonder wettiging",
    "camouflage": "B naast wettiging",
    "weekday": "Vaste dag",
    "after_break": "Na weekend/vakantie",
    "partial_days": "Halve dagen",
    "late": "Vaak te laat",
    "unknown_code": "Nog te wettigen",
    "parent_notes": "Briefjes ouders",
    "long_illness": "Lange ziekte",
    "review_due": "Opvolging",
    "team_flag": "Teamsignaal",
}

SOURCES = {
    "b_first": "AGODI: vanaf de eerste B-code contact met de ouders",
    "b_clb": "AGODI: vanaf 5 B-codes melding aan het CLB en begeleidingsdossier",
    "b_police": "lokale afspraak van de school (geen wettelijke drempel)",
    "b_allowance": "Groeipakket: schooltoeslag in gevaar vanaf 30 B-halve dagen",
    "chronic": "internationale maat voor chronische afwezigheid (10%)",
    "severe": "Engelse maat voor zeer ernstige afwezigheid (50%)",
    "velocity": "snelheid telt: 20 in 6 weken weegt zwaarder dan 20 in 6 maanden",
    "detachment": "B-codes zonder gewettigde afwezigheden kunnen wijzen op loskomen van school",
    "camouflage": "B-codes tussen gewettigde afwezigheden: de band met school is er nog",
    "weekday": "afwezigheden op vaste dagen of uren, ook gewettigde",
    "after_break": "moeite om terug te komen na een weekend of vakantie",
    "partial_days": "vaak een deel van de dag afwezig",
    "late": "vaak te laat komen, apart geteld van afwezigheden",
    "unknown_code": "afwezigheden die nog gewettigd moeten worden",
    "parent_notes": "briefje ouders: hoogstens 4 keer per schooljaar, telkens max. 3 dagen",
    "long_illness": "meer dan 21 kalenderdagen ziek: informeren over TOAH en Bednet",
    "review_due": "afspraak of evaluatiedatum uit een vorig overleg",
    "team_flag": "wat het team weet en de export niet toont",
}

WEEKDAYS = {1: "maandag", 2: "dinsdag", 3: "woensdag", 4: "donderdag", 5: "vrijdag", 6: "zaterdag", 7: "zondag"}
HALFDAYS = {"VM": "voormiddag", "NM": "namiddag"}
def _flag_labels() -> dict[str, str]:
    from zorgoverleg.history import TEAM_FLAGS

    return {k: v.lower() for k, v in TEAM_FLAGS.items()}


@dataclass(eq=False)
class Signal:
    """A signal that fires for a pupil. The wording (detail, threshold) is made on first
    use: a list of 10,000 pupils shows labels only."""

    id: str
    label: str
    weight: float = 0.0
    source: str = ""
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


def calendar_for(today: date, config: Config) -> SchoolCalendar:
    free = parse_free_days(config.section("calendar").get("free_days", []))
    return SchoolCalendar(school_year_of(today), free)


def school_days_table(calendar: SchoolCalendar, today: date) -> pa.Table:
    rows = calendar.day_rows(today)
    return pa.table({
        "date": pa.array([r[0] for r in rows], type=pa.date32()),
        "halfdays": pa.array([r[1] for r in rows], type=pa.int32()),
        "after_break": pa.array([r[2] for r in rows], type=pa.bool_()),
        "weekday": pa.array([r[3] for r in rows], type=pa.int32()),
        "day_index": pa.array(list(range(len(rows))), type=pa.int32()),
    })


def list_parameters(today: date, config: Config, calendar: SchoolCalendar) -> dict[str, Any]:
    params: dict[str, Any] = {"today": today, "year_start": calendar.start}
    params.update({f"t_{k}": v for k, v in config.thresholds.items()})
    params.update({f"w_{k}": float(v) for k, v in config.weights.items() if not isinstance(v, dict)})
    for grade in (1, 2, 3):
        params[f"w_grade_{grade}"] = config.grade_weight(grade)
    return params


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def _d(value: date | None) -> str:
    return value.strftime("%d/%m") if value else "?"


def describe(sid: str, m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    """(detail, threshold) in Dutch for signal ``sid`` with measures ``m`` and thresholds ``t``."""
    b, absent, possible = m["b"], m["absent"], m["possible"]
    window_weeks = round(t["velocity_window_days"] / 7)
    if sid in ("b_first", "b_clb", "b_police", "b_allowance"):
        key = {"b_first": "b_first", "b_clb": "b_clb", "b_police": "b_police", "b_allowance": "b_allowance"}[sid]
        recent = f", waarvan {m['m_b_recent']} in de laatste {round(t['detachment_window_days'] / 7)} weken" if m["m_b_recent"] else ""
        follow = {
            "b_first": "contact met de ouders",
            "b_clb": "melding aan het CLB en begeleidingsdossier",
            "b_police": "lokale afspraak: politie inschakelen",
            "b_allowance": "schooltoeslag in gevaar",
        }[sid]
        return f"{b} B-halve dagen{recent}: {follow}.", f"vanaf {t[key]} B-halve dagen"
    if sid in ("chronic", "severe"):
        share = t["chronic_share"] if sid == "chronic" else t["severe_share"]
        return (
            f"{absent} van {possible} mogelijke halve dagen afwezig ({_pct(m['m_share'])}).",
            f"vanaf {_pct(share)} van de mogelijke halve dagen",
        )
    if sid == "velocity":
        return (
            f"{m['m_absent_recent']} afwezige halve dagen in de laatste {window_weeks} weken "
            f"({_pct(m['m_rate_recent'])}), tegenover {_pct(m['m_rate_before'])} daarvoor.",
            f"minstens {t['velocity_min_halfdays']} halve dagen en {nl_number(t['velocity_ratio'], decimals=2)} keer het eerdere ritme",
        )
    if sid == "detachment":
        weeks = round(t["detachment_window_days"] / 7)
        return (
            f"{m['m_b_recent']} B-halve dagen in de laatste {weeks} weken, zonder gewettigde afwezigheden ernaast.",
            f"minstens {t['detachment_min_b']} B-halve dagen in {weeks} weken",
        )
    if sid == "camouflage":
        return (
            f"{m['m_b_near_justified']} B-halve dagen liggen vlak bij gewettigde afwezigheden "
            f"({m['m_justified']} gewettigde halve dagen dit schooljaar).",
            f"minstens {t['camouflage_min_b']} B-halve dagen binnen {t['camouflage_days']} dagen van een wettiging",
        )
    if sid == "weekday":
        days = m["m_absent_days"]
        if m["m_top_weekday_n"] >= t["weekday_share"] * days and m["m_top_weekday_n"] >= t["weekday_min"]:
            text = f"{m['m_top_weekday_n']} van {days} dagen met afwezigheid vallen op een {WEEKDAYS.get(m['m_top_weekday'], '?')}."
        else:
            text = (
                f"{m['m_top_slot_n']} van {absent} afwezige halve dagen vallen op "
                f"{WEEKDAYS.get(m['m_top_slot_weekday'], '?')}{HALFDAYS.get(m['m_top_slot_halfday'], '')}."
            )
        return text, f"minstens {_pct(t['weekday_share'])} op één weekdag of {_pct(t['slot_share'])} op één dagdeel"
    if sid == "after_break":
        return (
            f"{m['m_absent_after_break']} keer afwezig op de eerste schooldag na een weekend of vakantie "
            f"({_pct(m['m_rate_after_break'])} van die dagen, tegenover {_pct(m['m_rate_other_days'])} van de andere).",
            f"minstens {t['after_break_min']} dagen en {nl_number(t['after_break_ratio'], decimals=2)} keer het ritme van andere dagen",
        )
    if sid == "partial_days":
        return (
            f"{m['m_partial_days']} dagen enkel de voormiddag of enkel de namiddag afwezig.",
            f"vanaf {t['partial_days_min']} dagen",
        )
    if sid == "late":
        return f"{m['late']} keer te laat dit schooljaar.", f"vanaf {t['late_min']} keer"
    if sid == "unknown_code":
        return (
            f"{m['m_unknown_old']} halve dagen nog zonder wettiging (code -), de oudste van {_d(m['m_unknown_since'])}.",
            f"code - van {t['unknown_days']} dagen of ouder",
        )
    if sid == "parent_notes":
        parts = [f"{m['m_note_episodes']} ziekteperiodes met een briefje van de ouders"]
        if m["m_longest_note"] > t["parent_note_days"]:
            parts.append(f"de langste {m['m_longest_note']} schooldagen")
        return "; ".join(parts) + ".", (
            f"vanaf {t['parent_notes_max']} periodes of één langer dan {t['parent_note_days']} dagen: doktersattest nodig"
        )
    if sid == "long_illness":
        return (
            f"{m['m_longest_illness']} kalenderdagen ziek ({_d(m['m_longest_from'])} tot {_d(m['m_longest_to'])}): "
            "informeer over TOAH, Bednet en School & Ziek zijn.",
            f"meer dan {t['long_illness_days']} kalenderdagen",
        )
    if sid == "review_due":
        parts = []
        if m["m_overdue"]:
            parts.append(f"{m['m_overdue']} afspraak/afspraken over datum (oudste {_d(m['m_oldest_due'])})")
        if m["m_next_review"] is not None and m["m_next_review"] <= m["today"]:
            parts.append(f"evaluatie gepland op {_d(m['m_next_review'])}")
        return "; ".join(parts) + ".", "vervaldatum of evaluatiedatum bereikt"
    if sid == "team_flag":
        labels = _flag_labels()
        flags = []
        for item in (m["m_flag_ids"] or "").split(","):
            if not item:
                continue
            flag, _, rest = item.partition("|")
            who, _, when = rest.partition("|")
            by = ", ".join(x for x in (who, when) if x)
            flags.append(labels.get(flag, flag) + (f" ({by})" if by else ""))
        return "; ".join(flags) + ".", "door het team ingesteld"
    raise KeyError(sid)


LIST_CACHE = "list_cache"


def _signal_words() -> list[str]:
    return [f"{sid} {LABELS[sid]}" for sid in SIGNAL_IDS]


def _prepare(db: Database, cur, today: date, config: Config) -> tuple[dict[str, Any], str]:
    """Register what the list query needs on ``cur``; returns its parameters and the key of
    the list they give: the day, the settings, the calendar, the query and the data."""
    calendar = calendar_for(today, config)
    days = school_days_table(calendar, today)
    cur.register("school_days", days)
    flags = config.weights.get("team_flags", {})
    cur.register("flag_weights", pa.table({
        "flag": pa.array(list(flags), type=pa.string()),
        "weight": pa.array([float(v) for v in flags.values()], type=pa.float64()),
    }))
    params = list_parameters(today, config, calendar)
    params["signal_words"] = _signal_words()
    fingerprint = db.execute("list_fingerprint", cursor=cur).fetchall()[0]
    key = hashlib.sha256(json.dumps(
        [queries.load("prioritised_pupils"), params, flags, days.to_pydict(), list(fingerprint)],
        default=str, sort_keys=True,
    ).encode()).hexdigest()
    return params, key


def _compute(db: Database, cur, params: dict[str, Any], key: str) -> None:
    """Store the list of every pupil in ``list_cache`` under ``key``; on a database that
    cannot be written (opened read-only) the list is kept for this cursor only."""
    sql = queries.load("prioritised_pupils")
    bound = queries.bind("prioritised_pupils", {**params, "only_pupil": None})
    try:
        cur.execute("BEGIN")
        cur.execute(f"CREATE OR REPLACE TABLE main.{LIST_CACHE} AS {sql}", bound)
        db.execute("list_cache_key_set", {"key": key}, cursor=cur)
        cur.execute("COMMIT")
    except duckdb.Error:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {LIST_CACHE} AS {sql}", bound)
        db.temp_list_keys[id(cur)] = key


def ensure_list(db: Database, today: date, config: Config, cursor=None, *, force: bool = False) -> None:
    """Make sure ``list_cache`` holds the list for ``today`` and the current settings and data
    (computed again after an import, a team flag, new minutes or other settings; always with
    ``force``)."""
    with _cursor(db, cursor) as cur:
        _ensure(db, cur, today, config, force=force)


def _ensure(db: Database, cur, today: date, config: Config, *, force: bool = False) -> dict[str, Any]:
    """Compute and store the list unless the stored one is up to date; returns the list's parameters."""
    with db.list_lock:
        params, key = _prepare(db, cur, today, config)
        if force or not _fresh(db, cur, key):
            _compute(db, cur, params, key)
        return params


def _fresh(db: Database, cur, key: str) -> bool:
    """Whether the list that ``cur`` sees is the one for ``key``. A cursor on a read-only
    database keeps a list of its own (a temp table, which hides the stored one)."""
    temporary = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = $name", {"name": LIST_CACHE}
    ).fetchall()[0][0]
    if temporary:
        return db.temp_list_keys.get(id(cur)) == key
    stored = db.execute("list_cache_key", cursor=cur).fetchall()
    return bool(stored) and stored[0][0] == key


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
    with _cursor(db, cursor) as cur:
        if only_pupil is not None:
            with db.list_lock:
                params, key = _prepare(db, cur, today, config)
                fresh = _fresh(db, cur, key)
            if not fresh:  # one pupil is quicker computed on its own than the whole list
                params["only_pupil"] = only_pupil
                result = cur.execute(queries.load("prioritised_pupils"), queries.bind("prioritised_pupils", params))
                names = [d[0] for d in result.description]
                return _rows(names, result.fetchall(), today, config)
        else:
            _ensure(db, cur, today, config)
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
    with _cursor(db, cursor) as cur:
        _ensure(db, cur, today, config)
        top = _page(db, cur, today, config, limit=limit)
        shown = _page(db, cur, today, config, limit=limit, needle=needle) if needle.strip() else top
        counts = _counts(db, cur, needle, include_all=False)
        due = [tuple(r) for r in db.execute("list_review_due", cursor=cur).fetchall()]
    return ListView(top, shown, counts, due)


def list_search(db: Database, today: date, config: Config, *, needle: str, limit: int,
                cursor=None) -> tuple[list[PupilRow], int]:
    """The first ``limit`` pupils the filter finds, and how many it finds (one key check:
    this runs on every key typed in the filter)."""
    with _cursor(db, cursor) as cur:
        _ensure(db, cur, today, config)
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
    with _cursor(db, cursor) as cur:
        _ensure(db, cur, today, config)
        return _counts(db, cur, needle, include_all=include_all)


def review_due_keys(db: Database, today: date, config: Config, cursor=None) -> list[tuple[str, str | None]]:
    """(pupil_key, pupil_id) of every pupil whose follow-up is due."""
    with _cursor(db, cursor) as cur:
        _ensure(db, cur, today, config)
        return [tuple(r) for r in db.execute("list_review_due", cursor=cur).fetchall()]


@contextmanager
def _cursor(db: Database, cursor):
    """The caller's cursor, or one of our own that is closed afterwards."""
    if cursor is not None:
        yield cursor
        return
    own = db.cursor()
    try:
        yield own
    finally:
        own.close()


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
                weight = m["m_flag_weight"] if sid == "team_flag" else float(weights[sid])
                signals.append(Signal(sid, LABELS[sid], weight, SOURCES[sid], m, thresholds))
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
            "threshold": signal.threshold, "source": signal.source}
