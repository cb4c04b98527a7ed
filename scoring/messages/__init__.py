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
_state = {"lang": None}


def language_from(option: str | None = None, environ=None) -> str:
    """``option`` if given, else ``ZONESCORE_LANG``, else the locale; "zh" or "en"."""
    environ = os.environ if environ is None else environ
    for value in (option, environ.get("ZONESCORE_LANG")):
        if value:
            return normalise(value)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        if environ.get(name):
            return normalise(environ[name])
    return normalise(_system_locale())


def normalise(value: str) -> str:
    """"zh", "zh_CN.UTF-8", "Chinese (Simplified)_China.936", "中文" → "zh"; anything else → "en"."""
    text = value.strip().lower()
    return "zh" if text.startswith(("zh", "chinese", "中")) else "en"


def _system_locale() -> str:
    try:
        return locale.getlocale()[0] or ""
    except (ValueError, TypeError):  # pragma: no cover - broken locale settings
        return ""


def set_language(lang: str | None) -> str:
    """Choose the interface language for this process (``None``: from the environment)."""
    _state["lang"] = normalise(lang) if lang else language_from()
    return _state["lang"]


def language() -> str:
    if _state["lang"] is None:
        set_language(None)
    return _state["lang"]


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
