"""zorgoverleg report: one pupil's absence overview (HTML for A4, Markdown), on the sample school."""

from __future__ import annotations

import re
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import TODAY, import_rows, school_days
from tests.test_since import AGREED, write_agreements
from zorgoverleg import cli
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.report import ReportError, report_text


def report(school: Path, *args: str, capsys) -> str:
    out = school.parent / "overzicht"
    assert cli.main(["report", *args, "--db", str(school), "--today", "2026-03-13", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    return out.read_text(encoding="utf-8")


def md_table(text: str, heading: str) -> list[list[str]]:
    part = text.split(f"## {heading}")[1].split("\n## ")[0]
    rows = [line for line in part.splitlines() if line.startswith("|")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows[2:]]


def test_report_holds_exactly_that_pupils_data(school, capsys):
    write_agreements(school, {"001005": AGREED, "001003": AGREED})
    text = report(school, "001005", "--format", "md", capsys=capsys)
    with Database.open(school, read_only=True) as db:
        pupils = db.conn.execute("SELECT pupil_id, first_name, last_name FROM pupils").fetchall()
        counts = db.conn.execute(
            "SELECT raw_code, count(*) FROM halfdays WHERE pupil_key = '001005' AND date <= DATE '2026-03-13' "
            "AND (absent OR late) GROUP BY ALL").fetchall()
    assert "Saneke Snaerkenhove" in text and "001005" in text
    for pupil_id, first, last in pupils:
        if pupil_id != "001005":
            assert f"{first} {last}" not in text and f"{last} {first}" not in text, (first, last)
            if pupil_id:
                assert pupil_id not in text, pupil_id
    # the counts per code are this pupil's, and the calendar shows each of those half-days once
    table = {row[0]: int(row[4]) for row in md_table(text, "Halve dagen per code")}
    assert table == {raw: n for raw, n in counts}
    calendar = md_table(text, "Kalender van het schooljaar")
    cells = [c for row in calendar for c in row[1:10]]
    assert {raw: cells.count(raw) for raw in table} == table
    assert len(calendar) == len({d - timedelta(days=d.weekday())
                                 for d in school_days(date(2025, 9, 1), TODAY)}) + 4   # + 4 holiday weeks
    # the weeks before and since the first agreement
    since = md_table(text, "Voor en sinds de eerste afspraak")
    assert since[0][1:] == ["3", "27", "27", "100%", "0"] and since[1][1:] == ["3", "27", "0", "0%", "0"]
    # absence data only: no agreements, no team signals
    assert "Ouders uitnodigen" not in text and "Opvolging" not in text and "Afspraken en beslissingen" not in text
    assert "Lange ziekte" in text and "TOAH" in text


def test_report_with_minutes_adds_agreements(school, capsys):
    write_agreements(school, {"001005": AGREED})
    text = report(school, "001005", "--with-minutes", capsys=capsys)
    assert text.startswith("<!doctype html>")
    assert "<h2>Afspraken en beslissingen</h2>" in text and "Ouders uitnodigen" in text
    assert "Zorgoverleg — 23/02/2026" in text
    assert 'counter(page) " van " counter(pages)' in text and not re.search(r"(src|href)\s*=", text)


def test_report_finds_an_id_without_leading_zeros(school, capsys):
    assert "Saneke Snaerkenhove" in report(school, "1005", capsys=capsys)


def test_report_refuses_unknown_pupil_and_missing_folder(school, capsys):
    assert cli.main(["report", "999999", "--db", str(school), "--today", "2026-03-13"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and "999999" in captured.err
    target = school.parent / "bestaat-niet" / "x.html"
    assert cli.main(["report", "001005", "--db", str(school), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "bestaat-niet" in err and "Traceback" not in err
    assert not target.parent.exists()
    assert cli.main(["report", "001005", "--db", str(school.parent / "geen.duckdb")]) == 1
    assert "databank niet gevonden" in capsys.readouterr().err


def test_report_escapes_hostile_names(db, tmp_path):
    days = school_days(date(2026, 1, 5), date(2026, 1, 9))
    rows = [("H-1", "<script>alert(1)</script>", "[/]=HYPERLINK(x)", "1A", f"{d:%d/%m/%Y}", "VM", "B", "")
            for d in days]
    import_rows(db, tmp_path, rows)
    _ref, page = report_text(db, "H-1", TODAY, load_config(), "html")
    assert "<script" not in page and "&lt;script&gt;" in page
    _ref, md = report_text(db, "H-1", TODAY, load_config(), "md")
    assert "\\<script>" in md and "\\[/\\]" in md
    with pytest.raises(ReportError):
        report_text(db, "H-2", TODAY, load_config(), "html")


async def test_report_from_the_pupil_screen(school):
    from tests.test_app import make_app, settle, start_meeting

    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("slash", *"lange ziekte", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PupilScreen"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Afwezigheidsoverzicht afdrukken")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        files = list((school.parent / "overzichten").glob("*.html"))
        assert [f.name for f in files] == ["afwezigheden-001005-2026-03-13.html"]
        assert "Saneke Snaerkenhove" in files[0].read_text(encoding="utf-8")
        assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
