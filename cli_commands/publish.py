"""Documents to publish: the HTML report (or the 通报 draft in Word) and per-unit report cards."""
from __future__ import annotations

import click

from .common import (data_option, engine_option, force_option, inputs_of, output_target, rules_option, sheet_option,
                     timestamp_option, wrote)
from .history import history_options, scored_run
from .i18n import command, option


@command(short_help="The HTML report, or the 通报 in Word.")
@rules_option
@data_option
@option("--out", required=True, type=click.Path(dir_okay=False),
        help="The file to write: .html (report with charts, works offline) or .docx (the 通报 draft).")
@option("--format", "fmt", type=click.Choice(("html", "docx")), default=None,
        help="html or docx [default: from the --out extension].")
@force_option
@timestamp_option
@sheet_option
@engine_option
@history_options
def report(rules_path: str, data_path: tuple[str, ...], out: str, fmt: str | None, force: bool, timestamp: bool,
           sheet: str | None, engine: str = "auto", db: str | None = None, year: int | None = None) -> None:
    """Write the results for publication: an HTML report in one self-contained file (summary for the
    leadership, lists, lines, charts, ranked table, a section per unit), or the 通报 draft as a
    Word document (--out 通报.docx)."""
    from scoring.io.outputs import check_replace, same_workbook_kind, save
    from scoring.publish.html import recognise_page
    from scoring.report.provenance import stamp

    inputs = inputs_of(rules_path, data_path)
    fmt = output_target("report", fmt, out, inputs)
    recognise = same_workbook_kind("notice") if fmt == "docx" else recognise_page("report")
    check_replace(out, recognise, force)  # before the work: a refused file costs no time
    result = scored_run(rules_path, data_path, sheet, engine, db, year)  # with last years' finals, if recorded
    if timestamp:
        stamp(result)
    if fmt == "docx":
        from scoring.publish.notice_docx import notice_docx

        save(out, notice_docx(result), inputs, force, recognise)
    else:
        from scoring.history.previous import rank_trends
        from scoring.history.store import store_path
        from scoring.publish.html_report import report_html

        trends = rank_trends(store_path(db), result.data)
        save(out, report_html(result, trends=trends).encode("utf-8"), inputs, force, recognise)
    wrote(out)


@command(short_help="A report card per unit.")
@rules_option
@data_option
@option("--out", required=True, type=click.Path(),
        help="A folder for one HTML card per unit, or a .xlsx file for one workbook with a sheet per unit.")
@option("--format", "fmt", type=click.Choice(("html", "xlsx")), default=None,
        help="html (a folder of pages) or xlsx (one workbook) [default: xlsx for a .xlsx --out, else html].")
@force_option
@sheet_option
@engine_option
def cards(rules_path: str, data_path: tuple[str, ...], out: str, fmt: str | None, force: bool, sheet: str | None,
          engine: str = "auto") -> None:
    """Write a report card per unit to send to each unit: indicator values and points, peer rank per
    indicator, adjustments with reasons, rank, outcome, distance to each line and the values it
    needs."""
    from scoring.engine.run import run_files
    from scoring.publish.cards import card_folder, write_cards

    inputs = inputs_of(rules_path, data_path)
    fmt = fmt or ("xlsx" if out.lower().endswith(".xlsx") else "html")
    if fmt == "html":
        card_folder(out)  # before the work: a file in the way costs no time
    result = run_files(rules_path, data_path, sheet, engine)
    if fmt == "xlsx":
        from scoring.publish.cards_xlsx import write_card_workbook

        output_target("cards", fmt, out, inputs)
        write_card_workbook(result, out, inputs, force)
        wrote(out)
        return
    written = write_cards(result, out, inputs, force)
    wrote(f"{out} ({len(written)})")


COMMANDS = (report, cards)
