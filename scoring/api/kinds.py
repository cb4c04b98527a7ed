"""Number or text: what each expression gives, worked out from the rule file before any data is read.

Inputs declared ``type: text`` and quoted literals are text; everything else is a number
(comparisons and ``and``/``or``/``not`` give 1/0). Text may be compared with text using
``==``/``!=``, chosen by ``if(c, a, b)`` and tested with ``missing(x)``; arithmetic and the
numeric functions need numbers, and so do the expressions whose result is scored: indicator
``value``, ``target``, formula ``points``, ``fallback``, adjustment ``points`` and ``factor``.
Catching this when the file is loaded turns what would be a failure deep in a run into a
problem located at the expression.
"""
from __future__ import annotations

import ast
from typing import Callable

from ..messages import tr
from .expr import Expr, text_compared, text_in_arithmetic
from .expr_limits import IF_NAME

NUMBER, TEXT = "number", "text"


def _if_message() -> tuple[str, str]:
    return (tr("if() gives text in one branch and a number in the other"),
            tr("both branches numbers, or both text"))


def result_message() -> tuple[str, str]:
    """(message, expected) for an expression whose result is scored but gives text."""
    return (tr("expression gives text where a number is needed"),
            tr("a number (an input of type number, or arithmetic on numbers)"))

Report = Callable[[str, str], None]  # report(message, expected)


def kind_of(expr: Expr, names: dict[str, str], report: Report) -> str:
    """The kind of ``expr``'s result; each misuse of text is reported once."""
    reported: set[str] = set()

    def once(message: str, expected: str) -> None:
        if message not in reported:
            reported.add(message)
            report(message, expected)

    return _kind(expr.tree.body, names, once)


def _kind(node: ast.AST, names: dict[str, str], report: Report) -> str:
    if isinstance(node, ast.Constant):
        return TEXT if isinstance(node.value, str) else NUMBER
    if isinstance(node, ast.Name):
        return names.get(node.id, NUMBER)
    if isinstance(node, ast.BinOp):
        _need_numbers([node.left, node.right], names, report)
        return NUMBER
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            _kind(node.operand, names, report)
        else:
            _need_numbers([node.operand], names, report)
        return NUMBER
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _kind(value, names, report)
        return NUMBER
    if isinstance(node, ast.Compare):
        _compare(node, names, report)
        return NUMBER
    if isinstance(node, ast.Call):
        return _call(node, names, report)
    return NUMBER


def _need_numbers(nodes: list[ast.AST], names: dict[str, str], report: Report) -> None:
    if any([_kind(n, names, report) == TEXT for n in nodes]):  # list: every operand is checked
        report(*text_in_arithmetic())


def _compare(node: ast.Compare, names: dict[str, str], report: Report) -> None:
    kinds = [_kind(n, names, report) for n in [node.left] + node.comparators]
    for (left, right), op in zip(zip(kinds, kinds[1:]), node.ops):
        if TEXT in (left, right) and (left != right or not isinstance(op, (ast.Eq, ast.NotEq))):
            report(*text_compared())


def _call(node: ast.Call, names: dict[str, str], report: Report) -> str:
    name = node.func.id if isinstance(node.func, ast.Name) else ""
    if name == "missing":
        for arg in node.args:
            _kind(arg, names, report)
        return NUMBER
    if name == IF_NAME and len(node.args) == 3:
        _kind(node.args[0], names, report)
        yes, no = (_kind(arg, names, report) for arg in node.args[1:])
        if yes != no:
            report(*_if_message())
            return TEXT
        return yes
    _need_numbers(list(node.args), names, report)
    return NUMBER
