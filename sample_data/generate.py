"""Generate the synthetic sample school used by `zorgoverleg demo` and the tests.

Run from the project root:

    python sample_data/generate.py            # rewrites the files beside this script
    python sample_data/generate.py --out DIR  # writes them into DIR instead

Three files are written, byte-for-byte identical on every run (fixed seed, standard library only):

* ``absences.csv``         Informat-like export: UTF-8 with BOM, ``;``, CRLF, one row per absent
                           half-day or late event, about 400 pupils, school year 2025-2026.
* ``lesuren.csv``          a small per-lesson-hour export (comma, UTF-8 without BOM, LF).
* ``absences_cp1252.csv``  a small export in cp1252 with accented names and other column names.

All names are invented from syllables; any resemblance to a real person is accidental.
The pupils with a story (ids 001001-001014, plus two pupils without a number) are described in
``STORIES`` below and in README.md; 001014 also has rows of the school year before (2024-25). The demo looks at the data with "today" = 2026-03-13.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # so `zorgoverleg.calendar` imports when run as a script

from zorgoverleg.calendar import SchoolCalendar  # noqa: E402

SEED = 20250901
SCHOOL_YEAR = 2025
START = date(2025, 9, 1)
END = date(2026, 6, 30)
TODAY = date(2026, 3, 13)  # the demo's "today"

MAIN_FILE = "absences.csv"
LESSON_FILE = "lesuren.csv"
CP1252_FILE = "absences_cp1252.csv"

MAIN_HEADER = ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Geboortedatum", "Datum", "Dagdeel",
               "Code", "Opmerking"]
LESSON_HEADER = ["leerling_id", "familienaam", "voornaam", "klas", "datum", "lesuur",
                 "afwezigheidscode", "reden"]
CP1252_HEADER = ["Stamboeknummer", "Familienaam", "Voornaam", "Klas", "Geboortedatum", "Datum",
                 "Moment", "Code", "Reden"]

# Three classes per grade year; the first digit is the year.
CLASSES = {
    1: ["1A", "1B", "1C"],
    2: ["2A", "2B", "2C"],
    3: ["3STW", "3ECO", "3LAT"],
    4: ["4STW", "4ECO", "4WET"],
    5: ["5WEWI", "5ECMT", "5HUW"],
    6: ["6LAT", "6WEWI", "6ECWI"],
}
CLASS_ORDER = {klas: i for i, klas in enumerate(k for year in sorted(CLASSES) for k in CLASSES[year])}

STORIES = {
    "001001": "1st year (1B): from November increasingly absent, whole and partial days, Z/-/B mix; "
              "5-7 B half-days and 8+ partial days by 13 March",
    "001002": "4th year (4ECO): quiet pupil, all absences justified (Z, later D, one R) but clustered on "
              "Mondays and on the first school day after autumn, Christmas and carnival; no B",
    "001003": "3rd year (3STW): nothing until February, then only B-codes, accelerating: 14+ B half-days "
              "in the six weeks before 13 March and no justified absence at all",
    "001004": "5th year (5WEWI): B half-days hidden next to parents'-note (Z) days: the day before, the day "
              "after or the other half of the same day, spread over the year",
    "001005": "2nd year (2A): long illness, D (medical certificate) on every school half-day from "
              "12 January to 20 February 2026 (over 21 consecutive calendar days)",
    "001006": "6th year (6LAT): often late, about 20 L events by 13 March spread over the year, "
              "hardly absent",
    "001007": "2nd year (2C): six short illness episodes on a parents' note (1-2 days) plus one of "
              "4 consecutive school days",
    "001008": "1st year (1A): 30+ B half-days by March (school allowance at risk), recent ones still '-'",
    "001009": "3rd year (3ECO): absences concentrated on Friday afternoons, mostly B and Z",
    "001010": "6th year (6WEWI, 3rd grade): B half-days every month from October, 12 by 13 March",
    "001011": "4th year (4STW): chronic illness, 1-2 days with a medical certificate about every three "
              "weeks, 24 half-days by 13 March; the team can mark the pupil chronically ill (TOAH)",
    "001012": "2nd year (2B): four times ill on Monday-Tuesday, each time B on the Wednesday morning, the "
              "first day back",
    "001013": "3rd year (3LAT): a parents' note for Thursday-Friday-Monday in February (5 calendar days)",
    "001014": "4th year (4WET): 26 B half-days last school year (2024-25, 3LAT, in the export too), "
              "2 this year",
    "no-id": "two pupils without a Leerlingnummer (1C and 4WET), identified by name and class, with a "
             "few ordinary absences",
}

# ---------------------------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------------------------

CAL = SchoolCalendar(SCHOOL_YEAR)
LAST_CAL = SchoolCalendar(SCHOOL_YEAR - 1)  # 2024-25: earlier-year rows of one story pupil


def _all_days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


SCHOOL_DAYS: list[date] = [d for d in _all_days(START, END) if CAL.is_school_day(d)]
DAY_INDEX = {d: i for i, d in enumerate(SCHOOL_DAYS)}
# The ten school days up to and including "today": absences there may still be coded '-'.
LAST10 = set(SCHOOL_DAYS[DAY_INDEX[TODAY] - 9: DAY_INDEX[TODAY] + 1])
LAST5 = set(SCHOOL_DAYS[DAY_INDEX[TODAY] - 4: DAY_INDEX[TODAY] + 1])


def halves(d: date) -> tuple[str, ...]:
    return tuple((CAL if d >= START else LAST_CAL).halfdays_on(d))


def days_in(first: date, last: date, weekdays: tuple[int, ...] | None = None) -> list[date]:
    """School days in [first, last], optionally only on the given weekdays (0 = Monday)."""
    return [d for d in SCHOOL_DAYS if first <= d <= last and (weekdays is None or d.weekday() in weekdays)]


def next_school_day(d: date) -> date:
    while not CAL.is_school_day(d):
        d += timedelta(days=1)
    return d


def possible_halfdays(first: date, last: date) -> int:
    return sum(len(halves(d)) for d in days_in(first, last))


# Illness is more frequent in winter.
SEASON_WEIGHT = {9: 0.6, 10: 0.9, 11: 1.1, 12: 1.3, 1: 1.4, 2: 1.4, 3: 1.1, 4: 0.9, 5: 0.8, 6: 0.6}

# ---------------------------------------------------------------------------------------------
# Invented names
# ---------------------------------------------------------------------------------------------

ONSETS = ["B", "Br", "D", "Dr", "G", "Gr", "H", "K", "Kl", "Kr", "L", "M", "N", "P", "Pl", "R", "Sl",
          "Sm", "Sn", "St", "T", "Tr", "V", "Vl", "W", "Wr", "Z", "Zw"]
VOWELS = ["a", "e", "i", "o", "u", "ae", "oe", "ee", "ie", "ou", "y", "aa", "ui"]
CODAS = ["l", "m", "n", "r", "s", "k", "rk", "lm", "nd", "st", "ts", "ck", "p", "rt", "lk", "ng", "mp"]
SURNAME_ENDINGS = ["aert", "mans", "ckx", "ssens", "eels", "ens", "ers", "inck", "ghe", "ebroeck",
                   "enhove", "aere", "elinck", "ijns", "uyt"]
PLACE_ENDINGS = ["hove", "dale", "berghe", "acker", "velde", "straete", "loo", "broek", "meersch", "kerke"]

FIRST_STARTS = ["Ja", "Li", "Mo", "Se", "No", "Ro", "Wa", "Fe", "Ti", "El", "Ar", "Bo", "Ka", "Lu",
                "Mi", "Ne", "Ze", "Ju", "Ri", "Da", "Vi", "Ha", "Ye", "Co", "Sa", "Ste", "Bra", "Flo"]
FIRST_MIDDLES = ["", "", "", "ne", "ro", "la", "mi", "si", "ve", "bo", "ri", "da", "to", "ni", "le"]
FIRST_ENDINGS_F = ["a", "e", "ke", "ne", "na", "ja", "ie", "ra", "lle", "ëlle", "ëna", "sa", "lien"]
FIRST_ENDINGS_M = ["o", "s", "n", "rt", "mon", "rik", "ur", "bert", "ijn", "ël", "ro", "las", "mar", "ten"]


def surname_stem(rng: Random) -> str:
    return rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)


def invent_surname(rng: Random) -> str:
    while True:
        name = _surname(rng)
        if not re.search(r"[^aeiouyë ]{4}", name.lower()):
            return name


def _surname(rng: Random) -> str:
    style = rng.random()
    stem = surname_stem(rng)
    if style < 0.45:
        return stem + rng.choice(SURNAME_ENDINGS)
    if style < 0.60:
        return "Ver" + stem.lower() + rng.choice(["e", "en", "aet", "ruggen", "straete"])
    if style < 0.78:
        return "Van " + ("de " if rng.random() < 0.4 else "") + stem + rng.choice(PLACE_ENDINGS)
    return "De " + stem + rng.choice(["e", "er", "ere", "ie", "eleer"])


AWKWARD = re.compile(r"[aeiouyë]{3}|aa|ii|uu|rr|[aeo]ij")


def invent_first_name(rng: Random) -> str:
    endings = FIRST_ENDINGS_F if rng.random() < 0.5 else FIRST_ENDINGS_M
    while True:
        name = rng.choice(FIRST_STARTS) + rng.choice(FIRST_MIDDLES) + rng.choice(endings)
        if len(name) >= 4 and not AWKWARD.search(name.lower()):
            return name

# ---------------------------------------------------------------------------------------------
# Pupils and their rows
# ---------------------------------------------------------------------------------------------


@dataclass
class Pupil:
    pupil_id: str  # may be "" (a pupil without a number)
    last_name: str
    first_name: str
    klas: str
    birth: date
    earlier_klas: str = ""  # the class in 2024-25, for the rows of that school year
    # (date, "VM"/"NM") -> (code, note); one row per absent half-day or late event.
    rows: dict[tuple[date, str], tuple[str, str]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return int(self.klas[0])

    def add(self, d: date, half: str, code: str, note: str = "", overwrite: bool = False) -> bool:
        if half not in halves(d):
            raise ValueError(f"{self.pupil_id or self.last_name}: no {half} on {d}")
        if (d, half) in self.rows and not overwrite:
            return False
        self.rows[(d, half)] = (code, note)
        return True

    def add_day(self, d: date, code: str, note: str = "") -> None:
        """All half-days of one day; the note goes on the first row only."""
        for i, half in enumerate(halves(d)):
            self.add(d, half, code, note if i == 0 else "")

    def is_free(self, d: date) -> bool:
        return all((d, h) not in self.rows for h in ("VM", "NM"))

    def absent_count(self, first: date = START, last: date = END) -> int:
        return sum(1 for (d, _), (code, _) in self.rows.items() if first <= d <= last and code != "L")


class School:
    def __init__(self, rng: Random):
        self.rng = rng
        self.pupils: list[Pupil] = []
        self.used_ids: set[str] = set()
        self.used_names: set[tuple[str, str, str]] = set()

    def new_pupil(self, klas: str, pupil_id: str | None = None, rng: Random | None = None) -> Pupil:
        rng = rng or self.rng
        if pupil_id is None:
            while True:
                pupil_id = f"{rng.randint(2000, 8999):06d}"
                if pupil_id not in self.used_ids:
                    break
        if pupil_id:
            self.used_ids.add(pupil_id)
        while True:
            last, first = invent_surname(rng), invent_first_name(rng)
            if (last, first, klas) not in self.used_names:
                self.used_names.add((last, first, klas))
                break
        year = int(klas[0])
        birth_year = 2014 - year - (1 if rng.random() < 0.06 else 0)  # a few repeated a year
        birth = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
        pupil = Pupil(pupil_id, last, first, klas, birth)
        self.pupils.append(pupil)
        return pupil

# ---------------------------------------------------------------------------------------------
# Ordinary pupils
# ---------------------------------------------------------------------------------------------


ILLNESS_NOTES = ["briefje ouders", "briefje ouders", "ziek", "koorts", "griep", "buikgriep"]


def pick_day(rng: Random, pupil: Pupil, candidates: list[date], weighted: bool = True,
             blocked: tuple[date, date] | None = None, avoid_wednesday: bool = False) -> date | None:
    """A random free school day from candidates (seasonally weighted), or None."""
    pool = [d for d in candidates if pupil.is_free(d)
            and not (blocked and blocked[0] <= d <= blocked[1])
            and not (avoid_wednesday and d.weekday() == 2)]
    if not pool:
        return None
    weights = [SEASON_WEIGHT[d.month] for d in pool] if weighted else None
    return rng.choices(pool, weights=weights)[0]


def add_illness_episode(rng: Random, pupil: Pupil, candidates: list[date],
                        blocked: tuple[date, date] | None = None, max_days: int = 3) -> None:
    start = pick_day(rng, pupil, candidates, blocked=blocked)
    if start is None:
        return
    n_days = rng.choices([1, 2, 3, 4, 5], weights=[50, 30, 15, 3, 2])[0]
    n_days = min(n_days, max_days)
    i = DAY_INDEX[start]
    days = [d for d in SCHOOL_DAYS[i:i + n_days]
            if d <= candidates[-1] and pupil.is_free(d) and not (blocked and blocked[0] <= d <= blocked[1])]
    # A parents' note covers up to three days; longer episodes, and some short ones, get a certificate.
    code = "D" if n_days > 3 or rng.random() < 0.15 else "Z"
    note = "medisch attest" if code == "D" and rng.random() < 0.5 else (
        rng.choice(ILLNESS_NOTES) if rng.random() < 0.25 else "")
    if code == "Z" and days and (days[-1] - days[0]).days + 1 > 3:
        # Three school days over a weekend (Thu-Fri-Mon) are five calendar days: a certificate.
        # Decided after the draws above, so the rest of the data stays the same.
        code = "D"
        note = "medisch attest" if note == "briefje ouders" else note
    if n_days == 1 and len(halves(start)) == 2 and rng.random() < 0.2:
        # Went home ill at noon, or came in after lunch.
        pupil.add(start, rng.choice(["VM", "NM"]), code, note or "naar huis, ziek")
        return
    for j, d in enumerate(days):
        pupil.add_day(d, code, note if j == 0 else "")


def add_doctor_visit(rng: Random, pupil: Pupil, candidates: list[date], blocked=None) -> None:
    d = pick_day(rng, pupil, candidates, weighted=False, blocked=blocked)
    if d is not None:
        pupil.add(d, rng.choice(halves(d)), rng.choice(["Z", "D"]),
                  rng.choice(["doktersbezoek", "tandarts", "orthodontist", "doktersbezoek", ""]))


def add_legal_or_personal(rng: Random, pupil: Pupil, candidates: list[date], blocked=None) -> None:
    d = pick_day(rng, pupil, candidates, weighted=False, blocked=blocked)
    if d is None:
        return
    kind = rng.random()
    if kind < 0.35:
        pupil.add_day(d, "R", "begrafenis grootouder")
    elif kind < 0.55:
        pupil.add_day(d, "R", "huwelijk familielid")
    elif kind < 0.70:
        pupil.add(d, rng.choice(halves(d)), "R03", "")
    elif kind < 0.80:
        pupil.add(d, "VM", "R", "familiale omstandigheden")
    else:
        pupil.add(d, rng.choice(halves(d)), "P", rng.choice(["", "persoonlijke redenen", "afspraak"]))


LATE_NOTES = ["", "", "", "", "bus te laat", "trein vertraagd", "fietspanne", "verslapen"]


def add_lates(rng: Random, pupil: Pupil, n: int, candidates: list[date], spread: bool = False) -> None:
    """n late events (L); with spread=True one in each of n equal stretches of the period."""
    if spread:
        size = len(candidates) / n
        chunks = [candidates[int(k * size):int((k + 1) * size)] for k in range(n)]
    else:
        chunks = [candidates] * n
    for chunk in chunks:
        d = pick_day(rng, pupil, chunk, weighted=False)
        if d is None:
            continue
        half = "NM" if len(halves(d)) == 2 and rng.random() < 0.2 else "VM"
        pupil.add(d, half, "L", rng.choice(LATE_NOTES))


def ordinary_absences(rng: Random, pupil: Pupil, high: bool = False,
                      blocked: tuple[date, date] | None = None) -> None:
    """A normal year: scattered illness, some R/P, a little lateness.

    high=True gives one of the pupils who are away about 10% of the half-days, for ordinary reasons.
    """
    before, after = days_in(START, TODAY), days_in(TODAY + timedelta(days=1), END)
    if high:
        rate = rng.uniform(0.095, 0.125)
        for period in (before, after):
            target = rate * possible_halfdays(period[0], period[-1])
            while pupil.absent_count(period[0], period[-1]) < target:
                r = rng.random()
                if r < 0.70:
                    add_illness_episode(rng, pupil, period, blocked)
                elif r < 0.88:
                    add_doctor_visit(rng, pupil, period, blocked)
                else:
                    add_legal_or_personal(rng, pupil, period, blocked)
        add_lates(rng, pupil, rng.choice([1, 2, 3, 4, 5]), SCHOOL_DAYS)
        return

    fixed = dict(pupil.rows)  # rows a story already placed
    while True:  # draw until the pupil stays well under the 10% mark
        pupil.rows = dict(fixed)
        for _ in range(rng.choices([0, 1, 2, 3, 4, 5, 6], weights=[10, 18, 24, 22, 14, 8, 4])[0]):
            add_illness_episode(rng, pupil, SCHOOL_DAYS, blocked)
        for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 30, 17, 8])[0]):
            add_doctor_visit(rng, pupil, SCHOOL_DAYS, blocked)
        for _ in range(rng.choices([0, 1, 2], weights=[55, 35, 10])[0]):
            add_legal_or_personal(rng, pupil, SCHOOL_DAYS, blocked)
        extra_now = pupil.absent_count(START, TODAY) - sum(d <= TODAY for d, _ in fixed)
        rate_now = extra_now / possible_halfdays(START, TODAY)
        rate_year = (pupil.absent_count() - len(fixed)) / possible_halfdays(START, END)
        if rate_now < 0.075 and rate_year < 0.075:
            break
    n_late = rng.choices([0, 1, 2, 3, 4, 5, 6, 8], weights=[30, 20, 15, 12, 9, 6, 5, 3])[0]
    add_lates(rng, pupil, n_late, SCHOOL_DAYS)


def add_a_few_b(rng: Random, pupil: Pupil) -> None:
    """An ordinary pupil with one to three problematic half-days (a skipped afternoon, ...)."""
    for _ in range(rng.randint(1, 3)):
        d = pick_day(rng, pupil, SCHOOL_DAYS, weighted=False)
        if d is not None:
            pupil.add(d, rng.choice(halves(d)), rng.choice(["B", "B", "B01"]), "")


def mark_not_yet_justified(rng: Random, pupil: Pupil) -> None:
    """Illness rows of the last week still waiting for a note are exported with code '-'
    (a note usually arrives within days; older ones were justified in time)."""
    for (d, half), (code, _) in sorted(pupil.rows.items()):
        # Draw for the last ten school days as before, so the rest of the data stays the same.
        if d in LAST10 and code in ("Z", "D") and rng.random() < 0.6 and d in LAST5:
            pupil.rows[(d, half)] = ("-", "")

# ---------------------------------------------------------------------------------------------
# The stories (one function each)
# ---------------------------------------------------------------------------------------------


def pick_free_days(rng: Random, pupil: Pupil, candidates: list[date], n: int,
                   avoid_wednesday: bool = False) -> list[date]:
    pool = [d for d in candidates if pupil.is_free(d) and not (avoid_wednesday and d.weekday() == 2)]
    return sorted(rng.sample(pool, n))


def story_001001_drifting_first_year(rng: Random, p: Pupil) -> None:
    """Two normal months, then from November more and more whole and partial days, Z/-/B."""
    p.add_day(pick_free_days(rng, p, days_in(date(2025, 10, 6), date(2025, 10, 17)), 1,
                             avoid_wednesday=True)[0], "Z", "briefje ouders")
    # (first, last, events); "part:X" = one half absent with code X, the other half present.
    plan = [
        (date(2025, 11, 3), date(2025, 11, 28), ["part:Z", "full:Z"]),
        (date(2025, 12, 1), date(2025, 12, 19), ["part:-", "full:Z", "part:B"]),
        (date(2026, 1, 5), date(2026, 1, 30), ["part:Z", "full:-", "part:B", "full:Z"]),
        (date(2026, 2, 2), date(2026, 2, 27), ["part:B", "full:Z", "part:-", "part:Z", "part:B"]),
        (date(2026, 3, 2), date(2026, 3, 13), ["part:B", "part:-", "full:-", "part:Z", "part:B"]),
        # after the demo date the pattern goes on
        (date(2026, 3, 16), date(2026, 4, 3), ["part:B", "full:Z", "part:B", "part:Z", "full:B"]),
        (date(2026, 4, 20), date(2026, 4, 30), ["part:B", "full:Z", "part:B"]),
        (date(2026, 5, 4), date(2026, 5, 29), ["part:B", "full:B", "part:Z", "part:B", "full:Z"]),
        (date(2026, 6, 1), date(2026, 6, 30), ["part:B", "full:B", "part:Z", "part:B"]),
    ]
    for first, last, events in plan:
        days = pick_free_days(rng, p, days_in(first, last), len(events), avoid_wednesday=True)
        order = rng.sample(events, len(events))
        for d, event in zip(days, order):
            kind, code = event.split(":")
            note = rng.choice(["", "", "buikpijn", "hoofdpijn", "briefje ouders"]) if code == "Z" else ""
            if kind == "full":
                p.add_day(d, code, note)
            else:
                p.add(d, rng.choice(["VM", "NM"]), code, note)


def story_001002_mondays_and_after_breaks(rng: Random, p: Pupil) -> None:
    """All justified, but clustered on Mondays and on the first day back after a holiday."""
    after_break = [next_school_day(date(2025, 11, 3)),   # after the autumn holiday
                   next_school_day(date(2026, 1, 5)),    # after Christmas
                   next_school_day(date(2026, 2, 23))]   # after carnival
    mondays = [d for d in days_in(date(2025, 9, 8), date(2026, 3, 9), (0,)) if d not in after_break]
    other_mondays = sorted(rng.sample(mondays, 5))
    half_monday = other_mondays.pop(rng.randrange(5))
    illness_days = sorted(after_break + other_mondays)
    later = [next_school_day(date(2026, 4, 20)),         # after Easter
             next_school_day(date(2026, 5, 18)),         # after the Ascension weekend
             next_school_day(date(2026, 5, 26))]         # after Whit Monday
    later += rng.sample([d for d in days_in(date(2026, 3, 16), date(2026, 6, 26), (0,)) if d not in later], 2)
    # The first four episodes on a parents' note, after that the school asks for a certificate.
    for n, d in enumerate(sorted(illness_days + later)):
        if n < 4:
            p.add_day(d, "Z", "briefje ouders" if n == 0 else rng.choice(["", "hoofdpijn", "buikpijn"]))
        else:
            p.add_day(d, "D", "medisch attest")
    p.add(half_monday, "VM", "D", "doktersbezoek")
    funeral = pick_free_days(rng, p, days_in(date(2025, 10, 1), date(2026, 2, 12), (3,)), 1)[0]
    p.add_day(funeral, "R", "begrafenis grootouder")


def story_001003_letting_go(rng: Random, p: Pupil) -> None:
    """Nothing at all until February, then only B, faster every week."""
    weeks = [(date(2026, 2, 2), 1), (date(2026, 2, 9), 2), (date(2026, 2, 23), 3),
             (date(2026, 3, 2), 4), (date(2026, 3, 9), 6)]
    monday = date(2026, 3, 16)
    while monday <= END:
        if days_in(monday, monday + timedelta(days=4)):
            weeks.append((monday, 5 + rng.randint(0, 3)))
        monday += timedelta(days=7)
    for monday, n in weeks:
        if monday == date(2026, 2, 2):
            slots = [(date(2026, 2, 6), "NM")]  # the first one: a Friday afternoon
        else:
            slots = [(d, h) for d in days_in(monday, monday + timedelta(days=4)) for h in halves(d)]
            slots = rng.sample(slots, min(n, len(slots)))
        for d, h in slots:
            p.add(d, h, "B01" if rng.random() < 0.1 else "B", "")


def story_001004_hidden_between_illness(rng: Random, p: Pupil) -> None:
    """B half-days right next to parents'-note illness days, so they blend in."""
    # (first, last, illness days, where the B goes, how many B half-days)
    clusters = [
        (date(2025, 10, 6), date(2025, 10, 24), 1, "same", 1),
        (date(2025, 11, 17), date(2025, 11, 28), 1, "after", 1),
        (date(2025, 12, 1), date(2025, 12, 12), 2, "before", 2),
        (date(2026, 1, 12), date(2026, 1, 23), 1, "after", 1),
        (date(2026, 2, 2), date(2026, 2, 12), 2, "same", 1),
        (date(2026, 3, 2), date(2026, 3, 11), 1, "before", 1),
        (date(2026, 4, 20), date(2026, 4, 30), 2, "after", 2),
        (date(2026, 5, 4), date(2026, 5, 12), 1, "same", 1),
        (date(2026, 6, 1), date(2026, 6, 19), 1, "before", 1),
    ]
    for first, last, n_days, where, n_b in clusters:
        # Illness days and their neighbours must be full days (no Wednesday) in one stretch.
        def fits(i: int, n_days: int = n_days) -> bool:
            block = SCHOOL_DAYS[i - 1:i + n_days + 1]
            return (len(block) == n_days + 2 and all(d.weekday() != 2 for d in block)
                    and (block[-1] - block[0]).days <= n_days + 3 and all(p.is_free(d) for d in block))
        starts = [DAY_INDEX[d] for d in days_in(first, last) if fits(DAY_INDEX[d])]
        i = rng.choice(starts)
        ill = SCHOOL_DAYS[i:i + n_days]
        if where == "same":
            sick_half = rng.choice(["VM", "NM"])
            b_half = "NM" if sick_half == "VM" else "VM"
            p.add(ill[-1], b_half, "B", "")
            for j, d in enumerate(ill):
                if d == ill[-1]:
                    p.add(d, sick_half, "Z", "briefje ouders" if j == 0 else "")
                else:
                    p.add_day(d, "Z", "briefje ouders" if j == 0 else "")
            continue
        for j, d in enumerate(ill):
            p.add_day(d, "Z", "briefje ouders" if j == 0 else "")
        neighbour = SCHOOL_DAYS[i - 1] if where == "before" else SCHOOL_DAYS[i + n_days]
        b_halves = ["VM", "NM"] if n_b == 2 else (["NM"] if where == "before" else ["VM"])
        for h in b_halves:
            p.add(neighbour, h, "B", "")


