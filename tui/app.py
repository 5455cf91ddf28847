"""The Textual application: wiring of screens, keys, commands and theme.

Screen logic lives in ``screens/``; the core (database, signals, minutes) in
plain modules that never import Textual.
"""

from __future__ import annotations

import sys
import threading
from datetime import date
from pathlib import Path

import duckdb
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.theme import Theme

from zorgoverleg import minutes
from zorgoverleg.config import Config
from zorgoverleg.db import Database, DatabaseError
from zorgoverleg.meeting import MeetingState
from zorgoverleg.screens.commands import PupilProvider
from zorgoverleg.signals import ListView, PupilRow, list_view, list_window

# The projector theme: every text colour at least 4.5:1 against what it is drawn on (WCAG AA; checked
# in tests/test_projector.py), the footer's key letters included.
CONTRAST = Theme(
    name="projector-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF66FF",
    warning="#FFFF00",
    error="#FF6666",
    success="#33DD33",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#262626",
    dark=True,
    variables={
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#444444",
        "block-cursor-blurred-foreground": "#FFFFFF",
    },
)

PALETTE_PLACEHOLDER = "Zoek een leerling of commando…"


class ZorgoverlegApp(App):
    """The care-team meeting on the projector."""

    TITLE = "Zorgoverleg"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Toetsen", id="help"),
        Binding("v", "toggle_privacy", "Privacy", tooltip="Toon enkel initialen op het scherm", id="privacy"),
        Binding("ctrl+q", "quit", "Stoppen", id="quit", show=False),
        Binding("ctrl+p", "command_palette", "Palet", show=False, priority=True,
                tooltip="Het commandopalet openen", id="palette"),
    ]

    privacy: reactive[bool] = reactive(False)

    COMMANDS = App.COMMANDS | {PupilProvider}

    def __init__(self, db_path: Path, config: Config, today: date, *, minutes_folder: Path | None = None,
                 clock: bool = True) -> None:
        super().__init__()
        self.clock = clock  # False freezes the per-pupil timer (snapshot tests)
        self.db_path = Path(db_path)
        self.config = config
        self.today = today
        self.minutes_folder = minutes_folder or minutes.minutes_dir(self.db_path)
        self.db: Database | None = None
        self.state: MeetingState | None = None
        self.rows: list[PupilRow] = []
        self.all_pupils: list[tuple] = []
        self.flags_changed = False  # team flags changed: the list's scores must be recomputed
        self.fatal_message: str | None = None  # why the app stopped (printed by run_app)
        self.save_error: str | None = None  # the autosave problem last shown to the user
        self.register_theme(CONTRAST)
        keymap = config.section("keys")
        if keymap:
            self.set_keymap({str(k): str(v) for k, v in keymap.items()})

    def on_load(self) -> None:
        # The database opens (and the list is brought up to date) while Textual starts.
        self._mounted = threading.Event()
        self.open_database()

    def on_mount(self) -> None:
        from zorgoverleg.screens.agenda import AgendaScreen
        from zorgoverleg.screens.start import StartScreen

        self.sub_title = f"{self.today:%d/%m/%Y}"
        self.agenda = AgendaScreen()
        self.push_screen(self.agenda)
        # Today's interrupted meeting goes on; otherwise the start form shows while the
        # database opens (both only read the minutes folder).
        try:
            state = MeetingState.resume_or_none(self.minutes_folder, self.today)
        except minutes.MinutesError as exc:
            self.notify(str(exc), severity="warning", timeout=10)
            state = None
        if state is not None:
            self.state = state
            self.title = state.meeting.title
            self.sub_title = f"{state.meeting.date:%d/%m/%Y}"
            self.notify(f"Het overleg van {state.meeting.date:%d/%m/%Y} gaat verder waar het stopte.")
        else:
            self.push_screen(StartScreen(), self._meeting_started)
        self._mounted.set()
        self.set_interval(1.0, self.check_saving)

    @work(thread=True, exclusive=True, exit_on_error=False, group="db")
    def open_database(self) -> None:
        try:
            db = Database.open(self.db_path)
        except DatabaseError as exc:
            if self._wait_for_mount():
                self.call_from_thread(self._fatal, str(exc))
            return
        self.db = db
        from zorgoverleg.history import index_minutes

        try:
            result = index_minutes(db, self.minutes_folder)
            for problem in result.problems:
                self.call_from_thread(self.notify, f"{problem} De andere notulen tellen wel mee.",
                                      severity="warning", timeout=15)
        except Exception as exc:  # the meeting must go on without history
            self.call_from_thread(self.notify, f"Eerdere notulen konden niet gelezen worden ({exc}).",
                                  severity="warning", timeout=15)
        # The first page of the list, read while Textual starts; the list screen shows it at once.
        view = None
        cursor = db.cursor()
        try:
            view = list_view(db, self.today, self.config, cursor=cursor, limit=list_window(self.config))
        except duckdb.Error:
            pass  # the list screen tries again and says what is wrong
        finally:
            cursor.close()
        if self._wait_for_mount():
            self.call_from_thread(self._database_ready, view)

    def _wait_for_mount(self) -> bool:
        """In a worker: wait until the screens exist; False if the app stops first."""
        while not self._mounted.wait(0.05):
            if self._exit:
                return False
        return True

    def _fatal(self, message: str) -> None:
        self.fatal_message = message
        self.exit(return_code=1)

    def check_saving(self) -> None:
        """Tell the team once when the minutes cannot be saved (full disk, read-only folder)
        and once when saving works again; the typed text stays in memory meanwhile."""
        error = self.state.saver.last_error if self.state is not None else None
        if error == self.save_error:
            return
        if error:
            self.notify(error, title="Notulen niet bewaard", severity="error", timeout=20)
        elif self.save_error:
            self.notify("De notulen worden weer bewaard.", timeout=5)
        self.save_error = error
        if self.state is not None:
            self.sub_title = f"{self.state.meeting.date:%d/%m/%Y}" + (" · NOTULEN NIET BEWAARD" if error else "")

    def _database_ready(self, view: ListView | None = None) -> None:
        self.agenda.load(view)

    def _meeting_started(self, state: MeetingState | None) -> None:
        if state is None:
            return
        self.state = state
        self.title = state.meeting.title
        self.sub_title = f"{state.meeting.date:%d/%m/%Y}"
        self.agenda.refresh_rows()
        self.check_saving()

    def action_toggle_help(self) -> None:
        from zorgoverleg.screens.keys import KeysScreen

        if isinstance(self.screen, KeysScreen):
            self.screen.dismiss()
        else:
            self.push_screen(KeysScreen(self.screen))

    def action_toggle_privacy(self) -> None:
        self.privacy = not self.privacy
        self.notify("Privacymodus aan: enkel initialen." if self.privacy else "Privacymodus uit.")

    def action_finish_meeting(self) -> None:
        if self.state is None:
            return
        if self.state.finish():
            self.notify(f"Overleg afgesloten; notulen in {self.state.path}.")
        else:
            self.notify(self.state.saver.last_error or "Opslaan mislukt.", severity="error")

    def get_system_commands(self, screen):
        # Textual's own commands, in Dutch (its English ones are left out on purpose).
        yield SystemCommand("Thema", "Een ander kleurenthema kiezen", self.action_change_theme)
        yield SystemCommand("Stoppen", "Het programma afsluiten (de notulen zijn bewaard)", self.action_quit)
        yield SystemCommand("Toetsen", "De toetsen van dit scherm tonen", self.action_toggle_help)
        if screen.maximized is not None:
            yield SystemCommand("Normale grootte", "Het vergrote onderdeel weer normaal tonen", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Vergroten", "Het gekozen onderdeel schermvullend tonen", screen.action_maximize)
        yield SystemCommand("Privacymodus aan/uit", "Enkel initialen en klas op het scherm", self.action_toggle_privacy)
        yield SystemCommand("Projectorthema", "Hoog contrast voor de projector", self.action_contrast_theme)
        yield SystemCommand("Export importeren", "Een afwezigheidsexport (CSV/XLSX) inlezen", self.action_import)
        yield SystemCommand("Notulen exporteren", "Leesbare notulen (Markdown en HTML) met een actielijst per persoon",
                            self.action_export)
        yield SystemCommand("Overleg afsluiten", "Notulen afronden; het volgende overleg begint nieuw", self.action_finish_meeting)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=PALETTE_PLACEHOLDER, id="--command-palette"))

    def action_change_theme(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder="Zoek een thema…"))

    def action_import(self) -> None:
        from zorgoverleg.screens.import_file import ImportScreen

        if self.db is not None:
            self.push_screen(ImportScreen())

    def action_export(self) -> None:
        from zorgoverleg.export import export_file

        if self.state is None:
            self.notify("Start eerst het overleg.", severity="warning")
            return
        if not self.state.save_now():
            self.notify(self.state.saver.last_error or "Opslaan mislukt.", severity="error")
            return
        try:
            written = [export_file(self.state.path, fmt, None) for fmt in ("md", "html")]
        except Exception as exc:  # a full disk or a read-only folder: say so, keep working
            self.notify(f"Exporteren lukte niet: {exc}", severity="error", timeout=10)
            return
        self.notify("Notulen geëxporteerd: " + ", ".join(str(p) for p in written), timeout=10)

    def action_contrast_theme(self) -> None:
        self.theme = "projector-contrast" if self.theme != "projector-contrast" else "textual-dark"

    def on_unmount(self) -> None:
        if self.state is not None:
            self.state.close()
        if self.db is not None:
            self.db.close()


def run_app(db_path: Path, config: Config, today: date) -> int:
    app = ZorgoverlegApp(db_path, config, today)
    app.run()
    if app.fatal_message:
        print(f"zorgoverleg: {app.fatal_message}", file=sys.stderr)
        return app.return_code or 1
    if app.state is not None and app.state.saver.dirty:  # the last save failed as well
        print(f"zorgoverleg: {app.state.saver.last_error or 'de notulen konden niet bewaard worden.'}",
              file=sys.stderr)
        return 1
    return app.return_code or 0
