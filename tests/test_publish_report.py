"""The HTML report, report cards and ``explain --out`` on the shipped sample: structure, lists,
determinism, well-formed HTML, works offline, no English in a Chinese page, safe overwriting.

The report is built once per module without the values needed to cross a line (``needed=False``,
the slow part); one test on a small rule file checks that those values appear.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from conftest import SMALL_ROWS, SMALL_RULES, csv_text, write_rules_file
from scoring.analysis.explain import explain_unit
from scoring.engine.run import run_files
from scoring.publish.cards import card_html
from scoring.publish.html_report import report_html

ROOT = Path(__file__).resolve().parent.parent
RULES, DATA = str(ROOT / "rules" / "qingpu-2023.yaml"), str(ROOT / "zones.csv")
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "wbr"}


class Page(HTMLParser):
    """Parses a page: checks that every tag closes in order, and keeps text nodes (outside script
    and style), script bodies, comments, attributes and elements by tag."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.comments: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.elements: list[tuple[str, dict]] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self.attrs += [(tag, name, value) for name, value in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        inside = self.stack[-1] if self.stack else None
        if inside == "script":
            self.scripts.append(data)
        elif inside == "style":
            self.styles.append(data)
        elif data.strip():
            self.texts.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def chart_options(page: Page) -> list[dict]:
    """The option of every ``zsChart(id, option)`` call in the page's scripts."""
    found = []
    for script in page.scripts:
        for match in re.finditer(r'zsChart\("[^"]+",(\{.*\})\);', script):
            found.append(json.loads(match.group(1)))
    return found


def shown_strings(option, shown: bool = False) -> list[str]:
    """Strings an ECharts option shows: under name, data or text keys (not types, colours or keys)."""
    if isinstance(option, dict):
        return [s for key, value in option.items() for s in shown_strings(value, shown or key in SHOWN_KEYS)]
    if isinstance(option, list):
        return [s for item in option for s in shown_strings(item, shown)]
    return [option] if shown and isinstance(option, str) else []


SHOWN_KEYS = ("name", "data", "text", "formatter")


