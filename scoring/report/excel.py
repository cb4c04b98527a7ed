"""The full results of a run as .xlsx sheets: ranking, indicator points, adjustments, rules, provenance.

Sheets are plain data (:class:`scoring.io.workbook.Sheet`) written by :func:`scoring.io.workbook.write_workbook`.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .provenance import provenance_of
from .words import words
from ..io.workbook import (BOTTOM_FILLS, EXEMPT_FILL, HEADER_FILL, OTHER_FILLS, TOP_FILLS, Sheet,
                       decimals_format, write_workbook)

# --- the full results of a run --------------------------------------------------------------


def outcome_fills(assessment) -> dict[str, str]:
    """Row colour of each outcome: top selectors green, bottom selectors red, others pastel."""
    fills: dict[str, str] = {}
    counters = {"top": 0, "bottom": 0, "other": 0}
    for outcome in assessment.spec.outcomes:
        if outcome.top is not None or outcome.top_percent is not None or outcome.min_total is not None:
            kind, palette = "top", TOP_FILLS
        elif outcome.bottom is not None or outcome.bottom_percent is not None or outcome.max_total is not None:
            kind, palette = "bottom", BOTTOM_FILLS
        else:
            kind, palette = "other", OTHER_FILLS
        fills[outcome.id] = palette[counters[kind] % len(palette)]
        counters[kind] += 1
    return fills


def _rounded(value, precision: int):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), precision) + 0.0


def _rounded_column(values, precision: int) -> list:
    """:func:`_rounded` of every value of a column."""
    values = np.asarray(values)
    if values.dtype.kind != "f":
        return [_rounded(value, precision) for value in values]
    return [None if v != v else round(v, precision) + 0.0 for v in values.tolist()]


def ranking_sheet(result, reasons: dict[str, str] | None = None) -> Sheet:
    """The ranked table: one row per unit in rank order, outcome rows coloured, autofilter."""
    from .render import outcome_texts

    spec = result.assessment.spec
    word = words(spec)
    p = spec.precision
    table = result.table()
    groups = result.assessment.top_level
    headers = [spec.id_column, word["rank"], word["unit"], *spec.display_columns,
               *[result.assessment.label(g) for g in groups], word["base_total"], word["adjustments"], word["total"],
               word["outcome"]]
    previous = _year_over_year(result, table["id"].to_numpy(object))
    headers += previous[0]
    if reasons is not None:
        headers.append(word["reason"])
    outcomes = outcome_texts(result, table)
    fills_by_outcome = outcome_fills(result.assessment)
    ids = table["id"].to_numpy(object)
    columns = [ids, [None if pd.isna(rank) else int(rank) for rank in table["rank"].to_numpy(object)],
               table["name"].to_numpy(object), *[table[c].to_numpy(object) for c in spec.display_columns],
               *[_rounded_column(table[g], p) for g in groups], _rounded_column(table["base_total"], p),
               _rounded_column(table["adjustments"], p), _rounded_column(table["total"], p), outcomes, *previous[1]]
    if reasons is not None:
        columns.append([reasons.get(unit_id, "") for unit_id in ids])
    rows = [list(row) for row in zip(*columns)]
    fills = [fills_by_outcome.get(outcome) if isinstance(outcome, str) else (EXEMPT_FILL if status != "ranked" else None)
             for outcome, status in zip(table["outcome"].to_numpy(object), table["status"].to_numpy(object))]
    number = decimals_format(p)
    formats = [None, "0", None, *[None] * len(spec.display_columns), *[number] * (len(groups) + 3), None,
               *(["0", None, None] if previous[0] else []), None]
    return Sheet(word["ranking"], headers, rows, formats, fills=fills, autofilter=True)


def _year_over_year(result, ids) -> tuple[list[str], list[list]]:
    """上年排名 (a number), 排名变化, 上年结果 when the history store gave last year's final run; else nothing."""
    if getattr(result.data, "previous", None) is None:
        return [], []
    from ..history.yoy import year_over_year

    found = year_over_year(result, ids)
    if found is None:
        return [], []
    headers, (ranks, changes, outcomes) = found
    return headers, [[int(r) if r else None for r in ranks], changes, outcomes]


