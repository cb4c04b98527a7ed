"""explain word for word, in the rule file's language: a Chinese and an English rule file.

The expected texts below were read line by line and their numbers checked by hand (see the
comments); the provenance section (run id, paths, hashes) is cut off, tests/test_golden.py
covers it. The Chinese file differs from the English one in its title (which makes its outputs
Chinese), in 企业 being scored by bands, and in one missing 企业数 filled by a fallback.
"""
from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner

from cli import main
from conftest import SMALL_ROWS, SMALL_RULES, write_csv_file, write_rules_file
from scoring.analysis.explain import explain_unit
from scoring.engine.run import run_files
from scoring.report.explain_render import render_explanation

ZH_RULES = copy.deepcopy(SMALL_RULES)
ZH_RULES["title"] = "测试考核"
ZH_RULES["indicators"][1]["children"][0].update(
    method={"type": "bands", "bands": [{"at_least": 50, "fraction": 1},
                                       {"at_least": 30, "at_most": 49, "fraction": 0.6}, {"points": 10}]},
    missing={"policy": "fallback", "fallback": "sales / 10"})
ZH_ROWS = [dict(row, firms="") if row["id"] == "U7" else row for row in SMALL_ROWS]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    where = {lang: tmp_path_factory.mktemp(lang) for lang in ("en", "zh")}
    return {"en": (write_rules_file(where["en"], SMALL_RULES), write_csv_file(where["en"], SMALL_ROWS)),
            "zh": (write_rules_file(where["zh"], ZH_RULES), write_csv_file(where["zh"], ZH_ROWS))}


@pytest.fixture(scope="module")
def results(files):
    return {lang: run_files(*pair) for lang, pair in files.items()}


def _without_provenance(text: str) -> str:
    cut = min(i for i in (text.find("\nProvenance\n"), text.find("\n来源\n")) if i >= 0)
    return text[:cut + 1]


EN_U7 = """\
Test: U7 庚
====================

Rank 8/8 · Base 43.85 of 100 · Adjustments 0.00 · Total 43.85 · Outcome 预警

Indicators
--------------------

增长: subtotal 43.85 of 60
  增速: 22.31 of 30 · score rate 74.4% · peer rank 6/8
    Value: growth = -2.7778
    Inputs: growth = growth(sales, last) = -2.7778; 销售额 (sales) = 70 万元; 上年销售额 (last) = 72
    Method: minmax (floor 0.5) · min -40, max 36.3636
  销售: 21.54 of 30 · score rate 71.8% · peer rank 7/8
    Value: sales = 70
    Inputs: 销售额 (sales) = 70 万元
    Method: benchmark (cap 1.5, benchmark mean, factor 1) · benchmark 97.5
规模: subtotal 0.00 of 40
  企业: 0.00 of 40 · score rate 0.0% · peer rank 8/8
    Value: firms = 15
    Inputs: 企业数 (firms) = 15
    Method: rank (floor 0) · rank 8, count 8

Adjustments
----------------------

none fired

Distance to the lines
------------------------------------------

Outcome    line    distance    this unit
---------  ------  ----------  -----------
表彰       89.64   -45.79
预警       43.85   0.00        ✓

Needed to be 表彰
------------------------------

one input changed at a time, all else unchanged, every unit scored again:
  销售额 raised to 236 万元 (now 70 万元, +166 万元) gets it into 表彰 (indicators: 增速, 销售)
  企业数 raised to 60 (now 15, +45) gets it into 表彰 (indicators: 企业)

Needed to escape 预警
--------------------------------------

one input changed at a time, all else unchanged, every unit scored again:
  销售额 raised to 92 万元 (now 70 万元, +22 万元) gets it out of 预警 (indicators: 增速, 销售)
  企业数 raised to 25 (now 15, +10) gets it out of 预警 (indicators: 企业)

strongest (by score rate)
--------------------------------------------------

indicator    score rate    points (of full)    peer rank
-----------  ------------  ------------------  -----------
增速         74.4%         22.31 of 30         6/8
销售         71.8%         21.54 of 30         7/8

weakest (by score rate)
----------------------------------------------

indicator    score rate    points (of full)    peer rank
-----------  ------------  ------------------  -----------
企业         0.0%          0.00 of 40          8/8

"""

