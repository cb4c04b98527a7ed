"""The zonescore commands, one module per job; ``cli.py`` assembles them into one group.

Each module defines click commands with the shared options of :mod:`cli_commands.common` and
lists them in ``COMMANDS``. A command parses options, calls one library function, renders;
library errors are mapped to a message and exit code in one place (``cli.ZonescoreGroup``).
Every sentence a command prints goes through :func:`scoring.messages.tr`.
"""
