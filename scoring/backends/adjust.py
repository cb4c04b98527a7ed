"""Apply the actions of the adjustment rules that fired: points, caps, pools, factors, statuses.

Order of work (documented in docs/rules.md):
1. each bonus/deduction rule that fired gives its ``points`` (bonus adds, deduction subtracts),
   limited by the rule's own ``max`` (and ``min``) on the amount;
2. rules in a pool are summed and the sum is clipped to the pool's ``min``/``max`` (signed);
3. total = (base total + adjustments) x the product of the ``multiply`` factors that fired;
4. the total is clipped to ``total_min``/``total_max`` (扣完为止: ``total_min: 0``).
Vetoes, forced outcomes, exemptions, exclusions and flags are collected per unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..api.assessment import Assessment
from ..expr import Env, evaluate
from .durable_rules import fire_rules

POINT_ACTIONS = ("bonus", "deduction")


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


def adjustment_env(assessment: Assessment, columns: dict, points: pd.DataFrame, base_total: pd.Series) -> Env:
    """Names a condition may read: inputs, derived values, node points and the base total."""
    names = dict(columns)
    names.update({node_id: points[node_id].to_numpy(float) for node_id in points.columns})
    names["total"] = base_total.to_numpy(float)
    return Env(names, len(base_total))


def excluded_before_scoring(assessment: Assessment, columns: dict, size: int,
                            unit_ids=None) -> np.ndarray | None:
    """Units that an ``exclude`` rule reading only inputs and derived values takes out (不参评).

    Known before scoring, they are kept out of the peer statistics of the units assessed. (An
    exclude rule that reads points or the total can only be applied after scoring: its units
    still count in the statistics.) The rules are fired by durable-rules, as all conditions are.
    """
    values = set(assessment.spec.inputs) | set(assessment.spec.derived)
    rules = [rule for rule in assessment.spec.adjustments if rule.action == "exclude"
             and assessment.exprs[f"adjustment.{rule.id}.when"].names <= values]
    if not rules:
        return None
    conditions = [assessment.exprs[f"adjustment.{rule.id}.when"] for rule in rules]
    return fire_rules(conditions, Env(dict(columns), size), [rule.id for rule in rules], unit_ids).any(axis=1)


def apply_adjustments(assessment: Assessment, env: Env, base_total: pd.Series,
                      fired_matrix: np.ndarray | None = None) -> AdjustmentResult:
    """Fire the rules (via durable-rules unless a matrix is given) and apply their actions."""
    rules = assessment.spec.adjustments
    index = base_total.index
    if fired_matrix is None:
        fired_matrix = fire_rules([assessment.exprs[f"adjustment.{r.id}.when"] for r in rules], env,
                                  [r.id for r in rules], list(index))
    fired = pd.DataFrame(fired_matrix, index=index, columns=[r.id for r in rules])
    raw, applied = _point_amounts(assessment, env, fired)
    pooled, pool_cut = _apply_pools(assessment, applied)
    factors = _factors(assessment, env, fired)
    factor = factors.prod(axis=1) if len(factors.columns) else pd.Series(1.0, index=index)
    points = pooled.sum(axis=1) if len(pooled.columns) else pd.Series(0.0, index=index)
    unclamped = (base_total + points) * factor
    lo = -np.inf if assessment.spec.total_min is None else assessment.spec.total_min
    hi = np.inf if assessment.spec.total_max is None else assessment.spec.total_max
    total = unclamped.clip(lo, hi)
    result = AdjustmentResult(fired, raw, applied, pool_cut, factors, points, factor, total - unclamped, total)
    _statuses(assessment, fired, result)
    return result


def _point_amounts(assessment, env, fired):
    raw, applied = {}, {}
    for rule in assessment.spec.adjustments:
        if rule.action not in POINT_ACTIONS:
            continue
        amount = np.nan_to_num(evaluate(assessment.exprs[f"adjustment.{rule.id}.points"], env).astype(float))
        capped = np.clip(amount, -np.inf if rule.min is None else rule.min, np.inf if rule.max is None else rule.max)
        sign = 1.0 if rule.action == "bonus" else -1.0
        mask = fired[rule.id].to_numpy()
        raw[rule.id] = np.where(mask, sign * amount, 0.0)
        applied[rule.id] = np.where(mask, sign * capped, 0.0)
    index = fired.index
    return pd.DataFrame(raw, index=index), pd.DataFrame(applied, index=index)


def _apply_pools(assessment, applied: pd.DataFrame):
    """Clip the sum of each pool's rules; returns (amount per rule or pool, cut per pool)."""
    pooled = applied.copy()
    cuts = {}
    for pool in assessment.spec.pools:
        members = [r.id for r in assessment.spec.adjustments if r.pool == pool.id and r.id in applied.columns]
        subtotal = applied[members].sum(axis=1) if members else pd.Series(0.0, index=applied.index)
        clipped = subtotal.clip(-np.inf if pool.min is None else pool.min, np.inf if pool.max is None else pool.max)
        cuts[pool.id] = clipped - subtotal
        pooled[f"pool:{pool.id}"] = cuts[pool.id]
    return pooled, pd.DataFrame(cuts, index=applied.index)


def _factors(assessment, env, fired):
    factors = {}
    for rule in assessment.spec.adjustments:
        if rule.action == "multiply":
            value = evaluate(assessment.exprs[f"adjustment.{rule.id}.factor"], env).astype(float)
            factors[rule.id] = np.where(fired[rule.id].to_numpy(), np.nan_to_num(value, nan=1.0), 1.0)
    return pd.DataFrame(factors, index=fired.index)


def _statuses(assessment, fired: pd.DataFrame, result: AdjustmentResult) -> None:
    index = fired.index
    forced = pd.Series([None] * len(index), index=index, dtype=object)
    exempt = pd.Series(False, index=index)
    excluded = pd.Series(False, index=index)
    flags = pd.Series([[] for _ in index], index=index, dtype=object)
    for rule in assessment.spec.adjustments:
        mask = fired[rule.id]
        if rule.action == "veto":
            result.vetoed[rule.outcome] = result.vetoed.get(rule.outcome, pd.Series(False, index=index)) | mask
        elif rule.action == "force":
            forced = forced.where(~(mask & forced.isna()), rule.outcome)  # first forcing rule wins
        elif rule.action == "exempt":
            exempt |= mask
        elif rule.action == "exclude":
            excluded |= mask
        elif rule.action == "flag":
            for unit_id in index[mask.to_numpy()]:
                flags[unit_id] = flags[unit_id] + [rule.id]
    result.forced, result.exempt, result.excluded, result.flags = forced, exempt, excluded, flags
