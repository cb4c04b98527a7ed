"""The text table both readers (CSV and workbook) hand to the checks: named columns and ``_line``.

A reader finds the header row and the data rows (with the file line or sheet row of each) and
:func:`build_table` turns them into a DataFrame of text cells. Columns without a header are left
out; a header repeated on several columns keeps its name on the first and ``name (column Q)``
on the others, and is listed in ``frame.attrs["duplicates"]`` so that
:func:`scoring.io.data.check_columns` can report it when the rules read that column.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

import numpy as np
import pandas as pd

LINE_COLUMN = "_line"  # source line number of each row, kept for error messages
STRAY_HEADER_CHARS = " \t\r\n\ufeff"  # a BOM left inside the text (a file saved twice) is no part of a name


def column_letter(index: int) -> str:
    """``column A`` for index 0, ``column AB`` for index 27."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"column {letters}"


def header_names(header: list[str]) -> tuple[list[tuple[int, str]], dict[str, list[str]]]:
    """(position, column name) of every named header cell, and the repeated headers with their columns."""
    positions: dict[str, list[int]] = {}
    for i, cell in enumerate(header):
        name = cell.strip().strip(STRAY_HEADER_CHARS)
        if name:
            positions.setdefault(name, []).append(i)
    columns = []
    for name, found in positions.items():
        columns.append((found[0], name))
        columns += [(i, f"{name} ({column_letter(i)})") for i in found[1:]]
    columns.sort()
    duplicates = {name: [column_letter(i) for i in found] for name, found in positions.items() if len(found) > 1}
    return columns, duplicates


def build_table(header: list[str], rows: list[list[str]], lines: list[int], header_line: int) -> pd.DataFrame:
    """Text cells of the named columns of ``rows`` (a short row is padded with empty cells), with ``_line``.

    ``frame.attrs``: ``duplicates`` (header -> its columns) and ``header_line``."""
    columns, duplicates = header_names(header)
    width = len(header)
    if set(map(len, rows)) - {width}:
        rows = [list(row[:width]) + [""] * (width - len(row)) for row in rows]
    block = np.empty((len(rows), width), dtype=object)
    if rows:
        block[:, :] = rows
    frame = pd.DataFrame({name: block[:, i] for i, name in columns}, index=pd.RangeIndex(len(rows)), dtype=object)
    frame[LINE_COLUMN] = np.asarray(lines, dtype=np.int64)
    frame.attrs["duplicates"] = duplicates
    frame.attrs["header_line"] = header_line
    return frame


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while building millions of small lists (it would scan them
    again and again, doubling the time); reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
