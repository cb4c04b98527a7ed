"""Read unit data (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, or an .xlsx workbook) and check it.

Every problem in the file (missing columns, duplicate ids, non-numeric cells, values out of
range) is collected and raised together in one :class:`DataError`. Rows are returned sorted
by unit id so that the order of rows in the file can never change a result. Several files
(one per department) are joined on the unit id by :mod:`scoring.merge`.

openpyxl is imported only when a workbook is actually read, so CSV runs start fast.
"""
from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from .api.assessment import Assessment
from .errors import DataError, InputFileError, OptionError, Problem

ENCODINGS = ("utf-8-sig", "gb18030")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other old Office files)
LINE_COLUMN = "_line"  # source line number of each row, kept for error messages


@dataclass
class UnitData:
    """Checked data: one row per unit, indexed by unit id, columns named as in the rules."""

    frame: pd.DataFrame
    sources: list[tuple[str, str]]  # (path, sha256) of every file read

    @property
    def ids(self) -> list[str]:
        return list(self.frame.index)

    def __len__(self) -> int:
        return len(self.frame)


def decode_bytes(raw: bytes, path: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK)."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"Cannot decode data file: {path}",
                         [Problem("not valid UTF-8 or GBK/GB18030 text", file=path,
                                  expected="a CSV saved as UTF-8 or GBK")])


def read_table(path: str | Path, sheet: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read a CSV file or a workbook sheet as text cells, with a ``_line`` column; returns (frame, sha256).

    ``sheet`` names the worksheet of an .xlsx file (default: the first); it is ignored for CSV.
    ``_line`` is the CSV line or the spreadsheet row number of each row, for error messages.
    """
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise InputFileError(f"Data file not found: {shown}", [Problem("no such file", file=shown)])
    if path.is_dir():
        raise InputFileError(f"Data file is a directory: {shown}", [Problem("not a file", file=shown)])
    raw = path.read_bytes()
    if not raw.strip():
        raise InputFileError(f"Data file is empty: {shown}", [Problem("the file has no content", file=shown)])
    if raw.startswith(OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise InputFileError(f"Old Excel 97-2003 (.xls) files cannot be read: {shown}",
                             [Problem("legacy .xls format", file=shown,
                                      expected="the file saved as .xlsx (Excel Workbook) or CSV UTF-8")])
    if path.suffix.lower() in WORKBOOK_SUFFIXES or raw.startswith(ZIP_MAGIC):
        frame = read_workbook_table(raw, shown, sheet)
    else:
        frame = _read_csv_text(decode_bytes(raw, shown), shown)
    return frame, hashlib.sha256(raw).hexdigest()


def _read_csv_text(text: str, shown: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(f"Data file is not a readable CSV table: {shown}",
                             [Problem(str(exc).strip(), file=shown, expected="comma-separated rows")]) from None
    raw_header = next(csv.reader(io.StringIO(text)), [])
    positions: dict[str, list[int]] = {}
    for i, cell in enumerate(raw_header):
        if cell.strip():
            positions.setdefault(cell.strip(), []).append(i)
    if len(raw_header) == len(frame.columns):  # pandas renames a repeated header 'x' to 'x.1'
        frame.columns = [str(raw).strip() if i == positions.get(str(raw).strip(), [i])[0]
                         else f"{str(raw).strip()} ({_column_letter(i)})"
                         for i, raw in enumerate(raw_header)]
    else:
        frame.columns = [str(c).strip() for c in frame.columns]
    frame.attrs["duplicates"] = {cell: [_column_letter(i) for i in found] for cell, found in positions.items()
                                 if len(found) > 1}
    if frame.empty:
        raise InputFileError(f"Data file has a header but no rows: {shown}",
                             [Problem("no data rows", file=shown, line=2, expected="one row per unit")])
    frame[LINE_COLUMN] = _record_lines(text, len(frame))
    return frame


def _record_lines(text: str, count: int) -> np.ndarray:
    """File line on which each data record starts (blank lines and multi-line cells counted)."""
    reader = csv.reader(io.StringIO(text))
    starts, previous = [], 0
    for record in reader:
        if record and not (len(record) == 1 and not record[0].strip()):  # pandas skips blank lines only
            starts.append(previous + 1)
        previous = reader.line_num
    starts = starts[1:]  # the first record is the header
    if len(starts) != count:  # pandas and csv disagree (unusual quoting): count rows instead
        return np.arange(count) + 2
    return np.asarray(starts)


def read_workbook_table(raw: bytes, shown: str, sheet: str | None = None) -> pd.DataFrame:
    """One worksheet as text cells: first non-empty row is the header, ``_line`` is the sheet row number.

    Formula cells give the result Excel or WPS saved with the file. Numbers become their
    shortest exact text (``70066.8``, ``12``) so that the same checks apply as for CSV; blank
    rows are skipped. A formula without a saved result (a file written by a program, never
    opened in Excel) is listed in ``frame.attrs["uncalculated"]`` as (row, header, formula), and
    :func:`check_columns` reports it when the rules read that column.
    """
    values, title, names = _sheet_rows(raw, shown, sheet, data_only=True)
    formulas, _, _ = _sheet_rows(raw, shown, sheet, data_only=False)
    uncalculated = [(number, c, formula)
                    for (number, cells), (_, raw_cells) in zip(values, formulas)
                    for c, (value, formula) in enumerate(zip(cells, raw_cells))
                    if value is None and isinstance(formula, str) and formula.startswith("=")]
    rows = [(number, [_cell_text(value) for value in cells]) for number, cells in values]
    rows = [(number, cells) for number, cells in rows if any(cell != "" for cell in cells)]
    where = f"{shown} (sheet {title!r})" if title is not None and (sheet is not None or len(names) > 1) else shown
    hint = (f"--sheet NAME with one of: {', '.join(names)}" if sheet is None and len(names) > 1 else None)
    if not rows:
        raise InputFileError(f"Worksheet is empty: {where}",
                             [Problem("the sheet has no cells", file=shown, expected=hint)])
    header_line, header = rows[0]
    header = [cell.strip() for cell in header]
    width = max(i + 1 for i, cell in enumerate(header) if cell) if any(header) else 0
    body = rows[1:]
    # columns without a header are ignored (as for CSV); a repeated header is reported by
    # check_columns if the rules read it, since either copy could be the one meant
    positions: dict[str, list[int]] = {}
    for i, cell in enumerate(header[:width]):
        if cell:
            positions.setdefault(cell, []).append(i)
    if not body:
        raise InputFileError(f"Data file has a header but no rows: {where}",
                             [Problem("no data rows", file=shown, line=header_line + 1,
                                      expected="one row per unit" + (f", or {hint}" if hint else ""))])
    keep = [found[0] for found in positions.values()]
    frame = pd.DataFrame({header[i]: [cells[i] if i < len(cells) else "" for _, cells in body] for i in keep},
                         dtype=object)
    frame[LINE_COLUMN] = [number for number, _ in body]
    frame.attrs["duplicates"] = {cell: [_column_letter(i) for i in found] for cell, found in positions.items()
                                 if len(found) > 1}
    frame.attrs["uncalculated"] = [(number, header[c], formula) for number, c, formula in uncalculated
                                   if number > header_line and c < width and header[c]]
    return frame


def _sheet_rows(raw: bytes, shown: str, sheet: str | None, data_only: bool
                ) -> tuple[list[tuple[int, tuple]], str | None, list[str]]:
    """(row number, cell values) of every row of the sheet (``data_only``: saved formula results),
    the sheet's title and the names of all sheets."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputFileError(f"Data file is not a readable Excel workbook: {shown}",
                             [Problem(f"cannot open as .xlsx ({type(exc).__name__}: {exc})".strip(), file=shown,
                                      expected="a workbook saved by Excel or WPS as .xlsx, or a CSV file "
                                               "with a .csv name")]) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            worksheet = book.worksheets[0] if names else None
        elif sheet in names:
            worksheet = book[sheet]
        else:
            raise InputFileError(f"Worksheet not found: {sheet!r} in {shown}",
                                 [Problem("no such sheet", file=shown, field="--sheet", found=repr(sheet),
                                          expected="one of: " + ", ".join(names))])
        if worksheet is None:
            return [], None, names
        return list(enumerate(worksheet.iter_rows(values_only=True), start=1)), worksheet.title, names
    finally:
        book.close()


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


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"column {letters}"


