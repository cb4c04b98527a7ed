"""Limits on option values that would otherwise give a silently wrong result.

``--weight NODE=VALUE`` (``whatif``): :func:`scoring.analysis.whatif.resolve_weights` refuses values that
are not positive finite numbers; a finite but huge weight (``1e308``) passes it, then overflows
the totals to infinity and every unit ties at rank 1. :func:`check_weight_values` refuses such
values before any scoring.
"""
from __future__ import annotations

import math
from typing import Mapping

from ..errors import OptionError, Problem
from ..messages import tr

MAX_WEIGHT = 1_000_000.0  # totals stay far from overflow and exact to the 6 decimals of JSON output


def check_weight_values(weights: Mapping[str, object]) -> None:
    """Refuse weights that are not numbers above zero and at most :data:`MAX_WEIGHT`, all in one OptionError."""
    problems: list[Problem] = []
    for key, raw in weights.items():
        weight_value(raw, str(key), problems)
    if problems:
        raise OptionError(tr("Invalid --weight option"), problems)


def weight_value(raw, key: str, problems: list[Problem]) -> float | None:
    """``raw`` as a weight above zero and at most :data:`MAX_WEIGHT`; else None and a Problem appended."""
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        problems.append(Problem(tr("weight must be a positive number"), field=f"--weight {key}", found=repr(raw),
                                expected=tr("a number above zero, e.g. 50")))
        return None
    if value > MAX_WEIGHT:
        problems.append(Problem(tr("weight too large"), field=f"--weight {key}", found=repr(raw),
                                expected=tr("a number above zero and at most {most}", most=f"{MAX_WEIGHT:,.0f}")))
        return None
    return value