EN_U3 = """\
Test: U3 丙
====================

Rank 1/8 · Base 109.29 · Adjustments 0.00 · Total 109.29 (full score 100; some indicators may score above their full points) · Outcome -
一票否决: barred from 表彰

Indicators
--------------------

增长: subtotal 75.00 (full 60; may score above it)
  增速: 30.00 of 30 · score rate 100.0% · peer rank 1/8
    Value: growth = 36.3636
    Inputs: growth = growth(sales, last) = 36.3636; 销售额 (sales) = 150 万元; 上年销售额 (last) = 110
    Method: minmax (floor 0.5) · min -40, max 36.3636
  销售: 45.00 (full 30; may score above it) · score rate 150.0% · peer rank 1/8
    Value: sales = 150
    Inputs: 销售额 (sales) = 150 万元
    Method: benchmark (cap 1.5, benchmark mean, factor 1) · benchmark 97.5
规模: subtotal 34.29 of 40
  企业: 34.29 of 40 · score rate 85.7% · peer rank 2/8
    Value: firms = 45
    Inputs: 企业数 (firms) = 45
    Method: rank (floor 0) · rank 2, count 8

Adjustments
----------------------

一票否决 (when bad == 1): barred from 表彰

Distance to the lines
------------------------------------------

Outcome    line    distance    this unit
---------  ------  ----------  -----------
表彰       89.64   +19.65
预警       43.85   +65.44

Needed to be 表彰
------------------------------

一票否决 applies: no single input can get it into 表彰

How far from 预警
------------------------------

one input changed at a time, all else unchanged, every unit scored again:
  销售额 73 万元 lower (at 77 万元, now 150 万元) puts it into 预警 (indicators: 增速, 销售)
  even 企业数 lowered to 0 (now 45) does not put it into 预警 (indicators: 企业)

strongest (by score rate)
--------------------------------------------------

indicator    score rate    points (of full)                     peer rank
-----------  ------------  -----------------------------------  -----------
销售         150.0%        45.00 (full 30; may score above it)  1/8
增速         100.0%        30.00 of 30                          1/8

weakest (by score rate)
----------------------------------------------

indicator    score rate    points (of full)    peer rank
-----------  ------------  ------------------  -----------
企业         85.7%         34.29 of 40         2/8

"""

ZH_U7 = """\
测试考核：U7 庚
==================

排名 7/8 · 基础分 50.85（满分 100） · 加减分 0.00 · 总分 50.85 · 考核结果 预警

指标
----

增长：小计 43.85（满分 60）
  增速：22.31（满分 30） · 得分率 74.4% · 同类排名 6/8
    取值：growth = -2.7778
    所用数据：growth = growth(sales, last) = -2.7778；销售额（sales） = 70 万元；上年销售额（last） = 72
    计分方法：功效系数法（最低得分率 50%） · 最小值 -40，最大值 36.3636
  销售：21.54（满分 30） · 得分率 71.8% · 同类排名 7/8
    取值：sales = 70
    所用数据：销售额（sales） = 70 万元
    计分方法：与基准值比较（基准为平均值，得分率封顶 150%） · 基准值 97.5
规模：小计 7.00（满分 40）
  企业：7.00（满分 40） · 得分率 17.5% · 同类排名 8/8
    取值：firms = -
    所用数据：企业数（firms） = -
    计分方法：分档计分（≥50 得满分；30 至 49 得 60%；其余得 10 分）
    取值缺失，按替代公式 sales / 10 计分

加减分
------

未触发加减分规则

距各结果分数线
--------------

考核结果    分数线    距线    本单位在内
----------  --------  ------  ------------
表彰        85.07     -34.22
预警        50.85     0.00    ✓

进入表彰所需数值
----------------

假设只改变其中一项数据、其他数据都不变，重新计算全部单位的得分和排名：
  销售额 增至 126 万元（现为 70 万元，需增加 56 万元），即可进入表彰（涉及指标：增速、销售）
  企业数 数据缺失，无法推算（涉及指标：企业）

脱离预警所需数值
----------------

假设只改变其中一项数据、其他数据都不变，重新计算全部单位的得分和排名：
  销售额 增至 84 万元（现为 70 万元，需增加 14 万元），即可脱离预警（涉及指标：增速、销售）
  企业数 数据缺失，无法推算（涉及指标：企业）

优势项（按得分率）
------------------

指标    得分率    得分（满分）      同类排名
------  --------  ----------------  ----------
增速    74.4%     22.31（满分 30）  6/8
销售    71.8%     21.54（满分 30）  7/8

薄弱项（按得分率）
------------------

指标    得分率    得分（满分）     同类排名
------  --------  ---------------  ----------
企业    17.5%     7.00（满分 40）  8/8

"""

ZH_U3 = """\
测试考核：U3 丙
==================

排名 2/8 · 基础分 99.00（满分 100） · 加减分 0.00 · 总分 99.00 · 考核结果 -
一票否决：不得评为表彰

指标
----

增长：小计 75.00（满分 60，可超过满分）
  增速：30.00（满分 30） · 得分率 100.0% · 同类排名 1/8
    取值：growth = 36.3636
    所用数据：growth = growth(sales, last) = 36.3636；销售额（sales） = 150 万元；上年销售额（last） = 110
    计分方法：功效系数法（最低得分率 50%） · 最小值 -40，最大值 36.3636
  销售：45.00（满分 30，可超过满分） · 得分率 150.0% · 同类排名 1/8
    取值：sales = 150
    所用数据：销售额（sales） = 150 万元
    计分方法：与基准值比较（基准为平均值，得分率封顶 150%） · 基准值 97.5
规模：小计 24.00（满分 40）
  企业：24.00（满分 40） · 得分率 60.0% · 同类排名 2/8
    取值：firms = 45
    所用数据：企业数（firms） = 45
    计分方法：分档计分（≥50 得满分；30 至 49 得 60%；其余得 10 分）

加减分
------

一票否决（触发条件 bad == 1）：不得评为表彰

距各结果分数线
--------------

考核结果    分数线    距线    本单位在内
----------  --------  ------  ------------
表彰        85.07     +13.93
预警        50.85     +48.15

进入表彰所需数值
----------------

已触发“一票否决”，任何一项数据的变化都不能进入表彰

落入预警的临界数值
------------------

假设只改变其中一项数据、其他数据都不变，重新计算全部单位的得分和排名：
  销售额 再减少 73 万元（降至 77 万元，现为 150 万元）将落入预警（涉及指标：增速、销售）
  企业数 即使降至 0（现为 45），也不会落入预警（涉及指标：企业）

优势项（按得分率）
------------------

指标    得分率    得分（满分）                  同类排名
------  --------  ----------------------------  ----------
销售    150.0%    45.00（满分 30，可超过满分）  1/8
增速    100.0%    30.00（满分 30）              1/8

薄弱项（按得分率）
------------------

指标    得分率    得分（满分）      同类排名
------  --------  ----------------  ----------
企业    60.0%     24.00（满分 40）  2/8

"""


