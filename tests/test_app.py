"""Pilot tests: the meeting from the priority list to the minutes on disk, and resuming."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from zorgoverleg.app import ZorgoverlegApp
from zorgoverleg.config import load_config
from zorgoverleg.minutes import minutes_dir

TODAY = date(2026, 3, 13)


def make_app(db_path: Path, **kwargs) -> ZorgoverlegApp:
    return ZorgoverlegApp(db_path, load_config(), TODAY, clock=False, **kwargs)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def start_meeting(app, pilot, present: str = "An, Leerlingbegeleider\nBert, CLB") -> None:
    await settle(app, pilot)
    assert type(app.screen).__name__ == "StartScreen"
    app.screen.query_one("#start-present").text = present
    await pilot.press("ctrl+s")
    await settle(app, pilot)


def minutes_on_disk(db_path: Path) -> dict:
    files = sorted(minutes_dir(db_path).glob("*.toml"))
    assert len(files) == 1, files
    return tomllib.loads(files[0].read_text("utf-8"))


async def test_list_is_in_priority_order_and_filters(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        agenda = app.screen
        assert [r.rank for r in agenda.shown] == list(range(1, len(agenda.shown) + 1))
        assert agenda.shown[0].score >= agenda.shown[-1].score
        await pilot.press("slash", *"3STW")
        await pilot.pause()
        assert agenda.shown and all(r.class_ == "3STW" for r in agenda.shown)
        await pilot.press("escape")
        await pilot.press("slash", *"lange ziekte")
        await pilot.pause()
        assert [r.pupil_id for r in agenda.shown] == ["001005"]


async def test_privacy_mode_shows_initials(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        table = app.screen.query_one("#agenda-table")
        first = app.screen.shown[0]
        full = f"{first.last_name} {first.first_name}"
        assert table.cell(0, "name") == full
        await pilot.press("v")
        await pilot.pause()
        shown = table.cell(0, "name")
        assert shown != full and first.first_name not in shown and shown.endswith(".")


async def test_walk_roles_and_decide_writes_minutes(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        first = app.screen.shown[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PupilScreen"
        # roles: Ouders is the second role
        await pilot.press("2")
        await pilot.press("down", "enter")
        await pilot.press(*"Ouders willen helpen")
        await pilot.press("tab", *"Moeder belt elke ochtend")
        await pilot.press("escape")  # back to the role list
        await pilot.press("down", "space")  # Klasgenoot not involved
        # decisions
        await pilot.press("3")
        await pilot.press(*"An", "tab", *"telefoon")
        screen = app.screen
        screen.query_one("#d-phase").value = 1
        screen.query_one("#esc-clb_report").value = True
        screen.query_one("#a-what").focus()
        await pilot.press(*"Gesprek met ouders", "enter", *"An", "enter", *"2026-03-20", "enter")
        screen.query_one("#d-decisions").focus()
        await pilot.press(*"CLB meldt begeleidingsdossier aan")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.state.saver.flush()
    data = minutes_on_disk(school)
    assert data["meeting"]["date"] == TODAY
    assert data["meeting"]["present"][1] == {"name": "Bert", "role": "CLB"}
    pupil = data["pupils"][0]
    assert pupil["pupil_id"] == first.pupil_id
    assert pupil["signals"] == first.signal_ids()
    assert pupil["pivot"] == "An" and pupil["channel"] == "telefoon" and pupil["phase"] == 1
    assert pupil["next_review"] == date(2026, 4, 3)  # three weeks by default
    assert pupil["decisions"] == ["CLB meldt begeleidingsdossier aan"]
    assert "clb_report" in pupil["escalations"]
    roles = {r["role"]: r for r in pupil["roles"]}
    assert roles["Ouders"]["view"] == "Ouders willen helpen"
    assert roles["Ouders"]["doing"] == "Moeder belt elke ochtend"
    assert roles["Klasgenoot"]["involved"] is False
    [action] = pupil["actions"]
    assert len(action.pop("id")) == 6
    assert action == {"what": "Gesprek met ouders", "who": "An", "due": date(2026, 3, 20), "done": False,
                      "since": TODAY}


async def test_interrupted_meeting_resumes_with_what_was_typed(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        key = app.screen.pupil_key
        await pilot.press("2", "enter", *"Zegt dat school te druk is")
        await pilot.pause(1.6)  # the autosave runs about a second after the last key
        saved = minutes_on_disk(school)
        assert saved["pupils"][0]["roles"][0]["view"] == "Zegt dat school te druk is"
        app.state.saver.cancel()  # as if the terminal was closed: no final save
    second = make_app(school)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(second, pilot)
        assert type(second.screen).__name__ == "AgendaScreen"  # no start form: resumed
        assert second.state.resumed
        row = next(r for r in second.screen.shown if r.pupil_key == key)
        table = second.screen.query_one("#agenda-table")
        assert table.cell(table.row_index(row.pupil_key), "agenda") == "✓"
        second.screen.open_key(key)
        await settle(second, pilot)
        await pilot.press("2")
        await pilot.pause()
        assert second.screen.query_one("#role-view").text == "Zegt dat school te druk is"


async def test_jump_to_pupil_from_the_command_palette(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"001005")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PupilScreen"
        assert app.screen.row.pupil_id == "001005"


async def test_import_from_the_app_refuses_a_bad_file_and_keeps_working(school, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("leerling_id;naam;voornaam;datum;dagdeel;code\n1;A;B;01/10/2025;VM;K9\n", "utf-8")
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        before = len(app.all_pupils)
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(bad)
        await pilot.press("enter")
        await settle(app, pilot)
        result = str(app.screen.query_one("#import-result").render())
        assert "K9" in result and "regel 2" in result
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.all_pupils) == before


async def test_privacy_mode_hides_names_in_the_command_palette(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("v", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"Snaerkenhove")
        await pilot.pause(0.5)
        shown = " ".join(str(option.prompt) for option in app.screen.query_one("CommandList")._options)
        assert "S.S." in shown and "Snaerkenhove" not in shown


async def test_question_mark_lists_the_keys_in_dutch_and_keys_can_be_remapped(school):
    config = load_config()
    config.data["keys"] = {"privacy": "p"}
    app = ZorgoverlegApp(school, config, TODAY, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("#keys-text").render())
        assert "Zoeken" in text and "Privacy" in text and 'privacy = "p"' in text
        assert "Cursor" not in text  # no English widget internals
        listed, _, remapping = text.partition("Toetsen aanpassen")
        assert "clear_filter" not in listed and "(" not in listed.split("Altijd")[0]  # ids only where remapping is
        assert 'clear_filter = "escape"' in remapping
        await pilot.press("escape")
        await pilot.press("p")
        await pilot.pause()
        assert app.privacy is True
