"""One exception hierarchy for everything a user can get wrong.

Every error carries a list of :class:`Problem` records so that a bad file is
reported in full (all rows, all fields) rather than one mistake at a time.
The CLI turns any :class:`ZonescoreError` into a clean message and exit code.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .messages import tr


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    found: str | None = None
    expected: str | None = None

    def render(self) -> str:
        """One line in the interface language (:func:`scoring.messages.tr`).

        English: ``file:line: field: message (found X; expected Y)``;
        Chinese: ``file:line: field: message（实际为 X；应为 Y）`` (full-width brackets and semicolon,
        no space before the bracket). Without a file, the line is ``line 12`` / ``第 12 行``.
        ``found`` and ``expected`` are shown only when given.
        """
        from .messages import tr

        where = ""
        if self.file:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        elif self.line is not None:
            where = tr("line {line}", line=self.line)
        parts = [p for p in (where, self.field) if p]
        text = ": ".join(parts + [self.message])
        if self.found is not None and self.expected is not None:
            text += tr(" (found {found}; expected {expected})", found=self.found, expected=self.expected)
        elif self.found is not None:
            text += tr(" (found {found})", found=self.found)
        elif self.expected is not None:
            text += tr(" (expected {expected})", expected=self.expected)
        return text


@dataclass
class ZonescoreError(Exception):
    """Base class of every error a user can act on."""

    summary: str
    problems: list[Problem] = field(default_factory=list)
    exit_code: int = 1

    def __post_init__(self) -> None:
        super().__init__(self.summary)

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  - {p.render()}" for p in self.problems]
        return "\n".join(lines)


class InputFileError(ZonescoreError):
    """A file is missing, empty, unreadable or in an unknown encoding."""


class RuleFileError(ZonescoreError):
    """The rule file is malformed YAML or does not describe a valid assessment."""


class ExpressionError(RuleFileError):
    """An expression in the rule file cannot be parsed or names something unknown."""


class DataError(ZonescoreError):
    """The data file does not fit the rules: columns, ids, cells or ranges."""


class ScoringError(ZonescoreError):
    """The data is well formed but cannot be scored (e.g. a missing value with policy 'error')."""


class OptionError(ZonescoreError):
    """A command-line or API option is invalid (unknown node, bad weight, ...)."""


class InternalError(ZonescoreError):
    """zonescore contradicted itself (e.g. the rule engine and the numpy check disagree): no result
    is given. Never caused by the user's files alone being wrong; please report it."""

    def __post_init__(self) -> None:
        self.exit_code = 70  # EX_SOFTWARE
        super().__post_init__()
