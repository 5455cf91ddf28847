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


def _col(source: _Source, canon: str) -> str:
    return f"c{source.columns[canon]}" if canon in source.columns else "NULL::VARCHAR"


def _canonical_select(source: _Source, replace: dict[str, str] | None = None) -> str:
    replace = replace or {}
    return ", ".join(f"{replace.get(canon, _col(source, canon))} AS {canon}" for canon in CANONICAL)


_HALF_VALUES = {
    "VM": ("VM", "V", "1", "AM", "VOORMIDDAG", "T1", "OCHTEND"),
    "NM": ("NM", "N", "2", "PM", "NAMIDDAG", "T6", "MIDDAG"),
}


def _half_expr(source: _Source, half: str, hour: str, morning_last_hour: int) -> str:
    """SQL: a period's start or end half-day (VM, NM, NULL = the whole day, or the unknown
    text itself for import_parse to refuse), from a half-day or a lesson-hour column."""
    parts = []
    if half in source.columns:
        text = f"upper(nullif(trim({_col(source, half)}), ''))"
        vm = ", ".join(_sql_text(v) for v in _HALF_VALUES["VM"])
        nm = ", ".join(_sql_text(v) for v in _HALF_VALUES["NM"])
        parts.append(
            f"CASE WHEN {text} IN ({vm}) THEN 'VM' WHEN {text} IN ({nm}) THEN 'NM' ELSE {text} END"
        )
    if hour in source.columns:
        number = f"try_cast(nullif(trim({_col(source, hour)}), '') AS INTEGER)"
        parts.append(
            f"CASE WHEN {number} IS NULL THEN nullif(trim({_col(source, hour)}), '') "
            f"WHEN {number} <= {int(morning_last_hour)} THEN 'VM' ELSE 'NM' END"
        )
    return f"coalesce({', '.join(parts)})" if parts else "NULL::VARCHAR"


def _period_select(source: _Source, line: str, origin: str) -> str:
    """Periods from-to expanded over lesson_days (the school calendar up to today): one row
    per lesson half-day, with the date as ISO text. A period's first day always gives a row
    (a period on days without lessons is then named as such), and a row whose start cannot
    be read is passed on as it is, for import_parse to refuse with its line."""
    fmt = _sql_text(source.date_format or "%d/%m/%Y")
    start = f"try_strptime(nullif(trim({_col(source, 'date_from')}), ''), {fmt})::DATE"
    end = f"try_strptime(nullif(trim({_col(source, 'date_to')}), ''), {fmt})::DATE"
    h0 = _half_expr(source, "halfday_from", "hour_from", source.morning_last_hour)
    h1 = _half_expr(source, "halfday_to", "hour_to", source.morning_last_hour)
    keep = ", ".join(
        f"{_col(source, c)} AS {c}" for c in CANONICAL if c not in ("date", "halfday", "lesson_hour")
    )
    out = ", ".join(
        {
            "date": (
                "CASE WHEN p.day IS NOT NULL THEN p.day::VARCHAR "
                "WHEN p.s0 IS NULL OR year(p.s0) NOT BETWEEN 1990 AND 2100 THEN p.from_text "
                "WHEN (p.to_text IS NOT NULL AND p.s1 IS NULL) OR year(p.s1) NOT BETWEEN 1990 AND 2100 THEN p.to_text "
                "ELSE strftime(p.d0, '%Y-%m-%d') END AS date"
            ),
            "halfday": "CASE WHEN p.bad IS NOT NULL THEN p.bad ELSE h.half END AS halfday",
            "lesson_hour": "NULL::VARCHAR AS lesson_hour",
        }.get(c, f"p.{c}")
        for c in CANONICAL
    )
    single_out = ", ".join(
        {"date": "r.s0::VARCHAR AS date", "halfday": "r.single AS halfday",
         "lesson_hour": "NULL::VARCHAR AS lesson_hour"}.get(c, f"r.{c}")
        for c in CANONICAL
    )
    # Most periods are one half-day (e.g. a late arrival, a doctor's visit): those rows take a
    # short way without lists and joins (a day without lessons is then named by the import's
    # check of the lesson days, as for the long shape).
    single = (
        "CASE WHEN s0 IS NOT NULL AND year(s0) BETWEEN 1990 AND 2100 "
        "AND (s1 = s0 OR (s1 IS NULL AND to_text IS NULL)) THEN CASE "
        "WHEN h0 = h1 AND h0 IN ('VM', 'NM') THEN h0 "
        "WHEN h0 = 'NM' AND h1 IS NULL THEN 'NM' "
        "WHEN h0 IS NULL AND h1 = 'VM' THEN 'VM' END END"
    )
    return f"""
        WITH r0 AS (
            SELECT {line} AS line, {keep}, nullif(trim({_col(source, 'date_from')}), '') AS from_text,
                   nullif(trim({_col(source, 'date_to')}), '') AS to_text,
                   {start} AS s0, {end} AS s1, {h0} AS h0, {h1} AS h1
            FROM {origin}
        ),
        r AS MATERIALIZED (SELECT r0.*, {single} AS single FROM r0),
        p AS (
            SELECT r.*, least(s0, coalesce(s1, s0)) AS d0, greatest(s0, coalesce(s1, s0)) AS d1,
                   CASE WHEN h0 NOT IN ('VM', 'NM') THEN h0 WHEN h1 NOT IN ('VM', 'NM') THEN h1 END AS bad,
                   unnest(CASE
                       WHEN s0 IS NULL OR (h0 NOT IN ('VM', 'NM')) OR (h1 NOT IN ('VM', 'NM'))
                         OR (to_text IS NOT NULL AND s1 IS NULL) OR year(s0) NOT BETWEEN 1990 AND 2100
                         OR year(s1) NOT BETWEEN 1990 AND 2100 THEN [NULL::DATE]  -- refused by import_parse
                       WHEN s1 IS NULL OR s1 = s0 THEN [s0]
                       ELSE range(least(s0, coalesce(s1, s0))::TIMESTAMP,
                                  greatest(s0, coalesce(s1, s0))::TIMESTAMP + INTERVAL 1 DAY,
                                  INTERVAL 1 DAY)::DATE[]
                   END) AS day
            FROM r
            WHERE r.single IS NULL
        )
        SELECT r.line, {single_out} FROM r WHERE r.single IS NOT NULL
        UNION ALL
        SELECT p.line, {out}
        FROM p
        LEFT JOIN lesson_days AS l ON l.date = p.day
        CROSS JOIN unnest(CASE
            WHEN l.halfdays = 2 THEN ['VM', 'NM']
            WHEN p.day = p.d0 AND p.h0 = 'NM' THEN ['NM']  -- e.g. from Wednesday afternoon: named, not counted
            ELSE ['VM']
        END) AS h(half)
        WHERE (l.date IS NOT NULL OR p.day IS NULL OR p.day = p.d0)
          AND coalesce(NOT (p.day = p.d0 AND p.h0 = 'NM' AND h.half = 'VM'), true)
          AND coalesce(NOT (p.day = p.d1 AND p.h1 = 'VM' AND h.half = 'NM'), true)
    """


