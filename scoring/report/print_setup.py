"""How a workbook sheet looks on screen and on paper: font, borders, title rows, page setup.

The house style of every workbook zonescore writes (:func:`scoring.io.workbook.write_workbook`):
宋体 (SimSun, with the GB2312 character set and the font family as fallback hints) for Chinese
rule files, Calibri for English ones; thin borders around every table cell; the assessment's
title and the sheet's subject in title rows above the table; landscape A4, one page wide,
the header rows repeated on every page, the page number in the footer ("第 N 页 共 M 页" /
"Page N of M"); the header rows and the name column frozen.

:class:`Page` holds the choices that depend on the rule file (made by :func:`page_for`); the
functions below apply them to an openpyxl worksheet. openpyxl is imported inside them only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .words import display_width, language, words

FONTS = {"zh": "宋体", "en": "Calibri"}  # what Chinese / English official tables are set in
FONT_SIZE = 11
TITLE_SIZE = 16
SUBTITLE_SIZE = 12
LINE_HEIGHT = 14.25  # points per line of FONT_SIZE text
BORDER_COLOUR = "808080"
A4 = 9  # paperSize code of A4 in SpreadsheetML


@dataclass(frozen=True)
class Page:
    """What a sheet prints with: the font, the footer and an optional running header."""

    font: str = FONTS["en"]
    footer: str = "Page &P of &N"  # &P: page number, &N: number of pages
    header: str = ""  # printed at the top of every page (a sheet without title rows: the template)

    @property
    def chinese(self) -> bool:
        return self.font == FONTS["zh"]


def page_for(spec, header: str = "") -> Page:
    """The page of a sheet for the rule file ``spec``: its language's font and page-number footer."""
    return Page(FONTS[language(spec)], words(spec)["page_footer"], header)


def font(page: Page, bold: bool = False, size: float = FONT_SIZE):
    """The sheet's font; a Chinese font carries charset 134 (GB2312) and family 3, which tell Excel,
    WPS and LibreOffice to substitute a Chinese font of the same kind where 宋体 is missing."""
    from openpyxl.styles import Font

    if page.chinese:
        return Font(name=page.font, size=size, bold=bold, charset=134, family=3)
    return Font(name=page.font, size=size, bold=bold, family=2)


def set_default_font(book, page: Page) -> None:
    """The sheet font as the workbook's first font (that of every cell without a style of its own)
    and the Normal style's (which column widths are measured in). openpyxl has no public setter."""
    from openpyxl.utils.indexed_list import IndexedList

    book._fonts = IndexedList([font(page)])
    book._named_styles["Normal"].font = font(page)


def thin_border():
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color=BORDER_COLOUR)
    return Border(left=side, right=side, top=side, bottom=side)


def write_heading(ws, lines: tuple[str, ...], width: int, page: Page) -> None:
    """Title rows above the table: the first line large and bold, the others smaller, each
    merged across the table's width and centred."""
    from openpyxl.styles import Alignment

    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.data_type = "s"
        first = row == 1
        cell.font = font(page, bold=first, size=TITLE_SIZE if first else SUBTITLE_SIZE)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.row_dimensions[row].height = 30 if first else 20


def write_notes(ws, lines: tuple[str, ...], first_row: int, width: int, widths: list[float], page: Page) -> None:
    """Lines under the table (count, the outcome's line), each merged across the table and wrapped."""
    from openpyxl.styles import Alignment

    room = sum(widths[:width]) or 1
    for offset, text in enumerate(lines):
        row = first_row + offset
        cell = ws.cell(row=row, column=1, value=text)
        cell.data_type = "s"
        cell.font = font(page)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.row_dimensions[row].height = lines_needed(text, room) * LINE_HEIGHT + 3


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (CJK characters count as two)."""
    usable = max(width - 1.5, 1)
    return max(1, sum(math.ceil(display_width(part) / usable) or 1 for part in str(text).split("\n")))


def set_up_page(ws, page: Page, title_rows: tuple[int, int] | None) -> None:
    """Landscape A4, one page wide and as many tall as needed, centred; ``title_rows`` (first, last)
    repeated at the top of every page; the page number in the footer, ``page.header`` on top."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    for part, text in ((ws.oddFooter.center, page.footer), (ws.oddHeader.center, page.header.replace("&", "&&"))):
        if text:
            part.text = text
            part.font = f"{page.font},Regular"
            part.size = 10
