"""Minutes of a care-team meeting (zorgoverleg): data model, TOML files, safe saving.

One meeting is one TOML file in the shape fixed by PRODUCT.md ("Minutes")::

    [meeting]                       date, title, present, finished
    [[pupils]]                      pupil_id, name, class, signals, phase, pivot, ...
    [[pupils.roles]]                role, view, doing, can_do, involved
    [[pupils.actions]]              what, who, due, done

Minutes hold health data and personal notes, so every file is written atomically with
mode 0600 and a folder we create gets mode 0700. The module is pure Python (no Textual,
no DuckDB) so the command line, the exporter and the tests can use it directly.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import threading
import time
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from zorgoverleg.calendar import coerce_date

__all__ = [
    "ROLES", "PHASES", "ESCALATIONS", "Attendee", "RoleNote", "Action", "PupilMinutes",
    "Meeting", "MinutesError", "to_dict", "to_toml", "from_toml", "write_atomic", "save",
    "load", "minutes_dir", "minutes_path", "list_minutes", "latest_unfinished",
    "previous_attendees", "Autosaver", "reason",
]

#: Default roles walked through for every pupil, in this order (DOMAIN.md).
ROLES = ("Lln", "Ouders", "Klasgenoot", "Klasgroep", "Leerkracht", "CLB",
         "Leerlingbegeleider", "Graadcoördinator", "Directeur")

#: Care phases of the zorgcontinuüm.
PHASES = {0: "Brede basiszorg", 1: "Verhoogde zorg", 2: "Uitbreiding van zorg",
          3: "Individueel aangepast curriculum"}

#: Known escalation ids with their Dutch labels (other ids are kept as given).
ESCALATIONS = {"clb_report": "Melding aan het CLB", "police": "Politie (lokale afspraak)",
               "toah_bednet": "TOAH / Bednet", "naft": "NAFT"}


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


@dataclass
class Action:
    """An agreement: what, by whom, by when, and whether it happened."""
    what: str
    who: str = ""
    due: date | None = None
    done: bool = False
    since: date | None = None             # meeting where it was first agreed (carried-over agreements)


@dataclass
class TeamFlag:
    """Something the team knows that the export cannot show."""
    flag: str                             # id, e.g. "parents_unreachable" (see zorgoverleg.history.TEAM_FLAGS)
    note: str = ""
    set_by: str = ""
    set_at: date | None = None


@dataclass
class PupilMinutes:
    """Everything noted about one pupil during one meeting."""
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


@dataclass
class Meeting:
    """One meeting: who was there and the minutes per pupil."""
    date: date
    title: str = "Zorgoverleg"
    present: list[Attendee] = field(default_factory=list)
    pupils: list[PupilMinutes] = field(default_factory=list)
    finished: bool = False

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


class MinutesError(ValueError):
    """A minutes file could not be read; the message is one Dutch sentence for the user."""


# --------------------------------------------------------------------------- writing TOML

def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    """TOML has no null: leave unset values out."""
    return {k: v for k, v in d.items() if v is not None}


def _pupil_fields(p: PupilMinutes) -> dict[str, Any]:
    return _drop_none({
        "pupil_id": p.pupil_id, "name": p.name, "class": p.class_,
        "signals": list(p.signals), "phase": p.phase, "pivot": p.pivot,
        "channel": p.channel, "next_review": p.next_review,
        "decisions": list(p.decisions), "escalations": list(p.escalations),
        "notes": p.notes, "started_at": p.started_at, "seconds_spent": p.seconds_spent,
    })


def _role_fields(r: RoleNote) -> dict[str, Any]:
    return {"role": r.role, "view": r.view, "doing": r.doing, "can_do": r.can_do,
            "involved": r.involved}


def _action_fields(a: Action) -> dict[str, Any]:
    return _drop_none({"what": a.what, "who": a.who, "due": a.due, "done": a.done, "since": a.since})


def _flag_fields(f: TeamFlag) -> dict[str, Any]:
    return _drop_none({"flag": f.flag, "note": f.note, "set_by": f.set_by, "set_at": f.set_at})


def to_dict(m: Meeting) -> dict[str, Any]:
    """The meeting as plain data in PRODUCT.md's shape (what tomllib reads back)."""
    return {
        "meeting": {
            "date": m.date, "title": m.title,
            "present": [{"name": a.name, "role": a.role} for a in m.present],
            "finished": m.finished,
        },
        "pupils": [
            {**_pupil_fields(p),
             "roles": [_role_fields(r) for r in p.roles],
             "actions": [_action_fields(a) for a in p.actions],
             "flags": [_flag_fields(f) for f in p.flags]}
            for p in m.pupils
        ],
    }


