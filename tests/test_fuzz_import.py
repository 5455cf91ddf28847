"""The importer fuzzed with hypothesis: whatever the file, `import_files` either returns
summaries or raises `ImportRefused` (one sentence for people), never another exception; and a
refused file leaves every table of a database that already holds an import exactly as it was.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import dump
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.importer import _ALIAS_INDEX, ALIASES, FileSummary, ImportRefused, _key, import_files


def fuzz_settings(examples: int) -> settings:
    """No deadline (DuckDB's first query is slow), no example database left in the work tree."""
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


SEED_CSV = (
    "leerling_id;naam;voornaam;klas;datum;dagdeel;code;opmerking\n"
    "0042;Peeters;An;3STW;06/10/2025;VM;B;\n"
    "0042;Peeters;An;3STW;06/10/2025;NM;Z;ziek\n"
    "0043;Janssens;Bo;1A;07/10/2025;VM;L;\n"
    ";Maes;Cas;2B;08/10/2025;NM;R03;\n"
)


class Fuzz:
    """One database holding an import, and a folder for the generated files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = Database.memory()
        seed = self.folder / "seed.csv"
        seed.write_text(SEED_CSV, "utf-8")
        import_files(self.db, [seed], Config())
        self.counter = itertools.count()

    def write(self, data: bytes, suffix: str) -> Path:
        path = self.folder / f"f{next(self.counter)}{suffix}"
        path.write_bytes(data)
        return path

    def check(self, paths: list[Path]) -> list[FileSummary] | None:
        """Import `paths`: summaries, or a refusal that changed nothing. Anything else fails."""
        before = dump(self.db)
        try:
            summaries = import_files(self.db, paths, Config())
        except ImportRefused as exc:
            message = str(exc)
            assert message and "\n" not in message.strip(), message
            assert "Traceback" not in message
            assert dump(self.db) == before, "a refused file changed the database"
            # the database is still usable (no transaction left open)
            self.db.conn.execute("SELECT count(*) FROM absences").fetchone()
            return None
        assert isinstance(summaries, list) and len(summaries) == len(paths)
        assert all(isinstance(s, FileSummary) for s in summaries)
        return summaries


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory) -> Fuzz:
    state = Fuzz(tmp_path_factory.mktemp("fuzz"))
    yield state
    state.db.close()


# --------------------------------------------------------------------------- random bytes

@fuzz_settings(30)
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b),       # looks like a zip / XLSX
    st.binary(max_size=600).map(lambda b: codecs.BOM_UTF8 + b),
    st.binary(max_size=600).map(lambda b: b"leerling_id;datum;code\n" + b),
), suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".CSV", ""]))
def test_random_bytes_are_imported_or_refused(fuzz, data, suffix):
    fuzz.check([fuzz.write(data, suffix)])


# --------------------------------------------------------------------------- random CSV shapes

ALL_ALIASES = sorted({alias for names in ALIASES.values() for alias in names})

CODES = ["R", "Z", "M", "H", "P", "B", "A", "D", "L", "T", "U", "Y", "C", "J", "Q", "O", "W", "G", "-",
         "B01", "R03", "z", " b ", "K9", "X", "", "BB", "B1234567890", "Ž", "'", '"', ";"]
HALFDAYS = ["VM", "NM", "vm", "voormiddag", "Namiddag", "T1", "T6", "AM", "", "XX", "middag", "3"]
JUNK = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
# What a person types in a note or a name: accents, quotes, separators, a line break (quoted).
TEXT = st.text(alphabet=st.one_of(st.characters(min_codepoint=32, max_codepoint=0x17F),
                                  st.sampled_from([";", ",", "\t", '"', "\n", "€", "’", "ë"])), max_size=12)

school_day = st.dates(min_value=date(2025, 9, 1), max_value=date(2026, 6, 30))


VALID_CODES = CODES[:22]
VALID_HALFDAYS = HALFDAYS[:8]
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date_text(draw, fmt: str, mess: int) -> str:
    kind = draw(st.integers(0, 5)) if mess else 0
    if kind <= 2:
        if mess and draw(st.integers(0, 4)) == 0:  # another format than the rest of the file
            fmt = draw(st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%y"]))
        return draw(school_day).strftime(fmt)
    if kind == 3:
        return draw(st.sampled_from(["31/02/2026", "00/01/2026", "32/13/2025", "2026-02-30", "1/1/1",
                                     "01/01/0001", "31/12/9999", "9999-99-99", "", " ", "gisteren",
                                     "13/03/2026 08:30", "2026-03-13T08:00:00", "45678"]))
    if kind == 4:
        d = draw(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    return draw(JUNK)


@st.composite
def cell(draw, canon: str | None, fmt: str, mess: int) -> str:
    """A value for a column: valid for its kind when `mess` is 0, now and then not when 1,
    often anything at all when 2."""
    if mess and draw(st.integers(0, 10 if mess == 1 else 3)) == 0:
        return draw(JUNK)
    if canon == "code":
        return draw(st.sampled_from(CODES if mess else VALID_CODES))
    if canon == "date":
        return _date_text(draw, fmt, mess)
    if canon == "birth_date":
        return draw(st.sampled_from(["", date(2013, 4, 19).strftime(fmt)])) if not mess else _date_text(draw, fmt, mess)
    if canon == "halfday":
        return draw(st.sampled_from(HALFDAYS if mess else VALID_HALFDAYS))
    if canon == "lesson_hour":
        return draw(st.sampled_from(["1", "4", "5", "8", "16"] + (["0", "17", "-1", "2.5", "", "x", "40000", "99999999999"] if mess else [])))
    if canon == "pupil_id":
        return draw(st.one_of(st.sampled_from(["0042", "0043", "007273"] + ([""] if mess else [])),
                              st.integers(0, 10**12).map(str)) if not mess else st.one_of(st.integers(0, 10**12).map(str), JUNK))
    if canon in ("grade", "year_level"):
        return draw(st.sampled_from(["1", "2", "3", "7", "0", "graad 2", "", "x"]))
    if canon == "class":
        return draw(st.sampled_from(["1A", "3STW", "7BSO", "", "OKAN", "x"]))
    if canon in ("last_name", "first_name"):
        return draw(st.sampled_from(["Peeters", "Maes", "Ëlif", "O'Neil", "de Smet; jr", "Jan \"Jo\""])) if not mess else draw(JUNK)
    return draw(TEXT if not mess else JUNK)


def _header_name(draw, mess: int) -> str:
    name = draw(st.one_of(st.sampled_from(ALL_ALIASES), JUNK) if mess else st.sampled_from(ALL_ALIASES))
    style = draw(st.integers(0, 3))
    if style == 1:
        name = name.upper()
    elif style == 2:
        name = f" {name.title()} "
    elif style == 3 and name == "voornaam":
        name = "Vóórnaam"
    return name


@st.composite
def csv_file(draw, levels: tuple[int, ...] = (0, 0, 1, 1, 2)) -> tuple[bytes, str, int, int]:
    """A CSV export: headers from the alias lists (plus junk), a separator, rows of random
    length with values valid or not, an encoding with or without BOM, a line ending.
    Level 0 is a clean export, 1 has a few wrong values or row lengths, 2 is mostly junk."""
    mess = draw(st.sampled_from(levels))
    headers = [_header_name(draw, mess) for _ in range(draw(st.integers(0 if not mess else 1, 6)))]
    if mess < 2 or draw(st.booleans()):  # mostly a usable header
        headers += [draw(st.sampled_from(["datum", "Datum"])), draw(st.sampled_from(["code", "Afwezigheidscode"]))]
        headers += draw(st.sampled_from([["leerling_id"], ["naam", "voornaam"], ["Leerlingnummer", "klas"],
                                         ["stamboeknummer", "Dagdeel"], ["id", "lesuur"]]))
        headers = list(draw(st.permutations(headers)))
    if mess == 0:  # a clean export names each column once (a repeated header is refused by name)
        seen: set[str] = set()
        headers = [h for h in headers if not (_key(h) in seen or seen.add(_key(h)))]
    canons = [_ALIAS_INDEX.get(_key(h)) for h in headers]
    fmt = draw(st.sampled_from(DATE_FORMATS))
    sep = draw(st.sampled_from([";", ",", "\t"] + (["|"] if mess else [])))
    rows = []
    for _ in range(draw(st.integers(0 if mess else 1, 8))):
        width = len(headers)
        if mess:
            width += draw(st.sampled_from([0, 0, 0, 0, -1, 1, -len(headers)]))
        rows.append([draw(cell(canons[i] if i < len(canons) else None, fmt, mess)) for i in range(max(width, 0))])
    buffer = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    newline = draw(st.sampled_from(["\n", "\r\n"] + (["\r"] if mess else [])))
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline, quoting=quoting)
    writer.writerow(headers)
    writer.writerows(rows)
    text = buffer.getvalue()
    if mess == 2 and draw(st.booleans()):
        text += draw(st.sampled_from(["", newline, newline * 3, "\x00", '"', sep * 3, "\x1a"]))
    elif mess == 0 and draw(st.booleans()):
        text += newline  # a blank line at the end
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"] + (["utf-16"] if mess == 2 else [])))
    data = text.encode(encoding, errors="replace")
    return data, draw(st.sampled_from([".csv", ".txt", ".CSV"])), mess, len(rows)


@fuzz_settings(80)
@given(files=st.lists(csv_file(), min_size=1, max_size=2))
def test_random_csv_shapes_are_imported_or_refused(fuzz, files):
    """Clean exports (level 0) must be accepted with every row; the others may be refused."""
    summaries = fuzz.check([fuzz.write(data, suffix) for data, suffix, _mess, _rows in files])
    if all(mess == 0 for _data, _suffix, mess, _rows in files):
        assert summaries is not None, "a clean export was refused"
        assert [s.rows for s in summaries] == [rows for _data, _suffix, _mess, rows in files]


@fuzz_settings(20)
@given(rows=st.lists(st.tuples(
    st.sampled_from(["0042", "0043", "0099"]),
    school_day.map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["1", "2", "4", "5", "8", "0", "17", "", "32768", "70000"]),
    st.sampled_from(CODES[:20]),
), min_size=1, max_size=12), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_lesson_hour_exports_are_imported_or_refused(fuzz, rows, encoding):
    """Mostly valid lesson-hour exports (the roll-up to half-days): accepted or refused cleanly,
    and an accepted one is counted once however often it is imported."""
    text = "Leerlingnummer;Naam;Voornaam;Klas;Datum;Lesuur;Code\n" + "".join(
        f"{pid};Naam{pid};Voor;3STW;{day};{hour};{code}\n" for pid, day, hour, code in rows
    )
    path = fuzz.write(text.encode(encoding), ".csv")
    first = fuzz.check([path])
    if first is not None:  # imported: importing it again changes no half-day and adds no record
        def counts() -> tuple:
            return (fuzz.db.conn.execute("SELECT count(*) FROM absences").fetchone(),
                    fuzz.db.conn.execute("SELECT * FROM halfdays ORDER BY ALL").fetchall())

        once = counts()
        assert fuzz.check([path]) is not None
        assert counts() == once


# --------------------------------------------------------------------------- random XLSX cells

XLSX_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)), school_day,
    st.datetimes(min_value=datetime(2025, 9, 1), max_value=datetime(2026, 6, 30)), st.times(),
    st.sampled_from(CODES + HALFDAYS + ["13/03/2026", "2026-03-13", "0042", "40000"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x17F), max_size=8),
)


@fuzz_settings(20)
@given(headers=st.lists(st.sampled_from(ALL_ALIASES + ["x", ""]), max_size=5),
       rows=st.lists(st.tuples(st.one_of(school_day, XLSX_VALUE), st.sampled_from(CODES[:20]),
                               st.lists(XLSX_VALUE, max_size=6)), max_size=6))
def test_random_xlsx_cells_are_imported_or_refused(fuzz, headers, rows):
    """Excel cells of every type (numbers, booleans, dates, times, text) under known headers."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["datum", "code", "leerling_id", *headers])
    for day, code, rest in rows:
        sheet.append([day, code, "0042", *rest])
    buffer = io.BytesIO()
    book.save(buffer)
    fuzz.check([fuzz.write(buffer.getvalue(), ".xlsx")])


# --------------------------------------------------------------------------- the other shapes

HALF_MARKS = ["VM", "NM", "1", "2", "am", "pm", ""]


@st.composite
def period_file(draw) -> tuple[bytes, bool]:
    """A period export (Wisa's headers or Dutch ones); clean or with junk in a few cells."""
    clean = draw(st.booleans())
    names = draw(st.sampled_from([
        ["LL_ID", "LL_NAAM", "LL_VOORNAAM", "KL_CODE", "AF_VAN", "AF_VANUUR", "AF_TOT", "AF_TOTUUR", "AC_CODE"],
        ["leerlingnummer", "naam", "voornaam", "klas", "van", "van_dagdeel", "tot", "tot_dagdeel", "code"],
        ["id", "naam", "voornaam", "klas", "begindatum", "begin_lesuur", "einddatum", "eind_lesuur", "code"],
    ]))
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(school_day)
        end = date.fromordinal(start.toordinal() + draw(st.integers(0, 20)))
        hour = "lesuur" in names[5]
        h0 = draw(st.sampled_from(["1", "3", "5", "8", ""] if hour else HALF_MARKS))
        h1 = draw(st.sampled_from(["1", "3", "5", "8", ""] if hour else HALF_MARKS))
        row = ["0042", "Peeters", "An", "3STW", start.strftime("%d/%m/%Y"), h0, end.strftime("%d/%m/%Y"), h1,
               draw(st.sampled_from(VALID_CODES))]
        if not clean and draw(st.integers(0, 2)) == 0:
            row[draw(st.integers(4, 8))] = draw(JUNK)
        rows.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows([names, *rows])
    return buffer.getvalue().encode("utf-8"), clean


@fuzz_settings(30)
@given(export=period_file())
def test_random_period_exports_are_imported_or_refused(fuzz, export):
    data, clean = export
    summaries = fuzz.check([fuzz.write(data, ".csv")])
    if clean:
        assert summaries is not None, "a clean period export was refused"
        assert summaries[0].shape == "periods"


@st.composite
def wide_file(draw) -> tuple[bytes, bool]:
    clean = draw(st.booleans())
    cells = draw(st.sampled_from([["VM", "NM"], ["1", "2", "3", "4", "5", "6"], ["u1", "u2", "u5"],
                                  ["lesuur 1", "lesuur 2", "lesuur 7"]]))
    header = ["leerling_id", "naam", "voornaam", "klas", "datum", *cells]
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        values = [draw(st.sampled_from(VALID_CODES + ["", "|"])) for _ in cells]
        if not clean and draw(st.integers(0, 2)) == 0:
            values[0] = draw(JUNK)
        rows.append(["0043", "Janssens", "Bo", "1A", draw(school_day).strftime("%Y-%m-%d"), *values])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=draw(st.sampled_from([";", ",", "\t"])), lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "cp1252"])), errors="replace"), clean


