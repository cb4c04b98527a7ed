"""The data inside a rule-file cache entry: validated models and YAML nodes as JSON, and back.

:func:`encode` turns a validated :class:`scoring.api.models.RuleFile` and its YAML node tree into
plain JSON data; :func:`decode` turns that data into :class:`CachedModel` twins of the models and
a :class:`CachedLineMap`, building nothing but data whatever the entry holds (anything of an
unexpected shape raises :class:`CacheError`). :mod:`scoring.api.cache` stores and finds entries.
Standard library only at load time.
"""
from __future__ import annotations

from typing import Any

from ..messages import tr
from . import properties

_MODELS = "scoring.api.models"


class CacheError(Exception):
    """An entry that cannot be used; never leaves the cache (the entry is ignored and rewritten).

    Its ``reason`` is for whoever debugs the cache and is never shown to a user, so it is not
    translated (and is given by keyword, so that it is not mistaken for a user's message)."""

    def __init__(self, *, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- encoding: validated models and YAML nodes to JSON data -------------------------------------
#
# Values: None, bool, int, float, str as themselves; a list {"l": [...]}, a tuple {"t": [...]},
# a dict {"d": [[key, value], ...]}, a model {"m": class, "v": [field values in class order],
# "s": [names of the fields the file set]}. Classes: {name: {"fields": [...], "extras": [...],
# "native": [...]}} where extras are the model's own public attributes besides its fields and
# native those of them this module may compute itself. YAML nodes: [line, text] for a scalar,
# [line, [items]] for a list, [line, {key: node}] for a mapping (the first of repeated keys).


def encode(spec, lines) -> dict:
    """The payload for a validated :class:`RuleFile` and the :class:`LineMap` it was read with."""
    from pydantic import BaseModel

    classes: dict[str, dict] = {}

    def value(item):
        if item is None or isinstance(item, (bool, int, float, str)):
            if type(item) not in (type(None), bool, int, float, str):
                raise CacheError(reason=f"unexpected type {type(item).__name__}")
            return item
        if isinstance(item, BaseModel):
            cls = type(item)
            if cls.__module__ != _MODELS:
                raise CacheError(reason=f"unexpected model {cls.__name__}")
            name = cls.__name__
            if name not in classes:
                classes[name] = _describe(cls)
            fields = classes[name]["fields"]
            if list(item.__dict__) != fields or item.model_extra:
                raise CacheError(reason=f"unexpected attributes on {name}")
            return {"m": name, "v": [value(item.__dict__[f]) for f in fields],
                    "s": [f for f in fields if f in item.model_fields_set]}
        if type(item) is list:
            return {"l": [value(x) for x in item]}
        if type(item) is tuple:
            return {"t": [value(x) for x in item]}
        if type(item) is dict:
            return {"d": [[value(k), value(v)] for k, v in item.items()]}
        raise CacheError(reason=f"unexpected type {type(item).__name__}")

    root = value(spec)
    if root.get("m") != "RuleFile":
        raise CacheError(reason="not a rule file")
    return {"classes": classes, "spec": root, "lines": _encode_nodes(lines.root)}


def _describe(cls) -> dict:
    from pydantic import BaseModel

    fields = list(cls.model_fields)
    extras = []
    for klass in cls.__mro__:
        if klass is BaseModel:
            break
        for name in vars(klass):
            if not name.startswith("_") and not name.startswith("model_") and name not in fields \
                    and name not in extras:
                extras.append(name)
    native = [name for name in extras if name in _NATIVE]
    return {"fields": fields, "extras": extras, "native": native}


def _encode_nodes(root) -> list:
    import yaml

    done: dict[int, list] = {}

    def visit(node) -> list:
        key = id(node)
        if key in done:
            return done[key]  # an alias: the same node again
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            if not isinstance(node.value, str):
                raise CacheError(reason="scalar without text")
            out = [line, node.value]
        elif isinstance(node, yaml.SequenceNode):
            out = [line, [visit(child) for child in node.value]]
        elif isinstance(node, yaml.MappingNode):
            keys: dict[str, list] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node.value, str):
                    raise CacheError(reason="a key that is not a scalar")
                if key_node.value not in keys:
                    keys[key_node.value] = visit(value_node)
            out = [line, keys]
        else:
            raise CacheError(reason="unknown node")
        done[key] = out
        return out

    if root is None:
        raise CacheError(reason="no document")
    return visit(root)


# --- decoding: JSON data to twins; nothing but data is ever built --------------------------------


