"""Robustness of ranks and outcomes to the weights (and optionally the scoring methods).

Each draw multiplies every node weight (groups and indicators, top level included) by an
independent factor from U(1 - S, 1 + S), S = ``spread`` (0 <= S < 1), so the full score moves
with the top-level weights exactly as it would if the rule file said so. With ``vary_method``
each indicator also takes one of its methods (the file's method or one of its ``alternatives``)
with equal probability, independently per draw. Draws come from ``numpy.random.default_rng(seed)``
(weights first, then methods), so the same seed gives identical output whatever the chunk size.

Evaluation is vectorised over draws, in chunks of draws to bound memory:

* leaf fractions are computed once per method (``score_leaf`` + ``apply_missing_policy``). A
  fraction may depend on the indicator's own weight (formula points, band points, rank steps,
  fallback points are divided by it), so each unit's fraction is fitted as ``a + b / weight``
  from probes at the ends of the weight range and checked at two interior weights; an
  indicator where the check fails (a cap or floor kinks inside the range) is scored exactly,
  draw by draw;
* group and total scores are weighted means (arithmetic) or weighted means of logs (geometric)
  over the tree, as matrix products over all draws;
* adjustment rules keep the firing of the nominal run unless their condition reads node points
  or ``total``; those conditions (and points/factor expressions reading them) are evaluated per
  draw with numpy, with the engine's semantics (a comparison with a missing value is false,
  also under ``not``). Then rule caps, pools, factors, ``total_min``/``total_max`` and statuses
  (veto, force, exempt, exclude) are applied by the run's own :mod:`scoring.engine.actions`;
* units are ranked per draw by the displayed (rounded) total, then the rule file's full
  tie-break chain, then id; outcomes are chosen by the run's own :mod:`scoring.engine.select` (top/bottom
  N, percentages, thresholds, rest; vetoes skip, forced units count toward the quota, exempt units
  are not classified, excluded units are not ranked).

Ranks here are positions (1..n, no shared ranks). Per unit: nominal rank, median rank, the 5th-95th
percentile interval, mean absolute shift from the nominal rank, the probability of each outcome
and a verdict: robust when the nominal outcome (or having none) holds in >= 95% of the draws.
"""

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..api.assessment import Assessment
from ..engine.draws import Draws, Model, check_spread, draw_scenarios, evaluate_draws, prepare
from ..io import data_limits
from ..io.data import UnitData
from ..errors import OptionError, Problem
from ..messages import tr
from ..engine.run import RunResult, run_assessment

CHUNK_ELEMENTS = 2_000_000  # draws x units evaluated at once
MAX_CHUNK_DRAWS = 2_500
ROBUST_SHARE = 0.95
MAX_SEED = 2**32 - 1  # numpy seeds are non-negative; one 32-bit word keeps them easy to note down
MEMORY_SHARE = 0.5  # of the memory available now that the draws may use
FALLBACK_MEMORY = 2 * 1024**3  # assumed available where free memory cannot be read

# --- driver and summary -----------------------------------------------------------------------


@dataclass
class RobustnessResult:
    """Per-unit rank distribution and outcome probabilities over the draws, as data."""

    nominal: RunResult
    draws: int
    spread: float
    seed: int
    vary_method: bool
    units: pd.DataFrame  # nominal order; ranks, interval, shift, p_<outcome>, p_nominal, verdict
    mean_rank_shift: float
    borderline: list[str]
    threshold: float = ROBUST_SHARE


def robustness(assessment: Assessment, data: UnitData, draws: int = 10_000, spread: float = 0.2,
               seed: int = 20231231, vary_method: bool = False,
               progress: Callable[[int], None] | None = None) -> RobustnessResult:
    """Run the nominal assessment, then ``draws`` perturbed ones (see the module docstring)."""
    check_spread(spread)  # draws and seed are checked once the unit count is known
    return robustness_of(run_assessment(assessment, data), draws, spread, seed, vary_method, progress)


def robustness_of(nominal: RunResult, draws: int = 10_000, spread: float = 0.2, seed: int = 20231231,
                  vary_method: bool = False, progress: Callable[[int], None] | None = None) -> RobustnessResult:
    """Robustness analysis around an existing nominal run; ``progress(n)`` is told of each chunk done."""
    check_options(nominal, draws, spread, seed)
    model = prepare(nominal, spread, vary_method)
    scenarios = draw_scenarios(model, draws, seed)
    positions, counts = _run_chunks(model, scenarios, progress)
    units, shift = _unit_table(model, positions, counts)
    borderline = list(units.index[units["verdict"] == "borderline"])
    return RobustnessResult(nominal, draws, spread, seed, vary_method, units, shift, borderline)


# --- option validation --------------------------------------------------------------------------


def check_options(nominal: RunResult, draws: int, spread: float, seed: int) -> None:
    """Every option checked before any work: draws (count and memory), spread, seed; OptionError."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise OptionError(tr("Invalid --draws option"), [Problem(tr("need at least one draw"), field="--draws",
                                                                 found=str(draws), expected=tr("e.g. 10000"))])
    check_spread(spread)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise OptionError(tr("Invalid --seed option"), [Problem(
            tr("a seed is a whole number from 0 to {most}", most=MAX_SEED), field="--seed", found=str(seed),
            expected=tr("e.g. 20231231"))])
    _check_memory(int(draws), nominal)


def draw_bytes(units: int, nodes: int, leaves: int) -> int:
    """Estimated memory one draw holds until the end: each unit's rank position (2 or 4 bytes),
    the drawn weights (factors and products, 16 bytes per node), the methods picked (8 bytes per
    indicator) and the percentile work on one unit's ranks over all draws (32 bytes)."""
    return units * (2 if units < 65_535 else 4) + 16 * nodes + 8 * leaves + 32


