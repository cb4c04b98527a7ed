"""Write .xlsx workbooks: the full results of a run, outcome lists and data templates.

Sheets are described as plain data (:class:`Sheet`) and written by one function
(:func:`write_workbook`) that applies the house style: bold header row, frozen; numbers stored
as numbers with a fixed number of decimals shown; columns wide enough to read (wide CJK
characters count as two); every text cell passed through :func:`scoring.fileio.neutralise`
so that no zone name can become a formula; written to a temporary file and renamed.

openpyxl is imported only inside the functions that build a workbook.
"""
from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .fileio import neutralise, write_atomic_with
from .provenance import provenance_of
from .words import display_width, words

HEADER_FILL = "D9E1F2"
EXEMPT_FILL = "EDEDED"
TOP_FILLS = ("C6EFCE", "DDEBF7", "E2EFDA")  # green, blue, pale green
BOTTOM_FILLS = ("FFC7CE", "FCE4D6", "FFF2CC")  # red, orange, yellow
OTHER_FILLS = ("FFF2CC", "E4DFEC", "DDEBF7", "FCE4D6")
MAX_WIDTH = 60


@dataclass
class Sheet:
    """One worksheet as data: a header row, then rows of str / int / float / None cells."""

    title: str
    headers: list[str]
    rows: list[list]
    formats: list[str | None] = field(default_factory=list)  # number_format per column (None: General)
    fills: list[str | None] | None = None  # background colour (hex RGB) per row
    indents: list[int] | None = None  # indent level per row, applied to ``indent_column``
    indent_column: int = 0
    comments: dict[int, str] = field(default_factory=dict)  # header comments by column index
    autofilter: bool = False
    wrap_columns: tuple[int, ...] = ()


def decimals_format(precision: int) -> str:
    """``0.00`` for precision 2: numbers shown with that many decimals."""
    return "0." + "0" * precision if precision > 0 else "0"


def plain(value):
    """A cell value openpyxl can store: Python numbers (NaN -> empty), text neutralised."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if not math.isfinite(value) else value + 0.0
    if value is pd.NA or value is pd.NaT:
        return None
    return neutralise(str(value))


def _shown(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and number_format and number_format.startswith("0"):
        decimals = len(number_format.split(".", 1)[1]) if "." in number_format else 0
        return f"{value:.{decimals}f}"
    return str(value)


def build_workbook(sheets: list[Sheet]):
    """An openpyxl Workbook holding ``sheets`` (not saved)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title, book.sheetnames))
        _write_header(ws, sheet)
        widths = _write_rows(ws, sheet)
        _finish_sheet(ws, sheet, widths)
    if not book.sheetnames:
        book.create_sheet("Sheet1")
    return book


