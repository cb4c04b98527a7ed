"""Explain one unit's result: an audit trail from inputs to outcome, as data.

:func:`explain_unit` returns an :class:`~scoring.analysis.explain_model.Explanation` built from a
:class:`~scoring.engine.run.RunResult`: every indicator with the inputs its value expression reads, the
method and the peer statistics it used, fraction and points; group subtotals; the adjustment
rules that fired with their conditions; vetoes, forced outcomes, exemptions; the distance to
each outcome's line; the input values that would have moved the unit across a line, found by
re-scoring (:mod:`scoring.analysis.explain_needed`); the strongest and weakest indicators by
得分率 (points / full points, :func:`scoring.analysis.lines.strongest_weakest`).
"""
from __future__ import annotations

import difflib
import math

import pandas as pd

from ..errors import OptionError
from ..messages import tr
from .explain_model import (AdjustmentExplanation, Explanation, GroupExplanation, IndicatorExplanation,
                            LineDistance, NamedValue, PeerRank)
from .explain_needed import needed_values, ordered_names
from .lines import decision, line_distances, outcome_lines, overall_rate, score_rates, strongest_weakest
from ..report.provenance import provenance_of
from ..report.render import adjusts_points
from ..report.words import words

__all__ = ["explain_unit", "resolve_unit", "also_named", "ordered_names", "peer_ranks"]


def _number(value) -> float | None:
    """A plain float, or None for missing / non-finite / non-numeric values."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def resolve_unit(result, text: str) -> str:
    """The unit id for ``text``: an id, else an exact name, else an id in other letter case.

    An id always means that unit (ids are unique; :func:`also_named` tells when other units
    carry it as their name). A name or case-folded id that fits several units is an
    OptionError listing their ids; no match is an OptionError with the closest units.
    """
    frame = result.data.frame
    names = frame[result.assessment.spec.name_column].astype(str)
    wanted = str(text).strip()
    if wanted in frame.index:
        return wanted
    named = [u for u, name in names.items() if name.strip() == wanted]
    folded = [u for u in frame.index if str(u).casefold() == wanted.casefold()]
    if len(named) > 1:
        raise OptionError(tr("{count} units are named '{name}': {ids}; give the id", count=len(named), name=wanted,
                             ids=", ".join(map(str, named))))
    if len(named) == 1:
        return named[0]
    if len(folded) > 1:
        raise OptionError(tr("{count} unit ids differ from '{name}' only in letter case: {ids}; give the id exactly",
                             count=len(folded), name=wanted, ids=", ".join(map(str, folded))))
    if folded:
        return folded[0]
    raise _unknown_unit(result, wanted, names)


def also_named(result, unit_id: str, text: str) -> list[str]:
    """Ids of other units whose name is ``text`` (when ``text`` is the id ``unit_id``, it wins)."""
    names = result.data.frame[result.assessment.spec.name_column].astype(str)
    wanted = str(text).strip()
    return [u for u, name in names.items() if name.strip() == wanted and u != unit_id]


def close_units(wanted: str, names: pd.Series, count: int = 5) -> list[str]:
    """'id name' of the units whose id or name is closest to ``wanted`` (substrings count extra)."""
    folded = wanted.casefold()
    scores: dict[str, float] = {}
    for unit_id, name in names.items():
        for key in (str(unit_id), str(name)):
            score = difflib.SequenceMatcher(None, folded, key.casefold()).ratio()
            score += 0.5 if folded and folded in key.casefold() else 0.0
            shown = f"{unit_id} {name}"
            scores[shown] = max(score, scores.get(shown, 0.0))
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [shown for shown, score in ranked if score >= 0.4][:count]


def _unknown_unit(result, wanted: str, names: pd.Series) -> OptionError:
    spec = result.assessment.spec
    word = words(spec)["unit"]
    suggestions = close_units(wanted, names)
    hint = tr("did you mean: {units}?", units=", ".join(suggestions)) if suggestions else \
        tr("no close match; ids are in the column '{id_column}', names in '{name_column}'",
           id_column=spec.id_column, name_column=spec.name_column)
    return OptionError(tr("Unknown {unit} '{name}': no unit has this id or name; {hint}", unit=word, name=wanted,
                          hint=hint))


def _named_values(result, exprs: list, pos: int) -> tuple[NamedValue, ...]:
    """Inputs and derived values read by ``exprs`` (None skipped), derived ones followed by theirs."""
    assessment = result.assessment
    spec = assessment.spec
    seen: dict[str, NamedValue] = {}

    def visit(name: str) -> None:
        if name in seen or name not in result.columns:
            return
        raw = result.columns[name][pos]
        value = raw if isinstance(raw, str) else _number(raw)
        if name in spec.inputs:
            inp = spec.inputs[name]
            seen[name] = NamedValue(name, inp.label or name, inp.unit, value, "input")
            return
        expr = assessment.derived_expr(name)
        seen[name] = NamedValue(name, name, None, value, "derived", expr.text)
        for inner in ordered_names(expr):
            visit(inner)

    for expr in exprs:
        if expr is not None:
            for name in ordered_names(expr):
                visit(name)
    return tuple(seen.values())


def peer_ranks(result) -> tuple[pd.DataFrame, pd.Series]:
    """Rank (1 = best, ties share the best rank) of every unit's fraction per indicator, and counts."""
    fractions = result.tree.fractions[result.assessment.leaves]
    return fractions.rank(ascending=False, method="min"), fractions.count()


