"""Text from an export, a minutes file or the keyboard, made safe to show or to hand on.

Core module (no Textual): the command line, the exports and the screens all use it.

- ``visible`` replaces terminal control characters (C0, DEL, C1) and bidi override/isolate characters
  with visible placeholders, so a name can never move the cursor, set a window title or reverse text.
  The result is still *plain text*: a screen shows it as content (``Text``/``Content``), never as markup.
- ``csv_cell`` keeps a spreadsheet from running a cell as a formula.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates, and the Arabic letter mark: they reorder what follows.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_MULTILINE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")

UNKNOWN_PLACEHOLDER = "\ufffd"


def _placeholder(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ESC -> ␛, BEL -> ␇, TAB -> ␉, LF -> ␊
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return UNKNOWN_PLACEHOLDER  # C1 controls (CSI 0x9b and friends)
    return f"<U+{code:04X}>"  # bidi controls: named, so the reader sees something was there


def visible(value: object, *, multiline: bool = False) -> str:
    """``value`` as text with every control and bidi character shown as a visible placeholder.

    ``multiline=True`` keeps line feeds (notes typed over several lines); a carriage return is still shown.
    """
    text = "" if value is None else str(value)
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    return pattern.sub(_placeholder, text)


def has_control(value: str) -> bool:
    """Whether ``value`` holds a character that ``visible`` would replace."""
    return bool(_CONTROL.search(value))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ TAB CR gets a leading '.

    Numbers and None pass unchanged (a negative number is a number, not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def nl_number(value: float | int, *, signed: bool = False, decimals: int = 1) -> str:
    """A number as a Flemish reader writes it: decimal comma, no trailing ``,0`` (15,5 · 3 · +1,5 · −2)."""
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        text = str(abs(int(rounded)))
    else:
        text = f"{abs(rounded):.{decimals}f}".rstrip("0").replace(".", ",")
    if rounded < 0:
        return "−" + text
    return ("+" + text) if signed and rounded > 0 else text


def fold(text: str) -> str:
    """Lower case without accents, for matching what a user types: ``Eltoëna`` -> ``eltoena``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ORDINALS = {"eerste": "1", "tweede": "2", "derde": "3"}
_GRADE_AFTER = re.compile(r"\bgraad\s*([123])\b")  # graad 2, graad2
_GRADE_BEFORE = re.compile(r"\b([123])\s*(?:e|de|ste)?\s+graad\b|\b([123])(?:e|de|ste)graad\b")  # 2e graad, 2de graad


def search_words(needle: str) -> list[str]:
    """The words of a list filter, folded (case and accents ignored); every way of writing a grade
    (``graad 2``, ``graad2``, ``2e graad``, ``2de graad``, ``tweede graad``) becomes the one word ``graad2``."""
    text = fold(needle)
    for word, digit in _ORDINALS.items():
        text = re.sub(rf"\b{word}\s+graad\b", f"graad{digit}", text)
    text = _GRADE_BEFORE.sub(lambda m: f"graad{m.group(1) or m.group(2)}", text)
    text = _GRADE_AFTER.sub(r"graad\1", text)
    return text.split()
