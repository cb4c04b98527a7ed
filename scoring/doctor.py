"""What this installation has: versions, the condition engine, the interface language, the console,
the external programs for rendering, the cache. ``zonescore doctor`` shows it.

:func:`diagnose` returns facts only (no words): names, versions (None: not installed), paths (None:
not found). Versions come from the installed packages' metadata; whether the rule engine works is
found by importing durable-rules (:func:`scoring.engine.conditions.rule_engine_installed`, the test
``--engine auto`` makes). :func:`chromium_path` and :func:`libreoffice_path` find the programs that
render reports.
"""
from __future__ import annotations

import locale
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata

from . import __version__

LIBRARIES = ("pandas", "numpy", "pydantic", "click", "durable-rules", "openpyxl", "PyYAML", "tabulate",
             "wcwidth")
"""Installed distributions whose versions are reported, in this order (after zonescore)."""

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome", "msedge")
LIBREOFFICE_NAMES = ("soffice", "libreoffice")
_WINDOWS_PLACES = {  # where the Windows installers put them (not on PATH)
    "chromium": (r"Google\Chrome\Application\chrome.exe", r"Microsoft\Edge\Application\msedge.exe",
                 r"Chromium\Application\chrome.exe"),
    "libreoffice": (r"LibreOffice\program\soffice.exe",),
}


@dataclass(frozen=True)
class Diagnosis:
    versions: tuple[tuple[str, str | None], ...]  # zonescore and LIBRARIES: (name, version or None)
    python: str  # e.g. "3.11.2 (CPython, Linux x86_64)"
    engine: str  # what --engine auto uses for an ordinary run: "durable-rules" or "numpy"
    language: str  # "zh" or "en"
    language_source: str  # "--lang", "ZONESCORE_LANG", a locale variable, "locale" or "default"
    language_value: str  # the value found there
    locale: str  # the process locale, e.g. "zh_CN.UTF-8" or "Chinese (Simplified)_China.936"
    preferred_encoding: str  # what files and pipes are written in by default
    console_encoding: str  # what standard output is written in
    utf8_mode: bool  # Python's UTF-8 mode (PYTHONUTF8=1 or -X utf8)
    console_shows_chinese: bool  # whether standard output's encoding can write Chinese
    chromium: str | None
    libreoffice: str | None
    cache_dir: str | None  # None: the cache is off (ZONESCORE_CACHE=off) or has no place


def diagnose(stream=None) -> Diagnosis:
    """The facts about this installation; ``stream``: the output whose encoding counts (stdout)."""
    from .api.cache import cache_dir
    from .engine.conditions import rule_engine_installed
    from .messages import chosen_language

    stream = sys.stdout if stream is None else stream
    lang, source, value = chosen_language()
    encoding = getattr(stream, "encoding", None) or locale.getpreferredencoding(False)
    return Diagnosis(
        versions=(("zonescore", __version__), *((name, installed_version(name)) for name in LIBRARIES)),
        python=f"{platform.python_version()} ({platform.python_implementation()}, {platform.system()} "
               f"{platform.machine()})",
        engine="durable-rules" if rule_engine_installed() else "numpy",
        language=lang, language_source=source, language_value=value,
        locale=process_locale(), preferred_encoding=locale.getpreferredencoding(False),
        console_encoding=encoding, utf8_mode=bool(sys.flags.utf8_mode),
        console_shows_chinese=can_encode("中文：表彰、预警提示", encoding),
        chromium=chromium_path(), libreoffice=libreoffice_path(), cache_dir=cache_dir())


def installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def process_locale() -> str:
    """The locale of this process's character handling, as the system names it (empty if unknown)."""
    try:
        return locale.setlocale(locale.LC_CTYPE)  # a query: the name as set, e.g. "C.UTF-8"
    except locale.Error:  # pragma: no cover - broken locale settings
        return ""


def can_encode(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def find_program(names, windows_key: str | None = None, variable: str | None = None) -> str | None:
    """The path of the first of ``names`` found: ``$variable`` first, then PATH, then (on Windows)
    the usual install folders under Program Files."""
    for name in (os.environ.get(variable) if variable else None, *names):
        path = name and shutil.which(name)
        if path:
            return path
    if os.name == "nt" and windows_key:  # pragma: no cover - Windows only
        for base in filter(None, (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)"),
                                  os.environ.get("LOCALAPPDATA"))):
            for place in _WINDOWS_PLACES[windows_key]:
                if os.path.isfile(os.path.join(base, place)):
                    return os.path.join(base, place)
    return None


def chromium_path() -> str | None:
    """Chromium, Chrome or Edge (``$ZONESCORE_CHROMIUM`` first): renders pages and PDFs."""
    return find_program(CHROMIUM_NAMES, "chromium", "ZONESCORE_CHROMIUM")


def libreoffice_path() -> str | None:
    """LibreOffice's ``soffice`` (``$ZONESCORE_SOFFICE`` first): converts workbooks and documents."""
    return find_program(LIBREOFFICE_NAMES, "libreoffice", "ZONESCORE_SOFFICE")
