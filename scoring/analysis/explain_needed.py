"""Needed values: the input a unit would have needed to cross an outcome's line, by re-scoring.

For each indicator with a value expression, the first number input the expression reads
(through derived values: 税收 for 税收增速) is varied for the one unit, all other cells
unchanged, and the whole assessment is scored again, so that peer statistics, adjustments,
forced outcomes and tie-breaks move with the value; the values the search may probe next are
scored together in one batch (:mod:`scoring.analysis.scenarios`). The search walks
from the current value in the direction that improves the indicator, on a grid of ``step``
(the data's own decimals, at most ~5 significant digits of the column's largest value):
a doubling bracket (first probe at 1/64 of the way to the limit) and then bisection, so that
``needed`` crosses the line and ``needed - step`` (``short``) does not. The limit is the
input's ``range`` bound or 10x the largest value in the column; a line not crossed by then is
"not reachable through this indicator". Outcomes are cached per probed value, so indicators
sharing an input (税收增速, 税收目标完成率, 户均税收 all vary 税收) cost one search.

The outcome need not be monotone in the input (more 税收 lowers 战新占比): the value found
always crosses the line and one step less never does, but a smaller crossing value may exist
below an earlier bracket probe. A re-run that raises (e.g. a benchmark that became zero) counts
as not crossing.
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass

import numpy as np

from ..engine.tree import PEER_MASK, score_leaf, value_columns
from .explain_model import NeededValue
from .lines import line_from_bottom
from .scenarios import FAILED, outcomes_for_values

SEARCH_FACTOR = 10  # without a range bound, search up to 10x the column's largest absolute value
EXPANSIONS = 6  # the bracket's first probe is at 1/2**EXPANSIONS of the way to the limit
SIGNIFICANT = 5  # grid step: about this many significant digits of the column's largest value
MAX_DECIMALS = 4
BATCH_LEVELS = 4  # bisection steps scored ahead in one batch (up to 15 values)


def ordered_names(expr) -> list[str]:
    """Names an expression reads, in the order they appear in its text."""
    nodes = [n for n in ast.walk(expr.tree) if isinstance(n, ast.Name) and n.id in expr.names]
    nodes.sort(key=lambda n: (n.lineno, n.col_offset))
    return list(dict.fromkeys(n.id for n in nodes))


def search_input(assessment, leaf: str) -> str | None:
    """The first number input the indicator's value expression reads, looking through derived values."""
    value = assessment.indicator_expr(leaf, "value")
    if value is None:
        return None
    spec = assessment.spec

    def first(expr, seen: frozenset) -> str | None:
        for name in ordered_names(expr):
            if name in spec.inputs and spec.inputs[name].type == "number":
                return name
            if name in spec.derived and name not in seen:
                found = first(assessment.derived_expr(name), seen | {name})
                if found:
                    return found
        return None

    return first(value, frozenset())


def inputs_read(assessment, expr) -> set[str] | None:
    """Inputs an expression depends on, through derived values and indicator points; None = all
    of them (it reads the total)."""
    found: set[str] = set()

    def visit(expression, seen: frozenset) -> bool:
        for name in expression.names:
            if name == "total":
                return False
            sources = _sources(assessment, name)
            if sources is None:
                found.add(name)
            for source in sources or ():
                if source.text not in seen and not visit(source, seen | {source.text}):
                    return False
        return True

    return found if visit(expr, frozenset()) else None


def _sources(assessment, name: str) -> list[str] | None:
    """Expressions a name is computed from (None for an input)."""
    if name in assessment.spec.derived:
        return [assessment.derived_expr(name)]
    if name in assessment.nodes:
        leaves = [name] if not assessment.nodes[name].is_group else \
            [leaf for leaf in assessment.leaves if _under(assessment, leaf, name)]
        parts = ("value", "target", "formula", "fallback")
        return [e for leaf in leaves for e in (assessment.indicator_expr(leaf, p) for p in parts) if e is not None]
    return None


def _under(assessment, node_id: str, group_id: str) -> bool:
    while node_id is not None:
        if node_id == group_id:
            return True
        node_id = assessment.parents[node_id]
    return False


def barring_rules(result, unit_id: str, outcome_id: str) -> list:
    """Rules that fired for the unit and keep it out of ``outcome_id``: a veto on it, an exemption
    (不定等级) or an exclusion (不参评)."""
    return [rule for rule in result.assessment.spec.adjustments
            if (rule.action in ("exempt", "exclude") or (rule.action == "veto" and rule.outcome == outcome_id))
            and result.adjustments.fired.at[unit_id, rule.id]]


