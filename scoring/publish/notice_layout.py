"""Column widths of the notice's tables (:mod:`.notice_docx`): as wide as their texts, filling the
text width, with only long texts (names) wrapping, each in as few lines as the width allows and no
wider than those lines need (so that the room is left to the other long texts)."""
from __future__ import annotations

import math

from ..report.words import display_width, is_cjk

CELL_MARGIN_PT = 3  # left and right, inside every table cell
CELL_PADDING_PT = 2 * CELL_MARGIN_PT + 1.5  # the margins and a border
WRAP_FROM = 12  # a column whose longest text is wider (in half-width characters) may wrap


def column_widths(headers: list[str], rows: list[list[str]], size_pt: float, total_pt: float) -> list[float]:
    """Widths in pt, adding up to ``total_pt``, for text of ``size_pt``. A long header that can
    break (Chinese, or words) may take two lines; numbers and short words never wrap."""
    half_em = size_pt / 2
    texts = [[_header_width(header)] + [display_width(str(row[c])) for row in rows] for c, header in enumerate(headers)]
    chars = [max(column) + 1 for column in texts]  # half-width characters, one spare
    wrapping = [c for c, column in enumerate(texts) if max(column) > WRAP_FROM]
    room = total_pt / half_em - sum(chars[c] for c in range(len(headers)) if c not in wrapping) \
        - len(headers) * CELL_PADDING_PT / half_em
    if wrapping and sum(chars[c] for c in wrapping) > room > 8 * len(wrapping):
        plans = [_narrowed(texts, chars, sorted(wrapping, key=lambda c: sign * chars[c]), room) for sign in (-1, 1)]
        chars = min(plans, key=lambda plan: _lines(texts, plan, wrapping))  # the fewest lines; a tie: longest first
    widths = [n * half_em + CELL_PADDING_PT for n in chars]
    scale = total_pt / sum(widths)
    return [round(width * scale, 1) for width in widths]


def _narrowed(texts: list[list[int]], chars: list[int], order: list[int], room: float) -> list[int]:
    """Characters per line when the wrapping columns, in ``order``, each take their share of
    ``room`` and leave what they do not need to the next ones."""
    chars = list(chars)
    for index, c in enumerate(order):
        share = room * chars[c] / sum(chars[o] for o in order[index:])
        chars[c] = _narrowest_same_lines(texts[c], share)
        room -= chars[c]
    return chars


def _lines(texts: list[list[int]], chars: list[int], wrapping: list[int]) -> int:
    """The lines of all rows (a row is as high as its most wrapped cell)."""
    per_row = zip(*[[math.ceil(w / max(1, chars[c] - 1)) for w in texts[c]] for c in wrapping])
    return sum(max(row) for row in per_row)


def _header_width(header: str) -> int:
    width = display_width(header)
    return (width + 1) // 2 if width > 8 and (is_cjk(header) or " " in header) else width


def _narrowest_same_lines(widths: list[int], available: float) -> int:
    """The fewest half-width characters per line (even: Chinese characters take two) with which
    no text takes more lines than it does with ``available`` ones (one spare added)."""
    per_line = max(2, int(available) - 1)
    lines = [math.ceil(w / per_line) for w in widths]
    narrowest = per_line
    while narrowest > 2 and all(math.ceil(w / (narrowest - 2)) == n for w, n in zip(widths, lines)):
        narrowest -= 2
    return narrowest + 1
