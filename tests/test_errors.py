"""Bad input: every message names the file, the line or row, the field and what was found/expected.

Each case is run through the CLI (``CliRunner``): exit status 1, ``Error:`` on stderr, no
traceback. Rule files are written as YAML text so the line numbers in the assertions can be
counted by eye (each line is numbered in a comment).
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main
from scoring.errors import DataError
from scoring.engine.run import run_files

# A valid rule file; the numbers on the right are line numbers.
RULES = """\
id: t
title: T
id_column: id
name_column: name
inputs:
  x: {}
  税收: {column: 税收（万元）}
indicators:
  - id: s
    weight: 10
    value: x
    method: {type: minmax}
  - id: tax
    weight: 10
    value: 税收
    method:
      type: target
      target: 100
outcomes:
  - {id: top, top: 1}
"""
#  1 id / 2 title / 3 id_column / 4 name_column / 5 inputs / 6 x / 7 税收 / 8 indicators
#  9 - id: s / 10 weight / 11 value / 12 method / 13 - id: tax / 14 weight / 15 value
# 16 method: / 17 type / 18 target / 19 outcomes / 20 - top

CSV = "id,name,x,税收（万元）\nU1,Alpha,1,50\nU2,Beta,2,100\nU3,Gamma,3,150\n"


def invoke(tmp_path, rules=RULES, data=CSV, *, rules_name="rules.yaml", data_name="data.csv", data_bytes=None,
           command="run"):
    rules_path = tmp_path / rules_name
    data_path = tmp_path / data_name
    if rules is not None:
        rules_path.write_bytes(rules if isinstance(rules, bytes) else rules.encode("utf-8"))
    if data_bytes is not None:
        data_path.write_bytes(data_bytes)
    elif data is not None:
        data_path.write_text(data, encoding="utf-8")
    result = CliRunner().invoke(main, [command, "--rules", str(rules_path), "--data", str(data_path)])
    return result, rules_path, data_path


def failed(result) -> str:
    """Assert a clean failure (exit 1, message on stderr, no traceback) and return stderr."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ")
    assert result.stdout == ""
    return result.stderr


def test_valid_fixture_runs(tmp_path):
    result, _, _ = invoke(tmp_path)
    assert result.exit_code == 0, result.output
    assert "Alpha" in result.stdout


def case(name, *expected, rules=RULES, data=CSV, data_bytes=None, command="run"):
    """One bad input: what is written (``rules``/``data`` None: no such file), the command, and every
    text the error must hold (``{rules}`` and ``{data}`` stand for the two files' paths)."""
    return pytest.param(rules, data, data_bytes, command, expected, id=name)


