"""Read unit data (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, or an .xlsx workbook) and check it.

Every problem in the file (missing columns, duplicate ids, non-numeric cells, values out of
range) is collected and raised together in one :class:`DataError`. Rows are returned sorted
by unit id so that the order of rows in the file can never change a result. Several files
(one per department) are joined on the unit id by :mod:`scoring.io.merge`.

Reading is strict, so that a file is never silently misread: rows as wide as the header, any
line ending (:mod:`scoring.io.csvread`); workbook bombs and wrong sheet dimensions
(:mod:`scoring.io.xlsxread`); file sizes against the memory available (:mod:`scoring.io.data_limits`).
The checks here:

* Unit ids and text inputs are compared by value, so blanks at either end (spaces of any width,
  tabs, line breaks) are stripped, and a control character, a format character (zero-width
  space or joiner, BOM, bidi mark) or any space but U+0020 left in them is refused, shown
  escaped (``'U1\\u200b'``): two ids that print alike must be the same id.
* Names and display columns are only shown: a control character (tab and line break included)
  is refused; they are not stripped.
* Number cells: blanks around the number are stripped; a comma is read as a thousands
  separator only between groups of three digits (``1,234,567``), any other comma is refused.

openpyxl is imported only when a workbook is actually read, so CSV runs start fast.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import data_limits
from ..api.assessment import Assessment
from .csvread import decode_bytes, read_csv_text
from .data_table import LINE_COLUMN, column_letter
from ..errors import DataError, InputFileError, OptionError, Problem
from .headers import closest, match_headers
from .numbers import BAD_GROUPING, EDGE_BLANKS, plain_numbers, read_numbers  # noqa: F401 (re-exported)
from ..messages import tr
from . import notes as pending_notes
from .xlsxread import read_workbook_table

__all__ = ["LINE_COLUMN", "UnitData", "check_columns", "check_table", "column_letter", "data_paths", "decode_bytes",
           "index_units", "load_data", "read_table", "read_workbook_table", "wanted_columns"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other old Office files)
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # a password-protected .xlsx is an OLE file holding this
# in an id or a text input: control (Cc), format (Cf: zero-width, BOM, bidi marks) and separator
# characters other than the ordinary space (Zs, Zl, Zp)
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})



@dataclass
class UnitData:
    """Checked data: one row per unit, indexed by unit id, columns named as in the rules."""

    frame: pd.DataFrame
    sources: list[tuple[str, str]]  # (path, sha256) of every file read
    notes: list[str] = field(default_factory=list)  # how the files were read: headers matched loosely, titles skipped
    headers: dict[str, str] = field(default_factory=dict)  # rule name -> the file's header it was read from
    previous: object | None = None  # scoring.history.previous.Previous: earlier final runs joined in (prev.*)

    @property
    def ids(self) -> list[str]:
        return list(self.frame.index)

    def __len__(self) -> int:
        return len(self.frame)


def read_table(path: str | Path, sheet: str | None = None, wanted=None) -> tuple[pd.DataFrame, str]:
    """Read a CSV file or a workbook sheet as text cells, with a ``_line`` column; returns (frame, sha256).

    ``sheet`` names the worksheet of an .xlsx file (default: the first visible one); it is ignored
    for CSV. ``_line`` is the CSV line or the spreadsheet row number of each row, for error messages.
    ``wanted``: the headers the rules read, to find the header row below a title block.
    Raises :class:`InputFileError` or :class:`DataError` (rows as wide as the header, see
    :mod:`scoring.io.csvread`; workbook limits, see :mod:`scoring.io.xlsxread`).
    """
    path = Path(path)
    shown = str(path)
    raw = _read_bytes(path, shown)
    if not raw.strip():
        raise InputFileError(tr("Data file is empty: {path}", path=shown),
                             [Problem(tr("the file has no content"), file=shown)])
    if raw.startswith(OLE_MAGIC) and ENCRYPTED in raw:
        raise InputFileError(tr("Workbook is password-protected: {path}", path=shown),
                             [Problem(tr("an encrypted workbook cannot be read"), file=shown,
                                      expected=tr("the workbook saved again without a password to open it"))])
    if raw.startswith(OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise InputFileError(tr("Old Excel 97-2003 (.xls) files cannot be read: {path}", path=shown),
                             [Problem(tr("legacy .xls format"), file=shown,
                                      expected=tr("the file saved as .xlsx (Excel Workbook) or CSV UTF-8"))])
    if _is_workbook(path, raw):
        frame = read_workbook_table(raw, shown, sheet, wanted)
    else:
        frame = read_csv_text(decode_bytes(raw, shown), shown, wanted)
    return frame, hashlib.sha256(raw).hexdigest()


def _is_workbook(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES or head.startswith(ZIP_MAGIC)


def _read_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes, after checking it is a regular file small enough to read."""
    try:
        if not path.exists():
            raise InputFileError(tr("Data file not found: {path}", path=shown),
                                 [Problem(tr("no such file"), file=shown)])
        if path.is_dir():
            raise InputFileError(tr("Data file is a directory: {path}", path=shown),
                                 [Problem(tr("not a file"), file=shown)])
        if not path.is_file():  # a pipe or a device could be read forever
            raise InputFileError(tr("Data file is not a regular file: {path}", path=shown),
                                 [Problem(tr("not a regular file"), file=shown, expected=tr("a CSV or .xlsx file"))])
        with path.open("rb") as handle:
            head = handle.read(8)
            _check_size(_is_workbook(path, head), os.fstat(handle.fileno()).st_size, shown)
            return head + handle.read()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputFileError(tr("Cannot read data file: {path}", path=shown),
                             [Problem(tr("cannot read the file ({reason})", reason=reason), file=shown,
                                      expected=tr("a file this user may read (is it open in a program that locks "
                                                  "it?)"))]) from None
    except MemoryError:
        raise InputFileError(tr("Not enough memory to read the data file: {path}", path=shown),
                             [Problem(tr("out of memory"), file=shown)]) from None


