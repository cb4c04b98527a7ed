"""Earlier years' final results joined into a run: the ``prev.*`` and ``streak()`` columns.

The previous years of a run are the final (终审) runs of the same assessment series recorded for
earlier years (the latest final of each year). The series of a rule file is its ``id`` without
a trailing year (``qingpu-2023`` → ``qingpu``), so that each year's rule file continues the last.
Values are joined by unit id; a unit without a final result that year (a new zone), or a run
without a store, gets missing values, which the rules treat by their missing-value policy.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..api.expr_history import HISTORY_FIELDS, history_name, parse_history_name
from .store import FINAL

MAX_YEARS_BACK = 50
SHOWN = tuple(history_name(1, field) for field in HISTORY_FIELDS)  # prev.rank, prev.total, prev.outcome


@dataclass(frozen=True)
class Previous:
    """Which final runs a run read: years back -> (run id, year), and each run's output SHA-256."""

    runs: dict[int, tuple[int, int]]
    digests: dict[int, str]  # run id -> output sha256

    @property
    def last_year(self) -> tuple[int, int] | None:
        return self.runs.get(1)

    @property
    def sources(self) -> list[tuple[str, str]]:
        """``("2022:终审 #1", output sha256)`` of every run read (named as ``zonescore diff`` and ``reproduce``
        name runs), nearest year first: part of the provenance and so of the run id, since those
        results change this run's."""
        return [(f"{year}:{FINAL} #{run_id}", self.digests[run_id]) for _, (run_id, year) in sorted(self.runs.items())]


def series_of(assessment) -> str:
    """The assessment series: the rule file's id without a trailing ``-2023`` / ``_2023`` / ``2023``."""
    spec = assessment.spec
    year = spec.year
    series = re.sub(rf"[-_ ]?{year}$", "", spec.id) if year else spec.id
    return series or spec.id


def finals_before(connection: sqlite3.Connection, series: str, year: int) -> dict[int, int]:
    """Years back -> run id of the latest final run of ``series`` in that year, for every earlier year."""
    rows = connection.execute("SELECT year, max(id) FROM runs WHERE series = ? AND stage = ? AND year < ? "
                              "AND year >= ? GROUP BY year", (series, FINAL, year, year - MAX_YEARS_BACK))
    return {year - found: run_id for found, run_id in rows}


def _unit_values(connection: sqlite3.Connection, run_id: int) -> dict[str, dict]:
    """Unit id -> {rank, total, outcome, and every stored input, value and points}."""
    found = {}
    for unit, rank, total, outcome, inputs, values, points in connection.execute(
            'SELECT unit, rank, total, outcome, inputs, "values", points FROM units WHERE run = ?', (run_id,)):
        record = {**json.loads(points), **json.loads(values), **json.loads(inputs)}
        record.update(rank=rank, total=total, outcome=outcome)
        found[unit] = record
    return found


def _column(ids, records: dict[str, dict], attr: str, text: bool) -> np.ndarray:
    values = [records.get(unit, {}).get(attr) for unit in ids]
    if text:
        return np.array(values, dtype=object)
    return np.array([np.nan if v is None or isinstance(v, str) else float(v) for v in values], dtype=float)


def _streak(ids, by_depth: dict[int, dict[str, dict]], outcome: str) -> np.ndarray:
    counts = np.zeros(len(ids), dtype=float)
    going = np.ones(len(ids), dtype=bool)
    depth = 1
    while depth in by_depth and going.any():
        same = np.array([by_depth[depth].get(unit, {}).get("outcome") == outcome for unit in ids])
        going &= same
        counts += going
        depth += 1
    return counts


def attach_history(connection: sqlite3.Connection | None, assessment, data, history: dict[int, int]) -> None:
    """Join the history columns the rules read (and last year's rank, total and outcome) into ``data``."""
    if connection is None or not history:
        return
    found = {run_id: (year, digest) for run_id, year, digest in connection.execute(
        f"SELECT id, year, output_sha256 FROM runs WHERE id IN ({','.join('?' * len(history))})",
        list(history.values()))}
    data.previous = Previous({depth: (run_id, found[run_id][0]) for depth, run_id in history.items()},
                             {run_id: digest for run_id, (_, digest) in found.items()})
    ids = list(data.frame.index)
    by_depth = {depth: _unit_values(connection, run_id) for depth, run_id in history.items()}
    from ..api.expr_history import history_kinds

    names = [*assessment.history_names, *(SHOWN if 1 in history else ())]
    kinds = history_kinds(names, {n: spec.type for n, spec in assessment.spec.inputs.items()})
    columns = {}
    for name in dict.fromkeys(names):
        kind, depth, attr = parse_history_name(name)
        if kind == "streak":
            columns[name] = _streak(ids, by_depth, attr)
        elif depth in by_depth:
            columns[name] = _column(ids, by_depth[depth], attr, kinds[name] == "text")
    for name, values in columns.items():
        data.frame[name] = values


def run_with_history(rules: str, data_paths, sheet: str | None = None, engine: str = "auto",
                     store: Path | None = None, year: int | None = None):
    """``run_files`` with the earlier finals of the store (if the file exists) joined in."""
    from ..api.assessment import load_assessment
    from ..engine.run import run_assessment
    from ..io.data import load_data
    from .store import connect

    assessment = load_assessment(rules)
    data = load_data(assessment, data_paths, sheet)
    year = year or assessment.spec.year
    if store is not None and store.exists() and year is not None:
        connection = connect(store)
        try:
            attach_history(connection, assessment, data, finals_before(connection, series_of(assessment), year))
        finally:
            connection.close()
    return run_assessment(assessment, data, engine)


def rank_trends(store: Path, data) -> dict[str, list[tuple[int, int]]]:
    """Unit id -> [(year, final rank), …] of the earlier final runs joined into ``data`` (oldest first),
    for the trend line of the HTML report; empty without history."""
    previous = getattr(data, "previous", None)
    if previous is None or not previous.runs:
        return {}
    from .store import connect

    connection = connect(Path(store))
    try:
        trends: dict[str, list[tuple[int, int]]] = {}
        for _, (run_id, year) in sorted(previous.runs.items(), key=lambda item: -item[0]):
            for unit, rank in connection.execute("SELECT unit, rank FROM units WHERE run = ?", (run_id,)):
                if rank is not None:
                    trends.setdefault(unit, []).append((year, int(rank)))
        return trends
    finally:
        connection.close()
