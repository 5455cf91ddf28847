"""The projector (issue 12): the why visible at every width, Dutch throughout, readable without colour."""

from __future__ import annotations

import re
from datetime import date

import pytest
from textual.binding import Binding
from textual.color import Color

from tests.test_app import TODAY, make_app, settle, start_meeting
from zorgoverleg import cli
from zorgoverleg.argparse_nl import dutch_error
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.screens.list_table import SEPARATOR, Column, fit_tags, layout
from zorgoverleg.screens.overview import PupilOverview, month_axis
from zorgoverleg.screens.palette import PALETTE_PLACEHOLDER
from zorgoverleg.screens.theme import CONTRAST
from zorgoverleg.screens.tickbox import TickBox
from zorgoverleg.signals import prioritised

# ---- contrast ---------------------------------------------------------------------------------


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: Color, b: Color) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _resolve(variables: dict[str, str], name: str, under: Color) -> Color:
    """A theme variable as the colour the eye sees on ``under`` (alpha blended, ``auto`` resolved)."""
    value, alpha = variables[name], 1.0
    parts = value.split()
    if len(parts) == 2 and parts[1].endswith("%"):
        value, alpha = parts[0], float(parts[1][:-1]) / 100
    if value == "transparent":
        return under
    color = under.get_contrast_text(1.0) if value == "auto" else Color.parse(value)
    color = color.with_alpha(color.a * alpha)
    return under.blend(color.with_alpha(1.0), color.a) if color.a < 1 else color


# (text, background) pairs as the screens draw them; a background of None sits on $background.
TEXT_ON = [
    ("foreground", "background"), ("foreground", "surface"), ("foreground", "panel"),
    ("text-muted", "background"), ("text-muted", "surface"), ("text-muted", "panel"),
    ("footer-key-foreground", "footer-key-background"), ("footer-description-foreground", "footer-background"),
    ("footer-foreground", "footer-background"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
    ("text-primary", "background"), ("text-warning", "background"), ("text-error", "background"),
    ("text-success", "background"), ("text-accent", "background"),
    # colours used as text in content markup ([bold $error]B[/], [$success]Z[/], ...)
    ("primary", "background"), ("warning", "background"), ("error", "background"), ("success", "background"),
    ("accent", "background"),
    ("input-selection-foreground", "input-selection-background"),
]
UNDER = {"footer-key-background": "footer-background", "footer-background": "panel",
         "block-cursor-blurred-background": "surface", "input-selection-background": "surface"}


@pytest.mark.parametrize(("text", "background"), TEXT_ON)
def test_projector_theme_reads_at_4_5_to_1(text, background):
    variables = CONTRAST.to_color_system().generate()
    base = Color.parse(variables["background"])
    chain = [background]
    while chain[-1] in UNDER:
        chain.append(UNDER[chain[-1]])
    under = base
    for name in reversed(chain):
        under = _resolve(variables, name, under)
    ratio = contrast_ratio(_resolve(variables, text, under), under)
    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1"


def test_the_contrast_check_can_fail():
    assert contrast_ratio(Color.parse("#FF00FF"), Color.parse("#808080")) < 4.5  # the old footer keys


# ---- the list's layout --------------------------------------------------------------------------

COLUMNS = [
    Column("rank", "#", 3), Column("name", "Leerling", 8, fit=24), Column("b", "B", 3, priority=3),
    Column("trend", "Trend", 12, priority=1), Column("last", "Besproken", 9, priority=2),
    Column("signals", "Signalen", 30, flex=True),
]


def test_low_priority_columns_give_way_first():
    wanted = {"name": 20, "signals": 100}
    wide = layout(COLUMNS, 200, wanted)
    assert [c.key for c in wide] == ["rank", "name", "b", "trend", "last", "signals"]
    assert 1 + sum(c.width for c in wide) + len(wide) - 1 == 200  # the signals take all the room there is
    medium = layout(COLUMNS, 70, wanted)
    assert [c.key for c in medium] == ["rank", "name", "b", "last", "signals"]  # the trend goes first
    narrow = layout(COLUMNS, 58, wanted)
    assert [c.key for c in narrow] == ["rank", "name", "signals"]
    assert next(c for c in narrow if c.key == "signals").width >= 30
    # An empty column gives way as soon as the signals are cut, before any other.
    empty = layout(COLUMNS, 120, {**wanted, "last": 0})
    assert [c.key for c in empty] == ["rank", "name", "b", "trend", "signals"]
    assert [c.key for c in layout(COLUMNS, 200, {**wanted, "last": 0})] == [c.key for c in wide]


def test_tags_are_never_cut_in_the_middle():
    tags = ("B-code", "Melding CLB", "Politie (lokaal)", "Veel afwezig")
    assert fit_tags(tags, 200) == SEPARATOR.join(tags)
    assert fit_tags(tags, 30) == "B-code · Melding CLB +2"
    assert fit_tags(tags, 8) == "B-co… +3"  # 8 cells exactly


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (240, 60)])
async def test_the_first_signals_are_on_screen_at_every_width(school, size):
    app = make_app(school)
    async with app.run_test(size=size) as pilot:
        await start_meeting(app, pilot)
        table = app.screen.query_one("#agenda-table")
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways scrolling
        first = app.screen.shown[0]
        line = table.row_text(0)
        assert line.split()[0] == "1"
        assert f"{first.last_name} {first.first_name}" in line and first.class_ in line
        assert first.signals[0].label in line
        keys = [c.key for c in table.columns]
        if size[0] >= 120:
            expected = ["rank", "agenda", "name", "class", "b", "pct", "trend", "last", "signals"]
            if size[0] == 120 and not any(r.measures.get("m_last_meeting") for r in app.screen.shown):
                expected.remove("last")  # nobody discussed yet: the empty column makes room for the signals
            assert keys == expected
        cut = any(re.search(r" \+\d+$", table.row_text(n).rstrip()) for n in range(len(app.screen.shown)))
        assert ("(+N: nog N)" in table.header_text()) == cut  # the header explains +N when it shows
        if size[0] == 80:
            assert cut
        if size[0] == 240:  # every tag of every row, untruncated
            for index, row in enumerate(app.screen.shown):
                assert SEPARATOR.join(s.label for s in row.signals) in table.row_text(index), index


