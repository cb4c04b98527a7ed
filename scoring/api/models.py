"""Pydantic models of a rule file: the definition side of an assessment.

The models check structure (types, required keys, allowed method names, positive
weights). Cross-references (expression names, ids used in tie-breaks) are checked
afterwards by :mod:`scoring.api.assessment`, which sees the whole file at once.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .. import registry
from ..messages import tr
from . import method_names, properties
from .fields import Count, Flag, Note, Number, NumberOrText, Text, rule_check

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
    control_total: Number | None = None  # the department's total of this column (validate warns when it differs)

    @model_validator(mode="after")
    def _ordered_range(self) -> "InputSpec":
        if self.range and None not in self.range and self.range[0] > self.range[1]:
            raise rule_check(tr("range low end {low} is above the high end {high}", low=f"{self.range[0]:g}",
                                high=f"{self.range[1]:g}"), expected=tr("[low, high] with low ≤ high"))
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
            raise rule_check(tr("a band needs exactly one of 'fraction' or 'points'"),
                             expected=tr("either fraction: (a share of the weight) or points:"))
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise rule_check(tr("'at_least' ({low}) is above 'at_most' ({high})", low=f"{self.at_least:g}",
                                high=f"{self.at_most:g}"), expected=tr("at_least ≤ at_most"))
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
            raise rule_check(tr("'hi' ({hi}) must be greater than 'lo' ({lo})", hi=self.hi, lo=self.lo),
                             expected=tr("hi > lo"))
        if self.log and self.lo <= 0:
            raise rule_check(tr("with 'log: true', 'lo' must be positive"), found=f"lo: {self.lo:g}",
                             expected=tr("lo > 0"))
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
            raise ImportError(tr("{model}: 'type' is not Literal[{name}]", model=f"{__name__}.{model.__name__}",
                                 name=repr(name)))
    unregistered = sorted(cls.__name__ for cls in _Method.__subclasses__() if cls not in models.values())
    if unregistered:
        raise ImportError(tr("{module}: method model(s) not in scoring.registry: {models}", module=__name__,
                             models=", ".join(unregistered)))
    return models


METHOD_MODELS = _method_models()


Method = Annotated[Union[tuple(METHOD_MODELS.values())], Field(discriminator="type")]  # noqa: UP007
NamedMethod = Annotated[Method, BeforeValidator(method_names.method_form)]
"""A method as the rule file may write it: also by a label (``功效系数``), see :mod:`.method_names`."""
METHOD_NAMES = registry.METHOD_NAMES


class MissingPolicy(Strict):
    """What to do with a missing (or non-finite, e.g. zero-base growth) value."""

    policy: Literal["error", "zero", "mean", "lowest", "fallback"] = "error"
    fallback: str | None = Field(default=None, description="expression giving points (policy fallback)")

    @model_validator(mode="after")
    def _fallback_given(self) -> "MissingPolicy":
        if (self.policy == "fallback") != (self.fallback is not None):
            raise rule_check(tr("'fallback' expression is required with policy 'fallback' and only then"),
                             expected=tr("policy: fallback together with fallback: an expression"))
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
    method: NamedMethod | None = None
    missing: MissingPolicy = Field(default_factory=MissingPolicy)
    group_by: str | None = None
    alternatives: list[NamedMethod] = Field(default_factory=list)

    @model_validator(mode="after")
    def _group_or_indicator(self) -> "Node":
        if self.children is not None:
            if not self.children:
                raise rule_check(tr("group '{id}' has an empty 'children' list", id=self.id),
                                 expected=tr("at least one indicator or group under 'children'"))
            stray = sorted(self.model_fields_set & set(INDICATOR_ONLY))
            if stray:
                raise rule_check(tr("group '{id}' has indicator-only key(s): {keys}", id=self.id,
                                    keys=tr(", ").join(stray)),
                                 expected=tr("in a group only id, label, weight, children and aggregate"))
        else:
            if "aggregate" in self.model_fields_set:
                raise rule_check(tr("indicator '{id}' has 'aggregate', which only groups use", id=self.id),
                                 expected=tr("no 'aggregate' on an indicator"))
            if self.method is None:
                raise rule_check(tr("indicator '{id}' needs a 'method'", id=self.id),
                                 expected=tr("e.g. method: {example}", example=method_names.example("minmax")))
            if self.value is None and self.method.type != "formula":
                raise rule_check(tr("indicator '{id}' needs a 'value' (a column or expression)", id=self.id),
                                 expected=tr("value: an input name or an expression"))
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


def _action_keys(action) -> str:
    return tr("the keys of '{action}': {keys}", action=action.name, keys=tr(", ").join(("when",) + tuple(action.keys)))


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
                raise rule_check(tr("action '{action}' needs '{key}'", action=self.action, key=key),
                                 expected=_action_keys(action))
        stray = sorted(k for k in self.model_fields_set & set(registry.ACTION_ONLY_KEYS) if k not in action.keys)
        if stray:
            raise rule_check(tr("action '{action}' does not use: {keys}", action=self.action,
                                keys=tr(", ").join(stray)),
                             expected=_action_keys(action))
        if self.max is not None and self.min is not None and self.max < self.min:
            raise rule_check(tr("'max' ({max}) is below 'min' ({min})", max=self.max, min=self.min),
                             expected=tr("max ≥ min"))
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
            raise rule_check(tr("pool '{id}': 'min' ({min}) is above 'max' ({max})", id=self.id, min=f"{self.min:g}",
                                max=f"{self.max:g}"), expected=tr("min ≤ max"))
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
    base: Literal["eligible", "all"] = "eligible"  # what a percentage is of: classified units, or every unit
    downgrade: Literal["skip", "keep_slot"] = "skip"  # a unit forced elsewhere or vetoed: skipped, or keeps its place

    @model_validator(mode="after")
    def _one_selector(self) -> "Outcome":
        chosen = [k for k in ("top", "bottom", "top_percent", "bottom_percent") if getattr(self, k) is not None]
        threshold = self.min_total is not None or self.max_total is not None
        count = len(chosen) + int(threshold) + int(self.rest)
        if count > 1:
            given = chosen + ["min_total/max_total"] * threshold + ["rest"] * self.rest
            raise rule_check(tr("an outcome takes at most one selector: top, bottom, top_percent, "
                                "bottom_percent, min_total/max_total or rest (none: filled by force rules only)"),
                             found=tr(", ").join(given), expected=tr("at most one"))
        if "base" in self.model_fields_set and self.top_percent is None and self.bottom_percent is None:
            raise rule_check(tr("'base' applies to top_percent/bottom_percent only"),
                             expected=tr("base together with top_percent or bottom_percent"))
        if "downgrade" in self.model_fields_set and not chosen:
            raise rule_check(tr("'downgrade' applies to top, bottom, top_percent and bottom_percent only"),
                             expected=tr("downgrade together with top, bottom, top_percent or bottom_percent"))
        if "rounding" in self.model_fields_set and self.top_percent is None and self.bottom_percent is None:
            raise rule_check(tr("'rounding' applies to top_percent/bottom_percent only"),
                             expected=tr("rounding together with top_percent or bottom_percent"))
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


class Output(Strict):
    """Choices about the outputs that are not words: ``indicator_values`` shows each indicator's
    value (税收增速 %, 税收 万元 ...) beside its points on the results workbook's ranking sheet."""

    indicator_values: Flag = True


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
    output: Output = Field(default_factory=Output)

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
            raise rule_check(tr("'total_min' ({low}) is above 'total_max' ({high})", low=f"{self.total_min:g}",
                                high=f"{self.total_max:g}"), expected=tr("total_min ≤ total_max"))
        pool_ids = [p.id for p in self.pools]
        duplicates = sorted({p for p in pool_ids if pool_ids.count(p) > 1})
        if duplicates:
            raise rule_check(tr("duplicate pool id(s): {ids}", ids=tr(", ").join(duplicates)),
                             expected=tr("each pool id once"))
        return self

    @property
    def full_score(self) -> float:
        """Sum of the top-level weights: the most a unit can get before adjustments."""
        return properties.full_score(self)


Node.model_rebuild()
