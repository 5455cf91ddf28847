"""The other export shapes (periods, wide per day, Smartschool JSON) and the traps of real
exports (issue 11): each trap test fails on the importer before issue 11."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import dmy, dump, import_rows, write_csv
from zorgoverleg import import_read, importer
from zorgoverleg.config import Config, load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import ImportRefused, Mapping, UnknownCodes, import_files, load_mapping, summary_lines
from zorgoverleg.sample_data import generate
from zorgoverleg.signals import prioritised

SAMPLE = Path(generate.__file__).resolve().parent
SHARED = Path("/work/shared/samples/exports")
LIST_TODAY = date(2026, 3, 13)
MON, TUE, WED, THU, FRI, SAT = (date(2025, 10, d) for d in (6, 7, 8, 9, 10, 11))


def halfdays(db: Database, keys: set[str] | None = None) -> list[tuple]:
    rows = db.conn.execute("SELECT * FROM halfdays ORDER BY ALL").fetchall()
    return [r for r in rows if keys is None or r[0] in keys]


def list_rows(db: Database) -> list[tuple]:
    return [(r.pupil_key, r.last_name, r.first_name, r.class_, r.score, r.absent_halfdays, r.b_halfdays, r.late,
             [(s.id, s.label) for s in r.signals])
            for r in prioritised(db, LIST_TODAY, Config(), include_all=True)]


@pytest.fixture(scope="module")
def long_db(tmp_path_factory):
    db = Database.open(tmp_path_factory.mktemp("long") / "long.duckdb")
    import_files(db, [SAMPLE / generate.MAIN_FILE], Config())
    yield db
    db.close()


# --- the same absences in every shape -------------------------------------------------------

@pytest.mark.parametrize("name,shape", [(generate.PERIODS_FILE, "periods"), (generate.WIDE_FILE, "wide")])
def test_periods_and_wide_give_the_same_halfdays_and_list_as_long(long_db, tmp_path, name, shape):
    db = Database.open(tmp_path / "other.duckdb")
    [summary] = import_files(db, [SAMPLE / name], Config())
    assert summary.shape == shape
    assert halfdays(db) == halfdays(long_db)
    assert list_rows(db) == list_rows(long_db)
    db.close()


def test_smartschool_json_per_pupil_gives_the_same_halfdays(long_db, tmp_path):
    pupils = [p for p in generate.build_school(generate.Random(generate.SEED)) if p.pupil_id][:15]
    files = []
    for p in pupils:
        path = tmp_path / generate.JSON_PUPIL_STEM.format(pupil=p.pupil_id)
        path.write_text(json.dumps(generate.smartschool_pupil_json(p, alias=len(files) % 2 == 1)), "utf-8")
        files.append(path)
    db = Database.memory()
    summaries = import_files(db, files, Config())
    assert {s.shape for s in summaries} == {"smartschool-leerling"}
    keys = {p.pupil_id for p in pupils}
    assert halfdays(db) == halfdays(long_db, keys)


def test_smartschool_json_per_date_gives_the_same_halfdays(long_db, tmp_path):
    pupils = generate.build_school(generate.Random(generate.SEED))
    days = sorted({d for p in pupils for d, _ in p.rows if d.month == 10})
    files = []
    for d in days:
        path = tmp_path / f"getAbsentsByDate_{d.isoformat()}.json"
        path.write_text(json.dumps(generate.smartschool_date_json(pupils, d)), "utf-8")
        files.append(path)
    db = Database.memory()
    import_files(db, files, Config())
    keys = {p.pupil_id for p in pupils if p.pupil_id}
    october = [r for r in halfdays(long_db, keys) if r[1].month == 10]
    assert halfdays(db) == october


def test_shared_samples_import(tmp_path):
    db = Database.memory()
    [wisa] = import_files(db, [SHARED / "wisa_afwezigheden_periods.csv"], Config())
    assert wisa.shape == "periods" and dict((r, n) for r, _c, _k, n in wisa.per_code) == {"Z": 20, "B": 3, "P": 2, "L": 1}
    one = Mapping(pupil="leerling.aaa")
    [pupil] = import_files(db, [SHARED / "smartschool_getAbsentsWithAlias_pupil_schoolyear.json"], Config(), one)
    assert pupil.shape == "smartschool-leerling"
    notes = db.conn.execute("SELECT note FROM absences WHERE pupil_key = 'leerling.aaa' AND note IS NOT NULL "
                            "ORDER BY date").fetchall()
    assert notes == [("Te laat zonder geldige reden",), ("Ziek - briefje ouders",)]  # the alias is the detail
    import_files(db, [SHARED / "smartschool_getAbsentsWithAliasByDate_2024-09-20.json"], Config())
    keys = {k for (k,) in db.conn.execute("SELECT pupil_key FROM pupils").fetchall()}
    assert "leerling.aaa" in keys and not any(k.startswith("2024") for k in keys)  # time stamp prefix dropped
    [by_number] = import_files(db, [SHARED / "smartschool_getAbsentsWithInternalNumberByDate_2024-09-20.json"], Config())
    assert by_number.pupils == 3
    # null = no lessons: no record; "|" = present: a record that is no absence
    got = db.conn.execute("SELECT raw_code, category FROM absences WHERE pupil_key = '900001'").fetchall()
    assert got == [("|", "none"), ("|", "none")]


def test_counts_per_pupil_report_is_refused_naming_the_export_to_take():
    with pytest.raises(ImportRefused, match="telling per leerling.*AF_VAN en AF_TOT"):
        import_files(Database.memory(), [SHARED / "wisa_codes_afwezigheid_pivot.csv"], Config())


def test_wide_lesson_hour_columns(tmp_path):
    header = ["leerling_id", "naam", "voornaam", "klas", "datum", "u1", "u2", "lesuur 5", "6"]
    path = write_csv(tmp_path / "wide.csv", [("1", "A", "B", "1A", dmy(MON), "Z", "Z", "", "B"),
                                              ("1", "A", "B", "1A", dmy(TUE), "L", "", "", "")], header)
    db = Database.memory()
    [summary] = import_files(db, [path], Config())
    assert summary.shape == "wide"
    assert [r[1:4] for r in halfdays(db)] == [(MON, "NM", "B"), (MON, "VM", "Z"), (TUE, "VM", "L")]


# --- days without lessons --------------------------------------------------------------------

def test_records_on_days_without_lessons_are_never_counted(tmp_path):
    config = load_config()
    config.data.setdefault("calendar", {})["free_days"] = ["2025-10-10"]
    rows = [("1", "A", "B", "1A", dmy(d), half, "B", "") for d, half in [
        (MON, "VM"), (WED, "NM"), (SAT, "VM"), (date(2025, 10, 12), "NM"), (FRI, "VM"),  # free day
        (date(2025, 10, 29), "VM"), (date(2025, 7, 14), "VM"), (date(2026, 2, 2), "VM")]]
    db = Database.memory()
    [summary] = import_rows(db, tmp_path, rows, config=config, today=date(2026, 1, 31))
    assert [r[1:3] for r in halfdays(db)] == [(MON, "VM")]
    assert db.conn.execute("SELECT count(*) FROM absences").fetchone() == (1,)
    assert summary.no_lesson == 7
    assert summary.no_lesson_dates == [date(2025, 7, 14), WED, FRI, SAT, date(2025, 10, 12)]
    assert any("7 regel(s) op een dag of dagdeel zonder les" in line for line in summary_lines(summary))


def test_periods_skip_weekends_holidays_and_wednesday_afternoon(tmp_path):
    header = ["leerlingnummer", "naam", "voornaam", "klas", "van", "van_dagdeel", "tot", "tot_dagdeel", "code"]
    # Friday 24/10 afternoon up to Wednesday 5/11 (autumn holiday in between)
    path = write_csv(tmp_path / "p.csv", [("1", "A", "B", "1A", "24/10/2025", "NM", "05/11/2025", "NM", "Z")], header)
    db = Database.memory()
    import_files(db, [path], Config())
    got = [(r[1], r[2]) for r in halfdays(db)]
    assert got == [(date(2025, 10, 24), "NM"), (date(2025, 11, 3), "NM"), (date(2025, 11, 3), "VM"),
                   (date(2025, 11, 4), "NM"), (date(2025, 11, 4), "VM"), (date(2025, 11, 5), "VM")]


# --- whole-day late, conflicts, latest class --------------------------------------------------

def test_whole_day_late_is_one_late_arrival(tmp_path):
    path = write_csv(tmp_path / "d.csv", [("1", "A", "B", "1A", dmy(MON), "L")],
                     ["leerling_id", "naam", "voornaam", "klas", "datum", "code"])
    db = Database.memory()
    [summary] = import_files(db, [path], Config())
    assert [r[1:3] for r in halfdays(db)] == [(MON, "VM")] and summary.records == 1


def test_two_codes_for_one_halfday_the_more_serious_counts(tmp_path):
    rows = [("1", "A", "B", "1A", dmy(MON), "VM", "B", ""), ("1", "A", "B", "1A", dmy(MON), "VM", "L", "deels")]
    db = Database.memory()
    [summary] = import_rows(db, tmp_path, rows)
    assert [r[3] for r in halfdays(db)] == ["B"]
    assert summary.conflicts == 1 and summary.conflict_examples == [("1", MON)]
    import_rows(db, tmp_path, [("1", "A", "B", "1A", dmy(MON), "VM", "Z", "")], name="later.csv")
    assert [r[3] for r in halfdays(db)] == ["Z"]  # a later import still replaces


def test_class_and_name_of_the_latest_date(tmp_path):
    rows = [("1", "A", "B", "2B", dmy(TUE), "VM", "Z", ""), ("1", "A", "B", "1A", dmy(MON), "VM", "Z", "")]
    db = Database.memory()
    import_rows(db, tmp_path, rows)  # sorted by class: the old class comes last
    assert db.conn.execute("SELECT class FROM pupils").fetchall() == [("2B",)]


# --- the same pupil never twice ---------------------------------------------------------------

def test_excel_id_without_leading_zeros_is_the_same_pupil(tmp_path):
    db = Database.memory()
    import_rows(db, tmp_path, [("007273", "A", "B", "1A", dmy(MON), "VM", "Z", "")])
    [summary] = import_rows(db, tmp_path, [("7273", "A", "B", "1A", dmy(TUE), "VM", "Z", "")], name="excel.csv")
    assert db.conn.execute("SELECT pupil_key FROM pupils").fetchall() == [("007273",)]
    assert any("7273 = 007273" in note for note in summary.notes)


def test_import_without_id_column_finds_the_stored_pupil(tmp_path):
    db = Database.memory()
    import_rows(db, tmp_path, [("007273", "Aerts", "Bo", "1A", dmy(MON), "VM", "Z", "")])
    path = write_csv(tmp_path / "noid.csv", [("Aerts", "Bo", "1A", dmy(TUE), "VM", "Z")],
                     ["naam", "voornaam", "klas", "datum", "dagdeel", "code"])
    [summary] = import_files(db, [path], Config())
    assert db.conn.execute("SELECT pupil_key FROM pupils").fetchall() == [("007273",)]
    assert summary.notes and "op naam en klas" in summary.notes[0]
    import_rows(db, tmp_path, [("007274", "Aerts", "Bo", "1A", dmy(MON), "VM", "Z", "")], name="twin.csv")
    with pytest.raises(ImportRefused, match="meer dan een leerling"):
        import_files(db, [path], Config())


# --- encodings and headers --------------------------------------------------------------------

def test_one_stray_cp1252_byte_does_not_garble_the_other_names(tmp_path):
    lines = ["leerling_id;naam;voornaam;klas;datum;dagdeel;code"]
    lines += [f"{n};Vérbrüggen;Éloïse;1A;{dmy(MON)};VM;Z" for n in range(1, 30)]
    data = ("\n".join(lines) + "\n").encode("utf-8") + "99;Françoisse;Noël;1A;06/10/2025;VM;Z\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    db = Database.memory()
    [summary] = import_files(db, [path], Config())
    names = set(db.conn.execute("SELECT last_name FROM pupils").fetchall())
    assert names == {("Vérbrüggen",), ("Françoisse",)}
    assert any("regel 31" in note for note in summary.notes)


def test_duplicate_header_names_are_refused_by_name(tmp_path):
    path = write_csv(tmp_path / "dup.csv", [("1", "A", "B", dmy(MON), "Z", "B")],
                     ["leerling_id", "naam", "voornaam", "datum", "code", "Code"])
    with pytest.raises(ImportRefused, match=r"kolomkop 'code' staat er meer dan eens in \(kolommen 5, 6\)"):
        import_files(Database.memory(), [path], Config())


def test_xlsx_with_data_on_several_sheets_says_which_it_read(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for title in ("September", "Oktober"):
        sheet = book.active if title == "September" else book.create_sheet(title)
        sheet.title = title
        sheet.append(["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "Dagdeel", "Code"])
        sheet.append(["000123", "Peeters", "Jan", "1A", MON if title == "September" else TUE, "VM", "Z"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    [summary] = import_files(Database.memory(), [path], Config())
    assert summary.notes == ["gegevens op 2 werkbladen (September, Oktober); gelezen: 'September' "
                             "(kies een ander met [import] sheet in een mapping-bestand)"]


def test_fifo_unreadable_file_and_wrong_encoding_get_one_sentence(tmp_path, monkeypatch):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportRefused, match="geen gewoon bestand"):
        import_files(Database.memory(), [fifo], Config())
    path = write_csv(tmp_path / "ok.csv", [("1", "Aé", "B", "1A", dmy(MON), "VM", "Z", "")], encoding="cp1252")
    with pytest.raises(ImportRefused, match=r"regel 2: het bestand is niet in utf-8 geschreven"):
        import_files(Database.memory(), [path], Config(), Mapping(encoding="utf-8"))
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(ImportRefused, match="geen leesrechten"):
        import_files(Database.memory(), [path], Config())


def test_zip_bomb_xlsx_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(import_read, "XLSX_MAX_UNPACKED", 4 * 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (16 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    with pytest.raises(ImportRefused, match="pakt uit tot meer dan 4 MB"):
        import_files(Database.memory(), [path], Config())


# --- unknown codes -----------------------------------------------------------------------------

def test_unknown_codes_are_listed_once_with_a_ready_to_paste_block(tmp_path):
    rows = [("1", "A", "B", "1A", dmy(d), "VM", code, "kamp" if code == "K" else "") for d, code in [
        (MON, "Z"), (TUE, "K"), (WED, "°"), (THU, "K")]]
    db = Database.memory()
    with pytest.raises(UnknownCodes) as info:
        import_rows(db, tmp_path, rows)
    assert [(c.raw, c.count, c.first_line, c.alias) for c in info.value.codes] == [
        ("K", 2, 3, "kamp"), ("°", 1, 4, None)]
    mapping_file = tmp_path / "map.toml"
    mapping_file.write_text(info.value.codes_block().replace('"K" = "-"', '"K" = "P"'), "utf-8")
    import_rows(db, tmp_path, rows, mapping=load_mapping(mapping_file))
    assert dict(db.conn.execute("SELECT raw_code, code FROM code_map").fetchall()) == {"K": "P", "°": "-"}


# --- the database and the temporary folder ------------------------------------------------------

def test_full_disk_changes_nothing_and_the_next_import_works(tmp_path, monkeypatch):
    """Simulated: DuckDB's IOException injected at the commit (no tmpfs can be mounted here)."""
    db = Database.open(tmp_path / "full.duckdb")
    import_rows(db, tmp_path, [("1", "A", "B", "1A", dmy(MON), "VM", "Z", "")])
    db.conn.execute("CHECKPOINT")
    before, size = dump(db), (tmp_path / "full.duckdb").stat().st_size

    def full(step):
        raise duckdb.IOException("Could not write file: No space left on device")

    monkeypatch.setattr(importer, "_fail_point", full)
    monkeypatch.setattr(importer, "_tight_disk", lambda db, files: True)  # as on a disk that fills up
    with pytest.raises(ImportRefused, match="de schijf is vol") as info:
        import_files(db, [SAMPLE / generate.MAIN_FILE], Config())
    assert "\n" not in str(info.value)
    assert dump(db) == before and (tmp_path / "full.duckdb").stat().st_size <= size
    monkeypatch.undo()
    import_rows(db, tmp_path, [("2", "C", "D", "1A", dmy(TUE), "VM", "Z", "")], name="small.csv")
    assert len(dump(db)["pupils"]) == 2
    db.close()


