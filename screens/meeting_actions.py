"""Meeting-wide actions the App offers (keys and command palette), outside any one screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from zorgoverleg.meeting import MeetingState
from zorgoverleg.screens.context import AppContext
from zorgoverleg.text import visible

SYSTEM_COMMANDS = (
    # (title, help, App action)
    ("Privacymodus aan/uit", "Enkel initialen en klas op het scherm", "toggle_privacy"),
    ("Projectorthema", "Hoog contrast voor de projector", "contrast_theme"),
    ("Export importeren", "Een afwezigheidsexport (CSV/XLSX) inlezen", "import"),
    ("Notulen exporteren", "Leesbare notulen (Markdown en HTML) met een actielijst per persoon", "export"),
    ("Overleg afsluiten", "Notulen definitief maken, verslagen schrijven, alleen-lezen", "finish_meeting"),
)


def export_meeting(state: MeetingState | None) -> tuple[str, SeverityLevel]:
    """Save the minutes and write them as Markdown and HTML beside the TOML: (sentence, severity)."""
    from zorgoverleg.export import export_file

    if state is None:
        return "Start eerst het overleg.", "warning"
    if not state.save_now():
        return state.saver.last_error or "Opslaan mislukt.", "error"
    try:
        written = [export_file(state.path, fmt, None) for fmt in ("md", "html")]
    except Exception as exc:  # a full disk or a read-only folder: say so, keep working
        return f"Exporteren lukte niet: {visible(exc)}", "error"
    return "Notulen geëxporteerd: " + ", ".join(visible(p) for p in written), "information"


def finish_meeting(state: MeetingState) -> tuple[str, SeverityLevel]:
    """Close the meeting (``finished = true``) and write its exports: (sentence, severity)."""
    if not state.finish():
        return state.saver.last_error or "Opslaan mislukt.", "error"
    sentence, severity = export_meeting(state)
    if severity == "error":
        return f"Overleg afgesloten, maar {sentence[0].lower()}{sentence[1:]}", "error"
    return f"Overleg afgesloten; de notulen en verslagen staan in {visible(state.path.parent)}.", "information"


class SaveWatch:
    """Tells the team once when the minutes cannot be saved (full disk, read-only folder) and once
    when saving works again; the typed text stays in memory meanwhile."""

    def __init__(self) -> None:
        self.shown: str | None = None  # the problem last told

    def check(self, app: App, state: MeetingState | None) -> None:
        error = state.saver.last_error if state is not None else None
        if error == self.shown:
            return
        if error:
            app.notify(visible(error), title="Notulen niet bewaard", severity="error", timeout=20, markup=False)
        elif self.shown:
            app.notify("De notulen worden weer bewaard.", timeout=5)
        self.shown = error
        if state is not None:
            self.show(app, state)

    def show(self, app: App, state: MeetingState) -> None:
        """The meeting's day in the title bar, and whether it is closed or its minutes cannot be saved."""
        marks = " · AFGESLOTEN (alleen lezen)" if state.read_only else ""
        if self.shown:
            marks += " · NOTULEN NIET BEWAARD"
        app.sub_title = f"{state.meeting.date:%d/%m/%Y}{marks}"


def system_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    """The meeting's commands in the palette (closing, reopening, a new meeting, the pupil's own)."""
    from zorgoverleg.screens.context import context_of
    from zorgoverleg.screens.pupil import PupilScreen

    state = context_of(app).state
    closed = state is not None and state.read_only
    for title, help_text, action in SYSTEM_COMMANDS:
        if action == "finish_meeting" and closed:
            continue
        yield SystemCommand(title, help_text, getattr(app, f"action_{action}"))
    if closed:
        yield SystemCommand("Overleg heropenen", "Het afgesloten overleg weer wijzigbaar maken",
                            getattr(app, "action_reopen_meeting"))  # noqa: B009 (the App defines it)
        yield SystemCommand("Nieuw overleg starten", "Een nieuw overleg op deze dag", getattr(app, "action_new_meeting"))  # noqa: B009
    if isinstance(screen, PupilScreen):
        yield SystemCommand("Leerling besproken aan/uit", "In de notulen zetten, of er weer uit halen (ctrl+b)",
                            screen.action_toggle_discussed)
        yield SystemCommand("Vorige keer wissen", "Wat vorige keer genoteerd werd leegmaken (ctrl+r)",
                            screen.action_clear_prefilled)


def ask_to_finish(app: App, context: AppContext) -> None:
    """Close the meeting after a confirmation: final minutes, the exports written, read-only."""
    from zorgoverleg.screens.confirm import ConfirmScreen

    state = context.state
    if state is None:
        app.notify("Start eerst het overleg.", severity="warning")
        return
    if state.read_only:
        app.notify("Dit overleg is al afgesloten.")
        return
    discussed = len(state.meeting.pupils)

    def confirmed(yes: bool | None) -> None:
        if not yes or context.state is None:
            return
        sentence, severity = finish_meeting(context.state)
        lock_changed(app, context)
        app.notify(sentence, severity=severity, timeout=10, markup=False)

    app.push_screen(ConfirmScreen(
        f"Het overleg van {state.meeting.date:%d/%m/%Y} afsluiten?",
        f"{discussed} besproken leerling{'en' if discussed != 1 else ''}. De notulen worden definitief, de "
        "verslagen (Markdown en HTML) worden geschreven en het overleg wordt alleen-lezen; heropenen kan "
        "via het commandopalet.", yes="Afsluiten"), confirmed)


def reopen(app: App, context: AppContext) -> None:
    state = context.state
    if state is None or not state.read_only:
        app.notify("Dit overleg is niet afgesloten.")
        return
    if not state.reopen():
        app.notify(visible(state.saver.last_error or "Opslaan mislukt."), severity="error", markup=False)
        return
    lock_changed(app, context)
    app.notify("Het overleg is heropend: wijzigen kan weer. Sluit het opnieuw af om de verslagen bij te werken.",
               timeout=10)


def new_meeting(app: App, context: AppContext, started: Callable[[MeetingState | None], None]) -> None:
    """A new meeting (from a closed one): the start form."""
    from zorgoverleg.screens.start import StartScreen

    if context.state is not None and not context.state.read_only:
        app.notify("Sluit eerst dit overleg af.", severity="warning")
        return
    while len(app.screen_stack) > 2:
        app.pop_screen()
    app.push_screen(StartScreen(context), started)


def lock_changed(app: App, context: AppContext) -> None:
    """The meeting was closed or reopened: the title bar, the pupil screens and the list follow."""
    from zorgoverleg.screens.agenda import AgendaScreen
    from zorgoverleg.screens.pupil import PupilScreen

    if context.state is not None:
        saving = getattr(app, "saving", None)
        if isinstance(saving, SaveWatch):
            saving.show(app, context.state)
    for screen in app.screen_stack:
        if isinstance(screen, PupilScreen):
            screen.apply_lock()
        elif isinstance(screen, AgendaScreen):
            screen.refresh_rows()
