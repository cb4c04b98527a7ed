"""Rank units with an explicit tie-break chain and hand out outcomes (表彰, 预警提示, classes)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..api.assessment import Assessment
from ..api.models import TieKey
from ..errors import DataError, Problem
from ..words import words


@dataclass(frozen=True)
class BoundaryTie:
    """Units with equal displayed totals on both sides of an outcome's line."""

    outcome: str
    total: float
    inside: tuple[str, ...]
    outside: tuple[str, ...]


@dataclass
class Ranking:
    order: list[str]  # ranked units best first, then excluded units by id
    position: pd.Series  # 1..n in the order (NaN for excluded units)
    display_rank: pd.Series  # shared (并列) when displayed totals are equal
    outcome: pd.Series  # outcome id or None
    status: pd.Series  # 'ranked', 'exempt' or 'excluded'
    boundary_ties: list[BoundaryTie] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def displayed(values, precision: int) -> np.ndarray:
    """Totals as displayed: rounded half up (四舍五入) to the file's precision; ties are judged on these.

    A tiny relative nudge makes 86.125 (stored as 86.12499999...) round up as a person expects.
    """
    values = np.asarray(values, float)
    scale = 10.0 ** precision
    nudged = values + np.sign(values) * np.abs(values) * 1e-12
    return np.sign(nudged) * np.floor(np.abs(nudged) * scale + 0.5) / scale + 0.0


def sort_units(assessment: Assessment, keys: dict[str, np.ndarray], index: pd.Index) -> list[str]:
    """Stable sort of ``index`` by the tie-break chain; the id is always the last key."""
    chain = list(assessment.spec.tie_break)
    if not chain or chain[0].by != "total":
        chain.insert(0, TieKey(by="total"))  # ranks are always by total first
    frame = pd.DataFrame({"__pos": np.arange(len(index))}, index=index)
    columns, ascending = [], []
    for i, key in enumerate(chain):
        column = f"k{i}"
        frame[column] = index.to_numpy() if key.by == "id" else keys[key.by]
        columns.append(column)
        ascending.append(key.order == "asc")
    frame["__id"] = index.to_numpy()
    ordered = frame.sort_values(columns + ["__id"], ascending=ascending + [True], kind="mergesort",
                                na_position="last")
    return list(ordered.index)


def rank_units(assessment: Assessment, keys: dict[str, np.ndarray], total: pd.Series, excluded: pd.Series,
               exempt: pd.Series, forced: pd.Series, vetoed: dict[str, pd.Series]) -> Ranking:
    """Order the units, compute displayed ranks and select each outcome's units."""
    precision = assessment.spec.precision
    shown = pd.Series(displayed(total, precision), index=total.index)
    kept = ~excluded.to_numpy()
    ranked_keys = {name: np.asarray(values)[kept] for name, values in keys.items()}
    ranked_ids = sort_units(assessment, ranked_keys, total.index[kept])
    excluded_ids = sorted(total.index[excluded.to_numpy()])
    position = pd.Series(np.nan, index=total.index)
    position[ranked_ids] = np.arange(1, len(ranked_ids) + 1)
    display_rank = pd.Series(np.nan, index=total.index)
    if ranked_ids:
        ordered_totals = shown[ranked_ids].to_numpy()
        starts = np.r_[True, ordered_totals[1:] != ordered_totals[:-1]]
        first_position = np.maximum.accumulate(np.where(starts, np.arange(1, len(ranked_ids) + 1), 0))
        display_rank[ranked_ids] = first_position
    status = pd.Series("ranked", index=total.index, dtype=object)
    status[exempt & ~excluded] = "exempt"
    status[excluded] = "excluded"
    ranking = Ranking(ranked_ids + excluded_ids, position, display_rank,
                      pd.Series([None] * len(total), index=total.index, dtype=object), status)
    _select_outcomes(assessment, ranking, ranked_ids, shown, forced.where(~excluded, None), vetoed)
    return ranking


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