def _indicator(result, leaf: str, unit_id: str, pos: int, ranks: pd.DataFrame, counts: pd.Series
               ) -> IndicatorExplanation:
    assessment = result.assessment
    node = assessment.nodes[leaf]
    tree = result.tree
    exprs = [assessment.indicator_expr(leaf, part) for part in ("value", "target", "formula")]
    stats = {name: _number(values[pos]) for name, values in tree.stats.get(leaf, {}).items()}
    if "count" in stats and stats["count"] is not None:
        stats["count"] = int(stats["count"])
    if "rank" in stats and stats["rank"] is not None:
        stats["rank"] = int(stats["rank"])
    rank = _number(ranks.at[unit_id, leaf])
    return IndicatorExplanation(
        id=leaf, label=node.title, parent=assessment.parents[leaf], weight=float(node.weight), unit=node.unit,
        value_expr=node.value, inputs=_named_values(result, exprs, pos),
        value=_number(tree.values.at[unit_id, leaf]), direction=node.direction, method=node.method.type,
        settings=node.method.model_dump(exclude_none=True, exclude={"type"}), stats=stats,
        fraction=_number(tree.fractions.at[unit_id, leaf]), points=float(tree.points.at[unit_id, leaf]),
        missing=bool(tree.missing.at[unit_id, leaf]), missing_policy=node.missing.policy,
        missing_fallback=node.missing.fallback,
        peer_rank=None if rank is None else int(rank), peer_count=int(counts[leaf]))


def _node(result, node_id: str, unit_id: str, pos: int, ranks, counts):
    assessment = result.assessment
    node = assessment.nodes[node_id]
    if not node.is_group:
        return _indicator(result, node_id, unit_id, pos, ranks, counts)
    children = tuple(_node(result, child.id, unit_id, pos, ranks, counts) for child in node.children)
    return GroupExplanation(node_id, node.title, assessment.parents[node_id], float(node.weight), node.aggregate,
                            float(result.tree.fractions.at[unit_id, node_id]),
                            float(result.tree.points.at[unit_id, node_id]), children)


def _adjustments(result, unit_id: str) -> tuple[AdjustmentExplanation, ...]:
    rules = {rule.id: rule for rule in result.assessment.spec.adjustments}
    fired = []
    records = result.firings(unit_id)
    decided = decision(records)
    for record in records:
        rule = rules.get(record["rule"])
        outcome = record.get("outcome")
        capped = record.get("capped")
        fired.append(AdjustmentExplanation(
            rule=record["rule"], label=record["label"], action=record["action"],
            condition=rule.when if rule is not None else None, note=record.get("note"),
            points=record.get("points"), capped=capped if capped else None, factor=record.get("factor"),
            outcome=outcome, outcome_label=result.outcome_label(outcome),
            decides=record["rule"] == decided.decided_by,
            overridden_by=decided.decided_by if record["rule"] in decided.overridden else None))
    return tuple(fired)


