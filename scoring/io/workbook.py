"""Write .xlsx workbooks described as plain data (:class:`Sheet`), in one house style.

:func:`write_workbook` applies it: title rows above a bordered table whose bold header rows
(merged where the sheet says) and name column are frozen and repeat on every printed page, in
the page setup of :mod:`scoring.report.print_setup` (宋体, landscape A4 one page wide, page
numbers); numbers stored as numbers with a fixed number of decimals shown (signed or worded
where the sheet's format says), right-aligned under right-aligned headers; columns wide enough
to read (wide CJK characters count as two, :mod:`scoring.io.sheet_layout`);
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
from ..messages import tr
from .sheet_layout import _Span, column_format, column_widths, header_block, is_number_format, spans
from ..report.print_setup import (LINE_HEIGHT, Page, font, lines_needed, set_default_font, set_up_page, thin_border,
                                  write_heading, write_notes)

HEADER_FILL = "D9E1F2"
EXEMPT_FILL = "EDEDED"
TOP_FILLS = ("C6EFCE", "DDEBF7", "E2EFDA")  # green, blue, pale green
BOTTOM_FILLS = ("FFC7CE", "FCE4D6", "FFF2CC")  # red, orange, yellow
OTHER_FILLS = ("FFF2CC", "E4DFEC", "DDEBF7", "FCE4D6")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE
MAX_LISTED = 20  # problems listed in one error


@dataclass
class Sheet:
    """One worksheet as data: title rows, header rows, then rows of str / int / float / None cells.

    Laid out from the top: ``heading`` (title lines, merged across the table), ``bands`` (header
    rows above ``headers``, where :data:`~scoring.io.sheet_layout.SPAN_LEFT` / ``SPAN_UP`` merge a cell into its left /
    upper neighbour; also in ``headers``), ``headers``, ``fixed_rows`` (e.g. the 满分 row: part of the header, repeated on
    every printed page), ``rows``, then ``notes`` (lines under the table).
    """

    title: str
    headers: list  # str, or SPAN_UP under a header cell of ``bands``
    rows: list[list]
    formats: list[str | None] = field(default_factory=list)  # number_format per column (None: General)
    fills: list[str | None] | None = None  # background colour (hex RGB) per row
    indents: list[int] | None = None  # indent level per row, applied to ``indent_column``
    indent_column: int = 0
    comments: dict[int, str] = field(default_factory=dict)  # header comments by column index
    autofilter: bool = False
    wrap_columns: tuple[int, ...] = ()
    heading: tuple[str, ...] = ()
    bands: list[list] = field(default_factory=list)
    fixed_rows: list[list] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    frozen_columns: int = 0  # leading columns kept in view when scrolling right (up to the name)
    page: Page = field(default_factory=Page)

    @property
    def header_row(self) -> int:
        """Sheet row (1-based) of ``headers``."""
        return len(self.heading) + len(self.bands) + 1

    @property
    def first_row(self) -> int:
        """Sheet row of the first data row."""
        return self.header_row + len(self.fixed_rows) + 1


def decimals_format(precision: int) -> str:
    """``0.00`` for precision 2: numbers shown with that many decimals."""
    return "0." + "0" * precision if precision > 0 else "0"


def plain(value):
    """A cell value openpyxl can store: Python numbers (NaN -> empty), text as ``str``.

    An infinite number is an internal error (:func:`scoring.report.formatting.non_finite_error`).
    """
    if value is None or isinstance(value, _Span):
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
    """Every sheet title, title line, header, cell, note and header comment holding a control
    character .xlsx cannot store, named by its cell."""
    from openpyxl.utils import get_column_letter

    problems = []

    def check(text, where: str) -> None:
        match = CONTROL_CHARACTERS.search(text) if isinstance(text, str) else None
        if match:
            problems.append(Problem(tr("control character U+{code} cannot be stored in .xlsx",
                                       code=f"{ord(match.group()):04X}"),
                                    field=where, found=repr(text),
                                    expected=tr("text without control characters "
                                                "(fix the input, or write .csv/.json)")))

    for sheet in sheets:
        rows = [[line] for line in sheet.heading] + header_block(sheet) + sheet.fixed_rows + sheet.rows
        notes = [[line] for line in sheet.notes]
        texts = [text for row in [[sheet.title], *rows, *notes, sheet.comments.values()] for text in row
                 if isinstance(text, str)]
        if not CONTROL_CHARACTERS.search("\n".join(texts)):  # the common case: nothing to report in this sheet
            continue
        check(sheet.title, tr("sheet name {name}", name=repr(sheet.title)))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                check(value, f"{sheet.title}!{get_column_letter(c + 1)}{r + 1}")
        for r, row in enumerate(notes, start=len(rows) + 2):
            check(row[0], f"{sheet.title}!A{r}")
        for c, text in sheet.comments.items():
            check(text, tr("{cell} note", cell=f"{sheet.title}!{get_column_letter(c + 1)}{sheet.header_row}"))
    return problems


def build_workbook(sheets: list[Sheet], kind: str | None = None):
    """An openpyxl Workbook holding ``sheets`` (not saved); ``kind`` goes into the document properties."""
    from openpyxl import Workbook

    problems = control_character_problems(sheets)
    if problems:
        shown = problems[:MAX_LISTED]
        more = tr(" (the first {shown} of {count} shown)", shown=MAX_LISTED, count=len(problems)) \
            if len(problems) > MAX_LISTED else ""
        raise OutputError(tr("Cannot write a workbook: {count} cell(s) hold a control character{more}",
                             count=len(problems), more=more), shown)
    book = Workbook()
    book.properties.creator = WORKBOOK_CREATOR
    book.properties.identifier = f"zonescore:{kind}" if kind else None
    book.remove(book.active)
    if sheets:
        set_default_font(book, sheets[0].page)
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title, book.sheetnames))
        widths = column_widths(sheet)
        write_heading(ws, sheet.heading, len(sheet.headers), sheet.page)
        _write_header(ws, sheet, widths)
        _write_rows(ws, sheet, widths)
        _finish_sheet(ws, sheet, widths)
    if not book.sheetnames:
        book.create_sheet("Sheet1")
    return book


def _write_header(ws, sheet: Sheet, widths: list[float]) -> None:
    """Bold, shaded, bordered header rows (merged where the bands say); number columns' headers
    right-aligned like their numbers; header notes (label, unit) as cell comments."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, PatternFill

    block = header_block(sheet)
    top = len(sheet.heading) + 1
    fill, border, bold = PatternFill("solid", fgColor=HEADER_FILL), thin_border(), font(sheet.page, bold=True)
    merged = {(r, c): (down, right) for r, c, down, right in spans(block)}
    heights = [1] * len(block)
    for r, row in enumerate(block):
        for c, value in enumerate(row):
            cell = ws.cell(row=top + r, column=c + 1, value=plain(value))
            _as_text(cell)
            cell.font, cell.fill, cell.border = bold, fill, border
            down, right = merged.get((r, c), (r, c))
            wide = right > c
            numeric = not wide and is_number_format(column_format(sheet, c))
            cell.alignment = Alignment(horizontal="center" if wide else "right" if numeric else "left",
                                       vertical="center", wrap_text=True)
            if isinstance(value, str) and down == r:
                heights[r] = max(heights[r], lines_needed(value, sum(widths[c:right + 1])))
    for (r, c), (down, right) in merged.items():
        ws.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + down, end_column=right + 1)
    for r, lines in enumerate(heights):
        ws.row_dimensions[top + r].height = lines * LINE_HEIGHT + 4
    for index, text in sheet.comments.items():
        comment = Comment(text, "zonescore")
        comment.width, comment.height = 240, 30 + 18 * (text.count("\n") + 1)
        ws.cell(row=sheet.header_row, column=index + 1).comment = comment


