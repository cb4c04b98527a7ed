"""``zonescore report --out 通报.docx``: the results as an official notice (通报), a Word document.

The layout follows GB/T 9704 as far as a generated document can: A4, margins 37/35/28/26 mm,
the title in 方正小标宋简体 2号, the body in 仿宋_GB2312 3号 with a fixed 28 pt line and a first-line
indent of two characters, headings in 黑体; the addressee line, an opening paragraph with the counts,
one paragraph and one table per outcome (序号, rank, name, display columns, total), 特此通报,
placeholders for the issuing body and the date, and the full ranking as an attachment on its own
page (its header row repeated on every page). Fonts missing on a computer fall back to 宋体 / 仿宋 /
SimHei (``w:altName`` in the font table). An English rule file gives the same notice in English,
in Times New Roman.

Counts and lists come from :mod:`.report_data`, the ranking table from
:func:`scoring.report.render.headline_rows`. The bytes are the same on every run: the core
properties carry a fixed date and the zip entries a fixed time, in a fixed order.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from ..report.formatting import fixed
from ..report.render import headline_rows
from ..report.words import language, words
from . import report_data as data
from .notice_layout import CELL_MARGIN_PT, column_widths

# Fixed words of the notice, per output language (to move into scoring/report/words.py).
NOTICE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "notice_title": "关于{title}结果的通报",
        "addressee": "各{unit}、各有关单位：",
        "opening": "{title}工作已经完成。经数据汇总、综合评分，本次考核共{total}个{unit}，其中{parts}。"
                   "现将考核结果通报如下。",
        "opening_no_parts": "{title}工作已经完成。经数据汇总、综合评分，本次考核共{total}个{unit}。"
                            "现将考核结果通报如下。",
        "count_part": "{label}{count}个",
        "part_separator": "，",
        "heading": "{number}、{label}名单",
        "outcome_intro": "考核结果为“{label}”的{unit}共{count}个{line}，按排名先后排列如下：",
        "outcome_line": "（{label}线{line}分）",
        "outcome_none": "考核结果为“{label}”的{unit}：无。",
        "closing": "特此通报。",
        "attachment_note": "附件：{title}排名表",
        "attachment": "附件",
        "attachment_title": "{title}排名表",
        "issuer": "【发文机关】",
        "date": "【日期】",
        "serial": "序号",
        "page_number": "— {page} —",
    },
    "en": {
        "notice_title": "Notice on the Results of the {title}",
        "addressee": "To every {unit} and all departments concerned:",
        "opening": "The {title} is complete. After the data were checked and scored, {total} in all were "
                   "assessed: {parts}. The results are announced as follows.",
        "opening_no_parts": "The {title} is complete. After the data were checked and scored, {total} in all "
                            "were assessed. The results are announced as follows.",
        "count_part": "{label}: {count}",
        "part_separator": "; ",
        "heading": "{number}. {label}",
        "outcome_intro": "{count} assessed with the outcome \u201c{label}\u201d{line}, in rank order:",
        "outcome_line": " ({label} line: {line})",
        "outcome_none": "Assessed with the outcome \u201c{label}\u201d: none.",
        "closing": "This notice is hereby given.",
        "attachment_note": "Attachment: {title} \u2014 ranking",
        "attachment": "Attachment",
        "attachment_title": "{title} \u2014 ranking",
        "issuer": "[Issuing body]",
        "date": "[Date]",
        "serial": "No.",
        "page_number": "\u2014 {page} \u2014",
    },
}

LATIN = "Times New Roman"
# role -> (East Asian font, size in pt, bold); the Latin font is always LATIN
FACES = {
    "zh": {"title": ("方正小标宋简体", 22, False), "body": ("仿宋_GB2312", 16, False),
           "heading": ("黑体", 16, False), "table": ("仿宋_GB2312", 14, False),
           "table_head": ("黑体", 14, False), "small": ("仿宋_GB2312", 10.5, False),
           "small_head": ("黑体", 10.5, False), "page": ("宋体", 14, False)},
    "en": {"title": (LATIN, 18, True), "body": (LATIN, 14, False), "heading": (LATIN, 14, True),
           "table": (LATIN, 12, False), "table_head": (LATIN, 12, True), "small": (LATIN, 10, False),
           "small_head": (LATIN, 10, True), "page": (LATIN, 12, False)},
}
FALLBACKS = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "黑体": "SimHei", "宋体": "SimSun"}
LINE_PT = {"zh": 28, "en": 24}
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
PINNED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
NUMERALS = "一二三四五六七八九十"


def notice_docx(result) -> bytes:
    """The notice for a run (:class:`scoring.engine.run.RunResult`) as the bytes of a .docx file."""
    spec = result.assessment.spec
    lang = language(spec)
    say = NOTICE_WORDS[lang]
    doc = _new_document(lang)
    _write_body(doc, result, lang, say)
    _write_attachment(doc, result, lang, say)
    _pin_properties(doc, say["notice_title"].format(title=spec.title))
    raw = io.BytesIO()
    doc.save(raw)
    return _stable_zip(raw.getvalue())


# --- the text ------------------------------------------------------------------------------------

def _write_body(doc, result, lang: str, say: dict) -> None:
    spec = result.assessment.spec
    word = words(spec)
    _paragraph(doc, lang, say["notice_title"].format(title=spec.title), "title", align="center",
               line=36, after=28)
    _paragraph(doc, lang, say["addressee"].format(unit=word["unit"]), "body", indent=False)
    _paragraph(doc, lang, opening_sentence(result, say), "body")
    for number, outcome in enumerate(data.outcome_summaries(result)):
        _paragraph(doc, lang, say["heading"].format(number=_numeral(number, lang), label=outcome.label), "heading")
        _paragraph(doc, lang, _outcome_intro(outcome, word, say, spec.precision), "body")
        if outcome.rows:
            headers = [say["serial"], word["rank"], word["unit"], *spec.display_columns, word["total"]]
            _table(doc, lang, headers, [row[:-1] for row in outcome.rows], "table", repeat_header=True)
    _paragraph(doc, lang, say["closing"], "body")
    _paragraph(doc, lang, "", "body")
    _paragraph(doc, lang, say["attachment_note"].format(title=spec.title), "body")
    _paragraph(doc, lang, "", "body")
    _paragraph(doc, lang, say["issuer"], "body", align="right", indent=False, right=2)
    _paragraph(doc, lang, say["date"], "body", align="right", indent=False, right=2)


def opening_sentence(result, say: dict) -> str:
    """The opening paragraph: the counts of :func:`report_data.counts` in a sentence."""
    spec = result.assessment.spec
    found = data.counts(result)
    parts = say["part_separator"].join(say["count_part"].format(label=label, count=n) for label, n in found[:-1])
    template = say["opening" if parts else "opening_no_parts"]
    return template.format(title=spec.title, total=found[-1][1], unit=words(spec)["unit"], parts=parts)


def _outcome_intro(outcome, word: dict, say: dict, precision: int) -> str:
    if not outcome.rows:
        return say["outcome_none"].format(label=outcome.label, unit=word["unit"])
    line = "" if outcome.line is None else say["outcome_line"].format(label=outcome.label,
                                                                      line=fixed(outcome.line, precision))
    return say["outcome_intro"].format(label=outcome.label, unit=word["unit"], count=len(outcome.rows), line=line)


def _write_attachment(doc, result, lang: str, say: dict) -> None:
    title = result.assessment.spec.title
    _paragraph(doc, lang, say["attachment"], "heading", indent=False).paragraph_format.page_break_before = True
    _paragraph(doc, lang, say["attachment_title"].format(title=title), "title", align="center", line=36, after=14)
    headers, rows = headline_rows(result)
    _table(doc, lang, headers, rows, "small", repeat_header=True)


def _numeral(index: int, lang: str) -> str:
    if lang == "zh" and index < len(NUMERALS):
        return NUMERALS[index]
    return str(index + 1)


# --- formatting helpers --------------------------------------------------------------------------

def _paragraph(doc_or_cell, lang: str, text: str, role: str, *, align: str = "justify", indent: bool = True,
               line: float | None = None, after: float = 0, right: float = 0):
    """A paragraph in ``role``'s face; ``indent``: first line by two characters; ``right``: right
    indent in characters; ``line``: exact line height in pt (default: the body line)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    size = FACES[lang][role][1]
    paragraph = doc_or_cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line or LINE_PT[lang])
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.first_line_indent = Pt(2 * size) if indent and role in ("body", "heading") else Pt(0)
    fmt.right_indent = Pt(right * size)
    if text:
        _style_run(paragraph.add_run(text), lang, role)
    return paragraph


