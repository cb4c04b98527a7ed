"""The interface language and its one message catalogue.

Every sentence zonescore says to a person (errors, validate, progress, notes, command help) is
written in the code in English and wrapped in :func:`tr`, which looks it up in the catalogue
(:mod:`scoring.messages.catalogue`, one table of Chinese translations keyed by the English text,
split into parts by pipeline stage) and fills its ``{placeholders}``::

    raise DataError(tr("{count} rows have no id", count=n), problems)

The language is chosen once per process (the CLI does it before any work):
``--lang zh|en``, else ``ZONESCORE_LANG``, else the locale (``zh_*`` or Windows' "Chinese ..." →
Chinese), else English. Outputs (tables, workbooks, reports) do not follow this: their words
follow the rule file's language (:mod:`scoring.report.words`).

``tests/test_messages.py`` fails when a ``tr("...")`` text has no Chinese entry, when an entry's
placeholders differ from its English text's, or when an error is raised with a bare string.
"""
from __future__ import annotations

import locale
import os

LANGUAGES = ("zh", "en")
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
_state: dict = {"lang": None, "source": None, "value": None}


def language_choice(option: str | None = None, environ=None) -> tuple[str, str, str]:
    """(language, where it came from, the value found there): ``option`` ("--lang") if given, else
    ``ZONESCORE_LANG``, else the first locale variable set (LC_ALL, LC_MESSAGES, LANG, LANGUAGE),
    else the system locale ("locale": Windows' "Chinese (Simplified)_China.936" and the like),
    else English ("default")."""
    environ = os.environ if environ is None else environ
    if option:
        return normalise(option), "--lang", option
    for name in ("ZONESCORE_LANG", *LOCALE_VARIABLES):
        if environ.get(name):
            return normalise(environ[name]), name, environ[name]
    system = _system_locale()
    return (normalise(system), "locale", system) if system else ("en", "default", "")


def language_from(option: str | None = None, environ=None) -> str:
    """``option`` if given, else ``ZONESCORE_LANG``, else the locale; "zh" or "en"."""
    return language_choice(option, environ)[0]


def normalise(value: str) -> str:
    """"zh", "zh_CN.UTF-8", "Chinese (Simplified)_China.936", "中文" → "zh"; anything else → "en"."""
    text = value.strip().lower()
    return "zh" if text.startswith(("zh", "chinese", "中")) else "en"


def _system_locale() -> str:
    """The process locale's name; on Windows, where it may be unset, the user's display language."""
    try:
        name = locale.getlocale()[0] or ""
    except (ValueError, TypeError):  # pragma: no cover - broken locale settings
        name = ""
    if name in ("", "C", "POSIX") and os.name == "nt":  # pragma: no cover - Windows only
        try:
            import ctypes

            name = locale.windows_locale.get(ctypes.windll.kernel32.GetUserDefaultUILanguage(), "")
        except (AttributeError, OSError):
            name = ""
    return name


def set_language(lang: str | None) -> str:
    """Choose the interface language for this process (``None``: from the environment)."""
    chosen = language_choice(lang)
    _state.update(lang=chosen[0], source=chosen[1], value=chosen[2])
    return _state["lang"]


def language() -> str:
    if _state["lang"] is None:
        set_language(None)
    return _state["lang"]


def chosen_language() -> tuple[str, str, str]:
    """The interface language of this process, where it came from and the value found there
    (see :func:`language_choice`)."""
    language()
    return _state["lang"], _state["source"], _state["value"]


def tr(message: str, /, **params) -> str:
    """``message`` in the interface language, its ``{placeholders}`` filled from ``params``."""
    text = message
    if language() == "zh":
        from .catalogue import CATALOGUE

        text = CATALOGUE.get(message, message)
    return text.format(**params) if params else text


def tr_to(lang: str, message: str, /, **params) -> str:
    """``message`` in ``lang`` whatever the interface language (for outputs in the rule file's language)."""
    text = message
    if lang == "zh":
        from .catalogue import CATALOGUE

        text = CATALOGUE.get(message, message)
    return text.format(**params) if params else text
