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
from .cache_entry import CacheError, CachedLineMap, decode, encode

FORMAT = 1
"""Version of the entry layout; part of every entry's key."""
MAX_ENTRIES = 256
"""Entries kept in the cache directory; writing one more removes the oldest."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""Entries larger than this are ignored (a valid rule file gives far less)."""
SUFFIX = ".rules.json"
_OFF = ("off", "0", "no", "false", "disabled")
_VERSION_FILES = (("pydantic", "version.py"), ("yaml", "__init__.py"))


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
        spec, tree = decode(entry)
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
            raise CacheError(reason="not a private regular file of a sensible size")
        data = handle.read()
    head, newline, body = data.partition(b"\n")
    if not newline:
        raise CacheError(reason="no header")
    header = json.loads(head)
    expected = _header(sha256, body)
    if not isinstance(header, dict) or header != expected:
        raise CacheError(reason="another version, another file, or a changed payload")
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise CacheError(reason="payload is not an object")
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
