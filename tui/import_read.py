"""Reading an export: sniff the kind of file, its encoding, separator and header, and
make it readable for DuckDB (a UTF-8 CSV, or rows in memory for XLSX)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import re
import stat
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
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
    table: pa.Table | None = None  # XLSX or JSON rows as strings
    temp: Path | None = None
    shape: str = "long"  # long, periods, wide; JSON: smartschool-leerling / smartschool-datum
    cells: list[tuple[str | None, int | None, int]] = field(default_factory=list)  # wide: code columns
    notes: list[str] = field(default_factory=list)  # what the reading recognised, for the summary
    date_format: str | None = None  # a period file: the format of its dates, once detected
    morning_last_hour: int = 4  # a period file with lesson hours: the last morning hour
    view: tuple[str, str] = ("", "")  # raw_import's line expression and origin (import_shapes)


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


_HOUR_HEADER = re.compile(r"(?:u|uur|lesuur|lu)?([0-9]{1,2})")
_COUNT_HEADERS = {"B", "Z", "L", "R", "P", "D", "-", "M", "H", "A"}


def _hour_of(header: str) -> int | None:
    """The lesson hour a wide file's column header stands for (1, u1, lesuur 1), else None."""
    match = _HOUR_HEADER.fullmatch(_key(header))
    if match and 1 <= int(match.group(1)) <= 16:
        return int(match.group(1))
    return None


def _refuse_counts(path: Path, headers: list[str]) -> None:
    """A report with totals per pupil and code (no dates) is no absence export."""
    letters = sum(h.strip().upper() in _COUNT_HEADERS for h in headers)
    if letters >= 2 or any("totaal" in _key(h) or "aantal" in _key(h) for h in headers):
        raise ImportRefused(
            f"{path}: dit is een telling per leerling en per code, zonder datums, en daaruit kan geen "
            "signaal berekend worden; exporteer de afwezigheden zelf, per (halve) dag of per periode "
            "van-tot (in Wisa de afwezigheden met AF_VAN en AF_TOT)."
        )


def _match_columns(path: Path, headers: list[str], mapping: Mapping | None) -> dict[str, int]:
    """The canonical columns (name -> position) of a file with the long shape; see ``_match``."""
    return _match(path, headers, mapping)[0]


def _match(
    path: Path, headers: list[str], mapping: Mapping | None
) -> tuple[dict[str, int], str, list[tuple[str | None, int | None, int]]]:
    """(canonical columns, shape, cells): the shape is long, periods or wide (EXPORTS.md);
    cells are a wide file's code columns as (half-day or None, lesson hour or None, position)."""
    by_key: dict[str, list[int]] = {}
    for position, header in enumerate(headers):
        if _key(header):
            by_key.setdefault(_key(header), []).append(position)
    columns: dict[str, int] = {}
    for position, header in enumerate(headers):
        canon = _ALIAS_INDEX.get(_key(header))
        if canon and canon not in columns:
            columns[canon] = position
    if mapping:
        for canon, header in mapping.columns.items():
            positions = by_key.get(_key(header))
            if positions is None:
                raise ImportRefused(
                    f"{path}, regel 1: kolom {header!r} uit de mapping staat niet in de kop; "
                    f"gevonden kolommen: {', '.join(headers)}."
                )
            columns[canon] = positions[0]
    shape = mapping.shape if mapping and mapping.shape else None
    if shape is None:
        if "date_from" in columns and "date" not in columns:
            shape = "periods"
        elif "code" not in columns and "date" in columns:
            shape = "wide"
        else:
            shape = "long"
    cells: list[tuple[str | None, int | None, int]] = []
    if shape == "wide":
        cells = [(half.upper(), None, columns[half]) for half in ("vm", "nm") if half in columns]
        used = set(columns.values())
        cells += [
            (None, hour, position) for position, header in enumerate(headers)
            if position not in used and (hour := _hour_of(header)) is not None
        ]
    for position in sorted(set(columns.values()) | {c[2] for c in cells}):
        same = by_key.get(_key(headers[position]), [position])
        if len(same) > 1:
            raise ImportRefused(
                f"{path}, regel 1: de kolomkop {headers[position]!r} staat er meer dan eens in "
                f"(kolommen {', '.join(str(p + 1) for p in same)}); geef elke kolom een eigen naam "
                "of noem de juiste in een mapping-bestand (--mapping)."
            )
    if "date" not in columns and "date_from" not in columns:
        _refuse_counts(path, headers)
    needed = {"long": ["date", "code"], "periods": ["date_from", "code"], "wide": ["date"]}[shape]
    if "pupil_id" not in columns:
        needed += ["last_name", "first_name"]
    for canon in needed:
        if canon not in columns:
            names = ", ".join(ALIASES[canon])
            raise ImportRefused(
                f"{path}, regel 1: geen kolom voor {COLUMN_NAMES[canon]} gevonden (verwacht: {names}); "
                "noem de kolom in een mapping-bestand (--mapping)."
            )
    if shape == "wide" and not cells:
        raise ImportRefused(
            f"{path}, regel 1: geen kolom met een code en geen kolommen per dagdeel (VM, NM) of per "
            "lesuur (1, u1, lesuur 1); noem de codekolom in een mapping-bestand (--mapping)."
        )
    return columns, shape, cells


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


