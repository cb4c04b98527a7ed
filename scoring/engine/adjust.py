"""The adjustment rules of a run: fire their conditions, apply their actions, as per-unit frames.

The arithmetic of the actions lives in :mod:`.actions` (shared with robustness draws); this
module fires the conditions for the nominal run and presents what the actions did as frames
indexed by unit id, for tables, workbooks and explanations.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..api.assessment import Assessment
from ..api.expr import Env, evaluate
from .actions import POINT_ACTIONS, apply_actions
from .conditions import fire
from .tree import scenario_groups

__all__ = ["POINT_ACTIONS", "AdjustmentResult", "adjustment_env", "apply_adjustments", "excluded_before_scoring"]


@dataclass
class AdjustmentResult:
    """What the adjustment rules did to each unit (all frames indexed by unit id)."""

    fired: pd.DataFrame  # rule id -> bool
    raw: pd.DataFrame  # rule id -> signed points before the rule's cap (bonus/deduction rules)
    applied: pd.DataFrame  # rule id -> signed points after the rule's cap
    pool_cut: pd.DataFrame  # pool id -> signed points removed by the pool cap
    factors: pd.DataFrame  # rule id -> factor applied (1 where not fired)
    points: pd.Series  # sum of adjustments after pools
    factor: pd.Series  # product of factors
    clamp: pd.Series  # points added or removed by total_min/total_max
    total: pd.Series
    vetoed: dict[str, pd.Series] = field(default_factory=dict)  # outcome id -> bool
    forced: pd.Series | None = None  # outcome id or None
    exempt: pd.Series | None = None
    excluded: pd.Series | None = None
    flags: pd.Series | None = None  # list of rule ids that attached a flag


def adjustment_env(assessment: Assessment, columns: dict, points: pd.DataFrame, base_total: pd.Series,
                   groups: np.ndarray | None = None) -> Env:
    """Names a condition may read: inputs, derived values, node points and the base total
    (``groups``: scenario runs keep peer statistics within each scenario)."""
    names = dict(columns)
    names.update({node_id: points[node_id].to_numpy(float) for node_id in points.columns})
    names["total"] = base_total.to_numpy(float)
    return Env(names, len(base_total), groups)


def excluded_before_scoring(assessment: Assessment, columns: dict, size: int,
                            unit_ids=None, engine: str = "auto") -> np.ndarray | None:
    """Units that an ``exclude`` rule reading only inputs and derived values takes out (不参评).

    Known before scoring, they are kept out of the peer statistics of the units assessed. (An
    exclude rule that reads points or the total can only be applied after scoring: its units
    still count in the statistics.) The rules are fired by durable-rules, as all conditions are.
    """
    values = set(assessment.spec.inputs) | set(assessment.spec.derived)
    rules = [rule for rule in assessment.spec.adjustments if rule.action == "exclude"
             and assessment.rule_expr(rule).names <= values]
    if not rules:
        return None
    conditions = [assessment.rule_expr(rule) for rule in rules]
    env = Env(dict(columns), size, scenario_groups(columns))
    return fire(conditions, env, engine, [rule.id for rule in rules], unit_ids).any(axis=1)


def apply_adjustments(assessment: Assessment, env: Env, base_total: pd.Series,
                      fired_matrix: np.ndarray | None = None, engine: str = "auto") -> AdjustmentResult:
    """Fire the rules (with ``engine`` unless a matrix is given) and apply their actions."""
    rules = assessment.spec.adjustments
    index = base_total.index
    if fired_matrix is None:
        fired_matrix = fire([assessment.rule_expr(r) for r in rules], env, engine,
                            [r.id for r in rules], list(index))
    fired = {rule.id: fired_matrix[:, j] for j, rule in enumerate(rules)}
    amounts = {rule.id: evaluate(assessment.amount_expr(rule), env).astype(float)
               for rule in rules if assessment.amount_expr(rule) is not None}
    done = apply_actions(assessment, fired, amounts, base_total.to_numpy(float), index)
    series = lambda values, name=None: pd.Series(values, index=index, name=name)  # noqa: E731
    frame = lambda columns: pd.DataFrame(columns, index=index)  # noqa: E731
    outcome_ids = np.array([o.id for o in assessment.spec.outcomes] + [None], dtype=object)
    result = AdjustmentResult(
        pd.DataFrame(fired_matrix, index=index, columns=[r.id for r in rules]), frame(done.raw),
        frame(done.applied), frame(done.pool_cut), frame(done.factors), series(done.points), series(done.factor),
        series(done.clamp), series(done.total),
        {outcome: series(mask) for outcome, mask in done.vetoed.items()},
        pd.Series(outcome_ids[done.forced], index=index, dtype=object), series(done.exempt), series(done.excluded))
    result.flags = _flags(assessment, result.fired)
    return result


def _flags(assessment: Assessment, fired: pd.DataFrame) -> pd.Series:
    """The ids of the flag rules that fired, per unit, in rule-file order."""
    rules = [rule.id for rule in assessment.spec.adjustments if rule.action == "flag"]
    matrix = fired[rules].to_numpy(bool)
    flags = np.empty(len(matrix), dtype=object)
    flags[:] = [[] for _ in range(len(matrix))]
    for i in np.flatnonzero(matrix.any(axis=1)):  # only the units some flag rule fired for
        flags[i] = [rules[j] for j in np.flatnonzero(matrix[i])]
    return pd.Series(flags, index=fired.index, dtype=object)
