"""Report cards as one workbook, a sheet per unit (``zonescore cards --out cards.xlsx``): the same
content as the HTML card (:mod:`.unit_card`), in the house style of every zonescore workbook."""
from __future__ import annotations

from ..analysis.explain import explain_unit
from ..io.workbook import Sheet, write_workbook
from ..report.formatting import fixed
from ..report.words import words
from .unit_card import adjustment_rows, indicator_rows, line_rows, needed_rows

SECTION_FILL = "D9E1F2"


def card_sheet(explanation, word: dict) -> Sheet:
    e, p = explanation, explanation.precision
    outcome = e.outcome_label or (word["exempt"] if e.exempt else word["excluded"] if e.excluded else word["none"])
    rows: list[list] = [[word["rank"], "-" if e.rank is None else f"{e.rank}/{e.ranked_count}"],
                        [word["total"], fixed(e.total, p)], [word["base_total"], fixed(e.base_total, p)],
                        [word["adjustments"], fixed(e.adjustments_total, p, signed=True)], [word["outcome"], outcome],
                        *[[key, value] for key, value in e.display.items()]]
    fills: list = [None] * len(rows)

    def section(title: str, headers: list[str], body: list[list]) -> None:
        if not body:
            return
        rows.extend([[], [title], headers, *body])
        fills.extend([None, SECTION_FILL, SECTION_FILL, *[None] * len(body)])

    section(word["indicators"], [word["indicator"], word["value"], word["points_value"], word["full_marks"],
                                 word["fraction"], word["peer_rank"]], indicator_rows(e, word))
    section(word["adjustments"], [word["rule"], word["points_value"], word["note"]], adjustment_rows(e))
    section(word["lines"], [word["line_total"], word["points_value"], word["line_distance"]], line_rows(e, word))
    section(word["needed_title"], [word["outcome"], word["indicator"], word["card_input"], word["card_now"], word["card_needed"]],
            needed_rows(e))
    rows = [row + [""] * (6 - len(row)) for row in rows]
    return Sheet(f"{e.unit} {e.name}", [word["key"], word["content"], "", "", "", ""], rows, fills=fills)


def write_card_workbook(result, path, inputs=(), force: bool = False) -> None:
    word = words(result.assessment.spec)
    sheets = [card_sheet(explain_unit(result, unit), word) for unit in result.ranking.order]
    write_workbook(path, sheets, "cards", inputs, force)
