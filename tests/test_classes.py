"""Classes at a glance: shares, trend, pupils with signals, and classes whose pupils' absences rise
in the same weeks; the class teacher's overview per class."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date
from pathlib import Path

from tests.conftest import TODAY, school_days, write_csv
from zorgoverleg import cli
from zorgoverleg.classes import class_overview
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import import_files

WINDOW = (date(2026, 1, 26), date(2026, 2, 6))   # two school weeks
NEWCOMERS = {"T-001": ("Vanderzwaan", "Lotte"), "T-002": ("Plaetinck", "Ferre"), "T-003": ("Moerkerke", "Ines")}


def add_absences(db_path: Path, pupils: dict[str, tuple[str, str]], klas: str = "3LAT",
                 days=None, code: str = "B") -> None:
    """Each pupil absent (whole days) on the first three school days of each week of WINDOW."""
    days = days if days is not None else [d for d in school_days(*WINDOW) if d.weekday() in (0, 1, 3)]
    rows = [(pid, last, first, klas, f"{d:%d/%m/%Y}", half, code, "")
            for pid, (last, first) in pupils.items() for d in days for half in ("VM", "NM")]
    path = write_csv(db_path.parent / f"extra-{len(pupils)}.csv", rows)
    with Database.open(db_path) as db:
        import_files(db, [path], load_config())


def overview(db_path: Path) -> dict:
    with Database.open(db_path, read_only=True) as db:
        return {r.class_: r for r in class_overview(db, TODAY, load_config())}


def test_three_pupils_rising_in_the_same_weeks_name_their_class(school):
    before = overview(school)
    assert before["3LAT"].clusters == []
    add_absences(school, NEWCOMERS)
    after = overview(school)
    lat = after["3LAT"]
    assert len(lat.clusters) == 1
    cluster = lat.clusters[0]
    assert (cluster.start, cluster.end) == WINDOW
    assert sorted(p.pupil_id for p in cluster.pupils) == sorted(NEWCOMERS)
    assert all(p.absent == 12 and p.baseline == 0 for p in cluster.pupils)
    # the other classes are told exactly as before
    assert {k: [(c.start, c.end) for c in r.clusters] for k, r in after.items() if k != "3LAT"} == \
        {k: [(c.start, c.end) for c in r.clusters] for k, r in before.items() if k != "3LAT"}
    assert lat.pupils == before["3LAT"].pupils + 3
    assert lat.absent == before["3LAT"].absent + 36 and lat.b == before["3LAT"].b + 36


def test_two_pupils_are_not_a_cluster(school):
    add_absences(school, dict(list(NEWCOMERS.items())[:2]))
    assert overview(school)["3LAT"].clusters == []


def test_class_share_trend_and_signal_pupils(school):
    rows = overview(school)
    assert list(rows) == sorted(rows)
    one_b = rows["1B"]
    assert "001001" in {r.pupil_id for r in one_b.signal_pupils}   # Hasira, 1B, carries signals
    assert all(r.class_ == "1B" for r in one_b.signal_pupils)
    assert sum(one_b.weekly) == one_b.absent and sum(one_b.week_possible) == one_b.possible
    assert len(one_b.weekly) == len(one_b.week_starts)
    assert 0 < one_b.share < 1 and one_b.mark in "↑↓="


def test_cli_classes_formats(school, capsys):
    add_absences(school, NEWCOMERS)
    args = ["classes", "--db", str(school), "--today", "2026-03-13"]
    assert cli.main([*args, "--format", "json"]) == 0
    rows = {r["class"]: r for r in json.loads(capsys.readouterr().out)}
    lat = rows["3LAT"]
    assert lat["rising_together"][0]["start"] == "2026-01-26" and lat["rising_together"][0]["end"] == "2026-02-06"
    assert sorted(p["pupil_id"] for p in lat["rising_together"][0]["pupils"]) == sorted(NEWCOMERS)
    assert cli.main([*args, "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["class"]: r["rising_together"] for r in table}["3LAT"] == "26/01–06/02: 3 lln"
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "3LAT" in out and "Samen stijgend: minstens 3 leerlingen" in out
    assert cli.main([*args, "--format", "html"]) == 2   # html is for one class
    assert "--class" in capsys.readouterr().err


def test_class_teachers_overview_holds_only_that_class(school, capsys):
    hostile = {"T-666": ("=HYPERLINK(\"x\")", "<b>[/]")}
    add_absences(school, hostile, klas="3LAT", days=[date(2026, 3, 2)], code="Z")
    out = school.parent / "klas.md"
    assert cli.main(["classes", "--db", str(school), "--today", "2026-03-13", "--class", "3lat",
                     "--format", "md", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    with Database.open(school, read_only=True) as db:
        pupils = db.conn.execute("SELECT class, last_name, first_name FROM pupils WHERE pupil_id IS NOT NULL").fetchall()
    for klas, last, first in pupils:
        if "HYPERLINK" in last:
            continue
        assert (f"| {last} {first} |" in text) == (klas == "3LAT"), (klas, last, first)
    assert "\\<b>\\[/\\]" in text and "<b>" not in text.replace("\\<b>", "")
    assert "## Alle afwezigheden" in text
    # the same as records for a spreadsheet: no formula, only 3LAT
    csv_out = school.parent / "klas.csv"
    assert cli.main(["classes", "--db", str(school), "--today", "2026-03-13", "--class", "3LAT",
                     "--format", "csv", "-o", str(csv_out)]) == 0
    records = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8"))))
    assert records and {r["klas"] for r in records} == {"3LAT"}
    hostile_rows = [r for r in records if r["leerling_id"] == "T-666"]
    assert [r["naam"] for r in hostile_rows] == ["'=HYPERLINK(\"x\")"] * 2
    assert cli.main(["classes", "--db", str(school), "--class", "9Z"]) == 1
    assert "9Z" in capsys.readouterr().err


async def test_classes_screen_from_the_list(school):
    from tests.test_app import make_app, settle, start_meeting

    add_absences(school, NEWCOMERS)
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "ClassesScreen"
        table = screen.query_one("#classes-table")
        assert [r.class_ for r in screen.rows][:3] == ["1A", "1B", "1C"]
        lat = [r.class_ for r in screen.rows].index("3LAT")
        assert str(table.get_row_at(lat)[7]) == "26/01–06/02: 3 lln"
        table.move_cursor(row=lat)
        await pilot.pause()
        detail = str(screen.query_one("#classes-detail").visual.plain)
        assert "Samen stijgend 26/01 – 06/02" in detail and "Vanderzwaan Lotte: B-code" in detail
        assert "Vanderzwaan Lotte: 12 halve dagen" in detail
        await pilot.press("v")   # privacy: initials only
        await pilot.pause()
        detail = str(screen.query_one("#classes-detail").visual.plain)
        assert "Vanderzwaan" not in detail and "L.V.: 12 halve dagen" in detail
        await pilot.press("e")
        await settle(app, pilot)
        written = list((school.parent / "overzichten").glob("klas-3LAT-*.html"))
        assert len(written) == 1 and "Lotte" in written[0].read_text(encoding="utf-8")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "AgendaScreen"


def test_empty_database_says_so(tmp_path, capsys):
    path = tmp_path / "leeg.duckdb"
    Database.open(path).close()
    assert cli.main(["classes", "--db", str(path), "--today", "2026-03-13"]) == 0
    assert "Nog geen leerlingen" in capsys.readouterr().out
    assert cli.main(["classes", "--db", str(path), "--class", "1A"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "importeer eerst" in err
    assert cli.main(["classes", "--db", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
