"""The vectorised edges (reading and rendering) give exactly what the general paths give, and stay fast.

Reading: a CSV without quotes is split with plain string splits (:func:`scoring.io.csvread._unquoted_records`)
and columns of plain decimals are converted in one typed step (:func:`scoring.io.data.plain_numbers`).
Rendering: the ranked table is taken by position (:meth:`scoring.engine.run.RunResult.table`), fixed-point
columns are formatted at once (:func:`scoring.report.formatting.fixed_column`), terminal and Markdown tables
are drawn column by column (:func:`scoring.report.formatting.text_table`), CSV is written in one pass with
only text cells neutralised (:func:`scoring.io.fileio.csv_columns`), JSON is written without json's
pure-Python indenting generator (:func:`scoring.report.formatting.json_text`), and unit records are read
column by column (:func:`scoring.report.render.unit_records`). Each is compared here with the general path
(the csv module, pandas.to_numeric, tabulate, json.dumps, per-cell neutralise, label lookups) on
random input; the golden files hold the shipped outputs byte for byte.
"""
from __future__ import annotations

import csv
import io
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tabulate import tabulate

from scoring.engine.ranking import displayed
from scoring.io.csvread import _unquoted_records
from scoring.io.data import plain_numbers, read_numbers
from scoring.io.fileio import csv_columns, csv_document
from scoring.report.formatting import fixed_column, json_text, markdown_cells, markdown_text, render_report, text_table
from scoring.report.render import render_run, run_document, unit_record
from scoring.engine.run import run_files

ROOT = Path(__file__).resolve().parent.parent


# --- reading --------------------------------------------------------------------------------------


def csv_module_records(text: str) -> list[tuple[int, list[str]]]:
    """What scoring.io.csvread reads with the csv module (the path for quoted files)."""
    reader = csv.reader(io.StringIO(text, newline=None), strict=True)
    records, previous = [], 0
    for record in reader:
        if record and (record[0].strip() or any(cell.strip() for cell in record)):
            records.append((previous + 1, record))
        previous = reader.line_num
    return records


def test_unquoted_split_is_the_csv_modules_split():
    pieces = ["a", "1", ",", ",", " ", "\t", "\n", "\r", "\r\n", "\u3000", "\xa0", "中", "\x0b", "\x0c", "\x1c",
              "\u2028", "\x85", ".", "-", ""]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert _unquoted_records(text) == csv_module_records(text), repr(text)


def test_a_line_longer_than_the_csv_field_limit_is_left_to_the_csv_module():
    text = "id,name\n1," + "x" * (csv.field_size_limit() + 1) + "\n"
    assert _unquoted_records(text) is None


def to_numeric(cells) -> np.ndarray:
    return pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce").astype(float).to_numpy()


