"""Command help and click's own words in the interface language (scoring.messages).

Help texts are written in English in the decorators and translated when help is shown, so one
process can print help in either language (the language is chosen before parsing, see
``cli.ZonescoreGroup.main``). Click's own words ("Usage:", "Options:", "No such option ...")
come from click's gettext calls, which :func:`translate_click` routes to the same catalogue.
Help is laid out in display cells (:class:`cli_commands.helpformat.CellHelpFormatter`), so that
it fits the terminal in Chinese as in English.
"""
from __future__ import annotations

import inspect
import re

import click

from scoring.messages import language, tr

from .helpformat import CellHelpFormatter, shorten


class HelpContext(click.Context):
    """A click context whose help and usage lines are measured in display cells."""

    formatter_class = CellHelpFormatter


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
        record = _translated(self, "help", lambda: super(Option, self).get_help_record(ctx))
        if record is None or language() != "zh":
            return record
        spec, text = record
        # click adds "  [default: ...]" with half-width brackets; Chinese help uses full-width ones
        head, bracket, extra = text.rpartition("  [")
        if bracket and extra.endswith("]"):
            text = f"{head}［{extra[:-1]}］"
        return spec, text

    def make_metavar(self, ctx) -> str:
        return tr(super().make_metavar(ctx))


class TranslatedHelp:
    """For a click command or group: help text, usage line and help option in the interface
    language, laid out in display cells."""

    context_class = HelpContext

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [tr(piece) for piece in super().collect_usage_pieces(ctx)]

    def format_help_text(self, ctx, formatter):
        return _translated(self, "help", lambda: super(TranslatedHelp, self).format_help_text(ctx, formatter))

    def get_help_option(self, ctx):
        """click's -h/--help, made once per command: its help follows the language of each call."""
        help_option = super().get_help_option(ctx)
        if help_option is not None:
            help_option.help = tr("Show this message and exit.")
        return help_option


class Command(TranslatedHelp, click.Command):
    """A click command whose help, usage line and one-line summary in the command list are
    translated, and laid out in display cells."""

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first line of the (translated) help in at most ``limit`` display cells, cut at a
        word or between Chinese characters (with "…") only if it is longer."""
        return shorten(tr(inspect.cleandoc(self.short_help or self.help or "")), limit)


def command(*args, **kwargs):
    """``click.command`` with translated help; the command module lists it in ``COMMANDS``."""
    kwargs.setdefault("cls", Command)
    return click.command(*args, **kwargs)


def option(*args, **kwargs):
    kwargs.setdefault("cls", Option)
    return click.option(*args, **kwargs)


_CLICK_TYPES = re.compile(r"(?<=有效的)(integer|float)\b")  # click's type names, not translated by click
_QUOTED = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"")


def chinese_punctuation(message: str) -> str:
    """A message click built from Chinese words with English punctuation, in Chinese punctuation:
    quoted values in “”, a list of them joined with 、, no space after 。？ or before “, and 。 for a
    final full stop after Chinese."""
    text = _QUOTED.sub(lambda m: f"“{m.group(1) if m.group(1) is not None else m.group(2)}”", message)
    text = text.replace("”, “", "”、“")
    text = re.sub(r"(?<=[。？！：]) +", "", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff]) +(?=“)", "", text)
    return re.sub(r"(?<=[”\u4e00-\u9fff）])\.(?=\s|$)", "。", text)


def polish_usage_error(error: click.ClickException) -> click.ClickException:
    """``error`` with its message in Chinese punctuation when the interface speaks Chinese."""
    if language() != "zh" or isinstance(error, click.exceptions.NoArgsIsHelpError):  # that one is the help
        return error
    if isinstance(error, click.MissingParameter) and isinstance(error.param, click.Argument) \
            and error.param_hint is None and error.ctx is not None:
        error.param_hint = repr(tr(error.param.make_metavar(error.ctx)))  # as in the usage line
    message = error.format_message
    error.format_message = lambda: chinese_punctuation(_CLICK_TYPES.sub(lambda m: tr(m.group()), message()))
    return error


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
