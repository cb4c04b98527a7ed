"""durable-rules' boundaries, the encoding that keeps it inside them, and the numpy cross-check."""
from __future__ import annotations

import math
import os
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import durable_rules as dr
from scoring.engine import engine_codec as codec
from scoring.engine.conditions import condition_mask
from scoring.errors import InternalError, ScoringError
from scoring.api.expr import Env, parse

SPECIAL = [0.0, -0.0, 0.1, 1 / 3, 5e-05, 0.00005, 1e-7, 1e16, 1e+22, -1e16, 123456789012345680.0,
           5e-324, 2.2250738585072014e-308, 1e300, -1e300, 1.7976931348623157e308, 2.0 ** 53 + 2, 70066.8]


def engine_only(conditions, columns):
    """Firings from the rule engine alone (no cross-check), for testing the engine itself."""
    env = Env(columns, len(next(iter(columns.values()))))
    fired = np.zeros((env.size, len(conditions)), bool)
    with dr._LOCK:
        dr._fire_chunks(conditions, env, list(range(len(conditions))), fired, None)
    return fired


@pytest.mark.parametrize("value", SPECIAL)
def test_number_text_is_read_back_exactly(value):
    text = codec.number_text(value)
    assert float(text) == value and math.copysign(1, float(text)) == math.copysign(1, value)
    mantissa = text.split("e")[0]
    assert "." in mantissa  # the engine's parser ends a number at an 'e' with no fraction before it


def test_number_text_refuses_non_finite():
    for value in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError):
            codec.number_text(value)


def test_engine_compares_every_special_number_exactly():
    """Each value is asserted as a fact and compared in the engine with constants equal to it and
    next to it; exponent notation (5e-05, 1e+16) used to drop the fact silently."""
    values = np.array(SPECIAL)
    conditions = []
    for v in SPECIAL:
        with np.errstate(over="ignore"):
            up, down = float(np.nextafter(v, np.inf)), float(np.nextafter(v, -np.inf))
        conditions += [parse(f"x == {v!r}"), parse(f"x >= {v!r} and x <= {v!r}"),
                       parse(f"x < {up!r}") if math.isfinite(up) else parse("x == x"),
                       parse(f"x > {down!r}") if math.isfinite(down) else parse("x == x")]
    fired = engine_only(conditions, {"x": values})
    for i, v in enumerate(SPECIAL):
        assert fired[i, 4 * i:4 * i + 4].all(), v
        same = [j for j, w in enumerate(SPECIAL) if w == v]
        assert sorted(np.flatnonzero(fired[:, 4 * i])) == same, v


TEXTS = ["表彰", 'a"b', "a\\b", "a\\\"", "'", "", " ", "t61", "\U0001F600", "\ud800", "x\u200by", "NaN", "1.0"]


def test_engine_compares_any_text_exactly():
    """Quotes, backslashes, lone surrogates and look-alikes of the encoding itself."""
    values = np.array(TEXTS, dtype=object)
    conditions = [parse(f"s == {t!r}") for t in TEXTS] + [parse(f"s != {t!r}") for t in TEXTS]
    fired = engine_only(conditions, {"s": values})
    n = len(TEXTS)
    assert (fired[:, :n] == np.eye(n, dtype=bool)).all()
    assert (fired[:, n:] == ~np.eye(n, dtype=bool)).all()


def test_first_unit_with_exponent_number_does_not_crash_or_drop():
    columns = {"a": np.array([0.00005, 1.0, 1e16, 0.0])}
    fired = dr.fire_rules([parse("a > 0")], Env(columns, 4))
    assert fired[:, 0].tolist() == [True, True, True, False]


def test_two_column_comparison_does_not_overflow():
    columns = {"a": np.array([1e308, -1e308, 5e-324, 0.0]), "b": np.array([-1e308, 1e308, 0.0, 5e-324])}
    fired = dr.fire_rules([parse("a > b"), parse("a <= b")], Env(columns, 4))
    assert fired[:, 0].tolist() == [True, False, True, False]
    assert fired[:, 1].tolist() == [False, True, False, True]


def test_many_rules_are_split_over_rulesets():
    columns = {f"c{k}": np.arange(60.0) + k for k in range(50)}
    conditions = [parse(f"c{j % 50} > {j}") for j in range(300)]
    fired = dr.fire_rules(conditions, Env(columns, 60))
    expected = np.column_stack([columns[f"c{j % 50}"] > j for j in range(300)])
    assert (fired == expected).all()


def test_a_condition_too_large_for_the_engine_is_refused_cleanly():
    big = "x > 0"
    for k in range(25):  # alternating and/or nested 25 deep: beyond the engine's expression tables
        big = f"(x > {k} {'and' if k % 2 else 'or'} ({big}))"
    with pytest.raises(ScoringError) as caught:
        dr.fire_rules([parse(big)], Env({"x": np.arange(5.0)}, 5), ["huge"])
    problem = caught.value.problems[0]
    assert problem.field == "adjustments: huge.when"
    assert problem.message.startswith("condition too large for durable-rules (durable-rules error 113")


