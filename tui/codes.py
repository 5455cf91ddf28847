"""Absence codes: raw export codes mapped to official codes and categories.

Pure data and functions; see DOMAIN.md ("Absence codes"). The raw code is always
kept as given; the official code and the category drive the counts and signals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Category ids (English, stable) with their Dutch label for people.
CATEGORIES: dict[str, str] = {
    "law": "gewettigd van rechtswege",
    "direction": "gewettigd met akkoord directie",
    "problematic": "problematisch",
    "not_compulsory": "niet leerplichtig",
    "unknown": "nog te wettigen",
    "late": "te laat",
    "none": "geen afwezigheid",
}

# Categories that make a half-day an absent half-day (L is an event, not an absence).
ABSENT_CATEGORIES = ("law", "direction", "problematic", "not_compulsory", "unknown")
JUSTIFIED_CATEGORIES = ("law", "direction")


@dataclass(frozen=True)
class CodeInfo:
    raw: str
    official: str
    category: str
    meaning: str


# Official codes since 1 September 2019, plus the legacy codes of school software.
_DEFAULTS: list[tuple[str, str, str, str]] = [
    ("R", "R", "law", "van rechtswege afwezig"),
    ("Z", "Z", "law", "ziekte"),
    ("M", "M", "law", "werkplekcomponent duaal leren niet ingevuld"),
    ("H", "H", "direction", "revalidatie tijdens de lesuren"),
    ("P", "P", "direction", "persoonlijke redenen"),
    ("B", "B", "problematic", "problematische afwezigheid"),
    ("A", "A", "not_compulsory", "kleuter, nog niet leerplichtig"),
    ("D", "Z", "law", "ziekte met medisch attest"),
    ("L", "L", "late", "te laat"),
    ("T", "R", "law", "schorsing of uitsluiting"),
    ("U", "R", "law", "schorsing of uitsluiting"),
    ("Y", "R", "law", "schorsing of uitsluiting"),
    ("C", "R", "law", "topsport"),
    ("J", "R", "law", "moederschapsverlof"),
    ("Q", "P", "direction", "rouw"),
    ("O", "P", "direction", "time-out"),
    ("W", "", "none", "geen afwezigheid"),
    ("G", "", "none", "geen afwezigheid"),
    ("-", "-", "unknown", "code nog onbekend, nog te wettigen"),
    ("", "", "none", "aanwezig"),
    ("|", "", "none", "aanwezig (Smartschool)"),
]

DEFAULT_CODES: dict[str, CodeInfo] = {
    raw: CodeInfo(raw, official, category, meaning) for raw, official, category, meaning in _DEFAULTS
}

_SUBCODE = re.compile(r"^([A-Z])\d+$")
OFFICIAL_CATEGORY = {
    info.official: info.category for info in DEFAULT_CODES.values() if info.raw == info.official
}


def normalise(raw: str) -> str:
    """Upper-case, trimmed raw code."""
    return raw.strip().upper()


def base_code(raw: str) -> str:
    """Subcodes such as B01 or R03 reduce to their first letter."""
    code = normalise(raw)
    match = _SUBCODE.match(code)
    return match.group(1) if match else code


def code_table(extra: dict[str, CodeInfo] | None = None) -> list[CodeInfo]:
    """The default code map with a mapping file's codes laid over it."""
    table = dict(DEFAULT_CODES)
    table.update(extra or {})
    return list(table.values())


def parse_mapping_code(raw: str, value: object, source: str) -> CodeInfo:
    """A code entry from a mapping TOML: ``K = "P"`` or ``K = {official="P", category="direction"}``.

    ``official = "geen"`` (or ``""``) marks a code that is not an absence.
    """
    raw_code = normalise(raw)
    if isinstance(value, str):
        official, category, meaning = value.strip().upper(), None, ""
    elif isinstance(value, dict):
        official = str(value.get("official", "")).strip().upper()
        category = value.get("category")
        meaning = str(value.get("meaning", ""))
    else:
        raise ValueError(
            f"{source}: code {raw!r} moet een officiële code zijn (bv. \"P\") of een tabel met official en category."
        )
    if official in ("GEEN", "NONE"):
        official = ""
    if category is None:
        if official == "":
            category = "none"
        elif official in OFFICIAL_CATEGORY:
            category = OFFICIAL_CATEGORY[official]
        else:
            raise ValueError(
                f"{source}: code {raw!r} verwijst naar {official!r}, geen officiële code "
                f"(kies uit {', '.join(sorted(k for k in OFFICIAL_CATEGORY if k))} of \"geen\")."
            )
    if category not in CATEGORIES:
        raise ValueError(
            f"{source}: code {raw!r} heeft categorie {category!r}; kies uit {', '.join(CATEGORIES)}."
        )
    return CodeInfo(raw_code, official, str(category), meaning)
