"""Writing output files safely: write to a temporary file beside the target, then rename."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Callable

from .errors import InputFileError, Problem


def write_atomic(path: str | Path, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``content`` to ``path`` so that a failure never leaves a half-written file."""
    data = content.encode(encoding) if isinstance(content, str) else content
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: str | Path, writer: Callable) -> None:
    """Call ``writer(binary_file)`` on a temporary file, then move it over ``path``."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputFileError(f"Cannot write {target}: directory does not exist",
                             [Problem("no such directory", file=str(directory))])
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.replace(temp_name, target)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise


# --- cells that a spreadsheet must not run as formulas (CSV / formula injection) ------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_number_text(text: str) -> bool:
    """True for a plain decimal number such as ``-1.50`` or ``+4.00`` (not ``-inf``, not ``1,000``)."""
    return _NUMBER.fullmatch(text) is not None


def neutralise(cell):
    """A text cell that Excel or WPS could run as a formula, made inert with a leading ``'``.

    The one place that decides this, used by every CSV and .xlsx writer. Numbers (int, float)
    and text that is a plain number (``-1.50`` adjustments) are returned unchanged, so they stay
    numbers; so is a lone ``-`` (the "no outcome" placeholder), which no spreadsheet evaluates.
    """
    if not isinstance(cell, str) or not cell.startswith(FORMULA_STARTS):
        return cell
    if cell == "-" or is_number_text(cell):
        return cell
    return "'" + cell


def neutralise_csv(text: str) -> str:
    """CSV text (as written by :mod:`csv` with ``\n`` line ends) with every text cell neutralised.

    Also quotes any cell holding a carriage return, which :mod:`csv` leaves bare when the line
    end is ``\n`` and which Excel would take as the end of the row.
    """
    if not any(ch in text for ch in FORMULA_STARTS):
        return text
    return "".join(csv_line([neutralise(cell) for cell in row]) for row in parse_csv(text))


def parse_csv(text: str) -> list[list[str]]:
    """Rows of CSV text written with ``\n`` line ends; a bare ``\r`` inside a cell is part of the cell."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, size = 0, len(text)
    quoted = False
    while i < size:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < size and text[i + 1] == '"':
                    cell.append('"')
                    i += 1
                else:
                    quoted = False
            else:
                cell.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            row.append("".join(cell))
            cell = []
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def csv_line(cells: list) -> str:
    """One CSV row ending in ``\n``; cells holding a comma, quote, CR or LF are quoted."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)  # CR in the terminator: CR cells get quoted
    return buffer.getvalue()[:-2] + "\n"


def csv_document(header: list, rows: list[list]) -> str:
    """CSV text of a header and rows, every text cell neutralised (numbers written as they are)."""
    lines = [csv_line([neutralise(str(cell)) for cell in header])]
    lines += [csv_line(["" if cell is None else neutralise(cell) for cell in row]) for row in rows]
    return "".join(lines)
