"""Undefined numbers (division by zero …) never become a bonus, a factor, a fallback or a total.

Hand-computed: one indicator 's' of weight 100 with ``target: 100`` on column ``x``, so a unit's
base total equals its ``x``.
"""
from __future__ import annotations

import numpy as np
import pytest

from conftest import indicator, rule_doc, units
from scoring.engine.draws import draw_scenarios, evaluate_draws, prepare
from scoring.errors import ScoringError

BASE = [indicator("s", "x", {"type": "target", "target": 100}, weight=100)]


def doc(adjustments, inputs=("x", "a", "b"), **extra):
    return rule_doc(BASE, inputs={name: {} for name in inputs}, adjustments=adjustments, **extra)


DATA = {"x": [50, 60, 70], "a": [1, 2, 3], "b": [1, 0, 2]}


def test_points_divided_by_zero_where_the_rule_fires_are_an_error(score):
    rules = doc([{"id": "ratio", "when": "a > 0", "action": "bonus", "points": "a / b", "max": 5}])
    with pytest.raises(ScoringError) as caught:
        score(rules, units(DATA))
    problem = caught.value.problems[0]
    assert caught.value.summary == "The points of rule 'ratio' are undefined for 1 unit(s)"
    assert problem.field == "adjustments.ratio.points"
    assert problem.message.startswith("undefined for unit(s) U2 (division by zero")
    assert problem.found == "'a / b'"
    assert problem.line is not None


def test_points_undefined_where_the_rule_does_not_fire_are_harmless(score):
    rules = doc([{"id": "ratio", "when": "b > 0", "action": "bonus", "points": "a / b", "max": 5}])
    result = score(rules, units(DATA))
    assert result.total.tolist() == pytest.approx([51, 60, 71.5])


def test_factor_divided_by_zero_is_an_error_not_a_huge_total(score):
    rules = doc([{"id": "f", "when": "a > 0", "action": "multiply", "factor": "1 + a / b / 100"}])
    with pytest.raises(ScoringError) as caught:
        score(rules, units(DATA))
    assert caught.value.problems[0].field == "adjustments.f.factor"


def test_condition_dividing_by_zero_is_false(score):
    rules = doc([{"id": "f", "when": "a / b", "action": "flag"}, {"id": "g", "when": "not (a / b > 1)",
                                                                  "action": "flag"}])
    result = score(rules, units(DATA))
    assert result.adjustments.fired["f"].tolist() == [True, False, True]
    assert result.adjustments.fired["g"].tolist() == [True, False, False]


def test_undefined_fallback_is_reported_not_zero(score):
    node = indicator("g", "growth(x, b)", "minmax", weight=100,
                     missing={"policy": "fallback", "fallback": "a / (b * 0)"})
    with pytest.raises(ScoringError) as caught:
        score(rule_doc([node], inputs={"x": {}, "a": {}, "b": {}}), units(DATA))
    problem = caught.value.problems[0]
    assert problem.found == "unit U2: a / (b * 0)"
    assert problem.message.startswith("the fallback is undefined for this unit")


def test_formula_dividing_by_zero_follows_the_missing_policy(score):
    node = indicator("f", None, {"type": "formula", "points": "a / b * 10"}, weight=100,
                     missing={"policy": "zero"})
    node.pop("value")
    result = score(rule_doc([node], inputs={"x": {}, "a": {}, "b": {}}), units(DATA))
    assert result.total.tolist() == pytest.approx([10, 0, 15])
    assert np.isfinite(result.total.to_numpy()).all()


def test_robustness_draws_apply_the_same_policy(score):
    rules = doc([{"id": "ratio", "when": "total > 55", "action": "bonus", "points": "a / b"}])
    nominal = score(rules, units({"x": [50, 60, 70], "a": [1, 2, 3], "b": [1, 1, 2]}))
    model = prepare(nominal)
    scenarios = draw_scenarios(model, 50, 1)
    draws = evaluate_draws(model, scenarios.weights, scenarios.methods)
    assert np.isfinite(draws.total).all()
    bad = score(doc([{"id": "ratio", "when": "total > 0", "action": "bonus", "points": "a / (b - 1)"}]),
                units({"x": [50, 60, 70], "a": [1, 2, 3], "b": [2, 3, 4]}))
    model = prepare(bad)
    model.amounts["ratio"] = np.array([1.0, np.nan, 1.0])  # as if a draw made it undefined
    with pytest.raises(ScoringError):
        evaluate_draws(model, draw_scenarios(model, 5, 1).weights)


def test_a_total_of_absurd_size_is_refused(score):
    rules = doc([{"id": "huge", "when": "a > 2", "action": "bonus", "points": "a * 1e15"}])
    with pytest.raises(ScoringError) as caught:
        score(rules, units(DATA))
    assert caught.value.summary == "A total is out of range"
    assert caught.value.problems[0].message == "total beyond ±1e+15 for unit(s) U3"


def test_rule_min_applies_only_where_the_rule_fires(score):
    rules = doc([{"id": "b", "when": "a > 2", "action": "bonus", "points": "a", "min": 4, "max": 5}])
    result = score(rules, units(DATA))
    assert result.total.tolist() == pytest.approx([50, 60, 74])  # only U3 fires: max(3, 4) = 4
    nominal = prepare(result, 0.0)
    draws = evaluate_draws(nominal, nominal.base_weights[None, :])
    np.testing.assert_allclose(draws.total[0], [50, 60, 74])