def _style_run(run, lang: str, role: str) -> None:
    from docx.shared import Pt

    east, size, bold = FACES[lang][role]
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_fonts(run._element.get_or_add_rPr(), east)


def _set_fonts(rpr, east: str) -> None:
    """w:rFonts of a run or style: ``east`` for East Asian text, Times New Roman for Latin."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for name, value in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", east), ("cs", LATIN)):
        fonts.set(qn(f"w:{name}"), value)


def _table(doc, lang: str, headers: list[str], rows: list[list[str]], role: str, repeat_header: bool = False):
    """A bordered table spanning the text width, columns as wide as their longest text."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.table import _Cell

    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = column_widths(headers, rows, FACES[lang][role][1], _text_width_pt())
    head_role = role + "_head" if role == "small" else "table_head"
    for r, (tr, values) in enumerate(zip(table._tbl.tr_lst, [headers, *rows])):
        for tc, value, width in zip(tr.tc_lst, values, widths):  # table.cell() is slow: it maps all cells
            _fill_cell(_Cell(tc, table), lang, str(value), head_role if r == 0 else role, width)
    _fix_grid(table, widths)
    _mark_rows(table, repeat_header)
    return table


def _fix_grid(table, widths: list[float]) -> None:
    """Column widths in the table grid too (LibreOffice and WPS read them there); narrow cell margins."""
    from docx.oxml.ns import qn

    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        column.set(qn("w:w"), str(round(width * 20)))
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # the schema wants the margins before it
    margins = properties.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        margins.append(margins.makeelement(qn(f"w:{side}"), {qn("w:w"): str(round(CELL_MARGIN_PT * 20)),
                                                             qn("w:type"): "dxa"}))
    look.addprevious(margins) if look is not None else properties.append(margins)


