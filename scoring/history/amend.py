"""Objections (异议): corrected cells applied to a recorded run's data, scored again, recorded as a new run.

A corrections file is a CSV with the unit id column and only the corrected columns, headed as in
the data file (``编号,税收（万元）``); an empty cell leaves that cell as it was. The corrected data
file is the recorded one with those cells replaced (written back as UTF-8 CSV); the new run
(复核 by default) keeps the rule file and the earlier finals of the run it corrects, names it as its
parent, and stores every changed cell with its old and new text and the reason.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..errors import DataError, Problem
from ..messages import tr
from .record import StoredFiles, record_run, stored_files
from .runs import find_run
from .store import StoreError, connect


def _table(raw: bytes, shown: str) -> list[list[str]]:
    from ..io.csvread import decode_bytes

    text = decode_bytes(raw, shown).lstrip("\ufeff")
    return [row for row in csv.reader(io.StringIO(text)) if row]


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def read_corrections(path: str, id_header: str) -> list[tuple[int, str, str, str]]:
    """(line, unit id, column header, new text) of every non-empty corrected cell."""
    from ..io.data import _read_bytes

    rows = _table(_read_bytes(Path(path), path), path)
    if not rows or rows[0][0].strip() != id_header or len(rows[0]) < 2:
        raise DataError(tr("Corrections file has no id column: {path}", path=path),
                        [Problem(tr("the first column must be the unit id"), file=path, line=1,
                                 found=repr(rows[0][0] if rows else ""),
                                 expected=tr("'{id}' then the corrected columns", id=id_header))])
    header = [h.strip() for h in rows[0]]
    cells = []
    for line, row in enumerate(rows[1:], start=2):
        for header_name, value in zip(header[1:], row[1:]):
            if value.strip():
                cells.append((line, row[0].strip(), header_name, value.strip()))
    return cells


def apply_corrections(files: StoredFiles, cells, id_header: str, shown: str) -> tuple[StoredFiles, list[tuple]]:
    """The files with the cells replaced, and (unit, column, file, old, new) of every cell that changed."""
    tables = [_table(content, path) for path, content in files.data]
    problems, changes = [], []
    for line, unit, column, new in cells:
        found = False
        for (path, _), rows in zip(files.data, tables):
            header = [h.strip() for h in rows[0]]
            if column not in header or id_header not in header:
                continue
            found = True
            key, col = header.index(id_header), header.index(column)
            target = next((row for row in rows[1:] if len(row) > key and row[key].strip() == unit), None)
            if target is None:
                problems.append(Problem(tr("no such unit in the recorded data"), file=shown, line=line,
                                        field=id_header, found=repr(unit), expected=tr("a unit id of {file}", file=path)))
            elif target[col].strip() != new:
                changes.append((unit, column, path, target[col], new))
                target[col] = new
        if not found:
            problems.append(Problem(tr("no recorded data file has this column"), file=shown, line=line,
                                    field=column, found=repr(column), expected=tr("a column header of the data")))
    if problems:
        raise DataError(tr("Corrections cannot be applied: {path}", path=shown), problems)
    if not changes:
        raise DataError(tr("The corrections change nothing: {path}", path=shown),
                        [Problem(tr("every corrected cell equals the recorded one"), file=shown,
                                 expected=tr("at least one changed cell"))])
    touched = {path for _, _, path, _, _ in changes}
    data = [(path, _csv_bytes(rows) if path in touched else content)
            for (path, content), rows in zip(files.data, tables)]
    return StoredFiles(files.rules_path, files.rules, data, files.sheet), changes


def amend_run(store: Path, source: str, corrections: str, reason: str, stage: str = "复核"):
    """Apply ``corrections`` to run ``source`` and record the corrected run (parent: ``source``)."""
    connection = connect(store)
    try:
        run = find_run(connection, source)
        files = stored_files(connection, run)
    finally:
        connection.close()
    from ..io.data import WORKBOOK_SUFFIXES

    if any(Path(path).suffix.lower() in WORKBOOK_SUFFIXES for path, _ in files.data):
        raise StoreError(tr("Corrections apply to CSV data only"),
                         [Problem(tr("the recorded data includes a workbook"), found=run["rules_path"],
                                  expected=tr("data recorded from CSV files"))])
    from ..api.assessment import load_assessment  # the id column's header, from the recorded rule file
    import tempfile

    with tempfile.TemporaryDirectory(prefix="zonescore-") as folder:
        rules = Path(folder, Path(files.rules_path).name)
        rules.write_bytes(files.rules)
        id_header = load_assessment(rules).spec.id_column
    corrected, changes = apply_corrections(files, read_corrections(corrections, id_header), id_header, corrections)
    history = {int(k): v for k, v in json.loads(run["history"]).items()}
    recorded = record_run(store, corrected, stage, run["year"], None, parent=run["id"], reason=reason,
                          corrections=changes, history=history, engine=run["engine"])
    return recorded, changes


def promote_run(store: Path, source: str, stage: str, note: str | None = None):
    """Record a run's stored files again at another stage (``复核`` → ``终审``), with the same earlier
    finals; the new run names ``source`` as its parent."""
    connection = connect(store)
    try:
        run = find_run(connection, source)
        files = stored_files(connection, run)
    finally:
        connection.close()
    history = {int(k): v for k, v in json.loads(run["history"]).items()}
    return record_run(store, files, stage, run["year"], note, parent=run["id"], history=history,
                      engine=run["engine"])