def _check_size(workbook: bool, size: int, shown: str) -> None:
    if not workbook:
        data_limits.check_csv_size(size, shown)
    elif size > data_limits.MAX_UNZIPPED_BYTES:  # the archive is never much larger than its content
        raise InputFileError(tr("Workbook is too large: {path}", path=shown),
                             [Problem(tr("workbook too large"), file=shown, found=data_limits.megabytes(size),
                                      expected=tr("at most {size} (or the sheet saved as CSV)",
                                                  size=data_limits.megabytes(data_limits.MAX_UNZIPPED_BYTES)))])


def data_paths(data) -> list[str]:
    """One path or a sequence of paths (``--data`` given several times) as a list of strings."""
    if isinstance(data, (str, Path)):
        return [str(data)]
    return [str(p) for p in data]


def load_data(assessment: Assessment, path, sheet: str | None = None) -> UnitData:
    """Read ``path`` (or several paths, joined on the unit id) and check it against ``assessment``.

    Raises :class:`DataError` listing all problems. With more than one file this is
    :func:`scoring.io.merge.load_data_files`.
    """
    paths = data_paths(path)
    if sheet is not None and not any(Path(p).suffix.lower() in WORKBOOK_SUFFIXES for p in paths):
        raise OptionError(tr("--sheet {sheet} given, but no data file is a workbook", sheet=repr(sheet)),
                          [Problem(tr("a sheet name only applies to .xlsx files"), field="--sheet", found=repr(sheet),
                                   expected=tr("an .xlsx data file, or no --sheet for CSV"))])
    if len(paths) != 1:
        from .merge import load_data_files

        return load_data_files(assessment, paths, sheet)
    table, digest = read_table(paths[0], sheet, wanted_columns(assessment).values())
    notes: list[str] = []
    headers: dict[str, str] = {}
    try:
        frame = check_table(assessment, table, paths[0], notes, headers)
    finally:  # a note (a title block skipped) explains the line numbers of the errors too
        pending_notes.record(notes)
    return UnitData(frame, [(paths[0], digest)], notes, headers)


def wanted_columns(assessment: Assessment) -> dict[str, str]:
    """Rule name -> source header of every column the rules read: id, name, display columns, inputs."""
    spec = assessment.spec
    wanted = {spec.id_column: spec.id_column, spec.name_column: spec.name_column}
    wanted.update({col: col for col in spec.display_columns})
    wanted.update({name: (inp.column or name) for name, inp in spec.inputs.items()})
    return wanted


def check_table(assessment: Assessment, table: pd.DataFrame, path: str, notes: list[str] | None = None,
                columns: dict[str, str] | None = None) -> pd.DataFrame:
    """Map source headers to rule names, convert numbers, check ids and ranges, all at once
    (``notes`` and ``columns``: see :func:`check_columns`)."""
    problems: list[Problem] = []
    frame = check_columns(assessment, table, path, problems, notes=notes, columns=columns)
    if problems:
        raise DataError(tr("Data file has {count} problem(s): {path}", count=len(problems), path=path), problems)
    return index_units(frame, assessment.spec.id_column)


