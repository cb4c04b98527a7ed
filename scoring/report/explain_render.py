"""Render an :class:`~scoring.analysis.explain_model.Explanation` as text, Markdown or JSON (strings).

Node, input and outcome labels come from the rule file; every fixed word comes from
:func:`scoring.report.words.words` (the rule file's language, overridden by its ``labels``), and
methods, missing policies, score rates (86.7%) and data values (212,700) are put in words by
:mod:`scoring.registry.describe`. Needed values are sentences, one per input varied; a veto that
no input can lift is said once. Numbers have fixed formats, so identical inputs give
byte-identical output.
"""
from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from typing import Any

from tabulate import tabulate

from ..analysis.explain_model import Explanation, GroupExplanation, IndicatorExplanation, NeededValue
from ..registry.describe import describe_method, describe_missing, number_text, percent
from .formatting import fixed, json_text, markdown_table, markdown_text
from .provenance import Provenance
from ..registry import COMMAND_FORMATS
from .words import language, words

FORMATS = COMMAND_FORMATS["explain"]  # text, json, markdown (scoring.registry.formats)
JSON_DECIMALS = 6


def _points(value: float | None, precision: int, signed: bool = False) -> str:
    return fixed(value, precision, signed, missing="-")


def _with_unit(value, unit: str | None) -> str:
    text = number_text(value)
    return f"{text} {unit}" if unit and value is not None else text


