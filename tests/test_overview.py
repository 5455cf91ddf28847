"""Pilot tests for screens.overview.PupilOverview (a pupil at a glance)."""

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

import zorgoverleg.screens.overview as overview
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.importer import import_files
from zorgoverleg.pupil import pupil_detail
from zorgoverleg.screens.overview import PupilOverview, calendar_markup

TODAY = date(2026, 3, 13)
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "absences.csv"


@pytest.fixture(scope="module")
def details(tmp_path_factory):
    config = load_config()
    db = Database.open(tmp_path_factory.mktemp("overview") / "school.duckdb")
    import_files(db, [SAMPLE], config)
    result = {key: pupil_detail(db, key, TODAY, config) for key in ("001001", "001005")}
    db.close()
    return result


class OverviewApp(App):
    def compose(self) -> ComposeResult:
        yield PupilOverview()


async def test_empty_until_a_pupil_is_shown():
    app = OverviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = app.query_one(PupilOverview).plain_text()
        assert "Kies een leerling" in text
        assert "Signalen" not in text


async def test_shows_the_pupil_at_80_columns(details):
    detail = details["001005"]
    app = OverviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(PupilOverview)
        widget.show(detail)
        await pilot.pause()
        text = widget.plain_text()
        assert "Saneke Snaerkenhove" in text
        assert "klas 2A" in text and "13 jaar" in text and "1e graad" in text
        assert "Afwezig: 47 van 214 halve dagen (22%)" in text
        assert "te laat: 1×" in text
        # Calendar: the week of 12 January on a medical certificate, Wednesday afternoon blank.
        assert "12/01  DD DD D  DD DD" in text
        assert "Kerstvakantie" in text and "◂ vandaag" in text
        assert "aanwezig" in text and "gewettigd" in text  # legend
        assert "Afwezige halve dagen per week" in text and "█████" in text
        # Codes with meaning and Dutch category.
        assert re.search(r"D \(Z\)\s+ziekte met medisch attest\s+gewettigd van rechtswege\s+45", text)
        # Signals with weight, threshold and source.
        assert "Lange ziekte:" in text and "+2" in text
        assert "drempel: meer dan 21 kalenderdagen" in text and "bron:" in text
        assert "Nog niet besproken." in text
        # Everything fits in 80 columns: single calendar column, text wrapped to the widget.
        calendar = str(widget.query_one("#po-calendar", Static).visual.plain)
        assert calendar.count("01/09") == 1 and "02/02" not in calendar.splitlines()[1]
        width = widget.scrollable_content_region.width
        assert all(len(line) <= width for line in text.splitlines()), width


async def test_privacy_shows_initials_only(details):
    app = OverviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(PupilOverview)
        widget.show(details["001005"], privacy=True)
        await pilot.pause()
        text = widget.plain_text()
        assert "S.S." in text
        assert "Saneke" not in text and "Snaerkenhove" not in text
        widget.show(details["001005"])
        await pilot.pause()
        assert "Saneke Snaerkenhove" in widget.plain_text()


async def test_two_columns_of_weeks_on_a_wide_screen(details):
    app = OverviewApp()
    async with app.run_test(size=(120, 40)) as pilot:
        widget = app.query_one(PupilOverview)
        widget.show(details["001001"])
        await pilot.pause()
        rows = widget.query_one("#po-calendar", Static).visual.plain.splitlines()
        assert rows[0].count("ma di wo do vr") == 2
        assert re.match(r"01/09 .* \d\d/02 ", rows[1])
        # Back to one column when the terminal gets narrow.
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        rows = widget.query_one("#po-calendar", Static).visual.plain.splitlines()
        assert rows[0].count("ma di wo do vr") == 1


async def test_b_codes_and_earlier_decisions(details):
    detail = dataclasses.replace(
        details["001001"],
        agreements=[
            (date(2026, 3, 2), "Terugkeergesprek plannen", "CLB", date(2026, 3, 20), False),
            (date(2026, 2, 2), "Ouders bellen", "Leerlingbegeleider", date(2026, 2, 9), True),
            (date(2026, 2, 2), "Huiswerkpakket bezorgen", "Klastitularis", date(2026, 2, 20), False),
        ],
        reviews=[(date(2026, 3, 2), 1, "An Peeters", date(2026, 3, 13))],
    )
    app = OverviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(PupilOverview)
        widget.show(detail)
        await pilot.pause()
        text = widget.plain_text()
        assert "B: 6" in text
        assert "B problematisch" in text and "- nog te wettigen" in text
        assert "○ Terugkeergesprek plannen — CLB · tegen 20/03/2026" in text
        assert "✓ Ouders bellen" in text
        assert "over datum" in text  # the homework package was due on 20/02
        assert "fase 1 (verhoogde zorg)" in text and "spilfiguur An Peeters" in text
        assert "Nog niet besproken." not in text
        markup = widget.decisions_markup()
        assert "[$warning]" in markup and "[$success]✓[/]" in markup


def test_theme_variables_only():
    source = Path(overview.__file__).read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b", source)
    assert all(rule.strip().startswith("PupilOverview") for rule in re.findall(r"^\s*([^\s{}][^{}]*)\{", PupilOverview.DEFAULT_CSS, re.M))


def test_calendar_markup_marks_categories(details):
    markup = calendar_markup(details["001001"].weeks, TODAY)
    assert "[bold $error]B[/]" in markup
    assert "[bold $warning]-[/]" in markup
    assert "[$success]Z[/]" in markup
