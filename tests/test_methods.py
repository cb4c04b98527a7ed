"""Scoring methods, missing-value policies and aggregation, against hand-computed points.

Each test runs a tiny rule file through ``run_files``. Units are U1, U2, ... in the order of
the values given; the arithmetic for every expected number is written next to it.
"""
from __future__ import annotations

import math

import pytest

from scoring.errors import ScoringError

from conftest import indicator, rule_doc, units


def points(score, method, values, weight=10, column="x", inputs=None, **node):
    """Points of a single indicator 's' scoring column ``x`` (one value per unit)."""
    rules = rule_doc([indicator("s", column, method, weight=weight, **node)], inputs=inputs)
    data = units(values if isinstance(values, dict) else {column: values})
    return score(rules, data).tree.points["s"].tolist()


# --- minmax ---------------------------------------------------------------------------------

def test_minmax_plain(score):
    # (x - 10) / (40 - 10) x 10: 0, 10/3, 10
    assert points(score, "minmax", [10, 20, 40]) == pytest.approx([0, 10 / 3, 10])


def test_minmax_with_floor(score):
    # floor 0.6 on [10, 20, 40]: (20-10)/(40-10) = 1/3 -> 0.6 + 0.4/3 = 0.7333... -> x10 = 7.333...
    assert points(score, {"type": "minmax", "floor": 0.6}, [10, 20, 40]) == pytest.approx([6, 7 + 1 / 3, 10])


def test_minmax_lower_is_better(score):
    # (40 - x) / 30 x 10: 10, 20/3, 0
    assert points(score, "minmax", [10, 20, 40], direction="lower") == pytest.approx([10, 20 / 3, 0])


def test_minmax_all_equal_gets_full_points(score):
    # span 0 -> everyone gets the full fraction 1 (with or without floor)
    assert points(score, {"type": "minmax", "floor": 0.5}, [7, 7, 7]) == pytest.approx([10, 10, 10])


def test_minmax_cap_limits_fraction(score):
    # cap 0.5: fractions 0, 1/3, 1 -> 0, 1/3, 0.5 -> x 12 = 0, 4, 6
    assert points(score, {"type": "minmax", "cap": 0.5}, [10, 20, 40], weight=12) == pytest.approx([0, 4, 6])


# --- best_ratio ------------------------------------------------------------------------------

def test_best_ratio_higher(score):
    # x / best(40) x 10: 2.5, 5, 10
    assert points(score, "best_ratio", [10, 20, 40]) == pytest.approx([2.5, 5, 10])


def test_best_ratio_negative_value_scores_zero(score):
    # -5 / 40 < 0 -> clipped to 0
    assert points(score, "best_ratio", [-5, 20, 40]) == pytest.approx([0, 5, 10])


def test_best_ratio_lower(score):
    # best = min = 5: best / x -> 1, 0.25, 0.125
    assert points(score, "best_ratio", [5, 20, 40], direction="lower") == pytest.approx([10, 2.5, 1.25])


# --- benchmark --------------------------------------------------------------------------------

def test_benchmark_mean(score):
    # mean(10, 20, 30, 60) = 30 -> x / 30 x 10: 10/3, 20/3, 10, 20 (no cap)
    assert points(score, {"type": "benchmark", "benchmark": "mean"}, [10, 20, 30, 60]) == \
        pytest.approx([10 / 3, 20 / 3, 10, 20])


def test_benchmark_median(score):
    # median(10, 20, 60) = 20 -> 0.5, 1, 3
    assert points(score, {"type": "benchmark", "benchmark": "median"}, [10, 20, 60]) == pytest.approx([5, 10, 30])


def test_benchmark_max(score):
    # max 40 -> 0.25, 0.5, 1
    assert points(score, {"type": "benchmark", "benchmark": "max"}, [10, 20, 40]) == pytest.approx([2.5, 5, 10])


def test_benchmark_min(score):
    # min 10 -> 1, 2, 4
    assert points(score, {"type": "benchmark", "benchmark": "min"}, [10, 20, 40]) == pytest.approx([10, 20, 40])


def test_benchmark_constant_with_factor_and_cap(score):
    # B = 0.8 x 25 = 20: 10/20 = .5, 20/20 = 1, 40/20 = 2 -> cap 1.2
    method = {"type": "benchmark", "benchmark": 25, "factor": 0.8, "cap": 1.2}
    assert points(score, method, [10, 20, 40]) == pytest.approx([5, 10, 12])


