"""`zonescore init`: a starter rule file, scenario file and template that validate and run at once."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_init_by_options_then_test_run_and_lint(tmp_path, monkeypatch):
    shutil.copy(ROOT / "zones.csv", tmp_path / "zones.csv")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["--lang", "zh", "init", "--data", "zones.csv", "--out", "rules/小区.yaml",
                                  "--unit", "经济小区", "--id-column", "编号", "--name-column", "小区名称",
                                  "--groups", "增速，户数，质量"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[1:] == [
        "已写入 rules/小区.yaml", "已写入 rules/小区.tests.yaml", "已写入 rules/小区-template.xlsx",
        "下一步：zonescore test rules/小区.tests.yaml；zonescore run --rules rules/小区.yaml --data zones.csv"]
    rules = (tmp_path / "rules" / "小区.yaml").read_text(encoding="utf-8")
    assert rules.startswith("# 经济小区考核——由 zonescore init 生成的规则文件初稿")
    assert 'label: "增速"\n    weight: 34' in rules and 'label: "质量"\n    weight: 33' in rules
    scenario = (tmp_path / "rules" / "小区.tests.yaml").read_text(encoding="utf-8")
    assert 'data: "../zones.csv"' in scenario
    assert runner.invoke(main, ["test"]).exit_code == 0
    assert runner.invoke(main, ["validate", "--rules", "rules/小区.yaml"]).exit_code == 0
    run = runner.invoke(main, ["run", "--rules", "rules/小区.yaml"])
    assert run.exit_code == 0 and "表彰" in run.output
    sheet = openpyxl.load_workbook(tmp_path / "rules" / "小区-template.xlsx").active
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=5)) if cell.value]
    assert "编号" in headers or any("编号" in str(c.value) for row in sheet.iter_rows(max_row=5) for c in row)


def test_init_asks_what_is_not_given_and_never_overwrites(tmp_path, monkeypatch):
    shutil.copy(ROOT / "zones.csv", tmp_path / "zones.csv")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    answers = "zone\n编号\n小区名称\ngrowth, size\n"
    result = runner.invoke(main, ["init", "--data", "zones.csv", "--out", "r.yaml"], input=answers)
    assert result.exit_code == 0, result.output
    assert "What are the units called? [unit]: " in result.stderr
    assert Path("r.yaml").read_text(encoding="utf-8").startswith("# zone assessment — rule file written by")
    again = runner.invoke(main, ["init", "--data", "zones.csv", "--out", "r.yaml"], input=answers)
    assert again.exit_code == 1 and "Refusing to replace r.yaml" in again.stderr


def test_init_reports_bad_answers_together(tmp_path, monkeypatch):
    shutil.copy(ROOT / "zones.csv", tmp_path / "zones.csv")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "--data", "zones.csv", "--unit", "x", "--id-column", "ID",
                                       "--name-column", "NAME", "--groups", "a"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[1] == "Error: Cannot write a starter rule file"
    assert lines[2].startswith("  - zones.csv: --id-column: no such column in the sample data (found ID; expected 编号")
    assert lines[3].startswith("  - zones.csv: --name-column: no such column in the sample data (found NAME;")
