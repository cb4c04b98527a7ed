"""The HTML report with a history store: each unit's final rank in earlier years as a trend line."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

import scoring.analysis.explain as explain_module
from cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_report_draws_each_units_rank_by_year(tmp_path, monkeypatch):
    for name in ("rules", "zones.csv", "zones-2022.csv"):
        (shutil.copytree if name == "rules" else shutil.copy)(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    fast = explain_module.explain_unit
    monkeypatch.setattr("scoring.publish.html_report.explain_unit", lambda r, u, *_, **__: fast(r, u, needed=False))
    runner = CliRunner()
    recorded = runner.invoke(main, ["record", "--stage", "终审", "--rules", "rules/qingpu-2022.yaml",
                                    "--data", "zones-2022.csv", "--db", "z.db"])
    assert recorded.exit_code == 0, recorded.output
    assert runner.invoke(main, ["report", "--out", "r.html", "--db", "z.db"]).exit_code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    card = page[page.index('id="unit-Z25"'):]
    card = card[:card.index("</section>")]
    assert "历年排名" in card  # warned in 2022 at rank 35, commended in 2023 at rank 10
    assert re.search(r'"data":\["2022","2023"\].*?"data":\[35,10\]', card) or \
        re.search(r'"data":\[35,10\].*?"data":\["2022","2023"\]', card)
    assert runner.invoke(main, ["report", "--out", "plain.html", "--force", "--db", "none.db"]).exit_code == 0
    assert "历年排名" not in (tmp_path / "plain.html").read_text(encoding="utf-8")  # no store: no trend
