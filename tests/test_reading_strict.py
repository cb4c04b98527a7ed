"""Strict, honest reading of data files: every hostile file is read correctly or refused cleanly.

A misread data file hands out a wrong commendation or warning, so each case below must give a
:class:`ZonescoreError` naming file, line, field, what was found and what was expected (every
problem of the file at once), or be read exactly as meant. Files are tiny and hand-written;
workbooks are built with ``zipfile`` so that their XML says exactly what the test needs.
"""
from __future__ import annotations

import math
import os
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.io import data_limits
from scoring.api.assessment import load_assessment
from scoring.io.data import BAD_GROUPING, load_data, read_numbers, read_table
from scoring.errors import DataError, InputFileError, OptionError, Problem, ZonescoreError

RULES = """\
id: t
title: T
id_column: id
name_column: name
display_columns: [所属单位]
inputs:
  x: {}
  税收: {column: 税收（万元）}
  类别: {type: text}
indicators:
  - {id: s, weight: 10, value: x, method: {type: minmax}}
  - {id: tax, weight: 10, value: 税收, method: {type: target, target: 100}}
outcomes:
  - {id: top, top: 1}
"""
HEADER = "id,name,所属单位,x,税收（万元）,类别"
ROWS = ["U1,Alpha,甲,1,50,工业", "U2,Beta,乙,2,100,商业", "U3,Gamma,丙,3,150,工业"]
CLEAN = HEADER + "\n" + "\n".join(ROWS) + "\n"
EXPECTED_FIELDS = "6 fields, as many as the header on line 1"


