"""What the store keeps of each unit of a run: inputs, values, points, adjustments, total, rank, outcome."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd


def _plain(value):
    """A JSON-ready scalar: numbers as float (missing: None), text as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return None if not math.isfinite(number) else number
    if pd.isna(value):
        return None
    return str(value)


def _dumps(mapping: dict) -> str:
    return json.dumps(mapping, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def unit_rows(result) -> list[tuple]:
    """One row per unit, in rank order: (unit, name, position, rank, base, total, outcome, status, inputs,
    values, points, adjustments) with the last four as JSON."""
    assessment = result.assessment
    spec = assessment.spec
    frame = result.data.frame
    derived = list(spec.derived)
    rows = []
    for unit_id in result.ranking.order:
        row = result.index.get_loc(unit_id)
        inputs = {name: _plain(frame.at[unit_id, name]) for name in spec.inputs}
        values = {name: _plain(result.columns[name][row]) for name in derived}
        points = {node: _plain(result.tree.points.at[unit_id, node]) for node in result.tree.points.columns}
        firings = [{k: _plain(v) if not isinstance(v, str) else v for k, v in f.items()}
                   for f in result.firings(unit_id)]
        rank, position = result.ranking.display_rank[unit_id], result.ranking.position[unit_id]
        outcome = result.ranking.outcome[unit_id]
        rows.append((unit_id, result.name(unit_id), None if pd.isna(position) else int(position),
                     None if pd.isna(rank) else int(rank), _plain(result.tree.base_total[unit_id]),
                     _plain(result.total[unit_id]), outcome if isinstance(outcome, str) else None,
                     str(result.ranking.status[unit_id]), _dumps(inputs), _dumps(values), _dumps(points),
                     _dumps({"fired": firings})))
    return rows
