"""Tests for zorgoverleg.text: control and bidi characters shown, CSV cells never formulas."""

from __future__ import annotations

import pytest

from zorgoverleg.text import csv_cell, has_control, visible


def test_escape_sequences_become_visible() -> None:
    hostile = "Jan\x1b]0;titel\x07\x1b[2K"
    shown = visible(hostile)
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "Jan␛]0;titel␇␛[2K"
    assert has_control(hostile) and not has_control(shown)


def test_c1_del_and_bidi_are_replaced() -> None:
    shown = visible("a\x9b2Jb\x7fc\u202edcba\u2066x\u2069")
    assert shown == "a\ufffd2Jb␡c<U+202E>dcba<U+2066>x<U+2069>"


def test_newlines_kept_only_when_asked() -> None:
    assert visible("a\nb") == "a␊b"
    assert visible("a\nb\r", multiline=True) == "a\nb␍"


def test_markup_text_is_left_as_text() -> None:
    # Markup is not a terminal control: it stays as typed, the screens show it as content.
    assert visible("[@click=app.quit]Jan[/]") == "[@click=app.quit]Jan[/]"
    assert visible(None) == ""


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\";\"klik\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_never_start_a_formula(value: str) -> None:
    cell = csv_cell(value)
    assert isinstance(cell, str) and cell.startswith("'") and cell[1:] == value


def test_csv_leaves_numbers_and_plain_text() -> None:
    assert csv_cell(-3) == -3
    assert csv_cell(2.5) == 2.5
    assert csv_cell("Peeters") == "Peeters"
    assert csv_cell(None) is None


def test_numbers_in_flemish_form() -> None:
    from zorgoverleg.text import nl_number

    assert nl_number(15.5) == "15,5"
    assert nl_number(3.0) == "3"
    assert nl_number(1.5, signed=True) == "+1,5"
    assert nl_number(0, signed=True) == "0"
    assert nl_number(-2) == "−2"
    assert nl_number(2.25, decimals=2) == "2,25"
