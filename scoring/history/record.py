"""Recording a run in the store, and reproducing a recorded run byte for byte.

A run is always scored from the bytes that are stored: the rule file and the data files are read
once, written to a temporary folder, and scored from there (:func:`score_files`), so that what
the store keeps is exactly what was scored, and ``reproduce`` takes the same path. The run's
output is its JSON document (``zonescore run --format json``) and its CSV table; their SHA-256
are stored with the run and compared by :func:`reproduce`.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..errors import Problem, ZonescoreError
from ..messages import tr
from .previous import attach_history, finals_before, series_of
from .store import FINAL, StoreError, connect, database_error, normal_stage


@dataclass
class StoredFiles:
    """A rule file and data files as bytes, with the paths they were read from."""

    rules_path: str
    rules: bytes
    data: list[tuple[str, bytes]]
    sheet: str | None = None


@dataclass
class Scored:
    result: object  # scoring.engine.run.RunResult
    json_text: str
    csv_text: str
    history: dict[int, int] = field(default_factory=dict)  # years back -> run id of that year's final

    @property
    def output_sha256(self) -> str:
        return hashlib.sha256(self.json_text.encode()).hexdigest()

    @property
    def csv_sha256(self) -> str:
        return hashlib.sha256(self.csv_text.encode()).hexdigest()


def read_files(rules: str, data: tuple[str, ...] | list[str], sheet: str | None = None) -> StoredFiles:
    """Read the files of a run once, as bytes (missing files are reported by the loaders)."""
    from ..api.loader import read_text
    from ..io.data import _read_bytes

    _, raw = read_text(rules)
    return StoredFiles(str(rules), raw, [(str(p), _read_bytes(Path(p), str(p))) for p in data], sheet)


def score_files(files: StoredFiles, connection, year: int | None, history: dict[int, int] | None = None,
                engine: str = "auto") -> tuple[Scored, int]:
    """Score ``files`` from a temporary copy; ``history`` pins the earlier finals (None: the latest ones)."""
    from ..api.assessment import load_assessment
    from ..engine.run import run_assessment
    from ..io.data import load_data
    from ..report.render import render_run

    with tempfile.TemporaryDirectory(prefix="zonescore-") as folder:
        rules = Path(folder, "rules", Path(files.rules_path).name)
        rules.parent.mkdir()
        rules.write_bytes(files.rules)
        paths = []
        for i, (path, content) in enumerate(files.data):
            copy = Path(folder, str(i), Path(path).name)
            copy.parent.mkdir()
            copy.write_bytes(content)
            paths.append(str(copy))
        names = {str(rules): files.rules_path, **{copy: path for copy, (path, _) in zip(paths, files.data)}}
        try:
            assessment = load_assessment(rules)
            data = load_data(assessment, paths if len(paths) > 1 else paths[0], files.sheet)
        except ZonescoreError as error:
            raise _named(error, names) from None
    assessment.path = files.rules_path  # provenance names the files as they were recorded
    data.sources = [(path, digest) for (path, _), (_, digest) in zip(files.data, data.sources)]
    year = year or assessment.spec.year
    if year is None:
        raise StoreError(tr("The year of the run is not known"),
                         [Problem(tr("the rule file has no 'year' and no --year was given"), file=files.rules_path,
                                  field="year", expected=tr("year: 2023 in the rule file, or --year 2023"))])
    if history is None:
        history = finals_before(connection, series_of(assessment), year) if connection is not None else {}
    attach_history(connection, assessment, data, history)
    result = run_assessment(assessment, data, engine)
    return Scored(result, render_run(result, "json"), render_run(result, "csv"), history), year


def _named(error: ZonescoreError, names: dict[str, str]) -> ZonescoreError:
    """``error`` with the temporary copies' paths replaced by the recorded names."""
    def name(text):
        for copy, recorded in names.items():
            text = text.replace(copy, recorded) if isinstance(text, str) else text
        return text

    error.summary = name(error.summary)
    error.args = (error.summary,)
    error.problems = [replace(p, file=name(p.file), message=name(p.message)) for p in error.problems]
    return error


@dataclass
class Recorded:
    run_id: int
    year: int
    stage: str
    series: str
    earlier_same_stage: list[int]  # runs of the same year and stage recorded before this one
    scored: Scored


