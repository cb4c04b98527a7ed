"""Adjustment rules (durable-rules facts): every action, caps, pools, statuses and conditions.

The base scores are kept trivial: one indicator 's' of weight 100 with ``target: 100`` on
column ``x``, so a unit's base total equals its ``x`` (up to 100).
"""
from __future__ import annotations

import numpy as np
import pytest

from conftest import indicator, rule_doc, units

BASE = [indicator("s", "x", {"type": "target", "target": 100}, weight=100)]


def doc(adjustments, inputs=("x",), **extra):
    return rule_doc(BASE, inputs={name: {} for name in inputs}, adjustments=adjustments, **extra)


def flag(rule_id, when):
    return {"id": rule_id, "when": when, "action": "flag"}


def fired(result, rule_id) -> list[bool]:
    return [bool(v) for v in result.adjustments.fired[rule_id]]


# --- bonus / deduction / pools / limits ------------------------------------------------------

def test_bonus_with_per_rule_max(score):
    rules = doc([{"id": "proj", "when": "p > 0", "action": "bonus", "points": "p * 1.5", "max": 3}],
                inputs=("x", "p"))
    result = score(rules, units({"x": [50, 50, 50], "p": [0, 1, 4]}))
    # U1 no project; U2 1.5; U3 6 -> capped at 3
    assert result.total.tolist() == pytest.approx([50, 51.5, 53])
    record = result.firings("U3")[0]
    assert record["points"] == pytest.approx(3) and record["capped"] == pytest.approx(3)
    assert result.firings("U1") == []


def test_deduction_subtracts_and_rule_max_caps_the_amount(score):
    rules = doc([{"id": "fake", "when": "n > 0", "action": "deduction", "points": "n * 0.5", "max": 2}],
                inputs=("x", "n"))
    result = score(rules, units({"x": [80, 80], "n": [3, 10]}))
    # 3 x .5 = 1.5 -> 78.5; 10 x .5 = 5 -> capped at 2 -> 78
    assert result.total.tolist() == pytest.approx([78.5, 78])
    assert result.firings("U2")[0]["points"] == pytest.approx(-2)


def test_bonus_min_raises_small_amounts(score):
    rules = doc([{"id": "b", "when": "p > 0", "action": "bonus", "points": "p", "min": 1, "max": 2}],
                inputs=("x", "p"))
    result = score(rules, units({"x": [50, 50, 50], "p": [0.2, 1.5, 9]}))
    # amounts clipped to [1, 2]: 1, 1.5, 2
    assert result.total.tolist() == pytest.approx([51, 51.5, 52])


def test_pooled_bonuses_capped_across_rules(score):
    rules = doc([
        {"id": "b1", "when": "p > 0", "action": "bonus", "points": "p", "max": 3, "pool": "bonuses"},
        {"id": "b2", "when": "q > 0", "action": "bonus", "points": 4, "pool": "bonuses"},
        {"id": "b3", "when": "x >= 0", "action": "bonus", "points": 0.5},  # not in the pool
    ], inputs=("x", "p", "q"), pools=[{"id": "bonuses", "max": 5}])
    result = score(rules, units({"x": [60, 60, 60], "p": [5, 1, 0], "q": [1, 0, 1]}))
    # U1: min(5, 3) + 4 = 7 -> pool 5, + .5 = 5.5; U2: 1 + .5; U3: 4 + .5
    assert result.total.tolist() == pytest.approx([65.5, 61.5, 64.5])
    cut = [r for r in result.firings("U1") if r["action"] == "pool_cap"]
    assert cut == [{"rule": "pool:bonuses", "label": "bonuses", "action": "pool_cap", "points": pytest.approx(-2)}]
    assert not [r for r in result.firings("U2") if r["action"] == "pool_cap"]


