"""The scoring methods, declared once: name, model, scoring function, labels and monotonicity.

A row of :data:`METHODS` is the only place a method is declared. The rule-file models build
their discriminated union from it (:mod:`scoring.api.models`), the loader names its methods in
"unknown scoring method" errors, :mod:`scoring.engine.methods` dispatches on it, and
``tests/test_registry.py`` checks that docs/rules.md has a row for each. To add a method: a row
here, a model class in :mod:`scoring.api.models` (with ``type: Literal["name"]``), a function in
:mod:`scoring.engine.methods`, and rows in the two method tables of docs/rules.md.

The model and the function are named here and looked up by their modules at import (a missing
one is an import error); :attr:`ScoringMethod.model` and :attr:`ScoringMethod.function` give the
objects. This module imports nothing heavy: the command line reads it at start-up.
"""
from __future__ import annotations

from typing import NamedTuple

from ..messages import tr

# Monotonicity: what a better value (higher with ``direction: higher``, lower with ``lower``)
# does to the unit's own points, the other units' values unchanged (``cap`` keeps it).
DIRECTED = "directed"  # a better value never gives fewer points
CONDITIONAL = "conditional"  # only under the condition in ``monotone_when``
UNKNOWN = "unknown"  # the rule file's expression decides
MONOTONICITY = (DIRECTED, CONDITIONAL, UNKNOWN)


class ScoringMethod(NamedTuple):
    name: str  # the ``type`` of a method mapping in a rule file
    model_name: str  # its pydantic model: a class of scoring.api.models
    function_name: str  # its scoring function: a function of scoring.engine.methods
    zh: str  # label in Chinese (the name docs/rules.md gives it)
    en: str  # label in English
    monotone: str  # one of MONOTONICITY
    monotone_when: str = ""  # the condition, for CONDITIONAL (as docs/rules.md states it)

    @property
    def model(self) -> type:
        """The pydantic model class (imports :mod:`scoring.api.models`)."""
        from ..api import models

        return getattr(models, self.model_name)

    @property
    def function(self):
        """The scoring function ``(method, MethodInput) -> MethodResult``."""
        from ..engine import methods

        return getattr(methods, self.function_name)

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    @property
    def monotone_text(self) -> str:
        """The monotonicity as docs/rules.md states it in its method names table."""
        if self.monotone == DIRECTED:
            return "yes"
        if self.monotone == UNKNOWN:
            return "not known: the expression decides"
        return self.monotone_when


METHODS: tuple[ScoringMethod, ...] = (
    ScoringMethod("minmax", "MinMax", "_minmax", "功效系数法", "min-max", DIRECTED),
    ScoringMethod("best_ratio", "BestRatio", "_best_ratio", "以最优值为标准", "ratio to the best", DIRECTED),
    ScoringMethod("benchmark", "Benchmark", "_benchmark", "与基准值比较", "ratio to a benchmark", CONDITIONAL,
                  "when `benchmark` is a number, `max` or `min`, or no peer value is negative"),
    ScoringMethod("target", "Target", "_target", "目标完成率", "target completion", DIRECTED),
    ScoringMethod("rank", "Rank", "_rank", "排名赋分", "rank points", DIRECTED),
    ScoringMethod("bands", "Bands", "_bands", "分档计分", "bands", CONDITIONAL,
                  "when a better value never matches a band with a lower score (`direction` is ignored)"),
    ScoringMethod("goalposts", "Goalposts", "_goalposts", "固定上下限", "goalposts", DIRECTED),
    ScoringMethod("percentile", "Percentile", "_percentile", "百分位计分", "percentile", DIRECTED),
    ScoringMethod("zscore", "ZScore", "_zscore", "标准分计分", "z-score", DIRECTED),
    ScoringMethod("formula", "Formula", "_formula", "公式计分", "formula", UNKNOWN),
)

METHOD_NAMES: tuple[str, ...] = tuple(m.name for m in METHODS)
"""Every method name, in the order of docs/rules.md and of the loader's error message."""

METHOD_BY_NAME: dict[str, ScoringMethod] = {m.name: m for m in METHODS}

MONOTONE_METHODS: tuple[str, ...] = tuple(m.name for m in METHODS if m.monotone == DIRECTED)
"""Methods for which a better value never gives fewer points, whatever their settings."""


def method(name: str) -> ScoringMethod:
    """The registry row of method ``name`` (KeyError for an unknown name)."""
    return METHOD_BY_NAME[name]


def bind(namespace: dict, attribute: str, where: str) -> dict:
    """``{method name: namespace[row.<attribute>]}`` for every method; a missing name fails loudly.

    Used by :mod:`scoring.api.models` (``model_name``) and :mod:`scoring.engine.methods`
    (``function_name``) with their ``globals()``.
    """
    bound, absent = {}, []
    for row in METHODS:
        name = getattr(row, attribute)
        if name in namespace:
            bound[row.name] = namespace[name]
        else:
            absent.append(f"{row.name} ({name})")
    if absent:
        raise ImportError(tr("{where} lacks what scoring.registry declares for: {absent}", where=where,
                              absent=", ".join(absent)))
    return bound


if len(METHOD_BY_NAME) != len(METHODS):
    raise ImportError(tr("scoring.registry: a scoring method is declared twice"))
if not all(m.monotone in MONOTONICITY and (m.monotone == CONDITIONAL) == bool(m.monotone_when) for m in METHODS):
    raise ImportError(tr("scoring.registry: a method's monotonicity is not one of MONOTONICITY, "
                         "or lacks its condition"))
