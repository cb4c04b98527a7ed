"""One unit's report card as HTML: indicator values and points, peer ranks, adjustments with their
reasons, rank, outcome, distance to each line and the values it needs (from ``explain``), and a
radar against the median of all units. Shared by the HTML report (a section per unit), ``cards``
(a file per unit) and ``explain UNIT --out F.html``.
"""
from __future__ import annotations

import numpy as np

from ..analysis.explain_model import Explanation, GroupExplanation, IndicatorExplanation
from ..report.formatting import fixed
from .html import Raw, chart, el, table


def _value(value, unit: str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    text = f"{float(value):,.4f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit else text


def _percent(fraction: float | None) -> str:
    return "-" if fraction is None or not np.isfinite(fraction) else f"{100 * fraction:.1f}%"


def indicator_rows(e: Explanation, word: dict) -> list[list[str]]:
    p = e.precision
    rows = []
    for node in e.nodes():
        indent = "　" * _depth(e, node)
        if isinstance(node, GroupExplanation):
            rows.append([indent + node.label, "", fixed(node.points, p), fixed(node.weight, p),
                         _percent(node.fraction), ""])
        else:
            rank = "" if node.peer_rank is None else f"{node.peer_rank}/{node.peer_count}"
            value = _value(node.value, node.unit) + (f"（{word['missing_word']}）" if node.missing else "")
            rows.append([indent + node.label, value, fixed(node.points, p), fixed(node.weight, p),
                         _percent(node.fraction), rank])
    return rows


def _depth(e: Explanation, target) -> int:
    def walk(nodes, depth):
        for node in nodes:
            if node is target:
                return depth
            if isinstance(node, GroupExplanation):
                found = walk(node.children, depth + 1)
                if found is not None:
                    return found
        return None
    return walk(e.tree, 0) or 0


def adjustment_rows(e: Explanation) -> list[list[str]]:
    p = e.precision
    rows = []
    for adj in e.adjustments:
        amount = fixed(adj.points, p, signed=True) if adj.points is not None else (
            f"×{adj.factor:g}" if adj.factor is not None else (adj.outcome_label or ""))
        rows.append([adj.label, amount, adj.note or ""])
    return rows


def line_rows(e: Explanation, word: dict) -> list[list[str]]:
    p = e.precision
    rows = []
    for line in e.lines:
        if line.line is None:
            continue
        if line.distance is None:
            distance = "-"
        elif line.from_bottom:
            key = "above_line" if line.distance > 0 else "within_line"
            distance = word[key].format(line=word["line"].format(outcome=line.label), number=fixed(abs(line.distance), p))
        else:
            key = "above_line" if line.distance > 0 else "below_line" if line.distance < 0 else "on_line"
            distance = word[key].format(line=word["line"].format(outcome=line.label), number=fixed(abs(line.distance), p))
        rows.append([word["line"].format(outcome=line.label), fixed(line.line, p), distance])
    return rows


def needed_rows(e: Explanation) -> list[list[str]]:
    rows = []
    for need in e.needed:
        if need.status != "found" or need.needed is None:
            continue
        rows.append([need.outcome_label, need.indicator_label, need.input_label or need.input or "",
                     _value(need.current, need.input_unit), _value(need.needed, need.input_unit)])
    return rows


def radar(e: Explanation, medians: dict[str, float], chart_id: str, word: dict) -> Raw:
    """The unit's share of full points per top-level group against the median unit's."""
    groups = list(e.tree)
    option = {
        "legend": {"bottom": 0, "data": [e.name, word["median"]]},
        "radar": {"indicator": [{"name": g.label, "max": 100} for g in groups], "radius": "62%"},
        "series": [{"type": "radar", "data": [
            {"name": e.name, "value": [round(100 * (g.fraction or 0), 1) for g in groups]},
            {"name": word["median"], "value": [round(100 * medians.get(g.id, 0.0), 1) for g in groups]}]}],
    }
    return chart(chart_id, option, height=230)


def trend(e: Explanation, earlier: list[tuple[int, int]], year: int | None, chart_id: str, word: dict) -> Raw:
    """The unit's final rank in earlier years and its rank now, as a small line (rank 1 at the top)."""
    points = [*earlier, *([(year or "", e.rank)] if e.rank is not None else [])]
    option = {"grid": {"left": 40, "right": 20, "top": 20, "bottom": 30},
              "xAxis": {"type": "category", "data": [str(y) for y, _ in points]},
              "yAxis": {"type": "value", "inverse": True, "min": 1, "name": word["rank"]},
              "series": [{"type": "line", "data": [r for _, r in points], "label": {"show": True}}]}
    return chart(chart_id, option, height=160)


def unit_card(e: Explanation, word: dict, medians: dict[str, float], chart_id: str,
              earlier: list[tuple[int, int]] | None = None, year: int | None = None) -> Raw:
    """The card's HTML (a ``section``), headed by the unit's name, rank and outcome; ``word`` is the
    rule file's words table (:func:`scoring.report.words.words`)."""
    p = e.precision
    outcome = e.outcome_label or (word["exempt"] if e.exempt else word["excluded"] if e.excluded else word["none"])
    rank = "-" if e.rank is None else f"{e.rank}/{e.ranked_count}"
    facts = [[word["rank"], rank], [word["total"], fixed(e.total, p)], [word["base_total"], fixed(e.base_total, p)],
             [word["adjustments"], fixed(e.adjustments_total, p, signed=True)], [word["outcome"], outcome]]
    facts += [[key, value] for key, value in e.display.items()]
    parts = [el("h2", word["card_heading"].format(name=e.name, id=e.unit)),
             el("div", el("div", table([word["key"], word["content"]], facts, ["left", "left"])),
                el("div", radar(e, medians, chart_id, word)), cls="cols"),
             *([el("h3", word["rank_trend"]), trend(e, earlier, year, chart_id + "-trend", word)] if earlier else []),
             el("h3", word["indicators"]),
             table([word["indicator"], word["value"], word["points_value"], word["full_marks"], word["fraction"],
                    word["peer_rank"]], indicator_rows(e, word), ["left", "right", "right", "right", "right", "right"])]
    adjustments = adjustment_rows(e)
    parts += [el("h3", word["adjustments"]),
              table([word["rule"], word["points_value"], word["note"]], adjustments) if adjustments
              else el("p", word["no_adjustments"], cls="note")]
    lines = line_rows(e, word)
    if lines:
        parts += [el("h3", word["lines"]), table([word["line_total"], word["points_value"], word["line_distance"]],
                                                 lines, ["left", "right", "left"])]
    needed = needed_rows(e)
    if needed:
        parts += [el("h3", word["needed_title"]),
                  table([word["outcome"], word["indicator"], word["card_input"], word["card_now"], word["card_needed"]], needed,
                        ["left", "left", "left", "right", "right"]),
                  el("p", word["needed_plain"], cls="note")]
    return el("section", parts, cls="unit", id=f"unit-{e.unit}")
