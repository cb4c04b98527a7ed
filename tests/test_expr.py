"""The expression language: whitelist parsing, names, functions, peer statistics, logic.

Expected values are worked out by hand in the comments next to each assertion.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from scoring.errors import ExpressionError, RuleFileError
from scoring.api.expr import Env, evaluate, parse

from conftest import indicator, rule_doc, units, write_csv_file, write_rules_file
from scoring.engine.run import run_files

NAN = float("nan")
KNOWN = {"a": 1, "b": 1, "c": 1, "税收": 1, "纳税户数": 1, "bbb": 1}


def problems_of(text, known=KNOWN):
    with pytest.raises(ExpressionError) as info:
        parse(text, known=known, where="derived.q", file="rules.yaml", line=7)
    return info.value.problems


def messages(text, known=KNOWN) -> str:
    return "\n".join(p.render() for p in problems_of(text, known))


def ev(text, columns, groups=None):
    size = len(next(iter(columns.values())))
    cols = {k: (np.asarray(v, float) if not isinstance(v[0], str) else np.asarray(v, object))
            for k, v in columns.items()}
    return evaluate(parse(text), Env(cols, size, None if groups is None else np.asarray(groups, str)))


def same(actual, expected):
    """Element-wise equality with NaN == NaN and a small tolerance."""
    actual = np.asarray(actual, float)
    expected = np.asarray(expected, float)
    assert actual.shape == expected.shape, (actual, expected)
    assert np.allclose(actual, expected, equal_nan=True, rtol=0, atol=1e-12), (actual.tolist(), expected.tolist())


# --- whitelist ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, node", [
    ("a.b", "Attribute"),
    ("a.__class__", "Attribute"),
    ("a[0]", "Subscript"),
    ("lambda: 1", "Lambda"),
    ("[c for c in a]", "ListComp"),
    ("{c for c in a}", "SetComp"),
    ("(a := 1)", "NamedExpr"),
    ("a // b", "FloorDiv"),
    ("a is b", "Is"),
    ("a in b", "In"),
    ("~a", "Invert"),
    ("[1, 2]", "List"),
    ("{1: 2}", "Dict"),
    ("f'{a}'", "JoinedStr"),
])
def test_disallowed_syntax_is_rejected_with_node_name(text, node):
    text_out = messages(text)
    assert f"'{node}' is not allowed in expressions" in text_out
    # located: file, line and field of the expression, and what was found
    assert "rules.yaml:7: derived.q:" in text_out
    assert repr(text) in text_out


@pytest.mark.parametrize("text", ["__import__('os')", "open('x')", "getattr(a, 'b')", "eval('1')", "exec('1')"])
def test_dangerous_calls_are_unknown_functions(text):
    problems = problems_of(text)
    assert len(problems) == 1
    name = text.split("(")[0]
    assert problems[0].message == f"unknown function '{name}'"
    assert "mean" in problems[0].expected  # lists the allowed functions


def test_rejected_expression_never_runs(tmp_path, monkeypatch):
    # if __import__('os') were evaluated, os.system would be reachable; the parse must fail first
    marker = tmp_path / "ran"
    text = f"__import__('os').system('touch {marker}')"
    with pytest.raises(ExpressionError):
        parse(text, known=KNOWN)
    assert not marker.exists()


def test_method_call_on_result_is_rejected():
    text = messages("abs(a)(b)")
    assert "only plain function calls are allowed" in text


def test_unknown_function_suggests_close_names():
    problems = problems_of("mena(a)")
    assert problems[0].message == "unknown function 'mena'"
    assert problems[0].expected == "one of: mean, median"


def test_unknown_name_suggests_close_names():
    problems = problems_of("a + bb")
    assert problems[0].message == "unknown name 'bb'"
    # difflib ranks 'bbb' (ratio 0.8) before 'b' (0.67)
    assert problems[0].expected == "one of: bbb, b"


def test_unknown_chinese_name_suggests_chinese_name():
    problems = problems_of("税收 / 纳税户")
    assert problems[0].message == "unknown name '纳税户'"
    assert "纳税户数" in problems[0].expected


def test_unknown_name_without_close_match_explains_what_is_allowed():
    problems = problems_of("zzzzzz * 2")
    assert problems[0].expected == "an input, derived value or indicator id"


def test_every_unknown_name_is_reported():
    problems = problems_of("x1 + y1 * a")
    assert sorted(p.message for p in problems) == ["unknown name 'x1'", "unknown name 'y1'"]


@pytest.mark.parametrize("text, message", [
    ("if(a)", "function 'if' takes 3 arguments, got 1"),
    ("growth(a)", "function 'growth' takes 2 arguments, got 1"),
    ("clip(a, 1)", "function 'clip' takes 3 arguments, got 2"),
    ("mean(a, b)", "peer statistic 'mean' takes one argument, got 2"),
    ("rank(a, b)", "peer statistic 'rank' takes one argument, got 2"),
    ("min()", "function 'min' needs an argument"),
    ("max(a, key=b)", "function 'max' takes positional arguments only"),
])
def test_wrong_arity_is_reported(text, message):
    assert message in messages(text)


@pytest.mark.parametrize("text", ["a if b else c", "a +", "(a", "a b"])
def test_syntax_errors(text):
    problems = problems_of(text)
    assert problems[0].message.startswith("syntax error in expression")
    assert problems[0].found == repr(text)


@pytest.mark.parametrize("text", ["None", "...", "b'x'"])
def test_unsupported_constants(text):
    assert "unsupported constant" in messages(text)


def test_names_exclude_function_names():
    expr = parse("if(a > mean(b), max(a, c), growth(a, b))", known=KNOWN)
    assert expr.names == frozenset({"a", "b", "c"})


def test_if_inside_a_string_is_not_renamed():
    # only the NAME token 'if' becomes the internal function; the string stays 'if'
    result = ev("g == 'if'", {"g": ["if", "x"]})
    assert result.tolist() == [True, False]


# --- Chinese identifiers and arithmetic ------------------------------------------------------

def test_chinese_identifiers():
    expr = parse("税收 / 纳税户数 * 100", known=KNOWN)
    assert expr.names == frozenset({"税收", "纳税户数"})
    # 50 / 20 * 100 = 250; 9 / 3 * 100 = 300
    same(ev("税收 / 纳税户数 * 100", {"税收": [50, 9], "纳税户数": [20, 3]}), [250, 300])


def test_arithmetic_operators():
    cols = {"a": [7, -3], "b": [2, 4]}
    same(ev("a + b", cols), [9, 1])
    same(ev("a - b", cols), [5, -7])
    same(ev("a * b", cols), [14, -12])
    same(ev("a / b", cols), [3.5, -0.75])
    same(ev("a ** 2", cols), [49, 9])
    same(ev("a % 3", cols), [1, 0])  # Python/numpy modulo: -3 % 3 = 0
    same(ev("-a", cols), [-7, 3])
    same(ev("+a", cols), [7, -3])
    same(ev("2 + 3 * 4", cols), [14, 14])  # constants broadcast to every unit


def test_elementwise_functions():
    cols = {"a": [4.0, 100.0], "b": [-2.0, 3.0]}
    same(ev("sqrt(a)", cols), [2, 10])
    same(ev("abs(b)", cols), [2, 3])
    same(ev("log10(a)", cols), [math.log10(4), 2])
    same(ev("log(a)", cols), [math.log(4), math.log(100)])
    same(ev("exp(b)", cols), [math.exp(-2), math.exp(3)])
    same(ev("clip(a, 5, 50)", cols), [5, 50])


def test_if_function():
    cols = {"a": [1, 5, 10], "b": [100, 200, 300]}
    # a > 4 ? a : b  -> 100, 5, 10
    same(ev("if(a > 4, a, b)", cols), [100, 5, 10])
    # nested: a > 7 ? 3 : (a > 4 ? 2 : 1)
    same(ev("if(a > 7, 3, if(a > 4, 2, 1))", cols), [1, 2, 3])


def test_if_condition_missing_counts_as_false():
    # a bare number as condition: missing -> false branch, 0 -> false branch, 3 -> true branch
    same(ev("if(a, 1, 2)", {"a": [NAN, 0, 3]}), [2, 2, 1])


# --- growth -------------------------------------------------------------------------------

def test_growth_percent():
    # (110/100 - 1) * 100 = 10; (45/50 - 1) * 100 = -10; (0/20 - 1) * 100 = -100
    same(ev("growth(a, b)", {"a": [110, 45, 0], "b": [100, 50, 20]}), [10, -10, -100])


def test_growth_on_zero_or_negative_base_is_nan():
    # no base (无基数): zero or negative previous value -> undefined, not inf or a sign flip
    same(ev("growth(a, b)", {"a": [10, 10, 10, NAN], "b": [0, -5, NAN, 10]}), [NAN, NAN, NAN, NAN])


def test_growth_nan_goes_to_missing_policy(tmp_path):
    # growth on a zero base is missing; policy 'zero' gives 0 points to that unit only.
    rules = rule_doc([indicator("g", "growth(x, y)", {"type": "minmax"}, weight=10, missing="zero")],
                     inputs={"x": {}, "y": {}})
    result = run_files(write_rules_file(tmp_path, rules),
                       write_csv_file(tmp_path, units({"x": [110, 130, 50], "y": [100, 100, 0]})))
    # growths 10, 30, NaN: minmax over [10, 30] -> 0, 10; U3 missing -> 0
    assert result.tree.points["g"].tolist() == pytest.approx([0.0, 10.0, 0.0])
    assert result.tree.missing["g"].tolist() == [False, False, True]


# --- peer statistics -----------------------------------------------------------------------

POP = {"a": [1.0, 4.0, 2.0, 8.0, NAN]}
GROUPS = ["X", "X", "Y", "Y", "X"]


def test_peer_stats_whole_population_ignore_missing():
    # present values 1, 4, 2, 8
    same(ev("mean(a)", POP), [3.75] * 5)          # 15 / 4
    same(ev("median(a)", POP), [3.0] * 5)         # (2 + 4) / 2
    same(ev("max(a)", POP), [8.0] * 5)
    same(ev("min(a)", POP), [1.0] * 5)
    same(ev("sum(a)", POP), [15.0] * 5)
    same(ev("count(a)", POP), [4.0] * 5)
    # population std: deviations -2.75, .25, -1.75, 4.25 -> squares sum 28.75 -> sqrt(28.75 / 4)
    same(ev("std(a)", POP), [math.sqrt(28.75 / 4)] * 5)


def test_rank_and_pct_rank_whole_population():
    # rank: 1 for the highest; 8 -> 1, 4 -> 2, 2 -> 3, 1 -> 4; missing stays missing
    same(ev("rank(a)", POP), [4, 2, 3, 1, NAN])
    # pct_rank = (ascending rank - 1) / (count - 1): 1 -> 0, 2 -> 1/3, 4 -> 2/3, 8 -> 1
    same(ev("pct_rank(a)", POP), [0, 2 / 3, 1 / 3, 1, NAN])


def test_rank_ties_share_best_rank_and_pct_rank_averages():
    cols = {"a": [10.0, 20.0, 20.0, 5.0]}
    # competition ranking: 20, 20 -> 1, 1; 10 -> 3; 5 -> 4
    same(ev("rank(a)", cols), [3, 1, 1, 4])
    # ascending average ranks: 5 -> 1, 10 -> 2, 20s -> 3.5; (r - 1) / 3
    same(ev("pct_rank(a)", cols), [1 / 3, 2.5 / 3, 2.5 / 3, 0])


def test_peer_stats_within_groups():
    # group X: 1, 4 (and a missing value); group Y: 2, 8
    same(ev("mean(a)", POP, GROUPS), [2.5, 2.5, 5.0, 5.0, 2.5])
    same(ev("median(a)", POP, GROUPS), [2.5, 2.5, 5.0, 5.0, 2.5])
    same(ev("max(a)", POP, GROUPS), [4, 4, 8, 8, 4])
    same(ev("min(a)", POP, GROUPS), [1, 1, 2, 2, 1])
    same(ev("sum(a)", POP, GROUPS), [5, 5, 10, 10, 5])
    same(ev("count(a)", POP, GROUPS), [2, 2, 2, 2, 2])
    same(ev("std(a)", POP, GROUPS), [1.5, 1.5, 3.0, 3.0, 1.5])  # |4 - 1| / 2, |8 - 2| / 2
    same(ev("rank(a)", POP, GROUPS), [2, 1, 2, 1, NAN])
    same(ev("pct_rank(a)", POP, GROUPS), [0, 1, 0, 1, NAN])


def test_pct_rank_of_single_member_group_is_one():
    same(ev("pct_rank(a)", {"a": [3.0, 5.0, 9.0]}, ["X", "X", "Y"]), [0, 1, 1])


def test_peer_stat_in_expression_relative_to_mean():
    # value relative to the population mean: mean(10, 20, 30) = 20 -> 0.5, 1, 1.5
    same(ev("a / mean(a)", {"a": [10, 20, 30]}), [0.5, 1.0, 1.5])


def test_min_max_one_argument_is_peer_statistic_two_is_elementwise():
    cols = {"a": [1.0, 4.0, 2.0], "b": [3.0, 3.0, 3.0]}
    same(ev("max(a)", cols), [4, 4, 4])
    same(ev("min(a)", cols), [1, 1, 1])
    same(ev("max(a, b)", cols), [3, 4, 3])
    same(ev("min(a, b)", cols), [1, 3, 2])
    same(ev("max(a, 2)", cols), [2, 4, 2])
    same(ev("min(a, b, 2)", cols), [1, 2, 2])
    # the sample's 赛道占比 guard: max(新增户数, 1) avoids dividing by zero
    same(ev("c / max(a, 1) * 100", {"a": [0.0, 4.0], "c": [0.0, 1.0]}), [0, 25])


def test_peer_stats_in_indicator_value_use_group_by(tmp_path):
    # value = x / mean(x) within each region: A mean 20 -> 0.5, 1.5; B mean 5 -> 1.0
    rules = rule_doc([indicator("rel", "x / mean(x)", {"type": "target", "target": 1}, weight=10, group_by="region")],
                     inputs={"x": {}, "region": {"type": "text"}})
    result = run_files(write_rules_file(tmp_path, rules),
                       write_csv_file(tmp_path, units({"x": [10, 30, 5], "region": ["A", "A", "B"]})))
    assert result.tree.values["rel"].tolist() == pytest.approx([0.5, 1.5, 1.0])
    assert result.tree.points["rel"].tolist() == pytest.approx([5.0, 15.0, 10.0])


# --- logic ---------------------------------------------------------------------------------

def test_and_or_not():
    cols = {"a": [1.0, 4.0, 2.0, 8.0], "b": [2.0, 2.0, 0.0, -1.0]}
    assert ev("a > 1 and b > 1", cols).tolist() == [False, True, False, False]
    assert ev("a > 3 or b > 1", cols).tolist() == [True, True, False, True]
    assert ev("not a > 1", cols).tolist() == [True, False, False, False]
    assert ev("not (a > 1 and b >= 0)", cols).tolist() == [True, False, False, True]
    assert ev("a > 1 and b > 1 or a == 1", cols).tolist() == [True, True, False, False]


def test_chained_comparison():
    # 2 <= a < 8
    assert ev("2 <= a < 8", {"a": [1.0, 2.0, 5.0, 8.0]}).tolist() == [False, True, True, False]


def test_if_condition_present_numbers():
    same(ev("if(a, 1, 2)", {"a": [0.0, 3.0, -1.0]}), [2, 1, 1])


def test_truth_of_numbers_missing_is_false():
    cols = {"a": [NAN, 0.0, 2.0], "b": [1.0, 1.0, 0.0]}
    assert ev("a and b", cols).tolist() == [False, False, False]
    assert ev("a or b", cols).tolist() == [True, True, True]
    assert ev("missing(a)", cols).tolist() == [True, False, False]


def test_comparison_with_missing_is_false():
    cols = {"a": [NAN, 3.0]}
    assert ev("a > 1", cols).tolist() == [False, True]
    assert ev("a <= 1", cols).tolist() == [False, False]


def test_text_comparison():
    assert ev("g == 'X'", {"g": ["X", "Y", "X"]}).tolist() == [True, False, True]
    assert ev("g != 'X'", {"g": ["X", "Y", "X"]}).tolist() == [False, True, False]


def test_constant_expression_has_one_value_per_unit():
    assert ev("3", {"a": [1.0, 2.0, 3.0]}).tolist() == [3, 3, 3]


# --- through a rule file ------------------------------------------------------------------

def test_rule_file_expression_errors_carry_file_line_and_field(tmp_path):
    text = (
        "id: t\n"                    # 1
        "title: T\n"                 # 2
        "id_column: id\n"            # 3
        "name_column: name\n"        # 4
        "tie_break: [total, id]\n"   # 5
        "inputs:\n"                  # 6
        "  x: {}\n"                  # 7
        "derived:\n"                 # 8
        "  q: x.real\n"              # 9
        "  r: __import__('os')\n"    # 10
        "indicators:\n"              # 11
        "  - {id: s, weight: 10, value: q, method: {type: minmax}}\n"
    )
    path = write_rules_file(tmp_path, text)
    with pytest.raises(RuleFileError) as info:
        run_files(path, write_csv_file(tmp_path, units({"x": [1, 2]})))
    rendered = str(info.value)
    assert f"{path}:9: derived.q: 'Attribute' is not allowed" in rendered
    assert f"{path}:10: derived.r: unknown function '__import__'" in rendered
