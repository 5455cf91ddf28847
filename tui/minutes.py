"""Minutes of a care-team meeting (zorgoverleg): the data model.

One meeting is one TOML file in the shape fixed by PRODUCT.md ("Minutes")::

    [meeting]                       date, title, present, finished, finished_at
    [[pupils]]                      pupil_id, name, class, signals, phase, pivot, ...
    [[pupils.roles]]                role, view, doing, can_do, involved
    [[pupils.actions]]              id, what, who, due, done, since
    [[pupils.flags]]                flag, note, set_by, set_at

The module is split along its seams, all pure Python (no Textual, no DuckDB):

- ``zorgoverleg.minutes``: this model;
- ``zorgoverleg.minutes_io``: TOML reading and writing, atomic private files, the minutes
  folder of a database and its lock;
- ``zorgoverleg.autosave``: the debounced saver the UI calls after every change.

The names of the other two modules stay importable from here (``minutes.save``,
``from zorgoverleg.minutes import load``), loaded on first use.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

Day = date  # the type, under a name no dataclass field shadows (Meeting has a field "date")

__all__ = [
    "ROLES", "PHASES", "ESCALATIONS", "Attendee", "RoleNote", "Action", "TeamFlag", "PupilMinutes",
    "Meeting", "MinutesError", "new_action_id", "legacy_action_id",
]
# Also importable from here (see __getattr__ below): to_dict, to_toml, from_toml, write_atomic, save,
# load, minutes_dir, minutes_path, list_minutes, latest_unfinished, latest_of_day, previous_attendees,
# MinutesLock, LockError (zorgoverleg.minutes_io); Autosaver, reason, default_recovery_dir (zorgoverleg.autosave).

#: Default roles walked through for every pupil, in this order (DOMAIN.md).
ROLES = ("Lln", "Ouders", "Klasgenoot", "Klasgroep", "Leerkracht", "CLB",
         "Leerlingbegeleider", "Graadcoördinator", "Directeur")

#: Care phases of the zorgcontinuüm.
PHASES = {0: "Brede basiszorg", 1: "Verhoogde zorg", 2: "Uitbreiding van zorg",
          3: "Individueel aangepast curriculum"}

#: Known escalation ids with their Dutch labels (other ids are kept as given).
ESCALATIONS = {"clb_report": "Melding aan het CLB", "police": "Politie (lokale afspraak)",
               "toah_bednet": "TOAH / Bednet", "naft": "NAFT"}


def new_action_id() -> str:
    """A fresh agreement id: six hex digits, as in PRODUCT.md (``id = "a7f3c2"``)."""
    return secrets.token_hex(3)


def legacy_action_id(pupil_id: str, since: date, what: str) -> str:
    """The id of an agreement written before agreements had ids.

    Derived from the pupil, the meeting that first agreed it and its text, so the same old
    agreement gets the same id in every file that carried it over.
    """
    key = f"{pupil_id}\x1f{since.isoformat()}\x1f{what.strip()}".encode()
    return hashlib.sha1(key).hexdigest()[:6]


# --------------------------------------------------------------------------- model

@dataclass
class Attendee:
    """A person present at the meeting."""
    name: str
    role: str


@dataclass
class RoleNote:
    """One role's perspective on a pupil: how it sees things, what it does, what it can do."""
    role: str
    view: str = ""
    doing: str = ""
    can_do: str = ""
    involved: bool = True

    def answers(self) -> tuple[str, str, str]:
        return (self.view, self.doing, self.can_do)


@dataclass
class Action:
    """An agreement: what, by whom, by when, and whether it happened.

    `id` is stable across meetings: an edited agreement keeps it, and an agreement is carried
    into the next meeting by id (never by its text). `since` is the meeting that first agreed it.
    """
    what: str
    who: str = ""
    due: date | None = None
    done: bool = False
    since: date | None = None
    id: str = field(default_factory=new_action_id)


@dataclass
class TeamFlag:
    """Something the team knows that the export cannot show."""
    flag: str                             # id, e.g. "parents_unreachable" (see zorgoverleg.history.TEAM_FLAGS)
    note: str = ""
    set_by: str = ""
    set_at: date | None = None


