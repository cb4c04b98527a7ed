"""Check a rule file and a data file without producing results.

Errors (a file that cannot be read or scored) raise a :class:`~scoring.errors.ZonescoreError`.
What can be scored but deserves a look before the results are published comes back as warnings
(:class:`~scoring.errors.Problem` records, each with file, row, column, what was found and what
was expected):

* a value scored by a missing-value policy: an empty cell feeding an indicator, or a value the
  method cannot score (growth on a zero base), with the policy that applies (fallback, zero,
  mean, lowest);
* an empty cell that no indicator reads (an adjustment condition on it is false);
* an outlier: a number more than :data:`OUTLIER_SIGMAS` standard deviations (of the column, all
  units) from the column mean. Columns where one value is held by at least half of the units
  (flags, counts of rare events: mostly 0) are not checked; their spread says nothing;
* a column total that differs from the department's control total (``control_total`` of an
  input in the rule file) by more than :data:`TOTAL_TOLERANCE`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..api.assessment import load_assessment
from ..errors import Problem
from ..io.data import LINE_COLUMN, load_data
from ..engine.run import run_assessment
from ..messages import tr

OUTLIER_SIGMAS = 5
TOTAL_TOLERANCE = 0.005  # a column total may differ from the control total by rounding to the cent


@dataclass(frozen=True)
class ValidationReport:
    rules_path: str
    data_path: str
    indicators: int
    groups: int
    adjustments: int
    outcomes: int
    units: int
    fired_rules: tuple[str, ...]
    silent_rules: tuple[str, ...]
    notes: tuple[str, ...] = ()  # how the data was read (headers matched loosely, a title block skipped)
    warnings: tuple[Problem, ...] = ()  # values to check: scored by a policy, outliers, control totals

    def lines(self) -> list[str]:
        """The report in the interface language, one line each (warnings last, each as a list item)."""
        lines = [tr("rules OK: {path} ({indicators} in {groups}, {adjustments}, {outcomes})", path=self.rules_path,
                    indicators=_count(self.indicators, tr("{count} indicator"), tr("{count} indicators")),
                    groups=_count(self.groups, tr("{count} group"), tr("{count} groups")),
                    adjustments=_count(self.adjustments, tr("{count} adjustment rule"),
                                       tr("{count} adjustment rules")),
                    outcomes=_count(self.outcomes, tr("{count} outcome"), tr("{count} outcomes")))]
        lines += [tr("note: {note}", note=note) for note in self.notes]
        lines += [tr("data OK: {paths} ({count} units)", paths=self.data_path, count=self.units),
                  tr("scoring OK: every unit could be scored, ranked and classified")]
        if self.silent_rules:
            lines.append(tr("note: these adjustment rules fire for no unit: {rules}", rules=", ".join(self.silent_rules)))
        if self.warnings:
            lines.append(tr("{count} warning(s): values to check before the results are published",
                            count=len(self.warnings)))
            lines += [f"  - {warning.render()}" for warning in self.warnings]
        return lines


def _count(number: int, one: str, many: str) -> str:
    return (one if number == 1 else many).format(count=number)


def validate_files(rules_path: str | Path, data_path, sheet: str | None = None,
                   engine: str = "auto") -> ValidationReport:
    """Load and check the rule file and the data file(s) and dry-run the scoring.

    ``data_path`` is one path or several (joined on the unit id). Raises a ZonescoreError on any
    problem; values to check come back as warnings."""
    assessment = load_assessment(rules_path)
    data = load_data(assessment, data_path, sheet)
    result = run_assessment(assessment, data, engine)
    fired = result.adjustments.fired
    fired_rules = tuple(r for r in fired.columns if fired[r].any())
    silent = tuple(r for r in fired.columns if not fired[r].any())
    data_text = ", ".join(path for path, _ in data.sources)
    return ValidationReport(str(rules_path), data_text, len(assessment.leaves), len(assessment.groups),
                            len(assessment.spec.adjustments), len(assessment.spec.outcomes), len(data),
                            fired_rules, silent, tuple(data.notes), tuple(data_warnings(result)))


def data_warnings(result) -> list[Problem]:
    """Every warning about the data of a scored ``result`` (see the module notes), by row then column."""
    where = _Where(result)
    warnings = _policy_warnings(result, where) + _outlier_warnings(result, where)
    warnings.sort(key=lambda p: (p.line is None, p.line or 0))
    return warnings + _total_warnings(result, where)


class _Where:
    """File and row of a unit's cell: the row only when one file was read (joined files: the file list)."""

    def __init__(self, result):
        sources = result.data.sources
        self.file = sources[0][0] if len(sources) == 1 else ", ".join(path for path, _ in sources)
        self.lines = result.data.frame[LINE_COLUMN] if len(sources) == 1 else None
        self.inputs = result.assessment.spec.inputs
        self.headers = result.data.headers

    def line(self, unit_id: str) -> int | None:
        return None if self.lines is None else int(self.lines[unit_id])

    def header(self, name: str) -> str:
        """The header of input ``name`` as in the data file (as in the rule file if not known)."""
        inp = self.inputs.get(name)
        return self.headers.get(name) or ((inp.column or name) if inp is not None else name)


def _leaf_inputs(assessment, leaf_id: str) -> list[str]:
    """The inputs an indicator's value reads, directly or through derived values, in rule-file order."""
    seen: set[str] = set()
    waiting = list(assessment.indicator_expr(leaf_id, "value").names)
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in assessment.spec.derived:
            waiting += list(assessment.derived_expr(name).names)
    return [name for name in assessment.spec.inputs if name in seen]


