"""The condition language of adjustment rules (``when``), and the two engines that evaluate it.

Semantics, declared here once: ``and``/``or``/``not`` with ``not`` pushed down by De Morgan's
laws; a comparison involving a missing value is false, with or without ``not``; text compares
with text only, with ``==``/``!=``; anything that is not a comparison counts by its truth value
(non-zero; missing is false).

Two backends evaluate it:

* **durable-rules** (:mod:`.durable_rules`), the rule engine of the design, for an ordinary
  run: every firing it reports is compared with the numpy evaluation, and any difference stops
  the run (:class:`~scoring.errors.InternalError`);
* **numpy masks** (:func:`condition_mask`), vectorised, for robustness draws (conditions that
  read node points or ``total`` change from draw to draw) and for populations above
  :data:`NUMPY_ABOVE` units, where the rule engine's cost grows with every unit.

``engine="auto"`` chooses by population size; ``"durable-rules"`` or ``"numpy"`` forces one.
"""
from __future__ import annotations

import ast

import numpy as np
import pandas as pd

from ..api.expr import _CMPOPS, PEER, Env, Expr, evaluate, truthy
from ..messages import tr

ENGINES = ("auto", "durable-rules", "numpy")
NUMPY_ABOVE = 20_000  # units: above this, "auto" evaluates conditions with numpy masks only

# the comparison that holds exactly when the given one fails (both values present)
NEGATE = {ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq,
          ast.NotEq: ast.Eq}


def engine_for(engine: str, size: int) -> str:
    """The backend that evaluates conditions for ``size`` units: "durable-rules" or "numpy"."""
    if engine not in ENGINES:
        raise ValueError(tr("unknown engine {engine}", engine=repr(engine)))
    if engine == "auto":
        return "numpy" if size > NUMPY_ABOVE or not rule_engine_installed() else "durable-rules"
    return engine if engine == "numpy" or rule_engine_installed() else _rule_engine_missing()


def rule_engine_installed() -> bool:
    """Whether durable-rules can be imported. It is built from source when installed (no wheels), so
    an install without a C compiler (Windows) has none: "auto" then evaluates every condition with
    numpy, the reference evaluation the rule engine's firings are checked against anyway."""
    try:
        import durable.engine  # noqa: F401
    except ImportError:
        return False
    return True


def _rule_engine_missing():
    from ..errors import OptionError, Problem
    from ..messages import tr

    raise OptionError(tr("The durable-rules engine is not installed"), [Problem(
        tr("the durable-rules package is not installed or cannot be loaded"), field="--engine", found="durable-rules",
        expected=tr("--engine auto or numpy (same results), or durable-rules installed: "
                    "pip install durable-rules (needs a C compiler)"))])


def fire(conditions: list[Expr], env: Env, engine: str = "auto", names=None, unit_ids=None) -> np.ndarray:
    """Boolean matrix (units x rules): where each condition holds, evaluated by the chosen backend."""
    if engine_for(engine, env.size) == "durable-rules":
        from .durable_rules import fire_rules  # imported only when the rule engine runs

        return fire_rules(conditions, env, names, unit_ids)
    fired = np.zeros((env.size, len(conditions)), bool)
    for j, condition in enumerate(conditions):
        fired[:, j] = np.broadcast_to(condition_mask(condition.tree.body, env), (env.size,))
    return fired


def per_draw(expr: Expr, names: dict, shape: tuple, is_condition: bool = False) -> np.ndarray:
    """Evaluate an expression that reads per-draw names; draw by draw only if it uses peer statistics."""
    run = (lambda env: condition_mask(expr.tree.body, env)) if is_condition else \
        (lambda env: evaluate(expr, env).astype(float))
    peer = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in PEER
               for n in ast.walk(expr.tree))
    if not peer:
        return np.broadcast_to(run(Env(names, shape[1])), shape)
    rows = [{k: (v[d] if np.ndim(v) == 2 else v) for k, v in names.items()} for d in range(shape[0])]
    return np.stack([np.broadcast_to(run(Env(row, shape[1])), shape[1:]) for row in rows])


def condition_mask(node: ast.AST, env: Env, negate: bool = False) -> np.ndarray:
    """A rule condition with the rule engine's semantics (see scoring.engine.durable_rules)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return condition_mask(node.operand, env, not negate)
    if isinstance(node, ast.BoolOp):
        parts = [condition_mask(v, env, negate) for v in node.values]
        is_and = isinstance(node.op, ast.And) != negate  # De Morgan
        return (np.logical_and if is_and else np.logical_or).reduce(np.broadcast_arrays(*parts))
    if isinstance(node, ast.Compare):
        sides = [_side(n, env) for n in [node.left] + node.comparators]
        parts = []
        for (left, right), op in zip(zip(sides, sides[1:]), node.ops):
            compare = _CMPOPS[NEGATE[type(op)] if negate else type(op)]
            text = left.dtype.kind == "O" or right.dtype.kind == "O"
            with np.errstate(invalid="ignore"):
                hit = compare(left.astype(object) if text else left, right)
            parts.append(np.asarray(hit, bool) & ~_missing(left) & ~_missing(right))
        return (np.logical_or if negate else np.logical_and).reduce(np.broadcast_arrays(*parts))
    truth = truthy(_side(node, env))
    return ~truth if negate else truth


def _side(node: ast.AST, env: Env) -> np.ndarray:
    values = np.asarray(evaluate(Expr("", ast.Expression(node), frozenset()), env))
    if values.dtype.kind in "biuf":
        values = values.astype(float)
        return np.where(np.isfinite(values), values, np.nan)
    return values.astype(object)


def _missing(values: np.ndarray) -> np.ndarray:
    return np.isnan(values) if values.dtype.kind == "f" else np.asarray(pd.isna(values), bool)
