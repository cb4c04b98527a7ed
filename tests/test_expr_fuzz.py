"""Fuzzing the expression language: whatever the text, parsing, checking and evaluating either
work or raise one of the project's own errors, and each case finishes within :data:`BOUND` seconds.

Three sources of text: expressions generated from the grammar (allowed and disallowed
constructs, huge numbers, text), mutations of valid expressions (characters inserted, deleted,
duplicated), and junk (any Unicode, brackets, operators, digits). The time bound is measured
with ``time.perf_counter`` around each case (hypothesis' own deadline is off: it is flaky on a
loaded machine); it has a wide margin over the few milliseconds a case takes.
"""
from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.api.kinds import NUMBER, TEXT, kind_of
from scoring.errors import ExpressionError, ZonescoreError
from scoring.api.expr import Env, evaluate, parse
from scoring.api.expr_limits import MAX_DEPTH, MAX_LENGTH, MAX_NESTING

BOUND = 0.5  # seconds per case
NAN = float("nan")
KNOWN = {"a": 1, "b": 1, "t": 1, "税收": 1, "total": 1}
KINDS = {"a": NUMBER, "b": NUMBER, "t": TEXT, "税收": NUMBER, "total": NUMBER}
ENV = Env({"a": np.array([6.0, 0.0, -4.0, 1e308, NAN]), "b": np.array([0.0, 2.0, -1e-300, 1e308, 1.0]),
           "t": np.array(["p", "q", None, "", "if"], object), "税收": np.array([1.0, 2.0, 3.0, 4.0, 5.0]),
           "total": np.array([50.0, 60.0, 70.0, 80.0, 90.0])}, 5, np.array(["X", "X", "Y", "Y", "X"]))
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.filter_too_much])


def run_case(text: str) -> None:
    """Parse, check kinds and evaluate ``text``; only ZonescoreErrors may come out, and fast."""
    started = time.perf_counter()
    try:
        expr = parse(text, known=KNOWN, where="derived.q", file="rules.yaml", line=3)
        kind_of(expr, KINDS, lambda message, expected: None)
        result = evaluate(expr, ENV)
        assert result.shape == (5,)
        if result.dtype.kind == "f":
            assert not np.isinf(result).any(), (text, result)
    except ZonescoreError as exc:
        assert exc.problems, text
        assert all(p.message for p in exc.problems)
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND, (elapsed, text[:200])


# --- generated from the grammar ------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "t", "税收", "total", "zz", "ｔａｘ", "_if_", "__import__", "mean"])
NUMBERS = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6).map(str),
    st.integers(min_value=10**14, max_value=10**30).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["0", "0.0", "1e309", "1e308", "5e-324", "99999999999999999999", "0x" + "f" * 40,
                     "1_000", "0b101", "1j", "True", "False", "None", "..."]),
)
STRINGS = st.sampled_from(["'x'", '"if"', "'p'", "''", "b'x'", "f'{a}'"])
BINARY = st.sampled_from(["+", "-", "*", "/", "%", "**", "//", " and ", " or ", "==", "!=", "<", "<=", ">",
                          ">=", " in ", " is ", "&", "<<", "@"])
UNARY = st.sampled_from(["-", "+", "not ", "~"])
FUNCTIONS = st.sampled_from(["abs", "log", "log10", "sqrt", "exp", "clip", "growth", "if", "missing", "min",
                             "max", "mean", "median", "sum", "std", "count", "rank", "pct_rank", "eval", "open"])


def _compound(inner):
    return st.one_of(
        st.tuples(inner, BINARY, inner).map("".join),
        st.tuples(UNARY, inner).map("".join),
        inner.map(lambda e: f"({e})"),
        st.tuples(FUNCTIONS, st.lists(inner, max_size=4)).map(lambda f: f"{f[0]}({', '.join(f[1])})"),
        st.tuples(inner, inner, inner).map(lambda p: f"{p[0]} if {p[1]} else {p[2]}"),
        st.tuples(inner, NAMES).map(lambda p: f"{p[0]}.{p[1]}"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]}[{p[1]}]"),
    )


GRAMMAR = st.recursive(st.one_of(NAMES, NUMBERS, STRINGS), _compound, max_leaves=40)


@FUZZ
@given(GRAMMAR)
def test_generated_expressions(text):
    run_case(text)


# --- mutations of valid expressions --------------------------------------------------------

VALID = ["a / b * 100", "if(a > 0, a, 0)", "growth(a, b)", "clip(税收 / max(b, 1), 0, 1) * 16",
         "a > 3 and not b", "max(a, b, 2)", "rank(a) <= 3 or t == 'p'", "-2 ** 2 + a % 3",
         "mean(a) + std(b) - median(税收)", "if(missing(a), 0, log10(abs(a) + 1))", "1 < a <= 9",
         "sqrt(a) ** 0.5 + exp(-b)", "count(a) * pct_rank(b)", "total - 60"]
