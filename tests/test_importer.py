"""The importer: encodings, separators, dates, codes, pupils, re-imports, XLSX, lesson hours,
whole days, header aliases, mappings, dry runs, and refused files that change nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import (
    CAL,
    HEADER,
    dmy,
    dump,
    import_rows,
    sample_paths,
    school_days,
    write_csv,
    write_text,
)
from zorgoverleg.config import Config, load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import ImportRefused, Mapping, import_files, load_mapping

MON = date(2025, 10, 6)   # Monday, a school day
TUE = date(2025, 10, 7)
WED = date(2025, 10, 8)
THU = date(2025, 10, 9)
FRI = date(2025, 10, 10)
assert all(CAL.is_school_day(d) for d in (MON, TUE, WED, THU, FRI)) and WED.weekday() == 2


def records(db: Database) -> list[dict]:
    cur = db.conn.execute("SELECT * FROM absences ORDER BY pupil_key, date, halfday, lesson_hour")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def halfdays(db: Database) -> dict[tuple, tuple]:
    rows = db.conn.execute(
        "SELECT pupil_key, date, halfday, raw_code, code, category, absent, late FROM halfdays"
    ).fetchall()
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


def pupils(db: Database) -> dict[str, dict]:
    cur = db.conn.execute("SELECT * FROM pupils")
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row)) for row in cur.fetchall()}


def one_sentence(message: str) -> bool:
    """One line, ending in a full stop, no second sentence started inside."""
    return "\n" not in message and message.endswith(".") and not re.search(r"[.!?] [A-Z]", message)


# --- encodings, separators, dates, line ends -------------------------------------------------

NAMES = [("001", "Vérbrüggen", "Éloïse", "1A"), ("002", "Françoisse", "Noël", "2B")]


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_encodings_keep_accents_and_euro(db, config, tmp_path, encoding, bom):
    rows = [(pid, last, first, klas, dmy(MON), "VM", "P", "uitstap € 12, café ç") for pid, last, first, klas in NAMES]
    path = write_csv(tmp_path / "enc.csv", rows, encoding=encoding, bom=bom)
    if encoding == "cp1252":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    import_files(db, [path], config)
    stored = pupils(db)
    assert {(p["pupil_id"], p["last_name"], p["first_name"], p["class"]) for p in stored.values()} == set(NAMES)
    assert {r["note"] for r in records(db)} == {"uitstap € 12, café ç"}


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_separators(db, config, tmp_path, sep):
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", f"ziek{sep} briefje"),
            ("001", "Peeters", "Jan", "1A", dmy(MON), "NM", "Z", "")]
    import_files(db, [write_csv(tmp_path / "sep.csv", rows, sep=sep)], config)
    recs = records(db)
    assert [(r["pupil_key"], r["date"], r["halfday"], r["code"]) for r in recs] == [
        ("001", MON, "NM", "Z"), ("001", MON, "VM", "Z")]
    assert {r["note"] for r in recs} == {f"ziek{sep} briefje", None}


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
def test_date_forms(db, config, tmp_path, fmt):
    days = [MON, date(2025, 12, 1), date(2026, 1, 13)]  # day > 12 rules out a month/day swap
    rows = [("001", "Peeters", "Jan", "1A", d.strftime(fmt), "VM", "Z", "") for d in days]
    short = {"%d/%m/%Y": "3/2/2026", "%d-%m-%Y": "3-2-2026", "%Y-%m-%d": "2026-2-3"}[fmt]
    rows.append(("001", "Peeters", "Jan", "1A", f" {short} ", "VM", "Z", ""))  # no leading zeros, spaces
    import_files(db, [write_csv(tmp_path / "d.csv", rows)], config)
    assert [r["date"] for r in records(db)] == days + [date(2026, 2, 3)]


def test_crlf_leaves_no_carriage_returns(db, config, tmp_path):
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", "koorts"),
            ("001", "Peeters", "Jan", "1A", dmy(TUE), "VM", "B", "")]
    path = write_csv(tmp_path / "crlf.csv", rows, newline="\r\n", bom=True)
    assert path.read_bytes().count(b"\r\n") == 3
    import_files(db, [path], config)
    recs = records(db)
    assert [r["note"] for r in recs] == ["koorts", None]
    assert [r["raw_code"] for r in recs] == ["Z", "B"]
    assert pupils(db)["001"]["class"] == "1A"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_mixed_line_ends(db, config, tmp_path, encoding):
    text = (H + "\r\n" + "001;Peeters;Jan;1A;06/10/2025;VM;Z;café\r\n"
            + "002;Maes;Lies;2B;07/10/2025;NM;B;\"twee\r\nregels\"\n" + "003;Claes;Tom;1A;08/10/2025;VM;P;\n")
    import_files(db, [write_text(tmp_path / "mixed.csv", text, encoding)], config)
    assert [(r["pupil_key"], r["raw_code"], r["note"]) for r in records(db)] == [
        ("001", "Z", "café"), ("002", "B", "twee\nregels"), ("003", "P", None)]
    bad = text + "004;Claes;Tom;1A;09/10/2025;VM;XYZ;\r\n"
    with pytest.raises(ImportRefused) as info:
        import_files(db, [write_text(tmp_path / "mixed_bad.csv", bad, encoding)], config)
    assert "regel 6" in str(info.value)  # the quoted note takes lines 3 and 4


# --- codes --------------------------------------------------------------------------------------

# raw code -> (official code, category, absent half-day, late) as DOMAIN.md defines them.
EXPECTED_CODES = {
    "R": ("R", "law", True, False), "Z": ("Z", "law", True, False), "M": ("M", "law", True, False),
    "H": ("H", "direction", True, False), "P": ("P", "direction", True, False),
    "B": ("B", "problematic", True, False), "A": ("A", "not_compulsory", True, False),
    "B01": ("B", "problematic", True, False), "B02": ("B", "problematic", True, False),
    "R03": ("R", "law", True, False),
    "D": ("Z", "law", True, False),
    "L": ("L", "late", False, True),
    "-": ("-", "unknown", True, False),
    "T": ("R", "law", True, False), "U": ("R", "law", True, False), "Y": ("R", "law", True, False),
    "C": ("R", "law", True, False), "J": ("R", "law", True, False),
    "Q": ("P", "direction", True, False), "O": ("P", "direction", True, False),
    "W": ("", "none", False, False), "G": ("", "none", False, False),
}


def test_code_map(db, config, tmp_path):
    days = school_days(date(2025, 9, 8), date(2025, 12, 19))
    slots = [(d, h) for d in days for h in CAL.halfdays_on(d)]
    assignment = dict(zip(EXPECTED_CODES, slots))
    rows = [("001", "Peeters", "Jan", "1A", dmy(d), h, raw.lower() if raw == "b02" else raw, "")
            for raw, (d, h) in assignment.items()]
    import_files(db, [write_csv(tmp_path / "codes.csv", rows)], config)
    stored = {(r["date"], r["halfday"]): r for r in records(db)}
    hd = halfdays(db)
    for raw, (official, category, absent, late) in EXPECTED_CODES.items():
        d, h = assignment[raw]
        rec = stored[(d, h)]
        assert (rec["raw_code"], rec["code"], rec["category"]) == (raw, official, category), raw
        if absent or late:
            assert hd[("001", d, h)][3:] == (absent, late), raw
        else:
            assert ("001", d, h) not in hd, raw  # W and G are not absences
    assert db.conn.execute("SELECT count(*) FROM halfdays WHERE absent").fetchone()[0] == sum(
        1 for v in EXPECTED_CODES.values() if v[2])


def test_lower_case_subcode(db, config, tmp_path):
    import_rows(db, tmp_path, [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", " b01 ", "")])
    rec = records(db)[0]
    assert (rec["raw_code"], rec["code"]) == ("B01", "B")


# --- pupils -------------------------------------------------------------------------------------

def test_leading_zeros_and_pupils_without_id(db, config, tmp_path):
    # 000123 and 0123 are one number: which pupil is meant is not sure, so the file is refused
    ambiguous = [
        ("000123", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
        ("0123", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
    ]
    with pytest.raises(ImportRefused, match=r"000123, 0123 zijn hetzelfde getal") as refused:
        import_rows(db, tmp_path, ambiguous)
    assert one_sentence(str(refused.value)) and pupils(db) == {}
    rows = [
        ("000123", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
        ("000124", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
        ("", "Janssens", "An", "2B", dmy(MON), "VM", "Z", ""),
        ("", "Janssens", "An", "2B", dmy(TUE), "VM", "Z", ""),     # the same pupil
        ("", "Janssens", "An", "3STW", dmy(MON), "VM", "Z", ""),   # same name, other class: another pupil
        ("", "Janssens", "Bo", "2B", dmy(MON), "VM", "Z", ""),     # other first name: another pupil
    ]
    import_rows(db, tmp_path, rows)
    stored = pupils(db)
    assert len(stored) == 5
    assert stored["000123"]["pupil_id"] == "000123" and stored["000124"]["pupil_id"] == "000124"
    no_id = [p for p in stored.values() if p["pupil_id"] is None]
    assert sorted((p["last_name"], p["first_name"], p["class"]) for p in no_id) == [
        ("Janssens", "An", "2B"), ("Janssens", "An", "3STW"), ("Janssens", "Bo", "2B")]
    an_2b = next(p["pupil_key"] for p in no_id if p["class"] == "2B" and p["first_name"] == "An")
    assert [r["date"] for r in records(db) if r["pupil_key"] == an_2b] == [MON, TUE]


@pytest.mark.parametrize("klas,year,grade", [
    ("1A", 1, 1), ("2B", 2, 1), ("3STW", 3, 2), ("4ECO", 4, 2), ("5WEWI", 5, 3), ("6LAT", 6, 3),
    ("7BSO", 7, 3), ("OKAN", None, None),
])
def test_grade_from_class_name(db, config, tmp_path, klas, year, grade):
    import_rows(db, tmp_path, [("001", "Peeters", "Jan", klas, dmy(MON), "VM", "Z", "")])
    p = pupils(db)["001"]
    assert (p["year_level"], p["grade"]) == (year, grade)


def test_grade_and_year_columns_win_over_class_name(db, config, tmp_path):
    header = ["leerling_id", "naam", "voornaam", "klas", "datum", "dagdeel", "code", "graad", "jaar"]
    rows = [("001", "Peeters", "Jan", "A1", dmy(MON), "VM", "Z", "2de graad", "3"),
            ("002", "Maes", "Lies", "1A", dmy(MON), "VM", "Z", "", "5")]
    import_files(db, [write_csv(tmp_path / "g.csv", rows, header)], config)
    stored = pupils(db)
    assert (stored["001"]["year_level"], stored["001"]["grade"]) == (3, 2)
    assert (stored["002"]["year_level"], stored["002"]["grade"]) == (5, 3)


def test_birth_date_stored(db, config, tmp_path):
    header = HEADER[:4] + ["Geboortedatum"] + HEADER[4:]
    rows = [("001", "Peeters", "Jan", "1A", "19/04/2013", dmy(MON), "VM", "Z", "")]
    import_files(db, [write_csv(tmp_path / "b.csv", rows, header)], config)
    assert pupils(db)["001"]["birth_date"] == date(2013, 4, 19)


def test_pupil_takes_the_last_line_and_the_last_filled_birth_date_year_and_grade(db, config, tmp_path):
    header = ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Geboortedatum", "Jaar", "Graad", "Datum",
              "Dagdeel", "Code"]
    rows = [("001", "Peeters", "Jan", "1A", "19/04/2013", "1", "1", dmy(MON), "VM", "Z"),
            ("001", "Peeters", "Jan", "2B", "", "2", "", dmy(TUE), "VM", "Z"),
            ("002", "Maes", "Lies", "1C", "", "", "", dmy(TUE), "VM", "Z"),
            ("001", "Peeters-Smet", "Jan", "3C", "", "", "", dmy(WED), "VM", "Z")]
    import_files(db, [write_csv(tmp_path / "p.csv", rows, header)], config)
    got = pupils(db)["001"]
    assert (got["pupil_id"], got["last_name"], got["class"]) == ("001", "Peeters-Smet", "3C")
    # year and grade follow the last class name (3C); the birth date comes from the first line
    assert (got["year_level"], got["grade"], got["birth_date"]) == (3, 2, date(2013, 4, 19))
    assert pupils(db)["002"]["birth_date"] is None


def test_file_name_with_quotes_and_separators(db, config, tmp_path):
    # the fast path names the file inside SQL text (a view cannot hold parameters)
    folder = tmp_path / "map 'x'; \"y\""
    folder.mkdir()
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", "")]
    [summary] = import_files(db, [write_csv(folder / "o'brien;export.csv", rows)], config)
    assert summary.records == 1
    bad = write_csv(folder / "o'brien;fout.csv", [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "XYZ", "")])
    with pytest.raises(ImportRefused) as info:
        import_files(db, [bad], config)
    assert str(info.value).startswith(f"{bad}: 1 onbekende afwezigheidscode(s): 'XYZ' (1x, eerst op regel 2)")


# --- duplicates and re-imports -----------------------------------------------------------------

def test_duplicate_rows_in_one_file_last_line_wins(db, config, tmp_path):
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", "eerst"),
            ("001", "Peeters", "Jan", "1A", dmy(TUE), "VM", "R", ""),
            ("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "B", "laatst")]
    [summary] = import_rows(db, tmp_path, rows)
    assert (summary.rows, summary.records, summary.replaced) == (3, 2, 0)
    recs = records(db)
    assert [(r["date"], r["raw_code"], r["note"]) for r in recs] == [(MON, "B", "laatst"), (TUE, "R", None)]
    assert halfdays(db)[("001", MON, "VM")][1] == "B"


@pytest.mark.parametrize("probe", ["SELECT true AS maybe", "SELECT false AS maybe"])
def test_duplicate_probe_only_skips_the_exact_check_when_no_key_repeats(db, config, tmp_path, monkeypatch, probe):
    # The probe compares hashes of the keys. When it says "maybe" (a real duplicate or two keys
    # with one hash) the exact check decides; a file without repeated keys imports the same
    # either way.
    from zorgoverleg import queries

    real_load = queries.load
    monkeypatch.setattr(queries, "load", lambda name: probe if name == "import_duplicate_probe" else real_load(name))
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
            ("001", "Peeters", "Jan", "1A", dmy(MON), "NM", "B", ""),
            ("002", "Janssens", "An", "1B", dmy(TUE), "VM", "R", "")]
    [summary] = import_rows(db, tmp_path, rows)
    assert (summary.rows, summary.records, summary.conflicts) == (3, 3, 0)
    assert sorted(k for k in halfdays(db)) == [("001", MON, "NM"), ("001", MON, "VM"), ("002", TUE, "VM")]


def test_duplicate_probe_finds_a_repeated_key(db, config, tmp_path):
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
            ("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "B", "")]
    [summary] = import_rows(db, tmp_path, rows)
    assert (summary.rows, summary.records, summary.conflicts) == (2, 1, 1)


def test_duplicate_lines_in_a_big_file_last_line_wins(db, config, tmp_path):
    # Big enough for DuckDB to read the file in parallel chunks: the rows must still be
    # staged in file order, or an earlier line would win where two chunks meet.
    days = school_days(date(2025, 9, 1), date(2026, 6, 30))
    pupils_n, triples = 20_000, 150_000
    lines = [";".join(HEADER)]
    for i in range(3 * triples):
        key = i // 3
        lines.append(f"{key % pupils_n:06d};Naam;Voornaam;{i % 3 + 1}A;{dmy(days[key // pupils_n])};VM;"
                     f"{'ZRB'[i % 3]};{i}")
    path = write_text(tmp_path / "big.csv", "\n".join(lines) + "\n")
    [summary] = import_files(db, [path], config)
    assert (summary.rows, summary.records, summary.pupils) == (3 * triples, triples, pupils_n)
    wrong = db.conn.execute(
        "SELECT count(*) FROM absences WHERE raw_code <> 'B' OR (note::INTEGER) % 3 <> 2"
    ).fetchone()[0]
    assert wrong == 0
    assert db.conn.execute("SELECT count(*) FROM halfdays WHERE code <> 'B'").fetchone()[0] == 0
    assert db.conn.execute("SELECT DISTINCT class FROM pupils").fetchall() == [("3A",)]


def test_import_into_a_filled_database_stores_what_a_first_import_does(tmp_path, config):
    # A first import skips the steps that replace stored rows; the same files imported over
    # an earlier import of some of their rows (with other codes) must end the same.
    fresh = Database.open(tmp_path / "fresh.duckdb")
    first = import_files(fresh, sample_paths(), config)
    overlap = [(k, "Oud", "Naam", "1A", dmy(d), h, "W", "oud")
               for (k, d, h) in fresh.conn.execute(
                   "SELECT pupil_key, date, halfday FROM absences WHERE lesson_hour = 0 "
                   "ORDER BY ALL LIMIT 500").fetchall()]
    filled = Database.open(tmp_path / "filled.duckdb")
    import_files(filled, [write_csv(tmp_path / "old.csv", overlap)], config)
    again = import_files(filled, sample_paths(), config)
    assert [s.records for s in again] == [s.records for s in first]
    assert sum(s.replaced for s in again) == len(overlap) and sum(s.replaced for s in first) == 0
    assert sum(s.new_pupils for s in again) == sum(s.new_pupils for s in first) - len({r[0] for r in overlap})
    for table, query in (
        ("absences", "SELECT * EXCLUDE (import_id) FROM absences ORDER BY ALL"),
        ("halfdays", "SELECT * FROM halfdays ORDER BY ALL"),
        ("pupils", "SELECT * EXCLUDE (import_id) FROM pupils ORDER BY ALL"),
    ):
        assert filled.conn.execute(query).fetchall() == fresh.conn.execute(query).fetchall(), table
    fresh.close()
    filled.close()


def test_reimport_same_file_does_not_double_count(tmp_path, config):
    db = Database.open(tmp_path / "z.duckdb")
    path = sample_paths()[2]
    [first] = import_files(db, [path], config)
    before = dump(db)
    [second] = import_files(db, [path], config)
    after = dump(db)
    assert first.replaced == 0 and second.replaced == second.records == first.records > 0
    assert second.new_pupils == 0 and first.new_pupils == first.pupils
    for table in ("halfdays", "pupils", "code_map"):
        if table == "pupils":
            strip = lambda rows: sorted(r[:-1] for r in rows)  # noqa: E731 (import_id changes)
        else:
            strip = sorted
        assert strip(after[table]) == strip(before[table]), table
    assert sorted(r[:-1] for r in after["absences"]) == sorted(r[:-1] for r in before["absences"])
    assert len(after["imports"]) == 2 and len(before["imports"]) == 1
    db.close()


def test_overlapping_reimport_newest_wins(db, config, tmp_path):
    old = [("001", "Peeters", "Jan", "1A", dmy(d), h, "Z", "") for d in (MON, TUE, THU) for h in ("VM", "NM")]
    new = [("001", "Peeters", "Jan", "1A", dmy(THU), "VM", "B", "toch spijbelen"),
           ("001", "Peeters", "Jan", "1A", dmy(THU), "NM", "W", ""),   # corrected: was present
           ("001", "Peeters", "Jan", "1A", dmy(FRI), "VM", "B", "")]
    import_files(db, [write_csv(tmp_path / "old.csv", old)], config)
    [summary] = import_files(db, [write_csv(tmp_path / "new.csv", new)], config)
    assert (summary.records, summary.replaced) == (3, 2)
    recs = {(r["date"], r["halfday"]): r["raw_code"] for r in records(db)}
    assert recs == {(MON, "VM"): "Z", (MON, "NM"): "Z", (TUE, "VM"): "Z", (TUE, "NM"): "Z",
                    (THU, "VM"): "B", (THU, "NM"): "W", (FRI, "VM"): "B"}
    hd = halfdays(db)
    assert hd[("001", THU, "VM")][1] == "B"
    assert ("001", THU, "NM") not in hd
    assert db.conn.execute("SELECT count(*) FROM halfdays WHERE absent").fetchone()[0] == 6
    assert db.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 2


def test_two_files_in_one_import_second_wins(db, config, tmp_path):
    a = write_csv(tmp_path / "a.csv", [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", "")])
    b = write_csv(tmp_path / "b.csv", [("001", "Peeters", "Jan", "1B", dmy(MON), "VM", "B", "")])
    summaries = import_files(db, [a, b], config)
    assert [s.replaced for s in summaries] == [0, 1]
    assert [r["raw_code"] for r in records(db)] == ["B"]
    assert pupils(db)["001"]["class"] == "1B"


# --- XLSX ---------------------------------------------------------------------------------------

def _xlsx(path: Path, rows: list[list], title: str = "Blad1") -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_with_date_cells_and_text_ids(db, config, tmp_path):
    path = _xlsx(tmp_path / "export.xlsx", [
        ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "Dagdeel", "Code", "Opmerking"],
        ["000123", "Peeters", "Jan", "1A", datetime(2025, 10, 6), "VM", "B01", "ziek?"],
        ["000123", "Peeters", "Jan", "1A", date(2025, 10, 7), "NM", "Z", None],
        ["004567", "Maes", "Lies", "3STW", date(2025, 10, 8), "VM", "L", None],
    ])
    [summary] = import_files(db, [path], config)
    assert (summary.rows, summary.pupils) == (3, 2)
    assert set(pupils(db)) == {"000123", "004567"}
    assert [(r["pupil_key"], r["date"], r["halfday"], r["raw_code"], r["code"]) for r in records(db)] == [
        ("000123", MON, "VM", "B01", "B"), ("000123", TUE, "NM", "Z", "Z"), ("004567", WED, "VM", "L", "L")]
    assert pupils(db)["004567"]["grade"] == 2


def test_xlsx_date_cell_with_a_time_of_day_counts_for_that_day(db, config, tmp_path):
    path = _xlsx(tmp_path / "export.xlsx", [
        ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "Dagdeel", "Code"],
        ["000123", "Peeters", "Jan", "1A", datetime(2025, 10, 6, 14, 3), "NM", "Z"],
    ])
    import_files(db, [path], config)
    assert [(r["date"], r["halfday"]) for r in records(db)] == [(MON, "NM")]


def test_utf16_unicode_text_export_from_excel(db, config, tmp_path):
    path = tmp_path / "unicode.txt"
    text = ("Leerlingnummer\tNaam\tVoornaam\tKlas\tDatum\tDagdeel\tCode\r\n"
            "000123\tDe Smedt\tZoë\t1A\t06/10/2025\tVM\tB\r\n"
            "000124\tÇelik\tAyşe\t2B\t07/10/2025\tNM\tZ\r\n")
    path.write_bytes(text.encode("utf-16"))  # with BOM, as Excel writes "Unicode text"
    [summary] = import_files(db, [path], config)
    assert (summary.rows, summary.pupils) == (2, 2)
    assert pupils(db)["000124"]["last_name"] == "Çelik" and pupils(db)["000123"]["first_name"] == "Zoë"


def test_xlsx_refusal_names_the_line(db, config, tmp_path):
    path = _xlsx(tmp_path / "bad.xlsx", [
        ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "Dagdeel", "Code"],
        ["000123", "Peeters", "Jan", "1A", date(2025, 10, 6), "VM", "Z"],
        ["000123", "Peeters", "Jan", "1A", date(2025, 10, 7), "VM", "KK"],
    ])
    with pytest.raises(ImportRefused) as info:
        import_files(db, [path], config)
    assert "regel 3" in str(info.value) and "'KK'" in str(info.value) and str(path) in str(info.value)


def test_xlsx_sheet_from_mapping(db, config, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Info"
    book.active.append(["Dit blad is geen export"])
    sheet = book.create_sheet("Afwezigheden")
    sheet.append(["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "Dagdeel", "Code"])
    sheet.append(["000123", "Peeters", "Jan", "1A", date(2025, 10, 6), "VM", "Z"])
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    [summary] = import_files(db, [path], config)  # the only sheet with data is read
    assert summary.notes == []
    assert [r["pupil_key"] for r in records(db)] == ["000123"]
    with pytest.raises(ImportRefused, match="werkblad 'Elders' uit de mapping bestaat niet"):
        import_files(db, [path], config, Mapping(sheet="Elders"))
    import_files(db, [path], config, Mapping(sheet="Afwezigheden"))
    assert [r["pupil_key"] for r in records(db)] == ["000123"]


# --- lesson hours -----------------------------------------------------------------------------

LESSON_HEADER = ["leerling_id", "familienaam", "voornaam", "klas", "datum", "lesuur", "afwezigheidscode", "reden"]


def lesson_rows():
    r = lambda d, hour, code: ("009001", "Vloer", "Sam", "1C", d.isoformat(), hour, code, "")  # noqa: E731
    return [
        r(MON, 1, "Z"), r(MON, 2, "B"), r(MON, 3, "Z"), r(MON, 4, "Z"),   # VM: 4 hours, most serious B
        r(MON, 5, "R"),                                                  # NM: 1 hour
        r(TUE, 4, "P"), r(TUE, 5, "P"), r(TUE, 6, "Z"),                  # hour 4 -> VM, 5 and 6 -> NM
        r(WED, 1, "L"),                                                  # late only
        r(THU, 1, "L"), r(THU, 2, "Z"), r(THU, 3, "Z"),                   # late, then absent
    ]


def test_lesson_hours_roll_up_to_halfdays(db, config, tmp_path):
    path = write_csv(tmp_path / "lesuren.csv", lesson_rows(), LESSON_HEADER, sep=",")
    [summary] = import_files(db, [path], config)
    assert summary.records == 12
    hd = halfdays(db)
    k = "009001"
    assert hd[(k, MON, "VM")] == ("B", "B", "problematic", True, False)
    assert hd[(k, MON, "NM")][1:] == ("R", "law", True, False)
    assert hd[(k, TUE, "VM")][1:] == ("P", "direction", True, False)
    assert hd[(k, TUE, "NM")][1] == "P" and hd[(k, TUE, "NM")][3] is True
    assert hd[(k, WED, "VM")][3:] == (False, True)
    assert hd[(k, THU, "VM")][1] == "Z" and hd[(k, THU, "VM")][3:] == (True, False)
    assert len(hd) == 6
    assert {r["lesson_hour"] for r in records(db)} == {1, 2, 3, 4, 5, 6}


def test_min_absent_hours_setting(db, tmp_path):
    (tmp_path / "zorgoverleg.toml").write_text("[import]\nmin_absent_hours = 2\n")
    config = load_config(tmp_path / "zorgoverleg.toml")
    path = write_csv(tmp_path / "lesuren.csv", lesson_rows(), LESSON_HEADER, sep=",")
    import_files(db, [path], config)
    hd = halfdays(db)
    k = "009001"
    assert hd[(k, MON, "VM")][3] is True          # 4 absent hours
    assert (k, MON, "NM") not in hd               # 1 absent hour: not an absent half-day any more
    assert (k, TUE, "VM") not in hd               # 1 hour
    assert hd[(k, TUE, "NM")][3] is True          # 2 hours
    assert hd[(k, THU, "VM")][1:] == ("Z", "law", True, False)


def test_lesson_hours_morning_last_hour_from_mapping(db, config, tmp_path):
    path = write_csv(tmp_path / "lesuren.csv", lesson_rows(), LESSON_HEADER, sep=",")
    import_files(db, [path], config, Mapping(morning_last_hour=5))
    hd = halfdays(db)
    assert hd[("009001", MON, "VM")][3] is True and ("009001", MON, "NM") not in hd
    assert hd[("009001", TUE, "VM")][1] == "P" and hd[("009001", TUE, "NM")][1] == "Z"


def test_lesson_hours_reimport_with_changed_hour(db, config, tmp_path):
    path = write_csv(tmp_path / "lesuren.csv", lesson_rows(), LESSON_HEADER, sep=",")
    import_files(db, [path], config)
    fix = write_csv(tmp_path / "fix.csv", [("009001", "Vloer", "Sam", "1C", MON.isoformat(), 2, "Z", "")],
                    LESSON_HEADER, sep=",")
    [summary] = import_files(db, [fix], config)
    assert summary.replaced == 1
    assert halfdays(db)[("009001", MON, "VM")][:2] == ("Z", "Z")  # B is gone, the rest of the hours stay


# --- whole days -------------------------------------------------------------------------------

def test_whole_day_file_without_halfday_column(db, config, tmp_path):
    header = ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "Code"]
    rows = [("001", "Peeters", "Jan", "1A", dmy(d), "Z") for d in (MON, WED, FRI)]
    [summary] = import_files(db, [write_csv(tmp_path / "dagen.csv", rows, header)], config)
    assert (summary.rows, summary.records) == (3, 5)
    assert [(raw, n) for raw, _code, _category, n in summary.per_code] == [("Z", 5)]
    assert sorted((d, h) for _, d, h in halfdays(db)) == [
        (MON, "NM"), (MON, "VM"), (WED, "VM"), (FRI, "NM"), (FRI, "VM")]


# --- header aliases ---------------------------------------------------------------------------

def test_stamboeknummer_header_cp1252_crlf_voormiddag(db, config, tmp_path):
    text = (
        "Stamboeknummer;Familienaam;Voornaam;Klas;Geboortedatum;Datum;Moment;Code;Reden\r\n"
        "010001;Van Brûloo;Mériel;2A;17-04-2012;06-10-2025;voormiddag;P;persoonlijke redenen\r\n"
        "010001;Van Brûloo;Mériel;2A;17-04-2012;06-10-2025;namiddag;Z;ziek, briefje ouders\r\n"
        "010002;Çelik;Zoë;4ECO;01-02-2010;08-10-2025;VOORMIDDAG;B01;\r\n"
    )
    path = write_text(tmp_path / "cp.csv", text, "cp1252")
    [summary] = import_files(db, [path], config)
    assert (summary.rows, summary.pupils) == (3, 2)
    stored = pupils(db)
    assert (stored["010001"]["last_name"], stored["010001"]["first_name"]) == ("Van Brûloo", "Mériel")
    assert stored["010001"]["birth_date"] == date(2012, 4, 17)
    assert (stored["010002"]["last_name"], stored["010002"]["first_name"]) == ("Çelik", "Zoë")
    assert [(r["date"], r["halfday"], r["raw_code"], r["note"]) for r in records(db)] == [
        (MON, "NM", "Z", "ziek, briefje ouders"), (MON, "VM", "P", "persoonlijke redenen"),
        (WED, "VM", "B01", None)]


def test_header_aliases_case_and_accent_insensitive(db, config, tmp_path):
    header = ["LEERLING_ID", "Achternaam", "VOORNAAM", "Klás", "Datúm", "VM/NM", "Afwezigheidscode", "Opmérking"]
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "T6", "Z", "x"),
            ("001", "Peeters", "Jan", "1A", dmy(TUE), "t1", "Z", "y")]
    import_files(db, [write_csv(tmp_path / "a.csv", rows, header)], config)
    assert [(r["date"], r["halfday"], r["note"]) for r in records(db)] == [(MON, "NM", "x"), (TUE, "VM", "y")]
    assert pupils(db)["001"]["last_name"] == "Peeters"


def test_sample_cp1252_file(db, config):
    [summary] = import_files(db, [sample_paths()[2]], config)
    names = {p["last_name"] + p["first_name"] for p in pupils(db).values()}
    assert all(any(ch in n for n in names) for ch in "éëçï")
    assert summary.pupils == 5


# --- mapping ----------------------------------------------------------------------------------

MAPPING = """
[columns]
pupil_id = "Nr"
last_name = "Achternaam leerling"
first_name = "Roepnaam"
class = "Klasgroep"
date = "Dag"
halfday = "Periode"
code = "Afw"
note = "Commentaar"