def _tree_order(assessment) -> list[tuple[str, int]]:
    """(node id, depth) of every node, parents before their children, in rule-file order."""
    order: list[tuple[str, int]] = []

    def visit(node, depth):
        order.append((node.id, depth))
        for child in node.children or ():
            visit(child, depth + 1)

    for node in assessment.spec.indicators:
        visit(node, 0)
    return order


def points_sheet(result) -> Sheet:
    """Points of every group and indicator for every unit (rank order), tree order left to right."""
    spec = result.assessment.spec
    word = words(spec)
    p = spec.precision
    from .render import positional

    order = _tree_order(result.assessment)
    points = result.tree.points
    headers = [spec.id_column, word["unit"],
               *[result.assessment.label(node_id) for node_id, _ in order], word["base_total"]]
    comments = {}
    for i, (node_id, _) in enumerate(order):
        node = result.assessment.nodes[node_id]
        comments[i + 2] = f"{node_id}\n{word['weight']}: {node.weight:g}"
    ids = result.ranking.order
    take = positional(ids)
    try:
        columns = [ids, [str(name) for name in take(result.data.frame[spec.name_column])],
                   *[_rounded_column(take(points[node_id]), p) for node_id, _ in order],
                   _rounded_column(take(result.tree.base_total), p)]
        rows = [list(row) for row in zip(*columns)]
    except LookupError:
        rows = [[unit_id, result.name(unit_id), *[_rounded(points.at[unit_id, node_id], p) for node_id, _ in order],
                 _rounded(result.tree.base_total[unit_id], p)] for unit_id in ids]
    formats = [None, None, *[decimals_format(p)] * (len(order) + 1)]
    return Sheet(word["points"], headers, rows, formats, comments=comments, autofilter=True)


def adjustments_sheet(result) -> Sheet:
    """One row per adjustment rule that fired for a unit (rank order, then rule-file order)."""
    spec = result.assessment.spec
    word = words(spec)
    p = spec.precision
    headers = [spec.id_column, word["unit"], word["rule"], word["rule_id"], word["action"],
               word["points_value"], word["factor"], word["outcome"], word["note"]]
    rows = []
    for unit_id in result.ranking.order:
        for firing in result.firings(unit_id):
            outcome = firing.get("outcome")
            action = word.get(f"action.{firing['action']}", firing["action"])
            rows.append([unit_id, result.name(unit_id), firing["label"], firing["rule"], action,
                         _rounded(firing.get("points"), p), firing.get("factor"),
                         result.outcome_label(outcome) if outcome else None, firing.get("note")])
    formats = [None] * 5 + [decimals_format(p), "0.00##", None, None]
    return Sheet(word["adjustments_sheet"], headers, rows, formats, autofilter=True)


def method_text(method) -> str:
    """A scoring method in one line: ``minmax floor=0.6``, ``bands >=30: 1; >=15: 0.75; else 0.25``."""
    if method is None:
        return ""
    data = method.model_dump(exclude_none=True, exclude_defaults=True)
    data.pop("type", None)
    bands = data.pop("bands", None)
    parts = [method.type] + [f"{key}={_value_text(value)}" for key, value in data.items()]
    if bands:
        shown = []
        for band in method.bands:
            score = f"{band.fraction:g}" if band.fraction is not None else f"{band.points:g} pts"
            cond = []
            if band.at_least is not None:
                cond.append(f">={band.at_least:g}")
            if band.at_most is not None:
                cond.append(f"<={band.at_most:g}")
            shown.append(f"{' '.join(cond) or 'else'}: {score}")
        parts.append("; ".join(shown))
    return " ".join(parts)


