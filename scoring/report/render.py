"""Render a run as a terminal table, Markdown, CSV or JSON (strings; the CLI prints or saves them).

Outcome names and node labels come from the rule file, fixed words from
:func:`scoring.report.words.words` (the rule file's language and ``labels``). Numbers are formatted
with fixed decimals so that identical inputs give byte-identical output.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from .fitting import FULL, Layout, outcome_tones
from .formatting import (JSON_DECIMALS, Shape, assessment_record, fixed, fixed_column, json_number, json_text,
                         render_report)
from ..io.outputs import TEXT_FORMATS as FORMATS
from .provenance import provenance_of
from .words import words


def outcome_texts(result, table: pd.DataFrame) -> list[str]:
    """What the outcome column shows: the outcome label, or 不定等级 / 不参评 / '-'."""
    word = words(result.assessment.spec)
    names = {o.id: o.title for o in result.assessment.spec.outcomes}
    by_status = {"exempt": word["exempt"], "excluded": word["excluded"]}
    return [names[outcome] if isinstance(outcome, str) else by_status.get(status, word["none"])
            for outcome, status in zip(table["outcome"].to_numpy(object), table["status"].to_numpy(object))]


class Unaligned(LookupError):
    """An index :func:`positional` cannot read by position (the caller falls back to label lookups)."""


def positional(order) -> Callable[[pd.Series], np.ndarray]:
    """``take(series)``: the values of ``series`` for the labels in ``order``, as ``series[order]``
    gives them, with one position lookup per distinct index. Raises LookupError for a label
    missing from an index or an index with repeated labels."""
    wanted = pd.Index(order)
    known: list[tuple[pd.Index, np.ndarray]] = []

    def take(series: pd.Series) -> np.ndarray:
        if not isinstance(series, pd.Series):
            raise Unaligned()  # not a column
        index = series.index
        for seen, found in known:
            if index is seen or index.equals(seen):
                return series.to_numpy()[found]
        if not index.is_unique:
            raise Unaligned()  # an index with repeated labels
        found = index.get_indexer(wanted)
        if (found < 0).any():
            raise Unaligned()  # a unit missing from the index
        known.append((index, found))
        return series.to_numpy()[found]

    return take


def rank_texts(ranks) -> list[str]:
    """Displayed ranks as text: ``12``; empty for a unit without a rank."""
    values = np.asarray(ranks, dtype=object)
    missing = pd.isna(values)
    texts = np.full(len(values), "", dtype=object)
    texts[~missing] = [str(int(rank)) for rank in values[~missing].tolist()]
    return texts.tolist()


def adjusts_points(spec) -> bool:
    """True when the rule file can move a total away from its base total: a bonus, deduction or
    multiply rule, a pool or a total limit. Without any, the adjustments column (all zeros) is left
    out of the tables and workbooks; JSON keeps ``adjustments_total`` (0) for stable documents."""
    from ..registry import FACTOR_ACTIONS, POINT_ACTIONS

    return (any(rule.action in POINT_ACTIONS or rule.action in FACTOR_ACTIONS for rule in spec.adjustments)
            or bool(spec.pools) or spec.total_min is not None or spec.total_max is not None)


def headline_columns(result, reasons: dict[str, str] | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted columns of the ranked table (shared by table, Markdown and CSV)."""
    spec = result.assessment.spec
    word = words(spec)
    table = result.table()
    groups = result.assessment.top_level
    adjusted = adjusts_points(spec)
    headers = [word["rank"], word["unit"], *spec.display_columns,
               *[result.assessment.label(g) for g in groups], *[word["adjustments"]] * adjusted, word["total"],
               word["outcome"]]
    columns = [rank_texts(table["rank"]), table["name"].astype(str).tolist(),
               *[table[c].astype(str).tolist() for c in spec.display_columns],
               *[fixed_column(table[g], spec.precision) for g in groups],
               *[fixed_column(table["adjustments"], spec.precision, signed=True)] * adjusted,
               fixed_column(table["total"], spec.precision), outcome_texts(result, table)]
    _add_year_over_year(result, table, headers, columns)
    if reasons is not None:
        headers.append(word["reason"])
        columns.append([reasons.get(unit_id, "") for unit_id in table["id"].to_numpy(object)])
    return headers, columns


def _add_year_over_year(result, table, headers: list[str], columns: list[list[str]]) -> None:
    """上年排名, 名次变化, 上年结果 after the outcome, when the history store gave last year's final run."""
    if getattr(result.data, "previous", None) is None:
        return
    from ..history.yoy import year_over_year

    extra = year_over_year(result, table["id"].to_numpy(object))
    if extra is not None:
        headers.extend(extra[0])
        columns.extend(extra[1])


