"""The command line: exact output of ``run`` on a small fixture, formats, --out, validate, --version.

Fixture (totals worked out by hand; every indicator is ``target: 100``, so points = x/100 x weight):

    unit        a (w30)  b (w30)  Growth (w60)  Quality (w40)  base  bonus  total
    U1 Alpha    100->30  100->30  60            50->20         80    -      80
    U2 Beta      50->15   50->15  30           100->40         70    +2     72   (p = 3, rule max 2)
    U3 Gamma     80->24   60->18  42            25->10         52    -      52

Outcomes: top 1 (Commended) = U1, bottom 1 (Warned) = U3.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import scoring
from cli import main

RULES = {
    "id": "cli-test",
    "title": "CLI Test",
    "id_column": "id",
    "name_column": "name",
    "inputs": {"x": {}, "y": {}, "z": {}, "p": {}},
    "indicators": [
        {"id": "growth", "label": "Growth", "weight": 60, "children": [
            {"id": "a", "weight": 30, "value": "x", "method": {"type": "target", "target": 100}},
            {"id": "b", "weight": 30, "value": "y", "method": {"type": "target", "target": 100}}]},
        {"id": "quality", "label": "Quality", "weight": 40, "value": "z", "method": {"type": "target", "target": 100}},
    ],
    "adjustments": [
        {"id": "proj", "label": "Project bonus", "when": "p > 0", "action": "bonus", "points": "p", "max": 2},
        {"id": "never", "when": "x > 1000", "action": "flag"},
    ],
    "outcomes": [{"id": "top", "label": "Commended", "top": 1}, {"id": "low", "label": "Warned", "bottom": 1}],
}
DATA = "id,name,x,y,z,p\nU1,Alpha,100,100,50,0\nU2,Beta,50,50,100,3\nU3,Gamma,80,60,25,0\n"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Run in tmp_path with rules.yaml and data.csv, so the paths shown are short and fixed."""
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(RULES, sort_keys=False), encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def provenance_lines(workdir) -> list[str]:
    rules_sha, data_sha = sha(workdir / "rules.yaml"), sha(workdir / "data.csv")
    run_id = hashlib.sha256("\n".join([rules_sha, data_sha, scoring.__version__, "3"]).encode()).hexdigest()[:16]
    return [f"run {run_id} · zonescore {scoring.__version__} · 3 units",
            f"rules rules.yaml sha256:{rules_sha[:12]} · data data.csv sha256:{data_sha[:12]}"]


def invoke(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def run_cli(*extra):
    return invoke("run", "--rules", "rules.yaml", "--data", "data.csv", *extra)


def test_run_table_exact(workdir):
    # column widths: the widest of the cells and the header + 2 (tabulate's header padding)
    expected = "\n".join([
        "CLI Test",
        "",
        "  Rank  unit      Growth    Quality    Adjustments    Total  Outcome",
        "------  ------  --------  ---------  -------------  -------  ---------",
        "     1  Alpha      60.00      20.00           0.00    80.00  Commended",
        "     2  Beta       30.00      40.00          +2.00    72.00  -",
        "     3  Gamma      42.00      10.00           0.00    52.00  Warned",
        "",
        "Count: Commended 1, Warned 1 / 3",
        *provenance_lines(workdir),
    ]) + "\n"
    assert run_cli().stdout == expected


def test_run_csv_exact(workdir):
    expected = ("id,Rank,unit,Growth,Quality,Adjustments,Total,Outcome\n"
                "U1,1,Alpha,60.00,20.00,0.00,80.00,Commended\n"
                "U2,2,Beta,30.00,40.00,+2.00,72.00,-\n"
                "U3,3,Gamma,42.00,10.00,0.00,52.00,Warned\n")
    assert run_cli("--format", "csv").stdout == expected


def test_run_markdown(workdir):
    out = run_cli("--format", "markdown").stdout
    lines = out.splitlines()
    assert lines[0] == "## CLI Test"
    assert lines[2].startswith("|") and "Growth" in lines[2] and "Outcome" in lines[2]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[4:7]]
    assert rows == [["1", "Alpha", "60.00", "20.00", "0.00", "80.00", "Commended"],
                    ["2", "Beta", "30.00", "40.00", "+2.00", "72.00", "-"],
                    ["3", "Gamma", "42.00", "10.00", "0.00", "52.00", "Warned"]]
    assert "- Count: Commended 1, Warned 1 / 3" in lines
    assert all(f"- {line}" in lines for line in provenance_lines(workdir))