def test_pooled_deductions_limited(score):
    rules = doc([
        {"id": "d1", "when": "n > 0", "action": "deduction", "points": "n", "pool": "deductions"},
        {"id": "d2", "when": "m > 0", "action": "deduction", "points": "m * 2", "pool": "deductions"},
    ], inputs=("x", "n", "m"), pools=[{"id": "deductions", "min": -10}])
    result = score(rules, units({"x": [90, 90], "n": [4, 8], "m": [1, 3]}))
    # U1: -4 - 2 = -6; U2: -8 - 6 = -14 -> -10
    assert result.total.tolist() == pytest.approx([84, 80])


def test_total_min_zero_deduct_until_nothing_left(score):
    # 扣完为止: the total never goes below 0
    rules = doc([{"id": "d", "when": "x < 50", "action": "deduction", "points": 100}], total_min=0)
    result = score(rules, units({"x": [40, 60]}))
    assert result.total.tolist() == pytest.approx([0, 60])
    assert result.firings("U1")[-1] == {"rule": "total_limit", "label": "total_min/total_max",
                                        "action": "total_cap", "points": pytest.approx(60)}


def test_total_max(score):
    rules = doc([{"id": "b", "when": "x > 0", "action": "bonus", "points": 10}], total_max=100)
    result = score(rules, units({"x": [95, 50]}))
    assert result.total.tolist() == pytest.approx([100, 60])


def test_multiply_factor_after_points(score):
    rules = doc([
        {"id": "b", "when": "p > 0", "action": "bonus", "points": "p"},
        {"id": "m", "when": "x >= 90", "action": "multiply", "factor": 1.1},
        {"id": "m2", "when": "x < 50", "action": "multiply", "factor": "0.5 + p / 10"},
    ], inputs=("x", "p"))
    result = score(rules, units({"x": [90, 40, 70], "p": [5, 2, 0]}))
    # U1: (90 + 5) x 1.1 = 104.5; U2: (40 + 2) x (0.5 + .2) = 29.4; U3: 70
    assert result.total.tolist() == pytest.approx([104.5, 29.4, 70])
    assert [r["factor"] for r in result.firings("U1") if r["action"] == "multiply"] == pytest.approx([1.1])


def test_order_points_pool_factor_clamp(score):
    # base 90, bonus 8 -> pool max 5 -> 95, x 1.2 = 114 -> total_max 110
    rules = doc([
        {"id": "b", "when": "x > 0", "action": "bonus", "points": 8, "pool": "p"},
        {"id": "m", "when": "x > 0", "action": "multiply", "factor": 1.2},
    ], pools=[{"id": "p", "max": 5}], total_max=110)
    result = score(rules, units({"x": [90]}))
    assert result.total["U1"] == pytest.approx(110)
    assert result.adjustments.clamp["U1"] == pytest.approx(-4)


# --- statuses -------------------------------------------------------------------------------

OUTCOMES = [{"id": "top", "top": 2}, {"id": "bottom", "bottom": 2}]


def test_veto_skips_unit_and_next_takes_the_slot(score):
    rules = doc([{"id": "v", "when": "bad == 1", "action": "veto", "outcome": "top"}],
                inputs=("x", "bad"), outcomes=OUTCOMES)
    result = score(rules, units({"x": [90, 80, 70, 60, 50, 40], "bad": [1, 0, 0, 0, 0, 0]}))
    outcome = result.ranking.outcome
    assert outcome["U1"] is None  # first by total, but vetoed
    assert [u for u in result.index if outcome[u] == "top"] == ["U2", "U3"]
    assert result.ranking.display_rank["U1"] == 1  # still ranked first
    assert [u for u in result.index if outcome[u] == "bottom"] == ["U5", "U6"]


def test_vetoed_unit_can_still_get_bottom_outcome(score):
    rules = doc([{"id": "v", "when": "bad == 1", "action": "veto", "outcome": "top"}],
                inputs=("x", "bad"), outcomes=OUTCOMES)
    result = score(rules, units({"x": [90, 80, 70, 20], "bad": [0, 0, 0, 1]}))
    assert result.ranking.outcome["U4"] == "bottom"