def record_run(store: Path, files: StoredFiles, stage: str, year: int | None = None, note: str | None = None,
               parent: int | None = None, reason: str | None = None, corrections=(), history=None,
               engine: str = "auto") -> Recorded:
    """Score ``files`` and store everything about the run in one transaction; returns the new run."""
    stage = normal_stage(stage)
    connection = connect(store, write=True)
    try:
        scored, year = score_files(files, connection, year, history, engine)
        series = series_of(scored.result.assessment)
        connection.execute("BEGIN IMMEDIATE")
        try:
            earlier = [r for (r,) in connection.execute(
                "SELECT id FROM runs WHERE series = ? AND year = ? AND stage = ? ORDER BY id", (series, year, stage))]
            run_id = insert_run(connection, files, scored, series, year, stage, note, parent, reason)
            connection.executemany('INSERT INTO corrections (run, unit, "column", file, old, new) VALUES (?,?,?,?,?,?)',
                                   [(run_id, *c) for c in corrections])
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    except __import__("sqlite3").Error as exc:
        raise database_error(exc, store) from None
    finally:
        connection.close()
    return Recorded(run_id, year, stage, series, earlier, scored)


def insert_run(connection, files: StoredFiles, scored: Scored, series: str, year: int, stage: str,
               note, parent, reason) -> int:
    """The rows of one run (inside the caller's transaction)."""
    from .units import unit_rows

    result = scored.result
    blobs = [(hashlib.sha256(files.rules).hexdigest(), files.rules)]
    blobs += [(hashlib.sha256(content).hexdigest(), content) for _, content in files.data]
    connection.executemany("INSERT OR IGNORE INTO blobs (sha256, content) VALUES (?, ?)", blobs)
    cursor = connection.execute(
        "INSERT INTO runs (series, year, stage, note, reason, parent, tool_version, engine, sheet, rules_path, "
        "rules_sha256, history, unit_count, output_sha256, csv_sha256, provenance_run_id, recorded_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (series, year, stage, note, reason, parent, __version__, result.engine, files.sheet, files.rules_path,
         blobs[0][0], json.dumps({str(k): v for k, v in sorted(scored.history.items())}), len(result.data),
         scored.output_sha256, scored.csv_sha256, _provenance_id(result),
         datetime.now(timezone.utc).isoformat(timespec="seconds")))
    run_id = cursor.lastrowid
    connection.executemany("INSERT INTO run_files (run, position, path, sha256) VALUES (?,?,?,?)",
                           [(run_id, i, path, digest) for i, ((path, _), (digest, _)) in
                            enumerate(zip(files.data, blobs[1:]))])
    connection.executemany('INSERT INTO units (run, unit, name, position, rank, base_total, total, outcome, status, '
                           'inputs, "values", points, adjustments) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
                           [(run_id, *row) for row in unit_rows(result)])
    return run_id


def _provenance_id(result) -> str:
    from ..report.provenance import provenance_of

    return provenance_of(result).run_id


def stored_files(connection, run: dict) -> StoredFiles:
    """The files of a recorded run, as bytes."""
    def blob(digest: str) -> bytes:
        return connection.execute("SELECT content FROM blobs WHERE sha256 = ?", (digest,)).fetchone()[0]

    data = [(path, blob(digest)) for path, digest in connection.execute(
        "SELECT path, sha256 FROM run_files WHERE run = ? ORDER BY position", (run["id"],))]
    return StoredFiles(run["rules_path"], blob(run["rules_sha256"]), data, run["sheet"])


@dataclass
class Reproduction:
    run: dict
    scored: Scored

    @property
    def identical(self) -> bool:
        return (self.scored.output_sha256 == self.run["output_sha256"]
                and self.scored.csv_sha256 == self.run["csv_sha256"])


def reproduce(store: Path, reference: str) -> Reproduction:
    """Score a recorded run again from its stored files and earlier finals; compare the output hashes."""
    from .runs import find_run

    connection = connect(store)
    try:
        run = find_run(connection, reference)
        files = stored_files(connection, run)
        history = {int(k): v for k, v in json.loads(run["history"]).items()}
        scored, _ = score_files(files, connection, run["year"], history, run["engine"])
    finally:
        connection.close()
    return Reproduction(run, scored)


__all__ = ["FINAL", "record_run", "reproduce", "read_files", "StoredFiles"]