LONG_ILLNESS = (date(2026, 1, 12), date(2026, 2, 20))


def story_001005_long_illness(rng: Random, p: Pupil) -> None:
    """A medical certificate covering every school half-day from 12 January to 20 February."""
    for j, d in enumerate(days_in(*LONG_ILLNESS)):
        p.add_day(d, "D", "medisch attest, langdurig ziek" if j == 0 else "")
    # Otherwise an ordinary year, kept clear of the weeks around the illness.
    ordinary_absences(rng, p, blocked=(date(2026, 1, 1), date(2026, 3, 6)))


def story_001006_often_late(rng: Random, p: Pupil) -> None:
    """About twenty late arrivals by mid-March, evenly spread, and hardly any absence."""
    add_lates(rng, p, 20, days_in(START, TODAY), spread=True)
    add_lates(rng, p, 9, days_in(TODAY + timedelta(days=1), END), spread=True)
    p.add_day(pick_free_days(rng, p, days_in(date(2026, 1, 5), date(2026, 1, 30)), 1)[0], "Z", "griep")
    d = pick_free_days(rng, p, days_in(date(2025, 11, 3), date(2025, 11, 28)), 1)[0]
    p.add(d, halves(d)[0], "R03", "")


def story_001007_many_parents_notes(rng: Random, p: Pupil) -> None:
    """Seven illness episodes on a parents' note, one of them four school days long."""
    # (first, last, school days); the four-day episode starts on a Monday (Mon-Thu).
    episodes = [
        (date(2025, 9, 15), date(2025, 9, 26), 1),
        (date(2025, 10, 6), date(2025, 10, 23), 2),
        (date(2025, 11, 17), date(2025, 11, 27), 1),
        (date(2025, 12, 1), date(2025, 12, 8), 4),
        (date(2026, 1, 12), date(2026, 1, 29), 2),
        (date(2026, 2, 2), date(2026, 2, 12), 1),
        (date(2026, 2, 23), date(2026, 3, 5), 2),
    ]
    for first, last, n in episodes:
        if n == 4:
            starts = [d for d in days_in(first, last, (0,))
                      if all(CAL.is_school_day(d + timedelta(days=k)) for k in range(4))]
        else:
            # Episodes within one week, so each is one short stretch.
            starts = [d for d in days_in(first, last) if d.weekday() + n <= 5 and
                      all(CAL.is_school_day(d + timedelta(days=k)) for k in range(n))]
        start = rng.choice(starts)
        for k in range(n):
            p.add_day(start + timedelta(days=k), "Z", "briefje ouders" if k == 0 else "")
    d = pick_free_days(rng, p, days_in(date(2026, 4, 20), date(2026, 6, 12)), 1)[0]
    p.add_day(d, "D", "medisch attest")


