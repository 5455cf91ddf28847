"""Import mappings: the column aliases, the header key, and the ``--mapping`` TOML.

Pure data and parsing; no file is read here except the mapping itself.
"""

from __future__ import annotations

import codecs
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from zorgoverleg.calendar import coerce_date
from zorgoverleg.codes import CodeInfo, parse_mapping_code
from zorgoverleg.db import connect as db_connect

CANONICAL = (
    "pupil_id", "last_name", "first_name", "class", "date", "halfday", "lesson_hour",
    "code", "note", "birth_date", "grade", "year_level",
)

# Columns of the other shapes (EXPORTS.md): periods from-to, and wide per day.
PERIOD_COLUMNS = ("date_from", "date_to", "halfday_from", "halfday_to", "hour_from", "hour_to")
WIDE_COLUMNS = ("vm", "nm")
MAPPABLE = CANONICAL + PERIOD_COLUMNS + WIDE_COLUMNS

ALIASES: dict[str, tuple[str, ...]] = {
    "pupil_id": ("leerling_id", "leerlingnummer", "stamboeknummer", "id", "leerlingnr", "lln_id", "ll_id"),
    "last_name": ("naam", "familienaam", "achternaam", "ll_naam"),
    "first_name": ("voornaam", "ll_voornaam"),
    "class": ("klas", "klasgroep", "kl_code"),
    "date": ("datum",),
    "halfday": ("dagdeel", "moment", "vm/nm"),
    "lesson_hour": ("lesuur",),
    "code": ("code", "afwezigheidscode", "ac_code"),
    "note": ("opmerking", "reden", "motivatie"),
    "birth_date": ("geboortedatum",),
    "grade": ("graad",),
    "year_level": ("jaar", "leerjaar"),
    "date_from": ("van", "vanaf", "datum_van", "begindatum", "begin", "af_van", "startdatum"),
    "date_to": ("tot", "tot_en_met", "datum_tot", "einddatum", "eind", "af_tot"),
    "halfday_from": ("van_dagdeel", "vanuur", "af_vanuur", "begin_dagdeel"),
    "halfday_to": ("tot_dagdeel", "totuur", "af_totuur", "eind_dagdeel"),
    "hour_from": ("begin_lesuur", "van_lesuur", "beginlesuur"),
    "hour_to": ("eind_lesuur", "tot_lesuur", "eindlesuur"),
    "vm": ("vm", "voormiddag", "am"),
    "nm": ("nm", "namiddag", "pm"),
}

# Dutch names of the canonical columns, for messages.
COLUMN_NAMES = {
    "pupil_id": "leerling-id", "last_name": "naam", "first_name": "voornaam", "class": "klas",
    "date": "datum", "halfday": "dagdeel", "lesson_hour": "lesuur", "code": "code",
    "note": "opmerking", "birth_date": "geboortedatum", "grade": "graad", "year_level": "jaar",
    "date_from": "begindatum", "date_to": "einddatum", "halfday_from": "begin-dagdeel",
    "halfday_to": "eind-dagdeel", "hour_from": "beginlesuur", "hour_to": "eindlesuur",
    "vm": "voormiddag", "nm": "namiddag",
}
SHAPES = ("long", "periods", "wide")

VM_VALUES = ["VM", "V", "VOORMIDDAG", "AM", "T1", "OCHTEND"]
NM_VALUES = ["NM", "N", "NAMIDDAG", "PM", "T6", "MIDDAG"]
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d"]
DATE_HINT = {
    "%d/%m/%Y": "dd/mm/jjjj", "%d-%m-%Y": "dd-mm-jjjj", "%Y-%m-%d": "jjjj-mm-dd",
    "%d.%m.%Y": "dd.mm.jjjj", "%Y/%m/%d": "jjjj/mm/dd",
}


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
    shape: str | None = None  # long, periods or wide (else recognised by the headers)
    pupil: str | None = None  # Smartschool getAbsents (one pupil): the pupil's id
    date: date | None = None  # Smartschool getAbsentsByDate (one date)


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
        if canon not in MAPPABLE:
            raise ImportRefused(
                f"{path}: [columns] {canon} is onbekend; gebruik een van {', '.join(MAPPABLE)}."
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
    for key in ("date_format", "delimiter", "encoding", "sheet", "shape", "pupil"):
        if key in options and (not isinstance(options[key], str) or not options[key]):
            raise ImportRefused(f"{path}: [import] {key} moet tekst zijn.")
    mapping.date_format = options.get("date_format")
    mapping.delimiter = options.get("delimiter")
    mapping.encoding = options.get("encoding")
    mapping.sheet = options.get("sheet")
    mapping.shape = options.get("shape")
    if mapping.shape is not None and mapping.shape not in SHAPES:
        raise ImportRefused(f"{path}: [import] shape moet een van {', '.join(SHAPES)} zijn.")
    mapping.pupil = options.get("pupil")
    if "date" in options:
        mapping.date = coerce_date(options["date"])
        if mapping.date is None:
            raise ImportRefused(f"{path}: [import] date moet een datum zijn, bv. 2024-09-20.")
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

