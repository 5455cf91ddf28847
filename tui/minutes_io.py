"""Minutes on disk: TOML in PRODUCT.md's shape, atomic private files, a database's minutes folder
and its lock.

Minutes hold health data and personal notes, so every file is written atomically with mode 0600
and a folder we create gets mode 0700. Pure Python (no Textual, no DuckDB).

The minutes folder of a database is named after the database file: ``school.duckdb`` keeps its
minutes in ``school-notulen/`` beside it, so two databases in one folder never share or overwrite
each other's minutes. A database that already used the older shared folder ``notulen/`` keeps it:
the first database that opens a ``notulen/`` holding minutes claims it (a small ``.databank`` file
naming the database), every other database gets its own folder.

While a meeting is open, ``zorgoverleg.lock`` in that folder names the process that holds it; a
second app on the same minutes is refused with one sentence. The lock is removed on exit and
recognised as stale after a crash (the process no longer runs).
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import tomllib
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

from zorgoverleg.calendar import coerce_date
from zorgoverleg.minutes import (
    PHASES,
    Action,
    Attendee,
    Meeting,
    MinutesError,
    PupilMinutes,
    RoleNote,
    TeamFlag,
    legacy_action_id,
)

__all__ = ["to_dict", "to_toml", "from_toml", "write_atomic", "save", "load", "minutes_dir",
           "minutes_path", "list_minutes", "latest_unfinished", "latest_of_day", "previous_attendees",
           "MinutesLock", "LockError", "LOCK_NAME", "CLAIM_NAME"]

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
        "deleted_actions": list(p.deleted_actions) or None,
    })


def _role_fields(r: RoleNote) -> dict[str, Any]:
    return {"role": r.role, "view": r.view, "doing": r.doing, "can_do": r.can_do,
            "involved": r.involved}


def _action_fields(a: Action, meeting_day: date) -> dict[str, Any]:
    return _drop_none({"id": a.id, "what": a.what, "who": a.who, "due": a.due, "done": a.done,
                       "since": a.since or meeting_day})


def _flag_fields(f: TeamFlag) -> dict[str, Any]:
    return _drop_none({"flag": f.flag, "note": f.note, "set_by": f.set_by, "set_at": f.set_at})


def to_dict(m: Meeting) -> dict[str, Any]:
    """The meeting as plain data in PRODUCT.md's shape (what tomllib reads back)."""
    return {
        "meeting": {
            "date": m.date, "title": m.title,
            "present": [{"name": a.name, "role": a.role} for a in m.present],
            "finished": m.finished,
            **({"finished_at": m.finished_at} if m.finished and m.finished_at else {}),
        },
        "pupils": [
            {**_pupil_fields(p),
             "roles": [_role_fields(r) for r in p.roles],
             "actions": [_action_fields(a, m.date) for a in p.actions],
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
    day = r.day(head, "date", "meeting.date", required=True)
    assert day is not None  # required: r.day raised otherwise
    meeting = Meeting(
        date=day,
        title=r.text(head, "title", "meeting.title", "Zorgoverleg"),
        present=present,
        finished=r.flag(head, "finished", "meeting.finished", False),
    )
    if meeting.finished:
        meeting.finished_at = r.moment(head, "finished_at", "meeting.finished_at")

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
        pupil_id = r.text(p, "pupil_id", f"{at}.pupil_id", _MISSING)
        actions = []
        for j, x in enumerate(r.tables(p, "actions", f"{at}.actions")):
            what = r.text(x, "what", f"{at}.actions[{j}].what")
            since = r.day(x, "since", f"{at}.actions[{j}].since") or meeting.date
            action_id = r.text(x, "id", f"{at}.actions[{j}].id", "").strip()
            actions.append(Action(
                what=what, who=r.text(x, "who", f"{at}.actions[{j}].who"),
                due=r.day(x, "due", f"{at}.actions[{j}].due"),
                done=r.flag(x, "done", f"{at}.actions[{j}].done", False),
                since=since,
                # Written before agreements had ids: the same old agreement gets the same id everywhere.
                id=action_id or legacy_action_id(pupil_id, since, what)))
        flags = [
            TeamFlag(flag=r.text(x, "flag", f"{at}.flags[{j}].flag", _MISSING),
                     note=r.text(x, "note", f"{at}.flags[{j}].note"),
                     set_by=r.text(x, "set_by", f"{at}.flags[{j}].set_by"),
                     set_at=r.day(x, "set_at", f"{at}.flags[{j}].set_at"))
            for j, x in enumerate(r.tables(p, "flags", f"{at}.flags"))
        ]
        meeting.pupils.append(PupilMinutes(
            pupil_id=pupil_id,
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
            seconds_spent=r.integer(p, "seconds_spent", f"{at}.seconds_spent", 0) or 0,
            deleted_actions=r.texts(p, "deleted_actions", f"{at}.deleted_actions"),
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


LEGACY_FOLDER = "notulen"
CLAIM_NAME = ".databank"
LOCK_NAME = "zorgoverleg.lock"


def own_minutes_dir(db_path: Path) -> Path:
    """``school.duckdb`` -> ``school-notulen/`` beside it."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-notulen"


def _claimed_by(folder: Path) -> str | None:
    try:
        return (folder / CLAIM_NAME).read_text("utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def minutes_dir(db_path: Path, *, claim: bool = True) -> Path:
    """The minutes folder of the database at `db_path` (see the module's docstring).

    ``school-notulen/`` when it exists; else the older shared ``notulen/`` when it holds minutes
    and is unclaimed (then claimed for this database, unless ``claim=False``) or claimed by this
    database; else ``school-notulen/`` (created on the first save).
    """
    db_path = Path(db_path)
    own = own_minutes_dir(db_path)
    if own.exists():
        return own
    legacy = db_path.parent / LEGACY_FOLDER
    if not legacy.is_dir():
        return own
    owner = _claimed_by(legacy)
    if owner == db_path.name:
        return legacy
    if owner is None and list_minutes(legacy):
        if claim:
            try:
                write_atomic(legacy / CLAIM_NAME, db_path.name + "\n")
            except OSError:
                return own  # cannot claim it: keep apart rather than share
        return legacy
    return own


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


def latest_of_day(folder: Path, day: date) -> Path | None:
    """The newest minutes file of the meeting held on `day` (finished or not), to resume or show it.

    An unfinished meeting of that day wins over a finished one; broken files are skipped.
    """
    found: Path | None = None
    for path in _newest_first(folder):
        try:
            meeting = load(path)
        except MinutesError:
            continue
        if meeting.date != day:
            continue
        if not meeting.finished:
            return path
        found = found or path
    return found


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




# --------------------------------------------------------------------------- the lock

class LockError(MinutesError):
    """Another app holds the minutes folder; the message is one Dutch sentence."""


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, under another user
    except OSError:
        return False
    return True


def _read_lock(path: Path) -> dict[str, str]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


class MinutesLock:
    """``zorgoverleg.lock`` in the minutes folder: one app at a time on a database's minutes.

    The file holds the process id, the host name, when it was taken and a random token (a second
    app in the same process is refused too). A lock whose process no longer runs on this host is
    stale and taken over; a lock from another host is respected (its process cannot be checked).
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.token = secrets.token_hex(8)
        self.held = False

    def _holder(self) -> dict[str, str] | None:
        """The live holder of the lock, or None when the lock is free or stale."""
        fields = _read_lock(self.path)
        if not fields:
            return None  # gone, or left empty by a crash
        host = fields.get("host", "")
        try:
            pid = int(fields.get("pid", ""))
        except ValueError:
            return None
        if host == socket.gethostname() and not _pid_alive(pid):
            return None  # a crash left it behind
        if host == socket.gethostname() and pid == os.getpid() and fields.get("token") == self.token:
            return None  # our own
        return fields

    def acquire(self) -> None:
        """Take the lock, or raise `LockError` naming who holds it."""
        if self.held:
            return
        _make_private_dirs(self.folder)
        body = (f"pid = {os.getpid()}\nhost = {socket.gethostname()}\n"
                f"since = {datetime.now().replace(microsecond=0).isoformat()}\ntoken = {self.token}\n")
        tmp = self.folder / f".{LOCK_NAME}.{self.token}.tmp"
        write_atomic(tmp, body)
        try:
            for _attempt in range(3):
                try:
                    os.link(tmp, self.path)  # atomic, and the lock is never seen half-written
                except FileExistsError:
                    holder = self._holder()
                    if holder is not None:
                        raise LockError(self._refusal(holder)) from None
                    try:  # stale: remove it and try again
                        self.path.unlink()
                    except FileNotFoundError:
                        pass
                    continue
                self.held = True
                return
        finally:
            try:
                tmp.unlink()
            except OSError:
                pass
        raise LockError(self._refusal(_read_lock(self.path)))

    def _refusal(self, holder: dict[str, str]) -> str:
        who = f"proces {holder.get('pid', '?')} op {holder.get('host', '?')}"
        since = holder.get("since", "")
        if since:
            who += f", sinds {since.replace('T', ' ')[:16]}"
        return (f"De notulen in {self.folder} zijn al geopend door een ander zorgoverleg-venster ({who}); "
                f"sluit dat eerst, of verwijder {self.path} als dat programma niet meer draait.")

    def release(self) -> None:
        """Remove the lock if it is still ours."""
        if not self.held:
            return
        self.held = False
        if _read_lock(self.path).get("token") == self.token:
            try:
                self.path.unlink()
            except OSError:
                pass

    def __enter__(self) -> MinutesLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
