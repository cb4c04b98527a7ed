"""Evaluate inputs and derived values, score indicators, aggregate the indicator tree."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from ..api.assessment import Assessment
from ..errors import Problem, ScoringError
from ..messages import tr
from ..api.expr import Env, evaluate, peer_stat
from .methods import MethodInput, apply_method


@dataclass
class TreeScores:
    """Per-unit values, fractions and points of every node, aligned to the unit index."""

    index: pd.Index
    values: pd.DataFrame  # leaf id -> raw indicator value (NaN = missing)
    fractions: pd.DataFrame  # node id -> fraction of full points
    points: pd.DataFrame  # node id -> points
    missing: pd.DataFrame  # leaf id -> value was missing and the missing policy applied
    stats: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    base_total: pd.Series | None = None


def value_columns(assessment: Assessment, frame: pd.DataFrame, groups: np.ndarray | None = None
                  ) -> dict[str, np.ndarray]:
    """Inputs and derived values as arrays, in the order derived values depend on each other.

    ``groups`` (scenario runs only) keeps the peer statistics of derived values within each group."""
    spec = assessment.spec
    columns: dict[str, np.ndarray] = {}
    for name, inp in spec.inputs.items():
        series = frame[name]
        columns[name] = series.to_numpy(float) if inp.type == "number" else series.to_numpy(object)
    columns.update(history_columns(assessment, frame))
    env = Env(columns, len(frame), groups)
    for name in assessment.derived_order:
        result = evaluate(assessment.derived_expr(name), env)
        columns[name] = result.astype(float) if result.dtype.kind in "biuf" else result
    return columns


def history_columns(assessment: Assessment, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The history names the rules read (``prev.rank`` ...): columns joined into the data by the history
    store (:mod:`scoring.history.previous`), or missing for every unit when there is no history."""
    from ..api.expr_history import history_kinds

    names = assessment.history_names
    kinds = history_kinds(names, {n: spec.type for n, spec in assessment.spec.inputs.items()})
    columns = {}
    for name in names:
        text = kinds[name] == "text"
        if name in frame.columns:
            columns[name] = frame[name].to_numpy(object if text else float)
        else:
            columns[name] = np.full(len(frame), None if text else np.nan, dtype=object if text else float)
    return columns


def _clean(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, float)
    return np.where(np.isfinite(values), values, np.nan)


PEER_MASK = "\x00in_peer_statistics"  # key in `columns`: False for units excluded (不参评) before scoring
SCENARIO = "\x00scenario"  # key in `columns`: which scenario a row belongs to (scenario runs only)


def scenario_groups(columns: Mapping[str, np.ndarray]) -> np.ndarray | None:
    """The scenario of each row as peer-group keys, or None in an ordinary run."""
    scenario = columns.get(SCENARIO)
    return None if scenario is None else np.asarray(scenario).astype(str)


def _population(columns: Mapping[str, np.ndarray]) -> np.ndarray | None:
    """Peer-group keys when peers are not simply everyone: units kept out of peer statistics
    ("in"/"out") and, in scenario runs, the scenario; else None."""
    mask = columns.get(PEER_MASK)
    inside = None if mask is None or mask.all() else np.where(mask, "in", "out")
    scenario = scenario_groups(columns)
    if scenario is None or inside is None:
        return inside if scenario is None else scenario
    return np.char.add(np.char.add(scenario, "\x00"), inside)


def peer_groups(node, columns: Mapping[str, np.ndarray]) -> np.ndarray | None:
    """Each unit's peer group for an indicator: its ``group_by`` value, and units excluded from the
    assessment (不参评) set apart, so that they never move the statistics of the units assessed."""
    population = _population(columns)
    if node.group_by is None:
        return population
    keys = np.asarray(columns[node.group_by]).astype(str)
    return keys if population is None else np.char.add(np.char.add(keys, "\x00"), population)


def score_leaf(assessment: Assessment, leaf_id: str, columns: Mapping[str, np.ndarray], size: int,
               method=None):
    """Score one indicator for all units. Returns (values, MethodResult); missing values stay NaN."""
    node = assessment.nodes[leaf_id]
    method = method or node.method
    groups = peer_groups(node, columns)
    base_env = Env(columns, size, groups)
    values = None
    if node.value is not None:
        values = _clean(evaluate(assessment.indicator_expr(leaf_id, "value"), base_env))
    env = Env({**columns, "value": values if values is not None else np.full(size, np.nan)}, size, groups)
    target_expr = assessment.indicator_expr(leaf_id, "target", method)
    target = _clean(evaluate(target_expr, base_env)) if target_expr is not None else None
    formula = assessment.indicator_expr(leaf_id, "formula", method)
    inp = MethodInput(leaf_id, values if values is not None else np.full(size, 0.0), node.direction,
                      node.weight, groups, env, formula, target)
    result = apply_method(method, inp)
    if values is None:  # a pure formula indicator: its points are its value
        values = _clean(result.fraction * node.weight)
    return values, result


def apply_missing_policy(assessment, leaf_id, values, fraction, columns, size, unit_ids, problems):
    """Fill the fraction of units whose value is missing, as the indicator's policy says."""
    node = assessment.nodes[leaf_id]
    missing = np.isnan(values) | np.isnan(fraction)
    if not missing.any():
        return fraction, missing
    policy = node.missing.policy
    present = np.where(missing, np.nan, fraction)
    if policy == "error":
        for unit_id in np.asarray(unit_ids)[missing]:
            problems.append(Problem(tr("value is missing or undefined (e.g. growth on a zero or negative base)"),
                                    field=f"{leaf_id} ({node.title})", found=tr("unit {unit}", unit=unit_id),
                                    expected=tr("a value, or a 'missing' policy: zero, mean, lowest or fallback")))
        return fraction, missing
    if policy == "zero" or (missing.all() and policy != "fallback"):
        fill = np.zeros(size)
    elif policy in ("mean", "lowest"):
        fill = _peer_fill("mean" if policy == "mean" else "min", present, node, columns)
    else:
        env = Env({**columns, "value": values}, size, peer_groups(node, columns))
        fill = evaluate(assessment.indicator_expr(leaf_id, "fallback"), env).astype(float) / node.weight
        _undefined_fallback(assessment, leaf_id, missing & ~np.isfinite(fill), unit_ids, problems)
    return np.where(missing, fill, fraction), missing


