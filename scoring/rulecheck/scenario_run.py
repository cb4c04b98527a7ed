"""Run scenario files (:mod:`.scenario_file`) through the one scoring pipeline and compare.

Each case's data is the scenario file's data table (read as text, as ``zonescore run`` reads
it) with the given cells changed or units added, checked by the data reader's own checks and
scored by :func:`scoring.engine.run.run_assessment`. Nothing is printed here: the result is a
list of :class:`CaseResult` records with one line per difference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..api.assessment import Assessment, load_assessment
from ..engine.ranking import displayed
from ..engine.run import RunResult, run_assessment
from ..errors import ZonescoreError
from ..io.data_table import LINE_COLUMN
from ..io.data import UnitData, check_table, read_table, wanted_columns
from ..messages import language, set_language, tr
from .scenario_file import Case, ScenarioFile, UnitExpectation, data_path_of, load_scenarios, rules_path_of


@dataclass
class CaseResult:
    name: str
    differences: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences


@dataclass
class FileResult:
    path: str
    rules: str
    cases: list[CaseResult]
    uncovered: list[str]  # adjustment rules no passing case expects to fire


def run_scenario_file(path: str | Path) -> FileResult:
    path = Path(path)
    scenarios = load_scenarios(path)
    rules = rules_path_of(path, scenarios)
    assessment = load_assessment(rules)
    tables: dict[Path | None, pd.DataFrame | None] = {}
    results = [run_case(assessment, case, _base_table(assessment, path, scenarios, case, tables))
               for case in scenarios.cases]
    return FileResult(str(path), str(rules), results, _uncovered(assessment, scenarios, results))


def _base_table(assessment: Assessment, path: Path, scenarios: ScenarioFile, case: Case, tables: dict):
    data = data_path_of(path, case.data if case.data is not None else scenarios.data)
    if data not in tables:
        tables[data] = None if data is None else read_table(data)[0]
    table = tables[data]
    if table is None:
        headers = list(dict.fromkeys(wanted_columns(assessment).values()))
        table = pd.DataFrame({**{h: pd.Series(dtype=object) for h in headers}, LINE_COLUMN: pd.Series(dtype=int)})
    return table.copy()


def run_case(assessment: Assessment, case: Case, table: pd.DataFrame) -> CaseResult:
    result = CaseResult(case.name)
    try:
        run = _score(assessment, case, table)
    except ZonescoreError as error:
        if case.error is None:
            result.differences.append(tr("unexpected error: {error}", error=error))
        elif case.error not in str(error) and case.error not in _error_in_other_language(assessment, case, table):
            result.differences.append(tr("error: expected a message containing {text!r}, got: {error}",
                                         text=case.error, error=error))
        return result
    if case.error is not None:
        result.differences.append(tr("expected an error containing {text!r}, but every unit was scored",
                                     text=case.error))
    for unit, expected in case.expect.items():
        result.differences += compare_unit(run, unit, expected)
    return result


def _score(assessment: Assessment, case: Case, table: pd.DataFrame) -> RunResult:
    source = f"<{case.name}>"
    frame = check_table(assessment, _with_given(assessment, table, case), source)
    _given_history(assessment, frame, case)
    return run_assessment(assessment, UnitData(frame, [(source, "")]), "numpy")


def _given_history(assessment: Assessment, frame: pd.DataFrame, case: Case) -> None:
    """Earlier years' results a case gives (``prev.rank``, ``prev.outcome``, ``streak("warned")`` …),
    as the history store would join them (scoring.history.previous); other units have none."""
    from ..api.expr_history import parse_history_name

    for unit, cells in case.given.items():
        for key, value in cells.items():
            if parse_history_name(key) is None:
                continue
            if key not in frame.columns:
                text = isinstance(value, str)
                frame[key] = pd.Series([None if text else np.nan] * len(frame), index=frame.index,
                                       dtype=object if text else float)
            frame.loc[unit, key] = value


def _error_in_other_language(assessment: Assessment, case: Case, table: pd.DataFrame) -> str:
    """The case's error message in the other interface language (messages are made when raised)."""
    current = language()
    set_language("en" if current == "zh" else "zh")
    try:
        _score(assessment, case, table)
        return ""
    except ZonescoreError as error:
        return str(error)
    finally:
        set_language(current)


