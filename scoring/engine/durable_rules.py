"""Run the adjustment conditions through durable-rules, and prove it agreed with the rules.

How the rule engine's traps are avoided:

* Each unit is asserted as a *fact* (not posted as an event): facts fire every rule whose
  condition holds, events only the first. Each fact carries its own unique ``id`` so that the
  engine never takes two units for the same fact.
* The engine's C extension is driven directly: no background threads, no Python callback per
  firing; the queued actions are read off after each batch (a batch in which some fact matches
  nothing is "not handled", which is expected and harmless here).
* Facts go in batches of 1,000 into one session; each batch is retracted once its firings are
  read, so memory stays flat at any number of units (the engine frees a fact only when it is
  retracted) and a run never has more than one session (the engine's limit is 1,024).
* Facts and rules are written as JSON text by :mod:`.engine_codec`, which only ever gives the
  engine numbers and strings its parser reads exactly; rules go in rulesets small enough for the
  engine's fixed tables, split further if the engine still reports one full.
* Every firing matrix is checked against the numpy evaluation of the same conditions
  (:func:`scoring.engine.conditions.condition_mask`); any disagreement stops the run with an
  :class:`~scoring.errors.InternalError` naming the rule and the units — never a result.
* A lock serialises runs because the engine is not thread safe.

Conditions are translated from the whitelisted expression tree: comparisons, ``and``/``or`` and
``not`` (pushed down by De Morgan's laws). Sides of a comparison that are not plain names or
constants are computed first, vectorised, as extra fact fields. A comparison involving a missing
value is false (with or without ``not``).
"""
from __future__ import annotations

import ast
import itertools
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from durable import engine

from ..errors import InternalError, Problem, ScoringError
from ..messages import tr
from ..api.expr import Env, Expr, evaluate, truthy
from . import engine_codec as codec
from .conditions import NEGATE, condition_mask

BATCH = 1000
MAX_RULES = 32  # rules per ruleset; more go in further rulesets
_LOCK = threading.Lock()
_COUNTER = itertools.count()
_ENGINE = engine.durable_rules_engine

