"""Evaluate many weight (and method) scenarios at once: numpy over a draws x units matrix.

The building blocks of :mod:`scoring.robustness` (where the method is documented in full):
:func:`prepare` fixes what does not change between draws (leaf fractions per scoring method as
``a + b / weight``, nominal firing of rules, tie-break keys), :func:`draw_scenarios` draws
weights and methods from a seeded generator, and :func:`evaluate_draws` scores, adjusts, ranks
and classifies a block of draws with the semantics of :mod:`scoring.run`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ..api.assessment import Assessment
from ..errors import OptionError, Problem, ScoringError
from ..expr import Expr, evaluate
from ..run import RunResult
from .adjust import POINT_ACTIONS, adjustment_env, defined_where_fired, require_finite
from .draw_conditions import per_draw
from .ranking import displayed, from_bottom, threshold_bounds, wanted_count
from .tree import apply_missing_policy, combine_tree, score_leaf


# --- preparation --------------------------------------------------------------------------


@dataclass
class LeafOption:
    """One scoring method of one indicator: fraction = a + b / weight, or scored exactly per weight."""

    a: np.ndarray
    b: np.ndarray
    exact: Callable[[float], np.ndarray] | None = None


@dataclass
class Model:
    """Everything fixed across draws, prepared once from the nominal run."""

    nominal: RunResult
    spread: float
    node_ids: list[str]
    base_weights: np.ndarray
    options: dict[str, list[LeafOption]]
    columns: dict[str, np.ndarray]
    fired: dict[str, np.ndarray]  # nominal firing of rules whose condition reads no per-draw names
    amounts: dict[str, np.ndarray]  # nominal points/factor of rules whose expression reads none
    tie_keys: list[tuple[str, object, bool]]  # ("fixed", array, asc) | ("node", id, asc) | ("total", None, asc)
    id_code: np.ndarray
    outcome_ids: list[str] = field(default_factory=list)
    draw_nodes: list[str] = field(default_factory=list)  # node points read per draw (conditions, tie-breaks)

    @property
    def assessment(self) -> Assessment:
        return self.nominal.assessment

    @property
    def size(self) -> int:
        return len(self.nominal.index)


def prepare(nominal: RunResult, spread: float = 0.2, vary_method: bool = False) -> Model:
    """Pre-compute leaf fractions (per method), fixed adjustment parts and tie-break keys."""
    check_spread(spread)
    a = nominal.assessment
    node_ids = list(a.nodes)
    options = {leaf: [_leaf_option(nominal, leaf, method, spread) for method in
                      [a.nodes[leaf].method] + (list(a.nodes[leaf].alternatives) if vary_method else [])]
               for leaf in a.leaves}
    env = adjustment_env(a, nominal.columns, nominal.tree.points, nominal.tree.base_total)
    fired, amounts = {}, {}
    for rule in a.spec.adjustments:
        if not _reads_draws(a, a.exprs[f"adjustment.{rule.id}.when"]):
            fired[rule.id] = nominal.adjustments.fired[rule.id].to_numpy(bool)
        key = _amount_key(rule)
        if key and not _reads_draws(a, a.exprs[key]):
            amounts[rule.id] = evaluate(a.exprs[key], env).astype(float)
    ids = nominal.index.to_numpy(object)
    id_code = np.empty(len(ids), np.int64)
    id_code[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    tie_keys = _tie_keys(nominal, id_code)
    read = set().union(*[e.names for k, e in a.exprs.items() if k.startswith("adjustment.")])
    read |= {payload for kind, payload, _ in tie_keys if kind == "node"}
    return Model(nominal, spread, node_ids, np.array([a.nodes[n].weight for n in node_ids], float), options,
                 nominal.columns, fired, amounts, tie_keys, id_code, [o.id for o in a.spec.outcomes],
                 [n for n in node_ids if n in read])


def check_spread(spread: float) -> None:
    if not 0 <= spread < 1:
        raise OptionError("Invalid --spread option", [Problem("spread must be at least 0 and below 1",
                          field="--spread", found=repr(spread), expected="e.g. 0.2 for +/-20%")])


def _amount_key(rule) -> str | None:
    if rule.action in POINT_ACTIONS:
        return f"adjustment.{rule.id}.points"
    return f"adjustment.{rule.id}.factor" if rule.action == "multiply" else None


def _reads_draws(assessment: Assessment, expr: Expr) -> bool:
    """True when an expression reads node points or the total (which change with the weights)."""
    return bool(expr.names & (set(assessment.nodes) | {"total"}))


def leaf_fraction(nominal: RunResult, leaf: str, method, weight: float) -> np.ndarray:
    """Exact fraction of one indicator scored with ``method`` at ``weight`` (missing policy applied)."""
    a = nominal.assessment
    view = dataclasses.replace(a, nodes={**a.nodes, leaf: a.nodes[leaf].model_copy(update={"weight": weight})})
    size, problems = len(nominal.index), []
    values, result = score_leaf(view, leaf, nominal.columns, size, method)
    fraction, _ = apply_missing_policy(view, leaf, values, result.fraction, nominal.columns, size,
                                       nominal.index, problems)
    if problems:
        raise ScoringError(f"Indicator '{leaf}' cannot be scored with method '{method.type}'", problems)
    return fraction


def _leaf_option(nominal: RunResult, leaf: str, method, spread: float) -> LeafOption:
    w0 = nominal.assessment.nodes[leaf].weight
    if spread == 0:
        return LeafOption(leaf_fraction(nominal, leaf, method, w0), np.zeros(nominal.data.frame.shape[0]))
    lo, hi = w0 * (1 - spread), w0 * (1 + spread)
    f_lo, f_hi = leaf_fraction(nominal, leaf, method, lo), leaf_fraction(nominal, leaf, method, hi)
    b = np.where(f_lo == f_hi, 0.0, (f_hi - f_lo) / (1 / hi - 1 / lo))
    a = np.where(f_lo == f_hi, f_lo, f_lo - b / lo)
    for check in (w0, w0 * (1 + spread / 2)):
        if not np.allclose(a + b / check, leaf_fraction(nominal, leaf, method, check), rtol=1e-11, atol=1e-12):
            return LeafOption(a, b, lambda w: leaf_fraction(nominal, leaf, method, w))
    return LeafOption(a, b)


def _tie_keys(nominal: RunResult, id_code: np.ndarray) -> list[tuple[str, object, bool]]:
    """The rule file's chain after the total, as sortable keys (fixed arrays or per-draw names)."""
    a = nominal.assessment
    chain = list(a.spec.tie_break)
    chain = chain[1:] if chain and chain[0].by == "total" else chain
    keys = []
    for key in chain:
        asc = key.order == "asc"
        if key.by == "total" or key.by in a.nodes:
            keys.append(("total" if key.by == "total" else "node", key.by, asc))
            continue
        if key.by == "id":
            values = id_code
        elif key.by == "name":
            values = nominal.data.frame[a.spec.name_column].to_numpy(object)
        else:
            values = np.asarray(nominal.columns[key.by])
        keys.append(("fixed", _sortable(values, asc), True))
    return keys


