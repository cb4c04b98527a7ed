"""Score many variants of the data at once: one unit's input set to each of several values.

Used by explain's needed-value search. The variants are stacked as scenarios (scenario x unit
rows), scored by the run's own functions with every peer statistic kept within its scenario
(derived values, indicators, missing-value fills, conditions), then ranked and classified per
scenario by the one selection of :mod:`scoring.engine.select` (scenarios as draws).
Conditions are evaluated with numpy masks, which the rule engine is checked against in every
ordinary run. If any variant cannot be scored (e.g. a value that leaves a growth rate without a
base under ``missing: error``), each variant is scored on its own instead, so that one failure
marks only its own value.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..engine.adjust import adjustment_env, apply_adjustments, excluded_before_scoring
from ..engine.ranking import displayed, outcome_codes
from ..engine.select import id_codes, order_units, select_outcomes
from ..engine.tree import PEER_MASK, SCENARIO, scenario_groups, score_tree, value_columns
from ..io.data import UnitData
from ..errors import ZonescoreError
from ..engine.run import RunResult, run_assessment, tie_keys

FAILED = object()  # a variant that cannot be scored


def outcomes_for_values(result: RunResult, unit_id: str, name: str, values: Sequence[float]) -> list:
    """The unit's outcome id (None for no outcome, :data:`FAILED`) with input ``name`` at each value."""
    if not values:
        return []
    try:
        return _stacked(result, unit_id, name, list(values))
    except ZonescoreError:
        return [_single(result, unit_id, name, value) for value in values]


def _single(result: RunResult, unit_id: str, name: str, value: float):
    frame = result.data.frame.copy()
    frame.at[unit_id, name] = value
    try:
        rerun = run_assessment(result.assessment, UnitData(frame, result.data.sources), "numpy")
    except ZonescoreError:
        return FAILED
    outcome = rerun.ranking.outcome[unit_id]
    return outcome if isinstance(outcome, str) else None


def _stacked(result: RunResult, unit_id: str, name: str, values: list[float]) -> list:
    a, frame = result.assessment, result.data.frame
    count, size = len(values), len(frame)
    position = frame.index.get_loc(unit_id)
    stacked = pd.concat([frame] * count, ignore_index=True)  # row r: scenario r // size, unit r % size
    stacked[name] = stacked[name].astype(float)
    stacked.loc[np.arange(count) * size + position, name] = values
    scenario = np.repeat(np.arange(count), size)
    columns = value_columns(a, stacked, scenario.astype(str))
    columns[SCENARIO] = scenario
    rows = list(stacked.index)
    excluded = excluded_before_scoring(a, columns, len(stacked), rows, "numpy")
    if excluded is not None and excluded.any():
        columns[PEER_MASK] = ~excluded
    tree = score_tree(a, stacked, columns)
    env = adjustment_env(a, columns, tree.points, tree.base_total, scenario_groups(columns))
    adjusted = apply_adjustments(a, env, tree.base_total, engine="numpy")
    keys = tie_keys(a, stacked, columns, tree.points, adjusted.total)
    outcome = _classify(result, {k: np.asarray(v).reshape(count, size) for k, v in keys.items()}, adjusted,
                        count, size)
    labels = [o.id for o in a.spec.outcomes] + [None]
    return [labels[k] for k in outcome[:, position]]


def _classify(result: RunResult, keys: dict, adjusted, count: int, size: int) -> np.ndarray:
    a = result.assessment
    ids = result.index.to_numpy(object)
    id_code = id_codes(ids)

    def grid(series):
        return np.asarray(series.to_numpy()).reshape(count, size)

    shown = displayed(adjusted.total.to_numpy(float), a.spec.precision).reshape(count, size)
    excluded = grid(adjusted.excluded).astype(bool)
    order = order_units(a, {**keys, "total": shown}, excluded, id_code)
    forced = outcome_codes(a, adjusted.forced).reshape(count, size)
    vetoed = {o: grid(v).astype(bool) for o, v in adjusted.vetoed.items()}
    return select_outcomes(a, order, shown, excluded, grid(adjusted.exempt).astype(bool), forced, vetoed).outcome