def _fill_cell(cell, lang: str, text: str, role: str, width_pt: float) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    cell.width = Pt(width_pt)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    size = FACES[lang][role][1]
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(round(size * 1.5))
    fmt.space_before = fmt.space_after = Pt(size * 0.15)
    fmt.first_line_indent = Pt(0)
    if text:
        _style_run(paragraph.add_run(text), lang, role)


def _mark_rows(table, repeat_header: bool) -> None:
    """Rows never split across pages; the header row repeats on every page when asked."""
    from docx.oxml.ns import qn

    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(properties.makeelement(qn("w:cantSplit"), {}))
        if index == 0 and repeat_header:
            properties.append(properties.makeelement(qn("w:tblHeader"), {}))


def _text_width_pt() -> float:
    return (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4


# --- the document ----------------------------------------------------------------------------------

def _new_document(lang: str):
    """An empty A4 document with the notice's margins, default fonts and a page-number footer."""
    import docx
    from docx.shared import Mm

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)
    _set_defaults(doc, lang)
    _declare_fonts(doc, lang)
    _page_number_footer(section, lang)
    _drop_thumbnail(doc)
    return doc


def _set_defaults(doc, lang: str) -> None:
    """Document defaults without theme fonts (they would pick a Japanese face): the body face,
    the language, no space after paragraphs; the Normal style in the body face."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    east = FACES[lang]["body"][0]
    _set_fonts(rpr, east)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN" if lang == "zh" else "en-US")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(FACES[lang]["body"][1])
    _set_fonts(normal.element.get_or_add_rPr(), east)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _declare_fonts(doc, lang: str) -> None:
    """Font table entries for the Chinese faces, each naming the common face to use without it."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from lxml import etree

    if lang != "zh":
        return
    font_part = next(p for p in doc.part.package.iter_parts() if p.partname.endswith("/fontTable.xml"))
    table = parse_xml(font_part.blob)
    for name, alternative in FALLBACKS.items():
        font = table.makeelement(qn("w:font"), {qn("w:name"): name})
        for tag, value in (("altName", alternative), ("charset", "86"), ("family", "auto"), ("pitch", "variable")):
            font.append(font.makeelement(qn(f"w:{tag}"), {qn("w:val"): value}))
        table.append(font)
    font_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section, lang: str) -> None:
    """``— 1 —`` centred in the footer (a PAGE field)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = NOTICE_WORDS[lang]["page_number"].split("{page}")
    _style_run(paragraph.add_run(before), lang, "page")
    field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    paragraph._p.append(field)
    number = paragraph.add_run("1")
    _style_run(number, lang, "page")
    field.append(number._r)
    _style_run(paragraph.add_run(after), lang, "page")


def _drop_thumbnail(doc) -> None:
    """The template's preview picture shows another document: leave it out."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel_id)


def _pin_properties(doc, title: str) -> None:
    """Fixed times; creator and identifier as :func:`scoring.io.outputs.same_workbook_kind` reads them."""
    core = doc.core_properties
    core.title, core.author, core.last_modified_by = title, "zonescore", "zonescore"
    core.identifier = "zonescore:notice"
    core.comments, core.subject, core.keywords, core.category = "", "", "", ""
    core.created = core.modified = core.last_printed = PINNED_TIME.replace(tzinfo=None)
    core.revision = 1


def _stable_zip(raw: bytes) -> bytes:
    """The package again, its entries in the same order with a fixed time and fixed attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
