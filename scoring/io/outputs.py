"""Output files: which format a command writes, and the checks made before writing.

The formats, their extensions and encodings, and which command writes which are declared in
:mod:`scoring.registry.formats` (re-exported here: :data:`EXTENSIONS`, :data:`TEXT_FORMATS`,
:data:`COMMAND_FORMATS`). Every command that writes a file goes through :func:`output_format`
(which format, from ``--format`` and the ``--out`` extension) and :func:`save` (the checks,
then an atomic write):

* the extension decides the format and must agree with ``--format``; an unknown extension
  is an error;
* the output is never one of the run's input files, compared after resolving symbolic links
  and ``..`` (and as the same file on disk: hard links); ``force`` does not change this;
* a symbolic link, a directory, a FIFO, a device or a socket is never written over;
* an existing file is replaced only when it is a previous zonescore output of the same kind
  (a *recogniser* decides, see :func:`same_text_kind` and :func:`same_workbook_kind`), when it
  is empty, or with ``force``.

Only light standard modules are imported at the top (json and zipfile when needed), so the
command line can import it without slowing ``--help``.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Callable

from ..errors import OptionError, Problem, ZonescoreError
from ..messages import tr
from ..registry import (COMMAND_FORMATS, EXTENSIONS, FILE_FORMATS, FORMAT_BY_NAME, FORMAT_OF_EXTENSION, TEXT_FORMATS,
                       commands_writing, out_formats)

__all__ = ["COMMAND_FORMATS", "EXTENSIONS", "TEXT_FORMATS"]  # the registry's, for the modules that read them here


def _in_words(items) -> str:
    """``a, b, c and d``."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


WORKBOOK_COMMANDS = _in_words(commands_writing("xlsx"))  # "run, warnings, commended and template"
WORKBOOK_CREATOR = "zonescore"
PINNED_MODIFIED = "2000-01-01T00:00:00Z"  # scoring.io.workbook.FIXED_TIME as written in docProps/core.xml
HEAD_BYTES = 65_536  # how much of an existing text file is read to recognise it
JSON_START = b'{\n  "assessment": {\n'  # how every zonescore JSON document begins

Recogniser = Callable[[Path], "str | None"]  # None: a previous output of the same kind; else what it is


class OutputError(ZonescoreError):
    """An output cannot be written as asked; nothing was written.

    A value the format cannot hold (a control character in a workbook cell) or an internal
    error (a number that is not finite reached an output).
    """


def encoding_of(fmt: str) -> str:
    """Text encoding of a format's files: CSV with a BOM (Excel then reads UTF-8), others UTF-8."""
    return FORMAT_BY_NAME[fmt].encoding or "utf-8"


# --- which format -------------------------------------------------------------------------------


def _extensions_text(formats) -> str:
    return ", ".join(ext for fmt in formats for ext in FORMAT_BY_NAME[fmt].extensions)


def format_of_extension(path: str | os.PathLike, formats: tuple[str, ...] = FILE_FORMATS) -> str:
    """The format an output file name asks for; an unknown extension is an :class:`OptionError`."""
    suffix = Path(path).suffix.lower()
    known = FORMAT_OF_EXTENSION.get(suffix)
    if known in formats:
        return known
    if known == "xlsx":
        raise OptionError(tr("This command writes text, not an .xlsx workbook"),
                          [Problem(tr("workbooks are written by {commands}", commands=WORKBOOK_COMMANDS), file=str(path),
                                   field="--out", expected=tr("one of: {items}", items=_extensions_text(formats)))])
    if known:
        raise OptionError(tr("This command does not write {format} files: {path}", format=known, path=path),
                          [Problem(tr("format not written by this command"), file=str(path), field="--out",
                                   found=suffix, expected=tr("one of: {items}", items=_extensions_text(formats)))])
    raise OptionError(tr("Unknown output format: {path}", path=path),
                      [Problem(tr("unknown file extension"), file=str(path), field="--out",
                               found=suffix or tr("no extension"),
                               expected=tr("one of: {items}", items=_extensions_text(formats)))])


