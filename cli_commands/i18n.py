"""Command help and click's own words in the interface language (scoring.messages).

Help texts are written in English in the decorators and translated when help is shown, so one
process can print help in either language (the language is chosen before parsing, see
``cli.ZonescoreGroup.main``). Click's own words ("Usage:", "Options:", "No such option ...")
come from click's gettext calls, which :func:`translate_click` routes to the same catalogue.
"""
from __future__ import annotations

import inspect

import click

from scoring.messages import tr


def _translated(obj, attr: str, call):
    original = getattr(obj, attr)
    if original:
        setattr(obj, attr, tr(inspect.cleandoc(original)))
    try:
        return call()
    finally:
        setattr(obj, attr, original)


class Option(click.Option):
    """A click option whose help is looked up in the catalogue when shown."""

    def get_help_record(self, ctx):
        return _translated(self, "help", lambda: super(Option, self).get_help_record(ctx))


class Command(click.Command):
    """A click command whose help, and one-line summary in the command list, are translated."""

    def format_help_text(self, ctx, formatter):
        return _translated(self, "help", lambda: super(Command, self).format_help_text(ctx, formatter))

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first line of the (translated) help, never cut mid-phrase."""
        text = tr(inspect.cleandoc(self.short_help or self.help or ""))
        return text.strip().splitlines()[0] if text.strip() else ""


def command(*args, **kwargs):
    """``click.command`` with translated help; the command module lists it in ``COMMANDS``."""
    kwargs.setdefault("cls", Command)
    return click.command(*args, **kwargs)


def option(*args, **kwargs):
    kwargs.setdefault("cls", Option)
    return click.option(*args, **kwargs)


def _click_gettext(message: str) -> str:
    return tr(message)


def _click_ngettext(singular: str, plural: str, count: int) -> str:
    return tr(singular if count == 1 else plural)


def translate_click() -> None:
    """Route click's gettext calls to the catalogue (click has no translation of its own)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        if hasattr(module, "_"):
            module._ = _click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext
