"""docs/cli.md and README.md run as written: every `$ zonescore ...` example gives the output shown.

Each fenced block holding `$ ` lines is one example: the commands run in order, in one shared
temporary copy of the files the docs use (rules/, zones.csv, zones-2022.csv, docs/examples/), with
click's CliRunner; what a block writes there (`--out` files, a history store) is removed after it, so
no block sees another's files. The output shown is compared exactly, except run ids, SHA-256 hashes,
timestamps and the temporary folder's path, and a line `...` (or `…`) in the docs matches any number
of lines. `$ cat FILE` shows a file the block wrote. A block after `<!-- docs-test: skip (reason) -->`
is not run (in write mode, a block whose reason starts with `slow` is run and rewritten).

`ZONESCORE_DOCS=write python -m pytest tests/test_docs_run.py` rewrites the outputs shown in
docs/cli.md and README.md from the real outputs, keeping each elision with as many shown lines before and after it
as there were; read `git diff docs/cli.md README.md` after it.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from conftest import ROOT

DOC = ROOT / "docs" / "cli.md"
DOCS = (DOC, ROOT / "README.md")
COPIED = ("rules", "zones.csv", "zones-2022.csv", "docs/examples")
WRITE = os.environ.get("ZONESCORE_DOCS") == "write"
ELISIONS = ("...", "…")
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\s*\((.+?)\)\s*-->")
FENCE = re.compile(r"^```.*$")
VOLATILE = [  # (pattern, placeholder): parts of the output that differ run to run or machine to machine
    (re.compile(r"sha256:[0-9a-f]+"), "sha256:#"),
    (re.compile(r"运行编号 [0-9a-f]{16}"), "运行编号 #"),
    (re.compile(r"\brun [0-9a-f]{16}"), "run #"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?"), "<time>"),
]


@dataclass
class Example:
    """One `$ ` command of the docs and the output lines shown under it (line numbers are 0-based)."""

    command: str
    shown: list[str]
    first_line: int  # index in the docs of the first shown output line
    end_line: int  # index just after the last


@dataclass
class Block:
    line: int
    examples: list[Example] = field(default_factory=list)
    skip: str | None = None


def read_blocks(lines: list[str]) -> list[Block]:
    """Every fenced block of the docs that holds a `$ ` command."""
    blocks, index = [], 0
    while index < len(lines):
        if not FENCE.match(lines[index]):
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        block = Block(line=index + 1, skip=skip_reason(lines, index))
        starts = [i for i in range(index + 1, end) if lines[i].startswith("$ ")]
        for position, start in enumerate(starts):
            stop = starts[position + 1] if position + 1 < len(starts) else end
            block.examples.append(Example(lines[start][2:], lines[start + 1:stop], start + 1, stop))
        if block.examples:
            blocks.append(block)
        index = end + 1
    return blocks


def skip_reason(lines: list[str], fence: int) -> str | None:
    before = fence - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    found = SKIP.search(lines[before]) if before >= 0 else None
    return found.group(1) if found else None


def normalise(line: str, folder: Path) -> str:
    line = line.replace(str(folder) + os.sep, "").replace(str(folder), ".")
    for pattern, placeholder in VOLATILE:
        line = pattern.sub(placeholder, line)
    return line.rstrip()


def segments(shown: list[str]) -> list[list[str]]:
    """The shown lines split at elision lines: n elisions give n + 1 segments (possibly empty)."""
    parts: list[list[str]] = [[]]
    for line in shown:
        if line.strip() in ELISIONS:
            parts.append([])
        else:
            parts[-1].append(line)
    return parts


def find(lines: list[str], wanted: list[str], start: int) -> int:
    for index in range(start, len(lines) - len(wanted) + 1):
        if lines[index:index + len(wanted)] == wanted:
            return index
    return -1


def placed(shown: list[str], real: list[str], folder: Path) -> list[tuple[int, int]] | None:
    """Where each segment of the shown output sits in the real output (normalised), or None."""
    parts = [[normalise(line, folder) for line in part] for part in segments(shown)]
    produced = [normalise(line, folder) for line in real]
    if len(parts) == 1:
        return [(0, len(produced))] if parts[0] == produced else None
    first, last = parts[0], parts[-1]
    tail = len(produced) - len(last)
    if produced[:len(first)] != first or tail < len(first) or produced[tail:] != last:
        return None
    spans, cursor = [(0, len(first))], len(first)
    for middle in parts[1:-1]:
        at = find(produced[:tail], middle, cursor)
        if at < 0:
            return None
        spans.append((at, at + len(middle)))
        cursor = at + len(middle)
    return spans + [(tail, len(produced))]


def rewritten(shown: list[str], real: list[str], folder: Path) -> list[str]:
    """The shown output refreshed from the real one: the same elisions, as many lines around each."""
    parts = segments(shown)
    if len(parts) == 1:
        spans = [(0, len(real))]
    else:
        spans = [(0, len(parts[0]))]
        cursor = len(parts[0])
        produced = [normalise(line, folder) for line in real]
        for middle in parts[1:-1]:  # a middle segment is found again by its first line, else dropped
            at = find_again(produced, normalise(middle[0], folder), cursor) if middle else -1
            spans.append((at, at + len(middle)) if at >= 0 else (cursor, cursor))
            cursor = max(cursor, spans[-1][1])
        spans.append((max(cursor, len(real) - len(parts[-1])), len(real)))
    old = iter([line for part in parts for line in part])
    lines: list[str] = []
    for number, (start, stop) in enumerate(spans):
        if number:
            lines.append("...")
        for line in real[start:stop]:
            before = next(old, None)  # keep the docs' line where only a time or a folder differs
            lines.append(before if before is not None and keep_shown(before, line, folder) else line)
    return lines


def find_again(produced: list[str], line: str, start: int) -> int:
    """Where `line` (or, failing that, a line starting as it does: the same unit) is, from `start`."""
    for key in (line, line[:24]):
        for index in range(start, len(produced)):
            if produced[index] == line or (key != line and produced[index].startswith(key)):
                return index
    return -1


def keep_shown(before: str, line: str, folder: Path) -> bool:
    return normalise(before, folder) == normalise(line, folder) and "sha256:" not in line and " run " not in line \
        and "运行编号" not in line


def run_command(command: str, folder: Path) -> list[str]:
    args = shlex.split(command)
    if args[0] == "cat":
        return (folder / args[1]).read_text(encoding="utf-8").splitlines()
    assert args[0] == "zonescore", f"the docs may run zonescore or cat, not {args[0]!r}"
    result = CliRunner().invoke(main, args[1:], catch_exceptions=False)
    lines = result.output.rstrip("\n").splitlines()
    return [line.rstrip() for line in lines]


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def restore(folder: Path, files: dict[Path, bytes]) -> None:
    """Put the copy back as it was: remove what a block wrote, rewrite what it changed."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path in files:
            if path.read_bytes() != files[path]:
                path.write_bytes(files[path])
        elif path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        else:
            path.unlink()


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs-run")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    return folder, snapshot(folder)


