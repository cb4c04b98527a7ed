"""``zonescore doctor``: what this installation has, for a person setting it up or asking for help."""
from __future__ import annotations

import click

from scoring.messages import tr

from .i18n import command


@command(short_help="Check the installation and its settings.")
def doctor() -> None:
    """Show what this installation has: the versions of zonescore, Python and the libraries, the
    engine that evaluates adjustment conditions, the interface language and how it was chosen, the
    locale and console encoding, Chromium and LibreOffice (for rendering), the cache directory."""
    from scoring.doctor import diagnose

    formatter = click.get_current_context().make_formatter()  # as help: fits the terminal, in display cells
    formatter.write_dl(doctor_rows(diagnose()))
    click.echo(formatter.getvalue(), nl=False)


def doctor_rows(facts) -> list[tuple[str, str]]:
    """The facts as (label, value) lines in the interface language."""
    from scoring.engine.conditions import NUMPY_ABOVE

    missing = tr("not installed")
    rows = [(name, version or missing) for name, version in facts.versions[:1]]
    rows.append(("Python", facts.python))
    rows += [(name, version or missing) for name, version in facts.versions[1:]]
    engine = tr("durable-rules, every firing checked against numpy (--engine auto: up to {limit} units)",
                limit=f"{NUMPY_ABOVE:,}") if facts.engine == "durable-rules" else \
        tr("numpy only: durable-rules is not installed or cannot be loaded (same results; installing it needs a "
           "C compiler)")
    rows.append((tr("Rule engine"), engine))
    rows.append((tr("Interface language"), tr("{language} ({code}), {source}", code=facts.language,
                                              language=tr("Chinese") if facts.language == "zh" else tr("English"),
                                              source=language_source(facts))))
    rows.append((tr("Locale"), tr("{locale}; files and pipes in {encoding}", locale=facts.locale or "-",
                                  encoding=facts.preferred_encoding)))
    shows = tr("Chinese shows") if facts.console_shows_chinese else tr("cannot show Chinese: set PYTHONUTF8=1")
    utf8 = tr(", UTF-8 mode") if facts.utf8_mode else ""
    rows.append((tr("Console"), tr("{encoding}{mode} ({shows})", encoding=facts.console_encoding, mode=utf8,
                                   shows=shows)))
    not_found = tr("not found (needed only to render reports as PDF or pictures)")
    rows.append(("Chromium", facts.chromium or not_found))
    rows.append(("LibreOffice", facts.libreoffice or not_found))
    rows.append((tr("Cache"), facts.cache_dir or tr("off")))
    return rows


def language_source(facts) -> str:
    if facts.language_source == "--lang":
        return tr("chosen with --lang")
    if facts.language_source == "locale":
        return tr("from the system locale ({value})", value=facts.language_value)
    if facts.language_source == "default":
        return tr("the default (no setting names a language)")
    return tr("from {variable}={value}", variable=facts.language_source, value=facts.language_value)


COMMANDS = (doctor,)
