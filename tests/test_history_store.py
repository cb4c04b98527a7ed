"""The store under trouble: foreign, damaged, newer and read-only files; kill -9; four writers at once."""
from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scoring.history.record import StoredFiles, read_files, record_run, reproduce
from scoring.history.store import SCHEMA_VERSION, StoreError, connect

ROOT = Path(__file__).resolve().parent.parent
RULES, DATA = str(ROOT / "rules/qingpu-2022.yaml"), str(ROOT / "zones-2022.csv")


def files() -> StoredFiles:
    return read_files(RULES, [DATA])


def test_not_a_store_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some text, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="Not a zonescore history store"):
        record_run(path, files(), "草稿")
    assert path.read_bytes() == before


def test_another_programs_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="Not a zonescore history store"):
        record_run(path, files(), "草稿")
    assert path.read_bytes() == before


def test_damaged_store_is_refused_unchanged(tmp_path):
    path = tmp_path / "z.db"
    record_run(path, files(), "终审")
    connect(path, write=True).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    raw = bytearray(path.read_bytes())
    raw[4096 + 100: 4096 * 3] = b"\xff" * (4096 * 2 - 100)  # scribble over table pages
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreError, match="damaged"):
        record_run(path, files(), "草稿")
    assert path.read_bytes() == bytes(raw)


def test_newer_store_is_refused(tmp_path):
    path = tmp_path / "z.db"
    record_run(path, files(), "终审")
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer zonescore"):
        reproduce(path, "1")


def test_read_only_store_is_refused_unchanged(tmp_path):
    path = tmp_path / "z.db"
    record_run(path, files(), "终审")
    connect(path, write=True).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(StoreError, match="read-only"):
            record_run(path, files(), "草稿")
        assert reproduce(path, "1").identical  # reading still works
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert path.read_bytes() == before


FORK = multiprocessing.get_context("fork")  # children share the imported modules: no start-up cost


def _record(path: str, stage: str = "草稿") -> None:
    record_run(Path(path), files(), stage)


def _record_and_hang(path: str, ready) -> None:
    from scoring.history import record

    original = record.insert_run

    def hang(connection, *args):
        run_id = original(connection, *args)
        ready.set()  # every row of the run written, not committed
        time.sleep(60)
        return run_id

    record.insert_run = hang
    _record(path)


def test_kill_inside_the_transaction_leaves_no_partial_run(tmp_path):
    path = tmp_path / "z.db"
    record_run(path, files(), "终审")
    ready = FORK.Event()
    child = FORK.Process(target=_record_and_hang, args=(str(path), ready))
    child.start()
    assert ready.wait(60)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM units").fetchone() == (38,)


def test_kill_at_any_moment_leaves_a_sound_store(tmp_path):
    """Kill -9 at 12 moments spread over a whole record (the store made, migrated, written, committed)."""
    path = tmp_path / "z.db"
    started = time.perf_counter()
    _record(str(path))
    took = time.perf_counter() - started
    for step in range(12):
        child = FORK.Process(target=_record, args=(str(path),))
        child.start()
        time.sleep(took * step / 10)
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            for run_id, count in db.execute("SELECT id, unit_count FROM runs").fetchall():
                assert db.execute("SELECT count(*) FROM units WHERE run = ?", (run_id,)).fetchone() == (count,)
    assert reproduce(path, "1").identical


def test_four_writers_at_once_all_land(tmp_path):
    path = tmp_path / "z.db"
    children = [FORK.Process(target=_record, args=(str(path),)) for _ in range(4)]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
        assert child.exitcode == 0
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (4,)
        assert db.execute("SELECT count(*) FROM units").fetchone() == (4 * 38,)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(min_value=1000, max_value=300000, allow_nan=False), min_size=38, max_size=38),
       st.lists(st.integers(min_value=0, max_value=900), min_size=38, max_size=38))
def test_reproduce_is_byte_identical_for_random_data(tmp_path, taxes, newcomers):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(Path(DATA).read_text(encoding="utf-8"))))
    for row, tax, new in zip(rows[1:], taxes, newcomers):
        row[3], row[6] = f"{tax:.1f}", str(new)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / f"z{abs(hash((tuple(taxes), tuple(newcomers))))}.db"
    stored = StoredFiles(RULES, Path(RULES).read_bytes(), [("zones-2022.csv", buffer.getvalue().encode())])
    recorded = record_run(path, stored, "草稿")
    again = reproduce(path, str(recorded.run_id))
    assert again.identical and again.scored.json_text.encode() == recorded.scored.json_text.encode()


def test_an_older_store_is_migrated_and_keeps_its_runs(tmp_path, monkeypatch):
    from scoring.history import store as store_module

    path = tmp_path / "z.db"
    first = record_run(path, files(), "终审")
    newer = store_module.MIGRATIONS + ("ALTER TABLE runs ADD COLUMN reviewer TEXT;",)
    monkeypatch.setattr(store_module, "MIGRATIONS", newer)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(newer))
    again = reproduce(path, str(first.run_id))  # reading migrates first
    assert again.identical
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)
        assert db.execute("SELECT id, reviewer FROM runs").fetchall() == [(1, None)]


def test_an_empty_file_is_no_store_to_read(tmp_path):
    path = tmp_path / "z.db"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="No history store"):
        reproduce(path, "1")
    assert path.read_bytes() == b""
