"""Readable minutes to share after the meeting: Markdown or a standalone HTML page (A4).

`minutes_view` builds the meeting once as a `zorgoverleg.document.Document`; Markdown and HTML
are two renderings of that one view (zorgoverleg.document), so they always hold the same.

An export holds only what is in one minutes file: no database, no other pupils. The
headings are Dutch (Flemish usage) and neutral; sections without content are left out.
Per person, an action list shows what each attendee (and anyone else named) agreed to do.

Pure Python on purpose (no Textual): the command line and the tests use it directly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from zorgoverleg.document import (
    Block,
    Bullets,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
    clean,
    render_html,
    render_markdown,
)
from zorgoverleg.dossier import HistoryEntry, changes, previous_for
from zorgoverleg.minutes import (
    ESCALATIONS,
    PHASES,
    Action,
    Meeting,
    MinutesError,
    PupilMinutes,
    load,
    write_atomic,
)
from zorgoverleg.signals import LABELS

__all__ = ["FORMATS", "UNASSIGNED", "action_list", "export_file", "minutes_view", "to_html", "to_markdown"]

#: Export formats and their file suffix.
FORMATS = {"md": ".md", "html": ".html"}

#: The action-list key for agreements without a person.
UNASSIGNED = "Niet toegewezen"

#: The three questions of the roles walk, as short labels.
ANSWERS = (("view", "Kijk op de situatie"), ("doing", "Doet al"), ("can_do", "Kan (nog) doen"))

#: Role names as people read them (others are shown as written).
ROLE_NAMES = {"Lln": "Leerling"}

PRIVACY = ("Vertrouwelijk: dit verslag bevat persoonsgegevens. "
           "Deel het enkel met wie bij de opvolging betrokken is.")
DRAFT = "Voorlopig verslag: het overleg is nog niet afgesloten."


# --------------------------------------------------------------------------- shared helpers

def _d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


_clean = clean


def _key(name: str) -> str:
    """Names compare trimmed, with inner spaces collapsed, case-insensitively."""
    return " ".join((name or "").split()).casefold()


def _pupil_title(p: PupilMinutes) -> str:
    name = _clean(p.name).replace("\n", " ") or p.pupil_id or "Leerling"
    return f"{name} ({p.class_.strip()})" if p.class_.strip() else name


def _role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def _phase(phase: int | None) -> str:
    if phase is None:
        return ""
    return f"{phase} – {PHASES[phase]}" if phase in PHASES else str(phase)


def _facts(p: PupilMinutes) -> list[tuple[str, str]]:
    """The pupil's follow-up facts that have a value, as (label, text)."""
    facts = [
        ("Fase", _phase(p.phase)),
        ("Spilfiguur", _clean(p.pivot)),
        ("Communicatiekanaal", _clean(p.channel)),
        ("Volgende evaluatie", _d(p.next_review)),
        ("Escalaties", ", ".join(ESCALATIONS.get(e, e) for e in p.escalations if e.strip())),
    ]
    return [(label, value) for label, value in facts if value]


def _roles(p: PupilMinutes) -> list[tuple[str, list[tuple[str, str]]]]:
    """Involved roles that have text, each with its non-empty answers."""
    out = []
    for note in p.roles:
        if not note.involved:
            continue
        answers = [(label, _clean(getattr(note, attr))) for attr, label in ANSWERS]
        answers = [(label, text) for label, text in answers if text]
        if answers:
            out.append((_role_name(note.role), answers))
    return out


def _flag_labels() -> dict[str, str]:
    """Team-flag id -> Dutch label (zorgoverleg.history, imported late; ids as given if unavailable)."""
    try:
        from zorgoverleg.history import TEAM_FLAGS
    except ImportError:
        return {}
    return dict(TEAM_FLAGS)


def _flags(p: PupilMinutes) -> list[str]:
    """Team flags noted with the pupil (if the minutes carry any), as readable lines."""
    lines = []
    flags = getattr(p, "flags", None) or []
    labels = _flag_labels() if flags else {}
    for f in flags:
        flag = f if isinstance(f, str) else getattr(f, "flag", "")
        label = labels.get(flag, flag)
        note = _clean(getattr(f, "note", "")).replace("\n", " ")
        lines.append(f"{label}: {note}" if note else label)
    return [line for line in lines if line.strip()]


def _status(a: Action, meeting_day: date) -> str:
    status = "gedaan" if a.done else "open"
    since = getattr(a, "since", None)
    if since and since != meeting_day:
        status += f" (afgesproken op {_d(since)})"
    return status


