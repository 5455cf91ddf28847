"""Tab 4 of the pupil screen: what the team knows and the export cannot show (team flags).

The widget keeps ``PupilMinutes.flags`` up to date and posts ``TeamTab.FlagToggled`` and
``TeamTab.NoteChanged``; the screen stores them in the database (they count in the priority) and
saves the minutes. ``undo`` puts a flag back when storing it failed.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Static

from zorgoverleg import minutes as m
from zorgoverleg.history import TEAM_FLAGS
from zorgoverleg.text import visible


def flag_info(info: m.TeamFlag | None) -> Text:
    """Who set the flag and when, as plain text."""
    if info is None:
        return Text("")
    when = info.set_at.strftime("%d/%m/%Y") if info.set_at else ""
    return Text(f"{visible(info.set_by) or 'team'} · {when}")


class TeamTab(VerticalScroll):
    """One checkbox and one note per team flag, and who sets them."""

    DEFAULT_CSS = """
    TeamTab #team-help {
        color: $text-muted;
        margin-bottom: 1;
    }
    TeamTab .row {
        height: auto;
    }
    TeamTab #team-by {
        width: 30;
    }
    TeamTab .team-row {
        height: auto;
    }
    TeamTab .team-flag {
        width: 1fr;
        min-width: 30;
    }
    TeamTab .team-note {
        width: 1fr;
    }
    TeamTab .team-info {
        width: 14;
        color: $text-muted;
        content-align: left middle;
        height: 3;
    }
    """

    class FlagToggled(Message):
        """A flag was set (``on``) or cleared; ``previous`` is how it stood before (None: not set)."""

        def __init__(self, flag: str, on: bool, note: str, by: str, previous: m.TeamFlag | None) -> None:
            super().__init__()
            self.flag = flag
            self.on = on
            self.note = note
            self.by = by
            self.previous = previous

    class NoteChanged(Message):
        """The note of a set flag changed."""

        def __init__(self, flag: str, note: str) -> None:
            super().__init__()
            self.flag = flag
            self.note = note

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.minutes: m.PupilMinutes | None = None
        self.meeting_date: date | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            "Wat het team weet en de export niet toont. Telt mee in de prioriteit (teamsignaal). "
            "Spatie: aan/uit; de toelichting mag leeg blijven.", id="team-help")
        with Horizontal(classes="row"):
            yield Label("Ingesteld door ")
            yield Input(id="team-by", placeholder="naam")
        for flag, label in TEAM_FLAGS.items():
            with Horizontal(classes="team-row"):
                yield Checkbox(label, id=f"flag-{flag}", classes="team-flag")
                yield Input(id=f"flagnote-{flag}", placeholder="toelichting", classes="team-note")
                yield Static("", id=f"flaginfo-{flag}", classes="team-info")

    def show(self, minutes: m.PupilMinutes, meeting_date: date, set_by: str) -> None:
        """Show the flags of ``minutes``; ``set_by`` is who sets new flags (first of the present)."""
        self.minutes = minutes
        self.meeting_date = meeting_date
        with self.prevent(Input.Changed, Checkbox.Changed):
            self.query_one("#team-by", Input).value = set_by
            self._fill()

    def focus_first(self) -> None:
        self.query_one(f"#flag-{next(iter(TEAM_FLAGS))}", Checkbox).focus()

    def _active(self, flag: str) -> m.TeamFlag | None:
        flags = self.minutes.flags if self.minutes is not None else []
        return next((f for f in flags if f.flag == flag), None)

    def _fill(self) -> None:
        for flag in TEAM_FLAGS:
            info = self._active(flag)
            self.query_one(f"#flag-{flag}", Checkbox).value = info is not None
            self.query_one(f"#flagnote-{flag}", Input).value = info.note if info else ""
            self.query_one(f"#flaginfo-{flag}", Static).update(flag_info(info))

    def undo(self, flag: str, previous: m.TeamFlag | None) -> None:
        """Put ``flag`` back as it was (``previous``) after storing the change failed."""
        if self.minutes is None:
            return
        self.minutes.flags = [f for f in self.minutes.flags if f.flag != flag]
        if previous is not None:
            self.minutes.flags.append(previous)
        with self.prevent(Input.Changed, Checkbox.Changed):
            self.query_one(f"#flag-{flag}", Checkbox).value = previous is not None
            self.query_one(f"#flagnote-{flag}", Input).value = previous.note if previous else ""
        self.query_one(f"#flaginfo-{flag}", Static).update(flag_info(previous))

    @on(Checkbox.Changed, ".team-flag")
    def _flag_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self.minutes is None:
            return
        flag = (event.checkbox.id or "")[len("flag-"):]
        note = self.query_one(f"#flagnote-{flag}", Input).value.strip()
        by = self.query_one("#team-by", Input).value.strip()
        previous = self._active(flag)
        self.minutes.flags = [f for f in self.minutes.flags if f.flag != flag]
        if event.value:
            self.minutes.flags.append(m.TeamFlag(flag, note, by, self.meeting_date))
        self.query_one(f"#flaginfo-{flag}", Static).update(flag_info(self._active(flag)))
        self.post_message(self.FlagToggled(flag, event.value, note, by, previous))

    @on(Input.Changed, ".team-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        flag = (event.input.id or "")[len("flagnote-"):]
        info = self._active(flag)
        if info is None:
            return
        info.note = event.value.strip()
        self.post_message(self.NoteChanged(flag, info.note))

    @on(Input.Changed, "#team-by")
    def _by_changed(self, event: Input.Changed) -> None:
        event.stop()