def check_columns(assessment: Assessment, table: pd.DataFrame, path: str, problems: list[Problem],
                  require_all: bool = True, notes: list[str] | None = None,
                  columns: dict[str, str] | None = None) -> pd.DataFrame:
    """The checks of :func:`check_table` on the columns ``table`` has, appending to ``problems``.

    Returns the columns found, renamed to rule names, numbers converted, with ``_line``; not
    indexed. With ``require_all=False`` (one department's file) absent columns are not reported.
    Headers are matched by :func:`scoring.io.headers.match_headers`; how the file was read (a
    header matched loosely, a title block skipped) is appended to ``notes``, and ``columns`` is
    filled with rule name -> the file's header each column was read from.
    """
    wanted = _found_columns(assessment, table, path, problems, require_all, notes)
    if columns is not None:
        columns.update(wanted)
    header_line = int(table.attrs.get("header_line", 1))
    headers = set(wanted.values())
    for header, duplicated in table.attrs.get("duplicates", {}).items():
        if header in headers:
            problems.append(Problem(tr("the same header on two columns"), file=path, line=header_line, field=header,
                                    found=tr(" and ").join(duplicated),
                                    expected=tr("each header once (the rules read it)")))
    for line, header, formula in table.attrs.get("uncalculated", ()):
        if header in headers:
            problems.append(Problem(tr("formula without a saved result"), file=path, line=int(line), field=header,
                                    found=repr(formula), expected=tr("the file opened and saved in Excel or WPS "
                                    "(so that the result is stored), or the value typed in")))
    source = table.copy(deep=False)
    source.attrs = {}  # pandas deep-copies attrs into every column taken: read above, not needed below
    frame = pd.DataFrame({name: source[header].astype(str) for name, header in wanted.items()})
    frame[LINE_COLUMN] = source[LINE_COLUMN].to_numpy()
    _check_cells(assessment, frame, wanted, path, problems)
    return frame


def _found_columns(assessment: Assessment, table: pd.DataFrame, path: str, problems: list[Problem],
                   require_all: bool, notes: list[str] | None) -> dict[str, str]:
    """Rule name -> the file's header, for every column the rules read that the file has.

    Missing columns (with ``require_all``) and headers that two columns fit are appended to
    ``problems``; a title block skipped and headers matched loosely to ``notes``."""
    wanted = wanted_columns(assessment)
    header_line = int(table.attrs.get("header_line", 1))
    where = f"{path}:{header_line}"
    present = [c for c in table.columns if c != LINE_COLUMN]
    match = match_headers(wanted.values(), present)
    if notes is not None:
        titles = table.attrs.get("title_rows") or ()
        if titles:
            notes.append(tr("{where}: row {line} read as the header; skipped above it: '{skipped}'", where=where,
                            line=header_line, skipped=" / ".join(text for _, text in titles)))
        notes += [tr("{where}: header '{found}' read as '{wanted}'", where=where, found=found, wanted=header)
                  for found, header in match.loose]
    for header, fitting in match.ambiguous.items():
        problems.append(Problem(tr("two columns fit this header"), file=path, line=header_line, field=header,
                                found=tr(" and ").join(repr(c) for c in fitting),
                                expected=tr("one column headed '{header}' (rename or delete the other)",
                                            header=header)))
    unmatched = [c for c in present if c not in match.columns.values()]
    shown = ", ".join(_shown_header(c) for c in present)
    for header in dict.fromkeys(wanted.values()) if require_all else ():
        if header not in match.columns and header not in match.ambiguous:
            guess = closest(header, unmatched)
            expected = (tr("a column headed '{header}' (did you mean '{guess}'?)", header=header, guess=guess)
                        if guess else tr("a column headed '{header}'", header=header))
            problems.append(Problem(tr("missing column"), file=path, line=header_line, field=header,
                                    expected=expected, found=tr("columns: {columns}", columns=shown)))
    # keep checking the columns that are there, so that every problem is reported in one go
    return {name: match.columns[header] for name, header in wanted.items() if header in match.columns}


def _check_cells(assessment: Assessment, frame: pd.DataFrame, wanted: dict[str, str], path: str,
                 problems: list[Problem]) -> None:
    """Text columns (ids and text inputs compared by value, names shown), then numbers, in place."""
    spec = assessment.spec
    keys = [spec.id_column] + [name for name, inp in spec.inputs.items() if inp.type != "number"]
    for name in dict.fromkeys(keys):
        if name in frame:
            column = frame[name]
            frame[name] = pd.Series([strip_blanks(cell) for cell in column.to_numpy(object)], index=column.index,
                                    dtype=column.dtype)
            message = (tr("invisible or control character in unit id") if name == spec.id_column
                       else tr("invisible or control character"))
            _check_text(frame, name, wanted[name], path, problems, key=True, message=message)
    for name in wanted:
        if name not in keys and (name not in spec.inputs or spec.inputs[name].type != "number"):
            _check_text(frame, name, wanted[name], path, problems, key=False,
                        message=tr("control character in text"))
    if spec.id_column in frame:
        _check_ids(frame, spec.id_column, path, problems, wanted[spec.id_column])
    numeric = [name for name, inp in spec.inputs.items() if inp.type == "number" and name in frame]
    plain = plain_numbers(*(frame[name] for name in numeric))  # the common case: every column at once
    for j, name in enumerate(numeric):
        inp = spec.inputs[name]
        frame[name] = _to_numbers(frame, name, wanted[name], inp, path, problems,
                                  None if plain is None else plain[:, j])


