"""zonescore command line: one click group assembled from the command modules in ``cli_commands``.

All logic lives in the ``scoring`` package; every command is a thin wrapper, and every library
error (:class:`scoring.errors.ZonescoreError`) becomes a clean message and exit code in one place
(:class:`ZonescoreGroup`). The interface language (``--lang zh|en``, ``ZONESCORE_LANG``, the
locale) is chosen before the arguments are parsed, so that help and click's own errors speak it.
"""
from __future__ import annotations

import inspect
import os
import sys

# pydantic scans installed packages for plugins on first use (~10 ms of start-up); we use none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import click  # noqa: E402

from scoring import __version__  # noqa: E402
from scoring.errors import ZonescoreError  # noqa: E402
from scoring.messages import LANGUAGES, set_language, tr  # noqa: E402

from cli_commands import annual, serve, tuning  # noqa: E402
from cli_commands.i18n import Command, Option, translate_click  # noqa: E402

COMMAND_MODULES = (annual, tuning, serve)


def language_argument(args: list[str]) -> str | None:
    """The value of the last ``--lang X`` / ``--lang=X`` in ``args`` (wherever it stands), or None."""
    value = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    return value


class ZonescoreGroup(click.Group):
    """Chooses the language, then turns library errors into ``Error: ...`` on stderr and a non-zero
    exit, without a traceback."""

    command_class = Command

    def main(self, args=None, *rest, **kwargs):
        argv = list(sys.argv[1:] if args is None else args)
        set_language(language_argument(argv))
        return super().main(argv, *rest, **kwargs)

    def format_help_text(self, ctx, formatter):
        original = self.help
        self.help = tr(inspect.cleandoc(original))
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ZonescoreError as error:
            click.echo(tr("Error: {message}", message=error), err=True)
            ctx.exit(error.exit_code)


def version_option(func):
    def show(ctx, _param, value):
        if value and not ctx.resilient_parsing:
            click.echo(f"zonescore, version {__version__}")
            ctx.exit()
    return click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=show, cls=Option,
                        help="Show the version and exit.")(func)


def lang_param() -> click.Option:
    return Option(["--lang"], type=click.Choice(LANGUAGES), default=None, expose_value=False,
                  help="Interface language [default: ZONESCORE_LANG, else the locale].")


def lang_option(func):
    """``--lang``: read before parsing (ZonescoreGroup.main); declared so that help lists it."""
    click.decorators._param_memo(func, lang_param())
    return func


translate_click()


@click.group(cls=ZonescoreGroup, context_settings={"help_option_names": ["-h", "--help"]})
@version_option
@lang_option
def main() -> None:
    """Score, rank and classify assessment units from a YAML rule file."""


for _module in COMMAND_MODULES:
    for _command in _module.COMMANDS:
        _command.params.append(lang_param())
        main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
