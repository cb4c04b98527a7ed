"""zonescore command line: parse options, call one library function, render, map errors.

All logic lives in the ``scoring`` package; every command here is a thin wrapper, and every
library error (:class:`scoring.errors.ZonescoreError`) becomes a clean message and exit code
in one place (:class:`ZonescoreGroup`).
"""
from __future__ import annotations

import os
import sys

# pydantic scans installed packages for plugins on first use (~10 ms of start-up); we use none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import click  # noqa: E402

from scoring import __version__  # noqa: E402
from scoring.errors import ZonescoreError  # noqa: E402

DEFAULT_RULES = "rules/qingpu-2023.yaml"
DEFAULT_DATA = "zones.csv"
FORMATS = ("table", "csv", "json", "markdown")


class ZonescoreGroup(click.Group):
    """Turns library errors into ``Error: ...`` on stderr and a non-zero exit, without a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ZonescoreError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)


def rules_option(func):
    return click.option("--rules", "rules_path", default=DEFAULT_RULES, show_default=True,
                        type=click.Path(dir_okay=False), help="Rule file (YAML).")(func)


def data_option(func):
    return click.option("--data", "data_path", default=DEFAULT_DATA, show_default=True,
                        type=click.Path(dir_okay=False), help="Unit data (CSV).")(func)


def format_option(func):
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                        help="Output format [default: table, or from the --out extension].")(func)


def emit(text: str, out: str | None, fmt: str) -> None:
    """Print ``text`` or save it atomically; CSV files get a BOM so that Excel reads them as UTF-8."""
    if out is None:
        click.echo(text, nl=False)
        return
    from scoring.fileio import write_atomic

    write_atomic(out, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    click.echo(f"Wrote {out}", err=True)


def format_for(fmt: str | None, out: str | None) -> str:
    """Explicit --format wins; otherwise guess from the --out extension; default table."""
    if fmt:
        return fmt
    suffix = (out or "").rsplit(".", 1)[-1].lower() if out and "." in out else ""
    return {"csv": "csv", "json": "json", "md": "markdown", "markdown": "markdown"}.get(suffix, "table")


@click.group(cls=ZonescoreGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zonescore")
def main() -> None:
    """Score, rank and classify assessment units from a YAML rule file."""


@main.command()
@rules_option
@data_option
@format_option
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
def run(rules_path: str, data_path: str, fmt: str | None, out: str | None) -> None:
    """Score and rank every unit; show the ranked table with outcomes."""
    from scoring.render import render_run
    from scoring.run import run_files

    fmt = format_for(fmt, out)
    result = run_files(rules_path, data_path)
    emit(render_run(result, fmt), out, fmt)


@main.command()
@rules_option
@data_option
def validate(rules_path: str, data_path: str) -> None:
    """Check the rule file and the data file; exit 0 when both are fine."""
    from scoring.validate import validate_files

    report = validate_files(rules_path, data_path)
    for line in report.lines():
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
