"""``zonescore init``: a commented starter rule file, its scenario file, from a sample data file.

From the answers (what the units are called, the id and name columns, the top-level groups) and
the sample data's header, :func:`starter_files` writes a rule file in which every numeric column
is an input and an indicator scored with the efficacy coefficient method (功效系数), the
indicators shared round-robin among the groups, the groups sharing 100 points; a commendation
list of the top 30 % and a warning list of the bottom 10 %. The comments are in the interface
language (the one catalogue). The rule file is loaded and run on the sample before anything is
written, and the scenario file pins what that run gives the first unit, so that both validate and
run at once; the rest is for the person to edit.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import OptionError, Problem
from ..messages import language, tr


@dataclass
class Answers:
    unit: str  # what the units are called, e.g. 经济小区
    id_column: str
    name_column: str
    groups: list[str]
    title: str


@dataclass
class StarterFiles:
    rules: str  # YAML text
    scenarios: str  # YAML text
    indicators: list[str]


def numeric_columns(table: pd.DataFrame, skip: set[str]) -> list[str]:
    """Columns whose filled cells are all numbers."""
    found = []
    for column in table.columns:
        if column in skip or column.startswith("_"):
            continue
        cells = table[column].astype(str).str.strip()
        filled = cells[cells != ""]
        if len(filled) and pd.to_numeric(filled.str.replace(",", ""), errors="coerce").notna().all():
            found.append(column)
    return found


def check_answers(answers: Answers, table: pd.DataFrame, path: str) -> list[str]:
    problems = []
    for field, column in (("--id-column", answers.id_column), ("--name-column", answers.name_column)):
        if column not in table.columns:
            problems.append(Problem(tr("no such column in the sample data"), file=path, field=field, found=column,
                                    expected=", ".join(c for c in table.columns if not c.startswith("_"))))
    if not answers.groups or any(not g.strip() for g in answers.groups):
        problems.append(Problem(tr("give at least one group name"), field="--groups", found=",".join(answers.groups),
                                expected=tr("e.g. 增速,户数,质量")))
    columns = numeric_columns(table, {answers.id_column, answers.name_column})
    if not columns:
        problems.append(Problem(tr("the sample data has no number column to score"), file=path))
    if problems:
        raise OptionError(tr("Cannot write a starter rule file"), problems)
    return columns


def _name(text: str, used: set[str]) -> str:
    """A rule name from a header: brackets and units dropped (税收（万元） -> 税收), unique."""
    base = text.split("（")[0].split("(")[0].strip().replace(" ", "_") or "x"
    name, n = base, 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used.add(name)
    return name


def rules_text(answers: Answers, columns: list[str], size: int) -> str:
    used: set[str] = set()
    names = {column: _name(column, used) for column in columns}
    count = len(answers.groups)
    shares = [100 // count + (1 if g < 100 % count else 0) for g in range(count)]  # whole points adding to 100
    lines = [tr("# {title} — rule file written by zonescore init: edit it, then run zonescore test and "
                "zonescore run.", title=answers.title),
             tr("# Every key is explained in docs/rules.md (Chinese tutorial: docs/tutorial.md)."), "",
             f"id: {q('starter')}", f"title: {q(answers.title)}", f"unit: {q(answers.unit)}",
             f"id_column: {q(answers.id_column)}", f"name_column: {q(answers.name_column)}", "precision: 2", "",
             tr("# Inputs: the name used in the rules, and the header in the data file."), "inputs:"]
    lines += [f"  {q(names[c])}: {{column: {q(c)}, range: [0, null]}}" for c in columns]
    lines += ["", tr("# Indicators in groups; a group's points are shared by its indicators by their weights."),
              tr("# Here every indicator of a group weighs 1: they share the group's points equally."),
              tr("# Method minmax is the efficacy coefficient (功效系数): floor 0.6 means the lowest unit gets 60%."),
              tr("# missing: lowest gives a unit without a value the lowest score of the others."),
              "indicators:"]
    for g, group in enumerate(answers.groups):
        lines += [f"  - id: g{g + 1}", f"    label: {q(group)}", f"    weight: {shares[g]}", "    children:"]
        mine = columns[g::len(answers.groups)] or columns[:1]
        for column in mine:
            lines += [f"      - id: {q('i_' + str(columns.index(column) + 1))}", f"        label: {q(column)}",
                      "        weight: 1", f"        value: {q(names[column])}",
                      "        method: {type: minmax, floor: 0.6}", "        missing: lowest"]
    top, bottom = max(1, round(size * 0.3)), max(1, round(size * 0.1))
    lines += ["", tr("# Bonuses, deductions, vetoes: see docs/rules.md, section adjustments."), "adjustments: []", "",
              tr("# Outcomes: the top {top} are commended, the bottom {bottom} warned.", top=top, bottom=bottom),
              "outcomes:",
              f"  - {{id: commended, label: {q(tr('commended'))}, top: {top}}}",
              f"  - {{id: warned, label: {q(tr('warned'))}, bottom: {bottom}}}"]
    return "\n".join(lines) + "\n"


def q(text: str) -> str:
    """``text`` quoted for YAML (a JSON string is a YAML string): any header is safe, Chinese stays readable."""
    return json.dumps(text, ensure_ascii=False)


def scenarios_text(rules_name: str, data_name: str, unit: str, total: float, outcome: str | None) -> str:
    return "\n".join([
        tr("# Scenario tests of {rules}: zonescore test runs them. Add a case for every rule you write.",
           rules=rules_name),
        f"rules: {q(rules_name)}", f"data: {q(data_name)}", "cases:",
        f"  - name: {q(tr('the first unit of the sample'))}",
        "    expect:",
        f"      {q(unit)}: {{rank: 1, total: {total:.2f}, outcome: {q(outcome or 'none')}}}", ""])


def starter_files(answers: Answers, data_path: str, rules_path: str) -> StarterFiles:
    """The rule and scenario texts; the rules are loaded and run on the sample before they are returned."""
    from ..api.assessment import compile_assessment
    from ..api.loader import parse_rule_yaml, validate_model
    from ..engine.ranking import displayed
    from ..engine.run import run_assessment
    from ..io.data import check_table, read_table, UnitData

    table, digest = read_table(data_path)
    columns = check_answers(answers, table, data_path)
    text = rules_text(answers, columns, len(table))
    data, lines = parse_rule_yaml(text, rules_path)
    assessment = compile_assessment(validate_model(data, rules_path, lines), rules_path, "", lines)
    run = run_assessment(assessment, UnitData(check_table(assessment, table, data_path), [(data_path, digest)]))
    first = run.ranking.order[0]
    data_name = Path(os.path.relpath(Path(data_path).resolve(), Path(rules_path).resolve().parent)).as_posix()
    outcome = run.ranking.outcome[first]
    total = float(displayed(np.array([run.total[first]]), 2)[0])
    return StarterFiles(text, scenarios_text(Path(rules_path).name, data_name, str(first), total,
                                             outcome if isinstance(outcome, str) else None), columns)


def default_title(unit: str) -> str:
    return tr("{unit} assessment", unit=unit) if language() == "en" else f"{unit}考核"
