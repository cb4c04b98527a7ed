"""Read unit data (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030) and check it against the rules.

Every problem in the file (missing columns, duplicate ids, non-numeric cells, values out of
range) is collected and raised together in one :class:`DataError`. Rows are returned sorted
by unit id so that the order of rows in the file can never change a result.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .api.assessment import Assessment
from .errors import DataError, InputFileError, Problem

ENCODINGS = ("utf-8-sig", "gb18030")
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


def read_table(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a CSV file as text cells, with a ``_line`` column; returns (frame, sha256)."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise InputFileError(f"Data file not found: {shown}", [Problem("no such file", file=shown)])
    raw = path.read_bytes()
    if not raw.strip():
        raise InputFileError(f"Data file is empty: {shown}", [Problem("the file has no content", file=shown)])
    text = decode_bytes(raw, shown)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(f"Data file is not a readable CSV table: {shown}",
                             [Problem(str(exc).strip(), file=shown, expected="comma-separated rows")]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputFileError(f"Data file has a header but no rows: {shown}",
                             [Problem("no data rows", file=shown, line=2, expected="one row per unit")])
    frame[LINE_COLUMN] = np.arange(len(frame)) + 2  # line 1 is the header
    return frame, hashlib.sha256(raw).hexdigest()


def load_data(assessment: Assessment, path: str | Path) -> UnitData:
    """Read ``path`` and check it against ``assessment``; raise :class:`DataError` listing all problems."""
    table, digest = read_table(path)
    frame = check_table(assessment, table, str(path))
    return UnitData(frame, [(str(path), digest)])


def check_table(assessment: Assessment, table: pd.DataFrame, path: str) -> pd.DataFrame:
    """Map source headers to rule names, convert numbers, check ids and ranges, all at once."""
    spec = assessment.spec
    problems: list[Problem] = []
    wanted = {spec.id_column: spec.id_column, spec.name_column: spec.name_column}
    wanted.update({col: col for col in spec.display_columns})
    wanted.update({name: (inp.column or name) for name, inp in spec.inputs.items()})
    missing = [header for header in dict.fromkeys(wanted.values()) if header not in table.columns]
    present = [c for c in table.columns if c != LINE_COLUMN]
    for header in missing:
        problems.append(Problem("missing column", file=path, line=1, field=header,
                                expected=f"a column headed '{header}'", found="columns: " + ", ".join(present)))
    # keep checking the columns that are there, so that every problem is reported in one go
    wanted = {name: header for name, header in wanted.items() if header in table.columns}
    frame = pd.DataFrame({name: table[header] for name, header in wanted.items()})
    frame[LINE_COLUMN] = table[LINE_COLUMN].to_numpy()
    if spec.id_column in frame:
        frame[spec.id_column] = frame[spec.id_column].str.strip()
        _check_ids(frame, spec.id_column, path, problems)
    for name, inp in spec.inputs.items():
        if inp.type == "number" and name in frame:
            frame[name] = _to_numbers(frame, name, inp.column or name, inp, path, problems)
    if problems:
        raise DataError(f"Data file has {len(problems)} problem(s): {path}", problems)
    frame = frame.set_index(spec.id_column, drop=False)
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
    bad = numbers.isna() & (text != "")
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
                                    found=f"{value:g}", expected=f"between {_fmt(lo)} and {_fmt(hi)}"))
    return numbers


def _clean_number_text(cells: pd.Series) -> pd.Series:
    """Strip blanks and thousands separators (1,234 or 1，234) — only where needed, as it is slow."""
    text = cells.astype(object)
    plain = pd.to_numeric(text, errors="coerce").notna().to_numpy()
    if plain.all():
        return text
    messy = text[~plain].map(lambda cell: str(cell).strip().replace(",", "").replace("，", ""))
    return text.where(plain, messy)


def _fmt(bound) -> str:
    return "-inf" if bound is None else f"{bound:g}"