def story_001008_allowance_at_risk(rng: Random, p: Pupil) -> None:
    """B from late September onwards, 31 B half-days by 13 March; the latest still '-'."""
    before_recent = [d for d in days_in(date(2025, 9, 22), TODAY) if d not in LAST10]
    recent = sorted(LAST10)
    # 29 B half-days before the last ten school days: a mix of whole and half days, slowly rising.
    b_budget = 29
    while b_budget > 0:
        weights = [1 + 2 * DAY_INDEX[d] / len(SCHOOL_DAYS) for d in before_recent]
        d = rng.choices(before_recent, weights=weights)[0]
        if not p.is_free(d):
            continue
        if b_budget >= 2 and len(halves(d)) == 2 and rng.random() < 0.45:
            p.add_day(d, "B")
            b_budget -= 2
        else:
            p.add(d, rng.choice(halves(d)), "B")
            b_budget -= 1
    # The last ten school days: two more B and four half-days not yet coded.
    days = pick_free_days(rng, p, recent, 5, avoid_wednesday=True)
    p.add(days[0], "NM", "B")
    p.add(days[1], "VM", "B")
    p.add_day(days[2], "-")
    p.add(days[3], "VM", "-")
    p.add(days[4], "NM", "-")
    # Two illness days on a parents' note.
    for d in pick_free_days(rng, p, days_in(date(2025, 10, 1), date(2026, 2, 13)), 2, avoid_wednesday=True):
        p.add_day(d, "Z", "briefje ouders")
    # And it goes on after the demo date.
    for d in pick_free_days(rng, p, days_in(TODAY + timedelta(days=1), END), 18):
        if len(halves(d)) == 2 and rng.random() < 0.5:
            p.add_day(d, "B")
        else:
            p.add(d, rng.choice(halves(d)), "B")


