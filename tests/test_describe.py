"""Methods, missing policies and score rates in words (scoring.registry.describe), and the one
definition of strengths and weaknesses (scoring.analysis.lines.strongest_weakest)."""
from __future__ import annotations

import typing

import pandas as pd
import pytest

from scoring import registry
from scoring.analysis.lines import strongest_weakest
from scoring.api import models
from scoring.registry.describe import (aggregate_label, describe_method, describe_missing, method_description,
                                       number_text, percent)

BANDS = [{"at_least": 30, "fraction": 1}, {"at_least": 15, "fraction": 0.75}, {"at_least": 5, "at_most": 14,
                                                                             "fraction": 0.5}, {"points": 2}]
CASES = [  # (method settings as in a rule file, Chinese, English)
    ({"type": "minmax", "floor": 0.6}, "功效系数法（最低得分率 60%）", "minmax (floor 0.6)"),
    ({"type": "minmax"}, "功效系数法", "minmax (floor 0)"),
    ({"type": "best_ratio", "cap": 1.2}, "以最优值为标准（得分率封顶 120%）", "best_ratio (cap 1.2)"),
    ({"type": "benchmark", "cap": 1.5}, "与基准值比较（基准为平均值，得分率封顶 150%）",
     "benchmark (cap 1.5, benchmark mean, factor 1)"),
    ({"type": "benchmark", "benchmark": 24.097, "factor": 1.1}, "与基准值比较（基准为 24.097 的 1.1 倍）",
     "benchmark (benchmark 24.097, factor 1.1)"),
    ({"type": "target", "target": "税收目标", "cap": 1.2}, "目标完成率（目标为 税收目标，得分率封顶 120%）",
     "target (cap 1.2, target 税收目标)"),
    ({"type": "target", "target": 176000, "below_target_zero": True}, "目标完成率（目标为 176,000，未达目标得 0 分）",
     "target (target 176,000, below_target_zero)"),
    ({"type": "rank", "floor": 0.5}, "排名赋分（末名得分率 50%）", "rank (floor 0.5)"),
    ({"type": "rank", "step": 0.5}, "排名赋分（每后退一名扣 0.5 分）", "rank (floor 0, step 0.5)"),
    ({"type": "bands", "bands": BANDS}, "分档计分（≥30 得满分；≥15 得 75%；5 至 14 得 50%；其余得 2 分）",
     "bands (bands: at_least 30 fraction 1; at_least 15 fraction 0.75; at_least 5 at_most 14 fraction 0.5; "
     "points 2)"),
    ({"type": "goalposts", "lo": 10, "hi": 60}, "固定上下限（10 至 60）", "goalposts (lo 10, hi 60)"),
    ({"type": "goalposts", "lo": 1, "hi": 1000, "log": True}, "固定上下限（1 至 1,000，按对数刻度）",
     "goalposts (lo 1, hi 1,000, log)"),
    ({"type": "percentile"}, "百分位计分", "percentile"),
    ({"type": "zscore"}, "标准分计分（±3 个标准差）", "zscore (spread 3)"),
    ({"type": "formula", "points": "x * 2", "max_points": 10}, "公式计分（得分 = x * 2，最高 10 分）",
     "formula (points x * 2, max_points 10)"),
]


@pytest.mark.parametrize("settings, zh, en", CASES, ids=[f"{c[0]['type']}-{i}" for i, c in enumerate(CASES)])
def test_method_in_words(settings, zh, en):
    model = typing.get_args(models.Method)[0]  # the union of the method models
    method = next(m for m in typing.get_args(model) if m.model_fields["type"].annotation == typing.Literal[
        settings["type"]]).model_validate(settings)
    assert (method_description(method, "zh"), method_description(method, "en")) == (zh, en)


def test_every_method_is_described():
    assert {c[0]["type"] for c in CASES} == set(registry.METHOD_NAMES)


def test_describe_method_on_plain_settings():
    assert describe_method("target", {"target": "T", "cap": 1}, "zh") == "目标完成率（目标为 T，得分率封顶 100%）"


@pytest.mark.parametrize("policy, zh, en", [
    ("error", "停止计分并报错", "the run stops with an error"), ("zero", "记 0 分", "0 points"),
    ("mean", "按其他单位的平均得分率计分", "the mean score rate of the others"),
    ("lowest", "按其他单位的最低得分率计分", "the lowest score rate of the others"),
    ("fallback", "按替代公式 a / 2 计分", "points from a / 2")])
def test_missing_policy_in_words(policy, zh, en):
    fallback = "a / 2" if policy == "fallback" else None
    assert (describe_missing(policy, fallback, "zh"), describe_missing(policy, fallback, "en")) == (zh, en)


def test_registry_names_are_the_rule_file_names():
    policy = models.MissingPolicy.model_fields["policy"].annotation
    assert registry.MISSING_NAMES == typing.get_args(policy)
    for field in (models.Node.model_fields["aggregate"], models.RuleFile.model_fields["aggregate"]):
        assert registry.AGGREGATE_NAMES == typing.get_args(field.annotation)
    assert [aggregate_label(a, "zh") for a in registry.AGGREGATE_NAMES] == ["加权平均", "加权几何平均"]


@pytest.mark.parametrize("value, text", [(None, "-"), (212700, "212,700"), (107671.6, "107,671.6"),
                                         (40.674561, "40.6746"), (-0.00001, "0"), (0.5, "0.5"), ("x", "x")])
def test_number_text(value, text):
    assert number_text(value) == text


@pytest.mark.parametrize("value, text", [(0.8671, "86.7%"), (1.0, "100.0%"), (1.3301, "133.0%"), (0.0, "0.0%"),
                                         (-0.0001, "0.0%"), (None, "-"), (float("nan"), "-")])
def test_percent(value, text):
    assert percent(value) == text


def test_strongest_and_weakest_one_definition():
    rates = pd.Series({"a": 1.33, "b": 0.45, "c": 0.87, "d": 1.0, "e": 0.99, "f": 0.55})
    # overall 0.9: strongest at full points or above 0.9, weakest below 0.9 (lowest first)
    assert strongest_weakest(rates, 0.9, 3) == (["a", "d", "e"], ["b", "f", "c"])
    # overall above full points: nothing at or above 100% is ever a weakness
    assert strongest_weakest(rates, 1.1, 6) == (["a", "d"], ["b", "f", "c", "e"])
    assert strongest_weakest(pd.Series({"a": 0.5, "b": 0.5}), 0.5, 3) == ([], [])
