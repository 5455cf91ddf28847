"""The committed sample data is exactly what sample_data/generate.py writes, and it keeps its stories."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from zorgoverleg.calendar import SchoolCalendar
from zorgoverleg.sample_data import generate

SAMPLE_DIR = Path(generate.__file__).resolve().parent
FILES = [generate.MAIN_FILE, generate.LESSON_FILE, generate.CP1252_FILE]
TODAY = date(2026, 3, 13)
CAL = SchoolCalendar(2025)
LAST_CAL = SchoolCalendar(2024)  # the earlier school year one story pupil (001014) has rows of


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate.main(out)
    return out


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    text = (SAMPLE_DIR / generate.MAIN_FILE).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def _day(value: str, fmt: str = "%d/%m/%Y") -> date:
    return datetime.strptime(value, fmt).date()


def _pupil(rows, pupil_id: str) -> list[tuple[date, str, str]]:
    return [(_day(r["Datum"]), r["Dagdeel"], r["Code"]) for r in rows if r["Leerlingnummer"] == pupil_id]


@pytest.mark.parametrize("name", FILES)
def test_regeneration_is_byte_identical(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (SAMPLE_DIR / name).read_bytes()


def test_main_file_format() -> None:
    raw = (SAMPLE_DIR / generate.MAIN_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == raw.count(b"\n")
    first_line = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert first_line == "Leerlingnummer;Naam;Voornaam;Klas;Geboortedatum;Datum;Dagdeel;Code;Opmerking"


def test_main_file_content(rows) -> None:
    pupils = {(r["Leerlingnummer"], r["Naam"], r["Voornaam"], r["Klas"]) for r in rows}
    assert 380 <= len(pupils) <= 420
    assert 4000 <= len(rows) <= 40000
    for r in rows:
        d = _day(r["Datum"])
        cal = CAL if d >= CAL.start else LAST_CAL
        assert d >= CAL.start or r["Leerlingnummer"] == "001014", r
        assert cal.is_school_day(d), r
        assert r["Dagdeel"] in cal.halfdays_on(d), r  # never NM on a Wednesday
        assert r["Code"] in {"Z", "D", "B", "R", "P", "L", "-", "B01", "R03"}, r
        assert r["Leerlingnummer"] == "" or (len(r["Leerlingnummer"]) == 6 and r["Leerlingnummer"].isdigit())
        assert r["Klas"][0] in "123456"
        assert 2006 <= _day(r["Geboortedatum"]).year <= 2014 - int(r["Klas"][0])
    slots = Counter((r["Leerlingnummer"], r["Naam"], r["Voornaam"], r["Klas"], r["Datum"], r["Dagdeel"])
                    for r in rows)
    assert max(slots.values()) == 1
    # '-' only in the last ten school days before the demo date, except for story 001001.
    first_recent = CAL.school_days(TODAY)[-10]
    old_unknown = {r["Leerlingnummer"] for r in rows if r["Code"] == "-" and _day(r["Datum"]) < first_recent}
    assert old_unknown <= {"001001"}


def test_story_ids_present(rows) -> None:
    ids = {r["Leerlingnummer"] for r in rows}
    for pupil_id in generate.STORIES:
        if pupil_id != "no-id":
            assert pupil_id in ids
    no_id = {(r["Naam"], r["Voornaam"], r["Klas"]) for r in rows if r["Leerlingnummer"] == ""}
    assert sorted(k for _, _, k in no_id) == ["1C", "4WET"]


def test_stories_visible_by_demo_date(rows) -> None:
    def until_today(pupil_id):
        return [(d, h, c) for d, h, c in _pupil(rows, pupil_id) if d <= TODAY]

    b = lambda recs: sum(c.startswith("B") for _, _, c in recs)  # noqa: E731

    first_year = until_today("001001")
    assert 5 <= b(first_year) <= 7
    days = Counter(d for d, _, c in first_year if c != "L")
    assert sum(1 for d, n in days.items() if n == 1 and len(CAL.halfdays_on(d)) == 2) >= 8

    mondays = until_today("001002")
    assert 14 <= len(mondays) <= 18 and b(_pupil(rows, "001002")) == 0
    assert sum(d.weekday() == 0 for d, _, _ in mondays) >= 0.75 * len(mondays)

    letting_go = _pupil(rows, "001003")
    assert min(d for d, _, _ in letting_go) >= date(2026, 2, 1)
    assert all(c.startswith("B") for _, _, c in letting_go)
    assert sum(1 for d, _, _ in letting_go if date(2026, 1, 30) <= d <= TODAY) >= 14

    assert 6 <= b(until_today("001004")) <= 8

    long_ill = {(d, h): c for d, h, c in _pupil(rows, "001005")}
    for d in CAL.school_days(date(2026, 2, 20)):
        if d >= date(2026, 1, 12):
            assert all(long_ill.get((d, h)) == "D" for h in CAL.halfdays_on(d))

    assert 18 <= sum(c == "L" for _, _, c in until_today("001006")) <= 22
    assert b(until_today("001008")) >= 30
    fridays = [(d, h) for d, h, c in until_today("001009") if d.weekday() == 4 and h == "NM"]
    assert len(fridays) >= 10

    third_grade = until_today("001010")
    assert 10 <= b(third_grade) <= 14
    assert {r["Klas"] for r in rows if r["Leerlingnummer"] == "001010"} == {"6WEWI"}
    ill = until_today("001011")
    assert {c for _, _, c in ill} == {"D"} and sum(1 for _ in ill) == 24
    back = until_today("001012")
    b_days = [d for d, _, c in back if c == "B"]
    assert len(b_days) == 4
    for d in b_days:  # each B is the Wednesday morning after two days ill
        assert d.weekday() == 2 and {c for e, _, c in back if 1 <= (d - e).days <= 2} in ({"Z"}, {"D"})
    note = {d for d, _, c in until_today("001013") if c == "Z"}
    assert {date(2026, 2, 5), date(2026, 2, 6), date(2026, 2, 9)} <= note
    earlier = [(d, h, c) for d, h, c in _pupil(rows, "001014") if d < CAL.start]
    assert b(earlier) == 26 and b(until_today("001014")) - b(earlier) == 2
    assert {r["Klas"] for r in rows if r["Leerlingnummer"] == "001014" and _day(r["Datum"]) < CAL.start} == {"3LAT"}


def test_demo_shows_each_new_signal(sample_db_file, tmp_path):
    """The demo's list (today = 13 March 2026) shows each signal of issue 13 on its story pupil;
    toah_chronic once the team marks 001011 chronically ill, z_clb once the school sets its threshold."""
    import copy
    import shutil

    from zorgoverleg.config import Config, load_config
    from zorgoverleg.db import Database
    from zorgoverleg.history import set_flag
    from zorgoverleg.signals import prioritised

    path = tmp_path / "demo.duckdb"
    shutil.copy(sample_db_file, path)
    config = load_config()
    with Database.open(path) as db:
        rows = {r.pupil_id: r for r in prioritised(db, TODAY, config)}
        fired = {sid: sorted(pid for pid, r in rows.items() if sid in r.signal_ids())
                 for sid in ("earlier_years", "early_leaving", "toah_chronic", "z_clb")}
        assert fired == {"earlier_years": ["001014"], "early_leaving": ["001010"], "toah_chronic": [], "z_clb": []}
        after_illness = next(s for s in rows["001012"].signals if s.id == "after_break")
        assert "na een ziekteperiode" in after_illness.detail
        note = next(s for s in rows["001013"].signals if s.id == "parent_notes")
        assert "5 kalenderdagen" in note.detail
        assert "detachment" in rows["001003"].signal_ids()
        set_flag(db, rows["001011"].pupil_key, "chronically_ill", True, set_by="An")
        marked = {r.pupil_id: r for r in prioritised(db, TODAY, config)}["001011"]
        toah = next(s for s in marked.signals if s.id == "toah_chronic")
        assert "24 halve dagen ziek" in toah.detail and "2 rechten op TOAH" in toah.detail
        data = copy.deepcopy(config.data)
        data["thresholds"]["z_clb"] = 40
        with_rule = {r.pupil_id: r for r in prioritised(db, TODAY, Config(data))}
        assert "z_clb" in with_rule["001005"].signal_ids()


def test_lesson_hour_file() -> None:
    raw = (SAMPLE_DIR / generate.LESSON_FILE).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert lines[0] == ["leerling_id", "familienaam", "voornaam", "klas", "datum", "lesuur",
                        "afwezigheidscode", "reden"]
    assert 150 <= len(lines) - 1 <= 260
    for row in lines[1:]:
        d = date.fromisoformat(row[4])
        assert CAL.is_school_day(d) and 1 <= int(row[5]) <= (4 if d.weekday() == 2 else 8)


def test_cp1252_file() -> None:
    raw = (SAMPLE_DIR / generate.CP1252_FILE).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert text.count("\r\n") == text.count("\n")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert lines[0] == ["Stamboeknummer", "Familienaam", "Voornaam", "Klas", "Geboortedatum", "Datum",
                        "Moment", "Code", "Reden"]
    assert all(ch in text for ch in "éëçï")
    assert 25 <= len(lines) - 1 <= 35
    for row in lines[1:]:
        d = _day(row[5], "%d-%m-%Y")
        half = {"voormiddag": "VM", "namiddag": "NM"}[row[6]]
        assert half in CAL.halfdays_on(d)