def vetoed_regardless(result, unit_id: str, outcome_id: str, name: str) -> bool:
    """True when a rule barring the unit from ``outcome_id`` fired (:func:`barring_rules`) whose
    condition does not read ``name``: changing that input alone leaves the bar in place. Never
    when a rule may force units into ``outcome_id`` (a forced outcome overrides the bar)."""
    assessment = result.assessment
    if any(rule.action == "force" and rule.outcome == outcome_id for rule in assessment.spec.adjustments):
        return False
    for rule in barring_rules(result, unit_id, outcome_id):
        reads = inputs_read(assessment, assessment.rule_expr(rule))
        if reads is not None and name not in reads:
            return True
    return False


@dataclass(frozen=True)
class Axis:
    """The grid one input is searched on for one unit."""

    current: float
    step: float
    decimals: int
    lo: float
    hi: float

    def at(self, steps: int, sign: int) -> float:
        return round(self.current + sign * steps * self.step, self.decimals) + 0.0

    def max_steps(self, sign: int) -> int:
        room = (self.hi - self.current) if sign > 0 else (self.current - self.lo)
        return max(0, math.floor(room / self.step + 1e-9))


def _decimals(values: np.ndarray) -> int:
    for decimals in range(MAX_DECIMALS + 1):
        scaled = values * 10.0 ** decimals
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return decimals
    return MAX_DECIMALS


def make_axis(result, name: str, current: float) -> Axis:
    """Grid step from the data's decimals and magnitude; limits from the input's range or 10x the data."""
    column = result.data.frame[name].to_numpy(float)
    values = np.append(column[np.isfinite(column)], current)
    decimals = _decimals(values)
    scale = float(np.max(np.abs(values))) or 1.0
    step = max(10.0 ** -decimals, 10.0 ** (math.floor(math.log10(scale)) - SIGNIFICANT + 1))
    bounds = result.assessment.spec.inputs[name].range or (None, None)
    far = scale * SEARCH_FACTOR
    lo = bounds[0] if bounds[0] is not None else (0.0 if values.min() >= 0 else -far)
    hi = bounds[1] if bounds[1] is not None else far
    return Axis(current, step, decimals, float(lo), float(hi))


class Prober:
    """Scores the run with one cell of the unit changed; remembers the outcome of every probe.

    Probes are scored in batches (:func:`scoring.analysis.scenarios.outcomes_for_values`): the search asks
    for every value it may need next at once."""

    def __init__(self, result, unit_id: str):
        self.result, self.unit_id = result, unit_id
        self.cache: dict[tuple[str, float], object] = {}
        self.runs = 0

    def outcome(self, name: str, value: float):
        if (name, value) not in self.cache:
            self.prefetch(name, [value])
        return self.cache[(name, value)]

    def prefetch(self, name: str, values) -> None:
        todo = [value for value in dict.fromkeys(values) if (name, value) not in self.cache]
        if todo:
            self.runs += 1
            for value, outcome in zip(todo, outcomes_for_values(self.result, self.unit_id, name, todo)):
                self.cache[(name, value)] = outcome


def improving_sign(result, leaf: str, name: str, unit_id: str, axis: Axis) -> int:
    """+1 when raising the input improves the indicator's value (by its direction), -1 when lowering it."""
    node = result.assessment.nodes[leaf]
    better = 1 if node.direction == "higher" else -1
    frame = result.data.frame.copy()
    frame.at[unit_id, name] = axis.current + axis.step
    columns = value_columns(result.assessment, frame)
    if PEER_MASK in result.columns:  # the same peer groups as the run (不参评 units set apart)
        columns[PEER_MASK] = result.columns[PEER_MASK]
    moved, _ = score_leaf(result.assessment, leaf, columns, len(frame))
    pos = result.index.get_loc(unit_id)
    slope = float(moved[pos]) - float(result.tree.values.at[unit_id, leaf])
    if not math.isfinite(slope) or slope == 0:
        return better  # e.g. growth without a base year: its fallback rises with the input too
    return better if slope > 0 else -better


def bracket_search(crossed, axis: Axis, sign: int, prefetch=None) -> tuple[int, int] | None:
    """(needed, short) in grid steps from the current value, or None if the line is never crossed.

    ``prefetch(values)``, if given, is told every value the search may probe next (the bracket's
    probes, then the next levels of the bisection), so that they can be scored in one batch;
    the search itself, and so its result, is the same with or without it."""
    prefetch = prefetch or (lambda values: None)
    max_n = axis.max_steps(sign)
    probes = sorted({max(1, max_n >> k) for k in range(EXPANSIONS, -1, -1)} if max_n else ())
    prefetch([axis.at(n, sign) for n in probes])
    previous = 0
    for n in probes:
        if crossed(axis.at(n, sign)):
            low, high = previous, n
            while high - low > 1:
                prefetch([axis.at(m, sign) for m in _bisection_points(low, high, BATCH_LEVELS)])
                middle = (low + high) // 2
                low, high = (low, middle) if crossed(axis.at(middle, sign)) else (middle, high)
            return high, low
        previous = n
    return None


