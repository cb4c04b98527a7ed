"""Render an :class:`~scoring.explain_model.Explanation` as text, Markdown or JSON (strings).

Labels come from the rule file (node, input and outcome labels, ``labels.*``). Wording the
rule file's ``labels`` has no key for yet falls back to the English defaults in :data:`WORDS`;
a rule file's Labels model gaining a key of the same name overrides it. Numbers have fixed
formats, so identical inputs give byte-identical output.
"""
from __future__ import annotations

import json
import math
from dataclasses import fields, is_dataclass
from typing import Any

from tabulate import tabulate

from .explain_model import Explanation, GroupExplanation, IndicatorExplanation, NeededValue
from .formatting import fixed
from .provenance import Provenance

FORMATS = ("text", "json", "markdown")
JSON_DECIMALS = 6
WORDS = {
    "indicators": "Indicators", "value": "value", "inputs": "inputs", "method": "method",
    "fraction": "fraction", "peer_rank": "peer rank", "subtotal": "subtotal", "full": "of",
    "missing_applied": "value missing: '{policy}' policy applied", "condition": "when", "capped": "capped by",
    "veto": "barred from", "force": "forced into", "flag": "flagged", "pool_cap": "pool cap",
    "total_cap": "total limit", "no_adjustments": "none fired", "lines": "Distance to the lines",
    "line": "line", "distance": "distance", "member": "this unit", "needed_reach": "Needed to be {outcome}",
    "needed_escape": "Needed to escape {outcome}",
    "needed_note": "one input changed, all else unchanged, whole assessment re-scored; "
                   "one step less does not cross",
    "indicator": "indicator", "input": "input", "now": "now", "needed": "needed", "change": "change",
    "unreachable": "not reachable through this indicator", "missing": "input is missing",
    "no_input": "no number input to vary", "searched_to": "searched to", "no_goal": "no line to cross",
    "peer_rank_heading": "by peer rank", "provenance": "Provenance",
}


def words(labels) -> dict[str, str]:
    """The English defaults, overridden by any key of the same name in the rule file's labels."""
    return {key: getattr(labels, key, None) or text for key, text in WORDS.items()}


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
    items = [(depth, f"{node.label}: {_points(node.points, ex.precision)} {w['full']} {_value(node.weight)} · "
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
        method += " · " + ", ".join(f"{k} {_value(v)}" for k, v in node.stats.items())
    items.append((depth + 1, method))
    if node.missing:
        items.append((depth + 1, w["missing_applied"].format(policy=node.missing_policy)))
    return items


def _tree_items(nodes, depth: int, ex: Explanation, w: dict) -> list:
    items = []
    for node in nodes:
        if isinstance(node, GroupExplanation):
            items.append((depth, f"{node.label}: {w['subtotal']} {_points(node.points, ex.precision)} "
                                 f"{w['full']} {_value(node.weight)}"))
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
    labels = ex.labels
    return {"multiply": f"x {_value(adj.factor)}", "veto": f"{w['veto']} {adj.outcome_label}",
            "force": f"{w['force']} {adj.outcome_label}",
            "exempt": getattr(labels, "exempt", "exempt"), "exclude": getattr(labels, "excluded", "excluded"),
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


def _summary(ex: Explanation, w: dict) -> list[str]:
    labels = ex.labels
    rank = "-" if ex.rank is None else f"{ex.rank}/{ex.ranked_count}"
    outcome = ex.outcome_label or {"exempt": labels.exempt, "excluded": labels.excluded}.get(ex.status, labels.none)
    lines = [f"{labels.rank} {rank} · {labels.base_total} {_points(ex.base_total, ex.precision)} "
             f"{w['full']} {_value(ex.full_score)} · {labels.adjustments} "
             f"{_points(ex.adjustments_total, ex.precision, signed=True)} · {labels.total} "
             f"{_points(ex.total, ex.precision)} · {labels.outcome} {outcome}"]
    reasons = [f"{a.label}: {_effect(a, ex, w)}" for a in ex.adjustments
               if a.action in ("veto", "force", "exempt", "exclude", "flag")]
    return lines + reasons


def _lines_table(ex: Explanation, w: dict) -> tuple[list[str], list[list[str]]]:
    labels = ex.labels
    rows = [[line.label, _points(line.line, ex.precision), _points(line.distance, ex.precision, signed=True),
             "✓" if line.member else ""] for line in ex.lines]
    return [labels.outcome, w["line"], w["distance"], w["member"]], rows


def _needed_table(values: list[NeededValue], w: dict) -> tuple[list[str], list[list[str]]]:
    rows = []
    for nv in values:
        if nv.status == "found":
            cells = [_with_unit(nv.current, nv.input_unit), _with_unit(nv.needed, nv.input_unit),
                     ("+" if nv.change > 0 else "") + _value(nv.change)]
        else:
            why = w["unreachable"] if nv.status == "unreachable" else w[nv.status]
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
    w = words(ex.labels)
    labels = ex.labels
    display = " · ".join(f"{k} {v}" for k, v in ex.display.items())
    blocks: list[tuple] = [("title", f"{ex.title}: {ex.unit} {ex.name}" + (f" ({display})" if display else "")),
                           ("para", _summary(ex, w)),
                           ("heading", w["indicators"]), ("items", _tree_items(ex.tree, 0, ex, w)),
                           ("heading", labels.adjustments), ("items", _adjustment_items(ex, w)),
                           ("heading", w["lines"]), ("table", *_lines_table(ex, w))]
    goals = list(dict.fromkeys((nv.outcome, nv.goal, nv.outcome_label) for nv in ex.needed))
    if not goals:
        blocks.append(("para", [w["no_goal"]]))
    for outcome, goal, outcome_label in goals:
        blocks.append(("heading", w[f"needed_{goal}"].format(outcome=outcome_label)))
        blocks.append(("para", [w["needed_note"]]))
        blocks.append(("table", *_needed_table([nv for nv in ex.needed if (nv.outcome, nv.goal) == (outcome, goal)],
                                               w)))
    for title, ranks in ((labels.strongest, ex.strongest), (labels.weakest, ex.weakest)):
        blocks += [("heading", f"{title} ({w['peer_rank_heading']})"), ("table", *_rank_table(ranks, w))]
    blocks += [("heading", w["provenance"]), ("para", ex.provenance.lines())]
    return blocks


def _render_blocks(blocks: list[tuple], markdown: bool) -> str:
    out: list[str] = []
    for kind, *body in blocks:
        if kind == "title":
            out.append(f"## {body[0]}" if markdown else f"{body[0]}\n{'=' * min(60, len(body[0]) * 2)}")
        elif kind == "heading":
            out.append(f"### {body[0]}" if markdown else f"{body[0]}\n{'-' * min(60, len(body[0]) * 2)}")
        elif kind == "para":
            out.append("\n".join(f"- {line}" if markdown else line for line in body[0]))
        elif kind == "items":
            out.append("\n".join(("  " * depth + "- " if markdown else "  " * depth) + text
                                 for depth, text in body[0]))
        elif kind == "table":
            out.append(tabulate(body[1], headers=body[0], tablefmt="github" if markdown else "simple",
                                disable_numparse=True))
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
        return json.dumps(explanation_document(ex), ensure_ascii=False, indent=2) + "\n"
    return _render_blocks(document(ex), markdown=fmt == "markdown")