def test_benchmark_factor_times_mean(score):
    # B = 1.2 x mean(10, 20, 30) = 24: 10/24, 20/24, 30/24
    method = {"type": "benchmark", "benchmark": "mean", "factor": 1.2}
    assert points(score, method, [10, 20, 30]) == pytest.approx([100 / 24, 200 / 24, 300 / 24])


def test_benchmark_lower_form(score):
    # lower is better: max(0, 2 - x / B), B = mean(10, 20, 30, 60) = 30
    # 2 - 1/3 = 5/3, 2 - 2/3 = 4/3, 2 - 1 = 1, 2 - 2 = 0
    assert points(score, {"type": "benchmark"}, [10, 20, 30, 60], direction="lower") == \
        pytest.approx([50 / 3, 40 / 3, 10, 0])


def test_benchmark_lower_form_never_negative(score):
    # B = 10: 2 - 35/10 = -1.5 -> 0
    assert points(score, {"type": "benchmark", "benchmark": 10}, [5, 35], direction="lower") == \
        pytest.approx([15, 0])


def test_benchmark_zero_is_an_error(score):
    with pytest.raises(ScoringError, match="benchmark must be positive"):
        points(score, {"type": "benchmark"}, [0, 0, 0])


# --- target --------------------------------------------------------------------------------

def test_target_constant_with_cap(score):
    # 10/50 = .2, 50/50 = 1, 60/50 = 1.2 -> cap 1.1
    assert points(score, {"type": "target", "target": 50, "cap": 1.1}, [10, 50, 60]) == pytest.approx([2, 10, 11])


def test_target_below_target_zero(score):
    # missing the target scores 0; meeting it scores x / target (no cap)
    method = {"type": "target", "target": 50, "below_target_zero": True}
    assert points(score, method, [10, 49.9, 50, 60]) == pytest.approx([0, 0, 10, 12])


def test_target_column_per_unit(score):
    # each unit has its own target: 30/60 = .5, 80/40 = 2 -> cap 1.2, 45/45 = 1
    method = {"type": "target", "target": "goal", "cap": 1.2}
    assert points(score, method, {"x": [30, 80, 45], "goal": [60, 40, 45]}, inputs={"x": {}, "goal": {}}) == \
        pytest.approx([5, 12, 10])


def test_target_expression(score):
    # target = 1.1 x last year's value: 110/110 = 1, 55/110 = .5
    method = {"type": "target", "target": "prev * 1.1"}
    assert points(score, method, {"x": [110, 55], "prev": [100, 100]}, inputs={"x": {}, "prev": {}}) == \
        pytest.approx([10, 5])


def test_target_column_below_target_zero(score):
    method = {"type": "target", "target": "goal", "below_target_zero": True}
    # 30 < 60 -> 0; 80 >= 40 -> 2; 45 >= 45 -> 1
    assert points(score, method, {"x": [30, 80, 45], "goal": [60, 40, 45]}, inputs={"x": {}, "goal": {}}) == \
        pytest.approx([0, 20, 10])


def test_target_column_zero_or_missing_counts_as_missing_value(score):
    # a unit without a positive target of its own cannot be scored: its value counts as missing
    # and the indicator's missing policy decides (here zero); 50 / 100 = .5 for U1
    method = {"type": "target", "target": "goal"}
    result = points(score, method, {"x": [50, 80, 90], "goal": [100, 0, None]}, inputs={"x": {}, "goal": {}},
                    missing="zero")
    assert result == pytest.approx([5, 0, 0])


def test_target_column_zero_without_policy_names_the_unit(score):
    with pytest.raises(ScoringError) as info:
        points(score, {"type": "target", "target": "goal"}, {"x": [50, 80], "goal": [100, 0]},
               inputs={"x": {}, "goal": {}})
    assert "unit U2" in str(info.value) and "unit U1" not in str(info.value)


def test_constant_target_zero_is_an_error(score):
    with pytest.raises(ScoringError, match="target must be positive"):
        points(score, {"type": "target", "target": 0}, [1, 2])


def test_target_lower_is_better(score):
    # max(0, 2 - x / 50): 1.8, 1, 0.4, 0
    assert points(score, {"type": "target", "target": 50}, [10, 50, 80, 120], direction="lower") == \
        pytest.approx([18, 10, 4, 0])


# --- rank --------------------------------------------------------------------------------