def story_001009_friday_afternoons(rng: Random, p: Pupil) -> None:
    """Absent on Friday afternoons again and again, mostly B and Z."""
    fridays = days_in(date(2025, 9, 12), TODAY, (4,))
    chosen = pick_free_days(rng, p, fridays, 11)
    codes = ["B", "B", "B", "B", "B", "B", "Z", "Z", "Z", "Z", "R"]
    rng.shuffle(codes)
    for d, code in zip(chosen, codes):
        p.add(d, "NM", code, "briefje ouders" if code == "Z" and rng.random() < 0.5 else "")
    # One whole Friday ill, one ordinary illness day midweek.
    p.add_day(pick_free_days(rng, p, fridays, 1)[0], "Z", "briefje ouders")
    p.add_day(pick_free_days(rng, p, days_in(date(2025, 11, 3), date(2025, 12, 18), (1, 3)), 1)[0], "Z")
    later = pick_free_days(rng, p, days_in(TODAY + timedelta(days=1), END, (4,)), 7)
    for d in later:
        p.add(d, "NM", rng.choice(["B", "B", "Z"]))

def story_001010_third_grade_b(rng: Random, p: Pupil) -> None:
    """A 6th-year pupil (3rd grade): B half-days in every month from October, 12 by 13 March,
    a few illness days; the B goes on after March."""
    months = [(date(2025, 10, 1), date(2025, 10, 31), 1), (date(2025, 11, 3), date(2025, 11, 28), 2),
              (date(2025, 12, 1), date(2025, 12, 19), 2), (date(2026, 1, 5), date(2026, 1, 30), 2),
              (date(2026, 2, 2), date(2026, 2, 27), 3), (date(2026, 3, 2), date(2026, 3, 6), 2)]
    for first, last, n in months:
        for d in pick_free_days(rng, p, days_in(first, last), n, avoid_wednesday=True):
            p.add(d, rng.choice(["VM", "NM"]), "B")
    for d in pick_free_days(rng, p, days_in(date(2025, 10, 6), date(2026, 2, 13)), 2, avoid_wednesday=True):
        p.add_day(d, "Z", "briefje ouders")
    for d in pick_free_days(rng, p, days_in(TODAY + timedelta(days=1), END), 6, avoid_wednesday=True):
        p.add(d, rng.choice(["VM", "NM"]), "B")


