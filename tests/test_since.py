"""Since the first agreement: absences after it against the same number of school days before it,
on the sample school with a minutes file that holds the agreement."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from tests.conftest import CAL, TODAY
from zorgoverleg import cli
from zorgoverleg.config import load_config
from zorgoverleg.db import Database
from zorgoverleg.history import index_minutes
from zorgoverleg.minutes import Action, Meeting, minutes_dir, minutes_path, save
from zorgoverleg.sampledata import sample_dir
from zorgoverleg.since import since_discussed

AGREED = date(2026, 2, 23)  # the Monday after the carnival holiday


def write_agreements(db_path: Path, pupils: dict[str, date], *, title: str = "Zorgoverleg") -> None:
    """A finished meeting per agreement date, with one agreement for each pupil id."""
    by_day: dict[date, list[str]] = {}
    for pupil, day in pupils.items():
        by_day.setdefault(day, []).append(pupil)
    folder = minutes_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    for day, ids in by_day.items():
        m = Meeting(date=day, title=title, finished=True)
        for pupil in ids:
            m.ensure_pupil(pupil, pupil).actions = [Action("Ouders uitnodigen", "An", day)]
        save(m, minutes_path(folder, day, title))


def expected(pupil_id: str, agreed: date, today: date = TODAY) -> dict:
    """The numbers counted straight from the sample CSV and the calendar (not through the database)."""
    days = CAL.school_days(today)
    since = [d for d in days if d >= agreed]
    before = [d for d in days if d < agreed][-len(since):]
    halfdays = {d: len(CAL.halfdays_on(d)) for d in days}
    absent: dict[str, set] = {"since": set(), "before": set()}
    b: dict[str, int] = {"since": 0, "before": 0}
    with open(sample_dir() / "absences.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if row["Leerlingnummer"] != pupil_id or row["Code"] == "L":
                continue
            d, month, y = map(int, row["Datum"].split("/"))
            day = date(y, month, d)
            part = "since" if day in since else "before" if day in before else None
            if part and row["Dagdeel"] in CAL.halfdays_on(day):
                absent[part].add((day, row["Dagdeel"]))
                b[part] += row["Code"].startswith("B")
    return {"possible_since": sum(halfdays[d] for d in since), "possible_before": sum(halfdays[d] for d in before),
            "absent_since": len(absent["since"]), "absent_before": len(absent["before"]),
            "b_since": b["since"], "b_before": b["before"]}


def test_absences_drop_after_the_agreement(school):
    # 001005 was ill every school day from 12 January to the carnival holiday; back at school after it
    write_agreements(school, {"001005": AGREED, "001003": AGREED})
    with Database.open(school) as db:
        index_minutes(db, minutes_dir(school))
        found = since_discussed(db, TODAY, load_config())
    assert set(found) == {"001005", "001003"}
    saneke = found["001005"]
    want = expected("001005", AGREED)
    assert {k: getattr(saneke, k) for k in want} == want
    assert want["absent_before"] == want["possible_before"] == 27 and want["absent_since"] == 0
    assert saneke.weeks_since == saneke.weeks_before == 3
    assert saneke.trend == "down" and saneke.mark == "↓"
    assert saneke.sentence() == ("sinds 23/02: 0 van 27 halve dagen (0%), waarvan 0 B; "
                                 "de 3 weken ervoor: 27 van 27 (100%), waarvan 0 B")
    assert saneke.to_json()["rate_before"] == 1.0 and saneke.to_json()["rate_since"] == 0.0
    # 001003's B half-days speed up every week from February on
    rising = found["001003"]
    want = expected("001003", AGREED)
    assert {k: getattr(rising, k) for k in want} == want
    assert rising.b_since > rising.b_before > 0
    assert rising.mark == "↑"


def test_first_agreement_counts_and_window_is_clipped_at_the_school_year(school):
    # two meetings: the first agreement (2 Oct) sets the date; before it only the first weeks exist
    write_agreements(school, {"001008": date(2025, 10, 2)})
    write_agreements(school, {"001008": date(2026, 1, 12)}, title="Tweede overleg")
    with Database.open(school) as db:
        index_minutes(db, minutes_dir(school))
        vimar = since_discussed(db, TODAY, load_config(), pupil_keys=["001008"])["001008"]
    assert vimar.first_date == date(2025, 10, 2)
    first_days = [d for d in CAL.school_days(TODAY) if d < date(2025, 10, 2)]
    assert vimar.days_before == len(first_days) < vimar.days_since
    assert vimar.possible_before == sum(len(CAL.halfdays_on(d)) for d in first_days)
    want = expected("001008", date(2025, 10, 2))
    assert vimar.absent_since == want["absent_since"] and vimar.b_since == want["b_since"]


def test_list_json_carries_since_discussed(school, capsys):
    write_agreements(school, {"001005": AGREED})
    assert cli.main(["list", "--db", str(school), "--today", "2026-03-13", "--format", "json", "--all"]) == 0
    rows = {r["pupil_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert all("since_discussed" in r for r in rows.values())
    saneke = rows["001005"]["since_discussed"]
    assert saneke["date"] == "2026-02-23"
    assert (saneke["rate_before"], saneke["rate_since"], saneke["trend"]) == (1.0, 0.0, "down")
    assert (saneke["absent_before"], saneke["possible_before"], saneke["b_since"]) == (27, 27, 0)
    assert rows["001003"]["since_discussed"] is None   # never agreed anything


def test_list_table_and_csv_carry_the_mark(school, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: one table row a line
    write_agreements(school, {"001005": AGREED})
    assert cli.main(["list", "--db", str(school), "--today", "2026-03-13", "--format", "csv", "--all"]) == 0
    rows = {r["pupil_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (rows["001005"]["since_date"], rows["001005"]["since_trend"]) == ("2026-02-23", "down")
    assert (rows["001003"]["since_date"], rows["001003"]["since_trend"]) == ("", "")
    assert cli.main(["list", "--db", str(school), "--today", "2026-03-13", "--all"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "Snaerkenhove" in line)
    assert "23/02 ↓" in line


def test_agreement_later_than_today_is_not_counted(school):
    write_agreements(school, {"001005": date(2026, 3, 20)})
    with Database.open(school) as db:
        index_minutes(db, minutes_dir(school))
        assert since_discussed(db, TODAY, load_config()) == {}


async def test_list_marks_and_overview_says_it(school):
    from tests.test_app import make_app, settle, start_meeting

    write_agreements(school, {"001005": AGREED, "001003": AGREED})
    app = make_app(school)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(app, pilot)
        await settle(app, pilot)
        agenda = app.screen
        table = agenda.query_one("#agenda-table")
        cells = {r.pupil_id: str(table.get_row(r.pupil_key)[7]) for r in agenda.shown}
        assert cells["001005"].endswith("↓") and cells["001003"].endswith("↑")
        assert "23/02" in cells["001005"]
        assert not any(mark in cells["001008"] for mark in "↑↓=")
        await pilot.press("slash", *"lange ziekte", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        text = app.screen.query_one("PupilOverview").plain_text()
        assert "↓ minder afwezig · sinds 23/02: 0 van 27 halve dagen (0%)" in text
        assert "de 3 weken ervoor: 27 van 27 (100%)" in text
