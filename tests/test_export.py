"""Tests for zorgoverleg.export: readable minutes (Markdown, HTML), the action list, the file and the CLI."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from zorgoverleg import cli
from zorgoverleg.export import UNASSIGNED, action_list, export_file, to_html, to_markdown
from zorgoverleg.minutes import Action, Attendee, Meeting, MinutesError, RoleNote, load, save

DAY = date(2026, 11, 22)


def meeting() -> Meeting:
    """Two pupils with awkward text; a third pupil (Xavier Uytterhoeven) exists only outside."""
    m = Meeting(date=DAY, title="Zorgoverleg 2de graad", finished=True,
                present=[Attendee("An Peeters", "Leerlingbegeleider"), Attendee("Bert", "CLB"),
                         Attendee("Zoë Çelik", "Graadcoördinator")])

    first = m.ensure_pupil("S-001", "Émile Dubois-Ağaoğlu", "3B", ["b_clb", "velocity"])
    first.phase = 1
    first.pivot = "An Peeters"
    first.channel = "telefoon | sms"
    first.next_review = date(2026, 12, 13)
    first.escalations = ["clb_report", "toah_bednet"]
    first.decisions = ["CLB meldt begeleidingsdossier aan", "Gesprek met ouders <na de les>"]
    first.roles[1] = RoleNote("Ouders", view="Bezorgd, ‘moe’ 😟\nzegt: \"het gaat wel\"\nbelt soms niet terug",
                              doing="Mama brengt hem elke ochtend", can_do="Afspraak met huisarts")
    first.roles[2] = RoleNote("Klasgenoot", view="GEHEIM-NIET-BETROKKEN", involved=False)
    first.roles[5] = RoleNote("CLB", view="", doing="", can_do="Onthaalgesprek <script>alert(1)</script>")
    first.actions = [
        Action("Ouders bellen | terugkoppelen", "an peeters ", date(2026, 12, 1)),
        Action("Dossier openen", "Bert", date(2026, 11, 25), done=True),
        Action("Klastitularis informeren", "Bert", date(2026, 11, 28)),
        Action("Bednet-info bezorgen", "Huisarts Verlinden", date(2026, 12, 5)),
    ]

    second = m.ensure_pupil("S-002", "Łucja Nowak", "1A", ["weekday"])
    second.phase = 0
    second.pivot = "Bert"
    second.roles[0] = RoleNote("Lln", view="Vindt maandag moeilijk", doing="", can_do="Zegt het aan de leerlingbegeleider")
    second.actions = [
        Action("Gesprek met Łucja", "AN PEETERS", date(2026, 11, 24)),
        Action("Rooster nakijken", "", None),
    ]
    return m


@pytest.fixture
def minutes_file(tmp_path: Path) -> Path:
    path = tmp_path / "2026-11-22-zorgoverleg-2de-graad.toml"
    save(meeting(), path)
    return path


# --------------------------------------------------------------------------- action list

def test_action_list_per_person():
    lists = action_list(load_roundtrip())
    assert list(lists) == ["An Peeters", "Bert", "Zoë Çelik", "Huisarts Verlinden", UNASSIGNED]
    an = lists["An Peeters"]   # "an peeters " and "AN PEETERS" are the same person
    assert [(p.name, a.what) for p, a in an] == [
        ("Łucja Nowak", "Gesprek met Łucja"), ("Émile Dubois-Ağaoğlu", "Ouders bellen | terugkoppelen")]
    # open ones first, then by due date
    assert [a.what for _p, a in lists["Bert"]] == ["Klastitularis informeren", "Dossier openen"]
    assert lists["Zoë Çelik"] == []
    assert [a.what for _p, a in lists[UNASSIGNED]] == ["Rooster nakijken"]


def load_roundtrip() -> Meeting:
    """The meeting as read back from TOML (what the exporter sees)."""
    from zorgoverleg.minutes import from_toml, to_toml

    return from_toml(to_toml(meeting()))


# --------------------------------------------------------------------------- Markdown

def test_markdown_headings_and_order(minutes_file: Path):
    md = to_markdown(load(minutes_file))
    assert md.startswith("# Zorgoverleg 2de graad — 22/11/2026\n")
    headings = re.findall(r"^(#+) (.*)$", md, flags=re.M)
    titles = [t for _h, t in headings]
    order = ["Aanwezig", "Émile Dubois-Ağaoğlu (3B)", "Łucja Nowak (1A)", "Actielijst per persoon"]
    assert [titles.index(t) for t in order] == sorted(titles.index(t) for t in order)
    assert ("##", "Émile Dubois-Ağaoğlu (3B)") in headings
    assert ("###", "Signalen bij de bespreking") in headings
    assert "- An Peeters — Leerlingbegeleider" in md
    assert "- Zoë Çelik — Graadcoördinator" in md
    # signal labels in order, phase with its name, pivot, channel, review date, escalations
    first = md.split("## Łucja Nowak")[0]
    assert first.index("- Melding CLB") < first.index("- Snelle toename")
    assert "**Fase:** 1 – Verhoogde zorg" in first
    assert "**Spilfiguur:** An Peeters" in first
    assert "**Communicatiekanaal:** telefoon \\| sms" in first
    assert "**Volgende evaluatie:** 13/12/2026" in first
    assert "**Escalaties:** Melding aan het CLB, TOAH / Bednet" in first
    assert "### Beslissingen" in first and "- CLB meldt begeleidingsdossier aan" in first
    assert "**Fase:** 0 – Brede basiszorg" in md
    # a finished meeting is not marked as a draft
    assert "Voorlopig" not in md


def test_markdown_roles_walk_only_involved_with_text(minutes_file: Path):
    md = to_markdown(load(minutes_file))
    assert "GEHEIM-NIET-BETROKKEN" not in md
    assert "Klasgenoot" not in md
    roles = re.findall(r"^#### (.*)$", md, flags=re.M)
    assert roles == ["Ouders", "CLB", "Leerling"]   # roles without text are left out
    assert "- **Kijk op de situatie:** Bezorgd, ‘moe’ 😟  \n  zegt: \"het gaat wel\"  \n  belt soms niet terug" in md
    assert "- **Doet al:** Mama brengt hem elke ochtend" in md
    assert "- **Kan (nog) doen:** Afspraak met huisarts" in md
    clb = md.split("#### CLB")[1].split("###")[0]
    assert "Kijk op de situatie" not in clb and "Doet al" not in clb
    assert "\\<script>" in clb   # no raw HTML in the Markdown
    assert "<script>" not in md.replace("\\<script>", "")


def test_markdown_agreements_table_escapes_pipes(minutes_file: Path):
    md = to_markdown(load(minutes_file))
    assert "| Wat | Wie | Tegen | Status |" in md
    assert "| Ouders bellen \\| terugkoppelen | an peeters | 01/12/2026 | open |" in md
    assert "| Dossier openen | Bert | 25/11/2026 | gedaan |" in md
    assert "| Rooster nakijken | — | — | open |" in md
    for line in md.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) == 4, line


def test_markdown_action_list_per_person(minutes_file: Path):
    md = to_markdown(load(minutes_file))
    actions = md.split("## Actielijst per persoon")[1]
    people = re.findall(r"^### (.*)$", actions, flags=re.M)
    assert people == ["An Peeters — Leerlingbegeleider", "Bert — CLB",
                      "Huisarts Verlinden (niet aanwezig op het overleg)", UNASSIGNED]
    assert "Zoë" not in actions   # an attendee without agreements gets no empty section
    an = actions.split("### Bert")[0]
    assert an.index("24/11/2026 | Łucja Nowak (1A) | Gesprek met Łucja | open") < \
        an.index("01/12/2026 | Émile Dubois-Ağaoğlu (3B) | Ouders bellen \\| terugkoppelen | open")
    bert = actions.split("### Bert")[1].split("###")[0]
    assert bert.index("Klastitularis informeren | open") < bert.index("Dossier openen | gedaan")


def test_markdown_leaves_out_empty_sections():
    m = Meeting(date=DAY, title="Leeg overleg")
    m.ensure_pupil("S-9", "Noor", "2C")
    md = to_markdown(m)
    assert "# Leeg overleg — 22/11/2026" in md
    assert "## Noor (2C)" in md
    for heading in ("Aanwezig", "Signalen bij de bespreking", "Beslissingen", "Afspraken", "Actielijst",
                    "Betrokkenen", "Fase"):
        assert heading not in md
    assert "Voorlopig verslag" in md   # not finished yet


# --------------------------------------------------------------------------- HTML

def test_html_is_standalone_and_escaped(minutes_file: Path):
    page = to_html(load(minutes_file))
    assert page.startswith("<!doctype html>")
    assert '<html lang="nl">' in page and '<meta charset="utf-8">' in page
    assert "@page { size: A4;" in page
    assert 'counter(page) " van " counter(pages)' in page   # page numbers on every printed page
    assert "page-break-inside: avoid" in page
    assert "10pt" in page
    assert "<script" not in page
    assert "Onthaalgesprek &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Gesprek met ouders &lt;na de les&gt;" in page
    assert not re.search(r"(src|href)\s*=", page)   # no external resources
    assert "<br" not in page
    assert "GEHEIM-NIET-BETROKKEN" not in page
    sections = re.findall(r'<section class="pupil">\s*<h2>(.*?)</h2>', page)
    assert sections == ["Émile Dubois-Ağaoğlu (3B)", "Łucja Nowak (1A)"]
    assert page.count('<section class="pupil">') == 2
    assert "<h1>Zorgoverleg 2de graad — 22/11/2026</h1>" in page
    assert "<h2>Actielijst per persoon</h2>" in page
    assert "&quot;het gaat wel&quot;" in page
    assert "<td>Ouders bellen | terugkoppelen</td>" in page
    assert page.rstrip().endswith("</html>")


# --------------------------------------------------------------------------- files and privacy

@pytest.mark.parametrize("fmt, suffix", [("md", ".md"), ("html", ".html")])
def test_export_file_default_path_and_mode(minutes_file: Path, fmt: str, suffix: str):
    out = export_file(minutes_file, fmt, None)
    assert out == minutes_file.with_suffix(suffix)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert "Émile Dubois-Ağaoğlu" in text


def test_export_file_holds_only_this_minutes(tmp_path: Path, minutes_file: Path):
    # another meeting about a third pupil lies in the same folder; the export never reads it
    other = Meeting(date=date(2026, 11, 8), title="Vorig overleg")
    other.ensure_pupil("S-003", "Xavier Uytterhoeven", "6A", ["severe"]).decisions = ["Xavier-beslissing"]
    save(other, tmp_path / "2026-11-08-vorig-overleg.toml")
    for fmt in ("md", "html"):
        text = export_file(minutes_file, fmt, tmp_path / f"out.{fmt}").read_text(encoding="utf-8")
        assert "Xavier" not in text and "S-003" not in text and "Zeer veel afwezig" not in text


def test_export_file_refuses_to_overwrite_the_minutes(minutes_file: Path):
    before = minutes_file.read_bytes()
    with pytest.raises(MinutesError):
        export_file(minutes_file, "md", minutes_file)
    assert minutes_file.read_bytes() == before


def test_export_file_into_a_folder(tmp_path: Path, minutes_file: Path):
    folder = tmp_path / "gedeeld"
    folder.mkdir()
    assert export_file(minutes_file, "html", folder) == folder / (minutes_file.stem + ".html")


# --------------------------------------------------------------------------- command line

def test_cli_export_ok(minutes_file: Path, tmp_path: Path, capsys):
    assert cli.main(["export", str(minutes_file)]) == 0
    out = capsys.readouterr().out.strip()
    assert out == str(minutes_file.with_suffix(".md"))
    assert Path(out).is_file()

    target = tmp_path / "verslag.html"
    assert cli.main(["export", str(minutes_file), "--format", "html", "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target)
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cli_export_broken_minutes(tmp_path: Path, capsys):
    broken = tmp_path / "kapot.toml"
    broken.write_text('[meeting]\ndate = 2026-11-22\ntitle = "niet afgesloten\n', encoding="utf-8")
    assert cli.main(["export", str(broken)]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert captured.out == ""
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err
    assert "kapot.toml" in err and "regel" in err
    assert not (tmp_path / "kapot.md").exists()


def test_cli_export_missing_minutes(tmp_path: Path, capsys):
    assert cli.main(["export", str(tmp_path / "bestaat-niet.toml")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "bestaat-niet.toml" in err


def test_cli_export_unknown_format_is_usage_error(minutes_file: Path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", str(minutes_file), "--format", "pdf"])
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_export_module_does_not_import_textual():
    code = "import sys, zorgoverleg.export; sys.exit(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert result.returncode == 0


def test_team_flags_and_carried_over_agreements():
    from zorgoverleg.minutes import TeamFlag, from_toml, to_toml

    m = Meeting(date=DAY, present=[Attendee("An", "Leerlingbegeleider")])
    p = m.ensure_pupil("S-7", "Noor", "2C", ["team_flag", "review_due"])
    p.flags = [TeamFlag("parents_unreachable", note="geen antwoord | mails"), TeamFlag("eigen_vlag")]
    p.actions = [Action("Huisbezoek plannen", "An", date(2026, 11, 20), since=date(2026, 11, 8)),
                 Action("Nieuw", "An", date(2026, 12, 1), since=DAY)]
    m = from_toml(to_toml(m))
    md, page = to_markdown(m), to_html(m)
    assert "### Teamsignalen" in md and "geen antwoord \\| mails" in md and "- eigen\\_vlag" in md
    assert "parents_unreachable" not in md   # shown with its Dutch label
    assert "open (afgesproken op 08/11/2026)" in md and "open (afgesproken op 22/11/2026)" not in md
    assert "<h3>Teamsignalen</h3>" in page and "afgesproken op 08/11/2026" in page


def _view_texts(blocks) -> list[str]:
    from zorgoverleg.document import Bullets, Facts, Paragraph, Section, Table

    out: list[str] = []
    for b in blocks:
        if isinstance(b, Section):
            out += [b.heading, *_view_texts(b.blocks)]
        elif isinstance(b, Bullets):
            out += b.items
        elif isinstance(b, Facts):
            out += [t for row in b.rows for t in row]
        elif isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, Table):
            out += b.header + [c for row in b.rows for c in row]
    return out


def test_markdown_and_html_render_one_view(minutes_file: Path):
    import html as html_mod

    from zorgoverleg.document import md_escape
    from zorgoverleg.export import minutes_view

    m = load(minutes_file)
    view = minutes_view(m)
    md, page = to_markdown(m), to_html(m)
    texts = [t for t in _view_texts(view.sections) if t.strip()]
    assert "Bednet-info bezorgen" in texts and "Ouders" in texts
    for text in texts:
        for line in text.split("\n"):
            if line.strip():
                assert md_escape(line.strip()) in md, line
                assert html_mod.escape(line.strip(), quote=True) in page, line
    # the sections of the view are the headings of both renderings, in the same order
    headings = [s.heading for s in view.sections]
    assert [t for t in re.findall(r"^## (.*)$", md, flags=re.M)] == headings
    assert re.findall(r"<h2>(.*?)</h2>", page) == [html_mod.escape(t) for t in headings]


def test_html_running_title_cannot_leave_the_stylesheet():
    m = Meeting(date=DAY, title='Overleg"; } </style><script>alert(1)</script> \\')
    page = to_html(m)
    style = page.split("<style>")[1].split("</style>")[0]
    top = next(line for line in style.splitlines() if "@top-left" in line)
    content = top.split("content: ")[1].split("; font:")[0]
    assert "<" not in style and content.count('"') == 2 and content.startswith('"') and content.endswith('"')
    assert "@top-left { content: \"Overleg\\000022" in style   # the title, hex-escaped, on every page
    assert page.count("</style>") == 1 and "<script" not in page
    from zorgoverleg.document import css_string

    assert css_string("a — b") == '"a \\002014  b"'   # the escape's own end, then the space


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(not CHROMIUM or not shutil.which("pdfinfo"), reason="needs chromium and pdfinfo")
def test_printed_minutes_of_four_pupils_fit_two_a4_pages(tmp_path: Path):
    from tests.sample_meeting import sample_meeting

    path = tmp_path / "overleg.toml"
    save(sample_meeting(), path)
    html_file = export_file(path, "html")
    pdf = tmp_path / "overleg.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", html_file.as_uri()], capture_output=True, timeout=120, check=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))
    assert 1 <= pages <= 2
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        for number, page_text in enumerate(text.split("\f")[:pages], start=1):
            flat = "".join(page_text.split())
            assert "Zorgoverleg1stegraad—13/03/2026" in flat   # the title on each page
            assert f"pagina{number}van{pages}" in flat