def _sort_key(item: tuple[int, tuple[PupilMinutes, Action]]):
    """Open before done, then by due date (no date last), then in the order written."""
    index, (_pupil, a) = item
    return (a.done, a.due is None, a.due or date.min, index)


#: For other documents that show a pupil's follow-up (the absence overview with --with-minutes).
follow_up_facts = _facts
action_status = _status


def action_list(meeting: Meeting) -> dict[str, list[tuple[PupilMinutes, Action]]]:
    """Agreements per person: every attendee (in the order present), then anyone else named
    in a ``who`` (first spelling wins), then agreements without a person under "Niet toegewezen".

    Names compare trimmed and case-insensitively. Each list is sorted: open ones first, then
    by due date. Attendees without agreements get an empty list.
    """
    names: dict[str, str] = {}          # key -> display name
    for person in meeting.present:
        if _key(person.name) and _key(person.name) not in names:
            names[_key(person.name)] = " ".join(person.name.split())
    for p in meeting.pupils:
        for a in p.actions:
            k = _key(a.who)
            if k and k not in names:
                names[k] = " ".join(a.who.split())
    found: dict[str, list[tuple[int, tuple[PupilMinutes, Action]]]] = {k: [] for k in names}
    unassigned: list[tuple[int, tuple[PupilMinutes, Action]]] = []
    index = 0
    for p in meeting.pupils:
        for a in p.actions:
            k = _key(a.who)
            (found[k] if k else unassigned).append((index, (p, a)))
            index += 1
    result = {names[k]: [pa for _i, pa in sorted(items, key=_sort_key)] for k, items in found.items()}
    if unassigned:
        key = UNASSIGNED
        if key in result:  # someone literally called "niet toegewezen": keep both apart
            key = f"({UNASSIGNED})"
        result[key] = [pa for _i, pa in sorted(unassigned, key=_sort_key)]
    return result


def _person_heading(meeting: Meeting, name: str) -> str:
    if name == UNASSIGNED or name == f"({UNASSIGNED})":
        return UNASSIGNED
    roles = [" ".join(a.role.split()) for a in meeting.present if _key(a.name) == _key(name) and a.role.strip()]
    if roles:
        return f"{name} — {', '.join(dict.fromkeys(roles))}"
    if any(_key(a.name) == _key(name) for a in meeting.present):
        return name
    return f"{name} (niet aanwezig op het overleg)"


def _title(meeting: Meeting) -> str:
    title = " ".join((meeting.title or "").split()) or "Zorgoverleg"
    return f"{title} — {_d(meeting.date)}"


# --------------------------------------------------------------------------- the view

def _present(meeting: Meeting) -> list[str]:
    return [" ".join(a.name.split()) + (f" — {' '.join(a.role.split())}" if a.role.strip() else "")
            for a in meeting.present if a.name.strip()]


def changes_section(p: PupilMinutes, previous: HistoryEntry) -> Section:
    """What changed for the pupil since the latest earlier meeting that discussed it (zorgoverleg.dossier)."""
    lines = changes(previous.pupil, p) or ["Niets gewijzigd: alles bleef zoals het toen genoteerd werd."]
    # printed as one run of text (" · " between the changes): the list is for reading, not for scanning
    return Section(f"Wat veranderde sinds de vorige bespreking ({_d(previous.date)})", [Bullets(lines, cls="inline")],
                   cls="inline")


def pupil_section(p: PupilMinutes, meeting_day: date,
                  previous: dict[str, HistoryEntry] | None = None) -> Section:
    """One pupil's part of the minutes: what changed since last time (when `previous` is given),
    signals, follow-up, flags, roles, notes, decisions, agreements."""
    parts: list[Block] = []
    earlier = previous.get(p.pupil_id) if previous is not None else None
    if earlier is not None:  # a first discussion has nothing to compare with
        parts.append(changes_section(p, earlier))
    signals = [LABELS.get(s, s) for s in p.signals if s.strip()]
    if signals:
        parts.append(Section("Signalen bij de bespreking", [Bullets(signals, cls="inline")], cls="inline"))
    facts = _facts(p)
    if facts:
        parts.append(Section("Opvolging", [Facts(facts)]))
    flags = _flags(p)
    if flags:
        parts.append(Section("Teamsignalen", [Bullets(flags, cls="inline")], cls="inline"))
    roles = _roles(p)
    if roles:
        parts.append(Section("Betrokkenen", [Section(role, [Facts(answers, style="answers")], cls="role")
                                              for role, answers in roles]))
    if _clean(p.notes):
        parts.append(Section("Notities", [Paragraph(p.notes)]))
    decisions = [d for d in p.decisions if _clean(d)]
    if decisions:
        parts.append(Section("Beslissingen", [Bullets(decisions)]))
    actions = [a for a in p.actions if _clean(a.what) or a.who.strip()]
    if actions:
        parts.append(Section("Afspraken", [Table(
            ["Wat", "Wie", "Tegen", "Status"],
            [[a.what, a.who, _d(a.due), _status(a, meeting_day)] for a in actions], nowrap=frozenset({2}))]))
    return Section(_pupil_title(p), parts, cls="pupil")