def _policy_text(assessment, leaf_id: str) -> str:
    node = assessment.nodes[leaf_id]
    policy = node.missing.policy
    if policy == "fallback":
        return tr("indicator '{indicator}' is scored by its fallback {formula}", indicator=node.title,
                  formula=node.missing.fallback)
    if policy == "mean":
        return tr("indicator '{indicator}' gets the mean of the other units' points", indicator=node.title)
    if policy == "lowest":
        return tr("indicator '{indicator}' gets the lowest of the other units' points", indicator=node.title)
    return tr("indicator '{indicator}' gets zero points", indicator=node.title)


def _policy_warnings(result, where: _Where) -> list[Problem]:
    """Empty cells (with the policies they trigger) and undefined values scored by a policy."""
    assessment, frame = result.assessment, result.data.frame
    numbers = [name for name, inp in assessment.spec.inputs.items() if inp.type == "number"]
    empty = {name: frame[name].isna() for name in numbers}
    policies: dict[tuple[str, str], list[str]] = {}  # (unit, input) -> the policies its empty cell triggers
    warnings = []
    for leaf_id in result.tree.missing.columns:
        inputs = [name for name in _leaf_inputs(assessment, leaf_id) if name in empty]
        for unit_id in result.tree.missing.index[result.tree.missing[leaf_id].to_numpy(bool)]:
            blank = [name for name in inputs if empty[name][unit_id]]
            for name in blank:
                policies.setdefault((unit_id, name), []).append(_policy_text(assessment, leaf_id))
            if not blank:
                warnings.append(_undefined(result, where, leaf_id, unit_id, inputs))
    for name in numbers:
        for unit_id in frame.index[empty[name].to_numpy(bool)]:
            how = policies.get((unit_id, name))
            message = (tr("empty cell: {how}", how="; ".join(how)) if how else
                       tr("empty cell, read as a missing value (a condition on it is false)"))
            warnings.append(Problem(message, file=where.file, line=where.line(unit_id), field=where.header(name),
                                    found=tr("an empty cell for unit {unit}", unit=unit_id),
                                    expected=tr("a number, if the value is known")))
    return warnings


def _undefined(result, where: _Where, leaf_id: str, unit_id: str, inputs: list[str]) -> Problem:
    frame = result.data.frame
    values = ", ".join(f"{where.header(name)} {frame.at[unit_id, name]:g}" for name in inputs)
    return Problem(tr("value undefined (e.g. growth on a zero base): {how}",
                      how=_policy_text(result.assessment, leaf_id)),
                   file=where.file, line=where.line(unit_id), field=result.assessment.nodes[leaf_id].title,
                   found=tr("unit {unit}: {values}", unit=unit_id, values=values),
                   expected=tr("values the method can score, if they are known"))


def _outlier_warnings(result, where: _Where) -> list[Problem]:
    """Numbers more than OUTLIER_SIGMAS standard deviations from their column's mean."""
    frame = result.data.frame
    warnings = []
    for name, inp in result.assessment.spec.inputs.items():
        if inp.type != "number":
            continue
        values = frame[name].to_numpy(float)
        known = values[np.isfinite(values)]
        if len(known) < 3 or np.unique(known, return_counts=True)[1].max() * 2 >= len(known):
            continue
        mean, sigma = float(known.mean()), float(known.std())
        if sigma == 0:
            continue
        far = np.isfinite(values) & (np.abs(values - mean) > OUTLIER_SIGMAS * sigma)
        low, high = mean - OUTLIER_SIGMAS * sigma, mean + OUTLIER_SIGMAS * sigma
        for unit_id, value in zip(frame.index[far], values[far]):
            warnings.append(Problem(
                tr("unusual value: more than {sigmas} standard deviations from the column's mean", sigmas=OUTLIER_SIGMAS),
                file=where.file, line=where.line(unit_id), field=where.header(name),
                found=tr("{value} for unit {unit}", value=_number(value), unit=unit_id),
                expected=tr("between {low} and {high} (mean {mean}, standard deviation {sigma}), or a value checked "
                            "at the source", low=_number(low), high=_number(high), mean=_number(mean),
                            sigma=_number(sigma))))
    return warnings


def _total_warnings(result, where: _Where) -> list[Problem]:
    """Column totals that differ from the control total the rule file states for the input."""
    frame = result.data.frame
    warnings = []
    for name, inp in result.assessment.spec.inputs.items():
        control = getattr(inp, "control_total", None)
        if control is None or inp.type != "number":
            continue
        values = frame[name].to_numpy(float)
        total = float(np.nansum(values))
        if math.isclose(total, control, rel_tol=0, abs_tol=TOTAL_TOLERANCE):
            continue
        warnings.append(Problem(
            tr("column total differs from the department's control total"), file=where.file,
            field=where.header(name),
            found=tr("{total} over {count} units", total=_number(total), count=int(np.isfinite(values).sum())),
            expected=tr("{control} (control_total in {rules}; difference {difference})", control=_number(control),
                        rules=result.assessment.path, difference=_number(total - control))))
    return warnings


def _number(value: float) -> str:
    """A number as a person reads it: up to 10 significant digits, no exponent below 10^15."""
    text = f"{value:.10g}"
    if "e" in text and abs(value) < 1e15:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text