def strip_blanks(text: str) -> str:
    """``text`` without the blanks at either end: spaces of any width (also no-break and full-width
    spaces), tabs and line breaks. Other invisible characters stay, to be reported."""
    return text.strip(EDGE_BLANKS)


def _check_text(frame: pd.DataFrame, name: str, header: str, path: str, problems: list[Problem],
                key: bool, message: str) -> None:
    """Report cells with control characters; in a ``key`` column (compared by value: the unit id, a
    text input) also zero-width and other format characters and any space but U+0020 inside."""
    cells = frame[name].to_numpy(object)
    if "".join(cells).isprintable():  # the common case: no cell can hold such a character
        return
    bad = _invisible_key if key else _has_control
    flagged = np.fromiter((not cell.isprintable() and bad(cell) for cell in cells), dtype=bool, count=len(cells))
    expected = (tr("visible characters and ordinary spaces only: it would print like another value but not match "
                   "it (retype it)") if key else tr("one line of plain text, without tabs, line breaks or other "
                                                    "control characters"))
    for line, cell in zip(frame[LINE_COLUMN].to_numpy()[flagged], cells[flagged]):
        problems.append(Problem(message, file=path, line=int(line), field=header, found=repr(cell), expected=expected))


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _invisible_key(text: str) -> bool:
    return any(ch != " " and unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in text)


def _shown_header(header: str) -> str:
    return header if header.isprintable() else repr(header)


def index_units(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Index checked rows by unit id (the id column is kept) and sort them by id."""
    frame = frame.set_index(id_column, drop=False)
    frame.index.name = None
    return frame.sort_index(kind="stable")


def _check_ids(frame: pd.DataFrame, id_column: str, path: str, problems: list[Problem], header: str) -> None:
    values = frame[id_column].to_numpy(object)
    if "" not in values and len(set(values)) == len(values):  # the common case: every id there, each once
        return
    ids = frame[id_column]
    for line in frame.loc[ids == "", LINE_COLUMN]:
        problems.append(Problem(tr("empty unit id"), file=path, line=int(line), field=header,
                                expected=tr("a unique id in every row")))
    duplicated = frame[ids.duplicated(keep=False) & (ids != "")]
    for unit_id, rows in duplicated.groupby(id_column, sort=True):
        lines = ", ".join(str(v) for v in rows[LINE_COLUMN])
        problems.append(Problem(tr("duplicate unit id on lines {lines}", lines=lines), file=path,
                                line=int(rows[LINE_COLUMN].iloc[0]), field=header, found=repr(unit_id),
                                expected=tr("each id once")))


def _to_numbers(frame, name, header, inp, path, problems, plain=None) -> pd.Series:
    """The numbers of column ``name``, its problems appended; ``plain``: the numbers already read
    (:func:`plain_numbers`), then the column holds no empty or unreadable cell."""
    if plain is None:
        numbers, empty, grouping = read_numbers(frame[name])
    else:
        numbers, empty, grouping = plain, np.zeros(len(plain), dtype=bool), np.zeros(len(plain), dtype=bool)
    bad = ~empty & ~np.isfinite(numbers)  # "inf" is not a number here
    if bad.any():  # line numbers are looked up only for the cells reported
        for line, cell, comma in zip(frame.loc[bad, LINE_COLUMN], frame.loc[bad, name], grouping[bad]):
            problems.append(Problem(tr("not a number"), file=path, line=int(line), field=header, found=repr(cell),
                                    expected=tr(BAD_GROUPING) if comma else tr("a number (or an empty cell for a "
                                                                               "missing value)")))
    if inp.range is not None:
        lo, hi = inp.range
        with np.errstate(invalid="ignore"):
            outside = ((numbers < lo) if lo is not None else False) | ((numbers > hi) if hi is not None else False)
        outside = outside & ~empty  # an empty cell is a missing value
        if outside.any():
            for line, value in zip(frame[LINE_COLUMN].to_numpy()[outside], numbers[outside]):
                problems.append(Problem(tr("value out of range"), file=path, line=int(line), field=header,
                                        found=f"{value:g}", expected=_range_text(lo, hi)))
    return pd.Series(numbers, index=frame.index)


def _range_text(lo, hi) -> str:
    if lo is None:
        return tr("at most {high}", high=f"{hi:g}")
    if hi is None:
        return tr("at least {low}", low=f"{lo:g}")
    return tr("between {low} and {high}", low=f"{lo:g}", high=f"{hi:g}")
