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
from textual.reactive import reactive
from textual.theme import Theme

from zorgoverleg import minutes
from zorgoverleg.config import Config
from zorgoverleg.db import Database, DatabaseError
from zorgoverleg.meeting import MeetingState
from zorgoverleg.screens.commands import PupilProvider
from zorgoverleg.signals import ListView, PupilRow, list_view, list_window

CONTRAST = Theme(
    name="projector-contrast",
    primary="yellow",
    secondary="cyan",
    accent="magenta",
    warning="yellow",
    error="red",
    success="green",
    foreground="white",
    background="black",
    surface="black",
    panel="ansi_bright_black",
    dark=True,
)


class ZorgoverlegApp(App):
    """The care-team meeting on the projector."""

    TITLE = "Zorgoverleg"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Toetsen", id="help"),
        Binding("v", "toggle_privacy", "Privacy", tooltip="Toon enkel initialen op het scherm", id="privacy"),
        Binding("ctrl+q", "quit", "Stoppen", id="quit", show=False),
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
        self.lock = minutes.MinutesLock(self.minutes_folder)
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
        # One app at a time on these minutes: a second one is refused with one sentence.
        try:
            self.lock.acquire()
        except minutes.MinutesError as exc:
            self._fatal(str(exc))
            return
        except OSError as exc:
            self._fatal(f"De notulenmap {self.minutes_folder} kan niet gebruikt worden ({minutes.reason(exc)}).")
            return
        self.agenda = AgendaScreen()
        self.push_screen(self.agenda)
        # Today's interrupted meeting goes on (a closed one is shown read-only); otherwise the
        # start form shows while the database opens (both only read the minutes folder).
        try:
            state = MeetingState.resume_or_none(self.minutes_folder, self.today)
        except minutes.MinutesError as exc:
            self.notify(str(exc), severity="warning", timeout=10)
            state = None
        if state is not None:
            self.state = state
            self.title = state.meeting.title
            self.show_subtitle()
            if state.read_only:
                self.notify(f"Het overleg van {state.meeting.date:%d/%m/%Y} is afgesloten: alleen lezen. "
                            "Heropenen of een nieuw overleg starten kan via ctrl+p.", timeout=10)
            else:
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
        self.show_subtitle()

    def show_subtitle(self) -> None:
        """The meeting's day, and whether it is closed or its minutes cannot be saved."""
        if self.state is None:
            return
        marks = ""
        if self.state.read_only:
            marks += " · AFGESLOTEN (alleen lezen)"
        if self.save_error:
            marks += " · NOTULEN NIET BEWAARD"
        self.sub_title = f"{self.state.meeting.date:%d/%m/%Y}{marks}"

    def _database_ready(self, view: ListView | None = None) -> None:
        self.agenda.load(view)

    def _meeting_started(self, state: MeetingState | None) -> None:
        if state is None:
            return
        self.state = state
        self.title = state.meeting.title
        self.show_subtitle()
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
        """Close the meeting after a confirmation: final minutes, the exports written, read-only."""
        from zorgoverleg.screens.confirm import ConfirmScreen

        state = self.state
        if state is None:
            self.notify("Start eerst het overleg.", severity="warning")
            return
        if state.read_only:
            self.notify("Dit overleg is al afgesloten.")
            return
        discussed = len(state.meeting.pupils)
        self.push_screen(ConfirmScreen(
            f"Het overleg van {state.meeting.date:%d/%m/%Y} afsluiten?",
            f"{discussed} besproken leerling{'en' if discussed != 1 else ''}. De notulen worden definitief, de "
            "verslagen (Markdown en HTML) worden geschreven en het overleg wordt alleen-lezen; heropenen kan "
            "via het commandopalet.", yes="Afsluiten"), self._finish_confirmed)

    def _finish_confirmed(self, yes: bool | None) -> None:
        state = self.state
        if not yes or state is None:
            return
        if not state.finish():
            self.notify(state.saver.last_error or "Opslaan mislukt.", severity="error")
            return
        self._meeting_lock_changed()
        if self._write_exports():
            self.notify(f"Overleg afgesloten; de notulen en verslagen staan in {state.path.parent}.", timeout=10)

    def action_reopen_meeting(self) -> None:
        state = self.state
        if state is None or not state.read_only:
            self.notify("Dit overleg is niet afgesloten.")
            return
        if not state.reopen():
            self.notify(state.saver.last_error or "Opslaan mislukt.", severity="error")
            return
        self._meeting_lock_changed()
        self.notify("Het overleg is heropend: wijzigen kan weer. Sluit het opnieuw af om de verslagen bij te werken.",
                    timeout=10)

    def action_new_meeting(self) -> None:
        """A new meeting (from a closed one): the start form."""
        from zorgoverleg.screens.start import StartScreen

        if self.state is not None and not self.state.read_only:
            self.notify("Sluit eerst dit overleg af.", severity="warning")
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(StartScreen(), self._meeting_started)

    def _meeting_lock_changed(self) -> None:
        from zorgoverleg.screens.pupil import PupilScreen

        self.show_subtitle()
        for screen in self.screen_stack:
            if isinstance(screen, PupilScreen):
                screen.apply_lock()
        self.agenda.refresh_rows()

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Privacymodus aan/uit", "Enkel initialen en klas op het scherm", self.action_toggle_privacy)
        yield SystemCommand("Projectorthema", "Hoog contrast voor de projector", self.action_contrast_theme)
        yield SystemCommand("Export importeren", "Een afwezigheidsexport (CSV/XLSX) inlezen", self.action_import)
        yield SystemCommand("Notulen exporteren", "Leesbare notulen (Markdown en HTML) met een actielijst per persoon",
                            self.action_export)
        if self.state is not None and self.state.read_only:
            yield SystemCommand("Overleg heropenen", "Het afgesloten overleg weer wijzigbaar maken",
                                self.action_reopen_meeting)
            yield SystemCommand("Nieuw overleg starten", "Een nieuw overleg op deze dag", self.action_new_meeting)
        else:
            yield SystemCommand("Overleg afsluiten", "Notulen definitief maken, verslagen schrijven, alleen-lezen",
                                self.action_finish_meeting)
        from zorgoverleg.screens.pupil import PupilScreen

        if isinstance(screen, PupilScreen):
            yield SystemCommand("Leerling besproken aan/uit", "In de notulen zetten, of er weer uit halen (ctrl+b)",
                                screen.action_toggle_discussed)
            yield SystemCommand("Vorige keer wissen", "Wat vorige keer genoteerd werd leegmaken (ctrl+r)",
                                screen.action_clear_prefilled)

    def action_import(self) -> None:
        from zorgoverleg.screens.import_file import ImportScreen

        if self.db is not None:
            self.push_screen(ImportScreen())

    def action_export(self) -> None:
        if self.state is None:
            self.notify("Start eerst het overleg.", severity="warning")
            return
        if self._write_exports():
            written = [self.state.path.with_suffix(suffix) for suffix in (".md", ".html")]
            self.notify("Notulen geëxporteerd: " + ", ".join(str(p) for p in written), timeout=10)

    def _write_exports(self) -> bool:
        """Save the minutes and write the Markdown and HTML reports beside them; False (and said) on failure."""
        from zorgoverleg.export import export_file

        assert self.state is not None
        if not self.state.save_now():
            self.notify(self.state.saver.last_error or "Opslaan mislukt.", severity="error")
            return False
        try:
            for fmt in ("md", "html"):
                export_file(self.state.path, fmt, None)
        except Exception as exc:  # a full disk or a read-only folder: say so, keep working
            self.notify(f"Exporteren lukte niet: {exc}", severity="error", timeout=10)
            return False
        return True

    def action_contrast_theme(self) -> None:
        self.theme = "projector-contrast" if self.theme != "projector-contrast" else "textual-dark"

    def on_unmount(self) -> None:
        if self.state is not None:
            self.state.close()
        if self.db is not None:
            self.db.close()
        self.lock.release()


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