[codes]
K = "P"
X = { official = "B", meaning = "onwettig" }
S = "geen"

[import]
date_format = "%d.%m.%Y"
delimiter = "|"
halfday_values = { VM = ["voorm."], NM = ["nam."] }
"""


def test_mapping_with_renamed_columns_and_extra_codes(db, config, tmp_path):
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_mapping(tmp_path / "map.toml")
    header = ["Nr", "Achternaam leerling", "Roepnaam", "Klasgroep", "Dag", "Periode", "Afw", "Commentaar"]
    rows = [("77", "Peeters", "Jan", "1A", MON.strftime("%d.%m.%Y"), "voorm.", "K", "tandarts"),
            ("77", "Peeters", "Jan", "1A", MON.strftime("%d.%m.%Y"), "nam.", "X", ""),
            ("77", "Peeters", "Jan", "1A", TUE.strftime("%d.%m.%Y"), "voorm.", "S", "")]
    path = write_csv(tmp_path / "ander.csv", rows, header, sep="|")
    with pytest.raises(ImportRefused):
        import_files(db, [path], config)  # without the mapping nothing is recognised
    import_files(db, [path], config, mapping)
    assert [(r["halfday"], r["raw_code"], r["code"], r["category"], r["note"]) for r in records(db)] == [
        ("NM", "X", "B", "problematic", None), ("VM", "K", "P", "direction", "tandarts"),
        ("VM", "S", "", "none", None)]
    assert sorted(h for (_, _, h) in halfdays(db)) == ["NM", "VM"]
    # the mapping's codes are remembered for later imports without the mapping
    assert db.conn.execute("SELECT raw_code, code, category FROM code_map ORDER BY 1").fetchall() == [
        ("K", "P", "direction"), ("S", "", "none"), ("X", "B", "problematic")]
    later = write_csv(tmp_path / "later.csv", [("77", "Peeters", "Jan", "1A", dmy(WED), "VM", "X", "")])
    import_files(db, [later], config)
    assert halfdays(db)[("77", WED, "VM")][1] == "B"


@pytest.mark.parametrize("text,fragment", [
    ("[columns]\nleerling = \"Nr\"\n", "leerling"),
    ("[codes]\nK = \"Q7\"\n", "'K'"),
    ("[codes]\nK = { official = \"P\", category = \"feest\" }\n", "feest"),
    ("[import]\ndelimiter = \";;\"\n", "delimiter"),
    ("[columns\n", "TOML"),
    ("codes = 5\n", "[codes]"),
    ("[import]\nencoding = \"latin-99\"\n", "latin-99"),
    ("[import]\ndate_format = \"%Q.%d\"\n", "%Q.%d"),
    ("[import]\ndate_format = 12\n", "date_format"),
    ("[import]\nmorning_last_hour = \"vier\"\n", "morning_last_hour"),
    ("[import]\nmorning_last_hour = 0\n", "morning_last_hour"),
    ("[import]\nhalfday_values = [\"ochtend\"]\n", "halfday_values"),
    ("[import]\nhalfday_values = { VM = 3 }\n", "halfday_values"),
    ("[import]\ndelimiter = 5\n", "delimiter"),
    ("[import]\nsheet = true\n", "sheet"),
])
def test_bad_mapping_is_refused(tmp_path, text, fragment):
    path = tmp_path / "bad_map.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        load_mapping(path)
    message = str(info.value)
    assert str(path) in message and fragment in message and "\n" not in message


def test_mapping_halfday_value_as_a_single_string(db, config, tmp_path):
    (tmp_path / "m.toml").write_text('[import]\nhalfday_values = { VM = "ochtend", NM = ["middag", 2] }\n')
    mapping = load_mapping(tmp_path / "m.toml")
    assert "OCHTEND" in mapping.vm_values and "O" not in mapping.vm_values and "2" in mapping.nm_values
    rows = [("001", "Peeters", "Jan", "1A", dmy(MON), "ochtend", "Z", ""),
            ("001", "Peeters", "Jan", "1A", dmy(MON), "2", "Z", "")]
    import_files(db, [write_csv(tmp_path / "h.csv", rows)], config, mapping)
    assert [r["halfday"] for r in records(db)] == ["NM", "VM"]


def test_mapping_column_missing_in_file(db, config, tmp_path):
    path = import_path = write_csv(tmp_path / "e.csv", [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", "")])
    with pytest.raises(ImportRefused) as info:
        import_files(db, [import_path], config, Mapping(columns={"code": "Afw"}))
    assert "'Afw'" in str(info.value) and "regel 1" in str(info.value) and str(path) in str(info.value)


def test_missing_mapping_file(tmp_path):
    with pytest.raises(ImportRefused) as info:
        load_mapping(tmp_path / "nope.toml")
    assert "nope.toml" in str(info.value)


# --- dry run ----------------------------------------------------------------------------------

def test_dry_run_changes_nothing(tmp_path, config):
    db = Database.open(tmp_path / "z.duckdb")
    import_files(db, [sample_paths()[2]], config)
    before = dump(db)
    summaries = import_files(db, [sample_paths()[1], sample_paths()[2]], config,
                             Mapping(codes={}), dry_run=True)
    assert dump(db) == before
    assert [s.dry_run for s in summaries] == [True, True]
    assert summaries[0].records > 0 and summaries[0].replaced == 0
    assert summaries[1].replaced == summaries[1].records > 0  # what a real import would replace
    db.close()


def test_dry_run_of_overlapping_files_reports_what_a_real_import_does(config, tmp_path):
    a = write_csv(tmp_path / "a.csv", [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
                                       ("002", "Maes", "Lies", "2B", dmy(MON), "VM", "Z", "")])
    b = write_csv(tmp_path / "b.csv", [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "B", ""),
                                       ("003", "Claes", "Tom", "1A", dmy(TUE), "VM", "B", "")])
    dry, real = Database.memory(), Database.memory()
    planned = import_files(dry, [a, b], config, dry_run=True)
    done = import_files(real, [a, b], config)
    strip = lambda s: (s.rows, s.records, s.pupils, s.new_pupils, s.replaced, s.per_code)  # noqa: E731
    assert [strip(s) for s in planned] == [strip(s) for s in done]
    assert [s.replaced for s in done] == [0, 1] and [s.new_pupils for s in done] == [2, 1]
    assert dump(dry) == dump(Database.memory())


def test_cp1252_accents_after_the_first_64_kilobytes(db, config, tmp_path):
    rows = [(f"{n:06d}", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", "gewoon ascii") for n in range(1500)]
    rows.append(("999999", "Çelik", "Zoë", "2B", dmy(TUE), "VM", "P", "uitstap €"))
    path = write_csv(tmp_path / "late_accents.csv", rows, encoding="cp1252")
    assert path.read_bytes().index("Ç".encode("cp1252")) > 65536
    import_files(db, [path], config)
    assert (pupils(db)["999999"]["last_name"], pupils(db)["999999"]["first_name"]) == ("Çelik", "Zoë")
    assert db.conn.execute("SELECT note FROM absences WHERE pupil_key = '999999'").fetchone()[0] == "uitstap €"


def test_dry_run_with_mapping_codes_saves_nothing(db, config, tmp_path):
    from zorgoverleg.codes import parse_mapping_code

    path = write_csv(tmp_path / "k.csv", [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "K", "")])
    mapping = Mapping(codes={"K": parse_mapping_code("K", "P", "test")})
    before = dump(db)
    import_files(db, [path], config, mapping, dry_run=True)
    assert dump(db) == before


# --- refused files ----------------------------------------------------------------------------

GOOD = [("001", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", ""),
        ("002", "Maes", "Lies", "2B", dmy(TUE), "NM", "B", "")]
H = ";".join(HEADER)


def _bad_rows(row: tuple) -> str:
    lines = [H] + [";".join(r) for r in GOOD] + [";".join(row)]
    return "\n".join(lines) + "\n"


# name -> (builder(tmp_path) -> path, line number the message must name, or None)
def _case_unknown_code(tmp):
    return write_text(tmp / "code.csv", _bad_rows(("003", "Claes", "Tom", "1A", dmy(WED), "VM", "XYZ", ""))), 4


def _case_bad_date(tmp):
    return write_text(tmp / "date.csv", _bad_rows(("003", "Claes", "Tom", "1A", "31/02/2026", "VM", "Z", ""))), 4


def _case_bad_halfday(tmp):
    text = H + "\r\n003;Claes;Tom;1A;06/10/2025;avond;Z;\r\n" + ";".join(GOOD[0]) + "\r\n"
    return write_text(tmp / "half.csv", text), 2


def _case_missing_code_column(tmp):
    header = ";".join(HEADER[:6])
    return write_text(tmp / "nocode.csv", header + "\n001;Peeters;Jan;1A;06/10/2025;VM\n"), 1


def _case_too_many_fields(tmp):
    text = H + "\n" + ";".join(GOOD[0]) + "\n" + ";".join(GOOD[1]) + ";extra;veld\n"
    return write_text(tmp / "many.csv", text), 3


def _case_too_few_fields(tmp):
    text = H + "\n" + ";".join(GOOD[0]) + "\n001;Peeters;Jan;1A;07/10/2025;VM\n" + ";".join(GOOD[1]) + "\n"
    return write_text(tmp / "few.csv", text), 3


def _case_unterminated_quote(tmp):
    text = H + "\n" + ";".join(GOOD[0]) + "\n002;Maes;Lies;2B;07/10/2025;NM;B;\"nooit gesloten\n" + \
        ";".join(GOOD[0]) + "\n"
    return write_text(tmp / "quote.csv", text), 3


def _case_empty(tmp):
    return write_text(tmp / "empty.csv", ""), None


def _case_blank(tmp):
    return write_text(tmp / "blank.csv", "\n  \r\n\n"), None


def _case_header_only(tmp):
    return write_text(tmp / "header.csv", H + "\r\n"), None


def _case_binary(tmp):
    path = tmp / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 40)
    return path, None


def _case_fake_xlsx(tmp):
    path = tmp / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    return path, None


def _case_directory(tmp):
    path = tmp / "a_folder.csv"
    path.mkdir()
    return path, None


def _case_missing_file(tmp):
    return tmp / "does_not_exist.csv", None


def _case_no_separator(tmp):
    return write_text(tmp / "plain.txt", "Dit is een brief en geen export\nMet vriendelijke groeten\n"), 1


def _case_bad_lesson_hour(tmp):
    text = "leerling_id,naam,voornaam,klas,datum,lesuur,code\n" \
           "9,Vloer,Sam,1C,2025-10-06,1,Z\n9,Vloer,Sam,1C,2025-10-06,17,Z\n"
    return write_text(tmp / "hour.csv", text), 3


def _case_no_id_no_first_name(tmp):
    return write_text(tmp / "name.csv", _bad_rows(("", "Claes", "", "1A", dmy(WED), "VM", "Z", ""))), 4


def _case_bad_birth_date(tmp):
    header = HEADER[:4] + ["Geboortedatum"] + HEADER[4:]
    text = ";".join(header) + "\n001;Peeters;Jan;1A;19/04/2013;06/10/2025;VM;Z;\n" \
        "002;Maes;Lies;2B;31/31/2013;06/10/2025;VM;Z;\n"
    return write_text(tmp / "birth.csv", text), 3


def _case_line_after_quoted_newline_and_blank_rows(tmp):
    text = (H + "\n" + ";".join(GOOD[0][:-1]) + ";\"twee\nregels\"\n\n;;;;;;;\n"
            + ";".join(GOOD[1]) + "\n003;Claes;Tom;1A;08/10/2025;VM;XYZ;\n")
    return write_text(tmp / "lines.csv", text), 7


REFUSALS = {
    "unknown_code": _case_unknown_code,
    "bad_date": _case_bad_date,
    "bad_halfday": _case_bad_halfday,
    "missing_code_column": _case_missing_code_column,
    "too_many_fields": _case_too_many_fields,
    "too_few_fields": _case_too_few_fields,
    "unterminated_quote": _case_unterminated_quote,
    "empty_file": _case_empty,
    "blank_file": _case_blank,
    "header_only": _case_header_only,
    "binary_garbage": _case_binary,
    "broken_xlsx": _case_fake_xlsx,
    "directory": _case_directory,
    "missing_file": _case_missing_file,
    "no_separator": _case_no_separator,
    "bad_lesson_hour": _case_bad_lesson_hour,
    "no_id_no_first_name": _case_no_id_no_first_name,
    "bad_birth_date": _case_bad_birth_date,
    "line_numbers_count_physical_lines": _case_line_after_quoted_newline_and_blank_rows,
}


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory) -> Path:
    """A database file that already holds an import, a mapping code and team data."""
    path = tmp_path_factory.mktemp("filled") / "filled.duckdb"
    with Database.open(path) as db:
        import_files(db, [sample_paths()[2]], Config())
        db.conn.execute("INSERT INTO team_flags VALUES ('010001', 'known_problem', 'x', 'An', now(), true)")
        db.conn.execute("INSERT INTO code_map VALUES ('K', 'P', 'direction', 'kamp')")
        db.conn.execute("CHECKPOINT")
    return path


@pytest.fixture
def filled_db(filled_template, tmp_path):
    path = tmp_path / "filled.duckdb"
    shutil.copyfile(filled_template, path)
    db = Database.open(path)
    assert db.conn.execute("SELECT count(*) FROM absences").fetchone()[0] > 0
    yield db
    db.close()


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_file_changes_nothing(filled_db, config, tmp_path, case):
    path, line = REFUSALS[case](tmp_path)
    before = dump(filled_db)
    with pytest.raises(ImportRefused) as info:
        import_files(filled_db, [path], config)
    message = str(info.value)
    assert dump(filled_db) == before
    assert message.startswith(str(path)), message
    assert one_sentence(message), message
    if line is not None:
        assert f"regel {line}" in message, message
        assert len(re.findall(r"regel \d+", message)) == 1, message
    else:
        assert not re.search(r"regel \d", message), message


def test_refused_second_file_undoes_the_first(filled_db, config, tmp_path):
    good = write_csv(tmp_path / "good.csv", [("555", "Nieuw", "Nina", "1A", dmy(MON), "VM", "B", "")])
    bad, _ = _case_unknown_code(tmp_path)
    before = dump(filled_db)
    with pytest.raises(ImportRefused) as info:
        import_files(filled_db, [good, bad], config)
    assert str(bad) in str(info.value)
    assert dump(filled_db) == before
    import_files(filled_db, [good], config)  # the database still works after the refusal
    assert "555" in pupils(filled_db)


def test_problem_value_matches_the_problem(db, config, tmp_path):
    # a row with a bad half-day AND an unknown code: the sentence shows the half-day value
    path = write_text(tmp_path / "x.csv", H + "\n001;Peeters;Jan;1A;06/10/2025;avond;QQ;\n")
    with pytest.raises(ImportRefused) as info:
        import_files(db, [path], config)
    assert "'AVOND'" in str(info.value) and "QQ" not in str(info.value)


def test_refused_date_names_column(db, config, tmp_path):
    path, _ = _case_bad_date(tmp_path)
    with pytest.raises(ImportRefused) as info:
        import_files(db, [path], config)
    assert "kolom 5 (Datum)" in str(info.value) and "'31/02/2026'" in str(info.value)


# --- the command line ---------------------------------------------------------------------------

def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("zorgoverleg")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "zorgoverleg.cli"]
    env = {k: v for k, v in os.environ.items() if k != "ZORGOVERLEG_DB"}
    env["XDG_CONFIG_HOME"] = str(cwd)
    return subprocess.run(command + list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_cli_refused_import_exits_1_with_one_line(tmp_path):
    db_path = tmp_path / "school.duckdb"
    good = write_csv(tmp_path / "good.csv", GOOD)
    assert _cli("import", str(good), "--db", str(db_path), cwd=tmp_path).returncode == 0
    before = db_path.read_bytes()
    bad, line = _case_unknown_code(tmp_path)
    result = _cli("import", str(bad), "--db", str(db_path), cwd=tmp_path)
    assert result.returncode == 1
    # stdout: a ready-to-paste [codes] block naming the unknown code (as "-" until the team chooses)
    import tomllib

    assert result.stdout.startswith("[codes]\n")
    assert list(tomllib.loads(result.stdout)["codes"].values()) == ["-"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(bad) in lines[0] and f"regel {line}" in lines[0] and one_sentence(lines[0])
    assert db_path.read_bytes() == before


def test_cli_refused_import_into_new_db_leaves_no_file(tmp_path):
    db_path = tmp_path / "new.duckdb"
    bad, _ = _case_bad_date(tmp_path)
    result = _cli("import", str(bad), "--db", str(db_path), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db_path.exists() and not Path(str(db_path) + ".wal").exists()


def test_cli_import_in_process(tmp_path, capsys):
    from zorgoverleg.cli import main

    db_path = tmp_path / "s.duckdb"
    assert main(["import", str(sample_paths()[2]), "--db", str(db_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Proefimport" in out and not db_path.exists()
    assert main(["import", str(sample_paths()[2]), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "5 leerlingen" in out and "0 vervangen" in out
    assert oct(db_path.stat().st_mode & 0o777) == oct(0o600)
    assert main(["import", str(sample_paths()[2]), "--db", str(db_path)]) == 0
    assert "0 nieuwe records" in capsys.readouterr().out
    for bad in (tmp_path / "missing.csv", tmp_path):
        assert main(["import", str(bad), "--db", str(db_path)]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and str(bad) in err


def test_cli_bad_mapping_exits_1(tmp_path, capsys):
    from zorgoverleg.cli import main

    (tmp_path / "m.toml").write_text("[codes]\nK = \"Q7\"\n")
    db_path = tmp_path / "m.duckdb"
    assert main(["import", str(sample_paths()[2]), "--db", str(db_path), "--mapping", str(tmp_path / "m.toml")]) == 1
    err = capsys.readouterr().err
    assert "m.toml" in err and len(err.strip().splitlines()) == 1
    assert not db_path.exists()


# --- the documented example mapping -------------------------------------------------------------

def test_mapping_example_loads_and_imports(db, config, tmp_path):
    from zorgoverleg.sampledata import sample_dir

    mapping = load_mapping(sample_dir() / "mapping_example.toml")
    assert mapping.columns["pupil_id"] == "Nr" and mapping.delimiter == "|" and mapping.encoding == "cp1252"
    assert {raw: (c.official, c.category) for raw, c in mapping.codes.items()} == {
        "K": ("P", "direction"), "X": ("B", "problematic"), "S": ("", "none"), "V": ("Z", "law")}
    text = (
        "Nr|Achternaam leerling|Roepnaam|Klasgroep|Dag|Periode|Afw|Commentaar\r\n"
        "004711|Peeters|Jan|3STW|06.10.2025|ochtend|K|sportkamp\r\n"
        "004711|Peeters|Jan|3STW|07.10.2025|middag|X|\r\n"
        "004712|Dumoulin|Zoë|1A|08.10.2025|vm.|V|attest volgt, café\r\n"
        "004712|Dumoulin|Zoë|1A|09.10.2025|NM|S|\r\n"
    )
    path = write_text(tmp_path / "export.txt", text, "cp1252")
    [summary] = import_files(db, [path], config, mapping)
    assert (summary.rows, summary.pupils, summary.first_date, summary.last_date) == (4, 2, MON, THU)
    assert [(r["pupil_key"], r["date"], r["halfday"], r["raw_code"], r["code"]) for r in records(db)] == [
        ("004711", MON, "VM", "K", "P"), ("004711", TUE, "NM", "X", "B"),
        ("004712", WED, "VM", "V", "Z"), ("004712", THU, "NM", "S", "")]
    stored = pupils(db)
    assert stored["004712"]["first_name"] == "Zoë" and stored["004711"]["grade"] == 2
    assert "attest volgt, café" in {r["note"] for r in records(db)}
    assert db.conn.execute("SELECT count(*) FROM halfdays WHERE absent").fetchone()[0] == 3


def test_two_imports_at_once_run_one_after_the_other(tmp_path, config):
    # e.g. an import started again in the app before the first one finished: both land whole
    import threading

    db = Database.open(tmp_path / "z.duckdb")
    first = write_csv(tmp_path / "a.csv", [(f"{i:03d}", "Peeters", "Jan", "1A", dmy(MON), "VM", "Z", "")
                                           for i in range(300)])
    second = write_csv(tmp_path / "b.csv", [(f"{i:03d}", "Peeters", "Jan", "1A", dmy(TUE), "NM", "B", "")
                                            for i in range(200, 500)])
    results: dict[str, object] = {}

    def run(name, path):
        try:
            results[name] = import_files(db, [path], config)
        except Exception as exc:  # noqa: BLE001 (the test reports it)
            results[name] = exc

    threads = [threading.Thread(target=run, args=(n, p)) for n, p in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [type(results[n]).__name__ for n in "ab"] == ["list", "list"], results
    assert db.conn.execute("SELECT count(*) FROM absences").fetchone()[0] == 600
    assert db.conn.execute("SELECT count(*) FROM pupils").fetchone()[0] == 500
    db.close()
