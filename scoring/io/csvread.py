"""Read a CSV data file strictly: decoded, split into rows, every row as wide as the header.

* Text is UTF-8 (with or without BOM) or GB18030 (a superset of GBK, what Chinese Excel saves).
  UTF-16 ("Unicode Text") and files with NUL characters are refused with a clear message.
* Lines may end in LF, CR LF or CR alone (Excel's "CSV (Macintosh)"); each counts as one line,
  so line numbers in messages are the ones a text editor shows. A quoted cell may span lines.
* Rows whose cells are all blank are skipped; the first other row is the header, unless a title
  block stands above it: then the first of the first ten rows that names the most columns the
  rules read (:func:`scoring.io.headers.pick_header_row`); the rows above it are listed in
  ``frame.attrs["title_rows"]``. Excel's ``sep=,`` first line is skipped; one naming another
  separator is refused.
* A row with more fields than the header (often a trailing comma) or fewer fields than the
  header names is an error naming the line: read by position, its values would land under the
  wrong headers. Missing cells under unnamed trailing header cells are harmless and allowed.
* Broken quoting (a quote never closed, text after a closing quote) is an error naming the line.
"""
from __future__ import annotations

import csv
import io

import pandas as pd

from .data_table import STRAY_HEADER_CHARS, build_table, paused_gc
from .headers import pick_header_row, title_text
from ..errors import DataError, InputFileError, Problem
from ..messages import tr

ENCODINGS = ("utf-8-sig", "gb18030")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # also the start of UTF-32 LE
SAVE_AS = "the sheet saved from Excel or WPS as 'CSV UTF-8 (Comma delimited)' or as .xlsx"


def decode_bytes(raw: bytes, path: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK)."""
    if raw.startswith(UTF16_BOMS) and _decodes(raw, "utf-16"):
        raise InputFileError(tr("Data file is UTF-16 text, not a CSV file: {path}", path=path),
                             [Problem(tr("a UTF-16 file (Excel's 'Unicode Text')"), file=path, expected=tr(SAVE_AS))])
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(tr("Cannot decode data file: {path}", path=path),
                         [Problem(tr("not valid UTF-8 or GBK/GB18030 text"), file=path,
                                  expected=tr("a CSV saved as UTF-8 or GBK"))])


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def read_csv_text(text: str, shown: str, wanted=None) -> pd.DataFrame:
    """The decoded CSV ``text`` as a table of text cells with ``_line`` (see the module notes).

    ``wanted``: the headers the rules read, to find the header row below a title block."""
    _refuse_nul(text, shown)
    with paused_gc():
        return _table(text, shown, wanted)


def _table(text: str, shown: str, wanted=None) -> pd.DataFrame:
    records = _without_separator_line(_records(text, shown), shown)
    if not records:
        raise InputFileError(tr("Data file is empty: {path}", path=shown),
                             [Problem(tr("the file has no content"), file=shown,
                                      expected=tr("a header row and one row per unit"))])
    first = pick_header_row([cells for _, cells in records[:11]], wanted)
    titles = [(line, title_text(cells)) for line, cells in records[:first]]
    (header_line, header), body = records[first], records[first + 1:]
    problems = _width_problems(header, header_line, body, shown)
    if problems:
        raise DataError(tr("Data file has {count} problem(s): {path}", count=len(problems), path=shown), problems)
    if not body:
        raise InputFileError(tr("Data file has a header but no rows: {path}", path=shown),
                             [Problem(tr("no data rows"), file=shown, line=header_line + 1,
                                      expected=tr("one row per unit"))])
    frame = build_table(header, [record for _, record in body], [line for line, _ in body], header_line)
    frame.attrs["title_rows"] = titles
    return frame


def line_at(text: str, position: int) -> int:
    """Line number of ``position`` in ``text``, counting LF, CR LF and a lone CR as one line end each."""
    before = text[:position]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def _refuse_nul(text: str, shown: str) -> None:
    first = text.find("\x00")
    if first < 0:
        return
    raise InputFileError(tr("Data file holds NUL characters, it is not a text CSV file: {path}", path=shown),
                         [Problem(tr("NUL character (a binary, damaged or UTF-16 file?)"), file=shown,
                                  line=line_at(text, first),
                                  found=tr("{count} NUL character(s)", count=text.count(chr(0))),
                                  expected=tr(SAVE_AS))])


def _records(text: str, shown: str) -> list[tuple[int, list[str]]]:
    """(line the record starts on, fields) of every record that is not blank."""
    if '"' not in text:  # nothing quoted: each line is one record, split at every comma
        records = _unquoted_records(text)
        if records is not None:
            return records
    reader = csv.reader(io.StringIO(text, newline=None), strict=True)  # universal newlines: CR alone too
    records, previous = [], 0
    keep = records.append
    try:
        for record in reader:
            if record and (record[0].strip() or any(cell.strip() for cell in record)):
                keep((previous + 1, record))
            previous = reader.line_num
    except csv.Error as exc:
        raise InputFileError(tr("Data file is not a readable CSV table: {path}", path=shown),
                             [Problem(tr("cannot split the row into cells ({reason})", reason=exc), file=shown,
                                      line=previous + 1,
                                      expected=tr("cells separated by commas, a cell holding a comma, quote or line "
                                                  "break wrapped in double quotes and each quote in it doubled "
                                                  "(a quote never closed?)"))]) from None
    return records


def _unquoted_records(text: str) -> list[tuple[int, list[str]]] | None:
    """What :func:`_records` reads from ``text`` without a double quote, found with plain string splits.

    Without quotes the csv module splits each line at every comma and nothing else, with line
    ends read as universal newlines (LF, CR LF, a lone CR). None when a line is longer than the
    csv module's field limit: the csv reader then reports (or reads) it as it always did.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":  # the line break ending the last line starts no further line
        lines.pop()
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    records = []
    keep = records.append
    for number, line in enumerate(lines, 1):
        record = line.split(",")
        if record[0].strip() or any(cell.strip() for cell in record):
            keep((number, record))
    return records


