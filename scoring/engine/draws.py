"""Evaluate many weight (and method) scenarios at once: numpy over a draws x units matrix.

The building blocks of :mod:`scoring.analysis.robustness` (where the method is documented in full):
:func:`prepare` fixes what does not change between draws (leaf fractions per scoring method as
``a + b / weight``, nominal firing of rules, tie-break keys), :func:`draw_scenarios` draws
weights and methods from a seeded generator, and :func:`evaluate_draws` scores, adjusts, ranks
and classifies a block of draws with the semantics of :mod:`scoring.engine.run`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..api.assessment import Assessment
from ..errors import OptionError, Problem, ScoringError
from ..messages import tr
from ..api.expr import Expr, evaluate
from .run import RunResult
from .actions import apply_actions
from .adjust import adjustment_env
from .conditions import per_draw
from .ranking import displayed
from .select import chain_of, id_codes, order_units, select_outcomes
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
    keys: dict[str, np.ndarray]  # tie-break values that do not change between draws (inputs, derived, name)
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
        if not _reads_draws(a, a.rule_expr(rule)):
            fired[rule.id] = nominal.adjustments.fired[rule.id].to_numpy(bool)
        amount = a.amount_expr(rule)
        if amount is not None and not _reads_draws(a, amount):
            amounts[rule.id] = evaluate(amount, env).astype(float)
    ids = nominal.index.to_numpy(object)
    id_code = id_codes(ids)
    keys = {**nominal.columns, "name": nominal.data.frame[a.spec.name_column].to_numpy(object)}
    read = set().union(*[e.names for k, e in a.exprs.items() if k.startswith("adjustment.")])
    read |= {key.by for key in chain_of(a) if key.by in a.nodes}
    return Model(nominal, spread, node_ids, np.array([a.nodes[n].weight for n in node_ids], float), options,
                 nominal.columns, fired, amounts, keys, id_code, [o.id for o in a.spec.outcomes],
                 [n for n in node_ids if n in read])


def check_spread(spread: float) -> None:
    if not 0 <= spread < 1:
        raise OptionError(tr("Invalid --spread option"), [Problem(tr("spread must be at least 0 and below 1"),
                          field="--spread", found=repr(spread), expected=tr("e.g. 0.2 for +/-20%"))])


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
        raise ScoringError(tr("Indicator '{indicator}' cannot be scored with method '{method}'", indicator=leaf,
                              method=method.type), problems)
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


# --- draws ------------------------------------------------------------------------------------


@dataclass
class Draws:
    weights: np.ndarray  # draws x nodes (Model.node_ids order)
    methods: np.ndarray | None  # draws x leaves: index into the leaf's options (None: file methods)


def draw_scenarios(model: Model, draws: int, seed: int) -> Draws:
    """Weights x U(1 - S, 1 + S), then (if methods vary) a uniform choice of method per indicator."""
    if draws < 1:
        raise OptionError(tr("Invalid --draws option"), [Problem(tr("need at least one draw"), field="--draws",
                                                                 found=str(draws), expected=tr("e.g. 10000"))])
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
    """Score, adjust, rank and classify every unit under each row of ``weights``: the run's own
    tree aggregation (:func:`.tree.combine_tree`), actions (:mod:`.actions`) and selection
    (:mod:`.select`), on draws x units."""
    a = model.assessment
    w = {nid: weights[:, j:j + 1] for j, nid in enumerate(model.node_ids)}
    fractions, base_total = _tree(model, w, methods)
    names = {**model.columns, **{n: fractions[n] * w[n] for n in model.draw_nodes}, "total": base_total}
    fired = {r.id: model.fired[r.id] if r.id in model.fired else
             per_draw(a.rule_expr(r), names, base_total.shape, is_condition=True)
             for r in a.spec.adjustments}
    amounts = {r.id: model.amounts[r.id] if r.id in model.amounts else
               per_draw(a.amount_expr(r), names, base_total.shape) for r in a.spec.adjustments
               if a.amount_expr(r) is not None}
    done = apply_actions(a, fired, amounts, base_total, model.nominal.index)
    shown = displayed(done.total, a.spec.precision)
    keys = {**model.keys, **{n: names[n] for n in model.draw_nodes}, "total": shown}
    order = order_units(a, keys, done.excluded, model.id_code)
    selection = select_outcomes(a, order, shown, done.excluded, done.exempt, done.forced, done.vetoed)
    return DrawResult(done.total, selection.position, selection.outcome)


def _tree(model: Model, w: dict, methods) -> tuple[dict, np.ndarray]:
    a = model.assessment
    leaves = {leaf: _leaf_draws(model.options[leaf], w[leaf], None if methods is None else methods[:, i])
              for i, leaf in enumerate(a.leaves)}
    fractions, _, base_total = combine_tree(a, leaves, w, points_of=())
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
