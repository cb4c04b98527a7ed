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
from scoring.run import run_files

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


# --- files -----------------------------------------------------------------------------------

def test_missing_rules_file(tmp_path):
    result, rules_path, _ = invoke(tmp_path, rules=None)
    err = failed(result)
    assert f"Rule file not found: {rules_path}" in err
    assert f"{rules_path}: no such file" in err


def test_missing_data_file(tmp_path):
    result, _, data_path = invoke(tmp_path, data=None)
    err = failed(result)
    assert f"Data file not found: {data_path}" in err
    assert f"{data_path}: no such file" in err


@pytest.mark.parametrize("content", ["", "   \n\n"])
def test_empty_rules_file(tmp_path, content):
    result, rules_path, _ = invoke(tmp_path, rules=content)
    err = failed(result)
    assert f"Rule file is empty: {rules_path}" in err
    assert "the file has no content" in err


def test_empty_data_file(tmp_path):
    result, _, data_path = invoke(tmp_path, data="")
    err = failed(result)
    assert f"Data file is empty: {data_path}" in err


def test_data_file_with_header_only(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x,税收（万元）\n")
    err = failed(result)
    assert f"{data_path}:2: no data rows" in err


def test_rules_file_not_utf8(tmp_path):
    result, rules_path, _ = invoke(tmp_path, rules=RULES.encode("gbk"))
    err = failed(result)
    assert f"Rule file is not UTF-8 text: {rules_path}" in err
    assert "undecodable byte at offset" in err


def test_malformed_yaml(tmp_path):
    broken = RULES.replace("  x: {}\n", "  x: {column: [x\n")  # line 6: unclosed flow sequence
    result, rules_path, _ = invoke(tmp_path, rules=broken)
    err = failed(result)
    assert f"Rule file is not valid YAML: {rules_path}" in err
    assert f"{rules_path}:7:" in err  # the parser notices on the next line
    assert "expected valid YAML" in err


def test_yaml_top_level_not_a_mapping(tmp_path):
    result, rules_path, _ = invoke(tmp_path, rules="- just\n- a list\n")
    err = failed(result)
    assert f"{rules_path}:1: top level is not a mapping (found list;" in err


# --- data problems ----------------------------------------------------------------------------

def test_missing_column(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,税收（万元）\nU1,A,5\nU2,B,6\n")
    err = failed(result)
    assert (f"{data_path}:1: x: missing column (found columns: id, name, 税收（万元）; "
            "expected a column headed 'x')") in err


def test_missing_renamed_column_names_the_spreadsheet_header(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x\nU1,A,5\nU2,B,6\n")
    err = failed(result)
    assert f"{data_path}:1: 税收（万元）: missing column" in err


def test_duplicate_unit_id(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x,税收（万元）\nU1,A,1,5\nU2,B,2,6\nU1,C,3,7\n")
    err = failed(result)
    assert f"{data_path}:2: id: duplicate unit id on lines 2, 4 (found 'U1'; expected each id once)" in err


def test_duplicate_id_after_stripping_blanks(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x,税收（万元）\nU1,A,1,5\n U1 ,B,2,6\n")
    err = failed(result)
    assert "duplicate unit id on lines 2, 3" in err


def test_empty_unit_id(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x,税收（万元）\nU1,A,1,5\n,B,2,6\n")
    err = failed(result)
    assert f"{data_path}:3: id: empty unit id" in err


def test_non_numeric_cell(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x,税收（万元）\nU1,A,1,5\nU2,B,2,六\n")
    err = failed(result)
    assert (f"{data_path}:3: 税收（万元）: not a number (found '六'; "
            "expected a number (or an empty cell for a missing value))") in err


def test_value_out_of_range(tmp_path):
    rules = RULES.replace("  x: {}\n", "  x: {range: [0, 10]}\n")
    result, _, data_path = invoke(tmp_path, rules=rules, data="id,name,x,税收（万元）\nU1,A,11,5\nU2,B,-1,6\n")
    err = failed(result)
    assert f"{data_path}:2: x: value out of range (found 11; expected between 0 and 10)" in err
    assert f"{data_path}:3: x: value out of range (found -1; expected between 0 and 10)" in err


def test_all_data_problems_reported_together(tmp_path):
    data = ("id,name,x,税收（万元）\n"
            "U1,A,abc,5\n"      # line 2: bad x
            "U2,B,2,6\n"        # line 3
            "U2,C,3,1.2.3\n")   # line 4: duplicate id and bad 税收
    result, _, data_path = invoke(tmp_path, data=data)
    err = failed(result)
    assert f"Data file has 3 problem(s): {data_path}" in err
    assert f"{data_path}:3: id: duplicate unit id on lines 3, 4 (found 'U2'" in err
    assert f"{data_path}:2: x: not a number (found 'abc'" in err
    assert f"{data_path}:4: 税收（万元）: not a number (found '1.2.3'" in err


def test_missing_column_and_bad_cells_together(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x\nU1,A,x1\nU1,B,2\n")
    err = failed(result)
    assert f"Data file has 3 problem(s): {data_path}" in err
    assert "税收（万元）: missing column" in err
    assert "duplicate unit id" in err and "not a number (found 'x1'" in err


def test_data_error_object_lists_problems(tmp_path):
    (tmp_path / "r.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "d.csv").write_text("id,name,x,税收（万元）\nU1,A,?,5\nU2,B,!,6\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        run_files(tmp_path / "r.yaml", tmp_path / "d.csv")
    assert [(p.line, p.field, p.found) for p in info.value.problems] == [(2, "x", "'?'"), (3, "x", "'!'")]


# --- rule problems ---------------------------------------------------------------------------

def test_unknown_name_in_expression(tmp_path):
    rules = RULES.replace("    value: x\n", "    value: x / 税\n")  # line 11
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"Rule file does not describe a valid assessment: {rules_path}" in err
    assert (f"{rules_path}:11: indicators.0.value: unknown name '税' (found 'x / 税'; "
            "expected one of: 税收)") in err


def test_syntax_error_in_expression(tmp_path):
    rules = RULES.replace("    value: x\n", "    value: x * (2 +\n")
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"{rules_path}:11: indicators.0.value: syntax error in expression" in err
    assert "found 'x * (2 +'" in err


def test_disallowed_expression_in_rule_file(tmp_path):
    rules = RULES.replace("    value: x\n", "    value: \"__import__('os').getcwd()\"\n")
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"{rules_path}:11: indicators.0.value: 'Attribute' is not allowed in expressions" in err
    assert "unknown function '__import__'" in err


def test_unknown_scoring_method(tmp_path):
    rules = RULES.replace("      type: target\n", "      type: targett\n")  # line 17
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert (f"{rules_path}:17: indicators.1.method.type: unknown scoring method (found 'targett'; "
            "expected one of: minmax, best_ratio, benchmark, target, rank, bands, goalposts, percentile, "
            "zscore, formula)") in err


def test_unknown_aggregation(tmp_path):
    rules = RULES.replace("title: T\n", "title: T\naggregate: harmonic\n")  # line 3
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"{rules_path}:3: aggregate: value not allowed (found 'harmonic'; expected 'arithmetic' or 'geometric')" \
        in err


def test_unknown_group_aggregation(tmp_path):
    rules = RULES.replace("indicators:\n", "indicators:\n  - id: g\n    weight: 5\n    aggregate: mean\n"
                          "    children:\n      - {id: c, weight: 1, value: x, method: {type: minmax}}\n")
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    # inserted after line 8: '- id: g' is 9, weight 10, aggregate 11
    assert f"{rules_path}:11: indicators.0.aggregate: value not allowed (found 'mean'" in err


def test_negative_and_zero_weight(tmp_path):
    rules = RULES.replace("    weight: 10\n    value: x\n", "    weight: -5\n    value: x\n") \
                 .replace("    weight: 10\n    value: 税收\n", "    weight: 0\n    value: 税收\n")
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"{rules_path}:10: indicators.0.weight: Input should be greater than 0 (found -5)" in err
    assert f"{rules_path}:14: indicators.1.weight: Input should be greater than 0 (found 0)" in err


def test_unknown_key_typo(tmp_path):
    rules = RULES.replace("    method: {type: minmax}\n", "    method: {type: minmax, flor: 0.5}\n")
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"{rules_path}:12: indicators.0.method.flor: unknown key" in err


def test_missing_required_key(tmp_path):
    rules = RULES.replace("title: T\n", "")
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"{rules_path}:1: title: required key is missing" in err


def test_all_rule_problems_reported_together(tmp_path):
    rules = RULES.replace("    weight: 10\n    value: x\n", "    weight: 0\n    value: x\n") \
                 .replace("      type: target\n", "      type: nope\n")
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"{rules_path}:10: indicators.0.weight" in err
    assert f"{rules_path}:17: indicators.1.method.type: unknown scoring method (found 'nope'" in err


def test_outcome_asking_for_more_units_than_exist(tmp_path):
    rules = RULES.replace("  - {id: top, top: 1}\n", "  - {id: top, top: 4}\n")  # line 20
    result, rules_path, data_path = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"Outcomes do not fit the data in {data_path}" in err
    assert (f"{rules_path}:20: outcomes.0: outcome 'top' asks for 4 units but the data has 3 "
            "(found 4; expected at most 3)") in err


def test_missing_values_without_policy(tmp_path):
    result, _, _ = invoke(tmp_path, data="id,name,x,税收（万元）\nU1,A,,5\nU2,B,2,\nU3,C,3,7\n")
    err = failed(result)
    assert "2 missing value(s) cannot be scored" in err
    assert "s (s): value is missing" in err and "found unit U1" in err
    assert "tax (tax): value is missing" in err and "found unit U2" in err


def test_validate_reports_errors_the_same_way(tmp_path):
    result, _, data_path = invoke(tmp_path, data="id,name,x,税收（万元）\nU1,A,abc,5\n", command="validate")
    err = failed(result)
    assert f"{data_path}:2: x: not a number (found 'abc'" in err


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
     ":9: indicators.0: Value error, group 'g' has indicator-only key(s): value"),
    (RULES.replace("  - {id: top, top: 1}\n", "  - {id: top, top: 1, rounding: floor}\n"),
     ":20: outcomes.0: Value error, 'rounding' applies to top_percent/bottom_percent only"),
    (RULES.replace("  - {id: top, top: 1}\n", "  - {id: top, top: 1, bottom: 1}\n"),
     ":20: outcomes.0: Value error, an outcome needs exactly one selector"),
    (RULES + "adjustments:\n  - {id: m, when: x > 1, action: multiply, factor: 2, max: 3}\n",
     ":22: adjustments.0: Value error, action 'multiply' does not use: max"),
    (RULES + "adjustments:\n  - {id: b, when: x > 1, action: bonus}\n",
     ":22: adjustments.0: Value error, action 'bonus' needs 'points'"),
    (RULES + "pools:\n  - {id: p, min: 5, max: 1}\n",
     ":22: pools.0: Value error, pool 'p': 'min' (5) is above 'max' (1)"),
    (RULES.replace("  x: {}\n", "  x: {range: [10, 0]}\n"),
     ":6: inputs.x: Value error, range low end 10 is above the high end 0"),
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
     ":12: indicators.0.method: Value error, 'hi' (5.0) must be greater than 'lo' (5.0)"),
    (RULES.replace("    method: {type: minmax}\n", "    method: {type: minmax, floor: 1.5}\n"),
     ":12: indicators.0.method.floor: Input should be less than 1 (found 1.5)"),
])
def test_rule_structure_errors(tmp_path, rules, expected):
    result, rules_path, _ = invoke(tmp_path, rules=rules)
    err = failed(result)
    assert f"Rule file does not describe a valid assessment: {rules_path}" in err
    assert f"{rules_path}{expected}" in err if expected.startswith(":") else expected in err


def test_line_numbers_count_blank_lines_and_multi_line_cells(tmp_path):
    # line 3 is blank and U2's name spans lines 4-5, so the bad cell of U3 is on line 6
    data = 'id,name,x,税收（万元）\nU1,A,1,5\n\nU2,"two\nlines",2,6\nU3,C,3,七\n'
    result, _, data_path = invoke(tmp_path, data=data)
    assert f"{data_path}:6: 税收（万元）: not a number (found '七'" in failed(result)
