"""A data template: exactly the columns the rules read, for each department to fill in.

Columns: the unit id, the name, the display columns, then every input under the header the
rule file gives it (``column:``, else its name), each once. An input's label and unit go into
a note on its header cell. Given a previous year's data file, the template has one row per
unit with the id, name and display columns filled in and the inputs left empty.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .data import LINE_COLUMN, read_table
from ..errors import DataError, Problem
from ..messages import tr
from ..report.words import words


@dataclass(frozen=True)
class TemplateColumn:
    header: str  # as in the data file
    name: str  # name in the rules
    kind: str  # 'id', 'name', 'display' or 'input'
    label: str | None = None
    unit: str | None = None
    range: tuple | None = None
    type: str = "text"

    def note(self, word: dict[str, str]) -> str:
        """Text of the header cell's note: label, unit, name in the rules, range."""
        lines = [self.label or self.name]
        if self.unit:
            lines.append(f"{word['measure_unit']}: {self.unit}")
        if self.name != self.header:
            lines.append(f"{word['name']}: {self.name}")
        if range_text(self.range):
            lines.append(f"{word['range']}: {range_text(self.range)}")
        return "\n".join(lines)


def range_text(bounds: tuple | None) -> str:
    """``0 – 1``, ``≥ 0``, ``≤ 100`` or empty."""
    lo, hi = bounds or (None, None)
    if lo is not None and hi is not None:
        return f"{lo:g} – {hi:g}"
    if lo is not None:
        return f"≥ {lo:g}"
    return f"≤ {hi:g}" if hi is not None else ""


def template_columns(assessment) -> list[TemplateColumn]:
    """The columns a data file needs for ``assessment``, in order, each header once."""
    spec = assessment.spec
    columns = [TemplateColumn(spec.id_column, spec.id_column, "id"),
               TemplateColumn(spec.name_column, spec.name_column, "name", label=words(spec)["unit"])]
    columns += [TemplateColumn(c, c, "display") for c in spec.display_columns]
    for name, inp in spec.inputs.items():
        columns.append(TemplateColumn(inp.column or name, name, "input", inp.label, inp.unit, inp.range, inp.type))
    unique: dict[str, TemplateColumn] = {}
    for column in columns:
        unique.setdefault(column.header, column)
    return list(unique.values())


def previous_units(assessment, path: str | Path, sheet: str | None = None) -> list[list[str]]:
    """Id, name and display values of every unit in a previous data file, sorted by id."""
    spec = assessment.spec
    table, _ = read_table(path, sheet)
    keep = [c.header for c in template_columns(assessment) if c.kind != "input"]
    problems = []
    if spec.id_column not in table.columns:
        problems.append(Problem(tr("missing column"), file=str(path), line=1, field=spec.id_column,
                                expected=tr("a column headed '{header}'", header=spec.id_column),
                                found=tr("columns: {columns}",
                                         columns=", ".join(c for c in table.columns if c != LINE_COLUMN))))
        raise DataError(tr("Cannot take units from {path}", path=path), problems)
    ids = table[spec.id_column].astype(str).str.strip()
    for line in table.loc[ids == "", LINE_COLUMN]:
        problems.append(Problem(tr("empty unit id"), file=str(path), line=int(line), field=spec.id_column,
                                expected=tr("a unique id in every row")))
    for unit_id in sorted(set(ids[ids.duplicated() & (ids != "")])):
        lines = ", ".join(str(v) for v in table.loc[ids == unit_id, LINE_COLUMN])
        problems.append(Problem(tr("duplicate unit id on lines {lines}", lines=lines), file=str(path),
                                field=spec.id_column, found=repr(unit_id), expected=tr("each id once")))
    if problems:
        raise DataError(tr("Cannot take units from {path}", path=path), problems)
    rows = []
    for position in sorted(range(len(table)), key=lambda i: ids.iat[i]):
        row = [ids.iat[position]]
        row += [str(table[h].iat[position]).strip() if h in table.columns else "" for h in keep[1:]]
        rows.append(row)
    return rows


def template_sheet(assessment, rows: list[list[str]] | None = None):
    """The template as an :class:`scoring.io.workbook.Sheet`, header notes on every column."""
    from .workbook import Sheet
    from ..report.print_setup import page_for

    spec = assessment.spec
    word = words(spec)
    columns = template_columns(assessment)
    width = len(columns)
    rows = [list(r) + [None] * (width - len(r)) for r in rows or ()]
    comments = {i: c.note(word) for i, c in enumerate(columns)}
    formats = ["@" if c.kind != "input" or c.type == "text" else None for c in columns]  # ids stay text
    page = page_for(spec, header=f"{spec.title} · {word['template']}")  # no title row: row 1 stays the header
    return Sheet(word["template"], [c.header for c in columns], rows, formats, comments=comments,
                 frozen_columns=2, page=page)


def template_text(assessment, fmt: str = "table") -> str:
    """The template's columns as a table (terminal or Markdown): header, label, unit, name, range."""
    word = words(assessment.spec)
    headers = [word["column"], word["label"], word["measure_unit"], word["name"], word["range"]]
    rows = []
    for c in template_columns(assessment):
        rows.append([c.header, c.label or "", c.unit or "", c.name if c.name != c.header else "",
                     range_text(c.range)])
    title = f"{assessment.spec.title} · {word['template']}"
    if fmt == "markdown":
        from ..report.formatting import markdown_table, markdown_text

        return f"## {markdown_text(title)}\n\n{markdown_table(headers, rows)}\n"
    from tabulate import tabulate

    return f"{title}\n\n{tabulate(rows, headers=headers, tablefmt='simple', disable_numparse=True)}\n"


def write_template(assessment, path: str | Path, data: str | Path | None = None, sheet: str | None = None,
                   force: bool = False) -> None:
    """Save the template: .xlsx (with header notes) or .csv (UTF-8 with BOM, header and rows only).

    Never over the rule file or ``data``; an existing file only if it is a previous template that
    nobody has filled in, or with ``force`` (:func:`scoring.io.outputs.save`).
    """
    from .outputs import check_target, output_format

    fmt = output_format("template", None, path)
    inputs = [("--rules", assessment.path), ("--data", data)]
    check_target(path, inputs)
    rows = previous_units(assessment, data, sheet) if data is not None else []
    if fmt == "csv":
        from .fileio import csv_document
        from .outputs import save

        headers = [c.header for c in template_columns(assessment)]
        padded = [r + [""] * (len(headers) - len(r)) for r in rows]
        content = csv_document(headers, padded).encode("utf-8-sig")
        save(path, content, inputs, force, _unfilled_template(assessment, content))
        return
    from .workbook import write_workbook

    write_workbook(path, [template_sheet(assessment, rows)], "template", inputs, force)


def _unfilled_template(assessment, content: bytes):
    """Recognise a previous CSV template: the same header row, and no input cell filled in."""
    from .outputs import same_text_kind

    same_header = same_text_kind("csv", content)
    inputs = [i for i, c in enumerate(template_columns(assessment)) if c.kind == "input"]

    def recognise(path: Path) -> str | None:
        import csv
        import io

        different = same_header(path)
        if different is not None:
            return different
        try:
            rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
        except (UnicodeDecodeError, csv.Error):
            return "a file that is not a zonescore template"
        if any(i < len(row) and row[i].strip() for row in rows[1:] for i in inputs):
            return "a template with figures filled in"
        return None

    return recognise
