"""Render the HTML report (and one report card) to PDF with headless Chromium and report how it prints.

    python tools/render_report.py [--out DIR] [--png] [--rules R --data D] [--quick]

Writes ``report.html`` and the first unit's card with the library functions the commands call,
prints each to A4 PDF (``chromium --headless --print-to-pdf``, no header or footer, time for the
charts to draw), then prints the page count and whether the summary has page 1 to itself (the
charts heading starts page 2). ``--png`` also writes PNG pages (pdftoppm) to look at; ``--quick``
leaves out the values needed to cross a line (seconds instead of ten). Exits 1 when the summary
does not fit page 1, 2 when Chromium or poppler-utils is missing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--virtual-time-budget=5000",
         "--disable-background-networking", "--no-first-run"]


def browser() -> str | None:
    for name in (os.environ.get("ZONESCORE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        path = name and shutil.which(name)
        if path:
            return path
    return None


def write_pages(rules: Path, data: Path, out: Path, needed: bool) -> list[Path]:
    from scoring.analysis.explain import explain_unit
    from scoring.engine.run import run_files
    from scoring.publish.cards import card_html
    from scoring.publish.html_report import report_html

    result = run_files(rules, (data,))
    report = out / "report.html"
    report.write_text(report_html(result, needed=needed), encoding="utf-8")
    card = out / "card.html"
    card.write_text(card_html(result, explain_unit(result, result.ranking.order[0], needed)), encoding="utf-8")
    return [report, card]


def to_pdf(chromium: str, page: Path) -> Path:
    pdf = page.with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()],
                       check=True, capture_output=True, timeout=180)
    return pdf


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def summary_fits(pages: list[str], charts_heading: str) -> bool:
    """The summary has page 1 to itself: no charts heading on it, the heading on page 2."""
    return len(pages) > 1 and charts_heading not in pages[0] and charts_heading in pages[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the pages, PDFs and PNGs (default: a temporary one)")
    parser.add_argument("--png", action="store_true", help="also write PNG pages with pdftoppm")
    parser.add_argument("--quick", action="store_true", help="leave out the values needed to cross a line")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules" / "qingpu-2023.yaml")
    parser.add_argument("--data", type=Path, default=ROOT / "zones.csv")
    args = parser.parse_args(argv)
    chromium = browser()
    if chromium is None or shutil.which("pdftotext") is None:
        print("Chromium and poppler-utils (pdftotext) are needed", file=sys.stderr)
        return 2
    from scoring.report.words import words
    from scoring.api.assessment import load_assessment

    heading = words(load_assessment(args.rules).spec)["charts"]
    out = args.out or Path(tempfile.mkdtemp(prefix="zonescore-report-"))
    out.mkdir(parents=True, exist_ok=True)
    fits = True
    for page in write_pages(args.rules, args.data, out, not args.quick):
        pdf = to_pdf(chromium, page)
        pages = page_texts(pdf)
        line = f"{page.name:12} pages {len(pages):3}"
        if page.name == "report.html":
            fits = summary_fits(pages, heading)
            line += f"  summary alone on page 1: {'yes' if fits else 'NO'}"
        print(line)
        if args.png:
            subprocess.run(["pdftoppm", "-r", "70", "-l", "6", "-png", str(pdf), str(out / pdf.stem)], check=True)
    print(f"files in {out}")
    return 0 if fits else 1


if __name__ == "__main__":
    sys.exit(main())
