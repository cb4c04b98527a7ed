"""How points combine and what a missing value gets, declared once: names and labels.

:data:`AGGREGATES` holds every ``aggregate`` of a group or of the rule file (arithmetic,
geometric) and :data:`MISSING_POLICIES` every ``missing`` policy of an indicator (error, zero,
mean, lowest, fallback), each with its display name in Chinese and English and, for the
policies, what the policy does in a few words. The rule-file model's ``Literal`` lists are
checked against these by ``tests/test_registry_labels.py``; :mod:`.describe` (the
one describer of methods and policies, used by explain, the workbook's rules sheet and the HTML
report) reads them.
"""
from __future__ import annotations

from typing import NamedTuple

from ..messages import tr


class Aggregate(NamedTuple):
    name: str  # the value of ``aggregate``
    zh: str
    en: str

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


class MissingPolicy(NamedTuple):
    name: str  # the value of ``missing`` (``policy``)
    zh: str  # display name
    en: str
    zh_effect: str  # what a missing value gets, as a phrase ("{fallback}": the fallback expression)
    en_effect: str

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    def effect(self, language: str, fallback: str | None = None) -> str:
        """What a unit with a missing value gets, e.g. "按公式 x * 2 计分" / "fallback x * 2"."""
        text = self.zh_effect if language == "zh" else self.en_effect
        return text.format(fallback=fallback or "")


AGGREGATES: tuple[Aggregate, ...] = (
    Aggregate("arithmetic", "加权平均", "arithmetic"),
    Aggregate("geometric", "加权几何平均", "geometric"),
)

MISSING_POLICIES: tuple[MissingPolicy, ...] = (
    MissingPolicy("error", "报错", "error", "停止计分并报错", "the run stops with an error"),
    MissingPolicy("zero", "记零分", "zero", "记 0 分", "0 points"),
    MissingPolicy("mean", "取平均得分率", "mean", "按其他单位的平均得分率计分", "the mean score rate of the others"),
    MissingPolicy("lowest", "取最低得分率", "lowest", "按其他单位的最低得分率计分", "the lowest score rate of the others"),
    MissingPolicy("fallback", "按替代公式", "fallback", "按替代公式 {fallback} 计分", "points from {fallback}"),
)

AGGREGATE_BY_NAME: dict[str, Aggregate] = {a.name: a for a in AGGREGATES}
AGGREGATE_NAMES: tuple[str, ...] = tuple(AGGREGATE_BY_NAME)
MISSING_BY_NAME: dict[str, MissingPolicy] = {p.name: p for p in MISSING_POLICIES}
MISSING_NAMES: tuple[str, ...] = tuple(MISSING_BY_NAME)


def aggregate(name: str) -> Aggregate:
    """The registry row of aggregate ``name`` (KeyError for an unknown name)."""
    return AGGREGATE_BY_NAME[name]


def missing_policy(name: str) -> MissingPolicy:
    """The registry row of missing-value policy ``name`` (KeyError for an unknown name)."""
    return MISSING_BY_NAME[name]


if len(AGGREGATE_BY_NAME) != len(AGGREGATES) or len(MISSING_BY_NAME) != len(MISSING_POLICIES):
    raise ImportError(tr("scoring.registry: an aggregate or a missing-value policy is declared twice"))