CASES = [
    # --- files ---
    case("missing_rules_file", "Rule file not found: {rules}", "{rules}: no such file", rules=None),
    case("missing_data_file", "Data file not found: {data}", "{data}: no such file", data=None),
    case("empty_rules_file", "Rule file is empty: {rules}", "the file has no content", rules=""),
    case("blank_rules_file", "Rule file is empty: {rules}", "the file has no content", rules="   \n\n"),
    case("empty_data_file", "Data file is empty: {data}", data=""),
    case("data_file_with_header_only", "{data}:2: no data rows", data="id,name,x,税收（万元）\n"),
    case("rules_file_not_utf8", "Rule file is not UTF-8 text: {rules}", "undecodable byte at offset",
         rules=RULES.encode("gbk")),
    case("malformed_yaml", "Rule file is not valid YAML: {rules}",
         "{rules}:7:",  # line 6 holds an unclosed flow sequence: the parser notices on the next line
         "expected valid YAML", rules=RULES.replace("  x: {}\n", "  x: {column: [x\n")),
    case("yaml_top_level_not_a_mapping", "{rules}:1: top level is not a mapping (found a list;",
         rules="- just\n- a list\n"),
    # --- data problems ---
    case("missing_column", "{data}:1: x: missing column (found columns: id, name, 税收（万元）; "
         "expected a column headed 'x')", data="id,name,税收（万元）\nU1,A,5\nU2,B,6\n"),
    case("missing_renamed_column_names_the_spreadsheet_header", "{data}:1: 税收（万元）: missing column",
         data="id,name,x\nU1,A,5\nU2,B,6\n"),
    case("duplicate_unit_id", "{data}:2: id: duplicate unit id on lines 2, 4 (found 'U1'; expected each id once)",
         data="id,name,x,税收（万元）\nU1,A,1,5\nU2,B,2,6\nU1,C,3,7\n"),
    case("duplicate_id_after_stripping_blanks", "duplicate unit id on lines 2, 3",
         data="id,name,x,税收（万元）\nU1,A,1,5\n U1 ,B,2,6\n"),
    case("empty_unit_id", "{data}:3: id: empty unit id", data="id,name,x,税收（万元）\nU1,A,1,5\n,B,2,6\n"),
    case("non_numeric_cell", "{data}:3: 税收（万元）: not a number (found '六'; "
         "expected a number (or an empty cell for a missing value))", data="id,name,x,税收（万元）\nU1,A,1,5\nU2,B,2,六\n"),
    case("value_out_of_range", "{data}:2: x: value out of range (found 11; expected between 0 and 10)",
         "{data}:3: x: value out of range (found -1; expected between 0 and 10)",
         rules=RULES.replace("  x: {}\n", "  x: {range: [0, 10]}\n"), data="id,name,x,税收（万元）\nU1,A,11,5\nU2,B,-1,6\n"),
    case("all_data_problems_reported_together", "Data file has 3 problem(s): {data}",
         "{data}:3: id: duplicate unit id on lines 3, 4 (found 'U2'", "{data}:2: x: not a number (found 'abc'",
         "{data}:4: 税收（万元）: not a number (found '1.2.3'",
         data=("id,name,x,税收（万元）\n"
               "U1,A,abc,5\n"      # line 2: bad x
               "U2,B,2,6\n"        # line 3
               "U2,C,3,1.2.3\n")),  # line 4: duplicate id and bad 税收
    case("missing_column_and_bad_cells_together", "Data file has 3 problem(s): {data}", "税收（万元）: missing column",
         "duplicate unit id", "not a number (found 'x1'", data="id,name,x\nU1,A,x1\nU1,B,2\n"),
    case("missing_values_without_policy", "2 missing value(s) cannot be scored", "s (s): value is missing",
         "found unit U1", "tax (tax): value is missing", "found unit U2",
         data="id,name,x,税收（万元）\nU1,A,,5\nU2,B,2,\nU3,C,3,7\n"),
    case("validate_reports_errors_the_same_way", "{data}:2: x: not a number (found 'abc'",
         data="id,name,x,税收（万元）\nU1,A,abc,5\n", command="validate"),
    case("line_numbers_count_blank_lines_and_multi_line_cells",  # line 3 is blank, U2's name spans lines 4-5
         "{data}:6: 税收（万元）: not a number (found '七'",
         data='id,name,x,税收（万元）\nU1,A,1,5\n\nU2,"two\nlines",2,6\nU3,C,3,七\n'),
    # --- rule problems ---
    case("unknown_name_in_expression", "Rule file does not describe a valid assessment: {rules}",
         "{rules}:11: indicators.0.value: unknown name '税' (found 'x / 税'; expected one of: 税收)",
         rules=RULES.replace("    value: x\n", "    value: x / 税\n")),  # line 11
    case("syntax_error_in_expression", "{rules}:11: indicators.0.value: syntax error in expression",
         "found 'x * (2 +'", rules=RULES.replace("    value: x\n", "    value: x * (2 +\n")),
    case("disallowed_expression_in_rule_file", "{rules}:11: indicators.0.value: 'Attribute' is not allowed in "
         "expressions", "unknown function '__import__'",
         rules=RULES.replace("    value: x\n", "    value: \"__import__('os').getcwd()\"\n")),
    case("unknown_scoring_method", "{rules}:17: indicators.1.method.type: unknown scoring method; did you mean "
         "'target'? (found 'targett'; expected one of: minmax (功效系数法), best_ratio (以最优值为标准), "
         "benchmark (与基准值比较), target (目标完成率), rank (排名赋分), bands (分档计分), goalposts (固定上下限), "
         "percentile (百分位计分), zscore (标准分计分), formula (公式计分))",
         rules=RULES.replace("      type: target\n", "      type: targett\n")),  # line 17
    case("unknown_aggregation", "{rules}:3: aggregate: value not allowed (found 'harmonic'; "
         "expected 'arithmetic' or 'geometric')", rules=RULES.replace("title: T\n", "title: T\naggregate: harmonic\n")),
    case("unknown_group_aggregation",  # inserted after line 8: '- id: g' is 9, weight 10, aggregate 11
         "{rules}:11: indicators.0.aggregate: value not allowed (found 'mean'",
         rules=RULES.replace("indicators:\n", "indicators:\n  - id: g\n    weight: 5\n    aggregate: mean\n"
                             "    children:\n      - {id: c, weight: 1, value: x, method: {type: minmax}}\n")),
    case("negative_and_zero_weight", "{rules}:10: indicators.0.weight: number out of range (found -5; expected greater than 0)",
         "{rules}:14: indicators.1.weight: number out of range (found 0; expected greater than 0)",
         rules=RULES.replace("    weight: 10\n    value: x\n", "    weight: -5\n    value: x\n")
                    .replace("    weight: 10\n    value: 税收\n", "    weight: 0\n    value: 税收\n")),
    case("unknown_key_typo", "{rules}:12: indicators.0.method.flor: unknown key; did you mean 'floor'? "
         "(expected one of: cap, type, floor)",
         rules=RULES.replace("    method: {type: minmax}\n", "    method: {type: minmax, flor: 0.5}\n")),
    case("missing_required_key", "{rules}:1: title: required key is missing", rules=RULES.replace("title: T\n", "")),
    case("all_rule_problems_reported_together", "{rules}:10: indicators.0.weight",
         "{rules}:17: indicators.1.method.type: unknown scoring method (found 'nope'",
         rules=RULES.replace("    weight: 10\n    value: x\n", "    weight: 0\n    value: x\n")
                    .replace("      type: target\n", "      type: nope\n")),
    case("outcome_asking_for_more_units_than_exist", "Outcomes do not fit the data in {data}",
         "{rules}:20: outcomes.0: outcome 'top' asks for 4 units but the data has 3 (found 4; expected at most 3)",
         rules=RULES.replace("  - {id: top, top: 1}\n", "  - {id: top, top: 4}\n")),  # line 20
]