def test_disagreement_is_an_internal_error_naming_rule_and_unit(monkeypatch):
    real = dr._run_ruleset

    def drop_first_firing(*args):
        fired = real(*args)
        fired[np.argmax(fired[:, 0]), 0] = False
        return fired

    monkeypatch.setattr(dr, "_run_ruleset", drop_first_firing)
    with pytest.raises(InternalError) as caught:
        dr.fire_rules([parse("a > 1")], Env({"a": np.array([0.0, 2.0, 3.0])}, 3), ["big_a"], ["Z1", "Z2", "Z3"])
    assert caught.value.exit_code == 70
    problem = caught.value.problems[0]
    assert problem.field == "adjustments: big_a.when"
    assert problem.message == "the rule engine and the numpy check disagree for 1 unit(s): Z2"


def test_engine_error_that_is_not_capacity_is_internal(monkeypatch):
    def broken(*args):
        raise RuntimeError("Could not assert facts, error code: 204")

    monkeypatch.setattr(dr._ENGINE, "assert_facts", broken)
    with pytest.raises(InternalError):
        dr.fire_rules([parse("a > 1")], Env({"a": np.array([0.0, 2.0])}, 2))


def test_property_names_never_collide_in_the_engine():
    codec.check_names(5000)


# --- property: the engine and numpy agree on random conditions over hostile data ------------------

NUMBERS = st.one_of(
    st.sampled_from([0.0, -0.0, 5e-05, 1e16, -1e16, 1e300, -1e300, 5e-324, 1.5, 2.0, math.nan]),
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-3, 3).map(float))
TEXT = st.one_of(st.sampled_from(["A", "B", "表彰", 'q"', "\\", "", None]), st.text(max_size=3))
CONSTANTS = st.one_of(st.sampled_from(["0", "1", "-1", "5e-05", "1e16", "1e300", "-1e300", "5e-324", "0.1", "2"]),
                      st.floats(allow_nan=False, allow_infinity=False).map(repr))
OPS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])


@st.composite
def conditions(draw, depth=0):
    kind = draw(st.sampled_from(["num", "num", "text", "pair", "truth"] + (["and", "or", "not"] if depth < 3 else [])))
    if kind == "num":
        return f"{draw(st.sampled_from(['a', 'b', 'a / b', 'a * 2']))} {draw(OPS)} {draw(CONSTANTS)}"
    if kind == "text":
        return f"s {draw(st.sampled_from(['==', '!=']))} {draw(TEXT.filter(lambda t: t is not None))!r}"
    if kind == "pair":
        return f"a {draw(OPS)} b"
    if kind == "truth":
        return draw(st.sampled_from(["a", "missing(b)", "a - b"]))
    if kind == "not":
        return f"not ({draw(conditions(depth + 1))})"
    parts = draw(st.lists(conditions(depth + 1), min_size=2, max_size=3))
    return f" {kind} ".join(f"({p})" for p in parts)


@pytest.mark.parametrize("cells, condition", [
    (["\x00", "", "a\x00"], "s == '\\x00'"), (["\x00", "", "a\x00"], "s != '\\x00'"),
    (["\x00", "", "a\x00"], "s == 'a\\x00'"), (["\x00", "", "a\x00"], "if(a > 0, 'x\\x00', s) == 'x\\x00'"),
])
def test_text_with_trailing_nul_is_compared_whole(cells, condition):
    """numpy's fixed-width text drops trailing NULs: a text constant must stay a Python object."""
    s = np.array(cells, dtype=object)
    columns = {"a": np.array([1.0, 0.0, 0.0]), "b": np.zeros(3), "s": s}
    expr = parse(condition)
    expected = np.broadcast_to(condition_mask(expr.tree.body, Env(columns, 3)), (3,))
    by_hand = {"s == '\\x00'": [True, False, False], "s != '\\x00'": [False, True, True],
               "s == 'a\\x00'": [False, False, True], "if(a > 0, 'x\\x00', s) == 'x\\x00'": [True, False, False]}
    assert expected.tolist() == by_hand[condition]
    assert engine_only([expr], columns)[:, 0].tolist() == by_hand[condition]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_engine_and_numpy_agree_on_random_conditions(data):
    size = data.draw(st.integers(1, 12))
    a = np.array(data.draw(st.lists(NUMBERS, min_size=size, max_size=size)))
    b = np.array(data.draw(st.lists(NUMBERS, min_size=size, max_size=size)))
    s = np.array(data.draw(st.lists(TEXT, min_size=size, max_size=size)), dtype=object)
    s = np.where(s == None, "", s).astype(object)  # noqa: E711 - text cells are never None when read
    texts = data.draw(st.lists(conditions(), min_size=1, max_size=4))
    exprs = [parse(t) for t in texts]
    columns = {"a": a, "b": b, "s": s}
    env = Env(columns, size)
    fired = engine_only(exprs, columns)
    for j, expr in enumerate(exprs):
        expected = np.broadcast_to(condition_mask(expr.tree.body, env), (size,))
        assert fired[:, j].tolist() == expected.tolist(), (texts[j], a, b, s)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:  # resident pages now (not the peak, which earlier tests set)
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads Linux's /proc")
def test_engine_memory_stays_flat_across_batches():
    """The engine frees a fact only when it is retracted: without that, 50,000 units kept ~430 MB."""
    size = 50_000
    env = Env({"a": np.arange(size, dtype=float), "b": np.arange(size) % 7.0}, size)
    conditions = [parse("a > 5000"), parse("b == 3 or a < 10")]
    dr.fire_rules(conditions, Env({"a": np.arange(2000.0), "b": np.zeros(2000)}, 2000))  # warm up
    before = _resident_mb()
    fired = dr.fire_rules(conditions, env)
    assert fired[:, 0].sum() == size - 5001
    assert _resident_mb() - before < 100
