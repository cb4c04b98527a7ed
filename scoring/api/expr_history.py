"""History in expressions: ``prev.X``, ``prev(N).X`` and ``streak("outcome")``.

They read the same unit's final (终审) results of earlier years: ``prev.rank``, ``prev.total``,
``prev.outcome`` (an outcome id, or missing), ``prev.税收`` (last year's input of that name),
``prev(2).outcome`` (two years back) and ``streak("warned")`` (consecutive final years with that
outcome, ending last year). The parser rewrites each into a plain name (:func:`history_name`),
so that every evaluator (numpy, the rule engine, the kind checks) reads it as one more column;
the columns come from the history store (:mod:`scoring.history.previous`) joined on the unit id,
and are missing when there is no history (a new unit, or no store).
"""
from __future__ import annotations

import ast

from ..messages import tr

HISTORY_FIELDS = ("rank", "total", "outcome")
MAX_PREV = 10
"""The farthest year back an expression may read: prev(10)."""


def history_name(depth: int, attr: str) -> str:
    """The column name an expression's ``prev(depth).attr`` reads: ``prev.rank``, ``prev(2).税收``."""
    return f"prev.{attr}" if depth == 1 else f"prev({depth}).{attr}"


def streak_name(outcome: str) -> str:
    return f'streak("{outcome}")'


def parse_history_name(name: str) -> tuple[str, int, str] | None:
    """``("prev", depth, attr)`` or ``("streak", 0, outcome)`` for a history name, else None."""
    if name.startswith('streak("') and name.endswith('")'):
        return "streak", 0, name[8:-2]
    if name.startswith("prev."):
        return "prev", 1, name[5:]
    if name.startswith("prev(") and ")." in name:
        depth, attr = name[5:].split(").", 1)
        return ("prev", int(depth), attr) if depth.isdigit() else None
    return None


def known_history(name: str, known) -> bool:
    """Whether a history name reads something there is: a result field or a declared input."""
    parsed = parse_history_name(name)
    if parsed is None:
        return False
    kind, _, attr = parsed
    return kind == "streak" or attr in HISTORY_FIELDS or attr in known


class _HistoryRewriter(ast.NodeTransformer):
    """Turns ``prev.X``, ``prev(N).X`` and ``streak("id")`` into plain names (see :func:`history_name`),
    so that every evaluator (numpy, the rule engine, the kind checks) reads them as columns."""

    def __init__(self, source: str, fail):
        self.source, self.fail = source, fail

    def visit_Attribute(self, node: ast.Attribute):
        base = node.value
        if isinstance(base, ast.Name) and base.id == "prev":
            return ast.copy_location(ast.Name(id=history_name(1, node.attr), ctx=ast.Load()), node)
        if isinstance(base, ast.Call) and isinstance(base.func, ast.Name) and base.func.id == "prev":
            depth = self._constant(base, int, "prev")
            if depth is not None and not 1 <= depth <= MAX_PREV:
                self.fail(tr("prev(N) reads 1 to {most} years back", most=MAX_PREV), found=repr(self.source),
                          expected=tr("prev(1) to prev({most})", most=MAX_PREV))
            elif depth is not None:
                return ast.copy_location(ast.Name(id=history_name(depth, node.attr), ctx=ast.Load()), node)
            return node
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "streak":
            outcome = self._constant(node, str, "streak")
            if outcome is not None:
                return ast.copy_location(ast.Name(id=streak_name(outcome), ctx=ast.Load()), node)
            return node
        self.generic_visit(node)
        return node

    def _constant(self, node: ast.Call, kind: type, function: str):
        args = node.args
        if len(args) == 1 and not node.keywords and isinstance(args[0], ast.Constant) \
                and type(args[0].value) is kind:
            return args[0].value
        expected = tr('prev(2).rank: a whole number of years') if kind is int else \
            tr('streak("warned"): an outcome id in quotes')
        self.fail(tr("'{function}' takes one constant argument", function=function), found=repr(self.source),
                  expected=expected)
        return None


def history_names(tree: ast.Expression, source: str, fail) -> ast.Expression:
    if "prev" not in source and "streak" not in source:
        return tree
    return _HistoryRewriter(source, fail).visit(tree)




def history_kinds(names, kinds: dict[str, str]) -> dict[str, str]:
    """The kind of each history name: text for ``outcome`` and for earlier text inputs, else number."""
    from .kinds import NUMBER, TEXT

    found = {}
    for name in names:
        kind, _, attr = parse_history_name(name)
        text = kind == "prev" and (attr == "outcome" or kinds.get(attr) == TEXT)
        found[name] = TEXT if text else NUMBER
    return found
