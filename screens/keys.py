"""The keys that apply now, in Dutch (the `?` key)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from zorgoverleg.text import visible

COMMON = (
    ("↑ ↓", "kiezen in een lijst of tabel"),
    ("Enter", "openen of bevestigen"),
    ("Tab / Shift+Tab", "volgende / vorige veld"),
    ("Esc", "terug (uit een veld, dan naar het vorige scherm)"),
    ("Ctrl+P", "commandopalet: spring naar leerling, importeren, exporteren, thema, overleg afsluiten"),
    ("Ctrl+Q", "stoppen (de notulen zijn al bewaard)"),
)


def _key_label(app: App, key: str) -> str:
    return visible(app.get_key_display(Binding(key, "")))


class KeysScreen(ModalScreen[None]):
    """Lists the app's own keys for the screen underneath (remapped keys included)."""

    CSS_PATH = "keys.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Sluiten", id="close_keys")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        # Content, never markup: a remapped key may be "[" and a description is text.
        lines: list[Content] = [Content.styled("Toetsen op dit scherm", "bold"), Content("")]
        seen = set()
        for key, active in self.below.active_bindings.items():
            binding = active.binding
            if not binding.id or not binding.description or binding.id in seen:
                continue
            seen.add(binding.id)
            lines.append(Content.assemble(
                "  ", (f"{_key_label(self.app, key):>10}", "bold"), f"  {binding.description}",
                f" — {binding.tooltip}" if binding.tooltip else "", (f"  ({binding.id})", "dim"),
            ))
        lines += [Content(""), Content.styled("Altijd", "bold"), Content("")]
        lines += [Content.assemble("  ", (f"{key:>15}", "bold"), f"  {text}") for key, text in COMMON]
        lines += [Content(""), Content.styled(
            'Toetsen aanpassen: onder [keys] in het instellingenbestand, per id tussen haakjes, bv. privacy = "p".',
            "dim")]
        with VerticalScroll(id="keys-box"):
            yield Static(Content("\n").join(lines), id="keys-text")
