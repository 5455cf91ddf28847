"""The stored list (``list_cache``): what the list query needs, its key, and keeping it up to date.

The prioritised list (``queries/prioritised_pupils.sql``) is computed for the day, settings,
calendar, query text and data, and stored; a page of it is read from there (``zorgoverleg.signals``).
Its key has two parts: the school-wide part (day, settings, calendar, query text) and a
fingerprint of the data (``list_fingerprint.sql``). Another school-wide part computes the whole
list again. A change of data is followed pupil by pupil: every writer (a team flag, the minutes
index, an import) notes in its own transaction which pupils it touched, with the fingerprint
before and after (``note_change``, table ``list_changes``). When the stored list's fingerprint
leads through such notes to the current one, only the pupils they name are computed again and
the list is numbered again (after one pupil's team flags, without a sort: ``_move``); a gap (a
change nobody noted, two changes at once) computes everyone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa

from zorgoverleg import queries
from zorgoverleg.calendar import SchoolCalendar, parse_free_days, school_year_of, school_year_start
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.signal_registry import SIGNALS, signal_words

LIST_CACHE = "list_cache"
QUERY = "prioritised_pupils"


def _rollback(cur) -> None:
    """Roll back after a failed write; a transaction DuckDB already ended is fine."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        pass


def calendar_for(today: date, config: Config, year: int | None = None) -> SchoolCalendar:
    free = parse_free_days(config.section("calendar").get("free_days", []))
    return SchoolCalendar(school_year_of(today) if year is None else year, free)


def _return_kinds(rows: list[tuple[date, int, bool, int]]) -> list[int]:
    """Per school day: 0, or after a break 1 when only Saturday and Sunday lie between it and the
    previous school day, else 2 (a holiday, a free day, the start of the year)."""
    kinds: list[int] = []
    previous: date | None = None
    for day, _, after_break, _ in rows:
        if not after_break:
            kinds.append(0)
        elif previous is None:
            kinds.append(2)
        else:
            gap = [previous + timedelta(days=i) for i in range(1, (day - previous).days)]
            kinds.append(1 if gap and all(d.weekday() >= 5 for d in gap) else 2)
        previous = day
    return kinds


def school_days_table(calendar: SchoolCalendar, today: date) -> pa.Table:
    rows = calendar.day_rows(today)
    return pa.table({
        "date": pa.array([r[0] for r in rows], type=pa.date32()),
        "halfdays": pa.array([r[1] for r in rows], type=pa.int32()),
        "after_break": pa.array([r[2] for r in rows], type=pa.bool_()),
        "weekday": pa.array([r[3] for r in rows], type=pa.int32()),
        "day_index": pa.array(list(range(len(rows))), type=pa.int32()),
        "return_kind": pa.array(_return_kinds(rows), type=pa.int8()),
    })


def earlier_days_table(today: date, config: Config) -> pa.Table:
    """School days of the earlier school years the list looks at (``earlier_years_back``)."""
    year = school_year_of(today)
    back = max(0, int(config.thresholds.get("earlier_years_back", 0)))
    dates: list[date] = []
    halfdays: list[int] = []
    years: list[int] = []
    for earlier in range(year - back, year):
        calendar = calendar_for(today, config, earlier)
        for d in calendar.school_days():
            dates.append(d)
            halfdays.append(len(calendar.halfdays_on(d)))
            years.append(earlier)
    return pa.table({
        "date": pa.array(dates, type=pa.date32()),
        "halfdays": pa.array(halfdays, type=pa.int32()),
        "school_year": pa.array(years, type=pa.int32()),
    })


def list_parameters(today: date, config: Config, calendar: SchoolCalendar) -> dict[str, Any]:
    params: dict[str, Any] = {"today": today, "year_start": calendar.start, "last_year": calendar.year - 1,
                              "last_year_start": school_year_start(calendar.year - 1)}
    params.update({f"t_{k}": v for k, v in config.thresholds.items()})
    params["w_team_flag"] = float(config.weights["team_flag"])
    for grade in (1, 2, 3):
        params[f"w_grade_{grade}"] = config.grade_weight(grade)
    # team_flag weighs per flag (flag_weights); its place in the list weighs nothing
    params["signal_weights"] = [0.0 if s.id == "team_flag" else float(config.weights[s.weight]) for s in SIGNALS]
    params["signal_words"] = signal_words()
    return params


@lru_cache(maxsize=8)
def _calendar_tables(today: date, free_days: str, back: int) -> tuple[pa.Table, pa.Table, str]:
    """The school days up to ``today``, the earlier years' school days and a digest of both, for
    one day and one calendar setting: made once, not on every key check."""
    config = Config()
    config.data["calendar"] = {"free_days": json.loads(free_days)}
    config.data["thresholds"]["earlier_years_back"] = back
    days = school_days_table(calendar_for(today, config), today)
    earlier = earlier_days_table(today, config)
    digest = hashlib.sha256(json.dumps([days.to_pydict(), earlier.to_pydict()], default=str).encode()).hexdigest()
    return days, earlier, digest


