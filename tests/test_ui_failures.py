"""A failure injected into each worker: the screen says so in one Dutch sentence and stays usable."""

from __future__ import annotations

import duckdb
import pytest
from textual.worker import WorkerFailed

import zorgoverleg.screens.agenda as agenda_screen
import zorgoverleg.screens.import_file as import_screen
import zorgoverleg.screens.pupil as pupil_screen
import zorgoverleg.startup as startup
from tests import test_app
from tests.test_app import make_app, minutes_on_disk, start_meeting


async def settle(app, pilot) -> None:
    """Wait for the workers; here a worker is meant to fail (Textual then raises WorkerFailed on waiting)."""
    for _ in range(2):
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass
        await pilot.pause()


@pytest.fixture(autouse=True)
def _failing_workers_are_expected(monkeypatch):
    monkeypatch.setattr(test_app, "settle", settle)


def broken(*args, **kwargs):
    raise duckdb.IOException("IO Error: could not read block 7")


def record_notifications(app) -> list[tuple[str, dict]]:
    calls: list[tuple[str, dict]] = []
    real = app.notify
    app.notify = lambda message, **kw: (calls.append((str(message), kw)), real(message, **kw))[1]
    return calls


async def test_list_load_failure_is_told_and_r_tries_again(school, monkeypatch):
    monkeypatch.setattr(startup, "list_view", broken)
    monkeypatch.setattr(agenda_screen, "list_view", broken)
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        status = str(app.screen.query_one("#agenda-status").render())
        assert "De prioriteitenlijst kon niet berekend worden" in status and "could not read block 7" in status
        monkeypatch.undo()
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.shown and "leerlingen met signalen" in str(app.screen.query_one("#agenda-status").render())


async def test_trends_failure_keeps_the_list_and_says_so(school, monkeypatch):
    monkeypatch.setattr(agenda_screen, "weekly_trends", broken)
    app = make_app(school)
    calls = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        assert app.screen.shown
        assert any("De trend per week kon niet berekend worden" in message for message, _ in calls), calls


async def test_pupil_detail_failure_is_shown_instead_of_loading_forever(school, monkeypatch):
    monkeypatch.setattr(pupil_screen, "pupil_detail", broken)
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        title = str(app.screen.query_one("#pupil-title").render())
        assert "De gegevens van deze leerling konden niet geladen worden" in title, title
        assert "wordt geladen" not in title
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "AgendaScreen"  # still usable


async def test_import_failure_is_told_and_the_form_stays(school, monkeypatch, tmp_path):
    monkeypatch.setattr(import_screen, "import_files", broken)
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(tmp_path / "export.csv")
        await pilot.press("enter")
        await settle(app, pilot)
        result = str(app.screen.query_one("#import-result").render())
        assert "Het importeren lukte niet" in result and "niets veranderd" in result, result
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "AgendaScreen"


@pytest.mark.parametrize("presses", [1, 3])
async def test_team_flag_write_failure_is_told_and_not_in_the_minutes(school, monkeypatch, presses):
    monkeypatch.setattr(pupil_screen, "set_flag", broken)
    app = make_app(school)
    calls = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot, "An, Leerlingbegeleider")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("4", *["space"] * presses)
        await settle(app, pilot)
        screen = app.screen
        assert screen.minutes.flags == []
        assert screen.query_one("#flag-parents_unreachable").value is False
        assert any("Het teamsignaal kon niet bewaard worden" in message for message, _ in calls), calls
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert app.state.saver.flush()
    assert not minutes_on_disk(school)["pupils"][0].get("flags")
