"""Text from an export, a minutes file or the keyboard is data: never markup, never terminal control.

Each test failed before issue 9 (a crash, a traceback, eaten text, a raw escape sequence or a formula).
"""

from __future__ import annotations

import csv
import io
import tomllib
from datetime import date

import pytest
from textual.geometry import Region

from tests.conftest import dmy, school_days, write_csv
from tests.test_app import make_app, minutes_on_disk, settle, start_meeting
from zorgoverleg import cli
from zorgoverleg import minutes as m
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import import_files

MARKUP = ("999001", "[@click=app.quit]", "Jan [/foo]")
CONTROL = ("999002", "Ev\x1b]0;pwned\x07il", "\u202eabc\x1b[2K")
FORMULA = ("999003", '=HYPERLINK("http://example.invalid")', "Piet")
RAW = ("\x1b", "\x07", "\u202e")


@pytest.fixture
def hostile(school, tmp_path):
    """The demo school plus three pupils with hostile names, each with eight B half-days."""
    rows = [[pid, last, first, "1A", dmy(day), "VM", "B", ""]
            for pid, last, first in (MARKUP, CONTROL, FORMULA)
            for day in school_days(date(2026, 2, 2), date(2026, 3, 6))[:8]]
    with Database.open(school) as db:
        import_files(db, [write_csv(tmp_path / "hostile.csv", rows)], load_config())
    return school


def rendered(widget) -> str:
    """What the widget sends to the terminal, as text."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join("".join(segment.text for segment in strip) for strip in widget.render_lines(region))


def key_of(app, pupil_id: str) -> str:
    return app.db.conn.execute("SELECT pupil_key FROM pupils WHERE pupil_id = ?", [pupil_id]).fetchone()[0]


async def test_a_pivot_typed_with_markup_lands_verbatim_in_the_minutes(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("3", *"Jan [/CLB]")
        await pilot.pause()
        assert "spilfiguur Jan [/CLB]" in rendered(app.screen.query_one("#pupil-title"))
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.state.saver.flush()
    assert minutes_on_disk(school)["pupils"][0]["pivot"] == "Jan [/CLB]"


async def test_a_name_with_markup_opens_and_is_shown_literally_not_honoured(hostile):
    app = make_app(hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        table = app.screen.query_one("#agenda-table")
        assert "[@click=app.quit] Jan [/foo]" in [str(table.get_row(r.pupil_key)[2]) for r in app.screen.shown]
        app.screen.open_key(key_of(app, "999001"))
        await settle(app, pilot)
        title = app.screen.query_one("#pupil-title")
        assert "Jan [/foo] [@click=app.quit]" in rendered(title)
        await pilot.click("#pupil-title")  # an honoured @click would quit the app
        await pilot.pause()
        assert app.is_running and type(app.screen).__name__ == "PupilScreen"
        assert "[@click=app.quit]" in app.screen.query_one("PupilOverview").plain_text()
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"999001")
        await pilot.pause(0.5)
        shown = " ".join(str(option.prompt) for option in app.screen.query_one("CommandList")._options)
        assert "[@click=app.quit] Jan [/foo]" in shown


async def test_control_and_bidi_characters_never_reach_the_terminal(hostile):
    app = make_app(hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        table_text = rendered(app.screen.query_one("#agenda-table"))
        assert "Ev␛]0;pwned␇il" in table_text
        app.screen.open_key(key_of(app, "999002"))
        await settle(app, pilot)
        title = rendered(app.screen.query_one("#pupil-title"))
        overview = rendered(app.screen.query_one("#po-header"))
        assert "<U+202E>abc␛[2K" in title
        for text in (table_text, title, overview):
            assert not any(char in text for char in RAW), repr(text)


async def test_the_refused_unknown_code_message_shows_codes_literally(school, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("leerling_id;naam;voornaam;datum;dagdeel;code\n1;A;B;01/10/2025;VM;K9\n", "utf-8")
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(bad)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "onder [codes] in" in str(app.screen.query_one("#import-result").render())


def test_list_table_prints_hostile_names_without_traceback(hostile, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert cli.main(["list", "--db", str(hostile), "--today", "2026-03-13", "--format", "table"]) == 0
    captured = capsys.readouterr()
    assert "[@click=app.quit] Jan [/foo]" in captured.out
    assert "Ev␛]0;pwned␇il" in captured.out
    assert not any(char in captured.out for char in RAW) and "Traceback" not in captured.err


def test_list_csv_never_starts_a_cell_with_a_formula(hostile, capsys):
    assert cli.main(["list", "--db", str(hostile), "--today", "2026-03-13", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = {row[1]: row for row in csv.reader(io.StringIO(out))}
    assert rows["999003"][2] == "'" + FORMULA[1]
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in rows.values() for cell in row)
    assert not any(char in out for char in RAW)


DEEP = "[meeting]\ndate = 2026-03-02\n" + "a = " + "[" * 600 + "]" * 600 + "\n"


def test_deeply_nested_minutes_give_one_sentence_in_list(school, capsys):
    folder = school.parent / "notulen"
    folder.mkdir()
    (folder / "2026-03-02-diep\x1b[2J.toml").write_text(DEEP, "utf-8")
    assert cli.main(["list", "--db", str(school), "--today", "2026-03-13", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "te diep genest" in err and "diep␛[2J.toml" in err
    assert "\x1b" not in err


async def test_deeply_nested_minutes_do_not_stop_the_app(school):
    folder = school.parent / "notulen"
    folder.mkdir()
    (folder / "2026-03-13-diep.toml").write_text(DEEP.replace("2026-03-02", "2026-03-13"), "utf-8")
    app = make_app(school)
    calls: list[str] = []
    real = app.notify
    app.notify = lambda message, **kw: (calls.append(str(message)), real(message, **kw))[1]
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        assert type(app.screen).__name__ == "AgendaScreen" and app.screen.shown
    assert any("2026-03-13-diep.toml" in message and "te diep genest" in message for message in calls), calls


def test_export_into_a_missing_folder_refuses_and_creates_nothing(tmp_path, capsys):
    source = tmp_path / "2026-03-13-zorgoverleg.toml"
    m.save(m.Meeting(date=date(2026, 3, 13), title="Zorgoverleg"), source)
    target = tmp_path / "bestaat-niet" / "dir" / "x.md"
    assert cli.main(["export", str(source), "-o", str(target)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "bestaat niet" in err and err.endswith(".")
    assert not (tmp_path / "bestaat-niet").exists()
    assert tomllib.loads(source.read_text("utf-8"))["meeting"]["title"] == "Zorgoverleg"



async def test_control_characters_in_notes_are_shown_as_placeholders_in_text_areas(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        app.screen.minutes.roles[0].view = "Zegt\x1b[2J niets\u202e"  # as read back from a minutes file
        app.screen.minutes.decisions = ["Bellen\x07"]
        await pilot.press("2")
        app.screen.query_one("RolesTab").select_role(0)
        app.screen.query_one("DecisionsTab").show(app.screen.minutes, [])
        await pilot.pause()
        for selector in ("#role-view", "#d-decisions"):
            text = rendered(app.screen.query_one(selector))
            assert not any(char in text for char in RAW), (selector, repr(text))
        assert "Zegt␛[2J niets" in rendered(app.screen.query_one("#role-view"))
