"""A per-user cache of validated rule files, so that an unchanged file is not parsed or validated again.

:func:`scoring.api.assessment.load_assessment` asks :func:`lookup` first. An entry holds what
parsing and validation produced from one rule file: the validated model tree (every field value,
and which fields the file set) and the YAML node tree reduced to what line numbers need (each
node's line, the keys of mappings, the items of lists, the text of scalars). On a hit the
assessment is compiled from these exactly as from a freshly read file (names, expressions, order
of work, cross-checks), and neither PyYAML nor pydantic is needed for it.

What a hit gives:

* ``spec`` is a tree of :class:`CachedModel` objects, twins of the pydantic models of
  :mod:`scoring.api.models`: same class names, field values (types included: tuples stay tuples,
  integers integers), ``model_fields_set``, ``==``, ``model_dump`` / ``model_copy`` / ``copy``,
  attribute assignment, and the properties of the models (``title``, ``is_group``,
  ``full_score``: the same functions of :mod:`scoring.api.properties` the models use); anything
  else a pydantic model offers (``model_dump_json``, ``model_dump(exclude_defaults=True)``, a
  property not in :mod:`scoring.api.properties`) is answered by the real model,
  built on demand with ``model_construct`` (no validation).
* ``lines`` is a :class:`CachedLineMap`: ``line(loc)`` and ``source(loc)`` give what
  :class:`scoring.api.loader.LineMap` gives; ``node()``/``root`` parse the file again on demand.

The entry is JSON (a header line, then the payload): loading it executes nothing and builds no
object but plain data and the twins above, whatever the file holds. An entry is used only if its
header names this format, this zonescore version, this Python and the same code (the modules
of this package as installed, and the installed pydantic and PyYAML versions), the SHA-256
of the payload matches, and every part has the expected shape; anything else (corrupt,
truncated, foreign, edited) is ignored and rewritten. On POSIX the cache directory and the entry
must belong to the user and not be writable by others. Writing is atomic (temporary file, then
rename) and any failure to write is silent: the cache never changes a result or an error, it
only saves work. Only files that loaded without a problem are cached.

Where: ``$ZONESCORE_CACHE_DIR`` if set; else ``%LOCALAPPDATA%\\zonescore\\cache`` on Windows,
``$XDG_CACHE_HOME/zonescore`` or ``~/.cache/zonescore`` elsewhere. ``ZONESCORE_CACHE=off``
disables it. At most :data:`MAX_ENTRIES` entries are kept (the oldest are removed).

This module imports only the standard library (``json``, ``hashlib``, ``os``) at load time.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any

from .. import __version__
from . import properties

FORMAT = 1
"""Version of the entry layout; part of every entry's key."""
MAX_ENTRIES = 256
"""Entries kept in the cache directory; writing one more removes the oldest."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""Entries larger than this are ignored (a valid rule file gives far less)."""
SUFFIX = ".rules.json"
_OFF = ("off", "0", "no", "false", "disabled")
_VERSION_FILES = (("pydantic", "version.py"), ("yaml", "__init__.py"))
_MODELS = "scoring.api.models"


class CacheError(Exception):
    """An entry that cannot be used; never leaves this module."""


# --- where -----------------------------------------------------------------------------------


def enabled() -> bool:
    return os.environ.get("ZONESCORE_CACHE", "").strip().lower() not in _OFF


