"""The core of the dossier across meetings (no Textual): Dutch dates, agreements with stable ids,
what stands from last time, what changed, discussed-means-discussed, closing, the minutes folder
of a database and its lock, and the meeting's day in everything a meeting records."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from zorgoverleg import minutes as m
from zorgoverleg.dates import DateError, format_date, parse_date
from zorgoverleg.db import Database
from zorgoverleg.dossier import Archive, changes, previous_for
from zorgoverleg.history import active_flags, index_minutes, set_flag
from zorgoverleg.meeting import ClosedError, MeetingState
from zorgoverleg.minutes_io import (
    CLAIM_NAME,
    LOCK_NAME,
    LockError,
    MinutesLock,
    latest_of_day,
    load,
    minutes_dir,
    minutes_path,
    save,
)

FIRST = date(2026, 3, 13)
SECOND = date(2026, 4, 3)


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("typed, expected", [
    ("27/03/2026", date(2026, 3, 27)),
    ("2/4/2026", date(2026, 4, 2)),
    ("2/4", date(2026, 4, 2)),            # the meeting's school year: spring of 2026
    ("20/10", date(2025, 10, 20)),        # ... and autumn of 2025
    ("27-03-2026", date(2026, 3, 27)),
    ("2026-03-27", date(2026, 3, 27)),
    ("  2.4.26 ", date(2026, 4, 2)),
    ("31/8", date(2026, 8, 31)),
    ("1/9", date(2025, 9, 1)),
])
def test_dates_in_every_flemish_form(typed, expected):
    assert parse_date(typed, FIRST) == expected
    assert format_date(expected) == f"{expected:%d/%m/%Y}"


@pytest.mark.parametrize("typed, words", [
    ("31/02/2026", "februari 2026 heeft geen dag 31"),
    ("13/13/2026", "12 maanden"),
    ("volgende week", "‘volgende week’ is geen datum"),
    ("", "Vul een datum in"),
])
def test_a_wrong_date_is_one_dutch_sentence(typed, words):
    with pytest.raises(DateError) as info:
        parse_date(typed, FIRST)
    message = str(info.value)
    assert words in message and "13/03/2026" in message
    assert message.endswith(".") and message.count(". ") == 0 and "\n" not in message


# --------------------------------------------------------------------------- helpers

def first_meeting(folder, *, day=FIRST, finished=True) -> m.Meeting:
    meeting = m.Meeting(date=day, title="Zorgoverleg", present=[m.Attendee("An", "Leerlingbegeleider")],
                        finished=finished)
    pupil = meeting.ensure_pupil("001003", "Eltoëna De Drockie", "3STW", ["b_clb"])
    pupil.pivot, pupil.channel, pupil.phase = "An Peeters", "telefoon", 1
    pupil.escalations = ["clb_report"]
    pupil.decisions = ["Gesprek met de ouders"]
    pupil.roles[1].view = "Bezorgd"
    pupil.roles.append(m.RoleNote("Huisarts", can_do="Attest bekijken"))
    meeting.add_action(pupil, "Huisbezoek plannen", "Bert", date(2026, 3, 20))
    done = meeting.add_action(pupil, "Ouders bellen", "An", date(2026, 3, 16))
    done.done = True
    save(meeting, minutes_path(folder, day, meeting.title))
    return meeting


def row(pupil_id="001003", name="Eltoëna De Drockie", klas="3STW", signals=("b_clb",)):
    return SimpleNamespace(pupil_id=pupil_id, pupil_key=pupil_id, name=name, class_=klas,
                           signals=[SimpleNamespace(id=s) for s in signals])


# --------------------------------------------------------------------------- the dossier

def test_the_next_meeting_starts_from_what_stands(tmp_path):
    first = first_meeting(tmp_path)
    state = MeetingState.start(tmp_path, SECOND, "Zorgoverleg", [])
    draft = state.open_pupil(row(signals=("b_clb", "velocity")))
    before = first.pupils[0]
    assert (draft.pivot, draft.channel, draft.phase) == ("An Peeters", "telefoon", 1)
    assert draft.escalations == ["clb_report"] and draft.decisions == ["Gesprek met de ouders"]
    assert draft.roles[1].view == "Bezorgd" and draft.role("Huisarts").can_do == "Attest bekijken"
    assert draft.signals == ["b_clb", "velocity"]  # the signals as they stand now
    # The open agreement comes along with its id and first day; the done one stays in the history.
    assert [(a.id, a.what, a.since, a.done) for a in draft.actions] == [
        (before.actions[0].id, "Huisbezoek plannen", FIRST, False)]
    assert state.dossier("001003").noted == FIRST
    assert state.dossier("001009").noted is None


def test_opening_leaves_no_trace_and_typing_enters_the_minutes(tmp_path):
    first_meeting(tmp_path)
    state = MeetingState.start(tmp_path, SECOND, "Zorgoverleg", [])
    draft = state.open_pupil(row())
    state.save_now()
    assert "pupils" not in tomllib.loads(state.path.read_text("utf-8"))
    assert state.discussed_ids() == set()
    draft.roles[0].view = "Wil terug naar school"
    state.touch(draft)
    assert state.saver.flush()
    data = tomllib.loads(state.path.read_text("utf-8"))
    [pupil] = data["pupils"]
    assert pupil["pivot"] == "An Peeters" and pupil["phase"] == 1  # what stands now, confirmed
    assert pupil["roles"][0]["view"] == "Wil terug naar school"
    assert pupil["started_at"].date() == SECOND  # the meeting's day, not the real clock
    assert state.typed_anything("001003")


def test_marking_and_unmarking(tmp_path):
    first_meeting(tmp_path)
    state = MeetingState.start(tmp_path, SECOND, "Zorgoverleg", [])
    draft = state.open_pupil(row())
    state.mark(draft)
    assert state.is_discussed("001003") and not state.typed_anything("001003")
    assert tomllib.loads(state.path.read_text("utf-8"))["pupils"][0]["pivot"] == "An Peeters"
    fresh = state.unmark("001003")
    assert fresh is not None and fresh.pivot == "An Peeters"
    assert "pupils" not in tomllib.loads(state.path.read_text("utf-8"))
    assert state.open_pupil(row()) is fresh


def test_an_edited_agreement_keeps_its_id_and_a_deleted_one_stays_gone(tmp_path, school):
    folder = minutes_dir(school)
    first = first_meeting(folder)
    kept_id = first.pupils[0].actions[0].id
    second = MeetingState.start(folder, SECOND, "Zorgoverleg", [])
    draft = second.open_pupil(row())
    draft.actions[0].what = "Huisbezoek plannen met CLB"          # edited: same id
    draft.actions[0].due = date(2026, 4, 10)
    extra = second.meeting.add_action(draft, "Terugkeergesprek", "An")
    second.touch(draft)
    second.close()
    data = tomllib.loads(second.path.read_text("utf-8"))
    actions = data["pupils"][0]["actions"]
    assert [(a["id"], a["what"], a["since"]) for a in actions] == [
        (kept_id, "Huisbezoek plannen met CLB", FIRST), (extra.id, "Terugkeergesprek", SECOND)]
    with Database.open(school) as db:
        index_minutes(db, folder)
        rows = db.conn.execute("SELECT what, meeting_date FROM agreements ORDER BY what").fetchall()
    # One record per agreement (by id, not by text): the edit does not leave the old text behind.
    assert rows == [("Huisbezoek plannen met CLB", FIRST), ("Ouders bellen", FIRST), ("Terugkeergesprek", SECOND)]

    # A third meeting deletes the edited agreement: it is not carried over again, nor indexed.
    third = MeetingState.start(folder, date(2026, 4, 24), "Zorgoverleg", [])
    draft = third.open_pupil(row())
    assert [a.id for a in draft.actions] == [kept_id, extra.id]
    draft.delete_action(kept_id)
    third.touch(draft)
    assert third.saver.flush()
    assert tomllib.loads(third.path.read_text("utf-8"))["pupils"][0]["deleted_actions"] == [kept_id]
    third.close()
    fourth = MeetingState.start(folder, date(2026, 5, 15), "Zorgoverleg", [])
    assert [a.id for a in fourth.open_pupil(row()).actions] == [extra.id]
    with Database.open(school) as db:
        index_minutes(db, folder)
        assert "Huisbezoek plannen met CLB" not in {w for (w,) in db.conn.execute("SELECT what FROM agreements").fetchall()}


def test_history_lists_every_earlier_meeting_newest_first(tmp_path):
    first_meeting(tmp_path, day=date(2026, 2, 13))
    first_meeting(tmp_path, day=FIRST)
    later = m.Meeting(date=date(2026, 5, 1), title="Later")
    later.ensure_pupil("001003")
    save(later, minutes_path(tmp_path, later.date, later.title))
    archive = Archive(tmp_path, SECOND)
    assert [e.date for e in archive.history("001003")] == [FIRST, date(2026, 2, 13)]  # not after the day
    assert archive.history("001003")[0].meeting.present[0].name == "An"


def test_changes_since_last_time():
    before = m.Meeting(FIRST).ensure_pupil("1")
    before.pivot, before.phase, before.escalations = "An", 1, ["clb_report"]
    before.roles[1].view = "Bezorgd"
    kept = m.Action("Huisbezoek", "Bert", date(2026, 3, 20), since=FIRST)
    gone = m.Action("Brief sturen", "An", since=FIRST)
    before.actions = [kept, gone]
    after = before.copy()
    after.pivot, after.phase, after.escalations = "Bert", 2, ["police"]
    after.roles[1].view = "Opgelucht"
    after.actions = [m.Action("Huisbezoek met CLB", "Bert", date(2026, 3, 20), True, FIRST, kept.id),
                     m.Action("Terugkeergesprek", "An", since=SECOND)]
    lines = changes(before, after)
    assert "Spilfiguur: Bert (was An)" in lines
    assert "Fase: 2 (Uitbreiding van zorg) (was 1 (Verhoogde zorg))" in lines
    assert "Escalatie erbij: Politie (lokale afspraak)" in lines
    assert "Escalatie niet meer nodig: Melding aan het CLB" in lines
    assert "Ouders: kijk op de situatie aangepast" in lines
    assert any(line.startswith("Afspraak aangepast: ‘Huisbezoek met CLB’") for line in lines)
    assert any(line.startswith("Afspraak gedaan: ‘Huisbezoek met CLB’") for line in lines)
    assert "Nieuwe afspraak: ‘Terugkeergesprek’ (An)" in lines
    assert "Afspraak geschrapt: ‘Brief sturen’ (An)" in lines
    assert changes(None, after) == ["Eerste bespreking in het zorgoverleg."]
    assert changes(before, before.copy()) == []


def test_previous_for_finds_the_latest_earlier_minutes(tmp_path):
    first_meeting(tmp_path)
    state = MeetingState.start(tmp_path, SECOND, "Zorgoverleg", [])
    state.mark(state.open_pupil(row()))
    found = previous_for(state.path, state.meeting)
    assert found["001003"].date == FIRST


# --------------------------------------------------------------------------- closing

def test_closing_records_the_meetings_day_and_refuses_changes(tmp_path):
    state = MeetingState.start(tmp_path, FIRST, "Zorgoverleg", [])
    draft = state.open_pupil(row())
    assert state.finish(now=datetime(2026, 12, 1, 11, 30, 5))
    data = tomllib.loads(state.path.read_text("utf-8"))["meeting"]
    assert data["finished"] is True and data["finished_at"] == datetime(2026, 3, 13, 11, 30, 5)
    with pytest.raises(ClosedError):
        state.touch(draft)
    assert load(state.path).pupils == []
    resumed = MeetingState.resume_or_none(tmp_path, FIRST)
    assert resumed is not None and resumed.read_only  # the same day: shown read-only
    assert resumed.reopen()
    data = tomllib.loads(state.path.read_text("utf-8"))["meeting"]
    assert data["finished"] is False and "finished_at" not in data
    assert MeetingState.resume_or_none(tmp_path, SECOND) is None  # another day: a new meeting


def test_latest_of_day_prefers_the_unfinished_meeting(tmp_path):
    first_meeting(tmp_path)
    other = m.Meeting(FIRST, "Tweede ronde")
    save(other, minutes_path(tmp_path, FIRST, other.title))
    assert latest_of_day(tmp_path, FIRST).name == "2026-03-13-tweede-ronde.toml"
    assert latest_of_day(tmp_path, SECOND) is None


# --------------------------------------------------------------------------- the meeting's day

def test_a_team_flag_takes_the_meetings_day(school):
    with Database.open(school) as db:
        set_flag(db, "001002", "parents_unreachable", True, set_by="An", set_at=FIRST)
        [flag] = active_flags(db, "001002")
    assert flag.set_at == FIRST


# --------------------------------------------------------------------------- folder and lock

def test_each_database_has_its_own_minutes_folder(tmp_path):
    assert minutes_dir(tmp_path / "school.duckdb") == tmp_path / "school-notulen"
    assert minutes_dir(tmp_path / "andere.duckdb") == tmp_path / "andere-notulen"


def test_an_older_shared_notulen_folder_stays_with_the_first_database(tmp_path):
    legacy = tmp_path / "notulen"
    first_meeting(legacy)
    assert minutes_dir(tmp_path / "school.duckdb") == legacy
    assert (legacy / CLAIM_NAME).read_text("utf-8").strip() == "school.duckdb"
    assert minutes_dir(tmp_path / "school.duckdb") == legacy
    assert minutes_dir(tmp_path / "andere.duckdb") == tmp_path / "andere-notulen"
    # An empty notulen/ is nobody's.
    empty = tmp_path / "elders"
    (empty / "notulen").mkdir(parents=True)
    assert minutes_dir(empty / "x.duckdb") == empty / "x-notulen"


def test_the_lock_refuses_a_second_app_and_is_released(tmp_path):
    first = MinutesLock(tmp_path)
    first.acquire()
    assert (tmp_path / LOCK_NAME).stat().st_mode & 0o777 == 0o600
    with pytest.raises(LockError) as info:
        MinutesLock(tmp_path).acquire()
    message = str(info.value)
    assert f"proces {os.getpid()}" in message and str(tmp_path) in message and "\n" not in message
    first.release()
    assert not (tmp_path / LOCK_NAME).exists()
    with MinutesLock(tmp_path):
        assert (tmp_path / LOCK_NAME).exists()
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_lock_left_by_a_crash_is_stale(tmp_path):
    # A process that took the lock and died without releasing it.
    code = ("import sys; from pathlib import Path; from zorgoverleg.minutes_io import MinutesLock; "
            "MinutesLock(Path(sys.argv[1])).acquire()")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    assert (tmp_path / LOCK_NAME).exists()
    lock = MinutesLock(tmp_path)
    lock.acquire()  # the process is gone: taken over
    assert f"pid = {os.getpid()}" in (tmp_path / LOCK_NAME).read_text("utf-8")
    lock.release()


def test_the_export_shows_what_changed_since_the_previous_meeting(tmp_path):
    from zorgoverleg.export import export_file

    first_meeting(tmp_path)
    state = MeetingState.start(tmp_path, SECOND, "Zorgoverleg", [])
    draft = state.open_pupil(row())
    draft.pivot, draft.phase = "Bert", 2
    draft.actions[0].done = True
    state.touch(draft)
    other = state.open_pupil(row("001009", "Nieuw Kind", "1A"))
    state.mark(other)
    state.close()
    for fmt in ("md", "html"):
        text = export_file(state.path, fmt).read_text("utf-8")
        assert "Wat veranderde sinds de vorige bespreking (13/03/2026)" in text
        assert "Spilfiguur: Bert (was An Peeters)" in text
        assert "Afspraak gedaan: ‘Huisbezoek plannen’ (Bert), tegen 20/03/2026" in text
        assert text.count("Wat veranderde sinds") == 1  # not for the pupil discussed for the first time


def test_an_agreement_not_repeated_in_later_minutes_still_stands(tmp_path):
    # Minutes written by hand (or before the dossier) that do not repeat an open agreement do not delete it.
    first = first_meeting(tmp_path)
    later = m.Meeting(date(2026, 3, 27), title="Tussendoor")
    later.ensure_pupil("001003").pivot = "Bert"
    save(later, minutes_path(tmp_path, later.date, later.title))
    draft = MeetingState.start(tmp_path, SECOND, "Zorgoverleg", []).open_pupil(row())
    assert draft.pivot == "Bert"  # what stands comes from the latest meeting
    assert [a.id for a in draft.actions] == [first.pupils[0].actions[0].id]
