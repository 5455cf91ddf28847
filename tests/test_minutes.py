"""Tests for zorgoverleg.minutes: TOML shape and round trip, atomic private files, errors, autosave."""

from __future__ import annotations

import os
import stat
import time
import tomllib
from datetime import date, datetime

import pytest

from zorgoverleg import autosave, minutes_io
from zorgoverleg import minutes as mn
from zorgoverleg.minutes import (
    ROLES,
    Action,
    Attendee,
    Autosaver,
    Meeting,
    MinutesError,
    RoleNote,
    from_toml,
    load,
    save,
    to_dict,
    to_toml,
)


def full_meeting(finished: bool = False, day: date = date(2026, 11, 22)) -> Meeting:
    """A meeting that uses every field, with awkward text."""
    m = Meeting(date=day, title="Zorgoverleg 2de graad",
                present=[Attendee("An", "Leerlingbegeleider"), Attendee("Bert", "CLB"),
                         Attendee("Zoë Çelik", "Graadcoördinator")],
                finished=finished)
    p = m.ensure_pupil("S-123", "Jan \"Jantje\" Peeters", "3B", ["b_clb", "velocity"])
    p.phase = 1
    p.pivot = "An"
    p.channel = "telefoon"
    p.next_review = date(2026, 12, 13)
    p.decisions = ["CLB meldt begeleidingsdossier aan", "Gesprek met ouders 'na de les'"]
    p.escalations = ["clb_report", "toah_bednet"]
    p.notes = "Eerste regel\nTweede regel met \"\"\" drie aanhalingstekens\n\tingesprongen \\ slash"
    p.started_at = datetime(2026, 11, 22, 10, 5, 30)
    p.seconds_spent = 240
    p.roles[1] = RoleNote("Ouders", view="Bezorgd, maar ‘moe’ 😟\nzegt: \"het gaat wel\"",
                          doing="Mama belt elke ochtend", can_do="Afspraak met huisarts")
    p.roles[2].involved = False
    p.actions = [Action("Ouders bellen", "An", date(2026, 12, 1), since=day),
                 Action("Dossier openen", "Bert", None, done=True, since=date(2026, 10, 30))]
    m.ensure_pupil("S-456", "Lotte", "1A")
    return m


def test_round_trip_full_meeting():
    m = full_meeting()
    text = to_toml(m)
    assert tomllib.loads(text) == to_dict(m)
    assert from_toml(text) == m


def test_toml_uses_product_key_names():
    data = tomllib.loads(to_toml(full_meeting()))
    assert set(data) == {"meeting", "pupils"}
    assert {"date", "title", "present", "finished"} <= set(data["meeting"])
    assert isinstance(data["meeting"]["date"], date)
    assert data["meeting"]["present"][0] == {"name": "An", "role": "Leerlingbegeleider"}
    pupil = data["pupils"][0]
    assert {"pupil_id", "name", "class", "signals", "phase", "pivot", "channel",
            "next_review", "decisions", "roles", "actions"} <= set(pupil)
    assert "class_" not in pupil
    assert [r["role"] for r in pupil["roles"]] == list(ROLES)
    assert {"role", "view", "doing", "can_do"} <= set(pupil["roles"][0])
    assert set(pupil["actions"][0]) == {"id", "what", "who", "due", "done", "since"}
    assert len(pupil["actions"][0]["id"]) == 6 and pupil["actions"][0]["id"] != pupil["actions"][1]["id"]
    assert "due" not in pupil["actions"][1]  # None is left out, TOML has no null
    assert "phase" not in data["pupils"][1] and "next_review" not in data["pupils"][1]


def test_layout_uses_array_tables():
    text = to_toml(full_meeting())
    assert text.startswith("[meeting]\n")
    assert text.count("[[pupils]]\n") == 2
    assert text.count("[[pupils.roles]]\n") == 2 * len(ROLES)
    assert text.count("[[pupils.actions]]\n") == 2
    assert "due = 2026-12-01\n" in text and "date = 2026-11-22\n" in text


