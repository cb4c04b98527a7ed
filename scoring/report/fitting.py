"""Terminal tables that fit a width, and colour for their rows.

A renderer describes its table once (headers, cells column by column, alignment) and says which
columns are secondary: ``drop`` lists column indexes in the order they are left out when the
table is too wide, ``shrink`` the text columns that may be shortened with "…" (a reason, a
name) once nothing more may be dropped. :func:`fit_table` then

1. keeps the full table, drawn exactly as without a width, when it fits (or when no width is given:
   piped output and files keep every column, byte for byte);
2. else uses the short headers (if given), draws columns only as wide as their widest cell, and
   leaves out columns in ``drop`` order until the table fits;
3. else shortens the ``shrink`` columns, cell by cell, with "…" (a cell is never broken over two
   lines); when that leaves a shortened text too short to read, the ``late`` columns are left
   out too, one by one, to make room;
4. else (a terminal narrower than the essential columns) cuts each line with "…".

Widths are display cells (wcwidth: a Chinese character takes two). Prose lines (titles, footers)
are wrapped at spaces or between Chinese characters by :func:`wrap_lines`.

Colour is never decided here: the caller asks for it (:class:`Layout`), and rows are painted by
their *tone* (:func:`outcome_tones`: outcomes chosen from the top green, from the bottom red;
a what-if row whose outcome changed bold yellow).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ELLIPSIS = "…"
SEPARATOR = "  "
TONE_COLOURS = {"top": {"fg": "green"}, "bottom": {"fg": "red"}, "changed": {"fg": "yellow", "bold": True}}


@dataclass(frozen=True)
class Layout:
    """How a terminal table is shown: ``width`` in display cells (None: the full table, as for piped
    output and files) and whether rows are coloured (ANSI codes; never asked for in files)."""

    width: int | None = None
    colour: bool = False


FULL = Layout()


@dataclass
class Fitted:
    """A table after :func:`fit_table`: what is shown, and which columns were left out or shortened."""

    headers: list[str]
    columns: list[list[str]]
    align: list[str]
    narrow: bool = False
    hidden: list[str] = field(default_factory=list)
    shortened: list[str] = field(default_factory=list)


def display_width(text: str) -> int:
    """Display cells of ``text`` as a terminal shows it (wcwidth; Chinese characters count two)."""
    if text.isascii():
        return len(text)
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else sum(max(_char_width(ch), 0) for ch in text)


def _char_width(ch: str) -> int:
    from wcwidth import wcwidth

    return wcwidth(ch)


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` display cells, ending in "…" when cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for ch in text:
        cells = max(_char_width(ch), 0)
        if used + cells > width - 1:
            break
        kept.append(ch)
        used += cells
    if len(kept) < len(text) and kept and _in_number(kept[-1]) and _in_number(text[len(kept)]):
        while kept and _in_number(kept[-1]):  # never "101.4…" for 101.4%: drop the cut number whole
            kept.pop()
    return "".join(kept).rstrip(" ,、，；;:：") + ELLIPSIS


def _in_number(ch: str) -> bool:
    return ch.isdigit() or ch in ".%,"


def full_width(headers: list[str], columns: list[list[str]]) -> int:
    """Width of the full table as :func:`scoring.report.formatting.text_table` draws it (headers get
    two blanks of padding)."""
    widths = [max([display_width(c.strip()) for c in column] + [display_width(h) + 2])
              for h, column in zip(headers, columns)]
    return sum(widths) + len(SEPARATOR) * (len(widths) - 1)


def _narrow_widths(headers: list[str], columns: list[list[str]]) -> list[int]:
    return [max([display_width(c.strip()) for c in column] + [display_width(h)]) for h, column in zip(headers, columns)]


def fit_table(headers: list[str], columns: list[list[str]], align: list[str], width: int | None,
              drop=(), shrink=(), short_headers: list[str] | None = None, late=()) -> Fitted:
    """The columns of the table that fit ``width`` (see the module's steps). ``late`` columns are
    left out only when a shortened column would otherwise keep fewer than :data:`READABLE` cells."""
    if width is None or not columns or full_width(headers, columns) <= width:
        return Fitted(list(headers), columns, list(align))
    fitted = _fitted(headers, columns, align, width, drop, shrink, short_headers or headers)
    if late and any(display_width(cell) < READABLE and cell.endswith(ELLIPSIS) for column in fitted.columns
                    for cell in column):
        return fit_table(headers, columns, align, width, (*drop, late[0]), shrink, short_headers, late[1:])
    return fitted


READABLE = 16  # display cells a shortened text should keep before the `late` columns make room


def _fitted(headers, columns, align, width, drop, shrink, names) -> Fitted:
    shown = list(range(len(headers)))
    hidden: list[str] = []
    for index in drop:
        if _total(names, columns, shown) <= width:
            break
        if index in shown and len(shown) > 1:
            shown.remove(index)
            hidden.append(headers[index])
    cells = {i: [c.strip() for c in columns[i]] for i in shown}
    heads = {i: names[i] for i in shown}
    shortened = []
    for index in shrink:
        excess = _total(names, columns, shown, cells, heads) - width
        if excess <= 0:
            break
        if index not in shown:
            continue
        current = _narrow_widths([heads[index]], [cells[index]])[0]
        target = max(current - excess, min(4, current))
        if target < current:
            cells[index] = [truncate(c, target) for c in cells[index]]
            heads[index] = truncate(heads[index], target)
            shortened.append(headers[index])
    hidden.sort(key=headers.index)
    return Fitted([heads[i] for i in shown], [cells[i] for i in shown], [align[i] for i in shown], True,
                  hidden, shortened)


def _total(names, columns, shown, cells=None, heads=None) -> int:
    chosen_heads = [heads[i] if heads else names[i] for i in shown]
    chosen_cells = [cells[i] if cells else columns[i] for i in shown]
    return sum(_narrow_widths(chosen_heads, chosen_cells)) + len(SEPARATOR) * (len(shown) - 1)


def draw_narrow(fitted: Fitted, width: int) -> str:
    """A "simple" table (as tabulate draws it) without header padding, every line cut to ``width``."""
    widths = _narrow_widths(fitted.headers, fitted.columns)

    def line(cells) -> str:
        parts = []
        for text, cells_wide, alignment in zip(cells, widths, fitted.align):
            pad = " " * (cells_wide - display_width(text))
            parts.append(pad + text if alignment == "right" else text + pad)
        return SEPARATOR.join(parts).rstrip()

    lines = [line(fitted.headers), SEPARATOR.join("-" * w for w in widths)]
    lines += [line(row) for row in zip(*fitted.columns)]
    return "\n".join(truncate(text, width) for text in lines)


_WORDS = re.compile(r"[^\s、，；：。（]+[、，；：。]?\s*|（[^\s、，；：。（]*[、，；：。]?\s*|[、，；：。]\s*|\s+")


_ITEMS = re.compile(r".+?(?:[,;] |$)")


def wrap_line(text: str, width: int | None, indent: str = "  ") -> list[str]:
    """``text`` in lines of at most ``width`` display cells; continuation lines start with ``indent``.

    The items of a list ("a (1→2), b (3→4)") stay whole when they fit a line. Else lines break
    at blanks and after Chinese punctuation (、，；：。) or before （; a word that does not fit the
    rest of a line that is less than half full is split (between Chinese characters, or inside a
    word longer than a line)."""
    if width is None or display_width(text) <= width:
        return [text]
    lines, current = [], ""
    for token, whole in _tokens(text, width - display_width(indent)):
        if whole and current.strip() and display_width((current + token).rstrip()) > width:
            lines.append(current.rstrip())
            current, token = indent, token.lstrip()
        while display_width((current + token).rstrip()) > width:
            if display_width(current) > width // 2 or not token.strip():
                lines.append(current.rstrip())
                current, token = indent, token.lstrip()
                if display_width((current + token).rstrip()) <= width:
                    break
            head = _take(token, width - display_width(current))
            if not head:
                break
            lines.append(current + head)
            current, token = indent, token[len(head):]
        current += token
    if current.strip():
        lines.append(current.rstrip())
    return [line for line in lines if line.strip()]


def _tokens(text: str, room: int) -> list[tuple[str, bool]]:
    """(token, kept whole): the list items of ``text`` that fit ``room`` cells, the words of the others."""
    items = _ITEMS.findall(text)
    if len(items) < 2:
        return [(word, False) for word in _WORDS.findall(text)]
    return [pair for item in items for pair in ([(item, True)] if display_width(item.strip()) <= room
                                                 else [(word, False) for word in _WORDS.findall(item)])]


def _take(text: str, cells: int) -> str:
    taken, used = [], 0
    for ch in text:
        used += max(_char_width(ch), 0)
        if used > cells:
            break
        taken.append(ch)
    return "".join(taken)


def wrap_lines(lines: list[str], width: int | None) -> list[str]:
    """:func:`wrap_line` of every line."""
    return [part for text in lines for part in wrap_line(text, width)]


def outcome_tones(assessment) -> dict[str, str]:
    """Tone of each outcome id: "top" for an outcome chosen from the top (top, top_percent,
    min_total), "bottom" from the bottom (bottom, bottom_percent, max_total), "other" else."""
    tones = {}
    for outcome in assessment.spec.outcomes:
        if outcome.top is not None or outcome.top_percent is not None or outcome.min_total is not None:
            tones[outcome.id] = "top"
        elif outcome.bottom is not None or outcome.bottom_percent is not None or outcome.max_total is not None:
            tones[outcome.id] = "bottom"
        else:
            tones[outcome.id] = "other"
    return tones


def paint_rows(table: str, tones: list[str | None] | None) -> str:
    """``table`` (header, rule, one line per row) with each row coloured by its tone (click.style)."""
    lines = table.split("\n")
    if not tones or len(lines) != len(tones) + 2:
        return table
    import click

    return "\n".join(lines[:2] + [click.style(text, **TONE_COLOURS[tone]) if tone in TONE_COLOURS and text else text
                                  for text, tone in zip(lines[2:], tones)])
