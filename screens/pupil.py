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

import dataclasses
import threading
from contextlib import closing
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
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
from zorgoverleg.db import Database
from zorgoverleg.history import active_flags, set_flag, set_flag_note
from zorgoverleg.meeting import CLOSED, ClosedError, pupil_ref
from zorgoverleg.pupil import PupilDetail, pupil_detail
from zorgoverleg.screens.confirm import ConfirmScreen
from zorgoverleg.screens.context import AppContext
from zorgoverleg.screens.header import DutchHeader
from zorgoverleg.screens.messages import (
    DataChanged,
    FlagFailed,
    FlagStored,
    LoadFailed,
    PupilLoaded,
    ReportsWorkerFailures,
)
from zorgoverleg.screens.pupil_tabs import DecisionsTab, HistoryTab, PupilOverview, RolesTab, TeamTab
from zorgoverleg.screens.report_commands import PupilReportProvider
from zorgoverleg.text import visible

FORMS = ("roles", "decisions", "team")  # the tabs that hold fields


class FlagWrites:
    """The team flags of one pupil as the screen wants them and as they are stored.

    A worker brings one flag in line under a lock, reading what is wanted at that moment: however
    the threads of quick toggles and note edits are ordered, the last state typed is what is stored.
    The UI thread changes ``wanted`` (single dict assignments); only workers touch ``stored``.
    """

    def __init__(self, flags: list[m.TeamFlag], set_at: date | None = None) -> None:
        self.set_at = set_at  # the meeting's day: what a meeting records takes its date from it
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
                         set_at=self.set_at, cursor=cursor)
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
        return m.TeamFlag(flag, note, self.by.get(flag, ""), self.set_at)


