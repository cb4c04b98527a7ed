"""A comparison of two runs as a table, Markdown, JSON or an .xlsx workbook, in the rule file's language."""
from __future__ import annotations

from ..report.formatting import fixed, json_text, markdown_table, text_table
from ..report.words import words


def _rank(value) -> str:
    return "" if value is None else str(value)


def _sections(comparison) -> tuple[dict, list[tuple[str, list[str], list[list[str]]]]]:
    """The words, then (heading, headers, rows) of the units and the cells."""
    spec = comparison.rules_spec
    word = words(spec)
    labels = comparison.outcome_labels

    def outcome(value) -> str:
        return labels.get(value, value) if value else word["none"]

    def number(value) -> str:
        return "" if value is None else fixed(value, spec.precision)

    arrow = "→"
    units = [[c["unit"], c["name"], f"{_rank(c['rank_before'])} {arrow} {_rank(c['rank_after'])}",
              f"{number(c['total_before'])} {arrow} {number(c['total_after'])}",
              f"{outcome(c['outcome_before'])} {arrow} {outcome(c['outcome_after'])}"] for c in comparison.units]
    cells = [[c["unit"], c["column"], c["old"] or "", c["new"] or "",
              f"#{c['run']}" if c["run"] else "", c["reason"] or "", c["file"]] for c in comparison.cells]
    return word, [
        (word["diff_units"], [spec.id_column, word["unit"], word["rank"], word["total"], word["outcome"]], units),
        (word["diff_cells"], [spec.id_column, word["column"], word["old_value"], word["new_value"], word["correction"],
                              word["reason"], word["file"]], cells)]


def _title(comparison, word) -> str:
    first, second = comparison.first, comparison.second
    return word["diff_title"].format(first=first["id"], first_stage=f"{first['year']} {first['stage']}",
                                     second=second["id"], second_stage=f"{second['year']} {second['stage']}")


def render_diff(comparison, fmt: str = "table") -> str:
    word, sections = _sections(comparison)
    if fmt == "json":
        return json_text({"first": _run(comparison.first), "second": _run(comparison.second),
                          "units": comparison.units, "cells": comparison.cells,
                          "rules_diff": comparison.rules_diff})
    markdown = fmt == "markdown"
    parts = [f"## {_title(comparison, word)}" if markdown else _title(comparison, word)]
    for heading, headers, rows in sections:
        parts.append(f"### {heading}" if markdown else heading)
        if not rows:
            parts.append(word["no_rows"])
        elif markdown:
            parts.append(markdown_table(headers, rows))
        else:
            parts.append(text_table(headers, [list(c) for c in zip(*rows)], None, "simple"))
    parts.append(f"### {word['diff_rules']}" if markdown else word["diff_rules"])
    if comparison.rules_diff:
        body = "\n".join(comparison.rules_diff)
        parts.append(f"```diff\n{body}\n```" if markdown else body)
    else:
        parts.append(word["no_rows"])
    return "\n\n".join(parts) + "\n"


def _run(run: dict) -> dict:
    keys = ("id", "year", "stage", "note", "reason", "parent", "tool_version", "rules_path", "rules_sha256",
            "output_sha256", "recorded_at")
    return {key: run[key] for key in keys}


def write_diff(comparison, path: str, force: bool = False) -> None:
    from ..io.workbook import Sheet, write_workbook

    word, sections = _sections(comparison)
    sheets = [Sheet(heading[:31], headers, rows, autofilter=True) for heading, headers, rows in sections]
    sheets.append(Sheet(word["diff_rules"], [word["diff_rules"]], [[line] for line in comparison.rules_diff]))
    write_workbook(path, sheets, kind="diff", force=force)
