"""What the HTML report shows, as plain data computed from a run: counts, lists, lines, ties,
the ranked table and the chart data. Nothing here writes HTML."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.lines import line_from_bottom, outcome_lines
from ..report.exports import outcome_list
from ..report.formatting import fixed
from ..report.words import words


@dataclass
class OutcomeSummary:
    id: str
    label: str
    from_bottom: bool
    line: float | None
    rows: list[list[str]]  # 序号, rank, name, display columns..., total, distance to the line


def counts(result) -> list[tuple[str, int]]:
    """(label, number of units) per outcome, then exempt and excluded units, then all units."""
    word = words(result.assessment.spec)
    status = result.ranking.status
    found = [(result.outcome_label(o), n) for o, n in result.outcome_counts().items()]
    for key in ("exempt", "excluded"):
        if (status == key).any():
            found.append((word[key], int((status == key).sum())))
    return found + [(word["units_total"], len(result.index))]


def outcome_summaries(result) -> list[OutcomeSummary]:
    spec = result.assessment.spec
    p = spec.precision
    lines = outcome_lines(result)
    summaries = []
    for outcome in spec.outcomes:
        listed = outcome_list(result, outcome.id)
        rows = []
        for serial, record in enumerate(listed.to_dict("records"), start=1):
            rows.append([str(serial), str(record["rank"]), record["name"],
                         *[record[c] for c in spec.display_columns], fixed(record["total"], p),
                         fixed(record["distance"], p, signed=True)])
        line = lines[outcome.id]
        summaries.append(OutcomeSummary(outcome.id, outcome.title, line_from_bottom(outcome), line.total, rows))
    return summaries


def outcome_class(result, unit_id: str) -> str | None:
    """"top", "bottom" or "other" for a unit with an outcome (row colours); "other" too for an exempt
    or excluded unit (its row says 不定等级 or 不参评); None for the rest."""
    outcome = result.ranking.outcome[unit_id]
    if not isinstance(outcome, str):
        return "other" if result.ranking.status[unit_id] in ("exempt", "excluded") else None
    spec = result.assessment.outcome(outcome)
    if line_from_bottom(spec):
        return "bottom"
    index = [o.id for o in result.assessment.spec.outcomes].index(outcome)
    return "top" if index == 0 else "other"


def group_medians(result) -> dict[str, float]:
    """The median share of full points of every top-level group, over the ranked units."""
    a = result.assessment
    ranked = (result.ranking.status != "excluded").to_numpy()
    return {g: float(np.median((result.tree.points[g] / a.nodes[g].weight).to_numpy()[ranked]))
            for g in a.top_level}


def chart_rows(result) -> pd.DataFrame:
    """Ranked units (excluded last dropped) with name, total, group points and leaf shares."""
    a = result.assessment
    order = [u for u in result.ranking.order if result.ranking.status[u] != "excluded"]
    frame = pd.DataFrame(index=pd.Index(order))
    frame["name"] = [result.name(u) for u in order]
    frame["total"] = result.total.reindex(order).astype(float).round(a.spec.precision)
    for g in a.top_level:
        frame[g] = result.tree.points[g].reindex(order).astype(float).round(a.spec.precision)
    for leaf in a.leaves:
        frame[f"share:{leaf}"] = (result.tree.points[leaf].reindex(order) / a.nodes[leaf].weight * 100).round(1)
    return frame
