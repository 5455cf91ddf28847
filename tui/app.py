"""The Textual application: wiring of screens, keys, commands and theme.

Screens get what they need through an ``AppContext`` (``zorgoverleg.screens.context``); screen logic
lives in ``screens/``, the core (database, signals, minutes) in plain modules that never import Textual.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from zorgoverleg import minutes
from zorgoverleg.config import Config
from zorgoverleg.db import DatabaseError
from zorgoverleg.meeting import MeetingState
from zorgoverleg.screens import meeting_actions, palette
from zorgoverleg.screens.agenda import AgendaScreen
from zorgoverleg.screens.commands import PupilProvider
from zorgoverleg.screens.context import AppContext
from zorgoverleg.screens.meeting_actions import SaveWatch, export_meeting
from zorgoverleg.screens.messages import DatabaseFailed, DatabaseOpened, DataChanged, LoadFailed
from zorgoverleg.screens.theme import CONTRAST
from zorgoverleg.startup import open_school
from zorgoverleg.text import visible


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
    COMMANDS = App.COMMANDS | {PupilProvider, palette.SearchHint}

    def __init__(self, db_path: Path, config: Config, today: date, *, minutes_folder: Path | None = None,
                 clock: bool = True) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.context = AppContext(config, today, minutes_folder or minutes.minutes_dir(self.db_path),
                                  Signal(self, "data_changed"), Signal(self, "privacy_changed"), clock=clock)
        self.lock = minutes.MinutesLock(self.context.minutes_folder)  # one app at a time on these minutes
        self.agenda = AgendaScreen(self.context)
        self.fatal_message: str | None = None  # why the app stopped (printed by zorgoverleg.cli.run_app)
        self.saving = SaveWatch()
        self._mounted = threading.Event()
        self.register_theme(CONTRAST)
        keymap = config.section("keys")
        if keymap:
            self.set_keymap({str(k): str(v) for k, v in keymap.items()})

    # What the command line, the bench and the tests read.
    db = property(lambda self: self.context.db)
    state = property(lambda self: self.context.state)
    privacy = property(lambda self: self.context.privacy)
    all_pupils = property(lambda self: self.context.pupils)
    config = property(lambda self: self.context.config)
    minutes_folder = property(lambda self: self.context.minutes_folder)

    @property
    def today(self) -> date:
        return self.context.today

    @today.setter
    def today(self, value: date) -> None:
        self.context.today = value

    def on_load(self) -> None:
        self.open_database()  # while Textual starts

    def on_mount(self) -> None:
        from zorgoverleg.screens.start import StartScreen

        self.sub_title = f"{self.today:%d/%m/%Y}"
        # A second app on the same minutes is refused with one sentence (the lock is released on exit,
        # and a lock whose process is gone is taken over).
        try:
            self.lock.acquire()
        except minutes.MinutesError as exc:
            self.post_message(DatabaseFailed(visible(exc)))
            return
        except OSError as exc:
            self.post_message(DatabaseFailed(
                f"De notulenmap {visible(self.context.minutes_folder)} kan niet gebruikt worden ({minutes.reason(exc)})."))
            return
        self.push_screen(self.agenda)
        # Today's interrupted meeting goes on (a closed one is shown read-only); otherwise the start
        # form shows while the database opens.
        try:
            state = MeetingState.resume_or_none(self.context.minutes_folder, self.today)
        except minutes.MinutesError as exc:
            self.notify(visible(exc), severity="warning", timeout=10, markup=False)
            state = None
        if state is not None:
            self._use_meeting(state)
            if state.read_only:
                self.notify(f"Het overleg van {state.meeting.date:%d/%m/%Y} is afgesloten: alleen lezen. "
                            "Heropenen of een nieuw overleg starten kan via ctrl+p.", timeout=10)
            else:
                self.notify(f"Het overleg van {state.meeting.date:%d/%m/%Y} gaat verder waar het stopte.")
        else:
            self.push_screen(StartScreen(self.context), self._meeting_started)
        self._mounted.set()
        self.set_interval(1.0, self.check_saving)

    @work(thread=True, exclusive=True, exit_on_error=False, group="db")
    def open_database(self) -> None:
        try:
            opened = open_school(self.db_path, self.context.minutes_folder, self.today, self.context.config)
        except DatabaseError as exc:
            if self._wait_for_mount():
                self.post_message(DatabaseFailed(str(exc)))
            return
        if self._wait_for_mount():
            self.post_message(DatabaseOpened(opened))
        else:
            opened.db.close()

    def _wait_for_mount(self) -> bool:
        """In a worker: wait until the screens exist; False if the app stops first."""
        while not self._mounted.wait(0.05):
            if self._exit:
                return False
        return True

    @on(DatabaseOpened)
    def _database_opened(self, event: DatabaseOpened) -> None:
        self.context.db = event.opened.db
        for problem in event.opened.problems:
            self.notify(visible(problem), severity="warning", timeout=15, markup=False)
        self.agenda.load(event.opened.view)

    @on(DatabaseFailed)
    def _database_failed(self, event: DatabaseFailed) -> None:
        self.fatal_message = event.sentence
        self.exit(return_code=1)

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        self.context.data_has_changed(event.what)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(DatabaseFailed(LoadFailed(event.worker.group, event.worker.error).sentence))

    def check_saving(self) -> None:
        self.saving.check(self, self.context.state)

    def _use_meeting(self, state: MeetingState) -> None:
        self.context.state = state
        self.title = visible(state.meeting.title)
        self.saving.show(self, state)

    def _meeting_started(self, state: MeetingState | None) -> None:
        if state is not None:
            self._use_meeting(state)
            self.agenda.refresh_rows()
            self.check_saving()

    def get_system_commands(self, screen):
        yield from palette.textual_commands(self, screen)  # Textual's own, in Dutch
        yield from meeting_actions.system_commands(self, screen)

    def get_key_display(self, binding: Binding) -> str:
        from zorgoverleg.screens.keys import dutch_key_display

        return dutch_key_display(self, binding, super().get_key_display(binding))

    def action_command_palette(self) -> None:
        palette.open_palette(self)

    def action_change_theme(self) -> None:
        palette.open_theme_palette(self)

    def action_toggle_help(self) -> None:
        from zorgoverleg.screens.keys import KeysScreen

        if isinstance(self.screen, KeysScreen):
            self.screen.dismiss()
        else:
            self.push_screen(KeysScreen(self.screen))

    def action_toggle_privacy(self) -> None:
        self.context.set_privacy(not self.context.privacy)
        self.notify("Privacymodus aan: enkel initialen." if self.privacy else "Privacymodus uit.")

    def action_contrast_theme(self) -> None:
        self.theme = "projector-contrast" if self.theme != "projector-contrast" else "textual-dark"

    def action_import(self) -> None:
        from zorgoverleg.screens.import_file import ImportScreen

        if self.context.db is not None:
            self.push_screen(ImportScreen(self.context))

    def action_export(self) -> None:
        sentence, severity = export_meeting(self.context.state)
        self.notify(sentence, severity=severity, timeout=10, markup=False)

    def action_finish_meeting(self) -> None:
        meeting_actions.ask_to_finish(self, self.context)

    def action_reopen_meeting(self) -> None:
        meeting_actions.reopen(self, self.context)

    def action_new_meeting(self) -> None:
        meeting_actions.new_meeting(self, self.context, self._meeting_started)

    def on_unmount(self) -> None:
        if self.context.state is not None:
            self.context.state.close()
        if self.context.db is not None:
            self.context.db.close()
        self.lock.release()

