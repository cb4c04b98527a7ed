"""Which weights decide the ranks and outcomes? Sobol sensitivity indices of every node weight.

Every node weight (groups and indicators) varies independently and uniformly in
[w (1 - S), w (1 + S)], as in ``zonescore robustness``. Weight sets come from SALib's Sobol
sequence sampler (Saltelli's scheme: N base rows of matrices A and B and, per weight i, the
matrix A with column i from B; N (D + 2) rows for D weights, first-order indices only); every
row is scored, adjusted, ranked and classified by the shared core on draws x units
(:func:`scoring.engine.draws.evaluate_draws`). Per unit, for its rank (position) and for "has its
nominal outcome" (1 or 0), the estimators SALib uses are computed for all units at once:

* first order (Saltelli 2010): S1_i = mean(f_B (f_ABi - f_A)) / Var(f)
* total (Jansen 1999): ST_i = mean((f_A - f_ABi)^2) / 2 / Var(f)

with Var over the A and B rows together and each unit's outputs first centred on their mean (as
SALib does: the first-order estimator is not invariant to a shift); ``tests/test_sensitivity.py`` checks them against
``SALib.analyze.sobol``. An output that never changes has no variance: its indices are 0 (not
NaN). A unit's outcome is *decided* by the weight with the largest total index among units
whose outcome changes at all; the report gives, per weight, the share of units so decided.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.draws import check_spread, evaluate_draws, prepare
from ..engine.run import RunResult
from ..errors import OptionError, Problem
from ..messages import tr
from .robustness import chunk_draws

MAX_SAMPLES = 2 ** 14


@dataclass
class Sensitivity:
    """Sobol indices per weight (rows: node ids) and unit (columns: unit ids), and summaries."""

    nominal: RunResult
    samples: int
    spread: float
    seed: int
    rank_first: pd.DataFrame
    rank_total: pd.DataFrame
    outcome_total: pd.DataFrame
    rank_variance: pd.Series  # unit id -> variance of its rank over the samples
    outcome_variance: pd.Series  # unit id -> variance of "has its nominal outcome"
    deciding: pd.Series  # unit id -> node id of the largest outcome total index ("" when it never changes)

    @property
    def outcome_varies(self) -> pd.Series:
        return self.outcome_variance > 0

    @property
    def summary(self) -> pd.DataFrame:
        """Per weight: the indices of all units together (each unit's index weighted by its output's
        variance, so that units whose rank hardly moves do not add their sampling noise), and the
        number and share of the units whose outcome changes that the weight decides."""
        count = max(int(self.outcome_varies.sum()), 1)
        decides = [int((self.deciding == node).sum()) for node in self.rank_first.index]
        return pd.DataFrame({
            "rank_first": _pooled(self.rank_first, self.rank_variance),
            "rank_total": _pooled(self.rank_total, self.rank_variance),
            "outcome_total": _pooled(self.outcome_total, self.outcome_variance),
            "decides": decides, "decides_share": [n / count for n in decides],
        }, index=self.rank_first.index)


def _pooled(indices: pd.DataFrame, variance: pd.Series) -> pd.Series:
    """Variance-weighted mean of per-unit indices (Gamboa et al.'s aggregated index); 0 without variance."""
    total = float(variance.sum())
    if total <= 0:
        return pd.Series(0.0, index=indices.index)
    return indices.mul(variance, axis=1).sum(axis=1) / total


def sensitivity(nominal: RunResult, samples: int = 1024, spread: float = 0.2, seed: int = 20231231) -> Sensitivity:
    """First-order and total Sobol indices of every node weight for every unit's rank and outcome."""
    check_options(samples, spread, seed)
    model = prepare(nominal, spread)
    rows = saltelli_rows(model.base_weights, spread, samples, seed)
    positions, kept = _evaluate(model, rows, nominal)
    d = len(model.node_ids)
    rank_first, rank_total, rank_variance = sobol_indices(positions.astype(float), samples, d)
    _, outcome_total, outcome_variance = sobol_indices(kept.astype(float), samples, d)
    nodes, units = pd.Index(model.node_ids, name="node"), nominal.index
    varies = outcome_variance > 0
    deciding = pd.Series(np.where(varies, np.asarray(nodes)[outcome_total.argmax(axis=0)], ""), index=units)
    return Sensitivity(nominal, samples, spread, seed, pd.DataFrame(rank_first, index=nodes, columns=units),
                       pd.DataFrame(rank_total, index=nodes, columns=units),
                       pd.DataFrame(outcome_total, index=nodes, columns=units),
                       pd.Series(rank_variance, index=units), pd.Series(outcome_variance, index=units), deciding)


def check_options(samples: int, spread: float, seed: int) -> None:
    check_spread(spread)
    power = isinstance(samples, int) and not isinstance(samples, bool) and samples >= 2 \
        and samples & (samples - 1) == 0 and samples <= MAX_SAMPLES
    if not power:
        raise OptionError(tr("Invalid --samples option"), [Problem(
            tr("the number of base samples must be a power of two"), field="--samples", found=str(samples),
            expected=tr("2, 4, 8 … {most}, e.g. 1024", most=MAX_SAMPLES))])
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= 2 ** 32 - 1:
        raise OptionError(tr("Invalid --seed option"), [Problem(
            tr("a seed is a whole number from 0 to {most}", most=2 ** 32 - 1), field="--seed", found=str(seed),
            expected=tr("e.g. 20231231"))])


def saltelli_rows(base: np.ndarray, spread: float, samples: int, seed: int) -> np.ndarray:
    """Weight sets in SALib's order: per base sample, A, AB_1 … AB_D, B (N (D + 2) rows)."""
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(base), "names": [f"w{i}" for i in range(len(base))],
               "bounds": [[1 - spread, 1 + spread]] * len(base)}
    factors = sobol_sample.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
    return base * factors


def _evaluate(model, rows: np.ndarray, nominal: RunResult) -> tuple[np.ndarray, np.ndarray]:
    """Rank positions and "has its nominal outcome" (draws x units) of every weight set."""
    outcome_ids = model.outcome_ids
    nominal_code = np.array([outcome_ids.index(o) if isinstance(o, str) else len(outcome_ids)
                             for o in nominal.ranking.outcome.reindex(nominal.index)])
    positions = np.zeros((len(rows), model.size), np.int32)
    kept = np.zeros((len(rows), model.size), bool)
    step = chunk_draws(model.size)
    for start in range(0, len(rows), step):
        result = evaluate_draws(model, rows[start:start + step])
        positions[start:start + step] = result.position
        kept[start:start + step] = result.outcome == nominal_code
    return positions, kept


def sobol_indices(outputs: np.ndarray, samples: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(S1, ST), each d x units, and each unit's output variance, from outputs in :func:`saltelli_rows`
    order (rows x units)."""
    outputs = outputs - outputs.mean(axis=0)  # as SALib does: the first-order estimator is not shift invariant
    blocks = outputs.reshape(samples, d + 2, -1)
    f_a, f_b, f_ab = blocks[:, 0, :], blocks[:, -1, :], blocks[:, 1:-1, :]
    variance = np.var(np.concatenate([f_a, f_b]), axis=0)
    live = variance > 0
    safe = np.where(live, variance, 1.0)
    first = np.mean(f_b[:, None, :] * (f_ab - f_a[:, None, :]), axis=0) / safe
    total = 0.5 * np.mean((f_a[:, None, :] - f_ab) ** 2, axis=0) / safe
    return np.where(live, first, 0.0), np.where(live, total, 0.0), variance
