"""One pupil in the meeting: the picture at a glance, the walk through the roles, the decisions.

The screen runs four tab widgets (``zorgoverleg.screens.pupil_tabs``); each edits this pupil's
minutes and posts a message, and the screen saves them (``zorgoverleg.meeting.MeetingState``):
written to disk about a second after the last change.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static, TabbedContent, TabPane, TextArea

from zorgoverleg import minutes as m
from zorgoverleg.history import active_flags, carry_over, set_flag, set_flag_note
from zorgoverleg.pupil import pupil_detail
from zorgoverleg.screens.pupil_tabs import DecisionsTab, PupilOverview, RolesTab, TeamTab


class PupilScreen(Screen):
    CSS_PATH = "pupil.tcss"
    BINDINGS = [
        Binding("escape", "back", "Terug", id="back"),
        Binding("1", "tab('overview')", "Overzicht", id="tab_overview"),
        Binding("2", "tab('roles')", "Rollen", id="tab_roles"),
        Binding("3", "tab('decisions')", "Besluiten", id="tab_decisions"),
        Binding("4", "tab('team')", "Team", id="tab_team"),
    ]

    def __init__(self, pupil_key: str) -> None:
        super().__init__()
        self.pupil_key = pupil_key
        self.detail = None
        self.minutes: m.PupilMinutes | None = None
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
                yield DecisionsTab(self.app.today, id="decisions-body")
            with TabPane("4 Team", id="team", disabled=True):
                yield TeamTab(id="team-body")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "privacy", lambda _: self._show_title(), init=False)
        self.set_interval(1.0, self._tick)
        self.load()

    # ---- loading -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="pupil")
    def load(self) -> None:
        app = self.app
        cursor = app.db.cursor()
        try:
            detail = pupil_detail(app.db, self.pupil_key, app.today, app.config, cursor=cursor)
            flags = active_flags(app.db, self.pupil_key, cursor=cursor) if detail else []
        finally:
            cursor.close()
        app.call_from_thread(self._loaded, detail, flags)

    def _loaded(self, detail, flags) -> None:
        if detail is None:
            self.notify("Deze leerling staat niet in de databank.", severity="error")
            self.app.pop_screen()
            return
        self.detail = detail
        self.row = row = detail.row
        state = self.app.state
        self.minutes = state.discuss(row)
        if carry_over(self.minutes, detail.agreements, state.meeting.date):
            state.changed()
        self.minutes.flags = list(flags)
        for pane in self.query(TabPane):
            pane.disabled = False
        self._show_title()
        # The pupil being discussed is shown in full, also in privacy mode.
        self.query_one(PupilOverview).show(detail, privacy=False)
        self.query_one(RolesTab).show(self.minutes)
        self.query_one(DecisionsTab).show(self.minutes, row.signal_ids())
        present = state.meeting.present
        self.query_one(TeamTab).show(self.minutes, state.meeting.date, present[0].name if present else "")

    def _show_title(self) -> None:
        if not hasattr(self, "row"):
            return
        r = self.row
        name = f"{r.first_name} {r.last_name}"
        phase = ""
        if self.minutes is not None and self.minutes.phase is not None:
            phase = f" · fase {self.minutes.phase}"
        pivot = f" · spilfiguur {self.minutes.pivot}" if self.minutes and self.minutes.pivot else ""
        self.query_one("#pupil-title", Static).update(
            f"[b]{name}[/b] · {r.class_} · {r.b_halfdays} B · {r.absent_halfdays}/{r.possible_halfdays} "
            f"halve dagen afwezig{phase}{pivot}"
        )

    # ---- editing (messages from the tabs) ----------------------------------------------------
    def _changed(self) -> None:
        if self.minutes is not None:
            self.app.state.changed()

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
        self._store_flag(event.flag, event.on, event.note, event.by)
        self._changed()

    @on(TeamTab.NoteChanged)
    def _flag_note_changed(self, event: TeamTab.NoteChanged) -> None:
        self._store_note(event.flag, event.note)
        self._changed()

    @work(thread=True, exit_on_error=False, group="flags")
    def _store_flag(self, flag: str, on: bool, note: str, by: str) -> None:
        cursor = self.app.db.cursor()
        try:
            set_flag(self.app.db, self.pupil_key, flag, on, note=note, set_by=by, cursor=cursor)
        finally:
            cursor.close()
        self.app.flags_changed = True

    @work(thread=True, exit_on_error=False, group="flags")
    def _store_note(self, flag: str, note: str) -> None:
        cursor = self.app.db.cursor()
        try:
            set_flag_note(self.app.db, self.pupil_key, flag, note, cursor=cursor)
        finally:
            cursor.close()

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
        self.app.state.changed()
        self.app.pop_screen()

    def _tick(self) -> None:
        if self.minutes is None or self.app.screen is not self or not self.app.clock:
            return
        self.minutes.seconds_spent += 1
        self._ticks += 1
        if self._ticks % 10 == 0:
            self._changed()
        limit = int(self.app.config.section("meeting").get("timebox_minutes", 5)) * 60
        spent = self.minutes.seconds_spent
        timer = self.query_one("#pupil-timer", Static)
        timer.update(f"⏱ {spent // 60}:{spent % 60:02d} / {limit // 60}:{limit % 60:02d}")
        timer.set_class(spent > limit, "over")
