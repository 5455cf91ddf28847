"""The app's import screen: unknown codes mapped once, by a choice per code (Pilot)."""

from __future__ import annotations

from textual.widgets import Button, Select

from tests.test_app import make_app, settle, start_meeting
from zorgoverleg.db import Database

HOSTILE = "[@click=app.quit] kamp [/]"


def _export(tmp_path, name="codes.csv", day="06/10/2025"):
    path = tmp_path / name
    path.write_text(
        "leerling_id;naam;voornaam;klas;datum;dagdeel;code;opmerking\n"
        f"777001;Nieuw;Nina;2A;{day};VM;K;{HOSTILE}\n"
        f"777001;Nieuw;Nina;2A;{day};NM;K;\n"
        f"777002;Ander;Ali;2A;{day};VM;°;\n", "utf-8")
    return path


async def test_unknown_codes_are_chosen_once_and_remembered(school, tmp_path):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(_export(tmp_path))
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        result = str(screen.query_one("#import-result").render())
        assert "'K' (2x, eerst op regel 2" in result and "°" in result
        labels = " ".join(str(w.render()) for w in screen.query(".code-label"))
        assert HOSTILE in labels  # the note is shown literally, never as markup
        button = screen.query_one("#import-with-codes", Button)
        assert button.disabled  # nothing imported while a code is unknown
        screen.query_one("#code-choice-0", Select).value = "P"
        await pilot.pause()
        assert button.disabled
        screen.query_one("#code-choice-1", Select).value = "geen"
        await pilot.pause()
        assert not button.disabled
        button.press()
        await settle(app, pilot)
        assert type(app.screen).__name__ != "ImportScreen"
        # a later file with the same codes is imported without asking again
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(_export(tmp_path, "later.csv", "07/10/2025"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "ImportScreen"
    with Database.open(school) as db:
        codes = dict(db.conn.execute("SELECT raw_code, code FROM code_map").fetchall())
        assert codes == {"K": "P", "°": ""}
        halfdays = db.conn.execute(
            "SELECT date, halfday, code FROM halfdays WHERE pupil_key = '777001' ORDER BY ALL").fetchall()
        assert [h[2] for h in halfdays] == ["P", "P", "P", "P"]
        assert db.conn.execute("SELECT count(*) FROM halfdays WHERE pupil_key = '777002'").fetchone() == (0,)


async def test_escape_without_choosing_imports_nothing(school, tmp_path):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(_export(tmp_path))
        await pilot.press("enter")
        await settle(app, pilot)
        app.screen.query_one("#code-choice-0", Select).value = "B"
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
    with Database.open(school) as db:
        assert db.conn.execute("SELECT count(*) FROM pupils WHERE pupil_key LIKE '7770%'").fetchone() == (0,)
        assert db.conn.execute("SELECT count(*) FROM code_map").fetchone() == (0,)
