"""Facts declared once: scoring methods, adjustment actions and output formats.

* :mod:`.methods` — every scoring method: name, pydantic model, scoring function, labels
  (Chinese, English) and monotonicity (:data:`METHODS`, :data:`METHOD_NAMES`).
* :mod:`.actions` — every adjustment action: required and optional keys, effect (points,
  factor, outcome, status), sign and labels (:data:`ACTIONS`, :data:`POINT_ACTIONS` ...).
* :mod:`.policies` — every ``aggregate`` and ``missing`` policy: name and labels
  (:data:`AGGREGATES`, :data:`MISSING_POLICIES`).
* :mod:`.describe` — a method's settings, a missing policy, a score rate and a data value in
  words, in either language (:func:`describe_method`, :func:`describe_missing`, :func:`percent`).
* :mod:`.formats` — every output format: extensions, text or binary, the commands that write
  it (:data:`FORMATS`, :data:`COMMAND_FORMATS`, :data:`FORMAT_OF_EXTENSION`).

The models, the loader, the engine, the outputs, the words table and the command line read
these; ``tests/test_registry.py`` ties them and docs/rules.md to it. Light: standard library
only, so the command line can import it at start-up.
"""
from __future__ import annotations

from .actions import (ACTION_BY_NAME, ACTION_KEYS, ACTION_NAMES, ACTION_ONLY_KEYS, ACTIONS, AMOUNT_KEY,
                      AMOUNT_KEYS, FACTOR_ACTIONS, OUTCOME_ACTIONS, POINT_ACTIONS, POINT_SIGN, STATUS_ACTIONS,
                      Action, action)
from .formats import (COMMAND_FORMATS, EXTENSIONS, FILE_FORMATS, FORMAT_BY_NAME, FORMAT_OF_EXTENSION, FORMATS,
                      OUT_FORMATS, PRINTED_ONLY, TEXT_FORMATS, OutputFormat, commands_writing, format_info,
                      out_formats)
from .policies import (AGGREGATE_NAMES, AGGREGATES, MISSING_NAMES, MISSING_POLICIES, Aggregate, MissingPolicy,
                       aggregate, missing_policy)
from .methods import (CONDITIONAL, DIRECTED, METHOD_BY_NAME, METHOD_NAMES, METHODS, MONOTONE_METHODS, UNKNOWN,
                      ScoringMethod, method)

__all__ = [
    "ACTIONS", "ACTION_BY_NAME", "ACTION_KEYS", "ACTION_NAMES", "ACTION_ONLY_KEYS", "AMOUNT_KEY", "AMOUNT_KEYS",
    "FACTOR_ACTIONS", "OUTCOME_ACTIONS", "POINT_ACTIONS", "POINT_SIGN", "STATUS_ACTIONS", "Action", "action",
    "COMMAND_FORMATS", "EXTENSIONS", "FILE_FORMATS", "FORMATS", "FORMAT_BY_NAME", "FORMAT_OF_EXTENSION",
    "OUT_FORMATS", "PRINTED_ONLY", "TEXT_FORMATS", "OutputFormat", "commands_writing", "format_info", "out_formats",
    "CONDITIONAL", "DIRECTED", "METHODS", "METHOD_BY_NAME", "METHOD_NAMES", "MONOTONE_METHODS", "UNKNOWN",
    "ScoringMethod", "method",
    "AGGREGATES", "AGGREGATE_NAMES", "MISSING_POLICIES", "MISSING_NAMES", "Aggregate", "MissingPolicy", "aggregate",
    "missing_policy",
]
