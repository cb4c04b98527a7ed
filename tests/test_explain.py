"""Explanations: points add up, needed values really cross the line, unknown units, provenance.

A small hand-made fixture (8 units, two groups, a capped bonus, a veto, a forced warning) is
used throughout; the same checks run on the shipped sample (zones.csv) when it exists. Each pair
of files is run once and each unit explained once per module (the tests only read runs and
explanations); the runs on changed data that check a needed value are made per check.
"""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scoring.errors import OptionError
from scoring.analysis.explain import explain_unit, resolve_unit
from scoring.analysis.explain_needed import search_input
from scoring.report.explain_render import explanation_document, render_explanation
from scoring.analysis.lines import outcome_lines
from scoring.report.provenance import provenance_of, stamp
from scoring.engine.run import run_files

from conftest import ROOT, SMALL_ROWS, SMALL_RULES, write_csv_file, write_rules_file

SHIPPED_RULES = ROOT / "rules" / "qingpu-2023.yaml"
SHIPPED_DATA = ROOT / "zones.csv"
needs_sample = pytest.mark.skipif(not SHIPPED_DATA.exists(), reason="zones.csv not at the repo root")

RULES, ROWS = SMALL_RULES, SMALL_ROWS


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory):
    """The hand-made rule file and data, written once for the module (no test writes to them)."""
    where = tmp_path_factory.mktemp("explain")
    return write_rules_file(where, RULES), write_csv_file(where, ROWS)


@pytest.fixture(scope="module")
def runs():
    """``runs(rules, data)``: run_files once per pair of files in this module. Explanations and the
    checks below only read a run (the one test that stamps a run makes its own)."""
    done = {}

    def run(rules, data):
        key = (str(rules), str(data))
        if key not in done:
            done[key] = run_files(rules, data)
        return done[key]
    return run


@pytest.fixture(scope="module")
def explained():
    """``explained(result, unit_id, needed=True)``: explain_unit once per run, unit and ``needed``
    (an explanation is plain data; the tests only read it)."""
    done = {}

    def explain(result, unit_id, needed=True):
        key = (id(result), unit_id, needed)
        if key not in done:
            done[key] = (result, explain_unit(result, unit_id, needed=needed))  # the run kept alive with its key
        return done[key][1]
    return explain


@pytest.fixture(scope="module")
def fixture_result(fixture_files, runs):
    return runs(*fixture_files)


def _cases():
    cases = [pytest.param("fixture", id="fixture")]
    cases.append(pytest.param("shipped", id="shipped", marks=needs_sample))
    return cases


@pytest.fixture(scope="module", params=_cases())
def files(request, fixture_files):
    return fixture_files if request.param == "fixture" else (SHIPPED_RULES, SHIPPED_DATA)


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _round(value):
    return round(float(value), 6) + 0.0


# --- points add up ------------------------------------------------------------------------------


def test_points_add_up_to_groups_and_total_of_run(files, runs, explained):
    result = runs(*files)
    table = result.table()
    for unit_id in result.index:
        ex = explained(result, unit_id, needed=False)
        for group in ex.groups():
            assert math.isclose(sum(child.points for child in group.children), group.points, abs_tol=1e-9)
        assert math.isclose(sum(node.points for node in ex.tree), ex.base_total, abs_tol=1e-9)
        assert math.isclose(ex.base_total + ex.adjustments_total, ex.total, abs_tol=1e-9)
        row = table.loc[unit_id]
        for node in ex.tree:
            assert math.isclose(node.points, row[node.id], abs_tol=1e-9)
        assert math.isclose(ex.total, row["total"], abs_tol=1e-9)
        assert ex.rank == row["rank"] and ex.outcome == (row["outcome"] if isinstance(row["outcome"], str) else None)


def test_explanation_json_matches_run_json(files, runs, explained):
    rules, data = files
    done = _cli("run", "--rules", rules, "--data", data, "--format", "json")
    assert done.exit_code == 0, done.output
    records = {unit["id"]: unit for unit in json.loads(done.stdout)["units"]}
    result = runs(rules, data)
    for unit_id in list(result.index)[:8]:
        doc = explanation_document(explained(result, unit_id, needed=False))
        record = records[unit_id]
        assert doc["total"] == record["total"] and doc["base_total"] == record["base_total"]
        nodes = _flatten(doc["tree"])
        for node_id, points in record["groups"].items():
            assert nodes[node_id]["points"] == points
        for node_id, points in record["indicators"].items():
            assert nodes[node_id]["points"] == points
        leaf_sum = sum(n["points"] for n in nodes.values() if n["kind"] == "indicator")
        assert leaf_sum == pytest.approx(record["base_total"], abs=1e-5)