def _with_given(assessment: Assessment, table: pd.DataFrame, case: Case) -> pd.DataFrame:
    from ..api.expr_history import parse_history_name

    spec = assessment.spec
    headers = wanted_columns(assessment)
    id_header, name_header = headers[spec.id_column], headers[spec.name_column]
    ids = table[id_header].astype(str).str.strip().tolist()
    next_line = int(table[LINE_COLUMN].max()) + 1 if len(table) else 2
    for unit, cells in case.given.items():
        if unit not in ids:
            row = {column: "" for column in table.columns if column != LINE_COLUMN}
            row.update({id_header: unit, name_header: unit, LINE_COLUMN: next_line})
            table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
            ids.append(unit)
            next_line += 1
        position = ids.index(unit)
        for key, value in cells.items():
            if parse_history_name(key) is None:  # earlier years' results are joined after the data checks
                table.loc[table.index[position], headers.get(key, key)] = "" if value is None else str(value)
    return table


NONE = "none"


def compare_unit(run: RunResult, unit: str, expected: UnitExpectation) -> list[str]:
    if unit not in run.index:
        return [tr("{unit}: no such unit in this case", unit=unit)]
    outcome = run.ranking.outcome[unit]
    checks = [("total", expected.total, _shown(run, run.total[unit])),
              ("base_total", expected.base_total, _shown(run, run.tree.base_total[unit])),
              ("rank", expected.rank, _rank(run, unit)),
              ("outcome", _outcome_id(run, expected.outcome), outcome if isinstance(outcome, str) else NONE),
              ("status", expected.status, run.ranking.status[unit])]
    for node, points in expected.points.items():
        node_id = _node_id(run.assessment, node)
        checks.append((f"points {node}", points, _shown(run, run.tree.points[node_id][unit]) if node_id else None))
    found = [(what, want, got) for what, want, got in checks if want is not None and want != got]
    found += _firing_differences(run, unit, expected)
    return [tr("{unit} {what}: expected {want}, got {got}", unit=unit, what=what, want=_text(want), got=_text(got))
            for what, want, got in found]


def _firing_differences(run: RunResult, unit: str, expected: UnitExpectation) -> list[tuple]:
    fired = {r.id for r in run.assessment.spec.adjustments if bool(run.adjustments.fired[r.id][unit])}
    differences = []
    if expected.fired is not None:
        want = {_rule_id(run.assessment, r) for r in expected.fired}
        if want != fired:
            differences.append(("fired", sorted(want), sorted(fired)))
    wrong = sorted(fired & {_rule_id(run.assessment, r) for r in expected.not_fired})
    if wrong:
        differences.append(("not_fired", [], wrong))
    return differences


def _shown(run: RunResult, value) -> float | None:
    value = float(value)
    return None if not np.isfinite(value) else float(displayed(np.array([value]), run.assessment.spec.precision)[0])


def _rank(run: RunResult, unit: str) -> int | None:
    rank = run.ranking.display_rank[unit]
    return None if rank is None or (isinstance(rank, float) and np.isnan(rank)) else int(rank)


def _outcome_id(run: RunResult, given: str | None) -> str | None:
    if given is None:
        return None
    if given.strip().lower() in (NONE, "-", "无"):
        return NONE
    for outcome in run.assessment.spec.outcomes:
        if given in (outcome.id, outcome.title):
            return outcome.id
    return given


def _node_id(a: Assessment, node: str) -> str | None:
    if node in a.nodes:
        return node
    matches = [nid for nid, n in a.nodes.items() if a.label(nid) == node]
    return matches[0] if len(matches) == 1 else None


def _rule_id(a: Assessment, rule: str) -> str:
    for r in a.spec.adjustments:
        if rule in (r.id, r.title):
            return r.id
    return rule


def _text(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _uncovered(a: Assessment, scenarios: ScenarioFile, results: list[CaseResult]) -> list[str]:
    shown: set[str] = set()
    for case, result in zip(scenarios.cases, results):
        if result.passed:
            for expected in case.expect.values():
                shown |= {_rule_id(a, r) for r in expected.fired or ()}
    return [r.id for r in a.spec.adjustments if r.id not in shown]
