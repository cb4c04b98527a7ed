"""Shared helpers: write small rule files and CSVs to tmp_path and run them.

Rule files are written from Python dicts (dumped as YAML) or from YAML strings, data from a
list of dicts (the first dict's keys are the header) or from raw CSV text. Every run goes
through the public entry point ``scoring.engine.run.run_files`` so tests exercise the same path as
the command line.

Fixtures (each bound to the test's ``tmp_path``):

* ``write_rules(rules, name="rules.yaml") -> Path``
* ``write_csv(rows, name="data.csv", encoding="utf-8") -> Path``
* ``run(rules_path, csv_path) -> RunResult``
* ``score(rules, rows) -> RunResult`` (write both, then run)
* ``rule_doc(indicators, **extra) -> dict`` (a minimal valid rule file around ``indicators``)
"""
from __future__ import annotations

import csv
import io
import math
import os
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# The tests never read or write the user's own rule-file cache (scoring.api.cache): one of their own.
os.environ["ZONESCORE_CACHE_DIR"] = tempfile.mkdtemp(prefix="zonescore-test-cache-")
# ... nor a history store someone left in the working directory (scoring.history): a path that never exists
os.environ["ZONESCORE_DB"] = os.path.join(tempfile.mkdtemp(prefix="zonescore-test-db-"), "absent.db")
# English interface unless a test asks for Chinese (--lang zh): exact messages do not depend on the machine
os.environ["ZONESCORE_LANG"] = "en"
PYTHON = sys.executable

from scoring.engine.run import RunResult, run_files  # noqa: E402


def rule_doc(indicators, **extra) -> dict:
    """A minimal rule file: units keyed by column ``id`` with names in ``name``.

    ``inputs`` defaults to every ``value`` name used by the indicators that looks like a
    plain column (tests pass ``inputs=`` explicitly when they need more).
    """
    doc = {"id": "t", "title": "Test", "id_column": "id", "name_column": "name", "precision": 2}
    doc["inputs"] = extra.pop("inputs", None) or _guess_inputs(indicators)
    doc["indicators"] = indicators
    doc.update(extra)
    return doc


def _guess_inputs(nodes) -> dict:
    names: dict = {}
    for node in nodes:
        if "children" in node:
            names.update(_guess_inputs(node["children"]))
        elif isinstance(node.get("value"), str) and node["value"].isidentifier():
            names[node["value"]] = {}
    return names


def indicator(node_id, value, method, weight=10, **kw) -> dict:
    """One indicator node as a dict; ``method`` may be a type name or a dict."""
    if isinstance(method, str):
        method = {"type": method}
    node = {"id": node_id, "weight": weight, "value": value, "method": method}
    node.update(kw)
    return node


def write_rules_file(directory: Path, rules, name: str = "rules.yaml") -> Path:
    path = Path(directory) / name
    text = rules if isinstance(rules, str) else yaml.safe_dump(rules, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def csv_text(rows) -> str:
    """CSV text from a list of dicts (header from the first dict) or a list of lists."""
    if isinstance(rows, str):
        return rows
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if rows and isinstance(rows[0], dict):
        header = list(rows[0])
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(h) is None or (isinstance(row.get(h), float) and math.isnan(row[h]))
                             else row[h] for h in header])
    else:
        writer.writerows(rows)
    return buffer.getvalue()