def test_rank_linear(score):
    # 4 units: ranks 4, 3, 2, 1 -> 1 - (r-1)/3
    assert points(score, "rank", [10, 20, 30, 60], weight=15) == pytest.approx([0, 5, 10, 15])


def test_rank_linear_with_floor_and_ties(score):
    # floor 0.5; ranks (shared best): 60 -> 1, 20, 20 -> 2, 10 -> 4; f = 1 - 0.5 (r - 1) / 3
    # r=2: 1 - 0.5/3 = 5/6 -> 8.333; r=4: 0.5 -> 5
    assert points(score, {"type": "rank", "floor": 0.5}, [10, 20, 20, 60]) == \
        pytest.approx([5, 25 / 3, 25 / 3, 10])


def test_rank_step_form(score):
    # step 1 point per place below first: 10 - (r - 1): ranks 4,3,2,1 -> 7, 8, 9, 10
    assert points(score, {"type": "rank", "step": 1}, [10, 20, 30, 60]) == pytest.approx([7, 8, 9, 10])


def test_rank_step_never_below_zero(score):
    # step 4 on weight 10: ranks 1..4 -> 10, 6, 2, max(0, -2) = 0
    assert points(score, {"type": "rank", "step": 4}, [60, 30, 20, 10]) == pytest.approx([10, 6, 2, 0])


def test_rank_lower_is_better(score):
    # lowest value ranks first: 10 -> 1, 20 -> 2, 40 -> 3: 1 - (r-1)/2
    assert points(score, "rank", [10, 20, 40], direction="lower") == pytest.approx([10, 5, 0])


# --- bands --------------------------------------------------------------------------------

def test_bands_first_matching_band_wins(score):
    method = {"type": "bands", "bands": [{"at_least": 30, "fraction": 1.0},
                                         {"at_least": 15, "points": 6},
                                         {"fraction": 0.25}]}
    # 40, 30 -> 1; 29, 15 -> 6 points; 1 -> 0.25 x 10
    assert points(score, method, [40, 30, 29, 15, 1]) == pytest.approx([10, 10, 6, 6, 2.5])


def test_bands_with_at_most_and_no_match(score):
    method = {"type": "bands", "bands": [{"at_most": 5, "fraction": 1.0},
                                         {"at_least": 5, "at_most": 10, "fraction": 0.5}]}
    # 3, 5 -> first band; 7 -> second; 11 -> no band -> 0
    assert points(score, method, [3, 5, 7, 11]) == pytest.approx([10, 10, 5, 0])


# --- goalposts --------------------------------------------------------------------------------

def test_goalposts_linear(score):
    # (x - 10) / (60 - 10), clipped to [0, 1]: 5 -> 0, 10 -> 0, 35 -> .5, 60 -> 1, 80 -> 1
    assert points(score, {"type": "goalposts", "lo": 10, "hi": 60}, [5, 10, 35, 60, 80]) == \
        pytest.approx([0, 0, 5, 10, 10])


def test_goalposts_lower_is_better(score):
    # (60 - x) / 50: 10 -> 1, 35 -> .5, 70 -> 0
    assert points(score, {"type": "goalposts", "lo": 10, "hi": 60}, [10, 35, 70], direction="lower") == \
        pytest.approx([10, 5, 0])


def test_goalposts_log(score):
    # log10 scale between 1 and 1000: log10(10)/3 = 1/3, log10(100)/3 = 2/3; 5000 -> 1; 0.5 and 0 -> 0
    method = {"type": "goalposts", "lo": 1, "hi": 1000, "log": True}
    assert points(score, method, [0.5, 10, 100, 5000, 0]) == pytest.approx([0, 10 / 3, 20 / 3, 10, 0])


# --- percentile and zscore ------------------------------------------------------------------

def test_percentile(score):
    # ascending average ranks 1, 2.5, 2.5, 4 -> (r - 1) / 3 = 0, .5, .5, 1
    assert points(score, "percentile", [10, 20, 20, 60]) == pytest.approx([0, 5, 5, 10])


def test_percentile_lower_is_better(score):
    # reversed: 10 is best -> 1, 20 -> .5, 30 -> 0
    assert points(score, "percentile", [10, 20, 30], direction="lower") == pytest.approx([10, 5, 0])


def test_zscore(score):
    # mean 20, population std sqrt(200/3) = 8.1650; z = -1.2247, 0, 1.2247
    # fraction (z + 3) / 6: 0.29588, 0.5, 0.70412
    z = 10 / math.sqrt(200 / 3)
    assert points(score, "zscore", [10, 20, 30]) == pytest.approx([10 * (3 - z) / 6, 5, 10 * (3 + z) / 6])


