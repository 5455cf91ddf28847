"""``zorgoverleg bench``: synthetic data at three sizes; import, list and UI timings.

Sizes: S = 1,000 pupils (about 60k records), M = 10,000 (about 600k),
L = 100,000 (about 6M), XL = 1,000,000 (about 60M; only with ``--dir``), one school year at
half-day granularity. Every figure is
the median of ``rounds`` runs on this machine; see BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
from textual.geometry import Region

from zorgoverleg.calendar import SchoolCalendar
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.history import set_flag
from zorgoverleg.importer import ImportRefused, import_files
from zorgoverleg.signals import ensure_list, list_counts, prioritised, review_due_keys

SIZES = {"S": 1_000, "M": 10_000, "L": 100_000, "XL": 1_000_000}
NEEDS_DIR = ("XL",)
XL_MEMORY_LIMIT = "1GB"  # unless ZORGOVERLEG_MEMORY_LIMIT is set: see run_bench  # sizes whose files (XL: about 3.6 GB) go only to a folder the user names
BENCH_TODAY = date(2026, 3, 13)
HEADER = "Leerlingnummer;Naam;Voornaam;Klas;Geboortedatum;Datum;Dagdeel;Code;Opmerking\n"
PERIODS_HEADER = "Leerlingnummer;Naam;Voornaam;Klas;Geboortedatum;Van;Van_dagdeel;Tot;Tot_dagdeel;Code\n"
WIDE_HEADER = "Leerlingnummer;Naam;Voornaam;Klas;Geboortedatum;Datum;VM;NM\n"


def _bench_pupils(pupils: int, seed: int = 7):
    """The synthetic absences: per pupil (id, name, first name, class, birth date, [(slot, code)])
    with about 60 half-days each; ``slots`` lists the school year's (date, half-day)."""
    rng = random.Random(seed)
    calendar = SchoolCalendar(2025)
    slots = [(d, h) for d in calendar.school_days() for h in calendar.halfdays_on(d)]
    codes = ["Z"] * 50 + ["D"] * 10 + ["B"] * 12 + ["R"] * 6 + ["P"] * 4 + ["L"] * 15 + ["-"] * 3
    for number in range(pupils):
        year = number % 6 + 1
        klas = f"{year}{'ABC'[number % 3]}"
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{2013 - year + 1}"
        chosen = [(index, None) for index in sorted(rng.sample(range(len(slots)), 60))]
        yield slots, (f"{number:07d}", f"Naam{number}", f"Voornaam{number % 97}", klas, born,
                      [(index, rng.choice(codes)) for index, _ in chosen])


def _write_lines(path: Path, header: str, lines) -> int:
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        batch = []
        for line in lines:
            batch.append(line)
            if len(batch) > 100_000:
                out.writelines(batch)
                rows += len(batch)
                batch.clear()
        out.writelines(batch)
        rows += len(batch)
    return rows


def write_export(path: Path, pupils: int, seed: int = 7) -> int:
    """A synthetic export with about 60 records per pupil; returns the number of rows."""
    def lines():
        for slots, (pid, name, first, klas, born, absences) in _bench_pupils(pupils, seed):
            for index, code in absences:
                day, half = slots[index]
                yield f"{pid};{name};{first};{klas};{born};{day:%d/%m/%Y};{half};{code};\n"
    return _write_lines(path, HEADER, lines())


def write_week_export(path: Path, pupils: int, seed: int = 11) -> int:
    """One school week on top of ``write_export``'s year: the week up to ``BENCH_TODAY`` again, each
    half-day of it a record with the same chance as in the year (about 16k records at M), as a
    school's weekly export. Returns the number of rows."""
    rng = random.Random(seed)
    calendar = SchoolCalendar(2025)
    year = [(d, h) for d in calendar.school_days() for h in calendar.halfdays_on(d)]
    monday = BENCH_TODAY.toordinal() - BENCH_TODAY.weekday()
    week = [(d.strftime("%d/%m/%Y"), h) for d, h in year if monday <= d.toordinal() <= BENCH_TODAY.toordinal()]
    chance = 60 / len(year)
    codes = ["Z"] * 50 + ["D"] * 10 + ["B"] * 12 + ["R"] * 6 + ["P"] * 4 + ["L"] * 15 + ["-"] * 3
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for number in range(pupils):
            year_level = number % 6 + 1
            klas = f"{year_level}{'ABC'[number % 3]}"
            for day, half in week:
                if rng.random() < chance:  # the birth date left empty: the stored one stays
                    out.write(f"{number:07d};Naam{number};Voornaam{number % 97};{klas};;{day};{half};"
                              f"{rng.choice(codes)};\n")
                    rows += 1
    return rows


