"""Classes at a glance (from the list: `k` or the palette): per class the pupils with signals, the
absence share, its weekly trend and the periods in which several pupils' absences rose together.
`e` writes the class teacher's overview of the highlighted class."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from zorgoverleg.classes import ClassRow, class_overview, rule_settings, rule_text
from zorgoverleg.pupil import initials, sparkline
from zorgoverleg.text import nl_number, visible


def _share(value: float | None) -> str:
    return "—" if value is None else f"{nl_number(round(value * 100))}%"


class ClassesScreen(Screen):
    CSS_PATH = "classes.tcss"
    AUTO_FOCUS = "DataTable"
    BINDINGS = [
        Binding("escape", "back", "Terug", id="classes_back"),
        Binding("e", "export", "Klasoverzicht", tooltip="Alle afwezigheden van de klas als HTML (A4)",
                id="classes_export"),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[ClassRow]

    @dataclass
    class Failed(Message):
        reason: str

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ClassRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("De klassen worden berekend…", id="classes-status")
        yield DataTable(id="classes-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="classes-detail-box"):
            yield Static(id="classes-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in (("Klas", "class", 7), ("Lln", "pupils", 4), ("Signalen", "signals", 8),
                                  ("Afw.", "share", 5), ("4 wk", "recent", 5), ("", "mark", 1),
                                  ("Per week", "weeks", 16), ("Samen stijgend", "rising", 40)):
            table.add_column(label, key=key, width=width)
        self.app.context.privacy_changed.subscribe(self, lambda _: self._show_detail())
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="classes")
    def _load(self) -> None:
        app = self.app
        try:
            with closing(app.db.cursor()) as cursor:
                rows = class_overview(app.db, app.today, app.config, cursor=cursor)
        except Exception as exc:  # the screen says it and stays usable
            self.post_message(self.Failed(f"De klassen konden niet berekend worden: {exc}"))
            return
        self.post_message(self.Loaded(rows))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.rows = message.rows
        table = self.query_one(DataTable)
        table.clear()
        for r in self.rows:
            rising = "; ".join(f"{c.start:%d/%m}–{c.end:%d/%m}: {len(c.pupils)} lln" for c in r.clusters)
            table.add_row(*(Text(visible(v)) for v in (
                r.class_, str(r.pupils), str(len(r.signal_pupils)), _share(r.share), _share(r.recent_share),
                r.mark, sparkline(r.weekly_percent(), 16, scale=15), rising)), key=r.class_)
        named = [r.class_ for r in self.rows if r.clusters]
        status = f"{len(self.rows)} klassen · stand op {self.app.today:%d/%m/%Y}"
        if named:
            status += " · samen stijgend in " + ", ".join(named)
        self.query_one("#classes-status", Static).update(Text(visible(status)))
        self._show_detail()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#classes-status", Static).update(Text(visible(message.reason)))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def current(self) -> ClassRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _who(self, first: str, last: str, full: str) -> str:
        return initials(first, last) if self.app.privacy else full

    def _show_detail(self) -> None:
        row = self.current()
        detail = self.query_one("#classes-detail", Static)
        if row is None:
            detail.update("")
            return
        text = Text()

        def line(value: str, style: str = "") -> None:  # data as plain text, one line each
            text.append(visible(value), style=style)
            text.append("\n")

        text.append(visible(f"Klas {row.class_}"), style="bold")
        line(f": {row.absent} van {row.possible} halve dagen afwezig ({_share(row.share)}); "
             f"laatste 4 weken {_share(row.recent_share)}, de 4 ervoor {_share(row.previous_share)}")
        if row.signal_pupils:
            line("Leerlingen met signalen", "bold")
            for r in row.signal_pupils:
                name = self._who(r.first_name, r.last_name, f"{r.last_name} {r.first_name}")
                line(f"  {name}: {' · '.join(s.label for s in r.signals)}")
        for c in row.clusters:
            line(f"Samen stijgend {c.start:%d/%m} – {c.end:%d/%m}", "bold")
            for p in c.pupils:
                line(f"  {self._who(p.first_name, p.last_name, p.name)}: {p.absent} halve dagen "
                     f"(ervoor gemiddeld {nl_number(p.baseline)})")
        text.append(visible(rule_text(rule_settings(self.app.config))), style="dim")
        detail.update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        row = self.current()
        if row is not None and self.app.db is not None:
            self._export(row.class_)

    @work(thread=True, exclusive=False, exit_on_error=False, group="classes-export")
    def _export(self, class_: str) -> None:
        from zorgoverleg.class_report import class_data, class_view
        from zorgoverleg.document import render_html
        from zorgoverleg.report import reports_dir, write_private

        app = self.app
        try:
            with closing(app.db.cursor()) as cursor:
                row, pupils, halfdays = class_data(app.db, class_, app.today, app.config, cursor=cursor)
            name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in row.class_)
            target = reports_dir(app.db_path) / f"klas-{name}-{app.today:%Y-%m-%d}.html"
            written = write_private(target, render_html(class_view(row, pupils, halfdays, app.today, app.config)))
        except Exception as exc:
            app.notify(visible(f"Het klasoverzicht kon niet gemaakt worden: {exc}"), severity="error",
                       timeout=10, markup=False)
            return
        app.notify(visible(f"Klasoverzicht bewaard: {written}"), timeout=10, markup=False)
