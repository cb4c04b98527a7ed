"""Read a rule file: safe YAML with line numbers, pydantic validation, readable errors."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import InputFileError, Problem, RuleFileError
from ..messages import tr
from .models import RuleFile
from .rule_problems import problems_from_errors
from .yamlcheck import check_nodes


def read_text(path: str | Path) -> tuple[str, bytes]:
    """Return (text, raw bytes) of a UTF-8 rule file; clear errors for missing, empty or binary files."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(tr("Rule file not found: {path}", path=path),
                             [Problem(tr("no such file"), file=str(path))])
    if path.is_dir():
        raise InputFileError(tr("Rule file is a directory: {path}", path=path),
                             [Problem(tr("expected a file"), file=str(path))])
    raw = path.read_bytes()
    if not raw.strip():
        raise InputFileError(tr("Rule file is empty: {path}", path=path),
                             [Problem(tr("the file has no content"), file=str(path))])
    try:
        return raw.decode("utf-8-sig"), raw
    except UnicodeDecodeError as exc:
        raise InputFileError(tr("Rule file is not UTF-8 text: {path}", path=path),
                             [Problem(tr("undecodable byte at offset {offset}", offset=exc.start), file=str(path),
                                      expected=tr("a UTF-8 encoded YAML file"))]) from None


# libyaml's safe loader when PyYAML was built with it (much faster), else the pure-Python one;
# both construct plain data only (no arbitrary Python objects).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineMap:
    """Maps a location path such as ``('indicators', 0, 'children', 2, 'weight')`` to a line."""

    def __init__(self, root: yaml.Node | None):
        self.root = root
        self._keys: dict[int, dict[str, yaml.Node]] = {}  # mapping node -> its keys (built once)

    def line(self, loc: tuple[Any, ...]) -> int | None:
        node, best = self.root, None
        for key in loc:
            if node is None:
                break
            best = node.start_mark.line + 1
            node = self._child(node, key)
        if node is not None:
            return node.start_mark.line + 1
        return best

    def node(self, loc: tuple[Any, ...]) -> yaml.Node | None:
        """The node at ``loc``, or None when the path leaves the tree."""
        node = self.root
        for key in loc:
            if node is None:
                return None
            node = self._child(node, key)
        return node

    def source(self, loc: tuple[Any, ...]) -> str | None:
        """The text of the scalar at ``loc`` as written in the file (``yes``, ``.inf``), if any."""
        node = self.node(loc)
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def _child(self, node: yaml.Node, key: Any) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    keys.setdefault(key_node.value, value_node)
            return keys.get(str(key))
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            return node.value[key]
        return None


def parse_rule_yaml(text: str, path: str) -> tuple[dict, LineMap]:
    """Parse YAML safely (no object construction) and keep the node tree for line numbers."""
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()  # parsed once: nodes give line numbers, then plain data
        problems = check_nodes(root, path)
        if problems:
            raise RuleFileError(tr("Rule file is not valid YAML: {path}", path=path), problems)
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(tr("Rule file is not valid YAML: {path}", path=path),
                            [Problem(_yaml_reason(reason, text, mark), file=path, line=line,
                                     expected=tr("valid YAML"))]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RuleFileError(tr("Rule file must be a mapping of keys: {path}", path=path),
                            [Problem(tr("top level is not a mapping"), file=path, line=1,
                                     found=_kind_of(data), expected=tr("keys such as id, title, indicators"))])
    return data, LineMap(root)


def validate_model(data: dict, path: str, lines: LineMap) -> RuleFile:
    """Validate with pydantic; turn every validation error into a located :class:`Problem`."""
    try:
        return RuleFile.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_errors(exc.errors(), data, path, lines)
        raise RuleFileError(tr("Rule file does not describe a valid assessment: {path}", path=path), problems) from None


def _kind_of(data) -> str:
    if isinstance(data, list):
        return tr("a list")
    if data is None:
        return tr("nothing (an empty value)")
    return tr("a single value {value}", value=repr(data))


_COLON = lambda: tr("a ':' where YAML does not allow one (quote the text, or check the indentation)")  # noqa: E731
_TAB = lambda: tr("a tab character (YAML indents with spaces only)")  # noqa: E731
_INDENT = lambda: tr("an indentation that does not match the lines before")  # noqa: E731
_YAML_REASONS = {  # PyYAML's reasons (libyaml's and the pure-Python parser's wording)
    "mapping values are not allowed in this context": _COLON,
    "mapping values are not allowed here": _COLON,
    "found a tab character that violates indentation": _TAB,
    "found character '\\t' that cannot start any token": _TAB,
    "found character that cannot start any token": lambda: tr("a character that cannot start a value here "
                                                              "(quote the text)"),
    "could not find expected ':'": lambda: tr("a key without ':'"),
    "did not find expected key": _INDENT,
    "did not find expected '-' indicator": _INDENT,
    "did not find expected ',' or ']'": lambda: tr("a '[' without its ']' (or a missing comma)"),
    "did not find expected ',' or '}'": lambda: tr("a curly bracket that is not closed (or a missing comma)"),
    "found unexpected end of stream": lambda: tr("the file ends inside a quoted text"),
    "found undefined alias": lambda: tr("an alias (*name) without its anchor (&name)"),
}


def _yaml_reason(reason: str, text: str, mark) -> str:
    """PyYAML's reason in words a person can act on (the common ones), else as PyYAML says it."""
    if mark is not None and _character_at(text, mark.line, mark.column) == "\t":
        return _TAB()
    known = _YAML_REASONS.get(reason)
    return known() if known else tr("YAML syntax error: {reason}", reason=reason)


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""