# Checked by hand: U7's growth 70/72 - 1 = -2.7778%, min -40% (U5), max 36.3636% (U3), so
# minmax gives 0.5 + 0.5 x 37.2222/76.3636 = 74.4% of 30 = 22.31; sales 70 / mean 97.5 = 71.8%
# of 30 = 21.54. In the Chinese file U7's 企业数 is missing and the fallback sales / 10 gives 7
# points (17.5% of 40); U3's 45 firms fall in the band 30 至 49: 60% of 40 = 24.00. Needed values:
# 126 - 70 = 56, 84 - 70 = 14, 236 - 70 = 166, 92 - 70 = 22.


@pytest.mark.parametrize("lang, unit, expected", [
    ("en", "U7", EN_U7), ("en", "U3", EN_U3), ("zh", "U7", ZH_U7), ("zh", "U3", ZH_U3)])
def test_explain_text_word_for_word(results, lang, unit, expected):
    assert _without_provenance(render_explanation(explain_unit(results[lang], unit), "text")) == expected


def test_explain_command_prints_the_same_chinese(files):
    rules, data = files["zh"]
    result = CliRunner().invoke(main, ["explain", "丙", "--rules", str(rules), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert _without_provenance(result.output) == ZH_U3


def test_chinese_explain_has_no_english_words(results):
    """Besides the rule file's own names (sales, firms, growth ...), no English word is left."""
    import re

    own = {"sales", "last", "firms", "bad", "growth", "U7", "U3"}
    for unit in ("U7", "U3"):
        text = _without_provenance(render_explanation(explain_unit(results["zh"], unit), "text"))
        assert set(re.findall(r"[A-Za-z_]+\d*", text)) <= own


def test_a_veto_is_said_once(results):
    for lang, sentence in (("en", "一票否决 applies: no single input can get it into 表彰"),
                           ("zh", "已触发“一票否决”，任何一项数据的变化都不能进入表彰")):
        text = render_explanation(explain_unit(results[lang], "U3"), "text")
        assert text.count(sentence) == 1 and "一票否决" not in text.split(sentence)[1]


def test_an_exemption_is_said_once_too(tmp_path):
    """An exempt unit (不定等级) can reach no outcome whatever its inputs: said once, no search."""
    rules = copy.deepcopy(ZH_RULES)
    rules["adjustments"].append({"id": "new", "label": "新设单位", "when": "last < 80", "action": "exempt"})
    result = run_files(write_rules_file(tmp_path, rules), write_csv_file(tmp_path, SMALL_ROWS))
    text = render_explanation(explain_unit(result, "U4"), "text")  # last 70: exempt
    assert "\n进入表彰所需数值\n----------------\n\n已触发“新设单位”，任何一项数据的变化都不能进入表彰\n\n" in text


def test_no_bar_is_claimed_when_a_rule_may_force_the_outcome(tmp_path):
    """A forced outcome overrides a veto: with a rule forcing units into 表彰, inputs are searched."""
    rules = copy.deepcopy(ZH_RULES)
    rules["adjustments"].append({"id": "star", "label": "特别表彰", "when": "firms > 100", "action": "force",
                                 "outcome": "top"})
    result = run_files(write_rules_file(tmp_path, rules), write_csv_file(tmp_path, SMALL_ROWS))
    needed = [nv for nv in explain_unit(result, "U3").needed if nv.outcome == "top"]
    assert needed and all(nv.status != "vetoed" for nv in needed)
    assert any(nv.input == "firms" and nv.status == "found" and nv.needed > 100 for nv in needed)


def test_a_capped_bonus(results):
    """firms 60 x 0.1 = 6 points, capped at 2 (max): 4 cut."""
    zh = render_explanation(explain_unit(results["zh"], "U1", needed=False), "text")
    en = render_explanation(explain_unit(results["en"], "U1", needed=False), "text")
    assert "\n规模加分（触发条件 firms >= 50）：+2.00（封顶扣减 -4.00）\n" in zh
    assert "\n规模加分 (when firms >= 50): +2.00 (capped by -4.00)\n" in en
