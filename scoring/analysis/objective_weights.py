"""Data-driven (objective) weights for the indicators: entropy (熵权法), CRITIC and equal weights.

The decision matrix is the indicators' raw values (``RunResult.tree.values``: one column per
leaf indicator), over the units that are assessed (not excluded) and have a value for every
indicator. Each column is min-max normalised in the indicator's direction (higher or lower is
better) to [0, 1]; then

* **entropy** (the textbook 熵权法): shares p = x / Σx per column, entropy
  e = -Σ p ln p / ln n (with 0 · ln 0 = 0), weight ∝ 1 - e. pymcdm's ``entropy_weights`` gives the
  same weights for a matrix without zeros (it sets a column's entropy to 0 when any share is 0,
  which the textbook formula does not);
* **CRITIC**: weight ∝ σ_j · Σ_k (1 - r_jk) with σ the sample standard deviation (ddof 1) and r
  Pearson's correlation of the normalised columns, as pymcdm's ``critic_weights``;
* **equal**: every indicator the same weight.

A column with one value for every unit carries no information: its weight is 0 (entropy 1,
CRITIC σ = 0), never NaN. The weights are shares of the full score; :func:`tree_weights` turns
them into node weights of the rule file's tree (each group weighs the sum of its indicators),
so that the full score stays the same, and the what-if comparison with the file's weights is
the one ``zonescore whatif`` makes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import OptionError, Problem, ScoringError
from ..messages import tr
from ..engine.run import RunResult
from .whatif import Comparison, whatif_of

METHODS = ("entropy", "critic", "equal")
TOKEN_SHARE = 1e-6  # an indicator without information (weight 0) keeps this share in the what-if run:
# weights must be above zero, and a column with one value for every unit moves every total alike


@dataclass
class ObjectiveWeights:
    """Per indicator: the file's share of the full score and the data-driven one, and the comparison."""

    method: str
    leaves: pd.DataFrame  # index leaf id: label, file_share, data_share, file_weight, data_weight
    units_used: int
    units_left_out: list[str]
    comparison: Comparison

    @property
    def token_weights(self) -> list[str]:
        """Indicators given no weight by the data (kept at a token weight in the comparison)."""
        return [leaf for leaf, share in self.leaves["data_share"].items() if share <= 0]


def objective_weights(result: RunResult, method: str) -> ObjectiveWeights:
    """Weights by ``method`` (entropy, critic, equal), and the ranking they give beside the file's."""
    if method not in METHODS:
        raise OptionError(tr("Invalid --method option"), [Problem(
            tr("unknown weighting method"), field="--method", found=method, expected=", ".join(METHODS))])
    a = result.assessment
    matrix, used, left_out = decision_matrix(result)
    directions = [a.nodes[leaf].direction for leaf in a.leaves]
    shares = {"entropy": entropy_weights, "critic": critic_weights, "equal": equal_weights}[method](
        normalise(matrix, directions))
    full = a.spec.full_score
    file_share = global_shares(result)
    leaves = pd.DataFrame({"label": [a.label(leaf) for leaf in a.leaves], "file_share": file_share,
                           "data_share": shares, "file_weight": file_share * full, "data_weight": shares * full},
                          index=pd.Index(a.leaves, name="id"))
    comparison = whatif_of(result, tree_weights(result, dict(zip(a.leaves, shares * full))))
    return ObjectiveWeights(method, leaves, len(used), left_out, comparison)


def decision_matrix(result: RunResult) -> tuple[np.ndarray, list[str], list[str]]:
    """Indicator values (units x leaves) of the assessed units with a value for every indicator."""
    a = result.assessment
    values = result.tree.values[a.leaves].astype(float)
    assessed = ~result.adjustments.excluded.reindex(values.index).fillna(False).astype(bool)
    complete = np.isfinite(values.to_numpy()).all(axis=1)
    keep = assessed.to_numpy() & complete
    if keep.sum() < 2:
        raise ScoringError(tr("Too few units to compute weights from the data"), [Problem(
            tr("units assessed with a value for every indicator"), found=str(int(keep.sum())),
            expected=tr("at least 2"))])
    left_out = [str(u) for u in values.index[assessed.to_numpy() & ~complete]]
    return values.to_numpy()[keep], [str(u) for u in values.index[keep]], left_out


def normalise(matrix: np.ndarray, directions: list[str]) -> np.ndarray:
    """Min-max per column to [0, 1], best = 1 (``lower`` columns reversed); a constant column is 0."""
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    scaled = (matrix - low) / span
    lower = np.array([d == "lower" for d in directions])
    scaled[:, lower] = 1.0 - scaled[:, lower]
    scaled[:, high <= low] = 0.0
    return scaled


def entropy_weights(normalised: np.ndarray) -> np.ndarray:
    n = normalised.shape[0]
    sums = normalised.sum(axis=0)
    shares = np.divide(normalised, sums, out=np.zeros_like(normalised), where=sums > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, shares * np.log(shares), 0.0)
    entropy = np.where(sums > 0, -terms.sum(axis=0) / np.log(n), 1.0)
    return _shares(1.0 - entropy)


def critic_weights(normalised: np.ndarray) -> np.ndarray:
    spread = normalised.std(axis=0, ddof=1)
    varying = spread > 0
    correlation = np.eye(normalised.shape[1])
    if varying.sum() > 1:
        correlation[np.ix_(varying, varying)] = np.corrcoef(normalised[:, varying], rowvar=False)
    conflict = (1.0 - correlation).sum(axis=0)
    return _shares(np.where(varying, spread * conflict, 0.0))


def equal_weights(normalised: np.ndarray) -> np.ndarray:
    return np.full(normalised.shape[1], 1.0 / normalised.shape[1])


def _shares(information: np.ndarray) -> np.ndarray:
    information = np.clip(information, 0.0, None)  # rounding may leave -1e-17 where there is none
    total = information.sum()
    if not np.isfinite(total) or total <= 0:
        raise ScoringError(tr("The data gives no weights by this method: the indicators do not tell the units apart (each has one "
                              "value for every unit, or they are perfectly correlated)"))
    return information / total


def global_shares(result: RunResult) -> np.ndarray:
    """Each indicator's share of the full score under the file's weights (weights along its path)."""
    a = result.assessment
    shares = []
    for leaf in a.leaves:
        share, node = 1.0, leaf
        while node is not None:
            parent = a.parents[node]
            siblings = a.top_level if parent is None else [c.id for c in a.nodes[parent].children]
            share *= a.nodes[node].weight / sum(a.nodes[s].weight for s in siblings)
            node = parent
        shares.append(share)
    return np.array(shares)


def tree_weights(result: RunResult, leaf_weights: dict[str, float]) -> dict[str, float]:
    """Node weights giving each indicator ``leaf_weights`` points: a group weighs its indicators' sum."""
    a = result.assessment
    weights = dict(leaf_weights)
    for group in a.groups:  # post-order: children first
        weights[group] = sum(weights[c.id] for c in a.nodes[group].children)
    floor = TOKEN_SHARE * a.spec.full_score
    return {node: max(weight, floor) for node, weight in weights.items()}