def write_periods_export(path: Path, pupils: int, seed: int = 7) -> int:
    """The same absences as ``write_export``, as periods from-to (consecutive half-days with
    one code are one period)."""
    def lines():
        for slots, (pid, name, first, klas, born, absences) in _bench_pupils(pupils, seed):
            runs: list[list[tuple[int, str]]] = []
            for index, code in absences:
                if runs and runs[-1][-1][0] == index - 1 and runs[-1][-1][1] == code:
                    runs[-1].append((index, code))
                else:
                    runs.append([(index, code)])
            for run in runs:
                (d0, h0), (d1, h1) = slots[run[0][0]], slots[run[-1][0]]
                yield (f"{pid};{name};{first};{klas};{born};{d0:%d/%m/%Y};{h0};{d1:%d/%m/%Y};{h1};"
                       f"{run[0][1]}\n")
    return _write_lines(path, PERIODS_HEADER, lines())


def write_wide_export(path: Path, pupils: int, seed: int = 7) -> int:
    """The same absences as ``write_export``, one row per pupil and date with VM and NM columns."""
    def lines():
        for slots, (pid, name, first, klas, born, absences) in _bench_pupils(pupils, seed):
            days: dict = {}
            for index, code in absences:
                day, half = slots[index]
                days.setdefault(day, {})[half] = code
            for day, cells in days.items():
                yield f"{pid};{name};{first};{klas};{born};{day:%d/%m/%Y};{cells.get('VM', '')};{cells.get('NM', '')}\n"
    return _write_lines(path, WIDE_HEADER, lines())


def _say(line: str) -> None:
    print(line, flush=True)