def story_001011_chronically_ill(rng: Random, p: Pupil) -> None:
    """A chronic illness: a day or two ill (medical certificate) about every three weeks,
    24 half-days by 13 March. The team can mark the pupil "chronisch ziek" (TOAH rights)."""
    starts = [date(2025, 9, 15), date(2025, 10, 6), date(2025, 10, 20), date(2025, 11, 17),
              date(2025, 12, 8), date(2026, 1, 12), date(2026, 2, 2), date(2026, 2, 23),
              date(2026, 4, 20), date(2026, 5, 11), date(2026, 6, 1)]
    for k, monday in enumerate(starts):
        week = [d for d in days_in(monday, monday + timedelta(days=4)) if d.weekday() in (1, 3)]
        n = 2 if k % 2 == 0 else 1
        for j, d in enumerate(week[:n]):
            p.add_day(d, "D", "medisch attest, chronische aandoening" if j == 0 else "")


def story_001012_back_after_illness(rng: Random, p: Pupil) -> None:
    """Four times ill on Monday and Tuesday (twice on a parents' note, twice with a certificate),
    and each time absent (B) on the Wednesday morning, the first school day back."""
    mondays = [d for d in days_in(date(2025, 10, 6), date(2026, 3, 6), (0,))
               if all(CAL.is_school_day(d + timedelta(days=k)) for k in range(3))]
    for k, monday in enumerate(sorted(rng.sample(mondays, 4))):
        code, note = ("Z", "briefje ouders") if k % 2 == 0 else ("D", "medisch attest")
        p.add_day(monday, code, note)
        p.add_day(monday + timedelta(days=1), code)
        p.add(monday + timedelta(days=2), "VM", "B")


