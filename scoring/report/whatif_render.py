"""The what-if comparison as a table, CSV, JSON or Markdown (computed by :mod:`scoring.analysis.whatif`)."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .fitting import FULL, Layout
from .formatting import Shape, assessment_record, fixed, json_number, json_text, render_report
from .render import row_tones
from .words import language, words

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


def verdict_lines(comparison: Comparison) -> list[str]:
    """The verdict, shown before the table: what changed (weights, rescaled siblings, rule file), the
    full score before and after, who enters and leaves each outcome, how close the two rank orders
    are in plain words (:func:`order_word`, with Spearman's rho and Kendall's tau), the largest movers."""
    spec = comparison.baseline.assessment.spec
    word = words(spec)
    lines = [] if comparison.changed else [word["no_changes"]]
    lines += _weight_lines(comparison, word)
    if comparison.against:
        lines.append(f"{word['rules_compared']}: {comparison.baseline.assessment.path} → {comparison.against}")
    lines.append(_full_score_line(comparison, word, language(spec)))
    lines += _move_lines(comparison, word)
    rho, tau = (_corr_text(value, word) for value in (comparison.spearman, comparison.kendall))
    lines.append(f"{word['rank_order']}: {word[order_word(comparison.spearman)]}" + _aside(
        word["correlations"].format(spearman=word["spearman"], rho=rho, kendall=word["kendall"], tau=tau),
        language(spec)))
    return lines + _mover_lines(comparison, word, language(spec))


ORDER_WORDS = ((1.0, "order.identical"), (0.99, "order.almost"), (0.95, "order.close"), (0.8, "order.similar"),
               (0.5, "order.different"))


def order_word(rho: float) -> str:
    """The words key saying how alike two rank orders are, by Spearman's rho: 1 identical, from 0.99
    almost unchanged, from 0.95 very close, from 0.8 broadly similar, from 0.5 clearly different,
    below very different; "not_available" when rho is undefined."""
    if math.isnan(rho):
        return "not_available"
    return next((key for bound, key in ORDER_WORDS if rho >= bound - 1e-12), "order.very_different")


def _aside(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _number(value: float, precision: int) -> str:
    """``value`` to the rule file's precision without trailing zeros: 100, 110.5."""
    text = fixed(value, precision)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _weight_lines(comparison: Comparison, word: dict[str, str]) -> list[str]:
    set_by_user = [w for w in comparison.weights if not w.get("rescaled")]
    lines = [f"{word['weights_changed']}: " + ", ".join(_weight_text(w) for w in set_by_user)] if set_by_user else []
    factors: dict[float, list[dict]] = {}
    for change in comparison.weights:
        if change.get("rescaled"):
            factors.setdefault(change["factor"], []).append(change)
    for factor, changes in factors.items():
        lines.append(word["rescaled"].format(factor=f"{factor:.4g}") + ": " + ", ".join(map(_weight_text, changes)))
    return lines


def _weight_text(change: dict) -> str:
    return f"{change['label']} ({change['node']}) {change['baseline']:g} → {change['scenario']:g}"


def _full_score_line(comparison: Comparison, word: dict[str, str], lang: str) -> str:
    precision = comparison.baseline.assessment.spec.precision
    before, after = (_number(value, precision) for value in comparison.full_score)
    line = f"{word['full_score']}: {before} → {after}"
    if before == after:
        return line + _aside(word["unchanged"], lang)
    return line + (_aside(word["full_score_drifts"], lang) if comparison.weights and not comparison.keep_total else "")


def _move_lines(comparison: Comparison, word: dict[str, str]) -> list[str]:
    """Who enters and leaves each outcome."""
    units = comparison.units
    lines = []
    for _, move in comparison.outcome_moves.iterrows():
        if not move["entered"] and not move["left"]:
            lines.append(f"{move['label']}: {word['no_change']}")
            continue
        entered = ", ".join(f"{units.at[u, 'name']} ({u})" for u in move["entered"]) or "-"
        left = ", ".join(f"{units.at[u, 'name']} ({u})" for u in move["left"]) or "-"
        lines.append(f"{move['label']}: {word['enters']} {entered}; {word['leaves']} {left}")
    return lines


def _mover_lines(comparison: Comparison, word: dict[str, str], lang: str) -> list[str]:
    """The largest movers, every unit tied with the last of them included."""
    from ..analysis.whatif import MOVERS

    movers = comparison.movers
    if not len(movers):
        return []
    text = ", ".join(f"{row['name']} {_change_text(row['rank_change'])} ({_rank_text(row['baseline_rank'])}→"
                     f"{_rank_text(row['scenario_rank'])})" for _, row in movers.iterrows())
    return [f"{word['movers']}: {text}" + (_aside(word["ties_included"], lang) if len(movers) > MOVERS else "")]


def _corr_text(value: float, word: dict[str, str]) -> str:
    return word["not_available"] if math.isnan(value) else f"{value:.4f}"


def comparison_document(comparison: Comparison) -> dict:
    """JSON-ready comparison: scenario, units in scenario rank order, summary."""
    spec = comparison.baseline.assessment.spec
    moves = [{"outcome": m["outcome"], "label": m["label"], "entered": m["entered"], "left": m["left"]}
             for _, m in comparison.outcome_moves.iterrows()]
    return {
        "assessment": assessment_record(spec),
        "scenario": {"weights": comparison.weights, "against": comparison.against,
                     "keep_total": comparison.keep_total},
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


def render_comparison(comparison: Comparison, fmt: str = "table", layout: Layout = FULL) -> str:
    """Render a :class:`Comparison` as table, markdown, csv or json: the verdict first, then the table.

    On a narrow terminal the table takes short headers and leaves out, in this order, the
    baseline total, the baseline rank, the scenario total and the baseline outcome; then
    shortens the unit's name. Rows are coloured by their scenario outcome when asked, rows whose
    outcome changed in bold yellow.
    """
    if fmt == "json":  # the document alone: the table's rows take seconds for 10,000 units
        return json_text(comparison_document(comparison))
    spec = comparison.baseline.assessment.spec
    word = words(spec)
    headers, rows, align = comparison_rows(comparison)
    now, before = word["now_short"].format, word["before_short"].format
    short = [now(label=word["rank"]), word["unit"], before(label=word["rank"]), word["rank_change"],
             before(label=word["total"]), now(label=word["total"]), before(label=word["outcome"]),
             now(label=word["outcome"])]
    units = comparison.units
    tones = row_tones(comparison.scenario, outcomes=units["scenario_outcome"].to_numpy(object))
    moved = (units["baseline_outcome"].fillna("") != units["scenario_outcome"].fillna("")).to_numpy()
    tones = ["changed" if changed else tone for tone, changed in zip(tones, moved)]
    shape = Shape(drop=(4, 2, 5, 6), shrink=(1,), short_headers=short, tones=tones, word=word)
    title = word["whatif_title"].format(title=spec.title)
    return render_report(title, headers, rows, align, [], fmt, list(comparison.units.index), spec.id_column,
                         comparison_document(comparison), empty=word["no_rows"], layout=layout, shape=shape,
                         preface=verdict_lines(comparison))
