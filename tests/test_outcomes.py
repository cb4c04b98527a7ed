"""Ranking and outcomes: top/bottom N, percentage classes with rounding, thresholds, ties.

Base totals equal column ``x`` (one indicator of weight 100, target 100), so every total
below is simply the ``x`` given.
"""
from __future__ import annotations

import pytest

from scoring.errors import DataError

from conftest import indicator, rule_doc, units

BASE = [indicator("s", "x", {"type": "target", "target": 100}, weight=100)]


def doc(outcomes, **extra):
    extra.setdefault("inputs", {"x": {}})
    return rule_doc(BASE, outcomes=outcomes, **extra)


def members(result, outcome_id) -> list[str]:
    """Units with ``outcome_id`` in rank order."""
    return [u for u in result.ranking.order if result.ranking.outcome[u] == outcome_id]


TEN = list(range(100, 0, -10))  # 100, 90, ..., 10 -> U1 best, U10 worst


def test_top_and_bottom_n(score):
    result = score(doc([{"id": "commended", "top": 3}, {"id": "warned", "bottom": 2}]), units({"x": TEN}))
    assert members(result, "commended") == ["U1", "U2", "U3"]
    assert members(result, "warned") == ["U9", "U10"]
    assert result.outcome_counts() == {"commended": 3, "warned": 2}
    assert [result.ranking.outcome[u] for u in ["U4", "U5", "U6", "U7", "U8"]] == [None] * 5


def test_ranking_order_and_positions(score):
    result = score(doc([]), units({"x": [30, 90, 60]}))
    assert result.ranking.order == ["U2", "U3", "U1"]
    assert result.ranking.position.to_dict() == {"U1": 3, "U2": 1, "U3": 2}
    table = result.table()
    assert table["id"].tolist() == ["U2", "U3", "U1"]
    assert table["rank"].tolist() == [1, 2, 3]


CLASSES = [(25, "A"), (70, "B"), (95, "C")]


def class_doc(rounding):
    outcomes = [{"id": name, "top_percent": pct, "rounding": rounding} for pct, name in CLASSES]
    return doc(outcomes + [{"id": "D", "rest": True}])


def test_classes_round_half_up(score):
    # 10 units, cumulative shares: A = round(2.5) = 3 (half up, not banker's 2);
    # A+B = round(7.0) = 7 -> B 4; A+B+C = round(9.5) = 10 -> C 3; D = rest = 0
    result = score(class_doc("round"), units({"x": TEN}))
    assert result.outcome_counts() == {"A": 3, "B": 4, "C": 3, "D": 0}
    assert members(result, "A") == ["U1", "U2", "U3"]
    assert members(result, "C") == ["U8", "U9", "U10"]


def test_classes_floor(score):
    # floor: A = 2; A+B = 7 -> B 5; A+B+C = floor(9.5) = 9 -> C 2; D 1
    result = score(class_doc("floor"), units({"x": TEN}))
    assert result.outcome_counts() == {"A": 2, "B": 5, "C": 2, "D": 1}
    assert members(result, "D") == ["U10"]


def test_classes_ceil(score):
    # ceil: A = 3; A+B = 7 (exact, not 8) -> B 4; A+B+C = 10 -> C 3; D 0
    result = score(class_doc("ceil"), units({"x": TEN}))
    assert result.outcome_counts() == {"A": 3, "B": 4, "C": 3, "D": 0}


def test_classes_seven_units(score):
    # 7 units: A round(1.75) = 2; A+B round(4.9) = 5 -> 3; A+B+C round(6.65) = 7 -> 2; D 0
    result = score(class_doc("round"), units({"x": [70, 60, 50, 40, 30, 20, 10]}))
    assert result.outcome_counts() == {"A": 2, "B": 3, "C": 2, "D": 0}


def test_classes_38_units(score):
    # 38 units: A round(9.5) = 10; A+B round(26.6) = 27 -> 17; A+B+C round(36.1) = 36 -> 9; D 2
    result = score(class_doc("round"), units({"x": list(range(380, 0, -10))}))
    assert result.outcome_counts() == {"A": 10, "B": 17, "C": 9, "D": 2}
    assert members(result, "D") == ["U37", "U38"]


def test_forced_unit_counts_toward_its_percent_class(score):
    # 10 units, U1 forced into B: A = round(2.5) = 3 -> U2, U3, U4; A+B = 7 -> B has U1 + 3 more
    rules = class_doc("round")
    rules["inputs"] = {"x": {}, "f": {}}
    rules["adjustments"] = [{"id": "f", "when": "f == 1", "action": "force", "outcome": "B"}]
    result = score(rules, units({"x": TEN, "f": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]}))
    assert members(result, "A") == ["U2", "U3", "U4"]
    assert members(result, "B") == ["U1", "U5", "U6", "U7"]
    assert result.outcome_counts() == {"A": 3, "B": 4, "C": 3, "D": 0}


