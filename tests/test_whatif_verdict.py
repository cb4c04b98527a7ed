"""The what-if verdict (before the table), --keep-total, and tied largest movers.

The four-unit example of tests/test_whatif.py, worked by hand:

* ``--weight ib=100``: full score 100 -> 150, Best passes from U1 to U2, rho 0.8 (broadly similar),
  tau 2/3.
* ``--weight ib=60 --keep-total``: ia is the only sibling: 50 x (100 - 60) / 50 = 40; full score
  stays 100. Totals: U1 0.9*40 + 0.20*60 = 48, U2 0.3*40 + 0.70*60 = 54, U3 0.5*40 + 0.36*60 = 41.6,
  U4 0.1*40 + 0.30*60 = 22: U1 and U2 swap again.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from scoring.analysis.whatif import kept_total, largest_movers, whatif_of
from scoring.api.assessment import load_assessment
from scoring.errors import OptionError
from scoring.report.whatif_render import order_word, render_comparison
from test_whatif import FOUR_ROWS, _four_rules

ROOT = Path(__file__).resolve().parent.parent


def _chinese_rules() -> dict:
    rules = _four_rules()
    return {**rules, "title": "四个单位",
            "indicators": [{**rules["indicators"][0], "label": "甲"}, {**rules["indicators"][1], "label": "乙"}],
            "outcomes": [{"id": "best", "label": "优秀", "top": 1}, {"id": "last", "label": "末位", "bottom": 1}]}


@pytest.fixture
def files(write_rules, write_csv):
    return {"en": str(write_rules(_four_rules(), "en.yaml")), "zh": str(write_rules(_chinese_rules(), "zh.yaml")),
            "data": str(write_csv(FOUR_ROWS))}


def _whatif(files, rules: str, *args: str, lang: str | None = None):
    interface = ["--lang", lang] if lang else []
    return CliRunner().invoke(main, [*interface, "whatif", "--rules", files[rules], "--data", files["data"], *args])


ENGLISH = """\
Four units — what-if

Weights: Beta (ib) 50 → 100
Full score: 100 → 150 (other weights unchanged, so the full score changes)
Best: enters Two (U2); leaves One (U1)
Last: no change
Rank order: broadly similar (Spearman's rho 0.8000, Kendall's tau 0.6667; 1 means the same order)
Largest movers: Two +1 (2→1), One -1 (1→2)

  Rank (scenario)  unit      Rank (baseline)    Change    Total (baseline)    Total (scenario)  Outcome (baseline)    Outcome (scenario)
-----------------  ------  -----------------  --------  ------------------  ------------------  --------------------  --------------------
                1  Two                     2        +1               50.00               85.00  -                     Best
                2  One                     1        -1               55.00               65.00  Best                  -
                3  Three                   3         0               43.00               61.00  -                     -
                4  Four                    4         0               20.00               35.00  Last                  Last
"""

CHINESE = """\
四个单位 — 情景模拟

权重: 乙 (ib) 50 → 100
满分: 100 → 150（其余权重未变，满分随之改变）
优秀: 新进入 Two (U2); 退出 One (U1)
末位: 名单无变化
排名顺序: 大体相近（斯皮尔曼等级相关系数 0.8000，肯德尔等级相关系数 0.6667；等于 1 表示顺序完全相同）
排名变化最大: Two +1 (2→1), One -1 (1→2)

  排名（调整后）  单位      排名（调整前）    排名变化    总分（调整前）    总分（调整后）  考核结果（调整前）    考核结果（调整后）
----------------  ------  ----------------  ----------  ----------------  ----------------  --------------------  --------------------
               1  Two                    2          +1             50.00             85.00  -                     优秀
               2  One                    1          -1             55.00             65.00  优秀                  -
               3  Three                  3           0             43.00             61.00  -                     -
               4  Four                   4           0             20.00             35.00  末位                  末位
"""

NOTE = {"en": "Note: the full score changes from 100 to 150; --keep-total rescales the other weights of the same "
              "level to keep it\n",
        "zh": "注意：满分由 100 变为 150；加 --keep-total 可按比例缩放同级其余权重，保持满分不变\n"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("rules, expected", [("en", ENGLISH), ("zh", CHINESE)])
def test_verdict_first_exact_output(files, lang, rules, expected):
    """The table follows the rule file's language; --lang changes only the note on stderr."""
    result = _whatif(files, rules, "--weight", "ib=100", lang=lang)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    assert result.stderr == NOTE[lang]


