"""A small document model for what the app prints, with one Markdown and one HTML renderer.

The minutes export, the per-person recap, the pupil's absence overview and the class overview
each build a `Document` once (a tree of dataclasses holding plain text) and hand it to
`render_markdown` or `render_html`. So the two formats can never drift apart: what is in the
view is in both, escaped for each. Texts are data: Markdown marks and HTML are escaped, never
interpreted. The HTML is one standalone page for A4 (no scripts, no external resources) with
the document's title and a page number on every printed page.

Pure Python (no Textual).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["OFF", "Bullets", "Calendar", "CalendarRow", "Document", "Facts", "Paragraph", "Section", "Table",
           "clean", "render_html", "render_markdown"]


# --------------------------------------------------------------------------- the model

@dataclass
class Paragraph:
    """A paragraph; line breaks in the text are kept. ``note`` prints it in italics."""
    text: str
    note: bool = False


@dataclass
class Bullets:
    """A bulleted list; each item may span several lines. ``cls`` is a print hint ("inline")."""
    items: list[str]
    cls: str = ""


@dataclass
class Facts:
    """Label/value pairs. ``style`` "facts" sets labels beside values, "answers" above them."""
    rows: list[tuple[str, str]]
    style: str = "facts"


@dataclass
class Table:
    """A table with one header row. Cells are single texts; empty cells show as "—".

    ``nowrap`` holds the column indexes (dates, numbers) that never wrap; ``numeric`` the ones
    aligned right.
    """
    header: list[str]
    rows: list[list[str]]
    nowrap: frozenset[int] = frozenset()
    numeric: frozenset[int] = frozenset()
    cls: str = ""


#: A calendar cell without lessons (weekend, holiday, free day): shaded in HTML, ░ in Markdown.
OFF = ""


@dataclass
class CalendarRow:
    label: str
    cells: list[str]   # short codes; OFF for no lessons, " " for not yet known
    note: str = ""     # e.g. the holiday in that week


@dataclass
class Calendar:
    """A grid of short codes: a label per row, column labels on top, short cells and a note per
    row; a legend explains the codes. Rendered dense, to fit a school year on one page."""
    corner: str
    columns: list[str]
    rows: list[CalendarRow]
    legend: list[tuple[str, str]] = field(default_factory=list)
    note_header: str = ""


@dataclass
class Section:
    """A heading with its content; sections nest (the heading level follows the depth)."""
    heading: str
    blocks: list[Block]
    cls: str = ""


Block = Paragraph | Bullets | Facts | Table | Calendar | Section


@dataclass
class Document:
    """A whole printable document: title, optional notes under it, sections, a closing footer."""
    title: str
    sections: list[Section]
    notes: list[str] = field(default_factory=list)
    footer: str = ""
    running_title: str = ""  # printed at the top of every page (default: the title)


def clean(text: str | None) -> str:
    """Trailing spaces off every line, blank lines off both ends, newlines normalised."""
    lines = [line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


# --------------------------------------------------------------------------- Markdown

_MD_INLINE = re.compile(r"([\\`*_\[\]<|])|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=~-]|\d+[.)])")


def md_escape(text: str) -> str:
    """Escape Markdown in one line of text (inline marks, HTML, and block marks at the start)."""
    text = _MD_INLINE.sub(lambda m: "\\" + (m.group(1) or "&"), text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + (
        m.group(2)[:-1] + "\\" + m.group(2)[-1] if m.group(2)[0].isdigit() else "\\" + m.group(2)), text)


def _md_block(text: str, indent: str = "  ") -> str:
    """A multi-line text as lines of a list item: continuation lines indented, hard breaks kept."""
    lines = [md_escape(line) for line in clean(text).split("\n")]
    out = lines[0]
    for before, line in zip(lines, lines[1:]):
        if not line.strip():
            out += "\n"                      # a paragraph break inside the item
        else:
            out += ("  \n" if before.strip() else "\n") + indent + line
    return out


def _md_cell(text: str) -> str:
    """One table cell: a single line, `|` escaped."""
    return " / ".join(md_escape(line.strip()) for line in clean(text).split("\n") if line.strip()) or "—"


def _md_blocks(blocks: list[Block], level: int) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Section):
            out += [f"{'#' * min(level, 6)} {md_escape(clean(block.heading).replace(chr(10), ' '))}", ""]
            out += _md_blocks(block.blocks, level + 1)
        elif isinstance(block, Paragraph):
            body = _md_block(block.text, indent="")
            out += [f"*{body}*" if block.note else body, ""]
        elif isinstance(block, Bullets):
            out += [f"- {_md_block(item)}" for item in block.items]
            out.append("")
        elif isinstance(block, Facts):
            out += [f"- **{md_escape(label)}:** {_md_block(value)}" for label, value in block.rows]
            out.append("")
        elif isinstance(block, Table):
            out += ["| " + " | ".join(_md_cell(h) for h in block.header) + " |",
                    "|" + "|".join("--:" if i in block.numeric else "---" for i in range(len(block.header))) + "|"]
            out += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Calendar):
            header = [block.corner, *block.columns] + ([block.note_header] if block.note_header else [])
            out += ["| " + " | ".join(_md_cell(h) if h else " " for h in header) + " |",
                    "|" + "|".join("---" for _ in header) + "|"]
            for row in block.rows:
                cells = [_md_cell(row.label)] + ["░" if c == OFF else (md_escape(c) if c.strip() else " ")
                                                 for c in row.cells]
                if block.note_header:
                    cells.append(md_escape(clean(row.note).replace("\n", " ")) or " ")
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
            if block.legend:
                out += [" · ".join(f"**{md_escape(code)}** {md_escape(text)}" for code, text in block.legend), ""]
    return out


def render_markdown(doc: Document) -> str:
    """The document as Markdown (CommonMark with GitHub tables)."""
    out = [f"# {md_escape(clean(doc.title).replace(chr(10), ' '))}", ""]
    for note in doc.notes:
        out += [f"*{md_escape(note)}*", ""]
    out += _md_blocks(list(doc.sections), 2)
    if doc.footer:
        out += ["---", "", f"*{md_escape(doc.footer)}*", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML

STYLE = """
html { background: #fff; color: #000; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 10pt; line-height: 1.22;
       max-width: 182mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 4pt; }