def decode(payload: dict) -> tuple["CachedModel", list]:
    classes = payload.get("classes")
    if not isinstance(classes, dict):
        raise CacheError(reason="no classes")
    twins = {name: _twin_class(name, info) for name, info in classes.items()}

    def value(item):
        if item is None or isinstance(item, (bool, int, float, str)):
            return item
        if not isinstance(item, dict) or len(item) not in (1, 3):
            raise CacheError(reason="unexpected value")
        if len(item) == 3:
            name, values, fields_set = item.get("m"), item.get("v"), item.get("s")
            cls = twins.get(name) if isinstance(name, str) else None
            if cls is None or not isinstance(values, list) or not isinstance(fields_set, list) \
                    or len(values) != len(cls._fields):
                raise CacheError(reason="unexpected model")
            if not set(fields_set) <= set(cls._fields):
                raise CacheError(reason="unexpected field")
            return _new(cls, dict(zip(cls._fields, map(value, values))), set(fields_set))
        (tag, items), = item.items()
        if not isinstance(items, list):
            raise CacheError(reason="unexpected container")
        if tag == "l":
            return [value(x) for x in items]
        if tag == "t":
            return tuple(value(x) for x in items)
        if tag == "d":
            if not all(isinstance(pair, list) and len(pair) == 2 for pair in items):
                raise CacheError(reason="unexpected mapping")
            return {value(k): value(v) for k, v in items}
        raise CacheError(reason="unknown tag")

    spec = value(payload.get("spec"))
    if type(spec).__name__ != "RuleFile" or not isinstance(spec, CachedModel):
        raise CacheError(reason="not a rule file")
    tree = payload.get("lines")
    _check_nodes(tree)
    return spec, tree


def _check_nodes(tree) -> None:
    stack = [tree]
    while stack:
        node = stack.pop()
        if not (isinstance(node, list) and len(node) == 2 and type(node[0]) is int):
            raise CacheError(reason="unexpected node")
        body = node[1]
        if isinstance(body, list):
            stack.extend(body)
        elif isinstance(body, dict):
            stack.extend(body.values())
        elif not isinstance(body, str):
            raise CacheError(reason="unexpected node")


def _twin_class(name: str, info) -> type:
    if not (isinstance(name, str) and name.isidentifier() and isinstance(info, dict)):
        raise CacheError(reason="unexpected class")
    fields, extras, native = info.get("fields"), info.get("extras"), info.get("native")
    for names in (fields, extras, native):
        if not (isinstance(names, list) and all(isinstance(n, str) and n.isidentifier() for n in names)):
            raise CacheError(reason="unexpected class")
    if not set(native) <= set(extras) or set(fields) & set(extras):
        raise CacheError(reason="unexpected class")
    namespace: dict[str, Any] = {"__slots__": (), "_fields": tuple(fields), "_extras": frozenset(extras),
                                 "__module__": __name__, "__qualname__": name}
    for extra in native:
        if extra in _NATIVE:
            namespace[extra] = property(_NATIVE[extra])
    return type(name, (CachedModel,), namespace)


def _new(cls: type, values: dict, fields_set: set) -> "CachedModel":
    twin = object.__new__(cls)
    object.__setattr__(twin, "__dict__", values)
    object.__setattr__(twin, "_fields_set", fields_set)
    return twin


# The models' computed properties: the same functions the models use (scoring.api.properties).
_NATIVE = properties.BY_NAME


class CachedModel:
    """A validated rule-file model read from the cache, twin of the pydantic model of the same name.

    Fields are ordinary attributes (in ``__dict__``, as in pydantic); ``model_fields_set``,
    ``model_dump``, ``model_copy``, ``==``, ``repr`` and assignment behave as pydantic's do for
    these models. Any other public attribute of the model is answered by the real model (see
    :meth:`to_model`); a name the model does not have raises :class:`AttributeError`.
    """

    __slots__ = ("__dict__", "_fields_set")
    _fields: tuple[str, ...] = ()
    _extras: frozenset[str] = frozenset()

    @property
    def model_fields_set(self) -> set[str]:
        return self._fields_set

    def to_model(self):
        """The pydantic model with the same values and fields set (``model_construct``: no validation)."""
        import importlib

        models = importlib.import_module(_MODELS)
        cls = getattr(models, type(self).__name__, None)
        if not (isinstance(cls, type) and cls.__module__ == _MODELS and hasattr(cls, "model_construct")):
            raise AttributeError(tr("no model named {name}", name=type(self).__name__))
        values = {name: _to_models(value) for name, value in self.__dict__.items()}
        return cls.model_construct(_fields_set=set(self._fields_set), **values)

    def __getattr__(self, name: str):
        if name in type(self)._extras or (name.startswith("model_") and name != "model_fields_set") \
                or name in _PYDANTIC_API:
            return getattr(self.to_model(), name)
        raise AttributeError(tr("{model} object has no attribute {name}", model=repr(type(self).__name__),
                                name=repr(name)))

    def __setattr__(self, name: str, value) -> None:
        if name not in self.__dict__:
            raise ValueError(tr('"{model}" object has no field "{name}"', model=type(self).__name__, name=name))
        self.__dict__[name] = value
        self._fields_set.add(name)

    def __eq__(self, other) -> bool:
        if isinstance(other, CachedModel):
            return type(self).__name__ == type(other).__name__ and self.__dict__ == other.__dict__
        if type(other).__module__ == _MODELS and hasattr(type(other), "__pydantic_fields__"):
            return type(other).__name__ == type(self).__name__ and not other.model_extra \
                and self.__dict__ == other.__dict__
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  (mutable, as the pydantic models)

    def __iter__(self):
        yield from self.__dict__.items()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._repr_fields(', ')})"

    def __str__(self) -> str:
        return self._repr_fields(" ")

    def _repr_fields(self, separator: str) -> str:
        return separator.join(f"{name}={value!r}" for name, value in self.__dict__.items())

    def __copy__(self) -> "CachedModel":
        return _new(type(self), dict(self.__dict__), set(self._fields_set))

    def __deepcopy__(self, memo: dict | None = None) -> "CachedModel":
        import copy

        memo = {} if memo is None else memo
        twin = _new(type(self), {}, set(self._fields_set))
        memo[id(self)] = twin
        for name, value in self.__dict__.items():
            twin.__dict__[name] = copy.deepcopy(value, memo)
        return twin

    def __reduce__(self):
        return _rebuild, (type(self).__name__, type(self)._fields, sorted(type(self)._extras), dict(self.__dict__),
                          set(self._fields_set))

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> "CachedModel":
        copied = self.__deepcopy__() if deep else self.__copy__()
        if update:
            copied.__dict__.update(update)
            copied._fields_set.update(update.keys())
        return copied

    def model_dump(self, *, mode: str = "python", include=None, exclude=None, exclude_unset: bool = False,
                   exclude_none: bool = False, **options) -> dict:
        """As pydantic's ``model_dump`` in Python mode; other options are answered by the real model."""
        simple = mode == "python" and not any(options.values()) and all(
            names is None or isinstance(names, (set, frozenset)) for names in (include, exclude))
        if not simple:
            return self.to_model().model_dump(mode=mode, include=include, exclude=exclude,
                                              exclude_unset=exclude_unset, exclude_none=exclude_none, **options)
        return _dump(self, include, exclude, exclude_unset, exclude_none)


