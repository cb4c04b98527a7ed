"""The expression language of rule files: parsed with a whitelist, evaluated on columns.

Expressions are Python-like (``税收 / 户数``, ``a > 3 and not b``, ``if(x > 0, x, 0)``) and
are parsed with :mod:`ast`; only the node types in ``_ALLOWED`` pass, only the functions in
``ELEMENTWISE`` and ``PEER`` can be called, and evaluation walks the tree itself over numpy
arrays. Rule text never reaches ``eval`` or ``exec``.

Peer statistics (``mean(x)``, ``rank(x)`` ...) are computed over the whole population or,
when the caller passes peer groups, within each group. ``min``/``max`` with one argument
are peer statistics; with two or more they are element-wise.
"""
from __future__ import annotations

import ast
import difflib
import io
import tokenize
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from .errors import ExpressionError, Problem, ScoringError

_ALLOWED = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Name, ast.Load,
    ast.Constant, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.USub, ast.UAdd, ast.Not,
    ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)
_IF = "_if_"  # `if` is a Python keyword; the tokenizer renames it before parsing


def _growth(current, previous):
    """Percent growth; undefined (NaN) when the base is zero or negative (无基数)."""
    current, previous = np.asarray(current, float), np.asarray(previous, float)
    with np.errstate(all="ignore"):
        return np.where(previous > 0, (current / previous - 1.0) * 100.0, np.nan)


def _elementwise_min(*args):
    return np.fmin.reduce(np.broadcast_arrays(*[np.asarray(a, float) for a in args]))


def _elementwise_max(*args):
    return np.fmax.reduce(np.broadcast_arrays(*[np.asarray(a, float) for a in args]))


def _if(cond, yes, no):
    return np.where(truthy(cond), yes, no)


def _missing(values):
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return ~np.isfinite(values)
    return pd.isna(values)


ELEMENTWISE: dict[str, tuple[Callable, int, int]] = {
    # name: (function, min args, max args)
    "abs": (np.abs, 1, 1),
    "log": (np.log, 1, 1),
    "log10": (np.log10, 1, 1),
    "sqrt": (np.sqrt, 1, 1),
    "exp": (np.exp, 1, 1),
    "clip": (lambda x, lo, hi: np.clip(np.asarray(x, float), lo, hi), 3, 3),
    "growth": (_growth, 2, 2),
    _IF: (_if, 3, 3),
    "missing": (_missing, 1, 1),
}
PEER = ("mean", "median", "max", "min", "sum", "std", "count", "rank", "pct_rank")
FUNCTION_NAMES = sorted(set(ELEMENTWISE) - {_IF} | set(PEER) | {"if"})