KEPT = """\
Weights: Beta (ib) 50 → 60
kept the full score: sibling weights scaled by ×0.8: Alpha (ia) 50 → 40
Full score: 100 → 100 (unchanged)
Best: enters Two (U2); leaves One (U1)
Last: no change
Rank order: broadly similar (Spearman's rho 0.8000, Kendall's tau 0.6667; 1 means the same order)
Largest movers: Two +1 (2→1), One -1 (1→2)
"""


def test_keep_total_exact_verdict(files):
    result = _whatif(files, "en", "--weight", "ib=60", "--keep-total")
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n\n")[1] + "\n" == KEPT
    assert result.stderr == ""  # the full score stays: no note
    rows = {line.split()[1]: line.split() for line in result.stdout.splitlines()[11:]}
    assert [rows[name][5] for name in ("One", "Two", "Three", "Four")] == ["48.00", "54.00", "41.60", "22.00"]


def test_keep_total_in_the_library(score):
    four = score(_four_rules(), FOUR_ROWS)
    kept = whatif_of(four, {"ib": 60}, keep_total=True)
    assert kept.full_score == (100.0, 100.0) and kept.keep_total
    assert kept.weights == [
        {"node": "ib", "label": "Beta", "baseline": 50.0, "scenario": 60.0, "rescaled": False},
        {"node": "ia", "label": "Alpha", "baseline": 50.0, "scenario": 40.0, "rescaled": True, "factor": 0.8}]
    assert kept.units["scenario_total"].to_dict() == pytest.approx({"U2": 54, "U1": 48, "U3": 41.6, "U4": 22})


def test_keep_total_rescales_each_level_that_changed():
    assessment = load_assessment(ROOT / "rules" / "qingpu-2023.yaml")
    top = kept_total(assessment, {"growth": 50.0})  # households, quality: 30 x (100 - 50) / 60 = 25
    assert [(c["node"], c["scenario"]) for c in top] == [("households", 25.0), ("quality", 25.0)]
    child = kept_total(assessment, {"tax_growth": 30.0})  # its group's children: 20 x (40 - 30) / 20 = 10
    assert [(c["node"], c["scenario"], c["factor"]) for c in child] == [("tax_completion", 10.0, 0.5)]


@pytest.mark.parametrize("weights", [{"ia": 100}, {"ia": 150}, {"ia": 40, "ib": 60}])
def test_keep_total_needs_weight_left_for_a_sibling(score, weights):
    four = score(_four_rules(), FOUR_ROWS)
    with pytest.raises(OptionError) as error:
        whatif_of(four, weights, keep_total=True)
    assert "cannot keep the full score" in str(error.value)
    assert error.value.problems[0].field == "--keep-total"


def test_keep_total_with_against_is_refused(files):
    result = _whatif(files, "en", "--against", files["zh"], "--keep-total")
    assert result.exit_code != 0 and "--keep-total applies to --weight only" in result.output
    assert "Traceback" not in result.output
    chinese = _whatif(files, "en", "--weight", "ia=100", "--keep-total", lang="zh")
    assert chinese.exit_code != 0 and "--keep-total 无法保持满分不变" in chinese.output


def test_tied_movers_are_all_listed():
    changes = [6, -5, 3, 3, 3, -3, 1, 0, math.nan]
    units = pd.DataFrame({"rank_change": changes}, index=[f"U{i}" for i in range(1, 10)])
    assert list(largest_movers(units).index) == ["U1", "U2", "U3", "U4", "U5", "U6"]  # 3 = the 5th largest
    assert list(largest_movers(units.iloc[:3]).index) == ["U1", "U2", "U3"]
    assert largest_movers(units.iloc[7:]).empty


def test_ties_are_said():
    from scoring.engine.run import run_files

    sample = whatif_of(run_files(ROOT / "rules" / "qingpu-2023.yaml", ROOT / "zones.csv"), {"growth": 50})
    assert list(sample.movers["rank_change"]) == [-6, -5, 3, 3, 3, -3]  # a sixth unit tied at 3 places
    assert "华新第三经济小区 -3 (25→28)（含并列）" in render_comparison(sample)


@pytest.mark.parametrize("rho, key", [(1.0, "order.identical"), (0.995, "order.almost"), (0.96, "order.close"),
                                      (0.8, "order.similar"), (0.7999, "order.different"), (0.5, "order.different"),
                                      (0.2, "order.very_different"), (-1.0, "order.very_different"),
                                      (math.nan, "not_available")])
def test_order_in_plain_words(rho, key):
    assert order_word(rho) == key