DOC_LINES = {path: path.read_text(encoding="utf-8").splitlines() for path in DOCS}
BLOCKS = [(path, block) for path in DOCS for block in read_blocks(DOC_LINES[path])]
REWRITES: dict[Path, dict[int, tuple[int, list[str]]]] = {path: {} for path in DOCS}


@pytest.mark.parametrize(("doc", "block"), BLOCKS, ids=[f"{doc.name}:{block.line}" for doc, block in BLOCKS])
def test_docs_example_runs_as_shown(doc, block, copy, monkeypatch):
    if block.skip and not (WRITE and block.skip.startswith("slow")):
        pytest.skip(block.skip)
    folder, files = copy
    monkeypatch.chdir(folder)
    monkeypatch.delenv("ZONESCORE_DB", raising=False)  # record/history use zonescore.db in the folder
    monkeypatch.setenv("NO_COLOR", "1")
    failures = []
    try:
        for example in block.examples:
            real = run_command(example.command, folder)
            if WRITE:
                REWRITES[doc][example.first_line] = (example.end_line, rewritten(example.shown, real, folder))
            elif placed(example.shown, real, folder) is None:
                failures.append(f"$ {example.command}\n--- shown\n" + "\n".join(example.shown)
                                + "\n--- real\n" + "\n".join(real))
    finally:
        restore(folder, files)
    assert not failures, "\n\n".join(failures)


def test_zz_write_docs():
    """In write mode, after every block ran: put the real outputs into the docs."""
    if not WRITE:
        pytest.skip("ZONESCORE_DOCS=write rewrites docs/cli.md")
    for doc in DOCS:
        lines = list(DOC_LINES[doc])
        for first in sorted(REWRITES[doc], reverse=True):
            end, new = REWRITES[doc][first]
            lines[first:end] = new
        doc.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_command_has_a_section():
    """Every command `zonescore --help` lists has a `## name` section in docs/cli.md."""
    sections = {line[3:].strip() for line in DOC_LINES[DOC] if line.startswith("## ")}
    named = {word.strip("`") for title in sections for word in title.split()}
    assert sorted(set(main.commands) - named) == []
