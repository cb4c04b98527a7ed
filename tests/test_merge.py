"""Several data files (one per department) joined on the unit id: clean joins and every kind of conflict."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from cli import main
from scoring.errors import DataError, OptionError
from scoring.io.fileio import csv_line
from scoring.report.provenance import provenance_of
from scoring.engine.run import run_files

from conftest import ROOT

RULES = ROOT / "rules" / "qingpu-2023.yaml"
ZONES = ROOT / "zones.csv"
ID, NAME, OWNER = "编号", "小区名称", "所属单位"
TAX = ["税收（万元）", "上年税收（万元）", "税收目标（万元）", "新增有效纳税户数", "新增户数目标", "有效纳税户数",
       "纳税百万元以上企业数", "战略性新兴产业税收（万元）", "违规返税"]
MARKET = ["赛道企业新增户数", "重大项目数", "虚假注册户数", "设立年份"]


def zones() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(ZONES.read_text(encoding="utf-8-sig"))))


def department(path: Path, records: list[dict[str, str]], columns: list[str]) -> Path:
    """One department's file with ``columns`` (CSV, or .xlsx with numbers stored as numbers)."""
    rows = [columns] + [[record.get(c, "") for c in columns] for record in records]
    if path.suffix == ".xlsx":
        book = Workbook()
        for r, row in enumerate(rows):
            book.active.append([_number(cell) if r and c >= 3 and cell != "" else cell for c, cell in enumerate(row)])
        book.save(path)
    else:
        path.write_text("".join(csv_line(row) for row in rows), encoding="utf-8")
    return path


def _number(text: str):
    value = float(text)
    return int(value) if value.is_integer() else value


def signature(result) -> list[tuple]:
    return [(r.id, r.name, round(r.total, 9), r.outcome) for r in result.table().itertuples()]


def split(tmp_path: Path, records=None, market_records=None, market_suffix=".xlsx") -> tuple[Path, Path]:
    records = zones() if records is None else records
    market_records = records if market_records is None else market_records
    tax = department(tmp_path / "tax.csv", records, [ID, NAME, OWNER, *TAX])
    market = department(tmp_path / f"market{market_suffix}", market_records, [ID, NAME, *MARKET])
    return tax, market


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_two_departments_join_to_the_same_result(tmp_path):
    records = zones()
    shuffled = list(reversed(records))  # row order in either file never matters
    tax, market = split(tmp_path, records, shuffled)
    expected = signature(run_files(RULES, ZONES))
    for data in ((tax, market), [str(tax), str(market)], (market, tax)):
        result = run_files(RULES, data)
        assert signature(result) == expected
    assert [path for path, _ in result.data.sources] == [str(market), str(tax)]
    assert all(len(digest) == 64 for _, digest in result.data.sources)
    assert [d["file"] for d in provenance_of(result).as_dict()["data"]] == [str(market), str(tax)]


def test_two_departments_on_the_command_line(tmp_path):
    tax, market = split(tmp_path)
    result = invoke("run", "--rules", str(RULES), "--data", str(tax), "--data", str(market))
    assert result.exit_code == 0, result.output
    assert f"数据文件 {tax} sha256:" in result.output and f"{market} sha256:" in result.output
    single = invoke("run", "--rules", str(RULES), "--data", str(ZONES))
    assert result.output.split("\n\n")[1] == single.output.split("\n\n")[1]  # same table
    out = tmp_path / "results.xlsx"
    assert invoke("run", "--rules", str(RULES), "--data", str(tax), "--data", str(market), "--out",
                  str(out)).exit_code == 0


def test_a_single_file_in_a_tuple_works_like_a_path(tmp_path):
    assert signature(run_files(RULES, (str(ZONES),))) == signature(run_files(RULES, ZONES))
    assert run_files(RULES, (str(ZONES),)).data.sources == run_files(RULES, ZONES).data.sources


def test_same_number_written_differently_is_not_a_conflict(tmp_path):
    records = zones()
    market_records = [dict(r) for r in records]
    tax = department(tmp_path / "tax.csv", records, [ID, NAME, OWNER, *TAX])
    for r in market_records:
        r["税收（万元）"] = f"{float(r['税收（万元）']):,.2f}"  # 70,066.80 vs 70066.8
        r[NAME] = f" {r[NAME]} "  # stray spaces
    market = department(tmp_path / "market.csv", market_records, [ID, NAME, "税收（万元）", *MARKET])
    assert signature(run_files(RULES, (tax, market))) == signature(run_files(RULES, ZONES))


def test_conflicting_values_name_file_id_column_and_both_values(tmp_path):
    records = zones()
    market_records = [dict(r) for r in records]
    market_records[3][NAME] = "盈浦第一小区"  # Z04 is 盈浦第一经济小区 in the tax file
    tax, market = split(tmp_path, records, market_records, market_suffix=".csv")
    with pytest.raises(DataError) as info:
        run_files(RULES, (tax, market))
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(market), 5, NAME)
    assert "'Z04'" in problem.message and "different values" in problem.message
    assert problem.found == f"'盈浦第一小区' in {market}:5"
    assert problem.expected.startswith(f"'盈浦第一经济小区' as in {tax}:5")
    result = invoke("run", "--rules", str(RULES), "--data", str(tax), "--data", str(market))
    assert result.exit_code == 1
    for text in (str(tax), str(market), "Z04", NAME, "盈浦第一小区", "盈浦第一经济小区"):
        assert text in result.output