def fingerprint(db: Database, cur) -> str:
    """The data the list depends on, as a text that changes when that data changes. A database
    of an older schema opened read-only cannot change and has other tables (before schema 3 no
    halfday_hours): its list is computed for the session (its stored one came from another query)."""
    if db.old_schema is not None:
        return json.dumps(["read-only, schema", db.old_schema])
    return json.dumps(db.execute("list_fingerprint", cursor=cur).fetchall())


def note_change(db: Database, cur, before: str, pupil_keys: Iterable[str], *, flags_only: bool = False) -> None:
    """In the transaction of a change, after it: note that it touched (at most) ``pupil_keys``;
    ``before`` is ``fingerprint()`` taken in the same transaction before the change; ``flags_only``:
    it changed team flags and nothing else (the list then updates just their columns)."""
    after = fingerprint(db, cur)
    if after == before:
        return
    keys: list[str | None] = [*sorted(set(pupil_keys))] or [None]
    db.execute("list_changes_add", {"before": before, "after": after, "pupil_keys": keys,
                                    "kind": "flags" if flags_only else "data"}, cursor=cur)


# Above this share of the pupils, computing everyone is cheaper than replacing their rows.
FULL_SHARE = 0.5


@dataclass
class ListState:
    params: dict[str, Any]
    school: str  # the school-wide part of the key
    data: str  # the data fingerprint
    key: str


def _state(db: Database, cur, today: date, config: Config) -> ListState:
    calendar = calendar_for(today, config)
    free_days = json.dumps(config.section("calendar").get("free_days", []), default=str, sort_keys=True)
    days, earlier, calendar_digest = _calendar_tables(
        today, free_days, int(config.thresholds.get("earlier_years_back", 0)))
    cur.register("school_days", days)
    cur.register("earlier_days", earlier)
    flags = config.weights.get("team_flags", {})
    cur.register("flag_weights", pa.table({
        "flag": pa.array(list(flags), type=pa.string()),
        "weight": pa.array([float(v) for v in flags.values()], type=pa.float64()),
    }))
    params = list_parameters(today, config, calendar)
    school = hashlib.sha256(json.dumps(
        [queries.load(QUERY), params, flags, calendar_digest], default=str, sort_keys=True,
    ).encode()).hexdigest()
    data = fingerprint(db, cur)
    return ListState(params, school, data, hashlib.sha256(f"{school}:{data}".encode()).hexdigest())


def prepare(db: Database, cur, today: date, config: Config) -> tuple[dict[str, Any], str]:
    """Register what the list query needs on ``cur``; returns its parameters and the key of
    the list they give: the day, the settings, the calendar, the query and the data."""
    state = _state(db, cur, today, config)
    return state.params, state.key


def compute(db: Database, cur, params: dict[str, Any], key: str, state: ListState | None = None) -> None:
    """Store the list of every pupil in ``list_cache`` under ``key``; on a database that
    cannot be written (opened read-only) the list is kept for this cursor only."""
    sql = queries.load(QUERY)
    bound = queries.bind(QUERY, {**params, "only_pupils": None})
    try:
        cur.execute("BEGIN")
        cur.execute(f"CREATE OR REPLACE TABLE main.{LIST_CACHE} AS {sql}", bound)
        # a list whose key is not split (no state): no change can be followed from it
        db.execute("list_cache_state_set", {"key": key, "school": state.school if state else "",
                                            "data": state.data if state else ""}, cursor=cur)
        db.execute("list_changes_clear", cursor=cur)
        cur.execute("COMMIT")
    except duckdb.OutOfMemoryException:  # a list of its own would need the same memory
        _rollback(cur)
        raise
    except duckdb.Error:
        _rollback(cur)
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {LIST_CACHE} AS {sql}", bound)
        db.temp_list_keys[id(cur)] = key


@dataclass
class Stored:
    """What ``cur`` sees of the stored list (``list_cache_meta.sql``)."""
    temporary: bool  # a list of this cursor's own (a read-only database): it hides the stored one
    stored: bool
    key: str | None
    school: str | None
    data: str | None


def stored_list(db: Database, cur) -> Stored:
    temporary, stored, key, school, data = db.execute("list_cache_meta", cursor=cur).fetchall()[0]
    return Stored(bool(temporary), bool(stored), key, school, data)


def fresh(db: Database, cur, key: str, seen: Stored | None = None) -> bool:
    """Whether the list that ``cur`` sees is the one for ``key``. A cursor on a read-only
    database keeps a list of its own (a temp table, which hides the stored one)."""
    seen = seen or stored_list(db, cur)
    if seen.temporary:
        return db.temp_list_keys.get(id(cur)) == key
    return seen.stored and seen.key == key


@dataclass
class Touched:
    pupils: set[str]
    flags_only: bool  # every change on the way changed team flags only