def data_paths(data) -> list[str]:
    """One path or a sequence of paths (``--data`` given several times) as a list of strings."""
    if isinstance(data, (str, Path)):
        return [str(data)]
    return [str(p) for p in data]


def load_data(assessment: Assessment, path, sheet: str | None = None) -> UnitData:
    """Read ``path`` (or several paths, joined on the unit id) and check it against ``assessment``.

    Raises :class:`DataError` listing all problems. With more than one file this is
    :func:`scoring.merge.load_data_files`.
    """
    paths = data_paths(path)
    if sheet is not None and not any(Path(p).suffix.lower() in WORKBOOK_SUFFIXES for p in paths):
        raise OptionError(f"--sheet {sheet!r} given, but no data file is a workbook",
                          [Problem("a sheet name only applies to .xlsx files", field="--sheet", found=repr(sheet),
                                   expected="an .xlsx data file, or no --sheet for CSV")])
    if len(paths) != 1:
        from .merge import load_data_files

        return load_data_files(assessment, paths, sheet)
    table, digest = read_table(paths[0], sheet)
    frame = check_table(assessment, table, paths[0])
    return UnitData(frame, [(paths[0], digest)])


def wanted_columns(assessment: Assessment) -> dict[str, str]:
    """Rule name -> source header of every column the rules read: id, name, display columns, inputs."""
    spec = assessment.spec
    wanted = {spec.id_column: spec.id_column, spec.name_column: spec.name_column}
    wanted.update({col: col for col in spec.display_columns})
    wanted.update({name: (inp.column or name) for name, inp in spec.inputs.items()})
    return wanted