EDIT_CHARS = "()[]{},.+-*/%<>=!&|~^:;'\"\\ 0123456789eE_abt税ｔ\u200b\x00\n\t"


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(VALID + [draw(GRAMMAR)]))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        where = draw(st.integers(min_value=0, max_value=len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if action == "insert":
            text = text[:where] + draw(st.sampled_from(EDIT_CHARS)) + text[where:]
        elif action == "delete" and text:
            text = text[:where] + text[where + 1:]
        else:
            end = draw(st.integers(min_value=where, max_value=len(text)))
            text = text[:end] + text[where:end] * draw(st.integers(min_value=1, max_value=3)) + text[end:]
    return text


@FUZZ
@given(mutated())
def test_mutated_expressions(text):
    run_case(text)


# --- junk ------------------------------------------------------------------------------------

JUNK = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="()[]{}+-*/%<>=!~,. 9ae", max_size=400),
    st.tuples(st.sampled_from(["(", "-", "not ", "a**", "[", "f(", "a+"]),
              st.integers(min_value=1, max_value=6000)).map(lambda p: p[0] * p[1] + "a"),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: "max(" + ", ".join(["a"] * n) + ")"),
)


@FUZZ
@given(JUNK)
def test_junk(text):
    run_case(text)


# --- explicit cases ---------------------------------------------------------------------------

def timed_case(text: str) -> float:
    started = time.perf_counter()
    run_case(text)
    return time.perf_counter() - started


def refused(text: str) -> list[str]:
    with pytest.raises(ExpressionError) as info:
        parse(text, known=KNOWN)
    return [p.message for p in info.value.problems]


def test_long_and_chain_is_refused_quickly():
    text = " and ".join(["a"] * 2000)  # 11,996 characters: 18 s before the linear parser
    assert timed_case(text) < 0.2
    assert refused(text) == ["expression exceeds the length limit"]


def test_and_chain_within_the_limits_parses_and_evaluates_quickly():
    text = " and ".join(["a"] * 1600)  # 7,996 characters, 1,601 elements
    assert timed_case(text) < 0.3
    assert evaluate(parse(text, known=KNOWN), ENV).tolist() == [True, False, True, True, False]


def test_huge_max_call_is_refused_quickly():
    text = "max(" + ", ".join(["a"] * 33_333) + ")"  # 100,002 characters: over 600 s before
    assert len(text) > 100_000
    assert timed_case(text) < 0.2
    assert refused(text) == ["expression exceeds the length limit"]


def test_limits_at_the_boundary():
    assert parse("a" * MAX_LENGTH).names == {"a" * MAX_LENGTH}
    parse("(" * MAX_NESTING + "a" + ")" * MAX_NESTING, known=KNOWN)
    assert refused("(" * (MAX_NESTING + 1) + "a" + ")" * (MAX_NESTING + 1)) == ["expression exceeds the nesting limit"]
    parse("-" * (MAX_DEPTH - 1) + "a", known=KNOWN)
    assert refused("-" * MAX_DEPTH + "a") == ["expression exceeds the depth limit"]
    assert refused("a" * (MAX_LENGTH + 1)) == ["expression exceeds the length limit"]


@pytest.mark.parametrize("text", ["(" * 5000 + "a" + ")" * 5000, "-" * 9999 + "a", "not " * 2400 + "a",
                                  "a**" * 3000 + "a", "+".join(["a"] * 4000), "f(" * 3000 + ")" * 3000,
                                  "[" * 4000 + "]" * 4000, "a<" * 4000 + "a"])
def test_deep_nesting_is_a_clean_error(text):
    assert timed_case(text) < BOUND
    messages = refused(text)
    assert messages and all("limit" in m for m in messages), messages


@pytest.mark.parametrize("text, message", [
    ("99999999999999999999 ** 99999999999999999999", "number exceeds the limit on whole numbers"),
    ("9" * 5000, "syntax error in expression"),  # Python refuses integer literals over 4,300 digits
    ("0x" + "f" * 5000, "number exceeds the limit on whole numbers"),
    ("1e309", "number is too large to be represented"),
    ("a ** 1001", "exponent exceeds the limit"),
    ("a ** -1e6", "exponent exceeds the limit"),
])
def test_huge_literals_are_refused(text, message):
    assert timed_case(text) < BOUND
    assert message in refused(text)


@pytest.mark.parametrize("text", ["1e308 * 10", "10 ** 400", "a ** 1000", "exp(1000) - exp(1000)",
                                  "1 / 0", "1 % 0"])
def test_overflowing_constants_evaluate_to_missing(text):
    result = evaluate(parse(text, known=KNOWN), ENV)
    assert not np.isinf(result).any()
    assert np.isnan(result).any()
