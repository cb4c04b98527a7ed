"""Golden outputs: every command and format on the shipped rule files, byte for byte.

The guard of refactoring: the outputs in ``tests/golden/`` were written by the command line and
must not change unless a change is meant. Workbooks are compared by SHA-256 (they are
byte-identical from run to run). To accept an intended change, regenerate and review the diff:

    ZONESCORE_GOLDEN=write python -m pytest tests/test_golden.py
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
QINGPU = ("--rules", "rules/qingpu-2023.yaml", "--data", "zones.csv")
MUYUN = ("--rules", "rules/examples/muyun-enterprises.yaml", "--data", "rules/examples/enterprises.csv")
TEXT = ("table", "csv", "json", "markdown")

CASES: dict[str, tuple[str, ...]] = {}
for fmt in TEXT:
    CASES[f"run.{fmt}"] = ("run", *QINGPU, "--format", fmt)
    CASES[f"run-explain.{fmt}"] = ("run", *QINGPU, "--explain", "--format", fmt)
    CASES[f"whatif.{fmt}"] = ("whatif", *QINGPU, "--weight", "growth=50", "--format", fmt)
    CASES[f"robustness.{fmt}"] = ("robustness", *QINGPU, "--draws", "3000", "--seed", "7", "--format", fmt)
    CASES[f"warnings.{fmt}"] = ("warnings", *QINGPU, "--format", fmt)
    CASES[f"commended.{fmt}"] = ("commended", *QINGPU, "--format", fmt)
    CASES[f"muyun-run.{fmt}"] = ("run", *MUYUN, "--format", fmt)
for fmt in ("text", "json", "markdown"):
    CASES[f"explain-Z37.{fmt}"] = ("explain", "Z37", *QINGPU, "--format", fmt)
    CASES[f"explain-Z02.{fmt}"] = ("explain", "Z02", *QINGPU, "--format", fmt)
CASES["validate.txt"] = ("validate", *QINGPU)
CASES["robustness-vary.table"] = ("robustness", *QINGPU, "--draws", "2000", "--seed", "3", "--vary-method")
CASES["muyun-robustness.table"] = ("robustness", *MUYUN, "--draws", "1000", "--seed", "5")
CASES["muyun-explain.text"] = ("explain", "E07", *MUYUN)
WORKBOOKS = {
    "run.xlsx": ("run", *QINGPU, "--out", "{out}"),
    "warnings.xlsx": ("warnings", *QINGPU, "--out", "{out}"),
    "commended.xlsx": ("commended", *QINGPU, "--out", "{out}"),
    "template.xlsx": ("template", "--rules", "rules/qingpu-2023.yaml", "--out", "{out}"),
    "template-data.xlsx": ("template", *QINGPU, "--out", "{out}"),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A copy of the shipped files, so that the command line runs where the README says."""
    where = tmp_path_factory.mktemp("golden")
    shutil.copytree(ROOT / "rules", where / "rules")
    shutil.copy(ROOT / "zones.csv", where / "zones.csv")
    return where


def invoke(repo: Path, args: tuple[str, ...]) -> bytes:
    previous = os.getcwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout_bytes


def check(name: str, content: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("ZONESCORE_GOLDEN") == "write":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    assert path.exists(), f"no golden output {name}: run with ZONESCORE_GOLDEN=write"
    assert content == path.read_bytes(), f"{name} differs from tests/golden/{name}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_output_is_unchanged(repo, name):
    check(name, invoke(repo, CASES[name]))


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
def test_workbook_is_unchanged(repo, name, tmp_path):
    out = tmp_path / name
    invoke(repo, tuple(a.replace("{out}", str(out)) for a in WORKBOOKS[name]))
    check(name + ".sha256", (hashlib.sha256(out.read_bytes()).hexdigest() + "\n").encode())