@fuzz_settings(30)
@given(export=wide_file())
def test_random_wide_exports_are_imported_or_refused(fuzz, export):
    data, clean = export
    summaries = fuzz.check([fuzz.write(data, ".csv")])
    if clean:
        assert summaries is not None, "a clean wide export was refused"
        assert summaries[0].shape == "wide"


JSON_CELL = st.one_of(st.none(), st.sampled_from(VALID_CODES + ["|"]),
                      st.fixed_dictionaries({"code": st.one_of(st.none(), st.sampled_from(VALID_CODES + ["|"])),
                                             "alias": st.one_of(st.none(), TEXT)}),
                      st.fixed_dictionaries({"officialcode": st.sampled_from(VALID_CODES + ["|"]), "alias": TEXT}))


@fuzz_settings(30)
@given(by_date=st.booleans(), keys=st.lists(st.one_of(school_day.map(str), st.sampled_from(
    ["leerling.aaa", "900001", "20240916_104204_leerling.bbb"]), JUNK), min_size=1, max_size=5, unique=True),
    cells=st.lists(st.tuples(JSON_CELL, JSON_CELL), min_size=5, max_size=5), junk=st.booleans())
def test_random_smartschool_json_is_imported_or_refused(fuzz, by_date, keys, cells, junk):
    import json

    data = {key: {"am": am, "pm": pm} for key, (am, pm) in zip(keys, cells)}
    text = json.dumps(data) if not junk else json.dumps(data)[: len(json.dumps(data)) // 2]
    name = "getAbsentsByDate_2025-10-06.json" if by_date else "leerling.ccc_2025.json"
    path = fuzz.folder / f"{next(fuzz.counter)}_{name}"
    path.write_text(text, "utf-8")
    fuzz.check([path])