def test_force_counts_toward_bottom_quota(score):
    rules = doc([{"id": "f", "when": "drop == 1", "action": "force", "outcome": "bottom"}],
                inputs=("x", "drop"), outcomes=OUTCOMES)
    result = score(rules, units({"x": [90, 80, 70, 60, 50, 40], "drop": [0, 0, 0, 1, 0, 0]}))
    outcome = result.ranking.outcome
    # U4 forced into bottom; the bottom quota of 2 then takes only the last unit, U6
    assert sorted(u for u in result.index if outcome[u] == "bottom") == ["U4", "U6"]
    assert outcome["U5"] is None
    assert result.outcome_counts() == {"top": 2, "bottom": 2}


def test_forced_top_unit_leaves_its_commendation_slot(score):
    # the best unit is forced into 'bottom': it is not commended and the top slots pass down
    rules = doc([{"id": "f", "when": "drop == 1", "action": "force", "outcome": "bottom"}],
                inputs=("x", "drop"), outcomes=OUTCOMES)
    result = score(rules, units({"x": [90, 80, 70, 60, 50], "drop": [1, 0, 0, 0, 0]}))
    outcome = result.ranking.outcome
    assert outcome["U1"] == "bottom"
    assert [u for u in result.index if outcome[u] == "top"] == ["U2", "U3"]
    assert [u for u in result.index if outcome[u] == "bottom"] == ["U1", "U5"]


def test_exempt_is_ranked_but_not_classified(score):
    rules = doc([{"id": "new", "when": "year >= 2023", "action": "exempt"}],
                inputs=("x", "year"), outcomes=OUTCOMES)
    result = score(rules, units({"x": [90, 80, 70, 60, 50, 40], "year": [2023, 2000, 2000, 2000, 2000, 2023]}))
    outcome, status = result.ranking.outcome, result.ranking.status
    assert status["U1"] == "exempt" and status["U6"] == "exempt"
    assert outcome["U1"] is None and outcome["U6"] is None
    assert result.ranking.display_rank["U1"] == 1 and result.ranking.position["U6"] == 6
    assert [u for u in result.index if outcome[u] == "top"] == ["U2", "U3"]
    assert [u for u in result.index if outcome[u] == "bottom"] == ["U4", "U5"]
    assert result.table().set_index("id").at["U1", "status"] == "exempt"


def test_exclude_is_not_ranked_and_listed_last(score):
    rules = doc([{"id": "out", "when": "skip == 1", "action": "exclude"}],
                inputs=("x", "skip"), outcomes=[{"id": "top", "top": 1}, {"id": "bottom", "bottom": 1}])
    result = score(rules, units({"x": [90, 80, 70, 60], "skip": [1, 0, 0, 0]}))
    assert result.ranking.order == ["U2", "U3", "U4", "U1"]
    assert result.ranking.status["U1"] == "excluded"
    assert np.isnan(result.ranking.position["U1"]) and np.isnan(result.ranking.display_rank["U1"])
    assert result.ranking.outcome["U1"] is None
    assert result.ranking.outcome["U2"] == "top"  # the slot passes to the next unit
    assert result.ranking.display_rank["U2"] == 1
    assert result.ranking.outcome["U4"] == "bottom"


def test_force_beats_exempt_and_veto(score):
    rules = doc([{"id": "new", "when": "year >= 2023", "action": "exempt"},
                 {"id": "v", "when": "drop == 1", "action": "veto", "outcome": "bottom"},
                 {"id": "f", "when": "drop == 1", "action": "force", "outcome": "bottom"}],
                inputs=("x", "year", "drop"), outcomes=OUTCOMES)
    result = score(rules, units({"x": [90, 80, 70, 60, 50], "year": [2023, 2000, 2000, 2000, 2000],
                                 "drop": [1, 0, 1, 0, 0]}))
    outcome = result.ranking.outcome
    # U1 is exempt but forced; U3 is vetoed for 'bottom' but forced into it
    assert outcome["U1"] == "bottom" and outcome["U3"] == "bottom"
    assert [u for u in result.index if outcome[u] == "top"] == ["U2", "U4"]
    assert result.outcome_counts() == {"top": 2, "bottom": 2}  # both forced units fill the bottom quota


