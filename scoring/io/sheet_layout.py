"""Where the parts of a :class:`scoring.io.workbook.Sheet` go: merged header cells, column widths.

Plain data, no openpyxl: the header block (``bands`` above ``headers``) with its merges
(:data:`SPAN_LEFT`, :data:`SPAN_UP`), the header text that belongs to each column, and the
width each column needs for its cells as shown with their number formats (wide CJK
characters count as two).
"""
from __future__ import annotations

import math
import re

from ..report.words import display_width

MAX_WIDTH = 70  # a SHA-256 in hex fits
WRAP_WIDTH = 50  # a wrapped column (reasons, notes) is at most this wide
MIN_NUMBER_WIDTH = 6


class _Span:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


SPAN_LEFT = _Span("SPAN_LEFT")  # a header cell merged into the cell to its left
SPAN_UP = _Span("SPAN_UP")  # a header cell merged into the cell above it


def shown(value, number_format: str | None) -> str:
    """The text a number cell shows with its format (the first section of a signed or worded format)."""
    if value is None or isinstance(value, _Span):
        return ""
    if isinstance(value, float) and number_format and number_format not in ("@",):
        section = number_format.split(";")[0 if value >= 0 or ";" not in number_format else 1]
        digits = re.search(r"0(?:\.(0+))?", section)
        decimals = len(digits.group(1) or "") if digits else 0
        literal = "".join(re.findall(r'"([^"]*)"', section))
        sign = "+" if section.lstrip('"').startswith("+") or '"+"' in section else ""
        return f"{literal}{sign}{abs(value) if ';' in number_format else value:.{decimals}f}"
    return str(value)


def is_number_format(number_format: str | None) -> bool:
    return bool(number_format) and number_format != "@"


def header_block(sheet) -> list[list]:
    return [*sheet.bands, list(sheet.headers)]


def spans(block: list[list]) -> list[tuple[int, int, int, int]]:
    """(row, column, last row, last column) of every header cell that SPAN_LEFT / SPAN_UP cells extend."""
    found = []
    for r, row in enumerate(block):
        for c, value in enumerate(row):
            if isinstance(value, _Span):
                continue
            right = c
            while right + 1 < len(row) and row[right + 1] is SPAN_LEFT:
                right += 1
            down = r
            while down + 1 < len(block) and block[down + 1][c] is SPAN_UP:
                down += 1
            if (right, down) != (c, r):
                found.append((r, c, down, right))
    return found


def column_format(sheet, column: int) -> str | None:
    return sheet.formats[column] if column < len(sheet.formats) else None


def column_widths(sheet) -> list[float]:
    """Width of each column in characters (wide CJK characters count as two): its widest cell as
    shown; a header may wrap onto three lines over numbers; wrapped columns at most WRAP_WIDTH."""
    from .workbook import plain

    widths = []
    for c, header in enumerate(sheet.headers):
        number_format = column_format(sheet, c)
        texts = {shown(plain(row[c]), number_format) for row in [*sheet.fixed_rows, *sheet.rows] if c < len(row)}
        cells = max((display_width(text) for text in texts), default=0)
        if sheet.indents and c == sheet.indent_column:
            cells = max([cells, *(display_width(str(row[c] or "")) + 2 * indent
                                  for row, indent in zip(sheet.rows, sheet.indents))])
        label = column_label(sheet, c)
        heading = max(display_width(line) for line in label.split("\n"))
        words = [display_width(word) for word in label.split() if word.isascii()]
        if c in sheet.wrap_columns:
            width = max(min(cells, WRAP_WIDTH), heading)
        elif is_number_format(number_format):  # a header over numbers wraps (at its line breaks if it has any)
            wrapped = heading if "\n" in label else math.ceil(heading / 3)
            width = max(cells, wrapped, *words, MIN_NUMBER_WIDTH)
        else:
            width = max(cells, heading)
        widths.append(min(width + 2, MAX_WIDTH))
    return widths


def column_label(sheet, column: int) -> str:
    """The header text that belongs to one column alone: the lowest header cell of the column that
    is not merged with the next column."""
    for row in reversed(header_block(sheet)):
        value = row[column] if column < len(row) else None
        spans_right = column + 1 < len(row) and row[column + 1] is SPAN_LEFT
        if isinstance(value, str) and not spans_right:
            return value
    return ""


