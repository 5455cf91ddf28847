"""Import an export from within the app (the same importer as `zorgoverleg import`)."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from zorgoverleg.importer import ImportRefused, import_files
from zorgoverleg.screens.context import AppContext
from zorgoverleg.screens.messages import ImportDone, ImportFailed, LoadFailed
from zorgoverleg.text import visible


class ImportScreen(ModalScreen[bool]):
    CSS_PATH = "import_file.tcss"
    AUTO_FOCUS = "#import-path"
    BINDINGS = [Binding("escape", "dismiss(False)", "Annuleren", id="cancel_import")]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

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
        try:
            summaries = import_files(self.context.database, [path], self.context.config)
        except ImportRefused as exc:
            self.post_message(ImportFailed(f"Niet geïmporteerd: {exc}"))
            return
        self.post_message(ImportDone(summaries))

    @on(ImportDone)
    def _done(self, event: ImportDone) -> None:
        s = event.summaries[0]
        text = (f"Geïmporteerd: {s.rows} regels, {s.pupils} leerlingen ({s.new_pupils} nieuw), "
                f"{s.replaced} records vervangen.")
        self._show(text, ok=True)
        self.context.data_has_changed("import")
        self.notify(text)
        self.dismiss(True)

    @on(ImportFailed)
    def _refused(self, event: ImportFailed) -> None:
        self._show(event.sentence, ok=False)

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(LoadFailed(event.worker.group, event.worker.error))

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        self._show(event.sentence + " Er is niets veranderd.", ok=False)

    def _show(self, text: str, ok: bool) -> None:
        result = self.query_one("#import-result", Static)
        result.update(Content(visible(text, multiline=True)))
        result.set_class(not ok, "refused")
