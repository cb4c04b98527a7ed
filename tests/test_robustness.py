"""Robustness analysis: vectorised draws agree with full re-runs; probabilities behave.

The central check re-scores a few sampled draws with the ordinary scorer (``run_assessment`` on
a rule file re-compiled with the drawn weights and methods) and compares totals (1e-9),
positions and outcomes with the vectorised evaluation, on the shipped rules and sample data
and on a hand-made rule file that exercises every adjustment action, conditions reading node
points and ``total``, geometric groups, weight-dependent leaf fractions (formula, rank steps,
band points, fallback points, with caps that kink inside the weight range), all outcome
selectors and a tie-break chain with a node, the name and the id at precision 0 (many ties).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from scoring.api.assessment import load_assessment
from scoring.engine.draws import draw_scenarios, evaluate_draws, prepare
from scoring.io.data import load_data
from scoring.errors import OptionError
from scoring.analysis.robustness import robustness, robustness_of
from scoring.report.robustness_render import render_robustness
from scoring.engine.run import run_assessment
from scoring.analysis.whatif import reweighted

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qingpu-2023.yaml"
SAMPLE = ROOT / "zones.csv"


def _bench_units(count: int):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_robustness", ROOT / "bench" / "bench_robustness.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_units(count)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The shipped rules on zones.csv, or on 39 synthetic zones with the same columns if it is absent."""
    assessment = load_assessment(RULES)
    path = SAMPLE
    if not path.exists():
        path = tmp_path_factory.mktemp("zones") / "zones.csv"
        _bench_units(39).to_csv(path, index=False)
    return run_assessment(assessment, load_data(assessment, path))


def _tricky_rules() -> dict:
    ind = lambda i, w, value, method, **kw: {"id": i, "weight": w, "value": value, "method": method, **kw}  # noqa
    return {
        "id": "tricky", "title": "Tricky", "id_column": "id", "name_column": "name", "precision": 0,
        "inputs": {"x1": {}, "x2": {}, "x3": {}, "x4": {}, "flag": {}, "region": {"type": "text"}},
        "indicators": [
            {"id": "g1", "weight": 50, "children": [
                ind("i1", 20, "x1", {"type": "minmax"}, missing="mean",
                    alternatives=[{"type": "percentile"}, {"type": "zscore"}]),
                {"id": "i2", "weight": 15, "method": {"type": "formula", "points": "x2 / 10", "max_points": 18,
                                                      "cap": 1.0},
                 "alternatives": [{"type": "formula", "points": "x3 / 8"}]},
                ind("i3", 15, "x3", {"type": "rank", "step": 0.5})]},
            {"id": "g2", "weight": 30, "aggregate": "geometric", "children": [
                ind("i4", 10, "x3", {"type": "goalposts", "lo": 0, "hi": 100}),
                ind("i5", 10, "x4", {"type": "bands", "bands": [{"at_least": 60, "points": 11},
                                                                 {"at_least": 30, "points": 6}, {"points": 2}]},
                    missing="lowest", alternatives=[{"type": "best_ratio"}])]},
            ind("i6", 20, "x4", {"type": "target", "target": 50, "cap": 1.5},
                missing={"policy": "fallback", "fallback": "3"}),
        ],
        "adjustments": [
            {"id": "b1", "when": "g1 > 30", "action": "bonus", "points": "total * 0.02", "max": 2, "pool": "p"},
            {"id": "b2", "when": "x2 > 100", "action": "bonus", "points": 3, "pool": "p"},
            {"id": "b3", "when": "total > median(total)", "action": "bonus", "points": "i3 / 5"},
            {"id": "d1", "when": "not (i4 > 5) or x1 < 5", "action": "deduction", "points": 1},
            {"id": "m1", "when": "total < 45", "action": "multiply", "factor": "0.9"},
            {"id": "e1", "when": "flag == 2", "action": "exclude"},
            {"id": "x1", "when": "flag == 3", "action": "exempt"},
            {"id": "f1", "when": "total < 35", "action": "force", "outcome": "low"},
            {"id": "v1", "when": "region == 'B' and i1 > 10", "action": "veto", "outcome": "top"},
            {"id": "v2", "when": "x1 > 85", "action": "veto", "outcome": "top"},
        ],
        "pools": [{"id": "p", "max": 4}],
        "total_min": 0, "total_max": 104,
        "outcomes": [{"id": "top", "top_percent": 20}, {"id": "mid", "min_total": 70},
                     {"id": "low", "bottom": 3}, {"id": "rest", "rest": True}],
        "tie_break": ["total", {"by": "g2", "order": "desc"}, {"by": "name", "order": "asc"}, "id"],
    }


