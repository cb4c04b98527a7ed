"""Options and helpers shared by the commands: defaults, --rules/--data/--format/--out, writing."""
from __future__ import annotations

import sys

import click

from scoring.messages import tr
from scoring.registry import COMMAND_FORMATS, OUT_FORMATS, PRINTED_ONLY  # formats declared once; a light module

from .i18n import option

DEFAULT_RULES = "rules/qingpu-2023.yaml"
DEFAULT_DATA = "zones.csv"


def rules_option(func):
    return option("--rules", "rules_path", default=DEFAULT_RULES, show_default=True,
                  type=click.Path(dir_okay=False), help="Rule file (YAML).")(func)


def data_option(func):
    return option("--data", "data_path", default=(DEFAULT_DATA,), multiple=True, show_default=True,
                  type=click.Path(dir_okay=False),
                  help="Unit data, CSV or .xlsx. Give it once per department's file to join the files "
                       "on the unit id.")(func)


def sheet_option(func):
    return option("--sheet", default=None, metavar="NAME",
                  help="Worksheet to read from .xlsx data files [default: the first sheet].")(func)


def out_option(help_text: str = "Write to this file instead of stdout."):
    return option("--out", type=click.Path(dir_okay=False), default=None, help=help_text)


def format_option(command: str):
    """``--format`` with the formats scoring.registry gives ``command``; the first is the default."""
    formats = COMMAND_FORMATS[command]
    if command in PRINTED_ONLY:
        return option("--format", "fmt", type=click.Choice(formats), default=formats[0], show_default=True,
                      help="Output format.")
    if command in OUT_FORMATS:
        return option("--format", "fmt", type=click.Choice(formats), default=None,
                      help="Output format when printed [default: text]; --out writes the format of its extension.")
    if "xlsx" in formats:
        return option("--format", "fmt", type=click.Choice(formats), default=None,
                      help="Output format [default: table, or from the --out extension; xlsx needs --out].")
    return option("--format", "fmt", type=click.Choice(formats), default=None,
                  help="Output format [default: table, or from the --out extension].")


def engine_option(func):
    return option("--engine", type=click.Choice(("auto", "durable-rules", "numpy")), default="auto",
                  show_default=True,
                  help="What evaluates the adjustment conditions: the durable-rules engine (every firing "
                       "checked against numpy), numpy alone, or auto (durable-rules up to 20,000 units).")(func)


def timestamp_option(func):
    return option("--timestamp", is_flag=True, default=False,
                  help="Add the wall-clock time to the provenance (output then differs run to run).")(func)


def force_option(func):
    return option("--force", is_flag=True, default=False,
                  help="Replace an existing --out file that is not a previous output of this command "
                       "(never an input file, a link, a pipe, a device or a directory).")(func)


def terminal_options(func):
    """``--wide`` and ``--width``: how a table meets the terminal (see :func:`terminal_layout`)."""
    func = option("--width", "width", type=click.IntRange(min=20), default=None, metavar="COLUMNS",
                  help="Fit the table to this many columns, also when the output is piped [default: the "
                       "terminal's width on a terminal, the full table when piped].")(func)
    return option("--wide", is_flag=True, default=False,
                  help="Show every column, however wide the table (no columns left out or shortened).")(func)


def terminal_layout(out: str | None, wide: bool = False, width: int | None = None):
    """How a table is printed (scoring.report.fitting.Layout).

    Width: ``--wide`` shows every column; ``--width N`` fits N columns; else a terminal's width
    less one (a line that fills the last column makes some Windows consoles add a blank line);
    piped output and --out files keep the full table, so that files and scripts see stable text.
    Colour: only on a terminal, never with NO_COLOR set (https://no-color.org) and never in files.
    """
    import os
    import shutil

    from scoring.report.fitting import FULL, Layout

    if out is not None:
        return FULL
    terminal = sys.stdout.isatty()
    if wide:
        width = None
    elif width is None and terminal:
        width = max(shutil.get_terminal_size().columns - 1, 20)
    return Layout(width, terminal and not os.environ.get("NO_COLOR"))


def inputs_of(rules_path: str, data_path: tuple[str, ...] = (), against: str | None = None) -> list[tuple[str, str]]:
    """The files a command reads, as (option, path): an output may never be one of them."""
    return [("--rules", rules_path), *(("--data", path) for path in data_path), ("--against", against)]


def output_target(command: str, fmt: str | None, out: str | None, inputs) -> str:
    """The format to write, and with --out the checks that need no work: not an input, not a link,
    pipe, device or directory, an extension that agrees with --format (scoring.io.outputs)."""
    from scoring.io.outputs import check_target, output_format

    if out is not None:
        check_target(out, inputs)
    return output_format(command, fmt, out)


def emit(text: str, out: str | None, fmt: str, inputs=(), force: bool = False) -> None:
    """Print ``text``, or save it (scoring.io.outputs.save_text: every output check, atomic write).

    CSV renderers already neutralise text cells a spreadsheet would run as formulas
    (:func:`scoring.io.fileio.neutralise`); CSV files get a BOM so that Excel reads them as UTF-8.
    """
    if out is None:
        click.echo(text, nl=False)
        return
    from scoring.io.outputs import save_text

    save_text(out, text, fmt, inputs, force)
    wrote(out)


def wrote(out: str) -> None:
    click.echo(tr("Wrote {path}", path=out), err=True)


class LazyProgress:
    """A click progress bar on stderr that appears only on a terminal, once the run passes ``delay`` s."""

    def __init__(self, length: int, label: str, delay: float = 1.0):
        import time

        self.length, self.label, self.delay = length, label, delay
        self.started, self.done, self.bar = time.monotonic(), 0, None
        self.enabled = sys.stderr.isatty()  # never in piped output or under CliRunner

    def __call__(self, step: int) -> None:
        import time

        self.done += step
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.delay:
                return
            self.bar = click.progressbar(length=self.length, label=self.label, file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(self.done)
            return
        self.bar.update(step)

    def __enter__(self) -> "LazyProgress":
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
