"""The priority list: who to discuss, and why. Filter as you type; Enter opens a pupil."""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

import queries
from tui.meeting import pupil_ref
from tui.pupil import initials, sparkline, weekly_trends
from tui.signals import PupilRow, prioritised


def matches(row: PupilRow, needle: str) -> bool:
    """Every word of the filter matches name, class, grade or a signal."""
    haystack = " ".join([
        row.first_name, row.last_name, row.class_,
        f"graad{row.grade}" if row.grade else "", f"{row.grade}e graad" if row.grade else "",
        " ".join(s.id for s in row.signals), " ".join(s.label for s in row.signals),
    ]).lower()
    return all(word in haystack for word in needle.lower().split())


class AgendaScreen(Screen):
    """Rank, name, class, signal tags, B half-days, absence %, weekly trend, last discussed."""

    CSS_PATH = "agenda.tcss"
    AUTO_FOCUS = "DataTable"
    BINDINGS = [
        Binding("enter", "open_pupil", "Openen", id="open"),
        Binding("slash", "filter", "Zoeken", id="filter"),
        Binding("escape", "clear_filter", "Wis filter", show=False, id="clear_filter"),
        Binding("a", "toggle_agenda", "Agenda +/-", id="agenda"),
        Binding("r", "reload", "Vernieuwen", show=False, id="reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PupilRow] = []
        self.trends: dict[str, list[int]] = {}
        self.shown: list[PupilRow] = []
        self.found = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="agenda-bar"):
            yield Input(placeholder="Filter op naam, klas, graad of signaal  ( / )", id="agenda-filter")
            yield Static("", id="agenda-count")
        yield DataTable(id="agenda-table", cursor_type="row", zebra_stripes=True)
        yield Static("De databank wordt geopend…", id="agenda-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="rank", width=3)
        table.add_column("Ag.", key="agenda", width=3)
        table.add_column("Leerling", key="name", width=24)
        table.add_column("Klas", key="class", width=6)
        table.add_column("B", key="b", width=3)
        table.add_column("Afw.", key="pct", width=4)
        table.add_column("Trend", key="trend", width=12)
        table.add_column("Besproken", key="last", width=9)
        table.add_column("Signalen", key="signals", width=60)
        self.watch(self.app, "privacy", lambda _: self.refresh_rows(), init=False)

    # ---- loading (thread worker, own cursor) ------------------------------------------------
    def load(self) -> None:
        self.query_one("#agenda-status", Static).update("De lijst wordt berekend…")
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def _load(self) -> None:
        app = self.app
        cursor = app.db.cursor()
        try:
            rows = prioritised(app.db, app.today, app.config, cursor=cursor)
            pupils = cursor.execute(queries.load("all_pupils")).fetchall()
            # The list first; the weekly trend column follows a moment later.
            app.call_from_thread(self._loaded, rows, pupils, self.trends)
            trends = weekly_trends(app.db, app.today, app.config, cursor=cursor)
        finally:
            cursor.close()
        app.call_from_thread(self._trends_loaded, trends)

    def _loaded(self, rows: list[PupilRow], pupils: list[tuple], trends: dict[str, list[int]]) -> None:
        self.rows = rows
        self.trends = trends
        self.app.rows = rows
        self.app.all_pupils = pupils
        status = self.query_one("#agenda-status", Static)
        if not pupils:
            status.update("Nog geen gegevens: importeer een export met  zorgoverleg import BESTAND.")
        else:
            status.update(
                f"{len(rows)} leerlingen met signalen van {len(pupils)} · stand op {self.app.today:%d/%m/%Y}"
            )
        self.refresh_rows()

    def _trends_loaded(self, trends: dict[str, list[int]]) -> None:
        self.trends = trends
        self.refresh_rows()

    # ---- showing ----------------------------------------------------------------------------
    def agenda_ids(self) -> set[str]:
        size = int(self.app.config.section("meeting").get("agenda_size", 15))
        ids = {pupil_ref(r) for r in self.rows[:size]}
        ids |= {pupil_ref(r) for r in self.rows if "review_due" in r.signal_ids()}
        state = self.app.state
        if state is not None:
            ids |= state.agenda_extra
        return ids

    def refresh_rows(self) -> None:
        table = self.query_one(DataTable)
        needle = self.query_one("#agenda-filter", Input).value.strip()
        found = [r for r in self.rows if not needle or matches(r, needle)]
        # A window of the list: a DataTable with tens of thousands of rows is slow to fill,
        # and a meeting never scrolls that far; the filter reaches everyone.
        window = int(self.app.config.section("meeting").get("list_window", 300))
        self.found = len(found)
        self.shown = found[:window]
        agenda = self.agenda_ids()
        discussed = self.app.state.discussed_ids() if self.app.state else set()
        privacy = self.app.privacy
        current = table.cursor_row
        table.clear()
        for r in self.shown:
            ref = pupil_ref(r)
            name = initials(r.first_name, r.last_name) if privacy else f"{r.last_name} {r.first_name}"
            mark = "✓" if ref in discussed else ("●" if ref in agenda else "")
            last = r.measures.get("m_last_meeting")
            trend = sparkline(self.trends.get(r.pupil_key, []), 12) if r.pupil_key in self.trends else ""
            table.add_row(
                str(r.rank), mark, name, r.class_, str(r.b_halfdays), f"{r.absent_share * 100:.0f}%",
                trend, last.strftime("%d/%m") if isinstance(last, date) else "",
                " · ".join(s.label for s in r.signals), key=r.pupil_key,
            )
        if self.shown:
            table.move_cursor(row=min(max(current, 0), len(self.shown) - 1))
        count = f"{len(self.shown)} / {len(self.rows)}"
        if self.found > len(self.shown):
            count = f"{len(self.shown)} van {self.found}"
        self.query_one("#agenda-count", Static).update(count)

    # ---- actions ----------------------------------------------------------------------------
    @on(Input.Changed, "#agenda-filter")
    def _filter_changed(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#agenda-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_key(str(event.row_key.value))

    def action_filter(self) -> None:
        self.query_one("#agenda-filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#agenda-filter", Input)
        box.value = ""
        self.query_one(DataTable).focus()

    def action_reload(self) -> None:
        if self.app.db is not None:
            self.load()

    def current_row(self) -> PupilRow | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_open_pupil(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_key(row.pupil_key)

    def open_key(self, pupil_key: str) -> None:
        from screens.pupil import PupilScreen

        if self.app.state is None:
            self.notify("Start eerst het overleg.", severity="warning")
            return
        self.app.push_screen(PupilScreen(pupil_key))

    def action_toggle_agenda(self) -> None:
        row = self.current_row()
        state = self.app.state
        if row is None or state is None:
            return
        ref = pupil_ref(row)
        if ref in state.agenda_extra and ref not in state.discussed_ids():
            state.agenda_extra.discard(ref)
        else:
            state.agenda_extra.add(ref)
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        if self.app.flags_changed and self.app.db is not None:
            self.app.flags_changed = False
            self.load()
        else:
            self.refresh_rows()