def _dumps(d: dict[str, Any]) -> str:
    return tomli_w.dumps(d, multiline_strings=True)


def to_toml(m: Meeting) -> str:
    """Serialise the meeting to TOML with tomli-w.

    Each pupil, role and action is written as its own ``[[...]]`` table (one key a line),
    as in PRODUCT.md, rather than left to tomli-w's inline-table heuristic; the values
    are all formatted by tomli-w. ``tomllib.loads(to_toml(m)) == to_dict(m)`` whenever the
    meeting has pupils (an empty pupil list is simply absent).
    """
    data = to_dict(m)
    chunks = [_dumps({"meeting": data["meeting"]})]
    for pupil in data["pupils"]:
        roles, actions, flags = pupil.pop("roles"), pupil.pop("actions"), pupil.pop("flags")
        # An empty list has no [[...]] table to show it: write "roles = []" instead.
        pupil.update({k: [] for k, v in (("roles", roles), ("actions", actions), ("flags", flags)) if not v})
        chunks.append("[[pupils]]\n" + _dumps(pupil))
        chunks += ["[[pupils.roles]]\n" + _dumps(r) for r in roles]
        chunks += ["[[pupils.actions]]\n" + _dumps(a) for a in actions]
        chunks += ["[[pupils.flags]]\n" + _dumps(f) for f in flags]
    return "\n".join(chunks)


# --------------------------------------------------------------------------- reading TOML

_MISSING = object()


def _is_text(v: Any) -> bool:
    return isinstance(v, str)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


class _Reader:
    """Typed access to parsed TOML that names the offending key in Dutch on failure."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str) -> MinutesError:
        return MinutesError(f"{self.source}: sleutel {path} {problem}.")

    def get(self, table: dict, key: str, path: str, ok: Callable[[Any], bool],
            expected: str, default: Any = _MISSING) -> Any:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                raise self.fail(path, "ontbreekt")
            return default
        if not ok(value):
            raise self.fail(path, f"moet {expected} zijn")
        return value

    def text(self, t: dict, key: str, path: str, default: Any = "") -> str:
        return self.get(t, key, path, _is_text, "tekst tussen aanhalingstekens", default)

    def flag(self, t: dict, key: str, path: str, default: bool) -> bool:
        return self.get(t, key, path, _is_bool, "true of false", default)

    def integer(self, t: dict, key: str, path: str, default: Any) -> int | None:
        return self.get(t, key, path, _is_int, "een geheel getal", default)

    def texts(self, t: dict, key: str, path: str) -> list[str]:
        items = self.get(t, key, path, lambda v: isinstance(v, list), "een lijst", [])
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise self.fail(f"{path}[{i}]", "moet tekst tussen aanhalingstekens zijn")
        return list(items)

    def tables(self, t: dict, key: str, path: str) -> list[dict]:
        items = self.get(t, key, path, lambda v: isinstance(v, list), "een lijst van tabellen", [])
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"{path}[{i}]", "moet een tabel zijn")
        return items

    def day(self, t: dict, key: str, path: str, required: bool = False) -> date | None:
        """A TOML date; a datetime or an ISO date string is accepted as well."""
        value = t.get(key, _MISSING)
        if value is _MISSING:
            if required:
                raise self.fail(path, "ontbreekt")
            return None
        found = coerce_date(value)
        if found is not None:
            return found
        raise self.fail(path, "moet een datum zijn (JJJJ-MM-DD)")

    def moment(self, t: dict, key: str, path: str) -> datetime | None:
        """A TOML date-time; an ISO string is accepted as well."""
        value = t.get(key, _MISSING)
        if value is _MISSING:
            return None
        if isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(path, "moet een datum met tijd zijn (JJJJ-MM-DDTUU:MM:SS)")


def _syntax_error(text: str, source: str, err: tomllib.TOMLDecodeError) -> MinutesError:
    """Turn tomllib's message into one Dutch sentence with line and column."""
    message = str(err)
    found = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if found:
        line, column = int(found[1]), int(found[2])
    else:  # "(at end of document)"
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    reason = re.sub(r"\s*\(at [^)]*\)$", "", message)
    return MinutesError(f"{source}: geen geldige TOML op regel {line}, kolom {column} ({reason}).")


