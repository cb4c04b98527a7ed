"""``zonescore history``: final ranks, totals and outcomes by year; one unit's every run; the list of runs."""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..messages import tr
from ..report.formatting import fixed, render_report
from ..report.words import words
from .diff import _spec_of
from .record import stored_files
from .runs import all_runs
from .store import FINAL, StoreError, connect


def _report(title: str, headers: list[str], rows: list[list[str]], align: list[str], fmt: str, document: dict,
            empty: str) -> str:
    """A table report with no footer (and so no blank lines after the table)."""
    text = render_report(title, headers, rows, align, [], fmt, document=document, empty=empty)
    return text if fmt in ("json", "csv") else text.rstrip("\n") + "\n"


def render_history(store: Path, unit: str | None = None, list_runs: bool = False, fmt: str = "table") -> str:
    connection = connect(store)
    try:
        runs = all_runs(connection)
        if not runs:
            raise StoreError(tr("The history store has no runs yet: {path}", path=store),
                             [Problem(tr("no recorded run"), file=str(store), expected=tr("a run made by 'zonescore record'"))])
        spec, labels = _spec_of(stored_files(connection, runs[-1]))
        word = words(spec)
        if list_runs:
            return _runs_table(runs, word, fmt)
        if unit is not None:
            return _unit_table(connection, runs, unit, spec, word, labels, fmt)
        return _years_table(connection, runs, spec, word, labels, fmt)
    finally:
        connection.close()


def _outcome(value, labels, word) -> str:
    return labels.get(value, value) if value else word["none"]


def _runs_table(runs, word, fmt) -> str:
    headers = [word["run"], word["year"], word["stage"], word["units"], word["rules_file"], word["note"]]
    rows = [[f"#{r['id']}", str(r["year"]), r["stage"], str(r["unit_count"]), r["rules_path"],
             r["reason"] or r["note"] or (f"#{r['parent']}" if r["parent"] else "")] for r in runs]
    return _report(word["runs_title"], headers, rows, ["left"] * len(headers), fmt, {"runs": runs}, word["no_rows"])


def _finals(runs) -> dict[int, dict]:
    return {r["year"]: r for r in runs if r["stage"] == FINAL}  # the latest final of each year wins


def _years_table(connection, runs, spec, word, labels, fmt) -> str:
    finals = _finals(runs)
    years = sorted(finals)
    by_year = {year: {row[0]: row[1:] for row in connection.execute(
        "SELECT unit, name, rank, total, outcome FROM units WHERE run = ?", (finals[year]["id"],))} for year in years}
    units = sorted({u for table in by_year.values() for u in table})
    names = {u: next(t[u][0] for t in reversed(list(by_year.values())) if u in t) for u in units}
    headers = [spec.id_column, word["unit"]]
    for year in years:
        headers += [f"{year} {word['rank']}", f"{year} {word['total']}", f"{year} {word['outcome']}"]
    rows = []
    for u in units:
        row = [u, names[u]]
        for year in years:
            found = by_year[year].get(u)
            row += ["", "", ""] if found is None else [
                "" if found[1] is None else str(found[1]), "" if found[2] is None else fixed(found[2], spec.precision),
                _outcome(found[3], labels, word)]
        rows.append(row)
    document = {"years": {str(y): {u: {"rank": t[1], "total": t[2], "outcome": t[3]} for u, t in by_year[y].items()}
                          for y in years}}
    return _report(word["history_title"], headers, rows, ["left", "left"] + ["right", "right", "left"] * len(years),
                   fmt, document, word["no_rows"])


def _unit_table(connection, runs, unit, spec, word, labels, fmt) -> str:
    found = {row[0]: row[1:] for row in connection.execute(
        "SELECT run, name, rank, total, outcome FROM units WHERE unit = ? OR name = ?", (unit, unit))}
    if not found:
        raise StoreError(tr("No recorded run has the unit {unit}", unit=unit),
                         [Problem(tr("unknown unit"), found=repr(unit), expected=tr("a unit id or name of a recorded run"))])
    headers = [word["run"], word["year"], word["stage"], word["rank"], word["total"], word["outcome"]]
    rows = [[f"#{r['id']}", str(r["year"]), r["stage"], "" if found[r["id"]][1] is None else str(found[r["id"]][1]),
             "" if found[r["id"]][2] is None else fixed(found[r["id"]][2], spec.precision),
             _outcome(found[r["id"]][3], labels, word)] for r in runs if r["id"] in found]
    name = next(iter(found.values()))[0]
    document = {"unit": unit, "name": name, "runs": [dict(zip(("run", "year", "stage", "rank", "total", "outcome"),
                                                              [r["id"], r["year"], r["stage"], *found[r["id"]][1:]]))
                                                     for r in runs if r["id"] in found]}
    return _report(f"{unit} {name}", headers, rows, ["left", "left", "left", "right", "right", "left"], fmt,
                   document, word["no_rows"])