def headline_rows(result, reasons: dict[str, str] | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of the ranked table (:func:`headline_columns` row by row)."""
    headers, columns = headline_columns(result, reasons)
    return headers, [list(row) for row in zip(*columns)]


def footer_lines(result) -> list[str]:
    """Outcome counts, boundary ties, notes and provenance."""
    spec = result.assessment.spec
    word = words(spec)
    counts = result.outcome_counts()
    parts = [f"{result.outcome_label(o)} {n}" for o, n in counts.items()]
    status = result.ranking.status
    for key in ("exempt", "excluded"):
        count = int((status == key).sum())
        if count:
            parts.append(f"{word[key]} {count}")
    lines = [f"{word['count']}: " + ", ".join(parts) + f" / {len(result.data)}"]
    for tie in result.ranking.boundary_ties:
        inside = ", ".join(f"{u} {result.name(u)}" for u in tie.inside)
        outside = ", ".join(f"{u} {result.name(u)}" for u in tie.outside)
        lines.append(f"{word['boundary_tie']}: {result.outcome_label(tie.outcome)} "
                     f"{fixed(tie.total, spec.precision)}: {inside} | {outside}")
    lines += [word["run_note"].format(note=note) for note in result.ranking.notes]
    if spec.aggregate == "geometric":  # the group columns do not add up to the total
        lines.append(word["geometric_total"])
    if getattr(result.data, "previous", None) is not None:
        from ..history.yoy import footer_line

        lines += [line for line in (footer_line(result),) if line]
    lines += provenance_of(result).lines(word)
    return lines


def render_table(result, reasons: dict[str, str] | None = None, fmt: str = "table", layout: Layout = FULL) -> str:
    """The ranked table as an aligned terminal table, Markdown or CSV (with a leading id column).

    On a narrow terminal (``layout.width``) the columns are left out in this order until the
    table fits: the display columns (所属单位 ...), the group points from the last group to the
    first, the adjustments; then the reason and the unit's name are shortened with "…". Rank,
    name, total and outcome always stay (:mod:`scoring.report.fitting`).
    """
    headers, columns = headline_columns(result, reasons)
    spec = result.assessment.spec
    groups = len(result.assessment.top_level)
    adjusted = int(adjusts_points(spec))
    numeric = groups + adjusted + 1
    extra = len(spec.display_columns)
    align = ["right", "left"] + ["left"] * extra + ["right"] * numeric
    align += ["left"] * (len(headers) - len(align))  # outcome, year over year, reason
    numbers = {0, *range(2 + extra, 2 + extra + numeric)}  # rank, group points, adjustments, total
    drop = (*range(2, 2 + extra), *reversed(range(2 + extra, 2 + extra + groups)),
            *range(2 + extra + groups, 2 + extra + groups + adjusted))
    shrink = (len(headers) - 1, 1) if reasons is not None else (1,)
    shape = Shape(drop, shrink, tones=row_tones(result), word=words(spec))
    return render_report(spec.title, headers, None, align, footer_lines(result), fmt,
                         list(result.ranking.order), spec.id_column, empty=words(spec)["no_rows"], columns=columns,
                         numbers=numbers, layout=layout, shape=shape)


def row_tones(result, order=None, outcomes=None) -> list[str | None]:
    """The tone of each row (:func:`scoring.report.fitting.outcome_tones`), in rank order (or ``order``)."""
    tones = outcome_tones(result.assessment)
    if outcomes is None:
        order = result.ranking.order if order is None else order
        outcomes = result.ranking.outcome.reindex(list(order)).to_numpy(object)
    return [tones.get(outcome) if isinstance(outcome, str) else None for outcome in outcomes]


def list_shape(result, outcome_id: str, columns: list[str], layout: Layout | None = None) -> dict:
    """The terminal layout of an outcome list (``warnings``, ``commended``), as keyword arguments of
    :func:`scoring.report.formatting.render_report`: on a narrow terminal the display columns
    (所属单位 ...) and then the id are left out, then the reason and the name shortened with "…"
    (the distance to the line, with a short header, is left out rather than keep fewer than 16
    cells of the reason); every row has the outcome's tone."""
    display = [i for i, column in enumerate(columns) if column in result.assessment.spec.display_columns]
    drop = (*display, *[i for i, column in enumerate(columns) if column == "id"])
    shrink = tuple(i for name in ("reason", "name") for i, column in enumerate(columns) if column == name)
    from .exports import list_headers

    word = words(result.assessment.spec)
    headers = list_headers(result, outcome_id)
    headers["distance"] = word["distance_short"].format(outcome=result.outcome_label(outcome_id))
    tone = outcome_tones(result.assessment).get(outcome_id)
    rows = int((result.ranking.outcome == outcome_id).sum())
    late = tuple(i for i, column in enumerate(columns) if column == "distance")
    shape = Shape(drop, shrink, [headers[column] for column in columns], [tone] * rows, word, late)
    return {"layout": layout or FULL, "shape": shape}


def unit_record(result, unit_id: str) -> dict[str, Any]:
    """Everything about one unit's result, as plain JSON-ready data."""
    spec = result.assessment.spec
    frame = result.data.frame
    tree = result.tree
    rank = result.ranking.display_rank[unit_id]
    outcome = result.ranking.outcome[unit_id]
    outcome = outcome if isinstance(outcome, str) else None
    return {
        "id": unit_id,
        "name": result.name(unit_id),
        "display": {c: str(frame.at[unit_id, c]) for c in spec.display_columns},
        "rank": None if pd.isna(rank) else int(rank),
        "position": None if pd.isna(result.ranking.position[unit_id]) else int(result.ranking.position[unit_id]),
        "status": result.ranking.status[unit_id],
        "base_total": json_number(tree.base_total[unit_id]),
        "adjustments_total": json_number(result.total[unit_id] - tree.base_total[unit_id]),
        "total": json_number(result.total[unit_id]),
        "outcome": outcome,
        "outcome_label": result.outcome_label(outcome),
        "groups": {g: json_number(tree.points.at[unit_id, g]) for g in result.assessment.groups},
        "indicators": {i: json_number(tree.points.at[unit_id, i]) for i in result.assessment.leaves},
        "adjustments": [{k: (json_number(v) if isinstance(v, float) else v) for k, v in f.items()}
                        for f in result.firings(unit_id)],
        "flags": list(result.adjustments.flags[unit_id]),
    }


def unit_records(result, order) -> list[dict[str, Any]]:
    """:func:`unit_record` of every unit in ``order``, the columns read at once.

    The same records: numbers go through :func:`scoring.report.formatting.json_number` value by value.
    Anything unusual (an infinite number, which :func:`unit_record` reports, a label lookup that
    fails) falls back to :func:`unit_record` unit by unit.
    """
    spec = result.assessment.spec
    frame = result.data.frame
    tree = result.tree
    take = positional(order)
    try:
        numbers = {"base_total": take(tree.base_total), "adjustments_total": take(result.total - tree.base_total),
                   "total": take(result.total)}
        numbers.update({("node", node): take(tree.points[node])
                        for node in dict.fromkeys([*result.assessment.groups, *result.assessment.leaves])})
        names = take(frame[spec.name_column])
        display = {c: take(frame[c]) for c in spec.display_columns}
        ranks, positions = take(result.ranking.display_rank), take(result.ranking.position)
        outcomes, statuses = take(result.ranking.outcome), take(result.ranking.status)
        flags = take(result.adjustments.flags)
    except LookupError:
        numbers = None
    if numbers is None or not all(_finite_or_missing(values) for values in numbers.values()):
        return [unit_record(result, unit_id) for unit_id in order]
    shown = {key: _json_numbers(values) for key, values in numbers.items()}
    labels: dict = {}
    records = []
    for i, unit_id in enumerate(order):
        rank, position, outcome = ranks[i], positions[i], outcomes[i]
        outcome = outcome if isinstance(outcome, str) else None
        if outcome not in labels:
            labels[outcome] = result.outcome_label(outcome)
        records.append({
            "id": unit_id,
            "name": str(names[i]),
            "display": {c: str(values[i]) for c, values in display.items()},
            "rank": None if pd.isna(rank) else int(rank),
            "position": None if pd.isna(position) else int(position),
            "status": statuses[i],
            "base_total": shown["base_total"][i],
            "adjustments_total": shown["adjustments_total"][i],
            "total": shown["total"][i],
            "outcome": outcome,
            "outcome_label": labels[outcome],
            "groups": {g: shown[("node", g)][i] for g in result.assessment.groups},
            "indicators": {n: shown[("node", n)][i] for n in result.assessment.leaves},
            "adjustments": [{k: (json_number(v) if isinstance(v, float) else v) for k, v in f.items()}
                            for f in result.firings(unit_id)],
            "flags": list(flags[i]),
        })
    return records


def _finite_or_missing(values: np.ndarray) -> bool:
    return values.dtype.kind == "f" and not np.isinf(values).any()


def _json_numbers(values: np.ndarray) -> list:
    """:func:`scoring.report.formatting.json_number` of every value of a float column (NaN: None)."""
    return [None if v != v else round(v, JSON_DECIMALS) + 0.0 for v in values.tolist()]


def run_document(result, reasons: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON document of a run: assessment, units in rank order, summary, provenance."""
    spec = result.assessment.spec
    units = unit_records(result, result.ranking.order)
    if reasons is not None:
        for record in units:
            record["reason"] = reasons.get(record["id"], "")
    if getattr(result.data, "previous", None) is not None:
        from ..history.yoy import add_previous

        add_previous(result, units)
    ties = [{"outcome": t.outcome, "total": json_number(t.total), "inside": list(t.inside), "outside": list(t.outside)}
            for t in result.ranking.boundary_ties]
    return {
        "assessment": {**assessment_record(spec), "full_score": json_number(spec.full_score)},
        "units": units,
        "summary": {"outcome_counts": result.outcome_counts(), "boundary_ties": ties,
                    "notes": list(result.ranking.notes)},
        "provenance": provenance_of(result).as_dict(),
    }


def render_json(result, reasons: dict[str, str] | None = None) -> str:
    """The run as strict JSON (:func:`scoring.report.formatting.json_text`)."""
    return json_text(run_document(result, reasons))


def render_run(result, fmt: str = "table", reasons: dict[str, str] | None = None, layout: Layout = FULL) -> str:
    """Render ``result`` in one of :data:`FORMATS` (``layout``: terminal width and colour of a table)."""
    if fmt == "json":
        return render_json(result, reasons)
    return render_table(result, reasons, fmt, layout)
