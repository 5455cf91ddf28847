"""The recap after the meeting: one file per person with only their agreements, and the open
agreements as CSV for the secretariat."""

from __future__ import annotations

import csv
import io
import stat
from datetime import date
from pathlib import Path

import pytest

from tests.test_export import meeting
from zorgoverleg import cli
from zorgoverleg.minutes import Action, save
from zorgoverleg.recap import export_per_person, open_agreements_csv


@pytest.fixture
def minutes_file(tmp_path: Path) -> Path:
    path = tmp_path / "2026-11-22-zorgoverleg-2de-graad.toml"
    save(meeting(), path)
    return path


def test_one_file_per_person_with_only_their_agreements(minutes_file: Path):
    written = export_per_person(minutes_file, "md")
    names = {p.name.removeprefix(minutes_file.stem + "-"): p.read_text(encoding="utf-8") for p in written}
    assert set(names) == {"an-peeters.md", "bert.md", "huisarts-verlinden.md", "niet-toegewezen.md"}
    assert all(p.parent == minutes_file.parent and stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    an, bert, doctor, nobody = (names[k] for k in ("an-peeters.md", "bert.md", "huisarts-verlinden.md",
                                                    "niet-toegewezen.md"))
    assert an.startswith("# Actielijst An Peeters — Leerlingbegeleider\n")
    assert "Gesprek met Łucja" in an and "Ouders bellen \\| terugkoppelen" in an
    assert "Dossier openen" not in an and "Bednet" not in an and "Rooster" not in an
    assert "## Spilfiguur voor" in an and "Émile Dubois-Ağaoğlu (3B)" in an   # An is Émile's pivot
    assert "Klastitularis informeren | open" in bert and "Dossier openen | gedaan" in bert
    assert "Łucja Nowak (1A) | — | —" in bert   # Bert is Łucja's pivot, without channel or date
    assert "Bednet-info bezorgen" in doctor and "Łucja" not in doctor and "Ouders bellen" not in doctor
    assert "Rooster nakijken" in nobody
    for text in names.values():  # never the roles' views, the notes or the decisions
        assert "Bezorgd" not in text and "GEHEIM" not in text and "CLB meldt" not in text


def test_per_person_html_and_odd_names(tmp_path: Path):
    m = meeting()
    m.pupils[0].actions.append(Action("Pad testen", "../../etc/<b>passwd", date(2026, 12, 2)))
    path = tmp_path / "overleg.toml"
    save(m, path)
    out = tmp_path / "uit"
    out.mkdir()
    written = export_per_person(path, "html", out)
    assert all(p.parent == out for p in written)
    odd = [p for p in written if "passwd" in p.name]
    assert [p.name for p in odd] == ["overleg-etc-b-passwd.html"]
    page = odd[0].read_text(encoding="utf-8")
    assert "&lt;b&gt;passwd" in page and "<b>passwd" not in page
    assert 'counter(page) " van " counter(pages)' in page


def test_cli_per_person(minutes_file: Path, tmp_path: Path, capsys):
    assert cli.main(["export", str(minutes_file), "--per-person", "--format", "html"]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 4 and all(Path(p).is_file() and p.endswith(".html") for p in printed)
    assert cli.main(["export", str(minutes_file), "--per-person", "-o", str(tmp_path / "nergens")]) == 1
    assert "nergens" in capsys.readouterr().err and not (tmp_path / "nergens").exists()
    assert cli.main(["export", str(minutes_file), "--per-person", "--format", "csv"]) == 2


def test_open_agreements_csv(minutes_file: Path, tmp_path: Path, capsys):
    m = meeting()
    m.pupils[1].actions.append(Action("=HYPERLINK(\"http://x\")", "@Bert", None, since=date(2026, 11, 8)))
    text = open_agreements_csv(m)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["wat"] for r in rows] == ["Gesprek met Łucja", "Klastitularis informeren", "Ouders bellen | terugkoppelen",
                                        "Bednet-info bezorgen", "Rooster nakijken", "'=HYPERLINK(\"http://x\")"]
    assert "Dossier openen" not in text   # done
    assert rows[-1]["wie"] == "'@Bert" and rows[-1]["afgesproken_op"] == "2026-11-08"
    assert rows[0] | {} == {"leerling": "Łucja Nowak", "klas": "1A", "leerling_id": "S-002",
                            "wat": "Gesprek met Łucja", "wie": "AN PEETERS", "tegen": "2026-11-24",
                            "afgesproken_op": "2026-11-22"}
    assert cli.main(["export", str(minutes_file), "--format", "csv"]) == 0
    out = Path(capsys.readouterr().out.strip())
    assert out.name == minutes_file.stem + "-open-afspraken.csv" and stat.S_IMODE(out.stat().st_mode) == 0o600