@dataclass
class PupilMinutes:
    """Everything noted about one pupil during one meeting (what stands after it)."""
    pupil_id: str
    name: str = ""
    class_: str = ""                      # TOML key "class"
    signals: list[str] = field(default_factory=list)
    phase: int | None = None
    pivot: str = ""                       # spilfiguur
    channel: str = ""                     # communicatiekanaal
    next_review: date | None = None
    decisions: list[str] = field(default_factory=list)
    roles: list[RoleNote] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    flags: list[TeamFlag] = field(default_factory=list)
    notes: str = ""
    started_at: datetime | None = None
    seconds_spent: int = 0
    deleted_actions: list[str] = field(default_factory=list)  # ids of agreements deleted at this meeting

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)

    def delete_action(self, action_id: str) -> None:
        """Delete an agreement; its id is recorded so that no later meeting carries it over again."""
        self.actions = [a for a in self.actions if a.id != action_id]
        if action_id not in self.deleted_actions:
            self.deleted_actions.append(action_id)

    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if not a.done and a.what.strip()]

    def role(self, name: str) -> RoleNote | None:
        return next((r for r in self.roles if r.role == name), None)

    def copy(self) -> PupilMinutes:
        return copy.deepcopy(self)

    def content(self) -> tuple[Any, ...]:
        """What the team can type or decide (not the timer, not the signals): equal content
        means nothing was changed."""
        return (self.phase, self.pivot, self.channel, self.next_review, tuple(self.decisions),
                tuple((r.role, r.answers(), r.involved) for r in self.roles),
                tuple((a.id, a.what, a.who, a.due, a.done, a.since) for a in self.actions),
                tuple(self.escalations), tuple((f.flag, f.note) for f in self.flags), self.notes,
                tuple(self.deleted_actions))


@dataclass
class Meeting:
    """One meeting: who was there and the minutes per pupil."""
    date: date
    title: str = "Zorgoverleg"
    present: list[Attendee] = field(default_factory=list)
    pupils: list[PupilMinutes] = field(default_factory=list)
    finished: bool = False
    finished_at: datetime | None = None

    def pupil(self, pupil_id: str) -> PupilMinutes | None:
        """The minutes for `pupil_id`, or None if the pupil was not discussed yet."""
        return next((p for p in self.pupils if p.pupil_id == pupil_id), None)

    def ensure_pupil(self, pupil_id: str, name: str = "", class_: str = "",
                     signals: list[str] | tuple[str, ...] = ()) -> PupilMinutes:
        """Return the pupil's minutes, adding them (with the default roles) if absent.

        Existing minutes are returned unchanged: their signals stay as they stood
        when the pupil was first discussed.
        """
        found = self.pupil(pupil_id)
        if found is None:
            found = PupilMinutes(pupil_id=pupil_id, name=name, class_=class_,
                                 signals=list(signals),
                                 roles=[RoleNote(role) for role in ROLES])
            self.pupils.append(found)
        return found

    def add_action(self, pupil: PupilMinutes, what: str, who: str = "", due: Day | None = None) -> Action:
        """A new agreement, agreed at this meeting (``since`` = the meeting's day)."""
        action = Action(what, who, due, since=self.date)
        pupil.actions.append(action)
        return action


class MinutesError(ValueError):
    """A minutes file could not be read; the message is one Dutch sentence for the user."""


# --------------------------------------------------------------------------- the other two modules

_IO_NAMES = {"to_dict", "to_toml", "from_toml", "write_atomic", "save", "load", "minutes_dir",
             "minutes_path", "list_minutes", "latest_unfinished", "latest_of_day", "previous_attendees",
             "MinutesLock", "LockError"}
_AUTOSAVE_NAMES = {"Autosaver", "reason", "default_recovery_dir"}


def __getattr__(name: str) -> Any:
    """``minutes.save`` and friends, from the modules they moved to (imported on first use,
    which keeps the model free of import cycles)."""
    if name in _IO_NAMES:
        from zorgoverleg import minutes_io
        return getattr(minutes_io, name)
    if name in _AUTOSAVE_NAMES:
        from zorgoverleg import autosave
        return getattr(autosave, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