def same_numbers(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal values, NaN where NaN, and the same sign on every zero."""
    return bool(np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b)))


def plain_cell(rng: random.Random, integers: bool) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 7)))
    if not integers and rng.random() < 0.7:
        digits = rng.choice([digits + "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 6))),
                             "." + digits, digits + "."])
    return ("-" if rng.random() < 0.3 else "") + digits[:14]


@pytest.mark.parametrize("integers", [True, False])
def test_plain_number_columns_read_as_pandas_reads_them(integers):
    rng = random.Random(5)
    for _ in range(200):
        cells = [plain_cell(rng, integers) for _ in range(rng.randint(1, 40))]
        if rng.random() < 0.3:
            cells[rng.randrange(len(cells))] = rng.choice(["-0", "-00", "0", "-0.0", "-.0", "00012"])
        numbers = plain_numbers(cells)
        assert numbers is not None and numbers.shape == (len(cells), 1)
        assert same_numbers(numbers[:, 0], to_numeric(cells)), cells
        values, empty, bad_comma = read_numbers(pd.Series(cells, dtype=object))
        assert same_numbers(values, to_numeric(cells)) and not empty.any() and not bad_comma.any()


def test_several_plain_columns_at_once_read_as_one_at_a_time():
    rng = random.Random(8)
    columns = [[plain_cell(rng, j % 2 == 0) for _ in range(300)] for j in range(6)]
    columns[2][7] = "-0"  # an integer column: -0 reads as 0 there, as in pandas
    columns[3][9] = "-0"  # a decimal column: -0 stays -0.0
    together = plain_numbers(*columns)
    for j, column in enumerate(columns):
        assert same_numbers(together[:, j], to_numeric(column)), j
    assert not np.signbit(together[7, 2]) and np.signbit(together[9, 3])


@pytest.mark.parametrize("cell", ["", " 1", "1 ", "+1", "1e5", "1E5", "1_000", "１２", "1,000", "1，000", "inf", "nan",
                                  "0.12345678901234", "-", ".", "1.2.3", "--1", "1-", "12\n3", None, 1.5])
def test_anything_but_a_plain_decimal_takes_the_general_path(cell):
    assert plain_numbers(["12", cell, "3.5"]) is None


# --- rendering: the pieces --------------------------------------------------------------------------

CELLS = ["", "a", "abc", "  padded  ", "12.50", "-3.00", "+4.00", "中文", "经济小区第一", "ｗｉｄｅ", "e\u0301", "🙂",
         "mixed 中 a", "a|b", "<b>&", "x\\y", "=1+2", "@sum", "-", "long " * 6]
ODD_CELLS = ["tab\there", "line\nbreak", "cr\rcr", "\x1b[31mred\x1b[0m", "\x01", "nbsp\xa0", "zero\u200bwidth"]


def random_table(rng: random.Random, pool: list[str]) -> tuple[list[str], list[list[str]], list[str]]:
    width, height = rng.randint(1, 6), rng.randint(1, 12)
    headers = [rng.choice(pool + ["排名", "总分", "h"]) for _ in range(width)]
    columns = [[rng.choice(pool) for _ in range(height)] for _ in range(width)]
    return headers, columns, [rng.choice(["left", "right"]) for _ in range(width)]


@pytest.mark.parametrize("tablefmt", ["simple", "github"])
def test_tables_are_drawn_as_tabulate_draws_them(tablefmt):
    rng = random.Random(3)
    for case in range(400):
        headers, columns, align = random_table(rng, CELLS + (ODD_CELLS if case % 4 == 0 else []))
        expected = tabulate([list(row) for row in zip(*columns)], headers=headers, tablefmt=tablefmt,
                            disable_numparse=True, colalign=align)
        assert text_table(headers, columns, align, tablefmt) == expected, (headers, columns, align)


def test_markdown_cells_are_escaped_as_markdown_text_escapes_them():
    cells = CELLS + ODD_CELLS + [3, 1.5, None]
    assert markdown_cells(cells) == [markdown_text(cell) for cell in cells]
    assert markdown_cells(["a", "b"]) == ["a", "b"]


def test_report_without_rows_and_with_ragged_rows_is_drawn_by_tabulate():
    assert render_report("T", ["a", "b"], [], ["left", "right"], ["f"], "table", empty="(none)") == "T\n\n(none)\n\nf\n"
    ragged = [["1", "2"], ["3"]]
    text = render_report("T", ["a", "b"], ragged, ["left", "right"], [], "table")
    assert tabulate(ragged, headers=["a", "b"], tablefmt="simple", disable_numparse=True,
                    colalign=["left", "right"]) in text


def test_csv_columns_is_csv_document_column_by_column():
    rng = random.Random(4)
    pool = CELLS + ODD_CELLS + ['say "hi"', "a,b", "+", "\r\n", None, 7, 2.5]
    numbers = ["12", "-3.50", "+4.00", "0.00", ""]
    for _ in range(300):
        headers, columns, _ = random_table(rng, pool)
        headers = [str(h) for h in headers]
        flagged = {j for j in range(len(columns)) if rng.random() < 0.4}
        for j in flagged:
            columns[j] = [rng.choice(numbers) for _ in columns[j]]
        expected = csv_document(headers, [list(row) for row in zip(*columns)])
        assert csv_columns(headers, columns, flagged) == expected
        assert csv_columns(headers, columns) == expected


def old_fixed_column(values, precision, signed=False, missing=""):
    """fixed_column as it was written value by value."""
    rounded = displayed(np.asarray(values, float), precision)
    plus = "+" if signed else ""
    return [missing if not math.isfinite(v) else (f"{v:{plus}.{precision}f}" if v != 0 else f"{0.0:.{precision}f}")
            for v in rounded.tolist()]


@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("precision", [0, 2, 3])
def test_fixed_columns_format_as_value_by_value(signed, precision):
    rng = np.random.default_rng(precision)
    values = np.concatenate([rng.normal(0, 50, 500), rng.normal(0, 0.004, 200), [0.0, -0.0, np.nan, 86.125, -86.125,
                                                                                   0.005, -0.005, 1e15, -1e-9]])
    assert fixed_column(values, precision, signed, "-") == old_fixed_column(values, precision, signed, "-")


def random_document(rng: random.Random, depth: int = 0):
    if depth > 3 or rng.random() < 0.5:
        return rng.choice([None, True, False, 0, -7, 10 ** 20, 1.5, -0.0, 1e-7, 1e300, 0.1 + 0.2, np.float64(2.5),
                           "", "text", "中文", 'quote " and \\ back', "\n\t\x01\u2028", "🙂"])
    if rng.random() < 0.5:
        return [random_document(rng, depth + 1) for _ in range(rng.randint(0, 4))] + (
            [(1, "t")] if rng.random() < 0.1 else [])
    return {rng.choice(["a", "中", "", 'k"']) + str(i): random_document(rng, depth + 1) for i in range(rng.randint(0, 4))}


def test_json_text_is_json_dumps():
    rng = random.Random(9)
    for _ in range(2000):
        document = random_document(rng)
        assert json_text(document) == json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    keys = {1: "int key", 2.5: "float key", False: "false key", None: "null key"}
    assert json_text(keys) == json.dumps(keys, ensure_ascii=False, indent=2) + "\n"
    with pytest.raises(TypeError):
        json_text({"a": object()})


# --- rendering: whole runs ---------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["qingpu", "muyun"])
def shipped_run(request):
    if request.param == "qingpu":
        return run_files(ROOT / "rules" / "qingpu-2023.yaml", ROOT / "zones.csv")
    return run_files(ROOT / "rules" / "examples" / "muyun-enterprises.yaml", ROOT / "rules" / "examples" / "enterprises.csv")


def test_unit_records_are_unit_record_unit_by_unit(shipped_run):
    records = run_document(shipped_run)["units"]
    assert records == [unit_record(shipped_run, unit_id) for unit_id in shipped_run.ranking.order]


def synthetic_csv(path: Path, count: int, seed: int = 2023) -> Path:
    """``count`` invented zones with the columns of rules/qingpu-2023.yaml."""
    rng = np.random.default_rng(seed)
    last_tax = rng.uniform(10_000, 250_000, count).round(1)
    last_tax[rng.random(count) < 0.02] = 0.0
    tax = (np.maximum(last_tax, 12_000) * rng.uniform(0.7, 2.0, count)).round(1)
    new_firms = rng.integers(20, 800, count)
    frame = pd.DataFrame({
        "编号": [f"U{i:06d}" for i in range(count)], "小区名称": [f"合成小区{i}" for i in range(count)],
        "所属单位": rng.choice(["夏阳街道", "徐泾镇", "=HYPERLINK(1)", "青浦工业园区"], count),
        "税收（万元）": tax, "上年税收（万元）": last_tax,
        "税收目标（万元）": (np.maximum(last_tax, 12_000) * rng.uniform(1.0, 1.3, count)).round(1),
        "新增有效纳税户数": new_firms, "新增户数目标": (new_firms * rng.uniform(0.7, 1.2, count)).astype(int) + 1,
        "有效纳税户数": new_firms * rng.integers(3, 12, count), "纳税百万元以上企业数": rng.integers(0, 80, count),
        "战略性新兴产业税收（万元）": (tax * rng.uniform(0.05, 0.6, count)).round(1),
        "赛道企业新增户数": (new_firms * rng.uniform(0.05, 0.8, count)).astype(int),
        "重大项目数": rng.poisson(0.6, count), "虚假注册户数": rng.poisson(0.4, count),
        "违规返税": (rng.random(count) < 0.02).astype(int),
        "设立年份": np.where(rng.random(count) < 0.03, 2023, rng.integers(2000, 2022, count)),
    })
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def large_run(tmp_path_factory):
    path = synthetic_csv(tmp_path_factory.mktemp("large") / "units.csv", 5000)
    return run_files(ROOT / "rules" / "qingpu-2023.yaml", path)


def test_large_run_renders_fast(large_run):
    """A guard against per-cell label lookups or per-cell tabulate work coming back: at 5,000
    units the text formats take well under a tenth of a second each; the budget is generous."""
    start = time.process_time()
    texts = {fmt: render_run(large_run, fmt) for fmt in ("csv", "table", "markdown")}
    assert time.process_time() - start < 3.0
    assert texts["csv"].count("\n") == 5001 and "'=HYPERLINK(1)" in texts["csv"]
    assert pd.read_csv(io.StringIO(texts["csv"])).shape == (5000, 10)  # id, rank, name, owner, 3 groups, +/-, total, outcome
