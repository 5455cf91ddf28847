"""Import an export from within the app (the same importer as `zorgoverleg import`)."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from zorgoverleg.importer import ImportRefused, import_files


class ImportScreen(ModalScreen[bool]):
    CSS_PATH = "import_file.tcss"
    AUTO_FOCUS = "#import-path"
    BINDINGS = [Binding("escape", "dismiss(False)", "Annuleren", id="cancel_import")]

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Label("Export importeren (CSV, TXT of XLSX): pad naar het bestand")
            yield Input(placeholder="/pad/naar/export.csv", id="import-path", select_on_focus=False)
            yield Static("Enter: importeren · Esc: annuleren. Een geweigerd bestand verandert niets.",
                         id="import-result")

    @on(Input.Submitted, "#import-path")
    def _go(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        self.query_one("#import-result", Static).update("Bezig met importeren…")
        self._import(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, path: Path) -> None:
        app = self.app
        try:
            summaries = import_files(app.db, [path], app.config)
        except ImportRefused as exc:
            app.call_from_thread(self._show, f"Niet geïmporteerd: {exc}", False)
            return
        s = summaries[0]
        app.call_from_thread(
            self._show,
            f"Geïmporteerd: {s.rows} regels, {s.pupils} leerlingen ({s.new_pupils} nieuw), "
            f"{s.replaced} records vervangen.",
            True,
        )

    def _show(self, text: str, ok: bool) -> None:
        self.query_one("#import-result", Static).update(text)
        self.query_one("#import-result", Static).set_class(not ok, "refused")
        if ok:
            self.app.agenda.load()
            self.notify(text)
            self.dismiss(True)
