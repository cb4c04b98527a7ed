"""The data an explanation is made of (see :func:`scoring.analysis.explain.explain_unit`).

Plain frozen dataclasses: numbers are floats (NaN never appears: a missing value is ``None``),
labels come from the rule file, and the order of every tuple is the rule file's order.
Renderers in :mod:`scoring.report.explain_render` turn these into text, Markdown or JSON.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Union

from ..report.provenance import Provenance


@dataclass(frozen=True)
class NamedValue:
    """One input or derived value an indicator reads, at the unit's row."""

    name: str
    label: str
    unit: str | None
    value: float | str | None
    kind: str  # "input" or "derived"
    formula: str | None = None  # the expression of a derived value


@dataclass(frozen=True)
class IndicatorExplanation:
    id: str
    label: str
    parent: str | None
    weight: float  # full points
    unit: str | None
    value_expr: str | None
    inputs: tuple[NamedValue, ...]
    value: float | None
    direction: str
    method: str
    settings: dict[str, Any]  # the method's settings from the rule file (floor, cap, target ...)
    stats: dict[str, float | None]  # peer statistics the method used, at the unit's row
    fraction: float | None
    points: float
    missing: bool  # the value was missing and the missing policy gave the points
    missing_policy: str
    missing_fallback: str | None  # the fallback expression (policy "fallback")
    peer_rank: int | None  # rank of the unit's fraction among all units (1 = best, ties share)
    peer_count: int
    kind: str = "indicator"


@dataclass(frozen=True)
class GroupExplanation:
    id: str
    label: str
    parent: str | None
    weight: float
    aggregate: str
    fraction: float
    points: float  # subtotal
    children: tuple[Union["GroupExplanation", IndicatorExplanation], ...]
    kind: str = "group"


Node = Union[GroupExplanation, IndicatorExplanation]


@dataclass(frozen=True)
class AdjustmentExplanation:
    """An adjustment rule that fired (or a pool cap / total limit that cut points)."""

    rule: str
    label: str
    action: str
    condition: str | None  # the rule's ``when`` text
    note: str | None = None
    points: float | None = None  # signed points applied (after the rule's own cap)
    capped: float | None = None  # signed points removed by the rule's cap (raw - applied)
    factor: float | None = None
    outcome: str | None = None  # veto: outcome barred; force: outcome forced
    outcome_label: str | None = None
    decides: bool = False  # this exclude/force rule decided the outcome (:func:`scoring.analysis.lines.decision`)
    overridden_by: str | None = None  # a force/veto that fired but did not count: the id of the rule that decided


@dataclass(frozen=True)
class LineDistance:
    """Points above (+) or below (-) an outcome's line (see :func:`scoring.analysis.lines.outcome_lines`)."""

    outcome: str
    label: str
    from_bottom: bool
    line: float | None
    distance: float | None
    member: bool  # the unit has this outcome


@dataclass(frozen=True)
class NeededValue:
    """The input value that would move the unit across an outcome's line, all else unchanged."""

    indicator: str
    indicator_label: str
    outcome: str
    outcome_label: str
    goal: str  # "reach" (e.g. be commended), "escape" (e.g. escape the warning) or "fall" (into the warning)
    # "found", "unreachable", "vetoed" (a veto, exemption or exclusion bars the unit and does not read this
    # input), "missing" (input empty), "no_input"
    status: str
    input: str | None = None
    input_label: str | None = None
    input_unit: str | None = None
    current: float | None = None
    needed: float | None = None  # crosses the line when applied
    short: float | None = None  # one search step short of ``needed``: does not cross
    step: float | None = None
    limit: float | None = None  # how far the search went (range bound or 10x the largest value)

    @property
    def change(self) -> float | None:
        return None if self.needed is None or self.current is None else self.needed - self.current


@dataclass(frozen=True)
class PeerRank:
    """A strength or weakness (:func:`scoring.analysis.lines.strongest_weakest`): an indicator's
    得分率 (``fraction`` = points / full points) and its rank among all units."""

    indicator: str
    label: str
    rank: int | None
    count: int
    fraction: float | None
    points: float | None = None
    full: float | None = None


@dataclass(frozen=True)
class Explanation:
    """Everything about one unit's result, traceable to its inputs and rules."""

    unit: str
    name: str
    display: dict[str, str]
    title: str
    unit_word: str
    precision: int
    full_score: float
    tree: tuple[Node, ...]
    base_total: float
    adjustments_total: float
    total: float
    rank: int | None
    position: int | None
    ranked_count: int
    status: str  # "ranked", "exempt" or "excluded"
    outcome: str | None
    outcome_label: str | None
    adjustments: tuple[AdjustmentExplanation, ...]
    vetoed: tuple[str, ...]  # outcome ids the unit is barred from
    forced: str | None  # outcome id forced by a rule
    exempt: bool
    excluded: bool
    flags: tuple[str, ...]  # labels of flag rules that fired
    lines: tuple[LineDistance, ...]
    needed: tuple[NeededValue, ...]
    strongest: tuple[PeerRank, ...]  # highest 得分率 (scoring.analysis.lines.strongest_weakest)
    weakest: tuple[PeerRank, ...]  # lowest 得分率 below full points
    provenance: Provenance
    adjusts_points: bool = True  # the rule file can move a total (:func:`scoring.report.render.adjusts_points`)
    aggregate: str = "arithmetic"  # how the top-level groups make the base total (arithmetic, geometric)
    decided_by: str | None = None  # id of the exclude/force rule that decided the outcome, if any
    labels: Any = field(default=None, repr=False, compare=False)  # the rule file's Labels (for renderers)

    def indicators(self) -> Iterator[IndicatorExplanation]:
        """Indicators in rule-file order."""
        yield from (node for node in self.nodes() if isinstance(node, IndicatorExplanation))

    def groups(self) -> Iterator[GroupExplanation]:
        """Groups in rule-file order (a group before its children)."""
        yield from (node for node in self.nodes() if isinstance(node, GroupExplanation))

    def nodes(self) -> Iterator[Node]:
        def walk(nodes):
            for node in nodes:
                yield node
                if isinstance(node, GroupExplanation):
                    yield from walk(node.children)
        yield from walk(self.tree)