@pytest.fixture
def assessment(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return load_assessment(path)


def write(tmp_path: Path, content: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def refused(assessment, path, kind=ZonescoreError) -> ZonescoreError:
    """The error loading ``path`` gives; anything but a ZonescoreError fails the test."""
    with pytest.raises(kind) as info:
        load_data(assessment, path)
    assert isinstance(info.value, ZonescoreError)
    assert "Traceback" not in str(info.value)
    return info.value


def located(problem: Problem) -> tuple:
    return problem.message, problem.line, problem.field, problem.found, problem.expected


# --- 1. trailing delimiters -----------------------------------------------------------------


def test_trailing_comma_on_data_rows_is_refused_on_every_line(tmp_path, assessment):
    path = write(tmp_path, HEADER + "\n" + "".join(row + ",\n" for row in ROWS))
    error = refused(assessment, path, DataError)
    assert error.summary == f"Data file has 3 problem(s): {path}"
    assert [located(p) for p in error.problems] == [
        ("more fields than the header (a trailing comma?)", line, None, "7 fields", EXPECTED_FIELDS)
        for line in (2, 3, 4)]
    assert all(p.file == str(path) for p in error.problems)


def test_extra_field_with_content_hints_at_an_unquoted_comma(tmp_path, assessment):
    path = write(tmp_path, CLEAN + "U4,Delta,Epsilon,丁,4,5,工业\n")
    [problem] = refused(assessment, path, DataError).problems
    assert located(problem) == ("more fields than the header (a comma inside a cell not wrapped in double quotes?)",
                                5, None, "7 fields", EXPECTED_FIELDS)


def test_trailing_comma_on_header_and_every_row_shifts_nothing(tmp_path, assessment):
    plain = load_data(assessment, write(tmp_path, CLEAN, "plain.csv")).frame
    path = write(tmp_path, "".join(line + ",\n" for line in CLEAN.splitlines()), "trailing.csv")
    assert load_data(assessment, path).frame.equals(plain)
    # rows without the unnamed trailing cell are fine too: nothing is read from that column
    mixed = write(tmp_path, HEADER + ",\n" + "\n".join(ROWS) + "\n", "mixed.csv")
    assert load_data(assessment, mixed).frame.equals(plain)


# --- 2. short rows ------------------------------------------------------------------------------


def test_short_rows_are_refused(tmp_path, assessment):
    path = write(tmp_path, HEADER + "\nU1,Alpha,甲,1,50\n" + ROWS[1] + "\nU3,Gamma\n")
    error = refused(assessment, path, DataError)
    assert [located(p) for p in error.problems] == [
        ("fewer fields than the header", 2, None, "5 fields", EXPECTED_FIELDS),
        ("fewer fields than the header", 4, None, "2 fields", EXPECTED_FIELDS)]


def test_short_row_with_an_unnamed_trailing_header_cell(tmp_path, assessment):
    path = write(tmp_path, HEADER + ",\nU1,Alpha,甲,1,50\n" + ROWS[1] + "\n")
    [problem] = refused(assessment, path, DataError).problems
    assert located(problem) == ("fewer fields than the header", 2, None, "5 fields",
                                "at least 6 fields, as many as the header on line 1 names")


def test_short_rows_in_one_department_file_are_reported_with_the_other_files_problems(tmp_path, assessment):
    tax = write(tmp_path, "id,name,x,税收（万元）\nU1,Alpha,1\nU2,Beta,2,100\n", "tax.csv")
    market = write(tmp_path, "id,所属单位,类别\nU1,甲,工业\nU2,乙,商\u200b业\n", "market.csv")
    error = refused(assessment, [tax, market], DataError)
    assert [(p.file, p.line, p.message) for p in error.problems] == [
        (str(tax), 2, "fewer fields than the header"),
        (str(market), 3, "invisible or control character")]
    alone = refused(assessment, [tax, write(tmp_path, "id,所属单位,类别\nU1,甲,工业\nU2,乙,工业\n", "m2.csv")])
    assert alone.summary == f"Data file has 1 problem(s): {tax}"  # the file's own error when it is the only one


# --- 3. line endings ----------------------------------------------------------------------------


TWIN = 'id,name,所属单位,x,税收（万元）,类别\nU1,Alpha,甲,1,50,工业\n\nU2,"Be\nta",乙,2,100,商业\nU3,Gamma,丙,3,七,工业\n'


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_cr_only_and_crlf_files_read_like_their_lf_twin(tmp_path, assessment, ending):
    lf, _ = read_table(write(tmp_path, TWIN, "lf.csv"))
    other, _ = read_table(write(tmp_path, TWIN.replace("\n", ending), "other.csv"))
    assert other.equals(lf)
    assert list(other["_line"]) == [2, 4, 6]
    error = refused(assessment, tmp_path / "other.csv", DataError)
    assert [(p.line, p.field, p.message) for p in error.problems] == [
        (4, "name", "control character in text"), (6, "税收（万元）", "not a number")]


def test_mac_csv_gives_the_same_result_as_lf(tmp_path, assessment):
    lf = load_data(assessment, write(tmp_path, CLEAN, "lf.csv")).frame
    assert load_data(assessment, write(tmp_path, CLEAN.replace("\n", "\r"), "mac.csv")).frame.equals(lf)


# --- 4. thousands separators --------------------------------------------------------------------


def test_grouped_thousands_are_read_and_other_commas_refused(tmp_path, assessment):
    cells = ['"1,234,567"', '"-1,234.5"', '" 1,234 "', '"1，234"', '"1,5"', '"1,2,3"', '"12,34"', '"1,2345"',
             '",123"', '"1,234,5"']
    rows = [f"U{i},N{i},甲,{cell},50,工业" for i, cell in enumerate(cells)]
    error = refused(assessment, write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"), DataError)
    assert [located(p) for p in error.problems] == [
        ("not a number", line, "x", repr(cell.strip('"')), BAD_GROUPING) for line, cell in enumerate(cells, 2)
        if line >= 6]
    assert BAD_GROUPING == ("a number; a comma only as a thousands separator between groups of three digits, as in "
                            "1,234,567 (a decimal comma is not accepted: write 1.5, not 1,5)")
    good = [f"U{i},N{i},甲,{cell},50,工业" for i, cell in enumerate(cells[:4])]
    frame = load_data(assessment, write(tmp_path, HEADER + "\n" + "\n".join(good) + "\n", "good.csv")).frame
    assert list(frame["x"]) == [1234567.0, -1234.5, 1234.0, 1234.0]


def test_a_plain_not_a_number_keeps_its_message(tmp_path, assessment):
    [problem] = refused(assessment, write(tmp_path, CLEAN + "U4,Delta,丁,5万,1,工业\n"), DataError).problems
    assert located(problem) == ("not a number", 5, "x", "'5万'", "a number (or an empty cell for a missing value)")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**12), st.sampled_from(["", "-", "+"]), st.sampled_from(["", ".5", ".25"]),
       st.sets(st.integers(1, 12)), st.sampled_from([",", "，"]))
def test_commas_in_numbers_are_grouped_by_three_or_refused(number, sign, decimals, cuts, comma):
    digits = str(number)
    cuts = sorted(c for c in cuts if c < len(digits))
    spaced = digits
    for cut in reversed(cuts):
        spaced = spaced[:cut] + comma + spaced[cut:]
    text = f"{sign}{spaced}{decimals}"
    grouped = f"{sign}{number:,}{decimals}".replace(",", comma)
    values, empty, bad_comma = read_numbers(pd.Series([text, grouped], dtype=object))
    assert not empty.any()
    exact = float(f"{sign}{digits}{decimals}")
    assert values[1] == exact and not bad_comma[1]  # correct grouping round-trips
    if cuts and text != grouped:
        assert math.isnan(values[0]) and bad_comma[0]  # any other comma: refused, never misread
    else:
        assert values[0] == exact


# --- 5. control and invisible characters ------------------------------------------------------


def test_invisible_characters_in_ids_are_refused_and_shown_escaped(tmp_path, assessment):
    ids = ["U1", "U1\u200b", "\ufeffU3", "\u202eU4", "U\xa05", "U\x0b6", "\u3000U7\xa0"]
    rows = [f"{unit},N{i},甲,{i},50,工业" for i, unit in enumerate(ids)]
    error = refused(assessment, write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"), DataError)
    expected = ("visible characters and ordinary spaces only: it would print like another value but not match it "
                "(retype it)")
    assert [located(p) for p in error.problems] == [
        ("invisible or control character in unit id", line, "id", found, expected)
        for line, found in [(3, "'U1\\u200b'"), (4, "'\\ufeffU3'"), (5, "'\\u202eU4'"), (6, "'U\\xa05'"),
                            (7, "'U\\x0b6'")]]


def test_blanks_at_the_ends_of_an_id_are_stripped(tmp_path, assessment):
    path = write(tmp_path, HEADER + "\n\u3000U1\xa0,Alpha,甲,1,50,工业\n\tU2 ,Beta,乙,2,100, 商业\u3000\n")
    frame = load_data(assessment, path).frame
    assert list(frame.index) == ["U1", "U2"] and list(frame["类别"]) == ["工业", "商业"]


def test_control_characters_in_names_and_text_columns_are_refused(tmp_path, assessment):
    text = (HEADER + '\nU1,"Al\tpha",甲,1,50,工业\nU2,"Be\nta",乙,2,100,商业\nU3,Gamma,丙\x07,3,150,工\u200d业\n'
            "U4,\u200dDelta,丁,4,150,工业\n")
    error = refused(assessment, write(tmp_path, text), DataError)
    plain = "one line of plain text, without tabs, line breaks or other control characters"
    key = ("visible characters and ordinary spaces only: it would print like another value but not match it "
           "(retype it)")
    assert [located(p) for p in error.problems] == [  # columns compared by value first; a zero-width joiner
        ("invisible or control character", 5, "类别", "'工\\u200d业'", key),  # in a name (line 6) is fine
        ("control character in text", 2, "name", "'Al\\tpha'", plain),
        ("control character in text", 3, "name", "'Be\\nta'", plain),
        ("control character in text", 5, "所属单位", "'丙\\x07'", plain)]


# --- 8. encodings, NUL bytes, odd files ------------------------------------------------------


def test_nul_bytes_are_refused_with_their_line(tmp_path, assessment):
    error = refused(assessment, write(tmp_path, CLEAN + "U4,De\x00lta,丁,4,1,工业\n"), InputFileError)
    assert located(error.problems[0])[:4] == ("NUL character (a binary, damaged or UTF-16 file?)", 5, None,
                                              "1 NUL character(s)")


def test_utf16_text_is_refused_clearly(tmp_path, assessment):
    error = refused(assessment, write(tmp_path, CLEAN.encode("utf-16")), InputFileError)
    assert error.summary.startswith("Data file is UTF-16 text, not a CSV file")


@pytest.mark.parametrize("content, message, line", [
    ("\ufeff" + HEADER + "\n", "no data rows", 2),
    ("\ufeff", "the file has no content", None),
    (",,,\n , \n", "the file has no content", None),
    ("\n\n" + HEADER + "\n\n", "no data rows", 4),
])
def test_header_only_and_blank_files(tmp_path, assessment, content, message, line):
    for encoding in ("utf-8", "gb18030"):
        path = write(tmp_path, content.encode(encoding if not content.startswith("\ufeff") else "utf-8"))
        [problem] = refused(assessment, path, InputFileError).problems
        assert (problem.message, problem.line) == (message, line)


def test_blank_and_comma_only_rows_are_skipped_and_lines_kept(tmp_path, assessment):
    text = "\n" + HEADER + "\n,,,,,\n" + ROWS[0] + "\n  \n" + ROWS[1] + "\nU3,Gamma,丙,x3,150,工业\n"
    error = refused(assessment, write(tmp_path, text), DataError)
    assert [located(p)[:3] for p in error.problems] == [("not a number", 7, "x")]


def test_excel_separator_line(tmp_path, assessment):
    frame, _ = read_table(write(tmp_path, "sep=,\n" + CLEAN))
    assert list(frame.columns)[:2] == ["id", "name"] and list(frame["_line"]) == [3, 4, 5]
    [problem] = refused(assessment, write(tmp_path, "sep=;\n" + CLEAN.replace(",", ";"), "semi.csv"),
                        InputFileError).problems
    assert (problem.message, problem.line, problem.found) == ("the first line declares another separator", 1,
                                                              "'sep=;'")


def test_header_line_is_the_one_named_for_a_missing_column(tmp_path, assessment):
    text = "\n\nid,name,所属单位,x,类别\n" + "U1,Alpha,甲,1,工业\n"
    [problem] = refused(assessment, write(tmp_path, text), DataError).problems
    assert (problem.message, problem.line, problem.field) == ("missing column", 3, "税收（万元）")


@pytest.mark.parametrize("row, error", [
    ('U4,"Delta,丁,4,1,工业\nU5,Eps,戊,5,1,工业\n', "unexpected end of data"),
    ('U4,"Del"ta,丁,4,1,工业\n', "',' expected after '\"'"),
])
def test_broken_quotes_name_the_line(tmp_path, assessment, row, error):
    [problem] = refused(assessment, write(tmp_path, CLEAN + row), InputFileError).problems
    assert (problem.line, problem.message) == (5, f"cannot split the row into cells ({error})")


def test_a_header_with_an_invisible_character_is_shown_escaped(tmp_path, assessment):
    path = write(tmp_path, CLEAN.replace("id,", "id\u200b,", 1))
    missing = refused(assessment, path, DataError).problems[0]
    assert missing.message == "missing column" and "'id\\u200b'" in missing.found


def test_the_same_file_under_two_names_or_with_the_same_content(tmp_path, assessment):
    tax = write(tmp_path, "id,name,x,税收（万元）\nU1,Alpha,1,50\nU2,Beta,2,100\n", "tax.csv")
    linked = tmp_path / "link.csv"
    os.link(tax, linked)
    with pytest.raises(OptionError, match="given twice"):
        load_data(assessment, [tax, linked])
    copy = write(tmp_path, tax.read_bytes(), "copy.csv")
    error = refused(assessment, [tax, copy], DataError)
    same = [p for p in error.problems if p.message == "the same content as another data file"]
    assert [(p.file, p.field) for p in same] == [(str(copy), "--data")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_not_read(tmp_path, assessment):
    pipe = tmp_path / "data.csv"
    os.mkfifo(pipe)
    [problem] = refused(assessment, pipe, InputFileError).problems
    assert problem.message == "not a regular file"


def test_an_unreadable_file_is_a_clean_error(tmp_path, assessment, monkeypatch):
    path = write(tmp_path, CLEAN)

    def locked(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", locked)
    error = refused(assessment, path, InputFileError)
    assert error.summary == f"Cannot read data file: {path}"
    assert error.problems[0].message == "cannot read the file (Permission denied)"


# --- 7. CSV size and memory ----------------------------------------------------------------------


def test_csv_larger_than_memory_allows_is_refused_before_reading(tmp_path, assessment, monkeypatch):
    path = write(tmp_path, CLEAN)
    monkeypatch.setattr(data_limits, "available_memory", lambda: 100 * len(CLEAN.encode()) - 1)
    [problem] = refused(assessment, path, InputFileError).problems
    assert problem.message == "file too large" and problem.found == data_limits.megabytes(path.stat().st_size)
    assert "of memory available now; a run needs about 100 times the file size" in problem.expected
    monkeypatch.setattr(data_limits, "available_memory", lambda: None)
    monkeypatch.setattr(data_limits, "FALLBACK_CSV_BYTES", 10)
    [problem] = refused(assessment, path, InputFileError).problems
    assert "the fixed limit (the available memory cannot be read on this system)" in problem.expected
    monkeypatch.setattr(data_limits, "FALLBACK_CSV_BYTES", 10**6)
    assert len(load_data(assessment, path)) == 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/meminfo")
def test_available_memory_is_read_on_linux():
    available = data_limits.available_memory()
    assert available is not None and available > 0


# --- 6. workbooks: bombs and limits ----------------------------------------------------------------

PACKAGE = "http://schemas.openxmlformats.org/package/2006/"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{PACKAGE}content-types">'
                           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                           'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                           '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                           'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                           'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                           'worksheet+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{PACKAGE}relationships"><Relationship Id="rId1" '
                   f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
                       '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}relationships"><Relationship Id="rId1" '
                                  f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
TABLE = [["id", "name", "所属单位", "x", "税收（万元）", "类别"], ["U1", "Alpha", "甲", 1, 50, "工业"],
         ["U2", "Beta", "乙", 2, 100, "商业"]]


def letters(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def cell_xml(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def workbook(path: Path, cells: dict[tuple[int, int], object], dimension: str | None = None, tail: str = "") -> Path:
    """An .xlsx whose one sheet holds ``cells`` ((row, column) -> value) and declares ``dimension``."""
    rows: dict[int, list[str]] = {}
    for (row, column), value in sorted(cells.items()):
        rows.setdefault(row, []).append(cell_xml(f"{letters(column)}{row}", value))
    body = "".join(f'<row r="{row}">{"".join(parts)}</row>' for row, parts in rows.items())
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{body}{tail}</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, xml)
    return path


def table_cells(rows=TABLE) -> dict[tuple[int, int], object]:
    return {(r, c): value for r, row in enumerate(rows, 1) for c, value in enumerate(row, 1)}


def test_workbook_declaring_the_whole_sheet_with_a_far_cell_reads_quickly(tmp_path, assessment):
    path = workbook(tmp_path / "bomb.xlsx", {**table_cells(), (1_048_576, 16_384): 1}, dimension="A1:XFD1048576")
    start = time.perf_counter()
    frame = load_data(assessment, path).frame
    assert time.perf_counter() - start < 10  # minutes before the fix; well under a second now
    assert list(frame.index) == ["U1", "U2"] and list(frame["x"]) == [1.0, 2.0]


def test_a_far_cell_under_a_named_header_is_a_row_not_lost(tmp_path, assessment):
    path = workbook(tmp_path / "far.xlsx", {**table_cells(), (1_048_576, 1): "U9"}, dimension="A1:XFD1048576")
    frame, _ = read_table(path)
    assert list(frame["_line"]) == [2, 3, 1_048_576]


def test_a_dimension_declaring_too_little_loses_no_rows(tmp_path, assessment):
    path = workbook(tmp_path / "small.xlsx", table_cells(TABLE + [["U3", "Gamma", "丙", 3, 150, "工业"]]),
                    dimension="A1:B2")
    frame = load_data(assessment, path).frame
    assert list(frame.index) == ["U1", "U2", "U3"] and list(frame["税收"]) == [50.0, 100.0, 150.0]


def test_long_tail_of_blank_rows_is_skipped(tmp_path, assessment):
    tail = "".join(f'<row r="{r}"><c r="A{r}" s="0"/><c r="F{r}" s="0"/></row>' for r in range(4, 10_004))
    frame = load_data(assessment, workbook(tmp_path / "tail.xlsx", table_cells(), tail=tail)).frame
    assert list(frame["_line"]) == [2, 3]


def declare_size(path: Path, member: str, size: int) -> Path:
    """Rewrite the unzipped size the archive's central directory declares for ``member``."""
    raw = bytearray(path.read_bytes())
    at = raw.find(b"PK\x01\x02")
    while raw[at + 46:at + 46 + int.from_bytes(raw[at + 28:at + 30], "little")] != member.encode():
        at = raw.find(b"PK\x01\x02", at + 4)
    raw[at + 24:at + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    return path


def test_zip_bomb_is_refused_before_the_workbook_is_opened(tmp_path, assessment, monkeypatch):
    path = declare_size(workbook(tmp_path / "zip.xlsx", table_cells()), "xl/worksheets/sheet1.xml", 300 * 2**20)

    def never(*args, **kwargs):
        raise AssertionError("the workbook library must not see a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    error = refused(assessment, path, InputFileError)
    assert error.summary == f"Workbook is too large when unzipped (a zip bomb?): {path}"
    [problem] = error.problems
    assert problem.message == "workbook too large unzipped"
    assert problem.found.startswith("300.0 MB unzipped from 0.0 MB")
    assert problem.expected.startswith("at most 200.0 MB unzipped")


@pytest.mark.parametrize("cells, dimension, message, found", [
    ({(2_000_000, 1): "U9"}, None, "a row beyond the last row a sheet can have", "a row numbered above 1,048,576"),
    ({(1, 1001): "备注"}, None, "the header row names a column too far to the right",
     "a heading beyond column 1,000"),
    ({}, "A1:XFE2000000", "the sheet declares a size beyond Excel's limits", "2,000,000 rows x 16,385 columns"),
])
def test_sheet_limits_name_the_limit_and_the_value(tmp_path, assessment, cells, dimension, message, found):
    path = workbook(tmp_path / "limit.xlsx", {**table_cells(), **cells}, dimension=dimension)
    error = refused(assessment, path, InputFileError)
    assert error.summary == f"Worksheet is too large or malformed: {path}"
    [problem] = error.problems
    assert (problem.message, problem.found) == (message, found)


def test_cells_read_are_capped(tmp_path, assessment, monkeypatch):
    monkeypatch.setattr(data_limits, "MAX_SHEET_CELLS", 6)
    path = workbook(tmp_path / "cells.xlsx", table_cells())
    [problem] = refused(assessment, path, InputFileError).problems
    assert (problem.message, problem.line, problem.found) == ("too many cells to read", 3,
                                                              "more than 1 rows x 6 columns")


def test_damaged_workbook_is_a_clean_error(tmp_path, assessment):
    path = workbook(tmp_path / "broken.xlsx", table_cells(), tail="<row r='9'><c r='A9'><v>1</v>")
    error = refused(assessment, path, InputFileError)
    assert error.summary == f"Data file is not a readable Excel workbook: {path}"


def test_password_protected_workbook_is_named_as_such(tmp_path, assessment):
    path = write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"),
                 "locked.xlsx")
    assert refused(assessment, path, InputFileError).summary == f"Workbook is password-protected: {path}"


def test_chart_sheets_and_hidden_sheets(tmp_path, assessment):
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    hidden = book.active
    hidden.title, hidden.sheet_state = "旧数据", "hidden"
    hidden.append(["not", "the", "data"])
    sheet = book.create_sheet("数据")
    for row in TABLE:
        sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=3))
    book.create_chartsheet("图表", 0).add_chart(chart)
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert list(load_data(assessment, path).frame.index) == ["U1", "U2"]  # the first visible worksheet
    with pytest.raises(InputFileError) as info:
        load_data(assessment, path, sheet="图表")
    [problem] = info.value.problems
    assert (problem.message, problem.expected) == ("a chart sheet, not a table", "one of: 旧数据, 数据")
