"""Command-palette providers: jump to any pupil by name, class or id."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from zorgoverleg.pupil import initials
from zorgoverleg.screens.context import AppContext, context_of
from zorgoverleg.text import visible


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` (plain, never markup) with the letters that match the query highlighted."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PupilProvider(Provider):
    """Searches the pupils already in memory; opening one starts their discussion."""

    @property
    def context(self) -> AppContext:
        return context_of(self.app)

    def _pupils(self):
        for key, pupil_id, last, first, klas, _grade in self.context.pupils:
            yield key, visible(f"{last} {first}"), visible(klas), visible(pupil_id or ""), visible(initials(first, last))

    def _open(self, key: str) -> None:
        from zorgoverleg.screens.pupil import PupilScreen

        app, context = self.app, self.context
        if context.state is None:
            app.notify("Start eerst het overleg.", severity="warning")
            return
        if isinstance(app.screen, PupilScreen):
            app.pop_screen()
        app.push_screen(PupilScreen(context, key))

    async def discover(self) -> Hits:
        context = self.context
        for row in context.top[:10]:
            shown = initials(row.first_name, row.last_name) if context.privacy else f"{row.last_name} {row.first_name}"
            yield DiscoveryHit(
                Content(f"Leerling: {visible(shown)} ({visible(row.class_)})"),
                partial(self._open, row.pupil_key),
                help="bovenaan de prioriteitenlijst",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        privacy = self.context.privacy
        for key, name, klas, pupil_id, short in self._pupils():
            text = f"Leerling: {name} ({klas})"
            score = max(matcher.match(text), matcher.match(pupil_id))
            if score > 0:
                # On the projector in privacy mode the match shows initials only.
                shown = Content(f"Leerling: {short} ({klas})") if privacy else highlight(matcher, text)
                yield Hit(score, shown, partial(self._open, key),
                          help=f"leerlingnummer {escape(pupil_id)}" if pupil_id else "zonder leerlingnummer")
