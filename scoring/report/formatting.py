"""Number formatting and the generic text report, shared by every renderer.

Points are shown rounded half up (四舍五入) to the rule file's precision, the same rounding that
decides ties (:func:`scoring.engine.ranking.displayed`); JSON numbers are rounded to a fixed
number of decimals, so identical inputs give byte-identical output.

Each text format has one escaping function: :func:`markdown_text` for Markdown (every cell,
heading and list item), :func:`scoring.io.fileio.neutralise` for CSV cells, and JSON is strict
(:func:`json_text`: a missing value is ``null``, a number that is not finite is an error).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

import numpy as np

from ..engine.ranking import displayed
from ..errors import Problem
from ..io.data_table import paused_gc
from ..io.fileio import csv_columns, csv_document
from ..io.outputs import OutputError
from ..messages import tr
from .fitting import FULL, Layout, draw_narrow, fit_table, paint_rows, wrap_lines
from .words import WORDS, words

JSON_DECIMALS = 6


@dataclass
class Shape:
    """What a renderer says about its terminal table: columns to leave out first (``drop``, by index,
    in order), text columns that may be shortened with "…" (``shrink``), shorter headers for a
    narrow table, each row's tone (:func:`scoring.report.fitting.outcome_tones`) and the words
    (:func:`scoring.report.words.words`) of the note naming the columns not shown."""

    drop: tuple[int, ...] = ()
    shrink: tuple[int, ...] = ()
    short_headers: list[str] | None = None
    tones: list[str | None] | None = None
    word: dict[str, str] | None = None
    late: tuple[int, ...] = ()  # left out only to keep a shortened text readable

    def notes(self, fitted) -> list[str]:
        """A footer line naming the columns left out and shortened, if any."""
        word = self.word or WORDS["en"]
        lines = []
        if fitted.hidden:
            lines.append(word["hidden_columns"].format(count=len(fitted.hidden), names=word["list_separator"].join(
                fitted.hidden)))
        if fitted.shortened:
            lines.append(word["shortened_columns"].format(names=word["list_separator"].join(fitted.shortened)))
        return lines


def assessment_record(spec) -> dict:
    """The ``assessment`` header of every JSON document: id, title and what the units are called."""
    return {"id": spec.id, "title": spec.title, "unit": words(spec)["unit"]}


def fixed(value, precision: int, signed: bool = False, missing: str = "") -> str:
    """``value`` with ``precision`` decimals (``+`` before positive values when ``signed``)."""
    number = json_number(value)
    if number is None:
        return missing
    number = float(displayed(number, precision))
    return f"{number:+.{precision}f}" if signed and number != 0 else f"{number:.{precision}f}"


def fixed_column(values, precision: int, signed: bool = False, missing: str = "") -> list[str]:
    """:func:`fixed` for a whole column at once: one vectorised rounding, one format for every value,
    then zeros (never signed, never ``-0.00``) and missing values put in place by mask."""
    numbers = np.asarray(values, float)
    if np.isinf(numbers).any():
        raise non_finite_error(float(numbers[np.isinf(numbers)][0]))
    rounded = displayed(numbers, precision)
    texts = np.array(list(map(f"{{:{'+' if signed else ''}.{precision}f}}".format, rounded.tolist())), dtype=object)
    texts[rounded == 0] = f"{0.0:.{precision}f}"
    texts[~np.isfinite(rounded)] = missing
    return texts.tolist()


def json_number(value, decimals: int = JSON_DECIMALS) -> float | None:
    """A plain float rounded to ``decimals``; None for a missing (NaN, None) or non-numeric value.

    An infinite number is never a missing value but a fault upstream: :class:`OutputError`.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise non_finite_error(number)
    return round(number, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def non_finite_error(value, where: str | None = None) -> OutputError:
    """The internal error raised when a number that is not finite reaches an output."""
    return OutputError(tr("Internal error: a number that is not finite reached the output; nothing was written"),
                       [Problem(tr("not a finite number"), field=where, found=repr(value),
                                expected=tr("a finite number, or an empty cell / null for a missing value "
                                            "(please report this)"))])


def json_text(document) -> str:
    """Strict JSON (``allow_nan=False``): missing values must already be ``None``; NaN or infinity raise.

    The text of ``json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)``, written by
    :func:`_dump` (json's own indented writer is a slow pure-Python generator); anything else
    than dicts, lists, tuples, text, numbers, booleans and None is left to ``json.dumps``.
    """
    try:
        try:
            parts: list[str] = []
            _dump(document, "\n", parts)
            return "".join(parts) + "\n"
        except (_NotPlain, RecursionError):
            return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    except ValueError:
        found = _non_finite(document, "")
        if found is None:
            raise
        raise non_finite_error(found[1], found[0] or "(document)") from None


class _NotPlain(Exception):
    """A value :func:`_dump` does not write: ``json.dumps`` decides what becomes of it."""


_JSON_STRING = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


def _json_float(value: float) -> str:
    if value != value or value in (math.inf, -math.inf):
        raise ValueError("Out of range float values are not JSON compliant: " + repr(value))
    return float.__repr__(value)


def _json_key(key) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _json_float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise _NotPlain


def _dump(value, newline: str, parts: list[str]) -> None:
    """Append the indented JSON text of ``value`` to ``parts`` (``newline``: a line break and the
    indent of the current level), exactly as json's encoder writes it."""
    if isinstance(value, str):
        parts.append(_JSON_STRING(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_json_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            separator = "," + inner
            _dump(item, inner, parts)
        parts.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            parts.append(separator + _JSON_STRING(_json_key(key)) + ": ")
            separator = "," + inner
            _dump(item, inner, parts)
        parts.append(newline + "}")
    else:
        raise _NotPlain


def _non_finite(value, where: str):
    """(path, value) of the first float in ``value`` that is not finite, or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (where, value)
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, (list, tuple)) else ()
    for key, item in items:
        found = _non_finite(item, f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]")
        if found is not None:
            return found[0].lstrip("."), found[1]
    return None


_MARKDOWN = str.maketrans({"\\": "\\\\", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown_text(text) -> str:
    """``text`` made safe for a Markdown table cell, heading or list item.

    A backslash and ``|`` get a backslash (``|`` would otherwise add a column), ``&``, ``<``
    and ``>`` become HTML entities (no raw HTML such as ``<script>`` reaches a renderer), and
    every line break (CR, LF, CRLF) becomes ``<br>``, so a cell never breaks its row.
    """
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(line.translate(_MARKDOWN) for line in lines)


def render_report(title: str, headers: list[str], rows: list[list[str]] | None, align: list[str],
                  footer: list[str], fmt: str, ids: list[str] | None = None, id_header: str = "id",
                  document: dict | None = None, empty: str = "(none)", columns: list[list] | None = None,
                  numbers=(), layout: Layout = FULL, shape: Shape | None = None, preface=()) -> str:
    """A table report as text (table/markdown), CSV (with ``ids`` as a first column) or JSON (``document``).

    The cells come as ``rows``, or column by column as ``columns`` (then ``rows`` may be None);
    ``numbers`` lists the columns holding only formatted numbers or empty cells (see
    :func:`scoring.io.fileio.csv_columns`). A table without rows shows ``empty`` instead.
    ``preface`` lines come before the table (a verdict), ``footer`` lines after it.

    A terminal table meets ``layout`` (:mod:`scoring.report.fitting`): fitted to its width with
    the columns ``shape`` names as secondary (and a footer line naming what was left out), rows
    coloured by ``shape.tones`` when ``layout.colour``. The default layout is the full table.

    Terminal tables count wide (Chinese) characters as two columns, as tabulate does with wcwidth
    (:func:`text_table` draws them the same way, faster). CSV text cells that a spreadsheet could
    run as formulas are neutralised.
    """
    if fmt == "json":
        return json_text(document)
    with paused_gc():  # many small lists and tuples: the collector would scan them again and again
        has_rows = bool(rows) if columns is None else bool(columns) and len(columns[0]) > 0
        if fmt == "csv":
            if columns is not None:
                if ids is None:
                    return csv_columns(headers, columns, numbers)
                count = min(len(ids), len(columns[0])) if columns else 0
                return csv_columns([id_header, *headers], [list(ids)[:count], *(c[:count] for c in columns)],
                                   {i + 1 for i in numbers})
            if ids is None:
                return csv_document(headers, rows)
            return csv_document([id_header, *headers], [[unit_id, *row] for unit_id, row in zip(ids, rows)])
        if fmt == "markdown":
            if not has_rows:
                body = markdown_text(empty)
            elif columns is None:
                body = markdown_table(headers, rows, align)
            else:
                body = markdown_columns(headers, columns, align)
            before = "".join(f"- {markdown_text(line)}\n" for line in preface) + ("\n" if preface else "")
            after = "".join(f"\n- {markdown_text(line)}" for line in footer)
            return f"## {markdown_text(title)}\n\n{before}{body}\n" + (f"{after}\n" if footer else "")
        return terminal_report(title, headers, rows, align, footer, columns, empty, layout, shape, preface)


def terminal_report(title: str, headers: list[str], rows, align: list[str], footer: list[str], columns, empty: str,
                    layout: Layout = FULL, shape: Shape | None = None, preface=()) -> str:
    """The "table" format of :func:`render_report`: title, preface, table, footer."""
    has_rows = bool(rows) if columns is None else bool(columns) and len(columns[0]) > 0
    shape = shape or Shape()
    if not has_rows:
        body = empty
    else:
        columns = as_columns(rows, len(headers)) if columns is None else columns
        if columns is None:
            from tabulate import tabulate

            body = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align)
        else:
            fitted = fit_table(headers, columns, align, layout.width, shape.drop, shape.shrink, shape.short_headers,
                               shape.late)
            body = draw_narrow(fitted, layout.width) if fitted.narrow else text_table(headers, columns, align,
                                                                                      "simple")
            footer = [*footer, *shape.notes(fitted)]
        if layout.colour:
            body = paint_rows(body, shape.tones)
    top = wrap_lines([title], layout.width)
    before = wrap_lines(list(preface), layout.width)
    after = wrap_lines(list(footer), layout.width)
    parts = ["\n".join(top), *(["\n".join(before)] if before else []), body, *(["\n".join(after)] if after else [])]
    return "\n\n".join(parts) + "\n"


def as_columns(rows, width: int) -> list[list] | None:
    """``rows`` column by column; None unless every row has ``width`` cells (tabulate then draws the rows as given)."""
    if not rows:
        return [[] for _ in range(width)]
    if any(len(row) != width for row in rows):
        return None
    return [list(column) for column in zip(*rows)]


def markdown_table(headers: list, rows: list[list], align: list[str] | None = None) -> str:
    """A GitHub-style Markdown table, every header and cell escaped with :func:`markdown_text`."""
    columns = as_columns(rows, len(headers))
    if columns is not None:
        return markdown_columns(headers, columns, align)
    from tabulate import tabulate

    return tabulate([[markdown_text(cell) for cell in row] for row in rows],
                    headers=[markdown_text(h) for h in headers], tablefmt="github", disable_numparse=True,
                    colalign=align)


def markdown_columns(headers: list, columns: list[list], align: list[str] | None = None) -> str:
    """:func:`markdown_table` of a table given column by column."""
    return text_table([markdown_text(h) for h in headers], [markdown_cells(column) for column in columns],
                      align, "github")


_MARKDOWN_SPECIAL = re.compile(r"[\\|&<>\r\n]")


def markdown_cells(cells) -> list[str]:
    """:func:`markdown_text` of every cell, called only for the cells that hold a character it changes."""
    texts = list(cells) if set(map(type, cells)) <= {str} else [str(cell) for cell in cells]
    if not _MARKDOWN_SPECIAL.search("".join(texts)):
        return texts
    return [markdown_text(text) if _MARKDOWN_SPECIAL.search(text) else text for text in texts]


def text_table(headers: list, columns: list[list], align: list[str] | None, tablefmt: str) -> str:
    """``tabulate(rows, headers, tablefmt, disable_numparse=True, colalign=align)`` for the "simple"
    (terminal) and "github" (Markdown) formats, byte for byte, drawn column by column.

    Cells are stripped of blanks at either end, a column is as wide as its widest cell or its
    header plus two, wide (Chinese) characters count as two columns (wcwidth, as tabulate counts
    them), trailing blanks end no line. Tables tabulate treats specially (a cell or header that is
    not text or holds a character that is not printable: tabs, line breaks, ANSI codes ...; an
    alignment other than left and right; no rows) are left to tabulate itself.
    """
    import tabulate as tabulate_module

    count = len(headers)
    aligns = ["left"] * count if align is None else list(align)
    simple = (count > 0 and len(columns) == count and len(aligns) == count and len({len(c) for c in columns}) == 1
              and len(columns[0]) > 0 and all(a in ("left", "right") for a in aligns)
              and {type(h) for h in headers} == {str} and all(set(map(type, column)) == {str} for column in columns)
              and "".join(headers).isprintable())
    texts = ["".join(column) for column in columns] if simple else []
    if not simple or not all(text.isprintable() for text in texts):
        return tabulate_module.tabulate([list(row) for row in zip(*columns)], headers=headers, tablefmt=tablefmt,
                                        disable_numparse=True, colalign=align)
    wide = tabulate_module.wcwidth is not None and tabulate_module.WIDE_CHARS_MODE
    width_of = _width_function(tabulate_module.wcwidth.wcswidth if wide else len)
    shown_headers, shown_columns, widths = [], [], []
    for header, column, alignment, text in zip(headers, columns, aligns, texts):
        cells = list(map(str.strip, column))
        lengths = list(map(len, cells))
        cell_widths = lengths if text.isascii() else list(map(width_of, cells))
        header_width = width_of(header)
        width = max(max(cell_widths), header_width + tabulate_module.MIN_PADDING)
        # str.rjust / str.ljust pad by length: a wide character takes one place less for each extra column
        fill = [width] * len(cells) if cell_widths is lengths else [width - w + n for w, n in zip(cell_widths, lengths)]
        if alignment == "right":
            shown_columns.append(list(map(str.rjust, cells, fill)))
            shown_headers.append(" " * (width - header_width) + header)
        else:
            shown_columns.append(list(map(str.ljust, cells, fill)))
            shown_headers.append(header + " " * (width - header_width))
        widths.append(width)
    if tablefmt == "github":  # one blank either side of every cell: "| a | b |"
        lines = ["| " + " | ".join(shown_headers) + " |", "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        lines += ["| " + row + " |" for row in map(" | ".join, zip(*shown_columns))]
    else:
        lines = ["  ".join(shown_headers).rstrip(), "  ".join("-" * w for w in widths).rstrip()]
        lines += list(map(str.rstrip, map("  ".join, zip(*shown_columns))))
    return "\n".join(lines)


def _width_function(measure):
    """Display width of a cell: its length for ASCII text, else ``measure`` (each text measured once)."""
    known: dict[str, int] = {}

    def width(text: str) -> int:
        if text.isascii():
            return len(text)
        found = known.get(text)
        if found is None:
            found = known[text] = measure(text)
        return found

    return width
