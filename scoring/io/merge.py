"""Join several data files (one per department: tax, finance, market supervision) on the unit id.

Each file is read and checked on its own (its own line numbers in every message), then the
files are joined. Nothing is dropped or overwritten silently; all of these are reported
together in one :class:`DataError`, naming file, row, unit id, column and both values:

* a unit that is in some files but missing from another, or an id that appears in one file only;
* a column the rules read that two files both hold, with different values for a unit
  (the same value in both is fine: e.g. the zone name repeated in every department's sheet);
* a column the rules need that no file holds.

Columns the rules do not read are ignored, as they are for a single file.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..api.assessment import Assessment
from .data import LINE_COLUMN, UnitData, check_columns, data_paths, index_units, read_table, wanted_columns
from ..errors import DataError, InputFileError, OptionError, Problem, ZonescoreError


@dataclass
class _Part:
    path: str
    table: pd.DataFrame  # text cells as read, with _line
    frame: pd.DataFrame  # checked columns (rule names), same row order as table
    rows: dict[str, int]  # unit id -> row position (first row with that id)


def load_data_files(assessment: Assessment, paths, sheet: str | None = None) -> UnitData:
    """Read every file in ``paths``, check each, join them on the unit id; sources list every file.

    A file that cannot be read does not stop the others: the problems of every file are reported
    together (a single unreadable file alone raises its own error)."""
    paths = data_paths(paths)
    if not paths:
        raise OptionError("No data file given", [Problem("no data file", field="--data", expected="one or more files")])
    _refuse_repeats(paths)
    spec = assessment.spec
    wanted = wanted_columns(assessment)
    problems: list[Problem] = []
    parts, sources, headers, failed = _read_all(assessment, paths, sheet, problems)
    for header in dict.fromkeys(wanted.values()) if not failed else ():  # else: it may be in the unread file
        if not any(header in cols for cols in headers.values()):
            problems.append(Problem("missing column: in none of the data files", field=header,
                                    expected=f"a column headed '{header}' in one of: " + ", ".join(paths)))
    _check_same_content(sources, problems)
    if parts:
        names = _names(parts, spec.name_column)
        _check_units(parts, names, spec.id_column, problems)
        _check_conflicts(parts, wanted, names, spec.id_column, problems)
    if len(failed) == 1 and not problems:
        raise failed[0]
    problems[:0] = [problem for exc in failed for problem in exc.problems]
    if problems:
        raise DataError(f"Data files have {len(problems)} problem(s): " + ", ".join(paths), problems)
    return UnitData(_join(parts, wanted, spec.id_column), sources)


def _read_all(assessment: Assessment, paths: list[str], sheet: str | None, problems: list[Problem]):
    """Read and check every file: (parts, sources, headers of each file, errors of files not read)."""
    parts: list[_Part] = []
    sources: list[tuple[str, str]] = []
    headers: dict[str, list[str]] = {}
    failed: list[ZonescoreError] = []
    for path in paths:
        try:
            table, digest = read_table(path, sheet)
        except (DataError, InputFileError) as exc:
            failed.append(exc)
            continue
        sources.append((path, digest))
        headers[path] = [c for c in table.columns if c != LINE_COLUMN]
        part = _check_part(assessment, path, table, problems)
        if part is not None:
            parts.append(part)
    return parts, sources, headers, failed


def _refuse_repeats(paths: list[str]) -> None:
    seen: dict[object, str] = {}
    for path in paths:
        key = _file_key(path)
        if key in seen:
            raise OptionError(f"The same data file is given twice: {path}",
                              [Problem("data file repeated", file=path, field="--data", found=f"{seen[key]} and {path}",
                                       expected="each department's file once")])
        seen[key] = path


def _check_part(assessment: Assessment, path: str, table: pd.DataFrame, problems: list[Problem]) -> _Part | None:
    """One file's checks; the file joined on its unit ids, or None if it has no id column."""
    id_column = assessment.spec.id_column
    frame = check_columns(assessment, table, path, problems, require_all=False)
    if id_column not in table.columns:
        present = ", ".join(c for c in table.columns if c != LINE_COLUMN)
        problems.append(Problem("missing id column", file=path, line=int(table.attrs.get("header_line", 1)),
                                field=id_column, found="columns: " + present,
                                expected=f"a column headed '{id_column}' in every file, to join the files on"))
        return None
    rows: dict[str, int] = {}
    for position, unit_id in enumerate(frame[id_column]):
        if unit_id != "":
            rows.setdefault(unit_id, position)
    return _Part(path, table, frame, rows)


def _file_key(path: str) -> object:
    """The same key for two names of one file (a relative path, a link): device and inode when known."""
    try:
        info = os.stat(path)
        if info.st_ino:
            return info.st_dev, info.st_ino
        return Path(path).resolve()
    except (OSError, ValueError):  # not there or not a valid name: reading it reports that
        return path


