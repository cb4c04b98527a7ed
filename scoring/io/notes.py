"""Notes about how a data file was read (a header matched loosely, a title block skipped).

The reader returns its notes with the data (:attr:`scoring.io.data.UnitData.notes`) and also
records them here, so that the command line can show them for every command in one place
(``cli.ZonescoreGroup.invoke`` prints what is left on stderr after the command; ``validate``
prints them itself and takes them out first). The library never prints.
"""
from __future__ import annotations

MAX_PENDING = 200  # a long-running caller that never takes them (a server) keeps only the latest
_pending: list[str] = []


def record(notes: list[str]) -> None:
    """Keep ``notes`` (already in the interface language) for the command line; duplicates once."""
    for note in notes:
        if note not in _pending:
            _pending.append(note)
    del _pending[:-MAX_PENDING]


def take() -> list[str]:
    """The notes recorded since the last call, in order; the list is emptied."""
    notes = list(_pending)
    _pending.clear()
    return notes
