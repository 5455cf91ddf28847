"""The command line's documents beyond the list: ``report`` (one pupil's absence overview) and
``classes`` (classes at a glance), and the options of ``export`` for the recap per person and the
open agreements. Kept apart from zorgoverleg.cli so that file stays the entry point only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

COMMANDS = ("report", "classes")


def add_parsers(sub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``report`` and ``classes`` to the subcommands."""
    p_report = sub.add_parser("report", help="afwezigheidsoverzicht van één leerling (A4, voor CLB of politie)")
    p_report.add_argument("pupil", metavar="PUPIL_ID", help="leerlingnummer uit de export")
    common(p_report)
    p_report.add_argument("--format", choices=("html", "md"), default="html", help="html (standaard) of md")
    p_report.add_argument("-o", "--output", type=Path, default=None,
                          help="uitvoerbestand of map (standaard afwezigheden-NUMMER-DATUM.html in deze map)")
    p_report.add_argument("--with-minutes", action="store_true",
                          help="ook de afspraken en beslissingen uit de notulen (standaard enkel afwezigheden)")

    p_classes = sub.add_parser("classes", help="klassen in één oogopslag: signalen, afwezigheid, samen stijgend")
    common(p_classes)
    p_classes.add_argument("--format", choices=("table", "json", "csv", "html", "md"), default=None,
                           help="table (standaard), json of csv; met --class: html (standaard), md of csv")
    p_classes.add_argument("--class", dest="klas", metavar="KLAS", default=None,
                           help="het overzicht van alle afwezigheden van één klas, voor de klastitularis")
    p_classes.add_argument("-o", "--output", type=Path, default=None,
                           help="met --class: uitvoerbestand of map (standaard klas-KLAS-DATUM.html in deze map)")


def _error(text: str) -> int:
    print("zorgoverleg: " + " ".join(text.split()), file=sys.stderr)
    return 1


def _database(args: argparse.Namespace):
    """The database of ``args`` (minutes indexed), or None after saying why not."""
    from zorgoverleg.cli import _open_and_index
    from zorgoverleg.db import default_path

    path = args.db or default_path()
    if not path.exists():
        _error(f"{path}: databank niet gevonden; importeer eerst een export (zorgoverleg import BESTAND).")
        return None, path
    return _open_and_index(path), path


def run(args: argparse.Namespace) -> int:
    if args.command == "report":
        return cmd_report(args)
    if args.command == "classes":
        return cmd_classes(args)
    raise AssertionError(args.command)


def cmd_report(args: argparse.Namespace) -> int:
    from zorgoverleg.config import load_config
    from zorgoverleg.minutes import minutes_dir
    from zorgoverleg.report import ReportError, write_report

    config = load_config(args.config)
    today = args.today or date.today()
    db, path = _database(args)
    if db is None:
        return 1
    with db:
        try:
            written = write_report(db, args.pupil, today, config, args.format, args.output,
                                   with_minutes=args.with_minutes, minutes_folder=minutes_dir(path))
        except ReportError as exc:
            return _error(str(exc))
    print(written)
    return 0


def _share(value: float | None) -> str:
    from zorgoverleg.text import nl_number

    return "—" if value is None else f"{nl_number(round(value * 100))}%"


def _rising(row) -> str:
    return "; ".join(f"{c.start:%d/%m}–{c.end:%d/%m}: {len(c.pupils)} lln" for c in row.clusters)


def cmd_classes(args: argparse.Namespace) -> int:
    import csv
    import io
    import json

    from zorgoverleg.classes import class_overview, rule_settings, rule_text
    from zorgoverleg.config import load_config
    from zorgoverleg.report import ReportError
    from zorgoverleg.text import csv_cell

    if args.klas is None and args.format in ("html", "md"):
        return _usage("--format html of md kan enkel met --class KLAS (het overzicht van één klas).")
    if args.klas is not None and args.format in ("table", "json"):
        return _usage("met --class kies je --format html, md of csv.")
    if args.klas is None and args.output is not None:
        return _usage("-o kan enkel met --class KLAS; zonder --class gaat het overzicht naar het scherm.")
    config = load_config(args.config)
    today = args.today or date.today()
    db, _path = _database(args)
    if db is None:
        return 1
    with db:
        if args.klas is not None:
            try:
                return _class_export(db, args, today, config)
            except ReportError as exc:
                return _error(str(exc))
        rows = class_overview(db, today, config)
    fmt = args.format or "table"
    if fmt == "json":
        json.dump([r.to_json() for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["class", "pupils", "with_signal", "absent_halfdays", "possible_halfdays", "absent_share",
                         "recent_share", "previous_share", "trend", "b_halfdays", "late", "rising_together"])
        for r in rows:
            j = r.to_json()
            writer.writerow([csv_cell(v) for v in (
                r.class_, r.pupils, j["with_signal"], r.absent, r.possible, j["absent_share"], j["recent_share"],
                j["previous_share"], r.trend or "", r.b, r.late, _rising(r))])
        sys.stdout.write(buffer.getvalue())
    elif not rows:
        print("Nog geen leerlingen in de databank: importeer eerst een export (zorgoverleg import BESTAND).")
    else:
        _print_classes(rows, today, rule_text(rule_settings(config)))
    return 0


def _usage(text: str) -> int:
    print(f"zorgoverleg classes: {text}", file=sys.stderr)
    return 2


def _print_classes(rows, today: date, rule: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from zorgoverleg.pupil import sparkline
    from zorgoverleg.text import visible

    table = Table(title=f"Klassen op {today:%d/%m/%Y}", expand=False)
    for name, justify in (("Klas", "left"), ("Lln", "right"), ("Signalen", "right"), ("Afw.", "right"),
                          ("4 wk", "right"), ("", "left"), ("Per week", "left"), ("Samen stijgend", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(*(Text(visible(v)) for v in (
            r.class_, str(r.pupils), str(len(r.signal_pupils)), _share(r.share), _share(r.recent_share), r.mark,
            sparkline(r.weekly_percent(), 16, scale=15), _rising(r))))
    console = Console()
    console.print(table)
    console.print(Text(rule + " Per week: █ = 15% of meer van de halve dagen afwezig."))


def _class_export(db, args: argparse.Namespace, today: date, config) -> int:
    from zorgoverleg.class_report import class_csv, class_data, class_view
    from zorgoverleg.document import render_html, render_markdown
    from zorgoverleg.report import write_private

    row, pupils, halfdays = class_data(db, args.klas, today, config)
    fmt = args.format or "html"
    if fmt == "csv":
        text = class_csv(row, pupils, halfdays)
    else:
        doc = class_view(row, pupils, halfdays, today, config)
        text = render_html(doc) if fmt == "html" else render_markdown(doc)
    name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in row.class_)
    default = Path(f"klas-{name}-{today:%Y-%m-%d}.{fmt}")
    target = args.output if args.output is not None else default
    if target.is_dir():
        target = target / default.name
    print(write_private(target, text))
    return 0