def test_optimistic_writes_only_with_room_to_spare(tmp_path, monkeypatch):
    db = Database.open(tmp_path / "room.duckdb")
    export = write_csv(tmp_path / "e.csv", [("1", "A", "B", "1A", dmy(MON), "VM", "Z", "")])
    assert not importer._tight_disk(db, [export])  # this folder has far more than 256 MB free
    free = shutil.disk_usage(tmp_path).free
    monkeypatch.setattr(importer, "TIGHT_DISK_MARGIN", free)
    assert importer._tight_disk(db, [export])
    db.close()


def test_no_copy_of_the_export_in_the_system_temp_folder(tmp_path, monkeypatch):
    system_tmp = tmp_path / "systmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    folder = tmp_path / "school"
    folder.mkdir()
    leftover = folder / f"{import_read.TEMP_PREFIX}999999999-x.csv"  # from an import that was killed
    leftover.write_text("oud", "utf-8")
    seen = []
    real = import_read._transcode_by_line

    def watch(source, work_dir):
        real(source, work_dir)
        seen.append((source.temp.parent, stat.S_IMODE(source.temp.stat().st_mode)))

    monkeypatch.setattr(import_read, "_transcode_by_line", watch)
    path = write_csv(tmp_path / "cp.csv", [("1", "Aé", "B", "1A", dmy(MON), "VM", "Z", "")], encoding="cp1252")
    db = Database.open(folder / "school.duckdb")
    import_files(db, [path], Config())
    db.close()
    assert seen == [(folder.resolve(), 0o600)]
    assert list(system_tmp.iterdir()) == []
    assert not leftover.exists() and not list(folder.glob(f"{import_read.TEMP_PREFIX}*"))


