"""Pilot tests for issue 10, one per failure reproduced on `zorgoverleg demo`, each with assertions on
the minutes on disk: a key wiping the pivot, opening marking discussed, the next meeting forgetting,
dates, correcting agreements and the agenda, closing, focus, two databases in one folder, and the
meeting's day in what a meeting records."""

from __future__ import annotations

import os
import shutil
import socket
import tomllib
from datetime import date, datetime, timedelta

from textual.widgets import Checkbox, DataTable, Input, Select, TextArea

from tests.test_app import TODAY, make_app, settle, start_meeting
from zorgoverleg.minutes import minutes_dir
from zorgoverleg.minutes_io import LOCK_NAME, MinutesLock

NEXT = TODAY + timedelta(weeks=3)  # 3 April 2026: the next meeting


def on_disk(app) -> dict:
    assert app.state.saver.flush()
    return tomllib.loads(app.state.path.read_text("utf-8"))


async def open_first(app, pilot) -> str:
    await pilot.press("enter")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "PupilScreen"
    return app.screen.row.pupil_id


# 1 ------------------------------------------------------------------------------------------------
async def test_1_a_tab_key_does_not_wipe_the_pivot(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await open_first(app, pilot)
        await pilot.press("3", *"An Peeters", "escape", "1", "3", "1")
        await pilot.pause()
        pivot = app.screen.query_one("#d-pivot")
        assert pivot.selection.is_empty  # nothing selected on focus: the next key cannot replace it
        data = on_disk(app)
    # The name stays; the digit typed in the field is text, added where the cursor was.
    assert data["pupils"][0]["pivot"] == "An Peeters1"


# 2 ------------------------------------------------------------------------------------------------
async def test_2_opening_a_pupil_leaves_no_trace_and_marking_can_be_undone(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        agenda = app.screen
        key = agenda.shown[0].pupil_key
        await open_first(app, pilot)
        await pilot.pause(0.5)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "pupils" not in on_disk(app)
        assert "✓" not in str(agenda.query_one("#agenda-table").get_row(key)[1])
        # Marked discussed with a key: in the minutes, with a ✓; the same key takes it out again.
        await open_first(app, pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert [p["pupil_id"] for p in on_disk(app)["pupils"]] == [app.screen.row.pupil_id]
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert "pupils" not in on_disk(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "✓" not in str(agenda.query_one("#agenda-table").get_row(key)[1])


# 3 ------------------------------------------------------------------------------------------------
async def test_3_the_next_meeting_starts_from_what_stands(school):
    first = make_app(school)
    async with first.run_test(size=(120, 40)) as pilot:
        await start_meeting(first, pilot)
        pupil_id = await open_first(first, pilot)
        key = first.screen.pupil_key
        await pilot.press("3", *"An Peeters", "tab", *"telefoon")
        first.screen.query_one("#d-phase").value = 1
        first.screen.query_one("#esc-clb_report").value = True
        await pilot.press("escape", "2", "enter", *"Wil terug naar school")
        await pilot.press("escape", "escape")
        await settle(first, pilot)
        on_disk(first)
    second = make_app(school)
    second.today = NEXT
    async with second.run_test(size=(120, 40)) as pilot:
        await start_meeting(second, pilot)
        second.screen.open_key(key)
        await settle(second, pilot)
        screen = second.screen
        await pilot.press("3")
        await pilot.pause()
        assert screen.query_one("#d-pivot").value == "An Peeters"
        assert screen.query_one("#d-channel").value == "telefoon"
        assert screen.query_one("#d-phase").value == 1
        assert screen.query_one("#esc-clb_report").value is True
        assert "vorige keer, 13/03" in str(screen.query_one("#l-pivot").render())
        assert "Vorige keer, 13/03" in str(screen.query_one("#pupil-dossier").render())
        await pilot.press("escape", "2")  # out of the field first: there a digit is text
        await pilot.pause()
        assert screen.query_one("#role-view").text == "Wil terug naar school"
        await pilot.press("5")
        await pilot.pause()
        history = str(screen.query_one("#history-text").render())
        assert "13/03/2026" in history and "An Peeters" in history and "Wil terug naar school" in history
        # Confirmed as it stood: the new minutes hold what stands now.
        await pilot.press("ctrl+b")
        await pilot.pause()
        data = on_disk(second)
        second.action_export()
        markdown = second.state.path.with_suffix(".md").read_text("utf-8")
    [pupil] = data["pupils"]
    assert pupil["pupil_id"] == pupil_id and data["meeting"]["date"] == NEXT
    assert (pupil["pivot"], pupil["channel"], pupil["phase"]) == ("An Peeters", "telefoon", 1)
    assert pupil["escalations"] == ["clb_report"]
    assert pupil["roles"][0]["view"] == "Wil terug naar school"
    assert "An Peeters" in markdown and "Verhoogde zorg" in markdown


# 4 ------------------------------------------------------------------------------------------------
async def test_4_dates_in_the_flemish_way_and_a_sentence_for_a_wrong_one(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await open_first(app, pilot)
        screen = app.screen
        await pilot.press("3")
        review = screen.query_one("#d-review")
        review.focus()
        await pilot.press("ctrl+u", *"2/4/2026")
        await pilot.pause()
        assert on_disk(app)["pupils"][0]["next_review"] == date(2026, 4, 2)
        await pilot.press(*"7")
        await pilot.pause()
        error = str(screen.query_one("#d-review-error").render())
        assert "‘2/4/20267’ is geen datum" in error and "In de notulen staat 02/04/2026" in error
        assert review.value == "2/4/20267"  # the typed text stays in the field
        assert on_disk(app)["pupils"][0]["next_review"] == date(2026, 4, 2)  # and the minutes say which date holds
        await pilot.press("ctrl+u", *"31/2")
        await pilot.pause()
        assert "februari 2026 heeft geen dag 31" in str(screen.query_one("#d-review-error").render())
        await pilot.press("ctrl+u", *"3/4/26")
        await pilot.pause()
        assert str(screen.query_one("#d-review-error").render()) == ""
        assert on_disk(app)["pupils"][0]["next_review"] == date(2026, 4, 3)
        screen.query_one("#a-what").focus()
        await pilot.press(*"Terugkeergesprek", "enter", *"An", "enter", *"27/03/2026", "enter")
        await pilot.pause()
        screen.query_one("#a-what").focus()
        await pilot.press(*"Brief", "enter", *"Bert", "enter", *"3/4", "enter")
        await pilot.pause()
        actions = on_disk(app)["pupils"][0]["actions"]
    assert [(a["what"], a["due"]) for a in actions] == [("Terugkeergesprek", date(2026, 3, 27)),
                                                        ("Brief", date(2026, 4, 3))]


# 5 ------------------------------------------------------------------------------------------------
async def test_5_agreements_are_edited_and_deleted_and_the_agenda_key_works_on_every_row(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        agenda = app.screen
        table = agenda.query_one("#agenda-table")
        key = agenda.shown[0].pupil_key
        assert str(table.get_row(key)[1]) == "●"   # the top of the list is on the agenda
        await pilot.press("a")
        await pilot.pause()
        assert str(table.get_row(key)[1]) == ""    # taken off: visible at once
        await pilot.press("a")
        await pilot.pause()
        assert str(table.get_row(key)[1]) == "●"
        await open_first(app, pilot)
        screen = app.screen
        await pilot.press("3")
        screen.query_one("#a-what").focus()
        await pilot.press(*"Huisbzoek", "enter", *"Bert", "enter", *"20/03", "enter")
        await pilot.press(*"Brief sturen", "enter", *"An", "enter", "enter")
        await pilot.pause()
        first_id = on_disk(app)["pupils"][0]["actions"][0]["id"]
        actions = screen.query_one("#d-actions")
        actions.focus()
        actions.move_cursor(row=0)
        await pilot.press("enter")  # edit: into the form
        await pilot.pause()
        what = screen.query_one("#a-what")
        assert what.value == "Huisbzoek" and app.focused is what
        what.value = ""
        await pilot.press(*"Huisbezoek plannen", "enter")
        await pilot.pause()
        saved = on_disk(app)["pupils"][0]["actions"]
        assert (saved[0]["id"], saved[0]["what"], saved[0]["who"], saved[0]["due"]) == (
            first_id, "Huisbezoek plannen", "Bert", date(2026, 3, 20))
        actions.focus()
        actions.move_cursor(row=1)
        await pilot.press("delete")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("escape")  # not deleted
        await pilot.pause()
        assert len(on_disk(app)["pupils"][0]["actions"]) == 2
        actions.focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        saved = on_disk(app)["pupils"][0]["actions"]
    assert [(a["id"], a["what"]) for a in saved] == [(first_id, "Huisbezoek plannen")]


# 6 ------------------------------------------------------------------------------------------------
async def test_6_closing_asks_writes_the_exports_and_makes_the_meeting_read_only(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await open_first(app, pilot)
        await pilot.press("3", *"An")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Overleg afsluiten")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert not on_disk(app)["meeting"]["finished"]  # nothing happens before the answer
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "PupilScreen"
        assert "AFGESLOTEN" in app.sub_title and "AFGESLOTEN" in str(screen.query_one("#pupil-dossier").render())
        data = on_disk(app)
        assert data["meeting"]["finished"] is True and data["meeting"]["finished_at"].date() == TODAY
        path = app.state.path
        assert path.with_suffix(".md").exists() and path.with_suffix(".html").exists()
        before = path.read_text("utf-8")
        # Nothing lands in the closed minutes: the fields refuse focus and typing.
        assert screen.query_one("#d-pivot").disabled
        await pilot.press("3", *"Bert", "ctrl+b", "2", "enter", *"tekst")
        await pilot.pause()
        app.state.saver.flush()
        assert path.read_text("utf-8") == before
        # Reopening is an explicit command.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Overleg heropenen")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not screen.query_one("#d-pivot").disabled
        data = on_disk(app)
    assert data["meeting"]["finished"] is False and "finished_at" not in data["meeting"]
    assert data["pupils"][0]["pivot"] == "An"


# 7 ------------------------------------------------------------------------------------------------
async def test_7_tab_cycles_within_the_form_and_letters_stay_text(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await open_first(app, pilot)
        screen = app.screen
        await pilot.press("3")
        await pilot.pause()
        pane = screen.query_one("#decisions")
        fields = [w for w in screen.focus_chain if pane in w.ancestors
                  and isinstance(w, (Input, TextArea, Select, Checkbox, DataTable))]
        assert len(fields) == 13
        assert app.focused is screen.query_one("#d-pivot")
        for _ in range(len(fields)):  # once around the whole form
            await pilot.press("tab")
            assert pane in app.focused.ancestors
        assert app.focused is screen.query_one("#d-pivot")
        await pilot.press(*"v1")
        await pilot.pause()
        assert app.privacy is False and screen.query_one("#pupil-tabs").active == "decisions"
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#d-actions")  # backwards from the first: the last
        data = on_disk(app)
    assert data["pupils"][0]["pivot"] == "v1"


# 8 ------------------------------------------------------------------------------------------------
async def test_8_two_databases_in_one_folder_keep_their_own_minutes_and_a_second_app_is_refused(school):
    other = school.with_name("andere.duckdb")
    shutil.copy(school, other)
    first = make_app(school)
    async with first.run_test(size=(120, 40)) as pilot:
        await start_meeting(first, pilot)
        await open_first(first, pilot)
        await pilot.press("3", *"An")
        await pilot.press("escape", "escape")
        first_file = first.state.path
        first_text = on_disk(first)
    second = make_app(other)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(second, pilot)
        assert type(second.screen).__name__ == "StartScreen"  # not the other team's meeting
        await start_meeting(second, pilot)
        await open_first(second, pilot)
        await pilot.press("3", *"Bert")
        await pilot.press("escape", "escape")
        second_file = second.state.path
        on_disk(second)
    assert first_file.parent == minutes_dir(school) != second_file.parent == minutes_dir(other)
    assert tomllib.loads(first_file.read_text("utf-8")) == first_text
    # A second app on the same minutes is refused with one sentence, and nothing is written.
    held = MinutesLock(minutes_dir(school))
    held.acquire()
    try:
        third = make_app(school)
        async with third.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
        assert third.fatal_message is not None and "al geopend" in third.fatal_message
        assert "\n" not in third.fatal_message and third.return_code == 1
    finally:
        held.release()
    assert tomllib.loads(first_file.read_text("utf-8")) == first_text
    # A lock left behind by a crash (its process is gone) does not keep the team out.
    (minutes_dir(school) / LOCK_NAME).write_text(f"pid = 999999999\nhost = {socket.gethostname()}\n", "utf-8")
    fourth = make_app(school)
    async with fourth.run_test(size=(120, 40)) as pilot:
        await settle(fourth, pilot)
        assert fourth.fatal_message is None and fourth.state is not None
        assert f"pid = {os.getpid()}" in (minutes_dir(school) / LOCK_NAME).read_text("utf-8")
    assert not (minutes_dir(school) / LOCK_NAME).exists()  # released on exit


# 9 ------------------------------------------------------------------------------------------------
async def test_9_what_a_meeting_records_takes_the_meetings_day(school):
    assert datetime.now().date() != TODAY  # the real clock is elsewhere
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        agenda = app.screen
        key = agenda.shown[0].pupil_key
        await open_first(app, pilot)
        await pilot.press("4", "space")  # a team flag: parents unreachable
        await settle(app, pilot)
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        agenda.open_key(key)  # again: the flag now comes from the database
        await settle(app, pilot)
        screen = app.screen
        assert "13/03/2026" in str(screen.query_one("#flaginfo-parents_unreachable").render())
        await pilot.press("3", *"An")
        await pilot.pause()
        data = on_disk(app)
    pupil = data["pupils"][0]
    assert pupil["flags"][0]["set_at"] == TODAY
    assert pupil["started_at"].date() == TODAY
