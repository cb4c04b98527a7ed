"""Run the adjustment conditions through durable-rules and report which rules fired for whom.

How the rule engine's traps are avoided:

* Each unit is asserted as a *fact* (not posted as an event): facts fire every rule whose
  condition holds, events only the first.
* A batch in which some fact matches no rule raises MessageNotHandledException before the
  engine runs the actions it has queued for the other facts; the exception is expected here, and
  the queue is then drained explicitly, so every matching rule still fires exactly once.
* Facts go in chunks, one session (``sid``) per chunk, and the chunk size grows with the number of
  units so that a run never needs more than ``MAX_SESSIONS`` sessions (the engine's limit is 1,024).
* Every run gets its own ruleset, deleted afterwards; the stock ``Host`` starts timer threads that
  dispatch actions in the background, so a subclass without them is used, and a lock serialises
  runs because the engine is not thread safe.

Conditions are translated from the whitelisted expression tree into durable-rules JSON:
comparisons, ``and``/``or`` and ``not`` (pushed down by De Morgan's laws). Sides of a comparison
that are not plain names or constants are computed first, vectorised, as extra fact fields.
A comparison involving a missing value is false (with or without ``not``).
"""
from __future__ import annotations

import ast
import itertools
import json
import math
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from durable import engine

from ..errors import Problem, ScoringError
from ..expr import Env, Expr, evaluate, truthy

MAX_SESSIONS = 512
MIN_CHUNK = 1000
_LOCK = threading.Lock()
_COUNTER = itertools.count()

_OPS = {ast.Gt: "$gt", ast.GtE: "$gte", ast.Lt: "$lt", ast.LtE: "$lte", ast.Eq: "$eq", ast.NotEq: "$neq"}
_NEGATE = {ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq,
           ast.NotEq: ast.Eq}
_FLIP = {ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


class _QuietHost(engine.Host):
    """A durable-rules host without the background dispatch threads of the stock one."""

    def _run(self):  # noqa: D401 - the stock host starts timer threads here
        return None


@dataclass
class _Fields:
    """Fact fields: ASCII keys standing for names and computed sub-expressions."""

    env: Env
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def add(self, values: np.ndarray) -> str:
        """A new field holding ``values`` (already fact-ready)."""
        key = f"f{len(self.keys)}"
        self.keys[f"#{key}"] = key
        self.columns[key] = values if values.dtype == object else _fact_values(values)
        return key

    def for_name(self, name: str) -> str:
        if name not in self.keys:
            self.keys[name] = key = f"f{len(self.keys)}"
            self.columns[key] = _fact_values(self.env.columns[name])
        return self.keys[name]

    def for_node(self, node: ast.AST, source: str, truth: bool = False) -> str:
        dumped = ("truth:" if truth else "") + ast.dump(node)
        if dumped not in self.keys:
            self.keys[dumped] = key = f"f{len(self.keys)}"
            values = evaluate(Expr(source, ast.Expression(node), frozenset()), self.env)
            self.columns[key] = _fact_values(truthy(values) if truth else values)
        return self.keys[dumped]


def _fact_values(values) -> np.ndarray:
    values = np.asarray(values)
    if values.ndim == 0:
        values = np.full(1, values.item())
    if values.dtype.kind == "b":
        return values.astype(float)
    if values.dtype.kind in "iuf":
        values = values.astype(float)
        return np.where(np.isfinite(values), values, np.nan)
    return values.astype(object)


def _constant(node: ast.AST):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return float(node.value) if isinstance(node.value, bool) else node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        return -node.operand.value
    return None


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
    op_type = _NEGATE[type(op)] if negate else type(op)
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
    """A field and constant equivalent to comparing two fields: left - right vs 0, or equal 1/0."""
    left, right = fields.columns[left_key], fields.columns[right_key]
    missing = pd.isna(left) | pd.isna(right)
    if _is_text(left) or _is_text(right):
        if op_type not in (ast.Eq, ast.NotEq) or not (_is_text(left) and _is_text(right)):
            raise ScoringError("Condition cannot be evaluated", [Problem(
                "text can only be compared with text, using == or !=", found=repr(source),
                expected="numbers on both sides of <, <=, >, >=")])
        same = np.where(missing, None, np.where(left == right, "1", "0")).astype(object)
        key = fields.add(same)
        return key, "1" if op_type is ast.Eq else "0"
    return fields.add(np.where(missing, np.nan, left - right)), 0.0


def _check_kinds(values: np.ndarray, constant, op_type, source: str) -> None:
    text_field, text_constant = _is_text(values), isinstance(constant, str)
    if text_field == text_constant and (not text_field or op_type in (ast.Eq, ast.NotEq)):
        return
    raise ScoringError("Condition cannot be evaluated", [Problem(
        "text can only be compared with text, using == or !=", found=repr(source),
        expected="a number compared with a number, or a text column with == / != and a quoted text")])


def _side_key(node: ast.AST, fields: _Fields, source: str) -> str:
    if isinstance(node, ast.Name):
        return fields.for_name(node.id)
    return fields.for_node(node, source)


def _facts(columns: dict[str, np.ndarray], size: int) -> list[dict]:
    """One fact per unit; missing values are left out so that comparisons with them fail."""
    facts = [{"uid": i} for i in range(size)]
    for key, values in columns.items():
        is_number = values.dtype.kind == "f"
        for fact, value in zip(facts, values.tolist()):
            if value is None or (is_number and math.isnan(value)):
                continue
            fact[key] = value
    return facts


def fire_rules(conditions: list[Expr], env: Env) -> np.ndarray:
    """Return a boolean matrix (units x rules): True where the rule's condition holds for the unit."""
    size = env.size
    fired = np.zeros((size, len(conditions)), bool)
    if not conditions or size == 0:
        return fired
    fields = _Fields(env)
    definitions = {}
    for j, condition in enumerate(conditions):
        durable_condition = translate(condition.tree.body, fields, condition.text)
        definitions[f"r{j}"] = {"all": [{"m": durable_condition}], "run": _marker(fired, j)}
    facts = _facts(fields.columns, size)
    chunk = max(MIN_CHUNK, -(-size // MAX_SESSIONS))
    with _LOCK:
        name = f"zonescore_{next(_COUNTER)}"
        host = _QuietHost()
        host.set_rulesets({name: definitions})
        try:
            for session, start in enumerate(range(0, size, chunk)):
                batch = facts[start:start + chunk]
                for fact in batch:
                    fact["sid"] = str(session)
                try:
                    host.assert_facts(name, batch)
                except engine.MessageNotHandledException:
                    pass  # some units match no rule; the actions of the others are still queued
                _drain(host.get_ruleset(name))
        finally:
            engine.durable_rules_engine.delete_ruleset(host.get_ruleset(name)._handle)
    return fired


def _drain(ruleset: engine.Ruleset) -> None:
    """Run every action the engine has queued (what the stock host's dispatch thread would do)."""
    while True:
        pending = engine.durable_rules_engine.start_action(ruleset._handle)
        if not pending:
            return
        state, message, handle = pending
        ruleset._flush_actions(json.loads(state), {"message": json.loads(message)}, handle, _ignore)


def _ignore(error, state) -> None:
    if error:
        raise error


def _marker(fired: np.ndarray, column: int):
    def mark(closure) -> None:
        fired[closure.m["uid"], column] = True
    return mark
