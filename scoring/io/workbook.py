"""Write .xlsx workbooks described as plain data (:class:`Sheet`), in one house style.

:func:`write_workbook` applies it: bold header row, frozen; numbers stored as numbers with a
fixed number of decimals shown; columns wide enough to read (wide CJK characters count as two);
every text cell stored explicitly as a string, never a formula: a text that a spreadsheet could
run (``=``, ``+``, ``-``, ``@``, :func:`scoring.io.fileio.neutralise` decides) also gets the
"quote prefix" style, which Excel and WPS show without an apostrophe and keep as text when the
cell is edited; the save time pinned so that identical content gives identical bytes; creator
``zonescore`` and identifier ``zonescore:<kind>`` in the document properties, so that a later
run recognises its own previous output (:func:`scoring.io.outputs.same_workbook_kind`); written to
a temporary file and renamed (:func:`scoring.io.outputs.save`). A control character (which .xlsx
cannot store) is an :class:`~scoring.io.outputs.OutputError` naming each cell; nothing is written.
openpyxl is imported only inside the functions that build a workbook.
"""
from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem
from .fileio import cannot_write, neutralise
from .outputs import WORKBOOK_CREATOR, OutputError, check_target, same_workbook_kind, save
from ..report.words import display_width

HEADER_FILL = "D9E1F2"
EXEMPT_FILL = "EDEDED"
TOP_FILLS = ("C6EFCE", "DDEBF7", "E2EFDA")  # green, blue, pale green
BOTTOM_FILLS = ("FFC7CE", "FCE4D6", "FFF2CC")  # red, orange, yellow
OTHER_FILLS = ("FFF2CC", "E4DFEC", "DDEBF7", "FCE4D6")
MAX_WIDTH = 60
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE
MAX_LISTED = 20  # problems listed in one error


@dataclass
class Sheet:
    """One worksheet as data: a header row, then rows of str / int / float / None cells."""

    title: str
    headers: list[str]
    rows: list[list]
    formats: list[str | None] = field(default_factory=list)  # number_format per column (None: General)
    fills: list[str | None] | None = None  # background colour (hex RGB) per row
    indents: list[int] | None = None  # indent level per row, applied to ``indent_column``
    indent_column: int = 0
    comments: dict[int, str] = field(default_factory=dict)  # header comments by column index
    autofilter: bool = False
    wrap_columns: tuple[int, ...] = ()


def decimals_format(precision: int) -> str:
    """``0.00`` for precision 2: numbers shown with that many decimals."""
    return "0." + "0" * precision if precision > 0 else "0"


def plain(value):
    """A cell value openpyxl can store: Python numbers (NaN -> empty), text as ``str``.

    An infinite number is an internal error (:func:`scoring.report.formatting.non_finite_error`).
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isinf(value):
            from ..report.formatting import non_finite_error

            raise non_finite_error(value)
        return None if math.isnan(value) else value + 0.0
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _as_text(cell) -> None:
    """Store a text cell as a string (openpyxl takes a str starting with ``=`` for a formula);
    text a spreadsheet could run also gets the quote-prefix style (shown without an apostrophe)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if neutralise(cell.value) != cell.value:
            cell.quotePrefix = True


def control_character_problems(sheets: list[Sheet]) -> list[Problem]:
    """Every sheet title, header, cell and header note holding a control character .xlsx cannot store."""
    from openpyxl.utils import get_column_letter

    problems = []

    def check(text, where: str) -> None:
        match = CONTROL_CHARACTERS.search(text) if isinstance(text, str) else None
        if match:
            problems.append(Problem(f"control character U+{ord(match.group()):04X} cannot be stored in .xlsx",
                                    field=where, found=repr(text),
                                    expected="text without control characters (fix the input, or write .csv/.json)"))

    for sheet in sheets:
        texts = [text for row in [[sheet.title], sheet.headers, *sheet.rows, sheet.comments.values()] for text in row
                 if isinstance(text, str)]
        if not CONTROL_CHARACTERS.search("\n".join(texts)):  # the common case: nothing to report in this sheet
            continue
        check(sheet.title, f"sheet name {sheet.title!r}")
        for r, row in enumerate([sheet.headers, *sheet.rows]):
            for c, value in enumerate(row):
                check(value, f"{sheet.title}!{get_column_letter(c + 1)}{r + 1}")
        for c, text in sheet.comments.items():
            check(text, f"{sheet.title}!{get_column_letter(c + 1)}1 note")
    return problems


