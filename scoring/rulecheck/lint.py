"""Lint a rule file against its data: the traps that score without an error but not as meant.

Each check returns :class:`scoring.errors.Problem` records located in the rule file (warnings,
not errors: the file is valid). :func:`lint` runs every check in :data:`CHECKS` over one run of
the assessment on its data; ``zonescore lint`` prints them, ``validate`` lists them as warnings.
Non-monotone inputs and fallbacks are found by re-evaluating the indicator values (and the
fallback expressions) with one input raised by 1 % for every unit, with the run's own evaluator.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..api.assessment import Assessment, indicator_key
from ..api.expr import Env, evaluate
from ..engine.run import RunResult
from ..engine.tree import value_columns
from ..errors import Problem
from ..messages import tr

STEP = 0.01  # inputs raised by 1 % to find the direction in which each indicator moves


def _at(a: Assessment, loc: tuple, message: str, **kw) -> Problem:
    return Problem(message, file=a.path, line=a.lines.line(loc), **kw)


def _node(a: Assessment, node_id: str, message: str, key: str | None = None, **kw) -> Problem:
    loc = a.locs[node_id] + ((key,) if key else ())
    return _at(a, loc, message, field=f"{node_id} ({a.label(node_id)})", **kw)


def group_weights(run: RunResult) -> list[Problem]:
    """A group whose children's weights do not add up to its own, where other groups' do."""
    a = run.assessment
    sums = {g: sum(c.weight for c in a.nodes[g].children) for g in a.groups}
    adding = [g for g, total in sums.items() if np.isclose(total, a.nodes[g].weight)]
    if not adding:
        return []  # children weights are relative shares throughout: a consistent convention
    return [_node(a, g, tr("the children's weights add up to {sum:g}, not to the group's weight {weight:g}: "
                           "each child counts its share of {weight:g} points, unlike the other groups",
                           sum=total, weight=a.nodes[g].weight),
                  found=f"{total:g}", expected=f"{a.nodes[g].weight:g}")
            for g, total in sums.items() if g not in adding]


def geometric_top(run: RunResult) -> list[Problem]:
    a = run.assessment
    if a.spec.aggregate != "geometric":
        return []
    return [_at(a, ("aggregate",), tr("geometric aggregation at the top level: the total is the weighted "
                                      "geometric mean of the groups' shares times the full score {full:g}, and "
                                      "group points do not add up to it", full=a.spec.full_score),
                field="aggregate", found="geometric", expected=tr("arithmetic, or weights that add up to the "
                                                                  "full score you mean"))]


def _values(a: Assessment, columns: dict, size: int) -> dict[str, np.ndarray]:
    env = Env(columns, size)
    return {leaf: np.asarray(evaluate(a.indicator_expr(leaf, "value"), env), float)
            for leaf in a.leaves if a.indicator_expr(leaf, "value") is not None}


def non_monotone(run: RunResult) -> list[Problem]:
    """Inputs that make one indicator better and another (or the same, for some units) worse."""
    a, frame = run.assessment, run.data.frame
    base = _values(a, run.columns, len(frame))
    problems = []
    for name, spec in a.spec.inputs.items():
        if spec.type != "number":
            continue
        raised = frame.copy()
        raised[name] = raised[name].astype(float) * (1 + STEP)
        moved = _values(a, value_columns(a, raised), len(frame))
        better, worse = _directions(a, base, moved)
        for leaf in sorted(set(better) & set(worse)):
            problems.append(_node(a, leaf, tr("raising {input} makes this indicator better for {up} unit(s) and "
                                              "worse for {down}: a unit's total can fall when {input} rises",
                                              input=name, up=better[leaf], down=worse[leaf]), key="value"))
        if set(better) - set(worse) and set(worse) - set(better):
            problems.append(_node(a, sorted(set(worse) - set(better))[0], tr(
                "raising {input} makes {better} better but this indicator worse: a unit's total can fall when "
                "{input} rises", input=name, better=", ".join(a.label(x) for x in sorted(set(better) - set(worse)))),
                key="value"))
    return problems


def _directions(a: Assessment, base: dict, moved: dict) -> tuple[dict, dict]:
    better, worse = {}, {}
    for leaf, before in base.items():
        change = moved[leaf] - before
        if a.nodes[leaf].direction == "lower":
            change = -change
        ok = np.isfinite(change) & (np.abs(change) > 1e-12 * np.maximum(np.abs(before), 1))
        up, down = int((change[ok] > 0).sum()), int((change[ok] < 0).sum())
        if up:
            better[leaf] = up
        if down:
            worse[leaf] = down
    return better, worse


def firing(run: RunResult) -> list[Problem]:
    """Adjustment rules that fire for no unit, or for every unit, on the data."""
    a, problems = run.assessment, []
    without_history = getattr(run.data, "previous", None) is None
    for i, rule in enumerate(a.spec.adjustments):
        if without_history and a.rule_expr(rule).names & set(getattr(a, "history_names", ())):
            continue  # reads earlier years (prev.*, streak) and none were given: it cannot fire here
        count = int(run.adjustments.fired[rule.id].sum())
        if count in (0, len(run.index)):
            message = tr("fires for no unit on this data") if count == 0 else tr("fires for every unit on this data")
            problems.append(_at(a, ("adjustments", i, "when"), message, field=f"{rule.id} ({rule.title})",
                                found=a.rule_expr(rule).text))
    return problems


def bands(run: RunResult) -> list[Problem]:
    """Bands no value can reach (covered by earlier ones), and values on the data that match no band."""
    a, problems = run.assessment, []
    for leaf in a.leaves:
        method = a.nodes[leaf].method
        if method is None or method.type != "bands":
            continue
        values = run.tree.values[leaf].to_numpy(float)
        for j, band in enumerate(method.bands):
            earlier = method.bands[:j]
            if any(_covers(e, band) for e in earlier):
                problems.append(_node(a, leaf, tr("band {n} is never reached: an earlier band takes all its values",
                                                  n=j + 1), key="method"))
        unmatched = [v for v in values[np.isfinite(values)] if not any(_holds(b, v) for b in method.bands)]
        if unmatched:
            problems.append(_node(a, leaf, tr("{count} unit(s) have values that match no band and score 0, e.g. "
                                              "{value:g}", count=len(unmatched), value=unmatched[0]), key="method"))
    return problems


def _holds(band, value: float) -> bool:
    return (band.at_least is None or value >= band.at_least) and (band.at_most is None or value <= band.at_most)


def _covers(outer, inner) -> bool:
    low = outer.at_least is None or (inner.at_least is not None and inner.at_least >= outer.at_least)
    high = outer.at_most is None or (inner.at_most is not None and inner.at_most <= outer.at_most)
    return low and high


def forced_outcomes(run: RunResult) -> list[Problem]:
    """Units forced into two outcomes, or forced into an outcome a veto bars them from."""
    a, problems = run.assessment, []
    fired = run.adjustments.fired
    forces = [r for r in a.spec.adjustments if r.action == "force"]
    for i, first in enumerate(forces):
        for second in forces[i + 1:]:
            both = fired[first.id] & fired[second.id]
            if first.outcome != second.outcome and both.any():
                problems.append(_at(a, _rule_loc(a, second), tr("forces units into {one}, while {other} forces the "
                                    "same units into {two}: the first rule decides", one=second.outcome,
                                    other=first.id, two=first.outcome), field=second.id,
                                    found=", ".join(map(str, both.index[both]))))
    for veto in (r for r in a.spec.adjustments if r.action == "veto"):
        for force in (f for f in forces if f.outcome == veto.outcome):
            both = fired[veto.id] & fired[force.id]
            if both.any():
                problems.append(_at(a, _rule_loc(a, force), tr("forces units into {outcome}, which {veto} bars "
                                    "them from", outcome=force.outcome, veto=veto.id), field=force.id,
                                    found=", ".join(map(str, both.index[both]))))
    return problems


def _rule_loc(a: Assessment, rule) -> tuple:
    return ("adjustments", a.spec.adjustments.index(rule))


def outcomes(run: RunResult) -> list[Problem]:
    """Outcomes the data cannot fill as the rule file asks (the run's own notes)."""
    a = run.assessment
    return [_at(a, ("outcomes",), note, field="outcomes") for note in run.ranking.notes]


def fallbacks(run: RunResult) -> list[Problem]:
    """Fallbacks that can give more than the indicator's weight, or do not scale with the weight."""
    a, problems = run.assessment, []
    for leaf in a.leaves:
        node = a.nodes[leaf]
        expr = a.exprs.get(indicator_key(leaf, "fallback"))
        if expr is None:
            continue
        points = np.asarray(evaluate(expr, Env({**run.columns, "value": run.tree.values[leaf].to_numpy(float)},
                                               len(run.index))), float)
        most = float(np.nanmax(points)) if np.isfinite(points).any() else np.nan
        if np.isfinite(most) and most > node.weight + 1e-9:
            problems.append(_node(a, leaf, tr("the fallback can give {most:g} points, more than the weight {weight:g}",
                                              most=most, weight=node.weight), key="missing", found=expr.text))
        problems.append(_node(a, leaf, tr("the fallback gives fixed points that do not scale with the weight "
                                          "{weight:g}: when weights change (whatif, robustness, weights) the units "
                                          "that use it move against the others", weight=node.weight),
                              key="missing", found=expr.text,
                              expected=tr("the policy mean or lowest, or a fallback checked again when weights "
                                          "change")))
    return problems


def unused(run: RunResult) -> list[Problem]:
    """Inputs and derived values that no expression reads."""
    a = run.assessment
    read = set().union(*(e.names for e in a.exprs.values())) | {k.by for k in a.spec.tie_break}
    read |= {node.group_by for node in a.nodes.values() if node.group_by}
    problems = [_at(a, ("inputs", name), tr("input read by no rule"), field=name)
                for name in a.spec.inputs if name not in read]
    problems += [_at(a, ("derived", name), tr("derived value read by no rule"), field=name)
                 for name in a.spec.derived if name not in read]
    return problems


CHECKS: tuple[Callable[[RunResult], list[Problem]], ...] = (
    group_weights, geometric_top, non_monotone, firing, bands, forced_outcomes, outcomes, fallbacks, unused)


def lint(run: RunResult) -> list[Problem]:
    """Every check's findings, in :data:`CHECKS` order."""
    return [problem for check in CHECKS for problem in check(run)]
