"""Rank units with an explicit tie-break chain and hand out outcomes (表彰, 预警提示, classes)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..api.assessment import Assessment
from ..errors import DataError, Problem
from ..messages import tr
from ..report.words import words
from .select import from_bottom, id_codes, order_units, select_outcomes


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


def rank_units(assessment: Assessment, keys: dict[str, np.ndarray], total: pd.Series, excluded: pd.Series,
               exempt: pd.Series, forced: pd.Series, vetoed: dict[str, pd.Series]) -> Ranking:
    """Order the units, compute displayed ranks and select each outcome's units (one draw of
    :mod:`.select`), with the run's boundary ties and notes."""
    index = total.index
    ids = index.to_numpy(object)
    id_code = id_codes(ids)
    shown = displayed(total, assessment.spec.precision)
    excluded_mask = excluded.to_numpy(bool)
    order = order_units(assessment, {**keys, "total": shown}, excluded_mask, id_code)
    outcome_ids = [o.id for o in assessment.spec.outcomes]
    selection = select_outcomes(assessment, order, shown, excluded_mask, exempt.to_numpy(bool),
                                outcome_codes(assessment, forced),
                                {o: v.to_numpy(bool) for o, v in vetoed.items()}, detail=True)
    ranked = [i for i in order[0] if not excluded_mask[i]]
    ranking = _ranking(index, ids, ranked, excluded_mask, exempt.to_numpy(bool), shown, selection, outcome_ids)
    _ties_and_notes(assessment, ranking, selection.detail, shown[ranked], ids[ranked])
    return ranking


def outcome_codes(assessment: Assessment, outcomes) -> np.ndarray:
    """Outcome ids (None where none) as indices into the rule file's outcomes (-1 where none)."""
    codes = {o.id: j for j, o in enumerate(assessment.spec.outcomes)}
    return np.array([codes.get(o, -1) if isinstance(o, str) else -1 for o in outcomes], np.int64)


def _ranking(index, ids, ranked: list[int], excluded, exempt, shown, selection, outcome_ids) -> Ranking:
    position = pd.Series(np.nan, index=index)
    position.iloc[ranked] = np.arange(1, len(ranked) + 1)
    display_rank = pd.Series(np.nan, index=index)
    if ranked:
        ordered_totals = shown[ranked]
        starts = np.r_[True, ordered_totals[1:] != ordered_totals[:-1]]
        display_rank.iloc[ranked] = np.maximum.accumulate(np.where(starts, np.arange(1, len(ranked) + 1), 0))
    status = np.where(excluded, "excluded", np.where(exempt, "exempt", "ranked")).astype(object)
    labels = np.array(outcome_ids + [None], dtype=object)
    order = list(ids[ranked]) + sorted(ids[excluded])
    return Ranking(order, position, display_rank, pd.Series(labels[selection.outcome[0]], index=index, dtype=object),
                   pd.Series(status, index=index, dtype=object))


def _ties_and_notes(assessment, ranking: Ranking, detail: dict, totals: np.ndarray, ranked_ids) -> None:
    """Notes on outcomes that could not take as many units as asked, and ties across their lines."""
    word = words(assessment.spec)
    for spec in assessment.spec.outcomes:
        if spec.id not in detail:
            continue
        eligible, picked, wanted = detail[spec.id]
        if wanted > len(eligible):
            ranking.notes.append(short_note(spec, wanted, len(eligible), word))
        if len(picked):
            _boundary_tie(spec.id, picked, eligible, totals, from_bottom(spec), ranking, ranked_ids)


def short_note(spec, wanted: int, eligible: int, word: dict[str, str]) -> str:
    """The run's note that an outcome could not take as many units as it asks for."""
    return word["short_outcome"].format(outcome=spec.id, label=spec.title, wanted=wanted, eligible=eligible)


def _boundary_tie(outcome_id, picked, eligible, totals, bottom, ranking, ranked_ids) -> None:
    rest = np.setdiff1d(eligible, picked)
    if not len(rest):
        return
    edge = picked[0] if bottom else picked[-1]
    neighbour = rest[-1] if bottom else rest[0]
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
            problems.append(Problem(
                tr("outcome '{outcome}' asks for {wanted} units but the data has {count}", outcome=spec.id,
                   wanted=wanted, count=unit_count),
                file=assessment.path, line=assessment.lines.line(("outcomes", i)), field=f"outcomes.{i}",
                found=str(wanted), expected=tr("at most {count}", count=unit_count)))
    if problems:
        raise DataError(tr("Outcomes do not fit the data in {path}", path=path), problems)