def _value_text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def rules_sheet(assessment) -> Sheet:
    """The indicator tree as a table: level and indented label, weights, values, methods, direction."""
    spec = assessment.spec
    word = words(spec)
    full = spec.full_score
    headers = [word["level"], word["node_id"], word["label"], word["weight"], word["share"], word["value"],
               word["measure_unit"], word["direction"], word["method"], word["missing"], word["aggregate"]]
    rows, indents, fills = [], [], []
    for node_id, depth in _tree_order(assessment):
        node = assessment.nodes[node_id]
        share = _top_weight_share(assessment, node_id, full)
        missing = node.missing.policy if node.missing is not None else ""
        if node.missing is not None and node.missing.fallback:
            missing += f": {node.missing.fallback}"
        rows.append([depth + 1, node_id, node.title, float(node.weight), share,
                     node.value if not node.is_group else None, node.unit,
                     word[node.direction] if not node.is_group else None,
                     method_text(node.method) if not node.is_group else None,
                     missing if not node.is_group else None,
                     node.aggregate if node.is_group else None])
        indents.append(depth)
        fills.append(HEADER_FILL if node.is_group and depth == 0 else None)
    formats = ["0", None, None, "0.00", "0.0%", None, None, None, None, None, None]
    return Sheet(word["rules"], headers, rows, formats, fills=fills, indents=indents, indent_column=2)


def _top_weight_share(assessment, node_id: str, full: float) -> float | None:
    """Share of the full score a node carries (its weight, scaled by its ancestors' weights)."""
    node = assessment.nodes[node_id]
    share = node.weight
    current = node_id
    while assessment.parents[current] is not None:
        parent_id = assessment.parents[current]
        parent = assessment.nodes[parent_id]
        siblings = sum(child.weight for child in parent.children)
        share = share / siblings * parent.weight
        current = parent_id
    return share / full if full else None


def provenance_sheet(result, extra: list[tuple[str, object]] | None = None) -> Sheet:
    """Key / value rows: what was assessed, run id, tool version, every input file with its sha256."""
    spec = result.assessment.spec
    word = words(spec)
    doc = provenance_of(result).as_dict()
    rows: list[list] = [[word["title"], spec.title], [word["run_id"], doc["run_id"]],
                        [word["tool"], f"zonescore {doc['tool_version']}"],
                        [word["rules_file"], doc["rules"]["file"]], ["sha256", doc["rules"]["sha256"]]]
    for item in doc["data"]:
        rows += [[word["data_file"], item["file"]], ["sha256", item["sha256"]]]
    rows.append([word["units"], doc["units"]])
    if doc.get("timestamp"):
        rows.append([word["timestamp"], doc["timestamp"]])
    counts = result.outcome_counts()
    rows.append([word["count"], ", ".join(f"{result.outcome_label(o)} {n}" for o, n in counts.items())])
    for tie in result.ranking.boundary_ties:
        rows.append([word["boundary_tie"], f"{result.outcome_label(tie.outcome)} {tie.total:.{spec.precision}f}: "
                     f"{', '.join(tie.inside)} | {', '.join(tie.outside)}"])
    rows += [[word["notes"], note] for note in result.ranking.notes]
    rows += [list(item) for item in extra or ()]
    return Sheet(word["provenance"], [word["key"], word["content"]], rows, [None, "0"])


def results_sheets(result, reasons: dict[str, str] | None = None) -> list[Sheet]:
    """Every sheet of the full results workbook, in order."""
    if reasons is None:
        from ..analysis.lines import reasons as unit_reasons

        reasons = unit_reasons(result)
    return [ranking_sheet(result, reasons), points_sheet(result), adjustments_sheet(result),
            rules_sheet(result.assessment), provenance_sheet(result)]


def write_results(result, path: str | Path, reasons: dict[str, str] | None = None, force: bool = False) -> None:
    """``zonescore run --out results.xlsx``: ranking, indicator points, adjustments, rules, provenance.

    Never over an input of ``result``; an existing file only if it is a previous results workbook,
    or with ``force`` (:func:`scoring.io.outputs.save`).
    """
    from ..io.outputs import check_target, result_inputs

    check_target(path, result_inputs(result))
    write_workbook(path, results_sheets(result, reasons), "results", result_inputs(result), force)
