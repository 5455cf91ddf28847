"""Import school absence exports (CSV/TXT/XLSX) into the database.

DuckDB parses the file (``read_csv``); Python only sniffs the separator, encoding
and header, and turns DuckDB's findings into one clear Dutch sentence. A refused
file changes nothing: all files of one import are staged, checked and written in
one transaction.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from zorgoverleg.codes import CodeInfo, code_table, parse_mapping_code
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.db import connect as db_connect

if TYPE_CHECKING:  # pyarrow is loaded for XLSX files only (it costs a CSV import ~25 MB)
    import pyarrow as pa

CANONICAL = (
    "pupil_id", "last_name", "first_name", "class", "date", "halfday", "lesson_hour",
    "code", "note", "birth_date", "grade", "year_level",
)

ALIASES: dict[str, tuple[str, ...]] = {
    "pupil_id": ("leerling_id", "leerlingnummer", "stamboeknummer", "id", "leerlingnr", "lln_id"),
    "last_name": ("naam", "familienaam", "achternaam"),
    "first_name": ("voornaam",),
    "class": ("klas", "klasgroep"),
    "date": ("datum",),
    "halfday": ("dagdeel", "moment", "vm/nm"),
    "lesson_hour": ("lesuur",),
    "code": ("code", "afwezigheidscode"),
    "note": ("opmerking", "reden"),
    "birth_date": ("geboortedatum",),
    "grade": ("graad",),
    "year_level": ("jaar", "leerjaar"),
}

# Dutch names of the canonical columns, for messages.
COLUMN_NAMES = {
    "pupil_id": "leerling-id", "last_name": "naam", "first_name": "voornaam", "class": "klas",
    "date": "datum", "halfday": "dagdeel", "lesson_hour": "lesuur", "code": "code",
    "note": "opmerking", "birth_date": "geboortedatum", "grade": "graad", "year_level": "jaar",
}

VM_VALUES = ["VM", "V", "VOORMIDDAG", "AM", "T1", "OCHTEND"]
NM_VALUES = ["NM", "N", "NAMIDDAG", "PM", "T6", "MIDDAG"]
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d"]
DATE_HINT = {
    "%d/%m/%Y": "dd/mm/jjjj", "%d-%m-%Y": "dd-mm-jjjj", "%Y-%m-%d": "jjjj-mm-dd",
    "%d.%m.%Y": "dd.mm.jjjj", "%Y/%m/%d": "jjjj/mm/dd",
}
BIG_FILE = 4 * 1024 * 1024  # bytes: show progress from here on


class ImportRefused(Exception):
    """The input was refused; the message is one Dutch sentence (file, line, problem, remedy)."""


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9/]", "", text)


_ALIAS_INDEX = {_key(alias): canon for canon, names in ALIASES.items() for alias in names}


@dataclass
class Mapping:
    """A ``--mapping`` TOML: column names, extra codes and format hints."""

    source: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, CodeInfo] = field(default_factory=dict)
    date_format: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    vm_values: list[str] = field(default_factory=list)
    nm_values: list[str] = field(default_factory=list)
    morning_last_hour: int | None = None
    sheet: str | None = None


def load_mapping(path: str | Path) -> Mapping:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ImportRefused(f"{path}: mapping-bestand niet gevonden; controleer het pad.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ImportRefused(f"{path}: geen geldige TOML ({exc}); verbeter het mapping-bestand.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportRefused(f"{path}: mapping-bestand niet leesbaar ({exc}).") from None
    mapping = Mapping(source=str(path))
    for section in ("columns", "codes", "import"):
        if not isinstance(data.get(section, {}), dict):
            raise ImportRefused(f"{path}: [{section}] moet een tabel zijn; zie sample_data/mapping_example.toml.")
    columns = data.get("columns", {})
    for canon, header in columns.items():
        if canon not in CANONICAL:
            raise ImportRefused(
                f"{path}: [columns] {canon} is onbekend; gebruik een van {', '.join(CANONICAL)}."
            )
        if not isinstance(header, str) or not header.strip():
            raise ImportRefused(f"{path}: [columns] {canon} moet de kolomkop als tekst geven.")
        mapping.columns[canon] = header
    for raw, value in data.get("codes", {}).items():
        try:
            info = parse_mapping_code(raw, value, str(path))
        except ValueError as exc:
            raise ImportRefused(str(exc)) from None
        mapping.codes[info.raw] = info
    options = data.get("import", {})
    for key in ("date_format", "delimiter", "encoding", "sheet"):
        if key in options and (not isinstance(options[key], str) or not options[key]):
            raise ImportRefused(f"{path}: [import] {key} moet tekst zijn.")
    mapping.date_format = options.get("date_format")
    mapping.delimiter = options.get("delimiter")
    mapping.encoding = options.get("encoding")
    mapping.sheet = options.get("sheet")
    mapping.morning_last_hour = options.get("morning_last_hour")
    hour = mapping.morning_last_hour
    if hour is not None and (not isinstance(hour, int) or isinstance(hour, bool) or not 1 <= hour <= 16):
        raise ImportRefused(f"{path}: [import] morning_last_hour moet een lesuur van 1 tot 16 zijn.")
    halfday_values = options.get("halfday_values", {})
    if not isinstance(halfday_values, dict) or set(halfday_values) - {"VM", "NM"}:
        raise ImportRefused(f"{path}: [import] halfday_values moet een tabel zijn, bv. {{ VM = [\"ochtend\"], NM = [\"middag\"] }}.")
    for half, values in halfday_values.items():
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not all(isinstance(v, (str, int)) for v in values):
            raise ImportRefused(f"{path}: [import] halfday_values {half} moet een lijst met waarden zijn.")
        target = mapping.vm_values if half == "VM" else mapping.nm_values
        target.extend(str(v).strip().upper() for v in values)
    if mapping.delimiter is not None and len(mapping.delimiter) != 1:
        raise ImportRefused(f"{path}: [import] delimiter moet één teken zijn, bv. \";\".")
    if mapping.encoding is not None:
        try:
            codecs.lookup(mapping.encoding)
        except LookupError:
            raise ImportRefused(f"{path}: [import] encoding {mapping.encoding!r} is onbekend; gebruik bv. \"cp1252\" of \"utf-8\".") from None
    if mapping.date_format is not None:
        try:
            with db_connect(":memory:") as check:
                check.execute("SELECT try_strptime('01/01/2000', $f)", {"f": mapping.date_format})
        except duckdb.Error:
            raise ImportRefused(
                f"{path}: [import] date_format {mapping.date_format!r} is geen geldig datumformaat; gebruik bv. \"%d.%m.%Y\"."
            ) from None
    return mapping


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


# ---------------------------------------------------------------------------------------
# Reading a file into the view raw_import(line, <canonical columns>)


@dataclass
class _Source:
    path: Path
    headers: list[str]
    columns: dict[str, int]  # canonical -> position
    checksum: str
    csv_path: Path | None = None  # UTF-8 CSV for DuckDB (the file itself or a transcoded copy)
    delimiter: str = ";"
    encoding: str = "utf-8"
    table: pa.Table | None = None  # XLSX rows as strings
    temp: Path | None = None


def _checksum(path: Path, check_utf8: bool = False) -> tuple[str, bool, bool]:
    """One pass over the file: its SHA-256, whether it is valid UTF-8 (if asked) and whether
    it mixes CRLF and LF line ends."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")() if check_utf8 else None
    valid = True
    crlf = bare_lf = False  # seen a CRLF; seen an LF without CR
    cr_at_end = False
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if not (crlf and bare_lf):
                lead = cr_at_end and chunk.startswith(b"\n")  # a CRLF split between two chunks
                if lead or b"\r" in chunk:
                    pairs = chunk.count(b"\r\n") + lead
                    crlf = crlf or pairs > 0
                    bare_lf = bare_lf or chunk.count(b"\n") > pairs
                else:  # (the common case, quick: no CR, so every LF is a bare one)
                    bare_lf = bare_lf or b"\n" in chunk
                cr_at_end = chunk.endswith(b"\r")
            if decoder is not None and valid:
                if chunk.isascii() and not decoder.getstate()[0]:
                    continue  # plain ASCII and no character cut at the previous chunk's end
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
    if decoder is not None and valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    return digest.hexdigest(), valid, crlf and bare_lf


