"""Meeting-wide actions the App offers (keys and command palette), outside any one screen."""

from __future__ import annotations

from textual.app import App
from textual.notifications import SeverityLevel

from zorgoverleg.meeting import MeetingState
from zorgoverleg.text import visible

SYSTEM_COMMANDS = (
    # (title, help, App action)
    ("Privacymodus aan/uit", "Enkel initialen en klas op het scherm", "toggle_privacy"),
    ("Projectorthema", "Hoog contrast voor de projector", "contrast_theme"),
    ("Export importeren", "Een afwezigheidsexport (CSV/XLSX) inlezen", "import"),
    ("Notulen exporteren", "Leesbare notulen (Markdown en HTML) met een actielijst per persoon", "export"),
    ("Overleg afsluiten", "Notulen afronden; het volgende overleg begint nieuw", "finish_meeting"),
)


def export_meeting(state: MeetingState | None) -> tuple[str, SeverityLevel]:
    """Save the minutes and write them as Markdown and HTML beside the TOML: (sentence, severity)."""
    from zorgoverleg.export import export_file

    if state is None:
        return "Start eerst het overleg.", "warning"
    if not state.save_now():
        return state.saver.last_error or "Opslaan mislukt.", "error"
    try:
        written = [export_file(state.path, fmt, None) for fmt in ("md", "html")]
    except Exception as exc:  # a full disk or a read-only folder: say so, keep working
        return f"Exporteren lukte niet: {visible(exc)}", "error"
    return "Notulen geëxporteerd: " + ", ".join(visible(p) for p in written), "information"


def finish_meeting(state: MeetingState) -> tuple[str, SeverityLevel]:
    if state.finish():
        return f"Overleg afgesloten; notulen in {visible(state.path)}.", "information"
    return state.saver.last_error or "Opslaan mislukt.", "error"


class SaveWatch:
    """Tells the team once when the minutes cannot be saved (full disk, read-only folder) and once
    when saving works again; the typed text stays in memory meanwhile."""

    def __init__(self) -> None:
        self.shown: str | None = None  # the problem last told

    def check(self, app: App, state: MeetingState | None) -> None:
        error = state.saver.last_error if state is not None else None
        if error == self.shown:
            return
        if error:
            app.notify(visible(error), title="Notulen niet bewaard", severity="error", timeout=20, markup=False)
        elif self.shown:
            app.notify("De notulen worden weer bewaard.", timeout=5)
        self.shown = error
        if state is not None:
            app.sub_title = f"{state.meeting.date:%d/%m/%Y}" + (" · NOTULEN NIET BEWAARD" if error else "")
