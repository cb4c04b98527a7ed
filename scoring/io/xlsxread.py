"""Read one worksheet of an .xlsx workbook as text cells, safely.

The first non-blank row is the header, unless a title block stands above it (then the first of
the first ten non-blank rows naming the most columns the rules read, see
:func:`scoring.io.headers.pick_header_row`; the rows above are in ``frame.attrs["title_rows"]``);
blank rows are skipped; ``_line`` is the sheet row.
Formula cells give the result Excel or WPS saved with the file; numbers become their shortest
exact text (``70066.8``, ``12``) so that the same checks apply as for CSV. A formula without a
saved result (a file written by a program, never opened in Excel) is listed in
``frame.attrs["uncalculated"]`` as (row, header, formula), and
:func:`scoring.io.data.check_columns` reports it when the rules read that column.

Workbook bombs are refused before any cell is read, each with the limit and the value found
(:mod:`scoring.io.data_limits`): the unzipped size of the archive, a sheet size beyond Excel's own
limits. The ``<dimension>`` a sheet declares is not trusted either way: a wrong one neither
hides rows nor costs time, as reading stops at the header's last named column and blank rows
cost next to nothing. Row numbers, header width and cells read are capped while reading.

openpyxl is imported here only, when a workbook is actually read.
"""
from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pandas as pd

from . import data_limits as limits
from .data_table import build_table, header_names
from .headers import HEADER_ROWS_SEARCHED, pick_header_row, title_text
from ..errors import InputFileError, Problem, ZonescoreError
from ..messages import tr

OPEN_EXPECTED = "a workbook saved by Excel or WPS as .xlsx, or a CSV file with a .csv name"  # tr() where used


@dataclass
class _Sheet:
    """One pass over a worksheet: the header row and the non-blank rows under it (raw values)."""

    title: str
    names: list[str]
    header_row: int | None = None
    header: tuple = ()
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    wanted: tuple = ()  # the headers the rules read (to find the header row below a title block)
    titles: list[tuple[int, str]] = field(default_factory=list)  # rows skipped above the header


def read_workbook_table(raw: bytes, shown: str, sheet: str | None = None, wanted=()) -> pd.DataFrame:
    """One worksheet (``sheet``, default the first visible one) as text cells with ``_line``."""
    check_archive(raw, shown)
    wanted = tuple(wanted or ())
    formulas = _read(raw, shown, sheet, data_only=False, wanted=wanted)  # a formula cell as its '=...' text
    values = formulas
    rows = [formulas.header, *(cells for _, cells in formulas.rows)]
    if any(_is_formula(value) for cells in rows for value in cells):
        values = _read(raw, shown, sheet, data_only=True, wanted=wanted)  # the results saved with the file
    several = len(formulas.names) > 1
    where = tr("{path} (sheet {sheet})", path=shown, sheet=repr(formulas.title)) if sheet or several else shown
    hint = tr("--sheet NAME with one of: {names}", names=", ".join(formulas.names)) if sheet is None and several \
        else None
    if values.header_row is None:
        raise InputFileError(tr("Worksheet is empty: {path}", path=where),
                             [Problem(tr("the sheet has no cells"), file=shown, expected=hint)])
    texts = [(number, [_cell_text(value) for value in cells]) for number, cells in values.rows]
    texts = [(number, cells) for number, cells in texts if any(cell != "" for cell in cells)]
    if not texts:
        raise InputFileError(tr("Data file has a header but no rows: {path}", path=where),
                             [Problem(tr("no data rows"), file=shown, line=values.header_row + 1,
                                      expected=tr("one row per unit, or {hint}", hint=hint) if hint
                                      else tr("one row per unit"))])
    header = [_cell_text(value) for value in values.header]
    frame = build_table(header, [cells for _, cells in texts], [number for number, _ in texts], values.header_row)
    frame.attrs["uncalculated"] = _uncalculated(values, formulas, header)
    frame.attrs["title_rows"] = values.titles
    return frame


