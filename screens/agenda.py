"""The priority list: who to discuss, and why. Filter as you type; Enter opens a pupil."""

from __future__ import annotations

from contextlib import closing
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from zorgoverleg import queries
from zorgoverleg.meeting import pupil_ref
from zorgoverleg.pupil import initials, sparkline, weekly_trends
from zorgoverleg.signals import ListCounts, ListView, PupilRow, list_search, list_view, list_window


class ListTable(DataTable):
    """The list's table. Every column has a fixed width and every row one line, so rows need
    no measuring: Textual's DataTable measures each new or changed cell (300 rows: about
    0.1 s at start, and changing one cell can measure its whole column again)."""

    def _fixed(self) -> bool:
        return all(not column.auto_width for column in self.columns.values())

    def _update_column_widths(self, updated_cells) -> None:
        if not self._fixed():
            super()._update_column_widths(updated_cells)
            return
        self._require_update_dimensions = True

    def _update_dimensions(self, new_rows) -> None:
        if not self._fixed() or any(self.rows[key].height != 1 for key in new_rows if key in self.rows):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)


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
        self.shown: list[PupilRow] = []  # the page on screen: the list, or what the filter found
        self.found = 0
        self.counts: ListCounts | None = None
        self.review_due: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="agenda-bar"):
            yield Input(placeholder="Filter op naam, klas, graad of signaal  ( / )", id="agenda-filter", select_on_focus=False)
            yield Static("", id="agenda-count")
        yield ListTable(id="agenda-table", cursor_type="row", zebra_stripes=True)
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

    # ---- loading (thread workers, own cursor) -----------------------------------------------
    def load(self, view: ListView | None = None) -> None:
        """Read the list again (in a worker), or show ``view`` when it was read already."""
        if view is not None and not self._needle():
            self._loaded(view, "")
            self._load_rest(view)
            return
        self.query_one("#agenda-status", Static).update("De lijst wordt berekend…")
        self._load(self._needle())

    def _needle(self) -> str:
        return self.query_one("#agenda-filter", Input).value.strip()

    def _window(self) -> int:
        # A window of the list: a DataTable with tens of thousands of rows is slow to fill,
        # and a meeting never scrolls that far; the filter (in the database) reaches everyone.
        return list_window(self.app.config)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def _load(self, needle: str) -> None:
        app = self.app
        with closing(app.db.cursor()) as cursor:
            view = list_view(app.db, app.today, app.config, cursor=cursor, limit=self._window(), needle=needle)
            app.call_from_thread(self._loaded, view, needle)
            self._rest(cursor, view)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def _load_rest(self, view: ListView) -> None:
        with closing(self.app.db.cursor()) as cursor:
            self._rest(cursor, view)

    def _rest(self, cursor, view: ListView) -> None:
        """After the list: the palette's pupils and the weekly trend column."""
        pupils = cursor.execute(queries.load("all_pupils")).fetchall()
        self.app.call_from_thread(setattr, self.app, "all_pupils", pupils)
        self._fetch_trends(cursor, view.shown)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda-filter")
    def _search(self, needle: str) -> None:
        app = self.app
        with closing(app.db.cursor()) as cursor:
            shown, found = list_search(app.db, app.today, app.config, cursor=cursor, limit=self._window(),
                                       needle=needle)
            app.call_from_thread(self._searched, shown, found, needle)
            self._fetch_trends(cursor, shown)

    def _fetch_trends(self, cursor, shown: list[PupilRow]) -> None:
        keys = [r.pupil_key for r in shown if r.pupil_key not in self.trends]
        if keys:
            trends = weekly_trends(self.app.db, self.app.today, self.app.config, cursor=cursor, pupil_keys=keys)
            self.app.call_from_thread(self._trends_loaded, trends)

    def _loaded(self, view: ListView, needle: str) -> None:
        self.rows = view.top
        self.app.rows = view.top
        counts = self.counts = view.counts
        self.review_due = {pupil_id if pupil_id is not None else key for key, pupil_id in view.review_due}
        self.trends = {}
        status = self.query_one("#agenda-status", Static)
        if not counts.pupils:
            status.update("Nog geen gegevens: importeer een export met  zorgoverleg import BESTAND.")
        else:
            status.update(
                f"{counts.with_signal} leerlingen met signalen van {counts.pupils} · stand op {self.app.today:%d/%m/%Y}"
            )
        if needle != self._needle():  # typed while the list was computed
            self._search(self._needle())
        else:
            self._searched(view.shown, counts.found, needle)

    def _searched(self, shown: list[PupilRow], found: int, needle: str) -> None:
        if needle != self._needle():
            return  # the filter changed meanwhile; its own search follows
        self.shown = shown
        self.found = found
        self.refresh_rows()

    def _trends_loaded(self, trends: dict[str, list[int]]) -> None:
        self.trends.update(trends)
        table = self.query_one(DataTable)
        for r in self.shown:
            if r.pupil_key in trends:
                table.update_cell(r.pupil_key, "trend", Text(self._trend(r.pupil_key)))

    def _trend(self, pupil_key: str) -> str:
        return sparkline(self.trends[pupil_key], 12) if pupil_key in self.trends else ""

    # ---- showing ----------------------------------------------------------------------------
    def agenda_ids(self) -> set[str]:
        size = int(self.app.config.section("meeting").get("agenda_size", 15))
        ids = {pupil_ref(r) for r in self.rows[:size]} | self.review_due
        state = self.app.state
        return state.agenda(ids) if state is not None else ids

    def refresh_rows(self) -> None:
        """Show ``self.shown`` (the current page of the list) again: marks, privacy, trends."""
        table = self.query_one(DataTable)
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
            # Text cells: names and labels are shown as they are (no markup), and measuring them is cheap.
            table.add_row(*map(Text, (
                str(r.rank), mark, name, r.class_, str(r.b_halfdays), f"{r.absent_share * 100:.0f}%",
                self._trend(r.pupil_key), last.strftime("%d/%m") if isinstance(last, date) else "",
                " · ".join(s.label for s in r.signals),
            )), key=r.pupil_key)
        if self.shown:
            table.move_cursor(row=min(max(current, 0), len(self.shown) - 1))
        total = self.counts.with_signal if self.counts else 0
        count = f"{len(self.shown)} / {total}"
        if self.found > len(self.shown):
            count = f"{len(self.shown)} van {self.found}"
        self.query_one("#agenda-count", Static).update(count)

    # ---- actions ----------------------------------------------------------------------------
    @on(Input.Changed, "#agenda-filter")
    def _filter_changed(self) -> None:
        if self.app.db is not None and self.counts is not None:
            self._search(self._needle())

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
        from zorgoverleg.screens.pupil import PupilScreen

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
        if state.is_discussed(ref):
            self.notify("Deze leerling is al besproken in dit overleg (✓) en blijft op de agenda.")
            return
        added = state.toggle_agenda(ref, ref in self.agenda_ids())
        self.notify("Op de agenda gezet (●)." if added else "Van de agenda gehaald.")
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        if self.app.flags_changed and self.app.db is not None:
            self.app.flags_changed = False
            self.load()
        else:
            self.refresh_rows()
