"""The post-meeting recap: one file per person with only their agreements (and the pupils they are
the pivot for), and a CSV of every open agreement for the secretariat.

Both come from one minutes file, like the minutes export (zorgoverleg.export), and are built as
`zorgoverleg.document.Document`s, so Markdown and HTML hold the same. Core module (no Textual).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from zorgoverleg.document import Document, Paragraph, Section, Table, render_html, render_markdown
from zorgoverleg.export import (
    FORMATS,
    UNASSIGNED,
    _d,
    _key,
    _person_heading,
    _pupil_title,
    _status,
    _title,
    action_list,
)
from zorgoverleg.minutes import Meeting, MinutesError, load, write_atomic
from zorgoverleg.text import csv_cell

__all__ = ["export_per_person", "open_agreements_csv", "person_view", "person_views"]

PERSON_PRIVACY = ("Vertrouwelijk: persoonlijke actielijst uit het zorgoverleg. "
                  "Enkel voor de persoon die hierboven staat.")


def person_view(meeting: Meeting, name: str) -> Document:
    """What one person takes home from the meeting: their agreements, and the pupils they follow up."""
    items = action_list(meeting).get(name, [])
    sections: list[Section] = []
    if items:
        sections.append(Section("Jouw afspraken", [Table(
            ["Tegen", "Leerling", "Wat", "Status"],
            [[_d(a.due), _pupil_title(p), a.what, _status(a, meeting.date)] for p, a in items],
            nowrap=frozenset({0}))], cls="person"))
    pivot = [p for p in meeting.pupils if _key(p.pivot) and _key(p.pivot) == _key(name)]
    if pivot:
        sections.append(Section("Spilfiguur voor", [Table(
            ["Leerling", "Communicatiekanaal", "Volgende evaluatie"],
            [[_pupil_title(p), p.channel, _d(p.next_review)] for p in pivot], nowrap=frozenset({2}))]))
    if not sections:
        sections.append(Section("Jouw afspraken", [Paragraph("Geen afspraken op jouw naam in dit overleg.")]))
    heading = _person_heading(meeting, name)
    return Document(f"Actielijst {heading}", sections, notes=[f"Uit het verslag: {_title(meeting)}"],
                    footer=PERSON_PRIVACY, running_title=f"Actielijst {name} · {_title(meeting)}")


def person_views(meeting: Meeting) -> dict[str, Document]:
    """A document per person with an agreement or a pupil to follow up (attendees without either get none)."""
    names = [name for name, items in action_list(meeting).items() if items]
    for p in meeting.pupils:
        pivot = " ".join(p.pivot.split())
        if pivot and _key(pivot) not in {_key(n) for n in names}:
            names.append(pivot)
    return {name: person_view(meeting, name) for name in names}


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "persoon"


def export_per_person(minutes_path: Path, fmt: str, out_dir: Path | None = None) -> list[Path]:
    """One file per person (``<minutes>-<name>.md|html``) in ``out_dir`` (default: beside the minutes),
    each with mode 0600. ``out_dir`` must be an existing folder. Returns the paths written."""
    if fmt not in ("md", "html"):
        raise ValueError(f"onbekend formaat {fmt!r}")
    minutes_path = Path(minutes_path)
    meeting = load(minutes_path)
    folder = Path(out_dir) if out_dir is not None else minutes_path.parent
    if not folder.is_dir():
        raise MinutesError(f"{folder}: geen bestaande map; met --per-person geeft -o de map voor de bestanden.")
    written: list[Path] = []
    used: set[str] = set()
    for name, doc in person_views(meeting).items():
        slug = "niet-toegewezen" if name in (UNASSIGNED, f"({UNASSIGNED})") else _slug(name)
        while slug in used:
            slug += "-2"
        used.add(slug)
        target = folder / f"{minutes_path.stem}-{slug}{FORMATS[fmt]}"
        text = render_markdown(doc) if fmt == "md" else render_html(doc)
        try:
            write_atomic(target, text)
        except OSError as err:
            reason = (err.strerror or str(err)).replace("\n", " ")
            raise MinutesError(f"{target}: de actielijst kan niet geschreven worden ({reason}).") from None
        written.append(target)
    return written


def open_agreements_csv(meeting: Meeting) -> str:
    """Every open agreement of the meeting (carried-over ones included), soonest due first, as CSV."""
    rows = [(p, a) for p in meeting.pupils for a in p.actions if not a.done and (a.what.strip() or a.who.strip())]
    rows.sort(key=lambda pa: (pa[1].due is None, pa[1].due or meeting.date))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["leerling", "klas", "leerling_id", "wat", "wie", "tegen", "afgesproken_op"])
    for p, a in rows:
        writer.writerow([csv_cell(v) for v in (
            " ".join(p.name.split()), p.class_.strip(), p.pupil_id, " ".join(a.what.split()),
            " ".join(a.who.split()), a.due.isoformat() if a.due else "",
            (a.since or meeting.date).isoformat())])
    return buffer.getvalue()