def test_first_force_rule_in_file_order_wins(score):
    rules = doc([{"id": "f1", "when": "x < 50", "action": "force", "outcome": "bottom"},
                 {"id": "f2", "when": "x < 30", "action": "force", "outcome": "top"}], outcomes=OUTCOMES)
    result = score(rules, units({"x": [90, 80, 70, 20]}))
    assert result.ranking.outcome["U4"] == "bottom"


def test_flag_attaches_rule_ids_without_changing_points(score):
    rules = doc([flag("low", "x < 60"), flag("very_low", "x < 30")])
    result = score(rules, units({"x": [90, 50, 20]}))
    assert [result.adjustments.flags[u] for u in result.index] == [[], ["low"], ["low", "very_low"]]
    assert result.total.tolist() == pytest.approx([90, 50, 20])


# --- several rules per unit (facts, not events) ----------------------------------------------

def test_unit_matching_several_rules_gets_all_of_them(score):
    rules = doc([
        {"id": "b1", "when": "x > 10", "action": "bonus", "points": 1},
        {"id": "b2", "when": "x > 20", "action": "bonus", "points": 2},
        {"id": "d1", "when": "x > 30", "action": "deduction", "points": 0.5},
        flag("f1", "x > 40"),
        {"id": "m1", "when": "x > 50", "action": "multiply", "factor": 2},
    ])
    result = score(rules, units({"x": [60, 25, 5]}))
    assert [r["rule"] for r in result.firings("U1")] == ["b1", "b2", "d1", "f1", "m1"]
    assert [r["rule"] for r in result.firings("U2")] == ["b1", "b2"]
    assert result.firings("U3") == []
    # U1: (60 + 1 + 2 - .5) x 2 = 125; U2: 25 + 3 = 28; U3: 5
    assert result.total.tolist() == pytest.approx([125, 28, 5])


def test_identical_units_all_fire(score):
    # identical facts (apart from the unit) must each fire: durable-rules must not merge them
    rules = doc([flag("f", "x > 10")])
    result = score(rules, units({"x": [50] * 5}))
    assert fired(result, "f") == [True] * 5


# --- conditions ------------------------------------------------------------------------------

def test_conditions_on_indicator_group_points_and_total(score):
    t = {"type": "target", "target": 100}
    rules = rule_doc([
        {"id": "grp", "weight": 60, "children": [indicator("a", "xa", t, weight=30), indicator("b", "xb", t, weight=30)]},
        indicator("c", "xc", t, weight=40)],
        adjustments=[flag("a_full", "a >= 30"), flag("grp_high", "grp > 50"), flag("total_low", "total < 60"),
                     {"id": "b_total", "when": "total >= 60", "action": "bonus", "points": 1}])
    result = score(rules, units({"xa": [100, 50, 100], "xb": [100, 100, 0], "xc": [100, 10, 25]}))
    # points: U1 a 30, grp 60, total 100; U2 a 15, grp 45, c 4 -> 49; U3 a 30, grp 30, c 10 -> 40
    assert fired(result, "a_full") == [True, False, True]
    assert fired(result, "grp_high") == [True, False, False]
    assert fired(result, "total_low") == [False, True, True]
    # 'total' in a condition is the base total (before adjustments)
    assert fired(result, "b_total") == [True, False, False]


def test_conditions_on_derived_values_and_expressions(score):
    rules = rule_doc(BASE, inputs={"x": {}, "goal": {}}, derived={"rate": "x / goal * 100"},
                     adjustments=[flag("low_rate", "rate < 80"), flag("under", "x < goal * 0.8"),
                                  flag("above_mean", "x > mean(x)"), flag("growth", "growth(x, goal) >= 10")])
    result = score(rules, units({"x": [70, 90, 55], "goal": [100, 80, 50]}))
    # rates 70, 112.5, 110; mean(x) = 71.667; growths -30, 12.5, 10
    assert fired(result, "low_rate") == [True, False, False]
    assert fired(result, "under") == [True, False, False]
    assert fired(result, "above_mean") == [False, True, False]
    assert fired(result, "growth") == [False, True, True]