def test_zscore_spread_and_clip(score):
    # spread 1: values 0, 0, 0, 10 -> mean 2.5, std sqrt((3 x 6.25 + 56.25)/4) = sqrt(18.75)
    # z = -2.5/4.3301 = -0.57735 -> (z + 1)/2 = 0.21132; z = 7.5/4.3301 = 1.7320 -> clipped to 1
    z_low = -2.5 / math.sqrt(18.75)
    expected = [10 * (z_low + 1) / 2] * 3 + [10]
    assert points(score, {"type": "zscore", "spread": 1}, [0, 0, 0, 10]) == pytest.approx(expected)


# --- formula ----------------------------------------------------------------------------------

COUNTY_AVERAGE = ("if(value >= mean(value), 10 + (value - mean(value)) / 4, "
                  "10 - (mean(value) - value) / 3)")


def test_formula_county_average_rule(score):
    # "average growth earns 10, +1 per 4 points above, -1 per 3 points below"
    # growths 5, 20, 35, 20: mean 20 -> 5: 10 - 15/3 = 5; 20: 10; 35: 10 + 15/4 = 13.75
    method = {"type": "formula", "points": COUNTY_AVERAGE}
    assert points(score, method, [5, 20, 35, 20], weight=15) == pytest.approx([5, 10, 13.75, 10])


def test_formula_min_max_points(score):
    # 2x clipped to [1, 8]: 0 -> 1, 3 -> 6, 5 -> 8
    method = {"type": "formula", "points": "value * 2", "min_points": 1, "max_points": 8}
    assert points(score, method, [0, 3, 5]) == pytest.approx([1, 6, 8])


def test_formula_without_value(score):
    # a formula indicator need not have a value: points = 2 x a + b
    rules = rule_doc([{"id": "s", "weight": 10, "method": {"type": "formula", "points": "2 * a + b"}}],
                     inputs={"a": {}, "b": {}})
    result = score(rules, units({"a": [1, 3], "b": [1, 0.5]}))
    assert result.tree.points["s"].tolist() == pytest.approx([3, 6.5])


# --- peer groups ----------------------------------------------------------------------------

def test_group_by_minmax(score):
    # group A: 10, 20, 30 -> 0, .5, 1; group B: 5, 15 -> 0, 1
    rows = {"x": [10, 20, 30, 5, 15], "g": ["A", "A", "A", "B", "B"]}
    assert points(score, "minmax", rows, inputs={"x": {}, "g": {"type": "text"}}, group_by="g") == \
        pytest.approx([0, 5, 10, 0, 10])


def test_group_by_benchmark_mean(score):
    # A mean 20 -> 10/20, 30/20; B mean 5 -> 5/5
    rows = {"x": [10, 30, 5], "g": ["A", "A", "B"]}
    assert points(score, "benchmark", rows, inputs={"x": {}, "g": {"type": "text"}}, group_by="g") == \
        pytest.approx([5, 15, 10])


def test_group_by_rank(score):
    # ranks within each group; each group has 2 units -> 1 or 0
    rows = {"x": [10, 30, 50, 5], "g": ["A", "A", "B", "B"]}
    assert points(score, "rank", rows, inputs={"x": {}, "g": {"type": "text"}}, group_by="g") == \
        pytest.approx([0, 10, 10, 0])


def test_group_by_numeric_column(score):
    # a numeric grouping column works too (grouped by value)
    rows = {"x": [10, 30, 50, 5], "g": [1, 1, 2, 2]}
    assert points(score, "percentile", rows, inputs={"x": {}, "g": {}}, group_by="g") == \
        pytest.approx([0, 10, 10, 0])


# --- missing-value policies ---------------------------------------------------------------------

def test_missing_error_names_every_affected_unit(score):
    with pytest.raises(ScoringError) as info:
        points(score, "minmax", [10, None, 40, None, 20])
    text = str(info.value)
    assert "2 missing value(s)" in text
    assert "unit U2" in text and "unit U4" in text
    assert "unit U1" not in text and "unit U3" not in text
    assert all(p.field.startswith("s") for p in info.value.problems)


