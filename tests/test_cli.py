"""`zorgoverleg list` on the sample school: formats, the stories of sample_data/README.md,
--limit, --today, --config, the default database, and the exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY, sample_paths
from zorgoverleg.cli import main
from zorgoverleg.db import Database
from zorgoverleg.signals import SIGNAL_IDS

KEYS = {"rank", "pupil_id", "last_name", "first_name", "class", "score", "absent_halfdays", "b_halfdays",
        "late", "possible_halfdays", "signals"}
B_SIGNALS = {"b_first", "b_clb", "b_police", "b_allowance"}

# sample_data/README.md, "Stories": pupil id -> signals that must fire on 13 March 2026
STORIES = {
    "001008": {"b_allowance", "b_police", "b_clb", "b_first"},
    "001001": {"velocity", "partial_days", "b_clb"},
    "001003": {"detachment", "velocity", "b_police"},
    "001004": {"camouflage", "b_clb"},
    "001005": {"long_illness"},
    "001002": {"weekday", "after_break"},
    "001006": {"late"},
    "001007": {"parent_notes"},
    "001009": {"weekday", "b_clb"},
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def list_json(capsys, db: Path, *extra: str, today: str = TODAY.isoformat()) -> list[dict]:
    code, out, err = run(capsys, "list", "--db", str(db), "--today", today, "--format", "json", *extra)
    assert code == 0 and err == ""
    return json.loads(out)


def test_json_has_the_contract_keys(sample_db_path, capsys):
    rows = list_json(capsys, sample_db_path)
    assert len(rows) > 20
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    for r in rows:
        assert KEYS <= set(r), set(r) ^ KEYS
        assert r["signals"], r  # without --all only pupils with a signal
        for s in r["signals"]:
            assert set(s) >= {"id", "label", "detail"} and s["id"] in SIGNAL_IDS and s["label"] and s["detail"]
        assert isinstance(r["pupil_id"], str) and isinstance(r["score"], (int, float))
        assert 0 <= r["b_halfdays"] <= r["absent_halfdays"] <= r["possible_halfdays"]
    assert len({r["possible_halfdays"] for r in rows}) == 1


def test_stories_show_their_signals(sample_db_path, capsys):
    rows = {r["pupil_id"]: r for r in list_json(capsys, sample_db_path)}
    for pupil_id, expected in STORIES.items():
        assert pupil_id in rows, pupil_id
        ids = {s["id"] for s in rows[pupil_id]["signals"]}
        assert expected <= ids, (pupil_id, ids)
    quiet = rows["001002"]
    assert quiet["b_halfdays"] == 0 and not ({s["id"] for s in quiet["signals"]} & B_SIGNALS)
    assert rows["001008"]["b_halfdays"] >= 30
    assert rows["001006"]["late"] >= 18 and rows["001006"]["absent_halfdays"] <= 3
    assert rows["001003"]["b_halfdays"] == rows["001003"]["absent_halfdays"]
    # the two most urgent stories lead the list
    top = [r["pupil_id"] for r in list_json(capsys, sample_db_path)[:5]]
    assert {"001008", "001001", "001003"} <= set(top)
    detail = next(s["detail"] for s in rows["001008"]["signals"] if s["id"] == "b_allowance")
    assert str(rows["001008"]["b_halfdays"]) in detail


def test_pupils_without_id_are_listed_by_name(sample_db_path, capsys):
    rows = list_json(capsys, sample_db_path, "--all")
    no_id = [r for r in rows if r["pupil_id"].startswith("naam:")]
    assert sorted(r["class"] for r in no_id) == ["1C", "4WET"]
    assert all(r["last_name"] and r["first_name"] for r in no_id)
    assert len(rows) == 425  # 410 + 10 + 5 pupils in the three sample files


def test_limit(sample_db_path, capsys):
    full = list_json(capsys, sample_db_path)
    five = list_json(capsys, sample_db_path, "--limit", "5")
    assert five == full[:5]
    assert list_json(capsys, sample_db_path, "--limit", "100000") == full


def test_today_changes_the_list(sample_db_path, capsys):
    march = {r["pupil_id"]: r for r in list_json(capsys, sample_db_path)}
    october = {r["pupil_id"]: r for r in list_json(capsys, sample_db_path, "--all", today="2025-10-15")}
    june = {r["pupil_id"]: r for r in list_json(capsys, sample_db_path, today="2026-06-30")}
    assert october["001003"]["absent_halfdays"] == 0 and october["001003"]["signals"] == []
    assert october["001008"]["b_halfdays"] < march["001008"]["b_halfdays"] < june["001008"]["b_halfdays"]
    assert october["001001"]["possible_halfdays"] < march["001001"]["possible_halfdays"] \
        < june["001001"]["possible_halfdays"]
    assert june["001003"]["b_halfdays"] > march["001003"]["b_halfdays"]


def test_csv_and_table_formats(sample_db_path, capsys):
    rows = list_json(capsys, sample_db_path)
    code, out, _ = run(capsys, "list", "--db", str(sample_db_path), "--today", "2026-03-13", "--format", "csv")
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["pupil_id"] for r in table] == [r["pupil_id"] for r in rows]
    assert {"rank", "pupil_id", "score", "signals"} <= set(table[0])
    assert table[0]["signals"].split() == [s["id"] for s in rows[0]["signals"]]
    code, out, _ = run(capsys, "list", "--db", str(sample_db_path), "--today", "2026-03-13", "--limit", "3")
    assert code == 0 and "13/03/2026" in out and rows[0]["last_name"] in out


def test_config_file_changes_the_list(sample_db_path, capsys, tmp_path):
    settings = tmp_path / "school.toml"
    settings.write_text("[thresholds]\nb_allowance = 40\n", encoding="utf-8")
    rows = {r["pupil_id"]: r for r in list_json(capsys, sample_db_path, "--config", str(settings))}
    assert "b_allowance" not in {s["id"] for s in rows["001008"]["signals"]}
    code, _, err = run(capsys, "list", "--db", str(sample_db_path), "--config", str(tmp_path / "nope.toml"))
    assert code == 1 and "nope.toml" in err and len(err.strip().splitlines()) == 1


def test_default_database_from_environment(sample_db_path, capsys, monkeypatch):
    monkeypatch.setenv("ZORGOVERLEG_DB", str(sample_db_path))
    code, out, _ = run(capsys, "list", "--today", "2026-03-13", "--format", "json", "--limit", "1")
    assert code == 0 and json.loads(out)[0]["pupil_id"] == list_json(capsys, sample_db_path)[0]["pupil_id"]


def test_empty_database_lists_nothing(tmp_path, capsys):
    Database.open(tmp_path / "leeg.duckdb").close()
    assert list_json(capsys, tmp_path / "leeg.duckdb") == []
    code, out, _ = run(capsys, "list", "--db", str(tmp_path / "leeg.duckdb"), "--today", "2026-03-13")
    assert code == 0 and "Geen leerlingen" in out


def test_missing_database_exits_1(tmp_path, capsys):
    code, out, err = run(capsys, "list", "--db", str(tmp_path / "geen.duckdb"), "--format", "json")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "geen.duckdb" in err
    assert not (tmp_path / "geen.duckdb").exists()


@pytest.mark.parametrize("args", [
    ["list", "--today", "13/03/2026"],
    ["list", "--today", "2026-02-30"],
    ["list", "--limit", "0"],
    ["list", "--format", "xml"],
    ["import"],
])
def test_usage_errors_exit_2(args, capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(args + ["--db", str(tmp_path / "x.duckdb")])
    assert info.value.code == 2
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "x.duckdb").exists()


def _process(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("zorgoverleg")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "zorgoverleg.cli"]
    env = {k: v for k, v in os.environ.items() if k != "ZORGOVERLEG_DB"}
    env["XDG_CONFIG_HOME"] = str(cwd)
    return subprocess.run(command + list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_exit_codes_of_the_real_command(tmp_path):
    bad_today = _process("list", "--today", "morgen", cwd=tmp_path)
    assert bad_today.returncode == 2 and "Traceback" not in bad_today.stderr and "morgen" in bad_today.stderr
    missing = _process("list", "--db", "nergens.duckdb", cwd=tmp_path)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and "nergens.duckdb" in missing.stderr
    db = tmp_path / "s.duckdb"
    imported = _process("import", str(sample_paths()[2]), "--db", str(db), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    listed = _process("list", "--db", str(db), "--today", "2025-12-20", "--format", "json", "--all", cwd=tmp_path)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 5


def test_a_file_that_is_no_database_is_refused(tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_bytes(sample_paths()[2].read_bytes())
    before = export.read_bytes()
    for args in (["import", str(sample_paths()[2]), "--db", str(export)],
                 ["list", "--db", str(export), "--today", "2025-12-20"]):
        code, out, err = run(capsys, *args)
        assert code == 1 and "geïmporteerd" not in out
        assert len(err.strip().splitlines()) == 1 and str(export) in err
    assert export.read_bytes() == before


def test_bench_xl_needs_a_folder_the_user_names(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "never"))  # nothing may go to a temp folder
    code, out, err = run(capsys, "bench", "--size", "XL")
    assert code == 1 and not out
    assert err.count("\n") == 1 and "--dir" in err and "Traceback" not in err
    code, out, err = run(capsys, "bench", "--size", "XL", "--dir", str(tmp_path / "missing"))
    assert code == 1 and "map bestaat niet" in err
    assert not (tmp_path / "never").exists() and not (tmp_path / "missing").exists()


def test_bench_week_export_is_one_school_week_on_top(tmp_path):
    from zorgoverleg.bench import BENCH_TODAY, write_week_export

    path = tmp_path / "week.csv"
    rows = write_week_export(path, 200)
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    assert len(lines) == rows and 200 < rows < 600  # about 1.6 records a pupil, as at M (16k for 10k)
    days = {line.split(";")[5] for line in lines}
    assert max(days, key=lambda d: d[6:] + d[3:5] + d[:2]) == BENCH_TODAY.strftime("%d/%m/%Y")
    assert len(days) == 5  # Monday to Friday of the week up to BENCH_TODAY


def test_bench_says_which_child_import_failed_and_why(tmp_path):
    # the import runs in a child process (for its own peak memory); its failure must reach the
    # user as one sentence with the child's reason, not a CalledProcessError
    from zorgoverleg.bench import BenchFailed, _import_in_child

    bad = tmp_path / "export.csv"
    bad.write_text("Leerlingnummer;Naam\n001;Peeters\n", encoding="utf-8")
    with pytest.raises(BenchFailed) as info:
        _import_in_child(bad, tmp_path / "db.duckdb")
    message = str(info.value)
    assert message.startswith("de import van export.csv in een apart proces mislukte: ")
    assert "Traceback" not in message and "\n" not in message


def test_bench_import_peak_is_the_child_s_own(tmp_path):
    # ru_maxrss of a child inherits the parent's high-water mark on Linux; the bench reads the
    # child's own VmHWM, so a big parent does not inflate the import's peak
    from zorgoverleg.bench import _import_in_child, write_export

    export = tmp_path / "export.csv"
    write_export(export, 20)
    held = bytearray(320 * 1024 * 1024)
    for i in range(0, len(held), 4096):
        held[i] = 1
    seconds, peak = _import_in_child(export, tmp_path / "db.duckdb")
    assert seconds > 0 and 20 < peak < 300
    del held
