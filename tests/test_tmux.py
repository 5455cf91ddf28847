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

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")


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
            for path in (tmp_path / "notulen").glob("*.toml"):
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
