"""The keys that apply now, in Dutch (the `?` key)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from zorgoverleg.text import visible

# Short enough for one line each at 80 columns.
COMMON = (
    ("↑ ↓", "kiezen; in het overzicht van een leerling: scrollen"),
    ("PgUp / PgDn", "een scherm verder / terug, zonder eerst Tab"),
    ("Home / End", "naar het begin / het einde"),
    ("Enter", "openen of bevestigen"),
    ("Tab / Shift+Tab", "volgende / vorige veld"),
    ("Esc", "terug (uit een veld, dan naar het vorige scherm)"),
    ("Ctrl+P", "palet: leerling, importeren, exporteren, thema…"),
    ("Ctrl+Q", "stoppen (de notulen zijn al bewaard)"),
)


# Key names Textual shows in English, as a Flemish keyboard calls them.
DUTCH_KEY_NAMES = {"space": "spatie", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
                   "delete": "Delete", "backspace": "Backspace", "insert": "Insert"}


def dutch_key_display(app: App, binding: Binding, default: str) -> str:
    """``default`` (Textual's display of ``binding``) with English key names in Dutch."""
    if binding.key_display:
        return default
    modifiers, key = binding.parse_key()
    if key not in DUTCH_KEY_NAMES:
        return default
    return "+".join([*modifiers, DUTCH_KEY_NAMES[key]]) if modifiers else DUTCH_KEY_NAMES[key]


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
        seen: dict[str, str] = {}  # binding id -> key, for the settings file
        for key, active in self.below.active_bindings.items():
            binding = active.binding
            if not binding.id or not binding.description or binding.id in seen:
                continue
            seen[binding.id] = key
            lines.append(Content.assemble(
                "  ", (f"{_key_label(self.app, key):>15}", "bold"), f"  {binding.description}",
                f" — {binding.tooltip}" if binding.tooltip else "",
            ))
        lines += [Content(""), Content.styled("Altijd", "bold"), Content("")]
        lines += [Content.assemble("  ", (f"{key:>15}", "bold"), f"  {text}") for key, text in COMMON]
        # The one place where the internal names show: they are what the settings file needs.
        names = ", ".join(f'{name} = "{visible(key)}"' for name, key in seen.items())
        lines += [Content(""), Content.styled(
            'Toetsen aanpassen: zet in het instellingenbestand onder [keys] een naam en een toets, '
            f'bv. privacy = "p". Zo staan ze nu: {names}.', "dim")]
        with VerticalScroll(id="keys-box"):
            yield Static(Content("\n").join(lines), id="keys-text")
