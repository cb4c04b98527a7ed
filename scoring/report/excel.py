"""The full results of a run as .xlsx sheets: ranking, indicator points, adjustments, rules, provenance.

Sheets are plain data (:class:`scoring.io.workbook.Sheet`) written by :func:`scoring.io.workbook.write_workbook`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .print_setup import page_for
from .provenance import provenance_of
from .words import aggregate_description, method_description, missing_description, words
from ..io.sheet_layout import SPAN_LEFT, SPAN_UP
from ..io.workbook import (BOTTOM_FILLS, EXEMPT_FILL, HEADER_FILL, OTHER_FILLS, TOP_FILLS, Sheet, decimals_format,
                           write_workbook)

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


def signed_format(precision: int) -> str:
    """``+0.00;-0.00;0.00``: adjustments shown with their sign, as the terminal table shows them."""
    number = decimals_format(precision)
    return f"+{number};-{number};{number}"


def ranking_sheet(result, reasons: dict[str, str] | None = None) -> Sheet:
    """The ranked table: one row per unit in rank order, each indicator's value beside its points
    (unless the rule file's ``output.indicator_values`` is false: then group points only), a 满分
    row under the header, outcome rows coloured."""
    from .render import adjusts_points, outcome_texts

    spec = result.assessment.spec
    word = words(spec)
    p, number = spec.precision, decimals_format(spec.precision)
    table = result.table()
    ids = table["id"].to_numpy(object)
    ranks = [None if pd.isna(rank) else int(rank) for rank in table["rank"]]
    columns = [_Column((), spec.id_column, ids), _Column((), word["rank"], ranks, "0"),
               _Column((), word["unit"], table["name"].to_numpy(object), full=word["full_score"]),
               *[_Column((), c, table[c].to_numpy(object)) for c in spec.display_columns],
               *_score_columns(result, table, word),
               _Column((), word["base_total"], _rounded_column(table["base_total"], p), number, spec.full_score),
               *[_Column((), word["adjustments"], _rounded_column(table["adjustments"], p), signed_format(p))]
               * adjusts_points(spec),
               _Column((), word["total"], _rounded_column(table["total"], p), number),
               _Column((), word["outcome"], outcome_texts(result, table))]
    previous_headers, previous_values = _year_over_year(result, ids)
    columns += [_Column((), header, values, fmt)
                for header, values, fmt in zip(previous_headers, previous_values, ("0", None, None))]
    if reasons is not None:
        columns.append(_Column((), word["reason"], [reasons.get(unit_id, "") for unit_id in ids]))
    depth = max(len(column.above) for column in columns)
    block = [[*column.above, column.header] if column.above else [column.header, *[SPAN_UP] * depth]
             for column in columns]  # one list of header cells per column, top to bottom
    *bands, headers = [list(row) for row in zip(*block)]
    fills_by_outcome = outcome_fills(result.assessment)
    fills = [fills_by_outcome.get(outcome) if isinstance(outcome, str) else (EXEMPT_FILL if status != "ranked" else None)
             for outcome, status in zip(table["outcome"].to_numpy(object), table["status"].to_numpy(object))]
    return Sheet(word["ranking"], headers, [list(row) for row in zip(*(c.values for c in columns))],
                 [c.format for c in columns], fills=fills, bands=bands, fixed_rows=[[c.full for c in columns]],
                 wrap_columns=(len(columns) - 1,) if reasons is not None else (),
                 heading=(spec.title, word["ranking_heading"]), frozen_columns=3, page=page_for(spec))


@dataclass
class _Column:
    """A column of the ranking sheet: its header cells, values, number format and 满分 cell."""

    above: tuple  # header cells above ``header`` (group, indicator), SPAN_LEFT / SPAN_UP where merged;
    #               empty: ``header`` spans every header row
    header: str | object
    values: list
    format: str | None = None
    full: float | str | None = None


def _score_columns(result, table, word) -> list[_Column]:
    """Group points, or (with ``output.indicator_values``) each indicator's value and points under
    its group, then the group's subtotal."""
    assessment = result.assessment
    spec = assessment.spec
    p = spec.precision
    number = decimals_format(p)
    if not spec.output.indicator_values:
        return [_Column((), assessment.label(g), _rounded_column(table[g], p), number,
                             float(assessment.nodes[g].weight)) for g in assessment.top_level]
    from .render import positional

    take = positional(result.ranking.order)
    columns = []
    for group_id in assessment.top_level:
        group = assessment.nodes[group_id]
        leaves = _leaves(group) if group.is_group else [group]
        label = assessment.label(group_id)
        start = len(columns)
        for leaf in leaves:
            value, header = _shown_value(result, leaf, take, word)
            value_format = "0" if all(v is None or float(v).is_integer() for v in value) else number
            leaf_label = assessment.label(leaf.id) if group.is_group else SPAN_UP  # a top-level indicator: once
            columns.append(_Column([SPAN_LEFT, leaf_label], header, value, value_format, None))
            columns.append(_Column([SPAN_LEFT, SPAN_LEFT if group.is_group else SPAN_UP],
                                        word["indicator_points"], _rounded_column(take(result.tree.points[leaf.id]), p),
                                        number, float(leaf.weight)))
        if group.is_group:
            columns.append(_Column([SPAN_LEFT, word["subtotal"]], SPAN_UP, _rounded_column(table[group_id], p),
                                        number, float(group.weight)))
        columns[start].above[0] = label
        for column in columns[start:]:
            column.above = tuple(column.above)
    return columns


def _leaves(node) -> list:
    """The indicators under a group, in rule-file order, at any depth."""
    found = []
    for child in node.children or ():
        found += _leaves(child) if child.is_group else [child]
    return found


def _shown_value(result, leaf, take, word) -> tuple[list, str]:
    """An indicator's value column and header: its value in its unit, or for a ``target`` method
    the completion rate in % (value ÷ the unit's target), which is what people compare."""
    values = take(result.tree.values[leaf.id]).astype(float)
    unit = leaf.unit
    target = result.tree.stats.get(leaf.id, {}).get("target")
    if leaf.method is not None and leaf.method.type == "target" and target is not None:
        aligned = pd.Series(target, index=result.tree.index)
        with np.errstate(all="ignore"):
            values = values / take(aligned).astype(float) * 100
        header, unit = word["completion"], "%"
    else:
        header = word["indicator_value"]
    if unit:
        header = word["with_unit"].format(label=header, unit=unit)
    return [None if v != v else round(v, 6) + 0.0 for v in values.tolist()], header


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
    full = [None, word["full_score"], *[float(result.assessment.nodes[n].weight) for n, _ in order], spec.full_score]
    return Sheet(word["points"], headers, rows, formats, comments=comments, autofilter=True,
                 heading=(spec.title, word["points_heading"]), fixed_rows=[full], frozen_columns=2,
                 page=page_for(spec))


def adjustments_sheet(result) -> Sheet:
    """One row per adjustment rule that fired for a unit (rank order, then rule-file order), named by
    its label (a pool cap by the pool's label), points signed."""
    spec = result.assessment.spec
    word = words(spec)
    p = spec.precision
    headers = [spec.id_column, word["unit"], word["rule"], word["action"],
               word["points_value"], word["factor"], word["outcome"], word["note"]]
    rows = []
    for unit_id in result.ranking.order:
        for firing in result.firings(unit_id):
            outcome = firing.get("outcome")
            action = word.get(f"action.{firing['action']}", firing["action"])
            rows.append([unit_id, result.name(unit_id), firing["label"], action,
                         _rounded(firing.get("points"), p), firing.get("factor"),
                         result.outcome_label(outcome) if outcome else None, firing.get("note")])
    formats = [None] * 4 + [signed_format(p), "0.00##", None, None]
    return Sheet(word["adjustments_sheet"], headers, rows, formats, autofilter=True, wrap_columns=(7,),
                 heading=(spec.title, word["adjustments_sheet"]), frozen_columns=2, page=page_for(spec))


def rules_sheet(assessment) -> Sheet:
    """The indicator tree as a table: level and indented label, weights, values, methods, direction,
    every word in the rule file's language (ids stay in the rule file and the points sheet's notes)."""
    spec = assessment.spec
    word = words(spec)
    full = spec.full_score
    headers = [word["level"], word["label"], word["weight"], word["share"], word["value"],
               word["measure_unit"], word["direction"], word["method"], word["missing"], word["aggregate"]]
    rows, indents, fills = [], [], []
    for node_id, depth in _tree_order(assessment):
        node = assessment.nodes[node_id]
        leaf = not node.is_group
        rows.append([depth + 1, node.title, float(node.weight), _top_weight_share(assessment, node_id, full),
                     node.value if leaf else None, node.unit, word[node.direction] if leaf else None,
                     method_description(node.method, spec) if leaf else None,
                     missing_description(node.missing, spec) if leaf else None,
                     aggregate_description(node.aggregate, spec) if node.is_group else None])
        indents.append(depth)
        fills.append(HEADER_FILL if node.is_group and depth == 0 else None)
    formats = ["0", None, "0.00", "0.0%", None, None, None, None, None, None]
    return Sheet(word["rules"], headers, rows, formats, fills=fills, indents=indents, indent_column=1,
                 wrap_columns=(7, 8), heading=(spec.title, word["rules_heading"]), frozen_columns=2,
                 page=page_for(spec))


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
    """Key / value rows: what was assessed, run id, tool version, every input file with its SHA-256."""
    spec = result.assessment.spec
    word = words(spec)
    doc = provenance_of(result).as_dict()
    rows: list[list] = [[word["title"], spec.title], [word["run_id"], doc["run_id"]],
                        [word["tool"], f"zonescore {doc['tool_version']}"],
                        [word["rules_file"], doc["rules"]["file"]], [word["sha256"], doc["rules"]["sha256"]]]
    for item in doc["data"]:
        rows += [[word["data_file"], item["file"]], [word["sha256"], item["sha256"]]]
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
    return Sheet(word["provenance"], [word["key"], word["content"]], rows, [None, None],
                 heading=(spec.title, word["provenance"]), frozen_columns=1, page=page_for(spec))


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
