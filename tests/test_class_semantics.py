"""Class semantics as options: outcomes filled only by rules, percentages of all units, and a
downgraded unit that keeps its slot (亩均 A/B/C/D with a forced D) or is skipped (the default).

Totals equal column ``x`` (see test_outcomes.py); eight units 80, 70, …, 10 -> U1 best.
"""
from __future__ import annotations

import pytest

from scoring.errors import RuleFileError

from conftest import indicator, rule_doc, units

BASE = [indicator("s", "x", {"type": "target", "target": 100}, weight=100)]
EIGHT = list(range(80, 0, -10))
ACCIDENT = [1, 0, 0, 0, 0, 0, 0, 0]  # U1, the best, has a major safety accident: forced to D


def doc(outcomes, adjustments=(), **extra):
    return rule_doc(BASE, outcomes=outcomes, adjustments=list(adjustments), inputs={"x": {}, "acc": {}}, **extra)


def classes(downgrade=None, base=None):
    extra = {k: v for k, v in (("downgrade", downgrade), ("base", base)) if v}
    return [{"id": "A", "top_percent": 25, **extra}, {"id": "B", "top_percent": 75, **extra},
            {"id": "C", "rest": True}, {"id": "D"}]


FORCE_D = [{"id": "accident", "when": "acc == 1", "action": "force", "outcome": "D"}]


def members(result):
    return {o: [u for u in result.ranking.order if result.ranking.outcome[u] == o] for o in "ABCD"}


def test_an_outcome_without_selector_is_filled_by_rules_only(score):
    result = score(doc(classes(), FORCE_D), units({"x": EIGHT, "acc": ACCIDENT}))
    assert members(result)["D"] == ["U1"]


def test_skip_the_next_unit_moves_up(score):
    # A: round(25% of 8) = 2 places -> U2, U3; B: 6 cumulative -> U4..U7; C: U8
    result = score(doc(classes(), FORCE_D), units({"x": EIGHT, "acc": ACCIDENT}))
    assert members(result) == {"A": ["U2", "U3"], "B": ["U4", "U5", "U6", "U7"], "C": ["U8"], "D": ["U1"]}


def test_keep_slot_the_downgraded_unit_keeps_its_place(score):
    # U1 keeps place 1: A gets only place 2 (U2); B places 3..6 (U3..U6); C the rest
    result = score(doc(classes("keep_slot"), FORCE_D), units({"x": EIGHT, "acc": ACCIDENT}))
    assert members(result) == {"A": ["U2"], "B": ["U3", "U4", "U5", "U6"], "C": ["U7", "U8"], "D": ["U1"]}


def test_keep_slot_without_downgrades_is_the_plain_split(score):
    skip = score(doc(classes()), units({"x": EIGHT, "acc": [0] * 8}))
    keep = score(doc(classes("keep_slot")), units({"x": EIGHT, "acc": [0] * 8}))
    assert members(skip) == members(keep) == {"A": ["U1", "U2"], "B": ["U3", "U4", "U5", "U6"],
                                              "C": ["U7", "U8"], "D": []}


def test_keep_slot_vetoed_unit_falls_to_the_next_class(score):
    veto = [{"id": "env", "when": "acc == 1", "action": "veto", "outcome": "A"}]
    result = score(doc(classes("keep_slot"), veto), units({"x": EIGHT, "acc": ACCIDENT}))
    assert members(result) == {"A": ["U2"], "B": ["U1", "U3", "U4", "U5", "U6"], "C": ["U7", "U8"], "D": []}


def test_base_all_counts_exempt_units(score):
    exempt = [{"id": "new", "when": "acc == 1", "action": "exempt"}]
    outcomes = [{"id": "A", "top_percent": 50, "base": "all", "rounding": "floor"}, {"id": "C", "rest": True}]
    # 8 units, one exempt: 50% of all 8 = 4 (of the 7 classified it would be round(3.5) = 4, floor 3)
    result = score(doc(outcomes, exempt), units({"x": EIGHT, "acc": ACCIDENT}))
    assert [u for u in result.ranking.order if result.ranking.outcome[u] == "A"] == ["U2", "U3", "U4", "U5"]
    outcomes[0].pop("base")
    result = score(doc(outcomes, exempt), units({"x": EIGHT, "acc": ACCIDENT}))
    assert [u for u in result.ranking.order if result.ranking.outcome[u] == "A"] == ["U2", "U3", "U4"]


@pytest.mark.parametrize("outcome, message", [
    ({"id": "A", "top": 1, "base": "all"}, "'base' applies to top_percent/bottom_percent only"),
    ({"id": "A", "rest": True, "downgrade": "keep_slot"}, "'downgrade' applies to top, bottom"),
    ({"id": "A", "top": 1, "rest": True}, "an outcome takes at most one selector"),
])
def test_options_in_the_wrong_place(write_rules, write_csv, outcome, message):
    from scoring.engine.run import run_files

    with pytest.raises(RuleFileError) as raised:
        run_files(write_rules(doc([outcome])), write_csv(units({"x": EIGHT, "acc": ACCIDENT})))
    assert message in str(raised.value)
