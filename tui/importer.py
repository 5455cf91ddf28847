"""Import school absence exports (CSV/TXT/XLSX) into the database.

DuckDB parses the file (``read_csv``); Python only sniffs the separator, encoding
and header, and turns DuckDB's findings into one clear Dutch sentence. A refused
file changes nothing: all files of one import are staged, checked and written in
one transaction.

The seams: ``import_mapping`` (aliases and the mapping TOML), ``import_read`` (sniffing
and reading a file), ``import_shapes`` (the file's rows as the view ``raw_import``), and
this module (staging, checking and writing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from zorgoverleg.codes import CodeInfo, code_table
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.import_mapping import (  # noqa: F401 (re-exported: the importer's public names)
    _ALIAS_INDEX,
    ALIASES,
    CANONICAL,
    COLUMN_NAMES,
    DATE_FORMATS,
    DATE_HINT,
    NM_VALUES,
    VM_VALUES,
    ImportRefused,
    Mapping,
    _key,
    load_mapping,
)
from zorgoverleg.import_read import _open, _physical_line, _Source  # noqa: F401
from zorgoverleg.import_shapes import _load_raw, _source_view  # noqa: F401

BIG_FILE = 4 * 1024 * 1024  # bytes: show progress from here on


@dataclass
class FileSummary:
    file: str
    rows: int = 0
    records: int = 0
    pupils: int = 0
    new_pupils: int = 0
    replaced: int = 0
    first_date: date | None = None
    last_date: date | None = None
    per_code: list[tuple[str, str, str, int]] = field(default_factory=list)
    dry_run: bool = False


Progress = Callable[[str, float], None]


def _no_progress(step: str, fraction: float) -> None:
    pass



def _detect_format(db: Database, cur, source: _Source, mapping: Mapping | None, birth: bool) -> str:
    if mapping and mapping.date_format and not birth:
        return mapping.date_format
    if ("birth_date" if birth else "date") not in source.columns:
        return DATE_FORMATS[0]  # no values: no format parses more of them than the first
    db.execute("import_date_sample", {"birth": birth}, cursor=cur)
    best, best_ok = DATE_FORMATS[0], 0
    for candidate in DATE_FORMATS:
        ok, _total = db.execute("import_detect_date_format", {"format": candidate}, cursor=cur).fetchone()
        if ok > best_ok:
            best, best_ok = candidate, ok
    cur.execute("DROP TABLE IF EXISTS date_sample")
    return best


def _code_lookup(db: Database, cur, mapping: Mapping | None) -> dict[str, list[str]]:
    """The code map (stored codes with the mapping's on top) as the parameters import_parse takes."""
    stored = {
        raw: CodeInfo(raw, code, category, meaning or "")
        for raw, code, category, meaning in db.execute("stored_codes", cursor=cur).fetchall()
    }
    if mapping:
        stored.update(mapping.codes)
    table = code_table(stored)
    return {
        "code_raw": [c.raw for c in table],
        "code_official": [c.official for c in table],
        "code_category": [c.category for c in table],
    }


def _problem_sentence(source: _Source, line: int, problem: str, value: str | None, date_format: str) -> str:
    header = source.headers[source.columns[problem]] if problem in source.columns else COLUMN_NAMES[problem]
    column = source.columns.get(problem)
    where = f"{source.path}, regel {line}, kolom {column + 1} ({header})" if column is not None else (
        f"{source.path}, regel {line}"
    )
    shown = repr(value) if value else "leeg"
    if problem == "pupil_id":
        return f"{where}: geen leerling-id en geen volledige naam; vul het leerlingnummer of naam en voornaam in."
    if problem == "date":
        return (
            f"{where}: {shown} is geen geldige datum (verwacht {DATE_HINT.get(date_format, date_format)}); "
            "verbeter de regel en importeer opnieuw."
        )
    if problem == "birth_date":
        return f"{where}: {shown} is geen geldige geboortedatum; verbeter de regel en importeer opnieuw."
    if problem == "lesson_hour":
        return f"{where}: {shown} is geen lesuur (1 tot 16); verbeter de regel en importeer opnieuw."
    if problem == "halfday":
        return (
            f"{where}: dagdeel {shown} is onbekend (verwacht VM of NM, voormiddag of namiddag); "
            "verbeter de regel of noem de waarden in een mapping ([import] halfday_values)."
        )
    if problem == "code":
        return (
            f"{where}: onbekende afwezigheidscode {shown}; voeg ze toe onder [codes] in een "
            "mapping-bestand (--mapping) of verbeter de regel."
        )
    return f"{where}: {problem}"


def _stage_parameters(db: Database, cur, source: _Source, mapping: Mapping | None, common: dict) -> dict:
    date_format = _detect_format(db, cur, source, mapping, birth=False)
    birth_format = _detect_format(db, cur, source, mapping, birth=True)
    return {
        **common,
        "date_format": date_format,
        "birth_format": birth_format,
        "has_halfday": "halfday" in source.columns,
        "has_lesson_hour": "lesson_hour" in source.columns,
    }


def _explain_refusal(db: Database, cur, source: _Source, mapping: Mapping | None, common: dict) -> ImportRefused | None:
    """The slow path for a file the fast path stopped on: in a fresh transaction (the failed
    statement aborted the import's, and the refusal undoes everything anyway), read the file
    again with line numbers and name its first bad row. None if no problem is found."""
    cur.execute("ROLLBACK")
    cur.execute("BEGIN")
    _load_raw(cur, source)  # raises ImportRefused for a file DuckDB's CSV reader refuses
    db.execute("import_parse", cursor=cur)
    params = _stage_parameters(db, cur, source, mapping, common)
    problem = db.execute("import_first_problem", params, cursor=cur).fetchone()
    if problem is None:
        return None
    line = _physical_line(source, problem[0])
    return ImportRefused(_problem_sentence(source, line, problem[1], problem[2], params["date_format"]))


def import_files(
    db: Database,
    files: Sequence[str | Path],
    config: Config,
    mapping: Mapping | None = None,
    *,
    dry_run: bool = False,
    progress: Progress = _no_progress,
) -> list[FileSummary]:
    """Import ``files`` in one transaction; raises ImportRefused (and changes nothing).

    Each file is read once, straight from the CSV into the temp table ``staged`` (parsed,
    mapped and checked on the way); only a refused file is read again to name its line."""
    options = config.section("import")
    morning_last_hour = int(
        mapping.morning_last_hour if mapping and mapping.morning_last_hour else options.get("morning_last_hour", 4)
    )
    min_absent_hours = int(options.get("min_absent_hours", 1))
    common = {
        "morning_last_hour": morning_last_hour,
        "vm_values": VM_VALUES + (mapping.vm_values if mapping else []),
        "nm_values": NM_VALUES + (mapping.nm_values if mapping else []),
    }
    cur = db.cursor()
    summaries: list[FileSummary] = []
    sources: list[_Source] = []
    cur.execute("BEGIN")
    try:
        common.update(_code_lookup(db, cur, mapping))
        db.execute("import_codes", common, cursor=cur)
        import_id = db.execute("import_next_id", cursor=cur).fetchone()[0]
        for number, name in enumerate(files):
            path = Path(name)
            step = f"{path.name}"
            progress(f"{step}: lezen", number / len(files))
            source = _open(path, mapping)
            sources.append(source)
            try:
                _source_view(cur, source)
                db.execute("import_parse", cursor=cur)  # (its body is bound to raw_import)
                progress(f"{step}: controleren", (number + 0.4) / len(files))
                params = _stage_parameters(db, cur, source, mapping, common)
                rows = db.execute("import_stage", params, cursor=cur).fetchone()[0]
            except duckdb.Error as exc:  # a bad row, or a file DuckDB's CSV reader refuses
                refusal = _explain_refusal(db, cur, source, mapping, common)
                if refusal is None:
                    raise exc from None
                raise refusal from None
            cur.execute("DROP VIEW IF EXISTS raw_import")
            cur.execute("DROP TABLE IF EXISTS raw_source")
            if rows == 0:
                raise ImportRefused(f"{path}: de export bevat geen regels met afwezigheden.")
            absences, halfdays, pupils_stored = db.execute("import_table_filled", cursor=cur).fetchone()
            new_pupils = db.execute("import_new_pupils", cursor=cur).fetchone()[0] if pupils_stored else None
            # pupils first: every line counts for them, also one a later line overrides
            db.execute("import_upsert_pupils", {"import_id": import_id}, cursor=cur)
            db.execute("import_drop_superseded", cursor=cur)
            db.execute("import_incoming_view", cursor=cur)
            records, pupils, first, last = db.execute("import_incoming_summary", cursor=cur).fetchone()
            replaced = db.execute("import_replaced_count", cursor=cur).fetchone()[0] if absences else 0
            summary = FileSummary(
                str(path), rows, records, pupils, pupils if new_pupils is None else new_pupils, replaced,
                first, last, [tuple(r) for r in db.execute("import_code_counts", cursor=cur).fetchall()],
                dry_run,
            )
            summaries.append(summary)
            # a dry run writes too (so a later file sees the earlier ones) and rolls back at the end
            progress(f"{step}: opslaan", (number + 0.7) / len(files))
            if replaced:
                db.execute("import_delete_replaced", cursor=cur)
            db.execute("import_insert_absences", {"import_id": import_id}, cursor=cur)
            if halfdays:
                db.execute("halfdays_delete_touched", cursor=cur)
            db.execute("halfdays_insert_whole", cursor=cur)
            if params["has_lesson_hour"] and cur.execute(
                "SELECT count(*) FROM incoming WHERE lesson_hour > 0"
            ).fetchone()[0]:
                db.execute("halfdays_rebuild_touched", {"min_absent_hours": min_absent_hours}, cursor=cur)
            db.execute(
                "import_record",
                {
                    "import_id": import_id, "file": str(path), "checksum": source.checksum,
                    "rows": rows, "pupils": pupils, "first_date": first, "last_date": last,
                },
                cursor=cur,
            )
            cur.execute("DROP VIEW IF EXISTS incoming")
            cur.execute("DROP TABLE IF EXISTS staged")
            import_id += 1
        if mapping and mapping.codes and not dry_run:
            codes = list(mapping.codes.values())
            db.execute(
                "import_save_codes",
                {
                    "raw_code": [c.raw for c in codes], "code": [c.official for c in codes],
                    "category": [c.category for c in codes], "meaning": [c.meaning for c in codes],
                },
                cursor=cur,
            )
        if dry_run:
            cur.execute("ROLLBACK")
        else:
            cur.execute("COMMIT")
        progress("klaar", 1.0)
        return summaries
    except BaseException:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        for source in sources:
            if source.temp is not None:
                source.temp.unlink(missing_ok=True)
        cur.close()
