"""The pupil's dossier across meetings: what stands from last time, the full history, what changed.

Core module (no Textual, no DuckDB): read from the minutes folder, which is the record.

- `Archive` holds the earlier meetings of one minutes folder (every file but the meeting being
  held, up to its day), read once and read again when a file changes.
- `Archive.dossier` gives, for one pupil, what the latest earlier meeting that discussed the
  pupil left standing: pivot, channel, phase, escalations, every role's answers, decisions and
  the open agreements, with the day it was noted.
- `Dossier.start` turns that into the draft minutes of the new meeting: the same values,
  prefilled, the open agreements with their ids (carried over by id, never by text).
- `changes` lists what changed between two meetings' minutes of one pupil, in Dutch, for the
  export ("what changed since last time").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from zorgoverleg.dates import format_date
from zorgoverleg.minutes import ESCALATIONS, PHASES, ROLES, Action, Meeting, MinutesError, PupilMinutes, RoleNote
from zorgoverleg.minutes_io import list_minutes, load

__all__ = ["Archive", "Dossier", "HistoryEntry", "changes", "previous_for", "REVIEW_AFTER"]

#: The next evaluation, when the team does not set one: three weeks after the meeting.
REVIEW_AFTER = timedelta(weeks=3)

#: Fields of the dossier that are prefilled, as (attribute, Dutch label).
PREFILLED = (("pivot", "Spilfiguur"), ("channel", "Communicatiekanaal"), ("phase", "Fase"),
             ("escalations", "Escalaties"), ("decisions", "Beslissingen"), ("roles", "Rollen"),
             ("actions", "Open afspraken"))

ANSWER_LABELS = (("view", "kijk op de situatie"), ("doing", "doet al"), ("can_do", "kan (nog) doen"))


@dataclass
class HistoryEntry:
    """One earlier meeting as it concerns one pupil."""
    meeting: Meeting
    path: Path
    pupil: PupilMinutes

    @property
    def date(self) -> date:
        return self.meeting.date


@dataclass
class Dossier:
    """What stands for one pupil after the latest earlier meeting that discussed it."""
    pupil_id: str
    last: HistoryEntry | None = None
    history: list[HistoryEntry] = field(default_factory=list)   # newest first

    @property
    def noted(self) -> date | None:
        """The day the values were noted (the latest earlier meeting), or None for a first discussion."""
        return self.last.date if self.last else None

    def has(self, attribute: str) -> bool:
        """True when the dossier holds a value for `attribute` (one of PREFILLED's attributes)."""
        if self.last is None:
            return False
        p = self.last.pupil
        if attribute == "roles":
            return any(any(r.answers()) for r in p.roles)
        if attribute == "actions":
            return bool(self.open_actions())
        value = getattr(p, attribute)
        return value is not None and value != "" and value != []

    def start(self, pupil_id: str, name: str, class_: str, signals: list[str], meeting: Meeting) -> PupilMinutes:
        """The draft minutes of the new meeting: what stands, prefilled; the signals as they are now.

        The draft is not part of `meeting` yet: opening a pupil leaves no trace. Added roles
        are kept (after the default ones); done agreements stay in the history.
        """
        draft = PupilMinutes(pupil_id=pupil_id, name=name, class_=class_, signals=list(signals),
                             roles=[RoleNote(role) for role in ROLES],
                             next_review=meeting.date + REVIEW_AFTER)
        if self.last is None:
            return draft
        before = self.last.pupil
        draft.pivot, draft.channel, draft.phase = before.pivot, before.channel, before.phase
        draft.escalations = list(before.escalations)
        draft.decisions = list(before.decisions)
        earlier = {r.role: r for r in before.roles}
        for note in draft.roles:
            found = earlier.pop(note.role, None)
            if found is not None:
                note.view, note.doing, note.can_do, note.involved = (found.view, found.doing, found.can_do,
                                                                     found.involved)
        draft.roles += [RoleNote(r.role, r.view, r.doing, r.can_do, r.involved) for r in earlier.values()]
        draft.actions = [Action(a.what, a.who, a.due, False, a.since, a.id) for a in self.open_actions()]
        return draft

    def open_actions(self) -> list[Action]:
        """The agreements still open: per id its newest record in the earlier meetings, left out when
        done or deleted at some meeting; in the order they were first agreed."""
        newest: dict[str, Action] = {}
        deleted: set[str] = set()
        for entry in reversed(self.history):  # oldest first: a later record replaces an earlier one
            deleted.update(entry.pupil.deleted_actions)
            for a in entry.pupil.actions:
                if a.what.strip():
                    newest[a.id] = Action(a.what, a.who, a.due, a.done, a.since or entry.date, a.id)
        return [a for a in newest.values() if not a.done and a.id not in deleted]


class Archive:
    """The earlier meetings of one minutes folder, seen from the meeting held on `day`.

    `current` (the file of the meeting being held) is left out, and so are meetings after
    `day`. Files are read once and again when they change; a broken file is skipped (the
    start of the app reports it).
    """

    def __init__(self, folder: Path, day: date, current: Path | None = None):
        self.folder = Path(folder)
        self.day = day
        self.current = Path(current) if current else None
        self._cache: dict[Path, tuple[float, Meeting | None]] = {}

    def meetings(self) -> list[tuple[Path, Meeting]]:
        """Earlier meetings, oldest first (by day, then file name)."""
        found = []
        for path in list_minutes(self.folder):
            if self.current is not None and path.resolve() == self.current.resolve():
                continue
            meeting = self._load(path)
            if meeting is not None and meeting.date <= self.day:
                found.append((path, meeting))
        found.sort(key=lambda item: (item[1].date, item[0].name))
        return found

    def _load(self, path: Path) -> Meeting | None:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._cache.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        try:
            meeting: Meeting | None = load(path)
        except MinutesError:
            meeting = None
        self._cache[path] = (mtime, meeting)
        return meeting

    def history(self, pupil_id: str) -> list[HistoryEntry]:
        """Every earlier meeting that discussed the pupil, newest first."""
        entries = [HistoryEntry(meeting, path, pupil)
                   for path, meeting in self.meetings()
                   for pupil in meeting.pupils if pupil.pupil_id == pupil_id]
        return entries[::-1]

    def dossier(self, pupil_id: str) -> Dossier:
        history = self.history(pupil_id)
        return Dossier(pupil_id, history[0] if history else None, history)


def previous_for(path: Path, meeting: Meeting) -> dict[str, HistoryEntry]:
    """For each pupil of `meeting` (the minutes at `path`), the latest earlier meeting in the same
    folder that discussed the pupil."""
    archive = Archive(Path(path).parent, meeting.date, path)
    found = {}
    for pupil in meeting.pupils:
        history = archive.history(pupil.pupil_id)
        if history:
            found[pupil.pupil_id] = history[0]
    return found


# --------------------------------------------------------------------------- what changed

def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _phase(phase: int | None) -> str:
    if phase is None:
        return "geen"
    return f"{phase} ({PHASES[phase]})" if phase in PHASES else str(phase)


def _was(label: str, before: str, after: str) -> str:
    if not before:
        return f"{label}: {after} (nieuw)"
    if not after:
        return f"{label}: gewist (was {before})"
    return f"{label}: {after} (was {before})"


def _agreement(a: Action) -> str:
    who = f" ({_one_line(a.who)})" if a.who.strip() else ""
    due = f", tegen {format_date(a.due)}" if a.due else ""
    return f"‘{_one_line(a.what)}’{who}{due}"


def changes(before: PupilMinutes | None, after: PupilMinutes) -> list[str]:
    """What changed for one pupil since `before` (the latest earlier minutes), as Dutch lines.

    None for `before` means a first discussion: one line says so. Unchanged values are left out.
    """
    if before is None:
        return ["Eerste bespreking in het zorgoverleg."]
    lines = []
    for attr, label in (("pivot", "Spilfiguur"), ("channel", "Communicatiekanaal")):
        old, new = _one_line(getattr(before, attr)), _one_line(getattr(after, attr))
        if old != new:
            lines.append(_was(label, old, new))
    if before.phase != after.phase:
        lines.append(f"Fase: {_phase(after.phase)} (was {_phase(before.phase)})")
    added = [e for e in after.escalations if e not in before.escalations]
    dropped = [e for e in before.escalations if e not in after.escalations]
    if added:
        lines.append("Escalatie erbij: " + ", ".join(ESCALATIONS.get(e, e) for e in added))
    if dropped:
        lines.append("Escalatie niet meer nodig: " + ", ".join(ESCALATIONS.get(e, e) for e in dropped))
    earlier_roles = {r.role: r for r in before.roles}
    for note in after.roles:
        earlier_note = earlier_roles.get(note.role, RoleNote(note.role))
        changed = [label for attr, label in ANSWER_LABELS
                   if _one_line(getattr(earlier_note, attr)) != _one_line(getattr(note, attr))]
        if changed:
            lines.append(f"{note.role}: {', '.join(changed)} aangepast")
    new_decisions = [d for d in after.decisions if _one_line(d) not in {_one_line(x) for x in before.decisions}]
    lines += [f"Nieuwe beslissing: {_one_line(d)}" for d in new_decisions if _one_line(d)]
    earlier = {a.id: a for a in before.actions}
    now = {a.id for a in after.actions}
    for a in after.actions:
        old_action = earlier.get(a.id)
        if old_action is None:
            lines.append(f"Nieuwe afspraak: {_agreement(a)}")
            continue
        if (_one_line(old_action.what), _one_line(old_action.who), old_action.due) != (
                _one_line(a.what), _one_line(a.who), a.due):
            lines.append(f"Afspraak aangepast: {_agreement(a)} (was {_agreement(old_action)})")
        if a.done and not old_action.done:
            lines.append(f"Afspraak gedaan: {_agreement(a)}")
        elif old_action.done and not a.done:
            lines.append(f"Afspraak weer open: {_agreement(a)}")
    lines += [f"Afspraak geschrapt: {_agreement(a)}" for a in before.open_actions() if a.id not in now]
    return lines


def started_at(meeting_day: date, now: datetime | None = None) -> datetime:
    """When a pupil's discussion started: the meeting's day at the time of day now (seconds)."""
    clock = (now or datetime.now()).time().replace(microsecond=0)
    return datetime.combine(meeting_day, clock)
