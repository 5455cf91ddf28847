"""The command palette in Dutch: Textual's own commands and placeholders, worded for the team."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import App, SystemCommand
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

PALETTE_PLACEHOLDER = "Zoek een leerling of commando…"
THEME_PLACEHOLDER = "Zoek een thema…"


def textual_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    """What ``App.get_system_commands`` offers, in Dutch (Textual's English ones are left out)."""
    yield SystemCommand("Thema", "Een ander kleurenthema kiezen", app.action_change_theme)
    yield SystemCommand("Stoppen", "Het programma afsluiten (de notulen zijn bewaard)", app.action_quit)
    yield SystemCommand("Toetsen", "De toetsen van dit scherm tonen", lambda: app.run_action("toggle_help"))
    if screen.maximized is not None:
        yield SystemCommand("Normale grootte", "Het vergrote onderdeel weer normaal tonen", screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand("Vergroten", "Het gekozen onderdeel schermvullend tonen", screen.action_maximize)


def open_palette(app: App) -> None:
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(CommandPalette(placeholder=PALETTE_PLACEHOLDER, id="--command-palette"))


def open_theme_palette(app: App) -> None:
    from textual.theme import ThemeProvider

    app.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=THEME_PLACEHOLDER))


class SearchHint(Provider):
    """The last line of every search: how to search. With it the palette never falls back on
    Textual's English "No matches found"."""

    async def search(self, query: str) -> Hits:
        if query.strip():
            # Never the query itself: in privacy mode a typed name must not show on the projector.
            yield Hit(0.0001, Content("Zoektip: een deel van de naam, de klas of het leerlingnummer"),
                      self._nothing, text="Zoektip")

    def _nothing(self) -> None:
        return None