def _bisection_points(low: int, high: int, levels: int) -> list[int]:
    """Every midpoint the next ``levels`` steps of bisecting (low, high) could probe."""
    points, frontier = [], [(low, high)]
    for _ in range(levels):
        following = []
        for lo, hi in frontier:
            if hi - lo > 1:
                middle = (lo + hi) // 2
                points.append(middle)
                following += [(lo, middle), (middle, hi)]
        frontier = following
    return points


def goals(result, unit_id: str) -> list[tuple[object, str]]:
    """(outcome spec, "reach" | "escape" | "fall") pairs worth searching for this unit: top outcomes
    to reach, the bottom one it is in to escape, bottom ones it is not in that it could fall into
    (a ranked unit only: one that is exempt or excluded gets no outcome by its total)."""
    current = result.ranking.outcome[unit_id]
    ranked = result.ranking.status[unit_id] == "ranked"
    found, ahead = [], set()
    for spec in result.assessment.spec.outcomes:
        from_bottom = line_from_bottom(spec)
        if spec.rest:
            continue
        if from_bottom:
            if current == spec.id:
                found.append((spec, "escape"))
            elif ranked:
                found.append((spec, "fall"))
        elif current == spec.id or current in ahead:
            ahead.add(spec.id)
        else:
            found.append((spec, "reach"))
            ahead.add(spec.id)
    return found


def _crossing(prober: Prober, name: str, spec, goal: str):
    """Predicate: does this input value get the unit to ``spec`` (or a better outcome listed before it),
    out of it (goal "escape"), or into it (goal "fall")?"""
    outcomes = prober.result.assessment.spec.outcomes
    accepted = {o.id for o in outcomes[:outcomes.index(spec) + 1]} if goal == "reach" else set()

    def crossed(value: float) -> bool:
        outcome = prober.outcome(name, value)
        if outcome is FAILED:
            return False
        if goal == "fall":
            return outcome == spec.id
        return outcome in accepted if goal == "reach" else outcome != spec.id
    return crossed


def _needed_one(result, prober: Prober, leaf: str, spec, goal: str, axes: dict) -> NeededValue:
    assessment = result.assessment
    base = dict(indicator=leaf, indicator_label=assessment.label(leaf), outcome=spec.id,
                outcome_label=spec.title, goal=goal)
    name = search_input(assessment, leaf)
    if name is None:
        return NeededValue(status="no_input", **base)
    inp = assessment.spec.inputs[name]
    base.update(input=name, input_label=inp.label or name, input_unit=inp.unit)
    current = float(result.data.frame.at[prober.unit_id, name])
    if not math.isfinite(current):
        return NeededValue(status="missing", **base)
    if goal == "reach" and vetoed_regardless(result, prober.unit_id, spec.id, name):
        return NeededValue(status="vetoed", current=current, **base)
    axis = axes.get(name) or axes.setdefault(name, make_axis(result, name, current))
    sign = improving_sign(result, leaf, name, prober.unit_id, axis) * (-1 if goal == "fall" else 1)
    base.update(current=current, step=axis.step, limit=axis.hi if sign > 0 else axis.lo)
    found = bracket_search(_crossing(prober, name, spec, goal), axis, sign,
                           lambda values: prober.prefetch(name, values))
    if found is None:
        return NeededValue(status="unreachable", **base)
    return NeededValue(status="found", needed=axis.at(found[0], sign), short=axis.at(found[1], sign), **base)


def needed_values(result, unit_id: str) -> tuple[NeededValue, ...]:
    """For each outcome line the unit could cross (:func:`goals`), and each indicator with a value: what
    input value would have moved it across, all else unchanged (goal by goal, indicators in file order).
    For a bottom outcome the unit is not in ("fall"), the input is made worse: how much room it has."""
    prober = Prober(result, unit_id)
    axes: dict = {}
    leaves = [leaf for leaf in result.assessment.leaves if result.assessment.nodes[leaf].value is not None]
    return tuple(_needed_one(result, prober, leaf, spec, goal, axes)
                 for spec, goal in goals(result, unit_id) for leaf in leaves)