def test_run_json_structure(workdir):
    document = json.loads(run_cli("--format", "json").stdout)
    assert document["assessment"]["id"] == "cli-test"
    assert document["assessment"]["title"] == "CLI Test"
    assert document["assessment"]["full_score"] == 100
    units = document["units"]
    assert [u["id"] for u in units] == ["U1", "U2", "U3"]
    for unit in units:
        for key in ("id", "name", "rank", "total", "outcome", "groups", "indicators", "adjustments", "flags"):
            assert key in unit, key
    u1, u2, u3 = units
    assert (u1["name"], u1["rank"], u1["total"], u1["outcome"]) == ("Alpha", 1, 80.0, "top")
    assert (u2["name"], u2["rank"], u2["total"], u2["outcome"]) == ("Beta", 2, 72.0, None)
    assert (u3["name"], u3["rank"], u3["total"], u3["outcome"]) == ("Gamma", 3, 52.0, "low")
    assert u1["outcome_label"] == "Commended"
    assert u1["groups"] == {"growth": 60.0}
    assert u3["indicators"] == {"a": 24.0, "b": 18.0, "quality": 10.0}
    assert u2["base_total"] == 70.0 and u2["adjustments_total"] == 2.0
    assert u2["adjustments"] == [{"rule": "proj", "label": "Project bonus", "action": "bonus", "points": 2.0,
                                  "capped": 1.0}]
    assert u1["adjustments"] == [] and u1["flags"] == []
    assert document["summary"]["outcome_counts"] == {"top": 1, "low": 1}
    provenance = document["provenance"]
    assert provenance["rules"] == {"file": "rules.yaml", "sha256": sha(workdir / "rules.yaml")}
    assert provenance["data"] == [{"file": "data.csv", "sha256": sha(workdir / "data.csv")}]
    assert provenance["units"] == 3 and provenance["tool_version"] == scoring.__version__


