"""The ``zorgoverleg`` command line. Exit codes: 0 ok, 1 input refused, 2 usage error."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from datetime import date
from pathlib import Path

from zorgoverleg.argparse_nl import DutchArgumentParser
from zorgoverleg.config import ConfigError, load_config
from zorgoverleg.db import Database, DatabaseError, default_path
from zorgoverleg.text import csv_cell, visible

DEMO_TODAY = date(2026, 3, 13)


class UsageError(Exception):
    pass


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is geen datum; schrijf JJJJ-MM-DD, bv. 2026-03-13") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} moet een positief geheel getal zijn")
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zorgoverleg")
    except PackageNotFoundError:
        return "onbekend"


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="zorgoverleg",
        description="Afwezigheden opvolgen en het zorgoverleg voorbereiden en verslaan.",
    )
    parser.add_argument("--version", action="version", version=f"zorgoverleg {_version()}",
                        help="de versie tonen en stoppen")
    sub = parser.add_subparsers(dest="command", title="opdrachten", metavar="OPDRACHT")

    def common(p: argparse.ArgumentParser, today: bool = True) -> None:
        p.add_argument("--db", type=Path, default=None, help="databankbestand (standaard zorgoverleg.duckdb of $ZORGOVERLEG_DB)")
        p.add_argument("--config", type=Path, default=None, help="instellingen (TOML)")
        if today:
            p.add_argument("--today", type=_date, default=None, help="vaste datum voor 'vandaag' (JJJJ-MM-DD)")

    p_demo = sub.add_parser("demo", help="de app op een verse databank met de voorbeeldschool")
    p_demo.add_argument("--config", type=Path, default=None)
    p_demo.add_argument("--today", type=_date, default=None, help=f"standaard {DEMO_TODAY.isoformat()}")
    p_demo.add_argument("--dir", type=Path, default=None, help="map voor de demo-databank en notulen (standaard een tijdelijke map)")

    p_open = sub.add_parser("open", help="de app op een databank")
    common(p_open)

    p_import = sub.add_parser("import", help="een afwezigheidsexport importeren")
    p_import.add_argument("files", nargs="+", type=Path, metavar="BESTAND")
    common(p_import)
    p_import.add_argument("--mapping", type=Path, default=None, help="kolommen en codes voor een andere export (TOML)")
    p_import.add_argument("--dry-run", action="store_true", help="tonen wat zou veranderen, niets opslaan")

    p_list = sub.add_parser("list", help="de prioriteitenlijst")
    common(p_list)
    p_list.add_argument("--limit", type=_positive, default=None)
    p_list.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p_list.add_argument("--all", action="store_true", help="ook leerlingen zonder signaal")

    p_export = sub.add_parser("export", help="notulen als leesbaar verslag (Markdown of HTML) om te delen")
    p_export.add_argument("minutes", type=Path, metavar="NOTULEN.toml", help="het notulenbestand")
    p_export.add_argument("--format", choices=("md", "html", "csv"), default="md",
                          help="md (standaard) of html; csv: de open afspraken voor het secretariaat")
    p_export.add_argument("-o", "--output", type=Path, default=None,
                          help="uitvoerbestand (standaard naast de notulen, met .md of .html)")
    p_export.add_argument("--per-person", action="store_true",
                          help="één bestand per persoon met enkel diens afspraken (-o is dan een map)")

    from zorgoverleg import cli_reports  # report, classes (their own module)

    cli_reports.add_parsers(sub, common)

    p_bench = sub.add_parser("bench", help="snelheid meten op synthetische gegevens")
    p_bench.add_argument("--size", choices=("S", "M", "L", "XL"), default="S")
    p_bench.add_argument("--rounds", type=_positive, default=3)
    p_bench.add_argument("--dir", type=Path, default=None,
                         help="map voor de bestanden van de bench (verplicht voor XL, ongeveer 3,6 GB)")
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # every file we create (database, minutes, exports) is the owner's only
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv = ["open", *argv]
    args = parser.parse_args(argv)
    try:
        if args.command == "import":
            return cmd_import(args)
        if args.command == "list":
            return cmd_list(args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "open":
            return cmd_open(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command in ("report", "classes"):
            from zorgoverleg import cli_reports

            return cli_reports.run(args)
        if args.command == "bench":
            from zorgoverleg.bench import run_bench

            return run_bench(args.size, args.rounds, args.dir)
    except (DatabaseError, ConfigError) as exc:
        print(f"zorgoverleg: {visible(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("zorgoverleg: onderbroken.", file=sys.stderr)
        return 130
    parser.print_help()
    return 2


def _fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def cmd_import(args: argparse.Namespace) -> int:
    from zorgoverleg.importer import BIG_FILE, ImportRefused, UnknownCodes, import_files, load_mapping, summary_lines

    config = load_config(args.config)
    path = args.db or default_path()
    existed = path.exists()
    try:
        mapping = load_mapping(args.mapping) if args.mapping else None
        db = Database.open(path)
    except ImportRefused as exc:
        print(f"zorgoverleg: {visible(exc)}", file=sys.stderr)
        return 1
    try:
        big = sys.stderr.isatty() and any(f.is_file() and f.stat().st_size > BIG_FILE for f in args.files)
        if big:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("importeren", total=1.0)
                summaries = import_files(
                    db, args.files, config, mapping, dry_run=args.dry_run, today=args.today,
                    progress=lambda step, f: bar.update(task, completed=f, description=step),
                )
        else:
            summaries = import_files(db, args.files, config, mapping, dry_run=args.dry_run, today=args.today)
    except ImportRefused as exc:
        db.close()
        if not existed:
            for leftover in (path, Path(str(path) + ".wal")):
                leftover.unlink(missing_ok=True)
        # one sentence: the refusal, then that nothing was imported
        print(f"zorgoverleg: {visible(str(exc).rstrip('.'))}; er is niets geïmporteerd.", file=sys.stderr)
        if isinstance(exc, UnknownCodes):  # ready to paste into a mapping file
            print(exc.codes_block(), end="")
        return 1
    db.close()
    if args.dry_run and not existed:
        for leftover in (path, Path(str(path) + ".wal")):
            leftover.unlink(missing_ok=True)
    for s in summaries:
        span = f"{s.first_date:%d/%m/%Y} – {s.last_date:%d/%m/%Y}" if s.first_date else "geen datums"
        verb = "zou importeren" if s.dry_run else "geïmporteerd"
        print(f"{visible(s.file)}: {verb}: {_fmt_int(s.rows)} regels, {_fmt_int(s.pupils)} leerlingen "
              f"({_fmt_int(s.new_pupils)} nieuw), {span}.")
        print(f"  {_fmt_int(s.records - s.replaced)} nieuwe records, {_fmt_int(s.replaced)} vervangen (nieuwste import telt).")
        codes = ", ".join(f"{visible(raw) or '(leeg)'} {_fmt_int(n)}" for raw, _code, _cat, n in s.per_code)
        print(f"  per code: {codes}")
        for line in summary_lines(s):
            print(f"  {line}")
    if args.dry_run:
        print("Proefimport: er is niets opgeslagen.")
    return 0


def _today(args: argparse.Namespace) -> date:
    return args.today or date.today()


def cmd_list(args: argparse.Namespace) -> int:
    from zorgoverleg.signals import prioritised

    config = load_config(args.config)
    path = args.db or default_path()
    if not path.exists():
        print(f"zorgoverleg: {path}: databank niet gevonden; importeer eerst een export (zorgoverleg import BESTAND).",
              file=sys.stderr)
        return 1
    db = _open_and_index(path)
    with db:
        rows = prioritised(db, _today(args), config, limit=args.limit, include_all=args.all)
        since = _since_discussed(db, _today(args), config, rows)
    if args.format == "json":
        json.dump([r.to_json() | {"since_discussed": since.get(r.pupil_key)} for r in rows], sys.stdout,
                  ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["rank", "pupil_id", "last_name", "first_name", "class", "score",
                         "absent_halfdays", "b_halfdays", "late", "possible_halfdays", "signals",
                         "since_date", "since_trend"])
        for r in rows:
            j = r.to_json()
            s = since.get(r.pupil_key) or {}
            # Shown on a terminal and opened in spreadsheets: no control characters, no formulas.
            writer.writerow([csv_cell(visible(v)) if isinstance(v, str) else v for v in (
                r.rank, j["pupil_id"], r.last_name, r.first_name, r.class_, r.score,
                r.absent_halfdays, r.b_halfdays, r.late, r.possible_halfdays, " ".join(r.signal_ids()),
                s.get("date") or "", s.get("trend") or "")])
        sys.stdout.write(buffer.getvalue())
    else:
        _print_table(rows, _today(args), since)
    return 0


def _since_discussed(db: Database, today: date, config, rows) -> dict:
    """``since_discussed`` per pupil_key of ``rows`` (zorgoverleg.since), as JSON-ready dicts."""
    from zorgoverleg.since import since_discussed

    found = since_discussed(db, today, config, pupil_keys=[r.pupil_key for r in rows])
    return {key: value.to_json() for key, value in found.items()}


def _open_and_index(path: Path) -> Database:
    """Open the database and index the minutes beside it (earlier agreements, reviews).

    When another program holds the database (a meeting in progress), open it read-only
    and use the index as it stands."""
    from zorgoverleg.history import index_minutes
    from zorgoverleg.minutes import minutes_dir

    try:
        db = Database.open(path)
    except DatabaseError:
        return Database.open(path, read_only=True)
    result = index_minutes(db, minutes_dir(path))
    for problem in result.problems:
        print(f"zorgoverleg: let op: {visible(problem)} De andere notulen tellen wel mee.", file=sys.stderr)
    return db


def _print_table(rows, today: date, since: dict | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from zorgoverleg.since import MARKS
    from zorgoverleg.text import nl_number

    since = since or {}
    table = Table(title=f"Prioriteitenlijst op {today:%d/%m/%Y}", expand=False)
    for name in ("#", "Leerling", "Klas", "Score", "B", "Afw.", "%", "Laat", "Sinds", "Signalen"):
        table.add_column(name, justify="left" if name in ("Leerling", "Klas", "Sinds", "Signalen") else "right")
    for r in rows:
        s = since.get(r.pupil_key) or {}
        # since the first agreement: its date and ↑ ↓ = for the absences since (zorgoverleg.since)
        since_text = f"{date.fromisoformat(s['date']):%d/%m} {MARKS.get(s.get('trend') or '', '')}".strip() if s else ""
        # Text cells: names are data, never markup; control characters are shown as placeholders.
        table.add_row(*(Text(visible(cell)) for cell in (
            str(r.rank), f"{r.last_name} {r.first_name}", r.class_, nl_number(r.score, decimals=2),
            str(r.b_halfdays), str(r.absent_halfdays), f"{r.absent_share * 100:.0f}", str(r.late), since_text,
            ", ".join(s.label for s in r.signals))))
    Console().print(table)
    if not rows:
        print("Geen leerlingen met signalen op deze datum.")


def cmd_export(args: argparse.Namespace) -> int:
    from zorgoverleg.export import export_file
    from zorgoverleg.minutes import MinutesError

    try:
        if args.per_person:
            from zorgoverleg.recap import export_per_person

            if args.format == "csv":
                print("zorgoverleg export: --per-person maakt md of html, geen csv.", file=sys.stderr)
                return 2
            for path in export_per_person(args.minutes, args.format, args.output):
                print(path)
            return 0
        written = export_file(args.minutes, args.format, args.output)
    except MinutesError as exc:
        print("zorgoverleg: " + visible(" ".join(str(exc).split())), file=sys.stderr)
        return 1
    print(visible(written))
    return 0


def run_app(db_path: Path, config, today: date) -> int:
    """Run the meeting app; a reason to stop (locked database, unsaved minutes) is one sentence on stderr."""
    from zorgoverleg.app import ZorgoverlegApp

    app = ZorgoverlegApp(db_path, config, today)
    app.run()
    if app.fatal_message:
        print(f"zorgoverleg: {visible(app.fatal_message)}", file=sys.stderr)
        return app.return_code or 1
    if app.state is not None and app.state.saver.dirty:  # the last save failed as well
        print(f"zorgoverleg: {visible(app.state.saver.last_error or 'de notulen konden niet bewaard worden.')}",
              file=sys.stderr)
        return 1
    return app.return_code or 0


def cmd_open(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    path = args.db or default_path()
    return run_app(path, config, _today(args))


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from zorgoverleg.importer import import_files
    from zorgoverleg.sampledata import sample_files

    config = load_config(args.config)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="zorgoverleg-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.duckdb"
    if not path.exists():
        with Database.open(path) as db:
            import_files(db, sample_files(), config)
    return run_app(path, config, args.today or DEMO_TODAY)


if __name__ == "__main__":
    raise SystemExit(main())
