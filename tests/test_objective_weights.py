"""Objective weights (entropy, CRITIC, equal): hand-computed values, pymcdm's implementations, the CLI."""
from __future__ import annotations

import math

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from cli import main
from scoring.analysis.objective_weights import (critic_weights, entropy_weights, equal_weights, global_shares,
                                                normalise, objective_weights, tree_weights)
from scoring.engine.run import run_files
from scoring.errors import OptionError


@pytest.fixture(scope="module")
def sample():
    return run_files("rules/qingpu-2023.yaml", ("zones.csv",))


def test_normalise_by_direction():
    matrix = np.array([[1.0, 10.0, 5.0], [3.0, 20.0, 5.0], [2.0, 30.0, 5.0]])
    assert normalise(matrix, ["higher", "lower", "higher"]).tolist() == [[0.0, 1.0, 0.0], [1.0, 0.5, 0.0],
                                                                          [0.5, 0.0, 0.0]]


def test_entropy_by_hand():
    # column 1: shares 1/3 each -> entropy 1 -> no information; column 2: shares 0, 0, 1 -> entropy 0
    weights = entropy_weights(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 1.0]]))
    assert weights.tolist() == pytest.approx([0.0, 1.0], abs=1e-12)
    # shares (0.25, 0.75) over two units: e = -(0.25 ln 0.25 + 0.75 ln 0.75) / ln 2
    e = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    weights = entropy_weights(np.array([[1.0, 0.0], [3.0, 1.0]]))
    assert weights == pytest.approx([(1 - e) / (1 - e + 1), 1 / (1 - e + 1)])


def test_constant_columns_get_no_weight_and_never_nan():
    normalised = normalise(np.array([[1.0, 7.0], [2.0, 7.0], [4.0, 7.0]]), ["higher", "higher"])
    for method in (entropy_weights, critic_weights):
        weights = method(normalised)
        assert np.isfinite(weights).all() and weights.tolist() == [1.0, 0.0]


positive = arrays(np.float64, st.tuples(st.integers(3, 12), st.integers(2, 6)),
                  elements=st.floats(0.5, 100.0, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(positive)
def test_entropy_matches_pymcdm_without_zero_shares(matrix):
    from pymcdm.weights import entropy_weights as pymcdm_entropy

    assume(not np.isclose(matrix.min(axis=0), matrix.max(axis=0)).any())  # pymcdm gives NaN there, we 0

    with np.errstate(invalid="ignore", divide="ignore"):
        expected = pymcdm_entropy(matrix)
    assert entropy_weights(matrix) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(positive)
def test_critic_matches_pymcdm(matrix):
    from pymcdm.weights import critic_weights as pymcdm_critic

    assume(not (matrix.max(axis=0) - matrix.min(axis=0) < 1e-6).any())  # pymcdm divides by zero there
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = pymcdm_critic(matrix)
    assume(np.isfinite(expected).all())  # perfectly correlated columns: 0 / 0 there, an error here
    correlation = np.corrcoef(matrix, rowvar=False)[np.triu_indices(matrix.shape[1], 1)]
    assume(np.abs(correlation).max() < 1 - 1e-9)  # (near) perfectly correlated: rounding decides pymcdm's answer
    ours = critic_weights(normalise(matrix, ["higher"] * matrix.shape[1]))
    assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_equal():
    assert equal_weights(np.zeros((3, 4))).tolist() == [0.25] * 4


def test_file_shares_and_tree_weights_keep_the_full_score(sample):
    a = sample.assessment
    shares = global_shares(sample)
    assert shares.sum() == pytest.approx(1.0)
    assert dict(zip(a.leaves, shares))["tax_growth"] == pytest.approx(0.2)  # growth 40 of 100, tax_growth 1 of 2
    weights = tree_weights(sample, dict(zip(a.leaves, shares * 100)))
    assert sum(weights[n] for n in a.top_level) == pytest.approx(100.0)
    assert weights["growth"] == pytest.approx(40.0)


def test_equal_weights_compare_like_whatif(sample):
    result = objective_weights(sample, "equal")
    assert result.units_used == 38 and result.units_left_out == ["Z39"]
    assert result.leaves["data_weight"].tolist() == pytest.approx([12.5] * 8)
    scenario = result.comparison.scenario.assessment
    assert scenario.spec.full_score == pytest.approx(100.0)
    assert scenario.nodes["growth"].weight == pytest.approx(25.0)


def test_unknown_method(sample):
    with pytest.raises(OptionError) as raised:
        objective_weights(sample, "magic")
    assert "entropy, critic, equal" in str(raised.value)


def test_cli_is_deterministic_and_chinese():
    runner = CliRunner()
    first = runner.invoke(main, ["weights", "--method", "critic"])
    second = runner.invoke(main, ["weights", "--method", "critic"])
    assert first.exit_code == 0 and first.output == second.output
    assert first.output.startswith("青浦区2023年度经济小区招商服务管理考核 — 客观赋权（CRITIC 法）\n")
    assert "计算所用单位 38 个\n" in first.output and "缺少指标值、未参与计算的单位：Z39\n" in first.output
