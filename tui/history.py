"""Follow-up across meetings: earlier minutes indexed into DuckDB, and team knowledge.

Never imports Textual. The minutes folder is the record; the ``agreements`` and
``reviews`` tables are an index rebuilt from it, so a hand-edited file counts too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from zorgoverleg import list_cache
from zorgoverleg import minutes as m
from zorgoverleg.db import Database

# What the team knows that the export cannot show (DOMAIN.md), id -> Dutch label.
TEAM_FLAGS: dict[str, str] = {
    "parents_unreachable": "Ouders onbereikbaar",
    "parents_not_cooperating": "Ouders werken niet mee",
    "problem_emotional": "Gekende emotionele problemen",
    "problem_social": "Gekende sociale problemen",
    "problem_home": "Moeilijke thuissituatie",
    "absence_earlier_years": "Afwezigheden in vorige schooljaren",
    "physical_complaints": "Lichamelijke klachten",
    "behaviour_change": "Gedragsverandering",
    "social_withdrawal": "Trekt zich terug",
    "falling_grades": "Dalende resultaten",
    "sick_bay": "Vaak naar het ziekenlokaal",
    "school_change": "Schoolverandering of zittenblijven",
    "chronically_ill": "Chronisch ziek",
}


@dataclass
class IndexResult:
    files: int
    agreements: int
    reviews: int
    problems: list[str]


def _pupil_ref_rows(meeting: m.Meeting, path: Path):
    for pupil in meeting.pupils:
        yield pupil, str(path)


def index_minutes(db: Database, folder: Path, cursor=None) -> IndexResult:
    """Read every minutes file in ``folder`` into the agreements and reviews tables.

    A broken file is reported (one Dutch sentence naming file and key) and skipped;
    the others are indexed.
    """
    actions: dict[str, list] = {k: [] for k in ("pupil_ref", "meeting_date", "seen_at", "minutes_file",
                                                 "what", "who", "due", "done")}
    reviews: dict[str, list] = {k: [] for k in ("pupil_ref", "meeting_date", "minutes_file", "next_review",
                                                 "phase", "pivot")}
    problems: list[str] = []
    files = 0
    for path in m.list_minutes(folder):
        try:
            meeting = m.load(path)
        except m.MinutesError as exc:
            problems.append(str(exc))
            continue
        files += 1
        for pupil in meeting.pupils:
            reviews["pupil_ref"].append(pupil.pupil_id)
            reviews["meeting_date"].append(meeting.date)
            reviews["minutes_file"].append(str(path))
            reviews["next_review"].append(pupil.next_review)
            reviews["phase"].append(pupil.phase)
            reviews["pivot"].append(pupil.pivot)
            for action in pupil.actions:
                if not action.what.strip():
                    continue
                actions["pupil_ref"].append(pupil.pupil_id)
                actions["meeting_date"].append(action.since or meeting.date)
                actions["seen_at"].append(meeting.date)
                actions["minutes_file"].append(str(path))
                actions["what"].append(action.what)
                actions["who"].append(action.who)
                actions["due"].append(action.due)
                actions["done"].append(action.done)
    types = {"meeting_date": pa.date32(), "seen_at": pa.date32(), "due": pa.date32(),
             "next_review": pa.date32(), "done": pa.bool_(), "phase": pa.int32()}
    action_table = pa.table({k: pa.array(v, type=types.get(k, pa.string())) for k, v in actions.items()})
    review_table = pa.table({k: pa.array(v, type=types.get(k, pa.string())) for k, v in reviews.items()})
    cur = cursor if cursor is not None else db.cursor()
    try:
        cur.register("minutes_actions", action_table)
        cur.register("minutes_reviews", review_table)
        cur.execute("BEGIN")
        before = list_cache.fingerprint(db, cur)
        was = dict(db.execute("history_pupil_digests", cursor=cur).fetchall())
        db.execute("history_clear_agreements", cursor=cur)
        db.execute("history_clear_reviews", cursor=cur)
        db.execute("history_insert_agreements", cursor=cur)
        db.execute("history_insert_reviews", cursor=cur)
        now = dict(db.execute("history_pupil_digests", cursor=cur).fetchall())
        # the pupils whose reviews or agreements differ: only their rows of the list change
        list_cache.note_change(db, cur, before, [k for k in was.keys() | now.keys() if was.get(k) != now.get(k)])
        cur.execute("COMMIT")
        count = cur.execute("SELECT count(*) FROM agreements").fetchall()[0][0]
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    finally:
        cur.unregister("minutes_actions")
        cur.unregister("minutes_reviews")
        if cursor is None:
            cur.close()
    return IndexResult(files, count, len(review_table), problems)


def active_flags(db: Database, pupil_key: str, cursor=None) -> list[m.TeamFlag]:
    rows = db.execute("team_flags_for_pupil", {"pupil_key": pupil_key}, cursor=cursor).fetchall()
    return [m.TeamFlag(flag, note or "", set_by or "", set_at.date() if set_at else None)
            for flag, note, set_by, set_at in rows]


# Flag writes come from UI worker threads, one per key press: one at a time, so two quick
# toggles of the same flag never race into a write conflict.
_FLAG_WRITES = threading.Lock()


def set_flag(db: Database, pupil_key: str, flag: str, on: bool, *, note: str = "", set_by: str = "",
             cursor=None) -> None:
    if flag not in TEAM_FLAGS:
        raise KeyError(flag)
    with _FLAG_WRITES, _flag_change(db, cursor, pupil_key) as cur:
        db.execute("team_flag_clear", {"pupil_key": pupil_key, "flag": flag}, cursor=cur)
        if on:
            db.execute("team_flag_set", {"pupil_key": pupil_key, "flag": flag, "note": note, "set_by": set_by},
                       cursor=cur)


def set_flag_note(db: Database, pupil_key: str, flag: str, note: str, cursor=None) -> None:
    with _FLAG_WRITES, _flag_change(db, cursor, pupil_key) as cur:
        db.execute("team_flag_note", {"pupil_key": pupil_key, "flag": flag, "note": note}, cursor=cur)


@contextmanager
def _flag_change(db: Database, cursor, pupil_key: str) -> Iterator[Any]:
    """One transaction for a change of one pupil's team flags, noted for the stored list (which
    then brings just that pupil's flag columns up to date)."""
    own = cursor is None
    cur = db.cursor() if own else cursor
    try:
        cur.execute("BEGIN")
        try:
            before = list_cache.fingerprint(db, cur)
            yield cur
            list_cache.note_change(db, cur, before, [pupil_key], flags_only=True)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
    finally:
        if own:
            cur.close()


def carry_over(pupil: m.PupilMinutes, earlier: list[tuple], meeting_date: date) -> int:
    """Copy earlier open agreements into this meeting's minutes so they can be ticked done.

    ``earlier`` rows are (meeting_date, what, who, due, done) from the index. Returns how
    many were added; an agreement already in the minutes is not added twice.
    """
    have = {((a.since or meeting_date), a.what) for a in pupil.actions}
    added = 0
    for first, what, who, due, done in earlier:
        if done or first >= meeting_date or (first, what) in have:
            continue
        pupil.actions.append(m.Action(what, who or "", due, False, since=first))
        have.add((first, what))
        added += 1
    return added