def _sortable(values: np.ndarray, asc: bool) -> np.ndarray:
    """Numbers (negated when descending) or sorted codes of text; missing values sort last."""
    if values.dtype.kind in "biuf":
        values = values.astype(float)
        return values if asc else -values
    codes, _ = pd.factorize(pd.Series(values), sort=True)
    codes = codes.astype(float) if asc else -codes.astype(float)
    return np.where(pd.isna(values), np.nan, codes)


# --- draws ------------------------------------------------------------------------------------


@dataclass
class Draws:
    weights: np.ndarray  # draws x nodes (Model.node_ids order)
    methods: np.ndarray | None  # draws x leaves: index into the leaf's options (None: file methods)


def draw_scenarios(model: Model, draws: int, seed: int) -> Draws:
    """Weights x U(1 - S, 1 + S), then (if methods vary) a uniform choice of method per indicator."""
    if draws < 1:
        raise OptionError("Invalid --draws option", [Problem("need at least one draw", field="--draws",
                                                             found=str(draws), expected="e.g. 10000")])
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - model.spread, 1 + model.spread, size=(draws, len(model.node_ids)))
    counts = np.array([len(model.options[leaf]) for leaf in model.assessment.leaves])
    methods = rng.integers(0, counts, size=(draws, len(counts))) if (counts > 1).any() else None
    return Draws(model.base_weights * factors, methods)