class BenchFailed(Exception):
    """A step of the bench failed; the message says which, in Dutch."""


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _import_in_child(export: Path, db_path: Path) -> tuple[float, float]:
    """Import in a fresh process: (seconds, peak resident MB of that process)."""
    # The peak is the child's own (VmHWM of its address space). ru_maxrss is not: on Linux a child
    # started with fork or vfork inherits the parent's high-water mark across exec, so after the
    # bench's own read_csv it reported the bench's memory (626 MB at L, where the import used ~420 MB).
    code = (
        "import json,resource,sys,time\n"
        "from pathlib import Path\n"
        "from zorgoverleg.config import load_config\nfrom zorgoverleg.db import Database\nfrom zorgoverleg.importer import import_files\n"
        "db = Database.open(Path(sys.argv[2]))\n"
        "t = time.perf_counter(); import_files(db, [Path(sys.argv[1])], load_config()); t = time.perf_counter() - t\n"
        "db.close()\n"
        "try:\n"
        "    peak = next(int(l.split()[1]) / 1024 for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "except (OSError, StopIteration):\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps([t, peak]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(export), str(db_path)], capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise BenchFailed(f"de import van {export.name} in een apart proces mislukte: "
                          f"{lines[-1] if lines else f'exitcode {done.returncode}'}")
    seconds, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, peak


def _raw_read_csv(export: Path, db_path: Path) -> float:
    con = duckdb.connect(str(db_path), config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    t0 = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv($p, delim=';', header=true)", {"p": str(export)})
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def _list_view(db: Database, config) -> float:
    """Seconds for what the list screen asks when it opens: the first page (300 rows), the
    counts and the pupils whose follow-up is due."""
    t0 = time.perf_counter()
    cursor = db.cursor()
    try:
        prioritised(db, BENCH_TODAY, config, limit=300, cursor=cursor)
        list_counts(db, BENCH_TODAY, config, cursor=cursor)
        review_due_keys(db, BENCH_TODAY, config, cursor=cursor)
    finally:
        cursor.close()
    return time.perf_counter() - t0


async def _ui_timings(db_path: Path, moves: int = 30) -> tuple[float, float]:
    """(seconds from app start to a filled list, median seconds per cursor move).

    A cursor move is the list table's own work: the cursor action plus rendering the
    visible rows again (what the terminal then receives is not counted)."""
    from zorgoverleg.app import ZorgoverlegApp

    started = time.perf_counter()
    app = ZorgoverlegApp(db_path, load_config(), BENCH_TODAY, clock=False,
                         minutes_folder=db_path.parent / "notulen-bench")
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.agenda.rows:
            await asyncio.sleep(0.005)
        await pilot.pause()
        ready = time.perf_counter() - started
        if type(app.screen).__name__ == "StartScreen":
            await pilot.press("ctrl+s")
            await pilot.pause()
        from zorgoverleg.screens.list_table import ListTable

        table = app.agenda.query_one("#agenda-table", ListTable)
        table.focus()
        await pilot.pause()
        samples = []
        region = table.scrollable_content_region
        for _ in range(moves):
            t0 = time.perf_counter()
            table.action_cursor_down()
            table.render_lines(Region(0, 0, region.width, region.height))
            samples.append(time.perf_counter() - t0)
            await pilot.pause()
    return ready, statistics.median(samples)


def _copy_db(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _after_changes(db_path: Path, week: Path, config, rounds: int, flags: int = 10,
                   report: Callable[[str, dict[str, list[float]]], None] = lambda part, out: None,
                   ) -> dict[str, list[float]]:
    """The list after a change, on copies of the database with the list stored: a team flag set
    (the flag written and the list brought up to date), a school week imported on top (the
    import and the list), and the first start after that week's import; each also with the whole
    list computed again, as before the list followed changes pupil by pupil, in the same rounds.
    ``report`` gets each part ("flag", "week", "start") as soon as its last round is measured."""
    out: dict[str, list[float]] = {k: [] for k in (
        "flag", "flag_full", "week", "week_import", "week_full", "start", "start_full")}
    work = db_path.parent / "changes.duckdb"
    for round_ in range(rounds):
        with Database.open(_copy_db(db_path, work)) as db:
            ensure_list(db, BENCH_TODAY, config)
            keys = [k for (k,) in db.execute("bench_pupils", {"seed": round_}).fetchall()][:flags]
            for number, key in enumerate(keys):
                full = number % 2 == 1  # alternately, so both see the same load
                t0 = time.perf_counter()
                set_flag(db, key, "parents_unreachable", True, set_by="bench")
                ensure_list(db, BENCH_TODAY, config, force=full)
                out["flag_full" if full else "flag"].append(time.perf_counter() - t0)
        last = round_ == rounds - 1
        if last:
            report("flag", out)
        for full in (False, True):
            with Database.open(_copy_db(db_path, work)) as db:
                ensure_list(db, BENCH_TODAY, config)
                t0 = time.perf_counter()
                import_files(db, [week], config)
                t1 = time.perf_counter()
                ensure_list(db, BENCH_TODAY, config, force=full)
                out["week_full" if full else "week"].append(time.perf_counter() - t0)
                if not full:
                    out["week_import"].append(t1 - t0)
        if last:
            report("week", out)
        for full in (False, True):
            with Database.open(_copy_db(db_path, work)) as db:
                ensure_list(db, BENCH_TODAY, config)
                import_files(db, [week], config)  # as `zorgoverleg import` before the app starts
                if full:  # as on another day or after other settings: everyone computed again
                    db.execute("bench_forget_list")
            out["start_full" if full else "start"].append(asyncio.run(_ui_timings(work, moves=1))[0])
        if last:
            report("start", out)
        work.unlink()
    return out


def run_bench(size: str, rounds: int = 3, folder: Path | None = None) -> int:
    if size in NEEDS_DIR and folder is None:
        print(f"zorgoverleg: --size {size} schrijft een bestand van enkele gigabytes; kies met --dir een map "
              "met genoeg vrije ruimte (de bench schrijft nooit zo veel naar een tijdelijke map).", file=sys.stderr)
        return 1
    if folder is not None and not folder.is_dir():
        print(f"zorgoverleg: {folder}: map bestaat niet; maak ze aan of kies een andere map met --dir.",
              file=sys.stderr)
        return 1
    try:
        return _run_bench(size, rounds, folder)
    except (BenchFailed, ImportRefused) as exc:  # what was measured so far is printed already
        print(f"zorgoverleg: bench {size}: {exc}", file=sys.stderr)
        return 1


def _run_bench(size: str, rounds: int, folder: Path | None) -> int:
    pupils = SIZES[size]
    config = load_config()
    with tempfile.TemporaryDirectory(prefix="zorgoverleg-bench-", dir=folder) as tmp:
        folder = Path(tmp)
        export = folder / "export.csv"
        t0 = time.perf_counter()
        rows = write_export(export, pupils)
        _say(f"bench {size}: {pupils:,} leerlingen, {rows:,} regels ({export.stat().st_size / 1e6:.0f} MB), "
             f"gemaakt in {time.perf_counter() - t0:.1f} s; {rounds} rondes, medianen")
        # The same absences as periods and wide per day, imported in the same rounds as the
        # long file (close together: the machine's load drifts).
        # At XL they are left out (another 7 GB and half an hour of writing); S, M and L measure them.
        shapes = {} if size == "XL" else {"periodes": folder / "export_periodes.csv",
                                          "breed": folder / "export_breed.csv"}
        if shapes:
            write_periods_export(shapes["periodes"], pupils)
            write_wide_export(shapes["breed"], pupils)
        shaped: dict[str, list[float]] = {label: [] for label in shapes}
        raw, imports, peaks = [], [], []
        for round_ in range(rounds):
            for label, other in shapes.items():
                other_db = folder / f"{label}{round_}.duckdb"
                shaped[label].append(_import_in_child(other, other_db)[0])
                other_db.unlink()
            raw.append(_raw_read_csv(export, folder / f"raw{round_}.duckdb"))
            (folder / f"raw{round_}.duckdb").unlink()
            db_path = folder / f"db{round_}.duckdb"
            seconds, peak = _import_in_child(export, db_path)
            imports.append(seconds)
            peaks.append(peak)
            if round_ < rounds - 1:
                db_path.unlink()
        # Each figure is printed as soon as it is measured (a long XL run that fails later keeps them).
        ratio = _ms(imports) / _ms(raw)
        _say(f"  DuckDB read_csv (vloer)      {_ms(raw):8.0f} ms")
        _say(f"  import                       {_ms(imports):8.0f} ms   {ratio:.2f} x read_csv")
        _say(f"  piekgeheugen import          {statistics.median(peaks):8.0f} MB")
        for label, times in shaped.items():
            _say(f"  import {label:<21} {_ms(times):8.0f} ms   {_ms(times) / _ms(imports):.2f} x import")
        db_path = folder / f"db{rounds - 1}.duckdb"
        compute, cold, warm, whole = [], [], [], []
        for _ in range(rounds):
            with Database.open(db_path) as db:
                t0 = time.perf_counter()
                ensure_list(db, BENCH_TODAY, config, force=True)
                compute.append(time.perf_counter() - t0)
            with Database.open(db_path) as db:
                cold.append(_list_view(db, config))
                for _ in range(3):
                    warm.append(_list_view(db, config))
                t0 = time.perf_counter()
                prioritised(db, BENCH_TODAY, config)
                whole.append(time.perf_counter() - t0)
        _say(f"  lijst berekenen (na import)  {_ms(compute):8.0f} ms")
        _say(f"  lijst koud                   {_ms(cold):8.0f} ms")
        _say(f"  lijst warm                   {_ms(warm):8.0f} ms")
        _say(f"  hele lijst als rijen         {_ms(whole):8.0f} ms")
        ready, moves = [], []
        for _ in range(rounds):
            r, m = asyncio.run(_ui_timings(db_path))
            ready.append(r)
            moves.append(m)
        _say(f"  start tot lijst (headless)   {_ms(ready):8.0f} ms")
        _say(f"  cursor omlaag in de lijst    {_ms(moves):8.1f} ms")
        week = folder / "week.csv"
        week_rows = write_week_export(week, pupils)
        if size == "XL" and not os.environ.get("ZORGOVERLEG_MEMORY_LIMIT"):
            # 60M records: a week imported on top replaces records in every row group of absences,
            # and DuckDB holds those blocks until the commit (about 800 MB), more than the default
            os.environ["ZORGOVERLEG_MEMORY_LIMIT"] = XL_MEMORY_LIMIT
            _say(f"  (vanaf hier mag DuckDB {XL_MEMORY_LIMIT} gebruiken, ZORGOVERLEG_MEMORY_LIMIT; standaard 512MB)")

        def report(part: str, changes: dict[str, list[float]]) -> None:
            if part == "flag":
                _say(f"  lijst na teamsignaal         {_ms(changes['flag']):8.0f} ms   "
                     f"(hele lijst opnieuw: {_ms(changes['flag_full']):.0f} ms)")
            elif part == "week":
                _say(f"  lijst na weekimport          {_ms(changes['week']):8.0f} ms   ({week_rows:,} regels; "
                     f"import {_ms(changes['week_import']):.0f} ms; hele lijst opnieuw: "
                     f"{_ms(changes['week_full']):.0f} ms)")
            else:
                _say(f"  start met lijst te berekenen {_ms(changes['start']):8.0f} ms   (na de weekimport; hele "
                     f"lijst opnieuw, zoals op een andere dag: {_ms(changes['start_full']):.0f} ms)")

        # at XL a whole list takes minutes: two flags (one with the whole list) instead of ten
        _after_changes(db_path, week, config, rounds, flags=2 if size == "XL" else 10, report=report)
        _say(f"  piekgeheugen dit proces      {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB")
    return 0
