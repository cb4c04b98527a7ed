"""Scenario batches (explain's needed-value search) give exactly what one re-run per value gives."""
from __future__ import annotations

import numpy as np
import pytest

from scoring.analysis.explain_needed import _bisection_points, bracket_search
from scoring.engine.run import run_files
from scoring.analysis.scenarios import FAILED, _single, outcomes_for_values

from conftest import ROOT


@pytest.fixture(scope="module")
def sample():
    return run_files(ROOT / "rules" / "qingpu-2023.yaml", ROOT / "zones.csv")


@pytest.mark.parametrize("unit, name", [("Z27", "税收"), ("Z02", "税收"), ("Z10", "新增户数"), ("Z37", "上年税收")])
def test_stacked_scenarios_equal_one_rerun_per_value(sample, unit, name):
    values = [float(v) for v in np.linspace(0, 150000, 25)] + [float(sample.data.frame.at[unit, name])]
    assert outcomes_for_values(sample, unit, name, values) == [_single(sample, unit, name, v) for v in values]


def test_a_value_that_cannot_be_scored_marks_only_itself(sample):
    # a negative tax is outside the input's range: scoring that variant fails, the others do not
    outcomes = outcomes_for_values(sample, "Z27", "税收", [-5.0, 20000.0])
    assert outcomes[0] is FAILED or outcomes[0] == _single(sample, "Z27", "税收", -5.0)
    assert outcomes[1] == _single(sample, "Z27", "税收", 20000.0)


def test_bisection_points_are_the_next_levels_of_midpoints():
    assert _bisection_points(0, 64, 3) == [32, 16, 48, 8, 24, 40, 56]
    assert _bisection_points(3, 5, 4) == [4]
    assert _bisection_points(3, 4, 4) == []


def test_prefetching_does_not_change_the_search():
    class Axis:
        def max_steps(self, sign):
            return 1000

        def at(self, n, sign):
            return float(n)

    crossed = lambda value: value >= 537 or 100 <= value < 103  # noqa: E731 - not monotone on purpose
    asked = []
    plain = bracket_search(crossed, Axis(), 1)
    batched = bracket_search(crossed, Axis(), 1, asked.extend)
    assert plain == batched and asked
