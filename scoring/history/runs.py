"""Finding recorded runs: by number, or by ``YEAR:STAGE`` (the latest run of that year and stage)."""
from __future__ import annotations

import sqlite3

from ..errors import Problem
from ..messages import tr
from .store import StoreError, normal_stage

RUN_COLUMNS = ("id", "series", "year", "stage", "note", "reason", "parent", "tool_version", "engine", "sheet",
               "rules_path", "rules_sha256", "history", "unit_count", "output_sha256", "csv_sha256",
               "provenance_run_id", "recorded_at")


def run_record(row) -> dict:
    return dict(zip(RUN_COLUMNS, row))


def _select(connection: sqlite3.Connection, where: str, params) -> list[dict]:
    rows = connection.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE {where} ORDER BY id", params)
    return [run_record(row) for row in rows]


def find_run(connection: sqlite3.Connection, reference: str) -> dict:
    """The run ``reference`` names: a run number (``5``) or ``YEAR:STAGE`` (``2023:公示``, the latest)."""
    text = str(reference).strip()
    if text.isdigit():
        found = _select(connection, "id = ?", (int(text),))
    elif ":" in text and text.split(":", 1)[0].strip().isdigit():
        year, stage = text.split(":", 1)
        found = _select(connection, "year = ? AND stage = ?", (int(year), normal_stage(stage)))
        if len({run["series"] for run in found}) > 1:
            raise StoreError(tr("More than one assessment has runs for {reference}", reference=text),
                             [Problem(tr("runs of several rule files match"), found=", ".join(
                                 f"#{r['id']} {r['series']}" for r in found), expected=tr("a run number"))])
        found = found[-1:]
    else:
        raise StoreError(tr("Not a run reference: {reference}", reference=text),
                         [Problem(tr("not a run number or YEAR:STAGE"), found=repr(text),
                                  expected=tr("a run number such as 5, or 2023:公示"))])
    if not found:
        raise StoreError(tr("No recorded run {reference}", reference=text),
                         [Problem(tr("the store has no such run"), found=repr(text),
                                  expected=tr("a run listed by 'zonescore history --runs'"))])
    return found[0]


def all_runs(connection: sqlite3.Connection) -> list[dict]:
    return _select(connection, "1", ())
