"""A pupil at a glance: a scrollable widget that shows a ``zorgoverleg.pupil.PupilDetail``.

No database access here: a worker builds the detail (``zorgoverleg.pupil.pupil_detail``) and the screen
calls ``PupilOverview.show(detail)``. Colours are theme variables in content markup; letters and
symbols carry the meaning, so the picture survives any theme, a projector and colour-blind eyes.
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta

from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from zorgoverleg.codes import CATEGORIES
from zorgoverleg.pupil import CalendarWeek, DayCell, PupilDetail, code_meaning, initials, sparkline
from zorgoverleg.signal_registry import relative_day
from zorgoverleg.text import visible

COLUMN_GAP = 4  # cells between the two columns of weeks on a wide screen
DAY_NAMES = ("ma", "di", "wo", "do", "vr")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
PHASES = {
    0: "brede basiszorg",
    1: "verhoogde zorg",
    2: "uitbreiding van zorg",
    3: "individueel aangepast curriculum",
}
# Colour per category (theme variables only); the letter itself always tells the code.
CATEGORY_STYLE = {
    "problematic": "bold $error",
    "unknown": "bold $warning",
    "law": "$success",
    "direction": "$success",
    "not_compulsory": "$text-muted",
    "late": "$accent",
}
# Short week labels for holidays with long names.
SHORT_HOLIDAY = {
    "O.-L.-H.-Hemelvaart": "Hemelvaart",
    "Brugdag na Hemelvaart": "brugdag",
    "Dag van de Arbeid": "1 mei",
}
HOLIDAY_LABEL_WIDTH = 20
MIN_TEXT_WIDTH = 24
FALLBACK_WIDTH = 76  # text width before the first layout (80 columns minus padding and scrollbar)
WEEK_WIDTH = 5 + 2 + 3 * len(DAY_NAMES)  # "dd/mm", gap, five days of "VM NM" + space


def esc(text: object) -> str:
    """Plain text made safe inside content markup (names, notes): control characters shown, markup escaped."""
    text = visible(text).replace("[", "\\[")
    # A backslash at the end would escape the closing tag that follows: a zero-width space keeps it apart.
    return text + "\u200b" if text.endswith("\\") else text


def _d(value: date | None, year: bool = True) -> str:
    if value is None:
        return "?"
    return value.strftime("%d/%m/%Y" if year else "%d/%m")


def _styled(text: str, style: str | None) -> str:
    return f"[{style}]{esc(text)}[/]" if style else esc(text)


def _category(raw: str, category: str | None) -> str:
    return category or ("late" if raw.upper().startswith("L") else "unknown")


def _halfday(code: str | None, category: str | None) -> tuple[str, str | None]:
    """(character, style) for an absent or late half-day."""
    assert code is not None
    cat = _category(code, category)
    letter = "L" if cat == "late" else (code[:1].upper() or "-")
    return letter, CATEGORY_STYLE.get(cat)


def day_cell(cell: DayCell) -> str:
    """Two characters (VM NM) of markup for one day."""
    parts: list[tuple[str, str | None]] = []
    for code, category, lessons in (
        (cell.vm, cell.vm_category, True),
        (cell.nm, cell.nm_category, cell.afternoon_lessons),
    ):
        if code is not None:
            parts.append(_halfday(code, category))
        elif not lessons:
            parts.append((" ", None))
        elif cell.holiday is not None:
            parts.append(("=", "$text-muted"))
        elif not cell.school_day or cell.future:
            parts.append((" ", None))
        else:
            parts.append(("·", "$text-muted"))
    return "".join(_styled(ch, style) for ch, style in parts)


def holiday_label(week: CalendarWeek) -> str:
    names: list[str] = []
    for cell in week.days:
        if cell.holiday and SHORT_HOLIDAY.get(cell.holiday, cell.holiday) not in names:
            names.append(SHORT_HOLIDAY.get(cell.holiday, cell.holiday))
    label = " + ".join(names)
    if len(label) > HOLIDAY_LABEL_WIDTH:
        label = label[: HOLIDAY_LABEL_WIDTH - 1] + "…"
    return label


def week_line(week: CalendarWeek, today: date | None) -> tuple[str, int]:
    """(markup, plain width) of one calendar row."""
    this_week = today is not None and week.monday <= today < week.monday + timedelta(days=7)
    label = week.monday.strftime("%d/%m")
    text = f"[bold $accent]{label}[/]" if this_week else label
    text += "  " + " ".join(day_cell(cell) for cell in week.days)
    width = WEEK_WIDTH - 1
    extra = holiday_label(week)
    if this_week:
        extra = (extra + " " if extra else "") + "◂ vandaag"
    if extra:
        text += f" [$text-muted]{esc(extra)}[/]"
        width += 1 + len(extra)
    return text, width


def calendar_markup(weeks: list[CalendarWeek], today: date | None, max_width: int = 0) -> str:
    """The school year as rows of weeks. When two columns fit in ``max_width`` cells (from about
    90), the second half of the year sits beside the first; otherwise one tall column."""
    header = " " * 7 + " ".join(DAY_NAMES)
    lines = [week_line(w, today) for w in weeks]
    half = (len(lines) + 1) // 2
    left, right = lines[:half], lines[half:]
    column_width = max((width for _, width in left), default=0) + COLUMN_GAP
    if not right or column_width + max(width for _, width in right) > max_width:
        return "\n".join([f"[$text-muted]{header}[/]"] + [text for text, _ in lines])
    out = [f"[$text-muted]{header.ljust(column_width)}{header}[/]"]
    for index, (text, width) in enumerate(left):
        row = text
        if index < len(right):
            row += " " * (column_width - width) + right[index][0]
        out.append(row)
    return "\n".join(out)


def legend_markup(detail: PupilDetail) -> str:
    """One line: only the kinds of marks this calendar uses, plus present and holiday."""
    letters: dict[str, list[str]] = {}
    for week in detail.weeks:
        for cell in week.days:
            for code, category in ((cell.vm, cell.vm_category), (cell.nm, cell.nm_category)):
                if code is None:
                    continue
                letter, _style = _halfday(code, category)
                group = _category(code, category)
                group = "justified" if group in ("law", "direction") else group
                letters.setdefault(group, [])
                if letter not in letters[group]:
                    letters[group].append(letter)
    words = {
        "problematic": "problematisch",
        "unknown": "nog te wettigen",
        "justified": "gewettigd",
        "not_compulsory": "niet leerplichtig",
        "late": "te laat",
    }
    styles = {**CATEGORY_STYLE, "justified": CATEGORY_STYLE["law"]}
    parts = ["[$text-muted]·[/] aanwezig"]
    for group in ("problematic", "unknown", "justified", "not_compulsory", "late"):
        if group in letters:
            parts.append(f"[{styles[group]}]{esc(' '.join(letters[group]))}[/] {words[group]}")
    parts.append("[$text-muted]=[/] vrij")
    return "  ".join(parts)


def month_axis(week_starts: list[date]) -> str:
    """Month names under a one-character-per-week sparkline, at the week where each month starts.

    A week belongs to the month of its Thursday. A name is shortened when the next month starts
    within three weeks (a month with holidays can have only two or three school weeks).
    """
    starts: list[tuple[int, int]] = []
    for index, monday in enumerate(week_starts):
        month = (monday + timedelta(days=3)).month
        if not starts or starts[-1][1] != month:
            starts.append((index, month))
    axis = [" "] * len(week_starts)
    for n, (index, month) in enumerate(starts):
        room = (starts[n + 1][0] if n + 1 < len(starts) else len(axis)) - index - 1
        name = MONTHS[month - 1]
        name = name if room >= len(name) else name[: max(1, room)]
        for offset, ch in enumerate(name[: len(axis) - index]):
            axis[index + offset] = ch
    return "".join(axis).rstrip()


def hanging(text: str, width: int, indent: int, style: str | None = None, prefix: str = "") -> list[str]:
    """``text`` wrapped to ``width`` cells with a hanging indent of ``indent`` cells, as markup lines.

    ``prefix`` is markup of exactly ``indent`` cells placed before the first line.
    """
    lines = textwrap.wrap(text, width=max(MIN_TEXT_WIDTH, width - indent), break_on_hyphens=False) or [""]
    first = prefix if prefix else " " * indent
    return [(first if n == 0 else " " * indent) + _styled(line, style) for n, line in enumerate(lines)]


class PupilOverview(VerticalScroll):
    """The absence picture of one pupil: header, calendar, trend, codes, signals, decisions.

    Call ``show(detail)``; the widget never touches the database. Text is wrapped to the widget's
    width (hanging indents) and the calendar uses two columns of weeks when they fit.
    """

    DEFAULT_CSS = """
    PupilOverview {
        height: 1fr;
        padding: 0 1;
        scrollbar-gutter: stable;
    }
    PupilOverview > Static {
        width: 100%;
        height: auto;
    }
    PupilOverview > .po-title {
        margin-top: 1;
        text-style: bold;
        color: $text-primary;
    }
    PupilOverview > #po-header {
        text-style: bold;
    }
    PupilOverview > #po-legend, PupilOverview > #po-trend-note {
        color: $text-muted;
    }
    PupilOverview.-empty > .po-part {
        display: none;
    }
    """

    EMPTY_TEXT = "Kies een leerling om het overzicht te zien."

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.detail: PupilDetail | None = None
        self.privacy = False
        self._width = 0  # text width of the last rendering
        self.add_class("-empty")

    def compose(self):
        yield Static(self.EMPTY_TEXT, id="po-header")
        yield Static(id="po-summary", classes="po-part")
        yield Static("Schooljaar (per dag: voormiddag en namiddag)", classes="po-title po-part")
        yield Static(id="po-calendar", classes="po-part")
        yield Static(id="po-legend", classes="po-part")
        yield Static("Afwezige halve dagen per week", classes="po-title po-part")
        yield Static(id="po-trend", classes="po-part")
        yield Static("Schaal: ▁ geen afwezigheid, █ een volledige week (9 halve dagen).",
                     id="po-trend-note", classes="po-part")
        yield Static("Codes tot vandaag", classes="po-title po-part")
        yield Static(id="po-codes", classes="po-part")
        yield Static("Signalen", id="po-signals-title", classes="po-title po-part")
        yield Static(id="po-signals", classes="po-part")
        yield Static("Eerdere afspraken en opvolging", classes="po-title po-part")
        yield Static(id="po-decisions", classes="po-part")

    # -- state ---------------------------------------------------------------------------------

    def show(self, detail: PupilDetail, privacy: bool = False) -> None:
        """Show ``detail``; with ``privacy`` only the pupil's initials appear."""
        self.detail = detail
        self.privacy = privacy
        self.remove_class("-empty")
        self._render_parts()
        self.scroll_home(animate=False)

    def clear(self) -> None:
        """Back to the empty state (no pupil chosen)."""
        self.detail = None
        self.add_class("-empty")
        self.query_one("#po-header", Static).update(self.EMPTY_TEXT)

    def on_resize(self, event: Resize) -> None:
        if self.detail is not None and self._text_width() != self._width:
            self._render_parts()

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else FALLBACK_WIDTH

    def _render_parts(self) -> None:
        detail = self.detail
        if detail is None:
            return
        self._width = width = self._text_width()
        parts = {
            "#po-header": self.header_markup(),
            "#po-summary": self.summary_markup(),
            "#po-calendar": calendar_markup(detail.weeks, detail.today, width),
            "#po-legend": legend_markup(detail),
            "#po-trend": self.trend_markup(),
            "#po-codes": self.codes_markup(),
            "#po-signals-title": f"Signalen (score {detail.row.score:g})",
            "#po-signals": self.signals_markup(width),
            "#po-decisions": self.decisions_markup(width),
        }
        for selector, markup in parts.items():
            self.query_one(selector, Static).update(markup)

    @property
    def shown(self) -> PupilDetail:
        """The detail on screen (the parts below are only built once ``show`` was called)."""
        if self.detail is None:
            raise RuntimeError("PupilOverview.show() was not called")
        return self.detail

    # -- parts (markup strings) ----------------------------------------------------------------

    def header_markup(self) -> str:
        row = self.shown.row
        name = initials(row.first_name, row.last_name) if self.privacy else row.name
        parts = [esc(name), f"klas {esc(row.class_)}"]
        if row.age is not None:
            parts.append(f"{row.age} jaar")
        if row.grade is not None:
            parts.append(f"{row.grade}e graad")
        return "  ·  ".join(parts)

    def summary_markup(self) -> str:
        row = self.shown.row
        pct = round(row.absent_share * 100)
        absent = f"Afwezig: {row.absent_halfdays} van {row.possible_halfdays} halve dagen ({pct}%)"
        b_text = _styled(f"B: {row.b_halfdays}", "bold $error" if row.b_halfdays else None)
        return " · ".join([absent, b_text, f"te laat: {row.late}×"])

    def trend_markup(self) -> str:
        detail = self.shown
        if not detail.weekly:
            return "Nog geen schoolweken dit schooljaar."
        line = f"[$accent]{sparkline(detail.weekly, width=len(detail.weekly))}[/]"
        line += f"  deze week {detail.weekly[-1]}, hoogste {max(detail.weekly)}"
        if len(detail.week_starts) == len(detail.weekly):
            line += f"\n[$text-muted]{month_axis(detail.week_starts)}[/]"
        return line

    def codes_markup(self) -> str:
        detail = self.shown
        if not detail.code_counts:
            return "Geen afwezigheden of laatkomingen tot vandaag."
        lines = []
        for raw, code, category, n in detail.code_counts:
            shown = raw if not code or code == raw else f"{raw} ({code})"
            meaning = detail.meanings.get(raw) or code_meaning(raw)
            if len(meaning) > 28:
                meaning = meaning[:27] + "…"
            label = CATEGORIES.get(category, category)
            lines.append(
                f"{_styled(shown.ljust(8), CATEGORY_STYLE.get(category))}"
                f"{esc(meaning.ljust(29))}{esc(label.ljust(26))}{n:>4}"
            )
        return "\n".join(lines)

    def signals_markup(self, width: int = FALLBACK_WIDTH) -> str:
        signals = self.shown.row.signals
        if not signals:
            return "Geen signalen boven de drempels."
        weights = [f"{s.weight:+g}" for s in signals]
        indent = max(len(w) for w in weights) + 2
        lines: list[str] = []
        for s, weight in zip(signals, weights):
            body = hanging(f"{s.label}: {s.detail}", width, indent, prefix=f"[bold]{weight.ljust(indent)}[/]")
            head = f"{esc(s.label)}:"
            body[0] = body[0].replace(head, f"[bold]{head}[/]", 1)
            lines += body
            source = f" · bron: {s.source}" if s.source else ""  # "bron:" only before a real source
            lines += hanging(f"drempel: {s.threshold}{source}", width, indent, "$text-muted")
        return "\n".join(lines)

    def decisions_markup(self, width: int = FALLBACK_WIDTH) -> str:
        detail = self.shown
        if not detail.agreements and not detail.reviews:
            return "Nog niet besproken."
        today = detail.today or date.today()
        lines: list[str] = []
        for index, (meeting, phase, pivot, next_review) in enumerate(detail.reviews):
            parts = [f"Overleg {_d(meeting)}"]
            if phase is not None:
                parts.append(f"fase {phase} ({PHASES.get(phase, '?')})")
            if pivot:
                parts.append(f"spilfiguur {pivot}")
            style = None
            if next_review is not None:
                parts.append(f"volgende evaluatie {_d(next_review)}")
                if index == 0 and next_review <= today:  # only the newest review still applies
                    parts[-1] += f" ({relative_day(next_review, today)})"  # vandaag, gisteren, …
                    style = "$warning"
            lines += hanging(" · ".join(parts), width, 2, style, prefix="» ")
        for meeting, what, who, due, done in detail.agreements:
            text = what + (f" — {who}" if who else "") + (f" · tegen {_d(due)}" if due else "")
            text += f" (overleg {_d(meeting)})"
            if done:
                lines += hanging(text, width, 2, prefix="[$success]✓[/] ")
            elif due is not None and due < today:
                lines += hanging(text + " · over datum", width, 2, "$warning", prefix="[$warning]○[/] ")
            else:
                lines += hanging(text, width, 2, prefix="○ ")
        return "\n".join(lines)

    def plain_text(self) -> str:
        """What the widget shows, without styles (for tests and for copying)."""
        return "\n".join(
            static.visual.plain if hasattr(static.visual, "plain") else str(static.visual)
            for static in self.query(Static)
            if static.display
        )
