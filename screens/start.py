"""Start of a meeting: date, title and who is present (remembered from the last meeting)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from zorgoverleg import minutes
from zorgoverleg.meeting import MeetingState
from zorgoverleg.screens.context import AppContext
from zorgoverleg.signals import WEEKDAYS
from zorgoverleg.text import visible


def parse_present(text: str) -> list[minutes.Attendee]:
    """One attendee a line: "Naam, Rol" (the role may be left out)."""
    people = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, role = line.partition(",")
        people.append(minutes.Attendee(name.strip(), role.strip()))
    return people


class StartScreen(ModalScreen[MeetingState | None]):
    """Opens a new meeting; its minutes are written at once and on every change after."""

    CSS_PATH = "start.tcss"
    AUTO_FOCUS = "#start-title"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="start_meeting"),
        Binding("f2", "start", "Start", show=False),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        app = self.context
        previous = minutes.previous_attendees(app.minutes_folder)
        with Vertical(id="start-box"):
            weekday = WEEKDAYS[app.today.isoweekday()]
            yield Static(f"Nieuw zorgoverleg · {weekday} {app.today:%d/%m/%Y}", id="start-heading")
            yield Label("Titel")
            yield Input("Zorgoverleg", id="start-title")
            yield Label("Aanwezig (één per regel: naam, rol)")
            yield TextArea(visible("\n".join(f"{a.name}, {a.role}" for a in previous), multiline=True), id="start-present")
            yield Static(
                "Op de agenda: de top van de prioriteitenlijst, leerlingen met een afspraak of evaluatie "
                "die vervalt, en wie je toevoegt met  a  of via het commandopalet.",
                id="start-hint",
            )
            yield Button("Overleg starten", id="start-go", variant="primary")

    @on(Input.Submitted, "#start-title")
    def _title_done(self) -> None:
        self.query_one("#start-present", TextArea).focus()

    @on(Button.Pressed, "#start-go")
    def action_start(self) -> None:
        app = self.context
        title = self.query_one("#start-title", Input).value.strip() or "Zorgoverleg"
        present = parse_present(self.query_one("#start-present", TextArea).text)
        try:
            state = MeetingState.start(app.minutes_folder, app.today, title, present)
        except OSError as exc:
            self.notify(f"De notulen kunnen niet bewaard worden in {visible(app.minutes_folder)}: {exc.strerror}.",
                        severity="error", timeout=10, markup=False)
            return
        self.dismiss(state)  # a failed first save is shown by the app (check_saving), once
