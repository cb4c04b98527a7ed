"""zonescore command line: one click group assembled from the command modules in ``cli_commands``.

All logic lives in the ``scoring`` package; every command is a thin wrapper, and every library
error (:class:`scoring.errors.ZonescoreError`) becomes a clean message and exit code in one place
(:class:`ZonescoreGroup`). The interface language (``--lang zh|en``, ``ZONESCORE_LANG``, the
locale) is chosen before the arguments are parsed, so that help and click's own errors speak it.
"""
from __future__ import annotations

import os
import sys

# pydantic scans installed packages for plugins on first use (~10 ms of start-up); we use none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import click  # noqa: E402

from scoring import __version__  # noqa: E402
from scoring.errors import ZonescoreError  # noqa: E402
from scoring.messages import LANGUAGES, set_language, tr  # noqa: E402

from cli_commands import annual, doctor, history, publish, rule_analysis, rulecheck, serve, tuning  # noqa: E402
from cli_commands.helpformat import cells  # noqa: E402
from cli_commands.i18n import Command, Option, TranslatedHelp, polish_usage_error, translate_click  # noqa: E402

COMMAND_MODULES = (annual, tuning, history, rule_analysis, rulecheck, publish, serve, doctor)


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


class ZonescoreGroup(TranslatedHelp, click.Group):
    """Chooses the language, then turns library errors into ``Error: ...`` on stderr and a non-zero
    exit, without a traceback; help in the interface language, laid out in display cells."""

    command_class = Command

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's main, with the language chosen first and click's own errors in its punctuation."""
        argv = list(sys.argv[1:] if args is None else args)
        set_language(language_argument(argv))
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, False, **extra)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except click.ClickException as error:
            polish_usage_error(error).show()
            code = error.exit_code
        except click.Abort:
            click.echo(tr("Aborted!"), err=True)
            code = 1
        sys.exit(code if isinstance(code, int) else 0)

    def format_commands(self, ctx, formatter) -> None:
        """The command list: one line each, the summary cut to what is left of the line."""
        names = [name for name in self.list_commands(ctx) if not self.commands[name].hidden]
        if not names:
            return
        limit = formatter.width - formatter.current_indent - formatter.indent_increment \
            - max(cells(name) for name in names) - 2
        rows = [(name, self.commands[name].get_short_help_str(limit)) for name in names]
        with formatter.section(tr("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        from scoring.io import notes

        notes.take()  # notes of an earlier invocation in this process (tests) are not this one's
        try:
            value = super().invoke(ctx)
        except ZonescoreError as error:
            show_notes(notes.take())
            click.echo(tr("Error: {message}", message=error), err=True)
            ctx.exit(error.exit_code)
        show_notes(notes.take())
        return value


def show_notes(notes: list[str]) -> None:
    """How the data was read (a header matched loosely, a title block skipped), on stderr: the one
    place that prints them for every command, so that stdout (tables, CSV, JSON) never changes."""
    for note in notes:
        click.echo(tr("Note: {note}", note=note), err=True)


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
