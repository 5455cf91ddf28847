"""Readable minutes to share after the meeting: Markdown or a standalone HTML page (A4).

An export holds only what is in one minutes file: no database, no other pupils. The
headings are Dutch (Flemish usage) and neutral; sections without content are left out.
Per person, an action list shows what each attendee (and anyone else named) agreed to do.

Pure Python on purpose (no Textual): the command line and the tests use it directly.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

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

__all__ = ["FORMATS", "UNASSIGNED", "action_list", "to_markdown", "to_html", "export_file"]

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


def _clean(text: str | None) -> str:
    """Trailing spaces off every line, blank lines off both ends."""
    lines = [line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


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


# --------------------------------------------------------------------------- Markdown

_MD_INLINE = re.compile(r"([\\`*_\[\]<|])|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=~-]|\d+[.)])")


def _md(text: str) -> str:
    """Escape Markdown in one line of text (inline marks, HTML, and block marks at the start)."""
    text = _MD_INLINE.sub(lambda m: "\\" + (m.group(1) or "&"), text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + (
        m.group(2)[:-1] + "\\" + m.group(2)[-1] if m.group(2)[0].isdigit() else "\\" + m.group(2)), text)


def _md_block(text: str, indent: str = "  ") -> str:
    """A multi-line text as lines of a list item: continuation lines indented, hard breaks kept."""
    lines = [_md(line) for line in _clean(text).split("\n")]
    out = lines[0]
    for before, line in zip(lines, lines[1:]):
        if not line.strip():
            out += "\n"                      # a paragraph break inside the item
        else:
            out += ("  \n" if before.strip() else "\n") + indent + line
    return out


def _md_cell(text: str) -> str:
    """One table cell: a single line, `|` escaped."""
    return " / ".join(_md(line.strip()) for line in _clean(text).split("\n") if line.strip()) or "—"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def to_markdown(meeting: Meeting) -> str:
    """The minutes as Markdown (CommonMark with GitHub tables)."""
    out: list[str] = [f"# {_md(_title(meeting))}", ""]
    if not meeting.finished:
        out += [f"*{DRAFT}*", ""]

    present = [a for a in meeting.present if a.name.strip()]
    if present:
        out += ["## Aanwezig", ""]
        out += [f"- {_md(' '.join(a.name.split()))}" + (f" — {_md(' '.join(a.role.split()))}" if a.role.strip() else "")
                for a in present]
        out.append("")

    for p in meeting.pupils:
        out += [f"## {_md(_pupil_title(p))}", ""]
        signals = [LABELS.get(s, s) for s in p.signals if s.strip()]
        if signals:
            out += ["### Signalen bij de bespreking", ""]
            out += [f"- {_md(label)}" for label in signals]
            out.append("")
        facts = _facts(p)
        if facts:
            out += ["### Opvolging", ""]
            out += [f"- **{label}:** {_md_block(value)}" for label, value in facts]
            out.append("")
        flags = _flags(p)
        if flags:
            out += ["### Teamsignalen", ""]
            out += [f"- {_md(line)}" for line in flags]
            out.append("")
        roles = _roles(p)
        if roles:
            out += ["### Betrokkenen", ""]
            for role, answers in roles:
                out += [f"#### {_md(role)}", ""]
                out += [f"- **{label}:** {_md_block(text)}" for label, text in answers]
                out.append("")
        if _clean(p.notes):
            out += ["### Notities", "", _md_block(p.notes, indent=""), ""]
        decisions = [d for d in p.decisions if _clean(d)]
        if decisions:
            out += ["### Beslissingen", ""]
            out += [f"- {_md_block(d)}" for d in decisions]
            out.append("")
        actions = [a for a in p.actions if _clean(a.what) or a.who.strip()]
        if actions:
            out += ["### Afspraken", ""]
            out += _md_table(["Wat", "Wie", "Tegen", "Status"],
                             [[_md_cell(a.what), _md_cell(a.who), _d(a.due) or "—",
                               _md_cell(_status(a, meeting.date))] for a in actions])
            out.append("")

    people = {name: items for name, items in action_list(meeting).items() if items}
    if people:
        out += ["## Actielijst per persoon", ""]
        for name, items in people.items():
            out += [f"### {_md(_person_heading(meeting, name))}", ""]
            out += _md_table(["Tegen", "Leerling", "Wat", "Status"],
                             [[_d(a.due) or "—", _md_cell(_pupil_title(p)), _md_cell(a.what),
                               _md_cell(_status(a, meeting.date))] for p, a in items])
            out.append("")

    out += ["---", "", f"*{PRIVACY}*", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML

STYLE = """
@page { size: A4; margin: 18mm; }
html { background: #fff; color: #000; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 11pt; line-height: 1.4;
       max-width: 174mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 14pt; margin: 16pt 0 4pt; border-bottom: 1px solid #000; padding-bottom: 2pt; }
h3 { font-size: 12pt; margin: 10pt 0 3pt; }
h4 { font-size: 11pt; margin: 6pt 0 2pt; }
h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
p, ul, dl { margin: 0 0 6pt; }
ul { padding-left: 16pt; }
dl.facts { display: grid; grid-template-columns: max-content auto; column-gap: 10pt; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
dl.answers dt { font-style: italic; }
dl.answers dd { margin: 0 0 3pt 12pt; }
.multiline { white-space: pre-line; }
table { border-collapse: collapse; width: 100%; margin: 0 0 6pt; }
th, td { border: 1px solid #000; padding: 2pt 5pt; text-align: left; vertical-align: top; }
th { font-weight: bold; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
td.date { white-space: nowrap; }
section.pupil, section.person { page-break-inside: avoid; break-inside: avoid; }
.note { font-style: italic; }
footer { margin-top: 16pt; border-top: 1px solid #000; padding-top: 4pt; font-size: 9pt; }
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _h_block(text: str) -> tuple[str, str]:
    """Escaped text; line breaks kept by CSS (white-space: pre-line), no <br>."""
    cleaned = _clean(text)
    cls = ' class="multiline"' if "\n" in cleaned else ""
    return cls, _h(cleaned)


def _h_cell(text: str, cls: str = "") -> str:
    cls_attr, body = _h_block(text)
    if cls:
        cls_attr = f' class="{cls}{" multiline" if cls_attr else ""}"'
    return f"<td{cls_attr}>{body or '—'}</td>"


def _h_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{_h(h)}</th>" for h in header) + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(row) + "</tr>" for row in rows]
    out += ["</tbody>", "</table>"]
    return out


def to_html(meeting: Meeting) -> str:
    """The minutes as one standalone HTML page: no scripts, no external resources, A4 print."""
    title = _title(meeting)
    out: list[str] = [
        "<!doctype html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_h(title)}</h1>",
    ]
    if not meeting.finished:
        out.append(f'<p class="note">{_h(DRAFT)}</p>')
    out.append("</header>")

    present = [a for a in meeting.present if a.name.strip()]
    if present:
        out += ['<section class="present">', "<h2>Aanwezig</h2>", "<ul>"]
        out += [f"<li>{_h(' '.join(a.name.split()))}"
                + (f" — {_h(' '.join(a.role.split()))}" if a.role.strip() else "") + "</li>" for a in present]
        out += ["</ul>", "</section>"]

    for p in meeting.pupils:
        out += ['<section class="pupil">', f"<h2>{_h(_pupil_title(p))}</h2>"]
        signals = [LABELS.get(s, s) for s in p.signals if s.strip()]
        if signals:
            out += ["<h3>Signalen bij de bespreking</h3>", "<ul>"]
            out += [f"<li>{_h(label)}</li>" for label in signals]
            out.append("</ul>")
        facts = _facts(p)
        if facts:
            out += ["<h3>Opvolging</h3>", '<dl class="facts">']
            for label, value in facts:
                cls, body = _h_block(value)
                out.append(f"<dt>{_h(label)}</dt><dd{cls}>{body}</dd>")
            out.append("</dl>")
        flags = _flags(p)
        if flags:
            out += ["<h3>Teamsignalen</h3>", "<ul>"]
            out += [f"<li>{_h(line)}</li>" for line in flags]
            out.append("</ul>")
        roles = _roles(p)
        if roles:
            out.append("<h3>Betrokkenen</h3>")
            for role, answers in roles:
                out += [f"<h4>{_h(role)}</h4>", '<dl class="answers">']
                for label, text in answers:
                    cls, body = _h_block(text)
                    out.append(f"<dt>{_h(label)}</dt><dd{cls}>{body}</dd>")
                out.append("</dl>")
        if _clean(p.notes):
            cls, body = _h_block(p.notes)
            out += ["<h3>Notities</h3>", f"<p{cls}>{body}</p>"]
        decisions = [d for d in p.decisions if _clean(d)]
        if decisions:
            out += ["<h3>Beslissingen</h3>", "<ul>"]
            for d in decisions:
                cls, body = _h_block(d)
                out.append(f"<li{cls}>{body}</li>")
            out.append("</ul>")
        actions = [a for a in p.actions if _clean(a.what) or a.who.strip()]
        if actions:
            out.append("<h3>Afspraken</h3>")
            out += _h_table(["Wat", "Wie", "Tegen", "Status"],
                            [[_h_cell(a.what), _h_cell(a.who), _h_cell(_d(a.due), "date"),
                              _h_cell(_status(a, meeting.date))] for a in actions])
        out.append("</section>")

    people = {name: items for name, items in action_list(meeting).items() if items}
    if people:
        out += ['<section class="actions">', "<h2>Actielijst per persoon</h2>"]
        for name, items in people.items():
            out += ['<section class="person">', f"<h3>{_h(_person_heading(meeting, name))}</h3>"]
            out += _h_table(["Tegen", "Leerling", "Wat", "Status"],
                            [[_h_cell(_d(a.due), "date"), _h_cell(_pupil_title(p)), _h_cell(a.what),
                              _h_cell(_status(a, meeting.date))] for p, a in items])
            out.append("</section>")
        out.append("</section>")

    out += [f"<footer><p>{_h(PRIVACY)}</p></footer>", "</body>", "</html>", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- files

def export_file(minutes_path: Path, fmt: str, out: Path | None = None) -> Path:
    """Write the minutes at `minutes_path` as Markdown (``fmt="md"``) or HTML (``"html"``).

    The default output is beside the minutes with the same stem; an existing folder as `out`
    receives that same file name. Written atomically with mode 0600. Returns the path written.
    A missing or broken minutes file, an output that would replace the minutes, or a write
    failure raises `MinutesError` (one Dutch sentence); an unknown `fmt` raises ValueError.
    """
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}")
    minutes_path = Path(minutes_path)
    meeting = load(minutes_path)
    target = Path(out) if out is not None else minutes_path.with_suffix(FORMATS[fmt])
    if target.is_dir():
        target = target / (minutes_path.stem + FORMATS[fmt])
    try:
        same = target.exists() and target.samefile(minutes_path)
    except OSError:
        same = False
    if same or target.resolve() == minutes_path.resolve():
        raise MinutesError(f"{target}: dit is het notulenbestand zelf; kies een ander uitvoerbestand met -o.")
    if not target.parent.is_dir():  # -o into a folder that is not there: say so, create nothing
        raise MinutesError(f"{target.parent}: deze map bestaat niet; maak ze eerst aan of kies een ander pad met -o.")
    text = to_markdown(meeting) if fmt == "md" else to_html(meeting)
    try:
        write_atomic(target, text)
    except OSError as err:
        reason = (err.strerror or str(err)).replace("\n", " ")
        raise MinutesError(f"{target}: het verslag kan niet geschreven worden ({reason}).") from None
    return target