h2 { font-size: 12.5pt; margin: 8pt 0 2pt; border-bottom: 1px solid #000; padding-bottom: 1pt; }
h3 { font-size: 10.5pt; margin: 4pt 0 1pt; }
h4 { font-size: 10pt; margin: 4pt 0 1pt; font-style: italic; }
h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
p, ul, dl { margin: 0 0 4pt; }
ul { padding-left: 14pt; }
li, dt, dd { break-inside: avoid; page-break-inside: avoid; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; column-gap: 6pt; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
dl.answers { display: grid; grid-template-columns: max-content 1fr; column-gap: 6pt; margin: 0; }
dl.answers dt { font-style: italic; }
dl.answers dd { margin: 0; }
section.role { display: grid; grid-template-columns: 24mm 1fr; column-gap: 4pt; margin-bottom: 2pt; }
section.role h4 { margin: 0; }
section.inline > h2, section.inline > h3 { display: inline; margin-right: 4pt; border: 0; font-size: 10.5pt; }
section.inline > h2::after, section.inline > h3::after { content: ":"; }
ul.inline { display: inline; padding: 0; }
ul.inline li { display: inline; }
ul.inline li + li::before { content: " · "; }
section.inline { margin: 4pt 0; }
.multiline { white-space: pre-line; }
table { border-collapse: collapse; width: 100%; margin: 0 0 4pt; }
th, td { border: 1px solid #000; padding: 0.5pt 4pt; text-align: left; vertical-align: top; }
th { font-weight: bold; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
td.nowrap, th.nowrap { white-space: nowrap; }
td.num, th.num { text-align: right; }
table.calendar { font-family: "DejaVu Sans Mono", "Courier New", monospace; font-size: 7.5pt;
                 table-layout: fixed; }
table.calendar th, table.calendar td { padding: 0; text-align: center; border-color: #888; }
table.calendar th.row, table.calendar td.row { text-align: left; width: 13mm; padding-left: 2pt; }
table.calendar td.off { background: #ddd; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
table.calendar th.note, table.calendar td.note { text-align: left; width: 38mm; padding-left: 3pt;
                                                  white-space: nowrap; overflow: hidden; }
table.calendar tr { line-height: 1.15; }
p.legend { font-size: 8pt; }
section.person, section.compact { break-inside: avoid; page-break-inside: avoid; }
.note { font-style: italic; }
footer { margin-top: 10pt; border-top: 1px solid #000; padding-top: 3pt; font-size: 8pt; }
@media screen { body { margin: 12pt auto; } }
"""


def h(text: str) -> str:
    """HTML-escape a text (quotes too)."""
    return html.escape(text, quote=True)


def css_string(text: str) -> str:
    """A CSS string literal for any text: everything but letters, digits and spaces as a hex escape
    (so no quote, backslash, `<` or `</style>` can leave the string). Each escape ends with one
    space, which CSS consumes as its end, so a space after it is kept."""
    return '"' + "".join(ch if ch.isalnum() and ch.isascii() or ch == " " else f"\\{ord(ch):06x} "
                         for ch in text) + '"'


def running_page(title: str) -> str:
    """The @page rule that prints the title at the top and the page number at the bottom of every
    page (CSS page-margin boxes; browsers without them print the page without these)."""
    font = '8pt Georgia, "Times New Roman", serif'
    return ("@page { size: A4; margin: 15mm 14mm 14mm 14mm;\n"
            f"  @top-left {{ content: {css_string(title)}; font: {font}; }}\n"
            f'  @bottom-right {{ content: "pagina " counter(page) " van " counter(pages); font: {font}; }} }}\n')


def _h_block(text: str) -> tuple[str, str]:
    """Escaped text; line breaks kept by CSS (white-space: pre-line), no <br>."""
    cleaned = clean(text)
    cls = ' class="multiline"' if "\n" in cleaned else ""
    return cls, h(cleaned)


def _h_cell(tag: str, text: str, classes: list[str]) -> str:
    cleaned = clean(text)
    if "\n" in cleaned:
        classes = [*classes, "multiline"]
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<{tag}{attr}>{h(cleaned) or '—'}</{tag}>"


def _col_classes(table: Table, i: int) -> list[str]:
    return (["nowrap"] if i in table.nowrap else []) + (["num"] if i in table.numeric else [])


def _h_blocks(blocks: list[Block], level: int) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Section):
            cls = f' class="{h(block.cls)}"' if block.cls else ""
            tag = f"h{min(level, 6)}"
            out += [f"<section{cls}>", f"<{tag}>{h(clean(block.heading).replace(chr(10), ' '))}</{tag}>"]
            out += _h_blocks(block.blocks, level + 1)
            out.append("</section>")
        elif isinstance(block, Paragraph):
            cls, body = _h_block(block.text)
            if block.note:
                cls = ' class="note multiline"' if cls else ' class="note"'
            out.append(f"<p{cls}>{body}</p>")
        elif isinstance(block, Bullets):
            out.append(f'<ul class="{h(block.cls)}">' if block.cls else "<ul>")
            for item in block.items:
                cls, body = _h_block(item)
                out.append(f"<li{cls}>{body}</li>")
            out.append("</ul>")
        elif isinstance(block, Facts):
            out.append(f'<dl class="{h(block.style)}">')
            for label, value in block.rows:
                cls, body = _h_block(value)
                out.append(f"<dt>{h(label)}</dt><dd{cls}>{body}</dd>")
            out.append("</dl>")
        elif isinstance(block, Table):
            cls = f' class="{h(block.cls)}"' if block.cls else ""
            out += [f"<table{cls}>", "<thead><tr>" + "".join(
                _h_cell("th", text, _col_classes(block, i)) for i, text in enumerate(block.header)) + "</tr></thead>",
                "<tbody>"]
            out += ["<tr>" + "".join(_h_cell("td", text, _col_classes(block, i)) for i, text in enumerate(row)) + "</tr>"
                    for row in block.rows]
            out += ["</tbody>", "</table>"]
        elif isinstance(block, Calendar):
            header = f'<th class="row">{h(block.corner)}</th>' + "".join(f"<th>{h(c)}</th>" for c in block.columns)
            if block.note_header:
                header += f'<th class="note">{h(block.note_header)}</th>'
            out += ['<table class="calendar">', f"<thead><tr>{header}</tr></thead>", "<tbody>"]
            for row in block.rows:
                cells = "".join('<td class="off"></td>' if c == OFF else f"<td>{h(c)}</td>" for c in row.cells)
                note = f'<td class="note">{h(clean(row.note))}</td>' if block.note_header else ""
                out.append(f'<tr><td class="row">{h(row.label)}</td>{cells}{note}</tr>')
            out += ["</tbody>", "</table>"]
            if block.legend:
                out.append('<p class="legend">' + " · ".join(
                    f"<b>{h(code)}</b> {h(text)}" for code, text in block.legend) + "</p>")
    return out


def render_html(doc: Document) -> str:
    """The document as one standalone HTML page: no scripts, no external resources, A4 print
    with the title at the top and "pagina X van Y" at the bottom of every page."""
    title = clean(doc.title).replace("\n", " ")
    out: list[str] = [
        "<!doctype html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(title)}</title>",
        f"<style>{STYLE}{running_page(clean(doc.running_title).replace(chr(10), ' ') or title)}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{h(title)}</h1>",
    ]
    out += [f'<p class="note">{h(note)}</p>' for note in doc.notes]
    out.append("</header>")
    out += _h_blocks(list(doc.sections), 2)
    if doc.footer:
        out.append(f"<footer><p>{h(doc.footer)}</p></footer>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