def _open_csv(path: Path, mapping: Mapping | None, work_dir: Path | None = None) -> _Source:
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head.strip():
        raise ImportRefused(f"{path}: het bestand is leeg; kies de export met afwezigheden.")
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # Excel's "Unicode text"
    if utf16 and not (mapping and mapping.encoding):
        head = head[: len(head) - len(head) % 2].decode("utf-16", errors="replace").encode("utf-8")
    elif b"\x00" in head[:4096] and not (mapping and mapping.encoding and "16" in mapping.encoding):
        raise ImportRefused(
            f"{path}: dit lijkt geen tekstbestand (CSV) maar een binair bestand; "
            "exporteer als CSV of XLSX."
        )
    if mapping and mapping.encoding and not utf16:
        _check_encoding(path, head, mapping.encoding)
    text, encoding = _decode_head(head, mapping.encoding if mapping else None)
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = mapping.delimiter if mapping and mapping.delimiter else None
    if delimiter is None:
        counts = {sep: first_line.count(sep) for sep in (";", "\t", ",")}
        delimiter = max(counts, key=counts.get)  # type: ignore[arg-type]
        if counts[delimiter] == 0:
            raise ImportRefused(
                f"{path}, regel 1: geen scheidingsteken (; , of tab) in de kopregel; "
                "controleer of dit een CSV-export is."
            )
    headers = next(csv.reader([first_line], delimiter=delimiter))
    columns, shape, cells = _match(path, headers, mapping)
    forced = mapping.encoding if mapping and mapping.encoding else ("utf-16" if utf16 else None)
    checksum, utf8, mixed = _checksum(path, check_utf8=forced is None)
    source = _Source(path, headers, columns, checksum, path, delimiter, "utf-8", shape=shape, cells=cells)
    folder = work_dir or Path.cwd()
    if forced and codecs.lookup(forced).name != "utf-8":
        _transcode(source, forced, folder)
    elif forced:
        _check_encoding(path, None, forced)
        if mixed:
            _transcode(source, "utf-8-sig", folder)
    elif not utf8:
        _transcode_by_line(source, folder)
    elif mixed:  # DuckDB refuses CRLF and LF in one file (e.g. lines added by hand)
        _transcode(source, "utf-8-sig", folder)
    return source


