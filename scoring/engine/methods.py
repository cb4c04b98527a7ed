"""Scoring methods: turn one indicator's values into fractions of its full points.

Each method takes the values of all units at once (NaN = missing) and returns the fraction
``f`` per unit (points = f x weight) together with the peer statistics it used, so that a
result can be explained. Missing values get NaN here; the indicator's missing policy decides
their points afterwards. The formulas are documented in docs/rules.md.

Which function scores which method is declared in :data:`scoring.registry.METHODS`
(:data:`SCORERS` is bound from it at import).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import numpy as np

from .. import registry
from ..errors import Problem, ScoringError
from ..messages import tr
from ..api.expr import Env, Expr, evaluate, peer_stat

if TYPE_CHECKING:  # the rule-file models (pydantic) are not needed to score
    from ..api import models as m


@dataclass
class MethodInput:
    """Everything a method may look at besides its own settings."""

    node_id: str
    values: np.ndarray
    direction: str
    weight: float
    groups: np.ndarray | None
    env: Env | None = None
    formula: Expr | None = None
    target: np.ndarray | None = None


@dataclass
class MethodResult:
    fraction: np.ndarray
    stats: dict[str, np.ndarray] = field(default_factory=dict)


def _stat(name: str, inp: MethodInput) -> np.ndarray:
    return peer_stat(name, inp.values, inp.groups)


def _minmax(method: m.MinMax, inp: MethodInput) -> MethodResult:
    lo, hi = _stat("min", inp), _stat("max", inp)
    span = hi - lo
    gain = inp.values - lo if inp.direction == "higher" else hi - inp.values
    with np.errstate(all="ignore"):
        share = np.where(span > 0, gain / span, 1.0)
    share = np.where(np.isnan(inp.values), np.nan, share)
    return MethodResult(method.floor + (1 - method.floor) * share, {"min": lo, "max": hi})


def _best_ratio(method: m.BestRatio, inp: MethodInput) -> MethodResult:
    x = inp.values
    if inp.direction == "higher":
        best = _stat("max", inp)
        with np.errstate(all="ignore"):
            fraction = np.where(best > 0, np.clip(x / best, 0, None), np.where(x == best, 1.0, 0.0))
    else:
        best = _stat("min", inp)
        with np.errstate(all="ignore"):
            fraction = np.where(x <= best, 1.0, np.where((x > 0) & (best > 0), best / x, 0.0))
    return MethodResult(np.where(np.isnan(x), np.nan, fraction), {"best": best})


def _ratio_to(x: np.ndarray, base: np.ndarray, direction: str) -> np.ndarray:
    with np.errstate(all="ignore"):
        ratio = x / base
    return np.clip(ratio, 0, None) if direction == "higher" else np.clip(2.0 - ratio, 0, None)


def _require_positive(base: np.ndarray, inp: MethodInput, what: str) -> None:
    bad = ~(base > 0) & ~np.isnan(inp.values) & ~np.isnan(base)
    if bad.any():
        found = ", ".join(sorted({f"{v:g}" for v in np.asarray(base)[bad]}))
        raise ScoringError(tr("Indicator '{indicator}' cannot be scored", indicator=inp.node_id),
                           [Problem(tr("{what} must be positive", what=what), field=inp.node_id, found=found,
                                    expected=tr("a value above zero"))])


def _benchmark(method: m.Benchmark, inp: MethodInput) -> MethodResult:
    if isinstance(method.benchmark, str):
        base = _stat(method.benchmark, inp) * method.factor
    else:
        base = np.full(len(inp.values), float(method.benchmark) * method.factor)
    _require_positive(base, inp, tr("the benchmark"))
    return MethodResult(_ratio_to(inp.values, base, inp.direction), {"benchmark": base})


def _target(method: m.Target, inp: MethodInput) -> MethodResult:
    if inp.target is not None:
        # a unit without a positive target of its own cannot be scored: it counts as missing
        target = np.where(inp.target > 0, inp.target, np.nan)
    else:
        target = np.full(len(inp.values), float(method.target))
        _require_positive(target, inp, tr("the target"))
    fraction = _ratio_to(inp.values, target, inp.direction)
    if method.below_target_zero:
        missed = inp.values < target if inp.direction == "higher" else inp.values > target
        fraction = np.where(missed, 0.0, fraction)
    return MethodResult(fraction, {"target": target})


def _directed(inp: MethodInput) -> np.ndarray:
    """Values oriented so that higher is always better."""
    return inp.values if inp.direction == "higher" else -inp.values


def _rank(method: m.Rank, inp: MethodInput) -> MethodResult:
    oriented = _directed(inp)
    rank = peer_stat("rank", oriented, inp.groups)
    count = peer_stat("count", oriented, inp.groups)
    if method.step is not None:
        fraction = np.clip(1.0 - method.step * (rank - 1) / inp.weight, 0, None)
    else:
        with np.errstate(all="ignore"):
            fraction = np.where(count > 1, 1.0 - (1.0 - method.floor) * (rank - 1) / (count - 1), 1.0)
    return MethodResult(np.where(np.isnan(inp.values), np.nan, fraction), {"rank": rank, "count": count})


def _bands(method: m.Bands, inp: MethodInput) -> MethodResult:
    x = inp.values
    fraction = np.zeros(len(x))
    decided = np.zeros(len(x), bool)
    for band in method.bands:
        hit = ~decided
        if band.at_least is not None:
            hit &= x >= band.at_least
        if band.at_most is not None:
            hit &= x <= band.at_most
        value = band.fraction if band.fraction is not None else band.points / inp.weight
        fraction = np.where(hit, value, fraction)
        decided |= hit
    return MethodResult(np.where(np.isnan(x), np.nan, fraction))


def _goalposts(method: m.Goalposts, inp: MethodInput) -> MethodResult:
    x, lo, hi = inp.values, method.lo, method.hi
    if method.log:
        with np.errstate(all="ignore"):
            x = np.where(x > 0, np.log10(np.where(x > 0, x, 1.0)), -np.inf)
        x = np.where(np.isnan(inp.values), np.nan, x)
        lo, hi = np.log10(lo), np.log10(hi)
    share = (x - lo) / (hi - lo) if inp.direction == "higher" else (hi - x) / (hi - lo)
    return MethodResult(np.clip(share, 0, 1))


def _percentile(method: m.Percentile, inp: MethodInput) -> MethodResult:
    share = peer_stat("pct_rank", _directed(inp), inp.groups)
    return MethodResult(np.where(np.isnan(inp.values), np.nan, share), {"pct_rank": share})


def _zscore(method: m.ZScore, inp: MethodInput) -> MethodResult:
    mean, std = _stat("mean", inp), _stat("std", inp)
    with np.errstate(all="ignore"):
        z = np.where(std > 0, (inp.values - mean) / std, 0.0)
    z = z if inp.direction == "higher" else -z
    share = np.clip((z + method.spread) / (2 * method.spread), 0, 1)
    return MethodResult(np.where(np.isnan(inp.values), np.nan, share), {"mean": mean, "std": std, "z": z})


def _formula(method: m.Formula, inp: MethodInput) -> MethodResult:
    points = np.asarray(evaluate(inp.formula, inp.env), float)
    lo = -np.inf if method.min_points is None else method.min_points
    hi = np.inf if method.max_points is None else method.max_points
    points = np.clip(points, lo, hi)
    return MethodResult(points / inp.weight, {"points": points})


SCORERS: dict[str, Callable[..., MethodResult]] = registry.methods.bind(globals(), "function_name", __name__)
"""method name -> scoring function, as :data:`scoring.registry.METHODS` names them."""


def apply_method(method, inp: MethodInput) -> MethodResult:
    """Score ``inp.values`` with ``method``; applies the method's optional ``cap`` on the fraction."""
    result = SCORERS[method.type](method, inp)
    fraction = np.asarray(result.fraction, float)
    if method.cap is not None:
        fraction = np.minimum(fraction, method.cap)
    result.fraction = fraction
    return result