def _match_columns(path: Path, headers: list[str], mapping: Mapping | None) -> dict[str, int]:
    by_key = {}
    for position, header in enumerate(headers):
        by_key.setdefault(_key(header), position)
    columns: dict[str, int] = {}
    for position, header in enumerate(headers):
        canon = _ALIAS_INDEX.get(_key(header))
        if canon and canon not in columns:
            columns[canon] = position
    if mapping:
        for canon, header in mapping.columns.items():
            position = by_key.get(_key(header))
            if position is None:
                raise ImportRefused(
                    f"{path}, regel 1: kolom {header!r} uit de mapping staat niet in de kop; "
                    f"gevonden kolommen: {', '.join(headers)}."
                )
            columns[canon] = position
    needed = ["date", "code"]
    if "pupil_id" not in columns:
        needed += ["last_name", "first_name"]
    for canon in needed:
        if canon not in columns:
            names = ", ".join(ALIASES[canon])
            raise ImportRefused(
                f"{path}, regel 1: geen kolom voor {COLUMN_NAMES[canon]} gevonden (verwacht: {names}); "
                "noem de kolom in een mapping-bestand (--mapping)."
            )
    return columns


def _decode_head(raw: bytes, encoding: str | None) -> tuple[str, str]:
    """Decode the start of a file; returns (text, encoding)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="ignore"), "utf-8"
    if encoding:
        return raw.decode(encoding, errors="replace"), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(raw) - 4:  # a character cut at the end of the sample
            return raw[: exc.start].decode("utf-8"), "utf-8"
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _open_csv(path: Path, mapping: Mapping | None) -> _Source:
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head.strip():
        raise ImportRefused(f"{path}: het bestand is leeg; kies de export met afwezigheden.")
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # Excel's "Unicode text"
    if utf16 and not (mapping and mapping.encoding):
        head = head[: len(head) - len(head) % 2].decode("utf-16", errors="replace").encode("utf-8")
    elif b"\x00" in head[:4096]:
        raise ImportRefused(
            f"{path}: dit lijkt geen tekstbestand (CSV) maar een binair bestand; "
            "exporteer als CSV of XLSX."
        )
    text, encoding = _decode_head(head, mapping.encoding if mapping else None)
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = mapping.delimiter if mapping and mapping.delimiter else None
    if delimiter is None:
        counts = {sep: first_line.count(sep) for sep in (";", "\t", ",")}
        delimiter = max(counts, key=counts.get)
        if counts[delimiter] == 0:
            raise ImportRefused(
                f"{path}, regel 1: geen scheidingsteken (; , of tab) in de kopregel; "
                "controleer of dit een CSV-export is."
            )
    headers = next(csv.reader([first_line], delimiter=delimiter))
    columns = _match_columns(path, headers, mapping)
    forced = mapping.encoding if mapping and mapping.encoding else ("utf-16" if utf16 else None)
    checksum, utf8, mixed = _checksum(path, check_utf8=forced is None)
    source = _Source(path, headers, columns, checksum, path, delimiter, "utf-8")
    if forced and codecs.lookup(forced).name != "utf-8":
        _transcode(source, forced)
    elif not forced and not utf8:
        _transcode(source, "cp1252")
    elif mixed:  # DuckDB refuses CRLF and LF in one file (e.g. lines added by hand)
        _transcode(source, "utf-8-sig")
    return source


def _cell(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):  # the day counts; a registration time of day does not
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_xlsx(path: Path, mapping: Mapping | None) -> _Source:
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        sheet_name = mapping.sheet if mapping and mapping.sheet else book.sheet_names[0]
        rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=True)
    except ImportRefused:
        raise
    except Exception as exc:  # calamine raises several kinds for damaged files
        raise ImportRefused(f"{path}: het Excel-bestand kan niet gelezen worden ({exc}).") from None
    if not rows:
        raise ImportRefused(f"{path}: het werkblad is leeg; kies de export met afwezigheden.")
    headers = [_cell(h) or "" for h in rows[0]]
    columns = _match_columns(path, headers, mapping)
    width = len(headers)
    data = {
        f"c{i}": [(_cell(row[i]) if i < len(row) else None) for row in rows[1:]]
        for i in range(width)
    }
    import pyarrow as pa

    table = pa.table({name: pa.array(values, type=pa.string()) for name, values in data.items()})
    return _Source(path, headers, columns, _checksum(path)[0], table=table)


def _open(path: Path, mapping: Mapping | None) -> _Source:
    if not path.exists():
        raise ImportRefused(f"{path}: bestand niet gevonden; controleer het pad.")
    if path.is_dir():
        raise ImportRefused(f"{path}: dit is een map; geef het exportbestand zelf op.")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _open_xlsx(path, mapping)
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PK\x03\x04":
        return _open_xlsx(path, mapping)
    return _open_csv(path, mapping)


def _transcode(source: _Source, encoding: str) -> None:
    """Write a UTF-8 copy of a cp1252 (or other) file for DuckDB (before any transaction),
    with one kind of line end."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="zorgoverleg-")
    os.close(handle)
    target = Path(name)
    with source.path.open("r", encoding=encoding, errors="replace", newline=None) as src, target.open(
        "w", encoding="utf-8", newline=""
    ) as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
    source.temp = target
    source.csv_path = target
    source.encoding = encoding


def _physical_line(source: _Source, record_index: int) -> int:
    """The line number in the file where data record ``record_index`` (0-based) starts,
    quoted newlines and blank lines accounted for."""
    if source.table is not None or source.csv_path is None:
        return record_index + 2
    line = _csv_item_line(source, record_index + 2, skip_blank=True)
    return line if line is not None else record_index + 2


def _csv_item_line(source: _Source, number: int, *, skip_blank: bool) -> int | None:
    """The physical line where the ``number``-th item (1 = the header) of the CSV starts.
    Items are records and, unless ``skip_blank``, blank lines (as DuckDB counts its error lines)."""
    try:
        with source.csv_path.open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=source.delimiter)
            seen, start = 0, 1
            for row in reader:
                if row or not skip_blank:
                    seen += 1
                    if seen == number:
                        return start
                start = reader.line_num + 1
    except csv.Error:
        return None
    return None


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
