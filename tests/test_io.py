"""Files in and out: .xlsx and CSV results, round trips, formula neutralisation, encodings, atomic writes.

Fixtures are built in tmp_path from the shipped rule file and zones.csv (39 zones).
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from cli import main
from scoring.io.data import read_table
from scoring.errors import DataError, InputFileError, OptionError
from scoring.report.excel import write_results
from scoring.io.fileio import csv_line, neutralise, write_atomic
from scoring.engine.run import run_files

from conftest import PYTHON, ROOT

RULES = ROOT / "rules" / "qingpu-2023.yaml"
ZONES = ROOT / "zones.csv"
DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]
IN_DATA = ["=", "+", "-", "@"]  # a tab or CR in a name cell is refused when the data is read


def zone_rows() -> list[list[str]]:
    """zones.csv as text rows, header first."""
    return list(csv.reader(io.StringIO(ZONES.read_text(encoding="utf-8-sig"))))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_bytes("".join(csv_line(row) for row in rows).encode(encoding))  # quotes cells with a CR
    return path


def write_xlsx(path: Path, rows: list[list[str]], sheet: str = "Sheet1", numbers: bool = True,
               first_sheet: str | None = None) -> Path:
    """A workbook holding ``rows``; number-like cells stored as numbers unless ``numbers=False``."""
    book = Workbook()
    ws = book.active
    if first_sheet is not None:
        ws.title = first_sheet
        ws.append(["not", "the", "data"])
        ws = book.create_sheet(sheet)
    else:
        ws.title = sheet
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            if numbers and r > 0 and c > 2 and cell != "":
                value = float(cell)
                cells.append(int(value) if value.is_integer() else value)
            else:
                cells.append(cell)
        ws.append(cells)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a department might type it
    book.save(path)
    return path


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


RANKING_FIRST_ROW = 7  # the ranking sheet: title rows 1-2, header rows 3-5, 满分 row 6


def ranking_header(ws) -> list:
    """Each column's own header on the ranking sheet: its lowest header cell that is filled in."""
    return [next((ws.cell(r, c).value for r in (5, 4, 3) if ws.cell(r, c).value is not None), None)
            for c in range(1, ws.max_column + 1)]


def table_signature(result) -> list[tuple]:
    table = result.table()
    return [(row.id, row.name, round(row.total, 9), row.outcome, row.status) for row in table.itertuples()]


@pytest.fixture
def baseline():
    return run_files(RULES, ZONES)


# --- round trips --------------------------------------------------------------------------