async def test_home_and_end_go_to_the_first_and_last_row(school):
    app = make_app(school)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(app, pilot)
        table = app.screen.query_one("#agenda-table")
        await pilot.press("end")
        assert table.cursor_row == len(app.screen.shown) - 1
        assert table.scroll_y > 0
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("pagedown")
        assert table.cursor_row == table.scrollable_content_region.height - 1


# ---- the filter -----------------------------------------------------------------------------


async def _filter(app, pilot, text: str) -> list:
    await pilot.press("escape", "slash", *text)
    await settle(app, pilot)
    return [r.pupil_key for r in app.screen.shown]


async def test_filter_ignores_accents_and_case(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        target = next(r for r in app.screen.shown if "ë" in r.first_name)
        plain = target.first_name.replace("ë", "e").upper()
        assert target.pupil_key in await _filter(app, pilot, plain)
        assert target.pupil_key in await _filter(app, pilot, target.first_name.lower())


async def test_filter_understands_every_way_of_writing_a_grade(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        found = [await _filter(app, pilot, text) for text in ("graad 2", "graad2", "2e graad", "2de graad")]
        assert found[0] and all(f == found[0] for f in found)
        assert all(r.grade == 2 for r in app.screen.shown)


# ---- the pupil at a glance ----------------------------------------------------------------------


async def _open_first_pupil(app, pilot):
    await start_meeting(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    await pilot.pause()
    return app.screen.query_one(PupilOverview)


async def test_pupil_key_facts_before_the_calendar_and_scroll_by_keyboard(school):
    app = make_app(school)
    async with app.run_test(size=(80, 24)) as pilot:
        overview = await _open_first_pupil(app, pilot)
        text = overview.plain_text()
        assert text.index("Afwezig:") < text.index("Signalen (score") < text.index("Schooljaar")
        assert not overview.has_class("-wide")
        left, right = (overview.query_one(f"#po-{side}").virtual_region for side in ("left", "right"))
        assert right.x == left.x and right.y >= left.bottom  # the calendar below the signals, not beside
        # The summary and the first signal are in the first screenful.
        signals = overview.query_one("#po-signals")
        assert signals.region.y < app.size.height - 2
        assert overview.scroll_y == 0
        await pilot.press("pagedown")  # no tab first
        assert overview.scroll_y > 0
        await pilot.press("end")
        assert overview.scroll_y == overview.max_scroll_y > 0
        await pilot.press("3", "escape", "1")  # to another tab and back: scrolling works at once
        await pilot.press("home")
        assert overview.scroll_y == 0
        await pilot.press("question_mark")
        await pilot.pause()
        keys = str(app.screen.query_one("#keys-text").render())
        assert "PgUp / PgDn" in keys and "zonder eerst Tab" in keys


async def test_the_score_is_explained_in_full(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        overview = await _open_first_pupil(app, pilot)
        row = overview.detail.row
        text = overview.plain_text()
        grade = row.measures["grade_score"]
        assert grade != 0  # the sample's first pupil is in a grade with a weight
        terms = [float(t.replace(",", ".").replace("−", "-")) for t in re.findall(r"^ ?([+−]\d+(?:,\d+)?) ", text, re.M)]
        assert len(terms) == len(row.signals) + 1  # every signal and the grade term
        assert sum(terms) == pytest.approx(row.score)
        score = f"{row.score:g}".replace(".", ",")
        assert f"Signalen (score {score})" in text and f"= {score}" in text
        assert not re.search(r"\d\.\d", text), "a decimal point on screen"  # Dutch: 15,5 and +1,5
        assert any("," in t for t in re.findall(r"^ ?([+−]\d+(?:,\d+)?) ", text, re.M))  # the sample has +1,5


def test_every_score_is_its_weights_plus_the_grade_term(sample_db_file):
    with Database.open(sample_db_file, read_only=True) as db:
        rows = prioritised(db, TODAY, load_config())
    for row in rows:
        if row.signals:
            total = sum(s.weight for s in row.signals) + row.measures["grade_score"]
            assert row.score == pytest.approx(total, abs=0.01), row.pupil_key


async def test_waiting_codes_agree_with_the_codes_table(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        agenda = app.screen
        row = next(r for r in agenda.shown if "unknown_code" in r.signal_ids())
        agenda.open_key(row.pupil_key)
        await settle(app, pilot)
        await pilot.pause()
        overview = app.screen.query_one(PupilOverview)
        detail = overview.detail
        waiting = sum(n for _r, _c, category, n in detail.code_counts if category == "unknown")
        old = detail.row.measures["m_unknown_old"]
        text = overview.plain_text()
        if waiting != old:
            assert f"Nog te wettigen: {waiting} halve dagen, waarvan {old}" in text
        else:
            assert "waarvan" not in overview.codes_markup()


def test_month_names_are_never_cut():
    mondays = [date(2025, 9, 1)]
    while mondays[-1] < date(2026, 3, 9):
        mondays.append(date.fromordinal(mondays[-1].toordinal() + 7))
    one = month_axis(mondays, 1)
    two = month_axis(mondays, 2)
    for axis in (one, two):
        words = " ".join(axis.splitlines()).split()
        assert sorted(words) == sorted(["sep", "okt", "nov", "dec", "jan", "feb", "mrt"]), axis
    assert "\n" not in two  # two characters a week: one line is enough
    assert two.index("okt") == 2 * 4  # the week of 29 September belongs to October (its Thursday)
    # A month of two weeks (school weeks only) puts every other name on a second line.
    short = [date(2025, 12, 15), date(2025, 12, 22), date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]
    axis = month_axis(short, 1)
    assert axis.splitlines() == ["dec", "  jan"]


# ---- Dutch, not English -------------------------------------------------------------------------

ENGLISH = re.compile(
    r"Search for|No matches|\bKeys\b|Show help|Maximize|Minimize|\bTheme\b|\bQuit\b|Screenshot|"
    r"\bpalette\b|\busage\b|\boptions\b|show this help|positional arguments|\berror\b|required|"
    r"unrecognized|invalid choice|\bToggle\b|Change the current|as soon as possible|\bFILE\b",
)


def test_the_english_check_can_fail():
    assert ENGLISH.search("^p palette") and ENGLISH.search("usage: zorgoverleg") and ENGLISH.search("Keys")


async def test_palette_footer_and_help_are_dutch(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        footer = " ".join(f"{k.key_display} {k.description}" for k in app.screen.query("FooterKey"))
        assert app.get_key_display(Binding("space", "")) == "spatie"
        assert "Palet" in footer
        assert not ENGLISH.search(footer), footer
        tooltip = str(app.screen.query_one("HeaderIcon").tooltip)
        assert "commandopalet" in tooltip and not ENGLISH.search(tooltip), tooltip
        await pilot.press("question_mark")
        await pilot.pause()
        keys = str(app.screen.query_one("#keys-text").render())
        assert not ENGLISH.search(keys.partition("Toetsen aanpassen")[0]), keys
        await pilot.press("escape", "ctrl+p")
        await pilot.pause(0.3)
        palette = app.screen
        assert type(palette).__name__ == "CommandPalette"
        assert palette.query_one("CommandInput").placeholder == PALETTE_PLACEHOLDER
        await pilot.press(*"e")  # every command that holds an e: the system commands too
        await pilot.pause(0.6)
        prompts = [str(o.prompt) for o in palette.query_one("CommandList").options]
        shown = "\n".join(prompts)
        assert "Thema" in shown and "Stoppen" in shown
        assert not ENGLISH.search(shown), shown
        await pilot.press(*"xqzxqz")  # nothing matches
        await pilot.pause(1.0)
        shown = "\n".join(str(o.prompt) for o in palette.query_one("CommandList").options)
        assert "Zoektip" in shown and not ENGLISH.search(shown), shown
        await pilot.press("escape")
        await pilot.pause()


@pytest.mark.parametrize("args", [["--help"], ["list", "--help"], ["import", "--help"], ["export", "--help"],
                                  ["demo", "--help"], ["bench", "--help"]])
def test_command_line_help_is_dutch(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(args)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: ") and "deze hulp tonen en stoppen" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize("args", [["list", "--format", "x"], ["import"], ["list", "--bla"], ["frobnicate"],
                                  ["list", "--limit"]])
def test_command_line_errors_are_dutch(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("gebruik: ") and "--help" in err
    assert not ENGLISH.search(err), err


def test_our_own_error_messages_pass_unchanged():
    assert dutch_error("'x' is geen datum") == "'x' is geen datum"
    assert dutch_error("argument --limit: expected one argument") == "--limit: hier hoort één waarde bij"


# ---- state never by colour alone ------------------------------------------------------------


async def test_checkboxes_show_their_state_in_the_glyph():
    from textual.app import App

    class BoxApp(App):
        def compose(self):
            yield TickBox("CLB-melding", id="box")

    app = BoxApp()
    async with app.run_test(size=(40, 5)) as pilot:
        box = app.query_one(TickBox)
        assert str(box.render()).startswith("☐ CLB-melding")
        box.focus()
        await pilot.press("space")
        assert box.value is True and str(box.render()).startswith("☑ CLB-melding")


async def test_recommended_escalations_say_so_in_words(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_first_pupil(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        boxes = [b for b in app.screen.query(TickBox) if b.has_class("recommended")]
        assert boxes and all(str(b.label).endswith(" ◂") for b in boxes)
        others = [b for b in app.screen.query(TickBox) if b.id.startswith("esc-") and b not in boxes]
        assert all("◂" not in str(b.label) for b in others)
        assert str(app.screen.query_one("#d-recommended").render()).startswith("◂ aanbevolen")


async def test_no_color_keeps_the_cursor_visible(school, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(school)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(app, pilot)
        assert app.no_color
        table = app.screen.query_one("#agenda-table")
        cursor = table.render_line(1)
        other = table.render_line(2)
        assert any(seg.style and (seg.style.reverse or seg.style.bold) for seg in cursor)
        assert not any(seg.style and seg.style.reverse for seg in other)


async def test_the_active_tab_and_a_wrong_date_show_without_colour(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_first_pupil(app, pilot)
        active = app.screen.query_one("Tab.-active")
        assert active.styles.text_style.bold and active.styles.text_style.underline
        other = next(t for t in app.screen.query("Tab") if not t.has_class("-active"))
        assert not other.styles.text_style.underline
        await pilot.press("3")
        review = app.screen.query_one("#d-review")
        review.focus()
        review.value = "31/02/2026"  # not a date: a sentence beside the field, not only a red border
        await pilot.pause()
        error = app.screen.query_one("#d-review-error")
        assert review.has_class("invalid") and str(error.render()).strip()
        review.value = "2026-04-03"
        await pilot.pause()
        assert not review.has_class("invalid") and not str(error.render()).strip()


async def test_the_keys_panel_scrolls_by_keyboard_at_80x24(school):
    app = make_app(school)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#keys-box")
        assert box.max_scroll_y > 0  # more than fits
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        width = box.scrollable_content_region.width
        assert all(len(line) <= width for line in str(app.screen.query_one("#keys-text").render()).splitlines()
                   if not line.startswith("Toetsen aanpassen"))


async def test_on_a_wide_screen_the_signals_sit_beside_the_calendar_and_all_fits(school):
    app = make_app(school)
    async with app.run_test(size=(240, 60)) as pilot:
        overview = await _open_first_pupil(app, pilot)
        assert overview.has_class("-wide")
        signals = overview.query_one("#po-signals")
        calendar = overview.query_one("#po-calendar")
        assert signals.region.x < calendar.region.x and signals.region.y == calendar.region.y
        assert signals.region.right <= calendar.region.x
        assert overview.max_scroll_y == 0  # codes and decisions on the same screen
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert not overview.has_class("-wide")
        assert overview.query_one("#po-signals").region.y < overview.query_one("#po-calendar").region.y


async def test_the_palette_finds_a_pupil_without_the_accents(school):
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        target = next(r for r in app.screen.shown if "ë" in r.first_name)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*target.first_name.replace("ë", "e").lower())
        await pilot.pause(0.6)
        shown = "\n".join(str(o.prompt) for o in app.screen.query_one("CommandList").options)
        assert f"{target.last_name} {target.first_name}" in shown, shown


async def test_the_start_form_fits_80x24_with_its_button(school):
    app = make_app(school)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        button = app.screen.query_one("#start-go")
        assert button.region.bottom <= 24 and button.region.height == 3
        assert "Ctrl+S" in str(button.label)


async def test_no_english_in_the_footer_whatever_has_the_focus(school):
    app = make_app(school)
    async with app.run_test(size=(200, 50)) as pilot:
        await _open_first_pupil(app, pilot)
        seen = set()
        for tab in ("1", "2", "3", "4"):
            app.screen.set_focus(None)  # out of any field, so the digit switches tabs
            await pilot.press(tab)
            await pilot.pause()
            assert type(app.screen).__name__ == "PupilScreen"
            for widget in list(app.screen.focus_chain):
                widget.focus()
                await pilot.pause()
                footer = " ".join(f"{k.key_display} {k.description}" for k in app.screen.query("FooterKey"))
                seen.add(type(widget).__name__)
                assert not ENGLISH.search(footer) and "Toggle" not in footer, (type(widget).__name__, footer)
                descriptions = [k.description for k in app.screen.query("FooterKey")]
                assert all(d[:1].isupper() or not d for d in descriptions), descriptions
        assert {"TextArea", "Input", "TickBox", "PupilOverview"} <= seen, seen


@pytest.mark.parametrize(("needle", "words"), [
    ("graad 2", ["graad2"]), ("graad2", ["graad2"]), ("2e graad", ["graad2"]), ("2de graad", ["graad2"]),
    ("tweede graad", ["graad2"]), ("Eltoëna 3STW", ["eltoena", "3stw"]), ("ELTOENA", ["eltoena"]),
    ("graad", ["graad"]), ("2A", ["2a"]), ("lange ziekte", ["lange", "ziekte"]),
])
def test_filter_words(needle, words):
    from zorgoverleg.text import search_words

    assert search_words(needle) == words