@pytest.mark.parametrize("rules, data, data_bytes, command, expected", CASES)
def test_bad_input_is_reported(tmp_path, rules, data, data_bytes, command, expected):
    result, rules_path, data_path = invoke(tmp_path, rules=rules, data=data, data_bytes=data_bytes, command=command)
    err = failed(result)
    for text in expected:
        assert text.replace("{rules}", str(rules_path)).replace("{data}", str(data_path)) in err


def test_data_error_object_lists_problems(tmp_path):
    (tmp_path / "r.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "d.csv").write_text("id,name,x,税收（万元）\nU1,A,?,5\nU2,B,!,6\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        run_files(tmp_path / "r.yaml", tmp_path / "d.csv")
    assert [(p.line, p.field, p.found) for p in info.value.problems] == [(2, "x", "'?'"), (3, "x", "'!'")]


# --- encodings -------------------------------------------------------------------------------

CHINESE_RULES = """\
id: t
title: 测试
id_column: 编号
name_column: 小区名称
inputs:
  税收: {column: 税收（万元）}
indicators:
  - {id: s, weight: 100, value: 税收, method: {type: target, target: 100}}
"""
CHINESE_CSV = "编号,小区名称,税收（万元）\nZ01,夏阳第一经济小区,80\nZ02,朱家角第二经济小区,\"1,200\"\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_read_the_same(tmp_path, encoding):
    (tmp_path / "r.yaml").write_text(CHINESE_RULES, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_bytes(CHINESE_CSV.encode(encoding))
    if encoding == "utf-8-sig":
        assert data.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run_files(tmp_path / "r.yaml", data)
    assert result.name("Z01") == "夏阳第一经济小区"
    assert result.name("Z02") == "朱家角第二经济小区"
    # 80 / 100 x 100 = 80; "1,200" is 1200 (thousands separator, grouped by three) -> 1200
    assert result.total.to_dict() == pytest.approx({"Z01": 80.0, "Z02": 1200.0})


def test_gbk_csv_through_cli(tmp_path):
    result, _, _ = invoke(tmp_path, rules=CHINESE_RULES, data_bytes=CHINESE_CSV.encode("gbk"))
    assert result.exit_code == 0, result.output
    assert "夏阳第一经济小区" in result.stdout


def test_undecodable_csv(tmp_path):
    result, _, data_path = invoke(tmp_path, rules=CHINESE_RULES, data_bytes=b"\xff\xfe\x00\x81\x30bad,\xff\n")
    err = failed(result)
    assert f"Cannot decode data file: {data_path}" in err
    assert "not valid UTF-8 or GBK/GB18030 text (expected a CSV saved as UTF-8 or GBK)" in err


# --- structure and cross-reference checks (each names its line and field) -----------------

GROUP_WITH_VALUE = ("indicators:\n  - id: g\n    weight: 5\n    value: x\n    children:\n"
                    "      - {id: c, weight: 1, value: x, method: {type: minmax}}\n")


@pytest.mark.parametrize("rules, expected", [
    (RULES.replace("indicators:\n", GROUP_WITH_VALUE),
     ":9: indicators.0: group 'g' has indicator-only key(s): value"),
    (RULES.replace("  - {id: top, top: 1}\n", "  - {id: top, top: 1, rounding: floor}\n"),
     ":20: outcomes.0: 'rounding' applies to top_percent/bottom_percent only"),
    (RULES.replace("  - {id: top, top: 1}\n", "  - {id: top, top: 1, bottom: 1}\n"),
     ":20: outcomes.0: an outcome takes at most one selector"),
    (RULES + "adjustments:\n  - {id: m, when: x > 1, action: multiply, factor: 2, max: 3}\n",
     ":22: adjustments.0: action 'multiply' does not use: max"),
    (RULES + "adjustments:\n  - {id: b, when: x > 1, action: bonus}\n",
     ":22: adjustments.0: action 'bonus' needs 'points'"),
    (RULES + "pools:\n  - {id: p, min: 5, max: 1}\n",
     ":22: pools.0: pool 'p': 'min' (5) is above 'max' (1)"),
    (RULES.replace("  x: {}\n", "  x: {range: [10, 0]}\n"),
     ":6: inputs.x: range low end 10 is above the high end 0"),
    (RULES.replace("  - id: s\n", "  - id: total\n"),
     ":9: indicators.0.id: node id is a reserved word (found 'total'"),
    (RULES + "adjustments:\n  - {id: v, when: x > 1, action: veto, outcome: nope}\n",
     ":22: adjustments.0.outcome: unknown outcome (found 'nope'; expected one of: top)"),
    (RULES + "adjustments:\n  - {id: v, when: x > 1, action: bonus, points: 1, pool: nope}\n",
     ":22: adjustments.0.pool: unknown pool (found 'nope'"),
    (RULES + "adjustments:\n  - {id: v, when: x >> 1, action: flag}\n",
     ":22: adjustments.0.when: 'RShift' is not allowed in expressions"),
    (RULES + "adjustments:\n  - {id: v, when: totl > 1, action: flag}\n",
     ":22: adjustments.0.when: unknown name 'totl' (found 'totl > 1'; expected one of: total"),
    (RULES + "derived:\n  a1: a2 + 1\n  a2: a1 + 1\n",
     "derived: derived values depend on each other in a cycle (found a1, a2"),
    (RULES + "tie_break: [total, nope]\n",
     ":21: tie_break.1: unknown tie-break key (found 'nope'"),
    (RULES.replace("    value: x\n", "    value: x\n    group_by: nope\n"),
     ":12: indicators.0.group_by: unknown peer-group column (found 'nope'"),
    (RULES.replace("    method: {type: minmax}\n", "    method: {type: goalposts, lo: 5, hi: 5}\n"),
     ":12: indicators.0.method: 'hi' (5.0) must be greater than 'lo' (5.0)"),
    (RULES.replace("    method: {type: minmax}\n", "    method: {type: minmax, floor: 1.5}\n"),
     ":12: indicators.0.method.floor: number out of range (found 1.5; expected less than 1)"),
])
def test_rule_structure_errors(tmp_path, rules, expected):
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"Rule file does not describe a valid assessment: {rules_path}" in err
    assert f"{rules_path}{expected}" in err if expected.startswith(":") else expected in err