_OPS = {ast.Gt: "$gt", ast.GtE: "$gte", ast.Lt: "$lt", ast.LtE: "$lte", ast.Eq: "$eq", ast.NotEq: "$neq"}
_FLIP = {ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


class _Full(Exception):
    """The engine reported one of its fixed tables full (see engine_codec.CAPACITY_ERRORS)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


@dataclass
class _Fields:
    """Fact fields: ASCII keys standing for names and computed sub-expressions."""

    env: Env
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def _new(self, label: str, values: np.ndarray) -> str:
        self.keys[label] = key = codec.field_name(len(self.keys))
        self.columns[key] = values
        return key

    def add(self, values: np.ndarray) -> str:
        """A new field holding ``values`` (already fact-ready)."""
        return self._new(f"#{len(self.keys)}", values)

    def for_name(self, name: str) -> str:
        if name in self.keys:
            return self.keys[name]
        return self._new(name, _fact_values(self.env.columns[name]))

    def for_node(self, node: ast.AST, source: str, truth: bool = False) -> str:
        dumped = ("truth:" if truth else "") + ast.dump(node)
        if dumped in self.keys:
            return self.keys[dumped]
        values = evaluate(Expr(source, ast.Expression(node), frozenset()), self.env)
        return self._new(dumped, _fact_values(truthy(values) if truth else values))


def _fact_values(values) -> np.ndarray:
    values = np.asarray(values)
    if values.ndim == 0:
        values = np.full(1, values.item())
    if values.dtype.kind in "biuf":
        values = values.astype(float)
        return np.where(np.isfinite(values), values, np.nan)
    values = values.astype(object)  # not astype(str): numpy's fixed-width text drops trailing NULs
    return np.array([None if missing else str(v) for v, missing in zip(values, pd.isna(values))], dtype=object)


def _constant(node: ast.AST):
    """A finite number or a text written in the rule, else None (then computed as a field)."""
    value = None
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        value = node.value
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        value = -node.operand.value
    if isinstance(value, str) or value is None:
        return value
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if np.isfinite(number) else None


def translate(node: ast.AST, fields: _Fields, source: str, negate: bool = False) -> dict:
    """Translate a condition expression into a durable-rules condition (JSON-like dict)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return translate(node.operand, fields, source, not negate)
    if isinstance(node, ast.BoolOp):
        is_and = isinstance(node.op, ast.And) != negate  # De Morgan
        parts = [translate(v, fields, source, negate) for v in node.values]
        return {"$and" if is_and else "$or": parts}
    if isinstance(node, ast.Compare):
        pairs = zip([node.left] + node.comparators[:-1], node.ops, node.comparators)
        parts = [_comparison(left, op, right, fields, source, negate) for left, op, right in pairs]
        if len(parts) == 1:
            return parts[0]
        return {"$or" if negate else "$and": parts}
    # anything else is used for its truth value: computed as 1/0 (missing counts as false)
    key = fields.for_node(node, source, truth=True)
    return {key: 0.0 if negate else 1.0}


def _comparison(left, op, right, fields: _Fields, source: str, negate: bool) -> dict:
    op_type = NEGATE[type(op)] if negate else type(op)
    left_const, right_const = _constant(left), _constant(right)
    if left_const is not None and right_const is None:
        left, right, left_const, right_const = right, left, right_const, left_const
        op_type = _FLIP[op_type]
    if left_const is not None:  # both constant: fold into a computed 1/0 field
        node = ast.Compare(left, [op_type()], [right])
        return {fields.for_node(node, source): 1.0}
    left_key = _side_key(left, fields, source)
    if right_const is None:
        # Two columns: compared here, vectorised, because a field reference ($m) to a value the
        # fact lacks is not reliably false in the engine. Missing on either side stays missing.
        left_key, right_const = _column_pair(left_key, _side_key(right, fields, source), op_type, fields, source)
        op_type = ast.Eq if op_type in (ast.Eq, ast.NotEq) and _is_text(fields.columns[left_key]) else op_type
    _check_kinds(fields.columns[left_key], right_const, op_type, source)
    if op_type is ast.Eq:
        return {left_key: right_const}
    return {_OPS[op_type]: {left_key: right_const}}


def _is_text(values: np.ndarray) -> bool:
    return values.dtype.kind not in "biuf"


def _column_pair(left_key: str, right_key: str, op_type, fields: _Fields, source: str):
    """A field and constant equivalent to comparing two fields: sign(left - right) vs 0, or equal 1/0.

    The sign, not the difference: ``1e308 - -1e308`` overflows, its sign does not."""
    left, right = fields.columns[left_key], fields.columns[right_key]
    missing = pd.isna(left) | pd.isna(right)
    if _is_text(left) or _is_text(right):
        if op_type not in (ast.Eq, ast.NotEq) or not (_is_text(left) and _is_text(right)):
            raise ScoringError(tr("Condition cannot be evaluated"), [Problem(
                tr("text can only be compared with text, using == or !="), found=repr(source),
                expected=tr("numbers on both sides of <, <=, >, >="))])
        same = np.where(missing, None, np.where(left == right, "1", "0")).astype(object)
        key = fields.add(same)
        return key, "1" if op_type is ast.Eq else "0"
    with np.errstate(all="ignore"):
        sign = np.sign(np.where(missing, 0.0, left) - np.where(missing, 0.0, right))
    return fields.add(np.where(missing, np.nan, sign)), 0.0


def _check_kinds(values: np.ndarray, constant, op_type, source: str) -> None:
    text_field, text_constant = _is_text(values), isinstance(constant, str)
    if text_field == text_constant and (not text_field or op_type in (ast.Eq, ast.NotEq)):
        return
    raise ScoringError(tr("Condition cannot be evaluated"), [Problem(
        tr("text can only be compared with text, using == or !="), found=repr(source),
        expected=tr("a number compared with a number, or a text column with == / != and a quoted text"))])


def _side_key(node: ast.AST, fields: _Fields, source: str) -> str:
    if isinstance(node, ast.Name):
        return fields.for_name(node.id)
    return fields.for_node(node, source)


def fire_rules(conditions: list[Expr], env: Env, names: Sequence[str] | None = None,
               unit_ids: Sequence | None = None) -> np.ndarray:
    """Boolean matrix (units x rules): True where the rule's condition holds for the unit.

    The conditions run in durable-rules; the result is compared with the numpy evaluation of
    the same conditions, and any difference is an :class:`InternalError` (``names`` and
    ``unit_ids`` name the rules and units in its message).
    """
    fired = np.zeros((env.size, len(conditions)), bool)
    if conditions and env.size:
        with _LOCK:
            _fire_chunks(conditions, env, list(range(len(conditions))), fired, names)
    cross_check(conditions, env, fired, names, unit_ids)
    return fired


def _fire_chunks(conditions, env, rules: list[int], fired, names) -> None:
    """Translate rules into rulesets that fit the engine's tables and run each one."""
    chunk: list[int] = []
    fields = _Fields(env)
    translated: dict[str, dict] = {}
    for j in rules:
        before = dict(fields.keys), dict(fields.columns)
        translated[f"r{j}"] = translate(conditions[j].tree.body, fields, conditions[j].text)
        if chunk and (len(chunk) == MAX_RULES or len(fields.keys) > codec.MAX_FIELDS):
            fields.keys, fields.columns = before
            del translated[f"r{j}"]
            _run_or_split(conditions, env, chunk, translated, fields, fired, names)
            chunk, fields, translated = [], _Fields(env), {}
            translated[f"r{j}"] = translate(conditions[j].tree.body, fields, conditions[j].text)
        chunk.append(j)
        if len(fields.keys) > codec.MAX_FIELDS:
            raise _too_big(conditions[j], names, j, tr("it reads {count} values per unit; the engine holds at "
                                                       "most {most}", count=len(fields.keys), most=codec.MAX_FIELDS))
    if chunk:
        _run_or_split(conditions, env, chunk, translated, fields, fired, names)


def _run_or_split(conditions, env, chunk, translated, fields, fired, names) -> None:
    try:
        fired[:, chunk] = _run_ruleset(translated, fields.columns, env.size, chunk)
    except _Full as full:
        if len(chunk) == 1:
            raise _too_big(conditions[chunk[0]], names, chunk[0],
                           tr("durable-rules error {code}: {reason}", code=full.code,
                              reason=tr(codec.CAPACITY_ERRORS[full.code]))) from None
        half = len(chunk) // 2
        _fire_chunks(conditions, env, chunk[:half], fired, names)
        _fire_chunks(conditions, env, chunk[half:], fired, names)


def _too_big(condition: Expr, names, j: int, reason: str) -> ScoringError:
    rule = names[j] if names is not None else f"#{j + 1}"
    return ScoringError(tr("A rule condition is too large for the rule engine"), [Problem(
        tr("condition too large for durable-rules ({reason})", reason=reason), field=f"adjustments: {rule}.when",
        found=repr(condition.text), expected=tr("a shorter condition, or the rule split into several rules"))])


def _run_ruleset(translated: dict[str, dict], columns: dict[str, np.ndarray], size: int,
                 chunk: list[int]) -> np.ndarray:
    """Fire one set of rules over all units, batch by batch; the engine's table errors raise _Full.

    Each batch of facts is asserted, its firings read, then retracted: the engine frees a fact's
    memory only when it is retracted (deleting a ruleset or a session does not give it back, and
    ``delete_state`` crashes the process for a session in which no rule fired)."""
    fired = np.zeros((size, len(chunk)), bool)
    definition = codec.rules_json({f"r{i}": translated[f"r{j}"] for i, j in enumerate(chunk)})
    handle = _call(_ENGINE.create_ruleset, f"zonescore_{next(_COUNTER)}", definition)
    try:
        for start in range(0, size, BATCH):
            facts = _fact_texts(columns, size, start, min(size, start + BATCH))
            batch = "[" + ",".join(f'{fact},"sid":"0"}}' for fact in facts) + "]"
            _expect_handled(_call(_ENGINE.assert_facts, handle, batch)[0], "took")
            _read_actions(handle, fired)
            _expect_handled(_call(_ENGINE.retract_facts, handle, batch)[0], "released")
            if _ENGINE.start_action(handle):
                raise InternalError(tr("The rule engine fired a rule when units were released"), [Problem(
                    tr("durable-rules queued an action after retracting facts"), expected=tr("no action"))])
    finally:
        _ENGINE.delete_ruleset(handle)
    return fired


def _expect_handled(code: int, verb: str) -> None:
    if code not in (0, 1):  # 2 = already observed, 3 = deferred: never expected here
        raise InternalError(tr("The rule engine {verb} not every unit", verb=verb), [Problem(
            tr("durable-rules answered {code} to a batch of units", code=code), expected="0 or 1")])


def _fact_texts(columns: dict[str, np.ndarray], size: int, start: int, stop: int) -> np.ndarray:
    """The JSON text of the facts of units ``start`` to ``stop``, without the closing brace (the
    session id follows); written batch by batch, so memory does not grow with the units."""
    texts = np.array([f'{{"id":"u{i}","uid":{i}' for i in range(start, stop)], dtype=object)
    for key, values in columns.items():
        texts = texts + codec.column_fragments(key, np.broadcast_to(values, (size,))[start:stop])
    return texts


def _read_actions(handle: int, fired: np.ndarray) -> None:
    """Mark every queued firing (what the stock host's dispatch thread and callbacks would do)."""
    pending = _ENGINE.start_action(handle)
    while pending:
        _state, message, action = pending
        while message:
            _mark(message, fired)
            message = _ENGINE.complete_and_start_action(handle, action)
        pending = _ENGINE.start_action(handle)


_FIRING = re.compile(r'\{"r(\d+)":\{"m":\{"id":"u\d+","uid":(\d+),')


def _mark(message: str, fired: np.ndarray) -> None:
    """One firing: ``{"r<rule>":{"m":<the fact as asserted>}}`` (read with json if it looks different)."""
    found = _FIRING.match(message)
    if found and message.count('"m":') == 1:
        fired[int(found.group(2)), int(found.group(1))] = True
        return
    for rule, matched in json.loads(message).items():
        fired[int(matched["m"]["uid"]), int(rule[1:])] = True


def _call(function, *args):
    try:
        return function(*args)
    except MemoryError:
        raise
    except Exception as exc:  # the C extension raises its own error type with a code in the text
        code = codec.error_code(exc)
        if code in codec.CAPACITY_ERRORS:
            raise _Full(code) from None
        raise InternalError(tr("The rule engine rejected what zonescore gave it"), [Problem(
            tr("durable-rules: {error}", error=exc), expected=tr("input the engine reads (this is a zonescore bug)"))
        ]) from None


def cross_check(conditions: list[Expr], env: Env, fired: np.ndarray, names=None, unit_ids=None) -> None:
    """Stop with an InternalError where the engine's firings differ from the numpy evaluation."""
    problems = []
    for j, condition in enumerate(conditions):
        expected = np.broadcast_to(condition_mask(condition.tree.body, env), (env.size,))
        differ = np.flatnonzero(expected != fired[:, j])
        if differ.size:
            rule = names[j] if names is not None else f"#{j + 1}"
            units = [str(unit_ids[i]) if unit_ids is not None else f"row {i + 1}" for i in differ[:10]]
            problems.append(Problem(
                tr("the rule engine and the numpy check disagree for {count} unit(s): {units}", count=differ.size,
                   units=", ".join(units)),
                field=f"adjustments: {rule}.when", found=repr(condition.text),
                expected=tr("the same firings from both evaluations")))
    if problems:
        raise InternalError(tr("Internal error: the rule engine disagrees with the rules; no result is given "
                               "(please report this with the rule and data files)"), problems)
