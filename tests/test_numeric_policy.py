"""One numeric policy: an undefined or overflowing result is a missing value (NaN), never ±infinity.

Division or modulo by zero, log/log10 of zero or less, sqrt of a negative number and overflow
(exp(1000), 10 ** 400, products beyond the float range) give NaN, so that the indicator's
``missing`` policy applies. Comparisons with a missing value are false (``!=`` true), a
missing value is false as a condition, and text in arithmetic is a clean ScoringError.
Expected values are worked out by hand in the comments.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import ScoringError
from scoring.api.expr import Env, evaluate, parse

from conftest import indicator, rule_doc, units, write_csv_file, write_rules_file
from scoring.engine.run import run_files

NAN = float("nan")
BIG = 1e308
# a:   6, 0, -4,  1e308, missing
# b:   0, 0,  2,  1e308, 1
COLUMNS = {"a": [6.0, 0.0, -4.0, BIG, NAN], "b": [0.0, 0.0, 2.0, BIG, 1.0]}


def ev(text, columns=COLUMNS, groups=None):
    size = len(next(iter(columns.values())))
    cols = {k: (np.asarray(v, object) if isinstance(v[0], str) else np.asarray(v, float)) for k, v in columns.items()}
    result = evaluate(parse(text), Env(cols, size, None if groups is None else np.asarray(groups, str)))
    if result.dtype.kind == "f":
        assert not np.isinf(result).any(), (text, result.tolist())
    return result


def same(actual, expected):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    assert actual.shape == expected.shape, (actual, expected)
    assert np.allclose(actual, expected, equal_nan=True, rtol=1e-12, atol=0), (actual.tolist(), expected.tolist())


@pytest.mark.parametrize("text, expected", [
    # 6/0 = inf -> NaN; 0/0 undefined; -4/2 = -2; 1e308/1e308 = 1; missing stays missing
    ("a / b", [NAN, NAN, -2, 1, NAN]),
    # modulo by zero undefined; -4 % 2 = 0; 1e308 % 1e308 = 0
    ("a % b", [NAN, NAN, 0, 0, NAN]),
    # 1e308 * 1e308 overflows -> NaN
    ("a * b", [0, 0, -8, NAN, NAN]),
    # 1e308 + 1e308 overflows -> NaN
    ("a + b", [6, 0, -2, NAN, NAN]),
    # -1e308 - 1e308 overflows -> NaN
    ("-a - b", [-6, 0, 2, NAN, NAN]),
    # 6**0 = 1, 0**0 = 1, (-4)**2 = 16, 1e308**1e308 overflows
    ("a ** b", [1, 1, 16, NAN, NAN]),
    # 0 ** -1 is 1/0 -> NaN; 6 ** -1 = 1/6; (-4) ** -1 = -0.25
    ("a ** -1", [1 / 6, NAN, -0.25, 1e-308, NAN]),
    # a negative number to a fractional power is undefined
    ("a ** 0.5", [math.sqrt(6), 0, NAN, 1e154, NAN]),
    ("+a", [6, 0, -4, BIG, NAN]),
])
def test_operators(text, expected):
    same(ev(text), expected)


@pytest.mark.parametrize("text, expected", [
    ("log(a)", [math.log(6), NAN, NAN, math.log(BIG), NAN]),          # log 0 = -inf -> NaN; log(-4) undefined
    ("log10(a)", [math.log10(6), NAN, NAN, math.log10(BIG), NAN]),
    ("sqrt(a)", [math.sqrt(6), 0, NAN, 1e154, NAN]),                   # sqrt(-4) undefined
    ("exp(a)", [math.exp(6), 1, math.exp(-4), NAN, NAN]),              # exp(1e308) overflows
    ("exp(-a)", [math.exp(-6), 1, math.exp(4), 0, NAN]),               # exp(-1e308) underflows to 0
    ("abs(a)", [6, 0, 4, BIG, NAN]),
    ("clip(a / b, 0, 1)", [NAN, NAN, 0, 1, NAN]),                     # missing stays missing
    ("growth(a, b)", [NAN, NAN, -300, 0, NAN]),                        # base <= 0 -> missing; (-4/2 - 1) * 100
    ("growth(b, a)", [-100, NAN, NAN, 0, NAN]),                        # (0/6 - 1) * 100; base 0 and -4 -> missing
    ("growth(a, 1e-307)", [NAN, -100, NAN, NAN, NAN]),                 # (6e307 - 1) x 100 overflows -> missing
    ("if(a / b > 0, 1, 2)", [2, 2, 2, 1, 2]),                          # NaN > 0 is false
    ("missing(a / b)", [1, 1, 0, 0, 1]),
    ("max(a / b, 0)", [0, 0, 0, 1, 0]),                                # element-wise max skips missing
    ("min(a * b, 5)", [0, 0, -8, 5, 5]),
])
def test_functions(text, expected):
    same(ev(text), expected)


@pytest.mark.parametrize("text", ["1 / 0", "1 % 0", "0 / 0", "1e308 * 10", "10 ** 400", "exp(1000)", "log(0)",
                                  "log10(-1)", "sqrt(-1)", "-1e308 - 1e308", "0 ** -1", "(-8) ** (1 / 3)"])
def test_constants_are_missing_not_infinite(text):
    same(ev(text), [NAN] * 5)


def test_constants_that_are_defined_keep_their_value():
    same(ev("1 / 4 + 2 ** 10 - 7 % 3"), [0.25 + 1024 - 1] * 5)


def test_peer_statistics_that_overflow_are_missing():
    cols = {"a": [BIG, BIG, 1.0]}
    same(ev("sum(a)", cols), [NAN] * 3)      # 2e308 + 1 overflows
    same(ev("mean(a)", cols), [NAN] * 3)     # the sum overflows before dividing
    same(ev("max(a)", cols), [BIG] * 3)
    same(ev("count(a / 0)", cols), [0] * 3)  # every value is missing
    same(ev("rank(a / 0)", cols), [NAN] * 3)


def test_comparisons_with_missing_values_keep_their_meaning():
    cols = {"a": [1.0, 0.0], "b": [0.0, 0.0]}
    # a / b: 1/0 -> missing, 0/0 -> missing
    assert ev("a / b > 0", cols).tolist() == [False, False]
    assert ev("a / b <= 0", cols).tolist() == [False, False]
    assert ev("a / b == a / b", cols).tolist() == [False, False]
    assert ev("a / b != 1", cols).tolist() == [True, True]
    assert ev("not a / b > 0", cols).tolist() == [True, True]
    assert ev("a / b", cols).dtype.kind == "f"


def test_missing_is_false_as_a_condition():
    cols = {"a": [1.0, 0.0, 2.0], "b": [0.0, 1.0, 1.0]}
    # a / b: missing, 0, 2
    assert ev("a / b and 1", cols).tolist() == [False, False, True]
    assert ev("a / b or 0", cols).tolist() == [False, False, True]
    assert ev("not (a / b)", cols).tolist() == [True, True, False]
    same(ev("if(a / b, 1, 2)", cols), [2, 2, 1])


@pytest.mark.parametrize("text, message", [
    ("t + 1", "text cannot be used in arithmetic or in numeric functions"),
    ("-t", "text cannot be used in arithmetic or in numeric functions"),
    ("log(t)", "text cannot be used in arithmetic or in numeric functions"),
    ("clip(t, 0, 1)", "text cannot be used in arithmetic or in numeric functions"),
    ("mean(t)", "text cannot be used in arithmetic or in numeric functions"),
    ("max(t, 1)", "text cannot be used in arithmetic or in numeric functions"),
    ("growth(t, 1)", "text cannot be used in arithmetic or in numeric functions"),
    ("t > 'a' or x > 1", "text can only be compared with text, using == or !="),
    ("t == 1", "text can only be compared with text, using == or !="),
])
def test_text_in_arithmetic_is_a_clean_error_naming_the_expression(text, message):
    cols = {"t": ["p", "q"], "x": [1.0, 2.0]}
    with pytest.raises(ScoringError) as info:
        ev(text, cols)
    assert info.value.summary == f"Expression cannot be evaluated: {text}"
    assert [(p.message, p.found) for p in info.value.problems] == [(message, repr(text))]


def test_text_compared_with_text_still_works():
    assert ev("t == 'p'", {"t": ["p", "q"]}).tolist() == [True, False]
    assert ev("if(t != 'p', 'other', t) == 'p'", {"t": ["p", "q"]}).tolist() == [True, False]


def test_division_by_zero_in_an_indicator_goes_to_the_missing_policy(tmp_path):
    rules = rule_doc([indicator("r", "x / y", {"type": "target", "target": 2}, weight=10, missing="zero")],
                     inputs={"x": {}, "y": {}})
    result = run_files(write_rules_file(tmp_path, rules),
                       write_csv_file(tmp_path, units({"x": [4, 5, 0], "y": [2, 0, 0]})))
    # 4/2 = 2 -> 2/2 x 10 = 10 points; 5/0 and 0/0 are missing -> policy zero
    assert result.tree.points["r"].tolist() == pytest.approx([10.0, 0.0, 0.0])
    assert result.tree.missing["r"].tolist() == [False, True, True]


_FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=False),
                    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 1e-300, -1.0]))
_EXPRESSIONS = ["a + b", "a - b", "a * b", "a / b", "a % b", "a ** b", "-a", "exp(a)", "log(a)", "log10(a)",
                "sqrt(a)", "abs(a)", "growth(a, b)", "clip(a, b, 1)", "min(a, b)", "max(a, b)", "mean(a)",
                "sum(a)", "std(a)", "median(a)", "a / b * b ** a"]


@settings(max_examples=150, deadline=None)
@given(a=st.lists(_FLOATS, min_size=1, max_size=6), data=st.data())
def test_no_expression_ever_gives_infinity(a, data):
    b = data.draw(st.lists(_FLOATS, min_size=len(a), max_size=len(a)))
    text = data.draw(st.sampled_from(_EXPRESSIONS))
    result = ev(text, {"a": a, "b": b})
    assert result.shape == (len(a),)
