"""Warning and commendation lists (every format) and the data template."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from scoring.api.assessment import load_assessment
from scoring.io.data import read_table, wanted_columns
from scoring.errors import OptionError
from scoring.report.exports import list_headers, outcome_list, render_list, selector_outcome, write_list
from scoring.analysis.lines import line_distances, reasons
from scoring.engine.run import run_files
from scoring.io.template import template_columns, write_template

from conftest import ROOT

RULES = ROOT / "rules" / "qingpu-2023.yaml"
ZONES = ROOT / "zones.csv"
MUYUN = ROOT / "rules" / "examples" / "muyun-enterprises.yaml"
ENTERPRISES = ROOT / "rules" / "examples" / "enterprises.csv"


@pytest.fixture(scope="module")
def result():
    return run_files(RULES, ZONES)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def members(result, outcome_id):
    return [u for u in result.ranking.order if result.ranking.outcome[u] == outcome_id]


# --- the lists as data --------------------------------------------------------------------


def test_selector_outcomes(result):
    assert selector_outcome(result.assessment, "bottom") == "warned"
    assert selector_outcome(result.assessment, "top") == "commended"
    muyun = load_assessment(MUYUN)
    assert selector_outcome(muyun, "top") == "A"
    with pytest.raises(OptionError, match="no outcome chosen from the bottom"):
        selector_outcome(muyun, "bottom")


def test_warning_list(result):
    listed = outcome_list(result, "warned")
    assert list(listed.index) == list(listed["id"]) == members(result, "warned")
    assert len(listed) == 5
    assert list(listed.columns) == ["id", "rank", "name", "所属单位", "total", "distance", "reason"]
    assert list(listed["rank"]) == sorted(listed["rank"])
    distances = line_distances(result)["warned"]
    why = reasons(result)
    for unit_id, row in listed.iterrows():
        assert row["total"] == result.total[unit_id]
        assert row["distance"] == distances[unit_id]
        assert row["reason"] == why[unit_id]
        assert row["name"] == result.name(unit_id)
    assert "税收大幅下滑强制预警" in listed.loc["Z15", "reason"]  # forced warning named as the reason
    assert all("薄弱项" in r for r in listed["reason"])


def test_commended_list_and_any_outcome(result):
    listed = outcome_list(result, "commended")
    assert len(listed) == 12 and list(listed["id"]) == members(result, "commended")
    assert (listed["distance"] >= 0).all() and listed["distance"].min() == 0
    assert "Z37" not in listed.index  # vetoed (违规返税) although ranked 2nd
    muyun = run_files(MUYUN, ENTERPRISES)
    for outcome in ("A", "B", "C", "D"):
        assert list(outcome_list(muyun, outcome)["id"]) == members(muyun, outcome)
    with pytest.raises(OptionError, match="Unknown outcome"):
        outcome_list(result, "gold")


def test_headers_come_from_the_rule_file(result):
    headers = list_headers(result, "warned")
    assert headers == {"id": "编号", "rank": "排名", "name": "经济小区", "所属单位": "所属单位", "total": "总分",
                       "distance": "距预警提示线", "reason": "原因"}


# --- the lists as documents --------------------------------------------------------------


def test_warnings_to_the_terminal(result):
    out = invoke("warnings", "--rules", str(RULES), "--data", str(ZONES))
    assert out.exit_code == 0, out.output
    assert "预警提示" in out.output and "距预警提示线" in out.output
    for unit_id in members(result, "warned"):
        assert result.name(unit_id) in out.output
    assert "预警提示线: 70.38" in out.output
    commended = invoke("commended", "--rules", str(RULES), "--data", str(ZONES))
    assert commended.exit_code == 0 and commended.output.count("经济小区") >= 12


def test_lists_in_every_format_agree(tmp_path, result):
    expected = [(u, round(float(result.total[u]), 2)) for u in members(result, "warned")]
    for suffix in (".xlsx", ".csv", ".json", ".md"):
        out = tmp_path / f"warnings{suffix}"
        done = invoke("warnings", "--rules", str(RULES), "--data", str(ZONES), "--out", str(out))
        assert done.exit_code == 0, done.output
        assert f"Wrote {out}" in done.output
    book = load_workbook(tmp_path / "warnings.xlsx")
    assert book.sheetnames == ["预警提示", "来源"]
    ws = book.worksheets[0]
    assert ws["A1"].value == "青浦区2023年度经济小区招商服务管理考核" and ws["A2"].value == "预警提示名单"
    assert ws.freeze_panes == "D4" and ws.auto_filter.ref == "A3:H8"
    header = [c.value for c in ws[3]]
    assert header == ["序号", "编号", "经济小区", "所属单位", "总分", "排名", "距预警提示线", "原因"]
    rows = list(ws.iter_rows(min_row=4, max_row=8, values_only=True))
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [(r[1], r[header.index("总分")]) for r in rows] == expected
    assert all(isinstance(r[header.index("距预警提示线")], (int, float)) for r in rows)
    assert ws.cell(4, header.index("总分") + 1).number_format == "0.00"
    assert ws["A10"].value == "个数: 5 / 39 · 预警提示线: 70.38"
    header = header[1:5] + header[6:]  # the other formats: no 序号, the rank after the id
    header.insert(1, "排名")
    raw = (tmp_path / "warnings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    body = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert body[0] == header
    assert [(r[0], float(r[4])) for r in body[1:]] == expected
    assert [r[5] for r in body[1:]][2] == "-2.23"  # a negative distance stays a number
    doc = json.loads((tmp_path / "warnings.json").read_text(encoding="utf-8"))
    assert [(u["id"], round(u["total"], 2)) for u in doc["units"]] == expected
    assert doc["outcome"]["id"] == "warned" and doc["outcome"]["count"] == 5
    assert doc["provenance"]["data"][0]["file"] == str(ZONES)
    markdown = (tmp_path / "warnings.md").read_text(encoding="utf-8")
    assert markdown.startswith("## ") and "| 编号" in markdown
    assert all(unit_id in markdown for unit_id, _ in expected)


def test_list_format_option_and_bad_extension(tmp_path):
    done = invoke("commended", "--rules", str(RULES), "--data", str(ZONES), "--format", "json")
    assert done.exit_code == 0 and json.loads(done.output)["outcome"]["count"] == 12
    bad = invoke("warnings", "--rules", str(RULES), "--data", str(ZONES), "--out", str(tmp_path / "w.pdf"))
    assert bad.exit_code == 1 and "Unknown output format" in bad.output
    assert not (tmp_path / "w.pdf").exists()


def test_warnings_without_a_bottom_outcome_is_an_option_error():
    done = invoke("warnings", "--rules", str(MUYUN), "--data", str(ENTERPRISES))
    assert done.exit_code == 1
    assert "no outcome chosen from the bottom" in done.output and "Traceback" not in done.output
    assert invoke("commended", "--rules", str(MUYUN), "--data", str(ENTERPRISES)).exit_code == 0


def test_write_list_library(tmp_path, result):
    out = tmp_path / "commended.csv"
    write_list(result, "commended", out)
    assert out.read_bytes().decode("utf-8-sig") == render_list(result, "commended", "csv")


# --- the data template ---------------------------------------------------------------------


def _inputs_used(assessment) -> list[str]:
    return list(dict.fromkeys(wanted_columns(assessment).values()))


@pytest.mark.parametrize("rules", [RULES, MUYUN])
def test_template_lists_exactly_the_inputs_the_rules_use(tmp_path, rules):
    assessment = load_assessment(rules)
    out = tmp_path / "template.xlsx"
    done = invoke("template", "--rules", str(rules), "--out", str(out))
    assert done.exit_code == 0, done.output
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == _inputs_used(assessment)
    spec = assessment.spec
    assert header[:2] == [spec.id_column, spec.name_column]
    assert set(header[2:]) == set(spec.display_columns) | {inp.column or name for name, inp in spec.inputs.items()}
    assert len(header) == len(set(header))  # 所属行业 is a display column and an input: once
    assert ws.max_row == 1  # empty
    for name, inp in spec.inputs.items():
        comment = ws.cell(1, header.index(inp.column or name) + 1).comment
        assert comment is not None and (inp.label or name) in comment.text
        if inp.unit:
            assert inp.unit in comment.text
    assert ws.freeze_panes == "C2"  # the header row and the id and name columns


def test_template_rows_from_a_previous_year_and_filled_in_round_trip(tmp_path):
    assessment = load_assessment(RULES)
    out = tmp_path / "template.xlsx"
    done = invoke("template", "--rules", str(RULES), "--data", str(ZONES), "--out", str(out))
    assert done.exit_code == 0, done.output
    book = load_workbook(out)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    previous, _ = read_table(ZONES)
    assert [r[0] for r in rows] == sorted(previous["编号"])
    assert all(r[3:] == (None,) * (len(header) - 3) for r in rows)
    by_id = previous.set_index("编号")
    assert all(r[1] == by_id.at[r[0], "小区名称"] and r[2] == by_id.at[r[0], "所属单位"] for r in rows)
    # a department fills the template in: the result is the same as from the shipped CSV
    for row in ws.iter_rows(min_row=2):
        unit_id = row[0].value
        for cell, column in zip(row[3:], header[3:]):
            text = by_id.at[unit_id, column]
            cell.value = float(text) if text != "" else None  # an empty cell stays a missing value
    book.save(out)
    filled = run_files(RULES, out)
    baseline = run_files(RULES, ZONES)
    assert list(filled.table()["id"]) == list(baseline.table()["id"])
    assert list(filled.table()["total"]) == list(baseline.table()["total"])
    assert template_columns(assessment)[0].kind == "id"


def test_template_as_csv_and_to_the_terminal(tmp_path):
    out = tmp_path / "template.csv"
    assert invoke("template", "--rules", str(RULES), "--out", str(out)).exit_code == 0
    header = next(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert header == _inputs_used(load_assessment(RULES))
    shown = invoke("template", "--rules", str(RULES))
    assert shown.exit_code == 0 and "税收（万元）" in shown.output and "全口径税收" in shown.output
    bad = invoke("template", "--rules", str(RULES), "--out", str(tmp_path / "t.ods"))
    assert bad.exit_code == 1


def test_template_from_a_file_with_duplicate_ids_is_refused(tmp_path):
    data = tmp_path / "old.csv"
    data.write_text("编号,小区名称\nZ01,a\nZ01,b\n", encoding="utf-8")
    done = invoke("template", "--rules", str(RULES), "--data", str(data), "--out", str(tmp_path / "t.xlsx"))
    assert done.exit_code == 1 and "duplicate unit id" in done.output
    assert not (tmp_path / "t.xlsx").exists()


def test_write_template_library(tmp_path):
    assessment = load_assessment(RULES)
    out = tmp_path / "t.xlsx"
    write_template(assessment, out, ZONES)
    assert load_workbook(out).worksheets[0].max_row == 40