def test_json_flags(workdir):
    rules = dict(RULES, adjustments=RULES["adjustments"] + [{"id": "watch", "when": "z < 30", "action": "flag"}])
    (workdir / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    units = {u["id"]: u for u in json.loads(run_cli("--format", "json").stdout)["units"]}
    assert units["U3"]["flags"] == ["watch"]
    assert units["U1"]["flags"] == []


def test_out_csv_has_bom_and_same_rows(workdir):
    result = run_cli("--out", "result.csv")
    assert result.stdout == ""
    assert "Wrote result.csv" in result.stderr
    raw = (workdir / "result.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["id", "Rank", "unit", "Growth", "Quality", "Adjustments", "Total", "Outcome"]
    assert rows[1:] == [["U1", "1", "Alpha", "60.00", "20.00", "0.00", "80.00", "Commended"],
                        ["U2", "2", "Beta", "30.00", "40.00", "+2.00", "72.00", "-"],
                        ["U3", "3", "Gamma", "42.00", "10.00", "0.00", "52.00", "Warned"]]


def test_out_json_and_markdown_by_extension(workdir):
    run_cli("--out", "result.json")
    raw = (workdir / "result.json").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert json.loads(raw)["units"][0]["id"] == "U1"
    run_cli("--out", "result.md")
    assert (workdir / "result.md").read_text(encoding="utf-8").startswith("## CLI Test\n")


def test_out_explicit_format_must_match_the_extension(workdir):
    result = CliRunner().invoke(main, ["run", "--rules", "rules.yaml", "--data", "data.csv", "--out", "result.txt",
                                       "--format", "json"])
    assert result.exit_code == 1 and not (workdir / "result.txt").exists()
    assert "--format json does not match the file name result.txt" in result.output
    run_cli("--out", "result.json", "--format", "json")
    assert json.loads((workdir / "result.json").read_text(encoding="utf-8"))["assessment"]["id"] == "cli-test"


def test_out_leaves_no_temporary_files(workdir):
    run_cli("--out", "result.csv")
    assert sorted(p.name for p in workdir.iterdir()) == ["data.csv", "result.csv", "rules.yaml"]


def test_validate(workdir):
    result = invoke("validate", "--rules", "rules.yaml", "--data", "data.csv")
    assert result.stdout.splitlines() == [
        "rules OK: rules.yaml (3 indicators in 1 group, 2 adjustment rules, 2 outcomes)",
        "data OK: data.csv (3 units)",
        "scoring OK: every unit could be scored, ranked and classified",
        "note: these adjustment rules fire for no unit: never",
    ]


def test_version():
    result = invoke("--version")
    assert result.stdout == f"zonescore, version {scoring.__version__}\n"


def test_help_lists_commands():
    out = invoke("--help").stdout
    assert "run" in out and "validate" in out


def test_running_twice_is_byte_identical(workdir):
    for fmt in ("table", "csv", "json", "markdown"):
        assert run_cli("--format", fmt).stdout_bytes == run_cli("--format", fmt).stdout_bytes, fmt
    run_cli("--out", "one.csv")
    run_cli("--out", "two.csv")
    assert (workdir / "one.csv").read_bytes() == (workdir / "two.csv").read_bytes()


def test_unknown_format_is_usage_error(workdir):
    result = CliRunner().invoke(main, ["run", "--rules", "rules.yaml", "--data", "data.csv", "--format", "xml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_python_dash_m_scoring_help(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    completed = subprocess.run([sys.executable, "-m", "scoring", "--help"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Usage: zonescore")
    assert "run" in completed.stdout and "validate" in completed.stdout
    assert completed.stderr == ""


def test_python_dash_m_scoring_run(workdir):
    completed = subprocess.run([sys.executable, "-m", "scoring", "run", "--rules", "rules.yaml", "--data",
                                "data.csv", "--format", "csv"], cwd=workdir, capture_output=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.decode("utf-8").splitlines()[1] == "U1,1,Alpha,60.00,20.00,0.00,80.00,Commended"


def test_python_dash_m_scoring_error_exit_code(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "scoring", "run", "--rules", "nope.yaml", "--data", "x.csv"],
                               cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert completed.stderr.startswith("Error: Rule file not found: nope.yaml")
    assert "Traceback" not in completed.stderr


def test_exempt_and_excluded_rows(workdir):
    rules = dict(RULES, inputs=dict(RULES["inputs"], e={}),
                 adjustments=[{"id": "new", "when": "e == 1", "action": "exempt"},
                              {"id": "out", "when": "e == 2", "action": "exclude"}])
    (workdir / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    # U1 (80) is excluded, U2 (70) exempt: U3 (52) is the only classified unit -> top and bottom want it
    (workdir / "data.csv").write_text("id,name,x,y,z,p,e\nU1,Alpha,100,100,50,0,2\nU2,Beta,50,50,100,0,1\n"
                                      "U3,Gamma,80,60,25,0,0\n", encoding="utf-8")
    rows = list(csv.reader(io.StringIO(run_cli("--format", "csv").stdout)))
    # no bonus, deduction, factor, pool or limit: no adjustments column (tests/test_traps.py)
    assert rows[1:] == [["U2", "1", "Beta", "30.00", "40.00", "70.00", "not classified"],
                        ["U3", "2", "Gamma", "42.00", "10.00", "52.00", "Commended"],
                        ["U1", "", "Alpha", "60.00", "20.00", "80.00", "not assessed"]]
    table = run_cli().stdout
    assert "Count: Commended 1, Warned 0, not classified 1, not assessed 1 / 3" in table
    assert "note: outcome 'low' wanted 1 unit(s) but only 0 were eligible" in table
    document = json.loads(run_cli("--format", "json").stdout)
    last = document["units"][-1]
    assert (last["id"], last["rank"], last["position"], last["status"]) == ("U1", None, None, "excluded")
    assert last["adjustments"] == [{"rule": "out", "label": "out", "action": "exclude"}]


def test_out_into_missing_directory_is_clean_error(workdir):
    result = CliRunner().invoke(main, ["run", "--rules", "rules.yaml", "--data", "data.csv",
                                       "--out", "nowhere/result.csv"])
    assert result.exit_code == 1
    assert "Error: Cannot write nowhere/result.csv: directory does not exist" in result.stderr
    assert not (workdir / "nowhere").exists()