def test_missing_error_reports_all_indicators_together(score):
    rules = rule_doc([indicator("s", "x", "minmax"), indicator("t", "y", "minmax")], inputs={"x": {}, "y": {}})
    with pytest.raises(ScoringError) as info:
        score(rules, units({"x": [1, None, 3], "y": [None, 2, 3]}))
    found = sorted((p.field.split()[0], p.found) for p in info.value.problems)
    assert found == [("s", "unit U2"), ("t", "unit U1")]


def test_missing_zero(score):
    # minmax over 10, 40, 20: 0, 10, 10/3; the missing unit gets 0
    assert points(score, "minmax", [10, None, 40, 20], missing="zero") == pytest.approx([0, 0, 10, 10 / 3])


def test_missing_mean(score):
    # present fractions 0, 1, 1/3 -> mean 4/9 -> 4.444
    assert points(score, "minmax", [10, None, 40, 20], missing="mean") == pytest.approx([0, 40 / 9, 10, 10 / 3])


def test_missing_lowest(score):
    # floor 0.5: present fractions .5, 1, .5 + .5/3 -> lowest .5 -> 5 points
    method = {"type": "minmax", "floor": 0.5}
    assert points(score, method, [10, None, 40, 20], missing="lowest") == pytest.approx([5, 5, 10, 5 + 5 / 3])


def test_missing_fallback_expression(score):
    # growth on a zero base is undefined -> fallback clip(x / goal, 0, 1) x 16 = 30/40 x 16 = 12 points
    rules = rule_doc([indicator("s", "growth(x, prev)", {"type": "minmax", "floor": 0.6}, weight=20,
                                missing={"policy": "fallback", "fallback": "clip(x / goal, 0, 1) * 16"})],
                     inputs={"x": {}, "prev": {}, "goal": {}})
    result = score(rules, units({"x": [110, 120, 30], "prev": [100, 100, 0], "goal": [100, 100, 40]}))
    # growths 10, 20 -> minmax floor .6: 12, 20
    assert result.tree.points["s"].tolist() == pytest.approx([12, 20, 12])
    assert result.tree.missing["s"].tolist() == [False, False, True]


GROUPED = {"x": [50, 100, None, 20, 40, None], "g": ["A", "A", "A", "B", "B", "B"]}


def test_missing_mean_within_peer_group(score):
    # target 100: group A fractions .5, 1 -> mean .75; group B .2, .4 -> mean .3
    pts = points(score, {"type": "target", "target": 100}, GROUPED, inputs={"x": {}, "g": {"type": "text"}},
                 group_by="g", missing="mean")
    assert pts == pytest.approx([5, 10, 7.5, 2, 4, 3])


def test_missing_lowest_within_peer_group(score):
    # lowest fraction within A is .5, within B .2
    pts = points(score, {"type": "target", "target": 100}, GROUPED, inputs={"x": {}, "g": {"type": "text"}},
                 group_by="g", missing="lowest")
    assert pts == pytest.approx([5, 10, 5, 2, 4, 2])


def test_missing_mean_group_without_values_uses_everyone(score):
    # group C has no value at all: it gets the mean over all units (.5 + 1 + .2) / 3 = 17/30
    rows = {"x": [50, 100, 20, None], "g": ["A", "A", "B", "C"]}
    pts = points(score, {"type": "target", "target": 100}, rows, inputs={"x": {}, "g": {"type": "text"}},
                 group_by="g", missing="mean")
    assert pts == pytest.approx([5, 10, 2, 17 / 3])


def test_missing_fallback_peer_stats_within_group(score):
    # fallback points = mean(y) / 10 of the unit's group: A mean(10, 20, 30) = 20 -> 2; B mean(40, 60, 80) -> 6
    rows = dict(GROUPED, y=[10, 20, 30, 40, 60, 80])
    pts = points(score, {"type": "target", "target": 100}, rows, inputs={"x": {}, "y": {}, "g": {"type": "text"}},
                 group_by="g", missing={"policy": "fallback", "fallback": "mean(y) / 10"})
    assert pts == pytest.approx([5, 10, 2, 2, 4, 6])


def test_missing_policy_applies_to_empty_cell_in_percentile(score):
    # the missing unit does not take part in the percentile: 10 -> 0, 30 -> 1; missing -> zero
    assert points(score, "percentile", [10, None, 30], missing="zero") == pytest.approx([0, 0, 10])


# --- aggregation ------------------------------------------------------------------------------

