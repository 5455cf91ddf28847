"""Saving the minutes while the team types: debounced, atomic, never raising, with a recovery copy.

Pure Python (no Textual): the UI calls `Autosaver.touch` after every change.
"""

from __future__ import annotations

import errno
import threading
import time
from datetime import datetime
from pathlib import Path

import platformdirs

from zorgoverleg.minutes import Meeting
from zorgoverleg.minutes_io import to_toml, write_atomic

__all__ = ["Autosaver", "reason", "default_recovery_dir"]


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
    return _REASONS.get(err.errno or 0) or (err.strerror or str(err)).replace("\n", " ")


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
