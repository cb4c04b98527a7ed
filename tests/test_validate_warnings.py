"""validate: warnings (exit 0) apart from errors (exit 1), in the exact form, in English and Chinese.

Warnings: a value scored by a missing-value policy (an empty cell, a growth on a zero base), an
empty cell no indicator reads, an outlier beyond 5 standard deviations, a column total that
differs from the control total the rule file states.
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main
from scoring.analysis.validate import validate_files

RULES = """\
id: t
title: T
id_column: 编号
name_column: 名称
inputs:
  税收: {}
  上年税收: {column: 上年税收（万元）, control_total: 300}
  违规: {range: [0, 1]}
derived:
  增速: growth(税收, 上年税收)
indicators:
  - {id: tax, label: 税收, weight: 10, value: 税收, method: {type: minmax}}
  - {id: growth, label: 税收增速, weight: 10, value: 增速, method: {type: minmax},
     missing: {policy: fallback, fallback: "5"}}
adjustments:
  - {id: veto, label: 违规, when: 违规 == 1, action: veto, outcome: top}
outcomes:
  - {id: top, top: 1}
"""
HEADER = "编号,名称,税收,上年税收（万元）,违规\n"
CLEAN = HEADER + "U1,甲,50,100,0\nU2,乙,60,120,0\nU3,丙,70,80,1\n"
# U2: empty 上年税收 (fallback); U3: zero base (growth undefined, fallback) and an empty 违规 cell
GAPS = HEADER + "U1,甲,50,100,0\nU2,乙,60,,0\nU3,丙,70,0,\n"
SUMMARY = ("rules OK: rules.yaml (2 indicators in 0 groups, 1 adjustment rule, 1 outcome)\n"
           "data OK: data.csv (3 units)\n"
           "scoring OK: every unit could be scored, ranked and classified\n")
SUMMARY_ZH = ("规则无误：rules.yaml（2 项指标，分 0 组，1 条加减分规则，1 种考核结果）\n"
              "数据无误：data.csv（3 个考核对象）\n"
              "计分无误：每个考核对象都能计分、排名和确定考核结果\n")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path


def validate(folder, data, lang="en", rules=None):
    (folder / "data.csv").write_text(data, encoding="utf-8")
    if rules is not None:
        (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    return CliRunner().invoke(main, ["validate", "--rules", "rules.yaml", "--data", "data.csv", "--lang", lang])


def test_clean_data_has_no_warning(folder):
    result = validate(folder, CLEAN.replace("U3,丙,70,80,1", "U3,丙,70,80,0"))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, SUMMARY + "note: these adjustment rules fire for no unit: veto\n", "")


def test_policies_and_empty_cells_are_warnings_not_errors(folder):
    result = validate(folder, GAPS)
    assert result.exit_code == 0, result.output
    assert result.stdout == SUMMARY + (
        "note: these adjustment rules fire for no unit: veto\n"
        "4 warning(s): values to check before the results are published\n"
        "  - data.csv:3: 上年税收（万元）: empty cell: indicator '税收增速' is scored by its fallback 5 "
        "(found an empty cell for unit U2; expected a number, if the value is known)\n"
        "  - data.csv:4: 税收增速: value undefined (e.g. growth on a zero base): indicator '税收增速' is scored by its "
        "fallback 5 (found unit U3: 税收 70, 上年税收（万元） 0; expected values the method can score, if they are "
        "known)\n"
        "  - data.csv:4: 违规: empty cell, read as a missing value (a condition on it is false) "
        "(found an empty cell for unit U3; expected a number, if the value is known)\n"
        "  - data.csv: 上年税收（万元）: column total differs from the department's control total "
        "(found 100 over 2 units; expected 300 (control_total in rules.yaml; difference -200))\n")


def test_warnings_in_chinese(folder):
    result = validate(folder, GAPS, lang="zh")
    assert result.exit_code == 0, result.output
    assert result.stdout == SUMMARY_ZH + (
        "注意：以下加减分规则对任何考核对象都未触发：veto\n"
        "4 条警告：公布结果前请核对以下数值\n"
        "  - data.csv:3: 上年税收（万元）: 空单元格：指标“税收增速”按替代公式 5 计分"
        "（实际为 考核对象 U2 的单元格为空；应为 数值已知时填入数字）\n"
        "  - data.csv:4: 税收增速: 数值无法计算（如基数为零时的增速）：指标“税收增速”按替代公式 5 计分"
        "（实际为 考核对象 U3：税收 70, 上年税收（万元） 0；应为 数值已知时，填入计分方法能计算的数值）\n"
        "  - data.csv:4: 违规: 空单元格，按缺失值读取（以它为条件的规则不成立）"
        "（实际为 考核对象 U3 的单元格为空；应为 数值已知时填入数字）\n"
        "  - data.csv: 上年税收（万元）: 该列合计与部门控制总数不符"
        "（实际为 2 个考核对象合计 100；应为 300（rules.yaml 中的 control_total；差额 -200））\n")


def test_a_matching_control_total_is_no_warning(folder):
    result = validate(folder, CLEAN.replace("80", "80.004"))  # 300.004: equal to the cent
    assert result.exit_code == 0 and "warning" not in result.stdout


def test_errors_still_fail_and_come_before_any_warning(folder):
    result = validate(folder, GAPS.replace("U1,甲,50", "U1,甲,五十"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("Error: Data file has 1 problem(s): data.csv\n"
                             "  - data.csv:2: 税收: not a number (found '五十'; expected a number (or an empty cell "
                             "for a missing value))\n")


def test_an_outlier_beyond_five_standard_deviations(folder):
    # 29 units 100..128 and one far above (sqrt(29) = 5.39 standard deviations: 5 is exceeded from 27 units on)
    values = [100 + i for i in range(29)] + [114000]
    rows = "".join(f"U{i + 1:02d},名{i},{v},{v},0\n" for i, v in enumerate(values))
    rules = RULES.replace(", control_total: 300", "")
    result = validate(folder, HEADER + rows, rules=rules)
    assert result.exit_code == 0, result.output
    # mean (29 x 114 + 114000) / 30 = 3910.2; standard deviation (of all 30, by hand) 20443.1643
    expected = ("(found 114000 for unit U30; expected between -98305.62148 and 106126.0215 "
                "(mean 3910.2, standard deviation 20443.1643), or a value checked at the source)")
    lines = result.stdout.splitlines()
    assert lines[-3] == "2 warning(s): values to check before the results are published"
    assert lines[-2] == "  - data.csv:31: 税收: unusual value: more than 5 standard deviations from the column's mean " \
        + expected
    assert lines[-1] == "  - data.csv:31: 上年税收（万元）: unusual value: more than 5 standard deviations from the " \
        "column's mean " + expected


def test_a_flag_column_mostly_zero_is_not_an_outlier(folder):
    rows = "".join(f"U{i + 1:02d},名{i},{100 + i},{100 + i},{1 if i == 0 else 0}\n" for i in range(40))
    report = validate_files_in(folder, HEADER + rows)
    assert [w.field for w in report.warnings] == ["上年税收（万元）"]  # the control total only, not 违规


def validate_files_in(folder, data):
    (folder / "data.csv").write_text(data, encoding="utf-8")
    return validate_files("rules.yaml", "data.csv")


def test_a_warning_names_the_header_as_in_the_file(folder):
    result = validate(folder, GAPS.replace("上年税收（万元）", "上年税收 (万元)"))
    assert result.exit_code == 0, result.output
    assert "note: data.csv:1: header '上年税收 (万元)' read as '上年税收（万元）'\n" in result.stdout
    assert "  - data.csv:3: 上年税收 (万元): empty cell: indicator '税收增速' is scored by its fallback 5 " in result.stdout


def test_warnings_on_joined_files_name_the_files_without_a_row(folder):
    (folder / "tax.csv").write_text("编号,名称,税收,违规\nU1,甲,50,0\nU2,乙,60,0\nU3,丙,70,0\n", encoding="utf-8")
    (folder / "prev.csv").write_text("编号,上年税收（万元）\nU1,100\nU2,\nU3,200\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--rules", "rules.yaml", "--data", "tax.csv", "--data", "prev.csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [  # the column adds up to its control total (300): no warning
        "1 warning(s): values to check before the results are published",
        "  - tax.csv, prev.csv: 上年税收（万元）: empty cell: indicator '税收增速' is scored by its fallback 5 "
        "(found an empty cell for unit U2; expected a number, if the value is known)"]