def _undefined_fallback(assessment, leaf_id, bad: np.ndarray, unit_ids, problems) -> None:
    """A fallback that is itself undefined (division by zero …) is reported, never taken as 0."""
    node = assessment.nodes[leaf_id]
    for unit_id in np.asarray(unit_ids)[bad]:
        problems.append(Problem(tr("the fallback is undefined for this unit (division by zero, log of zero or less, "
                                   "or a missing value)"), field=f"{leaf_id} ({node.title}) missing.fallback",
                                found=tr("unit {unit}: {fallback}", unit=unit_id,
                                         fallback=assessment.indicator_expr(leaf_id, 'fallback').text),
                                expected=tr("a fallback that gives a number for every unit it applies to")))


def _peer_fill(stat: str, present: np.ndarray, node, columns) -> np.ndarray:
    """Mean or lowest fraction of the units that have a value, within the peer group if any."""
    overall = peer_stat(stat, present, _population(columns))
    if node.group_by is None:
        return overall
    within = peer_stat(stat, present, peer_groups(node, columns))
    return np.where(np.isnan(within), overall, within)  # a group with no values uses everyone


def aggregate(assessment: Assessment, leaf_fractions: pd.DataFrame,
              weights: Mapping[str, float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Combine leaf fractions up the tree. Returns (fractions, points, base_total) for all nodes.

    ``weights`` overrides node weights by id (what-if runs); other nodes keep the file's weights.
    The one-draw case of :func:`combine_tree`.
    """
    weights = {nid: (weights or {}).get(nid, node.weight) for nid, node in assessment.nodes.items()}
    leaves = {leaf: leaf_fractions[leaf].to_numpy(float) for leaf in assessment.leaves}
    fractions, points, base_total = combine_tree(assessment, leaves, weights)
    index = leaf_fractions.index
    order = list(assessment.nodes)
    return (pd.DataFrame({n: fractions[n] for n in order}, index=index),
            pd.DataFrame({n: points[n] for n in order}, index=index),
            pd.Series(base_total, index=index, name="base_total"))


def combine_tree(assessment: Assessment, leaves: Mapping[str, np.ndarray], weights: Mapping[str, object],
                 points_of=None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Fractions and points of every node and the base total, for one draw or many.

    Leaf fractions are arrays of units or of draws x units; a weight is a number or a column of
    one weight per draw (draws x 1). Results broadcast to draws x units when any input has draws.
    ``points_of`` limits the points computed to those nodes (draws need only the ones rules read).
    """
    fractions = dict(leaves)
    for group_id in assessment.groups:  # post-order: children are done before their parent
        node = assessment.nodes[group_id]
        fractions[group_id] = _combine([fractions[c.id] for c in node.children],
                                       [weights[c.id] for c in node.children], node.aggregate)
    top = assessment.top_level
    full = sum(weights[n] for n in top)
    root = _combine([fractions[n] for n in top], [weights[n] for n in top], assessment.spec.aggregate)
    points = {n: fractions[n] * weights[n] for n in (assessment.nodes if points_of is None else points_of)}
    return fractions, points, root * full


def _combine(parts: list[np.ndarray], weights: list, how: str) -> np.ndarray:
    """Weighted arithmetic mean of the children, or weighted mean of their logs (geometric)."""
    if how == "arithmetic" and np.ndim(weights[0]) == 2 and all(np.ndim(p) == 1 for p in parts):
        share = np.hstack(weights)  # many draws over fixed fractions: one matrix product
        return (share / share.sum(axis=1, keepdims=True)) @ np.vstack(parts)
    total, weight_sum = None, None
    for part, weight in zip(parts, weights):
        if how != "arithmetic":
            with np.errstate(divide="ignore"):
                part = np.log(np.clip(part, 0, None))
        term = part * weight
        total = term if total is None else total + term
        weight_sum = weight if weight_sum is None else weight_sum + weight
    mixed = total / weight_sum
    return mixed if how == "arithmetic" else np.exp(mixed)


def score_tree(assessment: Assessment, frame: pd.DataFrame, columns: Mapping[str, np.ndarray]) -> TreeScores:
    """Score every indicator, apply missing policies (all errors reported together), aggregate."""
    size, index = len(frame), frame.index
    values, fractions, missing, stats = {}, {}, {}, {}
    problems: list[Problem] = []
    for leaf in assessment.leaves:
        leaf_values, result = score_leaf(assessment, leaf, columns, size)
        fraction, missed = apply_missing_policy(assessment, leaf, leaf_values, result.fraction, columns, size,
                                                index, problems)
        values[leaf], fractions[leaf], missing[leaf], stats[leaf] = leaf_values, fraction, missed, result.stats
    if problems:
        raise ScoringError(tr("{count} missing value(s) cannot be scored", count=len(problems)), problems)
    leaf_frame = pd.DataFrame(fractions, index=index)
    node_fractions, points, base_total = aggregate(assessment, leaf_frame)
    return TreeScores(index, pd.DataFrame(values, index=index), node_fractions, points,
                      pd.DataFrame(missing, index=index), stats, base_total)
