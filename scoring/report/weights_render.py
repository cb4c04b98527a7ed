"""Objective weights and Sobol sensitivity as a table, CSV, JSON or Markdown.

Computed by :mod:`scoring.analysis.objective_weights` and :mod:`scoring.analysis.sensitivity`;
the ranking comparison under the objective weights is rendered by the what-if renderer.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .formatting import assessment_record, json_number, render_report
from .words import words

if TYPE_CHECKING:
    from ..analysis.objective_weights import ObjectiveWeights
    from ..analysis.sensitivity import Sensitivity


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def render_weights(result: ObjectiveWeights, fmt: str = "table") -> str:
    """Each indicator's weight in the rule file beside the data-driven one, then the ranking changes."""
    from .provenance import provenance_of
    from .whatif_render import comparison_document, verdict_lines

    spec = result.comparison.baseline.assessment.spec
    word = words(spec)
    method = word[f"weight_method.{result.method}"]
    headers = [word["indicator"], word["file_weight"], word["data_weight"].format(method=method),
               word["weight_change"]]
    rows = [[row["label"], f"{row['file_weight']:.2f} ({_percent(row['file_share'])})",
             f"{row['data_weight']:.2f} ({_percent(row['data_share'])})",
             f"{row['data_weight'] - row['file_weight']:+.2f}"] for _, row in result.leaves.iterrows()]
    footer = [word["units_used"].format(used=result.units_used)]
    if result.units_left_out:
        footer.append(word["units_left_out"].format(units=", ".join(result.units_left_out)))
    if result.token_weights:
        footer.append(word["token_weight"].format(labels=", ".join(result.leaves.loc[result.token_weights, "label"])))
    weights_line = f"{word['weights_changed']}:"  # the table above shows the weights
    footer += [line for line in verdict_lines(result.comparison) if not line.startswith(weights_line)]
    footer += provenance_of(result.comparison.baseline).lines(word)
    document = {
        "assessment": assessment_record(spec), "method": result.method, "units_used": result.units_used,
        "units_left_out": result.units_left_out,
        "indicators": [{"id": leaf, "label": row["label"], "file_weight": json_number(row["file_weight"]),
                        "file_share": json_number(row["file_share"]), "data_weight": json_number(row["data_weight"]),
                        "data_share": json_number(row["data_share"])} for leaf, row in result.leaves.iterrows()],
        "comparison": comparison_document(result.comparison),
    }
    return render_report(word["weights_title"].format(title=spec.title, method=method), headers, rows,
                         ["left", "right", "right", "right"], footer, fmt, list(result.leaves.index), "id", document,
                         empty=word["no_rows"])


def render_sensitivity(result: Sensitivity, fmt: str = "table") -> str:
    """Per weight: pooled first-order and total indices for ranks and outcomes, outcomes decided."""
    from .provenance import provenance_of

    a = result.nominal.assessment
    word = words(a.spec)
    summary = result.summary
    headers = [word["weight"], word["rank_first"], word["rank_total"], word["outcome_total"], word["decides"]]
    rows = [[a.label(node), f"{row['rank_first']:.3f}", f"{row['rank_total']:.3f}", f"{row['outcome_total']:.3f}",
             f"{int(row['decides'])} ({_percent(row['decides_share'])})"] for node, row in summary.iterrows()]
    d = len(summary)
    footer = [word["sobol_settings"].format(samples=result.samples, rows=result.samples * (d + 2),
                                            low=f"{1 - result.spread:g}", high=f"{1 + result.spread:g}",
                                            seed=result.seed),
              word["outcome_varies"].format(count=int(result.outcome_varies.sum())), word["sobol_note"],
              *provenance_of(result.nominal).lines(word)]
    return render_report(word["sensitivity_title"].format(title=a.spec.title), headers, rows,
                         ["left", "right", "right", "right", "right"], footer, fmt, list(summary.index), "id",
                         _sensitivity_document(result), empty=word["no_rows"])


def _sensitivity_document(result: Sensitivity) -> dict:
    from .provenance import provenance_of

    a = result.nominal.assessment

    def per_unit(frame) -> dict:
        return {node: {unit: json_number(value) for unit, value in row.items()} for node, row in frame.iterrows()}

    return {
        "assessment": assessment_record(a.spec),
        "settings": {"samples": result.samples, "spread": result.spread, "seed": result.seed,
                     "sampler": "SALib Sobol sequence (Saltelli scheme), first-order and total indices",
                     "distribution": "each weight x U(1 - spread, 1 + spread), independently"},
        "weights": [{"id": node, "label": a.label(node), **{k: json_number(v) for k, v in row.items()}}
                    for node, row in result.summary.iterrows()],
        "units": {"deciding_weight": {u: (v or None) for u, v in result.deciding.items()},
                  "rank_first": per_unit(result.rank_first), "rank_total": per_unit(result.rank_total),
                  "outcome_total": per_unit(result.outcome_total)},
        "provenance": provenance_of(result.nominal).as_dict(),
    }
