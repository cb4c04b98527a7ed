"""Read a rule file: safe YAML with line numbers, pydantic validation, readable errors."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import InputFileError, Problem, RuleFileError
from ..registry import METHOD_NAMES
from .fields import CUSTOM_ERRORS, first_control_character
from .models import RuleFile
from .yamlcheck import check_nodes


def read_text(path: str | Path, what: str) -> tuple[str, bytes]:
    """Return (text, raw bytes) of a UTF-8 file; clear errors for missing, empty or binary files."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{what} not found: {path}", [Problem("no such file", file=str(path))])
    if path.is_dir():
        raise InputFileError(f"{what} is a directory: {path}", [Problem("expected a file", file=str(path))])
    raw = path.read_bytes()
    if not raw.strip():
        raise InputFileError(f"{what} is empty: {path}", [Problem("the file has no content", file=str(path))])
    try:
        return raw.decode("utf-8-sig"), raw
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{what} is not UTF-8 text: {path}",
                             [Problem(f"undecodable byte at offset {exc.start}", file=str(path),
                                      expected="a UTF-8 encoded YAML file")]) from None


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
            raise RuleFileError(f"Rule file is not valid YAML: {path}", problems)
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(f"Rule file is not valid YAML: {path}",
                            [Problem(reason, file=path, line=line, expected="valid YAML")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RuleFileError(f"Rule file must be a mapping of keys: {path}",
                            [Problem("top level is not a mapping", file=path, line=1,
                                     found=type(data).__name__, expected="keys such as id, title, indicators")])
    return data, LineMap(root)


def validate_model(data: dict, path: str, lines: LineMap) -> RuleFile:
    """Validate with pydantic; turn every validation error into a located :class:`Problem`."""
    try:
        return RuleFile.model_validate(data)
    except ValidationError as exc:
        problems = [_problem_from_error(err, path, lines) for err in exc.errors()]
        raise RuleFileError(f"Rule file does not describe a valid assessment: {path}", problems) from None


def _problem_from_error(err: dict, path: str, lines: LineMap) -> Problem:
    loc = _without_union_tags(err["loc"])
    field = ".".join(str(p) for p in loc) or None
    kind = err["type"]
    found = err.get("input")
    found_text = None if isinstance(found, (dict, list)) else repr(found)
    expected = None
    message = err["msg"]
    if kind == "union_tag_invalid":
        message = "unknown scoring method"
        found_text = repr(err.get("ctx", {}).get("tag"))
        expected = "one of: " + ", ".join(METHOD_NAMES)
        field = f"{field}.type" if field else "type"
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected")
        message = "value not allowed"
    elif kind == "missing":
        message = "required key is missing"
        found_text = None
    elif kind == "extra_forbidden":
        message = "unknown key"
        found_text = None
    elif kind in CUSTOM_ERRORS:
        expected = err.get("ctx", {}).get("expected")
        found_text = _custom_found(kind, found, lines.source(loc))
    return Problem(message, file=path, line=lines.line(loc), field=field, found=found_text, expected=expected)


def _custom_found(kind: str, value: Any, source: str | None) -> str:
    """What the file says, as written (``'yes'``, ``'.inf'``), for the checks of :mod:`.fields`."""
    if kind == "control_character" and isinstance(value, str):
        return first_control_character(value)
    return repr(source) if source is not None else repr(value)


def _without_union_tags(loc: tuple) -> tuple:
    """Drop the parts pydantic inserts into error locations: the discriminator value after a
    ``method`` key (or an ``alternatives`` item) and the type names of union members."""
    kept = []
    for i, part in enumerate(loc):
        previous = loc[i - 1] if i else None
        after_method = previous == "method" or (isinstance(previous, int) and i > 1 and loc[i - 2] == "alternatives")
        if (part in METHOD_NAMES and after_method) or part in _UNION_MEMBER_NAMES or _is_member_tag(part):
            continue
        kept.append(part)
    return tuple(kept)


_UNION_MEMBER_NAMES = ("str", "float", "int", "bool", "TieKey", "MissingPolicy")


def _is_member_tag(part: Any) -> bool:
    """pydantic's names of annotated union members: ``function-after[...]``, ``literal[...]``."""
    return isinstance(part, str) and part.startswith(("function-", "literal[")) and part.endswith("]")
