"""``zonescore report --out report.html``: one self-contained file for the leadership and the record.

Sections: the title and provenance; a one-page summary (counts per outcome, each outcome's list
with 序号, the lines, boundary ties); charts (totals in rank order with the lines drawn, group
points stacked per unit, an indicator-by-unit heat map); the ranked table with outcome colours;
a section per unit (its report card, :mod:`.unit_card`). Charts are Apache ECharts, vendored
and inlined, drawn as SVG without animation so that the page prints as shown. No network request
of any kind: no external script, style, font or image.
"""
from __future__ import annotations

from ..analysis.explain import explain_unit
from ..report.formatting import fixed
from ..report.provenance import provenance_of
from ..report.render import headline_rows
from ..report.words import language, words
from . import report_data as data
from .html import Raw, chart, el, page, table
from .unit_card import unit_card


UNIT_LABELS = {"rotate": 90, "interval": 0, "fontSize": 9}
"""The units' names under a chart: upright, small enough for 39 of them side by side on A4."""


def report_html(result, explanations=None, needed: bool = True, trends: dict | None = None) -> str:
    """The report as HTML text (``explanations``: per unit, else computed with explain; ``needed=False``
    leaves out the values each unit needs to reach a line, which take most of the time)."""
    spec = result.assessment.spec
    word = words(spec)
    explanations = explanations or [explain_unit(result, u, needed) for u in result.ranking.order]
    medians = data.group_medians(result)
    body = [el("h1", word["report_title"].format(title=spec.title)),
            el("p", " · ".join(provenance_of(result).lines(word)), cls="sub"),
            summary(result, word), charts(result, word), ranking(result, word),
            el("section", el("h2", word["units_section"].format(unit=word["unit"])), cls="page heading"),
            [unit_card(e, word, medians, f"radar-{i + 1}", (trends or {}).get(e.unit), spec.year)
             for i, e in enumerate(explanations)]]
    return page(word["report_title"].format(title=spec.title), body, language(spec), with_charts=True)


def summary(result, word: dict) -> Raw:
    spec = result.assessment.spec
    boxes = el("div", [el("div", el("b", str(n)), label, cls="count") for label, n in data.counts(result)],
               cls="counts")
    parts = [el("h2", word["summary"]), boxes]
    headers = [word["serial"], word["rank"], word["unit"], *spec.display_columns, word["total"]]
    for outcome in data.outcome_summaries(result):
        line = "" if outcome.line is None else "（" + word["line"].format(outcome=outcome.label) + " " + \
            fixed(outcome.line, spec.precision) + "）"
        parts.append(el("h3", f"{outcome.label}{word['list_word']}{line}"))
        rows = [row[:-1] for row in outcome.rows]
        align = ["right", "right", "left", *["left"] * len(spec.display_columns), "right"]
        parts.append(table(headers, rows, align) if rows else el("p", word["no_rows"], cls="note"))
    ties = result.ranking.boundary_ties
    if ties:
        parts.append(el("h3", word["boundary_tie"]))
        parts.append(el("ul", [el("li", _tie_text(result, tie, word)) for tie in ties]))
    if result.ranking.notes:
        parts.append(el("ul", [el("li", note) for note in result.ranking.notes], cls="note"))
    return el("section", parts, cls="summary")


def _tie_text(result, tie, word: dict) -> str:
    inside = ", ".join(result.name(u) for u in tie.inside)
    outside = ", ".join(result.name(u) for u in tie.outside)
    return word["tie_text"].format(outcome=result.outcome_label(tie.outcome), total=f"{tie.total:g}",
                                   inside=inside, outside=outside)


def charts(result, word: dict) -> Raw:
    a = result.assessment
    rows = data.chart_rows(result)
    names = rows["name"].tolist()
    marks = [{"name": word["line"].format(outcome=o.label), "yAxis": o.line}
             for o in data.outcome_summaries(result) if o.line is not None]
    totals = {"grid": {"left": 50, "right": 110, "bottom": 130, "top": 30},
              "xAxis": {"type": "category", "data": names, "axisLabel": UNIT_LABELS},
              "yAxis": {"type": "value", "name": word["total"]},
              "series": [{"type": "bar", "data": rows["total"].tolist(), "markLine": {
                  "symbol": "none", "data": marks, "label": {"formatter": "{b} {c}", "position": "end"}}}]}
    stacked = {"legend": {"top": 0}, "grid": {"left": 50, "right": 110, "bottom": 130, "top": 30},
               "xAxis": {"type": "category", "data": names, "axisLabel": UNIT_LABELS},
               "yAxis": {"type": "value"},
               "series": [{"type": "bar", "stack": "points", "name": a.label(g), "data": rows[g].tolist()}
                          for g in a.top_level]}
    leaves = [a.label(leaf) for leaf in a.leaves]
    cells = [[j, i, float(rows[f"share:{leaf}"].iloc[j])] for i, leaf in enumerate(a.leaves) for j in range(len(rows))]
    heat = {"grid": {"left": 170, "right": 110, "bottom": 130, "top": 10},
            "xAxis": {"type": "category", "data": names, "axisLabel": UNIT_LABELS},
            "yAxis": {"type": "category", "data": leaves, "inverse": True},
            "visualMap": {"min": 0, "max": 100, "orient": "vertical", "right": 0, "top": "middle", "itemHeight": 80,
                          "inRange": {"color": ["#f8696b", "#ffeb84", "#63be7b"]}, "calculable": False},
            "series": [{"type": "heatmap", "data": cells}]}
    return el("section", el("h2", word["charts"]), el("h3", word["totals_chart"]),
              chart("chart-totals", totals, height=300), el("h3", word["groups_chart"]),
              chart("chart-groups", stacked, height=300), el("h3", word["heatmap_chart"]),
              chart("chart-heat", heat, height=140 + 18 * len(leaves)),
              cls="page")


def ranking(result, word: dict) -> Raw:
    headers, rows = headline_rows(result)
    classes = [data.outcome_class(result, u) for u in result.ranking.order]
    numbers = {word["rank"], word["total"], word["adjustments"], *[result.assessment.label(g)
                                                                   for g in result.assessment.top_level]}
    align = ["right" if h in numbers else "left" for h in headers]
    return el("section", el("h2", word["ranking"]), table(headers, rows, align, classes), cls="page")