def test_tolerates_missing_optional_keys():
    m = from_toml('[meeting]\ndate = 2026-11-22\n\n[[pupils]]\npupil_id = "7"\n'
                  '[[pupils.actions]]\nwhat = "Bellen"\ndue = "2026-12-01"\n')
    assert m.title == "Zorgoverleg" and m.present == [] and not m.finished
    p = m.pupil("7")
    assert p is not None and p.roles == [] and p.phase is None and p.signals == []
    [action] = p.actions
    assert (action.what, action.due, action.since, action.done) == ("Bellen", date(2026, 12, 1), m.date, False)
    # Written before agreements had ids: the id comes from pupil, first meeting and text, the same in every file.
    assert action.id == mn.legacy_action_id("7", m.date, "Bellen") and len(action.id) == 6


def test_ensure_pupil_adds_once_with_default_roles():
    m = Meeting(date(2026, 11, 22))
    first = m.ensure_pupil("1", "An", "2A", ["b_first"])
    assert [r.role for r in first.roles] == list(ROLES)
    assert m.ensure_pupil("1", "Other", "9Z", []) is first
    assert first.signals == ["b_first"] and len(m.pupils) == 1
    assert m.pupil("nobody") is None


@pytest.mark.parametrize("text, expected", [
    ('[meeting]\ndate = 2026-11-22\n[[pupils]]\npupil_id = "1"\n[[pupils]]\npupil_id = "2"\n'
     '[[pupils]]\npupil_id = "3"\n[[pupils.actions]]\nwhat = "x"\ndue = "volgende week"\n',
     "notulen/x.toml: sleutel pupils[2].actions[0].due moet een datum zijn (JJJJ-MM-DD)."),
    ('[meeting]\ndate = 2026-11-22\nfinished = "ja"\n',
     "notulen/x.toml: sleutel meeting.finished moet true of false zijn."),
    ('[meeting]\ndate = 2026-11-22\n[[pupils]]\npupil_id = "1"\nphase = 7\n',
     "notulen/x.toml: sleutel pupils[0].phase moet een fase van 0 tot 3 zijn."),
    ('[meeting]\ndate = 2026-11-22\n[[pupils]]\npupil_id = "1"\nsignals = ["a", 2]\n',
     "notulen/x.toml: sleutel pupils[0].signals[1] moet tekst tussen aanhalingstekens zijn."),
    ('[meeting]\ntitle = "x"\n',
     "notulen/x.toml: sleutel meeting.date ontbreekt."),
    ('[meeting]\ndate = 2026-11-22\n[[pupils]]\nname = "zonder id"\n',
     "notulen/x.toml: sleutel pupils[0].pupil_id ontbreekt."),
])
def test_wrong_type_names_file_and_key(text, expected):
    with pytest.raises(MinutesError) as info:
        from_toml(text, "notulen/x.toml")
    assert str(info.value) == expected