def _write_header(ws, sheet: Sheet) -> None:
    """Bold, shaded header row; header notes (label, unit) as cell comments."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append([plain(h) for h in sheet.headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    for index, text in sheet.comments.items():
        comment = Comment(text, "zonescore")
        comment.width, comment.height = 240, 30 + 18 * (text.count("\n") + 1)
        ws.cell(row=1, column=index + 1).comment = comment


def _write_rows(ws, sheet: Sheet) -> list[int]:
    """Data rows with fills, number formats, wrapping and indents; returns the column widths needed."""
    from openpyxl.styles import Alignment, PatternFill

    formats = list(sheet.formats) + [None] * (len(sheet.headers) - len(sheet.formats))
    widths = [display_width(str(h)) for h in sheet.headers]
    for r, row in enumerate(sheet.rows):
        values = [plain(v) for v in row]
        ws.append(values)
        fill = PatternFill("solid", fgColor=sheet.fills[r]) if sheet.fills and sheet.fills[r] else None
        for c, value in enumerate(values):
            cell = ws.cell(row=r + 2, column=c + 1)
            if fill is not None:
                cell.fill = fill
            if formats[c] == "@" or (formats[c] and isinstance(value, (int, float)) and not isinstance(value, bool)):
                cell.number_format = formats[c]
            if c in sheet.wrap_columns:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c < len(widths):
                widths[c] = max(widths[c], display_width(_shown(value, formats[c])))
        if sheet.indents and sheet.indents[r]:
            cell = ws.cell(row=r + 2, column=sheet.indent_column + 1)
            cell.alignment = Alignment(indent=sheet.indents[r])
            widths[sheet.indent_column] = max(widths[sheet.indent_column],
                                              display_width(str(cell.value or "")) + 2 * sheet.indents[r])
    return widths


def _finish_sheet(ws, sheet: Sheet, widths: list[int]) -> None:
    """Column widths, frozen header row, autofilter."""
    from openpyxl.utils import get_column_letter

    for c, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(c + 1)].width = min(width + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"
    if sheet.autofilter and sheet.headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"


def _sheet_title(title: str, taken: list[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip("'") or "Sheet"
    clean = clean[:31]
    name, n = clean, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = clean[:31 - len(suffix)] + suffix, n + 1
    return name


def write_workbook(path: str | Path, sheets: list[Sheet]) -> None:
    """Build the workbook and save it atomically: a failure leaves an existing ``path`` untouched."""
    book = build_workbook(sheets)
    write_atomic_with(path, lambda handle: handle.write(reproducible_bytes(book)))


FIXED_TIME = datetime.datetime(2000, 1, 1)


def reproducible_bytes(book) -> bytes:
    """The workbook as bytes that depend only on its content: openpyxl stamps the save time into
    the document properties and the zip entries, so both are pinned to a fixed moment."""
    import io
    import zipfile

    book.properties.created = book.properties.modified = FIXED_TIME
    saved = io.BytesIO()
    book.save(saved)
    pinned = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(pinned, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":  # openpyxl sets 'modified' to now while saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                                 content)
            target.writestr(info, content)
    return pinned.getvalue()


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
    if reasons is not None:
        headers.append(word["reason"])
    outcomes = outcome_texts(result, table)
    fills_by_outcome = outcome_fills(result.assessment)
    rows, fills = [], []
    for i, unit_id in enumerate(table["id"]):
        record = table.iloc[i]
        rank = None if pd.isna(record["rank"]) else int(record["rank"])
        row = [unit_id, rank, record["name"], *[record[c] for c in spec.display_columns],
               *[_rounded(record[g], p) for g in groups], _rounded(record["base_total"], p),
               _rounded(record["adjustments"], p), _rounded(record["total"], p), outcomes[i]]
        if reasons is not None:
            row.append(reasons.get(unit_id, ""))
        rows.append(row)
        outcome = record["outcome"]
        fills.append(fills_by_outcome.get(outcome) if isinstance(outcome, str)
                     else (EXEMPT_FILL if record["status"] != "ranked" else None))
    number = decimals_format(p)
    formats = [None, "0", None, *[None] * len(spec.display_columns), *[number] * (len(groups) + 3), None, None]
    return Sheet(word["ranking"], headers, rows, formats, fills=fills, autofilter=True)


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
    order = _tree_order(result.assessment)
    table = result.table()
    points = result.tree.points
    headers = [spec.id_column, word["unit"],
               *[result.assessment.label(node_id) for node_id, _ in order], word["base_total"]]
    comments = {}
    for i, (node_id, _) in enumerate(order):
        node = result.assessment.nodes[node_id]
        comments[i + 2] = f"{node_id}\n{word['weight']}: {node.weight:g}"
    rows = []
    for unit_id in table["id"]:
        rows.append([unit_id, result.name(unit_id), *[_rounded(points.at[unit_id, node_id], p) for node_id, _ in order],
                     _rounded(result.tree.base_total[unit_id], p)])
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
        from .lines import reasons as unit_reasons

        reasons = unit_reasons(result)
    return [ranking_sheet(result, reasons), points_sheet(result), adjustments_sheet(result),
            rules_sheet(result.assessment), provenance_sheet(result)]


def write_results(result, path: str | Path, reasons: dict[str, str] | None = None) -> None:
    """``zonescore run --out results.xlsx``: ranking, indicator points, adjustments, rules, provenance."""
    write_workbook(path, results_sheets(result, reasons))
