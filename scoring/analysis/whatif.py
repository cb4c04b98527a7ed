"""What-if runs: change weights (or the whole rule file) and compare rankings and outcomes.

``whatif(assessment, data, weights={"growth": 50})`` re-scores the same data with some node
weights changed and returns a :class:`Comparison`: every unit's baseline and scenario rank and
outcome, the rank change, who enters and leaves each outcome, Spearman's rho and Kendall's tau
between the two rankings, the largest movers and the full score of both. ``compare(a, b)``
compares any two runs on the same units (e.g. two rule files, ``zonescore whatif --against``).

Ranks are the displayed ranks of ``zonescore run`` (units with equal displayed totals share a
rank); rho and tau are computed over the units ranked in both runs, with ties handled as
average ranks (rho) and as Kendall's tau-b (tau). Nothing here prints or formats: :mod:`scoring.report.whatif_render` renders a comparison.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..api.assessment import Assessment, compile_assessment
from ..io.data import UnitData
from ..errors import OptionError, Problem
from ..messages import tr
from .options import weight_value
from ..engine.run import RunResult, run_assessment

MOVERS = 5  # the largest movers listed, and every unit tied with the last of them


# --- weights ------------------------------------------------------------------------------


def resolve_weights(assessment: Assessment, weights: Mapping[str, Any]) -> dict[str, float]:
    """Map ``{node id or label: value}`` to ``{node id: weight}``; all problems in one OptionError."""
    problems: list[Problem] = []
    resolved: dict[str, float] = {}
    for key, raw in weights.items():
        node_id = _node_for(assessment, str(key).strip(), problems)
        value = weight_value(raw, str(key), problems)
        if node_id is not None and value is not None:
            resolved[node_id] = value
    if problems:
        raise OptionError(tr("Invalid --weight option"), problems)
    return resolved


def _node_for(assessment: Assessment, key: str, problems: list[Problem]) -> str | None:
    if key in assessment.nodes:
        return key
    matches = [nid for nid, node in assessment.nodes.items() if node.label == key]
    if len(matches) == 1:
        return matches[0]
    valid = ", ".join(f"{nid} ({node.title})" if node.label else nid for nid, node in assessment.nodes.items())
    if matches:
        problems.append(Problem(tr("label names several nodes; use the id"), field="--weight", found=repr(key),
                                expected=tr("one of: {ids}", ids=", ".join(matches))))
    else:
        problems.append(Problem(tr("unknown node"), field="--weight", found=repr(key),
                                expected=tr("a group or indicator id or label: {valid}", valid=valid)))
    return None


def parse_weight_options(options: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["growth=50", "质量=25"]`` -> ``{"growth": "50", "质量": "25"}`` (later options win)."""
    parsed: dict[str, str] = {}
    problems = []
    for option in options:
        node, sep, value = option.rpartition("=")
        if not sep or not node.strip():
            problems.append(Problem(tr("expected NODE=VALUE"), field="--weight", found=repr(option),
                                    expected=tr("e.g. --weight growth=50 or --weight 增速=50")))
            continue
        parsed[node.strip()] = value.strip()
    if problems:
        raise OptionError(tr("Invalid --weight option"), problems)
    return parsed


def reweighted(assessment: Assessment, weights: Mapping[str, float], methods: Mapping[str, int] | None = None
               ) -> Assessment:
    """A re-compiled copy of ``assessment`` with node weights (by id) replaced.

    ``methods`` optionally picks a scoring method per indicator: 0 is the file's method,
    ``j >= 1`` the ``j``-th entry of the indicator's ``alternatives``.
    """
    spec = assessment.spec.model_copy(deep=True)
    stack = list(spec.indicators)
    while stack:
        node = stack.pop()
        if node.id in weights:
            node.weight = float(weights[node.id])
        if methods and methods.get(node.id):
            node.method = node.alternatives[methods[node.id] - 1].model_copy(deep=True)
        stack.extend(node.children or [])
    return compile_assessment(spec, assessment.path, assessment.sha256, assessment.lines)


# --- comparison ---------------------------------------------------------------------------


@dataclass
class Comparison:
    """Baseline vs scenario, as data. ``units`` is sorted by scenario rank (unranked units last)."""

    baseline: RunResult
    scenario: RunResult
    units: pd.DataFrame
    outcome_moves: pd.DataFrame  # outcome, label, entered (ids), left (ids)
    spearman: float
    kendall: float
    movers: pd.DataFrame
    full_score: tuple[float, float]
    weights: list[dict] = field(default_factory=list)  # node, label, baseline, scenario, rescaled (, factor)
    against: str | None = None
    keep_total: bool = False  # siblings of the changed weights rescaled (kept_total)

    @property
    def changed(self) -> bool:
        units = self.units
        ranks = (units["rank_change"].fillna(0) != 0).any()
        outcomes = (units["baseline_outcome"].fillna("") != units["scenario_outcome"].fillna("")).any()
        return bool(ranks or outcomes)


