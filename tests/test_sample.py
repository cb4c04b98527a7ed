"""The shipped rule file with the shipped sample data, and the example rule files.

Facts about the data are read from the CSV with the csv module (independently of the
library) and compared with what the run did.
"""
from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.report.render import render_json
from scoring.engine.run import run_files

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qingpu-2023.yaml"
ZONES = ROOT / "zones.csv"
EXAMPLES = ROOT / "rules" / "examples"


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def number(cell: str) -> float:
    return float(cell.replace(",", "")) if cell.strip() else math.nan


@pytest.fixture(scope="module")
def sample():
    return run_files(RULES, ZONES)


@pytest.fixture(scope="module")
def zones():
    return {row["编号"]: row for row in read_rows(ZONES)}


def with_outcome(result, outcome_id) -> list[str]:
    return [u for u in result.ranking.order if result.ranking.outcome[u] == outcome_id]


def test_39_units(sample, zones):
    assert len(zones) == 39
    assert len(sample.index) == 39
    assert set(sample.index) == set(zones)


def test_12_commended_and_5_warned(sample):
    assert sample.outcome_counts() == {"commended": 12, "warned": 5}


def test_every_unit_appears_exactly_once(sample):
    order = sample.ranking.order
    assert len(order) == len(set(order)) == 39
    table = sample.table()
    assert sorted(table["id"]) == sorted(sample.index)
    document = json.loads(render_json(sample))
    ids = [u["id"] for u in document["units"]]
    assert len(ids) == len(set(ids)) == 39
    assert [u["position"] for u in document["units"]] == list(range(1, 40))


def test_every_adjustment_rule_fires_at_least_once(sample):
    fired = sample.adjustments.fired
    assert list(fired.columns) == [r.id for r in sample.assessment.spec.adjustments]
    silent = [rule for rule in fired.columns if not fired[rule].any()]
    assert silent == ["progress", "repeat_warning"]  # they read 2022's final results: tests/test_history_rules.py


def test_illegal_rebate_zone_is_not_commended(sample, zones):
    rebate = [z for z, row in zones.items() if number(row["违规返税"]) == 1]
    assert rebate, "the sample should contain a zone with 违规返税 = 1"
    for zone in rebate:
        assert sample.adjustments.fired.at[zone, "illegal_rebate"]
        assert sample.ranking.outcome[zone] != "commended"
        # it is good enough to be commended otherwise, so the veto matters
        assert sample.ranking.position[zone] <= 12
    # the commended zones are the first 12 eligible ones: not vetoed, not exempt, not forced elsewhere
    eligible = [u for u in sample.ranking.order if u not in rebate and sample.ranking.status[u] == "ranked"
                and sample.adjustments.forced[u] is None]
    assert with_outcome(sample, "commended") == eligible[:12]


def test_sharp_decline_is_forced_into_warned_and_counts_toward_five(sample, zones):
    decline = [z for z, row in zones.items()
               if number(row["上年税收（万元）"]) > 0
               and (number(row["税收（万元）"]) / number(row["上年税收（万元）"]) - 1) * 100 < -20]
    assert decline, "the sample should contain a zone whose tax fell by more than 20%"
    warned = with_outcome(sample, "warned")
    assert set(decline) <= set(warned)
    assert len(warned) == 5
    by_rank = [u for u in warned if u not in decline]
    # the others are the lowest eligible zones
    eligible = [u for u in sample.ranking.order if sample.ranking.status[u] == "ranked"
                and sample.ranking.outcome[u] in (None, "warned") and u not in decline]
    assert by_rank == eligible[-(5 - len(decline)):]


def test_new_zone_is_ranked_but_not_classified(sample, zones):
    new = [z for z, row in zones.items() if number(row["设立年份"]) >= 2023]
    assert new
    for zone in new:
        assert sample.ranking.status[zone] == "exempt"
        assert sample.ranking.outcome[zone] is None
        assert not math.isnan(sample.ranking.position[zone])


def test_zone_without_base_year_gets_growth_fallback(sample, zones):
    no_base = [z for z, row in zones.items() if not row["上年税收（万元）"].strip()]
    assert no_base
    for zone in no_base:
        row = zones[zone]
        # fallback: clip(税收 / 税收目标, 0, 1) x 16 points (e.g. 14,600 / 18,000 x 16 = 12.98)
        expected = min(max(number(row["税收（万元）"]) / number(row["税收目标（万元）"]), 0), 1) * 16
        assert sample.tree.missing.at[zone, "tax_growth"]
        assert sample.tree.points.at[zone, "tax_growth"] == pytest.approx(expected)