def write_csv_file(directory: Path, rows, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    path = Path(directory) / name
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def units(values: dict, ids=None, names=None) -> list[dict]:
    """Rows from column lists: ``units({"x": [1, 2]})`` -> ids U1, U2 named N1, N2."""
    size = len(next(iter(values.values())))
    ids = ids or [f"U{i + 1}" for i in range(size)]
    names = names or [f"N{i + 1}" for i in range(size)]
    rows = []
    for i in range(size):
        row = {"id": ids[i], "name": names[i]}
        row.update({k: v[i] for k, v in values.items()})
        rows.append(row)
    return rows


@pytest.fixture
def write_rules(tmp_path):
    def _write(rules, name: str = "rules.yaml") -> Path:
        return write_rules_file(tmp_path, rules, name)
    return _write


@pytest.fixture
def write_csv(tmp_path):
    def _write(rows, name: str = "data.csv", encoding: str = "utf-8") -> Path:
        return write_csv_file(tmp_path, rows, name, encoding)
    return _write


@pytest.fixture
def run():
    def _run(rules_path, csv_path) -> RunResult:
        return run_files(rules_path, csv_path)
    return _run


@pytest.fixture
def score(tmp_path):
    """``score(rules, rows)``: write a rule file and a CSV to tmp_path, run, return the RunResult."""
    counter = iter(range(10**6))

    def _score(rules, rows) -> RunResult:
        n = next(counter)
        return run_files(write_rules_file(tmp_path, rules, f"rules{n}.yaml"),
                         write_csv_file(tmp_path, rows, f"data{n}.csv"))
    return _score


@pytest.fixture(name="rule_doc")
def rule_doc_fixture():
    return rule_doc


@pytest.fixture(name="indicator")
def indicator_fixture():
    return indicator


@pytest.fixture(name="units")
def units_fixture():
    return units


# A small assessment with a bonus, a veto and a forced warning (explain and wording tests).
SMALL_RULES = {
    "id": "t", "title": "Test", "id_column": "id", "name_column": "name", "precision": 2,
    "inputs": {"sales": {"label": "销售额", "unit": "万元", "range": [0, None]},
               "last": {"label": "上年销售额", "range": [0, None]},
               "firms": {"label": "企业数", "range": [0, None]},
               "bad": {"range": [0, 1]}},
    "derived": {"growth": "growth(sales, last)"},
    "indicators": [
        {"id": "grow", "label": "增长", "weight": 60, "children": [
            {"id": "g_rate", "label": "增速", "weight": 30, "value": "growth",
             "method": {"type": "minmax", "floor": 0.5}},
            {"id": "g_sales", "label": "销售", "weight": 30, "value": "sales",
             "method": {"type": "benchmark", "benchmark": "mean", "cap": 1.5}}]},
        {"id": "size", "label": "规模", "weight": 40, "children": [
            {"id": "s_firms", "label": "企业", "weight": 40, "value": "firms", "method": {"type": "rank"}}]},
    ],
    "adjustments": [
        {"id": "big", "label": "规模加分", "when": "firms >= 50", "action": "bonus", "points": "firms * 0.1",
         "max": 2},
        {"id": "cheat", "label": "一票否决", "when": "bad == 1", "action": "veto", "outcome": "top"},
        {"id": "slump", "label": "强制预警", "when": "growth < -30", "action": "force", "outcome": "warn"},
    ],
    "outcomes": [{"id": "top", "label": "表彰", "top": 2}, {"id": "warn", "label": "预警", "bottom": 2}],
    "tie_break": ["total", "id"],
}
SMALL_ROWS = [
    {"id": "U1", "name": "甲", "sales": 120, "last": 100, "firms": 60, "bad": 0},
    {"id": "U2", "name": "乙", "sales": 90, "last": 100, "firms": 30, "bad": 0},
    {"id": "U3", "name": "丙", "sales": 150, "last": 110, "firms": 45, "bad": 1},
    {"id": "U4", "name": "丁", "sales": 80, "last": 70, "firms": 20, "bad": 0},
    {"id": "U5", "name": "戊", "sales": 60, "last": 100, "firms": 25, "bad": 0},
    {"id": "U6", "name": "己", "sales": 100, "last": 95, "firms": 35, "bad": 0},
    {"id": "U7", "name": "庚", "sales": 70, "last": 72, "firms": 15, "bad": 0},
    {"id": "U8", "name": "辛", "sales": 110, "last": 90, "firms": 40, "bad": 0},
]


@pytest.fixture(autouse=True)
def _interface_language_reset():
    """Each test starts in the environment's interface language (English here): a CLI call with
    --lang zh sets the process's language, which library calls in later tests would otherwise see."""
    from scoring.messages import set_language

    set_language(None)
    yield
    set_language(None)
