"""The tuning page in a real browser (Playwright driving Debian's chromium, headless) against a
server started here on a free local port: load, move a slider, the table re-ranks exactly as
``zonescore whatif`` says, click a unit, reload from the shared address, download the rule file
and run it to the same ranking. Skipped outside CI when no chromium is installed (tests/browser.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
pytest.importorskip("playwright.sync_api")

from cli import main  # noqa: E402
from scoring.web.app import create_app  # noqa: E402
from scoring.web.server import running  # noqa: E402
from scoring.web.session import Session  # noqa: E402
from tests.browser import browser  # noqa: E402,F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent
RULES, DATA = str(ROOT / "rules" / "qingpu-2023.yaml"), str(ROOT / "zones.csv")


@pytest.fixture(scope="module")
def address():
    with running(create_app(Session(RULES, (DATA,)))) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1500, "height": 1000})
    opened = context.new_page()
    errors = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors


def cli_whatif(*weights: str) -> dict:
    options = [item for weight in weights for item in ("--weight", weight)]
    result = CliRunner().invoke(main, ["whatif", *options, "--rules", RULES, "--data", DATA, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def table(page) -> list[tuple[str, str, str]]:
    """(rank, change, unit name) of every row of the ranking table."""
    return [tuple(row) for row in page.eval_on_selector_all(
        "#ranking tbody tr", "rows => rows.map(r => [r.cells[0].innerText, r.cells[1].innerText, r.cells[2].innerText])")]


def expected_table(document: dict) -> list[tuple[str, str, str]]:
    def change(value):
        return "" if value is None else f"▲{value}" if value > 0 else f"▼{-value}" if value < 0 else "–"

    return [(str(u["scenario"]["rank"] or ""), change(u["rank_change"]), u["name"]) for u in document["units"]]


def wait_for_scenario(page, value: str) -> None:
    page.wait_for_function("v => document.getElementById('full-score').textContent.endsWith(v)", arg=value)
    page.wait_for_function("() => document.getElementById('busy').hidden")


def test_moving_a_slider_reranks_as_whatif_says(page, address):
    page.goto(address + "/")
    page.wait_for_selector("body[data-ready=true]")
    assert page.inner_text("#weights-panel h2") == "权重"
    page.fill("#slider-growth", "55")  # a range input: sets the value and fires its input event
    wait_for_scenario(page, "115.00")
    assert table(page) == expected_table(cli_whatif("growth=55"))
    assert "growth:55" in page.url
    page.reload()  # the address holds the scenario
    page.wait_for_selector("body[data-ready=true]")
    wait_for_scenario(page, "115.00")
    assert table(page) == expected_table(cli_whatif("growth=55")) and page.input_value("#number-growth") == "55"
    entered = page.eval_on_selector_all("#ranking tr.entered td.name", "cells => cells.map(c => c.innerText)")
    moves = cli_whatif("growth=55")["summary"]["outcome_moves"]
    names = {u["id"]: u["name"] for u in cli_whatif("growth=55")["units"]}
    assert sorted(entered) == sorted(names[u] for m in moves for u in m["entered"])
    assert "斯皮尔曼" in page.inner_text("#agreement")

    page.click("#ranking tbody tr:nth-child(2)")  # a unit's explanation
    page.wait_for_function("() => document.getElementById('explanation').textContent.length > 0")
    assert table(page)[1][2] in page.inner_text("#explanation")


def test_shared_address_restores_the_scenario_and_the_rule_file_runs_to_it(page, address, tmp_path):
    page.goto(address + "/#w=quality:20,tax_growth:35")
    page.wait_for_selector("body[data-ready=true]")
    expected = cli_whatif("quality=20", "tax_growth=35")
    wait_for_scenario(page, f"{expected['summary']['full_score'][1]:.2f}")  # 90.00: the top level counts
    assert table(page) == expected_table(expected)
    assert page.input_value("#number-quality") == "20"

    with page.expect_download() as download:
        page.click("#download-rules")
    tuned = tmp_path / download.value.suggested_filename
    download.value.save_as(tuned)
    result = CliRunner().invoke(main, ["run", "--rules", str(tuned), "--data", DATA, "--format", "json"])
    ranks = {u["id"]: u["rank"] for u in json.loads(result.stdout)["units"]}
    assert ranks == {u["id"]: u["scenario"]["rank"] for u in expected["units"]}

    page.click("#reset")
    wait_for_scenario(page, "100.00")
    assert "#" not in page.url or page.url.endswith("#")
    page.fill("#number-growth", "-3")
    page.dispatch_event("#number-growth", "change")
    page.wait_for_selector("#error:not([hidden])")
    assert "weight must be a positive number" in page.inner_text("#error")


def test_robustness_view(page, address):
    page.goto(address + "/#w=growth:50")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#draws", "300")
    page.click("#run-robustness")
    page.wait_for_selector("#robust-table tbody tr")
    rows = page.eval_on_selector_all("#robust-table tbody tr", "rows => rows.length")
    assert rows == 39


def test_a_quickly_moved_slider_ends_on_its_last_value(page, address):
    page.goto(address + "/")
    page.wait_for_selector("body[data-ready=true]")
    for value in ("31", "36", "47", "58", "62"):  # faster than the answers come
        page.fill("#slider-growth", value)
    wait_for_scenario(page, "122.00")
    page.wait_for_timeout(200)
    assert table(page) == expected_table(cli_whatif("growth=62"))
    assert page.input_value("#number-growth") == "62"


def test_the_page_works_through_a_token(page):
    with running(create_app(Session(RULES, (DATA,)), token="t0ken")) as base:
        page.goto(base + "/?token=t0ken#w=growth:50")
        page.wait_for_selector("body[data-ready=true]")
        wait_for_scenario(page, "110.00")
        assert table(page) == expected_table(cli_whatif("growth=50"))
        assert "token=t0ken" in page.get_attribute("#download-rules", "href")
        page.goto(base + "/static/app.css?x=1")  # the cookie the page got
        assert "Access refused" not in page.content()
