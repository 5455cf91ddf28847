"""The state of one meeting, shared by the screens: minutes, autosave, agenda, dossier.

Plain Python (no Textual), so it can be tested and reused from the command line.

A pupil enters the minutes only when the team discussed it: typed or decided something
(`MeetingState.touch`) or marked it discussed (`mark`). Opening a pupil (`open_pupil`) gives a
draft prefilled from the dossier and leaves no trace; `unmark` takes a pupil out again. A
closed meeting (`finish`) refuses every change until it is reopened (`reopen`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from zorgoverleg import minutes as m
from zorgoverleg.autosave import Autosaver
from zorgoverleg.dossier import Archive, Dossier, started_at
from zorgoverleg.minutes_io import latest_of_day, load, minutes_path
from zorgoverleg.signals import PupilRow


def pupil_ref(row: PupilRow) -> str:
    """The id written to the minutes: the export's pupil id, else the internal key."""
    return row.pupil_id if row.pupil_id is not None else row.pupil_key


class ClosedError(RuntimeError):
    """A change to a closed meeting; the message is one Dutch sentence."""


CLOSED = "Dit overleg is afgesloten; heropen het via het commandopalet (ctrl+p, ‘Overleg heropenen’) om te wijzigen."


@dataclass
class MeetingState:
    folder: Path
    meeting: m.Meeting
    path: Path
    saver: Autosaver
    resumed: bool = False
    agenda_extra: set[str] = field(default_factory=set)     # added to the agenda with `a`
    agenda_removed: set[str] = field(default_factory=set)   # taken off the agenda with `a`
    drafts: dict[str, m.PupilMinutes] = field(default_factory=dict)     # opened, not (yet) discussed
    baselines: dict[str, m.PupilMinutes] = field(default_factory=dict)  # the dossier's draft, as prefilled
    archive: Archive | None = None

    def __post_init__(self) -> None:
        if self.archive is None:
            self.archive = Archive(self.folder, self.meeting.date, self.path)

    @classmethod
    def resume_or_none(cls, folder: Path, today: date) -> MeetingState | None:
        """The meeting of ``today`` if there is one: an interrupted meeting goes on, a closed one
        is shown read-only. A meeting of an earlier day stays as it is and a new one starts."""
        found = latest_of_day(folder, today)
        if found is None:
            return None
        meeting = load(found)
        return cls(folder, meeting, found, Autosaver(found), resumed=True,
                   agenda_extra={p.pupil_id for p in meeting.pupils})

    @classmethod
    def start(cls, folder: Path, when: date, title: str, present: list[m.Attendee]) -> MeetingState:
        path = minutes_path(folder, when, title)
        if path.exists():  # a second meeting with the same title on one day
            stem, n = path.stem, 2
            while (path := path.with_name(f"{stem}-{n}.toml")).exists():
                n += 1
        meeting = m.Meeting(date=when, title=title, present=present)
        state = cls(folder, meeting, path, Autosaver(path))
        state.save_now()
        return state

    # ---- saving ----------------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.meeting.finished

    def changed(self) -> None:
        """Call after an edit of something already in the minutes: saved at most about a second later."""
        if not self.read_only:
            self.saver.touch(self.meeting)

    def save_now(self) -> bool:
        self.saver.touch(self.meeting)
        return self.saver.flush()

    def close(self) -> None:
        self.saver.close()

    # ---- pupils ----------------------------------------------------------------------------------
    def dossier(self, pupil_id: str) -> Dossier:
        assert self.archive is not None
        return self.archive.dossier(pupil_id)

    def open_pupil(self, row: PupilRow) -> m.PupilMinutes:
        """The pupil's minutes if discussed already, else a draft prefilled from the dossier
        (not in the minutes: opening leaves no trace)."""
        ref = pupil_ref(row)
        found = self.meeting.pupil(ref)
        if found is not None:
            return found
        if ref not in self.drafts:
            draft = self.dossier(ref).start(ref, row.name, row.class_, [s.id for s in row.signals], self.meeting)
            self.drafts[ref] = draft
            self.baselines[ref] = draft.copy()
        return self.drafts[ref]

    def is_discussed(self, pupil_id: str) -> bool:
        return self.meeting.pupil(pupil_id) is not None

    def discussed_ids(self) -> set[str]:
        return {p.pupil_id for p in self.meeting.pupils}

    def touch(self, pupil: m.PupilMinutes) -> None:
        """The team typed or decided something about `pupil`: it is discussed now, and saved.

        Raises `ClosedError` on a closed meeting (the UI keeps its fields read-only then)."""
        if self.read_only:
            raise ClosedError(CLOSED)
        if self.meeting.pupil(pupil.pupil_id) is None:
            self._enter(pupil)
        self.saver.touch(self.meeting)

    def mark(self, pupil: m.PupilMinutes) -> None:
        """Marked discussed with a key: what stands (the dossier, as prefilled) goes into the minutes."""
        self.touch(pupil)
        self.saver.flush()

    def _enter(self, pupil: m.PupilMinutes) -> None:
        if pupil.started_at is None:
            pupil.started_at = started_at(self.meeting.date)
        self.meeting.pupils.append(pupil)
        self.drafts.pop(pupil.pupil_id, None)
        self.agenda_extra.add(pupil.pupil_id)

    def typed_anything(self, pupil_id: str) -> bool:
        """True when the pupil's minutes differ from what the dossier prefilled."""
        found = self.meeting.pupil(pupil_id)
        if found is None:
            return False
        baseline = self.baselines.get(pupil_id)
        return baseline is None or baseline.content() != found.content()

    def unmark(self, pupil_id: str) -> m.PupilMinutes | None:
        """Take the pupil out of the minutes again (not discussed after all). Returns the fresh
        draft (the dossier as prefilled), or None if the pupil was not in the minutes."""
        if self.read_only:
            raise ClosedError(CLOSED)
        found = self.meeting.pupil(pupil_id)
        if found is None:
            return None
        self.meeting.pupils = [p for p in self.meeting.pupils if p.pupil_id != pupil_id]
        self.save_now()
        baseline = self.baselines.get(pupil_id)
        if baseline is None:
            baseline = self.dossier(pupil_id).start(pupil_id, found.name, found.class_, found.signals, self.meeting)
            self.baselines[pupil_id] = baseline
        draft = baseline.copy()
        draft.seconds_spent = found.seconds_spent
        self.drafts[pupil_id] = draft
        return draft

    def toggle_agenda(self, pupil_id: str, on_agenda: bool) -> bool:
        """Put the pupil on the agenda or take it off (`on_agenda`: whether it is on it now);
        returns whether it is on the agenda after. A discussed pupil stays on it."""
        if self.is_discussed(pupil_id):
            return True
        if on_agenda:
            self.agenda_extra.discard(pupil_id)
            self.agenda_removed.add(pupil_id)
            return False
        self.agenda_removed.discard(pupil_id)
        self.agenda_extra.add(pupil_id)
        return True

    def agenda(self, automatic: set[str]) -> set[str]:
        """The agenda: `automatic` (top of the list, reviews due) minus what was taken off, plus what
        was added and what was discussed."""
        return (automatic - self.agenda_removed) | self.agenda_extra | self.discussed_ids()

    # ---- closing ---------------------------------------------------------------------------------
    def finish(self, now: datetime | None = None) -> bool:
        """Close the meeting (``finished = true``, ``finished_at`` on the meeting's day); True when saved."""
        clock = (now or datetime.now()).time().replace(microsecond=0)
        self.meeting.finished = True
        self.meeting.finished_at = datetime.combine(self.meeting.date, clock)
        return self.save_now()

    def reopen(self) -> bool:
        """Open a closed meeting again for changes; True when saved."""
        self.meeting.finished = False
        self.meeting.finished_at = None
        return self.save_now()