def _touched(db: Database, cur, state: ListState, seen: Stored) -> Touched | None:
    """The pupils the changes since the stored list touched, or None when the stored list
    cannot be brought up to date pupil by pupil (none stored, a temporary one, other
    school-wide settings, or no chain of noted changes from its fingerprint to the current one)."""
    if seen.temporary or not seen.stored:
        return None
    school, data = seen.school, seen.data
    try:
        changes = db.execute("list_changes", cursor=cur).fetchall()
    except duckdb.Error:  # a database of an older schema opened read-only: no list_changes
        return None
    if not school or school != state.school or not data:
        return None
    links: dict[str, list[tuple[str, list[str], bool]]] = {}
    for before, after, keys, flags_only in changes:
        links.setdefault(before, []).append((after, keys or [], bool(flags_only)))
    # a path of noted changes from the stored fingerprint to the current one
    paths: dict[str, Touched] = {data: Touched(set(), True)}
    todo = [data]
    while todo:
        here = todo.pop()
        if here == state.data:
            return paths[here]
        for after, keys, flags_only in links.get(here, []):
            if after not in paths:
                paths[after] = Touched(paths[here].pupils | set(keys), paths[here].flags_only and flags_only)
                todo.append(after)
    return None


def _update(db: Database, cur, state: ListState, touched: Touched) -> bool:
    """Compute the rows of the ``touched`` pupils again (after team flags only, just their flag
    columns) and number the list again; False (nothing changed) when the whole list must be computed."""
    params = state.params
    keys = sorted(touched.pupils)
    pupils, stored_last_year = db.execute("list_cache_size", cursor=cur).fetchall()[0]
    if len(keys) > FULL_SHARE * pupils:
        return False
    if not touched.flags_only:  # team flags leave the half-days as they are
        now_last_year = db.execute("list_data_last_year", {
            "last_year_start": params["last_year_start"], "year_start": params["year_start"]},
            cursor=cur).fetchall()[0][0]
        if stored_last_year is not None and bool(stored_last_year) != bool(now_last_year):
            return False  # a school-wide measure changed: every row differs
    sql = queries.load(QUERY)
    try:
        cur.execute("BEGIN")
        if keys and touched.flags_only:
            db.execute("list_cache_flags_update", {**params, "pupil_keys": keys}, cursor=cur)
            if len(keys) == 1:  # the usual case (one flag set in the meeting): no sort
                _move(db, cur, keys[0])
            else:
                db.execute("list_cache_rerank", cursor=cur)
        elif keys:
            db.execute("list_cache_replace_pupils", {"pupil_keys": keys}, cursor=cur)
            cur.execute(f"INSERT INTO main.{LIST_CACHE} {sql}", queries.bind(QUERY, {**params, "only_pupils": keys}))
            db.execute("list_cache_name_order", cursor=cur)
            db.execute("list_cache_rerank", cursor=cur)
        db.execute("list_cache_state_set", {"key": state.key, "school": state.school, "data": state.data},
                   cursor=cur)
        db.execute("list_changes_clear", cursor=cur)
        cur.execute("COMMIT")
    except duckdb.Error:
        _rollback(cur)
        return False
    return True


def _move(db: Database, cur, pupil_key: str) -> None:
    """Number the list again after one pupil's flag columns changed: its new place from a count,
    the others shifted by one where they lie between its old and new place."""
    row = db.execute("list_cache_move_counts", {"pupil_key": pupil_key}, cursor=cur).fetchone()
    old_position, old_signal, new_signal, before, before_signal = row
    if old_position is None:  # not in the stored list (cannot happen after the flag update)
        db.execute("list_cache_rerank", cursor=cur)
        return
    db.execute("list_cache_move", {
        "pupil_key": pupil_key, "old_position": old_position, "new_position": before + 1,
        "old_signal": bool(old_signal), "new_signal": bool(new_signal),
        "new_rank": before_signal + 1 if new_signal else None,
    }, cursor=cur)


def ensure(db: Database, cur, today: date, config: Config, *, force: bool = False) -> dict[str, Any]:
    """Bring the stored list up to date: nothing when it is, the touched pupils' rows after
    noted changes, else the whole list (always with ``force``); returns the list's parameters."""
    with db.list_lock:
        state = _state(db, cur, today, config)
        seen = stored_list(db, cur)
        if force or not fresh(db, cur, state.key, seen):
            touched = None if force else _touched(db, cur, state, seen)
            if touched is None or not _update(db, cur, state, touched):
                compute(db, cur, state.params, state.key, state)
        return state.params


def ensure_list(db: Database, today: date, config: Config, cursor=None, *, force: bool = False) -> None:
    """Make sure ``list_cache`` holds the list for ``today`` and the current settings and data
    (computed again after an import, a team flag, new minutes or other settings; always with
    ``force``)."""
    with own_cursor(db, cursor) as cur:
        ensure(db, cur, today, config, force=force)


@contextmanager
def own_cursor(db: Database, cursor) -> Iterator[Any]:
    """The caller's cursor, or one of our own that is closed afterwards."""
    if cursor is not None:
        yield cursor
        return
    own = db.cursor()
    try:
        yield own
    finally:
        own.close()