def _without_separator_line(records: list[tuple[int, list[str]]], shown: str) -> list[tuple[int, list[str]]]:
    """Drop Excel's ``sep=,`` first line; a file declaring another separator is refused."""
    if not records or records[0][0] != 1:
        return records
    first = ",".join(records[0][1]).strip(" ").lower()
    if not first.startswith("sep="):
        return records
    if first == "sep=,":
        return records[1:]
    raise InputFileError(tr("Data file is not comma-separated: {path}", path=shown),
                         [Problem(tr("the first line declares another separator"), file=shown, line=1,
                                  found=repr(first), expected=tr("comma-separated cells ({how})", how=tr(SAVE_AS)))])


def _width_problems(header: list[str], header_line: int, body, shown: str) -> list[Problem]:
    """A problem for every row with more fields than the header, or fewer than the header names."""
    width = len(header)
    named = max((i + 1 for i, cell in enumerate(header) if cell.strip().strip(STRAY_HEADER_CHARS)), default=0)
    as_header = tr("{count} fields, as many as the header on line {line}", count=width, line=header_line)
    at_least = as_header if named == width else tr("at least {count} fields, as many as the header on line "
                                                   "{line} names", count=named, line=header_line)
    problems = []
    if all(named <= count <= width for count in {len(record) for _, record in body}):
        return problems  # the common case: every row as wide as the header
    for line, record in body:
        count = len(record)
        if count > width:
            trailing = not any(cell.strip() for cell in record[width:])
            message = (tr("more fields than the header (a trailing comma?)") if trailing else
                       tr("more fields than the header (a comma inside a cell not wrapped in double quotes?)"))
            problems.append(Problem(message, file=shown, line=line, found=tr("{count} fields", count=count),
                                    expected=as_header))
        elif count < named:
            problems.append(Problem(tr("fewer fields than the header"), file=shown, line=line,
                                    found=tr("{count} fields", count=count), expected=at_least))
    return problems
