"""Reading an export: sniff the kind of file, its encoding, separator and header, and
make it readable for DuckDB (a UTF-8 CSV, or rows in memory for XLSX)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from zorgoverleg.import_mapping import _ALIAS_INDEX, ALIASES, COLUMN_NAMES, ImportRefused, Mapping, _key

if TYPE_CHECKING:  # pyarrow is loaded for XLSX files only (it costs a CSV import ~25 MB)
    import pyarrow as pa


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
