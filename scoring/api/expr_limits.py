"""Bounds on the work one expression can ask for, checked before and after :func:`ast.parse`.

Each limit is far above what a real rule needs; an expression beyond one is refused with a
problem that names the limit and the value found, instead of a parser crash, a
``RecursionError`` or a computation that never ends. All checks run in time linear in the
length of the expression and never recurse.

Before parsing: the length (:data:`MAX_LENGTH`) and the nesting of brackets
(:data:`MAX_NESTING`), because the parser itself recurses. The token pass renames the
function ``if`` (a Python keyword) and finds names that Python would read differently after
Unicode normalisation (NFKC: full-width ``ｔａｘ`` is read as ``tax``).

After parsing: the number of elements (:data:`MAX_NODES`), the depth of operations
(:data:`MAX_DEPTH`), the size of whole-number literals (:data:`MAX_INTEGER`), finite
number literals, and constant exponents (:data:`MAX_EXPONENT`).
"""
from __future__ import annotations

import ast
import io
import math
import tokenize
import unicodedata
from typing import Callable

from ..messages import tr

MAX_LENGTH = 10_000
"""Characters in one expression."""
MAX_NESTING = 50
"""Levels of brackets ``( [ {`` in one expression."""
MAX_DEPTH = 200
"""Levels of operations and calls in the parsed expression (a sum of 200 terms is 200 levels)."""
MAX_NODES = 2_000
"""Elements of one expression: each number, text, name, operation and function call counts one."""
MAX_INTEGER = 10**15
"""Largest whole-number literal; larger ones are not exact as floats."""
MAX_EXPONENT = 1_000
"""Largest constant exponent in ``x ** n`` (absolute value)."""

IF_NAME = "_if_"  # `if` is a Python keyword; the token pass renames the function before parsing

Fail = Callable[..., None]  # fail(message, found=None, expected=None)


def check_text(source: str, fail: Fail) -> bool:
    """Length and bracket nesting; False when the text must not reach the parser."""
    if len(source) > MAX_LENGTH:
        fail(tr("expression exceeds the length limit"), found=tr("{count} characters", count=f"{len(source):,}"),
             expected=tr("at most {count} characters", count=f"{MAX_LENGTH:,}"))
        return False
    nesting = bracket_nesting(source)
    if nesting > MAX_NESTING:
        fail(tr("expression exceeds the nesting limit"), found=tr("{count} levels of brackets", count=nesting),
             expected=tr("at most {count} levels", count=MAX_NESTING))
        return False
    return True


def bracket_nesting(source: str) -> int:
    """Deepest nesting of brackets outside quoted text (a rough scan; the parser has the last word)."""
    depth = deepest = 0
    quote = None
    escaped = False
    for char in source:
        if quote is not None:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth = max(0, depth - 1)
    return deepest


def scan_tokens(source: str, fail: Fail) -> str:
    """The text to parse, with the function ``if`` renamed; reports names NFKC would change."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except Exception:  # noqa: BLE001 - any tokenizer failure: the parser reports the syntax error
        return source
    lines = io.StringIO(source).readlines()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    pieces, position = [], 0
    for tok in tokens:
        if tok.type != tokenize.NAME:
            continue
        normal = unicodedata.normalize("NFKC", tok.string)
        if normal != tok.string and normal.isidentifier():
            fail(tr("name is not in Unicode normal form (NFKC)"),
                 found=tr("{name} which would be read as {normal}", name=repr(tok.string), normal=repr(normal)),
                 expected=tr("the name exactly as declared"))
        if tok.string == "if":
            offset = starts[tok.start[0] - 1] + tok.start[1]
            pieces += [source[position:offset], IF_NAME]
            position = offset + 2
    return "".join(pieces) + source[position:] if pieces else source


def check_tree(tree: ast.Expression, source: str, fail: Fail) -> None:
    """Size, depth, literals and exponents of a parsed expression."""
    size = depth = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, level = stack.pop()
        size += 1
        depth = max(depth, level)
        if isinstance(node, ast.Constant):
            _check_literal(node, source, fail)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            _check_exponent(node.right, source, fail)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
    if size > MAX_NODES:
        fail(tr("expression exceeds the size limit"), found=tr("{count} elements", count=f"{size:,}"),
             expected=tr("at most {count} numbers, names, operations and calls", count=f"{MAX_NODES:,}"))
    if depth > MAX_DEPTH:
        fail(tr("expression exceeds the depth limit"), found=tr("{count} levels of operations", count=depth),
             expected=_depth_expected())


def too_deep_to_parse(fail: Fail) -> None:
    """The parser ran out of stack: the expression is far beyond :data:`MAX_DEPTH`."""
    fail(tr("expression exceeds the depth limit"),
         found=tr("more than {count} levels of operations", count=MAX_DEPTH), expected=_depth_expected())


def _depth_expected() -> str:
    return tr("at most {count} levels (split it into derived values)", count=MAX_DEPTH)


def _segment(source: str, node: ast.AST) -> str:
    try:
        text = ast.get_source_segment(source, node)
    except Exception:  # noqa: BLE001 - positions are a nicety
        text = None
    return text if text else repr(getattr(node, "value", None))


def _check_literal(node: ast.Constant, source: str, fail: Fail) -> None:
    value = node.value
    if isinstance(value, bool):
        return
    if isinstance(value, int) and abs(value) > MAX_INTEGER:
        fail(tr("number exceeds the limit on whole numbers"), found=_shorten(_segment(source, node)),
             expected=tr("whole numbers up to 10^15 (1,000,000,000,000,000); write larger ones as 1e20"))
    elif isinstance(value, float) and not math.isfinite(value):
        fail(tr("number is too large to be represented"), found=_shorten(_segment(source, node)),
             expected=tr("a finite number (at most about 1.8e308)"))


def _check_exponent(node: ast.AST, source: str, fail: Fail) -> None:
    operand = node.operand if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) else node
    if not isinstance(operand, ast.Constant) or isinstance(operand.value, (bool, str)):
        return
    value = operand.value
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) > MAX_EXPONENT:
        fail(tr("exponent exceeds the limit"), found=_shorten(_segment(source, node)),
             expected=tr("a constant exponent of at most {count} in absolute value", count=f"{MAX_EXPONENT:,}"))


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else tr("{start}... ({count} characters)", start=text[:limit],
                                              count=f"{len(text):,}")