def _tricky_rows(count: int = 36) -> list[dict]:
    rng = np.random.default_rng(7)
    rows = []
    for i in range(count):
        rows.append({"id": f"U{i:02d}", "name": f"N{rng.integers(0, 6)}",
                     "x1": "" if i == 5 else round(float(rng.uniform(0, 100)), 1),
                     "x2": round(float(rng.uniform(0, 200)), 1), "x3": round(float(rng.uniform(0, 110)), 1),
                     "x4": "" if i == 9 else round(float(rng.uniform(0, 90)), 1),
                     "flag": 2 if i == 3 else 3 if i in (4, 20) else 0, "region": "AB"[i % 2]})
    return rows


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    from conftest import write_csv_file, write_rules_file

    directory = tmp_path_factory.mktemp("tricky")
    assessment = load_assessment(write_rules_file(directory, _tricky_rules()))
    return run_assessment(assessment, load_data(assessment, write_csv_file(directory, _tricky_rows())))


def _full_run(nominal, model, weights, methods):
    a = nominal.assessment
    choice = {} if methods is None else {leaf: int(m) for leaf, m in zip(a.leaves, methods)}
    result = run_assessment(reweighted(a, dict(zip(model.node_ids, weights)), choice), nominal.data)
    codes = {o: k for k, o in enumerate(model.outcome_ids)}
    outcome = [codes.get(o, len(codes)) if isinstance(o, str) else len(codes) for o in result.ranking.outcome]
    return result.total.to_numpy(), result.ranking.position.fillna(0).to_numpy(int), np.array(outcome)


@pytest.mark.parametrize("case, spread, vary", [("sample", 0.2, False), ("tricky", 0.3, False),
                                                ("tricky", 0.3, True), ("tricky", 0.6, True)])
def test_vectorised_draws_equal_full_reruns(case, spread, vary, request):
    nominal = request.getfixturevalue(case)
    model = prepare(nominal, spread, vary)
    scenarios = draw_scenarios(model, 400, seed=11)
    methods = scenarios.methods
    fast = evaluate_draws(model, scenarios.weights, methods)
    for d in np.random.default_rng(3).choice(len(scenarios.weights), 6, replace=False):
        total, position, outcome = _full_run(nominal, model, scenarios.weights[d],
                                             None if methods is None else methods[d])
        np.testing.assert_allclose(fast.total[d], total, rtol=0, atol=1e-9)
        np.testing.assert_array_equal(fast.position[d], position)
        np.testing.assert_array_equal(fast.outcome[d], outcome)


def test_tricky_case_uses_every_path(tricky):
    model = prepare(tricky, 0.3, True)
    assert any(option.exact is not None for option in model.options["i2"] + model.options["i3"])
    assert any(option.b.any() for option in model.options["i6"])  # fallback points / weight
    assert "b1" not in model.fired and "m1" not in model.fired and "v2" in model.fired
    assert "b3" not in model.amounts and "b2" in model.amounts
    assert tricky.ranking.status.eq("excluded").sum() == 1 and tricky.ranking.status.eq("exempt").sum() == 2


def test_nominal_weights_reproduce_the_run(tricky):
    model = prepare(tricky, 0.0)
    result = evaluate_draws(model, model.base_weights[None, :])
    np.testing.assert_allclose(result.total[0], tricky.total.to_numpy(), atol=1e-9)
    np.testing.assert_array_equal(result.position[0], tricky.ranking.position.fillna(0).to_numpy(int))