def _select_outcomes(assessment, ranking: Ranking, ranked_ids, shown, forced, vetoed) -> None:
    """Assign outcomes in list order; works on positions in rank order (arrays, no per-unit lookups)."""
    status = ranking.status[ranked_ids].to_numpy(object)
    totals = shown[ranked_ids].to_numpy(float)
    assigned = forced[ranked_ids].to_numpy(object)  # forced outcomes are taken first
    assigned = np.where(pd.isna(assigned), None, assigned)
    classifiable = status == "ranked"
    base = int(classifiable.sum())
    cumulative = 0  # units taken so far by top_percent outcomes (A, then B up to 70%, ...)
    word = words(assessment.spec)
    for spec in assessment.spec.outcomes:
        already = int((assigned == spec.id).sum())
        veto = vetoed.get(spec.id)
        barred = np.zeros(len(ranked_ids), bool) if veto is None else veto[ranked_ids].to_numpy(bool)
        eligible = np.flatnonzero(classifiable & (assigned == None) & ~barred)  # noqa: E711 - elementwise
        picked, from_bottom = _pick(spec, eligible, totals, base, cumulative, already, ranking, word)
        assigned[picked] = spec.id
        if spec.top_percent is not None:
            cumulative += already + len(picked)
        counted = spec.min_total is None and spec.max_total is None and not spec.rest
        if len(picked) and counted:
            _boundary_tie(spec.id, picked, eligible, totals, from_bottom, ranking, ranked_ids)
    ranking.outcome.loc[ranked_ids] = assigned


def _pick(spec, eligible: np.ndarray, totals: np.ndarray, base, cumulative, already, ranking, word):
    """Positions taken by one outcome (subset of ``eligible``), and whether it counts from the bottom."""
    if spec.rest:
        return eligible, False
    bounds = threshold_bounds(spec)
    if bounds is not None:
        values = totals[eligible]
        return eligible[(values >= bounds[0]) & (values <= bounds[1])], False
    wanted = int(wanted_count(spec, base, cumulative, already))
    if wanted > len(eligible):
        ranking.notes.append(short_note(spec, wanted, len(eligible), word))
    if from_bottom(spec):
        return eligible[len(eligible) - min(wanted, len(eligible)):], True
    return eligible[:wanted], False


def short_note(spec, wanted: int, eligible: int, word: dict[str, str]) -> str:
    """The run's note that an outcome could not take as many units as it asks for."""
    return word["short_outcome"].format(outcome=spec.id, label=spec.title, wanted=wanted, eligible=eligible)


def _boundary_tie(outcome_id, picked, eligible, totals, from_bottom, ranking, ranked_ids) -> None:
    rest = np.setdiff1d(eligible, picked)
    if not len(rest):
        return
    edge = picked[0] if from_bottom else picked[-1]
    neighbour = rest[-1] if from_bottom else rest[0]
    if totals[edge] != totals[neighbour]:
        return
    value = totals[edge]
    inside = tuple(ranked_ids[i] for i in picked if totals[i] == value)
    outside = tuple(ranked_ids[i] for i in rest if totals[i] == value)
    ranking.boundary_ties.append(BoundaryTie(outcome_id, float(value), inside, outside))


def check_outcome_sizes(assessment: Assessment, unit_count: int, path: str) -> None:
    """An outcome asking for more units than the data holds is an error, not a silent shortfall."""
    problems = []
    for i, spec in enumerate(assessment.spec.outcomes):
        wanted = spec.top if spec.top is not None else spec.bottom
        if wanted is not None and wanted > unit_count:
            problems.append(Problem(f"outcome '{spec.id}' asks for {wanted} units but the data has {unit_count}",
                                    file=assessment.path, line=assessment.lines.line(("outcomes", i)),
                                    field=f"outcomes.{i}", found=str(wanted), expected=f"at most {unit_count}"))
    if problems:
        raise DataError(f"Outcomes do not fit the data in {path}", problems)