def story_001013_note_over_weekend(rng: Random, p: Pupil) -> None:
    """Two illness episodes on a parents' note: one Tuesday, and Thursday-Friday-Monday in
    February: three school days, five calendar days, more than a note may cover."""
    p.add_day(date(2025, 11, 25), "Z", "briefje ouders")
    for j, d in enumerate((date(2026, 2, 5), date(2026, 2, 6), date(2026, 2, 9))):
        p.add_day(d, "Z", "briefje ouders" if j == 0 else "")
    d = pick_free_days(rng, p, days_in(date(2025, 10, 1), date(2025, 12, 19)), 1)[0]
    p.add(d, halves(d)[0], "R03", "")


def story_001014_earlier_year(rng: Random, p: Pupil) -> None:
    """Last school year (2024-25, class 3LAT) 26 B half-days and frequent illness; this year
    so far only two B half-days and a few illness days. The export holds both years."""
    last_year = [d for d in LAST_CAL.school_days() if d.month not in (7, 8)]
    budget = 26
    while budget > 0:
        d = rng.choice(last_year)
        if not p.is_free(d):
            continue
        p.add(d, rng.choice(halves(d)), "B")
        budget -= 1
    for d in rng.sample([d for d in last_year if p.is_free(d)], 9):
        p.add_day(d, "Z", "briefje ouders")
    for d in pick_free_days(rng, p, days_in(date(2025, 10, 1), date(2026, 3, 6)), 2, avoid_wednesday=True):
        p.add(d, "NM", "B")
    for d in pick_free_days(rng, p, days_in(date(2025, 9, 15), date(2026, 2, 27)), 2, avoid_wednesday=True):
        p.add_day(d, "Z", "briefje ouders")


# Story pupils added later: drawn from their own random stream (NEW_SEED) and on top of the
# class sizes, so that every other pupil's rows stay what they were.
NEW_SEED = SEED + 13
NEW_STORY_CLASSES = {
    "001010": ("6WEWI", story_001010_third_grade_b),
    "001011": ("4STW", story_001011_chronically_ill),
    "001012": ("2B", story_001012_back_after_illness),
    "001013": ("3LAT", story_001013_note_over_weekend),
    "001014": ("4WET", story_001014_earlier_year),
}
EARLIER_KLAS = {"001014": "3LAT"}

# ---------------------------------------------------------------------------------------------
# Building the school
# ---------------------------------------------------------------------------------------------


STORY_CLASSES = {
    "001001": ("1B", story_001001_drifting_first_year),
    "001002": ("4ECO", story_001002_mondays_and_after_breaks),
    "001003": ("3STW", story_001003_letting_go),
    "001004": ("5WEWI", story_001004_hidden_between_illness),
    "001005": ("2A", story_001005_long_illness),
    "001006": ("6LAT", story_001006_often_late),
    "001007": ("2C", story_001007_many_parents_notes),
    "001008": ("1A", story_001008_allowance_at_risk),
    "001009": ("3ECO", story_001009_friday_afternoons),
}
NO_ID_CLASSES = ["1C", "4WET"]


def build_school(rng: Random) -> list[Pupil]:
    school = School(rng)
    # Class sizes: 21-24 pupils, three classes a year, about 67 pupils a year.
    sizes = {klas: rng.randint(21, 24) for year in sorted(CLASSES) for klas in CLASSES[year]}
    for pupil_id in STORY_CLASSES:
        school.used_ids.add(pupil_id)

    story_pupils = {pid: school.new_pupil(klas, pid) for pid, (klas, _) in STORY_CLASSES.items()}
    no_id_pupils = [school.new_pupil(klas, "") for klas in NO_ID_CLASSES]
    taken = {klas: 0 for klas in sizes}
    for p in list(story_pupils.values()) + no_id_pupils:
        taken[p.klas] += 1
    ordinary = [school.new_pupil(klas) for klas, size in sizes.items() for _ in range(size - taken[klas])]

    # Stories first (their days are chosen on an empty calendar), then everyone else.
    for pid, (_, story) in STORY_CLASSES.items():
        story(rng, story_pupils[pid])
    for p in no_id_pupils:
        ordinary_absences(rng, p)
        while p.absent_count(START, TODAY) < 2:  # make sure the demo shows something for them
            add_illness_episode(rng, p, days_in(START, TODAY))
        mark_not_yet_justified(rng, p)
    n_high = round(0.065 * len(ordinary))
    high = set(rng.sample(range(len(ordinary)), n_high))
    for i, p in enumerate(ordinary):
        ordinary_absences(rng, p, high=i in high)
    for i in rng.sample(sorted(set(range(len(ordinary))) - high), 7):
        add_a_few_b(rng, ordinary[i])
    for p in ordinary:
        mark_not_yet_justified(rng, p)

    extra = Random(NEW_SEED)
    for pid, (klas, story) in NEW_STORY_CLASSES.items():
        school.used_ids.add(pid)
        p = school.new_pupil(klas, pid, rng=extra)
        p.earlier_klas = EARLIER_KLAS.get(pid, "")
        story(extra, p)
        story_pupils[pid] = p

    check_stories(story_pupils)
    return sorted(school.pupils, key=lambda p: (CLASS_ORDER[p.klas], p.last_name, p.first_name))