def _check_same_content(sources: list[tuple[str, str]], problems: list[Problem]) -> None:
    """Two files with the same bytes: one department's file saved under another's name?"""
    first: dict[str, str] = {}
    for path, digest in sources:
        if digest in first:
            problems.append(Problem("the same content as another data file", file=path, field="--data",
                                    found=f"{path} identical to {first[digest]} (sha256 {digest[:12]})",
                                    expected="one file per department, each with its own columns"))
        first.setdefault(digest, path)


def _names(parts: list[_Part], name_column: str) -> dict[str, str]:
    """Unit id -> name, from the first file that has a name for it (for messages only)."""
    names: dict[str, str] = {}
    for part in parts:
        if name_column in part.frame:
            for unit_id, position in part.rows.items():
                names.setdefault(unit_id, str(part.frame[name_column].iat[position]).strip())
    return names


def _where(part: _Part, unit_id: str) -> str:
    return f"{part.path}:{int(part.frame[LINE_COLUMN].iat[part.rows[unit_id]])}"


def _unit(unit_id: str, names: dict[str, str]) -> str:
    name = names.get(unit_id, "")
    return f"{unit_id!r} ({name})" if name else repr(unit_id)


def _check_units(parts: list[_Part], names: dict[str, str], id_column: str, problems: list[Problem]) -> None:
    """Every unit must be in every file; report ids in one file only, and units missing from a file."""
    if len(parts) < 2:
        return
    all_ids = sorted(set().union(*(part.rows for part in parts)))
    for unit_id in all_ids:
        holders = [part for part in parts if unit_id in part.rows]
        if len(holders) == len(parts):
            continue
        others = [part.path for part in parts if unit_id not in part.rows]
        if len(holders) == 1:
            holder = holders[0]
            problems.append(Problem(f"unit {_unit(unit_id, names)} appears in this file only", file=holder.path,
                                    line=int(holder.frame[LINE_COLUMN].iat[holder.rows[unit_id]]), field=id_column,
                                    found=f"no row for {unit_id!r} in " + ", ".join(others),
                                    expected="every unit in every file (a mistyped id, or a row missing there?)"))
            continue
        present = ", ".join(_where(part, unit_id) for part in holders)
        for path in others:
            problems.append(Problem(f"unit {_unit(unit_id, names)} is missing from this file", file=path,
                                    field=id_column, found=f"no row for {unit_id!r}",
                                    expected=f"a row for it, as in {present}"))


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return str(a).strip() == str(b).strip()


def _check_conflicts(parts: list[_Part], wanted: dict[str, str], names: dict[str, str], id_column: str,
                     problems: list[Problem]) -> None:
    """A column held by two files must have the same value for every unit in both."""
    checked: set[str] = set()
    for name, header in wanted.items():
        if name == id_column or header in checked:  # one header may feed a display column and an input
            continue
        checked.add(header)
        holders = [part for part in parts if name in part.frame and header in part.table]
        if len(holders) < 2:
            continue
        first = holders[0]
        for other in holders[1:]:
            for unit_id in sorted(set(first.rows) & set(other.rows)):
                i, j = first.rows[unit_id], other.rows[unit_id]
                a, b = first.frame[name].iat[i], other.frame[name].iat[j]
                if _same(a, b):
                    continue
                shown_a, shown_b = _cell(first.table[header].iat[i]), _cell(other.table[header].iat[j])
                problems.append(Problem(f"unit {_unit(unit_id, names)}: different values in two files",
                                        file=other.path, line=int(other.frame[LINE_COLUMN].iat[j]), field=header,
                                        found=f"{shown_b} in {_where(other, unit_id)}",
                                        expected=f"{shown_a} as in {_where(first, unit_id)} (the same value in "
                                                 "both files, or the column in one file only)"))


def _cell(text) -> str:
    text = str(text)
    return repr(text) if text.strip() else "an empty cell"


def _join(parts: list[_Part], wanted: dict[str, str], id_column: str) -> pd.DataFrame:
    """Columns from the first file that holds each, aligned on the unit id; rows sorted by id."""
    base = parts[0]
    ids = list(base.frame[id_column])
    columns = {}
    for name in dict.fromkeys([id_column, *wanted]):
        holder = next(part for part in parts if name in part.frame)
        positions = [holder.rows[unit_id] for unit_id in ids]
        columns[name] = holder.frame[name].iloc[positions].to_numpy()
    frame = pd.DataFrame(columns)
    frame[LINE_COLUMN] = base.frame[LINE_COLUMN].to_numpy()
    return index_units(frame, id_column)
