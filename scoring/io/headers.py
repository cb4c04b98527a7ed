"""Find the columns the rules read among a data file's headers: forgiving, never silent.

Real department files differ from the rule file in ways a person does not see:

* full-width and half-width forms (``税收(万元)`` and ``税收（万元）``), compared after Unicode
  NFKC normalisation;
* blanks at either end of a header;
* a unit in brackets at the end (``税收（万元）`` for the input column ``税收``, and the other way
  round), in ``()``, ``（）``, ``[]``, ``【】``.

An exact header always wins. A header matched loosely is reported as a note (which header was read
as which column), and two headers that both fit one column are an error naming both: a file is
never read from a column the user did not mean. The same comparison finds the header row below a
title block (:func:`pick_header_row`) and the closest header for "did you mean" (:func:`closest`).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Collection, Iterable, Sequence

# a unit in brackets at the end of a header (after NFKC, full-width brackets are ASCII, 【】 stay)
UNIT_SUFFIX = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)\s*$")
HEADER_ROWS_SEARCHED = 10  # a title block above the header row: its first non-blank rows are tried
MIN_HEADER_MATCHES = 2  # a row below the first one is taken as the header only if it names this many columns
CLOSE_ENOUGH = 0.6  # difflib ratio for "did you mean"


def header_key(text: str) -> str:
    """``text`` as compared: NFKC, blanks at the ends stripped, a unit in brackets at the end dropped."""
    key = unicodedata.normalize("NFKC", str(text)).strip()
    stripped = UNIT_SUFFIX.sub("", key).strip()
    return stripped or key


@dataclass
class HeaderMatch:
    """Which file header each wanted header is read from."""

    columns: dict[str, str] = field(default_factory=dict)  # wanted header -> file header
    loose: list[tuple[str, str]] = field(default_factory=list)  # (file header, wanted header) not equal
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # wanted header -> file headers that all fit


def match_headers(wanted: Iterable[str], present: Sequence[str]) -> HeaderMatch:
    """Match every ``wanted`` header to one of ``present``: the same text first, else the same key."""
    wanted = list(dict.fromkeys(wanted))
    match = HeaderMatch()
    taken = set()
    for header in wanted:
        if header in present:
            match.columns[header] = header
            taken.add(header)
    by_key: dict[str, list[str]] = {}
    for column in present:
        if column not in taken:
            by_key.setdefault(header_key(column), []).append(column)
    for header in wanted:
        if header in match.columns:
            continue
        found = by_key.get(header_key(header), [])
        if len(found) == 1:
            match.columns[header] = found[0]
            match.loose.append((found[0], header))
        elif found:
            match.ambiguous[header] = found
    return match


def header_score(cells: Sequence[str], wanted_keys: Collection[str]) -> int:
    """How many of the wanted columns (as :func:`header_key`) a row of cells names."""
    return len({header_key(cell) for cell in cells if str(cell).strip()} & set(wanted_keys))


def pick_header_row(rows: Sequence[Sequence[str]], wanted: Collection[str] | None) -> int:
    """Index of the header among the first non-blank ``rows``: the first with the most wanted columns.

    The first row stays the header (as without a title block) unless a later one names more of
    the wanted columns, and at least :data:`MIN_HEADER_MATCHES`.
    """
    if not wanted or len(rows) < 2:
        return 0
    keys = {header_key(header) for header in wanted}
    scores = [header_score(cells, keys) for cells in rows[:HEADER_ROWS_SEARCHED]]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return best if scores[best] > scores[0] and scores[best] >= MIN_HEADER_MATCHES else 0


def closest(text: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``text`` (compared as :func:`header_key`), or None if none is close."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(header_key(candidate), candidate)
    found = difflib.get_close_matches(header_key(text), list(by_key), n=1, cutoff=CLOSE_ENOUGH)
    return by_key[found[0]] if found else None


def title_text(cells: Sequence[str]) -> str:
    """The non-blank cells of a row skipped above the header, for a note."""
    return " ".join(str(cell).strip() for cell in cells if str(cell).strip())