def whatif(assessment: Assessment, data: UnitData, weights: Mapping[str, Any], keep_total: bool = False
           ) -> Comparison:
    """Score ``data`` under the file's weights and under ``weights`` (node id or label -> value);
    with ``keep_total`` the siblings of each changed node are rescaled (:func:`kept_total`)."""
    resolved = resolve_weights(assessment, weights)  # bad options fail before any scoring
    if keep_total:
        kept_total(assessment, resolved)
    return whatif_of(run_assessment(assessment, data), weights, keep_total)


def whatif_of(baseline: RunResult, weights: Mapping[str, Any], keep_total: bool = False) -> Comparison:
    """Like :func:`whatif`, around an existing baseline run."""
    assessment, data = baseline.assessment, baseline.data
    resolved = resolve_weights(assessment, weights)
    changes = [{"node": nid, "label": assessment.label(nid), "baseline": assessment.nodes[nid].weight,
                "scenario": value, "rescaled": False} for nid, value in resolved.items()]
    if keep_total:
        rescaled = kept_total(assessment, resolved)
        changes += rescaled
        resolved = {**resolved, **{change["node"]: change["scenario"] for change in rescaled}}
    scenario = run_assessment(reweighted(assessment, resolved), data, baseline.engine)
    return compare(baseline, scenario, weights=changes, keep_total=keep_total)


def kept_total(assessment: Assessment, weights: Mapping[str, float]) -> list[dict]:
    """The weight changes that keep every sum of sibling weights as it was when ``weights`` (node id ->
    weight) are set: on each level holding a changed node (the top level, whose sum is the full
    score, or a group's children), the unchanged siblings are multiplied by one factor,
    (sum of the level - new weights of the changed nodes) / (sum of the unchanged siblings).

    Returns one record per rescaled node (node, label, baseline, scenario, rescaled=True, factor);
    an :class:`OptionError` when a level has no unchanged sibling or no weight left for them.
    """
    problems: list[Problem] = []
    changes: list[dict] = []
    for level in _levels(assessment.spec.indicators):
        changed = [node for node in level if node.id in weights]
        if not changed:
            continue
        others = [node for node in level if node.id not in weights]
        level_sum = sum(node.weight for node in level)
        left = level_sum - sum(weights[node.id] for node in changed)
        names = ", ".join(node.id for node in changed)
        if not others or left <= 0:
            problems.append(Problem(tr("no weight left for the other weights of this level"), field="--keep-total",
                                    found=tr("{nodes}: new weights {new:g}, level sum {total:g}", nodes=names,
                                             new=level_sum - left, total=level_sum),
                                    expected=tr("new weights below the level's sum, with at least one sibling "
                                                "left unchanged")))
            continue
        rest = sum(node.weight for node in others)
        changes += [{"node": node.id, "label": assessment.label(node.id), "baseline": node.weight,
                     "scenario": node.weight * left / rest, "rescaled": True, "factor": left / rest}
                    for node in others]
    if problems:
        raise OptionError(tr("--keep-total cannot keep the full score"), problems)
    return changes


def _levels(nodes):
    """Every list of siblings in the tree: the top level, then each group's children."""
    stack = [list(nodes)]
    while stack:
        level = stack.pop(0)
        yield level
        stack += [list(node.children) for node in level if node.children]


def compare(baseline: RunResult, scenario: RunResult, weights: list[dict] | None = None,
            against: str | None = None, keep_total: bool = False) -> Comparison:
    """Compare two runs over the same units (matched by unit id)."""
    units = _unit_table(baseline, scenario)
    ranked = units.dropna(subset=["baseline_rank", "scenario_rank"])
    base_ranks, scen_ranks = ranked["baseline_rank"].to_numpy(float), ranked["scenario_rank"].to_numpy(float)
    full = (baseline.assessment.spec.full_score, scenario.assessment.spec.full_score)
    return Comparison(baseline, scenario, units, _outcome_moves(baseline, scenario, units),
                      spearman_rho(base_ranks, scen_ranks), kendall_tau(base_ranks, scen_ranks),
                      largest_movers(units), full, weights or [], against, keep_total)


def largest_movers(units: pd.DataFrame, count: int = MOVERS) -> pd.DataFrame:
    """The units whose rank changed most: the ``count`` largest absolute changes and every unit tied
    with the last of them (largest first, then in scenario rank order)."""
    moved = units["rank_change"].dropna()
    magnitude = moved[moved != 0].abs().sort_values(ascending=False, kind="mergesort")
    if magnitude.empty:
        return units.iloc[:0]
    cut = magnitude.iloc[min(count, len(magnitude)) - 1]
    return units.loc[magnitude[magnitude >= cut].index]


