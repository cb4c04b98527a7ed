"""pydantic's validation errors as our own problems: located, in the interface language, with what
was found and what was expected; no pydantic wording ("Input should be ...", "Value error, ...").

Each pydantic error type has its message here (:func:`_typed`); the checks of :mod:`.fields` and
of the model validators (:func:`.fields.rule_check`) bring their own. Two mistakes get a message
of their own: an unknown key gets "did you mean" (the keys allowed at that place, from the
models), and an expression cut in two by YAML at a comma (``{when: max(a, b) > 1}`` in a flow
mapping) is reported at the expression, asking for quotes.
"""
from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, Union, get_args, get_origin

import yaml

from ..errors import Problem
from ..messages import tr
from ..registry import METHOD_NAMES
from . import method_names
from .fields import CUSTOM_ERRORS, RULE_CHECK, first_control_character


def problems_from_errors(errors: list[dict], data: dict, path: str, lines) -> list[Problem]:
    """One problem per error (the same problem once), in the order pydantic reports them."""
    problems: list[Problem] = []
    locs = [_without_union_tags(err["loc"]) for err in errors]
    for err, loc in zip(errors, locs):
        if _other_member_is_more_precise(err, loc, locs):
            continue
        problem = _problem(err, data, path, lines)
        if problem not in problems:
            problems.append(problem)
    return problems


def _other_member_is_more_precise(err: dict, loc: tuple, locs: list[tuple]) -> bool:
    """A mapping given where a text or a mapping may stand (``tie_break: [{by: 1}]``): the text
    member's "not text" is dropped when the mapping member has its own errors inside it."""
    if err["type"] != "string_type" or not isinstance(err.get("input"), dict):
        return False
    return any(len(other) > len(loc) and other[:len(loc)] == loc for other in locs)


def _problem(err: dict, data: dict, path: str, lines) -> Problem:
    loc = _without_union_tags(err["loc"])
    cut = _comma_cut(loc, lines)
    if cut is not None:
        return _comma_problem(cut, loc, path)
    field = ".".join(str(p) for p in loc) or None
    message, found, expected = _typed(err, loc, data, lines)
    if err["type"] == "union_tag_invalid":
        field = f"{field}.type" if field else "type"
    return Problem(message, file=path, line=lines.line(loc), field=field, found=found, expected=expected)


