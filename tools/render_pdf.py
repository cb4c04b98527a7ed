"""Render the sample's workbooks to PDF with LibreOffice and report how each sheet prints.

    python tools/render_pdf.py [--out DIR] [--png] [--rules R --data D]

Writes ``run --out``, ``warnings --out``, ``commended --out`` and ``template --out`` workbooks for
the rule and data files (default: the shipped Qingpu sample), then converts each sheet on its
own to PDF (``soffice --headless --convert-to pdf``) and prints its page count and whether it
printed one page wide (every page carries the first and the last column's header, which the
repeated header rows put on every page of a sheet that is not cut into vertical strips).
``--png`` also writes PNG pages (pdftoppm) to look at. Exits 1 when a list sheet takes more
than one page or a sheet is more than one page wide; 2 when LibreOffice is not installed.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ONE_PAGE = ("warnings.xlsx", "commended.xlsx")  # workbooks whose every sheet must print on one page


def write_workbooks(rules: Path, data: Path, out: Path) -> list[Path]:
    """The four workbooks, written by the library functions the commands call."""
    from scoring.api.assessment import load_assessment
    from scoring.engine.run import run_files
    from scoring.errors import OptionError
    from scoring.io.template import write_template
    from scoring.report.excel import write_results
    from scoring.report.exports import selector_outcome, write_list

    result = run_files(rules, data)
    written = [out / "run.xlsx"]
    write_results(result, written[0], force=True)
    for name, side in (("warnings.xlsx", "bottom"), ("commended.xlsx", "top")):
        try:
            outcome = selector_outcome(result.assessment, side)
        except OptionError:  # no outcome chosen from that side: no such list
            continue
        write_list(result, outcome, out / name, force=True)
        written.append(out / name)
    write_template(load_assessment(rules), out / "template.xlsx", force=True)
    return [*written, out / "template.xlsx"]


def single_sheets(book_path: Path, out: Path) -> list[tuple[str, Path, tuple[str, str]]]:
    """One workbook per sheet (print settings kept): (sheet name, file, first and last header)."""
    from openpyxl import load_workbook

    names = load_workbook(book_path).sheetnames
    found = []
    for index, name in enumerate(names):
        book = load_workbook(book_path)
        for other in [n for n in names if n != name]:
            book.remove(book[other])
        ws = book[name]
        header_row = int(str(ws.print_title_rows or "1:1").split(":")[0].lstrip("$") or 1)
        first = _header_text(ws, header_row, 1)
        last = _header_text(ws, header_row, ws.max_column)
        path = out / f"{book_path.stem}-{index + 1}.xlsx"
        book.save(path)
        found.append((name, path, (first, last)))
    return found


def _header_text(ws, row: int, column: int) -> str:
    for r in range(row, row + 4):
        value = ws.cell(r, column).value
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def to_pdf(path: Path, out: Path, profile: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    return out / (path.stem + ".pdf")


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the workbooks, PDFs and PNGs (default: a temporary one)")
    parser.add_argument("--png", action="store_true", help="also write PNG pages with pdftoppm")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules" / "qingpu-2023.yaml")
    parser.add_argument("--data", type=Path, default=ROOT / "zones.csv")
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        print("LibreOffice (soffice) and poppler-utils (pdftotext) are needed", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="zonescore-pdf-"))
    out.mkdir(parents=True, exist_ok=True)
    failures = []
    with tempfile.TemporaryDirectory() as profile:
        for book in write_workbooks(args.rules, args.data, out):
            for name, path, (first, last) in single_sheets(book, out):
                pdf = to_pdf(path, out, Path(profile))
                pages = page_texts(pdf)
                wide = all(first in page and last in page for page in pages)
                print(f"{book.name:16} {name:12} pages {len(pages):2}  one page wide: {'yes' if wide else 'NO'}")
                if not wide or (book.name in ONE_PAGE and len(pages) != 1):
                    failures.append(f"{book.name} {name}")
                if args.png:
                    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(out / pdf.stem)], check=True)
    print(f"files in {out}")
    if failures:
        print("does not print as it should: " + ", ".join(failures), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
