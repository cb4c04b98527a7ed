"""``zonescore cards``: a report card per unit, as one HTML page each (printable on one or two A4
pages) or as one workbook with a sheet per unit; ``explain UNIT --out F`` writes one card."""
from __future__ import annotations

from pathlib import Path

from ..analysis.explain import explain_unit
from ..registry import EXTENSIONS
from ..report.words import language, words
from . import report_data as data
from .html import el, page, recognise_page
from .unit_card import unit_card


def card_html(result, explanation, medians: dict | None = None) -> str:
    spec = result.assessment.spec
    word = words(spec)
    medians = data.group_medians(result) if medians is None else medians
    title = f"{spec.title} · {explanation.name}"
    body = [el("h1", spec.title), unit_card(explanation, word, medians, "radar-1")]
    return page(title, body, language(spec), with_charts=True, kind="card")


def card_file_name(explanation) -> str:
    """``<id>-<name>.html`` with characters Windows forbids in file names replaced."""
    safe = "".join("_" if ch in '<>:"/\\\\|?*' or ord(ch) < 32 else ch for ch in f"{explanation.unit}-{explanation.name}")
    return safe.strip(" .") + EXTENSIONS["html"][0]


def card_folder(folder: str | Path) -> Path:
    """The folder for the cards, created if missing; an existing file there is refused, never replaced."""
    from ..errors import OptionError, Problem
    from ..io.fileio import cannot_write
    from ..messages import tr

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OptionError(tr("Refusing to write the cards into {path}: it is a file", path=folder),
                          [Problem(tr("cards go into a folder, one page per unit"), file=str(folder), field="--out",
                                   found=tr("an existing file"),
                                   expected=tr("a folder (new or existing), or a .xlsx file for one workbook"))])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    return folder


def write_cards(result, folder: str | Path, inputs=(), force: bool = False) -> list[Path]:
    """One HTML card per unit in ``folder`` (created if missing), in rank order; the paths written."""
    from ..io.outputs import save

    folder = card_folder(folder)
    medians = data.group_medians(result)
    written = []
    for unit in result.ranking.order:
        explanation = explain_unit(result, unit)
        path = folder / card_file_name(explanation)
        save(path, card_html(result, explanation, medians).encode("utf-8"), inputs, force, recognise_page("card"))
        written.append(path)
    return written


def write_card(result, explanation, path: str | Path, fmt: str, inputs=(), force: bool = False) -> None:
    """``explain UNIT --out F``: one unit's card as a page (``html``) or a one-sheet workbook (``xlsx``),
    the same card that ``cards`` writes for every unit."""
    if fmt == "xlsx":
        from ..io.workbook import write_workbook
        from .cards_xlsx import card_sheet

        write_workbook(path, [card_sheet(explanation, words(result.assessment.spec))], "card", inputs, force)
        return
    from ..io.outputs import save

    save(path, card_html(result, explanation).encode("utf-8"), inputs, force, recognise_page("card"))