def test_results_workbook_round_trip(tmp_path, baseline):
    out = tmp_path / "results.xlsx"
    result = invoke("run", "--rules", str(RULES), "--data", str(ZONES), "--out", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["排名", "指标得分", "加减分明细", "规则", "来源"]
    ws = book["排名"]
    header = ranking_header(ws)
    assert header[:4] == ["编号", "排名", "经济小区", "所属单位"]
    assert {"增速", "户数", "质量", "基础分", "加减分", "总分", "考核结果", "原因"} <= {c.value for c in ws[3]}
    assert ws.freeze_panes == "D7"  # header rows, 满分 row; id, rank and name
    table = baseline.table()
    rows = list(ws.iter_rows(min_row=RANKING_FIRST_ROW, values_only=True))
    total_col = header.index("总分")
    assert [r[0] for r in rows] == list(table["id"])  # same order
    assert [r[total_col] for r in rows] == [round(t, 2) for t in table["total"]]  # same numbers
    assert ws.cell(RANKING_FIRST_ROW, total_col + 1).number_format == "0.00"
    assert ws.cell(RANKING_FIRST_ROW, header.index("加减分") + 1).number_format == "+0.00;-0.00;0.00"
    assert all(isinstance(r[total_col], (int, float)) for r in rows)
    adjustments = [r[header.index("加减分")] for r in rows]
    assert -1.5 in adjustments and all(isinstance(v, (int, float)) for v in adjustments)
    # outcome rows are coloured; a unit without an outcome is not
    outcome_col = header.index("考核结果") + 1
    colours = {ws.cell(r, outcome_col).value: ws.cell(r, 1).fill.fgColor.rgb for r in range(7, 46)}
    assert colours["表彰"] != colours["预警提示"]
    assert colours["表彰"].endswith("C6EFCE") and colours["预警提示"].endswith("FFC7CE")
    assert colours["-"] in (None, "00000000")
    # column widths count CJK characters as two
    assert ws.column_dimensions["C"].width >= 2 * len("青浦工业园区第一经济小区")
    rules = book["规则"]
    assert [c.value for c in rules[3]][:4] == ["层级", "名称", "权重", "占总分"]
    labels = {row[1]: row for row in rules.iter_rows(min_row=4, values_only=True)}
    assert labels["增速"][0] == 1 and labels["税收增速"][0] == 2 and labels["税收增速"][2] == 20
    assert rules.cell(5, 2).alignment.indent == 1
    provenance = [tuple(r) for r in book["来源"].iter_rows(values_only=True)]
    assert ("数据文件", str(ZONES)) in provenance
    fired = list(book["加减分明细"].iter_rows(min_row=4, values_only=True))
    assert any(row[2] == "虚假注册扣分" and row[4] == -1.5 for row in fired)


def test_csv_round_trip_matches_workbook(tmp_path, baseline):
    csv_out, xlsx_out = tmp_path / "results.csv", tmp_path / "results.xlsx"
    assert invoke("run", "--rules", str(RULES), "--data", str(ZONES), "--out", str(csv_out)).exit_code == 0
    assert invoke("run", "--rules", str(RULES), "--data", str(ZONES), "--out", str(xlsx_out)).exit_code == 0
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    ws = load_workbook(xlsx_out)["排名"]
    xlsx_header = ranking_header(ws)
    xlsx_rows = list(ws.iter_rows(min_row=RANKING_FIRST_ROW, values_only=True))
    assert [r[0] for r in body] == [r[0] for r in xlsx_rows] == list(baseline.table()["id"])
    csv_totals = [float(r[header.index("总分")]) for r in body]
    assert csv_totals == [r[xlsx_header.index("总分")] for r in xlsx_rows]
    assert "-1.50" in [r[header.index("加减分")] for r in body]  # numbers stay numbers, not '-1.50


def test_written_results_read_back_as_data(tmp_path, baseline):
    """The points sheet read back with openpyxl: numbers as numbers, rows in rank order under the
    title rows, the header row and the 满分 row."""
    out = tmp_path / "results.xlsx"
    write_results(baseline, out)
    ws = load_workbook(out)["指标得分"]
    header = [c.value for c in ws[3]]
    assert header[:2] == ["编号", "经济小区"] and [c.value for c in ws[4]][1:3] == ["满分", 40]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == list(baseline.table()["id"])
    assert [r[header.index("基础分")] for r in rows] == [round(t, 2) for t in baseline.table()["base_total"]]


# --- formula neutralisation -------------------------------------------------------------------


@pytest.mark.parametrize("char", DANGEROUS)
def test_neutralise_each_dangerous_start(char):
    text = f"{char}cmd|' /C calc'!A0"
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["-1.50", "+4.00", "-3", "12", "0.5", "-", "", "夏阳第一经济小区", "a=b", 3, -1.5])
def test_numbers_and_plain_text_untouched(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", ["-inf", "+nan", "-1,000", "=1+2", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0"])
def test_formula_like_text_that_is_not_a_plain_number_is_neutralised(value):
    assert neutralise(value) == "'" + value


def _poisoned(tmp_path: Path, char: str) -> tuple[Path, str, str]:
    """zones.csv with Z06 (a -1.50 deduction) renamed to a formula and its owner to an @-formula."""
    rows = zone_rows()
    header = rows[0]
    name = f"{char}2+3+cmd|' /C calc'!A0"
    owner = f"{char}SUM(1,2)"
    for row in rows[1:]:
        if row[0] == "Z06":
            row[header.index("小区名称")] = name
            row[header.index("所属单位")] = owner
    return write_rows(tmp_path / "poisoned.csv", rows), name, owner


