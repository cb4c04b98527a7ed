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
from .headers import closest
from ..messages import tr
from . import notes as pending_notes


@dataclass
class _Part:
    path: str
    table: pd.DataFrame  # text cells as read, with _line
    frame: pd.DataFrame  # checked columns (rule names), same row order as table
    rows: dict[str, int] | None  # unit id -> row position (first row with that id); None: no id column
    headers: dict[str, str]  # rule name -> the file's header it was read from


def load_data_files(assessment: Assessment, paths, sheet: str | None = None) -> UnitData:
    """Read every file in ``paths``, check each, join them on the unit id; sources list every file.

    A file that cannot be read does not stop the others: the problems of every file are reported
    together (a single unreadable file alone raises its own error)."""
    paths = data_paths(paths)
    if not paths:
        raise OptionError(tr("No data file given"), [Problem(tr("no data file"), field="--data",
                                                             expected=tr("one or more files"))])
    _refuse_repeats(paths)
    spec = assessment.spec
    wanted = wanted_columns(assessment)
    problems: list[Problem] = []
    notes: list[str] = []
    parts, sources, found, failed = _read_all(assessment, paths, sheet, problems, notes)
    for header in dict.fromkeys(wanted.values()) if not failed else ():  # else: it may be in the unread file
        if header not in found:
            problems.append(Problem(tr("missing column: in none of the data files"), field=header,
                                    expected=tr("a column headed '{header}' in one of: {paths}", header=header,
                                                paths=", ".join(paths))))
    _check_same_content(sources, problems)
    if parts:
        names = _names(parts, spec.name_column)
        _check_units(parts, names, spec.id_column, problems)
        _check_conflicts(parts, wanted, names, spec.id_column, problems)
    pending_notes.record(notes)
    if len(failed) == 1 and not problems:
        raise failed[0]
    problems[:0] = [problem for exc in failed for problem in exc.problems]
    if problems:
        raise DataError(tr("Data files have {count} problem(s): {paths}", count=len(problems),
                           paths=", ".join(paths)), problems)
    headers = {name: next(part.headers[name] for part in parts if name in part.headers) for name in wanted}
    return UnitData(_join(parts, wanted, spec.id_column), sources, notes, headers)


def _read_all(assessment: Assessment, paths: list[str], sheet: str | None, problems: list[Problem],
              notes: list[str]):
    """Read and check every file: (parts, sources, rule headers found in some file, errors of files not read)."""
    parts: list[_Part] = []
    sources: list[tuple[str, str]] = []
    found: set[str] = set()
    failed: list[ZonescoreError] = []
    wanted = wanted_columns(assessment)
    for path in paths:
        try:
            table, digest = read_table(path, sheet, wanted.values())
        except (DataError, InputFileError) as exc:
            failed.append(exc)
            continue
        sources.append((path, digest))
        part = _check_part(assessment, path, table, problems, notes)
        found.update(wanted[name] for name in part.headers)
        if part.rows is not None:
            parts.append(part)
    return parts, sources, found, failed


def _refuse_repeats(paths: list[str]) -> None:
    seen: dict[object, str] = {}
    for path in paths:
        key = _file_key(path)
        if key in seen:
            raise OptionError(tr("The same data file is given twice: {path}", path=path),
                              [Problem(tr("data file repeated"), file=path, field="--data",
                                       found=tr("{first} and {second}", first=seen[key], second=path),
                                       expected=tr("each department's file once"))])
        seen[key] = path


def _check_part(assessment: Assessment, path: str, table: pd.DataFrame, problems: list[Problem],
                notes: list[str]) -> _Part:
    """One file's checks; ``rows`` is None if it has no id column (it cannot be joined)."""
    id_column = assessment.spec.id_column
    headers: dict[str, str] = {}
    frame = check_columns(assessment, table, path, problems, require_all=False, notes=notes, columns=headers)
    if id_column not in headers:
        present = [c for c in table.columns if c != LINE_COLUMN]
        guess = closest(id_column, present)
        expected = tr("a column headed '{header}' in every file, to join the files on", header=id_column)
        if guess:
            expected = tr("{expected} (did you mean '{guess}'?)", expected=expected, guess=guess)
        problems.append(Problem(tr("missing id column"), file=path, line=int(table.attrs.get("header_line", 1)),
                                field=id_column, found=tr("columns: {columns}", columns=", ".join(present)),
                                expected=expected))
        return _Part(path, table, frame, None, headers)
    rows: dict[str, int] = {}
    for position, unit_id in enumerate(frame[id_column]):
        if unit_id != "":
            rows.setdefault(unit_id, position)
    return _Part(path, table, frame, rows, headers)


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
            problems.append(Problem(tr("the same content as another data file"), file=path, field="--data",
                                    found=tr("{path} identical to {other} (sha256 {digest})", path=path,
                                             other=first[digest], digest=digest[:12]),
                                    expected=tr("one file per department, each with its own columns")))
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
        lacking = [part for part in parts if unit_id not in part.rows]
        others = [part.path for part in lacking]
        if len(holders) == 1:
            holder = holders[0]
            guess = closest(unit_id, {i for part in lacking for i in part.rows if i not in holder.rows})
            expected = (tr("every unit in every file (a mistyped id? did you mean {guess}?)", guess=repr(guess))
                        if guess else tr("every unit in every file (a mistyped id, or a row missing there?)"))
            problems.append(Problem(tr("unit {unit} appears in this file only", unit=_unit(unit_id, names)),
                                    file=holder.path, line=int(holder.frame[LINE_COLUMN].iat[holder.rows[unit_id]]),
                                    field=holder.headers[id_column],
                                    found=tr("no row for {unit} in {paths}", unit=repr(unit_id),
                                             paths=", ".join(others)),
                                    expected=expected))
            continue
        present = ", ".join(_where(part, unit_id) for part in holders)
        for part in lacking:
            problems.append(Problem(tr("unit {unit} is missing from this file", unit=_unit(unit_id, names)),
                                    file=part.path, field=part.headers[id_column],
                                    found=tr("no row for {unit}", unit=repr(unit_id)),
                                    expected=tr("a row for it, as in {where}", where=present)))


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
        holders = [part for part in parts if name in part.headers]
        if len(holders) < 2:
            continue
        first = holders[0]
        for other in holders[1:]:
            for unit_id in sorted(set(first.rows) & set(other.rows)):
                i, j = first.rows[unit_id], other.rows[unit_id]
                a, b = first.frame[name].iat[i], other.frame[name].iat[j]
                if _same(a, b):
                    continue
                shown_a = _cell(first.table[first.headers[name]].iat[i])
                shown_b = _cell(other.table[other.headers[name]].iat[j])
                problems.append(Problem(tr("unit {unit}: different values in two files", unit=_unit(unit_id, names)),
                                        file=other.path, line=int(other.frame[LINE_COLUMN].iat[j]),
                                        field=other.headers[name],
                                        found=tr("{value} in {where}", value=shown_b, where=_where(other, unit_id)),
                                        expected=tr("{value} as in {where} (the same value in both files, or the "
                                                    "column in one file only)", value=shown_a,
                                                    where=_where(first, unit_id))))


def _cell(text) -> str:
    text = str(text)
    return repr(text) if text.strip() else tr("an empty cell")


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