def check_stories(s: dict[str, Pupil]) -> None:
    """Fail loudly if a change (calendar, seed use) breaks one of the stories."""
    def codes(p: Pupil, first: date = START, last: date = TODAY) -> list[str]:
        return [c for (d, _), (c, _) in p.rows.items() if first <= d <= last]

    def partial_days(p: Pupil, last: date = TODAY) -> int:
        days = {d for (d, _), (c, _) in p.rows.items() if d <= last and c != "L"}
        return sum(1 for d in days if len(halves(d)) == 2
                   and sum((d, h) in p.rows and p.rows[(d, h)][0] != "L" for h in ("VM", "NM")) == 1)

    p = s["001001"]
    assert 5 <= sum(c.startswith("B") for c in codes(p)) <= 7 and partial_days(p) >= 8
    assert not any(d < date(2025, 11, 1) and c != "Z" for (d, _), (c, _) in p.rows.items())
    p = s["001002"]
    assert not any(c.startswith("B") for c in codes(p, START, END)) and 14 <= len(codes(p)) <= 18
    p = s["001003"]
    six_weeks = TODAY - timedelta(weeks=6)
    assert min(p.rows)[0] >= date(2026, 2, 1) and all(c.startswith("B") for c in codes(p, START, END))
    assert sum(1 for c in codes(p, six_weeks)) >= 14
    p = s["001004"]
    assert 6 <= sum(c == "B" for c in codes(p)) <= 8
    p = s["001005"]
    assert all(p.rows.get((d, h), ("",))[0] == "D"
               for d in days_in(*LONG_ILLNESS) for h in halves(d))
    p = s["001006"]
    assert 18 <= codes(p).count("L") <= 22
    p = s["001008"]
    assert sum(c.startswith("B") for c in codes(p)) >= 30 and "-" in codes(p)
    p = s["001010"]
    assert p.klas.startswith(("5", "6")) and 10 <= sum(c == "B" for c in codes(p)) <= 14
    p = s["001011"]
    assert 18 <= sum(c == "D" for c in codes(p)) <= 30 and set(codes(p, START, END)) == {"D"}
    p = s["001012"]
    assert sum(c == "B" for c in codes(p)) == 4
    p = s["001014"]
    assert sum(c == "B" for c in codes(p, LAST_CAL.start, START - timedelta(days=1))) == 26
    assert sum(c == "B" for c in codes(p)) == 2

# ---------------------------------------------------------------------------------------------
# The two small extra exports
# ---------------------------------------------------------------------------------------------


def lesson_rows(rng: Random) -> list[list[str]]:
    """Per lesson hour (1-4 morning, 5-8 afternoon, no afternoon on Wednesday), Sept-Oct 2025."""
    period = days_in(date(2025, 9, 1), date(2025, 10, 31))
    classes = ["1C", "2B", "2B", "3LAT", "3LAT", "4STW", "5HUW", "5HUW", "6WEWI", "6ECWI"]
    rows: list[list[str]] = []
    for n, klas in enumerate(classes, start=1):
        pupil_id = f"{9000 + n:06d}"
        last, first = invent_surname(rng), invent_first_name(rng)
        hours: dict[tuple[date, int], tuple[str, str]] = {}
        target = rng.randint(14, 26)
        while len(hours) < target:
            d = rng.choice(period)
            last_hour = 4 if d.weekday() == 2 else 8
            if any((d, h) in hours for h in range(1, 9)):
                continue
            kind = rng.random()
            if kind < 0.35:
                span, code, note = range(1, last_hour + 1), rng.choice(["Z", "Z", "D"]), "ziek"
            elif kind < 0.50:
                span, code, note = range(1, 3), rng.choice(["Z", "D"]), "doktersbezoek"
            elif kind < 0.70:
                span, code, note = range(1, 2), "L", rng.choice(["bus te laat", "", "verslapen"])
            elif kind < 0.85:
                span = range(5, 9) if last_hour == 8 else range(3, 5)
                code, note = "B", ""
            elif kind < 0.93:
                span, code, note = range(1, last_hour + 1), "R", "begrafenis grootouder"
            else:
                span, code, note = range(3, 5), "P", "persoonlijke redenen"
            for h in span:
                hours[(d, h)] = (code, note)
        for (d, h), (code, note) in sorted(hours.items()):
            rows.append([pupil_id, last, first, klas, d.isoformat(), str(h), code, note])
    return rows


# Hand-made invented names with characters outside ASCII (é, ë, ç, ï) for the cp1252 file.
CP1252_PUPILS = [
    ("010001", "Van Bréloo", "Mériel", "2A", date(2012, 4, 17)),
    ("010002", "De Ploëgere", "Daviël", "3ECO", date(2011, 11, 2)),
    ("010003", "Garçeel", "Luçie", "4STW", date(2010, 6, 23)),
    ("010004", "Heïnckx", "Taïra", "5HUW", date(2009, 2, 8)),
    ("010005", "Verdéckmans", "Noëlka", "1B", date(2013, 9, 30)),
]


def cp1252_rows(rng: Random) -> list[list[str]]:
    period = days_in(date(2025, 11, 3), date(2025, 12, 19))
    notes = {"Z": ["ziek, briefje ouders", "", "koorts"], "D": ["medisch attest"], "B": [""],
             "R": ["begrafenis grootmoeder", "huwelijk tante", ""], "P": ["persoonlijke redenen"],
             "L": ["trein vertraagd", ""]}
    rows = []
    for pupil_id, last, first, klas, birth in CP1252_PUPILS:
        slots: set[tuple[date, str]] = set()
        target = rng.randint(5, 7)
        while len(slots) < target:
            d = rng.choice(period)
            code = rng.choice(["Z", "Z", "Z", "D", "B", "R", "P", "L"])
            wanted = halves(d) if code in ("Z", "D", "R") else (rng.choice(halves(d)),)
            for h in wanted:
                if (d, h) not in slots and len(slots) < target:
                    slots.add((d, h))
                    moment = "voormiddag" if h == "VM" else "namiddag"
                    rows.append([pupil_id, last, first, klas, f"{birth:%d-%m-%Y}", d, moment, code,
                                 rng.choice(notes[code])])
    rows.sort(key=lambda r: (r[0], r[5], r[6] != "voormiddag"))
    return [r[:5] + [f"{r[5]:%d-%m-%Y}"] + r[6:] for r in rows]

# ---------------------------------------------------------------------------------------------
# The same absences in the other shapes of EXPORTS.md (periods, wide per day, Smartschool JSON)
# ---------------------------------------------------------------------------------------------

