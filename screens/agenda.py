"""The priority list: who to discuss, and why. Filter as you type; Enter opens a pupil."""

from __future__ import annotations

from contextlib import closing
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from zorgoverleg import queries
from zorgoverleg.meeting import pupil_ref
from zorgoverleg.pupil import initials, sparkline, weekly_trends
from zorgoverleg.screens.context import AppContext, DataChange
from zorgoverleg.screens.header import DutchHeader
from zorgoverleg.screens.list_table import Column, ListTable, Row
from zorgoverleg.screens.messages import (
    ListLoaded,
    ListSearched,
    LoadFailed,
    PupilsLoaded,
    ReportsWorkerFailures,
    SinceLoaded,
    TrendsLoaded,
)
from zorgoverleg.screens.report_commands import ClassesProvider, open_classes
from zorgoverleg.signals import ListCounts, ListView, PupilRow, list_search, list_view, list_window
from zorgoverleg.since import SinceDiscussed, since_discussed
from zorgoverleg.text import visible

COLUMNS = (
    Column("rank", "#", 3, align="right"),
    Column("agenda", "Ag.", 3),
    Column("name", "Leerling", 12, fit=24),
    Column("class", "Klas", 4, fit=8),
    Column("b", "B", 3, priority=4, align="right"),
    Column("pct", "Afw.", 4, priority=3, align="right"),
    Column("trend", "Trend", 12, priority=1),
    Column("last", "Besproken", 9, priority=2),
    Column("signals", "Signalen", 36, flex=True),
)


