"""Order units and hand out outcomes, on units or on draws x units: the one implementation.

Order: displayed total (descending unless the rule file's tie-break chain says otherwise), then
the rest of the chain, then the unit id; excluded units (不参评) last. Outcomes are handed out in
rule-file order: forced outcomes first, then each outcome's selector (top N, bottom N, cumulative
top percent, bottom percent, total thresholds, rest; none: filled by force rules only) over the
units still eligible (ranked, not exempt, not vetoed for it). Percentages are of the classified
units (``base: eligible``) or of every unit (``base: all``). A unit forced elsewhere or vetoed is
skipped and the next moves up (``downgrade: skip``), or keeps its rank place so that the outcome
takes fewer (``downgrade: keep_slot``). A nominal run is one draw; robustness evaluates thousands.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd



@dataclass
class Selection:
    """Per draw and unit: position in the order (0 = not ranked) and outcome index (len(outcomes) = none).

    ``order`` lists unit indices best first (excluded units last); ``detail`` (one draw only)
    holds, per counted outcome, its eligible and picked positions in that order and the count
    it wanted, for boundary ties and notes."""

    order: np.ndarray
    position: np.ndarray
    outcome: np.ndarray
    detail: dict | None = None


@dataclass(frozen=True)
class _ByTotal:
    """The total as the first tie-break key when the rule file's chain does not start with it
    (the shape of ``models.TieKey``, without importing the rule-file models at start-up)."""

    by: str = "total"
    order: str = "desc"


def id_codes(ids) -> np.ndarray:
    """Each unit's place when the ids are sorted: the last key of every order."""
    ids = np.asarray(ids, dtype=object)
    codes = np.empty(len(ids), np.int64)
    codes[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    return codes


def chain_of(assessment) -> list:
    """The tie-break chain with the total first (ranks are always by total first)."""
    chain = list(assessment.spec.tie_break)
    if not chain or chain[0].by != "total":
        chain.insert(0, _ByTotal())
    return chain


def sortable(values, ascending: bool) -> np.ndarray:
    """A key np.lexsort sorts as wanted: numbers (negated when descending) or ordered codes of
    text; a missing value sorts last either way."""
    values = np.asarray(values)
    if values.dtype.kind in "biuf":
        values = values.astype(float)
        return values if ascending else -values
    flat = values.reshape(-1)
    codes, _ = pd.factorize(pd.Series(flat), sort=True)
    codes = codes.astype(float) if ascending else -codes.astype(float)
    return np.where(pd.isna(flat), np.nan, codes).reshape(values.shape)


def order_units(assessment, keys: dict, excluded: np.ndarray, id_code: np.ndarray) -> np.ndarray:
    """Unit indices best first, per draw: the chain's keys (``keys[name]``: units or draws x units;
    ``total`` is the displayed total), then the id; excluded units last."""
    shape = np.broadcast_shapes(np.shape(excluded), *[np.shape(keys[k.by]) for k in chain_of(assessment)
                                                      if k.by != "id"])
    shape = (1,) * (2 - len(shape)) + shape
    in_id_order = np.array_equal(id_code, np.arange(len(id_code)))  # units are read sorted by id
    columns = [] if in_id_order else [id_code]  # np.lexsort: the last key is the primary one
    for key in reversed(chain_of(assessment)):
        columns.append(sortable(id_code if key.by == "id" else keys[key.by], key.order == "asc"))
    if np.any(excluded):
        columns.append(np.asarray(excluded, np.int8))
    if len(columns) == 1:  # one key, ties in id order: a stable sort is the same order, much faster
        return np.argsort(np.broadcast_to(columns[0], shape), axis=-1, kind="stable")
    return np.lexsort([np.broadcast_to(c, shape) for c in columns], axis=-1)


def select_outcomes(assessment, order: np.ndarray, shown, excluded, exempt, forced, vetoed: dict,
                    detail: bool = False) -> Selection:
    """Positions and outcome indices per draw for units in ``order`` (see the module notes)."""
    count, size = order.shape
    none = len(assessment.spec.outcomes)

    def take(values):
        return np.take_along_axis(np.broadcast_to(values, (count, size)), order, axis=1)

    out, ranked = take(excluded), ~take(excluded) & ~take(exempt)
    outcome = np.where(~out & (take(forced) >= 0), take(forced), none)
    cumulative, totals, details = np.zeros(count, np.int64), take(shown), {}
    bases = {"eligible": ranked.sum(axis=1), "all": np.full(count, size)}
    for j, spec in enumerate(assessment.spec.outcomes):
        already = (outcome == j).sum(axis=1)
        eligible = (outcome == none) & ranked
        if spec.id in vetoed:
            eligible &= ~take(vetoed[spec.id])
        base = bases[getattr(spec, "base", "eligible")]
        picked, wanted = _pick(spec, eligible, totals, base, cumulative, already, ranked)
        outcome[picked] = j
        if spec.top_percent is not None:
            cumulative += already + picked.sum(axis=1)
        if detail and wanted is not None:
            details[spec.id] = (np.flatnonzero(eligible[0]), np.flatnonzero(picked[0]), int(wanted[0]))
    position = np.where(out, 0, np.arange(1, size + 1))
    return Selection(order, _scatter(order, position), _scatter(order, outcome), details if detail else None)


def _pick(spec, eligible: np.ndarray, shown: np.ndarray, base, cumulative, already, ranked: np.ndarray):
    """Units an outcome takes (rows are draws), and how many it wanted (None if not counted)."""
    if spec.rest:
        return eligible, None
    bounds = threshold_bounds(spec)
    if bounds is not None:
        return eligible & (bounds[0] <= shown) & (shown <= bounds[1]), None
    if not is_counted(spec):
        return np.zeros_like(eligible), None  # no selector: filled by force rules only
    wanted = wanted_count(spec, base, cumulative, already)
    if getattr(spec, "downgrade", "skip") == "keep_slot":
        return _keep_slot(spec, eligible, ranked, base, cumulative, wanted), wanted
    return _first(eligible, wanted, from_bottom(spec)), wanted


def _first(eligible: np.ndarray, wanted: np.ndarray, bottom: bool) -> np.ndarray:
    """The first ``wanted`` eligible units of each row (from the end when ``bottom``)."""
    if bottom:
        return eligible & (np.cumsum(eligible[:, ::-1], axis=1)[:, ::-1] <= wanted[:, None])
    return eligible & (np.cumsum(eligible, axis=1) <= wanted[:, None])


def _keep_slot(spec, eligible, ranked, base, cumulative, wanted) -> np.ndarray:
    """``downgrade: keep_slot``: the outcome's places are rank places among the classified units; a
    unit forced elsewhere, vetoed or taken earlier keeps its place, so the outcome takes fewer."""
    bottom = from_bottom(spec)
    places = np.cumsum(ranked[:, ::-1], axis=1)[:, ::-1] if bottom else np.cumsum(ranked, axis=1)
    if spec.top_percent is not None:
        last = round_count(spec.top_percent, base, spec.rounding)  # cumulative: the last place of this class
    elif spec.bottom_percent is not None:
        last = round_count(spec.bottom_percent, base, spec.rounding)
    else:
        last = np.full(len(ranked), spec.top if spec.top is not None else spec.bottom)
    within = eligible & (places <= np.asarray(last)[:, None])
    return _first(within, wanted, bottom)


def is_counted(spec) -> bool:
    return any(getattr(spec, key) is not None for key in ("top", "bottom", "top_percent", "bottom_percent"))


def _scatter(order: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.empty_like(values)
    np.put_along_axis(out, order, values, axis=1)
    return out


def round_count(share: float, base, how: str):
    """Units a percentage takes of ``base`` (an int or an array of them), rounded as the outcome says."""
    exact = share / 100.0 * np.asarray(base)
    if how == "floor":
        counts = np.floor(exact + 1e-9)
    elif how == "ceil":
        counts = np.ceil(exact - 1e-9)
    else:
        counts = np.floor(exact + 0.5 + 1e-9)  # half up, not banker's rounding
    return counts.astype(np.int64) if counts.ndim else int(counts)


def wanted_count(spec, base, cumulative, already):
    """How many more units a counted outcome takes (ints or arrays of them, never below 0).

    ``cumulative`` counts units already taken by earlier ``top_percent`` outcomes, which makes
    ``top_percent`` cumulative (A: 25%, B: up to 70%, ...); ``already`` counts units forced into it.
    """
    if spec.top is not None or spec.bottom is not None:
        wanted = (spec.top if spec.top is not None else spec.bottom) - already
    elif spec.top_percent is not None:
        wanted = round_count(spec.top_percent, base, spec.rounding) - cumulative - already
    else:
        wanted = round_count(spec.bottom_percent, base, spec.rounding) - already
    return np.maximum(0, wanted)


def threshold_bounds(spec) -> tuple[float, float] | None:
    """(low, high) of a min_total/max_total outcome, or None for other selectors."""
    if spec.min_total is None and spec.max_total is None:
        return None
    return (-np.inf if spec.min_total is None else spec.min_total,
            np.inf if spec.max_total is None else spec.max_total)


def from_bottom(spec) -> bool:
    return spec.bottom is not None or spec.bottom_percent is not None
