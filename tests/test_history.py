"""The history store with real SQLite files: record, reproduce, prev.* rules, amend, diff, history."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, cwd: Path):
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner(env={"ZONESCORE_DB": None}).invoke(main, [str(a) for a in args])  # zonescore.db here
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """2022 终审 → 2023 草稿 → 公示 → 异议 → 复核 → 终审, in a folder of its own."""
    folder = tmp_path_factory.mktemp("cycle")
    shutil.copytree(ROOT / "rules", folder / "rules")
    for name in ("zones.csv", "zones-2022.csv"):
        shutil.copy(ROOT / name, folder / name)
    (folder / "corrections.csv").write_text("编号,新增有效纳税户数\nZ28,300\n", encoding="utf-8")
    steps = [("record", "--stage", "终审", "--rules", "rules/qingpu-2022.yaml", "--data", "zones-2022.csv"),
             ("record", "--stage", "草稿"), ("record", "--stage", "公示"),
             ("amend", "--from", "2023:公示", "--data", "corrections.csv", "--reason", "税务局更正户数"),
             ("record", "--stage", "终审", "--from", "2023:复核")]
    outputs = []
    for step in steps:
        result = cli(*step, cwd=folder)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return folder, outputs


def test_record_stores_everything_in_one_run(cycle):
    folder, outputs = cycle
    assert outputs[0].startswith("Recorded run #1: 2022 终审, 38 units")
    with sqlite3.connect(folder / "zonescore.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT id, year, stage, parent FROM runs").fetchall() == [
            (1, 2022, "终审", None), (2, 2023, "草稿", None), (3, 2023, "公示", None), (4, 2023, "复核", 3),
            (5, 2023, "终审", 4)]
        assert db.execute("SELECT count(*) FROM units WHERE run = 2").fetchone() == (39,)
        rules = db.execute("SELECT content FROM blobs b JOIN runs r ON r.rules_sha256 = b.sha256 WHERE r.id = 2")
        assert rules.fetchone()[0] == (ROOT / "rules/qingpu-2023.yaml").read_bytes()
        row = db.execute('SELECT rank, total, outcome, inputs, points FROM units WHERE run = 2 AND unit = ?', ("Z25",))
        rank, total, outcome, inputs, points = row.fetchone()
        assert (rank, outcome) == (10, "commended") and round(total, 2) == 88.92  # 86.92 + 2 progress points
        assert json.loads(inputs)["税收"] == 107671.6 and "tax_growth" in json.loads(points)
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            db.execute("UPDATE runs SET note = 'x' WHERE id = 1")


def test_runs_are_immutable_and_reproduce_byte_identical(cycle):
    folder, _ = cycle
    for run in ("1", "4", "2023:终审"):
        result = cli("reproduce", run, cwd=folder)
        assert result.exit_code == 0, result.output
        assert result.output.endswith("Identical: the stored files give byte-identical output.\n")


def test_history_rules_fire_with_2022_in_the_store(cycle):
    folder, _ = cycle
    with sqlite3.connect(folder / "zonescore.db") as db:
        def fired(rule):
            return sorted(u for u, adj in db.execute("SELECT unit, adjustments FROM units WHERE run = 2")
                          if any(f["rule"] == rule for f in json.loads(adj)["fired"]))
        # warned in 2022 (Z03, Z09, Z25, Z27, Z36) and among the five lowest base totals of 2023
        assert fired("repeat_warning") == ["Z03", "Z09", "Z27"]
        # base-total rank at least 10 places above the 2022 final rank
        assert fired("progress") == ["Z18", "Z25", "Z35"]


def test_run_shows_year_over_year_only_with_a_store(cycle):
    folder, _ = cycle
    with_store = cli("run", "--format", "csv", cwd=folder).output.splitlines()
    assert with_store[0].endswith(",考核结果,上年排名,排名变化,上年结果")
    z25 = next(line for line in with_store if line.startswith("Z25,"))
    assert z25.endswith(",表彰,35,↑25,预警提示")
    z39 = next(line for line in with_store if line.startswith("Z39,"))
    assert z39.endswith(",不定等级,,新参评,")
    without = cli("run", "--format", "csv", "--db", "none.db", cwd=folder).output.splitlines()
    assert without[0].endswith(",考核结果") and not (folder / "none.db").exists()


def test_amend_and_diff_show_who_moved_and_why(cycle):
    folder, outputs = cycle
    assert "Recorded run #4: 2023 复核" in outputs[3]
    result = cli("diff", "2023:公示", "2023:复核", "--format", "json", cwd=folder)
    document = json.loads(result.output)
    assert document["cells"] == [{"unit": "Z28", "column": "新增有效纳税户数", "file": "zones.csv", "old": "293",
                                  "new": "300", "run": 4, "reason": "税务局更正户数"}]
    moved = {u["unit"]: (u["outcome_before"], u["outcome_after"]) for u in document["units"]}
    assert moved["Z28"] == (None, "commended") and moved["Z34"] == ("commended", None)
    assert document["rules_diff"] == []
    table = cli("diff", "1", "2", cwd=folder).output
    assert "+  - id: progress" in table and "规则文件变更" in table
    assert cli("diff", "3", "4", "--out", "d.xlsx", cwd=folder).exit_code == 0
    assert (folder / "d.xlsx").stat().st_size > 0


def test_history_table(cycle):
    folder, _ = cycle
    lines = cli("history", "--format", "csv", cwd=folder).output.splitlines()
    assert lines[0] == "\ufeff编号,经济小区,2022 排名,2022 总分,2022 考核结果,2023 排名,2023 总分,2023 考核结果".lstrip("\ufeff")
    assert "Z25,华新第二经济小区,35,71.63,预警提示,10,88.92,表彰" in lines
    unit = cli("history", "Z25", cwd=folder).output
    assert "#1      2022    终审        35   71.63  预警提示" in unit


def test_same_year_and_stage_twice_keeps_both(cycle, tmp_path):
    folder, _ = cycle
    shutil.copy(folder / "zonescore.db", tmp_path / "copy.db")
    result = cli("record", "--stage", "草稿", "--db", tmp_path / "copy.db",
                 "--rules", ROOT / "rules/qingpu-2023.yaml", "--data", ROOT / "zones.csv", cwd=folder)
    assert result.exit_code == 0
    assert "Note: 2023 草稿 was recorded before as run(s) #2; both are kept" in result.output
    assert "Recorded run #6: 2023 草稿" in result.output