def output_format(command: str, fmt: str | None, out: str | os.PathLike | None) -> str:
    """The format ``command`` writes: ``--format`` and the ``--out`` extension must agree.

    Without ``--out``: ``fmt`` or the command's first format, ``table`` (a workbook cannot go to
    the terminal).
    """
    formats = COMMAND_FORMATS[command]
    if out is None:
        if fmt == "xlsx":
            raise OptionError(tr("A workbook cannot be printed to the terminal"),
                              [Problem(tr("--format xlsx without --out"), field="--out", expected="--out FILE.xlsx")])
        return fmt or formats[0]
    by_name = format_of_extension(out, out_formats(command))
    if fmt is not None and fmt != by_name:
        raise OptionError(tr("--format {format} does not match the file name {path}", format=fmt, path=out),
                          [Problem(tr("the extension asks for another format"), file=str(out), field="--format/--out",
                                   found=tr("--format {format}, extension {suffix} ({named})", format=fmt,
                                            suffix=Path(out).suffix, named=by_name),
                                   expected=tr("--format {named}, or a {extensions} file", named=by_name,
                                               extensions=_extensions_text([fmt])))])
    return by_name


# --- where: never an input, never a special file --------------------------------------------------


def _same_file(a: str, b: str) -> bool:
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return os.path.samefile(a, b)  # hard links, case-insensitive file systems
    except OSError:
        return False


def check_not_input(path: str | os.PathLike, inputs) -> None:
    """Refuse an output that is one of ``inputs`` (pairs of option and path, e.g. ``("--data", "zones.csv")``)."""
    for option, source in inputs:
        if source is not None and _same_file(os.fspath(path), os.fspath(source)):
            raise OptionError(tr("Refusing to write {path}: it is an input of this command", path=path),
                              [Problem(tr("the output would replace an input file (--force does not change this)"),
                                       file=str(path), field="--out",
                                       found=tr("the same file as {option} {source}", option=option, source=source),
                                       expected=tr("another file name"))])


def special_file(path: str | os.PathLike) -> str | None:
    """What ``path`` is when it must never be written over (symbolic link, directory, FIFO, device)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return tr("a file that cannot be examined ({reason})", reason=exc.strerror or exc)
    if stat.S_ISLNK(mode):
        return tr("a symbolic link")
    if stat.S_ISDIR(mode):
        return tr("a directory")
    if stat.S_ISFIFO(mode):
        return tr("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return tr("a device")
    if stat.S_ISSOCK(mode):
        return tr("a socket")
    return None if stat.S_ISREG(mode) else tr("not a regular file")


def check_regular(path: str | os.PathLike) -> None:
    """Refuse to write over a symbolic link, a directory, a FIFO or a device (even with --force)."""
    what = special_file(path)
    if what is not None:
        raise OptionError(tr("Refusing to write {path}: it is {what}", path=path, what=what),
                          [Problem(tr("only a regular file or a new name can be written (--force does not change this)"),
                                   file=str(path), field="--out", found=what,
                                   expected=tr("a regular file or a new name"))])


def check_target(path: str | os.PathLike, inputs) -> None:
    """The checks that need no content: not an input, not a special file (made before any work)."""
    check_not_input(path, inputs)
    check_regular(path)


# --- what: a previous output of the same kind -------------------------------------------------------


def _head(path: Path, size: int = HEAD_BYTES) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _table_header(lines: list[bytes]) -> list[str]:
    """Line 3 of a table or Markdown report (its column headers), as words: padding and pipes ignored."""
    return lines[2].decode("utf-8", "replace").replace("|", " ").split() if len(lines) > 2 else []


def json_signature(text: str | bytes) -> tuple | None:
    """What kind of zonescore JSON document this is: its top-level keys, assessment id, outcome id."""
    import json

    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or not isinstance(document.get("assessment"), dict):
        return None
    outcome = document.get("outcome")
    return tuple(document), document["assessment"].get("id"), outcome.get("id") if isinstance(outcome, dict) else None


def same_text_kind(fmt: str, new: bytes) -> Recogniser:
    """Recognise a previous text output of the same kind as ``new`` (bytes about to be written).

    CSV: the same first line (the header row, BOM included); table and Markdown: the same first
    line (the title) and the same column headers (line 3); JSON: the same top-level keys,
    assessment id and (lists) outcome id.
    """
    def recognise(path: Path) -> str | None:
        if fmt == "json":
            if not _head(path, len(JSON_START)).startswith(JSON_START):  # cheap: no parse of a foreign file
                return tr("a file that is not a zonescore JSON document")
            signature = json_signature(path.read_bytes())
            if signature is None:
                return tr("a file that is not a zonescore JSON document")
            return None if signature == json_signature(new) else tr("a zonescore JSON document of another kind")
        first = new.split(b"\n", 1)[0]
        old_lines = _head(path, max(HEAD_BYTES, len(first) + 1)).split(b"\n")
        if old_lines[0] != first:
            return tr("a file whose first line differs from this output's")
        if fmt in ("table", "markdown") and _table_header(old_lines) != _table_header(new.split(b"\n", 3)):
            return tr("a file whose column headers differ from this output's")
        return None

    return recognise


def workbook_properties(path: Path) -> dict[str, str]:
    """Creator, identifier and modified time from an .xlsx file's ``docProps/core.xml`` (empty if none)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            core = book.read("docProps/core.xml").decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - any failure to read it means it is not recognised
        return {}
    found = {}
    for key, tag in (("creator", "dc:creator"), ("identifier", "dc:identifier"), ("modified", "dcterms:modified")):
        match = re.search(rf"<{tag}(?:\s[^>]*)?>([^<]*)</{tag}>", core)
        if match:
            found[key] = match.group(1)
    return found