def from_toml(text: str, source: str = "<minutes>") -> Meeting:
    """Parse minutes written by `to_toml` (or by hand).

    Missing optional keys get their defaults and unknown keys are ignored. A TOML syntax
    error, a missing ``meeting.date``/``pupil_id``/``role`` or a value of the wrong type
    raises `MinutesError` naming `source` and the key (e.g. ``pupils[2].actions[0].due``).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _syntax_error(text, source, err) from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise MinutesError(f"{source}: de TOML is te diep genest (lijsten of tabellen in elkaar); "
                           "dit zijn geen notulen van zorgoverleg.") from None
    r = _Reader(source)

    head = r.get(data, "meeting", "meeting", lambda v: isinstance(v, dict), "een tabel")
    present = []
    for i, a in enumerate(r.tables(head, "present", "meeting.present")):
        path = f"meeting.present[{i}]"
        present.append(Attendee(r.text(a, "name", f"{path}.name"),
                                r.text(a, "role", f"{path}.role")))
    meeting = Meeting(
        date=r.day(head, "date", "meeting.date", required=True),
        title=r.text(head, "title", "meeting.title", "Zorgoverleg"),
        present=present,
        finished=r.flag(head, "finished", "meeting.finished", False),
    )

    for i, p in enumerate(r.tables(data, "pupils", "pupils")):
        at = f"pupils[{i}]"
        phase = r.integer(p, "phase", f"{at}.phase", None)
        if phase is not None and phase not in PHASES:
            raise r.fail(f"{at}.phase", "moet een fase van 0 tot 3 zijn")
        roles = [
            RoleNote(role=r.text(x, "role", f"{at}.roles[{j}].role", _MISSING),
                     view=r.text(x, "view", f"{at}.roles[{j}].view"),
                     doing=r.text(x, "doing", f"{at}.roles[{j}].doing"),
                     can_do=r.text(x, "can_do", f"{at}.roles[{j}].can_do"),
                     involved=r.flag(x, "involved", f"{at}.roles[{j}].involved", True))
            for j, x in enumerate(r.tables(p, "roles", f"{at}.roles"))
        ]
        actions = [
            Action(what=r.text(x, "what", f"{at}.actions[{j}].what"),
                   who=r.text(x, "who", f"{at}.actions[{j}].who"),
                   due=r.day(x, "due", f"{at}.actions[{j}].due"),
                   done=r.flag(x, "done", f"{at}.actions[{j}].done", False),
                   since=r.day(x, "since", f"{at}.actions[{j}].since"))
            for j, x in enumerate(r.tables(p, "actions", f"{at}.actions"))
        ]
        flags = [
            TeamFlag(flag=r.text(x, "flag", f"{at}.flags[{j}].flag", _MISSING),
                     note=r.text(x, "note", f"{at}.flags[{j}].note"),
                     set_by=r.text(x, "set_by", f"{at}.flags[{j}].set_by"),
                     set_at=r.day(x, "set_at", f"{at}.flags[{j}].set_at"))
            for j, x in enumerate(r.tables(p, "flags", f"{at}.flags"))
        ]
        meeting.pupils.append(PupilMinutes(
            pupil_id=r.text(p, "pupil_id", f"{at}.pupil_id", _MISSING),
            name=r.text(p, "name", f"{at}.name"),
            class_=r.text(p, "class", f"{at}.class"),
            signals=r.texts(p, "signals", f"{at}.signals"),
            phase=phase,
            pivot=r.text(p, "pivot", f"{at}.pivot"),
            channel=r.text(p, "channel", f"{at}.channel"),
            next_review=r.day(p, "next_review", f"{at}.next_review"),
            decisions=r.texts(p, "decisions", f"{at}.decisions"),
            roles=roles,
            actions=actions,
            escalations=r.texts(p, "escalations", f"{at}.escalations"),
            flags=flags,
            notes=r.text(p, "notes", f"{at}.notes"),
            started_at=r.moment(p, "started_at", f"{at}.started_at"),
            seconds_spent=r.integer(p, "seconds_spent", f"{at}.seconds_spent", 0),
        ))
    return meeting


# --------------------------------------------------------------------------- files

def _fsync_dir(folder: Path) -> None:
    """Make a rename durable; silently skipped where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents with mode 0700 (an existing folder is left as it is)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=0o700)
        except FileExistsError:
            if not created.is_dir():
                raise
            continue
        try:
            os.chmod(created, 0o700)  # whatever the umask
        except OSError:
            pass


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) so readers see the old or the new file, never half.

    The temporary file lives in the same folder, is created with mode 0600 and is fsynced
    before ``os.replace``; the folder is fsynced after. A missing folder is created with
    mode 0700. On failure the temporary file is removed and the OSError propagates.
    """
    path = Path(path)
    _make_private_dirs(path.parent)
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), 0o600)  # in case of an unusual umask or ACL
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def save(m: Meeting, path: Path) -> None:
    """Write the meeting's minutes to `path` atomically (mode 0600)."""
    write_atomic(path, to_toml(m))