def _uncalculated(values: _Sheet, formulas: _Sheet, header: list[str]) -> list[tuple[int, str, str]]:
    """(row, header, formula) of every formula under a named header that has no saved result."""
    if values is formulas:
        return []
    named = dict(header_names(header)[0])
    saved = dict(values.rows)
    found = []
    for number, cells in formulas.rows:
        results = saved.get(number, ())
        for c, formula in enumerate(cells):
            result = results[c] if c < len(results) else None
            if c in named and result is None and isinstance(formula, str) and formula.startswith("="):
                found.append((number, named[c], formula))
    return found


def _is_formula(value) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or not isinstance(
        value, (str, int, float, bool, datetime, date, time, timedelta, type(None)))


def check_archive(raw: bytes, shown: str) -> None:
    """Refuse a workbook whose parts unzip to more than :data:`limits.MAX_UNZIPPED_BYTES`."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable(shown, exc) from None
    if total > limits.MAX_UNZIPPED_BYTES:
        raise InputFileError(tr("Workbook is too large when unzipped (a zip bomb?): {path}", path=shown),
                             [Problem(tr("workbook too large unzipped"), file=shown,
                                      found=tr("{size} unzipped from {packed}", size=limits.megabytes(total),
                                               packed=limits.megabytes(len(raw))),
                                      expected=tr("at most {size} unzipped; a real data sheet is far smaller (or "
                                                  "save it as CSV)", size=limits.megabytes(limits.MAX_UNZIPPED_BYTES)))
                              ])


def _unreadable(shown: str, exc: BaseException) -> InputFileError:
    return InputFileError(tr("Data file is not a readable Excel workbook: {path}", path=shown),
                          [Problem(tr("cannot open as .xlsx ({reason})", reason=f"{type(exc).__name__}: {exc}".strip()),
                                   file=shown, expected=tr(OPEN_EXPECTED))])


def _read(raw: bytes, shown: str, sheet: str | None, data_only: bool, wanted: tuple = ()) -> _Sheet:
    """One pass over the sheet; any failure of the workbook library is a clean error."""
    with warnings.catch_warnings():  # "extension not supported", "no default style" ...: noise to the user
        warnings.simplefilter("ignore")
        return _read_quietly(raw, shown, sheet, data_only, wanted)


def _read_quietly(raw: bytes, shown: str, sheet: str | None, data_only: bool, wanted: tuple) -> _Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except ZonescoreError:
        raise
    except MemoryError:
        raise _no_memory(shown) from None
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file can fail anywhere in the library
        raise _unreadable(shown, exc) from None
    try:
        worksheet, names = _pick(book, shown, sheet)
        found = _Sheet(worksheet.title, names, wanted=wanted)
        _scan(worksheet, found, shown)
        return found
    except ZonescoreError:
        raise
    except MemoryError:
        raise _no_memory(shown) from None
    except Exception as exc:  # noqa: BLE001
        raise _unreadable(shown, exc) from None
    finally:
        book.close()


def _no_memory(shown: str) -> InputFileError:
    return InputFileError(tr("Not enough memory to read the workbook: {path}", path=shown),
                          [Problem(tr("out of memory"), file=shown,
                                   expected=tr("a smaller sheet, or the sheet saved as CSV"))])


def _pick(book, shown: str, sheet: str | None):
    """The worksheet asked for (default: the first visible one) and the names of all worksheets."""
    tables = list(book.worksheets)  # chart sheets are not in this list
    names = [ws.title for ws in tables]
    if not tables:
        raise InputFileError(tr("Workbook has no worksheet: {path}", path=shown),
                             [Problem(tr("no worksheet with cells (only chart sheets?)"), file=shown,
                                      expected=tr("a worksheet holding the table"))])
    if sheet is None:
        visible = [ws for ws in tables if getattr(ws, "sheet_state", "visible") == "visible"]
        return (visible or tables)[0], names
    if sheet in names:
        return tables[names.index(sheet)], names
    charts = [ws.title for ws in book.chartsheets]
    problem = tr("a chart sheet, not a table") if sheet in charts else tr("no such sheet")
    raise InputFileError(tr("Worksheet not found: {sheet} in {path}", sheet=repr(sheet), path=shown),
                         [Problem(problem, file=shown, field="--sheet", found=repr(sheet),
                                  expected=tr("one of: {items}", items=", ".join(names)))])


def _scan(worksheet, found: _Sheet, shown: str) -> None:
    """Find the header row, then keep the non-blank rows under it, cut to the header's width."""
    _check_declared(worksheet, shown)
    worksheet.reset_dimensions()  # read what is there, not what the sheet declares
    if not _find_header(worksheet, found, shown):
        return
    named = [i for i, _ in header_names([_cell_text(value) for value in found.header])[0]]
    width = max(named, default=-1) + 1
    if width > limits.MAX_SHEET_COLUMNS:
        raise _limit(shown, found.header_row, tr("the header row names a column too far to the right"),
                     tr("a heading beyond column {count}", count=f"{limits.MAX_SHEET_COLUMNS:,}"),
                     tr("the table within the first {count} columns (delete stray cells to the right of it)",
                        count=f"{limits.MAX_SHEET_COLUMNS:,}"))
    found.header = found.header[:width]
    if width:
        _collect(worksheet, found, width, shown)


