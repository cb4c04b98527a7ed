"""The commend and warning lines, each unit's distance to them, and short reasons for outcomes."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.ranking import displayed, from_bottom
from ..registry.describe import percent
from ..report.words import words


@dataclass(frozen=True)
class OutcomeLine:
    """The total a unit must beat (top outcomes) or stay above (bottom outcomes)."""

    outcome: str
    label: str
    total: float | None  # lowest total taken (top outcomes) or highest taken (bottom outcomes)
    from_bottom: bool


def shown_totals(result) -> pd.Series:
    """Totals as displayed (rounded half up to the rule file's precision): outcomes are decided on
    these, so lines and distances are measured on them too."""
    return pd.Series(displayed(result.total, result.assessment.spec.precision), index=result.index)


def line_from_bottom(spec) -> bool:
    """True for outcomes a unit wants to stay out of (预警提示: bottom N/percent or a max_total)."""
    return from_bottom(spec) or spec.max_total is not None


def outcome_lines(result) -> dict[str, OutcomeLine]:
    """Line of every outcome that has at least one unit (ranked units only).

    Units forced into an outcome by a rule (e.g. 税收大幅下滑强制预警) did not get there by their
    total, so they do not set the line: a forced warning at 79.68 must not move the warning line
    above units ranked 30th that were never warned. Only when every member was forced do they count.
    """
    lines = {}
    forced = result.adjustments.forced
    for spec in result.assessment.spec.outcomes:
        members = (result.ranking.outcome == spec.id).to_numpy()
        by_rank = members & (forced != spec.id).to_numpy() if forced is not None else members
        from_bottom = line_from_bottom(spec)
        totals = shown_totals(result)[by_rank if by_rank.any() else members]
        value = None if totals.empty else float(totals.max() if from_bottom else totals.min())
        lines[spec.id] = OutcomeLine(spec.id, spec.title, value, from_bottom)
    return lines


def line_distances(result) -> pd.DataFrame:
    """Points above (+) or below (-) each outcome's line, one column per outcome id.

    For a top outcome (表彰) the distance is total - line: >= 0 means at or above the lowest
    commended total. For a bottom outcome (预警提示) it is total - line too: > 0 means above the
    highest warned total (clear of the warning).
    """
    distances = {}
    for outcome_id, line in outcome_lines(result).items():
        shown = shown_totals(result)
        values = shown - line.total if line.total is not None else pd.Series(np.nan, index=result.index)
        distances[outcome_id] = values
    return pd.DataFrame(distances, index=result.index)


def score_rates(result, node_ids) -> pd.DataFrame:
    """得分率 of every unit (rows) in each node of ``node_ids`` (columns, in that order): its points
    over the node's full points (weight); 1 = full marks, above 1 when a cap allows it."""
    nodes = result.assessment.nodes
    return pd.DataFrame({n: result.tree.points[n] / nodes[n].weight for n in node_ids}, index=result.index)


def group_shares(result) -> pd.DataFrame:
    """Each top-level group's 得分率 (:func:`score_rates` of the top-level nodes)."""
    return score_rates(result, result.assessment.top_level)


def overall_rate(result, unit_id: str) -> float:
    """A unit's overall 得分率: its base total over the full score."""
    return float(result.tree.base_total[unit_id]) / result.assessment.spec.full_score


def strongest_weakest(rates: pd.Series, overall: float, count: int) -> tuple[list[str], list[str]]:
    """The one definition of a unit's strengths and weaknesses (优势项, 薄弱项) among some nodes.

    ``rates`` holds the unit's 得分率 per node (:func:`score_rates`), in rule-file order, and
    ``overall`` its overall 得分率 (:func:`overall_rate`). The strongest are the ``count``
    highest rates at full points (100%) or above the overall one; the weakest the ``count`` lowest
    rates below both full points and the overall one (so never both). Ties keep rule-file order."""
    rates = rates.dropna()
    strongest = [n for n in rates.sort_values(ascending=False, kind="mergesort").index
                 if rates[n] >= 1 or rates[n] > overall]
    weakest = [n for n in rates.sort_values(ascending=True, kind="mergesort").index if rates[n] < min(overall, 1.0)]
    return strongest[:count], weakest[:count]


@dataclass(frozen=True)
class Decision:
    """Which of the status rules that fired for a unit decided its outcome (rule ids).

    The engine's precedence (:mod:`scoring.engine.select`, :mod:`scoring.engine.actions`): an
    exclusion (不参评) takes the unit out whatever else fired; otherwise the first ``force`` rule in
    rule-file order sets the outcome, and vetoes only bar outcomes handed out by rank. So when an
    exclusion or a force decides, every other force and every veto that fired is overridden."""

    decided_by: str | None  # the exclude or first force rule; None when no such rule fired
    overridden: tuple[str, ...]  # force and veto rules that fired but did not count


def decision(firings: list[dict]) -> Decision:
    """The :class:`Decision` for a unit's firing records (``RunResult.firings``, rule-file order)."""
    excludes = [f["rule"] for f in firings if f["action"] == "exclude"]
    forces = [f["rule"] for f in firings if f["action"] == "force"]
    decider = excludes[0] if excludes else forces[0] if forces else None
    if decider is None:
        return Decision(None, ())
    return Decision(decider, tuple(f["rule"] for f in firings
                                   if f["action"] in ("force", "veto") and f["rule"] != decider))


def unit_reason(result, unit_id: str, shares: pd.DataFrame | None = None, count: int = 2) -> str:
    """Short reason: the rule that decided the outcome (or the vetoes, exemption) first, else the
    strongest (top outcome) or weakest groups; rules overridden by the deciding one are not named."""
    assessment = result.assessment
    word = words(assessment.spec)
    shares = group_shares(result) if shares is None else shares
    outcome = result.ranking.outcome[unit_id]
    firings = result.firings(unit_id)
    decided = decision(firings)
    parts = [f["label"] for f in firings if f["rule"] == decided.decided_by]
    parts += [f["label"] for f in firings if f["action"] in ("veto", "exempt", "exclude")
              and f["rule"] != decided.decided_by and f["rule"] not in decided.overridden]
    if isinstance(outcome, str):
        weakest = line_from_bottom(assessment.outcome(outcome))
        groups = strongest_weakest(shares.loc[unit_id], overall_rate(result, unit_id), count)[1 if weakest else 0]
        if groups:
            shown = word["list_sep"].join(f"{assessment.label(g)} {percent(shares.at[unit_id, g])}" for g in groups)
            parts.append(word["weakest" if weakest else "strongest"] + word["colon"] + shown)
    return word["clause_sep"].join(parts)


def reasons(result, count: int = 2) -> dict[str, str]:
    """Reason text for every unit that has an outcome or a status-changing rule."""
    shares = group_shares(result)
    return {unit_id: unit_reason(result, unit_id, shares, count) for unit_id in result.ranking.order}