def test_classes_exempt_units_not_counted(score):
    # 10 units, 2 exempt -> 8 classified: A round(2) = 2; A+B round(5.6) = 6 -> 4; A+B+C round(7.6) = 8 -> 2
    rules = class_doc("round")
    rules["inputs"] = {"x": {}, "new": {}}
    rules["adjustments"] = [{"id": "young", "when": "new == 1", "action": "exempt"}]
    result = score(rules, units({"x": TEN, "new": [1, 0, 0, 0, 0, 1, 0, 0, 0, 0]}))
    assert result.outcome_counts() == {"A": 2, "B": 4, "C": 2, "D": 0}
    assert members(result, "A") == ["U2", "U3"]  # U1 is exempt
    assert result.ranking.outcome["U1"] is None and result.ranking.outcome["U6"] is None


def test_bottom_percent(score):
    # 10 units, bottom 15% rounded half up: round(1.5) = 2; floor -> 1
    result = score(doc([{"id": "low", "bottom_percent": 15}]), units({"x": TEN}))
    assert members(result, "low") == ["U9", "U10"]
    result = score(doc([{"id": "low", "bottom_percent": 15, "rounding": "floor"}]), units({"x": TEN}))
    assert members(result, "low") == ["U10"]


def test_thresholds_min_total_and_max_total(score):
    outcomes = [{"id": "good", "min_total": 70}, {"id": "bad", "max_total": 40}, {"id": "mid", "rest": True}]
    result = score(doc(outcomes), units({"x": [90, 70, 69.99, 40, 40.01, 10]}))
    assert members(result, "good") == ["U1", "U2"]  # 70 itself is in
    assert sorted(members(result, "bad")) == ["U4", "U6"]  # 40 itself is in, 40.01 not
    assert sorted(members(result, "mid")) == ["U3", "U5"]


def test_thresholds_compare_displayed_totals(score):
    # precision 2: 69.996 is shown as 70.00 and qualifies for min_total 70
    result = score(doc([{"id": "good", "min_total": 70}]), units({"x": [69.996, 69.994]}))
    assert members(result, "good") == ["U1"]


def test_outcomes_take_units_in_list_order(score):
    # a threshold outcome listed first takes its units before 'top'
    outcomes = [{"id": "excellent", "min_total": 85}, {"id": "top", "top": 2}]
    result = score(doc(outcomes), units({"x": [90, 88, 80, 70, 60]}))
    assert members(result, "excellent") == ["U1", "U2"]
    assert members(result, "top") == ["U3", "U4"]


# --- ties -----------------------------------------------------------------------------------

def test_shared_display_rank_competition_ranking(score):
    # totals 90, 80, 80, 70 -> 1, 2, 2, 4 (并列)
    result = score(doc([]), units({"x": [90, 80, 80, 70]}))
    assert result.table()["rank"].tolist() == [1, 2, 2, 4]
    assert result.table()["position"].tolist() == [1, 2, 3, 4]


def test_display_rank_uses_displayed_totals(score):
    # precision 2: 80.001 and 80.004 both show as 80.00 -> tie; 79.996 also shows 80.00
    result = score(doc([]), units({"x": [80.004, 80.001, 79.996, 79.9]}))
    assert result.table()["rank"].tolist() == [1, 1, 1, 4]


def test_displayed_totals_round_half_up(score):
    # 四舍五入: 86.125 shows as 86.13 (not banker's 86.12) and ties with 86.13
    from scoring.report.render import render_run

    result = score(doc([]), units({"x": [86.125, 86.13, 86.135]}))
    assert result.table()["rank"].tolist() == [1, 2, 2]  # 86.14, 86.13, 86.13
    csv_rows = render_run(result, "csv").splitlines()[1:]
    assert [row.split(",")[-2] for row in csv_rows] == ["86.14", "86.13", "86.13"]


def test_tie_break_chain_total_then_indicator_then_id(score):
    t = {"type": "target", "target": 100}
    rules = rule_doc([indicator("s", "x", t, weight=50), indicator("t", "y", t, weight=50)],
                     tie_break=["total", {"by": "t", "order": "desc"}, "id"])
    # totals: all 70 except U5 = 50. t points: U1 25 ... ; U6 and U7 tie on t too -> by id
    data = units({"x": [80, 90, 70, 60, 100, 70, 70], "y": [60, 50, 70, 80, 0, 70, 70]},
                 ids=["U3", "U1", "U2", "U4", "U5", "U7", "U6"])
    result = score(rules, data)
    # t points: U3 30, U1 25, U2 35, U4 40, U7 35, U6 35 -> U4 (40), then U2, U6, U7 (35, by id), U3, U1
    assert result.ranking.order == ["U4", "U2", "U6", "U7", "U3", "U1", "U5"]
    assert result.table()["rank"].tolist() == [1, 1, 1, 1, 1, 1, 7]


