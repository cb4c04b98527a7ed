"""Pydantic models of a rule file: the definition side of an assessment.

The models check structure (types, required keys, allowed method names, positive
weights). Cross-references (expression names, ids used in tie-breaks) are checked
afterwards by :mod:`scoring.api.assessment`, which sees the whole file at once.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import registry
from . import properties
from .fields import Count, Flag, Note, Number, NumberOrText, Text

Direction = Literal["higher", "lower"]


class Strict(BaseModel):
    """Base: unknown keys are errors, so typos in a rule file never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class InputSpec(Strict):
    """One data column the rules use. ``column`` is the source header when it differs."""

    column: str | None = None
    label: Text | None = None
    unit: Text | None = None
    type: Literal["number", "text"] = "number"
    range: tuple[Number | None, Number | None] | None = None

    @model_validator(mode="after")
    def _ordered_range(self) -> "InputSpec":
        if self.range and None not in self.range and self.range[0] > self.range[1]:
            raise ValueError(f"range low end {self.range[0]:g} is above the high end {self.range[1]:g}")
        return self


# --- scoring methods -----------------------------------------------------------------------


class _Method(Strict):
    cap: Number | None = Field(default=None, gt=0, description="upper bound on the fraction")


class MinMax(_Method):
    type: Literal["minmax"]
    floor: Number = Field(default=0.0, ge=0, lt=1)


class BestRatio(_Method):
    type: Literal["best_ratio"]


class Benchmark(_Method):
    type: Literal["benchmark"]
    benchmark: Annotated[Literal["mean", "median", "max", "min"] | Number, NumberOrText] = Field(
        default="mean", description="a statistic of the peers, or a number")
    factor: Number = Field(default=1.0, gt=0, description="B = factor x statistic (k x mean)")


class Target(_Method):
    type: Literal["target"]
    target: Annotated[Number | str, NumberOrText] = Field(
        description="a number, or an input/derived name holding each unit's target")
    below_target_zero: Flag = False


class Rank(_Method):
    type: Literal["rank"]
    floor: Number = Field(default=0.0, ge=0, le=1)
    step: Number | None = Field(default=None, gt=0, description="points deducted per place instead of linear")


class Band(Strict):
    at_least: Number | None = None
    at_most: Number | None = None
    fraction: Number | None = Field(default=None, ge=0)
    points: Number | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_score(self) -> "Band":
        if (self.fraction is None) == (self.points is None):
            raise ValueError("a band needs exactly one of 'fraction' or 'points'")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError(f"'at_least' ({self.at_least:g}) is above 'at_most' ({self.at_most:g})")
        return self


class Bands(_Method):
    type: Literal["bands"]
    bands: list[Band] = Field(min_length=1)


class Goalposts(_Method):
    type: Literal["goalposts"]
    lo: Number
    hi: Number
    log: Flag = False

    @model_validator(mode="after")
    def _ordered(self) -> "Goalposts":
        if self.hi <= self.lo:
            raise ValueError(f"'hi' ({self.hi}) must be greater than 'lo' ({self.lo})")
        if self.log and self.lo <= 0:
            raise ValueError("with 'log: true', 'lo' must be positive")
        return self


class Percentile(_Method):
    type: Literal["percentile"]


class ZScore(_Method):
    type: Literal["zscore"]
    spread: Number = Field(default=3.0, gt=0, description="z = -spread scores 0, z = +spread scores 1")


class Formula(_Method):
    type: Literal["formula"]
    points: str = Field(description="expression giving points directly")
    min_points: Number | None = None
    max_points: Number | None = None


def _method_models() -> dict[str, type[_Method]]:
    """method name -> model class, as :data:`scoring.registry.METHODS` names them, in its order.

    Each class's ``type`` literal must be its registry name, and every method model must be
    registered: a mismatch is an import error, never a rule file read the wrong way.
    """
    models = registry.methods.bind(globals(), "model_name", __name__)
    for name, model in models.items():
        if model.model_fields["type"].annotation != Literal[name]:
            raise ImportError(f"{__name__}.{model.__name__}: 'type' is not Literal[{name!r}]")
    unregistered = sorted(cls.__name__ for cls in _Method.__subclasses__() if cls not in models.values())
    if unregistered:
        raise ImportError(f"{__name__}: method model(s) not in scoring.registry: {', '.join(unregistered)}")
    return models


