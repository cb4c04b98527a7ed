"""Real department files: headers in other widths or with a unit, a title block above the header,
near-miss names. Each is read when it can be read without guessing, says how (a note), and is an
error naming the candidates when it cannot; every message in English and in Chinese (--lang zh).
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cli import main
from scoring.api.assessment import load_assessment
from scoring.errors import DataError
from scoring.io.data import load_data
from scoring.io.headers import closest, header_key, match_headers, pick_header_row

RULES = """\
id: t
title: T
id_column: 编号
name_column: 名称
inputs:
  税收: {}
  上年税收: {column: 上年税收（万元）}
derived:
  增速: growth(税收, 上年税收)
indicators:
  - {id: tax, label: 税收, weight: 10, value: 税收, method: {type: minmax}}
  - {id: growth, label: 税收增速, weight: 10, value: 增速, method: {type: minmax},
     missing: {policy: fallback, fallback: "5"}}
outcomes:
  - {id: top, top: 1}
"""
ROWS = "U1,甲,50,40\nU2,乙,60,50\nU3,丙,70,60\n"
PLAIN = "编号,名称,税收,上年税收（万元）\n" + ROWS
TITLE = "2023年度经济小区数据,,,\n,,,\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """tmp_path as the working directory (messages show short relative names), with rules.yaml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path


def cli(*args, lang="en"):
    return CliRunner().invoke(main, [*args, "--rules", "rules.yaml", "--lang", lang])


def write(folder, text, name="data.csv"):
    (folder / name).write_text(text, encoding="utf-8")
    return name


# --- the comparison itself --------------------------------------------------------------------------


@pytest.mark.parametrize("text, key", [
    ("税收（万元）", "税收"), ("税收(万元)", "税收"), ("税收 [万元]", "税收"), ("税收【万元】", "税收"),
    (" 税收 ", "税收"), ("ＩＤ", "ID"), ("税收 万元", "税收 万元"), ("（万元）", "(万元)"),
])
def test_header_key(text, key):
    assert header_key(text) == key


def test_an_exact_header_wins_and_two_loose_ones_are_ambiguous():
    match = match_headers(["税收", "上年税收"], ["税收", "税收（万元）", "上年税收(万元)", "上年税收【万元】"])
    assert match.columns == {"税收": "税收"}
    assert match.loose == []
    assert match.ambiguous == {"上年税收": ["上年税收(万元)", "上年税收【万元】"]}


def test_the_header_row_is_the_first_naming_most_columns():
    wanted = ["编号", "名称", "税收"]
    assert pick_header_row([["标题"], ["编号", "名称", "税收"], ["编号", "名称", "税收"]], wanted) == 1
    assert pick_header_row([["编号", "x"], ["编号", "名称"]], wanted) == 1
    assert pick_header_row([["标题"], ["编号", "x"]], wanted) == 0  # one column is not enough: today's error
    assert pick_header_row([["编号", "名称"], ["编号", "名称", "税收"]], None) == 0


def test_closest():
    assert closest("税收", ["编号", "税收额", "上年税收（万元）"]) == "税收额"
    assert closest("税收", ["编号", "名称"]) is None


# --- notes: a header read loosely, a title block skipped --------------------------------------------------


LOOSE = "编号,名称,税收（万元）,上年税收(万元)\n" + ROWS
LOOSE_NOTES = {
    "en": ["data.csv:1: header '税收（万元）' read as '税收'", "data.csv:1: header '上年税收(万元)' read as '上年税收（万元）'"],
    "zh": ["data.csv:1: 表头“税收（万元）”按“税收”读取", "data.csv:1: 表头“上年税收(万元)”按“上年税收（万元）”读取"],
}


@pytest.mark.parametrize("lang, prefix", [("en", "Note: "), ("zh", "注意：")])
def test_run_reads_loose_headers_and_says_so_on_stderr(folder, lang, prefix):
    plain = cli("run", "--data", write(folder, PLAIN, "plain.csv"), lang=lang)
    result = cli("run", "--data", write(folder, LOOSE), lang=lang)
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n\n")[:2] == plain.stdout.split("\n\n")[:2]  # title and table
    assert result.stderr == "".join(f"{prefix}{note}\n" for note in LOOSE_NOTES[lang])
    assert plain.stderr == ""