@pytest.mark.parametrize("char", IN_DATA)
def test_csv_output_neutralises_text_cells(tmp_path, char):
    data, name, owner = _poisoned(tmp_path, char)
    out = tmp_path / "results.csv"
    result = invoke("run", "--rules", str(RULES), "--data", str(data), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    header = rows[0]
    z06 = next(r for r in rows if r[0] == "Z06")
    assert z06[header.index("经济小区")] == "'" + name
    assert z06[header.index("所属单位")] == "'" + owner
    assert z06[header.index("加减分")] == "-1.50"  # a number, not neutralised
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(tuple(DANGEROUS)) or cell == "-" or _is_number(cell), cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("char", IN_DATA)
def test_xlsx_output_neutralises_text_cells_and_keeps_numbers(tmp_path, char):
    data, name, owner = _poisoned(tmp_path, char)
    out = tmp_path / "results.xlsx"
    assert invoke("run", "--rules", str(RULES), "--data", str(data), "--out", str(out)).exit_code == 0
    book = load_workbook(out)
    ws = book["排名"]
    header = ranking_header(ws)
    row = next(r for r in ws.iter_rows(min_row=RANKING_FIRST_ROW) if r[0].value == "Z06")
    # a string cell shown as typed: no formula, no visible apostrophe (Excel's quotePrefix style)
    for column, text in (("经济小区", name), ("所属单位", owner)):
        cell = row[header.index(column)]
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    adjustment = row[header.index("加减分")]
    assert adjustment.value == -1.5 and adjustment.data_type == "n"
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(tuple(DANGEROUS)):
                    assert cell.quotePrefix or cell.value == "-" or _is_number(cell.value), \
                        (sheet.title, cell.coordinate)


@pytest.mark.parametrize("char", ["=", "@"])
def test_list_outputs_neutralise_text(tmp_path, char):
    rows = zone_rows()
    header = rows[0]
    warned = "Z27"  # 重固第一经济小区, on the warning list
    for row in rows[1:]:
        if row[0] == warned:
            row[header.index("小区名称")] = f"{char}HYPERLINK(\"http://x\")"
    data = write_rows(tmp_path / "zones.csv", rows)
    csv_out, xlsx_out = tmp_path / "w.csv", tmp_path / "w.xlsx"
    assert invoke("warnings", "--rules", str(RULES), "--data", str(data), "--out", str(csv_out)).exit_code == 0
    assert invoke("warnings", "--rules", str(RULES), "--data", str(data), "--out", str(xlsx_out)).exit_code == 0
    text = csv_out.read_bytes().decode("utf-8-sig")
    assert f"'{char}HYPERLINK" in text
    ws = load_workbook(xlsx_out).worksheets[0]
    cells = [r[2] for r in ws.iter_rows(min_row=2)]
    formula = next(c for c in cells if c.value == f"{char}HYPERLINK(\"http://x\")")
    assert formula.data_type == "s" and formula.quotePrefix


def test_csv_to_stdout_is_neutralised_too(tmp_path):
    data, name, _ = _poisoned(tmp_path, "=")
    result = invoke("run", "--rules", str(RULES), "--data", str(data), "--format", "csv")
    assert result.exit_code == 0
    assert "'" + name in result.output


# --- data in: encodings, workbooks, sheets ------------------------------------------------------


def test_gbk_csv_and_xlsx_give_the_same_results(tmp_path, baseline):
    rows = zone_rows()
    gbk = write_rows(tmp_path / "zones-gbk.csv", rows, encoding="gbk")
    assert gbk.read_bytes() != ZONES.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.read_bytes().decode("utf-8")
    xlsx_numbers = write_xlsx(tmp_path / "zones.xlsx", rows)
    xlsx_text = write_xlsx(tmp_path / "zones-text.xlsx", rows, numbers=False)
    expected = table_signature(baseline)
    for path in (gbk, xlsx_numbers, xlsx_text):
        result = run_files(RULES, path)
        assert table_signature(result) == expected, path
        assert result.tree.points.equals(baseline.tree.points)


def test_xlsx_sheet_option(tmp_path, baseline):
    data = write_xlsx(tmp_path / "zones.xlsx", zone_rows(), sheet="税务数据", first_sheet="说明")
    assert table_signature(run_files(RULES, data, sheet="税务数据")) == table_signature(baseline)
    cli = invoke("run", "--rules", str(RULES), "--data", str(data), "--sheet", "税务数据", "--format", "json")
    assert cli.exit_code == 0
    missing = invoke("run", "--rules", str(RULES), "--data", str(data))  # first sheet is the notes
    assert missing.exit_code == 1
    assert "header but no rows" in missing.output and "(sheet '说明')" in missing.output
    assert "--sheet NAME with one of: 说明, 税务数据" in missing.output
    wrong = invoke("run", "--rules", str(RULES), "--data", str(data), "--sheet", "财政")
    assert wrong.exit_code == 1
    assert "Worksheet not found: '财政'" in wrong.output and "税务数据" in wrong.output


def test_xlsx_problems_name_file_row_and_column(tmp_path):
    rows = zone_rows()
    header = rows[0]
    rows[3][header.index("税收（万元）")] = "很多"
    data = write_xlsx(tmp_path / "zones.xlsx", rows, numbers=False)
    result = invoke("run", "--rules", str(RULES), "--data", str(data))
    assert result.exit_code == 1
    assert f"{data}:4: 税收（万元）: not a number (found '很多'" in result.output


def test_not_a_workbook_gives_a_clear_error(tmp_path):
    fake = tmp_path / "zones.xlsx"
    fake.write_text(ZONES.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        run_files(RULES, fake)
    assert "not a readable Excel workbook" in str(info.value) and str(fake) in str(info.value)
    result = invoke("run", "--rules", str(RULES), "--data", str(fake))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: Data file is not a readable Excel workbook: {fake}")
    assert "Traceback" not in result.output


def test_legacy_xls_gives_a_clear_error(tmp_path):
    old = tmp_path / "zones.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(InputFileError, match=r"\.xls"):
        run_files(RULES, old)


def test_workbook_saved_with_csv_name_is_read_as_workbook(tmp_path, baseline):
    data = write_xlsx(tmp_path / "zones.xlsx", zone_rows())
    renamed = tmp_path / "zones-really-xlsx.csv"
    renamed.write_bytes(data.read_bytes())
    assert table_signature(run_files(RULES, renamed)) == table_signature(baseline)


def test_sheet_option_needs_a_workbook(tmp_path):
    with pytest.raises(OptionError, match="--sheet"):
        run_files(RULES, ZONES, sheet="Sheet1")


def test_empty_sheet_and_header_without_rows(tmp_path):
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    with pytest.raises(InputFileError, match="Worksheet is empty"):
        read_table(empty)
    header_only = write_xlsx(tmp_path / "header.xlsx", zone_rows()[:1])
    with pytest.raises(InputFileError, match="header but no rows"):
        read_table(header_only)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_repeated_header_the_rules_read_is_reported(tmp_path, kind):
    rows = [row + [row[3], ""] for row in zone_rows()]  # 税收（万元） twice, plus an unnamed empty column
    rows[0][-1] = "备注"
    rows = [row + [row[-1]] for row in rows]  # 备注 twice: not read by the rules, so fine
    data = write_xlsx(tmp_path / "dup.xlsx", rows, numbers=False) if kind == "xlsx" \
        else write_rows(tmp_path / "dup.csv", rows)
    with pytest.raises(DataError) as info:
        run_files(RULES, data)
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert (problem.field, problem.message) == ("税收（万元）", "the same header on two columns")
    assert problem.found == "column D and column Q"


def test_formula_without_saved_result_is_reported(tmp_path):
    data = write_xlsx(tmp_path / "zones.xlsx", zone_rows())
    book = load_workbook(data)
    ws = book.active
    ws["D3"] = "=1+1"  # written by a program, never calculated: no saved value
    ws["Z3"] = "=2+2"  # outside the table the rules read: ignored
    book.save(data)
    with pytest.raises(DataError) as info:
        run_files(RULES, data)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(data), 3, "税收（万元）")
    assert problem.message == "formula without a saved result" and problem.found == "'=1+1'"


# --- never lose or half-write a file ----------------------------------------------------------


def test_failed_workbook_write_leaves_existing_file_untouched(tmp_path, baseline, monkeypatch):
    out = tmp_path / "results.xlsx"
    out.write_bytes(b"last year's results")

    def broken_save(self, target):
        target.write(b"PK\x03\x04 half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", broken_save)
    from scoring.errors import InputFileError

    with pytest.raises(InputFileError, match="disk full"):  # a clean error for the CLI, not a traceback
        write_results(baseline, out)
    assert out.read_bytes() == b"last year's results"
    assert os.listdir(tmp_path) == ["results.xlsx"]  # no temporary file left behind


def test_failed_csv_write_leaves_existing_file_untouched(tmp_path, monkeypatch):
    out = tmp_path / "results.csv"
    out.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise PermissionError("file is open in Excel")

    monkeypatch.setattr("scoring.io.fileio.os.replace", broken_replace)
    result = CliRunner().invoke(main, ["run", "--rules", str(RULES), "--data", str(ZONES), "--out", str(out),
                                       "--force"])
    assert result.exit_code != 0
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["results.csv"]


def test_error_before_writing_leaves_existing_file_untouched(tmp_path):
    out = tmp_path / "results.xlsx"
    out.write_bytes(b"keep me")
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,小区名称\nZ01,x\n", encoding="utf-8")
    result = invoke("run", "--rules", str(RULES), "--data", str(bad), "--out", str(out), "--force")
    assert result.exit_code == 1
    assert out.read_bytes() == b"keep me"


def test_write_atomic_into_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(InputFileError, match="directory does not exist"):
        write_atomic(tmp_path / "nope" / "x.csv", "a")


# --- command line details -------------------------------------------------------------------


def test_xlsx_format_needs_out():
    result = invoke("run", "--rules", str(RULES), "--data", str(ZONES), "--format", "xlsx")
    assert result.exit_code == 1 and "--out" in result.output


def test_text_is_never_saved_under_an_xlsx_name(tmp_path):
    out = tmp_path / "r.xlsx"
    result = invoke("run", "--rules", str(RULES), "--data", str(ZONES), "--format", "csv", "--out", str(out))
    assert result.exit_code == 1 and not out.exists()


def test_text_only_commands_refuse_an_xlsx_file_before_working(tmp_path):
    out = tmp_path / "w.xlsx"
    result = invoke("whatif", "--rules", str(RULES), "--data", str(ZONES), "--weight", "growth=50", "--out", str(out))
    assert result.exit_code == 1 and "not an .xlsx workbook" in result.output and not out.exists()


def test_plain_run_does_not_import_openpyxl():
    code = ("import sys; from click.testing import CliRunner; from cli import main; "
            "r = CliRunner().invoke(main, ['run', '--format', 'csv']); assert r.exit_code == 0, r.output; "
            "print('openpyxl' in sys.modules)")
    done = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_xlsx_output_is_byte_identical_and_carries_no_save_time(tmp_path):
    import zipfile

    from click.testing import CliRunner

    from cli import main

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (first, second):
        result = CliRunner().invoke(main, ["run", "--rules", str(ROOT / "rules" / "qingpu-2023.yaml"),
                                           "--data", str(ROOT / "zones.csv"), "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as book:
        core = book.read("docProps/core.xml").decode()
        assert {info.date_time for info in book.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core


def test_unwritable_target_is_a_clean_error_and_leaves_the_old_file(tmp_path, monkeypatch):
    from scoring.errors import InputFileError
    from scoring.io.fileio import write_atomic

    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("scoring.io.fileio.os.replace", refuse)
    with pytest.raises(InputFileError, match="Cannot write .*out.csv: Permission denied"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left behind
