"""Read number cells strictly: plain decimals fast, thousands separators only where unambiguous.

A comma (``,`` or full-width ``，``) is a thousands separator only between groups of three digits
(``1,234,567``); any other comma is refused, never misread (``1,5`` is not 1.5 nor 15).
Split from :mod:`scoring.io.data`, which re-exports these names.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

# blanks stripped from both ends of ids, text inputs and number cells: space, tab, line breaks and
# every Unicode space (category Zs: no-break space U+00A0, full-width space U+3000 ...)
EDGE_BLANKS = (" \t\r\n\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
               "\u202f\u205f\u3000")

GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[+-]?[0-9]{1,3}(?:，[0-9]{3})+(?:\.[0-9]*)?")
BAD_GROUPING = ("a number; a comma only as a thousands separator between groups of three digits, as in "
                "1,234,567 (a decimal comma is not accepted: write 1.5, not 1,5)")


def read_numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(numbers, empty, bad comma) of text cells: NaN where a cell is empty or not a number.

    Blanks around a number are stripped; a cell of blanks only is empty (a missing value). A comma
    (``,`` or full-width ``，``) is a thousands separator only where it splits the digits before the
    decimal point into groups of three (``1,234,567``, ``-1,234.5``); any other comma (``1,5``,
    ``12,34``, ``1,2,3``) leaves the cell unreadable and marked in ``bad comma``, so that it is
    reported, never misread. Only cells that are not plain numbers take the slow path.

    A column of plain decimals only (the common case, see :func:`plain_numbers`) is converted in
    one typed step; any other column by :func:`pandas.to_numeric`, which gives the same numbers.
    """
    numbers = plain_numbers(cells)
    if numbers is not None:
        numbers = numbers[:, 0]
    else:
        numbers = pd.to_numeric(cells, errors="coerce").astype(float).to_numpy(copy=True)
    empty = np.zeros(len(numbers), dtype=bool)
    grouping = np.zeros(len(numbers), dtype=bool)
    unread = np.flatnonzero(np.isnan(numbers))
    if len(unread):
        text = pd.Series(cells.to_numpy(dtype=object)[unread]).map(lambda cell: str(cell).strip(EDGE_BLANKS))
        commas = text.str.contains("[,，]", regex=True).to_numpy(dtype=bool)
        grouped = commas & text.map(lambda cell: GROUPED.fullmatch(cell) is not None).to_numpy(dtype=bool)
        text = text.where(~grouped, text.str.replace("[,，]", "", regex=True))
        empty[unread] = (text == "").to_numpy()
        numbers[unread] = pd.to_numeric(text.where(~empty[unread] & ~(commas & ~grouped)),
                                        errors="coerce").astype(float).to_numpy()
        grouping[unread] = commas & ~grouped
    return numbers, empty, grouping


def plain_numbers(*columns) -> np.ndarray | None:
    """Numbers of columns of plain decimals, one typed conversion for all; None unless every cell is plain.

    Returns an array of shape (rows, columns). Plain: text of 1 to 15 characters from ``0-9 . -``
    that Python reads as a float (``12``, ``-3.5``, ``70066.8``, ``.5``). Such a number has at
    most 15 significant digits and no exponent, so every correct decimal reader gives the same
    double, :func:`pandas.to_numeric` too. Its one difference is kept: a column of integers only is
    read as integers there, which turns ``-0`` into ``0``. Anything else (an empty cell, a comma, a
    space, a ``+``, an exponent, more digits) returns None: those columns take the general path.
    The cells are read row by row, the order in which a reader made them (faster than column by column).
    """
    if not columns or not len(columns[0]):
        return None
    block = np.column_stack([np.asarray(column, dtype=object) for column in columns])
    cells = block.ravel()
    try:
        joined = "\n".join(cells)
    except TypeError:  # a cell that is not text
        return None
    if _PLAIN_CHARACTERS.fullmatch(joined) is None:
        return None
    ends = np.flatnonzero(np.frombuffer(joined.encode("ascii"), dtype=np.uint8) == 10)
    lengths = np.diff(ends, prepend=-1, append=len(joined)) - 1
    if lengths.min() < 1 or lengths.max() > 15:
        return None
    try:
        numbers = cells.astype(float).reshape(block.shape)
    except ValueError:  # e.g. "1.2.3" or "-" are not numbers: the general path reports them
        return None
    negative_zero = np.signbit(numbers) & (numbers == 0)
    for j in np.flatnonzero(negative_zero.any(axis=0)):
        if not any("." in cell for cell in block[:, j]):
            numbers[:, j] += 0.0  # integers only: -0 reads as 0, as pandas.to_numeric reads it
    return numbers


_PLAIN_CHARACTERS = re.compile(r"[-.0-9\n]*")
