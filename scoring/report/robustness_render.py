"""Robustness results as a table, CSV, JSON or Markdown (computed by :mod:`scoring.analysis.robustness`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .fitting import FULL, Layout
from .formatting import Shape, assessment_record, json_number, render_report
from .render import row_tones
from .words import words

if TYPE_CHECKING:
    from ..analysis.robustness import RobustnessResult


def _rank_text(value) -> str:
    return "" if value is None or np.isnan(value) else str(int(value))


def robustness_rows(result: RobustnessResult) -> tuple[list[str], list[list[str]], list[str]]:
    """Headers, formatted rows and column alignment of the per-unit robustness table."""
    from .whatif_render import outcome_word

    spec = result.nominal.assessment.spec
    word = words(spec)
    chances = [word["probability"].format(outcome=o.title) for o in spec.outcomes]
    headers = [word["rank"], word["unit"], word["outcome"], word["median_rank"],
               word["rank_interval"], word["mean_shift"], *chances, word["verdict"]]
    rows = []
    for _, row in result.units.iterrows():
        # an en dash: Excel would read "2-5" in a CSV as a date
        interval = "" if np.isnan(row["rank_p05"]) else f"{int(row['rank_p05'])}–{int(row['rank_p95'])}"
        rows.append([_rank_text(row["nominal_rank"]), row["name"],
                     outcome_word(result.nominal, row["nominal_outcome"], row["nominal_status"]),
                     _rank_text(row["median_rank"]), interval,
                     "" if np.isnan(row["mean_shift"]) else f"{row['mean_shift']:.2f}",
                     *[f"{100 * row[f'p_{o.id}']:.1f}%" for o in spec.outcomes], word[row["verdict"]]])
    align = ["right", "left", "left", "right", "right", "right"] + ["right"] * len(spec.outcomes) + ["left"]
    return headers, rows, align


def robustness_footer(result: RobustnessResult) -> list[str]:
    """Settings, mean absolute rank shift, borderline units and the nominal run's provenance."""
    from ..report.provenance import provenance_of

    units = result.units
    word = words(result.nominal.assessment.spec)
    settings = word["draws"].format(draws=result.draws, low=f"{1 - result.spread:g}", high=f"{1 + result.spread:g}",
                                    seed=result.seed) + (f" · {word['methods_varied']}" if result.vary_method else "")
    borderline = ", ".join(f"{units.at[u, 'name']} ({u})" for u in result.borderline) or word["none_listed"]
    return [settings, f"{word['mean_rank_shift']}: {result.mean_rank_shift:.2f}",
            f"{word['borderline_units'].format(share=f'{result.threshold:.0%}')}: {borderline}",
            *provenance_of(result.nominal).lines(word)]


def robustness_document(result: RobustnessResult) -> dict:
    """JSON-ready robustness report."""
    from ..report.provenance import provenance_of

    spec = result.nominal.assessment.spec

    def unit(unit_id, row) -> dict:
        outcome = row["nominal_outcome"]
        return {"id": unit_id, "name": row["name"], "nominal_rank": _int(row["nominal_rank"]),
                "nominal_outcome": outcome if isinstance(outcome, str) else None, "status": row["nominal_status"],
                "median_rank": _int(row["median_rank"]), "rank_p05": _int(row["rank_p05"]),
                "rank_p95": _int(row["rank_p95"]), "mean_rank_shift": json_number(row["mean_shift"]),
                "probabilities": {o.id: json_number(row[f"p_{o.id}"]) for o in spec.outcomes},
                "p_nominal": json_number(row["p_nominal"]), "verdict": row["verdict"]}

    return {
        "assessment": assessment_record(spec),
        "settings": {"draws": result.draws, "spread": result.spread, "seed": result.seed,
                     "vary_method": result.vary_method, "robust_share": result.threshold,
                     "distribution": "each weight x U(1 - spread, 1 + spread), independently"},
        "units": [unit(u, row) for u, row in result.units.iterrows()],
        "summary": {"mean_rank_shift": json_number(result.mean_rank_shift), "borderline": result.borderline},
        "provenance": provenance_of(result.nominal).as_dict(),
    }


def _int(value):
    return None if value is None or np.isnan(value) else int(value)


def render_robustness(result: RobustnessResult, fmt: str = "table", layout: Layout = FULL) -> str:
    """Render a :class:`RobustnessResult` as table, markdown, csv or json.

    On a narrow terminal the table leaves out, in this order, the mean shift, the median rank,
    the outcome probabilities (last outcome first) and the rank interval (with a short header
    first), then shortens the unit's name. Rows are coloured by their nominal outcome when asked.
    """
    spec = result.nominal.assessment.spec
    word = words(spec)
    headers, rows, align = robustness_rows(result)
    outcomes = len(spec.outcomes)
    short = [*headers[:4], word["rank_interval_short"], *headers[5:]]
    tones = row_tones(result.nominal, outcomes=result.units["nominal_outcome"].to_numpy(object))
    shape = Shape(drop=(5, 3, *reversed(range(6, 6 + outcomes)), 4), shrink=(1,), short_headers=short, tones=tones,
                  word=word)
    return render_report(word["robustness_title"].format(title=spec.title), headers, rows, align,
                         robustness_footer(result), fmt, list(result.units.index), spec.id_column,
                         robustness_document(result), empty=word["no_rows"], layout=layout, shape=shape)
