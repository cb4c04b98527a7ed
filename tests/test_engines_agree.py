"""Both condition backends give the same run: random rule files and data, durable-rules vs numpy.

Random adjustments (every action, conditions with missing values, text columns, field-to-field
comparisons, ``not``, ``or``, ties) over random data; the firings, totals, ranks and outcomes of
``engine="durable-rules"`` and ``engine="numpy"`` must be identical.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import csv_text, write_rules_file
from scoring.api.assessment import load_assessment
from scoring.io.data import load_data
from scoring.engine.run import run_assessment

NUMBER_CELLS = st.one_of(st.sampled_from(["", "0", "1", "2", "2", "5e-05", "1e16", "-3", "0.5"]),
                         st.integers(-5, 5).map(str))
TEXT_CELLS = st.sampled_from(["A", "B", "表彰", "", "a b"])
OPS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])


@st.composite
def condition(draw, depth=0):
    kind = draw(st.sampled_from(["num", "num", "text", "pair", "truth", "points"]
                                + (["and", "or", "not"] if depth < 2 else [])))
    if kind == "num":
        return f"{draw(st.sampled_from(['a', 'b', 'a + b']))} {draw(OPS)} {draw(st.sampled_from(['0', '1', '2', '0.5']))}"
    if kind == "text":
        return f"t {draw(st.sampled_from(['==', '!=']))} '{draw(TEXT_CELLS)}'"
    if kind == "pair":
        return f"a {draw(OPS)} b"
    if kind == "truth":
        return draw(st.sampled_from(["a", "missing(b)", "not b"]))
    if kind == "points":
        return f"{draw(st.sampled_from(['s', 'total']))} {draw(OPS)} {draw(st.sampled_from(['1', '5', '10']))}"
    if kind == "not":
        return f"not ({draw(condition(depth + 1))})"
    parts = draw(st.lists(condition(depth + 1), min_size=2, max_size=3))
    return f" {kind} ".join(f"({p})" for p in parts)


@st.composite
def adjustment(draw, j):
    action = draw(st.sampled_from(["bonus", "deduction", "multiply", "veto", "force", "exempt", "exclude", "flag"]))
    rule = {"id": f"r{j}", "when": draw(condition()), "action": action}
    if action in ("bonus", "deduction"):
        rule.update(points=draw(st.sampled_from([1, 2, 0.5])), max=2)
    elif action == "multiply":
        rule["factor"] = draw(st.sampled_from([0.9, 1.1]))
    elif action in ("veto", "force"):
        rule["outcome"] = draw(st.sampled_from(["top", "bottom"]))
    return rule


def rules(adjustments) -> dict:
    return {"id": "t", "title": "T", "id_column": "id", "name_column": "name", "precision": 1,
            "inputs": {"x": {}, "a": {}, "b": {}, "t": {"type": "text"}},
            "indicators": [{"id": "s", "weight": 10, "value": "x", "method": {"type": "target", "target": 10},
                            "missing": {"policy": "zero"}}],
            "adjustments": adjustments,
            "outcomes": [{"id": "top", "top": 2}, {"id": "bottom", "bottom": 2}]}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_durable_rules_and_numpy_give_the_same_run(data):
    size = data.draw(st.integers(5, 9))
    rows = [{"id": f"U{i}", "name": f"N{i}", "x": data.draw(st.sampled_from(["1", "5", "5", "9", ""])),
             "a": data.draw(NUMBER_CELLS), "b": data.draw(NUMBER_CELLS), "t": data.draw(TEXT_CELLS)}
            for i in range(size)]
    adjustments = [data.draw(adjustment(j)) for j in range(data.draw(st.integers(1, 4)))]
    with tempfile.TemporaryDirectory() as directory:
        assessment = load_assessment(write_rules_file(Path(directory), rules(adjustments)))
        path = Path(directory) / "d.csv"
        path.write_text(csv_text(rows), encoding="utf-8")
        unit_data = load_data(assessment, path)
        engine = run_assessment(assessment, unit_data, engine="durable-rules")
        masks = run_assessment(assessment, unit_data, engine="numpy")
    assert (engine.engine, masks.engine) == ("durable-rules", "numpy")
    assert engine.adjustments.fired.equals(masks.adjustments.fired), adjustments
    np.testing.assert_array_equal(engine.total.to_numpy(), masks.total.to_numpy())
    assert engine.ranking.order == masks.ranking.order
    assert engine.ranking.outcome.equals(masks.ranking.outcome)
    assert engine.ranking.status.equals(masks.ranking.status)
