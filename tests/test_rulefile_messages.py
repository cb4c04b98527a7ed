"""Rule-file mistakes as office staff make them, reported in English and in Chinese.

Each bad file is checked with ``zonescore validate --rules bad.yaml [--lang zh]`` (``CliRunner``):
exit status 1, the exact problem line in each language, no pydantic wording ("Input should",
"Value error", "Assertion failed"). Also: methods named by their Chinese labels are accepted, and
the rule-file cache holds nothing that depends on the interface language.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from scoring.api import cache
from scoring.api.assessment import load_assessment
from scoring.errors import Problem, ZonescoreError
from scoring.messages import set_language
from scoring.messages.zh_api import ZH

RULES = """\
id: t
title: T
id_column: id
name_column: name
inputs:
  x: {}
  y: {}
indicators:
  - id: s
    weight: 10
    value: x
    method: {type: minmax, floor: 0.5}
  - id: r
    weight: 10
    value: y
    method: {type: rank}
adjustments:
  - {id: a, when: x > 1, action: flag}
"""
#  1 id / 2 title / 3 id_column / 4 name_column / 5 inputs / 6 x / 7 y / 8 indicators / 9 - id: s
# 10 weight / 11 value / 12 method / 13 - id: r / 14 weight / 15 value / 16 method / 17 adjustments / 18 - a
CSV = "id,name,x,y\nU1,Alpha,1,5\nU2,Beta,2,6\n"
METHODS_EN = ("minmax (功效系数法), best_ratio (以最优值为标准), benchmark (与基准值比较), target (目标完成率), "
              "rank (排名赋分), bands (分档计分), goalposts (固定上下限), percentile (百分位计分), zscore (标准分计分), "
              "formula (公式计分)")
METHODS_ZH = ("minmax（功效系数法）、best_ratio（以最优值为标准）、benchmark（与基准值比较）、target（目标完成率）、"
              "rank（排名赋分）、bands（分档计分）、goalposts（固定上下限）、percentile（百分位计分）、zscore（标准分计分）、"
              "formula（公式计分）")


def validate(tmp_path: Path, rules: str, lang: str) -> tuple[int, str, Path]:
    path = tmp_path / "bad.yaml"
    path.write_text(rules, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--rules", str(path), "--data", str(data), "--lang", lang])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr, path


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def test_the_valid_file_passes(tmp_path):
    code, err, _ = validate(tmp_path, RULES, "en")
    assert code == 0, err


CASES = {
    "chinese_method_name_unknown": (
        RULES.replace("method: {type: rank}", "method: 功效"),
        "16: indicators.1.method: unknown scoring method; did you mean '功效系数法'? (found '功效'; "
        f"expected one of: {METHODS_EN})",
        "16: indicators.1.method: 未知的计分方法；是否应为 '功效系数法'？（实际为 '功效'；"
        f"应为 以下之一：{METHODS_ZH}）"),
    "method_type_typo": (
        RULES.replace("{type: rank}", "{type: rnak}"),
        f"16: indicators.1.method.type: unknown scoring method; did you mean 'rank'? (found 'rnak'; expected one of: "
        f"{METHODS_EN})",
        f"16: indicators.1.method.type: 未知的计分方法；是否应为 'rank'？（实际为 'rnak'；应为 以下之一：{METHODS_ZH}）"),
    "method_name_needing_keys": (
        RULES.replace("method: {type: rank}", "method: 目标完成率"),
        "16: indicators.1.method: method '目标完成率' needs more keys: write it as a mapping (found '目标完成率'; "
        "expected e.g. method: {type: target, target: 100})",
        "16: indicators.1.method: 计分方法 '目标完成率' 还需要其他参数：请写成“键: 值”形式（实际为 '目标完成率'；"
        "应为 例如 method: {type: target, target: 100}）"),
    "unknown_key": (
        RULES.replace("floor: 0.5", "flor: 0.5"),
        "12: indicators.0.method.flor: unknown key; did you mean 'floor'? (expected one of: cap, type, floor)",
        "12: indicators.0.method.flor: 未知的键；是否应为 'floor'？（应为 以下之一：cap、type、floor）"),
    "unknown_top_level_key": (
        RULES.replace("title: T", "titel: T"),
        "2: titel: unknown key; did you mean 'title'? (expected one of: id, title, unit, year, id_column, name_column, "
        "display_columns, precision, inputs, derived, aggregate, indicators, adjustments, pools, total_min, "
        "total_max, outcomes, tie_break, labels, output)",
        "2: titel: 未知的键；是否应为 'title'？（应为 以下之一：id、title、unit、year、id_column、name_column、"
        "display_columns、precision、inputs、derived、aggregate、indicators、adjustments、pools、total_min、"
        "total_max、outcomes、tie_break、labels、output）"),
    "method_not_a_mapping": (
        RULES.replace("method: {type: rank}", "method: 5"),
        "16: indicators.1.method: not a mapping (found 5; expected a method name such as 功效系数, or a mapping such "
        "as {type: minmax, floor: 0.6})",
        "16: indicators.1.method: 不是“键: 值”形式（实际为 5；应为 计分方法名称（如 功效系数），"
        "或“键: 值”形式（如 {type: minmax, floor: 0.6}））"),
    "missing_item": (
        RULES.replace("  x: {}", "  x: {range: [1]}"),
        "6: inputs.x.range.1: item is missing",
        "6: inputs.x.range.1: 缺少一项"),
    "missing_key": (
        RULES.replace("name_column: name\n", ""),
        "1: name_column: required key is missing",
        "1: name_column: 缺少必填的键"),
    "not_a_number": (
        RULES.replace("weight: 10\n    value: y", "weight: ten\n    value: y"),
        "14: indicators.1.weight: not a number (found 'ten'; expected a number)",
        "14: indicators.1.weight: 不是数字（实际为 'ten'；应为 数字）"),
    "not_a_whole_number": (
        RULES.replace("title: T\n", "title: T\nprecision: two\n"),
        "3: precision: not a whole number (found 'two'; expected a whole number)",
        "3: precision: 不是整数（实际为 'two'；应为 整数）"),
    "not_text": (
        RULES.replace("title: T\n", "title: T\nderived: {k: [1]}\n"),
        "3: derived.k: not text (found a list; expected text (quote it if YAML reads it otherwise))",
        "3: derived.k: 不是文本（实际为 列表；应为 文本（YAML 会读成其他类型时请加引号））"),
    "not_a_mapping": (
        RULES.replace("  x: {}\n  y: {}\n", "  - x\n  - y\n"),
        "6: inputs: not a mapping (found a list; expected keys with values (key: value))",
        "6: inputs: 不是“键: 值”形式（实际为 列表；应为 若干“键: 值”）"),
    "value_not_allowed": (
        RULES.replace("    value: x\n", "    value: x\n    direction: up\n"),
        "12: indicators.0.direction: value not allowed (found 'up'; expected 'higher' or 'lower')",
        "12: indicators.0.direction: 不允许的取值（实际为 'up'；应为 'higher' 或 'lower'）"),
    "number_out_of_range": (
        RULES.replace("weight: 10\n    value: x", "weight: 0\n    value: x"),
        "10: indicators.0.weight: number out of range (found 0; expected greater than 0)",
        "10: indicators.0.weight: 数值超出范围（实际为 0；应为 大于 0）"),
    "number_at_most": (
        RULES.replace("floor: 0.5", "floor: 1.5"),
        "12: indicators.0.method.floor: number out of range (found 1.5; expected less than 1)",
        "12: indicators.0.method.floor: 数值超出范围（实际为 1.5；应为 小于 1）"),
    "model_check_without_prefix": (
        RULES.replace("{type: rank}", "{type: goalposts, lo: 5, hi: 1}"),
        "16: indicators.1.method: 'hi' (1.0) must be greater than 'lo' (5.0) (expected hi > lo)",
        "16: indicators.1.method: 'hi'（1.0）必须大于 'lo'（5.0）（应为 hi > lo）"),
    "action_check_without_prefix": (
        RULES.replace("action: flag}", "action: bonus}"),
        "18: adjustments.0: action 'bonus' needs 'points' (expected the keys of 'bonus': when, points, max, min, "
        "pool)",
        "18: adjustments.0: 动作 'bonus' 需要 'points'（应为 'bonus' 使用的键：when、points、max、min、pool）"),
    "comma_in_flow_mapping": (
        RULES.replace("when: x > 1", "when: max(x, y) > 1"),
        "18: adjustments.0.when: the expression contains a comma: put it in quotes (found 'max(x' and the key "
        "'y) > 1'; expected e.g. when: \"max(x, y) > 1\")",
        "18: adjustments.0.when: 表达式中含有逗号：请给整个表达式加引号（实际为 'max(x' 和键 'y) > 1'；"
        "应为 例如 when: \"max(x, y) > 1\"）"),
    "comma_cutting_twice": (
        RULES.replace("when: x > 1", "when: clip(x, 0, 1) > 0.5"),
        "18: adjustments.0.when: the expression contains a comma: put it in quotes (found 'clip(x' and the keys "
        "'0', '1) > 0.5'; expected e.g. when: \"clip(x, 0, 1) > 0.5\")",
        "18: adjustments.0.when: 表达式中含有逗号：请给整个表达式加引号（实际为 'clip(x' 和键 '0'、'1) > 0.5'；"
        "应为 例如 when: \"clip(x, 0, 1) > 0.5\"）"),
    "comma_in_a_block_expression": (
        RULES.replace("  - {id: a, when: x > 1, action: flag}\n",
                      "  - id: a\n    when: x > 1, y > 2\n    action: flag\n"),
        "19: adjustments.0.when: the expression contains a comma outside a function's brackets "
        "(found 'x > 1, y > 2'; expected one expression (combine conditions with and / or))",
        "19: adjustments.0.when: 表达式中有逗号不在函数的括号内（实际为 'x > 1, y > 2'；"
        "应为 一个表达式（多个条件用 and / or 连接））"),
    "unknown_name": (
        RULES.replace("when: x > 1", "when: z > 1"),
        "18: adjustments.0.when: unknown name 'z' (found 'z > 1'; expected an input, derived value or indicator id)",
        "18: adjustments.0.when: 未知的名称 'z'（实际为 'z > 1'；应为 输入项、派生值或指标编号）"),
    "yaml_tab": (
        RULES.replace("  x: {}", "\tx: {}"),
        "6: a tab character (YAML indents with spaces only) (expected valid YAML)",
        "6: 出现制表符（YAML 只能用空格缩进）（应为 有效的 YAML）"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("rules, english, chinese", CASES.values(), ids=CASES.keys())
def test_bad_rule_file_in_both_languages(tmp_path, rules, english, chinese, lang):
    code, err, path = validate(tmp_path, rules, lang)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("Error: " if lang == "en" else "错误：")
    expected = f"  - {path}:{english if lang == 'en' else chinese}"
    assert expected in lines, "\n".join(lines)
    for leak in ("Input should", "Value error", "Assertion failed", "validation error", "pydantic"):
        assert leak not in err


def test_all_problems_at_once_in_file_order_of_discovery(tmp_path):
    rules = RULES.replace("floor: 0.5", "flor: 0.5").replace("{type: rank}", "{type: rnak}")
    code, err, _ = validate(tmp_path, rules, "zh")
    assert code == 1 and len(err.splitlines()) == 3


# --- methods named by their labels -------------------------------------------------------------


@pytest.mark.parametrize("written, method", [
    ("功效系数", "minmax"), ("功效系数法", "minmax"), ("{type: 功效系数, floor: 0.5}", "minmax"),
    ("{type: 目标完成率, target: 10}", "target"), ("排名赋分", "rank"), ("{type: 分档, bands: [{points: 1}]}", "bands"),
    ("百分位计分", "percentile"), ("min-max", "minmax"), ("Z-Score", "zscore"), ("percentile", "percentile"),
])
def test_methods_by_their_labels(tmp_path, written, method):
    path = tmp_path / "r.yaml"
    path.write_text(RULES.replace("{type: rank}", written), encoding="utf-8")
    assert load_assessment(path).nodes["r"].method.type == method


def test_alternatives_by_their_labels(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(RULES.replace("method: {type: rank}", "method: 排名赋分\n    alternatives: [百分位计分, 功效系数]"),
                    encoding="utf-8")
    assert [m.type for m in load_assessment(path).nodes["r"].alternatives] == ["percentile", "minmax"]


# --- how a problem is shown --------------------------------------------------------------------


def test_problem_render_in_both_languages():
    problem = Problem("m", file="r.yaml", line=3, field="a.b", found="'x'", expected="y")
    assert problem.render() == "r.yaml:3: a.b: m (found 'x'; expected y)"
    assert Problem("m", line=3, expected="y").render() == "line 3: m (expected y)"
    set_language("zh")
    assert problem.render() == "r.yaml:3: a.b: m（实际为 'x'；应为 y）"
    assert Problem("m", line=3, found="1").render() == "第 3 行: m（实际为 1）"


# --- the cache holds nothing in the interface language -------------------------------------------


def _entry_after_loading(path: Path, lang: str, cache_dir: Path) -> bytes:
    cache.clear()
    set_language(lang)
    load_assessment(path)
    entries = sorted(cache_dir.glob(f"*{cache.SUFFIX}"))
    assert len(entries) == 1
    return entries[0].read_bytes()


def test_cache_entries_do_not_depend_on_the_language(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("ZONESCORE_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("ZONESCORE_CACHE", raising=False)
    path = tmp_path / "r.yaml"
    path.write_text(RULES.replace("{type: rank}", "排名赋分"), encoding="utf-8")
    written_in_english = _entry_after_loading(path, "en", cache_dir)
    written_in_chinese = _entry_after_loading(path, "zh", cache_dir)
    assert written_in_english == written_in_chinese
    text = written_in_chinese.decode("utf-8")
    fragments = {part for zh in ZH.values() for part in re.split(r"\{[^}]*\}", zh) if len(part) >= 4}
    assert fragments and not [part for part in fragments if part in text]
    set_language("en")  # a hit in the other language: the same assessment
    assert load_assessment(path).nodes["r"].method.type == "rank"


def test_errors_after_a_cached_load_follow_the_language(tmp_path, monkeypatch):
    monkeypatch.setenv("ZONESCORE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ZONESCORE_CACHE", raising=False)
    good = validate(tmp_path, RULES, "zh")
    assert good[0] == 0
    bad = RULES.replace("floor: 0.5", "flor: 0.5")
    assert "未知的键" in validate(tmp_path, bad, "zh")[1]
    assert "unknown key" in validate(tmp_path, bad, "en")[1]


# --- any value at any key: our words, a location, never pydantic's -----------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**16), st.floats(allow_nan=True),
                    st.text(max_size=8), st.sampled_from(["功效系数", "rank", "目标完成率", "x > 1", "yes", ".inf"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=6)
PLACES = [("title",), ("precision",), ("inputs",), ("inputs", "x"), ("derived",), ("indicators",),
          ("indicators", 0, "weight"), ("indicators", 0, "method"), ("indicators", 0, "method", "floor"),
          ("indicators", 0, "method", "type"), ("indicators", 1, "alternatives"), ("indicators", 1, "missing"),
          ("adjustments", 0, "when"), ("adjustments", 0, "action"), ("outcomes",), ("tie_break",), ("labels",),
          ("indicators", 0, "flor"), ("pools",)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), value=VALUES, lang=st.sampled_from(["en", "zh"]))
def test_any_value_anywhere_gives_located_problems_in_our_words(tmp_path, place, value, lang):
    doc = yaml.safe_load(RULES)
    target = doc
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    path = tmp_path / "any.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    set_language(lang)
    try:
        load_assessment(path)
    except ZonescoreError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file == str(path) and problem.line is not None, problem
            text = problem.render()
            for leak in ("Input should", "Value error", "Assertion failed", "Field required", "Extra inputs"):
                assert leak not in text, text


def test_a_mapping_where_text_or_a_mapping_may_stand_is_reported_once(tmp_path):
    code, err, path = validate(tmp_path, RULES + "tie_break: [{by: 1}]\n", "en")
    assert code == 1
    assert err.splitlines()[1:] == [f"  - {path}:19: tie_break.0.by: not text (found 1; expected text (quote it if "
                                    "YAML reads it otherwise))"]
