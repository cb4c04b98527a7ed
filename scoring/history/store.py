"""Opening the history store (SQLite): checks, schema migrations, append-only tables.

The store is one SQLite file (default ``zonescore.db`` in the working directory, else ``--db`` or
``ZONESCORE_DB``) in WAL mode with a busy timeout, so that several ``record`` processes at once all
land. Each run is written in one transaction (:mod:`.record`); triggers refuse any UPDATE or
DELETE, so recorded runs are immutable. ``PRAGMA application_id`` marks the file as a zonescore
store and ``PRAGMA user_version`` holds its schema version: a file that is not a zonescore store,
a damaged one, one written by a newer zonescore, or a read-only one is refused before any change.
"""
from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from ..errors import Problem, ZonescoreError
from ..messages import tr

DEFAULT_STORE = "zonescore.db"
APPLICATION_ID = 0x7A73636F  # "zsco"
BUSY_TIMEOUT_MS = 60_000
SQLITE_HEADER = b"SQLite format 3\x00"
STAGES = ("草稿", "公示", "复核", "终审")
STAGE_ALIASES = {"draft": "草稿", "notice": "公示", "review": "复核", "final": "终审"}
FINAL = "终审"

_IMMUTABLE = ("runs", "run_files", "units", "corrections", "blobs")
MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        series TEXT NOT NULL, year INTEGER NOT NULL, stage TEXT NOT NULL,
        note TEXT, reason TEXT, parent INTEGER REFERENCES runs(id),
        tool_version TEXT NOT NULL, engine TEXT NOT NULL, sheet TEXT,
        rules_path TEXT NOT NULL, rules_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        history TEXT NOT NULL, unit_count INTEGER NOT NULL,
        output_sha256 TEXT NOT NULL, csv_sha256 TEXT NOT NULL, provenance_run_id TEXT NOT NULL,
        recorded_at TEXT NOT NULL);
    CREATE INDEX runs_by_year ON runs (series, year, stage);
    CREATE TABLE run_files (run INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL,
        path TEXT NOT NULL, sha256 TEXT NOT NULL REFERENCES blobs(sha256), PRIMARY KEY (run, position));
    CREATE TABLE units (run INTEGER NOT NULL REFERENCES runs(id), unit TEXT NOT NULL, name TEXT NOT NULL,
        position INTEGER, rank INTEGER, base_total REAL, total REAL, outcome TEXT, status TEXT NOT NULL,
        inputs TEXT NOT NULL, "values" TEXT NOT NULL, points TEXT NOT NULL, adjustments TEXT NOT NULL,
        PRIMARY KEY (run, unit));
    CREATE TABLE corrections (run INTEGER NOT NULL REFERENCES runs(id), unit TEXT NOT NULL,
        "column" TEXT NOT NULL, file TEXT NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL,
        PRIMARY KEY (run, unit, "column"));
    """ + "".join(
        f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, 'recorded runs are "
        f"immutable'); END; CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, "
        f"'recorded runs are immutable'); END;" for t in _IMMUTABLE),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(ZonescoreError):
    """The history store cannot be used as asked (not a store, damaged, newer, read-only, no such run)."""


def store_path(option: str | None = None) -> Path:
    """``--db``, else ``ZONESCORE_DB``, else ``zonescore.db`` in the working directory."""
    return Path(option or os.environ.get("ZONESCORE_DB") or DEFAULT_STORE)


def normal_stage(stage: str) -> str:
    """A stage name as stored (草稿, 公示, 复核, 终审); the English words are accepted too."""
    value = STAGE_ALIASES.get(stage.strip().lower(), stage.strip())
    if value not in STAGES:
        raise StoreError(tr("Unknown stage: {stage}", stage=stage),
                         [Problem(tr("not a stage of the yearly cycle"), field="--stage", found=repr(stage),
                                  expected=tr("one of: {stages}", stages=", ".join(STAGES)))])
    return value


def _fail(message: str, path: Path, problem: str, expected: str | None = None) -> StoreError:
    return StoreError(message, [Problem(problem, file=str(path), expected=expected)])


def _check_file(path: Path, write: bool) -> None:
    """Refuse, before SQLite touches it, a path that is not a regular SQLite file or cannot be written."""
    if path.is_dir():
        raise _fail(tr("History store is a directory: {path}", path=path), path, tr("expected a file"))
    if not path.exists():
        return
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise _fail(tr("Not a zonescore history store: {path}", path=path), path,
                    tr("the file is not an SQLite database"), tr("a store made by 'zonescore record', or a new file name"))
    if write and not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise _fail(tr("History store is read-only: {path}", path=path), path, tr("the file cannot be written"),
                    tr("write permission on the file, or another --db"))


def connect(path: Path, write: bool = False) -> sqlite3.Connection:
    """An open, checked and migrated store. Reading needs an existing store; writing creates one."""
    _check_file(path, write)
    if not write and not path.exists():
        raise _fail(tr("No history store: {path}", path=path), path, tr("no such file"),
                    tr("a store made by 'zonescore record' (--db FILE or ZONESCORE_DB)"))
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise _fail(tr("History store cannot be opened: {path}", path=path), path, str(exc)) from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = _check_identity(connection, path)
        if write or 0 < version < SCHEMA_VERSION:  # an older store is migrated before it is read
            _prepare(connection, path)
        elif version == 0:
            raise _fail(tr("No history store: {path}", path=path), path, tr("an empty file"),
                        tr("a store made by 'zonescore record' (--db FILE or ZONESCORE_DB)"))
        _check_intact(connection, path)
    except sqlite3.Error as exc:
        connection.close()
        raise database_error(exc, path) from None
    except StoreError:
        connection.close()
        raise
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def database_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """An SQLite error as a message a person can act on."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return _fail(tr("History store is read-only: {path}", path=path), path, text,
                     tr("write permission on the file and its folder, or another --db"))
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _fail(tr("History store is damaged: {path}", path=path), path, text,
                     tr("a copy from a backup; the damaged file is left as it is"))
    return _fail(tr("History store cannot be used: {path}", path=path), path, text)


def _check_identity(connection: sqlite3.Connection, path: Path) -> int:
    """The store's schema version, after checking that it is a zonescore store this version can read.

    The three reads are one read transaction (a snapshot): read one by one, another process creating
    the store could commit between them, and its tables would be seen without its application id."""
    own = not connection.in_transaction
    if own:
        connection.execute("BEGIN")
    try:
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        if own:
            connection.execute("COMMIT")
    if application != APPLICATION_ID and (application or tables):
        raise _fail(tr("Not a zonescore history store: {path}", path=path), path,
                    tr("an SQLite database of another program"), tr("a store made by 'zonescore record'"))
    if version > SCHEMA_VERSION:
        raise _fail(tr("History store was written by a newer zonescore: {path}", path=path), path,
                    tr("schema version {found}, this zonescore reads up to {known}", found=version,
                       known=SCHEMA_VERSION), tr("a newer zonescore"))
    return version


def _check_intact(connection: sqlite3.Connection, path: Path) -> None:
    found = connection.execute("PRAGMA quick_check").fetchone()[0]
    if found != "ok":
        raise _fail(tr("History store is damaged: {path}", path=path), path, found,
                    tr("a copy from a backup; the damaged file is left as it is"))


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    """WAL mode, then every migration the file lacks, each in one transaction with its version."""
    if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        connection.execute("PRAGMA journal_mode = WAL")
    if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
        _check_identity(connection, path)
        for number in range(version, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[number]):
                connection.execute(statement)
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """The statements of a migration script (triggers keep their inner ``;``)."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                statements.append(current.strip())
            current = ""
    return statements
