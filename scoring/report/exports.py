"""Outcome lists (预警提示 warning list, 表彰 commendation list) as data, and rendered as documents.

:func:`outcome_list` works for any outcome id. The ``warnings`` and ``commended`` commands pick
the outcome with the rule file's bottom selector / top selector (:func:`selector_outcome`).
Each listed unit comes with its rank, total, owner (display columns), the reason (veto or
forced outcome, weakest or strongest groups) and its distance to the outcome's line, taken
from :mod:`scoring.analysis.lines` so that every output agrees.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import OptionError, Problem
from ..messages import tr
from .formatting import assessment_record, fixed, json_number, json_text, render_report
from ..analysis.lines import group_shares, line_distances, outcome_lines, unit_reason
from .provenance import provenance_of
from .words import words

TOP_SELECTORS = ("top", "top_percent")
BOTTOM_SELECTORS = ("bottom", "bottom_percent")


def selector_outcome(assessment, side: str) -> str:
    """Id of the first outcome chosen by rank from the top (``side='top'``) or the bottom.

    Raises :class:`OptionError` when the rule file has no such outcome.
    """
    keys = TOP_SELECTORS if side == "top" else BOTTOM_SELECTORS
    for outcome in assessment.spec.outcomes:
        if any(getattr(outcome, key) is not None for key in keys):
            return outcome.id
    shown = ", ".join(f"{o.id} ({o.title})" for o in assessment.spec.outcomes) or tr("none")
    what = "top / top_percent" if side == "top" else "bottom / bottom_percent"
    message = (tr("The rule file has no outcome chosen from the top: {path}", path=assessment.path) if side == "top"
               else tr("The rule file has no outcome chosen from the bottom: {path}", path=assessment.path))
    raise OptionError(message, [Problem(tr("no outcome with '{keys}'", keys=what), file=assessment.path,
                                        field="outcomes", found=tr("outcomes: {outcomes}", outcomes=shown),
                                        expected=tr("an outcome with {keys}", keys=what))])


def _check_outcome(result, outcome_id: str) -> None:
    ids = [o.id for o in result.assessment.spec.outcomes]
    if outcome_id not in ids:
        raise OptionError(tr("Unknown outcome: {outcome}", outcome=repr(outcome_id)),
                          [Problem(tr("unknown outcome"), field="outcome", found=repr(outcome_id),
                                   expected=tr("one of: {choices}", choices=", ".join(ids)) if ids
                                   else tr("an outcome of the rule file (it has none)"))])


def outcome_list(result, outcome_id: str) -> pd.DataFrame:
    """Units given ``outcome_id``, in rank order, indexed by unit id.

    Columns: ``id``, ``rank``, ``name``, each display column (by its name in the rules),
    ``total``, ``distance`` (total minus the outcome's line: >= 0 above it), ``reason``.
    Numbers are unrounded floats; renderers round to the rule file's precision.
    """
    from .render import positional

    _check_outcome(result, outcome_id)
    spec = result.assessment.spec
    try:
        outcomes = positional(result.ranking.order)(result.ranking.outcome)
    except LookupError:
        outcomes = [result.ranking.outcome[u] for u in result.ranking.order]
    order = [u for u, outcome in zip(result.ranking.order, outcomes) if outcome == outcome_id]
    frame = result.data.frame
    distances = line_distances(result)[outcome_id]
    shares = group_shares(result)
    listed = pd.DataFrame(index=pd.Index(order, dtype=object))
    listed["id"] = pd.Series(order, index=listed.index, dtype=object)
    take = positional(order)
    try:  # each column taken at once; label by label below if that fails
        columns = {"rank": [int(rank) for rank in take(result.ranking.display_rank)],
                   "name": [str(name) for name in take(frame[spec.name_column])]}
        columns.update({column: [str(value) for value in take(frame[column])] for column in spec.display_columns})
        columns.update({"total": take(result.total).astype(float).tolist(),
                        "distance": take(distances).astype(float).tolist()})
    except LookupError:
        columns = {"rank": [int(result.ranking.display_rank[u]) for u in order],
                   "name": [str(frame.at[u, spec.name_column]) for u in order]}
        columns.update({column: [str(frame.at[u, column]) for u in order] for column in spec.display_columns})
        columns.update({"total": [float(result.total[u]) for u in order],
                        "distance": [float(distances[u]) for u in order]})
    for column, values in columns.items():
        listed[column] = values
    listed["reason"] = [unit_reason(result, u, shares) for u in order]
    return listed


def list_headers(result, outcome_id: str) -> dict[str, str]:
    """Column of :func:`outcome_list` -> header shown (the rule file's words, :func:`scoring.report.words.words`)."""
    spec = result.assessment.spec
    word = words(spec)
    line = outcome_lines(result).get(outcome_id)
    label = line.label if line else result.outcome_label(outcome_id)
    headers = {"id": spec.id_column, "rank": word["rank"], "name": word["unit"]}
    headers.update({c: c for c in spec.display_columns})
    headers.update({"total": word["total"], "distance": word["distance"].format(outcome=label),
                    "reason": word["reason"]})
    return headers


def list_title(result, outcome_id: str) -> str:
    return f"{result.assessment.spec.title} · {result.outcome_label(outcome_id)}"


def list_rows(result, listed: pd.DataFrame) -> list[list[str]]:
    """Rows of text cells (numbers formatted to the rule file's precision), columns as in the frame."""
    p = result.assessment.spec.precision
    rows = []
    for record in listed.to_dict("records"):
        row = []
        for column, value in record.items():
            if column == "total":
                row.append(fixed(value, p))
            elif column == "distance":
                row.append(fixed(value, p, signed=True))
            else:
                row.append(str(value))
        rows.append(row)
    return rows


def list_footer(result, outcome_id: str, listed: pd.DataFrame) -> list[str]:
    """Count, the line and the run's provenance."""
    spec = result.assessment.spec
    line = outcome_lines(result)[outcome_id]
    word = words(spec)
    parts = [f"{word['count']}: {len(listed)} / {len(result.data)}"]
    if line.total is not None:
        parts.append(f"{word['line'].format(outcome=line.label)}: {fixed(line.total, spec.precision)}")
    return [" · ".join(parts)] + provenance_of(result).lines(word)


def list_document(result, outcome_id: str, listed: pd.DataFrame | None = None) -> dict:
    """JSON-ready document: the outcome, its line, the listed units, the headers and provenance."""
    listed = outcome_list(result, outcome_id) if listed is None else listed
    spec = result.assessment.spec
    line = outcome_lines(result)[outcome_id]
    units = []
    for record in listed.to_dict("records"):
        unit = {"id": record["id"], "rank": int(record["rank"]), "name": record["name"],
                "display": {c: record[c] for c in spec.display_columns},
                "total": json_number(record["total"]), "distance": json_number(record["distance"]),
                "reason": record["reason"]}
        units.append(unit)
    return {
        "assessment": assessment_record(spec),
        "outcome": {"id": outcome_id, "label": result.outcome_label(outcome_id),
                    "line": json_number(line.total),
                    "from_bottom": line.from_bottom, "count": len(units)},
        "headers": list_headers(result, outcome_id),
        "units": units,
        "provenance": provenance_of(result).as_dict(),
    }


def render_list(result, outcome_id: str, fmt: str = "table", layout=None) -> str:
    """The list as a terminal table, Markdown, CSV (text cells neutralised) or JSON (``layout``: the
    terminal's width and colour, :func:`scoring.report.render.list_shape`)."""
    from .render import list_shape

    listed = outcome_list(result, outcome_id)
    if fmt == "json":
        return json_text(list_document(result, outcome_id, listed))
    headers = [list_headers(result, outcome_id)[c] for c in listed.columns]
    numeric = {"rank", "total", "distance"}
    align = ["right" if c in numeric else "left" for c in listed.columns]
    return render_report(list_title(result, outcome_id), headers, list_rows(result, listed), align,
                         list_footer(result, outcome_id, listed), fmt, empty=words(result.assessment.spec)["no_rows"],
                         **list_shape(result, outcome_id, list(listed.columns), layout))


def list_sheet(result, outcome_id: str, listed: pd.DataFrame | None = None):
    """The list as a printable :class:`scoring.io.workbook.Sheet`: numbered 序号 1..N with the rank in
    its own column, numbers stored as numbers, the distance worded (高于预警提示线 9.30 分), the
    count and the line under the table."""
    from .excel import outcome_fills
    from .print_setup import page_for
    from ..io.workbook import Sheet, decimals_format

    listed = outcome_list(result, outcome_id) if listed is None else listed
    spec = result.assessment.spec
    word = words(spec)
    p = spec.precision
    order = ["id", "name", *spec.display_columns, "total", "rank", "distance", "reason"]
    names = list_headers(result, outcome_id)
    headers = [word["serial"], *[names[c] for c in order]]
    rows = [[n, *[round(record[c], p) + 0.0 if c in ("total", "distance") else record[c] for c in order]]
            for n, record in enumerate(listed.to_dict("records"), start=1)]
    line = outcome_lines(result)[outcome_id]
    formats = ["0", *["0" if c == "rank" else decimals_format(p) if c == "total"
                      else distance_format(spec, line.label, p) if c == "distance" else None for c in order]]
    fill = outcome_fills(result.assessment).get(outcome_id)
    label = str(result.outcome_label(outcome_id))
    return Sheet(label, headers, rows, formats, fills=[fill] * len(rows), autofilter=True,
                 wrap_columns=(len(headers) - 1,), heading=(spec.title, word["list_heading"].format(outcome=label)),
                 notes=tuple(list_footer(result, outcome_id, listed)[:1]), frozen_columns=3, page=page_for(spec))


def distance_format(spec, outcome_label: str, precision: int) -> str:
    """Number format that words a distance to an outcome's line: ``"高于预警提示线 "0.00" 分"`` for
    a positive distance, ``低于…`` for a negative one, ``与预警提示线持平`` at zero; the cell stays a
    number."""
    from ..io.workbook import decimals_format

    word = words(spec)
    line = word["line"].format(outcome=outcome_label).replace('"', "'")  # a quote would end the literal
    number = decimals_format(precision)

    def section(template: str) -> str:
        before, after = template.format(line=line, number="\0").split("\0")
        return (f'"{before}"' if before else "") + number + (f'"{after}"' if after else "")

    on_line = f'"{word["on_line"].format(line=line)}"'
    return ";".join([section(word["above_line"]), section(word["below_line"]), on_line])


def write_list(result, outcome_id: str, path: str | Path, fmt: str | None = None, force: bool = False) -> None:
    """Save the list as ``fmt``, which must agree with the file's extension (without ``fmt``: the
    extension decides): .xlsx (list and provenance sheets), .csv, .json, .md, .txt.

    Never over an input of ``result``; an existing file only if it is a previous output of the
    same list in the same format, or with ``force`` (:func:`scoring.io.outputs.save`).
    """
    from ..io.outputs import check_target, output_format, result_inputs, save_text

    fmt = output_format("warnings", fmt, path)
    inputs = result_inputs(result)
    check_target(path, inputs)
    if fmt == "xlsx":
        from .excel import provenance_sheet
        from ..io.workbook import write_workbook

        write_workbook(path, [list_sheet(result, outcome_id), provenance_sheet(result)], f"list:{outcome_id}",
                       inputs, force)
        return
    save_text(path, render_list(result, outcome_id, fmt), fmt, inputs, force)