class PupilScreen(ReportsWorkerFailures, Screen):
    CSS_PATH = "pupil.tcss"
    COMMANDS = {PupilReportProvider}  # the absence overview (zorgoverleg report) from the palette
    BINDINGS = [
        Binding("escape", "back", "Terug", id="back"),
        # The tab labels show these keys already ("1 Overzicht"): kept out of the footer for 80 columns.
        Binding("1", "tab('overview')", "Overzicht", id="tab_overview", show=False),
        Binding("2", "tab('roles')", "Rollen", id="tab_roles", show=False),
        Binding("3", "tab('decisions')", "Besluiten", id="tab_decisions", show=False),
        Binding("4", "tab('team')", "Team", id="tab_team", show=False),
        Binding("5", "tab('history')", "Geschiedenis", id="tab_history", show=False),
        Binding("ctrl+b", "toggle_discussed", "Besproken", id="discussed"),
        Binding("ctrl+r", "clear_prefilled", "Vorige keer wissen", id="clear_prefilled", show=False),
        Binding("tab", "cycle(1)", "Volgend veld", show=False, id="next_field"),
        Binding("shift+tab", "cycle(-1)", "Vorig veld", show=False, id="previous_field"),
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
        yield DutchHeader()
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
        self.minutes = state.open_pupil(row)  # a draft from the dossier, or what this meeting noted
        self.minutes.flags = list(event.flags)
        self.flag_writes = FlagWrites(event.flags, state.meeting.date)
        for pane in self.query(TabPane):
            pane.disabled = False
        self._show_title()
        # The pupil being discussed is shown in full, also in privacy mode.
        self.query_one(PupilOverview).show(detail, privacy=False)
        self.query_one(HistoryTab).show(state.dossier(pupil_ref(row)).history)
        self._show_minutes()

    def _meeting_day(self) -> date:
        state = self.context.state
        return state.meeting.date if state is not None else self.context.today

    def _show_minutes(self) -> None:
        """Fill the tabs from ``self.minutes`` (with the dossier's marks) and lock them when closed."""
        assert self.minutes is not None
        state = self.context.meeting
        ref = self.minutes.pupil_id
        dossier = state.dossier(ref)
        baseline = state.baselines.get(ref) if dossier.last is not None else None
        self.query_one(RolesTab).show(self.minutes, baseline, dossier.noted)
        self.query_one(DecisionsTab).show(self.minutes, self.row.signal_ids(), baseline, dossier.noted)
        present = state.meeting.present
        self.query_one(TeamTab).show(self.minutes, state.meeting.date, present[0].name if present else "")
        self.apply_lock()

    def apply_lock(self) -> None:
        """Read-only while the meeting is closed (called again when it is closed or reopened)."""
        if self.minutes is None:
            return
        locked = self.context.meeting.read_only
        self.query_one(RolesTab).set_locked(locked)
        self.query_one(DecisionsTab).set_locked(locked)
        self.query_one(TeamTab).set_locked(locked)
        self.set_class(locked, "-closed")
        self._show_dossier()

    def _show_dossier(self) -> None:
        """The line under the title: closed, discussed, or what the dossier prefilled."""
        line = self.query_one("#pupil-dossier", Static)
        state = self.context.state
        if self.minutes is None or state is None:
            line.update("")
            return
        meeting = state.meeting
        if state.read_only:
            when = (f" op {format_date(meeting.finished_at.date())} om {meeting.finished_at:%H:%M}"
                    if meeting.finished_at else "")
            line.update(Content.styled(f"🔒 AFGESLOTEN{when}: alleen lezen. Heropenen: ctrl+p, ‘Overleg heropenen’.",
                                       "bold"))
            return
        noted = state.dossier(self.minutes.pupil_id).noted
        if state.is_discussed(self.minutes.pupil_id):
            text = "✓ Besproken in dit overleg · ctrl+b: toch niet besproken"
        elif noted is not None:
            text = (f"Vorige keer, {short_date(noted)}: wat toen genoteerd werd, staat ingevuld. "
                    "Bevestig met ctrl+b, pas aan door te typen, of wis met ctrl+r.")
        else:
            text = "Eerste bespreking · nog niet in de notulen: typ iets, of ctrl+b om als besproken te markeren."
        line.update(Content(text))

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
        """The team typed or decided something: the pupil is discussed now, and saved."""
        if self.minutes is None:
            return
        state = self.context.meeting
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
                self.notify(f"Afspraak geschrapt: {visible(action.what)}", markup=False)

        since = f" (afgesproken op {format_date(action.since)})" if action.since else ""
        self.app.push_screen(ConfirmScreen(
            f"Afspraak ‘{visible(action.what)}’ schrappen?",
            f"Ze verdwijnt uit de notulen van dit overleg{since} en komt niet terug in het volgende overleg.",
            yes="Schrappen"), answered)

    def action_toggle_discussed(self) -> None:
        """Mark the pupil discussed (what stands is confirmed into the minutes), or take it out again."""
        state = self.context.state
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
            if not yes or self.minutes is None:
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
        state = self.context.state
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

    @on(TeamTab.FlagToggled)
    def _flag_toggled(self, event: TeamTab.FlagToggled) -> None:
        if self.context.meeting.read_only:
            self.query_one(TeamTab).undo(event.flag, event.previous)
            return
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
        if tab == "overview":
            self.query_one(PupilOverview).focus()  # arrows and PageDown scroll the overview at once
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
            self.notify(problem, severity="warning", timeout=10, markup=False)
        state = self.context.state
        if self.minutes is not None and state is not None and state.is_discussed(self.minutes.pupil_id):
            state.changed()
        self.app.pop_screen()

    def _tick(self) -> None:
        state = self.context.state
        if self.minutes is None or not self.is_current or not self.context.clock or state is None or state.read_only:
            return
        self.minutes.seconds_spent += 1
        self._ticks += 1
        if self._ticks % 10 == 0 and state.is_discussed(self.minutes.pupil_id):
            state.changed()  # the time spent; a pupil not discussed leaves no trace
        limit = int(self.context.config.section("meeting").get("timebox_minutes", 5)) * 60
        spent = self.minutes.seconds_spent
        timer = self.query_one("#pupil-timer", Static)
        timer.update(f"⏱ {spent // 60}:{spent % 60:02d} / {limit // 60}:{limit % 60:02d}")
        timer.set_class(spent > limit, "over")
