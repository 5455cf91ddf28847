"""One pupil in the meeting: the picture at a glance, the walk through the roles, the decisions.

The screen runs four tab widgets (``zorgoverleg.screens.pupil_tabs``); each edits this pupil's
minutes and posts a message, and the screen saves them (``zorgoverleg.meeting.MeetingState``):
written to disk about a second after the last change.
"""

from __future__ import annotations

import dataclasses
import threading
from contextlib import closing

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static, TabbedContent, TabPane, TextArea
from textual.worker import Worker, WorkerState

from zorgoverleg import minutes as m
from zorgoverleg.db import Database
from zorgoverleg.history import active_flags, carry_over, set_flag, set_flag_note
from zorgoverleg.pupil import PupilDetail, pupil_detail
from zorgoverleg.screens.context import AppContext
from zorgoverleg.screens.messages import DataChanged, FlagFailed, FlagStored, LoadFailed, PupilLoaded
from zorgoverleg.screens.pupil_tabs import DecisionsTab, PupilOverview, RolesTab, TeamTab
from zorgoverleg.text import visible


class FlagWrites:
    """The team flags of one pupil as the screen wants them and as they are stored.

    A worker brings one flag in line under a lock, reading what is wanted at that moment: however
    the threads of quick toggles and note edits are ordered, the last state typed is what is stored.
    The UI thread changes ``wanted`` (single dict assignments); only workers touch ``stored``.
    """

    def __init__(self, flags: list[m.TeamFlag]) -> None:
        self.lock = threading.Lock()
        self.stored: dict[str, str] = {f.flag: f.note for f in flags}  # flag -> note of each stored flag
        self.wanted: dict[str, str | None] = dict(self.stored)  # flag -> note, None: off
        self.by: dict[str, str] = {}
        self.before: dict[str, m.TeamFlag | None] = {}  # flag -> as it stood before unstored changes (UI thread)

    def want(self, flag: str, note: str | None, by: str | None = None,
             previous: m.TeamFlag | None = None) -> None:
        if flag not in self.before and by is not None:
            self.before[flag] = previous
        if by is not None:
            self.by[flag] = by
        self.wanted[flag] = note

    def wants_on(self, flag: str) -> bool:
        return self.wanted.get(flag) is not None

    def apply(self, db: Database, pupil_key: str, flag: str, cursor) -> bool:
        """In a worker: store what is wanted for ``flag``; whether the flag went on or off."""
        with self.lock:
            note = self.wanted.get(flag)
            stored = self.stored.get(flag)
            if (note is None) != (stored is None):
                set_flag(db, pupil_key, flag, note is not None, note=note or "", set_by=self.by.get(flag, ""),
                         cursor=cursor)
                changed = True
            else:
                if note is not None and note != stored:
                    set_flag_note(db, pupil_key, flag, note, cursor=cursor)
                changed = False
            if note is None:
                self.stored.pop(flag, None)
            else:
                self.stored[flag] = note
        return changed

    def stored_ok(self, flag: str) -> None:
        if self.wanted.get(flag) == self.stored.get(flag):
            self.before.pop(flag, None)

    def give_up(self, flag: str) -> m.TeamFlag | None:
        """After a failed write: want what is stored again, and return the flag as stored (None: off)."""
        note = self.wanted[flag] = self.stored.get(flag)
        before = self.before.pop(flag, None)
        if note is None:
            return None
        if before is not None:
            return dataclasses.replace(before, note=note)
        return m.TeamFlag(flag, note, self.by.get(flag, ""))


