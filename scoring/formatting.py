"""Number formatting and the generic text report, shared by every renderer.

Points are shown rounded half up (四舍五入) to the rule file's precision, the same rounding that
decides ties (:func:`scoring.backends.ranking.displayed`); JSON numbers are rounded to a fixed
number of decimals, so identical inputs give byte-identical output.
"""
from __future__ import annotations

import json
import math

import numpy as np

from .backends.ranking import displayed
from .fileio import csv_document
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
    rounded = displayed(np.asarray(values, float), precision)
    plus = "+" if signed else ""
    return [missing if not math.isfinite(v) else (f"{v:{plus}.{precision}f}" if v != 0 else f"{0.0:.{precision}f}")
            for v in rounded.tolist()]


def json_number(value, decimals: int = JSON_DECIMALS) -> float | None:
    """A plain float rounded to ``decimals``, or None for missing, non-finite or non-numeric values."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return round(number, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def render_report(title: str, headers: list[str], rows: list[list[str]], align: list[str], footer: list[str],
                  fmt: str, ids: list[str] | None = None, id_header: str = "id", document: dict | None = None,
                  empty: str = "(none)") -> str:
    """A table report as text (table/markdown), CSV (with ``ids`` as a first column) or JSON (``document``).

    A table without rows shows ``empty`` instead.

    Terminal tables count wide (Chinese) characters as two columns, via tabulate and wcwidth.
    CSV text cells that a spreadsheet could run as formulas are neutralised.
    """
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        if ids is None:
            return csv_document(headers, rows)
        return csv_document([id_header, *headers], [[unit_id, *row] for unit_id, row in zip(ids, rows)])
    from tabulate import tabulate

    body = tabulate(rows, headers=headers, tablefmt="github" if fmt == "markdown" else "simple",
                    disable_numparse=True, colalign=align) if rows else empty
    if fmt == "markdown":
        return f"## {title}\n\n{body}\n\n" + "\n".join(f"- {line}" for line in footer) + "\n"
    return f"{title}\n\n{body}\n\n" + "\n".join(footer) + "\n"
