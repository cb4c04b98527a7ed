"""The names a rule file may give a scoring method: its id, or its Chinese or English label.

``method: {type: 功效系数法, floor: 0.6}``, ``method: {type: 功效系数, floor: 0.6}`` and
``method: {type: minmax, floor: 0.6}`` are the same method; so are ``method: 百分位计分`` and
``method: {type: percentile}`` (a bare name is short for a mapping with only ``type``, allowed
for the methods that need no other key). The labels are those of :data:`scoring.registry.METHODS`;
a label is also accepted without its ending ``法``/``计分`` (``功效系数``, ``分档``), ignoring case,
spaces, ``-`` and ``_``. A name that two methods could claim is not an alias of either.
"""
from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache

from .. import registry
from ..messages import tr
from .fields import rule_check

_ENDINGS = ("计分法", "计分", "赋分", "法")


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in text if c not in " -_\u3000")


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Normalised name -> method id, for every unambiguous name of every method."""
    claims: dict[str, set[str]] = {}
    for method in registry.METHODS:
        names = {method.name, method.zh, method.en}
        names |= {method.zh[: -len(end)] for end in _ENDINGS
                  if method.zh.endswith(end) and len(method.zh) > len(end) + 1}
        for name in names:
            claims.setdefault(_key(name), set()).add(method.name)
    return {key: next(iter(ids)) for key, ids in claims.items() if len(ids) == 1}


def resolve(name: str) -> str | None:
    """The method id ``name`` stands for, or None."""
    return aliases().get(_key(name)) if isinstance(name, str) else None


def suggestion(name: str) -> str | None:
    """The method name closest to an unknown ``name``, as written in the registry (id or label)."""
    spelled = {}
    for method in registry.METHODS:
        for label in (method.name, method.zh, method.en):
            spelled.setdefault(_key(label), label)
    close = difflib.get_close_matches(_key(str(name)), list(spelled), n=1, cutoff=0.5)
    return spelled[close[0]] if close else None


def listing() -> str:
    """Every method: ``minmax (功效系数法), best_ratio (以最优值为标准), ...``."""
    return tr(", ").join(tr("{name} ({label})", name=m.name, label=m.zh) for m in registry.METHODS)


def required_keys(method_id: str) -> list[str]:
    """The keys besides ``type`` a method cannot do without (``target`` for ``target``)."""
    model = registry.METHOD_BY_NAME[method_id].model
    return [name for name, info in model.model_fields.items() if name != "type" and info.is_required()]


_SAMPLE_VALUES = {"target": "100", "lo": "10", "hi": "60", "points": "x * 2",
                  "bands": "[{at_least: 90, points: 10}, {points: 5}]"}  # by key, for :func:`example`


def example(method_id: str) -> str:
    """A method mapping as a rule file writes it, with its required keys: ``{type: target, target: 100}``."""
    keys = "".join(f", {key}: {_SAMPLE_VALUES.get(key, '…')}" for key in required_keys(method_id))
    return f"{{type: {method_id}{keys}}}"


def unknown(name) -> tuple[str, str, str]:
    """(message, found, expected) for a method name that is no method's."""
    close = suggestion(name)
    message = tr("unknown scoring method; did you mean '{name}'?", name=close) if close else \
        tr("unknown scoring method")
    return message, repr(name), tr("one of: {names}", names=listing())


def method_form(value):
    """A method named by its id or label (:mod:`.method_names`): ``功效系数`` is ``{type: minmax}``,
    ``{type: 目标完成率, target: 100}`` is ``{type: target, target: 100}``."""
    if isinstance(value, str):
        method_id = resolve(value)
        if method_id is None:
            raise rule_check(*unknown(value))
        if required_keys(method_id):
            raise rule_check(tr("method '{name}' needs more keys: write it as a mapping", name=value),
                             found=repr(value), expected=tr("e.g. method: {example}",
                                                            example=example(method_id)))
        return {"type": method_id}
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        method_id = resolve(value["type"])
        if method_id is not None and method_id != value["type"]:
            return {**value, "type": method_id}
    return value
