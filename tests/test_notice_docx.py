"""The 通报 (official notice) as a Word document: text, lists, fonts, page setup, determinism."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx", reason="python-docx (a dependency in pyproject.toml) is not installed")
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402 (after the skip)
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from conftest import csv_text, indicator, rule_doc, units, write_rules_file
from scoring.engine.run import run_files
from scoring.publish.notice_docx import notice_docx
from scoring.report import words as words_module

ROOT = Path(__file__).resolve().parent.parent
TITLE = "关于青浦区2023年度经济小区招商服务管理考核结果的通报"


@pytest.fixture(scope="module", autouse=True)
def count_words():
    """report_data.counts() reads the word ``units_total`` that the publish branch adds to
    words.py; until it lands here, give it one for these tests (a no-op once it exists)."""
    with pytest.MonkeyPatch.context() as patch:
        for lang, word in (("zh", "参评单位"), ("en", "Units")):
            if "units_total" not in words_module.WORDS[lang]:
                patch.setitem(words_module.WORDS[lang], "units_total", word)
        yield


@pytest.fixture(scope="module")
def sample_bytes(count_words):
    result = run_files(str(ROOT / "rules/qingpu-2023.yaml"), (str(ROOT / "zones.csv"),))
    return notice_docx(result), notice_docx(result)


@pytest.fixture(scope="module")
def notice(sample_bytes):
    return docx.Document(io.BytesIO(sample_bytes[0]))


def texts(notice) -> list[str]:
    return [p.text for p in notice.paragraphs]


def fonts(run) -> dict[str, str]:
    element = run._element.rPr.find(qn("w:rFonts"))
    return {name: element.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "eastAsia")}


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_title_is_centred_in_xiaobiaosong_size_2(notice):
    title = notice.paragraphs[0]
    assert title.text == TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert fonts(run) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "方正小标宋简体"}


def test_addressee_and_opening_with_the_counts(notice):
    assert texts(notice)[1] == "各经济小区、各有关单位："
    assert texts(notice)[2] == ("青浦区2023年度经济小区招商服务管理考核工作已经完成。经数据汇总、综合评分，"
                                "本次考核共39个经济小区，其中表彰12个，预警提示5个，不定等级1个。"
                                "现将考核结果通报如下。")


def test_body_is_fangsong_size_3_fixed_28pt_indented_two_characters(notice):
    opening = notice.paragraphs[2]
    assert opening.runs[0].font.size == Pt(16)
    assert fonts(opening.runs[0])["eastAsia"] == "仿宋_GB2312"
    fmt = opening.paragraph_format
    assert (fmt.line_spacing_rule, fmt.line_spacing) == (WD_LINE_SPACING.EXACTLY, Pt(28))
    assert fmt.first_line_indent == Pt(32)
    heading = notice.paragraphs[3]
    assert heading.text == "一、表彰名单" and fonts(heading.runs[0])["eastAsia"] == "黑体"


def test_each_outcome_is_introduced_and_listed_with_serial_numbers(notice):
    assert "考核结果为“表彰”的经济小区共12个（表彰线88.17分），按排名先后排列如下：" in texts(notice)
    assert "二、预警提示名单" in texts(notice)
    commended, warned = rows(notice.tables[0]), rows(notice.tables[1])
    assert commended[0] == ["序号", "排名", "经济小区", "所属单位", "总分"]
    assert [row[0] for row in commended[1:]] == [str(n) for n in range(1, 13)]
    assert commended[1] == ["1", "1", "青浦工业园区第一经济小区", "青浦工业园区", "103.03"]
    assert commended[12][:2] == ["12", "13"]  # rank 2 is not classified (不定等级)
    assert [row[0] for row in warned[1:]] == ["1", "2", "3", "4", "5"]
    assert [row[1] for row in warned[1:]] == ["28", "36", "37", "38", "39"]


def test_closing_placeholders_and_no_real_date(notice):
    paragraphs = texts(notice)
    closing = paragraphs.index("特此通报。")
    assert paragraphs[closing:closing + 6] == ["特此通报。", "", "附件：青浦区2023年度经济小区招商服务管理考核排名表", "",
                                               "【发文机关】", "【日期】"]
    assert not any(re.search(r"\d+月\d+日", text) for text in paragraphs)
    assert notice.paragraphs[closing + 4].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_attachment_on_a_new_page_with_the_full_ranking(notice):
    paragraphs = notice.paragraphs
    start = [p.text for p in paragraphs].index("附件")
    assert paragraphs[start].paragraph_format.page_break_before
    assert not any(p.paragraph_format.page_break_before for p in paragraphs[:start])
    assert paragraphs[start + 1].text == "青浦区2023年度经济小区招商服务管理考核排名表"
    ranking = notice.tables[2]
    table = rows(ranking)
    assert table[0] == ["排名", "经济小区", "所属单位", "增速", "户数", "质量", "加减分", "总分", "考核结果"]
    assert len(table) == 40 and table[1][0] == "1" and table[-1][-1] == "预警提示"
    header = ranking.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in ranking.rows[1:])
    cell_run = ranking.cell(1, 1).paragraphs[0].runs[0]
    assert cell_run.font.size == Pt(10.5) and fonts(cell_run)["eastAsia"] == "仿宋_GB2312"


def test_tables_fit_the_text_width(notice):
    text_width = Mm(210 - 28 - 26)
    for table in notice.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) * 635 - text_width) < Mm(1)  # twips -> EMU


def test_a4_with_official_margins(notice):
    section = notice.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(size.mm, 1) for size in sizes] == [210, 297, 37, 35, 28, 26]  # stored in twips
    assert "PAGE" in section.footer._element.xml


def test_no_english_word_in_the_chinese_notice(notice):
    cells = [cell.text for table in notice.tables for row in table.rows for cell in row.cells]
    assert not [text for text in texts(notice) + cells if re.search(r"[A-Za-z]", text)]


def test_same_bytes_every_time_with_pinned_metadata(sample_bytes, notice):
    first, second = sample_bytes
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in package.namelist()
    core = notice.core_properties
    assert (core.created.year, core.modified.year, core.revision, core.last_modified_by) == (2000, 2000, 1, "zonescore")
    assert core.title == TITLE


def test_recognised_as_a_zonescore_notice_nobody_saved_since(sample_bytes, tmp_path):
    from scoring.io.outputs import same_workbook_kind

    path = tmp_path / "通报.docx"
    path.write_bytes(sample_bytes[0])
    assert same_workbook_kind("notice")(path) is None


def test_english_rule_file_gives_an_english_notice(tmp_path_factory):
    directory = tmp_path_factory.mktemp("english")
    rules = rule_doc([indicator("growth", "tax", "minmax", weight=100)], title="Zone Assessment 2023",
                     outcomes=[{"id": "top", "label": "Commended", "top": 1},
                               {"id": "low", "label": "Warned", "bottom": 1}])
    rules_path = write_rules_file(directory, rules)
    data = directory / "data.csv"
    data.write_text(csv_text(units({"tax": [3, 1, 2]})), encoding="utf-8")
    notice = docx.Document(io.BytesIO(notice_docx(run_files(str(rules_path), (str(data),)))))
    paragraphs = texts(notice)
    assert paragraphs[0] == "Notice on the Results of the Zone Assessment 2023"
    assert paragraphs[2] == ("The Zone Assessment 2023 is complete. After the data were checked and scored, 3 in all "
                             "were assessed: Commended: 1; Warned: 1. The results are announced as follows.")
    assert fonts(notice.paragraphs[0].runs[0])["eastAsia"] == "Times New Roman"
    assert rows(notice.tables[0])[1] == ["1", "1", "N1", "100.00"]
    issuer = paragraphs.index("[Issuing body]")
    assert paragraphs[issuer + 1] == "[Date]"
    assert paragraphs[issuer + 2:issuer + 4] == ["Attachment", "Zone Assessment 2023 \u2014 ranking"]


def test_without_outcomes_only_the_count_and_the_ranking(tmp_path_factory):
    directory = tmp_path_factory.mktemp("plain")
    rules_path = write_rules_file(directory, rule_doc([indicator("growth", "tax", "minmax", weight=100)],
                                                      title="Zone Assessment 2023"))
    data = directory / "data.csv"
    data.write_text(csv_text(units({"tax": [3, 1]})), encoding="utf-8")
    notice = docx.Document(io.BytesIO(notice_docx(run_files(str(rules_path), (str(data),)))))
    assert texts(notice)[2] == ("The Zone Assessment 2023 is complete. After the data were checked and scored, "
                                "2 in all were assessed. The results are announced as follows.")
    assert texts(notice)[3] == "This notice is hereby given."
    assert len(notice.tables) == 1 and len(notice.tables[0].rows) == 3


def test_column_widths_keep_numbers_whole_and_wrap_long_names_evenly():
    from scoring.publish.notice_layout import CELL_PADDING_PT, column_widths

    headers = ["排名", "名称", "总分"]
    rows = [["1", "青浦工业园区第一经济小区", "103.03"], ["2", "徐泾第三经济小区", "97.54"]]
    widths = column_widths(headers, rows, 10, 200)
    # 10 pt: 5 pt per half-width character, 7.5 pt padding per cell, 40 characters in 200 pt.
    # Natural: 5, 25 and 7 characters (one spare each); the name gets what is left, 40 - 12 - 4.5 =
    # 23.5, two lines for the long name; narrowed to 16 (+1) while the short name keeps one line.
    natural = [5 * 5 + 7.5, 17 * 5 + 7.5, 7 * 5 + 7.5]
    assert widths == [round(w * 200 / sum(natural), 1) for w in natural] == [38.8, 110.4, 50.7]
    assert CELL_PADDING_PT == 7.5
