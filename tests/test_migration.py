"""Schema 3: ``halfdays`` became a view over ``absences`` plus the lesson-hour roll-ups
(``halfday_hours``). A database of schema 2, with ``halfdays`` as a table, is migrated once,
keeps every half-day and then imports as a new one does."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import sample_paths, write_csv
from tests.test_importer import LESSON_HEADER, lesson_rows
from zorgoverleg.config import load_config
from zorgoverleg.db import SCHEMA_VERSION, Database
from zorgoverleg.importer import import_files

HALFDAYS = "SELECT * FROM halfdays ORDER BY ALL"


def _as_schema_2(path: Path) -> list[tuple]:
    """Turn a database of this version into one of schema 2 (halfdays a table holding every
    half-day, no halfday_hours) and return its half-days."""
    with Database.open(path) as db:
        rows = db.conn.execute(HALFDAYS).fetchall()
        db.conn.execute("BEGIN")
        db.conn.execute("CREATE TABLE halfdays_v2 AS SELECT * FROM halfdays")
        db.conn.execute("DROP VIEW halfdays")
        db.conn.execute("DROP TABLE halfday_hours")
        db.conn.execute("ALTER TABLE halfdays_v2 RENAME TO halfdays")
        db.conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        db.conn.execute("COMMIT")
        assert db.conn.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'halfdays'").fetchall() == [
            ("BASE TABLE",)]
    return rows


def test_a_schema_2_database_keeps_every_halfday(tmp_path):
    config = load_config()
    path = tmp_path / "school.duckdb"
    lessons = write_csv(tmp_path / "lesuren.csv", lesson_rows(), LESSON_HEADER, sep=",")
    with Database.open(path) as db:
        import_files(db, sample_paths(), config)
        import_files(db, [lessons], config)
        hours = db.conn.execute("SELECT count(*) FROM halfday_hours").fetchone()[0]
    assert hours > 0  # the lesson hours are rolled up, the whole half-days are not copied
    before = _as_schema_2(path)
    with Database.open(path) as db:
        assert db.schema_version() == SCHEMA_VERSION == 3
        assert db.conn.execute(HALFDAYS).fetchall() == before
        assert db.conn.execute("SELECT count(*) FROM halfday_hours").fetchone()[0] == hours
        # and it imports on: the same lesson hours again change nothing
        import_files(db, [lessons], config)
        assert db.conn.execute(HALFDAYS).fetchall() == before


def test_whole_halfday_record_wins_over_lesson_hours_of_that_halfday(db, tmp_path):
    # lesson hours first (a roll-up), then a whole-half-day record for one of those half-days:
    # the record wins and the roll-up of that half-day is gone; the hours that come again after
    # it do not bring the roll-up back
    config = load_config()
    lessons = write_csv(tmp_path / "lesuren.csv", lesson_rows(), LESSON_HEADER, sep=",")
    import_files(db, [lessons], config)
    key, day, half = db.conn.execute(
        "SELECT pupil_key, date, halfday FROM halfday_hours ORDER BY ALL LIMIT 1").fetchone()
    whole = write_csv(tmp_path / "heel.csv", [(key, "Naam", "Voornaam", "1A", day.strftime("%d/%m/%Y"), half, "R", "")])
    import_files(db, [whole], config)
    rows = db.conn.execute("SELECT code FROM halfdays WHERE pupil_key = ? AND date = ? AND halfday = ?",
                           [key, day, half]).fetchall()
    assert rows == [("R",)]
    assert db.conn.execute("SELECT count(*) FROM halfday_hours WHERE pupil_key = ? AND date = ? AND halfday = ?",
                           [key, day, half]).fetchone()[0] == 0
    import_files(db, [lessons], config)
    assert db.conn.execute("SELECT code FROM halfdays WHERE pupil_key = ? AND date = ? AND halfday = ?",
                           [key, day, half]).fetchall() == [("R",)]


def test_a_schema_2_database_opened_read_only_shows_its_list(tmp_path):
    # read-only (a locked or unwritable file) it is not migrated: the list is computed for the
    # session from its halfdays table, and is the list the migrated database gives
    from tests.conftest import TODAY
    from zorgoverleg.signals import prioritised

    config = load_config()
    path = tmp_path / "school.duckdb"
    with Database.open(path) as db:
        import_files(db, sample_paths(), config)
    _as_schema_2(path)
    with Database.open(path, read_only=True) as db:
        assert db.schema_version() == 2
        old = [(r.pupil_key, r.score, r.signal_ids()) for r in prioritised(db, TODAY, config)]
    assert old
    with Database.open(path) as db:  # writable: migrated
        assert [(r.pupil_key, r.score, r.signal_ids()) for r in prioritised(db, TODAY, config)] == old
