"""The class teacher's overview: every absence of the pupils of one class, as a document (HTML for
A4, Markdown) or as CSV records. Built once as a `zorgoverleg.document.Document`.

Core module: never imports Textual.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from zorgoverleg.classes import ClassRow, class_overview, rule_settings, rule_text
from zorgoverleg.config import Config
from zorgoverleg.db import Database
from zorgoverleg.document import Block, Bullets, Document, Facts, Paragraph, Section, Table
from zorgoverleg.report import ReportError
from zorgoverleg.signals import PupilRow, calendar_for, prioritised, school_days_table
from zorgoverleg.text import csv_cell, nl_number

PRIVACY = ("Vertrouwelijk: dit overzicht bevat persoonsgegevens over afwezigheden van de leerlingen van "
           "deze klas. Enkel voor de klastitularis en het zorgteam.")

#: Official codes shown as columns in the pupils' table, in this order (others under "ander").
CODE_COLUMNS = ("Z", "D", "R", "P", "B", "-")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{nl_number(round(value * 100))}%"


def class_data(db: Database, class_: str, today: date, config: Config, cursor=None):
    """(class row, its pupils' list rows, their absent or late half-days) for one class."""
    cur = cursor if cursor is not None else db.cursor()
    try:
        overview = class_overview(db, today, config, cursor=cur)
        found = next((r for r in overview if r.class_ == class_), None)
        if found is None:
            folded = [r for r in overview if r.class_.casefold() == class_.strip().casefold()]
            found = folded[0] if folded else None
        if found is None:
            if not overview:
                raise ReportError(f"klas {class_!r} niet gevonden: de databank heeft nog geen leerlingen; "
                                  "importeer eerst een export (zorgoverleg import BESTAND).")
            known = ", ".join(r.class_ for r in overview[:30])
            raise ReportError(f"klas {class_!r} niet gevonden in de databank; bekende klassen: {known}.")
        pupils = [r for r in prioritised(db, today, config, include_all=True, cursor=cur) if r.class_ == found.class_]
        calendar = calendar_for(today, config)
        cur.register("school_days", school_days_table(calendar, today))
        halfdays = db.execute("class_halfdays", {"class": found.class_, "year_start": calendar.start,
                                                 "today": today}, cursor=cur).fetchall()
    finally:
        if cursor is None:
            cur.close()
    return found, sorted(pupils, key=lambda r: (r.last_name.casefold(), r.first_name.casefold())), halfdays


def _absence_lines(halfdays: list[tuple]) -> dict[str, str]:
    """Per pupil every absent or late half-day as "15/09 Z, 16/09 vm D, …" (a whole day once)."""
    by_day: dict[tuple[str, date], dict[str, str]] = {}
    for key, day, halfday, raw, _code, _cat, _absent, _late in halfdays:
        by_day.setdefault((key, day), {})[halfday] = raw
    lines: dict[str, list[str]] = {}
    for (key, day), halves in by_day.items():
        if set(halves) == {"VM", "NM"} and halves["VM"] == halves["NM"]:
            parts = [f"{day:%d/%m} {halves['VM']}"]
        else:
            parts = [f"{day:%d/%m} {half.lower()} {halves[half]}" for half in ("VM", "NM") if half in halves]
        lines.setdefault(key, []).extend(parts)
    return {key: ", ".join(parts) for key, parts in lines.items()}


def _monthly(halfdays: list[tuple], months: list[tuple[int, int]]) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    index = {ym: i for i, ym in enumerate(months)}
    for key, day, _half, _raw, _code, _cat, absent, _late in halfdays:
        if absent and (day.year, day.month) in index:
            counts.setdefault(key, [0] * len(months))[index[(day.year, day.month)]] += 1
    return counts


def class_view(row: ClassRow, pupils: list[PupilRow], halfdays: list[tuple], today: date,
               config: Config) -> Document:
    """The class teacher's overview of one class."""
    codes: dict[str, dict[str, int]] = {}
    for key, _day, _half, _raw, code, _cat, absent, late in halfdays:
        counts = codes.setdefault(key, {})
        column = "L" if late and not absent else (code if code in CODE_COLUMNS else "ander")
        counts[column] = counts.get(column, 0) + 1
    summary = Facts([
        ("Leerlingen", str(row.pupils)),
        ("Met signalen", str(len(row.signal_pupils))),
        ("Afwezig", f"{row.absent} van {row.possible} halve dagen ({_pct(row.share)})"),
        (f"Laatste {4} schoolweken", f"{_pct(row.recent_share)} (de 4 weken ervoor: {_pct(row.previous_share)})"),
        ("B-halve dagen", str(row.b)),
        ("Te laat", f"{row.late} keer"),
    ])
    header = ["Leerling", "Afwezig", "Aandeel", *CODE_COLUMNS, "ander", "L", "Signalen"]
    table = [[f"{r.last_name} {r.first_name}", str(r.absent_halfdays), _pct(r.absent_share),
              *(str(codes.get(r.pupil_key, {}).get(c, 0) or "·") for c in [*CODE_COLUMNS, "ander", "L"]),
              ", ".join(s.label for s in r.signals)] for r in pupils]
    start = calendar_for(today, config).start
    months: list[tuple[int, int]] = []
    y, mth = start.year, start.month
    while (y, mth) <= (today.year, today.month):
        months.append((y, mth))
        y, mth = (y + 1, 1) if mth == 12 else (y, mth + 1)
    monthly = _monthly(halfdays, months)
    per_month = [[f"{r.last_name} {r.first_name}",
                  *(str(n) if n else "·" for n in monthly.get(r.pupil_key, [0] * len(months)))] for r in pupils]
    lines = _absence_lines(halfdays)
    every = [f"{r.last_name} {r.first_name}: {lines[r.pupil_key]}" for r in pupils if r.pupil_key in lines]
    sections = [
        Section("Samenvatting", [summary], cls="compact"),
        Section("Leerlingen", [Table(header, table, nowrap=frozenset({0}), numeric=frozenset(range(1, 11)))]),
        Section("Afwezige halve dagen per maand", [Table(["Leerling", *(MONTHS[m - 1] for _y, m in months)], per_month,
                                                         nowrap=frozenset({0}), numeric=frozenset(range(1, len(months) + 1)))]),
    ]
    if row.clusters:
        rising: list[Block] = [Paragraph(rule_text(rule_settings(config)))]
        rising += [Section(f"{c.start:%d/%m} – {c.end:%d/%m/%Y}",
                           [Bullets([f"{p.name}: {p.absent} halve dagen (ervoor gemiddeld {nl_number(p.baseline)})"
                                     for p in c.pupils])]) for c in row.clusters]
        sections.append(Section("Samen stijgend", rising))
    sections.append(Section("Alle afwezigheden", [
        Paragraph("Per leerling elke afwezige halve dag of laatkomst met de code uit de export; "
                  "zonder vm of nm: de hele dag."),
        Bullets(every) if every else Paragraph("Geen afwezigheden tot vandaag.")]))
    return Document(f"Afwezigheden klas {row.class_}", sections,
                    notes=[f"Stand op {today:%d/%m/%Y}; schooljaar {start.year}-{start.year + 1}."], footer=PRIVACY)


def class_csv(row: ClassRow, pupils: list[PupilRow], halfdays: list[tuple]) -> str:
    """Every absent or late half-day of the class, one per line, for a spreadsheet."""
    names = {r.pupil_key: r for r in pupils}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["klas", "leerling_id", "naam", "voornaam", "datum", "dagdeel", "code", "officieel", "categorie"])
    for key, day, halfday, raw, code, category, _absent, _late in halfdays:
        r = names.get(key)
        writer.writerow([csv_cell(v) for v in (
            row.class_, (r.pupil_id if r and r.pupil_id is not None else key), r.last_name if r else "",
            r.first_name if r else "", day.isoformat(), halfday, raw, code, category)])
    return buffer.getvalue()
