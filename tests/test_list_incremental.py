"""The stored list follows a change pupil by pupil: after random changes on the sample school
(team flags set and cleared, notes, a minutes file added or changed, small imports on top, one
change or several before the list is read) the stored list equals, row by row, the list computed
for every pupil from scratch; and it got there without computing everyone again."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.conftest import TODAY, dmy, school_days, write_csv
from zorgoverleg import list_cache, queries
from zorgoverleg.db import Database
from zorgoverleg.history import TEAM_FLAGS, index_minutes, set_flag, set_flag_note
from zorgoverleg.importer import import_files
from zorgoverleg.minutes import Action, Meeting, PupilMinutes, minutes_path, save
from zorgoverleg.signals import ensure_list, prioritised

CODES = ["B", "B", "Z", "D", "R", "L", "-", "P"]


def stored_rows(db: Database) -> list[dict]:
    result = db.conn.execute("SELECT * FROM list_cache ORDER BY position")
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def full_rows(db: Database, config) -> list[tuple]:
    """The list of every pupil computed from scratch, without touching the stored one."""
    cur = db.cursor()
    try:
        params, _ = list_cache.prepare(db, cur, TODAY, config)
        result = cur.execute(queries.load("prioritised_pupils"),
                             queries.bind("prioritised_pupils", {**params, "only_pupils": None}))
        names = [d[0] for d in result.description]
        return [dict(zip(names, row)) for row in result.fetchall()]
    finally:
        cur.close()


@pytest.fixture
def full_computes(monkeypatch):
    calls: list[int] = []
    original = list_cache.compute

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(list_cache, "compute", counting)
    return calls


def _pupils(db: Database) -> list[tuple]:
    return db.conn.execute("SELECT pupil_key, pupil_id, last_name, first_name, class FROM pupils ORDER BY ALL").fetchall()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_changes_give_the_list_a_full_recompute_gives(school_db, config, tmp_path, seed, full_computes):
    rng = random.Random(seed)
    folder = tmp_path / "notulen"
    folder.mkdir()
    ensure_list(school_db, TODAY, config)
    assert stored_rows(school_db) == full_rows(school_db, config)
    full_computes.clear()
    pupils = _pupils(school_db)
    days = school_days(date(2026, 1, 5), TODAY)
    meetings: list[Meeting] = []
    imports = 0
    for step in range(14):
        for _ in range(rng.choice([1, 1, 2, 3])):  # sometimes several changes before the list is read
            kind = rng.choice(["flag", "flag", "unflag", "note", "minutes", "import"])
            key, pid, last, first, klas = rng.choice(pupils)
            if kind == "flag":
                set_flag(school_db, key, rng.choice(list(TEAM_FLAGS)), True, note="x", set_by="An")
            elif kind == "unflag":
                flagged = school_db.conn.execute(
                    "SELECT pupil_key, flag FROM team_flags WHERE active ORDER BY ALL").fetchall()
                if flagged:
                    set_flag(school_db, *rng.choice(flagged), False)
            elif kind == "note":
                flagged = school_db.conn.execute(
                    "SELECT pupil_key, flag FROM team_flags WHERE active ORDER BY ALL").fetchall()
                if flagged:
                    set_flag_note(school_db, *rng.choice(flagged), f"notitie {step}")
            elif kind == "minutes":
                if meetings and rng.random() < 0.5:  # a minutes file changed: another pupil, another date
                    meeting = rng.choice(meetings)
                    meeting.pupils[0] = PupilMinutes(pupil_id=pid or key,
                                                     next_review=TODAY - timedelta(days=rng.randint(-5, 5)))
                else:  # a new minutes file
                    meeting = Meeting(date=TODAY - timedelta(days=7 * (len(meetings) + 1)), title=f"Overleg {step}",
                                      finished=True)
                    pupil = PupilMinutes(pupil_id=pid or key, next_review=TODAY + timedelta(days=rng.randint(-9, 9)))
                    pupil.actions.append(Action("ouders bellen", "An", TODAY - timedelta(days=rng.randint(-3, 3))))
                    meeting.pupils.append(pupil)
                    meetings.append(meeting)
                save(meeting, minutes_path(folder, meeting.date, meeting.title))
                index_minutes(school_db, folder)
            else:  # a small import on top: known pupils, now and then a new one
                rows = []
                for _ in range(rng.randint(1, 12)):
                    key, pid, last, first, klas = rng.choice(pupils)
                    if pid is None:
                        continue
                    rows.append((pid, last, first, klas, dmy(rng.choice(days)), rng.choice(["VM", "NM"]),
                                 rng.choice(CODES), ""))
                if rng.random() < 0.3:
                    rows += [(f"88{seed}{step:03d}", "Nieuw", f"Leerling{step}", "3A", dmy(d), "VM", "B", "")
                             for d in rng.sample(days, 6)]
                if rows:
                    imports += 1
                    import_files(school_db, [write_csv(tmp_path / f"week{seed}-{imports}.csv", rows)], config)
        # read as the screen does: the stored list is brought up to date
        page = prioritised(school_db, TODAY, config, limit=20)
        stored = stored_rows(school_db)
        full = full_rows(school_db, config)
        assert len(stored) == len(full)
        for mine, theirs in zip(stored, full, strict=True):
            assert mine == theirs, f"step {step}: {mine['pupil_key']} differs from a full recompute"
        assert [r.pupil_key for r in page] == [r["pupil_key"] for r in full if r["has_signal"]][:20]
    assert not full_computes, "every change was followed pupil by pupil"


def test_a_change_nobody_noted_computes_everyone(school_db, config, full_computes):
    ensure_list(school_db, TODAY, config)
    full_computes.clear()
    key = school_db.conn.execute("SELECT pupil_key FROM pupils ORDER BY pupil_key LIMIT 1").fetchone()[0]
    set_flag(school_db, key, "parents_unreachable", True)  # noted
    school_db.conn.execute(  # not noted: written behind the program's back
        "INSERT INTO team_flags VALUES ((SELECT max(pupil_key) FROM pupils), 'problem_home', '', '', now(), true)")
    ensure_list(school_db, TODAY, config)
    assert full_computes == [1]
    assert stored_rows(school_db) == full_rows(school_db, config)


def test_other_settings_compute_everyone(school_db, config, full_computes):
    ensure_list(school_db, TODAY, config)
    full_computes.clear()
    config.thresholds["b_first"] = int(config.thresholds["b_first"]) + 1
    ensure_list(school_db, TODAY, config)
    assert full_computes == [1]
    assert stored_rows(school_db) == full_rows(school_db, config)


def test_one_flag_moves_one_pupil_without_a_sort(school_db, config, monkeypatch, full_computes):
    # One pupil's flag set or cleared, read after each change: the stored list is numbered again
    # by shifting the pupils between the old and the new place (list_cache_move.sql), and equals
    # a full recompute, also when the pupil gains its first signal or loses its last one.
    ensure_list(school_db, TODAY, config)
    full_computes.clear()
    used: list[str] = []
    real_load = queries.load
    monkeypatch.setattr(queries, "load", lambda name: used.append(name) or real_load(name))
    rows = stored_rows(school_db)
    without = [r["pupil_key"] for r in rows if not r["has_signal"]]
    low = [r["pupil_key"] for r in rows if r["has_signal"]][-3:]  # at the end of the ranked pupils
    top = rows[0]["pupil_key"]
    changes = [(without[0], "parents_unreachable", True), (without[-1], "chronically_ill", True),
               (low[0], "problem_home", True), (top, "parents_unreachable", True),
               (without[0], "parents_unreachable", False), (top, "parents_unreachable", False),
               (low[0], "problem_home", False)]
    for key, flag, on in changes:
        set_flag(school_db, key, flag, on)
        ensure_list(school_db, TODAY, config)
        stored, full = stored_rows(school_db), full_rows(school_db, config)
        for mine, theirs in zip(stored, full, strict=True):
            assert mine == theirs, f"{key} {flag} {on}: {mine['pupil_key']} differs from a full recompute"
    assert "list_cache_move" in used and "list_cache_rerank" not in used  # (load also runs for the parameters)
    assert not full_computes