# --- vectorised evaluation ------------------------------------------------------------------


@dataclass
class DrawResult:
    """Per draw and unit: total, position (0 = not ranked) and outcome index (len(outcomes) = none)."""

    total: np.ndarray
    position: np.ndarray
    outcome: np.ndarray


def evaluate_draws(model: Model, weights: np.ndarray, methods: np.ndarray | None = None) -> DrawResult:
    """Score, adjust, rank and classify every unit under each row of ``weights``."""
    count = weights.shape[0]
    w = {nid: weights[:, j:j + 1] for j, nid in enumerate(model.node_ids)}
    fractions, base_total = _tree(model, w, methods)
    names = {**model.columns, **{n: fractions[n] * w[n] for n in model.draw_nodes}, "total": base_total}
    total, status = _adjust(model, names, base_total)
    shown = displayed(total, model.assessment.spec.precision)
    order = _order(model, shown, names, status["excluded"], count)
    position, outcome = _classify(model, order, shown, status, count)
    return DrawResult(total, position, outcome)


def _tree(model: Model, w: dict, methods) -> tuple[dict, np.ndarray]:
    a = model.assessment
    leaves = {leaf: _leaf_draws(model.options[leaf], w[leaf], None if methods is None else methods[:, i])
              for i, leaf in enumerate(a.leaves)}
    fractions, _, base_total = combine_tree(a, leaves, w)
    return fractions, np.broadcast_to(base_total, (len(w[a.top_level[0]]), model.size))


def _leaf_draws(options: list[LeafOption], w: np.ndarray, choice) -> np.ndarray:
    if choice is None or len(options) == 1:
        return _option_draws(options[0], w)
    out = np.empty((len(w), len(options[0].a)))
    for k, option in enumerate(options):
        rows = choice == k
        if rows.any():
            out[rows] = _option_draws(option, w[rows])
    return out


def _option_draws(option: LeafOption, w: np.ndarray) -> np.ndarray:
    if option.exact is not None:
        return np.stack([option.exact(float(x)) for x in w[:, 0]])
    return option.a + option.b / w if option.b.any() else option.a


def _adjust(model: Model, names: dict, base_total: np.ndarray) -> tuple[np.ndarray, dict]:
    """Total after bonus/deduction (rule caps, pools), factors and total limits; statuses per draw."""
    a = model.assessment
    spec = a.spec
    fired = {r.id: model.fired[r.id] if r.id in model.fired else
             per_draw(a.exprs[f"adjustment.{r.id}.when"], names, base_total.shape, is_condition=True)
             for r in spec.adjustments}
    amounts = {r.id: model.amounts[r.id] if r.id in model.amounts else
               per_draw(a.exprs[_amount_key(r)], names, base_total.shape) for r in spec.adjustments
               if _amount_key(r)}
    applied, points, factor = {}, 0.0, 1.0
    ids = model.nominal.index
    for rule in spec.adjustments:
        if rule.action in POINT_ACTIONS:
            amount = defined_where_fired(a, rule, "points", amounts[rule.id], fired[rule.id], ids, 0.0)
            capped = np.clip(amount, -np.inf if rule.min is None else rule.min, np.inf if rule.max is None else rule.max)
            applied[rule.id] = (1.0 if rule.action == "bonus" else -1.0) * capped
            points = points + applied[rule.id]
        elif rule.action == "multiply":
            factor = factor * defined_where_fired(a, rule, "factor", amounts[rule.id], fired[rule.id], ids, 1.0)
    for pool in spec.pools:
        subtotal = sum((applied[r.id] for r in spec.adjustments if r.pool == pool.id and r.id in applied), 0.0)
        clipped = np.clip(subtotal, -np.inf if pool.min is None else pool.min, np.inf if pool.max is None else pool.max)
        points = points + (clipped - subtotal)
    total = np.clip((base_total + points) * factor, -np.inf if spec.total_min is None else spec.total_min,
                    np.inf if spec.total_max is None else spec.total_max)
    require_finite(total, "total", ids)
    return total, _statuses(model, fired)