def _unit_table(baseline: RunResult, scenario: RunResult) -> pd.DataFrame:
    order = list(scenario.ranking.order) + [u for u in baseline.ranking.order if u not in scenario.index]
    table = pd.DataFrame(index=pd.Index(order, name="id"))
    names = pd.concat([scenario.data.frame[scenario.assessment.spec.name_column],
                       baseline.data.frame[baseline.assessment.spec.name_column]])
    table["name"] = names[~names.index.duplicated()].reindex(order).astype(str).to_numpy()
    for prefix, result in (("baseline", baseline), ("scenario", scenario)):
        table[f"{prefix}_rank"] = result.ranking.display_rank.reindex(order).to_numpy(float)
        table[f"{prefix}_position"] = result.ranking.position.reindex(order).to_numpy(float)
        table[f"{prefix}_total"] = result.total.reindex(order).to_numpy(float)
        table[f"{prefix}_outcome"] = result.ranking.outcome.reindex(order).to_numpy(object)
        table[f"{prefix}_status"] = result.ranking.status.reindex(order).to_numpy(object)
    table["rank_change"] = table["baseline_rank"] - table["scenario_rank"]  # positive: moved up
    return table


def _outcome_moves(baseline: RunResult, scenario: RunResult, units: pd.DataFrame) -> pd.DataFrame:
    specs = {o.id: o.title for o in scenario.assessment.spec.outcomes}
    specs.update({o.id: o.title for o in baseline.assessment.spec.outcomes})
    ids = [o.id for o in baseline.assessment.spec.outcomes]
    ids += [o.id for o in scenario.assessment.spec.outcomes if o.id not in ids]
    by_base_rank = units.sort_values("baseline_position", kind="mergesort", na_position="last")
    rows = []
    for outcome_id in ids:
        base, scen = units["baseline_outcome"] == outcome_id, units["scenario_outcome"] == outcome_id
        left = (base & ~scen).reindex(by_base_rank.index).to_numpy(bool)
        rows.append({"outcome": outcome_id, "label": specs[outcome_id],
                     "entered": list(units.index[(scen & ~base).to_numpy(bool)]),
                     "left": list(by_base_rank.index[left])})
    return pd.DataFrame(rows, columns=["outcome", "label", "entered", "left"])


# --- rank correlations (numpy only) -----------------------------------------------------------


def spearman_rho(x, y) -> float:
    """Spearman's rank correlation: Pearson correlation of the average ranks (NaN if undefined)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 2:
        return math.nan
    rx = pd.Series(x).rank(method="average").to_numpy()
    ry = pd.Series(y).rank(method="average").to_numpy()
    dx, dy = rx - rx.mean(), ry - ry.mean()
    denominator = math.sqrt(float((dx * dx).sum() * (dy * dy).sum()))
    return float((dx * dy).sum() / denominator) if denominator > 0 else math.nan


def kendall_tau(x, y) -> float:
    """Kendall's tau-b over all pairs, in O(n log n) (Knight's method: sort by x, count the
    inversions of y by merging sorted blocks level by level; ties counted from the sorted runs)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    count = len(x)
    order = np.lexsort((y, x))  # by x, ties by y: pairs tied in x are never inversions of y
    xs, ys = x[order], y[order]
    total = count * (count - 1) // 2
    x_ties, y_ties = _tied_pairs(xs), _tied_pairs(np.sort(y))
    both = np.flatnonzero(np.r_[True, (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1]), True])
    joint_ties = int((np.diff(both) * (np.diff(both) - 1) // 2).sum()) if count else 0
    pairs_x, pairs_y = total - x_ties, total - y_ties
    if pairs_x == 0 or pairs_y == 0:
        return math.nan
    concordance = total - x_ties - y_ties + joint_ties - 2 * _inversions(ys)
    return concordance / math.sqrt(pairs_x * pairs_y)


def _tied_pairs(ordered: np.ndarray) -> int:
    """Pairs of equal values in a sorted array."""
    runs = np.diff(np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1], True])) if len(ordered) else []
    return int(sum(int(r) * (int(r) - 1) // 2 for r in runs if r > 1))


def _inversions(values: np.ndarray) -> int:
    """Pairs i < j with values[i] > values[j]: sorted blocks of width 1, 2, 4 ... are merged pairwise,
    all pairs of a level at once (each pair's keys offset by its number, so one sort merges them all)."""
    blocks = np.unique(values, return_inverse=True)[1].astype(np.int64).ravel()
    count, span, width, inversions = len(blocks), int(blocks.max()) + 1 if len(blocks) else 1, 1, 0
    position = np.arange(count)
    while width < count:
        pair = position // (2 * width)
        right = (position // width) % 2 == 1
        keys = blocks + pair * span
        left_keys, right_keys = keys[~right], keys[right]  # each pair's left block is sorted: all of it is
        left_end = np.searchsorted(left_keys, (pair[right] + 1) * span, side="left")
        inversions += int((left_end - np.searchsorted(left_keys, right_keys, side="right")).sum())
        blocks = np.sort(keys, kind="stable") - pair * span
        width *= 2
    return inversions