def test_not_and_or(score):
    rules = doc([flag("n", "not (x > 50)"), flag("o", "x > 80 or y > 80"), flag("a", "x > 30 and not y > 30"),
                 flag("combo", "(x > 50 or y > 50) and not (x > 80 and y > 80)")], inputs=("x", "y"))
    result = score(rules, units({"x": [90, 40, 60, 20], "y": [90, 85, 10, 20]}))
    assert fired(result, "n") == [False, True, False, True]
    assert fired(result, "o") == [True, True, False, False]
    assert fired(result, "a") == [False, False, True, False]
    assert fired(result, "combo") == [False, True, True, False]


def test_constant_on_the_left_and_chained_comparisons(score):
    rules = doc([flag("left", "50 < x"), flag("chain", "30 <= x < 70"), flag("not_chain", "not (30 <= x < 70)"),
                 flag("neg", "x - 100 > -45")])
    result = score(rules, units({"x": [90, 50, 30, 20]}))
    assert fired(result, "left") == [True, False, False, False]
    assert fired(result, "chain") == [False, True, True, False]
    assert fired(result, "not_chain") == [True, False, False, True]
    assert fired(result, "neg") == [True, False, False, False]  # x - 100 > -45 <=> x > 55: only 90


def test_equality_and_text_conditions(score):
    rules = rule_doc(BASE, inputs={"x": {}, "r": {}, "town": {"type": "text"}},
                     adjustments=[flag("eq", "r == 1"), flag("ne", "r != 1"), flag("town", "town == '朱家角镇'"),
                                  flag("not_town", "town != '朱家角镇'"), flag("bare", "r")])
    result = score(rules, units({"x": [10, 20, 30], "r": [1, 0, 2], "town": ["朱家角镇", "白鹤镇", "朱家角镇"]}))
    assert fired(result, "eq") == [True, False, False]
    assert fired(result, "ne") == [False, True, True]
    assert fired(result, "town") == [True, False, True]
    assert fired(result, "not_town") == [False, True, False]
    assert fired(result, "bare") == [True, False, True]


def test_missing_value_makes_comparison_false(score):
    rules = doc([flag("gt", "y > 5"), flag("le", "y <= 5"), flag("ne", "y != 5"), flag("not_gt", "not (y > 5)"),
                 flag("or", "y > 5 or x > 50"), flag("and", "x > 0 and y < 100")], inputs=("x", "y"))
    result = score(rules, units({"x": [60, 10, 10], "y": [None, None, 3]}))
    assert fired(result, "gt") == [False, False, False]
    assert fired(result, "le") == [False, False, True]
    assert fired(result, "ne") == [False, False, True]
    assert fired(result, "not_gt") == [False, False, True]
    assert fired(result, "or") == [True, False, False]  # the other side of 'or' still counts
    assert fired(result, "and") == [False, False, True]


def test_missing_value_on_right_side_alone_is_false(score):
    rules = doc([flag("cmp", "x > y")], inputs=("x", "y"))
    result = score(rules, units({"x": [60, 60], "y": [None, 10]}))
    assert fired(result, "cmp") == [False, True]


def test_missing_value_on_right_side_after_another_rule_fired(score):
    rules = doc([flag("big", "z > 100"), flag("gt", "x > y"), flag("lt", "x < y * 2"), flag("eq", "x == y")],
                inputs=("x", "y", "z"))
    result = score(rules, units({"x": [4, 4], "y": [None, None], "z": [200, 50]}))
    assert fired(result, "big") == [True, False]
    # y is missing for both units: every comparison with it is false
    assert fired(result, "gt") == [False, False]
    assert fired(result, "lt") == [False, False]
    assert fired(result, "eq") == [False, False]


def test_text_compared_with_number_in_condition_is_an_error(score):
    from scoring.errors import ZonescoreError

    rules = rule_doc(BASE, inputs={"x": {}, "town": {"type": "text"}}, adjustments=[flag("odd", "town > 5")])
    with pytest.raises(ZonescoreError):
        score(rules, units({"x": [10, 20], "town": ["a", "b"]}))


