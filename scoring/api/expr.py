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
import warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from . import expr_limits as limits
from ..errors import ExpressionError, Problem, ScoringError, ZonescoreError
from ..messages import tr
from .expr_history import history_names as _history_names, known_history

_ALLOWED = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Name, ast.Load,
    ast.Constant, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.USub, ast.UAdd, ast.Not,
    ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)
_IF = limits.IF_NAME  # `if` is a Python keyword; the token pass renames it before parsing


class _NotNumeric(Exception):
    """Text where a number is needed, or compared with a number; becomes a ScoringError."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message, self.expected = message, expected


def text_in_arithmetic() -> tuple[str, str]:
    """(message, expected) for text used as a number (here when evaluating, :mod:`.kinds` when loading)."""
    return (tr("text cannot be used in arithmetic or in numeric functions"),
            tr("numbers in arithmetic; text only in == and != comparisons"))


def text_compared() -> tuple[str, str]:
    """(message, expected) for text compared with a number, or with < > <= >=."""
    return (tr("text can only be compared with text, using == or !="),
            tr("a number compared with a number, or text with == / != and a quoted text"))


def finite(values):
    """The numeric policy: ±infinity becomes NaN (missing); anything not floating passes unchanged."""
    array = np.asarray(values)
    if array.dtype.kind != "f":
        return values
    return np.where(np.isfinite(array), array, np.nan)


def _num(value) -> np.ndarray:
    """A number column (float); text raises :class:`_NotNumeric`."""
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in "biu":
        return array.astype(float)
    if kind == "O" and not any(isinstance(v, (str, bytes)) for v in array.flat):
        return array.astype(float)  # numbers and None only
    raise _NotNumeric(*text_in_arithmetic())


def _numeric(function: Callable) -> Callable:
    """An element-wise function on numbers whose result follows the numeric policy."""
    return lambda *args: finite(function(*[_num(a) for a in args]))


def _growth(current, previous):
    """Percent growth; undefined (NaN) when the base is zero or negative (无基数)."""
    return np.where(previous > 0, (current / previous - 1.0) * 100.0, np.nan)


def _if(cond, yes, no):
    if _is_text(yes) or _is_text(no):  # as objects: numpy's fixed-width text would drop trailing NULs
        yes, no = (_objects(v) if _is_text(v) else v for v in (yes, no))
    return np.where(truthy(cond), yes, no)


def _objects(value):
    if isinstance(value, str):
        out = np.empty((), dtype=object)
        out[()] = value
        return out
    return np.asarray(value, dtype=object)


def _missing(values):
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return ~np.isfinite(values)
    return pd.isna(values)


ELEMENTWISE: dict[str, tuple[Callable, int, int]] = {
    # name: (function, min args, max args)
    "abs": (_numeric(np.abs), 1, 1),
    "log": (_numeric(np.log), 1, 1),
    "log10": (_numeric(np.log10), 1, 1),
    "sqrt": (_numeric(np.sqrt), 1, 1),
    "exp": (_numeric(np.exp), 1, 1),
    "clip": (_numeric(np.clip), 3, 3),
    "growth": (_numeric(_growth), 2, 2),
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


class Hints:
    """Closest known names for an unknown one, with a bounded number of lookups.

    Each lookup compares the name with every known name (difflib), so a hostile file with
    thousands of unknown names and thousands of known ones would take minutes; after
    ``budget`` lookups, unknown names get the general hint instead. Share one instance
    across the expressions of a file.
    """

    def __init__(self, budget: int = 50):
        self.budget = budget
        self._cache: dict[tuple[str, int], list[str]] = {}

    def __call__(self, name: str, known) -> list[str]:
        key = (name, id(known))
        if key not in self._cache:
            if self.budget <= 0:
                return []
            self.budget -= 1
            self._cache[key] = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
        return self._cache[key]


def parse(text: str | float | int | bool, *, where: str = "", known: Mapping[str, object] | None = None,
          file: str | None = None, line: int | None = None, hints: Hints | None = None) -> Expr:
    """Parse ``text`` into an :class:`Expr`; raise :class:`ExpressionError` if it is not allowed.

    ``known`` (if given) lists the names the expression may read; any other name is reported
    with the closest known names as suggestions (``hints`` bounds that work across calls).
    The limits of :mod:`scoring.api.expr_limits` bound the work: parsing and checking take time
    linear in the length of the text.
    """
    source = str(text).strip() if not isinstance(text, bool) else str(text)
    problems: list[Problem] = []

    def fail(message, found=None, expected=None):
        problems.append(Problem(message, file=file, line=line, field=where, found=found, expected=expected))

    tree = _parse_tree(source, fail)
    if tree is None or problems:
        raise ExpressionError(tr("Invalid expression"), problems)
    names = _check_nodes(tree, source, fail)
    if known is not None:
        hints = hints or Hints(budget=10)
        for name in sorted(n for n in names if n not in known and not known_history(n, known)):
            close = hints(name, known)
            hint = tr("one of: {names}", names=tr(", ").join(close)) if close else \
                tr("an input, derived value or indicator id")
            fail(tr("unknown name '{name}'", name=name), found=repr(source), expected=hint)
    if problems:
        raise ExpressionError(tr("Invalid expression"), problems)
    return Expr(source, tree, frozenset(names))


def _parse_tree(source: str, fail) -> ast.Expression | None:
    """Checks before parsing, the parse itself, and the bounds of the tree; None on a syntax error."""
    if not limits.check_text(source, fail):
        return None
    renamed = limits.scan_tokens(source, fail)
    try:
        with warnings.catch_warnings():  # e.g. "invalid decimal literal" for `1and a`: not for the user's eyes
            warnings.simplefilter("ignore")
            tree = ast.parse(renamed, mode="eval")
    except (SyntaxError, ValueError) as exc:
        message = tr("syntax error in expression at column {column}", column=exc.offset) \
            if getattr(exc, "offset", None) else tr("syntax error in expression")
        fail(message, found=repr(source), expected=tr("an expression such as 'a / b * 100'"))
        return None
    except (RecursionError, MemoryError):  # the parser's own stack: far beyond the depth limit
        limits.too_deep_to_parse(fail)
        return None
    limits.check_tree(tree, renamed, fail)
    return _history_names(tree, source, fail)


def _check_nodes(tree: ast.Expression, source: str, fail) -> set[str]:
    """Whitelist every node, check every call; return the names read (not function names).

    One walk over the tree: a name is a function name when some call has it as ``func``.
    """
    called: set[int] = set()
    candidates: list[ast.Name] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple):
            fail(tr("the expression contains a comma outside a function's brackets"), found=repr(source),
                 expected=tr("one expression (combine conditions with and / or)"))
        elif not isinstance(node, _ALLOWED):
            fail(tr("'{construct}' is not allowed in expressions", construct=type(node).__name__), found=repr(source),
                 expected=tr("arithmetic, comparisons, and/or/not, and the functions {names}",
                             names=tr(", ").join(FUNCTION_NAMES)))
        elif isinstance(node, ast.Call):
            called.add(id(node.func))
            _check_call(node, fail, source)
        elif isinstance(node, ast.Name):
            candidates.append(node)
        elif isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
            fail(tr("unsupported constant"), found=repr(node.value), expected=tr("a number or a quoted text"))
    return {node.id for node in candidates if id(node) not in called}


def _check_call(node: ast.Call, fail, source: str) -> None:
    if not isinstance(node.func, ast.Name):
        fail(tr("only plain function calls are allowed"), found=repr(source), expected=tr("e.g. max(a, b)"))
        return
    name = node.func.id
    if node.keywords:
        fail(tr("function '{name}' takes positional arguments only", name=name), found=repr(source),
             expected=tr("e.g. {name}(a, b)", name=name))
    nargs = len(node.args)
    if name in ELEMENTWISE:
        _, lo, hi = ELEMENTWISE[name]
        if not lo <= nargs <= hi:
            shown = "if" if name == _IF else name
            fail(tr("function '{name}' takes {count} arguments, got {given}", name=shown,
                    count=lo if lo == hi else f"{lo}-{hi}", given=nargs), found=repr(source))
    elif name in PEER:
        if nargs != 1 and name not in ("min", "max"):
            fail(tr("peer statistic '{name}' takes one argument, got {given}", name=name, given=nargs),
                 found=repr(source))
        if nargs == 0:
            fail(tr("function '{name}' needs an argument", name=name), found=repr(source))
    else:
        close = difflib.get_close_matches(name, FUNCTION_NAMES, n=3)
        fail(tr("unknown function '{name}'", name=name), found=repr(source),
             expected=tr("one of: {names}", names=tr(", ").join(close or FUNCTION_NAMES)))


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
    """Evaluate ``expr`` over all units at once; always returns an array of length ``env.size``.

    Numbers follow one policy: a result that would be ±infinity or undefined (division or
    modulo by zero, log or sqrt out of domain, overflow) is NaN, a missing value; the result
    is never ±infinity. Text in arithmetic, or compared with a number, is a
    :class:`ScoringError` naming the expression.
    """
    try:
        with np.errstate(all="ignore"):
            raw = _eval(expr.tree.body, env)
            if isinstance(raw, str):  # a text constant: numpy's fixed-width text would drop trailing NULs
                return np.array([raw] * env.size, dtype=object)
            result = finite(np.asarray(raw))
    except _NotNumeric as exc:
        raise ScoringError(tr("Expression cannot be evaluated: {text}", text=expr.text),
                           [Problem(exc.message, found=repr(expr.text), expected=exc.expected)]) from None
    except ZonescoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever numpy raises, the user gets a clean error
        raise ScoringError(tr("Expression cannot be evaluated: {text}", text=expr.text),
                           [Problem(tr("the computation failed: {reason}", reason=str(exc) or type(exc).__name__),
                                    found=repr(expr.text), expected=text_in_arithmetic()[1])]) from None
    if result.ndim == 0:
        result = np.full(env.size, result.item())
    return result


def _eval(node: ast.AST, env: Env):
    if isinstance(node, ast.Constant):
        value = node.value
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if isinstance(node, ast.Name):
        return finite(env.columns[node.id])
    if isinstance(node, ast.BinOp):
        return finite(_BINOPS[type(node.op)](_num(_eval(node.left, env)), _num(_eval(node.right, env))))
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
    raise AssertionError(tr("unreachable: {construct} passed the whitelist", construct=type(node).__name__))


def truthy(value):
    """Truth value of a column; a missing number (NaN) counts as false."""
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return np.nan_to_num(array, nan=0.0) != 0
    if array.dtype.kind == "O":  # text with None, or mixed values: a missing one is false
        return np.asarray(pd.notna(array), bool) & array.astype(bool)
    return array.astype(bool)


def _compare(node: ast.Compare, env: Env):
    left = _eval(node.left, env)
    result = None
    for op, right_node in zip(node.ops, node.comparators):
        right = _eval(right_node, env)
        text_left, text_right = _is_text(left), _is_text(right)
        if (text_left or text_right) and (text_left != text_right or type(op) not in (ast.Eq, ast.NotEq)):
            raise _NotNumeric(*text_compared())
        part = _CMPOPS[type(op)](np.asarray(left, dtype=object) if text_left else left, right)
        result = part if result is None else np.logical_and(result, part)
        left = right
    return np.asarray(result, bool)


def _is_text(value) -> bool:
    return isinstance(value, str) or (isinstance(value, np.ndarray) and value.dtype.kind in "OUS")


def _call(node: ast.Call, env: Env):
    name = node.func.id
    args = [_eval(arg, env) for arg in node.args]
    if name in PEER and (len(args) == 1 or name not in ("min", "max")):
        values = np.broadcast_to(_num(args[0]), (env.size,))
        return finite(peer_stat(name, values, env.groups))
    if name in ("min", "max"):
        combine = np.fmin if name == "min" else np.fmax
        return combine.reduce(np.broadcast_arrays(*[_num(a) for a in args]))
    return ELEMENTWISE[name][0](*args)
