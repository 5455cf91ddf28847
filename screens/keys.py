"""The keys that apply now, in Dutch (the `?` key)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

COMMON = (
    ("↑ ↓", "kiezen in een lijst of tabel"),
    ("Enter", "openen of bevestigen"),
    ("Tab / Shift+Tab", "volgende / vorige veld"),
    ("Esc", "terug (uit een veld, dan naar het vorige scherm)"),
    ("Ctrl+P", "commandopalet: spring naar leerling, importeren, exporteren, thema, overleg afsluiten"),
    ("Ctrl+Q", "stoppen (de notulen zijn al bewaard)"),
)


def _key_label(app, key: str) -> str:
    return app.get_key_display(Binding(key, "")) if hasattr(app, "get_key_display") else key


class KeysScreen(ModalScreen[None]):
    """Lists the app's own keys for the screen underneath (remapped keys included)."""

    CSS_PATH = "keys.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Sluiten", id="close_keys")]

    def __init__(self, below) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        lines = ["[b]Toetsen op dit scherm[/b]", ""]
        seen = set()
        for key, active in self.below.active_bindings.items():
            binding = active.binding
            if not binding.id or not binding.description or binding.id in seen:
                continue
            seen.add(binding.id)
            lines.append(f"  [b]{_key_label(self.app, key):>10}[/b]  {binding.description}"
                         + (f" — {binding.tooltip}" if binding.tooltip else "")
                         + f"  [dim]({binding.id})[/dim]")
        lines += ["", "[b]Altijd[/b]", ""]
        lines += [f"  [b]{key:>15}[/b]  {text}" for key, text in COMMON]
        lines += ["", "[dim]Toetsen aanpassen: onder \\[keys] in het instellingenbestand, per id tussen haakjes, "
                  "bv. privacy = \"p\".[/dim]"]
        with VerticalScroll(id="keys-box"):
            yield Static("\n".join(lines), id="keys-text")
