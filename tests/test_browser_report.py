"""The HTML report in a real browser (Playwright driving Debian's chromium, headless): opened from
a file:// address it makes no request but for the file itself, draws its 3 charts and one radar
per unit, is not blank, and prints to A4 with the summary alone on the first page. Skipped
outside CI when no chromium is installed (tests/browser.py)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")

from scoring.engine.run import run_files  # noqa: E402
from scoring.publish.html_report import report_html  # noqa: E402
from tests.browser import browser  # noqa: E402,F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent
RULES, DATA = str(ROOT / "rules" / "qingpu-2023.yaml"), str(ROOT / "zones.csv")
CHARTS = 3 + 39  # totals, group points, heat map; a radar per unit


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(report_html(run_files(RULES, (DATA,)), needed=False), encoding="utf-8")
    return path


def open_page(browser, path: Path, charts: int):
    """The page after its ``charts`` are drawn, with the requests it made and the errors it raised."""
    requests, errors = [], []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function(f"() => window.zsCharts === {charts}", timeout=20000)
    return page, requests, errors


@pytest.fixture(scope="module")
def opened(browser, report_file):
    page, requests, errors = open_page(browser, report_file, CHARTS)
    yield page, requests, errors
    page.close()


def test_a_card_draws_its_radar_offline(browser, tmp_path):
    from scoring.analysis.explain import explain_unit
    from scoring.publish.cards import card_html

    result = run_files(RULES, (DATA,))
    path = tmp_path / "card.html"
    path.write_text(card_html(result, explain_unit(result, "Z31", needed=False)), encoding="utf-8")
    page, requests, errors = open_page(browser, path, 1)
    assert requests == [path.as_uri()] and errors == []
    assert page.eval_on_selector_all("#radar-1 svg", "nodes => nodes.length") == 1
    pdf = tmp_path / "card.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        assert text.count("\f") == 1, "the card prints on one A4 page"
    page.close()


def test_only_request_is_the_file_itself(opened, report_file):
    _, requests, errors = opened
    assert requests == [report_file.as_uri()]
    assert errors == []


def test_every_chart_is_drawn_as_svg(opened):
    page, _, _ = opened
    assert page.evaluate("window.zsCharts") == CHARTS
    assert page.eval_on_selector_all(".chart svg", "nodes => nodes.length") == CHARTS
    assert page.inner_text("h1") == "青浦区2023年度经济小区招商服务管理考核结果报告"


def test_screenshot_is_not_blank(opened, tmp_path):
    page, _, _ = opened
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    image = pytest.importorskip("PIL.Image").open(shot).convert("L")
    low, high = image.getextrema()
    assert high - low > 100, "the screenshot is one colour"
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height, "almost nothing drawn"


def test_summary_fits_the_first_printed_page(opened, tmp_path):
    page, _, _ = opened
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout.strip() for n in (1, 2)]
    assert "结果摘要" in pages[0] and "预警提示名单" in pages[0] and "63.02" in pages[0], "the whole summary on page 1"
    assert "图表" not in pages[0], "nothing but the summary on page 1"
    assert "图表" in pages[1] and "结果摘要" not in pages[1], "the charts start page 2"
