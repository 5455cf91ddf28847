"""The real command in a real terminal: tmux runs `zorgoverleg demo`, we type a note
and find it in the minutes file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _command() -> str:
    found = Path(sys.executable).parent / "zorgoverleg"
    return str(found) if found.exists() else "zorgoverleg"


class Tmux:
    def __init__(self, session: str) -> None:
        self.session = session

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(pause)

    def slow(self, *keys: str) -> None:
        """Keys that move focus or switch tabs: time for the screen to follow (the machine may be busy)."""
        self.keys(*keys, pause=0.6)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text not in self.screen():
                return
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not go away; the screen shows:\n{self.screen()}")


def run_meeting(tmp_path: Path, today: str | None, steps) -> None:
    """`zorgoverleg demo --dir tmp_path [--today …]` in tmux; `steps(tmux)` types; ctrl+q ends it."""
    session = f"zo-{uuid.uuid4().hex[:8]}"
    tmux = Tmux(session)
    extra = f" --today {today}" if today else ""
    tmux.run("new-session", "-d", "-s", session, "-x", "120", "-y", "40",
             f"{_command()} demo --dir {tmp_path}{extra}; sleep 30")
    tmux.run("set-option", "-t", session, "window-size", "manual")
    tmux.run("resize-window", "-t", session, "-x", "120", "-y", "40")
    try:
        tmux.wait_for("Nieuw zorgoverleg")
        tmux.keys("C-s")
        tmux.wait_for("leerlingen met signalen")
        time.sleep(2)  # the list settles (trends, the palette's pupils)
        steps(tmux)
        tmux.keys("C-q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (tmp_path / "demo-notulen" / "zorgoverleg.lock").exists():
            time.sleep(0.2)
        assert not (tmp_path / "demo-notulen" / "zorgoverleg.lock").exists(), "the lock was not released on exit"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def saved(tmp_path: Path, day: str) -> str:
    found = list((tmp_path / "demo-notulen").glob(f"{day}-*.toml"))
    return found[0].read_text("utf-8") if found else ""


def wait_until(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the minutes file did not show the change in time")


def minutes_of(tmp_path: Path, day: str) -> dict:
    [path] = (tmp_path / "demo-notulen").glob(f"{day}-*.toml")
    return tomllib.loads(path.read_text("utf-8"))


def test_two_meetings_in_tmux_the_second_starts_from_the_first(tmp_path):
    def first(tmux: Tmux) -> None:
        tmux.slow("Enter")
        tmux.wait_for("Afwezig:")
        time.sleep(1.5)
        tmux.slow("3")
        tmux.wait_for("Spilfiguur")
        tmux.keys("An Peeters")
        tmux.slow("Tab", "Tab", "Tab", "Enter")      # the phase list opens
        tmux.wait_for("2 Uitbreiding van zorg")
        tmux.slow("Down", "Down", "Enter")
        tmux.wait_gone("2 Uitbreiding van zorg")                  # the list closed on phase 1
        tmux.slow("Escape", "2")
        tmux.wait_for("Hoe kijkt de leerling naar de situatie?")
        tmux.slow("Enter")
        tmux.keys("Wil terug naar school")
        tmux.slow("Escape", "3")
        tmux.wait_for("Spilfiguur")
        tmux.slow(*["Tab"] * 9)
        tmux.keys("Huisbezoek plannen")
        tmux.slow("Enter")
        tmux.keys("Bert")
        tmux.slow("Enter")
        tmux.keys("20/03")
        tmux.slow("Enter")
        wait_until(lambda: "Huisbezoek plannen" in saved(tmp_path, "2026-03-13"))
        tmux.slow("Escape", "Escape")
        tmux.wait_for("leerlingen met signalen")

    run_meeting(tmp_path, None, first)
    one = minutes_of(tmp_path, "2026-03-13")
    [pupil] = one["pupils"]
    assert (pupil["pivot"], pupil["phase"], pupil["roles"][0]["view"]) == ("An Peeters", 1, "Wil terug naar school")
    [agreement] = pupil["actions"]
    name = pupil["name"]

    def second(tmux: Tmux) -> None:
        tmux.slow("Enter")                                           # the same pupil tops the list
        tmux.wait_for(name)
        tmux.wait_for("Afwezig:")
        time.sleep(1.5)                                              # the tabs fill from the dossier
        tmux.slow("3")
        screen = tmux.wait_for("vorige keer, 13/03")
        assert "An Peeters" in screen and "1 Verhoogde zorg" in screen
        tmux.slow("Escape", "2")
        tmux.wait_for("Wil terug naar school")
        tmux.slow("3")                                               # (on the role list Esc would leave the pupil)
        tmux.wait_for("vorige keer, 13/03")
        tmux.slow(*["Tab"] * 12, "Enter")                            # the agreement into the form
        tmux.wait_for("Afspraak bewerken")
        tmux.slow("End")
        tmux.keys(" met CLB")
        tmux.slow("Enter")
        wait_until(lambda: "Huisbezoek plannen met CLB" in saved(tmp_path, "2026-04-03"))
        tmux.slow("Escape", "Escape")
        tmux.wait_for("leerlingen met signalen")

    run_meeting(tmp_path, "2026-04-03", second)
    two = minutes_of(tmp_path, "2026-04-03")
    [pupil] = two["pupils"]
    assert (pupil["pivot"], pupil["phase"], pupil["roles"][0]["view"]) == ("An Peeters", 1, "Wil terug naar school")
    [edited] = pupil["actions"]
    assert edited["id"] == agreement["id"] and edited["what"] == "Huisbezoek plannen met CLB"
    assert edited["since"] == agreement["since"] and one == minutes_of(tmp_path, "2026-03-13")


def open_parents_role(tmux: Tmux) -> None:
    """From the start form: start the meeting, open the first pupil, go to the Ouders role."""
    tmux.keys("C-s")
    tmux.wait_for("leerlingen met signalen")
    tmux.keys("Enter")
    tmux.wait_for("Afwezig:")
    tmux.keys("2")
    tmux.wait_for("Hoe kijkt de leerling naar de situatie?")
    tmux.keys("Down", "Enter")
    tmux.wait_for("Hoe kijken de ouders naar de situatie?")


def test_demo_in_tmux_saves_a_typed_note(tmp_path):
    session = f"zo-{uuid.uuid4().hex[:8]}"
    tmux = Tmux(session)
    tmux.run("new-session", "-d", "-s", session, "-x", "120", "-y", "40",
             f"{_command()} demo --dir {tmp_path}; sleep 5")
    try:
        tmux.wait_for("Nieuw zorgoverleg")
        open_parents_role(tmux)
        tmux.keys("Vader komt vrijdag langs")
        deadline = time.monotonic() + 10
        found = None
        while time.monotonic() < deadline and found is None:
            for path in (tmp_path / "demo-notulen").glob("*.toml"):
                data = tomllib.loads(path.read_text("utf-8"))
                for pupil in data.get("pupils", []):
                    for role in pupil.get("roles", []):
                        if role["role"] == "Ouders" and role["view"] == "Vader komt vrijdag langs":
                            found = path
            time.sleep(0.3)
        assert found is not None, "the typed note did not reach the minutes file"
        assert found.stat().st_mode & 0o777 == 0o600
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_the_first_signal_of_the_first_row_is_on_an_80x24_screen(tmp_path, sample_db_file):
    from zorgoverleg.cli import DEMO_TODAY
    from zorgoverleg.config import load_config
    from zorgoverleg.db import Database
    from zorgoverleg.signals import prioritised

    with Database.open(sample_db_file, read_only=True) as db:  # the demo's school, the demo's day
        first = prioritised(db, DEMO_TODAY, load_config(), limit=1)[0]
    session = f"zo-{uuid.uuid4().hex[:8]}"
    tmux = Tmux(session)
    tmux.run("new-session", "-d", "-s", session, "-x", "80", "-y", "24",
             f"{_command()} demo --dir {tmp_path}; sleep 5")
    try:
        tmux.wait_for("Nieuw zorgoverleg")
        tmux.keys("C-s")
        screen = tmux.wait_for("leerlingen met signalen")
        row = next((line for line in screen.splitlines() if line.split()[:1] == ["1"]), None)
        assert row is not None, screen
        assert f"{first.last_name} {first.first_name}" in row and first.class_ in row, row
        assert first.signals[0].label in row, row
        assert all(len(line) <= 80 for line in screen.splitlines())
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