def test_pools_and_rule_caps(sample, zones):
    for zone, row in zones.items():
        projects, fake = number(row["重大项目数"]), number(row["虚假注册户数"])
        adjustments = sample.total[zone] - sample.tree.base_total[zone]
        # no multiply rules: the adjustment is the pooled bonus minus the pooled deduction
        # (total_min 0 never binds in the sample: every base total is far above the deductions)
        bonus_rules = min(projects, 3) + (2 if sample.adjustments.fired.at[zone, "track_model"] else 0)
        expected = min(bonus_rules, 4) - min(fake * 0.5, 10)
        assert adjustments == pytest.approx(expected), zone


def test_flags_follow_completion_rate(sample, zones):
    for zone, row in zones.items():
        low = number(row["税收（万元）"]) < number(row["税收目标（万元）"]) * 0.8
        assert ("low_completion" in sample.adjustments.flags[zone]) == low, zone


def test_no_boundary_ties_in_sample(sample):
    assert sample.ranking.boundary_ties == []
    assert sample.ranking.notes == []


def test_cli_defaults_run_the_sample(monkeypatch):
    from cli import main

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["run", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 40  # header + 39 zones
    assert lines[0].startswith("编号,排名,经济小区,所属单位,增速,户数,质量,加减分,总分,考核结果")
    assert sum(line.endswith(",表彰") for line in lines) == 12
    assert sum(line.endswith(",预警提示") for line in lines) == 5


def test_validate_sample(monkeypatch):
    from cli import main

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "data OK: zones.csv (39 units)" in result.stdout
    assert "fire for no unit: progress, repeat_warning\n" in result.stdout  # they read 2022's results (no store)


# --- example rule files --------------------------------------------------------------------

def example_pairs() -> list[tuple[Path, Path]]:
    """Each example rule file with the CSV its header comment names (rules/examples/xxx.csv)."""
    pairs = []
    for rules in sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".tests.yaml")):
        named = re.findall(r"rules/examples/([\w.-]+\.csv)", rules.read_text(encoding="utf-8"))
        assert named, f"{rules.name} should name its data file in a comment"
        pairs.append((rules, EXAMPLES / named[0]))
    return pairs


def test_examples_exist():
    assert example_pairs(), "rules/examples/ should hold at least one example"


@pytest.mark.parametrize("rules, data", example_pairs(), ids=lambda p: p.name)
def test_example_runs_and_lists_every_unit_once(rules, data):
    result = run_files(rules, data)
    rows = read_rows(data)
    assert len(result.index) == len(rows)
    assert sorted(result.ranking.order) == sorted(result.index)
    assert len(set(result.ranking.order)) == len(rows)


def half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def test_muyun_example_class_counts():
    rules, data = EXAMPLES / "muyun-enterprises.yaml", EXAMPLES / "enterprises.csv"
    result = run_files(rules, data)
    rows = read_rows(data)
    exempt = {r["企业编号"] for r in rows if number(r["投产年份"]) >= 2022}
    forced_d = {r["企业编号"] for r in rows if number(r["重大安全事故"]) == 1}
    vetoed_a = {r["企业编号"] for r in rows if number(r["重大环保处罚"]) == 1}
    assert exempt and forced_d and vetoed_a, "the example should exercise exempt, force and veto"
    # base = classified enterprises (not exempt); cumulative shares 25 / 70 / 95, half up; D = the rest
    base = len(rows) - len(exempt)
    a = half_up(0.25 * base)
    ab = half_up(0.70 * base)
    abc = half_up(0.95 * base)
    expected = {"A": a, "B": ab - a, "C": abc - ab, "D": base - abc}
    # with 40 enterprises of which 3 are exempt: base 37 -> A round(9.25) = 9, B round(25.9) - 9 = 17,
    # C round(35.15) - 26 = 9, D 37 - 35 = 2
    assert result.outcome_counts() == expected
    assert sum(expected.values()) == base
    for firm in forced_d:
        assert result.ranking.outcome[firm] == "D"
    for firm in vetoed_a:
        assert result.ranking.outcome[firm] != "A"
    for firm in exempt - forced_d:
        assert result.ranking.outcome[firm] is None and result.ranking.status[firm] == "exempt"
