"""Year-over-year columns of a run whose store held last year's final run: 上年排名, 名次变化, 上年结果.

Shown only when the run read last year's final results (:mod:`.previous`), so that a run without a
store looks as it always did. 名次变化 is ``↑3`` (climbed three places), ``↓5``, ``0``, or 新参评 for a
unit without a rank last year; a unit without a rank this year shows nothing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..report.words import words
from .previous import SHOWN

PREV_RANK, PREV_TOTAL, PREV_OUTCOME = SHOWN


def has_last_year(result) -> bool:
    previous = getattr(result.data, "previous", None)
    return previous is not None and previous.last_year is not None and PREV_RANK in result.data.frame.columns


def change_text(rank, before, new_word: str) -> str:
    if pd.isna(rank):
        return ""
    if before is None or pd.isna(before):
        return new_word
    moved = int(before) - int(rank)
    return f"↑{moved}" if moved > 0 else (f"↓{-moved}" if moved < 0 else "0")


def year_over_year(result, order) -> tuple[list[str], list[list[str]]] | None:
    """Headers and text columns (units in ``order``), or None when the run has no last year."""
    if not has_last_year(result):
        return None
    word = words(result.assessment.spec)
    frame = result.data.frame.loc[list(order)]
    ranks = result.ranking.display_rank.loc[list(order)].to_numpy(object)
    before = frame[PREV_RANK].to_numpy(float)
    names = {o.id: o.title for o in result.assessment.spec.outcomes}
    outcomes = [names.get(o, o) if isinstance(o, str) else (word["none"] if not np.isnan(b) else "")
                for o, b in zip(frame[PREV_OUTCOME].to_numpy(object), before)]
    return ([word["prev_rank"], word["rank_change"], word["prev_outcome"]],
            [["" if np.isnan(b) else str(int(b)) for b in before],
             [change_text(r, b, word["new_unit"]) for r, b in zip(ranks, before)], outcomes])


def footer_line(result) -> str | None:
    """``上年：2022年终审（运行 #3）`` when the run read last year's final run."""
    if not has_last_year(result):
        return None
    run_id, year = result.data.previous.last_year
    return words(result.assessment.spec)["prev_run"].format(year=year, run=run_id)


def add_previous(result, records: list[dict]) -> None:
    """``"previous": {"year", "run", "rank", "total", "outcome"}`` in each JSON unit record (None for a new unit)."""
    if not has_last_year(result):
        return
    run_id, year = result.data.previous.last_year
    frame = result.data.frame
    for record in records:
        rank = frame.at[record["id"], PREV_RANK]
        if pd.isna(rank):
            record["previous"] = None
            continue
        total, outcome = frame.at[record["id"], PREV_TOTAL], frame.at[record["id"], PREV_OUTCOME]
        record["previous"] = {"year": year, "run": run_id, "rank": int(rank),
                              "total": None if pd.isna(total) else round(float(total), 6),
                              "outcome": outcome if isinstance(outcome, str) else None}