def _flatten(nodes):
    out = {}
    for node in nodes:
        out[node["id"]] = node
        out.update(_flatten(node.get("children", [])))
    return out


# --- contents -----------------------------------------------------------------------------------


def test_contents_in_rule_order_with_inputs_stats_and_adjustments(fixture_result, explained):
    ex = explained(fixture_result, "U1", needed=False)
    assert [n.id for n in ex.nodes()] == ["grow", "g_rate", "g_sales", "size", "s_firms"]
    rate = next(ex.indicators())
    assert rate.label == "增速" and rate.method == "minmax" and rate.settings["floor"] == 0.5
    assert [v.name for v in rate.inputs] == ["growth", "sales", "last"]
    assert rate.inputs[1].label == "销售额" and rate.inputs[1].value == 120
    assert rate.value == pytest.approx(20.0)
    assert set(rate.stats) == {"min", "max"} and rate.stats["max"] == pytest.approx(36.36363636)
    firms = [i for i in ex.indicators() if i.id == "s_firms"][0]
    assert firms.stats == {"rank": 1, "count": 8} and firms.peer_rank == 1
    bonus = ex.adjustments[0]
    assert (bonus.rule, bonus.condition, bonus.points, bonus.capped) == ("big", "firms >= 50", 2.0, 4.0)


def test_veto_forced_and_lines(fixture_result, explained):
    vetoed = explained(fixture_result, "丙", needed=False)  # by exact name
    assert vetoed.unit == "U3" and vetoed.vetoed == ("top",) and vetoed.outcome != "top"
    assert any(a.action == "veto" and a.condition == "bad == 1" for a in vetoed.adjustments)
    forced = explained(fixture_result, "U5", needed=False)
    assert forced.forced == "warn" and forced.outcome == "warn"
    line = outcome_lines(fixture_result)["warn"]
    warned_by_rank = [u for u in fixture_result.index
                      if fixture_result.ranking.outcome[u] == "warn" and u != "U5"]
    shown = {u: round(fixture_result.total[u], 2) for u in fixture_result.index}  # lines use displayed totals
    assert line.total == pytest.approx(max(shown[u] for u in warned_by_rank))
    lines = {l.outcome: l for l in explained(fixture_result, "U7", needed=False).lines}
    assert lines["warn"].member and lines["warn"].distance == pytest.approx(shown["U7"] - line.total)


def test_strongest_and_weakest_by_score_rate(files, runs, explained):
    """One definition (scoring.analysis.lines.strongest_weakest): 得分率 = points / full points; the
    strongest are the highest rates at full points or above the unit's overall rate, the weakest
    the lowest below both."""
    result = runs(*files)
    for unit_id in list(result.index)[:10]:
        ex = explained(result, unit_id, needed=False)
        overall = ex.base_total / ex.full_score
        rates = {i.id: i.points / i.weight for i in ex.indicators()}
        above = sorted((r for r in rates.values() if r >= 1 or r > overall), reverse=True)[:3]
        below = sorted(r for r in rates.values() if r < min(overall, 1.0))[:3]
        assert [r.fraction for r in ex.strongest] == pytest.approx(above)
        assert [r.fraction for r in ex.weakest] == pytest.approx(below)
        assert all(r.fraction < 1 for r in ex.weakest)
        for r in ex.strongest + ex.weakest:
            assert r.fraction == pytest.approx(rates[r.indicator]) and r.points == pytest.approx(r.fraction * r.full)
            fraction = result.tree.fractions.at[unit_id, r.indicator]
            assert r.rank == 1 + int((result.tree.fractions[r.indicator] > fraction).sum())


def test_strongest_in_fixture(fixture_result, explained):
    ex = explained(fixture_result, "U1", needed=False)  # 103.71 of 100: 销售 123.1%, 企业 100%, 增速 89.3%
    assert [(r.indicator, r.rank) for r in ex.strongest] == [("g_sales", 2), ("s_firms", 1)]
    assert [r.indicator for r in ex.weakest] == ["g_rate"]


