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
from ..errors import InternalError, Problem, ScoringError
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
    raw, applied = _point_amounts(assessment, env, fired, index)
    pooled, pool_cut = _apply_pools(assessment, applied)
    factors = _factors(assessment, env, fired, index)
    factor = factors.prod(axis=1) if len(factors.columns) else pd.Series(1.0, index=index)
    points = pooled.sum(axis=1) if len(pooled.columns) else pd.Series(0.0, index=index)
    unclamped = (base_total + points) * factor
    lo = -np.inf if assessment.spec.total_min is None else assessment.spec.total_min
    hi = np.inf if assessment.spec.total_max is None else assessment.spec.total_max
    total = unclamped.clip(lo, hi)
    require_finite(total.to_numpy(float), "total", index)
    result = AdjustmentResult(fired, raw, applied, pool_cut, factors, points, factor, total - unclamped, total)
    _statuses(assessment, fired, result)
    return result


def _point_amounts(assessment, env, fired, unit_ids):
    raw, applied = {}, {}
    for rule in assessment.spec.adjustments:
        if rule.action not in POINT_ACTIONS:
            continue
        mask = fired[rule.id].to_numpy()
        amount = evaluate(assessment.exprs[f"adjustment.{rule.id}.points"], env).astype(float)
        amount = defined_where_fired(assessment, rule, "points", amount, mask, unit_ids, 0.0)
        capped = np.clip(amount, -np.inf if rule.min is None else rule.min, np.inf if rule.max is None else rule.max)
        sign = 1.0 if rule.action == "bonus" else -1.0
        raw[rule.id] = sign * amount
        applied[rule.id] = sign * capped
    index = fired.index
    return pd.DataFrame(raw, index=index), pd.DataFrame(applied, index=index)


def defined_where_fired(assessment, rule, key: str, amount: np.ndarray, fired: np.ndarray, unit_ids,
                        neutral: float) -> np.ndarray:
    """``amount`` where the rule fired, ``neutral`` elsewhere (arrays of units or draws x units).

    An amount that is missing where the rule fired (division by zero, log of zero, a missing
    cell) is a :class:`ScoringError` naming the units: a bonus is never silently 0 or huge."""
    amount, fired = np.broadcast_arrays(amount, fired)
    bad = fired & ~np.isfinite(amount)
    if bad.any():
        where = np.flatnonzero(bad.reshape(-1, bad.shape[-1]).any(axis=0))
        units = _units(bad, unit_ids)
        position = next(i for i, r in enumerate(assessment.spec.adjustments) if r is rule)
        loc = ("adjustments", position, key)
        raise ScoringError(f"The {key} of rule '{rule.id}' are undefined for {where.size} unit(s)", [Problem(
            f"undefined for unit(s) {units} (division by zero, log of zero or less, or a missing value)",
            file=assessment.path, line=assessment.lines.line(loc), field=f"adjustments.{rule.id}.{key}",
            found=repr(assessment.exprs[f"adjustment.{rule.id}.{key}"].text),
            expected="a number for every unit the rule applies to, e.g. if(b > 0, a / b, 0)")])
    return np.where(fired, amount, neutral)


MAX_TOTAL = 1e15  # the largest number a rule file may hold; a total beyond it is nonsense, not a score


def require_finite(values: np.ndarray, what: str, unit_ids) -> None:
    """Stop before a non-finite (InternalError) or absurdly large (ScoringError) total reaches a rank."""
    values = np.asarray(values, float)
    bad = ~np.isfinite(values)
    if bad.any():
        raise InternalError(f"Internal error: a {what} is not a finite number; no result is given",
                            [Problem(f"{what} undefined for unit(s) {_units(bad, unit_ids)}",
                                     expected="finite numbers (please report this with the rule and data files)")])
    huge = np.abs(values) > MAX_TOTAL
    if huge.any():
        raise ScoringError(f"A {what} is out of range", [Problem(
            f"{what} beyond ±{MAX_TOTAL:.0e} for unit(s) {_units(huge, unit_ids)}",
            expected="points of an ordinary size: check the data's magnitudes and the rules' points and factors")])


def _units(mask: np.ndarray, unit_ids) -> str:
    where = np.flatnonzero(mask.reshape(-1, mask.shape[-1]).any(axis=0))
    return ", ".join(str(unit_ids[i]) for i in where[:10]) + (" …" if where.size > 10 else "")


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


def _factors(assessment, env, fired, unit_ids):
    factors = {}
    for rule in assessment.spec.adjustments:
        if rule.action == "multiply":
            value = evaluate(assessment.exprs[f"adjustment.{rule.id}.factor"], env).astype(float)
            factors[rule.id] = defined_where_fired(assessment, rule, "factor", value, fired[rule.id].to_numpy(),
                                                   unit_ids, 1.0)
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
