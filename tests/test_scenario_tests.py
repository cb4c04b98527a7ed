"""`zonescore test`: scenario files next to rule files, run through the one scoring pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scoring.rulecheck.scenario_run import run_scenario_file

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "rules").rglob("*.tests.yaml"))
RULES = sorted(p for p in (ROOT / "rules").rglob("*.yaml") if not p.name.endswith(".tests.yaml"))


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_every_shipped_rule_file_has_scenarios():
    assert {p.with_name(p.name.replace(".tests.yaml", ".yaml")) for p in SHIPPED} >= set(RULES)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenarios_pass_and_cover_every_rule(path):
    result = run_scenario_file(path)
    assert all(case.passed for case in result.cases), [c.differences for c in result.cases]
    assert result.uncovered == []


RULES_YAML = """
id: t
title: Test
id_column: id
name_column: name
precision: 2
inputs: {x: {column: x}, bad: {column: bad, range: [0, 1]}}
indicators:
  - {id: ind, label: Ind, weight: 10, value: x, method: {type: minmax}}
adjustments:
  - {id: plus, label: Plus, when: x > 5, action: bonus, points: 1}
outcomes:
  - {id: top, label: Top, top: 1}
"""

DATA = "id,name,x,bad\na,A,0,0\nb,B,10,0\nc,C,5,0\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "t.yaml").write_text(RULES_YAML, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    return tmp_path


def write_cases(project, text):
    path = project / "t.tests.yaml"
    path.write_text("data: data.csv\ncases:\n" + text, encoding="utf-8")
    return str(path)


def test_passing_cases_by_hand(project):
    # minmax over 0, 5, 10: fractions 0, 0.5, 1 of 10 points; b gets +1
    path = write_cases(project, """
  - name: hand computed
    expect:
      b: {total: 11, base_total: 10, rank: 1, outcome: top, fired: [plus], points: {Ind: 10}}
      c: {total: 5, rank: 2, outcome: none, fired: []}
  - name: a unit added by the case
    given:
      d: {x: 20}
    expect:
      d: {total: 11, rank: 1, outcome: Top}
      b: {total: 6, outcome: none}   # 10 of 0..20: 5 points, +1
""")
    result = invoke("test", path)
    assert result.exit_code == 0, result.output
    assert result.output == (f"{path} (rules {project / 't.yaml'})\n"
                             "  PASSED  hand computed\n  PASSED  a unit added by the case\n"
                             "2 cases: 2 passed, 0 failed\n")


def test_a_failing_case_shows_what_differs_and_exits_1(project):
    path = write_cases(project, """
  - name: wrong
    expect:
      b: {total: 12, outcome: none, fired: []}
      zz: {total: 1}
""")
    result = invoke("test", path)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "  FAILED  wrong",
        "          b total: expected 12, got 11",
        "          b outcome: expected none, got top",
        "          b fired: expected [], got [plus]",
        "          zz: no such unit in this case",
        "  rules no passing case shows firing: plus",
        "1 cases: 0 passed, 1 failed",
    ]


def test_expected_errors_match_in_either_language(project):
    path = write_cases(project, """
  - name: out of range (English text)
    given: {a: {bad: 2}}
    error: Data file has
  - name: no error although one was expected
    error: anything
""")
    result = invoke("--lang", "zh", "test", path)
    lines = result.output.splitlines()
    assert lines[1] == "  通过  out of range (English text)"
    assert lines[2] == "  失败  no error although one was expected"
    assert lines[3] == "          应报错（包含 'anything'），但全部单位均已计分"


def test_a_bad_scenario_file_is_located(project):
    path = write_cases(project, """
  - name: typo
    expcet: {}
""")
    result = invoke("test", path)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        f"Error: Scenario file does not describe test cases: {path}",
        f"  - {path}:5: cases.0.expcet: unknown key (expected see docs/cli.md, section test)",
    ]


def test_no_scenario_files(tmp_path):
    result = invoke("test", str(tmp_path / "none.tests.yaml"))
    assert result.exit_code == 1
    assert "no such scenario file" in result.output
