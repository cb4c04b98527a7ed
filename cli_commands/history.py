"""The yearly cycle: record a run in the history store, reproduce it, amend it (异议), compare runs, history."""
from __future__ import annotations

import click

from scoring.messages import tr

from .common import (data_option, format_option, emit, engine_option, force_option, out_option, output_target,
                     rules_option, sheet_option, wrote)
from .i18n import command, option


def db_option(func):
    return option("--db", "db", default=None, type=click.Path(dir_okay=False),
                  help="History store (SQLite) [default: ZONESCORE_DB, else zonescore.db here].")(func)


def year_option(func):
    return option("--year", type=int, default=None,
                  help="Year assessed [default: the rule file's 'year'].")(func)


def history_options(func):
    """--db and --year: earlier final runs from the history store (prev.*, year-over-year columns)."""
    return db_option(year_option(func))


def scored_run(rules_path: str, data_path, sheet: str | None, engine: str, db: str | None, year: int | None):
    """``run_files`` with the earlier final runs of the store (when there is one) joined in."""
    from scoring.history.previous import run_with_history
    from scoring.history.store import store_path

    return run_with_history(rules_path, data_path, sheet, engine, store_path(db), year)


@command(short_help="Run the assessment and record it in the store.")
@option("--stage", required=True, help="Stage of the yearly cycle: 草稿, 公示, 复核 or 终审.")
@year_option
@option("--note", default=None, help="A note kept with the run.")
@option("--from", "source", default=None,
        help="Record the stored files of this run (number or YEAR:STAGE) instead of --rules/--data.")
@rules_option
@data_option
@sheet_option
@engine_option
@db_option
def record(stage: str, year: int | None, note: str | None, source: str | None, rules_path: str,
           data_path: tuple[str, ...], sheet: str | None, engine: str, db: str | None) -> None:
    """Run the assessment and store the rule file, the data files and every unit's results as one run."""
    from scoring.history.store import store_path

    store = store_path(db)
    if source is not None:
        from scoring.history.amend import promote_run

        recorded = promote_run(store, source, stage, note)
    else:
        from scoring.history.record import read_files, record_run

        recorded = record_run(store, read_files(rules_path, data_path, sheet), stage, year, note, engine=engine)
    announce(recorded, store)


def announce(recorded, store) -> None:
    if recorded.earlier_same_stage:
        click.echo(tr("Note: {year} {stage} was recorded before as run(s) {runs}; both are kept",
                      year=recorded.year, stage=recorded.stage,
                      runs=", ".join(f"#{r}" for r in recorded.earlier_same_stage)), err=True)
    click.echo(tr("Recorded run #{run}: {year} {stage}, {units} units, output sha256:{sha} in {store}",
                  run=recorded.run_id, year=recorded.year, stage=recorded.stage,
                  units=len(recorded.scored.result.data), sha=recorded.scored.output_sha256[:12], store=store))


@command(short_help="Re-run a recorded run; prove identical output.")
@click.argument("run")
@db_option
def reproduce(run: str, db: str | None) -> None:
    """Score a recorded run again from its stored rule file and data; exit 0 only if the output is identical."""
    from scoring.errors import Problem, ScoringError
    from scoring.history.record import reproduce as reproduce_run
    from scoring.history.store import store_path

    done = reproduce_run(store_path(db), run)
    recorded = done.run
    click.echo(tr("Run #{run} ({year} {stage}), recorded with zonescore {version}", run=recorded["id"],
                  year=recorded["year"], stage=recorded["stage"], version=recorded["tool_version"]))
    click.echo(tr("  JSON output sha256 recorded {old}, now {new}", old=recorded["output_sha256"],
                  new=done.scored.output_sha256))
    click.echo(tr("  CSV output sha256 recorded {old}, now {new}", old=recorded["csv_sha256"],
                  new=done.scored.csv_sha256))
    if not done.identical:
        from scoring import __version__

        problems = [Problem(tr("the output hashes differ"), found=done.scored.output_sha256,
                            expected=recorded["output_sha256"])]
        if recorded["tool_version"] != __version__:
            problems.append(Problem(tr("the run was recorded by another zonescore version"), found=__version__,
                                    expected=tr("zonescore {version}", version=recorded["tool_version"])))
        raise ScoringError(tr("Run #{run} does not reproduce: the output differs", run=recorded["id"]), problems)
    click.echo(tr("Identical: the stored files give byte-identical output."))


@command(short_help="Apply corrections (异议) and record a 复核 run.")
@option("--from", "source", required=True, help="The run corrected: a run number or YEAR:STAGE (2023:公示).")
@option("--data", "corrections", required=True, type=click.Path(dir_okay=False),
        help="CSV with the unit id column and only the corrected columns.")
@option("--reason", required=True, help="Why the figures were corrected.")
@option("--stage", default="复核", show_default=True, help="Stage of the new run.")
@db_option
def amend(source: str, corrections: str, reason: str, stage: str, db: str | None) -> None:
    """Apply corrected cells to a recorded run's data, score again, record the new run linked to the first."""
    from scoring.history.amend import amend_run
    from scoring.history.store import store_path

    store = store_path(db)
    recorded, changes = amend_run(store, source, corrections, reason, stage)
    click.echo(tr("{count} cell(s) corrected", count=len(changes)), err=True)
    announce(recorded, store)


@command(short_help="What changed between two runs.")
@click.argument("first")
@click.argument("second")
@format_option("diff")
@out_option("Write to this file (.xlsx, .json, .md, .txt) instead of the terminal.")
@force_option
@db_option
def diff(first: str, second: str, fmt: str | None, out: str | None, force: bool, db: str | None) -> None:
    """Units whose rank, total or outcome changed, every changed data cell and why, and the rule-file diff."""
    from scoring.history.diff import compare_runs
    from scoring.history.diff_render import render_diff, write_diff
    from scoring.history.store import store_path

    fmt = output_target("diff", fmt, out, [])
    comparison = compare_runs(store_path(db), first, second)
    if fmt == "xlsx":
        write_diff(comparison, out, force)
        wrote(out)
        return
    emit(render_diff(comparison, fmt), out, fmt, [], force)


@command("history", short_help="Ranks, totals and outcomes across the years.")
@click.argument("unit", required=False)
@option("--runs", "list_runs", is_flag=True, default=False, help="List every recorded run instead.")
@format_option("history")
@db_option
def history_command(unit: str | None, list_runs: bool, fmt: str, db: str | None) -> None:
    """Final ranks, totals and outcomes of every unit by year; with UNIT, every recorded run of that unit."""
    from scoring.history.store import store_path
    from scoring.history.trend import render_history

    click.echo(render_history(store_path(db), unit, list_runs, fmt), nl=False)


COMMANDS = (record, reproduce, amend, diff, history_command)
