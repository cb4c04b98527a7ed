"""The actions of the adjustment rules that fired, on units or on draws x units: the one implementation.

Order of work (documented in docs/rules.md):
1. each bonus/deduction rule that fired gives its ``points`` (bonus adds, deduction subtracts),
   limited by the rule's own ``max`` (and ``min``) on the amount;
2. rules in a pool are summed and the sum is clipped to the pool's ``min``/``max`` (signed);
3. total = (base total + adjustments) x the product of the ``multiply`` factors that fired;
4. the total is clipped to ``total_min``/``total_max`` (扣完为止: ``total_min: 0``).
Vetoes, forced outcomes, exemptions and exclusions are collected per unit (and draw).

A nominal run calls :func:`apply_actions` with arrays of units; robustness draws with arrays of
draws x units. Amounts that are undefined where a rule fires stop the run (never 0 or huge).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InternalError, Problem, ScoringError
from ..messages import tr
from ..registry import FACTOR_ACTIONS, POINT_ACTIONS, POINT_SIGN
MAX_TOTAL = 1e15  # the largest number a rule file may hold; a total beyond it is nonsense, not a score


@dataclass
class Actions:
    """What the rules did, per unit (or per draw and unit). Rule and pool ids key the dicts."""

    raw: dict[str, np.ndarray]  # point rules: signed points before the rule's cap (0 where not fired)
    applied: dict[str, np.ndarray]  # point rules: signed points after the rule's cap
    pool_cut: dict[str, np.ndarray]  # pools: signed points removed by the pool's limits
    factors: dict[str, np.ndarray]  # multiply rules: factor applied (1 where not fired)
    points: np.ndarray  # sum of adjustments after pools
    factor: np.ndarray  # product of factors
    clamp: np.ndarray  # points added or removed by total_min/total_max
    total: np.ndarray
    vetoed: dict[str, np.ndarray] = field(default_factory=dict)  # outcome id -> barred
    forced: np.ndarray | None = None  # index of the forced outcome, -1 where none
    exempt: np.ndarray | None = None
    excluded: np.ndarray | None = None


def apply_actions(assessment, fired: dict, amounts: dict, base_total: np.ndarray, unit_ids) -> Actions:
    """Points, pools, factors, total limits and statuses of the rules that fired."""
    spec = assessment.spec
    raw, applied, factors = {}, {}, {}
    for rule in spec.adjustments:
        if rule.action in POINT_ACTIONS:
            raw[rule.id], applied[rule.id] = _points(assessment, rule, amounts[rule.id], fired[rule.id], unit_ids)
        elif rule.action in FACTOR_ACTIONS:
            factors[rule.id] = defined_where_fired(assessment, rule, "factor", amounts[rule.id], fired[rule.id],
                                                   unit_ids, 1.0)
    pool_cut = _pool_cuts(spec, applied, base_total)
    points = _sum(list(applied.values()) + list(pool_cut.values()), base_total)
    factor = _product(list(factors.values()), base_total)
    unclamped = (base_total + points) * factor
    total = np.clip(unclamped, -np.inf if spec.total_min is None else spec.total_min,
                    np.inf if spec.total_max is None else spec.total_max)
    require_finite(total, tr("total"), unit_ids)
    actions = Actions(raw, applied, pool_cut, factors, points, factor, total - unclamped, total)
    _statuses(assessment, fired, actions, np.shape(total))
    return actions


def _points(assessment, rule, amount, fired, unit_ids):
    amount = defined_where_fired(assessment, rule, "points", amount, fired, unit_ids, 0.0)
    capped = np.clip(amount, -np.inf if rule.min is None else rule.min, np.inf if rule.max is None else rule.max)
    sign = POINT_SIGN[rule.action]
    return np.where(fired, sign * amount, 0.0), np.where(fired, sign * capped, 0.0)


def _pool_cuts(spec, applied: dict, like: np.ndarray) -> dict[str, np.ndarray]:
    cuts = {}
    for pool in spec.pools:
        members = [applied[r.id] for r in spec.adjustments if r.pool == pool.id and r.id in applied]
        subtotal = _sum(members, like)
        clipped = np.clip(subtotal, -np.inf if pool.min is None else pool.min,
                          np.inf if pool.max is None else pool.max)
        cuts[pool.id] = clipped - subtotal
    return cuts


def _sum(parts: list[np.ndarray], like: np.ndarray) -> np.ndarray:
    """Sum in order (the same additions for one draw and for many)."""
    if not parts:
        return np.zeros(np.shape(like))
    out = parts[0]
    for part in parts[1:]:
        out = out + part
    return np.array(np.broadcast_to(out, np.broadcast_shapes(np.shape(out), np.shape(like))), float)


def _product(parts: list[np.ndarray], like: np.ndarray) -> np.ndarray:
    if not parts:
        return np.ones(np.shape(like))
    out = parts[0]
    for part in parts[1:]:
        out = out * part
    return np.array(np.broadcast_to(out, np.broadcast_shapes(np.shape(out), np.shape(like))), float)


def _statuses(assessment, fired: dict, actions: Actions, shape: tuple) -> None:
    outcome_ids = [o.id for o in assessment.spec.outcomes]
    forced = np.full(shape, -1, np.int64)
    exempt, excluded = np.zeros(shape, bool), np.zeros(shape, bool)
    for rule in assessment.spec.adjustments:
        mask = np.broadcast_to(fired[rule.id], shape)
        if rule.action == "veto":
            actions.vetoed[rule.outcome] = actions.vetoed.get(rule.outcome, np.zeros(shape, bool)) | mask
        elif rule.action == "force":  # the first forcing rule wins
            forced = np.where(mask & (forced < 0), outcome_ids.index(rule.outcome), forced)
        elif rule.action == "exempt":
            exempt = exempt | mask
        elif rule.action == "exclude":
            excluded = excluded | mask
    actions.forced, actions.exempt, actions.excluded = forced, exempt, excluded


def defined_where_fired(assessment, rule, key: str, amount: np.ndarray, fired: np.ndarray, unit_ids,
                        neutral: float) -> np.ndarray:
    """``amount`` where the rule fired, ``neutral`` elsewhere (arrays of units or draws x units).

    An amount that is missing where the rule fired (division by zero, log of zero, a missing
    cell) is a :class:`ScoringError` naming the units: a bonus is never silently 0 or huge."""
    amount, fired = np.broadcast_arrays(amount, fired)
    bad = fired & ~np.isfinite(amount)
    if bad.any():
        position = next(i for i, r in enumerate(assessment.spec.adjustments) if r is rule)
        raise ScoringError(tr("The {key} of rule '{rule}' are undefined for {count} unit(s)", key=key, rule=rule.id,
                              count=_count(bad)), [Problem(
            tr("undefined for unit(s) {units} (division by zero, log of zero or less, or a missing value)",
               units=_units(bad, unit_ids)), file=assessment.path,
            line=assessment.lines.line(("adjustments", position, key)), field=f"adjustments.{rule.id}.{key}",
            found=repr(assessment.rule_expr(rule, key).text),
            expected=tr("a number for every unit the rule applies to, e.g. if(b > 0, a / b, 0)"))])
    return np.where(fired, amount, neutral)


def require_finite(values: np.ndarray, what: str, unit_ids) -> None:
    """Stop before a non-finite (InternalError) or absurdly large (ScoringError) total reaches a rank."""
    values = np.asarray(values, float)
    bad = ~np.isfinite(values)
    if bad.any():
        raise InternalError(tr("Internal error: a {what} is not a finite number; no result is given", what=what), [
            Problem(tr("{what} undefined for unit(s) {units}", what=what, units=_units(bad, unit_ids)),
                    expected=tr("finite numbers (please report this with the rule and data files)"))])
    huge = np.abs(values) > MAX_TOTAL
    if huge.any():
        raise ScoringError(tr("A {what} is out of range", what=what), [Problem(
            tr("{what} beyond ±{limit} for unit(s) {units}", what=what, limit=f"{MAX_TOTAL:.0e}",
               units=_units(huge, unit_ids)),
            expected=tr("points of an ordinary size: check the data's magnitudes and the rules' points and factors"))])


def _per_unit(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask.reshape(-1, mask.shape[-1]).any(axis=0))


def _count(mask: np.ndarray) -> int:
    return int(_per_unit(mask).size)


def _units(mask: np.ndarray, unit_ids) -> str:
    where = _per_unit(mask)
    return ", ".join(str(unit_ids[i]) for i in where[:10]) + (" …" if where.size > 10 else "")
