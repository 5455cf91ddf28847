"""Every statement in queries/ runs on a database built from the sample data.

Two ways in: the real import and list record which statements they load and run, and
every statement is also run on its own (in a transaction that is rolled back) with the
temp tables it needs, so a renamed column or table fails here and not at a school.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.conftest import CAL, TODAY, dump, sample_paths, tables, write_csv
from zorgoverleg import importer, queries
from zorgoverleg.codes import code_table, parse_mapping_code
from zorgoverleg.config import Config
from zorgoverleg.db import SCHEMA, Database
from zorgoverleg.history import set_flag
from zorgoverleg.signals import (
    _signal_words,
    ensure_list,
    list_counts,
    list_parameters,
    prioritised,
    review_due_keys,
    school_days_table,
)

NAMES = queries.names()
OWN_PREFIXES = ("create_", "import_", "halfdays_", "list_")
OWN = {"prioritised_pupils", "stored_codes", "schema_version", "set_schema_version"}


def generic_parameters() -> dict:
    config = Config()
    params = {
        "today": TODAY, "year_start": CAL.start, "pupil_key": "001001", "only_pupil": "001001",
        "only_pupils": ["001001"], "include_all": True,
        "flag": "parents_unreachable", "note": "nota", "set_by": "An", "set_at": TODAY, "version": "1",
        "import_id": 99, "file": "x.csv", "checksum": "0" * 64, "rows": 1, "pupils": 1,
        "first_date": date(2025, 9, 1), "last_date": TODAY, "format": "%d/%m/%Y", "birth": False,
        "date_format": "%d/%m/%Y", "birth_format": "%d/%m/%Y", "has_halfday": True,
        "has_lesson_hour": False, "morning_last_hour": 4, "min_absent_hours": 1,
        "vm_values": importer.VM_VALUES, "nm_values": importer.NM_VALUES,
        "words": ["graad"], "offset": 0, "limit": 5, "pupil_keys": ["001001"], "signal_words": _signal_words(),
        "key": "test", "before": "[]", "after": "[1]", "kind": "data", "school": "s", "data": "d",
        "dates": [date(2025, 10, 6), date(2025, 10, 7)], "halfdays": [2, 2],
        "old_keys": ["777777"], "new_keys": ["777777"],
    }
    params |= {"raw_code": ["K"], "code": ["P"], "category": ["direction"], "meaning": ["kamp"]}
    codes = code_table({"K": parse_mapping_code("K", "P", "test")})  # the staged file uses K
    params |= {"code_raw": [c.raw for c in codes], "code_official": [c.official for c in codes],
               "code_category": [c.category for c in codes]}
    params.update(list_parameters(TODAY, config, CAL))
    return params


@pytest.fixture(scope="module")
def sample_db():
    db = Database.memory()
    importer.import_files(db, sample_paths(), Config())
    db.conn.execute("INSERT INTO team_flags VALUES ('001001', 'parents_unreachable', 'x', 'An', now(), true)")
    db.conn.execute("INSERT INTO agreements VALUES ('001001', DATE '2026-02-20', 'm.toml', 'bellen', 'An', "
                    "DATE '2026-03-01', false)")
    db.conn.execute("INSERT INTO reviews VALUES ('001001', DATE '2026-02-20', 'm.toml', DATE '2026-03-13', 1, 'An')")
    ensure_list(db, TODAY, Config())  # list_cache, which the list_* statements read
    yield db
    db.close()


_NEEDS = re.compile(r"Needs:\s*(.*?)(?:\n--\s*(?:Parameters|Columns)|\n[^-]|\Z)", re.S)
_RELATION = re.compile(r"([a-z_][a-z0-9_]*)\(([^)]*)\)")


def _column_type(name: str) -> str:
    if name.endswith(("date", "_at", "due", "review")) or name in ("date", "today"):
        return "DATE"
    if name in ("done", "active", "absent", "late", "after_break"):
        return "BOOLEAN"
    if name in ("phase", "halfdays", "weekday", "day_index", "lesson_hour", "n"):
        return "INTEGER"
    if name == "weight":
        return "DOUBLE"
    return "VARCHAR"


def needed_relations(name: str) -> dict[str, list[str]]:
    """The inputs a statement's header names after ``Needs:`` (relation -> columns)."""
    header = "\n".join(line for line in queries.load(name).splitlines() if line.startswith("--"))
    match = _NEEDS.search(header)
    if not match:
        return {}
    text = re.sub(r"\s*\n--\s*", " ", match.group(1))
    found = {}
    for rel, cols in _RELATION.findall(text):
        found[rel] = [c.strip().split()[0] for c in cols.split(",") if c.strip() and c.strip() != "..."]
    return found