def person_section(meeting: Meeting, name: str, items: list[tuple[PupilMinutes, Action]]) -> Section:
    """One person's agreements from the meeting, open ones first."""
    return Section(_person_heading(meeting, name), [Table(
        ["Tegen", "Leerling", "Wat", "Status"],
        [[_d(a.due), _pupil_title(p), a.what, _status(a, meeting.date)] for p, a in items],
        nowrap=frozenset({0}))], cls="person")


def minutes_view(meeting: Meeting, previous: dict[str, HistoryEntry] | None = None) -> Document:
    """The minutes as one document, built once: both formats render this same view.

    `previous` (pupil id -> the latest earlier meeting about the pupil, ``zorgoverleg.dossier.previous_for``)
    adds per pupil what changed since then."""
    sections: list[Section] = []
    present = _present(meeting)
    if present:
        sections.append(Section("Aanwezig", [Bullets(present, cls="inline")], cls="present inline"))
    sections += [pupil_section(p, meeting.date, previous) for p in meeting.pupils]
    people = {name: items for name, items in action_list(meeting).items() if items}
    if people:
        sections.append(Section("Actielijst per persoon",
                                [person_section(meeting, name, items) for name, items in people.items()],
                                cls="actions"))
    return Document(_title(meeting), sections, notes=[] if meeting.finished else [DRAFT], footer=PRIVACY)


def to_markdown(meeting: Meeting, previous: dict[str, HistoryEntry] | None = None) -> str:
    """The minutes as Markdown (CommonMark with GitHub tables)."""
    return render_markdown(minutes_view(meeting, previous))


def to_html(meeting: Meeting, previous: dict[str, HistoryEntry] | None = None) -> str:
    """The minutes as one standalone HTML page: no scripts, no external resources, A4 print."""
    return render_html(minutes_view(meeting, previous))


# --------------------------------------------------------------------------- files

def _default_name(minutes_path: Path, fmt: str) -> str:
    return minutes_path.stem + ("-open-afspraken.csv" if fmt == "csv" else FORMATS[fmt])


def export_file(minutes_path: Path, fmt: str, out: Path | None = None) -> Path:
    """Write the minutes at `minutes_path` as Markdown (``fmt="md"``) or HTML (``"html"``), or their
    open agreements as CSV for the secretariat (``"csv"``, zorgoverleg.recap).

    The default output is beside the minutes with the same stem; an existing folder as `out`
    receives that same file name. Written atomically with mode 0600. Returns the path written.
    A missing or broken minutes file, an output that would replace the minutes, or a write
    failure raises `MinutesError` (one Dutch sentence); an unknown `fmt` raises ValueError.
    """
    if fmt not in FORMATS and fmt != "csv":
        raise ValueError(f"onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)} of csv")
    minutes_path = Path(minutes_path)
    meeting = load(minutes_path)
    target = Path(out) if out is not None else minutes_path.with_name(_default_name(minutes_path, fmt))
    if target.is_dir():
        target = target / _default_name(minutes_path, fmt)
    try:
        same = target.exists() and target.samefile(minutes_path)
    except OSError:
        same = False
    if same or target.resolve() == minutes_path.resolve():
        raise MinutesError(f"{target}: dit is het notulenbestand zelf; kies een ander uitvoerbestand met -o.")
    if not target.parent.exists():  # -o into a folder that is not there: say so, create nothing
        raise MinutesError(f"{target.parent}: deze map bestaat niet; maak ze eerst aan of kies een ander pad met -o.")
    if fmt == "csv":
        from zorgoverleg.recap import open_agreements_csv

        text = open_agreements_csv(meeting)
    else:
        previous = previous_for(minutes_path, meeting)  # the earlier minutes in the same folder
        text = to_markdown(meeting, previous) if fmt == "md" else to_html(meeting, previous)
    try:
        write_atomic(target, text)
    except OSError as err:
        reason = (err.strerror or str(err)).replace("\n", " ")
        raise MinutesError(f"{target}: het verslag kan niet geschreven worden ({reason}).") from None
    return target