def _shown(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and number_format and number_format.startswith("0"):
        decimals = len(number_format.split(".", 1)[1]) if "." in number_format else 0
        return f"{value:.{decimals}f}"
    return str(value)


def build_workbook(sheets: list[Sheet], kind: str | None = None):
    """An openpyxl Workbook holding ``sheets`` (not saved); ``kind`` goes into the document properties."""
    from openpyxl import Workbook

    problems = control_character_problems(sheets)
    if problems:
        shown = problems[:MAX_LISTED]
        more = f" (the first {MAX_LISTED} of {len(problems)} shown)" if len(problems) > MAX_LISTED else ""
        raise OutputError(f"Cannot write a workbook: {len(problems)} cell(s) hold a control character{more}", shown)
    book = Workbook()
    book.properties.creator = WORKBOOK_CREATOR
    book.properties.identifier = f"zonescore:{kind}" if kind else None
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title, book.sheetnames))
        _write_header(ws, sheet)
        widths = _write_rows(ws, sheet)
        _finish_sheet(ws, sheet, widths)
    if not book.sheetnames:
        book.create_sheet("Sheet1")
    return book


def _write_header(ws, sheet: Sheet) -> None:
    """Bold, shaded header row; header notes (label, unit) as cell comments."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append([plain(h) for h in sheet.headers])
    for cell in ws[1]:
        _as_text(cell)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    for index, text in sheet.comments.items():
        comment = Comment(text, "zonescore")
        comment.width, comment.height = 240, 30 + 18 * (text.count("\n") + 1)
        ws.cell(row=1, column=index + 1).comment = comment


def _write_rows(ws, sheet: Sheet) -> list[int]:
    """Data rows with fills, number formats, wrapping and indents; returns the column widths needed."""
    from openpyxl.styles import Alignment, PatternFill

    formats = list(sheet.formats) + [None] * (len(sheet.headers) - len(sheet.formats))
    widths = [display_width(str(h)) for h in sheet.headers]
    shown: list[set[str]] = [set() for _ in widths]  # each column's texts, measured once each at the end
    for r, row in enumerate(sheet.rows):
        values = [plain(v) for v in row]
        ws.append(values)
        fill = PatternFill("solid", fgColor=sheet.fills[r]) if sheet.fills and sheet.fills[r] else None
        for c, value in enumerate(values):
            cell = ws.cell(row=r + 2, column=c + 1)
            _as_text(cell)
            if fill is not None:
                cell.fill = fill
            if formats[c] == "@" or (formats[c] and isinstance(value, (int, float)) and not isinstance(value, bool)):
                cell.number_format = formats[c]
            if c in sheet.wrap_columns:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c < len(widths):
                shown[c].add(_shown(value, formats[c]))
        if sheet.indents and sheet.indents[r]:
            cell = ws.cell(row=r + 2, column=sheet.indent_column + 1)
            cell.alignment = Alignment(indent=sheet.indents[r])
            widths[sheet.indent_column] = max(widths[sheet.indent_column],
                                              display_width(str(cell.value or "")) + 2 * sheet.indents[r])
    for c, texts in enumerate(shown):
        widths[c] = max([widths[c], *(len(text) if text.isascii() else display_width(text) for text in texts)])
    return widths


def _finish_sheet(ws, sheet: Sheet, widths: list[int]) -> None:
    """Column widths, frozen header row, autofilter."""
    from openpyxl.utils import get_column_letter

    for c, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(c + 1)].width = min(width + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"
    if sheet.autofilter and sheet.headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"


def _sheet_title(title: str, taken: list[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip("'") or "Sheet"
    clean = clean[:31]
    name, n = clean, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = clean[:31 - len(suffix)] + suffix, n + 1
    return name


def write_workbook(path: str | Path, sheets: list[Sheet], kind: str = "workbook", inputs=(),
                   force: bool = False) -> None:
    """Build the workbook and save it atomically: a failure leaves an existing ``path`` untouched.

    ``path`` must not be one of ``inputs`` ((option, path) pairs); an existing file is replaced
    only if it is a previous workbook of the same ``kind``, or with ``force`` (:func:`scoring.io.outputs.save`).
    """
    check_target(path, inputs)  # before building: a refused name costs no work
    book = build_workbook(sheets, kind)
    try:
        content = reproducible_bytes(book)
    except OSError as exc:
        raise cannot_write(Path(path), exc) from None
    save(path, content, inputs, force, same_workbook_kind(kind))


FIXED_TIME = datetime.datetime(2000, 1, 1)


def reproducible_bytes(book) -> bytes:
    """The workbook as bytes that depend only on its content: openpyxl stamps the save time into
    the document properties and the zip entries, so both are pinned to a fixed moment."""
    import io
    import zipfile

    book.properties.created = book.properties.modified = FIXED_TIME
    saved = io.BytesIO()
    book.save(saved)
    pinned = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(pinned, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":  # openpyxl sets 'modified' to now while saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                                 content)
            target.writestr(info, content)
    return pinned.getvalue()
