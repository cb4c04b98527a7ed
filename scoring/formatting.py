"""Number formatting and the generic text report, shared by every renderer.

Points are shown rounded half up (四舍五入) to the rule file's precision, the same rounding that
decides ties (:func:`scoring.backends.ranking.displayed`); JSON numbers are rounded to a fixed
number of decimals, so identical inputs give byte-identical output.

Each text format has one escaping function: :func:`markdown_text` for Markdown (every cell,
heading and list item), :func:`scoring.fileio.neutralise` for CSV cells, and JSON is strict
(:func:`json_text`: a missing value is ``null``, a number that is not finite is an error).
"""
from __future__ import annotations

import json
import math

import numpy as np

from .backends.ranking import displayed
from .errors import Problem
from .fileio import csv_document
from .outputs import OutputError
from .words import words

JSON_DECIMALS = 6


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
    """:func:`fixed` for a whole column at once (one vectorised rounding)."""
    numbers = np.asarray(values, float)
    if np.isinf(numbers).any():
        raise non_finite_error(float(numbers[np.isinf(numbers)][0]))
    rounded = displayed(numbers, precision)
    plus = "+" if signed else ""
    return [missing if not math.isfinite(v) else (f"{v:{plus}.{precision}f}" if v != 0 else f"{0.0:.{precision}f}")
            for v in rounded.tolist()]


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
    return OutputError("Internal error: a number that is not finite reached the output; nothing was written",
                       [Problem("not a finite number", field=where, found=repr(value),
                                expected="a finite number, or an empty cell / null for a missing value "
                                         "(please report this)")])


def json_text(document) -> str:
    """Strict JSON (``allow_nan=False``): missing values must already be ``None``; NaN or infinity raise."""
    try:
        return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    except ValueError:
        found = _non_finite(document, "")
        if found is None:
            raise
        raise non_finite_error(found[1], found[0] or "(document)") from None


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


def render_report(title: str, headers: list[str], rows: list[list[str]], align: list[str], footer: list[str],
                  fmt: str, ids: list[str] | None = None, id_header: str = "id", document: dict | None = None,
                  empty: str = "(none)") -> str:
    """A table report as text (table/markdown), CSV (with ``ids`` as a first column) or JSON (``document``).

    A table without rows shows ``empty`` instead.

    Terminal tables count wide (Chinese) characters as two columns, via tabulate and wcwidth.
    CSV text cells that a spreadsheet could run as formulas are neutralised.
    """
    if fmt == "json":
        return json_text(document)
    if fmt == "csv":
        if ids is None:
            return csv_document(headers, rows)
        return csv_document([id_header, *headers], [[unit_id, *row] for unit_id, row in zip(ids, rows)])
    if fmt == "markdown":
        body = markdown_table(headers, rows, align) if rows else markdown_text(empty)
        return f"## {markdown_text(title)}\n\n{body}\n\n" + "\n".join(f"- {markdown_text(line)}" for line in footer) + "\n"
    from tabulate import tabulate

    body = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align) if rows else empty
    return f"{title}\n\n{body}\n\n" + "\n".join(footer) + "\n"


def markdown_table(headers: list, rows: list[list], align: list[str] | None = None) -> str:
    """A GitHub-style Markdown table, every header and cell escaped with :func:`markdown_text`."""
    from tabulate import tabulate

    return tabulate([[markdown_text(cell) for cell in row] for row in rows],
                    headers=[markdown_text(h) for h in headers], tablefmt="github", disable_numparse=True,
                    colalign=align)
