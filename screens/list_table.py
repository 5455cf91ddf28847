"""The priority list's table: one line per pupil, columns laid out for the width there is.

A Line API widget (``ScrollView`` + ``render_line``): every row is one line of fixed-width cells, so
nothing is measured by Textual; the widths come from :func:`layout` whenever the widget's width
changes. The one flexible column (the signal tags) takes the room that is left; when it would get
less than its minimum, the columns with the lowest priority give way first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

SEPARATOR = " · "


@dataclass(frozen=True)
class Column:
    """A column of the list.

    ``width`` is the fixed width; a ``fit`` column takes the width of its widest cell, between
    ``width`` and ``fit``. The ``flex`` column takes what is left, at least ``width`` while the other
    columns can give way. ``priority`` orders who gives way (lowest first; ``None``: never).
    """

    key: str
    label: str
    width: int
    priority: int | None = None
    flex: bool = False
    fit: int = 0
    align: str = "left"


@dataclass
class Row:
    key: str
    cells: dict[str, object] = field(default_factory=dict)  # str, Text, or a tuple of tags


def plain_width(value: object) -> int:
    if isinstance(value, tuple):
        return cell_len(SEPARATOR.join(value))
    return cell_len(value.plain if isinstance(value, Text) else str(value))


def fit_tags(tags: Sequence[str], width: int) -> str:
    """As many whole tags as fit in ``width`` cells, then ``+N`` for the ones left out."""
    full = SEPARATOR.join(tags)
    if cell_len(full) <= width:
        return full
    shown: list[str] = []
    for index, tag in enumerate(tags):
        rest = len(tags) - index - 1
        candidate = SEPARATOR.join([*shown, tag]) + (f" +{rest}" if rest else "")
        if cell_len(candidate) > width:
            break
        shown.append(tag)
    if not shown:  # not even the first tag fits: cut it
        more = f" +{len(tags) - 1}" if len(tags) > 1 else ""
        room = max(1, width - len(more))
        first = tags[0] if cell_len(tags[0]) <= room else tags[0][: max(0, room - 1)] + "…"
        return first + more
    rest = len(tags) - len(shown)
    return SEPARATOR.join(shown) + (f" +{rest}" if rest else "")


def layout(columns: Sequence[Column], width: int, wanted: dict[str, int]) -> list[Column]:
    """The columns that fit in ``width`` cells, with their widths (one space before each column).

    ``wanted`` holds the widest cell of each column; a column that may give way and is empty in every
    row (``wanted`` 0) goes first, as soon as the flex column does not show in full.
    """
    sized = []
    for column in columns:
        if column.fit:
            fit = max(column.width, min(column.fit, max(cell_len(column.label), wanted.get(column.key, 0))))
            column = replace(column, width=fit)
        sized.append(column)
    kept = list(sized)
    flex = next((c for c in kept if c.flex), None)

    def room() -> int:
        return width - sum(c.width + 1 for c in kept if not c.flex) - 1

    if flex is not None:
        full = max(wanted.get(flex.key, 0), cell_len(flex.label))
        need = min(flex.width, full)
        droppable = sorted((c for c in kept if c.priority is not None and not c.flex), key=lambda c: c.priority or 0)
        # A column without anything in it makes room as soon as the flex column is cut...
        for column in [c for c in droppable if wanted.get(c.key) == 0]:
            if room() >= full:
                break
            kept.remove(column)
            droppable.remove(column)
        # ...the others only when the flex column would get less than its minimum.
        while room() < need and droppable:
            kept.remove(droppable.pop(0))
        # Room to spare beside the flex column's widest cell: a cut-off fit column may grow.
        spare = room() - max(wanted.get(flex.key, 0), flex.width)
        for n, column in enumerate(kept):
            if column.fit and spare > 0 and wanted.get(column.key, 0) > column.width:
                grow = min(spare, wanted[column.key] - column.width)
                kept[n] = replace(column, width=column.width + grow)
                spare -= grow
        kept = [replace(c, width=max(room(), 1)) if c.flex else c for c in kept]
    return kept


class ListTable(ScrollView, can_focus=True):
    """Rows with a cursor; Home/End go to the first/last row. Enter is the screen's."""

    BINDINGS = [
        Binding("up", "cursor_up", "Omhoog", show=False),
        Binding("down", "cursor_down", "Omlaag", show=False),
        Binding("pageup", "page_up", "Vorige pagina", show=False),
        Binding("pagedown", "page_down", "Volgende pagina", show=False),
        Binding("home,ctrl+home", "first", "Eerste rij", show=False),
        Binding("end,ctrl+end", "last", "Laatste rij", show=False),
    ]

    COMPONENT_CLASSES = {"list-table--header", "list-table--cursor", "list-table--even-row"}

    DEFAULT_CSS = """
    ListTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        & > .list-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .list-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .list-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .list-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:nocolor > .list-table--cursor {
            text-style: reverse bold;  /* NO_COLOR: the cursor still shows */
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Selected(Message):
        """A row was chosen with the mouse (Enter is the screen's own key)."""

        def __init__(self, table: ListTable, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.row_key = row_key

        @property
        def control(self) -> ListTable:
            return self.table

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.column_specs = list(columns)
        self.columns: list[Column] = list(columns)  # what is shown at the current width
        self.rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._wanted: dict[str, int] = {}
        self._strips: dict[int, Strip] = {}
        self._layout_width = -1

    # ---- data --------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)
        self._index = {row.key: n for n, row in enumerate(self.rows)}
        wanted: dict[str, int] = {}
        for column in self.column_specs:
            if column.fit or column.flex:
                wanted[column.key] = max((plain_width(r.cells.get(column.key, "")) for r in self.rows), default=0)
            elif column.priority is not None:
                wanted[column.key] = int(any(r.cells.get(column.key) for r in self.rows))  # 0: empty everywhere
        self._wanted = wanted
        self._relayout(force=True)
        self.virtual_size = Size(self.virtual_size.width, len(self.rows) + 1)
        self.cursor_row = min(max(self.cursor_row, 0), max(len(self.rows) - 1, 0))

    def update_cell(self, row_key: str, column_key: str, value: object) -> None:
        index = self._index.get(row_key)
        if index is None:
            return
        self.rows[index].cells[column_key] = value
        self._strips.pop(index, None)
        self.refresh_row(index)

    def cell(self, index: int, column_key: str) -> str:
        """The text of one cell as it is stored (for tests and copying)."""
        value = self.rows[index].cells.get(column_key, "")
        if isinstance(value, tuple):
            return SEPARATOR.join(value)
        return value.plain if isinstance(value, Text) else str(value)

    def get_row_at(self, index: int) -> list[str]:
        """Every cell of a row as text, in the order of all columns (also those not shown now)."""
        return [self.cell(index, column.key) for column in self.column_specs]

    def get_row(self, row_key: str) -> list[str]:
        index = self._index.get(row_key)
        if index is None:
            raise KeyError(row_key)
        return self.get_row_at(index)

    def row_index(self, row_key: str) -> int | None:
        return self._index.get(row_key)

    def row_text(self, index: int) -> str:
        """One row as it is drawn now (truncated to the columns that fit)."""
        return self._row_strip(index).text

    def header_text(self) -> str:
        return self._header_strip().text

    @property
    def row_count(self) -> int:
        return len(self.rows)

    # ---- layout ------------------------------------------------------------------------------
    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _relayout(self, force: bool = False) -> None:
        width = self._content_width()
        if width <= 0:
            return
        if force or width != self._layout_width:
            self._layout_width = width
            self.columns = layout(self.column_specs, width, self._wanted)
            self._strips.clear()
            self.virtual_size = Size(width, len(self.rows) + 1)
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    # ---- rendering ---------------------------------------------------------------------------
    def _cell_text(self, column: Column, value: object) -> Text:
        if isinstance(value, tuple):
            text = Text(fit_tags(value, column.width))
        elif isinstance(value, Text):
            text = value.copy()
        else:
            text = Text(str(value))
        text.truncate(column.width, overflow="ellipsis")
        text.align("right" if column.align == "right" else "left", column.width)
        return text

    def _label(self, column: Column) -> str:
        """The header of a column; a cut flex column of tags says what ``+N`` means."""
        if column.flex and column.width < self._wanted.get(column.key, 0):
            return f"{column.label} (+N: nog N)"
        return column.label

    def _line(self, cells: Sequence[Text]) -> Strip:
        line = Text(" ")
        for n, cell in enumerate(cells):
            if n:
                line.append(" ")
            line.append_text(cell)
        segments = [Segment(s.text, s.style) for s in line.render(self.app.console)]
        return Strip(segments).extend_cell_length(self._layout_width).crop(0, self._layout_width)

    def _header_strip(self) -> Strip:
        cells = [self._cell_text(c, self._label(c)) for c in self.columns]
        style = self.rich_style + self.get_component_rich_style("list-table--header")
        return self._line(cells).apply_style(style)

    def _row_strip(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is None:
            row = self.rows[index]
            strip = self._line([self._cell_text(c, row.cells.get(c.key, "")) for c in self.columns])
            self._strips[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        if self._layout_width <= 0:
            self._relayout()
        if y == 0:
            return self._header_strip()
        index = round(self.scroll_y) + y - 1
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(self._layout_width, base)
        if index == self.cursor_row:
            style = base + self.get_component_rich_style("list-table--cursor")
        elif index % 2:
            style = base + self.get_component_rich_style("list-table--even-row")
        else:
            style = base
        return self._row_strip(index).apply_style(style)

    def refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # ---- cursor ------------------------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)
        self._keep_visible(new)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _keep_visible(self, index: int) -> None:
        top = round(self.scroll_y)
        page = self._page()
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + page:
            self.scroll_to(y=index - page + 1, animate=False)

    def move_cursor(self, *, row: int) -> None:
        if self.rows:
            self.cursor_row = min(max(row, 0), len(self.rows) - 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self.rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor_row:
                self.post_message(self.Selected(self, self.rows[index].key))
            self.move_cursor(row=index)