def _paren(text: str, lang: str) -> str:
    """``text`` in brackets after a word: "（…）" in Chinese, " (…)" in English."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


# --- the document: headings, indented items, tables ---------------------------------------------


def _stat_text(name: str, value) -> str:
    return percent(value) if name == "pct_rank" else number_text(value)


def _indicator_items(node: IndicatorExplanation, depth: int, ex: Explanation, w: dict, lang: str) -> list:
    rank = f"{node.peer_rank}/{node.peer_count}" if node.peer_rank is not None else "-"
    items = [(depth, f"{node.label}{w['colon']}{_of_full(node.points, node.weight, ex, w)} · "
                     f"{w['fraction']} {percent(node.fraction)} · {w['peer_rank']} {rank}")]
    expr = f"{node.value_expr} = " if node.value_expr is not None else ""
    items.append((depth + 1, f"{w['value']}{w['colon']}{expr}{_with_unit(node.value, node.unit)}"))
    if node.inputs:
        shown = [f"{v.label}{_paren(v.name, lang) if v.name != v.label else ''} = {_with_unit(v.value, v.unit)}"
                 if v.kind == "input"
                 else f"{v.name} = {v.formula} = {number_text(v.value)}" for v in node.inputs]
        items.append((depth + 1, f"{w['inputs']}{w['colon']}" + w["clause_sep"].join(shown)))
    method = f"{w['method']}{w['colon']}{describe_method(node.method, node.settings, lang)}"
    if node.stats:
        sep = "，" if lang == "zh" else ", "
        method += " · " + sep.join(f"{w.get('stat.' + k, k)} {_stat_text(k, v)}" for k, v in node.stats.items())
    items.append((depth + 1, method))
    if node.missing:
        effect = describe_missing(node.missing_policy, node.missing_fallback, lang)
        items.append((depth + 1, w["missing_applied"].format(effect=effect)))
    return items


def _tree_items(nodes, depth: int, ex: Explanation, w: dict, lang: str) -> list:
    items = []
    for node in nodes:
        if isinstance(node, GroupExplanation):
            subtotal = _of_full(node.points, node.weight, ex, w)
            items.append((depth, f"{node.label}{w['colon']}{w['subtotal']} {subtotal}"))
            if node.aggregate == "geometric":
                items.append((depth + 1, w["geometric_group"].format(group=node.label)))
            items += _tree_items(node.children, depth + 1, ex, w, lang)
        else:
            items += _indicator_items(node, depth, ex, w, lang)
    return items


def _effect(adj, ex: Explanation, w: dict) -> str:
    """What a rule did; for a force or veto, whether it decided the outcome or was overridden."""
    text = _action_effect(adj, ex, w)
    if adj.decides and adj.action == "force":
        return text + _paren(w["decides"], language(ex))
    if adj.overridden_by is not None:
        by = next((a.label for a in ex.adjustments if a.rule == adj.overridden_by), adj.overridden_by)
        return text + _paren(w["overridden"].format(rule=by), language(ex))
    return text


def _action_effect(adj, ex: Explanation, w: dict) -> str:
    if adj.action in ("bonus", "deduction", "pool_cap", "total_cap"):
        text = _points(adj.points, ex.precision, signed=True)
        if adj.action in ("pool_cap", "total_cap"):
            text = f"{w[adj.action]} {text}"
        if adj.capped:
            text += _paren(f"{w['capped']} {_points(-adj.capped, ex.precision, signed=True)}", language(ex))
        return text
    return {"multiply": f"x {number_text(adj.factor)}", "veto": w["veto"].format(outcome=adj.outcome_label),
            "force": w["force"].format(outcome=adj.outcome_label), "exempt": w["exempt"], "exclude": w["excluded"],
            "flag": w["flag"]}.get(adj.action, adj.action)


def _adjustment_items(ex: Explanation, w: dict, lang: str) -> list:
    if not ex.adjustments:
        return [(0, w["no_adjustments"])]
    items = []
    for adj in ex.adjustments:
        condition = _paren(f"{w['condition']} {adj.condition}", lang) if adj.condition else ""
        items.append((0, f"{adj.label}{condition}{w['colon']}{_effect(adj, ex, w)}"))
        if adj.note:
            items.append((1, adj.note))
    return items


def _of_full(points: float | None, full: float, ex: Explanation, w: dict) -> str:
    """Points beside their full points; points above them (a method without a cap) said so."""
    over = points is not None and points > full + 1e-9
    return w["over_full" if over else "of_full"].format(points=_points(points, ex.precision), full=number_text(full))


def _total_text(ex: Explanation, w: dict) -> str:
    """The total alone, unless it is above the full score (the full score is before adjustments)."""
    if ex.total <= ex.full_score + 1e-9:
        return _points(ex.total, ex.precision)
    key = "total_over_full" if ex.base_total > ex.full_score + 1e-9 else "total_with_bonus"
    return w[key].format(points=_points(ex.total, ex.precision), full=number_text(ex.full_score))


def _summary(ex: Explanation, w: dict) -> list[str]:
    rank = "-" if ex.rank is None else f"{ex.rank}/{ex.ranked_count}"
    outcome = ex.outcome_label or {"exempt": w["exempt"], "excluded": w["excluded"]}.get(ex.status, w["none"])
    over = ex.base_total > ex.full_score + 1e-9  # then the total says so (满分 is before adjustments)
    base = _points(ex.base_total, ex.precision) if over else _of_full(ex.base_total, ex.full_score, ex, w)
    adjusted = (f"{w['adjustments']} {_points(ex.adjustments_total, ex.precision, signed=True)} · "
                if ex.adjusts_points else "")  # nothing to say when the rule file cannot move a total
    lines = [f"{w['rank']} {rank} · {w['base_total']} {base} · {adjusted}"
             f"{w['total']} {_total_text(ex, w)} · {w['outcome']} {outcome}"]
    if ex.aggregate == "geometric":
        lines.append(w["geometric_total"])
    reasons = [f"{a.label}{w['colon']}{_effect(a, ex, w)}" for a in ex.adjustments
               if a.action in ("veto", "force", "exempt", "exclude", "flag")]
    return lines + reasons


def _lines_table(ex: Explanation, w: dict) -> tuple[list[str], list[list[str]]]:
    rows = [[line.label, _points(line.line, ex.precision), _points(line.distance, ex.precision, signed=True),
             "✓" if line.member else ""] for line in ex.lines]
    return [w["outcome"], w["line_total"], w["line_distance"], w["member"]], rows


_SENTENCES = {  # (goal, found) -> word keys for an input raised / lowered
    ("fall", True): ("fall_up", "fall_down"), ("fall", False): ("safe_up", "safe_down"),
    ("reach", True): ("needed_up", "needed_down"), ("reach", False): ("never_up", "never_down"),
    ("escape", True): ("needed_up", "needed_down"), ("escape", False): ("never_up", "never_down"),
}


def _needed_sentence(nv: NeededValue, indicators: list[str], w: dict) -> str:
    """One input: the value that gets the unit across the line, or how far it was tried in vain."""
    if nv.status == "no_input":
        return w["needed_no_input"].format(indicator=nv.indicator_label)
    if nv.status == "missing":
        text = w["needed_missing"].format(input=nv.input_label)
    else:  # found, or unreachable: the search went up (or down) to its limit without crossing
        found = nv.status == "found"
        end = nv.needed if found else nv.limit
        key = _SENTENCES[(nv.goal, found)][0 if end > nv.current else 1]
        text = w[key].format(input=nv.input_label, needed=_with_unit(nv.needed, nv.input_unit),
                             limit=_with_unit(nv.limit, nv.input_unit), now=_with_unit(nv.current, nv.input_unit),
                             change=_with_unit(abs(nv.change) if found else None, nv.input_unit),
                             goal=_goal_text(nv, w), outcome=nv.outcome_label)
    return text + w["needed_for"].format(indicators=w["list_sep"].join(indicators))


def _goal_text(nv: NeededValue, w: dict) -> str:
    return w[f"goal_{nv.goal}"].format(outcome=nv.outcome_label)


def _barring(ex: Explanation, outcome: str, w: dict) -> str:
    """Labels of the rules that fired and keep the unit out of ``outcome`` (veto, exemption, exclusion)."""
    return w["list_sep"].join(dict.fromkeys(
        a.label for a in ex.adjustments
        if a.action in ("exempt", "exclude") or (a.action == "veto" and a.outcome == outcome)))


def _needed_items(ex: Explanation, values: list[NeededValue], w: dict) -> list[str]:
    """One sentence per input varied (indicators sharing it named together); a veto said once."""
    vetoed = [nv for nv in values if nv.status == "vetoed"]
    by_input: dict[str, tuple[NeededValue, list[str]]] = {}
    for nv in values:
        if nv.status != "vetoed":
            key = nv.input if nv.status != "no_input" else f"\0{nv.indicator}"
            by_input.setdefault(key, (nv, []))[1].append(nv.indicator_label)
    items = [_needed_sentence(nv, indicators, w) for nv, indicators in by_input.values()]
    if vetoed:
        inputs = w["list_sep"].join(dict.fromkeys(nv.input_label for nv in vetoed))
        key = "needed_vetoed_some" if items else "needed_vetoed"
        items.append(w[key].format(rule=_barring(ex, vetoed[0].outcome, w), inputs=inputs,
                                   goal=_goal_text(vetoed[0], w)))
    return items


def _rank_table(ranks, ex: Explanation, w: dict) -> tuple[list[str], list[list[str]]]:
    rows = [[r.label, percent(r.fraction), _of_full(r.points, r.full, ex, w),
             "-" if r.rank is None else f"{r.rank}/{r.count}"] for r in ranks]
    return [w["indicator"], w["fraction"], w["points_of_full"], w["peer_rank"]], rows


def _needed_blocks(ex: Explanation, w: dict) -> list[tuple]:
    goals = list(dict.fromkeys((nv.outcome, nv.goal, nv.outcome_label) for nv in ex.needed))
    if not goals:
        return [("para", [w["no_goal"]])]
    blocks: list[tuple] = []
    barred: list[tuple[str, str]] = []  # (outcome label, rules): outcomes no input can open, said together
    for outcome, goal, outcome_label in goals:
        values = [nv for nv in ex.needed if (nv.outcome, nv.goal) == (outcome, goal)]
        if all(nv.status == "vetoed" for nv in values):
            barred.append((outcome_label, _barring(ex, outcome, w)))
            continue
        blocks += _said_barred(barred, w)
        items = [(0, w["needed_note"])] + [(1, text) for text in _needed_items(ex, values, w)]
        blocks += [("heading", w[f"needed_{goal}"].format(outcome=outcome_label)), ("items", items)]
    return blocks + _said_barred(barred, w)


def _said_barred(barred: list[tuple[str, str]], w: dict) -> list[tuple]:
    """One heading and one sentence for consecutive outcomes barred by the same rules (then cleared)."""
    blocks = []
    for rules in dict.fromkeys(rules for _, rules in barred):
        outcomes = w["list_sep"].join(label for label, by in barred if by == rules)
        goal = w["goal_reach"].format(outcome=outcomes)
        blocks += [("heading", w["needed_reach"].format(outcome=outcomes)),
                   ("items", [(0, w["needed_vetoed"].format(rule=rules, inputs="", goal=goal))])]
    barred.clear()
    return blocks


def document(ex: Explanation) -> list[tuple]:
    """The explanation as blocks: ("title", text), ("heading", text), ("para", [lines]),
    ("items", [(depth, text)]), ("table", headers, rows)."""
    w, lang = words(ex), language(ex)
    display = " · ".join(f"{k} {v}" for k, v in ex.display.items())
    title = f"{ex.title}{w['colon']}{ex.unit} {ex.name}" + (_paren(display, lang) if display else "")
    blocks: list[tuple] = [("title", title),
                           ("para", _summary(ex, w)),
                           ("heading", w["indicators"]), ("items", _tree_items(ex.tree, 0, ex, w, lang)),
                           ("heading", w["adjustments"]), ("items", _adjustment_items(ex, w, lang)),
                           ("heading", w["lines"]), ("table", *_lines_table(ex, w))]
    blocks += _needed_blocks(ex, w)
    for word, ranks in ((w["strongest"], ex.strongest), (w["weakest"], ex.weakest)):
        blocks += [("heading", w["by_rate"].format(title=word)), ("table", *_rank_table(ranks, ex, w))]
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
