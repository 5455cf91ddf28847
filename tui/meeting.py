"""The state of one meeting, shared by the screens: minutes, autosave, agenda.

Plain Python (no Textual), so it can be tested and reused from the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from zorgoverleg import minutes as m
from zorgoverleg.signals import PupilRow


def pupil_ref(row: PupilRow) -> str:
    """The id written to the minutes: the export's pupil id, else the internal key."""
    return row.pupil_id if row.pupil_id is not None else row.pupil_key


@dataclass
class MeetingState:
    folder: Path
    meeting: m.Meeting
    path: Path
    saver: m.Autosaver
    resumed: bool = False
    agenda_extra: set[str] = field(default_factory=set)

    @classmethod
    def resume_or_none(cls, folder: Path, today: date) -> MeetingState | None:
        """The unfinished meeting of ``today``, if the team was interrupted; an unfinished
        meeting of an earlier day stays as it is and a new one starts."""
        found = m.latest_unfinished(folder)
        if found is None:
            return None
        meeting = m.load(found)
        if meeting.date != today:
            return None
        return cls(folder, meeting, found, m.Autosaver(found), resumed=True,
                   agenda_extra={p.pupil_id for p in meeting.pupils})

    @classmethod
    def start(cls, folder: Path, when: date, title: str, present: list[m.Attendee]) -> MeetingState:
        path = m.minutes_path(folder, when, title)
        if path.exists():  # a second meeting with the same title on one day
            stem, n = path.stem, 2
            while (path := path.with_name(f"{stem}-{n}.toml")).exists():
                n += 1
        meeting = m.Meeting(date=when, title=title, present=present)
        state = cls(folder, meeting, path, m.Autosaver(path))
        state.save_now()
        return state

    def changed(self) -> None:
        """Call after every edit: saved at most about a second later."""
        self.saver.touch(self.meeting)

    def save_now(self) -> bool:
        self.saver.touch(self.meeting)
        return self.saver.flush()

    def discuss(self, row: PupilRow) -> m.PupilMinutes:
        """The minutes of ``row``'s pupil, created with the signals as they stand now."""
        pupil = self.meeting.ensure_pupil(
            pupil_ref(row), row.name, row.class_, [s.id for s in row.signals]
        )
        if pupil.started_at is None:
            pupil.started_at = datetime.now().replace(microsecond=0)
        if pupil.next_review is None:
            pupil.next_review = self.meeting.date + timedelta(weeks=3)
        self.agenda_extra.add(pupil.pupil_id)
        self.changed()
        return pupil

    def discussed_ids(self) -> set[str]:
        return {p.pupil_id for p in self.meeting.pupils}

    def finish(self) -> bool:
        self.meeting.finished = True
        return self.save_now()

    def close(self) -> None:
        self.saver.close()
