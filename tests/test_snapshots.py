"""One snapshot per screen (fixed 'today', frozen timer, synthetic data).

Update after a deliberate change of the looks: pytest tests/test_snapshots.py --snapshot-update
(and look at the report first).
"""

from __future__ import annotations

import pytest

from tests.test_app import make_app, settle


@pytest.fixture
def snapshot_app(school):
    return make_app(school)


async def _steady(pilot):
    """No blinking cursor: a snapshot must not depend on when it is taken."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


async def _start(pilot):
    app = pilot.app
    await settle(app, pilot)
    app.screen.query_one("#start-present").text = "An, Leerlingbegeleider\nBert, CLB"
    await _steady(pilot)


async def _list(pilot):
    await _start(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot.app, pilot)


async def _pupil(pilot, tab: str = "1"):
    await _list(pilot)
    await pilot.press("enter")
    await settle(pilot.app, pilot)
    await pilot.press(tab)
    await _steady(pilot)


def test_start_screen(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=_start)


def test_list_screen(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=_list)


def test_list_screen_small_terminal(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_list)


def test_pupil_overview(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=_pupil)


def test_pupil_roles(snap_compare, snapshot_app):
    async def run(pilot):
        await _pupil(pilot, "2")
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=run)


def test_pupil_decisions(snap_compare, snapshot_app):
    async def run(pilot):
        await _pupil(pilot, "3")
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=run)


def test_classes_screen(snap_compare, snapshot_app):
    async def run(pilot):
        await _list(pilot)
        await pilot.press("k")
        await settle(pilot.app, pilot)
        await pilot.press("down", "down")   # 1C: two periods of rising together
        await pilot.pause()
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=run)
