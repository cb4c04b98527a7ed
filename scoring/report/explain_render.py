"""Render an :class:`~scoring.analysis.explain_model.Explanation` as text, Markdown or JSON (strings).

Node, input and outcome labels come from the rule file; every fixed word comes from
:func:`scoring.report.words.words` (the rule file's language, overridden by its ``labels``). Numbers
have fixed formats, so identical inputs give byte-identical output.
"""
from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from typing import Any

from tabulate import tabulate

from ..analysis.explain_model import Explanation, GroupExplanation, IndicatorExplanation, NeededValue
from .formatting import fixed, json_text, markdown_table, markdown_text
from .provenance import Provenance
from ..registry import COMMAND_FORMATS
from .words import words

FORMATS = COMMAND_FORMATS["explain"]  # text, json, markdown (scoring.registry.formats)
JSON_DECIMALS = 6


def _points(value: float | None, precision: int, signed: bool = False) -> str:
    return fixed(value, precision, signed, missing="-")


def _value(value) -> str:
    """A data value: integers without decimals, others with up to 4 decimals."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    text = f"{round(float(value), 4) + 0.0:.4f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _with_unit(value, unit: str | None) -> str:
    text = _value(value)
    return f"{text} {unit}" if unit and value is not None else text


def _settings(settings: dict) -> str:
    parts = []
    for key, value in settings.items():
        if isinstance(value, bool):
            parts += [key] if value else []
        elif isinstance(value, list):
            value = "; ".join(" ".join(f"{k} {_value(v)}" for k, v in item.items()) if isinstance(item, dict)
                              else _value(item) for item in value)
            parts.append(f"{key}: {value}")
        else:
            parts.append(f"{key} {_value(value)}")
    return ", ".join(parts)


# --- the document: headings, indented items, tables ---------------------------------------------


def _indicator_items(node: IndicatorExplanation, depth: int, ex: Explanation, w: dict) -> list:
    rank = f"{node.peer_rank}/{node.peer_count}" if node.peer_rank is not None else "-"
    fraction = "-" if node.fraction is None else f"{node.fraction:.4f}"
    items = [(depth, f"{node.label}: {_of_full(node.points, node.weight, ex, w)} · "
                     f"{w['fraction']} {fraction} · {w['peer_rank']} {rank}")]
    expr = f"{node.value_expr} = " if node.value_expr is not None else ""
    items.append((depth + 1, f"{w['value']}: {expr}{_with_unit(node.value, node.unit)}"))
    if node.inputs:
        shown = [f"{v.label} ({v.name}) = {_with_unit(v.value, v.unit)}" if v.kind == "input"
                 else f"{v.name} = {v.formula} = {_value(v.value)}" for v in node.inputs]
        items.append((depth + 1, f"{w['inputs']}: " + "; ".join(shown)))
    method = f"{w['method']} {node.method}"
    if node.settings:
        method += f" ({_settings(node.settings)})"
    if node.stats:
        method += " · " + ", ".join(f"{w.get('stat.' + k, k)} {_value(v)}" for k, v in node.stats.items())
    items.append((depth + 1, method))
    if node.missing:
        items.append((depth + 1, w["missing_applied"].format(policy=node.missing_policy)))
    return items


def _tree_items(nodes, depth: int, ex: Explanation, w: dict) -> list:
    items = []
    for node in nodes:
        if isinstance(node, GroupExplanation):
            items.append((depth, f"{node.label}: {w['subtotal']} {_of_full(node.points, node.weight, ex, w)}"))
            items += _tree_items(node.children, depth + 1, ex, w)
        else:
            items += _indicator_items(node, depth, ex, w)
    return items


def _effect(adj, ex: Explanation, w: dict) -> str:
    if adj.action in ("bonus", "deduction", "pool_cap", "total_cap"):
        text = _points(adj.points, ex.precision, signed=True)
        if adj.action in ("pool_cap", "total_cap"):
            text = f"{w[adj.action]} {text}"
        if adj.capped:
            text += f" ({w['capped']} {_points(-adj.capped, ex.precision, signed=True)})"
        return text
    return {"multiply": f"x {_value(adj.factor)}", "veto": w["veto"].format(outcome=adj.outcome_label),
            "force": w["force"].format(outcome=adj.outcome_label), "exempt": w["exempt"], "exclude": w["excluded"],
            "flag": w["flag"]}.get(adj.action, adj.action)


def _adjustment_items(ex: Explanation, w: dict) -> list:
    if not ex.adjustments:
        return [(0, w["no_adjustments"])]
    items = []
    for adj in ex.adjustments:
        condition = f" ({w['condition']} {adj.condition})" if adj.condition else ""
        items.append((0, f"{adj.label}{condition}: {_effect(adj, ex, w)}"))
        if adj.note:
            items.append((1, adj.note))
    return items


def _of_full(points: float | None, full: float, ex: Explanation, w: dict) -> str:
    return w["of_full"].format(points=_points(points, ex.precision), full=_value(full))


def _summary(ex: Explanation, w: dict) -> list[str]:
    rank = "-" if ex.rank is None else f"{ex.rank}/{ex.ranked_count}"
    outcome = ex.outcome_label or {"exempt": w["exempt"], "excluded": w["excluded"]}.get(ex.status, w["none"])
    lines = [f"{w['rank']} {rank} · {w['base_total']} {_of_full(ex.base_total, ex.full_score, ex, w)} · "
             f"{w['adjustments']} {_points(ex.adjustments_total, ex.precision, signed=True)} · "
             f"{w['total']} {_points(ex.total, ex.precision)} · {w['outcome']} {outcome}"]
    reasons = [f"{a.label}: {_effect(a, ex, w)}" for a in ex.adjustments
               if a.action in ("veto", "force", "exempt", "exclude", "flag")]
    return lines + reasons


def _lines_table(ex: Explanation, w: dict) -> tuple[list[str], list[list[str]]]:
    rows = [[line.label, _points(line.line, ex.precision), _points(line.distance, ex.precision, signed=True),
             "✓" if line.member else ""] for line in ex.lines]
    return [w["outcome"], w["line_total"], w["line_distance"], w["member"]], rows


def _needed_table(values: list[NeededValue], w: dict) -> tuple[list[str], list[list[str]]]:
    rows = []
    for nv in values:
        if nv.status == "found":
            cells = [_with_unit(nv.current, nv.input_unit), _with_unit(nv.needed, nv.input_unit),
                     ("+" if nv.change > 0 else "") + _value(nv.change)]
        else:
            why = w[{"missing": "input_missing"}.get(nv.status, nv.status)]
            if nv.status == "unreachable":
                why += f" ({w['searched_to']} {_value(nv.limit)})"
            cells = [_with_unit(nv.current, nv.input_unit), why, ""]
        rows.append([nv.indicator_label, f"{nv.input_label} ({nv.input})" if nv.input else "-", *cells])
    return [w["indicator"], w["input"], w["now"], w["needed"], w["change"]], rows


def _rank_table(ranks, w: dict) -> tuple[list[str], list[list[str]]]:
    rows = [[r.label, f"{r.rank}/{r.count}", "-" if r.fraction is None else f"{r.fraction:.4f}"] for r in ranks]
    return [w["indicator"], w["peer_rank"], w["fraction"]], rows


def document(ex: Explanation) -> list[tuple]:
    """The explanation as blocks: ("title", text), ("heading", text), ("para", [lines]),
    ("items", [(depth, text)]), ("table", headers, rows)."""
    w = words(ex)
    display = " · ".join(f"{k} {v}" for k, v in ex.display.items())
    blocks: list[tuple] = [("title", f"{ex.title}: {ex.unit} {ex.name}" + (f" ({display})" if display else "")),
                           ("para", _summary(ex, w)),
                           ("heading", w["indicators"]), ("items", _tree_items(ex.tree, 0, ex, w)),
                           ("heading", w["adjustments"]), ("items", _adjustment_items(ex, w)),
                           ("heading", w["lines"]), ("table", *_lines_table(ex, w))]
    goals = list(dict.fromkeys((nv.outcome, nv.goal, nv.outcome_label) for nv in ex.needed))
    if not goals:
        blocks.append(("para", [w["no_goal"]]))
    for outcome, goal, outcome_label in goals:
        blocks.append(("heading", w[f"needed_{goal}"].format(outcome=outcome_label)))
        blocks.append(("para", [w["needed_note"]]))
        blocks.append(("table", *_needed_table([nv for nv in ex.needed if (nv.outcome, nv.goal) == (outcome, goal)],
                                               w)))
    for title, ranks in ((w["strongest"], ex.strongest), (w["weakest"], ex.weakest)):
        blocks += [("heading", w["by_peer_rank"].format(title=title)), ("table", *_rank_table(ranks, w))]
    blocks += [("heading", w["provenance"]), ("para", ex.provenance.lines(w))]
    return blocks


def _render_blocks(blocks: list[tuple], markdown: bool) -> str:
    if markdown:
        return _markdown_blocks(blocks)
    out: list[str] = []
    for kind, *body in blocks:
        if kind in ("title", "heading"):
            out.append(f"{body[0]}\n{('=' if kind == 'title' else '-') * min(60, len(body[0]) * 2)}")
        elif kind == "para":
            out.append("\n".join(body[0]))
        elif kind == "items":
            out.append("\n".join("  " * depth + text for depth, text in body[0]))
        elif kind == "table":
            out.append(tabulate(body[1], headers=body[0], tablefmt="simple", disable_numparse=True))
    return "\n\n".join(out) + "\n"


def _markdown_blocks(blocks: list[tuple]) -> str:
    """The same blocks as Markdown, every text escaped (names may hold ``|``, ``<`` or line breaks)."""
    out: list[str] = []
    for kind, *body in blocks:
        if kind in ("title", "heading"):
            out.append(("## " if kind == "title" else "### ") + markdown_text(body[0]))
        elif kind == "para":
            out.append("\n".join(f"- {markdown_text(line)}" for line in body[0]))
        elif kind == "items":
            out.append("\n".join("  " * depth + "- " + markdown_text(text) for depth, text in body[0]))
        elif kind == "table":
            out.append(markdown_table(body[0], body[1]))
    return "\n\n".join(out) + "\n"


# --- JSON --------------------------------------------------------------------------------------


def _plain(obj) -> Any:
    if isinstance(obj, Provenance):
        return obj.as_dict()
    if is_dataclass(obj):
        out = {f.name: _plain(getattr(obj, f.name)) for f in fields(obj) if f.name != "labels"}
        if isinstance(obj, NeededValue):
            out["change"] = _plain(obj.change)
        return out
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, JSON_DECIMALS) + 0.0 if math.isfinite(obj) else None
    if hasattr(obj, "item"):  # numpy scalars
        return _plain(obj.item())
    return obj


def explanation_document(ex: Explanation) -> dict[str, Any]:
    """The explanation as JSON-ready data (floats rounded to 6 decimals)."""
    return _plain(ex)


def render_explanation(ex: Explanation, fmt: str = "text") -> str:
    """Render ``ex`` in one of :data:`FORMATS`."""
    if fmt == "json":
        return json_text(explanation_document(ex))
    return _render_blocks(document(ex), markdown=fmt == "markdown")
