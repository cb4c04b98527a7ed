"""The store under trouble: foreign, damaged, newer and read-only files; kill -9; four writers at once."""
from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
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


CHILD = """
import sys, time
from scoring.history import record
original = record.insert_run
def slow(connection, *args):
    run_id = original(connection, *args)
    print("inside", flush=True)
    time.sleep(30)
    return run_id
record.insert_run = slow
record.record_run(__import__("pathlib").Path(sys.argv[1]), record.read_files(sys.argv[2], [sys.argv[3]]), "草稿")
"""


def test_kill_inside_the_transaction_leaves_no_partial_run(tmp_path):
    path = tmp_path / "z.db"
    record_run(path, files(), "终审")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), RULES, DATA], stdout=subprocess.PIPE, env=env)
    assert child.stdout.readline().strip() == b"inside"  # every row of the run written, not committed
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM units").fetchone() == (38,)


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9])
def test_kill_at_any_moment_leaves_a_sound_store(tmp_path, delay):
    path = tmp_path / "z.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "scoring", "record", "--stage", "草稿", "--db", str(path), "--rules", RULES,
               "--data", DATA]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    child.kill()
    child.wait()
    if path.exists() and path.stat().st_size:
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            runs = db.execute("SELECT id, unit_count FROM runs").fetchall()
            for run_id, count in runs:
                assert db.execute("SELECT count(*) FROM units WHERE run = ?", (run_id,)).fetchone() == (count,)


def test_four_writers_at_once_all_land(tmp_path):
    path = tmp_path / "z.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "scoring", "record", "--stage", "草稿", "--db", str(path), "--rules", RULES,
               "--data", DATA]
    children = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (4,)
        assert db.execute("SELECT count(*) FROM units").fetchone() == (4 * 38,)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
