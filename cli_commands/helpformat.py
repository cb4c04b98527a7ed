"""Help that fits the terminal in either language: text measured and wrapped in display cells.

click measures and wraps help by characters, so a Chinese line (two cells a character) comes out
up to twice the terminal's width, and a long word is cut anywhere. :class:`CellHelpFormatter`
measures in display cells (``wcwidth``) and breaks lines where a reader expects them: at spaces,
between two Chinese characters, between a Chinese character and a Latin word, never before a
closing mark (，。）」 , . ) …) or after an opening one (（「 ( [ …). Lines joined into one paragraph
get a space between them only where neither side is Chinese. A word longer than the line is cut
by cells as a last resort.
"""
from __future__ import annotations

import re
import unicodedata

from scoring.report.fitting import display_width

import click

from scoring.messages import tr

NO_LINE_START = set("，。、；：！？）］｝》」』】〕”’…,.;:!?)]}%")
NO_LINE_END = set("（［｛《「『【〔“‘([{")
_ATOM = re.compile(r"\s+|[^\s]")


def cells(text: str) -> int:
    """Columns ``text`` takes in a terminal (the tables' own measure: wide Chinese characters count two)."""
    return display_width(text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _pieces(text: str) -> list[tuple[bool, str]]:
    """``text`` as unbreakable pieces, each with whether a space stood before it."""
    pieces: list[tuple[bool, str]] = []
    spaced = False
    for atom in _ATOM.findall(text):
        if atom.isspace():
            spaced = True
            continue
        glued = pieces and not spaced and (atom in NO_LINE_START or pieces[-1][1][-1] in NO_LINE_END
                                           or (not _wide(atom) and not _wide(pieces[-1][1][-1])))
        if glued:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + atom)
        else:
            pieces.append((spaced, atom))
        spaced = False
    return pieces


def _cut(piece: str, width: int) -> list[str]:
    """A piece wider than the line, cut by cells."""
    parts, current = [], ""
    for ch in piece:
        if current and cells(current + ch) > width:
            parts.append(current)
            current = ""
        current += ch
    return parts + [current]


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """One paragraph as lines of at most ``width`` cells (indents included)."""
    lines: list[str] = []
    line, indent = initial_indent, initial_indent
    for spaced, piece in _pieces(text):
        gap = " " if spaced and line != indent else ""
        if cells(line + gap + piece) <= width:
            line += gap + piece
            continue
        if line != indent:
            lines.append(line)
            indent = line = subsequent_indent
        room = max(width - cells(line), 1)
        *full, rest = _cut(piece, room) if cells(piece) > room else [piece]
        for part in full:
            lines.append(line + part)
        line += rest
    if line != indent or not lines:
        lines.append(line)
    return [item.rstrip() for item in lines]


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one text: a space between them unless either side is Chinese."""
    text = ""
    for line in (item.strip() for item in lines):
        if text and line and not (_wide(text[-1]) or _wide(line[0])):
            text += " "
        text += line
    return text


def paragraphs(text: str) -> list[tuple[int, bool, str]]:
    """click's paragraphs: (indent, keep as is after a ``\\b`` line, text), split at blank lines."""
    found: list[tuple[int, bool, str]] = []
    for block in re.split(r"\n\s*\n", text.expandtabs().strip("\n")):
        lines = block.splitlines()
        if not lines:
            continue
        indent = cells(lines[0]) - cells(lines[0].lstrip())
        if lines[0].strip() == "\b":
            found.append((indent, True, "\n".join(lines[1:])))
        else:
            found.append((indent, False, join_lines(lines)))
    return found


def wrap_text(text: str, width: int, indent: str = "") -> list[str]:
    """Help text (paragraphs, ``\\b`` blocks) as lines of at most ``width`` cells."""
    out: list[str] = []
    for number, (extra, raw, body) in enumerate(paragraphs(text)):
        if number:
            out.append("")
        lead = indent + " " * extra
        if raw:
            out += [lead + line for line in body.splitlines()]
        else:
            out += wrap(body, width, lead, lead)
    return out


def shorten(text: str, limit: int) -> str:
    """The first line of ``text`` in at most ``limit`` cells, cut at a break with "…" if longer."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    if cells(first) <= limit:
        return first
    kept = wrap(first, max(limit - 1, 1))[0]
    return kept.rstrip(" ,，、;；:：") + "…"


class CellHelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring and wrapping in display cells, with translated headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        word = tr("Usage:") if prefix is None else prefix.rstrip()
        prefix = f"{' ' * self.current_indent}{word}{'' if word.endswith('：') else ' '}{prog} "
        if not args:
            self.write(prefix.rstrip() + "\n")
            return
        if self.width - cells(prefix) >= 20:
            lines = wrap(args, self.width, prefix, " " * cells(prefix))
        else:
            lines = [prefix.rstrip()] + wrap(args, self.width, " " * (self.current_indent + 4),
                                             " " * (self.current_indent + 4))
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(" " * self.current_indent + tr("{heading}:", heading=heading) + "\n")

    def write_text(self, text: str) -> None:
        self.write("\n".join(wrap_text(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """Terms and their help in two columns; a term wider than the first column stands on its own
        line. The first column is as wide as the widest term that fits in ``col_max`` cells."""
        rows = [(first, second) for first, second, *_ in rows]
        col_max = min(col_max, max((self.width - self.current_indent) // 2, 8))
        fitting = [cells(first) for first, _ in rows if cells(first) <= col_max]
        first_col = (max(fitting) if fitting else col_max) + col_spacing
        lead = " " * (self.current_indent + first_col)
        text_width = max(self.width - len(lead), 10)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + lead)
            lines = wrap_text(second, text_width) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write((lead + line).rstrip() + "\n")
