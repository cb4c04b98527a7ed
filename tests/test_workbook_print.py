"""Workbooks as printed tables: page setup, title rows, borders, frozen panes, number formats,
fonts, indicator values and the 满分 row, and no English word in a Chinese workbook.

How they look on paper is checked by ``tools/render_pdf.py`` (LibreOffice); these tests read the
settings that decide it back with openpyxl.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from openpyxl.cell import MergedCell
from openpyxl.utils import get_column_letter

from scoring.api.models import Labels
from scoring.engine.run import run_files
from scoring.io.template import write_template
from scoring.report.excel import write_results
from scoring.report.exports import write_list
from scoring.report.print_setup import page_for
from scoring.report.provenance import provenance_of

from conftest import ROOT

RULES = ROOT / "rules" / "qingpu-2023.yaml"
ZONES = ROOT / "zones.csv"
TITLE = "青浦区2023年度经济小区招商服务管理考核"


@pytest.fixture(scope="module")
def result():
    return run_files(RULES, ZONES)


@pytest.fixture(scope="module")
def books(tmp_path_factory, result):
    """The four workbooks of the Chinese sample, written once, read back with openpyxl."""
    out = tmp_path_factory.mktemp("books")
    write_results(result, out / "run.xlsx")
    write_list(result, "warned", out / "warnings.xlsx")
    write_list(result, "commended", out / "commended.xlsx")
    write_template(result.assessment, out / "template.xlsx", data=ZONES)
    return {name: load_workbook(out / f"{name}.xlsx") for name in ("run", "warnings", "commended", "template")}


def sheets(books):
    return [(name, ws) for name, book in books.items() for ws in book.worksheets]


def test_every_sheet_prints_landscape_a4_one_page_wide_with_page_numbers(books):
    for name, ws in sheets(books):
        where = f"{name}/{ws.title}"
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, where
        assert ws.sheet_properties.pageSetUpPr.fitToPage, where
        assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0), where
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页", where
        assert ws.print_options.horizontalCentered, where


def test_header_rows_repeat_on_every_page(books):
    assert books["run"]["排名"].print_title_rows == "$3:$6"  # group, indicator, value/points, 满分
    assert books["run"]["指标得分"].print_title_rows == "$3:$4"
    assert books["warnings"]["预警提示"].print_title_rows == "$3:$3"
    assert books["template"]["数据模板"].print_title_rows == "$1:$1"


def test_title_rows_above_the_table(books):
    expected = {("run", "排名"): "综合得分及排名", ("run", "指标得分"): "各项指标得分", ("run", "加减分明细"): "加减分明细",
                ("run", "规则"): "计分规则", ("run", "来源"): "来源", ("warnings", "预警提示"): "预警提示名单",
                ("commended", "表彰"): "表彰名单", ("commended", "来源"): "来源"}
    for (name, sheet), subtitle in expected.items():
        ws = books[name][sheet]
        assert (ws["A1"].value, ws["A2"].value) == (TITLE, subtitle), (name, sheet)
        assert ws["A1"].font.b and ws["A1"].font.sz == 16
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert f"A1:{get_column_letter(ws.max_column)}1" in merged, (name, sheet)
    template = books["template"]["数据模板"]
    assert template["A1"].value == "编号"  # row 1 stays the header: a filled-in template is read as data
    assert template.oddHeader.center.text == f"{TITLE} · 数据模板"


def test_frozen_header_and_name_column(books):
    frozen = {("run", "排名"): "D7", ("run", "指标得分"): "C5", ("run", "加减分明细"): "C4", ("run", "规则"): "C4",
              ("warnings", "预警提示"): "D4", ("commended", "表彰"): "D4", ("template", "数据模板"): "C2"}
    for (name, sheet), cell in frozen.items():
        assert books[name][sheet].freeze_panes == cell, (name, sheet)


def table_cells(ws, first_row: int):
    """The cells of the table: from the header down to the first empty row (the notes come after it)."""
    width, last = ws.max_column, first_row  # (ws.cell creates the cells it is asked for: width first)
    while last < ws.max_row and any(ws.cell(last + 1, c).value is not None
                                    or isinstance(ws.cell(last + 1, c), MergedCell) for c in range(1, min(width, 3) + 1)):
        last += 1
    for row in ws.iter_rows(min_row=first_row, max_row=last, max_col=width):
        yield from row


def test_thin_borders_and_the_sheet_font_on_every_table_cell(books):
    first_rows = {"template": 1}
    for name, ws in sheets(books):
        for cell in table_cells(ws, first_rows.get(name, 3)):
            if isinstance(cell, MergedCell):  # inside a merged header cell: only the outer edges are drawn
                continue
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert all(side.style == "thin" for side in sides), (name, ws.title, cell.coordinate)
            assert cell.font.name == "宋体" and cell.font.charset == 134, (name, ws.title, cell.coordinate)


def test_numbers_right_aligned_under_right_aligned_headers(books):
    ws = books["warnings"]["预警提示"]
    header = [c.value for c in ws[3]]
    for column in ("序号", "总分", "排名", "距预警提示线"):
        c = header.index(column) + 1
        assert ws.cell(3, c).alignment.horizontal == "right" and ws.cell(4, c).alignment.horizontal == "right"
    assert ws.cell(3, header.index("经济小区") + 1).alignment.horizontal == "left"


def test_signed_adjustments_and_worded_distances(books):
    ranking = books["run"]["排名"]
    adjustments = next(c for c in ranking[3] if c.value == "加减分").column
    assert ranking.cell(7, adjustments).number_format == "+0.00;-0.00;0.00"
    assert ranking.cell(7, adjustments).value == 4.0  # still a number: +4.00 is the format
    fired = books["run"]["加减分明细"]
    assert fired.cell(4, 5).number_format == "+0.00;-0.00;0.00"
    ws = books["warnings"]["预警提示"]
    distance = [c.value for c in ws[3]].index("距预警提示线") + 1
    assert ws.cell(4, distance).number_format == '"高于预警提示线 "0.00" 分";"低于预警提示线 "0.00" 分";"与预警提示线持平"'
    assert [ws.cell(r, distance).value for r in range(4, 9)] == [9.3, 0.0, -2.23, -5.62, -7.36]


def test_lists_number_their_rows_and_keep_the_rank(books):
    ws = books["commended"]["表彰"]
    header = [c.value for c in ws[3]]
    rows = list(ws.iter_rows(min_row=4, max_row=15, values_only=True))
    assert [r[0] for r in rows] == list(range(1, 13))
    ranks = [r[header.index("排名")] for r in rows]
    assert ranks[:3] == [1, 3, 4] and ranks[-1] == 13  # the vetoed zone (rank 2) is not on the list
    assert ws.cell(16, 1).value is None and ws["A17"].value.startswith("个数: 12 / 39")


def test_ranking_sheet_shows_indicator_values_beside_points_and_the_full_marks(books, result):
    ws = books["run"]["排名"]
    assert [ws.cell(3, c).value for c in (1, 2, 3, 4, 5)] == ["编号", "排名", "经济小区", "所属单位", "增速"]
    assert [ws.cell(4, c).value for c in (5, 7, 9)] == ["税收增速", "税收目标完成率", "小计"]
    assert [ws.cell(5, c).value for c in (5, 6, 7, 8)] == ["数值\n（%）", "得分", "完成率\n（%）", "得分"]
    assert {"A3:A5", "E3:I3", "E4:F4", "I4:I5"} <= {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(6, c).value for c in (3, 5, 6, 8, 9)] == ["满分", None, 20, 20, 40]
    assert ws.cell(6, 3).font.b
    z01 = next(r for r in range(7, 46) if ws.cell(r, 1).value == "Z01")
    data = result.data.frame
    assert ws.cell(z01, 5).value == pytest.approx(result.tree.values.at["Z01", "tax_growth"], abs=1e-6)
    completion = data.at["Z01", "税收"] / data.at["Z01", "税收目标"] * 100
    assert ws.cell(z01, 7).value == pytest.approx(completion, abs=1e-6)
    assert ws.cell(z01, 6).value == round(result.tree.points.at["Z01", "tax_growth"], 2)
    households = [ws.cell(5, c).value for c in range(10, 15)]
    assert households == ["数值\n（户）", "得分", "完成率\n（%）", "得分", None]
    assert ws.cell(z01, 10).value == 338 and ws.cell(z01, 10).number_format == "0"  # a count: no decimals
    full = [ws.cell(6, c).value for c in range(1, ws.max_column + 1)]
    base = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)].index("基础分")
    assert full[base] == 100


def test_indicator_values_can_be_turned_off(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES.read_text(encoding="utf-8") + "\noutput:\n  indicator_values: false\n", encoding="utf-8")
    write_results(run_files(rules, ZONES), tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")["排名"]
    assert [c.value for c in ws[3]][:8] == ["编号", "排名", "经济小区", "所属单位", "增速", "户数", "质量", "基础分"]
    assert [c.value for c in ws[4]][2:9] == ["满分", None, 40, 30, 30, 100, None]
    assert ws.freeze_panes == "D5" and ws.print_title_rows == "$3:$4"


def test_english_rule_files_print_in_english():
    page = page_for(SimpleNamespace(title="Annual review", labels=Labels()))
    assert page.footer == "Page &P of &N" and page.font == "Calibri"


# --- no English words in a Chinese workbook ---------------------------------------------------

ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
HASH = re.compile(r"^[0-9a-f]{16,}$")


def allowed_ascii(result) -> tuple[set[str], list[str]]:
    """Cells that may hold ASCII words, defined narrowly: a unit id, a file read (provenance) and
    "SHA-256", the tool's name and version; and inside a cell, the rule file's fallback formulas,
    shown as written (a hash is allowed by :data:`HASH`)."""
    doc = provenance_of(result).as_dict()
    exact = {str(u) for u in result.data.frame.index} | {doc["rules"]["file"], "SHA-256"}
    exact |= {item["file"] for item in doc["data"]} | {f"zonescore {doc['tool_version']}"}
    formulas = [node.missing.fallback for node in result.assessment.nodes.values()
                if node.missing is not None and node.missing.fallback]
    return exact, formulas


def english_words(text: str, exact: set[str], expressions: list[str]) -> list[str]:
    if text in exact or HASH.match(text):
        return []
    for expression in expressions:
        text = text.replace(expression, "")
    return ASCII_WORD.findall(text)


def english_cells(books: dict, result) -> list[str]:
    exact, formulas = allowed_ascii(result)
    found = []
    for name, ws in sheets(books):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and english_words(cell.value, exact, formulas):
                    found.append(f"{name}/{ws.title}!{cell.coordinate}: {cell.value!r}")
    return found


def test_no_english_word_in_the_chinese_workbooks(books, result):
    found = english_cells(books, result)
    assert not found, "\n".join(found)


def test_no_english_word_in_the_other_chinese_sample(tmp_path):
    muyun = run_files(ROOT / "rules" / "examples" / "muyun-enterprises.yaml", ROOT / "rules" / "examples" / "enterprises.csv")
    write_results(muyun, tmp_path / "run.xlsx")
    write_list(muyun, "A", tmp_path / "a.xlsx")
    found = english_cells({name: load_workbook(tmp_path / f"{name}.xlsx") for name in ("run", "a")}, muyun)
    assert not found, "\n".join(found)


def test_the_scan_finds_english_words():
    exact, expressions = {"Z01"}, ["clip(a, 0, 1)"]
    assert english_words("minmax floor=0.6", exact, expressions) == ["minmax", "floor"]
    assert english_words("按公式计分：clip(a, 0, 1)", exact, expressions) == []
    assert english_words("pool:bonuses", exact, expressions) == ["pool", "bonuses"]
    assert english_words("Z01", exact, expressions) == [] and english_words("Z02", exact, expressions) == []
    assert english_words("010ec033de2323d9e1ab99852d4c5642", exact, expressions) == []
