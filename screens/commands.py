"""Command-palette providers: jump to any pupil by name, class or id."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from zorgoverleg.pupil import initials


class PupilProvider(Provider):
    """Searches the pupils already in memory; opening one starts their discussion."""

    def _pupils(self):
        for key, pupil_id, last, first, klas, _grade in self.app.all_pupils:
            yield key, f"{last} {first}", klas, pupil_id, initials(first, last)

    def _open(self, key: str) -> None:
        from zorgoverleg.screens.pupil import PupilScreen

        app = self.app
        if app.state is None:
            app.notify("Start eerst het overleg.", severity="warning")
            return
        if isinstance(app.screen, PupilScreen):
            app.pop_screen()
        app.push_screen(PupilScreen(key))

    async def discover(self) -> Hits:
        for row in self.app.rows[:10]:
            shown = initials(row.first_name, row.last_name) if self.app.privacy else f"{row.last_name} {row.first_name}"
            yield DiscoveryHit(
                f"Leerling: {shown} ({row.class_})",
                partial(self._open, row.pupil_key),
                help="bovenaan de prioriteitenlijst",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        privacy = self.app.privacy
        for key, name, klas, pupil_id, short in self._pupils():
            text = f"Leerling: {name} ({klas})"
            score = max(matcher.match(text), matcher.match(pupil_id or ""))
            if score > 0:
                # On the projector in privacy mode the match shows initials only.
                shown = f"Leerling: {short} ({klas})" if privacy else matcher.highlight(text)
                yield Hit(score, shown, partial(self._open, key),
                          help=f"leerlingnummer {pupil_id}" if pupil_id else "zonder leerlingnummer")