METHOD_MODELS = _method_models()
Method = Annotated[Union[tuple(METHOD_MODELS.values())], Field(discriminator="type")]  # noqa: UP007
METHOD_NAMES = registry.METHOD_NAMES


class MissingPolicy(Strict):
    """What to do with a missing (or non-finite, e.g. zero-base growth) value."""

    policy: Literal["error", "zero", "mean", "lowest", "fallback"] = "error"
    fallback: str | None = Field(default=None, description="expression giving points (policy fallback)")

    @model_validator(mode="after")
    def _fallback_given(self) -> "MissingPolicy":
        if (self.policy == "fallback") != (self.fallback is not None):
            raise ValueError("'fallback' expression is required with policy 'fallback' and only then")
        return self


# --- indicator tree ----------------------------------------------------------------------


INDICATOR_ONLY = ("value", "direction", "unit", "method", "missing", "group_by", "alternatives")


class Node(Strict):
    """A group (has ``children``) or an indicator (has ``value`` and ``method``)."""

    id: str = Field(pattern=r"^[^\W\d]\w*$")
    label: Text | None = None
    weight: Number = Field(gt=0)
    # group keys
    children: list["Node"] | None = None
    aggregate: Literal["arithmetic", "geometric"] = "arithmetic"
    # indicator keys
    value: str | None = None
    direction: Direction = "higher"
    unit: Text | None = None
    method: Method | None = None
    missing: MissingPolicy = Field(default_factory=MissingPolicy)
    group_by: str | None = None
    alternatives: list[Method] = Field(default_factory=list)

    @model_validator(mode="after")
    def _group_or_indicator(self) -> "Node":
        if self.children is not None:
            if not self.children:
                raise ValueError(f"group '{self.id}' has an empty 'children' list")
            stray = sorted(self.model_fields_set & set(INDICATOR_ONLY))
            if stray:
                raise ValueError(f"group '{self.id}' has indicator-only key(s): {', '.join(stray)}")
        else:
            if "aggregate" in self.model_fields_set:
                raise ValueError(f"indicator '{self.id}' has 'aggregate', which only groups use")
            if self.method is None:
                raise ValueError(f"indicator '{self.id}' needs a 'method'")
            if self.value is None and self.method.type != "formula":
                raise ValueError(f"indicator '{self.id}' needs a 'value' (a column or expression)")
        return self

    @field_validator("missing", mode="before")
    @classmethod
    def _policy_shorthand(cls, value):
        # `missing: zero` is short for `missing: {policy: zero}`
        return {"policy": value} if isinstance(value, str) else value

    @property
    def is_group(self) -> bool:
        return properties.is_group(self)

    @property
    def title(self) -> str:
        return properties.title(self)


# --- adjustments ---------------------------------------------------------------------------

ActionName = Literal[registry.ACTION_NAMES]  # bonus, deduction, multiply, veto, force, exempt, exclude, flag
ACTION_KEYS = registry.ACTION_KEYS  # action -> the keys it uses besides id, label, when, action, note


class Adjustment(Strict):
    """A condition -> action rule, run by durable-rules for every unit."""

    id: str = Field(pattern=r"^[^\W\d]\w*$")
    label: Text | None = None
    when: str
    action: ActionName
    points: Annotated[str | Number, NumberOrText] | None = Field(
        default=None, description="bonus/deduction amount expression")
    factor: Annotated[str | Number, NumberOrText] | None = Field(
        default=None, description="multiply: factor expression")
    max: Number | None = None
    min: Number | None = None
    pool: str | None = None
    outcome: str | None = Field(default=None, description="veto: outcome barred; force: outcome forced")
    note: Note | None = None

    @model_validator(mode="after")
    def _action_keys(self) -> "Adjustment":
        action = registry.action(self.action)
        for key in action.requires:
            if getattr(self, key) is None:
                raise ValueError(f"action '{self.action}' needs '{key}'")
        stray = sorted(k for k in self.model_fields_set & set(registry.ACTION_ONLY_KEYS) if k not in action.keys)
        if stray:
            raise ValueError(f"action '{self.action}' does not use: {', '.join(stray)}")
        if self.max is not None and self.min is not None and self.max < self.min:
            raise ValueError(f"'max' ({self.max}) is below 'min' ({self.min})")
        return self

    @property
    def title(self) -> str:
        return properties.title(self)


class Pool(Strict):
    """Cap shared by several bonus/deduction rules (e.g. all bonuses together <= 5)."""

    id: Text
    label: Text | None = None
    max: Number | None = None
    min: Number | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Pool":
        if self.max is not None and self.min is not None and self.min > self.max:
            raise ValueError(f"pool '{self.id}': 'min' ({self.min:g}) is above 'max' ({self.max:g})")
        return self


