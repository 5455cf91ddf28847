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