def tables(text: str) -> list[list[list[str]]]:
    """Each table of an HTML fragment as rows of cell texts (header row first)."""
    found = []
    for table in re.findall(r"<table.*?</table>", text, re.S):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        found.append([[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
                      for r in rows])
    return found


@pytest.fixture(scope="module")
def result():
    return run_files(RULES, (DATA,))


@pytest.fixture(scope="module")
def report(result) -> str:
    return report_html(result, needed=False)


@pytest.fixture(scope="module")
def parsed(report) -> Page:
    return Page(report)


@pytest.fixture(scope="module")
def card(result) -> str:
    return card_html(result, explain_unit(result, "Z31"))


def section(report: str, cls: str) -> str:
    match = re.search(rf'<section class="{cls}"[^>]*>(.*?)</section>', report, re.S)
    assert match, cls
    return match.group(1)


def test_title_counts_and_generator(report, parsed):
    title = "青浦区2023年度经济小区招商服务管理考核结果报告"
    assert f"<title>{title}</title>" in report and f"<h1>{title}</h1>" in report
    assert '<html lang="zh-CN">' in report
    assert ('meta', {"name": "generator", "content": "zonescore report"}) in parsed.elements
    boxes = re.findall(r'<div class="count"><b>(\d+)</b>([^<]+)</div>', section(report, "summary"))
    assert boxes == [("12", "表彰"), ("5", "预警提示"), ("1", "不定等级"), ("39", "参评总数")]


def test_summary_lists_are_numbered_with_ranks_and_lines(report):
    summary = section(report, "summary")
    assert re.findall(r"<h3>([^<]+)</h3>", summary) == ["表彰名单（表彰线 88.17）", "预警提示名单（预警提示线 70.38）"]
    commended, warned = tables(summary)
    assert commended[0] == ["序号", "排名", "经济小区", "所属单位", "总分"]
    assert [row[0] for row in commended[1:]] == [str(n) for n in range(1, 13)]
    assert [row[1] for row in commended[1:]] == ["1", *[str(n) for n in range(3, 14)]]
    assert commended[1][2:] == ["青浦工业园区第一经济小区", "青浦工业园区", "103.03"]
    assert commended[-1][2:] == ["重固第二经济小区", "重固镇", "88.17"]
    assert [row[0] for row in warned[1:]] == ["1", "2", "3", "4", "5"]
    assert [row[1] for row in warned[1:]] == ["28", "36", "37", "38", "39"]


def test_ranked_table_colours_rows_by_outcome(report, result):
    ranking = re.search(r"<h2>排名</h2>(<table.*?</table>)", report, re.S)
    assert ranking, "the ranked table"
    rows = re.findall(r"<tr( class=\"(\w+)\")?>", ranking.group(1))[1:]  # after the header row
    assert len(rows) == 39
    classes = [cls for _, cls in rows]
    assert classes.count("top") == 12 and classes.count("bottom") == 5
    assert classes.count("other") == 1 and classes[order_of(result, "Z39")] == "other", "exempt: grey"
    assert classes[0] == "top" and classes[-1] == "bottom"
    assert classes[order_of(result, "Z37")] == "", "rank 2 is vetoed: no outcome, no colour"


def order_of(result, unit: str) -> int:
    return list(result.ranking.order).index(unit)


def test_one_section_per_unit_in_rank_order(report, result):
    ids = re.findall(r'<section class="unit" id="unit-([^"]+)">', report)
    assert ids == list(result.ranking.order) and len(ids) == 39
    assert ids[0] == "Z31"
    assert "<h2>青浦工业园区第一经济小区（Z31）</h2>" in report
    assert report.count('<section class="page heading"><h2>各经济小区得分说明</h2></section>') == 1
    assert "越线所需数值" not in report, "needed=False leaves the needed values out"


def test_report_is_byte_identical_twice(report, result):
    assert report_html(result, needed=False) == report


def test_report_is_well_formed(parsed):
    assert parsed.errors == []
    assert len(chart_options(parsed)) == 3 + 39


def test_report_works_offline(report, parsed):
    """No attribute points anywhere: no src, no href, no url() or @import in the styles."""
    assert [(tag, name) for tag, name, _ in parsed.attrs if name in ("src", "href", "srcset", "action")] == []
    assert not any("url(" in style or "@import" in style for style in parsed.styles)
    tags = {tag for tag, _ in parsed.elements}
    assert not tags & {"link", "iframe", "img", "object", "embed", "base", "form"}


def test_needed_values_appear_by_default(tmp_path):
    rules = write_rules_file(tmp_path, SMALL_RULES)
    data = tmp_path / "data.csv"
    data.write_text(csv_text(SMALL_ROWS), encoding="utf-8")
    small = run_files(str(rules), (str(data),))
    text = report_html(small)
    assert "<h3>Values needed to cross a line</h3>" in text
    assert "Values needed to cross a line" not in report_html(small, needed=False)


# --- no English in a Chinese page ---------------------------------------------------------------------------

ALLOWED = re.compile(r"^(Z\d+|U\d+|[0-9a-f]{6,}|sha256|SHA-256|zonescore)$")


def english_words(page: Page, files=()) -> list[str]:
    """ASCII words of two letters or more in the page's text and chart labels, less the allowed ones
    (ids, hashes, the program's name) and the ``files`` named in the provenance line."""
    texts = page.texts + [s for option in chart_options(page) for s in shown_strings(option)]
    for name in files:
        texts = [text.replace(name, "") for text in texts]
    words = [w for text in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9-]+", text)]
    return sorted({w for w in words if not ALLOWED.match(w) and re.search(r"[A-Za-z]{2,}", w)})


def test_chinese_report_has_no_english(parsed):
    assert english_words(parsed, (RULES, DATA)) == []
    assert all("ECharts" not in text for text in parsed.texts)
    assert any("ECharts" in comment for comment in parsed.comments)


def test_chinese_card_has_no_english(card):
    page = Page(card)
    assert page.errors == []
    assert english_words(page) == []


def test_the_scan_finds_english():
    page = Page('<p>总分 Total</p><script>zsChart("x",{"legend":{"data":["median"]}});</script>')
    assert english_words(page) == ["Total", "median"]


# --- writing files -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quick_explain():
    """The commands explain every unit without the values needed to cross a line (the slow part,
    tested on a small rule file above): these tests are about files and names."""
    import scoring.publish.cards as cards_module
    import scoring.publish.cards_xlsx as cards_xlsx_module
    import scoring.publish.html_report as report_module

    with pytest.MonkeyPatch.context() as patch:
        for module in (cards_module, cards_xlsx_module, report_module):
            patch.setattr(module, "explain_unit", lambda result, unit, needed=True: explain_unit(result, unit, False))
        yield


def invoke(*args: str):
    return CliRunner().invoke(main, [*args, "--rules", RULES, "--data", DATA])


def test_report_refuses_a_foreign_html_without_force(tmp_path, report):
    from scoring.io.outputs import save
    from scoring.publish.html import recognise_page

    out = tmp_path / "r.html"
    out.write_text("<html>mine</html>", encoding="utf-8")
    with pytest.raises(Exception) as refused:
        save(out, report.encode(), (), False, recognise_page("report"))
    assert "--force" in str(refused.value) or "force" in repr(refused.value).lower()
    assert out.read_text(encoding="utf-8") == "<html>mine</html>"
    save(out, report.encode(), (), True, recognise_page("report"))
    save(out, report.encode(), (), False, recognise_page("report"))  # its own previous output
    assert out.read_text(encoding="utf-8") == report
    assert recognise_page("card")(out) is not None, "a report is not a card"


def test_report_command_refuses_a_foreign_html_before_the_work(tmp_path, monkeypatch):
    import scoring.engine.run as run_module

    monkeypatch.setattr(run_module, "run_files", lambda *args: pytest.fail("scored before refusing"))
    out = tmp_path / "r.html"
    out.write_text("<html>mine</html>", encoding="utf-8")
    refused = CliRunner().invoke(main, ["report", "--out", str(out), "--rules", RULES, "--data", DATA])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert out.read_text(encoding="utf-8") == "<html>mine</html>"


def test_cards_folder_one_page_per_unit(tmp_path, quick_explain):
    folder = tmp_path / "cards"
    first = invoke("cards", "--out", str(folder))
    assert first.exit_code == 0, first.output
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 39
    assert all(re.fullmatch(r"Z\d\d-\w+\.html", name) for name in names), names
    assert "Z31-青浦工业园区第一经济小区.html" in names
    before = (folder / "Z31-青浦工业园区第一经济小区.html").read_bytes()
    again = invoke("cards", "--out", str(folder))
    assert again.exit_code == 0, again.output
    assert (folder / "Z31-青浦工业园区第一经济小区.html").read_bytes() == before
    assert b'<meta name="generator" content="zonescore card">' in before


def test_cards_workbook_one_sheet_per_unit(tmp_path, quick_explain):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "c.xlsx"
    written = invoke("cards", "--out", str(out))
    assert written.exit_code == 0, written.output
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 39
    assert book.sheetnames[0] == "Z31 青浦工业园区第一经济小区"


def test_explain_out_writes_the_card(tmp_path, quick_explain, monkeypatch, result):
    import scoring.analysis.explain as explain_module

    monkeypatch.setattr(explain_module, "explain_unit", lambda r, unit, needed=True: explain_unit(r, unit, False))
    page = tmp_path / "z31.html"
    written = invoke("explain", "Z31", "--out", str(page))
    assert written.exit_code == 0, written.output
    assert page.read_text(encoding="utf-8") == card_html(result, explain_unit(result, "Z31", needed=False))
    assert invoke("explain", "Z31", "--out", str(page)).exit_code == 0, "its own previous output"
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "z31.xlsx"
    assert invoke("explain", "Z31", "--out", str(book)).exit_code == 0
    sheets = openpyxl.load_workbook(book).worksheets
    assert [ws.title for ws in sheets] == ["Z31 青浦工业园区第一经济小区"]
    assert [c.value for c in sheets[0][2]][:2] == ["排名", "1/39"]


def test_explain_out_refuses_what_it_does_not_write(tmp_path):
    refused = invoke("explain", "Z31", "--out", str(tmp_path / "z.csv"))
    assert refused.exit_code != 0 and ".html, .htm, .xlsx" in refused.output
    mismatch = invoke("explain", "Z31", "--format", "json", "--out", str(tmp_path / "z.html"))
    assert mismatch.exit_code != 0 and "--format json does not match" in mismatch.output
    foreign = tmp_path / "mine.html"
    foreign.write_text("<p>mine</p>", encoding="utf-8")
    assert invoke("explain", "Z31", "--out", str(foreign)).exit_code != 0
    assert foreign.read_text(encoding="utf-8") == "<p>mine</p>"
    assert not list(tmp_path.glob("z.*"))


def test_cards_into_an_existing_file_are_refused_cleanly(tmp_path):
    from click.testing import CliRunner

    from cli import main

    target = tmp_path / "zones-copy.csv"
    target.write_text("keep me\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["cards", "--out", str(target)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Error: Refusing to write the cards into {target}: it is a file" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
