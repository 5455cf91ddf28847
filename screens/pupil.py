"""One pupil in the meeting: the picture at a glance, the walk through the roles, the decisions,
team knowledge and the earlier meetings.

The screen runs five tab widgets (``zorgoverleg.screens.pupil_tabs``); each edits this pupil's
minutes and posts a message, and the screen saves them (``zorgoverleg.meeting.MeetingState``):
written to disk about a second after the last change.

The dossier: a pupil discussed before opens with what stands from last time, prefilled and
marked "vorige keer, dd/mm". Opening leaves no trace; the pupil enters the minutes when the team
types or decides something, or marks it discussed (``ctrl+b``, which also confirms what was
prefilled). ``ctrl+r`` clears what was prefilled. In a closed meeting every field is read-only.
Tab and shift+tab cycle within the tab's form, so focus never lands outside it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    ListView,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from zorgoverleg import minutes as m
from zorgoverleg.dates import format_date, short_date
from zorgoverleg.history import active_flags, set_flag, set_flag_note
from zorgoverleg.meeting import CLOSED, ClosedError, pupil_ref
from zorgoverleg.pupil import pupil_detail
from zorgoverleg.screens.confirm import ConfirmScreen
from zorgoverleg.screens.pupil_tabs import DecisionsTab, HistoryTab, PupilOverview, RolesTab, TeamTab
from zorgoverleg.text import visible

FORMS = ("roles", "decisions", "team")  # the tabs that hold fields


class PupilScreen(Screen):
    CSS_PATH = "pupil.tcss"
    BINDINGS = [
        Binding("escape", "back", "Terug", id="back"),
        Binding("1", "tab('overview')", "Overzicht", id="tab_overview"),
        Binding("2", "tab('roles')", "Rollen", id="tab_roles"),
        Binding("3", "tab('decisions')", "Besluiten", id="tab_decisions"),
        Binding("4", "tab('team')", "Team", id="tab_team"),
        Binding("5", "tab('history')", "Geschiedenis", id="tab_history"),
        Binding("ctrl+b", "toggle_discussed", "Besproken", id="discussed"),
        Binding("ctrl+r", "clear_prefilled", "Vorige keer wissen", id="clear_prefilled", show=False),
        Binding("tab", "cycle(1)", "Volgend veld", show=False, id="next_field"),
        Binding("shift+tab", "cycle(-1)", "Vorig veld", show=False, id="previous_field"),
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
        yield Static("", id="pupil-dossier")
        with TabbedContent(id="pupil-tabs", initial="overview"):
            with TabPane("1 Overzicht", id="overview"):
                yield PupilOverview(id="overview-widget")
            with TabPane("2 Rollen", id="roles", disabled=True):
                yield RolesTab(id="roles-body")
            with TabPane("3 Besluiten", id="decisions", disabled=True):
                yield DecisionsTab(self._meeting_day(), id="decisions-body")
            with TabPane("4 Team", id="team", disabled=True):
                yield TeamTab(id="team-body")
            with TabPane("5 Geschiedenis", id="history", disabled=True):
                yield HistoryTab(id="history-body")
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

    def _meeting_day(self):
        state = self.app.state
        return state.meeting.date if state is not None else self.app.today

    def _loaded(self, detail, flags) -> None:
        if detail is None:
            self.notify("Deze leerling staat niet in de databank.", severity="error")
            self.app.pop_screen()
            return
        self.detail = detail
        self.row = row = detail.row
        state = self.app.state
        self.minutes = state.open_pupil(row)  # a draft from the dossier, or what this meeting noted
        self.minutes.flags = list(flags)
        for pane in self.query(TabPane):
            pane.disabled = False
        self._show_title()
        # The pupil being discussed is shown in full, also in privacy mode.
        self.query_one(PupilOverview).show(detail, privacy=False)
        self.query_one(HistoryTab).show(state.dossier(pupil_ref(row)).history)
        self._show_minutes()

    def _show_minutes(self) -> None:
        """Fill the tabs from ``self.minutes`` (with the dossier's marks) and lock them when closed."""
        state = self.app.state
        ref = self.minutes.pupil_id
        dossier = state.dossier(ref)
        baseline = state.baselines.get(ref) if dossier.last is not None else None
        noted = dossier.noted
        self.query_one(RolesTab).show(self.minutes, baseline, noted)
        self.query_one(DecisionsTab).show(self.minutes, self.row.signal_ids(), baseline, noted)
        present = state.meeting.present
        self.query_one(TeamTab).show(self.minutes, state.meeting.date, present[0].name if present else "")
        self.apply_lock()

    def apply_lock(self) -> None:
        """Read-only while the meeting is closed (called again when it is closed or reopened)."""
        if self.minutes is None:
            return
        locked = self.app.state.read_only
        for tab in (self.query_one(RolesTab), self.query_one(DecisionsTab), self.query_one(TeamTab)):
            tab.set_locked(locked)
        self.set_class(locked, "-closed")
        self._show_dossier()

    def _show_dossier(self) -> None:
        """The line under the title: closed, discussed, or what the dossier prefilled."""
        line = self.query_one("#pupil-dossier", Static)
        state = self.app.state
        if self.minutes is None or state is None:
            line.update("")
            return
        meeting = state.meeting
        discussed = state.is_discussed(self.minutes.pupil_id)
        if state.read_only:
            when = f" op {format_date(meeting.finished_at.date())} om {meeting.finished_at:%H:%M}" if meeting.finished_at else ""
            line.update(Text(f"🔒 AFGESLOTEN{when}: alleen lezen. Heropenen: ctrl+p, ‘Overleg heropenen’.",
                             style="bold"))
            return
        dossier = state.dossier(self.minutes.pupil_id)
        if discussed:
            text = "✓ Besproken in dit overleg · ctrl+b: toch niet besproken"
        elif dossier.noted is not None:
            text = (f"Vorige keer, {short_date(dossier.noted)}: wat toen genoteerd werd, staat ingevuld. "
                    "Bevestig met ctrl+b, pas aan door te typen, of wis met ctrl+r.")
        else:
            text = "Eerste bespreking · nog niet in de notulen: typ iets, of ctrl+b om als besproken te markeren."
        line.update(Text(text))

    def _show_title(self) -> None:
        if not hasattr(self, "row"):
            return
        r = self.row
        name = visible(f"{r.first_name} {r.last_name}")
        phase = ""
        if self.minutes is not None and self.minutes.phase is not None:
            phase = f" · fase {self.minutes.phase}"
        pivot = f" · spilfiguur {visible(self.minutes.pivot)}" if self.minutes and self.minutes.pivot else ""
        title = Text(name, style="bold")
        title.append(f" · {visible(r.class_)} · {r.b_halfdays} B · {r.absent_halfdays}/{r.possible_halfdays} "
                     f"halve dagen afwezig{phase}{pivot}")
        self.query_one("#pupil-title", Static).update(title)

    # ---- editing (messages from the tabs) ----------------------------------------------------
    def _changed(self) -> None:
        """The team typed or decided something: the pupil is discussed now, and saved."""
        if self.minutes is None:
            return
        state = self.app.state
        was = state.is_discussed(self.minutes.pupil_id)
        try:
            state.touch(self.minutes)
        except ClosedError as exc:
            self.notify(str(exc), severity="warning")
            return
        if not was:
            self._show_dossier()

    @on(RolesTab.Changed)
    def _roles_changed(self, event: RolesTab.Changed) -> None:
        self._changed()

    @on(DecisionsTab.Changed)
    def _decisions_changed(self, event: DecisionsTab.Changed) -> None:
        if event.field in ("pivot", "phase"):
            self._show_title()
        self._changed()

    @on(DecisionsTab.DeleteAsked)
    def _delete_asked(self, event: DecisionsTab.DeleteAsked) -> None:
        action = event.action

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_one(DecisionsTab).delete_action(action.id)
                self.notify(f"Afspraak geschrapt: {visible(action.what)}")

        since = f" (afgesproken op {format_date(action.since)})" if action.since else ""
        self.app.push_screen(ConfirmScreen(
            f"Afspraak ‘{visible(action.what)}’ schrappen?",
            f"Ze verdwijnt uit de notulen van dit overleg{since} en komt niet terug in het volgende overleg.",
            yes="Schrappen"), answered)

    @on(TeamTab.FlagToggled)
    def _flag_toggled(self, event: TeamTab.FlagToggled) -> None:
        if self.app.state.read_only:
            self.query_one(TeamTab).undo(event.flag, event.previous)
            return
        self._store_flag(event.flag, event.on, event.note, event.by)
        self._changed()

    @on(TeamTab.NoteChanged)
    def _flag_note_changed(self, event: TeamTab.NoteChanged) -> None:
        self._store_note(event.flag, event.note)
        self._changed()

    def action_toggle_discussed(self) -> None:
        """Mark the pupil discussed (what stands is confirmed into the minutes), or take it out again."""
        state = self.app.state
        if self.minutes is None or state is None:
            return
        if state.read_only:
            self.notify(CLOSED, severity="warning")
            return
        ref = self.minutes.pupil_id
        if not state.is_discussed(ref):
            state.mark(self.minutes)
            self.notify("Als besproken in de notulen gezet.")
            self._show_dossier()
            return

        def unmark(yes: bool | None = True) -> None:
            if not yes:
                return
            draft = state.unmark(ref)
            if draft is not None:
                draft.flags = list(self.minutes.flags)
                self.minutes = draft
                self._show_title()
                self._show_minutes()
            self.notify("Niet meer als besproken in de notulen.")

        if state.typed_anything(ref):
            self.app.push_screen(ConfirmScreen(
                "Deze leerling toch niet bespreken?",
                "Wat in dit overleg over deze leerling getypt of beslist werd, gaat uit de notulen. "
                "Wat vorige keer genoteerd werd, blijft.", yes="Uit de notulen halen"), unmark)
        else:
            unmark()

    def action_clear_prefilled(self) -> None:
        """Clear the values the dossier prefilled (pivot, channel, phase, escalations, decisions, answers).
        Open agreements stay: they are ticked done or deleted one by one."""
        state = self.app.state
        if self.minutes is None or state is None or state.read_only:
            return
        pm = self.minutes
        pm.pivot = pm.channel = ""
        pm.phase = None
        pm.escalations, pm.decisions = [], []
        for note in pm.roles:
            note.view = note.doing = note.can_do = ""
        self._show_title()
        self._show_minutes()
        self._changed()
        self.notify("Wat vorige keer genoteerd werd, is gewist; de open afspraken blijven.")

    @work(thread=True, exit_on_error=False, group="flags")
    def _store_flag(self, flag: str, on: bool, note: str, by: str) -> None:
        cursor = self.app.db.cursor()
        try:
            set_flag(self.app.db, self.pupil_key, flag, on, note=note, set_by=by,
                     set_at=self._meeting_day(), cursor=cursor)
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
        targets = {"roles": "#roles-list", "decisions": "#d-pivot", "team": ".team-flag", "history": "#history-body"}
        if tab in targets:
            self.query(targets[tab]).first().focus()

    def form_fields(self) -> list:
        """The fields of the tab on screen, in focus order (scroll containers left out)."""
        pane = self.query_one(f"#{self.query_one(TabbedContent).active}")
        return [w for w in self.focus_chain
                if pane in w.ancestors and isinstance(w, (Input, TextArea, Select, Checkbox, DataTable, ListView))]

    def action_cycle(self, direction: int) -> None:
        """Tab and shift+tab stay within the form of the tab on screen."""
        if self.query_one(TabbedContent).active not in FORMS:
            self.focus_next() if direction > 0 else self.focus_previous()
            return
        fields = self.form_fields()
        if not fields:
            return
        if self.focused in fields:
            target = fields[(fields.index(self.focused) + direction) % len(fields)]
        else:
            target = fields[0] if direction > 0 else fields[-1]
        self.set_focus(target)  # at once: the next tab key, right behind, starts from here

    def action_back(self) -> None:
        focused = self.focused
        roles = self.query_one(RolesTab)
        if roles.is_answer(focused):
            roles.role_list.focus()
            return
        decisions = self.query_one(DecisionsTab)
        if decisions.cancel_edit():
            return
        if isinstance(focused, (TextArea, Input, Select, Checkbox, DataTable)):
            self.query_one(TabbedContent).focus()
            self.set_focus(None)
            return
        problem = decisions.pending_problem()
        if problem:
            self.notify(problem, severity="warning", timeout=10)
        if self.minutes is not None and self.app.state.is_discussed(self.minutes.pupil_id):
            self.app.state.changed()
        self.app.pop_screen()

    def _tick(self) -> None:
        if self.minutes is None or self.app.screen is not self or not self.app.clock or self.app.state.read_only:
            return
        self.minutes.seconds_spent += 1
        self._ticks += 1
        if self._ticks % 10 == 0 and self.app.state.is_discussed(self.minutes.pupil_id):
            self.app.state.changed()  # the time spent; a pupil not discussed leaves no trace
        limit = int(self.app.config.section("meeting").get("timebox_minutes", 5)) * 60
        spent = self.minutes.seconds_spent
        timer = self.query_one("#pupil-timer", Static)
        timer.update(f"⏱ {spent // 60}:{spent % 60:02d} / {limit // 60}:{limit % 60:02d}")
        timer.set_class(spent > limit, "over")