def same_workbook_kind(kind: str) -> Recogniser:
    """Recognise a workbook zonescore wrote as ``kind`` and nobody has saved since.

    zonescore sets the creator ``zonescore``, the identifier ``zonescore:<kind>`` and pins the
    modified time to 2000-01-01; Excel, WPS or openpyxl set it to the time of any later save.
    """
    def recognise(path: Path) -> str | None:
        found = workbook_properties(path)
        if found.get("creator") != WORKBOOK_CREATOR:
            return tr("a file that is not a zonescore workbook")
        if found.get("identifier") != f"zonescore:{kind}":
            return tr("a zonescore workbook of another kind ({kind})", kind=found.get("identifier", "unknown"))
        if found.get("modified") != PINNED_MODIFIED:
            return tr("a zonescore workbook saved since by another program (edited?)")
        return None

    return recognise


def check_replace(path: str | os.PathLike, recognise: Recogniser, force: bool) -> None:
    """Refuse to replace an existing, non-empty file that ``recognise`` does not accept, unless ``force``."""
    target = Path(path)
    if force or not target.exists() or target.stat().st_size == 0:
        return
    try:
        what = recognise(target)
    except OSError as exc:
        what = tr("a file that cannot be read ({reason})", reason=exc.strerror or exc)
    if what is not None:
        raise OptionError(tr("Refusing to replace {path}: it is not a previous output of this command", path=path),
                          [Problem(tr("the existing file would be lost"), file=str(path), field="--out", found=what,
                                   expected=tr("a new file name, or --force to replace it"))])


# --- writing ----------------------------------------------------------------------------------------


def save(path: str | os.PathLike, content: bytes, inputs=(), force: bool = False,
         recognise: Recogniser | None = None) -> None:
    """Every check above, then write ``content`` atomically (a failure leaves ``path`` as it was)."""
    from .fileio import write_atomic

    check_target(path, inputs)
    check_replace(path, recognise or (lambda _: "an existing file"), force)
    write_atomic(path, content)


def save_text(path: str | os.PathLike, text: str, fmt: str, inputs=(), force: bool = False) -> None:
    """Save a rendered text output (table, csv, json, markdown) in its format's encoding."""
    content = text.encode(encoding_of(fmt))
    save(path, content, inputs, force, same_text_kind(fmt, content))


def result_inputs(result) -> list[tuple[str, str]]:
    """The input files of a run (rule file, every data file) as (option, path) pairs."""
    sources = [("--rules", result.assessment.path)]
    return sources + [("--data", path) for path, _ in result.data.sources]
