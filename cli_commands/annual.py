"""The annual run: run, explain, validate, the warning and commendation lists, the data template."""
from __future__ import annotations

import click

from scoring.messages import tr

from .common import (LazyProgress, data_option, emit, engine_option, force_option, format_option, inputs_of,
                     out_option, output_target, rules_option, sheet_option, terminal_layout, terminal_options,
                     timestamp_option, wrote)
from .history import history_options, scored_run
from .i18n import command, option

@command(short_help="Score and rank every unit (the annual run).")
@rules_option
@data_option
@format_option("run")
@option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout (.xlsx: the full results workbook).")
@force_option
@option("--explain", "with_reasons", is_flag=True, default=False,
              help="Add a short reason column (weakest/strongest groups, veto, forced outcome).")
@timestamp_option
@sheet_option
@engine_option
@terminal_options
@history_options
def run(rules_path: str, data_path: tuple[str, ...], fmt: str | None, out: str | None, force: bool,
        with_reasons: bool, timestamp: bool, sheet: str | None, engine: str = "auto", wide: bool = False,
        width: int | None = None, db: str | None = None, year: int | None = None) -> None:
    """Score and rank every unit; show the ranked table with outcomes (--out results.xlsx: full workbook)."""
    from scoring.analysis.lines import reasons
    from scoring.report.provenance import stamp
    from scoring.report.render import render_run
    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("run", fmt, out, inputs)
    result = scored_run(rules_path, data_path, sheet, engine, db, year)
    if timestamp:
        stamp(result)
    if fmt == "xlsx":
        from scoring.report.excel import write_results

        write_results(result, out, force=force)
        wrote(out)
        return
    emit(render_run(result, fmt, reasons=reasons(result) if with_reasons else None,
                    layout=terminal_layout(out, wide, width)), out, fmt, inputs, force)


@command(short_help="How one unit's total was made.")
@click.argument("unit")
@rules_option
@data_option
@format_option("explain")
@out_option("Write the unit's report card to this file instead: .html (a page) or .xlsx (a workbook with one sheet).")
@force_option
@timestamp_option
@sheet_option
@engine_option
@history_options
def explain(unit: str, rules_path: str, data_path: tuple[str, ...], fmt: str | None, out: str | None, force: bool,
            timestamp: bool, sheet: str | None, engine: str = "auto", db: str | None = None,
            year: int | None = None) -> None:
    """Explain one unit (id or name): points, adjustments, distance to the lines, values needed
    (--out F.html or F.xlsx: the unit's report card, as ``cards`` writes it)."""
    from scoring.analysis.explain import also_named, explain_unit
    from scoring.report.explain_render import render_explanation
    from scoring.report.provenance import stamp

    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("explain", fmt, out, inputs)
    result = scored_run(rules_path, data_path, sheet, engine, db, year)
    if timestamp:
        stamp(result)
    explanation = explain_unit(result, unit)
    others = also_named(result, explanation.unit, unit)
    if others:
        click.echo(tr("Note: '{given}' is the id of {unit} and also the name of {others}; explaining {unit} "
                      "(give {other} for the other)", given=unit.strip(), unit=explanation.unit,
                      others=", ".join(others), other=others[0]), err=True)
    if out is not None:
        from scoring.publish.cards import write_card

        write_card(result, explanation, out, fmt, inputs, force)
        wrote(out)
        return
    click.echo(render_explanation(explanation, fmt), nl=False)


@command(short_help="Check the rule file and the data.")
@rules_option
@data_option
@sheet_option
@engine_option
def validate(rules_path: str, data_path: tuple[str, ...], sheet: str | None, engine: str = "auto") -> None:
    """Check the rule file and the data file(s); exit 0 when all is well."""
    from scoring.analysis.validate import validate_files
    from scoring.io import notes

    report = validate_files(rules_path, data_path, sheet, engine)
    notes.take()  # the report lists them itself (on stdout, not again on stderr)
    for line in report.lines():
        click.echo(line)


def outcome_list_command(side: str, rules_path: str, data_path: tuple[str, ...], sheet: str | None, fmt: str | None,
                         out: str | None, force: bool, timestamp: bool, engine: str = "auto", layout=None,
                         db: str | None = None, year: int | None = None) -> None:
    """Shared body of ``warnings`` and ``commended``: the outcome chosen from the bottom or the top."""
    from scoring.report.exports import render_list, selector_outcome, write_list
    from scoring.report.provenance import stamp

    fmt = output_target("warnings" if side == "bottom" else "commended", fmt, out, inputs_of(rules_path, data_path))
    result = scored_run(rules_path, data_path, sheet, engine, db, year)
    if timestamp:
        stamp(result)
    outcome_id = selector_outcome(result.assessment, side)
    if out is None:
        click.echo(render_list(result, outcome_id, fmt, layout), nl=False)
        return
    write_list(result, outcome_id, out, fmt, force=force)
    wrote(out)


def list_options(command: str):
    def decorate(func):
        for decorator in (history_options, terminal_options, engine_option, timestamp_option, sheet_option,
                          force_option, format_option(command), rules_option):
            func = decorator(func)
        func = out_option("Write to this file (.xlsx, .csv, .json, .md, .txt) instead of the terminal.")(func)
        return data_option(func)
    return decorate


@command("warnings", short_help="The warning list (预警提示).")
@list_options("warnings")
def warnings_command(rules_path, data_path, fmt, out, force, sheet, timestamp, engine, wide, width, db, year) -> None:
    """The warning list (预警提示): units of the outcome chosen from the bottom, with reason and distance."""
    outcome_list_command("bottom", rules_path, data_path, sheet, fmt, out, force, timestamp, engine,
                         terminal_layout(out, wide, width), db, year)


@command("commended", short_help="The commendation list (表彰).")
@list_options("commended")
def commended_command(rules_path, data_path, fmt, out, force, sheet, timestamp, engine, wide, width, db, year) -> None:
    """The commendation list (表彰): units of the outcome chosen from the top, with reason and distance."""
    outcome_list_command("top", rules_path, data_path, sheet, fmt, out, force, timestamp, engine,
                         terminal_layout(out, wide, width), db, year)


@command(short_help="An empty data workbook for the rules.")
@rules_option
@option("--data", "data_path", default=None, multiple=True, type=click.Path(dir_okay=False),
              help="A previous year's data file (CSV or .xlsx): one template row per unit.")
@sheet_option
@option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the template to this .xlsx (or .csv) file; without it, list the columns.")
@force_option
def template(rules_path: str, data_path: tuple[str, ...], sheet: str | None, out: str | None, force: bool) -> None:
    """An empty data workbook with exactly the columns the rules read (label and unit in header notes)."""
    from scoring.api.assessment import load_assessment
    from scoring.errors import OptionError, Problem
    from scoring.io.template import template_text, write_template

    if len(data_path) > 1:
        raise OptionError(tr("A template takes its units from one previous data file"),
                          [Problem(tr("--data given more than once"), field="--data", found=", ".join(data_path),
                                   expected=tr("one file"))])
    if out is not None:
        output_target("template", None, out, inputs_of(rules_path, data_path))
    assessment = load_assessment(rules_path)
    if out is None:
        click.echo(template_text(assessment), nl=False)
        return
    write_template(assessment, out, data_path[0] if data_path else None, sheet, force=force)
    wrote(out)



COMMANDS = (run, explain, validate, warnings_command, commended_command, template)
