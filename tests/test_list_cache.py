"""The stored list (list_cache): computed once per day, settings and data, read a page at a
time, and computed again whenever something it depends on changes."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from tests.conftest import TODAY, import_rows, school_days
from zorgoverleg.config import Config, load_config
from zorgoverleg.db import Database
from zorgoverleg.history import index_minutes, set_flag
from zorgoverleg.minutes import Meeting, PupilMinutes, minutes_path, save
from zorgoverleg.signals import ensure_list, list_counts, list_search, list_view, prioritised, review_due_keys


def stored_key(db: Database) -> str | None:
    rows = db.conn.execute("SELECT value FROM meta WHERE key = 'list_cache_key'").fetchall()
    return rows[0][0] if rows else None


def test_the_list_is_stored_once_and_read_again(school_db, config):
    first = prioritised(school_db, TODAY, config)
    key = stored_key(school_db)
    assert key and first
    # a second read uses the stored list: the same rows, the same key, no new table
    created = school_db.conn.execute(
        "SELECT estimated_size FROM duckdb_tables() WHERE table_name = 'list_cache'").fetchall()
    again = prioritised(school_db, TODAY, config)
    assert [r.pupil_key for r in again] == [r.pupil_key for r in first]
    assert [r.score for r in again] == [r.score for r in first]
    assert stored_key(school_db) == key
    assert created


def test_pages_filter_and_counts_agree_with_the_whole_list(school_db, config):
    whole = prioritised(school_db, TODAY, config)
    assert [r.rank for r in whole] == list(range(1, len(whole) + 1))
    page = prioritised(school_db, TODAY, config, offset=10, limit=5)
    assert [r.pupil_key for r in page] == [r.pupil_key for r in whole[10:15]]
    assert [r.rank for r in page] == [11, 12, 13, 14, 15]
    counts = list_counts(school_db, TODAY, config)
    assert counts.with_signal == counts.found == len(whole)
    assert counts.pupils == len(prioritised(school_db, TODAY, config, include_all=True)) > len(whole)
    # the filter: every word in name, class, grade, signal id or label; the rank stays the list's
    some = whole[3]
    found = prioritised(school_db, TODAY, config, needle=f"{some.last_name.upper()} {some.class_.lower()}")
    assert some.pupil_key in [r.pupil_key for r in found]
    assert all(r.class_.lower() == some.class_.lower() for r in found)
    assert next(r for r in found if r.pupil_key == some.pupil_key).rank == some.rank
    b_label = prioritised(school_db, TODAY, config, needle="b-code")
    assert b_label and all("b_first" in r.signal_ids() for r in b_label)
    assert {r.pupil_key for r in prioritised(school_db, TODAY, config, needle="b_first")} == {
        r.pupil_key for r in b_label}
    grade = prioritised(school_db, TODAY, config, needle="2e graad")
    assert grade and all(r.grade == 2 for r in grade)
    assert list_counts(school_db, TODAY, config, needle="2e graad").found == len(grade)
    assert prioritised(school_db, TODAY, config, needle="zzzz-niemand") == []
    due = review_due_keys(school_db, TODAY, config)
    assert {k for k, _ in due} == {r.pupil_key for r in whole if "review_due" in r.signal_ids()}


def test_list_view_is_one_read_of_what_the_screen_needs(school_db, config):
    view = list_view(school_db, TODAY, config, limit=20, needle="1")
    assert [r.pupil_key for r in view.top] == [r.pupil_key for r in prioritised(school_db, TODAY, config, limit=20)]
    assert [r.pupil_key for r in view.shown] == [
        r.pupil_key for r in prioritised(school_db, TODAY, config, limit=20, needle="1")]
    assert view.counts.found == list_counts(school_db, TODAY, config, needle="1").found
    shown, found = list_search(school_db, TODAY, config, needle="1", limit=20)
    assert [r.pupil_key for r in shown] == [r.pupil_key for r in view.shown] and found == view.counts.found


def test_another_day_or_other_settings_compute_it_again(school_db, config):
    prioritised(school_db, TODAY, config)
    key = stored_key(school_db)
    prioritised(school_db, TODAY - timedelta(days=30), config)
    assert stored_key(school_db) != key
    stricter = Config({**config.data, "thresholds": {**config.thresholds, "b_first": 1000, "b_clb": 1000}})
    rows = prioritised(school_db, TODAY, stricter)
    assert all("b_first" not in r.signal_ids() for r in rows)
    assert any("b_first" in r.signal_ids() for r in prioritised(school_db, TODAY, config))


def test_an_import_a_flag_and_new_minutes_each_refresh_the_list(school_db, config, tmp_path):
    before = {r.pupil_key: r for r in prioritised(school_db, TODAY, config, include_all=True)}
    # an import: a new pupil with B-codes appears
    days = school_days(date(2026, 3, 2), date(2026, 3, 6))
    import_rows(school_db, tmp_path, [("777001", "Testnaam", "Nieuw", "2B", d.strftime("%d/%m/%Y"), "VM", "B", "")
                                      for d in days], config=config)
    after = {r.pupil_key: r for r in prioritised(school_db, TODAY, config)}
    assert "777001" not in before and "b_clb" in after["777001"].signal_ids()
    # a team flag
    quiet = next(k for k, r in before.items() if not r.signals)
    set_flag(school_db, quiet, "parents_unreachable", True, set_by="An")
    flagged = prioritised(school_db, TODAY, config, only_pupil=quiet)[0]
    assert "team_flag" in flagged.signal_ids()
    assert quiet in {r.pupil_key for r in prioritised(school_db, TODAY, config)}
    set_flag(school_db, quiet, "parents_unreachable", False)
    assert quiet not in {r.pupil_key for r in prioritised(school_db, TODAY, config)}
    # minutes with an evaluation date that has come
    folder = tmp_path / "notulen"
    folder.mkdir()
    meeting = Meeting(date=TODAY - timedelta(days=21), title="Vorig overleg", finished=True)
    meeting.pupils.append(PupilMinutes(pupil_id=quiet, next_review=TODAY - timedelta(days=1)))
    save(meeting, minutes_path(folder, meeting.date, meeting.title))
    index_minutes(school_db, folder)
    row = prioritised(school_db, TODAY, config, only_pupil=quiet)[0]
    assert "review_due" in row.signal_ids()
    assert quiet in {k for k, _ in review_due_keys(school_db, TODAY, config)}


def test_one_pupil_on_a_stale_list_is_computed_on_its_own(school_db, config):
    prioritised(school_db, TODAY, config)
    key = stored_key(school_db)
    whole = {r.pupil_key: r for r in prioritised(school_db, TODAY, config, include_all=True)}
    some = next(iter(whole))
    set_flag(school_db, some, "parents_unreachable", True)
    one = prioritised(school_db, TODAY, config, only_pupil=some)[0]
    assert stored_key(school_db) == key  # not the whole list for one pupil
    assert "team_flag" in one.signal_ids()
    assert one.b_halfdays == whole[some].b_halfdays and one.absent_halfdays == whole[some].absent_halfdays


def test_a_read_only_database_keeps_the_list_to_itself(sample_db_file, tmp_path, config):
    path = tmp_path / "ro.duckdb"
    shutil.copy(sample_db_file, path)
    with Database.open(path, read_only=True) as db:
        cursor = db.cursor()
        rows = prioritised(db, TODAY, config, cursor=cursor)
        assert rows and prioritised(db, TODAY, config, cursor=cursor, limit=3)
        assert list_counts(db, TODAY, config, cursor=cursor).with_signal == len(rows)
        cursor.close()
    with Database.open(path) as db:
        assert stored_key(db) is None  # nothing was written
        ensure_list(db, TODAY, load_config())
        assert stored_key(db)


def test_the_key_follows_the_query_text_the_earlier_years_and_the_free_days(school_db, config, monkeypatch):
    from zorgoverleg import queries

    prioritised(school_db, TODAY, config)
    key = stored_key(school_db)
    # the earlier school years looked at: 001014's last year counts only while it is looked at
    none_back = Config({**config.data, "thresholds": {**config.thresholds, "earlier_years_back": 0}})
    rows = {r.pupil_id: r for r in prioritised(school_db, TODAY, none_back, include_all=True)}
    assert stored_key(school_db) != key and "earlier_years" not in rows["001014"].signal_ids()
    # a free day of last school year is a calendar setting of its own: another key, fewer possible half-days
    free = Config({**config.data, "calendar": {"free_days": ["2024-10-07"]}})
    prioritised(school_db, TODAY, free)
    free_key = stored_key(school_db)
    assert free_key not in (key, None)
    earlier = next(r for r in prioritised(school_db, TODAY, free) if r.pupil_id == "001014")
    assert "earlier_years" in earlier.signal_ids()
    # the same settings again: the stored list is used
    prioritised(school_db, TODAY, config)
    assert stored_key(school_db) == key
    # another text of the query: computed again
    load = queries.load
    monkeypatch.setattr(queries, "load", lambda name: load(name) + ("\n-- changed" if name == "prioritised_pupils"
                                                                     else ""))
    prioritised(school_db, TODAY, config)
    assert stored_key(school_db) != key


def test_hostile_names_in_team_flags_stay_text(school_db, config):
    whole = prioritised(school_db, TODAY, config, include_all=True)
    quiet = next(r for r in whole if not r.signals)
    set_flag(school_db, quiet.pupil_key, "parents_unreachable", True, set_by="[/]An,|B\x1b[2J")
    row = prioritised(school_db, TODAY, config, only_pupil=quiet.pupil_key)[0]
    detail = next(s.detail for s in row.signals if s.id == "team_flag")
    assert "ouders onbereikbaar ([/]An,|B␛[2J, " in detail and "\x1b" not in detail


def test_out_of_memory_is_not_retried_as_a_list_of_its_own(school_db, config):
    # the temporary list is for a read-only database; running out of memory says so at once
    # (the screen shows it) instead of computing everything a second time into a temp table
    import duckdb

    statements: list[str] = []

    class Recording:  # the cursor ensure_list takes, recording what it runs
        def __init__(self, cur):
            self.cur = cur

        def execute(self, sql, *args):
            statements.append(sql)
            return self.cur.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.cur, name)

    school_db.conn.execute("SET memory_limit = '3MB'")  # enough to reach the list query
    try:
        with pytest.raises(duckdb.OutOfMemoryException):
            ensure_list(school_db, TODAY, config, cursor=Recording(school_db.cursor()), force=True)
    finally:
        school_db.conn.execute("SET memory_limit = '512MB'")
    assert any("CREATE OR REPLACE TABLE main.list_cache" in sql for sql in statements)
    assert not any("TEMP TABLE list_cache" in sql for sql in statements)
    temporary = school_db.conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'list_cache'").fetchone()[0]
    assert temporary == 0
    ensure_list(school_db, TODAY, config, force=True)  # with memory again it is stored