_PYDANTIC_API = frozenset(("construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
                           "schema", "schema_json", "update_forward_refs", "validate"))


def _map_twins(item, on_twin):
    """``item`` with every twin inside lists, tuples and dicts replaced by ``on_twin(twin)``."""
    if isinstance(item, CachedModel):
        return on_twin(item)
    if type(item) is list:
        return [_map_twins(x, on_twin) for x in item]
    if type(item) is tuple:
        return tuple(_map_twins(x, on_twin) for x in item)
    if type(item) is dict:
        return {k: _map_twins(v, on_twin) for k, v in item.items()}
    return item


def _dump(twin: CachedModel, include, exclude, exclude_unset: bool, exclude_none: bool) -> dict:
    def inner(item: CachedModel) -> dict:
        return _dump(item, None, None, exclude_unset, exclude_none)

    out = {}
    for name, item in twin.__dict__.items():
        if (include is not None and name not in include) or (exclude is not None and name in exclude):
            continue
        if (exclude_unset and name not in twin._fields_set) or (exclude_none and item is None):
            continue
        out[name] = _map_twins(item, inner)
    return out


def _to_models(item):
    return _map_twins(item, lambda twin: twin.to_model())


def _rebuild(name: str, fields, extras, values: dict, fields_set: set) -> CachedModel:
    """Unpickling support (a twin pickles as its class description and values)."""
    native = [extra for extra in extras if extra in _NATIVE]
    cls = _twin_class(name, {"fields": list(fields), "extras": list(extras), "native": native})
    return _new(cls, values, fields_set)


class CachedLineMap:
    """Line numbers of a cached rule file: what :class:`scoring.api.loader.LineMap` answers, from data.

    ``line`` and ``source`` follow the same path rules as the loader's (mapping keys as text,
    list items by integer index); ``node``, ``root`` and anything else parse the file's text
    (kept from the read that found the entry) on first use.
    """

    def __init__(self, tree: list, raw: bytes, path: str):
        self._tree, self._raw, self._path, self._real = tree, raw, path, None

    def _walk(self, loc) -> tuple[list | None, int | None]:
        node, best = self._tree, None
        for key in loc:
            if node is None:
                break
            best = node[0]
            node = self._child(node, key)
        return node, best

    @staticmethod
    def _child(node: list, key) -> list | None:
        body = node[1]
        if isinstance(body, dict):
            return body.get(str(key))
        if isinstance(body, list) and isinstance(key, int) and key < len(body):
            return body[key]
        return None

    def line(self, loc) -> int | None:
        node, best = self._walk(loc)
        return node[0] if node is not None else best

    def source(self, loc) -> str | None:
        node, _ = self._walk(loc)
        return node[1] if node is not None and isinstance(node[1], str) else None

    def real(self):
        """The :class:`LineMap` of a fresh parse of the same text."""
        if self._real is None:
            from .loader import parse_rule_yaml

            self._real = parse_rule_yaml(self._raw.decode("utf-8-sig"), self._path)[1]
        return self._real

    def node(self, loc):
        return self.real().node(loc)

    @property
    def root(self):
        return self.real().root

    def __getattr__(self, name: str):
        if name.startswith("_"):  # never the private state (copying and unpickling look for it)
            raise AttributeError(name)
        return getattr(self.real(), name)