def _statuses(model: Model, fired: dict) -> dict:
    status = {"forced": np.int64(-1), "exempt": False, "excluded": False, "veto": {}}
    for rule in model.assessment.spec.adjustments:
        mask = fired[rule.id]
        if rule.action == "veto":
            status["veto"][rule.outcome] = status["veto"].get(rule.outcome, False) | mask
        elif rule.action == "force":  # the first forcing rule wins
            forced = status["forced"]
            status["forced"] = np.where(mask & (forced < 0), model.outcome_ids.index(rule.outcome), forced)
        elif rule.action in ("exempt", "exclude"):
            key = "exempt" if rule.action == "exempt" else "excluded"
            status[key] = status[key] | mask
    return status


def _order(model: Model, shown: np.ndarray, names: dict, excluded, count: int) -> np.ndarray:
    """Per draw, unit indices best first: total, the tie-break chain, id; excluded units last."""
    keys = [model.id_code]  # np.lexsort: the last key is the primary one
    for kind, payload, asc in reversed(model.tie_keys):
        if kind == "fixed":
            keys.append(payload)
        else:
            values = shown if kind == "total" else names[payload]
            keys.append(values if asc else -values)
    keys.append(-shown)
    if np.any(excluded):
        keys.append(np.asarray(excluded, np.int8))
    shape = (count, model.size)
    return np.lexsort([np.broadcast_to(k, shape) for k in keys], axis=-1)


def _classify(model: Model, order: np.ndarray, shown: np.ndarray, status: dict, count: int):
    """Positions and outcome indices per draw, with the semantics of backends.ranking."""
    shape = (count, model.size)
    none = len(model.outcome_ids)

    def take(values):
        return np.take_along_axis(np.broadcast_to(values, shape), order, axis=1)

    excluded, forced = take(status["excluded"]), take(status["forced"])
    ranked = ~excluded & ~take(status["exempt"])
    outcome = np.where(~excluded & (forced >= 0), forced, none)
    base, cumulative = ranked.sum(axis=1), np.zeros(count, np.int64)
    for j, spec in enumerate(model.assessment.spec.outcomes):
        already = (outcome == j).sum(axis=1)
        eligible = (outcome == none) & ranked
        if spec.id in status["veto"]:
            eligible &= ~take(status["veto"][spec.id])
        picked = _pick(spec, eligible, take(shown), base, cumulative, already)
        outcome[picked] = j
        if spec.top_percent is not None:
            cumulative += already + picked.sum(axis=1)
    position = np.where(excluded, 0, np.arange(1, model.size + 1))
    return _scatter(order, position), _scatter(order, outcome)


def _pick(spec, eligible: np.ndarray, shown: np.ndarray, base, cumulative, already) -> np.ndarray:
    """Same selection as scoring.backends.ranking, for a block of draws (rows) at once."""
    if spec.rest:
        return eligible
    bounds = threshold_bounds(spec)
    if bounds is not None:
        return eligible & (bounds[0] <= shown) & (shown <= bounds[1])
    wanted = wanted_count(spec, base, cumulative, already)[:, None]
    if from_bottom(spec):
        return eligible & (np.cumsum(eligible[:, ::-1], axis=1)[:, ::-1] <= wanted)
    return eligible & (np.cumsum(eligible, axis=1) <= wanted)


def _scatter(order: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.empty_like(values)
    np.put_along_axis(out, order, values, axis=1)
    return out