class AgendaScreen(ReportsWorkerFailures, Screen):
    """Rank, name, class, signal tags, B half-days, absence %, weekly trend, last discussed."""

    CSS_PATH = "agenda.tcss"
    AUTO_FOCUS = "ListTable"
    BINDINGS = [
        Binding("enter", "open_pupil", "Openen", id="open"),
        Binding("slash", "filter", "Zoeken", id="filter"),
        Binding("escape", "clear_filter", "Wis filter", show=False, id="clear_filter"),
        Binding("a", "toggle_agenda", "Agenda +/-", id="agenda"),
        Binding("r", "reload", "Vernieuwen", show=False, id="reload"),
        Binding("k", "classes", "Klassen", tooltip="Klassen in één oogopslag", id="classes"),
    ]
    COMMANDS = {ClassesProvider}

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.stale = False  # the data changed while another screen was on top: read again on return
        self.rows: list[PupilRow] = []
        self.trends: dict[str, list[int]] = {}
        self.shown: list[PupilRow] = []  # the page on screen: the list, or what the filter found
        self.found = 0
        self.counts: ListCounts | None = None
        self.review_due: set[str] = set()
        self.since: dict[str, SinceDiscussed] = {}  # absences since the first agreement, per pupil_key

    def compose(self) -> ComposeResult:
        yield DutchHeader()
        with Horizontal(id="agenda-bar"):
            yield Input(placeholder="Filter op naam, klas, graad of signaal  ( / )", id="agenda-filter", select_on_focus=False)
            yield Static("", id="agenda-count")
        yield ListTable(COLUMNS, id="agenda-table")
        yield Static("De databank wordt geopend…", id="agenda-status")
        yield Footer()

    def on_mount(self) -> None:
        self.context.privacy_changed.subscribe(self, lambda _: self.refresh_rows())
        self.context.data_changed.subscribe(self, self._data_changed)

    def _data_changed(self, what: DataChange) -> None:
        if self.context.db is None:
            return
        if self.is_current:
            self.load()
        else:
            self.stale = True

    # ---- loading (thread workers, own cursor) -----------------------------------------------
    def load(self, view: ListView | None = None) -> None:
        """Read the list again (in a worker), or show ``view`` when it was read already."""
        if view is not None and not self._needle():
            self._loaded(ListLoaded(view, ""))
            self._load_rest(view)
            return
        self.query_one("#agenda-status", Static).update("De lijst wordt berekend…")
        self._load(self._needle())

    def _needle(self) -> str:
        return self.query_one("#agenda-filter", Input).value.strip()

    def _window(self) -> int:
        # A window of the list: a table with tens of thousands of rows is slow to fill,
        # and a meeting never scrolls that far; the filter (in the database) reaches everyone.
        return list_window(self.context.config)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def _load(self, needle: str) -> None:
        context = self.context
        with closing(context.database.cursor()) as cursor:
            view = list_view(context.database, context.today, context.config, cursor=cursor, limit=self._window(),
                             needle=needle)
            self.post_message(ListLoaded(view, needle))
            self._rest(cursor, view)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def _load_rest(self, view: ListView) -> None:
        with closing(self.context.database.cursor()) as cursor:
            self._rest(cursor, view)

    def _rest(self, cursor, view: ListView) -> None:
        """After the list: the palette's pupils and the weekly trend column."""
        self.post_message(PupilsLoaded(cursor.execute(queries.load("all_pupils")).fetchall()))
        self._fetch_trends(cursor, view.shown)
        self.post_message(SinceLoaded(since_discussed(self.context.database, self.context.today,
                                                      self.context.config, cursor=cursor)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda-filter")
    def _search(self, needle: str) -> None:
        context = self.context
        with closing(context.database.cursor()) as cursor:
            shown, found = list_search(context.database, context.today, context.config, cursor=cursor,
                                       limit=self._window(), needle=needle)
            self.post_message(ListSearched(shown, found, needle))
            self._fetch_trends(cursor, shown)

    def _fetch_trends(self, cursor, shown: list[PupilRow]) -> None:
        """In a worker: the trend column is a nicety; when it fails the list stays and says so."""
        keys = [r.pupil_key for r in shown if r.pupil_key not in self.trends]
        if not keys:
            return
        try:
            trends = weekly_trends(self.context.database, self.context.today, self.context.config, cursor=cursor,
                                   pupil_keys=keys)
        except Exception as exc:
            self.post_message(LoadFailed("trends", exc))
            return
        self.post_message(TrendsLoaded(trends))

    @on(ListLoaded)
    def _loaded(self, event: ListLoaded) -> None:
        view, needle = event.view, event.needle
        self.rows = view.top
        self.context.top = view.top
        counts = self.counts = view.counts
        self.review_due = {pupil_id if pupil_id is not None else key for key, pupil_id in view.review_due}
        self.trends = {}
        status = self.query_one("#agenda-status", Static)
        status.remove_class("-failed")
        if not counts.pupils:
            status.update("Nog geen gegevens: importeer een export met  zorgoverleg import BESTAND.")
        else:
            status.update(
                f"{counts.with_signal} leerlingen met signalen van {counts.pupils} · stand op {self.context.today:%d/%m/%Y}"
            )
        if needle != self._needle():  # typed while the list was computed
            self._search(self._needle())
        else:
            self._show_found(view.shown, counts.found, needle)

    @on(ListSearched)
    def _searched(self, event: ListSearched) -> None:
        self._show_found(event.shown, event.found, event.needle)

    def _show_found(self, shown: list[PupilRow], found: int, needle: str) -> None:
        if needle != self._needle():
            return  # the filter changed meanwhile; its own search follows
        self.shown = shown
        self.found = found
        self.refresh_rows()

    @on(PupilsLoaded)
    def _pupils_loaded(self, event: PupilsLoaded) -> None:
        self.context.pupils = event.pupils

    @on(TrendsLoaded)
    def _trends_loaded(self, event: TrendsLoaded) -> None:
        trends = event.trends
        self.trends.update(trends)
        table = self.query_one(ListTable)
        for r in self.shown:
            if r.pupil_key in trends:
                table.update_cell(r.pupil_key, "trend", self._trend(r.pupil_key))

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        """Any failed worker: one sentence on screen; the list stays usable (r reads it again)."""
        if event.group == "trends":
            self.notify(event.sentence, severity="warning", timeout=10, markup=False)
            return
        status = self.query_one("#agenda-status", Static)
        status.update(Content(event.sentence + " Druk r om het opnieuw te proberen."))
        status.add_class("-failed")

    @on(SinceLoaded)
    def _since_loaded(self, event: SinceLoaded) -> None:
        self.since = event.since
        table = self.query_one(ListTable)
        for r in self.shown:
            if r.pupil_key in self.since:
                table.update_cell(r.pupil_key, "last", self._last(r))

    def _last(self, r: PupilRow) -> str:
        """The last meeting's date and, once the team agreed something, ↑ ↓ = for the absences since."""
        last = r.measures.get("m_last_meeting")
        text = last.strftime("%d/%m") if isinstance(last, date) else ""
        since: SinceDiscussed | None = self.since.get(r.pupil_key)
        return f"{text} {since.mark}".strip() if since is not None and since.mark else text

    def _trend(self, pupil_key: str) -> str:
        return sparkline(self.trends[pupil_key], 12) if pupil_key in self.trends else ""

    # ---- showing ----------------------------------------------------------------------------
    def agenda_ids(self) -> set[str]:
        size = int(self.context.config.section("meeting").get("agenda_size", 15))
        ids = {pupil_ref(r) for r in self.rows[:size]} | self.review_due
        state = self.context.state
        return state.agenda(ids) if state is not None else ids

    def refresh_rows(self) -> None:
        """Show ``self.shown`` (the current page of the list) again: marks, privacy, trends."""
        table = self.query_one(ListTable)
        agenda = self.agenda_ids()
        discussed = self.context.state.discussed_ids() if self.context.state else set()
        privacy = self.context.privacy
        rows = []
        for r in self.shown:
            ref = pupil_ref(r)
            name = initials(r.first_name, r.last_name) if privacy else f"{r.last_name} {r.first_name}"
            mark = "✓" if ref in discussed else ("●" if ref in agenda else "")
            # Text cells: names and labels are shown as they are (no markup).
            rows.append(Row(r.pupil_key, {
                "rank": str(r.rank), "agenda": mark, "name": Text(visible(name)), "class": Text(visible(r.class_)),
                "b": str(r.b_halfdays), "pct": f"{r.absent_share * 100:.0f}%", "trend": self._trend(r.pupil_key),
                "last": self._last(r),
                "signals": tuple(visible(s.label) for s in r.signals),
            }))
        table.set_rows(rows)
        total = self.counts.with_signal if self.counts else 0
        count = f"{len(self.shown)} / {total}"
        if self.found > len(self.shown):
            count = f"{len(self.shown)} van {self.found}"
        self.query_one("#agenda-count", Static).update(count)

    # ---- actions ----------------------------------------------------------------------------
    @on(Input.Changed, "#agenda-filter")
    def _filter_changed(self) -> None:
        if self.context.db is not None and self.counts is not None:
            self._search(self._needle())

    @on(Input.Submitted, "#agenda-filter")
    def _filter_done(self) -> None:
        self.query_one(ListTable).focus()

    @on(ListTable.Selected)
    def _row_selected(self, event: ListTable.Selected) -> None:
        self.open_key(event.row_key)

    def action_filter(self) -> None:
        self.query_one("#agenda-filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#agenda-filter", Input)
        box.value = ""
        self.query_one(ListTable).focus()

    def action_classes(self) -> None:
        open_classes(self.app)

    def action_reload(self) -> None:
        if self.context.db is not None:
            self.load()

    def current_row(self) -> PupilRow | None:
        table = self.query_one(ListTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_open_pupil(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_key(row.pupil_key)

    def open_key(self, pupil_key: str) -> None:
        from zorgoverleg.screens.pupil import PupilScreen

        if self.context.state is None:
            self.notify("Start eerst het overleg.", severity="warning")
            return
        self.app.push_screen(PupilScreen(self.context, pupil_key))

    def action_toggle_agenda(self) -> None:
        row = self.current_row()
        state = self.context.state
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
        if self.stale and self.context.db is not None:
            self.stale = False
            self.load()
        else:
            self.refresh_rows()