def test_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "kapot.toml"
    path.write_text('[meeting]\ndate = 2026-11-22\ntitle = "open\n', encoding="utf-8")
    with pytest.raises(MinutesError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: geen geldige TOML op regel 3, kolom ")
    assert message.endswith(").") and "\n" not in message


def test_syntax_error_at_end_of_document():
    with pytest.raises(MinutesError, match=r"^m\.toml: geen geldige TOML op regel 2, kolom 8 "):
        from_toml("[meeting]\ndate = ", "m.toml")


def test_save_is_private_and_atomic(tmp_path):
    folder = tmp_path / "notulen"
    path = mn.minutes_path(folder, date(2026, 11, 22), "Zorgoverleg 2de graad")
    assert path == folder / "2026-11-22-zorgoverleg-2de-graad.toml"
    save(full_meeting(), path)
    path.chmod(0o644)                       # an older, too open file is replaced
    save(full_meeting(finished=True), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert os.listdir(folder) == [path.name]  # no temporary files left behind
    assert load(path).finished


def test_write_atomic_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "m.toml"
    mn.write_atomic(path, "oud")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(minutes_io.os, "replace", broken_replace)
    with pytest.raises(OSError):
        mn.write_atomic(path, "nieuw")
    assert path.read_text() == "oud" and os.listdir(tmp_path) == ["m.toml"]


def test_paths_and_listing(tmp_path):
    assert mn.minutes_dir(tmp_path / "school.duckdb") == tmp_path / "school-notulen"
    assert mn.minutes_path(tmp_path, date(2027, 1, 5), "  Cel Leerlingenbegeleiding – ÉÉN!  ").name \
        == "2027-01-05-cel-leerlingenbegeleiding-een.toml"
    assert mn.minutes_path(tmp_path, date(2027, 1, 5), "").name == "2027-01-05-zorgoverleg.toml"
    assert mn.list_minutes(tmp_path / "missing") == []
    for name in ("2026-12-01-b.toml", "2026-10-01-a.toml", "notes.txt"):
        (tmp_path / name).write_text("")
    assert [p.name for p in mn.list_minutes(tmp_path)] == ["2026-10-01-a.toml", "2026-12-01-b.toml"]


def test_latest_unfinished_and_previous_attendees(tmp_path):
    assert mn.latest_unfinished(tmp_path) is None and mn.previous_attendees(tmp_path) == []
    old = full_meeting(finished=False, day=date(2026, 10, 1))
    old.present = [Attendee("Oud", "CLB")]
    save(old, mn.minutes_path(tmp_path, old.date, old.title))
    done = full_meeting(finished=True, day=date(2026, 11, 1))
    save(done, mn.minutes_path(tmp_path, done.date, done.title))
    (tmp_path / "2026-12-01-kapot.toml").write_text("[meeting\n")   # newest, but broken

    assert mn.latest_unfinished(tmp_path).name.startswith("2026-10-01")
    assert mn.previous_attendees(tmp_path) == done.present
    newest = mn.minutes_path(tmp_path, done.date, done.title)
    assert mn.previous_attendees(tmp_path, exclude=newest) == [Attendee("Oud", "CLB")]


def wait_until(condition, timeout: float = 5.0) -> bool:
    """Poll instead of sleeping a fixed time, so slow machines do not fail the test."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_autosaver_debounces(tmp_path, monkeypatch):
    path = tmp_path / "notulen" / "m.toml"
    writes = []
    real_write = mn.write_atomic
    monkeypatch.setattr(autosave, "write_atomic", lambda p, t: (writes.append(t), real_write(p, t)))
    saver = Autosaver(path, delay=0.05, recovery_dir=tmp_path / "recovery")
    m = full_meeting()
    for i in range(5):                      # a burst of key presses: one save
        m.title = f"Zorgoverleg {i}"
        saver.touch(m)
    assert saver.dirty
    assert wait_until(lambda: not saver.dirty)
    time.sleep(0.1)
    assert len(writes) == 1
    assert load(path).title == "Zorgoverleg 4"
    assert saver.last_error is None and saver.last_saved is not None

    m.title = "Nog eens"
    saver.touch(m)
    assert saver.flush() and not saver.dirty
    assert load(path).title == "Nog eens"


def test_autosaver_saves_during_long_typing(tmp_path):
    saver = Autosaver(tmp_path / "m.toml", delay=10, max_wait=0.05, recovery_dir=tmp_path / "r")
    saver.touch(full_meeting())
    assert wait_until(lambda: (tmp_path / "m.toml").exists())
    saver.close()


def test_autosaver_writes_recovery_copy_when_folder_fails(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")                  # a file where the folder should be: OSError, even as root
    recovery = tmp_path / "recovery"
    saver = Autosaver(blocker / "m.toml", delay=0.05, recovery_dir=recovery)
    m = full_meeting()
    saver.touch(m)
    assert not saver.flush()
    assert saver.dirty and saver.text == to_toml(m)
    assert saver.recovery_path == recovery / "m.toml"
    assert from_toml((recovery / "m.toml").read_text(encoding="utf-8")) == m
    assert stat.S_IMODE((recovery / "m.toml").stat().st_mode) == 0o600
    assert saver.last_error.startswith("De notulen konden niet bewaard worden in ")
    assert str(recovery / "m.toml") in saver.last_error

    saver.path = tmp_path / "ok" / "m.toml"  # the problem is solved: the next save succeeds
    assert saver.flush() and saver.last_error is None and not saver.dirty
