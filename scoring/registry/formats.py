"""The output formats, declared once: extensions, text or binary, and which commands write them.

:data:`FORMATS` holds every format with its file extensions and encoding; :data:`COMMAND_FORMATS`
which formats each command writes (its ``--format`` choices, the first being the default).
:mod:`scoring.io.outputs` (the checks before writing), the command line's ``--format`` options and
:mod:`scoring.report.explain_render` read them, and :data:`FORMAT_OF_EXTENSION` is the one map from a
file extension to a format. This module imports nothing heavy: the command line reads it at
start-up.
"""
from __future__ import annotations

from typing import NamedTuple

from ..messages import tr


class OutputFormat(NamedTuple):
    name: str  # the value of --format
    extensions: tuple[str, ...]  # lower case, the first one suggested; () = never written to a file
    encoding: str | None  # of its text; None = binary

    @property
    def binary(self) -> bool:
        return self.encoding is None

    @property
    def commands(self) -> tuple[str, ...]:
        """The commands that write this format (in :data:`COMMAND_FORMATS` order), printed or to --out."""
        return tuple(command for command, formats in COMMAND_FORMATS.items()
                     if self.name in formats or self.name in OUT_FORMATS.get(command, ()))


FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("table", (".txt",), "utf-8"),  # aligned text, as on the terminal
    OutputFormat("csv", (".csv",), "utf-8-sig"),  # a BOM, so that Excel reads UTF-8
    OutputFormat("json", (".json",), "utf-8"),
    OutputFormat("markdown", (".md", ".markdown"), "utf-8"),
    OutputFormat("xlsx", (".xlsx",), None),  # a workbook
    OutputFormat("text", (), "utf-8"),  # explain's text (headings and tables), printed only
    OutputFormat("html", (".html", ".htm"), "utf-8"),  # a self-contained page (report, cards)
    OutputFormat("docx", (".docx",), None),  # a Word document (the 通报 draft)
)
FORMAT_BY_NAME: dict[str, OutputFormat] = {f.name: f for f in FORMATS}

TEXT_FORMATS: tuple[str, ...] = ("table", "csv", "json", "markdown")
"""The text formats of every report (run, lists, what-if, robustness)."""

COMMAND_FORMATS: dict[str, tuple[str, ...]] = {
    "run": TEXT_FORMATS + ("xlsx",),
    "warnings": TEXT_FORMATS + ("xlsx",),
    "commended": TEXT_FORMATS + ("xlsx",),
    "whatif": TEXT_FORMATS,
    "robustness": TEXT_FORMATS,
    "weights": TEXT_FORMATS,
    "sensitivity": TEXT_FORMATS,
    "template": ("xlsx", "csv"),  # no --format: the --out extension decides
    "explain": ("text", "json", "markdown"),  # printed; --out writes OUT_FORMATS["explain"]
    "report": ("html", "docx"),  # the HTML report, or the 通报 draft in Word
    "cards": ("html", "xlsx"),  # one page per unit in a folder, or one workbook with a sheet per unit
    "diff": ("table", "json", "markdown", "xlsx"),  # zonescore diff (scoring.history)
    "history": TEXT_FORMATS,  # zonescore history, printed only
}
"""command -> the formats it writes: its --format choices, in this order; the first is the default."""

OUT_FORMATS: dict[str, tuple[str, ...]] = {
    "explain": ("html", "xlsx"),  # the unit's report card: a page, or a one-sheet workbook
}
"""command -> the formats its --out writes (by the file's extension), where they are not its --format
choices: explain prints text, json or markdown, and writes the report card to a file."""

PRINTED_ONLY: tuple[str, ...] = ("history",)
"""Commands that print and never write a file (no --out)."""

EXTENSIONS: dict[str, tuple[str, ...]] = {f.name: f.extensions for f in FORMATS if f.extensions}
"""format -> its file extensions (formats written to files only)."""

FORMAT_OF_EXTENSION: dict[str, str] = {ext: f.name for f in FORMATS for ext in f.extensions}
"""file extension (lower case, with the dot) -> format: the one such map."""

FILE_FORMATS: tuple[str, ...] = tuple(EXTENSIONS)
"""Every format a file can be written in: table, csv, json, markdown, xlsx."""


def format_info(name: str) -> OutputFormat:
    """The registry row of format ``name`` (KeyError for an unknown name)."""
    return FORMAT_BY_NAME[name]


def out_formats(command: str) -> tuple[str, ...]:
    """The formats ``command`` writes to a file with ``--out`` (none for a command that only prints)."""
    if command in PRINTED_ONLY:
        return ()
    return OUT_FORMATS.get(command, COMMAND_FORMATS[command])


def commands_writing(fmt: str) -> tuple[str, ...]:
    """The commands that write ``fmt`` to a file (``--out``)."""
    return tuple(c for c in FORMAT_BY_NAME[fmt].commands if fmt in out_formats(c))


if len(FORMAT_BY_NAME) != len(FORMATS) or len(FORMAT_OF_EXTENSION) != sum(len(f.extensions) for f in FORMATS):
    raise ImportError(tr("scoring.registry: a format or a file extension is declared twice"))
if any(fmt not in FORMAT_BY_NAME for formats in (*COMMAND_FORMATS.values(), *OUT_FORMATS.values()) for fmt in formats):
    raise ImportError(tr("scoring.registry: a command writes a format that is not declared"))
if any(not FORMAT_BY_NAME[fmt].extensions for c in COMMAND_FORMATS for fmt in out_formats(c)):
    raise ImportError(tr("scoring.registry: a command writes files in a format without extensions"))