# --- outcomes ------------------------------------------------------------------------------


class Outcome(Strict):
    """One outcome; takes units by rank among those still eligible, in list order."""

    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$")
    label: Text | None = None
    top: Count | None = Field(default=None, ge=0)
    bottom: Count | None = Field(default=None, ge=0)
    top_percent: Number | None = Field(default=None, ge=0, le=100)
    bottom_percent: Number | None = Field(default=None, ge=0, le=100)
    min_total: Number | None = None
    max_total: Number | None = None
    rest: Flag = False
    rounding: Literal["floor", "ceil", "round"] = "round"

    @model_validator(mode="after")
    def _one_selector(self) -> "Outcome":
        chosen = [k for k in ("top", "bottom", "top_percent", "bottom_percent") if getattr(self, k) is not None]
        threshold = self.min_total is not None or self.max_total is not None
        count = len(chosen) + int(threshold) + int(self.rest)
        if count != 1:
            raise ValueError("an outcome needs exactly one selector: top, bottom, top_percent, "
                             "bottom_percent, min_total/max_total or rest")
        if "rounding" in self.model_fields_set and self.top_percent is None and self.bottom_percent is None:
            raise ValueError("'rounding' applies to top_percent/bottom_percent only")
        return self

    @property
    def title(self) -> str:
        return properties.title(self)


class TieKey(Strict):
    by: str
    order: Literal["desc", "asc"] = "desc"


class Labels(Strict):
    """Words of the rendered output the rule file sets itself; the shipped rules give Chinese ones.

    Every field is optional: one left out takes the word of :data:`scoring.report.words.WORDS` in the
    rule file's language (read the words through :func:`scoring.report.words.words`). ``unit`` names
    the assessed units (the name column's header) and falls back to the top-level ``unit``.
    """

    rank: Text | None = None
    unit: Text | None = None
    total: Text | None = None
    base_total: Text | None = None
    adjustments: Text | None = None
    outcome: Text | None = None
    exempt: Text | None = None
    excluded: Text | None = None
    none: Text | None = None
    count: Text | None = None
    boundary_tie: Text | None = None
    reason: Text | None = None
    weakest: Text | None = None
    strongest: Text | None = None


class RuleFile(Strict):
    """A complete assessment."""

    id: Text
    title: Text
    unit: Text = "unit"
    year: int | None = Field(default=None, ge=1900, le=2999)  # the assessed year (history store, prev.*)
    id_column: str
    name_column: str
    display_columns: list[str] = Field(default_factory=list)
    precision: Count = Field(default=2, ge=0, le=6)
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    derived: dict[str, str] = Field(default_factory=dict)
    aggregate: Literal["arithmetic", "geometric"] = "arithmetic"
    indicators: list[Node] = Field(min_length=1)
    adjustments: list[Adjustment] = Field(default_factory=list)
    pools: list[Pool] = Field(default_factory=list)
    total_min: Number | None = None
    total_max: Number | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    tie_break: list[TieKey | str] = Field(default_factory=lambda: ["total", "id"], validate_default=True)
    labels: Labels = Field(default_factory=Labels)

    @field_validator("inputs", mode="before")
    @classmethod
    def _none_specs(cls, value):
        # `税收:` with no body in YAML means "a number column with this name".
        if isinstance(value, dict):
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value

    @field_validator("tie_break")
    @classmethod
    def _tie_keys(cls, keys):
        out = []
        for key in keys:
            if isinstance(key, str):
                order = "asc" if key in ("id", "name") else "desc"
                key = TieKey(by=key, order=order)
            out.append(key)
        return out

    @model_validator(mode="after")
    def _consistent(self) -> "RuleFile":
        if self.total_min is not None and self.total_max is not None and self.total_min > self.total_max:
            raise ValueError(f"'total_min' ({self.total_min:g}) is above 'total_max' ({self.total_max:g})")
        pool_ids = [p.id for p in self.pools]
        duplicates = sorted({p for p in pool_ids if pool_ids.count(p) > 1})
        if duplicates:
            raise ValueError(f"duplicate pool id(s): {', '.join(duplicates)}")
        return self

    @property
    def full_score(self) -> float:
        """Sum of the top-level weights: the most a unit can get before adjustments."""
        return properties.full_score(self)


Node.model_rebuild()
