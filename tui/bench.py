"""``zorgoverleg bench``: synthetic data at three sizes, import and list timings.

Sizes: S = 1,000 pupils (about 60k records), M = 10,000 (about 600k),
L = 100,000 (about 6M), one school year at half-day granularity.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from tui.calendar import SchoolCalendar
from tui.config import load_config
from tui.db import Database
from tui.importer import import_files
from tui.signals import prioritised

SIZES = {"S": 1_000, "M": 10_000, "L": 100_000}
BENCH_TODAY = date(2026, 3, 13)
HEADER = "Leerlingnummer;Naam;Voornaam;Klas;Geboortedatum;Datum;Dagdeel;Code;Opmerking\n"


def write_export(path: Path, pupils: int, seed: int = 7) -> int:
    """A synthetic export with about 60 records per pupil; returns the number of rows."""
    rng = random.Random(seed)
    calendar = SchoolCalendar(2025)
    slots = [(d.strftime("%d/%m/%Y"), h) for d in calendar.school_days() for h in calendar.halfdays_on(d)]
    codes = ["Z"] * 50 + ["D"] * 10 + ["B"] * 12 + ["R"] * 6 + ["P"] * 4 + ["L"] * 15 + ["-"] * 3
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines = []
        for number in range(pupils):
            year = number % 6 + 1
            klas = f"{year}{'ABC'[number % 3]}"
            born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{2013 - year + 1}"
            pid = f"{number:07d}"
            name = f"Naam{number}"
            for index in sorted(rng.sample(range(len(slots)), 60)):
                day, half = slots[index]
                lines.append(f"{pid};{name};Voornaam{number % 97};{klas};{born};{day};{half};{rng.choice(codes)};\n")
            if len(lines) > 100_000:
                out.writelines(lines)
                rows += len(lines)
                lines.clear()
        out.writelines(lines)
        rows += len(lines)
    return rows


def _median(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run_bench(size: str, rounds: int = 3) -> int:
    pupils = SIZES[size]
    config = load_config()
    with tempfile.TemporaryDirectory(prefix="zorgoverleg-bench-") as tmp:
        folder = Path(tmp)
        export = folder / "export.csv"
        t0 = time.perf_counter()
        rows = write_export(export, pupils)
        print(f"bench {size}: {pupils:,} leerlingen, {rows:,} regels ({export.stat().st_size / 1e6:.0f} MB), "
              f"gemaakt in {time.perf_counter() - t0:.1f} s")
        raw, imports, cold, warm = [], [], [], []
        for round_ in range(rounds):
            con = duckdb.connect(str(folder / f"raw{round_}.duckdb"))
            t0 = time.perf_counter()
            con.execute(
                "CREATE TABLE t AS SELECT * FROM read_csv($p, delim=';', header=true)", {"p": str(export)}
            )
            raw.append(time.perf_counter() - t0)
            con.close()
            path = folder / f"db{round_}.duckdb"
            with Database.open(path) as db:
                t0 = time.perf_counter()
                import_files(db, [export], config)
                imports.append(time.perf_counter() - t0)
            with Database.open(path, read_only=True) as db:
                t0 = time.perf_counter()
                prioritised(db, BENCH_TODAY, config)
                cold.append(time.perf_counter() - t0)
                for _ in range(3):
                    t0 = time.perf_counter()
                    prioritised(db, BENCH_TODAY, config)
                    warm.append(time.perf_counter() - t0)
        print(f"  DuckDB read_csv (vloer):   {_median(raw):8.0f} ms")
        print(f"  import:                    {_median(imports):8.0f} ms  ({_median(imports) / _median(raw):.2f} x read_csv)")
        print(f"  lijst koud:                {_median(cold):8.0f} ms")
        print(f"  lijst warm:                {_median(warm):8.0f} ms")
    return 0
