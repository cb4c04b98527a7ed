"""Writing output files safely: write to a temporary file beside the target, then rename."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Callable

from ..errors import InputFileError, Problem
from ..messages import tr


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: str | Path, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``content`` to ``path`` so that a failure never leaves a half-written file.

    A symbolic link, directory, FIFO or device at ``path`` is refused, never replaced
    (:func:`scoring.io.outputs.check_regular`); the other output checks are in :func:`scoring.io.outputs.save`.
    """
    data = content.encode(encoding) if isinstance(content, str) else content
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: str | Path, writer: Callable) -> None:
    """Call ``writer(binary_file)`` on a temporary file, then move it over ``path`` (a regular file or new)."""
    from .outputs import check_regular

    target = Path(path)
    check_regular(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputFileError(tr("Cannot write {path}: directory does not exist", path=target),
                             [Problem(tr("no such directory"), file=str(directory))])
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.chmod(temp_name, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(temp_name, target)
    except BaseException as exc:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        if isinstance(exc, OSError):  # e.g. the target is a directory or not writable
            raise cannot_write(target, exc) from None
        raise


def cannot_write(target: Path, exc: OSError) -> InputFileError:
    return InputFileError(tr("Cannot write {path}: {reason}", path=target, reason=exc.strerror or exc),
                          [Problem(tr("the file could not be written; nothing was changed"), file=str(target),
                                   expected=tr("a writable location"))])


# --- cells that a spreadsheet must not run as formulas (CSV / formula injection) ------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(FORMULA_STARTS)
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
    if not isinstance(cell, str) or not cell or cell[0] not in _FORMULA_CHARS:
        return cell
    if cell == "-" or is_number_text(cell):
        return cell
    return "'" + cell


def csv_line(cells: list) -> str:
    """One CSV row ending in ``\n``; cells holding a comma, quote, CR or LF are quoted."""
    return _csv_lines([cells])


def _csv_lines(rows) -> str:
    # CR in the writer's terminator makes it quote cells holding a CR (Excel would end the row
    # there); the row ends are then written as plain \n. All rows are written at once; when no
    # cell holds a CR or LF, every CR LF in the text is a row end and is replaced in one go.
    rows = rows if isinstance(rows, list) else list(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    text = buffer.getvalue()
    if text.count("\r") == len(rows) and text.count("\n") == len(rows):
        return text.replace("\r\n", "\n")
    buffer.seek(0)
    buffer.truncate()
    parts = []
    for row in rows:
        writer.writerow(row)
        parts.append(buffer.getvalue()[:-2] + "\n")
        buffer.seek(0)
        buffer.truncate()
    return "".join(parts)


def csv_document(header: list, rows: list[list]) -> str:
    """CSV text of a header and rows, every text cell neutralised (numbers written as they are)."""
    cleaned = [[neutralise(str(cell)) for cell in header]]
    cleaned += [neutralise_cells(row) for row in rows]
    return _csv_lines(cleaned)


def csv_columns(header: list, columns: list[list], numbers=()) -> str:
    """:func:`csv_document` of a table given column by column.

    ``numbers``: positions of columns that hold only numbers formatted as text (``37.47``,
    ``+4.00``, ``-10.00``, ``12``) or empty cells, which :func:`neutralise` leaves as they are;
    they are not looked at. Every other cell is neutralised, as by :func:`csv_document`.
    """
    cleaned = [column if i in numbers else neutralise_cells(column) for i, column in enumerate(columns)]
    return _csv_lines([[neutralise(str(cell)) for cell in header], *zip(*cleaned)])


def neutralise_cells(cells) -> list:
    """The cells of a CSV column: None as an empty cell, every other cell through :func:`neutralise`
    (called only for the cells that could need it: text starting with a formula character)."""
    return [cell if cell.__class__ is str and cell[:1] not in _FORMULA_CHARS else _cleaned(cell) for cell in cells]


def _cleaned(cell):
    return "" if cell is None else neutralise(cell)