def test_search_input_looks_through_derived_values(fixture_result):
    assert search_input(fixture_result.assessment, "g_rate") == "sales"
    assert search_input(fixture_result.assessment, "s_firms") == "firms"


# --- needed values really cross the line --------------------------------------------------------


def _with_value(data_path: Path, id_column: str, unit_id: str, header: str, value: float, tmp_path: Path) -> Path:
    text = Path(data_path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    for row in rows[1:]:
        if row and row[head.index(id_column)] == unit_id:
            row[head.index(header)] = repr(float(value))
    out = tmp_path / f"changed-{unit_id}-{header}-{value}.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return out


def _check_needed(runs, explained, rules, data, unit_id, tmp_path, want_found=1):
    result = runs(rules, data)
    spec = result.assessment.spec
    ex = explained(result, unit_id)
    assert ex.needed, "the unit should be on the wrong side of some line"
    checked = set()
    for nv in ex.needed:
        assert nv.status in ("found", "unreachable")
        if nv.status != "found" or (nv.input, nv.outcome, nv.goal) in checked:
            continue
        checked.add((nv.input, nv.outcome, nv.goal))
        header = spec.inputs[nv.input].column or nv.input
        moved = run_files(rules, _with_value(data, spec.id_column, unit_id, header, nv.needed, tmp_path))
        short = run_files(rules, _with_value(data, spec.id_column, unit_id, header, nv.short, tmp_path))
        assert abs(nv.needed - nv.short) == pytest.approx(nv.step)
        has = (lambda r: r.ranking.outcome[unit_id] == nv.outcome)
        if nv.goal in ("reach", "fall"):  # into the outcome at `needed`, not one step short of it
            assert has(moved) and not has(short), nv
        else:
            assert not has(moved) and has(short), nv
    assert len(checked) >= want_found
    return ex


def test_needed_values_cross_the_line_fixture(fixture_files, runs, explained, tmp_path):
    ex = _check_needed(runs, explained, *fixture_files, "U6", tmp_path)  # ranked just below the commended units
    assert {(nv.goal, nv.outcome) for nv in ex.needed} == {("reach", "top"), ("fall", "warn")}
    warned = _check_needed(runs, explained, *fixture_files, "U7", tmp_path)
    assert {nv.goal for nv in warned.needed} == {"reach", "escape"}


def test_needed_says_vetoed_when_the_veto_reads_other_inputs(fixture_result, explained):
    # U3's veto reads only 'bad': no indicator input can lift it, so no search is run
    ex = explained(fixture_result, "U3")
    reach = [nv for nv in ex.needed if nv.outcome == "top"]
    assert reach and all(nv.status == "vetoed" for nv in reach)
    text = render_explanation(ex, "text")
    assert "\n一票否决 applies: no single input can get it into 表彰\n" in text  # said once, not per indicator
    reach_text = text.split("Needed to be 表彰")[1].split("How far from")[0]
    assert "gets it into 表彰" not in reach_text and "one input changed" not in reach_text


def test_needed_searches_when_the_veto_reads_the_input(tmp_path):
    # the veto now reads growth (from sales): changing sales may lift it, so the search runs
    rules = {**SMALL_RULES, "adjustments": [
        {"id": "cheat", "label": "一票否决", "when": "bad == 1 and growth < 50", "action": "veto", "outcome": "top"}]}
    result = run_files(write_rules_file(tmp_path, rules), write_csv_file(tmp_path, SMALL_ROWS))
    reach = [nv for nv in explain_unit(result, "U3").needed if nv.outcome == "top" and nv.input == "sales"]
    assert reach and all(nv.status != "vetoed" for nv in reach)


def test_forced_warning_escaped_through_its_condition(fixture_files, runs, explained, tmp_path):
    ex = _check_needed(runs, explained, *fixture_files, "U5", tmp_path)
    escape = [nv for nv in ex.needed if nv.goal == "escape" and nv.input == "sales"]
    assert escape and escape[0].needed >= 70  # growth must reach -30% (sales 70 on last 100) to lift the force


@needs_sample
def test_needed_values_cross_the_line_shipped(runs, explained, tmp_path):
    result = runs(SHIPPED_RULES, SHIPPED_DATA)
    order = result.ranking.order
    warned = [u for u in order if result.ranking.outcome[u] == "warned" and not result.adjustments.forced[u]]
    vetoed = {u for series in result.adjustments.vetoed.values() for u in series.index[series.to_numpy()]}
    outside = [u for u in order if result.ranking.outcome[u] is None and result.ranking.status[u] == "ranked"
               and u not in vetoed]
    _check_needed(runs, explained, SHIPPED_RULES, SHIPPED_DATA, warned[0], tmp_path)
    _check_needed(runs, explained, SHIPPED_RULES, SHIPPED_DATA, outside[0], tmp_path)


# --- unknown units ------------------------------------------------------------------------------


def test_unknown_unit_suggests_close_names(fixture_result):
    assert resolve_unit(fixture_result, "u1") == "U1"
    with pytest.raises(OptionError) as info:
        resolve_unit(fixture_result, "U9")
    assert "did you mean" in str(info.value) and "U1 甲" in str(info.value)


@needs_sample
def test_unknown_unit_cli_message():
    done = _cli("explain", "夏阳", "--rules", SHIPPED_RULES, "--data", SHIPPED_DATA)
    assert done.exit_code != 0
    message = done.output + (done.stderr or "")
    assert "did you mean" in message and "夏阳第一经济小区" in message and "夏阳第二经济小区" in message
    assert "Traceback" not in message and isinstance(done.exception, SystemExit)


def test_unknown_unit_cli_fixture(fixture_files):
    rules, data = fixture_files
    done = _cli("explain", "U0", "--rules", rules, "--data", data)
    assert done.exit_code != 0
    assert "U1 甲" in done.output and "Traceback" not in done.output


# --- rendering, provenance, timestamps ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_explain_cli_formats(fixture_files, runs, fmt):
    rules, data = fixture_files
    first = _cli("explain", "U7", "--rules", rules, "--data", data, "--format", fmt)
    second = _cli("explain", "U7", "--rules", rules, "--data", data, "--format", fmt)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    assert provenance_of(runs(rules, data)).run_id in first.stdout
    if fmt == "json":
        doc = json.loads(first.stdout)
        assert doc["unit"] == "U7" and doc["provenance"]["data"][0]["sha256"] and "timestamp" not in doc["provenance"]
    else:
        assert "增速" in first.stdout and "规模加分" not in first.stdout


def test_provenance_changes_with_one_cell(tmp_path):
    rules = write_rules_file(tmp_path, RULES)
    before = provenance_of(run_files(rules, write_csv_file(tmp_path, ROWS, "a.csv")))
    rows = [dict(row) for row in ROWS]
    rows[3]["firms"] = 21
    after = provenance_of(run_files(rules, write_csv_file(tmp_path, rows, "b.csv")))
    assert before.rules_sha256 == after.rules_sha256
    assert before.data_files[0][1] != after.data_files[0][1]
    assert before.run_id != after.run_id


def test_no_timestamp_unless_asked(fixture_files):
    rules, data = fixture_files
    for command in (["run"], ["run", "--format", "json"], ["explain", "U2"]):
        runs = [_cli(*command, "--rules", rules, "--data", data) for _ in range(2)]
        assert runs[0].exit_code == 0 and runs[0].stdout == runs[1].stdout
        assert "\ngenerated " not in runs[0].stdout and '"timestamp":' not in runs[0].stdout
    stamped = _cli("run", "--format", "json", "--timestamp", "--rules", rules, "--data", data)
    plain = _cli("run", "--format", "json", "--rules", rules, "--data", data)
    doc, plain_doc = json.loads(stamped.stdout), json.loads(plain.stdout)
    assert doc["provenance"]["timestamp"] and doc["provenance"]["run_id"] == plain_doc["provenance"]["run_id"]
    assert "\ngenerated " in _cli("explain", "U2", "--timestamp", "--rules", rules, "--data", data).stdout


def test_stamp_keeps_run_id(fixture_files):
    result = run_files(*fixture_files)  # its own run: stamping changes it
    run_id = provenance_of(result).run_id
    stamp(result)
    assert provenance_of(result).timestamp and provenance_of(result).run_id == run_id


def test_run_explain_adds_reason_column(fixture_files):
    rules, data = fixture_files
    done = _cli("run", "--explain", "--rules", rules, "--data", data)
    assert done.exit_code == 0, done.output
    assert "Reason" in done.stdout and "强制预警" in done.stdout
    doc = json.loads(_cli("run", "--explain", "--format", "json", "--rules", rules, "--data", data).stdout)
    assert all("reason" in unit for unit in doc["units"])
