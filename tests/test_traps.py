"""Traps of explain and run (issue "Rule files as tested artefacts"), each with its exact output.

1. several force rules (and a veto) fire for a unit: only the first force rule in rule-file order
   decides (scoring.engine.actions), the others are said to be overridden; ``run --explain``
   reasons name only the deciding rule;
2. points above the full score (a target method without a cap) are not shown as "of full";
3. a rule file that cannot move a total has no adjustments column (JSON keeps 0);
4. a geometric mean is said to be one: its parts do not add up.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from conftest import write_csv_file, write_rules_file

ZH_RULES = {
    "id": "t", "title": "测试评价", "id_column": "id", "name_column": "name", "precision": 2,
    "inputs": {"x": {}, "y": {}},
    "indicators": [
        {"id": "a", "label": "甲项", "weight": 60, "value": "x", "method": {"type": "target", "target": 100}},
        {"id": "b", "label": "乙项", "weight": 40, "value": "y", "method": {"type": "target", "target": 100}},
    ],
    "adjustments": [
        {"id": "f1", "label": "强制预警规则", "when": "x < 30", "action": "force", "outcome": "warn"},
        {"id": "f2", "label": "强制表彰规则", "when": "x < 20", "action": "force", "outcome": "top"},
        {"id": "v", "label": "否决规则", "when": "x < 20", "action": "veto", "outcome": "warn"},
    ],
    "outcomes": [{"id": "top", "label": "表彰", "top": 1}, {"id": "warn", "label": "预警", "bottom": 1}],
}
ROWS = [{"id": "U1", "name": "甲", "x": 500, "y": 100}, {"id": "U2", "name": "乙", "x": 80, "y": 90},
        {"id": "U3", "name": "丙", "x": 60, "y": 50}, {"id": "U4", "name": "丁", "x": 10, "y": 40}]


def english(rules: dict) -> dict:
    """The same rule file in English (its title decides the output language)."""
    return {**rules, "title": "Test", "indicators": [{**n, "label": n["id"].upper()} for n in rules["indicators"]],
            "adjustments": [{**r, "label": r["id"].upper()} for r in rules["adjustments"]],
            "outcomes": [{**o, "label": o["id"]} for o in rules["outcomes"]]}


def geometric(rules: dict) -> dict:
    """Top level geometric, no adjustment rules."""
    return {**rules, "aggregate": "geometric", "adjustments": []}


def geometric_group(rules: dict) -> dict:
    """Both indicators in one group with a geometric mean (top level arithmetic), one bonus rule."""
    return {**rules, "indicators": [{"id": "g", "label": "合计组" if rules["title"] == "测试评价" else "G",
                                     "weight": 100, "aggregate": "geometric", "children": rules["indicators"]}],
            "adjustments": [{"id": "plus", "label": "加分", "when": "x > 70", "action": "bonus", "points": 20}]}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("traps")
    data = str(write_csv_file(folder, ROWS))
    made = {"zh": ZH_RULES, "en": english(ZH_RULES), "geo_zh": geometric(ZH_RULES),
            "geo_en": geometric(english(ZH_RULES)), "group_zh": geometric_group(ZH_RULES),
            "group_en": geometric_group(english(ZH_RULES))}
    return {key: ("--rules", str(write_rules_file(folder, rules, f"{key}.yaml")), "--data", data)
            for key, rules in made.items()}


def cli(*args) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def head(text: str, count: int) -> list[str]:
    return text.splitlines()[:count]


def section(text: str, heading: str) -> list[str]:
    """The lines under ``heading`` up to the next blank line after its body."""
    lines = text.splitlines()
    start = lines.index(heading) + 3
    return lines[start:lines.index("", start)]


# --- 1. the rule that decided --------------------------------------------------------------------

def test_explain_names_the_deciding_force_rule_and_the_overridden_ones_zh(files):
    text = cli("explain", "U4", *files["zh"])
    assert head(text, 7)[3:] == [
        "排名 4/4 · 基础分 22.00（满分 100） · 总分 22.00 · 考核结果 预警",
        "强制预警规则：强制列为预警（决定结果）",
        "强制表彰规则：强制列为表彰（已被“强制预警规则”覆盖，不起作用）",
        "否决规则：不得评为预警（已被“强制预警规则”覆盖，不起作用）"]
    assert section(text, "加减分") == [
        "强制预警规则（触发条件 x < 30）：强制列为预警（决定结果）",
        "强制表彰规则（触发条件 x < 20）：强制列为表彰（已被“强制预警规则”覆盖，不起作用）",
        "否决规则（触发条件 x < 20）：不得评为预警（已被“强制预警规则”覆盖，不起作用）"]


def test_explain_names_the_deciding_force_rule_en(files):
    assert head(cli("explain", "U4", *files["en"]), 7)[3:] == [
        "Rank 4/4 · Base 22.00 of 100 · Total 22.00 · Outcome warn",
        "F1: forced into warn (decides the outcome)",
        "F2: forced into top (overridden by 'F1')",
        "V: barred from warn (overridden by 'F1')"]


def test_explain_json_marks_the_deciding_rule(files):
    doc = json.loads(cli("explain", "U4", *files["zh"], "--format", "json"))
    assert doc["decided_by"] == "f1"
    assert [(a["rule"], a["decides"], a["overridden_by"]) for a in doc["adjustments"]] == [
        ("f1", True, None), ("f2", False, "f1"), ("v", False, "f1")]
    assert doc["outcome"] == "warn"  # the engine agrees: the first force rule in file order wins


def test_run_reasons_name_only_the_deciding_rule(files):
    zh = cli("run", *files["zh"], "--explain").splitlines()
    assert zh[7] == "     4  丁        6.00   16.00   22.00  预警        强制预警规则；薄弱项：甲项 10.0%"
    en = cli("run", *files["en"], "--explain").splitlines()
    assert en[7] == "     4  丁        6.00  16.00    22.00  warn       F1; weakest: A 10.0%"


# --- 2. points above the full score -------------------------------------------------------------

def test_total_above_the_full_score_is_said_plainly(files):
    zh = cli("explain", "U1", *files["zh"])
    assert head(zh, 4)[3] == "排名 1/4 · 基础分 340.00 · 总分 340.00（满分 100，部分指标得分可超过满分） · 考核结果 表彰"
    assert "甲项：300.00（满分 60，可超过满分） · 得分率 500.0% · 同类排名 1/4" in zh.splitlines()
    assert "乙项：40.00（满分 40） · 得分率 100.0% · 同类排名 1/4" in zh.splitlines()
    en = cli("explain", "U1", *files["en"])
    assert head(en, 4)[3] == ("Rank 1/4 · Base 340.00 · Total 340.00 (full score 100; some indicators may score "
                              "above their full points) · Outcome top")
    assert "A: 300.00 (full 60; may score above it) · score rate 500.0% · peer rank 1/4" in en.splitlines()


def test_total_above_the_full_score_by_a_bonus(files):
    # U2: (80/100)^0.6 x (90/100)^0.4 x 100 = 83.86, plus 20
    assert head(cli("explain", "U2", *files["group_zh"]), 4)[3] == \
        "排名 2/4 · 基础分 83.86（满分 100） · 加减分 +20.00 · 总分 103.86（满分 100，含加分） · 考核结果 -"
    assert head(cli("explain", "U2", *files["group_en"]), 4)[3] == \
        "Rank 2/4 · Base 83.86 of 100 · Adjustments +20.00 · Total 103.86 (full score 100; bonuses included) · Outcome -"


# --- 3. no adjustments column when nothing can adjust ---------------------------------------------

def test_run_leaves_out_an_adjustments_column_of_zeros(files):
    for fmt in ("table", "markdown", "csv"):
        assert "加减分" not in cli("run", *files["zh"], "--format", fmt)
        assert "Adjustments" not in cli("run", *files["en"], "--format", fmt)
    assert cli("run", *files["en"], "--format", "csv").splitlines()[0] == "id,Rank,unit,A,B,Total,Outcome"
    doc = json.loads(cli("run", *files["zh"], "--format", "json"))
    assert [unit["adjustments_total"] for unit in doc["units"]] == [0, 0, 0, 0]


def test_run_keeps_the_adjustments_column_with_a_bonus_rule(files):
    assert cli("run", *files["group_en"], "--format", "csv").splitlines()[0] == \
        "id,Rank,unit,G,Adjustments,Total,Outcome"


def test_workbook_leaves_out_the_adjustments_column(files, tmp_path):
    from openpyxl import load_workbook

    for key, present in (("en", False), ("group_en", True)):
        out = tmp_path / f"{key}.xlsx"
        cli("run", *files[key], "--out", str(out))
        sheet = load_workbook(out).worksheets[0]
        cells = {cell.value for row in sheet.iter_rows(max_row=6) for cell in row}
        assert ("Adjustments" in cells) is present


# --- 4. geometric means ----------------------------------------------------------------------------

def test_geometric_total_is_said_in_explain_and_run(files):
    assert head(cli("explain", "U4", *files["geo_zh"]), 5)[3:] == [
        "排名 4/4 · 基础分 17.41（满分 100） · 总分 17.41 · 考核结果 预警", "总分按加权几何平均计算，各组得分之和不等于总分"]
    assert head(cli("explain", "U4", *files["geo_en"]), 5)[4] == \
        "The total is a weighted geometric mean: the groups' points do not add up to it"
    zh = cli("run", *files["geo_zh"]).splitlines()
    assert zh[10] == "总分按加权几何平均计算，各组得分之和不等于总分"
    en = cli("run", *files["geo_en"]).splitlines()
    assert en[10] == "The total is a weighted geometric mean: the groups' points do not add up to it"
    assert "几何" not in cli("run", *files["zh"])


def test_geometric_group_is_said_under_the_group(files):
    zh = cli("explain", "U4", *files["group_zh"]).splitlines()
    at = zh.index("合计组：小计 17.41（满分 100）")
    assert zh[at + 1] == "  合计组按加权几何平均计算，各项得分之和不等于其小计"
    en = cli("explain", "U4", *files["group_en"]).splitlines()
    at = en.index("G: subtotal 17.41 of 100")
    assert en[at + 1] == "  G is a weighted geometric mean: its items' points do not add up to its subtotal"