def test_missing_computed_value_makes_comparison_false(score):
    # growth on a zero base is missing: the comparison is false, with and without 'not'
    rules = doc([flag("drop", "growth(x, prev) < -20"), flag("no_drop", "not (growth(x, prev) < -20)")],
                inputs=("x", "prev"))
    result = score(rules, units({"x": [50, 50, 95], "prev": [100, 0, 100]}))
    assert fired(result, "drop") == [True, False, False]
    assert fired(result, "no_drop") == [False, False, True]


def test_rule_without_matches_changes_nothing(score):
    rules = doc([{"id": "b", "when": "x > 1000", "action": "bonus", "points": 5}])
    result = score(rules, units({"x": [10, 20]}))
    assert not result.adjustments.fired["b"].any()
    assert result.total.tolist() == pytest.approx([10, 20])


# --- many units -----------------------------------------------------------------------------

def test_three_thousand_units_fire_like_numpy(score):
    """More units than durable-rules' 1,024 sessions would allow if one were used per unit."""
    n = 3000
    rng = np.random.default_rng(2023)
    x = rng.integers(0, 100, n)
    y = rng.integers(0, 100, n)
    conditions = {
        "c0": "x > 50",
        "c1": "x > 50 and y < 30",
        "c2": "not (x > 50) or y >= 90",
        "c3": "x + y > 120",
        "c4": "s > 40",  # indicator points: x / 100 x 100
        "c5": "x == y",
        "c6": "30 <= y < 60",
        "c7": "x > y * 2",
    }
    rules = doc([flag(k, v) for k, v in conditions.items()] +
                [{"id": "bon", "when": "y >= 95", "action": "bonus", "points": 1}], inputs=("x", "y"))
    ids = [f"U{i:05d}" for i in range(n)]
    result = score(rules, units({"x": x.tolist(), "y": y.tolist()}, ids=ids))
    assert len(result.index) == n
    order = [int(u[1:]) for u in result.index]  # data is sorted by id, which is the generation order here
    xs, ys = x[order].astype(float), y[order].astype(float)
    expected = {
        "c0": xs > 50,
        "c1": (xs > 50) & (ys < 30),
        "c2": ~(xs > 50) | (ys >= 90),
        "c3": xs + ys > 120,
        "c4": xs > 40,
        "c5": xs == ys,
        "c6": (ys >= 30) & (ys < 60),
        "c7": xs > ys * 2,
    }
    for key, mask in expected.items():
        assert mask.any() and not mask.all(), key  # each condition is a real test
        assert np.array_equal(result.adjustments.fired[key].to_numpy(), mask), key
    assert np.allclose(result.total.to_numpy(), xs + (ys >= 95))


# --- 不参评 units and peer statistics ------------------------------------------------------------

MINMAX = [indicator("s", "x", {"type": "minmax"}, weight=100)]


def test_units_excluded_on_inputs_do_not_move_peer_statistics(score):
    rules = rule_doc(MINMAX, inputs={"x": {}, "new": {}},
                     adjustments=[{"id": "out", "when": "new == 1", "action": "exclude"}])
    result = score(rules, units({"x": [10, 20, 30, 1000], "new": [0, 0, 0, 1]}))
    # U4 is 不参评: min-max runs over U1..U3 only: (x - 10) / (30 - 10) x 100 = 0, 50, 100
    assert result.tree.points["s"].tolist()[:3] == pytest.approx([0, 50, 100])
    assert result.ranking.status["U4"] == "excluded" and np.isnan(result.ranking.position["U4"])


def test_exclusion_that_reads_points_applies_after_scoring(score):
    rules = rule_doc(MINMAX, inputs={"x": {}},
                     adjustments=[{"id": "out", "when": "s > 99", "action": "exclude"}])
    result = score(rules, units({"x": [10, 20, 30, 1000]}))
    # the condition needs the points, so U4 still counts in the statistics: (x - 10) / 990 x 100
    assert result.tree.points["s"].tolist() == pytest.approx([0, 1000 / 990, 2000 / 990, 100])
    assert result.ranking.status["U4"] == "excluded"