def _find_header(worksheet, found: _Sheet, shown: str) -> bool:
    """Set the header row: the first non-blank row, or one below a title block (see the module notes)."""
    scan_width = limits.MAX_SHEET_COLUMNS + 1
    candidates: list[tuple[int, tuple]] = []
    searched = HEADER_ROWS_SEARCHED if found.wanted else 1
    for number, cells in enumerate(worksheet.iter_rows(max_col=scan_width, values_only=True), start=1):
        _check_row_number(number, shown)
        if cells.count(None) != len(cells) and any(_cell_text(value) != "" for value in cells):
            candidates.append((number, cells))
            if len(candidates) >= searched:
                break
    if not candidates:
        return False
    texts = [[_cell_text(value) for value in cells] for _, cells in candidates]
    chosen = pick_header_row(texts, found.wanted)
    found.header_row, found.header = candidates[chosen]
    found.titles = [(number, title_text(cells)) for (number, _), cells in zip(candidates[:chosen], texts)]
    return True


def _collect(worksheet, found: _Sheet, width: int, shown: str) -> None:
    cap = limits.MAX_SHEET_CELLS // width
    start = found.header_row + 1
    for number, cells in enumerate(worksheet.iter_rows(min_row=start, max_col=width, values_only=True), start=start):
        _check_row_number(number, shown)
        if cells.count(None) == len(cells):
            continue
        if len(found.rows) >= cap:
            raise _limit(shown, number, tr("too many cells to read"),
                         tr("more than {rows} rows x {columns} columns", rows=f"{cap:,}", columns=width),
                         tr("at most {cells} cells (rows x columns under the header)",
                            cells=f"{limits.MAX_SHEET_CELLS:,}"))
        found.rows.append((number, cells))


def _check_row_number(number: int, shown: str) -> None:
    if number > limits.MAX_SHEET_ROWS:
        raise _limit(shown, None, tr("a row beyond the last row a sheet can have"),
                     tr("a row numbered above {rows}", rows=f"{limits.MAX_SHEET_ROWS:,}"),
                     tr("at most {rows} rows (Excel's limit)", rows=f"{limits.MAX_SHEET_ROWS:,}"))


def _check_declared(worksheet, shown: str) -> None:
    rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
    if rows > limits.MAX_SHEET_ROWS or columns > limits.EXCEL_MAX_COLUMNS:
        raise _limit(shown, None, tr("the sheet declares a size beyond Excel's limits"),
                     tr("{rows} rows x {columns} columns", rows=f"{rows:,}", columns=f"{columns:,}"),
                     tr("at most {rows} rows x {columns} columns", rows=f"{limits.MAX_SHEET_ROWS:,}",
                        columns=f"{limits.EXCEL_MAX_COLUMNS:,}"))


def _limit(shown: str, line: int | None, message: str, found: str, expected: str) -> InputFileError:
    return InputFileError(tr("Worksheet is too large or malformed: {path}", path=shown),
                          [Problem(message, file=shown, line=line, found=found, expected=expected)])


def _cell_text(value) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)