def _check_encoding(path: Path, head: bytes | None, encoding: str) -> None:
    """The mapping's encoding must read the file (its start, or with ``head`` None the whole
    file): else one sentence naming the line, never garbled names."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    try:
        if head is not None:
            cut = head.rfind(b"\n")
            decoder.decode(head[: cut + 1] if cut > 0 else head)
            return
        with path.open("rb") as handle:
            for raw in handle:
                decoder.decode(raw)
                line += 1
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        if head is not None:
            line = head[: head.find(b"\n", 0)].count(b"\n") + 1
            for number, raw in enumerate(head.split(b"\n"), start=1):
                try:
                    raw.decode(encoding)
                except UnicodeDecodeError:
                    line = number
                    break
        raise ImportRefused(
            f"{path}, regel {line}: het bestand is niet in {encoding} geschreven; verbeter of schrap "
            "[import] encoding in het mapping-bestand."
        ) from None


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


XLSX_MAX_UNPACKED = 512 * 1024 * 1024  # bytes: an XLSX that unpacks to more is refused


def _check_zip(path: Path) -> None:
    """Refuse a zip bomb before calamine unpacks it: the entries are unpacked once, in
    bounded chunks, counting the bytes (a header's stated size can lie)."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as entry:
                    while chunk := entry.read(1 << 20):
                        total += len(chunk)
                        if total > XLSX_MAX_UNPACKED:
                            raise ImportRefused(
                                f"{path}: het Excel-bestand pakt uit tot meer dan "
                                f"{XLSX_MAX_UNPACKED // (1024 * 1024)} MB en wordt niet gelezen; "
                                "exporteer de afwezigheden als CSV."
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise ImportRefused(f"{path}: het Excel-bestand kan niet gelezen worden ({exc}).") from None


def _open_xlsx(path: Path, mapping: Mapping | None) -> _Source:
    _check_zip(path)
    notes: list[str] = []
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        if mapping and mapping.sheet:
            if mapping.sheet not in book.sheet_names:
                raise ImportRefused(
                    f"{path}: werkblad {mapping.sheet!r} uit de mapping bestaat niet; "
                    f"werkbladen: {', '.join(book.sheet_names)}."
                )
            sheet_name = mapping.sheet
            rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=True)
        else:
            filled = {}
            for name in book.sheet_names:
                found = book.get_sheet_by_name(name).to_python(skip_empty_area=True)
                if len(found) > 1:
                    filled[name] = found
            sheet_name = next(iter(filled), book.sheet_names[0])
            rows = filled.get(sheet_name) or book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=True)
            if len(filled) > 1:
                notes.append(
                    f"gegevens op {len(filled)} werkbladen ({', '.join(filled)}); gelezen: {sheet_name!r} "
                    "(kies een ander met [import] sheet in een mapping-bestand)"
                )
    except ImportRefused:
        raise
    except Exception as exc:  # calamine raises several kinds for damaged files
        raise ImportRefused(f"{path}: het Excel-bestand kan niet gelezen worden ({exc}).") from None
    if not rows:
        raise ImportRefused(f"{path}: het werkblad is leeg; kies de export met afwezigheden.")
    headers = [_cell(h) or "" for h in rows[0]]
    columns, shape, cells = _match(path, headers, mapping)
    width = len(headers)
    data = {
        f"c{i}": [(_cell(row[i]) if i < len(row) else None) for row in rows[1:]]
        for i in range(width)
    }
    import pyarrow as pa

    table = pa.table({name: pa.array(values, type=pa.string()) for name, values in data.items()})
    return _Source(path, headers, columns, _checksum(path)[0], table=table, shape=shape, cells=cells, notes=notes)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STAMP_PREFIX = re.compile(r"^\d{8}_\d{6}_")  # getAbsentsWithAliasByDate: 20240916_104204_leerling.aaa
JSON_MAX = 256 * 1024 * 1024  # bytes


_PUPIL_FILE = re.compile(r"(?:.*getabsents(?:withalias)?_)?(?P<pupil>[^\s_][^\s]*?)_\d{4}(?:-\d{4})?", re.I)


def json_pupil_from_name(path: Path) -> str | None:
    """The pupil of a getAbsents file (one pupil, one school year) from its name:
    ``[getAbsents_]<pupil>_<school year>.json``, e.g. ``getAbsents_leerling.aaa_2024.json`` or
    ``007273_2025-2026.json``; None for a name without a school year at its end."""
    match = _PUPIL_FILE.fullmatch(path.stem)
    return match.group("pupil") if match else None


