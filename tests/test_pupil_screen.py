"""Pilot tests for the pupil screen's tab widgets (screens/pupil_tabs): keys, messages, robustness."""

from __future__ import annotations

from tests.test_app import TODAY, settle, start_meeting
from zorgoverleg.app import ZorgoverlegApp
from zorgoverleg.config import load_config
from zorgoverleg.screens.pupil_tabs import DecisionsTab, RolesTab


async def open_first_pupil(app, pilot) -> None:
    await start_meeting(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "PupilScreen"


async def test_space_bindings_are_remappable_and_listed_in_the_keys_panel(school):
    config = load_config()
    config.data["keys"] = {"involved": "i", "done": "g"}
    app = ZorgoverlegApp(school, config, TODAY, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_pupil(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        first = app.screen.minutes.roles[0]
        before = first.involved
        await pilot.press("i")
        await pilot.pause()
        assert first.involved is not before
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("#keys-text").render())
        assert "(involved)" in text and "Betrokken" in text
        await pilot.press("escape")
        await pilot.pause()
        # The agreements table: the remapped key ticks an agreement done.
        await pilot.press("3")
        screen = app.screen
        screen.query_one("#a-what").focus()
        await pilot.press(*"Bellen", "enter", *"An", "enter", "enter")
        await pilot.pause()
        assert [a.what for a in screen.minutes.actions][-1:] == ["Bellen"]
        screen.query_one("#d-actions").focus()
        await pilot.press("g")
        await pilot.pause()
        assert screen.minutes.actions[-1].done is True


async def test_filling_the_tabs_posts_no_changes(school):
    app = ZorgoverlegApp(school, load_config(), TODAY, clock=False)
    seen: list[object] = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await open_first_pupil(app, pilot)
        await settle(app, pilot)
        assert not [msg for msg in seen if isinstance(msg, (RolesTab.Changed, DecisionsTab.Changed))]
        await pilot.press("3", *"An")
        await pilot.pause()
        posted = {id(msg): msg.field for msg in seen if isinstance(msg, DecisionsTab.Changed)}  # once per hop
        assert list(posted.values()) == ["pivot", "pivot"]
