"""Shared fixtures and helpers for the importer, signal, query and command-line tests.

Free of Textual on purpose: these tests must run without the UI.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import pytest

from zorgoverleg.calendar import SchoolCalendar
from zorgoverleg.config import Config, load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import import_files
from zorgoverleg.sampledata import sample_dir

TODAY = date(2026, 3, 13)  # the demo date, inside school year 2025-26
CAL = SchoolCalendar(2025)
SAMPLE_FILES = ("absences.csv", "lesuren.csv", "absences_cp1252.csv")

# The header of the sample export (Informat-like).
HEADER = ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "Dagdeel", "Code", "Opmerking"]


def write_csv(
    path: Path,
    rows: Iterable[Sequence[object]],
    header: Sequence[str] | None = HEADER,
    *,
    sep: str = ";",
    encoding: str = "utf-8",
    newline: str = "\n",
    bom: bool = False,
) -> Path:
    """Write ``rows`` as a CSV export (quoting only where needed) and return the path."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` byte for byte (no newline translation)."""
    path.write_bytes(text.encode(encoding))
    return path


def dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _relations(db: Database, kind: str) -> list[str]:
    return [
        name
        for (name,) in db.conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = 'main' "
            "AND table_type = ? ORDER BY table_name", [kind]
        ).fetchall()
    ]


def tables(db: Database) -> list[str]:
    """The persistent tables of the database (temp tables left out)."""
    return _relations(db, "BASE TABLE")


def views(db: Database) -> list[str]:
    """The persistent views of the database (halfdays)."""
    return _relations(db, "VIEW")


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table and view, in a stable order: equal dumps mean equal content."""
    return {name: db.conn.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
            for name in tables(db) + views(db)}


def school_days(frm: date, until: date, weekday: int | None = None) -> list[date]:
    """School days of 2025-26 in frm..until (inclusive), optionally only one weekday (0 = Monday)."""
    return [d for d in CAL.school_days(until) if d >= frm and (weekday is None or d.weekday() == weekday)]


def import_rows(db: Database, tmp_path: Path, rows, name: str = "export.csv", config=None, **kwargs):
    """Write ``rows`` (HEADER columns) to a CSV in tmp_path and import it."""
    path = write_csv(tmp_path / name, rows)
    return import_files(db, [path], config or load_config(), **kwargs)


def sample_paths() -> list[Path]:
    return [sample_dir() / name for name in SAMPLE_FILES]


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """No user settings file and no ZORGOVERLEG_DB leak into a test."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("ZORGOVERLEG_DB", raising=False)
    cwd = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(cwd)
    mask = os.umask(0o022)
    os.umask(mask)
    yield
    os.umask(mask)  # zorgoverleg.cli.main sets a strict umask for the process


@pytest.fixture
def config():
    return load_config()


@pytest.fixture
def db():
    database = Database.memory()
    yield database
    database.close()


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory) -> Path:
    """A database file holding the three sample exports (built once per session; open it read-only)."""
    path = tmp_path_factory.mktemp("sample_db") / "sample.duckdb"
    with Database.open(path) as database:
        import_files(database, sample_paths(), Config())  # the defaults, whatever the folder
    return path


@pytest.fixture(scope="session")
def sample_db_file(tmp_path_factory) -> Path:
    """The demo's school (sample_data/absences.csv) imported once per session."""
    from zorgoverleg.sampledata import sample_files

    path = tmp_path_factory.mktemp("sample") / "school.duckdb"
    with Database.open(path) as database:
        import_files(database, sample_files(), Config())
    return path


@pytest.fixture
def school(tmp_path, sample_db_file) -> Path:
    """A fresh copy of the demo's database in its own folder (minutes go beside it)."""
    import shutil

    target = tmp_path / "school.duckdb"
    shutil.copy(sample_db_file, target)
    return target


@pytest.fixture
def school_db(school):
    """That copy, open."""
    with Database.open(school) as db:
        yield db