def test_conflicting_numbers_and_empty_cells(tmp_path):
    records = zones()
    market_records = [dict(r) for r in records]
    market_records[0]["税收（万元）"] = "1.5"
    market_records[1]["税收（万元）"] = ""  # empty here, a value in the tax file: still a conflict
    tax = department(tmp_path / "tax.csv", records, [ID, NAME, OWNER, *TAX])
    market = department(tmp_path / "market.xlsx", market_records, [ID, NAME, "税收（万元）", *MARKET])
    with pytest.raises(DataError) as info:
        run_files(RULES, (tax, market))
    found = {(p.field, p.found.split(" in ")[0]) for p in info.value.problems}
    assert found == {("税收（万元）", "'1.5'"), ("税收（万元）", "an empty cell")}
    assert all("Z01" in p.message or "Z02" in p.message for p in info.value.problems)


def test_unit_in_one_file_only(tmp_path):
    records = zones()
    tax, market = split(tmp_path, records, [r for r in records if r[ID] != "Z07"])
    with pytest.raises(DataError) as info:
        run_files(RULES, (tax, market))
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(tax), 8, ID)
    assert "'Z07'" in problem.message and "appears in this file only" in problem.message
    assert str(market) in problem.found


def test_unit_missing_from_one_of_three_files_and_all_problems_at_once(tmp_path):
    records = zones()
    finance_records = [r for r in records if r[ID] != "Z12"]
    tax = department(tmp_path / "tax.csv", records, [ID, NAME, OWNER, *TAX[:5]])
    finance = department(tmp_path / "finance.csv", finance_records, [ID, *TAX[5:]])
    market_records = [dict(r) for r in records] + [{**records[0], ID: "Z99"}]
    market_records[0][OWNER] = "白鹤镇"
    market = department(tmp_path / "market.xlsx", market_records, [ID, NAME, OWNER, *MARKET])
    with pytest.raises(DataError) as info:
        run_files(RULES, (tax, finance, market))
    assert len(info.value.problems) == 3  # every problem reported in one error
    missing = next(p for p in info.value.problems if "missing from this file" in p.message)
    assert missing.file == str(finance) and "'Z12'" in missing.message
    assert f"{tax}:13" in missing.expected and f"{market}:13" in missing.expected
    only = next(p for p in info.value.problems if "appears in this file only" in p.message)
    assert only.file == str(market) and "'Z99'" in only.message and only.line == 41
    conflict = next(p for p in info.value.problems if "different values" in p.message)
    assert (conflict.file, conflict.field) == (str(market), OWNER)
    assert "'白鹤镇'" in conflict.found and "'夏阳街道'" in conflict.expected


def test_column_in_no_file_and_file_without_id(tmp_path):
    records = zones()
    tax = department(tmp_path / "tax.csv", records, [ID, NAME, OWNER, *TAX])
    market = department(tmp_path / "market.csv", records, [NAME, *MARKET[:-1]])  # no id, no 设立年份
    with pytest.raises(DataError) as info:
        run_files(RULES, (tax, market))
    messages = {(p.file, p.field, p.message) for p in info.value.problems}
    assert (str(market), ID, "missing id column") in messages
    assert (None, "设立年份", "missing column: in none of the data files") in messages


def test_problems_inside_one_department_file_keep_its_own_lines(tmp_path):
    records = zones()
    market_records = [dict(r) for r in records]
    market_records[4]["重大项目数"] = "两个"
    tax, market = split(tmp_path, records, market_records, market_suffix=".csv")
    with pytest.raises(DataError) as info:
        run_files(RULES, (tax, market))
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field, problem.message) == (str(market), 6, "重大项目数",
                                                                           "not a number")


def test_columns_the_rules_do_not_read_may_differ(tmp_path):
    records = zones()
    market_records = [dict(r, 备注=f"market {i}") for i, r in enumerate(records)]
    tax_records = [dict(r, 备注="tax") for r in records]
    tax = department(tmp_path / "tax.csv", tax_records, [ID, NAME, OWNER, *TAX, "备注"])
    market = department(tmp_path / "market.csv", market_records, [ID, NAME, *MARKET, "备注"])
    assert signature(run_files(RULES, (tax, market))) == signature(run_files(RULES, ZONES))


def test_the_same_file_twice_is_refused(tmp_path):
    with pytest.raises(OptionError, match="given twice"):
        run_files(RULES, (ZONES, ROOT / "." / "zones.csv"))


def test_validate_accepts_several_files(tmp_path):
    tax, market = split(tmp_path)
    result = invoke("validate", "--rules", str(RULES), "--data", str(tax), "--data", str(market))
    assert result.exit_code == 0, result.output
    single = invoke("validate", "--rules", str(RULES), "--data", str(ZONES))
    assert f"data OK: {ZONES} (39 units)" in single.output