def check_table(assessment: Assessment, table: pd.DataFrame, path: str) -> pd.DataFrame:
    """Map source headers to rule names, convert numbers, check ids and ranges, all at once."""
    problems: list[Problem] = []
    frame = check_columns(assessment, table, path, problems)
    if problems:
        raise DataError(f"Data file has {len(problems)} problem(s): {path}", problems)
    return index_units(frame, assessment.spec.id_column)


def check_columns(assessment: Assessment, table: pd.DataFrame, path: str, problems: list[Problem],
                  require_all: bool = True) -> pd.DataFrame:
    """The checks of :func:`check_table` on the columns ``table`` has, appending to ``problems``.

    Returns the columns found, renamed to rule names, numbers converted, with ``_line``; not
    indexed. With ``require_all=False`` (one department's file) absent columns are not reported.
    """
    spec = assessment.spec
    wanted = wanted_columns(assessment)
    missing = [header for header in dict.fromkeys(wanted.values()) if header not in table.columns]
    present = [c for c in table.columns if c != LINE_COLUMN]
    for header in missing if require_all else ():
        problems.append(Problem("missing column", file=path, line=1, field=header,
                                expected=f"a column headed '{header}'", found="columns: " + ", ".join(present)))
    # keep checking the columns that are there, so that every problem is reported in one go
    wanted = {name: header for name, header in wanted.items() if header in table.columns}
    headers = set(wanted.values())
    for header, columns in table.attrs.get("duplicates", {}).items():
        if header in headers:
            problems.append(Problem("the same header on two columns", file=path, line=1, field=header,
                                    found=" and ".join(columns), expected="each header once (the rules read it)"))
    for line, header, formula in table.attrs.get("uncalculated", ()):
        if header in headers:
            problems.append(Problem("formula without a saved result", file=path, line=int(line), field=header,
                                    found=repr(formula), expected="the file opened and saved in Excel or WPS "
                                    "(so that the result is stored), or the value typed in"))
    frame = pd.DataFrame({name: table[header].astype(str) for name, header in wanted.items()})
    frame[LINE_COLUMN] = table[LINE_COLUMN].to_numpy()
    if spec.id_column in frame:
        frame[spec.id_column] = frame[spec.id_column].str.strip()
        _check_ids(frame, spec.id_column, path, problems)
    for name, inp in spec.inputs.items():
        if inp.type == "number" and name in frame:
            frame[name] = _to_numbers(frame, name, inp.column or name, inp, path, problems)
    return frame


def index_units(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Index checked rows by unit id (the id column is kept) and sort them by id."""
    frame = frame.set_index(id_column, drop=False)
    frame.index.name = None
    return frame.sort_index(kind="stable")


def _check_ids(frame: pd.DataFrame, id_column: str, path: str, problems: list[Problem]) -> None:
    ids = frame[id_column]
    for line in frame.loc[ids == "", LINE_COLUMN]:
        problems.append(Problem("empty unit id", file=path, line=int(line), field=id_column,
                                expected="a unique id in every row"))
    duplicated = frame[ids.duplicated(keep=False) & (ids != "")]
    for unit_id, rows in duplicated.groupby(id_column, sort=True):
        lines = ", ".join(str(v) for v in rows[LINE_COLUMN])
        problems.append(Problem(f"duplicate unit id on lines {lines}", file=path, line=int(rows[LINE_COLUMN].iloc[0]),
                                field=id_column, found=repr(unit_id), expected="each id once"))


def _to_numbers(frame, name, header, inp, path, problems) -> pd.Series:
    text = _clean_number_text(frame[name])
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce").astype(float)
    bad = ~np.isfinite(numbers.fillna(0.0)) | (numbers.isna() & (text != ""))  # "inf" is not a number here
    for line, cell in zip(frame.loc[bad, LINE_COLUMN], frame.loc[bad, name]):
        problems.append(Problem("not a number", file=path, line=int(line), field=header, found=repr(cell),
                                expected="a number (or an empty cell for a missing value)"))
    empty = text == ""  # an empty cell is a missing value, handled by each indicator's missing policy
    if inp.range is not None:
        lo, hi = inp.range
        outside = ((numbers < lo) if lo is not None else False) | ((numbers > hi) if hi is not None else False)
        outside = pd.Series(outside, index=frame.index) & ~empty
        for line, value in zip(frame.loc[outside, LINE_COLUMN], numbers[outside]):
            problems.append(Problem("value out of range", file=path, line=int(line), field=header,
                                    found=f"{value:g}", expected=_range_text(lo, hi)))
    return numbers


def _clean_number_text(cells: pd.Series) -> pd.Series:
    """Strip blanks and thousands separators (1,234 or 1，234) — only where needed, as it is slow."""
    text = cells.astype(object)
    plain = pd.to_numeric(text, errors="coerce").notna().to_numpy()
    if plain.all():
        return text
    messy = text[~plain].map(lambda cell: str(cell).strip().replace(",", "").replace("，", ""))
    return text.where(plain, messy)


def _range_text(lo, hi) -> str:
    if lo is None:
        return f"at most {hi:g}"
    if hi is None:
        return f"at least {lo:g}"
    return f"between {lo:g} and {hi:g}"
