"""Sobol sensitivity of ranks and outcomes to the weights: the estimators against SALib, options, the CLI."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from cli import main
from scoring.analysis.sensitivity import check_options, sensitivity, sobol_indices
from scoring.engine.run import run_files
from scoring.errors import OptionError


@pytest.fixture(scope="module")
def sample():
    return run_files("rules/qingpu-2023.yaml", ("zones.csv",))


def test_estimators_are_salibs():
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
    x = sobol_sample.sample(problem, 256, calc_second_order=False, seed=7)
    outputs = np.stack([x[:, 0] + 2 * x[:, 1] ** 2 + x[:, 0] * x[:, 2], np.sin(6 * x[:, 1])], axis=1)
    first, total, _ = sobol_indices(outputs, 256, 3)
    for unit in range(2):
        expected = sobol_analyze.analyze(problem, outputs[:, unit], calc_second_order=False, num_resamples=10,
                                         seed=7)
        assert first[:, unit] == pytest.approx(expected["S1"], rel=1e-9, abs=1e-12)
        assert total[:, unit] == pytest.approx(expected["ST"], rel=1e-9, abs=1e-12)


def test_an_output_that_never_changes_has_zero_indices():
    first, total, variance = sobol_indices(np.ones((8 * 5, 2)), 8, 3)
    assert (first == 0).all() and (total == 0).all() and (variance == 0).all()


def test_sample_indices(sample):
    result = sensitivity(sample, samples=256)
    summary = result.summary
    assert list(summary.index) == list(sample.assessment.nodes)
    assert np.isfinite(summary.to_numpy(float)).all()
    assert (summary["rank_total"] >= summary["rank_first"] - 0.05).all()  # total includes interactions
    varying = int(result.outcome_varies.sum())
    assert summary["decides"].sum() == varying > 0
    # a unit never near a line keeps its outcome in every sample: no outcome sensitivity
    assert not result.outcome_varies["Z01"] and result.deciding["Z01"] == ""


@pytest.mark.parametrize("samples, spread, seed, field", [
    (1000, 0.2, 1, "--samples"), (1, 0.2, 1, "--samples"), (2 ** 15, 0.2, 1, "--samples"),
    (256, 1.0, 1, "--spread"), (256, 0.2, -1, "--seed")])
def test_bad_options(samples, spread, seed, field):
    with pytest.raises(OptionError) as raised:
        check_options(samples, spread, seed)
    assert raised.value.problems[0].field == field


def test_cli_json_is_deterministic():
    runner = CliRunner()
    args = ["sensitivity", "--samples", "128", "--format", "json"]
    first, second = runner.invoke(main, args), runner.invoke(main, args)
    assert first.exit_code == 0 and first.output == second.output
    document = json.loads(first.output)
    assert document["settings"]["samples"] == 128
    assert {w["id"] for w in document["weights"]} >= {"growth", "tax_growth"}


def test_cli_bad_samples_in_chinese():
    result = CliRunner().invoke(main, ["--lang", "zh", "sensitivity", "--samples", "1000"])
    assert result.exit_code == 1
    assert result.output.startswith("错误：--samples 选项无效\n")
