"""Weights from the data (entropy, CRITIC, equal) and Sobol sensitivity of the outcomes to the weights."""
from __future__ import annotations

import click

from .common import (data_option, emit, engine_option, force_option, format_option, inputs_of, out_option,
                     output_target, rules_option, sheet_option)
from .i18n import command, option


@command(short_help="Data-driven weights beside the rule file's.")
@rules_option
@data_option
@option("--method", type=click.Choice(("entropy", "critic", "equal")), default="entropy", show_default=True,
        help="Entropy weights (熵权法), CRITIC, or equal weights.")
@format_option("weights")
@out_option()
@force_option
@sheet_option
@engine_option
def weights(rules_path: str, data_path: tuple[str, ...], method: str, fmt: str | None, out: str | None,
            force: bool, sheet: str | None, engine: str = "auto") -> None:
    """Objective weights of the indicators from the data (entropy, CRITIC or equal), beside the rule
    file's weights, and how the ranking and outcomes would change under them."""
    from scoring.analysis.objective_weights import objective_weights
    from scoring.engine.run import run_files
    from scoring.report.weights_render import render_weights

    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("weights", fmt, out, inputs)
    result = objective_weights(run_files(rules_path, data_path, sheet, engine), method)
    emit(render_weights(result, fmt), out, fmt, inputs, force)


@command(short_help="Which weights decide ranks and outcomes?")
@rules_option
@data_option
@option("--samples", type=int, default=1024, show_default=True,
        help="Base samples of the Sobol sequence, a power of two; N x (weights + 2) weight sets are scored.")
@option("--spread", type=float, default=0.2, show_default=True,
        help="Each weight varies uniformly in [w (1 - S), w (1 + S)]; 0 <= S < 1.")
@option("--seed", type=int, default=20231231, show_default=True,
        help="Random seed from 0 to 4294967295; the same seed gives identical output.")
@format_option("sensitivity")
@out_option()
@force_option
@sheet_option
@engine_option
def sensitivity(rules_path: str, data_path: tuple[str, ...], samples: int, spread: float, seed: int,
                fmt: str | None, out: str | None, force: bool, sheet: str | None, engine: str = "auto") -> None:
    """First-order and total Sobol indices of every weight for each unit's rank and outcome, and the
    share of units whose outcome each weight decides."""
    from scoring.analysis.sensitivity import check_options, sensitivity as sensitivity_of
    from scoring.engine.run import run_files
    from scoring.report.weights_render import render_sensitivity

    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("sensitivity", fmt, out, inputs)
    check_options(samples, spread, seed)
    result = sensitivity_of(run_files(rules_path, data_path, sheet, engine), samples, spread, seed)
    emit(render_sensitivity(result, fmt), out, fmt, inputs, force)


COMMANDS = (weights, sensitivity)
