"""One pupil's absence overview on A4: for the CLB's begeleidingsdossier or a police registration.

The school policy says a registration carries an overview of the absences. This document holds
the school-year calendar with the codes, the counts per code, the signals with their numbers and
sources, and the school weeks before and since the team's first agreement. Absence data only;
``with_minutes`` adds what the team agreed and decided (never the roles' views or notes).

The report is built once as a `zorgoverleg.document.Document` and rendered as HTML or Markdown.
Core module: never imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from zorgoverleg import minutes as m
from zorgoverleg.calendar import SchoolCalendar
from zorgoverleg.codes import CATEGORIES
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.document import (
    OFF,
    Bullets,
    Calendar,
    CalendarRow,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
    render_html,
    render_markdown,
)
from zorgoverleg.pupil import PupilDetail, code_meaning, pupil_detail
from zorgoverleg.signals import calendar_for
from zorgoverleg.since import SinceDiscussed
from zorgoverleg.text import nl_number

__all__ = ["FORMATS", "ReportError", "find_pupil", "report_text", "report_view", "reports_dir", "write_report"]

FORMATS = {"html": ".html", "md": ".md"}

PRIVACY = ("Vertrouwelijk: dit overzicht bevat persoonsgegevens over afwezigheden. Bezorg het enkel aan wie "
           "het voor de begeleiding of de melding nodig heeft.")

#: The calendar's columns: every school half-day of a week (Wednesday afternoon has no lessons).
SLOTS = (("ma vm", 0, "VM"), ("ma nm", 0, "NM"), ("di vm", 1, "VM"), ("di nm", 1, "NM"), ("wo vm", 2, "VM"),
         ("do vm", 3, "VM"), ("do nm", 3, "NM"), ("vr vm", 4, "VM"), ("vr nm", 4, "NM"))
PRESENT = "·"
UNKNOWN_YET = " "


class ReportError(ValueError):
    """A report that cannot be made: one Dutch sentence for the user."""


@dataclass(frozen=True)
class PupilRef:
    pupil_key: str
    pupil_id: str | None
    name: str
    class_: str


def find_pupil(db: Database, ref: str, cursor=None) -> PupilRef:
    """The pupil a user means by ``ref`` (export id, with or without leading zeros, or pupil_key)."""
    rows = db.execute("pupil_lookup", {"ref": ref.strip()}, cursor=cursor).fetchall()
    if not rows:
        raise ReportError(f"leerling {ref!r} niet gevonden in de databank; geef het leerlingnummer uit de export "
                          "(zorgoverleg list toont ze).")
    key, pupil_id, last, first, klas = rows[0]
    return PupilRef(key, pupil_id, f"{first} {last}".strip(), klas)


def _d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _pct(part: int, whole: int) -> str:
    return f"{nl_number(round(part / whole * 100))}%" if whole else "—"


# --------------------------------------------------------------------------- the parts

def _identity(detail: PupilDetail, ref: PupilRef, calendar: SchoolCalendar) -> Section:
    row = detail.row
    facts = [("Leerling", row.name), ("Klas", row.class_),
             ("Leerlingnummer", row.pupil_id or "(geen nummer in de export)")]
    if row.birth_date:
        facts.append(("Geboortedatum", _d(row.birth_date)))
    facts += [("Schooljaar", f"{calendar.start.year}-{calendar.start.year + 1}"),
              ("Periode", f"{_d(calendar.start)} tot en met {_d(detail.today)}")]
    unknown = sum(n for _raw, code, _cat, n in detail.code_counts if code == "-")
    facts += [
        ("Afwezig", f"{row.absent_halfdays} van {row.possible_halfdays} halve dagen "
                    f"({_pct(row.absent_halfdays, row.possible_halfdays)}), alle codes behalve L"),
        ("Problematisch (B)", f"{row.b_halfdays} halve dagen"),
        ("Te laat (L)", f"{row.late} keer"),
        ("Nog te wettigen (-)", f"{unknown} halve dagen"),
    ]
    return Section("Leerling en samenvatting", [Facts(facts)], cls="compact")


def _window_dates(calendar: SchoolCalendar, today: date, since: SinceDiscussed) -> tuple[str, str]:
    days = calendar.school_days(today)
    after = [d for d in days if d >= since.first_date]
    before = [d for d in days if d < since.first_date][-len(after):] if after else []
    span = lambda ds: f"{ds[0]:%d/%m} – {ds[-1]:%d/%m}" if ds else "—"  # noqa: E731
    return span(before), span(after)


def _since(detail: PupilDetail, calendar: SchoolCalendar) -> Section:
    since = detail.since
    if since is None:
        return Section("Voor en sinds de eerste afspraak", [
            Paragraph("Het zorgteam legde dit schooljaar nog geen afspraken vast voor deze leerling.")], cls="compact")
    before_span, after_span = _window_dates(calendar, detail.today or date.today(), since)
    rows = [
        [f"ervoor ({before_span})", str(since.weeks_before), str(since.possible_before), str(since.absent_before),
         _pct(since.absent_before, since.possible_before), str(since.b_before)],
        [f"sinds {since.first_date:%d/%m} ({after_span})", str(since.weeks_since), str(since.possible_since),
         str(since.absent_since), _pct(since.absent_since, since.possible_since), str(since.b_since)],
    ]
    return Section("Voor en sinds de eerste afspraak", [
        Paragraph(f"Eerste afspraak van het zorgteam: {_d(since.first_date)}. Vergeleken worden de schooldagen "
                  "sindsdien en evenveel schooldagen ervoor."),
        Table(["Periode", "Schoolweken", "Halve dagen", "Afwezig", "Aandeel", "B"], rows,
              nowrap=frozenset({0}), numeric=frozenset({1, 2, 3, 4, 5})),
    ], cls="compact")


def _calendar(detail: PupilDetail, calendar: SchoolCalendar) -> Section:
    today = detail.today or date.today()
    rows: list[CalendarRow] = []
    for week in detail.weeks:
        if week.monday > today:
            break
        cells = []
        holidays = []
        for _label, offset, half in SLOTS:
            cell = week.days[offset]
            if cell.holiday and cell.holiday not in holidays:
                holidays.append(cell.holiday)
            if not cell.school_day or half not in calendar.halfdays_on(cell.date):
                cells.append(OFF)
            elif cell.future:
                cells.append(UNKNOWN_YET)
            else:
                cells.append((cell.vm if half == "VM" else cell.nm) or PRESENT)
        if all(c == OFF for c in cells) and not holidays:
            continue  # the summer weeks before the first school day
        rows.append(CalendarRow(f"{week.monday:%d/%m}", cells, ", ".join(holidays)))
    codes = sorted({c for row in rows for c in row.cells if c not in (OFF, PRESENT, UNKNOWN_YET)})
    legend = [(PRESENT, "aanwezig (niets geregistreerd)"), ("grijs", "geen les (weekend, vakantie, vrije dag)")]
    legend += [(code, detail.meanings.get(code) or code_meaning(code) or "code uit de export") for code in codes]
    return Section(f"Kalender van het schooljaar tot {_d(today)}", [
        Calendar("week van", [label for label, _o, _h in SLOTS], rows, legend, note_header="vakantie of vrije dag"),
    ], cls="calendar")


def _codes(detail: PupilDetail) -> Section:
    if not detail.code_counts:
        return Section("Codes", [Paragraph("Geen afwezigheden of laatkomingen tot vandaag.")])
    rows = [[raw, code, detail.meanings.get(raw) or code_meaning(raw), CATEGORIES.get(category, category), str(n)]
            for raw, code, category, n in detail.code_counts]
    return Section("Halve dagen per code", [
        Table(["Code", "Officieel", "Betekenis", "Categorie", "Halve dagen"], rows, numeric=frozenset({4}))],
        cls="compact")


#: Signals that come from the team's own follow-up, not from the absences: shown with --with-minutes only.
TEAM_SIGNALS = frozenset({"review_due", "team_flag"})


def _signals(detail: PupilDetail, with_minutes: bool) -> Section:
    signals = [s for s in detail.row.signals if with_minutes or s.id not in TEAM_SIGNALS]
    if not signals:
        return Section("Signalen", [Paragraph("Geen signalen boven de drempels van de school.")])
    return Section("Signalen", [Table(["Signaal", "Wat de cijfers tonen", "Drempel", "Bron"],
                                      [[s.label, s.detail, s.threshold, s.source] for s in signals])])


def _minutes(ref: PupilRef, folder: Path | None) -> Section:
    """What the team agreed and decided about the pupil, per meeting, oldest first (no views or notes)."""
    found: list[tuple[m.Meeting, m.PupilMinutes]] = []
    if folder is not None and folder.is_dir():
        for path in m.list_minutes(folder):
            try:
                meeting = m.load(path)
            except m.MinutesError:
                continue  # a broken file is reported by the list and the app; the others still count
            for pupil in meeting.pupils:
                if pupil.pupil_id in {ref.pupil_key, ref.pupil_id}:
                    found.append((meeting, pupil))
    if not found:
        return Section("Afspraken en beslissingen", [Paragraph("Nog geen notulen over deze leerling.")])
    from zorgoverleg.export import action_status, follow_up_facts

    parts: list = []
    for meeting, pupil in sorted(found, key=lambda pair: pair[0].date):
        blocks: list = []
        facts = follow_up_facts(pupil)
        if facts:
            blocks.append(Facts(facts))
        decisions = [d for d in pupil.decisions if d.strip()]
        if decisions:
            blocks.append(Bullets(decisions))
        actions = [a for a in pupil.actions if a.what.strip()]
        if actions:
            blocks.append(Table(["Afspraak", "Wie", "Tegen", "Status"],
                                [[a.what, a.who, _d(a.due), action_status(a, meeting.date)] for a in actions],
                                nowrap=frozenset({2})))
        if blocks:
            title = " ".join((meeting.title or "Zorgoverleg").split())
            parts.append(Section(f"{title} — {_d(meeting.date)}", blocks, cls="compact"))
    return Section("Afspraken en beslissingen", parts or [Paragraph("Nog geen afspraken of beslissingen genoteerd.")])


def report_view(detail: PupilDetail, ref: PupilRef, calendar: SchoolCalendar, *, with_minutes: bool = False,
                minutes_folder: Path | None = None) -> Document:
    """The absence overview of one pupil as one document (both formats render it)."""
    today = detail.today or date.today()
    sections = [_identity(detail, ref, calendar), _since(detail, calendar), _calendar(detail, calendar),
                _codes(detail), _signals(detail, with_minutes)]
    if with_minutes:
        sections.append(_minutes(ref, minutes_folder))
    title = f"Afwezigheidsoverzicht {detail.row.name} ({detail.row.class_})"
    notes = [f"Stand op {_d(today)}, opgemaakt met zorgoverleg uit de afwezigheidsexport van de school."]
    if not with_minutes:
        notes.append("Enkel afwezigheidsgegevens: geen verslag van het zorgoverleg.")
    return Document(title, sections, notes=notes, footer=PRIVACY)


def report_text(db: Database, ref: str, today: date, config: Config, fmt: str = "html", *,
                with_minutes: bool = False, minutes_folder: Path | None = None, cursor=None) -> tuple[PupilRef, str]:
    """The pupil ``ref`` and their overview as HTML or Markdown text."""
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat {fmt!r}")
    cur = cursor if cursor is not None else db.cursor()
    try:
        pupil = find_pupil(db, ref, cursor=cur)
        detail = pupil_detail(db, pupil.pupil_key, today, config, cursor=cur)
    finally:
        if cursor is None:
            cur.close()
    if detail is None:
        raise ReportError(f"leerling {ref!r} niet gevonden in de databank.")
    doc = report_view(detail, pupil, calendar_for(today, config), with_minutes=with_minutes,
                      minutes_folder=minutes_folder)
    return pupil, render_html(doc) if fmt == "html" else render_markdown(doc)


def default_name(pupil: PupilRef, today: date, fmt: str) -> str:
    ident = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in (pupil.pupil_id or pupil.pupil_key))
    return f"afwezigheden-{ident}-{today:%Y-%m-%d}{FORMATS[fmt]}"


def write_report(db: Database, ref: str, today: date, config: Config, fmt: str = "html", out: Path | None = None,
                 *, with_minutes: bool = False, minutes_folder: Path | None = None, cursor=None) -> Path:
    """Write the overview (mode 0600) to ``out`` (a file or an existing folder; default: the current
    folder) and return the path. A user mistake raises ReportError with one Dutch sentence."""
    pupil, text = report_text(db, ref, today, config, fmt, with_minutes=with_minutes,
                              minutes_folder=minutes_folder, cursor=cursor)
    target = Path(out) if out is not None else Path(default_name(pupil, today, fmt))
    if target.is_dir():
        target = target / default_name(pupil, today, fmt)
    return write_private(target, text)


def reports_dir(db_path: Path) -> Path:
    """The folder "overzichten" beside the database (created, owner only), where the app writes documents."""
    folder = Path(db_path).parent / "overzichten"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as err:
        raise ReportError(f"{folder}: de map kan niet aangemaakt worden ({m.reason(err)}).") from None
    return folder


def write_private(target: Path, text: str) -> Path:
    """Write ``text`` atomically with mode 0600 into an existing folder (never creates folders)."""
    if not target.parent.exists():
        raise ReportError(f"{target.parent}: deze map bestaat niet; maak ze eerst aan of kies een andere met -o.")
    try:
        m.write_atomic(target, text)
    except OSError as err:
        raise ReportError(f"{target}: het bestand kan niet geschreven worden ({m.reason(err)}).") from None
    return target
