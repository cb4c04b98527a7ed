"""What-if comparisons: unchanged weights change nothing; a hand-made swap; errors; the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.api.assessment import load_assessment
from scoring.errors import OptionError
from scoring.engine.run import run_files
from scoring.analysis.whatif import (compare, kendall_tau, parse_weight_options, resolve_weights, spearman_rho,
                                     whatif, whatif_of)
from scoring.report.whatif_render import render_comparison

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qingpu-2023.yaml"
SAMPLE = ROOT / "zones.csv"


def _four_rules(weight_b: float = 50) -> dict:
    """Two indicators scored as value / 100 (goalposts 0..100), weights 50 and ``weight_b``."""
    method = {"type": "goalposts", "lo": 0, "hi": 100}
    return {
        "id": "four", "title": "Four units", "id_column": "id", "name_column": "name", "precision": 2,
        "inputs": {"a": {}, "b": {}},
        "indicators": [{"id": "ia", "label": "Alpha", "weight": 50, "value": "a", "method": method},
                       {"id": "ib", "label": "Beta", "weight": weight_b, "value": "b", "method": method}],
        "outcomes": [{"id": "best", "label": "Best", "top": 1}, {"id": "last", "label": "Last", "bottom": 1}],
        "tie_break": ["total", "id"],
    }


# Baseline (50 / 50):                 Scenario Beta = 100 (full score 150):
#   U1: 0.9*50 + 0.20*50 = 45 + 10 = 55   U1: 0.9*50 + 0.20*100 = 45 + 20 = 65
#   U2: 0.3*50 + 0.70*50 = 15 + 35 = 50   U2: 0.3*50 + 0.70*100 = 15 + 70 = 85
#   U3: 0.5*50 + 0.36*50 = 25 + 18 = 43   U3: 0.5*50 + 0.36*100 = 25 + 36 = 61
#   U4: 0.1*50 + 0.30*50 =  5 + 15 = 20   U4: 0.1*50 + 0.30*100 =  5 + 30 = 35
# Ranks 1,2,3,4 become U2, U1, U3, U4: U1 and U2 swap, so Best passes from U1 to U2.
# rho = 1 - 6 * (1 + 1) / (4 * 15) = 0.8; tau = (5 concordant - 1 discordant) / 6 = 2/3.
FOUR_ROWS = [{"id": "U1", "name": "One", "a": 90, "b": 20}, {"id": "U2", "name": "Two", "a": 30, "b": 70},
             {"id": "U3", "name": "Three", "a": 50, "b": 36}, {"id": "U4", "name": "Four", "a": 10, "b": 30}]


@pytest.fixture
def four(score):
    return score(_four_rules(), FOUR_ROWS)


@pytest.fixture(scope="module")
def sample():
    if not SAMPLE.exists():
        pytest.skip("zones.csv not present")
    return run_files(RULES, SAMPLE)


def test_unchanged_weights_report_no_changes(sample):
    same = whatif_of(sample, {"growth": 40, "质量": "30"})
    assert not same.changed
    assert (same.units["rank_change"] == 0).all()
    assert (same.units["baseline_outcome"].fillna("-") == same.units["scenario_outcome"].fillna("-")).all()
    assert same.spearman == 1.0 and same.kendall == 1.0
    assert same.full_score == (100.0, 100.0)
    assert all(not m["entered"] and not m["left"] for _, m in same.outcome_moves.iterrows())
    assert "排名和考核结果均无变化。" in render_comparison(same)
    assert len(same.movers) == 0


def test_weight_change_swaps_two_units(four):
    result = whatif_of(four, {"Beta": 100})  # by label
    units = result.units
    assert list(units.index) == ["U2", "U1", "U3", "U4"]  # sorted by scenario rank
    assert units.loc["U1", "baseline_total"] == pytest.approx(55) and units.loc["U1", "scenario_total"] == 65
    assert units.loc["U2", "baseline_total"] == pytest.approx(50) and units.loc["U2", "scenario_total"] == 85
    assert units.loc["U3", "scenario_total"] == pytest.approx(61) and units.loc["U4", "scenario_total"] == 35
    assert units["rank_change"].to_dict() == {"U2": 1, "U1": -1, "U3": 0, "U4": 0}
    moves = result.outcome_moves.set_index("outcome")
    assert moves.at["best", "entered"] == ["U2"] and moves.at["best", "left"] == ["U1"]
    assert moves.at["last", "entered"] == [] and moves.at["last", "left"] == []
    assert result.spearman == pytest.approx(0.8) and result.kendall == pytest.approx(2 / 3)
    assert result.full_score == (100.0, 150.0)
    assert list(result.movers.index) == ["U2", "U1"]
    assert result.weights == [{"node": "ib", "label": "Beta", "baseline": 50.0, "scenario": 100.0, "rescaled": False}]
    text = render_comparison(result)
    assert "Best: enters Two (U2); leaves One (U1)" in text and "Full score: 100 → 150" in text


def test_several_weights_combine(four):
    scaled = whatif_of(four, {"ia": 100, "ib": "100"})  # both doubled: same ranking, full score 200
    assert not scaled.changed and scaled.full_score == (100.0, 200.0)
    assert scaled.units.loc["U1", "scenario_total"] == pytest.approx(110)


def test_library_whatif_and_against_agree(four, write_rules):
    direct = whatif(four.assessment, four.data, {"ib": 100})
    other = write_rules(_four_rules(weight_b=100), "proposal.yaml")
    against = compare(four, run_files(other, four.data.sources[0][0]), against=str(other))
    assert direct.units.equals(against.units)
    assert against.spearman == direct.spearman and against.full_score == (100.0, 150.0)


@pytest.mark.parametrize("weights, message", [
    ({"nope": 10}, "unknown node"), ({"ia": 0}, "positive"), ({"ia": -5}, "positive"),
    ({"Alpha": "ten"}, "positive"), ({"ib": "nan"}, "positive"), ({"ib": "inf"}, "positive")])
def test_invalid_weights_are_option_errors(four, weights, message):
    with pytest.raises(OptionError) as error:
        resolve_weights(four.assessment, weights)
    assert message in str(error.value)
    if message == "unknown node":
        assert "ia (Alpha)" in str(error.value) and "ib (Beta)" in str(error.value)


def test_weight_option_syntax():
    assert parse_weight_options(["growth=50", " 增速 = 45 "]) == {"growth": "50", "增速": "45"}
    with pytest.raises(OptionError, match="NODE=VALUE"):
        parse_weight_options(["growth50"])


def test_rank_correlations_with_ties():
    assert kendall_tau([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(2 / 3)
    assert kendall_tau([1, 1, 2, 3], [1, 2, 3, 3]) == pytest.approx(0.8)  # tau-b: 4 / sqrt(5 * 5)
    assert spearman_rho([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman_rho([1, 2, 2, 3], [1, 2, 2, 3]) == pytest.approx(1.0)


def test_cli_whatif(four, write_rules):
    from cli import main

    rules_path, data_path = four.assessment.path, four.data.sources[0][0]
    runner = CliRunner()
    base = ["whatif", "--rules", rules_path, "--data", data_path]
    table = runner.invoke(main, base + ["--weight", "ib=100"])
    assert table.exit_code == 0, table.output
    assert "Spearman's rho 0.8000, Kendall's tau 0.6667" in table.stdout
    document = json.loads(runner.invoke(main, base + ["--weight", "Beta=100", "--format", "json"]).stdout)
    assert [u["id"] for u in document["units"]] == ["U2", "U1", "U3", "U4"]
    assert document["summary"]["full_score"] == [100.0, 150.0]
    csv_text = runner.invoke(main, base + ["--weight", "ib=100", "--format", "csv"]).stdout
    assert csv_text.splitlines()[0].startswith("id,")
    other = write_rules(_four_rules(weight_b=100), "proposal.yaml")
    against = runner.invoke(main, base + ["--against", str(other), "--format", "json"])
    assert against.exit_code == 0 and json.loads(against.output)["units"] == document["units"]


@pytest.mark.parametrize("args, message", [
    (["--weight", "nosuch=10"], "unknown node"), (["--weight", "ia=abc"], "positive number"),
    (["--weight", "ia=-1"], "positive number"), (["--weight", "ia"], "NODE=VALUE"),
    ([], "--weight"), (["--weight", "ia=2", "--against", "x.yaml"], "either")])
def test_cli_bad_weight_exits_nonzero_with_a_clear_message(four, args, message):
    from cli import main

    result = CliRunner().invoke(main, ["whatif", "--rules", four.assessment.path,
                                       "--data", four.data.sources[0][0], *args])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_sample_has_valid_label_list_in_errors():
    assessment = load_assessment(RULES)
    with pytest.raises(OptionError) as error:
        resolve_weights(assessment, {"增长": 50})
    assert "growth (增速)" in str(error.value)
