"""Scoring methods, missing-value policies and score rates in words, in the rule file's language.

The one describer of a method's settings for every output (explain, the workbook's rules sheet,
the HTML report): :func:`describe_method` turns ``minmax`` with ``floor: 0.6`` into
"功效系数法（最低得分率 60%）" in Chinese and "minmax (floor 0.6)" in English, with the names
this registry declares (methods, aggregates, missing policies); :func:`describe_missing` says what
a missing value gets. :func:`percent` is the one format of a score rate (得分率, points / full
points) in every output: "86.7%"; :func:`number_text` the one of a data value: "212,700".
Standard library only, like the rest of the registry.
"""
from __future__ import annotations

import math
from typing import Any

from .methods import method
from .policies import aggregate, missing_policy

_STATISTICS = {"mean": "平均值", "median": "中位数", "max": "最大值", "min": "最小值"}
_ZH_COMMA = "，"


def number_text(value) -> str:
    """A number as people read it: thousands separated, integers without decimals, others with up to
    4 decimals (``212,700``, ``40.6746``, ``0.5``); text as it is; None as "-"."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    number = round(float(value), 4) + 0.0
    if not math.isfinite(number):
        return "-"
    text = f"{number:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(fraction: float | None) -> str:
    """A score rate (得分率) or any other share as a percentage with one decimal: 0.8671 → "86.7%"."""
    if fraction is None or not math.isfinite(float(fraction)):
        return "-"
    text = f"{float(fraction) * 100:.1f}%"
    return "0.0%" if text == "-0.0%" else text


def _setting_percent(fraction: float) -> str:
    """A fraction set in the rule file as a percentage, without trailing zeros: 0.6 → "60%"."""
    return number_text(float(fraction) * 100) + "%"


def describe_method(kind: str, settings: dict[str, Any], language: str) -> str:
    """Method ``kind`` with its rule-file ``settings`` (``model_dump(exclude_none=True)`` without
    ``type``) in words: zh "目标完成率（目标为 税收目标，得分率封顶 120%）", en "target (cap 1.2, target 税收目标)"."""
    settings = {k: v for k, v in settings.items() if k != "type" and v is not None}
    if language != "zh":
        parts = _english_settings(settings)
        return f"{kind} ({parts})" if parts else kind
    parts = _ZH_PARTS.get(kind, lambda s: [])(settings)
    if settings.get("cap") is not None:
        parts.append(f"得分率封顶 {_setting_percent(settings['cap'])}")
    label = method(kind).zh
    return f"{label}（{_ZH_COMMA.join(parts)}）" if parts else label


def method_description(model, language: str) -> str:
    """:func:`describe_method` for a rule file's method model (``node.method``)."""
    return describe_method(model.type, model.model_dump(exclude_none=True, exclude={"type"}), language)


def _english_settings(settings: dict[str, Any]) -> str:
    parts = []
    for key, value in settings.items():
        if isinstance(value, bool):
            parts += [key] if value else []
        elif isinstance(value, list):
            value = "; ".join(" ".join(f"{k} {number_text(v)}" for k, v in item.items()) if isinstance(item, dict)
                              else number_text(item) for item in value)
            parts.append(f"{key}: {value}")
        else:
            parts.append(f"{key} {number_text(value)}")
    return ", ".join(parts)


def _minmax(s: dict) -> list[str]:
    return [f"最低得分率 {_setting_percent(s['floor'])}"] if s.get("floor") else []


def _benchmark(s: dict) -> list[str]:
    base = s.get("benchmark", "mean")
    base = _STATISTICS.get(base, base) if isinstance(base, str) else f" {number_text(base)} "
    factor = s.get("factor", 1)
    return [f"基准为{base}".rstrip() if factor == 1 else f"基准为{base}的 {number_text(factor)} 倍"]


def _target(s: dict) -> list[str]:
    parts = [f"目标为 {number_text(s['target'])}"] if "target" in s else []
    return parts + (["未达目标得 0 分"] if s.get("below_target_zero") else [])


def _rank(s: dict) -> list[str]:
    if s.get("step") is not None:
        return [f"每后退一名扣 {number_text(s['step'])} 分"]
    return [f"末名得分率 {_setting_percent(s['floor'])}"] if s.get("floor") else []


def _band_text(band: dict) -> str:
    lo, hi = band.get("at_least"), band.get("at_most")
    if lo is not None and hi is not None:
        when = f"{number_text(lo)} 至 {number_text(hi)}"
    elif lo is not None:
        when = f"≥{number_text(lo)}"
    elif hi is not None:
        when = f"≤{number_text(hi)}"
    else:
        when = "其余"
    when = when if when == "其余" else when + " "
    if band.get("points") is not None:
        return f"{when}得 {number_text(band['points'])} 分"
    return f"{when}得满分" if band["fraction"] == 1 else f"{when}得 {_setting_percent(band['fraction'])}"


def _bands(s: dict) -> list[str]:
    return ["；".join(_band_text(band) for band in s.get("bands", []))]


def _goalposts(s: dict) -> list[str]:
    return [f"{number_text(s['lo'])} 至 {number_text(s['hi'])}"] + (["按对数刻度"] if s.get("log") else [])


def _zscore(s: dict) -> list[str]:
    return [f"±{number_text(s['spread'])} 个标准差"] if "spread" in s else []


def _formula(s: dict) -> list[str]:
    parts = [f"得分 = {s['points']}"] if "points" in s else []
    parts += [f"最低 {number_text(s['min_points'])} 分"] if s.get("min_points") is not None else []
    return parts + ([f"最高 {number_text(s['max_points'])} 分"] if s.get("max_points") is not None else [])


_ZH_PARTS = {"minmax": _minmax, "benchmark": _benchmark, "target": _target, "rank": _rank, "bands": _bands,
             "goalposts": _goalposts, "zscore": _zscore, "formula": _formula}


def describe_missing(policy: str, fallback: str | None, language: str) -> str:
    """What a unit with a missing value gets: zh "按替代公式 x * 2 计分", en "fallback: x * 2"."""
    return missing_policy(policy).effect(language, fallback)


def aggregate_label(name: str, language: str) -> str:
    """The display name of an ``aggregate``: 加权平均 / arithmetic."""
    return aggregate(name).label(language)
