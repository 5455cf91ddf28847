"""Palette commands for the documents beyond the minutes: the pupil's absence overview (from the
pupil screen) and the classes at a glance (from the list).

The documents are written in a thread worker with its own cursor; the result is told in a
notification (``App.notify`` posts a message, so a worker may call it).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from zorgoverleg.text import visible


def write_pupil_report(app, pupil_key: str, fmt: str, with_minutes: bool) -> None:
    """Write one pupil's absence overview into the reports folder beside the database (in a worker)."""
    if app.db is None:
        app.notify("De databank is nog niet open.", severity="warning")
        return
    app.run_worker(partial(_write_report, app, pupil_key, fmt, with_minutes), thread=True,
                   exit_on_error=False, group="report", name="report")


def _write_report(app, pupil_key: str, fmt: str, with_minutes: bool) -> None:
    from zorgoverleg.report import ReportError, reports_dir, write_report

    try:
        folder = reports_dir(app.db_path)
        with closing(app.db.cursor()) as cursor:
            written = write_report(app.db, pupil_key, app.today, app.config, fmt, folder, with_minutes=with_minutes,
                                   minutes_folder=app.minutes_folder, cursor=cursor)
    except ReportError as exc:
        app.notify(visible(str(exc)), severity="error", timeout=10, markup=False)
    except Exception as exc:  # a full disk, a locked file: say it, keep the meeting going
        app.notify(visible(f"Het overzicht kon niet gemaakt worden: {exc}"), severity="error", timeout=10,
                   markup=False)
    else:
        app.notify(visible(f"Afwezigheidsoverzicht bewaard: {written}"), timeout=10, markup=False)


class _Commands(Provider):
    """A few fixed commands: (title, help, callback)."""

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, help_text, callback in self.commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.commands():
            score = max(matcher.match(title), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class PupilReportProvider(_Commands):
    """On the pupil screen: the pupil's absence overview as a file (HTML for A4, or Markdown)."""

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        key = getattr(self.screen, "pupil_key", None)
        if key is None:
            return []
        app = self.app
        return [
            ("Afwezigheidsoverzicht afdrukken (HTML, A4)",
             "kalender, codes en signalen van deze leerling voor het CLB of de politie; enkel afwezigheden",
             partial(write_pupil_report, app, key, "html", False)),
            ("Afwezigheidsoverzicht met afspraken (HTML, A4)",
             "zoals hierboven, plus de afspraken en beslissingen uit de notulen",
             partial(write_pupil_report, app, key, "html", True)),
            ("Afwezigheidsoverzicht als Markdown",
             "hetzelfde overzicht als tekstbestand",
             partial(write_pupil_report, app, key, "md", False)),
        ]


def open_classes(app) -> None:
    """Classes at a glance, on top of the list."""
    from zorgoverleg.screens.classes import ClassesScreen

    if app.db is None:
        app.notify("De databank is nog niet open.", severity="warning")
        return
    app.push_screen(ClassesScreen())


class ClassesProvider(_Commands):
    """On the list: classes at a glance."""

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        return [("Klassen in één oogopslag",
                 "per klas de leerlingen met signalen, de afwezigheid en klassen waar ze samen stijgen (k)",
                 partial(open_classes, self.app))]