class PupilScreen(Screen):
    CSS_PATH = "pupil.tcss"
    BINDINGS = [
        Binding("escape", "back", "Terug", id="back"),
        Binding("1", "tab('overview')", "Overzicht", id="tab_overview"),
        Binding("2", "tab('roles')", "Rollen", id="tab_roles"),
        Binding("3", "tab('decisions')", "Besluiten", id="tab_decisions"),
        Binding("4", "tab('team')", "Team", id="tab_team"),
    ]

    def __init__(self, context: AppContext, pupil_key: str) -> None:
        super().__init__()
        self.context = context
        self.pupil_key = pupil_key
        self.detail: PupilDetail | None = None
        self.minutes: m.PupilMinutes | None = None
        self.flag_writes = FlagWrites([])
        self._ticks = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pupil-bar"):
            yield Static("Leerling wordt geladen…", id="pupil-title")
            yield Static("", id="pupil-timer")
        with TabbedContent(id="pupil-tabs", initial="overview"):
            with TabPane("1 Overzicht", id="overview"):
                yield PupilOverview(id="overview-widget")
            with TabPane("2 Rollen", id="roles", disabled=True):
                yield RolesTab(id="roles-body")
            with TabPane("3 Besluiten", id="decisions", disabled=True):
                yield DecisionsTab(self.context.today, id="decisions-body")
            with TabPane("4 Team", id="team", disabled=True):
                yield TeamTab(id="team-body")
        yield Footer()

    def on_mount(self) -> None:
        self.context.privacy_changed.subscribe(self, lambda _: self._show_title())
        self.set_interval(1.0, self._tick)
        self.load()

    # ---- loading -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="pupil")
    def load(self) -> None:
        context = self.context
        with closing(context.database.cursor()) as cursor:
            detail = pupil_detail(context.database, self.pupil_key, context.today, context.config, cursor=cursor)
            flags = active_flags(context.database, self.pupil_key, cursor=cursor) if detail else []
        self.post_message(PupilLoaded(detail, flags))

    @on(PupilLoaded)
    def _loaded(self, event: PupilLoaded) -> None:
        detail = event.detail
        if detail is None:
            self.notify("Deze leerling staat niet in de databank.", severity="error")
            self.app.pop_screen()
            return
        self.detail = detail
        self.row = row = detail.row
        state = self.context.meeting
        self.minutes = state.discuss(row)
        if carry_over(self.minutes, detail.agreements, state.meeting.date):
            state.changed()
        self.minutes.flags = list(event.flags)
        self.flag_writes = FlagWrites(event.flags)
        for pane in self.query(TabPane):
            pane.disabled = False
        self._show_title()
        # The pupil being discussed is shown in full, also in privacy mode.
        self.query_one(PupilOverview).show(detail, privacy=False)
        self.query_one(RolesTab).show(self.minutes)
        self.query_one(DecisionsTab).show(self.minutes, row.signal_ids())
        present = state.meeting.present
        self.query_one(TeamTab).show(self.minutes, state.meeting.date, present[0].name if present else "")

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(LoadFailed(event.worker.group, event.worker.error))

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        if event.group == "pupil":  # the tabs stay closed; Esc goes back to the list
            title = self.query_one("#pupil-title", Static)
            title.update(Content(event.sentence))
            title.add_class("-failed")
        else:
            self.notify(event.sentence, severity="error", timeout=10, markup=False)

    def _show_title(self) -> None:
        if not hasattr(self, "row"):
            return
        r = self.row
        parts = [f" · {visible(r.class_)} · {r.b_halfdays} B · {r.absent_halfdays}/{r.possible_halfdays} "
                 "halve dagen afwezig"]
        if self.minutes is not None and self.minutes.phase is not None:
            parts.append(f" · fase {self.minutes.phase}")
        if self.minutes is not None and self.minutes.pivot:
            parts.append(f" · spilfiguur {visible(self.minutes.pivot)}")
        # Names and typed text are content, never markup.
        self.query_one("#pupil-title", Static).update(
            Content.assemble((visible(f"{r.first_name} {r.last_name}"), "bold"), *parts)
        )

    # ---- editing (messages from the tabs) ----------------------------------------------------
    def _changed(self) -> None:
        if self.minutes is not None:
            self.context.meeting.changed()

    @on(RolesTab.Changed)
    def _roles_changed(self, event: RolesTab.Changed) -> None:
        self._changed()

    @on(DecisionsTab.Changed)
    def _decisions_changed(self, event: DecisionsTab.Changed) -> None:
        if event.field in ("pivot", "phase"):
            self._show_title()
        self._changed()

    @on(TeamTab.FlagToggled)
    def _flag_toggled(self, event: TeamTab.FlagToggled) -> None:
        self.flag_writes.want(event.flag, event.note if event.on else None, event.by, event.previous)
        self._store_flag(event.flag)
        self._changed()

    @on(TeamTab.NoteChanged)
    def _flag_note_changed(self, event: TeamTab.NoteChanged) -> None:
        if self.flag_writes.wants_on(event.flag):
            self.flag_writes.want(event.flag, event.note)
            self._store_flag(event.flag)
        self._changed()

    @work(thread=True, exit_on_error=False, group="flags")
    def _store_flag(self, flag: str) -> None:
        try:
            with closing(self.context.database.cursor()) as cursor:
                changed = self.flag_writes.apply(self.context.database, self.pupil_key, flag, cursor)
        except Exception as exc:  # told on screen; the flag goes back to what is stored
            self.post_message(FlagFailed(flag, exc))
            return
        if changed:  # to the App: it outlives this screen, and the list must be computed again
            self.app.post_message(DataChanged("team_flags"))
        self.post_message(FlagStored(flag))

    @on(FlagStored)
    def _flag_stored(self, event: FlagStored) -> None:
        self.flag_writes.stored_ok(event.flag)

    @on(FlagFailed)
    def _flag_failed(self, event: FlagFailed) -> None:
        previous = self.flag_writes.give_up(event.flag)
        self.query_one(TeamTab).undo(event.flag, previous)
        self._changed()  # the minutes no longer claim what was not stored
        self.notify(event.sentence, severity="error", timeout=15, markup=False)

    # ---- navigation --------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        if self.minutes is None:  # still loading: nothing to type into yet
            return
        self.query_one(TabbedContent).active = tab
        if tab == "roles":
            self.query_one(RolesTab).role_list.focus()
        elif tab == "decisions":
            self.query_one(DecisionsTab).focus_first()
        elif tab == "team":
            self.query_one(TeamTab).focus_first()

    def action_back(self) -> None:
        focused = self.focused
        roles = self.query_one(RolesTab)
        if roles.is_answer(focused):
            roles.role_list.focus()
            return
        if isinstance(focused, (TextArea, Input, Select, Checkbox, DataTable)):
            self.query_one(TabbedContent).focus()
            self.set_focus(None)
            return
        self.context.meeting.changed()
        self.app.pop_screen()

    def _tick(self) -> None:
        if self.minutes is None or not self.is_current or not self.context.clock:
            return
        self.minutes.seconds_spent += 1
        self._ticks += 1
        if self._ticks % 10 == 0:
            self._changed()
        limit = int(self.context.config.section("meeting").get("timebox_minutes", 5)) * 60
        spent = self.minutes.seconds_spent
        timer = self.query_one("#pupil-timer", Static)
        timer.update(f"⏱ {spent // 60}:{spent % 60:02d} / {limit // 60}:{limit % 60:02d}")
        timer.set_class(spent > limit, "over")
