"""What the screens need, in one typed object handed to each screen through its constructor.

Screens read the database, the settings, today's date, the minutes folder and the meeting from an
``AppContext`` instead of reaching into ``self.app``; the App builds one and fills it in as the
database opens and the meeting starts. Changes are told through two signals:

- ``data_changed`` (payload: a ``DataChange``): the data behind the list changed (a team flag was
  stored, an export was imported); the list reads itself again.
- ``privacy_changed`` (payload: the new setting): show initials only, or full names again.

Publish signals from the UI thread only (message handlers), never from a worker's thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from textual.signal import Signal

from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.meeting import MeetingState
from zorgoverleg.signals import PupilRow

DataChange = Literal["team_flags", "import"]


@dataclass(eq=False)
class AppContext:
    config: Config
    today: date
    minutes_folder: Path
    data_changed: Signal[DataChange]
    privacy_changed: Signal[bool]
    clock: bool = True  # False freezes the per-pupil timer (snapshot tests)
    db: Database | None = None  # None until the database is open
    state: MeetingState | None = None  # None until the meeting starts
    privacy: bool = False  # initials only on the screen
    # For the command palette: every pupil (key, id, last name, first name, class, grade), and the top of the list.
    pupils: list[tuple] = field(default_factory=list)
    top: list[PupilRow] = field(default_factory=list)

    @property
    def database(self) -> Database:
        """The open database (screens that use it only exist once it is open)."""
        if self.db is None:
            raise RuntimeError("the database is not open yet")
        return self.db

    @property
    def meeting(self) -> MeetingState:
        """The meeting in progress (screens that use it only exist once it started)."""
        if self.state is None:
            raise RuntimeError("the meeting has not started yet")
        return self.state

    def set_privacy(self, on: bool) -> None:
        self.privacy = on
        self.privacy_changed.publish(on)

    def data_has_changed(self, what: DataChange) -> None:
        self.data_changed.publish(what)


@runtime_checkable
class HasContext(Protocol):
    """An App that hands out an ``AppContext`` (for code that Textual builds, like palette providers)."""

    context: AppContext


def context_of(app: object) -> AppContext:
    if not isinstance(app, HasContext):
        raise TypeError(f"{app!r} has no AppContext")
    return app.context
