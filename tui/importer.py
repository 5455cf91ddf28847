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

import errno
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb

from zorgoverleg import list_cache
from zorgoverleg.calendar import SchoolCalendar, parse_free_days, school_year_of
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
from zorgoverleg.import_read import _open, _physical_line, _Source, remove_leftovers  # noqa: F401
from zorgoverleg.import_shapes import _load_raw, _source_view, redefine_view  # noqa: F401
from zorgoverleg.text import visible

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
    shape: str = "long"
    no_lesson: int = 0  # lines on a day or half-day without lessons: not stored, not counted
    no_lesson_dates: list[date] = field(default_factory=list)  # the first few of their dates
    conflicts: int = 0  # half-days with two different codes in the file (the more serious counts)
    conflict_examples: list[tuple[str, date]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else the import recognised, in Dutch
    touched: list[str] = field(default_factory=list, repr=False)  # pupil_keys whose pupil row or records it wrote


SHAPE_NAMES = {
    "long": "lang (een regel per leerling en dagdeel of lesuur)",
    "periods": "periodes van-tot",
    "wide": "breed (een regel per leerling en dag, een kolom per dagdeel of lesuur)",
    "smartschool-leerling": "Smartschool getAbsents (een leerling, een schooljaar)",
    "smartschool-datum": "Smartschool getAbsentsByDate (een datum, alle leerlingen)",
}


def summary_lines(summary: FileSummary) -> list[str]:
    """What a summary adds to the counts, as Dutch lines: the shape recognised, the lines on
    days without lessons, conflicting codes and whatever else the import recognised."""
    lines = [f"vorm: {SHAPE_NAMES.get(summary.shape, summary.shape)}"]
    if summary.no_lesson:
        dates = ", ".join(f"{d:%d/%m/%Y}" for d in summary.no_lesson_dates)
        more = " …" if summary.no_lesson > len(summary.no_lesson_dates) else ""
        lines.append(
            f"{summary.no_lesson} regel(s) op een dag of dagdeel zonder les (weekend, vakantie, vrije dag, "
            f"woensdagnamiddag of na vandaag) niet meegeteld; eerste datums: {dates}{more}"
        )
    if summary.conflicts:
        first = summary.conflict_examples[0] if summary.conflict_examples else None
        example = f" (bv. leerling {visible(first[0])} op {first[1]:%d/%m/%Y})" if first else ""
        lines.append(
            f"{summary.conflicts} dagdeel/dagdelen met twee verschillende codes{example}: "
            "de ernstigste code telt"
        )
    lines += [visible(note) for note in summary.notes]
    return lines


@dataclass
class UnknownCode:
    raw: str
    count: int
    first_line: int
    alias: str | None = None
    file: str = ""  # where it occurs first


class UnknownCodes(ImportRefused):
    """The file holds codes the code map does not know; ``codes`` lists each once."""

    def __init__(self, file: str, codes: list[UnknownCode]):
        self.file = file
        self.codes = codes
        listed = ", ".join(
            f"{c.raw or '(leeg)'!r} ({c.count}x, eerst op regel {c.first_line}"
            + (f" van {Path(c.file).name}" if c.file and c.file != file else "")
            + (f", {visible(c.alias)!r}" if c.alias else "") + ")"
            for c in codes[:12]
        )
        more = f" en {len(codes) - 12} andere" if len(codes) > 12 else ""
        super().__init__(
            f"{file}: {len(codes)} onbekende afwezigheidscode(s): {listed}{more}; kies per code wat ze "
            "betekent (in de app bij het importeren, of onder [codes] in een mapping-bestand, --mapping)."
        )

    def codes_block(self) -> str:
        """A ready-to-paste [codes] block: every code as "-" (still to justify) until the team
        chooses its meaning."""
        lines = [
            "[codes]",
            "# Kies per code: R, Z, M, H, P, B of A (officiele code), L (te laat), \"geen\" (geen",
            "# afwezigheid) of \"-\" (nog te wettigen). Elke code staat nu op \"-\".",
        ]
        for c in self.codes:
            key = json.dumps(c.raw, ensure_ascii=False)  # (a JSON string is a TOML basic string)
            comment = f"{c.count} keer, eerst op regel {c.first_line}"
            if c.file and c.file != self.file:
                comment += f" van {Path(c.file).name}"
            if c.alias:
                comment += f": {visible(c.alias)}"
            lines.append(f'{key} = "-"  # {comment}')
        return "\n".join(lines) + "\n"


Progress = Callable[[str, float], None]


def _no_progress(step: str, fraction: float) -> None:
    pass


@lru_cache(maxsize=8)
def _lesson_days(free_days: tuple, today: date) -> tuple[list[date], list[int]]:
    """Every day with lessons from school year 1990 up to ``today``, with its number of
    half-days (1 on Wednesday): the school calendar with the school's own free days."""
    dates: list[date] = []
    halves: list[int] = []
    for year in range(1990, school_year_of(today) + 1):
        calendar = SchoolCalendar(year, free_days)
        for day in calendar.school_days(today):
            dates.append(day)
            halves.append(1 if day.weekday() == 2 else 2)
    return dates, halves


def lesson_days_parameters(config: Config, today: date) -> dict:
    free = tuple(parse_free_days(config.section("calendar").get("free_days", [])))
    dates, halves = _lesson_days(free, today)
    return {"dates": dates, "halfdays": halves}


def _detect_format(db: Database, cur, source: _Source, mapping: Mapping | None, birth: bool) -> str:
    if mapping and mapping.date_format and not birth:
        return mapping.date_format
    column = "birth_date" if birth else ("date_from" if source.shape == "periods" else "date")
    if column not in source.columns:
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
    has_halfday = "halfday" in source.columns
    has_lesson_hour = "lesson_hour" in source.columns
    if source.shape == "periods":  # expanded over the calendar: ISO dates, one row per half-day
        source.date_format = date_format
        source.morning_last_hour = common["morning_last_hour"]
        redefine_view(cur, source)
        date_format, has_halfday, has_lesson_hour = "iso", True, False
    elif source.shape == "wide":
        has_halfday = any(half for half, _hour, _pos in source.cells)
        has_lesson_hour = any(hour for _half, hour, _pos in source.cells)
    return {
        **common,
        "date_format": date_format,
        "birth_format": birth_format,
        "has_halfday": has_halfday,
        "has_lesson_hour": has_lesson_hour,
    }


def _explain_refusal(
    db: Database, cur, source: _Source, mapping: Mapping | None, common: dict, lesson_days: dict
) -> ImportRefused | None:
    """The slow path for a file the fast path stopped on: in a fresh transaction (the failed
    statement aborted the import's, and the refusal undoes everything anyway), read the file
    again with line numbers and name its first bad row (or, for unknown codes, every unknown
    code once). None if no problem is found."""
    cur.execute("ROLLBACK")
    cur.execute("BEGIN")
    db.execute("import_lesson_days", lesson_days, cursor=cur)
    if source.shape == "periods":
        source.date_format = None
    _load_raw(cur, source)  # raises ImportRefused for a file DuckDB's CSV reader refuses
    db.execute("import_parse", cursor=cur)
    params = _stage_parameters(db, cur, source, mapping, common)
    problem = db.execute("import_first_problem", params, cursor=cur).fetchone()
    if problem is None:
        return None
    hint = source.date_format or params["date_format"]
    if problem[1] == "code":
        unknown = [
            UnknownCode(raw, n, _physical_line(source, line) if i < 40 else line + 2, alias)
            for i, (raw, n, line, alias) in enumerate(db.execute("import_unknown_codes", params, cursor=cur).fetchall())
        ]
        return UnknownCodes(str(source.path), unknown)
    line = _physical_line(source, problem[0])
    return ImportRefused(_problem_sentence(source, line, problem[1], problem[2], hint))


def _more_unknown_codes(
    db: Database, cur, found: UnknownCodes, rest: Sequence[str | Path], mapping: Mapping | None, common: dict,
    work_dir: Path, sources: list[_Source],
) -> UnknownCodes:
    """The unknown codes of the files after the first one that has some, merged per code, so
    that the team maps every code at once (a file with another problem is left for later)."""
    merged = {c.raw: c for c in found.codes}
    for c in found.codes:
        c.file = c.file or found.file
    for name in rest:
        try:
            source = _open(Path(name), mapping, work_dir)
            sources.append(source)
            _load_raw(cur, source)
            db.execute("import_parse", cursor=cur)
            params = _stage_parameters(db, cur, source, mapping, common)
            rows = db.execute("import_unknown_codes", params, cursor=cur).fetchall()
        except (ImportRefused, duckdb.Error):
            continue
        for raw, n, line, alias in rows:
            if raw in merged:
                merged[raw].count += n
                merged[raw].alias = merged[raw].alias or alias
            else:
                merged[raw] = UnknownCode(raw, n, _physical_line(source, line), alias, str(source.path))
    codes = sorted(merged.values(), key=lambda c: (-c.count, c.raw))
    return UnknownCodes(found.file, codes)


def _recognise_pupils(db: Database, cur, source: _Source, summary_notes: list[str], pupils_stored: bool) -> None:
    """The same pupil never twice: ids that lost their leading zeros (Excel) and, in a file
    without ids, a name and class that belong to one stored pupil with an id, take that pupil's
    key. Refuses when it cannot be sure which pupil is meant."""
    old: list[str] = []
    new: list[str] = []
    for bare, staged_ids, stored_ids in db.execute("import_id_groups", cursor=cur).fetchall():
        staged_ids, stored_ids = staged_ids or [], stored_ids or []
        padded = sorted({k for k in staged_ids + stored_ids if k != bare})
        if len(stored_ids) > 1 or (not stored_ids and len(padded) > 1):
            ids = ", ".join(sorted(set(staged_ids + stored_ids)))
            raise ImportRefused(
                f"{source.path}: de leerlingnummers {ids} zijn hetzelfde getal en het is niet zeker welke "
                "leerling bedoeld is; exporteer het leerlingnummer als tekst (met de voorloopnullen)."
            )
        target = stored_ids[0] if stored_ids else padded[0]
        for key in staged_ids:
            if key != target:
                old.append(key)
                new.append(target)
    if old:
        summary_notes.append(
            f"{len(old)} leerlingnummer(s) zonder voorloopnullen herkend als dezelfde leerling "
            f"(bv. {old[0]} = {new[0]})"
        )
    named = 0
    if pupils_stored:
        for key, matches in db.execute("import_name_matches", cursor=cur).fetchall():
            if len(matches) > 1:
                raise ImportRefused(
                    f"{source.path}: de export heeft geen leerlingnummer en naam en klas passen bij meer dan "
                    f"een leerling ({', '.join(matches)}); exporteer de kolom met het leerlingnummer mee."
                )
            old.append(key)
            new.append(matches[0])
            named += 1
    if named:
        summary_notes.append(f"{named} leerling(en) zonder nummer herkend op naam en klas")
    if old:
        db.execute("import_rekey", {"old_keys": old, "new_keys": new}, cursor=cur)


_DISK_FULL = ("no space left", "disk is full", "not enough space", "could not write", "errno 28")


def _storage_refusal(db: Database, exc: BaseException) -> ImportRefused | None:
    """A full disk (or another write failure) during the import, as one sentence; None for
    anything else."""
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or any(m in text for m in _DISK_FULL):
        return ImportRefused(
            f"{db.path}: de schijf is vol tijdens het importeren; er is niets veranderd, maak ruimte "
            "vrij en importeer opnieuw."
        )
    if isinstance(exc, (duckdb.IOException, OSError)):
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return ImportRefused(
            f"{db.path}: schrijven mislukte tijdens het importeren ({reason}); er is niets veranderd."
        )
    if isinstance(exc, duckdb.OutOfMemoryException):
        return ImportRefused(
            f"{db.path}: te weinig geheugen voor deze import; er is niets veranderd: importeer het bestand in "
            "delen, of geef DuckDB meer geheugen (bv. ZORGOVERLEG_MEMORY_LIMIT=2GB)."
        )
    return None


def _work_dir(db: Database) -> Path:
    """Where temporary copies of an export go: beside the database (never the system's
    temporary folder); the current folder for a database in memory."""
    if str(db.path) == ":memory:":
        return Path.cwd()
    return db.path.resolve().parent


# Free space below this (plus a few times the exports' size) counts as a tight disk: see _tight_disk.
TIGHT_DISK_MARGIN = 256 * 1024 * 1024


def _tight_disk(db: Database, files: Sequence[str | Path]) -> bool:
    """Whether the database's disk may run full during this import.

    DuckDB's optimistic writes put large appends into the database file before the commit, which is
    faster (about a fifth of an import at M) but leaves the file grown when the disk fills up. So they
    stay on only with room to spare: at least four times the exports' size plus a margin."""
    if str(db.path) == ":memory:":
        return False
    size = 0
    for file in files:
        try:
            size += Path(file).stat().st_size
        except OSError:
            pass
    try:
        free = shutil.disk_usage(db.path.resolve().parent).free
    except OSError:
        return True
    return free < 4 * size + TIGHT_DISK_MARGIN


def import_files(
    db: Database,
    files: Sequence[str | Path],
    config: Config,
    mapping: Mapping | None = None,
    *,
    dry_run: bool = False,
    progress: Progress = _no_progress,
    today: date | None = None,
) -> list[FileSummary]:
    """Import ``files`` in one transaction; raises ImportRefused (and changes nothing).

    Each file is read once, straight from the CSV into the table ``staged`` (parsed,
    mapped and checked on the way); only a refused file is read again to name its line.
    Records on days without lessons (the school calendar up to ``today``, default the
    real today) are left out and named in the summary. Imports into one database run one at a
    time (a second waits): they write the same tables, and the staged lines are one table."""
    with db.import_lock:
        return _import_files(db, files, config, mapping, dry_run=dry_run, progress=progress, today=today)


def _import_files(
    db: Database,
    files: Sequence[str | Path],
    config: Config,
    mapping: Mapping | None,
    *,
    dry_run: bool,
    progress: Progress,
    today: date | None,
) -> list[FileSummary]:
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
    lesson_days = lesson_days_parameters(config, today or date.today())
    work_dir = _work_dir(db)
    remove_leftovers(work_dir)
    cur = db.cursor()
    summaries: list[FileSummary] = []
    sources: list[_Source] = []
    try:
        # On a tight disk, large appends stay in memory (or DuckDB's temporary files) until the commit
        # instead of being written into the database file ahead: a full disk then leaves the file as it was.
        if _tight_disk(db, files):
            cur.execute("SET enable_optimistic_write = false")
        cur.execute("BEGIN")
        list_before = list_cache.fingerprint(db, cur)  # for the stored list: see list_cache.note_change
        common.update(_code_lookup(db, cur, mapping))
        db.execute("import_codes", common, cursor=cur)
        db.execute("import_lesson_days", lesson_days, cursor=cur)
        import_id = db.execute("import_next_id", cursor=cur).fetchone()[0]
        for number, name in enumerate(files):
            path = Path(name)
            step = f"{path.name}"
            progress(f"{step}: lezen", number / len(files))
            source = _open(path, mapping, work_dir)
            sources.append(source)
            try:
                _source_view(cur, source)
                db.execute("import_parse", cursor=cur)  # (its body is bound to raw_import)
                progress(f"{step}: controleren", (number + 0.4) / len(files))
                params = _stage_parameters(db, cur, source, mapping, common)
                rows = db.execute("import_stage", params, cursor=cur).fetchone()[0]
            except (duckdb.IOException, duckdb.OutOfMemoryException):
                raise
            except duckdb.Error as exc:  # a bad row, or a file DuckDB's CSV reader refuses
                refusal = _explain_refusal(db, cur, source, mapping, common, lesson_days)
                if refusal is None:
                    raise exc from None
                if isinstance(refusal, UnknownCodes):  # name the unknown codes of the other files too
                    refusal = _more_unknown_codes(db, cur, refusal, files[number + 1:], mapping, common, work_dir, sources)
                raise refusal from None
            cur.execute("DROP VIEW IF EXISTS raw_import")
            cur.execute("DROP TABLE IF EXISTS raw_source")
            if rows == 0:
                raise ImportRefused(f"{path}: de export bevat geen regels met afwezigheden.")
            absences, hours, pupils_stored = db.execute("import_table_filled", cursor=cur).fetchone()
            notes = list(source.notes)
            _recognise_pupils(db, cur, source, notes, pupils_stored)
            no_lesson, no_lesson_dates = db.execute("import_no_lesson_count", cursor=cur).fetchone()
            if no_lesson:
                db.execute("import_drop_no_lesson", cursor=cur)
            duplicated = (db.execute("import_duplicate_keys", cursor=cur).fetchone()[0]
                          if _first(db.execute("import_duplicate_probe", cursor=cur)) else 0)
            conflicts, examples = 0, []
            if duplicated:
                db.execute("import_duplicates", cursor=cur)
                conflicts, examples = db.execute("import_conflicts", cursor=cur).fetchone()
            new_pupils = db.execute("import_new_pupils", cursor=cur).fetchone()[0] if pupils_stored else None
            # pupils first: every line counts for them, also one a later line overrides
            db.execute("import_upsert_pupils", {"import_id": import_id}, cursor=cur)
            touched = [k for (k,) in db.execute("import_touched_pupils", cursor=cur).fetchall()]
            if duplicated:
                db.execute("import_drop_superseded", cursor=cur)
            db.execute("import_incoming_view", cursor=cur)
            records, pupils, first, last = db.execute("import_incoming_summary", cursor=cur).fetchone()
            # the stored records the incoming ones replace (newest import wins), counted by their removal
            replaced = db.execute("import_delete_replaced", cursor=cur).fetchone()[0] if absences else 0
            summary = FileSummary(
                str(path), rows, records, pupils, pupils if new_pupils is None else new_pupils, replaced,
                first, last, [tuple(r) for r in db.execute("import_code_counts", cursor=cur).fetchall()],
                dry_run, source.shape, no_lesson, list(no_lesson_dates or []), conflicts,
                [(e["pupil_key"], e["date"]) for e in (examples or [])], notes, touched,
            )
            summaries.append(summary)
            # a dry run writes too (so a later file sees the earlier ones) and rolls back at the end
            progress(f"{step}: opslaan", (number + 0.7) / len(files))
            db.execute("import_insert_absences", {"import_id": import_id}, cursor=cur)
            # whole half-days are in the view halfdays at once; lesson hours are rolled up
            if hours:
                db.execute("halfdays_delete_touched", cursor=cur)
            if params["has_lesson_hour"] and _first(db.execute("import_has_lesson_hours", cursor=cur)):
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
            cur.execute("DROP TABLE IF EXISTS duplicates")
            cur.execute("DROP TABLE IF EXISTS duplicate_keys")
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
        # the stored list computes only the pupils this import wrote again
        list_cache.note_change(db, cur, list_before, [k for s in summaries for k in s.touched])
        if dry_run:
            cur.execute("ROLLBACK")
        else:
            _fail_point("commit")
            cur.execute("COMMIT")
        progress("klaar", 1.0)
        return summaries
    except BaseException as exc:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass
        refusal = None if isinstance(exc, ImportRefused) else _storage_refusal(db, exc)
        if refusal is not None:
            raise refusal from None
        raise
    finally:
        for source in sources:
            if source.temp is not None:
                source.temp.unlink(missing_ok=True)
        try:
            cur.execute("RESET enable_optimistic_write")
        except duckdb.Error:
            pass
        cur.close()


def _first(result: duckdb.DuckDBPyConnection) -> object:
    """The first column of a statement's single row."""
    row = result.fetchone()
    return row[0] if row else None


def _fail_point(name: str) -> None:
    """A hook for tests that simulate a full disk at a step of the import (no-op otherwise)."""
