"""Two consecutive meetings: agreements carry over, ticking them done is saved,
review_due fires and clears, team flags feed the score, a broken file is reported."""

from __future__ import annotations

import tomllib
from datetime import date

from tests.test_app import make_app, settle, start_meeting
from zorgoverleg import minutes as m
from zorgoverleg.cli import main
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.history import index_minutes, set_flag
from zorgoverleg.signals import prioritised

FIRST = date(2026, 3, 13)
SECOND = date(2026, 3, 27)


def first_meeting(folder) -> m.Meeting:
    meeting = m.Meeting(date=FIRST, title="Zorgoverleg 2de graad",
                        present=[m.Attendee("An", "Leerlingbegeleider"), m.Attendee("Bert", "CLB")])
    pupil = meeting.ensure_pupil("001003", "Eltoëna De Drockie", "3STW", ["b_clb"])
    pupil.next_review = date(2026, 4, 3)
    pupil.pivot = "An"
    pupil.actions.append(m.Action("Huisbezoek plannen", "Bert", date(2026, 3, 20)))
    meeting.finished = True
    m.save(meeting, m.minutes_path(folder, FIRST, meeting.title))
    return meeting


def signal(db, today, pupil_id, sid):
    row = prioritised(db, today, load_config(), only_pupil=pupil_id)[0]
    return next((s for s in row.signals if s.id == sid), None)


def test_review_due_fires_for_an_overdue_agreement_and_a_due_review(school):
    folder = school.parent / "notulen"
    first_meeting(folder)
    with Database.open(school) as db:
        result = index_minutes(db, folder)
        assert (result.files, result.agreements, result.problems) == (1, 1, [])
        assert signal(db, date(2026, 3, 19), "001003", "review_due") is None  # nothing due yet
        due = signal(db, date(2026, 3, 23), "001003", "review_due")
        assert due is not None and "20/03" in due.detail  # the agreement is overdue
        assert signal(db, date(2026, 4, 3), "001003", "review_due") is not None


async def test_second_meeting_carries_over_and_ticks_done(school):
    folder = school.parent / "notulen"
    first_meeting(folder)
    app = make_app(school)
    app.today = SECOND
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert type(app.screen).__name__ == "StartScreen"  # the first meeting was finished
        assert app.screen.query_one("#start-present").text.startswith("An, Leerlingbegeleider")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = next(r for r in app.screen.shown if r.pupil_id == "001003")
        assert "review_due" in row.signal_ids()  # overdue agreement puts the pupil on the agenda
        app.screen.open_key(row.pupil_key)
        await settle(app, pilot)
        actions = app.screen.minutes.actions
        assert [(a.what, a.since, a.done) for a in actions] == [("Huisbezoek plannen", FIRST, False)]
        await pilot.press("3")
        app.screen.query_one("#d-actions").focus()
        await pilot.press("space")
        await pilot.press("escape", "escape")
        assert app.state.saver.flush()
        second_file = app.state.path
    data = tomllib.loads(second_file.read_text("utf-8"))
    action = data["pupils"][0]["actions"][0]
    first_id = tomllib.loads(next(folder.glob("2026-03-13-*.toml")).read_text("utf-8"))["pupils"][0]["actions"][0]["id"]
    assert action == {"id": first_id, "what": "Huisbezoek plannen", "who": "Bert", "due": date(2026, 3, 20),
                      "done": True, "since": FIRST}
    with Database.open(school) as db:
        index_minutes(db, folder)
        assert signal(db, SECOND, "001003", "review_due") is None  # done, and reviewed today
        assert signal(db, date(2026, 4, 3), "001003", "review_due") is None  # next review is later now
        assert signal(db, date(2026, 4, 17), "001003", "review_due") is not None


def test_team_flags_raise_the_score_and_say_who(school):
    config = load_config()
    with Database.open(school) as db:
        before = prioritised(db, FIRST, config, only_pupil="001002")[0]
        set_flag(db, "001002", "parents_unreachable", True, set_by="An", note="telefoon werkt niet")
        after = prioritised(db, FIRST, config, only_pupil="001002")[0]
        flag = next(s for s in after.signals if s.id == "team_flag")
        assert "ouders onbereikbaar" in flag.detail and "An" in flag.detail
        assert after.score == before.score + config.flag_weight("parents_unreachable")
        set_flag(db, "001002", "parents_unreachable", False)
        assert "team_flag" not in prioritised(db, FIRST, config, only_pupil="001002")[0].signal_ids()


def test_a_broken_minutes_file_is_reported_and_the_rest_still_counts(school, capsys):
    folder = school.parent / "notulen"
    first_meeting(folder)
    (folder / "2026-03-20-kapot.toml").write_text(
        '[meeting]\ndate = 2026-03-20\n[[pupils]]\npupil_id = "001001"\nnext_review = "volgende week"\n', "utf-8")
    with Database.open(school) as db:
        result = index_minutes(db, folder)
    assert result.files == 1 and len(result.problems) == 1
    assert "2026-03-20-kapot.toml" in result.problems[0] and "next_review" in result.problems[0]
    code = main(["list", "--db", str(school), "--today", "2026-04-03", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0
    assert "kapot.toml" in captured.err and "Traceback" not in captured.err
    assert '"review_due"' in captured.out


async def test_export_from_the_app_writes_markdown_and_html(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot, "An, Leerlingbegeleider")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("3", *"An")
        await pilot.press("escape", "escape")
        app.action_export()
        path = app.state.path
        name = app.state.meeting.pupils[0].name
    markdown = path.with_suffix(".md").read_text("utf-8")
    assert name in markdown and "Spilfiguur" in markdown
    assert path.with_suffix(".html").stat().st_mode & 0o777 == 0o600


async def test_team_flags_set_in_the_app_are_stored_and_recorded(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot, "An, Leerlingbegeleider")
        key = app.screen.shown[0].pupil_key
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("4")  # focus on the first flag: parents unreachable
        await pilot.press("space", "space", "space")  # on, off, on: quick toggles must not race
        await settle(app, pilot)
        assert [f.flag for f in app.screen.minutes.flags] == ["parents_unreachable"]
        assert app.screen.minutes.flags[0].set_by == "An"
        await pilot.press("escape", "escape")  # leave the checkbox, then the pupil
        await settle(app, pilot)
        row = next(r for r in app.screen.rows if r.pupil_key == key)
        assert "team_flag" in row.signal_ids()  # the list was recomputed with the flag
        assert app.state.saver.flush()
        path = app.state.path
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["pupils"][0]["flags"][0]["flag"] == "parents_unreachable"
