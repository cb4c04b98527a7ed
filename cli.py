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
from scoring.registry import COMMAND_FORMATS, PRINTED_ONLY  # noqa: E402  (formats declared once; a light module)

DEFAULT_RULES = "rules/qingpu-2023.yaml"
DEFAULT_DATA = "zones.csv"


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
    return click.option("--data", "data_path", default=(DEFAULT_DATA,), multiple=True, show_default=True,
                        type=click.Path(dir_okay=False),
                        help="Unit data, CSV or .xlsx. Give it once per department's file to join the files "
                             "on the unit id.")(func)


def sheet_option(func):
    return click.option("--sheet", default=None, metavar="NAME",
                        help="Worksheet to read from .xlsx data files [default: the first sheet].")(func)


def format_option(command: str):
    """``--format`` with the formats scoring.registry gives ``command``; the first is the default."""
    formats = COMMAND_FORMATS[command]
    if command in PRINTED_ONLY:
        return click.option("--format", "fmt", type=click.Choice(formats), default=formats[0], show_default=True,
                            help="Output format.")
    workbook = "; xlsx needs --out" if "xlsx" in formats else ""
    return click.option("--format", "fmt", type=click.Choice(formats), default=None,
                        help=f"Output format [default: {formats[0]}, or from the --out extension{workbook}].")


def engine_option(func):
    return click.option("--engine", type=click.Choice(("auto", "durable-rules", "numpy")), default="auto",
                        show_default=True,
                        help="What evaluates the adjustment conditions: the durable-rules engine (every firing "
                             "checked against numpy), numpy alone, or auto (durable-rules up to 20,000 units)."
                        )(func)


def timestamp_option(func):
    return click.option("--timestamp", is_flag=True, default=False,
                        help="Add the wall-clock time to the provenance (output then differs run to run).")(func)


def force_option(func):
    return click.option("--force", is_flag=True, default=False,
                        help="Replace an existing --out file that is not a previous output of this command "
                             "(never an input file, a link, a pipe, a device or a directory).")(func)


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
    click.echo(f"Wrote {out}", err=True)