def cache_dir() -> str | None:
    """The cache directory (which may not exist yet), or None when the cache is off or has no place."""
    if not enabled():
        return None
    explicit = os.environ.get("ZONESCORE_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    try:
        if os.name == "nt":
            base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
            return os.path.join(base, "zonescore", "cache")
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    except Exception:  # no home directory
        return None
    if not os.path.isabs(base):  # ~ could not be expanded
        return None
    return os.path.join(base, "zonescore")


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no owners)."""
    if not hasattr(os, "geteuid"):
        return True
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


_ENVIRONMENT: list[str] = []


def environment() -> str:
    """What else an entry depends on besides the rule file: this code and the libraries that validate.

    The size and modification time of every module of the package (any edit or reinstall makes
    new entries; 0.2 ms for some 50 files), the Python version, and the text of the pydantic
    and PyYAML version files (read, not imported).
    """
    if _ENVIRONMENT:
        return _ENVIRONMENT[0]
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.implementation.name}|{sys.version}".encode())
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for name, size, mtime in sorted(_modules(package, "")):
        digest.update(f"\0{name}|{size}|{mtime}".encode())
    for name, file in _VERSION_FILES:
        digest.update(b"\0" + name.encode() + b"\0" + _read_or_empty(_package_file(name, file)))
    _ENVIRONMENT.append(digest.hexdigest())
    return _ENVIRONMENT[0]


def _modules(directory: str, prefix: str) -> list[tuple[str, int, int]]:
    found = []
    with os.scandir(directory) as listing:
        for item in listing:
            if item.is_dir(follow_symlinks=False):
                if item.name != "__pycache__":
                    found += _modules(item.path, f"{prefix}{item.name}/")
            elif item.name.endswith(".py"):
                st = item.stat()
                found.append((prefix + item.name, st.st_size, st.st_mtime_ns))
    return found


def _read_or_empty(path: str | None) -> bytes:
    try:
        with open(path, "rb") as handle:  # type: ignore[arg-type]
            return handle.read()
    except (OSError, TypeError):
        return b""


def _package_file(package: str, file: str) -> str | None:
    """A file of an installed package, found without importing it (the import system's first match)."""
    module = sys.modules.get(package)
    if module is not None and getattr(module, "__file__", None):
        return os.path.join(os.path.dirname(module.__file__), file)
    for entry in sys.path:
        candidate = os.path.join(entry or os.getcwd(), package, file)
        if os.path.isfile(candidate):
            return candidate
    return None


def _entry_name(sha256: str) -> str:
    return f"{sha256[:32]}-{environment()[:16]}{SUFFIX}"


# --- reading ----------------------------------------------------------------------------------


def lookup(path) -> tuple[Any, "CachedLineMap", str] | None:
    """``(spec, lines, sha256)`` of the rule file at ``path`` from the cache, or None (a miss).

    Only a regular file is looked up (a pipe is read once, by the normal path). Never raises.
    """
    directory = cache_dir()
    if directory is None:
        return None
    try:
        path_text = os.fspath(path)
        st = os.stat(path_text)
        if not _is_regular(st):
            return None
        with open(path_text, "rb") as handle:
            raw = handle.read()
        sha256 = hashlib.sha256(raw).hexdigest()
        entry = _read_entry(directory, sha256)
        if entry is None:
            return None
        spec, tree = _decode(entry)
        return spec, CachedLineMap(tree, raw, str(path)), sha256
    except Exception:  # unreadable, corrupt, truncated, foreign, edited: a miss
        return None


def _is_regular(st: os.stat_result) -> bool:
    import stat

    return stat.S_ISREG(st.st_mode)


def _read_entry(directory: str, sha256: str) -> dict | None:
    """The payload of the entry for ``sha256``, checked against its header; None if absent."""
    try:
        if not _private(os.stat(directory)):
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(os.path.join(directory, _entry_name(sha256)), flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not _is_regular(st) or not _private(st) or st.st_size > MAX_ENTRY_BYTES:
            raise CacheError("not a private regular file of a sensible size")
        data = handle.read()
    head, newline, body = data.partition(b"\n")
    if not newline:
        raise CacheError("no header")
    header = json.loads(head)
    expected = _header(sha256, body)
    if not isinstance(header, dict) or header != expected:
        raise CacheError("another version, another file, or a changed payload")
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise CacheError("payload is not an object")
    return payload


def _header(sha256: str, body: bytes) -> dict:
    return {"zonescore-rule-cache": FORMAT, "version": __version__, "environment": environment(),
            "rules_sha256": sha256, "payload_sha256": hashlib.sha256(body).hexdigest(), "payload_bytes": len(body)}


# --- writing ----------------------------------------------------------------------------------


def store(assessment, raw: bytes) -> None:
    """Save the validated form of a rule file just loaded without problems. Silent on any failure."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        body = json.dumps(encode(assessment.spec, assessment.lines), ensure_ascii=True, allow_nan=False,
                          separators=(",", ":")).encode("ascii")
        sha256 = hashlib.sha256(raw).hexdigest()
        head = json.dumps(_header(sha256, body), separators=(",", ":")).encode("ascii")
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _private(os.stat(directory)):
            return
        _write_atomic(directory, _entry_name(sha256), head + b"\n" + body)
        _evict(directory)
    except Exception:  # read-only or full disk, no home, an unexpected value: no cache, same result
        return


def _write_atomic(directory: str, name: str, data: bytes) -> None:
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, os.path.join(directory, name))
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _evict(directory: str) -> None:
    """Keep the newest :data:`MAX_ENTRIES` entries; remove temporary files left for an hour."""
    import time

    entries, now = [], time.time()
    with os.scandir(directory) as listing:
        for item in listing:
            try:
                if item.name.endswith(SUFFIX):
                    entries.append((item.stat().st_mtime, item.path))
                elif item.name.endswith(".tmp") and now - item.stat().st_mtime > 3600:
                    os.unlink(item.path)
            except OSError:
                continue
    for _, old in sorted(entries)[:max(0, len(entries) - MAX_ENTRIES)]:
        try:
            os.unlink(old)
        except OSError:
            pass


def clear() -> int:
    """Remove every entry of the cache directory; returns how many were removed."""
    directory = cache_dir()
    removed = 0
    if directory is None or not os.path.isdir(directory):
        return 0
    for name in os.listdir(directory):
        if name.endswith(SUFFIX):
            try:
                os.unlink(os.path.join(directory, name))
                removed += 1
            except OSError:
                pass
    return removed


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
                raise CacheError(f"unexpected type {type(item).__name__}")
            return item
        if isinstance(item, BaseModel):
            cls = type(item)
            if cls.__module__ != _MODELS:
                raise CacheError(f"unexpected model {cls.__name__}")
            name = cls.__name__
            if name not in classes:
                classes[name] = _describe(cls)
            fields = classes[name]["fields"]
            if list(item.__dict__) != fields or item.model_extra:
                raise CacheError(f"unexpected attributes on {name}")
            return {"m": name, "v": [value(item.__dict__[f]) for f in fields],
                    "s": [f for f in fields if f in item.model_fields_set]}
        if type(item) is list:
            return {"l": [value(x) for x in item]}
        if type(item) is tuple:
            return {"t": [value(x) for x in item]}
        if type(item) is dict:
            return {"d": [[value(k), value(v)] for k, v in item.items()]}
        raise CacheError(f"unexpected type {type(item).__name__}")

    root = value(spec)
    if root.get("m") != "RuleFile":
        raise CacheError("not a rule file")
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
                raise CacheError("scalar without text")
            out = [line, node.value]
        elif isinstance(node, yaml.SequenceNode):
            out = [line, [visit(child) for child in node.value]]
        elif isinstance(node, yaml.MappingNode):
            keys: dict[str, list] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node.value, str):
                    raise CacheError("a key that is not a scalar")
                if key_node.value not in keys:
                    keys[key_node.value] = visit(value_node)
            out = [line, keys]
        else:
            raise CacheError("unknown node")
        done[key] = out
        return out

    if root is None:
        raise CacheError("no document")
    return visit(root)


# --- decoding: JSON data to twins; nothing but data is ever built --------------------------------


def _decode(payload: dict) -> tuple["CachedModel", list]:
    classes = payload.get("classes")
    if not isinstance(classes, dict):
        raise CacheError("no classes")
    twins = {name: _twin_class(name, info) for name, info in classes.items()}

    def value(item):
        if item is None or isinstance(item, (bool, int, float, str)):
            return item
        if not isinstance(item, dict) or len(item) not in (1, 3):
            raise CacheError("unexpected value")
        if len(item) == 3:
            name, values, fields_set = item.get("m"), item.get("v"), item.get("s")
            cls = twins.get(name) if isinstance(name, str) else None
            if cls is None or not isinstance(values, list) or not isinstance(fields_set, list) \
                    or len(values) != len(cls._fields):
                raise CacheError("unexpected model")
            if not set(fields_set) <= set(cls._fields):
                raise CacheError("unexpected field")
            return _new(cls, dict(zip(cls._fields, map(value, values))), set(fields_set))
        (tag, items), = item.items()
        if not isinstance(items, list):
            raise CacheError("unexpected container")
        if tag == "l":
            return [value(x) for x in items]
        if tag == "t":
            return tuple(value(x) for x in items)
        if tag == "d":
            if not all(isinstance(pair, list) and len(pair) == 2 for pair in items):
                raise CacheError("unexpected mapping")
            return {value(k): value(v) for k, v in items}
        raise CacheError("unknown tag")

    spec = value(payload.get("spec"))
    if type(spec).__name__ != "RuleFile" or not isinstance(spec, CachedModel):
        raise CacheError("not a rule file")
    tree = payload.get("lines")
    _check_nodes(tree)
    return spec, tree


def _check_nodes(tree) -> None:
    stack = [tree]
    while stack:
        node = stack.pop()
        if not (isinstance(node, list) and len(node) == 2 and type(node[0]) is int):
            raise CacheError("unexpected node")
        body = node[1]
        if isinstance(body, list):
            stack.extend(body)
        elif isinstance(body, dict):
            stack.extend(body.values())
        elif not isinstance(body, str):
            raise CacheError("unexpected node")


def _twin_class(name: str, info) -> type:
    if not (isinstance(name, str) and name.isidentifier() and isinstance(info, dict)):
        raise CacheError("unexpected class")
    fields, extras, native = info.get("fields"), info.get("extras"), info.get("native")
    for names in (fields, extras, native):
        if not (isinstance(names, list) and all(isinstance(n, str) and n.isidentifier() for n in names)):
            raise CacheError("unexpected class")
    if not set(native) <= set(extras) or set(fields) & set(extras):
        raise CacheError("unexpected class")
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
            raise AttributeError(f"no model named {type(self).__name__}")
        values = {name: _to_models(value) for name, value in self.__dict__.items()}
        return cls.model_construct(_fields_set=set(self._fields_set), **values)

    def __getattr__(self, name: str):
        if name in type(self)._extras or (name.startswith("model_") and name != "model_fields_set") \
                or name in _PYDANTIC_API:
            return getattr(self.to_model(), name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name: str, value) -> None:
        if name not in self.__dict__:
            raise ValueError(f'"{type(self).__name__}" object has no field "{name}"')
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


def _dump(twin: CachedModel, include, exclude, exclude_unset: bool, exclude_none: bool) -> dict:
    def value(item):
        if isinstance(item, CachedModel):
            return _dump(item, None, None, exclude_unset, exclude_none)
        if type(item) is list:
            return [value(x) for x in item]
        if type(item) is tuple:
            return tuple(value(x) for x in item)
        if type(item) is dict:
            return {k: value(v) for k, v in item.items()}
        return item

    out = {}
    for name, item in twin.__dict__.items():
        if (include is not None and name not in include) or (exclude is not None and name in exclude):
            continue
        if (exclude_unset and name not in twin._fields_set) or (exclude_none and item is None):
            continue
        out[name] = value(item)
    return out


def _to_models(item):
    if isinstance(item, CachedModel):
        return item.to_model()
    if type(item) is list:
        return [_to_models(x) for x in item]
    if type(item) is tuple:
        return tuple(_to_models(x) for x in item)
    if type(item) is dict:
        return {k: _to_models(v) for k, v in item.items()}
    return item


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
