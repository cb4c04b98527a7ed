"""Scenario files: cases that pin down what a rule file must do (``rules/NAME.tests.yaml``).

A scenario file names the rule file and, optionally, a data file that gives every case its
other units; each case GIVEs a few units' inputs and EXPECTs points, totals, ranks, outcomes,
fired rules or an error::

    rules: qingpu-2023.yaml          # relative to this file; default: NAME.yaml beside NAME.tests.yaml
    data: ../zones.csv               # optional; "none" (or absent): only the units a case gives
    cases:
      - name: 违规返税的小区不得表彰
        given:
          Z01: {违规返税: 1}           # unit id -> {input name or column header: value}
        expect:
          Z01: {outcome: none, fired: [illegal_rebate]}

``given`` changes cells of units in the data, or adds units (their name defaults to the id).
``expect`` per unit: ``total``, ``base_total``, ``rank``, ``outcome`` (id, label, or ``none``),
``status`` (``exempt`` / ``excluded``), ``points`` ({node id or label: points}), ``fired`` (the
exact set of adjustment rules that fire, ids or labels), ``not_fired``. Numbers are compared at
the rule file's precision, as ``zonescore run`` shows them. ``error`` instead of ``expect``: the
case must fail to score, with a message containing the text (English or Chinese).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..api.loader import LineMap, _SafeLoader
from ..errors import InputFileError, Problem, RuleFileError
from ..messages import tr

Scalar = Union[float, int, str, bool, None]


class UnitExpectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total: float | None = None
    base_total: float | None = None
    rank: int | None = None
    outcome: str | None = None
    status: str | None = None
    points: dict[str, float] = Field(default_factory=dict)
    fired: list[str] | None = None
    not_fired: list[str] = Field(default_factory=list)


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    given: dict[str, dict[str, Scalar]] = Field(default_factory=dict)
    expect: dict[str, UnitExpectation] = Field(default_factory=dict)
    error: str | None = None
    data: str | None = None  # this case's own data file ("none": only the given units)


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: str | None = None
    data: str | None = None
    cases: list[Case] = Field(min_length=1)


def scenario_path_of_rules(rules: Path) -> Path:
    return rules.with_name(rules.stem + ".tests.yaml")


def rules_path_of(path: Path, scenario: ScenarioFile) -> Path:
    if scenario.rules:
        return path.parent / scenario.rules
    return path.with_name(path.name.removesuffix(".tests.yaml") + ".yaml")


def data_path_of(path: Path, given: str | None) -> Path | None:
    if given is None or given.strip().lower() == "none":
        return None
    return path.parent / given


def load_scenarios(path: str | Path) -> ScenarioFile:
    """Parse and validate a scenario file; every problem located by line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(tr("Cannot read scenario file: {path}", path=path), [Problem(
            str(error), file=str(path), expected=tr("a UTF-8 YAML file"))]) from None
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RuleFileError(tr("Scenario file is not valid YAML: {path}", path=path), [Problem(
            getattr(error, "problem", None) or str(error), file=str(path),
            line=mark.line + 1 if mark else None, expected=tr("valid YAML"))]) from None
    finally:
        loader.dispose()
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as error:
        lines = LineMap(root)
        raise RuleFileError(tr("Scenario file does not describe test cases: {path}", path=path), [Problem(
            _message(err), file=str(path), line=lines.line(tuple(err["loc"])),
            field=".".join(str(p) for p in err["loc"]) or None,
            found=None if isinstance(err.get("input"), (dict, list)) else repr(err.get("input")),
            expected=tr("see docs/cli.md, section test")) for err in error.errors()]) from None


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return tr("unknown key")
    if kind == "missing":
        return tr("required key is missing")
    return tr("wrong kind of value")