def _json_cell(value: object) -> tuple[str | None, str | None]:
    """(code, alias) of one half-day cell: "Z", null, or {code|officialcode, alias}."""
    if isinstance(value, dict):
        code = value.get("code", value.get("officialcode"))
        alias = value.get("alias")
        return (None if code is None else str(code)), (None if alias in (None, "") else str(alias))
    if value is None:
        return None, None
    return str(value), None


def _open_json(path: Path, mapping: Mapping | None) -> _Source:
    """Smartschool's webservice JSON (getAbsents*, getAbsents*ByDate) as long rows."""
    if path.stat().st_size > JSON_MAX:
        raise ImportRefused(f"{path}: het JSON-bestand is te groot voor een afwezigheidsexport.")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(f"{path}: geen geldige JSON ({exc}); exporteer het bestand opnieuw.") from None
    if not isinstance(data, dict) or not data or not all(isinstance(v, dict) for v in data.values()):
        raise ImportRefused(
            f"{path}: dit is geen afwezigheidsbestand van Smartschool (getAbsents of getAbsentsByDate: "
            "per datum of per leerling een voormiddag en een namiddag)."
        )
    per_pupil = all(_ISO_DATE.fullmatch(str(k)) for k in data)
    rows: list[tuple[str, str, str, str, str | None]] = []
    if per_pupil:
        pupil = mapping.pupil if mapping and mapping.pupil else json_pupil_from_name(path)
        if pupil is None:
            raise ImportRefused(
                f"{path}: dit bestand geeft de afwezigheden van één leerling, maar niet welke; noem het "
                "bestand naar de leerling en het schooljaar (bv. getAbsents_leerling.aaa_2024.json) of zet "
                "[import] pupil in een mapping-bestand."
            )
        items = [(pupil, str(day), cells) for day, cells in data.items()]
        shape = "smartschool-leerling"
    else:
        day = mapping.date.isoformat() if mapping and mapping.date else None
        if day is None:
            found = _ISO_DATE.findall(path.name)
            day = found[-1] if found else None
        if day is None:
            raise ImportRefused(
                f"{path}: dit bestand geeft de afwezigheden van één datum, maar niet welke; zet de datum "
                "in de bestandsnaam (bv. getAbsentsByDate_2024-09-20.json) of [import] date in een mapping-bestand."
            )
        items = [(_STAMP_PREFIX.sub("", str(key)), day, cells) for key, cells in data.items()]
        shape = "smartschool-datum"
    for pupil, day, cells in items:
        for half, key in (("VM", "am"), ("NM", "pm")):
            code, alias = _json_cell(cells.get(key))
            if code is not None:  # null: no lessons that half-day
                rows.append((pupil, day, half, code, alias))
    if not rows:
        raise ImportRefused(f"{path}: het bestand bevat geen dagdelen met lessen.")
    import pyarrow as pa

    names = ["leerling", "datum", "dagdeel", "code", "alias"]
    table = pa.table({f"c{i}": pa.array([r[i] for r in rows], type=pa.string()) for i in range(5)})
    columns = {"pupil_id": 0, "date": 1, "halfday": 2, "code": 3, "note": 4}
    return _Source(path, names, columns, _checksum(path)[0], table=table, shape=shape)


