"""Follow-up across meetings: earlier minutes indexed into DuckDB, and team knowledge.

Never imports Textual. The minutes folder is the record; the ``agreements`` and
``reviews`` tables are an index rebuilt from it, so a hand-edited file counts too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
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

    An agreement is followed by its id: its newest record holds its text and status. An agreement
    deleted at a meeting (``deleted_actions``) is left out. A broken file is reported (one Dutch sentence naming file and key) and skipped;
    the others are indexed.
    """
    actions: dict[str, list] = {k: [] for k in ("pupil_ref", "agreement_id", "meeting_date", "seen_at",
                                                 "minutes_file", "what", "who", "due", "done")}
    reviews: dict[str, list] = {k: [] for k in ("pupil_ref", "meeting_date", "minutes_file", "next_review",
                                                 "phase", "pivot")}
    problems: list[str] = []
    loaded: list[tuple[Path, m.Meeting]] = []
    for path in m.list_minutes(folder):
        try:
            loaded.append((path, m.load(path)))
        except m.MinutesError as exc:
            problems.append(str(exc))
    loaded.sort(key=lambda item: (item[1].date, item[0].name))
    # Per agreement its newest record, and the agreements deleted at some meeting.
    deleted: set[tuple[str, str]] = set()
    newest: dict[tuple[str, str], tuple[m.Meeting, Path, m.Action]] = {}
    for path, meeting in loaded:
        for pupil in meeting.pupils:
            deleted.update((pupil.pupil_id, action_id) for action_id in pupil.deleted_actions)
            reviews["pupil_ref"].append(pupil.pupil_id)
            reviews["meeting_date"].append(meeting.date)
            reviews["minutes_file"].append(str(path))
            reviews["next_review"].append(pupil.next_review)
            reviews["phase"].append(pupil.phase)
            reviews["pivot"].append(pupil.pivot)
            for action in pupil.actions:
                if action.what.strip():
                    newest[(pupil.pupil_id, action.id)] = (meeting, path, action)
    for (pupil_id, action_id), (meeting, path, action) in newest.items():
        if (pupil_id, action_id) in deleted:
            continue  # deleted at a meeting: it does not come back
        actions["pupil_ref"].append(pupil_id)
        actions["agreement_id"].append(action_id)
        actions["meeting_date"].append(action.since or meeting.date)
        actions["seen_at"].append(meeting.date)
        actions["minutes_file"].append(str(path))
        actions["what"].append(action.what)
        actions["who"].append(action.who)
        actions["due"].append(action.due)
        actions["done"].append(action.done)
    files = len(loaded)
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


def _moment(when: date | datetime | None) -> datetime:
    now = datetime.now().replace(microsecond=0)
    if when is None:
        return now
    if isinstance(when, datetime):
        return when
    return datetime.combine(when, now.time())


# Flag writes come from UI worker threads, one per key press: one at a time, so two quick
# toggles of the same flag never race into a write conflict.
_FLAG_WRITES = threading.Lock()


def set_flag(db: Database, pupil_key: str, flag: str, on: bool, *, note: str = "", set_by: str = "",
             set_at: date | datetime | None = None, cursor=None) -> None:
    """Set or clear a team flag. `set_at` is the meeting's day (a date: that day at the time of day
    now); None means now."""
    if flag not in TEAM_FLAGS:
        raise KeyError(flag)
    with _FLAG_WRITES, _flag_change(db, cursor, pupil_key) as cur:
        db.execute("team_flag_clear", {"pupil_key": pupil_key, "flag": flag}, cursor=cur)
        if on:
            db.execute("team_flag_set", {"pupil_key": pupil_key, "flag": flag, "note": note, "set_by": set_by,
                                         "set_at": _moment(set_at)}, cursor=cur)


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