def _lines(result, unit_id: str) -> tuple[LineDistance, ...]:
    distances = line_distances(result)
    outcome = result.ranking.outcome[unit_id]
    return tuple(LineDistance(outcome_id, line.label, line.from_bottom, line.total,
                              _number(distances.at[unit_id, outcome_id]), outcome == outcome_id)
                 for outcome_id, line in outcome_lines(result).items())


def _strongest_weakest(result, ranks, counts, unit_id: str, count: int = 3):
    """Strongest and weakest indicators by 得分率, as ``run --explain`` names groups
    (:func:`scoring.analysis.lines.strongest_weakest`)."""
    assessment = result.assessment
    rates = score_rates(result, assessment.leaves).loc[unit_id]

    def row(leaf: str) -> PeerRank:
        rank = _number(ranks.at[unit_id, leaf])
        return PeerRank(leaf, assessment.label(leaf), None if rank is None else int(rank), int(counts[leaf]),
                        _number(rates[leaf]), _number(result.tree.points.at[unit_id, leaf]),
                        float(assessment.nodes[leaf].weight))
    strongest, weakest = strongest_weakest(rates, overall_rate(result, unit_id), count)
    return tuple(row(leaf) for leaf in strongest), tuple(row(leaf) for leaf in weakest)


def _int_or_none(value) -> int | None:
    return None if pd.isna(value) else int(value)


def explain_unit(result, unit: str, needed: bool = True) -> Explanation:
    """Explain ``unit`` (an id or an exact name) of ``result``; ``needed=False`` skips re-scoring."""
    unit_id = resolve_unit(result, unit)
    assessment, spec = result.assessment, result.assessment.spec
    pos = result.index.get_loc(unit_id)
    ranks, counts = peer_ranks(result)
    strongest, weakest = _strongest_weakest(result, ranks, counts, unit_id)
    adjustments = _adjustments(result, unit_id)
    outcome = result.ranking.outcome[unit_id]
    outcome = outcome if isinstance(outcome, str) else None
    forced = result.adjustments.forced[unit_id]
    frame = result.data.frame
    return Explanation(
        unit=unit_id, name=result.name(unit_id), display={c: str(frame.at[unit_id, c]) for c in spec.display_columns},
        title=spec.title, unit_word=words(spec)["unit"], precision=spec.precision,
        full_score=spec.full_score,
        tree=tuple(_node(result, node_id, unit_id, pos, ranks, counts) for node_id in assessment.top_level),
        base_total=float(result.tree.base_total[unit_id]),
        adjustments_total=float(result.total[unit_id] - result.tree.base_total[unit_id]),
        total=float(result.total[unit_id]), rank=_int_or_none(result.ranking.display_rank[unit_id]),
        position=_int_or_none(result.ranking.position[unit_id]),
        ranked_count=int(result.ranking.position.notna().sum()), status=str(result.ranking.status[unit_id]),
        outcome=outcome, outcome_label=result.outcome_label(outcome), adjustments=adjustments,
        vetoed=tuple(a.outcome for a in adjustments if a.action == "veto"),
        forced=forced if isinstance(forced, str) else None,
        exempt=bool(result.adjustments.exempt[unit_id]), excluded=bool(result.adjustments.excluded[unit_id]),
        flags=tuple(a.label for a in adjustments if a.action == "flag"),
        lines=_lines(result, unit_id), needed=needed_values(result, unit_id) if needed else (),
        strongest=strongest, weakest=weakest, provenance=provenance_of(result),
        adjusts_points=adjusts_points(spec), aggregate=spec.aggregate, decided_by=next((a.rule for a in adjustments if a.decides), None), labels=spec.labels)