def test_tie_break_ascending_indicator_and_name(score):
    t = {"type": "target", "target": 100}
    rules = rule_doc([indicator("s", "x", t, weight=50), indicator("t", "y", t, weight=50)],
                     tie_break=["total", {"by": "t", "order": "asc"}, "name"])
    data = units({"x": [80, 60, 70, 70], "y": [60, 80, 70, 70]}, names=["d", "c", "b", "a"])
    result = score(rules, data)
    # all totals 70; t ascending: U1 (30), U3/U4 (35 -> by name: a (U4), b (U3)), U2 (40)
    assert result.ranking.order == ["U1", "U4", "U3", "U2"]


def test_tie_break_by_id_when_totals_equal(score):
    result = score(doc([{"id": "top", "top": 1}]), units({"x": [50, 50, 50]}, ids=["B", "C", "A"]))
    assert result.ranking.order == ["A", "B", "C"]
    assert members(result, "top") == ["A"]


def test_rule_file_without_tie_break_uses_total_then_id(score):
    rules = doc([{"id": "top", "top": 1}])
    assert "tie_break" not in rules
    result = score(rules, units({"x": [50, 50, 60]}, ids=["B", "A", "C"]))
    assert result.ranking.order == ["C", "A", "B"]


def test_boundary_tie_at_top_n(score):
    result = score(doc([{"id": "top", "top": 2}]), units({"x": [90, 80, 80, 80, 70]}))
    assert members(result, "top") == ["U1", "U2"]
    ties = result.ranking.boundary_ties
    assert len(ties) == 1
    assert ties[0].outcome == "top" and ties[0].total == 80
    assert ties[0].inside == ("U2",) and ties[0].outside == ("U3", "U4")


def test_boundary_tie_at_bottom_n(score):
    result = score(doc([{"id": "low", "bottom": 2}]), units({"x": [90, 70, 60, 60, 60]}))
    assert members(result, "low") == ["U4", "U5"]
    (tie,) = result.ranking.boundary_ties
    assert (tie.outcome, tie.total, tie.inside, tie.outside) == ("low", 60, ("U4", "U5"), ("U3",))


def test_no_boundary_tie_when_line_is_clear(score):
    result = score(doc([{"id": "top", "top": 2}, {"id": "low", "bottom": 1}]), units({"x": [90, 80, 80, 70, 60]}))
    # top 2 = U1, U2 and U3 also has 80 -> a tie at the top line; the bottom line (60 vs 70) is clear
    assert [t.outcome for t in result.ranking.boundary_ties] == ["top"]
    result = score(doc([{"id": "top", "top": 3}]), units({"x": [90, 80, 80, 70, 60]}))
    assert result.ranking.boundary_ties == []


def test_boundary_tie_shown_in_output(score):
    from scoring.report.render import render_json, render_run

    result = score(doc([{"id": "top", "label": "Commended", "top": 1}]), units({"x": [80, 80]}))
    text = render_run(result, "table")
    assert "Tie at boundary: Commended 80.00: U1 N1 | U2 N2" in text
    import json
    document = json.loads(render_json(result))
    assert document["summary"]["boundary_ties"] == [{"outcome": "top", "total": 80.0, "inside": ["U1"],
                                                     "outside": ["U2"]}]


# --- impossible requests --------------------------------------------------------------------

def test_outcome_asking_for_more_units_than_exist_is_data_error(score):
    with pytest.raises(DataError) as info:
        score(doc([{"id": "top", "top": 4}]), units({"x": [1, 2, 3]}))
    problem = info.value.problems[0]
    assert "outcome 'top' asks for 4 units but the data has 3" in problem.message
    assert problem.field == "outcomes.0"
    assert problem.found == "4" and problem.expected == "at most 3"
    assert problem.line is not None and problem.file.endswith(".yaml")


def test_bottom_asking_for_more_units_than_exist_is_data_error(score):
    with pytest.raises(DataError, match="outcome 'low' asks for 9 units but the data has 2"):
        score(doc([{"id": "top", "top": 1}, {"id": "low", "bottom": 9}]), units({"x": [1, 2]}))


def test_outcome_for_exactly_all_units(score):
    result = score(doc([{"id": "all", "top": 3}]), units({"x": [1, 2, 3]}))
    assert result.outcome_counts() == {"all": 3}


def test_shortfall_of_eligible_units_is_noted(score):
    # 3 units, top 2 and bottom 2: after the top takes 2 only 1 is left for the bottom
    result = score(doc([{"id": "top", "top": 2}, {"id": "low", "bottom": 2}]), units({"x": [3, 2, 1]}))
    assert result.outcome_counts() == {"top": 2, "low": 1}
    assert result.ranking.notes == ["outcome 'low' wanted 2 unit(s) but only 1 were eligible"]
