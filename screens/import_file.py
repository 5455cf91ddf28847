"""Import an export from within the app (the same importer as `zorgoverleg import`).

A file with codes the code map does not know is not imported: the screen lists every unknown
code once (how often, its first line, the alias or note given with it) with a choice per code.
When every code has a meaning, the team imports with those choices; they are remembered in the
database (the code map), so the next import knows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from zorgoverleg.codes import CodeInfo, parse_mapping_code
from zorgoverleg.importer import ImportRefused, Mapping, UnknownCode, UnknownCodes, import_files
from zorgoverleg.screens.context import AppContext
from zorgoverleg.screens.messages import ImportDone, ImportFailed, LoadFailed, ReportsWorkerFailures
from zorgoverleg.text import visible

# What the team may choose for an unknown code (the value as a mapping file writes it).
CODE_CHOICES: list[tuple[str, str]] = [
    ("B: problematische afwezigheid", "B"),
    ("Z: ziekte", "Z"),
    ("R: van rechtswege afwezig", "R"),
    ("P: persoonlijke redenen (akkoord directie)", "P"),
    ("M: werkplekcomponent duaal leren", "M"),
    ("H: revalidatie tijdens de lesuren", "H"),
    ("L: te laat", "L"),
    ("geen afwezigheid", "geen"),
    ("-: nog te wettigen", "-"),
]


@dataclass
class CodesUnknown(Message):
    """The file holds unknown codes: the team chooses a meaning per code."""

    path: Path
    refusal: UnknownCodes


class ImportScreen(ReportsWorkerFailures, ModalScreen[bool]):
    CSS_PATH = "import_file.tcss"
    AUTO_FOCUS = "#import-path"
    BINDINGS = [Binding("escape", "dismiss(False)", "Annuleren", id="cancel_import")]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.unknown: list[UnknownCode] = []
        self.path: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Label("Export importeren (CSV, TXT, XLSX of Smartschool-JSON): pad naar het bestand")
            yield Input(placeholder="/pad/naar/export.csv", id="import-path", select_on_focus=False)
            yield Static("Enter: importeren · Esc: annuleren. Een geweigerd bestand verandert niets.",
                         id="import-result")
            with Vertical(id="import-codes"):
                yield Static("", id="import-codes-intro")
                yield VerticalScroll(id="import-code-rows")
                yield Button("Importeren met deze keuzes", id="import-with-codes", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#import-codes").display = False

    @on(Input.Submitted, "#import-path")
    def _go(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        self.path = path
        self.query_one("#import-codes").display = False
        self.query_one("#import-result", Static).update("Bezig met importeren…")
        self._import(path, {})

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, path: Path, codes: dict[str, CodeInfo]) -> None:
        mapping = Mapping(codes=codes) if codes else None
        try:
            summaries = import_files(self.context.database, [path], self.context.config, mapping)
        except UnknownCodes as exc:
            self.post_message(CodesUnknown(path, exc))
            return
        except ImportRefused as exc:
            self.post_message(ImportFailed(f"Niet geïmporteerd: {exc}"))
            return
        self.post_message(ImportDone(summaries))

    @on(CodesUnknown)
    async def _choose_codes(self, event: CodesUnknown) -> None:
        self.unknown = event.refusal.codes
        self._show(f"Niet geïmporteerd: {event.refusal}", ok=False)
        self.query_one("#import-codes-intro", Static).update(Content(
            f"{len(self.unknown)} code(s) zijn nog onbekend. Kies per code wat ze betekent; de keuze "
            "wordt onthouden voor volgende imports. Het bestand wordt pas geïmporteerd als elke code gekend is."
        ))
        rows = self.query_one("#import-code-rows", VerticalScroll)
        await rows.remove_children()
        for number, code in enumerate(self.unknown):
            where = f"{code.count}x, eerst op regel {code.first_line}"
            if code.file and code.file != event.refusal.file:
                where += f" van {Path(code.file).name}"
            if code.alias:
                where += f": {code.alias}"
            label = Static(Content(visible(f"{code.raw or '(leeg)'}  ({where})")), classes="code-label")
            choice = Select(CODE_CHOICES, prompt="kies een betekenis", id=f"code-choice-{number}")
            await rows.mount(Horizontal(label, choice, classes="code-row"))
        self.query_one("#import-codes").display = True
        self.query_one("#import-with-codes", Button).disabled = True
        if self.unknown:
            self.query_one("#code-choice-0", Select).focus()

    def _chosen(self) -> dict[str, CodeInfo] | None:
        """The team's choice per unknown code, or None while a code has none."""
        chosen: dict[str, CodeInfo] = {}
        for number, code in enumerate(self.unknown):
            value = self.query_one(f"#code-choice-{number}", Select).value
            if not isinstance(value, str):
                return None
            info = parse_mapping_code(code.raw, value, "keuze in de app")
            chosen[info.raw] = info
        return chosen

    @on(Select.Changed)
    def _choice_made(self, event: Select.Changed) -> None:
        self.query_one("#import-with-codes", Button).disabled = self._chosen() is None

    @on(Button.Pressed, "#import-with-codes")
    def _import_with_codes(self, event: Button.Pressed) -> None:
        chosen = self._chosen()
        if chosen is None or self.path is None:
            self._show("Kies eerst voor elke code een betekenis.", ok=False)
            return
        self.query_one("#import-with-codes", Button).disabled = True
        self.query_one("#import-result", Static).update("Bezig met importeren…")
        self._import(self.path, chosen)

    @on(ImportDone)
    def _done(self, event: ImportDone) -> None:
        s = event.summaries[0]
        text = (f"Geïmporteerd: {s.rows} regels, {s.pupils} leerlingen ({s.new_pupils} nieuw), "
                f"{s.replaced} records vervangen.")
        if s.no_lesson:
            text += f" {s.no_lesson} regel(s) op dagen zonder les niet meegeteld."
        if s.conflicts:
            text += f" {s.conflicts} dagdeel/dagdelen met twee codes: de ernstigste telt."
        self._show(text, ok=True)
        self.context.data_has_changed("import")
        self.notify(visible(text), markup=False)
        self.dismiss(True)

    @on(ImportFailed)
    def _refused(self, event: ImportFailed) -> None:
        self.query_one("#import-codes").display = False
        self._show(event.sentence, ok=False)

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        self._show(event.sentence + " Er is niets veranderd.", ok=False)

    def _show(self, text: str, ok: bool) -> None:
        result = self.query_one("#import-result", Static)
        result.update(Content(visible(text, multiline=True)))
        result.set_class(not ok, "refused")