@click.group(cls=ZonescoreGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zonescore")
def main() -> None:
    """Score, rank and classify assessment units from a YAML rule file."""


@main.command()
@rules_option
@data_option
@format_option("run")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout (.xlsx: the full results workbook).")
@force_option
@click.option("--explain", "with_reasons", is_flag=True, default=False,
              help="Add a short reason column (weakest/strongest groups, veto, forced outcome).")
@timestamp_option
@sheet_option
@engine_option
def run(rules_path: str, data_path: tuple[str, ...], fmt: str | None, out: str | None, force: bool,
        with_reasons: bool, timestamp: bool, sheet: str | None, engine: str = "auto") -> None:
    """Score and rank every unit; show the ranked table with outcomes (--out results.xlsx: full workbook)."""
    from scoring.analysis.lines import reasons
    from scoring.report.provenance import stamp
    from scoring.report.render import render_run
    from scoring.engine.run import run_files

    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("run", fmt, out, inputs)
    result = run_files(rules_path, data_path, sheet, engine)
    if timestamp:
        stamp(result)
    if fmt == "xlsx":
        from scoring.report.excel import write_results

        write_results(result, out, force=force)
        wrote(out)
        return
    emit(render_run(result, fmt, reasons=reasons(result) if with_reasons else None), out, fmt, inputs, force)


@main.command()
@click.argument("unit")
@rules_option
@data_option
@format_option("explain")
@timestamp_option
@sheet_option
@engine_option
def explain(unit: str, rules_path: str, data_path: tuple[str, ...], fmt: str, timestamp: bool,
            sheet: str | None, engine: str = "auto") -> None:
    """Explain one unit (id or name): points, adjustments, distance to the lines, values needed."""
    from scoring.analysis.explain import also_named, explain_unit
    from scoring.report.explain_render import render_explanation
    from scoring.report.provenance import stamp
    from scoring.engine.run import run_files

    result = run_files(rules_path, data_path, sheet, engine)
    if timestamp:
        stamp(result)
    explanation = explain_unit(result, unit)
    others = also_named(result, explanation.unit, unit)
    if others:
        click.echo(f"Note: '{unit.strip()}' is the id of {explanation.unit} and also the name of "
                   f"{', '.join(others)}; explaining {explanation.unit} (give {others[0]} for the other)", err=True)
    click.echo(render_explanation(explanation, fmt), nl=False)


@main.command()
@rules_option
@data_option
@sheet_option
@engine_option
def validate(rules_path: str, data_path: tuple[str, ...], sheet: str | None, engine: str = "auto") -> None:
    """Check the rule file and the data file(s); exit 0 when all is well."""
    from scoring.analysis.validate import validate_files

    report = validate_files(rules_path, data_path, sheet, engine)
    for line in report.lines():
        click.echo(line)


@main.command()
@rules_option
@data_option
@click.option("--weight", "weights", multiple=True, metavar="NODE=VALUE",
              help="New weight of a group or indicator (id or label), e.g. growth=50 or 增速=50; repeatable.")
@click.option("--against", type=click.Path(dir_okay=False), default=None,
              help="Compare with another rule file on the same data (instead of --weight).")
@format_option("whatif")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
@force_option
@sheet_option
@engine_option
def whatif(rules_path: str, data_path: tuple[str, ...], weights: tuple[str, ...], against: str | None,
           fmt: str | None, out: str | None, force: bool, sheet: str | None, engine: str = "auto") -> None:
    """Compare ranks and outcomes under changed weights (or another rule file) with the baseline."""
    from scoring.errors import OptionError, Problem
    from scoring.analysis.options import check_weight_values
    from scoring.engine.run import run_files
    from scoring.analysis.whatif import compare, parse_weight_options, whatif_of
    from scoring.report.whatif_render import render_comparison

    inputs = inputs_of(rules_path, data_path, against)
    fmt = output_target("whatif", fmt, out, inputs)
    if bool(weights) == bool(against):
        raise OptionError("Give either --weight NODE=VALUE (one or more) or --against RULES",
                          [Problem("what to compare with the baseline", field="whatif",
                                   expected="e.g. --weight growth=50, or --against rules/proposal.yaml")])
    parsed = parse_weight_options(weights)
    check_weight_values(parsed)
    baseline = run_files(rules_path, data_path, sheet, engine)
    comparison = compare(baseline, run_files(against, data_path, sheet, engine), against=against) if against \
        else whatif_of(baseline, parsed)
    emit(render_comparison(comparison, fmt), out, fmt, inputs, force)


@main.command()
@rules_option
@data_option
@click.option("--draws", type=int, default=10_000, show_default=True,
              help="Number of random draws of the weights (at least 1; at most what fits in memory).")
@click.option("--spread", type=float, default=0.2, show_default=True,
              help="Each weight (groups and indicators) is multiplied by a factor drawn uniformly from "
                   "[1 - S, 1 + S], independently per weight and draw; 0 <= S < 1.")
@click.option("--seed", type=int, default=20231231, show_default=True,
              help="Random seed from 0 to 4294967295; the same seed gives identical output.")
@click.option("--vary-method", is_flag=True, default=False,
              help="Also pick each indicator's scoring method at random among its method and the "
                   "'alternatives' named in the rule file.")
@format_option("robustness")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
@force_option
@sheet_option
@engine_option
def robustness(rules_path: str, data_path: tuple[str, ...], draws: int, spread: float, seed: int,
               vary_method: bool, fmt: str | None, out: str | None, force: bool, sheet: str | None,
               engine: str = "auto") -> None:
    """How robust are ranks and outcomes to the weights? Per unit: nominal and median rank, 5%-95%
    rank interval, probability of each outcome, verdict robust (nominal outcome in >= 95% of the
    draws) or borderline; mean absolute rank shift."""
    from scoring.analysis.robustness import robustness_of
    from scoring.report.robustness_render import render_robustness
    from scoring.engine.run import run_files

    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("robustness", fmt, out, inputs)
    with LazyProgress(max(draws, 1), "robustness") as progress:
        nominal = run_files(rules_path, data_path, sheet, engine)
        result = robustness_of(nominal, draws, spread, seed, vary_method, progress)
    emit(render_robustness(result, fmt), out, fmt, inputs, force)


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


def outcome_list_command(side: str, rules_path: str, data_path: tuple[str, ...], sheet: str | None, fmt: str | None,
                         out: str | None, force: bool, timestamp: bool, engine: str = "auto") -> None:
    """Shared body of ``warnings`` and ``commended``: the outcome chosen from the bottom or the top."""
    from scoring.report.exports import render_list, selector_outcome, write_list
    from scoring.report.provenance import stamp
    from scoring.engine.run import run_files

    fmt = output_target("warnings" if side == "bottom" else "commended", fmt, out, inputs_of(rules_path, data_path))
    result = run_files(rules_path, data_path, sheet, engine)
    if timestamp:
        stamp(result)
    outcome_id = selector_outcome(result.assessment, side)
    if out is None:
        click.echo(render_list(result, outcome_id, fmt), nl=False)
        return
    write_list(result, outcome_id, out, fmt, force=force)
    wrote(out)


def list_options(command: str):
    def decorate(func):
        for option in (engine_option, timestamp_option, sheet_option, force_option, format_option(command),
                       rules_option):
            func = option(func)
        func = click.option("--out", type=click.Path(dir_okay=False), default=None,
                            help="Write to this file (.xlsx, .csv, .json, .md, .txt) instead of the terminal.")(func)
        return data_option(func)
    return decorate


@main.command("warnings")
@list_options("warnings")
def warnings_command(rules_path, data_path, fmt, out, force, sheet, timestamp, engine) -> None:
    """The warning list (预警提示): units of the outcome chosen from the bottom, with reason and distance."""
    outcome_list_command("bottom", rules_path, data_path, sheet, fmt, out, force, timestamp, engine)


@main.command("commended")
@list_options("commended")
def commended_command(rules_path, data_path, fmt, out, force, sheet, timestamp, engine) -> None:
    """The commendation list (表彰): units of the outcome chosen from the top, with reason and distance."""
    outcome_list_command("top", rules_path, data_path, sheet, fmt, out, force, timestamp, engine)


@main.command()
@rules_option
@click.option("--data", "data_path", default=None, multiple=True, type=click.Path(dir_okay=False),
              help="A previous year's data file (CSV or .xlsx): one template row per unit.")
@sheet_option
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the template to this .xlsx (or .csv) file; without it, list the columns.")
@force_option
def template(rules_path: str, data_path: tuple[str, ...], sheet: str | None, out: str | None, force: bool) -> None:
    """An empty data workbook with exactly the columns the rules read (label and unit in header notes)."""
    from scoring.api.assessment import load_assessment
    from scoring.errors import OptionError, Problem
    from scoring.io.template import template_text, write_template

    if len(data_path) > 1:
        raise OptionError("A template takes its units from one previous data file",
                          [Problem("--data given more than once", field="--data", found=", ".join(data_path),
                                   expected="one file")])
    if out is not None:
        output_target("template", None, out, inputs_of(rules_path, data_path))
    assessment = load_assessment(rules_path)
    if out is None:
        click.echo(template_text(assessment), nl=False)
        return
    write_template(assessment, out, data_path[0] if data_path else None, sheet, force=force)
    wrote(out)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