def _wide_select(source: _Source, line: str, origin: str) -> str:
    """A row per pupil and date with a code per half-day or lesson hour: one row per filled cell."""
    cells = ", ".join(
        f"{{'h': {_sql_text(half) if half else 'NULL::VARCHAR'}, "
        f"'l': {_sql_text(str(hour)) if hour else 'NULL::VARCHAR'}, 'c': c{position}}}"
        for half, hour, position in source.cells
    )
    keep = ", ".join(
        f"{_col(source, c)} AS {c}" for c in CANONICAL if c not in ("halfday", "lesson_hour", "code")
    )
    out = ", ".join(
        {"halfday": "cell.h AS halfday", "lesson_hour": "cell.l AS lesson_hour", "code": "cell.c AS code"}.get(c, c)
        for c in CANONICAL
    )
    return (
        f"SELECT line, {out} FROM (SELECT {line} AS line, {keep}, unnest([{cells}]) AS cell FROM {origin}) "
        "WHERE nullif(trim(cell.c), '') IS NOT NULL"
    )


def _define_view(cur: duckdb.DuckDBPyConnection, source: _Source, line: str, origin: str) -> None:
    """raw_import(line, <canonical columns>) over ``origin`` (the CSV or raw_source), for the
    source's shape. A period file before its date format is known: the start date as date."""
    source.view = (line, origin)
    cur.execute("DROP VIEW IF EXISTS raw_import")
    if source.shape == "periods" and source.date_format is None:
        sql = f"SELECT {line} AS line, {_canonical_select(source, {'date': _col(source, 'date_from')})} FROM {origin}"
    elif source.shape == "periods":
        sql = _period_select(source, line, origin)
    elif source.shape == "wide":
        sql = _wide_select(source, line, origin)
    else:
        sql = f"SELECT {line} AS line, {_canonical_select(source)} FROM {origin}"
    cur.execute(f"CREATE TEMP VIEW raw_import AS {sql}")


def redefine_view(cur: duckdb.DuckDBPyConnection, source: _Source) -> None:
    """raw_import again, after the source learnt its date format (a period file)."""
    _define_view(cur, source, *source.view)


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
    with ``_load_raw``. XLSX and JSON rows are small and already in memory: they go through
    ``_load_raw``."""
    if source.table is not None:
        _load_raw(cur, source)
        return
    cur.execute("DROP VIEW IF EXISTS raw_import")
    cur.execute("DROP TABLE IF EXISTS raw_source")
    _define_view(cur, source, "NULL::BIGINT", _read_csv_call(source))


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
    _define_view(cur, source, "rowid - (SELECT min(rowid) FROM raw_source)", "raw_source")