PERIODS_FILE = "afwezigheden_periodes.csv"
WIDE_FILE = "afwezigheden_per_dag.csv"
JSON_PUPIL_STEM = "getAbsents_{pupil}_2025.json"  # one pupil, one school year (the pupil in the name)
JSON_DATE_FILE = "getAbsentsByDate_2025-10-06.json"  # one date, every pupil
PERIODS_HEADER = ["LL_ID", "LL_NAAM", "LL_VOORNAAM", "KL_CODE", "AF_VAN", "AF_VANUUR", "AF_TOT",
                  "AF_TOTUUR", "AC_CODE", "AC_OMSCHRIJVING"]
WIDE_HEADER = ["Leerlingnummer", "Naam", "Voornaam", "Klas", "Datum", "VM", "NM"]
# the school year before too: one story pupil has rows of 2024-25 (in the other shapes as well)
_SLOTS = [(d, h) for d in [*LAST_CAL.school_days(), *SCHOOL_DAYS] for h in halves(d)]
_SLOT_INDEX = {slot: i for i, slot in enumerate(_SLOTS)}


def period_rows(pupils: list[Pupil]) -> list[list[str]]:
    """Per pupil, runs of consecutive lesson half-days with one code as one period (Wisa's
    shape: AF_VANUUR/AF_TOTUUR 1 = morning, 2 = afternoon); a run may span a weekend or a
    holiday, which the import leaves out again."""
    rows = []
    for p in pupils:
        slots = sorted(p.rows, key=_SLOT_INDEX.__getitem__)
        run: list[tuple[date, str]] = []
        for slot in slots + [None]:
            if run and (slot is None or _SLOT_INDEX[slot] != _SLOT_INDEX[run[-1]] + 1
                        or p.rows[slot][0] != p.rows[run[0]][0]):
                (d0, h0), (d1, h1) = run[0], run[-1]
                code = p.rows[run[0]][0]
                klas = p.earlier_klas if d0 < START and p.earlier_klas else p.klas
                rows.append([p.pupil_id, p.last_name, p.first_name, klas, d0.isoformat(),
                             "1" if h0 == "VM" else "2", d1.isoformat(), "1" if h1 == "VM" else "2",
                             code, p.rows[run[0]][1]])
                run = []
            if slot is not None:
                run.append(slot)
    return rows


def wide_rows(pupils: list[Pupil]) -> list[list[str]]:
    """One row per pupil and date with a code in the VM and NM columns (empty: present)."""
    rows = []
    for p in pupils:
        for d in sorted({d for d, _ in p.rows}):
            cells = [p.rows.get((d, h), ("", ""))[0] for h in ("VM", "NM")]
            klas = p.earlier_klas if d < START and p.earlier_klas else p.klas
            rows.append([p.pupil_id, p.last_name, p.first_name, klas, f"{d:%d/%m/%Y}", *cells])
    return rows


def smartschool_pupil_json(p: Pupil, alias: bool = False) -> dict:
    """getAbsents for one pupil and the school year: every lesson day, "|" present, null
    no lessons (Wednesday afternoon); ``alias`` gives the WithAlias variant's cells."""
    def cell(d: date, h: str):
        if h not in halves(d):
            code, note = None, None
        else:
            code, note = p.rows.get((d, h), ("|", ""))
        return {"code": code, "alias": note or None} if alias else code
    return {d.isoformat(): {"am": cell(d, "VM"), "pm": cell(d, "NM")} for d in SCHOOL_DAYS}


def smartschool_date_json(pupils: list[Pupil], d: date) -> dict:
    """getAbsentsByDate for one date: every pupil with an id, by number."""
    return {p.pupil_id: {"am": p.rows.get((d, "VM"), ("|",))[0],
                         "pm": p.rows.get((d, "NM"), ("|",))[0] if "NM" in halves(d) else None}
            for p in pupils if p.pupil_id}


def write_other_shapes(out: Path, pupils: list[Pupil]) -> dict[str, int]:
    """The sample files of the other shapes, from the same absences as absences.csv."""
    import json

    counts = {}
    for name, header, rows in ((PERIODS_FILE, PERIODS_HEADER, period_rows(pupils)),
                               (WIDE_FILE, WIDE_HEADER, wide_rows(pupils))):
        (out / name).write_bytes(csv_bytes(header, rows, ";", "\r\n", "utf-8"))
        counts[name] = len(rows)
    story = next(p for p in pupils if p.pupil_id == "001001")
    name = JSON_PUPIL_STEM.format(pupil=story.pupil_id)
    (out / name).write_text(json.dumps(smartschool_pupil_json(story, alias=True), indent=1) + "\n", "utf-8")
    counts[name] = len(SCHOOL_DAYS)
    day = date(2025, 10, 6)
    (out / JSON_DATE_FILE).write_text(json.dumps(smartschool_date_json(pupils, day), indent=1) + "\n", "utf-8")
    counts[JSON_DATE_FILE] = sum(1 for p in pupils if p.pupil_id)
    return counts

# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def main_rows(pupils: list[Pupil]) -> list[list[str]]:
    rows = []
    for p in pupils:
        for (d, half), (code, note) in sorted(p.rows.items(), key=lambda kv: (kv[0][0], kv[0][1] == "NM")):
            klas = p.earlier_klas if d < START and p.earlier_klas else p.klas
            rows.append([p.pupil_id, p.last_name, p.first_name, klas, f"{p.birth:%d/%m/%Y}",
                         f"{d:%d/%m/%Y}", half, code, note])
    return rows


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str, line_end: str,
              encoding: str, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def main(out_dir: str | Path | None = None) -> dict[str, int]:
    """Write the three files into out_dir (default: beside this script); return rows per file."""
    out = Path(out_dir) if out_dir is not None else HERE
    out.mkdir(parents=True, exist_ok=True)
    rng = Random(SEED)
    pupils = build_school(rng)
    files = {
        MAIN_FILE: (MAIN_HEADER, main_rows(pupils), ";", "\r\n", "utf-8", True),
        LESSON_FILE: (LESSON_HEADER, lesson_rows(rng), ",", "\n", "utf-8", False),
        CP1252_FILE: (CP1252_HEADER, cp1252_rows(rng), ";", "\r\n", "cp1252", False),
    }
    counts = {}
    for name, (header, rows, delimiter, line_end, encoding, bom) in files.items():
        (out / name).write_bytes(csv_bytes(header, rows, delimiter, line_end, encoding, bom))
        counts[name] = len(rows)
    counts.update(write_other_shapes(out, pupils))
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the synthetic sample school's CSV files.")
    parser.add_argument("--out", metavar="DIR", help="folder to write into (default: sample_data/)")
    args = parser.parse_args()
    for name, n in main(args.out).items():
        print(f"{name}: {n} rows")
