"""The scoring pipeline: data -> indicator points -> adjustments -> ranking -> outcomes."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..api.assessment import Assessment, load_assessment
from .adjust import AdjustmentResult, adjustment_env, apply_adjustments, excluded_before_scoring
from .conditions import engine_for
from .ranking import Ranking, check_outcome_sizes, displayed, rank_units
from .tree import PEER_MASK, TreeScores, score_tree, value_columns
from ..io.data import UnitData, load_data


@dataclass
class RunResult:
    """Everything one scoring run produced, as data. Renderers and explanations read from here."""

    assessment: Assessment
    data: UnitData
    columns: dict[str, np.ndarray]
    tree: TreeScores
    adjustments: AdjustmentResult
    ranking: Ranking
    engine: str = "durable-rules"  # the backend that evaluated the rule conditions (scoring.engine.conditions)
    timestamp: str | None = None  # wall-clock time, only when asked for (provenance.stamp)
    _arrays: dict | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def index(self) -> pd.Index:
        return self.data.frame.index

    @property
    def total(self) -> pd.Series:
        return self.adjustments.total

    def name(self, unit_id: str) -> str:
        return str(self.data.frame.at[unit_id, self.assessment.spec.name_column])

    def outcome_label(self, outcome_id: str | None) -> str | None:
        return None if outcome_id is None else self.assessment.outcome(outcome_id).title

    def table(self) -> pd.DataFrame:
        """One row per unit in rank order (excluded units last) with the headline numbers."""
        spec = self.assessment.spec
        frame = self.data.frame
        order = self.ranking.order
        rows = self.index.get_indexer(order)  # every column below is indexed by the units, in data order

        def take(series: pd.Series) -> np.ndarray:
            return series.to_numpy()[rows]

        table = pd.DataFrame({"id": order, "name": take(frame[spec.name_column])}, index=order)
        for column in spec.display_columns:
            table[column] = take(frame[column])
        table["position"] = take(self.ranking.position)
        table["rank"] = take(self.ranking.display_rank)
        for group_id in self.assessment.top_level:
            table[group_id] = take(self.tree.points[group_id])
        table["base_total"] = take(self.tree.base_total)
        table["adjustments"] = take(self.total - self.tree.base_total)
        table["total"] = take(self.total)
        table["outcome"] = take(self.ranking.outcome)
        table["status"] = take(self.ranking.status)
        return table

    def firings(self, unit_id: str) -> list[dict]:
        """The adjustment rules that fired for a unit, in rule-file order, with their effect."""
        columns, row = self._adjustment_arrays(), self.index.get_loc(unit_id)
        records = []
        for rule in self.assessment.spec.adjustments:
            if not columns["fired"][rule.id][row]:
                continue
            record = {"rule": rule.id, "label": rule.title, "action": rule.action}
            if rule.id in columns["applied"]:
                applied, raw = float(columns["applied"][rule.id][row]), float(columns["raw"][rule.id][row])
                record.update(points=applied, capped=raw - applied)
            if rule.id in columns["factors"]:
                record["factor"] = float(columns["factors"][rule.id][row])
            if rule.outcome is not None:
                record["outcome"] = rule.outcome
            if rule.note:
                record["note"] = rule.note
            records.append(record)
        for pool in self.assessment.spec.pools:
            cut = float(columns["pool_cut"][pool.id][row]) if pool.id in columns["pool_cut"] else 0.0
            if cut:
                records.append({"rule": f"pool:{pool.id}", "label": pool.label or pool.id, "action": "pool_cap",
                                "points": cut})
        clamp = float(columns["clamp"][row])
        if clamp:
            records.append({"rule": "total_limit", "label": "total_min/total_max", "action": "total_cap",
                            "points": clamp})
        return records

    def _adjustment_arrays(self) -> dict:
        """The adjustment frames as numpy columns (made once): a unit's firings are then read by position."""
        if self._arrays is None:
            adj = self.adjustments
            self._arrays = {name: {c: frame[c].to_numpy() for c in frame.columns}
                            for name, frame in (("fired", adj.fired), ("applied", adj.applied), ("raw", adj.raw),
                                                ("factors", adj.factors), ("pool_cut", adj.pool_cut))}
            self._arrays["clamp"] = adj.clamp.to_numpy()
        return self._arrays

    def outcome_counts(self) -> dict[str, int]:
        """Number of units per outcome id, in rule-file order (zero counts included)."""
        counts = self.ranking.outcome.value_counts()
        return {o.id: int(counts.get(o.id, 0)) for o in self.assessment.spec.outcomes}


def tie_keys(assessment: Assessment, frame: pd.DataFrame, columns: dict, points: pd.DataFrame,
             total: pd.Series) -> dict[str, np.ndarray]:
    """Values every tie-break key can refer to; 'total' is the displayed (rounded) total."""
    keys = {name: np.asarray(values) for name, values in columns.items()}
    keys.update({node_id: points[node_id].to_numpy(float) for node_id in points.columns})
    keys["total"] = displayed(total, assessment.spec.precision)
    keys["name"] = frame[assessment.spec.name_column].to_numpy(object)
    return keys


def run_assessment(assessment: Assessment, data: UnitData, engine: str = "auto") -> RunResult:
    """Score, adjust, rank and classify every unit of ``data`` under ``assessment``.

    ``engine`` evaluates the adjustment conditions: "durable-rules" (each firing checked against
    numpy), "numpy", or "auto" (durable-rules up to ``conditions.NUMPY_ABOVE`` units)."""
    frame = data.frame
    engine = engine_for(engine, len(frame))
    check_outcome_sizes(assessment, len(frame), data.sources[0][0] if data.sources else "data")
    columns = value_columns(assessment, frame)
    excluded = excluded_before_scoring(assessment, columns, len(frame), list(frame.index), engine)
    if excluded is not None and excluded.any():
        columns[PEER_MASK] = ~excluded  # 不参评 units do not move the others' peer statistics
    tree = score_tree(assessment, frame, columns)
    env = adjustment_env(assessment, columns, tree.points, tree.base_total)
    adjustments = apply_adjustments(assessment, env, tree.base_total, engine=engine)
    keys = tie_keys(assessment, frame, columns, tree.points, adjustments.total)
    ranking = rank_units(assessment, keys, adjustments.total, adjustments.excluded, adjustments.exempt,
                         adjustments.forced, adjustments.vetoed)
    return RunResult(assessment, data, columns, tree, adjustments, ranking, engine)


def run_files(rules: str | Path, data: str | Path | Sequence[str | Path], sheet: str | None = None,
              engine: str = "auto") -> RunResult:
    """Load a rule file and one data file (or several, joined on the unit id), then :func:`run_assessment`.

    ``sheet`` names the worksheet to read from .xlsx data files (default: the first sheet).
    """
    assessment = load_assessment(rules)
    return run_assessment(assessment, load_data(assessment, data, sheet), engine)