def load(path: Path) -> Meeting:
    """Read a minutes file; any problem (unreadable, not UTF-8, bad TOML) is a MinutesError."""
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise MinutesError(f"{path}: het bestand kan niet gelezen worden "
                           f"({err.strerror or err}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise MinutesError(f"{path}: het bestand is geen UTF-8-tekst "
                           f"(byte {err.start}).") from None
    return from_toml(text, str(path))


def minutes_dir(db_path: Path) -> Path:
    """The folder "notulen" beside the database file."""
    return Path(db_path).parent / "notulen"


def _slug(title: str) -> str:
    """ASCII, lowercase, words joined by "-": "Zorgoverleg 2de graad" -> "zorgoverleg-2de-graad"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "zorgoverleg"


def minutes_path(folder: Path, meeting_date: date, title: str) -> Path:
    """The file for a meeting, e.g. folder / "2026-11-22-zorgoverleg-2de-graad.toml"."""
    return Path(folder) / f"{meeting_date.isoformat()}-{_slug(title)}.toml"


def list_minutes(folder: Path) -> list[Path]:
    """All minutes files (``*.toml``) in `folder`, sorted by name (that is, by date)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def _newest_first(folder: Path) -> list[Path]:
    """Minutes files, newest first: by the date in the name, then by modification time."""
    def key(p: Path) -> tuple[str, float, str]:
        try:
            mtime = p.stat().st_mtime
        except OSError:
            mtime = 0.0
        return (p.name[:10], mtime, p.name)
    return sorted(list_minutes(folder), key=key, reverse=True)


def latest_unfinished(folder: Path) -> Path | None:
    """The newest minutes file whose meeting is not finished (to resume it); broken files are skipped."""
    for path in _newest_first(folder):
        try:
            if not load(path).finished:
                return path
        except MinutesError:
            continue
    return None


def previous_attendees(folder: Path, exclude: Path | None = None) -> list[Attendee]:
    """Who was present at the newest earlier meeting (broken files and empty lists skipped).

    `exclude` leaves out one file, typically the minutes of the meeting now being held.
    """
    for path in _newest_first(folder):
        if exclude is not None and Path(path) == Path(exclude):
            continue
        try:
            present = load(path).present
        except MinutesError:
            continue
        if present:
            return present
    return []


# --------------------------------------------------------------------------- autosave

def default_recovery_dir() -> Path:
    """~/.local/state/zorgoverleg/recovery on Linux (or under $XDG_STATE_HOME), via platformdirs."""
    return Path(platformdirs.user_state_dir("zorgoverleg", appauthor=False)) / "recovery"


_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EROFS: "de map is alleen-lezen",
    errno.EACCES: "geen schrijfrechten",
    errno.EPERM: "geen schrijfrechten",
    errno.ENOENT: "de map bestaat niet (meer)",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EIO: "invoer-/uitvoerfout van de schijf",
}


def reason(err: OSError) -> str:
    """A short Dutch reason for a failed write ("de schijf is vol")."""
    return _REASONS.get(err.errno) or (err.strerror or str(err)).replace("\n", " ")