def _write_rows(ws, sheet: Sheet, widths: list[float]) -> None:
    """Fixed rows (shaded like the header) and data rows: fills, number formats, borders, wrapping
    and indents; row heights for wrapped text."""
    from openpyxl.styles import Alignment, PatternFill

    border, plain_font, bold = thin_border(), font(sheet.page), font(sheet.page, bold=True)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    top = sheet.header_row + 1
    for r, row in enumerate([*sheet.fixed_rows, *sheet.rows]):
        fixed = r < len(sheet.fixed_rows)
        data_index = r - len(sheet.fixed_rows)
        colour = None if fixed or not sheet.fills else sheet.fills[data_index]
        fill = header_fill if fixed else PatternFill("solid", fgColor=colour) if colour else None
        lines = 1
        for c in range(len(sheet.headers)):
            value = plain(row[c]) if c < len(row) else None
            cell = ws.cell(row=top + r, column=c + 1, value=value)
            _as_text(cell)
            cell.border, cell.font = border, bold if fixed else plain_font
            if fill is not None:
                cell.fill = fill
            number_format = column_format(sheet, c)
            if number_format == "@" or (number_format and isinstance(value, (int, float))
                                        and not isinstance(value, bool)):
                cell.number_format = number_format
            indent = sheet.indents[data_index] if sheet.indents and not fixed and c == sheet.indent_column else 0
            wrap = c in sheet.wrap_columns
            cell.alignment = Alignment(wrap_text=wrap, vertical="center", indent=indent,
                                       horizontal="right" if is_number_format(number_format) else None)
            if wrap and isinstance(value, str):
                lines = max(lines, lines_needed(value, widths[c]))
        if lines > 1:
            ws.row_dimensions[top + r].height = lines * LINE_HEIGHT + 3


def _finish_sheet(ws, sheet: Sheet, widths: list[float]) -> None:
    """Column widths, notes under the table, frozen header and name column, autofilter, page setup."""
    from openpyxl.utils import get_column_letter

    for c, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(c + 1)].width = width
    last_row = sheet.first_row + len(sheet.rows) - 1
    if sheet.notes:
        write_notes(ws, sheet.notes, last_row + 2, len(sheet.headers), widths, sheet.page)
    ws.freeze_panes = f"{get_column_letter(sheet.frozen_columns + 1)}{sheet.first_row}"
    if sheet.autofilter and sheet.headers:
        last_column = get_column_letter(len(sheet.headers))
        ws.auto_filter.ref = f"A{sheet.header_row}:{last_column}{max(last_row, sheet.header_row)}"
    header_top = len(sheet.heading) + 1
    set_up_page(ws, sheet.page, (header_top, sheet.first_row - 1))


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
