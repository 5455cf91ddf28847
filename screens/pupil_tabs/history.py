"""Tab 5 of the pupil screen: the earlier meetings about this pupil, in full and newest first.

Read only: date, title and who was there, the follow-up (phase, pivot, channel, next review,
escalations), every role's answers, decisions, agreements with their status, and notes, as the
minutes of each meeting hold them (``zorgoverleg.dossier.Archive.history``).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from zorgoverleg import minutes as m
from zorgoverleg.dates import format_date
from zorgoverleg.dossier import HistoryEntry
from zorgoverleg.text import visible

ANSWERS = (("view", "Kijk op de situatie"), ("doing", "Doet al"), ("can_do", "Kan (nog) doen"))
ROLE_NAMES = {"Lln": "Leerling"}


def _line(text: object) -> str:
    return visible(" ".join(str(text or "").split()))


def history_text(entries: list[HistoryEntry]) -> Text:
    """The earlier meetings as plain text (nothing typed is ever markup)."""
    out = Text()
    if not entries:
        out.append("Deze leerling werd nog niet besproken in een eerder overleg.", style="italic")
        return out
    for number, entry in enumerate(entries):
        meeting, pupil = entry.meeting, entry.pupil
        if number:
            out.append("\n")
        out.append(f"{format_date(meeting.date)} · {_line(meeting.title)}", style="bold underline")
        if meeting.finished:
            out.append("  (afgesloten)", style="italic")
        out.append("\n")
        present = ", ".join(f"{_line(a.name)} ({_line(a.role)})" if a.role.strip() else _line(a.name)
                            for a in meeting.present if a.name.strip())
        if present:
            out.append(f"Aanwezig: {present}\n")
        facts = [
            ("Fase", f"{pupil.phase} {m.PHASES.get(pupil.phase, '')}".strip() if pupil.phase is not None else ""),
            ("Spilfiguur", _line(pupil.pivot)),
            ("Communicatiekanaal", _line(pupil.channel)),
            ("Volgende evaluatie", format_date(pupil.next_review)),
            ("Escalaties", ", ".join(m.ESCALATIONS.get(e, _line(e)) for e in pupil.escalations)),
        ]
        for label, value in facts:
            if value:
                out.append(f"{label}: ", style="bold")
                out.append(f"{value}\n")
        for note in pupil.roles:
            answers = [(label, visible(getattr(note, attr).strip(), multiline=True)) for attr, label in ANSWERS
                       if getattr(note, attr).strip()]
            if not answers:
                continue
            role = _line(ROLE_NAMES.get(note.role, note.role))
            out.append(f"{role}{'' if note.involved else ' (niet betrokken)'}\n", style="bold")
            for label, answer in answers:
                out.append(f"  {label}: ", style="italic")
                out.append(answer.replace("\n", "\n    ") + "\n")
        decisions = [_line(d) for d in pupil.decisions if d.strip()]
        if decisions:
            out.append("Beslissingen\n", style="bold")
            for decision in decisions:
                out.append(f"  • {decision}\n")
        actions = [a for a in pupil.actions if a.what.strip()]
        if actions:
            out.append("Afspraken\n", style="bold")
            for a in actions:
                status = "gedaan" if a.done else "open"
                who = f" — {_line(a.who)}" if a.who.strip() else ""
                due = f", tegen {format_date(a.due)}" if a.due else ""
                since = f", afgesproken op {format_date(a.since)}" if a.since and a.since != meeting.date else ""
                out.append(f"  {'✓' if a.done else '○'} {_line(a.what)}{who}{due} ({status}{since})\n")
        if pupil.notes.strip():
            out.append("Notities\n", style="bold")
            out.append("  " + visible(pupil.notes.strip(), multiline=True).replace("\n", "\n  ") + "\n")
    return out


class HistoryTab(VerticalScroll):
    """The earlier meetings, one after the other (newest first)."""

    DEFAULT_CSS = """
    HistoryTab #history-text {
        height: auto;
        padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="history-text")

    def show(self, entries: list[HistoryEntry]) -> None:
        self.query_one("#history-text", Static).update(history_text(entries))