def peer_stat(stat: str, values: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Statistic ``stat`` of ``values`` over each unit's peer group, aligned to the units.

    NaN values are ignored. ``rank`` is 1 for the highest value (ties share the best rank);
    ``pct_rank`` is 1 for the highest and 0 for the lowest (ties averaged).
    """
    series = pd.Series(np.asarray(values, float))
    grouped = series.groupby(groups, sort=False) if groups is not None else None
    if stat in ("rank", "pct_rank"):
        return _peer_rank(stat, series, grouped)
    name = {"std": "std"}.get(stat, stat)
    if grouped is None:
        value = getattr(series, name)(ddof=0) if stat == "std" else getattr(series, name)()
        return np.full(len(series), float(value))
    if stat == "std":
        return grouped.transform(lambda s: s.std(ddof=0)).to_numpy(float)
    return grouped.transform(name).to_numpy(float)


def _peer_rank(stat, series, grouped):
    target = grouped if grouped is not None else series
    if stat == "rank":
        return target.rank(ascending=False, method="min").to_numpy(float)
    avg = target.rank(ascending=True, method="average").to_numpy(float)
    counts = (grouped.transform("count") if grouped is not None
              else pd.Series(series.count(), index=series.index)).to_numpy(float)
    with np.errstate(all="ignore"):
        return np.where(counts > 1, (avg - 1.0) / (counts - 1.0), 1.0)


@dataclass(frozen=True)
class Expr:
    """A parsed, whitelisted expression and the names it reads."""

    text: str
    tree: ast.Expression = field(repr=False, compare=False)
    names: frozenset[str]


def _rename_if(text: str) -> str:
    tokens = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            value = _IF if tok.type == tokenize.NAME and tok.string == "if" else tok.string
            tokens.append((tok.type, value))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return text  # let ast.parse report the real syntax error
    return tokenize.untokenize(tokens)


def parse(text: str | float | int | bool, *, where: str = "", known: Mapping[str, object] | None = None,
          file: str | None = None, line: int | None = None) -> Expr:
    """Parse ``text`` into an :class:`Expr`; raise :class:`ExpressionError` if it is not allowed.

    ``known`` (if given) lists the names the expression may read; any other name is reported
    with the closest known names as suggestions.
    """
    source = str(text).strip() if not isinstance(text, bool) else str(text)
    problems: list[Problem] = []

    def fail(message, found=None, expected=None):
        problems.append(Problem(message, file=file, line=line, field=where, found=found, expected=expected))

    try:
        tree = ast.parse(_rename_if(source), mode="eval")
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        fail(f"syntax error in expression{col}", found=repr(source), expected="an expression such as 'a / b * 100'")
        raise ExpressionError("Invalid expression", problems) from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            fail(f"'{type(node).__name__}' is not allowed in expressions", found=repr(source),
                 expected="arithmetic, comparisons, and/or/not, and the functions " + ", ".join(FUNCTION_NAMES))
        elif isinstance(node, ast.Call):
            _check_call(node, fail, source)
        elif isinstance(node, ast.Name) and not _is_function_name(tree, node):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
            fail("unsupported constant", found=repr(node.value))
    if known is not None:
        for name in sorted(names - set(known)):
            close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
            hint = f"one of: {', '.join(close)}" if close else "an input, derived value or indicator id"
            fail(f"unknown name '{name}'", found=repr(source), expected=hint)
    if problems:
        raise ExpressionError("Invalid expression", problems)
    return Expr(source, tree, frozenset(names))


def _is_function_name(tree, name_node) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.func is name_node:
            return True
    return False


def _check_call(node: ast.Call, fail, source: str) -> None:
    if not isinstance(node.func, ast.Name):
        fail("only plain function calls are allowed", found=repr(source))
        return
    name = node.func.id
    if node.keywords:
        fail(f"function '{name}' takes positional arguments only", found=repr(source))
    nargs = len(node.args)
    if name in ELEMENTWISE:
        _, lo, hi = ELEMENTWISE[name]
        if not lo <= nargs <= hi:
            shown = "if" if name == _IF else name
            fail(f"function '{shown}' takes {lo if lo == hi else f'{lo}-{hi}'} arguments, got {nargs}",
                 found=repr(source))
    elif name in PEER:
        if nargs != 1 and name not in ("min", "max"):
            fail(f"peer statistic '{name}' takes one argument, got {nargs}", found=repr(source))
        if nargs == 0:
            fail(f"function '{name}' needs an argument", found=repr(source))
    else:
        close = difflib.get_close_matches(name, FUNCTION_NAMES, n=3)
        fail(f"unknown function '{name}'", found=repr(source),
             expected="one of: " + ", ".join(close or FUNCTION_NAMES))


_BINOPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.true_divide,
           ast.Pow: np.power, ast.Mod: np.mod}
_CMPOPS = {ast.Eq: np.equal, ast.NotEq: np.not_equal, ast.Lt: np.less, ast.LtE: np.less_equal,
           ast.Gt: np.greater, ast.GtE: np.greater_equal}


@dataclass
class Env:
    """What an expression can read: named columns (arrays) and the optional peer groups."""

    columns: Mapping[str, np.ndarray]
    size: int
    groups: np.ndarray | None = None


def evaluate(expr: Expr, env: Env) -> np.ndarray:
    """Evaluate ``expr`` over all units at once; always returns an array of length ``env.size``."""
    try:
        with np.errstate(all="ignore"):
            result = _eval(expr.tree.body, env)
    except (TypeError, ValueError) as exc:  # e.g. arithmetic on a text column
        raise ScoringError(f"Expression cannot be evaluated: {expr.text}",
                           [Problem(str(exc), found=repr(expr.text),
                                    expected="numbers in arithmetic; text only in == and != comparisons")]) from None
    result = np.asarray(result)
    if result.ndim == 0:
        result = np.full(env.size, result.item())
    return result


def _eval(node: ast.AST, env: Env):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env.columns[node.id]
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_num(_eval(node.left, env)), _num(_eval(node.right, env)))
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, env)
        if isinstance(node.op, ast.Not):
            return np.logical_not(truthy(operand))
        return -_num(operand) if isinstance(node.op, ast.USub) else _num(operand)
    if isinstance(node, ast.BoolOp):
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        values = [truthy(_eval(v, env)) for v in node.values]
        return combine.reduce(np.broadcast_arrays(*values)) if len(values) > 1 else values[0]
    if isinstance(node, ast.Compare):
        return _compare(node, env)
    if isinstance(node, ast.Call):
        return _call(node, env)
    raise AssertionError(f"unreachable: {type(node).__name__} passed the whitelist")


def _num(value):
    array = np.asarray(value)
    return array.astype(float) if array.dtype.kind in "biu" else array


def truthy(value):
    """Truth value of a column; a missing number counts as false."""
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return np.nan_to_num(array, nan=0.0) != 0
    return array.astype(bool)


def _compare(node: ast.Compare, env: Env):
    left = _eval(node.left, env)
    result = None
    for op, right_node in zip(node.ops, node.comparators):
        right = _eval(right_node, env)
        part = _CMPOPS[type(op)](np.asarray(left, dtype=object) if _is_text(left, right) else left,
                                 right)
        result = part if result is None else np.logical_and(result, part)
        left = right
    return np.asarray(result, bool)


def _is_text(*values) -> bool:
    return any(isinstance(v, str) or (isinstance(v, np.ndarray) and v.dtype.kind in "OUT") for v in values)


def _call(node: ast.Call, env: Env):
    name = node.func.id
    args = [_eval(arg, env) for arg in node.args]
    if name in PEER and (len(args) == 1 or name not in ("min", "max")):
        values = np.broadcast_to(np.asarray(args[0], float), (env.size,))
        return peer_stat(name, values, env.groups)
    if name == "min":
        return _elementwise_min(*args)
    if name == "max":
        return _elementwise_max(*args)
    return ELEMENTWISE[name][0](*args)