def _open(path: Path, mapping: Mapping | None, work_dir: Path | None = None) -> _Source:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportRefused(f"{path}: bestand niet gevonden; controleer het pad.") from None
    except OSError as exc:
        raise ImportRefused(f"{path}: het bestand kan niet gelezen worden ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportRefused(f"{path}: dit is een map; geef het exportbestand zelf op.")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise ImportRefused(f"{path}: dit is geen gewoon bestand (maar bv. een pijp of apparaat); geef het exportbestand zelf op.")
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") or magic == b"PK\x03\x04":
            return _open_xlsx(path, mapping)
        if path.suffix.lower() == ".json" or magic.lstrip()[:1] in (b"{", b"["):
            return _open_json(path, mapping)
        return _open_csv(path, mapping, work_dir)
    except PermissionError:
        raise ImportRefused(f"{path}: geen leesrechten op dit bestand; vraag ze aan of kopieer het bestand.") from None
    except IsADirectoryError:
        raise ImportRefused(f"{path}: dit is een map; geef het exportbestand zelf op.") from None
    except OSError as exc:
        raise ImportRefused(f"{path}: het bestand kan niet gelezen worden ({exc.strerror or exc}).") from None


TEMP_PREFIX = ".zorgoverleg-import-"


def _temp_copy(folder: Path) -> Path:
    """A new temporary file beside the database (mode 0600; never in the system's temporary
    folder, where a copy of an export would outlive a crash). Its name holds this process's id
    so that ``remove_leftovers`` knows which copies are orphans."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=folder)
    os.close(handle)
    os.chmod(name, 0o600)
    return Path(name)


def remove_leftovers(folder: Path) -> int:
    """Remove the temporary copies an interrupted import left in ``folder``; returns how many."""
    removed = 0
    try:
        candidates = list(folder.glob(f"{TEMP_PREFIX}*"))
    except OSError:
        return 0
    for leftover in candidates:
        try:
            pid = int(leftover.name[len(TEMP_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid():
            try:
                os.kill(pid, 0)
                continue  # that import is still running
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
        elif leftover.stat().st_mtime > time.time() - 24 * 3600:
            continue  # this process's own, still in use
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed


def _transcode(source: _Source, encoding: str, folder: Path | None = None) -> None:
    """Write a UTF-8 copy of a cp1252 (or other) file for DuckDB (before any transaction),
    with one kind of line end."""
    target = _temp_copy(folder or Path.cwd())
    source.temp = target
    try:
        with source.path.open("r", encoding=encoding, errors="strict", newline=None) as src, target.open(
            "w", encoding="utf-8", newline=""
        ) as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except UnicodeDecodeError:
        target.unlink(missing_ok=True)
        source.temp = None
        _check_encoding(source.path, None, encoding)
        raise ImportRefused(f"{source.path}: het bestand is niet in {encoding} geschreven.") from None
    source.csv_path = target
    source.encoding = encoding


def _transcode_by_line(source: _Source, folder: Path) -> None:
    """A file that is not valid UTF-8: each line is read as UTF-8, and a line that is not
    valid UTF-8 as cp1252, so that one stray cp1252 byte in a UTF-8 export (a line added by
    hand) does not garble every accented name; a whole cp1252 file reads as cp1252."""
    target = _temp_copy(folder)
    source.temp = target
    utf8_lines = cp_lines = 0
    first_cp = None
    with source.path.open("rb") as src, target.open("wb") as dst:
        number = 0
        out = []
        for raw in src:
            number += 1
            body = raw.rstrip(b"\r\n").replace(b"\r", b"\n")
            if number == 1 and body.startswith(codecs.BOM_UTF8):
                body = body[3:]
            if body.isascii():
                out.append(body + b"\n")
            else:
                try:
                    body.decode("utf-8")
                    utf8_lines += 1
                    out.append(body + b"\n")
                except UnicodeDecodeError:
                    cp_lines += 1
                    first_cp = first_cp or number
                    out.append(body.decode("cp1252", errors="replace").encode("utf-8") + b"\n")
            if len(out) >= 8192:
                dst.write(b"".join(out))
                out.clear()
        dst.write(b"".join(out))
    if utf8_lines and cp_lines:
        source.notes.append(
            f"{cp_lines} regel(s) niet in UTF-8 (eerste: regel {first_cp}) apart als cp1252 gelezen; "
            "de andere regels als UTF-8"
        )
    source.csv_path = target
    source.encoding = "cp1252" if not utf8_lines else "utf-8"


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
    if source.csv_path is None:
        return None
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