@pytest.mark.parametrize("lang, notes", [
    ("en", ["note: data.csv:3: row 3 read as the header; skipped above it: '2023年度经济小区数据'"]),
    ("zh", ["注意：data.csv:3: 以第 3 行为表头读取，跳过其上方的“2023年度经济小区数据”"]),
])
def test_validate_skips_a_title_block_in_a_csv_and_lists_the_note(folder, lang, notes):
    result = cli("validate", "--data", write(folder, TITLE + PLAIN), lang=lang)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1:2] == notes and result.stderr == ""
    assert load_data(load_assessment("rules.yaml"), "data.csv").frame["税收"].tolist() == [50, 60, 70]


def test_errors_below_a_title_block_name_the_file_line(folder):
    result = cli("run", "--data", write(folder, TITLE + PLAIN.replace("U2,乙,60", "U2,乙,六十")))
    assert result.exit_code == 1
    assert result.stderr == (
        "Note: data.csv:3: row 3 read as the header; skipped above it: '2023年度经济小区数据'\n"
        "Error: Data file has 1 problem(s): data.csv\n"
        "  - data.csv:5: 税收: not a number (found '六十'; expected a number (or an empty cell for a missing value))\n")


def workbook(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    book.save(path)
    return path.name


@pytest.mark.parametrize("lang, expected", [
    ("en", "note: zones.xlsx:4: row 4 read as the header; skipped above it: '青浦区2023年度经济小区数据 / 单位：万元'"),
    ("zh", "注意：zones.xlsx:4: 以第 4 行为表头读取，跳过其上方的“青浦区2023年度经济小区数据 / 单位：万元”"),
])
def test_a_workbook_with_a_title_block(folder, lang, expected):
    rows = [["青浦区2023年度经济小区数据"], [], ["单位：万元"], ["编号", "名称", "税收（万元）", "上年税收（万元）"],
            ["U1", "甲", 50, 40], ["U2", "乙", 60, None], ["U3", "丙", 70, 60]]
    name = workbook(folder / "zones.xlsx", rows)
    result = cli("validate", "--data", name, lang=lang)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == expected
    assert "zones.xlsx:6: 上年税收（万元）: " in result.stdout  # the empty cell's warning names the sheet row
    frame = load_data(load_assessment("rules.yaml"), name).frame
    assert frame["税收"].tolist() == [50, 60, 70] and frame["_line"].tolist() == [5, 6, 7]


def test_a_title_block_without_a_header_below_keeps_todays_error(folder):
    result = cli("run", "--data", write(folder, "说明,\n编号,备注\nU1,x\n"))
    assert result.exit_code == 1
    assert "  - data.csv:1: 编号: missing column (found columns: 说明; expected a column headed '编号')\n" \
        in result.stderr
    assert "Note:" not in result.stderr


# --- errors: ambiguous headers, did you mean ---------------------------------------------------------------


AMBIGUOUS = "编号,名称,税收(万元),税收[万元],上年税收（万元）\nU1,甲,50,50,40\nU2,乙,60,60,50\n"


@pytest.mark.parametrize("lang, expected", [
    ("en", "Error: Data file has 1 problem(s): data.csv\n"
           "  - data.csv:1: 税收: two columns fit this header (found '税收(万元)' and '税收[万元]'; "
           "expected one column headed '税收' (rename or delete the other))\n"),
    ("zh", "错误：数据文件有 1 处问题：data.csv\n"
           "  - data.csv:1: 税收: 有两列都符合这个表头（实际为 '税收(万元)' 和 '税收[万元]'；"
           "应为 只有一列表头为“税收”（请改名或删除另一列））\n"),
])
def test_two_headers_that_fit_one_column_are_an_error_naming_both(folder, lang, expected):
    result = cli("run", "--data", write(folder, AMBIGUOUS), lang=lang)
    assert (result.exit_code, result.stderr) == (1, expected)


def test_an_exact_header_is_read_even_when_another_fits_loosely(folder):
    text = "编号,名称,税收,税收（万元）,上年税收（万元）\nU1,甲,50,999,40\nU2,乙,60,999,50\n"
    data = load_data(load_assessment("rules.yaml"), write(folder, text))
    assert data.frame["税收"].tolist() == [50, 60] and data.notes == []


@pytest.mark.parametrize("lang, expected", [
    ("en", "  - data.csv:1: 税收: missing column (found columns: 编号, 名称, 税收额, 上年税收（万元）; "
           "expected a column headed '税收' (did you mean '税收额'?))\n"),
    ("zh", "  - data.csv:1: 税收: 缺少列（实际为 现有列：编号, 名称, 税收额, 上年税收（万元）；"
           "应为 表头为“税收”的列（是否指“税收额”？））\n"),
])
def test_a_missing_column_names_the_closest_header(folder, lang, expected):
    result = cli("run", "--data", write(folder, PLAIN.replace("税收,", "税收额,", 1)), lang=lang)
    assert result.exit_code == 1 and expected in result.stderr


@pytest.mark.parametrize("lang, expected", [
    ("en", ["tax.csv:3: 编号: unit 'U07' (乙) appears in this file only (found no row for 'U07' in prev.csv; "
            "expected every unit in every file (a mistyped id? did you mean 'U70'?))",
            "prev.csv:3: 编号: unit 'U70' (乙) appears in this file only (found no row for 'U70' in tax.csv; "
            "expected every unit in every file (a mistyped id? did you mean 'U07'?))"]),
    ("zh", ["tax.csv:3: 编号: 考核对象 'U07' (乙) 只出现在这个文件中（实际为 prev.csv 中没有 'U07' 这一行；"
            "应为 每个考核对象在每个文件中都有（编号输错了？是否指 'U70'？））",
            "prev.csv:3: 编号: 考核对象 'U70' (乙) 只出现在这个文件中（实际为 tax.csv 中没有 'U70' 这一行；"
            "应为 每个考核对象在每个文件中都有（编号输错了？是否指 'U07'？））"]),
])
def test_a_unit_id_in_one_department_file_only_names_the_closest_id(folder, lang, expected):
    tax = write(folder, "编号,名称,税收\nU1,甲,50\nU07,乙,60\n", "tax.csv")
    prev = write(folder, "编号,名称,上年税收（万元）\nU1,甲,40\nU70,乙,50\n", "prev.csv")
    result = cli("run", "--data", tax, "--data", prev, lang=lang)
    assert result.exit_code == 1
    assert [line[4:] for line in result.stderr.splitlines()[1:]] == expected


def test_notes_of_several_files_come_back_with_the_data(folder):
    tax = write(folder, TITLE + "编号,名称,税收（万元）\nU1,甲,50\nU2,乙,60\n", "tax.csv")
    prev = write(folder, "编号,上年税收(万元)\nU1,40\nU2,50\n", "prev.csv")
    data = load_data(load_assessment("rules.yaml"), [tax, prev])
    assert data.notes == ["tax.csv:3: row 3 read as the header; skipped above it: '2023年度经济小区数据'",
                          "tax.csv:3: header '税收（万元）' read as '税收'",
                          "prev.csv:1: header '上年税收(万元)' read as '上年税收（万元）'"]
    assert data.frame["上年税收"].tolist() == [40, 50]


def test_a_loose_header_error_names_the_files_header(folder):
    with pytest.raises(DataError) as info:
        load_data(load_assessment("rules.yaml"), write(folder, LOOSE.replace("U2,乙,60", "U2,乙,x")))
    assert [(p.line, p.field, p.message) for p in info.value.problems] == [(3, "税收（万元）", "not a number")]


# --- any header: the loose forms find it, the exact one wins, nothing else is taken ----------------------

HEADER_TEXT = st.text(st.characters(whitelist_categories=("Lo", "Lu", "Ll", "Nd")), min_size=1, max_size=8)


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@settings(max_examples=100, deadline=None)
@given(header=HEADER_TEXT, unit=HEADER_TEXT, other=HEADER_TEXT)
def test_loose_forms_of_any_header_are_found(header, unit, other):
    import unicodedata

    header = unicodedata.normalize("NFKC", header)
    assume(header_key(header) == header)
    for form in (f" {header} ", f"{header}（{unit}）", f"{full_width(header)}({unit})", f"{header}【{unit}】"):
        match = match_headers([header], [other, form] if header_key(other) != header else [form])
        assert match.columns == {header: form}
    exact = match_headers([header], [f"{header}（{unit}）", header])
    assert exact.columns == {header: header} and exact.loose == []
    assume(header_key(other) != header)
    assert match_headers([header], [other]).columns == {}