def available_memory() -> tuple[int, str]:
    """Bytes the draws may use, and where the figure comes from (a share of the memory the data
    reader also measures: scoring.io.data_limits.available_memory; else a fixed limit)."""
    available = data_limits.available_memory()
    if available is None:
        return FALLBACK_MEMORY, tr("the fixed limit used where free memory cannot be read")
    return int(available * MEMORY_SHARE), tr("{share} of the memory available now", share=f"{MEMORY_SHARE:.0%}")


def _gib(size: float) -> str:
    return f"{size / 1024**3:.1f} GiB"


def _check_memory(draws: int, nominal: RunResult) -> None:
    assessment = nominal.assessment
    per_draw = draw_bytes(len(nominal.index), len(assessment.nodes), len(assessment.leaves))
    limit, source = available_memory()
    most = max(0, limit // per_draw)
    if draws > most:
        raise OptionError(tr("Invalid --draws option: not enough memory"), [Problem(
            tr("{draws} draws x {units} units need about {size} of memory; {limit} may be used ({source})",
               draws=draws, units=len(nominal.index), size=_gib(draws * per_draw), limit=_gib(limit), source=source),
            field="--draws", found=str(draws), expected=tr("at most {most} draws", most=most))])


def chunk_draws(units: int) -> int:
    """Draws evaluated together so that one chunk holds about CHUNK_ELEMENTS values per array."""
    return int(max(1, min(MAX_CHUNK_DRAWS, CHUNK_ELEMENTS // max(units, 1))))


def _run_chunks(model: Model, scenarios: Draws, progress) -> tuple[np.ndarray, np.ndarray]:
    draws, size, kinds = len(scenarios.weights), model.size, len(model.outcome_ids) + 1
    positions = np.zeros((draws, size), np.uint16 if size < 65_535 else np.uint32)
    counts = np.zeros((size, kinds), np.int64)
    step = chunk_draws(size)
    for start in range(0, draws, step):
        stop = min(draws, start + step)
        methods = None if scenarios.methods is None else scenarios.methods[start:stop]
        result = evaluate_draws(model, scenarios.weights[start:stop], methods)
        positions[start:stop] = result.position
        for k in range(kinds):
            counts[:, k] += (result.outcome == k).sum(axis=0)
        if progress is not None:
            progress(stop - start)
    return positions, counts


def _rank_stats(positions: np.ndarray, nominal: np.ndarray) -> tuple[np.ndarray, float]:
    """Per unit: 5th, 50th, 95th percentile rank (observed ranks) and mean |rank - nominal rank|."""
    draws, size = positions.shape
    stats = np.full((size, 4), np.nan)
    shift_sum, shift_count = 0.0, 0
    step = max(1, CHUNK_ELEMENTS // max(draws, 1))
    for start in range(0, size, step):
        block = positions[:, start:start + step].astype(float)
        block[block == 0] = np.nan
        with warnings.catch_warnings():  # a unit excluded in every draw has no ranks
            warnings.simplefilter("ignore", RuntimeWarning)
            quantile = np.nanpercentile if np.isnan(block).any() else np.percentile
            stats[start:start + step, :3] = quantile(block, [5, 50, 95], axis=0, method="inverted_cdf").T
            shift = np.abs(block - nominal[start:start + step])
            stats[start:start + step, 3] = np.nanmean(shift, axis=0)
        shift_sum += float(np.nansum(shift))
        shift_count += int(np.count_nonzero(~np.isnan(shift)))
    return stats, (shift_sum / shift_count if shift_count else float("nan"))


def _unit_table(model: Model, positions: np.ndarray, counts: np.ndarray) -> tuple[pd.DataFrame, float]:
    nominal = model.nominal
    index = nominal.index
    stats, shift = _rank_stats(positions, nominal.ranking.position.reindex(index).to_numpy(float))
    table = pd.DataFrame(index=index)
    table["name"] = nominal.data.frame[model.assessment.spec.name_column].astype(str).to_numpy()
    table["nominal_rank"] = nominal.ranking.position.to_numpy(float)
    table["nominal_outcome"] = nominal.ranking.outcome.to_numpy(object)
    table["nominal_status"] = nominal.ranking.status.to_numpy(object)
    for j, column in enumerate(("rank_p05", "median_rank", "rank_p95", "mean_shift")):
        table[column] = stats[:, j]
    share = counts / positions.shape[0]
    for k, outcome_id in enumerate(model.outcome_ids):
        table[f"p_{outcome_id}"] = share[:, k]
    codes = [model.outcome_ids.index(o) if isinstance(o, str) else len(model.outcome_ids)
             for o in table["nominal_outcome"]]
    table["p_nominal"] = share[np.arange(len(index)), codes]
    table["verdict"] = np.where(table["p_nominal"] >= ROBUST_SHARE - 1e-12, "robust", "borderline")
    return table.loc[nominal.ranking.order], shift


# --- rendering --------------------------------------------------------------------------------