def _tree(aggregate_group, aggregate_top):
    t = {"type": "target", "target": 100}
    return rule_doc([
        {"id": "g1", "weight": 60, "aggregate": aggregate_group, "children": [
            indicator("a", "xa", t, weight=20),
            {"id": "sub", "weight": 40, "children": [indicator("b", "xb", t, weight=10),
                                                     indicator("c", "xc", t, weight=30)]}]},
        indicator("d", "xd", t, weight=40),
    ], aggregate=aggregate_top)


TREE_DATA = {"xa": [50, 100, 0], "xb": [100, 20, 100], "xc": [40, 100, 100], "xd": [100, 50, 100]}


def test_arithmetic_three_levels_points_add_up(score):
    result = score(_tree("arithmetic", "arithmetic"), units(TREE_DATA))
    p = result.tree.points
    # U1: a = .5 x 20 = 10; b = 10, c = .4 x 30 = 12 -> sub = 22 (weights 10 + 30 = 40 = sub's weight)
    #     g1 = 10 + 22 = 32; d = 40; total = 72
    assert p.loc["U1", ["a", "b", "c", "sub", "g1", "d"]].tolist() == pytest.approx([10, 10, 12, 22, 32, 40])
    # U2: a 20; b 2, c 30 -> sub 32; g1 52; d 20; total 72
    # U3: a 0; sub 40; g1 40; d 40; total 80
    assert result.tree.base_total.tolist() == pytest.approx([72, 72, 80])
    # group points = sum of children points when the children's weights sum to the group's weight
    for unit in result.index:
        assert p.at[unit, "sub"] == pytest.approx(p.at[unit, "b"] + p.at[unit, "c"])
        assert p.at[unit, "g1"] == pytest.approx(p.at[unit, "a"] + p.at[unit, "sub"])
        assert result.tree.base_total[unit] == pytest.approx(p.at[unit, "g1"] + p.at[unit, "d"])


def test_arithmetic_group_weights_not_summing_rescale(score):
    # children weights 1 and 3 inside a group of weight 20: group fraction = (1 x .5 + 3 x 1) / 4 = .875
    t = {"type": "target", "target": 100}
    rules = rule_doc([{"id": "g", "weight": 20, "children": [indicator("a", "xa", t, weight=1),
                                                             indicator("b", "xb", t, weight=3)]}])
    result = score(rules, units({"xa": [50], "xb": [100]}))
    assert result.tree.points.at["U1", "g"] == pytest.approx(17.5)
    assert result.tree.base_total["U1"] == pytest.approx(17.5)


def test_geometric_group(score):
    result = score(_tree("geometric", "arithmetic"), units(TREE_DATA))
    p = result.tree.points
    # U1: g1 = .5^(20/60) x .55^(40/60) (sub fraction 22/40 = .55) -> x 60
    g1_u1 = 0.5 ** (1 / 3) * 0.55 ** (2 / 3) * 60
    # U2: a fraction 1, sub .8 -> .8^(2/3) x 60
    g1_u2 = 0.8 ** (2 / 3) * 60
    # U3: a fraction 0 -> geometric mean 0
    assert p["g1"].tolist() == pytest.approx([g1_u1, g1_u2, 0])
    assert g1_u1 == pytest.approx(31.968067, abs=1e-6)  # hand check of the formula above
    assert result.tree.base_total.tolist() == pytest.approx([g1_u1 + 40, g1_u2 + 20, 40])


def test_geometric_top_level(score):
    result = score(_tree("arithmetic", "geometric"), units(TREE_DATA))
    # top: g1 (w 60) and d (w 40); fractions U1 32/60 and 1 -> (32/60)^(.6) x 1^(.4) x 100
    # U2: (52/60)^.6 x .5^.4 x 100; U3: (40/60)^.6 x 1 x 100
    expected = [(32 / 60) ** 0.6 * 100, (52 / 60) ** 0.6 * 0.5 ** 0.4 * 100, (40 / 60) ** 0.6 * 100]
    assert result.tree.base_total.tolist() == pytest.approx(expected)


def test_geometric_never_exceeds_arithmetic(score):
    arith = score(_tree("arithmetic", "arithmetic"), units(TREE_DATA)).tree.base_total
    geo = score(_tree("geometric", "geometric"), units(TREE_DATA)).tree.base_total
    assert all(g <= a + 1e-9 for g, a in zip(geo, arith))


def test_full_score_is_sum_of_top_weights(score):
    result = score(_tree("arithmetic", "arithmetic"), units(TREE_DATA))
    assert result.assessment.spec.full_score == 100.0
