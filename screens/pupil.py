"""One pupil in the meeting: the picture at a glance, the walk through the roles, the decisions.

Every keystroke lands in the meeting's minutes (``zorgoverleg.meeting.MeetingState``),
which are written to disk about a second after the last change.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    ListItem,
    ListView,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from zorgoverleg import minutes as m
from zorgoverleg.history import TEAM_FLAGS, active_flags, carry_over, set_flag, set_flag_note
from zorgoverleg.pupil import pupil_detail
from zorgoverleg.screens.overview import PupilOverview
from zorgoverleg.screens.tickbox import TickBox

QUESTIONS = (
    ("view", "Hoe {kijkt} {role} naar de situatie?"),
    ("doing", "Wie doet al wat? Wat {doet} {role} al?"),
    ("can_do", "Wat {kan} {role} (nog) doen?"),
)
# How each default role reads inside a question, and whether it takes a plural verb.
ROLE_PHRASES = {
    "Lln": ("de leerling", False), "Ouders": ("de ouders", True), "Klasgenoot": ("een klasgenoot", False),
    "Klasgroep": ("de klasgroep", False), "Leerkracht": ("de leerkracht", False), "CLB": ("het CLB", False),
    "Leerlingbegeleider": ("de leerlingbegeleider", False),
    "Graadcoördinator": ("de graadcoördinator", False), "Directeur": ("de directeur", False),
}


def question(template: str, role: str) -> str:
    phrase, plural = ROLE_PHRASES.get(role, (role, False))
    verbs = {"kijkt": "kijken", "doet": "doen", "kan": "kunnen"}
    text = template.format(role=phrase, **{k: (v if plural else k) for k, v in verbs.items()})
    return text
# Escalations the signals call for: escalation id -> signal ids that recommend it.
RECOMMENDED = {
    "clb_report": ("b_clb",),
    "police": ("b_police",),
    "toah_bednet": ("long_illness",),
    "naft": ("b_allowance", "detachment", "severe"),
}


class RoleItem(ListItem):
    def __init__(self, note: m.RoleNote) -> None:
        self.note = note
        self.label = Label(self._text())
        super().__init__(self.label)

    def _text(self) -> str:
        tick = "☑" if self.note.involved else "☐"
        filled = " •" if (self.note.view or self.note.doing or self.note.can_do) else ""
        return f"{tick} {self.note.role}{filled}"

    def refresh_label(self) -> None:
        self.label.update(self._text())


class PupilScreen(Screen):
    CSS_PATH = "pupil.tcss"
    BINDINGS = [
        Binding("escape", "back", "Terug", id="back"),
        # The tab labels show these keys already ("1 Overzicht"): kept out of the footer for 80 columns.
        Binding("1", "tab('overview')", "Overzicht", id="tab_overview", show=False),
        Binding("2", "tab('roles')", "Rollen", id="tab_roles", show=False),
        Binding("3", "tab('decisions')", "Besluiten", id="tab_decisions", show=False),
        Binding("4", "tab('team')", "Team", id="tab_team", show=False),
    ]

    def __init__(self, pupil_key: str) -> None:
        super().__init__()
        self.pupil_key = pupil_key
        self.detail = None
        self.minutes: m.PupilMinutes | None = None
        self.current_role: RoleItem | None = None
        self._filling = False
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
                with Horizontal(id="roles-body"):
                    with Vertical(id="roles-left"):
                        yield ListView(id="roles-list")
                        yield Input(placeholder="+ rol toevoegen (Enter)", id="roles-add")
                        yield Static("Spatie: betrokken aan/uit · Tab: naar de vragen · Esc: terug", id="roles-help")
                    with VerticalScroll(id="roles-right"):
                        for field, _template in QUESTIONS:
                            yield Label("", id=f"q-{field}", classes="question")
                            yield TextArea(id=f"role-{field}", classes="answer")
            with TabPane("3 Besluiten", id="decisions", disabled=True):
                with VerticalScroll(id="decisions-body"):
                    with Horizontal(classes="row"):
                        with Vertical(classes="cell"):
                            yield Label("Spilfiguur")
                            yield Input(id="d-pivot", placeholder="wie houdt contact en coördineert")
                        with Vertical(classes="cell"):
                            yield Label("Communicatiekanaal")
                            yield Input(id="d-channel", placeholder="telefoon, mail, gesprek…")
                    with Horizontal(classes="row"):
                        with Vertical(classes="cell"):
                            yield Label("Volgende evaluatie (JJJJ-MM-DD)")
                            yield Input(id="d-review")
                        with Vertical(classes="cell"):
                            yield Label("Fase zorgcontinuüm")
                            yield Select([(f"{k} {v}", k) for k, v in m.PHASES.items()], id="d-phase",
                                         prompt="kies een fase")
                    yield Label("Escalaties")
                    with Horizontal(id="d-escalations"):
                        for key, label in m.ESCALATIONS.items():
                            yield TickBox(label, id=f"esc-{key}")
                    yield Static("", id="d-recommended")
                    yield Label("Beslissingen (één per regel)")
                    yield TextArea(id="d-decisions")
                    yield Label("Afspraken: wat, wie, tegen wanneer (Enter voegt toe; spatie in de tabel: gedaan)")
                    with Horizontal(classes="row", id="d-action-form"):
                        yield Input(id="a-what", placeholder="wat")
                        yield Input(id="a-who", placeholder="wie")
                        yield Input(id="a-due", placeholder="JJJJ-MM-DD")
                    yield DataTable(id="d-actions", cursor_type="row")
            with TabPane("4 Team", id="team", disabled=True):
                with VerticalScroll(id="team-body"):
                    yield Static(
                        "Wat het team weet en de export niet toont. Telt mee in de prioriteit (teamsignaal). "
                        "Spatie: aan/uit; de toelichting mag leeg blijven.", id="team-help")
                    with Horizontal(classes="row"):
                        yield Label("Ingesteld door ")
                        yield Input(id="team-by", placeholder="naam")
                    for flag, label in TEAM_FLAGS.items():
                        with Horizontal(classes="team-row"):
                            yield TickBox(label, id=f"flag-{flag}", classes="team-flag")
                            yield Input(id=f"flagnote-{flag}", placeholder="toelichting", classes="team-note")
                            yield Static("", id=f"flaginfo-{flag}", classes="team-info")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#d-actions", DataTable)
        table.add_column("", key="done", width=2)
        table.add_column("Wat", key="what")
        table.add_column("Wie", key="who", width=16)
        table.add_column("Tegen", key="due", width=10)
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
        self.minutes = self.app.state.discuss(row)
        if carry_over(self.minutes, detail.agreements, self.app.state.meeting.date):
            self.app.state.changed()
        self.minutes.flags = list(flags)
        for pane in self.query(TabPane):
            pane.disabled = False
        self._show_title()
        # The pupil being discussed is shown in full, also in privacy mode.
        self.query_one("#overview-widget", PupilOverview).show(detail, privacy=False)
        self._fill()

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

    def _fill(self) -> None:
        """Put the minutes of this pupil into the fields (resume shows what was typed)."""
        pm = self.minutes
        self._filling = True
        try:
            roles = self.query_one("#roles-list", ListView)
            roles.clear()
            roles.extend(RoleItem(note) for note in pm.roles)
            self.query_one("#d-pivot", Input).value = pm.pivot
            self.query_one("#d-channel", Input).value = pm.channel
            self.query_one("#d-review", Input).value = pm.next_review.isoformat() if pm.next_review else ""
            if pm.phase is not None:
                self.query_one("#d-phase", Select).value = pm.phase
            self.query_one("#d-decisions", TextArea).text = "\n".join(pm.decisions)
            fired = set(self.row.signal_ids())
            recommended = []
            for key in m.ESCALATIONS:
                box = self.query_one(f"#esc-{key}", Checkbox)
                box.value = key in pm.escalations
                if fired & set(RECOMMENDED.get(key, ())):
                    box.add_class("recommended")
                    box.label = f"{m.ESCALATIONS[key]} ◂ aanbevolen"  # in words too, not only in colour
                    recommended.append(m.ESCALATIONS[key])
            self.query_one("#d-recommended", Static).update(
                ("De signalen vragen: " + ", ".join(recommended) + ".") if recommended else ""
            )
            self._refresh_actions()
            present = self.app.state.meeting.present
            self.query_one("#team-by", Input).value = present[0].name if present else ""
            self._fill_flags()
        finally:
            self._filling = False
        if pm.roles:
            self.call_after_refresh(self._select_role, 0)

    def _fill_flags(self) -> None:
        active = {f.flag: f for f in self.minutes.flags}
        for flag in TEAM_FLAGS:
            info = active.get(flag)
            self.query_one(f"#flag-{flag}", Checkbox).value = info is not None
            self.query_one(f"#flagnote-{flag}", Input).value = info.note if info else ""
            when = info.set_at.strftime("%d/%m/%Y") if info and info.set_at else ""
            self.query_one(f"#flaginfo-{flag}", Static).update(
                f"{info.set_by or 'team'} · {when}" if info else ""
            )

    def _select_role(self, index: int) -> None:
        roles = self.query_one("#roles-list", ListView)
        if roles.children:
            roles.index = index
            self._show_role(roles.children[index])

    def _show_role(self, item) -> None:
        if not isinstance(item, RoleItem):
            return
        self.current_role = item
        self._filling = True
        try:
            for field, template in QUESTIONS:
                self.query_one(f"#q-{field}", Label).update(question(template, item.note.role))
                self.query_one(f"#role-{field}", TextArea).text = getattr(item.note, field)
        finally:
            self._filling = False

    def _refresh_actions(self) -> None:
        table = self.query_one("#d-actions", DataTable)
        table.clear()
        for number, action in enumerate(self.minutes.actions):
            overdue = action.due is not None and action.due < self.app.today and not action.done
            what = action.what + (f"  (sinds {action.since:%d/%m})" if action.since else "")
            table.add_row("✓" if action.done else ("!" if overdue else "○"), what, action.who,
                          action.due.strftime("%d/%m/%Y") if action.due else "", key=str(number))

    # ---- editing -----------------------------------------------------------------------------
    def _changed(self) -> None:
        if not self._filling and self.minutes is not None:
            self.app.state.changed()

    @on(ListView.Highlighted, "#roles-list")
    def _role_highlighted(self, event: ListView.Highlighted) -> None:
        if event.item is not None:
            self._show_role(event.item)

    @on(ListView.Selected, "#roles-list")
    def _role_selected(self, event: ListView.Selected) -> None:
        self.query_one("#role-view", TextArea).focus()

    def on_key(self, event) -> None:
        roles = self.query_one("#roles-list", ListView)
        if event.key == "space" and self.focused is roles and self.current_role is not None:
            self.current_role.note.involved = not self.current_role.note.involved
            self.current_role.refresh_label()
            self._changed()
            event.stop()
        elif event.key == "space" and self.focused is self.query_one("#d-actions", DataTable):
            table = self.query_one("#d-actions", DataTable)
            if self.minutes.actions and 0 <= table.cursor_row < len(self.minutes.actions):
                action = self.minutes.actions[table.cursor_row]
                action.done = not action.done
                row = table.cursor_row
                self._refresh_actions()
                table.move_cursor(row=row)
                self._changed()
            event.stop()

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        if self._filling or self.minutes is None:
            return
        area_id = event.text_area.id or ""
        if area_id.startswith("role-") and self.current_role is not None:
            setattr(self.current_role.note, area_id[5:], event.text_area.text)
            self.current_role.refresh_label()
        elif area_id == "d-decisions":
            self.minutes.decisions = [line.strip() for line in event.text_area.text.splitlines() if line.strip()]
        self._changed()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if self._filling or self.minutes is None:
            return
        if event.input.id == "d-pivot":
            self.minutes.pivot = event.value.strip()
            self._show_title()
        elif event.input.id == "d-channel":
            self.minutes.channel = event.value.strip()
        elif (event.input.id or "").startswith("flagnote-"):
            flag = event.input.id[9:]
            info = next((f for f in self.minutes.flags if f.flag == flag), None)
            if info is None:
                return
            info.note = event.value.strip()
            self._store_note(flag, info.note)
        elif event.input.id == "d-review":
            try:
                self.minutes.next_review = date.fromisoformat(event.value.strip())
                event.input.remove_class("invalid")
            except ValueError:
                event.input.add_class("invalid")
                return
        else:
            return
        self._changed()

    @on(Select.Changed, "#d-phase")
    def _phase_changed(self, event: Select.Changed) -> None:
        if self._filling or self.minutes is None:
            return
        self.minutes.phase = event.value if isinstance(event.value, int) else None
        self._show_title()
        self._changed()

    @on(Checkbox.Changed, ".team-flag")
    def _flag_changed(self, event: Checkbox.Changed) -> None:
        if self._filling or self.minutes is None:
            return
        flag = event.checkbox.id[5:]
        note = self.query_one(f"#flagnote-{flag}", Input).value.strip()
        by = self.query_one("#team-by", Input).value.strip()
        self.minutes.flags = [f for f in self.minutes.flags if f.flag != flag]
        if event.value:
            self.minutes.flags.append(m.TeamFlag(flag, note, by, self.app.state.meeting.date))
        self._fill_flags_info(flag)
        self._store_flag(flag, event.value, note, by)
        self._changed()

    def _fill_flags_info(self, flag: str) -> None:
        info = next((f for f in self.minutes.flags if f.flag == flag), None)
        when = info.set_at.strftime("%d/%m/%Y") if info and info.set_at else ""
        self.query_one(f"#flaginfo-{flag}", Static).update(f"{info.set_by or 'team'} · {when}" if info else "")

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

    @on(Checkbox.Changed)
    def _escalation_changed(self, event: Checkbox.Changed) -> None:
        if self._filling or self.minutes is None or not (event.checkbox.id or "").startswith("esc-"):
            return
        key = event.checkbox.id[4:]
        if event.value and key not in self.minutes.escalations:
            self.minutes.escalations.append(key)
        elif not event.value and key in self.minutes.escalations:
            self.minutes.escalations.remove(key)
        self._changed()

    @on(Input.Submitted, "#roles-add")
    def _add_role(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name or self.minutes is None:
            return
        note = m.RoleNote(name)
        self.minutes.roles.append(note)
        roles = self.query_one("#roles-list", ListView)
        roles.append(RoleItem(note))
        event.input.value = ""
        self._changed()
        self.call_after_refresh(self._select_role, len(self.minutes.roles) - 1)
        roles.focus()

    @on(Input.Submitted, "#a-what, #a-who, #a-due")
    def _add_action(self, event: Input.Submitted) -> None:
        what = self.query_one("#a-what", Input)
        who = self.query_one("#a-who", Input)
        due = self.query_one("#a-due", Input)
        if event.input is what and not who.value:
            who.focus()
            return
        if event.input is who and not due.value:
            due.focus()
            return
        if not what.value.strip():
            what.focus()
            return
        when = None
        if due.value.strip():
            try:
                when = date.fromisoformat(due.value.strip())
            except ValueError:
                self.notify("Schrijf de datum als JJJJ-MM-DD, bv. 2026-03-27.", severity="warning")
                due.focus()
                return
        self.minutes.actions.append(m.Action(what.value.strip(), who.value.strip(), when))
        what.value = who.value = due.value = ""
        self._refresh_actions()
        self._changed()
        what.focus()

    # ---- navigation --------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        if self.minutes is None:  # still loading: nothing to type into yet
            return
        self.query_one(TabbedContent).active = tab
        if tab == "overview":
            self.query_one("#overview-widget", PupilOverview).focus()
        elif tab == "roles":
            self.query_one("#roles-list", ListView).focus()
        elif tab == "decisions":
            self.query_one("#d-pivot", Input).focus()
        elif tab == "team":
            self.query_one(f"#flag-{next(iter(TEAM_FLAGS))}", Checkbox).focus()

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, TextArea) and (focused.id or "").startswith("role-"):
            self.query_one("#roles-list", ListView).focus()
            return
        if isinstance(focused, (TextArea, Input, Select, Checkbox, DataTable)) and focused.id != "roles-list":
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
