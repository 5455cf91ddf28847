"""The rows of an export as the view ``raw_import(line, <canonical columns>)`` that the
import statements read (see queries/import_parse.sql)."""

from __future__ import annotations

import re

import duckdb

from zorgoverleg.import_mapping import CANONICAL, ImportRefused
from zorgoverleg.import_read import _csv_item_line, _Source

_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_CSV_FOUND = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _sql_text(value: str) -> str:
    """``value`` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _read_csv_call(source: _Source) -> str:
    """The read_csv call for the source's UTF-8 CSV, every column as VARCHAR (c0..cN), as SQL text
    (a view cannot hold parameters)."""
    columns = ", ".join(f"{_sql_text(f'c{i}')}: 'VARCHAR'" for i in range(len(source.headers)))
    return (
        f"read_csv({_sql_text(str(source.csv_path))}, delim={_sql_text(source.delimiter)}, header=true, "
        "auto_detect=false, quote='\"', escape='\"', null_padding=false, "
        f"columns={{{columns}}})"
    )


def _canonical_select(source: _Source) -> str:
    return ", ".join(
        f"c{source.columns[canon]} AS {canon}" if canon in source.columns else f"NULL::VARCHAR AS {canon}"
        for canon in CANONICAL
    )


def _refuse_unreadable(source: _Source, exc: duckdb.Error) -> ImportRefused:
    """DuckDB's CSV reader refused the file: one Dutch sentence with the physical line."""
    text = str(exc)
    match = _CSV_LINE.search(text)
    line = int(match.group(1)) if match else None
    if line is not None:  # DuckDB counts records and blank lines, not quoted newlines
        line = _csv_item_line(source, line, skip_blank=False) or line
    found = _CSV_FOUND.search(text)
    if found:
        expected, got = int(found.group(1)), int(found.group(2))
        problem = (
            f"deze regel heeft {got} velden, de kopregel heeft er {expected}; controleer het scheidingsteken "
            f"({source.delimiter!r}) en aanhalingstekens"
        )
    elif "unterminated quote" in text:
        problem = "een aanhalingsteken wordt niet gesloten; verbeter die regel"
    else:
        problem = "de regel kan niet gelezen worden (" + text.splitlines()[0] + ")"
    where = f", regel {line}" if line else ""
    return ImportRefused(f"{source.path}{where}: {problem}.")


def _source_view(cur: duckdb.DuckDBPyConnection, source: _Source) -> None:
    """The fast path: the view raw_import reads the CSV itself (nothing is copied; the rows
    are parsed while they are staged). It has no line numbers: a refused file is read again
    with ``_load_raw``. XLSX rows are small and already in memory: they go through ``_load_raw``."""
    if source.table is not None:
        _load_raw(cur, source)
        return
    cur.execute("DROP VIEW IF EXISTS raw_import")
    cur.execute("DROP TABLE IF EXISTS raw_source")
    cur.execute(
        f"CREATE TEMP VIEW raw_import AS SELECT NULL::BIGINT AS line, {_canonical_select(source)} "
        f"FROM {_read_csv_call(source)}"
    )


def _load_raw(cur: duckdb.DuckDBPyConnection, source: _Source) -> None:
    """Create the temp table raw_source (c0..cN, all VARCHAR, in file order) and the
    view raw_import with canonical column names and a line number (the record's index)."""
    cur.execute("DROP VIEW IF EXISTS raw_import")
    cur.execute("DROP TABLE IF EXISTS raw_source")
    if source.table is not None:
        cur.register("xlsx_rows", source.table)
        cur.execute("CREATE TEMP TABLE raw_source AS SELECT * FROM xlsx_rows")
        cur.unregister("xlsx_rows")
    else:
        try:
            cur.execute(f"CREATE TEMP TABLE raw_source AS SELECT * FROM {_read_csv_call(source)}")
        except duckdb.Error as exc:
            raise _refuse_unreadable(source, exc) from None
    # rowid does not start at 0 inside a transaction: count from the first row.
    cur.execute(
        "CREATE TEMP VIEW raw_import AS SELECT rowid - (SELECT min(rowid) FROM raw_source) AS line, "
        f"{_canonical_select(source)} FROM raw_source"
    )
