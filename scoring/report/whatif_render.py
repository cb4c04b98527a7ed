"""The what-if comparison as a table, CSV, JSON or Markdown (computed by :mod:`scoring.analysis.whatif`)."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .formatting import assessment_record, fixed, json_number, json_text, render_report
from .words import words

if TYPE_CHECKING:
    from ..analysis.whatif import Comparison
    from ..engine.run import RunResult


def outcome_word(result: RunResult, outcome, status) -> str:
    """Outcome label, or the rule file's words for exempt / excluded / none."""
    if isinstance(outcome, str):
        return result.outcome_label(outcome)
    word = words(result.assessment.spec)
    return word[status] if status in ("exempt", "excluded") else word["none"]


def _rank_text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(int(value))


def _change_text(value) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{int(value):+d}" if value else "0"


def comparison_rows(comparison: Comparison) -> tuple[list[str], list[list[str]], list[str]]:
    """Headers, formatted rows and column alignment of the per-unit comparison table."""
    base, scen = comparison.baseline, comparison.scenario
    spec, word = base.assessment.spec, words(base.assessment.spec)
    precision = spec.precision
    before, after = word["in_baseline"].format, word["in_scenario"].format
    headers = [after(label=word["rank"]), word["unit"], before(label=word["rank"]),
               word["rank_change"], before(label=word["total"]), after(label=word["total"]),
               before(label=word["outcome"]), after(label=word["outcome"])]
    rows = []
    for _, row in comparison.units.iterrows():
        rows.append([_rank_text(row["scenario_rank"]), row["name"], _rank_text(row["baseline_rank"]),
                     _change_text(row["rank_change"]), fixed(row["baseline_total"], precision),
                     fixed(row["scenario_total"], precision),
                     outcome_word(base, row["baseline_outcome"], row["baseline_status"]),
                     outcome_word(scen, row["scenario_outcome"], row["scenario_status"])])
    align = ["right", "left", "right", "right", "right", "right", "left", "left"]
    return headers, rows, align


def summary_lines(comparison: Comparison) -> list[str]:
    """Scenario, full score, rank correlations, entries/exits per outcome, largest movers."""
    spec = comparison.baseline.assessment.spec
    word = words(spec)
    lines = []
    if comparison.weights:
        lines.append(f"{word['weights_changed']}: " + ", ".join(
            f"{w['label']} ({w['node']}) {w['baseline']:g} -> {w['scenario']:g}" for w in comparison.weights))
    if comparison.against:
        lines.append(f"{word['rules_compared']}: {comparison.baseline.assessment.path} -> {comparison.against}")
    lines.append(f"{word['full_score']}: {fixed(comparison.full_score[0], spec.precision)} -> "
                 f"{fixed(comparison.full_score[1], spec.precision)}")
    lines.append(f"{word['spearman']}: {_corr_text(comparison.spearman, word)} · {word['kendall']}: "
                 f"{_corr_text(comparison.kendall, word)}")
    if not comparison.changed:
        lines.append(word["no_changes"])
    return lines + _move_lines(comparison, word)


def _move_lines(comparison: Comparison, word: dict[str, str]) -> list[str]:
    """Who enters and leaves each outcome, and the largest movers."""
    units = comparison.units
    lines = []
    for _, move in comparison.outcome_moves.iterrows():
        entered = ", ".join(f"{units.at[u, 'name']} ({u})" for u in move["entered"]) or "-"
        left = ", ".join(f"{units.at[u, 'name']} ({u})" for u in move["left"]) or "-"
        lines.append(f"{move['label']}: {word['enters']} {entered}; {word['leaves']} {left}")
    if len(comparison.movers):
        lines.append(f"{word['movers']}: " + ", ".join(
            f"{row['name']} {_change_text(row['rank_change'])} ({_rank_text(row['baseline_rank'])} -> "
            f"{_rank_text(row['scenario_rank'])})" for _, row in comparison.movers.iterrows()))
    return lines


def _corr_text(value: float, word: dict[str, str]) -> str:
    return word["not_available"] if math.isnan(value) else f"{value:.4f}"


def comparison_document(comparison: Comparison) -> dict:
    """JSON-ready comparison: scenario, units in scenario rank order, summary."""
    spec = comparison.baseline.assessment.spec
    moves = [{"outcome": m["outcome"], "label": m["label"], "entered": m["entered"], "left": m["left"]}
             for _, m in comparison.outcome_moves.iterrows()]
    return {
        "assessment": assessment_record(spec),
        "scenario": {"weights": comparison.weights, "against": comparison.against},
        "units": _unit_documents(comparison.units),
        "summary": {"changed": comparison.changed, "full_score": [json_number(v) for v in comparison.full_score],
                    "spearman_rho": json_number(comparison.spearman), "kendall_tau": json_number(comparison.kendall),
                    "outcome_moves": moves, "largest_movers": list(comparison.movers.index)},
    }


def _unit_documents(units) -> list[dict]:
    """One record per unit (read column by column: a row at a time is slow for 10,000 units)."""
    sides = {}
    for prefix in ("baseline", "scenario"):
        columns = [units[f"{prefix}_{name}"].tolist() for name in ("rank", "total", "outcome", "status")]
        sides[prefix] = [{"rank": _int(rank), "total": json_number(total),
                          "outcome": outcome if isinstance(outcome, str) else None,
                          "status": status if isinstance(status, str) else None}
                         for rank, total, outcome, status in zip(*columns)]
    return [{"id": unit_id, "name": name, "rank_change": _int(change), "baseline": before, "scenario": after}
            for unit_id, name, change, before, after in zip(units.index, units["name"].tolist(),
                                                            units["rank_change"].tolist(), sides["baseline"],
                                                            sides["scenario"])]


def _int(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def render_comparison(comparison: Comparison, fmt: str = "table") -> str:
    """Render a :class:`Comparison` as table, markdown, csv or json."""
    if fmt == "json":  # the document alone: the table's rows take seconds for 10,000 units
        return json_text(comparison_document(comparison))
    spec = comparison.baseline.assessment.spec
    word = words(spec)
    headers, rows, align = comparison_rows(comparison)
    title = word["whatif_title"].format(title=spec.title)
    return render_report(title, headers, rows, align, summary_lines(comparison), fmt,
                         list(comparison.units.index), spec.id_column, comparison_document(comparison),
                         empty=word["no_rows"])
