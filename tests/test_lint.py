"""`zonescore lint`: each trap found on a small rule file written to show it, and nothing on a clean one."""
from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from cli import main
from scoring.engine.run import run_files
from scoring.rulecheck import lint as checks

DATA = "id,name,a,b,c\nu1,U1,10,5,1\nu2,U2,20,4,0\nu3,U3,30,9,0\nu4,U4,40,6,0\n"


def base(**extra):
    doc = {"id": "t", "title": "Test", "id_column": "id", "name_column": "name",
           "inputs": {"a": {}, "b": {}, "c": {}},
           "indicators": [{"id": "g", "weight": 60, "children": [
               {"id": "x", "weight": 30, "value": "a", "method": {"type": "minmax"}},
               {"id": "y", "weight": 30, "value": "b", "method": {"type": "minmax"}}]},
               {"id": "z", "weight": 40, "value": "c", "method": {"type": "minmax"}, "direction": "lower"}],
           "outcomes": [{"id": "top", "label": "Top", "top": 1}]}
    doc.update(extra)
    return doc


@pytest.fixture
def lint_of(tmp_path):
    def run(doc, check):
        (tmp_path / "r.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
        return [p.message for p in check(run_files(tmp_path / "r.yaml", tmp_path / "d.csv"))]
    return run


def test_clean_file(lint_of):
    assert lint_of(base(), checks.lint) == []


def test_group_weights(lint_of):
    doc = base(indicators=[*base()["indicators"],
                           {"id": "h", "weight": 10, "children": [
                               {"id": "w", "weight": 3, "value": "a / b", "method": {"type": "minmax"}}]}])
    assert lint_of(doc, checks.group_weights) == [
        "the children's weights add up to 3, not to the group's weight 10: each child counts its share of 10 points, "
        "unlike the other groups"]


def test_geometric_top(lint_of):
    assert lint_of(base(aggregate="geometric"), checks.geometric_top) == [
        "geometric aggregation at the top level: the total is the weighted geometric mean of the groups' shares times "
        "the full score 100, and group points do not add up to it"]


def test_an_input_in_numerator_and_denominator(lint_of):
    doc = base()
    doc["indicators"][0]["children"][1]["value"] = "b / a"  # raising a helps x, hurts y
    assert lint_of(doc, checks.non_monotone) == [
        "raising a makes x better but this indicator worse: a unit's total can fall when a rises"]


def test_rules_that_never_or_always_fire(lint_of):
    doc = base(adjustments=[{"id": "never", "when": "a > 100", "action": "bonus", "points": 1},
                            {"id": "always", "when": "a > 0", "action": "flag"},
                            {"id": "some", "when": "a > 20", "action": "flag"}])
    assert lint_of(doc, checks.firing) == ["fires for no unit on this data", "fires for every unit on this data"]


def test_bands(lint_of):
    doc = base()
    doc["indicators"][1]["method"] = {"type": "bands", "bands": [
        {"at_least": 20, "fraction": 1}, {"at_least": 30, "fraction": 0.5}]}
    assert lint_of(doc, checks.bands) == [
        "band 2 is never reached: an earlier band takes all its values",
        "4 unit(s) have values that match no band and score 0, e.g. 1"]  # z's values: 1, 0, 0, 0


def test_contradicting_force_and_veto(lint_of):
    doc = base(outcomes=[{"id": "top", "label": "Top", "top": 1}, {"id": "low", "label": "Low", "bottom": 1}],
               adjustments=[{"id": "f1", "when": "a >= 30", "action": "force", "outcome": "low"},
                            {"id": "f2", "when": "a >= 40", "action": "force", "outcome": "top"},
                            {"id": "v", "when": "a >= 40", "action": "veto", "outcome": "top"}])
    assert lint_of(doc, checks.forced_outcomes) == [
        "forces units into top, while f1 forces the same units into low: the first rule decides",
        "forces units into top, which v bars them from"]


def test_fallback(lint_of):
    doc = base()
    doc["indicators"][1]["missing"] = {"policy": "fallback", "fallback": "50"}
    found = lint_of(doc, checks.fallbacks)
    assert found == ["the fallback can give 50 points, more than the weight 40",
                     "the fallback gives fixed points that do not scale with the weight 40: when weights change "
                     "(whatif, robustness, weights) the units that use it move against the others"]


def test_unused(lint_of):
    doc = base(inputs={"a": {}, "b": {}, "c": {}, "d": {"column": "c"}}, derived={"e": "a * 2"})
    assert lint_of(doc, checks.unused) == ["input read by no rule", "derived value read by no rule"]


def test_cli_on_the_sample():
    result = CliRunner().invoke(main, ["lint", "--strict"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "3 finding(s) in rules/qingpu-2023.yaml"
    assert lines[1].startswith("  - rules/qingpu-2023.yaml:107: strategic_share (战略性新兴产业税收占比): raising 税收")