def test_shape_samples_are_what_the_generator_writes(tmp_path):
    generate.main(tmp_path)
    for name in (generate.PERIODS_FILE, generate.WIDE_FILE, generate.JSON_PUPIL_STEM.format(pupil="001001"),
                 generate.JSON_DATE_FILE):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_dry_run_names_the_shape_it_recognised(tmp_path):
    import subprocess
    import sys

    for name, words in ((generate.PERIODS_FILE, "vorm: periodes van-tot"),
                        (generate.WIDE_FILE, "vorm: breed"),
                        (generate.JSON_DATE_FILE, "vorm: Smartschool getAbsentsByDate"),
                        (generate.MAIN_FILE, "vorm: lang")):
        result = subprocess.run([sys.executable, "-m", "zorgoverleg", "import", str(SAMPLE / name),
                                 "--db", str(tmp_path / "dry.duckdb"), "--dry-run"],
                                cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0 and words in result.stdout, result.stdout + result.stderr
    assert not (tmp_path / "dry.duckdb").exists()


def test_unknown_codes_of_several_files_are_listed_together(tmp_path):
    first = write_csv(tmp_path / "a.csv", [("1", "A", "B", "1A", dmy(MON), "VM", "K", "")])
    second = write_csv(tmp_path / "b.csv", [("1", "A", "B", "1A", dmy(TUE), "VM", "X", ""),
                                            ("1", "A", "B", "1A", dmy(WED), "VM", "K", "")])
    with pytest.raises(UnknownCodes) as info:
        import_files(Database.memory(), [first, second], Config())
    assert [(c.raw, c.count, Path(c.file).name) for c in info.value.codes] == [("K", 2, "a.csv"), ("X", 1, "b.csv")]
    assert "eerst op regel 2 van b.csv" in str(info.value)


@pytest.mark.skipif(not os.environ.get("ZORGOVERLEG_FULL_DISK_DIR"),
                    reason="set ZORGOVERLEG_FULL_DISK_DIR to an empty folder on a small (e.g. 6 MB) tmpfs")
def test_full_disk_on_a_real_small_filesystem(tmp_path):
    from zorgoverleg.bench import write_export

    folder = Path(os.environ["ZORGOVERLEG_FULL_DISK_DIR"])
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    write_export(small, 5)
    write_export(big, 15_000)
    db = Database.open(folder / "full.duckdb")
    try:
        import_files(db, [small], Config())
        db.conn.execute("CHECKPOINT")
        before, size = dump(db), (folder / "full.duckdb").stat().st_size
        with pytest.raises(ImportRefused, match="de schijf is vol"):
            import_files(db, [big], Config())
        assert dump(db) == before and (folder / "full.duckdb").stat().st_size == size
        import_files(db, [small], Config())  # the next small import works
    finally:
        db.close()
        for leftover in folder.glob("full.duckdb*"):
            leftover.unlink()


@pytest.mark.parametrize("start,end,words", [
    ("gisteren", "10/10/2025", "'gisteren' is geen geldige datum"),
    ("06/10/2025", "31/13/2025", "'31/13/2025' is geen geldige datum"),
    ("01/01/0001", "10/10/2025", "'01/01/0001' is geen geldige datum"),
    ("06/10/2025", "31/12/9999", "'31/12/9999' is geen geldige datum"),
])
def test_a_period_with_a_bad_date_is_refused_naming_the_line(tmp_path, start, end, words):
    header = ["leerlingnummer", "naam", "voornaam", "klas", "van", "tot", "code"]
    path = write_csv(tmp_path / "p.csv", [("1", "A", "B", "1A", "06/10/2025", "07/10/2025", "Z"),
                                          ("1", "A", "B", "1A", start, end, "Z")], header)
    with pytest.raises(ImportRefused, match=f"regel 3.*{words}"):
        import_files(Database.memory(), [path], Config())


def test_mapping_names_the_period_columns_and_wide_xlsx(tmp_path):
    header = ["nr", "familie", "roepnaam", "groep", "eerste dag", "laatste dag", "reden"]
    path = write_csv(tmp_path / "own.csv", [("5", "A", "B", "1A", "06/10/2025", "08/10/2025", "Z")], header)
    mapping = Mapping(columns={"pupil_id": "nr", "last_name": "familie", "first_name": "roepnaam",
                               "class": "groep", "date_from": "eerste dag", "date_to": "laatste dag",
                               "code": "reden"})
    db = Database.memory()
    [summary] = import_files(db, [path], Config(), mapping)
    assert summary.shape == "periods" and summary.records == 5  # Mon 2, Tue 2, Wed 1
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "VM", "NM"])
    book.active.append([7273, "C", "D", "2A", THU, "B", None])
    xlsx = tmp_path / "wide.xlsx"
    book.save(xlsx)
    [wide] = import_files(db, [xlsx], Config())
    assert wide.shape == "wide" and [r[1:4] for r in halfdays(db) if r[0] == "7273"] == [(THU, "VM", "B")]


def test_leftover_copies_are_removed_when_the_app_opens_the_database(tmp_path):
    from zorgoverleg.config import Config as _Config
    from zorgoverleg.startup import open_school

    folder = tmp_path / "school"
    folder.mkdir()
    leftover = folder / f"{import_read.TEMP_PREFIX}999999999-x.csv"  # a killed import's copy
    leftover.write_text("oud", "utf-8")
    other = folder / "export.csv"
    other.write_text("blijft", "utf-8")
    opened = open_school(folder / "school.duckdb", folder / "notulen", MON, _Config())
    opened.db.close()
    assert not leftover.exists() and other.exists()