class Autosaver:
    """Debounced, never-raising saver for the UI.

    Call `touch` after every change: the meeting is serialised right away (on the caller's
    thread, so the UI may keep editing it) and written by a background timer `delay` seconds
    after the last change, or at the latest `max_wait` seconds after the first unsaved one
    while typing goes on: a change is on disk at most about `max_wait` (one second) after it
    was made, so killing the program loses at most the last second. `flush` writes now; call
    it when the meeting or the app closes.

    When writing fails (full disk, read-only folder, removed USB stick) the text is kept,
    a recovery copy (mode 0600) goes to ``recovery_dir / path.name`` and `last_error` holds
    a Dutch sentence for the status bar; the real path is tried again every `retry` seconds
    (and on the next `touch` or `flush`) until a save succeeds, which clears `last_error`
    and removes the recovery copy.
    """

    def __init__(self, path: Path, delay: float = 0.8, recovery_dir: Path | None = None,
                 max_wait: float = 1.0, retry: float = 2.0):
        self.path = Path(path)
        self.delay = delay
        self.max_wait = max_wait
        self.retry = retry
        self.recovery_dir = Path(recovery_dir) if recovery_dir else default_recovery_dir()
        self.last_error: str | None = None
        self.last_saved: datetime | None = None
        self.recovery_path: Path | None = None
        self._text: str | None = None       # newest serialised meeting
        self._dirty = False                 # _text not yet on disk
        self._first_change: float | None = None
        self._deadline = 0.0
        self._timer: threading.Timer | None = None
        self._cancelled = False             # cancel() was called: no retries until the next touch
        self._state = threading.Lock()      # guards the fields above
        self._writing = threading.Lock()    # one write at a time, in order

    @property
    def text(self) -> str | None:
        """The newest serialised minutes, saved or not."""
        return self._text

    @property
    def dirty(self) -> bool:
        """True while the newest text is not on disk at `path`."""
        return self._dirty

    def touch(self, meeting: Meeting) -> None:
        """Record a change; the save follows shortly after the changes stop."""
        text = to_toml(meeting)
        with self._state:
            self._text, self._dirty, self._cancelled = text, True, False
            now = time.monotonic()
            if self._first_change is None:
                self._first_change = now
            self._deadline = min(now + self.delay, self._first_change + self.max_wait)
            if self._timer is None:
                self._start_timer(self._deadline - now)

    def _start_timer(self, seconds: float) -> None:
        self._timer = threading.Timer(max(seconds, 0.0), self._on_timer)
        self._timer.daemon = True
        self._timer.start()

    def _on_timer(self) -> None:
        with self._state:
            self._timer = None
            remaining = self._deadline - time.monotonic()
            if self._dirty and remaining > 0:  # changed again since: wait for the quiet moment
                self._start_timer(remaining)
                return
        if self.flush():
            return
        with self._state:  # the disk said no: try again later, without waiting for a key
            if self._dirty and self._timer is None and not self._cancelled:
                self._deadline = time.monotonic() + self.retry
                self._start_timer(self.retry)

    def flush(self) -> bool:
        """Write pending changes now; True when everything is on disk at `path`."""
        with self._writing:
            with self._state:
                if not self._dirty or self._text is None:
                    return True
                text, self._dirty, self._first_change = self._text, False, None
            ok = self._write(text)
            if not ok:
                with self._state:
                    self._dirty = True
            return ok

    def cancel(self) -> None:
        """Stop a pending timer without saving (the text stays available in `text`)."""
        with self._state:
            self._cancelled = True
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def close(self) -> bool:
        """Stop the timer and write what is pending."""
        self.cancel()
        return self.flush()

    def _write(self, text: str) -> bool:
        try:
            write_atomic(self.path, text)
        except OSError as err:
            why = reason(err)
            recovery = self.recovery_dir / self.path.name
            try:
                write_atomic(recovery, text)
            except OSError as err2:
                self.last_error = (f"De notulen konden niet bewaard worden in {self.path} ({why}) "
                                   f"en ook niet in {recovery} ({reason(err2)}); "
                                   "ze blijven enkel in het geheugen, sluit het programma niet.")
            else:
                self.recovery_path = recovery
                self.last_error = (f"De notulen konden niet bewaard worden in {self.path} ({why}); "
                                   f"een reservekopie staat in {recovery}.")
            return False
        self.last_error = None
        self.last_saved = datetime.now()
        if self.recovery_path is not None:  # saved for real: the copy is no longer needed
            try:
                self.recovery_path.unlink(missing_ok=True)
            except OSError:
                pass
            self.recovery_path = None
        return True
