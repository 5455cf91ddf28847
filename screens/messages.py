"""Messages that thread workers post to their screen (or the App): the result of the work, typed.

A worker never calls screen methods from its thread: it posts one of these, and a handler on the
UI thread shows the result. A worker that fails (any exception) ends in ``WorkerState.ERROR``; the
screen's one ``Worker.StateChanged`` handler turns that into ``LoadFailed`` and shows one Dutch sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
from textual.message import Message
from textual.worker import Worker, WorkerState

from zorgoverleg import minutes as m
from zorgoverleg.db import DatabaseError
from zorgoverleg.importer import FileSummary, ImportRefused
from zorgoverleg.pupil import PupilDetail
from zorgoverleg.screens.context import DataChange
from zorgoverleg.signals import ListView, PupilRow
from zorgoverleg.startup import Opened
from zorgoverleg.text import visible

# What each worker group was doing, as the start of a Dutch sentence (the reason follows).
FAILED = {
    "db": "De databank kon niet geopend worden",
    "agenda": "De prioriteitenlijst kon niet berekend worden",
    "agenda-filter": "Zoeken in de lijst lukte niet",
    "trends": "De trend per week kon niet berekend worden",
    "pupil": "De gegevens van deze leerling konden niet geladen worden",
    "flags": "Het teamsignaal kon niet bewaard worden",
    "import": "Het importeren lukte niet",
}


def reason(error: BaseException | None) -> str:
    """The cause of ``error`` in words for people (no traceback, no control characters)."""
    if error is None:
        return "onbekende fout"
    if isinstance(error, (DatabaseError, ImportRefused, m.MinutesError)):
        text = str(error)
    elif isinstance(error, duckdb.Error):
        text = f"fout in de databank ({str(error).splitlines()[0] if str(error) else type(error).__name__})"
    elif isinstance(error, OSError) and error.strerror:
        text = error.strerror
    else:
        text = str(error) or type(error).__name__
    return visible(text.strip().rstrip("."))


@dataclass
class LoadFailed(Message):
    """A worker of group ``group`` failed; ``sentence`` says so in Dutch."""

    group: str
    error: BaseException | None = None

    @property
    def sentence(self) -> str:
        return f"{FAILED.get(self.group, 'Er liep iets mis')}: {reason(self.error)}."


@dataclass
class DatabaseOpened(Message):
    opened: Opened


@dataclass
class DatabaseFailed(Message):
    sentence: str


@dataclass
class ListLoaded(Message):
    """The list (its first page) was read; ``needle`` is the filter it was read for."""

    view: ListView
    needle: str


@dataclass
class ListSearched(Message):
    shown: list[PupilRow]
    found: int
    needle: str


@dataclass
class PupilsLoaded(Message):
    """Every pupil (for the command palette)."""

    pupils: list[tuple]


@dataclass
class SinceLoaded(Message):
    """Per pupil the team agreed something for: the absences since the first agreement (zorgoverleg.since)."""

    since: dict


@dataclass
class TrendsLoaded(Message):
    trends: dict[str, list[int]]


@dataclass
class PupilLoaded(Message):
    """The pupil's detail and team flags (``detail`` None: the pupil is not in the database)."""

    detail: PupilDetail | None
    flags: list[m.TeamFlag] = field(default_factory=list)


@dataclass
class FlagStored(Message):
    """The team flag ``flag`` is stored as the screen wanted it."""

    flag: str


@dataclass
class FlagFailed(Message):
    """Storing the team flag ``flag`` failed; the database keeps what it had."""

    flag: str
    error: BaseException

    @property
    def sentence(self) -> str:
        return f"{FAILED['flags']}: {reason(self.error)}. Het staat niet in de notulen; probeer het opnieuw."


@dataclass
class DataChanged(Message):
    """Posted to the App from a worker: the App publishes ``AppContext.data_changed`` on the UI thread."""

    what: DataChange


@dataclass
class ImportDone(Message):
    summaries: list[FileSummary]


@dataclass
class ImportFailed(Message):
    """The importer refused the file (one Dutch sentence): nothing changed."""

    sentence: str


class ReportsWorkerFailures:
    """Mixin for a screen: a worker that fails posts ``LoadFailed``, which the screen's own handler
    turns into one Dutch sentence on screen (the screen stays usable)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(LoadFailed(event.worker.group, event.worker.error))  # type: ignore[attr-defined]
