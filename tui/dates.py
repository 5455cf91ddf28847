"""Dates as a Flemish care team types and reads them.

Core module (no Textual). Every date field of the meeting accepts ``dd/mm/jjjj``, ``d/m/jjjj``,
``d/m`` (the day in the meeting's school year), ``dd-mm-jjjj`` and ``jjjj-mm-dd`` (also with ``.``
as separator, and a two-digit year such as ``2/4/26``), and shows ``dd/mm/jjjj``. A date that
cannot be read raises `DateError` with one Dutch sentence that says what to type instead.
"""

from __future__ import annotations

import re
from datetime import date

from zorgoverleg.calendar import school_year_of

__all__ = ["DateError", "parse_date", "format_date", "short_date", "EXAMPLE"]

#: How a date is written in the app (placeholder text of every date field).
EXAMPLE = "dd/mm/jjjj"

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


class DateError(ValueError):
    """A typed date could not be read; the message is one Dutch sentence for the user."""


def _hint(example: date) -> str:
    return f"schrijf de datum als dag/maand/jaar, zoals {format_date(example)} of {example.day}/{example.month}"


def parse_date(text: str, reference: date) -> date:
    """The date in `text`; `reference` is the meeting's day (its school year fills in ``d/m``).

    ``d/m`` without a year is the day in the school year of `reference` (September to August):
    in a meeting of 13/03/2026, ``2/4`` is 2 April 2026 and ``20/10`` is 20 October 2025.
    """
    typed = (text or "").strip()
    example = reference
    if not typed:
        raise DateError(f"Vul een datum in: {_hint(example)}.")
    found = _ISO.match(typed)
    if found:
        year, month, day = (int(g) for g in found.groups())
    else:
        found = _DMY.match(typed)
        if not found:
            raise DateError(f"‘{typed}’ is geen datum: {_hint(example)}.")
        day, month = int(found[1]), int(found[2])
        if found[3] is None:
            start = school_year_of(reference)
            year = start if month >= 9 else start + 1
        elif len(found[3]) == 2:
            year = 2000 + int(found[3])
        else:
            year = int(found[3])
    if not 1 <= month <= 12:
        raise DateError(f"‘{typed}’ is geen datum: een jaar heeft 12 maanden; {_hint(example)}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"‘{typed}’ bestaat niet: {_MONTHS[month - 1]} {year} heeft geen dag {day}; "
                        f"{_hint(example)}.") from None


def format_date(day: date | None) -> str:
    """``dd/mm/jjjj``, or "" for no date."""
    return f"{day:%d/%m/%Y}" if day else ""


def short_date(day: date | None) -> str:
    """``dd/mm`` (for marks such as "vorige keer, 13/03"), or ""."""
    return f"{day:%d/%m}" if day else ""
