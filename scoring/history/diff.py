"""What changed between two recorded runs: units (rank, total, outcome), data cells, and the rule file.

Cells are compared file by file (same position, unit id and column header); a changed cell names
the correction that made it (the run, its reason) when one of the runs between the two, following
the parent links, recorded it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .amend import _table
from .record import stored_files
from .runs import find_run
from .store import connect


@dataclass
class Comparison:
    first: dict
    second: dict
    units: list[dict] = field(default_factory=list)   # unit, name, rank/total/outcome before and after
    cells: list[dict] = field(default_factory=list)   # unit, column, file, old, new, run, reason
    rules_diff: list[str] = field(default_factory=list)
    outcome_labels: dict[str, str] = field(default_factory=dict)
    rules_spec: object | None = None


def _units(connection, run_id: int) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in connection.execute(
        "SELECT unit, name, rank, total, outcome FROM units WHERE run = ?", (run_id,))}


def _unit_changes(before: dict, after: dict) -> list[dict]:
    changes = []
    for unit in sorted(set(before) | set(after)):
        old, new = before.get(unit, (None,) * 4), after.get(unit, (None,) * 4)
        old_total = None if old[2] is None else round(old[2], 6)
        new_total = None if new[2] is None else round(new[2], 6)
        if (old[1], old_total, old[3]) != (new[1], new_total, new[3]):
            changes.append({"unit": unit, "name": new[0] or old[0], "rank_before": old[1], "rank_after": new[1],
                            "total_before": old[2], "total_after": new[2], "outcome_before": old[3],
                            "outcome_after": new[3]})
    return sorted(changes, key=lambda c: (c["rank_after"] is None, c["rank_after"] or 0, c["unit"]))


def _cells(rows: list[list[str]], id_header: str) -> dict[tuple[str, str], str]:
    """(unit id, column header) -> cell text of a data file (the id column found by its header)."""
    header = [h.strip() for h in rows[0]]
    key = header.index(id_header) if id_header in header else 0
    return {(row[key].strip(), header[j]): cell for row in rows[1:] if len(row) > key
            for j, cell in enumerate(row) if j < len(header)}


def _corrections(connection, first: dict, second: dict) -> dict[tuple[str, str], tuple[int, str]]:
    """(unit, column) -> (run, reason) of the corrections recorded on the way from ``first`` to ``second``."""
    found, run_id, seen = {}, second["id"], set()
    while run_id is not None and run_id != first["id"] and run_id not in seen:
        seen.add(run_id)
        parent, reason = connection.execute("SELECT parent, reason FROM runs WHERE id = ?", (run_id,)).fetchone()
        for unit, column in connection.execute('SELECT unit, "column" FROM corrections WHERE run = ?', (run_id,)):
            found.setdefault((unit, column), (run_id, reason))
        run_id = parent
    return found


def compare_runs(store: Path, first_ref: str, second_ref: str) -> Comparison:
    connection = connect(store)
    try:
        first, second = find_run(connection, first_ref), find_run(connection, second_ref)
        files_a, files_b = stored_files(connection, first), stored_files(connection, second)
        comparison = Comparison(first, second, _unit_changes(_units(connection, first["id"]),
                                                              _units(connection, second["id"])))
        why = _corrections(connection, first, second)
    finally:
        connection.close()
    comparison.rules_spec, comparison.outcome_labels = _spec_of(files_b)
    id_header = comparison.rules_spec.id_column
    for (path, a), (_, b) in zip(files_a.data, files_b.data):
        if a == b:
            continue
        before, after = _cells(_table(a, path), id_header), _cells(_table(b, path), id_header)
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                run_id, reason = why.get(key, (None, None))
                comparison.cells.append({"unit": key[0], "column": key[1], "file": path, "old": before.get(key),
                                         "new": after.get(key), "run": run_id, "reason": reason})
    if files_a.rules != files_b.rules:
        comparison.rules_diff = list(difflib.unified_diff(
            files_a.rules.decode("utf-8-sig").splitlines(), files_b.rules.decode("utf-8-sig").splitlines(),
            f"#{first['id']} {first['rules_path']}", f"#{second['id']} {second['rules_path']}", lineterm=""))
    return comparison


def _spec_of(files):
    """The second run's rule file (for the output's language and the outcome labels)."""
    import tempfile

    from ..api.assessment import load_assessment

    with tempfile.TemporaryDirectory(prefix="zonescore-") as folder:
        path = Path(folder, Path(files.rules_path).name)
        path.write_bytes(files.rules)
        spec = load_assessment(path).spec
    return spec, {o.id: o.title for o in spec.outcomes}
