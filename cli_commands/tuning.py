"""Weight tuning: what-if comparisons and robustness under random weights."""
from __future__ import annotations

import click

from scoring.messages import tr

from .common import (LazyProgress, data_option, emit, engine_option, force_option, format_option, inputs_of,
                     out_option, output_target, rules_option, sheet_option, terminal_layout, terminal_options)
from .history import history_options, scored_run
from .i18n import command, option

@command(short_help="Ranks and outcomes under changed weights.")
@rules_option
@data_option
@option("--weight", "weights", multiple=True, metavar="NODE=VALUE",
              help="New weight of a group or indicator (id or label), e.g. growth=50 or 增速=50; repeatable.")
@option("--keep-total", is_flag=True, default=False,
        help="Keep the full score: rescale the other weights of each changed weight's level "
             "(its siblings) in proportion, so that their sum stays as it was.")
@option("--against", type=click.Path(dir_okay=False), default=None,
              help="Compare with another rule file on the same data (instead of --weight).")
@format_option("whatif")
@out_option()
@force_option
@sheet_option
@engine_option
@terminal_options
@history_options
def whatif(rules_path: str, data_path: tuple[str, ...], weights: tuple[str, ...], keep_total: bool,
           against: str | None, fmt: str | None, out: str | None, force: bool, sheet: str | None,
           engine: str = "auto", wide: bool = False, width: int | None = None, db: str | None = None,
           year: int | None = None) -> None:
    """Compare ranks and outcomes under changed weights (or another rule file) with the baseline."""
    from scoring.errors import OptionError, Problem
    from scoring.analysis.options import check_weight_values
    from scoring.analysis.whatif import compare, parse_weight_options, whatif_of
    from scoring.report.whatif_render import render_comparison

    inputs = inputs_of(rules_path, data_path, against)
    fmt = output_target("whatif", fmt, out, inputs)
    if bool(weights) == bool(against):
        raise OptionError(tr("Give either --weight NODE=VALUE (one or more) or --against RULES"),
                          [Problem(tr("what to compare with the baseline"), field="whatif",
                                   expected=tr("e.g. --weight growth=50, or --against rules/proposal.yaml"))])
    if keep_total and against:
        raise OptionError(tr("--keep-total applies to --weight only"),
                          [Problem(tr("--keep-total given with --against"), field="--keep-total",
                                   expected=tr("--weight NODE=VALUE with --keep-total, or --against without it"))])
    parsed = parse_weight_options(weights)
    check_weight_values(parsed)
    baseline = scored_run(rules_path, data_path, sheet, engine, db, year)
    comparison = compare(baseline, scored_run(against, data_path, sheet, engine, db, year), against=against) \
        if against else whatif_of(baseline, parsed, keep_total)
    emit(render_comparison(comparison, fmt, terminal_layout(out, wide, width)), out, fmt, inputs, force)
    before, after = comparison.full_score
    if parsed and not keep_total and round(before - after, 9):
        click.echo(tr("Note: the full score changes from {before:g} to {after:g}; --keep-total rescales the "
                      "other weights of the same level to keep it", before=before, after=after), err=True)


@command(short_help="How robust are ranks to the weights?")
@rules_option
@data_option
@option("--draws", type=int, default=10_000, show_default=True,
              help="Number of random draws of the weights (at least 1; at most what fits in memory).")
@option("--spread", type=float, default=0.2, show_default=True,
              help="Each weight (groups and indicators) is multiplied by a factor drawn uniformly from "
                   "[1 - S, 1 + S], independently per weight and draw; 0 <= S < 1.")
@option("--seed", type=int, default=20231231, show_default=True,
              help="Random seed from 0 to 4294967295; the same seed gives identical output.")
@option("--vary-method", is_flag=True, default=False,
              help="Also pick each indicator's scoring method at random among its method and the "
                   "'alternatives' named in the rule file.")
@format_option("robustness")
@out_option()
@force_option
@sheet_option
@engine_option
@terminal_options
@history_options
def robustness(rules_path: str, data_path: tuple[str, ...], draws: int, spread: float, seed: int,
               vary_method: bool, fmt: str | None, out: str | None, force: bool, sheet: str | None,
               engine: str = "auto", wide: bool = False, width: int | None = None, db: str | None = None,
               year: int | None = None) -> None:
    """How robust are ranks and outcomes to the weights? Per unit: nominal and median rank, 5%-95%
    rank interval, probability of each outcome, verdict robust (nominal outcome in >= 95% of the
    draws) or borderline; mean absolute rank shift."""
    from scoring.analysis.robustness import robustness_of
    from scoring.report.robustness_render import render_robustness

    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("robustness", fmt, out, inputs)
    with LazyProgress(max(draws, 1), tr("robustness")) as progress:
        nominal = scored_run(rules_path, data_path, sheet, engine, db, year)
        result = robustness_of(nominal, draws, spread, seed, vary_method, progress)
    emit(render_robustness(result, fmt, terminal_layout(out, wide, width)), out, fmt, inputs, force)



COMMANDS = (whatif, robustness)