def _typed(err: dict, loc: tuple, data: dict, lines) -> tuple[str, str | None, str | None]:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    found = _found(value)
    if kind == RULE_CHECK:
        return ctx["message"], ctx.get("found"), ctx.get("expected")
    if kind in CUSTOM_ERRORS:
        source = lines.source(loc)
        if kind == "control_character" and isinstance(value, str):
            found = first_control_character(value)
        elif source is not None:
            found = repr(source)  # as written: 'yes', '.inf'
        return ctx["message"], found, ctx.get("expected")
    if kind == "missing":
        if loc and isinstance(loc[-1], int):
            return tr("item is missing"), None, None
        return tr("required key is missing"), None, None
    if kind == "extra_forbidden":
        return _unknown_key(loc, data)
    if kind == "union_tag_invalid":
        return method_names.unknown(ctx.get("tag"))
    if kind == "union_tag_not_found":
        return tr("the method has no 'type'"), None, tr("e.g. method: {example}", example="{type: minmax, floor: 0.6}")
    if kind in _LIMITS:
        return tr("number out of range"), found, _LIMITS[kind](ctx)
    if kind in _TYPES:
        message, expected = _TYPES[kind]()
        if kind in _MAPPING_TYPES and _names_a_method(loc):
            expected = tr("a method name such as {name}, or a mapping such as {example}", name="功效系数",
                          example="{type: minmax, floor: 0.6}")
        return message, found, expected
    if kind == "literal_error":
        return tr("value not allowed"), found, _choices(ctx.get("expected", ""))
    if kind == "too_short":
        return tr("too few items"), found, tr("at least {count}", count=ctx.get("min_length"))
    if kind == "too_long":
        return tr("too many items"), found, tr("at most {count}", count=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return tr("not a valid id"), found, _id_rule(ctx.get("pattern", ""))
    return tr("value not valid"), found, None


_LIMITS = {
    "greater_than": lambda ctx: tr("greater than {limit}", limit=_number(ctx.get("gt"))),
    "greater_than_equal": lambda ctx: tr("at least {limit}", limit=_number(ctx.get("ge"))),
    "less_than": lambda ctx: tr("less than {limit}", limit=_number(ctx.get("lt"))),
    "less_than_equal": lambda ctx: tr("at most {limit}", limit=_number(ctx.get("le"))),
}
_TYPES = {
    "float_parsing": lambda: (tr("not a number"), tr("a number")),
    "float_type": lambda: (tr("not a number"), tr("a number")),
    "int_parsing": lambda: (tr("not a whole number"), tr("a whole number")),
    "int_type": lambda: (tr("not a whole number"), tr("a whole number")),
    "int_from_float": lambda: (tr("not a whole number"), tr("a whole number")),
    "string_type": lambda: (tr("not text"), tr("text (quote it if YAML reads it otherwise)")),
    "bool_type": lambda: (tr("yes/no value expected"), tr("true or false")),
    "bool_parsing": lambda: (tr("yes/no value expected"), tr("true or false")),
    "dict_type": lambda: (tr("not a mapping"), tr("keys with values (key: value)")),
    "model_type": lambda: (tr("not a mapping"), tr("keys with values (key: value)")),
    "model_attributes_type": lambda: (tr("not a mapping"), tr("keys with values (key: value)")),
    "list_type": lambda: (tr("not a list"), tr("a list: [a, b] or lines starting with '- '")),
    "tuple_type": lambda: (tr("not a list"), tr("a list: [a, b] or lines starting with '- '")),
}


_MAPPING_TYPES = ("dict_type", "model_type", "model_attributes_type")


def _names_a_method(loc: tuple) -> bool:
    """``loc`` is an indicator's ``method`` or one of its ``alternatives``."""
    return bool(loc) and (loc[-1] == "method" or (len(loc) > 1 and loc[-2] == "alternatives"))


def _found(value: Any) -> str | None:
    """What the file holds: a scalar as Python shows it (``-5``, ``'abc'``), a mapping or list described."""
    if isinstance(value, dict):
        return tr("a mapping")
    if isinstance(value, (list, tuple)):
        return tr("a list")
    if value is None:
        return tr("nothing (an empty value)")
    return repr(value)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _choices(expected: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` in the interface language."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    if len(values) < 2:
        return expected
    quoted = [f"'{v}'" for v in values]
    return tr("{items} or {last}", items=tr(", ").join(quoted[:-1]), last=quoted[-1])


def _id_rule(pattern: str) -> str:
    if "A-Za-z" in pattern:
        return tr("letters a-z, digits, '_' or '-', starting with a letter or '_'")
    return tr("letters (Chinese is fine), digits and '_', not starting with a digit")


# --- unknown keys ------------------------------------------------------------------------


def _unknown_key(loc: tuple, data: dict) -> tuple[str, str | None, str | None]:
    allowed = allowed_keys(loc[:-1], data)
    if not allowed:
        return tr("unknown key"), None, None
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    message = tr("unknown key; did you mean '{key}'?", key=close[0]) if close else tr("unknown key")
    return message, None, tr("one of: {names}", names=tr(", ").join(allowed))


def allowed_keys(loc: tuple, data: dict) -> list[str]:
    """The keys the rule file may write in the mapping at ``loc`` (empty when not known)."""
    from .models import METHOD_MODELS, RuleFile

    options: list = [RuleFile]
    value: Any = data
    for part in loc:
        model, element = _pick(options, value, METHOD_MODELS)
        if element is not None:
            options = _flatten(element)
        elif model is not None and part in model.model_fields:
            options = _flatten(model.model_fields[part].annotation)
        else:
            return []
        value = _child(value, part)
    model, _ = _pick(options, value, METHOD_MODELS)
    return list(model.model_fields) if model is not None else []


def _flatten(annotation) -> list:
    """The alternatives of an annotation: Annotated and Optional/Union taken apart."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _flatten(get_args(annotation)[0])
    if origin is Union or type(annotation).__name__ == "UnionType":
        return [option for arg in get_args(annotation) for option in _flatten(arg)]
    return [annotation]


def _pick(options: list, value: Any, method_models: dict) -> tuple[type | None, Any]:
    """(the model the mapping ``value`` is read as, or the element type of a list/dict container)."""
    for option in options:
        origin = get_origin(option)
        if origin in (list, tuple) and isinstance(value, list):
            return None, get_args(option)[0]
        if origin is dict and isinstance(value, dict):
            return None, get_args(option)[-1]
    models = [o for o in options if isinstance(o, type) and hasattr(o, "model_fields")]
    if len(models) > 1 and isinstance(value, dict):
        chosen = method_models.get(method_names.resolve(value.get("type")) or "")
        return (chosen if chosen in models else None), None
    return (models[0] if models else None), None


def _child(value: Any, part: Any) -> Any:
    if isinstance(value, dict):
        return value.get(part, value.get(str(part)))
    if isinstance(value, list) and isinstance(part, int) and part < len(value):
        return value[part]
    return None


# --- an expression cut at a comma ---------------------------------------------------------


def _comma_cut(loc: tuple, lines) -> tuple[tuple, str, str, list[str], int] | None:
    """When ``loc`` names a key YAML made out of the part after a comma (``{when: max(a, b)}``
    reads as ``when: max(a`` and a key ``b)`` with no value): (the mapping's location, the key
    written before, its value, the keys cut off, its line); else None."""
    parts = [p for p in loc if p != "[key]"]
    if not parts or not hasattr(lines, "node"):
        return None
    parent = lines.node(tuple(parts[:-1]))
    if not isinstance(parent, yaml.MappingNode) or not parent.flow_style:
        return None
    pairs = parent.value
    for i, (key, value) in enumerate(pairs):
        if key.value == str(parts[-1]) and _is_empty(value):
            start = i
            while start > 0 and _is_empty(pairs[start - 1][1]):
                start -= 1
            if start == 0 or not _is_plain_text(pairs[start - 1][1]):
                return None
            before_key, before_value = pairs[start - 1]
            end = start
            while end < len(pairs) and _is_empty(pairs[end][1]):
                end += 1
            cut_off = [k.value for k, _ in pairs[start:end]]
            return tuple(parts[:-1]), before_key.value, before_value.value, cut_off, before_value.start_mark.line + 1
    return None


def _is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value in ("", "~", "null")


def _is_plain_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and node.tag.endswith(":str")


def _comma_problem(cut: tuple, loc: tuple, path: str) -> Problem:
    parent, key, value, cut_off, line = cut
    field = ".".join(str(p) for p in parent + (key,))
    text = ", ".join([value] + cut_off)
    keys = tr(", ").join(repr(k) for k in cut_off)
    found = tr("{value} and the key {keys}", value=repr(value), keys=keys) if len(cut_off) == 1 else \
        tr("{value} and the keys {keys}", value=repr(value), keys=keys)
    return Problem(tr("the expression contains a comma: put it in quotes"), file=path, line=line, field=field,
                   found=found, expected=tr("e.g. {example}", example=f'{key}: "{text}"'))


# --- locations ----------------------------------------------------------------------------


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
