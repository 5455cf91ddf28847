"""The decision tab recommends escalations from the core's registry: police also when the team
marked the parents unreachable, whatever the B count, with that reason."""

from __future__ import annotations

from textual.widgets import Checkbox, Static

from tests.test_app import make_app, settle, start_meeting
from zorgoverleg.db import Database
from zorgoverleg.history import set_flag


def _text(widget: Static) -> str:
    visual = widget.visual
    return visual.plain if hasattr(visual, "plain") else str(visual)


async def _decisions_of(app, pilot, pupil_id: str) -> tuple[str, bool]:
    await start_meeting(app, pilot)
    app.screen.open_key(pupil_id)
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    text = _text(app.screen.query_one("#d-recommended", Static))
    police = app.screen.query_one("#esc-police", Checkbox).has_class("recommended")
    return text, police


async def test_police_is_recommended_by_the_parents_flag(school):
    # 001014 has 2 B half-days this year: far below the police agreement of 10
    with Database.open(school) as db:
        set_flag(db, "001014", "parents_unreachable", True, set_by="An")
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        text, police = await _decisions_of(app, pilot, "001014")
    assert police
    assert "Politie (lokale afspraak): de ouders zijn onbereikbaar" in text
    assert "los van het aantal B-codes" in text


async def test_no_police_without_the_flag_below_the_agreement(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        text, police = await _decisions_of(app, pilot, "001014")
    assert not police and "Politie" not in text