def prepared_cursor(db: Database, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A cursor holding every temp table the import and list statements need, made by the
    importer's and the list's own steps."""
    cur = db.cursor()
    path = write_csv(tmp_path / "stage.csv", [
        ("001001", "Staertuyt", "Hasira", "1B", "06/10/2025", "VM", "K", ""),
        ("001001", "Staertuyt", "Hasira", "1B", "06/10/2025", "VM", "B", "dubbel"),
        ("777777", "Nieuw", "Nina", "2A", "07/10/2025", "NM", "Z", ""),
    ])
    mapping = importer.Mapping(codes={"K": parse_mapping_code("K", "P", "test")})
    source = importer._open(path, mapping)
    importer._load_raw(cur, source)
    db.execute("import_parse", cursor=cur)
    params = generic_parameters()
    db.execute("import_codes", params, cursor=cur)
    db.execute("import_stage", params, cursor=cur)
    db.execute("import_lesson_days", params, cursor=cur)
    db.execute("import_duplicate_keys", cursor=cur)
    db.execute("import_duplicates", cursor=cur)
    db.execute("import_drop_superseded", cursor=cur)
    db.execute("import_incoming_view", cursor=cur)
    cur.register("school_days", school_days_table(CAL, TODAY))
    cur.register("flag_weights", pa.table({
        "flag": pa.array(["parents_unreachable"], type=pa.string()),
        "weight": pa.array([2.5], type=pa.float64())}))
    return cur


def counts(db: Database) -> dict[str, int]:
    return {t: db.conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables(db)}


def test_every_file_is_one_statement():
    assert NAMES, "no statements found"
    for name in NAMES:
        statements = duckdb.extract_statements(queries.load(name))
        assert len(statements) == 1, name


@pytest.fixture(scope="module")
def staged_cursor(sample_db, tmp_path_factory):
    cur = prepared_cursor(sample_db, tmp_path_factory.mktemp("stage"))
    yield cur
    cur.close()


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("migrate_")])  # tests/test_migration.py
def test_statement_runs_on_the_sample_database(sample_db, staged_cursor, name):
    cur = staged_cursor
    before = counts(sample_db)
    cur.execute("BEGIN")
    try:
        for relation, columns in needed_relations(name).items():
            exists = cur.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? "
                "UNION ALL SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [relation, relation]
            ).fetchall()
            if not sum(n for (n,) in exists):  # an input only the caller provides: empty, same columns
                spec = ", ".join('"' + c + '" ' + _column_type(c) for c in columns)
                cur.execute(f"CREATE TEMP TABLE {relation} ({spec})")
        params = generic_parameters()
        values = {key: params.get(key) for key in queries.parameters(name)}
        result = cur.execute(queries.load(name), values)
        if result.description is not None:
            result.fetchall()
    finally:
        cur.execute("ROLLBACK")
    assert counts(sample_db) == before


def test_create_statements_are_idempotent(sample_db):
    before = dump(sample_db)
    for name in NAMES:
        if name.startswith("create_"):
            sample_db.conn.execute(queries.load(name))
            sample_db.conn.execute(queries.load(name))
    assert dump(sample_db) == before
    assert set(SCHEMA) == {n for n in NAMES if n.startswith("create_")}
    sample_db.ensure_schema()
    assert dump(sample_db) == before


@pytest.fixture
def recorder(monkeypatch):
    used: list[str] = []
    original = queries.load

    def load(name: str) -> str:
        used.append(name)
        return original(name)

    monkeypatch.setattr(queries, "load", load)
    return used


def test_import_and_list_run_every_import_and_list_statement(recorder, tmp_path):
    config = Config()
    db = Database.open(tmp_path / "flow.duckdb")
    mapping = importer.Mapping(codes={"K": parse_mapping_code("K", "P", "test")})
    duplicates = write_csv(tmp_path / "dup.csv", [
        ("001001", "Staertuyt", "Hasira", "1B", "06/10/2025", "VM", "K", ""),
        ("001001", "Staertuyt", "Hasira", "1B", "06/10/2025", "VM", "B", "")])
    importer.import_files(db, sample_paths(), config)
    importer.import_files(db, [duplicates], config, mapping)
    no_id_saturday = write_csv(tmp_path / "no_id.csv", [  # recognised by name; a Saturday is left out
        ("", "Staertuyt", "Hasira", "1B", "10/10/2025", "VM", "Z", ""),
        ("", "Staertuyt", "Hasira", "1B", "11/10/2025", "VM", "Z", "")])
    importer.import_files(db, [no_id_saturday], config)
    importer.import_files(db, [sample_paths()[1]], config, dry_run=True)
    refused = write_csv(tmp_path / "refused.csv", [("001001", "Staertuyt", "Hasira", "1B", "06/10/2025", "VM", "QQ", "")])
    with pytest.raises(importer.ImportRefused):  # a refused file is read again to name its line
        importer.import_files(db, [refused], config)
    prioritised(db, TODAY, config)
    later = write_csv(tmp_path / "later.csv", [("001001", "Staertuyt", "Hasira", "1B", "13/10/2025", "VM", "B", "")])
    importer.import_files(db, [later], config)  # the stored list follows it pupil by pupil
    prioritised(db, TODAY, config)
    set_flag(db, "001001", "parents_unreachable", True)  # a team flag: just the flag columns
    rows = prioritised(db, TODAY, config)
    assert list_counts(db, TODAY, config).with_signal == len(rows)
    review_due_keys(db, TODAY, config)
    db.close()
    Database.open(tmp_path / "flow.duckdb").close()  # an existing file: the schema version is read
    with Database.open(tmp_path / "flow.duckdb", read_only=True) as again:
        assert prioritised(again, TODAY, config, limit=3)
    assert rows and rows[0].signals
    own = {n for n in NAMES if n.startswith(OWN_PREFIXES)} | (OWN & set(NAMES))
    missing = sorted(own - set(recorder))
    assert not missing, f"statements no import or list runs (dead or renamed?): {missing}"
    assert set(recorder) <= set(NAMES)


def test_bind_names_missing_parameters():
    with pytest.raises(KeyError):
        queries.bind("import_record", {"import_id": 1})
    assert set(queries.bind("prioritised_pupils", generic_parameters())) == queries.parameters("prioritised_pupils")
