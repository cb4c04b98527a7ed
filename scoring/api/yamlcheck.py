"""Checks on the YAML node tree of a rule file, before any value is constructed from it.

PyYAML accepts things that would silently change a rule file's meaning:

* a key repeated in one mapping (the last value wins);
* YAML 1.1 numbers that do not read as written: ``012`` is octal 10, ``1:30`` is 90 (base 60);
* aliases that expand a small file into a huge or endless structure (``&a [*a]``);
* nesting so deep that later recursive steps would fail.

:func:`check_nodes` reports each of these as a :class:`Problem` with the line of the node.
Every walk here is iterative, so a hostile file cannot exhaust the Python stack.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

import yaml

from ..errors import Problem
from ..messages import tr

MAX_NODES = 100_000
"""Most YAML nodes a rule file may hold, counting each use of an alias in full."""
MAX_YAML_DEPTH = 100
"""Deepest nesting of mappings and lists in a rule file."""

_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")


class _Cycle(Exception):
    def __init__(self, node: yaml.Node):
        super().__init__("recursive alias")
        self.node = node


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _expanded_size(root: yaml.Node) -> int:
    """Number of nodes with every alias expanded, capped at ``MAX_NODES + 1``; raises on a cycle."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = min(MAX_NODES + 1, 1 + sum(sizes[id(c)] for c in _children(node)))
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _Cycle(node)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def check_nodes(root: yaml.Node | None, path: str) -> list[Problem]:
    """Every problem of the node tree; an empty list when the tree is safe to construct."""
    if root is None:
        return []
    try:
        size = _expanded_size(root)
    except _Cycle as cycle:
        return [Problem(tr("an alias refers to the mapping or list that contains it"), file=path,
                        line=_line(cycle.node), expected=tr("no recursive aliases (&name ... *name inside itself)"))]
    if size > MAX_NODES:
        return [Problem(tr("rule file has too many values"), file=path,
                        found=tr("more than {count} (each use of an alias counted in full)", count=f"{MAX_NODES:,}"),
                        expected=tr("at most {count} keys, values and list items", count=f"{MAX_NODES:,}"))]
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple, int]] = [(root, (), 1)]
    while stack:
        node, loc, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        field = ".".join(map(str, loc)) or None
        if depth > MAX_YAML_DEPTH:
            problems.append(Problem(tr("mappings and lists are nested too deeply"), file=path, line=_line(node),
                                    field=field, found=tr("more than {count} levels", count=MAX_YAML_DEPTH),
                                    expected=tr("at most {count} levels", count=MAX_YAML_DEPTH)))
            continue
        if isinstance(node, yaml.ScalarNode):
            _check_scalar(node, path, field, problems)
        elif isinstance(node, yaml.MappingNode):
            _check_keys(node, path, loc, problems)
            stack.extend((value, loc + (key.value,), depth + 1) for key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((value, loc + (i,), depth + 1) for i, value in reversed(list(enumerate(node.value))))
    return sorted(problems, key=lambda p: p.line or 0)


def _check_keys(node: yaml.MappingNode, path: str, loc: tuple, problems: list[Problem]) -> None:
    first: dict[tuple[str, Any], yaml.Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE:
            continue
        ident = (key.tag, key.value)
        if ident not in first:
            first[ident] = key
            continue
        field = ".".join(map(str, loc + (key.value,)))
        lines = sorted({_line(first[ident]), _line(key)})
        message = tr("duplicate key on lines {first}, {second}", first=lines[0], second=lines[1]) \
            if len(lines) == 2 else tr("duplicate key on line {line}", line=lines[0])
        problems.append(Problem(message, file=path,
                                line=_line(first[ident]), field=field, found=repr(key.value),
                                expected=tr("each key once in a mapping")))


def _check_scalar(node: yaml.ScalarNode, path: str, field: str | None, problems: list[Problem]) -> None:
    if node.style:  # quoted or block scalars are text (plain: None, or '' from libyaml)
        return
    text = node.value
    if node.tag == _INT and _OCTAL.match(text):
        problems.append(Problem(tr("YAML reads a number with a leading zero as octal (base 8)"), file=path,
                                line=_line(node), field=field, found=repr(text),
                                expected=tr("the number without leading zeros, or quoted text")))
    elif node.tag in (_INT, _FLOAT) and ":" in text:
        problems.append(Problem(tr("YAML reads a number with ':' in base 60 (1:30 is 90)"), file=path,
                                line=_line(node), field=field, found=repr(text),
                                expected=tr("a plain number, or quoted text")))