@pytest.mark.parametrize("case", ["sample", "tricky"])
def test_spread_zero_gives_nominal_outcome_with_certainty(case, request):
    nominal = request.getfixturevalue(case)
    result = robustness_of(nominal, draws=200, spread=0.0, seed=1)
    units = result.units
    assert (units["p_nominal"] == 1.0).all()
    assert (units["verdict"] == "robust").all() and result.borderline == []
    ranked = units["nominal_rank"].notna()
    assert (units.loc[ranked, "median_rank"] == units.loc[ranked, "nominal_rank"]).all()
    assert result.mean_rank_shift == 0.0


def test_commendation_probabilities_sum_to_twelve(sample):
    result = robustness_of(sample, draws=2000, spread=0.2, seed=5)
    assert result.units["p_commended"].sum() == pytest.approx(12.0, abs=1e-9)
    assert result.units["p_warned"].sum() == pytest.approx(5.0, abs=1e-9)
    model = prepare(sample, 0.2)
    draws = evaluate_draws(model, draw_scenarios(model, 2000, seed=5).weights)
    assert ((draws.outcome == model.outcome_ids.index("commended")).sum(axis=1) == 12).all()
    nominal = result.units.loc[result.units["nominal_outcome"] == "commended"]
    assert len(nominal) == 12


def test_same_seed_same_output_and_chunking_does_not_matter(sample, monkeypatch):
    first = robustness_of(sample, draws=3000, seed=42)
    import scoring.analysis.robustness as module

    monkeypatch.setattr(module, "CHUNK_ELEMENTS", 39 * 7)  # 7 draws per chunk
    second = robustness_of(sample, draws=3000, seed=42)
    assert first.units.equals(second.units)
    for fmt in ("table", "csv", "json", "markdown"):
        assert render_robustness(first, fmt) == render_robustness(second, fmt)
    other = robustness_of(sample, draws=3000, seed=43)
    assert not first.units.equals(other.units)


def test_vary_method_changes_results_but_not_the_nominal_run(tricky):
    plain = robustness_of(tricky, draws=500, spread=0.1, seed=9)
    varied = robustness_of(tricky, draws=500, spread=0.1, seed=9, vary_method=True)
    assert plain.units["nominal_rank"].equals(varied.units["nominal_rank"])
    assert not plain.units["median_rank"].equals(varied.units["median_rank"]) \
        or not plain.units["p_top"].equals(varied.units["p_top"])


def test_bad_options_are_option_errors(sample):
    with pytest.raises(OptionError, match="spread"):
        robustness_of(sample, draws=10, spread=1.0)
    with pytest.raises(OptionError, match="draws"):
        robustness_of(sample, draws=0)


def test_library_entry_point_matches(sample):
    result = robustness(sample.assessment, sample.data, draws=300, seed=2)
    assert result.units.equals(robustness_of(sample, draws=300, seed=2).units)


def test_cli_robustness_formats_and_determinism(tmp_path):
    from cli import main

    data = SAMPLE if SAMPLE.exists() else tmp_path / "zones.csv"
    if not SAMPLE.exists():
        _bench_units(39).to_csv(data, index=False)
    runner = CliRunner()
    args = ["robustness", "--rules", str(RULES), "--data", str(data), "--draws", "500", "--seed", "7"]
    first = runner.invoke(main, args + ["--format", "json"])
    assert first.exit_code == 0, first.output
    document = json.loads(first.output)
    assert document["settings"]["draws"] == 500 and len(document["units"]) == 39
    assert sum(u["probabilities"]["commended"] for u in document["units"]) == pytest.approx(12)
    assert runner.invoke(main, args + ["--format", "json"]).output == first.output
    table = runner.invoke(main, args)
    assert table.exit_code == 0 and "稳健" in table.output and "\r" not in table.output
    bad = runner.invoke(main, args + ["--spread", "1.5"])
    assert bad.exit_code != 0 and "spread" in bad.output
